//! The Graph response decoder: any status and body, as a listing answer, decodes to templates
//! or a typed `ApiError` without panicking, and no error ever shows the token (Meta echoes
//! tokens back in some errors; the client must redact them). Also the usage header parser.
#![no_main]

use wt::api::{BusinessUseCaseUsage, GraphClient, GraphConfig, Secret};

const TOKEN: &str = "EAAGfuzzTOKEN1234567890";

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let status = 100 + (u16::from_le_bytes([data[0], data[1]]) % 500);
    let body = &data[2..];
    let config = GraphConfig::new("http://127.0.0.1:9", "v23.0", "102290129340398", Secret::new(TOKEN));
    let client = GraphClient::new(config).expect("a loopback config is valid");
    match client.decode_listing_page(status, body) {
        Ok(templates) => {
            for t in &templates {
                let _ = format!("{t:?}");
            }
        }
        Err(e) => {
            let shown = format!("{e} {e:?}");
            assert!(!shown.contains(TOKEN), "token in an error: {shown}");
        }
    }
    if let Ok(text) = std::str::from_utf8(body) {
        let _ = BusinessUseCaseUsage::parse(text);
    }
});
