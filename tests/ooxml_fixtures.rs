//! DOCX/PPTX extractors against the project's own LibreOffice-made fixtures
//! (fixtures/ooxml/, made by make.sh, reference facts in reference.tsv). Needs no external tool.
//!
//! How our counts relate to LibreOffice's statistics (meta.xml of the docx converted to odt),
//! measured on these files and on the corpus:
//! - LibreOffice counts headers and footers; Word's 字数 (our `counts`) does not, so we add our
//!   headers/footers part back before comparing.
//! - LibreOffice counts each footnote/endnote anchor ("1", "i") in the body as one character
//!   and one word; we read no text for a reference mark, so we add `note_refs`.
//! - Both leave out tracked deletions, hidden (w:vanish) text, comments and field codes, and
//!   both count a text box once (LibreOffice writes it as mc:Choice + mc:Fallback; we read the
//!   Choice only), footnote/endnote text and field results.
//!
//! With those two adjustments the character counts agree exactly and so do the word counts.
//! (On the corpus, word counts can differ by a few per cent: LibreOffice's word breaking splits
//! tokens like `{{goods}}$(2)` that Word's rule counts as one word.)

use std::collections::HashMap;
use std::path::PathBuf;

use yanshou::extract::{Input, Limits};
use yanshou::facts::{Facts, Format, LabelMatch, PartKind};

mod common;
use common::{LABEL, need as num, part};

fn dir() -> PathBuf {
    common::fixtures("ooxml")
}

fn reference() -> HashMap<String, common::Row> {
    common::reference("ooxml")
}

fn read(file: &str, format: Format) -> Facts {
    common::read_clean(&dir(), file, format)
}

#[test]
fn docx_fixtures_agree_with_libreoffice_statistics() {
    let refs = reference();
    for file in ["report.docx", "fields.docx"] {
        let row = &refs[file];
        let facts = read(file, Format::Docx);
        let (_, hf) = part(&facts, PartKind::HeadersFooters);
        let anchors = num(row, "note_refs");
        let chars = facts.counts.chars_no_space + hf.chars_no_space + anchors;
        let words = facts.counts.words + hf.words + anchors;
        println!(
            "{file}: ours chars {} words {} (+ headers/footers {}/{} + anchors {anchors}) vs LibreOffice {}/{}",
            facts.counts.chars_no_space,
            facts.counts.words,
            hf.chars_no_space,
            hf.words,
            row["lo_chars_no_space"],
            row["lo_words"]
        );
        assert_eq!(chars, num(row, "lo_chars_no_space"), "{file}: characters");
        let lo_words = num(row, "lo_words");
        assert!(
            words.abs_diff(lo_words) * 50 <= lo_words,
            "{file}: words {words} vs {lo_words}"
        );
    }
}

#[test]
fn report_docx_parts() {
    let refs = reference();
    let facts = read("report.docx", Format::Docx);
    let (body, body_c) = part(&facts, PartKind::Body);
    let (tables, tables_c) = part(&facts, PartKind::Tables);
    let (notes, _) = part(&facts, PartKind::Notes);
    let (boxes, _) = part(&facts, PartKind::TextBoxes);
    let (hf, _) = part(&facts, PartKind::HeadersFooters);
    assert!(
        body.contains("会议共收到论文六十篇"),
        "insertion kept, deletion dropped"
    );
    assert!(
        !body.contains("五十") && !body.contains("此句隐藏"),
        "{body}"
    );
    assert!(tables.contains("论文\n60\n"), "{tables}");
    assert_eq!(notes.trim(), "院士名单见附件一。");
    assert_eq!(boxes, "文本框中的说明文字\n", "text box read once");
    assert!(hf.contains(LABEL) && hf.contains("第1页"), "{hf}");
    assert_eq!(facts.title.as_deref(), Some("学术交流活动总结报告"));
    // LibreOffice's txt export has body and tables but neither notes nor text boxes, and it
    // keeps the tracked deletion 五十 (2 Han) and the hidden 此句隐藏 (4 Han).
    assert_eq!(
        body_c.han + tables_c.han + 2 + 4,
        num(&refs["report.docx"], "lo_txt_han")
    );

    let hits = yanshou::label::find_labels(&facts, &[LABEL.to_string()], 2);
    let exact: Vec<_> = hits
        .iter()
        .filter(|h| h.matched == LabelMatch::Exact)
        .map(|h| h.location)
        .collect();
    assert_eq!(
        exact,
        vec![PartKind::HeadersFooters],
        "label only in the header"
    );
}

#[test]
fn fields_docx_parts() {
    let refs = reference();
    let facts = read("fields.docx", Format::Docx);
    let (body, body_c) = part(&facts, PartKind::Body);
    let (tables, tables_c) = part(&facts, PartKind::Tables);
    let (notes, _) = part(&facts, PartKind::Notes);
    let (comments, _) = part(&facts, PartKind::Comments);
    for code in ["TOC", "NUMPAGES", "USERNAME"] {
        assert!(!body.contains(code), "field code {code} leaked: {body}");
    }
    assert!(body.contains("第一章 概述 1"), "TOC result kept: {body}");
    assert!(body.contains("作者王五"), "field result kept: {body}");
    assert!(tables.contains("外层单元格") && tables.contains("内层单元格"));
    assert!(notes.contains("尾注：报告已报送。"));
    assert_eq!(comments.trim(), "批注内容不计入字数");
    // LibreOffice's txt export: body and tables, no endnotes, no comments.
    assert_eq!(
        body_c.han + tables_c.han,
        num(&refs["fields.docx"], "lo_txt_han")
    );
}

#[test]
fn deck_pptx_slides_hidden_master_label() {
    let refs = reference();
    let row = &refs["deck.pptx"];
    let facts = read("deck.pptx", Format::Pptx);
    assert_eq!(facts.slides.map(u64::from), Some(num(row, "slides")));
    assert_eq!(facts.slides.map(u64::from), Some(num(row, "lo_slides")));
    assert_eq!(
        facts.hidden_slides.map(u64::from),
        Some(num(row, "hidden_slides"))
    );
    assert_eq!(
        facts.hidden_slides.map(u64::from),
        Some(num(row, "lo_hidden"))
    );
    let (slides, slides_c) = part(&facts, PartKind::Slides);
    assert_eq!(slides_c.han, num(row, "slides_han"));
    let order: Vec<&str> = slides
        .lines()
        .filter_map(|l| l.split('：').next())
        .filter(|l| l.starts_with('第'))
        .collect();
    assert_eq!(
        order,
        ["第一页", "第二页", "第三页", "第四页", "第五页", "第六页"]
    );
    let (notes, _) = part(&facts, PartKind::SpeakerNotes);
    assert!(notes.contains("讲者备注：此处展开说明"), "{notes}");
    assert_eq!(num(row, "master_label"), 1);
    let hits = yanshou::label::find_labels(&facts, &[LABEL.to_string()], 2);
    let exact: Vec<_> = hits
        .iter()
        .filter(|h| h.matched == LabelMatch::Exact)
        .map(|h| h.location)
        .collect();
    assert_eq!(exact, vec![PartKind::Masters], "label only on the master");
    assert_eq!(facts.title.as_deref(), Some("主旨报告"));
}

/// Damaged copies of the fixtures (cut short, bytes flipped) must give a result or a problem,
/// never a panic. The extractor is called directly, outside `extract`'s `catch_unwind`.
#[test]
fn damaged_copies_never_panic() {
    for (file, format) in [
        ("report.docx", Format::Docx),
        ("fields.docx", Format::Docx),
        ("deck.pptx", Format::Pptx),
    ] {
        let bytes = std::fs::read(dir().join(file)).expect("fixture");
        let extractor = yanshou::extract::extractor_for(format).expect("extractor");
        let step = (bytes.len() / 60).max(1);
        let mut truncated_codes = std::collections::BTreeSet::new();
        for at in (0..bytes.len()).step_by(step) {
            let cut = bytes.get(..at).unwrap_or_default().to_vec();
            let r = extractor.extract(
                &Input::from_bytes(cut, file),
                &Limits::default(),
                &mut Vec::new(),
            );
            match r {
                Err(p) => {
                    truncated_codes.insert(p.code);
                }
                Ok(_) => panic!("{file} cut at {at} read as whole"),
            }
            let mut flipped = bytes.clone();
            if let Some(b) = flipped.get_mut(at) {
                *b ^= 0x5A;
            }
            let _ = extractor.extract(
                &Input::from_bytes(flipped, file),
                &Limits::default(),
                &mut Vec::new(),
            );
        }
        assert!(
            truncated_codes.iter().all(|c| c.starts_with("unreadable.")),
            "{truncated_codes:?}"
        );
    }
}
