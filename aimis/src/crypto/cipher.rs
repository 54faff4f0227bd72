use std::fmt;

use aes::Aes256;
use aes::cipher::{BlockDecrypt, BlockEncrypt, KeyInit, generic_array::GenericArray};

use super::encoding::{decode, encode};
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
        FieldCipher { aes: Aes256::new(key), scheme }
    }

    /// Encrypts a field's plaintext.
    pub fn seal(&self, plaintext: &Pii) -> Ciphertext {
        Ciphertext(self.encrypt(plaintext.expose()))
    }

    /// Decrypts a field read from a message.
    pub fn open(&self, ciphertext: &Ciphertext) -> Result<Pii, CryptoError> {
        self.decrypt(ciphertext.as_str()).map(Pii::from)
    }

    /// Encrypts text to its wire form.
    pub fn encrypt(&self, plaintext: &str) -> String {
        let bytes = plaintext.as_bytes();
        let padded_len = match self.scheme.padding {
            Padding::Pkcs7 => (bytes.len() / BLOCK + 1) * BLOCK,
            Padding::Zero => bytes.len().div_ceil(BLOCK) * BLOCK,
        };
        let mut buffer = vec![0u8; padded_len];
        buffer[..bytes.len()].copy_from_slice(bytes);
        if self.scheme.padding == Padding::Pkcs7 {
            let pad = padded_len - bytes.len();
            buffer[bytes.len()..].fill(pad as u8);
        }
        for block in buffer.chunks_exact_mut(BLOCK) {
            self.aes.encrypt_block(GenericArray::from_mut_slice(block));
        }
        let text = encode(&buffer, self.scheme.encoding);
        zeroize::Zeroize::zeroize(&mut buffer);
        text
    }

    /// Decrypts a wire form; hex is accepted in either case.
    pub fn decrypt(&self, text: &str) -> Result<String, CryptoError> {
        let mut buffer = decode(text.trim(), self.scheme.encoding)?;
        if buffer.len() % BLOCK != 0 || (buffer.is_empty() && self.scheme.padding == Padding::Pkcs7) {
            return Err(CryptoError::BadLength);
        }
        for block in buffer.chunks_exact_mut(BLOCK) {
            self.aes.decrypt_block(GenericArray::from_mut_slice(block));
        }
        let len = match self.scheme.padding {
            Padding::Pkcs7 => {
                let pad = usize::from(*buffer.last().unwrap_or(&0));
                let valid = (1..=BLOCK).contains(&pad) && buffer[buffer.len() - pad..].iter().all(|&b| usize::from(b) == pad);
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
        f.debug_struct("FieldCipher").field("scheme", self.scheme).finish_non_exhaustive()
    }
}
