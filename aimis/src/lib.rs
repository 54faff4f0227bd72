//! Client for Tencent's AIMIS medical imaging cloud, the "Internet Hospital APIs".
//!
//! Everything endpoint-specific here is generated from `spec/aimis.toml`: the request,
//! response and callback types, the enums, [`Client`]'s methods and the [`SERVICE`]
//! registry. The runtime around them signs requests (HMAC-SHA256 of appId + timestamp),
//! encrypts patient fields (AES-256-ECB with the token), validates requests before
//! anything is sent, retries transient failures and verifies inbound callbacks.
//!
//! ```no_run
//! use aimis::{Client, Credentials, DataFlag, PatientStudiesRequest, StudyType, Usage};
//!
//! # fn main() -> Result<(), aimis::Error> {
//! let credentials = Credentials::new("my-app-id", "0123456789abcdef0123456789abcdef")?;
//! let client = Client::new(credentials)?;
//! let studies = client.patient_studies(&PatientStudiesRequest {
//!     phone_num: "13800138000".into(),
//!     id_num: "110101199003074518".into(),
//!     hospital_id: "H0001".into(),
//!     union_id: "U0001".into(),
//!     study_type: StudyType::Radiology,
//!     data_flag: DataFlag::All,
//!     usage: Usage::DoctorView,
//!     study_date_begin: "2025-01-01 00:00:00".into(),
//!     study_date_end: "2025-12-31 23:59:59".into(),
//!     ..Default::default()
//! })?;
//! for study in &studies {
//!     println!("{:?} {:?}", study.study_name, study.h5_url);
//! }
//! # Ok(()) }
//! ```
//!
//! # Stability
//!
//! What these pages show is the API. aimis's own C library, Python module, CLI, inbox
//! and simulator also reach helpers that are public but hidden from them (the
//! `crypto` and `json` modules, the wire and plain-JSON conversions of
//! [`message`], the batch runner's output lines, `__private` for generated code):
//! those change with those crates, without notice. ARCHITECTURE.md at the repository's
//! root maps which crate uses what.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate self as aimis;

pub mod batch;
mod callback;
mod client;
mod clock;
mod credentials;
// Hidden: shared with aimis's other crates only (see "Stability" above).
#[doc(hidden)]
pub mod crypto;
mod distinct_json;
mod error;
#[doc(hidden)]
pub mod json;
pub mod message;
mod pii;
pub mod registry;
pub mod trace;
mod validate;
mod wire_json;

/// The spellings of the spec's names (`patientStudies`, `patient_studies`,
/// `patient-studies`, `PatientStudies`), the same in every layer.
pub use aimis_names as names;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

mod api {
    // A link to spec/aimis.toml, so that the packaged crate carries its spec.
    aimis_macros::api!("aimis.toml");
}

pub use api::*;

// The README's Rust examples compile as doctests, so they work when copied.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeExamples;
pub use batch::{BatchOptions, Outcome};
pub use callback::CallbackVerifier;
pub use client::{
    ClientBuilder, JsonBuilder, MAX_DURATION, MAX_RETRIES, PlainAnswer, PlainBuilder,
    PreparedRequest, RetryPolicy, interruptible,
};
pub use clock::{Clock, FixedClock, SystemClock};
pub use credentials::{Credentials, TOKEN_LEN, Token};
pub use error::{CallbackError, CryptoError, Error, TransportKind};
pub use pii::{Ciphertext, Pii};

/// Encrypts one field value as the platform expects (AES-256-ECB, PKCS#7, lowercase hex).
pub fn encrypt_field(token: &str, plaintext: &str) -> Result<String, Error> {
    Ok(crypto::FieldCipher::new(&Token::new(token)?, &SERVICE.cipher).encrypt(plaintext))
}

/// Decrypts one field value; hex is accepted in either case.
pub fn decrypt_field(token: &str, ciphertext: &str) -> Result<String, Error> {
    crypto::FieldCipher::new(&Token::new(token)?, &SERVICE.cipher)
        .decrypt(ciphertext)
        .map_err(|error| Error::Crypto {
            field: "(value)".into(),
            error,
        })
}

/// The `signature` header for this app id and timestamp (milliseconds, as sent).
pub fn sign(app_id: &str, token: &str, timestamp: &str) -> Result<String, Error> {
    if timestamp.is_empty() || !timestamp.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::Validation {
            field: "timestamp".into(),
            rule: "must be a decimal number".into(),
        });
    }
    Ok(crypto::Signer::new(&Token::new(token)?, &SERVICE.auth).sign(app_id, timestamp))
}

/// The body to answer an accepted callback with: `{"code":0,"message":"success"}`.
pub fn callback_ack() -> String {
    SERVICE.callback_ack()
}

/// The body to answer a refused callback with.
pub fn callback_failure(code: i64, message: &str) -> String {
    SERVICE.callback_answer(code, message)
}
