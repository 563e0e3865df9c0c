//! Legacy Office (.doc, .ppt, .wps) against the real-document corpus (`../shared/corpus`):
//! prints a table of our Han counts beside MANIFEST's references, and asserts each one with
//! the gap explained. Skips, with a note, where the corpus is absent.
//!
//! What the references are and why ours equal them:
//! - doc: `han_count` is LibreOffice's txt export, which has body and tables but no headers or
//!   footers; our counted Han (body + tables + notes + text boxes) equals it (the corpus .doc
//!   files have no Chinese notes or text boxes). The notes give catdoc's count, which includes
//!   headers and footers: 61490.doc 163 = our 150 + 13 in 页眉左/页眉中/页眉右/页脚内容.
//!   TestChineseProperties.doc: catdoc's 38 is lower than the 68 of both LibreOffice and us
//!   (catdoc does not decode part of its text); we match LibreOffice.
//! - ppt: `han_count` is `catppt`, which prints neither slide placeholders' prompts nor master
//!   text, but does print the design (main master) names and every header/footer string.
//!   Both corpus decks have no Chinese on their slides; their Han are in the design names
//!   (bug46441: 默认设计模板 + 自定义设计方案 = 13; testWPSAttachment: Office 主题 = 2), which we
//!   keep as `design` metadata, and bug46441's date/footer strings (2222, 123) have their
//!   show flags off, so they are not footers a reader sees. Our slide Han is 0 on both; the
//!   like-for-like comparison (design names + shown footers) is exact.

use std::collections::HashMap;
use std::path::Path;

use yanshou::count::count;
use yanshou::extract::{Extraction, Input, Limits, extract};
use yanshou::facts::{Format, PartKind};

mod common;
use common::{Row, corpus, part_han as han, tsv_by};

fn manifest(root: &Path) -> HashMap<String, Row> {
    tsv_by(&root.join("MANIFEST.tsv"), "path")
}

fn run(root: &Path, path: &str) -> Extraction {
    let input = Input::from_path(root.join(path), path).expect("corpus file");
    let mut warnings = Vec::new();
    let r = extract(&input, Format::Ole, &Limits::default(), &mut warnings);
    assert!(warnings.is_empty(), "{path}: {warnings:?}");
    r
}

#[test]
fn legacy_han_against_manifest() {
    let Some(root) = corpus("legacy corpus tests") else {
        return;
    };
    let rows = manifest(&root);
    // (path, what we compare with the reference)
    #[derive(Clone, Copy)]
    enum Basis {
        /// Counted Han (body, tables, notes, text boxes).
        Counted,
        /// Design names + shown footers + slides (what catppt prints, less placeholder prompts).
        Catppt,
    }
    let cases = [
        ("doc/61490.doc", Basis::Counted),
        ("doc/TestChineseProperties.doc", Basis::Counted),
        ("ppt/bug46441.ppt", Basis::Catppt),
        ("ppt/testWPSAttachment.ppt", Basis::Catppt),
    ];
    println!(
        "{:<32} {:>5} {:>7} {:>6} {:>6} {:>7} {:>6}",
        "file", "ref", "counted", "hdr", "slides", "masters", "design"
    );
    for (path, basis) in cases {
        let row = &rows[path];
        let reference: u64 = row["han_count"].parse().expect("han_count");
        let Extraction::Read(facts) = run(&root, path) else {
            panic!("{path}: not read")
        };
        let design: u64 = facts
            .metadata
            .iter()
            .filter(|m| m.name == "design")
            .map(|m| count(&m.value).han)
            .sum();
        let hf = han(&facts, PartKind::HeadersFooters);
        println!(
            "{:<32} {:>5} {:>7} {:>6} {:>6} {:>7} {:>6}",
            path,
            reference,
            facts.counts.han,
            hf,
            han(&facts, PartKind::Slides),
            han(&facts, PartKind::Masters),
            design
        );
        let ours = match basis {
            Basis::Counted => facts.counts.han,
            Basis::Catppt => han(&facts, PartKind::Slides) + hf + design,
        };
        assert!(
            ours.abs_diff(reference) * 100 <= reference,
            "{path}: {ours} vs {reference}"
        );
    }

    // catdoc includes headers and footers.
    let Extraction::Read(f) = run(&root, "doc/61490.doc") else {
        panic!("61490")
    };
    assert_eq!(f.counts.han + han(&f, PartKind::HeadersFooters), 163);
    let hf: String = f
        .parts
        .iter()
        .filter(|p| p.kind == PartKind::HeadersFooters)
        .map(|p| p.text.clone())
        .collect();
    for t in ["页眉左", "页眉中", "页眉右", "页脚内容"] {
        assert!(hf.contains(t), "{t} in {hf:?}");
    }
    assert_eq!(f.pages, Some(1));
    let rec = f.recorded.expect("SummaryInformation");
    assert_eq!(
        (rec.words, rec.characters),
        (Some(38), Some(220)),
        "PIDSI_WORDCOUNT / PIDSI_CHARCOUNT as MANIFEST app_words / app_characters"
    );
    assert_eq!(rec.application.as_deref(), Some("Microsoft Office Word"));
}

#[test]
fn legacy_properties_and_slides() {
    let Some(root) = corpus("legacy corpus tests") else {
        return;
    };
    let rows = manifest(&root);
    // SummaryInformation in UTF-8 (code page -535) with Chinese title and author.
    let Extraction::Read(f) = run(&root, "doc/TestChineseProperties.doc") else {
        panic!("TestChineseProperties")
    };
    assert_eq!(f.title.as_deref(), Some("參考資料"));
    assert!(
        f.metadata
            .iter()
            .any(|m| m.name == "creator" && m.value == "雅虎")
    );
    for path in ["ppt/bug46441.ppt", "ppt/testWPSAttachment.ppt"] {
        let Extraction::Read(f) = run(&root, path) else {
            panic!("{path}")
        };
        let slides: u64 = rows[path]["slides"].parse().expect("slides");
        assert_eq!(f.slides.map(u64::from), Some(slides), "{path}");
        assert_eq!(f.hidden_slides, Some(0), "{path}");
        let rec = f.recorded.expect("recorded");
        assert_eq!(
            rec.slides,
            Some(slides),
            "{path}: DocumentSummaryInformation"
        );
        assert_eq!(
            rec.application.as_deref(),
            Some(rows[path]["producer"].as_str()),
            "{path}: PIDSI_APPNAME"
        );
    }
}

#[test]
fn legacy_refusals() {
    let Some(root) = corpus("legacy corpus tests") else {
        return;
    };
    for (path, code) in [
        (
            "doc/password_password_cryptoapi.doc",
            "unreadable.encrypted",
        ),
        ("wps/testWORKS.wps", "unsupported.works_wps"),
    ] {
        match run(&root, path) {
            Extraction::Unreadable(p) => assert_eq!(p.code, code, "{path}"),
            other => panic!("{path}: {other:?}"),
        }
    }
}
