//! `wt`: WhatsApp Business message templates as code.

pub mod api;
