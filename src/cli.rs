//! The command line (clap derive). Each command's `///` is its `--help`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// WhatsApp Business message templates as code: lint, plan, sync and status.
///
/// Templates live as TOML files in git (`templates/<name>.toml`). `wt lint` predicts Meta's
/// review offline; `wt plan` and `wt sync` reconcile the files with your WhatsApp Business
/// Account; `wt status --wait` gates a release on approval.
///
/// Exit codes: 0 ok, 1 findings, 2 usage or configuration error, 3 remote failure,
/// 4 timed out waiting.
#[derive(Debug, Parser)]
#[command(name = "wt", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Use this wt.toml instead of looking for one from the current directory upwards.
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        help_heading = "Global options"
    )]
    pub config: Option<PathBuf>,
    /// Use the account settings of `[env.NAME]` in wt.toml (also WT_ENV).
    #[arg(
        long,
        global = true,
        value_name = "NAME",
        help_heading = "Global options"
    )]
    pub env: Option<String>,
    /// When to use colours (NO_COLOR is honoured with `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, help_heading = "Global options")]
    pub color: ColorChoice,
    /// Print only what matters: no summary line, no progress.
    #[arg(
        short,
        long,
        global = true,
        conflicts_with = "verbose",
        help_heading = "Global options"
    )]
    pub quiet: bool,
    /// Say more about what wt is doing (on stderr).
    #[arg(short, long, global = true, help_heading = "Global options")]
    pub verbose: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint template files offline and predict Meta's review.
    ///
    /// With no PATH, lints the templates directory (`templates`, or `templates` in wt.toml).
    /// Given files (as pre-commit passes them), wt still loads the whole templates directory
    /// for rules that compare templates, but reports only on the files given.
    ///
    #[command(after_long_help = LINT_EXAMPLES)]
    Lint(LintArgs),
    /// List every rule: code, name, severity and summary.
    Rules(RulesArgs),
    /// Explain a rule or a Meta error code.
    ///
    /// A rule (`WT003` or its name) is shown with a bad and a good example. A Meta error code
    /// from the Graph API (`131047`, `100/2388024`, or a subcode alone: `2388024`) is shown
    /// with its cause and fix.
    #[command(after_long_help = EXPLAIN_EXAMPLES)]
    Explain(ExplainArgs),
    /// Create wt.toml and an example template, and print the pre-commit snippet.
    ///
    /// Writes `wt.toml` (every setting shown, commented) and `templates/order_shipped.toml`
    /// (a lint-clean utility template) in the current directory, then prints the lines to add
    /// to `.pre-commit-config.yaml`. Never overwrites: if either file exists, nothing is
    /// written and wt exits with 2.
    Init(InitArgs),
    /// Print shell completions.
    #[command(after_long_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
}

// Examples go after the options and keep their line breaks (a doc comment would be rewrapped).
const LINT_EXAMPLES: &str = "\
Examples:
  wt lint
  wt lint templates/order_shipped.toml --format json
  wt lint --select WT0 --ignore WT009
  wt lint --format github        # annotations in a GitHub Actions job
  wt lint --format sarif > wt.sarif";

const EXPLAIN_EXAMPLES: &str = "\
Examples:
  wt explain WT003
  wt explain 100/2388024
  wt explain 2388024
  wt explain 80008 --format json";

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  wt completions bash > ~/.local/share/bash-completion/completions/wt
  wt completions zsh > ~/.zfunc/_wt
  wt completions fish > ~/.config/fish/completions/wt.fish";

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files or directories to lint (default: the templates directory).
    pub paths: Vec<PathBuf>,
    /// Rules to run: codes (WT003), prefixes (WT0) or ALL; comma-separated or repeated.
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub select: Vec<String>,
    /// Rules to skip, like --select.
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub ignore: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LintFormat::Human)]
    pub format: LintFormat,
    /// Exit 1 on warnings too, not only on errors.
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    /// Reports with source excerpts, for people.
    Human,
    /// One JSON object: version, summary, diagnostics.
    Json,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// SARIF 2.1.0, for GitHub code scanning and SARIF viewers.
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule code (WT003) or name, or a Meta error code (131047, 100/2388024, 2388024).
    pub code: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory for template files, relative to the current directory.
    #[arg(long, value_name = "DIR", default_value = "templates")]
    pub templates: PathBuf,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to print completions for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
