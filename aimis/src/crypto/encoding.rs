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
    // A signature's 32 bytes fit on the stack; longer texts take a detour by the heap.
    let mut text = [0; 64];
    for chunk in bytes.chunks(text.len() / 2) {
        let text = &mut text[..chunk.len() * 2];
        write_hex(chunk, digits, text);
        out.push_str(std::str::from_utf8(text).expect("hex digits are ASCII"));
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

/// Writes each byte's two digits into `out`, which holds twice as many bytes: sixteen
/// bytes at a time by arithmetic that the compiler turns into vector instructions
/// (signatures and ciphertexts are whole blocks of sixteen), the rest by table.
fn write_hex(bytes: &[u8], digits: &[[u8; 2]; 256], out: &mut [u8]) {
    let letters = digits[10][1];
    let mut blocks = bytes.chunks_exact(16);
    let mut texts = out.chunks_exact_mut(32);
    for (block, text) in blocks.by_ref().zip(texts.by_ref()) {
        write_hex_block(
            block.try_into().expect("sixteen bytes"),
            letters,
            text.try_into().expect("thirty-two bytes"),
        );
    }
    let rest = texts.into_remainder();
    for (pair, &b) in rest.chunks_exact_mut(2).zip(blocks.remainder()) {
        pair.copy_from_slice(&digits[usize::from(b)]);
    }
}

/// [`write_hex`] of one block; `letters` is the digit for ten (`a` or `A`). Each byte is
/// split into its two nibbles, high first, and each nibble becomes `'0' + n`, or
/// `letters + n - 10` above nine: the same steps for every byte, without branches or
/// look-ups, so they vectorise.
fn write_hex_block(block: &[u8; 16], letters: u8, text: &mut [u8; 32]) {
    let gap = letters - b'0' - 10;
    let digit = |n: u8| n + b'0' + u8::from(n > 9) * gap;
    for (pair, &b) in text.chunks_exact_mut(2).zip(block) {
        pair[0] = digit(b >> 4);
        pair[1] = digit(b & 0x0f);
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
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

        /// Each way of appending hex agrees with formatting byte by byte, after whatever
        /// the buffer already held.
        #[test]
        fn hex_is_what_formatting_each_byte_writes(
            before in "[a-z]{0,5}",
            bytes in proptest::collection::vec(any::<u8>(), 0..200),
        ) {
            let lower: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            let upper: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
            let mut text = before.clone();
            encode_into_string(&bytes, TextEncoding::HexLower, &mut text);
            prop_assert_eq!(text, format!("{before}{lower}"));
            let mut text = before.clone();
            encode_into_string(&bytes, TextEncoding::HexUpper, &mut text);
            prop_assert_eq!(text, format!("{before}{upper}"));
            let mut written = before.clone().into_bytes();
            encode_into(&bytes, TextEncoding::HexUpper, &mut written);
            prop_assert_eq!(written, format!("{before}{upper}").into_bytes());
            let mut text = before.clone();
            encode_into_string(&bytes, TextEncoding::Base64, &mut text);
            prop_assert_eq!(text, format!("{before}{}", STANDARD.encode(&bytes)));
            prop_assert_eq!(decode(&lower, TextEncoding::HexUpper).unwrap(), bytes);
        }
    }

    #[test]
    fn hex_is_each_bytes_two_digits_at_every_length() {
        let bytes: Vec<u8> = (0..=255u8).rev().chain(0..=255).collect();
        for len in 0..=bytes.len() {
            let bytes = &bytes[bytes.len() - len..];
            let lower: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(encode(bytes, TextEncoding::HexLower), lower, "{len}");
            let mut upper = Vec::new();
            encode_into(bytes, TextEncoding::HexUpper, &mut upper);
            assert_eq!(upper, lower.to_uppercase().into_bytes(), "{len}");
        }
    }

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
