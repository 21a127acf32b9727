//! `wt status [NAME...]` and `--wait`: the review status of templates in the account.
//!
//! One poll is one listing of the account (about one call per 100 templates, never one
//! GET per template). Once the account's size is known, later polls list only the names
//! still in review when that takes fewer calls (one filtered listing per name).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write as _;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::api::{ApiError, RemoteTemplate, TemplateStatus, DEFAULT_PAGE_SIZE};
use crate::cli::{Format, StatusArgs, WaitOpts};
use crate::commands::remote::{self, human_duration, Connection};
use crate::commands::{print, Context};
use crate::error::{ExitStatus, WtError};
use crate::template::Template;

/// Longest pause between two polls: review takes minutes to a day (meta/api.md §4.5), and
/// the whole account shares 200 calls per hour (§7).
pub const MAX_INTERVAL: Duration = Duration::from_secs(5 * 60);
/// Each pause is this much longer than the one before, up to [`MAX_INTERVAL`].
const BACKOFF_FACTOR: f64 = 1.5;
/// Polls in a row that may fail (after the client's own retries) before `--wait` gives up:
/// a network blip should not end a 30-minute wait.
const MAX_FAILED_POLLS: u32 = 3;

/// Status shown for a template that the files declare and the account does not have.
pub const MISSING: &str = "MISSING";

/// One (name, language) as `wt status` shows it (SPEC §5 JSON fields).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub name: String,
    pub language: String,
    pub id: Option<String>,
    pub status: String,
    pub category: Option<String>,
    pub quality_score: Option<String>,
    pub rejected_reason: Option<String>,
    /// The category the file declares, when a file declares this template.
    #[serde(skip)]
    pub declared_category: Option<String>,
}

impl Row {
    fn missing(name: &str, language: &str, declared: Option<&String>) -> Self {
        Row {
            name: name.to_string(),
            language: language.to_string(),
            id: None,
            status: MISSING.to_string(),
            category: None,
            quality_score: None,
            rejected_reason: None,
            declared_category: declared.cloned(),
        }
    }

    fn from_remote(t: &RemoteTemplate, declared: Option<&String>) -> Self {
        Row {
            name: t.name.clone(),
            language: t.language.clone(),
            id: Some(t.id.clone()),
            status: t.status.as_str().to_string(),
            category: Some(t.category.as_str().to_string()),
            quality_score: t.quality_score.clone(),
            rejected_reason: t.rejected_reason.clone(),
            declared_category: declared.cloned(),
        }
    }

    /// In review: keep waiting.
    pub fn is_pending(&self) -> bool {
        TemplateStatus::parse(&self.status).is_pending()
    }

    /// Sendable.
    pub fn is_ok(&self) -> bool {
        TemplateStatus::parse(&self.status) == TemplateStatus::Approved
    }

    /// Meta files it under another category than the file declares.
    pub fn category_differs(&self) -> bool {
        match (&self.category, &self.declared_category) {
            (Some(c), Some(d)) => !c.eq_ignore_ascii_case(d),
            _ => false,
        }
    }
}

/// Which remote templates without a file are shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Only those with these names (the NAMEs given on the command line).
    Names(BTreeSet<String>),
    /// Every template of the account (no templates directory, no NAMEs).
    All,
}

/// The templates being watched and their last known state.
pub struct Watch<'a> {
    conn: &'a Connection,
    /// (name, language) declared by the files → declared category.
    local: BTreeMap<(String, String), Option<String>>,
    scope: Scope,
    rows: BTreeMap<(String, String), Row>,
    /// Templates in the account, once known: decides full vs per-name listing.
    remote_total: Option<usize>,
    quiet: bool,
    polls: u32,
}

impl<'a> Watch<'a> {
    /// `local`: templates from the files (already filtered by NAME); `scope`: remote-only
    /// templates to show; `remote_total`: the account's size if the caller knows it.
    pub fn new(
        conn: &'a Connection,
        local: &[&Template],
        scope: Scope,
        remote_total: Option<usize>,
        quiet: bool,
    ) -> Self {
        let mut keys = BTreeMap::new();
        for t in local {
            for l in &t.languages {
                keys.insert(
                    (t.name.clone(), l.code.clone()),
                    t.category.map(|c| c.as_meta().to_string()),
                );
            }
        }
        Watch {
            conn,
            local: keys,
            scope,
            rows: BTreeMap::new(),
            remote_total,
            quiet,
            polls: 0,
        }
    }

    /// The current rows, sorted by (name, language).
    pub fn rows(&self) -> Vec<Row> {
        self.rows.values().cloned().collect()
    }

    fn names(&self) -> BTreeSet<String> {
        let mut n: BTreeSet<String> = self.local.keys().map(|(n, _)| n.clone()).collect();
        if let Scope::Names(extra) = &self.scope {
            n.extend(extra.iter().cloned());
        }
        n
    }

    /// Reads the account once (see the module doc for which listing) and updates the rows.
    /// Prints a line on stderr for each template whose review finished since the last poll.
    pub fn poll(&mut self) -> Result<(), ApiError> {
        let all_names = self.names();
        let fetch: Option<BTreeSet<String>> = if self.scope == Scope::All {
            None
        } else {
            let wanted: BTreeSet<String> = if self.polls == 0 {
                all_names
            } else {
                self.rows
                    .values()
                    .filter(|r| r.is_pending())
                    .map(|r| r.name.clone())
                    .collect()
            };
            let full_cost = self
                .remote_total
                .map(|n| n.div_ceil(DEFAULT_PAGE_SIZE as usize).max(1));
            let per_name = match full_cost {
                Some(cost) => wanted.len() < cost,
                // Unknown size: one name costs one call either way.
                None => wanted.len() <= 1,
            };
            if per_name {
                Some(wanted)
            } else {
                None
            }
        };
        if fetch.as_ref().is_some_and(BTreeSet::is_empty) {
            self.polls += 1;
            return Ok(());
        }
        let empty = BTreeSet::new();
        let remote = self
            .conn
            .fetch(fetch.as_ref().unwrap_or(&empty), fetch.is_some())?;
        if fetch.is_none() {
            self.remote_total = Some(remote.len());
        }
        let before = std::mem::take(&mut self.rows);
        let mut rows = before.clone();
        let covered = |name: &str| fetch.as_ref().is_none_or(|f| f.contains(name));
        rows.retain(|(n, _), _| !covered(n));
        // Several entries for one key happen while an old one is being deleted: prefer the
        // live one (as `plan` does).
        let mut by_key: BTreeMap<(String, String), &RemoteTemplate> = BTreeMap::new();
        for t in &remote {
            let key = (t.name.clone(), t.language.clone());
            let deleting = |s: &TemplateStatus| {
                matches!(s, TemplateStatus::PendingDeletion | TemplateStatus::Deleted)
            };
            match by_key.get(&key) {
                Some(existing) if !deleting(&existing.status) => {}
                _ => {
                    by_key.insert(key, t);
                }
            }
        }
        for (key, declared) in &self.local {
            if !covered(&key.0) {
                continue;
            }
            let row = match by_key.get(key) {
                Some(t) => Row::from_remote(t, declared.as_ref()),
                None => Row::missing(&key.0, &key.1, declared.as_ref()),
            };
            rows.insert(key.clone(), row);
        }
        for (key, t) in &by_key {
            if self.local.contains_key(key) || !covered(&key.0) {
                continue;
            }
            let shown = match &self.scope {
                Scope::All => true,
                Scope::Names(n) => n.contains(&key.0),
            };
            if shown {
                rows.insert(key.clone(), Row::from_remote(t, None));
            }
        }
        if self.polls > 0 && !self.quiet {
            for (key, row) in &rows {
                let was_pending = before.get(key).is_some_and(Row::is_pending);
                if was_pending && !row.is_pending() {
                    clear_progress();
                    eprintln!("wt: {}", decided(row));
                }
            }
        }
        self.rows = rows;
        self.polls += 1;
        Ok(())
    }

    /// Polls until nothing is in review or `opts.timeout` has passed. Returns whether it
    /// timed out. Shows a progress line on a terminal, a plain line per poll otherwise.
    pub fn wait(&mut self, opts: &WaitOpts) -> Result<bool, WtError> {
        let start = Instant::now();
        let deadline = start + opts.timeout;
        let mut interval = opts.interval;
        let cap = MAX_INTERVAL.max(opts.interval);
        let tty = remote::stderr_is_tty();
        let mut failed = 0;
        let mut last_error: Option<ApiError>;
        loop {
            match self.poll() {
                Ok(()) => {
                    failed = 0;
                    last_error = None;
                }
                // Meta asks for a longer pause than the client waits on its own (5 min):
                // when it ends before the deadline, wait it out, saying so; calling earlier
                // would extend the block (meta/api.md §7).
                Err(ApiError::ThrottledTooLong { wait, .. })
                    if Instant::now() + wait < deadline =>
                {
                    if !self.quiet {
                        clear_progress();
                        eprintln!(
                            "wt: Meta asks to wait {} before the next call; waiting ({} left before --timeout)",
                            human_duration(wait),
                            human_duration(round_for_display(
                                deadline.saturating_duration_since(Instant::now())
                            ))
                        );
                    }
                    self.conn.pause(wait);
                    continue;
                }
                Err(e) if e.is_retryable() && failed + 1 < MAX_FAILED_POLLS => {
                    failed += 1;
                    if !self.quiet {
                        clear_progress();
                        eprintln!(
                            "wt: {}; checking again later",
                            self.conn.redact(&e.to_string())
                        );
                    }
                    last_error = Some(e);
                }
                Err(e) => {
                    clear_progress();
                    return Err(self.conn.error("waiting for review", &e));
                }
            }
            let pending = self.rows.values().filter(|r| r.is_pending()).count();
            if pending == 0 && last_error.is_none() {
                if tty {
                    clear_progress();
                }
                return Ok(false);
            }
            let now = Instant::now();
            if now >= deadline {
                if tty {
                    clear_progress();
                }
                // Out of time without ever reading the account: that is a remote failure,
                // not a timeout with templates known to be in review.
                if let (Some(e), true) = (&last_error, self.polls == 0) {
                    return Err(self.conn.error("waiting for review", e));
                }
                return Ok(true);
            }
            let pause = interval.min(deadline - now);
            if !self.quiet {
                // Before the first successful poll nothing is known: not "no templates".
                let known = if self.polls == 0 {
                    "the account not read yet".to_string()
                } else {
                    counts_line(&self.rows())
                };
                let line = format!(
                    "waiting for review: {known} ({} elapsed, next check in {})",
                    elapsed(start.elapsed()),
                    human_duration(round_for_display(pause))
                );
                if tty {
                    eprint!("\r\x1b[K{line}");
                    let _ = std::io::stderr().flush();
                } else {
                    eprintln!("wt: {line}");
                }
            }
            self.conn.pause(pause);
            interval = interval.mul_f64(BACKOFF_FACTOR).min(cap);
        }
    }
}

/// Whole seconds: `0s`, `45s`, `3m 10s`.
fn elapsed(d: Duration) -> String {
    if d.as_secs() == 0 {
        "0s".to_string()
    } else {
        human_duration(Duration::from_secs(d.as_secs()))
    }
}

fn round_for_display(d: Duration) -> Duration {
    if d >= Duration::from_secs(1) {
        Duration::from_secs(d.as_secs())
    } else {
        Duration::from_millis(d.as_millis() as u64)
    }
}

fn clear_progress() {
    if remote::stderr_is_tty() {
        eprint!("\r\x1b[K");
    }
}

/// `order_shipped (en_US) is APPROVED` / `… is REJECTED (PROMOTIONAL)`.
fn decided(row: &Row) -> String {
    let mut s = format!("{} ({}) is {}", row.name, row.language, row.status);
    if let Some(r) = row.rejected_reason.as_deref().filter(|r| has_value(r)) {
        let _ = write!(s, " ({r})");
    }
    if row.category_differs() {
        let _ = write!(
            s,
            ", filed as {} (the file says {})",
            row.category.as_deref().unwrap_or("?"),
            row.declared_category.as_deref().unwrap_or("?")
        );
    }
    s
}

fn has_value(s: &str) -> bool {
    !s.is_empty() && !s.eq_ignore_ascii_case("NONE")
}

/// `3 approved, 1 pending, 1 rejected, 1 missing`.
pub fn counts_line(rows: &[Row]) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for r in rows {
        *counts.entry(r.status.to_lowercase()).or_default() += 1;
    }
    if counts.is_empty() {
        return "no templates".to_string();
    }
    // Approved first, pending next, then the rest alphabetically.
    let order = |s: &str| match s {
        "approved" => 0,
        "pending" => 1,
        "in_appeal" => 2,
        _ => 3,
    };
    let mut list: Vec<_> = counts.into_iter().collect();
    list.sort_by(|a, b| (order(&a.0), &a.0).cmp(&(order(&b.0), &b.0)));
    list.into_iter()
        .map(|(s, n)| format!("{n} {}", s.replace('_', " ")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Exit status of `status` (SPEC §4): 4 timed out with templates in review; 1 some template
/// not sendable (rejected, paused, disabled, missing, deleted, archived…); else 0.
pub fn exit_status(rows: &[Row], timed_out: bool) -> ExitStatus {
    if timed_out && rows.iter().any(Row::is_pending) {
        ExitStatus::Timeout
    } else if rows.iter().any(|r| !r.is_ok() && !r.is_pending()) {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    }
}

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const RESET: &str = "\x1b[0m";

/// The table: NAME, LANGUAGE, ID, STATUS, CATEGORY (`*` when Meta's differs from the
/// file's), QUALITY, REASON; then footnotes and, unless `quiet`, a count line.
pub fn table(rows: &[Row], color: bool, quiet: bool) -> String {
    let dash = |v: Option<&str>| v.filter(|s| has_value(s)).unwrap_or("-").to_string();
    let header = [
        "NAME", "LANGUAGE", "ID", "STATUS", "CATEGORY", "QUALITY", "REASON",
    ];
    let cells: Vec<[String; 7]> = rows
        .iter()
        .map(|r| {
            let mut category = dash(r.category.as_deref());
            if r.category_differs() {
                category.push('*');
            }
            [
                r.name.clone(),
                r.language.clone(),
                dash(r.id.as_deref()),
                r.status.clone(),
                category,
                dash(r.quality_score.as_deref()),
                dash(r.rejected_reason.as_deref()),
            ]
        })
        .collect();
    let mut width = header.map(str::len);
    for c in &cells {
        for (w, v) in width.iter_mut().zip(c) {
            *w = (*w).max(v.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, vals: &[String; 7], status_color: Option<&str>| {
        let mut parts = Vec::new();
        for (i, v) in vals.iter().enumerate() {
            let pad = width[i].saturating_sub(v.chars().count());
            let text = match (i, status_color) {
                (3, Some(c)) => format!("{c}{v}{RESET}{}", " ".repeat(pad)),
                _ => format!("{v}{}", " ".repeat(pad)),
            };
            parts.push(text);
        }
        let _ = writeln!(out, "{}", parts.join("  ").trim_end());
    };
    line(&mut out, &header.map(str::to_string), None);
    for (row, c) in rows.iter().zip(&cells) {
        let color_code = color.then(|| {
            if row.is_ok() {
                GREEN
            } else if row.is_pending() {
                YELLOW
            } else {
                RED
            }
        });
        line(&mut out, c, color_code);
    }
    let differing: Vec<&Row> = rows.iter().filter(|r| r.category_differs()).collect();
    if !differing.is_empty() {
        out.push('\n');
        for r in differing {
            let _ = writeln!(
                out,
                "* {} ({}): Meta files it as {}, the file says {}; editing cannot change that (`wt lint` explains what reads as {})",
                r.name,
                r.language,
                r.category.as_deref().unwrap_or("?"),
                r.declared_category.as_deref().unwrap_or("?"),
                r.category.as_deref().unwrap_or("?").to_lowercase()
            );
        }
    }
    if rows.iter().any(|r| r.status == MISSING) {
        out.push_str("\nMISSING: in the files but not in the account; `wt sync` creates it\n");
    }
    if !quiet {
        out.push('\n');
        out.push_str(&counts_line(rows));
        out.push('\n');
    }
    out
}

#[derive(Serialize)]
struct StatusJson<'a> {
    version: u32,
    templates: &'a [Row],
}

/// SPEC §5: `{"version":1,"templates":[{"name","language","id","status","category","quality_score","rejected_reason"}]}`.
pub fn json(rows: &[Row]) -> String {
    let mut s = serde_json::to_string_pretty(&StatusJson {
        version: 1,
        templates: rows,
    })
    .unwrap_or_default();
    s.push('\n');
    s
}

/// Prints the rows in `format`.
pub fn emit(cx: &Context, rows: &[Row], format: Format) -> Result<(), WtError> {
    match format {
        Format::Json => print(&json(rows)),
        Format::Human => print(&table(rows, cx.color(), cx.global.quiet)),
    }
}

pub fn run(cx: &Context, args: &StatusArgs) -> Result<ExitStatus, WtError> {
    let config = cx.config()?;
    let have_dir = config.templates_dir().is_dir();
    let ws = if have_dir {
        let (ws, _) = crate::commands::lint::load_workspace(cx, &config, &[])?;
        if !ws.load_diagnostics.is_empty() && !cx.global.quiet {
            eprintln!(
                "wt: {} template file(s) could not be read and are not shown; `wt lint` says why",
                ws.load_diagnostics
                    .iter()
                    .map(|d| d.file)
                    .collect::<BTreeSet<_>>()
                    .len()
            );
        }
        Some(ws)
    } else {
        None
    };
    let names: BTreeSet<String> = args.names.iter().cloned().collect();
    let local: Vec<&Template> = ws
        .as_ref()
        .map(|ws| {
            ws.templates
                .iter()
                .filter(|t| names.is_empty() || names.contains(&t.name))
                .collect()
        })
        .unwrap_or_default();
    let scope = if names.is_empty() && local.is_empty() {
        Scope::All
    } else {
        Scope::Names(names.clone())
    };
    let conn = remote::connect(cx, &config)?;
    let mut watch = Watch::new(&conn, &local, scope, None, cx.global.quiet);
    let timed_out = if args.wait {
        watch.wait(&args.wait_opts)?
    } else {
        watch
            .poll()
            .map_err(|e| conn.error("reading the account", &e))?;
        false
    };
    let rows = watch.rows();
    if !names.is_empty() {
        let shown: BTreeSet<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        let unknown: Vec<&str> = names
            .iter()
            .map(String::as_str)
            .filter(|n| !shown.contains(n))
            .collect();
        if !unknown.is_empty() {
            return Err(WtError::usage_help(
                format!(
                    "no template named {} in the files or the account",
                    unknown
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "`wt status` with no NAME lists every template of the files",
            ));
        }
    }
    emit(cx, &rows, args.format)?;
    if cx.global.verbose {
        eprintln!("wt: {} API calls", conn.client.request_count());
    }
    if timed_out && !cx.global.quiet {
        eprintln!(
            "wt: gave up waiting after {}: {} still in review (raise --timeout, or run `wt status --wait` again)",
            human_duration(args.wait_opts.timeout),
            rows.iter().filter(|r| r.is_pending()).count()
        );
    }
    Ok(exit_status(&rows, timed_out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, status: &str, category: &str, declared: &str) -> Row {
        Row {
            name: name.into(),
            language: "en_US".into(),
            id: Some("1".into()),
            status: status.into(),
            category: Some(category.into()),
            quality_score: Some("UNKNOWN".into()),
            rejected_reason: Some("NONE".into()),
            declared_category: Some(declared.into()),
        }
    }

    #[test]
    fn exit_codes_follow_spec_4() {
        let ok = row("a", "APPROVED", "UTILITY", "UTILITY");
        let pending = row("b", "PENDING", "UTILITY", "UTILITY");
        let rejected = row("c", "REJECTED", "UTILITY", "UTILITY");
        let missing = Row::missing("d", "en_US", None);
        assert_eq!(
            exit_status(std::slice::from_ref(&ok), false),
            ExitStatus::Success
        );
        assert_eq!(
            exit_status(&[ok.clone(), rejected], false),
            ExitStatus::Findings
        );
        assert_eq!(
            exit_status(&[ok.clone(), missing], false),
            ExitStatus::Findings
        );
        assert_eq!(exit_status(&[ok, pending], true), ExitStatus::Timeout);
        let paused = row("e", "PAUSED", "UTILITY", "UTILITY");
        assert_eq!(exit_status(&[paused], false), ExitStatus::Findings);
    }

    #[test]
    fn table_marks_recategorised_templates() {
        let rows = [
            row("order_shipped", "APPROVED", "UTILITY", "UTILITY"),
            row("spring_sale", "APPROVED", "MARKETING", "UTILITY"),
        ];
        let t = table(&rows, false, false);
        let lines: Vec<&str> = t.lines().collect();
        assert!(lines[0].starts_with("NAME"), "{t}");
        assert!(lines[2].contains("MARKETING*"), "{t}");
        assert!(
            t.contains("* spring_sale (en_US): Meta files it as MARKETING, the file says UTILITY"),
            "{t}"
        );
        assert!(t.ends_with("2 approved\n"), "{t}");
        assert!(!t.contains('\x1b'));
    }

    #[test]
    fn counts_order() {
        let rows = [
            row("a", "REJECTED", "UTILITY", "UTILITY"),
            row("b", "PENDING", "UTILITY", "UTILITY"),
            row("c", "APPROVED", "UTILITY", "UTILITY"),
        ];
        assert_eq!(counts_line(&rows), "1 approved, 1 pending, 1 rejected");
    }

    #[test]
    fn json_shape() {
        let v: serde_json::Value =
            serde_json::from_str(&json(&[Row::missing("a", "en_US", None)])).unwrap();
        assert_eq!(v["version"], 1);
        let t = &v["templates"][0];
        assert_eq!(t["status"], "MISSING");
        assert!(t["id"].is_null());
        let mut keys: Vec<&str> = t.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "category",
                "id",
                "language",
                "name",
                "quality_score",
                "rejected_reason",
                "status"
            ]
        );
    }
}
