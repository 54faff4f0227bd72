//! The threads that run `AsyncClient`'s requests: owned by the native module, not by
//! Python. A job waits for a free thread; a new one starts when none is idle, up to
//! [`MAX_THREADS`] (beyond that, jobs queue), and a thread idle for [`IDLE`] ends.
//!
//! Waking a thread is a system call that can cost the waker tens of microseconds (an
//! interrupt to another processor, more on a virtual machine), and the event loop that
//! starts the requests is the one thread everything else waits for. So it wakes at most
//! one thread at a time: while a woken thread has not yet taken its job, jobs queue
//! without a wake, and each thread that takes a job wakes the next if jobs remain (as
//! tokio's scheduler does). A burst of requests costs the loop one wake, not one each.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

/// The most threads at once: requests in flight beyond this wait their turn.
pub const MAX_THREADS: usize = 256;

/// How long a thread with nothing to do waits for work before it ends.
const IDLE: Duration = Duration::from_secs(30);

type Job = Box<dyn FnOnce() + Send>;

#[derive(Default)]
struct State {
    jobs: VecDeque<Job>,
    threads: usize,
    idle: usize,
    /// A thread was woken and has not yet looked at the jobs: it wakes the next.
    waking: bool,
}

#[derive(Default)]
struct Pool {
    state: Mutex<State>,
    work: Condvar,
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(Pool::default)
}

/// Runs `job` on a thread of the pool. Fails only when no thread runs at all and a
/// new one cannot be started.
pub fn spawn(job: impl FnOnce() + Send + 'static) -> std::io::Result<()> {
    let pool = pool();
    let mut state = pool.state.lock().unwrap_or_else(|p| p.into_inner());
    state.jobs.push_back(Box::new(job));
    if state.idle >= state.jobs.len() || state.threads >= MAX_THREADS {
        wake_one(pool, state);
        return Ok(());
    }
    state.threads += 1;
    drop(state);
    let started = std::thread::Builder::new()
        .name("aimis-async".into())
        .spawn(move || work(pool));
    if let Err(error) = started {
        let mut state = pool.state.lock().unwrap_or_else(|p| p.into_inner());
        state.threads -= 1;
        if state.threads == 0 {
            state.jobs.pop_back();
            return Err(error);
        }
    }
    Ok(())
}

/// Wakes an idle thread for the jobs queued, unless one is waking already.
fn wake_one(pool: &Pool, mut state: MutexGuard<'_, State>) {
    if state.idle == 0 || state.jobs.is_empty() || state.waking {
        return;
    }
    state.waking = true;
    // After unlocking: a thread woken while the lock is held would only wait for it.
    drop(state);
    pool.work.notify_one();
}

fn work(pool: &Pool) {
    let mut state = pool.state.lock().unwrap_or_else(|p| p.into_inner());
    loop {
        if let Some(job) = state.jobs.pop_front() {
            wake_one(pool, state);
            // A job catches its own panics (`errors::guard`); this keeps the count right
            // should one escape.
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
            state = pool.state.lock().unwrap_or_else(|p| p.into_inner());
            continue;
        }
        state.idle += 1;
        let (next, waited) = pool
            .work
            .wait_timeout(state, IDLE)
            .unwrap_or_else(|p| p.into_inner());
        state = next;
        state.idle -= 1;
        // Woken, by a wake or not: either way this thread looks at the jobs now.
        state.waking = false;
        if waited.timed_out() && state.jobs.is_empty() {
            state.threads -= 1;
            return;
        }
    }
}
