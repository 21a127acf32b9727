//! One module per subcommand; `run` dispatches. Commands return an [`ExitStatus`] for
//! findings and a [`WtError`] for failures; only `main` prints errors.

pub mod lint;
pub mod remote;
pub mod status;
pub mod sync;

use std::io::{IsTerminal, Write};

use crate::cli::{Cli, ColorChoice, Command, Format};
use crate::config::Config;
use crate::error::{ExitStatus, WtError};
use crate::lint::rules::{all_rules, find};

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

    /// Colour for stdout, from `--color`, `NO_COLOR` and whether stdout is a terminal.
    pub fn color(&self) -> bool {
        color_enabled(self.global.color, std::io::stdout().is_terminal())
    }
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

fn explain(code: &str, format: Format) -> Result<ExitStatus, WtError> {
    let Some(rule) = find(code) else {
        let codes: Vec<&str> = all_rules().iter().map(|r| r.code).collect();
        let close = crate::template::suggest(&code.to_ascii_uppercase(), &codes);
        return Err(WtError::usage_help(
            format!("unknown rule `{code}`"),
            match close {
                Some(c) => format!("did you mean `{c}`? `wt rules` lists every rule"),
                None => "`wt rules` lists every rule".to_string(),
            },
        ));
    };
    match format {
        Format::Json => {
            let v = serde_json::json!({
                "version": 1, "code": rule.code, "name": rule.name, "severity": rule.severity,
                "family": rule.family, "summary": rule.summary, "explanation": rule.explanation(),
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
