//! `yanshou serve`: a local web page where a society drops its submission and reads the verdict.
//!
//! Why a server at all: the people who prepare a society's closeout materials are rarely
//! programmers; a page in their own browser (upload a .zip or a folder, pick nothing, read in
//! Chinese what passes and what to fix, download the dossier) needs no terminal. Nothing leaves
//! the machine: the server binds 127.0.0.1 by default, the page, its CSS and script are compiled
//! into the binary (`assets/`, `include_str!`), and nothing is fetched from a CDN.
//!
//! Trade-offs: axum on tokio with a deliberately small feature set (HTTP/1 only, multipart,
//! JSON) to keep compile time down; the check itself is the same library call as `yanshou
//! check`, run on blocking threads ([`jobs`]), so the web page and the CLI cannot disagree.
//! Uploads stream to disk under limits ([`upload`]); a refused upload is a JSON error with a
//! Chinese message, and the server keeps serving. While bound to loopback, requests whose
//! `Host` is not a loopback name are refused (a web page elsewhere cannot reach the server
//! through DNS rebinding), and uploads sent by another site's page (`Sec-Fetch-Site`,
//! `Origin`) are refused wherever it is bound. Slow clients are cut off (header and idle
//! timeouts, see [`serve`]); a file that overruns its deadline has its worker process killed.

pub(crate) mod jobs;
pub(crate) mod upload;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;
use tokio::sync::Semaphore;

use crate::input::Limits;
use crate::rules::RuleSet;
use jobs::Jobs;
use upload::{UploadError, UploadLimits};

const INDEX_HTML: &str = include_str!("assets/index.html");
const STYLE_CSS: &str = include_str!("assets/style.css");
const APP_JS: &str = include_str!("assets/app.js");

/// How the server is set up (the `serve` flags, plus what tests change).
#[derive(Debug, Clone)]
pub struct Config {
    pub bind: IpAddr,
    pub port: u16,
    /// Largest upload (all file bytes).
    pub max_upload_bytes: u64,
    /// Most files in a folder upload / entries in an uploaded zip.
    pub max_entries: usize,
    /// Where the server's private temp dir is made (default: the system temp dir).
    pub temp_parent: Option<PathBuf>,
    /// How long a finished job's dossier stays available.
    pub job_ttl: Duration,
    /// How many checks run at once (the others wait, shown as queued).
    pub parallel_checks: usize,
    /// Limits of the check itself (as `yanshou check`).
    pub limits: Limits,
    /// How long a client may take to send a request's headers.
    pub header_timeout: Duration,
    /// How long a connection may stay silent while a request is expected or arriving.
    pub idle_timeout: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: IpAddr::from([127, 0, 0, 1]),
            port: 8080,
            max_upload_bytes: 4096 << 20,
            max_entries: 10_000,
            temp_parent: None,
            job_ttl: Duration::from_secs(3600),
            parallel_checks: 2,
            limits: Limits::default(),
            header_timeout: HEADER_TIMEOUT,
            idle_timeout: IDLE_TIMEOUT,
        }
    }
}

/// Shared by every request.
#[derive(Debug)]
pub struct AppState {
    pub config: Config,
    pub sets: Arc<Vec<RuleSet>>,
    pub jobs: Jobs,
    /// The server's own private temp dir: every upload gets a subdirectory; the whole tree is
    /// removed when the state is dropped (server stopped).
    pub temp: tempfile::TempDir,
    checks: Semaphore,
    index: String,
}

impl AppState {
    /// Builds the state: the server's temp dir and the page with its category list.
    pub fn new(config: Config, sets: Vec<RuleSet>) -> std::io::Result<Arc<Self>> {
        let mut builder = tempfile::Builder::new();
        builder.prefix("yanshou-serve-");
        let temp = match &config.temp_parent {
            Some(p) => builder.tempdir_in(p)?,
            None => builder.tempdir()?,
        };
        let index = index_page(&config, &sets);
        Ok(Arc::new(AppState {
            checks: Semaphore::new(config.parallel_checks.max(1)),
            jobs: Jobs::new(config.job_ttl),
            sets: Arc::new(sets),
            config,
            temp,
            index,
        }))
    }

    fn upload_limits(&self) -> UploadLimits {
        UploadLimits {
            max_bytes: self.config.max_upload_bytes,
            max_entries: self.config.max_entries,
        }
    }

    fn loopback_only(&self) -> bool {
        self.config.bind.is_loopback()
    }
}

/// The page, with the category options and the limits filled in.
fn index_page(config: &Config, sets: &[RuleSet]) -> String {
    let options: String = sets
        .iter()
        .map(|s| {
            let id = escape(&s.id);
            format!(
                "<option value=\"{id}\">{id} {}</option>\n",
                escape(&s.title)
            )
        })
        .collect();
    INDEX_HTML
        .replace("<!--CATEGORIES-->", &options)
        .replace("{{MAX_BYTES}}", &config.max_upload_bytes.to_string())
        .replace("{{MAX_ENTRIES}}", &config.max_entries.to_string())
        .replace(
            "{{MAX_TEXT}}",
            &escape(&crate::walk::archive::bytes_zh(config.max_upload_bytes)),
        )
        .replace("{{VERSION}}", env!("CARGO_PKG_VERSION"))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The routes.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/assets/style.css", get(style))
        .route("/assets/app.js", get(script))
        .route("/api/jobs", post(create_job))
        .route("/api/jobs/{id}", get(job_status))
        .route("/jobs/{id}/{file}", get(job_file))
        .fallback(not_found)
        // Uploads are bounded by `upload::receive` while streaming, with a Chinese message;
        // axum's own 2 MB default would refuse every real submission with an English one.
        .layer(DefaultBodyLimit::disable())
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state)
}

/// Refuses requests for a loopback-bound server that name a non-loopback host, and adds the
/// headers every response gets.
async fn guard(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    if request.method() != axum::http::Method::GET
        && request.method() != axum::http::Method::HEAD
        && is_cross_site(request.headers())
    {
        return error_response(
            StatusCode::FORBIDDEN,
            "request.cross_site",
            "拒绝来自其他网站的上传：请直接在本页面（yanshou 核查页面）上传材料",
        );
    }
    if state.loopback_only()
        && let Some(host) = request.headers().get(header::HOST)
        && !is_loopback_host(host)
    {
        return error_response(
            StatusCode::FORBIDDEN,
            "request.host",
            "本服务只接受本机访问（请用 http://127.0.0.1 或 http://localhost 打开）",
        );
    }
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// Whether a request that changes something (an upload) was sent by a page of another site: a
/// web page the user happens to have open may post to `http://127.0.0.1:8080/` in the
/// background. Browsers say where a request comes from: `Sec-Fetch-Site` (same-origin for our
/// own page, none for an address typed by hand) and `Origin` (which must name the host the
/// request was sent to). Clients that send neither (curl, scripts) are not browsers driven by
/// another site and are let through.
fn is_cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return !matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return false;
    };
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return true;
    };
    // "null" (a sandboxed frame, a file:// page) or another scheme/host is another site.
    let authority = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"));
    authority.is_none_or(|a| !a.eq_ignore_ascii_case(host))
}

/// `localhost`, `127.x.y.z` or `[::1]`, with or without a port.
fn is_loopback_host(host: &HeaderValue) -> bool {
    let Ok(host) = host.to_str() else {
        return false;
    };
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        host.rsplit_once(':').map(|(h, _)| h).unwrap_or(host)
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<IpAddr>()
            .is_ok_and(|ip: IpAddr| ip.is_loopback())
}

async fn index(State(state): State<Arc<AppState>>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'",
            ),
        ],
        state.index.clone(),
    )
        .into_response()
}

async fn style() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        STYLE_CSS,
    )
        .into_response()
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        APP_JS,
    )
        .into_response()
}

async fn not_found() -> Response {
    error_response(StatusCode::NOT_FOUND, "request.not_found", "没有这个页面")
}

/// A JSON error `{code, error}` with a Chinese message.
fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        axum::Json(json!({ "code": code, "error": message })),
    )
        .into_response()
}

impl IntoResponse for UploadError {
    fn into_response(self) -> Response {
        error_response(self.status, self.code, &self.message)
    }
}

/// How much of a refused body is still read (and dropped) before the connection is closed.
const DRAIN_BYTES: u64 = 256 << 20;

/// `POST /api/jobs`: receive the upload, start its check, answer with the job's status.
async fn create_job(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let mut multipart = match multipart {
        Ok(m) => m,
        Err(e) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                "upload.not_multipart",
                &format!("上传请求格式有误（{e}）：请在页面上选择压缩包或文件夹上传"),
            );
        }
    };
    let limits = state.upload_limits();
    // A body declared far larger than allowed is refused before reading it. The slack covers
    // the multipart framing (a few hundred bytes per file).
    let slack = (1u64 << 20).saturating_add(512u64.saturating_mul(limits.max_entries as u64));
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limits.max_bytes.saturating_add(slack)) {
        return UploadError::too_big(limits.max_bytes).into_response();
    }
    let upload = match upload::receive(&mut multipart, state.temp.path(), limits).await {
        Ok(u) => u,
        Err(e) => {
            // Read (and drop) the rest of the body, so the browser gets this answer rather
            // than a reset connection.
            if e.code != "upload.broken" {
                upload::drain(&mut multipart, DRAIN_BYTES).await;
            }
            return e.into_response();
        }
    };
    if let Some(c) = &upload.category
        && !state.sets.iter().any(|s| &s.id == c)
    {
        return error_response(
            StatusCode::BAD_REQUEST,
            "upload.category",
            &format!("未知的项目类别 “{c}”，请在列表中选择"),
        );
    }
    let job = state.jobs.create(&upload);
    let status = job.status();
    let worker = state.clone();
    tokio::spawn(async move {
        // Closed never: the semaphore lives as long as the state.
        let Ok(_permit) = worker.checks.acquire().await else {
            return;
        };
        job.set_checking();
        let sets = worker.sets.clone();
        let limits = worker.config.limits.clone();
        let running = job.clone();
        let result =
            tokio::task::spawn_blocking(move || jobs::run_check(&running, upload, &sets, &limits))
                .await
                .unwrap_or_else(|_| {
                    Err(
                "核查时出现内部错误（已记录），请重试；若反复出现，请把材料交给管理员用命令行核查"
                    .to_string(),
            )
                });
        job.finish(result);
    });
    (StatusCode::ACCEPTED, axum::Json(status)).into_response()
}

/// `GET /api/jobs/{id}`: progress and, when done, the headline of the dossier.
async fn job_status(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    match state.jobs.get(&id) {
        Some(job) => axum::Json(job.status()).into_response(),
        None => gone(),
    }
}

fn gone() -> Response {
    error_response(
        StatusCode::NOT_FOUND,
        "job.not_found",
        "没有找到这次核查（可能已过期或服务已重启），请重新上传",
    )
}

/// `GET /jobs/{id}/{view|dossier.html|dossier.docx|dossier.json}`.
async fn job_file(
    State(state): State<Arc<AppState>>,
    Path((id, file)): Path<(String, String)>,
) -> Response {
    let Some(job) = state.jobs.get(&id) else {
        return gone();
    };
    let Some(out) = job.outputs() else {
        return error_response(
            StatusCode::CONFLICT,
            "job.not_ready",
            "核查尚未完成，请稍候",
        );
    };
    let stem = format!("{}-验收核查表", out.project);
    // The dossier is static (no script): forbid any, and anything loaded from elsewhere.
    const DOSSIER_CSP: &str =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'";
    let (body, content_type, download): (Body, &str, Option<String>) = match file.as_str() {
        "view" => (out.html.clone().into(), "text/html; charset=utf-8", None),
        "dossier.html" => (
            out.html.clone().into(),
            "text/html; charset=utf-8",
            Some(format!("{stem}.html")),
        ),
        "dossier.docx" => (
            out.docx.clone().into(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Some(format!("{stem}.docx")),
        ),
        "dossier.json" => (
            out.json.clone().into(),
            "application/json; charset=utf-8",
            Some(format!("{stem}.json")),
        ),
        _ => return not_found().await,
    };
    let mut response = Response::new(body);
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(DOSSIER_CSP),
    );
    if let Some(name) = download
        && let Ok(v) = HeaderValue::from_str(&content_disposition(&name, &file))
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// `attachment` with an ASCII fallback name and the real (Chinese) name in RFC 5987 form.
fn content_disposition(name: &str, fallback: &str) -> String {
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// Binds the listener for `config` (port 0 picks a free one).
pub async fn bind(config: &Config) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(SocketAddr::new(config.bind, config.port)).await
}

/// How long a client may take to send a request's headers by default (slow-header attacks
/// hold connections open forever without it).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a connection may stay silent by default while a request (or the next one) is
/// expected: a stalled upload is closed, a slow but moving one is not.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// Serves until `shutdown` resolves; expired jobs are swept every minute.
///
/// Why not `axum::serve`: it builds hyper's connection without a timer, and without one
/// hyper's header-read timeout never fires — five clients sending one header byte a minute
/// held five connections forever. Each connection here gets the header timeout and an idle
/// read timeout; graceful shutdown waits at most the idle timeout for requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt;
    let sweeper = state.clone();
    let sweep = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            sweeper.jobs.sweep();
        }
    });
    let (header_timeout, idle_timeout) = (state.config.header_timeout, state.config.idle_timeout);
    let app = router(state);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(c) => c,
                // Out of descriptors and the like: wait a little rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let mut timed = tokio_io_timeout::TimeoutStream::new(stream);
        timed.set_read_timeout(Some(idle_timeout));
        timed.set_write_timeout(Some(idle_timeout));
        let service = hyper_util::service::TowerToHyperService::new(
            app.clone()
                .map_request(|r: axum::http::Request<hyper::body::Incoming>| r.map(Body::new)),
        );
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(header_timeout);
        let connection =
            graceful.watch(builder.serve_connection(TokioIo::new(Box::pin(timed)), service));
        tokio::spawn(async move {
            let _ = connection.await;
        });
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(idle_timeout) => {}
    }
    sweep.abort();
    // Wait for the sweeper to be gone, so the caller's state (and its temp dir) is dropped
    // when the last handle goes.
    let _ = sweep.await;
    Ok(())
}

/// What `yanshou serve` prints before serving.
pub fn banner(addr: SocketAddr, config: &Config) -> String {
    let shown = if addr.ip().is_unspecified() {
        SocketAddr::new(IpAddr::from([127, 0, 0, 1]), addr.port())
    } else {
        addr
    };
    let mut s = format!(
        "yanshou 验收核查页面已启动：请在浏览器中打开 http://{shown}/\n上传上限 {}、{} 个文件；按 Ctrl+C 停止（上传的材料随之删除）。\n",
        crate::walk::archive::bytes_zh(config.max_upload_bytes),
        config.max_entries
    );
    if !config.bind.is_loopback() {
        s.push_str(&format!(
            "警告：正在监听 {}，局域网内的其他电脑也能打开本页面并上传材料。本服务没有登录和加密（HTTP 明文），只应在可信的内部网络中使用，用完请立即停止。\n",
            config.bind
        ));
    }
    s
}

/// `yanshou serve`: builds a runtime, binds, prints the address, serves until Ctrl+C.
/// Returns the exit code (2 when the address cannot be bound).
pub fn run(config: Config, sets: Vec<RuleSet>) -> i32 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("yanshou: 无法启动服务：{e}");
            return 2;
        }
    };
    let (code, state) = runtime.block_on(async move {
        let listener = match bind(&config).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!(
                    "yanshou: 无法监听 {}:{}（{}）；{}",
                    config.bind,
                    config.port,
                    crate::os_error::zh(&e),
                    match e.kind() {
                        std::io::ErrorKind::AddrInUse => "请用 --port 换一个端口",
                        std::io::ErrorKind::AddrNotAvailable =>
                            "请用 --bind 指定本机的地址（如 127.0.0.1，或本机在局域网中的地址）",
                        std::io::ErrorKind::PermissionDenied =>
                            "1024 以下的端口需要管理员权限，请用 --port 换一个大于 1024 的端口",
                        _ => "请检查 --bind 和 --port",
                    }
                );
                return (2, None);
            }
        };
        let addr = listener
            .local_addr()
            .unwrap_or(SocketAddr::new(config.bind, config.port));
        let state = match AppState::new(config, sets) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("yanshou: 无法创建临时目录：{e}");
                return (2, None);
            }
        };
        eprint!("{}", banner(addr, &state.config));
        let code = match serve(listener, state.clone(), stop_signal()).await {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("yanshou: 服务出错：{e}");
                2
            }
        };
        (code, Some(state))
    });
    // Checks still running stop: their worker processes are killed (the files they were
    // reading end as interrupted), then their tasks are dropped; then the last handle on the
    // state goes and with it the server's temp dir and every upload in it.
    #[cfg(unix)]
    crate::isolate::signals::interrupt();
    runtime.shutdown_timeout(Duration::from_secs(2));
    crate::isolate::shutdown();
    drop(state);
    code
}

/// Resolves on Ctrl+C, or on SIGTERM (`kill`, a service manager).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
    eprintln!("\n正在停止……（临时目录中的上传材料随之删除）");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_site_uploads() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(*k, HeaderValue::from_static(v));
            }
            h
        };
        let table: &[(&[(&str, &str)], bool)] = &[
            (&[], false),
            (&[("host", "127.0.0.1:8080")], false),
            (&[("sec-fetch-site", "same-origin")], false),
            (&[("sec-fetch-site", "none")], false),
            (&[("sec-fetch-site", "cross-site")], true),
            (&[("sec-fetch-site", "same-site")], true),
            (
                &[
                    ("host", "127.0.0.1:8080"),
                    ("origin", "http://127.0.0.1:8080"),
                ],
                false,
            ),
            (
                &[
                    ("host", "127.0.0.1:8080"),
                    ("origin", "https://evil.example"),
                ],
                true,
            ),
            (&[("host", "127.0.0.1:8080"), ("origin", "null")], true),
            (&[("origin", "http://127.0.0.1:8080")], true),
        ];
        for (pairs, want) in table {
            assert_eq!(is_cross_site(&headers(pairs)), *want, "{pairs:?}");
        }
    }

    #[test]
    fn loopback_hosts() {
        for (host, ok) in [
            ("127.0.0.1:8080", true),
            ("localhost:8080", true),
            ("LOCALHOST", true),
            ("[::1]:8080", true),
            ("127.1.2.3", true),
            ("evil.example:8080", false),
            ("192.168.1.5:8080", false),
            ("localhost.evil.example", false),
        ] {
            assert_eq!(
                is_loopback_host(&HeaderValue::from_static(host)),
                ok,
                "{host}"
            );
        }
    }

    #[test]
    fn disposition_encodes_chinese() {
        assert_eq!(
            content_disposition("新疆-验收核查表.docx", "dossier.docx"),
            "attachment; filename=\"dossier.docx\"; filename*=UTF-8''%E6%96%B0%E7%96%86-%E9%AA%8C%E6%94%B6%E6%A0%B8%E6%9F%A5%E8%A1%A8.docx"
        );
    }

    #[test]
    fn banner_warns_off_loopback() {
        let addr: SocketAddr = "127.0.0.1:8080"
            .parse()
            .unwrap_or(SocketAddr::from(([0; 4], 0)));
        let local = Config::default();
        assert!(banner(addr, &local).contains("http://127.0.0.1:8080/"));
        assert!(!banner(addr, &local).contains("警告"));
        let lan = Config {
            bind: IpAddr::from([0, 0, 0, 0]),
            ..Config::default()
        };
        assert!(banner(addr, &lan).contains("警告"));
    }
}
