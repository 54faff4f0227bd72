//! `AsyncClient` requests running on the module's threads ([`crate::pool`]), and how
//! their outcomes reach the caller's event loop.
//!
//! A thread with an outcome does not take the GIL to hand it over: while the loop runs
//! Python, taking the GIL waits for the loop to let go of it (up to Python's switch
//! interval, 5 ms), and with many requests in flight those waits were most of a call's
//! time. Instead the outcome joins its loop's [`Completions`] queue; the first to join
//! an empty queue wakes the loop to drain it, and the loop builds the answers and
//! settles the futures of everything that came meanwhile. Where the loop can watch a
//! socket (`add_reader`: every loop but Windows' proactor) the wake is a byte written to
//! a socket pair, without the GIL; elsewhere it is `call_soon_threadsafe`, which takes
//! the GIL for a moment.
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

/// The outcomes waiting for one event loop; made with the loop, one per loop.
#[pyclass(frozen, module = "aimis._native", name = "Completions")]
pub struct Completions {
    queue: Arc<Mutex<Queue>>,
    call_soon_threadsafe: Py<PyAny>,
    /// The socket pair the loop watches, once it does; until then (or on a loop that
    /// cannot watch sockets) drains are asked for with `call_soon_threadsafe`.
    #[cfg(unix)]
    wake: std::sync::OnceLock<WakePair>,
}

/// A socket pair: a byte written to `write` wakes the loop that watches `read`.
#[cfg(unix)]
struct WakePair {
    read: std::os::unix::net::UnixStream,
    write: std::os::unix::net::UnixStream,
}

#[cfg(unix)]
impl WakePair {
    fn new() -> std::io::Result<Self> {
        let (read, write) = std::os::unix::net::UnixStream::pair()?;
        read.set_nonblocking(true)?;
        // A full buffer means wakes are pending already: never wait for room.
        write.set_nonblocking(true)?;
        Ok(WakePair { read, write })
    }

    /// Reads every byte written so far: one read, unless it fills the buffer.
    fn clear(&self) {
        use std::io::Read;
        let mut bytes = [0u8; 64];
        while matches!((&self.read).read(&mut bytes), Ok(n) if n == bytes.len()) {}
    }
}

impl std::fmt::Debug for Completions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Completions")
    }
}

#[pymethods]
impl Completions {
    /// The outcome queue of `event_loop`; it asks the loop to watch its wake socket
    /// where the loop can.
    #[staticmethod]
    fn of(event_loop: &Bound<'_, PyAny>) -> PyResult<Py<Completions>> {
        let py = event_loop.py();
        let this = Py::new(
            py,
            Completions {
                queue: Arc::default(),
                call_soon_threadsafe: event_loop.getattr("call_soon_threadsafe")?.unbind(),
                #[cfg(unix)]
                wake: std::sync::OnceLock::new(),
            },
        )?;
        #[cfg(unix)]
        if let Ok(pair) = WakePair::new() {
            use std::os::fd::AsRawFd;
            let drain = this.getattr(py, "drain")?;
            match event_loop.call_method1("add_reader", (pair.read.as_raw_fd(), drain)) {
                Ok(_) => {
                    let _ = this.get().wake.set(pair);
                }
                Err(e) if e.is_instance_of::<pyo3::exceptions::PyNotImplementedError>(py) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(this)
    }

    /// Settles the futures of every outcome that has come (on the loop, with the GIL).
    /// A future cancelled meanwhile takes nothing.
    fn drain(&self, py: Python<'_>) {
        #[cfg(unix)]
        if let Some(pair) = self.wake.get() {
            // Before taking the queue: a wake written after this finds the outcome it
            // was for still queued, or an empty queue; none is lost.
            pair.clear();
        }
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
    if !ask {
        return;
    }
    #[cfg(unix)]
    if let Some(pair) = this.wake.get() {
        use std::io::Write;
        // Fails only when the buffer is full of wakes not yet read: woken already.
        let _ = (&pair.write).write(&[1]);
        return;
    }
    exit::attach(|py| {
        let drain = completions.getattr(py, "drain");
        // The loop may be closed by now: nobody is waiting, and nothing is lost.
        let _ = drain.and_then(|drain| this.call_soon_threadsafe.call1(py, (drain,)));
    });
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
