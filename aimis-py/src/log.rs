//! The SDK's `tracing` events in Python's `logging`: each event becomes one record of
//! the logger named after its target under `aimis` (`aimis.call`, `aimis.batch`,
//! `aimis.callback`, `aimis.inbox`), DEBUG for each call, WARNING for retries and rate
//! pauses, so `logging.basicConfig(level=logging.DEBUG)` shows what the SDK does.
//!
//! Each event asks its logger `isEnabledFor` once (the GIL taken for it); when logging
//! is off for it, nothing is formatted. Lines hold names, counts, codes and durations,
//! never the token, a signature or patient data.

use aimis::trace::{LineSink, Lines};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use tracing::Level;

/// `logging.getLogger`, looked up once.
static GET_LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

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
