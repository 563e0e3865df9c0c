//! Video durations against ffprobe: every fixture in fixtures/video (every container at the
//! guide's thresholds, plus a truncated copy of each) and every video of the shared corpus;
//! and the I/O bound: sparse 4 GiB files in each container with an index or a tail to find,
//! of which well under 1 % is read.

mod skip;

use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use yanshou::extract::{self, Extraction, Input, Limits};
use yanshou::facts::{DurationMethod, Facts, Format, Problem};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// Identifies and extracts one file the way the pipeline does.
fn read(path: &Path) -> (Format, Result<Facts, Problem>, Vec<Problem>) {
    let mut f = std::fs::File::open(path).unwrap();
    let format = yanshou::identify::identify(&mut f).unwrap();
    let input = Input::from_path(path, path.display().to_string()).unwrap();
    let mut warnings = Vec::new();
    let r = match extract::extract(&input, format, &Limits::default(), &mut warnings) {
        Extraction::Read(f) => Ok(f),
        Extraction::Unreadable(p) => Err(p),
        Extraction::Unsupported => Err(Problem::new(yanshou::codes::UNSUPPORTED_FORMAT, "")),
    };
    (format, r, warnings)
}

/// fixtures/video/reference.tsv as (file, field, value).
fn reference() -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(root().join("fixtures/video/reference.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let mut c = l.split('\t');
            Some((c.next()?.into(), c.next()?.into(), c.next()?.into()))
        })
        .collect()
}

fn value<'a>(refs: &'a [(String, String, String)], file: &str, field: &str) -> Option<&'a str> {
    refs.iter()
        .find(|(f, k, _)| f == file && k == field)
        .map(|(_, _, v)| v.as_str())
}

/// Formats where ffprobe's format.duration is itself an estimate (MPEG program streams: it
/// extrapolates from the bitrate when timestamps are sparse). There we assert the content
/// length ffmpeg was asked to write (`made_s`), which ours matches to the frame.
const FFPROBE_ESTIMATES: &[&str] = &["mpg"];

#[test]
fn fixtures_agree_with_ffprobe() {
    let refs = reference();
    let mut files: Vec<&str> = refs
        .iter()
        .filter(|(_, k, _)| k == "duration_s")
        .map(|(f, _, _)| f.as_str())
        .collect();
    files.dedup();
    let mut checked = 0;
    let mut containers = std::collections::BTreeSet::new();
    for file in files {
        let path = root().join("fixtures/video").join(file);
        let (format, got, warnings) = read(&path);
        if file.starts_with("trunc_") {
            let e = got.expect_err(file);
            assert_eq!(e.code, "unreadable.truncated", "{file}: {}", e.message);
            assert!(e.message.contains("不完整"), "{file}: {}", e.message);
            continue;
        }
        let facts = got.unwrap_or_else(|e| panic!("{file}: {e:?}"));
        assert!(warnings.is_empty(), "{file}: {warnings:?}");
        let d = facts.duration.as_ref().unwrap_or_else(|| panic!("{file}"));
        let made: f64 = value(&refs, file, "made_s").unwrap().parse().unwrap();
        let ffprobe: f64 = value(&refs, file, "duration_s").unwrap().parse().unwrap();
        let ext = file.rsplit('.').next().unwrap();
        if FFPROBE_ESTIMATES.contains(&ext) {
            assert!(
                (d.seconds - ffprobe).abs() <= 3.2,
                "{file}: {d:?} vs {ffprobe}"
            );
        } else {
            assert!(
                (d.seconds - ffprobe).abs() <= 1.0,
                "{file}: ours {d:?}, ffprobe {ffprobe}"
            );
        }
        // The threshold side is right to the second (what the verdict depends on).
        assert!(
            (d.seconds - made).abs() < 0.05,
            "{file}: {d:?} vs made {made}"
        );
        assert_ne!(d.method, DurationMethod::Estimated, "{file}");
        assert!(d.decisive(), "{file}: {d:?}");
        if format == Format::Mpegts {
            // Picture size would need the H.264 SPS: not read for transport streams.
            assert_eq!(facts.width, None, "{file}");
        } else if let Some(wh) = value(&refs, file, "width_x_height") {
            let ours = format!("{}x{}", facts.width.unwrap_or(0), facts.height.unwrap_or(0));
            assert_eq!(ours, wh, "{file}");
        }
        for tag in ["tag:title", "tag:comment"] {
            if let Some(v) = value(&refs, file, tag) {
                assert!(
                    facts.metadata.iter().any(|m| m.value == v),
                    "{file}: {tag}={v} not in {:?}",
                    facts.metadata
                );
            }
        }
        eprintln!(
            "{file}: {:.3} s ({:?}, {:?}) vs ffprobe {ffprobe}",
            d.seconds, d.method, d.confidence
        );
        containers.insert(format);
        checked += 1;
    }
    assert_eq!(checked, 69, "fixtures checked");
    for f in [
        Format::Mp4,
        Format::Mkv,
        Format::Avi,
        Format::Flv,
        Format::Asf,
        Format::Mpegts,
        Format::Mpegps,
        Format::Rmvb,
    ] {
        assert!(containers.contains(&f), "no fixture read as {f:?}");
    }
}

/// Every video of the shared corpus against MANIFEST.tsv's ffprobe duration, or the
/// truncation finding for the two broken MP4s (moov only, no media data).
#[test]
fn corpus_videos_agree_with_ffprobe() {
    let corpus = root().join("../shared/corpus");
    if skip::corpus("video::corpus_videos_agree_with_ffprobe").is_none() {
        return;
    }
    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).unwrap();
    let header: Vec<&str> = manifest.lines().next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (c_path, c_dur) = (col("path"), col("duration_s"));
    let broken = ["video/sample_qt.mp4", "video/invalid_userdata.mp4"];
    let mut checked = 0;
    for line in manifest.lines().skip(1) {
        let cells: Vec<&str> = line.split('\t').collect();
        let path = cells[c_path];
        if !path.starts_with("video/") {
            continue;
        }
        let (_, got, _) = read(&corpus.join(path));
        checked += 1;
        if broken.contains(&path) {
            assert_eq!(got.unwrap_err().code, "unreadable.truncated", "{path}");
            continue;
        }
        let facts = got.unwrap_or_else(|e| panic!("{path}: {e:?}"));
        let want: f64 = cells[c_dur].parse().unwrap();
        let d = facts.duration.unwrap();
        // testWMV.wmv: ffprobe 5.0 s = play duration 9.858 s − preroll 4.858 s; exiftool's
        // 9.86 s includes the preroll (buffering before the first frame), see asf.rs.
        assert!(
            (d.seconds - want).abs() <= 1.0,
            "{path}: ours {d:?}, ffprobe {want}"
        );
        eprintln!(
            "{path}: {:.3} s vs ffprobe {want} ({})",
            d.seconds, d.detail
        );
    }
    assert_eq!(checked, 11);
}

/// Writes `parts` (offset, bytes) into a sparse temporary file of `len` bytes.
fn sparse(len: u64, parts: &[(u64, Vec<u8>)]) -> std::fs::File {
    let mut f = tempfile::tempfile().unwrap();
    f.set_len(len).unwrap();
    for (at, bytes) in parts {
        f.seek(SeekFrom::Start(*at)).unwrap();
        f.write_all(bytes).unwrap();
    }
    f.seek(SeekFrom::Start(0)).unwrap();
    f
}

const BIG: u64 = 4 << 30;

fn assert_small_read(name: &str, p: &yanshou::extract::media::Probe, len: u64, secs: f64) {
    let d = p
        .facts
        .duration
        .as_ref()
        .unwrap_or_else(|| panic!("{name}"));
    assert!((d.seconds - secs).abs() < 1e-6, "{name}: {d:?}");
    let share = p.bytes_read as f64 / len as f64;
    eprintln!(
        "{name}: read {} of {len} bytes ({:.5} %)",
        p.bytes_read,
        share * 100.0
    );
    assert!(share < 0.001, "{name}: read {} bytes", p.bytes_read);
}

fn ebml(id: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut v = id.to_vec();
    v.push(0x01);
    v.extend(&(payload.len() as u64).to_be_bytes()[1..]);
    v.extend_from_slice(payload);
    v
}

/// MKV: Info says 45:01, a 4 GiB Cluster in the middle is skipped by its size, the last
/// Cluster's last block ends at 45:01.
#[test]
fn sparse_mkv() {
    let header = ebml(&[0x1A, 0x45, 0xDF, 0xA3], &ebml(&[0x42, 0x82], b"matroska"));
    let info = ebml(
        &[0x15, 0x49, 0xA9, 0x66],
        &[
            ebml(&[0x2A, 0xD7, 0xB1], &1_000_000u32.to_be_bytes()),
            ebml(&[0x44, 0x89], &2_701_000f64.to_be_bytes()),
        ]
        .concat(),
    );
    let track = ebml(
        &[0x16, 0x54, 0xAE, 0x6B],
        &ebml(
            &[0xAE],
            &[
                ebml(&[0xD7], &[1]),
                ebml(&[0x83], &[1]),
                ebml(&[0x23, 0xE3, 0x83], &1_000_000_000u32.to_be_bytes()),
            ]
            .concat(),
        ),
    );
    let block = |rel: i16| {
        ebml(
            &[0xA3],
            &[&[0x81][..], &rel.to_be_bytes(), &[0x80, 0]].concat(),
        )
    };
    let cluster = |ts: u32, blocks: &[i16]| {
        let mut body = ebml(&[0xE7], &ts.to_be_bytes());
        for &b in blocks {
            body.extend(block(b));
        }
        ebml(&[0x1F, 0x43, 0xB6, 0x75], &body)
    };
    let first = cluster(0, &[0, 1000]);
    let last = cluster(2_690_000, &[0, 10_000]);
    let big_header = {
        let mut v = vec![0x1F, 0x43, 0xB6, 0x75, 0x01];
        v.extend(&BIG.to_be_bytes()[1..]);
        v
    };
    let seg_payload_len = (info.len() + track.len() + first.len() + big_header.len()) as u64
        + BIG
        + last.len() as u64;
    let mut seg_head = vec![0x18, 0x53, 0x80, 0x67, 0x01];
    seg_head.extend(&seg_payload_len.to_be_bytes()[1..]);
    let start = [header, seg_head, info, track, first, big_header].concat();
    let last_at = start.len() as u64 + BIG;
    let len = last_at + last.len() as u64;
    let f = sparse(len, &[(0, start), (last_at, last)]);
    let p = yanshou::extract::mkv::probe(f, 64 << 20).unwrap();
    assert_small_read("mkv", &p, len, 2701.0);
}

/// AVI 2.0 (OpenDML): the first RIFF holds the headers with a super index of 2700 frames,
/// a 4 GiB AVIX RIFF follows and is skipped.
#[test]
fn sparse_opendml_avi() {
    fn chunk(id: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut v = id.to_vec();
        v.extend((body.len() as u32).to_le_bytes());
        v.extend_from_slice(body);
        v
    }
    let le = |ws: &[u32]| -> Vec<u8> { ws.iter().flat_map(|w| w.to_le_bytes()).collect() };
    let mut avih = le(&[1_000_000, 0, 0, 0x10, 1200, 0, 1, 0, 32, 32]);
    avih.resize(56, 0);
    let mut strh = b"vidsH264".to_vec();
    strh.extend(le(&[0, 0, 0, 1, 1, 0, 2700]));
    strh.resize(56, 0);
    let mut indx = vec![4, 0, 0, 0];
    indx.extend(le(&[2]));
    indx.extend(b"00dc");
    indx.extend([0u8; 12]);
    indx.extend(le(&[0, 0, 0, 1200, 0, 0, 0, 1500]));
    let strl = chunk(
        b"LIST",
        &[
            b"strl".as_slice(),
            &chunk(b"strh", &strh),
            &chunk(b"strf", &le(&[40, 32, 32])),
            &chunk(b"indx", &indx),
        ]
        .concat(),
    );
    let odml = chunk(
        b"LIST",
        &[b"odml".as_slice(), &chunk(b"dmlh", &le(&[2700]))].concat(),
    );
    let hdrl = chunk(
        b"LIST",
        &[b"hdrl".as_slice(), &chunk(b"avih", &avih), &strl, &odml].concat(),
    );
    let movi = chunk(
        b"LIST",
        &[b"movi".as_slice(), &chunk(b"00dc", &[0; 8])].concat(),
    );
    let riff = chunk(b"RIFF", &[b"AVI ".as_slice(), &hdrl, &movi].concat());
    let avix_len = (BIG - 8) as u32;
    let mut avix = b"RIFF".to_vec();
    avix.extend(avix_len.to_le_bytes());
    avix.extend(b"AVIXLIST");
    let len = riff.len() as u64 + 8 + u64::from(avix_len);
    let f = sparse(len, &[(0, riff.clone()), (riff.len() as u64, avix)]);
    let p = yanshou::extract::avi::probe(f, 64 << 20).unwrap();
    assert_small_read("avi", &p, len, 2700.0);
}

/// FLV: onMetaData says 45:00; the last tags (found from the end) agree; the middle is a
/// 4 GiB hole that is never read.
#[test]
fn sparse_flv() {
    fn tag(kind: u8, ts: u32, data: &[u8]) -> Vec<u8> {
        let mut v = vec![kind];
        v.extend(&(data.len() as u32).to_be_bytes()[1..]);
        v.extend(&ts.to_be_bytes()[1..]);
        v.push((ts >> 24) as u8);
        v.extend([0, 0, 0]);
        v.extend_from_slice(data);
        v.extend(((data.len() + 11) as u32).to_be_bytes());
        v
    }
    let mut meta = vec![2, 0, 10];
    meta.extend(b"onMetaData");
    meta.extend([8, 0, 0, 0, 1, 0, 8]);
    meta.extend(b"duration");
    meta.push(0);
    meta.extend(2700f64.to_be_bytes());
    meta.extend([0, 0, 9]);
    let mut head = b"FLV\x01\x01\0\0\0\x09\0\0\0\0".to_vec();
    head.extend(tag(18, 0, &meta));
    head.extend(tag(9, 0, &[0x17, 0]));
    let mut tail = Vec::new();
    for s in 2690..2700u32 {
        tail.extend(tag(9, s * 1000, &[0x27, 0]));
    }
    let len = BIG + tail.len() as u64;
    let f = sparse(len, &[(0, head), (BIG, tail)]);
    let p = yanshou::extract::flv::probe(f).unwrap();
    assert_small_read("flv", &p, len, 2700.0);
}

/// MPEG-TS: see src/extract/mpegts/tests.rs (sparse_4gib_stream_reads_only_the_ends); MP4:
/// src/extract/mp4/tests.rs. ASF: packets of one fixed size, the last one found by
/// arithmetic.
#[test]
fn sparse_asf() {
    fn guid(b: [u8; 16]) -> Vec<u8> {
        b.to_vec()
    }
    let header_guid = [
        0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE,
        0x6C,
    ];
    let props_guid = [
        0xA1, 0xDC, 0xAB, 0x8C, 0x47, 0xA9, 0xCF, 0x11, 0x8E, 0xE4, 0x00, 0xC0, 0x0C, 0x20, 0x53,
        0x65,
    ];
    let data_guid = [
        0x36, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE,
        0x6C,
    ];
    let packet_size: u64 = 1 << 16;
    let packets = BIG / packet_size;
    let mut props = guid(props_guid);
    props.extend(104u64.to_le_bytes());
    props.extend([0u8; 16]); // file id
    let header_len = 30 + 104;
    let data_len = 50 + packets * packet_size;
    props.extend((header_len + data_len).to_le_bytes()); // file size
    props.extend(0u64.to_le_bytes()); // creation
    props.extend(packets.to_le_bytes());
    props.extend((2_703_000u64 * 10_000).to_le_bytes()); // play duration 2703 s
    props.extend((2_700_000u64 * 10_000).to_le_bytes()); // send duration
    props.extend(3000u64.to_le_bytes()); // preroll 3 s
    props.extend(2u32.to_le_bytes()); // seekable
    props.extend((packet_size as u32).to_le_bytes());
    props.extend((packet_size as u32).to_le_bytes());
    props.extend(100_000u32.to_le_bytes());
    let mut head = guid(header_guid);
    head.extend(header_len.to_le_bytes());
    head.extend(1u32.to_le_bytes());
    head.extend([1, 2]);
    head.extend(props);
    head.extend(guid(data_guid));
    head.extend(data_len.to_le_bytes());
    head.extend([0u8; 16]);
    head.extend(packets.to_le_bytes());
    head.extend([1, 1]);
    // The last two packets: one payload each, presentation times 2701 s and 2702 s
    // (preroll included), replicated data of 8 bytes.
    let packet = |pts_ms: u32| {
        let mut p = vec![0x82, 0, 0, 0x00, 0x5D];
        p.extend([0, 0, 0, 0, 0, 0]);
        p.push(0x81);
        p.push(0);
        p.extend(0u32.to_le_bytes());
        p.push(8);
        p.extend(10u32.to_le_bytes());
        p.extend(pts_ms.to_le_bytes());
        p.resize(packet_size as usize, 0);
        p
    };
    let data_at = header_len + 50;
    let last_at = data_at + (packets - 2) * packet_size;
    let len = data_at + packets * packet_size;
    let tail = [packet(2_701_000), packet(2_702_000)].concat();
    let f = sparse(len, &[(0, head), (last_at, tail)]);
    let p = yanshou::extract::asf::probe(f, 64 << 20).unwrap();
    assert_small_read("asf", &p, len, 2700.0);
}

/// Hostile input: every 3-minute fixture of every container, cut at many lengths and with
/// bytes and 32-bit fields overwritten (deterministic), gives facts or a problem through the
/// extractor — never a panic (an `extract.panic` finding) and never a made-up duration beyond
/// what the file could hold.
#[test]
fn damaged_videos_never_panic() {
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }
    let dir = root().join("fixtures/video");
    // More variants with YANSHOU_FUZZ=N (e.g. 5000) when hunting; 60 per file by default.
    let per_file: usize = std::env::var("YANSHOU_FUZZ")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let mut rng = Rng(0x5EED_1234_ABCD_0001 ^ per_file as u64);
    let mut runs = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.contains("_0300.") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let format = yanshou::identify::identify_head(&bytes[..bytes.len().min(4096)]);
        for i in 0..per_file {
            let mut v = bytes.clone();
            match i % 3 {
                0 => v.truncate(rng.below(bytes.len() + 1)),
                1 => {
                    for _ in 0..1 + rng.below(8) {
                        let at = rng.below(v.len());
                        v[at] = rng.next() as u8;
                    }
                }
                _ => {
                    let at = rng.below(v.len().saturating_sub(4));
                    let value: [u8; 4] = match rng.below(4) {
                        0 => [0; 4],
                        1 => [0xFF; 4],
                        2 => [0, 0, 0, 1],
                        _ => [0x7F, 0xFF, 0xFF, 0xF0],
                    };
                    v[at..at + 4].copy_from_slice(&value);
                }
            }
            let input = Input::from_bytes(v, name.clone());
            let mut warnings = Vec::new();
            match extract::extract(&input, format, &Limits::default(), &mut warnings) {
                Extraction::Unreadable(p) => {
                    assert_ne!(p.code, "extract.panic", "{name} variant {i}: {}", p.message)
                }
                Extraction::Read(f) => {
                    if let Some(d) = f.duration {
                        assert!(
                            d.seconds.is_finite() && d.seconds >= 0.0,
                            "{name} {i}: {d:?}"
                        );
                    }
                }
                Extraction::Unsupported => panic!("{name}: unsupported"),
            }
            runs += 1;
        }
    }
    assert!(runs >= 600, "{runs}");
}
