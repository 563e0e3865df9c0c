//! Helpers shared by the extractor tests (`mod common;` in each test crate): where the
//! shared corpus and the fixtures are, their TSV reference files, and reading one file
//! through the extractor dispatcher.
//!
//! Each test binary compiles this module on its own and uses part of it, hence the
//! `dead_code` allowance.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use yanshou::count::Counts;
use yanshou::extract::{Extraction, Input, Limits, extract};
use yanshou::facts::{Facts, Format, PartKind};

pub const LABEL: &str = "自治区科协2025年度学会重点资助项目";

/// A TSV row: column name → cell.
pub type Row = HashMap<String, String>;

#[path = "../skip/mod.rs"]
pub mod skip;

/// `../shared/corpus` when it is there (CI); `None` in a user's clone, with a visible
/// `SKIPPED` line naming what is skipped (a failure under CI).
pub fn corpus(skipped: &str) -> Option<PathBuf> {
    skip::corpus(skipped)
}

/// `fixtures/<area>`.
pub fn fixtures(area: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(area)
}

/// The rows of a TSV file with a header line.
pub fn tsv(path: &Path) -> Vec<Row> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            header
                .iter()
                .zip(l.split('\t'))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// The rows of a TSV file by the value of one column.
pub fn tsv_by(path: &Path, key: &str) -> HashMap<String, Row> {
    tsv(path)
        .into_iter()
        .map(|row| (row[key].clone(), row))
        .collect()
}

/// MANIFEST.tsv of the corpus.
pub fn manifest(root: &Path) -> Vec<Row> {
    tsv(&root.join("MANIFEST.tsv"))
}

/// A fixture area's reference.tsv by file name.
pub fn reference(area: &str) -> HashMap<String, Row> {
    tsv_by(&fixtures(area).join("reference.tsv"), "file")
}

/// A number cell, if it holds one.
pub fn num(row: &Row, col: &str) -> Option<u64> {
    row.get(col).and_then(|v| v.trim().parse().ok())
}

/// A number cell that must be there (reference files).
pub fn need(row: &Row, col: &str) -> u64 {
    num(row, col).unwrap_or_else(|| panic!("reference column {col}"))
}

/// `key=123` inside the notes column.
pub fn note_num(row: &Row, key: &str) -> Option<u64> {
    let notes = row.get("notes")?;
    let at = notes.find(key)? + key.len();
    let digits: String = notes
        .get(at..)?
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

/// Runs the extractor for `format` on `dir/path`, printing its warnings.
pub fn extract_logged(dir: &Path, path: &str, format: Format) -> Extraction {
    let input = Input::from_path(dir.join(path), path).expect("test file");
    let mut warnings = Vec::new();
    let r = extract(&input, format, &Limits::default(), &mut warnings);
    for w in &warnings {
        println!("  warning {path}: {} {}", w.code, w.message);
    }
    r
}

/// Reads a fixture that must read cleanly: no warnings, not unreadable.
pub fn read_clean(dir: &Path, file: &str, format: Format) -> Facts {
    let input = Input::from_path(dir.join(file), file).expect("fixture");
    let mut warnings = Vec::new();
    match extract(&input, format, &Limits::default(), &mut warnings) {
        Extraction::Read(f) => {
            assert!(warnings.is_empty(), "{file}: {warnings:?}");
            f
        }
        other => panic!("{file}: {other:?}"),
    }
}

/// Han characters in the parts of one kind.
pub fn part_han(facts: &Facts, kind: PartKind) -> u64 {
    facts
        .parts
        .iter()
        .filter(|p| p.kind == kind)
        .map(|p| p.counts.han)
        .sum()
}

/// The first part of one kind: its text and counts (empty when there is none).
pub fn part(facts: &Facts, kind: PartKind) -> (String, Counts) {
    facts
        .parts
        .iter()
        .find(|p| p.kind == kind)
        .map(|p| (p.text.clone(), p.counts))
        .unwrap_or_default()
}
