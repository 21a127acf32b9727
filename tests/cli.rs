//! End-to-end tests of the `wt` binary: exit codes (SPEC §4), output formats (SPEC §5), the
//! pre-commit hook, `wt init`, `wt explain`, completions and `--help`.
//!
//! Every run gets a scrubbed environment (no `NO_COLOR`, no `WT_*`/`WA_*` variables,
//! `COLUMNS=100`) and `--color never` unless the test is about colour, so results do not
//! depend on the machine. Projects are temporary directories with their own `wt.toml`, so the
//! upward lookup of `wt.toml` never leaves them.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

// --- harness ---------------------------------------------------------------------------------

/// Environment variables wt reads; removed from every run.
const WT_VARS: &[&str] = &[
    "NO_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "FORCE_COLOR",
    "WT_ENV",
    "WT_GRAPH_URL",
    "WT_TOKEN_FILE",
    "WA_WABA_ID",
    "WA_ACCESS_TOKEN",
    "WA_PHONE_NUMBER_ID",
    "WA_APP_ID",
    "WHATSAPP_API_VERSION",
];

#[derive(Debug)]
struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\n{}",
                self.stdout, self.stderr
            )
        })
    }

    #[track_caller]
    fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

fn run_wt(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Out {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wt"));
    cmd.current_dir(cwd).args(args).env("COLUMNS", "100");
    for v in WT_VARS {
        cmd.env_remove(v);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run the wt binary");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// A temporary repository: a `wt.toml` and files under it.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new() -> Self {
        let p = Self::empty();
        p.write("wt.toml", "templates = \"templates\"\n");
        p
    }

    /// No `wt.toml` (for `wt init`).
    fn empty() -> Self {
        Self {
            dir: tempfile::tempdir().expect("create a temporary directory"),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("a file has a parent")).expect("mkdir");
        std::fs::write(&p, text).expect("write a project file");
        self
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).expect("read a project file")
    }

    /// `wt --color never ARGS` in the project root.
    fn wt(&self, args: &[&str]) -> Out {
        let mut all = vec!["--color", "never"];
        all.extend_from_slice(args);
        run_wt(self.path(), &all, &[])
    }

    fn wt_env(&self, args: &[&str], env: &[(&str, &str)]) -> Out {
        run_wt(self.path(), args, env)
    }
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

// --- templates -------------------------------------------------------------------------------

const APPOINTMENT: &str = r##"category = "utility"

[languages.en_US]
body = "Hi {{1}}, this is a reminder of your appointment with {{2}} on {{3}}. Reply to this message if you need to change it."
examples.body = ["Maria", "Dr. Silva", "12 March at 10:00"]
"##;

const PAYMENT: &str = r##"category = "utility"

[languages.en_US]
body = "Hello {{1}}, we received your payment of {{2}} for invoice {{3}}. Thank you for your business."
examples.body = ["Maria", "$42.00", "INV-2041"]
"##;

const DELIVERY: &str = r##"category = "utility"

[languages.en_US]
body = "Hello {{1}}, your delivery is scheduled for {{2}} between 9:00 and 12:00. Our driver will call before arriving."
examples.body = ["Maria", "Friday 14 March"]
"##;

/// WT003 on `{{3}}` (line 4, column 33).
const GAP: &str = r##"category = "utility"

[languages.en_US]
body = "Hello {{1}}, your order {{3}} has shipped and will arrive soon, thank you."
examples.body = ["Maria", "#4521"]
"##;

/// Only a warning: WT111, an unrealistic example.
const WARN_ONLY: &str = r##"category = "utility"

[languages.en_US]
body = "Hello {{1}}, your delivery window for tomorrow has been confirmed by our team."
examples.body = ["test"]
"##;

const BROKEN: &str = "category = \"utility\"\n[languages.en_US\nbody = \"x\"\n";

fn codes(json: &Value) -> Vec<(String, String)> {
    json["diagnostics"]
        .as_array()
        .expect("diagnostics is an array")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().expect("code").to_string(),
                d["file"].as_str().expect("file").to_string(),
            )
        })
        .collect()
}

fn has_escape(s: &str) -> bool {
    s.contains('\u{1b}')
}

// --- wt lint: exit codes ---------------------------------------------------------------------

#[test]
fn lint_clean_exits_0() {
    let p = Project::new();
    p.write("templates/appointment_reminder.toml", APPOINTMENT);
    let out = p.wt(&["lint"]);
    out.expect_code(0);
    assert_eq!(out.stdout, "0 errors, 0 warnings in 1 file\n");
}

#[test]
fn lint_errors_exit_1() {
    let p = Project::new();
    p.write("templates/order_gap.toml", GAP);
    let out = p.wt(&["lint"]);
    out.expect_code(1);
    assert!(out.stdout.contains("WT003"), "{}", out.stdout);
    assert!(
        out.stdout.contains("1 error, 0 warnings in 1 file"),
        "{}",
        out.stdout
    );
}

#[test]
fn lint_warnings_exit_0_unless_denied() {
    let p = Project::new();
    p.write("templates/window.toml", WARN_ONLY);
    p.wt(&["lint"]).expect_code(0);
    p.wt(&["lint", "--deny-warnings"]).expect_code(1);
}

#[test]
fn lint_usage_errors_exit_2() {
    let p = Project::new();
    p.write("templates/appointment_reminder.toml", APPOINTMENT);
    let out = p.wt(&["lint", "templates/nope.toml"]);
    out.expect_code(2);
    assert!(
        out.stderr.contains("no such file or directory"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty(), "errors go to stderr: {}", out.stdout);

    let out = p.wt(&["lint", "--select", "WT99X"]);
    out.expect_code(2);
    assert!(
        out.stderr.contains("unknown rule selector `WT99X`"),
        "{}",
        out.stderr
    );

    p.wt(&["lint", "--format", "xml"]).expect_code(2);
    p.wt(&["lint", "--no-such-flag"]).expect_code(2);

    p.write("wt.toml", "templates = \"templates\"\ntypo_key = 1\n");
    let out = p.wt(&["lint"]);
    out.expect_code(2);
    assert!(out.stderr.contains("typo_key"), "{}", out.stderr);

    let empty = Project::new();
    let out = empty.wt(&["lint"]);
    out.expect_code(2);
    assert!(
        out.stderr
            .contains("templates directory `templates` not found"),
        "{}",
        out.stderr
    );
}

// --- wt lint: formats ------------------------------------------------------------------------

#[test]
fn lint_json_has_the_shape_of_spec_5() {
    let p = Project::new();
    p.write("templates/order_gap.toml", GAP);
    p.write("templates/appointment_reminder.toml", APPOINTMENT);
    let out = p.wt(&["lint", "--format", "json"]);
    out.expect_code(1);
    let json = out.json();
    assert_eq!(json["version"], 1);
    let s = &json["summary"];
    assert_eq!(
        (&s["files"], &s["templates"], &s["errors"], &s["warnings"]),
        (
            &Value::from(2),
            &Value::from(2),
            &Value::from(1),
            &Value::from(0)
        )
    );
    let diags = json["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diags.len(), 1);
    let d = &diags[0];
    let keys: Vec<&str> = d
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    for k in [
        "code", "rule", "severity", "message", "help", "file", "template", "language", "line",
        "column", "span",
    ] {
        assert!(keys.contains(&k), "diagnostic lacks `{k}`: {d}");
    }
    assert_eq!(d["code"], "WT003");
    assert_eq!(d["rule"], "placeholder-not-sequential");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "templates/order_gap.toml");
    assert_eq!(d["template"], "order_gap");
    assert_eq!(d["language"], "en_US");
    assert!(
        d["help"].as_str().is_some_and(|h| h.contains("{{2}}")),
        "{d}"
    );
    // line/column are 1-based characters; offset/length are bytes of the file on disk.
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(4), Some(33))
    );
    let (offset, length) = (
        d["span"]["offset"].as_u64().expect("offset") as usize,
        d["span"]["length"].as_u64().expect("length") as usize,
    );
    assert_eq!(&GAP[offset..offset + length], "{{3}}");
    assert!(
        d.get("related").is_none(),
        "no related entry without a second place: {d}"
    );
}

#[test]
fn lint_json_related_for_a_duplicate_definition() {
    let p = Project::new();
    p.write("templates/payment_received.toml", PAYMENT);
    p.write("templates/legacy/payment_received.toml", PAYMENT);
    let json = p.wt(&["lint", "--format", "json"]).expect_code(1).json();
    let diags = json["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diags.len(), 2, "each file of the pair is reported: {json}");
    for d in diags {
        assert_eq!(d["code"], "WT131");
        let related = d["related"].as_array().expect("related");
        assert_eq!(related.len(), 1);
        let r = &related[0];
        assert_ne!(r["file"], d["file"]);
        for k in [
            "file", "template", "language", "line", "column", "span", "message",
        ] {
            assert!(r.get(k).is_some(), "related lacks `{k}`: {r}");
        }
        assert_eq!(
            (r["line"].as_u64(), r["column"].as_u64()),
            (Some(3), Some(12))
        );
    }
}

#[test]
fn lint_github_annotations() {
    let p = Project::new();
    p.write("templates/order_gap.toml", GAP);
    p.write("templates/window.toml", WARN_ONLY);
    let out = p.wt(&["lint", "--format", "github"]);
    out.expect_code(1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    assert!(
        lines[0].starts_with(
            "::error file=templates/order_gap.toml,line=4,col=33,endLine=4,endColumn=38,title=WT003::templates/order_gap.toml:4:33: WT003 "
        ),
        "{}",
        lines[0]
    );
    assert!(
        lines[0].contains("%0Ahelp: "),
        "help on its own line: {}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("::warning file=templates/window.toml,"),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains(",title=WT111::"), "{}", lines[1]);
}

/// SARIF output is validated against the OASIS SARIF 2.1.0 JSON schema (vendored, see
/// `tests/schemas/README.md`), with format checks on (`uri`, `uri-reference`).
#[test]
fn lint_sarif_is_valid_sarif_2_1_0() {
    let schema_text = std::fs::read_to_string(repo_root().join("tests/schemas/sarif-2.1.0.json"))
        .expect("read the vendored SARIF schema");
    let schema: Value = serde_json::from_str(&schema_text).expect("the schema is JSON");
    // Erratum in the official schema: the `language` pattern of `run` and `toolComponent`,
    // `^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`, has a stray `]`, which jsonschema's `regex`
    // format check rejects when, with formats on, it checks the schema against draft-07. The
    // file stays as published; the in-memory copy gets the intended pattern. wt never emits
    // a `language` property, so this changes nothing about what is checked.
    let mut schema = schema;
    for def in ["run", "toolComponent"] {
        let pattern = &mut schema["definitions"][def]["properties"]["language"]["pattern"];
        assert_eq!(
            pattern, r"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
            "{def}"
        );
        *pattern = Value::from(r"^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
    }
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles");

    let p = Project::new();
    p.write("templates/order_gap.toml", GAP);
    p.write("templates/window.toml", WARN_ONLY);
    p.write("templates/payment_received.toml", PAYMENT);
    p.write("templates/old stuff/payment_received.toml", PAYMENT);
    let out = p.wt(&["lint", "--format", "sarif"]);
    out.expect_code(1);
    let sarif = out.json();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "invalid SARIF:\n{}\n{}",
        errors.join("\n"),
        out.stdout
    );

    // Negative controls: the validator does reject what the schema forbids.
    let mut bad_level = sarif.clone();
    bad_level["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(
        !validator.is_valid(&bad_level),
        "level must be one of SARIF's levels"
    );
    let mut bad_region = sarif.clone();
    bad_region["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
        ["startLine"] = Value::from(0);
    assert!(!validator.is_valid(&bad_region), "lines are 1-based");
    let mut bad_uri = sarif.clone();
    bad_uri["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] = Value::from("file:///a b/");
    assert!(
        !validator.is_valid(&bad_uri),
        "formats are checked: a space is not a URI"
    );

    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "wt");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        ids,
        ["WT003", "WT111", "WT131"],
        "one rule per code, sorted"
    );
    for r in rules {
        assert!(r["shortDescription"]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty()));
        assert!(r["fullDescription"]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty()));
        let help = r["help"]["text"].as_str().expect("help text");
        assert!(
            help.contains("## What it does") && help.contains("Use instead:"),
            "{help}"
        );
    }
    assert_eq!(rules[0]["defaultConfiguration"]["level"], "error");
    assert_eq!(rules[1]["defaultConfiguration"]["level"], "warning");

    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 4);
    for r in results {
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(r["ruleId"], rules[index]["id"]);
        let loc = &r["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().expect("uri");
        assert!(
            uri.starts_with("templates/") && !uri.contains('\\'),
            "{uri}"
        );
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        for k in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(
                loc["region"][k].as_u64().is_some_and(|n| n >= 1),
                "{k}: {loc}"
            );
        }
    }
    let gap = results
        .iter()
        .find(|r| r["ruleId"] == "WT003")
        .expect("WT003 result");
    let region = &gap["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (
            &region["startLine"],
            &region["startColumn"],
            &region["endLine"],
            &region["endColumn"]
        ),
        (
            &Value::from(4),
            &Value::from(33),
            &Value::from(4),
            &Value::from(38)
        )
    );
    let dups: Vec<&Value> = results.iter().filter(|r| r["ruleId"] == "WT131").collect();
    assert_eq!(dups.len(), 2);
    let uris: Vec<&str> = dups
        .iter()
        .map(|d| {
            d["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("uri")
        })
        .collect();
    assert!(
        uris.contains(&"templates/old%20stuff/payment_received.toml"),
        "{uris:?}"
    );
    for d in dups {
        let rel = &d["relatedLocations"][0];
        assert_eq!(rel["id"], 1);
        assert!(rel["message"]["text"].is_string());
        assert!(rel["physicalLocation"]["region"]["startLine"].is_u64());
    }
    let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .expect("SRCROOT");
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "{base}"
    );

    // A clean run is valid too: no rules, no results.
    let clean = Project::new();
    clean.write("templates/appointment_reminder.toml", APPOINTMENT);
    let sarif = clean
        .wt(&["lint", "--format", "sarif"])
        .expect_code(0)
        .json();
    assert!(validator.is_valid(&sarif), "{sarif}");
    assert_eq!(sarif["runs"][0]["results"], Value::Array(vec![]));
}

// --- wt lint: selection, suppression, broken files, colour ------------------------------------

#[test]
fn lint_select_and_ignore() {
    let p = Project::new();
    p.write("templates/order_gap.toml", GAP);
    p.write("templates/window.toml", WARN_ONLY);
    let all = codes(&p.wt(&["lint", "--format", "json"]).json());
    assert_eq!(
        all.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>(),
        ["WT003", "WT111"]
    );
    let only = p.wt(&["lint", "--format", "json", "--select", "WT003"]);
    only.expect_code(1);
    assert_eq!(
        codes(&only.json()),
        [("WT003".into(), "templates/order_gap.toml".into())]
    );

    let ignored = p.wt(&["lint", "--format", "json", "--ignore", "WT003"]);
    ignored.expect_code(0);
    assert_eq!(
        codes(&ignored.json()),
        [("WT111".into(), "templates/window.toml".into())]
    );

    // Prefixes and comma lists.
    let prefix = p
        .wt(&["lint", "--format", "json", "--select", "WT1"])
        .json();
    assert_eq!(
        codes(&prefix),
        [("WT111".into(), "templates/window.toml".into())]
    );
    let none = p.wt(&["lint", "--format", "json", "--ignore", "WT003,WT111"]);
    none.expect_code(0);
    assert_eq!(none.json()["diagnostics"], Value::Array(vec![]));

    // wt.toml's [lint] ignore applies too, and the flag adds to it.
    p.write(
        "wt.toml",
        "templates = \"templates\"\n[lint]\nignore = [\"WT111\"]\n",
    );
    let from_file = p.wt(&["lint", "--format", "json"]).json();
    assert_eq!(
        codes(&from_file),
        [("WT003".into(), "templates/order_gap.toml".into())]
    );
}

#[test]
fn lint_suppression_and_unused_suppression() {
    let p = Project::new();
    p.write(
        "templates/order_gap.toml",
        &GAP.replace(
            "thank you.\"\n",
            "thank you.\"  # wt: ignore[WT003]\n",
        )
        .replace(
            "examples.body",
            "footer = \"Reply STOP to stop these updates.\"  # wt: ignore[WT024]\nexamples.body",
        ),
    );
    let out = p.wt(&["lint", "--format", "json"]);
    out.expect_code(0);
    let json = out.json();
    let diags = json["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diags.len(), 1, "{json}");
    assert_eq!(diags[0]["code"], "WT132");
    assert_eq!(diags[0]["severity"], "warning");
    assert_eq!(diags[0]["line"], 5);
    assert!(
        diags[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("WT024")),
        "{json}"
    );
}

#[test]
fn lint_a_broken_file_does_not_stop_the_others() {
    let p = Project::new();
    p.write("templates/appointment_reminder.toml", APPOINTMENT);
    p.write("templates/payment_received.toml", PAYMENT);
    p.write("templates/delivery_window.toml", DELIVERY);
    p.write("templates/broken.toml", BROKEN);
    let out = p.wt(&["lint", "--format", "json"]);
    out.expect_code(1);
    let json = out.json();
    assert_eq!(json["summary"]["files"], 4, "{json}");
    assert_eq!(
        json["summary"]["templates"], 3,
        "the three good files are linted: {json}"
    );
    assert_eq!(
        codes(&json),
        [("WT000".into(), "templates/broken.toml".into())]
    );

    // Proof that the good files are really checked: break one rule in one of them.
    p.write(
        "templates/delivery_window.toml",
        &DELIVERY.replace("{{2}}", "{{3}}"),
    );
    let json = p.wt(&["lint", "--format", "json"]).json();
    let found = codes(&json);
    assert!(
        found.contains(&("WT000".into(), "templates/broken.toml".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("WT003".into(), "templates/delivery_window.toml".into())),
        "{found:?}"
    );
}

#[test]
fn no_color_means_no_escape_codes() {
    let p = Project::new();
    p.write("templates/order_gap.toml", GAP);
    // Forced on, the report is coloured: the check below can see escape codes.
    let forced = p.wt_env(&["--color", "always", "lint"], &[]);
    assert!(
        has_escape(&forced.stdout),
        "--color always colours:\n{}",
        forced.stdout
    );

    let never = p.wt_env(&["--color", "never", "lint"], &[]);
    never.expect_code(1);
    assert!(
        !has_escape(&never.stdout) && !has_escape(&never.stderr),
        "{never:?}"
    );

    let no_color = p.wt_env(&["lint"], &[("NO_COLOR", "1")]);
    no_color.expect_code(1);
    assert!(
        !has_escape(&no_color.stdout) && !has_escape(&no_color.stderr),
        "{no_color:?}"
    );

    // Errors on stderr too.
    let err = p.wt_env(&["lint", "nope.toml"], &[("NO_COLOR", "1")]);
    err.expect_code(2);
    assert!(!has_escape(&err.stderr), "{}", err.stderr);
}

#[test]
fn lint_with_an_unknown_env_exits_2_and_names_the_known_ones() {
    let p = Project::new();
    p.write(
        "wt.toml",
        "templates = \"templates\"\n[env.staging]\nwaba_id = \"2\"\n[env.prod]\nwaba_id = \"3\"\n",
    );
    p.write("templates/appointment_reminder.toml", APPOINTMENT);
    let out = p.wt(&["--env", "stagng", "lint"]);
    out.expect_code(2);
    assert!(
        out.stderr.contains("unknown environment `stagng`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("wt.toml defines: prod, staging"),
        "{}",
        out.stderr
    );
    // `--env` is global: after the subcommand too.
    p.wt(&["lint", "--env", "nope"]).expect_code(2);
    p.wt(&["lint", "--env", "staging"]).expect_code(0);
    // An ambient WT_ENV does not break offline linting.
    let out = p.wt_env(
        &["--color", "never", "lint"],
        &[("WT_ENV", "other-project")],
    );
    out.expect_code(0);
}

/// On a terminal, `auto` colours, and `NO_COLOR` or `--color never` turn it off. The terminal
/// is a pty from util-linux `script`; the test is skipped where `script` is missing.
#[test]
fn no_color_on_a_terminal() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` to run wt on a pty");
        return;
    }
    let p = Project::new();
    p.write("templates/order_gap.toml", GAP);
    let on_pty = |args: &str, env: &[(&str, &str)]| -> Out {
        let cmdline = format!("'{}' {args}", env!("CARGO_BIN_EXE_wt"));
        let mut cmd = Command::new("script");
        cmd.current_dir(p.path())
            .args(["-qec", &cmdline, "/dev/null"])
            .env("COLUMNS", "100");
        for v in WT_VARS {
            cmd.env_remove(v);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run script");
        Out {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    };
    let auto = on_pty("lint", &[]);
    auto.expect_code(1);
    assert!(
        has_escape(&auto.stdout),
        "a terminal gets colours: {auto:?}"
    );
    for (args, env) in [
        ("lint", &[("NO_COLOR", "1")][..]),
        ("--color never lint", &[][..]),
    ] {
        let out = on_pty(args, env);
        out.expect_code(1);
        assert!(out.stdout.contains("WT003"), "{out:?}");
        assert!(!has_escape(&out.stdout), "{args} {env:?}: {out:?}");
    }
    // An empty NO_COLOR does not count (no-color.org).
    assert!(has_escape(&on_pty("lint", &[("NO_COLOR", "")]).stdout));
}

// --- pre-commit ------------------------------------------------------------------------------

/// The hook as `.pre-commit-hooks.yaml` declares it (a tiny reader for its flat keys).
struct Hook {
    id: String,
    entry: String,
    language: String,
    files: String,
    exclude: String,
    pass_filenames: bool,
}

fn hook() -> Hook {
    let text = std::fs::read_to_string(repo_root().join(".pre-commit-hooks.yaml"))
        .expect("the repository has .pre-commit-hooks.yaml");
    let get = |key: &str| -> String {
        text.lines()
            .map(|l| l.trim_start_matches("- ").trim())
            .find_map(|l| l.strip_prefix(&format!("{key}:")))
            .map(|v| v.trim().trim_matches('\'').trim_matches('"').to_string())
            .unwrap_or_else(|| panic!("`{key}` missing in .pre-commit-hooks.yaml"))
    };
    Hook {
        id: get("id"),
        entry: get("entry"),
        language: get("language"),
        files: get("files"),
        exclude: get("exclude"),
        pass_filenames: get("pass_filenames") == "true",
    }
}

#[test]
fn precommit_hook_manifest() {
    let h = hook();
    assert_eq!(h.id, "wt-lint");
    assert_eq!(h.language, "rust");
    assert_eq!(h.entry, "wt lint");
    assert_eq!(h.files, r"^templates/.*\.toml$");
    assert_eq!(h.exclude, r"(^|/)wt\.toml$");
    assert!(h.pass_filenames);
    // `wt init` prints a snippet that uses this hook id.
    let p = Project::empty();
    let out = p.wt(&["init"]);
    out.expect_code(0);
    assert!(
        out.stdout.contains(&format!("- id: {}", h.id)),
        "{}",
        out.stdout
    );
}

/// Runs wt as pre-commit does: from the repository root, `entry` followed by the staged
/// files that match `files`. Only those files are reported on, but corpus-wide rules (WT131,
/// a duplicate definition across files) still see the whole templates directory.
#[test]
fn precommit_reports_only_passed_files_but_sees_the_corpus() {
    let h = hook();
    let p = Project::new();
    p.write("templates/order_gap.toml", GAP); // passed: WT003
    p.write("templates/payment_received.toml", PAYMENT); // passed: duplicate of legacy/
    p.write("templates/legacy/payment_received.toml", PAYMENT); // not passed
    p.write("templates/other_gap.toml", GAP); // not passed: WT003 must not show, but its
                                              // identical body makes WT127 in order_gap
    p.write("templates/appointment_reminder.toml", APPOINTMENT); // not passed, clean

    let staged = [
        "templates/order_gap.toml",
        "templates/payment_received.toml",
    ];
    let mut args: Vec<&str> = h.entry.split_whitespace().skip(1).collect();
    args.extend(["--format", "json"]);
    args.extend(staged);
    let out = p.wt(&args);
    out.expect_code(1);
    let json = out.json();
    let found = codes(&json);
    assert_eq!(
        found,
        [
            ("WT127".to_string(), "templates/order_gap.toml".to_string()),
            ("WT003".to_string(), "templates/order_gap.toml".to_string()),
            (
                "WT131".to_string(),
                "templates/payment_received.toml".to_string()
            ),
        ],
        "{json}"
    );
    assert_eq!(
        json["summary"]["files"], 2,
        "the summary counts the passed files: {json}"
    );
    let related = &json["diagnostics"][2]["related"][0];
    assert_eq!(related["file"], "templates/legacy/payment_received.toml");
    let related = &json["diagnostics"][0]["related"][0];
    assert_eq!(
        related["file"], "templates/other_gap.toml",
        "WT127 names the unpassed twin"
    );

    // The other file of the pair, passed alone, gets its own finding.
    let out = p.wt(&[
        "lint",
        "--format",
        "json",
        "templates/legacy/payment_received.toml",
    ]);
    out.expect_code(1);
    assert_eq!(
        codes(&out.json()),
        [(
            "WT131".into(),
            "templates/legacy/payment_received.toml".into()
        )]
    );

    // A clean staged file: exit 0 although unstaged files have errors.
    let out = p.wt(&["lint", "templates/appointment_reminder.toml"]);
    out.expect_code(0);
    assert_eq!(out.stdout, "0 errors, 0 warnings in 1 file\n");

    // Without the duplicate in the corpus, the staged file is clean: the finding above came
    // from the file that was not passed.
    std::fs::remove_file(p.path().join("templates/legacy/payment_received.toml")).expect("rm");
    p.wt(&["lint", "templates/payment_received.toml"])
        .expect_code(0);
}

// --- wt init ---------------------------------------------------------------------------------

#[test]
fn init_creates_a_lint_clean_project() {
    let p = Project::empty();
    let out = p.wt(&["init"]);
    out.expect_code(0);
    assert!(out.stderr.contains("created wt.toml"), "{}", out.stderr);
    assert!(
        out.stderr.contains("created templates/order_shipped.toml"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout.contains("repos:") && out.stdout.contains("rev: v"),
        "{}",
        out.stdout
    );
    assert!(p.read("wt.toml").contains("templates = \"templates\""));

    let lint = p.wt(&["lint", "--format", "json"]);
    lint.expect_code(0);
    let json = lint.json();
    assert_eq!(json["summary"]["templates"], 1, "{json}");
    assert_eq!(
        json["diagnostics"],
        Value::Array(vec![]),
        "the example is lint-clean: {json}"
    );
    // Not even info-level findings.
    assert_eq!(p.wt(&["lint", "--deny-warnings"]).code, 0);
}

#[test]
fn init_never_overwrites() {
    let p = Project::empty();
    p.wt(&["init"]).expect_code(0);
    let before = (p.read("wt.toml"), p.read("templates/order_shipped.toml"));
    let out = p.wt(&["init"]);
    out.expect_code(2);
    assert!(
        out.stderr.contains("`wt.toml` already exists"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
    assert_eq!(
        before,
        (p.read("wt.toml"), p.read("templates/order_shipped.toml"))
    );

    // Only the example exists: refused as well, and wt.toml is not created.
    let q = Project::empty();
    q.write("templates/order_shipped.toml", "# mine\n");
    let out = q.wt(&["init"]);
    out.expect_code(2);
    assert!(
        out.stderr.contains("templates/order_shipped.toml"),
        "{}",
        out.stderr
    );
    assert!(
        !q.path().join("wt.toml").exists(),
        "a refusal changes nothing"
    );
    assert_eq!(q.read("templates/order_shipped.toml"), "# mine\n");
    let entries: Vec<_> = std::fs::read_dir(q.path().join("templates"))
        .expect("read_dir")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(entries.len(), 1, "no temporary file left: {entries:?}");
}

#[test]
fn init_with_a_templates_dir() {
    let p = Project::empty();
    let out = p.wt(&["init", "--templates", "whatsapp/templates"]);
    out.expect_code(0);
    assert!(p
        .path()
        .join("whatsapp/templates/order_shipped.toml")
        .is_file());
    assert!(p
        .read("wt.toml")
        .contains("templates = \"whatsapp/templates\""));
    assert!(
        out.stdout
            .contains(r"files: '^whatsapp/templates/.*\.toml$'"),
        "{}",
        out.stdout
    );
    // `wt lint` finds the directory through wt.toml.
    let json = p.wt(&["lint", "--format", "json"]).expect_code(0).json();
    assert_eq!(json["summary"]["files"], 1);
}

// --- wt rules, wt explain --------------------------------------------------------------------

#[test]
fn rules_json() {
    let out = Project::new().wt(&["rules", "--format", "json"]);
    out.expect_code(0);
    let json = out.json();
    assert_eq!(json["version"], 1);
    let rules = json["rules"].as_array().expect("rules");
    for r in rules {
        for k in ["code", "name", "severity", "family", "summary"] {
            assert!(r[k].as_str().is_some_and(|s| !s.is_empty()), "{k}: {r}");
        }
    }
    let listed: Vec<String> = rules
        .iter()
        .map(|r| format!("{} {} {}", r["code"], r["name"], r["severity"]).replace('"', ""))
        .collect();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(listed, sorted, "ordered by code");
    // Codes are permanent: a change to this list is a reviewed snapshot change.
    insta::assert_snapshot!("rules_codes", listed.join("\n"));
}

#[test]
fn explain_rule_and_meta_codes() {
    let p = Project::new();
    let out = p.wt(&["explain", "WT003"]);
    out.expect_code(0);
    assert!(
        out.stdout.starts_with("WT003 (placeholder-not-sequential)"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("Use instead:"));
    p.wt(&["explain", "placeholder-not-sequential"])
        .expect_code(0);

    for (query, key) in [
        ("100/2388024", "100/2388024"),
        ("2388024", "100/2388024"),
        ("131047", "131047"),
        ("132001", "132001"),
        ("80008", "80008"),
    ] {
        let out = p.wt(&["explain", query]);
        out.expect_code(0);
        assert!(
            out.stdout.starts_with(&format!("Meta error {key} — ")),
            "{query}: {}",
            out.stdout
        );
        assert!(
            out.stdout.contains("## Cause") && out.stdout.contains("## Fix"),
            "{}",
            out.stdout
        );

        let json = p
            .wt(&["explain", query, "--format", "json"])
            .expect_code(0)
            .json();
        assert_eq!(json["kind"], "meta_error");
        assert_eq!(json["key"], key);
        for k in ["title", "cause", "fix", "source"] {
            assert!(
                json[k].as_str().is_some_and(|s| !s.is_empty()),
                "{query} {k}: {json}"
            );
        }
        assert!(json["retryable"].is_boolean());
    }
    // A code of the 200–299 range is explained with 200's entry, and says so.
    let out = p.wt(&["explain", "250"]);
    out.expect_code(0);
    assert!(
        out.stdout.starts_with("Meta error 200 — "),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("code 250 has no entry of its own"),
        "{}",
        out.stdout
    );
    // Human output is wrapped for a terminal.
    assert!(
        out.stdout.lines().all(|l| l.chars().count() <= 100),
        "{}",
        out.stdout
    );

    let json = p.wt(&["explain", "WT003", "--format", "json"]).json();
    assert_eq!(
        (&json["kind"], &json["code"]),
        (&Value::from("rule"), &Value::from("WT003"))
    );
}

#[test]
fn explain_unknown_codes_exit_2_with_a_suggestion() {
    let p = Project::new();
    let out = p.wt(&["explain", "131074"]);
    out.expect_code(2);
    assert!(
        out.stderr.contains("did you mean `131047`?"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());

    let out = p.wt(&["explain", "WT0003"]);
    out.expect_code(2);
    assert!(
        out.stderr.contains("did you mean `WT003`?"),
        "{}",
        out.stderr
    );

    let out = p.wt(&["explain", "100/1"]);
    out.expect_code(2);
    assert!(
        out.stderr.contains("100/2388024"),
        "lists the known subcodes: {}",
        out.stderr
    );

    p.wt(&["explain", "424242424"]).expect_code(2);
}

// --- completions and --help ------------------------------------------------------------------

#[test]
fn completions_for_each_shell() {
    let p = Project::new();
    for (shell, marker) in [
        ("bash", "complete -F _wt"),
        ("zsh", "#compdef wt"),
        ("fish", "complete -c wt"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[wt]"),
    ] {
        let out = p.wt(&["completions", shell]);
        out.expect_code(0);
        assert!(out.stdout.contains(marker), "{shell}: no `{marker}`");
        for sub in ["lint", "explain", "init", "completions"] {
            assert!(out.stdout.contains(sub), "{shell} completions lack `{sub}`");
        }
        let flag = if shell == "fish" {
            "-l format"
        } else {
            "--format"
        };
        assert!(out.stdout.contains(flag), "{shell}: flags are completed");
    }
    let out = p.wt(&["completions", "tcsh"]);
    out.expect_code(2);
}

#[test]
fn completions_bash_is_valid_bash() {
    // `bash -n` parses without running; skipped where bash is missing.
    let Ok(status) = Command::new("bash").arg("--version").output() else {
        return;
    };
    assert!(status.status.success());
    let p = Project::new();
    p.write("wt.bash", &p.wt(&["completions", "bash"]).stdout);
    let check = Command::new("bash")
        .arg("-n")
        .arg(p.path().join("wt.bash"))
        .output()
        .expect("run bash -n");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn help_of_each_command() {
    let p = Project::new();
    for args in [
        &["--help"][..],
        &["lint", "--help"],
        &["rules", "--help"],
        &["explain", "--help"],
        &["plan", "--help"],
        &["sync", "--help"],
        &["status", "--help"],
        &["pull", "--help"],
        &["doctor", "--help"],
        &["init", "--help"],
        &["completions", "--help"],
    ] {
        let out = p.wt(args);
        out.expect_code(0);
        assert!(!has_escape(&out.stdout), "--color never: {args:?}");
        let name = format!("help_{}", args[0].trim_start_matches('-'));
        insta::assert_snapshot!(name, out.stdout);
    }
}
