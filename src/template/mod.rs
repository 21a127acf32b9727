//! The template model (SPEC §1) and its loader.
//!
//! Files are parsed into toml's spanned document tree and converted by hand, so every
//! problem (syntax, unknown key, wrong type, missing key) becomes a WT000 diagnostic pointing
//! at the exact bytes, and every string keeps a [`LiteralMap`] from its decoded text back to
//! the file.

pub mod text;

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::lint::diagnostic::{Diagnostic, FileId};
use crate::lint::rules::structure::WT000;
use crate::source::{LiteralMap, SourceFile};

/// A string value with its place in the file.
#[derive(Debug, Clone)]
pub struct Str {
    pub value: String,
    pub map: LiteralMap,
}

impl Str {
    /// The literal in the file, quotes included.
    pub fn span(&self) -> Range<usize> {
        self.map.span.clone()
    }

    /// The file bytes of a range of the decoded value.
    pub fn file_span(&self, decoded: Range<usize>) -> Range<usize> {
        self.map.to_file(decoded)
    }

    pub fn segments(&self) -> Vec<text::Segment> {
        text::parse(&self.value)
    }

    pub fn as_str(&self) -> &str {
        &self.value
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Marketing,
    Utility,
    Authentication,
}

impl Category {
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "marketing" => Some(Category::Marketing),
            "utility" => Some(Category::Utility),
            "authentication" => Some(Category::Authentication),
            _ => None,
        }
    }

    /// Meta's enum value (`MARKETING`).
    pub fn as_meta(self) -> &'static str {
        match self {
            Category::Marketing => "MARKETING",
            Category::Utility => "UTILITY",
            Category::Authentication => "AUTHENTICATION",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ParameterFormat {
    #[default]
    Positional,
    Named,
}

/// One template file: a name with one or more languages.
#[derive(Debug, Clone)]
pub struct Template {
    pub file: FileId,
    /// The template name: `name` when given, else the file stem.
    pub name: String,
    /// The `name` value, when the file sets one.
    pub name_value: Option<Str>,
    /// The file stem (`order_shipped` for `templates/order_shipped.toml`).
    pub stem: String,
    /// The raw `category` value; [`Template::category`] is its parsed form.
    pub category_value: Option<Str>,
    pub category: Option<Category>,
    pub parameter_format: ParameterFormat,
    pub parameter_format_value: Option<Str>,
    pub allow_category_change: bool,
    pub languages: Vec<Language>,
}

impl Template {
    /// Every string value of the template, with its map back to the file: for checks that
    /// hold for all of them (spans in bounds, on char boundaries).
    pub fn strs(&self) -> Vec<&Str> {
        let mut out: Vec<&Str> = [
            &self.name_value,
            &self.category_value,
            &self.parameter_format_value,
        ]
        .into_iter()
        .flatten()
        .collect();
        for l in &self.languages {
            match &l.header {
                Some(Header::Text(s)) => out.push(s),
                Some(Header::Media {
                    format_value,
                    example,
                    ..
                }) => {
                    out.push(format_value);
                    out.extend(example);
                }
                Some(Header::Location { .. }) | None => {}
            }
            out.extend(&l.body);
            out.extend(&l.footer);
            for set in [&l.examples.header, &l.examples.body].into_iter().flatten() {
                out.extend(set.strs());
            }
            for b in &l.buttons {
                out.push(&b.type_value);
                for s in [
                    &b.text,
                    &b.url,
                    &b.example,
                    &b.phone_number,
                    &b.otp_type,
                    &b.autofill_text,
                    &b.flow_id,
                    &b.flow_action,
                    &b.navigate_screen,
                ] {
                    out.extend(s);
                }
                for app in &b.supported_apps {
                    out.extend(&app.package_name);
                    out.extend(&app.signature_hash);
                }
            }
        }
        out
    }
}

/// One language of a template (one template on Meta's side).
#[derive(Debug, Clone)]
pub struct Language {
    pub code: String,
    /// The language key in the file (`en_US` in `[languages.en_US]`).
    pub code_span: Range<usize>,
    pub header: Option<Header>,
    pub body: Option<Str>,
    pub footer: Option<Str>,
    pub examples: Examples,
    pub buttons: Vec<Button>,
    pub add_security_recommendation: Option<bool>,
    pub code_expiration_minutes: Option<Spanned<i64>>,
}

#[derive(Debug, Clone)]
pub enum Header {
    Text(Str),
    Media {
        format: MediaFormat,
        format_value: Str,
        example: Option<Str>,
        /// The whole header value.
        span: Range<usize>,
        /// Known keys the table has a misspelling of (`exmple` → `example`): WT000 reports
        /// the typo, so rules do not report the key as missing too.
        misspelt: Vec<&'static str>,
    },
    Location {
        span: Range<usize>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaFormat {
    Image,
    Video,
    Document,
}

impl MediaFormat {
    pub fn as_meta(self) -> &'static str {
        match self {
            MediaFormat::Image => "IMAGE",
            MediaFormat::Video => "VIDEO",
            MediaFormat::Document => "DOCUMENT",
        }
    }
}

/// `examples.header` / `examples.body`.
#[derive(Debug, Clone, Default)]
pub struct Examples {
    pub header: Option<ExampleSet>,
    pub body: Option<ExampleSet>,
}

#[derive(Debug, Clone)]
pub struct ExampleSet {
    /// The whole value (array or table).
    pub span: Range<usize>,
    pub values: ExampleValues,
}

#[derive(Debug, Clone)]
pub enum ExampleValues {
    /// `["Maria", "#4521"]`, in variable order.
    Positional(Vec<Str>),
    /// `{ first_name = "Maria" }`: (name, key span, value).
    Named(Vec<(String, Range<usize>, Str)>),
}

impl ExampleSet {
    pub fn strs(&self) -> Vec<&Str> {
        match &self.values {
            ExampleValues::Positional(v) => v.iter().collect(),
            ExampleValues::Named(v) => v.iter().map(|(_, _, s)| s).collect(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ButtonKind {
    QuickReply,
    Url,
    PhoneNumber,
    CopyCode,
    Otp,
    Flow,
    Catalog,
    Mpm,
    VoiceCall,
}

impl ButtonKind {
    pub const ALL: [(&'static str, ButtonKind); 9] = [
        ("quick_reply", ButtonKind::QuickReply),
        ("url", ButtonKind::Url),
        ("phone_number", ButtonKind::PhoneNumber),
        ("copy_code", ButtonKind::CopyCode),
        ("otp", ButtonKind::Otp),
        ("flow", ButtonKind::Flow),
        ("catalog", ButtonKind::Catalog),
        ("mpm", ButtonKind::Mpm),
        ("voice_call", ButtonKind::VoiceCall),
    ];

    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("?", |(s, _)| s)
    }

    /// The keys a button of this type may carry besides `type` (SPEC §1, meta/api.md §2.5).
    fn keys(self) -> &'static [&'static str] {
        match self {
            ButtonKind::QuickReply
            | ButtonKind::Catalog
            | ButtonKind::Mpm
            | ButtonKind::VoiceCall => &["text"],
            ButtonKind::Url => &["text", "url", "example"],
            ButtonKind::PhoneNumber => &["text", "phone_number"],
            ButtonKind::CopyCode => &["text", "example"],
            ButtonKind::Otp => &[
                "otp_type",
                "text",
                "autofill_text",
                "package_name",
                "signature_hash",
                "supported_apps",
                "zero_tap_terms_accepted",
            ],
            ButtonKind::Flow => &["text", "flow_id", "flow_action", "navigate_screen"],
        }
    }
}

#[derive(Debug, Clone)]
pub struct Button {
    pub kind: ButtonKind,
    /// Known keys the table has a misspelling of (`phone` → `phone_number`): WT000 reports
    /// the typo, so rules do not report the key as missing too.
    pub misspelt: Vec<&'static str>,
    /// The whole `[[buttons]]` table.
    pub span: Range<usize>,
    pub type_value: Str,
    pub text: Option<Str>,
    pub url: Option<Str>,
    pub example: Option<Str>,
    pub phone_number: Option<Str>,
    pub otp_type: Option<Str>,
    pub autofill_text: Option<Str>,
    pub supported_apps: Vec<SupportedApp>,
    pub zero_tap_terms_accepted: Option<bool>,
    pub flow_id: Option<Str>,
    pub flow_action: Option<Str>,
    pub navigate_screen: Option<Str>,
}

/// An Android app for one-tap / zero-tap OTP buttons.
#[derive(Debug, Clone)]
pub struct SupportedApp {
    pub package_name: Option<Str>,
    pub signature_hash: Option<Str>,
    pub span: Range<usize>,
}

/// What loading one file produced.
#[derive(Debug)]
pub struct Loaded {
    pub template: Option<Template>,
    /// WT000 findings (syntax, types, unknown and missing keys).
    pub diagnostics: Vec<Diagnostic>,
}

/// Largest file wt reads as a template; a bigger one is reported, not parsed.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// Loads a template from a source file. Never panics; problems become WT000 diagnostics.
pub fn load(file: FileId, source: &SourceFile, stem: &str) -> Loaded {
    let mut cx = LoadCx {
        file,
        src: &source.text,
        diags: Vec::new(),
    };
    let template = cx.document(stem);
    Loaded {
        template,
        diagnostics: cx.diags,
    }
}

struct LoadCx<'s> {
    file: FileId,
    src: &'s str,
    diags: Vec<Diagnostic>,
}

type Val<'i> = Spanned<DeValue<'i>>;

const TOP_KEYS: &[&str] = &[
    "name",
    "category",
    "parameter_format",
    "allow_category_change",
    "languages",
];
const LANGUAGE_KEYS: &[&str] = &[
    "header",
    "body",
    "footer",
    "examples",
    "buttons",
    "add_security_recommendation",
    "code_expiration_minutes",
];

impl<'s> LoadCx<'s> {
    fn error(&mut self, span: Range<usize>, message: String, help: Option<String>) {
        let mut d = Diagnostic::new(&WT000, self.file, span, message);
        d.help = help;
        self.diags.push(d);
    }

    fn empty_file(&mut self) {
        self.error(
            0..0,
            "the file is empty".into(),
            Some("write `category = \"utility\"` and a `[languages.en_US]` table with `body = \"…\"`; see `wt explain WT000`".into()),
        );
    }

    fn document(&mut self, stem: &str) -> Option<Template> {
        if self.src.trim_start_matches('\u{feff}').trim().is_empty() {
            self.empty_file();
            return None;
        }
        let root = match DeTable::parse(self.src) {
            Ok(root) => root,
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                let span = self.widen(span);
                let msg = e.message().trim().trim_end_matches('.').to_string();
                let help = syntax_help(&msg);
                self.error(span, format!("invalid TOML: {msg}"), Some(help));
                return None;
            }
        };
        let root_span = root.span();
        let table = root.into_inner();
        // Only comments: as empty as a file of zero bytes, and one finding says so (not a
        // missing `category` plus a missing `languages`).
        if table.is_empty() {
            self.empty_file();
            return None;
        }
        let top_typos = self.unknown_keys(&table, TOP_KEYS, "the top level");

        let name_value = self.opt_str(&table, "name");
        let category_value = self.opt_str(&table, "category");
        let parameter_format_value = self.opt_str(&table, "parameter_format");
        let allow_category_change = self.opt_bool(&table, "allow_category_change");

        let category = category_value
            .as_ref()
            .and_then(|c| Category::parse(&c.value));
        // `categroy = "utility"` is one mistake: the unknown key says "did you mean
        // `category`?", so a second finding for the missing key would be noise.
        if category_value.is_none()
            && table.get("category").is_none()
            && !top_typos.contains(&"category")
        {
            self.error(
                root_span.start..root_span.start,
                "missing required key `category`".into(),
                Some("add `category = \"utility\"` (or \"marketing\", \"authentication\")".into()),
            );
        }
        let parameter_format = match &parameter_format_value {
            None => ParameterFormat::Positional,
            Some(v) => match v.value.to_ascii_lowercase().as_str() {
                "positional" => ParameterFormat::Positional,
                "named" => ParameterFormat::Named,
                _ => {
                    self.error(
                        v.span(),
                        format!(
                            "`parameter_format` must be \"positional\" or \"named\", not {:?}",
                            v.value
                        ),
                        Some("write `parameter_format = \"positional\"` or `\"named\"`".into()),
                    );
                    ParameterFormat::Positional
                }
            },
        };

        let mut languages = Vec::new();
        match table.get("languages") {
            None if top_typos.contains(&"languages") => {}
            None => self.error(
                root_span.start..root_span.start,
                "missing required key `languages`: a template needs at least one language".into(),
                Some("add a table such as `[languages.en_US]` with a `body`".into()),
            ),
            Some(v) => match v.get_ref() {
                DeValue::Table(langs) => {
                    if langs.is_empty() {
                        self.error(
                            v.span(),
                            "`languages` is empty: a template needs at least one language".into(),
                            Some("add a table such as `[languages.en_US]` with a `body`".into()),
                        );
                    }
                    for (key, value) in langs {
                        if let Some(l) = self.language(key, value, category) {
                            languages.push(l);
                        }
                    }
                }
                _ => self.wrong_type("languages", v, "a table of languages"),
            },
        }
        languages.sort_by_key(|l| l.code_span.start);

        Some(Template {
            file: self.file,
            name: name_value
                .as_ref()
                .map_or_else(|| stem.to_string(), |n| n.value.clone()),
            name_value,
            stem: stem.to_string(),
            category_value,
            category,
            parameter_format,
            parameter_format_value,
            allow_category_change: allow_category_change.unwrap_or(false),
            languages,
        })
    }

    fn language(
        &mut self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        value: &Val<'_>,
        category: Option<Category>,
    ) -> Option<Language> {
        let code = key.get_ref().to_string();
        let code_span = key.span();
        let DeValue::Table(t) = value.get_ref() else {
            self.wrong_type(&format!("languages.{code}"), value, "a table");
            return None;
        };
        let path = format!("[languages.{code}]");
        let typos = self.unknown_keys(t, LANGUAGE_KEYS, &path);

        let header = t.get("header").and_then(|h| self.header(&code, h));
        let body = self.opt_str(t, "body");
        let footer = self.opt_str(t, "footer");
        // A misspelt body (`bdy`, "did you mean `body`?") is one finding. Any other unknown
        // key (`footr`) does not excuse the missing body.
        if body.is_none()
            && !typos.contains(&"body")
            && t.get("body").is_none()
            && category != Some(Category::Authentication)
        {
            self.error(
                code_span.clone(),
                format!("`{path}` has no `body`"),
                Some("add `body = \"…\"`; only authentication templates have no body".into()),
            );
        }
        let mut examples = Examples::default();
        if let Some(ex) = t.get("examples") {
            match ex.get_ref() {
                DeValue::Table(et) => {
                    self.unknown_keys(et, &["header", "body"], &format!("{path} examples"));
                    examples.header = et.get("header").and_then(|v| self.example_set(v));
                    examples.body = et.get("body").and_then(|v| self.example_set(v));
                }
                _ => self.wrong_type("examples", ex, "a table with `header` and/or `body`"),
            }
        }
        let mut buttons = Vec::new();
        if let Some(b) = t.get("buttons") {
            match b.get_ref() {
                DeValue::Array(items) => {
                    for item in items {
                        if let Some(button) = self.button(item) {
                            buttons.push(button);
                        }
                    }
                }
                _ => self.wrong_type(
                    "buttons",
                    b,
                    "an array of tables (`[[languages.<code>.buttons]]`)",
                ),
            }
        }
        let add_security_recommendation = self.opt_bool(t, "add_security_recommendation");
        let code_expiration_minutes = self.opt_int(t, "code_expiration_minutes");
        Some(Language {
            code,
            code_span,
            header,
            body,
            footer,
            examples,
            buttons,
            add_security_recommendation,
            code_expiration_minutes,
        })
    }

    fn header(&mut self, _code: &str, v: &Val<'_>) -> Option<Header> {
        match v.get_ref() {
            DeValue::String(s) => Some(Header::Text(self.str_of(v, s))),
            DeValue::Table(t) => {
                let misspelt = self.unknown_keys(t, &["format", "example"], "header");
                let Some(format_value) = self.opt_str(t, "format") else {
                    if t.get("format").is_none() {
                        self.error(
                            v.span(),
                            "a header table needs `format`".into(),
                            Some("write `header = { format = \"image\", example = \"https://…\" }`, or a string for a text header".into()),
                        );
                    }
                    return None;
                };
                let example = self.opt_str(t, "example");
                let span = v.span();
                match format_value.value.to_ascii_lowercase().as_str() {
                    "image" => Some(Header::Media {
                        format: MediaFormat::Image,
                        format_value,
                        example,
                        span,
                        misspelt,
                    }),
                    "video" => Some(Header::Media {
                        format: MediaFormat::Video,
                        format_value,
                        example,
                        span,
                        misspelt,
                    }),
                    "document" => Some(Header::Media {
                        format: MediaFormat::Document,
                        format_value,
                        example,
                        span,
                        misspelt,
                    }),
                    "location" => {
                        if let Some(e) = example {
                            self.error(e.span(), "a location header takes no `example`".into(), Some("remove `example`: the location is supplied when the message is sent".into()));
                        }
                        Some(Header::Location { span })
                    }
                    "text" => {
                        self.error(
                            format_value.span(),
                            "a text header is written as a string, not a table".into(),
                            Some("write `header = \"Your order {{1}}\"`".into()),
                        );
                        None
                    }
                    other => {
                        let help = suggest(other, &["image", "video", "document", "location"])
                            .map_or_else(
                                || {
                                    "use one of \"image\", \"video\", \"document\", \"location\""
                                        .to_string()
                                },
                                |s| format!("did you mean \"{s}\"?"),
                            );
                        self.error(
                            format_value.span(),
                            format!("unknown header format {other:?}"),
                            Some(help),
                        );
                        None
                    }
                }
            }
            _ => {
                self.wrong_type(
                    "header",
                    v,
                    "a string (text header) or a table (media header)",
                );
                None
            }
        }
    }

    fn example_set(&mut self, v: &Val<'_>) -> Option<ExampleSet> {
        let span = v.span();
        match v.get_ref() {
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for item in items {
                    match item.get_ref() {
                        DeValue::String(s) => out.push(self.str_of(item, s)),
                        _ => self.wrong_type("example", item, "a string"),
                    }
                }
                Some(ExampleSet {
                    span,
                    values: ExampleValues::Positional(out),
                })
            }
            DeValue::Table(t) => {
                let mut out = Vec::new();
                for (k, item) in t {
                    match item.get_ref() {
                        DeValue::String(s) => {
                            out.push((k.get_ref().to_string(), k.span(), self.str_of(item, s)))
                        }
                        _ => self.wrong_type(k.get_ref(), item, "a string"),
                    }
                }
                Some(ExampleSet {
                    span,
                    values: ExampleValues::Named(out),
                })
            }
            DeValue::String(s) => {
                // One value for one variable is common enough to accept as a list of one.
                let s = self.str_of(v, s);
                Some(ExampleSet {
                    span,
                    values: ExampleValues::Positional(vec![s]),
                })
            }
            _ => {
                self.wrong_type(
                    "examples",
                    v,
                    "an array of strings (positional) or a table (named)",
                );
                None
            }
        }
    }

    fn button(&mut self, item: &Val<'_>) -> Option<Button> {
        let DeValue::Table(t) = item.get_ref() else {
            self.wrong_type("buttons", item, "a table");
            return None;
        };
        let span = item.span();
        let Some(type_value) = self.opt_str(t, "type") else {
            if t.get("type").is_none() {
                self.error(
                    span,
                    "a button needs a `type`".into(),
                    Some("add `type = \"quick_reply\"` (or url, phone_number, copy_code, otp, flow, catalog, mpm, voice_call)".into()),
                );
            }
            return None;
        };
        let lowered = type_value.value.to_ascii_lowercase();
        let Some(kind) = ButtonKind::ALL
            .iter()
            .find(|(s, _)| *s == lowered)
            .map(|(_, k)| *k)
        else {
            let names: Vec<&str> = ButtonKind::ALL.iter().map(|(s, _)| *s).collect();
            let help = suggest(&lowered, &names).map_or_else(
                || format!("use one of {}", names.join(", ")),
                |s| format!("did you mean \"{s}\"?"),
            );
            self.error(
                type_value.span(),
                format!("unknown button type {:?}", type_value.value),
                Some(help),
            );
            return None;
        };
        let mut allowed = vec!["type"];
        allowed.extend_from_slice(kind.keys());
        let misspelt = self.unknown_keys(t, &allowed, &format!("a `{}` button", kind.as_str()));
        let mut supported_apps = Vec::new();
        if let Some(apps) = t.get("supported_apps") {
            match apps.get_ref() {
                DeValue::Array(items) => {
                    for app in items {
                        match app.get_ref() {
                            DeValue::Table(at) => {
                                self.unknown_keys(
                                    at,
                                    &["package_name", "signature_hash"],
                                    "supported_apps",
                                );
                                supported_apps.push(SupportedApp {
                                    package_name: self.opt_str(at, "package_name"),
                                    signature_hash: self.opt_str(at, "signature_hash"),
                                    span: app.span(),
                                });
                            }
                            _ => self.wrong_type("supported_apps", app, "a table"),
                        }
                    }
                }
                _ => self.wrong_type("supported_apps", apps, "an array of tables"),
            }
        }
        // The flat form (package_name/signature_hash on the button) is one app.
        let package_name = self.opt_str(t, "package_name");
        let signature_hash = self.opt_str(t, "signature_hash");
        if package_name.is_some() || signature_hash.is_some() {
            supported_apps.push(SupportedApp {
                package_name,
                signature_hash,
                span: span.clone(),
            });
        }
        Some(Button {
            kind,
            misspelt,
            span,
            type_value,
            text: self.opt_str(t, "text"),
            url: self.opt_str(t, "url"),
            example: self.opt_str(t, "example"),
            phone_number: self.opt_str(t, "phone_number"),
            otp_type: self.opt_str(t, "otp_type"),
            autofill_text: self.opt_str(t, "autofill_text"),
            supported_apps,
            zero_tap_terms_accepted: self.opt_bool(t, "zero_tap_terms_accepted"),
            flow_id: self.opt_str(t, "flow_id"),
            flow_action: self.opt_str(t, "flow_action"),
            navigate_screen: self.opt_str(t, "navigate_screen"),
        })
    }

    // ---- typed access with WT000 on mismatch ----------------------------------------

    fn str_of(&self, v: &Val<'_>, s: &str) -> Str {
        Str {
            value: s.to_string(),
            map: LiteralMap::new(self.src, v.span(), s),
        }
    }

    fn opt_str(&mut self, t: &DeTable<'_>, key: &str) -> Option<Str> {
        let v = t.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(self.str_of(v, s)),
            _ => {
                self.wrong_type(key, v, "a string");
                None
            }
        }
    }

    fn opt_bool(&mut self, t: &DeTable<'_>, key: &str) -> Option<bool> {
        let v = t.get(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(key, v, "`true` or `false`");
                None
            }
        }
    }

    fn opt_int(&mut self, t: &DeTable<'_>, key: &str) -> Option<Spanned<i64>> {
        let v = t.get(key)?;
        if let DeValue::Integer(i) = v.get_ref() {
            let digits = i.as_str().replace('_', "");
            if let Ok(n) = i64::from_str_radix(
                digits
                    .trim_start_matches("0x")
                    .trim_start_matches("0o")
                    .trim_start_matches("0b"),
                i.radix(),
            ) {
                return Some(Spanned::new(v.span(), n));
            }
        }
        self.wrong_type(key, v, "an integer");
        None
    }

    fn wrong_type(&mut self, key: &str, v: &Val<'_>, expected: &str) {
        let found = v.get_ref().type_str();
        let span = self.widen(v.span());
        self.error(
            span,
            format!("`{key}` must be {expected}, found {found}"),
            Some(format!("write `{key}` as {expected}")),
        );
    }

    /// Reports keys not in `allowed`; returns the allowed keys they were suggested for.
    fn unknown_keys(
        &mut self,
        t: &DeTable<'_>,
        allowed: &[&'static str],
        place: &str,
    ) -> Vec<&'static str> {
        let mut suggested = Vec::new();
        for key in t.keys() {
            let k = key.get_ref();
            if !allowed.contains(&k.as_ref()) {
                let help = match suggest(k, allowed) {
                    Some(s) => {
                        suggested.push(s);
                        format!("did you mean `{s}`?")
                    }
                    None => format!("allowed keys here: {}", allowed.join(", ")),
                };
                self.error(
                    key.span(),
                    format!("unknown key `{k}` in {place}"),
                    Some(help),
                );
            }
        }
        suggested
    }

    /// An empty span at the end of the file points nowhere visible: widen it to the last
    /// character so the report has something to underline.
    fn widen(&self, span: Range<usize>) -> Range<usize> {
        if span.start < span.end || self.src.is_empty() {
            return span;
        }
        let start = span.start.min(self.src.len());
        let end = self.src[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8());
        start..end
    }
}

/// What to type for a TOML syntax error, from toml's message.
fn syntax_help(message: &str) -> String {
    if message.contains("duplicate key") {
        "a key or table may appear once per file: merge the two, or remove one".to_string()
    } else if message.contains("basic string") || message.contains("literal string") {
        "close the string on the same line (`\"…\"`), or use `\"\"\"…\"\"\"` for text over several lines"
            .to_string()
    } else {
        "fix the TOML syntax at the marked position (https://toml.io)".to_string()
    }
}

/// The closest allowed word, for "did you mean" (Jaro-Winkler ≥ 0.8, as clap's 0.7 proved
/// too loose for short TOML keys such as `url`/`text`).
pub(crate) fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(word, c), *c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}
