//! `wt lint [PATH...]`.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::cli::{LintArgs, LintFormat};
use crate::commands::{print, Context};
use crate::config::{Config, CONFIG_FILE};
use crate::error::{ExitStatus, WtError};
use crate::lint::diagnostic::{Diagnostic, Severity};
use crate::lint::rules::duplicates::RemoteBody;
use crate::lint::rules::structure::WT000;
use crate::lint::{LintOptions, Report, Selection, Workspace};
use crate::render;
use crate::source::SourceFile;
use crate::template::{self, MAX_FILE_BYTES};

pub fn run(cx: &Context, args: &LintArgs) -> Result<ExitStatus, WtError> {
    let config = cx.config()?;
    // Lint is offline and needs no account, but an explicit `--env` must still name an
    // environment of wt.toml: a typo is reported by the first command it is given to, not
    // by the sync that runs later. (An ambient WT_ENV is checked by the commands that use it.)
    if cx.global.env.is_some() {
        cx.account(&config)?;
    }
    let (mut ws, report_only) = load_workspace(cx, &config, &args.paths)?;
    if args.remote {
        ws.remote = remote_bodies(cx, &config)?;
    }
    let select: Vec<String> = if args.select.is_empty() {
        config.file.lint.select.clone().unwrap_or_default()
    } else {
        args.select.clone()
    };
    let mut ignore = config.file.lint.ignore.clone().unwrap_or_default();
    ignore.extend(args.ignore.iter().cloned());
    let mut selection = Selection::new(&select, &ignore)
        .map_err(|m| WtError::usage_help(m, "`wt rules` lists the codes"))?;
    apply_per_file_ignores(&config, &ws, &mut selection)?;
    let options = lint_options(&config);
    let report = crate::lint::run(&ws, &options, &selection, report_only.as_ref());
    emit(cx, args.format, &report, &ws.sources)?;
    Ok(status(&report, args.deny_warnings))
}

/// The account's templates for the duplicate rules (`--remote`): one list call per 100.
fn remote_bodies(cx: &Context, config: &Config) -> Result<Vec<RemoteBody>, WtError> {
    let conn = crate::commands::remote::connect(cx, config)?;
    let remote = conn
        .client
        .templates()
        .list(&crate::api::ListFilter::default())
        .map_err(|e| conn.error("reading the account's templates for --remote", &e))?;
    let text_of = |components: &[serde_json::Value], kind: &str| {
        components
            .iter()
            .find(|c| {
                c.get("type")
                    .and_then(|t| t.as_str())
                    .is_some_and(|t| t.eq_ignore_ascii_case(kind))
            })
            .and_then(|c| c.get("text").and_then(|t| t.as_str()).map(str::to_string))
    };
    Ok(remote
        .into_iter()
        .filter_map(|t| {
            let body = text_of(&t.components, "BODY")?;
            Some(RemoteBody {
                footer: text_of(&t.components, "FOOTER"),
                body,
                category: t.category.to_string(),
                language: t.language,
                name: t.name,
            })
        })
        .collect())
}

pub fn status(report: &Report, deny_warnings: bool) -> ExitStatus {
    let failing =
        report.count(Severity::Error) > 0 || (deny_warnings && report.count(Severity::Warning) > 0);
    if failing {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    }
}

pub fn lint_options(config: &Config) -> LintOptions {
    let l = &config.file.lint;
    let mut o = LintOptions::default();
    if let Some(t) = &l.duplicate_threshold {
        o.duplicate_threshold = *t.get_ref();
    }
    o.extra_shorteners = l.extra_shorteners.clone();
    o.allowed_domains = l.allowed_domains.clone();
    o.vocabularies = l
        .vocabularies
        .iter()
        .map(|(k, v)| (k.clone(), (v.accept.clone(), v.reject.clone())))
        .collect();
    if let Some(n) = l.words_per_variable {
        o.words_per_variable = n;
    }
    o
}

fn emit(
    cx: &Context,
    format: LintFormat,
    report: &Report,
    sources: &[SourceFile],
) -> Result<(), WtError> {
    let text = match format {
        LintFormat::Json => render::json::lint(report, sources),
        LintFormat::Github => render::github(report, sources),
        LintFormat::Sarif => render::sarif::lint(report, sources, Some(&cx.cwd)),
        LintFormat::Human => {
            if cx.global.quiet {
                let mut r = Report {
                    files: report.files,
                    templates: report.templates,
                    diagnostics: report.diagnostics.clone(),
                };
                r.diagnostics.retain(|d| d.severity == Severity::Error);
                let s = render::human(
                    &r,
                    sources,
                    render::HumanStyle {
                        color: cx.color(),
                        width: terminal_width(),
                    },
                );
                // Quiet: the reports without the summary line.
                s.rsplit_once('\n')
                    .map(|(a, _)| a)
                    .and_then(|a| a.rsplit_once('\n'))
                    .map_or(String::new(), |(a, _)| format!("{a}\n"))
            } else {
                render::human(
                    report,
                    sources,
                    render::HumanStyle {
                        color: cx.color(),
                        width: terminal_width(),
                    },
                )
            }
        }
    };
    print(&text)
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
        .clamp(60, 200)
}

/// Loads the whole templates directory and lints it with the `wt.toml` settings (no
/// command-line selection): what `plan`, `sync` and `status` work from.
pub fn lint_templates(cx: &Context, config: &Config) -> Result<(Workspace, Report), WtError> {
    let (ws, _) = load_workspace(cx, config, &[])?;
    let select = config.file.lint.select.clone().unwrap_or_default();
    let ignore = config.file.lint.ignore.clone().unwrap_or_default();
    let mut selection = Selection::new(&select, &ignore)
        .map_err(|m| WtError::usage_help(m, "check `[lint] select/ignore` in wt.toml"))?;
    apply_per_file_ignores(config, &ws, &mut selection)?;
    let report = crate::lint::run(&ws, &lint_options(config), &selection, None);
    Ok((ws, report))
}

/// The human lint report (colour per `--color` and stdout).
pub fn human_report(cx: &Context, report: &Report, sources: &[SourceFile]) -> String {
    render::human(
        report,
        sources,
        render::HumanStyle {
            color: cx.color(),
            width: terminal_width(),
        },
    )
}

fn apply_per_file_ignores(
    config: &Config,
    ws: &Workspace,
    selection: &mut Selection,
) -> Result<(), WtError> {
    for (pattern, codes) in &config.file.lint.per_file_ignores {
        let glob = globset::Glob::new(pattern)
            .map_err(|e| {
                WtError::usage_help(
                    format!("invalid glob `{pattern}` in per_file_ignores: {e}"),
                    "use a glob such as \"templates/legacy_*.toml\"",
                )
            })?
            .compile_matcher();
        for (id, src) in ws.sources.iter().enumerate() {
            let rel = src.path.strip_prefix(&config.root).unwrap_or(&src.path);
            if glob.is_match(rel) || glob.is_match(&src.path) || glob.is_match(src.display_path()) {
                selection.ignore_in_file(id, codes).map_err(|m| {
                    WtError::usage_help(m, format!("in per_file_ignores \"{pattern}\""))
                })?;
            }
        }
    }
    Ok(())
}

/// Loads exactly `paths` (no templates-directory lookup) and lints them: the library entry
/// point for tests, benchmarks and embedders.
pub fn lint_paths(
    cwd: &Path,
    paths: &[PathBuf],
    options: &LintOptions,
    selection: &Selection,
) -> (Workspace, Report) {
    let loaded: Vec<_> = paths
        .par_iter()
        .enumerate()
        .map(|(id, p)| read_and_load(id, cwd, p))
        .collect();
    let mut ws = Workspace::default();
    for (src, t, d) in loaded {
        ws.sources.push(src);
        ws.templates.extend(t);
        ws.load_diagnostics.extend(d);
    }
    let report = crate::lint::run(&ws, options, selection, None);
    (ws, report)
}

/// Lints one file held in memory as if it were at `path`, alone (no templates directory, no
/// disk access): the entry point for fuzzing and property tests. The bytes go through the same
/// UTF-8 check and loader as a file read from disk.
pub fn lint_source(
    path: &Path,
    bytes: Vec<u8>,
    options: &LintOptions,
    selection: &Selection,
) -> (Workspace, Report) {
    let (src, t, d) = load_bytes(0, path.to_path_buf(), &stem_of(path), bytes);
    let ws = Workspace {
        sources: vec![src],
        templates: t.into_iter().collect(),
        load_diagnostics: d,
        remote: Vec::new(),
    };
    let report = crate::lint::run(&ws, options, selection, None);
    (ws, report)
}

/// Reads and loads the files to lint. Returns the workspace and, when only some of its files
/// were asked for (pre-commit), the set to report on.
pub fn load_workspace(
    cx: &Context,
    config: &Config,
    paths: &[PathBuf],
) -> Result<(Workspace, Option<HashSet<usize>>), WtError> {
    let templates_dir = config.templates_dir();
    let mut targets: BTreeSet<PathBuf> = BTreeSet::new();
    let mut extra: BTreeSet<PathBuf> = BTreeSet::new();
    if paths.is_empty() {
        if !templates_dir.is_dir() {
            return Err(WtError::usage_help(
                format!("templates directory `{}` not found", shown(&cx.cwd, &templates_dir)),
                "pass files or directories to lint, set `templates = \"…\"` in wt.toml, or run `wt init`",
            ));
        }
        collect(&templates_dir, &mut targets);
    } else {
        for p in paths {
            let abs = if p.is_absolute() {
                p.clone()
            } else {
                cx.cwd.join(p)
            };
            if abs.is_dir() {
                collect(&abs, &mut targets);
            } else if abs.exists() || std::fs::symlink_metadata(&abs).is_ok() {
                targets.insert(abs);
            } else {
                return Err(WtError::usage_help(
                    format!("no such file or directory: {}", p.display()),
                    "check the path",
                ));
            }
        }
        // Files inside the templates directory are compared with all their siblings.
        let canon_dir = templates_dir.canonicalize().ok();
        let inside = canon_dir.as_ref().is_some_and(|d| {
            targets
                .iter()
                .any(|t| t.canonicalize().is_ok_and(|c| c.starts_with(d)))
        });
        if inside {
            let mut all = BTreeSet::new();
            collect(&templates_dir, &mut all);
            let canon_targets: HashSet<PathBuf> = targets
                .iter()
                .filter_map(|t| t.canonicalize().ok())
                .collect();
            for f in all {
                if !canon_targets.contains(&f.canonicalize().unwrap_or_else(|_| f.clone())) {
                    extra.insert(f);
                }
            }
        }
    }
    let mut files: Vec<(PathBuf, bool)> = targets.into_iter().map(|p| (p, true)).collect();
    files.extend(extra.into_iter().map(|p| (p, false)));
    let loaded: Vec<(
        SourceFile,
        Option<template::Template>,
        Vec<Diagnostic>,
        bool,
    )> = files
        .par_iter()
        .enumerate()
        .map(|(id, (path, target))| {
            let (src, t, d) = read_and_load(id, &cx.cwd, path);
            (src, t, d, *target)
        })
        .collect();
    let mut ws = Workspace::default();
    let mut report_only = HashSet::new();
    let partial = loaded.iter().any(|l| !l.3);
    for (id, (src, t, d, target)) in loaded.into_iter().enumerate() {
        ws.sources.push(src);
        ws.templates.extend(t);
        ws.load_diagnostics.extend(d);
        if target {
            report_only.insert(id);
        }
    }
    Ok((ws, partial.then_some(report_only)))
}

fn shown(cwd: &Path, p: &Path) -> String {
    crate::source::display_path(p.strip_prefix(cwd).unwrap_or(p))
}

/// Reads one file and loads it; any problem is a WT000 on that file.
fn read_and_load(
    id: usize,
    cwd: &Path,
    path: &Path,
) -> (SourceFile, Option<template::Template>, Vec<Diagnostic>) {
    let display = path.strip_prefix(cwd).unwrap_or(path).to_path_buf();
    match read_capped(path) {
        Ok(bytes) => load_bytes(id, display, &stem_of(path), bytes),
        Err(problem) => {
            let d = Diagnostic::new(&WT000, id, 0..0, problem.message).help(problem.help);
            (SourceFile::new(display, String::new()), None, vec![d])
        }
    }
}

fn stem_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Why a path could not be read as a template file.
struct ReadProblem {
    message: String,
    help: &'static str,
}

/// Reads a template file, refusing anything that is not a regular file and never holding
/// more than [`MAX_FILE_BYTES`] + 1 bytes.
///
/// Only regular files are opened: opening a FIFO blocks until a writer appears (a FIFO named
/// `x.toml` in the templates directory would hang every commit hook), and a device such as
/// `/dev/zero` never ends. The cap is enforced while reading, not only from the metadata,
/// because the size on disk can change between `stat` and `read` and some files report 0.
fn read_capped(path: &Path) -> Result<Vec<u8>, ReadProblem> {
    let meta = std::fs::metadata(path).map_err(|e| ReadProblem {
        message: format!("cannot read the file: {e}"),
        help: "check that the file exists and is readable",
    })?;
    if meta.is_dir() {
        return Err(match std::fs::read_dir(path) {
            // `collect` hands over a directory it could not list, so that it is reported
            // instead of silently linting nothing.
            Err(e) if path.extension().is_none_or(|e| e != "toml") => ReadProblem {
                message: format!("cannot read the directory: {e}"),
                help: "check the directory's permissions; its templates were not linted",
            },
            _ => ReadProblem {
                message: "this is a directory, not a template file".into(),
                help: "rename the directory or pass the files inside it",
            },
        });
    }
    if !meta.is_file() {
        return Err(ReadProblem {
            message: format!(
                "this is not a regular file ({}), so it was not read",
                file_kind(&meta)
            ),
            help: "a template is a regular `.toml` file: remove or rename this one",
        });
    }
    let too_large = |size: String| ReadProblem {
        message: format!(
            "the file is {size} bytes; a template file is at most {MAX_FILE_BYTES} bytes"
        ),
        help: "a template is a few kilobytes: check that this is the right file",
    };
    if meta.len() > MAX_FILE_BYTES as u64 {
        return Err(too_large(meta.len().to_string()));
    }
    let file = std::fs::File::open(path).map_err(|e| ReadProblem {
        message: format!("cannot read the file: {e}"),
        help: "check the file's permissions",
    })?;
    match read_at_most(file, MAX_FILE_BYTES) {
        Ok(Some(bytes)) => Ok(bytes),
        Ok(None) => Err(too_large(format!("more than {MAX_FILE_BYTES}"))),
        Err(e) => Err(ReadProblem {
            message: format!("cannot read the file: {e}"),
            help: "check the file's permissions",
        }),
    }
}

/// Reads all of `reader` when it holds at most `cap` bytes; `None` when it holds more.
/// Never buffers more than `cap + 1` bytes, whatever the reader (an endless device, a file
/// that grows while it is read).
pub fn read_at_most(reader: impl std::io::Read, cap: usize) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    reader.take(cap as u64 + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() <= cap).then_some(bytes))
}

#[cfg(unix)]
fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let ft = meta.file_type();
    if ft.is_fifo() {
        "a FIFO"
    } else if ft.is_char_device() {
        "a character device"
    } else if ft.is_block_device() {
        "a block device"
    } else if ft.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn file_kind(_meta: &std::fs::Metadata) -> &'static str {
    "a special file"
}

/// Loads a file's bytes: UTF-8 (BOM kept) is parsed; anything else is a WT000 at the first
/// invalid byte, with a lossy copy of the text so the report can show where.
fn load_bytes(
    id: usize,
    display: PathBuf,
    stem: &str,
    bytes: Vec<u8>,
) -> (SourceFile, Option<template::Template>, Vec<Diagnostic>) {
    match String::from_utf8(bytes) {
        Ok(text) => {
            let src = SourceFile::new(display, text);
            let loaded = template::load(id, &src, stem);
            (src, loaded.template, loaded.diagnostics)
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bad_len = e.utf8_error().error_len().unwrap_or(1);
            let bytes = e.into_bytes();
            let bad: Vec<String> = bytes[at..at + bad_len]
                .iter()
                .map(|b| format!("0x{b:02X}"))
                .collect();
            // One `?` per invalid byte (not U+FFFD, which is three bytes) keeps every offset
            // and length equal to the file on disk, as SPEC §5 requires of the JSON.
            let src = SourceFile::new(display, one_byte_lossy(&bytes));
            let (line, col) = src.line_col(at);
            let d = Diagnostic::new(
                &WT000,
                id,
                at..at + bad_len,
                format!(
                    "the file is not valid UTF-8: {} at line {line}, column {col}",
                    bad.join(" ")
                ),
            )
            .help("save the file as UTF-8");
            (src, None, vec![d])
        }
    }
}

/// The file's text with each byte that is not UTF-8 replaced by `?`, byte for byte.
fn one_byte_lossy(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        out.extend(std::iter::repeat_n('?', chunk.invalid().len()));
    }
    out
}

/// Template files under `dir`: `*.toml`, recursively, except `wt.toml`, hidden entries and
/// directory symlinks (which could loop). A directory that cannot be listed is itself put in
/// `out`, so that reading it reports a WT000 instead of its templates vanishing silently.
pub fn collect(dir: &Path, out: &mut BTreeSet<PathBuf>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(_) => {
            out.insert(dir.to_path_buf());
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_dir() {
            if path.extension().is_some_and(|e| e == "toml") {
                // A directory named `x.toml` is reported, not descended into silently.
                out.insert(path);
            } else {
                collect(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "toml") && name != CONFIG_FILE {
            // A symlink to a file is read through; a symlink to a directory is skipped.
            if ft.is_symlink() && path.is_dir() {
                continue;
            }
            out.insert(path);
        }
    }
}
