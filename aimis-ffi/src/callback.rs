//! Verifying the platform's status callbacks in the partner's HTTP handler.

use std::ffi::{CStr, c_char};
use std::sync::Arc;
use std::time::Duration;

use crate::boundary::{
    Dest, arg_mut, arg_ref, arg_str, guard, guard_infallible, set_call_encoding,
};
use crate::result::{Failure, aimis_result};
use crate::text::{TextEncoding, aimis_text_encoding_arg, json_text};
use core_aimis::{CallbackVerifier, Credentials, FixedClock, SERVICE, SystemClock};

/// A callback verifier: the partner's credentials, the allowed clock skew, the clock and
/// the text encoding of the JSON it hands over. Opaque; made by `aimis_verifier_new`,
/// changed by the `aimis_verifier_set_*` functions (not while another thread uses it),
/// freed by `aimis_verifier_free`. Once set up, any number of threads may verify with it
/// at once.
#[allow(non_camel_case_types)]
#[derive(Debug)]
pub struct aimis_verifier {
    inner: CallbackVerifier,
    encoding: TextEncoding,
}

/// The headers and body of one callback, as the HTTP server received them.
struct Received {
    headers: Headers,
    body: *const c_char,
    body_len: usize,
}

enum Headers {
    /// The values of the appId, timestamp and signature headers; NULL when absent.
    Three([*const c_char; 3]),
    /// Every header as the server received them: `count` names and values.
    List {
        names: *const *const c_char,
        values: *const *const c_char,
        count: usize,
    },
}

impl Received {
    fn three(
        app_id: *const c_char,
        timestamp: *const c_char,
        signature: *const c_char,
        body: *const c_char,
        body_len: usize,
    ) -> Self {
        Received {
            headers: Headers::Three([app_id, timestamp, signature]),
            body,
            body_len,
        }
    }

    fn list(
        names: *const *const c_char,
        values: *const *const c_char,
        count: usize,
        body: *const c_char,
        body_len: usize,
    ) -> Self {
        Received {
            headers: Headers::List {
                names,
                values,
                count,
            },
            body,
            body_len,
        }
    }

    /// The headers as (name, value) pairs. Names and values came from the network: one
    /// that is not UTF-8 rejects the callback. A NULL array or entry is the caller's
    /// mistake: `AIMIS_NULL_ARGUMENT`.
    ///
    /// # Safety
    /// As for [`verify`].
    unsafe fn header_pairs(&self) -> Result<Vec<(&str, &str)>, Failure> {
        let text = |ptr: *const c_char, what: &str| {
            // SAFETY: a non-NULL, NUL-terminated string that outlives the call, as the
            // caller promises (NULLs are refused before this is called).
            unsafe { CStr::from_ptr(ptr) }.to_str().map_err(|_| {
                Failure::new(
                    aimis_result::AIMIS_CALLBACK_REJECTED,
                    format!("callback rejected: {what} is not UTF-8"),
                )
            })
        };
        let auth = &SERVICE.auth;
        let mut pairs = Vec::new();
        match &self.headers {
            Headers::Three(values) => {
                let names = [
                    auth.app_id_header,
                    auth.timestamp_header,
                    auth.signature_header,
                ];
                for (name, value) in names.into_iter().zip(values) {
                    if !value.is_null() {
                        // absent otherwise: the verifier names it
                        pairs.push((name, text(*value, &format!("the `{name}` header"))?));
                    }
                }
            }
            Headers::List {
                names,
                values,
                count,
            } => {
                if *count == 0 {
                    return Ok(pairs);
                }
                if names.is_null() || values.is_null() {
                    return Err(Failure::new(
                        aimis_result::AIMIS_NULL_ARGUMENT,
                        "argument `header_names` or `header_values` is NULL",
                    ));
                }
                if *count > isize::MAX as usize / std::mem::size_of::<*const c_char>() {
                    return Err(Failure::new(
                        aimis_result::AIMIS_VALIDATION,
                        "argument `header_count` is too large",
                    ));
                }
                // SAFETY: both arrays hold `count` pointers, as the caller promises.
                let (names, values) = unsafe {
                    (
                        std::slice::from_raw_parts(*names, *count),
                        std::slice::from_raw_parts(*values, *count),
                    )
                };
                for (name, value) in names.iter().zip(values) {
                    if name.is_null() || value.is_null() {
                        return Err(Failure::new(
                            aimis_result::AIMIS_NULL_ARGUMENT,
                            "a header name or value is NULL",
                        ));
                    }
                    pairs.push((
                        text(*name, "a header name")?,
                        text(*value, "a header value")?,
                    ));
                }
            }
        }
        Ok(pairs)
    }
}

/// Verifies `received` and hands the callback JSON over in `encoding`.
///
/// Header values and the body come from the network, not from the caller's code: a
/// header that is not UTF-8 is a rejected callback, and a body that is not JSON a
/// malformed one. A NULL body of length 0 is an empty body.
///
/// # Safety
/// The header pointers are NULL or NUL-terminated; `body` is NULL or valid for reads of
/// `body_len` bytes; `dest`'s pointers are valid for writes.
unsafe fn verify(
    verifier: &CallbackVerifier,
    encoding: TextEncoding,
    received: &Received,
    dest: Dest,
) -> Result<(), Failure> {
    // SAFETY: the caller's promises.
    let headers = unsafe { received.header_pairs()? };
    let body: &[u8] = if received.body_len > isize::MAX as usize {
        // A slice may not be longer than isize::MAX bytes: refused before one is built.
        return Err(Failure::new(
            aimis_result::AIMIS_VALIDATION,
            "argument `body_len` exceeds PTRDIFF_MAX",
        ));
    } else if received.body.is_null() {
        if received.body_len != 0 {
            return Err(Failure::new(
                aimis_result::AIMIS_NULL_ARGUMENT,
                "argument `body` is NULL but `body_len` is not 0",
            ));
        }
        &[]
    } else {
        // SAFETY: non-NULL and valid for body_len (<= isize::MAX) bytes, as promised.
        unsafe { std::slice::from_raw_parts(received.body.cast::<u8>(), received.body_len) }
    };
    let mut callback =
        core_aimis::json::verify_callback(verifier, &SERVICE.callbacks[0], &headers, body)?;
    let json = json_text(&mut callback);
    // SAFETY: the caller's promise.
    unsafe { dest.deliver(&json, encoding, "the callback") }
}

/// The body of the verifier's verify exports.
///
/// # Safety
/// As for [`verify`]; `verifier` is NULL or a live verifier.
unsafe fn verify_with(
    verifier: *const aimis_verifier,
    received: &Received,
    dest: Dest,
) -> Result<(), Failure> {
    // SAFETY: the caller's promise.
    let verifier = unsafe { arg_ref(verifier, "verifier")? };
    set_call_encoding(verifier.encoding);
    // SAFETY: the caller's promises.
    unsafe { verify(&verifier.inner, verifier.encoding, received, dest) }
}

/// The body of the stateless verify exports.
///
/// # Safety
/// As for [`verify`]; `app_id` and `token` are NULL or NUL-terminated.
unsafe fn verify_once(
    app_id: *const c_char,
    token: *const c_char,
    encoding: aimis_text_encoding_arg,
    received: &Received,
    dest: Dest,
) -> Result<(), Failure> {
    let encoding = TextEncoding::from_arg(encoding)?;
    set_call_encoding(encoding);
    // SAFETY: the caller's promises.
    let (app_id, token) = unsafe { (arg_str(app_id, "app_id")?, arg_str(token, "token")?) };
    let verifier = CallbackVerifier::new(Credentials::new(app_id, token)?);
    // SAFETY: the caller's promises.
    unsafe { verify(&verifier, encoding, received, dest) }
}

/// Verifies a study status callback the platform posted to the partner: the appId
/// header is ours, the timestamp is within 5 minutes of now, the signature matches
/// (constant time); then decrypts phoneNum and idNum and checks the required fields.
///
/// `app_id` and `token` are the partner's credentials. `header_app_id`,
/// `header_timestamp` and `header_signature` are the values of the request's `appId`,
/// `timestamp` and `signature` headers; NULL means the header is absent, and a value
/// that is not UTF-8 came from the network: both are rejections, not argument errors.
/// `body` points to the raw request body of `body_len` bytes, not necessarily
/// NUL-terminated; NULL with `body_len` 0 is an empty body. A `body_len` above
/// PTRDIFF_MAX is `AIMIS_VALIDATION`.
///
/// Results: `AIMIS_CALLBACK_REJECTED` when the headers do not authenticate the sender,
/// `AIMIS_CALLBACK_MALFORMED` when the body is not what the spec describes; answer both
/// with an error. The signature covers only appId and timestamp, not the body: handle
/// callbacks idempotently.
///
/// Ownership: the arguments stay the caller's. On success `*callback_json` receives the
/// callback as JSON with the vendor's names and phoneNum/idNum decrypted, a string the
/// caller owns and frees with `aimis_string_free` (which wipes it); it is patient data.
/// On failure it is untouched.
///
/// # Safety
/// The strings are NULL or NUL-terminated; `body` is NULL or valid for reads of
/// `body_len` bytes; `callback_json` is NULL or valid for a write.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)] // the signature is fixed by the design
pub unsafe extern "system" fn aimis_callback_verify(
    app_id: *const c_char,
    token: *const c_char,
    header_app_id: *const c_char,
    header_timestamp: *const c_char,
    header_signature: *const c_char,
    body: *const c_char,
    body_len: usize,
    callback_json: *mut *mut c_char,
) -> aimis_result {
    let received = Received::three(
        header_app_id,
        header_timestamp,
        header_signature,
        body,
        body_len,
    );
    // SAFETY: the caller's promises.
    guard("aimis_callback_verify", || unsafe {
        let dest = Dest::string(callback_json, "callback_json")?;
        verify_once(app_id, token, 0, &received, dest)
    })
}

/// Like `aimis_callback_verify`, handing the callback JSON over in `encoding` (GB18030:
/// the JSON text is GB18030). The headers and body are read as the platform sends them,
/// UTF-8.
///
/// Ownership: as for `aimis_callback_verify`: `*callback_json` is the caller's, freed
/// with `aimis_string_free`; untouched on failure.
///
/// # Safety
/// As for `aimis_callback_verify`.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "system" fn aimis_callback_verify_with_encoding(
    app_id: *const c_char,
    token: *const c_char,
    header_app_id: *const c_char,
    header_timestamp: *const c_char,
    header_signature: *const c_char,
    body: *const c_char,
    body_len: usize,
    encoding: aimis_text_encoding_arg,
    callback_json: *mut *mut c_char,
) -> aimis_result {
    let received = Received::three(
        header_app_id,
        header_timestamp,
        header_signature,
        body,
        body_len,
    );
    // SAFETY: the caller's promises.
    guard("aimis_callback_verify_with_encoding", || unsafe {
        let dest = Dest::string(callback_json, "callback_json")?;
        verify_once(app_id, token, encoding, &received, dest)
    })
}

/// Like `aimis_callback_verify_with_encoding`, writing the callback JSON into the
/// caller's `buffer` of `buffer_len` bytes. On success `*needed` is the length written,
/// its NUL counted. If the buffer is too small: `AIMIS_BUFFER_TOO_SMALL`, `*needed` is
/// the size needed (NUL counted) and nothing else is written. `buffer` may be NULL when
/// `buffer_len` is 0. Wipe the buffer when done: it holds patient data.
///
/// Ownership: everything stays the caller's; nothing is to be freed.
///
/// # Safety
/// As for `aimis_callback_verify`; `buffer` is NULL or valid for writes of `buffer_len`
/// bytes; `needed` is NULL or valid for a write.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "system" fn aimis_callback_verify_into(
    app_id: *const c_char,
    token: *const c_char,
    header_app_id: *const c_char,
    header_timestamp: *const c_char,
    header_signature: *const c_char,
    body: *const c_char,
    body_len: usize,
    encoding: aimis_text_encoding_arg,
    buffer: *mut c_char,
    buffer_len: usize,
    needed: *mut usize,
) -> aimis_result {
    let received = Received::three(
        header_app_id,
        header_timestamp,
        header_signature,
        body,
        body_len,
    );
    // SAFETY: the caller's promises.
    guard("aimis_callback_verify_into", || unsafe {
        let dest = Dest::buffer(buffer, buffer_len, needed)?;
        verify_once(app_id, token, encoding, &received, dest)
    })
}

/// Makes a verifier for the partner's credentials, with the defaults: the system clock,
/// 5 minutes of allowed skew, UTF-8. `AIMIS_CONFIG` for a token that is not 32 bytes.
///
/// Ownership: the strings stay the caller's. On success `*out` receives a verifier the
/// caller owns and frees with `aimis_verifier_free`; on failure it is untouched.
///
/// # Safety
/// The strings are NULL or NUL-terminated; `out` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_verifier_new(
    app_id: *const c_char,
    token: *const c_char,
    out: *mut *mut aimis_verifier,
) -> aimis_result {
    guard("aimis_verifier_new", || {
        let out = crate::boundary::Out::new(out, "out")?;
        // SAFETY: the caller's promises.
        let (app_id, token) = unsafe { (arg_str(app_id, "app_id")?, arg_str(token, "token")?) };
        let verifier = aimis_verifier {
            inner: CallbackVerifier::new(Credentials::new(app_id, token)?),
            encoding: TextEncoding::Utf8,
        };
        // SAFETY: the caller's promise.
        unsafe { out.set(Box::into_raw(Box::new(verifier))) };
        Ok(())
    })
}

/// Frees a verifier. NULL is a no-op.
///
/// # Safety
/// `verifier` is NULL or a live verifier no other thread is using, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_verifier_free(verifier: *mut aimis_verifier) {
    guard_infallible((), || {
        if !verifier.is_null() {
            // SAFETY: made by Box::into_raw in aimis_verifier_new, freed once, as promised.
            drop(unsafe { Box::from_raw(verifier) });
        }
    })
}

/// Runs a verifier setter's body, refusing NULL.
///
/// # Safety
/// `verifier` is NULL or a live verifier used by no other thread.
unsafe fn set_verifier(
    function: &'static str,
    verifier: *mut aimis_verifier,
    body: impl FnOnce(&mut aimis_verifier) -> Result<(), Failure>,
) -> aimis_result {
    guard(function, || {
        // SAFETY: the caller's promise.
        body(unsafe { arg_mut(verifier, "verifier")? })
    })
}

/// How far a callback's timestamp may be from now, either way, in milliseconds (> 0).
/// Default 300000 (the spec's 5 minutes).
///
/// # Safety
/// `verifier` is NULL or a live verifier used by no other thread.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_verifier_set_max_skew_ms(
    verifier: *mut aimis_verifier,
    max_skew_ms: u64,
) -> aimis_result {
    // SAFETY: forwarded.
    unsafe {
        set_verifier("aimis_verifier_set_max_skew_ms", verifier, |v| {
            if max_skew_ms == 0 {
                return Err(Failure::new(
                    aimis_result::AIMIS_VALIDATION,
                    "argument `max_skew_ms` must be greater than 0",
                ));
            }
            v.inner = v.inner.clone().max_skew(Duration::from_millis(max_skew_ms));
            Ok(())
        })
    }
}

/// Checks timestamps against this fixed time, in milliseconds since the epoch, instead
/// of the system clock; 0 returns to the system clock. For replaying stored callbacks
/// with the time they arrived, and for conformance tests.
///
/// # Safety
/// `verifier` is NULL or a live verifier used by no other thread.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_verifier_set_now_ms(
    verifier: *mut aimis_verifier,
    now_ms: u64,
) -> aimis_result {
    // SAFETY: forwarded.
    unsafe {
        set_verifier("aimis_verifier_set_now_ms", verifier, |v| {
            v.inner = if now_ms == 0 {
                v.inner.clone().clock(Arc::new(SystemClock))
            } else {
                v.inner.clone().clock(Arc::new(FixedClock(now_ms)))
            };
            Ok(())
        })
    }
}

/// The text encoding of the callback JSON the verifier hands over (and of its error
/// messages). Default `AIMIS_TEXT_ENCODING_UTF8`.
///
/// # Safety
/// `verifier` is NULL or a live verifier used by no other thread.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_verifier_set_text_encoding(
    verifier: *mut aimis_verifier,
    encoding: aimis_text_encoding_arg,
) -> aimis_result {
    // SAFETY: forwarded.
    unsafe {
        set_verifier("aimis_verifier_set_text_encoding", verifier, |v| {
            v.encoding = TextEncoding::from_arg(encoding)?;
            Ok(())
        })
    }
}

/// Verifies one callback with `verifier`; otherwise as `aimis_callback_verify`.
///
/// Ownership: the arguments stay the caller's. On success `*callback_json` receives the
/// callback JSON (phoneNum/idNum decrypted), which the caller owns and frees with
/// `aimis_string_free`; on failure it is untouched.
///
/// Thread safety: many threads may verify with one verifier at once.
///
/// # Safety
/// `verifier` is NULL or a live verifier; otherwise as for `aimis_callback_verify`.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_verifier_verify(
    verifier: *const aimis_verifier,
    header_app_id: *const c_char,
    header_timestamp: *const c_char,
    header_signature: *const c_char,
    body: *const c_char,
    body_len: usize,
    callback_json: *mut *mut c_char,
) -> aimis_result {
    let received = Received::three(
        header_app_id,
        header_timestamp,
        header_signature,
        body,
        body_len,
    );
    // SAFETY: the caller's promises.
    guard("aimis_verifier_verify", || unsafe {
        let dest = Dest::string(callback_json, "callback_json")?;
        verify_with(verifier, &received, dest)
    })
}

/// Like `aimis_verifier_verify`, writing the callback JSON into the caller's `buffer`
/// of `buffer_len` bytes; `AIMIS_BUFFER_TOO_SMALL` and `*needed` (NUL counted) as for
/// `aimis_callback_verify_into`.
///
/// Ownership: everything stays the caller's; nothing is to be freed.
///
/// # Safety
/// As for `aimis_verifier_verify`; `buffer` is NULL or valid for writes of `buffer_len`
/// bytes; `needed` is NULL or valid for a write.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "system" fn aimis_verifier_verify_into(
    verifier: *const aimis_verifier,
    header_app_id: *const c_char,
    header_timestamp: *const c_char,
    header_signature: *const c_char,
    body: *const c_char,
    body_len: usize,
    buffer: *mut c_char,
    buffer_len: usize,
    needed: *mut usize,
) -> aimis_result {
    let received = Received::three(
        header_app_id,
        header_timestamp,
        header_signature,
        body,
        body_len,
    );
    // SAFETY: the caller's promises.
    guard("aimis_verifier_verify_into", || unsafe {
        let dest = Dest::buffer(buffer, buffer_len, needed)?;
        verify_with(verifier, &received, dest)
    })
}

/// Verifies one callback with `verifier`, given every header the HTTP server received:
/// `header_count` names and values (names in any case). A security header given twice
/// with different values is ambiguous and rejected; a name or value that is not UTF-8
/// came from the network and rejects the callback. Otherwise as `aimis_verifier_verify`.
///
/// Ownership: the arguments stay the caller's. On success `*callback_json` receives the
/// callback JSON (phoneNum/idNum decrypted), which the caller owns and frees with
/// `aimis_string_free`; on failure it is untouched.
///
/// # Safety
/// `verifier` is NULL or a live verifier; `header_names` and `header_values` are NULL or
/// hold `header_count` pointers to NUL-terminated strings; `body` is NULL or valid for
/// reads of `body_len` bytes; `callback_json` is NULL or valid for a write.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "system" fn aimis_verifier_verify_headers(
    verifier: *const aimis_verifier,
    header_names: *const *const c_char,
    header_values: *const *const c_char,
    header_count: usize,
    body: *const c_char,
    body_len: usize,
    callback_json: *mut *mut c_char,
) -> aimis_result {
    let received = Received::list(header_names, header_values, header_count, body, body_len);
    // SAFETY: the caller's promises.
    guard("aimis_verifier_verify_headers", || unsafe {
        let dest = Dest::string(callback_json, "callback_json")?;
        verify_with(verifier, &received, dest)
    })
}

/// Like `aimis_verifier_verify_headers`, writing the callback JSON into the caller's
/// `buffer` of `buffer_len` bytes; `AIMIS_BUFFER_TOO_SMALL` and `*needed` (NUL counted)
/// as for `aimis_callback_verify_into`.
///
/// Ownership: everything stays the caller's; nothing is to be freed.
///
/// # Safety
/// As for `aimis_verifier_verify_headers`; `buffer` is NULL or valid for writes of
/// `buffer_len` bytes; `needed` is NULL or valid for a write.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "system" fn aimis_verifier_verify_headers_into(
    verifier: *const aimis_verifier,
    header_names: *const *const c_char,
    header_values: *const *const c_char,
    header_count: usize,
    body: *const c_char,
    body_len: usize,
    buffer: *mut c_char,
    buffer_len: usize,
    needed: *mut usize,
) -> aimis_result {
    let received = Received::list(header_names, header_values, header_count, body, body_len);
    // SAFETY: the caller's promises.
    guard("aimis_verifier_verify_headers_into", || unsafe {
        let dest = Dest::buffer(buffer, buffer_len, needed)?;
        verify_with(verifier, &received, dest)
    })
}
