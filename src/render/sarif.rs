//! SARIF 2.1.0 for `wt lint --format sarif` (GitHub code scanning, IDE viewers).
//!
//! One run; `tool.driver.rules` holds one entry per code that has results, with the rule's
//! `wt explain` text as help; each result points at its rule by `ruleId` and `ruleIndex`.
//! Locations are relative URIs with forward slashes under `%SRCROOT%` (the working directory,
//! given in `originalUriBaseIds`); columns count Unicode code points, as everywhere in wt,
//! which the run declares with `columnKind` (SARIF's default is UTF-16 code units).
//! `tests/cli.rs` validates the output against the OASIS schema in `tests/schemas/`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::lint::diagnostic::{Diagnostic, Severity};
use crate::lint::rules::{find, Rule};
use crate::lint::Report;
use crate::source::SourceFile;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    original_uri_base_ids: BTreeMap<&'static str, ArtifactLocation>,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    properties: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

/// The SARIF log of one lint run. `root` is the directory relative paths are relative to
/// (the working directory); it becomes `%SRCROOT%`.
pub fn lint(report: &Report, sources: &[SourceFile], root: Option<&Path>) -> String {
    // One descriptor per code that has results, ordered by code.
    let mut codes: Vec<&'static str> = report.diagnostics.iter().map(|d| d.code).collect();
    codes.sort_unstable();
    codes.dedup();
    let rules: Vec<&'static Rule> = codes.iter().filter_map(|c| find(c)).collect();
    let index: BTreeMap<&str, usize> = rules.iter().enumerate().map(|(i, r)| (r.code, i)).collect();

    let results = report
        .diagnostics
        .iter()
        .filter_map(|d| Some(result(d, *index.get(d.code)?, sources)))
        .collect();
    let mut original_uri_base_ids = BTreeMap::new();
    if let Some(uri) = root.and_then(dir_uri) {
        original_uri_base_ids.insert(
            SRCROOT,
            ArtifactLocation {
                uri,
                uri_base_id: None,
            },
        );
    }
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "wt",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules: rules.iter().map(|r| descriptor(r)).collect(),
                },
            },
            original_uri_base_ids,
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    let mut s =
        serde_json::to_string_pretty(&log).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn descriptor(rule: &Rule) -> ReportingDescriptor {
    let explanation = rule.explanation();
    ReportingDescriptor {
        id: rule.code,
        name: rule.name,
        short_description: Text {
            text: rule.summary.to_string(),
        },
        full_description: Text {
            text: section(&explanation, "## What it does")
                .unwrap_or_else(|| rule.summary.to_string()),
        },
        help: Help {
            text: explanation.clone(),
            markdown: explanation,
        },
        default_configuration: Configuration {
            level: level(rule.severity),
        },
        properties: RuleProperties {
            tags: vec![family_tag(rule)],
        },
    }
}

/// The paragraph under `heading` in a rule's explanation, joined into one line.
fn section(explanation: &str, heading: &str) -> Option<String> {
    let rest = &explanation[explanation.find(heading)? + heading.len()..];
    let body = rest.split("\n## ").next().unwrap_or(rest);
    let text = body.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

fn family_tag(rule: &Rule) -> &'static str {
    use crate::lint::rules::Family::*;
    match rule.family {
        Structure => "structure",
        Placeholders => "placeholders",
        Components => "components",
        Links => "links",
        Buttons => "buttons",
        Policy => "policy",
        CategoryFit => "category-fit",
        Authentication => "authentication",
        Examples => "examples",
        Language => "language",
        Duplicates => "duplicates",
    }
}

fn result(d: &Diagnostic, rule_index: usize, sources: &[SourceFile]) -> SarifResult {
    let mut text = d.message.clone();
    if let Some(h) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(h);
    }
    let mut properties = BTreeMap::new();
    if let Some(t) = &d.template {
        properties.insert("template", t.clone());
    }
    if let Some(l) = &d.language {
        properties.insert("language", l.clone());
    }
    SarifResult {
        rule_id: d.code,
        rule_index,
        level: level(d.severity),
        message: Text { text },
        locations: vec![Location {
            id: None,
            physical_location: physical(&sources[d.file], &d.span),
            message: None,
        }],
        related_locations: d
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| Location {
                id: Some(i + 1),
                physical_location: physical(&sources[r.file], &r.span),
                message: Some(Text {
                    text: r.message.clone(),
                }),
            })
            .collect(),
        properties,
    }
}

fn physical(src: &SourceFile, span: &std::ops::Range<usize>) -> PhysicalLocation {
    let (start_line, start_column) = src.line_col(span.start);
    let (end_line, end_column) = super::end_position(src, span);
    let path = src.display_path();
    let artifact_location = if Path::new(&path).is_absolute() {
        ArtifactLocation {
            uri: file_uri(&path),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: encode_path(&path),
            uri_base_id: Some(SRCROOT),
        }
    };
    PhysicalLocation {
        artifact_location,
        region: Region {
            start_line,
            start_column,
            end_line,
            end_column,
        },
    }
}

/// Percent-encodes a `/`-separated path for a URI: everything but RFC 3986 unreserved
/// characters and `/` (so `:` in a first segment cannot read as a scheme).
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn file_uri(abs: &str) -> String {
    let p = abs.replace('\\', "/");
    if p.starts_with('/') {
        format!("file://{}", encode_path(&p))
    } else {
        // A Windows path `C:/x`: the drive letter keeps its colon.
        let (drive, rest) = p.split_at(p.find('/').unwrap_or(p.len()));
        format!("file:///{drive}{}", encode_path(rest))
    }
}

/// `file:///…/` for the root directory (the trailing slash makes it a base for resolution).
fn dir_uri(root: &Path) -> Option<String> {
    let abs = crate::source::display_path(root);
    if !Path::new(&abs).is_absolute() {
        return None;
    }
    let mut uri = file_uri(&abs);
    if !uri.ends_with('/') {
        uri.push('/');
    }
    Some(uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            encode_path("templates/order shipped.toml"),
            "templates/order%20shipped.toml"
        );
        assert_eq!(encode_path("a:b/ç.toml"), "a%3Ab/%C3%A7.toml");
        assert_eq!(file_uri("/w/x y/t.toml"), "file:///w/x%20y/t.toml");
        assert_eq!(file_uri("C:/w/t.toml"), "file:///C:/w/t.toml");
        assert_eq!(
            dir_uri(Path::new("/work/p")).as_deref(),
            Some("file:///work/p/")
        );
        assert_eq!(dir_uri(Path::new("rel")), None);
    }

    #[test]
    fn full_description_is_what_it_does() {
        let e = "## What it does\nFlags a\nthing.\n\n## Why\nBecause.";
        assert_eq!(
            section(e, "## What it does").as_deref(),
            Some("Flags a thing.")
        );
        assert_eq!(section(e, "## Nope"), None);
    }
}
