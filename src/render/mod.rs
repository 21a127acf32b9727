//! Turning findings into text: one renderer per format. Rules never print.

pub mod json;
pub mod plan;
pub mod sarif;

use std::fmt::Write as _;
use std::ops::Range;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use crate::lint::diagnostic::{Diagnostic, Severity};
use crate::lint::Report;
use crate::source::SourceFile;

/// Options of the human renderer.
#[derive(Debug, Clone, Copy)]
pub struct HumanStyle {
    pub color: bool,
    pub width: usize,
}

/// miette's graphical report of every diagnostic, grouped by file, then the summary line.
///
/// Each snippet is read from a window of its file ([`ShownSource`]), so a report costs the
/// size of its snippets, not (findings × file size); spans over many lines or bytes are shown
/// by their start; control characters from the file never reach the terminal.
pub fn human(report: &Report, sources: &[SourceFile], style: HumanStyle) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .without_syntax_highlighting();
    let shown: Vec<ShownSource<'_>> = sources.iter().map(ShownSource::new).collect();
    let mut out = String::new();
    for d in &report.diagnostics {
        let view = MietteView {
            d,
            message: printable(&d.message),
            help: d.help.as_deref().map(printable),
            src: &shown[d.file],
            related: d
                .related
                .iter()
                .filter(|r| r.file != d.file)
                .map(|r| RelatedView {
                    message: printable(&r.message),
                    src: &shown[r.file],
                    span: shown[r.file].view_span(&r.span),
                })
                .collect(),
        };
        if handler.render_report(&mut out, &view).is_err() {
            // Rendering into a String cannot fail for I/O; fall back to one plain line.
            let (line, col) = sources[d.file].line_col(d.span.start);
            let _ = writeln!(
                out,
                "{}:{line}:{col}: {} {}",
                shown[d.file].name, d.code, view.message
            );
        }
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
}

/// A span longer than this many lines is shown by its first line only.
const MAX_SHOWN_LINES: usize = 8;
/// A span longer than this is shown by its first bytes only.
const MAX_SHOWN_BYTES: usize = 512;
/// A snippet (span and context lines) longer than this is narrowed: first to the span's own
/// lines, then to the bytes around the span.
const MAX_WINDOW_BYTES: usize = 4096;
/// Bytes shown either side of a span on a very long line.
const LINE_MARGIN: usize = 160;

/// A source file as the human renderer shows it.
///
/// miette reads a snippet by scanning the whole source from its first byte, once per label:
/// with thousands of findings in a big file that is quadratic (minutes for 10k languages).
/// This reads only the lines around the span, using the file's line index. The text is a
/// copy with terminal control characters replaced by visible characters of the same byte
/// length, so every span still points at the same bytes.
struct ShownSource<'a> {
    file: &'a SourceFile,
    name: String,
    text: String,
}

impl<'a> ShownSource<'a> {
    fn new(file: &'a SourceFile) -> Self {
        Self {
            file,
            name: printable(&file.display_path()),
            text: same_length_printable(&file.text),
        }
    }

    fn floor(&self, at: usize) -> usize {
        let mut at = at.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    fn ceil(&self, at: usize) -> usize {
        let mut at = at.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at += 1;
        }
        at
    }

    /// The end of 0-based `line`, before its line break.
    fn line_end(&self, line: usize) -> usize {
        let next = self.file.line_start(line + 1);
        let bytes = self.text.as_bytes();
        let mut end = next;
        if end > self.file.line_start(line) && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
            if end > self.file.line_start(line) && bytes.get(end - 1) == Some(&b'\r') {
                end -= 1;
            }
        }
        end
    }

    /// What of `span` the report underlines: the span clamped to the file and to char
    /// boundaries, and cut to its first line or first bytes when it is very long.
    fn view_span(&self, span: &Range<usize>) -> SourceSpan {
        let start = self.floor(span.start);
        let mut end = self.floor(span.end).max(start);
        let first = self.file.line_of(start);
        if end > start && self.file.line_of(end - 1) > first + MAX_SHOWN_LINES {
            end = self.line_end(first).max(start);
        }
        if end - start > MAX_SHOWN_BYTES {
            end = self.floor(start + MAX_SHOWN_BYTES);
        }
        (start, end - start).into()
    }
}

impl SourceCode for ShownSource<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let len = self.text.len();
        if span.offset() > len {
            return Err(MietteError::OutOfBounds);
        }
        let start = self.floor(span.offset());
        let end = self
            .floor(span.offset().saturating_add(span.len()))
            .max(start);
        let first = self.file.line_of(start);
        let last = self.file.line_of(if end > start { end - 1 } else { end });
        let lines = self.file.line_count();
        // The header's line and column (miette asks with no context): the file's own, with
        // the column in characters as in the JSON (miette counts bytes).
        let (line, column) = self.file.line_col(start);
        let base_line = first.saturating_sub(context_lines_before);
        let base = self.file.line_start(base_line);
        // Two lines more than miette wants: its reader shows one more line after a span
        // that ends on a line break, and it must read exactly what it would read from the
        // whole file.
        let stop = self
            .file
            .line_start((last + context_lines_after + 2).min(lines))
            .max(end);
        if stop - base <= MAX_WINDOW_BYTES {
            // miette's own reader on the lines around the span: the same snippet as from
            // the whole file, at the cost of the window.
            let window = &self.text[base..stop];
            let local: SourceSpan = (start - base, end - start).into();
            let c = window.read_span(&local, context_lines_before, context_lines_after)?;
            let (c_line, c_column) = if context_lines_before == 0 {
                (line - 1, column - 1)
            } else {
                (base_line + c.line(), c.column())
            };
            return Ok(Box::new(MietteSpanContents::new_named(
                self.name.clone(),
                c.data(),
                (base + c.span().offset(), c.span().len()).into(),
                c_line,
                c_column,
                base_line + c.line_count(),
            )));
        }
        // A long span or very long lines: the span's lines only, and on a very long line
        // the bytes around the span.
        let mut from = if context_lines_before == 0 {
            start
        } else {
            self.file.line_start(first)
        };
        let mut to = self.file.line_start(last + 1).max(end);
        if to - from > MAX_WINDOW_BYTES {
            from = from.max(self.floor(start.saturating_sub(LINE_MARGIN)));
            to = to.min(self.ceil(end.saturating_add(LINE_MARGIN)));
            if to - from > MAX_WINDOW_BYTES {
                to = self.floor(from + MAX_WINDOW_BYTES).max(from);
            }
        }
        let (from_line, from_column) = self.file.line_col(from);
        let (c_line, c_column) = if context_lines_before == 0 {
            (line - 1, column - 1)
        } else {
            (from_line - 1, from_column - 1)
        };
        let data = &self.text.as_bytes()[from..to];
        // miette counts line breaks from the start of the file and merges the snippets of
        // labels by that count: keep the same count.
        let newlines = from_line - 1 + data.iter().filter(|&&b| b == b'\n').count();
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data,
            (from, to - from).into(),
            c_line,
            c_column,
            newlines,
        )))
    }
}

/// `text` with every character that could drive a terminal (C0 and C1 controls other than
/// tab and line breaks, a lone CR, DEL, bidirectional overrides) replaced by a visible
/// character of the same UTF-8 length: spans into the original stay valid in the copy.
fn same_length_printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\t' | '\n' => out.push(c),
            '\r' if chars.peek() == Some(&'\n') => out.push(c),
            '\u{0}'..='\u{1f}' | '\u{7f}' => out.push('?'),
            '\u{80}'..='\u{9f}' => out.push('\u{bf}'),
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    debug_assert_eq!(out.len(), text.len());
    out
}

/// A message, help or file name with control characters escaped (`\u{1b}`), for the
/// terminal: they come from file contents and file names.
fn printable(s: &str) -> String {
    if !s.chars().any(is_unsafe_char) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe_char(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `2 errors, 1 warning in 3 files`.
pub fn summary(report: &Report) -> String {
    let e = report.count(Severity::Error);
    let w = report.count(Severity::Warning);
    let i = report.count(Severity::Info);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut parts = vec![plural(e, "error"), plural(w, "warning")];
    if i > 0 {
        parts.push(plural(i, "info"));
    }
    format!("{} in {}", parts.join(", "), plural(report.files, "file"))
}

/// GitHub Actions workflow commands, one per diagnostic:
/// `::error file=F,line=L,col=C,endLine=L,endColumn=C2,title=WT102::F:L:C: WT102 message`.
///
/// The format is GitHub's "Setting an error/warning/notice message" workflow command. Three
/// rules from the runner's parser shape the output:
/// - property values escape `%`, CR, LF, `:` and `,`; the message escapes `%`, CR and LF
///   (actions/toolkit `command.ts`, `escapeProperty` / `escapeData`);
/// - the runner rejects `col`/`endColumn` when `line` != `endLine`, and `endColumn` < `col`
///   ("'col' and 'endColumn' cannot be set if 'line' and 'endLine' are different values",
///   seen by ruff, astral-sh/ruff#22074): multi-line spans carry lines only;
/// - the annotation's location is not printed in the job log, so the message repeats
///   `file:line:col: CODE` for a readable log (as ruff does).
pub fn github(report: &Report, sources: &[SourceFile]) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let src = &sources[d.file];
        let path = src.display_path();
        let (line, col) = src.line_col(d.span.start);
        let (end_line, end_col) = end_position(src, &d.span);
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = format!("file={},line={line}", escape_property(&path));
        if end_line == line {
            let _ = write!(props, ",col={col},endLine={end_line},endColumn={end_col}");
        } else {
            let _ = write!(props, ",endLine={end_line}");
        }
        let _ = write!(props, ",title={}", escape_property(d.code));
        let mut message = format!("{path}:{line}:{col}: {} {}", d.code, d.message);
        if let Some(h) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(h);
        }
        let _ = writeln!(out, "::{level} {props}::{}", escape_data(&message));
    }
    out
}

/// The last line of a span and the column just past its last character (1-based, characters).
/// A span that ends with a newline ends on the line of that newline, so that a one-line span
/// keeps its columns (GitHub and SARIF both read `endLine` as the span's last line).
pub(crate) fn end_position(src: &SourceFile, span: &std::ops::Range<usize>) -> (usize, usize) {
    if span.end > span.start && src.text.as_bytes().get(span.end - 1) == Some(&b'\n') {
        let (line, col) = src.line_col(span.end - 1);
        (line, col + 1)
    } else {
        src.line_col(span.end.max(span.start))
    }
}

/// GitHub's escaping for the message part of a workflow command (toolkit `escapeData`).
pub(crate) fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping for property values (`file=`, `title=`; toolkit `escapeProperty`).
pub(crate) fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

struct MietteView<'a> {
    d: &'a Diagnostic,
    message: String,
    help: Option<String>,
    src: &'a ShownSource<'a>,
    related: Vec<RelatedView<'a>>,
}

struct RelatedView<'a> {
    message: String,
    src: &'a ShownSource<'a>,
    span: SourceSpan,
}

impl std::fmt::Debug for MietteView<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MietteView")
            .field("code", &self.d.code)
            .finish()
    }
}

impl std::fmt::Display for MietteView<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for MietteView<'_> {}

impl miette::Diagnostic for MietteView<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        Some(Box::new(format!("{}({})", self.d.code, self.d.rule)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let label = self
            .d
            .label
            .as_deref()
            .map_or_else(|| short_label(self.d), printable);
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            Some(label),
            self.src.view_span(&self.d.span),
        )];
        for r in self.d.related.iter().filter(|r| r.file == self.d.file) {
            labels.push(LabeledSpan::new_with_span(
                Some(printable(&r.message)),
                self.src.view_span(&r.span),
            ));
        }
        Some(Box::new(labels.into_iter()))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}

impl std::fmt::Debug for RelatedView<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::fmt::Display for RelatedView<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RelatedView<'_> {}

impl miette::Diagnostic for RelatedView<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some(self.message.clone()), self.span),
        )))
    }
}

/// The label under the span: the code, so a glance at the caret says which rule fired.
fn short_label(d: &Diagnostic) -> String {
    d.code.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::placeholders::WT003;

    #[test]
    fn printable_copy_keeps_every_byte_offset() {
        let text = "a\u{1b}[2Jb\r\nc\rd\u{9b}e\u{202e}f\u{7f}\t\u{0}é";
        let shown = same_length_printable(text);
        assert_eq!(shown.len(), text.len());
        assert_eq!(shown, "a?[2Jb\r\nc?d\u{bf}e\u{fffd}f?\t?é");
        for (i, _) in text.char_indices() {
            assert!(shown.is_char_boundary(i));
        }
    }

    #[test]
    fn printable_messages_escape_controls() {
        assert_eq!(printable("key `a\u{1b}b`"), "key `a\\u{1b}b`");
        assert_eq!(printable("two\nlines"), "two\nlines");
    }

    #[test]
    fn long_spans_are_shown_by_their_start() {
        let text: String = (0..100).map(|i| format!("line {i}\n")).collect();
        let file = SourceFile::new("a.toml", text.clone());
        let shown = ShownSource::new(&file);
        let all = shown.view_span(&(0..text.len()));
        assert_eq!((all.offset(), all.len()), (0, "line 0".len()));
        let few = shown.view_span(&(0..20));
        assert_eq!((few.offset(), few.len()), (0, 20));
        let wide = SourceFile::new("b.toml", "x".repeat(10_000));
        let shown = ShownSource::new(&wide);
        assert_eq!(shown.view_span(&(5..9_000)).len(), MAX_SHOWN_BYTES);
        assert_eq!(shown.view_span(&(20_000..30_000)).offset(), 10_000);
    }

    #[test]
    fn windows_give_file_line_and_character_column() {
        let text = "a = 1\nb = \"café {{1}\"\nc = 3\n";
        let file = SourceFile::new("a.toml", text.to_string());
        let shown = ShownSource::new(&file);
        let at = text.find("{{1}").unwrap();
        let span: SourceSpan = (at, 4).into();
        let header = shown.read_span(&span, 0, 0).unwrap();
        assert_eq!((header.line(), header.column()), (1, 10)); // characters, not bytes (11)
        let ctx = shown.read_span(&span, 1, 1).unwrap();
        assert_eq!(ctx.line(), 0);
        assert_eq!(std::str::from_utf8(ctx.data()).unwrap(), text);
        // A huge line is cut around the span.
        let wide = format!(
            "body = \"{}{{{{9}}{}\"",
            "x".repeat(50_000),
            "y".repeat(50_000)
        );
        let file = SourceFile::new("w.toml", wide.clone());
        let shown = ShownSource::new(&file);
        let at = wide.find("{{9}").unwrap();
        let ctx = shown.read_span(&(at, 4).into(), 1, 1).unwrap();
        assert!(ctx.data().len() <= MAX_WINDOW_BYTES);
        assert!(ctx.span().offset() <= at && at + 4 <= ctx.span().offset() + ctx.span().len());
    }

    fn report_of(d: Diagnostic) -> Report {
        Report {
            diagnostics: vec![d],
            files: 1,
            templates: 1,
        }
    }

    /// Splits one workflow command into (command, properties, message) the way the runner
    /// does: `::` + command + ` ` + `k=v,k=v` + `::` + message, then unescapes.
    fn parse_command(line: &str) -> (String, Vec<(String, String)>, String) {
        let rest = line
            .strip_prefix("::")
            .expect("a workflow command starts with ::");
        let (head, message) = rest
            .split_once("::")
            .expect("command and message are split by ::");
        let (command, props) = head.split_once(' ').unwrap_or((head, ""));
        let unescape = |s: &str| {
            s.replace("%0D", "\r")
                .replace("%0A", "\n")
                .replace("%3A", ":")
                .replace("%2C", ",")
                .replace("%25", "%")
        };
        let props = props
            .split(',')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').expect("a property is key=value");
                (k.to_string(), unescape(v))
            })
            .collect();
        (command.to_string(), props, unescape(message))
    }

    #[test]
    fn github_one_line_span_has_columns_and_title_is_the_code() {
        let src = SourceFile::new("templates/a.toml", "body = \"Hi {{1}} and {{3}}\"\n".into());
        let d = Diagnostic::new(&WT003, 0, 22..27, "found {{1}} then {{3}}")
            .help("renumber {{3}} to {{2}}");
        let out = github(&report_of(d), &[src]);
        assert_eq!(
            out,
            "::error file=templates/a.toml,line=1,col=23,endLine=1,endColumn=28,title=WT003::\
             templates/a.toml:1:23: WT003 found {{1}} then {{3}}%0Ahelp: renumber {{3}} to {{2}}\n"
        );
        let (cmd, props, msg) = parse_command(out.trim_end());
        assert_eq!(cmd, "error");
        assert!(props.contains(&("title".into(), "WT003".into())));
        assert!(msg.ends_with("help: renumber {{3}} to {{2}}"));
    }

    #[test]
    fn github_multi_line_span_drops_columns() {
        // GitHub rejects col/endColumn when line != endLine (astral-sh/ruff#22074).
        let text = "body = \"\"\"\nline one\nline two\"\"\"\n".to_string();
        let src = SourceFile::new("t.toml", text.clone());
        let d = Diagnostic::new(&WT003, 0, 7..text.len() - 1, "m");
        let (_, props, _) = parse_command(github(&report_of(d), &[src]).trim_end());
        let keys: Vec<&str> = props.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["file", "line", "endLine", "title"]);
        assert_eq!(props[1].1, "1");
        assert_eq!(props[2].1, "3");
    }

    #[test]
    fn github_span_ending_in_newline_stays_on_its_line() {
        let src = SourceFile::new("t.toml", "abc\ndef\n".into());
        let d = Diagnostic::new(&WT003, 0, 0..4, "m");
        let (_, props, _) = parse_command(github(&report_of(d), &[src]).trim_end());
        assert!(props.contains(&("endLine".into(), "1".into())), "{props:?}");
        assert!(
            props.contains(&("endColumn".into(), "5".into())),
            "{props:?}"
        );
    }

    #[test]
    fn github_escapes_properties_and_data_as_the_toolkit_does() {
        assert_eq!(escape_data("100% a\r\nb: c, d"), "100%25 a%0D%0Ab: c, d");
        assert_eq!(
            escape_property("100% a\r\nb: c, d"),
            "100%25 a%0D%0Ab%3A c%2C d"
        );
        // A path with `:` and `,` cannot break the property list; the message keeps them.
        let src = SourceFile::new("we,ird:name%.toml", "x = 1\n".into());
        let d = Diagnostic::new(&WT003, 0, 0..1, "50% off: now, \"quoted\"\nsecond line");
        let out = github(&report_of(d), &[src]);
        assert!(
            out.starts_with("::error file=we%2Cird%3Aname%25.toml,line=1,"),
            "{out}"
        );
        assert_eq!(
            out.lines().count(),
            1,
            "a message newline must be escaped: {out}"
        );
        let (_, props, msg) = parse_command(out.trim_end());
        assert_eq!(props[0], ("file".into(), "we,ird:name%.toml".into()));
        assert!(
            msg.ends_with("50% off: now, \"quoted\"\nsecond line"),
            "{msg}"
        );
    }

    #[test]
    fn github_levels() {
        let src = SourceFile::new("t.toml", "x\n".into());
        for (sev, cmd) in [
            (Severity::Error, "::error "),
            (Severity::Warning, "::warning "),
            (Severity::Info, "::notice "),
        ] {
            let d = Diagnostic::new(&WT003, 0, 0..1, "m").severity(sev);
            assert!(github(&report_of(d), std::slice::from_ref(&src)).starts_with(cmd));
        }
    }
}
