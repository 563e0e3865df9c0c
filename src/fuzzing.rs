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

use crate::facts::Format;
use crate::input::{Input, Limits, Source};

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
    ("mkv", mkv),
    ("avi", avi),
    ("flv", flv),
    ("asf", asf),
    ("mpegts", mpegts),
    ("mpegps", mpegps),
    ("rm", rm),
    ("odf_xml", odf_xml),
    ("ofd_xml", ofd_xml),
    ("xlsx_xml", xlsx_xml),
    ("doc_pieces", doc_pieces),
    ("pdf_text", pdf_text),
    ("pdf", pdf),
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

/// Largest header/index block the video harnesses may read (a fuzz input is small anyway).
const MEDIA_INDEX: u64 = 1 << 20;

/// Matroska/WebM: EBML header, Segment Info, Cues, the last Cluster.
pub fn mkv(data: &[u8]) {
    let _ = crate::extract::mkv::probe(Cursor::new(data), MEDIA_INDEX);
}

/// AVI (RIFF): avih/strh headers, idx1/indx indexes.
pub fn avi(data: &[u8]) {
    let _ = crate::extract::avi::probe(Cursor::new(data), MEDIA_INDEX);
}

/// FLV: onMetaData (AMF0) and the last tag's timestamp.
pub fn flv(data: &[u8]) {
    let _ = crate::extract::flv::probe(Cursor::new(data));
}

/// ASF/WMV: header objects, File Properties, content descriptions.
pub fn asf(data: &[u8]) {
    let _ = crate::extract::asf::probe(Cursor::new(data), MEDIA_INDEX);
}

/// MPEG-TS (188/192/204-byte packets): first/last PTS in a window at each end.
pub fn mpegts(data: &[u8]) {
    let _ = crate::extract::mpegts::layout(data);
    let _ = crate::extract::mpegts::probe(Cursor::new(data), MEDIA_INDEX);
}

/// MPEG-PS (VOB, .mpg): pack headers and PES timestamps at each end.
pub fn mpegps(data: &[u8]) {
    let _ = crate::extract::mpegps::probe(Cursor::new(data), MEDIA_INDEX);
}

/// RealMedia: PROP/MDPR/CONT chunks and the last data packet's timestamp.
pub fn rm(data: &[u8]) {
    let _ = crate::extract::rm::probe(Cursor::new(data));
}

/// A zip package from a flat encoding the fuzzer can mutate: `name NUL content NUL name NUL
/// content …` (XML parts hold no NUL). Names are mutated too, so part lookup and relative
/// paths (`../`, `/x`, missing parts) are exercised along with the XML walkers.
fn package_from(data: &[u8]) -> Vec<u8> {
    let fields: Vec<&[u8]> = data.split(|&b| b == 0).collect();
    let parts: Vec<(String, &[u8])> = fields
        .chunks(2)
        .take(64)
        .map(|c| {
            let name = String::from_utf8_lossy(c.first().copied().unwrap_or_default());
            (name.into_owned(), c.get(1).copied().unwrap_or_default())
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    let parts: Vec<(&str, &[u8])> = parts
        .iter()
        .filter(|(n, _)| !n.is_empty() && seen.insert(n.clone()))
        .map(|(n, b)| (n.as_str(), *b))
        .collect();
    package(&parts)
}

/// The flat encoding of [`package_from`] for a real package: its text parts, in zip order
/// (binary parts and parts over 256 KiB left out). For seeding.
pub fn package_seed(zip_bytes: &[u8]) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(zip_bytes)).ok()?;
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let Ok(mut f) = zip.by_index(i) else { continue };
        if f.size() > 256 << 10 || f.is_dir() {
            continue;
        }
        let Ok(name) = f.name().map(|n| n.to_string()) else {
            continue;
        };
        let mut bytes = Vec::new();
        if f.read_to_end(&mut bytes).is_err() || bytes.contains(&0) || name.contains('\0') {
            continue;
        }
        if !out.is_empty() {
            out.push(0);
        }
        out.extend_from_slice(name.as_bytes());
        out.push(0);
        out.extend_from_slice(&bytes);
    }
    (!out.is_empty()).then_some(out)
}

fn run_on_package(extractor: &dyn crate::extract::Extractor, data: &[u8], display: &str) {
    let input = Input::from_bytes(package_from(data), display);
    let _ = crate::extract::run_extractor(extractor, &input, &limits(), &mut Vec::new());
}

/// The ODF walkers (content.xml, styles.xml, meta.xml, the manifest's encryption entries),
/// on a package in the flat encoding of [`package_from`].
pub fn odf_xml(data: &[u8]) {
    run_on_package(&crate::extract::odf::OdfExtractor, data, "f.odt");
}

/// The OFD walkers (OFD.xml → Document.xml → pages, templates, annotations), on a package in
/// the flat encoding of [`package_from`].
pub fn ofd_xml(data: &[u8]) {
    run_on_package(&crate::extract::ofd::OfdExtractor, data, "f.ofd");
}

/// The XLSX reader (workbook, shared strings, sheets, drawings, comments) and the expert-list
/// table reading over what it yields, on a package in the flat encoding of [`package_from`].
pub fn xlsx_xml(data: &[u8]) {
    let input = Input::from_bytes(package_from(data), "f.xlsx");
    if let crate::extract::Extraction::Read(facts) = crate::extract::run_extractor(
        &crate::extract::xlsx::XlsxExtractor,
        &input,
        &limits(),
        &mut Vec::new(),
    ) {
        let words = |xs: &[&str]| xs.iter().map(|t| t.to_string()).collect();
        let titles = crate::experts::Titles {
            academician: "院士".into(),
            senior: words(&["教授", "研究员", "主任医师", "正高级"]),
            junior_prefixes: words(&["副", "助理"]),
        };
        let _ = crate::experts::summarize(&facts.tables, &titles);
    }
}

/// The .doc piece table and text decoding: `data` is a little-endian u32 length, that many
/// bytes of the `WordDocument` stream, then the table stream (`0Table`/`1Table`).
pub fn doc_pieces(data: &[u8]) {
    let Some((len, rest)) = data.split_first_chunk::<4>() else {
        return;
    };
    let len = (u32::from_le_bytes(*len) as usize).min(rest.len());
    let (word, table) = rest.split_at(len);
    let Ok(fib) = crate::extract::ole::doc::parse_fib(word) else {
        return;
    };
    let _ = crate::extract::ole::doc::read_text(word, table, &fib);
}

/// The flat encoding of [`doc_pieces`] for a real .doc. For seeding.
pub fn doc_seed(doc_bytes: &[u8]) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut cfb = cfb::CompoundFile::open(Cursor::new(doc_bytes)).ok()?;
    let mut word = Vec::new();
    cfb.open_stream("/WordDocument")
        .ok()?
        .read_to_end(&mut word)
        .ok()?;
    let fib = crate::extract::ole::doc::parse_fib(&word).ok()?;
    let mut table = Vec::new();
    cfb.open_stream(fib.table_stream())
        .ok()?
        .read_to_end(&mut table)
        .ok()?;
    let mut out = u32::try_from(word.len()).ok()?.to_le_bytes().to_vec();
    out.extend(word);
    out.extend(table);
    Some(out)
}

/// Separates the parts of a [`pdf_text`] input.
pub const PDF_PART: &[u8] = b"\n%%part\n";

/// PDF text decoding, our layer over lopdf: `data` is a page content stream, then (after
/// [`PDF_PART`]) a ToUnicode CMap, an encoding CMap and a form XObject's content stream. The
/// page's fonts use them: `/F1` Type0 with that encoding (Identity-H when empty) and ToUnicode,
/// `/F2` a simple font with `/Differences` and the ToUnicode, `/F3` a simple font with neither,
/// `/F4` a Type0 font with a predefined GBK CMap; `/Fm1` is the form.
pub fn pdf_text(data: &[u8]) {
    let mut parts = [&[][..]; 4];
    let mut rest = data;
    for part in parts.iter_mut() {
        match find(rest, PDF_PART) {
            Some(i) => {
                *part = &rest[..i];
                rest = &rest[i + PDF_PART.len()..];
            }
            None => {
                *part = rest;
                rest = &[];
            }
        }
    }
    let [content, to_unicode, encoding, form] = parts;
    crate::extract::pdf::fuzz_text_layer(content, to_unicode, encoding, form, &limits());
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The flat encoding of [`pdf_text`] for a real PDF: page 1's content, the first ToUnicode
/// and encoding CMap streams found. For seeding.
pub fn pdf_text_seed(pdf_bytes: &[u8]) -> Option<Vec<u8>> {
    let doc = lopdf::Document::load_mem(pdf_bytes).ok()?;
    let page = *doc.get_pages().values().next()?;
    let content = doc.get_page_content(page);
    let mut to_unicode = Vec::new();
    let mut encoding = Vec::new();
    for obj in doc.objects.values() {
        let Ok(d) = obj.as_dict() else { continue };
        let stream_of = |key: &[u8]| {
            let id = d.get(key).ok()?.as_reference().ok()?;
            let s = doc.get_object(id).ok()?.as_stream().ok()?;
            s.decompressed_content()
                .ok()
                .or_else(|| Some(s.content.clone()))
        };
        if to_unicode.is_empty()
            && let Some(b) = stream_of(b"ToUnicode")
        {
            to_unicode = b;
        }
        if encoding.is_empty()
            && let Some(b) = stream_of(b"Encoding")
        {
            encoding = b;
        }
    }
    let mut out = content;
    for part in [&to_unicode, &encoding, &Vec::new()] {
        out.extend_from_slice(PDF_PART);
        out.extend_from_slice(part);
    }
    Some(out)
}

/// Largest input of the `pdf` target: at 100–180 KB (the fixture PDFs) it ran at 38 exec/s,
/// every execution parsing the whole file, inflating its streams and laying out every page.
pub const PDF_MAX: usize = 64 << 10;

/// A whole PDF through the extractor (lopdf's parser, decryption, then our text layer), up
/// to [`PDF_MAX`] bytes.
pub fn pdf(data: &[u8]) {
    if data.len() > PDF_MAX {
        return;
    }
    let input = Input::from_bytes(data.to_vec(), "f.pdf");
    let _ = crate::extract::run_extractor(
        &crate::extract::pdf::PdfExtractor,
        &input,
        &limits(),
        &mut Vec::new(),
    );
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
