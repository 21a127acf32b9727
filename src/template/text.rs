//! The template text parser: literals, variables and malformed placeholders, with spans.
//!
//! It is total: every input, however broken, becomes a list of segments that covers it
//! exactly, and malformed placeholders become [`Segment::Malformed`] for the placeholder
//! rules (WT001, WT002) to report with a fix. Spans are byte ranges into the decoded text.

use std::ops::Range;

use nom::bytes::complete::{take_till, take_till1, take_while, take_while1};
use nom::{IResult, Offset, Parser};

/// One piece of template text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Literal(Range<usize>),
    Var(Var),
    Malformed(Malformed),
}

/// A well-formed `{{…}}` placeholder (braces exactly two on each side).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Var {
    /// The whole placeholder, braces included.
    pub span: Range<usize>,
    pub name: VarName,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VarName {
    /// `{{1}}`: the number as written (`[1-9][0-9]*`, or `0` which WT003 reports).
    Positional(u32),
    /// `{{first_name}}`: `[a-z][a-z0-9_]*`.
    Named(String),
    /// Braces are right but the content is neither (`{{ 1 }}`, `{{#1}}`, `{{first-name}}`).
    Invalid(String),
}

/// Braces that are not exactly `{{…}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    pub span: Range<usize>,
    /// What was written, for the message.
    pub written: String,
    /// The placeholder the user probably meant (`{{1}}` for `{{1}`), if one can be guessed.
    pub suggestion: Option<String>,
}

impl Segment {
    pub fn span(&self) -> Range<usize> {
        match self {
            Segment::Literal(r) => r.clone(),
            Segment::Var(v) => v.span.clone(),
            Segment::Malformed(m) => m.span.clone(),
        }
    }
}

impl VarName {
    /// `{{…}}` as it is written in a template.
    pub fn placeholder(&self) -> String {
        match self {
            VarName::Positional(n) => format!("{{{{{n}}}}}"),
            VarName::Named(s) | VarName::Invalid(s) => format!("{{{{{s}}}}}"),
        }
    }
}

/// Parses template text into segments. Never fails; the segments cover `text` exactly.
pub fn parse(text: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let at = text.offset(rest);
        match raw_segment.parse(rest) {
            Ok((next, raw)) if next.len() < rest.len() => {
                out.push(classify(text, at, raw));
                rest = next;
            }
            // Unreachable with the grammar below (every branch consumes), but a parser of
            // user text must stay total: take the rest as literal text.
            _ => {
                out.push(Segment::Literal(at..text.len()));
                break;
            }
        }
    }
    merge_literals(out)
}

/// The variables of `text`, in order of appearance.
pub fn vars(segments: &[Segment]) -> impl Iterator<Item = &Var> {
    segments.iter().filter_map(|s| match s {
        Segment::Var(v) => Some(v),
        _ => None,
    })
}

/// The variable a placeholder stands for as its author meant it: the name of a well-formed
/// one, or the guess for a broken one (`{{ 1 }}` → 1, `{{first-name}}` → first_name, `{{2}` →
/// 2). Rules that count variables (WT110) use it, so a typo in the braces is reported once by
/// WT001/WT002 and not a second time as a wrong number of examples. `None` for literals and
/// for broken placeholders nothing can be guessed from (`{{}}`, a stray `}}`).
pub fn intended(seg: &Segment) -> Option<VarName> {
    let guess = match seg {
        Segment::Literal(_) => return None,
        Segment::Var(Var {
            name: VarName::Invalid(content),
            ..
        }) => guess_name(content)?,
        Segment::Var(v) => return Some(v.name.clone()),
        Segment::Malformed(m) => m
            .suggestion
            .as_deref()
            .and_then(|s| s.strip_prefix("{{")?.strip_suffix("}}"))?
            .to_string(),
    };
    if guess.bytes().all(|b| b.is_ascii_digit()) {
        Some(VarName::Positional(guess.parse().unwrap_or(u32::MAX)))
    } else {
        Some(VarName::Named(guess))
    }
}

/// What the grammar recognises before classification.
enum Raw<'a> {
    /// Literal text without braces.
    Text(&'a str),
    /// `open` braces, content without braces or line break, `close` braces.
    Braced {
        open: &'a str,
        content: &'a str,
        close: &'a str,
    },
    /// A run of `}` with no opening brace before it.
    Closing(&'a str),
}

fn raw_segment(input: &str) -> IResult<&str, Raw<'_>> {
    nom::branch::alt((braced, closing, text_run)).parse(input)
}

fn text_run(input: &str) -> IResult<&str, Raw<'_>> {
    take_till1(|c| c == '{' || c == '}')
        .map(Raw::Text)
        .parse(input)
}

fn braced(input: &str) -> IResult<&str, Raw<'_>> {
    (
        take_while1(|c| c == '{'),
        // A placeholder never spans lines; stop before CR too, so an unclosed `{{2` at the
        // end of a CRLF line does not take the `\r` into its span.
        take_till(|c| c == '{' || c == '}' || c == '\n' || c == '\r'),
        take_while(|c| c == '}'),
    )
        .map(|(open, content, close)| Raw::Braced {
            open,
            content,
            close,
        })
        .parse(input)
}

fn closing(input: &str) -> IResult<&str, Raw<'_>> {
    take_while1(|c| c == '}').map(Raw::Closing).parse(input)
}

fn classify(text: &str, at: usize, raw: Raw<'_>) -> Segment {
    match raw {
        Raw::Text(t) => Segment::Literal(at..at + t.len()),
        Raw::Closing(c) if c.len() == 1 => Segment::Literal(at..at + 1),
        Raw::Closing(c) => Segment::Malformed(Malformed {
            span: at..at + c.len(),
            written: c.to_string(),
            suggestion: None,
        }),
        Raw::Braced {
            open,
            content,
            close,
        } => {
            let len = open.len() + content.len() + close.len();
            let span = at..at + len;
            let written = &text[span.clone()];
            let guess = guess_name(content);
            if open.len() == 2 && close.len() == 2 && !content.is_empty() {
                return Segment::Var(Var {
                    span,
                    name: name_of(content),
                });
            }
            // A single `{` or `}` around text that is not a placeholder attempt is just text
            // (`{` in "use {braces}" or a lone brace in prose).
            let digits =
                !content.trim().is_empty() && content.trim().bytes().all(|b| b.is_ascii_digit());
            let attempt = open.len() >= 2 || close.len() >= 2 || digits;
            if !attempt || (open.len() == 1 && close.is_empty()) {
                return Segment::Literal(span);
            }
            Segment::Malformed(Malformed {
                span,
                written: written.to_string(),
                suggestion: guess.map(|g| format!("{{{{{g}}}}}")),
            })
        }
    }
}

fn name_of(content: &str) -> VarName {
    let bytes = content.as_bytes();
    if bytes.iter().all(u8::is_ascii_digit) {
        // Leading zeros (`{{01}}`) are not Meta's form: report them as invalid characters.
        if bytes.len() > 1 && bytes[0] == b'0' {
            return VarName::Invalid(content.to_string());
        }
        // `[1-9][0-9]*` is the valid form at any length; a number past u32 is still a
        // positional variable (WT003 asks to renumber it), not invalid characters.
        return VarName::Positional(content.parse::<u32>().unwrap_or(u32::MAX));
    } else if bytes[0].is_ascii_lowercase()
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_')
    {
        return VarName::Named(content.to_string());
    }
    VarName::Invalid(content.to_string())
}

/// The placeholder a broken one was probably meant to be: digits, or a lower-case snake_case
/// name, from the content with spaces, `#`, `$`, `%` removed.
pub fn guess_name(content: &str) -> Option<String> {
    let trimmed: String = content
        .trim()
        .trim_start_matches(['#', '$', '%'])
        .trim()
        .chars()
        .map(|c| if c == '-' || c == ' ' { '_' } else { c })
        .collect::<String>()
        .to_lowercase();
    if trimmed.is_empty() || trimmed.len() > 64 {
        return None;
    }
    if trimmed.bytes().all(|b| b.is_ascii_digit()) {
        // `{{00}}` has no number to suggest: `{{0}}` is wrong too (WT003).
        let n: u64 = trimmed.parse().ok().filter(|n| *n > 0)?;
        return Some(n.to_string());
    }
    let ok = trimmed.as_bytes()[0].is_ascii_lowercase()
        && trimmed
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    ok.then_some(trimmed)
}

fn merge_literals(segments: Vec<Segment>) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::with_capacity(segments.len());
    for s in segments {
        if let (Some(Segment::Literal(prev)), Segment::Literal(cur)) = (out.last_mut(), &s) {
            if prev.end == cur.start {
                prev.end = cur.end;
                continue;
            }
        }
        out.push(s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn show(text: &str) -> Vec<String> {
        parse(text)
            .iter()
            .map(|s| match s {
                Segment::Literal(r) => format!("lit:{}", &text[r.clone()]),
                Segment::Var(v) => format!("var:{:?}", v.name),
                Segment::Malformed(m) => format!("bad:{}", &text[m.span.clone()]),
            })
            .collect()
    }

    #[test]
    fn variables_and_literals() {
        assert_eq!(
            show("Order #{{1}} for {{first_name}}."),
            [
                "lit:Order #",
                "var:Positional(1)",
                "lit: for ",
                "var:Named(\"first_name\")",
                "lit:."
            ]
        );
    }

    #[test]
    fn malformed_braces() {
        assert_eq!(show("a {{1} b"), ["lit:a ", "bad:{{1}", "lit: b"]);
        assert_eq!(show("a {1}} b"), ["lit:a ", "bad:{1}}", "lit: b"]);
        assert_eq!(show("a {{{1}}} b"), ["lit:a ", "bad:{{{1}}}", "lit: b"]);
        assert_eq!(show("a {{}} b"), ["lit:a ", "bad:{{}}", "lit: b"]);
        assert_eq!(show("a {{1 b"), ["lit:a ", "bad:{{1 b"]);
        assert_eq!(show("x }} y"), ["lit:x ", "bad:}}", "lit: y"]);
        assert_eq!(show("a {{2\r\nb"), ["lit:a ", "bad:{{2", "lit:\r\nb"]);
    }

    #[test]
    fn invalid_content_is_a_var_with_invalid_name() {
        assert_eq!(show("{{ 1 }}"), ["var:Invalid(\" 1 \")"]);
        assert_eq!(show("{{#1}}"), ["var:Invalid(\"#1\")"]);
        assert_eq!(show("{{First}}"), ["var:Invalid(\"First\")"]);
        assert_eq!(show("{{01}}"), ["var:Invalid(\"01\")"]);
        assert_eq!(show("{{99999999999}}"), ["var:Positional(4294967295)"]);
    }

    #[test]
    fn prose_braces_are_text() {
        assert_eq!(show("use {braces} here"), ["lit:use {braces} here"]);
        assert_eq!(show("a } b { c"), ["lit:a } b { c"]);
    }

    #[test]
    fn suggestions() {
        let Segment::Malformed(m) = &parse("{{1}")[0] else {
            panic!("expected malformed")
        };
        assert_eq!(m.suggestion.as_deref(), Some("{{1}}"));
        assert_eq!(guess_name(" First-Name ").as_deref(), Some("first_name"));
    }

    #[test]
    fn intended_names_of_broken_placeholders() {
        let names: Vec<Option<VarName>> = parse("{{ 1 }} {{2} {{first-name}} {{}} }} {{3}}")
            .iter()
            .filter(|s| !matches!(s, Segment::Literal(_)))
            .map(intended)
            .collect();
        assert_eq!(
            names,
            [
                Some(VarName::Positional(1)),
                Some(VarName::Positional(2)),
                Some(VarName::Named("first_name".into())),
                None,
                None,
                Some(VarName::Positional(3)),
            ]
        );
    }

    proptest! {
        #[test]
        fn total_and_covering(text in "(\\PC|[{}\n ]){0,80}") {
            let segs = parse(&text);
            let mut at = 0;
            for s in &segs {
                let r = s.span();
                prop_assert_eq!(r.start, at);
                prop_assert!(r.end > r.start);
                prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                at = r.end;
            }
            prop_assert_eq!(at, text.len());
        }
    }
}
