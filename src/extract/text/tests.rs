//! Table-driven tests over fixtures/text/ (made by make.py, which records the expected
//! charset, Han count of the visible source text, title and warning in reference.tsv).

use std::path::Path;

use super::*;

const LABEL: &str = "自治区科协2025年度学会重点资助项目";

fn dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/text")
}

#[test]
fn fixtures_match_reference() {
    let reference = std::fs::read_to_string(dir().join("reference.tsv")).unwrap();
    let mut checked = 0;
    for line in reference.lines().skip(1) {
        let c: Vec<&str> = line.split('\t').collect();
        let (file, charset, han, title, warning) = (c[0], c[1], c[2], c[3], c[4]);
        let bytes = std::fs::read(dir().join(file)).unwrap();
        let mut warnings = Vec::new();
        let mut facts = read_text(&bytes, file.ends_with(".html"), &mut warnings);
        facts.finish_counts();
        let meta = |name: &str| {
            facts
                .metadata
                .iter()
                .find(|m| m.name == name)
                .map(|m| m.value.as_str())
        };
        assert_eq!(meta("charset"), Some(charset), "{file}");
        assert_eq!(
            facts.counts.han.to_string(),
            han,
            "{file}: {:?}",
            facts.parts
        );
        assert_eq!(facts.title.as_deref(), Some(title), "{file}");
        let codes: Vec<&str> = warnings.iter().map(|w| w.code.as_str()).collect();
        let want: Vec<&str> = Some(warning)
            .filter(|w| !w.is_empty())
            .into_iter()
            .collect();
        assert_eq!(codes, want, "{file}");
        // The label is in the body of every fixture, and never garbled.
        assert!(facts.all_text().contains(LABEL), "{file}");
        if file.ends_with(".html") {
            assert!(
                meta("description").is_some_and(|d| d.contains(LABEL)),
                "{file}"
            );
            assert_eq!(
                meta("og:site_name"),
                Some("新疆维吾尔自治区科学技术协会"),
                "{file}"
            );
            // Nothing from script, style, comments or noscript.
            let body = facts.counted_text();
            for hidden in ["脚本", "样式", "注释", "头部"] {
                assert!(!body.contains(hidden), "{file}: {hidden} leaked");
            }
        }
        if let Some(w) = warnings.first() {
            assert!(w.message.contains("已按实际编码读取"), "{}", w.message);
        }
        checked += 1;
    }
    assert_eq!(checked, 8);
}

#[test]
fn txt_title_is_left_to_finish_counts() {
    let mut warnings = Vec::new();
    let facts = read_text("\n\n  第一行标题  \n正文".as_bytes(), false, &mut warnings);
    assert_eq!(facts.title, None);
    let mut facts = facts;
    facts.finish_counts();
    assert_eq!(facts.title.as_deref(), Some("第一行标题"));
}

#[test]
fn html_without_title_uses_first_h1() {
    let facts = read_text(
        "<html><body><h2>小标题</h2><h1>主标题</h1><p>正文</p></body></html>".as_bytes(),
        true,
        &mut Vec::new(),
    );
    assert_eq!(facts.title.as_deref(), Some("主标题"));
}

#[test]
fn html_detection() {
    let cases: &[(&[u8], &str, bool)] = &[
        (b"<p>fragment</p>", "htm", true),
        (b"<!DOCTYPE html><p>x", "txt", true),
        (b"<HTML>", "", true),
        (b"a < b and c > d", "txt", false),
    ];
    for (bytes, ext, want) in cases {
        assert_eq!(is_html(bytes, ext), *want, "{bytes:?}");
    }
}
