//! Bytes as text: lowercase hex, uppercase hex or base64, as the spec says.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::error::CryptoError;
use crate::registry::TextEncoding;

/// Each byte's two hex digits, so that encoding is one look-up per byte.
const LOWER: [[u8; 2]; 256] = pairs(b"0123456789abcdef");
const UPPER: [[u8; 2]; 256] = pairs(b"0123456789ABCDEF");

const fn pairs(digits: &[u8; 16]) -> [[u8; 2]; 256] {
    let mut table = [[0; 2]; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = [digits[b >> 4], digits[b & 0xf]];
        b += 1;
    }
    table
}

pub fn encode(bytes: &[u8], encoding: TextEncoding) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    encode_into_string(bytes, encoding, &mut out);
    out
}

/// Appends the text form of `bytes` to `out`, as the signed headers want it.
pub fn encode_into_string(bytes: &[u8], encoding: TextEncoding, out: &mut String) {
    let Some(digits) = hex_digits(encoding) else {
        return STANDARD.encode_string(bytes, out);
    };
    let mut text = [0; 64];
    for chunk in bytes.chunks(text.len() / 2) {
        let text = &mut text[..chunk.len() * 2];
        write_hex(chunk, digits, text);
        // SAFETY: `text` is wholly written from a table of ASCII digits, and ASCII is
        // UTF-8. Checking it again cost more than writing it (a signature per request).
        out.push_str(unsafe { std::str::from_utf8_unchecked(text) });
    }
}

/// Appends the text form of `bytes` to `out` (ASCII), as the wire writer wants it.
pub fn encode_into(bytes: &[u8], encoding: TextEncoding, out: &mut Vec<u8>) {
    let Some(digits) = hex_digits(encoding) else {
        return out.extend_from_slice(STANDARD.encode(bytes).as_bytes());
    };
    let start = out.len();
    out.resize(start + bytes.len() * 2, 0);
    write_hex(bytes, digits, &mut out[start..]);
}

/// The digit pairs of a hex encoding; none for base64.
fn hex_digits(encoding: TextEncoding) -> Option<&'static [[u8; 2]; 256]> {
    match encoding {
        TextEncoding::HexLower => Some(&LOWER),
        TextEncoding::HexUpper => Some(&UPPER),
        TextEncoding::Base64 => None,
    }
}

/// Writes each byte's two digits into `out`, which holds twice as many bytes.
fn write_hex(bytes: &[u8], digits: &[[u8; 2]; 256], out: &mut [u8]) {
    for (pair, &b) in out.chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(&digits[usize::from(b)]);
    }
}

/// Decodes; hex is accepted in either case.
pub fn decode(text: &str, encoding: TextEncoding) -> Result<Vec<u8>, CryptoError> {
    if encoding == TextEncoding::Base64 {
        return STANDARD
            .decode(text)
            .map_err(|_| CryptoError::BadEncoding("base64"));
    }
    let text = text.as_bytes();
    if text.len() % 2 != 0 {
        return Err(CryptoError::BadEncoding("hex"));
    }
    text.chunks_exact(2)
        .map(|pair| match (nibble(pair[0]), nibble(pair[1])) {
            (Some(hi), Some(lo)) => Ok(hi << 4 | lo),
            _ => Err(CryptoError::BadEncoding("hex")),
        })
        .collect()
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_in_every_encoding() {
        let bytes = [0x00, 0x7f, 0xab, 0xff];
        assert_eq!(encode(&bytes, TextEncoding::HexLower), "007fabff");
        assert_eq!(encode(&bytes, TextEncoding::HexUpper), "007FABFF");
        assert_eq!(encode(&bytes, TextEncoding::Base64), "AH+r/w==");
        for encoding in [
            TextEncoding::HexLower,
            TextEncoding::HexUpper,
            TextEncoding::Base64,
        ] {
            assert_eq!(decode(&encode(&bytes, encoding), encoding).unwrap(), bytes);
        }
        assert_eq!(decode("007FabfF", TextEncoding::HexLower).unwrap(), bytes);
        assert_eq!(
            decode("0g", TextEncoding::HexLower),
            Err(CryptoError::BadEncoding("hex"))
        );
        assert_eq!(
            decode("abc", TextEncoding::HexLower),
            Err(CryptoError::BadEncoding("hex"))
        );
    }
}
