//! Findings as data. Rules push [`Diagnostic`] values; `render/` turns them into text.

use std::ops::Range;

use serde::Serialize;

use crate::lint::rules::Rule;

/// Index of a file in the list of sources of one run.
pub type FileId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One finding: a rule, the bytes it points at, and what to do about it.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub code: &'static str,
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    /// Text of the primary label under the span (defaults to a short form of the message).
    pub label: Option<String>,
    pub file: FileId,
    /// Bytes in the file as it is on disk.
    pub span: Range<usize>,
    pub template: Option<String>,
    pub language: Option<String>,
    pub related: Vec<Related>,
    /// The span of the TOML value the finding lies in: a `# wt: ignore[...]` on the line where
    /// that value starts or ends also suppresses it (a comment cannot sit inside a string).
    pub value_span: Option<Range<usize>>,
    /// How many more findings of the same rule this one stands for, when a flood of them was
    /// cut short (see `lint::MAX_FINDINGS_PER_RULE_AND_FILE`); 0 for an ordinary finding.
    pub hidden: usize,
}

/// A second place involved in a finding (the other duplicate, the first definition).
#[derive(Debug, Clone)]
pub struct Related {
    pub file: FileId,
    pub span: Range<usize>,
    pub template: Option<String>,
    pub language: Option<String>,
    pub message: String,
}

impl Diagnostic {
    pub fn new(rule: &Rule, file: FileId, span: Range<usize>, message: impl Into<String>) -> Self {
        Self {
            code: rule.code,
            rule: rule.name,
            severity: rule.severity,
            message: message.into(),
            help: None,
            label: None,
            file,
            span,
            template: None,
            language: None,
            related: Vec::new(),
            value_span: None,
            hidden: 0,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn related(mut self, related: Related) -> Self {
        self.related.push(related);
        self
    }

    pub fn in_value(mut self, span: Range<usize>) -> Self {
        self.value_span = Some(span);
        self
    }

    /// Names the template and language, each cut to [`MAX_NAME_BYTES`] (with `…`): every
    /// finding carries a copy, and a 1 MB `name` in a file with many findings made gigabytes
    /// of copies and of JSON. Real names fit: Meta's limit is 512 characters.
    pub fn template(mut self, name: Option<&str>, language: Option<&str>) -> Self {
        self.template = name.map(clip_name);
        self.language = language.map(clip_name);
        self
    }

    /// The order of the output: file, position, code.
    pub fn sort_key(&self) -> (FileId, usize, usize, &'static str) {
        (self.file, self.span.start, self.span.end, self.code)
    }
}

/// Longest template name or language code a diagnostic carries; longer ones are cut.
pub const MAX_NAME_BYTES: usize = 512;

pub fn clip_name(s: &str) -> String {
    if s.len() <= MAX_NAME_BYTES {
        return s.to_string();
    }
    let mut end = MAX_NAME_BYTES;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}
