//! The platform's field cipher and request signature, for HIS code that builds or checks
//! messages itself (and for support cases).

use std::ffi::c_char;

use crate::boundary::{Out, arg_str, guard};
use crate::result::aimis_result;

/// Encrypts one field value as the platform expects: AES-256-ECB keyed with the 32-byte
/// token, PKCS#7 padding, lowercase hex. `aimis_client_call` does this itself; this is
/// for building messages by hand, such as test callbacks.
///
/// Ownership: the arguments stay the caller's. On success `*hex` receives a string the
/// caller owns and frees with `aimis_string_free`; on failure it is untouched.
///
/// # Safety
/// The strings are NULL or NUL-terminated; `hex` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn aimis_encrypt_field(
    token: *const c_char,
    plaintext: *const c_char,
    hex: *mut *mut c_char,
) -> aimis_result {
    guard("aimis_encrypt_field", || {
        let out = Out::new(hex, "hex")?;
        // SAFETY: the caller's promises.
        let (token, plaintext) =
            unsafe { (arg_str(token, "token")?, arg_str(plaintext, "plaintext")?) };
        let ciphertext = core_aimis::encrypt_field(token, plaintext)?;
        // SAFETY: the caller's promise.
        unsafe { out.set_string(ciphertext, "the ciphertext") }
    })
}

/// Decrypts one field value (hex in either case) with the token.
///
/// Ownership: the arguments stay the caller's. On success `*plaintext` receives a string
/// the caller owns and frees with `aimis_string_free`; it is patient data. On failure
/// (`AIMIS_CRYPTO`: bad hex, wrong length, wrong token) it is untouched.
///
/// # Safety
/// The strings are NULL or NUL-terminated; `plaintext` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn aimis_decrypt_field(
    token: *const c_char,
    hex: *const c_char,
    plaintext: *mut *mut c_char,
) -> aimis_result {
    guard("aimis_decrypt_field", || {
        let out = Out::new(plaintext, "plaintext")?;
        // SAFETY: the caller's promises.
        let (token, hex) = unsafe { (arg_str(token, "token")?, arg_str(hex, "hex")?) };
        let text = core_aimis::decrypt_field(token, hex)?;
        // SAFETY: the caller's promise.
        unsafe { out.set_string(text, "the plaintext") }
    })
}

/// The `signature` header for this app id and timestamp: HMAC-SHA256 keyed with the
/// token over app_id + timestamp_ms, lowercase hex. `timestamp_ms` is the decimal
/// milliseconds since the epoch exactly as sent in the `timestamp` header.
///
/// Ownership: the arguments stay the caller's. On success `*signature` receives a string
/// the caller owns and frees with `aimis_string_free`; on failure it is untouched.
///
/// # Safety
/// The strings are NULL or NUL-terminated; `signature` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn aimis_sign(
    app_id: *const c_char,
    token: *const c_char,
    timestamp_ms: *const c_char,
    signature: *mut *mut c_char,
) -> aimis_result {
    guard("aimis_sign", || {
        let out = Out::new(signature, "signature")?;
        // SAFETY: the caller's promises.
        let (app_id, token, timestamp) = unsafe {
            (
                arg_str(app_id, "app_id")?,
                arg_str(token, "token")?,
                arg_str(timestamp_ms, "timestamp_ms")?,
            )
        };
        let signature = core_aimis::sign(app_id, token, timestamp)?;
        // SAFETY: the caller's promise.
        unsafe { out.set_string(signature, "the signature") }
    })
}
