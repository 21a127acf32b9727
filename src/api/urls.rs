//! URL safety: which base URLs are allowed, how URLs appear in messages, which `paging.next`
//! URLs may be followed.

use std::net::IpAddr;

use reqwest::Url;

use super::error::ApiError;

/// Query parameters that carry a token. Removed from `paging.next` URLs (the client sends
/// the token in the `Authorization` header only) and never shown anywhere.
pub(crate) const TOKEN_PARAMS: &[&str] = &["access_token", "input_token"];

/// Parses and checks the configured base URL: `https://` anywhere, `http://` only to a
/// loopback host (127.0.0.0/8, `localhost`, `[::1]`), no credentials, no query or fragment.
pub(crate) fn check_base_url(raw: &str) -> Result<Url, ApiError> {
    let shown = strip_query_str(raw);
    let url = Url::parse(raw).map_err(|e| ApiError::InvalidUrl {
        url: shown.clone(),
        reason: e.to_string(),
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ApiError::InsecureUrl {
            url: display_url(&url),
            reason: "credentials in the URL would be sent and shown in messages; use the token variable instead".to_owned(),
        });
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ApiError::InvalidUrl {
            url: display_url(&url),
            reason: "the base URL must not have a query string or fragment".to_owned(),
        });
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(ApiError::InsecureUrl {
            url: display_url(&url),
            reason: "plain http:// would send the access token unencrypted; use https:// (http:// is only allowed to 127.0.0.1, localhost or [::1] for tests)".to_owned(),
        }),
        other => Err(ApiError::InvalidUrl {
            url: display_url(&url),
            reason: format!("unsupported scheme `{other}`; use https://"),
        }),
    }
}

/// Whether the URL's host is a loopback address or `localhost`.
pub(crate) fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    // IPv6 hosts come bracketed (`[::1]`).
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// `scheme://host[:port]/path`: a URL as it may appear in a message or log, without
/// credentials, query string or fragment.
pub(crate) fn display_url(url: &Url) -> String {
    let mut shown = url.clone();
    shown.set_query(None);
    shown.set_fragment(None);
    // Both setters only fail for URLs that cannot have credentials (e.g. `data:`), where
    // there is nothing to remove.
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.to_string()
}

/// Removes everything from the first `?` or `#` of a URL that did not parse.
pub(crate) fn strip_query_str(raw: &str) -> String {
    let end = raw.find(['?', '#']).unwrap_or(raw.len());
    let mut s = raw[..end].to_owned();
    // Also hide `user:pass@` of an unparsable URL.
    if let Some(scheme_end) = s.find("://") {
        if let Some(at) = s[scheme_end + 3..].find('@') {
            s.replace_range(scheme_end + 3..scheme_end + 3 + at + 1, "***@");
        }
    }
    s
}

/// The same URL without token query parameters.
pub(crate) fn without_token_params(url: &Url) -> Url {
    if !url
        .query_pairs()
        .any(|(k, _)| TOKEN_PARAMS.contains(&k.as_ref()))
    {
        return url.clone();
    }
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !TOKEN_PARAMS.contains(&k.as_ref()))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mut out = url.clone();
    out.set_query(None);
    if !kept.is_empty() {
        out.query_pairs_mut().extend_pairs(kept);
    }
    out
}

/// `scheme://host:port` for messages.
pub(crate) fn origin_string(url: &Url) -> String {
    url.origin().ascii_serialization()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_http_only_loopback() {
        assert!(check_base_url("https://graph.facebook.com").is_ok());
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.1.2.3",
            "http://localhost:1",
            "http://LOCALHOST",
            "http://[::1]:9",
        ] {
            assert!(check_base_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://graph.facebook.com",
            "http://10.0.0.1",
            "http://localhost.evil.com",
            "http://[::ffff:127.0.0.1]",
        ] {
            assert!(
                matches!(check_base_url(bad), Err(ApiError::InsecureUrl { .. })),
                "{bad}"
            );
        }
        assert!(matches!(
            check_base_url("ftp://x"),
            Err(ApiError::InvalidUrl { .. })
        ));
        assert!(matches!(
            check_base_url("not a url"),
            Err(ApiError::InvalidUrl { .. })
        ));
    }

    #[test]
    fn credentials_and_queries_are_refused_and_hidden() {
        let err = check_base_url("https://user:hunter2@graph.facebook.com").unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
        let err = check_base_url("https://graph.facebook.com/?access_token=SECRET").unwrap_err();
        assert!(!err.to_string().contains("SECRET"), "{err}");
        let err = check_base_url("::bad?access_token=SECRET").unwrap_err();
        assert!(!err.to_string().contains("SECRET"), "{err}");
        assert_eq!(
            strip_query_str("h://u:p@host/x?y"),
            "h://***@host/x".to_owned()
        );
    }

    #[test]
    fn token_params_are_removed() {
        let u = Url::parse("https://h/v1/x?a=1&access_token=T&after=c&input_token=U").unwrap();
        assert_eq!(
            without_token_params(&u).as_str(),
            "https://h/v1/x?a=1&after=c"
        );
        let u = Url::parse("https://h/x?access_token=T").unwrap();
        assert_eq!(without_token_params(&u).as_str(), "https://h/x");
        assert_eq!(
            display_url(&Url::parse("https://h/x?q#f").unwrap()),
            "https://h/x"
        );
    }
}
