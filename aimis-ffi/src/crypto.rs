//! The platform's field cipher and request signature, for HIS code that builds or checks
//! messages itself (and for support cases).

use std::ffi::c_char;

use zeroize::Zeroizing;

use crate::boundary::{Dest, arg_str, arg_text, guard, set_call_encoding};
use crate::result::{Failure, aimis_result};
use crate::text::{TextEncoding, aimis_text_encoding_arg};

/// The body of every encrypt export: the plaintext is read in `encoding`, encrypted as
/// UTF-8, and the hex handed over.
///
/// # Safety
/// The strings are NULL or NUL-terminated; `dest`'s pointers are valid for writes.
unsafe fn encrypt(
    token: *const c_char,
    plaintext: *const c_char,
    encoding: aimis_text_encoding_arg,
    dest: Dest,
) -> Result<(), Failure> {
    let encoding = TextEncoding::from_arg(encoding)?;
    set_call_encoding(encoding);
    // SAFETY: the caller's promises.
    let (token, plaintext) = unsafe {
        (
            arg_str(token, "token")?,
            arg_text(plaintext, "plaintext", encoding)?,
        )
    };
    let ciphertext = core_aimis::encrypt_field(token, &plaintext)?;
    // SAFETY: the caller's promise.
    unsafe { dest.deliver(&ciphertext, encoding, "the ciphertext") }
}

/// The body of every decrypt export: the plaintext is decrypted as UTF-8 and handed
/// over in `encoding`; every copy made here is wiped.
///
/// # Safety
/// As for [`encrypt`].
unsafe fn decrypt(
    token: *const c_char,
    hex: *const c_char,
    encoding: aimis_text_encoding_arg,
    dest: Dest,
) -> Result<(), Failure> {
    let encoding = TextEncoding::from_arg(encoding)?;
    set_call_encoding(encoding);
    // SAFETY: the caller's promises.
    let (token, hex) = unsafe { (arg_str(token, "token")?, arg_str(hex, "hex")?) };
    let text = Zeroizing::new(core_aimis::decrypt_field(token, hex)?);
    // SAFETY: the caller's promise.
    unsafe { dest.deliver(&text, encoding, "the plaintext") }
}

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
pub unsafe extern "system" fn aimis_encrypt_field(
    token: *const c_char,
    plaintext: *const c_char,
    hex: *mut *mut c_char,
) -> aimis_result {
    // SAFETY: the caller's promises.
    guard("aimis_encrypt_field", || unsafe {
        encrypt(token, plaintext, 0, Dest::string(hex, "hex")?)
    })
}

/// Like `aimis_encrypt_field`, with `plaintext` in `encoding` (GB18030: read as GB18030,
/// encrypted as the platform expects, UTF-8). `AIMIS_INVALID_TEXT` if `plaintext` is not
/// valid in that encoding.
///
/// Ownership: the arguments stay the caller's. On success `*hex` receives a string the
/// caller owns and frees with `aimis_string_free`; on failure it is untouched.
///
/// # Safety
/// The strings are NULL or NUL-terminated; `hex` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_encrypt_field_with_encoding(
    token: *const c_char,
    plaintext: *const c_char,
    encoding: aimis_text_encoding_arg,
    hex: *mut *mut c_char,
) -> aimis_result {
    // SAFETY: the caller's promises.
    guard("aimis_encrypt_field_with_encoding", || unsafe {
        encrypt(token, plaintext, encoding, Dest::string(hex, "hex")?)
    })
}

/// Like `aimis_encrypt_field_with_encoding`, writing the hex into the caller's `buffer`
/// of `buffer_len` bytes, for languages that cannot call `aimis_string_free`.
///
/// On success the hex and its NUL are in `buffer` and `*needed` is their length, the
/// NUL counted. If the buffer is too small: `AIMIS_BUFFER_TOO_SMALL`, `*needed` is the
/// size needed (NUL counted) and nothing else is written; call again with a buffer that
/// large. `buffer` may be NULL when `buffer_len` is 0 (to ask for the size).
///
/// Ownership: everything stays the caller's; nothing is to be freed.
///
/// # Safety
/// The strings are NULL or NUL-terminated; `buffer` is NULL or valid for writes of
/// `buffer_len` bytes; `needed` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_encrypt_field_into(
    token: *const c_char,
    plaintext: *const c_char,
    encoding: aimis_text_encoding_arg,
    buffer: *mut c_char,
    buffer_len: usize,
    needed: *mut usize,
) -> aimis_result {
    // SAFETY: the caller's promises.
    guard("aimis_encrypt_field_into", || unsafe {
        encrypt(
            token,
            plaintext,
            encoding,
            Dest::buffer(buffer, buffer_len, needed)?,
        )
    })
}

/// Decrypts one field value (hex in either case) with the token.
///
/// Ownership: the arguments stay the caller's. On success `*plaintext` receives a string
/// the caller owns and frees with `aimis_string_free` (which wipes it); it is patient
/// data. On failure (`AIMIS_CRYPTO`: bad hex, wrong length, wrong token) it is untouched.
///
/// # Safety
/// The strings are NULL or NUL-terminated; `plaintext` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_decrypt_field(
    token: *const c_char,
    hex: *const c_char,
    plaintext: *mut *mut c_char,
) -> aimis_result {
    // SAFETY: the caller's promises.
    guard("aimis_decrypt_field", || unsafe {
        decrypt(token, hex, 0, Dest::string(plaintext, "plaintext")?)
    })
}

/// Like `aimis_decrypt_field`, handing the plaintext over in `encoding` (GB18030: the
/// decrypted UTF-8 is converted to GB18030).
///
/// Ownership: the arguments stay the caller's. On success `*plaintext` receives a string
/// the caller owns and frees with `aimis_string_free` (which wipes it); it is patient
/// data. On failure it is untouched.
///
/// # Safety
/// The strings are NULL or NUL-terminated; `plaintext` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_decrypt_field_with_encoding(
    token: *const c_char,
    hex: *const c_char,
    encoding: aimis_text_encoding_arg,
    plaintext: *mut *mut c_char,
) -> aimis_result {
    // SAFETY: the caller's promises.
    guard("aimis_decrypt_field_with_encoding", || unsafe {
        decrypt(token, hex, encoding, Dest::string(plaintext, "plaintext")?)
    })
}

/// Like `aimis_decrypt_field_with_encoding`, writing the plaintext into the caller's
/// `buffer` of `buffer_len` bytes. `AIMIS_BUFFER_TOO_SMALL` as for
/// `aimis_encrypt_field_into` (`*needed` counts the NUL; nothing else is written).
/// Wipe the buffer when done: it holds patient data.
///
/// Ownership: everything stays the caller's; nothing is to be freed.
///
/// # Safety
/// The strings are NULL or NUL-terminated; `buffer` is NULL or valid for writes of
/// `buffer_len` bytes; `needed` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_decrypt_field_into(
    token: *const c_char,
    hex: *const c_char,
    encoding: aimis_text_encoding_arg,
    buffer: *mut c_char,
    buffer_len: usize,
    needed: *mut usize,
) -> aimis_result {
    // SAFETY: the caller's promises.
    guard("aimis_decrypt_field_into", || unsafe {
        decrypt(
            token,
            hex,
            encoding,
            Dest::buffer(buffer, buffer_len, needed)?,
        )
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
pub unsafe extern "system" fn aimis_sign(
    app_id: *const c_char,
    token: *const c_char,
    timestamp_ms: *const c_char,
    signature: *mut *mut c_char,
) -> aimis_result {
    guard("aimis_sign", || {
        let out = Dest::string(signature, "signature")?;
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
        unsafe { out.deliver(&signature, TextEncoding::Utf8, "the signature") }
    })
}
