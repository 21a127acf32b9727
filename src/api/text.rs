//! Text that came from the server, made safe to print.
//!
//! Template names, statuses, rejection reasons, component text and Meta's error messages
//! end up on a terminal or in a CI log. A control character in them (ESC, CR, BEL, the C1
//! range) could move the cursor, clear the screen, overwrite a `failed` line, set the
//! window title or write the clipboard (OSC 52); a bidirectional override could reorder
//! what is shown. Meta never sends them, so they are shown as visible `\u{1b}` escapes.

use std::borrow::Cow;

use serde_json::Value;

/// Whether `c` must not reach a terminal as is.
fn unsafe_char(c: char, keep_newlines: bool) -> bool {
    (c.is_control() && !(keep_newlines && c == '\n'))
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// `s` with control characters and bidirectional overrides written as `\u{..}`.
/// `keep_newlines` keeps `\n` (template bodies are multi-line).
pub fn printable(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !s.chars().any(|c| unsafe_char(c, keep_newlines)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c, keep_newlines) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`printable`] on a single-line value, in place.
pub(crate) fn line(s: &mut String) {
    if let Cow::Owned(clean) = printable(s, false) {
        *s = clean;
    }
}

/// [`printable`] on an optional single-line value, in place.
pub(crate) fn opt_line(s: &mut Option<String>) {
    if let Some(s) = s {
        line(s);
    }
}

/// [`printable`] on every string (and key) of a JSON value, keeping newlines.
pub(crate) fn json(v: &mut Value) {
    match v {
        Value::String(s) => {
            if let Cow::Owned(clean) = printable(s, true) {
                *s = clean;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(json),
        Value::Object(map) => {
            let dirty = map
                .keys()
                .any(|k| matches!(printable(k, true), Cow::Owned(_)));
            if dirty {
                let old = std::mem::take(map);
                for (k, mut v) in old {
                    json(&mut v);
                    map.insert(printable(&k, true).into_owned(), v);
                }
            } else {
                map.values_mut().for_each(json);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_become_visible() {
        assert_eq!(printable("order_shipped", false), "order_shipped");
        assert!(matches!(printable("plain", false), Cow::Borrowed(_)));
        assert_eq!(printable("a\u{1b}[2Jb", false), "a\\u{1b}[2Jb");
        assert_eq!(printable("x\ry\u{7}", false), "x\\u{d}y\\u{7}");
        assert_eq!(printable("l1\nl2", true), "l1\nl2");
        assert_eq!(printable("l1\nl2", false), "l1\\u{a}l2");
        assert_eq!(printable("\u{9b}31m", false), "\\u{9b}31m");
        assert_eq!(printable("abc\u{202e}fed", false), "abc\\u{202e}fed");
        assert_eq!(printable("Olá, 你好 👋", false), "Olá, 你好 👋");
        let mut v = serde_json::json!({"type": "BODY", "text": "Hi\n\u{1b}]0;t\u{7}", "k\u{1b}": [1, "\r"]});
        json(&mut v);
        assert_eq!(
            v,
            serde_json::json!({"type": "BODY", "text": "Hi\n\\u{1b}]0;t\\u{7}", "k\\u{1b}": [1, "\\u{d}"]})
        );
    }
}
