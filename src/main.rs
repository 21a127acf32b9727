use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of glibc malloc: linting 20,000 files on rayon threads spent most of its
/// system time growing glibc's per-thread arenas (25,000 mprotect calls, see benches/).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = wt::cli::Cli::parse();
    match wt::commands::run(cli) {
        Ok(status) => status.into(),
        Err(err) => {
            let status = err.exit_status();
            eprintln!("{:?}", miette::Report::new(err));
            status.into()
        }
    }
}
