//! `wt::template::text::parse` is total: for any text, segments that tile the input on char
//! boundaries. Properties: `tests/support/invariants.rs` (shared with the proptests).
#![no_main]

#[path = "../../tests/support/invariants.rs"]
mod invariants;

libfuzzer_sys::fuzz_target!(|text: &str| {
    invariants::text_parser(text);
});
