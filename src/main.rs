//! `yanshou` binary: parse arguments, run, exit with the code the library decided.

use clap::Parser;

fn main() {
    yanshou::extract::install_panic_hook();
    let cli = yanshou::cli::Cli::parse();
    std::process::exit(yanshou::cli::run(cli));
}
