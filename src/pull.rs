//! Meta's `components` JSON → a template file in the SPEC §1 format (for `wt pull`).
//!
//! The output must load back to the same components (`convert::normalize` equal), so that
//! pull → lint → plan reports no change.

use std::fmt::Write as _;

use serde_json::Value;

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
        // Meta stores OTP buttons back as URL buttons (meta/api.md §2.5).
        out.push_str("type = \"otp\"\n");
        let otp = b
            .get("otp_type")
            .and_then(Value::as_str)
            .unwrap_or("copy_code");
        let _ = writeln!(out, "otp_type = {}", quote(&otp.to_ascii_lowercase()));
        for k in ["autofill_text"] {
            if let Some(v) = b.get(k).and_then(Value::as_str) {
                let _ = writeln!(out, "{k} = {}", quote(v));
            }
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
        if let Some(v) = b.get(k).and_then(Value::as_str) {
            let _ = writeln!(out, "{k} = {}", quote(v));
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
