//! End to end in a real browser: headless Chromium driven over WebDriver (chromedriver, through
//! the small client in `tests/webdriver`) against `yanshou serve` on an ephemeral loopback port. The page is used as a
//! society would: choose the fixture zip, press 开始核查, wait for the result, read the
//! verdicts in the page and in the dossier frame, download the DOCX.
//!
//! What can fail here: the page's script (zip and folder upload, polling, result view) against
//! the real server, the verdicts shown, the DOCX download (a Word package with
//! word/document.xml), a refused upload's message shown on the page, a damaged zip's reason as
//! the verdict, the warning when the chosen category contradicts the project code, the contrast
//! of the primary button in every state, no role ids or 退出码 shown to people, and the same file
//! list for a zip and a folder upload of one submission.
//! Skipped with a visible line when /usr/bin/chromium or chromedriver is missing, failing under
//! CI (`.ci/run` installs both). With `YANSHOU_SCREENSHOTS=docs` it writes docs/serve-before.png and
//! docs/serve-after.png (the README shows them).

mod serve_common;
mod skip;
mod webdriver;

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::json;
use webdriver::Client;

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
    client: Client,
    base: String,
    server_temp: PathBuf,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    _driver: Driver,
}

/// Starts everything, or says why not (None: skip).
async fn start() -> Option<Session> {
    let Some(driver_bin) = chromedriver() else {
        skip::skip(
            "serve_browser",
            "chromedriver is not installed (apt-get install chromium-driver)",
        );
        return None;
    };
    if !Path::new(CHROMIUM).is_file() {
        skip::skip(
            "serve_browser",
            &format!("{CHROMIUM} is not installed (apt-get install chromium)"),
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
        "browserName": "chrome",
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
    // The WebDriver client blocks: the test body runs on its own thread (`block_on`), the
    // server on the runtime's workers.
    let client = Client::connect(port, caps).unwrap();
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

/// WCAG relative luminance of a CSS `rgb(…)`/`rgba(…)` colour.
fn luminance(css: &str) -> f64 {
    let inner = css
        .trim_start_matches("rgba(")
        .trim_start_matches("rgb(")
        .trim_end_matches(')');
    let v: Vec<f64> = inner
        .split(',')
        .take(3)
        .map(|x| {
            x.trim()
                .parse::<f64>()
                .unwrap_or_else(|_| panic!("colour {css}"))
        })
        .collect();
    assert_eq!(v.len(), 3, "colour {css}");
    let lin = |c: f64| {
        let c = c / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(v[0]) + 0.7152 * lin(v[1]) + 0.0722 * lin(v[2])
}

/// WCAG contrast ratio of two CSS colours.
fn contrast(a: &str, b: &str) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

impl Session {
    /// Opens the page and chooses `path` in the input `#{input}`; checks the page names it.
    fn choose(&self, input: &str, path: &Path, shown: &str) {
        let client = &self.client;
        client.goto(&format!("{}/", self.base)).unwrap();
        assert!(client.title().unwrap().contains("验收材料自查"));
        let start = client.find("#start").unwrap();
        assert_eq!(start.attr("disabled").unwrap().as_deref(), Some("true"));
        client
            .find(&format!("#{input}"))
            .unwrap()
            .send_keys(&path.display().to_string())
            .unwrap();
        let text = client.find("#chosen").unwrap().text().unwrap();
        assert!(text.contains(shown), "the page names the choice: {text}");
        assert_eq!(start.attr("disabled").unwrap(), None);
    }

    /// Chooses a category in the page's select (`""` for 自动判断).
    fn category(&self, value: &str) {
        self.client
            .find(&format!("#category option[value='{value}']"))
            .unwrap()
            .click()
            .unwrap();
    }

    /// Presses 开始核查 and waits for the result (or the page's error).
    fn check(&self) {
        let client = &self.client;
        client.find("#start").unwrap().click().unwrap();
        client
            .wait_for(
                "body[data-state='done'], body[data-state='failed']",
                Duration::from_secs(900),
            )
            .unwrap();
        let state_now = client.find("body").unwrap().attr("data-state").unwrap();
        if state_now.as_deref() != Some("done") {
            let msg = self.text_of("message");
            panic!("check failed in the page: {msg}");
        }
    }

    /// Runs `f` inside the dossier frame.
    fn in_dossier<T>(&self, f: impl FnOnce(&Client) -> T) -> T {
        let frame = self.client.find("#dossier").unwrap();
        self.client.enter_frame(&frame).unwrap();
        let out = f(&self.client);
        self.client.enter_parent_frame().unwrap();
        out
    }

    /// The requirement ids with this verdict in the dossier frame (the row's data attribute:
    /// ids are not shown to people).
    fn requirements(&self, verdict: &str) -> Vec<String> {
        let mut ids = self.in_dossier(|c| {
            c.find_all(&format!("table.requirements tr.{verdict}"))
                .unwrap()
                .iter()
                .filter_map(|row| row.attr("data-requirement").unwrap())
                .collect::<Vec<_>>()
        });
        ids.sort();
        ids
    }

    /// The file paths the dossier lists.
    fn files(&self) -> Vec<String> {
        let mut paths = self.in_dossier(|c| {
            c.find_all("table.files div.path")
                .unwrap()
                .iter()
                .map(|p| p.text().unwrap())
                .collect::<Vec<_>>()
        });
        paths.sort();
        paths
    }

    /// All the text a person sees: the page and the dossier in its frame.
    fn visible_text(&self) -> String {
        let page = self.client.find("body").unwrap().text().unwrap();
        let frame = self.in_dossier(|c| c.find("body").unwrap().text().unwrap());
        format!("{page}\n{frame}")
    }

    fn text_of(&self, id: &str) -> String {
        self.client.find(&format!("#{id}")).unwrap().text().unwrap()
    }

    /// Closes the browser, stops the server, checks nothing was left on disk.
    async fn finish(self) {
        self.client.close().unwrap();
        let _ = self.stop.send(());
        self.server.await.unwrap().unwrap();
        // The server's state is dropped with the server: its temp dir (every upload) is gone.
        assert!(!self.server_temp.exists());
        drop(self.work);
    }
}

/// No requirement id (`summary-report`, …) and no 退出码 in what people read.
fn assert_no_developer_words(text: &str) {
    let rules = load_builtin().unwrap();
    for set in &rules {
        // Ids of one word ("label") could be part of a file name; the hyphenated ones cannot.
        for req in set.requirements.iter().filter(|r| r.id.contains('-')) {
            assert!(
                !text.contains(req.id.as_str()),
                "requirement id {} shown to people:\n{text}",
                req.id
            );
        }
    }
    assert!(!text.contains("退出码"), "退出码 shown to people:\n{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_a_zip_in_chromium_and_read_the_verdict() {
    let Some(s) = start().await else {
        return;
    };
    let name = "XXJL-2025-02-新疆计算机学会-全疆论坛";
    let zip = zip_submission(name, s.work.path());
    s.choose("pick-archive", &zip, &format!("{name}.zip"));
    save_screenshot(&s.client.screenshot().unwrap(), "serve-before.png");

    // The primary button reads clearly at rest and under the mouse (WCAG AA: 4.5:1), from the
    // colours the browser computed.
    let start = s.client.find("#start").unwrap();
    let rest = contrast(
        &start.css("color").unwrap(),
        &start.css("background-color").unwrap(),
    );
    s.client.hover(&start).unwrap();
    std::thread::sleep(Duration::from_millis(300)); // past any transition
    let (fg, bg) = (
        start.css("color").unwrap(),
        start.css("background-color").unwrap(),
    );
    let hover = contrast(&fg, &bg);
    assert!(rest >= 4.5, "at rest {rest:.2}:1");
    assert!(hover >= 4.5, "under the mouse {hover:.2}:1 ({fg} on {bg})");

    s.check();

    // The headline in the page.
    assert_eq!(s.text_of("verdict"), "不通过");
    let summary = s.text_of("summary");
    assert!(summary.contains(name), "{summary}");
    assert!(summary.contains("不通过 5 项"), "{summary}");

    // The dossier in its frame: which requirements fail and pass, and one message.
    assert_eq!(
        s.requirements("fail"),
        [
            "keynote-decks",
            "keynote-recordings",
            "label",
            "proceedings-or-transfer-list",
            "summary-report"
        ]
    );
    assert_eq!(s.requirements("pass").len(), 7);
    let text = s.visible_text();
    assert!(text.contains("还差 188 字"), "summary-report message shown");
    assert_no_developer_words(&text);
    save_screenshot(&s.client.screenshot().unwrap(), "serve-after.png");

    // Download the DOCX as a user would: click the link, wait for the finished file.
    s.client.find("#dl-docx").unwrap().click().unwrap();
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
/// path; the server rebuilds the tree and names the project after the folder. The same
/// submission uploaded as a zip lists the same files (the zip itself is not one of them).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_a_folder_in_chromium_and_the_same_as_a_zip() {
    let Some(s) = start().await else {
        return;
    };
    let name = "DJQC-2025-01-新疆水利学会-党建强会";
    let folder = std::fs::canonicalize(Path::new(serve_common::SUBMISSIONS).join(name)).unwrap();
    let on_disk = serve_common::files_of(&folder);
    s.choose(
        "pick-folder",
        &folder,
        &format!("文件夹 “{name}”，{} 个文件", on_disk.len()),
    );
    s.check();
    assert_eq!(s.text_of("verdict"), "通过");
    let summary = s.text_of("summary");
    assert!(
        summary.contains(&format!("{name} · DJQC-2025")),
        "{summary}"
    );
    assert!(s.requirements("fail").is_empty());
    assert!(s.requirements("review").is_empty());
    let from_folder = s.files();
    assert_eq!(from_folder.len(), on_disk.len(), "{from_folder:#?}");
    assert_no_developer_words(&s.visible_text());

    let zip = zip_submission(name, s.work.path());
    s.choose("pick-archive", &zip, &format!("{name}.zip"));
    s.check();
    assert_eq!(s.text_of("verdict"), "通过");
    assert_eq!(s.files(), from_folder, "a zip lists what the folder lists");
    s.finish().await;
}

/// A refused upload: the page shows the server's Chinese message, and the next upload works.
/// A damaged zip is not refused: it is a submission that cannot be opened, 不通过 with the
/// damage as the reason, never a question about the category.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_and_damaged_uploads_say_what_is_wrong() {
    let Some(s) = start().await else {
        return;
    };
    let fake = s.work.path().join("材料.zip");
    std::fs::write(&fake, "这不是压缩包，只是改了扩展名的文本").unwrap();
    s.choose("pick-archive", &fake, "材料.zip");
    s.client.find("#start").unwrap().click().unwrap();
    s.client
        .wait_for("body[data-state='failed']", Duration::from_secs(120))
        .unwrap();
    let message = s.text_of("message");
    assert!(
        message.contains("“材料.zip” 不是 .zip 或 .7z 压缩包"),
        "{message}"
    );

    // A real zip cut short, as an interrupted download leaves it.
    let name = "XXJL-2025-02-新疆计算机学会-全疆论坛";
    let whole = std::fs::read(zip_submission(name, s.work.path())).unwrap();
    let cut = s.work.path().join(format!("{name}-cut.zip"));
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    s.choose("pick-archive", &cut, &format!("{name}-cut.zip"));
    s.category("");
    s.check();
    assert_eq!(s.text_of("verdict"), "不通过");
    let reason = s.text_of("reason");
    assert!(
        reason.contains("压缩包已损坏") && reason.contains("重新打包"),
        "{reason}"
    );
    let text = s.visible_text();
    assert!(!text.contains("无法判断项目类别"), "{text}");
    assert!(!text.contains("未找到"), "no list of missing items: {text}");
    assert_no_developer_words(&text);

    // The server still serves: the same page, a real submission this time.
    let name = "QKPY-2025-01-新疆医学会-期刊培育";
    let zip = zip_submission(name, s.work.path());
    s.choose("pick-archive", &zip, &format!("{name}.zip"));
    s.check();
    assert_eq!(s.text_of("verdict"), "通过");
    s.finish().await;
}

/// A category chosen by hand that contradicts the project code in the name: a warning at the
/// top, and the dossier's basis says 页面选择 (not a command-line flag).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_category_that_contradicts_the_code_is_warned_about() {
    let Some(s) = start().await else {
        return;
    };
    let name = "XXJL-2025-02-新疆计算机学会-全疆论坛";
    let zip = zip_submission(name, s.work.path());
    s.choose("pick-archive", &zip, &format!("{name}.zip"));
    s.category("QKPY-2025");
    s.check();
    let notices = s.text_of("notices");
    assert!(
        notices.contains("QKPY-2025")
            && notices.contains("XXJL-2025")
            && notices.contains("不一致"),
        "{notices}"
    );
    let text = s.visible_text();
    assert!(text.contains("页面选择"), "{text}");
    assert!(!text.contains("--category"), "{text}");
    s.finish().await;
}
