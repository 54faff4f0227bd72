//! Threads of the native module (the async pool, a batch's runner) and the end of the
//! interpreter. Such a thread that held the GIL while Python finalizes would crash it
//! (`PyGILState_Release` on a finalizing runtime), so they take the GIL only through
//! [`attach`], and `atexit` runs [`wait_for_threads`]: from then on [`attach`] declines,
//! and the interpreter goes on only once no thread holds the GIL through it.

use std::sync::{Condvar, Mutex};

use pyo3::prelude::*;

#[derive(Default)]
struct Attached {
    /// Threads inside [`attach`] now.
    count: usize,
    /// The interpreter is ending: no more.
    closed: bool,
}

static ATTACHED: Mutex<Attached> = Mutex::new(Attached {
    count: 0,
    closed: false,
});
static DETACHED: Condvar = Condvar::new();

fn attached() -> std::sync::MutexGuard<'static, Attached> {
    ATTACHED.lock().unwrap_or_else(|p| p.into_inner())
}

/// `Python::attach(f)` from a thread of the module, or None once the interpreter ends.
pub fn attach<R>(f: impl for<'py> FnOnce(Python<'py>) -> R) -> Option<R> {
    {
        let mut state = attached();
        if state.closed {
            return None;
        }
        state.count += 1;
    }
    struct Leave;
    impl Drop for Leave {
        fn drop(&mut self) {
            attached().count -= 1;
            DETACHED.notify_all();
        }
    }
    let _leave = Leave;
    Some(Python::attach(f))
}

/// Registered with `atexit`: refuses new [`attach`]es and waits, without the GIL,
/// for those under way.
#[pyfunction]
pub fn wait_for_threads(py: Python<'_>) {
    py.detach(|| {
        let mut state = attached();
        state.closed = true;
        while state.count > 0 {
            state = DETACHED.wait(state).unwrap_or_else(|p| p.into_inner());
        }
    });
}
