use std::process::ExitCode;

use clap::Parser;

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
