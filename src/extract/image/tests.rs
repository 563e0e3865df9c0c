//! Photo tests: fixtures made with ffmpeg/exiftool (reference in fixtures/media/reference.tsv)
//! and the shared corpus (MANIFEST.tsv).

use std::path::Path;

use super::*;

const LABEL: &str = "自治区科协2025年度学会重点资助项目";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/media")
            .join(name),
    )
    .unwrap()
}

fn read(bytes: &[u8]) -> (Result<Facts, Problem>, Vec<Problem>) {
    let mut w = Vec::new();
    let r = read_image(bytes, &Limits::default(), &mut w);
    (r, w)
}

fn meta(f: &Facts, name: &str) -> Vec<String> {
    f.metadata
        .iter()
        .filter(|m| m.name == name)
        .map(|m| m.value.clone())
        .collect()
}

/// exiftool's tag name (as recorded in reference.tsv) → our metadata name.
fn our_name(exiftool: &str) -> &str {
    match exiftool {
        "ImageDescription(GBK)" => "ImageDescription",
        "Title" => "XMP dc:title",
        "Description" => "XMP dc:description",
        "Subject" => "XMP dc:subject",
        other => other,
    }
}

#[test]
fn fixtures_match_exiftool() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/media/reference.tsv"),
    )
    .unwrap();
    let mut checked = 0;
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split('\t').collect();
        let (file, field, value) = (cells[0], cells[1], cells[2]);
        if !(file.ends_with(".jpg") || file.ends_with(".png")) {
            continue;
        }
        let (facts, warnings) = read(&fixture(file));
        let facts = facts.unwrap_or_else(|e| panic!("{file}: {e:?}"));
        assert!(warnings.is_empty(), "{file}: {warnings:?}");
        if field == "width_x_height" {
            let got = format!("{}x{}", facts.width.unwrap(), facts.height.unwrap());
            assert_eq!(got, value, "{file}");
        } else {
            // PNG tEXt "Title" keeps its own name; XMP titles are "XMP dc:title".
            let name = if file.ends_with(".png") {
                field
            } else {
                our_name(field)
            };
            let got = meta(&facts, name);
            // exiftool joins list values (dc:subject) with ", ".
            assert_eq!(
                got.join(", "),
                value,
                "{file} {field}: {:?}",
                facts.metadata
            );
        }
        checked += 1;
    }
    assert!(checked >= 15, "{checked}");
}

#[test]
fn labels_where_they_were_written() {
    // (file, metadata field expected to hold the label; None = no label anywhere)
    let cases = [
        ("exif_utf8.jpg", Some("ImageDescription")),
        ("xpcomment.jpg", Some("XPComment")),
        ("gbk_desc.jpg", Some("ImageDescription")),
        ("xmp.jpg", Some("XMP dc:description")),
        ("itxt.png", Some("Description-zh-CN")),
        ("plain.jpg", None),
        ("plain.png", None),
    ];
    for (file, field) in cases {
        let facts = read(&fixture(file)).0.unwrap();
        let holders: Vec<&str> = facts
            .metadata
            .iter()
            .filter(|m| m.value.contains(LABEL))
            .map(|m| m.name.as_str())
            .collect();
        assert_eq!(holders, field.into_iter().collect::<Vec<_>>(), "{file}");
    }
}

#[test]
fn broken_and_oversized() {
    let plain = fixture("plain.jpg");
    // Pixel limit checked before decoding.
    let tiny = Limits {
        max_image_pixels: 100,
        ..Limits::default()
    };
    let e = read_image(&plain, &tiny, &mut Vec::new()).unwrap_err();
    assert_eq!(e.code, "limit.image_pixels");
    // Header unreadable: an error.
    for bytes in [&b"\xFF\xD8\xFF"[..], b"\x89PNG\r\n\x1a\n\0\0", b""] {
        assert_eq!(
            read(bytes).0.unwrap_err().code,
            "unreadable.corrupt",
            "{bytes:?}"
        );
    }
    // Header fine, data cut: facts plus a warning.
    let (facts, warnings) = read(&plain[..plain.len() / 2]);
    let facts = facts.unwrap();
    assert_eq!((facts.width, facts.height), (Some(64), Some(48)));
    assert_eq!(
        warnings.iter().map(|w| w.code.as_str()).collect::<Vec<_>>(),
        ["image.corrupt"]
    );
    let png = fixture("plain.png");
    let (_, warnings) = read(&png[..png.len() - 40]);
    assert_eq!(
        warnings.iter().map(|w| w.code.as_str()).collect::<Vec<_>>(),
        ["image.corrupt"]
    );
}

/// Corpus JPEG/PNG: dimensions vs MANIFEST width_x_height, the exif_description texts found,
/// the bad-CRC PNG reported as corrupt.
#[test]
fn corpus_images() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let Ok(manifest) = std::fs::read_to_string(root.join("MANIFEST.tsv")) else {
        eprintln!("note: ../shared/corpus absent, corpus image test skipped");
        return;
    };
    let header: Vec<&str> = manifest.lines().next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (c_path, c_wh, c_desc) = (col("path"), col("width_x_height"), col("exif_description"));
    let norm = |s: &str| -> String {
        s.replace("\\n", " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut checked = 0;
    for line in manifest.lines().skip(1) {
        let cells: Vec<&str> = line.split('\t').collect();
        let path = cells[c_path];
        let lower = path.to_ascii_lowercase();
        if !(lower.starts_with("image/")
            && (lower.ends_with(".jpg") || lower.ends_with(".png") || lower.ends_with(".heic")))
        {
            continue;
        }
        let bytes = std::fs::read(root.join(path)).unwrap();
        let (facts, warnings) = read(&bytes);
        let facts = facts.unwrap_or_else(|e| panic!("{path}: {e:?}"));
        let wh = format!("{}x{}", facts.width.unwrap(), facts.height.unwrap());
        assert_eq!(wh, cells[c_wh], "{path}");
        let codes: Vec<&str> = warnings.iter().map(|w| w.code.as_str()).collect();
        if path == "image/xcsn0g01.png" {
            assert_eq!(codes, ["image.corrupt"], "{path}");
        } else {
            assert!(codes.is_empty(), "{path}: {warnings:?}");
        }
        let ours: Vec<String> = facts.metadata.iter().map(|m| norm(&m.value)).collect();
        for item in cells[c_desc].split(" | ").filter(|s| !s.is_empty()) {
            let (name, value) = item.split_once('=').unwrap();
            assert!(
                ours.contains(&norm(value)),
                "{path}: {name}={value:?} not in {:?}",
                facts.metadata
            );
        }
        if lower.ends_with(".heic") {
            // The iPhone's EXIF is reached through meta/iinf + iloc (exiftool: 2020:05:04 18:39:11).
            assert_eq!(
                facts.taken_at.as_deref(),
                Some("2020-05-04 18:39:11"),
                "{path}"
            );
        }
        eprintln!("{path}: {wh}, {} metadata fields", facts.metadata.len());
        checked += 1;
    }
    assert_eq!(checked, 7);
}
