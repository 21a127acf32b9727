//! `wt.toml` (SPEC §2): the model, the upward lookup, and resolution of settings with the
//! precedence flag > environment > file > default. Nothing else reads the environment.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::WtError;

pub const CONFIG_FILE: &str = "wt.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Directory of template files, relative to `wt.toml`.
    pub templates: Option<String>,
    #[serde(default)]
    pub account: AccountConfig,
    /// Named environments (`[env.staging]`), chosen with `--env` or `WT_ENV`.
    #[serde(default)]
    pub env: BTreeMap<String, AccountConfig>,
    #[serde(default)]
    pub lint: LintConfig,
}

/// `[account]` and each `[env.<name>]`: every key optional.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountConfig {
    pub waba_id: Option<String>,
    pub api_version: Option<String>,
    pub graph_url: Option<String>,
    pub token_env: Option<String>,
    pub phone_number_id: Option<String>,
    pub app_id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintConfig {
    pub select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub duplicate_threshold: Option<toml::Spanned<f64>>,
    #[serde(default)]
    pub extra_shorteners: Vec<String>,
    #[serde(default)]
    pub allowed_domains: Vec<String>,
    /// Glob (relative to `wt.toml`) → codes ignored in matching files.
    #[serde(default)]
    pub per_file_ignores: BTreeMap<String, Vec<String>>,
    /// `[lint.vocabularies.<lang>]`: words to accept (never flag) and reject (always flag).
    #[serde(default)]
    pub vocabularies: BTreeMap<String, Vocabulary>,
    /// Fixed words required per body variable by WT009 (default 2, i.e. 2n+1).
    pub words_per_variable: Option<usize>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vocabulary {
    #[serde(default)]
    pub accept: Vec<String>,
    #[serde(default)]
    pub reject: Vec<String>,
}

/// A loaded `wt.toml` and where it lives.
#[derive(Debug, Default)]
pub struct Config {
    pub file: ConfigFile,
    /// The file's directory: the base of relative paths. The working directory when there is
    /// no `wt.toml`.
    pub root: PathBuf,
    pub path: Option<PathBuf>,
    source: String,
}

impl Config {
    /// Loads `explicit`, or the nearest `wt.toml` from `cwd` upwards, or the defaults.
    pub fn load(explicit: Option<&Path>, cwd: &Path) -> Result<Self, WtError> {
        let path = match explicit {
            Some(p) => {
                if !p.is_file() {
                    return Err(WtError::usage_help(
                        format!("config file `{}` not found", p.display()),
                        "check the path given to --config",
                    ));
                }
                Some(p.to_path_buf())
            }
            None => cwd
                .ancestors()
                .map(|d| d.join(CONFIG_FILE))
                .find(|p| p.is_file()),
        };
        let Some(path) = path else {
            return Ok(Config {
                root: cwd.to_path_buf(),
                ..Config::default()
            });
        };
        let source = std::fs::read_to_string(&path).map_err(|e| WtError::Io {
            path: path.display().to_string(),
            source: e,
        })?;
        let file: ConfigFile =
            toml::from_str(&source).map_err(|e| config_error(&path, &source, &e))?;
        let root = path
            .parent()
            .map(Path::to_path_buf)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| cwd.to_path_buf());
        let config = Config {
            file,
            root,
            path: Some(path),
            source,
        };
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), WtError> {
        let tables = std::iter::once(("[account]".to_string(), &self.file.account)).chain(
            self.file
                .env
                .iter()
                .map(|(name, a)| (format!("[env.{name}]"), a)),
        );
        for (table, a) in tables {
            // The value is never echoed: one that is not a variable name is often the token.
            if a.token_env.as_deref().is_some_and(|v| !is_env_var_name(v)) {
                return Err(WtError::Config {
                    message: format!(
                        "`token_env` under {table} in {} is not the name of an environment variable",
                        self.shown_path()
                    ),
                    src: None,
                    span: None,
                    label: String::new(),
                    help: Some(format!(
                        "set it to a variable name such as {DEFAULT_TOKEN_ENV} (letters, digits and _). {NO_TOKEN_IN_FILE}"
                    )),
                });
            }
        }
        if let Some(t) = &self.file.lint.duplicate_threshold {
            let v = *t.get_ref();
            if !(0.0..=1.0).contains(&v) || v.is_nan() {
                return Err(self.error_at(
                    t.span(),
                    format!("`duplicate_threshold` must be between 0 and 1, found {v}"),
                    "not in [0, 1]",
                    "use a similarity such as 0.90",
                ));
            }
        }
        Ok(())
    }

    /// A configuration error pointing into `wt.toml`.
    pub fn error_at(
        &self,
        span: std::ops::Range<usize>,
        message: String,
        label: &str,
        help: &str,
    ) -> WtError {
        let name = self.shown_path();
        if let Some(line) = secret_line(&self.source) {
            return WtError::Config {
                message,
                src: None,
                span: None,
                label: String::new(),
                help: Some(format!("{help}; {}", secret_help(line))),
            };
        }
        WtError::Config {
            message,
            src: Some(miette::NamedSource::new(name, self.source.clone())),
            span: Some(span.into()),
            label: label.to_string(),
            help: Some(help.to_string()),
        }
    }

    fn shown_path(&self) -> String {
        self.path
            .as_ref()
            .map_or_else(|| CONFIG_FILE.to_string(), |p| p.display().to_string())
    }

    /// The templates directory.
    pub fn templates_dir(&self) -> PathBuf {
        let rel = self.file.templates.as_deref().unwrap_or("templates");
        self.root.join(rel)
    }
}

/// Said whenever wt.toml seems to hold a token.
const NO_TOKEN_IN_FILE: &str = "wt never reads the access token from wt.toml: it takes it from the environment variable named by `token_env` (default WA_ACCESS_TOKEN) or from the file named by WT_TOKEN_FILE. If a token was written into wt.toml, remove it, and revoke it if the file was ever committed";

fn secret_help(line: usize) -> String {
    format!(
        "the file is not shown because line {line} looks like it holds a secret; {NO_TOKEN_IN_FILE}"
    )
}

/// Whether `s` can name an environment variable: `[A-Za-z_][A-Za-z0-9_]*`, at most 64
/// characters, and not shaped like a Meta access token (`EAA…`, long).
fn is_env_var_name(s: &str) -> bool {
    let mut bytes = s.bytes();
    let first_ok = bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_');
    first_ok
        && s.len() <= 64
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !looks_like_meta_token(s)
}

/// A Meta access token: `EAA` and then at least 20 letters and digits.
fn looks_like_meta_token(word: &str) -> bool {
    word.strip_prefix("EAA")
        .is_some_and(|rest| rest.len() >= 20 && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The first line (1-based) of `source` that looks like it holds a secret: a key naming a
/// token, secret or password (other than `token_env`), or a Meta-token-shaped word, even
/// in a comment. Error messages then leave the file's text out: miette would print the
/// lines around the error, and CI logs are often readable by more people than the repo.
pub(crate) fn secret_line(source: &str) -> Option<usize> {
    const KEY_WORDS: &[&str] = &["token", "secret", "password", "passwd", "api_key", "apikey"];
    source
        .lines()
        .position(|line| {
            let code = line.trim_start().trim_start_matches('#');
            let key = code
                .split('=')
                .next()
                .unwrap_or_default()
                .trim()
                .trim_matches(['"', '\'', ' '])
                .to_ascii_lowercase();
            let key = key.rsplit('.').next().unwrap_or_default();
            let secret_key = code.contains('=')
                && key != "token_env"
                && KEY_WORDS.iter().any(|w| key.contains(w));
            secret_key
                || line
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .any(looks_like_meta_token)
        })
        .map(|i| i + 1)
}

fn config_error(path: &Path, source: &str, e: &toml::de::Error) -> WtError {
    if let Some(line) = secret_line(source) {
        let at = e
            .span()
            .map(|sp| {
                let line = source[..sp.start.min(source.len())].matches('\n').count() + 1;
                format!(" (line {line})")
            })
            .unwrap_or_default();
        return WtError::Config {
            message: format!(
                "invalid {}{at}: {}",
                path.display(),
                e.message().trim_end_matches('.')
            ),
            src: None,
            span: None,
            label: String::new(),
            help: Some(secret_help(line)),
        };
    }
    WtError::Config {
        message: format!(
            "invalid {}: {}",
            path.display(),
            e.message().trim_end_matches('.')
        ),
        src: Some(miette::NamedSource::new(
            path.display().to_string(),
            source.to_string(),
        )),
        span: e.span().map(Into::into),
        label: "here".to_string(),
        help: Some("see SPEC §2 for the keys wt.toml accepts".to_string()),
    }
}

/// Where to reach Meta, resolved with flag > environment > `wt.toml` > default.
#[derive(Debug, Clone)]
pub struct Account {
    pub graph_url: String,
    pub api_version: String,
    pub waba_id: Option<String>,
    pub token_env: String,
    pub phone_number_id: Option<String>,
    pub app_id: Option<String>,
    /// The environment name in use, if any.
    pub env_name: Option<String>,
}

pub const DEFAULT_GRAPH_URL: &str = "https://graph.facebook.com";
/// The Graph version wt speaks by default (meta/api.md §1.0: v23.0–v25.0 in Meta's examples).
pub const DEFAULT_API_VERSION: &str = "v23.0";
pub const DEFAULT_TOKEN_ENV: &str = "WA_ACCESS_TOKEN";

impl Config {
    /// Resolves the account settings. `env_flag` is `--env`; `getenv` reads the environment
    /// (injected so tests need not mutate the process environment).
    pub fn account(
        &self,
        env_flag: Option<&str>,
        getenv: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Account, WtError> {
        let env_name = env_flag
            .map(str::to_string)
            .or_else(|| getenv("WT_ENV").filter(|s| !s.is_empty()));
        let base = &self.file.account;
        let overlay = match &env_name {
            None => None,
            Some(name) => match self.file.env.get(name) {
                Some(e) => Some(e),
                None => {
                    let known: Vec<&str> = self.file.env.keys().map(String::as_str).collect();
                    return Err(WtError::usage_help(
                        format!("unknown environment `{name}`"),
                        if known.is_empty() {
                            "define it in wt.toml as `[env.<name>]`".to_string()
                        } else {
                            format!("wt.toml defines: {}", known.join(", "))
                        },
                    ));
                }
            },
        };
        let pick = |f: fn(&AccountConfig) -> &Option<String>| -> Option<String> {
            overlay
                .and_then(|o| f(o).clone())
                .or_else(|| f(base).clone())
        };
        let env = |k: &str| getenv(k).filter(|s| !s.is_empty());
        Ok(Account {
            graph_url: env("WT_GRAPH_URL")
                .or_else(|| pick(|a| &a.graph_url))
                .unwrap_or_else(|| DEFAULT_GRAPH_URL.to_string()),
            api_version: env("WHATSAPP_API_VERSION")
                .or_else(|| pick(|a| &a.api_version))
                .unwrap_or_else(|| DEFAULT_API_VERSION.to_string()),
            waba_id: env("WA_WABA_ID").or_else(|| pick(|a| &a.waba_id)),
            token_env: pick(|a| &a.token_env).unwrap_or_else(|| DEFAULT_TOKEN_ENV.to_string()),
            phone_number_id: env("WA_PHONE_NUMBER_ID").or_else(|| pick(|a| &a.phone_number_id)),
            app_id: env("WA_APP_ID").or_else(|| pick(|a| &a.app_id)),
            env_name,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ExitStatus;
    use std::collections::HashMap;

    const FILE: &str = r#"
[account]
waba_id = "100"
api_version = "v22.0"
graph_url = "https://file.example"
phone_number_id = "555"

[env.staging]
waba_id = "200"
token_env = "WA_STAGING_TOKEN"
graph_url = "https://staging.example"

[env.prod]
waba_id = "300"
"#;

    /// A project directory holding `text` as its wt.toml, loaded the way commands load it.
    fn load(text: &str) -> (tempfile::TempDir, Config) {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(CONFIG_FILE), text).expect("write wt.toml");
        let sub = dir.path().join("templates");
        std::fs::create_dir(&sub).expect("mkdir");
        // Looked up from a subdirectory: the upward search finds it.
        let config = Config::load(None, &sub).expect("wt.toml loads");
        (dir, config)
    }

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    fn account(config: &Config, flag: Option<&str>, env: &[(&str, &str)]) -> Account {
        config.account(flag, &vars(env)).expect("resolves")
    }

    #[test]
    fn lines_that_may_hold_a_secret() {
        assert_eq!(secret_line("[account]\naccess_token = \"x\"\n"), Some(2));
        assert_eq!(secret_line("[account]\n# api_key = 'x'\n"), Some(2));
        assert_eq!(secret_line("\"Secret\" = 1"), Some(1));
        assert_eq!(secret_line("account.password=1"), Some(1));
        assert_eq!(
            secret_line("waba_id = \"EAAGm0PX4ZCpsBAKZBnr7qZA9dlZCEZDZD\""),
            Some(1)
        );
        for fine in [
            FILE,
            "[account]\ntoken_env = \"WA_TOKEN\"\n# token_env = \"X\"\n",
            "[lint.vocabularies.en]\naccept = [\"token\"]\n",
            "# the access token never goes in this file\n",
        ] {
            assert_eq!(secret_line(fine), None, "{fine}");
        }
    }

    #[test]
    fn token_env_must_name_a_variable_and_is_never_echoed() {
        for good in ["WA_ACCESS_TOKEN", "_x", "SHOP_WA_TOKEN_2", "EAA_TOKEN"] {
            assert!(is_env_var_name(good), "{good}");
        }
        for bad in [
            "",
            "EAAG-SECRET-TOKEN-1234567890",
            "EAAGm0PX4ZCpsBAKZBnr7qZA9dlZCEZDZD",
            "1ABC",
            "WA TOKEN",
            &"A".repeat(65),
        ] {
            assert!(!is_env_var_name(bad), "{bad}");
        }
        let dir = tempfile::tempdir().expect("tempdir");
        for text in [
            "[account]\ntoken_env = \"EAAG-SECRET-TOKEN-1234567890\"\n",
            "[env.prod]\ntoken_env = \"EAAG-SECRET-TOKEN-1234567890\"\n",
        ] {
            std::fs::write(dir.path().join(CONFIG_FILE), text).expect("write");
            let err = Config::load(None, dir.path()).expect_err("refused");
            let plain = format!("{err} {err:?}");
            let shown = format!("{plain} {:?}", miette::Report::new(err));
            assert!(!shown.contains("SECRET"), "{shown}");
            assert!(shown.contains("token_env"), "{shown}");
        }
    }

    #[test]
    fn a_wt_toml_holding_a_token_is_not_shown_in_errors() {
        let dir = tempfile::tempdir().expect("tempdir");
        for text in [
            "[account]\naccess_token = \"EAAG-SECRET-TOKEN-1234567890\"\n",
            "[account]\ntoken = EAAG-SECRET-TOKEN-1234567890\n",
            "# token = \"EAAG-SECRET-TOKEN-1234567890\"\n[lint]\nduplicate_threshold = 7.0\n",
        ] {
            std::fs::write(dir.path().join(CONFIG_FILE), text).expect("write");
            let err = Config::load(None, dir.path()).expect_err("refused");
            assert_eq!(err.exit_status(), ExitStatus::Usage);
            let plain = format!("{err} {err:?}");
            let shown = format!("{plain} {:?}", miette::Report::new(err));
            assert!(!shown.contains("SECRET"), "{shown}");
            assert!(shown.contains("never reads the access token"), "{shown}");
        }
    }

    #[test]
    fn defaults_without_a_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = Config::load(None, dir.path()).expect("no wt.toml is fine");
        assert!(
            config.path.is_none()
                || !config
                    .path
                    .as_ref()
                    .is_some_and(|p| p.starts_with(dir.path()))
        );
        let a = account(&Config::default(), None, &[]);
        assert_eq!(a.graph_url, DEFAULT_GRAPH_URL);
        assert_eq!(a.api_version, DEFAULT_API_VERSION);
        assert_eq!(a.token_env, DEFAULT_TOKEN_ENV);
        assert_eq!(
            (a.waba_id, a.phone_number_id, a.env_name),
            (None, None, None)
        );
    }

    #[test]
    fn file_account_without_an_environment() {
        let (_d, config) = load(FILE);
        let a = account(&config, None, &[]);
        assert_eq!(a.waba_id.as_deref(), Some("100"));
        assert_eq!(a.graph_url, "https://file.example");
        assert_eq!(a.api_version, "v22.0");
        assert_eq!(
            a.token_env, DEFAULT_TOKEN_ENV,
            "default when neither table sets it"
        );
        assert_eq!(a.env_name, None);
    }

    #[test]
    fn environment_overrides_account_key_by_key() {
        let (_d, config) = load(FILE);
        let a = account(&config, Some("staging"), &[]);
        assert_eq!(a.env_name.as_deref(), Some("staging"));
        assert_eq!(a.waba_id.as_deref(), Some("200"));
        assert_eq!(a.token_env, "WA_STAGING_TOKEN");
        assert_eq!(a.graph_url, "https://staging.example");
        // Keys the environment does not set come from [account], then the default.
        assert_eq!(a.api_version, "v22.0");
        assert_eq!(a.phone_number_id.as_deref(), Some("555"));
        let p = account(&config, Some("prod"), &[]);
        assert_eq!(p.waba_id.as_deref(), Some("300"));
        assert_eq!(p.graph_url, "https://file.example");
        assert_eq!(p.token_env, DEFAULT_TOKEN_ENV);
    }

    #[test]
    fn env_name_precedence_flag_then_wt_env_then_none() {
        let (_d, config) = load(FILE);
        // WT_ENV alone chooses.
        let a = account(&config, None, &[("WT_ENV", "staging")]);
        assert_eq!(a.env_name.as_deref(), Some("staging"));
        assert_eq!(a.waba_id.as_deref(), Some("200"));
        // The flag beats WT_ENV.
        let a = account(&config, Some("prod"), &[("WT_ENV", "staging")]);
        assert_eq!(a.env_name.as_deref(), Some("prod"));
        assert_eq!(a.waba_id.as_deref(), Some("300"));
        // An empty WT_ENV is unset (as `WT_ENV= wt …` means).
        let a = account(&config, None, &[("WT_ENV", "")]);
        assert_eq!(a.env_name, None);
        assert_eq!(a.waba_id.as_deref(), Some("100"));
    }

    #[test]
    fn variables_beat_the_file_and_the_environment_table() {
        let (_d, config) = load(FILE);
        let env = [
            ("WA_WABA_ID", "900"),
            ("WT_GRAPH_URL", "http://127.0.0.1:9"),
            ("WHATSAPP_API_VERSION", "v25.0"),
            ("WA_PHONE_NUMBER_ID", "777"),
            ("WA_APP_ID", "888"),
        ];
        for flag in [None, Some("staging")] {
            let a = account(&config, flag, &env);
            assert_eq!(a.waba_id.as_deref(), Some("900"), "{flag:?}");
            assert_eq!(a.graph_url, "http://127.0.0.1:9", "{flag:?}");
            assert_eq!(a.api_version, "v25.0", "{flag:?}");
            assert_eq!(a.phone_number_id.as_deref(), Some("777"), "{flag:?}");
            assert_eq!(a.app_id.as_deref(), Some("888"), "{flag:?}");
        }
        // token_env has no variable of its own: the table decides which variable holds the
        // token, so a token variable set for another environment is never picked up.
        let a = account(&config, Some("staging"), &[("WA_ACCESS_TOKEN", "x")]);
        assert_eq!(a.token_env, "WA_STAGING_TOKEN");
        // Empty variables count as unset.
        let a = account(&config, None, &[("WA_WABA_ID", ""), ("WT_GRAPH_URL", "")]);
        assert_eq!(a.waba_id.as_deref(), Some("100"));
        assert_eq!(a.graph_url, "https://file.example");
    }

    #[test]
    fn unknown_environment_is_a_usage_error_listing_the_known_ones() {
        let (_d, config) = load(FILE);
        for (flag, env) in [(Some("stagng"), vec![]), (None, vec![("WT_ENV", "qa")])] {
            let err = config.account(flag, &vars(&env)).expect_err("unknown env");
            assert_eq!(err.exit_status(), ExitStatus::Usage);
            assert_eq!(err.exit_status().code(), 2);
            let WtError::Usage { message, help } = &err else {
                panic!("a usage error: {err:?}");
            };
            assert!(message.contains(flag.unwrap_or("qa")), "{message}");
            assert_eq!(help.as_deref(), Some("wt.toml defines: prod, staging"));
        }
        // Without any [env.*] table, the help says how to define one.
        let (_d, bare) = load("[account]\nwaba_id = \"1\"\n");
        let err = bare
            .account(Some("staging"), &vars(&[]))
            .expect_err("unknown env");
        let WtError::Usage { help, .. } = &err else {
            panic!("a usage error: {err:?}");
        };
        assert!(
            help.as_deref().is_some_and(|h| h.contains("[env.<name>]")),
            "{help:?}"
        );
    }

    #[test]
    fn an_environment_table_rejects_unknown_keys() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "[env.staging]\nwaba = \"1\"\n",
        )
        .expect("write");
        let err = Config::load(None, dir.path()).expect_err("typo in an env table");
        assert_eq!(err.exit_status(), ExitStatus::Usage);
        assert!(err.to_string().contains("waba"), "{err}");
    }
}
