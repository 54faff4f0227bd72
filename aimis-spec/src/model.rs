//! The spec file as written: serde structs that keep the source spans for diagnostics.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::ir::{AuthEncoding, CipherAlgorithm, MacAlgorithm, Padding, TimestampUnit};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpec {
    pub service: RawService,
    pub auth: RawAuth,
    pub field_cipher: RawCipher,
    pub envelope: RawEnvelope,
    #[serde(default, rename = "error")]
    pub errors: Vec<Spanned<RawErrorCode>>,
    #[serde(default, rename = "enum")]
    pub enums: Vec<Spanned<RawEnum>>,
    #[serde(default, rename = "struct")]
    pub structs: Vec<Spanned<RawStruct>>,
    #[serde(default, rename = "endpoint")]
    pub endpoints: Vec<Spanned<RawEndpoint>>,
    #[serde(default, rename = "callback")]
    pub callbacks: Vec<Spanned<RawCallback>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawService {
    pub name: String,
    pub doc: String,
    pub base_urls: Spanned<BTreeMap<String, Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAuth {
    pub app_id_header: Spanned<String>,
    pub timestamp_header: Spanned<String>,
    pub signature_header: Spanned<String>,
    pub message: Vec<Spanned<String>>,
    pub algorithm: MacAlgorithm,
    pub encoding: AuthEncoding,
    pub timestamp: TimestampUnit,
    pub max_skew_seconds: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCipher {
    pub algorithm: CipherAlgorithm,
    pub padding: Padding,
    pub encoding: AuthEncoding,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnvelope {
    pub code: String,
    pub message: String,
    pub data: String,
    pub success: i64,
    pub success_message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawErrorCode {
    pub code: i64,
    pub name: Spanned<String>,
    pub doc: Spanned<String>,
    #[serde(default)]
    pub rate_limit: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnum {
    pub name: Spanned<String>,
    pub doc: Spanned<String>,
    pub values: Vec<Spanned<RawEnumValue>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnumValue {
    pub value: i64,
    pub name: Spanned<String>,
    pub doc: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStruct {
    pub name: Spanned<String>,
    pub doc: Spanned<String>,
    pub fields: Vec<Spanned<RawField>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawField {
    pub name: Spanned<String>,
    #[serde(rename = "type")]
    pub ty: Spanned<String>,
    pub doc: Spanned<String>,
    #[serde(default)]
    pub required: bool,
    pub encrypted: Option<Spanned<bool>>,
    #[serde(default)]
    pub sensitive: bool,
    pub not_before: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEndpoint {
    pub name: Spanned<String>,
    pub title: String,
    pub doc: Spanned<String>,
    pub method: Spanned<String>,
    pub path: Spanned<String>,
    pub response: Spanned<String>,
    pub request: Vec<Spanned<RawField>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCallback {
    pub name: Spanned<String>,
    pub title: String,
    pub doc: Spanned<String>,
    pub fields: Vec<Spanned<RawField>>,
}
