//! Patient data in the clear, and encrypted fields as they travel.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::Zeroizing;

/// Patient data (a phone number, an ID number, a name) in the clear.
///
/// Debug shows `***`; there is no Display. The text is zeroized on drop. Encrypted
/// fields hold a `Pii` in the typed request and are encrypted only as the request is
/// sealed for the wire, so plaintext cannot be sent and nothing is encrypted twice.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Pii(Zeroizing<String>);

impl Pii {
    /// Holds `text`, which is wiped when dropped.
    pub fn new(text: impl Into<String>) -> Self {
        Pii(Zeroizing::new(text.into()))
    }

    /// The plaintext. Never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Pii {
    fn from(text: &str) -> Self {
        Pii::new(text)
    }
}

impl From<String> for Pii {
    fn from(text: String) -> Self {
        Pii::new(text)
    }
}

impl fmt::Debug for Pii {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Writes the plaintext: for fields that are sensitive but not encrypted on the wire
/// (patientName), and for handing a verified callback to C or Python.
impl Serialize for Pii {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Pii {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Pii::new)
    }
}

/// An encrypted field as read from the wire, before
/// [`FieldCipher::open`](crate::crypto::FieldCipher::open) decrypts it. (Outbound
/// fields are encrypted straight into the message by [`Message::seal`](crate::message::Message::seal).)
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Ciphertext(pub(crate) String);

impl Ciphertext {
    /// The ciphertext, as on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Ciphertext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // With ECB and one key, a ciphertext is a stable pseudonym of the patient.
        write!(f, "Ciphertext(<{} chars>)", self.0.len())
    }
}
