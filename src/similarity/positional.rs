//! Positional q-gram filter: the filter that still prunes when every text is a permutation of
//! the same sentences (equal lengths, equal character and bigram counts).
//!
//! Cut the candidate `s` into `⌊|s| / Q⌋` disjoint Q-grams. An alignment with `e` edits
//! touches at most `e` of them (a substitution or deletion lies in one gram, an insertion
//! falls inside at most one), so at least `⌊|s| / Q⌋ - e` grams survive intact and appear in
//! the probe `r` shifted by `δ` = insertions minus deletions before them. That shift obeys
//! the same bound as any cell of an optimal path: `|δ| + |Δ - δ| <= e <= k` with
//! `Δ = |r| - |s|`. So if fewer than `⌊|s| / Q⌋ - k` grams occur in `r` within that band of
//! shifts, the distance exceeds `k`. This is PassJoin's partition argument (Li, Deng, Wang,
//! Feng, VLDB 2011) with `⌊|s| / Q⌋` segments instead of `k + 1`, which demands many matching
//! segments instead of one, i.e. the positional q-gram count filter (Sutinen & Tarhio 1995;
//! Gravano et al. 2001). Measured on the permutation corpus (benches/gen_adversarial.py):
//! about 0.3% of pairs survive with Q = 3, against 52% for PassJoin's k + 1 segments.
//!
//! Every text's Q-gram hashes are computed once, one per position. For a probe with
//! candidates, an index maps each gram (hash folded to 12 bits) to a bitset of the positions
//! where it starts, so testing one gram of `s` is a table read and a masked two-word read,
//! without branches on the data. A hash collision can only make a gram look present, which
//! keeps the filter exact (it just prunes a little less).

use super::myers::{band, window};

/// Gram length. 3 is the sweet spot measured on the corpora: 2 prunes about as well but
/// needs 50% more tests per pair, 4 and more let many more permutation pairs through.
pub(crate) const Q: usize = 3;
/// Gram hashes have 12 bits and index a table of 2^12 entries (16 KiB, stays in L1). A probe of a few hundred chars has
/// a few hundred distinct grams, so an absent gram looks present a few percent of the time.
const TABLE_BITS: u32 = 12;

/// Appends one hash per position of `text`: the hash (12 bits, the index table's key) of the
/// Q-gram starting there, and 0 for the last `Q - 1` positions, where no gram starts.
pub(crate) fn gram_hashes(text: &[u32], out: &mut Vec<u16>) {
    out.extend(text.windows(Q).map(hash));
    out.resize(out.len() + text.len().min(Q - 1), 0);
}

const TABLE_SIZE: usize = 1 << TABLE_BITS;

/// Where each Q-gram of the probe starts.
pub(crate) struct PositionIndex {
    /// Gram hash -> first word of its bitset in `bits`. Absent grams point at the
    /// all-zero bitset at 0, so a test never branches on presence. A fixed-size array, so a
    /// folded hash indexes it without a bounds check.
    table: Box<[u32; TABLE_SIZE]>,
    /// Entries set in `table`, to clear it for the next probe.
    used: Vec<u16>,
    /// Bitsets of `words` words, the first one all zero: bit q set when a gram with the
    /// entry's hash starts at q. Each has a spare zero word at the end, so a 64-bit window
    /// starting at a position < len can always read two words. The buffer only grows and is
    /// all zero between probes: a probe clears just the words it set (`dirty`), one per
    /// position, instead of zeroing `distinct grams x words` (which cost more than the whole
    /// filter on a real corpus).
    bits: Vec<u64>,
    dirty: Vec<u32>,
    words: usize,
    /// Number of chars of the probe.
    len: usize,
}

impl PositionIndex {
    pub(crate) fn new() -> Self {
        Self {
            table: Box::new([0; TABLE_SIZE]),
            used: Vec::new(),
            bits: Vec::new(),
            dirty: Vec::new(),
            words: 0,
            len: 0,
        }
    }

    /// Indexes the probe, given its [`gram_hashes`] (replacing the previous probe). Takes
    /// `distinct grams x (len / 64 + 2)` words: 150 KiB for a 1,024-char body.
    pub(crate) fn build(&mut self, hashes: &[u16]) {
        for &f in &self.used {
            self.table[usize::from(f)] = 0;
        }
        self.used.clear();
        for &w in &self.dirty {
            self.bits[w as usize] = 0;
        }
        self.dirty.clear();
        self.len = hashes.len();
        self.words = hashes.len() / 64 + 2;
        let starts = &hashes[..hashes.len().saturating_sub(Q - 1)];
        if self.bits.len() < self.words {
            self.bits.resize(self.words, 0); // the all-zero bitset
        }
        for (q, &h) in starts.iter().enumerate() {
            let h = usize::from(h) & (TABLE_SIZE - 1);
            if self.table[h] == 0 {
                self.used.push(h as u16);
                let row = self.used.len() * self.words;
                if self.bits.len() < row + self.words {
                    self.bits.resize(row + self.words, 0);
                }
                self.table[h] = row as u32;
            }
            let w = self.table[h] as usize + q / 64;
            self.bits[w] |= 1 << (q % 64);
            self.dirty.push(w as u32);
        }
    }

    /// False only if `lev(probe, s) > k` is proven by the positional gram count (see the
    /// module comment). `s_hashes` are the [`gram_hashes`] of `s`. Requires
    /// `| |probe| - |s| | <= k`.
    pub(crate) fn may_match(&self, s_hashes: &[u16], k: usize) -> bool {
        let grams = s_hashes.len() / Q;
        if grams <= k {
            return true; // k edits could break every gram: nothing to prove
        }
        if self.len < Q {
            return false; // the probe has no gram at all, yet grams - k >= 1 must be found
        }
        let (d_min, d_max) = band(self.len as isize - s_hashes.len() as isize, k);
        let need = grams - k;
        let mut found = 0;
        if d_max - d_min >= 64 {
            // Wide band (k >= 64, bodies of 640+ chars at 0.90): word-range tests.
            for i in 0..grams {
                let p = (i * Q) as isize;
                let row = self.table[usize::from(s_hashes[i * Q]) & (TABLE_SIZE - 1)] as usize;
                let lo = (p + d_min).max(0) as usize;
                let hi = ((p + d_max) as usize).min(self.len - 1);
                if range_any(&self.bits[row..row + self.words], lo, hi) {
                    found += 1;
                    if found == need {
                        return true;
                    }
                } else if i + 1 - found > k {
                    return false;
                }
            }
            return false;
        }
        // Gram i starts at p = i * Q in s; its window of start positions in the probe is
        // p + d_min ..= p + d_max, cut at 0. It never starts past the probe's last gram start
        // (|Δ| <= k), and bits past that are zero, so only the cut at 0 needs care: the first
        // `cut` grams get a narrower mask, all others the same one.
        let table: &[u32; TABLE_SIZE] = &self.table;
        let bits = &self.bits[..];
        let test = |h: u16, lo: usize, mask: u64| -> bool {
            let row = table[usize::from(h) & (TABLE_SIZE - 1)] as usize;
            window(bits, row * 64 + lo) & mask != 0
        };
        let cut = ((-d_min).max(0) as usize).div_ceil(Q).min(grams);
        let mut misses = 0;
        for (i, gram) in s_hashes.chunks_exact(Q).take(cut).enumerate() {
            let span = (i * Q) as isize + d_max;
            if test(gram[0], 0, !0u64 >> (63 - span)) {
                found += 1;
            } else {
                misses += 1;
            }
        }
        if found >= need {
            return true;
        }
        if misses > k {
            return false;
        }
        let mask = !0u64 >> (63 - (d_max - d_min));
        // Gram i starts at p = i * Q in s, and its window at p + d_min >= 0 in the probe.
        let starts = &s_hashes[..grams * Q];
        let mut p = cut * Q;
        while p < starts.len() {
            let hit = usize::from(test(starts[p], (p as isize + d_min) as usize, mask));
            found += hit;
            misses += hit ^ 1;
            // At least `need` grams found, or more than k missing (at least k + 1 edits).
            if found >= need || misses > k {
                return found >= need;
            }
            p += Q;
        }
        false
    }
}

/// Any bit set in `lo..=hi` of `row`, for bands of 64 shifts or more.
fn range_any(row: &[u64], lo: usize, hi: usize) -> bool {
    if lo > hi {
        return false;
    }
    let (wl, wh) = (lo / 64, hi / 64);
    let low_mask = !0u64 << (lo % 64);
    let high_mask = !0u64 >> (63 - hi % 64);
    if wl == wh {
        return row[wl] & low_mask & high_mask != 0;
    }
    row[wl] & low_mask != 0 || row[wl + 1..wh].iter().any(|&w| w != 0) || row[wh] & high_mask != 0
}

/// Multiplicative hash of a gram of symbol ids (< 2^21 each, so three fit in 63 bits).
#[inline]
fn hash(gram: &[u32]) -> u16 {
    let key = gram.iter().fold(0u64, |acc, &c| (acc << 21) | u64::from(c));
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as u16
}
