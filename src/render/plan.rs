//! `wt plan` output: terraform-like text with per-component word diffs, and SPEC §5 JSON.

use std::fmt::Write as _;
use std::time::Duration;

use serde::Serialize;
use similar::{Algorithm, ChangeTag, TextDiff};

use crate::plan::{counts, Action, Change};

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const BOLD: &str = "\x1b[1m";
const REVERSE: &str = "\x1b[7m";
const RESET: &str = "\x1b[0m";

/// Human plan. `verbose` also lists unchanged templates.
pub fn human(changes: &[Change], prune: bool, color: bool, verbose: bool) -> String {
    let paint = |code: &str, s: &str| {
        if color {
            format!("{code}{s}{RESET}")
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    for c in changes {
        let status = c
            .remote_status
            .as_deref()
            .map(|s| format!("  [{s}]"))
            .unwrap_or_default();
        match c.action {
            Action::Create => {
                let _ = writeln!(
                    out,
                    "{} {} ({}){}",
                    paint(GREEN, "+ create     "),
                    c.name,
                    c.language,
                    status
                );
            }
            Action::Update => {
                let _ = writeln!(
                    out,
                    "{} {} ({}){}",
                    paint(YELLOW, "~ update     "),
                    c.name,
                    c.language,
                    status
                );
                for d in &c.diff {
                    let _ = writeln!(out, "    {}", paint(BOLD, &d.component));
                    out.push_str(&word_diff(
                        d.before.as_deref().unwrap_or(""),
                        d.after.as_deref().unwrap_or(""),
                        color,
                    ));
                }
            }
            Action::Unchanged => {
                if verbose || !c.warnings.is_empty() {
                    let _ = writeln!(out, "  unchanged    {} ({}){}", c.name, c.language, status);
                }
            }
            Action::RemoteOnly => {
                let what = if prune {
                    paint(RED, "- delete     ")
                } else {
                    paint(RED, "- remote only")
                };
                let hint = if prune {
                    ""
                } else {
                    "  (`wt sync --prune` deletes it)"
                };
                let _ = writeln!(out, "{what} {} ({}){status}{hint}", c.name, c.language);
            }
        }
        for w in &c.warnings {
            let _ = writeln!(out, "    {} {w}", paint(YELLOW, "!"));
        }
    }
    let n = counts(changes);
    let delete = if prune { n.remote_only } else { 0 };
    let mut summary = format!(
        "{} to create, {} to update, {delete} to delete, {} unchanged",
        n.create, n.update, n.unchanged
    );
    if !prune && n.remote_only > 0 {
        let _ = write!(summary, ", {} remote-only", n.remote_only);
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&summary);
    out.push('\n');
    out
}

/// `- before` / `+ after` lines; on a terminal the changed words are highlighted.
fn word_diff(before: &str, after: &str, color: bool) -> String {
    let mut out = String::new();
    if !color {
        for (sign, text) in [("-", before), ("+", after)] {
            for line in text.split('\n') {
                let _ = writeln!(out, "      {sign} {line}");
            }
        }
        return out;
    }
    // Patience, set explicitly (similar changed its defaults between releases), with a
    // timeout like insta's so a pathological body cannot stall the plan.
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .timeout(Duration::from_millis(500))
        .diff_words(before, after);
    let mut minus = String::new();
    let mut plus = String::new();
    for change in diff.iter_all_changes() {
        let v = change.value();
        match change.tag() {
            ChangeTag::Equal => {
                minus.push_str(v);
                plus.push_str(v);
            }
            ChangeTag::Delete => {
                let _ = write!(minus, "{REVERSE}{v}{RESET}{RED}");
            }
            ChangeTag::Insert => {
                let _ = write!(plus, "{REVERSE}{v}{RESET}{GREEN}");
            }
        }
    }
    for line in minus.split('\n') {
        let _ = writeln!(out, "      {RED}- {line}{RESET}");
    }
    for line in plus.split('\n') {
        let _ = writeln!(out, "      {GREEN}+ {line}{RESET}");
    }
    out
}

#[derive(Serialize)]
struct PlanJson<'a> {
    version: u32,
    changes: &'a [Change],
}

/// SPEC §5: `{"version":1,"changes":[{"name","language","action","remote_id","remote_status","diff":[…]}]}`.
pub fn json(changes: &[Change]) -> String {
    let mut s = serde_json::to_string_pretty(&PlanJson {
        version: 1,
        changes,
    })
    .unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::ComponentDiff;

    fn change(action: Action) -> Change {
        Change {
            name: "order_shipped".into(),
            language: "en_US".into(),
            action,
            remote_id: Some("1".into()),
            remote_status: Some("APPROVED".into()),
            remote_category: Some("UTILITY".into()),
            local_category: Some("UTILITY".into()),
            diff: vec![ComponentDiff {
                component: "body".into(),
                before: Some("Your order ships today".into()),
                after: Some("Your order ships tomorrow".into()),
            }],
            warnings: vec![],
            blocked: false,
        }
    }

    #[test]
    fn summary_and_plain_diff() {
        let text = human(
            &[
                change(Action::Update),
                change(Action::Create),
                change(Action::RemoteOnly),
            ],
            false,
            false,
            false,
        );
        assert!(
            text.contains("~ update      order_shipped (en_US)  [APPROVED]"),
            "{text}"
        );
        assert!(
            text.contains("      - Your order ships today\n      + Your order ships tomorrow"),
            "{text}"
        );
        assert!(
            text.ends_with("1 to create, 1 to update, 0 to delete, 0 unchanged, 1 remote-only\n"),
            "{text}"
        );
        assert!(!text.contains('\x1b'));
        let pruned = human(&[change(Action::RemoteOnly)], true, false, false);
        assert!(
            pruned.ends_with("0 to create, 0 to update, 1 to delete, 0 unchanged\n"),
            "{pruned}"
        );
    }

    #[test]
    fn colour_highlights_the_changed_word_only() {
        let text = word_diff("Your order ships today", "Your order ships tomorrow", true);
        assert!(text.contains(&format!("{REVERSE}today{RESET}")), "{text:?}");
        assert!(!text.contains(&format!("{REVERSE}Your")), "{text:?}");
    }

    #[test]
    fn json_shape() {
        let v: serde_json::Value = serde_json::from_str(&json(&[change(Action::Update)])).unwrap();
        assert_eq!(v["version"], 1);
        assert_eq!(v["changes"][0]["action"], "update");
        assert_eq!(v["changes"][0]["diff"][0]["component"], "body");
        assert_eq!(v["changes"][0]["remote_status"], "APPROVED");
    }
}
