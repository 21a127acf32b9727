//! Adopting an existing account: `wt pull` and `wt doctor`, the real binary against the
//! stateful fake Graph API (`tests/common/fake_graph.rs`).
//!
//! The round trip of the done-criterion: a fake account of more than 300 templates
//! in seven languages (`tests/fixtures/pull/corpus_340.jsonl`, dressed with every header,
//! parameter and button kind Meta returns) → `wt pull` → `wt lint` → `wt plan` reports
//! every template unchanged.
//!
//! Every run goes through [`Project::run_env`], which asserts that no token given to the
//! binary appears in its stdout or stderr, raw or percent-encoded.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::fake_graph::{FakeGraph, Fault};
use common::run::Out;
use serde_json::{json, Value};

/// A project directory (with `templates/`) pointed at a fake.
struct Project {
    dir: tempfile::TempDir,
    fake: FakeGraph,
}

impl Project {
    fn new() -> Self {
        Self::with_fake(FakeGraph::start())
    }

    fn with_fake(fake: FakeGraph) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        Project { dir, fake }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn templates_dir(&self) -> PathBuf {
        self.path().join("templates")
    }

    fn run(&self, args: &[&str]) -> Out {
        self.run_env(args, &[("WA_ACCESS_TOKEN", Some(self.fake.token()))])
    }

    fn command(&self, args: &[&str], env: &[(&str, Option<&str>)]) -> (Command, Vec<String>) {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_wt"));
        cmd.current_dir(self.path())
            .env_clear()
            .env("WT_GRAPH_URL", self.fake.url())
            .env("WA_WABA_ID", self.fake.waba_id())
            .env("WT_RETRY_BASE_MS", "1")
            .env("NO_COLOR", "1")
            .args(args);
        let mut secrets = vec![self.fake.token().to_string()];
        for (k, v) in env {
            match v {
                Some(v) => {
                    cmd.env(k, v);
                    if k.contains("TOKEN") && !k.ends_with("_FILE") {
                        secrets.push((*v).to_string());
                    }
                }
                None => {
                    cmd.env_remove(k);
                }
            }
        }
        (cmd, secrets)
    }

    /// Runs `wt` with the fake's URL and WABA, fast retries, and `env` (None = unset).
    fn run_env(&self, args: &[&str], env: &[(&str, Option<&str>)]) -> Out {
        let (mut cmd, secrets) = self.command(args, env);
        let o = cmd.output().expect("run wt");
        let out = Out::from_output(&o);
        assert_no_secret(&out, &secrets, args);
        out
    }

    fn files(&self) -> BTreeMap<String, String> {
        files_in(&self.templates_dir())
    }
}

/// No secret, raw or percent-encoded (as it travels in `debug_token`'s query string), in
/// stdout or stderr (miette's wrapping undone).
fn assert_no_secret(out: &Out, secrets: &[String], args: &[&str]) {
    let joined_err: String = out
        .stderr
        .split_whitespace()
        .filter(|w| *w != "│")
        .collect();
    let joined_out: String = out.stdout.split_whitespace().collect();
    for s in secrets.iter().filter(|s| s.len() >= 8) {
        let encoded: String = url_encode(s);
        for form in [s.as_str(), encoded.as_str()] {
            assert!(
                !out.stdout.contains(form)
                    && !out.stderr.contains(form)
                    && !joined_err.contains(form)
                    && !joined_out.contains(form),
                "token leaked in `wt {}`:\n{out}",
                args.join(" ")
            );
        }
    }
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Relative path → text of every file under `dir` (dot-files included).
fn files_in(dir: &Path) -> BTreeMap<String, String> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read_to_string(&p).unwrap_or_default());
            }
        }
    }
    let mut out = BTreeMap::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out
}

// ---------------------------------------------------------------------------------------
// The fake account

#[derive(serde::Deserialize)]
struct Row {
    name: String,
    language: String,
    category: String,
    body: String,
}

fn corpus() -> Vec<Row> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pull/corpus_340.jsonl");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The highest `{{n}}` in `text`.
fn max_var(text: &str) -> usize {
    let mut max = 0;
    let mut rest = text;
    while let Some(i) = rest.find("{{") {
        rest = &rest[i + 2..];
        let end = rest.find("}}").unwrap_or(0);
        if let Ok(n) = rest[..end].parse::<usize>() {
            max = max.max(n);
        }
    }
    max
}

const EXAMPLES: &[&str] = &[
    "Maria", "#4521", "12 March", "Lisbon", "$25.00", "10:30", "DHL", "4521", "Friday", "José",
];

fn positional_examples(n: usize, salt: usize) -> Vec<String> {
    (0..n)
        .map(|i| EXAMPLES[(i + salt) % EXAMPLES.len()].to_string())
        .collect()
}

const NAMES: &[&str] = &[
    "first_name",
    "order_id",
    "delivery_date",
    "store_name",
    "amount",
    "tracking_code",
    "city",
    "pickup_time",
    "courier",
    "coupon_code",
    "weekday",
    "last_name",
    "invoice_id",
    "due_date",
    "plan_name",
    "branch",
    "agent_name",
    "ticket_id",
    "hours",
    "points",
];

fn named(text: &str) -> String {
    let mut out = text.to_string();
    for n in (1..=max_var(text)).rev() {
        out = out.replace(
            &format!("{{{{{n}}}}}"),
            &format!("{{{{{}}}}}", NAMES[n - 1]),
        );
    }
    out
}

fn cdn(kind: &str, i: usize) -> String {
    let ext = match kind {
        "IMAGE" => "jpg",
        "VIDEO" => "mp4",
        _ => "pdf",
    };
    format!(
        "https://scontent.whatsapp.net/v/t61.29466-34/{}_n.{ext}?ccb=1-7&_nc_sid=8b1bef&_nc_ohc=Zx{i}&oh=01_Q5AaI&oe=6789ABCD",
        4_000_000 + i
    )
}

/// Meta's preset authentication texts, per language (body, footer); the OTP button text.
fn auth_texts(lang: &str) -> (&'static str, &'static str, &'static str) {
    match lang {
        "es" => (
            "*{{1}}* es tu código de verificación. Por tu seguridad, no lo compartas.",
            "Este código caduca en 10 minutos.",
            "Copiar código",
        ),
        "pt_BR" => (
            "*{{1}}* é seu código de verificação. Para sua segurança, não o compartilhe.",
            "Este código expira em 10 minutos.",
            "Copiar código",
        ),
        "de" => (
            "*{{1}}* ist dein Bestätigungscode. Teile diesen Code aus Sicherheitsgründen nicht.",
            "Dieser Code läuft in 10 Minuten ab.",
            "Code kopieren",
        ),
        _ => (
            "*{{1}}* is your verification code. For your security, do not share this code.",
            "This code expires in 10 minutes.",
            "Copy code",
        ),
    }
}

/// What [`seed`] put into the account.
#[derive(Debug, Default)]
struct Seeded {
    /// Live (name, language) templates: what pull writes and plan compares.
    templates: usize,
    names: BTreeSet<String>,
    languages: BTreeSet<String>,
    kinds: BTreeMap<&'static str, usize>,
    statuses: BTreeMap<String, usize>,
    /// Names filed under more than one category.
    mixed_categories: usize,
    /// Templates Meta re-filed from UTILITY to MARKETING.
    refiled: usize,
    /// Extra templates being deleted (not live).
    deleting: usize,
}

impl Seeded {
    fn kind(&mut self, k: &'static str) {
        *self.kinds.entry(k).or_default() += 1;
    }
}

/// Fills the fake with the corpus as multi-language templates (see the module doc).
fn seed(fake: &FakeGraph) -> Seeded {
    let rows: Vec<Row> = corpus()
        .into_iter()
        .filter(|r| r.category != "AUTHENTICATION")
        .collect();
    // Group rows into names of 1–4 languages of one category.
    // One open group per category; a row joins its category's group unless the language
    // is already there or the group is full.
    let sizes = [1, 2, 3, 4, 3, 2];
    let mut groups: Vec<Vec<Row>> = Vec::new();
    let mut open: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    for row in rows {
        let target = sizes[groups.len() % sizes.len()];
        let current = open.entry(row.category.clone()).or_default();
        if current.iter().any(|r| r.language == row.language) || current.len() >= target {
            groups.push(std::mem::take(current));
        }
        current.push(row);
    }
    groups.extend(open.into_values().filter(|g| !g.is_empty()));

    let mut s = Seeded::default();
    let mut counter = 0usize;
    let mut status = |s: &mut Seeded| {
        counter += 1;
        let st = match counter {
            c if c % 17 == 3 => "REJECTED",
            c if c % 19 == 5 => "PAUSED",
            c if c % 23 == 7 => "PENDING",
            _ => "APPROVED",
        };
        *s.statuses.entry(st.to_string()).or_default() += 1;
        st
    };

    for (g, group) in groups.iter().enumerate() {
        let name = &group[0].name;
        let marketing = group[0].category == "MARKETING";
        let kind = g % 10;
        // Named parameters only where every language has few enough variables.
        let use_named = kind == 6 && group.iter().all(|r| max_var(&r.body) <= NAMES.len());
        let refile_all = !marketing && g % 9 == 4;
        let refile_first = !marketing && g % 9 == 7 && group.len() > 1;
        if refile_first {
            s.mixed_categories += 1;
        }
        for (li, row) in group.iter().enumerate() {
            let salt = g + li;
            let n = max_var(&row.body);
            let mut comps = Vec::new();
            let body_text = if use_named {
                named(&row.body)
            } else {
                row.body.clone()
            };
            let (header, buttons): (Option<Value>, Vec<Value>) = match kind {
                0 => (
                    Some(json!({"type": "HEADER", "format": "TEXT", "text": "Order update"})),
                    vec![
                        json!({"type": "URL", "text": "Track order", "url": "https://shop.example.com/track/{{1}}", "example": ["https://shop.example.com/track/4521"]}),
                        json!({"type": "QUICK_REPLY", "text": "Stop updates"}),
                    ],
                ),
                1 => (
                    Some(
                        json!({"type": "HEADER", "format": "TEXT", "text": "News for {{1}}", "example": {"header_text": ["Maria"]}}),
                    ),
                    vec![
                        json!({"type": "PHONE_NUMBER", "text": "Call us", "phone_number": "+15550001234"}),
                        json!({"type": "URL", "text": "Open website", "url": "https://shop.example.com/help"}),
                    ],
                ),
                2 => (
                    Some(
                        json!({"type": "HEADER", "format": "IMAGE", "example": {"header_handle": [cdn("IMAGE", salt)]}}),
                    ),
                    vec![
                        json!({"type": "QUICK_REPLY", "text": "Yes, please"}),
                        json!({"type": "QUICK_REPLY", "text": "No, thanks"}),
                    ],
                ),
                3 => (
                    Some(
                        json!({"type": "HEADER", "format": "VIDEO", "example": {"header_handle": [cdn("VIDEO", salt)]}}),
                    ),
                    vec![],
                ),
                4 => (
                    Some(
                        json!({"type": "HEADER", "format": "DOCUMENT", "example": {"header_handle": [cdn("DOCUMENT", salt)]}}),
                    ),
                    if marketing {
                        vec![
                            json!({"type": "COPY_CODE", "text": "Copy offer code", "example": ["SAVE20"]}),
                        ]
                    } else {
                        vec![
                            json!({"type": "URL", "text": "View invoice", "url": "https://billing.example.com/i/{{1}}", "example": ["https://billing.example.com/i/A-4521"]}),
                        ]
                    },
                ),
                5 => (
                    Some(json!({"type": "HEADER", "format": "LOCATION"})),
                    vec![],
                ),
                6 if use_named => (
                    Some(
                        json!({"type": "HEADER", "format": "TEXT", "text": "Hi {{first_name}}", "example": {"header_text_named_params": [{"param_name": "first_name", "example": "Maria"}]}}),
                    ),
                    vec![json!({"type": "QUICK_REPLY", "text": "Talk to an agent"})],
                ),
                7 => (
                    None,
                    vec![
                        json!({"type": "FLOW", "text": "Book now", "flow_id": "1234567890123", "flow_action": "NAVIGATE", "navigate_screen": "WELCOME_SCREEN"}),
                    ],
                ),
                8 if marketing => (
                    None,
                    vec![json!({"type": "CATALOG", "text": "View catalog"})],
                ),
                8 => (
                    None,
                    vec![json!({"type": "VOICE_CALL", "text": "Call now"})],
                ),
                9 if marketing => (
                    Some(json!({"type": "HEADER", "format": "TEXT", "text": "Forget something?"})),
                    vec![json!({"type": "MPM", "text": "View items"})],
                ),
                _ => (None, vec![]),
            };
            s.kind(match kind {
                0 => "text header, URL + quick reply",
                1 => "text header with variable, phone + URL",
                2 => "image header",
                3 => "video header",
                4 => "document header, copy code or URL",
                5 => "location header",
                6 if use_named => "named parameters",
                7 => "flow button",
                8 => "catalog or voice call button",
                9 if marketing => "MPM button",
                _ => "body only",
            });
            if let Some(h) = header {
                comps.push(h);
            }
            let mut body = json!({"type": "BODY", "text": body_text});
            if n > 0 {
                body["example"] = if use_named {
                    let params: Vec<Value> = (0..n)
                        .map(|i| json!({"param_name": NAMES[i], "example": if i == 0 { "Maria" } else { EXAMPLES[(i + salt) % EXAMPLES.len()] }}))
                        .collect();
                    json!({ "body_text_named_params": params })
                } else {
                    json!({ "body_text": [positional_examples(n, salt)] })
                };
            }
            comps.push(body);
            if matches!(kind, 0 | 3 | 5) {
                comps.push(json!({"type": "FOOTER", "text": "Reply STOP to opt out"}));
            }
            if !buttons.is_empty() {
                comps.push(json!({"type": "BUTTONS", "buttons": buttons}));
            }
            let refiled = refile_all || (refile_first && li == 0);
            let category = if refiled { "MARKETING" } else { &row.category };
            let st = status(&mut s);
            let id = fake.insert_template(name, &row.language, category, st, comps);
            fake.update_template(&id, |t| {
                if use_named {
                    t.parameter_format = "NAMED".into();
                }
                if refiled {
                    t.previous_category = Some("UTILITY".into());
                }
                if st == "REJECTED" {
                    t.rejected_reason = "PROMOTIONAL".into();
                }
                t.quality_score = if salt % 5 == 0 { "YELLOW" } else { "GREEN" }.into();
            });
            if refiled {
                s.refiled += 1;
            }
            s.templates += 1;
            s.languages.insert(row.language.clone());
        }
        s.names.insert(name.clone());
    }

    // Authentication templates, as Meta stores them: preset body text, OTP buttons turned
    // into URL buttons with Meta's text (meta/api.md §2.5, §2.6, §8).
    let auth_langs = [
        vec!["en_US"],
        vec!["en_US", "es"],
        vec!["en_US", "es", "pt_BR"],
        vec!["pt_BR", "de"],
    ];
    for i in 0..10 {
        let name = format!("login_code_{i:02}");
        let one_tap = i % 3 == 2;
        let with_security = i % 4 != 3;
        let with_expiry = i % 5 != 4;
        for lang in &auth_langs[i % auth_langs.len()] {
            let (body, footer, button) = auth_texts(lang);
            let mut comps = Vec::new();
            let mut b =
                json!({"type": "BODY", "text": body, "example": {"body_text": [["123456"]]}});
            if with_security {
                b["add_security_recommendation"] = json!(true);
            } else {
                b["text"] = json!(body.split(". ").next().unwrap_or(body).to_string() + ".");
            }
            comps.push(b);
            if with_expiry {
                comps
                    .push(json!({"type": "FOOTER", "text": footer, "code_expiration_minutes": 10}));
            }
            let url = if one_tap {
                "https://www.whatsapp.com/otp/code/?otp_type=ONE_TAP&cta_display_name=Autofill&package_name=com.example.luckyshrub&signature_hash=K8a%2FAINcGX7&code_expiration_minutes=10&code=otp{{1}}"
            } else {
                "https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code_expiration_minutes=10&code=otp{{1}}"
            };
            comps.push(json!({"type": "BUTTONS", "buttons": [{"type": "URL", "text": if one_tap { "Autofill" } else { button }, "url": url, "example": [url.replace("{{1}}", "123456")]}]}));
            let st = status(&mut s);
            fake.insert_template(&name, lang, "AUTHENTICATION", st, comps);
            s.templates += 1;
            s.languages.insert((*lang).to_string());
        }
        s.kind(if one_tap {
            "authentication, one-tap"
        } else {
            "authentication, copy code"
        });
        s.names.insert(name);
    }

    // A language being deleted next to its live replacement, and a name whose only
    // language is being deleted: neither is pulled, neither shows in the plan.
    let first = groups[0][0].name.clone();
    let lang = groups[0][0].language.clone();
    fake.insert_template(
        &first,
        &lang,
        "UTILITY",
        "PENDING_DELETION",
        vec![json!({"type": "BODY", "text": "An older wording that is being deleted."})],
    );
    fake.insert_template(
        "retired_notice",
        "en_US",
        "UTILITY",
        "PENDING_DELETION",
        vec![json!({"type": "BODY", "text": "This notice is being deleted."})],
    );
    s.deleting = 2;
    s
}

/// `code → count` of a lint JSON report, split by severity.
fn lint_counts(report: &Value) -> (BTreeMap<String, usize>, BTreeMap<String, usize>) {
    let mut errors = BTreeMap::new();
    let mut warnings = BTreeMap::new();
    for d in report["diagnostics"].as_array().unwrap() {
        let code = d["code"].as_str().unwrap().to_string();
        match d["severity"].as_str() {
            Some("error") => *errors.entry(code).or_default() += 1,
            _ => *warnings.entry(code).or_default() += 1,
        }
    }
    (errors, warnings)
}

#[test]
fn pull_lint_plan_round_trip_on_a_300_template_account() {
    let p = Project::new();
    let seeded = seed(&p.fake);
    assert!(seeded.templates >= 300, "{seeded:?}");
    assert!(seeded.languages.len() >= 5, "{seeded:?}");
    p.fake.clear_requests();

    let started = std::time::Instant::now();
    let out = p.run(&["pull"]);
    let pull_time = started.elapsed();
    assert_eq!(out.code, 0, "{out}");
    let files = p.files();
    assert_eq!(files.len(), seeded.names.len(), "{out}");
    assert!(
        out.stdout.ends_with(&format!(
            "wrote {} files ({} templates), skipped 1 being deleted\n",
            seeded.names.len(),
            seeded.templates
        )),
        "{out}"
    );
    // One listing, page by page (25 per page in the fake), nothing else.
    let calls = p.fake.requests();
    assert!(calls
        .iter()
        .all(|r| r.method == "GET" && r.path.ends_with("/message_templates")));
    assert_eq!(
        calls.len(),
        (seeded.templates + seeded.deleting).div_ceil(25)
    );

    if let Some(keep) = std::env::var_os("WT_KEEP_PULLED") {
        // For a look at the files: WT_KEEP_PULLED=/tmp/pulled cargo test --test adoption
        for (rel, text) in &files {
            let dest = Path::new(&keep).join(rel);
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::write(dest, text).unwrap();
        }
    }

    let lint = p.run(&["lint", "--format", "json"]);
    let report = lint.json();
    let (errors, warnings) = lint_counts(&report);
    assert!(
        !errors.contains_key("WT000"),
        "every pulled file loads: {errors:?}\n{lint}"
    );

    let plan = p.run(&["plan", "--format", "json"]);
    assert_eq!(plan.code, 0, "{plan}");
    let changes = plan.json()["changes"].as_array().unwrap().clone();
    let mut actions: BTreeMap<String, usize> = BTreeMap::new();
    for c in &changes {
        *actions
            .entry(c["action"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    let not_unchanged: Vec<&Value> = changes
        .iter()
        .filter(|c| c["action"] != "unchanged")
        .collect();
    assert!(
        not_unchanged.is_empty(),
        "{} changes after a pull, first: {:#}",
        not_unchanged.len(),
        not_unchanged[0]
    );
    assert_eq!(actions.get("unchanged"), Some(&seeded.templates));

    // The figures for the report (`cargo test -- --nocapture` shows them).
    eprintln!(
        "round trip: {} templates, {} names, {} languages {:?}; kinds {:?}; statuses {:?}; \
         {} re-filed UTILITY→MARKETING ({} names with mixed categories); pull {:?}, {} API calls",
        seeded.templates,
        seeded.names.len(),
        seeded.languages.len(),
        seeded.languages,
        seeded.kinds,
        seeded.statuses,
        seeded.refiled,
        seeded.mixed_categories,
        pull_time,
        calls.len()
    );
    eprintln!(
        "lint on pulled files: exit {}, summary {}, errors {errors:?}, warnings {warnings:?}",
        lint.code, report["summary"]
    );
    eprintln!("plan: {actions:?}");

    // Pulling again writes nothing and changes nothing; --overwrite rewrites the same bytes.
    let again = p.run(&["pull"]);
    assert_eq!(again.code, 0, "{again}");
    assert!(
        again.stdout.ends_with(&format!(
            "wrote 0 files (0 templates), skipped {} existing, 1 being deleted\n",
            seeded.names.len()
        )),
        "{again}"
    );
    assert_eq!(p.files(), files);
    let over = p.run(&["pull", "--overwrite", "-q"]);
    assert_eq!(over.code, 0, "{over}");
    assert_eq!(over.stdout, "", "quiet: {over}");
    assert_eq!(p.files(), files, "a pull is deterministic");
}

fn body(text: &str) -> Vec<Value> {
    vec![json!({"type": "BODY", "text": text})]
}

#[test]
fn pull_skips_samples_unsupported_existing_and_refuses_bad_names() {
    let p = Project::new();
    let f = &p.fake;
    f.insert_template(
        "order_shipped",
        "en_US",
        "UTILITY",
        "APPROVED",
        body("Your order has shipped and arrives tomorrow morning."),
    );
    f.insert_template(
        "order_shipped",
        "es",
        "UTILITY",
        "APPROVED",
        body("Tu pedido ha sido enviado y llega mañana por la mañana."),
    );
    // Meta's sample, as in its OpenAPI list example.
    f.insert_template(
        "hello_world",
        "en_US",
        "MARKETING",
        "APPROVED",
        vec![
            json!({"format": "TEXT", "text": "Hello World", "type": "HEADER"}),
            json!({"text": "Welcome and congratulations!! This message demonstrates your ability to send a message notification from WhatsApp Business Platform’s Cloud API. Thank you for taking the time to test with us.", "type": "BODY"}),
            json!({"text": "WhatsApp Business API Team", "type": "FOOTER"}),
        ],
    );
    f.insert_template(
        "winter_carousel",
        "en_US",
        "MARKETING",
        "APPROVED",
        vec![
            json!({"type": "BODY", "text": "Our winter picks are here, take a look."}),
            json!({"type": "CAROUSEL", "cards": [{"components": []}, {"components": []}]}),
        ],
    );
    // Names Meta would refuse today, but an account can still hold.
    f.insert_template(
        "Promo Sale",
        "en_US",
        "MARKETING",
        "APPROVED",
        body("Big sale this weekend in every store."),
    );
    // Already in git, in a subdirectory.
    f.insert_template(
        "invoice_ready",
        "en_US",
        "UTILITY",
        "APPROVED",
        body("Your invoice for this month is ready to download."),
    );
    std::fs::create_dir(p.templates_dir().join("billing")).unwrap();
    let mine = "category = \"utility\"\n\n[languages.en_US]\nbody = \"My own wording.\"\n";
    std::fs::write(p.templates_dir().join("billing/invoice_ready.toml"), mine).unwrap();

    let out = p.run(&["pull"]);
    assert_eq!(
        out.code, 1,
        "a name that cannot be a file fails the run: {out}"
    );
    assert!(
        out.stderr.contains("error: cannot write `Promo Sale`"),
        "{out}"
    );
    assert!(
        out.stdout
            .contains("wrote templates/order_shipped.toml (en_US, es)"),
        "{out}"
    );
    assert!(
        out.stdout.contains("skipped templates/billing/invoice_ready.toml: the file exists (--overwrite replaces it)"),
        "{out}"
    );
    assert!(
        out.stdout.contains("skipped winter_carousel: uses what the file format cannot express yet: CAROUSEL component (en_US)"),
        "{out}"
    );
    assert!(
        out.stdout.ends_with(
            "wrote 1 file (2 templates), skipped 1 existing, 1 sample, 1 unsupported, 1 failed\n"
        ),
        "{out}"
    );
    let files = p.files();
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        ["billing/invoice_ready.toml", "order_shipped.toml"]
    );
    assert_eq!(
        files["billing/invoice_ready.toml"], mine,
        "never overwritten"
    );
    let shipped = &files["order_shipped.toml"];
    assert!(
        shipped.starts_with(&format!("# pulled from WABA {} on ", f.waba_id())),
        "{shipped}"
    );
    assert!(
        shipped.contains("name = \"order_shipped\"\ncategory = \"utility\"\n"),
        "{shipped}"
    );

    // The plan after a pull: the skipped templates are remote-only, the rest unchanged
    // (except the file the user wrote).
    let plan = p.run(&["plan", "--format", "json"]);
    let actions: BTreeMap<String, String> = plan.json()["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                format!(
                    "{} {}",
                    c["name"].as_str().unwrap(),
                    c["language"].as_str().unwrap()
                ),
                c["action"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(actions["order_shipped en_US"], "unchanged");
    assert_eq!(actions["order_shipped es"], "unchanged");
    assert_eq!(actions["invoice_ready en_US"], "update");
    assert_eq!(actions["winter_carousel en_US"], "remote_only");
    assert_eq!(actions["hello_world en_US"], "remote_only");

    // --overwrite replaces the file where it is; --include-samples writes the sample;
    // --dir writes elsewhere; JSON says what happened to each name.
    let out = p.run(&["pull", "invoice_ready", "hello_world", "--overwrite"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout
            .contains("overwrote templates/billing/invoice_ready.toml (en_US)"),
        "{out}"
    );
    assert!(
        out.stdout
            .contains("wrote templates/hello_world.toml (en_US)"),
        "a named sample is pulled: {out}"
    );
    assert!(!p.templates_dir().join("invoice_ready.toml").exists());
    assert!(p.files()["billing/invoice_ready.toml"].contains("Your invoice for this month"));

    let out = p.run(&[
        "pull",
        "--dir",
        "imported",
        "--include-samples",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 1, "{out}");
    let v = out.json();
    assert_eq!(v["directory"], "imported");
    let by_name: BTreeMap<&str, &Value> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["name"].as_str().unwrap(), f))
        .collect();
    assert_eq!(by_name["hello_world"]["action"], "written");
    assert_eq!(by_name["hello_world"]["path"], "imported/hello_world.toml");
    assert_eq!(by_name["Promo Sale"]["action"], "failed");
    assert_eq!(by_name["winter_carousel"]["action"], "skipped_unsupported");
    assert_eq!(v["summary"]["files_written"], 3);
    assert_eq!(v["summary"]["templates_written"], 4);
    assert!(p.path().join("imported/order_shipped.toml").is_file());

    // A NAME the account does not have: nothing written, exit 2 with a suggestion.
    let out = p.run(&["pull", "order_shiped", "--dir", "other"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains("has no template named `order_shiped`"),
        "{out}"
    );
    assert!(!p.path().join("other").exists());
    let out = p.run(&["pull", "Order"]);
    assert_eq!(out.code, 2, "{out}");
}

#[test]
fn pull_warns_when_languages_disagree() {
    let p = Project::new();
    let f = &p.fake;
    let a = f.insert_template(
        "welcome_back",
        "en_US",
        "UTILITY",
        "APPROVED",
        vec![json!({"type": "BODY", "text": "Hi {{first_name}}, welcome back to your account.", "example": {"body_text_named_params": [{"param_name": "first_name", "example": "Maria"}]}})],
    );
    f.update_template(&a, |t| t.parameter_format = "NAMED".into());
    f.insert_template(
        "welcome_back",
        "es",
        "UTILITY",
        "APPROVED",
        vec![json!({"type": "BODY", "text": "Hola {{1}}, bienvenido de nuevo a tu cuenta.", "example": {"body_text": [["María"]]}})],
    );
    f.insert_template(
        "welcome_back",
        "pt_BR",
        "MARKETING",
        "APPROVED",
        body("Olá, bem-vindo de volta à sua conta."),
    );
    let out = p.run(&["pull"]);
    assert_eq!(out.code, 0, "warnings do not fail: {out}");
    assert!(out.stderr.contains("warning: welcome_back: languages are filed under different categories (en_US UTILITY, es UTILITY, pt_BR MARKETING)"), "{out}");
    assert!(
        out.stderr
            .contains("warning: welcome_back: languages use different parameter formats"),
        "{out}"
    );
    let text = &p.files()["welcome_back.toml"];
    assert!(
        text.contains("# wt pull: languages use different parameter formats"),
        "{text}"
    );
    assert!(text.contains("parameter_format = \"named\""), "{text}");
}

#[test]
fn pull_reads_nothing_into_files_when_the_account_cannot_be_read() {
    let p = Project::new();
    p.fake.insert_template(
        "a",
        "en_US",
        "UTILITY",
        "APPROVED",
        body("Your order has shipped today."),
    );
    p.fake
        .fail_next("GET", "message_templates", Fault::Html500, 20);
    let out = p.run(&["pull"]);
    assert_eq!(out.code, 3, "{out}");
    assert!(p.files().is_empty(), "{out}");
    p.fake.clear_faults();
    let out = p.run_env(
        &["pull"],
        &[("WA_ACCESS_TOKEN", Some("EAAwrong0token0that0leaks"))],
    );
    assert_eq!(out.code, 3, "{out}");
    assert!(
        out.stderr.contains("Meta refused the access token"),
        "{out}"
    );
    let out = p.run_env(&["pull"], &[("WA_ACCESS_TOKEN", None)]);
    assert_eq!(out.code, 2, "{out}");
    assert!(p.files().is_empty());
}

/// Kill `wt pull` while it writes a large account: every `.toml` present is complete (it
/// loads and ends where the pulled text ends), and nothing is left that `wt lint` reads.
#[test]
fn a_killed_pull_leaves_only_complete_files() {
    let p = Project::new();
    // Large files make each write take a while: bodies near Meta's 1024 limit, 4 languages
    // per name, one flushed write per file.
    const NOTICES: usize = 150;
    let sentence = "Your order is being prepared by our team and will leave the warehouse soon. ";
    let long: String = sentence.repeat(13);
    for i in 0..NOTICES {
        for lang in ["en_US", "es", "pt_BR", "de"] {
            p.fake.insert_template(
                &format!("notice_{i:03}"),
                lang,
                "UTILITY",
                "APPROVED",
                vec![json!({"type": "BODY", "text": format!("{long}Reference {i}.")})],
            );
        }
    }
    p.fake.set_page_size(500);
    let dir = p.templates_dir();
    let (mut cmd, _) = p.command(&["pull"], &[("WA_ACCESS_TOKEN", Some(p.fake.token()))]);
    let mut child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until writing is under way, then kill at once.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut finished_first = false;
    while std::fs::read_dir(&dir).unwrap().count() < 10 {
        assert!(std::time::Instant::now() < deadline, "no file appeared");
        if child.try_wait().unwrap().is_some() {
            finished_first = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let files = files_in(&dir);
    let tomls: Vec<&String> = files.keys().filter(|k| k.ends_with(".toml")).collect();
    eprintln!(
        "killed pull: {} of {NOTICES} files written, {} other entries",
        tomls.len(),
        files.len() - tomls.len()
    );
    assert!(!tomls.is_empty());
    assert!(
        finished_first || tomls.len() < NOTICES,
        "the kill came after the last file"
    );
    for (name, text) in &files {
        if name.ends_with(".toml") {
            assert!(!name.starts_with('.'), "{name}");
            let stem = name.trim_end_matches(".toml");
            let i: usize = stem.trim_start_matches("notice_").parse().unwrap();
            let v: toml::Value = toml::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(v["name"].as_str(), Some(stem));
            assert_eq!(v["languages"].as_table().unwrap().len(), 4, "{name}");
            assert!(
                text.ends_with(&format!("Reference {i}.\"\n")),
                "{name} is cut: {text}"
            );
        } else {
            assert!(
                name.starts_with('.') && name.ends_with(".tmp"),
                "a stray file: {name}"
            );
        }
    }
    // The next pull removes left-over temporary files (once they are old enough to be
    // certainly abandoned) and finishes the job.
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for name in files.keys().filter(|k| !k.ends_with(".toml")) {
        std::fs::File::options()
            .write(true)
            .open(dir.join(name))
            .and_then(|f| f.set_modified(hour_ago))
            .unwrap();
    }
    let out = p.run(&["pull", "-q"]);
    assert_eq!(out.code, 0, "{out}");
    let after = files_in(&dir);
    assert_eq!(after.len(), NOTICES, "{out}");
    assert!(after.keys().all(|k| k.ends_with(".toml")));
    for (name, text) in &files {
        if name.ends_with(".toml") {
            assert_eq!(&after[name], text, "kept, not overwritten");
        }
    }

    // What is there lints as complete templates: no file is unreadable (WT000).
    let lint = p.run(&["lint", "--format", "json"]);
    let (errors, _) = lint_counts(&lint.json());
    assert!(!errors.contains_key("WT000"), "{lint}");
    assert_eq!(lint.json()["summary"]["files"], NOTICES);
}

// ---------------------------------------------------------------------------------------
// wt doctor

/// 2026-11-25 12:00 UTC: the day the version table is judged on (v21.0 is then the oldest
/// version Meta serves, v20.0 has expired).
const NOW: &str = "1795608000";

/// A phone number that can send (Meta's OpenAPI `verified_account_number` example).
fn connected_number() -> Value {
    json!({"id": "1234567890123456", "display_phone_number": "+1 631-555-5555", "verified_name": "Jasper's Market",
           "status": "CONNECTED", "quality_rating": "GREEN", "code_verification_status": "VERIFIED",
           "name_status": "APPROVED", "messaging_limit_tier": "TIER_1K", "account_mode": "LIVE"})
}

impl Project {
    fn doctor(&self, args: &[&str], env: &[(&str, Option<&str>)]) -> Out {
        let mut all: Vec<&str> = vec!["doctor"];
        all.extend_from_slice(args);
        let mut vars: Vec<(&str, Option<&str>)> = vec![
            ("WA_ACCESS_TOKEN", Some(self.fake.token())),
            ("WT_NOW", Some(NOW)),
        ];
        vars.extend_from_slice(env);
        self.run_env(&all, &vars)
    }
}

fn port_filtered(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("127.0.0.1:") {
        out.push_str(&rest[..i]);
        out.push_str("127.0.0.1:[PORT]");
        rest = rest[i + 10..].trim_start_matches(|c: char| c.is_ascii_digit());
    }
    out.push_str(rest);
    out
}

#[test]
fn doctor_passes_on_a_healthy_setup() {
    let p = Project::new();
    p.fake.set_phone_numbers(vec![connected_number()]);
    let out = p.doctor(&[], &[]);
    assert_eq!(out.code, 0, "{out}");
    insta::assert_snapshot!("doctor_healthy", out.stdout);
    // Each call once: debug_token, the WABA node, phone numbers, subscribed apps.
    let paths: Vec<String> = p.fake.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        paths,
        [
            "/v23.0/debug_token".to_string(),
            format!("/v23.0/{}", p.fake.waba_id()),
            format!("/v23.0/{}/phone_numbers", p.fake.waba_id()),
            format!("/v23.0/{}/subscribed_apps", p.fake.waba_id()),
        ]
    );

    let out = p.doctor(&["--format", "json"], &[]);
    assert_eq!(out.code, 0, "{out}");
    let v = out.json();
    let ids: Vec<&str> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["check"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "token_present",
            "waba_id",
            "token_valid",
            "token_expiry",
            "token_scopes",
            "waba_reachable",
            "phone_numbers",
            "app_subscribed",
            "api_version"
        ]
    );
    assert_eq!(
        v["summary"],
        json!({"passed": 9, "warnings": 0, "failed": 0, "skipped": 0})
    );
    assert_eq!(v["checks"][6]["items"][0]["status"], "pass");
}

#[test]
fn doctor_reports_each_problem_with_a_fix() {
    let p = Project::new();
    let now: i64 = NOW.parse().unwrap();
    let mut info = p.fake.default_token_info();
    info["type"] = json!("USER");
    info["expires_at"] = json!(now + 3 * 86_400);
    info["scopes"] = json!(["whatsapp_business_management", "business_management"]);
    info["granular_scopes"] =
        json!([{"scope": "whatsapp_business_management", "target_ids": ["999"]}]);
    p.fake.set_token_info(info);
    let mut red = connected_number();
    red["quality_rating"] = json!("RED");
    let mut pending = connected_number();
    pending["id"] = json!("1913623884432103");
    pending["display_phone_number"] = json!("+1 631-555-5556");
    pending["status"] = json!("PENDING");
    pending["quality_rating"] = json!("NA");
    pending["name_status"] = json!("PENDING_REVIEW");
    p.fake.set_phone_numbers(vec![red, pending]);
    p.fake.set_subscribed_apps(vec![]);
    let out = p.doctor(&[], &[("WHATSAPP_API_VERSION", Some("v21.0"))]);
    assert_eq!(out.code, 1, "{out}");
    insta::assert_snapshot!("doctor_problems", port_filtered(&out.stdout));
    // Every ✗ is followed by a fix.
    let lines: Vec<&str> = out.stdout.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        if l.trim_start().starts_with('✗') {
            assert!(
                lines[i + 1..]
                    .iter()
                    .take_while(|n| n.starts_with("  "))
                    .any(|n| n.trim_start().starts_with("fix: ")),
                "no fix under `{l}`:\n{out}"
            );
        }
    }

    // Quiet: only what needs attention.
    let quiet = p.doctor(&["-q"], &[("WHATSAPP_API_VERSION", Some("v21.0"))]);
    assert_eq!(quiet.code, 1, "{quiet}");
    let marks: Vec<char> = quiet
        .stdout
        .lines()
        .filter(|l| !l.starts_with(' '))
        .map(|l| l.chars().next().unwrap())
        .collect();
    assert_eq!(marks, ['✗', '✗', '✗', '✗', '!'], "{quiet}");

    // With the number that sends configured, only it decides.
    let out = p.doctor(&[], &[("WA_PHONE_NUMBER_ID", Some("1913623884432103"))]);
    assert!(
        out.stdout
            .contains("✗ phone numbers: 2 numbers; the configured number 1913623884432103 decides"),
        "{out}"
    );
    assert!(out.stdout.contains("(not the configured number)"), "{out}");
}

#[test]
fn doctor_without_token_or_waba_shows_what_did_not_run() {
    let p = Project::new();
    let out = p.doctor(&[], &[("WA_ACCESS_TOKEN", None)]);
    assert_eq!(out.code, 2, "{out}");
    insta::assert_snapshot!("doctor_no_token", out.stdout);
    assert!(
        p.fake.requests().is_empty(),
        "nothing is sent without a token"
    );

    let out = p.doctor(&[], &[("WA_WABA_ID", None)]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stdout.contains(
            "✗ WABA id: no WhatsApp Business Account id is configured\n    fix: set WA_WABA_ID"
        ),
        "{out}"
    );
    assert!(
        out.stdout
            .contains("- token valid: not checked: needs a token and a WABA id"),
        "{out}"
    );

    // An unusable setting (plain http to another host) is a configuration error too.
    let out = p.doctor(&[], &[("WT_GRAPH_URL", Some("http://graph.example.com"))]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stdout.contains("✗ token valid: "), "{out}");
}

#[test]
fn doctor_exits_3_when_meta_cannot_be_reached() {
    let p = Project::new();
    p.fake.fail_next("", "", Fault::Html500, 50);
    let out = p.doctor(&[], &[]);
    assert_eq!(out.code, 3, "{out}");
    assert!(
        out.stdout
            .contains("✗ token valid: Meta could not be reached"),
        "{out}"
    );
    assert!(
        out.stdout
            .contains("- WABA reachable: not checked: Meta could not be reached"),
        "{out}"
    );
    assert!(
        out.stdout.contains("API version: v23.0"),
        "the offline check still runs: {out}"
    );
}

#[test]
fn doctor_notices_an_expired_version_and_a_refused_token() {
    let p = Project::new();
    p.fake.set_phone_numbers(vec![connected_number()]);
    // Meta serves v21.0 for calls to the expired v19.0.
    p.fake.set_served_version(Some("v21.0"));
    let out = p.doctor(&[], &[("WHATSAPP_API_VERSION", Some("v19.0"))]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stdout
            .contains("✗ API version: v19.0 was requested but Meta answered with v21.0"),
        "{out}"
    );

    let out = p.doctor(
        &[],
        &[("WA_ACCESS_TOKEN", Some("EAAexpired0token0value0123"))],
    );
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stdout.contains("✗ token valid: Meta refused the token"),
        "{out}"
    );
    assert!(
        out.stdout
            .contains("- phone numbers: not checked: Meta refused the token"),
        "{out}"
    );
}

/// `debug_token` carries the token in its query string. Errors that echo the URL, error
/// messages that quote the token, `-v` logs and JSON: none may show it, raw or encoded.
#[test]
fn doctor_never_shows_the_token() {
    let token = "EAAtok+en/with=Special0chars0Zx9";
    let p = Project::with_fake(FakeGraph::start_with(token));
    p.fake.set_phone_numbers(vec![connected_number()]);
    for args in [&[][..], &["-v"], &["--format", "json"]] {
        p.fake.fail_next("GET", "debug_token", Fault::EchoUrl, 1);
        let out = p.doctor(args, &[]);
        assert_eq!(
            out.code, 0,
            "a token that cannot be inspected is a warning: {out}"
        );
        assert!(
            out.stdout.contains("input_token=***"),
            "the echoed URL is shown, redacted: {out}"
        );
    }
    let logged = p.fake.requests_to("GET", "/debug_token");
    assert!(logged.iter().all(|r| r.query == "input_token=***"));
    // A refused token that Meta quotes back.
    let out = p.doctor(
        &[],
        &[("WA_ACCESS_TOKEN", Some("EAAwrong+token/quoted=back0Zx9"))],
    );
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stdout.contains("Malformed access token ***"), "{out}");
}
