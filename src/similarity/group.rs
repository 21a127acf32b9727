//! One comparison group prepared for the join: texts as dense symbol ids, sorted by length,
//! with the summaries the filters compare: character and bigram histograms and 3-gram hashes.

use super::positional::gram_hashes;
use rayon::prelude::*;
use std::collections::HashMap;

/// Bins of the character histogram. With first-appearance ids, an alphabet of up to 64
/// symbols (every corpus language measured has 45..54 after normalisation) gets one bin per
/// character; larger alphabets fold ids modulo 64, which keeps the bound valid (see
/// [`char_lower_bound`]).
pub(crate) const CHAR_BINS: usize = 64;
/// Bins of the hashed bigram histogram.
pub(crate) const BIGRAM_BINS: usize = 128;

/// Symbol ids of every text, concatenated in length order, plus per-text summaries, all
/// indexed by *rank* (position in length order) so the join reads them sequentially.
pub(crate) struct Group {
    /// `order[rank]` = index of the text in the caller's slice.
    pub(crate) order: Vec<usize>,
    /// Text `rank` is `syms[starts[rank]..starts[rank + 1]]`.
    starts: Vec<usize>,
    syms: Vec<u32>,
    /// Number of distinct symbols; ids are `0..alphabet`.
    pub(crate) alphabet: usize,
    chars: Histograms<CHAR_BINS>,
    bigrams: Histograms<BIGRAM_BINS>,
    /// Q-gram hash at every position (see `positional`), laid out like `syms`.
    grams: Vec<u16>,
}

/// One histogram's bins, counts clamped to 255: one byte per bin, so 64 bins are one cache
/// line (hence the alignment) and a comparison compiles to `psadbw`.
#[derive(Clone)]
#[repr(C, align(64))]
pub(crate) struct Bins<const N: usize>([u8; N]);

impl<const N: usize> Bins<N> {
    fn new() -> Self {
        Self([0; N])
    }

    /// Counts one item in `bin` (modulo N); returns 1 if counted, 0 if the bin is full.
    fn add(&mut self, bin: usize) -> u32 {
        let b = &mut self.0[bin % N];
        let room = u32::from(*b < u8::MAX);
        *b += room as u8;
        room
    }
}

/// The histograms of every text of a group, by rank, with the sums of their clamped counts
/// kept apart so that a comparison touches exactly the bins' cache lines.
pub(crate) struct Histograms<const N: usize> {
    bins: Vec<Bins<N>>,
    totals: Vec<u32>,
}

impl<const N: usize> Histograms<N> {
    /// `max(pos, neg)` between the texts at ranks `a` and `b`, where
    /// `pos = sum(max(0, a - b))` and `neg = sum(max(0, b - a))` over bins: `pos + neg` is the
    /// L1 distance and `pos - neg` the difference of the totals.
    #[inline]
    pub(crate) fn max_one_sided_diff(&self, a: usize, b: usize) -> u32 {
        // 16-byte chunks summed in u16 (at most 16 * 255): this shape compiles to one
        // `psadbw` per chunk on plain x86-64 (SSE2).
        let l1: u32 = self.bins[a]
            .0
            .chunks_exact(16)
            .zip(self.bins[b].0.chunks_exact(16))
            .map(|(x, y)| {
                u32::from(
                    x.iter()
                        .zip(y)
                        .map(|(&p, &q)| u16::from(p.abs_diff(q)))
                        .sum::<u16>(),
                )
            })
            .sum();
        (l1 + self.totals[a].abs_diff(self.totals[b])) / 2
    }
}

/// Lower bound on the edit distance from character counts.
///
/// An alignment with `e` edits leaves every matched character paired with an equal one, so
/// for every character `c`, `count_a(c) - count_b(c) <= (deletions + substitutions of c)`;
/// summed, `pos <= e`, and symmetrically `neg <= e`. Folding characters into bins and
/// clamping counts at 255 are both monotone and 1-Lipschitz per bin, so they can only lower
/// `pos` and `neg`: the bound stays valid (Ukkonen 1992's count filter with q = 1).
#[inline]
pub(crate) fn char_lower_bound(g: &Group, a: usize, b: usize) -> u32 {
    g.chars.max_one_sided_diff(a, b)
}

/// Lower bound on the edit distance from hashed bigram counts.
///
/// In an alignment with `e` edits, a bigram of `a` survives intact when both its characters
/// are matched to adjacent characters of `b`. A substituted or deleted character breaks at
/// most the two bigrams containing it, an insertion point at most the one bigram straddling
/// it, so at most `2e` bigrams of `a` (and, symmetrically, of `b`) are broken; intact bigrams
/// pair injectively with equal bigrams of the other string. Hence `pos <= 2e` and
/// `neg <= 2e` (the q-gram lemma of Ukkonen 1992 / Gravano et al. 2001 with q = 2);
/// hashing into bins and clamping only lower them.
#[inline]
pub(crate) fn bigram_lower_bound(g: &Group, a: usize, b: usize) -> u32 {
    g.bigrams.max_one_sided_diff(a, b).div_ceil(2)
}

impl Group {
    pub(crate) fn build(texts: &[&str]) -> Self {
        let lens: Vec<usize> = texts.par_iter().map(|t| t.chars().count()).collect();
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_unstable_by_key(|&i| (lens[i], i));

        let mut starts = Vec::with_capacity(texts.len() + 1);
        let mut total = 0;
        starts.push(0);
        for &i in &order {
            total += lens[i];
            starts.push(total);
        }

        // Dense ids in order of first appearance: a direct table for the Basic Multilingual
        // Plane (every letter of every template language), a map for the rest (emoji).
        let mut syms = Vec::with_capacity(total);
        let mut bmp: Vec<u32> = vec![u32::MAX; 0x1_0000];
        let mut astral: HashMap<u32, u32> = HashMap::new();
        let mut alphabet: u32 = 0;
        for &i in &order {
            for c in texts[i].chars() {
                let cp = c as u32;
                let id = if cp < 0x1_0000 {
                    let slot = &mut bmp[cp as usize];
                    if *slot == u32::MAX {
                        *slot = alphabet;
                        alphabet += 1;
                    }
                    *slot
                } else {
                    *astral.entry(cp).or_insert_with(|| {
                        alphabet += 1;
                        alphabet - 1
                    })
                };
                syms.push(id);
            }
        }

        let ranks: Vec<usize> = (0..order.len()).collect();
        let summaries: Vec<_> = ranks
            .par_iter()
            .map(|&r| {
                let s = &syms[starts[r]..starts[r + 1]];
                let (mut h1, mut t1) = (Bins::<CHAR_BINS>::new(), 0);
                let (mut h2, mut t2) = (Bins::<BIGRAM_BINS>::new(), 0);
                for &c in s {
                    t1 += h1.add(c as usize);
                }
                for w in s.windows(2) {
                    t2 += h2.add(bigram_bin(w[0], w[1]));
                }
                let mut grams = Vec::with_capacity(s.len());
                gram_hashes(s, &mut grams);
                (h1, t1, h2, t2, grams)
            })
            .collect();
        let n = summaries.len();
        let mut chars = Histograms {
            bins: Vec::with_capacity(n),
            totals: Vec::with_capacity(n),
        };
        let mut bigrams = Histograms {
            bins: Vec::with_capacity(n),
            totals: Vec::with_capacity(n),
        };
        let mut grams = Vec::with_capacity(syms.len());
        for (h1, t1, h2, t2, g) in summaries {
            chars.bins.push(h1);
            chars.totals.push(t1);
            bigrams.bins.push(h2);
            bigrams.totals.push(t2);
            grams.extend_from_slice(&g);
        }

        Self {
            order,
            starts,
            syms,
            alphabet: alphabet as usize,
            chars,
            bigrams,
            grams,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.order.len()
    }

    /// Symbols of the text at `rank`.
    #[inline]
    pub(crate) fn text(&self, rank: usize) -> &[u32] {
        &self.syms[self.starts[rank]..self.starts[rank + 1]]
    }

    /// Q-gram hashes of the text at `rank`, one per char.
    #[inline]
    pub(crate) fn grams(&self, rank: usize) -> &[u16] {
        &self.grams[self.starts[rank]..self.starts[rank + 1]]
    }

    /// Length in chars of the text at `rank`.
    #[inline]
    pub(crate) fn text_len(&self, rank: usize) -> usize {
        self.starts[rank + 1] - self.starts[rank]
    }
}

/// Multiplicative hash of a symbol pair to a bin (Knuth's constant; top bits are the best mixed).
#[inline]
fn bigram_bin(a: u32, b: u32) -> usize {
    let key = (u64::from(a) << 32) | u64::from(b);
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - BIGRAM_BINS.ilog2())) as usize
}
