//! A loop on a thread of its own, for the pusher and the confirmer: stopped (after the
//! step in hand) when dropped.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::error::InboxError;

pub(crate) struct Worker {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl fmt::Debug for Worker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Worker").finish_non_exhaustive()
    }
}

impl Worker {
    /// Runs `step` until stopped; after a step that returns `Some(wait)` (nothing to do,
    /// or a failure) it waits that long, or until stopped.
    pub(crate) fn start(
        name: &str,
        mut step: impl FnMut() -> Option<Duration> + Send + 'static,
    ) -> Result<Worker, InboxError> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                while !flag.load(Ordering::SeqCst) {
                    if let Some(wait) = step() {
                        std::thread::park_timeout(wait);
                    }
                }
            })
            .map_err(|e| InboxError::Io(format!("cannot start {name}: {e}")))?;
        Ok(Worker {
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            let _ = thread.join();
        }
    }
}

/// The wait after `attempts` failed tries: `initial`, doubling, at most `max`.
pub(crate) fn backoff(initial: Duration, max: Duration, attempts: u32) -> Duration {
    let doublings = attempts.saturating_sub(1).min(20);
    initial.saturating_mul(1 << doublings).min(max)
}
