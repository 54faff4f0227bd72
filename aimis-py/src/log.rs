//! The SDK's `tracing` events in Python's `logging`: each event becomes one record of
//! the logger named after its target under `aimis` (`aimis.call`, `aimis.batch`,
//! `aimis.callback`, `aimis.inbox`), DEBUG for each call, WARNING for retries and rate
//! pauses, so `logging.basicConfig(level=logging.DEBUG)` shows what the SDK does.
//!
//! Whether an event is wanted is what its logger's `isEnabledFor` would answer; when
//! logging is off for it, nothing is formatted. Lines hold names, counts, codes and
//! durations, never the token, a signature or patient data.
//!
//! The events of calls and batches come from the module's threads while the caller's
//! thread runs Python (an event loop, say): taking the GIL for each to ask `logging` made
//! every request wait for the GIL two more times. So each call and batch, as it starts
//! on the caller's thread, reads what `aimis.call` and `aimis.batch` want ([`refresh`]),
//! and their events are answered from that; a change to `logging` reaches the calls
//! started after it. Other events (callbacks verified, the inbox) run on the caller's
//! thread and ask `logging` each time.

use std::sync::atomic::{AtomicU32, Ordering};

use aimis::trace::{LineSink, Lines};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use tracing::Level;

/// `logging.getLogger`, looked up once.
static GET_LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The loggers [`refresh`] reads, by target, and their objects (`logging` keeps one
/// object per name for the life of the process).
const READ_AHEAD: [&str; 2] = ["aimis::call", "aimis::batch"];
static READ_AHEAD_LOGGERS: PyOnceLock<[Py<PyAny>; 2]> = PyOnceLock::new();

/// Per logger of [`READ_AHEAD`], the lowest Python level it passes, plus one (0: not
/// read yet; `u32::MAX`: none).
static THRESHOLDS: [AtomicU32; 2] = [AtomicU32::new(0), AtomicU32::new(0)];

/// Reads what the [`READ_AHEAD`] loggers want now, for the events of the calls and
/// batches about to start: `isEnabledFor(level)` is `level >= threshold` with the
/// threshold the logger's effective level, above `logging.disable`'s, none when the
/// logger is disabled.
pub(crate) fn refresh(py: Python<'_>) {
    if unchanged(py) {
        return;
    }
    let read = || -> PyResult<()> {
        let loggers = READ_AHEAD_LOGGERS.get_or_try_init(py, || {
            let [call, batch] = READ_AHEAD.map(|target| logger(py, target).map(Bound::unbind));
            PyResult::Ok([call?, batch?])
        })?;
        let disable: i64 = loggers[0]
            .getattr(py, "manager")?
            .getattr(py, "disable")?
            .extract(py)?;
        for (logger, threshold) in loggers.iter().zip(&THRESHOLDS) {
            let logger = logger.bind(py);
            let lowest = match logger.getattr("disabled")?.is_truthy()? {
                true => u32::MAX,
                false => {
                    let effective: i64 = logger.call_method0("getEffectiveLevel")?.extract()?;
                    let lowest = effective.max(disable.saturating_add(1)).max(0);
                    u32::try_from(lowest).map_or(u32::MAX, |n| n.saturating_add(1))
                }
            };
            threshold.store(lowest, Ordering::Relaxed);
            // The mark `unchanged` looks for.
            logger.call_method1(intern!(py, "isEnabledFor"), (MARK_LEVEL,))?;
        }
        Ok(())
    };
    // Unreadable (logging replaced by something odd): the events ask each time.
    if read().is_err() {
        THRESHOLDS
            .iter()
            .for_each(|t| t.store(0, Ordering::Relaxed));
    }
}

/// The level whose `isEnabledFor` answer [`refresh`] leaves in each logger's `_cache`.
const MARK_LEVEL: u8 = 10;

/// Whether the [`READ_AHEAD`] loggers are as [`refresh`] last read them, asked in a
/// fraction of the time a read takes (a tenth of an async call's time on the event
/// loop): the answer refresh left in each one's `_cache` is still there. CPython's
/// `logging` keeps that memo of `isEnabledFor` on every logger and empties them all
/// whenever a level or `logging.disable` changes, but not when a logger is disabled or
/// enabled again. So a logger disabled at the last read (or without a `_cache`) is read
/// each time; one disabled since has its events dropped by `logging` itself.
fn unchanged(py: Python<'_>) -> bool {
    let Some(loggers) = READ_AHEAD_LOGGERS.get(py) else {
        return false;
    };
    let read_enabled = |t: &AtomicU32| !matches!(t.load(Ordering::Relaxed), 0 | u32::MAX);
    let marked = |logger: &Py<PyAny>| {
        (logger.bind(py).getattr(intern!(py, "_cache")))
            .and_then(|cache| cache.contains(MARK_LEVEL))
            .unwrap_or(false)
    };
    THRESHOLDS.iter().all(read_enabled) && loggers.iter().all(marked)
}

/// Whether a [`READ_AHEAD`] target wants `level`, if [`refresh`] has read it.
fn read_ahead(level: Level, target: &str) -> Option<bool> {
    let slot = READ_AHEAD.iter().position(|t| *t == target)?;
    match THRESHOLDS[slot].load(Ordering::Relaxed) {
        0 => None,
        u32::MAX => Some(false),
        lowest => Some(u32::from(python_level(level)) + 1 >= lowest),
    }
}

struct PythonLogging;

/// Python's number for a level (`logging.DEBUG` is 10); TRACE below DEBUG.
fn python_level(level: Level) -> u8 {
    match level {
        Level::ERROR => 40,
        Level::WARN => 30,
        Level::INFO => 20,
        Level::DEBUG => 10,
        Level::TRACE => 5,
    }
}

/// `aimis::call` -> `aimis.call`; a sibling crate's modules under its name:
/// `aimis_inbox::http` -> `aimis.inbox`.
fn logger_name(target: &str) -> String {
    match target.strip_prefix("aimis_") {
        Some(rest) => format!("aimis.{}", rest.split("::").next().unwrap_or(rest)),
        None => target.replace("::", "."),
    }
}

fn logger<'py>(py: Python<'py>, target: &str) -> PyResult<Bound<'py, PyAny>> {
    let get_logger = GET_LOGGER.get_or_try_init(py, || {
        PyResult::Ok(py.import("logging")?.getattr("getLogger")?.unbind())
    })?;
    get_logger.bind(py).call1((logger_name(target),))
}

impl LineSink for PythonLogging {
    // Through `exit::attach`: an event from a thread of the module while the
    // interpreter ends is dropped rather than taking a GIL that no longer exists.
    fn enabled(&self, level: Level, target: &str) -> bool {
        if let Some(wanted) = read_ahead(level, target) {
            return wanted;
        }
        crate::exit::attach(|py| {
            logger(py, target)
                .and_then(|logger| logger.call_method1("isEnabledFor", (python_level(level),)))
                .and_then(|enabled| enabled.is_truthy())
                .unwrap_or(false)
        })
        .unwrap_or(false)
    }

    fn line(&self, level: Level, target: &str, line: &str) {
        crate::exit::attach(|py| {
            // A handler that raises is the program's logging problem, not the call's.
            let _ = logger(py, target)
                .and_then(|logger| logger.call_method1("log", (python_level(level), "%s", line)));
        });
    }
}

/// Routes the process's `tracing` events to `logging`, once, when the module loads.
pub(crate) fn install() {
    let _ = tracing::subscriber::set_global_default(Lines(PythonLogging));
}
