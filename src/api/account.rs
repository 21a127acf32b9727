//! Account checks for `wt doctor`: token introspection, phone numbers, subscribed apps.

use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::error::ApiError;
use super::GraphClient;

/// Permission needed to manage templates (`meta/api.md` §1.0).
pub const SCOPE_MANAGEMENT: &str = "whatsapp_business_management";
/// Permission needed to send messages (`meta/api.md` §1.0, §1.5: delete with only this one fails with 200).
pub const SCOPE_MESSAGING: &str = "whatsapp_business_messaging";

/// Fields requested for phone numbers (shape from Meta's OpenAPI example for
/// `GET /{WABA-ID}/phone_numbers`).
const PHONE_FIELDS: &str = "id,display_phone_number,verified_name,status,quality_rating,code_verification_status,name_status,messaging_limit_tier,account_mode";

/// What `debug_token` says about the configured token.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenInfo {
    /// Whether Meta accepts the token.
    #[serde(default)]
    pub is_valid: bool,
    /// App the token belongs to.
    #[serde(default)]
    pub app_id: Option<String>,
    /// App name.
    #[serde(default)]
    pub application: Option<String>,
    /// `USER`, `SYSTEM_USER`, `PAGE`, `APP`.
    #[serde(default, rename = "type")]
    pub token_type: Option<String>,
    /// User or system user id.
    #[serde(default)]
    pub user_id: Option<String>,
    /// Unix time of expiry; `0` means never (system-user tokens).
    #[serde(default)]
    pub expires_at: Option<i64>,
    /// Unix time when data access expires.
    #[serde(default)]
    pub data_access_expires_at: Option<i64>,
    /// Unix time of issue.
    #[serde(default)]
    pub issued_at: Option<i64>,
    /// Granted permissions.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Permissions with the objects (WABA ids) they apply to.
    #[serde(default)]
    pub granular_scopes: Vec<GranularScope>,
}

/// A permission limited to some objects.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GranularScope {
    /// Permission name.
    pub scope: String,
    /// Object ids it applies to; empty means all.
    #[serde(default)]
    pub target_ids: Vec<String>,
}

impl TokenInfo {
    /// Expiry as Unix seconds; `None` when the token never expires.
    pub fn expiry(&self) -> Option<i64> {
        self.expires_at.filter(|&t| t > 0)
    }

    /// Whether `scope` is granted.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    /// Whether `scope` is granted for the object `target_id` (a WABA id): granted overall
    /// and, if granular scopes name targets for it, that list includes `target_id`.
    pub fn has_scope_for(&self, scope: &str, target_id: &str) -> bool {
        if !self.has_scope(scope) {
            return false;
        }
        self.granular_scopes
            .iter()
            .filter(|g| g.scope == scope && !g.target_ids.is_empty())
            .all(|g| g.target_ids.iter().any(|t| t == target_id))
    }
}

/// A phone number of the WABA.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneNumber {
    /// Phone-number id.
    pub id: String,
    /// `+1 631-555-5555`.
    #[serde(default)]
    pub display_phone_number: Option<String>,
    /// Approved display name.
    #[serde(default)]
    pub verified_name: Option<String>,
    /// `CONNECTED`, `LINKED`, `PENDING`, ...
    #[serde(default)]
    pub status: Option<String>,
    /// `GREEN`, `YELLOW`, `RED`, `UNKNOWN`.
    #[serde(default)]
    pub quality_rating: Option<String>,
    /// `VERIFIED`, `NOT_VERIFIED`, ...
    #[serde(default)]
    pub code_verification_status: Option<String>,
    /// Display-name review status.
    #[serde(default)]
    pub name_status: Option<String>,
    /// `TIER_1K`, ...
    #[serde(default)]
    pub messaging_limit_tier: Option<String>,
    /// `LIVE` or `SANDBOX`.
    #[serde(default)]
    pub account_mode: Option<String>,
}

/// Fields requested for the WABA node (Meta's OpenAPI file, `GET /{Version}/{WABA-ID}`).
const WABA_FIELDS: &str = "id,name,account_review_status,business_verification_status";

/// The WhatsApp Business Account node.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WabaInfo {
    /// WABA id.
    pub id: String,
    /// Account name.
    #[serde(default)]
    pub name: Option<String>,
    /// `APPROVED`, `PENDING`, `REJECTED`.
    #[serde(default)]
    pub account_review_status: Option<String>,
    /// `VERIFIED`, `UNVERIFIED`, ...
    #[serde(default)]
    pub business_verification_status: Option<String>,
}

/// An app subscribed to the WABA's webhooks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscribedApp {
    /// App id.
    #[serde(default)]
    pub id: Option<String>,
    /// App name.
    #[serde(default)]
    pub name: Option<String>,
    /// App link.
    #[serde(default)]
    pub link: Option<String>,
}

#[derive(Deserialize)]
struct SubscribedAppWire {
    #[serde(default)]
    whatsapp_business_api_data: Option<SubscribedApp>,
}

#[derive(Deserialize)]
struct DebugTokenWire {
    data: TokenInfo,
}

/// Account calls; get one with [`GraphClient::account`].
#[derive(Debug, Clone, Copy)]
pub struct AccountApi<'c> {
    client: &'c GraphClient,
}

impl<'c> AccountApi<'c> {
    pub(crate) fn new(client: &'c GraphClient) -> Self {
        Self { client }
    }

    /// Introspects the configured token (`GET /{ver}/debug_token?input_token=…`).
    ///
    /// Meta's API puts the token in the query string here. The URL is only ever shown
    /// without its query (errors, [`RequestEvent`](super::RequestEvent)), so the token
    /// stays out of messages and logs.
    pub fn debug_token(&self) -> Result<TokenInfo, ApiError> {
        let mut url = self.client.url(&["debug_token"]);
        url.query_pairs_mut()
            .append_pair("input_token", self.client.config().token.expose());
        let wire: DebugTokenWire = self.client.execute(Method::GET, &url, None).result?;
        Ok(wire.data)
    }

    /// The WABA itself (`GET /{ver}/{waba}?fields=…`): one cheap call that proves the
    /// account exists and the token may read it.
    pub fn waba(&self) -> Result<WabaInfo, ApiError> {
        let mut url = self.client.url(&[self.client.waba_id()]);
        url.query_pairs_mut().append_pair("fields", WABA_FIELDS);
        self.client.execute(Method::GET, &url, None).result
    }

    /// Phone numbers of the WABA, all pages (`GET /{ver}/{waba}/phone_numbers`).
    pub fn phone_numbers(&self) -> Result<Vec<PhoneNumber>, ApiError> {
        let mut url = self.client.url(&[self.client.waba_id(), "phone_numbers"]);
        url.query_pairs_mut().append_pair("fields", PHONE_FIELDS);
        self.client.get_all_pages(url)
    }

    /// Apps subscribed to the WABA (`GET /{ver}/{waba}/subscribed_apps`).
    pub fn subscribed_apps(&self) -> Result<Vec<SubscribedApp>, ApiError> {
        let url = self.client.url(&[self.client.waba_id(), "subscribed_apps"]);
        let wires: Vec<SubscribedAppWire> = self.client.get_all_pages(url)?;
        Ok(wires
            .into_iter()
            .filter_map(|w| w.whatsapp_business_api_data)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_for_a_waba() {
        let info = TokenInfo {
            is_valid: true,
            scopes: vec![SCOPE_MANAGEMENT.into(), SCOPE_MESSAGING.into()],
            granular_scopes: vec![GranularScope {
                scope: SCOPE_MANAGEMENT.into(),
                target_ids: vec!["1".into()],
            }],
            ..TokenInfo::default()
        };
        assert!(info.has_scope_for(SCOPE_MANAGEMENT, "1"));
        assert!(!info.has_scope_for(SCOPE_MANAGEMENT, "2"));
        assert!(info.has_scope_for(SCOPE_MESSAGING, "2"));
        assert!(!info.has_scope_for("other", "1"));
        assert_eq!(
            TokenInfo {
                expires_at: Some(0),
                ..info
            }
            .expiry(),
            None
        );
    }
}
