//! Turning findings into text: one renderer per format. Rules never print.

pub mod json;
pub mod plan;

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

/// GitHub Actions workflow commands, one per diagnostic.
pub fn github(report: &Report, sources: &[SourceFile]) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let src = &sources[d.file];
        let (line, col) = src.line_col(d.span.start);
        let (end_line, end_col) = src.line_col(d.span.end);
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = d.message.clone();
        if let Some(h) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(h);
        }
        let _ = writeln!(
            out,
            "::{level} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}",
            escape_property(&src.display_path()),
            escape_property(&format!("{} ({})", d.code, d.rule)),
            escape_data(&message)
        );
    }
    out
}

/// GitHub's escaping for the message part of a workflow command.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping for property values (`file=`, `title=`).
fn escape_property(s: &str) -> String {
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
