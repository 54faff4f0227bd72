//! The latency fault: a request held for a given time, to within a fraction of a
//! millisecond. tokio's timer counts whole milliseconds and wakes up to two late, which
//! made a 20 ms fault hold nearly 22. So all but the last [`SLACK`] is tokio's sleep
//! (dropped, and so ended, when the client goes away), and the rest is timed by one
//! thread for the whole simulator, which the system wakes to within microseconds.
//!
//! One thread for every request held, not one each: a thread of tokio's blocking pool
//! per request cost each one two more thread switches, a sixth of the simulator's
//! processor time under load, which the clients on the same machine then lacked.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use tokio::sync::oneshot;

/// How late tokio's timer can wake: the part of a hold it leaves to [`Timer`].
const SLACK: Duration = Duration::from_millis(2);

/// Returns `latency` after it is called.
pub(crate) async fn hold(latency: Duration) {
    let deadline = Instant::now() + latency;
    if let Some(coarse) = latency.checked_sub(SLACK) {
        tokio::time::sleep(coarse).await;
    }
    let Some(timer) = timer() else {
        // No thread could be started: tokio's timer, up to SLACK late.
        return tokio::time::sleep_until(deadline.into()).await;
    };
    if Instant::now() < deadline {
        let (done, wait) = oneshot::channel();
        timer.add(Due { deadline, done });
        // Err only if the timer thread is gone, which it never is once started.
        let _ = wait.await;
    }
}

/// A hold that ends at `deadline`; ordered by it alone.
struct Due {
    deadline: Instant,
    done: oneshot::Sender<()>,
}

impl PartialEq for Due {
    fn eq(&self, other: &Self) -> bool {
        self.deadline == other.deadline
    }
}

impl Eq for Due {}

impl PartialOrd for Due {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Due {
    fn cmp(&self, other: &Self) -> Ordering {
        self.deadline.cmp(&other.deadline)
    }
}

/// The holds in their last [`SLACK`], earliest first, and the thread that ends them.
#[derive(Default)]
struct Timer {
    due: Mutex<BinaryHeap<Reverse<Due>>>,
    /// Signalled when a hold ends before every other: the thread sleeps less.
    earlier: Condvar,
}

/// The simulator's timer, its thread started on first use; `None` if none could be.
fn timer() -> Option<&'static Timer> {
    static TIMER: OnceLock<Option<&'static Timer>> = OnceLock::new();
    *TIMER.get_or_init(Timer::start)
}

impl Timer {
    fn start() -> Option<&'static Timer> {
        let timer: &'static Timer = Box::leak(Box::default());
        std::thread::Builder::new()
            .name("aimis-sim-hold".into())
            .spawn(move || timer.run())
            .ok()
            .map(|_| timer)
    }

    fn add(&self, due: Due) {
        let mut queue = self.lock();
        let earliest = queue
            .peek()
            .is_none_or(|Reverse(next)| due.deadline < next.deadline);
        queue.push(Reverse(due));
        drop(queue);
        if earliest {
            self.earlier.notify_one();
        }
    }

    /// Ends every hold whose time has come, then sleeps until the next one's.
    fn run(&self) {
        let mut queue = self.lock();
        loop {
            let now = Instant::now();
            while queue
                .peek()
                .is_some_and(|Reverse(next)| next.deadline <= now)
            {
                if let Some(Reverse(ended)) = queue.pop() {
                    // Err: the client went away meanwhile; nobody waits.
                    let _ = ended.done.send(());
                }
            }
            queue = match queue.peek() {
                Some(Reverse(next)) => {
                    let wait = next.deadline - now;
                    self.earlier
                        .wait_timeout(queue, wait)
                        .map_or_else(|poisoned| poisoned.into_inner().0, |(queue, _)| queue)
                }
                None => self
                    .earlier
                    .wait(queue)
                    .unwrap_or_else(|poisoned| poisoned.into_inner()),
            };
        }
    }

    fn lock(&self) -> MutexGuard<'_, BinaryHeap<Reverse<Due>>> {
        self.due
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn no_hold_ends_early() {
        for ms in [1, 2, 3, 25] {
            let latency = Duration::from_millis(ms);
            let started = Instant::now();
            let held = tokio::time::timeout(Duration::from_secs(20), hold(latency)).await;
            assert!(held.is_ok(), "a {ms} ms hold never ended");
            assert!(started.elapsed() >= latency, "{ms} ms");
        }
    }

    #[tokio::test]
    async fn a_hold_added_before_the_others_wakes_the_timer_for_it() {
        let timer = Timer::start().unwrap();
        let (done, _far) = oneshot::channel();
        timer.add(Due {
            deadline: Instant::now() + Duration::from_secs(60),
            done,
        });
        let (done, near) = oneshot::channel();
        timer.add(Due {
            deadline: Instant::now() + Duration::from_millis(10),
            done,
        });
        // Not woken, the timer would sleep until the first hold's end, a minute away.
        let ended = tokio::time::timeout(Duration::from_secs(20), near).await;
        assert!(matches!(ended, Ok(Ok(()))), "{ended:?}");
    }
}
