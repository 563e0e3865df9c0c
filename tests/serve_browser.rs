//! End to end in a real browser: headless Chromium driven over WebDriver (chromedriver,
//! `fantoccini`) against `yanshou serve` on an ephemeral loopback port. The page is used as a
//! society would: choose the fixture zip, press 开始核查, wait for the result, read the
//! verdicts in the page and in the dossier frame, download the DOCX.
//!
//! What can fail here: the page's script (zip and folder upload, polling, result view) against
//! the real server, the verdicts shown, the DOCX download (a Word package with
//! word/document.xml), a refused upload's message shown on the page.
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

/// A running server, chromedriver and browser session.
struct Session {
    work: tempfile::TempDir,
    downloads: PathBuf,
    client: fantoccini::Client,
    base: String,
    server_temp: PathBuf,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    _driver: Driver,
}

/// Starts everything, or says why not (None: skip).
async fn start() -> Option<Session> {
    let Some(driver_bin) = chromedriver() else {
        eprintln!(
            "note: chromedriver not found; skipping the browser test (apt-get install chromium-driver)"
        );
        return None;
    };
    if !Path::new(CHROMIUM).is_file() {
        eprintln!(
            "note: {CHROMIUM} not found; skipping the browser test (apt-get install chromium)"
        );
        return None;
    }
    let work = tempfile::tempdir().unwrap();
    let downloads = work.path().join("downloads");
    let profile = work.path().join("profile");
    std::fs::create_dir_all(&downloads).unwrap();

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

    // The browser, in a closed network: no background traffic, a fresh profile.
    let port = free_port();
    let driver = Driver(
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
    Some(Session {
        work,
        downloads,
        client,
        base: format!("http://{addr}"),
        server_temp,
        stop,
        server,
        _driver: driver,
    })
}

impl Session {
    /// Opens the page and chooses `path` in the input `#{input}`; checks the page names it.
    async fn choose(&self, input: &str, path: &Path, shown: &str) {
        let client = &self.client;
        client.goto(&format!("{}/", self.base)).await.unwrap();
        assert!(client.title().await.unwrap().contains("验收材料自查"));
        let start = client.find(Locator::Id("start")).await.unwrap();
        assert_eq!(
            start.attr("disabled").await.unwrap().as_deref(),
            Some("true")
        );
        client
            .find(Locator::Id(input))
            .await
            .unwrap()
            .send_keys(&path.display().to_string())
            .await
            .unwrap();
        let chosen = client.find(Locator::Id("chosen")).await.unwrap();
        let text = chosen.text().await.unwrap();
        assert!(text.contains(shown), "the page names the choice: {text}");
        assert_eq!(start.attr("disabled").await.unwrap(), None);
    }

    /// Presses 开始核查 and waits for the result (or the page's error).
    async fn check(&self) {
        let client = &self.client;
        client
            .find(Locator::Id("start"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
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
    }

    /// The requirement ids shown with `verdict` in the dossier frame.
    async fn requirements(&self, verdict: &str) -> Vec<String> {
        let client = &self.client;
        client
            .find(Locator::Id("dossier"))
            .await
            .unwrap()
            .enter_frame()
            .await
            .unwrap();
        let mut ids = Vec::new();
        for code in client
            .find_all(Locator::Css(&format!(
                "table.requirements tr.{verdict} code"
            )))
            .await
            .unwrap()
        {
            ids.push(code.text().await.unwrap());
        }
        client.enter_parent_frame().await.unwrap();
        ids.sort();
        ids
    }

    async fn text_of(&self, id: &str) -> String {
        self.client
            .find(Locator::Id(id))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// Closes the browser, stops the server, checks nothing was left on disk.
    async fn finish(self) {
        self.client.close().await.unwrap();
        let _ = self.stop.send(());
        self.server.await.unwrap().unwrap();
        // The server's state is dropped with the server: its temp dir (every upload) is gone.
        assert!(!self.server_temp.exists());
        drop(self.work);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_a_zip_in_chromium_and_read_the_verdict() {
    let Some(s) = start().await else {
        return;
    };
    let name = "XXJL-2025-02-新疆计算机学会-全疆论坛";
    let zip = zip_submission(name, s.work.path());
    s.choose("pick-archive", &zip, &format!("{name}.zip")).await;
    save_screenshot(&s.client.screenshot().await.unwrap(), "serve-before.png");
    s.check().await;

    // The headline in the page.
    assert_eq!(s.text_of("verdict").await, "不通过");
    let summary = s.text_of("summary").await;
    assert!(summary.contains(name), "{summary}");
    assert!(summary.contains("不通过 5 项"), "{summary}");

    // The dossier in its frame: which requirements fail and pass, and one message.
    assert_eq!(
        s.requirements("fail").await,
        [
            "keynote-decks",
            "keynote-recordings",
            "label",
            "proceedings-or-transfer-list",
            "summary-report"
        ]
    );
    assert_eq!(s.requirements("pass").await.len(), 7);
    s.client
        .find(Locator::Id("dossier"))
        .await
        .unwrap()
        .enter_frame()
        .await
        .unwrap();
    let frame_text = s
        .client
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
    s.client.enter_parent_frame().await.unwrap();
    save_screenshot(&s.client.screenshot().await.unwrap(), "serve-after.png");

    // Download the DOCX as a user would: click the link, wait for the finished file.
    s.client
        .find(Locator::Id("dl-docx"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let mut docx = None;
    for _ in 0..600 {
        let done = std::fs::read_dir(&s.downloads)
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
    s.finish().await;
}

/// The folder upload (`<input webkitdirectory>`): the page sends each file with its relative
/// path; the server rebuilds the tree and names the project after the folder.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_a_folder_in_chromium() {
    let Some(s) = start().await else {
        return;
    };
    let name = "DJQC-2025-01-新疆水利学会-党建强会";
    let folder = std::fs::canonicalize(Path::new(serve_common::SUBMISSIONS).join(name)).unwrap();
    let files = serve_common::files_of(&folder).len();
    s.choose(
        "pick-folder",
        &folder,
        &format!("文件夹 “{name}”，{files} 个文件"),
    )
    .await;
    s.check().await;
    assert_eq!(s.text_of("verdict").await, "通过");
    let summary = s.text_of("summary").await;
    assert!(
        summary.contains(&format!("{name} · DJQC-2025")),
        "{summary}"
    );
    assert!(s.requirements("fail").await.is_empty());
    assert!(s.requirements("review").await.is_empty());
    s.finish().await;
}

/// A refused upload: the page shows the server's Chinese message, and the next upload works.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_upload_shows_its_message_in_the_page() {
    let Some(s) = start().await else {
        return;
    };
    let fake = s.work.path().join("材料.zip");
    std::fs::write(&fake, "这不是压缩包，只是改了扩展名的文本").unwrap();
    s.choose("pick-archive", &fake, "材料.zip").await;
    s.client
        .find(Locator::Id("start"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    s.client
        .wait()
        .at_most(Duration::from_secs(120))
        .for_element(Locator::Css("body[data-state='failed']"))
        .await
        .unwrap();
    let message = s.text_of("message").await;
    assert!(
        message.contains("“材料.zip” 不是 .zip 或 .7z 压缩包"),
        "{message}"
    );
    // The server still serves: the same page, a real submission this time.
    let name = "QKPY-2025-01-新疆医学会-期刊培育";
    let zip = zip_submission(name, s.work.path());
    s.choose("pick-archive", &zip, &format!("{name}.zip")).await;
    s.check().await;
    assert_eq!(s.text_of("verdict").await, "通过");
    s.finish().await;
}
