//! Hostile input for the media and text extractors: every fixture, cut at many lengths and
//! with bytes overwritten at many places (deterministic pseudo-random), must give facts or a
//! problem — never a panic, never a hang.

mod skip;

use std::path::Path;

use yanshou::extract::{Limits, image, mp4, text};

/// A small deterministic generator (xorshift), so failures reproduce.
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

fn variants(bytes: &[u8], seed: u64, count: usize) -> Vec<Vec<u8>> {
    let mut rng = Rng(seed | 1);
    let mut out = Vec::new();
    for i in 0..count {
        let mut v = bytes.to_vec();
        match i % 3 {
            0 => v.truncate(rng.below(bytes.len() + 1)),
            1 => {
                for _ in 0..1 + rng.below(8) {
                    let at = rng.below(v.len());
                    if let Some(b) = v.get_mut(at) {
                        *b = rng.next() as u8;
                    }
                }
            }
            _ => {
                // Overwrite a 32-bit field with an extreme value (sizes, counts, offsets).
                let at = rng.below(v.len().saturating_sub(4));
                let value: [u8; 4] = match rng.below(4) {
                    0 => [0, 0, 0, 0],
                    1 => [0xFF; 4],
                    2 => [0, 0, 0, 1],
                    _ => [0x7F, 0xFF, 0xFF, 0xF0],
                };
                if let Some(s) = v.get_mut(at..at + 4) {
                    s.copy_from_slice(&value);
                }
            }
        }
        out.push(v);
    }
    out
}

fn files(dir: &str, exts: &[&str]) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| exts.iter().any(|x| p.extension().is_some_and(|e| e == *x)))
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    out.sort();
    out
}

#[test]
fn mp4_never_panics() {
    for (name, bytes) in files("fixtures/media", &["mp4", "mov"]) {
        for (i, v) in variants(&bytes, bytes.len() as u64, 300)
            .into_iter()
            .enumerate()
        {
            let r = std::panic::catch_unwind(|| mp4::probe(std::io::Cursor::new(v), 64 << 20));
            assert!(r.is_ok(), "{name} variant {i} panicked");
        }
    }
}

#[test]
fn images_never_panic() {
    for (name, bytes) in files("fixtures/media", &["jpg", "png"]) {
        for (i, v) in variants(&bytes, bytes.len() as u64, 200)
            .into_iter()
            .enumerate()
        {
            let r = std::panic::catch_unwind(|| {
                image::read_image(&v, &Limits::default(), &mut Vec::new())
            });
            assert!(r.is_ok(), "{name} variant {i} panicked");
        }
    }
}

#[test]
fn text_never_panics() {
    for (name, bytes) in files("fixtures/text", &["html", "txt"]) {
        for (i, v) in variants(&bytes, bytes.len() as u64, 200)
            .into_iter()
            .enumerate()
        {
            let r = std::panic::catch_unwind(|| text::read_text(&v, true, &mut Vec::new()));
            assert!(r.is_ok(), "{name} variant {i} panicked");
        }
    }
}

/// The same over the shared corpus's photos and MP4/MOV (real EXIF with maker notes, real
/// iPhone and camera indexes); skipped where ../shared is absent.
#[test]
fn corpus_media_never_panics() {
    if skip::corpus("media_hostile::corpus_media_never_panics").is_none() {
        return;
    }
    for (name, bytes) in files("../shared/corpus/image", &["jpg", "png"]) {
        for (i, v) in variants(&bytes, 7, 60).into_iter().enumerate() {
            let r = std::panic::catch_unwind(|| {
                image::read_image(&v, &Limits::default(), &mut Vec::new())
            });
            assert!(r.is_ok(), "{name} variant {i} panicked");
        }
    }
    for (name, bytes) in files("../shared/corpus/video", &["mp4", "mov"]) {
        for (i, v) in variants(&bytes, 11, 200).into_iter().enumerate() {
            let r = std::panic::catch_unwind(|| mp4::probe(std::io::Cursor::new(v), 64 << 20));
            assert!(r.is_ok(), "{name} variant {i} panicked");
        }
    }
}
