//! Recordings from the wild (issue #13 items 5 and 6), on ffmpeg-made fixtures
//! (`fixtures/wild/make-video.sh`) against ffprobe's per-stream answers recorded beside them
//! (`fixtures/wild/video/reference.tsv`):
//! - a fragmented MP4 whose caption track runs on after the picture: the duration is the
//!   video track's, not the caption track's;
//! - an M2TS (camcorder packets) whose audio runs on after the picture: the duration is the
//!   video stream's PTS span; the SDT's service name and provider are read as metadata, and the
//!   label in the service name is found there.

mod common;

use common::{LABEL, Row, fixtures, read_clean, tsv};
use yanshou::facts::{Format, LabelMatch, PartKind};

fn stream<'a>(rows: &'a [Row], file: &str, kind: &str) -> &'a Row {
    rows.iter()
        .find(|r| r["file"] == file && r["codec_type"] == kind)
        .unwrap_or_else(|| panic!("{file}: no {kind} stream in reference.tsv"))
}

fn secs(row: &Row, col: &str) -> f64 {
    row[col].parse().unwrap()
}

#[test]
fn durations_come_from_the_video_stream() {
    let dir = fixtures("wild/video");
    let rows = tsv(&dir.join("reference.tsv"));
    for (file, format, other) in [
        ("captions.mp4", Format::Mp4, "subtitle"),
        ("camcorder.m2ts", Format::Mpegts, "audio"),
    ] {
        let facts = read_clean(&dir, file, format);
        let d = facts.duration.as_ref().expect("duration");
        let video = secs(stream(&rows, file, "video"), "duration");
        let longer = secs(stream(&rows, file, other), "duration");
        // The other stream runs on past the picture: the old answer was that one.
        assert!(longer > video + 1.0, "{file}: fixture lost its point");
        assert!(
            (d.seconds - video).abs() < 0.05,
            "{file}: {} s, ffprobe video stream {video} s ({})",
            d.seconds,
            d.detail
        );
        assert!(d.detail.contains("vide"), "{file}: {}", d.detail);
    }
}

#[test]
fn transport_stream_service_names_are_metadata_with_the_label() {
    let dir = fixtures("wild/video");
    let rows = tsv(&dir.join("reference.tsv"));
    let want = stream(&rows, "camcorder.m2ts", "video");
    let facts = read_clean(&dir, "camcorder.m2ts", Format::Mpegts);
    let meta = |name: &str| {
        facts
            .metadata
            .iter()
            .find(|m| m.name == name)
            .map(|m| m.value.as_str())
    };
    assert_eq!(meta("ts.service_name"), Some(want["service_name"].as_str()));
    assert_eq!(
        meta("ts.service_provider"),
        Some(want["service_provider"].as_str())
    );
    assert_eq!(facts.title.as_deref(), Some(want["service_name"].as_str()));
    let hits = yanshou::label::find_labels(&facts, &[LABEL.to_string()], 2);
    assert!(
        hits.iter()
            .any(|h| (h.location, h.matched) == (PartKind::Metadata, LabelMatch::Exact)),
        "{hits:?}"
    );
}
