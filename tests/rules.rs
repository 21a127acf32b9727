//! Rule fixtures: every `tests/fixtures/rules/*.toml` declares what it must produce in header
//! comments, and the harness asserts the exact set of (code, span text) pairs.
//!
//! ```toml
//! # expect: WT003 `{{3}}`      one line per expected finding: code and the exact bytes
//! # expect: WT009              code only, when the span is the whole body
//! # expect: none               a near miss that must stay silent
//! ```
//! The content corpus under `tests/fixtures/content/` uses `# expect: WT080` (codes only);
//! its `clean/` files must produce no warning or error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use wt::commands::lint::lint_paths;
use wt::lint::diagnostic::Severity;
use wt::lint::{LintOptions, Selection};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Expect {
    code: String,
    text: Option<String>,
}

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
        for item in rest.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if item == "none" {
                continue;
            }
            let (code, text) = match item.split_once(' ') {
                Some((c, t)) => {
                    let t = t.trim();
                    let t = t
                        .strip_prefix('`')
                        .and_then(|t| t.strip_suffix('`'))
                        .unwrap_or(t);
                    (c.to_string(), Some(t.to_string()))
                }
                None => (item.to_string(), None),
            };
            out.push(Expect { code, text });
        }
    }
    any.then_some(out)
}

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "toml")
                && p.file_name().is_some_and(|n| n != "wt.toml")
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Lints one file alone with every rule and returns (code, span text, severity) findings.
fn findings(path: &Path) -> Vec<(String, String, Severity)> {
    let cwd = Path::new(env!("CARGO_MANIFEST_DIR"));
    let selection = Selection::new(&[], &[]).expect("ALL is a valid selection");
    let (ws, report) = lint_paths(
        cwd,
        &[path.to_path_buf()],
        &LintOptions::default(),
        &selection,
    );
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

fn matches(expect: &[Expect], found: &[(String, String, Severity)]) -> bool {
    let mut found: Vec<(String, String)> = found
        .iter()
        .map(|(c, t, _)| (c.clone(), t.clone()))
        .collect();
    for e in expect {
        let pos = found
            .iter()
            .position(|(c, t)| *c == e.code && e.text.as_ref().is_none_or(|x| x == t));
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
    let files = fixtures("tests/fixtures/rules");
    assert!(files.len() >= 10, "fixtures missing: {}", files.len());
    let mut failures = Vec::new();
    for f in &files {
        let src = std::fs::read_to_string(f).unwrap_or_default();
        let Some(expect) = expectations(&src) else {
            failures.push(format!("{}: no `# expect:` header", f.display()));
            continue;
        };
        let found = findings(f);
        if !matches(&expect, &found) {
            failures.push(format!(
                "{}\n  expected: {expect:?}\n  found:    {found:?}",
                f.display()
            ));
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
    let files = fixtures("tests/fixtures/rules");
    let mut triggers: BTreeMap<String, usize> = BTreeMap::new();
    let mut near_miss: BTreeMap<String, usize> = BTreeMap::new();
    for f in &files {
        let name = f
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let code = name.split('_').next().unwrap_or_default().to_string();
        let src = std::fs::read_to_string(f).unwrap_or_default();
        let expect = expectations(&src).unwrap_or_default();
        if expect.iter().any(|e| e.code == code) {
            *triggers.entry(code).or_default() += 1;
        } else {
            *near_miss.entry(code).or_default() += 1;
        }
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
