//! Language: WT124, WT125.
//!
//! The fixed text of header, body and footer, with variables, URLs, e-mail addresses,
//! numbers and brand-like tokens (`SunAir`, `STOP`, `Gym24`) removed, is run through lingua
//! (models for en, es, pt, fr, de, it). lingua was chosen over whatlang after measuring both
//! on short template sentences: lingua named 44 of 44 correctly with a margin of at least
//! 0.25 over the runner-up, whatlang 39 of 44 and called only 15 of them reliable, mostly
//! confusing Spanish and Portuguese, the pair this rule exists for.
//!
//! lingua is accurate but costs about 100–250 µs per call (its n-gram models are FSTs, looked
//! up once per n-gram and language), and mixing is only visible sentence by sentence. So
//! whatlang (restricted to the same languages, about fourteen times faster) screens every
//! sentence, and lingua reads only the sentences whatlang places in another language with
//! confidence ≥ 0.5; once lingua confirms one as foreign, it reads the template's other
//! sentences and, for WT124, the whole text. lingua alone decides every finding.
//!
//! A template is only judged when its language's base is one of the detector's languages and
//! the text has at least [`MIN_WORDS`] words, and only with high confidence.

use std::ops::Range;
use std::sync::OnceLock;

use lingua::{Language as Lang, LanguageDetector, LanguageDetectorBuilder};

use crate::lint::rules::declare_rules;
use crate::lint::rules::lexicon::base_language;
use crate::lint::rules::links::find_urls;
use crate::lint::Checker;
use crate::template::text::Segment;
use crate::template::{Header, Language, Str};

declare_rules! {
    /// ## What it does
    /// Detects the language of the template's fixed text (variables, URLs, numbers and
    /// brand-like words removed) and compares it with the base of the language code
    /// (`pt_BR` → Portuguese). It judges only texts of at least 6 words, only when the
    /// detector is confident, and only for the languages it knows (English, Spanish,
    /// Portuguese, French, German, Italian).
    ///
    /// ## Why Meta rejects it
    /// The selected language must match the content; a mismatch is rejected as
    /// `TAG_CONTENT_MISMATCH` (review-rules.md §7).
    ///
    /// ## Example
    /// `[languages.en_US]` with `body = "Hola {{1}}, tu pedido {{2}} fue enviado hoy y llegará mañana."`
    ///
    /// Use instead:
    /// `[languages.es_MX]` for that body, and an English body under `[languages.en_US]`.
    WT124 = ("WT124", "language-mismatch", Warning, Language, "detected language differs from the language code");

    /// ## What it does
    /// Detects the language of each sentence and reports templates in which two languages
    /// each hold a large share of the words ("Spanglish"): at least a quarter each, and at
    /// least 5 words of the minority language, detected with high confidence.
    ///
    /// ## Why Meta rejects it
    /// Meta's guidelines reject mixed-language content such as Hinglish or Spanglish
    /// (review-rules.md §7): one template per language.
    ///
    /// ## Example
    /// `body = "Hola {{1}}, tu pedido {{2}} llegará el viernes. If you have any questions, just reply."`
    ///
    /// Use instead:
    /// `body = "Hola {{1}}, tu pedido {{2}} llegará el viernes. Si tienes preguntas, responde a este mensaje."`
    WT125 = ("WT125", "language-mixed", Warning, Language, "two languages each with a large share of the words");
}

fn screen() -> &'static whatlang::Detector {
    static D: OnceLock<whatlang::Detector> = OnceLock::new();
    D.get_or_init(|| {
        use whatlang::Lang::*;
        whatlang::Detector::with_allowlist(vec![Eng, Spa, Por, Fra, Deu, Ita])
    })
}

/// whatlang's ISO 639-3 code for one of [`LANGUAGES`].
fn iso3(base: &str) -> &'static str {
    match base {
        "en" => "eng",
        "es" => "spa",
        "pt" => "por",
        "fr" => "fra",
        "de" => "deu",
        _ => "ita",
    }
}

/// A sentence the screen places elsewhere with less confidence than this is noise (whatlang
/// often swaps Spanish and Portuguese in short sentences); 0.5 passed 6% of 6,000
/// correctly labelled templates on to lingua.
const SCREEN_SENTENCE_CONFIDENCE: f64 = 0.5;
/// The same for a Spanish text read as Portuguese or the reverse.
const SCREEN_CONFUSABLE_CONFIDENCE: f64 = 0.8;

fn confusable(a: &str, b: &str) -> bool {
    matches!((a, b), ("spa", "por") | ("por", "spa"))
}

/// Fewer words than this are not judged (RULES.md WT124).
const MIN_WORDS: usize = 6;
/// WT124: the detected language needs at least this confidence and the declared one at most
/// [`DECLARED_AT_MOST`].
const MISMATCH_CONFIDENCE: f64 = 0.90;
const DECLARED_AT_MOST: f64 = 0.05;
/// WT125: the declared language and the others together each need this share of the
/// counted words, and the others at least [`MIN_MINORITY_WORDS`] words.
const MIN_SHARE: f64 = 0.25;
const MIN_MINORITY_WORDS: usize = 5;
/// Sentences shorter than this are not detected on their own (a greeting, "Obrigado.").
const MIN_SENTENCE_WORDS: usize = 3;

const LANGUAGES: [Lang; 6] = [
    Lang::English,
    Lang::Spanish,
    Lang::Portuguese,
    Lang::French,
    Lang::German,
    Lang::Italian,
];

fn detector() -> &'static LanguageDetector {
    static D: OnceLock<LanguageDetector> = OnceLock::new();
    D.get_or_init(|| LanguageDetectorBuilder::from_languages(&LANGUAGES).build())
}

fn code(l: Lang) -> String {
    l.iso_code_639_1().to_string()
}

fn name(l: Lang) -> String {
    format!("{l:?}")
}

/// A sentence of fixed text: where it is and its cleaned words.
struct Sentence<'a> {
    s: &'a Str,
    range: Range<usize>,
    words: Vec<String>,
}

pub(crate) fn check(cx: &mut Checker<'_>) {
    if !cx.enabled(&WT124) && !cx.enabled(&WT125) {
        return;
    }
    let t = cx.template;
    for lang in &t.languages {
        let declared = base_language(&lang.code);
        let Some(declared_lang) = LANGUAGES.iter().copied().find(|l| code(*l) == declared) else {
            continue;
        };
        let sentences = sentences(lang);
        let total: usize = sentences.iter().map(|s| s.words.len()).sum();
        if total < MIN_WORDS {
            continue;
        }
        cx.set_language(Some(&lang.code));
        let verdict = screen_and_confirm(&declared, declared_lang, &sentences);
        if verdict.foreign == 0 && !verdict.mostly_other {
            continue;
        }
        let counted = verdict.own + verdict.foreign;
        let share = |n: usize| n as f64 / counted.max(1) as f64;
        let is_mixed = share(verdict.own) >= MIN_SHARE
            && share(verdict.foreign) >= MIN_SHARE
            && verdict.foreign >= MIN_MINORITY_WORDS;
        if is_mixed {
            if let Some((other, at)) = verdict.first_foreign {
                cx.report_in(
                    &WT125,
                    at.s,
                    at.range.clone(),
                    format!(
                        "the template mixes {} and {}: {:.0}% / {:.0}% of the words",
                        name(declared_lang),
                        name(other),
                        share(verdict.own) * 100.0,
                        share(verdict.foreign) * 100.0
                    ),
                    format!(
                        "write the whole text in {} for `{}`, and send the {} text as its own language",
                        name(declared_lang),
                        lang.code,
                        name(other)
                    ),
                );
            }
            continue;
        }
        if !verdict.mostly_other && share(verdict.foreign) < 0.5 {
            continue;
        }
        let whole: String = sentences
            .iter()
            .flat_map(|s| s.words.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ");
        let values = detector().compute_language_confidence_values(whole.as_str());
        let Some(&(top, top_conf)) = values.first() else {
            continue;
        };
        let declared_conf = values
            .iter()
            .find(|(l, _)| *l == declared_lang)
            .map_or(0.0, |(_, c)| *c);
        if top != declared_lang
            && top_conf >= MISMATCH_CONFIDENCE
            && declared_conf <= DECLARED_AT_MOST
        {
            cx.report(
                &WT124,
                lang.code_span.clone(),
                format!(
                    "the text is in {} (confidence {top_conf:.2}), but the language code is `{}`",
                    name(top),
                    lang.code
                ),
                format!(
                    "declare the template under a {} code (e.g. `[languages.{}]`), or translate the text",
                    name(top),
                    suggest_code(top)
                ),
            );
        }
    }
    cx.set_language(None);
}

/// What the screen and lingua found, in words.
struct Verdict<'s, 'a> {
    /// Words of sentences not shown to be in another language.
    own: usize,
    /// Words of sentences lingua confirmed as foreign.
    foreign: usize,
    /// The first confirmed foreign sentence and lingua's language for it.
    first_foreign: Option<(Lang, &'s Sentence<'a>)>,
    /// whatlang places most words elsewhere (at any confidence): a WT124 candidate.
    mostly_other: bool,
}

/// whatlang screens every sentence of at least [`MIN_SENTENCE_WORDS`] words; lingua
/// confirms only those whatlang places in another language with at least
/// [`SCREEN_SENTENCE_CONFIDENCE`]. A sentence is foreign when lingua gives the declared
/// language at most [`DECLARED_AT_MOST`] (Spanish and Portuguese may share the rest of a
/// "not English" sentence). Everything else counts for the declared language.
fn screen_and_confirm<'s, 'a>(
    declared: &str,
    declared_lang: Lang,
    sentences: &'s [Sentence<'a>],
) -> Verdict<'s, 'a> {
    let mut judged: Vec<&Sentence<'a>> = sentences
        .iter()
        .filter(|s| s.words.len() >= MIN_SENTENCE_WORDS)
        .collect();
    if judged.is_empty() {
        judged = sentences.iter().collect();
    }
    let want = iso3(declared);
    let mut v = Verdict {
        own: 0,
        foreign: 0,
        first_foreign: None,
        mostly_other: false,
    };
    let mut elsewhere = 0;
    let mut total = 0;
    let mut foreign_at: Vec<usize> = Vec::new();
    for (k, s) in judged.iter().enumerate() {
        let n = s.words.len();
        total += n;
        let text = s.words.join(" ");
        let Some(info) = screen().detect(&text) else {
            continue;
        };
        if info.lang().code() == want {
            continue;
        }
        // whatlang swaps Spanish and Portuguese in short sentences: for that pair it must be
        // surer before lingua is asked.
        let needed = if confusable(want, info.lang().code()) {
            SCREEN_CONFUSABLE_CONFIDENCE
        } else {
            SCREEN_SENTENCE_CONFIDENCE
        };
        if info.confidence() < needed {
            continue;
        }
        elsewhere += n;
        if info.confidence() >= needed && confirm(&mut v, declared_lang, s, &text, false) {
            foreign_at.push(k);
        }
    }
    v.mostly_other = elsewhere * 2 >= total.max(1);
    if v.foreign == 0 && !v.mostly_other {
        v.own = total;
        return v;
    }
    // Something is foreign: lingua reads the other sentences too (whatlang's "declared"
    // is not reliable between Spanish and Portuguese), and only its reading counts.
    for (k, s) in judged.iter().enumerate() {
        if !foreign_at.contains(&k) {
            confirm(&mut v, declared_lang, s, &s.words.join(" "), true);
        }
    }
    v
}

/// lingua's reading of one sentence: foreign (returns true) when the declared language gets
/// at most [`DECLARED_AT_MOST`]; with `count_own`, own when lingua puts the declared
/// language first with at least 0.5; otherwise not counted.
fn confirm<'s, 'a>(
    v: &mut Verdict<'s, 'a>,
    declared_lang: Lang,
    s: &'s Sentence<'a>,
    text: &str,
    count_own: bool,
) -> bool {
    let n = s.words.len();
    let values = detector().compute_language_confidence_values(text);
    let declared_conf = values
        .iter()
        .find(|(l, _)| *l == declared_lang)
        .map_or(0.0, |(_, c)| *c);
    match values.first() {
        Some(&(top, _)) if top != declared_lang && declared_conf <= DECLARED_AT_MOST => {
            v.foreign += n;
            let earlier = v.first_foreign.is_some_and(|(_, f)| {
                (f.s.span().start, f.range.start) <= (s.s.span().start, s.range.start)
            });
            if !earlier {
                v.first_foreign = Some((top, s));
            }
        }
        Some(&(top, c)) if count_own && top == declared_lang && c >= 0.5 => {
            v.own += n;
            return false;
        }
        _ => return false,
    }
    true
}

fn suggest_code(l: Lang) -> &'static str {
    match l {
        Lang::English => "en_US",
        Lang::Spanish => "es",
        Lang::Portuguese => "pt_BR",
        Lang::French => "fr",
        Lang::German => "de",
        _ => "it",
    }
}

/// The sentences of header, body and footer with their cleaned words.
fn sentences(lang: &Language) -> Vec<Sentence<'_>> {
    let mut out = Vec::new();
    let mut strs: Vec<&Str> = Vec::new();
    if let Some(Header::Text(h)) = &lang.header {
        strs.push(h);
    }
    strs.extend(lang.body.iter());
    strs.extend(lang.footer.iter());
    for s in strs {
        let text = blank_out(s);
        let mut start = 0;
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let next_is_space = chars.peek().is_none_or(|(_, n)| n.is_whitespace());
            let ends = c == '\n' || (matches!(c, '.' | '!' | '?' | ';' | '…') && next_is_space);
            if ends {
                let end = i + c.len_utf8();
                push_sentence(&mut out, s, &text, start..end);
                start = end;
            }
        }
        push_sentence(&mut out, s, &text, start..text.len());
    }
    out
}

fn push_sentence<'a>(out: &mut Vec<Sentence<'a>>, s: &'a Str, text: &str, range: Range<usize>) {
    let words: Vec<String> = text[range.clone()]
        .split_whitespace()
        .filter_map(clean_word)
        .collect();
    if words.is_empty() {
        return;
    }
    // Trim the range to the sentence's visible text for the span.
    let slice = &s.value[range.clone()];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    out.push(Sentence {
        s,
        range: range.start + lead..range.end - trail,
        words,
    });
}

/// The value with variables and URLs replaced by spaces (offsets unchanged).
fn blank_out(s: &Str) -> String {
    let mut bytes: Vec<u8> = s.value.as_bytes().to_vec();
    let mut blank = |r: Range<usize>| {
        for b in &mut bytes[r] {
            *b = b' ';
        }
    };
    for seg in s.segments() {
        if !matches!(seg, Segment::Literal(_)) {
            blank(seg.span());
        }
    }
    for u in find_urls(&s.value) {
        blank(u.range);
    }
    // Whole UTF-8 sequences were replaced, so the result is valid UTF-8; fall back to the
    // value itself if that invariant were ever broken.
    String::from_utf8(bytes).unwrap_or_else(|_| s.value.clone())
}

/// A word for detection, or `None` for what says nothing about the language: numbers and
/// words with digits (`Gym24`), e-mail addresses, brand-like capitals inside a word
/// (`SunAir`, `FreshPay`), words in capitals (`STOP`, `PDF`).
fn clean_word(w: &str) -> Option<String> {
    let w = w.trim_matches(|c: char| !c.is_alphanumeric());
    if w.is_empty()
        || w.contains('@')
        || w.chars().any(|c| c.is_numeric())
        || !w.chars().any(char::is_alphabetic)
    {
        return None;
    }
    let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    if letters.len() >= 2 && upper == letters.len() {
        return None;
    }
    let camel = w
        .chars()
        .zip(w.chars().skip(1))
        .any(|(a, b)| a.is_lowercase() && b.is_uppercase());
    if camel {
        return None;
    }
    Some(w.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning_drops_what_says_nothing_about_the_language() {
        let kept: Vec<String> = "Hola María, SunAir Gym24 STOP #4521 maria@x.com a las 10:30 ¿sí?"
            .split_whitespace()
            .filter_map(clean_word)
            .collect();
        assert_eq!(kept, ["Hola", "María", "a", "las", "sí"]);
    }

    #[test]
    fn detector_tells_spanish_from_portuguese() {
        let es = detector().compute_language_confidence_values(
            "Tu reembolso fue procesado y aparecerá en cinco días",
        );
        let pt = detector().compute_language_confidence_values(
            "Seu reembolso foi processado e aparecerá em cinco dias",
        );
        assert_eq!(es[0].0, Lang::Spanish);
        assert_eq!(pt[0].0, Lang::Portuguese);
    }
}
