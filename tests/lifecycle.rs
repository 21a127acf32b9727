//! End to end: the real `wt` binary against the stateful fake Graph API
//! (`tests/common/fake_graph.rs`), as a user lives it: plan → sync → status --wait → edit →
//! plan → sync → prune, plus re-runs, injected failures, rate limits and token handling.
//!
//! Every run goes through [`Project::run`], which asserts that no token given to the
//! binary appears in its stdout or stderr.

mod common;

use std::path::Path;
use std::process::Command;

use common::fake_graph::{FakeGraph, Fault};
use common::run::{utility_body, utility_template, Out};
use serde_json::Value;

/// A project directory with `templates/`, pointed at a fresh fake.
struct Project {
    dir: tempfile::TempDir,
    fake: FakeGraph,
}

impl Project {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        Project {
            dir,
            fake: FakeGraph::start(),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A lint-clean utility template whose body says `what`.
    fn template(&self, name: &str, what: &str) {
        let text = utility_template(what);
        self.write(&format!("templates/{name}.toml"), &text);
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.path().join(rel), text).unwrap();
    }

    fn remove(&self, name: &str) {
        std::fs::remove_file(self.path().join(format!("templates/{name}.toml"))).unwrap();
    }

    /// Runs `wt` with the fake's URL, WABA and token.
    fn run(&self, args: &[&str]) -> Out {
        self.run_env(args, &[("WA_ACCESS_TOKEN", Some(self.fake.token()))])
    }

    /// Runs `wt` with the fake's URL and WABA, fast retries, and `env` (None = unset).
    fn run_env(&self, args: &[&str], env: &[(&str, Option<&str>)]) -> Out {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_wt"));
        cmd.current_dir(self.path())
            .env_clear()
            .env("WT_GRAPH_URL", self.fake.url())
            .env("WA_WABA_ID", self.fake.waba_id())
            .env("WT_RETRY_BASE_MS", "1")
            .env("NO_COLOR", "1")
            .args(args);
        let mut secrets = vec![self.fake.token().to_string()];
        for (k, v) in env {
            match v {
                Some(v) => {
                    cmd.env(k, v);
                    if k.contains("TOKEN") && !k.ends_with("_FILE") {
                        secrets.push((*v).to_string());
                    }
                }
                None => {
                    cmd.env_remove(k);
                }
            }
        }
        let o = cmd.output().expect("run wt");
        let out = Out::from_output(&o);
        for s in secrets.iter().filter(|s| s.len() >= 8) {
            assert!(
                !out.stdout.contains(s.as_str()) && !out.err().contains(s.as_str()),
                "token leaked in `wt {}`:\n{out}",
                args.join(" ")
            );
        }
        out
    }

    /// (name, language) → number of templates in the account.
    fn store_counts(&self) -> std::collections::BTreeMap<(String, String), usize> {
        let mut m = std::collections::BTreeMap::new();
        for t in self.fake.templates() {
            *m.entry((t.name, t.language)).or_insert(0) += 1;
        }
        m
    }

    fn creates(&self) -> usize {
        self.fake.requests_to("POST", "/message_templates").len()
    }
}

const WAIT: &[&str] = &["--wait", "--interval", "10ms", "--timeout", "20s"];

fn with(args: &[&str], extra: &[&str]) -> Vec<String> {
    args.iter().chain(extra).map(|s| (*s).to_string()).collect()
}

fn run_v(p: &Project, args: Vec<String>) -> Out {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    p.run(&refs)
}

#[test]
fn plan_sync_wait_edit_plan_sync_prune() {
    let p = Project::new();
    p.template("order_shipped", "your order has shipped, tracking number");
    p.template("payment_received", "we received your payment for order");
    p.template("delivery_rescheduled", "your delivery was moved, new slot");

    let out = p.run(&["plan", "--exit-code"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stdout.contains("+ create      order_shipped (en_US)"),
        "{out}"
    );
    assert!(
        out.stdout
            .ends_with("3 to create, 0 to update, 0 to delete, 0 unchanged\n"),
        "{out}"
    );

    let out = p.run(&["sync"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout
            .contains("created order_shipped (en_US) → PENDING"),
        "{out}"
    );
    assert!(
        out.stdout
            .contains("3 created, 0 updated, 0 deleted, 0 unchanged"),
        "{out}"
    );
    assert_eq!(p.fake.templates().len(), 3);

    let out = run_v(&p, with(&["status"], WAIT));
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.starts_with("NAME"), "{out}");
    assert_eq!(out.stdout.matches("APPROVED").count(), 3, "{out}");
    assert!(out.stdout.ends_with("3 approved\n"), "{out}");
    assert!(
        !out.err().contains('\r'),
        "no progress animation off a terminal: {out}"
    );

    // Re-running creates nothing.
    let posts = p.creates();
    let out = p.run(&["sync"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout
            .contains("0 created, 0 updated, 0 deleted, 3 unchanged"),
        "{out}"
    );
    assert_eq!(p.creates(), posts);

    // Edit one file.
    p.template(
        "order_shipped",
        "your parcel is on its way, tracking number",
    );
    let out = p.run(&["plan", "--exit-code"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stdout
            .contains("~ update      order_shipped (en_US)  [APPROVED]"),
        "{out}"
    );
    assert!(
        out.stdout.contains("- Hello {{1}}, your order has shipped"),
        "{out}"
    );
    assert!(
        out.stdout
            .contains("+ Hello {{1}}, your parcel is on its way"),
        "{out}"
    );
    assert!(
        out.stdout.contains("1 edit per 24 hours"),
        "edit budget warning: {out}"
    );
    assert!(
        out.stdout
            .ends_with("0 to create, 1 to update, 0 to delete, 2 unchanged\n"),
        "{out}"
    );
    let out = p.run(&["plan", "--format", "json"]);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["version"], 1);
    let upd = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["action"] == "update")
        .unwrap();
    assert_eq!(upd["name"], "order_shipped");
    assert_eq!(upd["remote_status"], "APPROVED");
    assert_eq!(upd["diff"][0]["component"], "body");
    let id = upd["remote_id"].as_str().unwrap().to_string();

    let out = p.run(&["sync"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout
            .contains("updated order_shipped (en_US) → PENDING"),
        "{out}"
    );
    assert_eq!(p.fake.requests_to("POST", &format!("/{id}")).len(), 1);
    let stored = p.fake.template(&id).unwrap();
    assert!(stored.components[0]["text"]
        .as_str()
        .unwrap()
        .contains("parcel"));
    let out = run_v(&p, with(&["status", "order_shipped"], WAIT));
    assert_eq!(out.code, 0, "{out}");

    // Remove a file: remote only, deleted with --prune by name + id.
    p.remove("delivery_rescheduled");
    let out = p.run(&["plan"]);
    assert!(
        out.stdout
            .contains("- remote only delivery_rescheduled (en_US)"),
        "{out}"
    );
    let out = p.run(&["plan", "--prune", "--exit-code"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stdout.contains("1 to delete"), "{out}");
    let out = p.run(&["sync"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("1 only in the account"), "{out}");
    assert_eq!(p.fake.templates().len(), 3, "no delete without --prune");
    let out = p.run(&["sync", "--prune"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout.contains("deleted delivery_rescheduled (en_US)"),
        "{out}"
    );
    let deletes = p.fake.requests_to("DELETE", "/message_templates");
    assert_eq!(deletes.len(), 1);
    assert!(
        deletes[0].query.contains("name=delivery_rescheduled")
            && deletes[0].query.contains("hsm_id="),
        "{:?}",
        deletes[0]
    );
    assert_eq!(p.fake.templates().len(), 2);
    let out = p.run(&["plan", "--prune", "--exit-code"]);
    assert_eq!(out.code, 0, "{out}");
}

#[test]
fn sync_wait_reports_review_outcomes() {
    let p = Project::new();
    p.template("order_ready", "your order is ready for pickup, number");
    p.template("rej_offer", "a special offer waits for you, code");
    p.template("recat_points", "your loyalty points were updated, balance");
    let out = run_v(&p, with(&["sync"], WAIT));
    assert_eq!(out.code, 1, "a rejected template fails the gate: {out}");
    assert!(out.stdout.contains("3 created"), "{out}");
    let line = |name: &str| {
        out.stdout
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no row for {name}: {out}"))
            .to_string()
    };
    assert!(line("rej_offer").contains("REJECTED"), "{out}");
    assert!(line("rej_offer").contains("PROMOTIONAL"), "{out}");
    assert!(line("recat_points").contains("MARKETING*"), "{out}");
    assert!(
        out.stdout
            .contains("* recat_points (en_US): Meta files it as MARKETING, the file says UTILITY"),
        "{out}"
    );
    assert!(
        out.err()
            .contains("rej_offer (en_US) is REJECTED (PROMOTIONAL)"),
        "{out}"
    );

    let out = p.run(&["status", "--format", "json"]);
    assert_eq!(out.code, 1, "{out}");
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["version"], 1);
    let rows = v["templates"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    let rej = rows.iter().find(|r| r["name"] == "rej_offer").unwrap();
    assert_eq!(rej["status"], "REJECTED");
    assert_eq!(rej["rejected_reason"], "PROMOTIONAL");
    assert_eq!(rej["language"], "en_US");
    assert!(rej["id"].is_string());
    assert!(rej["quality_score"].is_string());
    assert!(rej["category"].is_string());
    // Only the approved one: exit 0.
    let out = p.run(&["status", "order_ready"]);
    assert_eq!(out.code, 0, "{out}");
}

#[test]
fn status_missing_unknown_and_timeout() {
    let p = Project::new();
    p.template("order_ready", "your order is ready for pickup, number");
    let out = p.run(&["status"]);
    assert_eq!(out.code, 1, "missing template: {out}");
    assert!(out.stdout.contains("MISSING"), "{out}");
    let out = p.run(&["status", "no_such_template"]);
    assert_eq!(out.code, 2, "{out}");

    p.fake.set_review_after(None);
    assert_eq!(p.run(&["sync"]).code, 0);
    let out = p.run(&[
        "status",
        "--wait",
        "--interval",
        "10ms",
        "--timeout",
        "500ms",
    ]);
    assert_eq!(out.code, 4, "{out}");
    assert!(out.stdout.contains("PENDING"), "{out}");
    assert!(
        out.err().contains("wt: waiting for review: 1 pending"),
        "{out}"
    );
    assert!(out.err().contains("gave up waiting"), "{out}");
    assert!(!out.err().contains('\r'), "{out}");
    let out = p.run(&[
        "-q",
        "status",
        "--wait",
        "--interval",
        "10ms",
        "--timeout",
        "50ms",
    ]);
    assert_eq!(out.code, 4, "{out}");
    assert_eq!(out.stderr, "", "-q prints no progress: {out}");
    p.fake.review_all();
    let out = run_v(&p, with(&["status"], WAIT));
    assert_eq!(out.code, 0, "{out}");
}

#[test]
fn sync_under_chaos_creates_every_template_exactly_once() {
    let p = Project::new();
    let names: Vec<String> = (0..20).map(|i| format!("notice_{i:02}")).collect();
    for (i, n) in names.iter().enumerate() {
        p.template(n, &format!("notice number {i} is ready for you, reference"));
    }
    p.fake.set_page_size(7);
    p.fake.set_chaos(
        0x5eed,
        30,
        vec![
            Fault::Html500,
            Fault::Transient,
            Fault::FailAfterCommit,
            Fault::Throttle {
                code: 80008,
                regain_minutes: 0,
            },
            Fault::Throttle {
                code: 4,
                regain_minutes: 0,
            },
        ],
    );
    let mut runs = Vec::new();
    for _ in 0..8 {
        let out = p.run(&["sync"]);
        assert!(out.code == 0 || out.code == 3, "{out}");
        assert!(
            !out.stdout.contains("2388024"),
            "an adopted create is not a failure: {out}"
        );
        let done = out.code == 0;
        runs.push(out);
        if done {
            break;
        }
    }
    let last = runs.last().unwrap();
    assert_eq!(
        last.code,
        0,
        "did not converge in {} runs:\n{last}",
        runs.len()
    );
    let injected = p
        .fake
        .requests()
        .iter()
        .filter(|r| r.fault.is_some())
        .count();
    assert!(injected >= 10, "chaos injected only {injected} faults");
    p.fake.clear_faults();
    let counts = p.store_counts();
    assert_eq!(counts.len(), 20, "{counts:?}");
    assert!(counts.values().all(|&n| n == 1), "{counts:?}");
    for n in &names {
        assert!(counts.contains_key(&(n.clone(), "en_US".into())), "{n}");
    }
    let out = p.run(&["plan", "--exit-code"]);
    assert_eq!(out.code, 0, "{out}");
}

#[test]
fn a_create_that_reached_meta_is_adopted_not_duplicated() {
    let p = Project::new();
    p.template("order_ready", "your order is ready for pickup, number");
    p.fake
        .fail_next("POST", "/message_templates", Fault::FailAfterCommit, 1);
    let out = p.run(&["sync"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout.contains(
            "created order_ready (en_US) → PENDING (an earlier attempt had reached Meta: adopted"
        ),
        "{out}"
    );
    assert_eq!(p.creates(), 2, "first attempt + the retry answered 2388024");
    assert_eq!(p.fake.templates().len(), 1);
}

#[test]
fn meta_refusing_one_template_exits_1_and_the_rerun_converges() {
    let p = Project::new();
    for n in ["alpha_notice", "beta_notice", "gamma_notice"] {
        p.template(n, &format!("{n} is ready for you, reference"));
    }
    p.fake.fail_next(
        "POST",
        "/message_templates",
        Fault::MetaError {
            status: 400,
            code: 100,
            subcode: Some(2_388_023),
            transient: Some(false),
        },
        1,
    );
    let out = p.run(&["sync"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stdout
            .contains("failed  alpha_notice (en_US): Meta error 100/2388023"),
        "{out}"
    );
    assert!(
        out.stdout.contains("new name"),
        "hint for the name lock: {out}"
    );
    assert!(out.stdout.contains("created beta_notice (en_US)"), "{out}");
    assert!(out.stdout.contains("created gamma_notice (en_US)"), "{out}");
    assert!(
        out.stdout
            .contains("2 created, 0 updated, 0 deleted, 0 unchanged; 1 failed"),
        "{out}"
    );
    let out = p.run(&["sync"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout
            .contains("1 created, 0 updated, 0 deleted, 2 unchanged"),
        "{out}"
    );
    assert!(p.store_counts().values().all(|&n| n == 1));
    assert_eq!(p.fake.templates().len(), 3);
}

#[test]
fn a_remote_failure_stops_the_run_with_exit_3_and_the_rerun_resumes() {
    let p = Project::new();
    for n in ["alpha_notice", "beta_notice", "gamma_notice"] {
        p.template(n, &format!("{n} is ready for you, reference"));
    }
    // Four attempts (the default) all fail.
    p.fake
        .fail_next("POST", "/message_templates", Fault::Html500, 4);
    let out = p.run(&["sync"]);
    assert_eq!(out.code, 3, "{out}");
    assert!(out.stdout.contains("failed  alpha_notice (en_US)"), "{out}");
    assert!(
        out.stdout
            .contains("not attempted: beta_notice (en_US), gamma_notice (en_US)"),
        "{out}"
    );
    assert!(out.stdout.contains("0 created"), "{out}");
    assert!(out.err().contains("sync stopped"), "{out}");
    assert!(
        out.err().contains("resumes where this run stopped"),
        "{out}"
    );
    assert_eq!(p.creates(), 4, "nothing after the failure");
    let out = p.run(&["sync"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(p.fake.templates().len(), 3);
}

#[test]
fn metas_creation_throttle_stops_cleanly_and_the_next_hour_finishes() {
    let p = Project::new();
    for n in ["a_notice", "b_notice", "c_notice", "d_notice"] {
        p.template(n, &format!("{n} is ready for you, reference"));
    }
    p.fake.set_creation_limit(2);
    let out = p.run(&["sync"]);
    assert_eq!(out.code, 3, "{out}");
    assert!(out.stdout.contains("created a_notice"), "{out}");
    assert!(out.stdout.contains("created b_notice"), "{out}");
    assert!(
        out.stdout
            .contains("stopped while creating c_notice (en_US): Meta asks to wait 60 minutes"),
        "{out}"
    );
    assert!(
        out.stdout
            .contains("not attempted: c_notice (en_US), d_notice (en_US)"),
        "{out}"
    );
    assert!(out.err().contains("run again in 60 minutes"), "{out}");
    assert_eq!(p.fake.templates().len(), 2);
    p.fake.advance_time(std::time::Duration::from_secs(3601));
    let out = p.run(&["sync"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(p.fake.templates().len(), 4);
    assert!(p.store_counts().values().all(|&n| n == 1));
}

#[test]
fn one_run_creates_at_most_100_templates() {
    let p = Project::new();
    p.fake.set_creation_limit(1000);
    for i in 0..102 {
        p.template(
            &format!("n_{i:03}"),
            &format!("notice {i} is ready for you, reference"),
        );
    }
    let out = p.run(&["sync"]);
    assert_eq!(out.code, 3, "{out}");
    assert_eq!(p.fake.templates().len(), 100);
    assert!(
        out.stdout
            .contains("stopped creating: 100 templates created"),
        "{out}"
    );
    assert!(out.stdout.contains("100 created"), "{out}");
    assert!(out.stdout.contains("2 not attempted"), "{out}");
    assert!(
        out.err().contains("100 creations per account per hour"),
        "{out}"
    );
    assert!(
        out.err().contains("run `wt sync` again in 60 minutes"),
        "{out}"
    );
    let out = p.run(&["sync"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(p.fake.templates().len(), 102);
}

#[test]
fn lint_errors_submit_nothing() {
    let p = Project::new();
    p.template("order_ready", "your order is ready for pickup, number");
    p.write(
        "templates/bad_body.toml",
        "category = \"utility\"\n\n[languages.en_US]\nbody = \"Hello {{1}}, your order ships on {{2}}\"\nexamples.body = [\"Maria\", \"Monday\"]\n",
    );
    let out = p.run(&["sync"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stdout.contains("WT007"), "{out}");
    assert!(out.err().contains("nothing submitted"), "{out}");
    assert!(p.fake.requests().is_empty(), "not even a read");
}

#[test]
fn blocked_changes_are_reported_not_sent() {
    let p = Project::new();
    p.template("order_ready", "your order is ready for pickup, number");
    p.fake.set_review_after(None);
    assert_eq!(p.run(&["sync"]).code, 0);
    p.template("order_ready", "your order can be picked up now, number");
    let out = p.run(&["plan"]);
    assert!(
        out.stdout
            .contains("~ update      order_ready (en_US)  [PENDING]"),
        "{out}"
    );
    assert!(
        out.stdout
            .contains("cannot be edited until Meta finishes reviewing"),
        "{out}"
    );
    let out = p.run(&["sync"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stdout.contains("skipped order_ready (en_US)"), "{out}");
    let edits: Vec<_> = p
        .fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && !r.path.ends_with("/message_templates"))
        .collect();
    assert!(edits.is_empty(), "{edits:?}");
}

#[test]
fn dry_run_is_plan() {
    let p = Project::new();
    p.template("order_ready", "your order is ready for pickup, number");
    let plan = p.run(&["plan"]);
    let dry = p.run(&["sync", "--dry-run"]);
    assert_eq!(plan.code, 0);
    assert_eq!(dry.code, 0, "{dry}");
    assert_eq!(plan.stdout, dry.stdout);
    assert_eq!(p.creates(), 0);
}

#[test]
fn token_and_account_errors() {
    let p = Project::new();
    p.template("order_ready", "your order is ready for pickup, number");
    let wrong = "EAAwrong0token0that0must0not0leak0either";
    for cmd in ["plan", "sync", "status"] {
        let out = p.run_env(&[cmd, "-v"], &[("WA_ACCESS_TOKEN", Some(wrong))]);
        assert_eq!(out.code, 3, "{out}");
        assert!(out.err().contains("$WA_ACCESS_TOKEN"), "{out}");
        assert!(out.err().contains("refused the access token"), "{out}");

        let out = p.run_env(&[cmd], &[("WA_ACCESS_TOKEN", None)]);
        assert_eq!(out.code, 2, "{out}");
        assert!(out.err().contains("WA_ACCESS_TOKEN"), "{out}");

        let out = p.run_env(
            &[cmd],
            &[
                ("WA_ACCESS_TOKEN", Some(p.fake.token())),
                ("WA_WABA_ID", None),
            ],
        );
        assert_eq!(out.code, 2, "{out}");
        assert!(out.err().contains("WA_WABA_ID"), "{out}");
    }
    assert!(p.fake.requests().iter().all(|r| !r.token_in_query));

    // WT_TOKEN_FILE, and a token_env of the project's choosing.
    let token_file = p.path().join("token.txt");
    std::fs::write(&token_file, format!("{}\n", p.fake.token())).unwrap();
    let out = p.run_env(
        &["plan"],
        &[
            ("WA_ACCESS_TOKEN", None),
            ("WT_TOKEN_FILE", Some(token_file.to_str().unwrap())),
        ],
    );
    assert_eq!(out.code, 0, "{out}");
    p.write("wt.toml", "[account]\ntoken_env = \"SHOP_WA_TOKEN\"\n");
    let out = p.run_env(&["plan"], &[("WA_ACCESS_TOKEN", Some(p.fake.token()))]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.err().contains("$SHOP_WA_TOKEN"), "{out}");
    let out = p.run_env(
        &["plan"],
        &[
            ("WA_ACCESS_TOKEN", None),
            ("SHOP_WA_TOKEN", Some(p.fake.token())),
        ],
    );
    assert_eq!(out.code, 0, "{out}");
    // An unknown WABA is an account problem, not a token one.
    let out = p.run_env(
        &["plan"],
        &[
            ("SHOP_WA_TOKEN", Some(p.fake.token())),
            ("WA_WABA_ID", Some("999")),
        ],
    );
    assert_eq!(out.code, 3, "{out}");
    assert!(out.err().contains("WA_WABA_ID"), "{out}");
}

#[test]
fn the_token_appears_in_no_output() {
    // `Project::run` checks every run; this one walks the verbose and failing paths on purpose.
    let p = Project::new();
    p.template("order_ready", "your order is ready for pickup, number");
    p.template("rej_offer", "a special offer waits for you, code");
    p.fake
        .fail_next("GET", "/message_templates", Fault::Html500, 1);
    p.fake
        .fail_next("POST", "/message_templates", Fault::FailAfterCommit, 1);
    let out = p.run(&["-v", "sync", "--wait", "--interval", "10ms"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.err().contains("wt: GET /v23.0/"),
        "-v logs requests: {out}"
    );
    for args in [
        vec!["-v", "plan"],
        vec!["-v", "plan", "--format", "json"],
        vec!["-v", "status"],
        vec!["-v", "status", "--format", "json"],
    ] {
        p.run(&args);
    }
    p.fake.fail_next("", "", Fault::Html500, 4);
    let out = p.run(&["-v", "plan"]);
    assert_eq!(out.code, 3, "{out}");
    // A malformed-token answer echoes the token it got (as Meta does).
    let out = p.run_env(
        &["-v", "status"],
        &[("WA_ACCESS_TOKEN", Some("EAAecho0me0back0please0secret"))],
    );
    assert_eq!(out.code, 3, "{out}");
}

/// API calls: `plan` over 6,000 remote templates, and one `status --wait` poll.
#[test]
fn api_calls_for_a_full_account() {
    let p = Project::new();
    p.fake.set_page_size(100);
    let body = vec![serde_json::json!({"type": "BODY", "text": "Hello {{1}}, thanks."})];
    for i in 0..6000 {
        p.fake.insert_template(
            &format!("t_{i:04}"),
            "en_US",
            "utility",
            "approved",
            body.clone(),
        );
    }
    let names = [
        "alpha_notice",
        "beta_notice",
        "gamma_notice",
        "delta_notice",
        "omega_notice",
    ];
    for n in names {
        p.template(n, &format!("{n} is ready for you, reference"));
    }
    let out = p.run(&["plan", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let plan_calls = p.fake.requests().len();
    eprintln!("plan over 6000 remote templates: {plan_calls} API calls");
    assert_eq!(plan_calls, 60);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["changes"].as_array().unwrap().len(), 6005);

    p.fake.set_review_after(None);
    assert_eq!(p.run(&["sync"]).code, 0);
    p.fake.clear_requests();
    // --timeout 0s: exactly one poll, a full listing (the account's size is not known yet).
    let out = p.run(&["status", "--wait", "--timeout", "0s"]);
    assert_eq!(out.code, 4, "{out}");
    let first_poll = p.fake.requests().len();
    eprintln!("one status --wait poll over 6005 templates: {first_poll} API calls");
    assert_eq!(first_poll, 61);
    // Later polls list only the names still in review, one filtered call each.
    p.fake.clear_requests();
    let out = p.run(&["status", "--wait", "--interval", "10ms", "--timeout", "3s"]);
    assert_eq!(out.code, 4, "{out}");
    let reqs = p.fake.requests();
    let later = reqs.iter().filter(|r| r.query.contains("name=")).count();
    assert_eq!(reqs.len() - later, 61);
    assert!(later >= 5 && later % 5 == 0, "{later}");
    eprintln!("each later poll: 5 API calls ({} later polls)", later / 5);
    // One name: one filtered call per poll from the start.
    p.fake.clear_requests();
    let out = p.run(&["status", "alpha_notice", "--wait", "--timeout", "0s"]);
    assert_eq!(out.code, 4, "{out}");
    assert_eq!(p.fake.requests().len(), 1);
}

#[test]
fn sync_json_reports_each_action() {
    let p = Project::new();
    p.template("order_ready", "your order is ready for pickup, number");
    let out = p.run(&["sync", "--format", "json"]);
    assert_eq!(out.code, 0, "{out}");
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["version"], 1);
    let r = &v["results"][0];
    assert_eq!(r["name"], "order_ready");
    assert_eq!(r["action"], "create");
    assert_eq!(r["outcome"], "created");
    assert_eq!(r["status"], "PENDING");
    assert!(r["id"].is_string());
    assert!(v.get("templates").is_none());

    p.template("order_ready", "your order can be picked up now, number");
    let out = run_v(&p, with(&["sync", "--format", "json"], WAIT));
    assert_eq!(out.code, 1, "the edit is blocked while PENDING: {out}");
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["results"][0]["outcome"], "skipped");
    assert_eq!(v["templates"][0]["status"], "APPROVED");
}

#[test]
fn status_wait_survives_a_failed_poll_but_not_a_dead_account() {
    let p = Project::new();
    p.template("order_ready", "your order is ready for pickup, number");
    assert_eq!(p.run(&["sync"]).code, 0);
    // One whole poll fails (4 attempts); the next one succeeds.
    p.fake
        .fail_next("GET", "/message_templates", Fault::Html500, 4);
    let out = run_v(&p, with(&["status"], WAIT));
    assert_eq!(out.code, 0, "{out}");
    assert!(out.err().contains("checking again later"), "{out}");
    // Never able to read the account before the deadline: exit 3, not 4.
    p.fake
        .fail_next("GET", "/message_templates", Fault::Html500, 4);
    let out = p.run(&["status", "--wait", "--timeout", "0s"]);
    assert_eq!(out.code, 3, "{out}");
    // Without --wait a failed read is exit 3 at once.
    p.fake
        .fail_next("GET", "/message_templates", Fault::Html500, 4);
    let out = p.run(&["status"]);
    assert_eq!(out.code, 3, "{out}");
}

/// `wt lint --remote` compares local bodies with the account's: a local template that
/// near-duplicates one only the account has is WT128; the account's own copy of a local
/// template is not a duplicate of itself; remote-only pairs are not reported.
#[test]
fn lint_remote_finds_duplicates_of_account_templates() {
    let p = Project::new();
    p.template("order_shipped", "your order has shipped and arrives on");
    let body = |what: &str| vec![serde_json::json!({"type": "BODY", "text": utility_body(what)})];
    // Near-duplicate of the local template, only in the account.
    p.fake.insert_template(
        "parcel_shipped",
        "en_US",
        "UTILITY",
        "APPROVED",
        body("your order has shipped and arrives by"),
    );
    // The account's copy of the local template itself.
    p.fake.insert_template(
        "order_shipped",
        "en_US",
        "UTILITY",
        "APPROVED",
        body("your order has shipped and arrives on"),
    );
    // Two remote-only twins: not about any local file.
    p.fake.insert_template(
        "promo_a",
        "en_US",
        "MARKETING",
        "APPROVED",
        body("our spring sale starts on"),
    );
    p.fake.insert_template(
        "promo_b",
        "en_US",
        "MARKETING",
        "APPROVED",
        body("our spring sale starts on"),
    );

    let offline = p.run(&["lint", "--format", "json"]);
    assert_eq!(offline.code, 0, "{offline}");

    let out = p.run(&["lint", "--remote", "--format", "json"]);
    assert_eq!(out.code, 0, "warnings only: {out}");
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let diags = json["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{out}");
    assert_eq!(diags[0]["code"], "WT128");
    assert_eq!(diags[0]["file"], "templates/order_shipped.toml");
    let msg = diags[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("`parcel_shipped` (en_US) in the account"),
        "{msg}"
    );

    let no_token = p.run_env(&["lint", "--remote"], &[("WA_ACCESS_TOKEN", None)]);
    assert_eq!(no_token.code, 2, "{no_token}");
}
