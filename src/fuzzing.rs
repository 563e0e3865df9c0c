//! Fuzz harnesses: one function per parser the project owns, taking arbitrary bytes.
//!
//! Why it exists: the same harnesses serve two runners. `fuzz/` (cargo-fuzz, libFuzzer, needs
//! nightly) calls them for coverage-guided fuzzing; `tests/fuzz_regress.rs` (stable
//! `cargo test`) runs them over the seed corpus, every crash input kept under
//! `fixtures/hostile/fuzz/`, and a bounded, fixed-seed mutation loop — so a fresh clone without
//! nightly still exercises every target, and a fixed crash stays fixed.
//!
//! Every harness must return normally for every input: a panic is a bug (the isolation in
//! [`crate::extract`] would turn it into a finding, but the parsers are meant not to panic at
//! all), and so is unbounded time or memory (the limits here are small so that a bomb shows up
//! as slowness in the fuzzer, not as an out-of-memory kill).

use std::io::Cursor;
use std::sync::Arc;

use crate::extract::{Input, Limits, Source};
use crate::facts::Format;

/// Small limits: a fuzz input may claim gigabytes.
pub fn limits() -> Limits {
    Limits {
        max_xml_bytes: 4 << 20,
        max_document_bytes: 16 << 20,
        max_image_pixels: 20_000_000,
        max_entry_bytes: 16 << 20,
        max_total_bytes: 64 << 20,
        max_entry_memory: 4 << 20,
        max_entries: 2_000,
        timeout: None,
        ..Limits::default()
    }
}

/// Call once before running harnesses: panics inside extractors must reach the fuzzer rather
/// than become `extract.panic` findings.
pub fn init() {
    crate::extract::propagate_panics_for_fuzzing(true);
}

/// A harness: arbitrary bytes in, returns normally or it is a bug.
pub type Harness = fn(&[u8]);

/// The harnesses by name, for the stable runner.
pub const TARGETS: &[(&str, Harness)] = &[
    ("zip_names", zip_names),
    ("archive", archive),
    ("identify", identify),
    ("docx_xml", docx_xml),
    ("pptx_xml", pptx_xml),
    ("mp4", mp4),
    ("text", text),
    ("image", image),
    ("rules", rules),
    ("any_file", any_file),
];

/// Zip entry-name decoding and path sanitising. First byte: bit 0 = UTF-8 flag.
pub fn zip_names(data: &[u8]) {
    let (flag, raw) = match data.split_first() {
        Some((f, rest)) => (f & 1 == 1, rest),
        None => (false, data),
    };
    let (name, _) = crate::walk::names::decode_zip_name(raw, flag);
    let safe = crate::walk::names::sanitize(&name);
    assert!(!safe.components.is_empty());
    for c in &safe.components {
        assert!(!c.is_empty() && c != "." && c != ".." && !c.contains('/'));
        assert!(!c.chars().any(char::is_control));
    }
    let _ = crate::walk::names::path_problem(&name, &safe);
}

/// Walking a .zip (or, if it starts with the 7z magic, a .7z) and reading every entry.
pub fn archive(data: &[u8]) {
    let limits = limits();
    let kind = if data.starts_with(&[0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) {
        crate::walk::archive::ArchiveKind::SevenZ
    } else {
        crate::walk::archive::ArchiveKind::Zip
    };
    let mut budget = limits.max_total_bytes;
    let job = crate::walk::archive::Job {
        source: Source::Memory(Arc::new(data.to_vec())),
        kind,
        prefix: "f.zip/".into(),
        depth: 1,
        strip_top: true,
        limits: &limits,
    };
    if let Ok(expansion) = crate::walk::archive::expand(job, &mut budget) {
        for found in expansion.found {
            if let crate::walk::Found::File(input) = found {
                let _ = input.read_all(limits.max_entry_bytes);
                if let Ok(mut r) = input.open() {
                    let _ = crate::identify::identify(&mut r);
                }
            }
        }
    }
    let input = Input::from_bytes(data.to_vec(), "f.zip");
    let _ = crate::extract::run_extractor(
        &crate::extract::archive::ArchiveExtractor,
        &input,
        &limits,
        &mut Vec::new(),
    );
}

/// Format identification by content.
pub fn identify(data: &[u8]) {
    let _ = crate::identify::identify(&mut Cursor::new(data));
    let _ = crate::identify::identify_broken_package(data);
}

/// Builds an OOXML package around `parts` (name, bytes).
fn package(parts: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut out = Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in parts {
        if zip.start_file(*name, opts).is_err() || zip.write_all(bytes).is_err() {
            return Vec::new();
        }
    }
    let _ = zip.finish();
    out.into_inner()
}

const CONTENT_TYPES: &[u8] = br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#;

/// Split `data` in two at the first NUL (two parts of one package).
fn halves(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], data.get(i + 1..).unwrap_or_default()),
        None => (data, &[]),
    }
}

/// The DOCX walkers: `data` is word/document.xml (and, after a NUL, word/footnotes.xml).
pub fn docx_xml(data: &[u8]) {
    let (doc, notes) = halves(data);
    let bytes = package(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("word/document.xml", doc),
        ("word/footnotes.xml", notes),
        ("docProps/core.xml", notes),
    ]);
    let input = Input::from_bytes(bytes, "f.docx");
    let _ = crate::extract::run_extractor(
        &crate::extract::docx::DocxExtractor,
        &input,
        &limits(),
        &mut Vec::new(),
    );
}

/// The PPTX walkers: `data` is ppt/presentation.xml, then after a NUL ppt/slides/slide1.xml.
pub fn pptx_xml(data: &[u8]) {
    let (pres, slide) = halves(data);
    let rels = br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide1.xml"/></Relationships>"#;
    let bytes = package(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("ppt/presentation.xml", pres),
        ("ppt/_rels/presentation.xml.rels", rels),
        ("ppt/slides/slide1.xml", slide),
    ]);
    let input = Input::from_bytes(bytes, "f.pptx");
    let _ = crate::extract::run_extractor(
        &crate::extract::pptx::PptxExtractor,
        &input,
        &limits(),
        &mut Vec::new(),
    );
}

/// The MP4/MOV box walker.
pub fn mp4(data: &[u8]) {
    let _ = crate::extract::mp4::probe(Cursor::new(data), 1 << 20);
}

/// Charset detection and the HTML scanner.
pub fn text(data: &[u8]) {
    let _ = crate::extract::text::read_text(data, false, &mut Vec::new());
    let _ = crate::extract::text::read_text(data, true, &mut Vec::new());
}

/// Image headers, EXIF and XMP.
pub fn image(data: &[u8]) {
    let _ = crate::extract::image::read_image(data, &limits(), &mut Vec::new());
}

/// Rule-file loading (TOML with line-precise validation).
pub fn rules(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = crate::rules::load::parse("fuzz.toml", &text);
}

/// The whole per-file path: identify by content, then the extractor it picks.
pub fn any_file(data: &[u8]) {
    let input = Input::from_bytes(data.to_vec(), "f.bin");
    let limits = limits();
    let format = crate::identify::identify(&mut Cursor::new(data)).unwrap_or(Format::Unknown);
    let _ = crate::extract::extract(&input, format, &limits, &mut Vec::new());
}

/// A tiny deterministic PRNG (xorshift64*) for the stable mutation loop: no dependency, same
/// sequence on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
}

/// One libFuzzer-style mutation: flip, set interesting values, insert, delete, duplicate or
/// truncate a span.
pub fn mutate(data: &mut Vec<u8>, rng: &mut Rng) {
    const INTERESTING: &[u8] = &[0, 1, 0x7F, 0x80, 0xFF, b'<', b'>', b'/', b'"', b'&', b'.'];
    let len = data.len();
    match rng.below(7) {
        0 if len > 0 => {
            let i = rng.below(len);
            data[i] ^= 1 << rng.below(8);
        }
        1 if len > 0 => {
            let i = rng.below(len);
            data[i] = INTERESTING[rng.below(INTERESTING.len())];
        }
        2 => {
            let i = rng.below(len + 1);
            let n = 1 + rng.below(8);
            for _ in 0..n {
                data.insert(i, rng.next_u64() as u8);
            }
        }
        3 if len > 1 => {
            let i = rng.below(len);
            let n = 1 + rng.below((len - i).min(64));
            data.drain(i..i + n);
        }
        4 if len > 1 => {
            let i = rng.below(len);
            let n = 1 + rng.below((len - i).min(256));
            let span: Vec<u8> = data[i..i + n].to_vec();
            let at = rng.below(len + 1);
            data.splice(at..at, span);
        }
        5 if len > 1 => data.truncate(rng.below(len)),
        _ if len >= 4 => {
            // A 32-bit little-endian field set to an extreme (sizes, counts, offsets).
            let i = rng.below(len - 3);
            let v: u32 = [0, 1, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x8000_0000][rng.below(5)];
            data[i..i + 4].copy_from_slice(&v.to_le_bytes());
        }
        _ => data.push(rng.next_u64() as u8),
    }
}
