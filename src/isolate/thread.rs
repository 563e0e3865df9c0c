//! A deadline on a thread: for work that stays in this process (walking an archive's listing)
//! and for the thread mode of [`super`] (library use without the `yanshou` binary, non-Unix).
//!
//! Why a plain blocking wait: the caller may be a rayon worker, and a worker that waited by
//! running other pool jobs (`rayon::yield_now`) started the next pending file inside this
//! one's frame — one nested level per pending file, a stack overflow at a few hundred files
//! (issue #12). Blocking costs nothing here: at most one piece of work per pool thread is ever
//! waited on, and nothing read this way uses the rayon pool (lopdf is built without `rayon`).
//!
//! The limit of a thread, said plainly: Rust cannot stop one. Work that overruns its deadline
//! is reported (`limit.timeout`) and left to finish on its own; only a worker process
//! ([`super::pool`]) is really stopped at the deadline.

use std::time::Duration;

use crate::extract::{catch_quietly, panic_problem};
use crate::facts::Problem;

/// Why isolated work did not return.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Isolated {
    /// It panicked (message).
    Panic(String),
    /// It ran past the deadline.
    Timeout(Duration),
}

impl Isolated {
    /// The finding; `parser` names the stage for a panic.
    pub(crate) fn problem(&self, parser: &str) -> Problem {
        match self {
            Isolated::Panic(what) => panic_problem(parser, what),
            Isolated::Timeout(d) => timeout_problem(*d),
        }
    }
}

/// The finding for a file (or archive listing) that took longer than its deadline.
pub(crate) fn timeout_problem(d: Duration) -> Problem {
    Problem::new(
        crate::codes::LIMIT_TIMEOUT,
        format!(
            "读取超时（超过 {} 秒），已停止读取此文件。文件可能异常（损坏或刻意构造）；如确为正常文件，请用 --timeout 放宽时限后重试",
            d.as_secs()
        ),
    )
}

/// Runs `f` on its own thread with a deadline, under `catch_unwind`; without a deadline, on the
/// calling thread. The caller blocks until the result or the deadline, whichever comes first.
pub(crate) fn on_thread<T: Send + 'static>(
    timeout: Option<Duration>,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Isolated> {
    let Some(timeout) = timeout else {
        return catch_quietly(f).map_err(Isolated::Panic);
    };
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    let spawned = std::thread::Builder::new()
        .name("yanshou-file".into())
        // The main thread's size: parsers that recurse get the room they have there.
        .stack_size(8 << 20)
        .spawn(move || {
            let _ = tx.send(catch_quietly(f));
        });
    if spawned.is_err() {
        return Err(Isolated::Panic("无法创建工作线程".into()));
    }
    use std::sync::mpsc::RecvTimeoutError;
    match rx.recv_timeout(timeout) {
        Ok(result) => result.map_err(Isolated::Panic),
        Err(RecvTimeoutError::Timeout) => Err(Isolated::Timeout(timeout)),
        Err(RecvTimeoutError::Disconnected) => Err(Isolated::Panic("工作线程意外结束".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_panics_and_timeouts() {
        assert_eq!(on_thread(Some(Duration::from_secs(600)), || 6 * 7), Ok(42));
        let r: Result<(), _> = on_thread(Some(Duration::from_secs(600)), || panic!("boom"));
        assert_eq!(r, Err(Isolated::Panic("boom".into())));
        let r: Result<(), _> = on_thread(None, || panic!("here"));
        assert_eq!(r, Err(Isolated::Panic("here".into())));
        // A hang: the work waits for a message that never comes.
        let (_keep, rx) = std::sync::mpsc::channel::<()>();
        let r = on_thread(Some(Duration::from_millis(50)), move || {
            let _ = rx.recv();
        });
        assert_eq!(r, Err(Isolated::Timeout(Duration::from_millis(50))));
        assert_eq!(
            Isolated::Timeout(Duration::from_secs(120))
                .problem("x")
                .code,
            "limit.timeout"
        );
    }

    #[test]
    fn a_busy_pool_waiting_on_many_files_does_not_nest() {
        // The shape of the stack overflow of issue #12: one pool thread, hundreds of pending
        // items, each waiting on isolated work. With a blocking wait the stack stays flat.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .stack_size(256 << 10)
            .build()
            .unwrap();
        use rayon::prelude::*;
        let sum: u64 = pool.install(|| {
            (0..2_000u64)
                .into_par_iter()
                .map(|i| on_thread(Some(Duration::from_secs(600)), move || i).unwrap())
                .sum()
        });
        assert_eq!(sum, 1_999_000);
    }
}
