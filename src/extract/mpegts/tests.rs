//! Transport stream tests: synthetic streams built packet by packet (45-minute recordings,
//! 188- and 192-byte packets, PTS wrap-around, cut files, a sparse 4 GiB file), so the long
//! thresholds are tested without committing megabytes of fixtures.

use std::io::{Seek, SeekFrom, Write};

use super::*;

fn ts5(v: u64) -> [u8; 5] {
    [
        0x20 | ((v >> 29) as u8 & 0x0E) | 1,
        (v >> 22) as u8,
        ((v >> 14) as u8 & 0xFE) | 1,
        (v >> 7) as u8,
        ((v << 1) as u8) | 1,
    ]
}

/// One 188-byte packet: header, payload, padded with an adaptation field.
fn packet(pid: u16, pusi: bool, payload: &[u8]) -> Vec<u8> {
    let mut p = vec![
        0x47,
        (pid >> 8) as u8 & 0x1F | if pusi { 0x40 } else { 0 },
        pid as u8,
    ];
    let room = 184 - payload.len();
    if room == 0 {
        p.push(0x10);
    } else {
        p.push(0x30);
        p.push((room - 1) as u8);
        if room > 1 {
            p.push(0);
            p.extend(std::iter::repeat_n(0xFF, room - 2));
        }
    }
    p.extend_from_slice(payload);
    assert_eq!(p.len(), 188);
    p
}

fn psi(table: &[u8]) -> Vec<u8> {
    let mut v = vec![0];
    v.extend_from_slice(table);
    v.extend([0, 0, 0, 0]); // CRC (not checked)
    v
}

fn pat_pmt() -> Vec<Vec<u8>> {
    // PAT: program 1 → PMT PID 0x1000. section_length = 5 + 4 + 4.
    let pat = psi(&[0x00, 0xB0, 13, 0, 1, 0xC1, 0, 0, 0, 1, 0xF0, 0x00]);
    // PMT: PCR PID 0x100, one H.264 stream on 0x100.
    let pmt = psi(&[
        0x02, 0xB0, 18, 0, 1, 0xC1, 0, 0, 0xE1, 0x00, 0xF0, 0x00, 0x1B, 0xE1, 0x00, 0xF0, 0x00,
    ]);
    vec![packet(0, true, &pat), packet(0x1000, true, &pmt)]
}

fn pes(pts: u64) -> Vec<u8> {
    let mut v = vec![0, 0, 1, 0xE0, 0, 0, 0x80, 0x80, 5];
    v.extend(ts5(pts % (1 << 33)));
    v.extend([0, 0, 0, 1, 0x65, 0x88]);
    v
}

/// A stream of `seconds` frames at 1 fps from `start` (90 kHz), in 188 or 192-byte packets.
fn stream(seconds: u64, start: u64, m2ts: bool) -> Vec<u8> {
    let mut packets = pat_pmt();
    for s in 0..seconds {
        packets.push(packet(0x100, true, &pes(start + s * 90_000)));
    }
    let mut out = Vec::new();
    for (i, p) in packets.iter().enumerate() {
        if m2ts {
            out.extend((i as u32 * 1000).to_be_bytes());
        }
        out.extend(p);
    }
    out
}

fn secs(bytes: Vec<u8>) -> Result<f64, Problem> {
    let p = probe(std::io::Cursor::new(bytes), WINDOW)?;
    p.facts
        .duration
        .map(|d| d.seconds)
        .ok_or_else(|| p.warnings[0].clone())
}

#[test]
fn thresholds_in_188_and_192_byte_packets() {
    for m2ts in [false, true] {
        for want in [179, 180, 181, 2699, 2700, 2701] {
            let got = secs(stream(want, 900_000, m2ts)).unwrap();
            assert!(
                (got - want as f64).abs() < 1e-9,
                "{want} s m2ts={m2ts}: {got}"
            );
        }
    }
}

#[test]
fn small_windows_read_only_the_ends() {
    let file = stream(2700, 0, false);
    let len = file.len() as u64;
    let p = probe(std::io::Cursor::new(file), 64 * 188).unwrap();
    assert!((p.facts.duration.unwrap().seconds - 2700.0).abs() < 1e-9);
    assert!(p.bytes_read <= 2 * 64 * 188, "{} of {len}", p.bytes_read);
}

#[test]
fn pts_wraparound() {
    // Starts 60 s before the 33-bit counter wraps.
    let start = (1u64 << 33) - 60 * 90_000;
    let got = secs(stream(2701, start, false)).unwrap();
    assert!((got - 2701.0).abs() < 1e-9, "{got}");
}

#[test]
fn cut_packets_are_truncation() {
    let mut f = stream(180, 0, false);
    f.truncate(f.len() - 100);
    let e = secs(f).unwrap_err();
    assert_eq!(e.code, "unreadable.truncated");
    assert!(e.message.contains("截断前的内容约 02:59"), "{}", e.message);
    assert_eq!(
        secs(b"not a ts".to_vec()).unwrap_err().code,
        "unreadable.corrupt"
    );
    let whole = stream(5, 0, true);
    for n in 0..whole.len() {
        let _ = secs(whole[..n].to_vec());
    }
}

#[test]
fn layouts() {
    let ts = stream(3, 0, false);
    assert_eq!(
        layout(&ts),
        Some(Layout {
            size: 188,
            start: 0
        })
    );
    let m2ts = stream(3, 0, true);
    assert_eq!(
        layout(&m2ts),
        Some(Layout {
            size: 192,
            start: 4
        })
    );
    assert_eq!(layout(b"hello"), None);
}

/// A 4 GiB sparse file: real packets at the start and the end, a hole in the middle. Only
/// the two windows are read.
#[test]
fn sparse_4gib_stream_reads_only_the_ends() {
    let head = stream(10, 0, false);
    let mut tail = Vec::new();
    for s in 2690..2700u64 {
        tail.extend(packet(0x100, true, &pes(s * 90_000)));
    }
    let total: u64 = ((4u64 << 30) / 188 + 1) * 188;
    let mut file = tempfile::tempfile().unwrap();
    file.write_all(&head).unwrap();
    file.set_len(total).unwrap();
    file.seek(SeekFrom::Start(total - tail.len() as u64))
        .unwrap();
    file.write_all(&tail).unwrap();
    file.seek(SeekFrom::Start(0)).unwrap();
    let p = probe(file, WINDOW).unwrap();
    let d = p.facts.duration.unwrap();
    assert!((d.seconds - 2700.0).abs() < 1e-9, "{d:?}");
    assert!(p.bytes_read <= 2 * WINDOW, "read {}", p.bytes_read);
    assert!((p.bytes_read as f64) < total as f64 * 0.01);
}

#[test]
fn dvb_text_character_sets() {
    let mut utf8 = vec![0x15];
    utf8.extend_from_slice("主旨报告".as_bytes());
    let mut gb = vec![0x13];
    gb.extend_from_slice(&encoding_rs::GBK.encode("学会").0);
    let table: &[(&[u8], &str)] = &[
        (b"Service01", "Service01"),
        (&utf8, "主旨报告"),
        (&gb, "学会"),
        (&[0x11, 0x5B, 0x66, 0x4F, 0x1A], "学会"),
        (&[0x10, 0x00, 0x01, b'C', b'a', b'f', 0xE9], "Café"),
        (b"", ""),
    ];
    for (bytes, want) in table {
        assert_eq!(super::dvb_text(bytes), *want, "{bytes:?}");
    }
}
