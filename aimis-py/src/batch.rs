//! `Client.batch`: many requests of one endpoint, run by the core's batch on a thread of
//! its own; Python iterates over the outcomes as they complete, the GIL released while
//! it waits, and Ctrl-C stops the batch, requests in flight included. Rows are pulled from the Python iterable one at a time as the batch needs
//! them, so an input of any length holds only a few dozen rows in memory.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aimis::batch::MAX_CONCURRENCY;
use aimis::registry::EndpointDef;
use aimis::{BatchOptions, SERVICE};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt, PyIterator};
use serde_json::Value;

use crate::convert;
use crate::errors;
use crate::pending::{self, Completions, Pending};

/// The options of `Client.batch`: `concurrency` a whole number and `rate` a number or
/// None, neither a bool. Their ranges (and so what the batch's clock can represent)
/// are the core's to check, in [`Batch::start`].
pub fn options(
    concurrency: &Bound<'_, PyAny>,
    rate: Option<&Bound<'_, PyAny>>,
) -> PyResult<BatchOptions> {
    let not_a = |rule: String, value: &Bound<'_, PyAny>| {
        errors::config(format!("{rule}, not a {}", convert::type_name(value)))
    };
    let whole = || format!("concurrency must be a whole number from 1 to {MAX_CONCURRENCY}");
    let concurrency = match concurrency.cast::<PyInt>() {
        Ok(int) if !concurrency.is_instance_of::<PyBool>() => {
            // Below 1 or past usize: out of range, which the core says.
            int.extract::<usize>().unwrap_or(0)
        }
        _ => return Err(not_a(whole(), concurrency)),
    };
    let rate = match rate {
        None => None,
        Some(value) if value.is_none() => None,
        Some(value) if value.is_instance_of::<PyBool>() => {
            return Err(not_a(number_rule(), value));
        }
        Some(value) => match value.cast::<PyFloat>() {
            Ok(float) => Some(float.value()),
            Err(_) => match value.cast::<PyInt>() {
                // Past 2^63 it is out of range whichever way.
                Ok(int) => Some(int.extract::<i64>().map_or(f64::INFINITY, |n| n as f64)),
                Err(_) => return Err(not_a(number_rule(), value)),
            },
        },
    };
    Ok(BatchOptions {
        concurrency,
        rate,
        ..BatchOptions::default()
    })
}

fn number_rule() -> String {
    "rate must be a number of requests per second, or None".to_owned()
}

/// How often a wait for the next outcome runs the signal handlers (Ctrl-C), as
/// often as a call waiting on the platform asks (`aimis::interruptible`).
const SIGNAL_CHECKS: Duration = Duration::from_millis(100);

/// A row, or the `ValidationError` that converting it raised.
type Row = Result<Value, PyErr>;

/// One outcome as Python gets it: `(index, data or None, error or None)`.
type Outcome = (usize, Py<PyAny>, Py<PyAny>);

/// Why a row failed: the core's error, or its conversion from Python.
enum Failure {
    Core(aimis::Error),
    Row(PyErr),
}

struct Finished {
    index: usize,
    result: Result<Value, Failure>,
}

/// The outcomes of a running batch, in the order they complete: `(index, data, error)`.
#[pyclass(frozen, module = "aimis._native", name = "Batch")]
pub struct Batch {
    outcomes: Arc<Mutex<Receiver<Finished>>>,
    stop: Arc<AtomicBool>,
    /// An exception the row iterable itself raised: raised once the outcomes so far end.
    broken: Arc<Mutex<Option<PyErr>>>,
}

impl std::fmt::Debug for Batch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch").finish_non_exhaustive()
    }
}

impl Batch {
    pub fn start(
        client: Arc<aimis::Client>,
        endpoint: &'static EndpointDef,
        rows: Py<PyIterator>,
        options: BatchOptions,
    ) -> PyResult<Batch> {
        // Checked now, so that unusable options raise here, not on the first outcome.
        options.check().map_err(errors::from_core)?;
        let (sender, outcomes) = sync_channel(options.concurrency * 2);
        let stop = Arc::new(AtomicBool::new(false));
        let broken = Arc::new(Mutex::new(None));
        let rows = Rows {
            rows,
            stop: Arc::clone(&stop),
            broken: Arc::clone(&broken),
        };
        let stopping = Arc::clone(&stop);
        std::thread::Builder::new()
            .name("aimis-batch".into())
            .spawn(move || run(&client, endpoint, rows, &options, &sender, &stopping))
            .map_err(|e| errors::config(format!("cannot start the batch's thread: {e}")))?;
        Ok(Batch {
            outcomes: Arc::new(Mutex::new(outcomes)),
            stop,
            broken,
        })
    }
}

fn run(
    client: &aimis::Client,
    endpoint: &EndpointDef,
    rows: Rows,
    options: &BatchOptions,
    sender: &SyncSender<Finished>,
    stop: &Arc<AtomicBool>,
) {
    let call = |row: &Row| match row {
        // Stopped (Ctrl-C, or Python let go of the batch): requests waiting on the
        // platform end too, and nothing is left running.
        Ok(request) => {
            let stop = Arc::clone(stop);
            aimis::interruptible(
                move || stop.load(Ordering::SeqCst),
                || client.call_json(endpoint.name, request),
            )
        }
        // Not sent; the conversion's own error is the outcome (see below).
        Err(_) => Err(aimis::batch::unreadable_row("")),
    };
    let _ = aimis::batch::run(options, &SERVICE, rows, call, |outcome| {
        let result = match outcome.input {
            Err(converting) => Err(Failure::Row(converting)),
            Ok(mut request) => {
                aimis::message::wipe(&mut request);
                outcome.result.map_err(Failure::Core)
            }
        };
        let finished = Finished {
            index: outcome.index,
            result,
        };
        if sender.send(finished).is_err() {
            // Python let go of the batch: take no more rows.
            stop.store(true, Ordering::SeqCst);
        }
    });
}

#[pymethods]
impl Batch {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Outcome>> {
        let next = loop {
            let waited = py.detach(|| self.outcomes().recv_timeout(SIGNAL_CHECKS));
            match waited {
                Ok(finished) => break Some(finished),
                Err(RecvTimeoutError::Disconnected) => break None,
                Err(RecvTimeoutError::Timeout) => {
                    if let Err(interrupt) = py.check_signals() {
                        self.stop_and_wait(py);
                        return Err(interrupt);
                    }
                }
            }
        };
        outcome(py, next, &self.broken)
    }

    /// [`Batch::__next__`] on the module's threads, for `AsyncClient.batch`: returns
    /// at once, and the next outcome (None at the end) settles `future` through
    /// `completions`, its loop's (see `pending`), unless cancelled first.
    fn start_next(&self, completions: Py<Completions>, future: Py<PyAny>) -> PyResult<Pending> {
        let outcomes = Arc::clone(&self.outcomes);
        let broken = Arc::clone(&self.broken);
        let wait = move |cancelled: &pending::Cancelled| {
            let outcomes = outcomes.lock().unwrap_or_else(|p| p.into_inner());
            loop {
                match outcomes.recv_timeout(SIGNAL_CHECKS) {
                    Ok(finished) => return Some(finished),
                    Err(RecvTimeoutError::Disconnected) => return None,
                    Err(RecvTimeoutError::Timeout) if cancelled.is_set() => return None,
                    Err(RecvTimeoutError::Timeout) => {}
                }
            }
        };
        pending::start(completions, future, wait, move |py, next| {
            let outcome = outcome(py, next, &broken)?;
            Ok(outcome.into_pyobject(py)?.into_any().unbind())
        })
    }

    /// Takes no more rows; requests waiting on the platform end too (their answers are
    /// dropped).
    fn close(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// The outcome Python gets for `next`: None at the end, or the exception reading the
/// rows raised once the outcomes before it are out.
fn outcome(
    py: Python<'_>,
    next: Option<Finished>,
    broken: &Mutex<Option<PyErr>>,
) -> PyResult<Option<Outcome>> {
    let Some(finished) = next else {
        return match broken.lock().unwrap_or_else(|p| p.into_inner()).take() {
            Some(error) => Err(error),
            None => Ok(None),
        };
    };
    let (data, error) = match finished.result {
        Ok(mut data) => {
            let converted = convert::to_py(py, &data);
            aimis::message::wipe(&mut data);
            (converted?, py.None())
        }
        Err(Failure::Core(error)) => (
            py.None(),
            errors::from_core(error).into_value(py).into_any(),
        ),
        Err(Failure::Row(error)) => (py.None(), error.into_value(py).into_any()),
    };
    Ok(Some((finished.index, data, error)))
}

impl Batch {
    fn outcomes(&self) -> std::sync::MutexGuard<'_, Receiver<Finished>> {
        self.outcomes.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Stops the batch, requests in flight included, and returns once its threads
    /// have ended, dropping (and wiping) the outcomes that come meanwhile.
    fn stop_and_wait(&self, py: Python<'_>) {
        self.stop.store(true, Ordering::SeqCst);
        py.detach(|| {
            for finished in self.outcomes().iter() {
                if let Ok(mut data) = finished.result {
                    aimis::message::wipe(&mut data);
                }
            }
        });
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// The Python iterable's rows, pulled with the GIL as the batch needs them.
struct Rows {
    rows: Py<PyIterator>,
    stop: Arc<AtomicBool>,
    broken: Arc<Mutex<Option<PyErr>>>,
}

impl Iterator for Rows {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        if self.stop.load(Ordering::SeqCst) {
            return None;
        }
        // The interpreter ending ends the rows too.
        crate::exit::attach(|py| match self.rows.bind(py).clone().next()? {
            Ok(row) => Some(convert::to_json(&row)),
            Err(error) => {
                *self.broken.lock().unwrap_or_else(|p| p.into_inner()) = Some(error);
                None
            }
        })
        .flatten()
    }
}
