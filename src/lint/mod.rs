//! The lint engine: rule selection, per-template and corpus-wide rules, suppressions.

pub mod diagnostic;
pub mod rules;
pub mod suppress;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use rayon::prelude::*;

use crate::lint::diagnostic::{Diagnostic, FileId, Severity};
use crate::lint::rules::{all_rules, Rule};
use crate::source::SourceFile;
use crate::template::{Str, Template};

/// Which rules run, resolved from `--select/--ignore`, `wt.toml` and `per_file_ignores`.
#[derive(Debug, Clone)]
pub struct Selection {
    enabled: HashSet<&'static str>,
    /// (file, codes) pairs: codes ignored in that file.
    per_file: Vec<(FileId, HashSet<&'static str>)>,
}

impl Selection {
    /// `select` and `ignore` take codes (`WT003`), prefixes (`WT0`, `WT00`) and `ALL`.
    /// Unknown selectors are an error (a typo must not silently disable a rule).
    pub fn new(select: &[String], ignore: &[String]) -> Result<Self, String> {
        let mut enabled = HashSet::new();
        let select: Vec<String> = if select.is_empty() {
            vec!["ALL".to_string()]
        } else {
            select.to_vec()
        };
        for s in &select {
            enabled.extend(resolve(s)?);
        }
        for s in ignore {
            for code in resolve(s)? {
                enabled.remove(code);
            }
        }
        // A file that cannot be read is always reported: ignoring WT000 would hide it.
        enabled.insert("WT000");
        Ok(Self {
            enabled,
            per_file: Vec::new(),
        })
    }

    pub fn ignore_in_file(&mut self, file: FileId, selectors: &[String]) -> Result<(), String> {
        let mut codes = HashSet::new();
        for s in selectors {
            codes.extend(resolve(s)?);
        }
        codes.remove("WT000");
        self.per_file.push((file, codes));
        Ok(())
    }

    pub fn is_enabled(&self, code: &str) -> bool {
        self.enabled.contains(code)
    }

    fn allows(&self, d: &Diagnostic) -> bool {
        self.enabled.contains(d.code)
            && !self
                .per_file
                .iter()
                .any(|(f, codes)| *f == d.file && codes.contains(d.code))
    }
}

/// The codes a selector names.
pub fn resolve(selector: &str) -> Result<Vec<&'static str>, String> {
    let s = selector.trim();
    if s.eq_ignore_ascii_case("ALL") {
        return Ok(all_rules().iter().map(|r| r.code).collect());
    }
    let upper = s.to_ascii_uppercase();
    let codes: Vec<&'static str> = all_rules()
        .iter()
        .filter(|r| (upper.starts_with("WT") && r.code.starts_with(&upper)) || r.name == s)
        .map(|r| r.code)
        .collect();
    if codes.is_empty() {
        return Err(format!(
            "unknown rule selector `{selector}`: use a code (WT003), a prefix (WT0) or ALL; `wt rules` lists them"
        ));
    }
    Ok(codes)
}

/// Options the rules read (from `wt.toml` `[lint]`).
#[derive(Debug, Clone)]
pub struct LintOptions {
    pub duplicate_threshold: f64,
    pub extra_shorteners: Vec<String>,
    pub allowed_domains: Vec<String>,
    /// `[lint.vocabularies.<lang>]`: (accept, reject) per language.
    pub vocabularies: BTreeMap<String, (Vec<String>, Vec<String>)>,
    /// Minimum fixed words per body variable for WT009 (RULES.md: 2n+1).
    pub words_per_variable: usize,
}

impl Default for LintOptions {
    fn default() -> Self {
        Self {
            duplicate_threshold: 0.90,
            extra_shorteners: Vec::new(),
            allowed_domains: Vec::new(),
            vocabularies: BTreeMap::new(),
            words_per_variable: 2,
        }
    }
}

/// Everything a lint run looks at.
#[derive(Debug, Default)]
pub struct Workspace {
    pub sources: Vec<SourceFile>,
    pub templates: Vec<Template>,
    /// Findings of loading (WT000).
    pub load_diagnostics: Vec<Diagnostic>,
    /// Templates of the account, compared by the duplicate rules (`wt lint --remote`).
    pub remote: Vec<rules::duplicates::RemoteBody>,
}

/// Where a rule reports: the template and language it is looking at.
pub struct Checker<'a> {
    pub options: &'a LintOptions,
    pub selection: &'a Selection,
    pub template: &'a Template,
    language: Option<String>,
    pub out: Vec<Diagnostic>,
    /// Findings pushed so far, per code.
    counts: HashMap<&'static str, usize>,
    /// Per code, the first finding past [`MAX_KEPT_PER_TEMPLATE`], standing for the rest.
    flood: BTreeMap<&'static str, Diagnostic>,
}

/// Findings of one rule a [`Checker`] keeps for one template; past it, they are only counted.
/// This bounds memory on a hostile file (a 4 MB body of `{{1}` is a million findings), and is
/// above [`MAX_FINDINGS_PER_RULE_AND_FILE`], so the report does not change.
const MAX_KEPT_PER_TEMPLATE: usize = 10 * MAX_FINDINGS_PER_RULE_AND_FILE;

impl<'a> Checker<'a> {
    pub fn new(options: &'a LintOptions, selection: &'a Selection, template: &'a Template) -> Self {
        Self {
            options,
            selection,
            template,
            language: None,
            out: Vec::new(),
            counts: HashMap::new(),
            flood: BTreeMap::new(),
        }
    }

    /// The findings, with one standing for each cut flood.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        self.out.extend(self.flood.into_values());
        self.out
    }

    pub fn set_language(&mut self, code: Option<&str>) {
        self.language = code.map(str::to_string);
    }

    pub fn enabled(&self, rule: &Rule) -> bool {
        self.selection.is_enabled(rule.code)
    }

    /// A diagnostic of this template (and current language) at file bytes `span`.
    pub fn diag(&self, rule: &Rule, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(rule, self.template.file, span, message)
            .template(Some(&self.template.name), self.language.as_deref())
    }

    /// A diagnostic at a range of a string value's decoded text.
    pub fn diag_in(
        &self,
        rule: &Rule,
        s: &Str,
        decoded: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.diag(rule, s.file_span(decoded), message)
            .in_value(s.span())
    }

    pub fn push(&mut self, d: Diagnostic) {
        if !self.selection.is_enabled(d.code) {
            return;
        }
        let n = self.counts.entry(d.code).or_default();
        *n += 1;
        if *n <= MAX_KEPT_PER_TEMPLATE {
            self.out.push(d);
            return;
        }
        match self.flood.entry(d.code) {
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert(d);
            }
            std::collections::btree_map::Entry::Occupied(mut e) => {
                let first = e.get_mut();
                first.hidden += 1 + d.hidden;
                first.severity = first.severity.max(d.severity);
            }
        }
    }

    pub fn report(
        &mut self,
        rule: &Rule,
        span: Range<usize>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let d = self.diag(rule, span, message).help(help);
        self.push(d);
    }

    pub fn report_in(
        &mut self,
        rule: &Rule,
        s: &Str,
        decoded: Range<usize>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let d = self.diag_in(rule, s, decoded, message).help(help);
        self.push(d);
    }
}

/// The result of a lint run, sorted by file and position, suppressions applied.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub files: usize,
    pub templates: usize,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

type Family = (&'static [&'static Rule], fn(&mut Checker<'_>));

/// The per-template families, in the order they run.
const FAMILIES: &[Family] = &[
    (rules::structure::RULES, rules::structure::check),
    (rules::placeholders::RULES, rules::placeholders::check),
    (rules::components::RULES, rules::components::check),
    (rules::buttons::RULES, rules::buttons::check),
    (rules::auth::RULES, rules::auth::check),
    (rules::examples::RULES, rules::examples::check),
    (rules::links::RULES, rules::links::check),
    (rules::policy::RULES, rules::policy::check),
    (rules::category::RULES, rules::category::check),
    (rules::language::RULES, rules::language::check),
];

/// Runs every selected rule over the workspace. `report_only`, when given, limits the output
/// to those files (pre-commit passes a few files; corpus-wide rules still see all of them).
pub fn run(
    ws: &Workspace,
    options: &LintOptions,
    selection: &Selection,
    report_only: Option<&HashSet<FileId>>,
) -> Report {
    let mut diags: Vec<Diagnostic> = ws
        .templates
        .par_iter()
        .filter(|t| report_only.is_none_or(|only| only.contains(&t.file)))
        .flat_map_iter(|t| {
            let mut cx = Checker::new(options, selection, t);
            // A family runs only when one of its rules is selected: `--select WT127,WT128`
            // must not pay for language detection.
            for (family, check) in FAMILIES {
                if family.iter().any(|r| selection.is_enabled(r.code)) {
                    check(&mut cx);
                }
            }
            cx.finish()
        })
        .collect();
    diags.extend(rules::structure::check_corpus(ws, selection));
    diags.extend(rules::duplicates::check_corpus(
        ws,
        options,
        selection,
        report_only,
    ));
    diags.extend(ws.load_diagnostics.iter().cloned());
    diags.retain(|d| selection.allows(d) && report_only.is_none_or(|only| only.contains(&d.file)));

    let mut diags = suppress::apply(ws, diags, selection, report_only);
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup_by(|a, b| {
        a.code == b.code && a.span == b.span && a.message == b.message && a.file == b.file
    });
    let diags = cap_per_file_and_code(diags);
    Report {
        files: report_only.map_or(ws.sources.len(), HashSet::len),
        templates: ws
            .templates
            .iter()
            .filter(|t| report_only.is_none_or(|only| only.contains(&t.file)))
            .map(|t| t.languages.len())
            .sum(),
        diagnostics: diags,
    }
}

/// At most this many findings of one rule are reported per file; the rest become one summary
/// finding. A hostile or badly broken file (a 4 MB body of `{{1}` …) would otherwise produce
/// hundreds of thousands of findings: hundreds of megabytes of report that nobody reads,
/// and minutes of rendering in a commit hook.
pub const MAX_FINDINGS_PER_RULE_AND_FILE: usize = 100;

/// Keeps the first [`MAX_FINDINGS_PER_RULE_AND_FILE`] findings of each (file, code), in
/// order, and replaces the rest with one finding of the same rule (at the first dropped
/// place, with the highest dropped severity) that says how many were left out. Errors stay
/// errors, so the exit status does not change.
fn cap_per_file_and_code(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen: HashMap<(FileId, &'static str), usize> = HashMap::new();
    let mut overflow: BTreeMap<(FileId, &'static str), (usize, Diagnostic)> = BTreeMap::new();
    let mut kept = Vec::with_capacity(diags.len().min(4096));
    for d in diags {
        let n = seen.entry((d.file, d.code)).or_default();
        *n += 1;
        if *n <= MAX_FINDINGS_PER_RULE_AND_FILE && d.hidden == 0 {
            kept.push(d);
            continue;
        }
        let weight = 1 + d.hidden;
        match overflow.entry((d.file, d.code)) {
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert((weight, d));
            }
            std::collections::btree_map::Entry::Occupied(mut e) => {
                let (count, first) = e.get_mut();
                *count += weight;
                first.severity = first.severity.max(d.severity);
            }
        }
    }
    if overflow.is_empty() {
        return kept;
    }
    for ((_, code), (count, first)) in overflow {
        let mut d = Diagnostic::new(
            rules::find(code).unwrap_or(&rules::structure::WT000),
            first.file,
            first.span.clone(),
            format!(
                "{count} more {code} finding{} in this file not shown: at most {MAX_FINDINGS_PER_RULE_AND_FILE} per rule and file",
                if count == 1 { "" } else { "s" }
            ),
        )
        .severity(first.severity)
        .help("fix the findings shown first; this many usually means the whole file is broken")
        .template(first.template.as_deref(), first.language.as_deref());
        d.value_span = first.value_span.clone();
        kept.push(d);
    }
    kept.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    kept
}
