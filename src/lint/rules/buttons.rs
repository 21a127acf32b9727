//! Buttons: WT050–WT054.

use std::collections::HashMap;

use crate::lint::rules::components::is_emoji;
use crate::lint::rules::{declare_rules, plural};
use crate::lint::Checker;
use crate::template::text::Segment;
use crate::template::{Button, ButtonKind, Category};

declare_rules! {
    /// ## What it does
    /// Counts buttons: at most 10 in all, 2 URL, 1 phone number, 1 copy-code, and quick
    /// replies grouped together (all before or all after the other buttons).
    ///
    /// ## Why Meta rejects it
    /// These are Meta's button limits and grouping rule (meta/api.md §2.5, §3.6); `QR, URL, QR`
    /// fails with "invalid combination".
    ///
    /// ## Example
    /// buttons: quick_reply, url, quick_reply
    ///
    /// Use instead:
    /// buttons: quick_reply, quick_reply, url
    WT050 = ("WT050", "button-count", Error, Buttons, "too many buttons of a kind, or quick replies not contiguous");

    /// ## What it does
    /// Checks button labels: not empty, at most 25 characters, and no variable, newline,
    /// emoji or markup.
    ///
    /// ## Why Meta rejects it
    /// Meta: "Buttons can't have any variables, newlines, emojis, or formatting characters";
    /// labels are limited to 25 characters (meta/api.md §3.5).
    ///
    /// ## Example
    /// `text = "👉 Track your order {{1}} now"`
    ///
    /// Use instead:
    /// `text = "Track order"`
    WT051 = ("WT051", "button-label", Error, Buttons, "label empty, over 25 characters, or with a variable, newline, emoji or markup");

    /// ## What it does
    /// Two buttons with the same label (ignoring case).
    ///
    /// ## Why it matters
    /// The customer cannot tell them apart, and your webhook cannot either for quick replies.
    ///
    /// ## Example
    /// two quick replies labelled "Yes" and "yes"
    ///
    /// Use instead:
    /// "Yes, confirm" and "No, reschedule"
    WT052 = ("WT052", "button-duplicate-label", Warning, Buttons, "two buttons with the same label");

    /// ## What it does
    /// Phone-number buttons need an E.164-like number (`+` and 7–15 digits), at most 20
    /// characters.
    ///
    /// ## Why Meta rejects it
    /// Meta limits the number to 20 characters and answers error 192 "is not a valid phone
    /// number" (meta/api.md §2.5, §5.2).
    ///
    /// ## Example
    /// `phone_number = "call 0800-FLOWERS"`
    ///
    /// Use instead:
    /// `phone_number = "+15550001234"`
    WT053 = ("WT053", "phone-button-format", Error, Buttons, "phone number not E.164-like or longer than 20 characters");

    /// ## What it does
    /// An OTP button outside an authentication template, or a catalog / multi-product button
    /// outside a marketing template.
    ///
    /// ## Why Meta rejects it
    /// OTP buttons exist only for AUTHENTICATION; catalog and MPM templates are MARKETING
    /// (meta/api.md §2.5, §6.2).
    ///
    /// ## Example
    /// `category = "utility"` with `type = "otp"`
    ///
    /// Use instead:
    /// `category = "authentication"`, or a quick reply / URL button.
    WT054 = ("WT054", "button-category-mismatch", Error, Buttons, "OTP button outside authentication; catalog/MPM outside marketing");
}

/// Meta's button limits (meta/api.md §3.5, §3.6).
const MAX_BUTTONS: usize = 10;
const MAX_URL_BUTTONS: usize = 2;
const MAX_PHONE_BUTTONS: usize = 1;
const MAX_COPY_CODE_BUTTONS: usize = 1;
pub(crate) const MAX_LABEL_CHARS: usize = 25;
const MAX_PHONE_CHARS: usize = 20;

pub(crate) fn check(cx: &mut Checker<'_>) {
    let t = cx.template;
    for lang in &t.languages {
        cx.set_language(Some(&lang.code));
        let buttons = &lang.buttons;
        counts(cx, buttons);
        let mut labels: HashMap<String, &Button> = HashMap::new();
        for b in buttons {
            label(cx, b);
            if let Some(text) = &b.text {
                let key = text.value.trim().to_lowercase();
                if !key.is_empty() {
                    if let Some(first) = labels.get(&key) {
                        let d = cx
                            .diag(
                                &WT052,
                                text.span(),
                                format!("two buttons are labelled \"{}\"", text.value.trim()),
                            )
                            .help("give each button a distinct label")
                            .related(crate::lint::diagnostic::Related {
                                file: t.file,
                                span: first.text.as_ref().map_or(first.span.clone(), |s| s.span()),
                                template: Some(crate::lint::diagnostic::clip_name(&t.name)),
                                language: Some(crate::lint::diagnostic::clip_name(&lang.code)),
                                message: "first used here".into(),
                            });
                        cx.push(d);
                    } else {
                        labels.insert(key, b);
                    }
                }
            }
            if b.kind == ButtonKind::PhoneNumber {
                phone(cx, b);
            }
            match (b.kind, t.category) {
                (ButtonKind::Otp, Some(c)) if c != Category::Authentication => cx.report(
                    &WT054,
                    b.type_value.span(),
                    "an OTP button is only allowed in an authentication template",
                    "set `category = \"authentication\"`, or use a quick reply or URL button",
                ),
                (ButtonKind::Catalog | ButtonKind::Mpm, Some(c)) if c != Category::Marketing => cx
                    .report(
                        &WT054,
                        b.type_value.span(),
                        format!(
                            "a `{}` button is only allowed in a marketing template",
                            b.kind.as_str()
                        ),
                        "set `category = \"marketing\"`, or use a URL button",
                    ),
                _ => {}
            }
        }
    }
    cx.set_language(None);
}

fn counts(cx: &mut Checker<'_>, buttons: &[Button]) {
    if buttons.len() > MAX_BUTTONS {
        cx.report(
            &WT050,
            buttons[MAX_BUTTONS].type_value.span(),
            format!("{} buttons; Meta allows {MAX_BUTTONS}", buttons.len()),
            format!("remove {}", plural(buttons.len() - MAX_BUTTONS, "button")),
        );
    }
    for (kind, max, what) in [
        (ButtonKind::Url, MAX_URL_BUTTONS, "URL"),
        (ButtonKind::PhoneNumber, MAX_PHONE_BUTTONS, "phone-number"),
        (ButtonKind::CopyCode, MAX_COPY_CODE_BUTTONS, "copy-code"),
    ] {
        let of_kind: Vec<&Button> = buttons.iter().filter(|b| b.kind == kind).collect();
        if of_kind.len() > max {
            cx.report(
                &WT050,
                of_kind[max].type_value.span(),
                format!("{} {what} buttons; Meta allows {max}", of_kind.len()),
                format!("keep at most {}", plural(max, &format!("{what} button"))),
            );
        }
    }
    // Quick replies must form one contiguous group.
    let qr: Vec<usize> = buttons
        .iter()
        .enumerate()
        .filter(|(_, b)| b.kind == ButtonKind::QuickReply)
        .map(|(i, _)| i)
        .collect();
    if let (Some(first), Some(last)) = (qr.first(), qr.last()) {
        if last - first + 1 != qr.len() {
            let gap = (*first..*last)
                .find(|i| buttons[*i].kind != ButtonKind::QuickReply)
                .unwrap_or(*first);
            cx.report(
                &WT050,
                buttons[gap].type_value.span(),
                "quick replies must be grouped together, all before or all after the other buttons",
                "move this button before the first or after the last quick reply",
            );
        }
    }
}

fn label(cx: &mut Checker<'_>, b: &Button) {
    let needs_label = !matches!(b.kind, ButtonKind::Otp | ButtonKind::CopyCode);
    let Some(text) = &b.text else {
        if needs_label && !b.misspelt.contains(&"text") {
            cx.report(
                &WT051,
                b.type_value.span(),
                format!("`{}` button without `text`", b.kind.as_str()),
                "add a label, e.g. `text = \"Track order\"`",
            );
        }
        return;
    };
    let v = &text.value;
    if v.trim().is_empty() {
        cx.report(
            &WT051,
            text.span(),
            "the button label is empty",
            "write a short label, e.g. `text = \"Track order\"`",
        );
        return;
    }
    let len = v.chars().count();
    if len > MAX_LABEL_CHARS {
        let start = v
            .char_indices()
            .nth(MAX_LABEL_CHARS)
            .map_or(v.len(), |(i, _)| i);
        cx.report_in(
            &WT051,
            text,
            start..v.len(),
            format!("the button label is {len} characters; Meta allows {MAX_LABEL_CHARS}"),
            format!(
                "shorten the label by {}",
                plural(len - MAX_LABEL_CHARS, "character")
            ),
        );
    }
    for seg in text.segments() {
        if let Segment::Var(var) = seg {
            cx.report_in(
                &WT051,
                text,
                var.span.clone(),
                "a button label cannot contain a variable",
                "use fixed text; put the variable in the body or the URL",
            );
            return;
        }
    }
    if let Some((i, c)) = v
        .char_indices()
        .find(|(_, c)| is_emoji(*c) || matches!(c, '\n' | '\r' | '*' | '_' | '~' | '`'))
    {
        let (what, help) = if is_emoji(c) {
            (
                format!("the emoji {c}"),
                "remove the emoji: button labels are plain text".to_string(),
            )
        } else if c == '\n' || c == '\r' {
            (
                "a newline".to_string(),
                "write the label on one line".to_string(),
            )
        } else {
            (
                format!("the formatting character `{c}`"),
                format!("remove the `{c}`: button labels are plain text"),
            )
        };
        cx.report_in(
            &WT051,
            text,
            i..i + c.len_utf8(),
            format!("the button label contains {what}"),
            help,
        );
    }
}

fn phone(cx: &mut Checker<'_>, b: &Button) {
    let Some(p) = &b.phone_number else {
        if b.misspelt.contains(&"phone_number") {
            return;
        }
        cx.report(
            &WT053,
            b.type_value.span(),
            "phone-number button without `phone_number`",
            "add `phone_number = \"+15550001234\"`",
        );
        return;
    };
    let v = p.value.trim();
    let digits = v.strip_prefix('+').unwrap_or(v);
    let ok = (7..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if !ok || p.value.chars().count() > MAX_PHONE_CHARS {
        let cleaned: String = v.chars().filter(|c| c.is_ascii_digit()).collect();
        let help = if (7..=15).contains(&cleaned.len()) && !cleaned.starts_with('0') {
            format!("write `phone_number = \"+{cleaned}\"`")
        } else {
            "write the number in E.164 form: `+`, country code and number, e.g. `+15550001234`"
                .to_string()
        };
        cx.report(
            &WT053,
            p.span(),
            format!("\"{}\" is not an E.164 phone number", p.value),
            help,
        );
    }
}
