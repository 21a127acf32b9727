//! Message templates: list, get, create, edit, delete (`meta/api.md` §1.1–§1.5).

use std::fmt;

use reqwest::Method;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{json, Map, Value};

use super::error::{codes, ApiError};
use super::GraphClient;

/// Fields requested when listing or getting templates: what `plan`, `sync` and `status`
/// need and nothing more (`meta/api.md` §1.2, §7 "use `fields=` to cut volume").
pub const TEMPLATE_FIELDS: &[&str] = &[
    "id",
    "name",
    "language",
    "status",
    "category",
    "components",
    "parameter_format",
    "quality_score",
    "rejected_reason",
    "correct_category",
    "previous_category",
];

/// Fields to poll while a template is in review (`meta/api.md` §4.4: a CLI without a
/// webhook receiver polls these).
pub const STATUS_FIELDS: &[&str] = &[
    "status",
    "category",
    "rejected_reason",
    "quality_score",
    "correct_category",
];

/// Defines a string enum with known upper-case values and an `Other` fallback. Parsing is
/// case-insensitive because Meta's docs send and show lower-case values too (`meta/api.md` §1.1).
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this version of wt does not know, kept verbatim.
            Other(String),
        }

        impl $name {
            /// Parses Meta's spelling, ignoring case.
            pub fn parse(s: &str) -> Self {
                $(if s.eq_ignore_ascii_case($text) { return Self::$variant; })+
                Self::Other(s.to_owned())
            }

            /// Meta's upper-case spelling.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)+
                    Self::Other(s) => s,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Ok(Self::parse(&s))
            }
        }
    };
}

string_enum! {
    /// Template status (`meta/api.md` §4.1).
    TemplateStatus {
        /// Sendable.
        Approved = "APPROVED",
        /// In review.
        Pending = "PENDING",
        /// Refused; see `rejected_reason`.
        Rejected = "REJECTED",
        /// Paused for low quality.
        Paused = "PAUSED",
        /// Disabled for low quality.
        Disabled = "DISABLED",
        /// Appeal under review.
        InAppeal = "IN_APPEAL",
        /// Deleted but messages still in flight.
        PendingDeletion = "PENDING_DELETION",
        /// Deleted.
        Deleted = "DELETED",
        /// The WABA hit its template limit.
        LimitExceeded = "LIMIT_EXCEEDED",
        /// Archived after inactivity.
        Archived = "ARCHIVED",
    }
}

impl TemplateStatus {
    /// Whether Meta has not decided yet (`wt status --wait` keeps polling these).
    pub fn is_pending(&self) -> bool {
        matches!(self, Self::Pending | Self::InAppeal)
    }
}

string_enum! {
    /// Template category (`meta/api.md` §1.1). Legacy values (`ACCOUNT_UPDATE`, ...) can
    /// still appear in `previous_category`; they land in `Other`.
    Category {
        /// One-time passwords.
        Authentication = "AUTHENTICATION",
        /// Promotional or unclear.
        Marketing = "MARKETING",
        /// Transactional, user-specific.
        Utility = "UTILITY",
    }
}

string_enum! {
    /// How variables are written (`meta/api.md` §2.1).
    ParameterFormat {
        /// `{{1}}`.
        Positional = "POSITIONAL",
        /// `{{first_name}}`.
        Named = "NAMED",
    }
}

/// A template as Meta stores it: one (name, language).
///
/// Components stay JSON values: the template model owns the local → components conversion
/// and the diff rules (`meta/api.md` §8).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RemoteTemplate {
    /// Meta's id for this (name, language); a numeric string.
    pub id: String,
    /// Template name.
    pub name: String,
    /// Language code, e.g. `en_US`.
    pub language: String,
    /// Review status.
    pub status: TemplateStatus,
    /// Current category (may differ from the submitted one, `meta/api.md` §6.2).
    pub category: Category,
    /// `POSITIONAL` or `NAMED`; absent on old templates.
    pub parameter_format: Option<ParameterFormat>,
    /// Components as Meta returns them.
    pub components: Vec<Value>,
    /// `quality_score.score`: `GREEN`, `YELLOW`, `RED`, `UNKNOWN` (`meta/api.md` §4.3).
    pub quality_score: Option<String>,
    /// Rejection reason (`PROMOTIONAL`, `INVALID_FORMAT`, ... or `NONE`) (`meta/api.md` §4.2).
    pub rejected_reason: Option<String>,
    /// Category Meta thinks is right; differs from `category` when a change is scheduled
    /// (`meta/api.md` §6.2).
    pub correct_category: Option<String>,
    /// Category before Meta re-filed the template.
    pub previous_category: Option<String>,
}

/// Any subset of a template's fields, as returned by [`TemplatesApi::get_fields`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PartialTemplate {
    /// Always returned by Meta.
    pub id: String,
    /// Template name.
    #[serde(default)]
    pub name: Option<String>,
    /// Language code.
    #[serde(default)]
    pub language: Option<String>,
    /// Review status.
    #[serde(default)]
    pub status: Option<TemplateStatus>,
    /// Category.
    #[serde(default)]
    pub category: Option<Category>,
    /// Variable style.
    #[serde(default)]
    pub parameter_format: Option<ParameterFormat>,
    /// Components.
    #[serde(default)]
    pub components: Option<Vec<Value>>,
    /// `quality_score.score` (Meta sends `{"score": "GREEN", "date": …}`; a bare string is
    /// accepted too).
    #[serde(default, deserialize_with = "quality_score")]
    pub quality_score: Option<String>,
    /// Rejection reason.
    #[serde(default)]
    pub rejected_reason: Option<String>,
    /// Category Meta thinks is right.
    #[serde(default)]
    pub correct_category: Option<String>,
    /// Category before re-filing.
    #[serde(default)]
    pub previous_category: Option<String>,
}

fn quality_score<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::String(s)) => Some(s),
        Some(Value::Object(o)) => o.get("score").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    })
}

impl PartialTemplate {
    /// Completes into a [`RemoteTemplate`]; names the first missing required field.
    fn into_remote(self) -> Result<RemoteTemplate, &'static str> {
        Ok(RemoteTemplate {
            name: self.name.ok_or("name")?,
            language: self.language.ok_or("language")?,
            status: self.status.ok_or("status")?,
            category: self.category.ok_or("category")?,
            id: self.id,
            parameter_format: self.parameter_format,
            components: self.components.unwrap_or_default(),
            quality_score: self.quality_score,
            rejected_reason: self.rejected_reason,
            correct_category: self.correct_category,
            previous_category: self.previous_category,
        })
    }
}

/// Filter for [`TemplatesApi::list`]. Filters are sent to Meta and applied again here,
/// exactly: Meta's `name=` may match substrings (`meta/api.md` §9 q8).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    /// Only this exact name.
    pub name: Option<String>,
    /// Only this exact language code.
    pub language: Option<String>,
}

/// Body of a create call (`meta/api.md` §1.1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateTemplate {
    /// `^[a-z0-9_]+$`, ≤ 512 chars.
    pub name: String,
    /// Language code.
    pub language: String,
    /// Sent upper-case.
    pub category: Category,
    /// `POSITIONAL` (Meta's default) or `NAMED`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter_format: Option<ParameterFormat>,
    /// Components, built by the template model.
    pub components: Vec<Value>,
    /// Legacy flag; only sent when set (`meta/api.md` §1.1, §6.2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_category_change: Option<bool>,
}

/// Meta's answer to a successful create.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct CreatedTemplate {
    /// New template id.
    pub id: String,
    /// `PENDING`, sometimes `APPROVED` or `REJECTED` at once (`meta/api.md` §4.1).
    pub status: TemplateStatus,
    /// May differ from the request when Meta re-files UTILITY as MARKETING (§1.1).
    pub category: Category,
}

/// What [`TemplatesApi::create`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum CreateOutcome {
    /// Meta created the template on this call.
    Created(CreatedTemplate),
    /// An earlier attempt of this call timed out or failed in a way that may have reached
    /// Meta, and the retry was answered 100/2388024 (content exists): the earlier attempt
    /// created it. This is the template found by (name, language). The sync layer should
    /// compare it with the local file like any remote template.
    Adopted(RemoteTemplate),
}

impl CreateOutcome {
    /// The template id either way.
    pub fn id(&self) -> &str {
        match self {
            Self::Created(c) => &c.id,
            Self::Adopted(t) => &t.id,
        }
    }

    /// The status either way.
    pub fn status(&self) -> &TemplateStatus {
        match self {
            Self::Created(c) => &c.status,
            Self::Adopted(t) => &t.status,
        }
    }

    /// The category either way.
    pub fn category(&self) -> &Category {
        match self {
            Self::Created(c) => &c.category,
            Self::Adopted(t) => &t.category,
        }
    }

    /// Whether the template was adopted rather than created by this call.
    pub fn was_adopted(&self) -> bool {
        matches!(self, Self::Adopted(_))
    }
}

/// What [`TemplatesApi::edit`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditOutcome {
    /// Meta accepted the edit on this call.
    Edited,
    /// An earlier attempt timed out, the retry was refused with 100/2388039 (PENDING), and
    /// the template is PENDING with exactly the components sent: the earlier attempt applied.
    AlreadyApplied,
}

/// What [`TemplatesApi::delete`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeleteOutcome {
    /// Meta deleted the template on this call.
    Deleted,
    /// An earlier attempt timed out and the retry was answered "not found" (100/2593002):
    /// the earlier attempt deleted it.
    AlreadyGone,
}

#[derive(Deserialize)]
struct SuccessResponse {
    #[serde(default)]
    success: bool,
}

/// Message-template calls; get one with [`GraphClient::templates`].
#[derive(Debug, Clone, Copy)]
pub struct TemplatesApi<'c> {
    client: &'c GraphClient,
}

impl<'c> TemplatesApi<'c> {
    pub(crate) fn new(client: &'c GraphClient) -> Self {
        Self { client }
    }

    /// Every template of the WABA matching `filter`, all pages
    /// (`GET /{ver}/{waba}/message_templates?fields=…&limit=…`).
    ///
    /// ```no_run
    /// # fn f(client: &wt::api::GraphClient) -> Result<(), wt::api::ApiError> {
    /// use wt::api::ListFilter;
    /// let filter = ListFilter { name: Some("order_shipped".into()), ..ListFilter::default() };
    /// for t in client.templates().list(&filter)? {
    ///     println!("{} {} {}", t.language, t.id, t.status);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self, filter: &ListFilter) -> Result<Vec<RemoteTemplate>, ApiError> {
        let mut url = self
            .client
            .url(&[self.client.waba_id(), "message_templates"]);
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("fields", &TEMPLATE_FIELDS.join(","));
            q.append_pair("limit", &self.client.config().page_size.to_string());
            if let Some(name) = &filter.name {
                q.append_pair("name", name);
            }
            if let Some(language) = &filter.language {
                q.append_pair("language", language);
            }
        }
        let endpoint = format!("GET {}", url.path());
        let partials: Vec<PartialTemplate> = self.client.get_all_pages(url)?;
        let mut out = Vec::with_capacity(partials.len());
        for p in partials {
            let t = complete(p, &endpoint)?;
            let name_ok = filter.name.as_ref().is_none_or(|n| *n == t.name);
            let language_ok = filter.language.as_ref().is_none_or(|l| *l == t.language);
            if name_ok && language_ok {
                out.push(t);
            }
        }
        Ok(out)
    }

    /// The template with this exact (name, language), if any.
    pub fn find(&self, name: &str, language: &str) -> Result<Option<RemoteTemplate>, ApiError> {
        let filter = ListFilter {
            name: Some(name.to_owned()),
            language: Some(language.to_owned()),
        };
        Ok(self.list(&filter)?.into_iter().next())
    }

    /// One template by id with all [`TEMPLATE_FIELDS`] (`GET /{ver}/{id}?fields=…`).
    pub fn get(&self, id: &str) -> Result<RemoteTemplate, ApiError> {
        let url = self.get_url(id, TEMPLATE_FIELDS);
        let endpoint = format!("GET {}", url.path());
        let partial: PartialTemplate = self.client.execute(Method::GET, &url, None).result?;
        complete(partial, &endpoint)
    }

    /// One template by id with only `fields` (e.g. `["status", "category"]` to poll review
    /// cheaply). `id` is always returned.
    pub fn get_fields(&self, id: &str, fields: &[&str]) -> Result<PartialTemplate, ApiError> {
        let url = self.get_url(id, fields);
        let partial: PartialTemplate = self.client.execute(Method::GET, &url, None).result?;
        Ok(partial.printable())
    }

    fn get_url(&self, id: &str, fields: &[&str]) -> reqwest::Url {
        let mut url = self.client.url(&[id]);
        url.query_pairs_mut()
            .append_pair("fields", &fields.join(","));
        url
    }

    /// Creates one (name, language) (`POST /{ver}/{waba}/message_templates`).
    ///
    /// Safe to re-run after a timeout: the call is retried on transient failures only, and
    /// when a *retry* is answered 100/2388024 ("content in this language already exists"),
    /// the earlier attempt evidently reached Meta; the template is then looked up by
    /// (name, language) and returned as [`CreateOutcome::Adopted`] instead of failing or
    /// creating a duplicate (`meta/api.md` §5.6). A 2388024 on the *first* attempt is a
    /// real conflict and is returned as [`ApiError::Meta`]. When every attempt failed in a
    /// way that may hide a success (timeouts, 5xx, cut-off answers), the template is looked
    /// up once more before the error is returned, and adopted if it is there.
    pub fn create(&self, template: &CreateTemplate) -> Result<CreateOutcome, ApiError> {
        let url = self
            .client
            .url(&[self.client.waba_id(), "message_templates"]);
        let body = serde_json::to_value(template).map_err(|e| ApiError::InvalidArgument {
            what: "template",
            reason: e.to_string(),
        })?;
        let sent = self
            .client
            .execute::<CreatedTemplate>(Method::POST, &url, Some(&body));
        match sent.result {
            Ok(mut created) => {
                super::text::line(&mut created.id);
                if let TemplateStatus::Other(o) = &mut created.status {
                    super::text::line(o);
                }
                if let Category::Other(o) = &mut created.category {
                    super::text::line(o);
                }
                Ok(CreateOutcome::Created(created))
            }
            Err(err)
                if sent.attempts > 1
                    && err.is_meta(codes::INVALID_PARAMETER, Some(codes::SUB_CONTENT_EXISTS)) =>
            {
                match self.find(&template.name, &template.language)? {
                    Some(existing) => Ok(CreateOutcome::Adopted(existing)),
                    None => Err(err),
                }
            }
            // Every attempt failed in a way that may hide a success (the first one created
            // it, the others were answered 500 or timed out): look before reporting a
            // failure, so the report says what is in the account.
            Err(err) if may_have_landed(&err) => {
                match self.find(&template.name, &template.language) {
                    Ok(Some(existing)) => Ok(CreateOutcome::Adopted(existing)),
                    _ => Err(err),
                }
            }
            Err(err) => Err(err),
        }
    }

    /// Replaces the components (and optionally the category) of a template
    /// (`POST /{ver}/{id}`). Meta replaces components wholesale and sends the template
    /// back to review (`meta/api.md` §1.4).
    ///
    /// Safe to re-run after a timeout: when a *retry* is refused with 100/2388039 (the
    /// template is PENDING), the template is fetched; if it is PENDING with exactly these
    /// components, the earlier attempt applied and [`EditOutcome::AlreadyApplied`] is
    /// returned; likewise when every attempt failed in a way that may hide a success.
    pub fn edit(
        &self,
        id: &str,
        category: Option<&Category>,
        components: &[Value],
    ) -> Result<EditOutcome, ApiError> {
        let url = self.client.url(&[id]);
        let mut body = Map::new();
        body.insert("components".to_owned(), Value::Array(components.to_vec()));
        if let Some(c) = category {
            body.insert("category".to_owned(), json!(c.as_str()));
        }
        let body = Value::Object(body);
        let sent = self
            .client
            .execute::<SuccessResponse>(Method::POST, &url, Some(&body));
        match sent.result {
            Ok(r) if r.success => Ok(EditOutcome::Edited),
            Ok(_) => Err(ApiError::NotSuccessful {
                endpoint: format!("POST {}", url.path()),
            }),
            Err(err)
                if sent.attempts > 1
                    && err.is_meta(
                        codes::INVALID_PARAMETER,
                        Some(codes::SUB_STATUS_CANNOT_CHANGE),
                    ) =>
            {
                let now = self.get(id)?;
                if now.status == TemplateStatus::Pending && now.components == components {
                    Ok(EditOutcome::AlreadyApplied)
                } else {
                    Err(err)
                }
            }
            Err(err) if may_have_landed(&err) => match self.get(id) {
                Ok(now)
                    if now.status == TemplateStatus::Pending && now.components == components =>
                {
                    Ok(EditOutcome::AlreadyApplied)
                }
                _ => Err(err),
            },
            Err(err) => Err(err),
        }
    }

    /// Deletes exactly one (name, language): `DELETE /{ver}/{waba}/message_templates?name=…&hsm_id=…`.
    ///
    /// Both arguments are required: deleting by name alone would delete every language
    /// (`meta/api.md` §1.5, §8). A retry answered "not found" (100/2593002) after an earlier
    /// attempt timed out is [`DeleteOutcome::AlreadyGone`], and so is a delete whose every
    /// attempt failed in a way that may hide a success when the template is no longer listed.
    pub fn delete(&self, name: &str, hsm_id: &str) -> Result<DeleteOutcome, ApiError> {
        if name.is_empty() || hsm_id.is_empty() {
            return Err(ApiError::InvalidArgument {
                what: "delete request",
                reason: "both the template name and its id (hsm_id) are required; deleting by name alone would remove every language".to_owned(),
            });
        }
        let mut url = self
            .client
            .url(&[self.client.waba_id(), "message_templates"]);
        url.query_pairs_mut()
            .append_pair("name", name)
            .append_pair("hsm_id", hsm_id);
        let sent = self
            .client
            .execute::<SuccessResponse>(Method::DELETE, &url, None);
        match sent.result {
            Ok(r) if r.success => Ok(DeleteOutcome::Deleted),
            Ok(_) => Err(ApiError::NotSuccessful {
                endpoint: format!("DELETE {}", url.path()),
            }),
            Err(err)
                if sent.attempts > 1
                    && err.is_meta(
                        codes::INVALID_PARAMETER,
                        Some(codes::SUB_TEMPLATE_NOT_FOUND),
                    ) =>
            {
                Ok(DeleteOutcome::AlreadyGone)
            }
            Err(err) if may_have_landed(&err) => {
                let filter = ListFilter {
                    name: Some(name.to_owned()),
                    language: None,
                };
                match self.list(&filter) {
                    Ok(left) if left.iter().all(|t| t.id != hsm_id) => {
                        Ok(DeleteOutcome::AlreadyGone)
                    }
                    _ => Err(err),
                }
            }
            Err(err) => Err(err),
        }
    }
}

/// Whether a call that failed after all its attempts may still have been carried out by
/// Meta: no answer (timeout, connection lost), a 5xx or truncated answer, a transient Meta
/// error, or a 2xx whose body could not be read (the server said it worked). Throttled
/// calls were refused before any work; validation errors are final.
fn may_have_landed(err: &ApiError) -> bool {
    let unreadable_success =
        matches!(err, ApiError::Decode { status, .. } if (200..300).contains(status));
    (err.is_retryable() && !err.is_throttling()) || unreadable_success
}

impl PartialTemplate {
    /// Every text made printable ([`super::text`]): the answer came from the network.
    fn printable(mut self) -> Self {
        use super::text::{json, line, opt_line};
        line(&mut self.id);
        opt_line(&mut self.name);
        opt_line(&mut self.language);
        for s in [&mut self.status].into_iter().flatten() {
            if let TemplateStatus::Other(o) = s {
                line(o);
            }
        }
        for c in [&mut self.category].into_iter().flatten() {
            if let Category::Other(o) = c {
                line(o);
            }
        }
        if let Some(ParameterFormat::Other(o)) = &mut self.parameter_format {
            line(o);
        }
        for c in self.components.iter_mut().flatten() {
            json(c);
        }
        opt_line(&mut self.quality_score);
        opt_line(&mut self.rejected_reason);
        opt_line(&mut self.correct_category);
        opt_line(&mut self.previous_category);
        self
    }
}

pub(crate) fn complete(
    partial: PartialTemplate,
    endpoint: &str,
) -> Result<RemoteTemplate, ApiError> {
    let partial = partial.printable();
    let id = partial.id.clone();
    partial.into_remote().map_err(|field| ApiError::Decode {
        endpoint: endpoint.to_owned(),
        status: 200,
        reason: format!("template {id} has no `{field}`"),
        snippet: String::new(),
        truncated: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_parse_any_case_and_keep_unknowns() {
        assert_eq!(TemplateStatus::parse("approved"), TemplateStatus::Approved);
        assert_eq!(
            TemplateStatus::parse("FLAGGED"),
            TemplateStatus::Other("FLAGGED".into())
        );
        assert_eq!(Category::parse("utility").as_str(), "UTILITY");
        assert_eq!(
            serde_json::to_value(Category::parse("marketing")).unwrap(),
            json!("MARKETING")
        );
    }

    #[test]
    fn create_body_shape() {
        let t = CreateTemplate {
            name: "order_shipped".into(),
            language: "en_US".into(),
            category: Category::parse("utility"),
            parameter_format: Some(ParameterFormat::Positional),
            components: vec![json!({"type": "BODY", "text": "Hi {{1}}"})],
            allow_category_change: None,
        };
        assert_eq!(
            serde_json::to_value(&t).unwrap(),
            json!({"name": "order_shipped", "language": "en_US", "category": "UTILITY",
                   "parameter_format": "POSITIONAL",
                   "components": [{"type": "BODY", "text": "Hi {{1}}"}]})
        );
    }

    #[test]
    fn quality_score_object_or_string() {
        let p: PartialTemplate = serde_json::from_value(
            json!({"id": "1", "quality_score": {"score": "GREEN", "date": 1}}),
        )
        .unwrap();
        assert_eq!(p.quality_score.as_deref(), Some("GREEN"));
        let p: PartialTemplate =
            serde_json::from_value(json!({"id": "1", "quality_score": "RED"})).unwrap();
        assert_eq!(p.quality_score.as_deref(), Some("RED"));
    }
}
