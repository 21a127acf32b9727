//! Authentication templates: WT100–WT104.

use crate::lint::rules::components::is_emoji;
use crate::lint::rules::declare_rules;
use crate::lint::Checker;
use crate::template::{ButtonKind, Category, Header};

declare_rules! {
    /// ## What it does
    /// An authentication template with its own body, header or footer text.
    ///
    /// ## Why Meta rejects it
    /// Meta supplies the text of authentication templates (`<CODE> is your verification
    /// code.`); only the security line and the expiry are configurable (meta/api.md §2.6).
    ///
    /// ## Example
    /// `body = "Your login code is {{1}}"` in an authentication template
    ///
    /// Use instead:
    /// `add_security_recommendation = true` and `code_expiration_minutes = 10`, no body.
    WT100 = ("WT100", "auth-custom-content", Error, Authentication, "authentication template with body, header or footer text");

    /// ## What it does
    /// An authentication template needs exactly one `otp` button with a valid `otp_type`;
    /// `one_tap` and `zero_tap` need an Android package name and signature hash; `zero_tap`
    /// needs `zero_tap_terms_accepted = true`.
    ///
    /// ## Why Meta rejects it
    /// Creation fails without these fields (meta/api.md §2.6).
    ///
    /// ## Example
    /// `type = "otp"`, `otp_type = "zero_tap"` and nothing else
    ///
    /// Use instead:
    /// add `package_name`, `signature_hash` and `zero_tap_terms_accepted = true`, or use
    /// `otp_type = "copy_code"`.
    WT101 = ("WT101", "auth-otp-button", Error, Authentication, "not exactly one valid OTP button");

    /// ## What it does
    /// A URL, a media header or an emoji anywhere in an authentication template.
    ///
    /// ## Why Meta rejects it
    /// "URLs, media, emojis not supported" in authentication templates (meta/api.md §2.6).
    ///
    /// ## Example
    /// `header = { format = "image", example = "…" }` in an authentication template
    ///
    /// Use instead:
    /// no header.
    WT102 = ("WT102", "auth-forbidden-content", Error, Authentication, "URL, media or emoji in an authentication template");

    /// ## What it does
    /// `code_expiration_minutes` outside 1–90.
    ///
    /// ## Why Meta rejects it
    /// Meta accepts 1 to 90 minutes (meta/api.md §3.14).
    ///
    /// ## Example
    /// `code_expiration_minutes = 120`
    ///
    /// Use instead:
    /// `code_expiration_minutes = 10`
    WT103 = ("WT103", "auth-expiry-range", Error, Authentication, "code_expiration_minutes outside 1–90");

    /// ## What it does
    /// A custom label on the OTP button: `text` (the copy-code label) or `autofill_text`
    /// (the one-tap label).
    ///
    /// ## Why it matters
    /// Meta's default labels ("Copy code", "Autofill") are localised for the customer; a custom
    /// one is shown as written in every language.
    ///
    /// ## Example
    /// `text = "Grab your code"`
    ///
    /// Use instead:
    /// leave `text` out.
    WT104 = ("WT104", "auth-button-label", Warning, Authentication, "custom OTP button label");
}

/// Meta's range for `code_expiration_minutes` (meta/api.md §3.14).
const EXPIRY_MINUTES: std::ops::RangeInclusive<i64> = 1..=90;

pub(crate) fn check(cx: &mut Checker<'_>) {
    let t = cx.template;
    if t.category != Some(Category::Authentication) {
        // Auth-only fields on another category are typos of intent.
        for lang in &t.languages {
            if let Some(m) = &lang.code_expiration_minutes {
                cx.set_language(Some(&lang.code));
                cx.report(
                    &WT103,
                    m.span(),
                    "`code_expiration_minutes` only applies to authentication templates",
                    "remove `code_expiration_minutes`, or set `category = \"authentication\"`",
                );
            }
        }
        cx.set_language(None);
        return;
    }
    for lang in &t.languages {
        cx.set_language(Some(&lang.code));
        for (part, s) in [("body", &lang.body), ("footer", &lang.footer)] {
            if let Some(s) = s {
                cx.report(&WT100, s.span(), format!("an authentication template has no custom {part}: Meta supplies the text"), format!("remove `{part}`; use `add_security_recommendation` and `code_expiration_minutes`"));
            }
        }
        match &lang.header {
            Some(Header::Text(h)) => cx.report(
                &WT100,
                h.span(),
                "an authentication template has no header",
                "remove `header`",
            ),
            Some(Header::Media { span, .. }) | Some(Header::Location { span }) => cx.report(
                &WT102,
                span.clone(),
                "media and location headers are not allowed in authentication templates",
                "remove `header`",
            ),
            None => {}
        }
        if let Some(m) = &lang.code_expiration_minutes {
            if !EXPIRY_MINUTES.contains(m.get_ref()) {
                cx.report(
                    &WT103,
                    m.span(),
                    format!(
                        "`code_expiration_minutes = {}` is outside 1–90",
                        m.get_ref()
                    ),
                    "use a value from 1 to 90 minutes",
                );
            }
        }
        let otp: Vec<_> = lang
            .buttons
            .iter()
            .filter(|b| b.kind == ButtonKind::Otp)
            .collect();
        match otp.get(1) {
            None if otp.is_empty() => cx.report(
                &WT101,
                lang.code_span.clone(),
                "an authentication template needs exactly one OTP button, found none",
                format!(
                    "add `[[languages.{}.buttons]]` with `type = \"otp\"` and `otp_type = \"copy_code\"`",
                    lang.code
                ),
            ),
            None => {}
            Some(second) => cx.report(
                &WT101,
                second.type_value.span(),
                format!(
                    "an authentication template needs exactly one OTP button, found {}",
                    otp.len()
                ),
                "remove this OTP button: one is all Meta accepts",
            ),
        }
        for b in &lang.buttons {
            if b.kind == ButtonKind::Url {
                cx.report(
                    &WT102,
                    b.type_value.span(),
                    "URL buttons are not allowed in authentication templates",
                    "remove the URL button",
                );
            } else if b.kind != ButtonKind::Otp {
                cx.report(
                    &WT101,
                    b.type_value.span(),
                    format!(
                        "a `{}` button in an authentication template",
                        b.kind.as_str()
                    ),
                    "remove this button: authentication templates carry only the OTP button",
                );
            }
            for s in [&b.text, &b.autofill_text].into_iter().flatten() {
                if let Some((i, c)) = s.value.char_indices().find(|(_, c)| is_emoji(*c)) {
                    cx.report_in(
                        &WT102,
                        s,
                        i..i + c.len_utf8(),
                        "emoji are not allowed in authentication templates",
                        "remove the emoji",
                    );
                }
                if s.value.contains("://") || s.value.contains("www.") {
                    cx.report(
                        &WT102,
                        s.span(),
                        "URLs are not allowed in authentication templates",
                        "remove the URL",
                    );
                }
            }
            if b.kind != ButtonKind::Otp {
                continue;
            }
            // `text` labels the copy-code button, `autofill_text` the one-tap button: both
            // replace Meta's localised default.
            for (key, label) in [("text", &b.text), ("autofill_text", &b.autofill_text)] {
                if let Some(label) = label {
                    cx.report(
                        &WT104,
                        label.span(),
                        format!("custom OTP button label in `{key}`"),
                        format!("remove `{key}` so Meta shows its localised default"),
                    );
                }
            }
            let Some(otp_type) = &b.otp_type else {
                if b.misspelt.contains(&"otp_type") {
                    continue;
                }
                cx.report(
                    &WT101,
                    b.type_value.span(),
                    "OTP button without `otp_type`",
                    "add `otp_type = \"copy_code\"` (or \"one_tap\", \"zero_tap\")",
                );
                continue;
            };
            let kind = otp_type.value.to_ascii_lowercase();
            match kind.as_str() {
                "copy_code" => {}
                "one_tap" | "zero_tap" => {
                    let complete = !b.supported_apps.is_empty()
                        && b.supported_apps
                            .iter()
                            .all(|a| a.package_name.is_some() && a.signature_hash.is_some());
                    if !complete {
                        cx.report(&WT101, otp_type.span(), format!("`{kind}` needs the Android app's `package_name` and `signature_hash`"), "add `supported_apps = [{ package_name = \"com.example.app\", signature_hash = \"K8a/AINcGX7\" }]`");
                    }
                    if kind == "zero_tap" && b.zero_tap_terms_accepted != Some(true) {
                        cx.report(&WT101, otp_type.span(), "`zero_tap` needs `zero_tap_terms_accepted = true`", "add `zero_tap_terms_accepted = true` after reading Meta's zero-tap terms");
                    }
                }
                other => cx.report(
                    &WT101,
                    otp_type.span(),
                    format!("unknown otp_type \"{other}\""),
                    "use \"copy_code\", \"one_tap\" or \"zero_tap\"",
                ),
            }
        }
    }
    cx.set_language(None);
}
