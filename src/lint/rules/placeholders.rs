//! Placeholders (variables): WT001–WT012.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use crate::lint::rules::{declare_rules, plural};
use crate::lint::Checker;
use crate::template::text::{guess_name, Segment, Var, VarName};
use crate::template::{Category, ParameterFormat, Str};

declare_rules! {
    /// ## What it does
    /// Finds brace runs that are not exactly `{{…}}`: `{{1}`, `{1}}`, `{{{1}}}`, `{{}}`, an
    /// unclosed `{{1`, a stray `}}`, or `{1}`.
    ///
    /// ## Why Meta rejects it
    /// "Malformed or missing braces" is a documented rejection cause (meta/api.md §6.1); the
    /// variable would reach the customer as literal text.
    ///
    /// ## Example
    /// `body = "Your order {{1} has shipped."`
    ///
    /// Use instead:
    /// `body = "Your order {{1}} has shipped."`
    WT001 = ("WT001", "malformed-placeholder", Error, Placeholders, "brace runs that are not exactly {{…}}");

    /// ## What it does
    /// Checks what is inside the braces: positional variables are `[1-9][0-9]*`, named ones
    /// `[a-z][a-z0-9_]*`. Spaces, `#`, `$`, `%`, hyphens and capitals are refused.
    ///
    /// ## Why Meta rejects it
    /// "Special characters in variables" is a documented rejection cause (meta/api.md §3).
    ///
    /// ## Example
    /// `body = "Hi {{ 1 }}, order {{#2}} for {{First-Name}} is ready."`
    ///
    /// Use instead:
    /// `body = "Hi {{1}}, order {{2}} for {{first_name}} is ready."`
    WT002 = ("WT002", "placeholder-invalid-chars", Error, Placeholders, "placeholder content not [1-9][0-9]* or [a-z][a-z0-9_]*");

    /// ## What it does
    /// Positional variables must be exactly 1..n in each of header and body: no gap, no
    /// `{{0}}`, no start at `{{2}}`. The order of appearance may vary.
    ///
    /// ## Why Meta rejects it
    /// Non-sequential variables are a documented rejection cause (`{{1}}, {{2}}, {{4}}`).
    ///
    /// ## Example
    /// `body = "Hello {{1}}, your order {{3}} has shipped."`
    ///
    /// Use instead:
    /// `body = "Hello {{1}}, your order {{2}} has shipped."`
    WT003 = ("WT003", "placeholder-not-sequential", Error, Placeholders, "positional numbers are not exactly 1..n");

    /// ## What it does
    /// Reports a variable whose style differs from `parameter_format`: a named variable in a
    /// positional template, or a number in a named one.
    ///
    /// ## Why Meta rejects it
    /// Meta's create call takes one `parameter_format` per template (meta/api.md §1.1);
    /// mixed styles fail.
    ///
    /// ## Example
    /// `parameter_format = "positional"` with `body = "Hi {{first_name}}, order {{1}} shipped."`
    ///
    /// Use instead:
    /// `body = "Hi {{1}}, order {{2}} shipped."`, or `parameter_format = "named"` throughout.
    WT004 = ("WT004", "placeholder-format-mixed", Error, Placeholders, "positional and named mixed, or style differs from parameter_format");

    /// ## What it does
    /// Reports a named variable used in both header and body with different example values.
    ///
    /// ## Why it matters
    /// A named variable is one value at send time; two examples for it confuse the reviewer
    /// and usually mean two different things share one name.
    ///
    /// ## Example
    /// header `{{first_name}}` with example "Maria", body `{{first_name}}` with example "John"
    ///
    /// Use instead:
    /// the same example in both places, or two names.
    WT005 = ("WT005", "named-placeholder-duplicate", Warning, Placeholders, "the same named placeholder declared twice with different examples");

    /// ## What it does
    /// The body must not start with a variable. Like WT007 at the end, whitespace,
    /// punctuation, markup and emoji before it do not count as text (`¡{{1}}, …`, `*{{1}}*, …`
    /// and `👋 {{1}}, …` start with a variable).
    ///
    /// ## Why Meta rejects it
    /// Subcode 2388299 "Leading or trailing parameters not allowed" (meta/api.md §3).
    ///
    /// ## Example
    /// `body = "{{1}}, your table is ready."`
    ///
    /// Use instead:
    /// `body = "Hello {{1}}, your table is ready."`
    WT006 = ("WT006", "body-starts-with-variable", Error, Placeholders, "the body starts with a variable");

    /// ## What it does
    /// The body must not end with a variable; whitespace, punctuation and emoji after it do not
    /// count as text (`… at gate {{1}}.` ends with a variable).
    ///
    /// ## Why Meta rejects it
    /// Subcode 2388299 "Leading or trailing parameters not allowed" (meta/api.md §3).
    ///
    /// ## Example
    /// `body = "Your flight boards at gate {{1}}."`
    ///
    /// Use instead:
    /// `body = "Your flight boards at gate {{1}}. Have a good trip."`
    WT007 = ("WT007", "body-ends-with-variable", Error, Placeholders, "the body ends with a variable");

    /// ## What it does
    /// Two variables separated only by whitespace or punctuation.
    ///
    /// ## Why Meta rejects it
    /// Adjacent variables are Meta's own example of an INVALID_FORMAT rejection.
    ///
    /// ## Example
    /// `body = "Delivery on {{1}} {{2}} to your door."`
    ///
    /// Use instead:
    /// `body = "Delivery on {{1}} between {{2}} to your door."`
    WT008 = ("WT008", "adjacent-variables", Error, Placeholders, "two variables separated only by whitespace or punctuation");

    /// ## What it does
    /// Counts the fixed words of the body: for n variables it needs at least 2n+1 words
    /// that are not variables (configurable).
    ///
    /// ## Why Meta rejects it
    /// Subcode 2388293 "Parameters words ratio exceeds limit"; Meta publishes no formula, 2n+1
    /// is the threshold two providers agree on (meta/api.md §3).
    ///
    /// ## Example
    /// `body = "Hi {{1}}, {{2}} at {{3}}."`
    ///
    /// Use instead:
    /// `body = "Hi {{1}}, your appointment is on {{2}} at {{3}}. Reply to change it."`
    WT009 = ("WT009", "variable-density", Warning, Placeholders, "fewer than 2n+1 fixed words for n body variables");

    /// ## What it does
    /// A body line made only of variables and punctuation.
    ///
    /// ## Why it matters
    /// Providers report "floating" parameters on a line of their own as a rejection cause: the
    /// reviewer cannot tell what the line will say.
    ///
    /// ## Example
    /// ```text
    /// Your booking is confirmed.
    /// {{1}} - {{2}}
    /// ```
    ///
    /// Use instead:
    /// `Check-in: {{1}}, check-out: {{2}}`
    WT010 = ("WT010", "floating-variable-line", Warning, Placeholders, "a body line made only of variables and punctuation");

    /// ## What it does
    /// The same positional variable used twice in one component.
    ///
    /// ## Why it matters
    /// Meta numbers variables by position; a repeated number is often a copy-paste slip and
    /// reviewers treat it as a format problem.
    ///
    /// ## Example
    /// `body = "Hi {{1}}, your code for {{1}} is ready."`
    ///
    /// Use instead:
    /// `body = "Hi {{1}}, your code for {{2}} is ready."`
    WT011 = ("WT011", "repeated-variable", Warning, Placeholders, "the same positional variable used twice");

    /// ## What it does
    /// A body with three fixed words or fewer, or only a greeting plus variables.
    ///
    /// ## Why Meta rejects it
    /// A body that is essentially a variable lets the sender put anything in it; Meta files
    /// such templates as MARKETING or rejects them (meta/api.md §6.2).
    ///
    /// ## Example
    /// `body = "Hello {{1}}, {{2}}"`
    ///
    /// Use instead:
    /// `body = "Hello {{1}}, your order {{2}} is ready for pickup at our store."`
    WT012 = ("WT012", "generic-template", Warning, Placeholders, "body with ≤ 3 fixed words, or only a greeting plus variables");
}

const GREETINGS: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "dear",
    "hola",
    "buenas",
    "estimado",
    "estimada",
    "olá",
    "ola",
    "oi",
    "prezado",
    "prezada",
    "caro",
    "cara",
    "bonjour",
    "hallo",
    "ciao",
    "greetings",
    "there",
];

/// A word of fixed text: a whitespace-separated run with at least one letter or digit.
pub(crate) fn fixed_words(text: &str, segments: &[Segment]) -> Vec<String> {
    let mut out = Vec::new();
    for s in segments {
        if let Segment::Literal(r) = s {
            for w in text[r.clone()].split_whitespace() {
                if w.chars().any(char::is_alphanumeric) {
                    out.push(w.to_string());
                }
            }
        }
    }
    out
}

pub(crate) fn has_alnum(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

pub(crate) fn check(cx: &mut Checker<'_>) {
    let t = cx.template;
    for lang in &t.languages {
        cx.set_language(Some(&lang.code));
        let header = match &lang.header {
            Some(crate::template::Header::Text(h)) => Some(h),
            _ => None,
        };
        for (part, s) in [
            ("header", header),
            ("body", lang.body.as_ref()),
            ("footer", lang.footer.as_ref()),
        ] {
            let Some(s) = s else { continue };
            let segments = s.segments();
            syntax(cx, s, &segments, t.parameter_format);
            // In a named template every number is already a WT004; numbering them again
            // would ask the user to renumber what they must rename.
            if part != "footer" && t.parameter_format == ParameterFormat::Positional {
                sequence(cx, s, &segments, part);
            }
            if part != "footer" {
                adjacent(cx, s, &segments);
            }
        }
        if t.category != Some(Category::Authentication) {
            if let Some(body) = &lang.body {
                body_shape(cx, body);
            }
        }
        named_examples(cx, lang);
    }
    cx.set_language(None);
}

/// WT001, WT002, WT004.
fn syntax(cx: &mut Checker<'_>, s: &Str, segments: &[Segment], format: ParameterFormat) {
    for seg in segments {
        match seg {
            Segment::Malformed(m) => {
                let help = match &m.suggestion {
                    Some(g) => format!("write `{g}`"),
                    None => "write a variable as `{{1}}` (positional) or `{{first_name}}` (named), or remove the braces".to_string(),
                };
                cx.report_in(
                    &WT001,
                    s,
                    m.span.clone(),
                    format!("malformed placeholder `{}`", m.written),
                    help,
                );
            }
            Segment::Var(Var {
                span,
                name: VarName::Invalid(content),
            }) => {
                let help = match guess_name(content) {
                    Some(g) => format!("write `{{{{{g}}}}}`"),
                    None => "use digits (`{{1}}`) or lower-case letters, digits and underscores (`{{first_name}}`)".to_string(),
                };
                cx.report_in(
                    &WT002,
                    s,
                    span.clone(),
                    format!("invalid characters in placeholder `{{{{{content}}}}}`"),
                    help,
                );
            }
            Segment::Var(Var {
                span,
                name: VarName::Named(n),
            }) if format == ParameterFormat::Positional => {
                cx.report_in(
                    &WT004,
                    s,
                    span.clone(),
                    format!("named variable `{{{{{n}}}}}` in a template with positional parameters"),
                    "number the variables (`{{1}}`), or set `parameter_format = \"named\"` and name them all",
                );
            }
            Segment::Var(Var {
                span,
                name: VarName::Positional(n),
            }) if format == ParameterFormat::Named => {
                cx.report_in(
                    &WT004,
                    s,
                    span.clone(),
                    format!("positional variable `{{{{{n}}}}}` in a template with `parameter_format = \"named\"`"),
                    "give it a name such as `{{order_id}}`, or remove `parameter_format = \"named\"`",
                );
            }
            _ => {}
        }
    }
}

/// WT003 and WT011 for one component (header and body are numbered independently).
fn sequence(cx: &mut Checker<'_>, s: &Str, segments: &[Segment], part: &str) {
    let distinct: BTreeSet<u32> = crate::template::text::vars(segments)
        .filter_map(|v| match v.name {
            VarName::Positional(n) => Some(n),
            _ => None,
        })
        .collect();
    // A repeated variable gets a number past every number in use, so the help never
    // suggests one that is taken.
    let mut next_free = distinct.len() as u32 + 1;
    let mut first: BTreeMap<u32, Range<usize>> = BTreeMap::new();
    for seg in segments {
        if let Segment::Var(Var {
            span,
            name: VarName::Positional(n),
        }) = seg
        {
            if first.contains_key(n) {
                cx.report_in(
                    &WT011,
                    s,
                    span.clone(),
                    format!("`{}` is used twice in the {part}", &s.value[span.clone()]),
                    format!(
                        "give the second use its own number (`{{{{{next_free}}}}}`) and example"
                    ),
                );
                next_free += 1;
            } else {
                first.insert(*n, span.clone());
            }
        }
    }
    let count = first.len() as u32;
    let mut missing = (1..=count).filter(|k| !first.contains_key(k));
    // Messages show placeholders as written (`{{99999999999}}` is stored saturated).
    let written = |span: &Range<usize>| s.value[span.clone()].to_string();
    let mut prev: Option<(u32, String)> = None;
    for (n, span) in &first {
        let shown = written(span);
        if *n >= 1 && *n <= count {
            prev = Some((*n, shown));
            continue;
        }
        let target = missing.next();
        let message = match (n, &prev) {
            (0, _) => format!("variables are numbered from 1; found `{shown}`"),
            (_, None) => format!("variables must start at `{{{{1}}}}`; the {part} starts at `{shown}`"),
            (_, Some((p, p_shown))) if p + 1 < *n => format!("variables must be numbered 1, 2, 3 … without gaps; found `{p_shown}` then `{shown}`"),
            (_, Some(_)) => format!(
                "variables must be numbered 1, 2, 3 … without gaps; the {part} has no `{{{{{}}}}}`",
                target.unwrap_or(1)
            ),
        };
        let help = match target {
            Some(m) => format!("renumber `{shown}` to `{{{{{m}}}}}`"),
            None => "number the variables 1, 2, 3 … in the order of their examples".to_string(),
        };
        cx.report_in(&WT003, s, span.clone(), message, help);
        prev = Some((*n, shown));
    }
}

/// WT008: two variables with only whitespace or punctuation between them.
fn adjacent(cx: &mut Checker<'_>, s: &Str, segments: &[Segment]) {
    let mut last_var: Option<&Var> = None;
    let mut between = String::new();
    for seg in segments {
        match seg {
            Segment::Var(v) => {
                if let Some(prev) = last_var {
                    if !has_alnum(&between) {
                        cx.report_in(
                            &WT008,
                            s,
                            prev.span.start..v.span.end,
                            format!(
                                "`{}` and `{}` are adjacent",
                                &s.value[prev.span.clone()],
                                &s.value[v.span.clone()]
                            ),
                            format!(
                                "put words between them, e.g. `{} at {}`",
                                &s.value[prev.span.clone()],
                                &s.value[v.span.clone()]
                            ),
                        );
                    }
                }
                last_var = Some(v);
                between.clear();
            }
            other => between.push_str(&s.value[other.span()]),
        }
    }
}

/// WT006, WT007, WT009, WT010, WT012 on the body.
fn body_shape(cx: &mut Checker<'_>, body: &Str) {
    let text = &body.value;
    let segments = body.segments();
    let vars: Vec<&Var> = crate::template::text::vars(&segments).collect();
    if let Some(first) = vars.first() {
        // Symmetric with WT007: Meta's subcode 2388299 is "leading or trailing
        // parameters", and a leading `¡` or `*` is no more text than a trailing `.`.
        if !has_alnum(&text[..first.span.start]) {
            cx.report_in(
                &WT006,
                body,
                first.span.clone(),
                format!(
                    "the body starts with the variable `{}`",
                    &text[first.span.clone()]
                ),
                format!(
                    "start with words, e.g. `Hello {}, …`",
                    &text[first.span.clone()]
                ),
            );
        }
    }
    if let Some(last) = vars.last() {
        if !has_alnum(&text[last.span.end..]) {
            cx.report_in(
                &WT007,
                body,
                last.span.clone(),
                format!(
                    "the body ends with the variable `{}`",
                    &text[last.span.clone()]
                ),
                format!(
                    "end with words after the last variable, e.g. `… {}. Thank you.`",
                    &text[last.span.clone()]
                ),
            );
        }
    }
    let words = fixed_words(text, &segments);
    let n = vars.len();
    let need = cx.options.words_per_variable * n + 1;
    if n > 0 && words.len() < need {
        cx.report(
            &WT009,
            body.span(),
            format!(
                "{} but only {}; Meta wants at least {need}",
                plural(n, "variable"),
                plural(words.len(), "fixed word")
            ),
            format!(
                "add at least {} of fixed text around the variables",
                plural(need - words.len(), "word")
            ),
        );
    }
    let only_greeting = n > 0
        && !words.is_empty()
        && words.iter().all(|w| {
            let w: String = w
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
                .to_lowercase();
            GREETINGS.contains(&w.as_str())
        });
    if words.len() <= 3 || only_greeting {
        let d = cx
            .diag(
                &WT012,
                body.span(),
                if n == 0 {
                    format!(
                        "the body has only {}: too little to say what the message is for",
                        plural(words.len(), "word")
                    )
                } else if only_greeting {
                    "the body is a greeting plus variables: it says nothing without their values"
                        .to_string()
                } else {
                    format!(
                        "the body has only {}: it says nothing without its variables",
                        plural(words.len(), "fixed word")
                    )
                },
            )
            .help(
                "say what the message is about in fixed text, e.g. `your order {{1}} has shipped`",
            );
        cx.push(d);
    }
    // WT010: lines made only of variables and punctuation. Variables are in text order and
    // never span a line break, so one pass over lines and variables together finds each
    // line's variables (filtering all variables for every line was quadratic).
    let mut offset = 0;
    let mut next_var = 0;
    for line in text.split_inclusive('\n') {
        let range = offset..offset + line.len();
        offset += line.len();
        while next_var < vars.len() && vars[next_var].span.start < range.start {
            next_var += 1;
        }
        let first_var = next_var;
        while next_var < vars.len() && vars[next_var].span.end <= range.end {
            next_var += 1;
        }
        let on_line = &vars[first_var..next_var];
        if on_line.is_empty() {
            continue;
        }
        let mut fixed = String::new();
        let mut at = range.start;
        for v in on_line {
            fixed.push_str(&text[at..v.span.start]);
            at = v.span.end;
        }
        fixed.push_str(&text[at..range.end]);
        if !has_alnum(&fixed) && !vars.is_empty() && text.trim() != line.trim() {
            let trimmed_start = range.start + (line.len() - line.trim_start().len());
            let trimmed_end = range.start + line.trim_end().len();
            let first_var = vars
                .iter()
                .find(|v| v.span.start >= range.start && v.span.end <= range.end)
                .map_or("{{1}}", |v| &text[v.span.clone()]);
            cx.report_in(
                &WT010,
                body,
                trimmed_start..trimmed_end,
                "this line is made only of variables and punctuation",
                format!("say what the value is on the same line, e.g. `Check-in: {first_var}`"),
            );
        }
    }
}

/// WT005: a named variable in header and body with different examples.
fn named_examples(cx: &mut Checker<'_>, lang: &crate::template::Language) {
    use crate::template::ExampleValues;
    let (Some(h), Some(b)) = (&lang.examples.header, &lang.examples.body) else {
        return;
    };
    let (ExampleValues::Named(hv), ExampleValues::Named(bv)) = (&h.values, &b.values) else {
        return;
    };
    let header: HashMap<&str, &Str> = hv.iter().map(|(k, _, v)| (k.as_str(), v)).collect();
    for (k, _, v) in bv {
        if let Some(hval) = header.get(k.as_str()) {
            if hval.value != v.value {
                let d = cx
                    .diag(&WT005, v.span(), format!("`{{{{{k}}}}}` has the example \"{}\" in the header and \"{}\" in the body", hval.value, v.value))
                    .help("use one example for one variable, or give the two values different names");
                cx.push(d);
            }
        }
    }
}
