//! Fault-injection matrix: the real `wt` binary against the fake Graph API
//! (`tests/common/fake_graph.rs`), one row per fault kind × operation.
//!
//! Operations: the listing of `plan` and of `sync`, a create, an edit, a delete
//! (`sync --prune`), a `status` read and a `status --wait` poll. Faults: 5xx bursts below
//! and at the retry budget, connection resets, answers slower than the client timeout,
//! throttling (codes 4, 80007, 80008 with `X-Business-Use-Case-Usage`, short and over-the-cap
//! waits), HTML error pages, truncated JSON, a paging cursor that loops back, a call that
//! succeeds but answers 500 (FailAfterCommit), and a redirect to another host.
//!
//! For every row:
//! - the exit code is 0 when the retries overcome the fault and 3 when they cannot
//!   (SPEC §4);
//! - when wt gives up, stderr names what failed and what to do (key words per row);
//! - no call is attempted more than the retry policy allows (from the fake's request log
//!   and from `-v`'s attempt numbers); a non-retryable fault is attempted once;
//! - after the fault is switched off, `wt sync` converges: `wt plan --exit-code` finds
//!   nothing to do and every template exists exactly once in the fake's store.
//!
//! Retries wait 1 ms (`WT_RETRY_BASE_MS`), throttle waits are capped at 5 ms of real sleep
//! (`WT_SLEEP_CAP_MS`) and slow-answer rows use a 400 ms client timeout
//! (`WT_HTTP_TIMEOUT_MS`), so the whole matrix runs in seconds.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::fake_graph::{FakeGraph, Fault, LoggedRequest};
use common::run::{utility_body, utility_template, Out, UTILITY_EXAMPLES};
use common::spy::HeaderSpy;

/// The client's attempts per call (first try + retries): `RetryPolicy::default()`.
const MAX_ATTEMPTS: usize = wt::api::DEFAULT_MAX_ATTEMPTS as usize;
/// Polls in a row that `status --wait` lets fail before giving up (`commands::status`).
const MAX_FAILED_POLLS: usize = 3;
/// Client timeout for the slow-answer rows; the fake answers after [`SLOW`].
const TIMEOUT_MS: u64 = 400;
const SLOW: Duration = Duration::from_millis(1500);

struct Project {
    dir: tempfile::TempDir,
    fake: FakeGraph,
    /// Extra environment for every run (e.g. the short client timeout).
    env: Vec<(&'static str, String)>,
}

impl Project {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        Project {
            dir,
            fake: FakeGraph::start(),
            env: Vec::new(),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A lint-clean utility template whose body says `what`.
    fn template(&self, name: &str, what: &str) {
        let text = utility_template(what);
        std::fs::write(self.path().join(format!("templates/{name}.toml")), text).unwrap();
    }

    fn remove(&self, name: &str) {
        std::fs::remove_file(self.path().join(format!("templates/{name}.toml"))).unwrap();
    }

    fn run(&self, args: &[&str]) -> Out {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_wt"));
        cmd.current_dir(self.path())
            .env_clear()
            .env("WT_GRAPH_URL", self.fake.url())
            .env("WA_WABA_ID", self.fake.waba_id())
            .env("WA_ACCESS_TOKEN", self.fake.token())
            .env("WT_RETRY_BASE_MS", "1")
            .env("WT_SLEEP_CAP_MS", "5")
            .env("NO_COLOR", "1")
            .args(args);
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let o = cmd.output().expect("run wt");
        let out = Out::from_output(&o);
        assert!(
            out.code != 101 && !out.stderr.contains("panicked"),
            "wt panicked on `wt {}`:\n{out}",
            args.join(" ")
        );
        let token = self.fake.token();
        assert!(
            !out.stdout.contains(token) && !out.stderr.contains(token),
            "token leaked in `wt {}`:\n{out}",
            args.join(" ")
        );
        out
    }

    /// (name, language) → number of stored templates.
    fn store_counts(&self) -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        for t in self.fake.templates() {
            *m.entry(format!("{} ({})", t.name, t.language)).or_insert(0) += 1;
        }
        m
    }

    fn id_of(&self, name: &str) -> String {
        self.fake
            .templates()
            .into_iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("{name} is not in the fake"))
            .id
    }
}

/// What the matrix does to the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    /// `wt plan`: the listing fails.
    PlanList,
    /// `wt sync`: the listing fails, before anything is sent.
    SyncList,
    /// `wt sync`: the second of two creates fails.
    Create,
    /// `wt sync`: the edit of an approved template fails.
    Edit,
    /// `wt sync --prune`: the delete of a remote-only template fails.
    Delete,
    /// `wt status`: the one read fails.
    Status,
    /// `wt status --wait`: polls fail.
    StatusWait,
    /// `wt lint --remote`: the listing for the duplicate rules fails.
    LintRemote,
}

const OPS: &[Op] = &[
    Op::PlanList,
    Op::SyncList,
    Op::Create,
    Op::Edit,
    Op::Delete,
    Op::Status,
    Op::StatusWait,
    Op::LintRemote,
];

/// The operations that write: a slow, cut-off or 500 answer may hide a success.
const WRITES: &[Op] = &[Op::Create, Op::Edit, Op::Delete];

/// For variants of a row that already ran against every operation: one read, one write,
/// a delete and a wait.
const SAMPLE: &[Op] = &[Op::PlanList, Op::Create, Op::Delete, Op::StatusWait];

/// Every code is handled alike (`ApiError::is_throttling`): one code runs against every
/// operation, the others against one read, one write and a wait.
const THROTTLE_CODES: &[(u32, &[Op])] = &[
    (80008, OPS),
    (4, &[Op::PlanList, Op::Create, Op::StatusWait]),
    (80007, &[Op::SyncList, Op::Delete, Op::StatusWait]),
];

const WAIT: &[&str] = &["--wait", "--interval", "10ms", "--timeout", "20s"];

/// A project set up for `op`: the account holds a few approved templates (listed one per
/// page, so every listing is paged), and the files differ from it by exactly the change
/// `op` needs.
struct Scene {
    p: Project,
    op: Op,
    /// The faulted request: method and a substring of its path.
    method: &'static str,
    path: String,
    /// Matching requests to let through before the fault (the first create of two).
    skip: usize,
    /// The command under test.
    args: Vec<&'static str>,
    /// What stderr says wt was doing when it failed.
    doing: &'static str,
    /// Templates the account holds once converged.
    expected: Vec<&'static str>,
}

impl Scene {
    fn new(op: Op) -> Self {
        let p = Project::new();
        let baseline: &[&str] = match op {
            Op::PlanList | Op::SyncList | Op::Create => &["base_one", "base_two"],
            Op::Edit | Op::Delete => &["base_one", "a_notice", "b_notice"],
            Op::Status | Op::StatusWait | Op::LintRemote => &["base_one", "a_notice"],
        };
        // The account as a `wt sync` of the baseline would leave it (checked by
        // `the_setup_is_what_sync_creates`), stored directly: one run less per row.
        let status = if op == Op::StatusWait {
            "PENDING"
        } else {
            "APPROVED"
        };
        for n in baseline {
            let what = format!("{n} is ready for you, reference");
            p.template(n, &what);
            p.fake
                .insert_template(n, "en_US", "utility", status, components(&what));
        }
        p.fake.set_page_size(1);
        let list = ("GET", "/message_templates".to_string());
        let (method, path, skip, args, doing, expected): (_, _, _, Vec<&str>, _, Vec<&str>) =
            match op {
                Op::PlanList | Op::SyncList => {
                    p.template("a_notice", "a_notice is ready for you, reference");
                    p.template("b_notice", "b_notice is ready for you, reference");
                    let args = if op == Op::PlanList {
                        vec!["plan"]
                    } else {
                        vec!["sync"]
                    };
                    (
                        list.0,
                        list.1,
                        0,
                        args,
                        "reading the account",
                        vec!["a_notice", "b_notice", "base_one", "base_two"],
                    )
                }
                Op::Create => {
                    p.template("a_notice", "a_notice is ready for you, reference");
                    p.template("b_notice", "b_notice is ready for you, reference");
                    (
                        "POST",
                        "/message_templates".to_string(),
                        1,
                        vec!["sync"],
                        "creating b_notice (en_US)",
                        vec!["a_notice", "b_notice", "base_one", "base_two"],
                    )
                }
                Op::Edit => {
                    p.template("a_notice", "a_notice has changed for you, reference");
                    let id = p.id_of("a_notice");
                    (
                        "POST",
                        format!("/{id}"),
                        0,
                        vec!["sync"],
                        "updating a_notice (en_US)",
                        vec!["a_notice", "b_notice", "base_one"],
                    )
                }
                Op::Delete => {
                    p.remove("b_notice");
                    (
                        "DELETE",
                        "/message_templates".to_string(),
                        0,
                        vec!["sync", "--prune"],
                        "deleting b_notice (en_US)",
                        vec!["a_notice", "base_one"],
                    )
                }
                Op::Status => (
                    list.0,
                    list.1,
                    0,
                    vec!["status"],
                    "reading the account",
                    vec!["a_notice", "base_one"],
                ),
                Op::LintRemote => (
                    list.0,
                    list.1,
                    0,
                    vec!["lint", "--remote"],
                    "reading the account's templates for --remote",
                    vec!["a_notice", "base_one"],
                ),
                Op::StatusWait => {
                    let mut args = vec!["status"];
                    args.extend_from_slice(WAIT);
                    (
                        list.0,
                        list.1,
                        0,
                        args,
                        "waiting for review",
                        vec!["a_notice", "base_one"],
                    )
                }
            };
        p.fake.clear_requests();
        Scene {
            p,
            op,
            method,
            path,
            skip,
            args,
            doing,
            expected,
        }
    }

    fn inject(&self, fault: Fault, times: usize) {
        self.p
            .fake
            .fail_later(self.method, &self.path, self.skip, fault, times);
    }

    fn targeted(&self) -> Vec<LoggedRequest> {
        self.p
            .fake
            .requests()
            .into_iter()
            .filter(|r| r.method == self.method && r.path.contains(&self.path))
            .collect()
    }

    /// Switches every fault off, re-runs `wt sync` and checks that it converged: plan finds
    /// nothing to do, each expected template exists exactly once, nothing else exists.
    fn converge(&self, label: &str) {
        self.p.fake.clear_faults();
        self.p.fake.set_paging_loop(false);
        let prune = self.op == Op::Delete;
        let mut args = vec!["sync"];
        if prune {
            args.push("--prune");
        }
        let out = self.p.run(&args);
        assert_eq!(out.code, 0, "{label}: re-run of sync: {out}");
        let mut args = vec!["plan", "--exit-code"];
        if prune {
            args.push("--prune");
        }
        let out = self.p.run(&args);
        assert_eq!(out.code, 0, "{label}: plan after the re-run: {out}");
        assert!(
            out.stdout.contains("0 to create, 0 to update, 0 to delete"),
            "{label}: {out}"
        );
        let counts = self.p.store_counts();
        let expected: BTreeMap<String, usize> = self
            .expected
            .iter()
            .map(|n| (format!("{n} (en_US)"), 1))
            .collect();
        assert_eq!(counts, expected, "{label}: the account after converging");
        if self.op == Op::Edit {
            let t = self.p.fake.template(&self.p.id_of("a_notice")).unwrap();
            assert!(
                t.components[0]["text"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("has changed"),
                "{label}: the edit landed: {t:?}"
            );
        }
    }
}

/// The components `wt sync` sends for `Project::template(_, what)`.
fn components(what: &str) -> Vec<serde_json::Value> {
    vec![serde_json::json!({
        "type": "BODY",
        "text": utility_body(what),
        "example": {"body_text": [UTILITY_EXAMPLES]},
    })]
}

#[test]
fn the_setup_is_what_sync_creates() {
    let p = Project::new();
    let what = "a_notice is ready for you, reference";
    p.template("a_notice", what);
    assert_eq!(p.run(&["sync"]).code, 0);
    let stored = p.fake.templates();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].components, components(what));
    assert_eq!(
        (
            stored[0].category.as_str(),
            stored[0].parameter_format.as_str()
        ),
        ("UTILITY", "POSITIONAL")
    );
    for op in OPS {
        let s = Scene::new(*op);
        let out = s.p.run(&["plan"]);
        assert_eq!(out.code, 0, "{op:?}: {out}");
        let unchanged = match op {
            Op::Edit => "0 to create, 1 to update, 0 to delete, 2 unchanged",
            Op::Delete => "0 to create, 0 to update, 0 to delete, 2 unchanged, 1 remote-only",
            Op::PlanList | Op::SyncList | Op::Create => {
                "2 to create, 0 to update, 0 to delete, 2 unchanged"
            }
            _ => "0 to create, 0 to update, 0 to delete, 2 unchanged",
        };
        assert!(out.stdout.contains(unchanged), "{op:?}: {out}");
    }
}

/// Longest run of identical consecutive requests (same method, path, query and body):
/// the attempts of one call.
fn longest_retry_run(log: &[LoggedRequest]) -> usize {
    let mut best = 0;
    let mut run = 0;
    let mut prev: Option<&LoggedRequest> = None;
    for r in log {
        let same = prev.is_some_and(|p| {
            p.method == r.method && p.path == r.path && p.query == r.query && p.body == r.body
        });
        run = if same { run + 1 } else { 1 };
        best = best.max(run);
        prev = Some(r);
    }
    best
}

/// Highest `(attempt N)` in `-v` output (1 when no retry was logged).
fn highest_attempt(stderr: &str) -> usize {
    stderr
        .match_indices("(attempt ")
        .filter_map(|(i, m)| {
            stderr[i + m.len()..]
                .split(')')
                .next()
                .and_then(|n| n.parse().ok())
        })
        .max()
        .unwrap_or(1)
}

/// One row of the matrix.
struct Row {
    label: &'static str,
    fault: Fault,
    /// Consecutive faulted requests on the operation's target.
    times: usize,
    /// Whether wt retries this fault at all.
    retryable: bool,
    /// Words stderr must contain when wt gives up (what failed, what to do).
    words: &'static [&'static str],
    /// Extra environment for the run under test.
    env: &'static [(&'static str, &'static str)],
    /// Words stderr must contain on every operation, overcome or not.
    always: &'static [&'static str],
    /// Operations where wt looks after the retries ran out and finds the call was carried
    /// out (a write that answered 500 after committing): reported as done, exit 0.
    verified: &'static [Op],
}

impl Row {
    fn new(label: &'static str, fault: Fault, times: usize) -> Self {
        Row {
            label,
            fault,
            times,
            retryable: true,
            words: &[],
            env: &[],
            always: &[],
            verified: &[],
        }
    }

    fn always(mut self, words: &'static [&'static str]) -> Self {
        self.always = words;
        self
    }

    fn verified(mut self, ops: &'static [Op]) -> Self {
        self.verified = ops;
        self
    }

    fn words(mut self, words: &'static [&'static str]) -> Self {
        self.words = words;
        self
    }

    fn not_retried(mut self) -> Self {
        self.retryable = false;
        self
    }

    fn env(mut self, env: &'static [(&'static str, &'static str)]) -> Self {
        self.env = env;
        self
    }

    /// Runs the row against every operation.
    fn check_all(&self) {
        self.check_ops(OPS);
    }

    /// Runs the row against `ops`.
    fn check_ops(&self, ops: &[Op]) {
        for &op in ops {
            self.check(op);
        }
    }

    fn check(&self, op: Op) {
        let mut s = Scene::new(op);
        let label = format!("{} × {op:?}", self.label);
        // `status --wait` gives up only after MAX_FAILED_POLLS failed polls in a row.
        let times = if op == Op::StatusWait && self.retryable && self.times == MAX_ATTEMPTS {
            MAX_ATTEMPTS * MAX_FAILED_POLLS
        } else {
            self.times
        };
        s.inject(self.fault.clone(), times);
        s.p.env = self
            .env
            .iter()
            .map(|(k, v)| (*k, (*v).to_string()))
            .collect();
        let mut args = vec!["-v"];
        args.extend_from_slice(&s.args);
        let out = s.p.run(&args);
        let verified = self.verified.contains(&op) && !overcome(op, times);
        let overcome = self.retryable && (overcome(op, times) || verified);
        let err = out.err();

        // Exit code (SPEC §4).
        assert_eq!(
            out.code,
            if overcome { 0 } else { 3 },
            "{label}: exit code\n{out}"
        );

        // Bounded attempts.
        let log = s.p.fake.requests();
        let targeted = s.targeted();
        let faulted = targeted.iter().filter(|r| r.fault.is_some()).count();
        assert!(
            highest_attempt(&out.stderr) <= MAX_ATTEMPTS,
            "{label}: more than {MAX_ATTEMPTS} attempts logged\n{out}"
        );
        if op == Op::StatusWait {
            assert!(
                faulted <= MAX_ATTEMPTS * MAX_FAILED_POLLS,
                "{label}: {faulted} faulted polls"
            );
        } else {
            let run = longest_retry_run(&log);
            assert!(
                run <= MAX_ATTEMPTS,
                "{label}: one call was attempted {run} times: {log:#?}"
            );
        }
        if !self.retryable {
            assert_eq!(faulted, 1, "{label}: a non-retryable fault is not retried");
        } else if !overcome && op != Op::StatusWait {
            // Exactly the budget, however many more faults the server had in store.
            assert_eq!(faulted, MAX_ATTEMPTS, "{label}: gave up after {faulted}");
        } else if !overcome {
            assert_eq!(faulted, MAX_ATTEMPTS * MAX_FAILED_POLLS, "{label}");
        }

        for w in self.always {
            assert!(err.contains(w), "{label}: stderr lacks {w:?}\n{out}");
        }
        if op == Op::StatusWait {
            assert!(
                !out.stderr.contains("waiting for review: no templates"),
                "{label}: a failed first poll knows nothing yet\n{out}"
            );
        }
        if verified {
            assert!(faulted >= MAX_ATTEMPTS, "{label}: gave up after {faulted}");
            let done = match op {
                Op::Create => "created b_notice (en_US) → PENDING (an earlier attempt had reached Meta: adopted",
                Op::Edit => "updated a_notice (en_US) → PENDING",
                _ => "deleted b_notice (en_US)",
            };
            assert!(
                out.stdout.contains(done),
                "{label}: reported as done\n{out}"
            );
        }

        // A clear final message.
        if !overcome {
            assert!(err.contains(s.doing), "{label}: says what failed\n{out}");
            assert!(
                out.stderr.contains("help:"),
                "{label}: says what to do\n{out}"
            );
            for w in self.words {
                assert!(err.contains(w), "{label}: stderr lacks {w:?}\n{out}");
            }
            if matches!(op, Op::Create | Op::Edit | Op::Delete | Op::SyncList) {
                assert!(
                    err.contains("sync stopped") || op == Op::SyncList,
                    "{label}: {out}"
                );
            }
            if matches!(op, Op::Create | Op::Edit | Op::Delete) {
                assert!(
                    err.contains("`wt sync` resumes where this run stopped (1 change(s) left)"),
                    "{label}: says what to do\n{out}"
                );
                // What was done before the stop is printed.
                assert!(
                    out.stdout.contains("created, ") && out.stdout.contains("deleted, "),
                    "{label}: summary of what was done\n{out}"
                );
            }
            if op == Op::Create {
                assert!(
                    out.stdout.contains("created a_notice (en_US)"),
                    "{label}: {out}"
                );
            }
        }
        s.p.env.clear();
        s.converge(&label);
        // The fault injection itself worked.
        assert!(
            faulted >= 1 || self.label == "paging loop",
            "{label}: no fault hit {} {}: {log:#?}",
            s.method,
            s.path
        );
        drop(s);
    }
}

/// Whether `times` consecutive faults are overcome: fewer than one call's attempts; for
/// `status --wait`, fewer than [`MAX_FAILED_POLLS`] whole polls.
fn overcome(op: Op, times: usize) -> bool {
    let budget = if op == Op::StatusWait {
        MAX_ATTEMPTS * (MAX_FAILED_POLLS - 1)
    } else {
        MAX_ATTEMPTS - 1
    };
    times <= budget
}

const SLOW_ENV: &[(&str, &str)] = &[("WT_HTTP_TIMEOUT_MS", "400")];

#[test]
fn burst_of_500s_below_the_retry_budget_is_overcome() {
    Row::new("3 × HTML 500", Fault::Html500, MAX_ATTEMPTS - 1).check_all();
}

#[test]
fn burst_of_500s_at_the_retry_budget_stops_with_exit_3() {
    Row::new("4 × HTML 500", Fault::Html500, MAX_ATTEMPTS)
        .words(&[
            "HTTP 500",
            "an HTML page, not JSON",
            "even after retries",
            "graph_url",
            "run again later",
        ])
        .check_all();
    // More 500s than one call's attempts: wt still stops at the budget (`status --wait`
    // gets through on its second poll).
    Row::new("6 × HTML 500", Fault::Html500, MAX_ATTEMPTS + 2)
        .words(&["HTTP 500", "an HTML page, not JSON", "run again later"])
        .check_ops(SAMPLE);
    Row::new("4 × transient 500", Fault::Transient, MAX_ATTEMPTS)
        .words(&["HTTP 500", "Meta error 2", "run again later"])
        .check_ops(SAMPLE);
}

#[test]
fn connection_resets() {
    Row::new("1 × reset", Fault::Reset, 1).check_all();
    Row::new("4 × reset", Fault::Reset, MAX_ATTEMPTS)
        .words(&["network error", "check the network"])
        .check_all();
}

#[test]
fn an_answer_slower_than_the_timeout_is_retried() {
    assert!(SLOW > Duration::from_millis(TIMEOUT_MS * 2));
    Row::new("1 × slow", Fault::Slow(SLOW), 1)
        .env(SLOW_ENV)
        .check_all();
}

/// Split from the row above so the two, which mostly wait, run side by side.
#[test]
fn answers_slower_than_the_timeout_every_time() {
    Row::new("4 × slow", Fault::Slow(SLOW), MAX_ATTEMPTS)
        .env(SLOW_ENV)
        .verified(WRITES)
        .words(&["timed out after 400 ms", "check the network"])
        .check_all();
}

#[test]
fn throttling_with_the_usage_header() {
    for &(code, ops) in THROTTLE_CODES {
        Row::new(
            "3 × throttled, no wait given",
            Fault::Throttle {
                code,
                regain_minutes: 0,
            },
            MAX_ATTEMPTS - 1,
        )
        .check_ops(ops);
    }
    Row::new(
        "4 × throttled 80008",
        Fault::Throttle {
            code: 80008,
            regain_minutes: 0,
        },
        MAX_ATTEMPTS,
    )
    .words(&["Meta error 80008", "rate-limiting", "run again later"])
    .check_all();
}

#[test]
fn throttle_waits_short_and_over_the_cap() {
    for &(code, ops) in THROTTLE_CODES {
        // Meta asks for one minute: wt waits (WT_SLEEP_CAP_MS makes it instant here), says
        // so, and the retry goes through.
        Row::new(
            "1 × throttled, 1 minute",
            Fault::Throttle {
                code,
                regain_minutes: 1,
            },
            1,
        )
        .always(&["Meta asked to slow down; waiting 1m before the next call"])
        .check_ops(ops);
        // Meta asks for an hour, more than the 5 minutes wt may wait: it stops at once,
        // without calling again (that would extend the block).
        Row::new(
            "throttled, 60 minutes",
            Fault::Throttle {
                code,
                regain_minutes: 60,
            },
            1,
        )
        .not_retried()
        .words(&["Meta asks to wait 1 h", "run again in 60 minutes"])
        .check_ops(ops);
    }
}

#[test]
fn html_pages_and_empty_answers() {
    Row::new(
        "1 × HTML 502 from a proxy",
        Fault::Respond {
            status: 502,
            body: "<html><body>502 Bad Gateway</body></html>".into(),
        },
        1,
    )
    .check_ops(SAMPLE);
    Row::new(
        "HTML 200 from a captive portal",
        Fault::Respond {
            status: 200,
            body: "<!doctype html><html><body>Sign in to the network</body></html>".into(),
        },
        1,
    )
    .not_retried()
    .words(&[
        "HTTP 200",
        "an HTML page, not JSON",
        "captive portal",
        "graph_url",
    ])
    .check_all();
    // A 200 without `data` is not an empty account (it made sync re-create everything and
    // plan show every template as new); without `id`/`success` it is not a confirmation.
    Row::new(
        "200 with an empty object",
        Fault::Respond {
            status: 200,
            body: "{}".into(),
        },
        1,
    )
    .not_retried()
    .check_all();
}

#[test]
fn truncated_json() {
    Row::new("1 × truncated", Fault::Truncated, 1).check_all();
    Row::new("4 × truncated", Fault::Truncated, MAX_ATTEMPTS)
        .verified(WRITES)
        .words(&["truncated", "run again later"])
        .check_all();
}

#[test]
fn a_call_that_succeeds_but_answers_500() {
    Row::new("1 × fail after commit", Fault::FailAfterCommit, 1).check_all();
    // Every attempt answered 500, but the first one was carried out: a write looks before
    // reporting a failure; a listing has nothing to look at and stops.
    Row::new(
        "4 × fail after commit",
        Fault::FailAfterCommit,
        MAX_ATTEMPTS,
    )
    .verified(WRITES)
    .words(&["HTTP 500", "run again later"])
    .check_all();
}

#[test]
fn a_redirect_to_another_host_is_not_followed() {
    let spy = HeaderSpy::start();
    let location: &'static str = Box::leak(
        format!(
            "{}/v23.0/{}/message_templates?access_token=stolen",
            spy.url(),
            common::fake_graph::FAKE_WABA
        )
        .into_boxed_str(),
    );
    Row::new("redirect", Fault::Redirect(location.to_string()), 1)
        .not_retried()
        .words(&["redirect", "HTTP 302", "graph_url", "→ 302"])
        .check_all();
    assert!(spy.requests().is_empty(), "{:?}", spy.requests());
}

#[test]
fn a_paging_cursor_that_loops_back() {
    for &op in OPS {
        let s = Scene::new(op);
        let label = format!("paging loop × {op:?}");
        s.p.fake.set_paging_loop(true);
        let mut args = vec!["-v"];
        args.extend_from_slice(&s.args);
        let out = s.p.run(&args);
        assert_eq!(out.code, 3, "{label}: {out}");
        let err = out.err();
        let doing = if op == Op::StatusWait {
            "waiting for review"
        } else {
            "reading the account"
        };
        assert!(err.contains(doing), "{label}: {out}");
        for w in ["paging.next", "endless loop", "run again later"] {
            assert!(err.contains(w), "{label}: stderr lacks {w:?}\n{out}");
        }
        let lists = s.p.fake.requests_to("GET", "/message_templates");
        assert!(
            lists.len() <= 4,
            "{label}: the loop is seen at once: {} list calls",
            lists.len()
        );
        assert!(
            s.p.fake.requests().iter().all(|r| r.method == "GET"),
            "{label}: nothing is written after a failed listing"
        );
        s.converge(&label);
    }
}

/// A hostile or broken answer cannot drive the terminal or rewrite a CI log: control
/// characters and bidirectional overrides in template names, statuses, reasons, component
/// text and Meta's error messages are shown as visible escapes.
#[test]
fn control_characters_in_answers_are_shown_escaped() {
    let p = Project::new();
    p.template("a_notice", "a_notice is ready for you, reference");
    let listing = r#"{"data":[
        {"id":"7","name":"a_notice\u001b[2J\u0007","language":"en_US\r","status":"PENDING\u001b]0;pwned\u0007","category":"UTILITY\u009b31m",
         "components":[{"type":"BODY","text":"Hello\n\u001b]52;c;ZXZpbA==\u0007 {{1}}"}],"rejected_reason":"\u202eDESAER","quality_score":{"score":"\u001b[31mRED"}},
        {"id":"8","name":"a_notice","language":"en_US","status":"APPROVED","category":"UTILITY",
         "components":[{"type":"BODY","text":"Old \u001b[1A\u001b[2K text {{1}}"}]}]}"#;
    let meta_error = r#"{"error":{"code":100,"error_subcode":2388040,"message":"(#100) bad\r\u001b[1Afailed\u0007","error_user_title":"\u001b[32mOK","error_user_msg":"x\u202ey","error_data":{"details":"\u001b]8;;https://evil.example\u0007link"},"fbtrace_id":"A\u001bB"}}"#;
    for args in [
        &["-v", "plan"][..],
        &["-v", "plan", "--prune"],
        &["-v", "status"],
        &["-v", "status", "a_notice"],
        &["-v", "lint", "--remote"],
        &["-v", "sync"],
        &["-v", "sync", "--prune"],
    ] {
        p.fake.fail_next(
            "GET",
            "/message_templates",
            Fault::Respond {
                status: 200,
                body: listing.into(),
            },
            1,
        );
        // The edit or create that follows is refused with escapes in Meta's texts.
        p.fake.fail_next(
            "POST",
            "",
            Fault::Respond {
                status: 400,
                body: meta_error.into(),
            },
            1,
        );
        p.fake.fail_next(
            "DELETE",
            "",
            Fault::Respond {
                status: 400,
                body: meta_error.into(),
            },
            1,
        );
        let out = p.run(args);
        assert!(out.code <= 3, "{args:?}: {out}");
        for (stream, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let bad: Vec<char> = text
                .chars()
                .filter(|&c| {
                    (c.is_control() && c != '\n')
                        || ('\u{202a}'..='\u{202e}').contains(&c)
                        || ('\u{2066}'..='\u{2069}').contains(&c)
                })
                .collect();
            assert!(bad.is_empty(), "{args:?}: {bad:?} in {stream}\n{out}");
        }
        p.fake.clear_faults();
    }
    // And escaped, not dropped: the reader sees that something odd came back.
    p.fake.fail_next(
        "GET",
        "/message_templates",
        Fault::Respond {
            status: 200,
            body: listing.into(),
        },
        1,
    );
    let out = p.run(&["plan", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(
        v.to_string().contains("a_notice\\\\u{1b}[2J"),
        "escaped in JSON too: {v}"
    );
    p.fake.clear_faults();
    let out = p.run(&["sync"]);
    assert_eq!(out.code, 0, "{out}");
}

/// `status --wait` and `sync --wait` with a long `--timeout`: Meta's hour-long throttle
/// (more than the client's own 5-minute cap) is waited out when it ends before the
/// deadline, instead of failing a CI gate that had the time to wait.
#[test]
fn a_long_throttle_is_waited_out_when_the_deadline_allows() {
    for sync in [false, true] {
        let s = Scene::new(Op::StatusWait);
        let label = if sync { "sync --wait" } else { "status --wait" };
        let throttle = Fault::Throttle {
            code: 80008,
            regain_minutes: 60,
        };
        if sync {
            // After sync's own listing (two pages), on the first poll.
            s.p.template("c_notice", "c_notice is ready for you, reference");
            s.p.fake
                .fail_later("GET", "/message_templates", 2, throttle.clone(), 1);
        } else {
            s.inject(throttle.clone(), 1);
        }
        let cmd = if sync { "sync" } else { "status" };
        let out =
            s.p.run(&["-v", cmd, "--wait", "--interval", "10ms", "--timeout", "2h"]);
        assert_eq!(out.code, 0, "{label}: {out}");
        assert!(
            out.err()
                .contains("wt: Meta asks to wait 1h before the next call; waiting"),
            "{label}: {out}"
        );
        let faulted = s.targeted().iter().filter(|r| r.fault.is_some()).count();
        assert_eq!(faulted, 1, "{label}");
        // Not enough time left: it stops at once, saying when to run again.
        s.inject(throttle, 1);
        let out =
            s.p.run(&[cmd, "--wait", "--interval", "10ms", "--timeout", "30m"]);
        assert_eq!(out.code, 3, "{label}: {out}");
        assert!(
            out.err().contains("run again in 60 minutes"),
            "{label}: {out}"
        );
    }
}
