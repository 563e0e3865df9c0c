//! Extraction: one extractor per format family behind one trait, and the isolation around it.
//!
//! Each extractor turns one file into [`Facts`] (text by part, pages/slides, duration, metadata).
//! Counting and label search happen after, in one place, so every format is counted the same
//! way. A file is hostile until read: each extraction runs under `catch_unwind`, so a panic in a
//! parser becomes an `extract.panic` problem for that file and the run goes on.
//!
//! A file can also hang, exhaust memory or crash the process (an abort, a stack overflow):
//! that is handled outside the extractors, by [`crate::isolate`], which reads each file in a
//! worker process killed at the deadline. Extractors stay plain functions over bytes.
//!
//! The registry (`EXTRACTORS`) is the single list of what yanshou can read.

pub mod archive;
pub mod asf;
pub mod avi;
pub mod docx;
pub mod flv;
pub mod image;
pub mod media;
pub mod mkv;
pub mod mp4;
pub mod mpegps;
pub mod mpegts;
pub mod odf;
pub mod ofd;
pub mod ole;
pub mod ooxml;
pub mod pdf;
pub mod pptx;
pub mod rm;
pub mod source;
pub mod table;
pub mod text;
pub mod xlsx;

use std::io::{Cursor, Read, Seek};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use source::{RatioLimit, Source};

use crate::facts::{Facts, Format, Problem};

/// Limits that protect a run from hostile files. Each breach is a finding naming the file.
/// Serialisable: a worker process receives them with each file (see [`crate::isolate`]).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Limits {
    /// Largest decompressed size of one XML part inside a package.
    pub max_xml_bytes: u64,
    /// Deepest element nesting inside one XML part (OOXML/ODF/OFD).
    pub max_xml_depth: usize,
    /// Largest file read whole into memory (documents; videos are never read whole).
    pub max_document_bytes: u64,
    /// Largest number of pixels an image may claim before it is decoded.
    pub max_image_pixels: u64,
    /// Largest uncompressed size of one archive entry.
    pub max_entry_bytes: u64,
    /// Largest uncompressed size of all archive entries of a submission together.
    pub max_total_bytes: u64,
    /// Largest compression ratio (uncompressed : compressed) of an entry bigger than
    /// `ratio_floor_bytes`: zip bombs are 1000:1, real documents rarely pass 20:1.
    pub max_ratio: u64,
    /// Entries below this uncompressed size are never ratio-checked (tiny text files).
    pub ratio_floor_bytes: u64,
    /// Most entries read from one archive.
    pub max_entries: usize,
    /// Deepest archive nesting (a zip in the submission is depth 1, a zip inside it depth 2 …;
    /// a submission given as an archive stands for the folder and does not count).
    pub max_archive_depth: usize,
    /// Compressed entries up to this size are inflated into memory when opened; larger ones
    /// are streamed (and nested archives larger than this are spilled to a private temp file).
    pub max_entry_memory: u64,
    /// Wall-clock time one file may take (identify + extract); `None` for no deadline.
    pub timeout: Option<Duration>,
    /// The OCR engine for scanned pages and photos (see [`crate::ocr`]); `None`: no OCR.
    /// Not a limit, but it travels with them: every stage that reads a file gets the limits,
    /// and the facts cache keys on them.
    pub ocr: Option<Arc<crate::ocr::Ocr>>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_xml_bytes: 256 << 20,
            max_xml_depth: DEFAULT_MAX_XML_DEPTH,
            max_document_bytes: 512 << 20,
            max_image_pixels: 200_000_000,
            max_entry_bytes: 8 << 30,
            max_total_bytes: 32 << 30,
            max_ratio: 100,
            ratio_floor_bytes: 1 << 20,
            max_entries: 10_000,
            max_archive_depth: 3,
            max_entry_memory: 64 << 20,
            timeout: Some(Duration::from_secs(120)),
            ocr: None,
        }
    }
}

/// Where a file's bytes come from: a file on disk (opened read-only) or an archive entry held
/// in memory.
#[derive(Debug, Clone)]
pub enum Origin {
    Disk(PathBuf),
    Memory(Arc<Vec<u8>>),
    /// An archive entry, read lazily (see [`source`]): a 2 GB zip is never held in memory.
    Entry(Source),
}

/// One file to read.
#[derive(Debug, Clone)]
pub struct Input {
    /// Path shown to the user, relative to the submission root, `/`-separated.
    pub display: String,
    pub origin: Origin,
    pub size: u64,
    /// Findings made before the file is read (an archive entry whose name had to be
    /// sanitised, a file name that is not UTF-8 …); the pipeline lists them with the file's.
    pub notes: Vec<Problem>,
}

/// Anything an extractor can read and seek.
pub trait ReadSeek: Read + Seek + Send {}
impl<T: Read + Seek + Send> ReadSeek for T {}

impl Input {
    pub fn from_path(
        path: impl Into<PathBuf>,
        display: impl Into<String>,
    ) -> std::io::Result<Self> {
        let path = path.into();
        let size = std::fs::metadata(&path)?.len();
        Ok(Input {
            display: display.into(),
            origin: Origin::Disk(path),
            size,
            notes: Vec::new(),
        })
    }

    pub fn from_bytes(bytes: Vec<u8>, display: impl Into<String>) -> Self {
        Input {
            display: display.into(),
            size: bytes.len() as u64,
            origin: Origin::Memory(Arc::new(bytes)),
            notes: Vec::new(),
        }
    }

    /// An archive entry (or any lazily read bytes).
    pub fn from_source(source: Source, display: impl Into<String>) -> Self {
        Input {
            display: display.into(),
            size: source.len(),
            origin: Origin::Entry(source),
            notes: Vec::new(),
        }
    }

    /// The bytes as a [`Source`] (for walking an archive found on disk or in another one).
    pub fn source(&self) -> std::io::Result<Source> {
        match &self.origin {
            Origin::Disk(path) => Source::file(path),
            Origin::Memory(bytes) => Ok(Source::Memory(bytes.clone())),
            Origin::Entry(source) => Ok(source.clone()),
        }
    }

    /// Opens the bytes for reading. Disk files are opened read-only.
    pub fn open(&self) -> std::io::Result<Box<dyn ReadSeek>> {
        match &self.origin {
            Origin::Disk(path) => Ok(Box::new(std::io::BufReader::new(std::fs::File::open(
                path,
            )?))),
            Origin::Memory(bytes) => Ok(Box::new(Cursor::new(SharedBytes(bytes.clone())))),
            Origin::Entry(source) => source.open(),
        }
    }

    /// Reads the whole file, refusing files larger than `limit`.
    pub fn read_all(&self, limit: u64) -> Result<Vec<u8>, Problem> {
        if self.size > limit {
            return Err(Problem::new(
                crate::codes::LIMIT_FILE_SIZE,
                format!(
                    "文件过大（{} 字节，上限 {} 字节），未读取",
                    self.size, limit
                ),
            ));
        }
        match &self.origin {
            Origin::Memory(bytes) => Ok(bytes.as_ref().clone()),
            Origin::Disk(path) => std::fs::read(path).map_err(io_problem),
            Origin::Entry(source) => source.read_all(limit).map_err(io_problem),
        }
    }

    /// The lower-cased extension of the display name.
    pub fn extension(&self) -> String {
        let name = self.display.rsplit('/').next().unwrap_or(&self.display);
        match name.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
            _ => String::new(),
        }
    }
}

/// `Arc<Vec<u8>>` as `AsRef<[u8]>` so a `Cursor` can share archive entries without copying.
#[derive(Debug, Clone)]
pub struct SharedBytes(pub Arc<Vec<u8>>);
impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        self.0.as_slice()
    }
}

/// An I/O error as a problem for the file.
pub fn io_problem(e: std::io::Error) -> Problem {
    Problem::new(
        crate::codes::UNREADABLE_IO,
        format!(
            "无法读取文件（{}）；请检查文件是否完整、是否有读取权限，必要时重新复制后再核查",
            crate::os_error::zh(&e)
        ),
    )
}

/// One extractor per format family.
pub trait Extractor: Sync {
    /// Short name for messages and docs ("docx", "pdf" …).
    fn name(&self) -> &'static str;
    /// The formats it reads.
    fn formats(&self) -> &'static [Format];
    /// Reads the file. A fatal problem (encrypted, truncated, corrupt) is the `Err`; non-fatal
    /// ones go into `warnings`.
    fn extract(
        &self,
        input: &Input,
        limits: &Limits,
        warnings: &mut Vec<Problem>,
    ) -> Result<Facts, Problem>;
}

/// The single list of extractors.
pub static EXTRACTORS: &[&dyn Extractor] = &[
    &archive::ArchiveExtractor,
    &docx::DocxExtractor,
    &pptx::PptxExtractor,
    &xlsx::XlsxExtractor,
    &odf::OdfExtractor,
    &ofd::OfdExtractor,
    &ole::OleExtractor,
    &pdf::PdfExtractor,
    &mp4::Mp4Extractor,
    &mkv::MkvExtractor,
    &avi::AviExtractor,
    &flv::FlvExtractor,
    &asf::AsfExtractor,
    &mpegts::MpegTsExtractor,
    &mpegps::MpegPsExtractor,
    &rm::RmExtractor,
    &image::ImageExtractor,
    &text::TextExtractor,
];

/// The extractor for a format, if yanshou reads it.
pub fn extractor_for(format: Format) -> Option<&'static dyn Extractor> {
    EXTRACTORS
        .iter()
        .copied()
        .find(|e| e.formats().contains(&format))
}

thread_local! {
    /// Set while an extractor runs: its panics become findings, so the hook stays quiet.
    static QUIET_PANICS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// `Limits::max_xml_depth` of the extractor running on this thread. Kept ambient so every
    /// XML walker (OOXML, ODF, OFD) honours it without threading `Limits` through each handler.
    static XML_DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(DEFAULT_MAX_XML_DEPTH) };
}

/// Default deepest XML nesting: real documents stay under ~50 levels.
pub const DEFAULT_MAX_XML_DEPTH: usize = 512;

/// The deepest XML nesting the running extractor accepts.
pub fn max_xml_depth() -> usize {
    XML_DEPTH.with(|d| d.get())
}

/// Installs a panic hook that keeps extractor panics (which become `extract.panic` findings)
/// off the terminal, while any other panic is still printed.
pub fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !QUIET_PANICS.with(|q| q.get()) {
            default(info);
        }
    }));
}

/// What happened when a file was read.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // one per file, moved once: boxing buys nothing
pub enum Extraction {
    Read(Facts),
    Unreadable(Problem),
    Unsupported,
}

/// Runs the extractor for `format` on `input` under `catch_unwind`.
pub fn extract(
    input: &Input,
    format: Format,
    limits: &Limits,
    warnings: &mut Vec<Problem>,
) -> Extraction {
    let Some(extractor) = extractor_for(format) else {
        return Extraction::Unsupported;
    };
    run_extractor(extractor, input, limits, warnings)
}

/// Runs one extractor under `catch_unwind`: a panic becomes `extract.panic` for this file.
pub fn run_extractor(
    extractor: &dyn Extractor,
    input: &Input,
    limits: &Limits,
    warnings: &mut Vec<Problem>,
) -> Extraction {
    let depth = XML_DEPTH.with(|d| d.replace(limits.max_xml_depth));
    let result = catch_quietly(|| {
        let mut local = Vec::new();
        let r = extractor.extract(input, limits, &mut local);
        (r, local)
    });
    XML_DEPTH.with(|d| d.set(depth));
    match result {
        Ok((Ok(mut facts), local)) => {
            warnings.extend(local);
            facts.finish_counts();
            Extraction::Read(facts)
        }
        Ok((Err(problem), local)) => {
            warnings.extend(local);
            Extraction::Unreadable(problem)
        }
        Err(what) => Extraction::Unreadable(panic_problem(extractor.name(), &what)),
    }
}

/// The finding for a parser that panicked.
pub fn panic_problem(parser: &str, what: &str) -> Problem {
    Problem::new(
        crate::codes::EXTRACT_PANIC,
        format!(
            "{parser} 解析器内部错误，文件未能读取（{what}）。文件可能已损坏：请用原软件打开后另存一份再提交；如文件正常，请把它反馈给 yanshou 维护者"
        ),
    )
}

/// When set, panics are not caught: the fuzz harnesses want to see them (a caught panic is
/// still a parser bug).
static PROPAGATE_PANICS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// For fuzzing only: let extractor panics through instead of turning them into findings.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub fn propagate_panics_for_fuzzing(on: bool) {
    PROPAGATE_PANICS.store(on, std::sync::atomic::Ordering::Relaxed);
}

/// Runs `f`, turning a panic into `Err(message)` and keeping it off the terminal.
pub fn catch_quietly<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    if PROPAGATE_PANICS.load(std::sync::atomic::Ordering::Relaxed) {
        return Ok(f());
    }
    let was = QUIET_PANICS.with(|q| q.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET_PANICS.with(|q| q.set(was));
    result.map_err(|panic| {
        panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A parser with a bug, to prove that a panic stays a finding for one file.
    struct Panicking;
    impl Extractor for Panicking {
        fn name(&self) -> &'static str {
            "panicking"
        }
        fn formats(&self) -> &'static [Format] {
            &[]
        }
        fn extract(
            &self,
            input: &Input,
            _: &Limits,
            _: &mut Vec<Problem>,
        ) -> Result<Facts, Problem> {
            let bytes = input.read_all(1024)?;
            // Indexing on file-derived data: exactly what hostile input exploits.
            let n = bytes[100] as usize;
            Ok(Facts {
                pages: Some(n as u32),
                ..Facts::default()
            })
        }
    }

    #[test]
    fn a_panicking_extractor_becomes_extract_panic() {
        let input = Input::from_bytes(b"short".to_vec(), "bad.bin");
        let mut warnings = Vec::new();
        match run_extractor(&Panicking, &input, &Limits::default(), &mut warnings) {
            Extraction::Unreadable(p) => {
                assert_eq!(p.code, "extract.panic");
                assert!(p.message.contains("panicking"), "{}", p.message);
                assert!(p.message.contains("另存"), "{}", p.message);
            }
            other => panic!("{other:?}"),
        }
    }
}
