//! Every file of the shared real-document corpus goes through `read_file` without a panic and
//! ends as facts or a specific problem; the broken and encrypted files listed in the corpus
//! README get the finding they deserve. Skips with a note where `../shared` is absent.

use std::path::{Path, PathBuf};

use yanshou::extract::{Input, Limits};
use yanshou::pipeline::read_file;
use yanshou::report::model::{FileRecord, FileStatus};

mod skip;

fn corpus() -> Option<PathBuf> {
    skip::corpus("corpus (pipeline over ../shared/corpus)")
}

fn read(dir: &Path, rel: &str) -> FileRecord {
    let input = Input::from_path(dir.join(rel), rel).unwrap();
    let labels = vec!["自治区科协2025年度学会重点资助项目".to_string()];
    read_file(&input, &labels, 2, &Limits::default())
}

fn all_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if rel != "MANIFEST.tsv" && rel != "README.md" {
                out.push(rel);
            }
        }
    }
    out
}

#[test]
fn every_corpus_file_is_read_or_explained() {
    let Some(dir) = corpus() else { return };
    let files = all_files(&dir);
    assert!(files.len() >= 60, "corpus has {} files", files.len());
    for rel in files {
        let r = read(&dir, &rel);
        let codes: Vec<&str> = r.problems.iter().map(|p| p.code.as_str()).collect();
        eprintln!(
            "{rel:55} {:10} {:11} {codes:?}",
            r.format.name(),
            format!("{:?}", r.status)
        );
        assert!(
            !codes.contains(&"extract.panic"),
            "{rel}: an extractor panicked: {:?}",
            r.problems
        );
        if r.status != FileStatus::Read {
            assert!(
                !r.problems.is_empty(),
                "{rel}: not read, and no problem says why"
            );
        }
        for p in &r.problems {
            assert!(
                !p.code.is_empty() && !p.message.is_empty(),
                "{rel}: empty problem"
            );
        }
    }
}

#[test]
fn broken_and_encrypted_files_get_specific_findings() {
    let Some(dir) = corpus() else { return };
    // (file, expected status, a problem code that must be present — by prefix)
    let table: &[(&str, FileStatus, &str)] = &[
        (
            "docx/testWORD_protected_passtika.docx",
            FileStatus::Unreadable,
            "unreadable.encrypted",
        ),
        (
            "docx/testWORD_truncated.docx",
            FileStatus::Unreadable,
            "unreadable.",
        ),
        (
            "doc/password_password_cryptoapi.doc",
            FileStatus::Unreadable,
            "unreadable.encrypted",
        ),
        (
            "pdf/libreoffice-writer-password.pdf",
            FileStatus::Unreadable,
            "unreadable.encrypted",
        ),
        ("pdf/bug1020226.pdf", FileStatus::Unreadable, "unreadable."),
        (
            "video/invalid_userdata.mp4",
            FileStatus::Unreadable,
            "unreadable.truncated",
        ),
        (
            "video/sample_qt.mp4",
            FileStatus::Unreadable,
            "unreadable.truncated",
        ),
        ("image/xcsn0g01.png", FileStatus::Read, "image.corrupt"),
        (
            "odt/testODTnotaZipFile.odt",
            FileStatus::Read,
            "format.mismatch",
        ),
        (
            "odt/testODTEncrypted.odt",
            FileStatus::Unreadable,
            "unreadable.encrypted",
        ),
        (
            "wps/testWORKS.wps",
            FileStatus::Unsupported,
            "unsupported.works_wps",
        ),
    ];
    for (rel, status, code) in table {
        let r = read(&dir, rel);
        assert_eq!(r.status, *status, "{rel}: {:?}", r.problems);
        assert!(
            r.problems.iter().any(|p| p.code.starts_with(code)),
            "{rel}: expected a {code} finding, got {:?}",
            r.problems
        );
    }
    // Owner-password-only PDF opens with the empty user password.
    let r = read(&dir, "pdf/secHandler.pdf");
    assert_eq!(r.status, FileStatus::Read, "{:?}", r.problems);
}
