//! Photo formats beyond JPEG/PNG (WebP, GIF, BMP, TIFF, HEIC) and IPTC, against what exiftool
//! reads from fixtures/photos (reference.tsv), plus the shooting date as a fact.

use std::path::Path;

use yanshou::extract::Limits;
use yanshou::extract::image::{normalize_date, read_image};
use yanshou::facts::Facts;

const LABEL: &str = "自治区科协2025年度学会重点资助项目";

fn dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/photos")
}

/// exiftool's tag name → ours.
fn our_name(exiftool: &str) -> &str {
    match exiftool {
        "Title" => "XMP dc:title",
        "Description" => "XMP dc:description",
        "Caption-Abstract" => "IPTC Caption-Abstract",
        "ObjectName" => "IPTC ObjectName",
        "Keywords" => "IPTC Keywords",
        "By-line" => "IPTC By-line",
        other => other,
    }
}

fn read(file: &str) -> (Facts, Vec<yanshou::facts::Problem>) {
    let bytes = std::fs::read(dir().join(file)).unwrap();
    let mut warnings = Vec::new();
    let facts = read_image(&bytes, &Limits::default(), &mut warnings)
        .unwrap_or_else(|e| panic!("{file}: {e:?}"));
    (facts, warnings)
}

#[test]
fn photos_match_exiftool() {
    let text = std::fs::read_to_string(dir().join("reference.tsv")).unwrap();
    let mut checked = 0;
    for line in text.lines().skip(1) {
        let c: Vec<&str> = line.split('\t').collect();
        let (file, field, value) = (c[0], c[1], c[2]);
        let (facts, warnings) = read(file);
        assert!(warnings.is_empty(), "{file}: {warnings:?}");
        match field {
            "width_x_height" => {
                let got = format!("{}x{}", facts.width.unwrap(), facts.height.unwrap());
                assert_eq!(got, value, "{file}");
            }
            "DateTimeOriginal" => {
                assert_eq!(facts.taken_at, normalize_date(value), "{file}");
                assert!(
                    facts
                        .taken_at
                        .as_deref()
                        .unwrap()
                        .starts_with("2025-06-18 09:3")
                );
            }
            // ffmpeg's own JPEG comment: read as a comment, not our concern here.
            "Comment" if file == "iptc.jpg" => {}
            _ => {
                let name = our_name(field);
                let got: Vec<&str> = facts
                    .metadata
                    .iter()
                    .filter(|m| m.name == name)
                    .map(|m| m.value.as_str())
                    .collect();
                assert_eq!(
                    got.join(", "),
                    value,
                    "{file} {field}: {:?}",
                    facts.metadata
                );
            }
        }
        checked += 1;
    }
    assert!(checked >= 20, "{checked}");
}

#[test]
fn label_found_in_every_format_that_keeps_text() {
    for (file, labelled) in [
        ("photo.webp", true),
        ("photo.gif", true),
        ("photo.tif", true),
        ("photo.heic", true),
        ("iptc.jpg", true),
        ("photo.bmp", false),
    ] {
        let (facts, _) = read(file);
        let has = facts.metadata.iter().any(|m| m.value.contains(LABEL));
        assert_eq!(has, labelled, "{file}: {:?}", facts.metadata);
    }
}

#[test]
fn dates() {
    let table: &[(&str, Option<&str>)] = &[
        ("2025:06:18 09:30:00", Some("2025-06-18 09:30:00")),
        ("2019-07-24T11:25:40+03:00", Some("2019-07-24 11:25:40")),
        ("20250618", Some("2025-06-18")),
        ("0000:00:00 00:00:00", None),
        ("2025:13:01 00:00:00", None),
        ("yesterday", None),
    ];
    for (raw, want) in table {
        assert_eq!(normalize_date(raw).as_deref(), *want, "{raw}");
    }
}

/// Damaged copies of every photo: an error or facts, never a panic.
#[test]
fn cut_photos_never_panic() {
    for file in [
        "photo.webp",
        "photo.gif",
        "photo.bmp",
        "photo.tif",
        "photo.heic",
        "iptc.jpg",
    ] {
        let bytes = std::fs::read(dir().join(file)).unwrap();
        for n in (0..bytes.len()).step_by(97) {
            let _ = read_image(&bytes[..n], &Limits::default(), &mut Vec::new());
        }
    }
}
