//! The resolved spec: names checked, types resolved, every generator's input.

use serde::Deserialize;

/// The whole API.
#[derive(Clone, Debug, PartialEq)]
pub struct Spec {
    pub service: Service,
    pub auth: Auth,
    pub cipher: Cipher,
    pub envelope: Envelope,
    pub errors: Vec<ErrorCode>,
    pub enums: Vec<Enum>,
    pub structs: Vec<Struct>,
    pub endpoints: Vec<Endpoint>,
    pub callbacks: Vec<Callback>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    pub name: String,
    pub doc: String,
    /// `(name, url)`, `production` first: it is the default.
    pub base_urls: Vec<(String, String)>,
}

/// How requests are authenticated.
#[derive(Clone, Debug, PartialEq)]
pub struct Auth {
    pub app_id_header: String,
    pub timestamp_header: String,
    pub signature_header: String,
    /// The signed message: these parts concatenated.
    pub message: Vec<MessagePart>,
    pub algorithm: MacAlgorithm,
    pub encoding: AuthEncoding,
    pub timestamp: TimestampUnit,
    pub max_skew_seconds: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessagePart {
    AppId,
    Timestamp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum MacAlgorithm {
    #[serde(rename = "hmac-sha256")]
    HmacSha256,
}

/// How bytes become text, for signatures and ciphertext.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuthEncoding {
    HexLower,
    HexUpper,
    Base64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimestampUnit {
    UnixMillis,
    UnixSeconds,
}

/// How encrypted fields are encrypted.
#[derive(Clone, Debug, PartialEq)]
pub struct Cipher {
    pub algorithm: CipherAlgorithm,
    pub padding: Padding,
    pub encoding: AuthEncoding,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum CipherAlgorithm {
    #[serde(rename = "aes-256-ecb")]
    Aes256Ecb,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Padding {
    Pkcs7,
    Zero,
}

/// The wire names of the response envelope.
#[derive(Clone, Debug, PartialEq)]
pub struct Envelope {
    pub code: String,
    pub message: String,
    pub data: String,
    pub success: i64,
    pub success_message: String,
}

/// A well-known platform error code.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorCode {
    pub code: i64,
    pub name: String,
    pub doc: String,
    /// The platform asks the partner to slow down: batches back off and retry.
    pub rate_limit: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Enum {
    pub name: String,
    pub doc: String,
    pub values: Vec<EnumValue>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumValue {
    pub value: i64,
    pub name: String,
    pub doc: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Struct {
    pub name: String,
    pub doc: String,
    pub fields: Vec<Field>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The vendor's name, as on the wire: `studyDateBegin`.
    pub name: String,
    /// The snake_case name used by Rust and Python: `study_date_begin`.
    pub snake: String,
    pub ty: Type,
    pub doc: String,
    pub required: bool,
    pub encrypted: bool,
    /// Patient data: masked wherever values are shown. Implied by `encrypted`.
    pub sensitive: bool,
    /// A datetime that must not precede the named field.
    pub not_before: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Type {
    String,
    Int,
    DateTime,
    /// The name of one of [`Spec::enums`].
    Enum(String),
    /// The name of one of [`Spec::structs`].
    Struct(String),
    List(Box<Type>),
}

/// A call from the partner to AIMIS.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    /// `patientStudies`
    pub name: String,
    pub title: String,
    pub doc: String,
    pub method: String,
    /// With `{appId}` where the app id goes.
    pub path: String,
    pub request: Vec<Field>,
    pub response: Type,
}

/// A call from AIMIS to the partner.
#[derive(Clone, Debug, PartialEq)]
pub struct Callback {
    pub name: String,
    pub title: String,
    pub doc: String,
    pub fields: Vec<Field>,
}

impl Spec {
    pub fn enum_named(&self, name: &str) -> Option<&Enum> {
        self.enums.iter().find(|e| e.name == name)
    }

    pub fn struct_named(&self, name: &str) -> Option<&Struct> {
        self.structs.iter().find(|s| s.name == name)
    }
}
