//! The result codes of every call, and the one place core errors are mapped to them.

use core_aimis::{CallbackError, Error, TransportKind};

/// What a call did. `AIMIS_OK` is success; every other value is a failure whose details
/// `aimis_last_error_message()` gives. The numbers are part of the ABI: they never change
/// and are never reused, and new ones may be added, so treat unknown values as failures.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum aimis_result {
    /// Success; the out-parameter was written.
    AIMIS_OK = 0,
    /// A required pointer argument is NULL.
    AIMIS_NULL_ARGUMENT = 1,
    /// A string argument is not valid UTF-8.
    AIMIS_INVALID_UTF8 = 2,
    /// `request_json` is not valid JSON.
    AIMIS_INVALID_JSON = 3,
    /// Unusable credentials or options: a token that is not 32 bytes, a bad app id,
    /// base URL, proxy or CA certificate.
    AIMIS_CONFIG = 4,
    /// A request field or argument breaks a rule of the spec; nothing was sent. The
    /// message names the field and the rule.
    AIMIS_VALIDATION = 5,
    /// No endpoint of the spec has this name.
    AIMIS_UNKNOWN_ENDPOINT = 6,
    /// The platform could not be reached or the connection broke, after the retries, in
    /// a way none of the kinds below names (a proxy's refusal, a protocol error).
    AIMIS_TRANSPORT = 7,
    /// No complete answer within the timeout, after the retries.
    AIMIS_TIMEOUT = 8,
    /// The platform answered with an HTTP status other than 2xx.
    AIMIS_HTTP = 9,
    /// The platform's answer is not what the spec describes.
    AIMIS_DECODE = 10,
    /// The platform answered with an error code; see `aimis_last_api_code()`.
    AIMIS_API = 11,
    /// A ciphertext could not be decrypted (bad hex, wrong token, damaged data).
    AIMIS_CRYPTO = 12,
    /// A callback failed authentication: a missing header, another appId, a stale or
    /// future timestamp, or a wrong signature. Answer it with an error; do not process it.
    AIMIS_CALLBACK_REJECTED = 13,
    /// A callback is authentic but its body is not valid JSON or breaks the spec.
    AIMIS_CALLBACK_MALFORMED = 14,
    /// A bug in libaimis, caught before it could reach the host program.
    AIMIS_INTERNAL = 15,
    /// The caller's buffer is too small for the answer; `*needed` holds the size it
    /// needs, its terminating NUL included, and nothing else was written. (`_into`
    /// functions only.)
    AIMIS_BUFFER_TOO_SMALL = 16,
    /// A string argument is not valid in the chosen text encoding (GB18030), or an
    /// answer holds a character that encoding cannot represent. Text is never replaced.
    AIMIS_INVALID_TEXT = 17,
    /// Nothing listens at the platform's address (or a firewall refused the connection).
    /// A kind of transport failure.
    AIMIS_CONNECTION_REFUSED = 18,
    /// The platform's host name could not be resolved. A kind of transport failure.
    AIMIS_DNS = 19,
    /// The server's TLS certificate is not trusted: behind a TLS-inspecting proxy, trust
    /// its CA with `aimis_options_add_ca_file`. Not retried.
    AIMIS_TLS_CERTIFICATE = 20,
    /// The connection was reset or closed before the answer was complete, after the
    /// retries. A kind of transport failure.
    AIMIS_CONNECTION_RESET = 21,
    /// The answer is larger than the library accepts (16 MiB). Not retried.
    AIMIS_BODY_TOO_LARGE = 22,
    /// The inbox's database could not be opened, read or written.
    AIMIS_STORE = 23,
}

impl aimis_result {
    /// Every code, in numeric order.
    pub(crate) const ALL: [aimis_result; 24] = [
        aimis_result::AIMIS_OK,
        aimis_result::AIMIS_NULL_ARGUMENT,
        aimis_result::AIMIS_INVALID_UTF8,
        aimis_result::AIMIS_INVALID_JSON,
        aimis_result::AIMIS_CONFIG,
        aimis_result::AIMIS_VALIDATION,
        aimis_result::AIMIS_UNKNOWN_ENDPOINT,
        aimis_result::AIMIS_TRANSPORT,
        aimis_result::AIMIS_TIMEOUT,
        aimis_result::AIMIS_HTTP,
        aimis_result::AIMIS_DECODE,
        aimis_result::AIMIS_API,
        aimis_result::AIMIS_CRYPTO,
        aimis_result::AIMIS_CALLBACK_REJECTED,
        aimis_result::AIMIS_CALLBACK_MALFORMED,
        aimis_result::AIMIS_INTERNAL,
        aimis_result::AIMIS_BUFFER_TOO_SMALL,
        aimis_result::AIMIS_INVALID_TEXT,
        aimis_result::AIMIS_CONNECTION_REFUSED,
        aimis_result::AIMIS_DNS,
        aimis_result::AIMIS_TLS_CERTIFICATE,
        aimis_result::AIMIS_CONNECTION_RESET,
        aimis_result::AIMIS_BODY_TOO_LARGE,
        aimis_result::AIMIS_STORE,
    ];

    /// The code with this number; C may pass any int.
    pub(crate) fn from_i32(value: i32) -> Option<aimis_result> {
        Self::ALL.into_iter().find(|r| *r as i32 == value)
    }

    /// The name as C writes it, for logs.
    pub(crate) fn name(self) -> &'static std::ffi::CStr {
        match self {
            aimis_result::AIMIS_OK => c"AIMIS_OK",
            aimis_result::AIMIS_NULL_ARGUMENT => c"AIMIS_NULL_ARGUMENT",
            aimis_result::AIMIS_INVALID_UTF8 => c"AIMIS_INVALID_UTF8",
            aimis_result::AIMIS_INVALID_JSON => c"AIMIS_INVALID_JSON",
            aimis_result::AIMIS_CONFIG => c"AIMIS_CONFIG",
            aimis_result::AIMIS_VALIDATION => c"AIMIS_VALIDATION",
            aimis_result::AIMIS_UNKNOWN_ENDPOINT => c"AIMIS_UNKNOWN_ENDPOINT",
            aimis_result::AIMIS_TRANSPORT => c"AIMIS_TRANSPORT",
            aimis_result::AIMIS_TIMEOUT => c"AIMIS_TIMEOUT",
            aimis_result::AIMIS_HTTP => c"AIMIS_HTTP",
            aimis_result::AIMIS_DECODE => c"AIMIS_DECODE",
            aimis_result::AIMIS_API => c"AIMIS_API",
            aimis_result::AIMIS_CRYPTO => c"AIMIS_CRYPTO",
            aimis_result::AIMIS_CALLBACK_REJECTED => c"AIMIS_CALLBACK_REJECTED",
            aimis_result::AIMIS_CALLBACK_MALFORMED => c"AIMIS_CALLBACK_MALFORMED",
            aimis_result::AIMIS_INTERNAL => c"AIMIS_INTERNAL",
            aimis_result::AIMIS_BUFFER_TOO_SMALL => c"AIMIS_BUFFER_TOO_SMALL",
            aimis_result::AIMIS_INVALID_TEXT => c"AIMIS_INVALID_TEXT",
            aimis_result::AIMIS_CONNECTION_REFUSED => c"AIMIS_CONNECTION_REFUSED",
            aimis_result::AIMIS_DNS => c"AIMIS_DNS",
            aimis_result::AIMIS_TLS_CERTIFICATE => c"AIMIS_TLS_CERTIFICATE",
            aimis_result::AIMIS_CONNECTION_RESET => c"AIMIS_CONNECTION_RESET",
            aimis_result::AIMIS_BODY_TOO_LARGE => c"AIMIS_BODY_TOO_LARGE",
            aimis_result::AIMIS_STORE => c"AIMIS_STORE",
        }
    }
}

/// A failed call: its code, its message (never patient data or the token) and, for
/// `AIMIS_API`, the platform's code.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) code: aimis_result,
    pub(crate) message: String,
    pub(crate) api_code: i64,
}

impl Failure {
    pub(crate) fn new(code: aimis_result, message: impl Into<String>) -> Self {
        Failure {
            code,
            message: message.into(),
            api_code: 0,
        }
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        let code = match &error {
            Error::Config { .. } => aimis_result::AIMIS_CONFIG,
            Error::Validation { .. } => aimis_result::AIMIS_VALIDATION,
            Error::UnknownEndpoint { .. } => aimis_result::AIMIS_UNKNOWN_ENDPOINT,
            Error::Transport { kind, .. } => match kind {
                TransportKind::ConnectionRefused => aimis_result::AIMIS_CONNECTION_REFUSED,
                TransportKind::Dns => aimis_result::AIMIS_DNS,
                TransportKind::TlsCertificate => aimis_result::AIMIS_TLS_CERTIFICATE,
                TransportKind::ConnectionReset => aimis_result::AIMIS_CONNECTION_RESET,
                TransportKind::BodyTooLarge => aimis_result::AIMIS_BODY_TOO_LARGE,
                TransportKind::Timeout => aimis_result::AIMIS_TIMEOUT,
                _ => aimis_result::AIMIS_TRANSPORT,
            },
            Error::Timeout(_) => aimis_result::AIMIS_TIMEOUT,
            Error::Http { .. } => aimis_result::AIMIS_HTTP,
            Error::Decode { .. } => aimis_result::AIMIS_DECODE,
            Error::Api { .. } => aimis_result::AIMIS_API,
            Error::Crypto { .. } => aimis_result::AIMIS_CRYPTO,
            Error::Callback(CallbackError::MalformedBody(_) | CallbackError::Field { .. }) => {
                aimis_result::AIMIS_CALLBACK_MALFORMED
            }
            Error::Callback(_) => aimis_result::AIMIS_CALLBACK_REJECTED,
            _ => aimis_result::AIMIS_INTERNAL,
        };
        Failure {
            code,
            message: error.to_string(),
            api_code: error.api_code().unwrap_or(0),
        }
    }
}
