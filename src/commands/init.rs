//! `wt init`: a `wt.toml`, one example template, and the pre-commit snippet. Never overwrites.

use std::path::{Path, PathBuf};

use crate::cli::InitArgs;
use crate::commands::{print, Context};
use crate::config::{CONFIG_FILE, DEFAULT_API_VERSION, DEFAULT_GRAPH_URL, DEFAULT_TOKEN_ENV};
use crate::error::{ExitStatus, WtError};

/// The example template's file name (without the directory).
pub const EXAMPLE_FILE: &str = "order_shipped.toml";

/// The hook id in this repository's `.pre-commit-hooks.yaml`.
pub const HOOK_ID: &str = "wt-lint";

/// A realistic utility template that lints clean (`tests/cli.rs` runs `wt lint` on it).
pub const EXAMPLE_TEMPLATE: &str = r##"# An example template: the notice a shop sends when a parcel leaves the warehouse.
# One file per template name; each [languages.<code>] table is one template on Meta.
# `wt lint` checks it offline; `wt explain WT003` explains a rule; `wt sync` submits it.
name = "order_shipped"           # optional; must equal the file name when present
category = "utility"             # marketing | utility | authentication
parameter_format = "positional"  # positional ({{1}}) | named ({{first_name}})

[languages.en_US]
header = "Your order has shipped"
body = """
Hello {{1}}, your order {{2}} has shipped and should arrive by {{3}}. Tap the button below to follow your parcel."""
footer = "Reply STOP to stop delivery updates."
examples.body = ["Maria", "#4521", "12 March"]

[[languages.en_US.buttons]]
type = "url"
text = "Track order"
url = "https://shop.example.com/track/{{1}}"
example = "https://shop.example.com/track/4521"
"##;

/// `wt.toml` with every key shown: set ones are live, the rest commented out with an example.
pub fn config_text(templates: &str) -> String {
    format!(
        r#"# wt.toml: configuration of wt (WhatsApp Business message templates as code).
# Every key is optional. Precedence: command-line flag > environment variable > this file >
# default. The access token never goes in this file: wt reads it from the environment
# variable named by `token_env` (or from a file given by WT_TOKEN_FILE).

# Directory of template files, relative to this file.
templates = {templates}

[account]
# WhatsApp Business Account id (env WA_WABA_ID wins).
# waba_id = "102290129340398"
# Graph API version (env WHATSAPP_API_VERSION wins).
# api_version = "{DEFAULT_API_VERSION}"
# Graph API base URL (env WT_GRAPH_URL wins).
# graph_url = "{DEFAULT_GRAPH_URL}"
# Name of the environment variable that holds the access token.
# token_env = "{DEFAULT_TOKEN_ENV}"
# Phone number id, for `wt doctor` (env WA_PHONE_NUMBER_ID wins).
# phone_number_id = "120000000000000"
# Meta app id, for `wt doctor` (env WA_APP_ID wins).
# app_id = "1234567890"

# Named environments, chosen with `--env NAME` or WT_ENV: any [account] key may be
# overridden per environment.
# [env.staging]
# waba_id = "104000000000001"
# token_env = "WA_STAGING_TOKEN"

[lint]
# Rules to run and to skip: codes (WT003), prefixes (WT0) or ALL. `wt rules` lists them.
# select = ["ALL"]
# ignore = []
# Similarity in [0, 1] above which two templates count as near-duplicates.
# duplicate_threshold = 0.90
# More link-shortener domains to flag, besides the built-in list.
# extra_shorteners = ["go.example.com"]
# If non-empty, URLs must be on these domains.
# allowed_domains = ["shop.example.com"]
# Fixed words required per body variable (2 means 2n+1 words for n variables).
# words_per_variable = 2

# Codes ignored in the files that match a glob (relative to this file).
# [lint.per_file_ignores]
# "templates/legacy_*.toml" = ["WT009"]

# Words a language's wording rules always accept or always flag.
# [lint.vocabularies.en_US]
# accept = ["refill"]
# reject = ["act now"]
"#,
        templates = toml_string(templates),
    )
}

/// The `.pre-commit-config.yaml` entry for this repository's hook. `files` is repeated only
/// when the templates directory is not the hook's default.
pub fn precommit_snippet(templates: &str) -> String {
    let repo = env!("CARGO_PKG_REPOSITORY");
    let repo_line = if repo.is_empty() {
        "<URL of the wt git repository>".to_string()
    } else {
        repo.to_string()
    };
    let mut s = format!(
        "# .pre-commit-config.yaml: lint the templates on every commit\nrepos:\n  - repo: {repo_line}\n    rev: v{}\n    hooks:\n      - id: {HOOK_ID}\n",
        env!("CARGO_PKG_VERSION")
    );
    if templates != "templates" {
        s.push_str(&format!("        files: {}\n", files_pattern(templates)));
    }
    s
}

/// The `files` regex of pre-commit for `*.toml` under `dir` (a path relative to the repository).
pub fn files_pattern(dir: &str) -> String {
    let dir = dir.trim_end_matches('/');
    let mut escaped = String::new();
    for c in dir.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    format!("'^{escaped}/.*\\.toml$'")
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub fn run(cx: &Context, args: &InitArgs) -> Result<ExitStatus, WtError> {
    let templates = crate::source::display_path(&args.templates);
    let templates = templates.trim_end_matches('/');
    if templates.is_empty() {
        return Err(WtError::usage_help(
            "--templates needs a directory",
            "for example `--templates templates`",
        ));
    }
    let files: Vec<(PathBuf, String)> = vec![
        (cx.cwd.join(CONFIG_FILE), config_text(templates)),
        (
            cx.cwd.join(&args.templates).join(EXAMPLE_FILE),
            EXAMPLE_TEMPLATE.to_string(),
        ),
    ];
    // Check everything before writing anything: a refusal changes nothing.
    for (path, _) in &files {
        if std::fs::symlink_metadata(path).is_ok() {
            return Err(WtError::usage_help(
                format!(
                    "`{}` already exists; wt init never overwrites",
                    shown(cx, path)
                ),
                "move it away or run wt init in another directory; nothing was written",
            ));
        }
    }
    let mut written: Vec<&Path> = Vec::new();
    for (path, text) in &files {
        if let Err(e) = write_new(path, text) {
            // Leave the directory as it was: remove what this run created.
            for p in written {
                let _ = std::fs::remove_file(p);
            }
            return Err(e);
        }
        written.push(path);
    }
    if !cx.global.quiet {
        for (path, _) in &files {
            eprintln!("created {}", shown(cx, path));
        }
        eprintln!(
            "next: `wt lint` checks the example offline; add the lines below to \
             .pre-commit-config.yaml to lint on every commit"
        );
    }
    print(&precommit_snippet(templates))?;
    Ok(ExitStatus::Success)
}

fn shown(cx: &Context, p: &Path) -> String {
    crate::source::display_path(p.strip_prefix(&cx.cwd).unwrap_or(p))
}

/// Writes a new file atomically and never over an existing one ([`crate::fsutil::write_new`]).
fn write_new(path: &Path, text: &str) -> Result<(), WtError> {
    crate::fsutil::write_new(path, text).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            WtError::usage_help(
                format!(
                    "`{}` already exists; wt init never overwrites",
                    path.display()
                ),
                "move it away or run wt init in another directory",
            )
        } else {
            WtError::Io {
                path: path.display().to_string(),
                source: e,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ConfigFile;

    #[test]
    fn config_parses_and_every_commented_key_is_a_real_key() {
        let text = config_text("templates");
        let live: ConfigFile = toml::from_str(&text).expect("wt.toml as written parses");
        assert_eq!(live.templates.as_deref(), Some("templates"));
        // Uncomment every `# key = value` and `# [table]` line: with deny_unknown_fields this
        // proves that each key shown exists and has the right type.
        let uncommented: String = text
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest) if rest.starts_with('[') || rest.contains(" = ") => rest,
                _ => l,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let all: ConfigFile = toml::from_str(&uncommented).expect("every shown key is valid");
        assert_eq!(all.account.waba_id.as_deref(), Some("102290129340398"));
        assert_eq!(
            all.account.api_version.as_deref(),
            Some(DEFAULT_API_VERSION)
        );
        assert_eq!(all.account.app_id.as_deref(), Some("1234567890"));
        assert!(all.env.contains_key("staging"));
        assert_eq!(all.lint.words_per_variable, Some(2));
        assert_eq!(all.lint.per_file_ignores.len(), 1);
        assert_eq!(all.lint.vocabularies.len(), 1);
        // And the keys are those of SPEC §2.
        for key in [
            "templates =",
            "waba_id",
            "api_version",
            "graph_url",
            "token_env",
            "phone_number_id",
            "[env.staging]",
            "select",
            "ignore",
            "duplicate_threshold",
            "extra_shorteners",
            "allowed_domains",
            "[lint.per_file_ignores]",
        ] {
            assert!(text.contains(key), "wt.toml does not show `{key}`");
        }
    }

    #[test]
    fn templates_dir_is_quoted_for_toml() {
        let t: ConfigFile = toml::from_str(&config_text(r#"my "tpl"\dir"#)).expect("parses");
        assert_eq!(t.templates.as_deref(), Some(r#"my "tpl"\dir"#));
    }

    #[test]
    fn precommit_snippet_names_the_hook_and_a_custom_dir() {
        let s = precommit_snippet("templates");
        assert!(s.contains("- id: wt-lint"), "{s}");
        assert!(!s.contains("files:"), "{s}");
        let s = precommit_snippet("wa/templates.v2");
        assert!(s.contains(r"files: '^wa/templates\.v2/.*\.toml$'"), "{s}");
    }

    #[test]
    fn write_new_refuses_an_existing_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("sub").join("a.toml");
        write_new(&p, "one").expect("first write");
        assert_eq!(std::fs::read_to_string(&p).expect("read"), "one");
        let err = write_new(&p, "two").expect_err("second write must fail");
        assert_eq!(err.exit_status(), ExitStatus::Usage);
        assert_eq!(std::fs::read_to_string(&p).expect("read"), "one");
        let left: Vec<_> = std::fs::read_dir(dir.path().join("sub"))
            .expect("read_dir")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left, ["a.toml"], "temporary files left behind");
    }
}
