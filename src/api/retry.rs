//! Retry policy: exponential backoff with jitter, throttle waits, an injectable sleeper.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

/// Default number of attempts per call (first try + 3 retries).
pub const DEFAULT_MAX_ATTEMPTS: u32 = 4;
/// Default first backoff delay.
pub const DEFAULT_BASE_DELAY: Duration = Duration::from_millis(500);
/// Default longest backoff delay between two attempts.
pub const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(30);
/// Default cap on a throttle wait. Meta asks for `estimated_time_to_regain_access` minutes
/// (`meta/api.md` §7); the BUC window is one hour, so a wait can be up to 60 min. Five
/// minutes keeps a CI job from hanging silently; longer waits fail with a clear error.
pub const DEFAULT_MAX_THROTTLE_WAIT: Duration = Duration::from_secs(5 * 60);

/// How often and how long to retry a failed call.
///
/// Which errors are retried is decided by [`ApiError::is_retryable`](super::ApiError::is_retryable).
/// Between attempts the client sleeps:
/// - for throttling codes with a non-zero `estimated_time_to_regain_access` in the
///   `X-Business-Use-Case-Usage` header: exactly that many minutes, if it is at most
///   `max_throttle_wait`; otherwise it gives up at once with
///   [`ApiError::ThrottledTooLong`](super::ApiError::ThrottledTooLong) (calling again while
///   blocked extends the block, `meta/api.md` §7);
/// - otherwise: `min(max_delay, base_delay · 2^(n-1))` for the n-th retry, with "equal
///   jitter" (a random value between half of it and all of it) so parallel runs spread out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts per call including the first; `1` disables retries.
    pub max_attempts: u32,
    /// Backoff before the first retry.
    pub base_delay: Duration,
    /// Upper bound of one backoff delay.
    pub max_delay: Duration,
    /// Longest throttle wait the client accepts before giving up.
    pub max_throttle_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            base_delay: DEFAULT_BASE_DELAY,
            max_delay: DEFAULT_MAX_DELAY,
            max_throttle_wait: DEFAULT_MAX_THROTTLE_WAIT,
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    pub fn no_retries() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Backoff before retry number `retry` (1-based), jittered with `random`.
    pub(crate) fn backoff(&self, retry: u32, random: u64) -> Duration {
        let exp = retry.saturating_sub(1).min(31);
        let full = self
            .base_delay
            .saturating_mul(1u32 << exp)
            .min(self.max_delay);
        let full_ms = u64::try_from(full.as_millis()).unwrap_or(u64::MAX);
        let half = full_ms / 2;
        let jitter = if half == 0 { 0 } else { random % (half + 1) };
        Duration::from_millis(full_ms - half + jitter)
    }
}

/// A random `u64` from the standard library's per-process hash keys; good enough for jitter
/// and avoids a `rand` dependency.
pub(crate) fn random_u64() -> u64 {
    let mut h = RandomState::new().build_hasher();
    h.write_u64(0x5eed);
    h.finish()
}

/// Where the client waits between attempts. Tests inject one that records the requested
/// delays instead of sleeping; the CLI can inject one that shows progress.
pub trait Sleeper: Send + Sync {
    /// Block the current thread for `duration`.
    fn sleep(&self, duration: Duration);
}

/// The default [`Sleeper`]: `std::thread::sleep`.
#[derive(Debug, Default, Clone, Copy)]
pub struct ThreadSleeper;

impl Sleeper for ThreadSleeper {
    fn sleep(&self, duration: Duration) {
        std::thread::sleep(duration);
    }
}

impl fmt::Debug for dyn Sleeper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sleeper")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let p = RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
            max_throttle_wait: Duration::ZERO,
        };
        // random = 0 gives the lower bound (half), random = MAX-ish gives up to full.
        assert_eq!(p.backoff(1, 0), Duration::from_millis(50));
        assert_eq!(p.backoff(2, 0), Duration::from_millis(100));
        assert_eq!(p.backoff(3, 0), Duration::from_millis(200));
        assert_eq!(p.backoff(10, 0), Duration::from_millis(500));
        assert_eq!(p.backoff(1, 50), Duration::from_millis(100));
        for r in 0..200 {
            let d = p.backoff(4, r);
            assert!(d >= Duration::from_millis(400) && d <= Duration::from_millis(800));
        }
        assert_eq!(p.backoff(100, u64::MAX), p.backoff(100, u64::MAX));
    }

    #[test]
    fn zero_base_delay_means_no_wait() {
        let p = RetryPolicy {
            base_delay: Duration::ZERO,
            ..RetryPolicy::default()
        };
        assert_eq!(p.backoff(3, random_u64()), Duration::ZERO);
    }
}
