//! The one error type of the crate. No message ever holds the token or patient data:
//! a bad response is described by its status, content type, length and shape, never by
//! its values.

use std::fmt;
use std::time::Duration;

/// Everything that can go wrong, one variant per kind.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The credentials or client settings are unusable (a token that is not 32 bytes,
    /// a base URL that is not https, an unreadable CA certificate, a timeout out of range).
    #[error("configuration: {message}")]
    Config {
        /// What is wrong, naming the setting.
        message: String,
    },

    /// A request field breaks a rule of the spec; nothing was sent.
    #[error("invalid request: field `{field}` {rule}")]
    Validation {
        /// The field, by the spec's name.
        field: String,
        /// The rule it breaks.
        rule: String,
    },

    /// No endpoint of the spec has this name.
    #[error("unknown endpoint `{name}`; expected one of: {expected}")]
    UnknownEndpoint {
        /// The name asked for.
        name: String,
        /// The endpoints there are, comma-separated.
        expected: String,
    },

    /// The platform could not be reached, the connection broke, or the answer was too
    /// large; [`TransportKind`] says which, after the retries that could help.
    #[error("transport ({kind}): {message}")]
    Transport {
        /// Which kind of failure.
        kind: TransportKind,
        /// What the transport said, without the URL's query or credentials.
        message: String,
    },

    /// No complete answer within the per-attempt timeout, after the retries.
    #[error("timed out after {0:?}")]
    Timeout(Duration),

    /// The platform answered with an HTTP status other than 2xx.
    #[error("HTTP status {status} from the platform ({})", ResponseShape { content_type, length: *length })]
    Http {
        /// The HTTP status code.
        status: u16,
        /// The response's media type, such as `text/html`, if it named a plausible one.
        content_type: Option<String>,
        /// The response body's length in bytes.
        length: usize,
    },

    /// The answer is not the JSON the spec describes: its shape (the key that is
    /// missing or of the wrong type), never its values.
    #[error("undecodable response: {message}")]
    Decode {
        /// Where the answer departs from the spec.
        message: String,
    },

    /// The platform answered with a code other than success.
    #[error("AIMIS error {code}{}: {message}", name.map(|n| format!(" ({n})")).unwrap_or_default())]
    Api {
        /// The platform's code.
        code: i64,
        /// The spec's name for the code, if it lists it.
        name: Option<&'static str>,
        /// The platform's message.
        message: String,
    },

    /// A field could not be decrypted.
    #[error("field `{field}`: {error}")]
    Crypto {
        /// The field, by the spec's name.
        field: String,
        /// Why it could not be decrypted.
        error: CryptoError,
    },

    /// An inbound callback failed verification.
    #[error("callback refused: {0}")]
    Callback(#[from] CallbackError),

    /// The caller stopped the call while it waited (Ctrl-C in Python, a cancelled
    /// batch); nothing more was sent for it, and its answer reaches nobody.
    #[error("interrupted")]
    Interrupted,
}

/// What kind of transport failure it was, for programs to branch on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportKind {
    /// Nothing listens at the address (or a firewall said no).
    ConnectionRefused,
    /// The host name could not be resolved.
    Dns,
    /// The server's TLS certificate is not trusted: behind a TLS-inspecting proxy, add
    /// its CA certificate (`add_root_certificates_pem`, `ca_certs=`, `--ca-file`).
    TlsCertificate,
    /// The connection was reset or closed before the answer was complete.
    ConnectionReset,
    /// No complete answer in time ([`Error::Timeout`] carries the limit).
    Timeout,
    /// The answer is larger than the client accepts.
    BodyTooLarge,
    /// Anything else: the proxy refused, another TLS failure, a protocol error.
    Other,
}

impl TransportKind {
    /// A stable snake_case name: `connection_refused`, `dns`, `tls_certificate`, ...
    pub fn name(self) -> &'static str {
        match self {
            TransportKind::ConnectionRefused => "connection_refused",
            TransportKind::Dns => "dns",
            TransportKind::TlsCertificate => "tls_certificate",
            TransportKind::ConnectionReset => "connection_reset",
            TransportKind::Timeout => "timeout",
            TransportKind::BodyTooLarge => "body_too_large",
            TransportKind::Other => "other",
        }
    }

    /// Whether trying again may succeed. A certificate will not become trusted and an
    /// answer will not shrink by asking again.
    pub fn is_transient(self) -> bool {
        !matches!(
            self,
            TransportKind::TlsCertificate | TransportKind::BodyTooLarge
        )
    }
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name().replace('_', " "))
    }
}

/// `text/html, 1234 bytes`: what an error may say about a response body.
pub(crate) struct ResponseShape<'a> {
    pub content_type: &'a Option<String>,
    pub length: usize,
}

impl fmt::Display for ResponseShape<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.content_type {
            Some(media) => write!(f, "{media}, {} bytes", self.length),
            None => write!(f, "no content type, {} bytes", self.length),
        }
    }
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

impl CryptoError {
    /// A stable snake_case name: `bad_encoding`, `bad_length`, `bad_padding`, `not_utf8`.
    pub fn reason(self) -> &'static str {
        match self {
            CryptoError::BadEncoding(_) => "bad_encoding",
            CryptoError::BadLength => "bad_length",
            CryptoError::BadPadding => "bad_padding",
            CryptoError::NotUtf8 => "not_utf8",
        }
    }
}

/// Why an inbound callback was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallbackError {
    /// A required header is absent.
    #[error("missing header `{0}`")]
    MissingHeader(&'static str),
    /// A security header is present more than once with different values: ambiguous.
    #[error("header `{0}` is present more than once with different values")]
    DuplicateHeader(&'static str),
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
    /// The body is not one JSON object with distinct keys that fits the spec.
    #[error("body {0}")]
    MalformedBody(String),
    /// A field is missing, of the wrong type, or cannot be decrypted.
    #[error("field `{field}` {rule}")]
    Field {
        /// The field, by the spec's name.
        field: String,
        /// The rule it breaks.
        rule: String,
    },
}

impl CallbackError {
    /// A stable snake_case name for handlers to branch on, the same in every language:
    /// `missing_header`, `duplicate_header`, `app_id_mismatch`, `bad_timestamp`,
    /// `stale`, `from_future`, `bad_signature`, `malformed_body`, `field`.
    pub fn reason(&self) -> &'static str {
        match self {
            CallbackError::MissingHeader(_) => "missing_header",
            CallbackError::DuplicateHeader(_) => "duplicate_header",
            CallbackError::AppIdMismatch => "app_id_mismatch",
            CallbackError::BadTimestamp => "bad_timestamp",
            CallbackError::Stale(_) => "stale",
            CallbackError::FromFuture(_) => "from_future",
            CallbackError::BadSignature => "bad_signature",
            CallbackError::MalformedBody(_) => "malformed_body",
            CallbackError::Field { .. } => "field",
        }
    }
}

impl Error {
    /// The platform's code, for [`Error::Api`].
    pub fn api_code(&self) -> Option<i64> {
        match self {
            Error::Api { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// The kind of error as a stable snake_case word, as batch output and the bindings
    /// name it: `config`, `validation`, `unknown_endpoint`, `transport`, `timeout`,
    /// `http`, `decode`, `api`, `crypto`, `callback` or `interrupted`.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Config { .. } => "config",
            Error::Validation { .. } => "validation",
            Error::UnknownEndpoint { .. } => "unknown_endpoint",
            Error::Transport { .. } => "transport",
            Error::Timeout(_) => "timeout",
            Error::Http { .. } => "http",
            Error::Decode { .. } => "decode",
            Error::Api { .. } => "api",
            Error::Crypto { .. } => "crypto",
            Error::Callback(_) => "callback",
            Error::Interrupted => "interrupted",
        }
    }

    /// The kind of transport failure, for [`Error::Transport`] and [`Error::Timeout`].
    pub fn transport_kind(&self) -> Option<TransportKind> {
        match self {
            Error::Transport { kind, .. } => Some(*kind),
            Error::Timeout(_) => Some(TransportKind::Timeout),
            _ => None,
        }
    }

    /// Whether the same call may succeed if tried again: connection failures, resets,
    /// timeouts, and HTTP 429, 502, 503 and 504. Never a certificate failure, an
    /// answer over the size limit, another 4xx or 5xx, or an undecodable answer.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Transport { kind, .. } => kind.is_transient(),
            Error::Timeout(_) => true,
            Error::Http { status, .. } => matches!(status, 429 | 502 | 503 | 504),
            _ => false,
        }
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
