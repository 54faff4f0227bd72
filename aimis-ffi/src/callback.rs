//! Verifying the platform's status callbacks in the partner's HTTP handler.

use std::ffi::c_char;

use core_aimis::{CallbackVerifier, Credentials, SERVICE};

use crate::boundary::{Out, arg_opt_str, arg_str, guard};
use crate::result::{Failure, aimis_result};

/// Verifies a study status callback the platform posted to the partner: the appId
/// header is ours, the timestamp is within 5 minutes of now, the signature matches
/// (constant time); then decrypts phoneNum and idNum and checks the required fields.
///
/// `app_id` and `token` are the partner's credentials. `header_app_id`,
/// `header_timestamp` and `header_signature` are the values of the request's `appId`,
/// `timestamp` and `signature` headers; NULL means the header is absent (a rejection,
/// not an argument error). `body` points to the raw request body of `body_len` bytes,
/// not necessarily NUL-terminated.
///
/// Results: `AIMIS_CALLBACK_REJECTED` when the headers do not authenticate the sender,
/// `AIMIS_CALLBACK_MALFORMED` when the body is not what the spec describes; answer both
/// with an error. The signature covers only appId and timestamp, not the body: handle
/// callbacks idempotently.
///
/// Ownership: the arguments stay the caller's. On success `*callback_json` receives the
/// callback as JSON with the vendor's names and phoneNum/idNum decrypted, a string the
/// caller owns and frees with `aimis_string_free`; it is patient data. On failure it is
/// untouched.
///
/// # Safety
/// The strings are NULL or NUL-terminated; `body` is NULL or valid for reads of
/// `body_len` bytes; `callback_json` is NULL or valid for a write.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)] // the signature is fixed by the design
pub unsafe extern "C" fn aimis_callback_verify(
    app_id: *const c_char,
    token: *const c_char,
    header_app_id: *const c_char,
    header_timestamp: *const c_char,
    header_signature: *const c_char,
    body: *const c_char,
    body_len: usize,
    callback_json: *mut *mut c_char,
) -> aimis_result {
    guard("aimis_callback_verify", || {
        let out = Out::new(callback_json, "callback_json")?;
        // SAFETY: the caller's promises.
        let (app_id, token) = unsafe { (arg_str(app_id, "app_id")?, arg_str(token, "token")?) };
        let auth = &SERVICE.auth;
        let mut headers = Vec::with_capacity(3);
        for (name, value, argument) in [
            (auth.app_id_header, header_app_id, "header_app_id"),
            (auth.timestamp_header, header_timestamp, "header_timestamp"),
            (auth.signature_header, header_signature, "header_signature"),
        ] {
            // SAFETY: the caller's promise.
            if let Some(value) = unsafe { arg_opt_str(value, argument)? } {
                headers.push((name, value));
            }
        }
        if body.is_null() {
            return Err(Failure::new(
                aimis_result::AIMIS_NULL_ARGUMENT,
                "argument `body` is NULL",
            ));
        }
        // SAFETY: non-NULL and valid for body_len bytes, as the caller promises.
        let body = unsafe { std::slice::from_raw_parts(body.cast::<u8>(), body_len) };
        let verifier = CallbackVerifier::new(Credentials::new(app_id, token)?);
        let callback =
            core_aimis::json::verify_callback(&verifier, &SERVICE.callbacks[0], &headers, body)?;
        // SAFETY: the caller's promise.
        unsafe { out.set_string(callback.to_string(), "the callback") }
    })
}
