//! The Graph API client against the stateful fake (`tests/common/fake_graph.rs`) and
//! against Meta's own example bodies (`tests/fixtures/remote/`).

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::fake_graph::{FakeGraph, Fault, Review, ReviewRule};
use serde_json::{json, Value};
use wt::api::{
    codes, ApiError, Category, CreateOutcome, CreateTemplate, DeleteOutcome, EditOutcome,
    GraphClient, GraphConfig, ListFilter, MetaError, PagingProblem, ParameterFormat,
    PartialTemplate, RetryPolicy, Secret, Sleeper, TemplateStatus, STATUS_FIELDS,
};

/// Records the delays the client asks for instead of sleeping, so throttle waits of minutes
/// cost nothing.
#[derive(Default)]
struct RecordingSleeper(Mutex<Vec<Duration>>);

impl Sleeper for RecordingSleeper {
    fn sleep(&self, duration: Duration) {
        self.0.lock().unwrap().push(duration);
    }
}

impl RecordingSleeper {
    fn delays(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

fn config(fake: &FakeGraph) -> GraphConfig {
    GraphConfig {
        timeout: Duration::from_secs(5),
        retry: RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(4),
            max_throttle_wait: Duration::from_secs(10 * 60),
        },
        ..GraphConfig::new(
            fake.url(),
            "v23.0",
            fake.waba_id(),
            Secret::new(fake.token()),
        )
    }
}

fn client_with(config: GraphConfig) -> (GraphClient, Arc<RecordingSleeper>) {
    let sleeper = Arc::new(RecordingSleeper::default());
    let client = GraphClient::new(config)
        .unwrap()
        .with_sleeper(sleeper.clone());
    (client, sleeper)
}

fn client(fake: &FakeGraph) -> (GraphClient, Arc<RecordingSleeper>) {
    client_with(config(fake))
}

fn body(text: &str) -> Vec<Value> {
    vec![json!({"type": "BODY", "text": text, "example": {"body_text": [["Maria"]]}})]
}

fn new_template(name: &str, language: &str) -> CreateTemplate {
    CreateTemplate {
        name: name.to_owned(),
        language: language.to_owned(),
        category: Category::Utility,
        parameter_format: Some(ParameterFormat::Positional),
        components: body("Hello {{1}}, your order has shipped."),
        allow_category_change: None,
    }
}

/// Every rendering of an error that could reach a user or a log.
fn renderings(err: &ApiError) -> String {
    let mut all = format!("{err}\n{err:?}\n{err:#?}");
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        all.push_str(&format!("\n{s}\n{s:?}"));
        source = s.source();
    }
    all
}

fn assert_no_token(err: &ApiError, token: &str) {
    let text = renderings(err);
    assert!(!text.contains(token), "token leaked in: {text}");
}

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/remote/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

// ---------------------------------------------------------------------------------------
// Paging

#[test]
fn list_follows_paging_across_pages() {
    let fake = FakeGraph::start();
    fake.set_page_size(3);
    for i in 0..8 {
        fake.insert_template(
            &format!("t_{i}"),
            "en_US",
            "utility",
            "approved",
            body("Hi {{1}} there."),
        );
    }
    let (client, _) = client(&fake);
    let all = client.templates().list(&ListFilter::default()).unwrap();
    assert_eq!(all.len(), 8);
    assert_eq!(all[7].name, "t_7");
    assert_eq!(all[0].status, TemplateStatus::Approved);
    assert_eq!(all[0].quality_score.as_deref(), Some("UNKNOWN"));
    let gets = fake.requests_to("GET", "/message_templates");
    assert_eq!(gets.len(), 3, "8 templates at 3 per page");
    assert_eq!(client.request_count(), 3);
    for r in &gets {
        assert!(
            r.query
                .contains("fields=id,name,language,status,category,components"),
            "{}",
            r.query
        );
        assert!(r.authorized && !r.token_in_query);
    }
}

#[test]
fn paging_next_with_access_token_is_followed_without_it() {
    let fake = FakeGraph::start();
    fake.set_page_size(2);
    fake.set_next_includes_token(true);
    for i in 0..5 {
        fake.insert_template(
            &format!("t_{i}"),
            "en_US",
            "utility",
            "approved",
            body("Hi {{1}} there."),
        );
    }
    let (client, _) = client(&fake);
    assert_eq!(
        client
            .templates()
            .list(&ListFilter::default())
            .unwrap()
            .len(),
        5
    );
    assert!(fake.requests().iter().all(|r| !r.token_in_query));
}

#[test]
fn list_name_filter_is_exact_although_meta_matches_substrings() {
    let fake = FakeGraph::start();
    fake.insert_template("order", "en_US", "utility", "approved", body("a {{1}} b"));
    fake.insert_template(
        "order_shipped",
        "en_US",
        "utility",
        "approved",
        body("a {{1}} b"),
    );
    fake.insert_template("order", "pt_BR", "utility", "approved", body("a {{1}} b"));
    let (client, _) = client(&fake);
    let filter = ListFilter {
        name: Some("order".into()),
        ..ListFilter::default()
    };
    let found = client.templates().list(&filter).unwrap();
    assert_eq!(found.len(), 2);
    assert!(found.iter().all(|t| t.name == "order"));
    let one = client.templates().find("order", "pt_BR").unwrap().unwrap();
    assert_eq!(one.language, "pt_BR");
    assert!(client.templates().find("order", "de").unwrap().is_none());
}

#[test]
fn paging_loop_is_detected() {
    let fake = FakeGraph::start();
    fake.set_page_size(2);
    fake.set_paging_loop(true);
    for i in 0..6 {
        fake.insert_template(
            &format!("t_{i}"),
            "en_US",
            "utility",
            "approved",
            body("Hi {{1}} there."),
        );
    }
    let (client, _) = client(&fake);
    let err = client.templates().list(&ListFilter::default()).unwrap_err();
    assert!(
        matches!(
            err,
            ApiError::Paging {
                problem: PagingProblem::Loop { .. },
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("loop"), "{err}");
    assert!(fake.requests().len() <= 3);
}

#[test]
fn paging_stops_at_max_pages() {
    let fake = FakeGraph::start();
    fake.set_page_size(1);
    for i in 0..5 {
        fake.insert_template(
            &format!("t_{i}"),
            "en_US",
            "utility",
            "approved",
            body("Hi {{1}} there."),
        );
    }
    let (client, _) = client_with(GraphConfig {
        max_pages: 3,
        ..config(&fake)
    });
    let err = client.templates().list(&ListFilter::default()).unwrap_err();
    assert!(
        matches!(
            err,
            ApiError::Paging {
                problem: PagingProblem::TooManyPages { max_pages: 3 },
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn paging_next_on_another_origin_is_not_followed() {
    let fake = FakeGraph::start();
    let elsewhere = FakeGraph::start();
    fake.set_page_size(1);
    fake.set_next_origin(Some(&elsewhere.url()));
    fake.insert_template("a", "en_US", "utility", "approved", body("Hi {{1}} there."));
    fake.insert_template("b", "en_US", "utility", "approved", body("Hi {{1}} there."));
    let (client, _) = client(&fake);
    let err = client.templates().list(&ListFilter::default()).unwrap_err();
    assert!(
        matches!(
            err,
            ApiError::Paging {
                problem: PagingProblem::ForeignNextUrl { .. },
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        elsewhere.requests().is_empty(),
        "the token must not go to another host"
    );
}

// ---------------------------------------------------------------------------------------
// Round trip and review

#[test]
fn create_get_edit_delete_round_trip() {
    let fake = FakeGraph::start();
    fake.set_review_after(None);
    let (client, _) = client(&fake);
    let api = client.templates();

    let created = api.create(&new_template("order_shipped", "en_US")).unwrap();
    let CreateOutcome::Created(c) = &created else {
        panic!("expected Created, got {created:?}")
    };
    assert_eq!(c.status, TemplateStatus::Pending);
    assert_eq!(c.category, Category::Utility);
    let sent = &fake.requests_to("POST", "/message_templates")[0];
    assert_eq!(
        sent.body.as_ref().unwrap(),
        &json!({"name": "order_shipped", "language": "en_US", "category": "UTILITY",
                "parameter_format": "POSITIONAL", "components": body("Hello {{1}}, your order has shipped.")})
    );

    let got = api.get(created.id()).unwrap();
    assert_eq!(
        (got.name.as_str(), got.language.as_str()),
        ("order_shipped", "en_US")
    );
    assert_eq!(got.status, TemplateStatus::Pending);
    assert_eq!(got.parameter_format, Some(ParameterFormat::Positional));
    assert_eq!(got.components, body("Hello {{1}}, your order has shipped."));

    fake.review_all();
    assert_eq!(
        api.get(created.id()).unwrap().status,
        TemplateStatus::Approved
    );

    let new_components = body("Hello {{1}}, your parcel is on its way.");
    assert_eq!(
        api.edit(created.id(), None, &new_components).unwrap(),
        EditOutcome::Edited
    );
    let edited = api.get(created.id()).unwrap();
    assert_eq!(
        edited.status,
        TemplateStatus::Pending,
        "an edit goes back to review"
    );
    assert_eq!(
        edited.components, new_components,
        "components are replaced wholesale"
    );

    assert_eq!(
        api.delete("order_shipped", created.id()).unwrap(),
        DeleteOutcome::Deleted
    );
    assert!(api.list(&ListFilter::default()).unwrap().is_empty());
    let deletes = fake.requests_to("DELETE", "/message_templates");
    assert_eq!(
        deletes[0].query,
        format!("name=order_shipped&hsm_id={}", created.id())
    );

    // The name stays locked after delete (meta/api.md §1.5).
    let err = api
        .create(&new_template("order_shipped", "en_US"))
        .unwrap_err();
    assert!(
        err.is_meta(
            codes::INVALID_PARAMETER,
            Some(codes::SUB_NAME_BEING_DELETED)
        ),
        "{err}"
    );
    assert!(!err.is_retryable());
}

#[test]
fn delete_needs_name_and_id() {
    let fake = FakeGraph::start();
    let (client, _) = client(&fake);
    let err = client.templates().delete("order_shipped", "").unwrap_err();
    assert!(matches!(err, ApiError::InvalidArgument { .. }), "{err:?}");
    assert!(fake.requests().is_empty());
}

#[test]
fn review_clock_and_rules() {
    let fake = FakeGraph::start();
    fake.set_review_after(Some(2));
    let (client, _) = client(&fake);
    let api = client.templates();
    let ok = api.create(&new_template("fine_utility", "en_US")).unwrap();
    let rej = api.create(&new_template("rej_promo", "en_US")).unwrap();
    let recat = api.create(&new_template("recat_offer", "en_US")).unwrap();

    let first = api.get_fields(ok.id(), &["status"]).unwrap();
    assert_eq!(first.status, Some(TemplateStatus::Pending));
    assert_eq!(first.name, None, "only the requested fields come back");
    let second = api.get_fields(ok.id(), &["status", "category"]).unwrap();
    assert_eq!(
        second.status,
        Some(TemplateStatus::Approved),
        "approved after 2 reads"
    );

    let rejected = api.get_fields(rej.id(), STATUS_FIELDS).unwrap();
    assert_eq!(rejected.status, Some(TemplateStatus::Rejected));
    assert_eq!(rejected.rejected_reason.as_deref(), Some("PROMOTIONAL"));
    assert_eq!(rejected.quality_score.as_deref(), Some("UNKNOWN"));

    let moved = api.get(recat.id()).unwrap();
    assert_eq!(moved.status, TemplateStatus::Approved);
    assert_eq!(moved.category, Category::Marketing);
    assert_eq!(moved.previous_category.as_deref(), Some("UTILITY"));

    fake.set_review_rules(vec![ReviewRule {
        prefix: String::new(),
        outcome: Review::Reject("INVALID_FORMAT".into()),
    }]);
    let bad = api.create(&new_template("anything", "en_US")).unwrap();
    fake.review_all();
    assert_eq!(api.get(bad.id()).unwrap().status, TemplateStatus::Rejected);
}

#[test]
fn edit_rules_pending_budget_and_category() {
    let fake = FakeGraph::start();
    fake.set_review_after(None);
    let (client, _) = client(&fake);
    let api = client.templates();
    let t = api.create(&new_template("budget", "en_US")).unwrap();

    let err = api
        .edit(t.id(), None, &body("Pending {{1}} edit."))
        .unwrap_err();
    assert!(
        err.is_meta(100, Some(codes::SUB_STATUS_CANNOT_CHANGE)),
        "{err}"
    );
    assert_eq!(
        fake.requests_to("POST", t.id()).len(),
        1,
        "validation errors are not retried"
    );

    fake.review_all();
    let err = api
        .edit(t.id(), Some(&Category::Marketing), &body("New {{1}} text."))
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(100),
        "category of an APPROVED template is fixed"
    );

    api.edit(t.id(), None, &body("First {{1}} edit.")).unwrap();
    fake.review_all();
    let err = api
        .edit(t.id(), None, &body("Second {{1}} edit."))
        .unwrap_err();
    assert!(
        err.is_meta(100, Some(codes::SUB_STATUS_CANNOT_CHANGE)),
        "1 edit per 24 h: {err}"
    );
    fake.advance_time(Duration::from_secs(25 * 3600));
    api.edit(t.id(), None, &body("Second {{1}} edit.")).unwrap();
}

// ---------------------------------------------------------------------------------------
// Error classes

#[test]
fn each_error_class_maps_right() {
    let fake = FakeGraph::start();
    let (client, _) = client_with(GraphConfig {
        retry: RetryPolicy::no_retries(),
        ..config(&fake)
    });
    let list = || client.templates().list(&ListFilter::default()).unwrap_err();
    let inject = |status, code, subcode, transient| {
        fake.fail_next(
            "GET",
            "",
            Fault::MetaError {
                status,
                code,
                subcode,
                transient,
            },
            1,
        );
    };

    inject(401, 190, Some(463), None);
    let e = list();
    assert!(e.is_auth_error() && !e.is_retryable(), "{e}");
    assert!(matches!(&e, ApiError::Meta { status: 401, error, .. } if error.code == 190));

    for code in [10, 200, 299] {
        inject(403, code, None, None);
        let e = list();
        assert!(e.is_auth_error() && !e.is_retryable(), "{code}: {e}");
    }

    for code in [4, 17, 80007, 80008, 613] {
        inject(400, code, None, None);
        let e = list();
        assert!(
            e.is_throttling() && e.is_retryable() && !e.is_auth_error(),
            "{code}: {e}"
        );
    }

    // Code wins over HTTP status: a 100 inside a 500 is still a validation error.
    inject(500, 100, Some(2_388_040), Some(false));
    let e = list();
    assert!(!e.is_retryable(), "{e}");
    assert_eq!(e.subcode(), Some(2_388_040));

    for code in [368, 131_031, 3, 192] {
        inject(403, code, None, Some(true));
        assert!(!list().is_retryable(), "{code} is never retried");
    }

    for code in [1, 2, 131_000, 131_016, 133_004] {
        inject(500, code, None, None);
        assert!(list().is_retryable(), "{code}");
    }
    inject(400, 12_345, None, Some(true));
    assert!(list().is_retryable(), "is_transient: true");

    fake.fail_next("GET", "", Fault::Html500, 1);
    let e = list();
    assert!(
        matches!(&e, ApiError::Decode { status: 500, .. }) && e.is_retryable(),
        "{e:?}"
    );
}

#[test]
fn wrong_token_is_an_auth_error_and_never_leaks() {
    let fake = FakeGraph::start();
    let wrong = "EAAwrong0token0echoed0back0by0meta0Qq7";
    let (client, _) = client_with(GraphConfig {
        token: Secret::new(wrong),
        ..config(&fake)
    });
    let err = client.templates().list(&ListFilter::default()).unwrap_err();
    assert!(err.is_auth_error(), "{err}");
    assert_eq!(err.code(), Some(codes::ACCESS_TOKEN));
    assert!(matches!(&err, ApiError::Meta { status: 401, .. }));
    assert_eq!(fake.requests().len(), 1, "190 is not retried");
    assert_no_token(&err, wrong);
    assert!(
        err.to_string().contains("Malformed access token ***"),
        "{err}"
    );
}

#[test]
fn validation_error_is_not_retried() {
    let fake = FakeGraph::start();
    let (client, _) = client(&fake);
    let err = client
        .templates()
        .create(&new_template("Order Shipped!", "en_US"))
        .unwrap_err();
    assert!(err.is_meta(100, Some(codes::SUB_NAME_FORMAT)), "{err}");
    assert_eq!(
        err.meta().and_then(MetaError::blame_field),
        Some(vec!["name".to_owned()])
    );
    assert_eq!(fake.requests().len(), 1, "exactly one request");
    assert!(
        err.to_string().contains("Name Format is Incorrect"),
        "{err}"
    );
}

#[test]
fn bad_category_and_missing_body_are_refused() {
    let fake = FakeGraph::start();
    let (client, _) = client(&fake);
    let mut t = new_template("x", "en_US");
    t.category = Category::Other("TRANSACTIONAL".into());
    assert_eq!(client.templates().create(&t).unwrap_err().code(), Some(100));
    let mut t = new_template("y", "en_US");
    t.components = vec![json!({"type": "FOOTER", "text": "f"})];
    assert_eq!(client.templates().create(&t).unwrap_err().code(), Some(100));
    assert!(fake.templates().is_empty());
}

#[test]
fn html_and_truncated_bodies_are_decode_errors_with_a_snippet() {
    let fake = FakeGraph::start();
    let (client, _) = client_with(GraphConfig {
        retry: RetryPolicy::no_retries(),
        ..config(&fake)
    });
    fake.insert_template("a", "en_US", "utility", "approved", body("Hi {{1}} there."));

    fake.fail_next("GET", "", Fault::Html500, 1);
    let err = client.templates().list(&ListFilter::default()).unwrap_err();
    let ApiError::Decode {
        status,
        snippet,
        reason,
        truncated,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*status, 500);
    assert!(snippet.starts_with("<!DOCTYPE html>"), "{snippet}");
    assert!(snippet.chars().count() <= 160);
    assert!(reason.contains("HTML"), "{reason}");
    assert!(!truncated);

    fake.fail_next("GET", "", Fault::Truncated, 1);
    let err = client.templates().list(&ListFilter::default()).unwrap_err();
    let ApiError::Decode {
        status,
        truncated,
        reason,
        snippet,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*status, 200);
    assert!(*truncated && err.is_retryable(), "{reason}");
    assert!(snippet.starts_with("{\"data\""), "{snippet}");
}

// ---------------------------------------------------------------------------------------
// Retries and throttling

#[test]
fn retries_5xx_then_succeeds() {
    let fake = FakeGraph::start();
    fake.insert_template("a", "en_US", "utility", "approved", body("Hi {{1}} there."));
    fake.fail_next("GET", "", Fault::Html500, 1);
    fake.fail_next("GET", "", Fault::Transient, 1);
    fake.fail_next("GET", "", Fault::Reset, 1);
    let events = Arc::new(AtomicUsize::new(0));
    let seen = events.clone();
    let (client, sleeper) = client(&fake);
    let client = client.with_observer(move |e| {
        assert!(!e.path.contains('?'));
        seen.fetch_add(1, Ordering::Relaxed);
    });
    let all = client.templates().list(&ListFilter::default()).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(client.request_count(), 4);
    assert_eq!(
        events.load(Ordering::Relaxed),
        4,
        "observer sees every exchange"
    );
    let delays = sleeper.delays();
    assert_eq!(delays.len(), 3);
    assert!(
        delays.iter().all(|d| *d <= Duration::from_millis(4)),
        "{delays:?}"
    );
}

#[test]
fn retries_give_up_after_max_attempts() {
    let fake = FakeGraph::start();
    fake.fail_next("GET", "", Fault::Transient, 10);
    let (client, sleeper) = client(&fake);
    let err = client.templates().list(&ListFilter::default()).unwrap_err();
    assert_eq!(err.code(), Some(codes::API_SERVICE));
    assert_eq!(fake.requests().len(), 4);
    assert_eq!(sleeper.delays().len(), 3);
}

#[test]
fn throttling_honours_the_usage_header() {
    let fake = FakeGraph::start();
    fake.insert_template("a", "en_US", "utility", "approved", body("Hi {{1}} there."));
    fake.fail_next(
        "GET",
        "",
        Fault::Throttle {
            code: 80008,
            regain_minutes: 2,
        },
        1,
    );
    fake.fail_next(
        "GET",
        "",
        Fault::Throttle {
            code: 4,
            regain_minutes: 0,
        },
        1,
    );
    fake.fail_next(
        "GET",
        "",
        Fault::Throttle {
            code: 80007,
            regain_minutes: 0,
        },
        1,
    );
    let (client, sleeper) = client(&fake);
    assert_eq!(
        client
            .templates()
            .list(&ListFilter::default())
            .unwrap()
            .len(),
        1
    );
    let delays = sleeper.delays();
    assert_eq!(delays.len(), 3);
    assert_eq!(
        delays[0],
        Duration::from_secs(120),
        "2 minutes from the header"
    );
    assert!(
        delays[1] <= Duration::from_millis(4),
        "no regain time: backoff"
    );
    let usage = client.last_usage().unwrap();
    assert_eq!(usage.entries[0].kind, "whatsapp_business_management");
}

#[test]
fn throttle_wait_beyond_the_cap_fails_at_once_with_a_clear_message() {
    let fake = FakeGraph::start();
    fake.fail_next(
        "GET",
        "",
        Fault::Throttle {
            code: 80008,
            regain_minutes: 45,
        },
        5,
    );
    let (client, sleeper) = client(&fake);
    let err = client.templates().list(&ListFilter::default()).unwrap_err();
    let ApiError::ThrottledTooLong { wait, max_wait, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*wait, Duration::from_secs(45 * 60));
    assert_eq!(*max_wait, Duration::from_secs(600));
    assert!(err.to_string().contains("45 min"), "{err}");
    assert!(err.to_string().contains("run again later"), "{err}");
    assert_eq!(fake.requests().len(), 1, "no calls while blocked");
    assert!(sleeper.delays().is_empty());
}

#[test]
fn creation_rate_limit_surfaces_as_throttling() {
    let fake = FakeGraph::start();
    fake.set_creation_limit(2);
    let (client, _) = client(&fake);
    let api = client.templates();
    api.create(&new_template("one", "en_US")).unwrap();
    api.create(&new_template("two", "en_US")).unwrap();
    let err = api.create(&new_template("three", "en_US")).unwrap_err();
    assert!(matches!(err, ApiError::ThrottledTooLong { .. }), "{err:?}");
    assert_eq!(err.code(), Some(codes::APP_RATE_LIMIT));
    fake.advance_time(Duration::from_secs(3601));
    api.create(&new_template("three", "en_US")).unwrap();
}

#[test]
fn timeouts_are_retried_then_reported() {
    let fake = FakeGraph::start();
    fake.fail_next("GET", "", Fault::Slow(Duration::from_millis(600)), 2);
    let (client, _) = client_with(GraphConfig {
        timeout: Duration::from_millis(200),
        retry: RetryPolicy {
            max_attempts: 2,
            ..config(&fake).retry
        },
        ..config(&fake)
    });
    let err = client.templates().list(&ListFilter::default()).unwrap_err();
    assert!(matches!(err, ApiError::Timeout { .. }), "{err:?}");
    assert!(err.to_string().contains("timed out after 200 ms"), "{err}");
    assert_eq!(client.request_count(), 2);
}

// ---------------------------------------------------------------------------------------
// Safe re-runs

#[test]
fn create_that_timed_out_but_succeeded_is_adopted_not_duplicated() {
    let fake = FakeGraph::start();
    fake.fail_next(
        "POST",
        "/message_templates",
        Fault::Slow(Duration::from_millis(700)),
        1,
    );
    let (client, _) = client_with(GraphConfig {
        timeout: Duration::from_millis(250),
        ..config(&fake)
    });
    let out = client
        .templates()
        .create(&new_template("order_shipped", "en_US"))
        .unwrap();
    assert!(out.was_adopted(), "{out:?}");
    let CreateOutcome::Adopted(t) = &out else {
        unreachable!()
    };
    assert_eq!(
        (t.name.as_str(), t.language.as_str()),
        ("order_shipped", "en_US")
    );
    let stored: Vec<_> = fake.templates();
    assert_eq!(stored.len(), 1, "exactly one template");
    assert_eq!(stored[0].id, out.id());
    let posts = fake.requests_to("POST", "/message_templates");
    assert_eq!(posts.len(), 2);
    assert_eq!(
        posts.iter().filter(|r| r.status == 200).count(),
        1,
        "one successful create"
    );
}

#[test]
fn create_answered_500_after_commit_is_adopted() {
    let fake = FakeGraph::start();
    fake.fail_next("POST", "/message_templates", Fault::FailAfterCommit, 1);
    let (client, _) = client(&fake);
    let out = client
        .templates()
        .create(&new_template("promo", "en_US"))
        .unwrap();
    assert!(out.was_adopted());
    assert_eq!(out.status(), &TemplateStatus::Pending);
    assert_eq!(fake.templates().len(), 1);
}

#[test]
fn duplicate_on_first_attempt_is_an_error_not_an_adoption() {
    let fake = FakeGraph::start();
    fake.insert_template(
        "order_shipped",
        "en_US",
        "utility",
        "approved",
        body("x {{1}} y"),
    );
    let (client, _) = client(&fake);
    let err = client
        .templates()
        .create(&new_template("order_shipped", "en_US"))
        .unwrap_err();
    assert!(err.is_meta(100, Some(codes::SUB_CONTENT_EXISTS)), "{err}");
    assert_eq!(fake.requests().len(), 1);
}

#[test]
fn edit_and_delete_that_timed_out_are_recognised_on_retry() {
    let fake = FakeGraph::start();
    let id = fake.insert_template("t", "en_US", "utility", "approved", body("Old {{1}} text."));
    let (client, _) = client_with(GraphConfig {
        timeout: Duration::from_millis(250),
        ..config(&fake)
    });
    let new = body("New {{1}} text.");
    fake.fail_next("POST", &id, Fault::Slow(Duration::from_millis(600)), 1);
    assert_eq!(
        client.templates().edit(&id, None, &new).unwrap(),
        EditOutcome::AlreadyApplied
    );

    fake.fail_next("DELETE", "", Fault::FailAfterCommit, 1);
    assert_eq!(
        client.templates().delete("t", &id).unwrap(),
        DeleteOutcome::AlreadyGone
    );
    assert!(fake.templates().is_empty());
}

/// Every attempt failed, but the first one was carried out (it answered 500 after
/// committing, the retries were refused and answered 500 too): the write looks once more
/// before failing, so the caller reports what is really in the account.
#[test]
fn writes_whose_every_attempt_failed_look_before_failing() {
    let fake = FakeGraph::start();
    let (client, _) = client(&fake);
    let t = client.templates();
    fake.fail_next("POST", "/message_templates", Fault::FailAfterCommit, 4);
    let created = t.create(&new_template("order_shipped", "en_US")).unwrap();
    assert!(created.was_adopted(), "{created:?}");
    assert_eq!(fake.templates().len(), 1);
    let id = created.id().to_owned();

    // Not carried out: the error stands after one look.
    fake.fail_next("POST", "/message_templates", Fault::Html500, 4);
    let err = t.create(&new_template("order_other", "en_US")).unwrap_err();
    assert!(
        matches!(err, ApiError::Decode { status: 500, .. }),
        "{err:?}"
    );
    assert_eq!(fake.requests_to("GET", "/message_templates").len(), 2);

    fake.update_template(&id, |t| t.status = "APPROVED".into());
    let new = body("New {{1}} text.");
    fake.fail_next("POST", &id, Fault::FailAfterCommit, 4);
    assert_eq!(
        t.edit(&id, None, &new).unwrap(),
        EditOutcome::AlreadyApplied
    );

    fake.fail_next("DELETE", "", Fault::FailAfterCommit, 4);
    assert_eq!(
        t.delete("order_shipped", &id).unwrap(),
        DeleteOutcome::AlreadyGone
    );
    assert!(fake.templates().is_empty());

    // Throttled calls were refused before any work: no look.
    fake.clear_requests();
    let throttled = Fault::Throttle {
        code: 80008,
        regain_minutes: 0,
    };
    fake.fail_next("POST", "/message_templates", throttled, 4);
    assert!(t.create(&new_template("order_third", "en_US")).is_err());
    assert_eq!(fake.requests().len(), 4, "{:#?}", fake.requests());
}

#[test]
fn chaos_run_converges_without_duplicates() {
    let fake = FakeGraph::start();
    fake.set_page_size(4);
    fake.set_chaos(
        42,
        35,
        vec![
            Fault::Html500,
            Fault::Transient,
            Fault::Reset,
            Fault::FailAfterCommit,
            Fault::Truncated,
        ],
    );
    let (client, _) = client_with(GraphConfig {
        retry: RetryPolicy {
            max_attempts: 8,
            ..config(&fake).retry
        },
        ..config(&fake)
    });
    let names: Vec<String> = (0..12).map(|i| format!("chaos_{i}")).collect();
    for name in &names {
        client
            .templates()
            .create(&new_template(name, "en_US"))
            .unwrap();
    }
    let listed = client.templates().list(&ListFilter::default()).unwrap();
    fake.clear_faults();
    let mut stored: Vec<String> = fake.templates().into_iter().map(|t| t.name).collect();
    stored.sort();
    let mut expected = names.clone();
    expected.sort();
    assert_eq!(stored, expected, "each template exactly once");
    assert_eq!(listed.len(), 12);
    assert!(
        fake.requests().iter().any(|r| r.fault.is_some()),
        "chaos injected faults"
    );
}

// ---------------------------------------------------------------------------------------
// Transport safety

#[test]
fn plain_http_to_a_non_loopback_host_is_refused_before_any_request() {
    for url in [
        "http://graph.facebook.com",
        "http://10.0.0.7:8080",
        "http://example.com/",
    ] {
        let config = GraphConfig::new(
            url,
            "v23.0",
            "123",
            Secret::new("EAAsecret0for0refusal0test"),
        );
        let err = GraphClient::new(config).unwrap_err();
        assert!(
            matches!(err, ApiError::InsecureUrl { .. }),
            "{url}: {err:?}"
        );
        assert!(err.to_string().contains("https://"), "{err}");
        assert_no_token(&err, "EAAsecret0for0refusal0test");
    }
}

#[test]
fn redirects_are_not_followed() {
    let fake = FakeGraph::start();
    let elsewhere = FakeGraph::start_with("other");
    fake.fail_next(
        "GET",
        "",
        Fault::Redirect(format!("{}/v23.0/x?access_token=abc", elsewhere.url())),
        1,
    );
    let (client, _) = client(&fake);
    let err = client.templates().list(&ListFilter::default()).unwrap_err();
    let ApiError::Redirect {
        status, location, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*status, 302);
    assert!(!location.contains("access_token"), "{location}");
    assert!(
        elsewhere.requests().is_empty(),
        "nothing reached the other host"
    );
    assert_eq!(fake.requests().len(), 1);
}

#[test]
fn debug_output_and_errors_never_contain_the_token() {
    let fake = FakeGraph::start();
    let token = fake.token().to_owned();
    let config = config(&fake);
    assert!(!format!("{config:?}").contains(&token));
    let (client, _) = client_with(GraphConfig {
        retry: RetryPolicy::no_retries(),
        ..config
    });
    assert!(!format!("{client:?}").contains(&token));

    // debug_token puts the token in the query string: no error may show it.
    let mut errors = Vec::new();
    for fault in [
        Fault::Html500,
        Fault::Reset,
        Fault::Truncated,
        Fault::Transient,
    ] {
        fake.fail_next("GET", "debug_token", fault, 1);
        errors.push(client.account().debug_token().unwrap_err());
    }
    fake.fail_next(
        "GET",
        "debug_token",
        Fault::Redirect(format!("{}/?input_token={token}", fake.url())),
        1,
    );
    errors.push(client.account().debug_token().unwrap_err());
    fake.fail_next(
        "GET",
        "debug_token",
        Fault::Respond {
            status: 500,
            body: format!("<html>{token}</html>"),
        },
        1,
    );
    errors.push(client.account().debug_token().unwrap_err());
    for err in &errors {
        assert_no_token(err, &token);
    }
    assert!(
        matches!(errors[1], ApiError::Network { .. }),
        "{:?}",
        errors[1]
    );
    let logged = fake.requests_to("GET", "/debug_token");
    assert!(logged.iter().all(|r| r.query == "input_token=***"));
}

// ---------------------------------------------------------------------------------------
// Account and Meta's example bodies

#[test]
fn account_calls_decode() {
    let fake = FakeGraph::start();
    let (client, _) = client(&fake);
    let info = client.account().debug_token().unwrap();
    assert!(info.is_valid);
    assert!(info.has_scope_for(wt::api::SCOPE_MANAGEMENT, fake.waba_id()));
    assert_eq!(info.expiry(), None, "system-user tokens do not expire");
    let phones = client.account().phone_numbers().unwrap();
    assert_eq!(phones.len(), 2);
    assert_eq!(phones[0].quality_rating.as_deref(), Some("GREEN"));
    let apps = client.account().subscribed_apps().unwrap();
    assert_eq!(apps[0].name.as_deref(), Some("Business Messaging App"));
}

#[test]
fn meta_example_bodies_decode_through_the_client() {
    let fake = FakeGraph::start();
    let (client, _) = client(&fake);
    let respond = |method: &str, file: &str, status: u16| {
        fake.fail_next(
            method,
            "",
            Fault::Respond {
                status,
                body: fixture(file),
            },
            1,
        );
    };

    respond("GET", "list_templates.json", 200);
    let listed = client.templates().list(&ListFilter::default()).unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].name, "hello_world");
    assert_eq!(
        listed[0].previous_category.as_deref(),
        Some("ACCOUNT_UPDATE")
    );
    assert_eq!(listed[1].category, Category::Marketing);
    assert_eq!(listed[1].components.len(), 4);

    respond("GET", "get_template.json", 200);
    let one = client.templates().get("920070352646140").unwrap();
    assert_eq!(one.status, TemplateStatus::Approved);

    respond("POST", "create_template.json", 200);
    let created = client
        .templates()
        .create(&new_template("x", "en_US"))
        .unwrap();
    assert_eq!(
        (created.id(), created.status()),
        ("1689556908129832", &TemplateStatus::Pending)
    );

    respond("POST", "edit_template.json", 200);
    assert_eq!(
        client.templates().edit("1", None, &[]).unwrap(),
        EditOutcome::Edited
    );
    respond("DELETE", "delete_template.json", 200);
    assert_eq!(
        client.templates().delete("x", "1").unwrap(),
        DeleteOutcome::Deleted
    );

    respond("GET", "phone_numbers.json", 200);
    assert_eq!(
        client.account().phone_numbers().unwrap()[1]
            .account_mode
            .as_deref(),
        Some("SANDBOX")
    );
    respond("GET", "subscribed_apps.json", 200);
    assert_eq!(client.account().subscribed_apps().unwrap().len(), 2);

    let cases = [
        ("error_190_invalid_token.json", 401, 190, true, false),
        ("error_200_permission.json", 403, 200, true, false),
        ("error_4_rate_limit.json", 429, 4, false, true),
        ("error_2_transient.json", 500, 2, false, true),
        ("error_100_2388024_exists.json", 400, 100, false, false),
    ];
    let (no_retry, _) = client_with(GraphConfig {
        retry: RetryPolicy::no_retries(),
        ..config(&fake)
    });
    for (file, status, code, auth, retryable) in cases {
        respond("GET", file, status);
        let err = no_retry
            .templates()
            .list(&ListFilter::default())
            .unwrap_err();
        assert_eq!(err.code(), Some(code), "{file}: {err}");
        assert_eq!(err.is_auth_error(), auth, "{file}");
        assert_eq!(err.is_retryable(), retryable, "{file}");
    }

    // The wire types also decode the files directly.
    let item: PartialTemplate = serde_json::from_str(&fixture("get_template.json")).unwrap();
    assert_eq!(item.name.as_deref(), Some("2023_april_promo"));
}

/// The decoder behind every listing (and the `graph_response` fuzz target): a page decodes, an
/// envelope that quotes the token is a redacted Meta error, HTML and truncated JSON are
/// Decode errors, and arbitrary bytes never panic.
#[test]
fn listing_decoder_handles_any_answer_without_leaking_the_token() {
    use wt::api::{ApiError, GraphClient, GraphConfig, Secret};
    const TOKEN: &str = "EAAGdecoderTOKEN987654321";
    let client = GraphClient::new(GraphConfig::new(
        "http://127.0.0.1:9",
        "v23.0",
        "102290129340398",
        Secret::new(TOKEN),
    ))
    .expect("valid loopback config");
    let page = br#"{"data":[{"id":"1","name":"order_shipped","language":"en_US","status":"APPROVED","category":"UTILITY","components":[{"type":"BODY","text":"Hi {{1}}"}]}]}"#;
    let ok = client
        .decode_listing_page(200, page)
        .expect("a page decodes");
    assert_eq!(ok[0].name, "order_shipped");
    let envelope = format!(
        r#"{{"error":{{"message":"(#190) Invalid token {TOKEN}","type":"OAuthException","code":190}}}}"#
    );
    let err = client
        .decode_listing_page(401, envelope.as_bytes())
        .unwrap_err();
    assert!(err.is_auth_error(), "{err}");
    assert!(!format!("{err} {err:?}").contains(TOKEN), "{err:?}");
    for (status, body) in [
        (502, &b"<html>502 Bad Gateway</html>"[..]),
        (200, &br#"{"data":[{"id":"1","na"#[..]),
    ] {
        let err = client.decode_listing_page(status, body).unwrap_err();
        assert!(matches!(err, ApiError::Decode { .. }), "{err:?}");
    }
    let mut seed = 0x2545_f491_u32;
    for _ in 0..2_000 {
        let len = (seed % 64) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                let alphabet = b"{}[]\":,0123 dataerror<>\\u";
                alphabet[seed as usize % alphabet.len()]
            })
            .collect();
        let _ = client.decode_listing_page(100 + (seed % 500) as u16, &bytes);
    }
}
