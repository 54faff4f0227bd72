//! A message's wire form, written straight to JSON: a flat object whose strings are
//! copied as they are unless they need escaping. Going through serde_json's serialiser
//! instead spent half of a request's preparation escaping byte by byte.

use std::fmt;

use serde::Serialize;

use crate::Pii;
use crate::crypto::FieldCipher;

/// The wire JSON object being written. Generated `Message::write_sealed` impls fill it,
/// each member by its key as written, comma, quotes and colon included
/// (`b",\"hisId\":"`): a literal of known length, copied without a call.
pub struct WireObject {
    buffer: Vec<u8>,
}

impl WireObject {
    /// Starts an object, with room for a typical request so writing does not reallocate.
    pub(crate) fn new() -> Self {
        WireObject {
            buffer: Vec::with_capacity(512),
        }
    }

    /// Writes a string member.
    pub fn string<const N: usize>(&mut self, key: &[u8; N], value: &str) {
        self.key(key);
        self.quoted(value);
    }

    /// Writes an encrypted member: `plaintext` is encrypted straight into the message.
    pub fn sealed<const N: usize>(&mut self, key: &[u8; N], cipher: &FieldCipher, plaintext: &Pii) {
        self.key(key);
        self.buffer.push(b'"');
        cipher.encrypt_into(plaintext.expose(), &mut self.buffer);
        self.buffer.push(b'"');
    }

    /// Writes an integer member (an enum by its code).
    pub fn int<const N: usize>(&mut self, key: &[u8; N], value: i64) {
        self.key(key);
        self.buffer
            .extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
    }

    /// Writes any other member (nested structs and lists).
    pub fn value<const N: usize, T: Serialize + ?Sized>(&mut self, key: &[u8; N], value: &T) {
        self.key(key);
        serde_json::to_writer(&mut self.buffer, value)
            .expect("spec types serialise to JSON without fail");
    }

    pub(crate) fn finish(mut self) -> Vec<u8> {
        // Every member opened with a comma: the first one's becomes the brace.
        match self.buffer.first_mut() {
            Some(first) => *first = b'{',
            None => self.buffer.push(b'{'),
        }
        self.buffer.push(b'}');
        self.buffer
    }

    /// `key` is `,"name":`. Names are spec field names, letters and digits only (the
    /// spec refuses others), so they need no escaping.
    fn key<const N: usize>(&mut self, key: &[u8; N]) {
        debug_assert!(
            N > 4
                && key.starts_with(b",\"")
                && key.ends_with(b"\":")
                && key[2..N - 2].iter().all(u8::is_ascii_alphanumeric),
            "member key {:?}",
            String::from_utf8_lossy(key)
        );
        self.buffer.extend_from_slice(key);
    }

    fn quoted(&mut self, text: &str) {
        if needs_escape(text.as_bytes()) {
            serde_json::to_writer(&mut self.buffer, text).expect("strings serialise to JSON");
        } else {
            self.buffer.reserve(text.len() + 2);
            self.buffer.push(b'"');
            self.buffer.extend_from_slice(text.as_bytes());
            self.buffer.push(b'"');
        }
    }
}

/// Whether JSON needs any of these bytes escaped (a control character, `"` or `\`):
/// eight bytes at a time, then by table. Most strings need none, and a byte-wise loop
/// with three comparisons a byte was what showed in the cost of a request.
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    // The high bit of a byte of the result is set where `word`'s byte is below `n`
    // (n at most 0x80): exact for "any", which is all that is asked.
    let below = |word: u64, n: u8| word.wrapping_sub(ONES * u64::from(n)) & !word & HIGHS;
    let special = |word: u64| {
        below(word, 0x20)
            | below(word ^ (ONES * u64::from(b'"')), 1)
            | below(word ^ (ONES * u64::from(b'\\')), 1)
    };
    let mut chunks = bytes.chunks_exact(8);
    let any_word = chunks
        .by_ref()
        .any(|chunk| special(u64::from_ne_bytes(chunk.try_into().expect("eight bytes"))) != 0);
    any_word || chunks.remainder().iter().any(|&b| ESCAPED[usize::from(b)])
}

/// The bytes JSON escapes in a string.
const ESCAPED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = b < 0x20 || b == b'"' as usize || b == b'\\' as usize;
        b += 1;
    }
    table
};

/// Shows the length only: sensitive fields such as patientName are in the clear.
impl fmt::Debug for WireObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WireObject(<{} bytes>)", self.buffer.len())
    }
}

#[cfg(test)]
mod tests {
    use super::{WireObject, needs_escape};

    #[test]
    fn writes_what_serde_json_writes() {
        let mut object = WireObject::new();
        object.string(br#","plain":"#, "张三 H0001");
        object.string(br#","escaped":"#, "a \"quote\", a \\ and a\nnewline\u{1}");
        object.int(br#","code":"#, -3);
        object.value(br#","list":"#, &["x", "y\""]);
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
    fn the_escape_check_finds_each_byte_json_escapes_wherever_it_is() {
        for fill in [b'a', 0x20, 0x21, b'#', b']', 0x7f, 0x80, 0xe5, 0xff] {
            for len in 0..=17 {
                assert!(!needs_escape(&vec![fill; len]), "{fill:#x} x {len}");
                for at in 0..len {
                    for byte in 0..=255u8 {
                        let mut text = vec![fill; len];
                        text[at] = byte;
                        let escaped = byte < 0x20 || byte == b'"' || byte == b'\\';
                        assert_eq!(needs_escape(&text), escaped, "{byte:#x} at {at} of {len}");
                    }
                }
            }
        }
    }

    #[test]
    fn an_empty_object() {
        assert_eq!(WireObject::new().finish(), b"{}");
    }
}
