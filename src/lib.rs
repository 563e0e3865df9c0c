//! yanshou (验收): checks a funded project's closeout materials against its programme guide.
//!
//! One pipeline, one module per stage, connected only in [`pipeline`]:
//! **walk** (folders and archives as one list of inputs) → **identify** (format by content) →
//! **extract** (one extractor per format family, returning [`facts::Facts`]; counting
//! in [`count`], labels in [`label`]) → **classify** (which file plays which role) →
//! **evaluate** (the category's rules, data in `checks/<ID>.toml`, loaded by [`rules`]) →
//! **render** (a finished [`model::Report`] to terminal, JSON, Markdown, HTML, DOCX).
//! Optional OCR ([`ocr`], Tesseract as a subprocess) adds estimates for scans and photos after
//! extraction. Each file is read in [`isolate`]: a worker process with a deadline and a memory
//! ceiling, at most `jobs` at once. [`audit`] runs the pipeline over every submission of a year, with a facts
//! [`cache`], and its [`cross`] pass compares the submissions with each other (reuse, dates and
//! names that do not fit); [`serve`] puts the same check behind a local web page.

#![warn(unreachable_pub)]

pub mod audit;
pub(crate) mod cache;
pub(crate) mod classify;
pub mod cli;
pub mod codes;
pub(crate) mod container;
pub mod count;
pub(crate) mod cross;
pub mod eval;
pub mod experts;
pub mod extract;
pub mod facts;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod identify;
pub mod input;
pub mod isolate;
pub mod label;
pub(crate) mod lang;
pub(crate) mod link;
pub mod model;
pub(crate) mod msg;
pub mod names;
pub mod ocr;
pub(crate) mod os_error;
pub mod pipeline;
pub mod report;
pub mod rules;
pub mod serve;
pub(crate) mod units;
pub(crate) mod walk;
