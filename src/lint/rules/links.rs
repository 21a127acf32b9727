//! Links: WT040–WT048.
//!
//! Every URL of a template is found (header, body, footer, button labels, URL buttons and
//! their examples, media header examples, variable examples), with a scheme (`https://`,
//! any case) or without (`www.shop.com`, `bit.ly/x`, `shop.example.com/track`: a host with a
//! known top-level domain and a path). Its host is normalised (lower case, `www.` and a
//! trailing dot dropped, IDN to ASCII, port dropped) and compared with the bundled lists
//! (`data/shorteners.txt`, `data/brand_shorteners.txt`, `data/whatsapp_links.txt`,
//! `data/redirectors.txt`): an entry matches its host and every subdomain. Findings point at
//! the host's bytes in the file.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

use url::Host;

use crate::lint::diagnostic::Severity;
use crate::lint::rules::declare_rules;
use crate::lint::Checker;
use crate::template::text::Segment;
use crate::template::{ButtonKind, Header, Str};

declare_rules! {
    /// ## What it does
    /// Finds URLs on a URL-shortener host (`bit.ly`, `tinyurl.com`, `cutt.ly`, … from the
    /// bundled list, plus `[lint] extra_shorteners`) anywhere in the template: text, URL
    /// buttons and examples, with or without `https://`. The host is compared case-insensitively,
    /// without `www.`, and subdomains of a listed host match too. Brand short links
    /// (`amzn.to`, `youtu.be`, `t.me`, …) are reported as a warning instead of an error.
    ///
    /// ## Why Meta rejects it
    /// Meta's template guidelines reject shortened links because they hide the destination
    /// (review-rules.md §4, §8: bit.ly, tinyurl and goo.gl are named).
    ///
    /// ## Example
    /// `body = "Track your order at https://bit.ly/3xYz9 any time."`
    ///
    /// Use instead:
    /// `body = "Track your order at https://shop.example.com/track any time."`
    WT040 = ("WT040", "url-shortener", Error, Links, "URL on a shortener host");

    /// ## What it does
    /// When `[lint] allowed_domains` is set, reports URLs whose host is neither one of those
    /// domains nor a subdomain of one.
    ///
    /// ## Why it matters
    /// Meta expects links to go to the business's own domain (review-rules.md §4); a third-party
    /// domain is a common reason for a reviewer to look twice.
    ///
    /// ## Example
    /// `allowed_domains = ["shop.example.com"]` with `url = "https://forms.othersite.com/survey"`
    ///
    /// Use instead:
    /// `url = "https://shop.example.com/survey"`
    WT041 = ("WT041", "url-foreign-domain", Warning, Links, "URL host not under allowed_domains");

    /// ## What it does
    /// Finds links that open a WhatsApp chat: `wa.me`, `wa.link`, `api.whatsapp.com/send`,
    /// `chat.whatsapp.com`.
    ///
    /// ## Why it matters
    /// Providers report rejections for templates that link to a WhatsApp conversation
    /// (review-rules.md §4); the message already is one. Use a quick reply instead.
    ///
    /// ## Example
    /// `body = "Questions? Chat with us at https://wa.me/15550001234 today."`
    ///
    /// Use instead:
    /// `body = "Questions? Reply to this message and our team will help."`
    WT042 = ("WT042", "whatsapp-chat-link", Warning, Links, "link to a WhatsApp chat (wa.me, chat.whatsapp.com …)");

    /// ## What it does
    /// Finds URL-like text without a scheme (`www.shop.com`, `shop.example.com/track`). A
    /// warning in text; an error in a URL button, whose URL must be absolute.
    ///
    /// ## Why it matters
    /// Without `https://` the link may not be clickable, and a URL button without a scheme is
    /// refused (review-rules.md §4).
    ///
    /// ## Example
    /// `body = "See www.shop.example.com/returns for details."`
    ///
    /// Use instead:
    /// `body = "See https://www.shop.example.com/returns for details."`
    WT043 = ("WT043", "url-not-absolute", Warning, Links, "URL-like text without a scheme (error in a URL button)");

    /// ## What it does
    /// Checks the variable of a URL button: at most one, only at the very end, and never in
    /// the host.
    ///
    /// ## Why Meta rejects it
    /// A dynamic URL takes one variable as a suffix of the URL (review-rules.md §1, §4); a
    /// variable in the host would let the sender link anywhere.
    ///
    /// ## Example
    /// `url = "https://{{1}}.example.com/track/{{2}}"`
    ///
    /// Use instead:
    /// `url = "https://shop.example.com/track/{{1}}"`
    WT044 = ("WT044", "url-button-variable-position", Error, Links, "URL button variable not at the end, several variables, or in the host");

    /// ## What it does
    /// For a dynamic URL button, checks that the fixed part before the variable ends with
    /// `/`, `=`, `?` or `#`.
    ///
    /// ## Why it matters
    /// Providers report rejections for `https://shop.com{{1}}`-style URLs: the variable must
    /// be a path segment or a parameter value (review-rules.md §4).
    ///
    /// ## Example
    /// `url = "https://shop.example.com/track{{1}}"`
    ///
    /// Use instead:
    /// `url = "https://shop.example.com/track/{{1}}"`
    WT045 = ("WT045", "url-button-slash", Warning, Links, "dynamic URL whose fixed part does not end with / = ? #");

    /// ## What it does
    /// A URL button with a variable needs `example`, a full URL with the variable filled in.
    /// An error when it is missing or not a URL; a warning when it does not start with the
    /// fixed part of the URL.
    ///
    /// ## Why Meta rejects it
    /// Meta requires an example for a dynamic URL (review-rules.md §1); one that does not match
    /// the URL tells the reviewer the link goes somewhere else.
    ///
    /// ## Example
    /// `url = "https://shop.example.com/track/{{1}}"` with `example = "4521"`
    ///
    /// Use instead:
    /// `example = "https://shop.example.com/track/4521"`
    WT046 = ("WT046", "url-button-example", Error, Links, "dynamic URL button without a full example URL");

    /// ## What it does
    /// Reports URLs longer than 2000 characters.
    ///
    /// ## Why Meta rejects it
    /// URL buttons take at most 2000 characters (review-rules.md §1).
    ///
    /// ## Example
    /// `url = "https://shop.example.com/p?utm_source=…"` (2,300 characters of tracking)
    ///
    /// Use instead:
    /// `url = "https://shop.example.com/p/4521"`
    WT047 = ("WT047", "url-too-long", Error, Links, "URL longer than 2000 characters");

    /// ## What it does
    /// Notes links that weaken trust: plain `http://`, a raw IP address as host, an open
    /// redirector (`google.com/url`, `l.facebook.com`) or a link-in-bio hub (`linktr.ee`).
    ///
    /// ## Why it matters
    /// The reviewer cannot see where a redirector leads, and `http://` and IP hosts look like
    /// phishing (review-rules.md §4). Information only.
    ///
    /// ## Example
    /// `body = "Your invoice: http://203.0.113.7/inv/4521 (PDF)."`
    ///
    /// Use instead:
    /// `body = "Your invoice: https://billing.example.com/inv/4521 (PDF)."`
    WT048 = ("WT048", "url-insecure", Info, Links, "http://, raw IP host, redirector or link hub");
}

/// URL buttons take at most 2000 characters (review-rules.md §1, Braze).
const MAX_URL_CHARS: usize = 2000;

/// One entry of a host list: a host (matches itself and subdomains), optionally with a path
/// prefix (`api.whatsapp.com/send`).
#[derive(Debug, Clone)]
struct HostEntry {
    host: String,
    path: Option<String>,
}

impl HostEntry {
    fn parse(line: &str) -> Option<Self> {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            return None;
        }
        let line = line
            .split_once("://")
            .map_or(line, |(_, rest)| rest)
            .trim_end_matches('/');
        let (host, path) = match line.find('/') {
            Some(i) => (&line[..i], Some(line[i..].to_ascii_lowercase())),
            None => (line, None),
        };
        let host = normalize_host(host)?;
        Some(Self { host, path })
    }

    fn matches(&self, host: &str, path: &str) -> bool {
        let on_host = host == self.host
            || (host.len() > self.host.len()
                && host.ends_with(&self.host)
                && host.as_bytes()[host.len() - self.host.len() - 1] == b'.');
        on_host
            && self
                .path
                .as_ref()
                .is_none_or(|p| path.to_ascii_lowercase().starts_with(p.as_str()))
    }
}

struct HostLists {
    shorteners: Vec<HostEntry>,
    brand_shorteners: Vec<HostEntry>,
    whatsapp: Vec<HostEntry>,
    redirectors: Vec<HostEntry>,
    /// Top-level domains that make `host.tld/path` a URL without a scheme.
    tlds: HashSet<String>,
}

fn parse_list(text: &str) -> Vec<HostEntry> {
    text.lines().filter_map(HostEntry::parse).collect()
}

/// Generic top-level domains recognised in URLs without a scheme; every two-letter
/// country code and every TLD of the bundled lists count too.
const GENERIC_TLDS: &[&str] = &[
    "com",
    "net",
    "org",
    "info",
    "biz",
    "edu",
    "gov",
    "mil",
    "int",
    "app",
    "dev",
    "page",
    "link",
    "site",
    "online",
    "shop",
    "store",
    "club",
    "live",
    "life",
    "news",
    "blog",
    "tech",
    "cloud",
    "digital",
    "email",
    "agency",
    "pro",
    "top",
    "vip",
    "xyz",
    "one",
    "fun",
    "website",
    "space",
    "today",
    "world",
    "global",
    "travel",
    "health",
    "care",
    "bank",
    "money",
    "finance",
    "delivery",
    "express",
    "services",
    "support",
    "help",
    "company",
    "business",
    "solutions",
    "network",
    "media",
    "social",
    "market",
    "sale",
    "deals",
    "promo",
    "click",
    "bio",
    "art",
    "design",
    "studio",
    "fashion",
    "food",
    "restaurant",
    "hotel",
    "tickets",
    "events",
    "school",
    "academy",
    "education",
    "clinic",
    "dental",
    "insurance",
    "loans",
    "credit",
    "cash",
    "games",
    "bet",
    "casino",
    "poker",
    "mobi",
    "name",
    "asia",
    "lat",
    "ltd",
    "inc",
    "llc",
];

fn lists() -> &'static HostLists {
    static LISTS: OnceLock<HostLists> = OnceLock::new();
    LISTS.get_or_init(|| {
        let shorteners = parse_list(include_str!("../../../data/shorteners.txt"));
        let brand_shorteners = parse_list(include_str!("../../../data/brand_shorteners.txt"));
        let whatsapp = parse_list(include_str!("../../../data/whatsapp_links.txt"));
        let redirectors = parse_list(include_str!("../../../data/redirectors.txt"));
        let mut tlds: HashSet<String> = GENERIC_TLDS.iter().map(|s| (*s).to_string()).collect();
        for e in shorteners
            .iter()
            .chain(&brand_shorteners)
            .chain(&whatsapp)
            .chain(&redirectors)
        {
            if let Some(tld) = e.host.rsplit('.').next() {
                tlds.insert(tld.to_string());
            }
        }
        HostLists {
            shorteners,
            brand_shorteners,
            whatsapp,
            redirectors,
            tlds,
        }
    })
}

/// Lower case, no trailing dot, no `www.`, IDN to ASCII (punycode). `None` for an empty or
/// unparseable host.
pub(crate) fn normalize_host(host: &str) -> Option<String> {
    let host = host.trim().trim_end_matches('.');
    if host.is_empty() {
        return None;
    }
    let ascii = match Host::parse(host) {
        Ok(Host::Domain(d)) => d,
        Ok(Host::Ipv4(ip)) => ip.to_string(),
        Ok(Host::Ipv6(ip)) => format!("[{ip}]"),
        Err(_) => host.to_lowercase(),
    };
    let ascii = ascii.to_ascii_lowercase();
    Some(
        ascii
            .strip_prefix("www.")
            .map_or(ascii.clone(), str::to_string),
    )
}

/// A URL found in a text. Ranges are byte ranges of the decoded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FoundUrl {
    /// The whole URL as written.
    pub(crate) range: Range<usize>,
    /// The host as written (may be empty: `https://{{1}}`).
    pub(crate) host: Range<usize>,
    /// The scheme in lower case (`https`), `None` for `www.shop.com/x`.
    pub(crate) scheme: Option<String>,
}

const LEADING_PUNCT: &[char] = &[
    '(', '[', '<', '"', '\'', '«', '“', '‘', '¡', '¿', '*', '_', '~',
];
const TRAILING_PUNCT: &[char] = &[
    '.', ',', ';', ':', '!', '?', ')', ']', '>', '"', '\'', '»', '”', '’', '*', '_', '~',
];

/// Every URL in `text`, with or without scheme.
pub(crate) fn find_urls(text: &str) -> Vec<FoundUrl> {
    let mut out = Vec::new();
    let mut offset = 0;
    for token in text.split_inclusive(char::is_whitespace) {
        let start = offset;
        offset += token.len();
        let token = token.trim_end();
        if token.len() < 4 {
            continue;
        }
        if let Some(u) = url_in_token(token, start) {
            out.push(u);
        }
    }
    out
}

/// The URL in one whitespace-free token, if any.
fn url_in_token(token: &str, at: usize) -> Option<FoundUrl> {
    let lower = token.to_ascii_lowercase();
    // With a scheme, anywhere in the token ("link:https://…").
    let scheme_at = ["https://", "http://"]
        .iter()
        .filter_map(|s| lower.find(s).map(|i| (i, s.len() - 3)))
        .min();
    let (start, scheme_len) = match scheme_at {
        Some((i, n)) => (i, Some(n)),
        None => (
            token.len() - token.trim_start_matches(LEADING_PUNCT).len(),
            None,
        ),
    };
    let body = &token[start..];
    let end = trimmed_end(body);
    let url = &body[..end];
    let host_start = match scheme_len {
        Some(n) => n + 3,
        None => 0,
    };
    let rest = &url[host_start..];
    let authority_end = rest.find(['/', '?', '#', '{']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    // userinfo@host
    let host_off = authority.rfind('@').map_or(0, |i| i + 1);
    let hostport = &authority[host_off..];
    let host_len = if hostport.starts_with('[') {
        hostport.find(']').map_or(hostport.len(), |i| i + 1)
    } else {
        hostport.find(':').unwrap_or(hostport.len())
    };
    let host = &hostport[..host_len];
    let host_abs = at + start + host_start + host_off;
    if scheme_len.is_none() {
        // No scheme: `www.` + a dotted host, or a host with a known TLD and a path.
        if authority.contains('@') || host_off > 0 || !plausible_host(host) {
            return None;
        }
        let www = host.len() > 4 && host[..4].eq_ignore_ascii_case("www.");
        let has_path = rest[authority_end..].starts_with('/') && rest.len() > authority_end + 1;
        if !(www || (has_path && known_tld(host))) {
            return None;
        }
    }
    Some(FoundUrl {
        range: at + start..at + start + end,
        host: host_abs..host_abs + host.len(),
        scheme: scheme_len.map(|n| url[..n].to_ascii_lowercase()),
    })
}

/// The end of a URL after dropping trailing punctuation (a `)` stays when it closes a `(`
/// inside the URL, and `}}` of a trailing variable stays).
fn trimmed_end(url: &str) -> usize {
    let mut end = url.len();
    loop {
        let s = &url[..end];
        let Some(c) = s.chars().next_back() else {
            break;
        };
        if !TRAILING_PUNCT.contains(&c) {
            break;
        }
        if c == ')' && s.matches('(').count() >= s.matches(')').count() {
            break;
        }
        end -= c.len_utf8();
    }
    end
}

/// Labels of letters, digits and hyphens (any script), at least two of them.
fn plausible_host(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

fn known_tld(host: &str) -> bool {
    let Some(tld) = host.rsplit('.').next() else {
        return false;
    };
    let tld = tld.to_lowercase();
    if tld.chars().count() == 2 && tld.chars().all(|c| c.is_ascii_alphabetic()) {
        return true;
    }
    tld.starts_with("xn--")
        || lists().tlds.contains(&tld)
        || (!tld.is_ascii() && tld.chars().all(char::is_alphabetic))
}

/// Where a URL was found, for the message and for severities that depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Text,
    ButtonUrl,
    ButtonExample,
    MediaExample,
    Example,
}

pub(crate) fn check(cx: &mut Checker<'_>) {
    let t = cx.template;
    for lang in &t.languages {
        cx.set_language(Some(&lang.code));
        let mut sources: Vec<(&Str, Place)> = Vec::new();
        match &lang.header {
            Some(Header::Text(h)) => sources.push((h, Place::Text)),
            Some(Header::Media {
                example: Some(e), ..
            }) => sources.push((e, Place::MediaExample)),
            _ => {}
        }
        sources.extend(lang.body.iter().map(|s| (s, Place::Text)));
        sources.extend(lang.footer.iter().map(|s| (s, Place::Text)));
        for b in &lang.buttons {
            sources.extend(b.text.iter().map(|s| (s, Place::Text)));
            if b.kind == ButtonKind::Url {
                sources.extend(b.url.iter().map(|s| (s, Place::ButtonUrl)));
                sources.extend(b.example.iter().map(|s| (s, Place::ButtonExample)));
            }
        }
        for set in [&lang.examples.header, &lang.examples.body]
            .into_iter()
            .flatten()
        {
            sources.extend(set.strs().into_iter().map(|s| (s, Place::Example)));
        }
        for (s, place) in sources {
            let urls = if matches!(place, Place::ButtonUrl | Place::ButtonExample) {
                whole_value_url(&s.value).into_iter().collect()
            } else {
                find_urls(&s.value)
            };
            for u in urls {
                check_url(cx, s, &u, place);
            }
        }
        for b in &lang.buttons {
            if b.kind == ButtonKind::Url {
                if let Some(url) = &b.url {
                    url_button(cx, url, b.example.as_ref());
                }
            }
        }
    }
    cx.set_language(None);
}

/// A URL button's `url` / `example` is one URL even without a scheme or path.
fn whole_value_url(value: &str) -> Option<FoundUrl> {
    let trimmed = value.trim();
    if trimmed.is_empty() || trimmed.contains(char::is_whitespace) {
        return find_urls(value).into_iter().next();
    }
    let lead = value.len() - value.trim_start().len();
    if let Some(u) = url_in_token(trimmed, lead) {
        return Some(u);
    }
    // No scheme and no recognisable shape: the host is everything up to the path.
    let host_len = trimmed
        .find(['/', '?', '#', '{', ':'])
        .unwrap_or(trimmed.len());
    (host_len > 0 && trimmed[..host_len].contains('.')).then(|| FoundUrl {
        range: lead..lead + trimmed.len(),
        host: lead..lead + host_len,
        scheme: None,
    })
}

fn check_url(cx: &mut Checker<'_>, s: &Str, u: &FoundUrl, place: Place) {
    let text = &s.value[u.range.clone()];
    let host_text = &s.value[u.host.clone()];
    let lists = lists();
    let host = if host_text.contains('{') {
        None
    } else {
        normalize_host(host_text)
    };
    let path = &s.value[u.host.end..u.range.end];
    let path = path.trim_start_matches(|c: char| c == ':' || c.is_ascii_digit());
    let span = if u.host.is_empty() {
        u.range.clone()
    } else {
        u.host.clone()
    };
    let mut listed = false;
    if let Some(host) = &host {
        if lists.whatsapp.iter().any(|e| e.matches(host, path)) {
            listed = true;
            cx.report_in(
                &WT042,
                s,
                span.clone(),
                format!("`{host_text}` opens a WhatsApp chat"),
                "remove the link: the customer is already in the chat; add a quick reply such as \"Talk to us\" instead",
            );
        } else if is_shortener(cx, host) {
            listed = true;
            cx.report_in(
                &WT040,
                s,
                span.clone(),
                format!("`{host_text}` is a URL shortener: Meta rejects links that hide their destination"),
                "use the full URL on your own domain",
            );
        } else if lists.brand_shorteners.iter().any(|e| e.matches(host, "")) {
            listed = true;
            let d = cx
                .diag_in(
                    &WT040,
                    s,
                    span.clone(),
                    format!("`{host_text}` is a brand short link: the reviewer cannot see where it leads"),
                )
                .help("use the full URL of the destination")
                .severity(Severity::Warning);
            cx.push(d);
        }
        let allowed = &cx.options.allowed_domains;
        if !listed && !allowed.is_empty() && !allowed_host(allowed, host) {
            cx.report_in(
                &WT041,
                s,
                span.clone(),
                format!("`{host_text}` is not one of the allowed domains"),
                format!(
                    "link to a page on {} or add the domain to `[lint] allowed_domains`",
                    allowed
                        .iter()
                        .map(|d| format!("`{d}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
    // A listed link must go, not be fixed: a scheme or `https` would not help.
    if u.scheme.is_none() && place != Place::ButtonExample && !listed {
        let (severity, help) = if place == Place::ButtonUrl {
            (
                Severity::Error,
                format!("write the button URL with its scheme: `https://{text}`"),
            )
        } else {
            (
                Severity::Warning,
                format!("write the full URL: `https://{text}`"),
            )
        };
        let d = cx
            .diag_in(&WT043, s, span.clone(), format!("`{text}` has no scheme"))
            .help(help)
            .severity(severity);
        cx.push(d);
    }
    let chars = text.chars().count();
    if chars > MAX_URL_CHARS {
        cx.report_in(
            &WT047,
            s,
            span.clone(),
            format!("the URL is {chars} characters long; the limit is {MAX_URL_CHARS}"),
            "drop tracking parameters or link to a shorter page on your own domain",
        );
    }
    let mut reasons = Vec::new();
    if listed {
        return;
    }
    if u.scheme.as_deref() == Some("http") {
        reasons.push("uses plain `http://`".to_string());
    }
    if let Some(host) = &host {
        if Host::parse(host.trim_matches(['[', ']'])).is_ok_and(|h| !matches!(h, Host::Domain(_)))
            || host.starts_with('[')
        {
            reasons.push("has a raw IP address as host".to_string());
        }
        if lists.redirectors.iter().any(|e| e.matches(host, path)) {
            reasons.push("goes through a redirector or link hub".to_string());
        }
    }
    if !reasons.is_empty() {
        cx.report_in(
            &WT048,
            s,
            span,
            format!("`{host_text}`: the link {}", reasons.join(", ")),
            "link directly to an `https://` page on your own domain",
        );
    }
}

fn is_shortener(cx: &Checker<'_>, host: &str) -> bool {
    lists().shorteners.iter().any(|e| e.matches(host, ""))
        || cx
            .options
            .extra_shorteners
            .iter()
            .filter_map(|s| HostEntry::parse(s))
            .any(|e| e.matches(host, ""))
}

fn allowed_host(allowed: &[String], host: &str) -> bool {
    allowed
        .iter()
        .filter_map(|a| HostEntry::parse(a))
        .any(|e| e.matches(host, ""))
}

/// WT044, WT045, WT046 for one URL button.
fn url_button(cx: &mut Checker<'_>, url: &Str, example: Option<&Str>) {
    let value = &url.value;
    let segments = url.segments();
    let vars: Vec<Range<usize>> = segments
        .iter()
        .filter(|s| matches!(s, Segment::Var(_)))
        .map(Segment::span)
        .collect();
    let Some(first) = vars.first().cloned() else {
        return;
    };
    let mut position_ok = true;
    for extra in vars.iter().skip(1) {
        position_ok = false;
        cx.report_in(
            &WT044,
            url,
            extra.clone(),
            format!(
                "a URL button takes one variable; `{}` is another",
                &value[extra.clone()]
            ),
            "keep one variable at the end of the URL and put the rest of the path in its value",
        );
    }
    let after_scheme = value.find("://").map_or(0, |i| i + 3).min(first.start);
    let authority = &value[after_scheme..first.start];
    let in_host = !authority.contains(['/', '?', '#'])
        && (authority.is_empty() || authority.ends_with('.') || !authority.contains('.'));
    if in_host {
        position_ok = false;
        cx.report_in(
            &WT044,
            url,
            first.clone(),
            format!("`{}` is in the host of the URL", &value[first.clone()]),
            "write the host out in full and put the variable at the end: `https://shop.example.com/track/{{1}}`",
        );
    } else if !value[vars.last().map_or(first.end, |v| v.end)..]
        .trim()
        .is_empty()
    {
        position_ok = false;
        let var = vars.last().cloned().unwrap_or(first.clone());
        cx.report_in(
            &WT044,
            url,
            var.clone(),
            format!("`{}` is not at the end of the URL", &value[var.clone()]),
            "move the variable to the very end: `https://shop.example.com/track/{{1}}`",
        );
    }
    let fixed = &value[..first.start];
    if position_ok && !fixed.ends_with(['/', '=', '?', '#']) {
        cx.report_in(
            &WT045,
            url,
            first.clone(),
            format!("the fixed part `{fixed}` does not end with `/`, `=`, `?` or `#`"),
            format!("write `{fixed}/{}`", &value[first.clone()]),
        );
    }
    match example {
        None => cx.report_in(
            &WT046,
            url,
            0..value.len(),
            "a URL button with a variable needs `example`, the full URL with a real value",
            format!("add `example = \"{fixed}4521\"` (with a realistic value) to the button"),
        ),
        Some(ex) => {
            let e = ex.value.trim();
            let lower = e.to_ascii_lowercase();
            // A URL: a dotted host, with or without scheme (a missing scheme is WT043's,
            // on the button URL itself).
            let host = lower.split_once("://").map_or(lower.as_str(), |(_, r)| r);
            let is_url = !e.contains(char::is_whitespace)
                && host
                    .split(['/', '?', '#'])
                    .next()
                    .is_some_and(|h| h.contains('.') && !h.ends_with('.'));
            if !is_url {
                cx.report_in(
                    &WT046,
                    ex,
                    0..ex.value.len(),
                    format!("the example `{e}` is not a full URL"),
                    format!("write the whole URL with the value filled in: `{fixed}{e}`"),
                );
            } else if !starts_with_fixed(e, fixed) {
                let d = cx
                    .diag_in(
                        &WT046,
                        ex,
                        0..ex.value.len(),
                        format!("the example does not start with the URL's fixed part `{fixed}`"),
                    )
                    .help(format!(
                        "write the example as `{fixed}` followed by a realistic value"
                    ))
                    .severity(Severity::Warning);
                cx.push(d);
            }
        }
    }
}

/// Scheme and host compare without case; the rest exactly.
fn starts_with_fixed(example: &str, fixed: &str) -> bool {
    let split = |s: &str| -> (String, String) {
        let after = s.find("://").map_or(0, |i| i + 3);
        let host_end = s[after..]
            .find(['/', '?', '#'])
            .map_or(s.len(), |i| after + i);
        (
            s[..host_end].to_ascii_lowercase(),
            s[host_end..].to_string(),
        )
    };
    let (eh, ep) = split(example);
    let (fh, fp) = split(fixed);
    if fp.is_empty() {
        // The variable follows the host directly (`https://shop.com{{1}}`, WT045).
        return eh.starts_with(&fh);
    }
    eh == fh && ep.starts_with(&fp)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(text: &str) -> Vec<(&str, &str, Option<String>)> {
        find_urls(text)
            .into_iter()
            .map(|u| (&text[u.range], &text[u.host], u.scheme))
            .collect()
    }

    #[test]
    fn finds_urls_with_and_without_scheme() {
        assert_eq!(
            urls("Track at HTTPS://Bit.ly/abc."),
            [("HTTPS://Bit.ly/abc", "Bit.ly", Some("https".into()))]
        );
        assert_eq!(
            urls("See (www.shop.com) or shop.example.com/track, not e.g. or a.b"),
            [
                ("www.shop.com", "www.shop.com", None),
                ("shop.example.com/track", "shop.example.com", None)
            ]
        );
        assert_eq!(urls("mail maria@shop.com/x or 3.5/5 stars"), []);
        assert_eq!(
            urls("go:https://user@[::1]:8080/x"),
            [("https://user@[::1]:8080/x", "[::1]", Some("https".into()))]
        );
        assert_eq!(
            urls("https://shop.com/track/{{1}}."),
            [(
                "https://shop.com/track/{{1}}",
                "shop.com",
                Some("https".into())
            )]
        );
    }

    #[test]
    fn host_normalisation() {
        assert_eq!(normalize_host("WWW.Bit.LY.").as_deref(), Some("bit.ly"));
        assert_eq!(
            normalize_host("münchen.de").as_deref(),
            Some("xn--mnchen-3ya.de")
        );
        assert_eq!(
            normalize_host("203.0.113.7").as_deref(),
            Some("203.0.113.7")
        );
    }

    #[test]
    fn subdomains_match_but_lookalikes_do_not() {
        let e = HostEntry::parse("bit.ly").unwrap();
        assert!(e.matches("bit.ly", ""));
        assert!(e.matches("go.bit.ly", ""));
        assert!(!e.matches("habit.ly", ""));
        let w = HostEntry::parse("api.whatsapp.com/send").unwrap();
        assert!(w.matches("api.whatsapp.com", "/send?phone=1"));
        assert!(!w.matches("api.whatsapp.com", "/docs"));
    }
}
