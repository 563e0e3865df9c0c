//! Corpus text benchmark: yanshou's extraction against pdftotext on every PDF and DOCX in
//! `../shared/corpus`.
//!
//! Why a table and not criterion: the question is "how does our text layer compare with the
//! reference tool, file by file" — time *and* the Han count and Word 字数 it produces — so each
//! row shows both tools side by side. Times are the best of several runs (in-process for us,
//! a `pdftotext -q -enc UTF-8 F -` subprocess for pdftotext, so pdftotext pays process start).
//! DOCX rows show ours only; an extractor that is not there yet prints "n/a".
//!
//! Run: `cargo bench --bench corpus_text` (release). Skips with a note without the corpus.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use yanshou::count::count;
use yanshou::extract::{Extraction, Input, Limits, extract};
use yanshou::facts::{Format, PartKind};

const RUNS: usize = 5;

struct Ours {
    ms: f64,
    han: Option<u64>,
    words: Option<u64>,
    note: String,
}

fn ours(path: &Path, display: &str) -> Ours {
    let limits = Limits::default();
    let mut best = f64::MAX;
    let mut result = (None, None, String::new());
    for _ in 0..RUNS {
        let start = Instant::now();
        let Ok(input) = Input::from_path(path, display) else {
            return Ours {
                ms: 0.0,
                han: None,
                words: None,
                note: "open failed".into(),
            };
        };
        let format = input
            .open()
            .and_then(|mut r| yanshou::identify::identify(&mut r))
            .unwrap_or(Format::Unknown);
        let mut warnings = Vec::new();
        let extraction = extract(&input, format, &limits, &mut warnings);
        best = best.min(start.elapsed().as_secs_f64() * 1000.0);
        result = match extraction {
            Extraction::Read(facts) => {
                let all = facts
                    .parts
                    .iter()
                    .filter(|p| p.kind != PartKind::Metadata)
                    .fold(yanshou::count::Counts::default(), |mut acc, p| {
                        acc.add(&p.counts);
                        acc
                    });
                let notes: Vec<String> = warnings.iter().map(|w| w.code.clone()).collect();
                (Some(all.han), Some(all.words), notes.join(","))
            }
            Extraction::Unreadable(p) => (None, None, p.code),
            Extraction::Unsupported => (None, None, format!("unsupported {}", format.name())),
        };
    }
    Ours {
        ms: best,
        han: result.0,
        words: result.1,
        note: result.2,
    }
}

/// pdftotext's time (best of RUNS), Han and words; None if it is not installed.
fn pdftotext(path: &Path) -> Option<(f64, u64, u64)> {
    let mut best = f64::MAX;
    let mut text = String::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        let out = Command::new("pdftotext")
            .args(["-q", "-enc", "UTF-8"])
            .arg(path)
            .arg("-")
            .output()
            .ok()?;
        best = best.min(start.elapsed().as_secs_f64() * 1000.0);
        text = String::from_utf8_lossy(&out.stdout).into_owned();
    }
    let c = count(&text);
    Some((best, c.han, c.words))
}

fn files(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            let ext = p
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            ext == "pdf" || ext == "docx"
        })
        .collect();
    out.sort();
    out
}

fn opt(v: Option<u64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "n/a".into())
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !root.is_dir() {
        println!("corpus_text: ../shared/corpus not found, nothing to measure (skipped)");
        return;
    }
    println!(
        "{:<42} {:>9} {:>9} {:>6} {:>8} {:>8} {:>8} {:>8}  note",
        "file", "our ms", "ptt ms", "ratio", "our Han", "ptt Han", "our wds", "ptt wds"
    );
    let (mut our_total, mut ptt_total, mut our_pdf_total) = (0.0, 0.0, 0.0);
    let (mut n_pdf, mut n_docx) = (0, 0);
    for path in files(&root) {
        let display = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned();
        let is_pdf = display.to_ascii_lowercase().ends_with(".pdf");
        let o = ours(&path, &display);
        our_total += o.ms;
        let (ptt_ms, ratio, ptt_han, ptt_words) = if is_pdf {
            n_pdf += 1;
            our_pdf_total += o.ms;
            match pdftotext(&path) {
                Some((ms, han, words)) => {
                    ptt_total += ms;
                    (
                        format!("{ms:.2}"),
                        format!("{:.2}", o.ms / ms),
                        han.to_string(),
                        words.to_string(),
                    )
                }
                None => ("n/a".into(), "n/a".into(), "n/a".into(), "n/a".into()),
            }
        } else {
            n_docx += 1;
            ("n/a".into(), "n/a".into(), "n/a".into(), "n/a".into())
        };
        println!(
            "{:<42} {:>9.2} {:>9} {:>6} {:>8} {:>8} {:>8} {:>8}  {}",
            display,
            o.ms,
            ptt_ms,
            ratio,
            opt(o.han),
            ptt_han,
            opt(o.words),
            ptt_words,
            o.note
        );
    }
    println!(
        "total: {n_pdf} PDF + {n_docx} DOCX; ours {our_total:.1} ms (PDF {our_pdf_total:.1} ms), \
         pdftotext {ptt_total:.1} ms, PDF ratio {:.2} (best of {RUNS} runs each)",
        if ptt_total > 0.0 {
            our_pdf_total / ptt_total
        } else {
            f64::NAN
        }
    );
}
