//! When does a pair qualify? `sim = 1 - d / L >= t` with `L = max(len a, len b)`, decided
//! with integers so that pairs exactly on the edge (L = 100, d = 10 at t = 0.90) always
//! qualify, whatever the binary rounding of `t`.

/// Thresholds are read as decimals with up to nine fractional digits: `t` becomes the
/// rational `round(t * 1e9) / 1e9`. Config values such as `0.9` or `0.875` are therefore
/// exact, and `d / L <= 1 - t` becomes `d * DEN <= (DEN - t_num) * L` in integers.
///
/// Why not the anchor's float comparison: `rapidfuzz.process.cdist(..., dtype=float32)`
/// compares the double similarity with `float32(t)`. Where `float32(t) > t` (0.91, 0.8, 0.93)
/// it drops pairs exactly on the edge (L = 100, d = 9 at 0.91), which RULES.md's `>=` keeps.
/// Where `float32(t) < t` (0.89, 0.90) both agree: no `d / L` with `L` below millions falls
/// between the two. So at the default 0.90 the pair sets are identical.
const DEN: u128 = 1_000_000_000;

/// A similarity threshold turned into "largest distance allowed for a given max length".
#[derive(Debug, Clone, Copy)]
pub(crate) struct Threshold {
    /// `DEN - t_num`, i.e. `(1 - t) * DEN`; `None` when nothing can qualify (`t > 1`, NaN).
    slack: Option<u128>,
}

impl Threshold {
    pub(crate) fn new(t: f64) -> Self {
        if t.is_nan() {
            return Self { slack: None };
        }
        // Clamp before scaling: anything <= 0 lets every pair through, anything > 1 none.
        let scaled = (t.clamp(-1.0, 2.0) * DEN as f64).round();
        let slack = if scaled <= 0.0 {
            Some(DEN)
        } else if scaled > DEN as f64 {
            None
        } else {
            // In (0, DEN]: the cast is exact.
            Some(DEN - scaled as u128)
        };
        Self { slack }
    }

    /// True when no pair, not even two equal strings, can qualify.
    pub(crate) fn rejects_all(&self) -> bool {
        self.slack.is_none()
    }

    /// Largest `d` with `1 - d / max_len >= t`, or `None` when even `d = 0` fails.
    /// For `max_len = 0` (two empty strings) the similarity is 1.0 and the answer is `Some(0)`.
    pub(crate) fn max_distance(&self, max_len: usize) -> Option<usize> {
        let slack = self.slack?;
        // floor(slack * L / DEN) <= L, so the cast back cannot truncate.
        Some((slack * max_len as u128 / DEN) as usize)
    }

    /// The definition itself, for the reference implementation and tests.
    pub(crate) fn qualifies(&self, distance: usize, max_len: usize) -> bool {
        match self.slack {
            None => false,
            Some(slack) => distance as u128 * DEN <= slack * max_len as u128,
        }
    }
}

/// `1 - d / L` as rapidfuzz computes it (double precision); 1.0 for two empty strings.
pub(crate) fn similarity(distance: usize, max_len: usize) -> f64 {
    if max_len == 0 {
        1.0
    } else {
        1.0 - distance as f64 / max_len as f64
    }
}
