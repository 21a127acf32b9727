//! The `X-Business-Use-Case-Usage` response header (`meta/api.md` §7).
//!
//! A JSON object keyed by business-object id (the WABA id), each holding an array of
//! `{type, call_count, total_cputime, total_time, estimated_time_to_regain_access}`.
//! The three usage values are percentages (0–100); `estimated_time_to_regain_access` is in
//! **minutes**.

use std::time::Duration;

use serde_json::Value;

/// Name of the header (`meta/api.md` §7).
pub const BUC_USAGE_HEADER: &str = "x-business-use-case-usage";

/// One entry of the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageEntry {
    /// The business object (WABA) id the entry is about.
    pub object_id: String,
    /// Use case, e.g. `whatsapp_business_management`.
    pub kind: String,
    /// Percentage of the call-count budget used.
    pub call_count: u32,
    /// Percentage of the CPU-time budget used.
    pub total_cputime: u32,
    /// Percentage of the total-time budget used.
    pub total_time: u32,
    /// Minutes until calls are accepted again; 0 when not blocked.
    pub estimated_time_to_regain_access: u32,
}

/// The parsed header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BusinessUseCaseUsage {
    /// All entries, in header order.
    pub entries: Vec<UsageEntry>,
}

impl BusinessUseCaseUsage {
    /// Parses the header value; `None` if it is not the documented JSON shape.
    /// Numbers sent as strings are accepted.
    pub fn parse(header: &str) -> Option<Self> {
        let root: Value = serde_json::from_str(header).ok()?;
        let mut entries = Vec::new();
        for (object_id, list) in root.as_object()? {
            for item in list.as_array()? {
                let num = |key: &str| -> u32 {
                    match item.get(key) {
                        Some(Value::Number(n)) => n
                            .as_u64()
                            .or_else(|| n.as_f64().map(|f| f.max(0.0).ceil() as u64))
                            .map_or(0, |v| u32::try_from(v).unwrap_or(u32::MAX)),
                        Some(Value::String(s)) => s.trim().parse().unwrap_or(0),
                        _ => 0,
                    }
                };
                entries.push(UsageEntry {
                    object_id: object_id.clone(),
                    kind: item
                        .get("type")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    call_count: num("call_count"),
                    total_cputime: num("total_cputime"),
                    total_time: num("total_time"),
                    estimated_time_to_regain_access: num("estimated_time_to_regain_access"),
                });
            }
        }
        Some(Self { entries })
    }

    /// The longest `estimated_time_to_regain_access` as a duration; `None` when zero or absent.
    pub fn regain_access_wait(&self) -> Option<Duration> {
        let minutes = self
            .entries
            .iter()
            .map(|e| e.estimated_time_to_regain_access)
            .max()?;
        (minutes > 0).then(|| Duration::from_secs(u64::from(minutes) * 60))
    }

    /// The highest usage percentage of any budget in any entry (for `-v` output and
    /// pre-emptive slowing down near 100 %).
    pub fn max_usage_percent(&self) -> u32 {
        self.entries
            .iter()
            .flat_map(|e| [e.call_count, e.total_cputime, e.total_time])
            .max()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example from Meta's OpenAPI file (`meta/openapi/business-messaging-api_v23.0.yaml`).
    const OAS_EXAMPLE: &str = r#"{"102290129340398":[{"type":"whatsapp_business_management","call_count":1,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":0},{"type":"whatsapp","call_count":1,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":0}]}"#;

    #[test]
    fn parses_openapi_example() {
        let u = BusinessUseCaseUsage::parse(OAS_EXAMPLE).unwrap();
        assert_eq!(u.entries.len(), 2);
        assert_eq!(u.entries[0].object_id, "102290129340398");
        assert_eq!(u.entries[0].kind, "whatsapp_business_management");
        assert_eq!(u.regain_access_wait(), None);
        assert_eq!(u.max_usage_percent(), 1);
    }

    #[test]
    fn regain_minutes_become_a_duration() {
        let u = BusinessUseCaseUsage::parse(
            r#"{"1":[{"type":"a","call_count":100,"estimated_time_to_regain_access":3}],
                "2":[{"type":"b","call_count":"40","estimated_time_to_regain_access":"12"}]}"#,
        )
        .unwrap();
        assert_eq!(u.regain_access_wait(), Some(Duration::from_secs(12 * 60)));
        assert_eq!(u.max_usage_percent(), 100);
    }

    #[test]
    fn garbage_is_none() {
        assert_eq!(BusinessUseCaseUsage::parse("nope"), None);
        assert_eq!(BusinessUseCaseUsage::parse("[1]"), None);
    }
}
