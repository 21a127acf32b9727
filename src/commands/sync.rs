//! `wt plan` and `wt sync`: reconcile the template files with the account.
//!
//! Both read the account once (`api::TemplatesApi::list`), compare with `crate::plan`, and
//! `sync` then applies the changes one by one:
//!
//! | what happens | how sync treats it | exit |
//! |---|---|---|
//! | lint error in any template | prints the lint report, submits nothing | 1 |
//! | create answered 2388024 on a retry | the first attempt reached Meta: adopted, counted as created | 0 |
//! | Meta refuses one template (code 100, 192, 200002: validation, name lock, edit budget) | reported as failed, the others go on | 1 |
//! | change Meta would certainly refuse (edit of a PENDING template, category of an APPROVED one, name locked) | reported as skipped, not sent | 1 |
//! | token refused, network down, 5xx or throttling after retries | the run stops; what was done is printed | 3 |
//! | 100 creations in this run (Meta's limit per account per hour) | remaining creations are left for the next run | 3 |
//!
//! Re-running after any of these resumes where the last run stopped: what was created is
//! now in the account and plans as unchanged.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::api::{self, ApiError, Category, CreateOutcome, CreateTemplate, ParameterFormat};
use crate::cli::{Format, PlanArgs, SyncArgs};
use crate::commands::lint::{human_report, lint_templates};
use crate::commands::remote::{self, Connection};
use crate::commands::status::{self, Scope, Watch};
use crate::commands::{print, Context};
use crate::convert::{components, normalize};
use crate::error::{ExitStatus, WtError};
use crate::lint::diagnostic::Severity;
use crate::lint::{Report, Workspace};
use crate::plan::{self as planner, Action, Change, RemoteEntry};
use crate::template::{self, Language, Template};

/// Meta accepts at most 100 template creations per account per hour (meta/api.md §1.1).
/// Meta does not say how many this hour's earlier runs used, so one run creates at most
/// this many and leaves the rest for the next run; Meta's own throttle answer covers the rest.
pub const CREATIONS_PER_HOUR: usize = 100;
/// With up to this many NAMEs, read the account with one filtered listing per name instead
/// of listing everything (a full listing costs one call per 100 templates).
pub(crate) const PER_NAME_LISTING_MAX: usize = 3;

/// Local templates, linted, and the account, compared.
struct Prepared {
    ws: Workspace,
    report: Report,
    conn: Connection,
    remote: Vec<api::RemoteTemplate>,
    changes: Vec<Change>,
}

impl Prepared {
    fn local(&self) -> Vec<&Template> {
        self.ws.templates.iter().collect()
    }
}

/// Loads and lints the files; `Err` for configuration problems only.
fn load(cx: &Context) -> Result<(crate::config::Config, Workspace, Report), WtError> {
    let config = cx.config()?;
    let (ws, report) = lint_templates(cx, &config)?;
    Ok((config, ws, report))
}

/// Reads the account and plans. `names` filters the plan (empty = everything).
fn prepare(
    cx: &Context,
    config: &crate::config::Config,
    ws: Workspace,
    report: Report,
    names: &[String],
) -> Result<Prepared, WtError> {
    let conn = remote::connect(cx, config)?;
    let name_set: BTreeSet<String> = names.iter().cloned().collect();
    let per_name = !name_set.is_empty() && name_set.len() <= PER_NAME_LISTING_MAX;
    let remote = conn
        .fetch(&name_set, per_name)
        .map_err(|e| conn.error("reading the account", &e))?;
    check_names(&name_set, &ws, &remote)?;
    let entries: Vec<RemoteEntry> = remote.iter().map(RemoteEntry::from).collect();
    let local: Vec<&Template> = ws.templates.iter().collect();
    let changes = planner::plan(&local, &entries, names);
    Ok(Prepared {
        ws,
        report,
        conn,
        remote,
        changes,
    })
}

/// A NAME that neither the files nor the account know is a typo: exit 2 with a suggestion.
fn check_names(
    names: &BTreeSet<String>,
    ws: &Workspace,
    remote: &[api::RemoteTemplate],
) -> Result<(), WtError> {
    let mut known: BTreeSet<&str> = ws.templates.iter().map(|t| t.name.as_str()).collect();
    known.extend(remote.iter().map(|t| t.name.as_str()));
    let unknown: Vec<&String> = names
        .iter()
        .filter(|n| !known.contains(n.as_str()))
        .collect();
    let Some(first) = unknown.first() else {
        return Ok(());
    };
    let list: Vec<&str> = known.iter().copied().collect();
    let help = match template::suggest(first, &list) {
        Some(s) => format!("did you mean `{s}`?"),
        None => "NAME is a template name, the file stem in templates/".to_string(),
    };
    Err(WtError::usage_help(
        format!(
            "no template named {} in the files or the account",
            unknown
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        help,
    ))
}

/// Files that could not be read would silently turn into "remote only": refuse to plan.
fn unreadable_files(cx: &Context, ws: &Workspace, report: &Report) -> Option<String> {
    if ws.load_diagnostics.is_empty() {
        return None;
    }
    let only_load = Report {
        files: report.files,
        templates: report.templates,
        diagnostics: report
            .diagnostics
            .iter()
            .filter(|d| d.code == "WT000")
            .cloned()
            .collect(),
    };
    Some(human_report(cx, &only_load, &ws.sources))
}

fn lint_errors(report: &Report) -> usize {
    report.count(Severity::Error)
}

/// `wt plan`.
pub fn plan(cx: &Context, args: &PlanArgs) -> Result<ExitStatus, WtError> {
    let (config, ws, report) = load(cx)?;
    if let Some(text) = unreadable_files(cx, &ws, &report) {
        eprint!("{text}");
        eprintln!("wt: cannot plan while template files cannot be read: their templates would look remote-only");
        return Ok(ExitStatus::Findings);
    }
    let p = prepare(cx, &config, ws, report, &args.names)?;
    show_plan(cx, &p, args.format, args.prune)?;
    let errors = lint_errors(&p.report);
    if errors > 0 && !cx.global.quiet {
        eprintln!(
            "wt: note: `wt lint` finds {errors} error(s); `wt sync` submits nothing until they are fixed"
        );
    }
    if cx.global.verbose {
        eprintln!("wt: {} API calls", p.conn.client.request_count());
    }
    let n = planner::counts(&p.changes);
    let pending = n.create + n.update + if args.prune { n.remote_only } else { 0 };
    Ok(if args.exit_code && pending > 0 {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}

fn show_plan(cx: &Context, p: &Prepared, format: Format, prune: bool) -> Result<(), WtError> {
    match format {
        Format::Json => print(&crate::render::plan::json(&p.changes)),
        Format::Human => print(&crate::render::plan::human(
            &p.changes,
            prune,
            cx.color(),
            cx.global.verbose,
        )),
    }
}

/// What happened to one change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Created,
    /// An earlier, timed-out attempt had created it; counted as created.
    Adopted,
    Updated,
    Deleted,
    /// Meta refused it (validation, name lock, edit budget).
    Failed,
    /// Not sent: Meta would certainly refuse it (see the plan's warnings).
    Skipped,
    /// The run stopped before it (remote failure or creation budget).
    NotAttempted,
}

/// What sync set out to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Create,
    Update,
    Delete,
}

/// One line of the sync report (`--format json`: one entry of `results`).
#[derive(Debug, Clone, Serialize)]
pub struct Done {
    pub name: String,
    pub language: String,
    pub action: Op,
    pub outcome: Outcome,
    pub id: Option<String>,
    pub status: Option<String>,
    pub message: Option<String>,
    pub help: Option<String>,
}

impl Done {
    fn new(c: &Change, outcome: Outcome) -> Self {
        Done {
            name: c.name.clone(),
            language: c.language.clone(),
            action: match c.action {
                Action::Create => Op::Create,
                Action::RemoteOnly => Op::Delete,
                Action::Update | Action::Unchanged => Op::Update,
            },
            outcome,
            id: c.remote_id.clone(),
            status: c.remote_status.clone(),
            message: None,
            help: None,
        }
    }

    fn line(&self) -> String {
        let who = format!("{} ({})", self.name, self.language);
        let status = self.status.as_deref().unwrap_or("?");
        let mut s = match self.outcome {
            Outcome::Created => format!("created {who} → {status}"),
            Outcome::Adopted => format!(
                "created {who} → {status} (an earlier attempt had reached Meta: adopted, not duplicated)"
            ),
            Outcome::Updated => format!("updated {who} → {status}"),
            Outcome::Deleted => format!("deleted {who} (id {})", self.id.as_deref().unwrap_or("?")),
            Outcome::Failed => format!(
                "failed  {who}: {}",
                self.message.as_deref().unwrap_or("refused")
            ),
            Outcome::Skipped => format!(
                "skipped {who}: {}",
                self.message.as_deref().unwrap_or("Meta would refuse this change")
            ),
            Outcome::NotAttempted => format!(
                "not attempted {who}: {}",
                self.message.as_deref().unwrap_or("the run stopped before it")
            ),
        };
        if matches!(
            self.outcome,
            Outcome::Created | Outcome::Adopted | Outcome::Updated
        ) {
            if let Some(m) = &self.message {
                s.push_str(&format!("\n    note: {m}"));
            }
        }
        if let Some(h) = &self.help {
            s.push_str(&format!("\n    help: {h}"));
        }
        s.push('\n');
        s
    }
}

/// Why a call failed, for the sync report.
enum Failure {
    /// Meta refused this template; the run goes on.
    Refused { message: String, help: String },
    /// The run cannot go on (token, network, throttling, server errors after retries).
    Fatal(ApiError),
}

/// Validation-style codes that concern one template, not the account (meta/api.md §5.2).
const TEMPLATE_LEVEL_CODES: &[u32] = &[
    api::codes::INVALID_PARAMETER,
    api::codes::INVALID_PARAMETER_VALUE,
    api::codes::TEMPLATE_CREATION_FAILED,
];

fn classify(conn: &Connection, err: ApiError) -> Failure {
    let template_level = err.meta().is_some_and(|m| {
        TEMPLATE_LEVEL_CODES.contains(&m.code)
            && !m.is_auth_error()
            && !m.is_throttling()
            // The WABA or template id is unknown: an account problem.
            && m.error_subcode != Some(remote::SUB_OBJECT_NOT_FOUND)
    }) && matches!(err, ApiError::Meta { .. });
    if !template_level {
        return Failure::Fatal(err);
    }
    let meta = err.meta().cloned();
    let sub = err.subcode();
    let help = match sub {
        Some(api::codes::SUB_NAME_BEING_DELETED) => {
            "this (name, language) was deleted less than 30 days ago and stays locked up to 4 weeks; give the template a new name (file name and `name`)".to_string()
        }
        Some(api::codes::SUB_STATUS_CANNOT_CHANGE) => {
            "the template is in review, or its edit budget (1 edit per 24 h, 10 per 30 days for APPROVED templates) is used up; run `wt sync` again after the review or tomorrow".to_string()
        }
        Some(api::codes::SUB_CONTENT_EXISTS) => {
            "the template appeared in the account while wt was running; run `wt sync` again".to_string()
        }
        Some(api::codes::SUB_TEMPLATE_LIMIT) => {
            "the account has reached its template limit; delete unused templates (`wt sync --prune`)".to_string()
        }
        _ => match meta.as_ref().and_then(api::MetaError::blame_field) {
            Some(path) => format!(
                "Meta points at `{}`; fix the template file and run `wt sync` again",
                path.join(".")
            ),
            None => "fix the template file and run `wt sync` again".to_string(),
        },
    };
    let message = meta.map_or_else(|| err.to_string(), |m| m.to_string());
    Failure::Refused {
        message: conn.redact(&message),
        help,
    }
}

/// `wt sync`.
pub fn sync(cx: &Context, args: &SyncArgs) -> Result<ExitStatus, WtError> {
    let (config, ws, report) = load(cx)?;
    if args.dry_run {
        return plan(
            cx,
            &PlanArgs {
                names: args.names.clone(),
                format: args.format,
                exit_code: false,
                prune: args.prune,
            },
        );
    }
    let errors = lint_errors(&report);
    if errors > 0 {
        match args.format {
            Format::Json => print(&crate::render::json::lint(&report, &ws.sources))?,
            Format::Human => print(&human_report(cx, &report, &ws.sources))?,
        }
        eprintln!(
            "wt: nothing submitted: fix the {errors} lint error(s) above first (Meta would reject or refuse these templates)"
        );
        return Ok(ExitStatus::Findings);
    }
    let p = prepare(cx, &config, ws, report, &args.names)?;
    let n = planner::counts(&p.changes);
    if args.prune && args.names.is_empty() && p.ws.templates.is_empty() && n.remote_only > 0 {
        return Err(WtError::usage_help(
            format!(
                "refusing to delete all {} templates of the account: no template files were found",
                n.remote_only
            ),
            "check the templates directory (`templates` in wt.toml), or name the templates to delete: `wt sync NAME --prune`",
        ));
    }
    let human = args.format == Format::Human;
    let mut run = Run::new(cx, &p, human);
    run.apply(args.prune)?;
    let Run {
        done,
        fatal,
        budget_hit,
        created,
        ..
    } = run;

    let unchanged = n.unchanged;
    if human && !cx.global.quiet {
        print(&summary(&done, unchanged, args.prune, n.remote_only))?;
    }
    if cx.global.verbose {
        eprintln!("wt: {} API calls", p.conn.client.request_count());
    }
    let refused = done
        .iter()
        .any(|d| matches!(d.outcome, Outcome::Failed | Outcome::Skipped));

    // A stopped run: report, then exit 3 through the error (main prints it on stderr).
    let stop_error = if let Some(doing_err) = fatal {
        let (doing, err) = doing_err;
        // The change that stopped the run is left too: recorded as not attempted when
        // throttled, as failed otherwise (see `Run::failure`).
        let left = done
            .iter()
            .filter(|d| d.outcome == Outcome::NotAttempted)
            .count()
            + usize::from(!err.is_throttling());
        let (message, help) = p.conn.describe(&doing, &err);
        let mut help = help.unwrap_or_default();
        if !help.is_empty() {
            help.push_str("; ");
        }
        help.push_str(&format!(
            "`wt sync` resumes where this run stopped ({left} change(s) left)"
        ));
        Some(WtError::Remote {
            message: p.conn.redact(&format!("sync stopped: {message}")),
            help: Some(p.conn.redact(&help)),
        })
    } else if budget_hit {
        let left = done
            .iter()
            .filter(|d| d.outcome == Outcome::NotAttempted)
            .count();
        Some(WtError::Remote {
            message: format!(
                "sync stopped creating after {created} templates: Meta accepts at most {CREATIONS_PER_HOUR} creations per account per hour"
            ),
            help: Some(format!(
                "run `wt sync` again in 60 minutes to create the remaining {left}; it resumes where this run stopped"
            )),
        })
    } else {
        None
    };

    let mut rows = None;
    let mut timed_out = false;
    if args.wait && stop_error.is_none() {
        let local: Vec<&Template> = p
            .local()
            .into_iter()
            .filter(|t| args.names.is_empty() || args.names.contains(&t.name))
            .collect();
        let total = p.remote.len() + created;
        let mut watch = Watch::new(
            &p.conn,
            &local,
            Scope::Names(BTreeSet::new()),
            Some(total),
            cx.global.quiet,
        );
        timed_out = watch.wait(&args.wait_opts)?;
        rows = Some(watch.rows());
    }

    match args.format {
        Format::Json => {
            #[derive(Serialize)]
            struct SyncJson<'a> {
                version: u32,
                results: &'a [Done],
                /// With `--wait`: the status rows as `wt status --format json` has them.
                #[serde(skip_serializing_if = "Option::is_none")]
                templates: Option<&'a [status::Row]>,
            }
            let v = SyncJson {
                version: 1,
                results: &done,
                templates: rows.as_deref(),
            };
            print(&(serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"))?;
        }
        Format::Human => {
            if let Some(rows) = &rows {
                print("\n")?;
                print(&status::table(rows, cx.color(), cx.global.quiet))?;
            }
        }
    }
    if let Some(e) = stop_error {
        return Err(e);
    }
    let mut exit = if refused {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    };
    if let Some(rows) = &rows {
        exit = exit.max(status::exit_status(rows, timed_out));
        if timed_out && !cx.global.quiet {
            eprintln!(
                "wt: gave up waiting after {}: templates are still in review (run `wt status --wait` to keep waiting)",
                remote::human_duration(args.wait_opts.timeout)
            );
        }
    }
    Ok(exit)
}

/// `: Meta asks to wait 60 minutes` for a throttled stop, else nothing (the error on stderr
/// and the `failed` line say the rest).
fn stop_reason(err: &ApiError) -> String {
    match err {
        ApiError::ThrottledTooLong { wait, .. } => {
            format!(": Meta asks to wait {}", remote::minutes(*wait))
        }
        _ if err.is_throttling() => ": Meta's rate limit".to_string(),
        _ => String::new(),
    }
}

/// `2 created, 1 updated, 0 deleted, 14 unchanged; 1 failed, 3 not attempted`.
fn summary(done: &[Done], unchanged: usize, prune: bool, remote_only: usize) -> String {
    let count = |o: &[Outcome]| done.iter().filter(|d| o.contains(&d.outcome)).count();
    let mut s = format!(
        "{} created, {} updated, {} deleted, {unchanged} unchanged",
        count(&[Outcome::Created, Outcome::Adopted]),
        count(&[Outcome::Updated]),
        count(&[Outcome::Deleted]),
    );
    let mut bad = Vec::new();
    for (o, word) in [
        (Outcome::Failed, "failed"),
        (Outcome::Skipped, "skipped"),
        (Outcome::NotAttempted, "not attempted"),
    ] {
        let n = count(&[o]);
        if n > 0 {
            bad.push(format!("{n} {word}"));
        }
    }
    if !bad.is_empty() {
        s.push_str("; ");
        s.push_str(&bad.join(", "));
    }
    if !prune && remote_only > 0 {
        s.push_str(&format!(
            "; {remote_only} only in the account (`wt sync --prune` deletes them)"
        ));
    }
    if done.is_empty() && unchanged > 0 {
        s.push_str(" (nothing to do)");
    }
    s.push('\n');
    if done.is_empty() {
        s
    } else {
        format!("\n{s}")
    }
}

/// The state of one sync run.
struct Run<'p> {
    cx: &'p Context,
    p: &'p Prepared,
    human: bool,
    /// (name, language) → the file's template and language.
    local: BTreeMap<(String, String), (&'p Template, &'p Language)>,
    done: Vec<Done>,
    created: usize,
    budget_hit: bool,
    fatal: Option<(String, ApiError)>,
}

impl<'p> Run<'p> {
    fn new(cx: &'p Context, p: &'p Prepared, human: bool) -> Self {
        let mut local = BTreeMap::new();
        for t in &p.ws.templates {
            for l in &t.languages {
                local.insert((t.name.clone(), l.code.clone()), (t, l));
            }
        }
        Run {
            cx,
            p,
            human,
            local,
            done: Vec::new(),
            created: 0,
            budget_hit: false,
            fatal: None,
        }
    }

    fn record(&mut self, d: Done) -> Result<(), WtError> {
        if self.human && d.outcome != Outcome::NotAttempted {
            print(&d.line())?;
        }
        self.done.push(d);
        Ok(())
    }

    fn apply(&mut self, prune: bool) -> Result<(), WtError> {
        let p = self.p;
        for c in &p.changes {
            let wanted = match c.action {
                Action::Create | Action::Update => true,
                Action::RemoteOnly => prune,
                Action::Unchanged => false,
            };
            if !wanted {
                continue;
            }
            if self.fatal.is_some() {
                let mut d = Done::new(c, Outcome::NotAttempted);
                d.message = Some("the run stopped before it".into());
                self.done.push(d);
                continue;
            }
            if c.blocked {
                let mut d = Done::new(c, Outcome::Skipped);
                d.message = Some(
                    c.warnings
                        .first()
                        .cloned()
                        .unwrap_or_else(|| "Meta would refuse this change".into()),
                );
                self.record(d)?;
                continue;
            }
            match c.action {
                Action::Create => self.create(c)?,
                Action::Update => self.update(c)?,
                Action::RemoteOnly => self.delete(c)?,
                Action::Unchanged => {}
            }
        }
        if let Some((doing, _)) = &self.fatal {
            if self.human {
                let left: Vec<String> = self
                    .done
                    .iter()
                    .filter(|d| d.outcome == Outcome::NotAttempted)
                    .map(|d| format!("{} ({})", d.name, d.language))
                    .collect();
                let mut s = format!("stopped while {doing}");
                if let Some((_, err)) = &self.fatal {
                    s.push_str(&stop_reason(err));
                }
                if !left.is_empty() {
                    s.push_str(&format!("; not attempted: {}", left.join(", ")));
                }
                print(&(s + "\n"))?;
            }
        }
        Ok(())
    }

    fn failure(&mut self, c: &Change, doing: String, err: ApiError) -> Result<(), WtError> {
        match classify(&self.p.conn, err) {
            Failure::Refused { message, help } => {
                let mut d = Done::new(c, Outcome::Failed);
                d.message = Some(message);
                d.help = Some(help);
                self.record(d)
            }
            Failure::Fatal(err) => {
                if err.is_throttling() {
                    // Not this template's fault: Meta wants fewer calls. It is left for the
                    // next run like the rest.
                    let mut d = Done::new(c, Outcome::NotAttempted);
                    d.message = Some("Meta's rate limit stopped the run".into());
                    self.done.push(d);
                } else {
                    let (message, _) = self.p.conn.describe(&doing, &err);
                    let mut d = Done::new(c, Outcome::Failed);
                    d.message = Some(self.p.conn.redact(&message));
                    self.record(d)?;
                }
                self.fatal = Some((doing, err));
                Ok(())
            }
        }
    }

    fn create(&mut self, c: &Change) -> Result<(), WtError> {
        if self.created >= CREATIONS_PER_HOUR {
            self.budget_hit = true;
            let mut d = Done::new(c, Outcome::NotAttempted);
            d.message = Some(format!(
                "{CREATIONS_PER_HOUR} templates were created in this run, Meta's limit per hour"
            ));
            if self.human
                && !self.cx.global.quiet
                && self.done.iter().all(|d| d.outcome != Outcome::NotAttempted)
            {
                print(&format!(
                    "stopped creating: {CREATIONS_PER_HOUR} templates created, Meta's limit per account per hour; the rest are left for the next run\n"
                ))?;
            }
            self.done.push(d);
            return Ok(());
        }
        let Some(&(t, lang)) = self.local.get(&(c.name.clone(), c.language.clone())) else {
            return Ok(());
        };
        let Some(category) = t.category else {
            let mut d = Done::new(c, Outcome::Skipped);
            d.message = Some("the file declares no valid `category`".into());
            return self.record(d);
        };
        let body = CreateTemplate {
            name: t.name.clone(),
            language: lang.code.clone(),
            category: Category::parse(category.as_meta()),
            parameter_format: (t.parameter_format == template::ParameterFormat::Named)
                .then_some(ParameterFormat::Named),
            components: components(t, lang),
            allow_category_change: t.allow_category_change.then_some(true),
        };
        let doing = format!("creating {} ({})", c.name, c.language);
        match self.p.conn.client.templates().create(&body) {
            Ok(outcome) => {
                self.created += 1;
                let mut d = Done::new(
                    c,
                    if outcome.was_adopted() {
                        Outcome::Adopted
                    } else {
                        Outcome::Created
                    },
                );
                d.id = Some(outcome.id().to_string());
                d.status = Some(outcome.status().as_str().to_string());
                if !outcome
                    .category()
                    .as_str()
                    .eq_ignore_ascii_case(category.as_meta())
                {
                    d.message = Some(format!(
                        "Meta filed it as {} (the file says {})",
                        outcome.category(),
                        category.as_meta()
                    ));
                }
                if let CreateOutcome::Adopted(existing) = &outcome {
                    let ours = normalize(Some(category.as_meta()), &body.components);
                    let theirs = normalize(Some(existing.category.as_str()), &existing.components);
                    if ours != theirs {
                        d.message = Some(
                            "the template in the account differs from the file; `wt plan` shows how, `wt sync` edits it after review".into(),
                        );
                    }
                }
                self.record(d)
            }
            Err(err) => self.failure(c, doing, err),
        }
    }

    fn update(&mut self, c: &Change) -> Result<(), WtError> {
        let (Some(id), Some(&(t, lang))) = (
            c.remote_id.as_deref(),
            self.local.get(&(c.name.clone(), c.language.clone())),
        ) else {
            return Ok(());
        };
        let category = c
            .diff
            .iter()
            .any(|d| d.component == "category")
            .then(|| t.category.map(|k| Category::parse(k.as_meta())))
            .flatten();
        let doing = format!("updating {} ({})", c.name, c.language);
        match self
            .p
            .conn
            .client
            .templates()
            .edit(id, category.as_ref(), &components(t, lang))
        {
            Ok(_) => {
                let mut d = Done::new(c, Outcome::Updated);
                // Meta sends every edited template back to review (meta/api.md §1.4).
                d.status = Some("PENDING".into());
                self.record(d)
            }
            Err(err) => self.failure(c, doing, err),
        }
    }

    fn delete(&mut self, c: &Change) -> Result<(), WtError> {
        let Some(id) = c.remote_id.as_deref() else {
            return Ok(());
        };
        let doing = format!("deleting {} ({})", c.name, c.language);
        match self.p.conn.client.templates().delete(&c.name, id) {
            Ok(_) => {
                let d = Done::new(c, Outcome::Deleted);
                self.record(d)
            }
            Err(err) => self.failure(c, doing, err),
        }
    }
}
