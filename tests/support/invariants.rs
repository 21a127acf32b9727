//! The properties the fuzz targets (`fuzz/fuzz_targets/*.rs`) and the property tests
//! (`tests/hostile.rs`) check, written once: each function panics when a property fails.
//! Included with `#[path]` by both, so fuzzing and `cargo test` check the same things.

#![allow(dead_code)]

use std::ops::Range;
use std::path::Path;

use wt::lint::diagnostic::Diagnostic;
use wt::lint::{LintOptions, Report, Selection, Workspace};
use wt::source::SourceFile;
use wt::template::text::{parse, Segment};

/// A span that lies within `text` and starts and ends on char boundaries.
pub fn assert_span(text: &str, span: &Range<usize>, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: span {span:?} outside the text (len {})",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {span:?} not on char boundaries"
    );
}

/// `text::parse` is total and its segments tile the input on char boundaries.
pub fn text_parser(text: &str) {
    let segments = parse(text);
    let mut at = 0;
    for s in &segments {
        let r = s.span();
        assert_eq!(r.start, at, "segments must be contiguous: {segments:?}");
        assert!(r.end > r.start, "empty segment {r:?}");
        assert_span(text, &r, "segment");
        if let Segment::Var(v) = s {
            let written = &text[v.span.clone()];
            assert!(
                written.starts_with("{{") && written.ends_with("}}"),
                "{written:?}"
            );
            let _ = v.name.placeholder();
        }
        at = r.end;
    }
    assert_eq!(at, text.len(), "segments must cover the input");
}

/// The loader never panics; every diagnostic points inside the file on char boundaries; every
/// string value's literal lies in the file and maps each decoded range inside the literal.
pub fn template_loader(text: &str) {
    let src = SourceFile::new("fuzz.toml", text.to_string());
    let loaded = wt::template::load(0, &src, "fuzz");
    for d in &loaded.diagnostics {
        assert_diagnostic(&src, d);
    }
    let Some(t) = loaded.template else { return };
    for l in &t.languages {
        assert_span(text, &l.code_span, "language key");
    }
    for s in t.strs() {
        let lit = s.span();
        assert_span(text, &lit, "string literal");
        let value = s.as_str();
        // Every decoded char and every empty range at a boundary maps into the literal.
        let bounds: Vec<usize> = value
            .char_indices()
            .map(|(i, _)| i)
            .chain([value.len()])
            .collect();
        for w in bounds.windows(2) {
            check_mapped(text, &lit, s.file_span(w[0]..w[1]));
        }
        for &b in &bounds {
            check_mapped(text, &lit, s.file_span(b..b));
        }
        check_mapped(text, &lit, s.file_span(0..value.len()));
        // The text parser's segments map too (this is how rules point at placeholders).
        for seg in s.segments() {
            check_mapped(text, &lit, s.file_span(seg.span()));
        }
    }
}

fn check_mapped(text: &str, literal: &Range<usize>, mapped: Range<usize>) {
    assert!(
        literal.start <= mapped.start && mapped.end <= literal.end,
        "mapped span {mapped:?} outside its literal {literal:?}"
    );
    assert_span(text, &mapped, "mapped span");
}

pub fn assert_diagnostic(src: &SourceFile, d: &Diagnostic) {
    let what = format!("{} {:?}", d.code, d.message);
    assert_span(&src.text, &d.span, &what);
    if let Some(v) = &d.value_span {
        assert_span(&src.text, v, &what);
    }
    assert!(!d.message.is_empty(), "{what}: empty message");
}

/// Lints one in-memory file with every rule and renders the report in every format.
pub fn lint_source(bytes: &[u8]) -> (Workspace, Report) {
    let selection = Selection::new(&[], &[]).expect("ALL is a valid selection");
    let (ws, report) = wt::commands::lint::lint_source(
        Path::new("templates/fuzz.toml"),
        bytes.to_vec(),
        &LintOptions::default(),
        &selection,
    );
    for d in &report.diagnostics {
        let src = &ws.sources[d.file];
        assert_diagnostic(src, d);
        for r in &d.related {
            assert_span(&ws.sources[r.file].text, &r.span, "related span");
        }
    }
    render_all(&ws, &report);
    (ws, report)
}

/// Every output format renders any report without panicking, and the JSON is valid.
pub fn render_all(ws: &Workspace, report: &Report) {
    for color in [false, true] {
        let human = wt::render::human(
            report,
            &ws.sources,
            wt::render::HumanStyle { color, width: 80 },
        );
        assert!(human.ends_with('\n'));
        if !color {
            // Nothing from a file may drive the terminal: no control characters but line
            // breaks and tabs (with colour, miette's own escape sequences are expected).
            let bad = human
                .char_indices()
                .find(|(_, c)| c.is_control() && *c != '\n' && *c != '\t');
            assert!(
                bad.is_none(),
                "control character {bad:?} in the human report:\n{}",
                human.escape_debug()
            );
        }
    }
    let json = wt::render::json::lint(report, &ws.sources);
    let v: serde_json::Value = serde_json::from_str(&json).expect("lint JSON must parse");
    assert_eq!(
        v["diagnostics"].as_array().map(Vec::len),
        Some(report.diagnostics.len())
    );
    let _ = wt::render::github(report, &ws.sources);
}
