//! The child side: `yanshou __worker` reads files for its parent, one request at a time, over
//! the socket it was given as standard input, until the parent closes it.
//!
//! It first bounds itself: the memory ceiling (`RLIMIT_AS`, from the parent), no core dumps
//! (`RLIMIT_CORE` 0: an abort must not write a core file of a hostile document), and death
//! with its parent (`PR_SET_PDEATHSIG`, Linux). Panics are caught per file and answered as
//! findings; anything worse ends the process, which the parent reports for that file.
//!
//! `YANSHOU_WORKER_FAULT` (for tests of the real pool, never set by yanshou itself) makes the
//! worker misbehave on files whose path contains a pattern: `hang:名称`, `spin:名称`,
//! `abort:名称`, `overflow:名称`, `oom:名称`, `exit:名称`, `panic:名称`; several separated
//! by `;`.

use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::net::UnixStream;

use super::ReadFn;
use super::pool::ENV_MEMORY;
use super::wire;
use crate::extract::{catch_quietly, panic_problem};
use crate::input::Input;

/// The environment variable of the test-only faults.
pub(crate) const ENV_FAULT: &str = "YANSHOU_WORKER_FAULT";

/// Largest request accepted (a 7z entry held in memory is at most `max_entry_memory`).
const MAX_REQUEST: u64 = 1 << 30;

/// Set in a worker process: tesseract then stays in the worker's process group, so the
/// parent's kill at the deadline reaches it.
static IN_WORKER: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether this process is a worker.
pub(crate) fn in_worker() -> bool {
    IN_WORKER.load(std::sync::atomic::Ordering::Relaxed)
}

/// The socket to the parent, for [`notify_ocr`].
static SOCKET: std::sync::OnceLock<UnixStream> = std::sync::OnceLock::new();

/// Tells the parent that OCR of the current file starts (an empty frame), so its deadline
/// grows by the OCR budget from now: extraction alone keeps the plain per-file deadline.
pub(crate) fn notify_ocr() {
    if let Some(sock) = SOCKET.get() {
        let _ = wire::send_frame(sock, &[], &[]);
    }
}

/// Runs the worker loop; returns the process exit code.
pub(crate) fn serve(read: ReadFn) -> i32 {
    IN_WORKER.store(true, std::sync::atomic::Ordering::Relaxed);
    bound_self();
    // SAFETY: the parent gave us the socket as standard input; nothing else owns fd 0.
    let sock = UnixStream::from(unsafe { OwnedFd::from_raw_fd(0) });
    if let Ok(clone) = sock.try_clone() {
        let _ = SOCKET.set(clone);
    }
    loop {
        let (body, fds) = match wire::recv_frame(&sock, MAX_REQUEST) {
            Ok(Some(frame)) => frame,
            Ok(None) => return 0,
            Err(_) => return 3,
        };
        let decoded = match wire::decode_request(&body, fds) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("yanshou worker: {e}");
                return 4;
            }
        };
        drop(body);
        let record = catch_quietly(|| {
            fault(&decoded.input);
            read(
                &decoded.input,
                &decoded.labels,
                decoded.distance,
                &decoded.limits,
            )
        })
        .unwrap_or_else(|what| {
            super::failed_record(&decoded.input, panic_problem("identify/extract", &what))
        });
        let json = match serde_json::to_vec(&record) {
            Ok(j) => j,
            Err(e) => {
                eprintln!("yanshou worker: {e}");
                return 5;
            }
        };
        if wire::send_frame(&sock, &json, &[]).is_err() {
            return 0;
        }
    }
}

fn bound_self() {
    use rustix::process::{Resource, Rlimit, setrlimit};
    let _ = setrlimit(
        Resource::Core,
        Rlimit {
            current: Some(0),
            maximum: Some(0),
        },
    );
    if let Some(bytes) = std::env::var(ENV_MEMORY)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        let _ = setrlimit(
            Resource::As,
            Rlimit {
                current: Some(bytes),
                maximum: Some(bytes),
            },
        );
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        let _ =
            rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL));
        // The parent may have died before the line above: then we were adopted.
        if rustix::process::getppid().is_none_or(|p| p.as_raw_nonzero().get() == 1) {
            std::process::exit(0);
        }
    }
}

/// The test-only misbehaviour asked for by `YANSHOU_WORKER_FAULT`.
fn fault(input: &Input) {
    let Ok(spec) = std::env::var(ENV_FAULT) else {
        return;
    };
    for item in spec.split(';') {
        let Some((kind, pattern)) = item.split_once(':') else {
            continue;
        };
        if pattern.is_empty() || !input.display.contains(pattern) {
            continue;
        }
        match kind {
            "hang" => loop {
                std::thread::sleep(std::time::Duration::from_secs(3600));
            },
            "spin" => {
                let mut x = 0u64;
                loop {
                    x = std::hint::black_box(x.wrapping_add(1));
                }
            }
            "abort" => std::process::abort(),
            "overflow" => {
                std::hint::black_box(recurse(1));
            }
            "oom" => {
                // Zeroed pages cost address space at once, time only when touched: the
                // ceiling (RLIMIT_AS) is reached in a few allocations on any machine.
                let mut hold: Vec<Vec<u8>> = Vec::new();
                loop {
                    hold.push(vec![0u8; 64 << 20]);
                    std::hint::black_box(&hold);
                }
            }
            "exit" => std::process::exit(3),
            "panic" => panic!("injected fault"),
            _ => {}
        }
    }
}

#[allow(unconditional_recursion)]
fn recurse(n: u64) -> u64 {
    let pad = std::hint::black_box([n; 64]);
    recurse(pad[0].wrapping_add(1)).wrapping_add(pad[63])
}
