//! Matroska tests on files built element by element: Duration present or absent (live
//! writers), Clusters of unknown size, BlockGroups with BlockDuration, tags, cut files.

use std::io::Cursor;

use super::*;

/// An element with an 8-byte size.
fn el(id: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut v = id.to_vec();
    v.push(0x01);
    v.extend(&(payload.len() as u64).to_be_bytes()[1..]);
    v.extend_from_slice(payload);
    v
}

/// An element of unknown size (0x01FFFFFFFFFFFFFF).
fn unknown(id: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut v = id.to_vec();
    v.extend([0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
    v.extend_from_slice(payload);
    v
}

fn header(doc: &[u8]) -> Vec<u8> {
    el(&[0x1A, 0x45, 0xDF, 0xA3], &el(&[0x42, 0x82], doc))
}

fn info(duration_ms: Option<f64>, title: &str) -> Vec<u8> {
    let mut p = el(&[0x2A, 0xD7, 0xB1], &1_000_000u32.to_be_bytes());
    if let Some(d) = duration_ms {
        p.extend(el(&[0x44, 0x89], &d.to_be_bytes()));
    }
    p.extend(el(&[0x7B, 0xA9], title.as_bytes()));
    el(&[0x15, 0x49, 0xA9, 0x66], &p)
}

/// One video track (number 1) at 1 fps, 32x24.
fn tracks() -> Vec<u8> {
    let video = el(&[0xE0], &[el(&[0xB0], &[32]), el(&[0xBA], &[24])].concat());
    let entry = el(
        &[0xAE],
        &[
            el(&[0xD7], &[1]),
            el(&[0x83], &[1]),
            el(&[0x23, 0xE3, 0x83], &1_000_000_000u32.to_be_bytes()),
            video,
        ]
        .concat(),
    );
    el(&[0x16, 0x54, 0xAE, 0x6B], &entry)
}

fn tags(name: &str, value: &str) -> Vec<u8> {
    let simple = el(
        &[0x67, 0xC8],
        &[
            el(&[0x45, 0xA3], name.as_bytes()),
            el(&[0x44, 0x87], value.as_bytes()),
        ]
        .concat(),
    );
    el(&[0x12, 0x54, 0xC3, 0x67], &el(&[0x73, 0x73], &simple))
}

fn simple_block(rel: i16) -> Vec<u8> {
    el(
        &[0xA3],
        &[&[0x81][..], &rel.to_be_bytes(), &[0x80, 0xAA]].concat(),
    )
}

/// A Cluster at `ts` ms with blocks every second for `n` seconds.
fn cluster_body(ts: u32, n: i16) -> Vec<u8> {
    let mut body = el(&[0xE7], &ts.to_be_bytes());
    for i in 0..n {
        body.extend(simple_block(i * 1000));
    }
    body
}

fn segment(children: &[Vec<u8>], known: bool) -> Vec<u8> {
    let body = children.concat();
    if known {
        el(&[0x18, 0x53, 0x80, 0x67], &body)
    } else {
        unknown(&[0x18, 0x53, 0x80, 0x67], &body)
    }
}

fn run(bytes: Vec<u8>) -> Result<Probe, Problem> {
    probe(Cursor::new(bytes), 1 << 20)
}

/// `seconds` of 1 fps video in clusters of 10 s.
fn clusters(seconds: u32, live: bool) -> Vec<Vec<u8>> {
    (0..seconds.div_ceil(10))
        .map(|c| {
            let n = (seconds - c * 10).min(10) as i16;
            let body = cluster_body(c * 10_000, n);
            if live {
                unknown(&[0x1F, 0x43, 0xB6, 0x75], &body)
            } else {
                el(&[0x1F, 0x43, 0xB6, 0x75], &body)
            }
        })
        .collect()
}

#[test]
fn synthetic_matroska() {
    let title = "主旨报告 自治区科协2025年度学会重点资助项目";
    let file = |duration: Option<f64>, seconds: u32, live: bool| {
        let mut children = vec![info(duration, title), tracks(), tags("COMMENT", "现场录像")];
        children.extend(clusters(seconds, live));
        [header(b"matroska"), segment(&children, !live)].concat()
    };
    // (name, bytes, Ok(seconds, method, warning) or Err(code))
    type Case = (
        &'static str,
        Vec<u8>,
        Result<(f64, DurationMethod, Option<&'static str>), &'static str>,
    );
    let cases: Vec<Case> = vec![
        (
            "agree",
            file(Some(2_700_000.0), 2700, false),
            Ok((2700.0, DurationMethod::Header, None)),
        ),
        // Live writer: no Duration, clusters of unknown size.
        (
            "live",
            file(None, 2701, true),
            Ok((2701.0, DurationMethod::Timestamps, None)),
        ),
        (
            "no duration",
            file(None, 179, false),
            Ok((179.0, DurationMethod::Timestamps, None)),
        ),
        // The header claims 45:00, the clusters hold 3:00.
        (
            "stale header",
            file(Some(2_700_000.0), 180, false),
            Ok((180.0, DurationMethod::Timestamps, Some("duration.disagree"))),
        ),
        (
            "cut",
            {
                let mut f = file(Some(180_000.0), 180, false);
                f.truncate(f.len() - 50);
                f
            },
            Err("unreadable.truncated"),
        ),
        (
            "headers only",
            {
                [
                    header(b"webm"),
                    segment(&[info(Some(180_000.0), title), tracks()], true),
                ]
                .concat()
            },
            Err("unreadable.truncated"),
        ),
        (
            "not matroska",
            [header(b"other"), vec![0; 20]].concat(),
            Err("unreadable.corrupt"),
        ),
        (
            "garbage",
            b"\x1a\x45\xdf\xa3garbage".to_vec(),
            Err("unreadable.truncated"),
        ),
    ];
    for (name, bytes, want) in cases {
        match (run(bytes), want) {
            (Ok(p), Ok((secs, method, warning))) => {
                let d = p.facts.duration.as_ref().expect(name);
                assert!((d.seconds - secs).abs() < 1e-6, "{name}: {d:?}");
                assert_eq!(d.method, method, "{name}");
                let codes: Vec<_> = p.warnings.iter().map(|w| w.code.as_str()).collect();
                assert_eq!(codes, warning.into_iter().collect::<Vec<_>>(), "{name}");
                assert_eq!(p.facts.title.as_deref(), Some(title), "{name}");
                assert!(
                    p.facts
                        .metadata
                        .iter()
                        .any(|m| m.name == "comment" && m.value == "现场录像"),
                    "{name}: {:?}",
                    p.facts.metadata
                );
                assert_eq!(
                    (p.facts.width, p.facts.height),
                    (Some(32), Some(24)),
                    "{name}"
                );
            }
            (Err(e), Err(code)) => assert_eq!(e.code, code, "{name}: {}", e.message),
            (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn block_groups_carry_their_duration() {
    // Subtitle-style BlockGroup with BlockDuration 5000 ms at 10 s: ends at 15 s.
    let group = el(
        &[0xA0],
        &[
            el(
                &[0xA1],
                &[&[0x81][..], &0i16.to_be_bytes(), &[0, 0xAA]].concat(),
            ),
            el(&[0x9B], &5000u16.to_be_bytes()),
        ]
        .concat(),
    );
    let c1 = el(&[0x1F, 0x43, 0xB6, 0x75], &cluster_body(0, 10));
    let c2 = el(
        &[0x1F, 0x43, 0xB6, 0x75],
        &[el(&[0xE7], &10_000u32.to_be_bytes()), group].concat(),
    );
    let f = [
        header(b"matroska"),
        segment(&[info(None, "t"), c1, c2], true),
    ]
    .concat();
    let d = run(f).unwrap().facts.duration.unwrap();
    assert!((d.seconds - 15.0).abs() < 1e-9, "{d:?}");
}

#[test]
fn vints() {
    assert_eq!(vint(&[0x81]), Some((1, 1, false)));
    assert_eq!(vint(&[0x40, 0x02]), Some((2, 2, false)));
    assert_eq!(vint(&[0xFF]), Some((127, 1, true)));
    assert_eq!(vint(&[0x00]), None);
    assert_eq!(vint(&[0x40]), None);
    assert_eq!(element_id(&[0x1A, 0x45, 0xDF, 0xA3]), Some((EBML, 4)));
    assert_eq!(element_id(&[0x08]), None);
}

#[test]
fn every_prefix_is_safe() {
    let mut children = vec![info(Some(30_000.0), "t"), tracks()];
    children.extend(clusters(30, false));
    let f = [header(b"matroska"), segment(&children, true)].concat();
    for n in 0..f.len() {
        let _ = run(f[..n].to_vec());
    }
}
