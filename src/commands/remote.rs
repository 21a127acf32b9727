//! Connecting to Meta for `plan`, `sync` and `status`: the account settings, the token, a
//! [`GraphClient`], reading the account, and how [`ApiError`]s become [`WtError`]s.
//!
//! The token is read only from the environment variable named by `token_env` (default
//! `WA_ACCESS_TOKEN`), or, when that is unset or empty, from the file named by
//! `WT_TOKEN_FILE` (SPEC §2). It lives in a [`Secret`] and every message built here is
//! passed through [`Connection::redact`] as a last line of defence.
//!
//! Tuning knobs read from the environment (hidden: they exist so tests stay fast):
//! - `WT_RETRY_BASE_MS`: the first retry delay in milliseconds (default 500; it doubles per
//!   retry, with jitter, up to 30 s).
//! - `WT_HTTP_TIMEOUT_MS`: the time limit of one HTTP exchange in milliseconds (default
//!   30 000), so tests of answers slower than the timeout take milliseconds, not minutes.
//! - `WT_SLEEP_CAP_MS`: the longest real pause between two attempts in milliseconds. wt
//!   still decides and reports the wait Meta asks for (a throttle's minutes); it only sleeps
//!   less (retries, throttle waits and `--wait` pauses alike). Unset in real use; tests set
//!   it so a one-minute throttle wait is instant.
//! - `WT_NOW`: the current time in Unix seconds, for the dates `wt pull` writes and the
//!   expiry checks of `wt doctor` ([`Context::now`]).

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::time::Duration;

use crate::api::{
    codes, ApiError, GraphClient, GraphConfig, ListFilter, RemoteTemplate, RequestEvent,
    RetryPolicy, Secret, Sleeper, DEFAULT_PAGE_SIZE,
};
use crate::commands::Context;
use crate::config::{Account, Config};
use crate::error::WtError;
use crate::plan::RemoteEntry;

/// Environment variable naming a file that holds the token (SPEC §2).
pub const TOKEN_FILE_ENV: &str = "WT_TOKEN_FILE";
/// Graph's "object does not exist, cannot be loaded due to missing permissions" subcode of
/// 100: a wrong WABA or template id (Graph convention; not in `meta/api.md`).
pub const SUB_OBJECT_NOT_FOUND: u32 = 33;
/// Hidden: first retry delay in milliseconds.
pub const RETRY_BASE_ENV: &str = "WT_RETRY_BASE_MS";
/// Hidden: time limit of one HTTP exchange in milliseconds.
pub const HTTP_TIMEOUT_ENV: &str = "WT_HTTP_TIMEOUT_MS";
/// Hidden: longest real pause between attempts in milliseconds (tests).
pub const SLEEP_CAP_ENV: &str = "WT_SLEEP_CAP_MS";

/// A client for the configured account, and what error messages need to know about it.
pub struct Connection {
    pub client: GraphClient,
    pub account: Account,
    /// `$WA_ACCESS_TOKEN` or `the file named by WT_TOKEN_FILE (…)`, for hints.
    pub token_source: String,
    token: Secret,
    /// `WT_SLEEP_CAP_MS` (tests).
    sleep_cap: Option<Duration>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("client", &self.client)
            .field("token_source", &self.token_source)
            .finish_non_exhaustive()
    }
}

/// Resolves the account and the token and builds the client. No request is made.
///
/// Missing token or WABA id, or an unusable URL or token, are configuration errors (exit 2).
pub fn connect(cx: &Context, config: &Config) -> Result<Connection, WtError> {
    let getenv = |k: &str| cx.getenv(k);
    let account = cx.account(config)?;
    let waba_id = account.waba_id.clone().ok_or_else(|| {
        WtError::usage_help(
            "no WhatsApp Business Account id is configured",
            "set WA_WABA_ID=<id>, or `waba_id = \"<id>\"` under `[account]` in wt.toml \
             (the id is in Meta Business Suite under WhatsApp accounts)",
        )
    })?;
    let (token, token_source) = read_token(&account, &getenv)?;
    let mut graph = GraphConfig::new(
        account.graph_url.clone(),
        account.api_version.clone(),
        waba_id,
        token.clone(),
    );
    graph.page_size = DEFAULT_PAGE_SIZE;
    if let Some(ms) = getenv(RETRY_BASE_ENV).and_then(|v| v.trim().parse::<u64>().ok()) {
        graph.retry = RetryPolicy {
            base_delay: Duration::from_millis(ms),
            ..RetryPolicy::default()
        };
    }
    if let Some(ms) = getenv(HTTP_TIMEOUT_ENV).and_then(|v| v.trim().parse::<u64>().ok()) {
        graph.timeout = Duration::from_millis(ms.max(1));
    }
    let sleep_cap = getenv(SLEEP_CAP_ENV)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_millis);
    let mut client = GraphClient::new(graph).map_err(|e| {
        let hint = match &e {
            ApiError::InvalidArgument {
                what: "access token",
                ..
            } => format!("check the token in {token_source}"),
            ApiError::InvalidArgument { what: "WABA id", .. } => {
                "WA_WABA_ID / `[account] waba_id` is the numeric id of the WhatsApp Business Account"
                    .to_string()
            }
            _ => "check `graph_url` and `api_version` in wt.toml (or WT_GRAPH_URL, WHATSAPP_API_VERSION)".to_string(),
        };
        WtError::usage_help(redact_with(&token, &e.to_string()), hint)
    })?;
    let quiet = cx.global.quiet;
    client = client.with_sleeper(Arc::new(ProgressSleeper { quiet, sleep_cap }));
    if cx.global.verbose {
        // Events carry no query string and errors are redacted where they are built; the
        // line is redacted once more as it is printed.
        let secret = token.clone();
        client = client.with_observer(move |e| log_event(e, &secret));
    }
    Ok(Connection {
        client,
        account,
        token_source,
        token,
        sleep_cap,
    })
}

/// The token from `$<token_env>` or the file named by `WT_TOKEN_FILE`, and a description of
/// where it came from (never the value).
pub(crate) fn read_token(
    account: &Account,
    getenv: &dyn Fn(&str) -> Option<String>,
) -> Result<(Secret, String), WtError> {
    let var = &account.token_env;
    if let Some(v) = getenv(var).filter(|v| !v.is_empty()) {
        return Ok((Secret::new(v), format!("${var}")));
    }
    if let Some(path) = getenv(TOKEN_FILE_ENV).filter(|p| !p.is_empty()) {
        let source = format!("the file named by {TOKEN_FILE_ENV} ({path})");
        let text = std::fs::read_to_string(&path).map_err(|e| {
            // A value without a path separator or a dot may be the token itself, set in the
            // wrong variable: it is not repeated in the message then.
            let looks_like_path = path.contains(['/', '\\', '.', '~']);
            let (shown, hint) = if looks_like_path {
                (format!(" {path}"), String::new())
            } else {
                (
                    String::new(),
                    format!(
                        "; its value is not shown: it does not look like a path (is it the token itself? then put it in ${var})"
                    ),
                )
            };
            WtError::usage_help(
                format!("cannot read the token file{shown} named by {TOKEN_FILE_ENV}: {e}{hint}"),
                format!("check the path in {TOKEN_FILE_ENV}, or set ${var} instead"),
            )
        })?;
        // Files usually end with a newline; a token never contains whitespace.
        let token = text.trim();
        if token.is_empty() {
            return Err(WtError::usage_help(
                format!("the token file {path} named by {TOKEN_FILE_ENV} is empty"),
                "write the access token into it",
            ));
        }
        return Ok((Secret::new(token), source));
    }
    Err(WtError::usage_help(
        format!("no access token: ${var} is not set"),
        format!(
            "export {var}=<token> (a system-user token with the whatsapp_business_management \
             permission), or write it to a file and set {TOKEN_FILE_ENV}=<path>; wt never takes \
             a token on the command line"
        ),
    ))
}

fn redact_with(token: &Secret, text: &str) -> String {
    token.redact(text)
}

/// `-v`: one line per HTTP exchange on stderr, with the token redacted.
fn log_event(e: &RequestEvent, token: &Secret) {
    let status = e
        .status
        .map_or_else(|| "no answer".to_string(), |s| s.to_string());
    let mut line = format!(
        "wt: {} {} → {status} in {} ms",
        e.method,
        e.path,
        e.elapsed.as_millis()
    );
    if e.attempt > 1 {
        line.push_str(&format!(" (attempt {})", e.attempt));
    }
    if let Some(err) = &e.error {
        line.push_str(&format!(": {err}"));
    }
    if let Some(d) = e.retry_in {
        line.push_str(&format!("; retrying in {} ms", d.as_millis()));
    }
    let _ = writeln!(std::io::stderr(), "{}", token.redact(&line));
}

/// Sleeps between attempts and says so when the wait is long (Meta asked to slow down).
struct ProgressSleeper {
    quiet: bool,
    /// `WT_SLEEP_CAP_MS`: sleep at most this long (tests).
    sleep_cap: Option<Duration>,
}

impl Sleeper for ProgressSleeper {
    fn sleep(&self, duration: Duration) {
        if !self.quiet && duration >= Duration::from_secs(5) {
            let _ = writeln!(
                std::io::stderr(),
                "wt: Meta asked to slow down; waiting {} before the next call",
                human_duration(duration)
            );
        }
        std::thread::sleep(self.sleep_cap.map_or(duration, |cap| duration.min(cap)));
    }
}

/// `2h 5m`, `3m 10s`, `45s`, `250ms`.
pub fn human_duration(d: Duration) -> String {
    let secs = d.as_secs();
    if secs == 0 {
        return format!("{}ms", d.as_millis());
    }
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    match (h, m, s) {
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (0, m, s) => format!("{m}m {s}s"),
        (h, 0, _) => format!("{h}h"),
        (h, m, _) => format!("{h}h {m}m"),
    }
}

impl Connection {
    /// Waits `d` between two calls (at most `WT_SLEEP_CAP_MS` when tests set it).
    pub fn pause(&self, d: Duration) {
        std::thread::sleep(self.sleep_cap.map_or(d, |cap| d.min(cap)));
    }

    /// Replaces the token by `***` in `text`.
    pub fn redact(&self, text: &str) -> String {
        redact_with(&self.token, text)
    }

    /// Reads the templates of the account. With a few `names`, one filtered listing per name
    /// (Meta filters by substring; the client keeps exact matches); otherwise one listing of
    /// everything (about one call per 100 templates, `api::DEFAULT_PAGE_SIZE`).
    pub fn fetch(
        &self,
        names: &BTreeSet<String>,
        per_name: bool,
    ) -> Result<Vec<RemoteTemplate>, ApiError> {
        let templates = self.client.templates();
        if per_name && !names.is_empty() {
            let mut out = Vec::new();
            for n in names {
                out.extend(templates.list(&ListFilter {
                    name: Some(n.clone()),
                    language: None,
                })?);
            }
            Ok(out)
        } else {
            templates.list(&ListFilter::default())
        }
    }

    /// Turns an API failure into exit 3 with a message that says what to do. `doing` says
    /// what wt was doing (`reading the account`, `creating order_shipped (en_US)`).
    pub fn error(&self, doing: &str, err: &ApiError) -> WtError {
        let (message, help) = self.describe(doing, err);
        WtError::Remote {
            message: self.redact(&message),
            help: help.map(|h| self.redact(&h)),
        }
    }

    /// Message and hint for an API failure.
    pub fn describe(&self, doing: &str, err: &ApiError) -> (String, Option<String>) {
        let waba = self.client.waba_id();
        if err.is_auth_error() {
            let summary = err
                .meta()
                .map_or_else(|| err.to_string(), ToString::to_string);
            return (
                format!("{doing}: Meta refused the access token ({summary})"),
                Some(format!(
                    "check the token in {}: it may be expired or revoked, or lack the \
                     whatsapp_business_management permission on WABA {waba}",
                    self.token_source
                )),
            );
        }
        let help = match err {
            ApiError::ThrottledTooLong { wait, .. } => Some(format!(
                "Meta limits calls per account (meta/api.md §7); run again in {}",
                minutes(*wait)
            )),
            ApiError::Meta { error, .. }
                if error.code == codes::INVALID_PARAMETER
                    && error.error_subcode == Some(SUB_OBJECT_NOT_FOUND) =>
            {
                Some(format!(
                    "check the WABA id {waba} (WA_WABA_ID or `[account] waba_id`) and that the \
                     token in {} may read it",
                    self.token_source
                ))
            }
            ApiError::Network { .. } | ApiError::Timeout { .. } => Some(format!(
                "check the network and the Graph API URL {} (`graph_url`, WT_GRAPH_URL); \
                 wt retried before giving up",
                self.account.graph_url
            )),
            ApiError::Decode { reason, .. } if reason.contains("HTML") => Some(format!(
                "an HTML page came back instead of Meta's JSON{}: a proxy, a captive portal or an \
                 outage page may be answering; check the network and the Graph API URL {} \
                 (`graph_url`, WT_GRAPH_URL), then run again later",
                tried(err),
                self.account.graph_url
            )),
            ApiError::Decode { .. } => Some(format!(
                "Meta's API answered with something that is not its JSON{}; run again later",
                tried(err)
            )),
            ApiError::Paging { .. } => Some(
                "the account could not be read to the end, so nothing was changed; this is a \
                 fault on Meta's side: run again later"
                    .to_string(),
            ),
            ApiError::Redirect { .. } => Some(format!(
                "check the Graph API URL {} (`graph_url` in wt.toml, WT_GRAPH_URL): it should \
                 be https://graph.facebook.com or a host that answers without redirecting",
                self.account.graph_url
            )),
            _ if err.is_throttling() => Some(
                "Meta is rate-limiting this account (meta/api.md §7); run again later".to_string(),
            ),
            ApiError::NotSuccessful { .. } => Some(
                "Meta did not confirm the change; `wt plan` shows whether it landed, and \
                 running again later finishes it"
                    .to_string(),
            ),
            _ if err.is_retryable() => {
                Some("Meta's API kept failing after retries; run again later".to_string())
            }
            _ => err.meta().and_then(explain_hint),
        };
        (format!("{doing}: {err}"), help)
    }
}

/// `` `wt explain 100/2388019` says … `` when wt's catalogue knows the code (or the
/// subcode's code).
fn explain_hint(m: &crate::api::MetaError) -> Option<String> {
    use crate::meta_errors::{exact, range_fallback};
    let code = i64::from(m.code);
    let sub = m.error_subcode.map(i64::from);
    let key = if sub.is_some() && exact(code, sub).is_some() {
        format!("{code}/{}", sub.unwrap_or_default())
    } else if exact(code, None).is_some() || range_fallback(code).is_some() {
        code.to_string()
    } else {
        return None;
    };
    Some(format!(
        "`wt explain {key}` says what Meta's error means and how to fix it"
    ))
}

/// `, even after retries` when the client retried this error, else nothing.
fn tried(err: &ApiError) -> &'static str {
    if err.is_retryable() {
        ", even after retries"
    } else {
        ""
    }
}

/// `run again in 42 minutes`: whole minutes, rounded up, at least 1.
pub fn minutes(d: Duration) -> String {
    let m = d.as_secs().div_ceil(60).max(1);
    if m == 1 {
        "1 minute".to_string()
    } else {
        format!("{m} minutes")
    }
}

impl From<&RemoteTemplate> for RemoteEntry {
    fn from(t: &RemoteTemplate) -> Self {
        RemoteEntry {
            id: t.id.clone(),
            name: t.name.clone(),
            language: t.language.clone(),
            status: t.status.as_str().to_string(),
            category: t.category.as_str().to_string(),
            components: t.components.clone(),
            quality_score: t.quality_score.clone(),
            rejected_reason: t.rejected_reason.clone(),
        }
    }
}

/// Whether stderr is a terminal (progress lines with `\r`).
pub fn stderr_is_tty() -> bool {
    std::io::stderr().is_terminal()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(token_env: &str) -> Account {
        Account {
            graph_url: "https://graph.facebook.com".into(),
            api_version: "v23.0".into(),
            waba_id: Some("1".into()),
            token_env: token_env.into(),
            phone_number_id: None,
            app_id: None,
            env_name: None,
        }
    }

    #[test]
    fn token_from_named_variable_then_file() {
        let a = account("MY_TOKEN");
        let (t, src) = read_token(&a, &|k| (k == "MY_TOKEN").then(|| "tok".to_string())).unwrap();
        assert_eq!(t.expose(), "tok");
        assert_eq!(src, "$MY_TOKEN");

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token");
        std::fs::write(&path, "file-token\n").unwrap();
        let p = path.display().to_string();
        let (t, src) = read_token(&a, &|k| (k == TOKEN_FILE_ENV).then(|| p.clone())).unwrap();
        assert_eq!(t.expose(), "file-token");
        assert!(src.contains(TOKEN_FILE_ENV));
    }

    #[test]
    fn a_token_set_as_the_token_file_is_not_echoed() {
        let a = account("WA_ACCESS_TOKEN");
        let err = read_token(&a, &|k| {
            (k == TOKEN_FILE_ENV).then(|| "EAAG-SECRET-TOKEN-1234567890".to_string())
        })
        .unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.contains("is it the token itself"), "{shown}");
        // A path is shown: it helps and is no secret.
        let err = read_token(&a, &|k| {
            (k == TOKEN_FILE_ENV).then(|| "/no/such/dir/token.txt".to_string())
        })
        .unwrap_err();
        assert!(err.to_string().contains("/no/such/dir/token.txt"), "{err}");
    }

    #[test]
    fn missing_token_names_the_variable() {
        let err = read_token(&account("WA_ACCESS_TOKEN"), &|_| None).unwrap_err();
        assert_eq!(err.exit_status(), crate::error::ExitStatus::Usage);
        assert!(err.to_string().contains("$WA_ACCESS_TOKEN"), "{err}");
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(human_duration(Duration::from_millis(250)), "250ms");
        assert_eq!(human_duration(Duration::from_secs(190)), "3m 10s");
        assert_eq!(human_duration(Duration::from_secs(7500)), "2h 5m");
        assert_eq!(minutes(Duration::from_secs(61)), "2 minutes");
        assert_eq!(minutes(Duration::from_secs(10)), "1 minute");
    }
}
