//! Socket timeouts set once per connection instead of before every read and write.
//!
//! ureq enforces the per-attempt deadline (`timeout_global`) by handing each socket
//! operation the time left, and its TCP transport calls `setsockopt` whenever that
//! value differs from the last one: with a deadline counting down, that is before every
//! write and every read, three or more system calls a request on top of the request's
//! own. This connector, after the TLS layer, rounds the time left up to the whole
//! millisecond before passing it on: every request over a kept-alive connection then
//! starts with the same value, the socket already has it, and no call is made. The
//! deadline still bounds connect, send, response and body, at most a millisecond late.

use std::time::Duration;

use ureq::unversioned::transport::time::Duration as UreqDuration;
use ureq::unversioned::transport::{Buffers, ConnectionDetails, Connector, NextTimeout, Transport};

#[derive(Debug)]
pub(crate) struct CoarseTimeouts;

impl<In: Transport> Connector<In> for CoarseTimeouts {
    type Out = Coarse<In>;

    fn connect(
        &self,
        _: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        Ok(chained.map(Coarse))
    }
}

/// A transport whose timeouts reach the one it wraps rounded up to the millisecond.
#[derive(Debug)]
pub(crate) struct Coarse<T>(T);

impl<T: Transport> Transport for Coarse<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.0.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.0.transmit_output(amount, coarse(timeout))
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.0.await_input(coarse(timeout))
    }

    fn is_open(&mut self) -> bool {
        self.0.is_open()
    }

    fn is_tls(&self) -> bool {
        self.0.is_tls()
    }
}

/// `timeout` with the time left rounded up to the whole millisecond; none left stays
/// none, so an expired deadline still fires.
fn coarse(mut timeout: NextTimeout) -> NextTimeout {
    if let UreqDuration::Exact(left) = timeout.after {
        let millis = left.as_nanos().div_ceil(1_000_000);
        timeout.after = Duration::from_millis(u64::try_from(millis).unwrap_or(u64::MAX)).into();
    }
    timeout
}

#[cfg(test)]
mod tests {
    use super::*;

    fn after(nanos: u64) -> Duration {
        let timeout = NextTimeout {
            after: Duration::from_nanos(nanos).into(),
            ..NextTimeout::default()
        };
        *coarse(timeout).after
    }

    #[test]
    fn time_left_is_rounded_up_to_the_millisecond() {
        assert_eq!(after(9_999_850_001), Duration::from_secs(10));
        assert_eq!(after(10_000_000_000), Duration::from_secs(10));
        assert_eq!(after(1), Duration::from_millis(1));
        assert_eq!(after(0), Duration::ZERO);
        assert!(coarse(NextTimeout::default()).after.is_not_happening());
    }
}
