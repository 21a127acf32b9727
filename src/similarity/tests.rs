//! Tests of the near-duplicate finder: the threshold edge, the verifier against `strsim`,
//! the positional filter's soundness, and the whole join against the all-pairs reference.
//! (Normalisation is tested in `normalize.rs`.)

use super::myers::Verifier;
use super::*;
use proptest::prelude::*;

const T: char = PLACEHOLDER_TOKEN;

// ---------------------------------------------------------------------------------------
// the threshold edge
// ---------------------------------------------------------------------------------------

/// `len` chars with exactly `d` substitutions at the front.
fn edited(len: usize, d: usize) -> String {
    "b".repeat(d) + &"a".repeat(len - d)
}

fn qualifies(len: usize, d: usize, t: f64) -> bool {
    let a = "a".repeat(len);
    let b = edited(len, d);
    let fast = similar_pairs(&[&a, &b], t);
    assert_eq!(
        fast,
        similar_pairs_reference(&[&a, &b], t),
        "len {len} d {d} t {t}"
    );
    if let Some(p) = fast.first() {
        assert_eq!(p.distance, d);
    }
    !fast.is_empty()
}

#[test]
fn pairs_exactly_on_the_edge_qualify() {
    for len in [10, 100, 200, 300, 1000, 1024] {
        let k90 = len / 10; // exact: 0.10 * len
        assert!(qualifies(len, k90, 0.90), "len {len} at 0.90");
        assert!(!qualifies(len, k90 + 1, 0.90), "len {len} at 0.90");
    }
    // 0.89 and 0.91: the edges at len 100 (11 and 9) and 300 (33 and 27) are exact.
    assert!(qualifies(100, 11, 0.89));
    assert!(!qualifies(100, 12, 0.89));
    assert!(qualifies(300, 33, 0.89));
    assert!(!qualifies(300, 34, 0.89));
    assert!(qualifies(100, 9, 0.91));
    assert!(!qualifies(100, 10, 0.91));
    assert!(qualifies(300, 27, 0.91));
    assert!(!qualifies(300, 28, 0.91));
    // 0.90 at a length where 0.1 * len is not an integer: floor(23.3) = 23.
    assert!(qualifies(233, 23, 0.90));
    assert!(!qualifies(233, 24, 0.90));
}

#[test]
fn similarity_value_is_one_minus_distance_over_max_len() {
    let a = "a".repeat(100);
    let b = edited(100, 10);
    let p = &similar_pairs(&[&a, &b], 0.9)[0];
    assert_eq!((p.a, p.b, p.distance), (0, 1, 10));
    assert_eq!(p.similarity, 1.0 - 10.0 / 100.0);
}

#[test]
fn degenerate_thresholds_and_strings() {
    let texts = ["", "", "a", "ab", "b"];
    // Two empty strings are identical: similarity 1.0.
    let p = similar_pairs(&texts, 0.9);
    assert_eq!(
        p,
        vec![SimilarPair {
            a: 0,
            b: 1,
            distance: 0,
            similarity: 1.0
        }]
    );
    assert_eq!(p, similar_pairs_reference(&texts, 0.9));
    // <= 0 accepts everything, > 1 and NaN nothing.
    for t in [
        0.0,
        -1.0,
        0.5,
        1.0,
        1.5,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ] {
        let fast = similar_pairs(&texts, t);
        assert_eq!(fast, similar_pairs_reference(&texts, t), "t = {t}");
    }
    assert_eq!(similar_pairs(&texts, 0.0).len(), 10);
    assert!(similar_pairs(&texts, 1.5).is_empty());
    assert!(similar_pairs(&texts, f64::NAN).is_empty());
    assert!(similar_pairs(&[], 0.9).is_empty());
    assert!(similar_pairs(&["only"], 0.9).is_empty());
}

// ---------------------------------------------------------------------------------------
// the verifier against strsim
// ---------------------------------------------------------------------------------------

/// Distance via the verifier with limit `k`, on chars mapped to code points.
fn bounded(a: &str, b: &str, k: usize) -> Option<usize> {
    let pa: Vec<u32> = a.chars().map(|c| c as u32).collect();
    let pb: Vec<u32> = b.chars().map(|c| c as u32).collect();
    let alphabet = pa.iter().chain(&pb).max().map_or(1, |&m| m as usize + 1);
    let mut v = Verifier::new(alphabet);
    v.set_pattern(&pa);
    let d = v.distance_within(&pa, &pb, k);
    // The verifier is symmetric: swapping pattern and text gives the same answer.
    v.set_pattern(&pb);
    assert_eq!(
        v.distance_within(&pb, &pa, k),
        d,
        "swapped {a:?} {b:?} k {k}"
    );
    d
}

fn check_verifier(a: &str, b: &str) {
    let d = strsim::levenshtein(a, b);
    let longest = a.chars().count().max(b.chars().count());
    let mut ks: Vec<usize> = vec![
        0,
        1,
        2,
        d.saturating_sub(1),
        d,
        d + 1,
        longest / 10,
        longest / 4,
        longest,
        64,
        65,
    ];
    ks.sort_unstable();
    ks.dedup();
    for k in ks {
        assert_eq!(
            bounded(a, b, k),
            (d <= k).then_some(d),
            "a {a:?}\nb {b:?}\nk {k} d {d}"
        );
    }
}

/// A deterministic pseudo-random string over a small alphabet (xorshift; no dependencies).
fn pseudo(len: usize, seed: u64, alphabet: &[char]) -> String {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            alphabet[(x % alphabet.len() as u64) as usize]
        })
        .collect()
}

/// `s` with `edits` pseudo-random single-char edits.
fn mutate(s: &str, edits: usize, seed: u64, alphabet: &[char]) -> String {
    let mut v: Vec<char> = s.chars().collect();
    let mut x = seed.wrapping_mul(0xD1B5_4A32_D192_ED03) | 1;
    for _ in 0..edits {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let pos = (x >> 8) as usize % (v.len() + 1);
        let c = alphabet[(x >> 40) as usize % alphabet.len()];
        match x % 3 {
            0 => v.insert(pos, c),
            1 if pos < v.len() => {
                v.remove(pos);
            }
            _ if pos < v.len() => v[pos] = c,
            _ => v.push(c),
        }
    }
    v.into_iter().collect()
}

#[test]
fn verifier_matches_strsim_at_block_boundaries() {
    let alpha = ['a', 'b', 'c', 'é', '😀', '中', ' '];
    let lens = [
        0, 1, 2, 31, 63, 64, 65, 127, 128, 129, 191, 192, 193, 255, 256, 257, 640, 1024, 1100,
    ];
    for (i, &la) in lens.iter().enumerate() {
        let a = pseudo(la, i as u64 + 1, &alpha);
        for (j, edits) in [0usize, 1, 3, 10, 40].into_iter().enumerate() {
            let b = mutate(&a, edits, (i * 10 + j) as u64 + 7, &alpha);
            check_verifier(&a, &b);
        }
        // Unrelated strings of a boundary length.
        for &lb in &lens[i.saturating_sub(1)..(i + 2).min(lens.len())] {
            check_verifier(&a, &pseudo(lb, 1000 + lb as u64, &alpha));
        }
    }
}

#[test]
fn verifier_handles_common_prefix_and_suffix() {
    let core = pseudo(300, 5, &['x', 'y', 'z']);
    for (pre, suf) in [
        (0, 0),
        (1, 0),
        (0, 1),
        (64, 0),
        (0, 64),
        (70, 130),
        (200, 200),
    ] {
        let p = pseudo(pre, 11, &['p', 'q']);
        let s = pseudo(suf, 13, &['s', 't']);
        let a = format!("{p}{core}{s}");
        let b = format!("{p}{}{s}", mutate(&core, 12, 3, &['x', 'y', 'z']));
        check_verifier(&a, &b);
        // Prefix and suffix that overlap in the shorter string.
        check_verifier(&a, &format!("{p}{s}"));
        check_verifier(&format!("{p}{s}"), &a);
    }
    check_verifier("aaaa", "aaaaaa");
    check_verifier("abab", "ab");
    check_verifier("", "abc");
    check_verifier("abc", "");
}

// ---------------------------------------------------------------------------------------
// the join against the all-pairs reference
// ---------------------------------------------------------------------------------------

fn assert_same(texts: &[String], t: f64) {
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let fast = similar_pairs(&refs, t);
    let slow = similar_pairs_reference(&refs, t);
    assert_eq!(fast, slow, "threshold {t}");
    // The query variant returns the reference pairs that touch a query, for a few masks.
    for m in [1usize, 2, 3] {
        let is_query: Vec<bool> = (0..refs.len()).map(|i| i % (m + 1) == 0).collect();
        let want: Vec<SimilarPair> = slow
            .iter()
            .filter(|p| is_query[p.a] || is_query[p.b])
            .cloned()
            .collect();
        assert_eq!(
            similar_pairs_involving(&refs, &is_query, t),
            want,
            "threshold {t}, mask {m}"
        );
    }
}

#[test]
fn involving_prepares_only_texts_within_reach_and_misses_nothing() {
    // Texts at very different lengths, so a query skips most of them, and two at the exact
    // edge of reach of the base (len 100): 110 - 100 <= K(110) = 11 and 111 - 100 = K(111).
    let base = pseudo(100, 3, &['a', 'b', 'c', ' ']);
    let mut texts: Vec<String> = vec![
        pseudo(10, 1, &['a', 'b']),
        pseudo(1000, 2, &['a', 'b', 'c']),
    ];
    for seed in 0..6 {
        texts.push(mutate(
            &base,
            seed as usize * 2,
            seed,
            &['a', 'b', 'c', ' '],
        ));
    }
    texts.push(format!("{base}{}", "a".repeat(10)));
    texts.push(format!("{base}{}", "a".repeat(11)));
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let all = similar_pairs_reference(&refs, 0.9);
    for q in 0..texts.len() {
        let is_query: Vec<bool> = (0..texts.len()).map(|i| i == q).collect();
        let want: Vec<SimilarPair> = all
            .iter()
            .filter(|p| p.a == q || p.b == q)
            .cloned()
            .collect();
        assert_eq!(
            similar_pairs_involving(&refs, &is_query, 0.9),
            want,
            "query {q}"
        );
    }
    assert!(
        all.iter().any(|p| p.b == 8 || p.a == 8),
        "the len-110 text pairs with the base"
    );
}

#[test]
fn texts_longer_than_any_template_still_work() {
    // Past the positional filter's size limit, with a band far wider than 64 rows.
    let a = pseudo(9000, 21, &['a', 'b', 'c', 'd', ' ']);
    let mut b: Vec<char> = a.chars().collect();
    for i in [0, 4500, 8999] {
        b[i] = 'z';
    }
    let b: String = b.into_iter().collect();
    let c = pseudo(9000, 22, &['a', 'b', 'c', 'd', ' ']);
    let pairs = similar_pairs(&[&a, &b, &c], 0.9);
    assert_eq!(
        pairs,
        vec![SimilarPair {
            a: 0,
            b: 1,
            distance: 3,
            similarity: 1.0 - 3.0 / 9000.0
        }]
    );
}

/// Every body a permutation of the same sentences: equal lengths, equal character counts.
fn permutation_corpus(count: usize, seed: u64) -> Vec<String> {
    let sentences = [
        format!("hi {T},"),
        format!("thank you for your order {T} with novamart."),
        "your running shoes are on their way.".to_string(),
        format!("track your shipment here: {T}."),
        "delivery is free for orders above 50 dollars.".to_string(),
        "questions? just reply to this message.".to_string(),
    ];
    let mut x = seed | 1;
    (0..count)
        .map(|_| {
            let mut idx: Vec<usize> = (0..sentences.len()).collect();
            for i in (1..idx.len()).rev() {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                idx.swap(i, (x % (i as u64 + 1)) as usize);
            }
            idx.iter()
                .map(|&i| sentences[i].as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn adversarial_permutation_corpus_matches_reference() {
    let texts = permutation_corpus(40, 42);
    assert_same(&texts, 0.90);
    // Low enough for permutations (swapped neighbours) to start qualifying.
    assert_same(&texts, 0.70);
}

const ALPHABET: &[char] = &['a', 'b', 'c', 'd', 'e', ' ', 'é', 'ü', '😀', '中', '文', T];

fn corpus_strategy(max_len: usize, max_texts: usize) -> impl Strategy<Value = Vec<String>> {
    let base = prop::collection::vec(prop::sample::select(ALPHABET), 0..=max_len)
        .prop_map(|v| v.into_iter().collect::<String>());
    // A few base strings, each with a few near copies (0..=len/6 random edits, so some land
    // just inside and some just outside the 0.9 edge), plus unrelated strings.
    let family = (
        base,
        prop::collection::vec((0usize..=20, any::<u64>()), 0..4),
    )
        .prop_map(|(b, variants)| {
            let mut out = vec![b.clone()];
            for (e, seed) in variants {
                let edits = e * b.chars().count() / 120;
                out.push(mutate(&b, edits, seed, ALPHABET));
            }
            out
        });
    prop::collection::vec(family, 1..=max_texts).prop_map(|f| f.into_iter().flatten().collect())
}

fn threshold_strategy() -> impl Strategy<Value = f64> {
    prop::sample::select(vec![0.5, 0.8, 0.85, 0.89, 0.9, 0.91, 0.95, 1.0])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn join_equals_reference_on_short_texts(texts in corpus_strategy(40, 6), t in threshold_strategy()) {
        assert_same(&texts, t);
    }

    #[test]
    fn join_equals_reference_on_medium_texts(texts in corpus_strategy(260, 4), t in threshold_strategy()) {
        assert_same(&texts, t);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn join_equals_reference_on_long_texts(
        base in prop::collection::vec(prop::sample::select(ALPHABET), 900..=1024),
        edits in prop::collection::vec((0usize..=130, any::<u64>()), 1..4),
    ) {
        let b: String = base.into_iter().collect();
        let mut texts = vec![b.clone()];
        for (e, seed) in edits {
            texts.push(mutate(&b, e, seed, ALPHABET));
        }
        assert_same(&texts, 0.9);
    }

    #[test]
    fn verifier_equals_strsim(
        a in prop::collection::vec(prop::sample::select(ALPHABET), 0..=300),
        edits in 0usize..=60,
        seed in any::<u64>(),
    ) {
        let a: String = a.into_iter().collect();
        let b = mutate(&a, edits, seed, ALPHABET);
        check_verifier(&a, &b);
    }
}

// ---------------------------------------------------------------------------------------
// the positional gram filter on its own
// ---------------------------------------------------------------------------------------

/// Runs the positional filter like the join does, on chars mapped to code points.
fn positional_may_match(r: &str, s: &str, k: usize) -> bool {
    use super::positional::{gram_hashes, PositionIndex};
    let ids = |t: &str| {
        t.chars()
            .map(|c| c as u32 % (1 << 20))
            .collect::<Vec<u32>>()
    };
    let (mut hr, mut hs) = (Vec::new(), Vec::new());
    gram_hashes(&ids(r), &mut hr);
    gram_hashes(&ids(s), &mut hs);
    let mut index = PositionIndex::new();
    index.build(&hr);
    index.may_match(&hs, k)
}

/// The filter may only say "no" when the distance really exceeds k.
fn check_positional_sound(a: &str, b: &str) {
    let d = strsim::levenshtein(a, b);
    let diff = a.chars().count().abs_diff(b.chars().count());
    for k in [d, d + 1, d + 5, 64, 65, 200] {
        if k >= diff {
            assert!(
                positional_may_match(a, b, k),
                "pruned a pair within k\na {a:?}\nb {b:?}\nk {k} d {d}"
            );
            assert!(
                positional_may_match(b, a, k),
                "pruned a pair within k (swapped)\na {a:?}\nb {b:?}\nk {k} d {d}"
            );
        }
    }
}

#[test]
fn positional_filter_prunes_permutations_and_keeps_near_copies() {
    let texts = permutation_corpus(40, 9);
    let k = texts[0].chars().count() / 10;
    let mut pruned = 0;
    for (i, a) in texts.iter().enumerate() {
        for b in &texts[i + 1..] {
            if !positional_may_match(a, b, k) {
                assert!(strsim::levenshtein(a, b) > k);
                pruned += 1;
            }
        }
    }
    // Most permutation pairs are far apart, and the filter must see it.
    assert!(pruned > 40 * 39 / 2 / 2, "pruned only {pruned}");
    check_positional_sound(&texts[0], &mutate(&texts[0], 20, 1, ALPHABET));
    // Shifts at both ends of the band, and texts shorter than a gram.
    check_positional_sound("abcdefghij", "xxxxxabcdefghij");
    check_positional_sound("abcdefghijxxxxx", "abcdefghij");
    check_positional_sound("ab", "abc");
    check_positional_sound("", "abc");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn positional_filter_never_prunes_a_pair_within_k(
        a in prop::collection::vec(prop::sample::select(ALPHABET), 0..=700),
        edits in 0usize..=80,
        seed in any::<u64>(),
    ) {
        let a: String = a.into_iter().collect();
        let b = mutate(&a, edits, seed, ALPHABET);
        check_positional_sound(&a, &b);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// Large families of near copies: many candidates per probe survive the count filters
    /// and meet the positional filter and the verifier, in the same scratch buffers.
    #[test]
    fn join_equals_reference_with_many_candidates_per_probe(
        base in prop::collection::vec(prop::sample::select(ALPHABET), 20..=200),
        variants in prop::collection::vec((0usize..=25, any::<u64>()), 10..=16),
        t in threshold_strategy(),
    ) {
        let b: String = base.into_iter().collect();
        let mut texts = vec![b.clone()];
        for (e, seed) in variants {
            texts.push(mutate(&b, e * b.chars().count() / 150, seed, ALPHABET));
        }
        assert_same(&texts, t);
    }
}
