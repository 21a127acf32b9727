//! Exact near-duplicate search behind WT127 (duplicate-template) and WT128
//! (near-duplicate-template).
//!
//! RULES.md: bodies are normalised ([`normalize`]), and two templates of the same language
//! are near-duplicates when `sim = 1 - lev(a, b) / max(len a, len b) >= threshold`, with the
//! Levenshtein distance and lengths counted in Unicode scalar values. Exact duplicates are
//! the pairs at distance 0. The caller groups templates (language, not authentication) and
//! calls [`similar_pairs`] once per group.
//!
//! [`similar_pairs`] returns exactly what the all-pairs definition returns
//! ([`similar_pairs_reference`]), in a fraction of the time. Every filter is a proven lower
//! bound on the distance, so none can drop a qualifying pair:
//!
//! 1. length: texts sorted by length, each compared only with the run of texts within reach
//!    (`join.rs`);
//! 2. character counts and hashed bigram counts, one cache line each per text (`group.rs`);
//! 3. positional 3-gram count, PassJoin's partition argument with |s|/3 segments, the filter
//!    that still works when every text is a permutation of the same sentences
//!    (`positional.rs`);
//! 4. verification: bit-parallel Levenshtein (Myers/Hyyrö) in Ukkonen's band, stopping as
//!    soon as the distance provably exceeds the limit (`myers.rs`).
//!
//! Probes run in parallel (rayon). `benches/README.md` has the measurements against the
//! rapidfuzz anchor.

mod group;
mod join;
mod myers;
mod normalize;
mod positional;
mod threshold;

#[cfg(test)]
mod tests;

pub use normalize::{normalize, PLACEHOLDER_TOKEN};

/// One qualifying pair: indices into the input slice (`a < b`), the Levenshtein distance of
/// the two (normalised) texts and their similarity `1 - distance / max_len`.
#[derive(Debug, Clone, PartialEq)]
pub struct SimilarPair {
    pub a: usize,
    pub b: usize,
    pub distance: usize,
    pub similarity: f64,
}

/// How many candidate pairs each stage of [`similar_pairs`] let through, for benchmarks and
/// tuning. `length_ok` pairs were within reach by length, `chars_ok` of those passed the
/// character-count bound, `bigrams_ok` the bigram-count bound, `positional_ok` the positional
/// gram count; those were verified.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JoinStats {
    pub length_ok: u64,
    pub chars_ok: u64,
    pub bigrams_ok: u64,
    pub positional_ok: u64,
}

impl JoinStats {
    /// Sums two counts (e.g. of two groups).
    pub fn merge(self, other: &Self) -> Self {
        Self {
            length_ok: self.length_ok + other.length_ok,
            chars_ok: self.chars_ok + other.chars_ok,
            bigrams_ok: self.bigrams_ok + other.bigrams_ok,
            positional_ok: self.positional_ok + other.positional_ok,
        }
    }
}

/// Every pair `(a, b)`, `a < b`, of `texts` (already normalised) with similarity
/// `>= threshold`, sorted by `(a, b)`. Exact: equal to [`similar_pairs_reference`].
///
/// `threshold` is read as a decimal with up to nine fractional digits, and pairs exactly on
/// the edge qualify (length 100, distance 10 at 0.90). A threshold `<= 0` accepts every pair;
/// above 1 or NaN, none.
pub fn similar_pairs(texts: &[&str], threshold: f64) -> Vec<SimilarPair> {
    join::run(texts, None, threshold).0
}

/// [`similar_pairs`] plus the number of pairs that reached each filter stage.
pub fn similar_pairs_with_stats(texts: &[&str], threshold: f64) -> (Vec<SimilarPair>, JoinStats) {
    join::run(texts, None, threshold)
}

/// The pairs of [`similar_pairs`] that involve at least one text with `is_query[i]` set: the
/// pre-commit case, where a few changed files are checked against a large directory. Costs
/// about (queries / texts) of the full search.
///
/// # Panics
/// If `is_query.len() != texts.len()` (a caller bug: the flags must describe the texts).
pub fn similar_pairs_involving(
    texts: &[&str],
    is_query: &[bool],
    threshold: f64,
) -> Vec<SimilarPair> {
    assert_eq!(
        is_query.len(),
        texts.len(),
        "similar_pairs_involving: one is_query flag per text"
    );
    join::run(texts, Some(is_query), threshold).0
}

/// All-pairs reference: `strsim::levenshtein` on every pair and the same qualification rule.
/// Quadratic; for tests and benchmarks.
pub fn similar_pairs_reference(texts: &[&str], threshold: f64) -> Vec<SimilarPair> {
    let th = threshold::Threshold::new(threshold);
    let lens: Vec<usize> = texts.iter().map(|t| t.chars().count()).collect();
    let mut out = Vec::new();
    for a in 0..texts.len() {
        for b in a + 1..texts.len() {
            let d = strsim::levenshtein(texts[a], texts[b]);
            let l = lens[a].max(lens[b]);
            if th.qualifies(d, l) {
                out.push(SimilarPair {
                    a,
                    b,
                    distance: d,
                    similarity: threshold::similarity(d, l),
                });
            }
        }
    }
    out
}
