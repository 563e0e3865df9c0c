//! Labels burnt into recordings (issue #13 item 7): frames sampled through ffmpeg and read by
//! OCR, on ffmpeg-made fixtures (`fixtures/wild/make-frames.sh`): a title card for 3 s, a
//! corner watermark throughout, and no label. What the real Tesseract reads in each sampled
//! frame is recorded in `fixtures/wild/frames/reference.tsv`.
//!
//! The tests that need ffmpeg and the real tesseract skip with a note without them, and FAIL
//! when `CI` is set (`.ci/run` installs both), so the real path runs on every CI run.

mod skip;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use yanshou::extract::{Input, Limits};
use yanshou::facts::{LabelMatch, PartKind};
use yanshou::ocr::Ocr;
use yanshou::pipeline::read_file;
use yanshou::report::model::FileRecord;

const LABEL: &str = "自治区科协2025年度学会重点资助项目";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// Skips (a visible line) or, under CI, fails when a tool is missing.
fn need(what: &str, test: &str) {
    skip::skip(
        test,
        &format!("{what} is not installed (.ci/run installs it)"),
    );
}

fn read(path: &Path, ocr: Ocr) -> FileRecord {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let input = Input::from_path(path, name).unwrap();
    let limits = Limits {
        ocr: Some(Arc::new(ocr)),
        ..Limits::default()
    };
    read_file(&input, &[LABEL.to_string()], 2, &limits)
}

fn finding<'a>(rec: &'a FileRecord, code: &str) -> Option<&'a str> {
    rec.problems
        .iter()
        .find(|p| p.code == code)
        .map(|p| p.message.as_str())
}

fn ocr_label(rec: &FileRecord) -> Option<LabelMatch> {
    rec.facts
        .as_ref()?
        .labels
        .iter()
        .find(|h| h.location == PartKind::Ocr)
        .map(|h| h.matched)
}

fn reference() -> Vec<Vec<String>> {
    std::fs::read_to_string(fixture("wild/frames/reference.tsv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

#[test]
fn reference_readings_show_what_each_fixture_is() {
    let rows = reference();
    let read_in = |file: &str, col: usize| -> Vec<String> {
        rows.iter()
            .filter(|r| r[0] == file && r[col] == LABEL)
            .map(|r| r[1].clone())
            .collect()
    };
    // Title card: read in the opening frames only, as the frames are.
    assert_eq!(read_in("title-card.mp4", 2), ["0.5", "2.0"]);
    // Watermark (18 px): read in every frame, but only after the 3× upscale.
    assert!(read_in("watermark.mp4", 2).is_empty());
    assert_eq!(read_in("watermark.mp4", 3).len(), 6);
    // Absent: nowhere.
    assert!(read_in("absent.mp4", 2).is_empty() && read_in("absent.mp4", 3).is_empty());
}

/// The real ffmpeg and tesseract: label read → present with the frame's time; not seen →
/// a finding naming the frames looked at.
#[test]
fn real_ffmpeg_and_tesseract_find_burnt_in_labels() {
    let test = "real_ffmpeg_and_tesseract_find_burnt_in_labels";
    let ocr = match yanshou::ocr::find_program().map(|p| Ocr::probe(&p)) {
        Some(Ok(o)) if !o.version.contains("stub") => o,
        _ => return need("tesseract with chi_sim", test),
    };
    if ocr.ffmpeg.is_none() {
        return need("ffmpeg", test);
    }
    let rec = read(&fixture("wild/frames/title-card.mp4"), ocr.clone());
    assert_eq!(
        ocr_label(&rec),
        Some(LabelMatch::Exact),
        "{:?}",
        rec.problems
    );
    let seen = finding(&rec, "ocr.frame_label").expect("frame evidence");
    assert!(seen.contains("0:00.5") && seen.contains("0:02.0"), "{seen}");
    assert!(!seen.contains("0:05.0 处"), "{seen}");

    let rec = read(&fixture("wild/frames/watermark.mp4"), ocr.clone());
    assert_eq!(
        ocr_label(&rec),
        Some(LabelMatch::Exact),
        "{:?}",
        rec.problems
    );
    assert!(finding(&rec, "ocr.frame_label").is_some());

    let rec = read(&fixture("wild/frames/absent.mp4"), ocr);
    assert_eq!(ocr_label(&rec), None);
    let none = finding(&rec, "ocr.frames_no_label").expect("frames named");
    assert!(none.contains("6 帧") && none.contains("0:09.0"), "{none}");
    // Six frames recognised (each also enlarged), never more.
    let info = rec.facts.as_ref().unwrap().ocr.as_ref().unwrap();
    assert_eq!((info.images, info.frames.len()), (6, 6));
}

/// Without ffmpeg (hidden), a recording is not sampled: a finding says so, and no label is
/// read (the evaluator keeps it `review`). With a stub tesseract, so only ffmpeg's absence
/// matters.
#[test]
fn without_ffmpeg_recordings_stay_review() {
    let mut ocr = Ocr::probe(&fixture("ocr/stub-tesseract")).expect("stub");
    ocr.ffmpeg = None;
    let rec = read(&fixture("wild/frames/title-card.mp4"), ocr);
    assert!(
        finding(&rec, "ocr.no_ffmpeg").is_some(),
        "{:?}",
        rec.problems
    );
    assert_eq!(ocr_label(&rec), None);
    assert!(rec.facts.as_ref().unwrap().ocr.is_none());
}

/// With ffmpeg but a stub tesseract that reads no label: the frames looked at are named.
#[test]
fn frames_are_sampled_at_bounded_points() {
    let test = "frames_are_sampled_at_bounded_points";
    let ocr = Ocr::probe(&fixture("ocr/stub-tesseract")).expect("stub");
    if ocr.ffmpeg.is_none() {
        return need("ffmpeg", test);
    }
    let rec = read(&fixture("wild/frames/absent.mp4"), ocr);
    let info = rec.facts.as_ref().unwrap().ocr.as_ref().expect("ocr ran");
    let at: Vec<f64> = info.frames.iter().map(|f| f.at).collect();
    assert_eq!(at.len(), 6, "{at:?}");
    assert!(at.iter().all(|t| *t < 10.0), "{at:?}");
    let none = finding(&rec, "ocr.frames_no_label").expect("frames named");
    assert!(
        none.contains("0:00.5、0:02.0、0:03.3、0:05.0、0:06.7、0:09.0"),
        "{none}"
    );
}
