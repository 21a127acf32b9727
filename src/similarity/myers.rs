//! Bounded Levenshtein distance: bit-parallel (Myers 1999, in Hyyrö's 2003 block form with
//! the diagonal-zero vector), restricted to Ukkonen's diagonal band, with an exact early exit.
//!
//! The pattern (one string, its bit masks built once) runs down the rows in 64-row blocks;
//! the other string is read one column at a time. For a limit `k`:
//!
//! * **Band.** A path through cell `(i, j)` on diagonal `d = j - i` costs at least
//!   `|d| + |Δ - d|` (`Δ = n - m`): it must leave the main diagonal and come back to the
//!   corner's. So only diagonals with `|d| + |Δ - d| <= k` (at most `k + 1` of them) are
//!   computed; at most `⌈(k + 1) / 64⌉ + 1` blocks per column.
//! * **Outside the band** the values are never needed exactly. Blocks not yet reached start
//!   as "+1 per row" below the last computed row, and once a block leaves the band the block
//!   under it reads "+1 per column" from above. Both are values of real paths, so every
//!   computed cell is >= the true distance, and cells on an optimal path of cost <= k (which
//!   lies inside the band) are exact by induction along that path.
//! * **Exit.** In column `j`, with computed values `D` (adjacent rows differ by at most 1),
//!   `f(i) = D[i] + |i - (j - Δ)|` is non-increasing above row `j - Δ` and non-decreasing
//!   below it, so its minimum is `D[j - Δ]`, the cell on the corner's diagonal. An optimal
//!   path of cost <= k crosses column `j` at a cell with `f <= k`. So as soon as the
//!   corner-diagonal value exceeds `k`, the distance does too. That value is tracked in O(1)
//!   per column from the diagonal-zero bit (`D[i][j] == D[i-1][j-1]`), and at the last column
//!   it *is* the distance.
//!
//! Before all that, the common prefix and suffix are skipped (Levenshtein distance does not
//! change); the column at the end of the prefix is known in closed form, `|i - p|`.

/// Scratch space for one thread: the pattern's match masks and the column state.
pub(crate) struct Verifier {
    /// Global symbol id -> pattern-local id + 1 (0: symbol not in the pattern).
    local: Vec<u32>,
    /// Symbols set in `local`, to reset it for the next pattern.
    used: Vec<u32>,
    /// `peq[(local id) * blocks + block]`: bit `r` set when pattern row `64 * block + r + 1`
    /// holds that symbol. Local id 0 is the all-zero row for symbols absent from the pattern.
    peq: Vec<u64>,
    blocks: usize,
    /// Vertical delta vectors (+1 and -1) per block, for the current column.
    pv: Vec<u64>,
    mv: Vec<u64>,
}

impl Verifier {
    pub(crate) fn new(alphabet: usize) -> Self {
        Self {
            local: vec![0; alphabet],
            used: Vec::new(),
            peq: Vec::new(),
            blocks: 0,
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
        self.blocks = pattern.len().div_ceil(64).max(1);
        self.peq.clear();
        self.peq.resize((self.used.len() + 1) * self.blocks, 0);
        for (row, &s) in pattern.iter().enumerate() {
            let l = self.local[s as usize] as usize;
            self.peq[l * self.blocks + row / 64] |= 1u64 << (row % 64);
        }
        if self.pv.len() < self.blocks {
            self.pv.resize(self.blocks, 0);
            self.mv.resize(self.blocks, 0);
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
        // Common prefix p and suffix s (on what remains after the prefix).
        let p = pattern.iter().zip(text).take_while(|(a, b)| a == b).count();
        let s = pattern[p..]
            .iter()
            .rev()
            .zip(text[p..].iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        // Rows 1..=m and columns 1..=n of the full matrix; rows below m (the suffix) are
        // computed in the last block anyway but only ever influence rows under them.
        let (m, n) = (m_full - s, n_full - s);
        if m == p || n == p {
            // One side is used up: the rest of the other must be inserted or deleted.
            let d = m.max(n) - p;
            return (d <= k).then_some(d);
        }
        let delta = n as isize - m as isize;
        let half = ((k - delta.unsigned_abs()) / 2) as isize;
        let d_min = delta.min(0) - half;
        let d_max = delta.max(0) + half;
        let first_row = |j: isize| (j - d_max).max(1) as usize;
        let last_row = |j: isize| (j - d_min).min(m as isize) as usize;

        // Column p: D[i][p] = |i - p| (the prefixes are equal), i.e. -1 per row down to row
        // p, then +1 per row.
        let mut first_b = (first_row(p as isize + 1) - 1) / 64;
        let mut last_b = (last_row(p as isize + 1) - 1) / 64;
        for b in first_b..=last_b {
            let (pv, mv) = prefix_column(b, p);
            self.pv[b] = pv;
            self.mv[b] = mv;
        }

        // The corner diagonal starts tracking at column c0, where its row is max(0, p - Δ)
        // and its value |Δ| (row 0 is D[0][j] = j; within the prefix, |i - p|).
        let c0 = if delta > 0 { p.max(delta as usize) } else { p };
        let mut dist = delta.unsigned_abs();
        let blocks = self.blocks;

        for j in (p + 1)..=n {
            let ji = j as isize;
            let nf = (first_row(ji) - 1) / 64;
            let nl = (last_row(ji) - 1) / 64;
            // Blocks entering the band at the bottom: "+1 per row" below the block above.
            for b in (last_b + 1)..=nl {
                self.pv[b] = !0;
                self.mv[b] = 0;
            }
            first_b = nf;
            last_b = nl;

            let sym = self.local[text[j - 1] as usize] as usize;
            let eq_row = &self.peq[sym * blocks..(sym + 1) * blocks];
            // The row of the corner diagonal in this column (valid once j > c0).
            let apex = j.wrapping_sub(delta as usize).wrapping_sub(1);
            let (apex_b, apex_bit) = (apex / 64, apex % 64);
            let mut d0_at_apex = 0u64;
            // Above the first block: row 0 (D[0][j] = j) or a block that left the band,
            // read as "+1 per column" either way.
            let mut hin: i32 = 1;
            let blocks_now = first_b..=last_b;
            let state = self.pv[blocks_now.clone()]
                .iter_mut()
                .zip(self.mv[blocks_now.clone()].iter_mut());
            for (b, ((pv, mv), &eq)) in (first_b..).zip(state.zip(&eq_row[blocks_now])) {
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

/// Vertical deltas of block `b` in column `p` after a common prefix of length `p`:
/// D[i][p] = |i - p|, so rows 1..=p step -1 and rows below step +1.
fn prefix_column(b: usize, p: usize) -> (u64, u64) {
    let top = 64 * b; // row index of bit 0, minus one
    let minus_rows = p.saturating_sub(top).min(64);
    let mv = if minus_rows == 64 {
        !0
    } else {
        (1u64 << minus_rows) - 1
    };
    (!mv, mv)
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
