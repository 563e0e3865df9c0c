//! Tests of the MP4/MOV reader: synthetic files built box by box, the ffmpeg fixtures in
//! `fixtures/media/` against ffprobe's numbers in `reference.tsv`, and the shared corpus.

use std::io::{Cursor, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::*;

const MAX: u64 = 64 << 20;

fn bx(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut v = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
    v.extend_from_slice(kind);
    v.extend_from_slice(payload);
    v
}

fn words(ws: &[u32]) -> Vec<u8> {
    ws.iter().flat_map(|w| w.to_be_bytes()).collect()
}

/// A movie with one video track: mvhd duration (ms), stts with `samples` of `delta` ms,
/// one chunk at `chunk_offset`, 32x24 picture.
fn moov(mvhd_ms: u32, samples: u32, delta: u32, chunk_offset: u32) -> Vec<u8> {
    let mvhd = bx(b"mvhd", &words(&[0, 0, 0, 1000, mvhd_ms]));
    let mut tkhd = words(&[0, 0, 0, 1, 0, mvhd_ms]);
    tkhd.resize(76, 0);
    tkhd.extend(words(&[32 << 16, 24 << 16]));
    let mdhd = bx(b"mdhd", &words(&[0, 0, 0, 1000, samples * delta, 0]));
    let hdlr = bx(b"hdlr", &[&words(&[0, 0])[..], b"vide", &[0; 13]].concat());
    let mut entry = vec![0u8; 24];
    entry.extend(32u16.to_be_bytes());
    entry.extend(24u16.to_be_bytes());
    entry.extend([0u8; 50]);
    let stsd = bx(b"stsd", &[words(&[0, 1]), bx(b"avc1", &entry)].concat());
    let stts = bx(b"stts", &words(&[0, 1, samples, delta]));
    let stco = bx(b"stco", &words(&[0, 1, chunk_offset]));
    let stbl = bx(b"stbl", &[stsd, stts, stco].concat());
    let minf = bx(b"minf", &stbl);
    let mdia = bx(b"mdia", &[mdhd, hdlr, minf].concat());
    let trak = bx(b"trak", &[bx(b"tkhd", &tkhd), mdia].concat());
    bx(b"moov", &[mvhd, trak].concat())
}

fn ftyp() -> Vec<u8> {
    bx(b"ftyp", b"isom\0\0\x02\0isomiso2")
}

fn run(bytes: Vec<u8>) -> Result<Probe, Problem> {
    probe(Cursor::new(bytes), MAX)
}

#[test]
fn synthetic_files() {
    // (name, file bytes, expected seconds or error code, expected warning code)
    let mdat = bx(b"mdat", &[0u8; 100]);
    let f = ftyp();
    let at = |parts: &[&[u8]]| parts.concat();
    // moov first: chunk offset is where the mdat payload starts.
    let moov_first = |mv: u32, n: u32, d: u32| {
        let m = moov(mv, n, d, 0);
        let off = (f.len() + m.len() + 8) as u32;
        at(&[&f, &moov(mv, n, d, off), &mdat])
    };
    let mdat_size0 = {
        let mut m = 0u32.to_be_bytes().to_vec();
        m.extend(b"mdat");
        m.extend([0u8; 50]);
        m
    };
    type Case = (
        &'static str,
        Vec<u8>,
        Result<f64, &'static str>,
        Option<&'static str>,
    );
    let cases: Vec<Case> = vec![
        (
            "moov first",
            moov_first(180_000, 180, 1000),
            Ok(180.0),
            None,
        ),
        (
            "moov last",
            at(&[&f, &mdat, &moov(2_700_000, 2700, 1000, 40)]),
            Ok(2700.0),
            None,
        ),
        // Within a second: header kept, no warning.
        (
            "near agree",
            moov_first(180_500, 180, 1000),
            Ok(180.5),
            None,
        ),
        // Header claims 45 minutes, the samples last one: the shorter, with a warning.
        (
            "header inflated",
            moov_first(2_700_000, 60, 1000),
            Ok(60.0),
            Some("duration.disagree"),
        ),
        (
            "header short",
            moov_first(60_000, 2700, 1000),
            Ok(2700.0),
            Some("duration.disagree"),
        ),
        (
            "mvhd zero uses index",
            moov_first(0, 200, 1000),
            Ok(200.0),
            None,
        ),
        (
            "no mdat",
            at(&[&f, &moov(596_000, 596, 1000, 40)]),
            Err("unreadable.truncated"),
            None,
        ),
        (
            "no moov",
            at(&[&f, &mdat]),
            Err("unreadable.truncated"),
            None,
        ),
        (
            "not mp4",
            b"hello world, this is not a box".to_vec(),
            Err("unreadable.corrupt"),
            None,
        ),
        ("empty", Vec::new(), Err("unreadable.corrupt"), None),
        (
            "mdat past end",
            at(&[&f, &moov(180_000, 180, 1000, 100), &mdat[..50]]),
            Err("unreadable.truncated"),
            None,
        ),
        (
            "chunk past end",
            at(&[&f, &moov(180_000, 180, 1000, 999_999), &mdat]),
            Err("unreadable.truncated"),
            None,
        ),
        (
            "moov cut",
            at(&[&f, &mdat, &moov(180_000, 180, 1000, 40)[..60]]),
            Err("unreadable.truncated"),
            None,
        ),
        (
            "garbage after",
            at(&[&moov_first(180_000, 180, 1000), &[0u8; 20]]),
            Ok(180.0),
            Some("mp4.trailing_data"),
        ),
        (
            "few trailing bytes",
            at(&[&moov_first(180_000, 180, 1000), b"abc"]),
            Ok(180.0),
            Some("mp4.trailing_data"),
        ),
        (
            "mdat size 0",
            at(&[&f, &moov(180_000, 180, 1000, 40), &mdat_size0]),
            Ok(180.0),
            None,
        ),
    ];
    for (name, bytes, want, warning) in cases {
        match (run(bytes), want) {
            (Ok(p), Ok(secs)) => {
                let d = p.facts.duration.as_ref().expect(name);
                assert!((d.seconds - secs).abs() < 1e-6, "{name}: {d:?}");
                let codes: Vec<_> = p.warnings.iter().map(|w| w.code.as_str()).collect();
                assert_eq!(codes, warning.into_iter().collect::<Vec<_>>(), "{name}");
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
fn fragments_sum_with_tfhd_and_trex_defaults() {
    // Movie: mvhd 0, mvex/trex default 500 for track 1, track timescale 1000.
    let m = moov(0, 0, 0, 0);
    let payload = &m[8..];
    let trex = bx(b"trex", &words(&[0, 1, 1, 500, 0, 0]));
    let moov_box = bx(b"moov", &[payload, &bx(b"mvex", &trex)].concat());
    let tfhd_default = bx(b"tfhd", &words(&[0x08, 1, 1000])); // default duration 1000
    let tfhd_plain = bx(b"tfhd", &words(&[0, 1]));
    let trun_count = |n: u32| bx(b"trun", &words(&[0, n]));
    let trun_each = bx(b"trun", &words(&[0x100, 3, 100, 200, 300]));
    let moof1 = bx(
        b"moof",
        &bx(b"traf", &[tfhd_default, trun_count(10)].concat()),
    ); // 10 s
    let moof2 = bx(
        b"moof",
        &bx(b"traf", &[tfhd_plain.clone(), trun_count(4)].concat()),
    ); // 2 s (trex)
    let moof3 = bx(b"moof", &bx(b"traf", &[tfhd_plain, trun_each].concat())); // 0.6 s
    let mdat = bx(b"mdat", &[0; 16]);
    let file = [
        ftyp(),
        moov_box,
        moof1,
        mdat.clone(),
        moof2,
        mdat.clone(),
        moof3,
        mdat,
    ]
    .concat();
    let p = run(file).unwrap();
    let d = p.facts.duration.unwrap();
    assert!((d.seconds - 12.6).abs() < 1e-9, "{d:?}");
    assert_eq!(d.method, DurationMethod::Index);
    assert!(d.detail.starts_with("sum of 3 moof/trun"), "{}", d.detail);
}

/// A 4 GiB sparse file (only the small parts written): ftyp, a 64-bit mdat, moov at the end.
/// The duration comes out right and less than 1 MiB is read.
#[test]
fn sparse_4gib_file_reads_only_the_index() {
    let mut file = tempfile::tempfile().unwrap();
    let f = ftyp();
    let mdat_len: u64 = (4 << 30) + 16;
    let mdat_at = f.len() as u64;
    let moov_at = mdat_at + mdat_len;
    let m = moov(2_701_000, 2701, 1000, (mdat_at + 16) as u32);
    file.write_all(&f).unwrap();
    let mut mdat_header = 1u32.to_be_bytes().to_vec();
    mdat_header.extend(b"mdat");
    mdat_header.extend(mdat_len.to_be_bytes());
    file.write_all(&mdat_header).unwrap();
    file.set_len(moov_at + m.len() as u64).unwrap();
    file.seek(SeekFrom::Start(moov_at)).unwrap();
    file.write_all(&m).unwrap();
    file.seek(SeekFrom::Start(0)).unwrap();

    let p = probe(file, MAX).unwrap();
    let d = p.facts.duration.unwrap();
    assert!((d.seconds - 2701.0).abs() < 1e-9, "{d:?}");
    assert!(p.bytes_read < 1 << 20, "read {} bytes", p.bytes_read);
    assert!(p.bytes_read > 0);
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/media")
}

/// `file → field → value` from fixtures/media/reference.tsv.
fn reference() -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(fixtures().join("reference.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let mut c = l.split('\t');
            Some((c.next()?.into(), c.next()?.into(), c.next()?.into()))
        })
        .collect()
}

fn probe_path(path: &Path) -> Result<Probe, Problem> {
    probe(std::fs::File::open(path).unwrap(), MAX)
}

#[test]
fn fixtures_match_ffprobe() {
    let reference = reference();
    let mut checked = 0;
    for (file, field, value) in &reference {
        if !(file.ends_with(".mp4") || file.ends_with(".mov")) {
            continue;
        }
        let got = probe_path(&fixtures().join(file));
        if file.starts_with("trunc_") {
            let e = got.expect_err(file);
            assert_eq!(e.code, "unreadable.truncated", "{file}: {}", e.message);
            continue;
        }
        let p = got.unwrap_or_else(|e| panic!("{file}: {e:?}"));
        match field.as_str() {
            "duration_s" => {
                let want: f64 = value.parse().unwrap();
                let d = p.facts.duration.as_ref().unwrap();
                let tolerance = 0.1;
                assert!(
                    (d.seconds - want).abs() <= tolerance,
                    "{file}: ours {d:?}, ffprobe {want}"
                );
                assert!(p.warnings.is_empty(), "{file}: {:?}", p.warnings);
                eprintln!(
                    "{file}: {:.3} s ({}) vs ffprobe {want}; read {} bytes",
                    d.seconds, d.detail, p.bytes_read
                );
                checked += 1;
            }
            "width_x_height" => {
                let got = format!("{}x{}", p.facts.width.unwrap(), p.facts.height.unwrap());
                assert_eq!(&got, value, "{file}");
            }
            f if f.starts_with("tag:") => {
                let name = &f[4..];
                assert!(
                    p.facts
                        .metadata
                        .iter()
                        .any(|m| m.name == name && &m.value == value),
                    "{file}: {name}={value} not in {:?}",
                    p.facts.metadata
                );
                if name == "title" {
                    assert_eq!(p.facts.title.as_deref(), Some(value.as_str()));
                }
            }
            _ => {}
        }
        // Tiny files, but the point stands: only the index is read.
        assert!(p.bytes_read <= std::fs::metadata(fixtures().join(file)).unwrap().len());
    }
    assert!(checked >= 9, "only {checked} durations checked");
}

#[test]
fn fixture_durations_are_around_the_thresholds() {
    // The guide's thresholds are 3 and 45 minutes: the fixtures one second either side must
    // come out on the right side.
    let cases = [
        ("dur_0259.mp4", 179.0),
        ("dur_0300.mp4", 180.0),
        ("dur_0301.mp4", 181.0),
        ("dur_4459.mp4", 2699.0),
        ("dur_4500.mp4", 2700.0),
        ("dur_4501.mp4", 2701.0),
    ];
    for (file, secs) in cases {
        let d = probe_path(&fixtures().join(file))
            .unwrap()
            .facts
            .duration
            .unwrap();
        assert!((d.seconds - secs).abs() < 0.01, "{file}: {d:?}");
        assert_eq!(d.method, DurationMethod::Header, "{file}");
    }
}

/// Every MP4/MOV of the shared corpus against MANIFEST.tsv's ffprobe duration, or the
/// truncation problem for the broken ones.
#[test]
fn corpus_videos() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let Ok(manifest) = std::fs::read_to_string(root.join("MANIFEST.tsv")) else {
        eprintln!("note: ../shared/corpus absent, corpus video test skipped");
        return;
    };
    let header: Vec<&str> = manifest.lines().next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (c_path, c_dur, c_wh) = (col("path"), col("duration_s"), col("width_x_height"));
    let broken = ["video/sample_qt.mp4", "video/invalid_userdata.mp4"];
    let mut checked = 0;
    for line in manifest.lines().skip(1) {
        let cells: Vec<&str> = line.split('\t').collect();
        let path = cells[c_path];
        let lower = path.to_ascii_lowercase();
        if !(lower.starts_with("video/") && (lower.ends_with(".mp4") || lower.ends_with(".mov"))) {
            continue;
        }
        let got = probe_path(&root.join(path));
        checked += 1;
        if broken.contains(&path) {
            let e = got.expect_err(path);
            assert_eq!(e.code, "unreadable.truncated", "{path}");
            assert!(e.message.contains("mdat"), "{path}: {}", e.message);
            continue;
        }
        let p = got.unwrap_or_else(|e| panic!("{path}: {e:?}"));
        let want: f64 = cells[c_dur].parse().unwrap();
        let d = p.facts.duration.as_ref().unwrap();
        assert!(
            (d.seconds - want).abs() <= 1.0,
            "{path}: ours {d:?}, ffprobe {want}"
        );
        let wh = format!(
            "{}x{}",
            p.facts.width.unwrap_or(0),
            p.facts.height.unwrap_or(0)
        );
        assert_eq!(wh, cells[c_wh], "{path}");
        eprintln!(
            "{path}: {:.3} s ({}) vs ffprobe {want}; read {} bytes",
            d.seconds, d.detail, p.bytes_read
        );
    }
    assert_eq!(checked, 5);
}
