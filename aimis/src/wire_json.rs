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
        self.check_key(key);
        let text = value.as_bytes();
        self.buffer.reserve(N + text.len() + 2);
        self.buffer.extend_from_slice(key);
        let quoted = self.buffer.len();
        self.buffer.push(b'"');
        if push_if_plain(text, &mut self.buffer) {
            self.buffer.push(b'"');
            return;
        }
        self.buffer.truncate(quoted);
        serde_json::to_writer(&mut self.buffer, value).expect("strings serialise to JSON");
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
        self.check_key(key);
        self.buffer.extend_from_slice(key);
    }

    fn check_key<const N: usize>(&self, key: &[u8; N]) {
        debug_assert!(
            N > 4
                && key.starts_with(b",\"")
                && key.ends_with(b"\":")
                && key[2..N - 2].iter().all(u8::is_ascii_alphanumeric),
            "member key {:?}",
            String::from_utf8_lossy(key)
        );
    }
}

/// Appends `text` to `out` if JSON needs none of it escaped, and says whether it did
/// (leaving `out` as it was if not). Up to 32 bytes are loaded as words that overlap
/// where the length is not a multiple of eight, checked, and appended word by word
/// (cutting back to where the next, overlapping word starts): every copy has a length
/// known when compiled, so none becomes a call to `memcpy`, which cost more than the
/// copy for the short texts of a request.
fn push_if_plain(text: &[u8], out: &mut Vec<u8>) -> bool {
    let n = text.len();
    let word = |at: usize| u64::from_ne_bytes(text[at..at + 8].try_into().expect("eight bytes"));
    let half = |at: usize| u32::from_ne_bytes(text[at..at + 4].try_into().expect("four bytes"));
    let start = out.len();
    // Appends `bytes` as the text's bytes from offset `at` on, overwriting any of an
    // earlier word that overlap it.
    let mut put = |at: usize, bytes: &[u8]| {
        out.truncate(start + at);
        out.extend_from_slice(bytes);
    };
    match n {
        0 => {}
        // Positions 0, n/2 and n-1 cover every byte of a text this short.
        1..=3 => {
            let picked = [text[0], text[n / 2], text[n - 1]];
            if picked.iter().any(|&b| ESCAPED[usize::from(b)]) {
                return false;
            }
            put(0, &picked);
            put(n, &[]);
        }
        4..=7 => {
            let (head, tail) = (half(0), half(n - 4));
            if special(u64::from(head) | u64::from(tail) << 32) != 0 {
                return false;
            }
            put(0, &head.to_ne_bytes());
            put(n - 4, &tail.to_ne_bytes());
        }
        8..=16 => {
            let (head, tail) = (word(0), word(n - 8));
            if special(head) | special(tail) != 0 {
                return false;
            }
            put(0, &head.to_ne_bytes());
            put(n - 8, &tail.to_ne_bytes());
        }
        17..=32 => {
            let words = [
                (0, word(0)),
                (8, word(8)),
                (n - 16, word(n - 16)),
                (n - 8, word(n - 8)),
            ];
            if words.iter().fold(0, |any, &(_, word)| any | special(word)) != 0 {
                return false;
            }
            for (at, word) in words {
                put(at, &word.to_ne_bytes());
            }
        }
        _ => {
            if needs_escape(text) {
                return false;
            }
            out.extend_from_slice(text);
        }
    }
    true
}

/// Whether JSON needs any of these bytes escaped (a control character, `"` or `\`):
/// eight bytes at a time, then by table. Most strings need none, and a byte-wise loop
/// with three comparisons a byte was what showed in the cost of a request.
fn needs_escape(bytes: &[u8]) -> bool {
    let mut chunks = bytes.chunks_exact(8);
    let any_word = chunks
        .by_ref()
        .any(|chunk| special(u64::from_ne_bytes(chunk.try_into().expect("eight bytes"))) != 0);
    any_word || chunks.remainder().iter().any(|&b| ESCAPED[usize::from(b)])
}

/// Nonzero if any of the eight bytes in `word` is one JSON escapes.
fn special(word: u64) -> u64 {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    // The high bit of a byte of the result is set where `word`'s byte is below `n`
    // (n at most 0x80): exact for "any", which is all that is asked.
    let below = |word: u64, n: u8| word.wrapping_sub(ONES * u64::from(n)) & !word & HIGHS;
    below(word, 0x20)
        | below(word ^ (ONES * u64::from(b'"')), 1)
        | below(word ^ (ONES * u64::from(b'\\')), 1)
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
    use proptest::prelude::*;

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
    fn a_string_member_is_what_serde_json_writes_at_every_length_and_position() {
        let written = |text: &str| {
            let mut object = WireObject::new();
            object.string(br#","k":"#, text);
            String::from_utf8(object.finish()).unwrap()
        };
        let expected = |text: &str| format!("{{\"k\":{}}}", serde_json::to_string(text).unwrap());
        for fill in ["a", "\u{7f}", "é", "张"] {
            for count in 0..=40 {
                let plain = fill.repeat(count);
                assert_eq!(written(&plain), expected(&plain), "{fill:?} x {count}");
                for at in 0..=count {
                    for byte in 0..0x80u8 {
                        let (before, after) = plain.split_at(at * fill.len());
                        let text = format!("{before}{}{after}", char::from(byte));
                        assert_eq!(written(&text), expected(&text), "{byte:#x} in {text:?}");
                    }
                }
            }
        }
    }

    /// Texts mostly plain, with the bytes JSON escapes now and then, at every length
    /// around the word sizes; after text already in the buffer.
    fn text() -> impl Strategy<Value = String> {
        let char = prop_oneof![
            8 => proptest::char::range('a', 'z'),
            2 => proptest::char::range('\u{80}', '\u{10ffff}'),
            1 => proptest::sample::select(vec!['"', '\\', '\n', '\u{0}', '\u{1f}', '\u{7f}']),
        ];
        proptest::collection::vec(char, 0..80).prop_map(String::from_iter)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

        #[test]
        fn string_members_are_what_serde_json_writes(before in text(), value in text()) {
            let mut object = WireObject::new();
            object.string(br#","a":"#, &before);
            object.string(br#","b":"#, &value);
            let expected = format!(
                "{{\"a\":{},\"b\":{}}}",
                serde_json::to_string(&before).unwrap(),
                serde_json::to_string(&value).unwrap()
            );
            prop_assert_eq!(String::from_utf8(object.finish()).unwrap(), expected);
        }

        #[test]
        fn the_escape_check_is_a_byte_by_byte_check(text in proptest::collection::vec(any::<u8>(), 0..80)) {
            let plain = |b: &u8| *b >= 0x20 && *b != b'"' && *b != b'\\';
            prop_assert_eq!(needs_escape(&text), !text.iter().all(plain));
        }
    }

    #[test]
    fn an_empty_object() {
        assert_eq!(WireObject::new().finish(), b"{}");
    }
}
