//! PDFs from the wild (issue #13 item 3): a CID font with no `/ToUnicode` whose
//! `/CIDSystemInfo` names Adobe-GB1 is decoded through Adobe's CID → Unicode table, as
//! pdftotext and mutool do. The fixture is hand-built by `fixtures/wild/make-cid-pdf.py` (no
//! producer here writes such a font without ToUnicode); the readings of pdftotext and mutool
//! are recorded beside it.

mod common;

use common::{LABEL, fixtures, read_clean};
use yanshou::facts::{Format, PartKind};

fn han(s: &str) -> u64 {
    s.chars().filter(|&c| yanshou::count::is_han(c)).count() as u64
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn adobe_gb1_cid_font_without_tounicode_reads_as_pdftotext_and_mutool() {
    let dir = fixtures("wild/pdf");
    let pdftotext = std::fs::read_to_string(dir.join("cid-gb1.pdf.pdftotext.txt")).unwrap();
    let mutool = std::fs::read_to_string(dir.join("cid-gb1.pdf.mutool.txt")).unwrap();
    assert_eq!(han(&pdftotext), 32);
    assert_eq!(han(&mutool), 32);
    let facts = read_clean(&dir, "cid-gb1.pdf", Format::Pdf); // no text.undecodable
    let body: String = facts
        .parts
        .iter()
        .filter(|p| p.kind == PartKind::Body)
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(han(&body), han(&pdftotext));
    assert_eq!(squeeze(&body), squeeze(&pdftotext));
    assert!(body.contains(LABEL), "{body}");
}
