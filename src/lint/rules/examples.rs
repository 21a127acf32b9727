//! Examples: WT110–WT113.

use std::collections::{BTreeSet, HashSet};

use crate::lint::rules::{declare_rules, plural};
use crate::lint::Checker;
use crate::template::text::{intended, VarName};
use crate::template::{Category, ExampleSet, ExampleValues, Header, ParameterFormat, Str};

declare_rules! {
    /// ## What it does
    /// Every variable needs an example value: as many positional examples as variables, or a
    /// named example for each named variable (and none for variables that do not exist).
    ///
    /// ## Why Meta rejects it
    /// "Every parameter needs an example at creation" (meta/api.md §2.1); the create call fails
    /// with subcode 2388043 "missing expected field (example)".
    ///
    /// ## Example
    /// `body = "Hi {{1}}, order {{2}} shipped."` with `examples.body = ["Maria"]`
    ///
    /// Use instead:
    /// `examples.body = ["Maria", "#4521"]`
    WT110 = ("WT110", "example-missing", Error, Examples, "a variable without an example, or a different number of examples than variables");

    /// ## What it does
    /// Example values such as `test`, `xxx`, `abc`, `sample`, `123`, `N/A`, an empty string,
    /// or the variable itself.
    ///
    /// ## Why Meta rejects it
    /// Reviewers judge the message with the examples filled in; placeholders-as-examples make
    /// the purpose unclear, a documented rejection cause.
    ///
    /// ## Example
    /// `examples.body = ["test", "xxx"]`
    ///
    /// Use instead:
    /// `examples.body = ["Maria", "#4521"]`
    WT111 = ("WT111", "example-unrealistic", Warning, Examples, "example like test, xxx, 123, N/A, empty or the variable itself");

    /// ## What it does
    /// An example containing a newline, a tab or more than 4 spaces in a row.
    ///
    /// ## Why Meta rejects it
    /// Parameter values cannot have "new-line/tab characters or more than 4 consecutive
    /// spaces" (meta/api.md §3): an example that breaks this cannot be sent either.
    ///
    /// ## Example
    /// `examples.body = ["Line one\nLine two"]`
    ///
    /// Use instead:
    /// `examples.body = ["Line one, line two"]`
    WT112 = ("WT112", "example-whitespace", Error, Examples, "example containing a newline, tab or more than 4 spaces");

    /// ## What it does
    /// All examples of a component are the same value.
    ///
    /// ## Why it matters
    /// Identical examples tell the reviewer nothing about what each variable holds.
    ///
    /// ## Example
    /// `examples.body = ["Maria", "Maria"]`
    ///
    /// Use instead:
    /// `examples.body = ["Maria", "#4521"]`
    WT113 = ("WT113", "example-not-descriptive", Info, Examples, "all examples identical");
}

const PLACEHOLDER_VALUES: &[&str] = &[
    "test",
    "testing",
    "xxx",
    "xx",
    "x",
    "abc",
    "sample",
    "example",
    "123",
    "1234",
    "12345",
    "n/a",
    "na",
    "none",
    "null",
    "foo",
    "bar",
    "lorem",
    "lorem ipsum",
    "asdf",
    "qwerty",
    "value",
    "variable",
    "var",
    "param",
    "parameter",
    "text",
    "string",
    "placeholder",
    "tbd",
    "todo",
    "dummy",
    "...",
    "-",
    "?",
];

pub(crate) fn check(cx: &mut Checker<'_>) {
    let t = cx.template;
    if t.category == Some(Category::Authentication) {
        return;
    }
    for lang in &t.languages {
        cx.set_language(Some(&lang.code));
        if let Some(Header::Text(h)) = &lang.header {
            component(
                cx,
                t.parameter_format,
                "header",
                h,
                lang.examples.header.as_ref(),
                lang.code_span.clone(),
            );
        } else if let Some(ex) = &lang.examples.header {
            let (message, help) = match &lang.header {
                Some(Header::Media { .. }) => (
                    "a media header takes its sample in `header`, not in `examples.header`",
                    "remove `examples.header` and write the sample as `header = { format = \"…\", example = \"https://…\" }`",
                ),
                Some(_) => (
                    "`examples.header` is given but a location header has no variables",
                    "remove `examples.header`",
                ),
                None => (
                    "`examples.header` is given but the template has no header",
                    "remove `examples.header`, or add a text header such as `header = \"Order {{1}}\"`",
                ),
            };
            cx.report(&WT110, ex.span.clone(), message, help);
        }
        if let Some(b) = &lang.body {
            component(
                cx,
                t.parameter_format,
                "body",
                b,
                lang.examples.body.as_ref(),
                lang.code_span.clone(),
            );
        }
        for ex in [&lang.examples.header, &lang.examples.body]
            .into_iter()
            .flatten()
        {
            values(cx, ex);
        }
    }
    cx.set_language(None);
}

/// WT110 for one component.
fn component(
    cx: &mut Checker<'_>,
    format: ParameterFormat,
    part: &str,
    text: &Str,
    examples: Option<&ExampleSet>,
    fallback: std::ops::Range<usize>,
) {
    let segs = text.segments();
    // Broken placeholders count as the variable they were meant to be (WT001/WT002 report
    // the braces), so `{{ 1 }}` with one example is one finding, not two.
    let mut positional = BTreeSet::new();
    let mut named: Vec<(String, std::ops::Range<usize>)> = Vec::new();
    // Name lookups go through sets: scanning the lists for each variable or example was
    // quadratic (minutes for a body with 50,000 named variables).
    let mut named_set: HashSet<String> = HashSet::new();
    let mut first_span = None;
    for s in &segs {
        let Some(name) = intended(s) else { continue };
        first_span.get_or_insert_with(|| s.span());
        match name {
            VarName::Positional(n) => {
                positional.insert(n);
            }
            VarName::Named(n) => {
                if named_set.insert(n.clone()) {
                    named.push((n, s.span()));
                }
            }
            VarName::Invalid(_) => {}
        }
    }
    let n_vars = positional.len() + named.len();
    let Some(ex) = examples else {
        if n_vars > 0 {
            let span = first_span.map_or(fallback, |r| text.file_span(r));
            let sample = if named.is_empty() {
                format!(
                    "examples.{part} = [{}]",
                    vec!["\"…\""; positional.len().max(1)].join(", ")
                )
            } else {
                format!(
                    "examples.{part} = {{ {} }}",
                    named
                        .iter()
                        .map(|(n, _)| format!("{n} = \"…\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let d = cx
                .diag(
                    &crate::lint::rules::examples::WT110,
                    span,
                    format!(
                        "the {part} has {} but no examples",
                        plural(n_vars, "variable")
                    ),
                )
                .help(format!("add `{sample}` with realistic values"))
                .in_value(text.span());
            cx.push(d);
        }
        return;
    };
    match &ex.values {
        ExampleValues::Positional(vals) => {
            if format == ParameterFormat::Named {
                let first = named.first().map_or("first_name", |(n, _)| n.as_str());
                cx.report(
                    &WT110,
                    ex.span.clone(),
                    format!("the template has `parameter_format = \"named\"`, so `examples.{part}` must be a table"),
                    format!("write `examples.{part} = {{ {first} = \"…\" }}`"),
                );
            } else if vals.len() != n_vars {
                // In a positional template a named variable is one more number to come
                // (WT004 says so): it still needs its example in the array.
                cx.report(
                    &WT110,
                    ex.span.clone(),
                    format!(
                        "{} for {} in the {part}",
                        plural(vals.len(), "example"),
                        plural(n_vars, "variable")
                    ),
                    if vals.len() < n_vars {
                        format!(
                            "add {} to `examples.{part}`, one per variable in order",
                            plural(n_vars - vals.len(), "value")
                        )
                    } else {
                        format!(
                            "remove {} from `examples.{part}`",
                            plural(vals.len() - n_vars, "value")
                        )
                    },
                );
            }
        }
        ExampleValues::Named(vals) => {
            if format == ParameterFormat::Positional && !positional.is_empty() {
                cx.report(
                    &WT110,
                    ex.span.clone(),
                    format!(
                        "the {part} uses positional variables, so `examples.{part}` must be an array"
                    ),
                    format!(
                        "write `examples.{part} = [{}]`",
                        vec!["\"…\""; n_vars].join(", ")
                    ),
                );
                return;
            }
            let keys: HashSet<&str> = vals.iter().map(|(k, _, _)| k.as_str()).collect();
            for (name, span) in &named {
                if !keys.contains(name.as_str()) {
                    let d = cx
                        .diag_in(
                            &WT110,
                            text,
                            span.clone(),
                            format!("`{{{{{name}}}}}` has no example"),
                        )
                        .help(format!("add `{name} = \"…\"` to `examples.{part}`"));
                    cx.push(d);
                }
            }
            for (k, kspan, _) in vals {
                if !named_set.contains(k.as_str()) {
                    cx.report(
                        &WT110,
                        kspan.clone(),
                        format!("example for `{{{{{k}}}}}`, which the {part} does not use"),
                        format!("remove `{k}`, or use `{{{{{k}}}}}` in the {part}"),
                    );
                }
            }
        }
    }
}

/// `xxxx`, `aaaa`, `0000`, `....`: one character typed over and over is filler, whatever
/// its length (the list above only has `xxx`). Three or more, so `ll`/`00` stay quiet.
fn one_char_repeated(v: &str) -> bool {
    let mut chars = v.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    v.chars().count() >= 3 && chars.all(|c| c == first)
}

/// WT111, WT112, WT113 on the example values.
fn values(cx: &mut Checker<'_>, ex: &ExampleSet) {
    let strs = ex.strs();
    // Each value with its key when named (looking the key up per value was quadratic).
    let keyed: Vec<(Option<&str>, &Str)> = match &ex.values {
        ExampleValues::Positional(v) => v.iter().map(|s| (None, s)).collect(),
        ExampleValues::Named(v) => v.iter().map(|(k, _, s)| (Some(k.as_str()), s)).collect(),
    };
    for (key, s) in keyed {
        let v = s.value.trim();
        let lower = v.to_lowercase();
        let is_var = v.starts_with("{{") && v.ends_with("}}");
        let own_name = key == Some(lower.as_str());
        if v.is_empty()
            || PLACEHOLDER_VALUES.contains(&lower.as_str())
            || is_var
            || own_name
            || one_char_repeated(v)
        {
            let shown = if v.is_empty() {
                "an empty string".to_string()
            } else {
                format!("\"{v}\"")
            };
            cx.report(
                &WT111,
                s.span(),
                format!("{shown} does not look like a real value"),
                "use a value a real customer would see, e.g. \"Maria\", \"#4521\", \"12 March\"",
            );
        }
        let raw = &s.value;
        let bad = raw
            .find(['\n', '\r', '\t'])
            .map(|i| (i, 1))
            .or_else(|| raw.find("     ").map(|i| (i, 5)));
        if let Some((i, len)) = bad {
            cx.report_in(
                &WT112,
                s,
                i..i + len,
                "example values cannot contain a newline, a tab or more than 4 spaces in a row",
                "write the value on one line with single spaces",
            );
        }
    }
    if strs.len() >= 2 && strs.iter().all(|s| s.value == strs[0].value) {
        cx.report(
            &WT113,
            ex.span.clone(),
            if strs.len() == 2 {
                format!("both examples are \"{}\"", strs[0].value)
            } else {
                format!("all {} examples are \"{}\"", strs.len(), strs[0].value)
            },
            "give each variable its own realistic example",
        );
    }
}
