//! The layer that talks to Meta's Graph API (WhatsApp Business Management API).
//!
//! [`GraphClient`] is a blocking client built from a [`GraphConfig`]. One handler per remote
//! resource borrows it: [`GraphClient::templates`] ([`TemplatesApi`]) and
//! [`GraphClient::account`] ([`AccountApi`]). Every call:
//!
//! - sends the token only as `Authorization: Bearer …`, never in a URL it builds (the one
//!   exception, `debug_token`'s `input_token`, is Meta's API shape; URLs in errors and in
//!   [`RequestEvent`]s never carry a query string);
//! - refuses `http://` unless the host is loopback, before any request is made;
//! - never follows redirects (a 3xx is [`ApiError::Redirect`]): a redirect from the Graph API
//!   is not expected, and not following any is simpler to reason about than trusting
//!   `reqwest`'s cross-host header stripping (which would still forward the token to another
//!   path or scheme on the same host, and would re-send POST bodies);
//! - retries per [`RetryPolicy`] on errors that [`ApiError::is_retryable`] accepts, honouring
//!   `X-Business-Use-Case-Usage` on throttling (`meta/api.md` §5.6, §7);
//! - follows `paging.next` only on the base URL's scheme, host and port, with loop and
//!   page-count guards.
//!
//! # Using it from `plan`, `sync` and `status`
//!
//! - Read the account once per run: [`TemplatesApi::list`] with [`ListFilter::default`]
//!   returns every (name, language) with the fields the diff needs ([`TEMPLATE_FIELDS`]);
//!   key the result by `(name, language)` (`meta/api.md` §8).
//! - Create with [`TemplatesApi::create`]. [`CreateOutcome::Adopted`] means an earlier,
//!   timed-out attempt of the same call had created it: treat it as an existing remote
//!   template (compare, maybe edit), never create again.
//! - Edit with [`TemplatesApi::edit`] only APPROVED, REJECTED or PAUSED templates; each edit
//!   of an APPROVED one burns the 1/day, 10/30-days budget (`meta/api.md` §1.4). Errors
//!   100/2388039 (PENDING or over budget) and 100 on a category change are final.
//! - Delete with [`TemplatesApi::delete`]`(name, id)`, one language at a time.
//! - Poll review with [`TemplatesApi::get_fields`]`(id, `[`STATUS_FIELDS`]`)`;
//!   [`TemplateStatus::is_pending`] says when to keep waiting.
//! - Errors: [`ApiError::is_auth_error`] → exit 3 with a "check the token" hint; any other
//!   [`ApiError`] that reaches the command → exit 3 (retries are already spent).
//!   [`ApiError::subcode`] `==` [`codes::SUB_NAME_BEING_DELETED`] → suggest another name.
//!   [`MetaError::blame_field`] points at the offending request field.
//! - `-v`: [`GraphClient::request_count`], [`GraphClient::last_usage`] and
//!   [`GraphClient::with_observer`] (one [`RequestEvent`] per HTTP exchange, no query string).
//! - The client is `Send + Sync`; calls can run on a few rayon threads, but the whole
//!   WABA shares 200 calls/hour (`meta/api.md` §7), so keep parallelism small.
//!
//! ```no_run
//! use std::time::Duration;
//! use wt::api::{GraphClient, GraphConfig, ListFilter, Secret};
//!
//! let config = GraphConfig::new(
//!     "https://graph.facebook.com",
//!     "v23.0",
//!     "102290129340398",
//!     Secret::new(std::env::var("WA_ACCESS_TOKEN").unwrap_or_default()),
//! );
//! let client = GraphClient::new(config)?;
//! for t in client.templates().list(&ListFilter::default())? {
//!     println!("{} {} {}", t.name, t.language, t.status);
//! }
//! eprintln!("{} HTTP calls", client.request_count());
//! # Ok::<(), wt::api::ApiError>(())
//! ```

mod account;
mod error;
mod retry;
mod templates;
pub mod text;
mod urls;
mod usage;

use std::collections::HashSet;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::blocking::Client;
use reqwest::header::{HeaderValue, AUTHORIZATION, LOCATION};
use reqwest::{Method, Url};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

pub use account::{
    AccountApi, GranularScope, PhoneNumber, SubscribedApp, TokenInfo, WabaInfo, SCOPE_MANAGEMENT,
    SCOPE_MESSAGING,
};
pub use error::{codes, ApiError, MetaError, PagingProblem};
pub use retry::{
    RetryPolicy, Sleeper, ThreadSleeper, DEFAULT_BASE_DELAY, DEFAULT_MAX_ATTEMPTS,
    DEFAULT_MAX_DELAY, DEFAULT_MAX_THROTTLE_WAIT,
};
pub use templates::{
    Category, CreateOutcome, CreateTemplate, CreatedTemplate, DeleteOutcome, EditOutcome,
    ListFilter, ParameterFormat, PartialTemplate, RemoteTemplate, TemplateStatus, TemplatesApi,
    STATUS_FIELDS, TEMPLATE_FIELDS,
};
pub use usage::{BusinessUseCaseUsage, UsageEntry, BUC_USAGE_HEADER};

/// Meta's production Graph API host (`meta/api.md` §1.0).
pub const DEFAULT_GRAPH_URL: &str = "https://graph.facebook.com";
/// Graph API version used when the configuration names none: v23.0 is the version of Meta's
/// OpenAPI file and inside the range used by the template docs (`meta/api.md` §1.0).
pub const DEFAULT_API_VERSION: &str = "v23.0";
/// Default time limit for one HTTP exchange (connect + answer).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default `limit=` per page. The WABA can hold up to 6000 templates (`meta/api.md` §3.10),
/// so 100 per page keeps a full listing at 60 calls of the 200/hour BUC budget (§7).
pub const DEFAULT_PAGE_SIZE: u32 = 100;
/// Default cap on pages per listing: 6000 templates / 100 per page = 60, with headroom.
pub const DEFAULT_MAX_PAGES: usize = 200;
/// How many characters of an unreadable body go into [`ApiError::Decode`].
const SNIPPET_CHARS: usize = 160;

/// An access token. `Debug` and `Display` print `Secret(***)`; the value is only read to
/// build the `Authorization` header (and `debug_token`'s `input_token`).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a token.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The token itself; crate-private so nothing outside `api` can print it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the token is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `text` with every occurrence of the token replaced by `***`: written plainly, or
    /// with any of its characters percent-encoded (`%2F`, `%2f`, `+` for a space: a URL or
    /// form echoed back) or JSON-escaped (`\u0045`, `\/`: a JSON body echoing it), in any mix.
    pub fn redact(&self, text: &str) -> String {
        let token = self.0.as_bytes();
        if token.is_empty() {
            return text.to_owned();
        }
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        let mut i = 0;
        while i < bytes.len() {
            match match_encoded(bytes, i, token) {
                Some(end) => {
                    out.push_str(&text[copied..i]);
                    out.push_str("***");
                    copied = end;
                    i = end;
                }
                None => i += 1,
            }
        }
        out.push_str(&text[copied..]);
        out
    }

    /// Whether [`Secret::redact`] would change `text`.
    pub fn appears_in(&self, text: &str) -> bool {
        let token = self.0.as_bytes();
        !token.is_empty()
            && (0..text.len()).any(|i| match_encoded(text.as_bytes(), i, token).is_some())
    }
}

/// The end of an occurrence of `token` at `text[start..]`, each token byte written as
/// itself, as `%XX` (either case) or as a JSON escape (`\uXXXX`, `\X`).
///
/// Matches start and end on ASCII bytes (the token is ASCII: `auth_header` refuses
/// anything else), so the returned range is always on `char` boundaries.
fn match_encoded(text: &[u8], start: usize, token: &[u8]) -> Option<usize> {
    fn hex(digits: &[u8]) -> Option<u32> {
        let s = std::str::from_utf8(digits).ok()?;
        u32::from_str_radix(s, 16).ok()
    }
    let mut i = start;
    for &want in token {
        let at = |k: usize| text.get(i + k).copied();
        if at(0) == Some(want) || (want == b' ' && at(0) == Some(b'+')) {
            i += 1;
        } else if at(0) == Some(b'%')
            && text.get(i + 1..i + 3).and_then(hex) == Some(u32::from(want))
        {
            i += 3;
        } else if at(0) == Some(b'\\')
            && at(1) == Some(b'u')
            && text.get(i + 2..i + 6).and_then(hex) == Some(u32::from(want))
        {
            i += 6;
        } else if at(0) == Some(b'\\') && at(1) == Some(want) && !want.is_ascii_alphanumeric() {
            i += 2;
        } else {
            return None;
        }
    }
    Some(i)
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

/// Everything [`GraphClient`] needs. Build with [`GraphConfig::new`] and adjust fields.
#[derive(Debug, Clone)]
pub struct GraphConfig {
    /// `https://graph.facebook.com`, or a loopback `http://` URL in tests (`WT_GRAPH_URL`).
    pub base_url: String,
    /// `v23.0`.
    pub api_version: String,
    /// The WhatsApp Business Account id (digits).
    pub waba_id: String,
    /// The access token.
    pub token: Secret,
    /// Time limit for one HTTP exchange.
    pub timeout: Duration,
    /// Retry behaviour.
    pub retry: RetryPolicy,
    /// `limit=` for list calls.
    pub page_size: u32,
    /// Most pages one listing may read before failing with [`PagingProblem::TooManyPages`].
    pub max_pages: usize,
}

impl GraphConfig {
    /// A configuration with default timeout, retry policy and paging limits.
    pub fn new(
        base_url: impl Into<String>,
        api_version: impl Into<String>,
        waba_id: impl Into<String>,
        token: Secret,
    ) -> Self {
        Self {
            base_url: base_url.into(),
            api_version: api_version.into(),
            waba_id: waba_id.into(),
            token,
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            page_size: DEFAULT_PAGE_SIZE,
            max_pages: DEFAULT_MAX_PAGES,
        }
    }
}

/// One HTTP exchange, reported to the observer set with [`GraphClient::with_observer`].
/// Carries no query string, so no token.
#[derive(Debug, Clone)]
pub struct RequestEvent {
    /// `GET`, `POST`, `DELETE`.
    pub method: String,
    /// URL path, e.g. `/v23.0/102290129340398/message_templates`.
    pub path: String,
    /// 1 for the first try of a call, 2 for its first retry, ...
    pub attempt: u32,
    /// HTTP status, `None` when no answer arrived (timeout, connection error).
    pub status: Option<u16>,
    /// Time the exchange took.
    pub elapsed: Duration,
    /// Short error description when the exchange failed.
    pub error: Option<String>,
    /// Delay before the next attempt, when the call will be retried.
    pub retry_in: Option<Duration>,
}

type Observer = Arc<dyn Fn(&RequestEvent) + Send + Sync>;

/// Blocking client for the Graph API. Cheap to share by reference across threads (`Sync`).
pub struct GraphClient {
    http: Client,
    config: GraphConfig,
    base: Url,
    auth: HeaderValue,
    sleeper: Arc<dyn Sleeper>,
    observer: Option<Observer>,
    calls: AtomicU64,
    last_usage: Mutex<Option<BusinessUseCaseUsage>>,
    served_version: Mutex<Option<String>>,
}

/// Response header naming the Graph version that actually answered (`meta/api.md` §7);
/// differs from the requested one when that version has expired (§1.0).
pub const API_VERSION_HEADER: &str = "facebook-api-version";

impl fmt::Debug for GraphClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GraphClient")
            .field("base_url", &urls::display_url(&self.base))
            .field("api_version", &self.config.api_version)
            .field("waba_id", &self.config.waba_id)
            .field("token", &self.config.token)
            .field("calls", &self.request_count())
            .finish_non_exhaustive()
    }
}

/// The outcome of a call plus how many attempts it took; `attempts > 1` tells the handlers
/// that an earlier attempt may have reached Meta (used for create adoption).
pub(crate) struct Sent<T> {
    pub(crate) result: Result<T, ApiError>,
    pub(crate) attempts: u32,
}

/// Raw answer of one attempt.
struct Answer {
    status: u16,
    body: Vec<u8>,
    usage: Option<BusinessUseCaseUsage>,
}

impl GraphClient {
    /// Checks the configuration and builds the client. No request is made.
    ///
    /// Fails with [`ApiError::InsecureUrl`] for `http://` to a non-loopback host,
    /// [`ApiError::InvalidUrl`] for an unparsable URL and [`ApiError::InvalidArgument`] for
    /// an empty or malformed token, WABA id or API version.
    pub fn new(config: GraphConfig) -> Result<Self, ApiError> {
        let token = config.token.clone();
        Self::build(config).map_err(|e| e.redacted(&token))
    }

    fn build(config: GraphConfig) -> Result<Self, ApiError> {
        let base = urls::check_base_url(&config.base_url)?;
        check_version(&config.api_version)?;
        if config.waba_id.is_empty() || !config.waba_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::InvalidArgument {
                what: "WABA id",
                reason: format!("`{}` is not a numeric id", config.waba_id),
            });
        }
        let auth = auth_header(&config.token)?;
        let http = Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("wt/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ApiError::Client(e.without_url().to_string()))?;
        Ok(Self {
            http,
            config,
            base,
            auth,
            sleeper: Arc::new(ThreadSleeper),
            observer: None,
            calls: AtomicU64::new(0),
            last_usage: Mutex::new(None),
            served_version: Mutex::new(None),
        })
    }

    /// Replaces how the client waits between attempts (tests record instead of sleeping).
    pub fn with_sleeper(mut self, sleeper: Arc<dyn Sleeper>) -> Self {
        self.sleeper = sleeper;
        self
    }

    /// Calls `observer` after every HTTP exchange (for `-v` logs and tests).
    pub fn with_observer(
        mut self,
        observer: impl Fn(&RequestEvent) + Send + Sync + 'static,
    ) -> Self {
        self.observer = Some(Arc::new(observer));
        self
    }

    /// Message-template calls.
    pub fn templates(&self) -> TemplatesApi<'_> {
        TemplatesApi::new(self)
    }

    /// Token, phone-number and app-subscription calls (for `wt doctor`).
    pub fn account(&self) -> AccountApi<'_> {
        AccountApi::new(self)
    }

    /// HTTP exchanges attempted so far (each retry counts).
    pub fn request_count(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    /// The last `X-Business-Use-Case-Usage` header seen, parsed.
    pub fn last_usage(&self) -> Option<BusinessUseCaseUsage> {
        self.last_usage
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The Graph version named by the last answer's `facebook-api-version` header, if any.
    pub fn served_version(&self) -> Option<String> {
        self.served_version
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The configuration the client was built from.
    pub fn config(&self) -> &GraphConfig {
        &self.config
    }

    /// The configured WABA id.
    pub fn waba_id(&self) -> &str {
        &self.config.waba_id
    }

    /// `{base}/{version}/{segments...}`, each segment percent-encoded.
    pub(crate) fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.base.clone();
        {
            let mut path = url
                .path_segments_mut()
                .expect("invariant: base URL is http(s), checked in GraphClient::new, so it has path segments");
            path.pop_if_empty();
            path.push(&self.config.api_version);
            for s in segments {
                path.push(s);
            }
        }
        url
    }

    /// Replaces every occurrence of the token in `text`, plain or encoded, by `***`.
    pub(crate) fn redact(&self, text: &str) -> String {
        self.config.token.redact(text)
    }

    /// Runs one call with retries and decodes a 2xx body as `T`.
    pub(crate) fn execute<T: DeserializeOwned>(
        &self,
        method: Method,
        url: &Url,
        body: Option<&Value>,
    ) -> Sent<T> {
        let endpoint = format!("{method} {}", url.path());
        let policy = &self.config.retry;
        let max_attempts = policy.max_attempts.max(1);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let started = Instant::now();
            let answer = self.send_once(&method, url, body, &endpoint);
            let status = match &answer {
                Ok(a) => Some(a.status),
                Err(ApiError::Redirect { status, .. }) => Some(*status),
                Err(_) => None,
            };
            let usage = answer.as_ref().ok().and_then(|a| a.usage.clone());
            let result = answer.and_then(|a| self.decode::<T>(a, &endpoint));
            let elapsed = started.elapsed();
            let err = match result.map_err(|e| e.redacted(&self.config.token)) {
                Ok(value) => {
                    self.notify(&method, url, attempt, status, elapsed, None, None);
                    return Sent {
                        result: Ok(value),
                        attempts: attempt,
                    };
                }
                Err(err) => err,
            };
            let next = self.plan_retry(err, usage.as_ref(), attempt, max_attempts, &endpoint);
            match next {
                Ok((err, delay)) => {
                    self.notify(
                        &method,
                        url,
                        attempt,
                        status,
                        elapsed,
                        Some(&err),
                        Some(delay),
                    );
                    if !delay.is_zero() {
                        self.sleeper.sleep(delay);
                    }
                }
                Err(err) => {
                    self.notify(&method, url, attempt, status, elapsed, Some(&err), None);
                    return Sent {
                        result: Err(err),
                        attempts: attempt,
                    };
                }
            }
        }
    }

    /// `Ok((err, delay))`: retry after `delay`; `Err(err)`: give up with `err`.
    fn plan_retry(
        &self,
        err: ApiError,
        usage: Option<&BusinessUseCaseUsage>,
        attempt: u32,
        max_attempts: u32,
        endpoint: &str,
    ) -> Result<(ApiError, Duration), ApiError> {
        let policy = &self.config.retry;
        let throttle_wait = if err.is_throttling() {
            usage.and_then(BusinessUseCaseUsage::regain_access_wait)
        } else {
            None
        };
        if let (Some(wait), ApiError::Meta { status, error, .. }) = (throttle_wait, &err) {
            if wait > policy.max_throttle_wait {
                return Err(ApiError::ThrottledTooLong {
                    wait,
                    max_wait: policy.max_throttle_wait,
                    status: *status,
                    error: error.clone(),
                    endpoint: endpoint.to_owned(),
                });
            }
        }
        if !err.is_retryable() || attempt >= max_attempts {
            return Err(err);
        }
        let delay = throttle_wait.unwrap_or_else(|| policy.backoff(attempt, retry::random_u64()));
        Ok((err, delay))
    }

    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        method: &Method,
        url: &Url,
        attempt: u32,
        status: Option<u16>,
        elapsed: Duration,
        error: Option<&ApiError>,
        retry_in: Option<Duration>,
    ) {
        if let Some(observer) = &self.observer {
            observer(&RequestEvent {
                method: method.to_string(),
                path: url.path().to_owned(),
                attempt,
                status,
                elapsed,
                error: error.map(ToString::to_string),
                retry_in,
            });
        }
    }

    /// One HTTP exchange; transport problems become `Network`/`Timeout`, 3xx `Redirect`.
    fn send_once(
        &self,
        method: &Method,
        url: &Url,
        body: Option<&Value>,
        endpoint: &str,
    ) -> Result<Answer, ApiError> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        let mut request = self
            .http
            .request(method.clone(), url.clone())
            .header(AUTHORIZATION, self.auth.clone());
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request
            .send()
            .map_err(|e| self.transport_error(e, endpoint))?;
        let status = response.status().as_u16();
        if response.status().is_redirection() {
            let location = response
                .headers()
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .map_or_else(
                    || "(no Location header)".to_owned(),
                    |l| self.redact(&urls::strip_query_str(l)),
                );
            return Err(ApiError::Redirect {
                endpoint: endpoint.to_owned(),
                status,
                location,
            });
        }
        let usage = response
            .headers()
            .get(BUC_USAGE_HEADER)
            .and_then(|v| v.to_str().ok())
            .and_then(BusinessUseCaseUsage::parse);
        if let Some(v) = response
            .headers()
            .get(API_VERSION_HEADER)
            .and_then(|v| v.to_str().ok())
        {
            *self
                .served_version
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(v.trim().to_owned());
        }
        if let Some(u) = &usage {
            *self
                .last_usage
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(u.clone());
        }
        let body = response
            .bytes()
            .map_err(|e| self.transport_error(e, endpoint))?;
        Ok(Answer {
            status,
            body: body.to_vec(),
            usage,
        })
    }

    fn transport_error(&self, e: reqwest::Error, endpoint: &str) -> ApiError {
        if e.is_timeout() {
            ApiError::Timeout {
                endpoint: endpoint.to_owned(),
                timeout: self.config.timeout,
            }
        } else {
            ApiError::Network {
                endpoint: endpoint.to_owned(),
                source: e.without_url(),
            }
        }
    }

    /// Decodes one answer of the template listing the way [`TemplatesApi::list`] does
    /// (Meta's error envelope, HTML pages, truncated JSON, a page of templates), without any
    /// network. The `graph_response` fuzz target feeds it arbitrary bytes; it never panics.
    #[doc(hidden)]
    pub fn decode_listing_page(
        &self,
        status: u16,
        body: &[u8],
    ) -> Result<Vec<RemoteTemplate>, ApiError> {
        #[derive(Deserialize)]
        struct Page {
            data: Vec<templates::PartialTemplate>,
        }
        let answer = Answer {
            status,
            body: body.to_vec(),
            usage: None,
        };
        let page: Page = self.decode(answer, "GET message_templates")?;
        page.data
            .into_iter()
            .map(|p| templates::complete(p, "GET message_templates"))
            .collect()
    }

    /// 2xx: parse as `T`. Otherwise: Meta envelope → `Meta`, anything else → `Decode`.
    fn decode<T: DeserializeOwned>(&self, answer: Answer, endpoint: &str) -> Result<T, ApiError> {
        let Answer { status, body, .. } = answer;
        if (200..300).contains(&status) {
            return serde_json::from_slice::<T>(&body)
                .map_err(|e| self.decode_error(status, &body, &e, endpoint));
        }
        #[derive(Deserialize)]
        struct Envelope {
            error: MetaError,
        }
        let text = self.redact(&String::from_utf8_lossy(&body));
        match serde_json::from_str::<Envelope>(&text) {
            Ok(env) => Err(ApiError::Meta {
                status,
                error: Box::new(env.error),
                endpoint: endpoint.to_owned(),
            }),
            Err(e) => Err(self.decode_error(status, &body, &e, endpoint)),
        }
    }

    fn decode_error(
        &self,
        status: u16,
        body: &[u8],
        err: &serde_json::Error,
        endpoint: &str,
    ) -> ApiError {
        let text = self.redact(&String::from_utf8_lossy(body));
        let snippet: String = text.chars().take(SNIPPET_CHARS).collect();
        let reason = if body.is_empty() {
            "empty body".to_owned()
        } else if looks_like_html(&text) {
            "an HTML page, not JSON".to_owned()
        } else if err.is_eof() {
            "the JSON ends early (truncated)".to_owned()
        } else if err.is_syntax() {
            format!("invalid JSON: {err}")
        } else {
            format!("unexpected JSON shape: {err}")
        };
        ApiError::Decode {
            endpoint: endpoint.to_owned(),
            status,
            reason: self.redact(&reason),
            snippet,
            truncated: err.is_eof() && !body.is_empty(),
        }
    }

    /// Reads every page of a list endpoint starting at `first`.
    ///
    /// Follows `paging.next` while present. Stops with [`ApiError::Paging`] when `next`
    /// leaves the base URL's origin, when a `next` URL or `after` cursor repeats, or after
    /// `max_pages` pages. Token query parameters in `next` are dropped: the header carries it.
    pub(crate) fn get_all_pages<T: DeserializeOwned>(
        &self,
        first: Url,
    ) -> Result<Vec<T>, ApiError> {
        #[derive(Deserialize)]
        struct Page<T> {
            // Required: a 200 without `data` (`{}`, an error envelope behind a 200) is not
            // an empty page, and reading it as one would make the account look empty.
            data: Vec<T>,
            #[serde(default)]
            paging: Option<Paging>,
        }
        #[derive(Deserialize)]
        struct Paging {
            #[serde(default)]
            cursors: Option<Cursors>,
            #[serde(default)]
            next: Option<String>,
        }
        #[derive(Deserialize)]
        struct Cursors {
            #[serde(default)]
            after: Option<String>,
        }

        let endpoint = format!("GET {}", first.path());
        let paging_error = |problem| {
            ApiError::Paging {
                endpoint: endpoint.clone(),
                problem,
            }
            .redacted(&self.config.token)
        };
        let mut items = Vec::new();
        let mut seen_urls = HashSet::new();
        let mut seen_cursors = HashSet::new();
        let mut url = first;
        let mut pages = 0usize;
        seen_urls.insert(url.to_string());
        loop {
            pages += 1;
            let page: Page<T> = self.execute(Method::GET, &url, None).result?;
            items.extend(page.data);
            let Some(paging) = page.paging else { break };
            let Some(next) = paging.next else { break };
            let next = Url::parse(&next).map_err(|_| paging_error(PagingProblem::BadNextUrl))?;
            if next.origin() != self.base.origin() {
                return Err(paging_error(PagingProblem::ForeignNextUrl {
                    origin: urls::origin_string(&next),
                }));
            }
            let next = urls::without_token_params(&next);
            let cursor_repeats = paging
                .cursors
                .and_then(|c| c.after)
                .is_some_and(|after| !seen_cursors.insert(after));
            if cursor_repeats || !seen_urls.insert(next.to_string()) {
                return Err(paging_error(PagingProblem::Loop { pages }));
            }
            if pages >= self.config.max_pages {
                return Err(paging_error(PagingProblem::TooManyPages {
                    max_pages: self.config.max_pages,
                }));
            }
            url = next;
        }
        Ok(items)
    }
}

/// `text` with `token` replaced by `***`: plain, percent-encoded (either hex case, `+` or
/// `%20` for a space) or JSON-escaped, in any mix ([`Secret::redact`]).
pub fn redact_token(token: &str, text: &str) -> String {
    Secret::new(token).redact(text)
}

fn looks_like_html(text: &str) -> bool {
    let head = text.trim_start().get(..15).unwrap_or(text.trim_start());
    head.starts_with('<')
}

fn check_version(version: &str) -> Result<(), ApiError> {
    let ok = version
        .strip_prefix('v')
        .and_then(|rest| rest.split_once('.'))
        .is_some_and(|(major, minor)| {
            !major.is_empty()
                && !minor.is_empty()
                && major.bytes().all(|b| b.is_ascii_digit())
                && minor.bytes().all(|b| b.is_ascii_digit())
        });
    if ok {
        Ok(())
    } else {
        Err(ApiError::InvalidArgument {
            what: "API version",
            reason: format!("`{version}` is not like `v23.0`"),
        })
    }
}

/// `Bearer <token>` marked sensitive, so HTTP-layer debug output never shows it.
fn auth_header(token: &Secret) -> Result<HeaderValue, ApiError> {
    let raw = token.expose();
    if raw.is_empty() {
        return Err(ApiError::InvalidArgument {
            what: "access token",
            reason: "it is empty".to_owned(),
        });
    }
    if !raw.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::InvalidArgument {
            what: "access token",
            reason: "it contains whitespace or non-ASCII characters (a trailing newline from a file or variable?)".to_owned(),
        });
    }
    let mut value =
        HeaderValue::from_str(&format!("Bearer {raw}")).map_err(|_| ApiError::InvalidArgument {
            what: "access token",
            reason: "it cannot be sent in an HTTP header".to_owned(),
        })?;
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(url: &str) -> GraphConfig {
        GraphConfig::new(url, "v23.0", "123", Secret::new("tok-SECRET-123"))
    }

    #[test]
    fn client_can_be_shared_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<GraphClient>();
        assert_send_sync::<ApiError>();
    }

    #[test]
    fn secret_never_prints() {
        let s = Secret::new("tok-SECRET-123");
        assert_eq!(format!("{s:?} {s}"), "Secret(***) Secret(***)");
        let c = config("https://graph.facebook.com");
        assert!(!format!("{c:?}").contains("SECRET"));
        let client = GraphClient::new(c).unwrap();
        assert!(!format!("{client:?}").contains("SECRET"));
    }

    #[test]
    fn config_is_checked() {
        let bad_version = GraphConfig {
            api_version: "23".into(),
            ..config("https://h")
        };
        assert!(matches!(
            GraphClient::new(bad_version),
            Err(ApiError::InvalidArgument {
                what: "API version",
                ..
            })
        ));
        let bad_waba = GraphConfig {
            waba_id: "12/../x".into(),
            ..config("https://h")
        };
        assert!(GraphClient::new(bad_waba).is_err());
        for token in ["", "tok\n", "t ok"] {
            let c = GraphConfig {
                token: Secret::new(token),
                ..config("https://h")
            };
            let err = GraphClient::new(c).unwrap_err();
            assert!(matches!(
                err,
                ApiError::InvalidArgument {
                    what: "access token",
                    ..
                }
            ));
        }
    }

    #[test]
    fn urls_are_built_from_segments() {
        let client = GraphClient::new(config("https://h/prefix/")).unwrap();
        assert_eq!(
            client.url(&["123", "message_templates"]).as_str(),
            "https://h/prefix/v23.0/123/message_templates"
        );
        assert_eq!(
            client.url(&["a/b?c"]).as_str(),
            "https://h/prefix/v23.0/a%2Fb%3Fc"
        );
    }

    /// Every variant, each carrying the token (plainly or encoded) wherever it has text:
    /// after `redacted`, no rendering shows it. The exhaustive match makes a new variant
    /// fail to compile here until it is covered.
    #[test]
    fn every_api_error_variant_is_redacted() {
        const TOKEN: &str = "EAAG/SECRET+TOKEN=1234567890";
        let secret = Secret::new(TOKEN);
        let enc = "EAAG%2FSECRET%2BTOKEN%3D1234567890";
        let meta = || {
            Box::new(MetaError {
                code: 190,
                message: Some(format!("Malformed access token {TOKEN}")),
                kind: Some(TOKEN.into()),
                error_subcode: None,
                is_transient: None,
                error_user_title: Some(enc.into()),
                error_user_msg: Some(TOKEN.into()),
                error_data: Some(serde_json::json!({"details": TOKEN, TOKEN: [enc]})),
                fbtrace_id: Some(TOKEN.into()),
            })
        };
        // A real transport error, from a refused connection on loopback (port 1).
        let network = reqwest::blocking::Client::new()
            .get("http://127.0.0.1:1/")
            .send()
            .unwrap_err()
            .without_url();
        let endpoint = format!("GET /v23.0/{enc}");
        let all = vec![
            ApiError::Meta {
                status: 401,
                error: meta(),
                endpoint: endpoint.clone(),
            },
            ApiError::ThrottledTooLong {
                wait: Duration::from_secs(3600),
                max_wait: Duration::from_secs(300),
                status: 400,
                error: meta(),
                endpoint: endpoint.clone(),
            },
            ApiError::Network {
                endpoint: endpoint.clone(),
                source: network,
            },
            ApiError::Timeout {
                endpoint: endpoint.clone(),
                timeout: Duration::from_secs(1),
            },
            ApiError::Decode {
                endpoint: endpoint.clone(),
                status: 500,
                reason: TOKEN.into(),
                snippet: format!("<pre>Authorization: Bearer {TOKEN}</pre>"),
                truncated: false,
            },
            ApiError::Redirect {
                endpoint: endpoint.clone(),
                status: 302,
                location: format!("https://evil.example/{enc}"),
            },
            ApiError::Paging {
                endpoint: endpoint.clone(),
                problem: PagingProblem::ForeignNextUrl {
                    origin: format!("https://{enc}.example"),
                },
            },
            ApiError::InsecureUrl {
                url: format!("http://example.invalid/{TOKEN}"),
                reason: TOKEN.into(),
            },
            ApiError::InvalidUrl {
                url: TOKEN.into(),
                reason: TOKEN.into(),
            },
            ApiError::InvalidArgument {
                what: "WABA id",
                reason: format!("`{TOKEN}` is not a numeric id"),
            },
            ApiError::NotSuccessful { endpoint },
            ApiError::Client(TOKEN.into()),
        ];
        let mut names = Vec::new();
        for err in all {
            names.push(match &err {
                ApiError::Meta { .. } => "Meta",
                ApiError::ThrottledTooLong { .. } => "ThrottledTooLong",
                ApiError::Network { .. } => "Network",
                ApiError::Timeout { .. } => "Timeout",
                ApiError::Decode { .. } => "Decode",
                ApiError::Redirect { .. } => "Redirect",
                ApiError::Paging { .. } => "Paging",
                ApiError::InsecureUrl { .. } => "InsecureUrl",
                ApiError::InvalidUrl { .. } => "InvalidUrl",
                ApiError::InvalidArgument { .. } => "InvalidArgument",
                ApiError::NotSuccessful { .. } => "NotSuccessful",
                ApiError::Client(_) => "Client",
            });
            let err = err.redacted(&secret);
            let mut shown = format!("{err}\n{err:?}\n{err:#?}");
            let mut source = std::error::Error::source(&err);
            while let Some(s) = source {
                shown.push_str(&format!("\n{s}\n{s:?}"));
                source = s.source();
            }
            assert!(!secret.appears_in(&shown), "{shown}");
            assert!(!shown.contains("SECRET"), "{shown}");
        }
        names.dedup();
        assert_eq!(names.len(), 12);
    }

    #[test]
    fn redaction_catches_encoded_forms() {
        let s = Secret::new("EAAG/SECRET+TOKEN=123");
        for (text, want) in [
            ("x EAAG/SECRET+TOKEN=123 y", "x *** y"),
            ("?t=EAAG%2FSECRET%2BTOKEN%3D123&a", "?t=***&a"),
            ("?t=EAAG%2fSECRET%2bTOKEN%3d123", "?t=***"),
            ("%45%41AG/SECRET+TOKEN=123", "***"),
            (r#""EAAG\/SECRET+TOKEN=123""#, r#""***""#),
            (r#""\u0045AAG\u002FSECRET\u002bTOKEN=123""#, r#""***""#),
            ("EAAG/SECRET+TOKEN=12", "EAAG/SECRET+TOKEN=12"),
            ("ééEAAG/SECRET+TOKEN=123é", "éé***é"),
            ("EAAG/SECRET+TOKEN=123EAAG/SECRET+TOKEN=123", "******"),
            ("", ""),
        ] {
            assert_eq!(s.redact(text), want, "{text}");
            assert_eq!(s.appears_in(text), text != want, "{text}");
        }
        // A backslash before a letter is not an escape of it.
        let s = Secret::new("ab");
        assert_eq!(s.redact(r"\ab \a\b"), r"\*** \a\b");
        assert_eq!(Secret::new("").redact("text"), "text");
    }

    #[test]
    fn redaction() {
        let client = GraphClient::new(config("https://h")).unwrap();
        assert_eq!(
            client.redact("Malformed access token tok-SECRET-123."),
            "Malformed access token ***."
        );
        let token = "EAA+tok/en=x y";
        for shown in [
            "EAA+tok/en=x y",
            "EAA%2Btok%2Fen%3Dx+y",
            "EAA%2btok%2fen%3dx+y",
            "EAA%2Btok%2Fen%3Dx%20y",
        ] {
            assert_eq!(
                redact_token(token, &format!("GET /debug_token?input_token={shown}&x=1")),
                "GET /debug_token?input_token=***&x=1",
                "{shown}"
            );
        }
    }
}
