//! Each request leaves in one write instead of two.
//!
//! ureq hands its transport the request line and headers, then the body, as two
//! separate sends. Each is a system call, and on the receiving side each wakes the
//! server: it parses the head, waits, and wakes again for the body. This connector,
//! outermost in the chain, holds what ureq sends until ureq waits for the answer, and
//! passes it on then, in one piece. ureq always waits for input after writing a request
//! (for the response, or for a `100 Continue`), and a connection left with unread input
//! never goes back to the pool, so nothing held is ever left behind.

use ureq::unversioned::transport::{Buffers, ConnectionDetails, Connector, NextTimeout, Transport};

/// What may be held before it is sent all the same: a large body goes out as ureq writes
/// it, in the output buffer's steps, without the copy.
const HOLD_AT_MOST: usize = 16 * 1024;

#[derive(Debug)]
pub(crate) struct OneWritePerRequest;

impl<In: Transport> Connector<In> for OneWritePerRequest {
    type Out = Gathered<In>;

    fn connect(
        &self,
        _: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        Ok(chained.map(|inner| Gathered {
            inner,
            held: Vec::new(),
        }))
    }
}

/// A transport that gathers the sends between two waits for input into one.
#[derive(Debug)]
pub(crate) struct Gathered<T> {
    inner: T,
    /// Sent by ureq, not yet passed on; kept with its capacity for the next request.
    held: Vec<u8>,
}

impl<T: Transport> Gathered<T> {
    /// Passes on what is held, through the inner transport's own output buffer.
    fn flush(&mut self, timeout: NextTimeout) -> Result<(), ureq::Error> {
        let mut sent = 0;
        while sent < self.held.len() {
            let output = self.inner.buffers().output();
            let amount = output.len().min(self.held.len() - sent);
            output[..amount].copy_from_slice(&self.held[sent..sent + amount]);
            self.inner.transmit_output(amount, timeout)?;
            sent += amount;
        }
        self.held.clear();
        Ok(())
    }
}

impl<T: Transport> Transport for Gathered<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        if self.held.is_empty() && amount > HOLD_AT_MOST {
            return self.inner.transmit_output(amount, timeout);
        }
        let written = &self.inner.buffers().output()[..amount];
        self.held.extend_from_slice(written);
        if self.held.len() > HOLD_AT_MOST {
            self.flush(timeout)?;
        }
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.flush(timeout)?;
        self.inner.await_input(timeout)
    }

    fn is_open(&mut self) -> bool {
        self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ureq::unversioned::transport::LazyBuffers;

    /// Records each send it is asked for.
    #[derive(Debug)]
    struct Recorder {
        buffers: LazyBuffers,
        sends: Vec<Vec<u8>>,
        awaited: usize,
    }

    impl Transport for Recorder {
        fn buffers(&mut self) -> &mut dyn Buffers {
            &mut self.buffers
        }

        fn transmit_output(&mut self, amount: usize, _: NextTimeout) -> Result<(), ureq::Error> {
            self.sends.push(self.buffers.output()[..amount].to_vec());
            Ok(())
        }

        fn await_input(&mut self, _: NextTimeout) -> Result<bool, ureq::Error> {
            self.awaited += 1;
            Ok(false)
        }

        fn is_open(&mut self) -> bool {
            true
        }
    }

    fn gathered(output_size: usize) -> Gathered<Recorder> {
        Gathered {
            inner: Recorder {
                buffers: LazyBuffers::new(64, output_size),
                sends: Vec::new(),
                awaited: 0,
            },
            held: Vec::new(),
        }
    }

    /// What ureq does: writes into the output buffer from its start, then sends.
    fn send(transport: &mut Gathered<Recorder>, bytes: &[u8]) {
        for chunk in bytes.chunks(transport.buffers().output().len()) {
            transport.buffers().output()[..chunk.len()].copy_from_slice(chunk);
            transport
                .transmit_output(chunk.len(), NextTimeout::default())
                .unwrap();
        }
    }

    #[test]
    fn head_and_body_leave_together_when_the_answer_is_awaited() {
        let mut transport = gathered(1024);
        send(
            &mut transport,
            b"POST /x HTTP/1.1\r\ncontent-length: 7\r\n\r\n",
        );
        send(&mut transport, b"{\"a\":1}");
        assert!(transport.inner.sends.is_empty());

        transport.await_input(NextTimeout::default()).unwrap();
        assert_eq!(
            transport.inner.sends,
            [b"POST /x HTTP/1.1\r\ncontent-length: 7\r\n\r\n{\"a\":1}".to_vec()]
        );
        assert_eq!(transport.inner.awaited, 1);

        // The next request starts empty.
        send(&mut transport, b"GET / HTTP/1.1\r\n\r\n");
        transport.await_input(NextTimeout::default()).unwrap();
        assert_eq!(transport.inner.sends[1], b"GET / HTTP/1.1\r\n\r\n");
    }

    #[test]
    fn a_large_body_is_not_held_and_arrives_whole_and_in_order() {
        let mut transport = gathered(1000);
        let head = b"POST /x HTTP/1.1\r\n\r\n".to_vec();
        let body: Vec<u8> = (0..40_000u32).map(|n| (n % 251) as u8).collect();
        send(&mut transport, &head);
        send(&mut transport, &body);
        // Once more than the limit is held, it goes out in the buffer's steps.
        let sent_before_waiting: usize = transport.inner.sends.iter().map(Vec::len).sum();
        assert!(sent_before_waiting >= head.len() + body.len() - HOLD_AT_MOST);
        assert!(transport.inner.sends.iter().all(|send| send.len() <= 1000));

        transport.await_input(NextTimeout::default()).unwrap();
        assert_eq!(transport.inner.sends.concat(), [head, body].concat());
    }
}
