//! Inline suppressions: `# wt: ignore[WT003]`, `# wt: ignore`, `# wt: ignore-file[WT201]`,
//! and WT132 for suppressions that suppressed nothing (so they do not rot).
//!
//! Comments are found with toml's own lexer, so a `#` inside a string (`Order #{{1}}`) is
//! never taken for one.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use toml_parser::lexer::TokenKind;

use crate::lint::diagnostic::{Diagnostic, FileId};
use crate::lint::rules::structure::WT132;
use crate::lint::{resolve, Selection, Workspace};
use crate::source::SourceFile;

#[derive(Debug)]
struct Suppression {
    file: FileId,
    /// 0-based line of the comment.
    line: usize,
    whole_file: bool,
    /// `None` = every code.
    codes: Option<Vec<(String, Range<usize>)>>,
    span: Range<usize>,
    used: HashSet<String>,
    used_any: bool,
}

/// Drops suppressed diagnostics and adds WT132 for unused suppressions.
pub fn apply(
    ws: &Workspace,
    diags: Vec<Diagnostic>,
    selection: &Selection,
    report_only: Option<&HashSet<FileId>>,
) -> Vec<Diagnostic> {
    let mut sups: Vec<Suppression> = ws
        .sources
        .iter()
        .enumerate()
        .filter(|(id, _)| report_only.is_none_or(|o| o.contains(id)))
        .flat_map(|(id, src)| scan(id, src))
        .collect();
    if sups.is_empty() {
        return diags;
    }
    // Index the suppressions so that each finding looks only at those that can apply to it:
    // a file with thousands of comments and findings was quadratic (seconds, then minutes).
    let mut by_line: HashMap<(FileId, usize), Vec<usize>> = HashMap::new();
    let mut whole_by_code: HashMap<(FileId, String), Vec<usize>> = HashMap::new();
    let mut whole_any: HashMap<FileId, Vec<usize>> = HashMap::new();
    for (i, s) in sups.iter().enumerate() {
        match (&s.codes, s.whole_file) {
            (_, false) => by_line.entry((s.file, s.line)).or_default().push(i),
            (None, true) => whole_any.entry(s.file).or_default().push(i),
            (Some(codes), true) => {
                for (code, _) in codes {
                    let list = whole_by_code.entry((s.file, code.clone())).or_default();
                    if list.last() != Some(&i) {
                        list.push(i);
                    }
                }
            }
        }
    }
    // Whole-file suppressions already marked used for a (file, code), or for a file.
    let mut whole_done: HashSet<(FileId, &'static str)> = HashSet::new();
    let mut whole_any_done: HashSet<FileId> = HashSet::new();
    let mut kept = Vec::with_capacity(diags.len());
    for d in diags {
        if d.code == "WT000" || d.code == WT132.code {
            kept.push(d);
            continue;
        }
        let src = &ws.sources[d.file];
        // The line where the finding starts, and the line where it ends: a finding that
        // covers a whole multi-line string starts on `body = """`, where a comment would be
        // part of the string, so only its last line can carry one.
        let mut lines = vec![
            src.line_of(d.span.start),
            src.line_of(d.span.end.saturating_sub(1).max(d.span.start)),
        ];
        if let Some(v) = &d.value_span {
            lines.push(src.line_of(v.start));
            lines.push(src.line_of(v.end.saturating_sub(1)));
        }
        lines.sort_unstable();
        lines.dedup();
        let mut suppressed = false;
        for line in lines {
            for &i in by_line.get(&(d.file, line)).into_iter().flatten() {
                suppressed |= mark(&mut sups[i], d.code);
            }
        }
        if let Some(list) = whole_any.get(&d.file) {
            suppressed = true;
            if whole_any_done.insert(d.file) {
                for &i in list {
                    mark(&mut sups[i], d.code);
                }
            }
        }
        if let Some(list) = whole_by_code.get(&(d.file, d.code.to_string())) {
            suppressed = true;
            if whole_done.insert((d.file, d.code)) {
                for &i in list {
                    mark(&mut sups[i], d.code);
                }
            }
        }
        if !suppressed {
            kept.push(d);
        }
    }
    let mut unused = Vec::new();
    for s in &sups {
        let place = if s.whole_file {
            "in this file"
        } else {
            "on this line"
        };
        match &s.codes {
            None if !s.used_any => {
                unused.push(
                    Diagnostic::new(
                        &WT132,
                        s.file,
                        s.span.clone(),
                        format!("unused suppression: nothing {place} is reported"),
                    )
                    .help(format!(
                        "remove the `# wt: {}` comment",
                        if s.whole_file {
                            "ignore-file"
                        } else {
                            "ignore"
                        }
                    )),
                );
            }
            Some(codes) => {
                for (code, span) in codes {
                    // Suppressions match exact codes (`d.code == code` above). A prefix or a
                    // rule name would suppress nothing and, unreported, look as if it did.
                    let exact = crate::lint::rules::find(code).is_some_and(|r| r.code == code);
                    let (message, help) = if !exact {
                        let message = match resolve(code) {
                            Ok(_) => format!(
                                "`{code}` is not a rule code: a suppression names exact codes"
                            ),
                            Err(_) => format!("unknown rule code `{code}` in suppression"),
                        };
                        (
                            message,
                            "use a full code listed by `wt rules`, such as `WT003`".to_string(),
                        )
                    } else if code == "WT000" {
                        (
                            "WT000 cannot be suppressed: a file wt cannot read is always reported"
                                .to_string(),
                            "remove `WT000` from the comment and fix the file".to_string(),
                        )
                    } else if !s.used.contains(code.as_str()) && selection.is_enabled(code) {
                        (
                            format!("unused suppression: no {code} {place}"),
                            format!("remove `{code}` from the comment"),
                        )
                    } else {
                        continue;
                    };
                    unused.push(Diagnostic::new(&WT132, s.file, span.clone(), message).help(help));
                }
            }
            None => {}
        }
    }
    // WT132 is a rule like any other: `--ignore WT132` and per_file_ignores apply to it.
    kept.extend(unused.into_iter().filter(|d| selection.allows(d)));
    sups.clear();
    kept
}

/// Marks `s` used by a finding of `code` when it covers that code; true when it does.
fn mark(s: &mut Suppression, code: &str) -> bool {
    match &s.codes {
        None => {
            s.used_any = true;
            true
        }
        Some(codes) => {
            if codes.iter().any(|(c, _)| c == code) {
                s.used.insert(code.to_string());
                true
            } else {
                false
            }
        }
    }
}

fn scan(file: FileId, src: &SourceFile) -> Vec<Suppression> {
    let text = &src.text;
    if !text.contains("wt:") {
        return Vec::new();
    }
    let source = toml_parser::Source::new(text);
    let mut out = Vec::new();
    for token in source.lex() {
        if token.kind() != TokenKind::Comment {
            continue;
        }
        let span = token.span().start()..token.span().end();
        let comment = &text[span.clone()];
        if let Some(s) = parse_comment(file, src, comment, span.start) {
            out.push(s);
        }
    }
    out
}

/// Parses `# wt: ignore[...]` / `# wt: ignore-file[...]` in one comment starting at `at`.
fn parse_comment(file: FileId, src: &SourceFile, comment: &str, at: usize) -> Option<Suppression> {
    let idx = comment.find("wt:")?;
    let rest = &comment[idx + 3..];
    let trimmed = rest.trim_start();
    let mut pos = at + idx + 3 + (rest.len() - trimmed.len());
    let (whole_file, after) = if let Some(a) = trimmed.strip_prefix("ignore-file") {
        (true, a)
    } else if let Some(a) = trimmed.strip_prefix("ignore") {
        (false, a)
    } else {
        return None;
    };
    let directive_len = trimmed.len() - after.len();
    let span = pos..pos + directive_len;
    pos += directive_len;
    let codes = if let Some(inner) = after.strip_prefix('[') {
        let close = inner.find(']').unwrap_or(inner.len());
        let mut codes = Vec::new();
        let mut off = pos + 1;
        for part in inner[..close].split(',') {
            let code = part.trim();
            let lead = part.len() - part.trim_start().len();
            if !code.is_empty() {
                codes.push((
                    code.to_ascii_uppercase(),
                    off + lead..off + lead + code.len(),
                ));
            }
            off += part.len() + 1;
        }
        Some(codes)
    } else {
        None
    };
    Some(Suppression {
        file,
        line: src.line_of(at),
        whole_file,
        codes,
        span,
        used: HashSet::new(),
        used_any: false,
    })
}
