//! Local templates ⇄ Meta's `components` JSON (meta/api.md §2), and the normalised form
//! that `plan` compares (meta/api.md §8: ignore what Meta rewrites).

use serde_json::{json, Map, Value};

use crate::template::text::{Segment, VarName};
use crate::template::{
    Button, ButtonKind, Category, ExampleSet, ExampleValues, Header, Language, ParameterFormat,
    Template,
};

/// The JSON body of `POST /<WABA_ID>/message_templates` for one language (meta/api.md §1.1).
pub fn create_payload(t: &Template, lang: &Language) -> Value {
    let mut body = Map::new();
    body.insert("name".into(), json!(t.name));
    body.insert("language".into(), json!(lang.code));
    if let Some(c) = t.category {
        body.insert("category".into(), json!(c.as_meta()));
    }
    if t.parameter_format == ParameterFormat::Named {
        body.insert("parameter_format".into(), json!("NAMED"));
    }
    body.insert("components".into(), Value::Array(components(t, lang)));
    Value::Object(body)
}

/// Meta's `components` array for one language of a template.
pub fn components(t: &Template, lang: &Language) -> Vec<Value> {
    let mut out = Vec::new();
    let named = t.parameter_format == ParameterFormat::Named;
    if t.category == Some(Category::Authentication) {
        let mut body = Map::new();
        body.insert("type".into(), json!("BODY"));
        if let Some(rec) = lang.add_security_recommendation {
            body.insert("add_security_recommendation".into(), json!(rec));
        }
        out.push(Value::Object(body));
        if let Some(m) = &lang.code_expiration_minutes {
            out.push(json!({"type": "FOOTER", "code_expiration_minutes": m.get_ref()}));
        }
    } else {
        match &lang.header {
            Some(Header::Text(h)) => {
                let mut c = Map::new();
                c.insert("type".into(), json!("HEADER"));
                c.insert("format".into(), json!("TEXT"));
                c.insert("text".into(), json!(h.value));
                if let Some(ex) = &lang.examples.header {
                    c.insert(
                        "example".into(),
                        example_json(ex, &h.value, named, "header_text"),
                    );
                }
                out.push(Value::Object(c));
            }
            Some(Header::Media {
                format, example, ..
            }) => {
                let mut c = Map::new();
                c.insert("type".into(), json!("HEADER"));
                c.insert("format".into(), json!(format.as_meta()));
                if let Some(e) = example {
                    c.insert("example".into(), json!({"header_handle": [e.value]}));
                }
                out.push(Value::Object(c));
            }
            Some(Header::Location { .. }) => {
                out.push(json!({"type": "HEADER", "format": "LOCATION"}))
            }
            None => {}
        }
        if let Some(b) = &lang.body {
            let mut c = Map::new();
            c.insert("type".into(), json!("BODY"));
            c.insert("text".into(), json!(b.value));
            if let Some(ex) = &lang.examples.body {
                c.insert(
                    "example".into(),
                    example_json(ex, &b.value, named, "body_text"),
                );
            }
            out.push(Value::Object(c));
        }
        if let Some(f) = &lang.footer {
            out.push(json!({"type": "FOOTER", "text": f.value}));
        }
    }
    if !lang.buttons.is_empty() {
        let buttons: Vec<Value> = lang.buttons.iter().map(button_json).collect();
        out.push(json!({"type": "BUTTONS", "buttons": buttons}));
    }
    out
}

/// `{"body_text": [["a","b"]]}` (positional: one array in an array, meta/api.md §2.3) or
/// `{"body_text_named_params": [{"param_name","example"}]}`, ordered as the variables appear.
fn example_json(ex: &ExampleSet, text: &str, named: bool, key: &str) -> Value {
    match &ex.values {
        ExampleValues::Positional(v) => {
            let values: Vec<&str> = v.iter().map(|s| s.value.as_str()).collect();
            if key == "header_text" {
                json!({ key: values })
            } else {
                json!({ key: [values] })
            }
        }
        ExampleValues::Named(v) => {
            let _ = named;
            let mut order: Vec<String> = Vec::new();
            for seg in crate::template::text::parse(text) {
                if let Segment::Var(var) = seg {
                    if let VarName::Named(n) = var.name {
                        if !order.contains(&n) {
                            order.push(n);
                        }
                    }
                }
            }
            for (k, _, _) in v {
                if !order.contains(k) {
                    order.push(k.clone());
                }
            }
            let params: Vec<Value> = order
                .iter()
                .filter_map(|n| {
                    v.iter()
                        .find(|(k, _, _)| k == n)
                        .map(|(_, _, s)| json!({"param_name": n, "example": s.value}))
                })
                .collect();
            json!({ format!("{key}_named_params"): params })
        }
    }
}

fn button_json(b: &Button) -> Value {
    let mut m = Map::new();
    m.insert("type".into(), json!(b.kind.as_str().to_ascii_uppercase()));
    fn put(m: &mut Map<String, Value>, k: &str, v: &Option<crate::template::Str>) {
        if let Some(s) = v {
            m.insert(k.into(), json!(s.value));
        }
    }
    put(&mut m, "text", &b.text);
    match b.kind {
        ButtonKind::Url => {
            put(&mut m, "url", &b.url);
            if let Some(e) = &b.example {
                m.insert("example".into(), json!([e.value]));
            }
        }
        ButtonKind::PhoneNumber => put(&mut m, "phone_number", &b.phone_number),
        ButtonKind::CopyCode => put(&mut m, "example", &b.example),
        ButtonKind::Otp => {
            if let Some(o) = &b.otp_type {
                m.insert("otp_type".into(), json!(o.value.to_ascii_uppercase()));
            }
            put(&mut m, "autofill_text", &b.autofill_text);
            if !b.supported_apps.is_empty() {
                let apps: Vec<Value> = b
                    .supported_apps
                    .iter()
                    .map(|a| {
                        json!({
                            "package_name": a.package_name.as_ref().map(|s| s.value.clone()),
                            "signature_hash": a.signature_hash.as_ref().map(|s| s.value.clone()),
                        })
                    })
                    .collect();
                m.insert("supported_apps".into(), Value::Array(apps));
            }
            if let Some(z) = b.zero_tap_terms_accepted {
                m.insert("zero_tap_terms_accepted".into(), json!(z));
            }
        }
        ButtonKind::Flow => {
            put(&mut m, "flow_id", &b.flow_id);
            put(&mut m, "flow_action", &b.flow_action);
            put(&mut m, "navigate_screen", &b.navigate_screen);
        }
        _ => {}
    }
    Value::Object(m)
}

/// One comparable piece of a template: (`component`, text).
pub type Part = (String, String);

/// The normalised, comparable form of a `components` array: what `plan` diffs. Ignores what
/// Meta rewrites (meta/api.md §8): case of `type`/`format`, media handles (returned as CDN
/// URLs), the preset body text and OTP button type of authentication templates.
pub fn normalize(category: Option<&str>, components: &[Value]) -> Vec<Part> {
    let auth = category.is_some_and(|c| c.eq_ignore_ascii_case("AUTHENTICATION"));
    let mut parts = Vec::new();
    for c in components {
        let kind = upper(c.get("type"));
        match kind.as_str() {
            "HEADER" => {
                let format = upper(c.get("format"));
                match format.as_str() {
                    "TEXT" | "" => {
                        parts.push(("header".into(), str_of(c.get("text"))));
                        if let Some(ex) = c.get("example") {
                            parts.push(("header example".into(), examples(ex, "header_text")));
                        }
                    }
                    // Media samples come back as CDN URLs: compare the format only.
                    other => parts.push(("header".into(), format!("[{other}]"))),
                }
            }
            "BODY" if auth => {
                if let Some(rec) = c
                    .get("add_security_recommendation")
                    .and_then(Value::as_bool)
                {
                    parts.push(("security recommendation".into(), rec.to_string()));
                }
            }
            "BODY" => {
                parts.push(("body".into(), str_of(c.get("text"))));
                if let Some(ex) = c.get("example") {
                    parts.push(("body example".into(), examples(ex, "body_text")));
                }
            }
            "FOOTER" => {
                if let Some(m) = c.get("code_expiration_minutes") {
                    parts.push(("code expiration".into(), m.to_string()));
                } else if !auth {
                    parts.push(("footer".into(), str_of(c.get("text"))));
                }
            }
            "BUTTONS" => {
                let buttons = c
                    .get("buttons")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                for (i, b) in buttons.iter().enumerate() {
                    parts.push((format!("button {}", i + 1), button_text(b, auth)));
                }
            }
            other => parts.push((other.to_lowercase(), c.to_string())),
        }
    }
    parts
}

fn button_text(b: &Value, auth: bool) -> String {
    let t = upper(b.get("type"));
    if auth {
        // Meta stores OTP buttons back as URL buttons with its own text (meta/api.md §2.5).
        return "OTP".to_string();
    }
    let mut s = format!("{t} \"{}\"", str_of(b.get("text")));
    for key in ["url", "phone_number", "flow_id", "navigate_screen"] {
        // Ids may come back as JSON numbers while files hold strings: compare their text.
        match b.get(key) {
            Some(Value::String(v)) => s.push_str(&format!(" {key}={v}")),
            Some(Value::Number(n)) => s.push_str(&format!(" {key}={n}")),
            _ => {}
        }
    }
    if let Some(ex) = b.get("example") {
        let v = match ex {
            Value::Array(a) => a
                .iter()
                .map(|x| str_of(Some(x)))
                .collect::<Vec<_>>()
                .join(", "),
            other => str_of(Some(other)),
        };
        s.push_str(&format!(" example={v}"));
    }
    s
}

fn examples(ex: &Value, key: &str) -> String {
    if let Some(v) = ex.get(key) {
        let flat: Vec<String> = match v {
            Value::Array(a) => a
                .iter()
                .flat_map(|x| match x {
                    Value::Array(inner) => {
                        inner.iter().map(|y| str_of(Some(y))).collect::<Vec<_>>()
                    }
                    other => vec![str_of(Some(other))],
                })
                .collect(),
            other => vec![str_of(Some(other))],
        };
        return flat.join(" | ");
    }
    if let Some(Value::Array(a)) = ex.get(format!("{key}_named_params")) {
        return a
            .iter()
            .map(|p| {
                format!(
                    "{}={}",
                    str_of(p.get("param_name")),
                    str_of(p.get("example"))
                )
            })
            .collect::<Vec<_>>()
            .join(" | ");
    }
    ex.to_string()
}

fn upper(v: Option<&Value>) -> String {
    v.and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_uppercase()
}

fn str_of(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn load(text: &str) -> Template {
        let src = SourceFile::new("t.toml", text.to_string());
        let loaded = crate::template::load(0, &src, "order_shipped");
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        loaded.template.expect("template loads")
    }

    #[test]
    fn positional_payload_has_meta_shapes() {
        let t = load(
            r##"category = "utility"
[languages.en_US]
header = "Order {{1}}"
body = "Hello {{1}}, order {{2}} shipped today."
footer = "Reply STOP to opt out"
examples.header = ["#4521"]
examples.body = ["Maria", "#4521"]
[[languages.en_US.buttons]]
type = "url"
text = "Track"
url = "https://shop.example.com/t/{{1}}"
example = "https://shop.example.com/t/4521"
"##,
        );
        let p = create_payload(&t, &t.languages[0]);
        assert_eq!(
            p,
            json!({
                "name": "order_shipped", "language": "en_US", "category": "UTILITY",
                "components": [
                    {"type": "HEADER", "format": "TEXT", "text": "Order {{1}}", "example": {"header_text": ["#4521"]}},
                    {"type": "BODY", "text": "Hello {{1}}, order {{2}} shipped today.", "example": {"body_text": [["Maria", "#4521"]]}},
                    {"type": "FOOTER", "text": "Reply STOP to opt out"},
                    {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Track", "url": "https://shop.example.com/t/{{1}}", "example": ["https://shop.example.com/t/4521"]}]}
                ]
            })
        );
    }

    #[test]
    fn named_examples_follow_variable_order() {
        let t = load(
            r##"category = "marketing"
parameter_format = "named"
[languages.en_US]
body = "Hi {{first_name}}, {{product}} is back in stock today."
examples.body = { product = "Blue mug", first_name = "Maria" }
"##,
        );
        let c = components(&t, &t.languages[0]);
        assert_eq!(
            c[0]["example"],
            json!({"body_text_named_params": [
                {"param_name": "first_name", "example": "Maria"},
                {"param_name": "product", "example": "Blue mug"}
            ]})
        );
    }

    /// The authentication example of Meta's OpenAPI file ("Create authentication template w/
    /// OTP copy code button").
    #[test]
    fn authentication_payload_matches_metas_openapi_example() {
        let t = load(
            r##"category = "authentication"
[languages.en_US]
add_security_recommendation = true
code_expiration_minutes = 10
[[languages.en_US.buttons]]
type = "otp"
otp_type = "copy_code"
text = "Copy Code"
"##,
        );
        let mut p = create_payload(&t, &t.languages[0]);
        p["name"] = json!("authentication_code_copy_code_button");
        assert_eq!(
            p,
            json!({
                "category": "AUTHENTICATION",
                "components": [
                    {"add_security_recommendation": true, "type": "BODY"},
                    {"code_expiration_minutes": 10, "type": "FOOTER"},
                    {"buttons": [{"otp_type": "COPY_CODE", "text": "Copy Code", "type": "OTP"}], "type": "BUTTONS"}
                ],
                "language": "en_US",
                "name": "authentication_code_copy_code_button"
            })
        );
    }

    #[test]
    fn numeric_ids_compare_as_their_text() {
        let file = vec![
            json!({"type": "BUTTONS", "buttons": [{"type": "FLOW", "text": "Book", "flow_id": "1234567890123"}]}),
        ];
        let meta = vec![
            json!({"type": "BUTTONS", "buttons": [{"type": "flow", "text": "Book", "flow_id": 1_234_567_890_123_u64}]}),
        ];
        assert_eq!(
            normalize(Some("UTILITY"), &file),
            normalize(Some("UTILITY"), &meta)
        );
        let other = vec![
            json!({"type": "BUTTONS", "buttons": [{"type": "FLOW", "text": "Book", "flow_id": 99}]}),
        ];
        assert_ne!(
            normalize(Some("UTILITY"), &file),
            normalize(Some("UTILITY"), &other)
        );
    }

    #[test]
    fn normalize_ignores_what_meta_rewrites() {
        let local = vec![
            json!({"type": "HEADER", "format": "IMAGE", "example": {"header_handle": ["4::aW1h"]}}),
            json!({"type": "BODY", "text": "Hi {{1}} there, welcome back.", "example": {"body_text": [["Maria"]]}}),
        ];
        let remote = vec![
            json!({"type": "header", "format": "image", "example": {"header_handle": ["https://scontent.whatsapp.net/x.jpg"]}}),
            json!({"type": "body", "text": "Hi {{1}} there, welcome back.", "example": {"body_text": [["Maria"]]}}),
        ];
        assert_eq!(
            normalize(Some("MARKETING"), &local),
            normalize(Some("MARKETING"), &remote)
        );
        let changed = vec![
            remote[0].clone(),
            json!({"type": "BODY", "text": "Hi {{1}}, welcome back."}),
        ];
        assert_ne!(
            normalize(Some("MARKETING"), &local),
            normalize(Some("MARKETING"), &changed)
        );
    }
}
