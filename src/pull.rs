//! Meta's `components` JSON → a template file in the SPEC §1 format (for `wt pull`).
//!
//! The output must load back to the same components (`convert::normalize` equal), so that
//! pull → lint → plan reports no change. [`draft`] decides, for one template name, what file
//! to write (or why none), with the policies `wt pull` documents:
//!
//! - one file per name holds one `category` and one `parameter_format`. When the languages
//!   disagree, the category chosen is the one `wt plan` accepts for the most languages (a
//!   file saying `utility` accepts a language Meta re-filed as MARKETING, meta/api.md §6.2),
//!   and the parameter format is the one of most languages that have variables; the rest is
//!   reported as a warning (and written as a comment into the file);
//! - a name whose components the file format cannot express (carousel, limited-time offer,
//!   unknown button types, …) is not written: a file without them would make `wt sync` edit
//!   them away. `wt plan` lists such templates as remote-only, which `wt sync` leaves alone;
//! - languages being deleted (`PENDING_DELETION`, `DELETED`) are left out: they cannot be
//!   created again for 30 days (meta/api.md §1.5);
//! - a name that is not a safe file name is refused.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

use crate::api::RemoteTemplate;

/// One language of a remote template, as `wt pull` writes it.
#[derive(Debug, Clone)]
pub struct RemoteLanguage {
    pub language: String,
    pub components: Vec<Value>,
}

/// Meta's own sample templates, present in new accounts (meta/api.md §3.1b); `wt pull`
/// skips them unless asked.
pub const META_SAMPLES: &[&str] = &[
    "hello_world",
    "sample_flight_confirmation",
    "sample_issue_resolution",
    "sample_shipping_confirmation",
    "sample_purchase_feedback",
    "sample_happy_hour_announcement",
    "sample_movie_ticket_confirmation",
];

/// Longest template name `wt pull` writes as a file: `<name>.toml` and the temporary
/// `.<name>.toml.wt-<pid>-<n>.tmp` must fit the 255-byte file-name limit of common file
/// systems. Meta allows names up to 512 characters (meta/api.md §3.1).
pub const MAX_FILE_NAME_CHARS: usize = 200;

/// Statuses whose (name, language) is on its way out (meta/api.md §1.5, §4.1).
const DELETING: &[&str] = &["PENDING_DELETION", "DELETED"];

/// Component types the file format expresses (SPEC §1).
const SUPPORTED_COMPONENTS: &[&str] = &["HEADER", "BODY", "FOOTER", "BUTTONS"];
/// Header formats the file format expresses.
const SUPPORTED_HEADERS: &[&str] = &["TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION"];
/// Button types the file format expresses (SPEC §1; `otp` only in authentication
/// templates, where Meta returns them as `URL`).
const SUPPORTED_BUTTONS: &[&str] = &[
    "QUICK_REPLY",
    "URL",
    "PHONE_NUMBER",
    "COPY_CODE",
    "OTP",
    "FLOW",
    "CATALOG",
    "MPM",
    "VOICE_CALL",
];
/// Button keys the file cannot hold; a button that has one is not representable.
const UNSUPPORTED_BUTTON_KEYS: &[&str] = &["flow_name", "flow_json"];

/// Why no file is written for a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// One of [`META_SAMPLES`] and samples were not asked for.
    Sample,
    /// Not a safe file name; the text says why.
    InvalidName(String),
    /// Components the file format cannot express, e.g. `CAROUSEL (en_US)`.
    Unsupported(Vec<String>),
    /// Every language is being deleted.
    Deleting,
}

/// What `wt pull` does with one template name.
#[derive(Debug, Clone)]
pub struct Draft {
    pub name: String,
    /// Languages written, in file order.
    pub languages: Vec<String>,
    /// The file text, or why there is none.
    pub file: Result<String, Skip>,
    /// Things the user should know (also written as comments into the file).
    pub warnings: Vec<String>,
}

/// Whether `name` can be used as a file stem: Meta's `^[a-z0-9_]+$` (meta/api.md §3.1),
/// at most [`MAX_FILE_NAME_CHARS`] characters.
pub fn check_file_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the name is empty".to_string());
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_'))
    {
        return Err(format!(
            "`{c}` is not allowed in a template name (Meta allows a-z, 0-9 and _), so it is not a safe file name"
        ));
    }
    if name.len() > MAX_FILE_NAME_CHARS {
        return Err(format!(
            "the name has {} characters; wt writes names of at most {MAX_FILE_NAME_CHARS} as file names",
            name.len()
        ));
    }
    Ok(())
}

/// Groups the account's templates by name (sorted), each name's templates by language.
pub fn group(templates: &[RemoteTemplate]) -> BTreeMap<&str, Vec<&RemoteTemplate>> {
    let mut by_name: BTreeMap<&str, Vec<&RemoteTemplate>> = BTreeMap::new();
    for t in templates {
        by_name.entry(t.name.as_str()).or_default().push(t);
    }
    for v in by_name.values_mut() {
        v.sort_by(|a, b| a.language.cmp(&b.language));
    }
    by_name
}

/// Decides the file for one name. `header` is the comment block the file starts with
/// (each line starting with `#`). `include_sample`: write it even if it is one of
/// [`META_SAMPLES`].
pub fn draft(
    name: &str,
    templates: &[&RemoteTemplate],
    header: &str,
    include_sample: bool,
) -> Draft {
    let mut d = Draft {
        name: name.to_string(),
        languages: Vec::new(),
        file: Err(Skip::Deleting),
        warnings: Vec::new(),
    };
    if let Err(why) = check_file_name(name) {
        d.file = Err(Skip::InvalidName(why));
        return d;
    }
    if !include_sample && META_SAMPLES.contains(&name) {
        d.file = Err(Skip::Sample);
        return d;
    }
    // One template per language: a live one wins over one being deleted (plan does the same).
    let mut by_lang: BTreeMap<&str, &RemoteTemplate> = BTreeMap::new();
    for t in templates {
        let deleting = |t: &RemoteTemplate| DELETING.contains(&t.status.as_str());
        match by_lang.get(t.language.as_str()) {
            Some(existing) if !deleting(existing) => {}
            _ => {
                by_lang.insert(&t.language, t);
            }
        }
    }
    let mut gone = Vec::new();
    let live: Vec<&RemoteTemplate> = by_lang
        .into_values()
        .filter(|t| {
            let deleting = DELETING.contains(&t.status.as_str());
            if deleting {
                gone.push(format!("{} ({})", t.language, t.status));
            }
            !deleting
        })
        .collect();
    if live.is_empty() {
        return d;
    }
    if !gone.is_empty() {
        d.warnings.push(format!(
            "left out {} being deleted: a deleted language cannot be created again for 30 days",
            gone.join(", ")
        ));
    }
    let unsupported: Vec<String> = live
        .iter()
        .flat_map(|t| {
            unsupported_parts(&t.components, t.category.as_str())
                .into_iter()
                .map(move |p| format!("{p} ({})", t.language))
        })
        .collect();
    if !unsupported.is_empty() {
        d.file = Err(Skip::Unsupported(unsupported));
        return d;
    }

    let (category, category_note) = choose_category(&live);
    d.warnings.extend(category_note);
    let (format, format_note) = choose_format(&live);
    d.warnings.extend(format_note);
    let languages: Vec<RemoteLanguage> = live
        .iter()
        .map(|t| RemoteLanguage {
            language: t.language.clone(),
            components: t.components.clone(),
        })
        .collect();
    d.languages = live.iter().map(|t| t.language.clone()).collect();

    let mut text = String::new();
    for line in header.lines() {
        let _ = writeln!(text, "{line}");
    }
    for w in &d.warnings {
        let _ = writeln!(text, "# wt pull: {}", w.replace('\n', " "));
    }
    let _ = writeln!(text, "name = {}", quote(name));
    text.push_str(&to_toml(&category, format.as_deref(), &languages));
    d.file = Ok(text);
    d
}

/// What in `components` the file format cannot express, e.g. `CAROUSEL component`.
fn unsupported_parts(components: &[Value], category: &str) -> Vec<String> {
    let auth = category.eq_ignore_ascii_case("AUTHENTICATION");
    let mut out = Vec::new();
    for c in components {
        let kind = upper(c.get("type"));
        if !SUPPORTED_COMPONENTS.contains(&kind.as_str()) {
            out.push(format!("{kind} component"));
            continue;
        }
        if kind == "HEADER" {
            let format = upper(c.get("format"));
            if !format.is_empty() && !SUPPORTED_HEADERS.contains(&format.as_str()) {
                out.push(format!("{format} header"));
            }
        }
        if kind == "BUTTONS" && !auth {
            for b in c
                .get("buttons")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let t = upper(b.get("type"));
                if !SUPPORTED_BUTTONS.contains(&t.as_str()) || t == "OTP" {
                    out.push(format!("{t} button"));
                } else if let Some(k) = UNSUPPORTED_BUTTON_KEYS
                    .iter()
                    .find(|k| b.get(**k).is_some())
                {
                    out.push(format!("{t} button with `{k}`"));
                }
            }
        }
    }
    out
}

/// Whether `wt plan` accepts a language Meta files as `remote` in a file saying `file`: the
/// same category, or UTILITY re-filed as MARKETING (not a change wt can make, `plan.rs`).
fn plan_accepts(file: &str, remote: &str) -> bool {
    file.eq_ignore_ascii_case(remote)
        || (file.eq_ignore_ascii_case("UTILITY") && remote.eq_ignore_ascii_case("MARKETING"))
}

/// The file's category: the one `wt plan` accepts for the most languages; ties go to the
/// category most languages have, then to the first language's.
fn choose_category(live: &[&RemoteTemplate]) -> (String, Option<String>) {
    let cats: Vec<String> = live
        .iter()
        .map(|t| t.category.as_str().to_ascii_uppercase())
        .collect();
    let mut candidates: Vec<&String> = Vec::new();
    for c in &cats {
        if !candidates.contains(&c) {
            candidates.push(c);
        }
    }
    if candidates.len() == 1 {
        return (cats[0].clone(), None);
    }
    // Also consider UTILITY when only MARKETING languages were re-filed from it.
    let utility = "UTILITY".to_string();
    if !candidates.contains(&&utility) && cats.iter().any(|c| c == "MARKETING") {
        candidates.push(&utility);
    }
    let score = |c: &str| {
        let accepted = cats.iter().filter(|r| plan_accepts(c, r)).count();
        let same = cats.iter().filter(|r| *r == c).count();
        (accepted, same)
    };
    let mut best = candidates[0];
    for c in &candidates[1..] {
        if score(c) > score(best) {
            best = c;
        }
    }
    let listing: Vec<String> = live
        .iter()
        .map(|t| {
            format!(
                "{} {}",
                t.language,
                t.category.as_str().to_ascii_uppercase()
            )
        })
        .collect();
    let rejected: Vec<String> = live
        .iter()
        .filter(|t| !plan_accepts(best, t.category.as_str()))
        .map(|t| t.language.clone())
        .collect();
    let note = if rejected.is_empty() {
        format!(
            "languages are filed under different categories ({}); the file says {} (Meta re-files utility templates as marketing, which `wt plan` does not count as a change)",
            listing.join(", "),
            best.to_ascii_lowercase()
        )
    } else {
        format!(
            "languages are filed under different categories ({}) and one file holds one category: the file says {}, so `wt plan` shows a category change for {}; split them into another template name, or change the category",
            listing.join(", "),
            best.to_ascii_lowercase(),
            rejected.join(", ")
        )
    };
    (best.clone(), Some(note))
}

/// Whether a language's header or body has a `{{…}}` variable.
fn has_variables(components: &[Value]) -> bool {
    components.iter().any(|c| {
        matches!(upper(c.get("type")).as_str(), "HEADER" | "BODY")
            && c.get("text")
                .and_then(Value::as_str)
                .is_some_and(|t| t.contains("{{"))
    })
}

/// The file's parameter format: the one of most languages that have variables (languages
/// without variables fit either); ties go to the first language's.
fn choose_format(live: &[&RemoteTemplate]) -> (Option<String>, Option<String>) {
    let with_vars: Vec<(&str, String)> = live
        .iter()
        .filter(|t| has_variables(&t.components))
        .map(|t| {
            let f = t
                .parameter_format
                .as_ref()
                .map_or("POSITIONAL", |p| p.as_str())
                .to_ascii_uppercase();
            (t.language.as_str(), f)
        })
        .collect();
    let named = with_vars.iter().filter(|(_, f)| f == "NAMED").count();
    let positional = with_vars.len() - named;
    let chosen =
        if named > positional || (named == positional && named > 0 && with_vars[0].1 == "NAMED") {
            "NAMED"
        } else {
            "POSITIONAL"
        };
    if named == 0 || positional == 0 {
        return (Some(chosen.to_string()), None);
    }
    let others: Vec<&str> = with_vars
        .iter()
        .filter(|(_, f)| f != chosen)
        .map(|(l, _)| *l)
        .collect();
    let note = format!(
        "languages use different parameter formats and one file holds one: the file says {}, so `wt lint` reports the variables of {} (written as Meta has them, WT004); rewrite them, or move those languages to another template name",
        chosen.to_ascii_lowercase(),
        others.join(", ")
    );
    (Some(chosen.to_string()), Some(note))
}

/// The file text for one template name.
pub fn to_toml(
    category: &str,
    parameter_format: Option<&str>,
    languages: &[RemoteLanguage],
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "category = {}", quote(&category.to_ascii_lowercase()));
    let named = parameter_format.is_some_and(|p| p.eq_ignore_ascii_case("NAMED"));
    if named {
        out.push_str("parameter_format = \"named\"\n");
    }
    let auth = category.eq_ignore_ascii_case("AUTHENTICATION");
    for lang in languages {
        let _ = writeln!(out, "\n[languages.{}]", key(&lang.language));
        let mut buttons: Vec<&Value> = Vec::new();
        let mut examples: Vec<String> = Vec::new();
        for c in &lang.components {
            let kind = upper(c.get("type"));
            match kind.as_str() {
                "HEADER" => {
                    let format = upper(c.get("format"));
                    match format.as_str() {
                        "TEXT" | "" => {
                            let _ = writeln!(out, "header = {}", quote(&s(c.get("text"))));
                            if let Some(ex) = c.get("example") {
                                examples.push(example_line("header", ex, "header_text"));
                            }
                        }
                        "LOCATION" => out.push_str("header = { format = \"location\" }\n"),
                        media => {
                            let handle = c
                                .pointer("/example/header_handle/0")
                                .and_then(Value::as_str)
                                .map(|h| format!(", example = {}", quote(h)))
                                .unwrap_or_default();
                            let _ = writeln!(
                                out,
                                "header = {{ format = {}{handle} }}",
                                quote(&media.to_ascii_lowercase())
                            );
                        }
                    }
                }
                "BODY" if auth => {
                    if let Some(b) = c
                        .get("add_security_recommendation")
                        .and_then(Value::as_bool)
                    {
                        let _ = writeln!(out, "add_security_recommendation = {b}");
                    }
                }
                "BODY" => {
                    let _ = writeln!(out, "body = {}", quote(&s(c.get("text"))));
                    if let Some(ex) = c.get("example") {
                        examples.push(example_line("body", ex, "body_text"));
                    }
                }
                "FOOTER" => {
                    if let Some(m) = c.get("code_expiration_minutes") {
                        let _ = writeln!(out, "code_expiration_minutes = {m}");
                    } else if !auth {
                        let _ = writeln!(out, "footer = {}", quote(&s(c.get("text"))));
                    }
                }
                "BUTTONS" => {
                    if let Some(a) = c.get("buttons").and_then(Value::as_array) {
                        buttons.extend(a.iter());
                    }
                }
                other => {
                    let _ = writeln!(out, "# wt pull: component {other} is not supported by the file format yet and was left out");
                }
            }
        }
        for e in examples {
            out.push_str(&e);
        }
        for b in buttons {
            let _ = writeln!(out, "\n[[languages.{}.buttons]]", key(&lang.language));
            button(&mut out, b, auth);
        }
    }
    out
}

fn button(out: &mut String, b: &Value, auth: bool) {
    let kind = upper(b.get("type"));
    if auth {
        // Meta stores OTP buttons back as URL buttons (meta/api.md §2.5) whose URL carries
        // the OTP type as a query parameter (`…/otp/code/?otp_type=COPY_CODE…`); read the
        // fields from there when the button does not have them.
        let url = b.get("url").and_then(Value::as_str).unwrap_or_default();
        let from_url = |k: &str| url_param(url, k);
        out.push_str("type = \"otp\"\n");
        let otp = b
            .get("otp_type")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| from_url("otp_type"))
            .unwrap_or_else(|| "copy_code".to_string());
        let _ = writeln!(out, "otp_type = {}", quote(&otp.to_ascii_lowercase()));
        // A button returned as URL carries Meta's localised label, not one the author chose:
        // writing it would turn Meta's default into a custom label (WT104). An OTP-typed
        // button keeps its labels.
        if kind == "OTP" {
            for k in ["text", "autofill_text"] {
                if let Some(v) = b.get(k).and_then(Value::as_str) {
                    let _ = writeln!(out, "{k} = {}", quote(v));
                }
            }
        }
        let url_app = from_url("package_name").zip(from_url("signature_hash"));
        if let (None, Some((package, hash))) = (b.get("supported_apps"), url_app) {
            let _ = writeln!(
                out,
                "supported_apps = [{{ package_name = {}, signature_hash = {} }}]",
                quote(&package),
                quote(&hash)
            );
        }
        if let Some(apps) = b.get("supported_apps").and_then(Value::as_array) {
            let items: Vec<String> = apps
                .iter()
                .map(|a| {
                    format!(
                        "{{ package_name = {}, signature_hash = {} }}",
                        quote(&s(a.get("package_name"))),
                        quote(&s(a.get("signature_hash")))
                    )
                })
                .collect();
            let _ = writeln!(out, "supported_apps = [{}]", items.join(", "));
        }
        if let Some(z) = b.get("zero_tap_terms_accepted").and_then(Value::as_bool) {
            let _ = writeln!(out, "zero_tap_terms_accepted = {z}");
        }
        return;
    }
    let _ = writeln!(out, "type = {}", quote(&kind.to_ascii_lowercase()));
    for k in [
        "text",
        "url",
        "phone_number",
        "flow_id",
        "flow_action",
        "navigate_screen",
    ] {
        // Ids may come back as numbers; the file keeps them as strings.
        match b.get(k) {
            Some(Value::String(v)) => {
                let _ = writeln!(out, "{k} = {}", quote(v));
            }
            Some(Value::Number(n)) => {
                let _ = writeln!(out, "{k} = {}", quote(&n.to_string()));
            }
            _ => {}
        }
    }
    match b.get("example") {
        Some(Value::Array(a)) => {
            if let Some(first) = a.first().and_then(Value::as_str) {
                let _ = writeln!(out, "example = {}", quote(first));
            }
        }
        Some(Value::String(e)) => {
            let _ = writeln!(out, "example = {}", quote(e));
        }
        _ => {}
    }
}

fn example_line(part: &str, ex: &Value, key_name: &str) -> String {
    if let Some(v) = ex.get(key_name) {
        // Body examples are one array inside an array; header examples a flat array.
        let flat: Vec<String> = match v {
            Value::Array(a) => match a.first() {
                Some(Value::Array(inner)) => inner.iter().map(|x| s(Some(x))).collect(),
                _ => a.iter().map(|x| s(Some(x))).collect(),
            },
            other => vec![s(Some(other))],
        };
        let items: Vec<String> = flat.iter().map(|x| quote(x)).collect();
        return format!("examples.{part} = [{}]\n", items.join(", "));
    }
    if let Some(Value::Array(a)) = ex.get(format!("{key_name}_named_params")) {
        let items: Vec<String> = a
            .iter()
            .map(|p| {
                format!(
                    "{} = {}",
                    key(&s(p.get("param_name"))),
                    quote(&s(p.get("example")))
                )
            })
            .collect();
        return format!("examples.{part} = {{ {} }}\n", items.join(", "));
    }
    String::new()
}

/// The value of query parameter `key` in `url`, decoded.
fn url_param(url: &str, key: &str) -> Option<String> {
    let parsed = reqwest::Url::parse(url).ok()?;
    parsed
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
        .filter(|v| !v.is_empty())
}

/// A TOML string: `"…"` with escapes, or `"""…"""` for multi-line text.
fn quote(v: &str) -> String {
    if v.contains('\n') {
        let mut body = String::new();
        for c in v.chars() {
            match c {
                '\\' => body.push_str("\\\\"),
                '"' => body.push_str("\\\""),
                '\n' => body.push('\n'),
                '\r' => body.push_str("\\r"),
                '\t' => body.push_str("\\t"),
                c if c.is_control() => {
                    let _ = write!(body, "\\u{:04X}", c as u32);
                }
                c => body.push(c),
            }
        }
        // A newline right after the opening quotes is trimmed by TOML, so the text starts on
        // its own line.
        return format!("\"\"\"\n{body}\"\"\"");
    }
    toml::Value::String(v.to_string()).to_string()
}

/// A bare key when it is one, else quoted.
fn key(k: &str) -> String {
    if !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        k.to_string()
    } else {
        quote(k)
    }
}

fn upper(v: Option<&Value>) -> String {
    v.and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_uppercase()
}

fn s(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(x)) => x.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::{components, normalize};
    use crate::source::SourceFile;
    use serde_json::json;

    fn round_trip(category: &str, format: Option<&str>, comps: Vec<Value>) {
        let text = to_toml(
            category,
            format,
            &[RemoteLanguage {
                language: "en_US".into(),
                components: comps.clone(),
            }],
        );
        let src = SourceFile::new("x.toml", text.clone());
        let loaded = crate::template::load(0, &src, "x");
        assert!(
            loaded.diagnostics.is_empty(),
            "{text}\n{:?}",
            loaded.diagnostics
        );
        let t = loaded.template.expect("loads");
        let back = components(&t, &t.languages[0]);
        assert_eq!(
            normalize(Some(category), &back),
            normalize(Some(category), &comps),
            "{text}"
        );
    }

    #[test]
    fn positional_with_everything() {
        round_trip(
            "UTILITY",
            Some("POSITIONAL"),
            vec![
                json!({"type": "HEADER", "format": "TEXT", "text": "Order {{1}}", "example": {"header_text": ["#4521"]}}),
                json!({"type": "BODY", "text": "Hello {{1}},\n\nyour \"order\" \\ {{2}} shipped.", "example": {"body_text": [["Maria", "#4521"]]}}),
                json!({"type": "FOOTER", "text": "Reply STOP to opt out"}),
                json!({"type": "BUTTONS", "buttons": [
                    {"type": "URL", "text": "Track", "url": "https://x.example.com/t/{{1}}", "example": ["https://x.example.com/t/1"]},
                    {"type": "PHONE_NUMBER", "text": "Call us", "phone_number": "+15550001234"},
                    {"type": "QUICK_REPLY", "text": "Stop"}
                ]}),
            ],
        );
    }

    #[test]
    fn every_button_type_and_numeric_ids() {
        round_trip(
            "MARKETING",
            None,
            vec![
                json!({"type": "HEADER", "format": "LOCATION"}),
                json!({"type": "BODY", "text": "Your table for {{1}} is ready, see you soon."}),
                json!({"type": "FOOTER", "text": "Reply STOP to opt out"}),
                json!({"type": "BUTTONS", "buttons": [
                    {"type": "COPY_CODE", "text": "Copy offer code", "example": ["SAVE20"]},
                    {"type": "FLOW", "text": "Book now", "flow_id": 1_234_567_890_123_u64, "flow_action": "NAVIGATE", "navigate_screen": "WELCOME"},
                    {"type": "CATALOG", "text": "View catalog"},
                    {"type": "MPM", "text": "View items"},
                    {"type": "VOICE_CALL", "text": "Call now"}
                ]}),
            ],
        );
    }

    #[test]
    fn otp_buttons_returned_as_url_keep_their_type_not_metas_label() {
        let url = "https://www.whatsapp.com/otp/code/?otp_type=ONE_TAP&package_name=com.example.app&signature_hash=K8a%2FAINcGX7&code=otp{{1}}";
        let comps = vec![
            json!({"type": "BODY", "text": "*{{1}}* is your verification code.", "example": {"body_text": [["123456"]]}}),
            json!({"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Autofill", "url": url}]}),
        ];
        round_trip("AUTHENTICATION", None, comps.clone());
        let text = to_toml(
            "AUTHENTICATION",
            None,
            &[RemoteLanguage {
                language: "en_US".into(),
                components: comps,
            }],
        );
        assert!(text.contains("otp_type = \"one_tap\""), "{text}");
        assert!(text.contains("signature_hash = \"K8a/AINcGX7\""), "{text}");
        assert!(
            !text.contains("Autofill"),
            "Meta's label is not the author's: {text}"
        );
    }

    #[test]
    fn names_that_are_not_file_names_are_refused() {
        assert!(check_file_name("order_shipped_2").is_ok());
        for bad in ["", "Order", "a b", "../x", "a.toml", "é"] {
            assert!(check_file_name(bad).is_err(), "{bad}");
        }
        assert!(check_file_name(&"a".repeat(MAX_FILE_NAME_CHARS + 1)).is_err());
    }

    fn remote(lang: &str, category: &str, format: Option<&str>, body: &str) -> RemoteTemplate {
        RemoteTemplate {
            id: format!("id_{lang}"),
            name: "t".into(),
            language: lang.into(),
            status: crate::api::TemplateStatus::Approved,
            category: crate::api::Category::parse(category),
            parameter_format: format.map(crate::api::ParameterFormat::parse),
            components: vec![json!({"type": "BODY", "text": body})],
            quality_score: None,
            rejected_reason: None,
            correct_category: None,
            previous_category: None,
        }
    }

    #[test]
    fn a_refiled_language_keeps_the_file_utility() {
        let (a, b) = (
            remote("en_US", "MARKETING", None, "Your order shipped today."),
            remote("es", "UTILITY", None, "Tu pedido salió hoy."),
        );
        let d = draft("t", &[&a, &b], "# h", false);
        let text = d.file.expect("written");
        assert!(text.contains("category = \"utility\""), "{text}");
        assert!(
            d.warnings[0].contains("does not count as a change"),
            "{:?}",
            d.warnings
        );
        assert!(text.contains("# wt pull: languages are filed"), "{text}");
        // Only MARKETING languages: the file says marketing, no warning.
        let d = draft("t", &[&a], "# h", false);
        assert!(d
            .file
            .expect("written")
            .contains("category = \"marketing\""));
        assert!(d.warnings.is_empty());
        // A category plan cannot reconcile is named in the warning.
        let c = remote("fr", "AUTHENTICATION", None, "x");
        let d = draft("t", &[&a, &b, &c], "# h", false);
        assert!(d.file.expect("written").contains("category = \"utility\""));
        assert!(
            d.warnings[0].contains("category change for fr"),
            "{:?}",
            d.warnings
        );
    }

    #[test]
    fn parameter_format_follows_languages_with_variables() {
        let named = remote(
            "en_US",
            "UTILITY",
            Some("NAMED"),
            "Hi {{first_name}}, welcome back.",
        );
        let plain = remote(
            "es",
            "UTILITY",
            Some("POSITIONAL"),
            "Hola, bienvenido de nuevo.",
        );
        let d = draft("t", &[&named, &plain], "# h", false);
        assert!(d
            .file
            .expect("written")
            .contains("parameter_format = \"named\""));
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
        let positional = remote("pt_BR", "UTILITY", None, "Olá {{1}}, bem-vindo de volta.");
        let d = draft("t", &[&named, &positional], "# h", false);
        assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
        assert!(d.warnings[0].contains("pt_BR"), "{:?}", d.warnings);
    }

    #[test]
    fn samples_unsupported_deleting_and_bad_names_are_not_written() {
        let t = remote("en_US", "MARKETING", None, "Hello there, welcome.");
        assert_eq!(
            draft("hello_world", &[&t], "", false).file,
            Err(Skip::Sample)
        );
        assert!(draft("hello_world", &[&t], "", true).file.is_ok());
        assert!(matches!(
            draft("Bad Name", &[&t], "", false).file,
            Err(Skip::InvalidName(_))
        ));
        let mut carousel = t.clone();
        carousel
            .components
            .push(json!({"type": "CAROUSEL", "cards": []}));
        let mut spm = t.clone();
        spm.components
            .push(json!({"type": "BUTTONS", "buttons": [{"type": "SPM", "text": "View"}]}));
        let mut flow_json = t.clone();
        flow_json.components.push(json!({"type": "BUTTONS", "buttons": [{"type": "FLOW", "text": "Go", "flow_json": "{}"}]}));
        for (x, what) in [
            (&carousel, "CAROUSEL component (en_US)"),
            (&spm, "SPM button (en_US)"),
            (&flow_json, "FLOW button with `flow_json` (en_US)"),
        ] {
            assert_eq!(
                draft("t", &[x], "", false).file,
                Err(Skip::Unsupported(vec![what.to_string()]))
            );
        }
        let mut gone = t.clone();
        gone.status = crate::api::TemplateStatus::PendingDeletion;
        assert_eq!(draft("t", &[&gone], "", false).file, Err(Skip::Deleting));
        let mut es = t.clone();
        es.language = "es".into();
        let d = draft("t", &[&gone, &es], "", false);
        assert_eq!(d.languages, ["es"]);
        assert!(
            d.warnings[0].contains("en_US (PENDING_DELETION)"),
            "{:?}",
            d.warnings
        );
        // The live template of a language wins over one being deleted.
        let d = draft("t", &[&gone, &t], "", false);
        assert_eq!(d.languages, ["en_US"]);
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn named_media_and_auth() {
        round_trip(
            "MARKETING",
            Some("NAMED"),
            vec![
                json!({"type": "HEADER", "format": "IMAGE", "example": {"header_handle": ["https://scontent.whatsapp.net/v/t61/abc.jpg"]}}),
                json!({"type": "BODY", "text": "Hi {{first_name}}, {{product}} is back.", "example": {"body_text_named_params": [{"param_name": "first_name", "example": "Maria"}, {"param_name": "product", "example": "Mug"}]}}),
            ],
        );
        round_trip(
            "AUTHENTICATION",
            None,
            vec![
                json!({"type": "BODY", "text": "*{{1}}* is your verification code.", "add_security_recommendation": true}),
                json!({"type": "FOOTER", "text": "This code expires in 10 minutes.", "code_expiration_minutes": 10}),
                json!({"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Copy code", "url": "https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE"}]}),
            ],
        );
    }
}
