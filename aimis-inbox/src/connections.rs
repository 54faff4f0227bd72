//! The connections the receiver holds, at most `max` at once. At the limit a new one
//! still gets in: the oldest connection that is not being answered (waiting for a head,
//! a body or a TLS handshake, or idle between requests) is shed to make room, so slow or
//! silent clients can never crowd out the platform's callbacks.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

#[derive(Debug)]
pub(crate) struct Connections {
    max: usize,
    /// By age: the first is the oldest.
    open: Mutex<BTreeMap<u64, Arc<Slot>>>,
    next_id: AtomicU64,
    /// Shed (or turned away, all being answered) since last taken: for one log line.
    shed: AtomicU64,
}

/// One connection's state, shared with its requests.
#[derive(Debug, Default)]
pub(crate) struct Slot {
    /// A request's body has arrived and it is being answered: never shed.
    answering: AtomicBool,
    shed: Notify,
}

/// A connection let in; it leaves the count when dropped.
#[derive(Debug)]
pub(crate) struct Admitted {
    id: u64,
    slot: Arc<Slot>,
    connections: Arc<Connections>,
}

/// Marks a connection as being answered while alive (see [`Slot::answering`]).
#[derive(Debug)]
pub(crate) struct Answering(Arc<Slot>);

impl Connections {
    pub(crate) fn new(max: usize) -> Arc<Self> {
        Arc::new(Connections {
            max,
            open: Mutex::new(BTreeMap::new()),
            next_id: AtomicU64::new(0),
            shed: AtomicU64::new(0),
        })
    }

    /// Lets a new connection in, shedding the oldest not being answered when at the
    /// limit; `None` when every connection is being answered (they end soon).
    pub(crate) fn admit(self: &Arc<Self>) -> Option<Admitted> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        if open.len() >= self.max {
            self.shed.fetch_add(1, Ordering::Relaxed);
            let oldest_idle = open
                .iter()
                .find(|(_, slot)| !slot.answering.load(Ordering::Acquire))
                .map(|(&id, _)| id)?;
            if let Some(slot) = open.remove(&oldest_idle) {
                slot.shed.notify_one();
            }
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let slot = Arc::new(Slot::default());
        open.insert(id, slot.clone());
        Some(Admitted {
            id,
            slot,
            connections: self.clone(),
        })
    }

    /// Connections shed or turned away since the last call.
    pub(crate) fn take_shed(&self) -> u64 {
        self.shed.swap(0, Ordering::Relaxed)
    }
}

impl Admitted {
    /// Resolves when this connection is shed for a newer one.
    pub(crate) async fn shed(&self) {
        self.slot.shed.notified().await;
    }

    pub(crate) fn slot(&self) -> Arc<Slot> {
        self.slot.clone()
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut open = self
            .connections
            .open
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        open.remove(&self.id);
    }
}

impl Slot {
    /// Marks the connection as being answered until the mark is dropped.
    pub(crate) fn answering(self: &Arc<Self>) -> Answering {
        self.answering.store(true, Ordering::Release);
        Answering(self.clone())
    }
}

impl Drop for Answering {
    fn drop(&mut self) {
        self.0.answering.store(false, Ordering::Release);
    }
}

/// The default limit: under the process's descriptor limit, leaving room for the
/// store, the pusher and the listener.
pub(crate) fn default_max() -> usize {
    const RESERVED: u64 = 64;
    descriptor_limit().saturating_sub(RESERVED).clamp(1, 4096) as usize
}

#[cfg(unix)]
#[allow(clippy::unnecessary_cast)] // rlim_t is not u64 on every Unix
fn descriptor_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes only the struct it is given.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0 {
        limit.rlim_cur as u64
    } else {
        1024
    }
}

#[cfg(not(unix))]
fn descriptor_limit() -> u64 {
    1024
}
