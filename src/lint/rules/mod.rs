//! The rule table. Each family file declares its rules with [`declare_rules!`]: the `///`
//! doc of a rule *is* what `wt explain` prints, so the documentation cannot drift from the
//! code. Codes are assigned here and nowhere else, and never reused.

use std::sync::OnceLock;

use serde::Serialize;

use crate::lint::diagnostic::Severity;

pub(crate) mod auth;
pub(crate) mod buttons;
pub(crate) mod category;
pub(crate) mod components;
pub(crate) mod duplicates;
pub(crate) mod examples;
pub(crate) mod language;
pub(crate) mod lexicon;
pub(crate) mod links;
pub(crate) mod placeholders;
pub(crate) mod policy;
pub(crate) mod structure;

/// The groups of `RULES.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    Structure,
    Placeholders,
    Components,
    Links,
    Buttons,
    Policy,
    CategoryFit,
    Authentication,
    Examples,
    Language,
    Duplicates,
}

impl Family {
    pub fn title(self) -> &'static str {
        match self {
            Family::Structure => "Files and structure",
            Family::Placeholders => "Placeholders",
            Family::Components => "Components and limits",
            Family::Links => "Links",
            Family::Buttons => "Buttons",
            Family::Policy => "Policy content",
            Family::CategoryFit => "Category fit",
            Family::Authentication => "Authentication templates",
            Family::Examples => "Examples",
            Family::Language => "Language",
            Family::Duplicates => "Duplicates",
        }
    }
}

/// A rule's identity and documentation.
#[derive(Debug, Serialize)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    /// The default severity; a few rules report some cases one level lower or higher, as
    /// `RULES.md` says (WT023, WT043, WT046, WT123).
    pub severity: Severity,
    pub family: Family,
    pub summary: &'static str,
    #[serde(skip)]
    pub doc: &'static str,
}

impl Rule {
    /// The documentation with the one leading space of each `///` line removed.
    pub fn explanation(&self) -> String {
        let mut out = String::new();
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_string()
    }
}

/// Declares a family's rules as statics plus the family's `RULES` slice.
///
/// ```ignore
/// declare_rules! {
///     /// ## What it does
///     /// …
///     WT003 = ("WT003", "placeholder-not-sequential", Error, Placeholders,
///              "positional variables are not exactly 1..n");
/// }
/// ```
macro_rules! declare_rules {
    ($( $(#[doc = $doc:literal])* $ident:ident = ($code:literal, $name:literal, $sev:ident, $family:ident, $summary:literal); )*) => {
        $(
            $(#[doc = $doc])*
            pub(crate) static $ident: $crate::lint::rules::Rule = $crate::lint::rules::Rule {
                code: $code,
                name: $name,
                severity: $crate::lint::diagnostic::Severity::$sev,
                family: $crate::lint::rules::Family::$family,
                summary: $summary,
                doc: concat!($($doc, "\n",)*),
            };
        )*
        pub(crate) static RULES: &[&$crate::lint::rules::Rule] = &[$(&$ident),*];
    };
}
pub(crate) use declare_rules;

/// `1 character`, `6 characters`: counts in messages and help read as English.
pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Every rule, ordered by code.
pub fn all_rules() -> &'static [&'static Rule] {
    static ALL: OnceLock<Vec<&'static Rule>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut all: Vec<&'static Rule> = [
            structure::RULES,
            placeholders::RULES,
            components::RULES,
            buttons::RULES,
            auth::RULES,
            examples::RULES,
            duplicates::RULES,
            links::RULES,
            policy::RULES,
            category::RULES,
            language::RULES,
        ]
        .concat();
        all.sort_by_key(|r| r.code);
        all
    })
}

/// Looks a rule up by code (case-insensitive) or kebab name.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    all_rules()
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for r in all_rules() {
            assert!(codes.insert(r.code), "duplicate code {}", r.code);
            assert!(names.insert(r.name), "duplicate name {}", r.name);
            assert!(r.code.len() == 5 && r.code.starts_with("WT"), "{}", r.code);
        }
    }

    #[test]
    fn every_rule_documents_what_why_and_examples() {
        for r in all_rules() {
            let doc = r.explanation();
            for heading in ["## What it does", "## Why", "## Example", "Use instead:"] {
                assert!(doc.contains(heading), "{} lacks `{heading}`", r.code);
            }
        }
    }
}
