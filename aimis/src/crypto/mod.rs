//! The signer and the field cipher, parameterised by the spec's auth and cipher schemes.

mod cipher;
mod encoding;
mod signer;

pub use cipher::FieldCipher;
pub use signer::Signer;
