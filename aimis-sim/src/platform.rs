//! What the platform does with one API request: check the appId, the timestamp and the
//! signature, decode and validate the body as the spec says, then answer from the
//! fixtures in the platform's envelope. Pure and synchronous; the HTTP layer is
//! `server.rs`.

use std::sync::Mutex;
use std::time::Duration;

use aimis::crypto::{FieldCipher, Signer};
use aimis::registry::EndpointDef;
use aimis::{Clock, Credentials, Error, SERVICE, SystemClock};
use serde_json::{Map, Value};

use crate::fixtures::Fixtures;
use crate::queries;

/// The platform's codes the simulator answers with.
pub mod code {
    pub const PARAMETER_ERROR: i64 = 1;
    pub const NOT_FOUND: i64 = 10003;
    pub const UNKNOWN_APP: i64 = 90001;
    pub const BAD_SIGNATURE: i64 = 90002;
}

/// An answer other than success: the envelope's code and message. Messages name
/// fields and rules, never values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: i64,
    pub message: String,
}

impl Refusal {
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        Refusal {
            code,
            message: message.into(),
        }
    }

    pub fn not_found(what: &str) -> Self {
        Refusal::new(code::NOT_FOUND, format!("no data: {what}"))
    }

    /// Maps a decoding or validation error of the core to a parameter error.
    pub fn from_request_error(error: Error) -> Self {
        let message = match error {
            Error::Validation { field, rule } => format!("parameter error: `{field}` {rule}"),
            Error::Crypto { field, .. } => {
                format!("parameter error: `{field}` cannot be decrypted with this app's token")
            }
            Error::Decode { .. } => {
                "parameter error: the body is not a JSON object of the expected fields".into()
            }
            _ => "parameter error".into(),
        };
        Refusal::new(code::PARAMETER_ERROR, message)
    }
}

/// The platform as one partner app sees it.
pub struct Platform {
    app_id: String,
    signer: Signer,
    pub(crate) cipher: FieldCipher,
    max_skew: Duration,
    clock: Box<dyn Clock>,
    pub(crate) fixtures: Mutex<Fixtures>,
}

impl std::fmt::Debug for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Platform")
            .field("app_id", &self.app_id)
            .finish_non_exhaustive()
    }
}

impl Platform {
    pub fn new(credentials: &Credentials, fixtures: Fixtures) -> Self {
        Platform {
            app_id: credentials.app_id().to_owned(),
            signer: Signer::new(credentials.token(), &SERVICE.auth),
            cipher: FieldCipher::new(credentials.token(), &SERVICE.cipher),
            max_skew: Duration::from_secs(SERVICE.auth.max_skew_seconds),
            clock: Box::new(SystemClock),
            fixtures: Mutex::new(fixtures),
        }
    }

    /// Answers one request to `endpoint`, with the appId from the path.
    pub fn answer(
        &self,
        endpoint: &EndpointDef,
        path_app_id: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<Value, Refusal> {
        self.authenticate(path_app_id, headers)?;
        let answer = queries::handler(endpoint)
            .ok_or_else(|| Refusal::not_found("this endpoint has no data in the simulator"))?;
        let fixtures = self
            .fixtures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        answer(&self.cipher, &fixtures, body)
    }

    /// appId in the path and the header (90001), timestamp freshness and signature (90002).
    fn authenticate(&self, path_app_id: &str, headers: &[(&str, &str)]) -> Result<(), Refusal> {
        let auth = &SERVICE.auth;
        let header = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim())
        };
        if path_app_id != self.app_id {
            return Err(Refusal::new(
                code::UNKNOWN_APP,
                "invalid token: unknown appId",
            ));
        }
        match header(auth.app_id_header) {
            None => {
                return Err(Refusal::new(
                    code::UNKNOWN_APP,
                    format!("invalid token: missing `{}` header", auth.app_id_header),
                ));
            }
            Some(app_id) if app_id != path_app_id => {
                return Err(Refusal::new(
                    code::UNKNOWN_APP,
                    format!(
                        "invalid token: the `{}` header does not match the appId in the path",
                        auth.app_id_header
                    ),
                ));
            }
            Some(_) => {}
        }
        let bad =
            |why: String| Refusal::new(code::BAD_SIGNATURE, format!("invalid signature: {why}"));
        let timestamp = header(auth.timestamp_header)
            .ok_or_else(|| bad(format!("missing `{}` header", auth.timestamp_header)))?;
        let signature = header(auth.signature_header)
            .ok_or_else(|| bad(format!("missing `{}` header", auth.signature_header)))?;
        let sent: u64 = timestamp.parse().map_err(|_| {
            bad(format!(
                "the `{}` header is not a decimal number",
                auth.timestamp_header
            ))
        })?;
        let sent_ms = auth.timestamp.millis(sent);
        let now = self.clock.now_millis();
        if now.abs_diff(sent_ms) > self.max_skew.as_millis() as u64 {
            return Err(bad(format!(
                "the timestamp is more than {} seconds away from the platform's clock",
                self.max_skew.as_secs()
            )));
        }
        if !self.signer.verify(&self.app_id, timestamp, signature) {
            return Err(bad(
                "the signature does not match appId + timestamp under this app's token".into(),
            ));
        }
        Ok(())
    }
}

/// The platform's envelope around an answer.
pub fn envelope(answer: &Result<Value, Refusal>) -> Value {
    let names = &SERVICE.envelope;
    let mut body = Map::new();
    let (code, message, data) = match answer {
        Ok(data) => (
            names.success,
            names.success_message.to_owned(),
            data.clone(),
        ),
        Err(refusal) => (refusal.code, refusal.message.clone(), Value::Null),
    };
    body.insert(names.code.into(), code.into());
    body.insert(names.message.into(), message.into());
    body.insert(names.data.into(), data);
    Value::Object(body)
}
