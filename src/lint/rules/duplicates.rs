//! Duplicates: WT127 (exact, after normalisation) and WT128 (near, by similarity). These are
//! corpus-wide: they see every template of the workspace (and, with `--remote`, the
//! account) and report only in the files asked for.

use std::collections::{HashMap, HashSet};

use crate::lint::diagnostic::{clip_name, Diagnostic, FileId, Related};
use crate::lint::rules::declare_rules;
use crate::lint::{LintOptions, Selection, Workspace};
use crate::similarity::{normalize, similar_pairs, similar_pairs_involving};
use crate::template::{Category, Str};

declare_rules! {
    /// ## What it does
    /// Finds two templates of the same language (not authentication) whose body and footer are
    /// the same after normalisation: every placeholder counts as the same token, case is
    /// ignored and runs of whitespace are one space.
    ///
    /// ## Why Meta rejects it
    /// "Same body and footer wording as an existing template in the WABA" is a documented
    /// rejection cause (meta/api.md §6.1); authentication templates are exempt.
    ///
    /// ## Example
    /// `order_ready.toml`: `body = "Hi {{1}}, your order is ready."` and
    /// `pickup_ready.toml`: `body = "Hi {{1}}, your order is READY."`
    ///
    /// Use instead:
    /// one template, used for both purposes, or wording that says what differs.
    WT127 = ("WT127", "duplicate-template", Error, Duplicates, "same normalised body + footer as another template of the same language");

    /// ## What it does
    /// Finds two templates of the same language (not authentication) whose normalised bodies
    /// are at least `duplicate_threshold` similar (default 0.90). Similarity is
    /// `1 - levenshtein(a, b) / max(len a, len b)` over Unicode scalar values, computed
    /// exactly (RULES.md).
    ///
    /// ## Why it matters
    /// Meta treats many near-identical templates as spam and rejects duplicates of existing
    /// wording; at 0.90 two 200-character bodies differ by at most 20 characters, which is a
    /// changed date or a reordered clause, not a different message.
    ///
    /// ## Example
    /// `body = "Your order {{1}} has shipped and will arrive on {{2}}. Thank you."` and
    /// `body = "Your order {{1}} was shipped and will arrive on {{2}}. Thank you!"`
    ///
    /// Use instead:
    /// keep one of the two, or raise `duplicate_threshold` in wt.toml if your wording
    /// genuinely needs both.
    WT128 = ("WT128", "near-duplicate-template", Warning, Duplicates, "normalised body similarity >= duplicate_threshold to another template of the same language");
}

/// A template of the account, compared with `wt lint --remote`.
#[derive(Debug, Clone)]
pub struct RemoteBody {
    pub name: String,
    pub language: String,
    pub category: String,
    pub body: String,
    pub footer: Option<String>,
}

/// One comparable body.
struct Item<'a> {
    /// `None` for a template of the account.
    local: Option<(FileId, &'a str, &'a Str)>,
    name: &'a str,
    language: &'a str,
    body: String,
    footer: String,
}

pub(crate) fn check_corpus(
    ws: &Workspace,
    options: &LintOptions,
    selection: &Selection,
    report_only: Option<&HashSet<FileId>>,
) -> Vec<Diagnostic> {
    let exact = selection.is_enabled(WT127.code);
    let near = selection.is_enabled(WT128.code);
    if !exact && !near {
        return Vec::new();
    }
    let mut groups: HashMap<&str, Vec<Item<'_>>> = HashMap::new();
    for t in &ws.templates {
        if t.category == Some(Category::Authentication) {
            continue;
        }
        for lang in &t.languages {
            let Some(body) = &lang.body else { continue };
            groups.entry(&lang.code).or_default().push(Item {
                local: Some((t.file, t.name.as_str(), body)),
                name: &t.name,
                language: &lang.code,
                body: normalize(&body.value),
                footer: lang
                    .footer
                    .as_ref()
                    .map(|f| normalize(&f.value))
                    .unwrap_or_default(),
            });
        }
    }
    let local_names: HashSet<(&str, &str)> = groups
        .values()
        .flatten()
        .map(|i| (i.name, i.language))
        .collect();
    for r in &ws.remote {
        // The account's copy of a local template is the same template, not a duplicate.
        if r.category.eq_ignore_ascii_case("AUTHENTICATION")
            || local_names.contains(&(r.name.as_str(), r.language.as_str()))
        {
            continue;
        }
        groups.entry(&r.language).or_default().push(Item {
            local: None,
            name: &r.name,
            language: &r.language,
            body: normalize(&r.body),
            footer: r.footer.as_deref().map(normalize).unwrap_or_default(),
        });
    }
    let reported = |i: &Item<'_>| match i.local {
        Some((file, _, _)) => report_only.is_none_or(|o| o.contains(&file)),
        None => false,
    };
    let mut out = Vec::new();
    let mut groups: Vec<(&str, Vec<Item<'_>>)> = groups.into_iter().collect();
    groups.sort_by(|a, b| a.0.cmp(b.0));
    for (_, items) in &groups {
        let texts: Vec<&str> = items.iter().map(|i| i.body.as_str()).collect();
        let query: Vec<bool> = items.iter().map(reported).collect();
        let pairs = if query.iter().all(|q| *q) {
            similar_pairs(&texts, options.duplicate_threshold)
        } else if query.iter().any(|q| *q) {
            similar_pairs_involving(&texts, &query, options.duplicate_threshold)
        } else {
            continue;
        };
        for p in pairs {
            let (a, b) = (&items[p.a], &items[p.b]);
            if a.name == b.name {
                // The same (name, language) in two files is WT131's finding, not a duplicate.
                continue;
            }
            let same = p.distance == 0 && a.footer == b.footer;
            let rule = if same { &WT127 } else { &WT128 };
            if !selection.is_enabled(rule.code) {
                continue;
            }
            for (this, other) in [(a, b), (b, a)] {
                if query[if std::ptr::eq(this, a) { p.a } else { p.b }] {
                    out.push(diagnostic(rule, this, other, p.similarity, ws));
                }
            }
        }
    }
    out
}

fn diagnostic(
    rule: &crate::lint::rules::Rule,
    this: &Item<'_>,
    other: &Item<'_>,
    similarity: f64,
    ws: &Workspace,
) -> Diagnostic {
    let Some((file, name, body)) = this.local else {
        unreachable!("only local templates are reported")
    };
    let sim = format!("{:.2}", (similarity * 100.0).floor() / 100.0);
    let where_other = match other.local {
        Some((f, _, _)) => ws.sources[f].display_path(),
        None => "the account".to_string(),
    };
    let message = if std::ptr::eq(rule, &WT127) {
        format!(
            "the body and footer are the same as `{}` ({}) in {where_other}",
            clip_name(other.name),
            clip_name(other.language)
        )
    } else {
        format!(
            "the body is {sim} similar to `{}` ({}) in {where_other}",
            clip_name(other.name),
            clip_name(other.language)
        )
    };
    let help = if std::ptr::eq(rule, &WT127) {
        "Meta rejects a template whose wording duplicates another: reuse the existing template or change the wording"
    } else {
        "merge the two templates, or make the wording differ; raise `duplicate_threshold` in wt.toml if both are needed"
    };
    let mut d = Diagnostic::new(rule, file, body.span(), message)
        .template(Some(name), Some(this.language))
        .help(help)
        .label(format!("{sim} similar"));
    if let Some((f, oname, obody)) = other.local {
        d = d.related(Related {
            file: f,
            span: obody.span(),
            template: Some(clip_name(oname)),
            language: Some(clip_name(other.language)),
            message: format!("similarity {sim}"),
        });
    }
    d
}
