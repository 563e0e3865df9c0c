//! PDF extraction against the shared corpus: Han count (all parts, since pdftotext keeps
//! headers) and pages against MANIFEST.tsv (pdftotext / pdfinfo), plus the special cases
//! (encrypted, broken, scanned, undecodable). Skips with a note where ../shared is absent.

mod skip;

use std::collections::HashMap;
use std::path::Path;

use yanshou::extract::{Extraction, Input, Limits, extract};
use yanshou::facts::{Facts, Format, PartKind};

/// Where our number must differ from the reference, and why.
enum Expect {
    /// Within 1% of MANIFEST's pdftotext Han count.
    Reference,
    /// The reference is wrong: our Han count and the reason.
    Han(u64, &'static str),
    /// Unreadable with this problem code.
    Unreadable(&'static str),
}

fn expectations() -> HashMap<&'static str, (Expect, &'static [&'static str])> {
    use Expect::*;
    HashMap::from([
        (
            "XiaoBiaoSong.pdf",
            (
                Han(
                    207,
                    "GBK bytes under WinAnsi: pdftotext gives Latin-1 mojibake (0 Han); we decode GBK. \
                     Its text re-decoded as GBK has 206: it drops 原 (B0 AD: 0xAD is a soft hyphen in Latin-1)",
                ),
                &[][..],
            ),
        ),
        (
            "SimFang-variant.pdf",
            (
                Han(
                    10,
                    "GBK bytes under WinAnsi: pdftotext 0 Han (mojibake); we decode GBK",
                ),
                &[],
            ),
        ),
        (
            "issue_566_test_1.pdf",
            (
                Han(
                    2,
                    "Identity-H font without ToUnicode: the count agrees, but pdftotext's 2 Han are \
                     wrong glyphs (哾㦓); the embedded font's cmap gives 黎荣, as rendered",
                ),
                &[],
            ),
        ),
        ("bug1020226.pdf", (Unreadable("unreadable.corrupt"), &[])),
        (
            "libreoffice-writer-password.pdf",
            (Unreadable("unreadable.encrypted"), &[]),
        ),
        ("image.pdf", (Reference, &["scanned.pages"])),
    ])
}

struct Row {
    han: u64,
    pages: Option<u32>,
}

fn manifest(root: &Path) -> HashMap<String, Row> {
    let text = std::fs::read_to_string(root.join("MANIFEST.tsv")).unwrap_or_default();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (Some(path), Some(han), Some(pages)) = (col("path"), col("han_count"), col("pages")) else {
        return HashMap::new();
    };
    lines
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Some((
                f.get(path)?.to_string(),
                Row {
                    han: f.get(han)?.parse().unwrap_or(0),
                    pages: f.get(pages)?.parse().ok(),
                },
            ))
        })
        .collect()
}

fn all_han(facts: &Facts) -> u64 {
    facts
        .parts
        .iter()
        .filter(|p| p.kind != PartKind::Metadata)
        .map(|p| p.counts.han)
        .sum()
}

#[test]
fn corpus_pdfs_match_pdftotext() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let dir = root.join("pdf");
    if skip::corpus("pdf_corpus (../shared/corpus/pdf)").is_none() {
        return;
    }
    let manifest = manifest(&root);
    let expect = expectations();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("read corpus dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.to_ascii_lowercase().ends_with(".pdf"))
        .collect();
    names.sort();
    let mut failures = Vec::new();
    println!(
        "{:<34} {:>6} {:>6} {:>5} {:>5}  result",
        "file", "ref", "ours", "pgref", "pages"
    );
    for name in &names {
        let rel = format!("pdf/{name}");
        let input = Input::from_path(dir.join(name), &rel).expect("open");
        let mut warnings = Vec::new();
        let got = extract(&input, Format::Pdf, &Limits::default(), &mut warnings);
        let reference = manifest.get(&rel);
        let ref_han = reference.map(|r| r.han);
        let ref_pages = reference.and_then(|r| r.pages);
        let (want, want_warnings) = expect
            .get(name.as_str())
            .map(|(e, w)| (e, *w))
            .unwrap_or((&Expect::Reference, &[]));
        let codes: Vec<&str> = warnings.iter().map(|w| w.code.as_str()).collect();
        let (ours, pages, verdict) = match (&got, want) {
            (Extraction::Read(f), Expect::Reference) => {
                let ours = all_han(f);
                let r = ref_han.unwrap_or(0);
                let ok = ours.abs_diff(r) * 100 <= r;
                (
                    Some(ours),
                    f.pages,
                    if ok {
                        "ok".to_string()
                    } else {
                        format!("FAIL: want {r} ±1%")
                    },
                )
            }
            (Extraction::Read(f), Expect::Han(h, why)) => {
                let ours = all_han(f);
                let verdict = if ours == *h {
                    format!("ok (reference wrong: {why})")
                } else {
                    format!("FAIL: want {h}")
                };
                (Some(ours), f.pages, verdict)
            }
            (Extraction::Unreadable(p), Expect::Unreadable(code)) if p.code == *code => {
                (None, None, format!("ok ({}: {})", p.code, p.message))
            }
            (other, _) => (None, None, format!("FAIL: got {other:?}")),
        };
        let mut verdict = verdict;
        if let (Some(want_p), Extraction::Read(_)) = (ref_pages, &got)
            && pages != Some(want_p)
        {
            verdict = format!("FAIL: pages {pages:?} want {want_p}");
        }
        for w in want_warnings {
            if !codes.contains(w) {
                verdict = format!("FAIL: missing warning {w}");
            }
        }
        // Files the reference reads correctly must not raise the undecodable warning.
        if matches!(want, Expect::Reference) && codes.contains(&"text.undecodable") {
            verdict = "FAIL: unexpected text.undecodable".to_string();
        }
        println!(
            "{:<34} {:>6} {:>6} {:>5} {:>5}  {}{}",
            name,
            ref_han.map(|v| v.to_string()).unwrap_or_default(),
            ours.map(|v| v.to_string()).unwrap_or_else(|| "-".into()),
            ref_pages.map(|v| v.to_string()).unwrap_or_default(),
            pages.map(|v| v.to_string()).unwrap_or_else(|| "-".into()),
            verdict,
            if codes.is_empty() {
                String::new()
            } else {
                format!(" [{}]", codes.join(","))
            }
        );
        if verdict.starts_with("FAIL") {
            failures.push(format!("{name}: {verdict}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Test.pdf with every /ToUnicode removed: the Identity-H text must still come out, from the
/// embedded fonts' own cmaps.
#[test]
fn corpus_identity_h_without_to_unicode() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/pdf/Test.pdf");
    if skip::corpus("pdf_corpus::corpus_identity_h_without_to_unicode").is_none() {
        return;
    }
    let mut doc = lopdf::Document::load(&path).expect("load Test.pdf");
    let mut removed = 0;
    for obj in doc.objects.values_mut() {
        if let lopdf::Object::Dictionary(d) = obj
            && d.remove(b"ToUnicode").is_some()
        {
            removed += 1;
        }
    }
    assert!(removed > 0);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("save");
    let input = Input::from_bytes(bytes, "Test-no-tounicode.pdf");
    let mut warnings = Vec::new();
    let Extraction::Read(f) = extract(&input, Format::Pdf, &Limits::default(), &mut warnings)
    else {
        panic!("unreadable");
    };
    let han = all_han(&f);
    println!("Test.pdf without ToUnicode: {han} Han (with ToUnicode 4931)");
    assert!(han.abs_diff(4931) * 100 <= 4931, "{han}");
}

#[test]
fn corpus_special_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/pdf");
    if skip::corpus("pdf_corpus (../shared/corpus/pdf)").is_none() {
        return;
    }
    let read = |name: &str| {
        let input = Input::from_path(dir.join(name), name).expect("open");
        let mut warnings = Vec::new();
        match extract(&input, Format::Pdf, &Limits::default(), &mut warnings) {
            Extraction::Read(f) => (f, warnings),
            other => panic!("{name}: {other:?}"),
        }
    };
    // Owner restrictions only (AES-256, empty user password): read, text from a form field's
    // appearance stream.
    let (f, _) = read("secHandler.pdf");
    assert!(
        f.all_text().contains("Security Handler"),
        "{}",
        f.all_text()
    );
    // Scanned: every page listed.
    let (f, w) = read("image.pdf");
    assert_eq!(f.scanned_pages, vec![1]);
    assert!(
        w.iter()
            .any(|p| p.code == "scanned.pages" && p.message.contains("第 1 页"))
    );
    // GBK under WinAnsi decodes to real text.
    let (f, _) = read("XiaoBiaoSong.pdf");
    assert!(
        f.all_text().contains("关于红军作战的原则"),
        "{}",
        f.all_text()
    );
    // Predefined GBK-EUC-H CMap without ToUnicode.
    let (f, _) = read("issue2128r.pdf");
    assert!(f.all_text().contains("浅谈校长的魅力"));
    // A cover set vertically, one character per line, in 42-pt type: the title reads whole
    // (the Info title is a file name, "… DOCX … (2).docx", and is not used).
    let (f, _) = read("Test.pdf");
    assert_eq!(f.title.as_deref(), Some("竞争性磋商文件"));
    // Identity-H without ToUnicode: text from the embedded TrueType cmap, as the page shows it.
    let (f, w) = read("issue_566_test_1.pdf");
    assert!(f.all_text().contains("Buyer：黎荣"), "{}", f.all_text());
    assert!(w.is_empty(), "{w:?}");
    // A decompression limit below the size of its object streams: a limit problem, not
    // "corrupt".
    let input = Input::from_path(dir.join("issue-914-xmp-data.pdf"), "x.pdf").expect("open");
    let tight = Limits {
        max_xml_bytes: 64,
        ..Limits::default()
    };
    let mut w = Vec::new();
    match extract(&input, Format::Pdf, &tight, &mut w) {
        Extraction::Unreadable(p) => assert_eq!(p.code, "limit.decompressed", "{p:?}"),
        other => panic!("{other:?}"),
    }
    // Content streams over the limit: read, with a warning that text is missing.
    let input = Input::from_path(dir.join("Test.pdf"), "t.pdf").expect("open");
    let mut w = Vec::new();
    assert!(matches!(
        extract(&input, Format::Pdf, &tight, &mut w),
        Extraction::Read(_)
    ));
    assert!(w.iter().any(|p| p.code == "limit.pdf_content"), "{w:?}");
    // Info strings.
    let (f, _) = read("issue-914-xmp-data.pdf");
    assert!(
        f.metadata
            .iter()
            .any(|m| m.name == "Creator" && m.value.contains("PDFMaker 19 Excel 版"))
    );
}
