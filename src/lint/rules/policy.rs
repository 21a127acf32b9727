//! Policy content: WT060–WT067.
//!
//! Driven by the word lists of `data/lexicons/<lang>/` (see `lexicon.rs`) for the base of the
//! template's language code; a language without lists is not judged (English words are never
//! run on German text), except by WT062, whose patterns are language-independent.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use crate::lint::rules::declare_rules;
use crate::lint::rules::lexicon::{self, Hit, List, Scan};
use crate::lint::Checker;
use crate::template::{ButtonKind, Header, Language, Str};

declare_rules! {
    /// ## What it does
    /// Finds a request for a sensitive identifier: a request verb ("send us", "envíanos",
    /// "informe") within six words before (or three after) a sensitive identifier (card
    /// number, CVV, password, PIN, SSN, CPF, DNI, a photo of an ID …) in the same sentence.
    /// It stays quiet when a negation is in that sentence ("we will never ask for your PIN",
    /// "nunca compartas tu clave", "não informe sua senha a ninguém"), when the identifier is
    /// partial ("the last 4 digits of your card", "últimos 4 dígitos"), and when the
    /// identifier is the subject of a notice ("your password was changed"). "Enter the code
    /// we sent you" is sign-in, not a request to hand the code over.
    ///
    /// ## Why Meta rejects it
    /// The Business Messaging Policy forbids asking for full payment card numbers, financial
    /// account numbers, national ID numbers and other sensitive identifiers, or documents
    /// that contain them (review-rules.md §5.1).
    ///
    /// ## Example
    /// `body = "Hola {{1}}, envíanos el número de tu tarjeta y el CVV para confirmar el pedido."`
    ///
    /// Use instead:
    /// `body = "Hola {{1}}, confirma tu pedido {{2}} en nuestra web segura. Nunca te pediremos los datos de tu tarjeta por aquí."`
    WT060 = ("WT060", "sensitive-data-request", Error, Policy, "request for a card number, CVV, password, PIN or national ID");

    /// ## What it does
    /// A sensitive identifier mentioned in a way that reads as a request without a clear
    /// request verb nearby: "A copy of your passport is required", "É necessário o envio da
    /// foto do RG", or a request verb further away in the same sentence. Security advice
    /// ("never share your PIN") and partial identifiers stay quiet.
    ///
    /// ## Why it matters
    /// Reviewers read the intent, not the grammar: a sentence that makes the customer hand
    /// over an identifier is treated like a request (review-rules.md §5.1).
    ///
    /// ## Example
    /// `body = "Para liberar o pedido {{1}}, é necessário o CPF e a foto do RG do titular."`
    ///
    /// Use instead:
    /// `body = "Para liberar o pedido {{1}}, confirme seus dados no app. Nunca pedimos documentos por aqui."`
    WT061 = ("WT061", "sensitive-data-mention", Warning, Policy, "sensitive identifier mentioned as if requested");

    /// ## What it does
    /// Finds example values that look like real identifiers: Luhn-valid card numbers, US SSNs
    /// (`123-45-6789`), CPFs with valid check digits, Mexican CURPs and Spanish DNI/NIE numbers
    /// with a valid letter.
    ///
    /// ## Why it matters
    /// Examples are sent to Meta and shown to reviewers; a real-looking identifier suggests the
    /// template carries sensitive data (review-rules.md §9.1) and may leak a real one.
    ///
    /// ## Example
    /// `examples.body = ["Maria", "4111 1111 1111 1111"]`
    ///
    /// Use instead:
    /// `examples.body = ["Maria", "card ending in 1111"]`
    WT062 = ("WT062", "sensitive-example", Warning, Policy, "example looks like a real card number, SSN, CPF, CURP or DNI");

    /// ## What it does
    /// Finds threats: legal action, lawsuits, police, contacting the customer's family or
    /// employer, public shaming ("legal action", "acciones legales", "ação judicial",
    /// "contact your employer", "avisaremos a tu familia").
    ///
    /// ## Why Meta rejects it
    /// Threatening language is abusive content; Meta names "threatening legal action" and
    /// shaming debtors as rejection causes (review-rules.md §5.2).
    ///
    /// ## Example
    /// `body = "Hi {{1}}, pay {{2}} today or we will take legal action and contact your employer."`
    ///
    /// Use instead:
    /// `body = "Hi {{1}}, your payment of {{2}} is due today. Reply to this message to set up a payment plan."`
    WT063 = ("WT063", "threatening-language", Error, Policy, "threats: legal action, contacting family or employer, shaming");

    /// ## What it does
    /// Finds debt-collection wording ("collection agency", "deuda vencida", "cobrança
    /// extrajudicial").
    ///
    /// ## Why it matters
    /// Debt collection is on the Business Messaging Policy's restricted list
    /// (review-rules.md §5.2–§5.3); a plain payment reminder passes, collection wording draws
    /// a closer review.
    ///
    /// ## Example
    /// `body = "Olá {{1}}, sua dívida de {{2}} foi encaminhada para cobrança extrajudicial."`
    ///
    /// Use instead:
    /// `body = "Olá {{1}}, a fatura {{2}} vence em {{3}}. Pague pelo app ou responda para falar com a gente."`
    WT064 = ("WT064", "debt-collection", Warning, Policy, "debt-collection wording");

    /// ## What it does
    /// Finds restricted goods and services: drugs, tobacco and vapes, alcohol, weapons,
    /// gambling, adult content, dating, crypto, payday loans, MLM, counterfeits. Matching is on
    /// word boundaries, so "bet" does not match "between" nor "gun" "begun".
    ///
    /// ## Why it matters
    /// The Business Messaging Policy restricts these verticals; some are allowed in some
    /// countries with Meta's permission, so this is a warning (review-rules.md §5.3).
    ///
    /// ## Example
    /// `body = "Hola {{1}}, apuestas deportivas con bono de bienvenida en nuestro casino."`
    ///
    /// Use instead:
    /// `body = "Hola {{1}}, tu entrada {{2}} para el partido del sábado está confirmada."`
    /// (where Meta does not allow the vertical in your market, leave the product out).
    WT065 = ("WT065", "restricted-goods", Warning, Policy, "drugs, weapons, gambling, adult, crypto, payday loans …");

    /// ## What it does
    /// Finds scam patterns: prize and lottery wins ("you have won", "has ganado", "você
    /// ganhou"), "send us the code", guaranteed returns, and urgency with an account-block
    /// threat ("your account will be blocked").
    ///
    /// ## Why Meta rejects it
    /// `SCAM` is one of Meta's rejection reasons; these are the patterns reviewers and users
    /// report (review-rules.md §5.4, §9.4).
    ///
    /// ## Example
    /// `body = "Congratulations {{1}}! You have won a cash prize. Claim your prize today."`
    ///
    /// Use instead:
    /// `body = "Hi {{1}}, the results of the {{2}} draw you entered are on our website."`
    WT066 = ("WT066", "scam-pattern", Warning, Policy, "prize/lottery wording, send us the code, account-block urgency");

    /// ## What it does
    /// Finds claims to be WhatsApp, Meta, Facebook or Instagram, or their support teams
    /// ("WhatsApp support", "equipo de WhatsApp", "suporte do WhatsApp").
    ///
    /// ## Why it matters
    /// The policy forbids impersonating another business; messages that claim to come from
    /// WhatsApp are a classic phishing pattern (review-rules.md §5.4).
    ///
    /// ## Example
    /// `body = "This is WhatsApp Support: your account {{1}} needs to be verified today."`
    ///
    /// Use instead:
    /// `body = "This is Example Shop: your account {{1}} needs one more step. Open the app to finish."`
    WT067 = ("WT067", "impersonation", Warning, Policy, "claims to be WhatsApp, Meta or another brand's support");
}

/// Words between a request verb and the identifier it asks for (review-rules.md §5.1 says
/// "within ~8 tokens"; 6 keeps "send us a photo of the front of your ID" and drops
/// unrelated verbs further away).
const VERB_BEFORE_WINDOW: usize = 6;
/// "Your CPF, please send it": a verb after the identifier must be closer.
const VERB_AFTER_WINDOW: usize = 3;
/// "your card number and the CVV": identifiers this close after a requested one are
/// requested too.
pub(crate) const LIST_WINDOW: usize = 3;
/// Words after an identifier in which a number or variable means the value is given
/// ("PIN {{3}}", "PIN is {{3}}", "número de cuenta es {{2}}").
const GIVEN_WINDOW: usize = 2;
/// A partial qualifier ("last 4 digits of your card") this close to the identifier makes it
/// partial.
const PARTIAL_WINDOW: usize = 4;

pub(crate) fn check(cx: &mut Checker<'_>) {
    let t = cx.template;
    for lang in &t.languages {
        cx.set_language(Some(&lang.code));
        examples(cx, lang);
        let Some(lex) = lexicon::for_language(cx.options, &lang.code) else {
            continue;
        };
        for (s, is_label) in texts(lang) {
            let scan = Scan::new(&lex, s);
            let requests = if is_label {
                Vec::new()
            } else {
                sensitive(cx, &scan)
            };
            listed(cx, &scan, &requests);
        }
    }
    cx.set_language(None);
}

/// The texts the wording rules read: header, body, footer (false) and button labels (true).
pub(crate) fn texts(lang: &Language) -> Vec<(&Str, bool)> {
    let mut out = Vec::new();
    if let Some(Header::Text(h)) = &lang.header {
        out.push((h, false));
    }
    out.extend(lang.body.iter().map(|s| (s, false)));
    out.extend(lang.footer.iter().map(|s| (s, false)));
    out.extend(
        lang.buttons
            .iter()
            .filter(|b| b.kind != ButtonKind::Otp)
            .filter_map(|b| b.text.as_ref())
            .map(|s| (s, true)),
    );
    out
}

/// How an identifier hit reads.
pub(crate) enum Reading<'h> {
    /// Safety advice, partial identifier or a notice about it.
    Quiet,
    /// A request verb close by.
    Request(&'h Hit),
    /// A request cue or a distant request verb in the sentence.
    Mention,
    /// Nothing request-like.
    Plain,
}

/// Classifies one sensitive-identifier hit (shared with WT085, which asks the same questions
/// of verification codes).
pub(crate) fn reading<'h>(scan: &'h Scan<'_>, id: &Hit) -> Reading<'h> {
    let f = &scan.folded;
    let h = &scan.hits;
    let sentence = f.sentence_of(id.range.start);
    if h.in_range(List::Negations, sentence.clone())
        .next()
        .is_some()
    {
        return Reading::Quiet;
    }
    let near = |other: &Range<usize>, before: usize, after: usize| {
        if other.end <= id.range.start {
            f.words_in(other.end..id.range.start) <= before
        } else if other.start >= id.range.end {
            f.words_in(id.range.end..other.start) <= after
        } else {
            true
        }
    };
    if h.in_range(List::PartialQualifiers, sentence.clone())
        .any(|q| near(&q.range, PARTIAL_WINDOW, PARTIAL_WINDOW))
    {
        return Reading::Quiet;
    }
    if h.in_range(List::StatementMarkers, sentence.clone())
        .any(|m| m.range.start >= id.range.end && f.words_in(id.range.end..m.range.start) <= 1)
    {
        return Reading::Quiet;
    }
    // A value right after the identifier ("enter PIN {{3}}", "tu número de cuenta es
    // {{2}}") is handed to the customer, not asked for.
    let given = f.text[id.range.end..sentence.end]
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(GIVEN_WINDOW)
        .any(|w| w.chars().all(|c| c.is_ascii_digit()));
    if given {
        return Reading::Quiet;
    }
    // Entry verbs ("enter", "digite") mean typing into a screen: not a request for a code,
    // nor for anything when the sentence names the screen ("open the app and enter your
    // password").
    let code_like = is_code_like(&f.text[id.range.clone()]);
    let elsewhere = h
        .in_range(List::Elsewhere, sentence.clone())
        .next()
        .is_some();
    let verbs: Vec<&Hit> = h
        .in_range(List::RequestVerbs, sentence.clone())
        .filter(|v| {
            !((code_like || elsewhere)
                && h.of(List::EntryVerbs)
                    .any(|e| e.range.start < v.range.end && v.range.start < e.range.end))
        })
        .filter(|v| v.range.end <= id.range.start || v.range.start >= id.range.end)
        .collect();
    if let Some(v) = verbs
        .iter()
        .find(|v| near(&v.range, VERB_BEFORE_WINDOW, VERB_AFTER_WINDOW))
    {
        return Reading::Request(v);
    }
    if !verbs.is_empty()
        || h.in_range(List::RequestCues, sentence)
            .any(|c| near(&c.range, VERB_BEFORE_WINDOW, VERB_BEFORE_WINDOW))
    {
        return Reading::Mention;
    }
    Reading::Plain
}

/// "the code we sent you", "OTP", "token": identifiers that are typed into an app in a
/// normal sign-in, so an entry verb ("enter", "digite") is not a request for them.
fn is_code_like(folded: &str) -> bool {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| matches!(w, "code" | "codigo" | "otp" | "token" | "sms"))
}

/// WT060 and WT061. Returns the folded ranges of the requests (verb to identifier), which
/// cover any scam pattern inside them.
fn sensitive(cx: &mut Checker<'_>, scan: &Scan<'_>) -> Vec<Range<usize>> {
    let mut requests = Vec::new();
    // The last requested identifier: "send us your card number and CVV" asks for both.
    let mut last: Option<(Range<usize>, &Hit)> = None;
    for id in scan.hits.of(List::SensitiveIdentifiers) {
        let what = scan.text(id);
        let mut read = reading(scan, id);
        if let (Reading::Mention | Reading::Plain, Some((prev, verb))) = (&read, &last) {
            let f = &scan.folded;
            if f.sentence_of(prev.start) == f.sentence_of(id.range.start)
                && f.words_in(prev.end..id.range.start) <= LIST_WINDOW
            {
                read = Reading::Request(verb);
            }
        }
        match read {
            Reading::Request(v) => {
                last = Some((id.range.clone(), v));
                let verb = scan.text(v);
                cx.report_in(
                    &WT060,
                    scan.s,
                    scan.decoded(id.range.clone()),
                    format!("\"{verb} … {what}\" asks the customer for a sensitive identifier"),
                    "do not collect this over WhatsApp: link to a secure page or your app, or ask only for a partial value such as the last 4 digits",
                );
                requests.push(v.range.start.min(id.range.start)..v.range.end.max(id.range.end));
            }
            Reading::Mention => cx.report_in(
                &WT061,
                scan.s,
                scan.decoded(id.range.clone()),
                format!("`{what}` is mentioned as something the customer must provide"),
                "do not ask for identifiers or documents in a template; point to a secure page or your app",
            ),
            Reading::Quiet | Reading::Plain => {}
        }
    }
    requests
}

/// WT063–WT067: one finding per hit. Where hits of two lists overlap only the first list in
/// this order reports ("jackpot winner" is a scam, not gambling).
fn listed(cx: &mut Checker<'_>, scan: &Scan<'_>, requests: &[Range<usize>]) {
    let order: [(List, &'static crate::lint::rules::Rule); 5] = [
        (List::Threats, &WT063),
        (List::ScamPatterns, &WT066),
        (List::Impersonation, &WT067),
        (List::DebtCollection, &WT064),
        (List::RestrictedGoods, &WT065),
    ];
    let mut taken: Vec<Range<usize>> = requests.to_vec();
    for (list, rule) in order {
        for hit in scan.hits.of(list) {
            if taken
                .iter()
                .any(|r| r.start < hit.range.end && hit.range.start < r.end)
            {
                continue;
            }
            taken.push(hit.range.clone());
            let what = scan.text(hit);
            let (message, help) = wording(list, what, hit.user);
            cx.report_in(rule, scan.s, scan.decoded(hit.range.clone()), message, help);
        }
    }
}

fn wording(list: List, what: &str, user: bool) -> (String, String) {
    let source = if user {
        " (a `reject` word in wt.toml)"
    } else {
        ""
    };
    match list {
        List::Threats => (
            format!("`{what}` is threatening language{source}"),
            "state the facts and the next step (due date, how to pay, how to get help) without threats".into(),
        ),
        List::ScamPatterns => (
            format!("`{what}` reads like a scam{source}"),
            "say plainly what happened and what the customer can do; never ask for codes or promise prizes".into(),
        ),
        List::Impersonation => (
            format!("`{what}` claims to speak for another company{source}"),
            "sign messages with your own business name".into(),
        ),
        List::DebtCollection => (
            format!("`{what}` is debt-collection wording{source}"),
            "write a neutral payment reminder: amount, due date, how to pay".into(),
        ),
        _ => (
            format!("`{what}` names a restricted product or service{source}"),
            "check that Meta's Business and Commerce policies allow this vertical in your market".into(),
        ),
    }
}

// ---- WT062: identifiers in example values -------------------------------------------------

fn examples(cx: &mut Checker<'_>, lang: &Language) {
    let mut values: Vec<&Str> = Vec::new();
    for set in [&lang.examples.header, &lang.examples.body]
        .into_iter()
        .flatten()
    {
        values.extend(set.strs());
    }
    for b in &lang.buttons {
        if matches!(b.kind, ButtonKind::Url | ButtonKind::CopyCode) {
            values.extend(b.example.iter());
        }
    }
    for s in values {
        for (range, kind) in identifiers_in(&s.value) {
            cx.report_in(
                &WT062,
                s,
                range,
                format!("the example looks like a real {kind}"),
                "use an obviously fake or partial value, e.g. \"card ending in 1234\"",
            );
        }
    }
}

struct IdPatterns {
    card: Regex,
    ssn: Regex,
    cpf: Regex,
    curp: Regex,
    dni: Regex,
    nie: Regex,
}

fn patterns() -> &'static IdPatterns {
    static P: OnceLock<IdPatterns> = OnceLock::new();
    P.get_or_init(|| {
        let re = |s: &str| Regex::new(s).expect("the identifier patterns are valid regexes");
        IdPatterns {
            // 13–19 digits, optionally in groups separated by one space or hyphen.
            card: re(r"\b\d(?:[ -]?\d){12,18}\b"),
            ssn: re(r"\b(\d{3})-(\d{2})-(\d{4})\b"),
            cpf: re(r"\b\d{3}\.\d{3}\.\d{3}-\d{2}\b"),
            curp: re(r"\b[A-Z][AEIOUX][A-Z]{2}\d{6}[HM][A-Z]{5}[A-Z0-9]\d\b"),
            dni: re(r"\b(\d{8})-?([A-Z])\b"),
            nie: re(r"\b([XYZ])-?(\d{7})-?([A-Z])\b"),
        }
    })
}

/// Real-looking identifiers in a value: (decoded range, what it looks like).
pub(crate) fn identifiers_in(value: &str) -> Vec<(Range<usize>, &'static str)> {
    let p = patterns();
    let mut out = Vec::new();
    for m in p.card.find_iter(value) {
        let digits: Vec<u32> = m.as_str().chars().filter_map(|c| c.to_digit(10)).collect();
        if looks_like_card(&digits, m.as_str()) {
            out.push((m.range(), "payment card number"));
        }
    }
    for c in p.ssn.captures_iter(value) {
        let (area, group, serial) = (&c[1], &c[2], &c[3]);
        let valid = area != "000"
            && area != "666"
            && !area.starts_with('9')
            && group != "00"
            && serial != "0000";
        if valid {
            out.push((
                c.get(0).map_or(0..0, |m| m.range()),
                "US Social Security number",
            ));
        }
    }
    for m in p.cpf.find_iter(value) {
        let digits: Vec<u32> = m.as_str().chars().filter_map(|c| c.to_digit(10)).collect();
        if cpf_valid(&digits) {
            out.push((m.range(), "CPF"));
        }
    }
    for m in p.curp.find_iter(value) {
        out.push((m.range(), "CURP"));
    }
    const LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";
    for c in p.dni.captures_iter(value) {
        let n: usize = c[1].parse().unwrap_or(0);
        if n > 0 && c[2].as_bytes()[0] == LETTERS[n % 23] {
            out.push((c.get(0).map_or(0..0, |m| m.range()), "DNI"));
        }
    }
    for c in p.nie.captures_iter(value) {
        let prefix = match &c[1] {
            "X" => "0",
            "Y" => "1",
            _ => "2",
        };
        let n: usize = format!("{prefix}{}", &c[2]).parse().unwrap_or(0);
        if c[3].as_bytes()[0] == LETTERS[n % 23] {
            out.push((c.get(0).map_or(0..0, |m| m.range()), "NIE"));
        }
    }
    out
}

/// A card number: a card length for its network prefix, Luhn-valid, grouped as cards are
/// (no separators, or groups of four; Amex 4-6-5), and not one digit repeated.
fn looks_like_card(digits: &[u32], written: &str) -> bool {
    let n = digits.len();
    let prefix = |k: usize| digits.iter().take(k).fold(0u32, |a, d| a * 10 + d);
    let network = match digits.first() {
        Some(4) => matches!(n, 13 | 16 | 19),
        Some(3) => (n == 15 && matches!(prefix(2), 34 | 37)) || (n == 14 && prefix(2) == 36),
        Some(5) => n == 16 && (51..=55).contains(&prefix(2)),
        Some(2) => n == 16 && (2221..=2720).contains(&prefix(4)),
        Some(6) => matches!(n, 16 | 19) && (prefix(4) == 6011 || prefix(2) == 65),
        _ => false,
    };
    let groups: Vec<usize> = written.split([' ', '-']).map(str::len).collect();
    let grouped = groups.len() == 1
        || groups.iter().take(groups.len() - 1).all(|g| *g == 4)
        || groups == [4, 6, 5]
        || groups == [4, 6, 4];
    network && grouped && luhn(digits) && digits.iter().any(|d| *d != digits[0])
}

fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn cpf_valid(d: &[u32]) -> bool {
    if d.len() != 11 || d.iter().all(|x| *x == d[0]) {
        return false;
    }
    let check = |len: usize| {
        let s: u32 = d[..len]
            .iter()
            .enumerate()
            .map(|(i, x)| x * (len as u32 + 1 - i as u32))
            .sum();
        let r = (s * 10) % 11;
        if r == 10 {
            0
        } else {
            r
        }
    };
    check(9) == d[9] && check(10) == d[10]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(v: &str) -> Vec<&'static str> {
        identifiers_in(v).into_iter().map(|(_, k)| k).collect()
    }

    #[test]
    fn identifier_patterns() {
        assert_eq!(kinds("4111 1111 1111 1111"), ["payment card number"]);
        assert_eq!(kinds("5500-0000-0000-0004"), ["payment card number"]);
        // Luhn-invalid, or an order number that is not grouped like a card.
        assert!(kinds("4111 1111 1111 1112").is_empty());
        assert!(kinds("#4521").is_empty());
        assert!(kinds("Order 12345678901").is_empty());
        assert_eq!(kinds("SSN 123-45-6789"), ["US Social Security number"]);
        assert!(kinds("000-12-3456").is_empty());
        assert_eq!(kinds("529.982.247-25"), ["CPF"]);
        assert!(kinds("111.111.111-11").is_empty());
        assert!(kinds("529.982.247-26").is_empty());
        assert_eq!(kinds("GODE561231HDFRRN09"), ["CURP"]);
        assert_eq!(kinds("12345678Z"), ["DNI"]);
        assert!(kinds("12345678A").is_empty());
        assert_eq!(kinds("X1234567L"), ["NIE"]);
    }
}
