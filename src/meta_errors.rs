//! The catalogue of Meta Graph API error codes: cause and fix for each (code, subcode).
//!
//! The data is `data/meta_errors.toml` (facts from `meta/api.md` §5), compiled into the
//! binary and parsed once. `wt explain 131047` prints an entry; the Graph client uses
//! [`explain`] to add a help line to a Meta error.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// One error of Meta's API, as `wt explain` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MetaErrorInfo {
    /// `error.code` of the Graph error envelope.
    pub code: i64,
    /// `error.error_subcode`, for errors Meta distinguishes by subcode (2388024…).
    #[serde(default)]
    pub subcode: Option<i64>,
    /// Meta's short name of the error.
    pub title: String,
    /// The HTTP status Meta answers with, where known (decide on `code`, never on this).
    #[serde(default)]
    pub http_status: Option<u16>,
    /// Whether the same request may succeed later without a change (throttling, outages).
    pub retryable: bool,
    pub cause: String,
    pub fix: String,
    /// Where the fact comes from: a section of `meta/api.md` and its source keys.
    pub source: String,
}

impl MetaErrorInfo {
    /// `100/2388024`, or `131047` when there is no subcode.
    pub fn key(&self) -> String {
        match self.subcode {
            Some(s) => format!("{}/{s}", self.code),
            None => self.code.to_string(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Catalogue {
    error: Vec<MetaErrorInfo>,
}

const DATA: &str = include_str!("../data/meta_errors.toml");

/// Every catalogued error, in file order.
pub fn catalogue() -> &'static [MetaErrorInfo] {
    static ALL: OnceLock<Vec<MetaErrorInfo>> = OnceLock::new();
    ALL.get_or_init(|| {
        // The file is compiled in and `tests::catalogue_is_valid` parses it, so this cannot
        // fail in a released binary.
        toml::from_str::<Catalogue>(DATA)
            .expect("data/meta_errors.toml is valid: checked by meta_errors::tests")
            .error
    })
}

/// The entry for an error Meta returned: the exact (code, subcode), else the code's general
/// entry (a subcode wt does not know still gets the code's advice), else for 201–299 the
/// entry of 200 (permission errors; api.md §5.2 treats the range alike).
pub fn explain(code: i64, subcode: Option<i64>) -> Option<&'static MetaErrorInfo> {
    exact(code, subcode)
        .or_else(|| subcode.and_then(|_| exact(code, None)))
        .or_else(|| range_fallback(code).and_then(|c| exact(c, None)))
}

/// The code whose entry stands for a range of codes without entries of their own.
pub fn range_fallback(code: i64) -> Option<i64> {
    (201..=299).contains(&code).then_some(200)
}

/// Exactly (code, subcode), without falling back to the code's general entry.
pub fn exact(code: i64, subcode: Option<i64>) -> Option<&'static MetaErrorInfo> {
    catalogue()
        .iter()
        .find(|e| e.code == code && e.subcode == subcode)
}

/// The entries whose subcode is `subcode` (`wt explain 2388024`: the subcode alone).
pub fn by_subcode(subcode: i64) -> Vec<&'static MetaErrorInfo> {
    catalogue()
        .iter()
        .filter(|e| e.subcode == Some(subcode))
        .collect()
}

/// The catalogued subcodes of `code`, in file order.
pub fn subcodes_of(code: i64) -> Vec<i64> {
    catalogue()
        .iter()
        .filter(|e| e.code == code)
        .filter_map(|e| e.subcode)
        .collect()
}

/// Parses what a user types after `wt explain`: `131047`, `100/2388024`, `(#100)`, `#100`.
/// `None` when it is not a Meta error code (then it may be a rule code).
pub fn parse_query(s: &str) -> Option<(i64, Option<i64>)> {
    let s = s.trim();
    let s = s
        .strip_prefix('(')
        .and_then(|x| x.strip_suffix(')'))
        .unwrap_or(s);
    let s = s.strip_prefix('#').unwrap_or(s);
    let number = |t: &str| -> Option<i64> {
        let t = t.trim();
        (!t.is_empty() && t.len() <= 12 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    match s.split_once('/') {
        Some((c, sub)) => Some((number(c)?, Some(number(sub)?))),
        None => Some((number(s)?, None)),
    }
}

/// The catalogued key closest to what was typed (a typo of one or two digits; a swap counts once).
pub fn suggest(query: &str) -> Option<String> {
    let mut keys: Vec<String> = Vec::new();
    for e in catalogue() {
        keys.push(e.key());
        if let Some(s) = e.subcode {
            keys.push(s.to_string());
        }
    }
    keys.into_iter()
        .map(|k| (strsim::damerau_levenshtein(query, &k), k))
        .filter(|(d, k)| *d <= 2 && *d < k.len() / 2 + 1)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)))
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn catalogue_is_valid() {
        let all: Catalogue = toml::from_str(DATA).expect("data/meta_errors.toml parses");
        assert!(!all.error.is_empty());
        let mut keys = HashSet::new();
        for e in &all.error {
            assert!(keys.insert(e.key()), "{} is listed twice", e.key());
            for (field, text) in [
                ("title", &e.title),
                ("cause", &e.cause),
                ("fix", &e.fix),
                ("source", &e.source),
            ] {
                assert!(!text.trim().is_empty(), "{} has an empty {field}", e.key());
            }
            if let Some(s) = e.http_status {
                assert!((100..600).contains(&s), "{}: HTTP status {s}", e.key());
            }
        }
    }

    #[test]
    fn lookup_exact_then_code_fallback() {
        let e = explain(100, Some(2388024)).expect("100/2388024 is catalogued");
        assert_eq!(e.subcode, Some(2388024));
        // An unknown subcode of a known code gets the code's general advice.
        let general = explain(100, Some(1)).expect("100 is catalogued");
        assert_eq!((general.code, general.subcode), (100, None));
        assert!(exact(100, Some(1)).is_none());
        assert!(explain(131047, None).is_some());
        assert!(explain(999_999_999, None).is_none());
        assert_eq!(by_subcode(2388024).len(), 1);
        assert!(subcodes_of(100).contains(&2388024));
    }

    /// Every code and code/subcode of meta/api.md §5 (5.2 template management, 5.3
    /// throttling, 5.4 send time, and the codes 5.5/5.6 name), copied from the fact sheet.
    #[test]
    fn covers_every_code_of_api_md_section_5() {
        let section_5: &[(i64, Option<i64>)] = &[
            // §5.2
            (100, None),
            (100, Some(2388024)),
            (100, Some(2388023)),
            (100, Some(2388019)),
            (100, Some(2388039)),
            (100, Some(2388040)),
            (100, Some(2388043)),
            (100, Some(2388046)),
            (100, Some(2388047)),
            (100, Some(2388049)),
            (100, Some(2388072)),
            (100, Some(2388073)),
            (100, Some(2388155)),
            (100, Some(2388293)),
            (100, Some(2388299)),
            (100, Some(2593002)),
            (192, None),
            (200002, Some(2388109)),
            (200, None),
            (10, None),
            (3, None),
            (190, None),
            (368, None),
            (131031, None),
            (131064, None),
            // §5.3
            (4, None),
            (17, None),
            (32, None),
            (613, None),
            (80007, None),
            (80008, None),
            (341, None),
            // §5.4
            (132000, None),
            (132001, None),
            (132005, None),
            (132007, None),
            (132012, None),
            (132015, None),
            (132016, None),
            (132018, None),
            (131009, None),
            (131008, None),
            // §5.5 and §5.6
            (0, None),
            (1, None),
            (2, None),
            (130429, None),
            (131000, None),
            (131016, None),
            (133004, None),
        ];
        let missing: Vec<String> = section_5
            .iter()
            .filter(|(c, s)| exact(*c, *s).is_none())
            .map(|(c, s)| s.map_or(c.to_string(), |s| format!("{c}/{s}")))
            .collect();
        assert!(
            missing.is_empty(),
            "not in data/meta_errors.toml: {missing:?}"
        );
        // "10, 200–299 permission denied" and "190 (+ subcodes 458–467)": every code of the
        // ranges gets an answer.
        for code in 200..=299 {
            assert!(explain(code, None).is_some(), "{code}");
        }
        for sub in 458..=467 {
            assert_eq!(
                explain(190, Some(sub)).map(|e| e.code),
                Some(190),
                "190/{sub}"
            );
        }
        // Retryability follows §5.6.
        for code in [1, 2, 4, 17, 613, 80007, 80008, 341, 131000, 131016, 133004] {
            assert!(
                explain(code, None).is_some_and(|e| e.retryable),
                "{code} is retryable"
            );
        }
        for (code, sub) in [
            (100, Some(2388024)),
            (192, None),
            (3, None),
            (10, None),
            (190, None),
            (368, None),
            (132001, None),
        ] {
            assert!(
                explain(code, sub).is_some_and(|e| !e.retryable),
                "{code} is not retryable"
            );
        }
    }

    #[test]
    fn parses_what_users_type() {
        assert_eq!(parse_query("131047"), Some((131047, None)));
        assert_eq!(parse_query("100/2388024"), Some((100, Some(2388024))));
        assert_eq!(parse_query(" 100 / 2388024 "), Some((100, Some(2388024))));
        assert_eq!(parse_query("(#100)"), Some((100, None)));
        assert_eq!(parse_query("#80008"), Some((80008, None)));
        for not_meta in [
            "WT003",
            "",
            "/",
            "100/",
            "12a",
            "-1",
            "99999999999999999999",
        ] {
            assert_eq!(parse_query(not_meta), None, "{not_meta:?}");
        }
    }

    #[test]
    fn suggests_a_near_code() {
        assert_eq!(suggest("131074").as_deref(), Some("131047"));
        assert_eq!(suggest("80080").as_deref(), Some("80008"));
        assert_eq!(suggest("5"), None);
    }
}
