//! The HTTP API of `yanshou serve`, without a browser: requests go straight into the axum
//! router (`tower::ServiceExt::oneshot`), bodies are built by hand as the page's script sends
//! them.
//!
//! What can fail here: an uploaded fixture zip or folder getting a verdict other than the one
//! EXPECTED.md gives; a bad upload (not an archive, too big, too many files, path traversal)
//! not getting its Chinese message, or taking the server down; two concurrent uploads seeing
//! each other's files; a temp dir left behind; the category selector not reaching the check;
//! a request naming a foreign host being served.

mod serve_common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;
use tower::ServiceExt;

use serve_common::{Part, folder_parts, is_docx, multipart, zip_submission};
use yanshou::rules::builtin::load_builtin;
use yanshou::serve::{AppState, Config, router};

fn state(temp_parent: &Path, tweak: impl FnOnce(&mut Config)) -> Arc<AppState> {
    let mut config = Config {
        temp_parent: Some(temp_parent.to_path_buf()),
        ..Config::default()
    };
    tweak(&mut config);
    AppState::new(config, load_builtin().unwrap()).unwrap()
}

async fn send(state: &Arc<AppState>, req: Request<Body>) -> (StatusCode, Vec<u8>) {
    let resp = router(state.clone()).oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, bytes.to_vec())
}

async fn get(state: &Arc<AppState>, uri: &str) -> (StatusCode, Vec<u8>) {
    let req = Request::get(uri)
        .header(header::HOST, "127.0.0.1:8080")
        .body(Body::empty())
        .unwrap();
    send(state, req).await
}

async fn get_json(state: &Arc<AppState>, uri: &str) -> (StatusCode, Value) {
    let (status, body) = get(state, uri).await;
    (status, serde_json::from_slice(&body).unwrap())
}

async fn post(state: &Arc<AppState>, parts: &[Part<'_>]) -> (StatusCode, Value) {
    let (ctype, body) = multipart(parts);
    let req = Request::post("/api/jobs")
        .header(header::HOST, "localhost:8080")
        .header(header::CONTENT_TYPE, ctype)
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from(body))
        .unwrap();
    let (status, body) = send(state, req).await;
    (status, serde_json::from_slice(&body).unwrap())
}

/// Polls a job until it is done or failed (a bound only so a hang cannot stall the suite).
async fn wait(state: &Arc<AppState>, id: &str) -> Value {
    for _ in 0..6000 {
        let (status, s) = get_json(state, &format!("/api/jobs/{id}")).await;
        assert_eq!(status, StatusCode::OK, "{s}");
        if s["stage"] == "done" || s["stage"] == "failed" {
            return s;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("job {id} did not finish");
}

async fn upload_zip(state: &Arc<AppState>, zip: &Path, category: &str) -> Value {
    let name = zip.file_name().unwrap().to_string_lossy().into_owned();
    let (status, accepted) = post(
        state,
        &[
            Part::Text("category", category),
            Part::File {
                field: "archive",
                filename: &name,
                bytes: std::fs::read(zip).unwrap(),
            },
        ],
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{accepted}");
    wait(state, accepted["id"].as_str().unwrap()).await
}

/// Requirement id → verdict, from the job's JSON dossier.
async fn verdicts(state: &Arc<AppState>, status: &Value) -> (Value, BTreeMap<String, String>) {
    let (code, dossier) = get_json(state, status["result"]["json"].as_str().unwrap()).await;
    assert_eq!(code, StatusCode::OK);
    let map = dossier["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (dossier, map)
}

fn temp_empty(state: &Arc<AppState>) -> bool {
    std::fs::read_dir(state.temp.path())
        .unwrap()
        .next()
        .is_none()
}

fn failing(map: &BTreeMap<String, String>) -> Vec<&str> {
    map.iter()
        .filter(|(_, v)| v.as_str() == "fail")
        .map(|(k, _)| k.as_str())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_concurrent_zip_uploads_get_their_own_verdicts() {
    let work = tempfile::tempdir().unwrap();
    let state = state(work.path(), |_| {});
    let zips = tempfile::tempdir().unwrap();
    let pass = zip_submission("XXJL-2025-01-新疆农学会-全疆学术年会", zips.path());
    let fail = zip_submission("XXJL-2025-02-新疆计算机学会-全疆论坛", zips.path());

    let (a, b) = tokio::join!(upload_zip(&state, &pass, ""), upload_zip(&state, &fail, ""));

    assert_eq!(a["stage"], "done", "{a}");
    assert_eq!(a["result"]["verdict"], "pass");
    assert_eq!(a["result"]["verdict_zh"], "通过");
    assert_eq!(a["result"]["category"], "XXJL-2025");
    assert_eq!(
        a["result"]["project"],
        "XXJL-2025-01-新疆农学会-全疆学术年会"
    );
    assert_eq!(b["result"]["verdict"], "fail");
    assert_eq!(
        b["result"]["project"],
        "XXJL-2025-02-新疆计算机学会-全疆论坛"
    );
    // Progress: every file counted.
    for s in [&a, &b] {
        assert!(s["total"].as_u64().unwrap() > 10, "{s}");
        assert_eq!(s["done"], s["total"], "{s}");
    }

    let (da, va) = verdicts(&state, &a).await;
    let (db, vb) = verdicts(&state, &b).await;
    assert!(failing(&va).is_empty(), "{va:?}");
    assert_eq!(
        failing(&vb),
        [
            "keynote-decks",
            "keynote-recordings",
            "label",
            "proceedings-or-transfer-list",
            "summary-report"
        ]
    );
    // Isolation: each dossier lists exactly its own submission's files (plus the archive),
    // shown relative to the zip's single top folder, as for the unpacked folder.
    for (dossier, name) in [
        (&da, "XXJL-2025-01-新疆农学会-全疆学术年会"),
        (&db, "XXJL-2025-02-新疆计算机学会-全疆论坛"),
    ] {
        let mut listed: Vec<String> = dossier["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .filter(|p| !p.ends_with(".zip"))
            .collect();
        listed.sort();
        let mut want: Vec<String> =
            serve_common::files_of(&Path::new(serve_common::SUBMISSIONS).join(name))
                .into_iter()
                .map(|(rel, _)| rel)
                .collect();
        want.sort();
        assert_eq!(listed, want);
    }

    // Downloads: DOCX is a Word package, HTML is the dossier, names are Chinese.
    let docx_uri = b["result"]["docx"].as_str().unwrap();
    let resp = router(state.clone())
        .oneshot(Request::get(docx_uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let disposition = resp.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_string();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert!(disposition.contains("filename*=UTF-8''XXJL-2025-02-"));
    let docx = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    assert!(is_docx(&docx));
    let (code, html) = get(&state, b["result"]["view"].as_str().unwrap()).await;
    assert_eq!(code, StatusCode::OK);
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("还差 188 字"), "summary-report message");
    assert!(html.contains("不通过"));

    // The uploaded files are gone as soon as the checks ended; the dossiers stay.
    assert!(temp_empty(&state));
    assert_eq!(state.jobs.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn folder_upload_is_rebuilt_and_checked() {
    let work = tempfile::tempdir().unwrap();
    let state = state(work.path(), |_| {});
    let name = "DJQC-2025-02-新疆林学会-党建强会";
    let files = folder_parts(name);
    let mut parts = vec![Part::Text("category", "")];
    for (path, bytes) in &files {
        parts.push(Part::Text("path", path));
        parts.push(Part::File {
            field: "file",
            filename: path.rsplit('/').next().unwrap(),
            bytes: bytes.clone(),
        });
    }
    let (status, accepted) = post(&state, &parts).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{accepted}");
    assert_eq!(accepted["name"], name);
    assert_eq!(accepted["uploaded_files"], files.len());
    let s = wait(&state, accepted["id"].as_str().unwrap()).await;
    assert_eq!(s["result"]["verdict"], "fail", "{s}");
    assert_eq!(s["result"]["category"], "DJQC-2025");
    assert_eq!(s["total"], files.len());
    let (_, v) = verdicts(&state, &s).await;
    for id in [
        "overall-report",
        "typical-case",
        "party-label",
        "direct-contacts",
    ] {
        assert_eq!(v.get(id).map(String::as_str), Some("fail"), "{id}: {v:?}");
    }
    assert_eq!(
        v.get("standardization-rate").map(String::as_str),
        Some("review")
    );
    assert!(temp_empty(&state));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn category_selector_overrides_the_folder_name() {
    let work = tempfile::tempdir().unwrap();
    let state = state(work.path(), |_| {});
    let zips = tempfile::tempdir().unwrap();
    let zip = zip_submission("QKPY-2025-01-新疆医学会-期刊培育", zips.path());
    let auto = upload_zip(&state, &zip, "").await;
    assert_eq!(auto["result"]["category"], "QKPY-2025");
    assert_eq!(auto["result"]["verdict"], "pass");
    let forced = upload_zip(&state, &zip, "DJQC-2025").await;
    assert_eq!(forced["result"]["category"], "DJQC-2025", "{forced}");
    let (dossier, _) = verdicts(&state, &forced).await;
    // Said in the page's terms, not as a command-line flag, with a warning that the choice
    // contradicts the project code in the name.
    assert_eq!(
        dossier["project"]["category_source"], "页面选择",
        "{}",
        dossier["project"]
    );
    let notice = dossier["notices"][0].as_str().unwrap_or_default();
    assert!(
        notice.contains("DJQC-2025") && notice.contains("QKPY-2025-01"),
        "{}",
        dossier["notices"]
    );
    assert!(auto.get("notices").is_none() || auto["notices"].is_null());
    // An id that is no rule set is refused before anything is checked.
    let (status, e) = post(
        &state,
        &[
            Part::Text("category", "ABCD-2025"),
            Part::File {
                field: "archive",
                filename: "x.zip",
                bytes: std::fs::read(&zip).unwrap(),
            },
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(e["error"].as_str().unwrap().contains("ABCD-2025"));
    assert!(temp_empty(&state));
}

/// A zip whose entries try to leave it: the walker never extracts, so nothing is written and
/// the dossier names the entry.
/// A .7z upload is read through the same archive walker: its entry is listed and read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seven_zip_upload_is_read_in_place() {
    let work = tempfile::tempdir().unwrap();
    let state = state(work.path(), |_| {});
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/hostile/submission/压缩包/资料.7z");
    let copy = work.path().join("XXJL-2025-09-资料.7z");
    std::fs::copy(&fixture, &copy).unwrap();
    let s = upload_zip(&state, &copy, "XXJL-2025").await;
    assert_eq!(s["stage"], "done", "{s}");
    let (dossier, _) = verdicts(&state, &s).await;
    let files: Vec<(&str, &str)> = dossier["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap(), f["status"].as_str().unwrap()))
        .collect();
    assert!(files.contains(&("七z内文件.txt", "read")), "{files:?}");
    assert!(temp_empty(&state));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn traversal_inside_a_zip_is_a_finding_not_a_write() {
    let work = tempfile::tempdir().unwrap();
    let state = state(work.path(), |_| {});
    let mut bytes = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut bytes);
        let opts = zip::write::SimpleFileOptions::default();
        w.start_file("../../escaped.txt", opts).unwrap();
        std::io::Write::write_all(&mut w, "自治区科协2025年度学会重点资助项目".as_bytes()).unwrap();
        w.finish().unwrap();
    }
    let (status, accepted) = post(
        &state,
        &[
            Part::Text("category", "XXJL-2025"),
            Part::File {
                field: "archive",
                filename: "XXJL-2025-09-测试.zip",
                bytes: bytes.into_inner(),
            },
        ],
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{accepted}");
    let s = wait(&state, accepted["id"].as_str().unwrap()).await;
    assert_eq!(s["stage"], "done", "{s}");
    let (code, json) = get(&state, s["result"]["json"].as_str().unwrap()).await;
    assert_eq!(code, StatusCode::OK);
    assert!(
        String::from_utf8(json)
            .unwrap()
            .contains("archive.path_traversal")
    );
    assert!(!work.path().join("escaped.txt").exists());
    assert!(temp_empty(&state));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_uploads_get_a_message_and_the_server_keeps_serving() {
    let work = tempfile::tempdir().unwrap();
    let state = state(work.path(), |c| {
        c.max_upload_bytes = 64 << 10;
        c.max_entries = 3;
    });
    let file = |field: &'static str, filename: &'static str, bytes: &[u8]| Part::File {
        field,
        filename,
        bytes: bytes.to_vec(),
    };
    let small_zip = {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut out);
        for i in 0..5 {
            w.start_file(
                format!("f{i}.txt"),
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
        }
        w.finish().unwrap();
        out.into_inner()
    };
    let big = vec![b'x'; 70 << 10];
    let many: Vec<String> = (0..4).map(|i| format!("项目/x{i}.txt")).collect();
    let cases: Vec<(&str, Vec<Part<'_>>, StatusCode, &str, &str)> = vec![
        (
            "text named .zip",
            vec![file("archive", "材料.zip", "这不是压缩包".as_bytes())],
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "upload.not_archive",
            "不是 .zip 或 .7z 压缩包",
        ),
        (
            "a Word file as the archive",
            vec![file("archive", "总结报告.docx", b"PK\x03\x04....")],
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "upload.not_archive",
            "总结报告.docx",
        ),
        (
            "archive over the byte limit",
            vec![file("archive", "大.zip", &big)],
            StatusCode::PAYLOAD_TOO_LARGE,
            "upload.too_big",
            "超过上限 64",
        ),
        (
            "folder over the byte limit",
            vec![
                Part::Text("path", "项目/a.bin"),
                file("file", "a.bin", &big),
            ],
            StatusCode::PAYLOAD_TOO_LARGE,
            "upload.too_big",
            "--max-upload-mb",
        ),
        (
            "zip declaring more entries than allowed",
            vec![file("archive", "多.zip", &small_zip)],
            StatusCode::PAYLOAD_TOO_LARGE,
            "upload.too_many_files",
            "超过上限 3 个",
        ),
        (
            "folder with more files than allowed",
            many.iter()
                .flat_map(|p| [Part::Text("path", p), file("file", "x.txt", b"1")])
                .collect(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "upload.too_many_files",
            "--max-entries",
        ),
        (
            "path traversal",
            vec![
                Part::Text("path", "项目/../../escaped.txt"),
                file("file", "escaped.txt", b"1"),
            ],
            StatusCode::BAD_REQUEST,
            "upload.unsafe_path",
            "不安全",
        ),
        (
            "path traversal in the file name only",
            vec![file("file", "../escaped.txt", b"1")],
            StatusCode::BAD_REQUEST,
            "upload.unsafe_path",
            "不安全",
        ),
        (
            "absolute path",
            vec![
                Part::Text("path", "/etc/escaped.txt"),
                file("file", "escaped.txt", b"1"),
            ],
            StatusCode::BAD_REQUEST,
            "upload.unsafe_path",
            "不安全",
        ),
        (
            "drive letter",
            vec![
                Part::Text("path", "C:\\escaped.txt"),
                file("file", "escaped.txt", b"1"),
            ],
            StatusCode::BAD_REQUEST,
            "upload.unsafe_path",
            "不安全",
        ),
        (
            "same path twice",
            vec![
                Part::Text("path", "项目/a.txt"),
                file("file", "a.txt", b"1"),
                Part::Text("path", "项目/a.txt"),
                file("file", "a.txt", b"2"),
            ],
            StatusCode::BAD_REQUEST,
            "upload.path_conflict",
            "同名冲突",
        ),
        (
            "archive and folder at once",
            vec![
                Part::Text("path", "项目/a.txt"),
                file("file", "a.txt", b"1"),
                file("archive", "材料.zip", &small_zip),
            ],
            StatusCode::BAD_REQUEST,
            "upload.mixed",
            "一次只能上传",
        ),
        (
            "no file",
            vec![Part::Text("category", "")],
            StatusCode::BAD_REQUEST,
            "upload.empty",
            "没有收到文件",
        ),
    ];
    for (what, parts, want_status, want_code, want_text) in cases {
        let (status, e) = post(&state, &parts).await;
        assert_eq!(status, want_status, "{what}: {e}");
        assert_eq!(e["code"], want_code, "{what}: {e}");
        let msg = e["error"].as_str().unwrap();
        assert!(msg.contains(want_text), "{what}: {msg}");
        // Still serving, nothing left behind, nothing written outside.
        let (code, page) = get(&state, "/").await;
        assert_eq!(code, StatusCode::OK, "{what}");
        assert!(String::from_utf8(page).unwrap().contains("开始核查"));
        assert!(temp_empty(&state), "{what}");
        assert!(!work.path().join("escaped.txt").exists(), "{what}");
        assert!(!Path::new("/etc/escaped.txt").exists(), "{what}");
    }
    assert!(state.jobs.is_empty());

    // Not multipart at all.
    let req = Request::post("/api/jobs")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{}"))
        .unwrap();
    let (status, body) = send(&state, req).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let e: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(e["code"], "upload.not_multipart");

    // A body declared far over the limit is refused before it is read.
    let req = Request::post("/api/jobs")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={}", serve_common::BOUNDARY),
        )
        .header(header::CONTENT_LENGTH, 100u64 << 20)
        .body(Body::empty())
        .unwrap();
    let (status, body) = send(&state, req).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let e: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(e["code"], "upload.too_big");
}

#[tokio::test]
async fn page_assets_and_errors() {
    let work = tempfile::tempdir().unwrap();
    let state = state(work.path(), |_| {});
    let (code, page) = get(&state, "/").await;
    assert_eq!(code, StatusCode::OK);
    let page = String::from_utf8(page).unwrap();
    for want in [
        "lang=\"zh-CN\"",
        "webkitdirectory",
        "<option value=\"XXJL-2025\">",
        "<option value=\"QKPY-2025\">",
        "<option value=\"DJQC-2025\">",
        "/assets/app.js",
    ] {
        assert!(page.contains(want), "{want}");
    }
    // Nothing from elsewhere: no absolute URL in the page, its script or its style.
    for uri in ["/", "/assets/app.js", "/assets/style.css"] {
        let (code, body) = get(&state, uri).await;
        assert_eq!(code, StatusCode::OK, "{uri}");
        let body = String::from_utf8(body).unwrap();
        assert!(
            !body.contains("http://") && !body.contains("https://"),
            "{uri}"
        );
    }
    let (code, e) = get_json(&state, "/api/jobs/0123456789abcdef").await;
    assert_eq!(code, StatusCode::NOT_FOUND);
    assert_eq!(e["code"], "job.not_found");
    let (code, e) = get_json(&state, "/nowhere").await;
    assert_eq!(code, StatusCode::NOT_FOUND);
    assert_eq!(e["error"], "没有这个页面");
    // DNS rebinding: a loopback server refuses a foreign Host.
    let req = Request::get("/")
        .header(header::HOST, "evil.example:8080")
        .body(Body::empty())
        .unwrap();
    let (code, _) = send(&state, req).await;
    assert_eq!(code, StatusCode::FORBIDDEN);
    // …which a LAN-bound server accepts (it is reached by its LAN name).
    let lan = self::state(work.path(), |c| c.bind = [0, 0, 0, 0].into());
    let req = Request::get("/")
        .header(header::HOST, "192.168.1.5:8080")
        .body(Body::empty())
        .unwrap();
    let (code, _) = send(&lan, req).await;
    assert_eq!(code, StatusCode::OK);
}

#[tokio::test]
async fn state_drop_removes_the_server_temp_dir() {
    let work = tempfile::tempdir().unwrap();
    let state = state(work.path(), |_| {});
    let dir = state.temp.path().to_path_buf();
    assert!(dir.is_dir());
    drop(state);
    assert!(!dir.exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_are_cut_off_and_the_server_keeps_serving() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let tmp = tempfile::tempdir().unwrap();
    let state = state(tmp.path(), |c| {
        c.port = 0;
        c.header_timeout = Duration::from_millis(800);
        c.idle_timeout = Duration::from_millis(1500);
    });
    let listener = yanshou::serve::bind(&state.config).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(yanshou::serve::serve(listener, state.clone(), async {
        let _ = stopped.await;
    }));
    // Five clients that start a request and never finish its headers, one that starts an
    // upload and stalls in the body.
    let mut slow = Vec::new();
    for _ in 0..5 {
        let mut c = tokio::net::TcpStream::connect(addr).await.unwrap();
        c.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            .await
            .unwrap();
        slow.push(c);
    }
    let mut stalled = tokio::net::TcpStream::connect(addr).await.unwrap();
    stalled
        .write_all(
            b"POST /api/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 100000\r\n\r\n--x\r\n",
        )
        .await
        .unwrap();
    slow.push(stalled);
    // Each is closed by the server (end of stream or a reset), well before the test's bound.
    for (i, mut c) in slow.into_iter().enumerate() {
        let mut buf = [0u8; 1024];
        let closed = tokio::time::timeout(Duration::from_secs(20), async {
            loop {
                match c.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
            }
        })
        .await;
        assert!(closed.is_ok(), "connection {i} was held open");
    }
    // A normal request still gets its page.
    let mut c = tokio::net::TcpStream::connect(addr).await.unwrap();
    c.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut page = Vec::new();
    c.read_to_end(&mut page).await.unwrap();
    assert!(
        page.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&page[..page.len().min(200)])
    );
    let _ = stop.send(());
    server.await.unwrap().unwrap();
}

#[tokio::test]
async fn uploads_from_another_site_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let state = state(tmp.path(), |_| {});
    let (ctype, body) = multipart(&[Part::Text("category", "XXJL-2025")]);
    for (name, value) in [
        ("sec-fetch-site", "cross-site"),
        ("origin", "https://evil.example"),
        ("origin", "null"),
    ] {
        let req = Request::post("/api/jobs")
            .header(header::HOST, "127.0.0.1:8080")
            .header(header::CONTENT_TYPE, ctype.clone())
            .header(name, value)
            .body(Body::from(body.clone()))
            .unwrap();
        let (status, reply) = send(&state, req).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{name}: {value}");
        let reply: Value = serde_json::from_slice(&reply).unwrap();
        assert_eq!(reply["code"], "request.cross_site");
    }
    assert!(temp_empty(&state), "nothing stored from a refused upload");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_600_file_folder_upload_is_checked_and_cleaned_up() {
    // 600 files once took the server down (a stack overflow in the file isolation) and left
    // the upload in its temp dir.
    let work = tempfile::tempdir().unwrap();
    let state = state(work.path(), |_| {});
    let name = "XXJL-2025-09-测试学会-全疆论坛";
    let files: Vec<(String, Vec<u8>)> = (0..600)
        .map(|i| {
            (
                format!("{name}/新闻/新闻{i:03}.txt"),
                format!("自治区科协2025年度学会重点资助项目\n新闻 {i}").into_bytes(),
            )
        })
        .collect();
    let mut parts = vec![Part::Text("category", "")];
    for (path, bytes) in &files {
        parts.push(Part::Text("path", path));
        parts.push(Part::File {
            field: "file",
            filename: path.rsplit('/').next().unwrap(),
            bytes: bytes.clone(),
        });
    }
    let (status, accepted) = post(&state, &parts).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{accepted}");
    let s = wait(&state, accepted["id"].as_str().unwrap()).await;
    assert_eq!(s["stage"], "done", "{s}");
    assert_eq!(s["total"], 600);
    assert!(temp_empty(&state));
}
