//! Skipping a test so that people see it (issue #14).
//!
//! libtest captures `eprintln!` inside a passing test, so a note printed that way is hidden and
//! a skipped test reads "ok". A skip here writes one line straight to the process's stderr
//! (`io::stderr()` is not captured; only the print macros are): `SKIPPED <test>: <why>` appears
//! in the `cargo test` output between the result lines. Under `CI` (set by `.ci/run`) a skip is
//! a failure instead: CI can never pass without running what it skipped.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

/// True when running under CI, where nothing may be skipped.
pub fn ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// Skips `test` because of `why`: a visible line, or a failure under CI.
pub fn skip(test: &str, why: &str) {
    if ci() {
        panic!("{test}: {why}. CI is set, so this test must run, not skip (.ci/run sets it up).");
    }
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "SKIPPED {test}: {why}");
}

/// `../shared/corpus` when it is there; else the test is skipped (a user's clone) — or fails
/// under CI.
pub fn corpus(test: &str) -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if root.join("MANIFEST.tsv").is_file() {
        Some(root)
    } else {
        skip(test, "../shared/corpus is absent (a user's clone)");
        None
    }
}
