//! Source files as they are on disk, and the maps from decoded text back to file bytes.
//!
//! Every diagnostic points at a byte range of the file *as it is on disk*: the BOM is kept,
//! CRLF is kept, and a string value's decoded text is mapped back to the bytes of its TOML
//! literal (escapes, `'''` with a leading newline, line-ending backslashes) by [`LiteralMap`].

use std::ops::Range;
use std::path::{Path, PathBuf};

/// A file read from disk. `text` is the file's bytes when they are UTF-8 (BOM kept), or a lossy
/// copy when they are not (the loader then reports WT000 at the first invalid byte).
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user should see it (relative to the working directory when possible).
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
    /// (byte offset, chars before it) about every [`CHAR_MARK_STEP`] bytes, so that a column
    /// on a very long line is counted from the nearest mark, not from the line start.
    char_marks: Vec<(usize, usize)>,
}

/// Distance in bytes between two entries of [`SourceFile::char_marks`].
const CHAR_MARK_STEP: usize = 4096;

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut char_marks = vec![(0, 0)];
        let mut next = CHAR_MARK_STEP;
        for (chars, (at, _)) in text.char_indices().enumerate() {
            if at >= next {
                char_marks.push((at, chars));
                next = at + CHAR_MARK_STEP;
            }
        }
        Self {
            path: path.into(),
            text,
            line_starts,
            char_marks,
        }
    }

    /// Characters before byte `offset` (a char boundary): O(CHAR_MARK_STEP), not O(offset).
    fn chars_before(&self, offset: usize) -> usize {
        let i = self.char_marks.partition_point(|&(at, _)| at <= offset) - 1;
        let (at, chars) = self.char_marks[i];
        chars + self.text[at..offset].chars().count()
    }

    /// The path with `/` separators, as shown in every output format.
    pub fn display_path(&self) -> String {
        display_path(&self.path)
    }

    /// 1-based line and 1-based column counted in characters, for a byte offset.
    /// Offsets past the end or inside a character are clamped to the previous boundary.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        // Each diagnostic asks once: on a 4 MB line, counting from the line start for every
        // one of thousands of findings was quadratic.
        let mut column = self.chars_before(offset) - self.chars_before(start) + 1;
        // The BOM is not a visible column.
        if line == 0 && self.text.starts_with('\u{feff}') && offset > 0 {
            column -= 1;
        }
        (line + 1, column)
    }

    /// Number of lines (a file without newline has one).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where 0-based `line` starts (the end of the text past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len())
    }

    /// The 0-based line index that holds `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= offset.min(self.text.len()))
            - 1
    }
}

/// A path with forward slashes and without a leading `./`.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    match s.strip_prefix("./") {
        Some(rest) => rest.to_string(),
        None => s,
    }
}

/// Maps byte offsets of a decoded TOML string back to byte offsets in the file.
///
/// Built by re-walking the literal as written (`&src[span]`, quotes included), the way
/// toml's decoder reads it: `'…'` shifts by one, `'''` by three plus an optional leading
/// newline, and basic strings add a checkpoint for every escape and line-ending backslash.
/// When the re-walk does not reproduce the decoded value exactly (it should always), the map
/// degrades to pointing every offset at the whole literal rather than at wrong bytes.
#[derive(Debug, Clone)]
pub struct LiteralMap {
    /// The literal's span in the file, quotes included.
    pub span: Range<usize>,
    /// For each decoded char start: (decoded offset, file offset, file length of that char).
    /// Empty when `direct` is set.
    points: Vec<(usize, usize, usize)>,
    exact: bool,
    /// Most literals have no escapes: the decoded text *is* the file's bytes from this offset,
    /// and mapping is one addition (no per-char table: 20,000 bodies would cost ~100 MB).
    direct: Option<usize>,
}

impl LiteralMap {
    /// A map for a value whose file bytes are not a string literal (falls back to `span`).
    pub fn opaque(span: Range<usize>) -> Self {
        Self {
            span,
            points: Vec::new(),
            exact: false,
            direct: None,
        }
    }

    pub fn new(file_text: &str, span: Range<usize>, decoded: &str) -> Self {
        let raw = file_text.get(span.clone()).unwrap_or("");
        if let Some(at) = direct_offset(raw, decoded) {
            return Self {
                direct: Some(span.start + at),
                span,
                points: Vec::new(),
                exact: true,
            };
        }
        match walk_literal(raw) {
            Some((text, points)) if text == decoded => Self {
                points: points
                    .into_iter()
                    .map(|(d, r, l)| (d, r + span.start, l))
                    .collect(),
                span,
                exact: true,
                direct: None,
            },
            _ => Self::opaque(span),
        }
    }

    /// The file range of the decoded range `decoded`.
    pub fn to_file(&self, decoded: Range<usize>) -> Range<usize> {
        if !self.exact {
            return self.span.clone();
        }
        if let Some(base) = self.direct {
            return base + decoded.start..base + decoded.end.max(decoded.start);
        }
        let start = self.locate(decoded.start, false);
        let end = if decoded.end > decoded.start {
            self.locate(decoded.end, true)
        } else {
            start
        };
        start..end.max(start)
    }

    /// Where decoded offset `at` lies in the file; with `end`, the end of the char before it.
    fn locate(&self, at: usize, end: bool) -> usize {
        let idx = self.points.partition_point(|p| p.0 < at);
        if end {
            if idx == 0 {
                return self.content_start();
            }
            let (_, r, l) = self.points[idx - 1];
            return r + l;
        }
        match self.points.get(idx) {
            Some(&(_, r, _)) => r,
            None => match self.points.last() {
                Some(&(_, r, l)) => r + l,
                None => self.content_start(),
            },
        }
    }

    fn content_start(&self) -> usize {
        self.span.start + 1
    }
}

/// Where the decoded text starts in `raw` when it is the literal's bytes verbatim: no escape
/// in a basic string (a literal string has none), after the delimiter and, for multi-line
/// strings, the trimmed leading newline.
fn direct_offset(raw: &str, decoded: &str) -> Option<usize> {
    let (delim, basic) = if raw.starts_with("\"\"\"") {
        (3, true)
    } else if raw.starts_with("'''") {
        (3, false)
    } else if raw.starts_with('"') {
        (1, true)
    } else if raw.starts_with('\'') {
        (1, false)
    } else {
        return None;
    };
    if raw.len() < 2 * delim {
        return None;
    }
    let mut start = delim;
    if delim == 3 {
        if raw[start..].starts_with("\r\n") {
            start += 2;
        } else if raw[start..].starts_with('\n') {
            start += 1;
        }
    }
    let content = raw.get(start..raw.len() - delim)?;
    (content == decoded && !(basic && content.contains('\\'))).then_some(start)
}

/// Decodes a TOML string literal while recording, for each decoded char, the raw offset and
/// raw length of what produced it. Returns `None` for anything that is not a string literal.
/// (decoded offset, raw offset, raw length) of each decoded char.
type Points = Vec<(usize, usize, usize)>;

fn walk_literal(raw: &str) -> Option<(String, Points)> {
    let (quote, multi) = if raw.starts_with("\"\"\"") {
        ('"', true)
    } else if raw.starts_with("'''") {
        ('\'', true)
    } else if raw.starts_with('"') {
        ('"', false)
    } else if raw.starts_with('\'') {
        ('\'', false)
    } else {
        return None;
    };
    let delim = if multi { 3 } else { 1 };
    if raw.len() < 2 * delim {
        return None;
    }
    let body_end = raw.len() - delim;
    let mut i = delim;
    if multi {
        // A newline right after the opening delimiter is trimmed (TOML spec).
        if raw[i..].starts_with("\r\n") {
            i += 2;
        } else if raw[i..].starts_with('\n') {
            i += 1;
        }
    }
    let mut out = String::new();
    let mut points = Vec::new();
    let bytes = raw.as_bytes();
    while i < body_end {
        let c = raw[i..].chars().next()?;
        if quote == '"' && c == '\\' {
            let start = i;
            let esc = *bytes.get(i + 1)? as char;
            let (decoded, len): (Option<char>, usize) = match esc {
                'b' => (Some('\u{8}'), 2),
                't' => (Some('\t'), 2),
                'n' => (Some('\n'), 2),
                'f' => (Some('\u{c}'), 2),
                'r' => (Some('\r'), 2),
                'e' => (Some('\u{1b}'), 2),
                '"' => (Some('"'), 2),
                '\\' => (Some('\\'), 2),
                'x' => (hex_char(raw.get(i + 2..i + 4)?), 4),
                'u' => (hex_char(raw.get(i + 2..i + 6)?), 6),
                'U' => (hex_char(raw.get(i + 2..i + 10)?), 10),
                ' ' | '\t' | '\r' | '\n' if multi => {
                    // Line-ending backslash: skip whitespace and newlines up to the next
                    // non-whitespace character.
                    let mut j = i + 1;
                    while j < body_end && matches!(bytes[j], b' ' | b'\t' | b'\r' | b'\n') {
                        j += 1;
                    }
                    i = j;
                    continue;
                }
                _ => return None,
            };
            let ch = decoded?;
            points.push((out.len(), start, len));
            out.push(ch);
            i += len;
        } else {
            points.push((out.len(), i, c.len_utf8()));
            out.push(c);
            i += c.len_utf8();
        }
    }
    Some((out, points))
}

fn hex_char(hex: &str) -> Option<char> {
    u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(file: &str, decoded: &str, needle: &str) -> String {
        let start = file.find(['"', '\'']).unwrap();
        let end = file.trim_end().len();
        let map = LiteralMap::new(file, start..end, decoded);
        assert!(map.exact, "re-walk must reproduce the decoded text");
        let at = decoded.find(needle).unwrap();
        file[map.to_file(at..at + needle.len())].to_string()
    }

    #[test]
    fn basic_string_with_escapes() {
        let file = r#"body = "Say \"hi\" to caf\u00e9 {{1}}\n now""#;
        assert_eq!(
            check(file, "Say \"hi\" to café {{1}}\n now", "{{1}}"),
            "{{1}}"
        );
        assert_eq!(
            check(file, "Say \"hi\" to café {{1}}\n now", "é"),
            "\\u00e9"
        );
        assert_eq!(check(file, "Say \"hi\" to café {{1}}\n now", "now"), "now");
    }

    #[test]
    fn multiline_strings_with_leading_newline_and_crlf() {
        let file = "body = \"\"\"\r\nHello {{1}},\r\nbye\"\"\"";
        assert_eq!(check(file, "Hello {{1}},\r\nbye", "{{1}}"), "{{1}}");
        let file = "body = '''\nHi {{2}}'''";
        assert_eq!(check(file, "Hi {{2}}", "{{2}}"), "{{2}}");
    }

    #[test]
    fn line_ending_backslash() {
        let file = "body = \"\"\"Hello \\\n    {{1}} there\"\"\"";
        assert_eq!(check(file, "Hello {{1}} there", "{{1}}"), "{{1}}");
    }

    #[test]
    fn mismatch_degrades_to_whole_literal() {
        let map = LiteralMap::new("x = \"abc\"", 4..9, "zzz");
        assert_eq!(map.to_file(0..1), 4..9);
    }

    #[test]
    fn line_col_on_long_lines_matches_counting_from_the_line_start() {
        let line: String = "aé☕🎉".repeat(3000);
        let text = format!("x\n{line}\n{line}");
        let f = SourceFile::new("a.toml", text.clone());
        for (offset, _) in text.char_indices().step_by(997) {
            let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let naive = text[start..offset].chars().count() + 1;
            assert_eq!(f.line_col(offset).1, naive, "at {offset}");
        }
    }

    #[test]
    fn line_col_counts_chars_and_skips_bom() {
        let f = SourceFile::new("a.toml", "\u{feff}ab\ncé{{1}}".to_string());
        assert_eq!(f.line_col(3), (1, 1));
        let off = f.text.find("{{").unwrap();
        assert_eq!(f.line_col(off), (2, 3));
    }
}
