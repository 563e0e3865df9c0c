//! Names from the wild (issue #11 item 5): a file whose name on disk is GBK bytes (a Windows
//! unzip of a Chinese zip) and a .7z whose entry names are GBK read as CP437 and stored as
//! UTF-16 (7-Zip on a Western Windows). Both must be shown, classified and counted under their
//! Chinese names, with the finding that says what was wrong with them.
//!
//! The GBK-named file is made at run time in a temp dir (git should not carry non-UTF-8
//! names); the .7z is made by 7-Zip (`fixtures/wild/make-names.sh`).

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::prelude::*;
use serde_json::Value;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

fn check(path: &Path, category: &str) -> Value {
    let out = Command::cargo_bin("yanshou")
        .unwrap()
        .arg("check")
        .arg(path)
        .args(["--format", "json", "--ocr", "off", "--category", category])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)))
}

fn file<'a>(d: &'a Value, path: &str) -> &'a Value {
    d["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| {
            let paths: Vec<&Value> = d["files"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| &f["path"])
                .collect();
            panic!("no file {path} in {paths:?}")
        })
}

fn codes(f: &Value) -> Vec<String> {
    f["problems"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| p["code"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn requirement<'a>(d: &'a Value, id: &str) -> &'a Value {
    d["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap()
}

#[cfg(unix)]
#[test]
fn gbk_name_on_disk_is_decoded_classified_and_still_a_finding() {
    use std::os::unix::ffi::OsStrExt;
    let source = fixture("submissions/QKPY-2025-01-新疆医学会-期刊培育");
    let want = check(&source, "QKPY-2025");
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("QKPY-2025-01-新疆医学会-期刊培育");
    for entry in walkdir::WalkDir::new(&source) {
        let entry = entry.unwrap();
        let target = root.join(entry.path().strip_prefix(&source).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else if entry.file_name() == "官网新闻.html" {
            // As a Windows unzip leaves it: the name in GBK bytes.
            let (gbk, _, _) = encoding_rs::GBK.encode("新闻稿（定稿）.html");
            std::fs::copy(entry.path(), root.join(std::ffi::OsStr::from_bytes(&gbk))).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    let d = check(&root, "QKPY-2025");
    let f = file(&d, "新闻稿（定稿）.html");
    assert_eq!(f["role"], file(&want, "官网新闻.html")["role"], "{f}");
    assert!(codes(f).contains(&"walk.name_not_utf8".to_string()), "{f}");
    // The news requirement decides exactly as on the UTF-8 original.
    assert_eq!(
        requirement(&d, "website-news")["verdict"],
        requirement(&want, "website-news")["verdict"]
    );
    assert_eq!(requirement(&d, "website-news")["verdict"], "pass");
}

#[test]
fn cp437_read_gbk_names_in_a_7z_are_repaired_with_a_finding() {
    let path = fixture("wild/names/cp437-gbk.7z");
    // What 7-Zip itself lists: the garbled names.
    let names = std::fs::read_to_string(fixture("wild/names/cp437-gbk.7z.names")).unwrap();
    assert!(names.contains("╣┘═°╨┬╬┼/╣┘═°╨┬╬┼.txt"), "{names}");
    let d = check(&path, "QKPY-2025");
    assert_eq!(
        d["project"]["name"].as_str(),
        Some("QKPY-2025-09-测试学会-期刊培育"),
        "{}",
        d["project"]
    );
    let f = file(&d, "官网新闻/官网新闻.txt");
    assert_eq!(f["role"], "website-news", "{f}");
    assert!(
        codes(f).contains(&"archive.name_repaired".to_string()),
        "{f}"
    );
    assert!(f["facts"]["han"].as_u64().unwrap() > 20, "{f}");
    // The archive is the submission's container, recorded apart from its files.
    let archive = &d["archive"];
    assert_eq!(archive["path"], "cp437-gbk.7z");
    let meta = archive["facts"].to_string();
    assert!(meta.contains("已还原"), "{meta}");
    assert_ne!(requirement(&d, "website-news")["verdict"], "fail");
}
