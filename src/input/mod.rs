//! What is read, and within which bounds: one file to read ([`Input`]: a path on disk, bytes,
//! or an archive entry read lazily through a [`Source`]) and the [`Limits`] that protect a run
//! from hostile files.
//!
//! Why its own module at the bottom of the reading core: the walker makes inputs, the
//! extractors, OCR and the worker processes read them, and the archive code makes sources of
//! entries; none of them should reach into another for these words.

pub(crate) mod engine;
pub mod source;

use std::io::{Cursor, Read, Seek};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use engine::Ocr;
pub use source::{RatioLimit, Source};

use crate::facts::Problem;

/// Default deepest XML nesting: real documents stay under ~50 levels.
pub const DEFAULT_MAX_XML_DEPTH: usize = 512;

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
    /// The OCR engine for scanned pages and photos, as data (which program, its bounds; see
    /// [`Ocr`]); running it is [`crate::ocr`]'s. `None`: no OCR. It travels with the limits
    /// because it bounds the same thing — what reading one file may do and cost — and the facts
    /// cache and the worker processes receive both together.
    pub ocr: Option<Arc<Ocr>>,
    /// Compute the fingerprints the audit's cross-submission pass compares (a photo's
    /// perceptual hash and preview, a recording's sample sketch; see
    /// [`crate::extract::prints`]). Set by `yanshou audit`; not a limit either, and the facts
    /// cache keys on it.
    #[serde(default)]
    pub prints: bool,
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
            prints: false,
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
