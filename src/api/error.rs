//! Errors of the Graph API layer and their classification (retry, auth, throttling).
//!
//! Classification follows `meta/api.md` §5: it looks at Meta's `code` (and `is_transient`),
//! never at the HTTP status, because Meta sends the same code with different statuses over
//! time (§5.5: throttling was 400, is now often 429). The HTTP status only matters when the
//! body is not a Meta error envelope at all (an HTML page from a proxy, a truncated body).

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Meta error codes and subcodes that the client (or the sync layer above it) acts on.
pub mod codes {
    /// Unknown, temporary API error; retried (`meta/api.md` §5.6).
    pub const API_UNKNOWN: u32 = 1;
    /// Temporary service error (HTTP 503 in the old table); retried (`meta/api.md` §5.5, §5.6).
    pub const API_SERVICE: u32 = 2;
    /// Capability or permission issue; never retried (`meta/api.md` §5.2, §5.6).
    pub const API_PERMISSION_CAPABILITY: u32 = 3;
    /// App-level call limit reached: throttling (`meta/api.md` §5.3).
    pub const APP_RATE_LIMIT: u32 = 4;
    /// Permission denied; an auth problem (`meta/api.md` §5.2).
    pub const PERMISSION_DENIED: u32 = 10;
    /// User-level call limit reached: throttling (`meta/api.md` §5.3).
    pub const USER_RATE_LIMIT: u32 = 17;
    /// Invalid parameter: validation errors on create/edit, carries 2388xxx subcodes
    /// (`meta/api.md` §5.2); never retried.
    pub const INVALID_PARAMETER: u32 = 100;
    /// Session key invalid or no longer valid; treated like an expired token (Graph
    /// error-handling guide, `meta/api.md` §0 key GEH).
    pub const SESSION_INVALID: u32 = 102;
    /// Access token expired or invalid, subcodes 458–467 (`meta/api.md` §5.2); re-auth, never retried.
    pub const ACCESS_TOKEN: u32 = 190;
    /// Invalid parameter value, e.g. a bad phone number in a button (`meta/api.md` §5.2).
    pub const INVALID_PARAMETER_VALUE: u32 = 192;
    /// First code of the permission range 200–299 (`meta/api.md` §5.2).
    pub const PERMISSION_RANGE_START: u32 = 200;
    /// Last code of the permission range 200–299 (`meta/api.md` §5.2).
    pub const PERMISSION_RANGE_END: u32 = 299;
    /// Application limit reached: throttling (`meta/api.md` §5.3).
    pub const APPLICATION_LIMIT: u32 = 341;
    /// WABA restricted for policy reasons; never retried (`meta/api.md` §5.2).
    pub const POLICY_RESTRICTED: u32 = 368;
    /// Custom rate limit (613/1996 = inconsistent request volume): throttling (`meta/api.md` §5.3).
    pub const CUSTOM_RATE_LIMIT: u32 = 613;
    /// The WABA reached its rate limit: throttling (`meta/api.md` §5.3, §7).
    pub const WABA_RATE_LIMIT: u32 = 80007;
    /// WhatsApp Business Management API business-use-case limit: throttling (`meta/api.md` §5.3, §7).
    pub const BUC_RATE_LIMIT: u32 = 80008;
    /// Cloud API throughput limit ("rate limit hit", seen as 429): throttling (`meta/api.md` §5.5).
    pub const CLOUD_THROUGHPUT_LIMIT: u32 = 130_429;
    /// "Something went wrong", HTTP 500 (`meta/api.md` §5.5, §5.6); retried.
    pub const SOMETHING_WENT_WRONG: u32 = 131_000;
    /// Service unavailable, HTTP 500 (`meta/api.md` §5.5, §5.6); retried.
    pub const SERVICE_UNAVAILABLE: u32 = 131_016;
    /// Account locked; never retried (`meta/api.md` §5.2).
    pub const ACCOUNT_LOCKED: u32 = 131_031;
    /// Server temporarily unavailable, HTTP 503 (`meta/api.md` §5.5, §5.6); retried.
    pub const SERVER_TEMPORARILY_UNAVAILABLE: u32 = 133_004;
    /// "HSM Template creation failed" (`meta/api.md` §5.2); never retried.
    pub const TEMPLATE_CREATION_FAILED: u32 = 200_002;

    /// Subcode of 100: template limit of the WABA exceeded (250/6000) (`meta/api.md` §5.2, §3.10).
    pub const SUB_TEMPLATE_LIMIT: u32 = 2_388_019;
    /// Subcode of 100: the (name, language) is still being deleted, for up to ~4 weeks; not
    /// retryable in-run, suggest a new name (`meta/api.md` §1.5, §5.2, §5.6).
    pub const SUB_NAME_BEING_DELETED: u32 = 2_388_023;
    /// Subcode of 100: "Content in This Language Already Exists", (name, language) exists
    /// (`meta/api.md` §5.2); on a retried create it means the first attempt succeeded (§5.6).
    pub const SUB_CONTENT_EXISTS: u32 = 2_388_024;
    /// Subcode of 100: status can't be changed: edit of a PENDING template or edit budget
    /// used up (`meta/api.md` §1.4, §5.2).
    pub const SUB_STATUS_CANNOT_CHANGE: u32 = 2_388_039;
    /// Subcode of 100: "Name Format is Incorrect" (`meta/api.md` §5.2, community-observed).
    pub const SUB_NAME_FORMAT: u32 = 2_388_046;
    /// Subcode of 100: message template not found (delete of an unknown name)
    /// (`meta/api.md` §1.5, §5.2, community-observed).
    pub const SUB_TEMPLATE_NOT_FOUND: u32 = 2_593_002;

    /// Codes that are worth retrying with backoff (`meta/api.md` §5.6).
    pub const RETRYABLE: &[u32] = &[
        API_UNKNOWN,
        API_SERVICE,
        APP_RATE_LIMIT,
        USER_RATE_LIMIT,
        APPLICATION_LIMIT,
        CUSTOM_RATE_LIMIT,
        WABA_RATE_LIMIT,
        BUC_RATE_LIMIT,
        CLOUD_THROUGHPUT_LIMIT,
        SOMETHING_WENT_WRONG,
        SERVICE_UNAVAILABLE,
        SERVER_TEMPORARILY_UNAVAILABLE,
    ];

    /// Codes that signal throttling: wait for `estimated_time_to_regain_access` when the
    /// `X-Business-Use-Case-Usage` header gives one (`meta/api.md` §5.3, §7).
    pub const THROTTLING: &[u32] = &[
        APP_RATE_LIMIT,
        USER_RATE_LIMIT,
        APPLICATION_LIMIT,
        CUSTOM_RATE_LIMIT,
        WABA_RATE_LIMIT,
        BUC_RATE_LIMIT,
        CLOUD_THROUGHPUT_LIMIT,
    ];

    /// Codes never retried even if Meta marks them `is_transient` (`meta/api.md` §5.6).
    /// The permission range 200–299 and the 132xxx send-time codes are checked separately.
    pub const NEVER_RETRY: &[u32] = &[
        API_PERMISSION_CAPABILITY,
        PERMISSION_DENIED,
        INVALID_PARAMETER,
        SESSION_INVALID,
        ACCESS_TOKEN,
        INVALID_PARAMETER_VALUE,
        POLICY_RESTRICTED,
        ACCOUNT_LOCKED,
        TEMPLATE_CREATION_FAILED,
    ];
}

/// Meta's error object: the `error` member of `{"error": {...}}` (`meta/api.md` §5.1).
///
/// Only `code` is required. Never match on `message`, `error_user_title` or
/// `error_user_msg`: Meta localises them (§5.1); use `code`, `error_subcode` and
/// `error_data`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetaError {
    /// Meta's error code (`100`, `190`, `80008`, ...).
    pub code: u32,
    /// `(#<code>) <title>`, in English.
    #[serde(default)]
    pub message: Option<String>,
    /// Graph exception type, e.g. `OAuthException`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// More specific subcode (`2388024`, ...); Meta says deprecated but still sends it (§5.1).
    #[serde(default)]
    pub error_subcode: Option<u32>,
    /// `true` when Meta says a retry may succeed (§5.1).
    #[serde(default)]
    pub is_transient: Option<bool>,
    /// Localised short title for humans.
    #[serde(default)]
    pub error_user_title: Option<String>,
    /// Localised explanation for humans.
    #[serde(default)]
    pub error_user_msg: Option<String>,
    /// `{"details": ...}` or `{"blame_field_specs": [["name"]]}`; sometimes a string.
    #[serde(default)]
    pub error_data: Option<Value>,
    /// Trace id to quote to Meta support.
    #[serde(default)]
    pub fbtrace_id: Option<String>,
}

impl MetaError {
    /// The same error with the token replaced by `***` and control characters made visible
    /// in every text field.
    #[must_use]
    pub fn redacted(self, token: &super::Secret) -> Self {
        fn value(v: Value, token: &super::Secret) -> Value {
            match v {
                Value::String(s) => Value::String(token.redact(&s)),
                Value::Array(items) => {
                    Value::Array(items.into_iter().map(|i| value(i, token)).collect())
                }
                Value::Object(map) => Value::Object(
                    map.into_iter()
                        .map(|(k, v)| (token.redact(&k), value(v, token)))
                        .collect(),
                ),
                other => other,
            }
        }
        // Redacted, and made printable: Meta's texts go to terminals and CI logs.
        let r = |s: Option<String>| {
            s.map(|s| super::text::printable(&token.redact(&s), false).into_owned())
        };
        let value = |v: Value, token: &super::Secret| {
            let mut v = value(v, token);
            super::text::json(&mut v);
            v
        };
        Self {
            code: self.code,
            message: r(self.message),
            kind: r(self.kind),
            error_subcode: self.error_subcode,
            is_transient: self.is_transient,
            error_user_title: r(self.error_user_title),
            error_user_msg: r(self.error_user_msg),
            error_data: self.error_data.map(|v| value(v, token)),
            fbtrace_id: r(self.fbtrace_id),
        }
    }

    /// The subcode, if Meta sent one.
    pub fn subcode(&self) -> Option<u32> {
        self.error_subcode
    }

    /// Whether a retry with backoff may succeed (`meta/api.md` §5.6).
    pub fn is_retryable(&self) -> bool {
        if codes::NEVER_RETRY.contains(&self.code)
            || is_permission_code(self.code)
            || is_send_time_template_code(self.code)
        {
            return false;
        }
        codes::RETRYABLE.contains(&self.code) || self.is_transient == Some(true)
    }

    /// Whether this is a call-volume limit (`meta/api.md` §5.3).
    pub fn is_throttling(&self) -> bool {
        codes::THROTTLING.contains(&self.code)
    }

    /// Whether the token is invalid, expired or lacks a permission: 190, 102, 10, 200–299
    /// (`meta/api.md` §5.2). The CLI maps these to exit code 3 with a re-auth hint.
    pub fn is_auth_error(&self) -> bool {
        matches!(
            self.code,
            codes::ACCESS_TOKEN | codes::SESSION_INVALID | codes::PERMISSION_DENIED
        ) || is_permission_code(self.code)
    }

    /// `error_data.details`, Meta's English detail text for Cloud-API style errors.
    pub fn details(&self) -> Option<&str> {
        self.error_data.as_ref()?.get("details")?.as_str()
    }

    /// The JSON path of the offending request field from `error_data.blame_field_specs`
    /// (`[["name"]]` → `["name"]`), used to point errors at a template file location.
    pub fn blame_field(&self) -> Option<Vec<String>> {
        let specs = self.error_data.as_ref()?.get("blame_field_specs")?;
        let first = specs.as_array()?.first()?;
        let path = match first {
            Value::Array(parts) => parts
                .iter()
                .map(|p| match p {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect(),
            Value::String(s) => vec![s.clone()],
            _ => return None,
        };
        Some(path)
    }

    /// The best human text: the user title and message when present, else `message`.
    pub fn summary(&self) -> String {
        match (&self.error_user_title, &self.error_user_msg, &self.message) {
            (Some(t), Some(m), _) => format!("{t}: {m}"),
            (Some(t), None, _) => t.clone(),
            (None, Some(m), _) => m.clone(),
            (None, None, Some(m)) => m.clone(),
            (None, None, None) => "no message".to_owned(),
        }
    }
}

fn is_permission_code(code: u32) -> bool {
    (codes::PERMISSION_RANGE_START..=codes::PERMISSION_RANGE_END).contains(&code)
}

/// 132xxx are send-time template errors, never fixed by retrying (`meta/api.md` §5.4, §5.6).
fn is_send_time_template_code(code: u32) -> bool {
    (132_000..133_000).contains(&code)
}

impl fmt::Display for MetaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.error_subcode {
            Some(sub) => write!(f, "Meta error {}/{}: {}", self.code, sub, self.summary())?,
            None => write!(f, "Meta error {}: {}", self.code, self.summary())?,
        }
        if let Some(details) = self.details() {
            write!(f, " ({details})")?;
        }
        if let Some(trace) = &self.fbtrace_id {
            write!(f, " [fbtrace_id {trace}]")?;
        }
        Ok(())
    }
}

/// Why paging through a list stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PagingProblem {
    /// `paging.next` (or its `after` cursor) was already visited: the server loops.
    Loop {
        /// Number of pages read before the loop was seen.
        pages: usize,
    },
    /// More pages than `GraphConfig::max_pages`.
    TooManyPages {
        /// The configured limit.
        max_pages: usize,
    },
    /// `paging.next` points at another scheme, host or port than the base URL; following
    /// it would send the access token there.
    ForeignNextUrl {
        /// `scheme://host:port` of the rejected URL.
        origin: String,
    },
    /// `paging.next` is not a valid URL.
    BadNextUrl,
}

impl fmt::Display for PagingProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Loop { pages } => write!(
                f,
                "the server's `paging.next` points back at a page already read (after {pages} pages); stopping to avoid an endless loop"
            ),
            Self::TooManyPages { max_pages } => {
                write!(f, "more than {max_pages} pages; stopping (raise `max_pages` if the account is that large)")
            }
            Self::ForeignNextUrl { origin } => write!(
                f,
                "`paging.next` points at {origin}, not at the configured Graph API host; not following it so the token is not sent elsewhere"
            ),
            Self::BadNextUrl => write!(f, "`paging.next` is not a valid URL"),
        }
    }
}

/// Every failure of a Graph API call.
///
/// No variant ever contains the access token: URLs are shown without their query string,
/// response bodies have the token replaced by `***`, and `reqwest` errors are stored with
/// their URL removed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// Meta answered with its error envelope.
    #[error("{endpoint} failed (HTTP {status}): {error}")]
    Meta {
        /// HTTP status (informational only: classify by `error.code`).
        status: u16,
        /// The parsed envelope (boxed: it is large and errors travel through `Result`s).
        error: Box<MetaError>,
        /// `METHOD /path` of the call, without query string.
        endpoint: String,
    },
    /// Meta asked to wait longer than `RetryPolicy::max_throttle_wait` allows.
    #[error(
        "{endpoint} is rate limited ({error}); Meta asks to wait {} before calling again, \
         more than the {} wt may wait; run again later",
        fmt_duration(*wait),
        fmt_duration(*max_wait)
    )]
    ThrottledTooLong {
        /// `estimated_time_to_regain_access` from `X-Business-Use-Case-Usage` (`meta/api.md` §7).
        wait: Duration,
        /// The configured cap.
        max_wait: Duration,
        /// HTTP status of the throttled answer.
        status: u16,
        /// The throttling error (code 4, 17, 80007, 80008, ...).
        error: Box<MetaError>,
        /// `METHOD /path` of the call.
        endpoint: String,
    },
    /// Connection refused or reset, TLS failure, body cut off by the peer.
    #[error("network error on {endpoint}: {source}")]
    Network {
        /// `METHOD /path` of the call.
        endpoint: String,
        /// The transport error, with its URL removed.
        #[source]
        source: reqwest::Error,
    },
    /// No complete answer within `GraphConfig::timeout`.
    #[error("{endpoint} timed out after {}", fmt_duration(*timeout))]
    Timeout {
        /// `METHOD /path` of the call.
        endpoint: String,
        /// The configured timeout.
        timeout: Duration,
    },
    /// The body is not what was expected: an HTML error page, truncated JSON, a wrong shape.
    #[error("{endpoint} returned an unreadable answer (HTTP {status}): {reason}; body starts with {snippet:?}")]
    Decode {
        /// `METHOD /path` of the call.
        endpoint: String,
        /// HTTP status.
        status: u16,
        /// What did not parse.
        reason: String,
        /// The first characters of the body, token redacted.
        snippet: String,
        /// The body ended early (truncated JSON); worth a retry.
        truncated: bool,
    },
    /// The server answered with a redirect. wt never follows redirects (see `GraphClient`).
    #[error("{endpoint} answered with a redirect (HTTP {status}) to {location}; wt does not follow redirects so the access token only ever goes to the configured host")]
    Redirect {
        /// `METHOD /path` of the call.
        endpoint: String,
        /// 3xx status.
        status: u16,
        /// The `Location` header without query string.
        location: String,
    },
    /// Paging stopped (loop, limit, foreign host).
    #[error("listing {endpoint}: {problem}")]
    Paging {
        /// `METHOD /path` of the call.
        endpoint: String,
        /// Why.
        problem: PagingProblem,
    },
    /// The base URL is plain `http://` to a host that is not loopback, or has credentials.
    #[error("refusing Graph API URL `{url}`: {reason}")]
    InsecureUrl {
        /// The URL without query string or credentials.
        url: String,
        /// Why it is refused.
        reason: String,
    },
    /// The base URL does not parse or has an unsupported scheme.
    #[error("invalid Graph API URL `{url}`: {reason}")]
    InvalidUrl {
        /// The URL as given, without query string.
        url: String,
        /// Why it is invalid.
        reason: String,
    },
    /// A configuration value or argument is unusable (empty token, bad WABA id, ...).
    #[error("invalid {what}: {reason}")]
    InvalidArgument {
        /// Which value.
        what: &'static str,
        /// Why.
        reason: String,
    },
    /// Meta answered `{"success": false}` without an error envelope.
    #[error("{endpoint} answered `success: false`")]
    NotSuccessful {
        /// `METHOD /path` of the call.
        endpoint: String,
    },
    /// The HTTP client could not be built (TLS backend initialisation).
    #[error("could not initialise the HTTP client: {0}")]
    Client(String),
}

impl ApiError {
    /// The same error with the token, plain or encoded, replaced by `***` in every text it
    /// carries (messages, URLs, snippets, Meta's fields), and control characters made
    /// visible ([`super::text`]). The client returns only redacted errors; callers need not
    /// remember to redact.
    #[must_use]
    pub fn redacted(self, token: &super::Secret) -> Self {
        let r = |s: String| super::text::printable(&token.redact(&s), false).into_owned();
        match self {
            Self::Meta {
                status,
                error,
                endpoint,
            } => Self::Meta {
                status,
                error: Box::new(error.redacted(token)),
                endpoint: r(endpoint),
            },
            Self::ThrottledTooLong {
                wait,
                max_wait,
                status,
                error,
                endpoint,
            } => Self::ThrottledTooLong {
                wait,
                max_wait,
                status,
                error: Box::new(error.redacted(token)),
                endpoint: r(endpoint),
            },
            // The transport error carries no URL (`without_url`) and no body.
            Self::Network { endpoint, source } => Self::Network {
                endpoint: r(endpoint),
                source,
            },
            Self::Timeout { endpoint, timeout } => Self::Timeout {
                endpoint: r(endpoint),
                timeout,
            },
            Self::Decode {
                endpoint,
                status,
                reason,
                snippet,
                truncated,
            } => Self::Decode {
                endpoint: r(endpoint),
                status,
                reason: r(reason),
                snippet: r(snippet),
                truncated,
            },
            Self::Redirect {
                endpoint,
                status,
                location,
            } => Self::Redirect {
                endpoint: r(endpoint),
                status,
                location: r(location),
            },
            Self::Paging { endpoint, problem } => Self::Paging {
                endpoint: r(endpoint),
                problem: match problem {
                    PagingProblem::ForeignNextUrl { origin } => {
                        PagingProblem::ForeignNextUrl { origin: r(origin) }
                    }
                    other => other,
                },
            },
            Self::InsecureUrl { url, reason } => Self::InsecureUrl {
                url: r(url),
                reason: r(reason),
            },
            Self::InvalidUrl { url, reason } => Self::InvalidUrl {
                url: r(url),
                reason: r(reason),
            },
            Self::InvalidArgument { what, reason } => Self::InvalidArgument {
                what,
                reason: r(reason),
            },
            Self::NotSuccessful { endpoint } => Self::NotSuccessful {
                endpoint: r(endpoint),
            },
            Self::Client(text) => Self::Client(r(text)),
        }
    }

    /// Meta's error object, when Meta sent one.
    pub fn meta(&self) -> Option<&MetaError> {
        match self {
            Self::Meta { error, .. } | Self::ThrottledTooLong { error, .. } => Some(error.as_ref()),
            _ => None,
        }
    }

    /// Meta's `code`, when Meta sent an error envelope.
    pub fn code(&self) -> Option<u32> {
        self.meta().map(|e| e.code)
    }

    /// Meta's `error_subcode`, when present.
    pub fn subcode(&self) -> Option<u32> {
        self.meta().and_then(MetaError::subcode)
    }

    /// Whether this is `code`/`subcode` (e.g. `100`/`2388024`).
    pub fn is_meta(&self, code: u32, subcode: Option<u32>) -> bool {
        self.code() == Some(code) && (subcode.is_none() || self.subcode() == subcode)
    }

    /// Whether another attempt may succeed (`meta/api.md` §5.6): retryable Meta codes or
    /// `is_transient`, timeouts, network errors, 5xx/429 answers that are not a Meta
    /// envelope, truncated bodies.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Meta { error, .. } => error.is_retryable(),
            Self::Network { .. } | Self::Timeout { .. } => true,
            Self::Decode {
                status, truncated, ..
            } => *status >= 500 || *status == 429 || *truncated,
            _ => false,
        }
    }

    /// Whether the token is invalid, expired or lacks permissions (exit code 3 with a
    /// re-auth hint in the CLI).
    pub fn is_auth_error(&self) -> bool {
        self.meta().is_some_and(MetaError::is_auth_error)
    }

    /// Whether Meta throttled the call.
    pub fn is_throttling(&self) -> bool {
        self.meta().is_some_and(MetaError::is_throttling)
    }
}

/// `90s` → `1 min 30 s`, `300ms` → `300 ms`: short and readable in messages.
pub(crate) fn fmt_duration(d: Duration) -> String {
    let secs = d.as_secs();
    if secs == 0 {
        return format!("{} ms", d.as_millis());
    }
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    let mut parts = Vec::new();
    if h > 0 {
        parts.push(format!("{h} h"));
    }
    if m > 0 {
        parts.push(format!("{m} min"));
    }
    if s > 0 || parts.is_empty() {
        parts.push(format!("{s} s"));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(code: u32, transient: Option<bool>) -> MetaError {
        MetaError {
            code,
            message: None,
            kind: None,
            error_subcode: None,
            is_transient: transient,
            error_user_title: None,
            error_user_msg: None,
            error_data: None,
            fbtrace_id: None,
        }
    }

    #[test]
    fn retry_classification_follows_api_md_5_6() {
        for code in [
            1, 2, 4, 17, 341, 613, 80007, 80008, 131_000, 131_016, 133_004,
        ] {
            assert!(meta(code, None).is_retryable(), "{code} should be retried");
        }
        for code in [
            3, 10, 100, 190, 192, 200, 250, 299, 368, 131_031, 132_001, 200_002,
        ] {
            assert!(
                !meta(code, None).is_retryable(),
                "{code} must not be retried"
            );
            assert!(!meta(code, Some(true)).is_retryable(), "{code} transient");
        }
        assert!(meta(99_999, Some(true)).is_retryable());
        assert!(!meta(99_999, Some(false)).is_retryable());
    }

    #[test]
    fn auth_codes() {
        for code in [190, 102, 10, 200, 299] {
            assert!(meta(code, None).is_auth_error(), "{code}");
        }
        for code in [100, 4, 300, 3] {
            assert!(!meta(code, None).is_auth_error(), "{code}");
        }
    }

    #[test]
    fn envelope_decodes_with_only_code() {
        let e: MetaError = serde_json::from_str(r#"{"code":100}"#).unwrap();
        assert_eq!(e.code, 100);
        assert_eq!(e.summary(), "no message");
    }

    #[test]
    fn blame_field_path() {
        let e: MetaError = serde_json::from_value(serde_json::json!({
            "code": 100, "error_subcode": 2388046,
            "error_data": {"blame_field_specs": [["name"]]}
        }))
        .unwrap();
        assert_eq!(e.blame_field(), Some(vec!["name".to_owned()]));
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(fmt_duration(Duration::from_millis(250)), "250 ms");
        assert_eq!(fmt_duration(Duration::from_secs(90)), "1 min 30 s");
        assert_eq!(fmt_duration(Duration::from_secs(3600)), "1 h");
    }
}
