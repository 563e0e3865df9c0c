//! yanshou (验收): checks a funded project's closeout materials against its programme guide.
//!
//! One pipeline, one module per stage, connected only in [`pipeline`]:
//! **walk** (folders and archives as one list of inputs) → **identify** (format by content) →
//! **extract** (one extractor per format family, returning [`facts::Facts`]; counting
//! in [`count`], labels in [`label`]) → **classify** (which file plays which role) →
//! **evaluate** (the category's rules, data in `checks/<ID>.toml`, loaded by [`rules`]) →
//! **render** (a finished [`report::model::Report`] to terminal, JSON, Markdown, HTML, DOCX).
//! Optional OCR ([`ocr`], Tesseract as a subprocess) adds estimates for scans and photos after
//! extraction. Each file is read in [`isolate`]: a worker process with a deadline and a memory
//! ceiling, at most `jobs` at once. [`audit`] runs the pipeline over every submission of a year, with a facts
//! [`cache`]; [`serve`] puts the same check behind a local web page.

pub mod audit;
pub mod cache;
pub mod classify;
pub mod cli;
pub mod codes;
pub mod count;
pub mod eval;
pub mod experts;
pub mod extract;
pub mod facts;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod identify;
pub mod isolate;
pub mod label;
pub mod link;
pub mod msg;
pub mod ocr;
pub mod os_error;
pub mod pipeline;
pub mod report;
pub mod rules;
pub mod serve;
pub mod walk;
