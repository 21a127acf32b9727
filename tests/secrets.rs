//! The access token never shows: every command, with and without `-v`, on success and on
//! failing paths (a refused token, error pages and Meta errors that echo the request and
//! its `Authorization` header back — plainly, JSON-escaped or percent-encoded — timeouts,
//! redirects, paging URLs carrying the token, bad configuration), run with a recognisable
//! token. Neither stdout, stderr nor any file written under the project holds the token
//! or an encoded form of it, and nothing panics.
//!
//! Also: `Debug` of the configuration, client and connection types and of every
//! `ApiError` the client returns; a redirect or a `paging.next` to another host never
//! reaches it (so neither does the `Authorization` header); `http://` to a host that is not
//! loopback is refused when the client is built, before any request.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::fake_graph::{FakeGraph, Fault, FAKE_WABA};
use common::run::{utility_template, Out};
use common::spy::HeaderSpy;
use wt::api::{ApiError, GraphClient, GraphConfig, ListFilter, RetryPolicy, Secret};

/// The recognisable token of this suite.
const TOKEN: &str = "EAAG-SECRET-TOKEN-1234567890";
/// A token whose URL-encoded form differs from itself.
const ODD_TOKEN: &str = "EAAG/SECRET+TOKEN=1234567890";

/// The token as it may appear in output: plain, percent-encoded (upper and lower case
/// hex), JSON-escaped, and every character `\u`-escaped.
fn forms(token: &str) -> Vec<String> {
    let pct = |upper: bool| -> String {
        token
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    (b as char).to_string()
                } else if upper {
                    format!("%{b:02X}")
                } else {
                    format!("%{b:02x}")
                }
            })
            .collect()
    };
    let json = serde_json::to_string(token).unwrap();
    let mut all = vec![
        token.to_string(),
        pct(true),
        pct(false),
        json.trim_matches('"').to_string(),
        token.replace('/', "\\/"),
        token
            .chars()
            .map(|c| format!("\\u{:04x}", c as u32))
            .collect(),
    ];
    // The distinctive middle, in case something cuts or wraps the token.
    all.push(token[5..].to_string());
    all.sort();
    all.dedup();
    all
}

/// A project directory and a fake; every run is checked for the token.
struct Suite {
    dir: tempfile::TempDir,
    fake: FakeGraph,
    token: String,
    /// Files the test itself wrote with the token in them (a token file, a bad wt.toml).
    planted: BTreeSet<PathBuf>,
    runs: usize,
}

impl Suite {
    fn new(token: &str) -> Self {
        Self::with_fake(token, FakeGraph::start_with(token))
    }

    fn with_fake(token: &str, fake: FakeGraph) -> Self {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["templates", "home", "tmp"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
        }
        let s = Suite {
            dir,
            fake,
            token: token.to_string(),
            planted: BTreeSet::new(),
            runs: 0,
        };
        s.template("order_ready", "your order is ready for pickup, number");
        s.template("rej_offer", "a special offer waits for you, code");
        s
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn template(&self, name: &str, what: &str) {
        let text = utility_template(what);
        std::fs::write(self.path().join(format!("templates/{name}.toml")), text).unwrap();
    }

    /// Writes a file that holds the token on purpose.
    fn plant(&mut self, rel: &str, text: &str) -> PathBuf {
        let p = self.path().join(rel);
        std::fs::write(&p, text).unwrap();
        self.planted.insert(p.clone());
        p
    }

    fn unplant(&mut self, p: &Path) {
        let _ = std::fs::remove_file(p);
        self.planted.remove(p);
    }

    /// Runs `wt args` in `cwd` (relative to the project) with the suite's environment
    /// plus `env` (`None` removes a variable), and checks the output.
    fn run_in(&mut self, cwd: &str, args: &[&str], env: &[(&str, Option<&str>)]) -> Out {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_wt"));
        cmd.current_dir(self.path().join(cwd))
            .env_clear()
            .env("HOME", self.path().join("home"))
            .env("TMPDIR", self.path().join("tmp"))
            .env("WT_GRAPH_URL", self.fake.url())
            .env("WA_WABA_ID", FAKE_WABA)
            .env("WA_ACCESS_TOKEN", &self.token)
            .env("WT_RETRY_BASE_MS", "1")
            .env("WT_SLEEP_CAP_MS", "5")
            .env("NO_COLOR", "1")
            .args(args);
        for (k, v) in env {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        let o = cmd.output().expect("run wt");
        self.runs += 1;
        let out = Out::from_output(&o);
        let what = format!("`wt {}` (env {env:?})", args.join(" "));
        assert!(
            out.code != 101 && !out.stderr.contains("panicked"),
            "{what} panicked:\n{out}"
        );
        for f in forms(&self.token) {
            assert!(
                !out.stdout.contains(&f) && !out.stderr.contains(&f),
                "{what} shows the token as {f:?}:\n{out}"
            );
        }
        out
    }

    fn run(&mut self, args: &[&str]) -> Out {
        self.run_in(".", args, &[])
    }

    fn run_env(&mut self, args: &[&str], env: &[(&str, Option<&str>)]) -> Out {
        self.run_in(".", args, env)
    }

    /// Runs `args` with and without `-v`; returns the `-v` run.
    fn both(&mut self, args: &[&str]) -> Out {
        self.run(args);
        let mut v = vec!["-v"];
        v.extend_from_slice(args);
        self.run(&v)
    }

    /// No file under the project, other than the planted ones, holds the token.
    fn check_files(&self) {
        let mut stack = vec![self.path().to_path_buf()];
        let mut seen = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let p = entry.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if !self.planted.contains(&p) {
                    seen += 1;
                    let text = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
                    for f in forms(&self.token) {
                        assert!(!text.contains(&f), "{} holds the token", p.display());
                    }
                }
            }
        }
        assert!(seen >= 2, "the scan saw the template files");
    }
}

/// The commands that read the account, as `wt ARGS`.
const REMOTE: &[&[&str]] = &[
    &["doctor"],
    &["doctor", "--format", "json"],
    &["pull", "--dir", "pulled"],
    &["pull", "--dir", "pulled", "--overwrite", "--format", "json"],
    &["lint", "--remote"],
    &["plan"],
    &["plan", "--format", "json"],
    &["sync"],
    &["sync", "--format", "json"],
    &["status"],
    &["status", "--format", "json"],
    &[
        "status",
        "--wait",
        "--interval",
        "10ms",
        "--timeout",
        "300ms",
    ],
    &["sync", "--wait", "--interval", "10ms", "--timeout", "300ms"],
];

#[test]
fn every_command_succeeding_shows_no_token() {
    let mut s = Suite::new(TOKEN);
    for args in [
        &["lint"][..],
        &["lint", "--format", "json"],
        &["lint", "--format", "sarif"],
        &["lint", "--format", "github"],
        &["rules"],
        &["explain", "WT003"],
        &["explain", "100/2388024"],
        &["explain", "190"],
        &["completions", "bash"],
        &["completions", "zsh"],
    ] {
        let out = s.both(args);
        assert_eq!(out.code, 0, "{out}");
    }
    for args in REMOTE {
        let out = s.both(args);
        assert!(out.code <= 4, "{out}");
    }
    let out = s.run(&["-v", "sync", "--prune"]);
    assert!(
        out.stderr.contains("wt: GET /v23.0/"),
        "-v logs requests: {out}"
    );
    // init writes files: in a fresh directory each time.
    for (sub, v) in [("fresh", false), ("fresh_v", true)] {
        std::fs::create_dir(s.path().join(sub)).unwrap();
        let args: &[&str] = if v { &["-v", "init"] } else { &["init"] };
        let out = s.run_in(sub, args, &[]);
        assert_eq!(out.code, 0, "{out}");
        // Again: it never overwrites (a failing path).
        s.run_in(sub, args, &[]);
    }
    assert!(s.path().join("fresh/wt.toml").is_file());
    s.check_files();
    assert!(s.fake.requests().iter().all(|r| !r.token_in_query));
}

#[test]
fn failing_remote_paths_show_no_token() {
    let mut s = Suite::new(TOKEN);
    assert_eq!(s.run(&["sync"]).code, 0);

    let echoes = [
        // Proxy pages and Meta-shaped errors echoing the request line and its headers.
        Fault::Echo {
            status: 502,
            json: false,
        },
        Fault::Echo {
            status: 500,
            json: true,
        },
        Fault::Echo {
            status: 200,
            json: false,
        },
        // The token JSON-escaped in a Meta error (\u0045AAG…), as a JSON encoder may.
        Fault::Respond {
            status: 400,
            body: format!(
                r#"{{"error":{{"code":190,"type":"OAuthException","message":"Malformed access token {}","error_data":{{"details":"{}"}}}}}}"#,
                TOKEN
                    .chars()
                    .map(|c| format!("\\u{:04x}", c as u32))
                    .collect::<String>(),
                TOKEN.replace('-', "\\u002d")
            ),
        },
        // The token percent-encoded in an HTML page.
        Fault::Respond {
            status: 503,
            body: format!(
                "<html><a href=\"/login?next=%2Fv23.0&access_token={}\">retry</a></html>",
                TOKEN.replace('-', "%2D")
            ),
        },
        // A redirect whose target carries the token in its path and query.
        Fault::Redirect(format!("http://127.0.0.1:1/{TOKEN}/x?access_token={TOKEN}")),
        Fault::Throttle {
            code: 80008,
            regain_minutes: 60,
        },
    ];
    for fault in echoes {
        for args in REMOTE {
            // One fault, and a fault on every request.
            for times in [1, 100] {
                s.fake.fail_next("", "", fault.clone(), times);
                let mut v = vec!["-v"];
                v.extend_from_slice(args);
                let out = s.run(&v);
                assert!(out.code <= 4, "{fault:?} {args:?}: {out}");
                s.fake.clear_faults();
            }
        }
    }

    // Answers slower than the timeout.
    s.fake
        .fail_next("", "", Fault::Slow(Duration::from_millis(600)), 100);
    for args in [
        &["-v", "plan"][..],
        &["-v", "status", "--wait", "--timeout", "1s"],
    ] {
        let out = s.run_env(args, &[("WT_HTTP_TIMEOUT_MS", Some("100"))]);
        assert_eq!(out.code, 3, "{out}");
        assert!(out.stderr.contains("timed out"), "{out}");
    }
    s.fake.clear_faults();

    // paging.next carrying the token, on the fake and on another origin.
    s.fake.set_page_size(1);
    s.fake.set_next_includes_token(true);
    assert_eq!(s.run(&["-v", "plan"]).code, 0);
    s.fake
        .set_next_origin(Some(&format!("http://{TOKEN}.127.0.0.1.nip.invalid")));
    let out = s.run(&["-v", "plan"]);
    assert_eq!(out.code, 3, "{out}");
    assert!(out.stderr.contains("paging.next"), "{out}");
    s.fake.set_next_origin(None);
    s.fake.set_next_includes_token(false);
    assert!(s.fake.requests().iter().all(|r| !r.token_in_query));
    s.check_files();
}

#[test]
fn a_refused_token_is_not_echoed() {
    // The fake accepts another token and, like Meta, echoes the one it got.
    let mut s = Suite::with_fake(TOKEN, FakeGraph::start_with("EAAaccepted0token"));
    for args in REMOTE {
        for v in [false, true] {
            let mut a = if v { vec!["-v"] } else { vec![] };
            a.extend_from_slice(args);
            let out = s.run(&a);
            if args[0] == "doctor" {
                // doctor reports the refusal as a failed check.
                assert_eq!(out.code, 1, "{out}");
                assert!(out.stdout.contains("Meta refused the token"), "{out}");
            } else {
                assert_eq!(out.code, 3, "{out}");
                assert!(out.err().contains("refused the access token"), "{out}");
            }
        }
    }
    // The echo was there to be redacted.
    assert!(s.fake.requests().iter().all(|r| !r.authorized));
    s.check_files();
}

#[test]
fn bad_configuration_shows_no_token() {
    let mut s = Suite::new(TOKEN);
    let commands: &[&[&str]] = &[
        &["lint"],
        &["plan"],
        &["-v", "sync"],
        &["status"],
        &["doctor"],
        &["pull", "--dir", "pulled"],
    ];
    // A token pasted into wt.toml: as an unknown key, quoted or not, in a comment next to
    // an error, or as token_env.
    for text in [
        format!("[account]\naccess_token = \"{TOKEN}\"\n"),
        format!("[account]\ntoken = {TOKEN}\n"),
        format!("# token = \"{TOKEN}\"\n[lint]\nduplicate_threshold = 3.0\n"),
        format!("[account]\ntoken_env = \"{TOKEN}\"\n"),
        format!("[env.prod]\ntoken_env = \"{TOKEN}\"\n"),
        format!("templates = [\"{TOKEN}\"]\n# access_token = x\n"),
    ] {
        let p = s.plant("wt.toml", &text);
        for args in commands {
            let out = s.run(args);
            assert_eq!(out.code, 2, "{text}\n{out}");
        }
        s.unplant(&p);
    }
    // The token in the wrong variable, or in the URL.
    let bad_env: &[(&str, &str)] = &[
        ("WT_TOKEN_FILE", TOKEN),
        ("WA_WABA_ID", TOKEN),
        ("WHATSAPP_API_VERSION", TOKEN),
        (
            "WT_GRAPH_URL",
            "http://example.invalid/EAAG-SECRET-TOKEN-1234567890",
        ),
        (
            "WT_GRAPH_URL",
            "http://example.invalid/EAAG%2DSECRET-TOKEN-1234567890",
        ),
        (
            "WT_GRAPH_URL",
            "https://user:EAAG-SECRET-TOKEN-1234567890@127.0.0.1:1",
        ),
        (
            "WT_GRAPH_URL",
            "https://127.0.0.1:1/?access_token=EAAG-SECRET-TOKEN-1234567890",
        ),
        ("WT_GRAPH_URL", "EAAG-SECRET-TOKEN-1234567890"),
    ];
    for (k, v) in bad_env {
        for args in commands.iter().skip(1) {
            let mut env = vec![(*k, Some(*v))];
            if *k == "WT_TOKEN_FILE" {
                env.push(("WA_ACCESS_TOKEN", None));
            }
            let out = s.run_env(args, &env);
            assert_eq!(out.code, 2, "{k}={v}\n{out}");
        }
    }
    // A token with whitespace (a trailing newline from a file or a variable).
    let with_newline = format!("{TOKEN}\n");
    let out = s.run_env(&["plan"], &[("WA_ACCESS_TOKEN", Some(&with_newline))]);
    assert_eq!(out.code, 2, "{out}");
    // A token file is fine, and so is a missing one.
    let file = s.plant("token.txt", &format!("{TOKEN}\n"));
    let file = file.to_str().unwrap().to_string();
    let out = s.run_env(
        &["-v", "plan"],
        &[("WA_ACCESS_TOKEN", None), ("WT_TOKEN_FILE", Some(&file))],
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(
        s.fake.requests().iter().all(|r| r.authorized),
        "no request went out with a bad configuration"
    );
    s.check_files();
}

#[test]
fn a_token_that_url_encodes_differently_is_caught_in_every_form() {
    let mut s = Suite::new(ODD_TOKEN);
    assert_eq!(s.run(&["sync"]).code, 0);
    let enc = ODD_TOKEN
        .replace('/', "%2F")
        .replace('+', "%2B")
        .replace('=', "%3D");
    let faults = [
        Fault::Echo {
            status: 502,
            json: false,
        },
        Fault::Echo {
            status: 500,
            json: true,
        },
        Fault::Respond {
            status: 500,
            body: format!("<html>GET /v23.0/x?access_token={enc} failed</html>"),
        },
        Fault::Respond {
            status: 500,
            body: format!("<html>access_token={}</html>", enc.to_lowercase()),
        },
        Fault::Respond {
            status: 400,
            body: format!(
                r#"{{"error":{{"code":190,"message":"Malformed access token {}"}}}}"#,
                ODD_TOKEN.replace('/', "\\/")
            ),
        },
        Fault::Redirect(format!("http://127.0.0.1:1/{enc}")),
    ];
    for fault in faults {
        for args in [
            &["-v", "plan"][..],
            &["-v", "status"],
            &["-v", "sync"],
            &["-v", "pull", "--dir", "pulled"],
            // debug_token carries the token in its query string: echoed URLs hold it
            // percent-encoded.
            &["-v", "doctor"],
        ] {
            s.fake.fail_next("", "", fault.clone(), 100);
            let out = s.run(args);
            if args[1] == "doctor" {
                assert!(out.code == 1 || out.code == 3, "{fault:?}: {out}");
            } else {
                assert_eq!(out.code, 3, "{fault:?}: {out}");
            }
            s.fake.clear_faults();
        }
    }
    // Wrong token, echoed by the fake.
    let out = s.run_env(&["-v", "plan"], &[("WA_ACCESS_TOKEN", Some("EAAwrong"))]);
    assert_eq!(out.code, 3, "{out}");
    s.check_files();
}

// ---------------------------------------------------------------------------------------
// The library's types and errors

fn config(url: &str, token: &str) -> GraphConfig {
    GraphConfig {
        timeout: Duration::from_millis(300),
        retry: RetryPolicy {
            max_attempts: 2,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(2),
            max_throttle_wait: Duration::from_secs(60),
        },
        ..GraphConfig::new(url, "v23.0", FAKE_WABA, Secret::new(token))
    }
}

fn assert_clean(what: &str, text: &str) {
    for f in forms(TOKEN).iter().chain(&forms(ODD_TOKEN)) {
        assert!(!text.contains(f), "{what} shows the token as {f:?}: {text}");
    }
}

/// Every rendering of an error that could reach a user or a log.
fn renderings(err: &ApiError) -> String {
    let mut all = format!("{err}\n{err:?}\n{err:#?}");
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        all.push_str(&format!("\n{s}\n{s:?}"));
        source = s.source();
    }
    all
}

#[test]
fn debug_of_config_and_client_types_redacts_the_token() {
    let fake = FakeGraph::start_with(TOKEN);
    let c = config(&fake.url(), TOKEN);
    assert_clean("GraphConfig", &format!("{c:?} {c:#?}"));
    assert_clean("Secret", &format!("{:?} {}", c.token, c.token));
    let client = GraphClient::new(c).unwrap();
    assert_clean("GraphClient", &format!("{client:?} {client:#?}"));
    assert_clean("GraphClient::config", &format!("{:?}", client.config()));

    // Config, Account and Connection, built the way commands build them. The token comes
    // from a variable only this test sets.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("wt.toml"),
        format!(
            "[account]\nwaba_id = \"{FAKE_WABA}\"\ngraph_url = \"{}\"\ntoken_env = \"WT_SECRETS_SUITE_TOKEN\"\n",
            fake.url()
        ),
    )
    .unwrap();
    std::env::set_var("WT_SECRETS_SUITE_TOKEN", TOKEN);
    let cx = wt::commands::Context {
        global: wt::cli::GlobalArgs {
            config: None,
            env: None,
            color: wt::cli::ColorChoice::Never,
            quiet: false,
            verbose: false,
        },
        cwd: dir.path().to_path_buf(),
    };
    let cfg = cx.config().unwrap();
    assert_clean("Config", &format!("{cfg:?} {cfg:#?}"));
    let account = cx.account(&cfg).unwrap();
    assert_clean("Account", &format!("{account:?}"));
    let conn = wt::commands::remote::connect(&cx, &cfg).unwrap();
    std::env::remove_var("WT_SECRETS_SUITE_TOKEN");
    assert_clean("Connection", &format!("{conn:?} {conn:#?}"));
    // An error built by the connection, as main prints it.
    // An HTML page echoing the request headers, answered with 200: not retried.
    fake.fail_next(
        "",
        "",
        Fault::Echo {
            status: 200,
            json: false,
        },
        1,
    );
    let err = conn
        .client
        .templates()
        .list(&ListFilter::default())
        .unwrap_err();
    assert_clean("ApiError", &renderings(&err));
    let wt_err = conn.error("reading the account", &err);
    assert_clean("WtError", &format!("{wt_err} {wt_err:?}"));
    assert_clean(
        "miette report",
        &format!("{:?}", miette::Report::new(wt_err)),
    );
}

#[test]
fn every_error_the_client_returns_is_redacted() {
    for token in [TOKEN, ODD_TOKEN] {
        let fake = FakeGraph::start_with(token);
        let client = GraphClient::new(config(&fake.url(), token)).unwrap();
        let t = client.templates();
        let mut errors = Vec::new();
        let faulted = |fault: Fault| {
            fake.fail_next("", "", fault, 10);
            let err = t.list(&ListFilter::default()).unwrap_err();
            fake.clear_faults();
            err
        };
        errors.push(faulted(Fault::Echo {
            status: 502,
            json: false,
        }));
        errors.push(faulted(Fault::Echo {
            status: 500,
            json: true,
        }));
        errors.push(faulted(Fault::Reset));
        errors.push(faulted(Fault::Slow(Duration::from_millis(900))));
        errors.push(faulted(Fault::Truncated));
        errors.push(faulted(Fault::Redirect(format!(
            "https://evil.example/{token}?access_token={token}"
        ))));
        errors.push(faulted(Fault::Throttle {
            code: 80007,
            regain_minutes: 120,
        }));
        errors.push(faulted(Fault::Respond {
            status: 200,
            body: r#"{"success": false}"#.into(),
        }));
        // Wrong token: the fake echoes the one it got.
        let other = GraphClient::new(config(&fake.url(), &format!("{token}x"))).unwrap();
        errors.push(other.templates().list(&ListFilter::default()).unwrap_err());
        // paging.next on another origin whose name holds the token.
        fake.insert_template("a", "en_US", "utility", "approved", Vec::new());
        fake.insert_template("b", "en_US", "utility", "approved", Vec::new());
        fake.set_page_size(1);
        fake.set_next_includes_token(true);
        fake.set_next_origin(Some("https://evil.example"));
        errors.push(t.list(&ListFilter::default()).unwrap_err());
        // Construction: the URL, WABA id or version holding the token.
        for c in [
            GraphConfig {
                base_url: format!("http://example.invalid/{token}"),
                ..config(&fake.url(), token)
            },
            GraphConfig {
                base_url: format!("https://user:{token}@example.invalid"),
                ..config(&fake.url(), token)
            },
            GraphConfig {
                base_url: format!("ftp://example.invalid/{token}"),
                ..config(&fake.url(), token)
            },
            GraphConfig {
                waba_id: token.into(),
                ..config(&fake.url(), token)
            },
            GraphConfig {
                api_version: token.into(),
                ..config(&fake.url(), token)
            },
        ] {
            errors.push(GraphClient::new(c).unwrap_err());
        }
        let mut kinds = BTreeSet::new();
        for err in &errors {
            let shown = renderings(err);
            assert_clean(&format!("{token}: {err:?}"), &shown);
            kinds.insert(
                format!("{err:?}")
                    .split([' ', '('])
                    .next()
                    .unwrap()
                    .to_string(),
            );
        }
        assert!(kinds.len() >= 10, "{kinds:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Where the token may go

#[test]
fn redirects_and_paging_to_another_host_never_reach_it() {
    // The spy records what reaches it: pointed at it directly, it sees the header.
    let spy = HeaderSpy::start();
    let mut s = Suite::new(TOKEN);
    let out = s.run_env(&["plan"], &[("WT_GRAPH_URL", Some(&spy.url()))]);
    assert_eq!(out.code, 0, "{out}");
    let direct = spy.requests();
    assert_eq!(direct.len(), 1, "{direct:?}");
    assert!(
        direct[0].to_ascii_lowercase().contains(&format!(
            "authorization: bearer {}",
            TOKEN.to_ascii_lowercase()
        )),
        "{direct:?}"
    );

    // Redirects and paging URLs to the spy are not followed.
    let other = HeaderSpy::start();
    for (method, path, args) in [
        ("GET", "/message_templates", &["-v", "plan"][..]),
        ("POST", "/message_templates", &["-v", "sync"]),
        ("GET", "/message_templates", &["-v", "status"]),
    ] {
        for location in [
            format!("{}/v23.0/{FAKE_WABA}/message_templates", other.url()),
            format!(
                "{}/v23.0/{FAKE_WABA}/message_templates?access_token=x",
                other.url()
            ),
            // Same host, another port: another origin too.
            format!(
                "http://127.0.0.1:{}/",
                other.url().rsplit(':').next().unwrap()
            ),
        ] {
            s.fake
                .fail_next(method, path, Fault::Redirect(location.clone()), 100);
            let out = s.run(args);
            assert_eq!(out.code, 3, "{location}: {out}");
            assert!(out.stderr.contains("redirect"), "{out}");
            s.fake.clear_faults();
        }
    }
    s.fake
        .insert_template("a_old", "en_US", "utility", "approved", Vec::new());
    s.fake
        .insert_template("b_old", "en_US", "utility", "approved", Vec::new());
    s.fake.set_page_size(1);
    s.fake.set_next_origin(Some(&other.url()));
    let out = s.run(&["-v", "plan"]);
    assert_eq!(out.code, 3, "{out}");
    std::thread::sleep(Duration::from_millis(50));
    assert!(other.requests().is_empty(), "{:?}", other.requests());

    // The library: the same, with the client alone.
    let fake = FakeGraph::start_with(TOKEN);
    let client = GraphClient::new(config(&fake.url(), TOKEN)).unwrap();
    fake.fail_next("", "", Fault::Redirect(format!("{}/x", other.url())), 1);
    let err = client.templates().list(&ListFilter::default()).unwrap_err();
    assert!(
        matches!(err, ApiError::Redirect { status: 302, .. }),
        "{err:?}"
    );
    assert!(other.requests().is_empty(), "{:?}", other.requests());
}

#[test]
fn plain_http_to_a_host_that_is_not_loopback_is_refused_before_any_request() {
    // `.invalid` never resolves: the refusal is on the URL, before any lookup.
    for url in [
        "http://example.invalid",
        "http://example.invalid:8080/",
        "http://127.0.0.1.example.invalid",
        "http://localhost.example.invalid",
    ] {
        let err = GraphClient::new(config(url, TOKEN)).unwrap_err();
        assert!(
            matches!(err, ApiError::InsecureUrl { .. }),
            "{url}: {err:?}"
        );
        assert!(err.to_string().contains("https://"), "{err}");
    }
    // Through the binary, with a fake running next to it: it sees nothing.
    let mut s = Suite::new(TOKEN);
    for args in REMOTE {
        let out = s.run_env(args, &[("WT_GRAPH_URL", Some("http://example.invalid"))]);
        assert_eq!(out.code, 2, "{out}");
        // doctor reports it as a failed check on stdout, the others as an error.
        let said = format!("{}{}", out.stdout, out.err());
        assert!(said.contains("refusing Graph API URL"), "{out}");
        assert!(said.contains("https://"), "{out}");
    }
    assert!(s.fake.requests().is_empty());
    // https:// to the same host is accepted at construction (and never sent here).
    assert!(GraphClient::new(config("https://example.invalid", TOKEN)).is_ok());
}
