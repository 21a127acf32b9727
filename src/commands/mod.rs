//! One module per subcommand; `run` dispatches. Commands return an [`ExitStatus`] for
//! findings and a [`WtError`] for failures; only `main` prints errors.

pub mod doctor;
pub mod init;
pub mod lint;
pub mod pull;
pub mod remote;
pub mod status;
pub mod sync;

use std::io::{IsTerminal, Write};

use crate::cli::{Cli, ColorChoice, Command, Format};
use crate::config::{Account, Config};
use crate::error::{ExitStatus, WtError};
use crate::lint::rules::{all_rules, find};
use crate::meta_errors;

/// What every command may need: flags, the working directory and the environment.
pub struct Context {
    pub global: crate::cli::GlobalArgs,
    pub cwd: std::path::PathBuf,
}

impl Context {
    pub fn config(&self) -> Result<Config, WtError> {
        Config::load(self.global.config.as_deref(), &self.cwd)
    }

    /// Reads an environment variable (empty counts as unset where it matters to callers).
    pub fn getenv(&self, key: &str) -> Option<String> {
        std::env::var(key).ok()
    }

    /// Where to reach Meta: `--env`, then `WT_ENV`, picks an `[env.NAME]` of wt.toml; each key
    /// resolves flag > environment variable > wt.toml > default (`Config::account`).
    pub fn account(&self, config: &Config) -> Result<Account, WtError> {
        config.account(self.global.env.as_deref(), &|k| self.getenv(k))
    }

    /// The current time in Unix seconds. Hidden knob `WT_NOW` (Unix seconds) pins it, so
    /// tests of dates and expiries do not depend on the day they run.
    pub fn now(&self) -> i64 {
        if let Some(n) = self
            .getenv(NOW_ENV)
            .and_then(|v| v.trim().parse::<i64>().ok())
        {
            return n;
        }
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    }

    /// Colour for stdout, from `--color`, `NO_COLOR` and whether stdout is a terminal.
    pub fn color(&self) -> bool {
        color_enabled(self.global.color, std::io::stdout().is_terminal())
    }
}

/// Hidden: the current time in Unix seconds (tests).
pub const NOW_ENV: &str = "WT_NOW";

/// `2026-11-25` for a Unix time (UTC), by the days-to-civil conversion of the proleptic
/// Gregorian calendar (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
pub fn date_string(unix: i64) -> String {
    let (y, m, d) = civil_from_days(unix.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    // Both fit: d in 1..=31, m in 1..=12.
    (y, m as u32, d as u32)
}

/// Days since 1970-01-01 of a civil date (the inverse of [`civil_from_days`]).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn color_enabled(choice: ColorChoice, tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

pub fn run(cli: Cli) -> Result<ExitStatus, WtError> {
    let stderr_color = color_enabled(cli.global.color, std::io::stderr().is_terminal());
    let _ = miette::set_hook(Box::new(move |_| {
        Box::new(
            miette::MietteHandlerOpts::new()
                .color(stderr_color)
                .unicode(true)
                .terminal_links(false)
                .build(),
        )
    }));
    let cwd = std::env::current_dir().map_err(|e| WtError::Io {
        path: ".".into(),
        source: e,
    })?;
    let cx = Context {
        global: cli.global,
        cwd,
    };
    match cli.command {
        Command::Lint(args) => lint::run(&cx, &args),
        Command::Plan(args) => sync::plan(&cx, &args),
        Command::Sync(args) => sync::sync(&cx, &args),
        Command::Status(args) => status::run(&cx, &args),
        Command::Rules(args) => rules(args.format),
        Command::Explain(args) => explain(&args.code, args.format),
        Command::Pull(args) => pull::run(&cx, &args),
        Command::Doctor(args) => doctor::run(&cx, &args),
        Command::Init(args) => init::run(&cx, &args),
        Command::Completions(args) => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            clap_complete::generate(args.shell, &mut cmd, "wt", &mut std::io::stdout());
            Ok(ExitStatus::Success)
        }
    }
}

/// Writes to stdout; a closed pipe (`wt rules | head`) is not an error.
pub fn print(text: &str) -> Result<(), WtError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(WtError::Io {
            path: "<stdout>".into(),
            source: e,
        }),
    }
}

fn rules(format: Format) -> Result<ExitStatus, WtError> {
    match format {
        Format::Json => {
            let s = serde_json::to_string_pretty(
                &serde_json::json!({"version": 1, "rules": all_rules()}),
            )
            .unwrap_or_default();
            print(&(s + "\n"))?;
        }
        Format::Human => {
            let mut out = String::new();
            let mut family = None;
            for r in all_rules() {
                if family != Some(r.family) {
                    out.push_str(&format!("\n{}\n", r.family.title()));
                    family = Some(r.family);
                }
                out.push_str(&format!(
                    "  {}  {:<30} {:<8} {}\n",
                    r.code,
                    r.name,
                    r.severity.as_str(),
                    r.summary
                ));
            }
            out.push_str(
                "\n`wt explain CODE` shows why a rule exists, with a bad and a good example.\n",
            );
            print(out.trim_start())?;
        }
    }
    Ok(ExitStatus::Success)
}

/// `wt explain CODE`: a rule (`WT003`, `placeholder-not-sequential`) or a Meta error code
/// (`131047`, `100/2388024`, or a subcode alone: `2388024`).
fn explain(code: &str, format: Format) -> Result<ExitStatus, WtError> {
    if let Some((c, sub)) = meta_errors::parse_query(code) {
        return explain_meta(code.trim(), c, sub, format);
    }
    let Some(rule) = find(code) else {
        let codes: Vec<&str> = all_rules().iter().map(|r| r.code).collect();
        let close = crate::template::suggest(&code.to_ascii_uppercase(), &codes);
        return Err(WtError::usage_help(
            format!("unknown rule `{code}`"),
            match close {
                Some(c) => format!("did you mean `{c}`? `wt rules` lists every rule"),
                None => "`wt rules` lists every rule; Meta error codes are numbers (`wt explain 131047`, `wt explain 100/2388024`)".to_string(),
            },
        ));
    };
    match format {
        Format::Json => {
            let v = serde_json::json!({
                "version": 1, "kind": "rule", "code": rule.code, "name": rule.name,
                "severity": rule.severity, "family": rule.family, "summary": rule.summary,
                "explanation": rule.explanation(),
            });
            print(&(serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"))?;
        }
        Format::Human => {
            print(&format!(
                "{} ({}) — {}, {}\n\n{}\n",
                rule.code,
                rule.name,
                rule.severity.as_str(),
                rule.family.title(),
                rule.explanation()
            ))?;
        }
    }
    Ok(ExitStatus::Success)
}

fn explain_meta(
    query: &str,
    code: i64,
    subcode: Option<i64>,
    format: Format,
) -> Result<ExitStatus, WtError> {
    let entry = match subcode {
        Some(sub) => meta_errors::exact(code, Some(sub)).ok_or_else(|| {
            let known = meta_errors::subcodes_of(code);
            if meta_errors::exact(code, None).is_some() || !known.is_empty() {
                let list: Vec<String> = known.iter().map(|s| format!("{code}/{s}")).collect();
                WtError::usage_help(
                    format!("unknown Meta error subcode {sub} of code {code}"),
                    if list.is_empty() {
                        format!("`wt explain {code}` explains the code itself")
                    } else {
                        format!(
                            "known: {}; `wt explain {code}` explains the code itself",
                            list.join(", ")
                        )
                    },
                )
            } else {
                unknown_meta(query)
            }
        })?,
        None => match meta_errors::exact(code, None) {
            Some(e) => e,
            // A subcode alone (`wt explain 2388024`): subcodes are unique in practice; then
            // a code of a range that shares one entry (201–299 → 200).
            None => meta_errors::by_subcode(code)
                .first()
                .copied()
                .or_else(|| {
                    meta_errors::range_fallback(code).and_then(|c| meta_errors::exact(c, None))
                })
                .ok_or_else(|| unknown_meta(query))?,
        },
    };
    let subcodes = if entry.subcode.is_none() {
        meta_errors::subcodes_of(entry.code)
    } else {
        Vec::new()
    };
    match format {
        Format::Json => {
            let mut v = serde_json::json!({
                "version": 1, "kind": "meta_error", "key": entry.key(),
            });
            if let (Some(obj), Ok(serde_json::Value::Object(fields))) =
                (v.as_object_mut(), serde_json::to_value(entry))
            {
                obj.extend(fields);
                obj.insert("subcodes".into(), serde_json::json!(subcodes));
            }
            print(&(serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"))?;
        }
        Format::Human => {
            let mut out = format!("Meta error {} — {}\n", entry.key(), entry.title);
            if subcode.is_none() && entry.code != code && entry.subcode != Some(code) {
                out.push_str(&format!(
                    "(code {code} has no entry of its own: it is explained with {})\n",
                    entry.key()
                ));
            }
            let mut facts = Vec::new();
            if let Some(s) = entry.http_status {
                facts.push(format!("HTTP {s}"));
            }
            facts.push(if entry.retryable {
                "retryable: wt retries it with backoff".to_string()
            } else {
                "not retryable: the request must change".to_string()
            });
            out.push_str(&facts.join(" · "));
            out.push_str("\n\n## Cause\n");
            out.push_str(&wrap(entry.cause.trim(), EXPLAIN_WIDTH));
            out.push_str("\n\n## Fix\n");
            out.push_str(&wrap(entry.fix.trim(), EXPLAIN_WIDTH));
            out.push('\n');
            if !subcodes.is_empty() {
                let list: Vec<String> = subcodes
                    .iter()
                    .map(|s| format!("{}/{s}", entry.code))
                    .collect();
                let line = format!("{} (`wt explain {}`)", list.join(", "), list[0]);
                out.push_str(&format!("\n## Subcodes\n{}\n", wrap(&line, EXPLAIN_WIDTH)));
            }
            out.push_str(&format!("\nSource: {}\n", entry.source));
            print(&out)?;
        }
    }
    Ok(ExitStatus::Success)
}

/// The width of `wt explain`'s paragraphs: the rule docs are wrapped at about this width too.
const EXPLAIN_WIDTH: usize = 92;

/// Greedy word wrap of one paragraph (words longer than `width` stay whole).
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split_whitespace() {
        let n = word.chars().count();
        if line_len > 0 && line_len + 1 + n > width {
            out.push('\n');
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += n;
    }
    out
}

fn unknown_meta(query: &str) -> WtError {
    WtError::usage_help(
        format!("unknown Meta error code `{query}`"),
        match meta_errors::suggest(query) {
            Some(k) => format!("did you mean `{k}`?"),
            None => "wt explains the Graph API errors of template management, throttling and sending (`wt explain 100/2388024`); rules are `wt explain WT003`".to_string(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::{civil_from_days, date_string, days_from_civil, wrap};

    #[test]
    fn dates() {
        assert_eq!(date_string(0), "1970-01-01");
        assert_eq!(date_string(1_700_000_000), "2023-11-14");
        assert_eq!(date_string(951_782_400), "2000-02-29");
        assert_eq!(date_string(-86_400), "1969-12-31");
        for days in [-1000, 0, 59, 60, 10_957, 20_000, 25_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn wrap_is_greedy_and_keeps_long_words() {
        assert_eq!(wrap("aa bb cc dd", 5), "aa bb\ncc dd");
        assert_eq!(
            wrap("a https://very.long/url b", 5),
            "a\nhttps://very.long/url\nb"
        );
        assert_eq!(wrap("", 5), "");
    }
}
