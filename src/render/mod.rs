//! Turning findings into text: one renderer per format. Rules never print.

pub mod json;
pub mod plan;
pub mod sarif;

use std::fmt::Write as _;
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};

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
    let named: Vec<NamedSource<Arc<str>>> = sources
        .iter()
        .map(|s| NamedSource::new(s.display_path(), Arc::<str>::from(s.text.as_str())))
        .collect();
    let mut out = String::new();
    for d in &report.diagnostics {
        let view = MietteView {
            d,
            src: named[d.file].clone(),
            related: d
                .related
                .iter()
                .filter(|r| r.file != d.file)
                .map(|r| RelatedView {
                    message: r.message.clone(),
                    src: named[r.file].clone(),
                    span: r.span.clone(),
                })
                .collect(),
        };
        if handler.render_report(&mut out, &view).is_err() {
            // Rendering into a String cannot fail for I/O; fall back to one plain line.
            let (line, col) = sources[d.file].line_col(d.span.start);
            let _ = writeln!(
                out,
                "{}:{line}:{col}: {} {}",
                sources[d.file].display_path(),
                d.code,
                d.message
            );
        }
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
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
    src: NamedSource<Arc<str>>,
    related: Vec<RelatedView>,
}

struct RelatedView {
    message: String,
    src: NamedSource<Arc<str>>,
    span: std::ops::Range<usize>,
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
        f.write_str(&self.d.message)
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
        self.d
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let label = self.d.label.clone().or_else(|| Some(short_label(self.d)));
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            label,
            self.d.span.clone(),
        )];
        for r in self.d.related.iter().filter(|r| r.file == self.d.file) {
            labels.push(LabeledSpan::new_with_span(
                Some(r.message.clone()),
                r.span.clone(),
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

impl std::fmt::Debug for RelatedView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::fmt::Display for RelatedView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RelatedView {}

impl miette::Diagnostic for RelatedView {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some(self.message.clone()), self.span.clone()),
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
