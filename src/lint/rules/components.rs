//! Components and limits: WT020–WT029.

use crate::lint::diagnostic::Severity;
use crate::lint::rules::{declare_rules, plural};
use crate::lint::Checker;
use crate::template::text::{Segment, VarName};
use crate::template::{ExampleValues, Header, Language, Str};

declare_rules! {
    /// ## What it does
    /// A text header longer than 60 characters.
    ///
    /// ## Why Meta rejects it
    /// Meta's limit for header text is 60 characters (meta/api.md §3.3).
    ///
    /// ## Example
    /// `header = "Your order from the Spring collection has shipped and is on its way"`
    ///
    /// Use instead:
    /// `header = "Your order has shipped"`
    WT020 = ("WT020", "header-too-long", Error, Components, "text header longer than 60 characters");

    /// ## What it does
    /// A text header with more than one variable.
    ///
    /// ## Why Meta rejects it
    /// A text header takes at most one parameter (meta/api.md §3.3).
    ///
    /// ## Example
    /// `header = "Order {{1}} for {{2}}"`
    ///
    /// Use instead:
    /// `header = "Order {{1}}"`, with the name in the body.
    WT021 = ("WT021", "header-too-many-variables", Error, Components, "text header with more than one variable");

    /// ## What it does
    /// Emoji, `*` `_` `~` or backtick markup, or a newline in a text header.
    ///
    /// ## Why Meta rejects it
    /// Header text allows no Markdown special characters (meta/api.md §3.3); emoji and
    /// newlines fail with subcode 2388047.
    ///
    /// ## Example
    /// `header = "*Big news* 🎉"`
    ///
    /// Use instead:
    /// `header = "Big news"`
    WT022 = ("WT022", "header-formatting", Error, Components, "emoji, markup or newline in a text header");

    /// ## What it does
    /// A body longer than 1024 characters is an error; a warning when the body is shorter but
    /// would pass 1024 with its longest example values substituted.
    ///
    /// ## Why Meta rejects it
    /// Meta's body limit is 1024 characters (meta/api.md §3.2); at send time the filled-in text
    /// must fit too (error 132005).
    ///
    /// ## Example
    /// a body of 1,100 characters
    ///
    /// Use instead:
    /// a shorter body, with the details behind a URL button.
    WT023 = ("WT023", "body-too-long", Error, Components, "body longer than 1024 characters");

    /// ## What it does
    /// A footer longer than 60 characters.
    ///
    /// ## Why Meta rejects it
    /// Meta's footer limit is 60 characters (meta/api.md §3.4).
    ///
    /// ## Example
    /// `footer = "You are receiving this message because you subscribed to our updates"`
    ///
    /// Use instead:
    /// `footer = "Reply STOP to unsubscribe"`
    WT024 = ("WT024", "footer-too-long", Error, Components, "footer longer than 60 characters");

    /// ## What it does
    /// A variable in the footer.
    ///
    /// ## Why Meta rejects it
    /// The footer component has no example field and is static text (meta/api.md §2.4).
    ///
    /// ## Example
    /// `footer = "Sent to {{1}}"`
    ///
    /// Use instead:
    /// `footer = "Reply STOP to unsubscribe"`
    WT025 = ("WT025", "footer-has-variable", Error, Components, "placeholder in the footer");

    /// ## What it does
    /// Emoji, markup or a newline in the footer.
    ///
    /// ## Why it matters
    /// Providers report footers with emoji or formatting being refused (subcode 2388073).
    ///
    /// ## Example
    /// `footer = "_Reply STOP_ ✋"`
    ///
    /// Use instead:
    /// `footer = "Reply STOP to unsubscribe"`
    WT026 = ("WT026", "footer-formatting", Warning, Components, "emoji, markup or newline in the footer");

    /// ## What it does
    /// An image, video or document header without `example`.
    ///
    /// ## Why Meta rejects it
    /// Media headers need a sample at creation (meta/api.md §2.2).
    ///
    /// ## Example
    /// `header = { format = "image" }`
    ///
    /// Use instead:
    /// `header = { format = "image", example = "https://cdn.example.com/banner.jpg" }`
    WT027 = ("WT027", "media-header-sample-missing", Error, Components, "image / video / document header without an example");

    /// ## What it does
    /// Tabs, four or more spaces in a row, more than two blank lines, a literal `\n` typed as
    /// text, or zero-width characters (often copied from Meta's docs, which insert U+200B
    /// inside braces).
    ///
    /// ## Why it matters
    /// Meta's reviewers flag odd formatting, and zero-width characters inside `{{…}}` break
    /// the variable silently.
    ///
    /// ## Example
    /// `body = 'Hello {{1}},\nyour order shipped.'` (a literal string: `\n` is two characters)
    ///
    /// Use instead:
    /// `body = "Hello {{1}},\nyour order shipped."`
    WT028 = ("WT028", "whitespace", Info, Components, "tabs, runs of spaces, many blank lines, literal \\n, zero-width characters");

    /// ## What it does
    /// More than 10 emoji in the body.
    ///
    /// ## Why it matters
    /// Meta says emoji counts may be limited; a wall of emoji reads as spam to reviewers and
    /// customers.
    ///
    /// ## Example
    /// `body = "🎉🎉🎉 Sale 🎉🎉🎉 …"`
    ///
    /// Use instead:
    /// one or two emoji where they help.
    WT029 = ("WT029", "emoji-count", Info, Components, "more than 10 emoji");
}

/// Meta's text limits (meta/api.md §3.2–§3.4).
pub(crate) const MAX_HEADER_CHARS: usize = 60;
pub(crate) const MAX_BODY_CHARS: usize = 1024;
pub(crate) const MAX_FOOTER_CHARS: usize = 60;
const MAX_EMOJI: usize = 10;

/// Emoji and pictographs (the ranges that render as emoji on WhatsApp).
pub(crate) fn is_emoji(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF
        | 0x2300..=0x23FF | 0x3030 | 0x303D | 0x3297 | 0x3299 | 0xFE0F)
}

pub(crate) const ZERO_WIDTH: &[char] =
    &['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}'];

const ZWJ: char = '\u{200D}';
const ZWNJ: char = '\u{200C}';

/// Emoji as a reader counts them: a skin tone, U+FE0F, tag characters and everything
/// joined by U+200D belong to the emoji before them, two regional indicators are one flag,
/// and a keycap (`1️⃣`) is one emoji although its base is a digit.
pub(crate) fn emoji_count(s: &str) -> usize {
    let mut count = 0;
    // The previous char was (part of) an emoji; a ZWJ after it joins the next one.
    let mut in_emoji = false;
    let mut joined = false;
    let mut half_flag = false;
    for c in s.chars() {
        let u = c as u32;
        if c == ZWJ && in_emoji {
            joined = true;
        } else if c == '\u{FE0F}'
            || (0x1F3FB..=0x1F3FF).contains(&u)
            || (0xE0020..=0xE007F).contains(&u)
        {
            // Presentation selector, skin tone, tag: part of what came before.
        } else if c == '\u{20E3}' {
            if !in_emoji {
                count += 1;
                in_emoji = true;
            }
        } else if (0x1F1E6..=0x1F1FF).contains(&u) {
            if half_flag && !joined {
                half_flag = false;
            } else {
                count += usize::from(!joined);
                half_flag = true;
            }
            in_emoji = true;
            joined = false;
        } else if is_emoji(c) {
            count += usize::from(!joined);
            in_emoji = true;
            joined = false;
            half_flag = false;
        } else {
            in_emoji = false;
            joined = false;
            half_flag = false;
        }
    }
    count
}

/// The first zero-width character that is a stray one. U+200D between two emoji is part of
/// the emoji (👩‍💻), and U+200C/U+200D between two letters are spelling (Persian and Indic
/// scripts need them): neither is the invisible junk copied from documentation that WT028
/// is about. U+200B, U+2060 and U+FEFF are always reported.
fn stray_zero_width(v: &str) -> Option<(usize, char)> {
    let chars: Vec<(usize, char)> = v.char_indices().collect();
    chars.iter().enumerate().find_map(|(k, &(i, c))| {
        if !ZERO_WIDTH.contains(&c) {
            return None;
        }
        let prev = k.checked_sub(1).map(|p| chars[p].1);
        let next = chars.get(k + 1).map(|n| n.1);
        let (Some(prev), Some(next)) = (prev, next) else {
            return Some((i, c));
        };
        let emoji_join = c == ZWJ && is_emoji(prev) && is_emoji(next);
        let letters_join = (c == ZWJ || c == ZWNJ) && prev.is_alphabetic() && next.is_alphabetic();
        (!emoji_join && !letters_join).then_some((i, c))
    })
}

pub(crate) fn check(cx: &mut Checker<'_>) {
    let t = cx.template;
    for lang in &t.languages {
        cx.set_language(Some(&lang.code));
        match &lang.header {
            Some(Header::Text(h)) => header(cx, h),
            Some(Header::Media {
                format,
                example: None,
                span,
                misspelt,
                ..
            }) if !misspelt.contains(&"example") => cx.report(
                &WT027,
                span.clone(),
                format!(
                    "{} header without `example`",
                    format.as_meta().to_lowercase()
                ),
                "add `example = \"https://…\"` (a sample file URL or an upload handle)",
            ),
            _ => {}
        }
        if let Some(body) = &lang.body {
            body_checks(cx, lang, body);
            whitespace(cx, body, true);
        }
        if let Some(f) = &lang.footer {
            footer(cx, f);
            whitespace(cx, f, false);
        }
        if let Some(Header::Text(h)) = &lang.header {
            whitespace(cx, h, false);
        }
    }
    cx.set_language(None);
}

/// The decoded range from char `n` to the end.
fn overflow(s: &str, n: usize) -> std::ops::Range<usize> {
    let start = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    start..s.len()
}

fn header(cx: &mut Checker<'_>, h: &Str) {
    let len = h.value.chars().count();
    if len > MAX_HEADER_CHARS {
        cx.report_in(
            &WT020,
            h,
            overflow(&h.value, MAX_HEADER_CHARS),
            format!("the header is {len} characters; Meta allows {MAX_HEADER_CHARS}"),
            format!(
                "shorten the header by {}",
                plural(len - MAX_HEADER_CHARS, "character")
            ),
        );
    }
    let segs = h.segments();
    let vars: Vec<_> = crate::template::text::vars(&segs).collect();
    if vars.len() > 1 {
        cx.report_in(
            &WT021,
            h,
            vars[1].span.clone(),
            format!("the header has {} variables; Meta allows 1", vars.len()),
            "keep one variable in the header and move the others to the body",
        );
    }
    formatting(cx, &WT022, h, &segs, "header");
}

fn footer(cx: &mut Checker<'_>, f: &Str) {
    let len = f.value.chars().count();
    if len > MAX_FOOTER_CHARS {
        cx.report_in(
            &WT024,
            f,
            overflow(&f.value, MAX_FOOTER_CHARS),
            format!("the footer is {len} characters; Meta allows {MAX_FOOTER_CHARS}"),
            format!(
                "shorten the footer by {}",
                plural(len - MAX_FOOTER_CHARS, "character")
            ),
        );
    }
    let segs = f.segments();
    for seg in &segs {
        if let Segment::Var(v) = seg {
            cx.report_in(
                &WT025,
                f,
                v.span.clone(),
                format!("variable `{}` in the footer", &f.value[v.span.clone()]),
                "footers are static text: move the variable to the body",
            );
        }
    }
    formatting(cx, &WT026, f, &segs, "footer");
}

/// WT022 / WT026: emoji, markup or newline outside variables; one finding per component.
fn formatting(
    cx: &mut Checker<'_>,
    rule: &'static crate::lint::rules::Rule,
    s: &Str,
    segs: &[Segment],
    part: &str,
) {
    for seg in segs {
        let Segment::Literal(r) = seg else { continue };
        let lit = &s.value[r.clone()];
        if let Some((i, c)) = lit
            .char_indices()
            .find(|(_, c)| is_emoji(*c) || matches!(c, '*' | '_' | '~' | '`' | '\n' | '\r'))
        {
            let (what, help) = match c {
                '\n' | '\r' => (
                    "a newline".to_string(),
                    format!("write the {part} on one line: it is plain text"),
                ),
                c if is_emoji(c) => (
                    format!("the emoji {c}"),
                    format!("remove the emoji: the {part} is plain text"),
                ),
                c => (
                    format!("the formatting character `{c}`"),
                    format!("remove the `{c}`: the {part} is plain text, without `*`, `_`, `~` or backtick markup"),
                ),
            };
            let start = r.start + i;
            cx.report_in(
                rule,
                s,
                start..start + c.len_utf8(),
                format!("the {part} contains {what}"),
                help,
            );
            return;
        }
    }
}

fn body_checks(cx: &mut Checker<'_>, lang: &Language, body: &Str) {
    let len = body.value.chars().count();
    if len > MAX_BODY_CHARS {
        cx.report_in(
            &WT023,
            body,
            overflow(&body.value, MAX_BODY_CHARS),
            format!("the body is {len} characters; Meta allows {MAX_BODY_CHARS}"),
            format!(
                "shorten the body by {}",
                plural(len - MAX_BODY_CHARS, "character")
            ),
        );
    } else {
        let filled = filled_len(lang, body);
        if filled > MAX_BODY_CHARS {
            let d = cx
                .diag(&WT023, body.span(), format!("with its example values the body is {filled} characters; Meta allows {MAX_BODY_CHARS} at send time"))
                .help(format!(
                    "shorten the fixed text or the example values by {}",
                    plural(filled - MAX_BODY_CHARS, "character")
                ))
                .severity(Severity::Warning);
            cx.push(d);
        }
    }
    let emoji = emoji_count(&body.value);
    if emoji > MAX_EMOJI {
        cx.report(
            &WT029,
            body.span(),
            format!("the body has {emoji} emoji"),
            format!(
                "remove at least {} emoji (Meta may limit emoji; keep at most {MAX_EMOJI})",
                emoji - MAX_EMOJI
            ),
        );
    }
}

/// Body length with each variable replaced by its example.
fn filled_len(lang: &Language, body: &Str) -> usize {
    let Some(ex) = &lang.examples.body else {
        return body.value.chars().count();
    };
    let mut total = 0;
    for seg in body.segments() {
        match &seg {
            Segment::Var(v) => {
                let value = match (&v.name, &ex.values) {
                    (VarName::Positional(n), ExampleValues::Positional(vals)) => vals
                        .get((*n as usize).wrapping_sub(1))
                        .map(|s| s.value.chars().count()),
                    (VarName::Named(name), ExampleValues::Named(vals)) => vals
                        .iter()
                        .find(|(k, _, _)| k == name)
                        .map(|(_, _, s)| s.value.chars().count()),
                    _ => None,
                };
                total += value.unwrap_or_else(|| body.value[v.span.clone()].chars().count());
            }
            other => total += body.value[other.span()].chars().count(),
        }
    }
    total
}

/// WT028: one finding per kind per component.
fn whitespace(cx: &mut Checker<'_>, s: &Str, body: bool) {
    let v = &s.value;
    let mut found: Vec<(std::ops::Range<usize>, &str, &str)> = Vec::new();
    if let Some(i) = v.find('\t') {
        found.push((i..i + 1, "a tab", "replace the tab with a space"));
    }
    if let Some(i) = v.find("    ") {
        let end = i + v[i..].find(|c| c != ' ').unwrap_or(v.len() - i);
        found.push((
            i..end,
            "a run of 4 or more spaces",
            "replace the run with one space",
        ));
    }
    if body {
        let normalized: String = v.replace("\r\n", "\n");
        if normalized.contains("\n\n\n\n") {
            // Point at the run in the original text.
            let mut count = 0;
            let mut start = None;
            for (i, c) in v.char_indices() {
                match c {
                    '\n' => {
                        count += 1;
                        if count == 1 {
                            start = Some(i);
                        }
                        if count == 4 {
                            found.push((
                                start.unwrap_or(i)..i + 1,
                                "more than two blank lines",
                                "keep at most one blank line between paragraphs",
                            ));
                            break;
                        }
                    }
                    '\r' | ' ' | '\t' => {}
                    _ => count = 0,
                }
            }
        }
    }
    if let Some(i) = v.find("\\n") {
        found.push((i..i + 2, "a literal `\\n` (backslash and n)", "write a real line break: use a basic string (\"…\\n…\") or a multi-line string (\"\"\"…\"\"\")"));
    }
    if let Some((i, c)) = stray_zero_width(v) {
        found.push((
            i..i + c.len_utf8(),
            "a zero-width character",
            "delete the invisible character (often copied from documentation)",
        ));
    }
    for (range, what, help) in found {
        cx.report_in(&WT028, s, range, format!("the text contains {what}"), help);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_are_counted_as_readers_see_them() {
        assert_eq!(emoji_count("🎉🎉"), 2);
        assert_eq!(emoji_count("👋🏽"), 1, "skin tone");
        assert_eq!(emoji_count("🇧🇷🇵🇹"), 2, "two flags");
        assert_eq!(emoji_count("1️⃣ #️⃣"), 2, "keycaps");
        assert_eq!(emoji_count("👨‍👩‍👧 👩‍💻"), 2, "ZWJ sequences");
        assert_eq!(emoji_count("🛍️🛍️"), 2, "presentation selector");
        assert_eq!(emoji_count("no emoji, ‍ just a stray joiner"), 0);
    }

    #[test]
    fn joiners_inside_emoji_and_words_are_not_stray() {
        assert_eq!(stray_zero_width("dev 👩‍💻 ok"), None);
        assert_eq!(stray_zero_width("می\u{200C}خواهم"), None);
        assert_eq!(stray_zero_width("{\u{200B}{1}}"), Some((1, '\u{200B}')));
        assert_eq!(stray_zero_width("a \u{200D}b"), Some((2, ZWJ)));
    }
}
