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
    // SAFETY: `encode_into` appends ASCII only (zeros, then digits over them), and ASCII
    // is UTF-8. Going through a `&str` instead checked again what was just written.
    encode_into(bytes, encoding, unsafe { out.as_mut_vec() })
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
/// bytes at a time with SSE2 where there is (every x86_64 has it), the rest by table.
/// Signatures and ciphertexts are whole blocks of sixteen.
fn write_hex(bytes: &[u8], digits: &[[u8; 2]; 256], out: &mut [u8]) {
    #[cfg(target_arch = "x86_64")]
    let (bytes, out) = {
        let whole = bytes.len() / 16 * 16;
        let letters = digits[10][1];
        write_hex_sse2(&bytes[..whole], letters, &mut out[..2 * whole]);
        (&bytes[whole..], &mut out[2 * whole..])
    };
    for (pair, &b) in out.chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(&digits[usize::from(b)]);
    }
}

/// [`write_hex`] of whole blocks of sixteen bytes; `letters` is the digit for ten (`a`
/// or `A`). Each byte is split into its two nibbles, interleaved high first, and each
/// nibble becomes `'0' + n`, or `letters + n - 10` above nine.
#[cfg(target_arch = "x86_64")]
fn write_hex_sse2(bytes: &[u8], letters: u8, out: &mut [u8]) {
    use std::arch::x86_64::{
        __m128i, _mm_add_epi8, _mm_and_si128, _mm_cmpgt_epi8, _mm_loadu_si128, _mm_set1_epi8,
        _mm_srli_epi16, _mm_storeu_si128, _mm_unpackhi_epi8, _mm_unpacklo_epi8,
    };
    // SAFETY: SSE2 is in every x86_64 target's baseline. The loads and stores are
    // unaligned, of sixteen bytes, within `block` (16 bytes) and `text` (32).
    unsafe {
        let nibble = _mm_set1_epi8(0x0f);
        let nine = _mm_set1_epi8(9);
        let zero = _mm_set1_epi8(b'0' as i8);
        let gap = _mm_set1_epi8((letters - b'0' - 10) as i8);
        let digit = |n: __m128i| {
            _mm_add_epi8(
                _mm_add_epi8(n, zero),
                _mm_and_si128(_mm_cmpgt_epi8(n, nine), gap),
            )
        };
        for (block, text) in bytes.chunks_exact(16).zip(out.chunks_exact_mut(32)) {
            let v = _mm_loadu_si128(block.as_ptr().cast());
            let high = _mm_and_si128(_mm_srli_epi16(v, 4), nibble);
            let low = _mm_and_si128(v, nibble);
            _mm_storeu_si128(
                text.as_mut_ptr().cast(),
                digit(_mm_unpacklo_epi8(high, low)),
            );
            _mm_storeu_si128(
                text[16..].as_mut_ptr().cast(),
                digit(_mm_unpackhi_epi8(high, low)),
            );
        }
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
