//! Stopping a call that waits on the platform. A caller that must be able to stop
//! (Python on Ctrl-C, a batch that was cancelled) runs the call in [`interruptible`]
//! with a question to ask; while the call waits for an answer or before a retry, the
//! question is asked every 100 ms, and a yes ends the call with
//! [`Error::Interrupted`]. The connection it was waiting on is closed, never reused:
//! its answer, when it comes, reaches nobody.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use ureq::unversioned::transport::{Buffers, ConnectionDetails, Connector, NextTimeout, Transport};

use crate::error::Error;

/// How often the question is asked while a call waits.
pub(crate) const INTERVAL: Duration = Duration::from_millis(100);

type Question = Rc<dyn Fn() -> bool>;

thread_local! {
    /// The question of the [`interruptible`] call running on this thread, if any.
    static ASKED: RefCell<Option<Question>> = const { RefCell::new(None) };
}

/// Runs `call` on this thread, asking `stop` every 100 ms while it waits on the
/// platform; once `stop` answers true the call ends with [`Error::Interrupted`].
/// `stop` runs on this thread, between reads, never while a lock of the client is held.
pub fn interruptible<T>(stop: impl Fn() -> bool + 'static, call: impl FnOnce() -> T) -> T {
    struct Restore(Option<Question>);
    impl Drop for Restore {
        fn drop(&mut self) {
            ASKED.with(|asked| *asked.borrow_mut() = self.0.take());
        }
    }
    let outer = ASKED.with(|asked| asked.borrow_mut().replace(Rc::new(stop)));
    let _restore = Restore(outer);
    call()
}

/// The question of the call running on this thread, if it can be interrupted.
fn question() -> Option<Question> {
    ASKED.with(|asked| asked.borrow().clone())
}

/// Sleeps `wait`, or less when the call is interrupted meanwhile.
pub(crate) fn sleep(wait: Duration) -> Result<(), Error> {
    let Some(stop) = question() else {
        std::thread::sleep(wait);
        return Ok(());
    };
    let until = Instant::now() + wait;
    loop {
        if stop() {
            return Err(Error::Interrupted);
        }
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(());
        }
        std::thread::sleep(left.min(INTERVAL));
    }
}

/// The marker in the I/O error that ends an interrupted read.
#[derive(Debug)]
pub(crate) struct Interrupted;

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("interrupted")
    }
}

impl std::error::Error for Interrupted {}

/// The outermost layer of the transport: waits for input in slices of [`INTERVAL`]
/// when the call can be interrupted, asking between them.
#[derive(Debug)]
pub(crate) struct Interruptible;

impl<In: Transport> Connector<In> for Interruptible {
    type Out = Sliced<In>;

    fn connect(
        &self,
        _: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        Ok(chained.map(Sliced))
    }
}

#[derive(Debug)]
pub(crate) struct Sliced<T>(T);

impl<T: Transport> Transport for Sliced<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.0.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.0.transmit_output(amount, timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        let Some(stop) = question() else {
            return self.0.await_input(timeout);
        };
        let started = Instant::now();
        loop {
            let left = timeout.after.saturating_sub(started.elapsed());
            let slice = NextTimeout {
                after: left.min(INTERVAL).into(),
                ..timeout
            };
            match self.0.await_input(slice) {
                Err(e) if is_timeout(&e) && left > INTERVAL => {
                    if stop() {
                        return Err(ureq::Error::Io(std::io::Error::new(
                            std::io::ErrorKind::Interrupted,
                            Interrupted,
                        )));
                    }
                }
                outcome => return outcome,
            }
        }
    }

    fn is_open(&mut self) -> bool {
        self.0.is_open()
    }

    fn is_tls(&self) -> bool {
        self.0.is_tls()
    }
}

/// Whether a read ended because its time ran out: ureq's own timeout, or the I/O error
/// a TLS stream passes up for it.
fn is_timeout(error: &ureq::Error) -> bool {
    match error {
        ureq::Error::Timeout(_) => true,
        ureq::Error::Io(e) => {
            matches!(
                e.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            ) || e
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<ureq::Error>())
                .is_some_and(is_timeout)
        }
        _ => false,
    }
}
