//! PDF extraction on the project's own fixtures (fixtures/pdf, made by fixtures/pdf/make.sh
//! with LibreOffice and qpdf), against the pdfinfo/pdftotext facts in reference.tsv.

use std::collections::HashMap;
use std::path::PathBuf;

use yanshou::extract::{Extraction, Input, Limits, extract};
use yanshou::facts::{Facts, Format, LabelMatch, PartKind, Problem};

mod common;
use common::LABEL;

fn dir() -> PathBuf {
    common::fixtures("pdf")
}

struct Ref {
    pages: u32,
    han: Option<u64>,
    body_han: Option<u64>,
}

fn reference() -> HashMap<String, Ref> {
    let text = std::fs::read_to_string(dir().join("reference.tsv")).expect("reference.tsv");
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Some((
                f.first()?.to_string(),
                Ref {
                    pages: f.get(1)?.parse().ok()?,
                    han: f.get(2).and_then(|v| v.parse().ok()),
                    body_han: f.get(3).and_then(|v| v.parse().ok()),
                },
            ))
        })
        .collect()
}

fn run(name: &str) -> (Result<Facts, Problem>, Vec<Problem>) {
    let input = Input::from_path(dir().join(name), name).expect("open fixture");
    let mut warnings = Vec::new();
    let r = match extract(&input, Format::Pdf, &Limits::default(), &mut warnings) {
        Extraction::Read(f) => Ok(f),
        Extraction::Unreadable(p) => Err(p),
        Extraction::Unsupported => panic!("pdf unsupported"),
    };
    (r, warnings)
}

fn han(facts: &Facts, kind: Option<PartKind>) -> u64 {
    facts
        .parts
        .iter()
        .filter(|p| p.kind != PartKind::Metadata && kind.is_none_or(|k| p.kind == k))
        .map(|p| p.counts.han)
        .sum()
}

fn part(facts: &Facts, kind: PartKind) -> String {
    facts
        .parts
        .iter()
        .filter(|p| p.kind == kind)
        .map(|p| p.text.clone())
        .collect()
}

#[test]
fn fixtures_match_reference() {
    let refs = reference();
    // (file, scanned pages, pages whose running header/footer we expect)
    let cases: &[(&str, &[u32], u32)] = &[
        ("report.pdf", &[], 6),
        ("owner-only-aes256.pdf", &[], 6),
        ("mixed.pdf", &[4], 3),
        ("scanned.pdf", &[1], 0),
    ];
    for (name, scanned, running_pages) in cases {
        let r = refs
            .get(*name)
            .unwrap_or_else(|| panic!("{name} not in reference.tsv"));
        let (facts, warnings) = run(name);
        let facts = facts.unwrap_or_else(|p| panic!("{name}: {p:?}"));
        assert_eq!(facts.pages, Some(r.pages), "{name} pages");
        let total = han(&facts, None);
        let want = r.han.expect("han");
        assert!(
            total.abs_diff(want) * 100 <= want,
            "{name}: Han {total}, pdftotext {want}"
        );
        let body = han(&facts, Some(PartKind::Body));
        let want_body = r.body_han.expect("body han");
        assert!(
            body.abs_diff(want_body) * 100 <= want_body,
            "{name}: body Han {body}, want {want_body}"
        );
        assert_eq!(facts.scanned_pages, *scanned, "{name}");
        let codes: Vec<&str> = warnings.iter().map(|w| w.code.as_str()).collect();
        assert_eq!(
            codes.contains(&"scanned.pages"),
            !scanned.is_empty(),
            "{name}: {codes:?}"
        );
        assert!(!codes.contains(&"text.undecodable"), "{name}");

        // Running header (label) and "第 N 页" footer on every text page, none in the body.
        let hf = part(&facts, PartKind::HeadersFooters);
        let hf_norm = yanshou::label::normalize(&hf);
        assert_eq!(
            hf_norm.matches(LABEL).count() as u32,
            *running_pages,
            "{name}: {hf}"
        );
        for p in 1..=*running_pages {
            assert!(
                hf_norm.contains(&format!("第{p}页")),
                "{name}: page {p} footer in {hf}"
            );
        }
        let body_text = yanshou::label::normalize(&part(&facts, PartKind::Body));
        assert!(!body_text.contains(LABEL), "{name}: label leaked into body");
        if *running_pages > 0 {
            let hits = yanshou::label::find_labels(&facts, &[LABEL.to_string()], 2);
            assert!(
                hits.iter()
                    .any(|h| h.location == PartKind::HeadersFooters
                        && h.matched == LabelMatch::Exact),
                "{name}: {hits:?}"
            );
        }
    }
}

#[test]
fn fixture_metadata_and_title() {
    let (facts, _) = run("report.pdf");
    let facts = facts.expect("report.pdf");
    assert_eq!(facts.title.as_deref(), Some("学会年度工作总结报告"));
    // mixed.pdf has no Info title (qpdf --empty): the title comes from the display type.
    let (mixed, _) = run("mixed.pdf");
    let mixed = mixed.expect("mixed.pdf");
    assert!(mixed.metadata.iter().all(|m| m.name != "Title"));
    assert_eq!(mixed.title.as_deref(), Some("学会年度工作总结报告"));
    let meta: HashMap<&str, &str> = facts
        .metadata
        .iter()
        .map(|m| (m.name.as_str(), m.value.as_str()))
        .collect();
    assert_eq!(meta.get("Keywords"), Some(&LABEL));
    assert_eq!(meta.get("Producer"), Some(&"LibreOffice 7.4"));
    // Word spacing: the Latin words come out whole.
    let body = part(&facts, PartKind::Body);
    for w in ["Rust 2025", "open-source", "ISO 9001", "e-mail"] {
        assert!(body.contains(w), "{w} not in body");
    }
}

#[test]
fn fixture_encrypted_with_user_password_is_unreadable() {
    let (r, _) = run("encrypted-aes256.pdf");
    let p = r.expect_err("must not open without password");
    assert_eq!(p.code, "unreadable.encrypted");
    assert_eq!(p.message, "PDF 已加密（需要打开密码），请提供未加密版本");
}

#[test]
fn hostile_bytes_never_panic() {
    // Truncations and bit flips of a real fixture: always Read or a specific problem.
    let bytes = std::fs::read(dir().join("report.pdf")).expect("report.pdf");
    let mut inputs: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"%PDF-1.7\n".to_vec(),
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF".to_vec(),
    ];
    for cut in [
        100,
        1000,
        bytes.len() / 3,
        bytes.len() / 2,
        bytes.len() - 10,
    ] {
        inputs.push(bytes[..cut.min(bytes.len())].to_vec());
    }
    for seed in 0..8u64 {
        let mut b = bytes.clone();
        let mut x = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        for _ in 0..50 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let i = (x >> 33) as usize % b.len();
            b[i] = (x >> 17) as u8;
        }
        inputs.push(b);
    }
    for (i, data) in inputs.into_iter().enumerate() {
        let input = Input::from_bytes(data, format!("hostile-{i}.pdf"));
        let mut warnings = Vec::new();
        match extract(&input, Format::Pdf, &Limits::default(), &mut warnings) {
            Extraction::Read(_) => {}
            Extraction::Unreadable(p) => {
                assert!(p.code.starts_with("unreadable."), "case {i}: {p:?}");
                assert!(!p.message.is_empty());
            }
            Extraction::Unsupported => panic!("case {i}: unsupported"),
        }
    }
}

#[test]
fn truncated_file_is_read_with_a_warning() {
    let mut bytes = std::fs::read(dir().join("report.pdf")).expect("report.pdf");
    bytes.truncate(bytes.len() - 200); // the xref table and trailer
    let input = Input::from_bytes(bytes, "truncated.pdf");
    let mut warnings = Vec::new();
    match extract(&input, Format::Pdf, &Limits::default(), &mut warnings) {
        Extraction::Read(f) => assert_eq!(f.pages, Some(6)),
        other => panic!("{other:?}"),
    }
    assert!(
        warnings.iter().any(|w| w.code == "pdf.repaired"),
        "{warnings:?}"
    );
}

#[test]
fn document_size_limit_is_enforced() {
    let input = Input::from_path(dir().join("report.pdf"), "report.pdf").expect("open");
    let limits = Limits {
        max_document_bytes: 1000,
        ..Limits::default()
    };
    let mut warnings = Vec::new();
    match extract(&input, Format::Pdf, &limits, &mut warnings) {
        Extraction::Unreadable(p) => assert_eq!(p.code, "limit.file_size"),
        other => panic!("{other:?}"),
    }
}
