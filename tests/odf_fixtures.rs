//! ODF, XLSX and DOCX-table extractors and the expert-list count against the LibreOffice-made
//! fixtures in `fixtures/odf/` (made by `fixtures/odf/make.sh`, reference facts measured there
//! and stored in `reference.tsv`, so no LibreOffice is needed here).
//!
//! How our counts relate to LibreOffice's (established on report.odt):
//! - LibreOffice's txt export holds body and tables only: our counted Han minus footnotes and
//!   text boxes equals its Han.
//! - LibreOffice's statistics (`meta:word-count`, `meta:non-whitespace-character-count`) count
//!   body, tables, footnotes, headers/footers and each footnote's citation mark, but not text
//!   frames (text boxes) and not comments. Word's 字数 counts text boxes and not headers,
//!   footers or citation marks, so: LO = ours − text boxes + headers/footers + note citations,
//!   exactly, for words and for non-space characters.

use std::collections::HashMap;
use std::path::PathBuf;

use yanshou::eval::{Context, evaluate_one};
use yanshou::experts::summarize;
use yanshou::extract::{Input, Limits};
use yanshou::facts::{Facts, Format, LabelMatch, PartKind};
use yanshou::pipeline::read_file;
use yanshou::report::model::Verdict;
use yanshou::rules::{Measure, builtin::load_builtin};

mod common;
use common::{LABEL, need as num};

fn dir() -> PathBuf {
    common::fixtures("odf")
}

fn reference() -> HashMap<String, common::Row> {
    common::reference("odf")
}

fn facts_of(name: &str, format: Format) -> Facts {
    common::read_clean(&dir(), name, format)
}

fn part(facts: &Facts, kind: PartKind) -> yanshou::count::Counts {
    common::part(facts, kind).1
}

#[test]
fn report_odt_against_libreoffice() {
    let refs = reference();
    let r = &refs["report.odt"];
    let f = facts_of("report.odt", Format::Odt);
    let boxes = part(&f, PartKind::TextBoxes);
    let notes = part(&f, PartKind::Notes);
    let hf = part(&f, PartKind::HeadersFooters);
    let refs_marks = num(r, "note_refs");
    println!(
        "report.odt: ours words {} han {} chars_no_space {}; boxes {}/{}; notes han {}; hf {}/{}; LO words {} chars_no_space {} txt han {}",
        f.counts.words,
        f.counts.han,
        f.counts.chars_no_space,
        boxes.words,
        boxes.chars_no_space,
        notes.han,
        hf.words,
        hf.chars_no_space,
        num(r, "lo_words"),
        num(r, "lo_chars_no_space"),
        num(r, "lo_txt_han")
    );
    // Each part holds what it should.
    assert!(boxes.han > 0 && notes.han > 0 && hf.han > 0);
    assert!(part(&f, PartKind::Tables).han > 0);
    assert!(part(&f, PartKind::Comments).han > 0, "the comment is kept");
    // txt export: body + tables.
    assert_eq!(f.counts.han - notes.han - boxes.han, num(r, "lo_txt_han"));
    // Statistics: − text boxes + headers/footers + citation marks, exactly.
    assert_eq!(
        f.counts.words - boxes.words + hf.words + refs_marks,
        num(r, "lo_words")
    );
    assert_eq!(
        f.counts.chars_no_space - boxes.chars_no_space + hf.chars_no_space + refs_marks,
        num(r, "lo_chars_no_space")
    );
    // The statistics LibreOffice recorded are shown beside ours.
    let rec = f.recorded.clone().expect("meta.xml statistics");
    assert_eq!(rec.words, Some(num(r, "lo_words")));
    assert_eq!(rec.characters, Some(num(r, "lo_chars")));
    assert_eq!(rec.characters_no_space, Some(num(r, "lo_chars_no_space")));
    assert!(
        rec.application
            .as_deref()
            .is_some_and(|a| a.starts_with("LibreOffice")),
        "{rec:?}"
    );
    assert_eq!(f.pages.map(u64::from), Some(num(r, "lo_pages")));
    assert_eq!(f.title.as_deref(), Some("全疆学术年会总结报告"));
    assert!(
        f.metadata
            .iter()
            .any(|m| m.name == "initial-creator" && m.value == "新疆农学会")
    );

    // The label is only in the header: found there, through the whole pipeline.
    let rec = read_file(
        &Input::from_path(dir().join("report.odt"), "report.odt").expect("fixture"),
        &[LABEL.to_string()],
        2,
        &Limits::default(),
    );
    let facts = rec.facts.expect("read");
    assert!(
        facts
            .labels
            .iter()
            .any(|l| l.location == PartKind::HeadersFooters && l.matched == LabelMatch::Exact),
        "{:?}",
        facts.labels
    );
}

#[test]
fn deck_odp_slides_hidden_notes_master() {
    let refs = reference();
    let r = &refs["deck.odp"];
    let f = facts_of("deck.odp", Format::Odp);
    assert_eq!(f.slides.map(u64::from), Some(num(r, "slides")));
    assert_eq!(
        f.hidden_slides.map(u64::from),
        Some(num(r, "hidden_slides"))
    );
    let slides = part(&f, PartKind::Slides);
    let notes = part(&f, PartKind::SpeakerNotes);
    // All text of content.xml is slides + speaker notes.
    assert_eq!(slides.han + notes.han, num(r, "content_han"));
    assert_eq!(notes.han, num(r, "notes_han"));
    // A deck's words are its slides.
    assert_eq!(f.counts.words, slides.words);
    assert_eq!(num(r, "master_label"), 1);
    let rec = read_file(
        &Input::from_path(dir().join("deck.odp"), "deck.odp").expect("fixture"),
        &[LABEL.to_string()],
        2,
        &Limits::default(),
    );
    let labels = rec.facts.expect("read").labels;
    assert!(
        labels
            .iter()
            .any(|l| l.location == PartKind::Masters && l.matched == LabelMatch::Exact),
        "{labels:?}"
    );
    assert!(!labels.iter().any(|l| l.location == PartKind::Slides));
}

#[test]
fn expert_lists_in_three_formats() {
    let refs = reference();
    let xxjl = load_builtin()
        .expect("rules")
        .into_iter()
        .find(|s| s.id == "XXJL-2025")
        .expect("XXJL");
    let req = xxjl
        .requirements
        .iter()
        .find(|r| r.id == "expert-list")
        .expect("expert-list");
    let Measure::TitledPeople(people) = &req.measure else {
        panic!("expert-list is titled_people");
    };
    let titles = &people.titles();
    for (name, format) in [
        ("experts.xlsx", Format::Xlsx),
        ("experts.ods", Format::Ods),
        ("experts.docx", Format::Docx),
    ] {
        let r = &refs[name];
        let f = facts_of(name, format);
        let s = summarize(&f.tables, titles).unwrap_or_else(|| panic!("{name}: no list"));
        println!(
            "{name}: experts {} academicians {} senior {} rows {} (reference {}/{}/{}/{})",
            s.experts,
            s.academicians,
            s.senior,
            s.rows,
            r["experts"],
            r["academicians"],
            r["senior"],
            r["rows"]
        );
        assert_eq!(
            (s.experts, s.academicians, s.senior, s.rows),
            (
                num(r, "experts"),
                num(r, "academicians"),
                num(r, "senior"),
                num(r, "rows")
            ),
            "{name}"
        );
        if let Some(han) = r.get("lo_txt_han").and_then(|v| v.parse::<u64>().ok()) {
            assert_eq!(f.counts.han, han, "{name}: Han vs LibreOffice txt export");
        }

        // The requirement says how many, through the pipeline.
        let mut rec = read_file(
            &Input::from_path(dir().join(name), format!("05-专家名单/{name}")).expect("fixture"),
            &[LABEL.to_string()],
            2,
            &Limits::default(),
        );
        rec.role = Some("expert-list".into());
        let files = [rec];
        let result = evaluate_one(
            &Context::new(&xxjl, &files, None, yanshou::report::Lang::Zh),
            req,
        );
        assert_eq!(result.verdict, Verdict::Pass, "{name}: {}", result.message);
        assert_eq!(result.measured_text, "7 位专家，其中院士 3 位", "{name}");
        assert_eq!(result.measured, serde_json::json!(6), "{name}");
    }
}

/// Damaged copies of the fixtures (cut short, bytes flipped) give a result or a problem, never
/// a panic. The extractor is called directly, outside `extract`'s `catch_unwind`.
#[test]
fn damaged_copies_never_panic() {
    for (file, format) in [
        ("report.odt", Format::Odt),
        ("deck.odp", Format::Odp),
        ("experts.ods", Format::Ods),
        ("experts.xlsx", Format::Xlsx),
        ("experts.docx", Format::Docx),
    ] {
        let bytes = std::fs::read(dir().join(file)).expect("fixture");
        let extractor = yanshou::extract::extractor_for(format).expect("extractor");
        let step = (bytes.len() / 80).max(1);
        let mut codes = std::collections::BTreeSet::new();
        for at in (0..bytes.len()).step_by(step) {
            let cut = bytes.get(..at).unwrap_or_default().to_vec();
            match extractor.extract(
                &Input::from_bytes(cut, file),
                &Limits::default(),
                &mut Vec::new(),
            ) {
                Err(p) => {
                    codes.insert(p.code);
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
            codes.iter().all(|c| c.starts_with("unreadable.")),
            "{file}: {codes:?}"
        );
    }
}
