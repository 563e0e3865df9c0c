//! OCR (src/ocr): stub tesseracts (fixtures/ocr/stub-*) that print known text for known images,
//! hang, or fail, so every path runs without Tesseract; plus the real tesseract on the
//! LibreOffice-made scan and photo (fixtures/ocr/make.sh), skipped with a note where it or its
//! chi_sim model is not installed.
//!
//! Accuracy of the real tesseract 5.3.0 on these clean 150-dpi renders (chi_sim alone, recorded in
//! fixtures/ocr/reference.tsv; chi_sim+eng as yanshou runs it reads the same): 314/314 and
//! 224/224 Han on the two scanned pages, 23/23 on the
//! banner photo.

mod skip;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use yanshou::extract::{Input, Limits};
use yanshou::facts::{Facts, LabelMatch, PartKind};
use yanshou::ocr::{Ocr, OcrMode};
use yanshou::pipeline::{Options, check, read_file};
use yanshou::report::model::{FileRecord, Verdict};
use yanshou::rules::builtin::load_builtin;

const LABEL: &str = "自治区科协2025年度学会重点资助项目";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    root().join("fixtures/ocr").join(name)
}

fn stub(name: &str) -> Arc<Ocr> {
    let mut ocr = Ocr::probe(&fixture(name)).expect("stub answers --version/--list-langs");
    ocr.image_timeout = Duration::from_secs(30);
    Arc::new(ocr)
}

fn limits(ocr: Option<Arc<Ocr>>) -> Limits {
    Limits {
        ocr,
        ..Limits::default()
    }
}

fn read(path: &Path, limits: &Limits) -> FileRecord {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let input = Input::from_path(path, name).unwrap();
    read_file(&input, &[LABEL.to_string()], 2, limits)
}

fn codes(rec: &FileRecord) -> Vec<&str> {
    rec.problems.iter().map(|p| p.code.as_str()).collect()
}

fn ocr_label(facts: &Facts) -> Option<LabelMatch> {
    facts
        .labels
        .iter()
        .find(|h| h.location == PartKind::Ocr)
        .map(|h| h.matched)
}

#[test]
fn probe_reads_version_and_requires_chi_sim() {
    let ocr = Ocr::probe(&fixture("stub-tesseract")).unwrap();
    assert_eq!(ocr.version, "tesseract 9.9.9-stub");
    assert_eq!(ocr.engine(), "tesseract 9.9.9-stub chi_sim+eng");
    let err = Ocr::probe(&fixture("stub-nolang")).unwrap_err();
    assert!(
        err.contains("chi_sim") && err.contains("tesseract-ocr-chi-sim"),
        "{err}"
    );
    let err = Ocr::probe(&fixture("no-such-program")).unwrap_err();
    assert!(err.contains("无法运行"), "{err}");
    assert_eq!(yanshou::ocr::resolve(OcrMode::Off), Ok(None));
}

#[test]
fn scanned_pdf_gets_an_ocr_part_with_estimates() {
    let rec = read(&fixture("scan.pdf"), &limits(Some(stub("stub-tesseract"))));
    let facts = rec.facts.as_ref().expect("read");
    // The text layer is empty and stays the counted total: OCR is never counted in `words`.
    assert_eq!(facts.counts.words, 0);
    assert_eq!(facts.scanned_pages, vec![1, 2]);
    let ocr = facts.ocr.as_ref().expect("ocr info");
    assert_eq!(ocr.basis, "ocr");
    assert_eq!(ocr.engine, "tesseract 9.9.9-stub chi_sim+eng");
    assert_eq!(ocr.pages, vec![1, 2]);
    assert_eq!(ocr.images, 2);
    assert!(ocr.skipped_pages.is_empty());
    // Page 1 (the JPEG passed through as it is): 1,815 Han; page 2 (1-bit PNG rebuilt from
    // the Flate samples): 9 Han. See the stub's header.
    assert_eq!(ocr.counts.han, 1_815 + 9);
    assert_eq!(ocr.counts.words, 1_966 + 10);
    let part = facts
        .parts
        .iter()
        .find(|p| p.kind == PartKind::Ocr)
        .unwrap();
    assert_eq!(part.counts, ocr.counts);
    assert_eq!(ocr_label(facts), Some(LabelMatch::Exact));
    assert!(codes(&rec).contains(&"ocr.estimate"), "{:?}", rec.problems);
    assert!(codes(&rec).contains(&"scanned.pages"));
}

#[test]
fn ccitt_scan_is_recognised() {
    let rec = read(
        &fixture("scan-g4.pdf"),
        &limits(Some(stub("stub-tesseract"))),
    );
    let facts = rec.facts.as_ref().unwrap();
    let ocr = facts.ocr.as_ref().expect("ocr info");
    assert_eq!((ocr.images, ocr.counts.han, ocr.counts.words), (1, 6, 7));
    assert_eq!(ocr.pages, vec![1]);
}

#[test]
fn photo_label_found_by_ocr() {
    let rec = read(&fixture("photo.jpg"), &limits(Some(stub("stub-tesseract"))));
    let facts = rec.facts.as_ref().unwrap();
    assert_eq!(ocr_label(facts), Some(LabelMatch::Exact));
    let ocr = facts.ocr.as_ref().unwrap();
    assert_eq!((ocr.images, ocr.counts.han), (1, 23));
    assert!(ocr.pages.is_empty());
    // Without OCR the photo has no label anywhere.
    let rec = read(&fixture("photo.jpg"), &limits(None));
    let facts = rec.facts.as_ref().unwrap();
    assert!(facts.labels.is_empty());
    assert!(facts.ocr.is_none());
}

#[test]
fn ocr_near_miss_is_reported_where_it_was_read() {
    let bmp = root().join("fixtures/photos/photo.bmp");
    let rec = read(&bmp, &limits(Some(stub("stub-tesseract"))));
    let facts = rec.facts.as_ref().unwrap();
    assert_eq!(ocr_label(facts), Some(LabelMatch::NearMiss));
}

#[test]
fn a_hanging_tesseract_is_killed_on_the_deadline() {
    let mut ocr = Ocr::probe(&fixture("stub-sleep")).unwrap();
    ocr.image_timeout = Duration::from_secs(1);
    let rec = read(&fixture("scan.pdf"), &limits(Some(Arc::new(ocr.clone()))));
    let facts = rec.facts.as_ref().unwrap();
    let info = facts.ocr.as_ref().expect("ocr info with skipped pages");
    assert_eq!(info.images, 0);
    assert_eq!(info.skipped_pages, vec![1, 2]);
    assert!(facts.parts.iter().all(|p| p.kind != PartKind::Ocr));
    let skipped = rec
        .problems
        .iter()
        .find(|p| p.code == "ocr.skipped")
        .unwrap();
    assert!(skipped.message.contains("超过 1 秒"), "{}", skipped.message);
    // A photo: one failure finding.
    let rec = read(&fixture("photo.jpg"), &limits(Some(Arc::new(ocr))));
    assert!(codes(&rec).contains(&"ocr.failed"), "{:?}", rec.problems);
}

#[test]
fn a_failing_tesseract_is_a_finding_not_a_crash() {
    let rec = read(&fixture("scan.pdf"), &limits(Some(stub("stub-fail"))));
    let skipped = rec
        .problems
        .iter()
        .find(|p| p.code == "ocr.skipped")
        .unwrap();
    assert!(
        skipped.message.contains("退出状态 1"),
        "{}",
        skipped.message
    );
    assert!(
        skipped.message.contains("pixReadMem"),
        "{}",
        skipped.message
    );
    let facts = rec.facts.as_ref().unwrap();
    assert_eq!(facts.ocr.as_ref().unwrap().skipped_pages, vec![1, 2]);
    let rec = read(&fixture("photo.jpg"), &limits(Some(stub("stub-fail"))));
    assert!(codes(&rec).contains(&"ocr.failed"), "{:?}", rec.problems);
    assert!(rec.facts.as_ref().unwrap().ocr.is_some());
}

/// A copy of the passing XXJL submission whose 建议报告 is the scanned PDF and with the banner
/// photo among the 现场照片.
fn scanned_submission(dir: &Path) -> PathBuf {
    let src = root().join("fixtures/submissions/XXJL-2025-01-新疆农学会-全疆学术年会");
    let dst = dir.join("XXJL-2025-01-新疆农学会-全疆学术年会");
    copy_dir(&src, &dst);
    std::fs::remove_file(dst.join("02-建议报告/建议报告.docx")).unwrap();
    std::fs::copy(fixture("scan.pdf"), dst.join("02-建议报告/建议报告.pdf")).unwrap();
    std::fs::copy(
        fixture("photo.jpg"),
        dst.join("06-会议现场图文/现场照片4.jpg"),
    )
    .unwrap();
    dst
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let to = dst.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to);
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
}

#[test]
fn words_met_only_by_ocr_are_review_never_pass() {
    let tmp = tempfile::tempdir().unwrap();
    let sub = scanned_submission(tmp.path());
    let sets = load_builtin().unwrap();
    let run = |ocr: Option<Arc<Ocr>>| {
        let options = Options {
            limits: limits(ocr),
            ..Options::default()
        };
        check(&sub, &sets, &options).unwrap()
    };
    let req = |r: &yanshou::report::model::Report, id: &str| {
        r.requirements.iter().find(|x| x.id == id).unwrap().clone()
    };

    // With OCR: 1,976 字 estimated ≥ 1,800, but only thanks to OCR → review, with the estimate.
    let with = run(Some(stub("stub-tesseract")));
    let proposal = req(&with, "proposal-report");
    assert_eq!(proposal.verdict, Verdict::Review, "{}", proposal.message);
    assert!(
        proposal.message.contains("OCR 估计约 1,976 字"),
        "{}",
        proposal.message
    );
    assert!(
        proposal.message.contains("请人工核对"),
        "{}",
        proposal.message
    );
    assert!(
        proposal
            .evidence
            .iter()
            .any(|e| e.detail.contains("basis: ocr")),
        "{:?}",
        proposal.evidence
    );
    // The label read by OCR counts, shown as such.
    let label = req(&with, "label");
    assert_eq!(label.verdict, Verdict::Pass, "{}", label.message);
    let ocr_evidence: Vec<&str> = label
        .evidence
        .iter()
        .filter(|e| e.detail.contains("OCR 识别"))
        .map(|e| e.path.as_str())
        .collect();
    assert_eq!(
        ocr_evidence,
        vec!["02-建议报告/建议报告.pdf", "06-会议现场图文/现场照片4.jpg"]
    );

    // Without OCR: review with the page numbers; the scan and the photo need a reviewer.
    let without = run(None);
    let proposal = req(&without, "proposal-report");
    assert_eq!(proposal.verdict, Verdict::Review);
    assert!(
        proposal.message.contains("无文字层（扫描）页：1–2"),
        "{}",
        proposal.message
    );
    assert!(!proposal.message.contains("OCR"), "{}", proposal.message);
    assert_eq!(req(&without, "label").verdict, Verdict::Review);
}

#[test]
fn cli_ocr_on_without_tesseract_exits_2() {
    let out = assert_cmd::Command::cargo_bin("yanshou")
        .unwrap()
        .args(["facts", "--ocr", "on"])
        .arg(fixture("photo.jpg"))
        .env("YANSHOU_TESSERACT", fixture("no-such-tesseract"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--ocr on") && err.contains("无法运行"),
        "{err}"
    );

    // auto with a broken program: runs without OCR.
    let out = assert_cmd::Command::cargo_bin("yanshou")
        .unwrap()
        .args(["facts", "--ocr", "auto"])
        .arg(fixture("photo.jpg"))
        .env("YANSHOU_TESSERACT", fixture("stub-nolang"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("OCR"));

    // The stub through the environment variable.
    let out = assert_cmd::Command::cargo_bin("yanshou")
        .unwrap()
        .args(["facts", "--ocr", "on", "--json"])
        .arg(fixture("photo.jpg"))
        .env("YANSHOU_TESSERACT", fixture("stub-tesseract"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ocr = &json[0]["facts"]["ocr"];
    assert_eq!(ocr["basis"], "ocr", "{json}");
    assert_eq!(ocr["counts"]["han"], 23);
    assert_eq!(json[0]["facts"]["labels"][0]["where"], "ocr");
}

fn reference() -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(fixture("reference.tsv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
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

/// The real tesseract with chi_sim. Without it the test is skipped with a note — except under
/// `CI` (set by CI runs, whose `.ci/run` installs tesseract-ocr and tesseract-ocr-chi-sim),
/// where a missing tesseract fails the test: the real OCR path must run on every CI run.
fn real_ocr(test: &str) -> Option<Ocr> {
    match yanshou::ocr::find_program().map(|p| Ocr::probe(&p)) {
        Some(Ok(ocr)) if !ocr.version.contains("stub") => Some(ocr),
        other => {
            skip::skip(test, &format!("no tesseract with chi_sim ({other:?})"));
            None
        }
    }
}

/// The real tesseract, when installed with chi_sim (skipped without it, failing under CI).
#[test]
fn real_tesseract_reads_the_scan_and_the_photo() {
    let Some(ocr) = real_ocr("real_tesseract_reads_the_scan_and_the_photo") else {
        return;
    };
    let reference = reference();
    let true_han = |file: &str| -> u64 {
        reference
            .iter()
            .filter(|r| r["file"] == file)
            .map(|r| r["true_han"].parse::<u64>().unwrap())
            .sum()
    };
    let ocr = Arc::new(ocr);
    let rec = read(&fixture("scan.pdf"), &limits(Some(ocr.clone())));
    let facts = rec.facts.as_ref().unwrap();
    let info = facts.ocr.as_ref().expect("ocr ran");
    let want = true_han("scan.pdf");
    let got = info.counts.han;
    eprintln!(
        "{}: scan.pdf Han {got} of {want} ({:.1}%)",
        info.engine,
        got as f64 * 100.0 / want as f64
    );
    // Clean 150-dpi renders: within 3% of the true text (5.3.0 read it exactly).
    assert!(got.abs_diff(want) * 100 <= want * 3, "{got} vs {want}");
    assert_eq!(ocr_label(facts), Some(LabelMatch::Exact));

    // The same page 1 as a CCITT Group 4 image (1 bit, 150 dpi).
    let rec = read(&fixture("scan-g4.pdf"), &limits(Some(ocr.clone())));
    let facts = rec.facts.as_ref().unwrap();
    let want = true_han("scan-g4.pdf");
    let got = facts.ocr.as_ref().expect("ocr ran").counts.han;
    eprintln!("scan-g4.pdf Han {got} of {want}");
    assert!(got.abs_diff(want) * 100 <= want * 3, "{got} vs {want}");
    assert_eq!(ocr_label(facts), Some(LabelMatch::Exact));

    let rec = read(&fixture("photo.jpg"), &limits(Some(ocr)));
    let facts = rec.facts.as_ref().unwrap();
    assert_eq!(
        ocr_label(facts),
        Some(LabelMatch::Exact),
        "{:?}",
        facts.parts
    );
    let got = facts.ocr.as_ref().unwrap().counts.han;
    assert!(got.abs_diff(true_han("photo.jpg")) <= 1, "{got}");
}

/// Issue #11 item 7: a 480×300 photo whose label is burnt in at 8 or 10 px. The real tesseract
/// reads nothing (8 px) or a near miss (10 px) from it as it is, and the label exactly after
/// ImageMagick's 3× Lanczos upscale (fixtures/wild/ocr/reference.tsv, made by
/// fixtures/wild/make-ocr.sh): yanshou upscales small images before OCR, so it reads the label.
#[test]
fn small_photos_are_upscaled_before_ocr_and_the_label_is_read() {
    let dir = root().join("fixtures/wild/ocr");
    let text = std::fs::read_to_string(dir.join("reference.tsv")).unwrap();
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(rows.len(), 2);
    for row in &rows {
        // What the reference readings say: not the label as it is, the label after 3×.
        assert_ne!(row[3], LABEL, "{row:?}");
        assert_eq!(row[4], LABEL, "{row:?}");
    }
    let Some(ocr) = real_ocr("small_photos_are_upscaled_before_ocr_and_the_label_is_read") else {
        return;
    };
    let ocr = Arc::new(ocr);
    for row in &rows {
        let rec = read(&dir.join(row[0]), &limits(Some(ocr.clone())));
        let facts = rec.facts.as_ref().unwrap();
        let got = ocr_label(facts);
        eprintln!("{}: {got:?} from {:?}", row[0], facts.parts);
        if row[2] == "10" {
            assert_eq!(got, Some(LabelMatch::Exact), "{}", row[0]);
        } else {
            // 8 px is at the edge: ImageMagick's Lanczos 3× reads it exactly, the image
            // crate's Lanczos3 (yanshou) reads 资助 as 资贡 with Tesseract 5.3.0 — a near miss,
            // which the evaluator sends to review, where nothing was read before.
            assert!(
                matches!(got, Some(LabelMatch::Exact | LabelMatch::NearMiss)),
                "{}: {got:?}",
                row[0]
            );
        }
    }
}

/// Issue #13 item 4: a scanned page stored as 44 CCITT G4 strips (fixtures/wild/pdf/strips.pdf,
/// made by fixtures/wild/make-strips.py) is composed into one page bitmap before OCR: one
/// image goes to Tesseract, not 44 (or the 4 largest).
#[test]
fn strip_pages_are_composed_into_one_image() {
    let path = root().join("fixtures/wild/pdf/strips.pdf");
    let rec = read(&path, &limits(Some(stub("stub-tesseract"))));
    let facts = rec.facts.as_ref().unwrap();
    let info = facts.ocr.as_ref().expect("ocr ran");
    assert_eq!((info.images, info.pages.clone()), (1, vec![1]));
}

/// The same page with the real tesseract: the composed page reads like the page rendered
/// whole (314 of 314 Han by pdftoppm + tesseract), where strip by strip read 185 and
/// yanshou's 4-largest-strips path read 0 (fixtures/wild/pdf/strips.reference.tsv).
#[test]
fn real_tesseract_reads_a_strip_page_whole() {
    let text =
        std::fs::read_to_string(root().join("fixtures/wild/pdf/strips.reference.tsv")).unwrap();
    let row: Vec<&str> = text.lines().nth(1).unwrap().split('\t').collect();
    let (true_han, per_strip, whole): (u64, u64, u64) = (
        row[2].parse().unwrap(),
        row[3].parse().unwrap(),
        row[4].parse().unwrap(),
    );
    assert!(per_strip < true_han * 2 / 3 && whole == true_han, "{row:?}");
    let Some(ocr) = real_ocr("real_tesseract_reads_a_strip_page_whole") else {
        return;
    };
    let rec = read(
        &root().join("fixtures/wild/pdf/strips.pdf"),
        &limits(Some(Arc::new(ocr))),
    );
    let facts = rec.facts.as_ref().unwrap();
    let got = facts.ocr.as_ref().expect("ocr ran").counts.han;
    eprintln!("strips.pdf: Han {got} of {true_han}");
    assert!(
        got.abs_diff(true_han) * 100 <= true_han * 5,
        "{got} vs {true_han}"
    );
    assert_eq!(ocr_label(facts), Some(LabelMatch::Exact));
}
