//! Extraction: one extractor per format family behind one trait, and the isolation around it.
//!
//! Each extractor turns one file into [`Facts`] (text by part, pages/slides, duration, metadata).
//! Counting and label search happen after, in one place, so every format is counted the same
//! way. A file is hostile until read: each extraction runs under `catch_unwind`, so a panic in a
//! parser becomes an `extract.panic` problem for that file and the run goes on.
//!
//! The registry (`EXTRACTORS`) is the single list of what yanshou can read.

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
pub mod ole;
pub mod ooxml;
pub mod pdf;
pub mod pptx;
pub mod rm;
pub mod text;

use std::io::{Cursor, Read, Seek};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Arc;

use crate::facts::{Facts, Format, Problem};

/// Limits that protect a run from hostile files.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest decompressed size of one XML part inside a package.
    pub max_xml_bytes: u64,
    /// Largest file read whole into memory (documents; videos are never read whole).
    pub max_document_bytes: u64,
    /// Largest number of pixels an image may claim before it is decoded.
    pub max_image_pixels: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_xml_bytes: 256 << 20,
            max_document_bytes: 512 << 20,
            max_image_pixels: 200_000_000,
        }
    }
}

/// Where a file's bytes come from: a file on disk (opened read-only) or an archive entry held
/// in memory.
#[derive(Debug, Clone)]
pub enum Origin {
    Disk(PathBuf),
    Memory(Arc<Vec<u8>>),
}

/// One file to read.
#[derive(Debug, Clone)]
pub struct Input {
    /// Path shown to the user, relative to the submission root, `/`-separated.
    pub display: String,
    pub origin: Origin,
    pub size: u64,
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
        })
    }

    pub fn from_bytes(bytes: Vec<u8>, display: impl Into<String>) -> Self {
        Input {
            display: display.into(),
            size: bytes.len() as u64,
            origin: Origin::Memory(Arc::new(bytes)),
        }
    }

    /// Opens the bytes for reading. Disk files are opened read-only.
    pub fn open(&self) -> std::io::Result<Box<dyn ReadSeek>> {
        match &self.origin {
            Origin::Disk(path) => Ok(Box::new(std::io::BufReader::new(std::fs::File::open(
                path,
            )?))),
            Origin::Memory(bytes) => Ok(Box::new(Cursor::new(SharedBytes(bytes.clone())))),
        }
    }

    /// Reads the whole file, refusing files larger than `limit`.
    pub fn read_all(&self, limit: u64) -> Result<Vec<u8>, Problem> {
        if self.size > limit {
            return Err(Problem::new(
                "limit.file_size",
                format!(
                    "文件过大（{} 字节，上限 {} 字节），未读取",
                    self.size, limit
                ),
            ));
        }
        match &self.origin {
            Origin::Memory(bytes) => Ok(bytes.as_ref().clone()),
            Origin::Disk(path) => std::fs::read(path).map_err(io_problem),
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
    Problem::new("unreadable.io", format!("无法读取文件：{e}"))
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
    &docx::DocxExtractor,
    &pptx::PptxExtractor,
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
    QUIET_PANICS.with(|q| q.set(true));
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut local = Vec::new();
        let r = extractor.extract(input, limits, &mut local);
        (r, local)
    }));
    QUIET_PANICS.with(|q| q.set(false));
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
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Extraction::Unreadable(Problem::new(
                "extract.panic",
                format!("{} 解析器内部错误，文件未能读取：{what}", extractor.name()),
            ))
        }
    }
}
