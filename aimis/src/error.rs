//! The one error type of the crate. No message ever holds the token or patient data.

use std::time::Duration;

/// Everything that can go wrong, one variant per kind.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The credentials or client settings are unusable (a token that is not 32 bytes,
    /// a base URL that is not https, an unreadable CA certificate).
    #[error("configuration: {message}")]
    Config { message: String },

    /// A request field breaks a rule of the spec; nothing was sent.
    #[error("invalid request: field `{field}` {rule}")]
    Validation { field: String, rule: String },

    /// No endpoint of the spec has this name.
    #[error("unknown endpoint `{name}`; expected one of: {expected}")]
    UnknownEndpoint { name: String, expected: String },

    /// The platform could not be reached or the connection broke (DNS, connect, TLS,
    /// reset, truncated body), after the retries.
    #[error("transport: {message}")]
    Transport { message: String },

    /// No complete answer within the timeout, after the retries.
    #[error("timed out after {0:?}")]
    Timeout(Duration),

    /// The platform answered with an HTTP status other than 2xx.
    #[error("HTTP status {status} from the platform: {body}")]
    Http { status: u16, body: String },

    /// The answer is not the JSON the spec describes.
    #[error("undecodable response: {message}")]
    Decode { message: String },

    /// The platform answered with a code other than success.
    #[error("AIMIS error {code}{}: {message}", name.map(|n| format!(" ({n})")).unwrap_or_default())]
    Api {
        code: i64,
        name: Option<&'static str>,
        message: String,
    },

    /// A field could not be decrypted.
    #[error("field `{field}`: {error}")]
    Crypto { field: String, error: CryptoError },

    /// An inbound callback failed verification.
    #[error("callback refused: {0}")]
    Callback(#[from] CallbackError),
}

/// Why a ciphertext could not be decrypted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CryptoError {
    /// Not valid hex (or base64, as the spec says).
    #[error("not valid {0}")]
    BadEncoding(&'static str),
    /// Not a whole number of 16-byte blocks.
    #[error("ciphertext length is not a multiple of 16 bytes")]
    BadLength,
    /// The padding is wrong: another key, or damaged ciphertext.
    #[error("bad padding (wrong token or damaged ciphertext)")]
    BadPadding,
    /// The plaintext is not UTF-8.
    #[error("plaintext is not UTF-8")]
    NotUtf8,
}

/// Why an inbound callback was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallbackError {
    /// A required header is absent.
    #[error("missing header `{0}`")]
    MissingHeader(&'static str),
    /// The appId header is not ours.
    #[error("appId header does not match this partner")]
    AppIdMismatch,
    /// The timestamp header is not a decimal number.
    #[error("timestamp header is not a number")]
    BadTimestamp,
    /// The timestamp is older than the freshness window.
    #[error("timestamp is {0:?} old, over the allowed skew")]
    Stale(Duration),
    /// The timestamp is further in the future than the freshness window.
    #[error("timestamp is {0:?} in the future, over the allowed skew")]
    FromFuture(Duration),
    /// The signature does not match.
    #[error("signature mismatch")]
    BadSignature,
    /// The body is not a JSON object.
    #[error("body is not a JSON object: {0}")]
    MalformedBody(String),
    /// A field is missing, of the wrong type, or cannot be decrypted.
    #[error("field `{field}` {rule}")]
    Field { field: String, rule: String },
}

impl Error {
    /// The platform's code, for [`Error::Api`].
    pub fn api_code(&self) -> Option<i64> {
        match self {
            Error::Api { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// Whether retrying the same call later may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, Error::Transport { .. } | Error::Timeout(_))
            || matches!(self, Error::Http { status, .. } if *status >= 500 || *status == 429)
    }

    pub(crate) fn validation(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Error::Validation {
            field: field.into(),
            rule: rule.into(),
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }
}
