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
    /// Show what `wt sync` would change in the account, per (name, language)
    ///
    /// Reads every template of the account once (about one API call per 100 templates) and
    /// compares it with the files: `+ create`, `~ update` (with a diff of each changed
    /// component), `unchanged`, and `- remote only` (templates in the account that no file
    /// declares; `--prune` shows them as deletions). Warnings point out changes Meta would
    /// refuse or penalise: a category change of an APPROVED template, the edit budget of
    /// approved templates (1 per 24 h, 10 per 30 days), edits of PENDING templates, and names
    /// still locked for 30 days after a delete.
    ///
    /// The account comes from wt.toml `[account]` (or WA_WABA_ID), the token from the
    /// environment variable named by `token_env` (default WA_ACCESS_TOKEN) or the file named
    /// by WT_TOKEN_FILE.
    ///
    /// Examples:
    ///   wt plan
    ///   wt plan order_shipped --format json
    ///   wt plan --exit-code          # exit 1 when sync has something to do (CI drift check)
    #[command(verbatim_doc_comment)]
    Plan(PlanArgs),
    /// Create, edit and (with --prune) delete templates so the account matches the files
    ///
    /// Runs `wt lint` first and submits nothing while any template has a lint error. Then
    /// reads the account once, and per (name, language): creates what is missing, edits what
    /// changed where Meta allows it (a change Meta would certainly refuse is reported and
    /// skipped), and with --prune deletes templates no file declares (one language at a time,
    /// by id). Safe to re-run: a create that timed out but reached Meta is recognised and
    /// adopted, never duplicated. At most 100 templates are created per run, Meta's limit per
    /// account per hour.
    ///
    /// Exit codes: 0 all applied; 1 lint errors, or Meta refused (or would refuse) some
    /// template; 3 a remote failure stopped the run (network, token, rate limit: run again
    /// later, it resumes where it stopped); 4 --wait timed out.
    ///
    /// Examples:
    ///   wt sync --dry-run            # same as `wt plan`
    ///   wt sync --wait               # in CI: submit, then wait for Meta's review
    ///   wt sync order_shipped --prune
    #[command(verbatim_doc_comment)]
    Sync(SyncArgs),
    /// Show the review status of templates in the account, and wait for review with --wait
    ///
    /// One row per (name, language) of the template files (or of the NAMEs given): id,
    /// status, category (marked `*` when Meta files it differently from the file), quality
    /// and rejection reason. MISSING means the file's template is not in the account.
    ///
    /// --wait polls the account with list calls (about one call per 100 templates), every
    /// --interval at first and less often as time goes by, until no template is PENDING or
    /// IN_APPEAL, or until --timeout.
    ///
    /// Exit codes: 0 every template APPROVED; 1 some template is rejected, paused, disabled,
    /// missing or otherwise not sendable; 3 remote failure; 4 --wait timed out while
    /// templates were still in review.
    ///
    /// Examples:
    ///   wt status
    ///   wt status order_shipped login_code --format json
    ///   wt status --wait --timeout 2h --interval 1m
    #[command(verbatim_doc_comment)]
    Status(StatusArgs),
    /// Write template files from the account: bootstrap an existing account into git
    ///
    /// Reads every template of the account once (about one API call per 100 templates) and
    /// writes one file per template name, `<templates>/<name>.toml`, with every language,
    /// header, example and button, in the format `wt lint` and `wt plan` read. After a pull,
    /// `wt plan` shows nothing to change.
    ///
    /// Never overwrites a file unless --overwrite: a name that already has a file (anywhere
    /// under the directory) is reported and skipped. Each file is written atomically, so an
    /// interrupted pull leaves complete files only. Meta's sample templates (hello_world,
    /// sample_*) are skipped unless --include-samples or named. Names whose templates use
    /// components the file format cannot express (carousel, limited-time offer) are skipped
    /// and reported: `wt sync` leaves them alone.
    ///
    /// Exit codes: 0 every template was written or deliberately skipped; 1 some name could
    /// not be written as a file; 2 usage or configuration error, or a file could not be
    /// written; 3 remote failure.
    ///
    /// Examples:
    ///   wt pull                      # every template into the templates directory
    ///   wt pull order_shipped login_code
    ///   wt pull --dir imported --overwrite
    #[command(verbatim_doc_comment)]
    Pull(PullArgs),
    /// Check the setup: token, scopes, account, phone numbers, webhooks, API version
    ///
    /// Checks, in order: the token is present, valid, not expiring within 7 days, and has the
    /// whatsapp_business_management and whatsapp_business_messaging permissions for this
    /// account (Meta's debug_token); the account (WABA) is reachable; its phone numbers are
    /// CONNECTED and not rated RED (only `phone_number_id` when configured); an app is
    /// subscribed to the account's webhooks (`app_id` when configured); the Graph API version
    /// is one Meta still serves. Each check prints as ✓ passed, ! warning, ✗ failed (with
    /// the fix on the next line) or `-` not run.
    ///
    /// Exit codes: 0 every check passed (warnings allowed); 1 some check failed; 2 no token
    /// or no account id configured; 3 Meta could not be reached.
    ///
    /// Examples:
    ///   wt doctor
    ///   wt doctor --env staging
    ///   wt doctor --format json
    #[command(verbatim_doc_comment)]
    Doctor(DoctorArgs),
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
    /// Also compare with the templates in the account for duplicates (WT127, WT128); needs
    /// the token and WABA id like `wt plan`. Only pairs involving a local file are reported.
    #[arg(long)]
    pub remote: bool,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Only these template names (default: every template in the files and the account).
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// Output format (JSON: SPEC §5).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit 1 when there is something to create, update or (with --prune) delete.
    #[arg(long)]
    pub exit_code: bool,
    /// Show templates that only the account has as deletions, as `wt sync --prune` would.
    #[arg(long)]
    pub prune: bool,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Only these template names (default: every template in the files).
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// Show what would be done and change nothing (the same as `wt plan`).
    #[arg(long)]
    pub dry_run: bool,
    /// Also delete templates that the account has and no file declares.
    #[arg(long)]
    pub prune: bool,
    /// Afterwards, wait for Meta's review like `wt status --wait`.
    #[arg(long)]
    pub wait: bool,
    #[command(flatten)]
    pub wait_opts: WaitOpts,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Only these template names (default: every template in the files).
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// Poll until no template is PENDING or IN_APPEAL.
    #[arg(long)]
    pub wait: bool,
    #[command(flatten)]
    pub wait_opts: WaitOpts,
    /// Output format (JSON: SPEC §5).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// How `--wait` polls.
#[derive(Debug, Clone, Args)]
pub struct WaitOpts {
    /// Give up waiting after this long (exit 4): `30m`, `2h`, `90s`.
    #[arg(long, value_name = "DURATION", default_value = "30m", value_parser = parse_duration)]
    pub timeout: std::time::Duration,
    /// First pause between two checks; later pauses grow up to 5 minutes: `30s`, `1m`.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    pub interval: std::time::Duration,
}

/// Parses `30s`, `10ms`, `5m`, `2h`, `1h30m`, or a bare number of seconds.
pub fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    use std::time::Duration;
    let s = s.trim();
    if s.is_empty() {
        return Err("empty duration; write e.g. `30s`, `5m` or `2h`".into());
    }
    if let Ok(secs) = s.parse::<u64>() {
        return Ok(Duration::from_secs(secs));
    }
    let mut total = Duration::ZERO;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return Err(format!(
                "invalid duration `{s}`; write e.g. `30s`, `5m` or `2h`"
            ));
        }
        let n: u64 = rest[..digits]
            .parse()
            .map_err(|_| format!("invalid duration `{s}`: number too large"))?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = rest[..unit_len].trim();
        rest = &rest[unit_len..];
        let part = match unit {
            "ms" => Duration::from_millis(n),
            "s" | "sec" | "secs" => Duration::from_secs(n),
            "m" | "min" | "mins" => Duration::from_secs(n.saturating_mul(60)),
            "h" | "hr" | "hrs" => Duration::from_secs(n.saturating_mul(3600)),
            _ => {
                return Err(format!(
                    "invalid duration `{s}`: unknown unit `{unit}` (use ms, s, m or h)"
                ))
            }
        };
        total = total.saturating_add(part);
    }
    Ok(total)
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
pub struct PullArgs {
    /// Only these template names (default: every template in the account).
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// Replace files that already exist (default: skip them).
    #[arg(long)]
    pub overwrite: bool,
    /// Write into this directory instead of the templates directory.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Also write Meta's sample templates (hello_world, sample_*).
    #[arg(long)]
    pub include_samples: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Output format (JSON: one object per check).
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

    #[test]
    fn durations() {
        use std::time::Duration;
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("10ms"), Ok(Duration::from_millis(10)));
        assert_eq!(parse_duration("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("45"), Ok(Duration::from_secs(45)));
        assert!(parse_duration("5 parsecs").is_err());
        assert!(parse_duration("m").is_err());
        assert!(parse_duration("").is_err());
    }
}
