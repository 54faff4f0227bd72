//! What the platform received: one record per API request, for tests that count
//! attempts and retries.

use serde::Serialize;

use crate::faults::FaultKind;

/// One API request as the simulator saw it. Holds no request data.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestRecord {
    /// The endpoint's name in the spec.
    pub endpoint: &'static str,
    /// The envelope code answered, if the platform answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<i64>,
    /// The fault applied to the request, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<FaultKind>,
}

impl RequestRecord {
    pub(crate) fn new(endpoint: &'static str) -> Self {
        RequestRecord {
            endpoint,
            code: None,
            fault: None,
        }
    }
}
