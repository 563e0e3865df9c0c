//! End to end in a real browser: headless Chromium driven over WebDriver (chromedriver,
//! `fantoccini`) against `yanshou serve` on an ephemeral loopback port. The page is used as a
//! society would: choose the fixture zip, press 开始核查, wait for the result, read the
//! verdicts in the page and in the dossier frame, download the DOCX.
//!
//! What can fail here: the page's script (upload, polling, result view) against the real
//! server, the verdicts shown, the DOCX download (a Word package with word/document.xml).
//! Skipped with a note when /usr/bin/chromium or chromedriver is missing (`.ci/run` installs
//! both). With `YANSHOU_SCREENSHOTS=docs` it writes docs/serve-before.png and
//! docs/serve-after.png (the README shows them).

mod serve_common;

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{ClientBuilder, Locator};
use serde_json::json;

use serve_common::{is_docx, zip_submission};
use yanshou::rules::builtin::load_builtin;
use yanshou::serve::{AppState, Config, bind, serve};

const CHROMIUM: &str = "/usr/bin/chromium";

fn chromedriver() -> Option<PathBuf> {
    ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

/// Kills chromedriver when the test ends, however it ends.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn wait_for_port(port: u16) {
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("chromedriver did not listen on {port}");
}

fn save_screenshot(png: &[u8], name: &str) {
    if let Some(dir) = std::env::var_os("YANSHOU_SCREENSHOTS") {
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), png).unwrap();
        eprintln!("wrote {}", dir.join(name).display());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_a_zip_in_chromium_and_read_the_verdict() {
    let Some(driver_bin) = chromedriver() else {
        eprintln!(
            "note: chromedriver not found; skipping the browser test (apt-get install chromium-driver)"
        );
        return;
    };
    if !Path::new(CHROMIUM).is_file() {
        eprintln!(
            "note: {CHROMIUM} not found; skipping the browser test (apt-get install chromium)"
        );
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let downloads = work.path().join("downloads");
    let profile = work.path().join("profile");
    std::fs::create_dir_all(&downloads).unwrap();
    let name = "XXJL-2025-02-新疆计算机学会-全疆论坛";
    let zip = zip_submission(name, work.path());

    // The server, on an ephemeral loopback port.
    let temp_parent = work.path().join("server");
    std::fs::create_dir_all(&temp_parent).unwrap();
    let config = Config {
        port: 0,
        temp_parent: Some(temp_parent.clone()),
        ..Config::default()
    };
    let listener = bind(&config).await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let state = AppState::new(config, load_builtin().unwrap()).unwrap();
    let server_temp = state.temp.path().to_path_buf();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, state, async {
        let _ = stopped.await;
    }));

    // The browser.
    let port = free_port();
    let _driver = Driver(
        Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for_port(port).await;
    let caps = json!({
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--lang=zh-CN", "--window-size=1280,1500",
                format!("--user-data-dir={}", profile.display()),
            ],
            "prefs": {
                "download.default_directory": downloads.display().to_string(),
                "download.prompt_for_download": false,
                "download.directory_upgrade": true,
                "safebrowsing.enabled": false,
            }
        }
    });
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps.as_object().unwrap().clone())
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .unwrap();
    let base = format!("http://{addr}");

    client.goto(&format!("{base}/")).await.unwrap();
    assert!(client.title().await.unwrap().contains("验收材料自查"));
    let start = client.find(Locator::Id("start")).await.unwrap();
    assert_eq!(
        start.attr("disabled").await.unwrap().as_deref(),
        Some("true")
    );
    client
        .find(Locator::Id("pick-archive"))
        .await
        .unwrap()
        .send_keys(&zip.display().to_string())
        .await
        .unwrap();
    let chosen = client.find(Locator::Id("chosen")).await.unwrap();
    assert!(
        chosen
            .text()
            .await
            .unwrap()
            .contains(&format!("{name}.zip")),
        "the page names the chosen archive"
    );
    assert_eq!(start.attr("disabled").await.unwrap(), None);
    save_screenshot(&client.screenshot().await.unwrap(), "serve-before.png");

    start.click().await.unwrap();
    client
        .wait()
        .at_most(Duration::from_secs(900))
        .for_element(Locator::Css(
            "body[data-state='done'], body[data-state='failed']",
        ))
        .await
        .unwrap();
    let state_now = client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .attr("data-state")
        .await
        .unwrap();
    if state_now.as_deref() != Some("done") {
        let msg = client.find(Locator::Id("message")).await.unwrap();
        panic!("check failed in the page: {}", msg.text().await.unwrap());
    }

    // The headline in the page.
    let verdict = client.find(Locator::Id("verdict")).await.unwrap();
    assert_eq!(verdict.text().await.unwrap(), "不通过");
    let summary = client
        .find(Locator::Id("summary"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(summary.contains(name), "{summary}");
    assert!(summary.contains("不通过 5 项"), "{summary}");

    // The dossier in its frame: which requirements fail, and the message for one.
    client
        .find(Locator::Id("dossier"))
        .await
        .unwrap()
        .enter_frame()
        .await
        .unwrap();
    let mut failing = Vec::new();
    for row in client
        .find_all(Locator::Css("table.requirements tr.fail code"))
        .await
        .unwrap()
    {
        failing.push(row.text().await.unwrap());
    }
    failing.sort();
    assert_eq!(
        failing,
        [
            "keynote-decks",
            "keynote-recordings",
            "label",
            "proceedings-or-transfer-list",
            "summary-report"
        ]
    );
    let passing = client
        .find_all(Locator::Css("table.requirements tr.pass"))
        .await
        .unwrap();
    assert_eq!(passing.len(), 7);
    let frame_text = client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        frame_text.contains("还差 188 字"),
        "summary-report message shown"
    );
    client.enter_parent_frame().await.unwrap();
    save_screenshot(&client.screenshot().await.unwrap(), "serve-after.png");

    // Download the DOCX as a user would: click the link, wait for the finished file.
    client
        .find(Locator::Id("dl-docx"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let mut docx = None;
    for _ in 0..600 {
        let done = std::fs::read_dir(&downloads)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == "docx"));
        if let Some(p) = done {
            docx = Some(p);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let docx = docx.expect("the DOCX was downloaded");
    let file_name = docx.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(file_name, format!("{name}-验收核查表.docx"));
    assert!(is_docx(&std::fs::read(&docx).unwrap()));

    client.close().await.unwrap();
    let _ = stop.send(());
    server.await.unwrap().unwrap();
    // The server's state is dropped with the server: its temp dir (and every upload) is gone.
    assert!(!server_temp.exists());
}
