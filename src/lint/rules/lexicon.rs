//! Word lists for the content rules (policy WT060–WT067, category fit WT080–WT086).
//!
//! The lists are data files, one per language and list (`data/lexicons/<lang>/<list>.txt`:
//! one phrase a line, lower case with correct accents, `#` comments, a trailing `*` meaning
//! "followed by any letters"). They are embedded with `include_str!` and compiled once per
//! process and vocabulary into one Aho-Corasick automaton per language.
//!
//! Matching folds case and accents on both sides ([`Folded`]) but keeps a map from every
//! folded byte back to the original text, so a finding points at the exact bytes the user
//! wrote (`Promoção`, not `promocao`). A hit must sit on word boundaries (Unicode letters and
//! digits), so `bet` never matches `between` and `pin` never matches `spinning`; a phrase
//! matches across any run of whitespace.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, OnceLock, RwLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use crate::lint::LintOptions;
use crate::template::text::Segment;
use crate::template::Str;

/// One word list. The file name is the list's name in `data/lexicons/<lang>/` and in a
/// `reject = ["<list>:<phrase>"]` vocabulary entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum List {
    SensitiveIdentifiers,
    RequestVerbs,
    Negations,
    PartialQualifiers,
    Threats,
    DebtCollection,
    RestrictedGoods,
    ScamPatterns,
    Impersonation,
    Promotional,
    CrossSell,
    TransactionAnchors,
    Relationship,
    InformalOpeners,
    OtpWording,
    OptOut,
    /// Words that make a mention of an identifier read as a request without a verb
    /// ("is required", "we need"): WT061.
    RequestCues,
    /// Verbs that mean typing into a screen ("enter", "digite"): they do not turn "the code
    /// we sent you" into a request to hand the code over (WT060).
    EntryVerbs,
    /// Words right after an identifier that make it the subject of a notice ("your password
    /// was changed"): WT060 and WT061 stay quiet.
    StatementMarkers,
    /// Places outside the chat ("in the app", "no aplicativo"): with one in the sentence an
    /// entry verb is not a request (WT060/WT061).
    Elsewhere,
    /// Bundled near-misses ("you're welcome to", "point of sale"): like `accept`, nothing
    /// inside one of their matches is flagged.
    Exceptions,
    /// "was applied", "se aplicó": promotional wording in that sentence is a receipt (WT080).
    ReceiptMarkers,
    /// `accept` words of `wt.toml`: nothing inside one of their matches is flagged.
    Accept,
}

impl List {
    /// The lists shipped as data files, in file order.
    pub(crate) const FILES: [List; 22] = [
        List::SensitiveIdentifiers,
        List::RequestVerbs,
        List::Negations,
        List::PartialQualifiers,
        List::Threats,
        List::DebtCollection,
        List::RestrictedGoods,
        List::ScamPatterns,
        List::Impersonation,
        List::Promotional,
        List::CrossSell,
        List::TransactionAnchors,
        List::Relationship,
        List::InformalOpeners,
        List::OtpWording,
        List::OptOut,
        List::RequestCues,
        List::EntryVerbs,
        List::StatementMarkers,
        List::Elsewhere,
        List::Exceptions,
        List::ReceiptMarkers,
    ];

    pub(crate) fn file_name(self) -> &'static str {
        match self {
            List::SensitiveIdentifiers => "sensitive_identifiers",
            List::RequestVerbs => "request_verbs",
            List::Negations => "negations",
            List::PartialQualifiers => "partial_qualifiers",
            List::Threats => "threats",
            List::DebtCollection => "debt_collection",
            List::RestrictedGoods => "restricted_goods",
            List::ScamPatterns => "scam_patterns",
            List::Impersonation => "impersonation",
            List::Promotional => "promotional",
            List::CrossSell => "cross_sell",
            List::TransactionAnchors => "transaction_anchors",
            List::Relationship => "relationship",
            List::InformalOpeners => "informal_openers",
            List::OtpWording => "otp_wording",
            List::OptOut => "opt_out",
            List::RequestCues => "request_cues",
            List::EntryVerbs => "entry_verbs",
            List::StatementMarkers => "statement_markers",
            List::Elsewhere => "elsewhere",
            List::Exceptions => "exceptions",
            List::ReceiptMarkers => "receipt_markers",
            List::Accept => "accept",
        }
    }
}

macro_rules! lang_files {
    ($lang:literal) => {
        [
            lang_files!(@ $lang, "sensitive_identifiers"),
            lang_files!(@ $lang, "request_verbs"),
            lang_files!(@ $lang, "negations"),
            lang_files!(@ $lang, "partial_qualifiers"),
            lang_files!(@ $lang, "threats"),
            lang_files!(@ $lang, "debt_collection"),
            lang_files!(@ $lang, "restricted_goods"),
            lang_files!(@ $lang, "scam_patterns"),
            lang_files!(@ $lang, "impersonation"),
            lang_files!(@ $lang, "promotional"),
            lang_files!(@ $lang, "cross_sell"),
            lang_files!(@ $lang, "transaction_anchors"),
            lang_files!(@ $lang, "relationship"),
            lang_files!(@ $lang, "informal_openers"),
            lang_files!(@ $lang, "otp_wording"),
            lang_files!(@ $lang, "opt_out"),
            lang_files!(@ $lang, "request_cues"),
            lang_files!(@ $lang, "entry_verbs"),
            lang_files!(@ $lang, "statement_markers"),
            lang_files!(@ $lang, "elsewhere"),
            lang_files!(@ $lang, "exceptions"),
            lang_files!(@ $lang, "receipt_markers"),
        ]
    };
    (@ $lang:literal, $file:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/lexicons/",
            $lang,
            "/",
            $file,
            ".txt"
        ))
    };
}

/// The bundled languages: (base code, one text per [`List::FILES`] entry).
static BUNDLED: [(&str, [&str; 22]); 3] = [
    ("en", lang_files!("en")),
    ("es", lang_files!("es")),
    ("pt", lang_files!("pt")),
];

/// Brands whose support a template must not claim to be (WT067), language-independent.
static BRANDS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/lexicons/brands.txt"
));

/// A lexicon line with this slot is expanded once per brand of `brands.txt`.
const BRAND_SLOT: &str = "{brand}";

/// The base of a language code: `pt_BR` → `pt`, `es-MX` → `es`, `EN` → `en`.
pub(crate) fn base_language(code: &str) -> String {
    code.split(['_', '-'])
        .next()
        .unwrap_or(code)
        .to_ascii_lowercase()
}

/// The entries of one data file: (folded phrase, wildcard).
pub(crate) fn parse_entries(text: &str) -> impl Iterator<Item = (String, bool)> + '_ {
    text.lines().filter_map(|line| {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        // A comment after the phrase: `phrase   # why`.
        let line = line.split(" #").next().unwrap_or(line).trim();
        let (phrase, wildcard) = match line.strip_suffix('*') {
            Some(p) => (p.trim_end(), true),
            None => (line, false),
        };
        let folded = fold(phrase);
        (!folded.is_empty()).then_some((folded, wildcard))
    })
}

/// Case and accent folding of one phrase (lexicon side): lower case, canonical decomposition
/// without combining marks, typographic apostrophes and dashes made ASCII, whitespace runs
/// made one space.
pub(crate) fn fold(s: &str) -> String {
    Folded::new(s, None).text.trim().to_string()
}

fn fold_char(c: char, out: &mut impl FnMut(char)) {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{00B4}' | '`' => out('\''),
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' => out('-'),
        _ => {
            for lower in c.to_lowercase() {
                decompose_canonical(lower, |d| {
                    if !is_combining_mark(d) {
                        out(d);
                    }
                });
            }
        }
    }
}

/// Text folded for matching, with a map back to the original bytes.
#[derive(Debug, Clone)]
pub(crate) struct Folded {
    pub(crate) text: String,
    /// For each byte of `text`: the original byte range of the char that produced it.
    origin: Vec<(usize, usize)>,
    /// Sentences as folded ranges: split after `.`, `!`, `?`, `;` followed by whitespace and
    /// at every line break.
    pub(crate) sentences: Vec<Range<usize>>,
    /// Folded offsets where a word (a run of letters and digits) starts.
    word_starts: Vec<usize>,
}

impl Folded {
    /// Folds `original`. With `segments` (from the template text parser), each variable
    /// becomes the word `0`: it counts as a word in distances but never matches a phrase.
    pub(crate) fn new(original: &str, segments: Option<&[Segment]>) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut origin: Vec<(usize, usize)> = Vec::with_capacity(original.len());
        let mut sentences = Vec::new();
        let mut sentence_start = 0;
        let vars: Vec<Range<usize>> = segments
            .map(|segs| {
                segs.iter()
                    .filter(|s| matches!(s, Segment::Var(_)))
                    .map(Segment::span)
                    .collect()
            })
            .unwrap_or_default();
        let mut var_iter = vars.iter().peekable();
        let mut pending_space: Option<(usize, usize)> = None;
        let mut chars = original.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            while var_iter.peek().is_some_and(|v| v.end <= i) {
                var_iter.next();
            }
            if let Some(v) = var_iter.peek() {
                if v.start <= i {
                    // Inside a variable: emit `0` once, at its first byte.
                    if v.start == i {
                        if let Some(sp) = pending_space.take() {
                            text.push(' ');
                            origin.push(sp);
                        }
                        text.push('0');
                        origin.push((v.start, v.end));
                    }
                    continue;
                }
            }
            if c.is_whitespace() {
                if c == '\n' && text.len() > sentence_start {
                    sentences.push(sentence_start..text.len());
                    sentence_start = text.len();
                }
                if !text.is_empty() && pending_space.is_none() {
                    pending_space = Some((i, i + c.len_utf8()));
                }
                continue;
            }
            if let Some(sp) = pending_space.take() {
                if text.len() > sentence_start {
                    text.push(' ');
                    origin.push(sp);
                } else if !text.is_empty() {
                    text.push(' ');
                    origin.push(sp);
                    sentence_start = text.len();
                }
            }
            let span = (i, i + c.len_utf8());
            fold_char(c, &mut |f| {
                let mut buf = [0u8; 4];
                let s = f.encode_utf8(&mut buf);
                text.push_str(s);
                origin.extend(std::iter::repeat_n(span, s.len()));
            });
            let ends_sentence = matches!(c, '.' | '!' | '?' | ';' | '…')
                && chars.peek().is_none_or(|(_, n)| n.is_whitespace());
            if ends_sentence {
                sentences.push(sentence_start..text.len());
                sentence_start = text.len();
            }
        }
        if text.len() > sentence_start {
            sentences.push(sentence_start..text.len());
        }
        let mut word_starts = Vec::new();
        let mut prev_alnum = false;
        for (i, c) in text.char_indices() {
            let a = c.is_alphanumeric();
            if a && !prev_alnum {
                word_starts.push(i);
            }
            prev_alnum = a;
        }
        Self {
            text,
            origin,
            sentences,
            word_starts,
        }
    }

    /// The original byte range of a folded range.
    pub(crate) fn to_original(&self, r: Range<usize>) -> Range<usize> {
        if r.start >= self.origin.len() || r.end == 0 {
            return 0..0;
        }
        let start = self.origin[r.start].0;
        let end = self.origin[(r.end - 1).min(self.origin.len() - 1)].1;
        start..end.max(start)
    }

    /// The sentence that holds folded offset `at`.
    pub(crate) fn sentence_of(&self, at: usize) -> Range<usize> {
        self.sentences
            .iter()
            .find(|s| s.start <= at && at < s.end)
            .cloned()
            .unwrap_or(0..self.text.len())
    }

    /// Number of words that start in `r` (a distance in words).
    pub(crate) fn words_in(&self, r: Range<usize>) -> usize {
        if r.end <= r.start {
            return 0;
        }
        let a = self.word_starts.partition_point(|&s| s < r.start);
        let b = self.word_starts.partition_point(|&s| s < r.end);
        b - a
    }
}

#[derive(Debug, Clone)]
struct Pat {
    list: List,
    wildcard: bool,
    /// From `wt.toml` `reject`.
    user: bool,
    starts_alnum: bool,
    ends_alnum: bool,
}

/// A match of a lexicon phrase in a [`Folded`] text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hit {
    pub(crate) list: List,
    /// Folded range.
    pub(crate) range: Range<usize>,
    /// The phrase came from a `reject` vocabulary in `wt.toml`.
    pub(crate) user: bool,
}

/// One language's compiled lists.
#[derive(Debug)]
pub(crate) struct Lexicon {
    ac: Option<AhoCorasick>,
    pats: Vec<Pat>,
}

/// The hits of one text, per list, without overlaps inside a list and without anything an
/// `accept` word covers.
#[derive(Debug, Default)]
pub(crate) struct Hits {
    hits: Vec<Hit>,
}

impl Hits {
    pub(crate) fn of(&self, list: List) -> impl Iterator<Item = &Hit> + '_ {
        self.hits.iter().filter(move |h| h.list == list)
    }

    pub(crate) fn any(&self, list: List) -> bool {
        self.of(list).next().is_some()
    }

    pub(crate) fn in_range(&self, list: List, r: Range<usize>) -> impl Iterator<Item = &Hit> + '_ {
        self.of(list)
            .filter(move |h| h.range.start >= r.start && h.range.end <= r.end)
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

impl Lexicon {
    fn build(entries: Vec<(List, String, bool, bool)>) -> Self {
        let mut patterns = Vec::with_capacity(entries.len());
        let mut pats = Vec::with_capacity(entries.len());
        for (list, text, wildcard, user) in entries {
            let starts_alnum = text.chars().next().is_some_and(is_word_char);
            let ends_alnum = text.chars().next_back().is_some_and(is_word_char);
            patterns.push(text);
            pats.push(Pat {
                list,
                wildcard,
                user,
                starts_alnum,
                ends_alnum,
            });
        }
        let ac = (!patterns.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build(&patterns)
                .expect("lexicon phrases are plain strings, far below the automaton's size limit")
        });
        Self { ac, pats }
    }

    /// Every hit in `f`.
    pub(crate) fn find(&self, f: &Folded) -> Hits {
        let Some(ac) = &self.ac else {
            return Hits::default();
        };
        let text = f.text.as_str();
        let mut raw: Vec<Hit> = Vec::new();
        for m in ac.find_overlapping_iter(text) {
            let pat = &self.pats[m.pattern().as_usize()];
            let (start, mut end) = (m.start(), m.end());
            if pat.starts_alnum && text[..start].chars().next_back().is_some_and(is_word_char) {
                continue;
            }
            if pat.wildcard {
                end += text[end..]
                    .chars()
                    .take_while(|c| c.is_alphabetic())
                    .map(char::len_utf8)
                    .sum::<usize>();
            }
            if pat.ends_alnum && text[end..].chars().next().is_some_and(is_word_char) {
                continue;
            }
            raw.push(Hit {
                list: pat.list,
                range: start..end,
                user: pat.user,
            });
        }
        let shields = |l: List| matches!(l, List::Accept | List::Exceptions);
        let accepted: Vec<Range<usize>> = raw
            .iter()
            .filter(|h| shields(h.list))
            .map(|h| h.range.clone())
            .collect();
        raw.retain(|h| {
            !shields(h.list)
                && !accepted
                    .iter()
                    .any(|a| a.start <= h.range.start && h.range.end <= a.end)
        });
        // Within one list keep the leftmost-longest hits that do not overlap.
        raw.sort_by(|a, b| {
            (a.list, a.range.start, std::cmp::Reverse(a.range.end)).cmp(&(
                b.list,
                b.range.start,
                std::cmp::Reverse(b.range.end),
            ))
        });
        let mut hits: Vec<Hit> = Vec::with_capacity(raw.len());
        for h in raw {
            if let Some(last) = hits.last() {
                if last.list == h.list && h.range.start < last.range.end {
                    continue;
                }
            }
            hits.push(h);
        }
        Hits { hits }
    }
}

/// One template string folded and matched against a lexicon.
pub(crate) struct Scan<'a> {
    pub(crate) s: &'a Str,
    pub(crate) folded: Folded,
    pub(crate) hits: Hits,
}

impl<'a> Scan<'a> {
    pub(crate) fn new(lexicon: &Lexicon, s: &'a Str) -> Self {
        let segments = s.segments();
        let folded = Folded::new(&s.value, Some(&segments));
        let hits = lexicon.find(&folded);
        Self { s, folded, hits }
    }

    /// The decoded range of a folded range (for `Checker::report_in`).
    pub(crate) fn decoded(&self, folded: Range<usize>) -> Range<usize> {
        self.folded.to_original(folded)
    }

    /// The text of a hit as written.
    pub(crate) fn text(&self, h: &Hit) -> &str {
        &self.s.value[self.decoded(h.range.clone())]
    }
}

type CacheKey = (String, Vec<String>, Vec<String>);

fn cache() -> &'static RwLock<HashMap<CacheKey, Arc<Lexicon>>> {
    static CACHE: OnceLock<RwLock<HashMap<CacheKey, Arc<Lexicon>>>> = OnceLock::new();
    CACHE.get_or_init(|| RwLock::new(HashMap::new()))
}

/// The lexicon for a template language, with the `wt.toml` vocabularies of that language
/// applied, compiled once per process. `None` when wt ships no lists for the language and
/// the user gave none: English words are never run on German text.
pub(crate) fn for_language(options: &LintOptions, code: &str) -> Option<Arc<Lexicon>> {
    let base = base_language(code);
    let mut accept = Vec::new();
    let mut reject = Vec::new();
    for (lang, (a, r)) in &options.vocabularies {
        if base_language(lang) == base {
            accept.extend(a.iter().cloned());
            reject.extend(r.iter().cloned());
        }
    }
    let bundled = BUNDLED.iter().find(|(l, _)| *l == base);
    if bundled.is_none() && accept.is_empty() && reject.is_empty() {
        return None;
    }
    let key = (base, accept, reject);
    if let Some(l) = cache()
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&key)
    {
        return Some(Arc::clone(l));
    }
    let mut entries: Vec<(List, String, bool, bool)> = Vec::new();
    if let Some((_, texts)) = bundled {
        let brands: Vec<(String, bool)> = parse_entries(BRANDS).collect();
        for (list, text) in List::FILES.iter().zip(texts.iter()) {
            for (phrase, wildcard) in parse_entries(text) {
                if phrase.contains(BRAND_SLOT) {
                    for (brand, _) in &brands {
                        entries.push((*list, phrase.replace(BRAND_SLOT, brand), wildcard, false));
                    }
                } else {
                    entries.push((*list, phrase, wildcard, false));
                }
            }
        }
    }
    for word in &key.1 {
        let (phrase, wildcard) = match word.trim().strip_suffix('*') {
            Some(p) => (fold(p), true),
            None => (fold(word), false),
        };
        if !phrase.is_empty() {
            entries.push((List::Accept, phrase, wildcard, true));
        }
    }
    for word in &key.2 {
        let (list, word) = reject_target(word);
        let (phrase, wildcard) = match word.trim().strip_suffix('*') {
            Some(p) => (fold(p), true),
            None => (fold(word), false),
        };
        if !phrase.is_empty() {
            entries.push((list, phrase, wildcard, true));
        }
    }
    let lexicon = Arc::new(Lexicon::build(entries));
    cache()
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(key, Arc::clone(&lexicon));
    Some(lexicon)
}

/// Where a `reject` word goes: `"restricted_goods:kratom"` names a list; a plain word is
/// promotional wording (WT080 in utility templates), the most common thing a team wants to
/// add after a re-categorisation.
pub(crate) fn reject_target(word: &str) -> (List, &str) {
    if let Some((prefix, rest)) = word.split_once(':') {
        let prefix = prefix.trim();
        if let Some(list) = List::FILES.iter().find(|l| l.file_name() == prefix) {
            return (*list, rest.trim());
        }
    }
    (List::Promotional, word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex(entries: &[(List, &str)]) -> Lexicon {
        Lexicon::build(
            entries
                .iter()
                .map(|(l, s)| {
                    let (p, w) = match s.strip_suffix('*') {
                        Some(p) => (fold(p), true),
                        None => (fold(s), false),
                    };
                    (*l, p, w, false)
                })
                .collect(),
        )
    }

    fn matched(l: &Lexicon, text: &str) -> Vec<String> {
        let f = Folded::new(text, None);
        l.find(&f)
            .hits
            .iter()
            .map(|h| text[f.to_original(h.range.clone())].to_string())
            .collect()
    }

    #[test]
    fn word_boundaries() {
        let l = lex(&[
            (List::RestrictedGoods, "bet"),
            (List::SensitiveIdentifiers, "pin"),
        ]);
        assert!(matched(&l, "Delivery between 2 and 4 pm").is_empty());
        assert!(matched(&l, "The spinning class starts at 6").is_empty());
        assert_eq!(matched(&l, "Place your bet now"), ["bet"]);
        assert_eq!(matched(&l, "Send your PIN."), ["PIN"]);
        assert!(matched(&l, "alphabet").is_empty());
    }

    #[test]
    fn accents_and_case_fold_both_ways() {
        let l = lex(&[
            (List::Promotional, "grátis"),
            (List::Promotional, "promoção"),
        ]);
        assert_eq!(matched(&l, "Frete GRÁTIS hoje"), ["GRÁTIS"]);
        assert_eq!(matched(&l, "Frete gratis hoje"), ["gratis"]);
        assert_eq!(matched(&l, "Nova Promoção!"), ["Promoção"]);
        assert_eq!(matched(&l, "nova PROMOCAO"), ["PROMOCAO"]);
        // A decomposed accent (NFD input) folds the same.
        assert_eq!(
            matched(&l, "Promoc\u{0327}a\u{0303}o"),
            ["Promoc\u{0327}a\u{0303}o"]
        );
    }

    #[test]
    fn phrases_match_across_whitespace_runs_and_wildcards_extend() {
        let l = lex(&[
            (List::Promotional, "limited time offer"),
            (List::Promotional, "discount*"),
        ]);
        assert_eq!(
            matched(&l, "A limited\n  time   offer!"),
            ["limited\n  time   offer"]
        );
        assert_eq!(matched(&l, "Discounted prices"), ["Discounted"]);
        assert!(matched(&l, "nodiscount").is_empty());
    }

    #[test]
    fn spans_map_back_through_multibyte_text() {
        let l = lex(&[(List::Promotional, "oferta")]);
        let text = "¡Última OFERTA del año!";
        let f = Folded::new(text, None);
        let h = &l.find(&f).hits[0];
        assert_eq!(&text[f.to_original(h.range.clone())], "OFERTA");
    }

    #[test]
    fn variables_fold_to_a_word() {
        let text = "Hi {{first_name}}, your pin {{1}} ok";
        let segs = crate::template::text::parse(text);
        let f = Folded::new(text, Some(&segs));
        assert_eq!(f.text, "hi 0, your pin 0 ok");
        let l = lex(&[(List::SensitiveIdentifiers, "name")]);
        assert!(l.find(&f).hits.is_empty());
        assert_eq!(f.words_in(0..f.text.len()), 6);
    }

    #[test]
    fn sentences_split_on_terminators_and_lines() {
        let f = Folded::new("One two. Three 3.5 four!\nFive? six", None);
        let s: Vec<&str> = f.sentences.iter().map(|r| &f.text[r.clone()]).collect();
        assert_eq!(s, ["one two.", "three 3.5 four!", "five?", "six"]);
    }

    #[test]
    fn reject_targets() {
        assert_eq!(reject_target("kratom").0, List::Promotional);
        assert_eq!(
            reject_target("restricted_goods:kratom"),
            (List::RestrictedGoods, "kratom")
        );
        assert_eq!(reject_target("note: hi").0, List::Promotional);
    }
}
