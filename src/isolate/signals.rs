//! Ctrl+C (SIGINT) and SIGTERM during a run: every worker process group is killed at once
//! (tesseract included), the run is marked interrupted, and the caller finishes what it can
//! (the audit writes the summary of the projects already done and says "已中断"). A second
//! Ctrl+C leaves immediately (exit 130).
//!
//! Why by hand: the handler must only do async-signal-safe things — atomics and `kill(2)` — over
//! a fixed table of process ids; a crate would add a thread or a pipe for what is ten lines of
//! `sigaction` here.

use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

/// Most worker processes tracked at once (the pool's capacity is capped to it).
pub(crate) const MAX_TRACKED: usize = 256;

static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static PIDS: [AtomicI32; MAX_TRACKED] = [const { AtomicI32::new(0) }; MAX_TRACKED];

/// Whether the run was interrupted.
pub(crate) fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Marks the run interrupted and kills every tracked worker group (also what the handler does).
pub(crate) fn interrupt() {
    INTERRUPTED.store(true, Ordering::SeqCst);
    kill_all();
}

fn kill_all() {
    for slot in &PIDS {
        let pid = slot.load(Ordering::SeqCst);
        if pid > 0 {
            // SAFETY: kill(2) is async-signal-safe and touches no memory; a stale pid is at
            // worst a group that no longer exists (ESRCH).
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
    }
}

/// Tracks a worker (the leader of its own process group).
pub(crate) fn register(pid: u32) {
    let Ok(pid) = i32::try_from(pid) else { return };
    for slot in &PIDS {
        if slot
            .compare_exchange(0, pid, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
        {
            return;
        }
    }
}

/// Stops tracking a reaped worker.
pub(crate) fn unregister(pid: u32) {
    let Ok(pid) = i32::try_from(pid) else { return };
    for slot in &PIDS {
        if slot
            .compare_exchange(pid, 0, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
        {
            return;
        }
    }
}

extern "C" fn on_signal(_: libc::c_int) {
    if INTERRUPTED.swap(true, Ordering::SeqCst) {
        // SAFETY: _exit is async-signal-safe.
        unsafe { libc::_exit(130) };
    }
    kill_all();
}

/// Installs the handler for SIGINT and SIGTERM (the CLI's check, audit and facts; the server
/// has its own shutdown and calls [`interrupt`]).
pub(crate) fn install() {
    // SAFETY: a zeroed sigaction with a handler that only uses atomics, kill and _exit.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_signal as *const () as libc::sighandler_t;
        action.sa_flags = libc::SA_RESTART;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGINT, &action, std::ptr::null_mut());
        libc::sigaction(libc::SIGTERM, &action, std::ptr::null_mut());
    }
}
