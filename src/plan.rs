//! What `sync` would do: local templates against the account, per (name, language).

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;
use serde_json::Value;

use crate::convert::{components, normalize, Part};
use crate::template::{Language, Template};

/// A template as the account has it (the fields `plan` needs).
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteEntry {
    pub id: String,
    pub name: String,
    pub language: String,
    pub status: String,
    pub category: String,
    pub components: Vec<Value>,
    pub quality_score: Option<String>,
    pub rejected_reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Update,
    Unchanged,
    RemoteOnly,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentDiff {
    pub component: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// One (name, language) and what to do with it.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub name: String,
    pub language: String,
    pub action: Action,
    pub remote_id: Option<String>,
    pub remote_status: Option<String>,
    pub remote_category: Option<String>,
    /// The category the file declares (upper case), for creates and updates.
    #[serde(skip)]
    pub local_category: Option<String>,
    pub diff: Vec<ComponentDiff>,
    /// Why Meta may refuse or penalise this change (category lock, edit budget, …).
    pub warnings: Vec<String>,
    /// Whether this change can be applied by `sync` (false: it would certainly be refused).
    #[serde(skip)]
    pub blocked: bool,
}

/// Statuses whose (name, language) cannot be created again for now (meta/api.md §1.5).
const DELETING: &[&str] = &["PENDING_DELETION", "DELETED"];
/// Statuses Meta lets you edit (meta/api.md §1.4).
const EDITABLE: &[&str] = &["APPROVED", "REJECTED", "PAUSED"];

/// Compares local templates with the account. `names` limits the plan to those template
/// names (empty = all). Output is sorted by (name, language).
pub fn plan(local: &[&Template], remote: &[RemoteEntry], names: &[String]) -> Vec<Change> {
    let wanted = |n: &str| names.is_empty() || names.iter().any(|x| x == n);
    let mut by_key: BTreeMap<(String, String), &RemoteEntry> = BTreeMap::new();
    for r in remote {
        // Several entries for one key happen while an old one is being deleted; prefer the
        // live one.
        let key = (r.name.clone(), r.language.clone());
        match by_key.get(&key) {
            Some(existing) if !DELETING.contains(&existing.status.as_str()) => {}
            _ => {
                by_key.insert(key, r);
            }
        }
    }
    let mut seen: HashSet<(String, String)> = HashSet::new();
    let mut out = Vec::new();
    for t in local.iter().filter(|t| wanted(&t.name)) {
        for lang in &t.languages {
            let key = (t.name.clone(), lang.code.clone());
            seen.insert(key.clone());
            out.push(compare(t, lang, by_key.get(&key).copied()));
        }
    }
    for (key, r) in &by_key {
        if seen.contains(key) || !wanted(&r.name) || DELETING.contains(&r.status.as_str()) {
            continue;
        }
        out.push(Change {
            name: r.name.clone(),
            language: r.language.clone(),
            action: Action::RemoteOnly,
            remote_id: Some(r.id.clone()),
            remote_status: Some(r.status.clone()),
            remote_category: Some(r.category.clone()),
            local_category: None,
            diff: Vec::new(),
            warnings: Vec::new(),
            blocked: false,
        });
    }
    out.sort_by(|a, b| (&a.name, &a.language).cmp(&(&b.name, &b.language)));
    out
}

fn compare(t: &Template, lang: &Language, remote: Option<&RemoteEntry>) -> Change {
    let local_category = t.category.map(|c| c.as_meta().to_string());
    let mut change = Change {
        name: t.name.clone(),
        language: lang.code.clone(),
        action: Action::Create,
        remote_id: None,
        remote_status: None,
        remote_category: None,
        local_category: local_category.clone(),
        diff: Vec::new(),
        warnings: Vec::new(),
        blocked: false,
    };
    let Some(r) = remote else {
        return change;
    };
    change.remote_status = Some(r.status.clone());
    change.remote_category = Some(r.category.clone());
    if DELETING.contains(&r.status.as_str()) {
        change.warnings.push(format!(
            "`{}` ({}) is being deleted on Meta's side: the name cannot be reused for up to 30 days (error 2388023); rename the template",
            t.name, lang.code
        ));
        change.blocked = true;
        return change;
    }
    change.remote_id = Some(r.id.clone());
    let local_parts = normalize(local_category.as_deref(), &components(t, lang));
    let remote_parts = normalize(Some(&r.category), &r.components);
    change.diff = diff_parts(&local_parts, &remote_parts);
    if t.category == Some(crate::template::Category::Authentication) {
        // Meta rewrites authentication templates into its preset text and may not echo the
        // security line or expiry back (meta/api.md §8): compare only what both sides state.
        change
            .diff
            .retain(|d| d.before.is_some() && d.after.is_some());
    }
    let category_differs = local_category
        .as_deref()
        .is_some_and(|c| !c.eq_ignore_ascii_case(&r.category));
    if category_differs {
        if t.allow_category_change
            || local_category.as_deref() == Some("UTILITY")
                && r.category.eq_ignore_ascii_case("MARKETING")
        {
            // Meta re-filed it (meta/api.md §6.2); not a change wt can make.
            change.warnings.push(format!(
                "Meta files this template as {} while the file says {}; editing cannot change that, and `wt lint` explains what reads as {}",
                r.category,
                local_category.as_deref().unwrap_or("?"),
                r.category.to_lowercase()
            ));
        } else {
            change.diff.insert(
                0,
                ComponentDiff {
                    component: "category".into(),
                    before: Some(r.category.clone()),
                    after: local_category.clone(),
                },
            );
        }
    }
    if change.diff.is_empty() {
        change.action = Action::Unchanged;
        return change;
    }
    change.action = Action::Update;
    let status = r.status.as_str();
    if change.diff.iter().any(|d| d.component == "category") && status == "APPROVED" {
        change.warnings.push("the category of an APPROVED template cannot be edited (meta/api.md §1.4): create it under a new name".into());
        change.blocked = true;
    }
    if !EDITABLE.contains(&status) {
        change.warnings.push(format!(
            "a {status} template cannot be edited until Meta finishes reviewing it (error 2388039); run `wt status --wait` first"
        ));
        change.blocked = true;
    } else if status == "APPROVED" {
        change.warnings.push(
            "editing an APPROVED template sends it back to review and uses its edit budget: 1 edit per 24 hours, 10 per 30 days (meta/api.md §1.4)".into(),
        );
    }
    change
}

/// Per-component differences; `before` is the account, `after` the file.
fn diff_parts(local: &[Part], remote: &[Part]) -> Vec<ComponentDiff> {
    let mut out = Vec::new();
    let mut keys: Vec<&str> = Vec::new();
    for (k, _) in local.iter().chain(remote) {
        if !keys.contains(&k.as_str()) {
            keys.push(k);
        }
    }
    for k in keys {
        let l = local.iter().find(|(c, _)| c == k).map(|(_, v)| v.clone());
        let r = remote.iter().find(|(c, _)| c == k).map(|(_, v)| v.clone());
        if l != r {
            out.push(ComponentDiff {
                component: k.to_string(),
                before: r,
                after: l,
            });
        }
    }
    out
}

/// Counts for the summary line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub create: usize,
    pub update: usize,
    pub unchanged: usize,
    pub remote_only: usize,
}

pub fn counts(changes: &[Change]) -> Counts {
    let mut c = Counts::default();
    for ch in changes {
        match ch.action {
            Action::Create => c.create += 1,
            Action::Update => c.update += 1,
            Action::Unchanged => c.unchanged += 1,
            Action::RemoteOnly => c.remote_only += 1,
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;
    use serde_json::json;

    fn load(name: &str, text: &str) -> Template {
        let src = SourceFile::new(format!("{name}.toml"), text.to_string());
        crate::template::load(0, &src, name)
            .template
            .expect("loads")
    }

    fn remote(name: &str, status: &str, category: &str, body: &str) -> RemoteEntry {
        RemoteEntry {
            id: format!("id_{name}"),
            name: name.into(),
            language: "en_US".into(),
            status: status.into(),
            category: category.into(),
            components: vec![json!({"type": "BODY", "text": body})],
            quality_score: None,
            rejected_reason: None,
        }
    }

    const BODY: &str = "Your order is on its way and arrives tomorrow.";

    fn local(name: &str, body: &str) -> Template {
        load(
            name,
            &format!("category = \"utility\"\n[languages.en_US]\nbody = \"{body}\"\n"),
        )
    }

    #[test]
    fn create_update_unchanged_remote_only() {
        let a = local("a", BODY);
        let b = local("b", "Your order is on its way and arrives on Monday.");
        let c = local("c", BODY);
        let remote = vec![
            remote("b", "APPROVED", "UTILITY", BODY),
            remote("c", "APPROVED", "utility", BODY),
            remote("d", "APPROVED", "MARKETING", BODY),
        ];
        let changes = plan(&[&a, &b, &c], &remote, &[]);
        let actions: Vec<_> = changes
            .iter()
            .map(|c| (c.name.as_str(), c.action))
            .collect();
        assert_eq!(
            actions,
            [
                ("a", Action::Create),
                ("b", Action::Update),
                ("c", Action::Unchanged),
                ("d", Action::RemoteOnly)
            ]
        );
        assert_eq!(changes[1].diff[0].component, "body");
        assert_eq!(changes[1].diff[0].before.as_deref(), Some(BODY));
        assert!(changes[1]
            .warnings
            .iter()
            .any(|w| w.contains("edit budget")));
        assert_eq!(
            counts(&changes),
            Counts {
                create: 1,
                update: 1,
                unchanged: 1,
                remote_only: 1
            }
        );
    }

    #[test]
    fn pending_edit_and_approved_category_change_are_blocked() {
        let b = local("b", "Your order is on its way and arrives on Monday.");
        let changes = plan(&[&b], &[remote("b", "PENDING", "UTILITY", BODY)], &[]);
        assert!(changes[0].blocked);
        let m = load(
            "m",
            &format!("category = \"marketing\"\n[languages.en_US]\nbody = \"{BODY}\"\n"),
        );
        let changes = plan(&[&m], &[remote("m", "APPROVED", "UTILITY", BODY)], &[]);
        assert_eq!(changes[0].action, Action::Update);
        assert!(changes[0].blocked, "{:?}", changes[0].warnings);
    }

    #[test]
    fn meta_recategorised_utility_is_not_an_update() {
        let a = local("a", BODY);
        let changes = plan(&[&a], &[remote("a", "APPROVED", "MARKETING", BODY)], &[]);
        assert_eq!(changes[0].action, Action::Unchanged);
        assert!(changes[0].warnings[0].contains("MARKETING"));
    }

    #[test]
    fn names_filter_and_deleting_entries() {
        let a = local("a", BODY);
        let changes = plan(
            &[&a],
            &[
                remote("a", "PENDING_DELETION", "UTILITY", BODY),
                remote("z", "APPROVED", "UTILITY", BODY),
            ],
            &["a".into()],
        );
        assert_eq!(changes.len(), 1);
        assert!(changes[0].blocked && changes[0].warnings[0].contains("30 days"));
    }
}
