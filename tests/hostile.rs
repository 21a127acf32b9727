//! Hostile input for `wt lint`: files and paths a commit hook or CI can meet, and property
//! tests that check what the fuzz targets (`fuzz/`) check, without nightly Rust.
//!
//! Every case runs the real binary in a temporary directory next to a good and a bad
//! template, and asserts: exit code 1 or 2 (never 101, never a signal), no panic message,
//! a diagnostic naming the hostile file (WT000) or a usage error, the bad sibling's finding
//! still reported, and an end within [`WATCHDOG`] (a hang guard, not a timing assertion).

#[path = "support/invariants.rs"]
mod invariants;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use proptest::prelude::*;

/// A run that takes longer than this has hung: it is killed and the test fails.
const WATCHDOG: Duration = Duration::from_secs(20);
/// Address-space limit (KiB) for the big-input cases: a template linter has no business
/// near it, and a run that tries to hold an endless input in memory dies instead of
/// swapping the CI machine to death.
const MEMORY_LIMIT_KB: u64 = 1_000_000;

const GOOD: &str = r#"category = "utility"

[languages.en_US]
body = "Hello {{1}}, your order is ready for pickup at the store today."
examples.body = ["Maria"]
"#;

/// One WT003 (`{{3}}` after `{{1}}`): the finding every case expects to survive.
const BAD: &str = r##"category = "utility"

[languages.en_US]
body = "Hello {{1}}, your order {{3}} is ready for pickup at the store today."
examples.body = ["Maria", "#4521"]
"##;

struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    /// `templates/good.toml` and `templates/bad.toml`.
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = Self { dir };
        std::fs::create_dir(p.templates()).expect("mkdir templates");
        p.write("templates/good.toml", GOOD.as_bytes());
        p.write("templates/bad.toml", BAD.as_bytes());
        p
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn templates(&self) -> PathBuf {
        self.root().join("templates")
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> PathBuf {
        let path = self.root().join(rel);
        std::fs::write(&path, bytes).expect("write fixture");
        path
    }

    fn lint(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_wt"));
        cmd.arg("lint").arg("--color").arg("never").args(args);
        run(cmd, self.root())
    }

    /// `wt lint` under `ulimit -v`, through `sh` so that it works wherever `sh` does.
    fn lint_limited(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(format!("ulimit -v {MEMORY_LIMIT_KB} && exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_wt"))
            .arg("lint")
            .arg("--color")
            .arg("never")
            .args(args);
        run(cmd, self.root())
    }
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

impl Run {
    fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    /// Exit 1 or 2 as given, no panic, the bad sibling's finding reported (when `siblings`).
    fn assert_clean_failure(&self, code: i32) {
        let all = self.all();
        assert_eq!(
            self.code,
            Some(code),
            "exit code (None = killed by a signal) after {:?}\n{}",
            self.elapsed,
            tail(&all)
        );
        assert!(!all.contains("panicked"), "wt panicked:\n{}", tail(&all));
        assert!(
            !all.contains("RUST_BACKTRACE"),
            "wt panicked:\n{}",
            tail(&all)
        );
    }

    /// The bad sibling was still linted.
    fn assert_siblings_linted(&self) {
        assert!(
            self.stdout.contains("WT003") && self.stdout.contains("templates/bad.toml"),
            "the bad sibling's WT003 is missing: other files must still be linted\n{}",
            tail(&self.all())
        );
    }

    /// A WT000 on `file` whose message contains `needle`, in the JSON report.
    fn assert_wt000(&self, file: &str, needle: &str) {
        let v: serde_json::Value = serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", tail(&self.all())));
        let diags = v["diagnostics"].as_array().expect("diagnostics array");
        let hit = diags.iter().any(|d| {
            d["code"] == "WT000"
                && d["file"] == file
                && d["message"]
                    .as_str()
                    .is_some_and(|m| m.to_lowercase().contains(&needle.to_lowercase()))
        });
        assert!(
            hit,
            "no WT000 on {file} mentioning {needle:?}:\n{}",
            tail(&self.stdout)
        );
        let wt003 = diags
            .iter()
            .any(|d| d["code"] == "WT003" && d["file"] == "templates/bad.toml");
        assert!(
            wt003,
            "the bad sibling's WT003 is missing:\n{}",
            tail(&self.stdout)
        );
    }
}

fn tail(s: &str) -> String {
    let start = s.len().saturating_sub(3000);
    let start = (start..=s.len())
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(s.len());
    s[start..].to_string()
}

/// Runs `cmd` in `dir` with closed stdin, killing it after [`WATCHDOG`].
fn run(mut cmd: Command, dir: &Path) -> Run {
    cmd.current_dir(dir)
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn().expect("spawn wt");
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > WATCHDOG {
            let _ = child.kill();
            let _ = child.wait();
            panic!("wt did not finish within {WATCHDOG:?}: it hangs on this input");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = start.elapsed();
    let stdout = String::from_utf8_lossy(&out_reader.join().expect("stdout reader")).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().expect("stderr reader")).into_owned();
    Run {
        code: status.code(),
        stdout,
        stderr,
        elapsed,
    }
}

/// Runs a hostile file through both output formats: JSON for the precise assertion, human
/// because its renderer is a code path of its own (and the default in a commit hook).
fn check_file(p: &Project, file: &str, needle: &str) -> (Run, Run) {
    let json = p.lint(&["--format", "json"]);
    json.assert_clean_failure(1);
    json.assert_wt000(file, needle);
    let human = p.lint(&[]);
    human.assert_clean_failure(1);
    human.assert_siblings_linted();
    assert!(human.stdout.contains("WT000"), "{}", tail(&human.stdout));
    assert!(human.stdout.contains(file), "{}", tail(&human.stdout));
    (json, human)
}

// ---- files ----------------------------------------------------------------------------

#[test]
fn empty_file() {
    let p = Project::new();
    p.write("templates/empty.toml", b"");
    check_file(&p, "templates/empty.toml", "empty");
    p.write("templates/empty.toml", b"\xEF\xBB\xBF \r\n\t\n");
    check_file(&p, "templates/empty.toml", "empty");
}

#[test]
fn binary_file() {
    let p = Project::new();
    // Deterministic "random" bytes with NULs, high bytes and control characters.
    let mut x: u32 = 0x9E37_79B9;
    let bytes: Vec<u8> = (0..4096)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            if i % 7 == 0 {
                0
            } else {
                (x >> 24) as u8
            }
        })
        .collect();
    p.write("templates/binary.toml", &bytes);
    check_file(&p, "templates/binary.toml", "UTF-8");
    // NUL bytes are valid UTF-8: the TOML parser must refuse them.
    p.write("templates/binary.toml", b"\0\0\0\0category\0=\0");
    check_file(&p, "templates/binary.toml", "invalid TOML");
}

#[test]
fn invalid_utf8_inside_a_string() {
    let p = Project::new();
    p.write(
        "templates/latin1.toml",
        b"category = \"utility\"\n[languages.en_US]\nbody = \"Ol\xE1 {{1}}, caf\xE9 pronto\"\n",
    );
    let (json, _) = check_file(&p, "templates/latin1.toml", "not valid UTF-8");
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    let d = v["diagnostics"]
        .as_array()
        .and_then(|a| a.iter().find(|d| d["file"] == "templates/latin1.toml"))
        .expect("WT000 on latin1.toml")
        .clone();
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(11))
    );
}

/// Terminal control sequences in a file must not reach the terminal raw.
#[test]
fn control_characters_are_not_echoed_to_the_terminal() {
    let p = Project::new();
    p.write(
        "templates/escape.toml",
        b"category = \"utility\"\n[languages.en_US]\nbody = \"\x1b]0;pwned\x07\x1b[2J {{1}} \xc2\x9b31m hi\"\r\n\x1b[31mbad = 1\rx = 2\n",
    );
    let r = p.lint(&[]);
    r.assert_clean_failure(1);
    r.assert_siblings_linted();
    assert!(r.stdout.contains("templates/escape.toml"));
    for c in ['\u{1b}', '\u{7}', '\u{9b}'] {
        assert!(
            !r.stdout.contains(c),
            "{c:?} from the file reached the terminal:\n{}",
            r.stdout.escape_debug()
        );
    }
}

#[test]
fn file_over_the_size_cap() {
    let p = Project::new();
    let mut big = b"category = \"utility\"\n# ".to_vec();
    big.resize(10 * 1024 * 1024, b'a');
    p.write("templates/huge.toml", &big);
    let r = p.lint_limited(&["--format", "json"]);
    r.assert_clean_failure(1);
    r.assert_wt000("templates/huge.toml", "at most");
    let r = p.lint_limited(&[]);
    r.assert_clean_failure(1);
    r.assert_siblings_linted();
}

/// Just under the cap: 100k body lines are linted (WT023) and the report stays short.
#[test]
fn hundred_thousand_line_body() {
    let p = Project::new();
    let mut s = String::from("category = \"utility\"\n\n[languages.en_US]\nbody = \"\"\"\nHello {{1}}, here is your order:\n");
    for i in 0..100_000 {
        s.push_str(&format!("line {i} of the body\n"));
    }
    s.push_str("\"\"\"\nexamples.body = [\"Maria\"]\n");
    assert!(s.len() < wt::template::MAX_FILE_BYTES, "{}", s.len());
    p.write("templates/long.toml", s.as_bytes());
    let r = p.lint_limited(&["--format", "json"]);
    r.assert_clean_failure(1);
    assert!(r.stdout.contains("WT023"), "{}", tail(&r.stdout));
    let r = p.lint_limited(&[]);
    r.assert_clean_failure(1);
    r.assert_siblings_linted();
    assert!(r.stdout.contains("templates/long.toml"));
    // A diagnostic over 100k lines shows its start, not the whole body.
    assert!(
        r.stdout.len() < 64 * 1024,
        "human report of {} bytes for one long body",
        r.stdout.len()
    );
}

/// Thousands of findings in one big file: each is rendered from a window of the file, so
/// the time is linear in the number of findings (it was quadratic: minutes for this file).
#[test]
fn ten_thousand_languages() {
    let p = Project::new();
    let mut s = String::from("category = \"utility\"\n");
    for i in 0..10_000 {
        s.push_str(&format!(
            "\n[languages.l{i}]\nbody = \"Hello {{{{1}}}}, your order is ready for pickup at the store today.\"\nexamples.body = [\"Maria\"]\n"
        ));
    }
    p.write("templates/babel.toml", s.as_bytes());
    let r = p.lint_limited(&["--format", "json"]);
    r.assert_clean_failure(1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(v["summary"]["templates"], 10_002);
    let r = p.lint_limited(&[]);
    r.assert_clean_failure(1);
    r.assert_siblings_linted();
    assert!(r.stdout.contains("WT123"), "{}", tail(&r.stdout));
}

/// A flood of findings in one file (a 1 MB body of `{{2}`; 4 MB gives a million): at most
/// 100 per rule and file are reported, the rest are counted in one more finding, and the
/// snippets on the long line are windows of it. At 4 MB it took 93 s and 850 MB in debug
/// and printed 200 MB of report; columns on the long line were counted from the line start
/// for every finding (quadratic).
#[test]
fn a_flood_of_findings_on_one_huge_line() {
    let p = Project::new();
    let mut s = String::from("category = \"utility\"\n[languages.en_US]\nbody = \"Hi {{1}} ");
    while s.len() < 1024 * 1024 {
        s.push_str("{{2}");
    }
    s.push_str("ok\"\nexamples.body = [\"Maria\"]\n");
    p.write("templates/wide.toml", s.as_bytes());
    let r = p.lint_limited(&["--format", "json"]);
    r.assert_clean_failure(1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let diags = v["diagnostics"].as_array().expect("diagnostics");
    let wt001: Vec<_> = diags.iter().filter(|d| d["code"] == "WT001").collect();
    assert_eq!(wt001.len(), wt::lint::MAX_FINDINGS_PER_RULE_AND_FILE + 1);
    let more = wt001
        .last()
        .and_then(|d| d["message"].as_str())
        .unwrap_or_default();
    assert!(more.starts_with("262"), "{more}");
    assert!(
        r.stdout.len() < 1024 * 1024,
        "{} bytes of JSON",
        r.stdout.len()
    );
    let r = p.lint_limited(&[]);
    r.assert_clean_failure(1);
    r.assert_siblings_linted();
    assert!(
        r.stdout.contains("more WT001 findings"),
        "{}",
        tail(&r.stdout)
    );
    assert!(
        r.stdout.len() < 1024 * 1024,
        "{} bytes of report",
        r.stdout.len()
    );
}

/// Every finding names its template: with a 1 MB `name` and a flood of findings that was a
/// 1 MB copy per finding (1.2 GB and 110 MB of JSON for a 3 MB file). Names are cut to 512
/// bytes in findings.
#[test]
fn megabyte_template_name_with_many_findings() {
    let p = Project::new();
    let mut s = format!(
        "name = \"{}\"\ncategory = \"utility\"\n[languages.en_US]\nbody = \"Hi {{{{1}}}} ",
        "x".repeat(1024 * 1024)
    );
    while s.len() < 1536 * 1024 {
        s.push_str("{{2}");
    }
    s.push_str("ok\"\nexamples.body = [\"Maria\"]\n");
    p.write("templates/vain.toml", s.as_bytes());
    let r = p.lint_limited(&["--format", "json"]);
    r.assert_clean_failure(1);
    assert!(
        r.stdout.len() < 16 * 1024 * 1024,
        "{} bytes of JSON",
        r.stdout.len()
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let longest = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["template"].as_str())
        .map(str::len)
        .max();
    assert_eq!(
        longest,
        Some(wt::lint::diagnostic::MAX_NAME_BYTES + "…".len())
    );
    let r = p.lint_limited(&[]);
    r.assert_clean_failure(1);
    r.assert_siblings_linted();
}

/// 50,000 named variables with a 50,000-key examples table: rules looked each name up by
/// scanning lists (minutes); they use sets now.
#[test]
fn fifty_thousand_named_variables() {
    let p = Project::new();
    let mut body = String::new();
    let mut examples = Vec::new();
    for i in 0..50_000 {
        body.push_str(&format!("word {{{{v{i}}}}} and "));
        examples.push(format!("v{i} = \"x{i}\""));
    }
    let s = format!(
        "category = \"utility\"\nparameter_format = \"named\"\n[languages.en_US]\nbody = \"Hello there, {body}end.\"\nexamples.body = {{ {} }}\n",
        examples.join(", ")
    );
    p.write("templates/names.toml", s.as_bytes());
    let r = p.lint_limited(&[]);
    r.assert_clean_failure(1);
    r.assert_siblings_linted();
}

/// A variable on each of 100,000 body lines: WT010 filtered every variable for every line
/// (over 100 s in debug); it walks lines and variables together now.
#[test]
fn a_variable_on_each_of_a_hundred_thousand_lines() {
    let p = Project::new();
    let s = format!(
        "category = \"utility\"\n[languages.en_US]\nbody = \"\"\"\nHello there friend,\n{}end.\"\"\"\nexamples.body = [\"Maria\"]\n",
        "x {{1}}\n".repeat(100_000)
    );
    p.write("templates/lines.toml", s.as_bytes());
    let r = p.lint_limited(&[]);
    r.assert_clean_failure(1);
    r.assert_siblings_linted();
    assert!(
        r.stdout.contains("more WT011 findings"),
        "{}",
        tail(&r.stdout)
    );
}

/// Thousands of suppression comments and findings in one file: each finding looks up only
/// the comments on its lines (it compared every finding with every comment: quadratic).
#[test]
fn thousands_of_suppressions() {
    let p = Project::new();
    let mut s = String::from(
        "# wt: ignore-file[WT009]\n# wt: ignore-file[WT009]\ncategory = \"utility\"\n",
    );
    let mut i = 0;
    while s.len() < 3_000_000 {
        s.push_str(&format!(
            "[languages.l{i}]#wt: ignore[WT123]\nbody=\"{{{{1}}}}\"#wt: ignore\n"
        ));
        i += 1;
    }
    p.write("templates/hush.toml", s.as_bytes());
    let r = p.lint_limited(&["--format", "json"]);
    r.assert_clean_failure(1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let diags = v["diagnostics"].as_array().expect("diagnostics");
    assert!(
        !diags.iter().any(|d| d["code"] == "WT123"),
        "suppressed WT123 reported"
    );
    let r = p.lint_limited(&[]);
    r.assert_clean_failure(1);
    r.assert_siblings_linted();
}

#[test]
fn deeply_nested_inline_tables_and_arrays() {
    let p = Project::new();
    let n = 10_000;
    let tables = format!(
        "category = \"utility\"\nx = {}1{}\n",
        "{a = ".repeat(n),
        "}".repeat(n)
    );
    p.write("templates/nested.toml", tables.as_bytes());
    check_file(&p, "templates/nested.toml", "invalid TOML");
    let arrays = format!(
        "category = \"utility\"\n[languages.en_US]\nbody = {}\"x\"{}\n",
        "[".repeat(n),
        "]".repeat(n)
    );
    p.write("templates/nested.toml", arrays.as_bytes());
    check_file(&p, "templates/nested.toml", "invalid TOML");
    let dotted = format!("category = \"utility\"\n{} = 1\n", vec!["a"; n].join("."));
    p.write("templates/nested.toml", dotted.as_bytes());
    let r = p.lint(&["--format", "json"]);
    r.assert_clean_failure(1);
}

// ---- paths ----------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn symlink_loops_in_the_templates_directory() {
    let p = Project::new();
    std::os::unix::fs::symlink("..", p.templates().join("loop")).expect("symlink");
    std::os::unix::fs::symlink(".", p.templates().join("self.toml")).expect("symlink");
    std::os::unix::fs::symlink("knot.toml", p.templates().join("knot.toml")).expect("symlink");
    check_file(&p, "templates/knot.toml", "cannot read");
}

/// Unreadable files and directories: as root they are readable, so run wt as `nobody`
/// through `setpriv` when it exists; otherwise skip with a message.
#[cfg(unix)]
#[test]
fn unreadable_file_and_directory() {
    use std::os::unix::fs::PermissionsExt;
    let p = Project::new();
    let secret = p.write("templates/secret.toml", GOOD.as_bytes());
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let locked = p.templates().join("locked");
    std::fs::create_dir(&locked).expect("mkdir");
    std::fs::write(locked.join("inner.toml"), BAD).expect("write");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");

    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let r = if !root {
        p.lint(&["--format", "json"])
    } else if Command::new("setpriv").arg("--version").output().is_ok() {
        // `nobody` needs to traverse the temporary directory and write nowhere.
        let mode = std::fs::Permissions::from_mode(0o755);
        std::fs::set_permissions(p.root(), mode.clone()).expect("chmod");
        std::fs::set_permissions(p.templates(), mode).expect("chmod");
        let mut cmd = Command::new("setpriv");
        cmd.args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--",
            env!("CARGO_BIN_EXE_wt"),
            "lint",
            "--format",
            "json",
        ]);
        run(cmd, p.root())
    } else {
        eprintln!("SKIPPED unreadable_file_and_directory: running as root without setpriv, chmod 000 does not stop root");
        return;
    };
    r.assert_clean_failure(1);
    r.assert_wt000("templates/secret.toml", "cannot read");
    r.assert_wt000("templates/locked", "cannot read the directory");
}

#[test]
fn directory_named_like_a_template() {
    let p = Project::new();
    std::fs::create_dir(p.templates().join("x.toml")).expect("mkdir");
    std::fs::write(p.templates().join("x.toml").join("inner.toml"), BAD).expect("write");
    check_file(&p, "templates/x.toml", "directory");
    // Passed explicitly, a directory is a directory to lint, whatever its name.
    let r = p.lint(&["--format", "json", "templates/x.toml", "templates/bad.toml"]);
    r.assert_clean_failure(1);
    assert!(
        r.stdout.contains("templates/x.toml/inner.toml"),
        "{}",
        r.stdout
    );
}

#[test]
fn missing_templates_directory_is_a_usage_error() {
    let p = Project::new();
    std::fs::remove_dir_all(p.templates()).expect("rm");
    let r = p.lint(&[]);
    r.assert_clean_failure(2);
    assert!(r.stderr.contains("templates directory"), "{}", r.all());
    // Configured in wt.toml, too.
    p.write("wt.toml", b"templates = \"nowhere\"\n");
    let r = p.lint(&[]);
    r.assert_clean_failure(2);
    assert!(r.stderr.contains("nowhere"), "{}", r.all());
}

#[test]
fn path_that_does_not_exist_is_a_usage_error() {
    let p = Project::new();
    let r = p.lint(&["templates/bad.toml", "templates/ghost.toml"]);
    r.assert_clean_failure(2);
    assert!(r.stderr.contains("templates/ghost.toml"), "{}", r.all());
}

#[cfg(unix)]
#[test]
fn fifo_named_like_a_template_does_not_hang() {
    let p = Project::new();
    let fifo = p.templates().join("pipe.toml");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("SKIPPED fifo_named_like_a_template_does_not_hang: no mkfifo");
        return;
    }
    check_file(&p, "templates/pipe.toml", "not a regular file");
    let r = p.lint(&[
        "--format",
        "json",
        "templates/pipe.toml",
        "templates/bad.toml",
    ]);
    r.assert_clean_failure(1);
    r.assert_wt000("templates/pipe.toml", "not a regular file");
}

#[cfg(unix)]
#[test]
fn endless_device_passed_as_a_path() {
    let p = Project::new();
    if !Path::new("/dev/zero").exists() {
        eprintln!("SKIPPED endless_device_passed_as_a_path: no /dev/zero");
        return;
    }
    std::os::unix::fs::symlink("/dev/zero", p.templates().join("zero.toml")).expect("symlink");
    let r = p.lint_limited(&["--format", "json", "/dev/zero", "templates/bad.toml"]);
    r.assert_clean_failure(1);
    r.assert_wt000("/dev/zero", "not a regular file");
    check_file(&p, "templates/zero.toml", "not a regular file");
}

/// The cap holds while reading, whatever the metadata said: an endless reader yields
/// "too large" after cap + 1 bytes.
#[test]
fn size_cap_is_enforced_while_reading() {
    use wt::commands::lint::read_at_most;
    let endless = std::io::repeat(b'a');
    assert!(read_at_most(endless, 1024).expect("read").is_none());
    let exact = std::io::repeat(b'a').take(1024);
    assert_eq!(
        read_at_most(exact, 1024).expect("read").map(|v| v.len()),
        Some(1024)
    );
}

// ---- regressions found by fuzzing -----------------------------------------------------

/// Every input that crashed a fuzz target, kept in `tests/fixtures/fuzz/<target>/`.
#[test]
fn fuzz_regressions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut n = 0;
    for target in ["text_parser", "template_loader", "lint_source"] {
        let Ok(dir) = std::fs::read_dir(root.join(target)) else {
            continue;
        };
        for entry in dir.flatten() {
            let bytes = std::fs::read(entry.path()).expect("read regression input");
            let text = String::from_utf8_lossy(&bytes);
            match target {
                "text_parser" => invariants::text_parser(&text),
                "template_loader" => invariants::template_loader(&text),
                _ => {
                    invariants::lint_source(&bytes);
                }
            }
            n += 1;
        }
    }
    eprintln!("{n} fuzz regression inputs checked");
}

// ---- properties (the fuzz targets' properties, on stable Rust) ------------------------

const KEYS: &[&str] = &[
    "name",
    "category",
    "parameter_format",
    "allow_category_change",
    "languages",
    "header",
    "body",
    "footer",
    "examples",
    "buttons",
    "add_security_recommendation",
    "code_expiration_minutes",
    "type",
    "text",
    "url",
    "example",
    "phone_number",
    "otp_type",
    "autofill_text",
    "package_name",
    "signature_hash",
    "supported_apps",
    "zero_tap_terms_accepted",
    "flow_id",
    "format",
    "en_US",
    "pt_BR",
    "bdy",
];

/// Text for template values: placeholders, broken braces, URLs, emoji, escapes' targets.
fn content() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("{{1}}".to_string()),
            Just("{{2}}".to_string()),
            Just("{{first_name}}".to_string()),
            Just("{{1}".to_string()),
            Just("{{{".to_string()),
            Just("}}".to_string()),
            Just("https://bit.ly/x".to_string()),
            Just("wa.me/1555".to_string()),
            Just("café ☕ 🎉".to_string()),
            Just("\u{200b}".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("\t".to_string()),
            Just("\\".to_string()),
            Just("\"".to_string()),
            Just("'".to_string()),
            Just("# wt: ignore[WT003]".to_string()),
            "[a-zA-Z ]{0,12}",
            "\\PC{0,4}",
        ],
        0..8,
    )
    .prop_map(|v| v.concat())
}

/// A TOML string literal of any kind holding `s`, escaped the way that kind needs (and
/// sometimes not, to produce broken literals too).
fn literal(s: String, kind: u8) -> String {
    let escape = |s: &str| {
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str(if i % 2 == 0 { "\\n" } else { "\\u000A" }),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if i % 5 == 3 => out.push_str(&format!("\\U{:08X}", c as u32)),
                c if i % 5 == 1 && (c as u32) < 0x10000 => {
                    out.push_str(&format!("\\u{:04x}", c as u32))
                }
                c => out.push(c),
            }
        }
        out
    };
    match kind % 6 {
        0 => format!("\"{}\"", escape(&s)),
        1 => format!("'{}'", s.replace(['\'', '\n', '\r'], "")),
        2 => format!("\"\"\"\n{}\"\"\"", escape(&s).replace("\\n", "\n")),
        3 => format!("'''\r\n{}'''", s.replace('\'', "")),
        4 => format!("\"\"\"{} \\\n   {}\"\"\"", escape(&s), escape(&s)),
        _ => format!("\"{s}\""),
    }
}

fn value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        (content(), any::<u8>()).prop_map(|(s, k)| literal(s, k)),
        Just("true".to_string()),
        Just("42".to_string()),
        Just("0x1F".to_string()),
        Just("1979-05-27".to_string()),
        Just("3.5".to_string()),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..4).prop_map(|v| {
                let kv: Vec<String> = v.into_iter().map(|(k, v)| format!("{k} = {v}")).collect();
                format!("{{ {} }}", kv.join(", "))
            }),
        ]
    })
}

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (prop::collection::vec(prop::sample::select(KEYS), 1..3), value())
            .prop_map(|(k, v)| format!("{} = {v}", k.join("."))),
        1 => prop::sample::select(KEYS).prop_map(|k| format!("[languages.{k}]")),
        1 => prop::sample::select(KEYS).prop_map(|k| format!("[[languages.{k}.buttons]]")),
        1 => Just("[languages.en_US]".to_string()),
        1 => Just("[[languages.en_US.buttons]]".to_string()),
        1 => Just("# wt: ignore-file[WT0, WT999]".to_string()),
        1 => "\\PC{0,12}",
    ]
}

/// A TOML-ish template file: mostly valid structure with random keys and values.
fn tomlish() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(line(), 0..12),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(lines, bom, crlf)| {
            let mut s = String::new();
            if bom {
                s.push('\u{feff}');
            }
            s.push_str("category = \"utility\"\n");
            let nl = if crlf { "\r\n" } else { "\n" };
            s.push_str(&lines.join(nl));
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        // Shrunk failures are kept by hand in tests/fixtures/fuzz, not in a file beside the test.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn text_parser_is_total(text in "(\\PC|[{}\n\r ]){0,120}") {
        invariants::text_parser(&text);
    }

    #[test]
    fn loader_never_panics_on_any_string(text in "\\PC{0,200}") {
        invariants::template_loader(&text);
    }

    #[test]
    fn loader_spans_in_bounds_on_tomlish_files(text in tomlish()) {
        invariants::template_loader(&text);
    }

    #[test]
    fn lint_and_render_any_tomlish_file(text in tomlish()) {
        invariants::lint_source(text.as_bytes());
    }

    #[test]
    fn lint_and_render_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        invariants::lint_source(&bytes);
    }

    /// The renderers take any report, even one whose spans are out of the file, inside a
    /// character or reversed (a rule's bug must not become a crash of the commit hook).
    #[test]
    fn render_any_report(
        texts in prop::collection::vec("(\\PC|[\n\r\t\u{1b}\u{0}é🎉]){0,60}", 1..3),
        diags in prop::collection::vec(
            (0usize..3, 0usize..200, 0usize..200, prop::sample::select(&["WT000", "WT003", "WT131", "WT009"][..]),
             "\\PC{0,20}", prop::option::of("\\PC{0,10}"), prop::collection::vec((0usize..3, 0usize..200, 0usize..200), 0..3)),
            0..6,
        ),
    ) {
        let sources: Vec<wt::source::SourceFile> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| wt::source::SourceFile::new(format!("templates/t{i}.toml"), t.clone()))
            .collect();
        let n = sources.len();
        let diagnostics = diags
            .into_iter()
            .map(|(file, a, b, code, message, help, related)| {
                let rule = wt::lint::rules::find(code).expect("known code");
                let mut d = wt::lint::diagnostic::Diagnostic::new(rule, file % n, a..b, message)
                    .template(Some("t"), help.as_deref());
                d.help = help;
                for (rf, ra, rb) in related {
                    d = d.related(wt::lint::diagnostic::Related {
                        file: rf % n,
                        span: ra..rb,
                        template: None,
                        language: None,
                        message: "other".into(),
                    });
                }
                d
            })
            .collect();
        let report = wt::lint::Report { diagnostics, files: n, templates: 1 };
        let ws = wt::lint::Workspace { sources, ..Default::default() };
        invariants::render_all(&ws, &report);
    }

    /// Valid UTF-8 with a few bytes broken anywhere: WT000 at the first bad byte.
    #[test]
    fn invalid_utf8_anywhere(text in tomlish(), at in any::<prop::sample::Index>(), bad in 0x80u8..=0xff) {
        let mut bytes = text.into_bytes();
        let i = at.index(bytes.len() + 1);
        bytes.insert(i, bad);
        let (ws, report) = invariants::lint_source(&bytes);
        if std::str::from_utf8(&bytes).is_err() {
            prop_assert!(report.diagnostics.iter().any(|d| d.code == "WT000"));
            prop_assert!(ws.templates.is_empty());
        }
    }
}
