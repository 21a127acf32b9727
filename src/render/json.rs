//! SPEC §5 JSON for `wt lint --format json`.

use serde::Serialize;

use crate::lint::diagnostic::{Diagnostic, Severity};
use crate::lint::Report;
use crate::source::SourceFile;

#[derive(Serialize)]
struct LintJson<'a> {
    version: u32,
    summary: Summary,
    diagnostics: Vec<DiagJson<'a>>,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    templates: usize,
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct DiagJson<'a> {
    code: &'a str,
    rule: &'a str,
    severity: Severity,
    message: &'a str,
    help: Option<&'a str>,
    file: String,
    template: Option<&'a str>,
    language: Option<&'a str>,
    line: usize,
    column: usize,
    span: SpanJson,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<RelatedJson<'a>>,
}

#[derive(Serialize)]
struct SpanJson {
    offset: usize,
    length: usize,
}

#[derive(Serialize)]
struct RelatedJson<'a> {
    file: String,
    template: Option<&'a str>,
    language: Option<&'a str>,
    line: usize,
    column: usize,
    span: SpanJson,
    message: &'a str,
}

pub fn lint(report: &Report, sources: &[SourceFile]) -> String {
    let doc = LintJson {
        version: 1,
        summary: Summary {
            files: report.files,
            templates: report.templates,
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
        },
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| diag(d, sources))
            .collect(),
    };
    let mut s =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}

fn diag<'a>(d: &'a Diagnostic, sources: &[SourceFile]) -> DiagJson<'a> {
    let src = &sources[d.file];
    let (line, column) = src.line_col(d.span.start);
    DiagJson {
        code: d.code,
        rule: d.rule,
        severity: d.severity,
        message: &d.message,
        help: d.help.as_deref(),
        file: src.display_path(),
        template: d.template.as_deref(),
        language: d.language.as_deref(),
        line,
        column,
        span: SpanJson {
            offset: d.span.start,
            length: d.span.end.saturating_sub(d.span.start),
        },
        related: d
            .related
            .iter()
            .map(|r| {
                let rsrc = &sources[r.file];
                let (line, column) = rsrc.line_col(r.span.start);
                RelatedJson {
                    file: rsrc.display_path(),
                    template: r.template.as_deref(),
                    language: r.language.as_deref(),
                    line,
                    column,
                    span: SpanJson {
                        offset: r.span.start,
                        length: r.span.end.saturating_sub(r.span.start),
                    },
                    message: &r.message,
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::structure::WT000;

    /// A reversed or out-of-file span (a rule's bug) is rendered, not a panic.
    #[test]
    fn reversed_and_out_of_file_spans_render() {
        let sources = vec![SourceFile::new("a.toml", "x = 1".to_string())];
        let report = Report {
            diagnostics: vec![
                Diagnostic::new(&WT000, 0, std::ops::Range { start: 4, end: 2 }, "reversed"),
                Diagnostic::new(&WT000, 0, 90..99, "outside"),
            ],
            files: 1,
            templates: 0,
        };
        let v: serde_json::Value = serde_json::from_str(&lint(&report, &sources)).unwrap();
        assert_eq!(v["diagnostics"][0]["span"]["length"], 0);
        let _ = crate::render::human(
            &report,
            &sources,
            crate::render::HumanStyle {
                color: false,
                width: 80,
            },
        );
    }
}
