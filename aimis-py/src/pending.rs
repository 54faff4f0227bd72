//! `AsyncClient` requests running on the module's threads ([`crate::pool`]), and how
//! their outcomes reach the caller's event loop.
//!
//! A thread with an outcome does not take the GIL to hand it over: while the loop runs
//! Python, taking the GIL waits for the loop to let go of it (up to Python's switch
//! interval, 5 ms), and with many requests in flight those waits were most of a call's
//! time. Instead the outcome joins its loop's [`Completions`] queue; the first to join
//! an empty queue asks the loop (`call_soon_threadsafe`) to drain it, and the loop
//! builds the answers and settles the futures of everything that came meanwhile.
//! [`Pending::cancel`] stops a request where it waits (`aimis::interruptible`), and a
//! cancelled request settles nothing.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

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

/// Makes, on the loop's thread, what settles a future: its result or its exception.
type Build = Box<dyn for<'py> FnOnce(Python<'py>) -> PyResult<Py<PyAny>> + Send>;

/// An outcome waiting for its loop.
struct Done {
    future: Py<PyAny>,
    build: Build,
}

#[derive(Default)]
struct Queue {
    done: Vec<Done>,
    /// A drain is asked for and has not started yet.
    drain_asked: bool,
}

/// The outcomes waiting for one event loop; made with the loop's
/// `call_soon_threadsafe`, one per loop.
#[pyclass(frozen, module = "aimis._native", name = "Completions")]
pub struct Completions {
    queue: Arc<Mutex<Queue>>,
    call_soon_threadsafe: Py<PyAny>,
}

impl std::fmt::Debug for Completions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Completions")
    }
}

#[pymethods]
impl Completions {
    #[new]
    fn new(call_soon_threadsafe: Py<PyAny>) -> Self {
        Completions {
            queue: Arc::default(),
            call_soon_threadsafe,
        }
    }

    /// Settles the futures of every outcome that has come (on the loop, with the GIL).
    /// A future cancelled meanwhile takes nothing.
    fn drain(&self, py: Python<'_>) {
        let done = {
            let mut queue = lock(&self.queue);
            queue.drain_asked = false;
            std::mem::take(&mut queue.done)
        };
        for Done { future, build } in done {
            let future = future.bind(py);
            if future
                .call_method0("done")
                .and_then(|done| done.is_truthy())
                .unwrap_or(true)
            {
                continue;
            }
            // The future's own errors (none expected: it is not done) are nobody's.
            let _ = match build(py) {
                Ok(value) => future.call_method1("set_result", (value,)),
                Err(error) => future.call_method1("set_exception", (error.into_value(py),)),
            };
        }
    }
}

/// Queues an outcome on `completions`; the first of a drain asks the loop for one.
fn push(completions: &Py<Completions>, done: Done) {
    let this = completions.get();
    let ask = {
        let mut queue = lock(&this.queue);
        queue.done.push(done);
        !std::mem::replace(&mut queue.drain_asked, true)
    };
    if ask {
        exit::attach(|py| {
            let drain = completions.getattr(py, "drain");
            // The loop may be closed by now: nobody is waiting, and nothing is lost.
            let _ = drain.and_then(|drain| this.call_soon_threadsafe.call1(py, (drain,)));
        });
    }
}

fn lock(queue: &Mutex<Queue>) -> std::sync::MutexGuard<'_, Queue> {
    queue.lock().unwrap_or_else(|p| p.into_inner())
}

/// Runs `wait` on the pool, without the GIL; then, unless cancelled, queues on
/// `completions` the outcome that `build` makes of what it returned, on the loop's
/// thread, for `future`: its result, or the exception it is set to.
pub fn start<W: Send + 'static>(
    completions: Py<Completions>,
    future: Py<PyAny>,
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
        let build = Box::new(move |py: Python<'_>| build(py, waited));
        push(&completions, Done { future, build });
    })
    .map_err(|e| errors::config(format!("cannot start a thread for the request: {e}")))?;
    Ok(Pending { cancelled })
}
