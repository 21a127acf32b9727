//! Rule fixtures: every fixture under `tests/fixtures/rules/` declares what it must produce in
//! header comments, and the harness asserts the exact multiset of (code, severity, span text).
//!
//! ```toml
//! # expect: WT003 `{{3}}`          one line per expected finding: code and the exact bytes
//! # expect: WT123 warning `xx_YY`  a severity other than the rule's default is spelt out
//! # expect: WT009                  code only: any span (used when the span is a whole
//! #                                multi-line value that does not fit on one line)
//! # expect: none                   a near miss that must stay silent
//! # help: renumber `{{3}}` to `{{2}}`  the exact help of one of the findings (optional)
//! ```
//! The span text is everything between the first and the last backtick of the line, so it may
//! contain commas and backticks. Without a severity word the finding must have the rule's
//! default severity.
//!
//! Layout (the file stem *is* the template name, so it must itself pass WT120/WT130):
//! - `wt003_gap.toml`: one case per file, linted alone. The name starts with the lower-case
//!   rule code it is about plus `_`; a fixture that expects that code is a *trigger*, any
//!   other is a *near miss* (see `every_foundation_rule_has_a_triggering_fixture_and_a_near_miss`).
//! - `wt131_dup/a/welcome.toml` + `wt131_dup/b/welcome.toml`: a directory whose name starts
//!   with a code is one case; all its `*.toml` files are linted together (for rules that
//!   compare files, or that need a file name that is not `wtNNN_…`, such as WT120's
//!   `Order-Shipped.toml` or WT122's `test.toml`). Every file declares its own findings.
//!   The directory name is not a template name, so its code may be in either case.
//! - Files whose bytes matter (CRLF, BOM, invalid UTF-8) are kept as they are by the
//!   `tests/fixtures/** -text` line in `.gitattributes`.
//!
//! The content corpus under `tests/fixtures/content/` uses `# expect: WT080` (codes only);
//! its `clean/` files must produce no warning or error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use wt::commands::lint::lint_paths;
use wt::lint::diagnostic::Severity;
use wt::lint::{LintOptions, Report, Selection, Workspace};
use wt::render::HumanStyle;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Expect {
    code: String,
    severity: Severity,
    text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Found {
    code: String,
    severity: Severity,
    text: String,
    help: Option<String>,
}

fn default_severity(code: &str) -> Severity {
    wt::lint::rules::find(code).map_or(Severity::Error, |r| r.severity)
}

fn parse_severity(word: &str) -> Option<Severity> {
    match word {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "info" => Some(Severity::Info),
        _ => None,
    }
}

/// The `# expect:` lines of a fixture; `None` when it has none.
fn expectations(src: &str) -> Option<Vec<Expect>> {
    let mut out = Vec::new();
    let mut any = false;
    for line in src.lines() {
        let Some(rest) = line
            .trim_start_matches('\u{feff}')
            .trim()
            .strip_prefix("# expect:")
        else {
            continue;
        };
        any = true;
        let rest = rest.trim();
        if rest == "none" {
            continue;
        }
        let (head, text) = match (rest.find('`'), rest.rfind('`')) {
            (Some(a), Some(b)) if b > a => (&rest[..a], Some(rest[a + 1..b].to_string())),
            _ => (rest, None),
        };
        let mut words = head.split_whitespace();
        let code = words.next().unwrap_or_default().to_string();
        let severity = match words.next() {
            Some(w) => {
                parse_severity(w).unwrap_or_else(|| panic!("bad severity `{w}` in `{line}`"))
            }
            None => default_severity(&code),
        };
        out.push(Expect {
            code,
            severity,
            text,
        });
    }
    any.then_some(out)
}

/// The `# help:` lines of a fixture.
fn helps(src: &str) -> Vec<String> {
    src.lines()
        .filter_map(|l| {
            l.trim_start_matches('\u{feff}')
                .trim()
                .strip_prefix("# help:")
        })
        .map(|h| h.trim().to_string())
        .collect()
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

/// `wt003_…` / `WT131_…` → `WT003` / `WT131`.
fn code_prefix(name: &str) -> Option<String> {
    let (code, _) = name.split_once('_')?;
    let ok = code.len() == 5
        && code.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("wt"))
        && code.bytes().skip(2).all(|b| b.is_ascii_digit());
    ok.then(|| code.to_ascii_uppercase())
}

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            toml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
}

/// One fixture case: a single file, or a directory of files linted together.
#[derive(Debug)]
struct Case {
    code: String,
    path: PathBuf,
    files: Vec<PathBuf>,
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    let rd = std::fs::read_dir(root()).expect("tests/fixtures/rules exists");
    for e in rd.flatten() {
        let p = e.path();
        if !p.is_dir() && p.extension().is_none_or(|x| x != "toml") {
            continue; // notes such as a README may sit beside the fixtures
        }
        let name = e.file_name().to_string_lossy().to_string();
        let code = code_prefix(&name).unwrap_or_else(|| {
            panic!(
                "{}: fixture names start with a rule code and `_`",
                p.display()
            )
        });
        let mut files = Vec::new();
        if p.is_dir() {
            toml_files(&p, &mut files);
        } else if p.extension().is_some_and(|x| x == "toml") {
            files.push(p.clone());
        } else {
            continue;
        }
        files.sort();
        out.push(Case {
            code,
            path: p,
            files,
        });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// Lints `files` together with every rule.
fn lint(files: &[PathBuf]) -> (Workspace, Report) {
    let cwd = Path::new(env!("CARGO_MANIFEST_DIR"));
    let selection = Selection::new(&[], &[]).expect("ALL is a valid selection");
    lint_paths(cwd, files, &LintOptions::default(), &selection)
}

/// The findings of a lint run, per file (in the order of `files`).
fn findings(files: &[PathBuf]) -> Vec<Vec<Found>> {
    let (ws, report) = lint(files);
    let mut out = vec![Vec::new(); files.len()];
    for d in &report.diagnostics {
        let text = ws.sources[d.file]
            .text
            .get(d.span.clone())
            .unwrap_or("<bad span>")
            .to_string();
        out[d.file].push(Found {
            code: d.code.to_string(),
            severity: d.severity,
            text,
            help: d.help.clone(),
        });
    }
    out
}

fn matches(expect: &[Expect], found: &[Found]) -> bool {
    let mut found = found.to_vec();
    for e in expect {
        let pos = found.iter().position(|f| {
            f.code == e.code
                && f.severity == e.severity
                && e.text.as_ref().is_none_or(|x| *x == f.text)
        });
        match pos {
            Some(i) => {
                found.remove(i);
            }
            None => return false,
        }
    }
    found.is_empty()
}

#[test]
fn rule_fixtures_produce_exactly_what_they_declare() {
    let cases = cases();
    assert!(cases.len() >= 10, "fixtures missing: {}", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let found = findings(&case.files);
        for (f, found) in case.files.iter().zip(found) {
            let src = String::from_utf8_lossy(&std::fs::read(f).unwrap_or_default()).into_owned();
            let Some(expect) = expectations(&src) else {
                failures.push(format!("{}: no `# expect:` header", f.display()));
                continue;
            };
            if !matches(&expect, &found) {
                failures.push(format!(
                    "{}\n  expected: {expect:?}\n  found:    {found:?}",
                    f.display()
                ));
            }
            for help in helps(&src) {
                if !found
                    .iter()
                    .any(|f| f.help.as_deref() == Some(help.as_str()))
                {
                    let all: Vec<_> = found.iter().filter_map(|f| f.help.as_deref()).collect();
                    failures.push(format!(
                        "{}\n  expected help: {help:?}\n  found helps:   {all:?}",
                        f.display()
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_foundation_rule_has_a_triggering_fixture_and_a_near_miss() {
    let mut triggers: BTreeMap<String, usize> = BTreeMap::new();
    let mut near_miss: BTreeMap<String, usize> = BTreeMap::new();
    for case in cases() {
        let triggered = case.files.iter().any(|f| {
            let src = String::from_utf8_lossy(&std::fs::read(f).unwrap_or_default()).into_owned();
            expectations(&src)
                .unwrap_or_default()
                .iter()
                .any(|e| e.code == case.code)
        });
        let counter = if triggered {
            &mut triggers
        } else {
            &mut near_miss
        };
        *counter.entry(case.code).or_default() += 1;
    }
    let foundation = wt::lint::rules::all_rules().iter().filter(|r| {
        use wt::lint::rules::Family::*;
        matches!(
            r.family,
            Structure | Placeholders | Components | Buttons | Authentication | Examples
        )
    });
    let missing: Vec<String> = foundation
        .filter(|r| !triggers.contains_key(r.code) || !near_miss.contains_key(r.code))
        .map(|r| {
            format!(
                "{} (trigger: {}, near miss: {})",
                r.code,
                triggers.get(r.code).copied().unwrap_or(0),
                near_miss.get(r.code).copied().unwrap_or(0)
            )
        })
        .collect();
    assert!(missing.is_empty(), "rules without fixtures: {missing:#?}");
}

// ---- exact positions -----------------------------------------------------------------------

/// The JSON report of one fixture.
fn json_of(files: &[PathBuf]) -> serde_json::Value {
    let (ws, report) = lint(files);
    serde_json::from_str(&wt::render::json::lint(&report, &ws.sources))
        .expect("the JSON renderer prints JSON")
}

#[test]
fn json_line_and_column_count_characters_on_a_multi_byte_line() {
    let f = root().join("wt003_span_multibyte_line.toml");
    let json = json_of(std::slice::from_ref(&f));
    let diags = json["diagnostics"].as_array().expect("diagnostics array");
    assert_eq!(diags.len(), 1, "{json:#}");
    let d = &diags[0];
    let text = std::fs::read_to_string(&f).expect("fixture is UTF-8");
    let offset = text.rfind("{{3}}").expect("fixture has {{3}} in its body");
    let line_no = text[..offset].matches('\n').count() + 1;
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    // The line holds multi-byte characters before the placeholder, so bytes ≠ characters.
    assert!(
        offset - line_start > column - 1,
        "the fixture must have multi-byte characters before {{{{3}}}}"
    );
    assert_eq!(d["code"], "WT003");
    assert_eq!(d["line"], line_no);
    assert_eq!(d["column"], column);
    assert_eq!(d["span"]["offset"], offset);
    assert_eq!(d["span"]["length"], 5);
}

#[test]
fn json_column_ignores_the_bom_and_counts_crlf_lines() {
    // wt003_span_bom_crlf.toml: UTF-8 BOM, CRLF line endings, `{{3}}` in a multi-line string.
    let f = root().join("wt003_span_bom_crlf.toml");
    let bytes = std::fs::read(&f).expect("fixture exists");
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "the fixture must start with a BOM (check .gitattributes)"
    );
    assert!(
        bytes.windows(2).any(|w| w == b"\r\n"),
        "the fixture must have CRLF line endings (check .gitattributes)"
    );
    let json = json_of(&[f]);
    let d = &json["diagnostics"][0];
    let text = String::from_utf8(bytes).expect("UTF-8");
    let offset = text.rfind("{{3}}").expect("fixture has {{3}} in its body");
    let line_no = text[..offset].matches('\n').count() + 1;
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    assert_eq!(d["line"], line_no);
    assert_eq!(d["column"], text[line_start..offset].chars().count() + 1);
    assert_eq!(d["span"]["offset"], offset);

    // On the first line the BOM is not a column.
    let f = root().join("wt000_bom_unknown_key.toml");
    let json = json_of(&[f]);
    let d = &json["diagnostics"][0];
    assert_eq!(
        (d["code"].as_str(), d["line"].as_u64(), d["column"].as_u64()),
        (Some("WT000"), Some(1), Some(1)),
        "{json:#}"
    );
    assert_eq!(
        d["span"]["offset"], 3,
        "offsets are bytes on disk, BOM included"
    );
}

#[test]
fn invalid_utf8_is_reported_at_its_bytes_on_disk() {
    let f = root().join("wt000_invalid_utf8.toml");
    let bytes = std::fs::read(&f).expect("fixture exists");
    let at = bytes
        .iter()
        .position(|b| *b == 0xE9)
        .expect("fixture has a Latin-1 é");
    let json = json_of(&[f]);
    let d = &json["diagnostics"][0];
    assert_eq!(d["code"], "WT000");
    assert_eq!(d["span"]["offset"], at);
    assert_eq!(d["span"]["length"], 1, "one invalid byte on disk");
}

#[test]
fn a_zero_byte_file_is_one_wt000() {
    // A zero-byte fixture cannot carry an `# expect:` header, so it is made here.
    let dir = tempfile::tempdir().expect("temp dir");
    let f = dir.path().join("order_shipped.toml");
    std::fs::write(&f, b"").expect("write");
    let (ws, report) = lint(&[f]);
    let found: Vec<_> = report
        .diagnostics
        .iter()
        .map(|d| (d.code, d.span.clone(), d.message.as_str()))
        .collect();
    assert_eq!(found, [("WT000", 0..0, "the file is empty")]);
    assert_eq!(ws.templates.len(), 0);
}

// ---- rendered output ------------------------------------------------------------------------

fn human(files: &[&str]) -> String {
    let files: Vec<PathBuf> = files.iter().map(|f| root().join(f)).collect();
    let (ws, report) = lint(&files);
    wt::render::human(
        &report,
        &ws.sources,
        HumanStyle {
            color: false,
            width: 80,
        },
    )
}

fn json_text(files: &[&str]) -> String {
    let files: Vec<PathBuf> = files.iter().map(|f| root().join(f)).collect();
    let (ws, report) = lint(&files);
    wt::render::json::lint(&report, &ws.sources)
}

/// Snapshots live in `tests/snapshots/rules__<name>.snap`; paths in them are relative to the
/// package root, so they do not depend on where the checkout is.
macro_rules! snapshot {
    ($name:literal, $value:expr) => {
        insta::assert_snapshot!($name, $value)
    };
}

#[test]
fn human_output_snapshots() {
    snapshot!("human_wt003_gap", human(&["wt003_gap.toml"]));
    snapshot!(
        "human_wt001_malformed_braces",
        human(&["wt001_malformed_braces.toml"])
    );
    snapshot!(
        "human_wt000_unknown_key",
        human(&["wt000_unknown_key.toml"])
    );
    snapshot!(
        "human_wt000_syntax_error",
        human(&["wt000_syntax_error.toml"])
    );
    snapshot!(
        "human_wt050_quick_replies_split",
        human(&["wt050_quick_replies_split.toml"])
    );
    snapshot!(
        "human_wt101_zero_tap_incomplete",
        human(&["wt101_zero_tap_incomplete.toml"])
    );
    snapshot!(
        "human_wt131_dup",
        human(&["wt131_dup/a/welcome.toml", "wt131_dup/b/welcome.toml"])
    );
}

#[test]
fn json_output_snapshots() {
    snapshot!("json_wt003_gap", json_text(&["wt003_gap.toml"]));
    snapshot!(
        "json_wt131_dup",
        json_text(&["wt131_dup/a/welcome.toml", "wt131_dup/b/welcome.toml"])
    );
}

// ---- content corpus (links, policy, category fit, language) -------------------------------

/// Template files under `dir` (relative to the crate), `wt.toml` excluded, sorted.
fn fixtures(dir: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    toml_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), &mut out);
    out.retain(|p| p.file_name().is_some_and(|n| n != "wt.toml"));
    out.sort();
    out
}

/// The content corpus labels a file with codes only: `# expect: WT080` or
/// `# expect: WT080, WT065` (see tests/fixtures/content/README.md).
fn content_codes(src: &str) -> Option<std::collections::BTreeSet<String>> {
    let mut out = std::collections::BTreeSet::new();
    let mut any = false;
    for line in src.lines() {
        if let Some(rest) = line
            .trim_start_matches('\u{feff}')
            .trim()
            .strip_prefix("# expect:")
        {
            any = true;
            out.extend(
                rest.split(',')
                    .map(str::trim)
                    .filter(|c| !c.is_empty() && *c != "none")
                    .map(str::to_ascii_uppercase),
            );
        }
    }
    any.then_some(out)
}

/// The content rule families: a bad file must produce exactly its declared codes among these.
fn is_content_code(code: &str) -> bool {
    use wt::lint::rules::Family::*;
    wt::lint::rules::find(code)
        .is_some_and(|r| matches!(r.family, Links | Policy | CategoryFit | Language))
}

/// Lints one file with the `[lint]` options of the `wt.toml` beside it, if any.
fn content_findings(path: &Path) -> Vec<(String, String, Severity)> {
    let cwd = Path::new(env!("CARGO_MANIFEST_DIR"));
    let options = match path
        .parent()
        .map(|d| d.join("wt.toml"))
        .filter(|p| p.is_file())
    {
        Some(cfg) => {
            let config = wt::config::Config::load(Some(&cfg), cwd).expect("fixture wt.toml loads");
            wt::commands::lint::lint_options(&config)
        }
        None => LintOptions::default(),
    };
    let selection = Selection::new(&[], &[]).expect("ALL is a valid selection");
    let (ws, report) = lint_paths(cwd, &[path.to_path_buf()], &options, &selection);
    report
        .diagnostics
        .iter()
        .map(|d| {
            let text = ws.sources[d.file]
                .text
                .get(d.span.clone())
                .unwrap_or("<bad span>")
                .to_string();
            (d.code.to_string(), text, d.severity)
        })
        .collect()
}

#[test]
fn clean_content_corpus_has_no_warning_or_error() {
    let files = fixtures("tests/fixtures/content/clean");
    assert!(files.len() >= 20, "clean corpus too small: {}", files.len());
    let mut failures = Vec::new();
    for f in &files {
        let found: Vec<_> = content_findings(f)
            .into_iter()
            .filter(|(_, _, s)| *s >= Severity::Warning)
            .collect();
        if !found.is_empty() {
            failures.push(format!("{}\n  found: {found:?}", f.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} clean file(s) with findings:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn bad_content_corpus_produces_exactly_the_declared_codes() {
    let files = fixtures("tests/fixtures/content/bad");
    assert!(files.len() >= 40, "bad corpus too small: {}", files.len());
    let mut failures = Vec::new();
    for f in &files {
        let src = std::fs::read_to_string(f).unwrap_or_default();
        let Some(want) = content_codes(&src) else {
            failures.push(format!("{}: no `# expect:` header", f.display()));
            continue;
        };
        let found = content_findings(f);
        let got: std::collections::BTreeSet<String> = found
            .iter()
            .filter(|(c, _, _)| is_content_code(c))
            .map(|(c, _, _)| c.clone())
            .collect();
        let other: Vec<_> = found
            .iter()
            .filter(|(c, _, s)| !is_content_code(c) && *s >= Severity::Warning)
            .collect();
        if want != got || !other.is_empty() {
            failures.push(format!(
                "{}\n  expected: {want:?}\n  found:    {found:?}",
                f.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} bad file(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_content_rule_fires_in_english_spanish_and_portuguese() {
    let files = fixtures("tests/fixtures/content/bad");
    let mut seen: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let stem = f
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let mut parts = stem.split('_');
        let (Some(code), Some(lang)) = (parts.next(), parts.next()) else {
            continue;
        };
        let src = std::fs::read_to_string(f).unwrap_or_default();
        let declared = content_codes(&src).unwrap_or_default();
        if declared.iter().any(|c| c.eq_ignore_ascii_case(code)) {
            seen.entry(code.to_ascii_uppercase())
                .or_default()
                .insert(lang.to_string());
        }
    }
    let missing: Vec<String> = wt::lint::rules::all_rules()
        .iter()
        .filter(|r| is_content_code(r.code))
        .filter(|r| {
            let langs = seen.get(r.code).cloned().unwrap_or_default();
            !["en", "es", "pt"].iter().all(|l| langs.contains(*l))
        })
        .map(|r| format!("{} {:?}", r.code, seen.get(r.code)))
        .collect();
    assert!(
        missing.is_empty(),
        "content rules without a bad fixture in en, es and pt: {missing:#?}"
    );
}
