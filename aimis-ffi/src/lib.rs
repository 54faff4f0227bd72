//! libaimis: the C ABI of the aimis client for Tencent's AIMIS medical imaging cloud.
//!
//! Built as `libaimis.so` and `libaimis.a`; `include/aimis.h` is generated from this
//! crate by cbindgen (`cargo run -p xtask -- generate`). Every export follows the rules
//! in [`boundary`]: no panic crosses into C, NULL and non-UTF-8 arguments are errors,
//! out-parameters are written only on success, and the reason for a failure is kept
//! per thread for `aimis_last_error_message`.
//!
//! Every export is `extern "system"`: `stdcall` on 32-bit Windows, the convention that
//! PowerBuilder, Delphi and VB6 programs call DLLs with (`AIMIS_CALL` in the header),
//! and the C convention everywhere else, so the Linux ABI is unchanged.

mod batch;
mod boundary;
mod callback;
mod client;
mod crypto;
mod inbox;
mod log;
mod registry;
mod result;
mod text;

use std::ffi::{CString, c_char};

use zeroize::Zeroize;

pub use batch::{aimis_client_batch, aimis_client_batch_into};
pub use callback::{
    aimis_callback_verify, aimis_callback_verify_into, aimis_callback_verify_with_encoding,
    aimis_verifier, aimis_verifier_free, aimis_verifier_new, aimis_verifier_set_max_skew_ms,
    aimis_verifier_set_now_ms, aimis_verifier_set_text_encoding, aimis_verifier_verify,
    aimis_verifier_verify_headers, aimis_verifier_verify_headers_into, aimis_verifier_verify_into,
};
pub use client::{
    aimis_client, aimis_client_call, aimis_client_call_into, aimis_client_free, aimis_client_new,
    aimis_client_new_with_options, aimis_options, aimis_options_add_ca_file,
    aimis_options_add_ca_pem, aimis_options_free, aimis_options_new,
    aimis_options_set_allow_insecure_http, aimis_options_set_connect_timeout_ms,
    aimis_options_set_proxy, aimis_options_set_proxy_from_env, aimis_options_set_retries,
    aimis_options_set_text_encoding, aimis_options_set_timeout_ms,
    aimis_options_set_user_agent_product,
};
pub use crypto::{
    aimis_decrypt_field, aimis_decrypt_field_into, aimis_decrypt_field_with_encoding,
    aimis_encrypt_field, aimis_encrypt_field_into, aimis_encrypt_field_with_encoding, aimis_sign,
};
pub use inbox::{
    aimis_inbox, aimis_inbox_ack, aimis_inbox_free, aimis_inbox_nack, aimis_inbox_next,
    aimis_inbox_next_into, aimis_inbox_open,
};
pub use log::{aimis_log_fn, aimis_log_level, aimis_log_level_arg, aimis_set_log_callback};
pub use registry::aimis_endpoints_json;
pub use result::aimis_result;
pub use text::{aimis_text_encoding, aimis_text_encoding_arg};

/// Frees a string that libaimis handed to the caller, first overwriting it with zeros
/// (it may hold decrypted patient data). NULL is a no-op.
///
/// # Safety
/// `s` is NULL or a string from libaimis not yet freed; it is not used after this call.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_string_free(s: *mut c_char) {
    boundary::guard_infallible((), || {
        if !s.is_null() {
            // SAFETY: made by CString::into_raw in libaimis, freed once, as promised.
            let mut bytes = unsafe { CString::from_raw(s) }.into_bytes_with_nul();
            bytes.zeroize();
        }
    })
}

/// Why the last failed call on this thread failed: the field and the rule, the HTTP
/// status, or the platform's code and message; never patient data or the token. ""
/// if no call has failed on this thread. Successful calls leave it unchanged.
///
/// Encoding: the text encoding of the call that failed: a client's calls use the
/// client's encoding, the `_with_encoding` and `_into` functions their `encoding`
/// argument, a verifier its own; every other failure (and any failure before the
/// encoding is known, such as a NULL client) is UTF-8, which is plain ASCII for those
/// messages.
///
/// Ownership: libaimis owns the string; do not free it. It stays valid until the next
/// failing call on this thread; copy it to keep it.
#[unsafe(no_mangle)]
pub extern "system" fn aimis_last_error_message() -> *const c_char {
    boundary::guard_infallible(c"".as_ptr(), boundary::last_error_message)
}

/// Copies this thread's last error message (as `aimis_last_error_message` gives it, in
/// the text encoding of the call that failed) into the caller's `buffer` of
/// `buffer_len` bytes, for languages that cannot read a C string they do not own.
/// `*needed` is the message's length with its NUL. If the buffer is too small:
/// `AIMIS_BUFFER_TOO_SMALL`, `*needed` is the size needed and nothing else is written.
/// Unlike every other function, this one never changes the last error, not even when
/// it fails (NULL `needed`: `AIMIS_NULL_ARGUMENT`), so it can be called again.
///
/// Ownership: everything stays the caller's; nothing is to be freed.
///
/// # Safety
/// `buffer` is NULL or valid for writes of `buffer_len` bytes; `needed` is NULL or
/// valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_last_error_message_into(
    buffer: *mut c_char,
    buffer_len: usize,
    needed: *mut usize,
) -> aimis_result {
    boundary::guard_infallible(aimis_result::AIMIS_INTERNAL, || {
        let message = boundary::last_error_bytes();
        if needed.is_null() || (buffer.is_null() && buffer_len > 0) {
            return aimis_result::AIMIS_NULL_ARGUMENT;
        }
        // SAFETY: non-NULL and writable, as the caller promises.
        unsafe { needed.write(message.len()) };
        if message.len() > buffer_len {
            return aimis_result::AIMIS_BUFFER_TOO_SMALL;
        }
        // SAFETY: the buffer holds buffer_len >= message.len() bytes, as promised.
        unsafe { std::ptr::copy_nonoverlapping(message.as_ptr(), buffer.cast(), message.len()) };
        aimis_result::AIMIS_OK
    })
}

/// The platform's `code` if the last failed call on this thread failed with
/// `AIMIS_API` (such as 10003, no data), else 0.
#[unsafe(no_mangle)]
pub extern "system" fn aimis_last_api_code() -> i64 {
    boundary::guard_infallible(0, boundary::last_api_code)
}

/// The name of a result code, such as "AIMIS_API", or "AIMIS_UNKNOWN_RESULT" for a
/// number this version does not know.
///
/// Ownership: a static string; do not free it.
#[unsafe(no_mangle)]
pub extern "system" fn aimis_result_name(result: i32) -> *const c_char {
    boundary::guard_infallible(c"AIMIS_UNKNOWN_RESULT".as_ptr(), || {
        result::aimis_result::from_i32(result)
            .map_or(c"AIMIS_UNKNOWN_RESULT".as_ptr(), |r| r.name().as_ptr())
    })
}

/// The version of libaimis, such as "0.1.0"; the same as `AIMIS_VERSION_STRING` in the
/// header it was built with.
///
/// Ownership: a static string; do not free it.
#[unsafe(no_mangle)]
pub extern "system" fn aimis_version() -> *const c_char {
    const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    VERSION.as_ptr().cast()
}

#[cfg(test)]
mod tests;
