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

pub(crate) mod archive;
pub mod asf;
pub mod avi;
pub(crate) mod bmff;
pub(crate) mod docx;
pub mod flv;
pub mod image;
pub mod media;
pub mod mkv;
pub mod mp4;
pub(crate) mod mpegps;
pub(crate) mod mpegts;
pub(crate) mod odf;
pub(crate) mod ofd;
pub mod ole;
pub(crate) mod ooxml;
pub(crate) mod pdf;
pub(crate) mod pptx;
pub(crate) mod prints;
pub(crate) mod rm;
pub mod table;
pub mod text;
pub(crate) mod xlsx;

use std::panic::{AssertUnwindSafe, catch_unwind};

// Inputs and limits are below every reader ([`crate::input`]); their old paths stay valid.
pub use crate::input::{
    DEFAULT_MAX_XML_DEPTH, Input, Limits, Origin, RatioLimit, ReadSeek, SharedBytes, Source,
    io_problem, source,
};

use crate::facts::{Facts, Format, Problem};

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
    match run_extractor(extractor, input, limits, warnings) {
        Extraction::Read(mut facts) if limits.prints => {
            // A decoder's panic costs the fingerprint, never the facts already read.
            facts.prints = catch_quietly(|| prints::compute(input, format, limits))
                .ok()
                .flatten();
            Extraction::Read(facts)
        }
        other => other,
    }
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
