//! The whole lint path on one file: bytes (any, not only UTF-8) through the UTF-8 check, the
//! loader, every rule, suppressions, and the human, JSON and GitHub renderers.
//! Properties: `tests/support/invariants.rs` (shared with the proptests).
#![no_main]

#[path = "../../tests/support/invariants.rs"]
mod invariants;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    invariants::lint_source(bytes);
});
