//! Batch audit: every submission of a year under one root, checked in parallel, with one
//! dossier per project and a summary (CSV, XLSX, HTML index).
//!
//! Why a module of its own and not a loop in the CLI: an administrator's run over hundreds of
//! projects must survive any one of them (a broken submission becomes a row with its error, the
//! run goes on), produce the same output in the same order whatever the thread timing, and keep
//! memory flat: each project's dossier is written as soon as it is checked and only a small
//! [`ProjectRow`] is kept, so peak memory does not grow with the number of projects or the size
//! of their recordings.
//!
//! Submissions are found by name: a folder or archive (`.zip`, `.7z`, `.rar`) whose name holds
//! a project code (`XXJL-2025-03`, [`crate::pipeline::project_code`]) is one submission and is
//! not descended into, and so is every other folder or archive beside one (a submission whose
//! name lacks its code is checked, never dropped); with `--depth N` every folder or archive at
//! depth N is one, whatever its name. Projects
//! run in parallel on a rayon pool (`--jobs`, else all cores), and the files inside each project
//! are read in parallel on the same pool (`pipeline::check`), so a year of one huge project and
//! many small ones keeps every core busy. A facts cache ([`crate::cache`]) makes re-audits read
//! only what changed.

pub(crate) mod cross;
pub(crate) mod index;
pub(crate) mod summary;

use std::collections::{BTreeSet, HashSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;
use walkdir::WalkDir;

use crate::cache::{CacheStats, FactCache};
use crate::lang::Lang;
use crate::model::{Report, Verdict};
use crate::pipeline::{Hooks, Options, RunError, all_labels, check_with, project_code, society};
use crate::report::{checked_at_now, dossier_meta, write_out_dir_with};
use crate::rules::RuleSet;
use crate::walk::clutter;

/// How deep discovery looks for code-named submissions when no `--depth` is given.
const MAX_DISCOVERY_DEPTH: usize = 6;

/// What `yanshou audit` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct AuditOptions {
    /// Every folder/archive at this depth is a submission (1 = children of the root).
    pub depth: Option<usize>,
    /// Worker threads (default: rayon's, i.e. all cores or `RAYON_NUM_THREADS`).
    pub jobs: Option<usize>,
    /// Show a progress bar on stderr (only if stderr is a terminal).
    pub progress: bool,
    /// Facts cache directory; `None` disables the cache.
    pub cache_dir: Option<PathBuf>,
    pub lang: Lang,
    /// Per-check options (category, level, strict, limits).
    pub check: Options,
    /// Fixed check time for the dossiers (tests); default now.
    pub checked_at: Option<String>,
    /// The category of named submissions (`--categories FILE`: submission name or path under
    /// the root → rule-set id); it decides for them, as `check --category` does.
    pub categories: std::collections::BTreeMap<String, String>,
    /// The category of submissions whose name and documents do not tell (`--category`).
    pub default_category: Option<String>,
    /// Skip the cross-submission pass (issue #16; [`crate::cross`]): no fingerprints, no
    /// findings. Off by default; for measuring the pass against the audit.
    pub no_cross: bool,
    /// Earlier audits' output folders to compare with (`--compare-with`).
    pub compare_with: Vec<PathBuf>,
}

/// What an audit row says when a submission's category cannot be decided: what exists to
/// set it.
fn category_advice(ids: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "无法判断项目类别：名称中没有项目编号（如 XXJL-2025-03），文档中也没有足够的线索。请把项目编号加到文件夹名中，或在 audit 中用 --category 指定默认类别、用 --categories 类别清单（每行“提交材料名称,类别”）逐个指定（可用：{ids}）"
        ),
        Lang::En => format!(
            "The project category cannot be decided: the name holds no project code (such as XXJL-2025-03) and the documents do not tell. Add the project code to the folder name, or give audit a default with --category, or one per submission with --categories FILE (lines \"submission name,category\"; available: {ids})"
        ),
    }
}

/// Reads a category list: one submission per line, `name,category` (or tab-separated), the
/// name as the folder or archive is called (or its path under the root). A first line whose
/// category is not a rule set is a header; `#` starts a comment. Errors name the line.
pub fn read_category_list(
    text: &str,
    sets: &[RuleSet],
) -> Result<std::collections::BTreeMap<String, String>, String> {
    let mut out = std::collections::BTreeMap::new();
    for (i, line) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((name, category)) = line.split_once([',', '\t', '，']) else {
            return Err(format!("第 {} 行：应为“提交材料名称,类别”：{line}", i + 1));
        };
        let (name, category) = (
            name.trim().trim_matches('"'),
            category.trim().trim_matches('"'),
        );
        match sets.iter().find(|s| s.id.eq_ignore_ascii_case(category)) {
            Some(set) => {
                out.insert(name.to_string(), set.id.clone());
            }
            None if i == 0 => {} // a header line ("提交材料,类别")
            None => {
                let ids: Vec<&str> = sets.iter().map(|s| s.id.as_str()).collect();
                return Err(format!(
                    "第 {} 行：未知的类别“{category}”（可用：{}）",
                    i + 1,
                    ids.join(", ")
                ));
            }
        }
    }
    Ok(out)
}

/// One submission found under the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    pub path: PathBuf,
    /// Path relative to the root, `/`-separated.
    pub name: String,
    pub is_archive: bool,
}

/// Why an audit could not run at all (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("无法读取 {0}：{zh}", zh = crate::os_error::zh(.1))]
    Root(String, std::io::Error),
    #[error("{0} 下没有找到任何提交材料（文件夹或压缩包）")]
    Empty(String),
    #[error("{text}", text = out_error(.0, .1))]
    Out(String, std::io::Error),
    #[error("无法创建线程池：{0}")]
    Pool(String),
    #[error("{0}")]
    Cross(String),
}

/// Why the output folder cannot be written, in words that say what to do.
pub fn out_error(dir: &str, e: &std::io::Error) -> String {
    if std::path::Path::new(dir).is_file() {
        return format!("输出目录 {dir} 是一个文件，不是文件夹：请用 --out 指定一个文件夹");
    }
    format!("无法写入输出目录 {dir}：{}", crate::os_error::zh(e))
}

/// One requirement of one project, for the summary tables.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ReqCell {
    pub id: String,
    pub title: String,
    pub verdict: Verdict,
    pub measured: serde_json::Value,
    pub measured_text: String,
}

/// One project's line in the summary: what a summary needs of the dossier, and no more.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ProjectRow {
    /// Submission path relative to the root.
    pub name: String,
    /// Folder under `--out` holding its dossier.
    pub dir: String,
    pub code: Option<String>,
    pub society: Option<String>,
    pub category: Option<String>,
    pub category_title: Option<String>,
    pub level: Option<String>,
    /// `None` when the submission could not be checked (see `error`).
    pub verdict: Option<Verdict>,
    pub pass: usize,
    pub review: usize,
    pub fail: usize,
    pub files: usize,
    pub unreadable: usize,
    pub requirements: Vec<ReqCell>,
    pub error: Option<String>,
    /// The cross-submission findings that concern it, by kind ("2：文字雷同 1；照片重复 1").
    pub findings: String,
    pub finding_count: usize,
}

impl ProjectRow {
    /// The verdict as a filter key: `pass`, `review`, `fail`, or `error`.
    pub fn verdict_key(&self) -> &'static str {
        self.verdict.map(Verdict::en).unwrap_or("error")
    }

    /// The verdict word in `lang`, or "could not be checked".
    pub fn verdict_word(&self, lang: Lang) -> &'static str {
        match self.verdict {
            Some(v) => lang.verdict(v),
            None => lang.labels().not_checked,
        }
    }
}

/// A requirement column of the summary: one per requirement id, in rule-set order.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Column {
    pub id: String,
    pub title: String,
}

/// The outcome of an audit.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AuditResult {
    pub root: String,
    pub tool: String,
    pub checked_at: String,
    pub projects: Vec<ProjectRow>,
    pub columns: Vec<Column>,
    pub cache: Option<CacheStats>,
    pub files: u64,
    pub bytes: u64,
    pub seconds: f64,
    /// Files written under `--out` besides the dossiers.
    pub outputs: Vec<PathBuf>,
    /// Stopped by Ctrl+C: the projects finished before are in the summary, the others are
    /// rows saying they were not checked.
    pub interrupted: bool,
    /// The cross-submission pass (`None` when skipped).
    pub cross: Option<cross::CrossResult>,
}

impl AuditResult {
    /// Exit code: 0 when no project fails, 1 when any fails or could not be checked (or, with
    /// `--strict`, needs review).
    pub fn exit_code(&self, strict: bool) -> i32 {
        let bad = self.projects.iter().any(|p| match p.verdict {
            None | Some(Verdict::Fail) => true,
            Some(Verdict::Review) => strict,
            Some(Verdict::Pass) => false,
        });
        i32::from(bad)
    }

    /// Counts by verdict key (pass, fail, review, error).
    pub fn counts(&self) -> [(&'static str, usize); 4] {
        let n = |k: &str| {
            self.projects
                .iter()
                .filter(|p| p.verdict_key() == k)
                .count()
        };
        // The order every summary uses, as the dossier's tally: pass, fail, review.
        [
            ("pass", n("pass")),
            ("fail", n("fail")),
            ("review", n("review")),
            ("error", n("error")),
        ]
    }
}

/// An archive a submission may come in: `.zip` and `.7z` (read in place), `.rar` (listed as
/// not readable, with what to do).
fn is_archive_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".zip", ".7z", ".rar"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// Finds the submissions under `root`, sorted by path. `exclude` (the output directory, when
/// it lies inside the root) is never entered.
pub fn discover(
    root: &Path,
    depth: Option<usize>,
    exclude: &[PathBuf],
) -> std::io::Result<Vec<Submission>> {
    let meta = std::fs::metadata(root)?;
    let root_name = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // The root itself is one submission when it is an archive or a code-named folder.
    if meta.is_file() || (depth.is_none() && project_code(&root_name).is_some()) {
        return Ok(vec![Submission {
            path: root.to_path_buf(),
            name: root_name.clone(),
            is_archive: meta.is_file() && is_archive_name(&root_name),
        }]);
    }
    let excluded: Vec<PathBuf> = exclude
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let found = match depth {
        Some(d) => at_depth(root, d.max(1), &excluded),
        None => {
            let named = by_code(root, &excluded);
            if named.is_empty() {
                at_depth(root, 1, &excluded)
            } else {
                named
            }
        }
    };
    Ok(found)
}

fn candidate(root: &Path, entry: &walkdir::DirEntry) -> Option<Submission> {
    let name = entry.file_name().to_string_lossy().into_owned();
    let is_dir = entry.file_type().is_dir();
    let is_archive = entry.file_type().is_file() && is_archive_name(&name);
    if !(is_dir || is_archive) {
        return None;
    }
    Some(Submission {
        path: entry.path().to_path_buf(),
        name: crate::walk::display_path(root, entry.path()),
        is_archive,
    })
}

fn skipped_dir(entry: &walkdir::DirEntry, excluded: &[PathBuf]) -> bool {
    let name = entry.file_name().to_string_lossy();
    name.starts_with('.')
        || clutter(&name, true).is_some()
        || entry
            .path()
            .canonicalize()
            .is_ok_and(|c| excluded.iter().any(|e| e == &c))
}

/// Code-named folders and archives at any depth (not descending into them), and beside them
/// every other folder and archive of the same parent folders that holds no code-named one: a
/// submission whose name lacks its code is still a submission (checked, its category from its
/// documents), never silently dropped.
fn by_code(root: &Path, excluded: &[PathBuf]) -> Vec<Submission> {
    let named = code_named(root, excluded);
    let parents: BTreeSet<PathBuf> = named
        .iter()
        .filter_map(|s| s.path.parent().map(Path::to_path_buf))
        .collect();
    let mut out = named;
    for parent in &parents {
        let Ok(entries) = std::fs::read_dir(parent) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if out.iter().any(|s| s.path == path) {
                continue;
            }
            // A grouping folder ("第一批") that holds code-named submissions is not one.
            if out
                .iter()
                .any(|s| s.path.starts_with(&path) && s.path != path)
            {
                continue;
            }
            let Some(item) = WalkDir::new(&path)
                .max_depth(0)
                .into_iter()
                .next()
                .and_then(Result::ok)
            else {
                continue;
            };
            if item.file_type().is_dir() && skipped_dir(&item, excluded) {
                continue;
            }
            if let Some(s) = candidate(root, &item) {
                out.push(s);
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Code-named folders and archives at any depth (not descending into them).
fn code_named(root: &Path, excluded: &[PathBuf]) -> Vec<Submission> {
    let mut out = Vec::new();
    let mut walker = WalkDir::new(root)
        .min_depth(1)
        .max_depth(MAX_DISCOVERY_DEPTH)
        .sort_by_file_name()
        .into_iter();
    while let Some(item) = walker.next() {
        let Ok(entry) = item else { continue };
        let is_dir = entry.file_type().is_dir();
        if is_dir && skipped_dir(&entry, excluded) {
            walker.skip_current_dir();
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        if project_code(&name).is_some()
            && let Some(s) = candidate(root, &entry)
        {
            out.push(s);
            if is_dir {
                walker.skip_current_dir();
            }
        }
    }
    out
}

/// Every folder and archive at exactly `depth`.
fn at_depth(root: &Path, depth: usize, excluded: &[PathBuf]) -> Vec<Submission> {
    let mut out = Vec::new();
    let mut walker = WalkDir::new(root)
        .min_depth(1)
        .max_depth(depth)
        .sort_by_file_name()
        .into_iter();
    while let Some(item) = walker.next() {
        let Ok(entry) = item else { continue };
        if entry.file_type().is_dir() && skipped_dir(&entry, excluded) {
            walker.skip_current_dir();
            continue;
        }
        if entry.depth() == depth
            && let Some(s) = candidate(root, &entry)
        {
            out.push(s);
        }
    }
    out
}

/// A folder name safe on every file system, from a project code or submission name.
pub fn safe_dir_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' | '#' | '%' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let trimmed = cleaned.trim().trim_matches('.').trim();
    let short: String = trimmed.chars().take(80).collect();
    if short.is_empty() {
        "project".to_string()
    } else {
        short
    }
}

/// Output folder names, one per submission, unique (`-2`, `-3` … on collision), in order.
fn dir_names(subs: &[Submission]) -> Vec<String> {
    let mut used = HashSet::new();
    subs.iter()
        .map(|s| {
            let base_name = s.name.rsplit('/').next().unwrap_or(&s.name);
            let base = project_code(base_name).unwrap_or_else(|| {
                base_name
                    .strip_suffix(".zip")
                    .or_else(|| base_name.strip_suffix(".ZIP"))
                    .unwrap_or(base_name)
                    .to_string()
            });
            let base = safe_dir_name(&base);
            let mut name = base.clone();
            let mut n = 2;
            while !used.insert(name.to_lowercase()) {
                name = format!("{base}-{n}");
                n += 1;
            }
            name
        })
        .collect()
}

/// Files and bytes of a folder submission (metadata only), for the progress bar.
fn extent(sub: &Submission) -> (u64, u64) {
    if !sub.path.is_dir() {
        return (
            1,
            std::fs::metadata(&sub.path).map(|m| m.len()).unwrap_or(0),
        );
    }
    WalkDir::new(&sub.path)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .fold((0, 0), |(n, b), e| {
            (n + 1, b + e.metadata().map(|m| m.len()).unwrap_or(0))
        })
}

fn row_of(sub: &Submission, dir: &str, report: &Report) -> ProjectRow {
    ProjectRow {
        name: sub.name.clone(),
        dir: dir.to_string(),
        code: report.project.code.clone(),
        society: report.project.society.clone(),
        category: Some(report.project.category.clone()),
        category_title: Some(report.project.category_title.clone()),
        level: report.project.level.clone(),
        verdict: Some(report.verdict),
        pass: report.tally.pass,
        review: report.tally.review,
        fail: report.tally.fail,
        files: report.tally.files,
        unreadable: report.tally.unreadable,
        requirements: report
            .requirements
            .iter()
            .map(|r| ReqCell {
                id: r.id.clone(),
                title: r.title.clone(),
                verdict: r.verdict,
                measured: r.measured.clone(),
                measured_text: r.measured_text.clone(),
            })
            .collect(),
        // A submission that could not be opened fails for one reason: the row says it.
        error: report.blocker.as_ref().map(|p| p.message.clone()),
        findings: String::new(),
        finding_count: 0,
    }
}

fn error_row(sub: &Submission, dir: &str, error: String) -> ProjectRow {
    let base = sub.name.rsplit('/').next().unwrap_or(&sub.name);
    ProjectRow {
        name: sub.name.clone(),
        dir: dir.to_string(),
        code: project_code(base),
        society: society(base),
        category: None,
        category_title: None,
        level: None,
        verdict: None,
        pass: 0,
        review: 0,
        fail: 0,
        files: 0,
        unreadable: 0,
        requirements: Vec::new(),
        error: Some(error),
        findings: String::new(),
        finding_count: 0,
    }
}

/// The progress display: a bar over files, with bytes and the current project as message.
struct Progress {
    bar: ProgressBar,
    files_done: AtomicU64,
    bytes_done: AtomicU64,
    bytes_total: u64,
    current: Mutex<String>,
}

impl Progress {
    fn new(show: bool, files: u64, bytes: u64) -> Self {
        let bar = if show {
            let bar = ProgressBar::with_draw_target(Some(files), ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:28} {pos}/{len} 文件 · {msg} · 剩余 {eta}",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        } else {
            ProgressBar::hidden()
        };
        Progress {
            bar,
            files_done: AtomicU64::new(0),
            bytes_done: AtomicU64::new(0),
            bytes_total: bytes,
            current: Mutex::new(String::new()),
        }
    }

    fn start(&self, name: &str) {
        if let Ok(mut c) = self.current.lock() {
            *c = name.to_string();
        }
        self.refresh();
    }

    fn file(&self, size: u64) {
        let done = self.files_done.fetch_add(1, Ordering::Relaxed) + 1;
        self.bytes_done.fetch_add(size, Ordering::Relaxed);
        if let Some(len) = self.bar.length()
            && done > len
        {
            self.bar.set_length(done);
        }
        self.bar.inc(1);
        self.refresh();
    }

    fn refresh(&self) {
        if self.bar.is_hidden() {
            return;
        }
        let current = self.current.lock().map(|c| c.clone()).unwrap_or_default();
        self.bar.set_message(format!(
            "{} / {} · {}",
            crate::report::format::size(self.bytes_done.load(Ordering::Relaxed)),
            crate::report::format::size(self.bytes_total),
            current
        ));
    }
}

/// Audits every submission under `root`, writing dossiers and summaries under `out`.
pub fn audit(
    root: &Path,
    out: &Path,
    sets: &[RuleSet],
    opts: &AuditOptions,
) -> Result<AuditResult, AuditError> {
    let started = Instant::now();
    std::fs::create_dir_all(out).map_err(|e| AuditError::Out(out.display().to_string(), e))?;
    let subs = discover(root, opts.depth, &[out.to_path_buf()])
        .map_err(|e| AuditError::Root(root.display().to_string(), e))?;
    if subs.is_empty() {
        return Err(AuditError::Empty(root.display().to_string()));
    }
    let dirs = dir_names(&subs);
    // The cross pass needs fingerprints of photos and recordings, computed where each file is
    // read (and cached with its facts).
    let mut opts = opts.clone();
    // Hidden switch for measuring what the pass costs (bench/cross.sh, bench/RESULTS.md), as
    // YANSHOU_ISOLATION is for the worker processes.
    if std::env::var_os("YANSHOU_CROSS").is_some_and(|v| v == "off") {
        opts.no_cross = true;
    }
    opts.check.limits.prints = !opts.no_cross;
    let opts = &opts;
    let pass = if opts.no_cross {
        None
    } else {
        for dir in &opts.compare_with {
            crate::cross::store::check_earlier(dir).map_err(AuditError::Cross)?;
        }
        let config = crate::cross::CrossConfig::builtin().map_err(AuditError::Cross)?;
        let pass_opts = crate::cross::PassOptions {
            config,
            earlier: opts.compare_with.clone(),
        };
        Some(
            crate::cross::Pass::new(out, subs.len(), sets, &pass_opts)
                .map_err(|e| AuditError::Out(out.display().to_string(), e))?,
        )
    };
    let cache = match &opts.cache_dir {
        Some(dir) => {
            let (labels, distance) = all_labels(sets);
            Some(
                FactCache::open(dir, &labels, distance, &opts.check.limits)
                    .map_err(|e| AuditError::Out(dir.display().to_string(), e))?,
            )
        }
        None => None,
    };
    let checked_at = opts.checked_at.clone().unwrap_or_else(checked_at_now);

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.unwrap_or(0))
        .build()
        .map_err(|e| AuditError::Pool(e.to_string()))?;

    let show = opts.progress && std::io::stderr().is_terminal();
    let (files_total, bytes_total) = if show {
        subs.par_iter()
            .map(extent)
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    } else {
        (0, 0)
    };
    let progress = Progress::new(show, files_total, bytes_total);
    let files_seen = AtomicU64::new(0);
    let bytes_seen = AtomicU64::new(0);
    let on_file = |_: &str, size: u64| {
        files_seen.fetch_add(1, Ordering::Relaxed);
        bytes_seen.fetch_add(size, Ordering::Relaxed);
        progress.file(size);
    };
    let hooks = Hooks {
        cache: cache.as_ref(),
        on_file: Some(&on_file),
    };

    let mut projects: Vec<ProjectRow> = pool.install(|| {
        subs.par_iter()
            .zip(dirs.par_iter())
            .enumerate()
            .map(|(index, (sub, dir))| {
                progress.start(&sub.name);
                let pass = pass.as_ref().map(|p| (p, index));
                one(sub, dir, out, sets, opts, hooks, &checked_at, pass)
            })
            .collect()
    });
    progress.bar.finish_and_clear();
    let cross = pass.as_ref().map(|p| {
        cross::finish(
            p,
            &mut projects,
            out,
            &root.display().to_string(),
            &checked_at,
            opts.lang,
            &opts.compare_with,
        )
    });
    drop(pass);

    let columns = columns(sets, &projects, opts.lang);
    let mut result = AuditResult {
        root: root.display().to_string(),
        tool: format!("yanshou {}", env!("CARGO_PKG_VERSION")),
        checked_at,
        projects,
        columns,
        cache: cache.as_ref().map(FactCache::stats),
        files: files_seen.load(Ordering::Relaxed),
        bytes: bytes_seen.load(Ordering::Relaxed),
        seconds: 0.0,
        outputs: Vec::new(),
        interrupted: crate::isolate::interrupted(),
        cross,
    };
    let written = summary::write_all(&result, out, opts.lang)
        .map_err(|e| AuditError::Out(out.display().to_string(), e))?;
    result.outputs = written;
    let prints = out.join(crate::cross::store::FINGERPRINTS);
    if result.cross.is_some() && prints.is_file() {
        result.outputs.push(prints);
    }
    result.seconds = started.elapsed().as_secs_f64();
    Ok(result)
}

/// The error of a project the audit did not finish because it was interrupted.
const INTERRUPTED: &str =
    "核查被中断（Ctrl+C），此项目未核查完；请重新运行 audit（已读取的文件在缓存中，不会重读）";

/// Checks one submission and writes its dossier; every failure becomes the row's error. The
/// cross pass (with the project's index) is handed what it compares.
#[allow(clippy::too_many_arguments)]
fn one(
    sub: &Submission,
    dir: &str,
    out: &Path,
    sets: &[RuleSet],
    opts: &AuditOptions,
    hooks: Hooks<'_>,
    checked_at: &str,
    pass: Option<(&crate::cross::Pass, usize)>,
) -> ProjectRow {
    if crate::isolate::interrupted() {
        return error_row(sub, dir, INTERRUPTED.into());
    }
    // A panic anywhere in one project (a renderer, the evaluator) must not stop the audit.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // The dossier's language is the audit's: its messages are written by the evaluator.
        // The category list names a submission by its path under the root or its own name.
        let base = sub.name.rsplit('/').next().unwrap_or(&sub.name);
        let listed = opts
            .categories
            .get(&sub.name)
            .or_else(|| opts.categories.get(base))
            .cloned();
        let check = Options {
            lang: opts.lang,
            category_source: listed.as_ref().map(|_| match opts.lang {
                Lang::Zh => "类别清单（audit --categories）".to_string(),
                Lang::En => "category list (audit --categories)".to_string(),
            }),
            category: listed.or_else(|| opts.check.category.clone()),
            fallback_category: opts.default_category.clone(),
            ..opts.check.clone()
        };
        let report = match check_with(&sub.path, sets, &check, hooks) {
            Ok(r) => r,
            Err(RunError::CategoryUnknown(ids)) => {
                return error_row(sub, dir, category_advice(&ids, opts.lang));
            }
            Err(e) => return error_row(sub, dir, e.to_string()),
        };
        // Files of a project cut short were not read: its verdict would be wrong.
        if crate::isolate::interrupted() {
            return error_row(sub, dir, INTERRUPTED.into());
        }
        let meta = dossier_meta(&report, opts.lang, checked_at.to_string());
        match write_out_dir_with(&report, &out.join(dir), &meta) {
            Ok(_) => {
                if let Some((p, index)) = pass {
                    p.add(index, dir, &report);
                }
                row_of(sub, dir, &report)
            }
            Err(e) => {
                let mut row = row_of(sub, dir, &report);
                row.error = Some(format!("无法写入核查表：{e}"));
                row
            }
        }
    }));
    outcome.unwrap_or_else(|_| error_row(sub, dir, "内部错误：核查此项目时程序出错".into()))
}

/// The requirement columns: every requirement id of the rule sets the projects used, in
/// rule-set and requirement order, each once.
fn columns(sets: &[RuleSet], projects: &[ProjectRow], lang: Lang) -> Vec<Column> {
    let used: BTreeSet<&str> = projects
        .iter()
        .filter_map(|p| p.category.as_deref())
        .collect();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for set in sets.iter().filter(|s| used.contains(s.id.as_str())) {
        for r in &set.requirements {
            let title = r.title_in(lang);
            if seen.insert(r.id.clone()) {
                out.push(Column {
                    id: r.id.clone(),
                    title: title.to_string(),
                });
            } else if let Some(c) = out.iter_mut().find(|c| c.id == r.id)
                && !c.title.split(" / ").any(|t| t == title)
            {
                // The same requirement id titled differently by two categories: both titles.
                c.title = format!("{} / {title}", c.title);
            }
        }
    }
    // Ids of rows whose rule set is not among `sets` (cannot happen today) still get a column.
    for p in projects {
        for r in &p.requirements {
            if seen.insert(r.id.clone()) {
                out.push(Column {
                    id: r.id.clone(),
                    title: r.title.clone(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mk(root: &Path, rel: &str) {
        let p = root.join(rel);
        if rel.ends_with(".zip") {
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0").unwrap();
        } else {
            std::fs::create_dir_all(&p).unwrap();
        }
    }

    #[test]
    fn discovery_by_code_and_depth() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for rel in [
            "XXJL-2025-02-新疆医学会",
            "XXJL-2025-01-新疆农学会-全疆学术年会/XXJL-2025-09-nested",
            "QKPY/QKPY-2025-01-期刊.zip",
            "DJQC/其他/说明",
            ".cache/XXJL-2025-99",
            "out/XXJL-2025-98",
        ] {
            mk(root, rel);
        }
        let names = |v: Vec<Submission>| v.into_iter().map(|s| s.name).collect::<Vec<_>>();
        let found = discover(root, None, &[root.join("out")]).unwrap();
        // DJQC sits beside code-named submissions without holding one: it is a submission
        // too (listed, never dropped); QKPY only groups one, so it is not.
        assert_eq!(
            names(found.clone()),
            [
                "DJQC",
                "QKPY/QKPY-2025-01-期刊.zip",
                "XXJL-2025-01-新疆农学会-全疆学术年会",
                "XXJL-2025-02-新疆医学会",
            ]
        );
        assert!(found[1].is_archive);
        let d1 = discover(root, Some(1), &[root.join("out")]).unwrap();
        assert_eq!(
            names(d1),
            [
                "DJQC",
                "QKPY",
                "XXJL-2025-01-新疆农学会-全疆学术年会",
                "XXJL-2025-02-新疆医学会"
            ]
        );
        let d2 = discover(root, Some(2), &[root.join("out")]).unwrap();
        assert_eq!(
            names(d2),
            [
                "DJQC/其他",
                "QKPY/QKPY-2025-01-期刊.zip",
                "XXJL-2025-01-新疆农学会-全疆学术年会/XXJL-2025-09-nested",
            ]
        );
        // A code-named root is one submission.
        let one = discover(&root.join("XXJL-2025-02-新疆医学会"), None, &[]).unwrap();
        assert_eq!(one.len(), 1);
    }

    #[test]
    fn dir_names_are_unique_and_safe() {
        let sub = |name: &str| Submission {
            path: PathBuf::from(name),
            name: name.to_string(),
            is_archive: false,
        };
        let subs = [
            sub("a/XXJL-2025-01-甲学会"),
            sub("b/XXJL-2025-01-甲学会"),
            sub("xxjl-2025-01 乙"),
            sub("无编号:项目"),
            sub("QKPY-2025-02.zip"),
            sub(".."),
        ];
        assert_eq!(
            dir_names(&subs),
            [
                "XXJL-2025-01",
                "XXJL-2025-01-2",
                "XXJL-2025-01-3",
                "无编号_项目",
                "QKPY-2025-02",
                "project"
            ]
        );
    }
}
