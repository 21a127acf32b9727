//! Category fit: WT080–WT086 (utility vs marketing vs authentication).
//!
//! Driven by the word lists of `data/lexicons/<lang>/` for the base of the template's language
//! code (see `lexicon.rs`); a language without lists is not judged.

use std::sync::OnceLock;

use regex::Regex;

use crate::lint::rules::declare_rules;
use crate::lint::rules::lexicon::{self, Hit, List, Scan};
use crate::lint::rules::policy::{reading, texts, Reading, LIST_WINDOW};
use crate::lint::Checker;
use crate::template::text::Segment;
use crate::template::{ButtonKind, Category, Header, Language, Str};

declare_rules! {
    /// ## What it does
    /// In a utility template, finds promotional wording: discounts, `20% off` / `20% de
    /// descuento` / `10% de desconto`, coupon codes (`code SAVE20`), "limited time", "free
    /// shipping", "buy now", "por tiempo limitado", "frete grátis", "aproveite".
    ///
    /// `[lint.vocabularies.<lang>] reject = ["…"]` in `wt.toml` adds words to this list (a
    /// `reject` entry written as `"<list>:<phrase>"`, e.g. `"restricted_goods:kratom"`, goes to
    /// that list instead); `accept = ["…"]` words are never flagged by any wording rule.
    ///
    /// ## Why Meta re-files it
    /// Utility must have no promotional or persuasive intent; an order update with an offer
    /// is "mixed content" and Meta re-categorises it as MARKETING (review-rules.md §6).
    ///
    /// ## Example
    /// `body = "Tu pago {{1}} fue recibido. ¡Aprovecha 20% de descuento por tiempo limitado!"`
    ///
    /// Use instead:
    /// `body = "Tu pago {{1}} fue recibido. Puedes ver el recibo en tu cuenta."` (and send the
    /// offer as a marketing template)
    WT080 = ("WT080", "utility-promotional-content", Warning, CategoryFit, "utility template with promotional wording");

    /// ## What it does
    /// In a utility template, finds cross-sell and retargeting wording ("you might also like",
    /// "dejaste en tu carrito", "confira também") and promotional button labels ("Shop now",
    /// "Ver ofertas").
    ///
    /// ## Why Meta re-files it
    /// Meta lists upsell, cross-sell and cart reminders as marketing objectives
    /// (review-rules.md §6).
    ///
    /// ## Example
    /// `body = "Your order {{1}} has shipped. You might also like our new summer collection."`
    ///
    /// Use instead:
    /// `body = "Your order {{1}} has shipped and should arrive by {{2}}."`
    WT081 = ("WT081", "utility-cross-sell", Warning, CategoryFit, "utility template with cross-sell or retargeting wording");

    /// ## What it does
    /// A utility template with no variable and no transactional noun (order, booking,
    /// invoice, payment, account, delivery, pedido, reserva, fatura …).
    ///
    /// ## Why Meta re-files it
    /// Utility messages are specific to the customer's transaction or account; a broadcast
    /// that could go to anyone is marketing (review-rules.md §6).
    ///
    /// ## Example
    /// `body = "Nuestras oficinas permanecerán cerradas el lunes por el día festivo."`
    ///
    /// Use instead:
    /// `body = "Tu cita del lunes {{1}} se movió al martes por el día festivo. Responde para cambiarla."`
    WT082 = ("WT082", "utility-no-transaction-anchor", Warning, CategoryFit, "utility template with no variable and no transactional noun");

    /// ## What it does
    /// In a utility template, finds relationship messages: welcome, birthday, holiday wishes,
    /// congratulations, thank-you-for-choosing-us ("welcome to the family", "feliz
    /// cumpleaños", "obrigado por escolher").
    ///
    /// ## Why Meta re-files it
    /// Meta names birthday wishes, welcome messages and thank-you-for-choosing-us as
    /// relationship-building marketing (review-rules.md §6).
    ///
    /// ## Example
    /// `body = "Obrigado por escolher a Loja Sol, {{1}}! Seu cadastro está ativo."`
    ///
    /// Use instead:
    /// `body = "Olá {{1}}, seu cadastro na Loja Sol está ativo. Use o e-mail {{2}} para entrar."`
    WT083 = ("WT083", "utility-relationship-message", Warning, CategoryFit, "utility template that is a welcome, birthday or thank-you message");

    /// ## What it does
    /// In a utility template, notes a warm or salesy tone: openers such as "Hope you're doing
    /// well" / "Esperamos que estés bien" / "Esperamos que esteja bem", more than one `!`, or
    /// celebratory emoji (🎉 🔥 💥 🎁 🛍️ ✨ 🥳 🎊).
    ///
    /// ## Why it matters
    /// Tone alone is not a Meta rule, but it is a signal reviewers weigh with promotional
    /// intent (review-rules.md §6, §12). Information only.
    ///
    /// ## Example
    /// `body = "Hope you're doing well! Your order {{1}} is ready for pickup!"`
    ///
    /// Use instead:
    /// `body = "Your order {{1}} is ready for pickup at {{2}}."`
    WT084 = ("WT084", "utility-informal-tone", Info, CategoryFit, "warm openers, several !, celebratory emoji in utility");

    /// ## What it does
    /// Finds verification-code wording ("verification code", "código de verificación",
    /// "código de verificação", "one-time password") in a utility or marketing template.
    ///
    /// ## Why Meta rejects it
    /// One-time passwords must be sent with an authentication template and its OTP button
    /// (review-rules.md §6, M-AUTH).
    ///
    /// ## Example
    /// `category = "utility"`, `body = "Your verification code is {{1}}. Never share this code."`
    ///
    /// Use instead:
    /// `category = "authentication"` with `add_security_recommendation = true` and an `otp` button.
    WT085 = ("WT085", "otp-outside-authentication", Warning, CategoryFit, "verification-code wording in utility or marketing");

    /// ## What it does
    /// A marketing template without an opt-out line ("Reply STOP to unsubscribe", "Responde
    /// BAJA", "Responda SAIR") or an opt-out quick reply ("Stop promotions", "Detener
    /// promociones", "Parar promoções").
    ///
    /// ## Why it matters
    /// Customers who cannot opt out block and report, which lowers the number's quality
    /// rating (review-rules.md §1 F-*). Information only.
    ///
    /// ## Example
    /// `body = "Nuestra colección de otoño ya está en tienda, {{1}}."` and no footer
    ///
    /// Use instead:
    /// `footer = "Responde BAJA para no recibir promociones"`
    WT086 = ("WT086", "marketing-opt-out", Info, CategoryFit, "marketing template without an opt-out line or quick reply");
}

/// Emoji that celebrate rather than inform (review-rules.md §6 folk triggers).
const CELEBRATORY: &[&str] = &[
    "🎉", "🔥", "💥", "🎁", "🛍", "✨", "🥳", "🎊", "🎈", "🤩", "🍾", "🥂", "💃", "🙌", "💸",
];

pub(crate) fn check(cx: &mut Checker<'_>) {
    let t = cx.template;
    let Some(category) = t.category else {
        return;
    };
    if category == Category::Authentication {
        return;
    }
    for lang in &t.languages {
        cx.set_language(Some(&lang.code));
        let Some(lex) = lexicon::for_language(cx.options, &lang.code) else {
            continue;
        };
        let scans: Vec<(Scan<'_>, bool)> = texts(lang)
            .into_iter()
            .map(|(s, label)| (Scan::new(&lex, s), label))
            .collect();
        otp(cx, &scans);
        match category {
            Category::Utility => {
                for (scan, label) in &scans {
                    if *label {
                        label_wording(cx, scan);
                    } else {
                        wording(cx, scan);
                        tone(cx, scan);
                    }
                }
                anchor(cx, lang, &scans);
            }
            Category::Marketing => opt_out(cx, lang, &scans),
            Category::Authentication => {}
        }
    }
    cx.set_language(None);
}

fn user_note(h: &Hit) -> &'static str {
    if h.user {
        " (a `reject` word in wt.toml)"
    } else {
        ""
    }
}

/// WT080, WT081, WT083 in a text. Promotional wins where it overlaps cross-sell.
fn wording(cx: &mut Checker<'_>, scan: &Scan<'_>) {
    let mut promo: Vec<std::ops::Range<usize>> = Vec::new();
    // "A discount of 5 USD was applied to order 123" is a receipt line, not an offer.
    let receipt = |r: &std::ops::Range<usize>| {
        let sentence = scan.folded.sentence_of(r.start);
        scan.hits
            .in_range(List::ReceiptMarkers, sentence)
            .next()
            .is_some()
    };
    for h in scan.hits.of(List::Promotional) {
        promo.push(h.range.clone());
        if receipt(&h.range) {
            continue;
        }
        cx.report_in(
            &WT080,
            scan.s,
            scan.decoded(h.range.clone()),
            format!("`{}` is promotional wording in a utility template{}", scan.text(h), user_note(h)),
            "remove the offer, or send it as a separate marketing template: Meta re-files mixed content as MARKETING",
        );
    }
    for (range, what) in promo_patterns(scan) {
        if promo
            .iter()
            .any(|p| p.start < range.end && range.start < p.end)
            || receipt(&range)
        {
            continue;
        }
        promo.push(range.clone());
        cx.report_in(
            &WT080,
            scan.s,
            scan.decoded(range),
            format!("{what} in a utility template"),
            "remove the discount or coupon, or send it as a marketing template",
        );
    }
    for h in scan.hits.of(List::CrossSell) {
        if promo
            .iter()
            .any(|p| p.start < h.range.end && h.range.start < p.end)
        {
            continue;
        }
        cx.report_in(
            &WT081,
            scan.s,
            scan.decoded(h.range.clone()),
            format!("`{}` is cross-sell or retargeting wording in a utility template{}", scan.text(h), user_note(h)),
            "keep a utility message to the transaction itself; recommendations and cart reminders are marketing",
        );
    }
    for h in scan.hits.of(List::Relationship) {
        cx.report_in(
            &WT083,
            scan.s,
            scan.decoded(h.range.clone()),
            format!("`{}` makes this a relationship message{}", scan.text(h), user_note(h)),
            "welcome, birthday and thank-you-for-choosing-us messages are marketing: change the category or state the account or order update plainly",
        );
    }
}

/// WT081 on a button label: any promotional or cross-sell wording.
fn label_wording(cx: &mut Checker<'_>, scan: &Scan<'_>) {
    let hit = scan
        .hits
        .of(List::Promotional)
        .chain(scan.hits.of(List::CrossSell))
        .min_by_key(|h| h.range.start);
    if let Some(h) = hit {
        cx.report_in(
            &WT081,
            scan.s,
            scan.decoded(h.range.clone()),
            format!("the button label `{}` is promotional", scan.s.value),
            "label the button with the transaction (\"Track order\", \"View invoice\")",
        );
    }
}

struct PromoPatterns {
    percent: Regex,
    coupon: Regex,
}

fn promo_regexes() -> &'static PromoPatterns {
    static P: OnceLock<PromoPatterns> = OnceLock::new();
    P.get_or_init(|| PromoPatterns {
        // On folded text: "20% off", "20 % de descuento", "10% de desconto", "up to 50%",
        // "hasta 30%", "ate 40%" (a variable folds to `0`: "{{1}}% off" counts).
        percent: Regex::new(
            r"\b\d+(?:[.,]\d+)?\s?%\s?(?:off\b|de\s+(?:descuento|desconto|dto)\b|(?:descuento|desconto|dto)\b)|\b(?:up\s+to|hasta|ate|ahorra|economize|save)\s+\d+(?:[.,]\d+)?\s?%",
        )
        .expect("valid regex"),
        // On the original text: a coupon keyword, then a code in capitals with digits.
        coupon: Regex::new(
            r"(?i:\b(?:promo\s+code|coupon|code|c[oó]digo|cupom|cup[oó]n|voucher)\b)\s*:?\s*\*?([A-Z]{3,}\d{1,3})\b",
        )
        .expect("valid regex"),
    })
}

/// Percent discounts and coupon codes: (folded range, what it is).
fn promo_patterns(scan: &Scan<'_>) -> Vec<(std::ops::Range<usize>, String)> {
    let p = promo_regexes();
    let mut out = Vec::new();
    for m in p.percent.find_iter(&scan.folded.text) {
        out.push((
            m.range(),
            format!("the discount `{}`", &scan.s.value[scan.decoded(m.range())]),
        ));
    }
    for c in p.coupon.captures_iter(&scan.s.value) {
        let Some(code) = c.get(1) else { continue };
        // Map the original range back to folded offsets through a search in the fold.
        let folded_code = lexicon::fold(code.as_str());
        if let Some(at) = scan.folded.text.find(&folded_code) {
            out.push((
                at..at + folded_code.len(),
                format!("the coupon code `{}`", code.as_str()),
            ));
        }
    }
    out
}

/// WT084: warm openers, more than one `!`, celebratory emoji.
fn tone(cx: &mut Checker<'_>, scan: &Scan<'_>) {
    for h in scan.hits.of(List::InformalOpeners) {
        cx.report_in(
            &WT084,
            scan.s,
            scan.decoded(h.range.clone()),
            format!(
                "`{}` gives a utility message a chatty, salesy tone",
                scan.text(h)
            ),
            "open with what happened: \"Your order {{1}} …\"",
        );
    }
    let text = &scan.s.value;
    let bangs: Vec<usize> = text.match_indices('!').map(|(i, _)| i).collect();
    if bangs.len() > 1 {
        cx.report_in(
            &WT084,
            scan.s,
            bangs[1]..bangs[1] + 1,
            format!("{} exclamation marks in a utility message", bangs.len()),
            "keep at most one `!`; a neutral tone reads as a notice, not a promotion",
        );
    }
    for e in CELEBRATORY {
        if let Some(at) = text.find(e) {
            let len = text[at..]
                .char_indices()
                .nth(1)
                .map_or(text.len() - at, |(i, _)| i);
            let len = if text[at + len..].starts_with('\u{FE0F}') {
                len + '\u{FE0F}'.len_utf8()
            } else {
                len
            };
            cx.report_in(
                &WT084,
                scan.s,
                at..at + len,
                format!(
                    "the celebratory emoji {} in a utility message",
                    &text[at..at + len]
                ),
                "remove it: celebration is a marketing signal",
            );
        }
    }
}

/// WT082: no variable and no transactional noun.
fn anchor(cx: &mut Checker<'_>, lang: &Language, scans: &[(Scan<'_>, bool)]) {
    let Some(body) = &lang.body else { return };
    let has_var = |s: &Str| {
        s.segments()
            .iter()
            .any(|seg| matches!(seg, Segment::Var(_)))
    };
    let header_var = matches!(&lang.header, Some(Header::Text(h)) if has_var(h));
    if has_var(body) || header_var {
        return;
    }
    let anchored = scans
        .iter()
        .any(|(s, _)| s.hits.any(List::TransactionAnchors))
        || lang
            .buttons
            .iter()
            .any(|b| matches!(b.kind, ButtonKind::Url) && b.url.as_ref().is_some_and(has_var));
    if !anchored {
        cx.report_in(
            &WT082,
            body,
            0..body.value.len(),
            "a utility template with no variable and no order, booking, payment or account word reads as a broadcast",
            "tie it to the customer's transaction: add the order, booking or account it is about as a variable",
        );
    }
}

/// WT085: verification-code wording outside authentication (first hit of the template
/// language; security advice sentences do not count).
fn otp(cx: &mut Checker<'_>, scans: &[(Scan<'_>, bool)]) {
    for (scan, _) in scans {
        for h in scan.hits.of(List::OtpWording) {
            let sentence = scan.folded.sentence_of(h.range.start);
            if scan
                .hits
                .in_range(List::Negations, sentence)
                .next()
                .is_some()
            {
                continue;
            }
            // "su número de tarjeta y el código de seguridad" asks for a card's CVV: WT060 or
            // WT061 report it, it is not a one-time password.
            // Likewise a code listed right after a requested identifier ("su número de
            // tarjeta y el código de seguridad que aparece atrás").
            let f = &scan.folded;
            let requested = scan
                .hits
                .of(List::SensitiveIdentifiers)
                .filter(|id| {
                    (id.range.start < h.range.end && h.range.start < id.range.end)
                        || (id.range.end <= h.range.start
                            && f.sentence_of(id.range.start) == f.sentence_of(h.range.start)
                            && f.words_in(id.range.end..h.range.start) <= LIST_WINDOW)
                })
                .any(|id| matches!(reading(scan, id), Reading::Request(_) | Reading::Mention));
            if requested {
                continue;
            }
            cx.report_in(
                &WT085,
                scan.s,
                scan.decoded(h.range.clone()),
                format!("`{}` is one-time-password wording", scan.text(h)),
                "send verification codes with an authentication template (`category = \"authentication\"` and an `otp` button)",
            );
            return;
        }
    }
}

/// WT086: marketing without an opt-out.
fn opt_out(cx: &mut Checker<'_>, lang: &Language, scans: &[(Scan<'_>, bool)]) {
    if scans.iter().any(|(s, _)| s.hits.any(List::OptOut)) {
        return;
    }
    let Some(body) = &lang.body else { return };
    cx.report_in(
        &WT086,
        body,
        0..body.value.len(),
        "a marketing template without an opt-out",
        "add a footer such as \"Reply STOP to unsubscribe\" or a quick reply \"Stop promotions\"",
    );
}
