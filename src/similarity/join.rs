//! The join: every qualifying pair of one group, exactly.
//!
//! Texts are sorted by length. A pair `(r, s)` with `len r <= len s` may qualify only if
//! `len s - len r <= K(len s)` (`K(L)` = largest distance allowed at max length `L`, see
//! `threshold`). `L - K(L)` never decreases with `L`, so the partners of `r` that are at least
//! as long form one contiguous run of ranks after it. Each candidate then meets, cheapest first:
//! the character-count bound, the bigram-count bound, the positional gram count, and the
//! banded bit-parallel verifier.
//! Every filter is a proven lower bound on the distance, so no qualifying pair is ever dropped.

use super::group::{bigram_lower_bound, char_lower_bound, Group};
use super::myers::Verifier;
use super::positional::PositionIndex;
use super::threshold::{similarity, Threshold};
use super::{JoinStats, SimilarPair};
use rayon::prelude::*;

pub(crate) fn run(
    texts: &[&str],
    is_query: Option<&[bool]>,
    threshold: f64,
) -> (Vec<SimilarPair>, JoinStats) {
    let th = Threshold::new(threshold);
    if texts.len() < 2 || th.rejects_all() {
        return (Vec::new(), JoinStats::default());
    }
    let Some(is_query) = is_query else {
        return run_group(texts, None, th);
    };
    // Preparing a group (symbols, histograms, grams) costs about as much per text as the
    // whole search of a few queries, so only the texts within reach of a query by length
    // are prepared: a handful of changed files then costs a fraction of the full pass.
    let lens: Vec<usize> = texts.par_iter().map(|t| t.chars().count()).collect();
    // `rejects_all` is false, so every length has a largest allowed distance.
    let reach = |l: usize| th.max_distance(l).unwrap_or(0);
    let mut query_lens: Vec<usize> = (0..texts.len())
        .filter(|&i| is_query[i])
        .map(|i| lens[i])
        .collect();
    query_lens.sort_unstable();
    let within_reach = |l: usize| {
        // A shorter (or equal) query needs l - len_q <= K(l) ...
        let first_short = query_lens.partition_point(|&q| q < l - reach(l));
        let short = query_lens.get(first_short).is_some_and(|&q| q <= l);
        // ... a longer one len_q - l <= K(len_q); len - K(len) grows with len, so the
        // shortest query at least as long as l is the one to check.
        let first_long = query_lens.partition_point(|&q| q < l);
        let long = query_lens
            .get(first_long)
            .is_some_and(|&q| q - reach(q) <= l);
        short || long
    };
    let keep: Vec<usize> = (0..texts.len())
        .filter(|&i| is_query[i] || within_reach(lens[i]))
        .collect();
    let sub: Vec<&str> = keep.iter().map(|&i| texts[i]).collect();
    let sub_query: Vec<bool> = keep.iter().map(|&i| is_query[i]).collect();
    let (mut pairs, stats) = run_group(&sub, Some(&sub_query), th);
    // `keep` is increasing, so mapping back keeps a < b and the (a, b) order.
    for p in &mut pairs {
        (p.a, p.b) = (keep[p.a], keep[p.b]);
    }
    (pairs, stats)
}

/// The join over one prepared group; `is_query` restricts it to pairs with a query.
fn run_group(
    texts: &[&str],
    is_query: Option<&[bool]>,
    th: Threshold,
) -> (Vec<SimilarPair>, JoinStats) {
    if texts.len() < 2 {
        return (Vec::new(), JoinStats::default());
    }
    let g = Group::build(texts);
    let n = g.len();
    let max_len = g.text_len(n - 1);
    // K(L) for every length present; `rejects_all` is false, so every L has a K(L).
    let kmax: Vec<usize> = (0..=max_len)
        .map(|l| th.max_distance(l).unwrap_or(0))
        .collect();
    let k_at: Vec<usize> = (0..n).map(|r| kmax[g.text_len(r)]).collect();
    // key(rank) = len - K(len), non-decreasing in rank (K(L + 1) <= K(L) + 1).
    let key: Vec<usize> = (0..n).map(|r| g.text_len(r) - k_at[r]).collect();
    // end[r]: first rank after r whose text is too long to be within reach of r.
    let end: Vec<usize> = (0..n)
        .map(|r| key.partition_point(|&x| x <= g.text_len(r)).max(r + 1))
        .collect();

    let query_rank: Option<Vec<bool>> = is_query.map(|q| g.order.iter().map(|&i| q[i]).collect());

    let ctx = Ctx { g: &g, k_at: &k_at };
    let probes: Vec<usize> = match &query_rank {
        None => (0..n).collect(),
        Some(q) => (0..n).filter(|&r| q[r]).collect(),
    };

    let (mut pairs, stats) = probes
        .par_iter()
        .fold(
            || (Scratch::new(g.alphabet), Vec::new(), JoinStats::default()),
            |(mut scratch, mut out, mut st), &r| {
                match &query_rank {
                    None => ctx.probe(r, r + 1..end[r], None, &mut scratch, &mut out, &mut st),
                    Some(q) => {
                        // Longer partners (all of them; a query partner is found here once),
                        // then shorter ones that are not queries (those probe for themselves).
                        ctx.probe(r, r + 1..end[r], None, &mut scratch, &mut out, &mut st);
                        let first = end.partition_point(|&e| e <= r);
                        ctx.probe(r, first..r, Some(q), &mut scratch, &mut out, &mut st);
                    }
                }
                (scratch, out, st)
            },
        )
        .map(|(_, out, st)| (out, st))
        .reduce(
            || (Vec::new(), JoinStats::default()),
            |(mut a, sa), (b, sb)| {
                a.extend(b);
                (a, sa.merge(&sb))
            },
        );
    pairs.par_sort_unstable_by_key(|p| (p.a, p.b));
    (pairs, stats)
}

/// Probes longer than this skip the positional filter (it is optional: the verifier decides).
/// Its index takes about `len^2 / 64` words, which is nothing for a template body (at most
/// 1,024 chars) but would be hundreds of MiB per thread for a text of 100,000 chars.
const POSITIONAL_MAX_LEN: usize = 8192;

/// Per-thread buffers, reused from probe to probe.
struct Scratch {
    ver: Verifier,
    pos: PositionIndex,
    /// The probe being served (a query probe is served by two calls), and whether `ver` and
    /// `pos` hold it yet: both are built at its first candidate that needs them, since most
    /// probes of a real corpus have no candidate left after the count filters.
    probe: Option<usize>,
    ver_ready: bool,
    pos_ready: bool,
}

impl Scratch {
    fn new(alphabet: usize) -> Self {
        Self {
            ver: Verifier::new(alphabet),
            pos: PositionIndex::new(),
            probe: None,
            ver_ready: false,
            pos_ready: false,
        }
    }
}

struct Ctx<'a> {
    g: &'a Group,
    /// `k_at[rank]`: the largest distance allowed for a pair whose longer text is at `rank`.
    k_at: &'a [usize],
}

impl Ctx<'_> {
    /// Compares the text at rank `r` with the texts at `partners` (skipping query ranks when
    /// `skip_queries` is given) and appends the qualifying pairs.
    fn probe(
        &self,
        r: usize,
        partners: std::ops::Range<usize>,
        skip_queries: Option<&[bool]>,
        scratch: &mut Scratch,
        out: &mut Vec<SimilarPair>,
        st: &mut JoinStats,
    ) {
        let g = self.g;
        let pattern = g.text(r);
        if scratch.probe != Some(r) {
            scratch.probe = Some(r);
            scratch.ver_ready = false;
            scratch.pos_ready = false;
        }
        let (mut length_ok, mut chars_ok) = (0, 0);
        for s in partners {
            if skip_queries.is_some_and(|q| q[s]) {
                continue;
            }
            // Ranks are in length order, so the later rank holds the longer text and sets k.
            let k = self.k_at[r.max(s)];
            debug_assert!(
                g.text_len(r).abs_diff(g.text_len(s)) <= k,
                "partners are within reach"
            );
            length_ok += 1;
            if char_lower_bound(g, r, s) as usize > k {
                continue;
            }
            chars_ok += 1;
            if bigram_lower_bound(g, r, s) as usize > k {
                continue;
            }
            st.bigrams_ok += 1;
            if g.text_len(r) <= POSITIONAL_MAX_LEN {
                if !scratch.pos_ready {
                    scratch.pos.build(g.grams(r));
                    scratch.pos_ready = true;
                }
                if !scratch.pos.may_match(g.grams(s), k) {
                    continue;
                }
            }
            st.positional_ok += 1;
            if !scratch.ver_ready {
                scratch.ver.set_pattern(pattern);
                scratch.ver_ready = true;
            }
            if let Some(d) = scratch.ver.distance_within(pattern, g.text(s), k) {
                let (a, b) = (g.order[r], g.order[s]);
                let l = g.text_len(r).max(g.text_len(s));
                out.push(SimilarPair {
                    a: a.min(b),
                    b: a.max(b),
                    distance: d,
                    similarity: similarity(d, l),
                });
            }
        }
        st.length_ok += length_ok;
        st.chars_ok += chars_ok;
    }
}
