//! Hostile input, end to end, on the built binary: a fault submission (one bad file per kind of
//! fault, beside good files — `fixtures/hostile/make.py`), as a folder and as a GBK-named zip.
//! Asserts: exit code 0 or 1 (never 2, never a panic), the one specific finding of each bad
//! file (`fixtures/hostile/expected.tsv`), every good file read, the zipped submission giving
//! the same dossier as the folder, and the submission left untouched (hashes and mtimes).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// Runs `yanshou check PATH --format json` plus `extra`; returns (exit code, dossier, stderr).
fn check(path: &Path, extra: &[&str]) -> (i32, Value, String) {
    let out = Command::cargo_bin("yanshou")
        .unwrap()
        .arg("check")
        .arg(path)
        .args(["--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let code = out
        .status
        .code()
        .expect("exit code (not killed by a signal)");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let dossier: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{}: not JSON ({e}); stderr: {stderr}", path.display()));
    (code, dossier, stderr)
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// path → (status, problem codes).
fn outcomes(d: &Value) -> BTreeMap<String, (String, Vec<String>)> {
    d["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let codes = f["problems"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["code"].as_str().unwrap().to_string())
                .collect();
            (
                f["path"].as_str().unwrap().to_string(),
                (f["status"].as_str().unwrap().to_string(), codes),
            )
        })
        .collect()
}

struct Expected {
    path: String,
    status: String,
    code: String,
}

fn expected() -> Vec<Expected> {
    std::fs::read_to_string(fixture("hostile/expected.tsv"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            Expected {
                path: cols[0].to_string(),
                status: cols[1].to_string(),
                code: cols[2].to_string(),
            }
        })
        .collect()
}

/// Every message of a problem is Chinese and says what to do.
fn assert_actionable(d: &Value) {
    for f in d["files"].as_array().unwrap() {
        for p in f["problems"].as_array().unwrap() {
            let m = p["message"].as_str().unwrap();
            assert!(
                m.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{}: not Chinese: {m}",
                f["path"]
            );
        }
    }
}

fn assert_outcomes(d: &Value, table: &[Expected], context: &str) {
    let got = outcomes(d);
    for e in table {
        let Some((status, codes)) = got.get(&e.path) else {
            panic!(
                "{context}: {} missing from the dossier: {:#?}",
                e.path,
                got.keys()
            );
        };
        if e.status != "*" {
            assert_eq!(status, &e.status, "{context}: {}: {codes:?}", e.path);
        }
        if e.code == "-" {
            assert!(
                codes.is_empty(),
                "{context}: {}: unexpected {codes:?}",
                e.path
            );
        } else {
            assert!(
                codes.contains(&e.code),
                "{context}: {}: want {}, got {codes:?}",
                e.path,
                e.code
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn fault_submission_one_finding_per_bad_file_and_good_files_read() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("故障提交");
    copy_tree(&fixture("hostile/submission"), &root);
    // Made at run time: git does not keep these well.
    std::fs::create_dir(root.join("链接")).unwrap();
    std::os::unix::fs::symlink("..", root.join("链接/循环")).unwrap();
    std::os::unix::fs::symlink("/etc", root.join("外部链接")).unwrap();
    let raw_name = b"\xd5\xfd\xce\xc4.txt"; // "正文.txt" in GBK: not UTF-8, decoded as GBK
    std::fs::write(
        root.join(std::ffi::OsStr::from_bytes(raw_name)),
        "自治区科协2025年度学会重点资助项目 正文".as_bytes(),
    )
    .unwrap();
    std::fs::write(root.join("~$总结报告.docx"), b"lock").unwrap();

    let (code, d, stderr) = check(&root, &["--category", "XXJL-2025"]);
    assert!(code == 0 || code == 1, "exit {code}; stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let mut table = expected();
    let decoded = "正文.txt".to_string();
    for (path, status, code) in [
        ("链接/循环", "unreadable", "walk.symlink_loop"),
        ("外部链接", "unreadable", "walk.link_outside"),
        (decoded.as_str(), "read", "walk.name_not_utf8"),
        ("~$总结报告.docx", "ignored", "ignored.clutter"),
    ] {
        table.push(Expected {
            path: path.into(),
            status: status.into(),
            code: code.into(),
        });
    }
    assert_outcomes(&d, &table, "folder");
    // Nothing else is listed, and nothing is lost.
    let listed: Vec<String> = outcomes(&d).into_keys().collect();
    let want: std::collections::BTreeSet<&str> = table.iter().map(|e| e.path.as_str()).collect();
    for p in &listed {
        assert!(want.contains(p.as_str()), "unexpected row {p}");
    }
    assert_actionable(&d);
    // The non-UTF-8 file was read (its text counted), its GBK name shown decoded.
    let f = d["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == decoded.as_str())
        .unwrap();
    assert!(f["facts"]["han"].as_u64().unwrap() > 10, "{f}");
}

/// A hand-written zip writer: stored entries whose names are the given raw bytes, no UTF-8
/// flag — what Chinese Windows' "send to compressed folder" and WinRAR write.
fn raw_zip(entries: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
    fn u16le(v: &mut Vec<u8>, x: usize) {
        v.extend_from_slice(&(x as u16).to_le_bytes());
    }
    fn u32le(v: &mut Vec<u8>, x: u64) {
        v.extend_from_slice(&(x as u32).to_le_bytes());
    }
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let mut crc = flate2::Crc::new();
        crc.update(data);
        let offset = out.len() as u64;
        out.extend_from_slice(&0x04034b50u32.to_le_bytes());
        u16le(&mut out, 20); // version needed
        u16le(&mut out, 0); // flags: no UTF-8 bit
        u16le(&mut out, 0); // stored
        u16le(&mut out, 0);
        u16le(&mut out, 0x5021);
        u32le(&mut out, crc.sum() as u64);
        u32le(&mut out, data.len() as u64);
        u32le(&mut out, data.len() as u64);
        u16le(&mut out, name.len());
        u16le(&mut out, 0);
        out.extend_from_slice(name);
        out.extend_from_slice(data);
        central.extend_from_slice(&0x02014b50u32.to_le_bytes());
        u16le(&mut central, 20);
        u16le(&mut central, 20);
        u16le(&mut central, 0);
        u16le(&mut central, 0);
        u16le(&mut central, 0);
        u16le(&mut central, 0x5021);
        u32le(&mut central, crc.sum() as u64);
        u32le(&mut central, data.len() as u64);
        u32le(&mut central, data.len() as u64);
        u16le(&mut central, name.len());
        for _ in 0..4 {
            u16le(&mut central, 0); // extra, comment, disk, internal attributes
        }
        u32le(&mut central, 0); // external attributes
        u32le(&mut central, offset);
        central.extend_from_slice(name);
    }
    let cd_start = out.len() as u64;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x06054b50u32.to_le_bytes());
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    u16le(&mut out, entries.len());
    u16le(&mut out, entries.len());
    u32le(&mut out, central.len() as u64);
    u32le(&mut out, cd_start);
    u16le(&mut out, 0);
    out
}

/// Zips a folder with GBK names, under a single top-level folder named like the folder.
fn gbk_zip_of(dir: &Path) -> Vec<u8> {
    let top = dir.file_name().unwrap().to_str().unwrap();
    let mut entries = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap().to_str().unwrap();
        let name = format!("{top}/{rel}");
        let (gbk, _, lossy) = encoding_rs::GBK.encode(&name);
        assert!(!lossy, "{name} has no GBK form");
        entries.push((gbk.into_owned(), std::fs::read(entry.path()).unwrap()));
    }
    raw_zip(&entries)
}

/// The dossier without the submission archive's own record (the folder has none), which is
/// kept apart from the files, under `archive`.
fn without_archive_row(mut d: Value, archive: &str) -> Value {
    assert_eq!(d["archive"]["path"], archive, "no record of {archive}");
    assert!(
        d["files"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["path"] != archive),
        "the archive is not one of the submission's files"
    );
    d.as_object_mut().unwrap().remove("archive");
    d
}

#[test]
fn gbk_zipped_submission_gives_the_same_dossier_as_the_folder() {
    let folder = fixture("submissions/XXJL-2025-01-新疆农学会-全疆学术年会");
    let tmp = tempfile::tempdir().unwrap();
    let zip_path = tmp.path().join("提交材料.zip");
    std::fs::write(&zip_path, gbk_zip_of(&folder)).unwrap();

    let (code_dir, d_dir, _) = check(&folder, &[]);
    let (code_zip, d_zip, stderr) = check(&zip_path, &[]);
    assert_eq!(code_zip, code_dir, "{stderr}");
    // The archive is recorded apart from the files, read, with its name decoding recorded.
    let row = d_zip["archive"].clone();
    assert_eq!(row["status"], "read");
    assert_eq!(row["format"], "zip");
    let meta = row["facts"]["metadata"].to_string();
    assert!(meta.contains("GBK"), "{meta}");
    // The project takes its name from the single top-level folder.
    assert_eq!(
        d_zip["project"]["name"],
        "XXJL-2025-01-新疆农学会-全疆学术年会"
    );
    let d_zip = without_archive_row(d_zip, "提交材料.zip");
    assert_eq!(d_zip, d_dir);
}

#[test]
fn gbk_zipped_fault_submission_gives_the_same_findings() {
    let folder = fixture("hostile/submission");
    let tmp = tempfile::tempdir().unwrap();
    let zip_path = tmp.path().join("故障提交.zip");
    std::fs::write(&zip_path, gbk_zip_of(&folder)).unwrap();
    let (code, d, stderr) = check(&zip_path, &["--category", "XXJL-2025"]);
    assert!(code == 0 || code == 1, "exit {code}; stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_outcomes(&d, &expected(), "zip");
    let (_, d_dir, _) = check(&folder, &["--category", "XXJL-2025"]);
    let d = without_archive_row(d, "故障提交.zip");
    assert_eq!(outcomes(&d), outcomes(&d_dir));
}

/// SHA-256-free fingerprint: every file's bytes and modification time, by relative path.
fn fingerprint(root: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let meta = std::fs::symlink_metadata(e.path()).unwrap();
            let bytes = if meta.is_file() {
                std::fs::read(e.path()).unwrap()
            } else {
                Vec::new()
            };
            (
                e.path().strip_prefix(root).unwrap().to_path_buf(),
                (bytes, meta.modified().unwrap()),
            )
        })
        .collect()
}

#[test]
fn the_submission_is_never_modified() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("提交");
    copy_tree(&fixture("hostile/submission"), &root);
    std::fs::write(
        root.join("打包.zip"),
        gbk_zip_of(&fixture("hostile/submission")),
    )
    .unwrap();
    let out = tmp.path().join("输出");
    let before = fingerprint(&root);
    let (code, _, stderr) = check(
        &root,
        &["--category", "XXJL-2025", "--out", out.to_str().unwrap()],
    );
    assert!(code == 0 || code == 1, "{stderr}");
    let (code, _, stderr) = check(&root.join("打包.zip"), &["--category", "XXJL-2025"]);
    assert!(code == 0 || code == 1, "{stderr}");
    assert_eq!(fingerprint(&root), before, "the submission changed");
    assert!(out.join("dossier.json").is_file());
}

#[test]
fn a_submission_archive_that_cannot_be_opened_is_a_finding_not_an_error() {
    let (code, d, stderr) = check(
        &fixture("hostile/submission/压缩包/损坏.zip"),
        &["--category", "XXJL-2025"],
    );
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(d["archive"]["path"], "损坏.zip");
    assert_eq!(d["archive"]["status"], "unreadable");
    assert_eq!(d["archive"]["problems"][0]["code"], "unreadable.corrupt");
    // The damaged archive is the dossier's first and main reason, and the verdict is fail.
    assert_eq!(d["verdict"], "fail");
    assert_eq!(d["blocker"]["code"], "submission.unopenable");
    let reason = d["blocker"]["message"].as_str().unwrap();
    assert!(
        reason.contains("损坏.zip") && reason.contains("重新打包"),
        "{reason}"
    );
    // Without a category to go by it is still a fail for that reason, never a category
    // question (exit 1, not 2).
    let (code, d, stderr) = check(&fixture("hostile/submission/压缩包/损坏.zip"), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(d["blocker"]["code"], "submission.unopenable");
    assert!(!stderr.contains("类别"), "{stderr}");
    assert_eq!(d["requirements"].as_array().unwrap().len(), 0);
}

#[test]
fn an_empty_folder_fails_for_being_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("XXJL-2025-09-测试学会-论坛");
    std::fs::create_dir_all(&dir).unwrap();
    let (code, d, stderr) = check(&dir, &["--ocr", "off"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(d["blocker"]["code"], "submission.empty");
    let bare = tmp.path().join("材料");
    std::fs::create_dir_all(&bare).unwrap();
    let (code, d, stderr) = check(&bare, &["--ocr", "off"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        d["blocker"]["message"]
            .as_str()
            .unwrap()
            .contains("没有任何文件"),
        "{d}"
    );
}

/// A zip with one deflated entry whose headers declare a compressed size of `declared` bytes:
/// the real deflate stream, then zeros up to the declared size (a bomb dressed as 8:1).
fn lying_deflate_zip(name: &str, data: &[u8], declared: usize) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(data).unwrap();
    let mut packed = enc.finish().unwrap();
    assert!(packed.len() < declared);
    packed.resize(declared, 0);
    let mut crc = flate2::Crc::new();
    crc.update(data);
    let le16 = |v: &mut Vec<u8>, x: usize| v.extend_from_slice(&(x as u16).to_le_bytes());
    let le32 = |v: &mut Vec<u8>, x: usize| v.extend_from_slice(&(x as u32).to_le_bytes());
    let mut out = Vec::new();
    out.extend_from_slice(&0x04034b50u32.to_le_bytes());
    for x in [20, 0x0800, 8, 0, 0x5021] {
        le16(&mut out, x);
    }
    le32(&mut out, crc.sum() as usize);
    le32(&mut out, declared);
    le32(&mut out, data.len());
    le16(&mut out, name.len());
    le16(&mut out, 0);
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(&packed);
    let cd_start = out.len();
    let mut central = Vec::new();
    central.extend_from_slice(&0x02014b50u32.to_le_bytes());
    for x in [20, 20, 0x0800, 8, 0, 0x5021] {
        le16(&mut central, x);
    }
    le32(&mut central, crc.sum() as usize);
    le32(&mut central, declared);
    le32(&mut central, data.len());
    le16(&mut central, name.len());
    for _ in 0..4 {
        le16(&mut central, 0);
    }
    le32(&mut central, 0);
    le32(&mut central, 0);
    central.extend_from_slice(name.as_bytes());
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x06054b50u32.to_le_bytes());
    for x in [0, 0, 1, 1] {
        le16(&mut out, x);
    }
    le32(&mut out, central.len());
    le32(&mut out, cd_start);
    le16(&mut out, 0);
    out
}

#[test]
fn a_bomb_that_lies_about_its_compressed_size_is_stopped_on_the_bytes_inflated() {
    // 2 MiB of one repeated line deflates about 1000:1; the headers claim 256 KiB compressed
    // (8:1, under --max-ratio 100), so only the inflater can see what it really is.
    let label = "自治区科协2025年度学会重点资助项目";
    let line = format!("{label}\n");
    let data = line.repeat((2 << 20) / line.len()).into_bytes();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("XXJL-2025-09-测试学会-全疆论坛");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("新闻.txt"),
        format!("{label}\n来源：自治区科协官网"),
    )
    .unwrap();
    std::fs::write(
        dir.join("附件.zip"),
        lying_deflate_zip("会议通知.txt", &data, 256 << 10),
    )
    .unwrap();
    let (code, d, stderr) = check(&dir, &["--ocr", "off", "--max-ratio", "100"]);
    assert!(code == 0 || code == 1, "{stderr}");
    let out = outcomes(&d);
    let (status, codes) = &out["附件.zip/会议通知.txt"];
    assert_eq!(status, "unreadable", "{codes:?}");
    assert_eq!(
        codes.first().map(String::as_str),
        Some("limit.ratio"),
        "{codes:?}"
    );
    assert_eq!(out["新闻.txt"].0, "read");
    // With a generous limit the same entry is read whole (the limit, not the reader, stopped it).
    let (_, d, _) = check(&dir, &["--ocr", "off", "--max-ratio", "100000"]);
    assert_eq!(outcomes(&d)["附件.zip/会议通知.txt"].0, "read");
}
