//! A stateful fake of Meta's Graph API for message templates, on 127.0.0.1.
//!
//! `FakeGraph::start()` runs an axum server on its own thread (a single-threaded tokio
//! runtime) bound to `127.0.0.1:0`; dropping the `FakeGraph` stops it. Tests drive it with
//! the real `GraphClient` (or the `wt` binary through `WT_GRAPH_URL`) and inspect or mutate
//! its state between calls.
//!
//! What it models (sources in `meta/api.md`):
//! - auth: `Authorization: Bearer <token>` must equal [`FakeGraph::token`]; anything else is
//!   401 with code 190. Like Meta, the message echoes a malformed token, so clients must
//!   redact it.
//! - templates per WABA, string ids, create/list/get/edit/delete with Meta's validation and
//!   error envelopes (§1.1–§1.5, §5.2): name format (100/2388046), category enum (100),
//!   duplicate (name, language) (100/2388024), (name, language) deleted within 30 days
//!   (100/2388023), edit of PENDING or over budget (100/2388039), category change of an
//!   APPROVED template (100), delete of an unknown template (100/2593002).
//! - creation rate: more than `creation_limit_per_hour` creates (default 100, §3.11) in the
//!   last hour answer **code 4** ("Application request limit reached", HTTP 400) with an
//!   `X-Business-Use-Case-Usage` header whose `estimated_time_to_regain_access` is the
//!   minutes until the oldest creation leaves the window. Meta does not document this error
//!   (§9 q14); the app-level throttling code was chosen so the client's throttle path
//!   (header wait, `max_throttle_wait` cap) is what handles it, not a special case.
//! - a logical clock ([`FakeGraph::advance_time`]) for the hour/day/30-day windows.
//! - review: created or edited templates are PENDING; after `review_after` list/get calls
//!   (default 2) or on [`FakeGraph::review_all`] they are decided by the first matching
//!   [`ReviewRule`] (default rules: names starting `rej_` → REJECTED/PROMOTIONAL, names
//!   starting `recat_` → APPROVED as MARKETING with `previous_category` UTILITY; everything
//!   else → APPROVED).
//! - list: `fields=` honoured (unknown field → 100), `limit` capped by the page size knob
//!   (default 25), cursor paging with `paging.cursors.after` and an absolute `paging.next`,
//!   `name=` as a *substring* filter (Meta's behaviour is unclear, §9 q8), `language=`,
//!   `status=`, `category=`.
//! - faults, switchable at run time: see [`Fault`], [`FaultRule`], [`FakeGraph::set_chaos`],
//!   [`FakeGraph::set_paging_loop`], [`FakeGraph::set_next_origin`].
//! - a request log ([`FakeGraph::requests`]) with token parameters redacted.
//! - the account calls of `wt doctor`: `debug_token` (Meta's shape; [`FakeGraph::set_token_info`]),
//!   the WABA node, `phone_numbers` and `subscribed_apps` (Meta's OpenAPI examples by default;
//!   [`FakeGraph::set_phone_numbers`], [`FakeGraph::set_subscribed_apps`]), and the
//!   `facebook-api-version` header on every answer (the version in the path, or
//!   [`FakeGraph::set_served_version`], as when Meta serves an expired version's successor).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::future::IntoFuture;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::State as AxumState;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Map, Value};
use wt::api::codes;

/// The token the fake accepts unless changed with [`FakeGraph::start_with`].
pub const FAKE_TOKEN: &str = "EAAfake0token0that0must0never0leak0Zx9";
/// The WABA the fake knows from the start (the id in Meta's OpenAPI examples).
pub const FAKE_WABA: &str = "102290129340398";
/// Default page size of list answers.
pub const DEFAULT_PAGE_SIZE: usize = 25;
/// Meta's creation limit per WABA per hour (`meta/api.md` §1.1, §3.11).
pub const CREATION_LIMIT_PER_HOUR: usize = 100;
/// Code answered when the creation limit is hit. Meta does not document it (`meta/api.md`
/// §9 q14); the app-level throttling code makes the client's throttle path handle it.
pub const CREATION_LIMIT_CODE: u32 = codes::APP_RATE_LIMIT;
/// Graph's "object does not exist / unsupported request" subcode (Graph convention; not in
/// `meta/api.md`).
const SUB_OBJECT_NOT_FOUND: u32 = 33;
/// "Missing expected field(s)" (`meta/api.md` §2.5, §5.2, community-observed).
const SUB_MISSING_FIELD: u32 = 2_388_043;
/// Name lock after delete (`meta/api.md` §1.5, §3.13).
const NAME_LOCK_SECS: u64 = 30 * 24 * 3600;
/// Approved templates: at most 1 edit per 24 h (`meta/api.md` §1.4, §3.12).
const EDITS_PER_DAY: usize = 1;
/// Approved templates: at most 10 edits per rolling 30 days (`meta/api.md` §1.4, §3.12).
const EDITS_PER_30_DAYS: usize = 10;
/// Fields a list item has when `fields=` is absent (`meta/api.md` §1.2).
const DEFAULT_FIELDS: &[&str] = &[
    "name",
    "parameter_format",
    "components",
    "language",
    "status",
    "category",
    "id",
];
/// Fields the fake knows; others answer 100 like Graph's "nonexisting field".
const KNOWN_FIELDS: &[&str] = &[
    "id",
    "name",
    "language",
    "status",
    "category",
    "components",
    "parameter_format",
    "quality_score",
    "rejected_reason",
    "correct_category",
    "previous_category",
    "sub_category",
    "message_send_ttl_seconds",
];

/// How a pending template is decided.
#[derive(Debug, Clone, PartialEq)]
pub enum Review {
    /// APPROVED.
    Approve,
    /// REJECTED with this `rejected_reason`.
    Reject(String),
    /// APPROVED, category changed to this one (`previous_category` = the old one).
    Recategorize(String),
}

/// Applies `outcome` to templates whose name starts with `prefix`.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRule {
    /// Name prefix; `""` matches everything.
    pub prefix: String,
    /// Decision.
    pub outcome: Review,
}

/// A way to misbehave.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// 500 with an HTML body, request not handled.
    Html500,
    /// 500 with `{"error":{"code":2,"is_transient":true}}`, request not handled.
    Transient,
    /// Throttling envelope with this code (4, 80007, 80008, ...), HTTP 400 like the old
    /// table (`meta/api.md` §5.5), and an `X-Business-Use-Case-Usage` header with
    /// `estimated_time_to_regain_access = regain_minutes`.
    Throttle {
        /// Meta code.
        code: u32,
        /// Minutes in the header.
        regain_minutes: u32,
    },
    /// Any Meta envelope, request not handled.
    MetaError {
        /// HTTP status.
        status: u16,
        /// Meta code.
        code: u32,
        /// Subcode.
        subcode: Option<u32>,
        /// `is_transient`.
        transient: Option<bool>,
    },
    /// Handle the request (state changes), then answer only after this delay.
    Slow(Duration),
    /// Handle the request (state changes), then answer 500 with an HTML body.
    FailAfterCommit,
    /// Handle the request, then answer 200 with the JSON cut in half.
    Truncated,
    /// Drop the connection without an answer; the request is not handled.
    Reset,
    /// Answer 302 to this location; the request is not handled.
    Redirect(String),
    /// Answer `status` with a body that echoes the request line (path and query as
    /// received) and every request header, `Authorization` included, as some proxies' and
    /// debug error pages do: an HTML page, or Meta's JSON envelope (code 1, transient) when
    /// `json`. The request is not handled.
    Echo {
        /// HTTP status.
        status: u16,
        /// Meta's envelope instead of HTML.
        json: bool,
    },
    /// 400 with code 100 whose message quotes the request URL, query string included, as
    /// some proxies and older Graph errors do; the request is not handled.
    EchoUrl,
    /// Answer this status and raw body (e.g. a fixture from Meta's OpenAPI file); the
    /// request is not handled.
    Respond {
        /// HTTP status.
        status: u16,
        /// Body, sent as `application/json`.
        body: String,
    },
}

/// Applies `fault` to the next `times` requests matching `method` and `path_contains`.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    /// `GET`, `POST`, `DELETE`, or any.
    pub method: Option<String>,
    /// Substring of the path, or any.
    pub path_contains: Option<String>,
    /// What to do.
    pub fault: Fault,
    /// How many matching requests get it.
    pub times: usize,
    /// How many matching requests pass untouched before the first one gets it.
    pub skip: usize,
}

impl FaultRule {
    /// `fault` for the next `times` requests of `method` whose path contains `path`.
    pub fn new(method: &str, path: &str, fault: Fault, times: usize) -> Self {
        Self {
            method: (!method.is_empty()).then(|| method.to_owned()),
            path_contains: (!path.is_empty()).then(|| path.to_owned()),
            fault,
            times,
            skip: 0,
        }
    }
}

/// One request as the fake saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedRequest {
    /// HTTP method.
    pub method: String,
    /// Path.
    pub path: String,
    /// Query string with `access_token`/`input_token` values replaced by `***`.
    pub query: String,
    /// Status answered; 0 when the connection was dropped.
    pub status: u16,
    /// JSON body, if any.
    pub body: Option<Value>,
    /// Injected fault, if any.
    pub fault: Option<Fault>,
    /// Whether the request carried the right bearer token.
    pub authorized: bool,
    /// Whether a token was sent in the query string (`access_token`).
    pub token_in_query: bool,
}

/// A stored template.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeTemplate {
    /// Numeric string id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Language.
    pub language: String,
    /// Upper-case category.
    pub category: String,
    /// Upper-case status.
    pub status: String,
    /// `POSITIONAL` / `NAMED`.
    pub parameter_format: String,
    /// Components array.
    pub components: Vec<Value>,
    /// `NONE` unless rejected.
    pub rejected_reason: String,
    /// `GREEN`, `UNKNOWN`, ...
    pub quality_score: String,
    /// Set on re-categorisation.
    pub previous_category: Option<String>,
    /// Set when Meta thinks another category is right.
    pub correct_category: Option<String>,
    /// Tick at which it (re-)entered review.
    pending_since: u64,
    /// Logical times of edits made while APPROVED (budget).
    approved_edits: Vec<u64>,
}

#[derive(Debug, Default)]
struct Waba {
    templates: BTreeMap<u64, FakeTemplate>,
    /// (name, language, logical time of deletion).
    deleted: Vec<(String, String, u64)>,
    /// Logical times of creations (rate limit).
    creations: Vec<u64>,
}

#[derive(Debug)]
struct Chaos {
    rng: u64,
    /// Percent of requests, 0–100.
    percent: u64,
    faults: Vec<Fault>,
}

impl Chaos {
    fn next(&mut self) -> u64 {
        // xorshift64*: deterministic for a seed, no dependency.
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

#[derive(Debug)]
struct State {
    base_url: String,
    token: String,
    next_id: u64,
    wabas: BTreeMap<String, Waba>,
    now: u64,
    ticks: u64,
    page_size: usize,
    review_after: Option<u64>,
    review_rules: Vec<ReviewRule>,
    creation_limit_per_hour: usize,
    faults: Vec<FaultRule>,
    chaos: Option<Chaos>,
    paging_loop: bool,
    next_origin: Option<String>,
    next_includes_token: bool,
    log: Vec<LoggedRequest>,
    token_info: Option<Value>,
    phone_numbers: Option<Vec<Value>>,
    subscribed_apps: Option<Vec<Value>>,
    waba_info: Option<Value>,
    served_version: Option<String>,
}

type Shared = Arc<Mutex<State>>;

/// Handle to a running fake. Dropping it stops the server.
pub struct FakeGraph {
    addr: SocketAddr,
    token: String,
    state: Shared,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for FakeGraph {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A response before it becomes HTTP.
struct Answer {
    status: u16,
    body: Value,
    headers: Vec<(String, String)>,
}

impl Answer {
    fn ok(body: Value) -> Self {
        Self {
            status: 200,
            body,
            headers: Vec::new(),
        }
    }

    fn error(
        status: u16,
        code: u32,
        subcode: Option<u32>,
        message: &str,
        title: Option<&str>,
    ) -> Self {
        let mut e = Map::new();
        e.insert("message".into(), json!(format!("(#{code}) {message}")));
        e.insert(
            "type".into(),
            json!(if code == 190 {
                "OAuthException"
            } else {
                "GraphMethodException"
            }),
        );
        e.insert("code".into(), json!(code));
        if let Some(s) = subcode {
            e.insert("error_subcode".into(), json!(s));
        }
        e.insert("is_transient".into(), json!(false));
        if let Some(t) = title {
            e.insert("error_user_title".into(), json!(t));
            e.insert("error_user_msg".into(), json!(message));
        }
        e.insert("fbtrace_id".into(), json!("AFakeTraceId"));
        Self {
            status,
            body: json!({ "error": Value::Object(e) }),
            headers: Vec::new(),
        }
    }

    fn invalid(subcode: Option<u32>, message: &str, title: Option<&str>) -> Self {
        Self::error(400, codes::INVALID_PARAMETER, subcode, message, title)
    }
}

impl FakeGraph {
    /// Starts a fake that accepts [`FAKE_TOKEN`] and knows [`FAKE_WABA`].
    pub fn start() -> Self {
        Self::start_with(FAKE_TOKEN)
    }

    /// Starts a fake that accepts `token`.
    pub fn start_with(token: &str) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("local addr");
        let mut wabas = BTreeMap::new();
        wabas.insert(FAKE_WABA.to_owned(), Waba::default());
        let state = Arc::new(Mutex::new(State {
            base_url: format!("http://{addr}"),
            token: token.to_owned(),
            next_id: 1_000_000_000_000_001,
            wabas,
            now: 1_700_000_000,
            ticks: 0,
            page_size: DEFAULT_PAGE_SIZE,
            review_after: Some(2),
            review_rules: default_review_rules(),
            creation_limit_per_hour: CREATION_LIMIT_PER_HOUR,
            faults: Vec::new(),
            chaos: None,
            paging_loop: false,
            next_origin: None,
            next_includes_token: false,
            log: Vec::new(),
            token_info: None,
            phone_numbers: None,
            subscribed_apps: None,
            waba_info: None,
            served_version: None,
        }));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let shared = Arc::clone(&state);
        let thread = std::thread::Builder::new()
            .name("fake-graph".into())
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("tokio runtime");
                rt.block_on(async move {
                    let listener =
                        tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                    let app = Router::new().fallback(handle).with_state(shared);
                    tokio::select! {
                        _ = axum::serve(listener, app).into_future() => {}
                        _ = rx => {}
                    }
                });
                // Dropping the runtime here cancels in-flight (e.g. slow) handlers.
            })
            .expect("spawn fake-graph thread");
        Self {
            addr,
            token: token.to_owned(),
            state,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The accepted token.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The WABA known from the start.
    pub fn waba_id(&self) -> &str {
        FAKE_WABA
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds another WABA.
    pub fn add_waba(&self, id: &str) {
        self.lock().wabas.entry(id.to_owned()).or_default();
    }

    /// Stores a template directly (no validation, no rate limit) and returns its id.
    pub fn insert_template(
        &self,
        name: &str,
        language: &str,
        category: &str,
        status: &str,
        components: Vec<Value>,
    ) -> String {
        let mut s = self.lock();
        let id = s.next_id;
        s.next_id += 1;
        let ticks = s.ticks;
        let t = FakeTemplate {
            id: id.to_string(),
            name: name.to_owned(),
            language: language.to_owned(),
            category: category.to_uppercase(),
            status: status.to_uppercase(),
            parameter_format: "POSITIONAL".into(),
            components,
            rejected_reason: "NONE".into(),
            quality_score: "UNKNOWN".into(),
            previous_category: None,
            correct_category: None,
            pending_since: ticks,
            approved_edits: Vec::new(),
        };
        s.wabas
            .entry(FAKE_WABA.to_owned())
            .or_default()
            .templates
            .insert(id, t);
        id.to_string()
    }

    /// All templates of the default WABA, by id.
    pub fn templates(&self) -> Vec<FakeTemplate> {
        self.lock()
            .wabas
            .get(FAKE_WABA)
            .map(|w| w.templates.values().cloned().collect())
            .unwrap_or_default()
    }

    /// The template with this id in the default WABA.
    pub fn template(&self, id: &str) -> Option<FakeTemplate> {
        self.templates().into_iter().find(|t| t.id == id)
    }

    /// Changes a stored template (e.g. to set a status).
    pub fn update_template(&self, id: &str, f: impl FnOnce(&mut FakeTemplate)) {
        let mut s = self.lock();
        if let Some(t) = id
            .parse::<u64>()
            .ok()
            .and_then(|n| s.wabas.get_mut(FAKE_WABA)?.templates.get_mut(&n))
        {
            f(t);
        }
    }

    /// Decides every pending template now.
    pub fn review_all(&self) {
        let mut s = self.lock();
        s.review(true);
    }

    /// Pending templates are decided after `n` list/get calls; `None`: only by `review_all`.
    pub fn set_review_after(&self, n: Option<u64>) {
        self.lock().review_after = n;
    }

    /// Replaces the review rules (first match wins; no match approves).
    pub fn set_review_rules(&self, rules: Vec<ReviewRule>) {
        self.lock().review_rules = rules;
    }

    /// Items per list page (`limit=` is capped by it).
    pub fn set_page_size(&self, n: usize) {
        self.lock().page_size = n.max(1);
    }

    /// Creations allowed per logical hour.
    pub fn set_creation_limit(&self, n: usize) {
        self.lock().creation_limit_per_hour = n;
    }

    /// Moves the logical clock forward (hour/day/30-day windows).
    pub fn advance_time(&self, by: Duration) {
        self.lock().now += by.as_secs();
    }

    /// Adds a fault rule.
    pub fn inject(&self, rule: FaultRule) {
        self.lock().faults.push(rule);
    }

    /// `fault` for the next `times` requests of `method` (`""` = any) whose path contains `path`.
    pub fn fail_next(&self, method: &str, path: &str, fault: Fault, times: usize) {
        self.inject(FaultRule::new(method, path, fault, times));
    }

    /// Like [`FakeGraph::fail_next`], after `skip` matching requests passed untouched
    /// (e.g. fail the second create of a run).
    pub fn fail_later(&self, method: &str, path: &str, skip: usize, fault: Fault, times: usize) {
        let mut rule = FaultRule::new(method, path, fault, times);
        rule.skip = skip;
        self.inject(rule);
    }

    /// Removes all fault rules and chaos.
    pub fn clear_faults(&self) {
        let mut s = self.lock();
        s.faults.clear();
        s.chaos = None;
    }

    /// `percent` % of requests (deterministic for `seed`) get one of `faults` (picked by
    /// the same generator). Applies after explicit rules.
    pub fn set_chaos(&self, seed: u64, percent: u64, faults: Vec<Fault>) {
        self.lock().chaos = Some(Chaos {
            rng: seed.max(1),
            percent: percent.min(100),
            faults,
        });
    }

    /// From the second page on, `paging.next` points back at the second page (a loop).
    pub fn set_paging_loop(&self, on: bool) {
        self.lock().paging_loop = on;
    }

    /// `paging.next` uses this `scheme://host:port` instead of the fake's own.
    pub fn set_next_origin(&self, origin: Option<&str>) {
        self.lock().next_origin = origin.map(str::to_owned);
    }

    /// `paging.next` carries `access_token=<token>`, as Meta's sometimes do.
    pub fn set_next_includes_token(&self, on: bool) {
        self.lock().next_includes_token = on;
    }

    /// What `debug_token` answers in `data` by default: a valid system-user token that
    /// never expires, with both WhatsApp permissions granted for every WABA of the fake.
    pub fn default_token_info(&self) -> Value {
        let s = self.lock();
        s.default_token_info(true)
    }

    /// Replaces the `data` object `debug_token` answers.
    pub fn set_token_info(&self, data: Value) {
        self.lock().token_info = Some(data);
    }

    /// Replaces the `data` items of `GET /{waba}/phone_numbers`.
    pub fn set_phone_numbers(&self, numbers: Vec<Value>) {
        self.lock().phone_numbers = Some(numbers);
    }

    /// Replaces the apps of `GET /{waba}/subscribed_apps` (each the
    /// `whatsapp_business_api_data` object).
    pub fn set_subscribed_apps(&self, apps: Vec<Value>) {
        self.lock().subscribed_apps = Some(apps);
    }

    /// Replaces what `GET /{waba}` answers (besides `id`).
    pub fn set_waba_info(&self, info: Value) {
        self.lock().waba_info = Some(info);
    }

    /// The `facebook-api-version` header every answer carries; `None`: the path's version.
    pub fn set_served_version(&self, version: Option<&str>) {
        self.lock().served_version = version.map(str::to_owned);
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.lock().log.clone()
    }

    /// Forgets the request log.
    pub fn clear_requests(&self) {
        self.lock().log.clear();
    }

    /// Requests with this method whose path ends with `suffix`.
    pub fn requests_to(&self, method: &str, suffix: &str) -> Vec<LoggedRequest> {
        self.requests()
            .into_iter()
            .filter(|r| r.method == method && r.path.ends_with(suffix))
            .collect()
    }
}

fn default_review_rules() -> Vec<ReviewRule> {
    vec![
        ReviewRule {
            prefix: "rej_".into(),
            outcome: Review::Reject("PROMOTIONAL".into()),
        },
        ReviewRule {
            prefix: "recat_".into(),
            outcome: Review::Recategorize("MARKETING".into()),
        },
    ]
}

// ---------------------------------------------------------------------------------------
// HTTP plumbing

/// A body that fails on first poll: hyper then closes the connection without an answer.
struct ResetBody;

impl http_body::Body for ResetBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "fake connection reset",
        ))))
    }
}

const HTML_500: &str = "<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Sorry, something went wrong.</h1><p>We're working on it.</p></body></html>";

fn usage_header(minutes: u32) -> (String, String) {
    (
        "x-business-use-case-usage".into(),
        format!(
            r#"{{"{FAKE_WABA}":[{{"type":"whatsapp_business_management","call_count":{},"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":{minutes}}}]}}"#,
            if minutes > 0 { 100 } else { 1 }
        ),
    )
}

fn build(status: u16, body: Body, content_type: &str, headers: &[(String, String)]) -> Response {
    let mut b = Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header("content-type", content_type)
        .header("x-fb-trace-id", "AFakeTraceId");
    for (k, v) in headers {
        b = b.header(k.as_str(), v.as_str());
    }
    b.body(body).expect("valid fake response")
}

fn json_response(answer: &Answer) -> Response {
    let mut headers = answer.headers.clone();
    if !headers
        .iter()
        .any(|(k, _)| k == "x-business-use-case-usage")
    {
        headers.push(usage_header(0));
    }
    build(
        answer.status,
        Body::from(answer.body.to_string()),
        "application/json; charset=UTF-8",
        &headers,
    )
}

fn parse_query(uri: &Uri) -> Vec<(String, String)> {
    let Some(q) = uri.query() else {
        return Vec::new();
    };
    reqwest::Url::parse(&format!("http://x/?{q}"))
        .map(|u| {
            u.query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default()
}

fn redacted_query(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            if k == "access_token" || k == "input_token" {
                format!("{k}=***")
            } else {
                format!("{k}={v}")
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

async fn handle(
    AxumState(shared): AxumState<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_owned();
    let query = parse_query(&uri);
    let requested_version = path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    let json_body: Option<Value> = serde_json::from_slice(&body).ok();
    let mut entry = LoggedRequest {
        method: method.to_string(),
        path: path.clone(),
        query: redacted_query(&query),
        status: 0,
        body: json_body.clone(),
        fault: None,
        authorized: false,
        token_in_query: query.iter().any(|(k, _)| k == "access_token"),
    };

    // Decide the fault and, unless the fault pre-empts it, handle the request: all under
    // one short lock, never held across an await.
    let (fault, answer, served) = {
        let mut s = shared.lock().unwrap_or_else(|e| e.into_inner());
        let presented = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("")
            .to_owned();
        entry.authorized = presented == s.token;
        let fault = s.pick_fault(method.as_str(), &path);
        entry.fault = fault.clone();
        let pre_empted = matches!(
            fault,
            Some(
                Fault::Html500
                    | Fault::Transient
                    | Fault::Throttle { .. }
                    | Fault::MetaError { .. }
                    | Fault::EchoUrl
                    | Fault::Reset
                    | Fault::Redirect(_)
                    | Fault::Echo { .. }
                    | Fault::Respond { .. }
            )
        );
        let answer = if pre_empted {
            None
        } else if !entry.authorized {
            Some(auth_error(&presented))
        } else {
            Some(s.route(method.as_str(), &path, &query, json_body.as_ref()))
        };
        // Logged now: a client that gives up on a slow answer closes the connection, and
        // hyper then drops this handler before it could log anything later.
        entry.status = response_status(fault.as_ref(), answer.as_ref());
        s.log.push(entry);
        let served = s.served_version.clone().unwrap_or(requested_version);
        (fault, answer, served)
    };
    let mut response = respond(fault, answer, &method, &uri, &headers).await;
    if let Ok(v) = axum::http::HeaderValue::from_str(&served) {
        response.headers_mut().insert("facebook-api-version", v);
    }
    response
}

async fn respond(
    fault: Option<Fault>,
    answer: Option<Answer>,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> Response {
    match (fault, answer) {
        (Some(Fault::Slow(delay)), answer) => {
            tokio::time::sleep(delay).await;
            answer.map_or_else(
                || json_response(&Answer::ok(json!({}))),
                |a| json_response(&a),
            )
        }
        (Some(Fault::Html500 | Fault::FailAfterCommit), _) => {
            build(500, Body::from(HTML_500), "text/html; charset=utf-8", &[])
        }
        (Some(Fault::Transient), _) => json_response(&Answer {
            status: 500,
            body: json!({"error": {"message": "An unexpected error has occurred. Please retry your request later.", "type": "OAuthException", "code": codes::API_SERVICE, "is_transient": true, "fbtrace_id": "AFakeTraceId"}}),
            headers: Vec::new(),
        }),
        (
            Some(Fault::Throttle {
                code,
                regain_minutes,
            }),
            _,
        ) => {
            let mut a = Answer::error(400, code, None, "Application request limit reached", None);
            a.headers.push(usage_header(regain_minutes));
            json_response(&a)
        }
        (
            Some(Fault::MetaError {
                status,
                code,
                subcode,
                transient,
            }),
            _,
        ) => {
            let mut a = Answer::error(status, code, subcode, "Injected error", Some("Injected"));
            if let Some(t) = transient {
                a.body["error"]["is_transient"] = json!(t);
            }
            json_response(&a)
        }
        (Some(Fault::EchoUrl), _) => json_response(&Answer::error(
            400,
            codes::INVALID_PARAMETER,
            None,
            &format!("Invalid request: {method} {uri}"),
            None,
        )),
        (Some(Fault::Reset), _) => build(200, Body::new(ResetBody), "application/json", &[]),
        (Some(Fault::Redirect(location)), _) => build(
            302,
            Body::empty(),
            "text/plain",
            &[("location".into(), location)],
        ),
        (Some(Fault::Echo { status, json }), _) => {
            let mut echo = format!("{method} {uri}");
            for (k, v) in headers {
                echo.push_str(&format!("\n{k}: {}", String::from_utf8_lossy(v.as_bytes())));
            }
            if json {
                json_response(&Answer {
                    status,
                    body: json!({"error": {"message": format!("Proxy error for {echo}"), "type": "OAuthException", "code": codes::API_UNKNOWN, "is_transient": true, "fbtrace_id": "AFakeTraceId"}}),
                    headers: Vec::new(),
                })
            } else {
                build(
                    status,
                    Body::from(format!(
                        "<html><body><h1>Bad gateway</h1><pre>{echo}</pre></body></html>"
                    )),
                    "text/html; charset=utf-8",
                    &[],
                )
            }
        }
        (Some(Fault::Respond { status, body }), _) => build(
            status,
            Body::from(body),
            "application/json; charset=UTF-8",
            &[usage_header(0)],
        ),
        (Some(Fault::Truncated), Some(a)) => {
            let text = a.body.to_string();
            let cut = text.len() / 2;
            build(
                a.status,
                Body::from(text[..cut].to_owned()),
                "application/json",
                &[],
            )
        }
        (_, Some(a)) => json_response(&a),
        (_, None) => json_response(&Answer::ok(json!({}))),
    }
}

fn response_status(fault: Option<&Fault>, answer: Option<&Answer>) -> u16 {
    match fault {
        Some(Fault::Html500 | Fault::FailAfterCommit | Fault::Transient) => 500,
        Some(Fault::Throttle { .. } | Fault::EchoUrl) => 400,
        Some(Fault::MetaError { status, .. }) => *status,
        Some(Fault::Reset) => 0,
        Some(Fault::Redirect(_)) => 302,
        Some(Fault::Respond { status, .. } | Fault::Echo { status, .. }) => *status,
        _ => answer.map_or(200, |a| a.status),
    }
}

fn auth_error(presented: &str) -> Answer {
    // Meta echoes a malformed token in the message; the client must redact it.
    let message = if presented.is_empty() {
        "An active access token must be used to query information about the current user."
            .to_owned()
    } else {
        format!("Malformed access token {presented}")
    };
    let mut a = Answer::error(401, codes::ACCESS_TOKEN, None, &message, None);
    a.body["error"]["type"] = json!("OAuthException");
    a
}

// ---------------------------------------------------------------------------------------
// Behaviour

fn param<'a>(query: &'a [(String, String)], key: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 512
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

impl State {
    fn pick_fault(&mut self, method: &str, path: &str) -> Option<Fault> {
        let mut hit = None;
        for (i, r) in self.faults.iter_mut().enumerate() {
            let matches = r.times > 0
                && r.method
                    .as_deref()
                    .is_none_or(|m| m.eq_ignore_ascii_case(method))
                && r.path_contains.as_deref().is_none_or(|p| path.contains(p));
            if !matches {
                continue;
            }
            if r.skip > 0 {
                r.skip -= 1;
                continue;
            }
            hit = Some(i);
            break;
        }
        if let Some(i) = hit {
            let rule = &mut self.faults[i];
            rule.times -= 1;
            let fault = rule.fault.clone();
            if rule.times == 0 {
                self.faults.remove(i);
            }
            return Some(fault);
        }
        let chaos = self.chaos.as_mut()?;
        if chaos.faults.is_empty() || chaos.next() % 100 >= chaos.percent {
            return None;
        }
        let n = chaos.faults.len() as u64;
        let pick = usize::try_from(chaos.next() % n).unwrap_or(0);
        Some(chaos.faults[pick].clone())
    }

    fn route(
        &mut self,
        method: &str,
        path: &str,
        query: &[(String, String)],
        body: Option<&Value>,
    ) -> Answer {
        let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
        let is_version = |s: &str| {
            s.starts_with('v')
                && s[1..]
                    .split('.')
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        };
        match (method, segs.as_slice()) {
            (_, [v, ..]) if !is_version(v) => {
                Answer::invalid(Some(SUB_OBJECT_NOT_FOUND), "Unknown path components", None)
            }
            ("GET", [_, "debug_token"]) => self.debug_token(query),
            ("GET", [_, waba, "message_templates"]) => {
                self.with_waba(waba, |s, w| s.list(w, query))
            }
            ("POST", [_, waba, "message_templates"]) => {
                self.with_waba(waba, |s, w| s.create(w, body))
            }
            ("DELETE", [_, waba, "message_templates"]) => {
                self.with_waba(waba, |s, w| s.delete(w, query))
            }
            ("GET", [_, waba, "phone_numbers"]) => {
                self.with_waba(waba, |s, _| phone_numbers(s.phone_numbers.as_deref()))
            }
            ("GET", [_, waba, "subscribed_apps"]) => {
                self.with_waba(waba, |s, _| subscribed_apps(s.subscribed_apps.as_deref()))
            }
            ("GET", [_, id]) if self.wabas.contains_key(*id) => self.waba_node(id),
            ("GET", [_, id]) => self.get(id, query),
            ("POST", [_, id]) => self.edit(id, body),
            _ => Answer::invalid(
                Some(SUB_OBJECT_NOT_FOUND),
                &format!("Unsupported {method} request."),
                None,
            ),
        }
    }

    fn with_waba(&mut self, waba: &str, f: impl FnOnce(&mut Self, &str) -> Answer) -> Answer {
        if !self.wabas.contains_key(waba) {
            return Answer::invalid(
                Some(SUB_OBJECT_NOT_FOUND),
                &format!("Unsupported request. Object with ID '{waba}' does not exist, cannot be loaded due to missing permissions, or does not support this operation."),
                None,
            );
        }
        f(self, waba)
    }

    /// Counts a read and decides pending templates whose time has come.
    fn tick(&mut self) {
        self.ticks += 1;
        self.review(false);
    }

    fn review(&mut self, all: bool) {
        let (ticks, after) = (self.ticks, self.review_after);
        let rules = self.review_rules.clone();
        for waba in self.wabas.values_mut() {
            for t in waba.templates.values_mut() {
                if t.status != "PENDING" {
                    continue;
                }
                let due = all || after.is_some_and(|n| ticks.saturating_sub(t.pending_since) >= n);
                if !due {
                    continue;
                }
                let outcome = rules
                    .iter()
                    .find(|r| t.name.starts_with(&r.prefix))
                    .map_or(Review::Approve, |r| r.outcome.clone());
                match outcome {
                    Review::Approve => {
                        t.status = "APPROVED".into();
                        t.rejected_reason = "NONE".into();
                    }
                    Review::Reject(reason) => {
                        t.status = "REJECTED".into();
                        t.rejected_reason = reason;
                    }
                    Review::Recategorize(category) => {
                        t.status = "APPROVED".into();
                        t.rejected_reason = "NONE".into();
                        if t.category != category {
                            t.previous_category =
                                Some(std::mem::replace(&mut t.category, category));
                        }
                    }
                }
            }
        }
    }

    fn render(&self, t: &FakeTemplate, fields: &[&str]) -> Value {
        let mut o = Map::new();
        for f in fields {
            let v = match *f {
                "id" => json!(t.id),
                "name" => json!(t.name),
                "language" => json!(t.language),
                "status" => json!(t.status),
                "category" => json!(t.category),
                "components" => json!(t.components),
                "parameter_format" => json!(t.parameter_format),
                "quality_score" => json!({"score": t.quality_score, "date": self.now}),
                "rejected_reason" => json!(t.rejected_reason),
                "correct_category" => match &t.correct_category {
                    Some(c) => json!(c),
                    None => continue,
                },
                "previous_category" => match &t.previous_category {
                    Some(c) => json!(c),
                    None => continue,
                },
                _ => continue,
            };
            o.insert((*f).to_owned(), v);
        }
        o.insert("id".into(), json!(t.id));
        Value::Object(o)
    }

    fn fields(query: &[(String, String)]) -> Result<Vec<&str>, Answer> {
        let Some(raw) = param(query, "fields") else {
            return Ok(DEFAULT_FIELDS.to_vec());
        };
        let fields: Vec<&str> = raw
            .split(',')
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .collect();
        if let Some(bad) = fields.iter().find(|f| !KNOWN_FIELDS.contains(f)) {
            return Err(Answer::invalid(
                None,
                &format!("Tried accessing nonexisting field ({bad})"),
                None,
            ));
        }
        Ok(fields)
    }

    fn list(&mut self, waba: &str, query: &[(String, String)]) -> Answer {
        self.tick();
        let fields = match Self::fields(query) {
            Ok(f) => f,
            Err(a) => return a,
        };
        let limit = param(query, "limit")
            .and_then(|l| l.parse::<usize>().ok())
            .unwrap_or(self.page_size)
            .clamp(1, self.page_size);
        let after: u64 = param(query, "after")
            .and_then(|c| c.strip_prefix("cur"))
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let name = param(query, "name");
        let language = param(query, "language");
        let statuses: Option<Vec<String>> =
            param(query, "status").map(|s| s.split(',').map(|x| x.trim().to_uppercase()).collect());
        let category = param(query, "category").map(str::to_uppercase);
        let w = &self.wabas[waba];
        let matching: Vec<&FakeTemplate> = w
            .templates
            .range(after + 1..)
            .map(|(_, t)| t)
            .filter(|t| name.is_none_or(|n| t.name.contains(n)))
            .filter(|t| language.is_none_or(|l| t.language == l))
            .filter(|t| statuses.as_ref().is_none_or(|s| s.contains(&t.status)))
            .filter(|t| category.as_ref().is_none_or(|c| &t.category == c))
            .collect();
        let page: Vec<Value> = matching
            .iter()
            .take(limit)
            .map(|t| self.render(t, &fields))
            .collect();
        let mut body = json!({ "data": page });
        if let (Some(first), Some(last)) =
            (matching.first(), matching.iter().take(limit).next_back())
        {
            let mut after_cursor = format!("cur{}", last.id);
            // A broken server: every page after the first points back at the second page.
            if self.paging_loop && after > 0 {
                let first_page_last = w
                    .templates
                    .values()
                    .take(limit)
                    .next_back()
                    .map_or(0, |t| t.id.parse().unwrap_or(0));
                after_cursor = format!("cur{first_page_last}");
            }
            let mut paging =
                json!({"cursors": {"before": format!("cur{}", first.id), "after": after_cursor}});
            if matching.len() > limit || (self.paging_loop && after > 0) {
                let origin = self
                    .next_origin
                    .clone()
                    .unwrap_or_else(|| self.base_url.clone());
                let mut url =
                    reqwest::Url::parse(&format!("{origin}/v23.0/{waba}/message_templates"))
                        .expect("valid next URL");
                {
                    let mut q = url.query_pairs_mut();
                    for (k, v) in query {
                        if k != "after" {
                            q.append_pair(k, v);
                        }
                    }
                    q.append_pair("limit", &limit.to_string());
                    q.append_pair("after", &after_cursor);
                    if self.next_includes_token {
                        q.append_pair("access_token", &self.token);
                    }
                }
                paging["next"] = json!(url.as_str());
            }
            body["paging"] = paging;
        }
        Answer::ok(body)
    }

    fn get(&mut self, id: &str, query: &[(String, String)]) -> Answer {
        self.tick();
        let fields = match Self::fields(query) {
            Ok(f) => f,
            Err(a) => return a,
        };
        match self.find(id) {
            Some((_, t)) => Answer::ok(self.render(t, &fields)),
            None => not_found(id),
        }
    }

    fn find(&self, id: &str) -> Option<(&str, &FakeTemplate)> {
        let n: u64 = id.parse().ok()?;
        self.wabas
            .iter()
            .find_map(|(w, waba)| waba.templates.get(&n).map(|t| (w.as_str(), t)))
    }

    fn create(&mut self, waba: &str, body: Option<&Value>) -> Answer {
        let Some(body) = body.and_then(Value::as_object) else {
            return Answer::invalid(
                None,
                "Invalid parameter: the body must be a JSON object",
                None,
            );
        };
        let text = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or("");
        let (name, language) = (text("name"), text("language"));
        if !valid_name(name) {
            let mut a = Answer::invalid(
                Some(codes::SUB_NAME_FORMAT),
                "Template names can only contain lowercase letters, numbers and underscores.",
                Some("Name Format is Incorrect"),
            );
            a.body["error"]["error_data"] = json!({"blame_field_specs": [["name"]]});
            return a;
        }
        if language.is_empty() {
            return Answer::invalid(None, "Invalid parameter: language is required", None);
        }
        let category = text("category").to_uppercase();
        if !["AUTHENTICATION", "MARKETING", "UTILITY"].contains(&category.as_str()) {
            return Answer::invalid(
                None,
                "Invalid parameter: category must be one of AUTHENTICATION, MARKETING, UTILITY",
                None,
            );
        }
        let components = body
            .get("components")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let has_body = components.iter().any(|c| {
            c.get("type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.eq_ignore_ascii_case("BODY"))
        });
        if !has_body {
            return Answer::invalid(
                Some(SUB_MISSING_FIELD),
                "Message template components are missing expected field(s) (BODY)",
                Some("Missing Expected Field"),
            );
        }
        let now = self.now;
        let limit = self.creation_limit_per_hour;
        let w = self.wabas.get_mut(waba).expect("checked by with_waba");
        w.creations.retain(|&t| t + 3600 > now);
        if w.creations.len() >= limit {
            let oldest = w.creations.iter().min().copied().unwrap_or(now);
            let minutes = u32::try_from((oldest + 3600 - now).div_ceil(60))
                .unwrap_or(60)
                .max(1);
            let mut a = Answer::error(
                400,
                CREATION_LIMIT_CODE,
                None,
                "Application request limit reached",
                None,
            );
            a.headers.push(usage_header(minutes));
            return a;
        }
        if w.templates
            .values()
            .any(|t| t.name == name && t.language == language)
        {
            return Answer::invalid(
                Some(codes::SUB_CONTENT_EXISTS),
                &format!("There is already {language} content for this template. You can create a new template and try again."),
                Some("Content in This Language Already Exists"),
            );
        }
        if w.deleted
            .iter()
            .any(|(n, l, at)| n == name && l == language && at + NAME_LOCK_SECS > now)
        {
            return Answer::invalid(
                Some(codes::SUB_NAME_BEING_DELETED),
                &format!("New {language} content can't be added while the existing {language} content is being deleted. Try again in less than 4 weeks or consider creating a new message template."),
                Some("Message Template Language Is Being Deleted"),
            );
        }
        let id = self.next_id;
        self.next_id += 1;
        let ticks = self.ticks;
        let t = FakeTemplate {
            id: id.to_string(),
            name: name.to_owned(),
            language: language.to_owned(),
            category: category.clone(),
            status: "PENDING".into(),
            parameter_format: match text("parameter_format") {
                "" => "POSITIONAL".to_owned(),
                f => f.to_uppercase(),
            },
            components,
            rejected_reason: "NONE".into(),
            quality_score: "UNKNOWN".into(),
            previous_category: None,
            correct_category: None,
            pending_since: ticks,
            approved_edits: Vec::new(),
        };
        let w = self.wabas.get_mut(waba).expect("checked by with_waba");
        w.creations.push(now);
        w.templates.insert(id, t);
        Answer::ok(json!({"id": id.to_string(), "status": "PENDING", "category": category}))
    }

    fn edit(&mut self, id: &str, body: Option<&Value>) -> Answer {
        let now = self.now;
        let ticks = self.ticks;
        let Some(n) = id.parse::<u64>().ok() else {
            return not_found(id);
        };
        let Some(t) = self
            .wabas
            .values_mut()
            .find_map(|w| w.templates.get_mut(&n))
        else {
            return not_found(id);
        };
        let Some(body) = body.and_then(Value::as_object) else {
            return Answer::invalid(
                None,
                "Invalid parameter: the body must be a JSON object",
                None,
            );
        };
        if !["APPROVED", "REJECTED", "PAUSED"].contains(&t.status.as_str()) {
            return Answer::invalid(
                Some(codes::SUB_STATUS_CANNOT_CHANGE),
                &format!(
                    "The message template's status is {} and can't be edited.",
                    t.status
                ),
                Some("Message Template Status Can't Be Changed"),
            );
        }
        let category = body
            .get("category")
            .and_then(Value::as_str)
            .map(str::to_uppercase);
        if let Some(c) = &category {
            if !["AUTHENTICATION", "MARKETING", "UTILITY"].contains(&c.as_str()) {
                return Answer::invalid(None, "Invalid parameter: category", None);
            }
            if t.status == "APPROVED" && *c != t.category {
                return Answer::invalid(
                    None,
                    "The category of an approved message template can't be edited.",
                    Some("Category Can't Be Changed"),
                );
            }
        }
        let Some(components) = body.get("components").and_then(Value::as_array) else {
            return Answer::invalid(None, "Invalid parameter: components is required", None);
        };
        if t.status == "APPROVED" {
            t.approved_edits.retain(|&at| at + 30 * 24 * 3600 > now);
            let last_day = t
                .approved_edits
                .iter()
                .filter(|&&at| at + 24 * 3600 > now)
                .count();
            if last_day >= EDITS_PER_DAY || t.approved_edits.len() >= EDITS_PER_30_DAYS {
                return Answer::invalid(
                    Some(codes::SUB_STATUS_CANNOT_CHANGE),
                    "You've reached the edit limit for this message template: 1 edit per day and 10 per month.",
                    Some("Edit Limit Reached"),
                );
            }
            t.approved_edits.push(now);
        }
        t.components = components.clone();
        if let Some(c) = category {
            t.category = c;
        }
        t.status = "PENDING".into();
        t.rejected_reason = "NONE".into();
        t.pending_since = ticks;
        Answer::ok(json!({"success": true}))
    }

    fn delete(&mut self, waba: &str, query: &[(String, String)]) -> Answer {
        let now = self.now;
        let Some(name) = param(query, "name").filter(|n| !n.is_empty()) else {
            return Answer::invalid(
                None,
                "Invalid parameter: name is required (hsm_ids bulk delete is not modelled)",
                None,
            );
        };
        let hsm_id = param(query, "hsm_id");
        let w = self.wabas.get_mut(waba).expect("checked by with_waba");
        let ids: Vec<u64> = w
            .templates
            .iter()
            .filter(|(id, t)| t.name == name && hsm_id.is_none_or(|h| h == id.to_string()))
            .map(|(id, _)| *id)
            .collect();
        if ids.is_empty() {
            return Answer::invalid(
                Some(codes::SUB_TEMPLATE_NOT_FOUND),
                &format!("Message template \"{name}\" not found"),
                Some("Message template not found"),
            );
        }
        if ids.iter().any(|id| w.templates[id].status == "DISABLED") {
            return Answer::invalid(
                None,
                "Disabled message templates can't be deleted.",
                Some("Can't Delete Template"),
            );
        }
        for id in ids {
            if let Some(t) = w.templates.remove(&id) {
                w.deleted.push((t.name, t.language, now));
            }
        }
        Answer::ok(json!({"success": true}))
    }

    fn default_token_info(&self, valid: bool) -> Value {
        let waba: Vec<&String> = self.wabas.keys().collect();
        json!({
            "app_id": "1234567890123456",
            "type": "SYSTEM_USER",
            "application": "wt fake app",
            "data_access_expires_at": 0,
            "expires_at": 0,
            "is_valid": valid,
            "scopes": ["whatsapp_business_management", "whatsapp_business_messaging"],
            "granular_scopes": [
                {"scope": "whatsapp_business_management", "target_ids": waba},
                {"scope": "whatsapp_business_messaging", "target_ids": waba}
            ],
            "user_id": "100000000000001"
        })
    }

    fn debug_token(&self, query: &[(String, String)]) -> Answer {
        let valid = param(query, "input_token") == Some(self.token.as_str());
        let data = self
            .token_info
            .clone()
            .unwrap_or_else(|| self.default_token_info(valid));
        Answer::ok(json!({ "data": data }))
    }

    /// Meta's OpenAPI example `verified_account` for `GET /{Version}/{WABA-ID}`, with this id.
    fn waba_node(&self, id: &str) -> Answer {
        let mut v = self.waba_info.clone().unwrap_or_else(|| {
            json!({
                "name": "My Business WhatsApp Account",
                "account_review_status": "APPROVED",
                "business_verification_status": "VERIFIED"
            })
        });
        v["id"] = json!(id);
        Answer::ok(v)
    }
}

fn not_found(id: &str) -> Answer {
    Answer::invalid(
        Some(SUB_OBJECT_NOT_FOUND),
        &format!("Unsupported get request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation."),
        None,
    )
}

/// Meta's OpenAPI example for `GET /{WABA-ID}/phone_numbers`, or the numbers set.
fn phone_numbers(set: Option<&[Value]>) -> Answer {
    if let Some(numbers) = set {
        return Answer::ok(json!({ "data": numbers }));
    }
    Answer::ok(json!({
        "data": [
            {"id": "1906385232743451", "display_phone_number": "+1 631-555-5555", "verified_name": "Jasper's Market",
             "status": "LINKED", "quality_rating": "GREEN", "code_verification_status": "VERIFIED",
             "messaging_limit_tier": "TIER_1K", "account_mode": "LIVE"},
            {"id": "1913623884432103", "display_phone_number": "+1 631-555-5556", "verified_name": "Jasper's Ice Cream",
             "status": "PENDING", "quality_rating": "UNKNOWN", "code_verification_status": "NOT_VERIFIED",
             "messaging_limit_tier": "TIER_50", "account_mode": "SANDBOX"}
        ],
        "paging": {"cursors": {"after": "MTAxNTExOTQ1MjAwNzI5NDE="}}
    }))
}

/// Meta's OpenAPI example for `GET /{WABA-ID}/subscribed_apps`, or the apps set.
fn subscribed_apps(set: Option<&[Value]>) -> Answer {
    if let Some(apps) = set {
        let data: Vec<Value> = apps
            .iter()
            .map(|a| json!({ "whatsapp_business_api_data": a }))
            .collect();
        return Answer::ok(json!({ "data": data }));
    }
    Answer::ok(json!({
        "data": [
            {"whatsapp_business_api_data": {"id": "1234567890123456", "name": "Business Messaging App",
              "link": "https://www.facebook.com/games/?app_id=1234567890123456"}}
        ]
    }))
}
