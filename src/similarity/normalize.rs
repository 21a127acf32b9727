//! RULES.md normalisation for WT127/WT128, byte-for-byte the anchor's `norm()`:
//! `SPACE.sub(" ", PLACEHOLDER.sub(TOKEN, text).lower()).strip()`.

use std::borrow::Cow;

/// The single token every placeholder becomes. U+FFFC (OBJECT REPLACEMENT CHARACTER)
/// is what `rapidfuzz_anchor.py` uses; it has no case mapping and is not whitespace, so
/// lower-casing and whitespace collapsing leave it alone.
pub const PLACEHOLDER_TOKEN: char = '\u{FFFC}';

/// Normalises a template body for the duplicate rules (RULES.md, WT127/WT128).
///
/// Steps, in the anchor's order:
/// 1. every match of `\{\{[^{}]*\}\}` (leftmost, non-overlapping, so `{{1}}`, `{{ 2 }}`,
///    `{{first_name}}`, even `{{}}`) becomes [`PLACEHOLDER_TOKEN`];
/// 2. full Unicode lower-casing (`str::to_lowercase`, like Python's `str.lower()`: `'İ'` becomes
///    `"i\u{307}"` and a word-final `'Σ'` becomes `'ς'` in both);
/// 3. every run of Python-`\s` whitespace becomes one space, and the ends are stripped.
///
/// Known difference from the anchor: Rust's Unicode tables are newer than Python 3.11's
/// (Unicode 14). The 55 code points that gained a lowercase mapping since (Garay, U+10D50..;
/// Latin U+A7CB.. additions; U+1C89; U+16EA0..) are lower-cased here and left as they are by
/// Python 3.11. No template language Meta supports uses them.
pub fn normalize(text: &str) -> String {
    // `str::to_lowercase` differs from lower-casing char by char only for 'Σ', whose
    // final-sigma form depends on its neighbours; such texts take the three-step path.
    if text.contains('Σ') {
        return normalize_in_steps(text);
    }
    // One pass doing all three steps: placeholders are found on the original text (as in
    // the anchor, before anything else), every other char is lower-cased and whitespace runs
    // are held back until the next kept char, which also strips both ends.
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'{' {
            if let Some(end) = placeholder_end(bytes, i) {
                push_kept(&mut out, &mut pending_space, PLACEHOLDER_TOKEN);
                i = end;
                continue;
            }
        }
        if b.is_ascii() {
            if is_python_space(char::from(b)) {
                pending_space = true;
            } else {
                push_kept(
                    &mut out,
                    &mut pending_space,
                    char::from(b.to_ascii_lowercase()),
                );
            }
            i += 1;
        } else {
            // A non-ASCII char starts here (i is always on a char boundary).
            let c = text[i..].chars().next().unwrap_or_default();
            if is_python_space(c) {
                pending_space = true;
            } else {
                for l in c.to_lowercase() {
                    push_kept(&mut out, &mut pending_space, l);
                }
            }
            i += c.len_utf8();
        }
    }
    out
}

/// Appends a non-space char, preceded by the one space that stands for a pending whitespace
/// run unless nothing was kept yet (leading whitespace is stripped).
#[inline]
fn push_kept(out: &mut String, pending_space: &mut bool, c: char) {
    if *pending_space && !out.is_empty() {
        out.push(' ');
    }
    *pending_space = false;
    out.push(c);
}

/// The anchor's three steps, one after the other: the definition, used for texts with 'Σ'
/// and in tests as the reference for the one-pass version.
pub(crate) fn normalize_in_steps(text: &str) -> String {
    let replaced = replace_placeholders(text);
    let lowered = replaced.to_lowercase();
    collapse_whitespace(&lowered)
}

/// If a placeholder `\{\{[^{}]*\}\}` starts at byte `i`, the byte just past it.
///
/// Braces are ASCII, so scanning bytes never splits a UTF-8 sequence. At a `{{`, the run of
/// non-brace bytes is maximal, and the regex can only match if that run is followed by `}}`
/// (backtracking into the run cannot produce a `}`), so one scan decides each start position
/// exactly as the regex engine would; a failed start moves on by one byte, as the engine
/// does. Each run is scanned from at most one start, so a whole text costs linear time.
fn placeholder_end(bytes: &[u8], i: usize) -> Option<usize> {
    if bytes.get(i) != Some(&b'{') || bytes.get(i + 1) != Some(&b'{') {
        return None;
    }
    let mut j = i + 2;
    while j < bytes.len() && bytes[j] != b'{' && bytes[j] != b'}' {
        j += 1;
    }
    (bytes.get(j) == Some(&b'}') && bytes.get(j + 1) == Some(&b'}')).then_some(j + 2)
}

/// Python's `\s` for `str` patterns is `str.isspace()`: Unicode White_Space (what
/// `char::is_whitespace` tests) plus the four ASCII information separators U+001C..U+001F
/// (bidirectional class B/S). Checked against CPython 3.11 over all code points.
pub(crate) fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `\{\{[^{}]*\}\}` replaced by the token (see [`placeholder_end`]).
fn replace_placeholders(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(end) = placeholder_end(bytes, i) {
            let buf = out.get_or_insert_with(|| String::with_capacity(text.len()));
            buf.push_str(&text[copied..i]);
            buf.push(PLACEHOLDER_TOKEN);
            i = end;
            copied = i;
        } else {
            i += 1;
        }
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut buf) => {
            buf.push_str(&text[copied..]);
            Cow::Owned(buf)
        }
    }
}

/// `re.sub(r"\s+", " ", s).strip()`: runs become one space; a run at either end disappears.
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if is_python_space(c) {
            pending_space = true;
        } else {
            push_kept(&mut out, &mut pending_space, c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const T: char = PLACEHOLDER_TOKEN;

    #[test]
    fn normalize_replaces_every_placeholder_style_with_one_token() {
        assert_eq!(
            normalize("Hi {{1}}, order {{ 2 }} for {{first_name}}."),
            format!("hi {T}, order {T} for {T}.")
        );
        assert_eq!(normalize("{{}} and {{a b}}"), format!("{T} and {T}"));
        // Placeholder content may span lines, like `[^{}]` in the anchor's regex.
        assert_eq!(normalize("a {{x\ny}} b"), format!("a {T} b"));
    }

    #[test]
    fn normalize_matches_the_regex_on_broken_braces() {
        // `\{\{[^{}]*\}\}`, leftmost and non-overlapping, as Python's re.sub scans.
        assert_eq!(normalize("{{{1}}}"), format!("{{{T}}}"));
        assert_eq!(normalize("{{1}"), "{{1}");
        assert_eq!(normalize("{1}}"), "{1}}");
        assert_eq!(normalize("{{1}}}}"), format!("{T}}}}}"));
        assert_eq!(normalize("{{a{{b}}"), format!("{{{{a{T}"));
        assert_eq!(normalize("{{1}}{{2}}"), format!("{T}{T}"));
        assert_eq!(normalize("x{{"), "x{{");
    }

    #[test]
    fn normalize_lowercases_with_full_unicode_rules() {
        assert_eq!(normalize("HELLO Wörld ÉTÉ"), "hello wörld été");
        // Python: 'İ'.lower() == 'i̇' (two code points), and final sigma.
        assert_eq!(normalize("İSTANBUL"), "i\u{307}stanbul");
        assert_eq!(normalize("ΟΔΟΣ ΟΔΟΣ."), "οδος οδος.");
        // The token is never touched by lower-casing.
        assert_eq!(normalize("{{NAME}}"), T.to_string());
    }

    #[test]
    fn normalize_collapses_python_whitespace_runs_and_strips() {
        assert_eq!(normalize("  a \t\n b\r\n\nc  "), "a b c");
        assert_eq!(normalize("a\u{a0}\u{2003}b\u{3000}c"), "a b c");
        // Python's \s also matches the information separators U+001C..U+001F.
        assert_eq!(normalize("a\u{1c}\u{1f}b"), "a b");
        // U+200B is not whitespace in Python or Rust.
        assert_eq!(normalize("a\u{200b}b"), "a\u{200b}b");
        assert_eq!(normalize(" \t\n "), "");
        assert_eq!(normalize(""), "");
        assert_eq!(
            normalize("Hi {{1}} ,\n\n  thanks"),
            format!("hi {T} , thanks")
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        /// The one-pass normalisation equals the anchor's three steps done one after the other.
        #[test]
        fn normalize_in_one_pass_equals_the_three_steps(
            parts in prop::collection::vec(prop::sample::select(vec![
                "{{", "}}", "{", "}", "{{1}}", "{{ 2 }}", "{{first_name}}", "{{}}", " ", "  ", "\t", "\n",
                "\r\n", "\u{a0}", "\u{2003}", "\u{1c}", "\u{85}", "\u{200b}", "a", "B", "ÉTÉ", "ß", "İ",
                "Σ", "ΑΣ", "ς", "中文", "😀", "Hello", "WORLD", "x{y}z", "\u{FFFC}", ".", "'",
            ]), 0..24),
        ) {
            let text: String = parts.concat();
            prop_assert_eq!(normalize(&text), normalize_in_steps(&text), "{:?}", text);
            // Without 'Σ' the one-pass path runs (with it, both paths are the same code).
            let no_sigma = text.replace('Σ', "S");
            prop_assert_eq!(normalize(&no_sigma), normalize_in_steps(&no_sigma), "{:?}", no_sigma);
        }
    }
}
