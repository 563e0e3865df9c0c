//! Optional OCR through Tesseract: the text of scanned PDF pages and of photos, as estimates.
//!
//! Why it exists: scanned PDFs of signed reports are common, and a label on a meeting banner is
//! in a photo's pixels. Without OCR both can only be `review`; with it the reviewer gets an
//! estimate ("OCR 估计约 N 字") and a label read from the picture.
//!
//! Trade-offs, on purpose:
//! - **A subprocess, not a library.** Tesseract is C++ (with Leptonica); linking it would break
//!   the "plain `cargo build`" rule, so yanshou runs the `tesseract` program when it is installed
//!   (Debian: `tesseract-ocr tesseract-ocr-chi-sim`) and does without it otherwise. The image goes
//!   in on stdin and the text comes out on stdout: nothing is ever written near the input. Each
//!   run has a deadline; on it the whole process group is killed (a wrapper script's children
//!   too). `YANSHOU_TESSERACT` names another program (tests use stub scripts).
//! - **Estimates, never a pass.** OCR text goes into its own part ([`PartKind::Ocr`]), which is
//!   not counted in `words`; its counts sit in [`OcrInfo`] with `basis: "ocr"`. The evaluator
//!   may turn a words requirement that only OCR would meet into `review`, never into `pass`. A
//!   label read by OCR counts as present, shown as "OCR 识别" so the reviewer can look.
//! - **Bounded.** At most [`Ocr::max_images`] images per file, each under a deadline, all under
//!   a per-file budget; images above [`Ocr::max_pixels`] are downscaled first, and nothing above
//!   `Limits::max_image_pixels` is decoded at all. Pages past the bounds are listed as skipped.
//! - **Runs after extraction, outside the extractors.** [`enrich`] is called by the pipeline
//!   with the file's facts in hand, so no extractor depends on OCR. It runs inside the file's
//!   isolation (`crate::isolate`), like extraction: pulling images out of a PDF parses hostile
//!   bytes.
//! - **Videos through ffmpeg.** yanshou has no H.264/HEVC decoder; when ffmpeg is installed
//!   a few frames of a recording whose label is not in its metadata are taken and recognised
//!   ([`frames`]); without it recordings stay `review`. HEIC photos are skipped with a note
//!   (no HEVC decoder).
//! - **Small text is enlarged**, pages built from strips are composed ([`compose`]) before
//!   recognition: Tesseract reads neither a 10 px label nor a 39-row strip.
//! - PDF images in JBIG2 encoding are not handed to Tesseract (no decoder here): their pages
//!   are reported as not recognised. CCITT fax images are, wrapped in a TIFF header.

mod compose;
pub(crate) mod frames;
pub(crate) mod pdf;
mod picture;
#[cfg(test)]
mod tests;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::extract::catch_quietly;
use crate::facts::{Facts, Format, Kind, OcrInfo, PartKind, Problem};
use crate::input::{Input, Limits};

/// The environment variable that names the tesseract program (overrides `PATH`).
pub const ENV_PROGRAM: &str = "YANSHOU_TESSERACT";

/// The Tesseract model for simplified Chinese (required; `eng` is added when installed).
pub const LANG: &str = "chi_sim";

/// Whether to use OCR (`--ocr`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OcrMode {
    /// Use tesseract when it is installed with the chi_sim model.
    #[default]
    Auto,
    /// Require tesseract (exit 2 without it).
    On,
    /// Never run OCR.
    Off,
}

pub use crate::input::engine::Ocr;

impl Ocr {
    /// Default bounds for a program whose version is known (no probing: tests use this).
    pub fn with_program(program: impl Into<PathBuf>, version: impl Into<String>) -> Ocr {
        Ocr {
            program: program.into(),
            version: version.into(),
            lang: LANG.to_string(),
            image_timeout: Duration::from_secs(60),
            file_budget: Duration::from_secs(300),
            max_images: 40,
            max_pixels: 16_000_000,
            ffmpeg: None,
        }
    }

    /// Runs `PROGRAM --version` and `--list-langs`: the program must answer and list `chi_sim`.
    pub fn probe(program: &Path) -> Result<Ocr, String> {
        let deadline = Duration::from_secs(20);
        let shown = program.display();
        let version = run(program, &["--version"], &[], deadline).map_err(|e| match e {
            RunFailure::Spawn(err) => format!("无法运行 {shown}（{err}）"),
            other => format!("{shown} --version 失败（{}）", other.describe()),
        })?;
        // Tesseract 3 printed its version on stderr.
        let text = if version.stdout.trim().is_empty() {
            &version.stderr
        } else {
            &version.stdout
        };
        let version_line = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("tesseract (unknown version)")
            .to_string();
        let langs = run(program, &["--list-langs"], &[], deadline)
            .map_err(|e| format!("{shown} --list-langs 失败（{}）", e.describe()))?;
        let listed = format!("{}\n{}", langs.stdout, langs.stderr);
        if !listed.lines().any(|l| l.trim() == LANG) {
            return Err(format!(
                "{shown} 没有简体中文模型 {LANG}：请安装 tesseract-ocr-chi-sim（Debian/Ubuntu：apt-get install tesseract-ocr-chi-sim）"
            ));
        }
        let mut ocr = Ocr::with_program(program, version_line);
        ocr.ffmpeg = frames::find_ffmpeg();
        // English alongside when installed (Debian's tesseract-ocr pulls it in): Chinese pages
        // read the same (538/538 Han on fixtures/ocr either way), English ones far better
        // (chi_sim alone turns an English scan into near-gibberish with stray Han), for about
        // a third more time.
        if listed.lines().any(|l| l.trim() == "eng") {
            ocr.lang = format!("{LANG}+eng");
        }
        Ok(ocr)
    }

    /// "tesseract 5.3.0 chi_sim": shown with every OCR result and put in the cache key.
    pub fn engine(&self) -> String {
        format!("{} {}", self.version, self.lang)
    }

    /// Recognises the text of one image (any format Leptonica reads: JPEG, PNG, TIFF, BMP, GIF,
    /// WebP, JPEG 2000), given on stdin.
    pub fn recognise(
        &self,
        image: &[u8],
        dpi: Option<u32>,
        timeout: Duration,
    ) -> Result<String, RunFailure> {
        let dpi = dpi.map(|d| d.clamp(70, 1200).to_string());
        let mut args = vec!["stdin", "stdout", "-l", self.lang.as_str(), "--psm", "3"];
        if let Some(d) = &dpi {
            args.push("--dpi");
            args.push(d);
        }
        let out = run(&self.program, &args, image, timeout)?;
        Ok(out.stdout)
    }
}

/// The program to use: `$YANSHOU_TESSERACT`, else `tesseract` on `PATH`.
pub fn find_program() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(ENV_PROGRAM).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("tesseract"))
        .find(|p| p.is_file())
}

/// The OCR engine for a mode: `Off` → none; `Auto` → tesseract if found with chi_sim, else none;
/// `On` → tesseract or an error that says how to install it (the CLI exits 2 on it).
pub fn resolve(mode: OcrMode) -> Result<Option<Arc<Ocr>>, String> {
    if mode == OcrMode::Off {
        return Ok(None);
    }
    let found = match find_program() {
        Some(p) => Ocr::probe(&p),
        None => Err(format!(
            "未找到 tesseract：请安装 tesseract-ocr 和 tesseract-ocr-chi-sim（Debian/Ubuntu：apt-get install tesseract-ocr tesseract-ocr-chi-sim），或用环境变量 {ENV_PROGRAM} 指定其路径"
        )),
    };
    match (found, mode) {
        (Ok(ocr), _) => Ok(Some(Arc::new(ocr))),
        (Err(_), OcrMode::Auto) => Ok(None),
        (Err(e), _) => Err(format!("--ocr on：{e}")),
    }
}

/// What the cache key needs to tell OCR runs apart: off, or the engine and model.
pub fn cache_id(ocr: Option<&Ocr>) -> String {
    match ocr {
        None => "ocr:off".to_string(),
        Some(o) if o.ffmpeg.is_some() => format!("ocr:{}+ffmpeg-frames", o.engine()),
        Some(o) => format!("ocr:{}", o.engine()),
    }
}

/// The output of a finished run.
#[derive(Debug, Clone)]
pub struct RunOutput {
    pub stdout: String,
    pub stderr: String,
}

/// Why a run gave no text.
#[derive(Debug)]
pub enum RunFailure {
    Spawn(std::io::Error),
    /// Killed on the deadline.
    Timeout(Duration),
    /// Exited unsuccessfully (status, first line of stderr).
    Failed(String, String),
}

impl RunFailure {
    /// Chinese description for findings.
    pub fn describe(&self) -> String {
        match self {
            RunFailure::Spawn(e) => format!("无法启动：{e}"),
            RunFailure::Timeout(d) => format!("超过 {} 秒未完成，已终止", d.as_secs()),
            RunFailure::Failed(status, err) if err.is_empty() => format!("退出状态 {status}"),
            RunFailure::Failed(status, err) => format!("退出状态 {status}：{err}"),
        }
    }
}

/// Most output kept from one run (a page of text is a few KB).
const MAX_OUTPUT: u64 = 4 << 20;

/// Runs `program args` with `input` on stdin, killing its process group at the deadline.
fn run(
    program: &Path,
    args: &[&str],
    input: &[u8],
    timeout: Duration,
) -> Result<RunOutput, RunFailure> {
    let mut cmd = Command::new(program);
    cmd.args(args)
        // Files are already read in parallel: one thread per recognition keeps the machine
        // from being oversubscribed (tesseract's OpenMP would take every core).
        .env("OMP_THREAD_LIMIT", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Its own process group, so the deadline kills a wrapper script's children too — except
    // in a worker process, where it stays in the worker's group: the parent kills that group
    // at the file's deadline, tesseract included.
    #[cfg(unix)]
    if !crate::isolate::worker::in_worker() {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let mut child = cmd.spawn().map_err(RunFailure::Spawn)?;
    let stdin = child.stdin.take();
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let start = Instant::now();
    std::thread::scope(|s| {
        s.spawn(move || {
            if let Some(mut w) = stdin {
                // A program that exits without reading (or is killed) closes the pipe: fine.
                let _ = w.write_all(input);
            }
        });
        let out = s.spawn(move || read_capped(stdout));
        let err = s.spawn(move || read_capped(stderr));
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Ok(status),
                Ok(None) if start.elapsed() >= timeout => {
                    kill_group(&mut child);
                    break Err(RunFailure::Timeout(timeout));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(10)),
                Err(e) => {
                    kill_group(&mut child);
                    break Err(RunFailure::Spawn(e));
                }
            }
        };
        let stdout = out.join().unwrap_or_default();
        let stderr = err.join().unwrap_or_default();
        let status = status?;
        if !status.success() {
            let first = stderr
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .unwrap_or("")
                .chars()
                .take(200)
                .collect();
            return Err(RunFailure::Failed(
                status
                    .code()
                    .map_or_else(|| "（被信号终止）".to_string(), |c| c.to_string()),
                first,
            ));
        }
        Ok(RunOutput { stdout, stderr })
    })
}

fn read_capped(pipe: Option<impl Read>) -> String {
    let mut buf = Vec::new();
    if let Some(p) = pipe {
        let _ = p.take(MAX_OUTPUT).read_to_end(&mut buf);
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// Kills the child's whole process group (it was made its leader), then reaps it.
fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    if let Ok(pid) = i32::try_from(child.id()) {
        // SAFETY: kill(2) with a negative pid signals the process group we created for this
        // child (process_group(0) made its pid the group id); it touches no memory.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Whether a file read with these facts has something for OCR: scanned PDF pages, or a photo
/// with no label found in its metadata. (A photo that carries one label in its metadata is not
/// recognised for a second one: OCR costs seconds per photo, and a batch holds thousands.)
pub fn wanted(format: Format, kind: Kind, facts: &Facts, labels: &[String]) -> bool {
    match format {
        Format::Pdf => !facts.scanned_pages.is_empty(),
        // A recording whose label is not in its metadata: its frames (through ffmpeg).
        _ if kind == Kind::Video => {
            !labels.is_empty()
                && !facts
                    .labels
                    .iter()
                    .any(|h| h.matched == crate::facts::LabelMatch::Exact)
        }
        _ if kind == Kind::Image => {
            labels.is_empty()
                || !facts
                    .labels
                    .iter()
                    .any(|h| h.matched == crate::facts::LabelMatch::Exact)
        }
        _ => false,
    }
}

/// One image to recognise.
#[derive(Debug, Clone)]
pub struct Job {
    /// PDF page (1-based), `None` for a photo.
    pub page: Option<u32>,
    pub bytes: Vec<u8>,
    pub dpi: Option<u32>,
    /// A frame of a recording: seconds from the start.
    pub frame: Option<f64>,
    /// The same image enlarged for small text (photos and video frames whose longer side is
    /// under 1,600 px): recognised too, and the richer of the two readings kept
    /// ([`richer`]).
    pub enlarged: Option<Vec<u8>>,
}

/// Of two readings of one image (as it is, enlarged), the one with more East Asian characters
/// (ties: the first). Misread small text comes out as a few stray Latin letters and Han; a
/// legible reading of the same pixels has more characters, not fewer.
pub fn richer(first: String, second: String) -> String {
    if crate::count::count(&second).cjk > crate::count::count(&first).cjk {
        second
    } else {
        first
    }
}

/// Runs OCR for one file whose facts are in hand and adds what it read: an `Ocr` part, an
/// [`OcrInfo`] with its counts, and findings in `warnings` (`ocr.*`). The caller re-runs the
/// label search afterwards.
pub fn enrich(
    ocr: &Ocr,
    input: &Input,
    format: Format,
    facts: &mut Facts,
    limits: &Limits,
    warnings: &mut Vec<Problem>,
) {
    let started = Instant::now();
    // Recordings: frames through ffmpeg (a program of its own, so not isolated here).
    let collected = if format.kind() == Kind::Video {
        frames::jobs(ocr, input, facts, limits).map(|j| (j, Vec::new()))
    } else {
        collect_jobs(ocr, input, format, facts, limits)
    };
    let (jobs, mut skipped) = match collected {
        Ok(x) => x,
        Err(p) => {
            warnings.push(p);
            return;
        }
    };
    let mut info = OcrInfo {
        basis: "ocr".to_string(),
        engine: ocr.engine(),
        ..OcrInfo::default()
    };
    let mut text = String::new();
    let mut failures: Vec<String> = Vec::new();
    for job in &jobs {
        let left = ocr.file_budget.saturating_sub(started.elapsed());
        if left.is_zero() {
            if let Some(p) = job.page {
                skipped.push((p, "OCR 总时限已用完".to_string()));
            } else {
                failures.push("OCR 总时限已用完".to_string());
            }
            continue;
        }
        match ocr.recognise(&job.bytes, job.dpi, ocr.image_timeout.min(left)) {
            Ok(mut t) => {
                if let Some(big) = &job.enlarged {
                    let left = ocr.file_budget.saturating_sub(started.elapsed());
                    if !left.is_zero()
                        && let Ok(t2) = ocr.recognise(big, job.dpi, ocr.image_timeout.min(left))
                    {
                        t = richer(t, t2);
                    }
                }
                info.images += 1;
                if let Some(p) = job.page
                    && !info.pages.contains(&p)
                {
                    info.pages.push(p);
                }
                let t = t.trim();
                if let Some(at) = job.frame {
                    info.frames.push(crate::facts::OcrFrame {
                        at,
                        text: t.to_string(),
                    });
                }
                if !t.is_empty() {
                    text.push_str(t);
                    text.push('\n');
                }
            }
            Err(e) => {
                let why = e.describe();
                match job.page {
                    Some(p) => skipped.push((p, why)),
                    None => failures.push(why),
                }
            }
        }
    }
    // A page recognised from one image is not skipped for another of its images.
    skipped.retain(|(p, _)| !info.pages.contains(p));
    skipped.sort_by_key(|(p, _)| *p);
    skipped.dedup_by_key(|(p, _)| *p);
    if !skipped.is_empty() {
        let list: Vec<String> = skipped
            .iter()
            .map(|(p, why)| format!("第 {p} 页（{why}）"))
            .collect();
        warnings.push(Problem::new(
            crate::codes::OCR_SKIPPED,
            format!(
                "以下扫描页未能进行 OCR 识别，字数需人工复核：{}",
                list.join("；")
            ),
        ));
    }
    if let Some(first) = failures.first() {
        warnings.push(Problem::new(
            crate::codes::OCR_FAILED,
            format!("图片 OCR 识别失败（{first}），标识需人工确认"),
        ));
    }
    info.skipped_pages = skipped.iter().map(|(p, _)| *p).collect();
    if info.images == 0 && info.skipped_pages.is_empty() && failures.is_empty() {
        return;
    }
    if info.images > 0 {
        facts.push_text(PartKind::Ocr, &text);
        // Recount: the OCR part gets its counts (not added to the counted total).
        let title = facts.title.clone();
        facts.finish_counts();
        facts.title = title;
        info.counts = facts
            .parts
            .iter()
            .find(|p| p.kind == PartKind::Ocr)
            .map(|p| p.counts)
            .unwrap_or_default();
        if format == Format::Pdf {
            let list: Vec<String> = info.pages.iter().map(|p| p.to_string()).collect();
            warnings.push(Problem::new(
                crate::codes::OCR_ESTIMATE,
                format!(
                    "第 {} 页为扫描件，已用 OCR（{}）识别约 {} 字（汉字 {}），仅为估计，需人工核对",
                    list.join("、"),
                    info.engine,
                    crate::count::thousands(info.counts.words),
                    crate::count::thousands(info.counts.han)
                ),
            ));
        }
    }
    facts.ocr = Some(info);
}

/// The images to recognise, and the scanned pages that cannot be (with the reason).
#[allow(clippy::type_complexity)]
fn collect_jobs(
    ocr: &Ocr,
    input: &Input,
    format: Format,
    facts: &Facts,
    limits: &Limits,
) -> Result<(Vec<Job>, Vec<(u32, String)>), Problem> {
    let owned = (
        input.clone(),
        facts.scanned_pages.clone(),
        limits.clone(),
        ocr.max_images,
        ocr.max_pixels,
    );
    let work = move || -> Result<(Vec<Job>, Vec<(u32, String)>), Problem> {
        let (input, pages, limits, max_images, max_pixels) = owned;
        let bytes = input.read_all(limits.max_document_bytes)?;
        if format == Format::Pdf {
            Ok(pdf::page_jobs(
                &bytes, &pages, &limits, max_images, max_pixels,
            ))
        } else {
            picture::job(&bytes, format, &limits, max_pixels).map(|j| (vec![j], Vec::new()))
        }
    };
    // Already inside the file's isolation (see `crate::isolate`): only a panic is caught here.
    catch_quietly(work).unwrap_or_else(|what| {
        Err(Problem::new(
            crate::codes::OCR_FAILED,
            format!(
                "准备 OCR 图像时出错（{}），未进行 OCR，需人工复核",
                crate::extract::panic_problem("ocr", &what).message
            ),
        ))
    })
}
