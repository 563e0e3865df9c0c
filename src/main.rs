//! `yanshou` binary: parse arguments, run, exit with the code the library decided.
//!
//! The same executable is also the worker process that reads files for a run (hidden first
//! argument `__worker`, see `yanshou::isolate`): it answers before any argument parsing.

fn main() {
    yanshou::extract::install_panic_hook();
    #[cfg(unix)]
    if std::env::args_os().nth(1).as_deref()
        == Some(std::ffi::OsStr::new(yanshou::isolate::WORKER_ARG))
    {
        std::process::exit(yanshou::isolate::serve_worker(
            yanshou::pipeline::read_file_unisolated,
        ));
    }
    // Parsed in the language the arguments ask for (`--lang en`), Chinese by default: help,
    // usage and argument errors included.
    let cli = match yanshou::cli::help::parse() {
        Ok(cli) => cli,
        Err(code) => std::process::exit(code),
    };
    std::process::exit(yanshou::cli::run(cli));
}
