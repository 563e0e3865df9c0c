//! Isolation: every file is read where a hostile or broken file can hurt only itself.
//!
//! Why it exists: a year's audit reads thousands of files nobody here made, in parsers that are
//! ours and other people's. The guarantees, whatever the number of files (issue #12):
//! - **At most `jobs` files are read at once, by construction**: a read first takes one of a
//!   fixed number of slots and gives it back when it is done; a caller waiting for a slot
//!   blocks, it never runs other work in its own frame (which once nested one level per pending
//!   file and overflowed the stack at a few hundred files).
//! - **A deadline that stops the work**, a **memory ceiling per file**, and **a crash that costs
//!   one file**: in process mode ([`pool`]) each slot is a worker process (this binary, hidden
//!   subcommand `__worker`) that is killed with its process group at the deadline, runs under
//!   `RLIMIT_AS`, and whose death (abort, stack overflow, out of memory, a signal) becomes the
//!   file's finding ("解析器异常终止") while the slot starts a fresh worker.
//!
//! The binary always uses processes (`main` calls [`configure`]). Library users that have no
//! `yanshou` executable to start (unit tests, fuzz harnesses, benches), and non-Unix systems,
//! get the thread mode: the same slots, a deadline on a thread ([`thread`]), panics caught —
//! but a thread cannot be killed, so work past its deadline finishes on its own there.
//!
//! OCR runs inside the same isolated unit as extraction (it is part of reading a file): when it
//! starts, the worker tells the parent ([`ocr_starting`]) and the file's deadline grows by the
//! OCR budget from then on, so a hung parser is still stopped at the plain per-file deadline.

#[cfg(unix)]
pub(crate) mod pool;
#[cfg(unix)]
pub(crate) mod signals;
pub(crate) mod thread;
#[cfg(unix)]
mod wire;
#[cfg(unix)]
pub(crate) mod worker;

use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;

use crate::facts::{Format, Problem};
use crate::input::{Input, Limits};
use crate::model::{FileRecord, FileStatus};

/// Reads one file without isolation (what a worker, or the thread mode, runs).
pub type ReadFn = fn(&Input, &[String], usize, &Limits) -> FileRecord;

/// How files are isolated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Worker processes started from this program (the `yanshou` executable).
    Processes { program: PathBuf },
    /// Threads in this process (no executable to start; non-Unix).
    Threads,
}

/// The isolation of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub mode: Mode,
    /// Files read at once (default: the number of cores).
    pub jobs: usize,
    /// Address-space ceiling of one worker process, in bytes (`None`: unlimited).
    pub max_memory: Option<u64>,
}

/// The default memory ceiling of a worker process (4 GiB: a 512 MB document with its parse).
pub const DEFAULT_MAX_MEMORY: u64 = 4 << 30;

impl Config {
    /// Worker processes of `program`, `jobs` of them (0: one per core).
    pub fn processes(program: PathBuf, jobs: usize) -> Config {
        Config {
            mode: Mode::Processes { program },
            jobs: jobs_or_cores(jobs),
            max_memory: Some(DEFAULT_MAX_MEMORY),
        }
    }

    /// Threads, `jobs` at once (0: one per core).
    pub fn threads(jobs: usize) -> Config {
        Config {
            mode: Mode::Threads,
            jobs: jobs_or_cores(jobs),
            max_memory: None,
        }
    }
}

fn jobs_or_cores(jobs: usize) -> usize {
    let jobs = if jobs == 0 {
        std::thread::available_parallelism().map_or(2, |n| n.get())
    } else {
        jobs
    };
    #[cfg(unix)]
    let jobs = jobs.min(signals::MAX_TRACKED);
    jobs.max(1)
}

/// What reading in isolation gave.
pub enum Outcome {
    Record(Box<FileRecord>),
    /// Killed (or abandoned) at the deadline.
    Timeout,
    /// The reader died: why.
    Crashed(String),
    /// The run was interrupted before or while the file was read.
    Interrupted,
}

enum Engine {
    #[cfg(unix)]
    Processes(pool::Pool),
    Threads(Slots),
}

static ENGINE: RwLock<Option<Arc<(Config, Engine)>>> = RwLock::new(None);

/// Sets the isolation for the rest of the process (the previous workers are stopped). The CLI
/// calls it once per command; tests may call it to use the real binary's workers.
pub fn configure(config: Config) {
    let engine = build(&config);
    let mut slot = ENGINE.write().unwrap_or_else(|e| e.into_inner());
    *slot = Some(Arc::new((config, engine)));
}

/// The isolation in force (threads, one per core, until [`configure`] is called).
pub fn current() -> Config {
    engine().0.clone()
}

fn build(config: &Config) -> Engine {
    match &config.mode {
        #[cfg(unix)]
        Mode::Processes { program } => Engine::Processes(pool::Pool::new(
            program.clone(),
            config.jobs,
            config.max_memory,
        )),
        _ => Engine::Threads(Slots::new(config.jobs)),
    }
}

fn engine() -> Arc<(Config, Engine)> {
    if let Some(e) = ENGINE.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
        return e.clone();
    }
    let mut slot = ENGINE.write().unwrap_or_else(|e| e.into_inner());
    slot.get_or_insert_with(|| {
        let config = Config::threads(0);
        let engine = build(&config);
        Arc::new((config, engine))
    })
    .clone()
}

/// Stops the worker processes (a server shutting down; the end of a command).
pub fn shutdown() {
    let taken = ENGINE.write().unwrap_or_else(|e| e.into_inner()).take();
    if let Some(e) = taken {
        #[cfg(unix)]
        if let Engine::Processes(pool) = &e.1 {
            pool.shutdown();
        }
        drop(e);
    }
}

/// Whether the run was interrupted (Ctrl+C).
pub fn interrupted() -> bool {
    #[cfg(unix)]
    {
        signals::interrupted()
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// The time OCR of one file may add to its deadline (its budget, with room to hand back).
pub fn ocr_extension(limits: &Limits) -> Duration {
    limits
        .ocr
        .as_ref()
        .map_or(Duration::ZERO, |o| o.file_budget + Duration::from_secs(10))
}

/// Called by the reading code when OCR of the current file starts: a worker process tells its
/// parent, whose deadline for the file then grows by [`ocr_extension`] (extraction alone keeps
/// the plain per-file deadline). Elsewhere it does nothing.
pub fn ocr_starting() {
    #[cfg(unix)]
    worker::notify_ocr();
}

/// Reads `input` with `read`, isolated as configured. Every outcome is a record: a timeout, a
/// crash or an interrupt is the file's finding.
pub fn read(
    input: &Input,
    labels: &[String],
    distance: usize,
    limits: &Limits,
    read: ReadFn,
) -> FileRecord {
    let engine = engine();
    let extension = ocr_extension(limits);
    let outcome = match &engine.1 {
        #[cfg(unix)]
        Engine::Processes(pool) => {
            match pool.read(input, labels, distance, limits, limits.timeout, extension) {
                Ok(outcome) => outcome,
                // No worker could take it (cannot start the program, cannot encode the input):
                // read it here rather than lose it.
                Err(_) => on_thread(
                    input,
                    labels,
                    distance,
                    limits,
                    read,
                    thread_deadline(limits),
                ),
            }
        }
        Engine::Threads(slots) => {
            let _slot = slots.take();
            on_thread(
                input,
                labels,
                distance,
                limits,
                read,
                thread_deadline(limits),
            )
        }
    };
    match outcome {
        Outcome::Record(record) => *record,
        Outcome::Timeout => failed_record(
            input,
            thread::timeout_problem(limits.timeout.unwrap_or_default()),
        ),
        Outcome::Crashed(why) => failed_record(input, crashed_problem(&why)),
        Outcome::Interrupted => failed_record(input, interrupted_problem()),
    }
}

/// A thread cannot be told that OCR started: it gets the whole budget from the start.
fn thread_deadline(limits: &Limits) -> Option<Duration> {
    limits.timeout.map(|t| t + ocr_extension(limits))
}

fn on_thread(
    input: &Input,
    labels: &[String],
    distance: usize,
    limits: &Limits,
    read: ReadFn,
    deadline: Option<Duration>,
) -> Outcome {
    if interrupted() {
        return Outcome::Interrupted;
    }
    let owned = (input.clone(), labels.to_vec(), limits.clone());
    match thread::on_thread(deadline, move || {
        let (input, labels, limits) = owned;
        read(&input, &labels, distance, &limits)
    }) {
        Ok(record) => Outcome::Record(Box::new(record)),
        Err(thread::Isolated::Timeout(_)) => Outcome::Timeout,
        Err(thread::Isolated::Panic(what)) => Outcome::Record(Box::new(failed_record(
            input,
            crate::extract::panic_problem("identify/extract", &what),
        ))),
    }
}

/// The record of a file that could not be read, with the reason.
pub fn failed_record(input: &Input, problem: Problem) -> FileRecord {
    FileRecord {
        path: input.display.clone(),
        format: Format::Unknown,
        kind: Format::Unknown.kind(),
        size: input.size,
        status: FileStatus::Unreadable,
        role: None,
        role_reason: None,
        facts: None,
        problems: vec![problem],
    }
}

/// The finding for a file whose reader died.
pub fn crashed_problem(why: &str) -> Problem {
    if why == "内存超过上限" {
        return Problem::new(
            crate::codes::LIMIT_MEMORY,
            "读取此文件所需的内存超过上限，已停止读取。文件可能异常（损坏或刻意构造）；如确为正常文件，请用 --max-memory-mb 放宽上限后重试",
        );
    }
    Problem::new(
        crate::codes::EXTRACT_CRASHED,
        format!(
            "解析器异常终止（{why}），此文件未能读取，其余文件照常核查。文件可能已损坏：请用原软件打开后另存一份再提交；如文件正常，请把它反馈给 yanshou 维护者"
        ),
    )
}

/// The finding for a file not read because the run was interrupted.
pub fn interrupted_problem() -> Problem {
    Problem::new(
        crate::codes::RUN_INTERRUPTED,
        "核查被中断（Ctrl+C），此文件未读取；请重新运行核查",
    )
}

/// Slots for the thread mode: at most `capacity` files at once.
struct Slots {
    capacity: usize,
    busy: Mutex<usize>,
    freed: Condvar,
}

struct SlotGuard<'a>(&'a Slots);

impl Slots {
    fn new(capacity: usize) -> Slots {
        Slots {
            capacity: capacity.max(1),
            busy: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    fn take(&self) -> SlotGuard<'_> {
        let mut busy = self.busy.lock().unwrap_or_else(|e| e.into_inner());
        while *busy >= self.capacity {
            busy = self.freed.wait(busy).unwrap_or_else(|e| e.into_inner());
        }
        *busy += 1;
        SlotGuard(self)
    }
}

impl Drop for SlotGuard<'_> {
    fn drop(&mut self) {
        let mut busy = self.0.busy.lock().unwrap_or_else(|e| e.into_inner());
        *busy = busy.saturating_sub(1);
        drop(busy);
        self.0.freed.notify_one();
    }
}

/// Runs the worker loop of this process (the hidden `__worker` subcommand); returns the exit
/// code. `read` is what each request runs.
#[cfg(unix)]
pub fn serve_worker(read: ReadFn) -> i32 {
    worker::serve(read)
}

/// The hidden subcommand's argument.
#[cfg(unix)]
pub use pool::WORKER_ARG;
