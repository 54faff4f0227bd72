//! One `AsyncClient` request running on the module's threads ([`crate::pool`]). Its
//! outcome goes to `deliver(data, error)`, a Python callable that hands it to the
//! caller's event loop (`loop.call_soon_threadsafe`); [`Pending::cancel`] stops the
//! request where it waits (`aimis::interruptible`), and a cancelled request delivers
//! nothing, to anyone.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use pyo3::prelude::*;

use crate::{errors, exit, pool};

/// A request in flight; `cancel()` stops it.
#[derive(Debug)]
#[pyclass(frozen, module = "aimis._native", name = "Pending")]
pub struct Pending {
    cancelled: Arc<AtomicBool>,
}

#[pymethods]
impl Pending {
    /// Stops the request (within 100 ms where it waits on the platform); its outcome,
    /// if it has one, is dropped.
    fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
    }
}

/// Whether a request was cancelled: asked by the job while it waits.
#[derive(Clone)]
pub struct Cancelled(Arc<AtomicBool>);

impl Cancelled {
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Runs `wait` on the pool, without the GIL; then, unless cancelled, builds the
/// outcome from what it returned with `build`, and calls `deliver` with it:
/// `(value, None)` or `(None, exception)`.
pub fn start<W: Send + 'static>(
    deliver: Py<PyAny>,
    wait: impl FnOnce(&Cancelled) -> W + Send + 'static,
    build: impl for<'py> FnOnce(Python<'py>, W) -> PyResult<Py<PyAny>> + Send + 'static,
) -> PyResult<Pending> {
    let cancelled = Arc::new(AtomicBool::new(false));
    let flag = Cancelled(Arc::clone(&cancelled));
    pool::spawn(move || {
        if flag.is_set() {
            return;
        }
        let waited = wait(&flag);
        if flag.is_set() {
            return;
        }
        exit::attach(|py| {
            let args = match build(py, waited) {
                Ok(value) => (value, py.None()),
                Err(error) => (py.None(), error.into_value(py).into_any()),
            };
            // The loop may be closed by now: nobody is waiting, and nothing is lost.
            let _ = deliver.call1(py, args);
        });
    })
    .map_err(|e| errors::config(format!("cannot start a thread for the request: {e}")))?;
    Ok(Pending { cancelled })
}
