//! `yanshou` binary: parse arguments, run, exit with the code the library decided.
//!
//! The same executable is also the worker process that reads files for a run (hidden first
//! argument `__worker`, see `yanshou::isolate`): it answers before any argument parsing.

use clap::Parser;

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
    let cli = yanshou::cli::Cli::parse();
    std::process::exit(yanshou::cli::run(cli));
}
