//! `wt::template::load` on any text never panics, every WT000 span lies in the file on char
//! boundaries, and every string value's `LiteralMap` maps into its literal.
//! Properties: `tests/support/invariants.rs` (shared with the proptests).
#![no_main]

#[path = "../../tests/support/invariants.rs"]
mod invariants;

libfuzzer_sys::fuzz_target!(|text: &str| {
    invariants::template_loader(text);
});
