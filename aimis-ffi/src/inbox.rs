//! The consuming side of `aimis inbox`, for HIS software that cannot host an endpoint:
//! `aimis inbox serve` receives and stores the platform's callbacks; these functions
//! claim them one at a time, decrypted, and acknowledge them once handled.

use std::ffi::c_char;
use std::time::Duration;

use core_aimis::Credentials;
use inbox::{Inbox, InboxError, State};

use crate::boundary::{Dest, Out, arg_ref, arg_str, guard, guard_infallible};
use crate::result::{Failure, aimis_result};
use crate::text::{TextEncoding, json_text};

/// An inbox store (SQLite or PostgreSQL), opened for consuming. Opaque. Safe to share
/// between threads (calls are serialised on its connection); each claim goes to one
/// caller only, also across processes.
#[allow(non_camel_case_types)]
#[derive(Debug)]
pub struct aimis_inbox {
    inner: Inbox,
}

impl From<InboxError> for Failure {
    fn from(error: InboxError) -> Self {
        let code = match &error {
            InboxError::BadStoreUrl { .. }
            | InboxError::NoCredentials
            | InboxError::BadOption { .. } => aimis_result::AIMIS_CONFIG,
            InboxError::NotFound(_) | InboxError::WrongState { .. } => {
                aimis_result::AIMIS_VALIDATION
            }
            InboxError::Undecryptable { .. } => aimis_result::AIMIS_CRYPTO,
            _ => aimis_result::AIMIS_STORE,
        };
        Failure::new(code, error.naming_store("store_url"))
    }
}

/// Opens the store `store_url` (`sqlite:PATH`, or `postgres://...`), applying its
/// schema migrations, with the credentials that decrypt what it holds.
///
/// Ownership: the strings stay the caller's. On success `*out` receives an inbox the
/// caller owns and frees with `aimis_inbox_free`; on failure it is untouched
/// (`AIMIS_CONFIG` for a bad URL or credentials, `AIMIS_STORE` if the database cannot
/// be opened).
///
/// # Safety
/// The strings are NULL or NUL-terminated; `out` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_inbox_open(
    store_url: *const c_char,
    app_id: *const c_char,
    token: *const c_char,
    out: *mut *mut aimis_inbox,
) -> aimis_result {
    guard("aimis_inbox_open", || {
        let out = Out::new(out, "out")?;
        // SAFETY: the caller's promises.
        let (url, app_id, token) = unsafe {
            (
                arg_str(store_url, "store_url")?,
                arg_str(app_id, "app_id")?,
                arg_str(token, "token")?,
            )
        };
        let inner = Inbox::open(url, Credentials::new(app_id, token)?)?;
        // SAFETY: the caller's promise.
        unsafe { out.set(Box::into_raw(Box::new(aimis_inbox { inner }))) };
        Ok(())
    })
}

/// Frees an inbox. NULL is a no-op.
///
/// # Safety
/// `inbox` is NULL or a live inbox that no other thread is using and that is not used
/// again after this call.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_inbox_free(inbox: *mut aimis_inbox) {
    guard_infallible((), || {
        if !inbox.is_null() {
            // SAFETY: made by Box::into_raw in aimis_inbox_open, freed once, as promised.
            drop(unsafe { Box::from_raw(inbox) });
        }
    })
}

/// # Safety
/// As for `aimis_inbox_next`; `dest`'s pointers are valid for writes.
unsafe fn next(inbox: *const aimis_inbox, lease_seconds: u32, dest: Dest) -> Result<(), Failure> {
    // SAFETY: the caller's promise.
    let inbox = unsafe { arg_ref(inbox, "inbox")? };
    let lease = Duration::from_secs(u64::from(lease_seconds.max(1)));
    let item = inbox.inner.next(lease)?;
    let text = match &item {
        Some(item) => json_text(&mut item.to_json()),
        None => json_text(&mut serde_json::Value::Null),
    };
    // SAFETY: the caller's promise.
    let delivered = unsafe { dest.deliver(&text, TextEncoding::Utf8, "the callback") };
    if let (Err(_), Some(item)) = (&delivered, &item) {
        // Not handed over (a buffer too small: the caller asks again with `*needed`
        // bytes): given back uncounted, so asking costs no attempt and loses nothing.
        inbox.inner.unclaim(item.id)?;
    }
    delivered
}

/// Claims the oldest pending callback for `lease_seconds` (at least 1): if it is not
/// acknowledged by then, it is handed out again. A study's callbacks come one at a
/// time, in the order received.
///
/// Ownership: on success `*item_json` receives `{"id", "callback", "received_at",
/// "attempts"}` (the callback with the vendor's names, phoneNum and idNum decrypted;
/// from a `--confirm` inbox also `"unconfirmed": ["status"]`, the fields the platform
/// could not vouch for),
/// or `null` when nothing is pending: a string the caller owns and frees with
/// `aimis_string_free`. It holds patient data. On failure it is untouched.
///
/// # Safety
/// `inbox` is NULL or a live inbox; `item_json` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_inbox_next(
    inbox: *const aimis_inbox,
    lease_seconds: u32,
    item_json: *mut *mut c_char,
) -> aimis_result {
    // SAFETY: the caller's promises.
    guard("aimis_inbox_next", || unsafe {
        next(inbox, lease_seconds, Dest::string(item_json, "item_json")?)
    })
}

/// Like `aimis_inbox_next`, writing into the caller's `buffer`; `AIMIS_BUFFER_TOO_SMALL`
/// with `*needed` set (NUL counted) and nothing else written if it does not fit, in
/// which case the callback is given back unclaimed, its attempt not counted: ask with
/// `NULL, 0` for the size, then again with a buffer of `*needed` bytes.
///
/// # Safety
/// As for `aimis_inbox_next`; `buffer` is NULL or valid for writes of `buffer_len`
/// bytes; `needed` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_inbox_next_into(
    inbox: *const aimis_inbox,
    lease_seconds: u32,
    buffer: *mut c_char,
    buffer_len: usize,
    needed: *mut usize,
) -> aimis_result {
    // SAFETY: the caller's promises.
    guard("aimis_inbox_next_into", || unsafe {
        next(
            inbox,
            lease_seconds,
            Dest::buffer(buffer, buffer_len, needed)?,
        )
    })
}

/// Marks the claimed callback `id` handled; it is not handed out again. Acknowledging
/// it twice is not an error; an unknown id is `AIMIS_VALIDATION`.
///
/// # Safety
/// `inbox` is NULL or a live inbox.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_inbox_ack(inbox: *const aimis_inbox, id: i64) -> aimis_result {
    guard("aimis_inbox_ack", || {
        // SAFETY: the caller's promise.
        let inbox = unsafe { arg_ref(inbox, "inbox")? };
        Ok(inbox.inner.ack(id)?)
    })
}

/// Gives the claimed callback `id` back: pending again now, for this or another
/// consumer. After too many claims without an acknowledgement it becomes a dead letter
/// (`aimis inbox retry` brings it back).
///
/// # Safety
/// `inbox` is NULL or a live inbox.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_inbox_nack(inbox: *const aimis_inbox, id: i64) -> aimis_result {
    guard("aimis_inbox_nack", || {
        // SAFETY: the caller's promise.
        let inbox = unsafe { arg_ref(inbox, "inbox")? };
        Ok(inbox.inner.nack(id)?)
    })
}

/// Delivers `value` as the JSON `aimis inbox ... --json` prints.
///
/// # Safety
/// `dest`'s pointers are valid for writes.
unsafe fn deliver_json(
    dest: Dest,
    value: &impl serde::Serialize,
    what: &str,
) -> Result<(), Failure> {
    let text = json_text(&mut serde_json::to_value(value).unwrap_or_default());
    // SAFETY: the caller's promise.
    unsafe { dest.deliver(&text, TextEncoding::Utf8, what) }
}

/// Lists the stored callbacks in `state` (`pending`, `delivered`, `superseded`, `dead`,
/// or `all`; NULL is `all`), oldest first, as `aimis inbox list --json` prints them:
/// a JSON array of `{"id", "state", "received_at", "attempts", "leased",
/// "confirmation", "callback"}`, the callback with patient data masked (`***`).
///
/// Ownership: on success `*list_json` receives a string the caller owns and frees with
/// `aimis_string_free`; on failure it is untouched (`AIMIS_VALIDATION` for an unknown
/// state).
///
/// # Safety
/// `inbox` is NULL or a live inbox; `state` is NULL or NUL-terminated; `list_json` is
/// NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_inbox_list_json(
    inbox: *const aimis_inbox,
    state: *const c_char,
    list_json: *mut *mut c_char,
) -> aimis_result {
    guard("aimis_inbox_list_json", || {
        let dest = Dest::string(list_json, "list_json")?;
        // SAFETY: the caller's promises.
        let inbox = unsafe { arg_ref(inbox, "inbox")? };
        let state = if state.is_null() {
            None
        } else {
            // SAFETY: the caller's promise.
            State::parse_filter(unsafe { arg_str(state, "state")? })
                .map_err(|e| Failure::new(aimis_result::AIMIS_VALIDATION, e.to_string()))?
        };
        // SAFETY: the caller's promise.
        unsafe { deliver_json(dest, &inbox.inner.list(state)?, "the listing") }
    })
}

/// The inbox's counts, as `aimis inbox stats --json` prints them: a JSON object with
/// `received`, `duplicates`, `replays_refused`, `same_millisecond`, `links_mismatched`,
/// `fields_mismatched`, `not_confirmed`, `refused`, `refused_by_reason`, `pending`, `leased`,
/// `awaiting_confirmation`, `delivered`, `superseded`, `dead`. No patient data.
///
/// Ownership: on success `*stats_json` receives a string the caller owns and frees with
/// `aimis_string_free`; on failure it is untouched.
///
/// # Safety
/// `inbox` is NULL or a live inbox; `stats_json` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_inbox_stats_json(
    inbox: *const aimis_inbox,
    stats_json: *mut *mut c_char,
) -> aimis_result {
    guard("aimis_inbox_stats_json", || {
        let dest = Dest::string(stats_json, "stats_json")?;
        // SAFETY: the caller's promise.
        let inbox = unsafe { arg_ref(inbox, "inbox")? };
        // SAFETY: the caller's promise.
        unsafe { deliver_json(dest, &inbox.inner.stats()?, "the stats") }
    })
}
