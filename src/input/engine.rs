//! The OCR engine as data: which tesseract, which version and languages, and the bounds of its
//! use. It travels with the [`Limits`](super::Limits) into the facts cache key and the worker
//! processes; finding, probing and running it is [`crate::ocr`]'s (its `impl Ocr`).

use std::path::PathBuf;
use std::time::Duration;

/// A tesseract program found and checked, with the bounds of its use.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Ocr {
    pub program: PathBuf,
    /// First line of `tesseract --version` ("tesseract 5.3.0").
    pub version: String,
    pub lang: String,
    /// Deadline for one image.
    pub image_timeout: Duration,
    /// Time all the images of one file may take together.
    pub file_budget: Duration,
    /// Most images recognised per file.
    pub max_images: usize,
    /// Images larger than this are downscaled before recognition.
    pub max_pixels: u64,
    /// ffmpeg, when installed: frames of recordings are sampled and recognised
    /// ([`frames`]); without it recordings are not.
    pub ffmpeg: Option<PathBuf>,
}
