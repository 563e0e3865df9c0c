//! ODT/ODP/OFD extractors against the real-document corpus (`../shared/corpus`), whose
//! reference facts are in its MANIFEST.tsv. Skips, with a note, where the corpus is absent.
//!
//! References and how ours compare:
//! - odt: `han_count` is LibreOffice's txt export (body and tables; no headers/footers, notes or
//!   text boxes); `pages` is `meta:page-count`. Both corpus ODTs match exactly.
//! - odp: `han_count` is all text of content.xml (our slides + speaker notes + used
//!   header/footer declarations); `slides` the `draw:page` count.
//! - ofd: `han_count` is TextCode text of the listed pages plus, per use, of the templates they
//!   reference; the notes give the split, which we compare part by part (pages → `Body`,
//!   templates → `Masters`). One explained gap: `SignScaleError.ofd` (nuonuo) writes the
//!   variable fields of its invoice (buyer and seller names, address, bank, amount in words,
//!   date, item name) as `<![CDATA[…]]>` inside TextCode; the MANIFEST's tool dropped CDATA
//!   and counted 152, we read it and count 245. The test recounts the page stream both ways to
//!   show that the difference is exactly the CDATA text.

use std::io::Read;

use yanshou::extract::{Extraction, Input, Limits};
use yanshou::facts::{Format, PartKind};
use yanshou::pipeline::read_file;
use yanshou::report::model::FileStatus;

mod common;
use common::{corpus, extract_logged as run, manifest, note_num, num, part_han as han};

fn is_han(c: char) -> bool {
    yanshou::count::count(&c.to_string()).han == 1
}

#[test]
fn odf_and_ofd_corpus_match_references() {
    let Some(root) = corpus("ODF/OFD corpus tests") else {
        return;
    };
    let rows: Vec<_> = manifest(&root)
        .into_iter()
        .filter(|r| {
            matches!(
                r.get("format").map(String::as_str),
                Some("odt" | "odp" | "ofd")
            )
        })
        .collect();
    assert!(rows.len() >= 13, "expected the corpus odt/odp/ofd rows");
    println!(
        "{:<42} {:>6} {:>6} {:>6} {:>6} {:>7} {:>7} {:>6}",
        "file", "ours", "ref", "pages", "ref", "masters", "ref", "note"
    );
    let mut failures = Vec::new();
    for row in &rows {
        let path = row["path"].as_str();
        let format = match row["format"].as_str() {
            "odt" => Format::Odt,
            "odp" => Format::Odp,
            _ => Format::Ofd,
        };
        match path {
            "odt/testODTEncrypted.odt" => {
                match run(&root, path, format) {
                    Extraction::Unreadable(p) => {
                        assert_eq!(p.code, "unreadable.encrypted", "{path}");
                        assert!(p.message.contains("ODF 密码保护"), "{}", p.message);
                    }
                    other => panic!("{path}: expected encrypted, got {other:?}"),
                }
                println!("{path:<42} unreadable.encrypted");
                continue;
            }
            "odt/testODTnotaZipFile.odt" => {
                // By content it is text (the pipeline reads it as such, with a mismatch
                // finding); asked to read it as ODT, the extractor says why it cannot.
                match run(&root, path, format) {
                    Extraction::Unreadable(p) => assert_eq!(p.code, "unreadable.corrupt"),
                    other => panic!("{path}: expected corrupt, got {other:?}"),
                }
                println!("{path:<42} unreadable.corrupt (not a zip)");
                continue;
            }
            _ => {}
        }
        let facts = match run(&root, path, format) {
            Extraction::Read(f) => f,
            other => panic!("{path}: {other:?}"),
        };
        let reference = num(row, "han_count").expect("han_count");
        let (ours, ours_masters, ref_split, ref_masters) = match format {
            Format::Ofd => {
                let pages = note_num(row, "Han in page streams=");
                let tpl = note_num(row, "(counted per use)=");
                (
                    han(&facts, PartKind::Body),
                    Some(han(&facts, PartKind::Masters)),
                    pages,
                    tpl,
                )
            }
            Format::Odp => (
                han(&facts, PartKind::Slides)
                    + han(&facts, PartKind::SpeakerNotes)
                    + han(&facts, PartKind::HeadersFooters),
                None,
                Some(reference),
                None,
            ),
            _ => (facts.counts.han, None, Some(reference), None),
        };
        let count = match format {
            Format::Odp => facts.slides,
            _ => facts.pages,
        };
        let ref_count = match format {
            Format::Odp => num(row, "slides"),
            _ => num(row, "pages"),
        };
        let explained = path == "ofd/SignScaleError.ofd";
        println!(
            "{:<42} {:>6} {:>6} {:>6} {:>6} {:>7} {:>7} {:>6}",
            path,
            ours,
            ref_split.map(|v| v.to_string()).unwrap_or_default(),
            count.map(|v| v.to_string()).unwrap_or_default(),
            ref_count.map(|v| v.to_string()).unwrap_or_default(),
            ours_masters.map(|v| v.to_string()).unwrap_or_default(),
            ref_masters.map(|v| v.to_string()).unwrap_or_default(),
            if explained { "CDATA" } else { "" }
        );
        if count.map(u64::from) != ref_count {
            failures.push(format!("{path}: pages/slides {count:?} vs {ref_count:?}"));
        }
        if explained {
            continue;
        }
        let Some(want) = ref_split else {
            failures.push(format!("{path}: no reference split in notes"));
            continue;
        };
        // Within 1% (all are exact today).
        if ours.abs_diff(want) * 100 > want {
            failures.push(format!("{path}: han {ours} vs reference {want}"));
        }
        if let (Some(m), Some(want)) = (ours_masters, ref_masters)
            && m.abs_diff(want) * 100 > want
        {
            failures.push(format!("{path}: template han {m} vs reference {want}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The one OFD gap, shown to be CDATA text the reference tool dropped.
#[test]
fn sign_scale_error_gap_is_cdata() {
    let Some(root) = corpus("ODF/OFD corpus tests") else {
        return;
    };
    let path = "ofd/SignScaleError.ofd";
    let row = manifest(&root)
        .into_iter()
        .find(|r| r["path"] == path)
        .expect("row");
    let facts = match run(&root, path, Format::Ofd) {
        Extraction::Read(f) => f,
        other => panic!("{other:?}"),
    };
    let file = std::fs::File::open(root.join(path)).expect("open");
    let mut zip = zip::ZipArchive::new(file).expect("zip");
    let mut xml = String::new();
    zip.by_name("Doc_0/Pages/Page_0/Content.xml")
        .expect("page")
        .read_to_string(&mut xml)
        .expect("read");
    let (mut in_cdata, mut plain) = (0u64, 0u64);
    let mut rest = xml.as_str();
    while let Some(start) = rest.find("<ofd:TextCode") {
        let body = &rest[start..];
        let open_end = body.find('>').expect("tag end") + 1;
        let close = body.find("</ofd:TextCode>").expect("close");
        let text = &body[open_end..close];
        let (cdata, other) = match text.strip_prefix("<![CDATA[") {
            Some(c) => (c.trim_end_matches("]]>"), ""),
            None => ("", text),
        };
        in_cdata += cdata.chars().filter(|&c| is_han(c)).count() as u64;
        plain += other.chars().filter(|&c| is_han(c)).count() as u64;
        rest = &body[close..];
    }
    assert_eq!(
        Some(plain),
        num(&row, "han_count"),
        "MANIFEST = TextCode without CDATA"
    );
    assert_eq!(
        han(&facts, PartKind::Body),
        plain + in_cdata,
        "ours = all TextCode text"
    );
    assert_eq!(in_cdata, 93);
}

#[test]
fn encrypted_odt_through_the_pipeline() {
    let Some(root) = corpus("ODF/OFD corpus tests") else {
        return;
    };
    let rel = "odt/testODTEncrypted.odt";
    let input = Input::from_path(root.join(rel), rel).expect("file");
    let rec = read_file(&input, &[], 2, &Limits::default());
    assert_eq!(rec.format, Format::Odt);
    assert_eq!(rec.status, FileStatus::Unreadable);
    assert!(
        rec.problems
            .iter()
            .any(|p| p.code == "unreadable.encrypted"),
        "{:?}",
        rec.problems
    );
}

/// Damaged copies of corpus OFDs (cut short, bytes flipped): a result or a problem, never a
/// panic (the extractor is called outside `extract`'s `catch_unwind`).
#[test]
fn damaged_ofd_never_panics() {
    let Some(root) = corpus("ODF/OFD corpus tests") else {
        return;
    };
    let extractor = yanshou::extract::extractor_for(Format::Ofd).expect("extractor");
    for file in [
        "ofd/999.ofd",
        "ofd/no_page_container.ofd",
        "ofd/path_unstd.ofd",
    ] {
        let bytes = std::fs::read(root.join(file)).expect("corpus file");
        let step = (bytes.len() / 80).max(1);
        for at in (0..bytes.len()).step_by(step) {
            let cut = bytes.get(..at).unwrap_or_default().to_vec();
            let r = extractor.extract(
                &Input::from_bytes(cut, file),
                &Limits::default(),
                &mut Vec::new(),
            );
            assert!(
                r.as_ref().is_err_and(|p| p.code.starts_with("unreadable.")),
                "{file} cut at {at}: {r:?}"
            );
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
    }
}
