//! `wt pull [NAME...]`: the account's templates as files, to bootstrap an existing account
//! into git.
//!
//! Reads the account once, groups the templates by name and writes one file per name with
//! [`crate::pull::draft`] (which documents how names, categories and formats are decided).
//!
//! | what happens | how pull treats it | exit |
//! |---|---|---|
//! | the name already has a file under the directory | reported, skipped (`--overwrite` replaces it in place) | 0 |
//! | Meta's sample template (`hello_world`, `sample_*`) | skipped, counted (`--include-samples`, or name it) | 0 |
//! | components the file format cannot express | reported, skipped: `wt sync` leaves remote-only templates alone | 0 |
//! | languages disagree on category or parameter format | written, with a warning in the output and in the file | 0 |
//! | a name that is not a safe file name | reported as failed | 1 |
//! | a NAME given that the account does not have | nothing written | 2 |
//! | a file cannot be written | the run stops; files already written stay | 2 |
//! | the account cannot be read | nothing written | 3 |
//!
//! Every file is written atomically ([`crate::fsutil`]): killed at any moment, a pull leaves
//! complete files and, at worst, a temporary dot-file that `wt lint` does not read and the
//! next pull removes (once it is 10 minutes old).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::cli::{Format, PullArgs};
use crate::commands::lint::collect;
use crate::commands::remote;
use crate::commands::sync::PER_NAME_LISTING_MAX;
use crate::commands::{date_string, print, Context};
use crate::error::{ExitStatus, WtError};
use crate::pull::{check_file_name, draft, group, Skip};

/// Temporary files older than this are left-overs of an interrupted run (one file is
/// written in milliseconds), and removed.
const STALE_TEMP_AGE: std::time::Duration = std::time::Duration::from_secs(600);

/// What happened to one name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// A new file.
    Written,
    /// An existing file replaced (`--overwrite`).
    Overwritten,
    /// A file exists and `--overwrite` was not given.
    SkippedExisting,
    /// One of Meta's sample templates.
    SkippedSample,
    /// Components the file format cannot express.
    SkippedUnsupported,
    /// Every language is being deleted.
    SkippedDeleting,
    /// Not a safe file name.
    Failed,
}

/// One name's line of the report.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    pub name: String,
    /// Relative to the current directory.
    pub path: String,
    pub action: Action,
    pub languages: Vec<String>,
    /// Why it was skipped or failed.
    pub reason: Option<String>,
    pub warnings: Vec<String>,
}

/// Totals for the summary line.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct Summary {
    pub files_written: usize,
    pub templates_written: usize,
    pub skipped_existing: usize,
    pub skipped_samples: usize,
    pub skipped_unsupported: usize,
    pub skipped_deleting: usize,
    pub failed: usize,
}

pub fn run(cx: &Context, args: &PullArgs) -> Result<ExitStatus, WtError> {
    let config = cx.config()?;
    let dir = match &args.dir {
        Some(d) => cx.cwd.join(d),
        None => config.templates_dir(),
    };
    for n in &args.names {
        if let Err(why) = check_file_name(n) {
            return Err(WtError::usage_help(
                format!("`{n}` is not a template name: {why}"),
                "NAME is a template name as Meta has it, e.g. `order_shipped`",
            ));
        }
    }
    let conn = remote::connect(cx, &config)?;
    let names: BTreeSet<String> = args.names.iter().cloned().collect();
    let per_name = !names.is_empty() && names.len() <= PER_NAME_LISTING_MAX;
    let mut templates = conn
        .fetch(&names, per_name)
        .map_err(|e| conn.error("reading the account", &e))?;
    if !names.is_empty() {
        templates.retain(|t| names.contains(&t.name));
        let found: BTreeSet<&str> = templates.iter().map(|t| t.name.as_str()).collect();
        let missing: Vec<&String> = names
            .iter()
            .filter(|n| !found.contains(n.as_str()))
            .collect();
        if let Some(first) = missing.first() {
            let all: Vec<String> = if per_name {
                Vec::new()
            } else {
                templates.iter().map(|t| t.name.clone()).collect()
            };
            let all: Vec<&str> = all.iter().map(String::as_str).collect();
            let help = match crate::template::suggest(first, &all) {
                Some(s) => format!("did you mean `{s}`? `wt status` lists what the account has"),
                None => "`wt pull` with no NAME pulls every template of the account".to_string(),
            };
            return Err(WtError::usage_help(
                format!(
                    "the account {} has no template named {}; nothing was written",
                    conn.client.waba_id(),
                    missing
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                help,
            ));
        }
    }

    let stale = crate::fsutil::remove_stale_temps(&dir, STALE_TEMP_AGE);
    if !stale.is_empty() && !cx.global.quiet {
        eprintln!(
            "wt: removed {} temporary file(s) an interrupted run left in {}",
            stale.len(),
            shown(cx, &dir)
        );
    }
    let existing = existing_files(&dir);
    let header = format!(
        "# pulled from WABA {} on {} by `wt pull`",
        conn.client.waba_id(),
        date_string(cx.now())
    );
    let mut reports = Vec::new();
    let mut summary = Summary::default();
    let mut io_error = None;
    for (name, group) in group(&templates) {
        let named = names.contains(name);
        let d = draft(name, &group, &header, args.include_samples || named);
        let target = existing
            .get(name)
            .cloned()
            .unwrap_or_else(|| dir.join(format!("{name}.toml")));
        let mut report = FileReport {
            name: name.to_string(),
            path: shown(cx, &target),
            action: Action::Written,
            languages: d.languages.clone(),
            reason: None,
            warnings: d.warnings.clone(),
        };
        match d.file {
            Err(skip) => {
                let (action, reason) = match skip {
                    Skip::Sample => (Action::SkippedSample, "one of Meta's sample templates (--include-samples writes it)".to_string()),
                    Skip::InvalidName(why) => (Action::Failed, why),
                    Skip::Unsupported(parts) => (
                        Action::SkippedUnsupported,
                        format!(
                            "uses what the file format cannot express yet: {}; `wt plan` lists it as remote-only and `wt sync` leaves it alone (unless --prune)",
                            parts.join(", ")
                        ),
                    ),
                    Skip::Deleting => (
                        Action::SkippedDeleting,
                        "every language is being deleted".to_string(),
                    ),
                };
                report.action = action;
                report.reason = Some(reason);
            }
            Ok(text) => {
                let exists = existing.contains_key(name) || target.exists();
                let result = if exists && !args.overwrite {
                    report.action = Action::SkippedExisting;
                    report.reason = Some("the file exists (--overwrite replaces it)".to_string());
                    Ok(())
                } else if exists {
                    report.action = Action::Overwritten;
                    crate::fsutil::write_replace(&target, &text)
                } else {
                    crate::fsutil::write_new(&target, &text).map_err(|e| {
                        if e.kind() == std::io::ErrorKind::AlreadyExists {
                            std::io::Error::new(
                                e.kind(),
                                "the file appeared while wt was writing it; run wt pull again",
                            )
                        } else {
                            e
                        }
                    })
                };
                if let Err(e) = result {
                    io_error = Some(WtError::Io {
                        path: report.path.clone(),
                        source: e,
                    });
                    break;
                }
            }
        }
        count(&mut summary, &report);
        if args.format == Format::Human {
            show_line(cx, &report);
        }
        reports.push(report);
    }

    match args.format {
        Format::Json => {
            let v = serde_json::json!({
                "version": 1,
                "waba_id": conn.client.waba_id(),
                "directory": shown(cx, &dir),
                "files": reports,
                "summary": summary,
            });
            print(&(serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"))?;
        }
        Format::Human => {
            if !cx.global.quiet {
                print(&(summary_line(&summary) + "\n"))?;
                if io_error.is_none() && summary.files_written > 0 {
                    eprintln!(
                        "next: `wt lint` checks the files, `wt plan` should show nothing to change; then commit {}",
                        shown(cx, &dir)
                    );
                }
            }
        }
    }
    if cx.global.verbose {
        eprintln!("wt: {} API calls", conn.client.request_count());
    }
    if let Some(e) = io_error {
        return Err(e);
    }
    Ok(if summary.failed > 0 {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}

/// Template files already under `dir`, by stem (= template name, SPEC §1), found the way
/// `wt lint` finds them.
fn existing_files(dir: &Path) -> BTreeMap<String, PathBuf> {
    let mut files = BTreeSet::new();
    collect(dir, &mut files);
    files
        .into_iter()
        .filter(|p| p.is_file())
        .filter_map(|p| {
            let stem = p.file_stem()?.to_string_lossy().into_owned();
            Some((stem, p))
        })
        .collect()
}

fn count(s: &mut Summary, r: &FileReport) {
    match r.action {
        Action::Written | Action::Overwritten => {
            s.files_written += 1;
            s.templates_written += r.languages.len();
        }
        Action::SkippedExisting => s.skipped_existing += 1,
        Action::SkippedSample => s.skipped_samples += 1,
        Action::SkippedUnsupported => s.skipped_unsupported += 1,
        Action::SkippedDeleting => s.skipped_deleting += 1,
        Action::Failed => s.failed += 1,
    }
}

/// One line per name on stdout (what was written or skipped), warnings on stderr. Quiet
/// keeps failures and warnings only; samples are only counted.
fn show_line(cx: &Context, r: &FileReport) {
    let langs = r.languages.join(", ");
    let line = match r.action {
        Action::Written => Some(format!("wrote {} ({langs})", r.path)),
        Action::Overwritten => Some(format!("overwrote {} ({langs})", r.path)),
        Action::SkippedExisting => Some(format!(
            "skipped {}: {}",
            r.path,
            r.reason.as_deref().unwrap_or_default()
        )),
        Action::SkippedUnsupported | Action::SkippedDeleting => Some(format!(
            "skipped {}: {}",
            r.name,
            r.reason.as_deref().unwrap_or_default()
        )),
        Action::SkippedSample => None,
        Action::Failed => {
            eprintln!(
                "error: cannot write `{}`: {}",
                r.name,
                r.reason.as_deref().unwrap_or_default()
            );
            None
        }
    };
    if let Some(line) = line {
        if !cx.global.quiet {
            let _ = print(&(line + "\n"));
        }
    }
    for w in &r.warnings {
        eprintln!("warning: {}: {w}", r.name);
    }
}

/// `wrote 12 files (31 templates), skipped 2 existing, 1 sample`.
pub fn summary_line(s: &Summary) -> String {
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("{n} {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let mut line = format!(
        "wrote {} ({})",
        plural(s.files_written, "file", "files"),
        plural(s.templates_written, "template", "templates")
    );
    let mut skipped = Vec::new();
    if s.skipped_existing > 0 {
        skipped.push(format!("{} existing", s.skipped_existing));
    }
    if s.skipped_samples > 0 {
        skipped.push(plural(s.skipped_samples, "sample", "samples"));
    }
    if s.skipped_unsupported > 0 {
        skipped.push(format!("{} unsupported", s.skipped_unsupported));
    }
    if s.skipped_deleting > 0 {
        skipped.push(format!("{} being deleted", s.skipped_deleting));
    }
    if !skipped.is_empty() {
        line.push_str(&format!(", skipped {}", skipped.join(", ")));
    }
    if s.failed > 0 {
        line.push_str(&format!(", {} failed", s.failed));
    }
    line
}

fn shown(cx: &Context, p: &Path) -> String {
    crate::source::display_path(p.strip_prefix(&cx.cwd).unwrap_or(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_reads_well() {
        let s = Summary {
            files_written: 12,
            templates_written: 31,
            skipped_existing: 2,
            skipped_samples: 1,
            ..Summary::default()
        };
        assert_eq!(
            summary_line(&s),
            "wrote 12 files (31 templates), skipped 2 existing, 1 sample"
        );
        assert_eq!(
            summary_line(&Summary {
                files_written: 1,
                templates_written: 1,
                failed: 1,
                ..Summary::default()
            }),
            "wrote 1 file (1 template), 1 failed"
        );
    }
}
