//! Files and structure: WT000, WT120–WT123, WT126, WT130–WT132.

use std::collections::BTreeMap;

use crate::lint::diagnostic::{clip_name, Diagnostic, Related, Severity};
use crate::lint::rules::declare_rules;
use crate::lint::{Checker, Selection, Workspace};

declare_rules! {
    /// ## What it does
    /// Reports a file that is not a valid template: broken TOML, a value of the wrong type,
    /// an unknown key (usually a typo), a missing `category`, a missing `[languages.<code>]`
    /// table, or a language without `body` outside authentication templates, invalid UTF-8,
    /// or a file too large to be a template.
    ///
    /// ## Why it matters
    /// Meta's API refuses such a template, and wt cannot check what it cannot read. The other
    /// files are still linted. WT000 cannot be ignored.
    ///
    /// ## Example
    /// ```toml
    /// category = "utility"
    /// [languages.en_US]
    /// bdy = "Your order {{1}} has shipped."   # unknown key `bdy`
    /// ```
    ///
    /// Use instead:
    /// ```toml
    /// category = "utility"
    /// [languages.en_US]
    /// body = "Your order {{1}} has shipped."
    /// ```
    WT000 = ("WT000", "invalid-file", Error, Structure, "TOML syntax error, wrong type, unknown key or missing required key");

    /// ## What it does
    /// Checks the template name against Meta's format: lower-case letters, digits and
    /// underscores, 1 to 512 characters (meta/api.md §3.1).
    ///
    /// ## Why Meta rejects it
    /// The create call fails with error 100 for upper case, spaces, hyphens or other characters.
    ///
    /// ## Example
    /// `templates/Order-Shipped.toml` (the name comes from the file stem)
    ///
    /// Use instead:
    /// `templates/order_shipped.toml`
    WT120 = ("WT120", "name-format", Error, Structure, "name not ^[a-z0-9_]{1,512}$");

    /// ## What it does
    /// Flags names that say nothing about the message: made only of words such as
    /// `template`, `test`, `new`, `my`, `sample`, `untitled`, `copy`, numbers and version tags
    /// (`template_12`, `test2`, `new_template`, `my_test_message_v2`). `test` alone is WT122's.
    ///
    /// ## Why it matters
    /// Meta's guidelines ask for descriptive names (`order_shipped`); a team with hundreds of
    /// templates cannot tell `template_12` from `template_13` in the console or in a diff.
    ///
    /// ## Example
    /// `templates/template_12.toml`
    ///
    /// Use instead:
    /// `templates/appointment_reminder.toml`
    WT121 = ("WT121", "name-generic", Info, Structure, "generic names such as template_12, test2, untitled");

    /// ## What it does
    /// A template named `test` must have exactly the body `Hello {{1}}`.
    ///
    /// ## Why Meta rejects it
    /// Meta's guidelines reserve the name `test` for that one body; anything else under that
    /// name is rejected (meta/review-rules.md §1).
    ///
    /// ## Example
    /// `test.toml` with `body = "Hi {{1}}, this is a test"`
    ///
    /// Use instead:
    /// `body = "Hello {{1}}"`, or give the template a real name.
    WT122 = ("WT122", "test-template-format", Warning, Structure, "a template named test whose body is not exactly Hello {{1}}");

    /// ## What it does
    /// Checks language codes: `ll` or `ll_RR` (`en`, `en_US`, `pt_BR`, also `fil`, `prs_AF`).
    /// A malformed code (`en-US`, `pt_br`, `english`) is an error; a well-formed code that is not
    /// in Meta's list of supported languages (meta/api.md §3.8) is a warning.
    ///
    /// ## Why Meta rejects it
    /// The create call fails for an unsupported language (error 100).
    ///
    /// ## Example
    /// `[languages.en-US]`
    ///
    /// Use instead:
    /// `[languages.en_US]`
    WT123 = ("WT123", "language-code", Error, Structure, "malformed language code, or one Meta does not support");

    /// ## What it does
    /// `category` must be `marketing`, `utility` or `authentication` (any case).
    ///
    /// ## Why Meta rejects it
    /// Meta knows only these three categories; legacy ones (`TRANSACTIONAL`, `OTP`,
    /// `ACCOUNT_UPDATE`) are refused on create.
    ///
    /// ## Example
    /// `category = "transactional"`
    ///
    /// Use instead:
    /// `category = "utility"`
    WT126 = ("WT126", "category-invalid", Error, Structure, "category not marketing, utility or authentication");

    /// ## What it does
    /// When a file sets `name`, it must equal the file stem.
    ///
    /// ## Why it matters
    /// One file per template name is how wt maps files to Meta's templates; a mismatch makes
    /// `plan` and `sync` act on a name nobody sees in the file list.
    ///
    /// ## Example
    /// `templates/order_shipped.toml` with `name = "order_dispatched"`
    ///
    /// Use instead:
    /// remove `name`, or rename the file to `order_dispatched.toml`.
    WT130 = ("WT130", "name-file-mismatch", Error, Structure, "name differs from the file stem");

    /// ## What it does
    /// Reports the same (name, language) defined in two files. Each of the files is reported,
    /// so that linting either one alone (as pre-commit does) finds it.
    ///
    /// ## Why it matters
    /// Meta holds one template per (name, language); two definitions would overwrite each other
    /// on every sync.
    ///
    /// ## Example
    /// `a/welcome.toml` and `b/welcome.toml` both define `[languages.en_US]`.
    ///
    /// Use instead:
    /// keep one file per template name.
    WT131 = ("WT131", "duplicate-definition", Error, Structure, "the same (name, language) defined in two files");

    /// ## What it does
    /// Reports a `# wt: ignore[...]` or `# wt: ignore-file[...]` comment that suppressed
    /// nothing, or that names an unknown code.
    ///
    /// ## Why it matters
    /// Suppressions rot: once the text is fixed, a stale comment would hide the next real
    /// problem on that line.
    ///
    /// ## Example
    /// `footer = "Reply STOP to opt out"  # wt: ignore[WT024]` (the footer is short)
    ///
    /// Use instead:
    /// `footer = "Reply STOP to opt out"`
    WT132 = ("WT132", "unused-suppression", Warning, Structure, "a # wt: ignore[...] that suppressed nothing");
}

/// Meta's supported template languages (meta/api.md §3.8, 111 codes).
pub const META_LANGUAGES: &[&str] = &[
    "af", "sq", "ar", "ar_EG", "ar_AE", "ar_LB", "ar_MA", "ar_QA", "az", "be_BY", "bn", "bn_IN",
    "bg", "ca", "zh_CN", "zh_HK", "zh_TW", "hr", "cs", "da", "prs_AF", "nl", "nl_BE", "en",
    "en_GB", "en_US", "en_AE", "en_AU", "en_CA", "en_GH", "en_IE", "en_IN", "en_JM", "en_MY",
    "en_NZ", "en_QA", "en_SG", "en_UG", "en_ZA", "et", "fil", "fi", "fr", "fr_BE", "fr_CA",
    "fr_CH", "fr_CI", "fr_MA", "ka", "de", "de_AT", "de_CH", "el", "gu", "ha", "he", "hi", "hu",
    "id", "ga", "it", "ja", "kn", "kk", "rw_RW", "ko", "ky_KG", "lo", "lv", "lt", "mk", "ms", "ml",
    "mr", "nb", "ps_AF", "fa", "pl", "pt_BR", "pt_PT", "pa", "ro", "ru", "sr", "si_LK", "sk", "sl",
    "es", "es_AR", "es_CL", "es_CO", "es_CR", "es_DO", "es_EC", "es_HN", "es_MX", "es_PA", "es_PE",
    "es_ES", "es_UY", "sw", "sv", "ta", "te", "th", "tr", "uk", "ur", "uz", "vi", "zu",
];

/// Meta's name limit (meta/api.md §3.1).
const MAX_NAME_LEN: usize = 512;

/// Words that say nothing about a message. A name made only of these, numbers and version
/// tags (`template_12`, `my_test_template`, `new_message_v2`, `untitled_copy`) is generic.
const GENERIC_WORDS: &[&str] = &[
    "template",
    "templates",
    "tpl",
    "untitled",
    "sample",
    "temp",
    "tmp",
    "foo",
    "bar",
    "baz",
    "asdf",
    "qwerty",
    "example",
    "demo",
    "message",
    "msg",
    "test",
    "testing",
    "new",
    "my",
    "copy",
    "draft",
    "final",
    "default",
    "generic",
    "whatsapp",
    "wa",
    "hsm",
];

pub(crate) fn check(cx: &mut Checker<'_>) {
    let t = cx.template;
    let name_span = t.name_value.as_ref().map_or(0..0, |n| n.span());

    if let Some(n) = &t.name_value {
        if n.value != t.stem {
            cx.report(
                &WT130,
                n.span(),
                format!(
                    "`name` is \"{}\" but the file is named `{}.toml`",
                    n.value, t.stem
                ),
                format!("remove `name`, or rename the file to `{}.toml`", n.value),
            );
        }
    }
    let name = &t.name;
    let valid = !name.is_empty()
        && name.len() <= MAX_NAME_LEN
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !valid {
        let mut fixed: String = name
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        fixed.truncate(MAX_NAME_LEN);
        if fixed.is_empty() {
            fixed.push_str("order_shipped");
        }
        // Without `name` the name is the file stem: there are no bytes in the file to
        // point at, and the fix is a rename of the file.
        let (message, help) = if t.name_value.is_some() {
            (
                format!("template name \"{name}\" is not lower-case letters, digits and underscores (1–512)"),
                format!("name the template `{fixed}` (and the file `{fixed}.toml`)"),
            )
        } else {
            (
                format!("the file name gives the template name \"{name}\", which is not lower-case letters, digits and underscores (1–512)"),
                format!("rename the file to `{fixed}.toml`"),
            )
        };
        cx.report(&WT120, name_span.clone(), message, help);
    } else if is_generic(name) {
        let help = if t.name_value.is_some() {
            "use a descriptive name such as `order_shipped` or `appointment_reminder`"
        } else {
            "rename the file to say what the message is for, e.g. `order_shipped.toml`"
        };
        cx.report(
            &WT121,
            name_span.clone(),
            format!("template name \"{name}\" does not say what the message is for"),
            help,
        );
    }

    if let (Some(v), None) = (&t.category_value, t.category) {
        cx.report(
            &WT126,
            v.span(),
            format!("unknown category \"{}\"", v.value),
            match v.value.to_ascii_lowercase().as_str() {
                "transactional" | "account_update" | "issue_resolution" | "alert_update" => {
                    "use `category = \"utility\"`".to_string()
                }
                "otp" => "use `category = \"authentication\"`".to_string(),
                _ => "use \"marketing\", \"utility\" or \"authentication\"".to_string(),
            },
        );
    }

    for lang in &t.languages {
        cx.set_language(Some(&lang.code));
        check_language_code(cx, &lang.code, lang.code_span.clone());
        if name == "test" {
            if let Some(body) = &lang.body {
                if body.value != "Hello {{1}}" {
                    cx.report(
                        &WT122,
                        body.span(),
                        "a template named `test` must have exactly the body `Hello {{1}}`",
                        "write `body = \"Hello {{1}}\"`, or give the template a descriptive name",
                    );
                }
            }
        }
    }
    cx.set_language(None);
}

fn is_generic(name: &str) -> bool {
    // `test` alone is Meta's reserved test template: WT122 has the rule for it.
    if name == "test" {
        return false;
    }
    // Numbers and version tags carry no meaning: `test2` is `test`, `v2` is nothing.
    name.split('_')
        .map(|w| w.trim_end_matches(|c: char| c.is_ascii_digit()))
        .filter(|w| !w.is_empty() && *w != "v")
        .all(|w| GENERIC_WORDS.contains(&w))
}

fn check_language_code(cx: &mut Checker<'_>, code: &str, span: std::ops::Range<usize>) {
    let well_formed = match code.split_once('_') {
        None => (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase()),
        Some((l, r)) => {
            (2..=3).contains(&l.len())
                && l.bytes().all(|b| b.is_ascii_lowercase())
                && r.len() == 2
                && r.bytes().all(|b| b.is_ascii_uppercase())
        }
    };
    if !well_formed {
        let guess = guess_code(code);
        cx.report(
            &WT123,
            span,
            format!("malformed language code \"{code}\""),
            match guess {
                Some(g) => format!("write `{g}`"),
                None => "use Meta's form, a language and an optional region: `en`, `en_US`, `pt_BR`, `es_MX`"
                    .to_string(),
            },
        );
    } else if !META_LANGUAGES.contains(&code) {
        let base = code.split('_').next().unwrap_or(code);
        let same_base: Vec<&str> = META_LANGUAGES
            .iter()
            .copied()
            .filter(|c| c.split('_').next() == Some(base))
            .collect();
        let help = if same_base.is_empty() {
            "use a language Meta lists, such as `en_US`, `es_MX` or `pt_BR`; if Meta added this one recently, ignore this warning".to_string()
        } else {
            format!("Meta supports {} for this language", same_base.join(", "))
        };
        let d = cx
            .diag(
                &WT123,
                span,
                format!("language \"{code}\" is not in Meta's list of supported languages"),
            )
            .help(help)
            .severity(Severity::Warning);
        cx.push(d);
    }
}

fn guess_code(code: &str) -> Option<String> {
    let norm = code.replace('-', "_");
    let candidate = match norm.split_once('_') {
        Some((l, r)) => format!("{}_{}", l.to_ascii_lowercase(), r.to_ascii_uppercase()),
        None => norm.to_ascii_lowercase(),
    };
    if META_LANGUAGES.contains(&candidate.as_str()) {
        return Some(candidate);
    }
    let names = [
        ("english", "en_US"),
        ("spanish", "es"),
        ("portuguese", "pt_BR"),
        ("french", "fr"),
        ("german", "de"),
        ("italian", "it"),
        ("english_us", "en_US"),
        ("brazilian", "pt_BR"),
    ];
    names
        .iter()
        .find(|(n, _)| *n == norm.to_ascii_lowercase())
        .map(|(_, c)| c.to_string())
}

/// WT131: the same (name, language) in two files.
/// WT131. Every definition of a duplicated (name, language) is reported, each pointing at the
/// other: the output must not depend on the order files are loaded in, and pre-commit passes
/// only the files that changed, which may be either one of the pair.
pub(crate) fn check_corpus(ws: &Workspace, selection: &Selection) -> Vec<Diagnostic> {
    if !selection.is_enabled(WT131.code) {
        return Vec::new();
    }
    type Site = (usize, std::ops::Range<usize>);
    let mut groups: BTreeMap<(&str, &str), Vec<Site>> = BTreeMap::new();
    for t in &ws.templates {
        for lang in &t.languages {
            groups
                .entry((t.name.as_str(), lang.code.as_str()))
                .or_default()
                .push((t.file, lang.code_span.clone()));
        }
    }
    let mut out = Vec::new();
    for ((name, code), mut sites) in groups {
        // In path order, so that "also defined in" lists files the same way every run.
        sites.sort_by(|a, b| {
            ws.sources[a.0]
                .display_path()
                .cmp(&ws.sources[b.0].display_path())
        });
        sites.dedup_by_key(|s| s.0);
        if sites.len() < 2 {
            continue;
        }
        for (i, (file, span)) in sites.iter().enumerate() {
            let others: Vec<&Site> = sites
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, s)| s)
                .collect();
            let names: Vec<String> = others
                .iter()
                .map(|(f, _)| ws.sources[*f].display_path())
                .collect();
            let mut d = Diagnostic::new(
                &WT131,
                *file,
                span.clone(),
                format!(
                    "`{}` in {} is also defined in {}",
                    clip_name(name),
                    clip_name(code),
                    names.join(", ")
                ),
            )
            .template(Some(name), Some(code))
            .help("keep one file per template name and delete or rename the other");
            for (f, s) in others {
                d = d.related(Related {
                    file: *f,
                    span: s.clone(),
                    template: Some(clip_name(name)),
                    language: Some(clip_name(code)),
                    message: "also defined here".to_string(),
                });
            }
            out.push(d);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::is_generic;

    #[test]
    fn generic_names() {
        for n in [
            "template_12",
            "new_template",
            "untitled",
            "my_test_message_v2",
            "test_template",
            "12345",
            "sample_copy",
            "test2",
            "template12",
        ] {
            assert!(is_generic(n), "{n}");
        }
        for n in [
            "test",
            "order_shipped",
            "order_template",
            "test_drive_booking",
            "v2_invoice",
        ] {
            assert!(!is_generic(n), "{n}");
        }
    }
}
