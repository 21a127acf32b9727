//! wt: WhatsApp Business message templates as code.
//!
//! The library holds everything; `src/main.rs` only parses arguments and maps the result to
//! an exit code. Modules: `source` (files and byte spans), `template` (the file format and
//! its text parser), `lint` (rules and engine), `render` (output formats), `config`
//! (`wt.toml`), `api` (Meta's Graph API), `convert` and `plan` (files against the account),
//! `commands` (one per subcommand), `fsutil` (atomic file writes).

pub mod api;
pub mod cli;
pub mod commands;
pub mod config;
pub mod convert;
pub mod error;
pub mod fsutil;
pub mod lint;
pub mod meta_errors;
pub mod plan;
pub mod pull;
pub mod render;
pub mod similarity;
pub mod source;
pub mod template;
