use std::fmt;

use aes::Aes256;
use aes::cipher::{BlockDecrypt, BlockEncrypt, KeyInit, generic_array::GenericArray};

use super::encoding::{decode, encode_into};
use crate::credentials::Token;
use crate::error::CryptoError;
use crate::pii::{Ciphertext, Pii};
use crate::registry::{CipherScheme, Padding};

const BLOCK: usize = 16;

/// AES-256-ECB keyed with the token, padded and encoded as the spec's cipher scheme says.
/// The key schedule is expanded once; it is zeroized on drop.
#[derive(Clone)]
pub struct FieldCipher {
    aes: Aes256,
    scheme: &'static CipherScheme,
}

impl FieldCipher {
    pub fn new(token: &Token, scheme: &'static CipherScheme) -> Self {
        let key = GenericArray::from_slice(token.expose_secret().as_bytes());
        FieldCipher {
            aes: Aes256::new(key),
            scheme,
        }
    }

    /// Decrypts a field read from a message.
    pub fn open(&self, ciphertext: &Ciphertext) -> Result<Pii, CryptoError> {
        self.decrypt(ciphertext.as_str()).map(Pii::from)
    }

    /// Encrypts text to its wire form.
    pub fn encrypt(&self, plaintext: &str) -> String {
        let mut out = Vec::new();
        self.encrypt_into(plaintext, &mut out);
        String::from_utf8(out).expect("hex and base64 are ASCII")
    }

    /// Appends the wire form of `plaintext` to `out`, for the wire writer. A phone or
    /// ID number fits in a buffer on the stack. Nothing needs wiping: the plaintext is
    /// copied only into the buffer, and encrypting in place overwrites every byte of it.
    pub(crate) fn encrypt_into(&self, plaintext: &str, out: &mut Vec<u8>) {
        let bytes = plaintext.as_bytes();
        let mut stack = [0u8; 4 * BLOCK];
        let mut heap = Vec::new();
        let buffer = match self.padded_len(bytes.len()) {
            len if len <= stack.len() => &mut stack[..len],
            len => {
                heap.resize(len, 0);
                &mut heap[..]
            }
        };
        self.encrypt_in_place(bytes, buffer);
        encode_into(buffer, self.scheme.encoding, out);
    }

    fn padded_len(&self, len: usize) -> usize {
        match self.scheme.padding {
            Padding::Pkcs7 => (len / BLOCK + 1) * BLOCK,
            Padding::Zero => len.div_ceil(BLOCK) * BLOCK,
        }
    }

    /// Pads `bytes` into `buffer` (of the padded length) and encrypts it there.
    fn encrypt_in_place(&self, bytes: &[u8], buffer: &mut [u8]) {
        buffer[..bytes.len()].copy_from_slice(bytes);
        let pad = match self.scheme.padding {
            Padding::Pkcs7 => (buffer.len() - bytes.len()) as u8,
            Padding::Zero => 0,
        };
        buffer[bytes.len()..].fill(pad);
        for block in buffer.chunks_exact_mut(BLOCK) {
            self.aes.encrypt_block(GenericArray::from_mut_slice(block));
        }
    }

    /// Decrypts a wire form; hex is accepted in either case.
    pub fn decrypt(&self, text: &str) -> Result<String, CryptoError> {
        let mut buffer = decode(text.trim(), self.scheme.encoding)?;
        if buffer.len() % BLOCK != 0 || (buffer.is_empty() && self.scheme.padding == Padding::Pkcs7)
        {
            return Err(CryptoError::BadLength);
        }
        for block in buffer.chunks_exact_mut(BLOCK) {
            self.aes.decrypt_block(GenericArray::from_mut_slice(block));
        }
        let len = match self.scheme.padding {
            Padding::Pkcs7 => {
                let pad = usize::from(*buffer.last().unwrap_or(&0));
                let valid = (1..=BLOCK).contains(&pad)
                    && buffer[buffer.len() - pad..]
                        .iter()
                        .all(|&b| usize::from(b) == pad);
                if !valid {
                    zeroize::Zeroize::zeroize(&mut buffer);
                    return Err(CryptoError::BadPadding);
                }
                buffer.len() - pad
            }
            Padding::Zero => buffer.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1),
        };
        buffer.truncate(len);
        String::from_utf8(buffer).map_err(|e| {
            zeroize::Zeroize::zeroize(&mut e.into_bytes());
            CryptoError::NotUtf8
        })
    }
}

impl fmt::Debug for FieldCipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FieldCipher")
            .field("scheme", self.scheme)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::encoding::encode;
    use crate::registry::TextEncoding;

    static PKCS7_HEX: CipherScheme = CipherScheme {
        padding: Padding::Pkcs7,
        encoding: TextEncoding::HexLower,
    };

    /// NIST SP 800-38A F.1.5, ECB-AES256.Encrypt: its key is not text, so it cannot be a
    /// token; with PKCS#7 the first block of the output is the raw block cipher's.
    #[test]
    fn nist_sp_800_38a_ecb_aes256() {
        let key = decode(
            "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
            TextEncoding::HexLower,
        )
        .unwrap();
        let cipher = FieldCipher {
            aes: Aes256::new(GenericArray::from_slice(&key)),
            scheme: &PKCS7_HEX,
        };
        let blocks = [
            (
                "6bc1bee22e409f96e93d7e117393172a",
                "f3eed1bdb5d2a03c064b5a7e3db181f8",
            ),
            (
                "ae2d8a571e03ac9c9eb76fac45af8e51",
                "591ccb10d410ed26dc5ba74a31362870",
            ),
            (
                "30c81c46a35ce411e5fbc1191a0a52ef",
                "b6ed21b99ca6f4f9f153e7b1beafed1d",
            ),
            (
                "f69f2445df4f9b17ad2b417be66c3710",
                "23304b7a39f9f3ff067d8d8f9e24ecc7",
            ),
        ];
        for (plain, expected) in blocks {
            let plain = decode(plain, TextEncoding::HexLower).unwrap();
            let mut out = vec![0; cipher.padded_len(plain.len())];
            cipher.encrypt_in_place(&plain, &mut out);
            assert_eq!(encode(&out[..BLOCK], TextEncoding::HexLower), expected);
        }
    }
}
