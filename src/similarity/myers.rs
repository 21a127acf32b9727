//! Bounded Levenshtein distance: bit-parallel (Myers 1999, in Hyyrö's 2003 formulation with
//! the diagonal-zero vector D0), restricted to Ukkonen's diagonal band, with an exact early
//! exit.
//!
//! The pattern (one string, its match masks built once) runs down the rows; the other string
//! is read one column at a time. For a limit `k`:
//!
//! * **Band.** A path through cell `(i, j)` on diagonal `d = j - i` costs at least
//!   `|d| + |Δ - d|` (`Δ = n - m`): it must leave the main diagonal and come back to the
//!   corner's. So only diagonals with `|d| + |Δ - d| <= k`, at most `k + 1` of them, matter.
//!   When they fit in 64 bits (`k < 64`, every body under 640 chars at 0.90) one machine word
//!   slides down the diagonal band (Hyyrö 2003, section 4); otherwise 64-row blocks covering
//!   the band are computed (Hyyrö's block form, as in edlib).
//! * **Outside the band** values are never needed exactly. Rows entering at the bottom start
//!   as "+1 per row" below the last computed row, and the row just above the computed ones is
//!   read as "+1 per column". Both are values of real paths, so every computed cell is >= the
//!   true distance, and cells on an optimal path of cost <= k (inside the band) are exact by
//!   induction along that path. Rows above the matrix are virtual rows `i <= 0` with
//!   `D[i][j] = j - i`, which never match; they make row 0 (`D[0][j] = j`) come out right
//!   without a special case.
//! * **Exit.** In column `j`, with computed values `D` (adjacent rows differ by at most 1),
//!   `f(i) = D[i] + |i - (j - Δ)|` is non-increasing above row `j - Δ` and non-decreasing
//!   below it, so its minimum is `D[j - Δ]`, the cell on the corner's diagonal. An optimal
//!   path of cost <= k crosses column `j` at a cell with `f <= k`. So as soon as the
//!   corner-diagonal value exceeds `k`, the distance does too. That value is tracked in O(1)
//!   per column from the diagonal-zero bit (`D[i][j] == D[i-1][j-1]`), and at the last column
//!   it *is* the distance.
//!
//! Before all that, the common prefix and suffix are skipped (Levenshtein distance does not
//! change); the column at the end of a prefix of length `p` is `D[i][p] = |i - p|`.

/// Scratch space for one thread: the pattern's match masks and the block state.
pub(crate) struct Verifier {
    /// Global symbol id -> pattern-local id + 1 (0: symbol not in the pattern).
    local: Vec<u32>,
    /// Symbols set in `local`, to reset it for the next pattern.
    used: Vec<u32>,
    /// Match masks, `stride` words per local id. Row `r` (1-based) of the pattern is bit
    /// `r - 1 + 64` of the row's words: one zero word in front for the virtual rows `<= 0`,
    /// one at the end for rows past the pattern. Local id 0 (absent symbols) is all zero.
    peq: Vec<u64>,
    stride: usize,
    /// Vertical delta vectors (+1 and -1) per 64-row block, for the block path.
    pv: Vec<u64>,
    mv: Vec<u64>,
}

/// Where the comparison starts and what it may cost, after the prefix/suffix strip.
struct Setup {
    /// Common prefix length: computation starts at column `p`.
    p: usize,
    /// Rows `1..=m` and columns `1..=n` remain (the common suffix is cut off).
    m: usize,
    n: usize,
    /// `n - m`.
    delta: isize,
    /// The band: diagonals `d_min..=d_max`.
    d_min: isize,
    d_max: isize,
    /// The corner diagonal is tracked from column `c0` on, starting at value `|Δ|`.
    c0: usize,
    k: usize,
}

impl Verifier {
    pub(crate) fn new(alphabet: usize) -> Self {
        Self {
            local: vec![0; alphabet],
            used: Vec::new(),
            peq: Vec::new(),
            stride: 0,
            pv: Vec::new(),
            mv: Vec::new(),
        }
    }

    /// Builds the match masks for `pattern` (replacing the previous pattern).
    pub(crate) fn set_pattern(&mut self, pattern: &[u32]) {
        for &s in &self.used {
            self.local[s as usize] = 0;
        }
        self.used.clear();
        for &s in pattern {
            if self.local[s as usize] == 0 {
                self.used.push(s);
                self.local[s as usize] = self.used.len() as u32;
            }
        }
        let blocks = pattern.len().div_ceil(64);
        self.stride = blocks + 2;
        self.peq.clear();
        self.peq.resize((self.used.len() + 1) * self.stride, 0);
        for (row, &s) in pattern.iter().enumerate() {
            let base = self.local[s as usize] as usize * self.stride;
            self.peq[base + 1 + row / 64] |= 1u64 << (row % 64);
        }
        if self.pv.len() < blocks {
            self.pv.resize(blocks, 0);
            self.mv.resize(blocks, 0);
        }
    }

    /// `Some(lev(pattern, text))` if it is `<= k`, else `None`. `pattern` must be the slice
    /// last given to [`Verifier::set_pattern`].
    pub(crate) fn distance_within(
        &mut self,
        pattern: &[u32],
        text: &[u32],
        k: usize,
    ) -> Option<usize> {
        let (m_full, n_full) = (pattern.len(), text.len());
        if m_full.abs_diff(n_full) > k {
            return None;
        }
        let p = pattern.iter().zip(text).take_while(|(a, b)| a == b).count();
        let s = pattern[p..]
            .iter()
            .rev()
            .zip(text[p..].iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        // The suffix rows stay in the masks: they lie below row m and only ever influence
        // rows under them.
        let (m, n) = (m_full - s, n_full - s);
        if m == p || n == p {
            // One side is used up: the rest of the other is inserted or deleted.
            let d = m.max(n) - p;
            return (d <= k).then_some(d);
        }
        let delta = n as isize - m as isize;
        let (d_min, d_max) = band(delta, k);
        let setup = Setup {
            p,
            m,
            n,
            delta,
            d_min,
            d_max,
            c0: if delta > 0 { p.max(delta as usize) } else { p },
            k,
        };
        if setup.d_max - setup.d_min < 64 {
            self.one_word(&setup, text)
        } else {
            self.blocks(&setup, text)
        }
    }

    /// The band fits one word that slides one row down per column: bit `b` of the word at
    /// column `j` is row `j - d_max + b`, so the corner diagonal is always bit `d_max - Δ`.
    fn one_word(&self, st: &Setup, text: &[u32]) -> Option<usize> {
        let Setup {
            p,
            n,
            delta,
            d_max,
            c0,
            k,
            ..
        } = *st;
        // Column p: D[i][p] = |i - p|, -1 per row down to row p (bit d_max), +1 below.
        let mut vn: u64 = if d_max >= 63 {
            !0
        } else {
            (1u64 << (d_max + 1)) - 1
        };
        let mut vp: u64 = !vn;
        let apex = (d_max - delta) as u32;
        let mut dist = delta.unsigned_abs();
        // Stored bit of the window's top row at column j is (j - d_max - 1) + 64 >= 0 (d_max <= 63).
        let top_bit = |j: usize| (j as isize - d_max + 63) as usize;
        for (j, &t) in text
            .iter()
            .enumerate()
            .take(n)
            .skip(p)
            .map(|(i, t)| (i + 1, t))
        {
            // Re-align last column's deltas to this column's window; the new bottom row
            // enters as +1 (an overestimate, see the module comment).
            vp = (vp >> 1) | (1 << 63);
            vn >>= 1;
            let row = self.local[t as usize] as usize * self.stride;
            let eq = window(&self.peq[row..row + self.stride], top_bit(j));
            let d0 = (((eq & vp).wrapping_add(vp)) ^ vp) | eq | vn;
            let hp = vn | !(d0 | vp);
            let hn = d0 & vp;
            // Above the window: +1 per column (an overestimate, or row 0's true +1).
            let hp = (hp << 1) | 1;
            let hn = hn << 1;
            vp = hn | !(d0 | hp);
            vn = d0 & hp;
            if j > c0 {
                dist += 1 - ((d0 >> apex) & 1) as usize;
                if dist > k {
                    return None;
                }
            }
        }
        Some(dist)
    }

    /// The band in 64-row blocks aligned to the pattern, for `k >= 64`.
    fn blocks(&mut self, st: &Setup, text: &[u32]) -> Option<usize> {
        let Setup {
            p,
            m,
            n,
            delta,
            d_min,
            d_max,
            c0,
            k,
        } = *st;
        let first_row = |j: usize| (j as isize - d_max).max(1) as usize;
        let last_row = |j: usize| (j as isize - d_min).min(m as isize) as usize;

        // Column p: D[i][p] = |i - p|.
        let mut first_b = (first_row(p + 1) - 1) / 64;
        let mut last_b = (last_row(p + 1) - 1) / 64;
        for b in first_b..=last_b {
            let minus_rows = p.saturating_sub(64 * b).min(64);
            let mv = if minus_rows == 64 {
                !0
            } else {
                (1u64 << minus_rows) - 1
            };
            self.pv[b] = !mv;
            self.mv[b] = mv;
        }
        let mut dist = delta.unsigned_abs();
        for (j, &t) in text
            .iter()
            .enumerate()
            .take(n)
            .skip(p)
            .map(|(i, t)| (i + 1, t))
        {
            let new_last = (last_row(j) - 1) / 64;
            // Blocks entering the band at the bottom: "+1 per row" below the block above.
            for b in (last_b + 1)..=new_last {
                self.pv[b] = !0;
                self.mv[b] = 0;
            }
            first_b = (first_row(j) - 1) / 64;
            last_b = new_last;

            let row = self.local[t as usize] as usize * self.stride + 1;
            let eq_row = &self.peq[row + first_b..=row + last_b];
            // 0-based row of the corner diagonal (meaningful once j > c0).
            let apex = j.wrapping_sub(delta as usize).wrapping_sub(1);
            let (apex_b, apex_bit) = (apex / 64, apex % 64);
            let mut d0_at_apex = 0;
            // Above the first block: row 0 or a block that left the band, "+1 per column".
            let mut hin = 1;
            let state = self.pv[first_b..=last_b]
                .iter_mut()
                .zip(self.mv[first_b..=last_b].iter_mut());
            for (b, ((pv, mv), &eq)) in (first_b..).zip(state.zip(eq_row)) {
                let (npv, nmv, hout, d0) = step(*pv, *mv, eq, hin);
                *pv = npv;
                *mv = nmv;
                if b == apex_b {
                    d0_at_apex = (d0 >> apex_bit) & 1;
                }
                hin = hout;
            }
            if j > c0 {
                dist += 1 - d0_at_apex as usize;
                if dist > k {
                    return None;
                }
            }
        }
        Some(dist)
    }
}

/// Ukkonen's band: the diagonals `d` (column minus row, or shift of one string against the
/// other) that a path of cost <= k between strings whose lengths differ by `delta` can
/// touch. Leaving the main diagonal for `d` and coming back to the corner's diagonal `delta`
/// costs at least `|d| + |delta - d|`, so `d` lies in
/// `min(0, delta) - h ..= max(0, delta) + h` with `h = (k - |delta|) / 2`: at most `k + 1`
/// diagonals. Requires `|delta| <= k`.
pub(crate) fn band(delta: isize, k: usize) -> (isize, isize) {
    let half = ((k - delta.unsigned_abs()) / 2) as isize;
    (delta.min(0) - half, delta.max(0) + half)
}

/// 64 bits of `words` starting at bit `bit` (`words` has a word past the last one read).
#[inline(always)]
pub(crate) fn window(words: &[u64], bit: usize) -> u64 {
    let (w, off) = (bit / 64, bit % 64);
    // `<< 1 << (63 - off)` is `<< (64 - off)` without overflowing when off == 0.
    (words[w] >> off) | ((words[w + 1] << 1) << (63 - off))
}

/// One column step of a 64-row block (Myers 1999; Hyyrö 2003, multi-block form as in edlib).
/// `hin` is the horizontal delta entering from the row above the block (-1, 0 or +1).
/// Returns the new vertical deltas, the horizontal delta leaving the block's last row and
/// the diagonal-zero vector D0 (bit r set iff `D[r][j] == D[r-1][j-1]`).
#[inline(always)]
fn step(pv: u64, mv: u64, eq: u64, hin: i32) -> (u64, u64, i32, u64) {
    let hin_neg = u64::from(hin < 0);
    let hin_pos = u64::from(hin > 0);
    let xv = eq | mv;
    // A -1 coming in from above makes the first row behave as a match on the diagonal.
    let eq = eq | hin_neg;
    let xh = (((eq & pv).wrapping_add(pv)) ^ pv) | eq;
    let ph = mv | !(xh | pv);
    let mh = pv & xh;
    let hout = (ph >> 63) as i32 - (mh >> 63) as i32;
    let ph = (ph << 1) | hin_pos;
    let mh = (mh << 1) | hin_neg;
    (mh | !(xv | ph), ph & xv, hout, xh | mv)
}
