//! The host's log callback: libaimis's `tracing` events (each call and attempt, each
//! retry, each batch, each callback verified), one line of text each, handed to a
//! function the host gives, so that a HIS can write them into its own log file. Silent
//! until a callback is set. Lines hold names, counts, codes and durations, never the
//! token, a signature or patient data.

use std::ffi::{CString, c_char, c_int, c_void};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, Ordering};

use core_aimis::trace::{LineSink, Lines};
use tracing::Level;

use crate::boundary::guard;
use crate::result::{Failure, aimis_result};

/// How much libaimis tells the log callback: each level includes those above it.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum aimis_log_level {
    /// Nothing: the default.
    AIMIS_LOG_OFF = 0,
    /// Failures the SDK itself could not handle.
    AIMIS_LOG_ERROR = 1,
    /// Retries, rate pauses, refused callbacks.
    AIMIS_LOG_WARN = 2,
    /// Batches done.
    AIMIS_LOG_INFO = 3,
    /// Each call's attempts (endpoint, HTTP status, AIMIS code, duration), each callback
    /// verified.
    AIMIS_LOG_DEBUG = 4,
    /// Everything.
    AIMIS_LOG_TRACE = 5,
}

/// How an `aimis_log_level` crosses the ABI into libaimis: as a plain int, checked (C
/// may pass any value). The header shows it as `aimis_log_level`.
#[allow(non_camel_case_types)]
pub type aimis_log_level_arg = c_int;

/// The host's log function: `level` of the event, `line` one line of UTF-8 text without
/// a newline (valid during the call only), `user_data` as given to
/// `aimis_set_log_callback`. Called from any thread that runs libaimis work (a batch's
/// workers too), possibly at the same time: it must be thread-safe, and must not call
/// `aimis_set_log_callback`.
#[allow(non_camel_case_types)]
pub type aimis_log_fn = Option<
    unsafe extern "system" fn(level: aimis_log_level, line: *const c_char, user_data: *mut c_void),
>;

const LEVELS: [aimis_log_level; 6] = [
    aimis_log_level::AIMIS_LOG_OFF,
    aimis_log_level::AIMIS_LOG_ERROR,
    aimis_log_level::AIMIS_LOG_WARN,
    aimis_log_level::AIMIS_LOG_INFO,
    aimis_log_level::AIMIS_LOG_DEBUG,
    aimis_log_level::AIMIS_LOG_TRACE,
];

fn level_of(level: Level) -> aimis_log_level {
    match level {
        Level::ERROR => aimis_log_level::AIMIS_LOG_ERROR,
        Level::WARN => aimis_log_level::AIMIS_LOG_WARN,
        Level::INFO => aimis_log_level::AIMIS_LOG_INFO,
        Level::DEBUG => aimis_log_level::AIMIS_LOG_DEBUG,
        Level::TRACE => aimis_log_level::AIMIS_LOG_TRACE,
    }
}

/// The level asked for, as its number: read for every event, so it is an atomic.
static MAX_LEVEL: AtomicU8 = AtomicU8::new(0);

/// The host's function and its `user_data` (as an address: a raw pointer is not `Send`).
static CALLBACK: Mutex<Option<(HostFn, usize)>> = Mutex::new(None);

type HostFn = unsafe extern "system" fn(aimis_log_level, *const c_char, *mut c_void);

struct HostSink;

impl LineSink for HostSink {
    fn enabled(&self, level: Level, _target: &str) -> bool {
        level_of(level) as u8 <= MAX_LEVEL.load(Ordering::Relaxed)
    }

    fn line(&self, level: Level, target: &str, line: &str) {
        // Copied out, so the host's function runs without the lock held.
        let Some((function, user_data)) = *CALLBACK.lock().unwrap_or_else(|p| p.into_inner())
        else {
            return;
        };
        let Ok(text) = CString::new(format!("{target}: {line}")) else {
            return;
        };
        // SAFETY: the host promised a function that takes these arguments and is safe to
        // call from any thread; `text` outlives the call.
        unsafe { function(level_of(level), text.as_ptr(), user_data as *mut c_void) }
    }
}

/// Sends libaimis's events at `level` and above (`AIMIS_LOG_DEBUG`: each call) to `fn`,
/// one line of text each, with `user_data` passed along; replaces any callback set
/// before. `AIMIS_LOG_OFF` or a NULL `fn` silences it again (the default). Process-wide.
///
/// A line names the event and its fields (`aimis::call: call answered
/// endpoint="patientStudies" attempt=1 http.response.status_code=200 duration_ms=12`);
/// never the token, a signature, patient data or a report link.
///
/// `AIMIS_VALIDATION` if `level` is not an `aimis_log_level`.
///
/// # Safety
/// `fn` is NULL or a function as `aimis_log_fn` describes, callable until another
/// callback is set; `user_data` is whatever it expects.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_set_log_callback(
    level: aimis_log_level_arg,
    r#fn: aimis_log_fn,
    user_data: *mut c_void,
) -> aimis_result {
    guard("aimis_set_log_callback", || {
        let level = usize::try_from(level)
            .ok()
            .and_then(|at| LEVELS.get(at))
            .ok_or_else(|| {
                Failure::new(
                    aimis_result::AIMIS_VALIDATION,
                    format!("argument `level` is {level}, not an aimis_log_level (0 to 5)"),
                )
            })?;
        let callback = r#fn.map(|function| (function, user_data as usize));
        let level = match callback {
            Some(_) => *level as u8,
            None => 0,
        };
        *CALLBACK.lock().unwrap_or_else(|p| p.into_inner()) = callback;
        MAX_LEVEL.store(level, Ordering::Relaxed);
        // Installed once, on first use: a process that never sets a callback has no
        // subscriber at all, and its events cost an atomic load each.
        let _ = tracing::subscriber::set_global_default(Lines(HostSink));
        Ok(())
    })
}
