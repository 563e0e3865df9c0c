//! The job table: one job per accepted upload, from queued to a finished dossier.
//!
//! A check is CPU work of seconds to minutes, so the upload request only creates a job and
//! returns its id; the page polls `GET /api/jobs/{id}` for progress (files read / total) and
//! then fetches the outputs. Polling JSON was chosen over server-sent events: one plain
//! endpoint that the browser test, the load test and `curl` all read the same way.
//!
//! The check itself is the library's [`crate::pipeline::check_with`] on a blocking thread
//! (`spawn_blocking`), with the per-file progress callback counting files. The total comes from
//! walking the upload once beforehand (a zip's directory or a folder listing: cheap next to
//! reading the files). A semaphore bounds how many checks run at once (the machine's cores are
//! shared with the rayon pool inside each check); the rest wait as "queued". The rendered
//! outputs (HTML, DOCX, JSON: kilobytes) are kept in memory; the uploaded files are removed as
//! soon as the check ends, and finished jobs expire after a while (`Jobs::sweep`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::input::Limits;
use crate::model::{Tally, Verdict};
use crate::pipeline::{Hooks, MANIFEST, Options, RunError, check_with};
use crate::report::{
    Lang, checked_at_now, dossier_meta, render_docx, render_html_lang, render_json,
};
use crate::rules::RuleSet;
use crate::walk::{Found, walk_with};

use super::upload::Received;

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Queued,
    Checking,
    Done,
    Failed,
}

impl Stage {
    pub fn zh(self) -> &'static str {
        match self {
            Stage::Queued => "排队等待核查",
            Stage::Checking => "正在核查",
            Stage::Done => "核查完成",
            Stage::Failed => "未能核查",
        }
    }
}

/// The rendered dossier of a finished job.
#[derive(Debug)]
pub struct Outputs {
    pub html: String,
    pub docx: Vec<u8>,
    pub json: String,
    pub verdict: Verdict,
    pub tally: Tally,
    pub project: String,
    pub category: String,
    pub category_title: String,
    /// Why nothing could be checked (a damaged archive, an empty folder): the main reason.
    pub reason: Option<String>,
    /// Warnings about the set-up (a category chosen that contradicts the project code).
    pub notices: Vec<String>,
}

#[derive(Debug)]
struct JobState {
    stage: Stage,
    started: Option<Instant>,
    finished: Option<Instant>,
    outputs: Option<Arc<Outputs>>,
    error: Option<String>,
}

/// One upload being checked.
#[derive(Debug)]
pub struct Job {
    pub id: String,
    /// What was uploaded (archive or folder name).
    pub name: String,
    pub files_uploaded: usize,
    pub bytes_uploaded: u64,
    done: AtomicUsize,
    total: AtomicUsize,
    state: Mutex<JobState>,
}

/// What `GET /api/jobs/{id}` answers.
#[derive(Debug, Serialize)]
pub struct Status {
    pub id: String,
    pub name: String,
    pub stage: Stage,
    pub stage_zh: &'static str,
    /// Files read so far / files to read.
    pub done: usize,
    pub total: usize,
    pub uploaded_files: usize,
    pub uploaded_bytes: u64,
    /// Seconds spent checking (so far, or in all once finished); queueing not included.
    pub seconds: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<ResultSummary>,
}

/// The headline of a finished dossier, and where to get it.
#[derive(Debug, Serialize)]
pub struct ResultSummary {
    pub verdict: Verdict,
    pub verdict_zh: &'static str,
    pub project: String,
    pub category: String,
    pub category_title: String,
    /// Why nothing could be checked, the verdict's first and main reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<String>,
    pub tally: Tally,
    pub view: String,
    pub html: String,
    pub docx: String,
    pub json: String,
}

impl Job {
    fn new(id: String, upload: &Received) -> Self {
        Job {
            id,
            name: upload.name.clone(),
            files_uploaded: upload.files,
            bytes_uploaded: upload.bytes,
            done: AtomicUsize::new(0),
            total: AtomicUsize::new(0),
            state: Mutex::new(JobState {
                stage: Stage::Queued,
                started: None,
                finished: None,
                outputs: None,
                error: None,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, JobState> {
        // A panic while holding this lock cannot leave the state half-written (every update
        // is one assignment), so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn set_checking(&self) {
        let mut s = self.lock();
        s.stage = Stage::Checking;
        s.started = Some(Instant::now());
    }

    pub fn finish(&self, result: Result<Outputs, String>) {
        let mut s = self.lock();
        s.finished = Some(Instant::now());
        match result {
            Ok(o) => {
                s.stage = Stage::Done;
                s.outputs = Some(Arc::new(o));
            }
            Err(e) => {
                s.stage = Stage::Failed;
                s.error = Some(e);
            }
        }
    }

    pub fn outputs(&self) -> Option<Arc<Outputs>> {
        self.lock().outputs.clone()
    }

    pub fn status(&self) -> Status {
        let s = self.lock();
        let link = |what: &str| format!("/jobs/{}/{what}", self.id);
        Status {
            id: self.id.clone(),
            name: self.name.clone(),
            stage: s.stage,
            stage_zh: s.stage.zh(),
            done: self.done.load(Ordering::Relaxed),
            total: self.total.load(Ordering::Relaxed),
            uploaded_files: self.files_uploaded,
            uploaded_bytes: self.bytes_uploaded,
            seconds: s
                .started
                .map(|t| {
                    s.finished
                        .unwrap_or_else(Instant::now)
                        .saturating_duration_since(t)
                })
                .unwrap_or_default()
                .as_secs_f64(),
            error: s.error.clone(),
            result: s.outputs.as_ref().map(|o| ResultSummary {
                verdict: o.verdict,
                verdict_zh: o.verdict.zh(),
                project: o.project.clone(),
                category: o.category.clone(),
                category_title: o.category_title.clone(),
                reason: o.reason.clone(),
                notices: o.notices.clone(),
                tally: o.tally.clone(),
                view: link("view"),
                html: link("dossier.html"),
                docx: link("dossier.docx"),
                json: link("dossier.json"),
            }),
        }
    }

    fn expired(&self, now: Instant, ttl: Duration) -> bool {
        self.lock()
            .finished
            .is_some_and(|f| now.saturating_duration_since(f) > ttl)
    }
}

/// All jobs of this server.
#[derive(Debug)]
pub struct Jobs {
    map: Mutex<HashMap<String, Arc<Job>>>,
    /// How long a finished job (its dossier) stays available.
    pub ttl: Duration,
}

impl Jobs {
    pub fn new(ttl: Duration) -> Self {
        Jobs {
            map: Mutex::new(HashMap::new()),
            ttl,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Job>>> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers a job for an accepted upload.
    pub fn create(&self, upload: &Received) -> Arc<Job> {
        let job = Arc::new(Job::new(new_id(), upload));
        self.lock().insert(job.id.clone(), job.clone());
        job
    }

    pub fn get(&self, id: &str) -> Option<Arc<Job>> {
        self.lock().get(id).cloned()
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets finished jobs older than the TTL; returns how many went.
    pub fn sweep(&self) -> usize {
        let now = Instant::now();
        let mut map = self.lock();
        let before = map.len();
        map.retain(|_, j| !j.expired(now, self.ttl));
        before - map.len()
    }
}

/// A job id: 128 random bits from the OS, as hex. Unguessable, so one user's dossier cannot be
/// fetched by another who merely shares the LAN.
fn new_id() -> String {
    let mut buf = [0u8; 16];
    if getrandom::fill(&mut buf).is_err() {
        // No OS randomness (never seen on Linux): fall back to a hash of time and a counter.
        static N: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let mut h = blake3::Hasher::new();
        h.update(&nanos.to_le_bytes());
        h.update(&N.fetch_add(1, Ordering::Relaxed).to_le_bytes());
        h.update(&std::process::id().to_le_bytes());
        buf.copy_from_slice(h.finalize().as_bytes().get(..16).unwrap_or(&[0; 16]));
    }
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// Runs the check of one upload on the calling (blocking) thread, updating the job's
/// progress; removes the uploaded files before returning, whatever happened.
pub(crate) fn run_check(
    job: &Job,
    upload: Received,
    sets: &[RuleSet],
    limits: &Limits,
) -> Result<Outputs, String> {
    let result = check_upload(job, &upload, sets, limits);
    // The uploaded files are no longer needed: the outputs are rendered.
    let _ = upload.dir.close();
    result
}

fn check_upload(
    job: &Job,
    upload: &Received,
    sets: &[RuleSet],
    limits: &Limits,
) -> Result<Outputs, String> {
    if let Ok(walked) = walk_with(&upload.target, limits) {
        let total = walked
            .found
            .iter()
            .filter(|f| matches!(f, Found::File(i) if i.display != MANIFEST))
            .count();
        job.total.store(total, Ordering::Relaxed);
    }
    let options = Options {
        category: upload.category.clone(),
        category_source: Some("页面选择".into()),
        level: None,
        strict: false,
        limits: limits.clone(),
        lang: crate::lang::Lang::Zh,
        ..Options::default()
    };
    let on_file = |_: &str, _: u64| {
        job.done.fetch_add(1, Ordering::Relaxed);
    };
    let hooks = Hooks {
        cache: None,
        on_file: Some(&on_file),
    };
    let report = check_with(&upload.target, sets, &options, hooks).map_err(|e| match e {
        RunError::CategoryUnknown(ids) => format!(
            "无法判断项目类别：名称中没有项目编号（如 XXJL-2025-03），文档中也没有足够的线索。请在页面上的“项目类别”中选择（可用：{ids}）后重新上传"
        ),
        RunError::Io { source, .. } => format!(
            "无法读取上传的材料（{}），请重新上传",
            crate::os_error::zh(&source)
        ),
        other => other.to_string(),
    })?;
    let html = render_html_lang(&report, Lang::Zh).map_err(|e| format!("无法生成报告：{e}"))?;
    let meta = dossier_meta(&report, Lang::Zh, checked_at_now());
    let docx = render_docx(&report, &meta).map_err(|e| format!("无法生成 DOCX：{e}"))?;
    Ok(Outputs {
        html,
        docx,
        json: render_json(&report),
        verdict: report.verdict,
        tally: report.tally.clone(),
        project: report.project.name.clone(),
        category: report.project.category.clone(),
        category_title: report.project.category_title.clone(),
        reason: report.blocker.as_ref().map(|p| p.message.clone()),
        notices: report.notices.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_hex_and_distinct() {
        let a = new_id();
        let b = new_id();
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn stage_names() {
        for (stage, json) in [
            (Stage::Queued, "\"queued\""),
            (Stage::Checking, "\"checking\""),
            (Stage::Done, "\"done\""),
            (Stage::Failed, "\"failed\""),
        ] {
            assert_eq!(serde_json::to_string(&stage).ok().as_deref(), Some(json));
            assert!(!stage.zh().is_empty());
        }
    }
}
