//! A message's wire form, written straight to JSON: a flat object whose strings are
//! copied as they are unless they need escaping. Going through serde_json's serialiser
//! instead spent half of a request's preparation escaping byte by byte.

use std::fmt;

use serde::Serialize;

use crate::Pii;
use crate::crypto::FieldCipher;

/// The wire JSON object being written. Generated `Message::write_sealed` impls fill it,
/// each member by its key as written, quotes and colon included (`"\"hisId\":"`).
pub struct WireObject {
    buffer: Vec<u8>,
}

impl WireObject {
    /// Starts an object, with room for a typical request so writing does not reallocate.
    pub(crate) fn new() -> Self {
        let mut buffer = Vec::with_capacity(512);
        buffer.push(b'{');
        WireObject { buffer }
    }

    /// Writes a string member.
    pub fn string(&mut self, key: &str, value: &str) {
        self.key(key);
        self.quoted(value);
    }

    /// Writes an encrypted member: `plaintext` is encrypted straight into the message.
    pub fn sealed(&mut self, key: &str, cipher: &FieldCipher, plaintext: &Pii) {
        self.key(key);
        self.buffer.push(b'"');
        cipher.encrypt_into(plaintext.expose(), &mut self.buffer);
        self.buffer.push(b'"');
    }

    /// Writes any other member (numbers, enum codes, nested structs and lists).
    pub fn value<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        self.key(key);
        serde_json::to_writer(&mut self.buffer, value)
            .expect("spec types serialise to JSON without fail");
    }

    pub(crate) fn finish(mut self) -> Vec<u8> {
        self.buffer.push(b'}');
        self.buffer
    }

    /// `key` is `"name":`. Names are spec field names, letters and digits only (the
    /// spec refuses others), so they need no escaping.
    fn key(&mut self, key: &str) {
        debug_assert!(
            key.len() > 3
                && key.starts_with('"')
                && key.ends_with("\":")
                && key[1..key.len() - 2]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric()),
            "member key {key:?}"
        );
        if self.buffer.len() > 1 {
            self.buffer.push(b',');
        }
        self.buffer.extend_from_slice(key.as_bytes());
    }

    fn quoted(&mut self, text: &str) {
        // No early exit, so that the check vectorises: most strings need no escaping.
        let escape = text.bytes().fold(false, |escape, b| {
            escape | (b < 0x20) | (b == b'"') | (b == b'\\')
        });
        if !escape {
            self.buffer.reserve(text.len() + 2);
            self.buffer.push(b'"');
            self.buffer.extend_from_slice(text.as_bytes());
            self.buffer.push(b'"');
        } else {
            serde_json::to_writer(&mut self.buffer, text).expect("strings serialise to JSON");
        }
    }
}

/// Shows the length only: sensitive fields such as patientName are in the clear.
impl fmt::Debug for WireObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WireObject(<{} bytes>)", self.buffer.len())
    }
}

#[cfg(test)]
mod tests {
    use super::WireObject;

    #[test]
    fn writes_what_serde_json_writes() {
        let mut object = WireObject::new();
        object.string(r#""plain":"#, "张三 H0001");
        object.string(r#""escaped":"#, "a \"quote\", a \\ and a\nnewline\u{1}");
        object.value(r#""code":"#, &-3i64);
        object.value(r#""list":"#, &["x", "y\""]);
        let expected = serde_json::json!({
            "plain": "张三 H0001",
            "escaped": "a \"quote\", a \\ and a\nnewline\u{1}",
            "code": -3,
            "list": ["x", "y\""],
        });
        let written = object.finish();
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&written).unwrap(),
            expected
        );
        assert_eq!(
            String::from_utf8(written).unwrap(),
            r#"{"plain":"张三 H0001","escaped":"a \"quote\", a \\ and a\nnewline\u0001","code":-3,"list":["x","y\""]}"#
        );
    }

    #[test]
    fn an_empty_object() {
        assert_eq!(WireObject::new().finish(), b"{}");
    }
}
