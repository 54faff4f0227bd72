//! Many requests of one endpoint in one call: bounded concurrency, an optional rate
//! ceiling and back-off when the platform asks to slow down, one outcome per request.

use std::ffi::c_char;

use core_aimis::{BatchOptions, SERVICE};
use serde_json::Value;

use crate::boundary::{Dest, arg_ref, arg_str, arg_text, guard, set_call_encoding};
use crate::client::aimis_client;
use crate::result::{Failure, aimis_result};
use crate::text::json_text;

/// A request, or why its line is not one.
type Row = Result<Value, String>;

/// The requests: a JSON array, or JSON Lines (one request per non-empty line).
fn rows(text: &str) -> Result<Vec<Row>, Failure> {
    if text.trim_start().starts_with('[') {
        let Ok(Value::Array(items)) = serde_json::from_str::<Value>(text) else {
            return Err(Failure::new(
                aimis_result::AIMIS_INVALID_JSON,
                "argument `requests_json` starts with `[` but is not a JSON array",
            ));
        };
        return Ok(items.into_iter().map(Ok).collect());
    }
    Ok(text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).map_err(|_| "the line is not JSON".to_owned()))
        .collect())
}

/// The body of both batch exports.
///
/// # Safety
/// As for `aimis_client_batch`; `dest`'s pointers are valid for writes.
unsafe fn batch(
    client: *const aimis_client,
    endpoint: *const c_char,
    requests_json: *const c_char,
    concurrency: u32,
    rate_per_second: f64,
    dest: Dest,
) -> Result<(), Failure> {
    // SAFETY: the caller's promise.
    let client = unsafe { arg_ref(client, "client")? };
    set_call_encoding(client.encoding());
    // SAFETY: the caller's promises.
    let (endpoint, requests) = unsafe {
        (
            arg_str(endpoint, "endpoint")?,
            arg_text(requests_json, "requests_json", client.encoding())?,
        )
    };
    let options = BatchOptions {
        concurrency: match concurrency {
            0 => BatchOptions::default().concurrency,
            n => n as usize,
        },
        rate: (rate_per_second != 0.0).then_some(rate_per_second),
        ..BatchOptions::default()
    };
    let endpoint = SERVICE
        .endpoint(endpoint)
        .ok_or_else(|| core_aimis::json::unknown_endpoint(&SERVICE, endpoint))?;
    let mut outcomes = Vec::new();
    let call = |row: &Row| match row {
        Ok(request) => client.call_json(endpoint.name, request),
        Err(why) => Err(core_aimis::batch::unreadable_row(why.as_str())),
    };
    core_aimis::batch::run(&options, &SERVICE, rows(&requests)?, call, |mut outcome| {
        outcomes.push((outcome.index, outcome.to_json()));
        if let Ok(request) = &mut outcome.input {
            core_aimis::message::wipe(request);
        }
    })?;
    outcomes.sort_unstable_by_key(|(index, _)| *index);
    let mut all = Value::Array(outcomes.into_iter().map(|(_, line)| line).collect());
    let json = json_text(&mut all);
    // SAFETY: the caller's promise.
    unsafe { dest.deliver(&json, client.encoding(), "the outcomes") }
}

/// Runs one request of `endpoint` per element of `requests_json`, at most `concurrency`
/// at a time (0: 8; at most 256), starting at most `rate_per_second` requests a second
/// (0: no ceiling), and waits for all of them.
///
/// `requests_json` is a JSON array of requests, or JSON Lines (one request per line),
/// each as for `aimis_client_call`. When the platform asks to slow down (HTTP 429, or
/// FetchLimitExceeded) the batch pauses, lowers its concurrency and sends that request
/// again, a bounded number of times. One request's failure does not stop the others: it
/// is that request's outcome.
///
/// Ownership: the arguments stay the caller's. On success `*outcomes_json` receives a
/// JSON array with one outcome per request, in the order of the requests:
/// `{"row": N, "ok": true, "data": ...}` or `{"row": N, "ok": false, "error": {"kind",
/// "code", "message"}}`, rows numbered from 1 and `code` given for platform errors. The
/// caller owns it and frees it with `aimis_string_free`; it holds patient data. On
/// failure (a NULL or unreadable argument, an unknown endpoint, `AIMIS_CONFIG` for an
/// unusable concurrency or rate) it is untouched and nothing was sent.
///
/// # Safety
/// `client` is NULL or a live client; the strings are NULL or NUL-terminated;
/// `outcomes_json` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_client_batch(
    client: *const aimis_client,
    endpoint: *const c_char,
    requests_json: *const c_char,
    concurrency: u32,
    rate_per_second: f64,
    outcomes_json: *mut *mut c_char,
) -> aimis_result {
    // SAFETY: the caller's promises.
    guard("aimis_client_batch", || unsafe {
        let dest = Dest::string(outcomes_json, "outcomes_json")?;
        batch(
            client,
            endpoint,
            requests_json,
            concurrency,
            rate_per_second,
            dest,
        )
    })
}

/// Like `aimis_client_batch`, writing the outcomes into the caller's `buffer` of
/// `buffer_len` bytes; `AIMIS_BUFFER_TOO_SMALL` with `*needed` set (NUL counted) and
/// nothing else written if they do not fit. The requests were sent and their outcomes
/// are not kept: call again with a buffer of at least `*needed` bytes.
///
/// Ownership: everything stays the caller's; nothing is to be freed.
///
/// # Safety
/// As for `aimis_client_batch`; `buffer` is NULL or valid for writes of `buffer_len`
/// bytes; `needed` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_client_batch_into(
    client: *const aimis_client,
    endpoint: *const c_char,
    requests_json: *const c_char,
    concurrency: u32,
    rate_per_second: f64,
    buffer: *mut c_char,
    buffer_len: usize,
    needed: *mut usize,
) -> aimis_result {
    // SAFETY: the caller's promises.
    guard("aimis_client_batch_into", || unsafe {
        let dest = Dest::buffer(buffer, buffer_len, needed)?;
        batch(
            client,
            endpoint,
            requests_json,
            concurrency,
            rate_per_second,
            dest,
        )
    })
}
