//! The parent side of worker processes: a fixed number of slots, each a `yanshou __worker`
//! child that reads one file at a time and is killed at the deadline.
//!
//! How the guarantees hold:
//! - **Bounded.** A read takes a slot before anything is sent; with every slot busy it waits
//!   (a condition variable, not a pool job), so at most `jobs` files are read at once whatever
//!   the number of files, submissions or concurrent checks in the process.
//! - **Stopped.** Each child is the leader of its own process group; at the deadline the whole
//!   group (the child and any tesseract it started) gets SIGKILL and is reaped before the slot
//!   is given back. Nothing of a timed-out read keeps running.
//! - **Contained.** A panic is caught in the child and comes back as a finding; an abort, a
//!   stack overflow, running out of the memory ceiling (`RLIMIT_AS`, set by the child on
//!   itself) or any other death is seen as the end of the socket, named from the exit status
//!   and the last lines the child wrote to stderr, and costs that one file a finding. The slot
//!   starts a fresh child for the next file.
//! - **Orphan-proof.** Children ask the kernel to kill them when this process dies
//!   (`PR_SET_PDEATHSIG`), and the interrupt handler ([`super::signals`]) kills every group.
//!
//! Trade-off: a child is reused for many files (starting a process per file would cost more
//! than most reads), so a parser that leaks memory leaks it into the next file's ceiling; a
//! child is replaced after `RECYCLE_AFTER` files to bound that.

use std::io::{self, Read};
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::net::UnixStream;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::wire;
use super::{Outcome, signals};
use crate::input::{Input, Limits};
use crate::model::FileRecord;

/// The hidden subcommand a worker runs as.
pub const WORKER_ARG: &str = "__worker";
/// The environment variable carrying the memory ceiling (bytes) to the child.
pub(crate) const ENV_MEMORY: &str = "YANSHOU_WORKER_MEMORY";
/// A child is replaced after this many files (bounds what a leaking parser can accumulate).
const RECYCLE_AFTER: u32 = 500;
/// Largest record a child may send back (the text of a 512 MB document, with room).
const MAX_RESPONSE: u64 = 2 << 30;
/// Bytes of a dead child's stderr kept to say why it died.
const STDERR_TAIL: usize = 8 << 10;

/// A running child.
struct Worker {
    child: Child,
    sock: UnixStream,
    stderr: Option<JoinHandle<Vec<u8>>>,
    files: u32,
}

struct State {
    idle: Vec<Worker>,
    busy: usize,
}

/// The slots and their children.
pub(crate) struct Pool {
    program: PathBuf,
    capacity: usize,
    memory: Option<u64>,
    state: Mutex<State>,
    freed: Condvar,
}

/// Why a child did not answer.
enum Failure {
    /// The deadline passed (the group was killed).
    Timeout,
    /// The child died or the socket broke: exit status and stderr tail.
    Died(String),
    /// The run was interrupted.
    Interrupted,
    /// The request could not be sent at all (encode or spawn failure): read in this process.
    Local(String),
}

impl Pool {
    pub(crate) fn new(program: PathBuf, capacity: usize, memory: Option<u64>) -> Pool {
        Pool {
            program,
            capacity: capacity.max(1),
            memory,
            state: Mutex::new(State {
                idle: Vec::new(),
                busy: 0,
            }),
            freed: Condvar::new(),
        }
    }

    /// Takes a slot (waiting while all are busy): an idle child, or `None` to start one.
    fn take(&self) -> Option<Option<Worker>> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if signals::interrupted() {
                return None;
            }
            if let Some(w) = state.idle.pop() {
                state.busy += 1;
                return Some(Some(w));
            }
            if state.busy + state.idle.len() < self.capacity {
                state.busy += 1;
                return Some(None);
            }
            state = self
                .freed
                .wait_timeout(state, Duration::from_millis(200))
                .map(|(s, _)| s)
                .unwrap_or_else(|e| e.into_inner().0);
        }
    }

    /// Gives a slot back, with its child when it may read again.
    fn give(&self, worker: Option<Worker>) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.busy = state.busy.saturating_sub(1);
        if let Some(w) = worker {
            if signals::interrupted() {
                drop(state);
                finish(w, true);
                self.freed.notify_all();
                return;
            }
            state.idle.push(w);
        }
        drop(state);
        self.freed.notify_one();
    }

    /// Reads one file in a child. `Err` only when no child could take it (the caller then
    /// reads it in this process).
    pub(crate) fn read(
        &self,
        input: &Input,
        labels: &[String],
        distance: usize,
        limits: &Limits,
        deadline: Option<Duration>,
        ocr_extension: Duration,
    ) -> Result<Outcome, String> {
        let encoded = wire::encode_request(input, labels, distance, limits)?;
        let Some(slot) = self.take() else {
            return Ok(Outcome::Interrupted);
        };
        let mut worker = match slot {
            Some(w) => w,
            None => match self.spawn() {
                Ok(w) => w,
                Err(e) => {
                    self.give(None);
                    return Err(e);
                }
            },
        };
        // A reused child may have died while idle (killed from outside): one fresh try.
        let mut attempt = exchange(&mut worker, &encoded, deadline, ocr_extension);
        if matches!(attempt, Err(Failure::Local(_))) {
            finish(worker, true);
            worker = match self.spawn() {
                Ok(w) => w,
                Err(e) => {
                    self.give(None);
                    return Err(e);
                }
            };
            attempt = exchange(&mut worker, &encoded, deadline, ocr_extension);
        }
        match attempt {
            Ok(record) => {
                worker.files += 1;
                if worker.files >= RECYCLE_AFTER {
                    finish(worker, false);
                    self.give(None);
                } else {
                    self.give(Some(worker));
                }
                Ok(Outcome::Record(Box::new(record)))
            }
            Err(Failure::Timeout) => {
                finish(worker, true);
                self.give(None);
                Ok(Outcome::Timeout)
            }
            Err(Failure::Died(_)) | Err(Failure::Interrupted) if signals::interrupted() => {
                finish(worker, true);
                self.give(None);
                Ok(Outcome::Interrupted)
            }
            Err(Failure::Died(detail)) => {
                let mut why = finish(worker, true);
                // A child that exited normally mid-answer: its own words say more.
                if why == "退出码 0" || why == "进程状态未知" {
                    why = format!("{why}，{detail}");
                }
                self.give(None);
                Ok(Outcome::Crashed(why))
            }
            Err(Failure::Interrupted) => {
                finish(worker, true);
                self.give(None);
                Ok(Outcome::Interrupted)
            }
            Err(Failure::Local(e)) => {
                finish(worker, true);
                self.give(None);
                Err(e)
            }
        }
    }

    fn spawn(&self) -> Result<Worker, String> {
        let (ours, theirs) = UnixStream::pair().map_err(|e| e.to_string())?;
        let mut cmd = Command::new(&self.program);
        cmd.arg(WORKER_ARG)
            .stdin(Stdio::from(std::os::fd::OwnedFd::from(theirs)))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            // Its own group: the deadline kills it and whatever it started, in one signal.
            .process_group(0);
        if let Some(bytes) = self.memory {
            cmd.env(ENV_MEMORY, bytes.to_string());
        }
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("无法启动读取进程 {}（{e}）", self.program.display()))?;
        signals::register(child.id());
        let stderr = child.stderr.take().map(|mut pipe| {
            std::thread::spawn(move || {
                // Keep the tail: a dying child's last words say why.
                let mut tail = Vec::new();
                let mut buf = [0u8; 4096];
                while let Ok(n) = pipe.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    tail.extend_from_slice(&buf[..n]);
                    if tail.len() > 2 * STDERR_TAIL {
                        tail.drain(..tail.len() - STDERR_TAIL);
                    }
                }
                tail
            })
        });
        Ok(Worker {
            child,
            sock: ours,
            stderr,
            files: 0,
        })
    }

    /// Kills every child (idle ones; busy ones are killed by their reader on interrupt).
    pub(crate) fn shutdown(&self) {
        let idle = {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            std::mem::take(&mut state.idle)
        };
        for w in idle {
            finish(w, true);
        }
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Sends the request and waits for the record until the deadline.
fn exchange(
    worker: &mut Worker,
    encoded: &wire::Encoded,
    deadline: Option<Duration>,
    ocr_extension: Duration,
) -> Result<FileRecord, Failure> {
    // A reused child that died while idle (killed from outside) is replaced, not blamed.
    if !matches!(worker.child.try_wait(), Ok(None)) {
        return Err(Failure::Local("worker gone while idle".into()));
    }
    let fds: Vec<BorrowedFd<'_>> = encoded.files.iter().map(|f| f.as_fd()).collect();
    // The request is small next to the socket buffer, or the child is reading it: a write
    // that fails means the child is gone before it saw the file.
    let _ = worker.sock.set_write_timeout(Some(Duration::from_secs(60)));
    if let Err(e) = wire::send_frame(&worker.sock, &encoded.body, &fds) {
        return Err(Failure::Local(format!("send: {e}")));
    }
    let mut until = deadline.map(|d| Instant::now() + d);
    let mut prefix = [0u8; 8];
    let mut extended = false;
    let len = loop {
        read_until(&worker.sock, &mut prefix, until)?;
        match u64::from_le_bytes(prefix) {
            // OCR starts (see `worker::notify_ocr`): its budget counts from now, once.
            0 if !extended => {
                extended = true;
                until =
                    until.map(|_| Instant::now() + ocr_extension + deadline.unwrap_or_default());
            }
            0 => {}
            len => break len,
        }
    };
    if len > MAX_RESPONSE {
        return Err(Failure::Died(format!("oversized answer ({len} bytes)")));
    }
    let mut body = vec![0u8; usize::try_from(len).unwrap_or(0)];
    read_until(&worker.sock, &mut body, until)?;
    serde_json::from_slice(&body).map_err(|e| Failure::Died(format!("bad answer: {e}")))
}

/// Fills `buf` from the socket before `until`, waking every 200 ms to notice an interrupt.
fn read_until(sock: &UnixStream, buf: &mut [u8], until: Option<Instant>) -> Result<(), Failure> {
    let mut reader = sock;
    let mut filled = 0;
    while filled < buf.len() {
        if signals::interrupted() {
            return Err(Failure::Interrupted);
        }
        let wait = match until {
            Some(t) => {
                let left = t.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(Failure::Timeout);
                }
                left.min(Duration::from_millis(200))
            }
            None => Duration::from_millis(200),
        };
        let _ = sock.set_read_timeout(Some(wait));
        match reader.read(&mut buf[filled..]) {
            Ok(0) => return Err(Failure::Died("end of stream".into())),
            Ok(n) => filled += n,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock
                        | io::ErrorKind::TimedOut
                        | io::ErrorKind::Interrupted
                ) => {}
            Err(e) => return Err(Failure::Died(e.to_string())),
        }
    }
    Ok(())
}

/// Ends a child: with `kill`, its whole group is killed first. Reaps it and says how it ended
/// ("栈溢出", "内存超过上限", "退出码 3" …), for the finding of the file it was reading.
fn finish(mut worker: Worker, kill: bool) -> String {
    let pid = worker.child.id();
    if kill {
        if let Some(pid) = rustix::process::Pid::from_raw(pid as i32) {
            let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
        }
        let _ = worker.child.kill();
    }
    // Closing our end ends a healthy child's loop.
    drop(worker.sock);
    let status = worker.child.wait();
    signals::unregister(pid);
    let tail = worker
        .stderr
        .take()
        .and_then(|h| h.join().ok())
        .unwrap_or_default();
    let tail = String::from_utf8_lossy(&tail);
    describe_death(status.ok(), &tail)
}

/// What a child's exit status and last stderr lines say about its death.
pub(crate) fn describe_death(status: Option<std::process::ExitStatus>, stderr: &str) -> String {
    if stderr.contains("memory allocation of") || stderr.contains("out of memory") {
        return "内存超过上限".into();
    }
    if stderr.contains("overflowed its stack") {
        return "栈溢出".into();
    }
    let Some(status) = status else {
        return "进程状态未知".into();
    };
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("退出码 {code}"),
        (None, Some(6)) => "abort 终止".into(),
        (None, Some(9)) => "被系统强制终止（可能是内存不足）".into(),
        (None, Some(11)) => "段错误".into(),
        (None, Some(7)) => "总线错误".into(),
        (None, Some(sig)) => format!("被信号 {sig} 终止"),
        (None, None) => "进程状态未知".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deaths_are_named() {
        let status = |raw: i32| Some(std::process::ExitStatus::from_raw(raw));
        assert_eq!(
            describe_death(
                status(6),
                "thread 'main' has overflowed its stack\nfatal runtime error"
            ),
            "栈溢出"
        );
        assert_eq!(
            describe_death(status(6), "memory allocation of 67108864 bytes failed\n"),
            "内存超过上限"
        );
        assert_eq!(describe_death(status(6), ""), "abort 终止");
        assert_eq!(describe_death(status(3 << 8), ""), "退出码 3");
        assert_eq!(describe_death(status(11), ""), "段错误");
    }
}
