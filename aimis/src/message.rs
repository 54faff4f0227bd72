//! What every generated request and callback type is: plaintext in Rust, ciphertext on
//! the wire, and the conversions between them.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::crypto::FieldCipher;
use crate::distinct_json::{self, Unreadable};
use crate::error::Error;
use crate::registry::{CallbackDef, EndpointDef, FieldDef, Service};
use crate::validate::{Form, shape};
use crate::wire_json::WireObject;

/// A request or callback body. The typed form holds patient data in the clear; only
/// [`Message::seal`] makes the wire form, where encrypted fields are ciphertext; the
/// `Wire` type is what is read from the wire before [`Message::open`] decrypts it.
pub trait Message: Sized + DeserializeOwned + fmt::Debug {
    /// The form read from the wire, with encrypted fields as [`Ciphertext`](crate::Ciphertext).
    type Wire: DeserializeOwned + fmt::Debug;
    /// The fields, as the spec lists them.
    const FIELDS: &'static [FieldDef];
    /// The API this message belongs to.
    const SERVICE: &'static Service;

    /// Checks the spec's rules: required fields, datetimes, date order, known enum values.
    fn validate(&self) -> Result<(), Error>;
    /// Writes the wire form, encrypting the encrypted fields on the way. Use it
    /// through [`Message::seal`].
    #[doc(hidden)]
    fn write_sealed(&self, cipher: &FieldCipher, out: &mut WireObject);
    /// The wire form of this message, as JSON: the only way to the wire.
    #[doc(hidden)]
    fn seal(&self, cipher: &FieldCipher) -> Vec<u8> {
        let mut out = WireObject::new();
        self.write_sealed(cipher, &mut out);
        out.finish()
    }
    /// Decrypts a wire form.
    #[doc(hidden)]
    fn open(wire: Self::Wire, cipher: &FieldCipher) -> Result<Self, Error>;
}

/// A request to one endpoint.
pub trait Request: Message {
    /// The envelope's `data` on success.
    type Response: Serialize + DeserializeOwned + fmt::Debug;
    /// The endpoint it is sent to.
    const ENDPOINT: &'static EndpointDef;
}

/// A callback from the platform.
pub trait Callback: Message + Serialize {
    /// The callback it is.
    const CALLBACK: &'static CallbackDef;
}

/// Reads a message written by a program (C, Python, the CLI): vendor names, plaintext
/// patient data, enum values by number or name. Checks shape and spec rules.
#[doc(hidden)]
pub fn from_plain_json<M: Message>(value: &Value) -> Result<M, Error> {
    let shaped = shape(M::FIELDS, value, Form::Plain)
        .map_err(|(field, rule)| Error::Validation { field, rule })?;
    let message = M::deserialize(shaped.as_ref())
        .map_err(|_| Error::validation("(message)", "does not fit the spec"))?;
    message.validate()?;
    Ok(message)
}

/// Reads a message as it arrives on the wire (what the platform receives, or a partner
/// receives in a callback) and decrypts it. The body must be one JSON object with
/// distinct keys; required fields must be present and not blank, encrypted ones once
/// decrypted. Other spec rules are not checked: see [`Message::validate`].
#[doc(hidden)]
pub fn open_wire<M: Message>(body: &[u8], cipher: &FieldCipher) -> Result<M, Error> {
    let unreadable = |message: &str| Error::Decode {
        message: message.into(),
    };
    let value = distinct_json::parse(body).map_err(|e| match e {
        Unreadable::NotJson => unreadable("the body is not JSON"),
        Unreadable::DuplicateKey => unreadable("the body has a duplicate key"),
    })?;
    if !value.is_object() {
        return Err(unreadable("the body is not a JSON object"));
    }
    let shaped = shape(M::FIELDS, &value, Form::Wire)
        .map_err(|(field, rule)| Error::Validation { field, rule })?;
    let wire = M::Wire::deserialize(shaped.as_ref()).map_err(|_| Error::Decode {
        message: "the message does not fit the spec".into(),
    })?;
    M::open(wire, cipher)
}

/// Turns a typed value into JSON with the vendor's names (plaintext; never for the wire).
/// serde_json's messages are not passed on: they can quote values.
#[doc(hidden)]
pub fn to_plain_json<T: Serialize>(value: &T) -> Result<Value, Error> {
    serde_json::to_value(value).map_err(|_| Error::Decode {
        message: "the value cannot be written as JSON".into(),
    })
}

/// Overwrites every string in `value` with zeroes and empties it: for JSON that held
/// decrypted patient data (a verified callback handed to C or Python), once it has been
/// copied where it goes. Numbers and keys are left (they are the spec's, or not text).
#[doc(hidden)]
pub fn wipe(value: &mut Value) {
    match value {
        Value::String(text) => zeroize::Zeroize::zeroize(text),
        Value::Array(items) => items.iter_mut().for_each(wipe),
        Value::Object(object) => object.values_mut().for_each(wipe),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn wipe_empties_every_string() {
        let mut value =
            serde_json::json!({"phoneNum": "13800138000", "list": ["a", {"b": "c"}], "n": 1});
        super::wipe(&mut value);
        assert_eq!(
            value,
            serde_json::json!({"phoneNum": "", "list": ["", {"b": ""}], "n": 1})
        );
    }
}
