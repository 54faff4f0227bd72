use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::encoding::{decode, encode, encode_into_string};
use crate::credentials::Token;
use crate::registry::{AuthScheme, MessagePart};

/// HMAC-SHA256 keyed with the token over the spec's message (appId + timestamp),
/// encoded as the spec says. The keyed state is computed once and cloned per
/// signature; every copy of it (enough to forge signatures) is wiped when dropped, by
/// the hash crates' `zeroize` feature.
#[derive(Clone)]
pub struct Signer {
    keyed: Hmac<Sha256>,
    scheme: &'static AuthScheme,
}

// Dropping an `Hmac<Sha256>` drops its two hash states and its block buffer, which the
// `zeroize` feature of hmac and sha2 wipes: this fails to compile if it is left out.
const _: fn() = || {
    fn wiped_on_drop<T: zeroize::ZeroizeOnDrop>() {}
    wiped_on_drop::<<Sha256 as hmac::EagerHash>::Core>();
    wiped_on_drop::<hmac::digest::block_api::Buffer<hmac::block_api::HmacCore<Sha256>>>();
};

impl Signer {
    pub fn new(token: &Token, scheme: &'static AuthScheme) -> Self {
        let keyed = Hmac::<Sha256>::new_from_slice(token.expose_secret().as_bytes())
            .expect("HMAC accepts keys of any length");
        Signer { keyed, scheme }
    }

    pub fn scheme(&self) -> &'static AuthScheme {
        self.scheme
    }

    /// The signature header's value for this app id and timestamp (as sent).
    pub fn sign(&self, app_id: &str, timestamp: &str) -> String {
        encode(&self.mac(app_id, timestamp), self.scheme.encoding)
    }

    /// [`Signer::sign`], appended to `out`.
    pub fn sign_into(&self, app_id: &str, timestamp: &str, out: &mut String) {
        encode_into_string(&self.mac(app_id, timestamp), self.scheme.encoding, out)
    }

    /// Checks a received signature in constant time; hex in either case is accepted.
    pub fn verify(&self, app_id: &str, timestamp: &str, signature: &str) -> bool {
        let Ok(received) = decode(signature.trim(), self.scheme.encoding) else {
            return false;
        };
        let mut mac = self.keyed.clone();
        self.update(&mut mac, app_id, timestamp);
        mac.verify_slice(&received).is_ok()
    }

    fn mac(&self, app_id: &str, timestamp: &str) -> [u8; 32] {
        let mut mac = self.keyed.clone();
        self.update(&mut mac, app_id, timestamp);
        mac.finalize().into_bytes().into()
    }

    fn update(&self, mac: &mut Hmac<Sha256>, app_id: &str, timestamp: &str) {
        for part in self.scheme.message {
            mac.update(match part {
                MessagePart::AppId => app_id.as_bytes(),
                MessagePart::Timestamp => timestamp.as_bytes(),
            });
        }
    }
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("scheme", self.scheme)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
impl Signer {
    /// Keyed with arbitrary bytes, for the RFC 4231 vectors whose keys are not tokens.
    pub(crate) fn with_key(key: &[u8], scheme: &'static AuthScheme) -> Self {
        Signer {
            keyed: Hmac::<Sha256>::new_from_slice(key).unwrap(),
            scheme,
        }
    }

    /// The MAC of raw bytes with this key (the vectors' data is not always UTF-8).
    pub(crate) fn mac_bytes(&self, data: &[u8]) -> [u8; 32] {
        let mut mac = self.keyed.clone();
        mac.update(data);
        mac.finalize().into_bytes().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::{MessagePart, TextEncoding, TimestampUnit};

    static PLAIN: AuthScheme = AuthScheme {
        app_id_header: "appId",
        timestamp_header: "timestamp",
        signature_header: "signature",
        message: &[MessagePart::AppId, MessagePart::Timestamp],
        encoding: TextEncoding::HexLower,
        timestamp: TimestampUnit::UnixMillis,
        max_skew_seconds: 300,
    };

    fn hex(text: &str) -> Vec<u8> {
        super::decode(text, TextEncoding::HexLower).unwrap()
    }

    /// RFC 4231 test cases 1-7 (case 5 is truncated output, checked on its prefix).
    #[test]
    fn rfc_4231_vectors() {
        let key_131 = vec![0xaa; 131];
        let cases: [(Vec<u8>, Vec<u8>, &str); 7] = [
            (vec![0x0b; 20], b"Hi There".to_vec(), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
            (b"Jefe".to_vec(), b"what do ya want for nothing?".to_vec(), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
            (vec![0xaa; 20], vec![0xdd; 50], "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
            (hex("0102030405060708090a0b0c0d0e0f10111213141516171819"), vec![0xcd; 50], "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
            (vec![0x0c; 20], b"Test With Truncation".to_vec(), "a3b6167473100ee06e0c796c2955552b"),
            (key_131.clone(), b"Test Using Larger Than Block-Size Key - Hash Key First".to_vec(), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
            (key_131, b"This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".to_vec(), "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
        ];
        for (key, data, expected) in cases {
            // sign() concatenates appId + timestamp; for a UTF-8 datum it must agree too.
            if let Ok(text) = std::str::from_utf8(&data) {
                assert!(
                    Signer::with_key(&key, &PLAIN)
                        .sign(text, "")
                        .starts_with(expected)
                );
            }
            let signer = Signer::with_key(&key, &PLAIN);
            let mac = encode(&signer.mac_bytes(&data), TextEncoding::HexLower);
            assert!(mac.starts_with(expected), "{expected}");
        }
    }

    #[test]
    fn verify_accepts_either_hex_case_and_refuses_others() {
        let signer = Signer::with_key(b"k", &PLAIN);
        let good = signer.sign("app", "1700000000000");
        assert!(signer.verify("app", "1700000000000", &good));
        assert!(signer.verify("app", "1700000000000", &good.to_uppercase()));
        assert!(!signer.verify("app", "1700000000001", &good));
        assert!(!signer.verify("app", "1700000000000", &good[..62]));
        assert!(!signer.verify("app", "1700000000000", "not hex"));
    }
}
