//! What generated code calls. Not public API: it changes without notice.

pub use serde;
pub use serde_json;

pub use crate::client::{ClientBuilder, Engine, FromEngine};
pub use crate::json::{Dispatch, answer_typed, unknown_callback, unknown_endpoint, verify_typed};
pub use crate::validate::{datetime, known_enum, not_before, required_text};
pub use crate::wire_json::WireObject;

/// Parses an enum value from its name or number, for generated `FromStr` impls.
pub fn parse_enum(def: &'static crate::registry::EnumDef, text: &str) -> Result<i64, crate::Error> {
    def.parse(text)
        .map(|v| v.value)
        .ok_or_else(|| crate::Error::Validation {
            field: def.name.to_owned(),
            rule: format!("must be one of {}", def.choices()),
        })
}

/// Decrypts one field of a message read from the wire; a required one must not be
/// blank once decrypted (a ciphertext of "" is not a phone number).
pub fn open_field(
    cipher: &crate::crypto::FieldCipher,
    field: &'static str,
    ciphertext: &crate::Ciphertext,
    required: bool,
) -> Result<crate::Pii, crate::Error> {
    let plaintext = cipher
        .open(ciphertext)
        .map_err(|error| crate::Error::Crypto {
            field: field.into(),
            error,
        })?;
    if required {
        required_text(field, plaintext.expose())?;
    }
    Ok(plaintext)
}
