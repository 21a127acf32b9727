//! `wt doctor`: is this setup able to manage templates? One line per check, each failure
//! with a concrete fix.
//!
//! | check | how | fails when |
//! |---|---|---|
//! | token present | `$<token_env>` or `WT_TOKEN_FILE` (SPEC §2) | neither is set |
//! | WABA id | `WA_WABA_ID` or `[account] waba_id` | not set |
//! | token valid | `GET /debug_token` (`is_valid`) | Meta refuses or invalidates it |
//! | token expiry | `expires_at`, `data_access_expires_at` (0 = never) | expired or within [`EXPIRY_MARGIN_DAYS`] days |
//! | token permissions | `scopes`, `granular_scopes` for this WABA | `whatsapp_business_management` or `whatsapp_business_messaging` missing (meta/api.md §1.0) |
//! | WABA reachable | `GET /{waba}?fields=id,name,…` | not found or not readable; review REJECTED |
//! | phone numbers | `GET /{waba}/phone_numbers` | none; status not CONNECTED; quality RED (only `phone_number_id` when set) |
//! | app subscribed | `GET /{waba}/subscribed_apps` | no app; `app_id` (when set) not among them |
//! | API version | [`GRAPH_VERSIONS`] and the `facebook-api-version` answer header | expired, or Meta answered with another version |
//!
//! Exit: 0 when nothing failed (warnings allowed), 1 when a check failed, 2 when the token
//! or WABA id is missing or the account settings are unusable (the remote checks are shown
//! as not run), 3 when Meta could not be reached.
//!
//! The token is never printed: `debug_token` sends it in a query string, so every message
//! built from an API error goes through [`Connection::redact`], which also catches the
//! percent-encoded form.

use serde::Serialize;

use crate::api::{
    codes, ApiError, PhoneNumber, SubscribedApp, TokenInfo, SCOPE_MANAGEMENT, SCOPE_MESSAGING,
};
use crate::cli::{DoctorArgs, Format};
use crate::commands::remote::{self, Connection, SUB_OBJECT_NOT_FOUND};
use crate::commands::{date_string, days_from_civil, print, Context};
use crate::config::Account;
use crate::error::{ExitStatus, WtError};

/// A token expiring within this many days fails the expiry check.
pub const EXPIRY_MARGIN_DAYS: i64 = 7;
/// A Graph version expiring within this many days is a warning.
pub const VERSION_MARGIN_DAYS: i64 = 90;

/// Graph API versions: (major, release date, expiry date; `None` = not announced yet).
///
/// Source: Meta's Graph API changelog, "Versions" table
/// (developers.facebook.com/docs/graph-api/changelog/versions, snapshots that list v26.0),
/// the `VER` source of `meta/api.md` §0. `meta/api.md` §1.0 itself states v25.0 (2026-02-18),
/// v26.0 (2026-07-29) and the rule behind the expiry column: each version lives at least two
/// years (in practice until about two years after the next version's release), and a call to
/// an expired version is answered by the oldest one still available. Older versions all expired
/// by 2024-05-28. Add a row when Meta announces a version (and its predecessor's expiry).
pub const GRAPH_VERSIONS: &[(u32, &str, Option<&str>)] = &[
    (26, "2026-07-29", None),
    (25, "2026-02-18", Some("2028-07-29")),
    (24, "2025-10-08", Some("2028-02-18")),
    (23, "2025-05-29", Some("2027-10-08")),
    (22, "2025-01-21", Some("2027-05-20")),
    (21, "2024-10-02", Some("2027-01-21")),
    (20, "2024-05-21", Some("2026-09-24")),
    (19, "2024-01-23", Some("2026-05-21")),
    (18, "2023-09-12", Some("2026-01-26")),
    (17, "2023-05-23", Some("2025-09-12")),
    (16, "2023-02-02", Some("2025-05-14")),
    (15, "2022-09-15", Some("2024-11-20")),
    (14, "2022-05-25", Some("2024-09-17")),
    (13, "2022-02-08", Some("2024-05-28")),
];

/// Phone-number statuses that cannot send (Meta's OpenAPI enums for phone numbers:
/// `WhatsAppAccountNumberStatus`, `WhatsAppBusinessAccountToNumberStatus`, and the
/// `MIGRATED`/`DELETED` of the number listing).
const PHONE_BAD_STATUSES: &[&str] = &[
    "DISCONNECTED",
    "UNVERIFIED",
    "PENDING",
    "FLAGGED",
    "RESTRICTED",
    "RATE_LIMITED",
    "MIGRATED",
    "DELETED",
];

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Pass,
    /// Passed, but something needs attention soon; never changes the exit code.
    Warn,
    Fail,
    /// Not run: a check it depends on failed.
    Skip,
}

impl State {
    fn mark(self) -> &'static str {
        match self {
            State::Pass => "✓",
            State::Warn => "!",
            State::Fail => "✗",
            State::Skip => "-",
        }
    }

    fn color(self) -> &'static str {
        match self {
            State::Pass => "\x1b[32m",
            State::Warn => "\x1b[33m",
            State::Fail => "\x1b[31m",
            State::Skip => "\x1b[2m",
        }
    }
}

/// One line under a check (a phone number, an app).
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub status: State,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// One check.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// Stable id: `token_present`, `waba_id`, `token_valid`, `token_expiry`, `token_scopes`,
    /// `waba_reachable`, `phone_numbers`, `app_subscribed`, `api_version`.
    pub check: &'static str,
    pub title: &'static str,
    pub status: State,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Item>,
}

impl Check {
    fn new(
        check: &'static str,
        title: &'static str,
        status: State,
        detail: impl Into<String>,
    ) -> Self {
        Check {
            check,
            title,
            status,
            detail: detail.into(),
            fix: None,
            items: Vec::new(),
        }
    }

    fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    fn skip(check: &'static str, title: &'static str, why: &str) -> Self {
        Check::new(check, title, State::Skip, format!("not checked: {why}"))
    }
}

/// Why the remote checks stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// Meta could not be reached (exit 3).
    Unreachable,
    /// Meta refused the token: every further call would be refused the same way.
    Refused,
}

pub fn run(cx: &Context, args: &DoctorArgs) -> Result<ExitStatus, WtError> {
    let config = cx.config()?;
    let account = cx.account(&config)?;
    let now = cx.now();
    let mut checks = Vec::new();
    let mut missing_config = false;

    let getenv = |k: &str| cx.getenv(k);
    let token_source = match remote::read_token(&account, &getenv) {
        Ok((_, source)) => {
            checks.push(Check::new(
                "token_present",
                "token present",
                State::Pass,
                source.clone(),
            ));
            Some(source)
        }
        Err(e) => {
            missing_config = true;
            let (message, help) = parts(&e);
            let mut c = Check::new("token_present", "token present", State::Fail, message);
            c.fix = help;
            checks.push(c);
            None
        }
    };
    match &account.waba_id {
        Some(id) if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) => {
            checks.push(Check::new("waba_id", "WABA id", State::Pass, id.clone()));
        }
        // Not echoed: a value that is not a numeric id is often something pasted into the
        // wrong variable, such as the token.
        Some(_) => {
            missing_config = true;
            checks.push(
                Check::new("waba_id", "WABA id", State::Fail, "the configured WABA id is not a numeric id (its value is not shown)")
                    .fix("set WA_WABA_ID, or `waba_id` under [account] in wt.toml, to the digits Meta Business Suite → WhatsApp accounts shows; if the token was pasted there, move it to the token variable"),
            );
        }
        None => {
            missing_config = true;
            checks.push(
                Check::new("waba_id", "WABA id", State::Fail, "no WhatsApp Business Account id is configured")
                    .fix("set WA_WABA_ID=<id>, or `waba_id = \"<id>\"` under [account] in wt.toml (Meta Business Suite → WhatsApp accounts shows the id)"),
            );
        }
    }

    let mut stop = None;
    let mut served = None;
    if missing_config {
        let why = "needs a token and a WABA id";
        skip_remote(&mut checks, why);
    } else {
        match remote::connect(cx, &config) {
            Ok(conn) => {
                stop = remote_checks(
                    &conn,
                    &account,
                    now,
                    token_source.as_deref().unwrap_or("the token"),
                    &mut checks,
                );
                served = conn.client.served_version();
            }
            Err(e) => {
                missing_config = true;
                let (message, help) = parts(&e);
                let mut c = Check::new("token_valid", "token valid", State::Fail, message);
                c.fix = help;
                checks.push(c);
                let rest = "the account settings above are not usable";
                checks.push(Check::skip("token_expiry", "token expiry", rest));
                checks.push(Check::skip("token_scopes", "token permissions", rest));
                checks.push(Check::skip("waba_reachable", "WABA reachable", rest));
                checks.push(Check::skip("phone_numbers", "phone numbers", rest));
                checks.push(Check::skip("app_subscribed", "app subscribed", rest));
            }
        }
    }
    checks.push(version_check(&account.api_version, served.as_deref(), now));

    match args.format {
        Format::Json => {
            let count = |s: State| checks.iter().filter(|c| c.status == s).count();
            let v = serde_json::json!({
                "version": 1,
                "checks": checks,
                "summary": {
                    "passed": count(State::Pass),
                    "warnings": count(State::Warn),
                    "failed": count(State::Fail),
                    "skipped": count(State::Skip),
                },
            });
            print(&(serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"))?;
        }
        Format::Human if cx.global.quiet => {
            // Quiet: only what needs attention, no summary line.
            let shown: Vec<Check> = checks
                .iter()
                .filter(|c| matches!(c.status, State::Warn | State::Fail))
                .cloned()
                .collect();
            let text = human(&shown, cx.color());
            let body = text.rsplit_once('\n').map_or("", |(a, _)| a);
            let body = body.rsplit_once('\n').map_or("", |(a, _)| a);
            if !body.is_empty() {
                print(&format!("{body}\n"))?;
            }
        }
        Format::Human => print(&human(&checks, cx.color()))?,
    }
    let failed = checks.iter().any(|c| c.status == State::Fail);
    Ok(if missing_config {
        ExitStatus::Usage
    } else if stop == Some(Stop::Unreachable) {
        ExitStatus::Remote
    } else if failed {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}

/// Message and help of an error, for a check line.
fn parts(e: &WtError) -> (String, Option<String>) {
    match e {
        WtError::Usage { message, help } | WtError::Remote { message, help } => {
            (message.clone(), help.clone())
        }
        WtError::Config { message, help, .. } => (message.clone(), help.clone()),
        other => (other.to_string(), None),
    }
}

fn skip_remote(checks: &mut Vec<Check>, why: &str) {
    for (id, title) in [
        ("token_valid", "token valid"),
        ("token_expiry", "token expiry"),
        ("token_scopes", "token permissions"),
        ("waba_reachable", "WABA reachable"),
        ("phone_numbers", "phone numbers"),
        ("app_subscribed", "app subscribed"),
    ] {
        checks.push(Check::skip(id, title, why));
    }
}

/// Whether an error means Meta could not be reached (after the client's retries).
fn unreachable(e: &ApiError) -> bool {
    matches!(
        e,
        ApiError::Network { .. }
            | ApiError::Timeout { .. }
            | ApiError::Decode { .. }
            | ApiError::Redirect { .. }
            | ApiError::ThrottledTooLong { .. }
    ) || e.is_retryable()
}

/// The checks that call Meta, in order; stops early when Meta is unreachable or refuses
/// the token (the rest are shown as not run).
fn remote_checks(
    conn: &Connection,
    account: &Account,
    now: i64,
    token_source: &str,
    checks: &mut Vec<Check>,
) -> Option<Stop> {
    let waba = conn.client.waba_id().to_string();
    let new_token_fix = format!(
        "create a system-user token (Meta Business Suite → Business settings → System users → Generate new token, expiration Never) with the {SCOPE_MANAGEMENT} and {SCOPE_MESSAGING} permissions and WABA {waba} as an asset, and put it in {token_source}"
    );
    let unreachable_fix = format!(
        "check the network and the Graph API URL {} (`graph_url`, WT_GRAPH_URL), then run wt doctor again",
        account.graph_url
    );
    let mut token_app = None;

    // Token: valid, expiry, permissions.
    match conn.client.account().debug_token() {
        Ok(info) => {
            token_app = info.app_id.clone();
            checks.extend(token_checks(
                &info,
                &waba,
                now,
                &new_token_fix,
                token_source,
            ));
        }
        Err(e) if e.is_auth_error() => {
            checks.push(
                Check::new(
                    "token_valid",
                    "token valid",
                    State::Fail,
                    format!("Meta refused the token: {}", conn.redact(&summary(&e))),
                )
                .fix(new_token_fix),
            );
            let why = "Meta refused the token";
            checks.push(Check::skip("token_expiry", "token expiry", why));
            checks.push(Check::skip("token_scopes", "token permissions", why));
            checks.push(Check::skip("waba_reachable", "WABA reachable", why));
            checks.push(Check::skip("phone_numbers", "phone numbers", why));
            checks.push(Check::skip("app_subscribed", "app subscribed", why));
            return Some(Stop::Refused);
        }
        Err(e) if unreachable(&e) => {
            checks.push(
                Check::new(
                    "token_valid",
                    "token valid",
                    State::Fail,
                    format!("Meta could not be reached: {}", conn.redact(&e.to_string())),
                )
                .fix(unreachable_fix),
            );
            let why = "Meta could not be reached";
            checks.push(Check::skip("token_expiry", "token expiry", why));
            checks.push(Check::skip("token_scopes", "token permissions", why));
            checks.push(Check::skip("waba_reachable", "WABA reachable", why));
            checks.push(Check::skip("phone_numbers", "phone numbers", why));
            checks.push(Check::skip("app_subscribed", "app subscribed", why));
            return Some(Stop::Unreachable);
        }
        Err(e) => {
            // Some tokens may not inspect themselves; the WABA call below still proves
            // whether the token works.
            checks.push(
                Check::new("token_valid", "token valid", State::Warn, format!("Meta did not let wt inspect the token (debug_token): {}", conn.redact(&summary(&e))))
                    .fix("wt doctor cannot check expiry and permissions of this token; the WABA check below shows whether it works"),
            );
            let why = "the token could not be inspected";
            checks.push(Check::skip("token_expiry", "token expiry", why));
            checks.push(Check::skip("token_scopes", "token permissions", why));
        }
    }

    // WABA reachable.
    match conn.client.account().waba() {
        Ok(info) => {
            let name = info
                .name
                .as_deref()
                .map(|n| format!(" \"{n}\""))
                .unwrap_or_default();
            let review = info.account_review_status.as_deref().unwrap_or("");
            let mut c = Check::new(
                "waba_reachable",
                "WABA reachable",
                State::Pass,
                if review.is_empty() {
                    format!("{waba}{name}")
                } else {
                    format!("{waba}{name}, account review {review}")
                },
            );
            match review.to_ascii_uppercase().as_str() {
                "REJECTED" => {
                    c.status = State::Fail;
                    c.fix = Some("Meta rejected the account review: templates cannot be sent; see Account quality in WhatsApp Manager and request a review".into());
                }
                "PENDING" => {
                    c.status = State::Warn;
                    c.fix = Some("Meta is still reviewing the account; sending is limited until it is approved".into());
                }
                _ => {}
            }
            checks.push(c);
        }
        Err(e) => {
            let stop = if e.is_auth_error() {
                Some(Stop::Refused)
            } else if unreachable(&e) {
                Some(Stop::Unreachable)
            } else {
                None
            };
            let not_found = e.is_meta(codes::INVALID_PARAMETER, Some(SUB_OBJECT_NOT_FOUND))
                || e.code().is_some_and(|c| {
                    c == codes::PERMISSION_DENIED
                        || (codes::PERMISSION_RANGE_START..=codes::PERMISSION_RANGE_END)
                            .contains(&c)
                });
            let (detail, fix) = match stop {
                Some(Stop::Unreachable) => (format!("Meta could not be reached: {}", conn.redact(&e.to_string())), unreachable_fix.clone()),
                Some(Stop::Refused) => (format!("Meta refused the token for WABA {waba}: {}", conn.redact(&summary(&e))), new_token_fix.clone()),
                None if not_found => (
                    format!("WABA {waba} does not exist or this token may not read it: {}", conn.redact(&summary(&e))),
                    format!("check WA_WABA_ID / `[account] waba_id` (Meta Business Suite → WhatsApp accounts shows the id), and that WABA {waba} is an asset of the token's system user"),
                ),
                None => (conn.redact(&e.to_string()), format!("`wt explain {}` explains Meta's error", e.code().unwrap_or(100))),
            };
            checks
                .push(Check::new("waba_reachable", "WABA reachable", State::Fail, detail).fix(fix));
            let why = match stop {
                Some(Stop::Unreachable) => "Meta could not be reached",
                Some(Stop::Refused) => "Meta refused the token",
                None => "the WABA could not be read",
            };
            checks.push(Check::skip("phone_numbers", "phone numbers", why));
            checks.push(Check::skip("app_subscribed", "app subscribed", why));
            return stop;
        }
    }

    // Phone numbers.
    match conn.client.account().phone_numbers() {
        Ok(numbers) => checks.push(phone_check(
            &numbers,
            account.phone_number_id.as_deref(),
            &waba,
        )),
        Err(e) => {
            let unreachable = unreachable(&e);
            checks.push(
                Check::new(
                    "phone_numbers",
                    "phone numbers",
                    State::Fail,
                    conn.redact(&e.to_string()),
                )
                .fix(if unreachable {
                    unreachable_fix.clone()
                } else {
                    format!(
                        "`wt explain {}` explains Meta's error",
                        e.code().unwrap_or(100)
                    )
                }),
            );
            if unreachable {
                checks.push(Check::skip(
                    "app_subscribed",
                    "app subscribed",
                    "Meta could not be reached",
                ));
                return Some(Stop::Unreachable);
            }
        }
    }

    // Subscribed apps.
    match conn.client.account().subscribed_apps() {
        Ok(apps) => checks.push(apps_check(&apps, account, token_app.as_deref(), &waba)),
        Err(e) => {
            let unreachable = unreachable(&e);
            checks.push(
                Check::new(
                    "app_subscribed",
                    "app subscribed",
                    State::Fail,
                    conn.redact(&e.to_string()),
                )
                .fix(if unreachable {
                    unreachable_fix
                } else {
                    format!(
                        "`wt explain {}` explains Meta's error",
                        e.code().unwrap_or(100)
                    )
                }),
            );
            if unreachable {
                return Some(Stop::Unreachable);
            }
        }
    }
    None
}

fn summary(e: &ApiError) -> String {
    e.meta().map_or_else(|| e.to_string(), ToString::to_string)
}

/// Valid, expiry and permission checks from `debug_token`'s answer.
fn token_checks(
    info: &TokenInfo,
    waba: &str,
    now: i64,
    new_token_fix: &str,
    token_source: &str,
) -> Vec<Check> {
    let mut out = Vec::new();
    let kind = info.token_type.as_deref().unwrap_or("access");
    let app = match (&info.application, &info.app_id) {
        (Some(name), Some(id)) => format!(" of app \"{name}\" ({id})"),
        (None, Some(id)) => format!(" of app {id}"),
        (Some(name), None) => format!(" of app \"{name}\""),
        (None, None) => String::new(),
    };
    if info.is_valid {
        out.push(Check::new(
            "token_valid",
            "token valid",
            State::Pass,
            format!("{kind} token{app}"),
        ));
    } else {
        out.push(
            Check::new("token_valid", "token valid", State::Fail, format!("Meta says the {kind} token{app} is not valid (expired, revoked, or its user logged out)"))
                .fix(new_token_fix.to_string()),
        );
    }

    // Expiry: the earlier of token and data-access expiry; 0 means never.
    let expiries: Vec<(i64, &str)> = [
        (info.expires_at, "the token expires"),
        (info.data_access_expires_at, "its data access expires"),
    ]
    .into_iter()
    .filter_map(|(t, what)| t.filter(|&t| t > 0).map(|t| (t, what)))
    .collect();
    let check = match expiries.iter().min_by_key(|(t, _)| *t) {
        None => Check::new("token_expiry", "token expiry", State::Pass, "never expires"),
        Some(&(at, what)) => {
            let days = (at - now).div_euclid(86_400);
            let when = date_string(at);
            if at <= now {
                Check::new(
                    "token_expiry",
                    "token expiry",
                    State::Fail,
                    format!("{what} on {when}: it has expired"),
                )
                .fix(new_token_fix.to_string())
            } else if days < EXPIRY_MARGIN_DAYS {
                Check::new(
                    "token_expiry",
                    "token expiry",
                    State::Fail,
                    format!("{what} on {when}, in {}", plural_days(days)),
                )
                .fix(format!("replace it before then: {new_token_fix}"))
            } else {
                Check::new(
                    "token_expiry",
                    "token expiry",
                    State::Pass,
                    format!("{what} on {when}, in {}", plural_days(days)),
                )
            }
        }
    };
    out.push(check);

    let mut missing = Vec::new();
    let mut elsewhere = Vec::new();
    for scope in [SCOPE_MANAGEMENT, SCOPE_MESSAGING] {
        if !info.has_scope(scope) {
            missing.push(scope);
        } else if !info.has_scope_for(scope, waba) {
            elsewhere.push(scope);
        }
    }
    let check = if missing.is_empty() && elsewhere.is_empty() {
        Check::new(
            "token_scopes",
            "token permissions",
            State::Pass,
            format!("{SCOPE_MANAGEMENT}, {SCOPE_MESSAGING} for WABA {waba}"),
        )
    } else {
        let mut problems = Vec::new();
        if !missing.is_empty() {
            problems.push(format!("missing {}", missing.join(", ")));
        }
        if !elsewhere.is_empty() {
            problems.push(format!(
                "{} granted for other WABAs only, not {waba}",
                elsewhere.join(", ")
            ));
        }
        Check::new("token_scopes", "token permissions", State::Fail, problems.join("; ")).fix(format!(
            "in Business settings → System users, assign WABA {waba} to the token's user and generate a new token with {SCOPE_MANAGEMENT} and {SCOPE_MESSAGING}; put it in {token_source}"
        ))
    };
    out.push(check);
    out
}

fn plural_days(n: i64) -> String {
    if n == 1 {
        "1 day".to_string()
    } else {
        format!("{n} days")
    }
}

/// Each number with its status, quality and display-name status. Only the configured
/// `phone_number_id` decides the check when set; otherwise every number does.
fn phone_check(numbers: &[PhoneNumber], configured: Option<&str>, waba: &str) -> Check {
    if numbers.is_empty() {
        return Check::new("phone_numbers", "phone numbers", State::Fail, format!("WABA {waba} has no phone number"))
            .fix("add a phone number in WhatsApp Manager → Phone numbers and register it; templates are sent from a number");
    }
    let mut items = Vec::new();
    let mut decisive = Vec::new();
    for n in numbers {
        let (state, fix) = judge_number(n);
        let shown = n.display_phone_number.as_deref().unwrap_or("(no number)");
        let mut text = format!(
            "{shown} ({}): {}, quality {}",
            n.id,
            n.status.as_deref().unwrap_or("no status"),
            n.quality_rating.as_deref().unwrap_or("unknown")
        );
        if let Some(ns) = &n.name_status {
            text.push_str(&format!(", display name {ns}"));
        }
        if let Some(v) = &n.verified_name {
            text.push_str(&format!(", \"{v}\""));
        }
        let counts = configured.is_none_or(|c| c == n.id);
        if configured.is_some() && !counts {
            text.push_str(" (not the configured number)");
        }
        if counts {
            decisive.push(state);
        }
        items.push(Item {
            status: state,
            text,
            fix,
        });
    }
    let count = numbers.len();
    let plural = if count == 1 { "number" } else { "numbers" };
    let mut check = match configured {
        Some(id) if !numbers.iter().any(|n| n.id == id) => {
            let ids: Vec<&str> = numbers.iter().map(|n| n.id.as_str()).collect();
            Check::new(
                "phone_numbers",
                "phone numbers",
                State::Fail,
                format!("the configured phone number id {id} is not a number of WABA {waba}"),
            )
            .fix(format!(
                "set WA_PHONE_NUMBER_ID / `[account] phone_number_id` to one of: {}",
                ids.join(", ")
            ))
        }
        Some(id) => {
            let state = decisive.iter().copied().max().unwrap_or(State::Pass);
            Check::new(
                "phone_numbers",
                "phone numbers",
                state,
                format!("{count} {plural}; the configured number {id} decides"),
            )
        }
        None => {
            let state = decisive.iter().copied().max().unwrap_or(State::Pass);
            let bad = decisive.iter().filter(|s| **s == State::Fail).count();
            let detail = if bad > 0 {
                format!("{bad} of {count} {plural} cannot send")
            } else {
                format!("{count} {plural}")
            };
            let mut c = Check::new("phone_numbers", "phone numbers", state, detail);
            if bad > 0 && count > bad {
                c.fix = Some("if you send from one number only, set WA_PHONE_NUMBER_ID / `[account] phone_number_id` so only it is checked".into());
            }
            c
        }
    };
    check.items = items;
    check
}

/// A number's state and, when it is not fine, what to do.
fn judge_number(n: &PhoneNumber) -> (State, Option<String>) {
    let status = n.status.as_deref().unwrap_or("").to_ascii_uppercase();
    let quality = n
        .quality_rating
        .as_deref()
        .unwrap_or("")
        .to_ascii_uppercase();
    let mut state = State::Pass;
    let mut fixes = Vec::new();
    match status.as_str() {
        "CONNECTED" => {}
        "PENDING" | "UNVERIFIED" => {
            state = State::Fail;
            fixes.push("finish registering the number: verify it with the code Meta sends, then register it (WhatsApp Manager → Phone numbers)".to_string());
        }
        "DISCONNECTED" => {
            state = State::Fail;
            fixes.push("register the number again with its two-step verification PIN (WhatsApp Manager → Phone numbers)".to_string());
        }
        "FLAGGED" | "RESTRICTED" | "RATE_LIMITED" => {
            state = State::Fail;
            fixes.push("Meta limits this number for low quality or policy: see its notifications in WhatsApp Manager and improve the templates sent from it".to_string());
        }
        "MIGRATED" | "DELETED" => {
            state = State::Fail;
            fixes.push("the number left this account: send from another number".to_string());
        }
        "" => {
            state = State::Warn;
            fixes.push(
                "Meta did not say the number's status; check it in WhatsApp Manager".to_string(),
            );
        }
        other => {
            debug_assert!(!PHONE_BAD_STATUSES.contains(&other));
            state = State::Warn;
            fixes.push(format!("status {other} is not one wt knows (Meta documents CONNECTED for a number that can send); check it in WhatsApp Manager"));
        }
    }
    match quality.as_str() {
        "RED" => {
            state = State::Fail;
            fixes.push("quality RED: recipients block or report its messages; review what it sends before Meta restricts it (WhatsApp Manager → Insights)".to_string());
        }
        "YELLOW" => {
            state = state.max(State::Warn);
            fixes.push("quality YELLOW: watch the templates with low quality scores (`wt status` shows them)".to_string());
        }
        _ => {}
    }
    if matches!(
        n.name_status
            .as_deref()
            .map(str::to_ascii_uppercase)
            .as_deref(),
        Some("DECLINED" | "EXPIRED")
    ) {
        state = state.max(State::Warn);
        fixes.push("the display name was declined or its certificate expired: request a new display name review in WhatsApp Manager".to_string());
    }
    debug_assert!(state != State::Fail || !fixes.is_empty());
    (state, (!fixes.is_empty()).then(|| fixes.join("; ")))
}

/// Apps subscribed to the WABA's webhooks.
fn apps_check(
    apps: &[SubscribedApp],
    account: &Account,
    token_app: Option<&str>,
    waba: &str,
) -> Check {
    let subscribe = format!(
        "subscribe the app that receives your webhooks: `curl -X POST -H \"Authorization: Bearer $TOKEN\" {}/{}/{waba}/subscribed_apps` with that app's token",
        account.graph_url.trim_end_matches('/'),
        account.api_version
    );
    if apps.is_empty() {
        return Check::new("app_subscribed", "app subscribed", State::Fail, format!("no app is subscribed to WABA {waba}: no webhooks (messages, template status) reach any app"))
            .fix(subscribe);
    }
    let shown: Vec<String> = apps
        .iter()
        .map(|a| match (&a.name, &a.id) {
            (Some(n), Some(id)) => format!("{n} ({id})"),
            (None, Some(id)) => id.clone(),
            (Some(n), None) => n.clone(),
            (None, None) => "(unnamed app)".to_string(),
        })
        .collect();
    let has = |id: &str| apps.iter().any(|a| a.id.as_deref() == Some(id));
    if let Some(id) = &account.app_id {
        if !has(id) {
            return Check::new(
                "app_subscribed",
                "app subscribed",
                State::Fail,
                format!(
                    "the configured app {id} is not subscribed; subscribed: {}",
                    shown.join(", ")
                ),
            )
            .fix(subscribe);
        }
        return Check::new(
            "app_subscribed",
            "app subscribed",
            State::Pass,
            shown.join(", "),
        );
    }
    match token_app {
        Some(id) if !has(id) => Check::new("app_subscribed", "app subscribed", State::Warn, format!("{}; the token's app {id} is not among them", shown.join(", ")))
            .fix(format!("fine if another app receives your webhooks (set WA_APP_ID / `[account] app_id` to check that one); otherwise {subscribe}")),
        _ => Check::new("app_subscribed", "app subscribed", State::Pass, shown.join(", ")),
    }
}

/// `v23.0` → 23; `None` when it is not `v<major>.0`.
fn major(version: &str) -> Option<u32> {
    let (maj, min) = version.strip_prefix('v')?.split_once('.')?;
    if min != "0" {
        return None;
    }
    maj.parse().ok()
}

fn day_of(date: &str) -> i64 {
    let mut it = date.split('-').map(|p| p.parse::<i64>().unwrap_or(0));
    let (y, m, d) = (
        it.next().unwrap_or(1970),
        it.next().unwrap_or(1),
        it.next().unwrap_or(1),
    );
    days_from_civil(
        y,
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

/// The Graph API version against [`GRAPH_VERSIONS`] on `now`, and against the version Meta
/// said it served (`facebook-api-version`), when a call was made.
pub fn version_check(version: &str, served: Option<&str>, now: i64) -> Check {
    const ID: &str = "api_version";
    const TITLE: &str = "API version";
    let today = now.div_euclid(86_400);
    let released: Vec<&(u32, &str, Option<&str>)> = GRAPH_VERSIONS
        .iter()
        .filter(|(_, rel, _)| day_of(rel) <= today)
        .collect();
    let newest = released.first().map_or(26, |(m, _, _)| *m);
    let set_fix = format!(
        "set `api_version = \"v{newest}.0\"` under [account] in wt.toml (or WHATSAPP_API_VERSION=v{newest}.0), the newest version wt knows"
    );
    let Some(maj) = major(version) else {
        return Check::new(
            ID,
            TITLE,
            State::Fail,
            // A short value is shown; a long one may be something pasted into the wrong
            // variable, such as the token.
            if version.len() <= 16 && version.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.') {
                format!("`{version}` is not a Graph API version like `v{newest}.0`")
            } else {
                format!("the configured value (not shown) is not a Graph API version like `v{newest}.0`")
            },
        )
        .fix(set_fix);
    };
    if let Some(s) = served.filter(|s| !s.eq_ignore_ascii_case(version)) {
        return Check::new(ID, TITLE, State::Fail, format!("{version} was requested but Meta answered with {s}: {version} has expired, and Meta serves the oldest version still available in its place")).fix(set_fix);
    }
    let Some(&(_, rel, expires)) = GRAPH_VERSIONS.iter().find(|(m, _, _)| *m == maj) else {
        let oldest = GRAPH_VERSIONS.last().map_or(13, |(m, _, _)| *m);
        return if maj < oldest {
            Check::new(ID, TITLE, State::Fail, format!("{version} expired long ago (every version before v{oldest}.0 had expired by 2024)")).fix(set_fix)
        } else {
            Check::new(ID, TITLE, State::Warn, format!("wt does not know {version}: the newest it knows is v{newest}.0 (Meta's changelog lists each version's expiry)")).fix(format!("check developers.facebook.com/docs/graph-api/changelog/versions, or {set_fix}"))
        };
    };
    // The oldest version still served today.
    let oldest_live = GRAPH_VERSIONS
        .iter()
        .filter(|(_, _, e)| e.is_none_or(|e| day_of(e) > today))
        .map(|(m, _, _)| *m)
        .min();
    match expires {
        Some(e) if day_of(e) <= today => Check::new(ID, TITLE, State::Fail, format!("{version} expired on {e}: Meta answers calls to it with the oldest version still available, not the one wt asked for")).fix(set_fix),
        Some(e) => {
            let days = day_of(e) - today;
            if oldest_live == Some(maj) || days <= VERSION_MARGIN_DAYS {
                Check::new(ID, TITLE, State::Warn, format!("{version} is the oldest version Meta still serves{}; it expires on {e}, in {}", if oldest_live == Some(maj) { "" } else { " soon" }, plural_days(days))).fix(set_fix)
            } else {
                Check::new(ID, TITLE, State::Pass, format!("{version}, served until {e}"))
            }
        }
        None => Check::new(ID, TITLE, State::Pass, format!("{version}, released {rel}, the newest wt knows")),
    }
}

/// The report: one line per check, fixes and items indented under it, a summary line.
pub fn human(checks: &[Check], color: bool) -> String {
    let paint = |s: State| {
        if color {
            format!("{}{}\x1b[0m", s.color(), s.mark())
        } else {
            s.mark().to_string()
        }
    };
    let mut out = String::new();
    for c in checks {
        out.push_str(&format!("{} {}: {}\n", paint(c.status), c.title, c.detail));
        for item in &c.items {
            out.push_str(&format!("    {} {}\n", paint(item.status), item.text));
            if let Some(f) = &item.fix {
                out.push_str(&format!("      fix: {f}\n"));
            }
        }
        if let Some(f) = &c.fix {
            out.push_str(&format!("    fix: {f}\n"));
        }
    }
    let count = |s: State| checks.iter().filter(|c| c.status == s).count();
    let mut summary = vec![format!("{} passed", count(State::Pass))];
    let (w, f, s) = (count(State::Warn), count(State::Fail), count(State::Skip));
    if w > 0 {
        summary.push(format!("{w} warning{}", if w == 1 { "" } else { "s" }));
    }
    if f > 0 {
        summary.push(format!("{f} failed"));
    }
    if s > 0 {
        summary.push(format!("{s} not run"));
    }
    out.push_str(&summary.join(", "));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(date: &str) -> i64 {
        day_of(date) * 86_400 + 12 * 3600
    }

    #[test]
    fn versions_table_is_ordered_and_chained() {
        for pair in GRAPH_VERSIONS.windows(2) {
            let (newer, older) = (pair[0], pair[1]);
            assert_eq!(newer.0, older.0 + 1, "{newer:?} {older:?}");
            assert!(day_of(newer.1) > day_of(older.1));
            // Meta's guarantee: at least two years from the version's own release.
            let expiry = day_of(older.2.expect("older versions have an expiry"));
            assert!(expiry >= day_of(older.1) + 730, "v{}", older.0);
        }
    }

    #[test]
    fn version_verdicts_on_a_given_day() {
        let now = at("2026-11-25");
        assert_eq!(version_check("v23.0", None, now).status, State::Pass);
        assert_eq!(version_check("v26.0", None, now).status, State::Pass);
        let oldest = version_check("v21.0", None, now);
        assert_eq!(oldest.status, State::Warn, "{oldest:?}");
        assert!(
            oldest.detail.contains("oldest version Meta still serves"),
            "{oldest:?}"
        );
        assert!(
            oldest.detail.contains("2027-01-21, in 57 days"),
            "{oldest:?}"
        );
        let expired = version_check("v20.0", None, now);
        assert_eq!(expired.status, State::Fail);
        assert!(
            expired.detail.contains("expired on 2026-09-24"),
            "{expired:?}"
        );
        assert!(expired.fix.as_deref().is_some_and(|f| f.contains("v26.0")));
        assert_eq!(version_check("v12.0", None, now).status, State::Fail);
        assert_eq!(version_check("v2.8", None, now).status, State::Fail);
        assert_eq!(version_check("v27.0", None, now).status, State::Warn);
        assert_eq!(version_check("23", None, now).status, State::Fail);
        // Meta answering with another version is proof the one asked for expired.
        let served = version_check("v23.0", Some("v24.0"), now);
        assert_eq!(served.status, State::Fail);
        assert_eq!(
            version_check("v23.0", Some("v23.0"), now).status,
            State::Pass
        );
        // Before v26.0 existed, v25.0 was the newest, and the fix names it.
        let earlier = version_check("v19.0", None, at("2026-06-01"));
        assert!(
            earlier.fix.as_deref().is_some_and(|f| f.contains("v25.0")),
            "{earlier:?}"
        );
    }

    fn number(status: &str, quality: &str) -> PhoneNumber {
        PhoneNumber {
            id: format!("{status}{quality}"),
            display_phone_number: Some("+1 631-555-5555".into()),
            status: Some(status.into()),
            quality_rating: Some(quality.into()),
            ..PhoneNumber::default()
        }
    }

    #[test]
    fn phone_numbers_are_judged_by_status_and_quality() {
        assert_eq!(judge_number(&number("CONNECTED", "GREEN")).0, State::Pass);
        assert_eq!(judge_number(&number("CONNECTED", "NA")).0, State::Pass);
        assert_eq!(judge_number(&number("CONNECTED", "YELLOW")).0, State::Warn);
        assert_eq!(judge_number(&number("CONNECTED", "RED")).0, State::Fail);
        assert_eq!(judge_number(&number("PENDING", "GREEN")).0, State::Fail);
        assert_eq!(judge_number(&number("LINKED", "GREEN")).0, State::Warn);
        for s in PHONE_BAD_STATUSES {
            let (state, fix) = judge_number(&number(s, "GREEN"));
            assert_eq!(state, State::Fail, "{s}");
            assert!(fix.is_some(), "{s}");
        }
        let good = number("CONNECTED", "GREEN");
        let bad = number("PENDING", "UNKNOWN");
        let both = [good.clone(), bad.clone()];
        assert_eq!(phone_check(&both, None, "1").status, State::Fail);
        assert_eq!(phone_check(&both, Some(&good.id), "1").status, State::Pass);
        assert_eq!(phone_check(&both, Some("404"), "1").status, State::Fail);
        assert_eq!(phone_check(&[], None, "1").status, State::Fail);
    }

    #[test]
    fn token_expiry_margin() {
        let now = at("2026-11-25");
        let info = |expires: i64| TokenInfo {
            is_valid: true,
            expires_at: Some(expires),
            scopes: vec![SCOPE_MANAGEMENT.into(), SCOPE_MESSAGING.into()],
            ..TokenInfo::default()
        };
        let state = |t: &TokenInfo| token_checks(t, "1", now, "fix", "$T")[1].status;
        assert_eq!(state(&info(0)), State::Pass);
        assert_eq!(state(&info(now + 30 * 86_400)), State::Pass);
        assert_eq!(state(&info(now + 3 * 86_400)), State::Fail);
        assert_eq!(state(&info(now - 1)), State::Fail);
        let data_access = TokenInfo {
            data_access_expires_at: Some(now + 86_400),
            ..info(0)
        };
        assert_eq!(state(&data_access), State::Fail);
    }

    #[test]
    fn human_output_is_readable_without_colour() {
        let checks = vec![
            Check::new("a", "token present", State::Pass, "$WA_ACCESS_TOKEN"),
            Check::new("b", "token permissions", State::Fail, "missing x").fix("grant x"),
            Check::skip("c", "WABA reachable", "Meta refused the token"),
        ];
        assert_eq!(
            human(&checks, false),
            "✓ token present: $WA_ACCESS_TOKEN\n✗ token permissions: missing x\n    fix: grant x\n- WABA reachable: not checked: Meta refused the token\n1 passed, 1 failed, 1 not run\n"
        );
        assert!(human(&checks, true).contains("\x1b[31m✗\x1b[0m"));
    }
}
