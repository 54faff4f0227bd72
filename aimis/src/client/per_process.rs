//! The HTTP agent of the process that uses it. After `fork()` a child holds copies of
//! its parent's pooled sockets: a child that sent on one would read answers meant for
//! the parent or a sibling (another patient's report), and they would read its. So a
//! client used in another process than the one that built it gets an agent, and a
//! pool, of its own.

use std::sync::RwLock;

/// Makes a fresh agent with the client's options and an empty pool.
pub(crate) type MakeAgent = Box<dyn Fn() -> ureq::Agent + Send + Sync>;

pub(crate) struct PerProcess {
    /// The process that built the client, and its agent: the one nearly every call uses.
    built_in: u32,
    agent: ureq::Agent,
    make: MakeAgent,
    /// The agent of the forked process that uses the client, once it has one.
    forked: RwLock<Option<(u32, ureq::Agent)>>,
}

impl PerProcess {
    pub(crate) fn new(make: MakeAgent) -> Self {
        PerProcess {
            built_in: std::process::id(),
            agent: make(),
            make,
            forked: RwLock::new(None),
        }
    }

    /// Calls `f` with an agent whose connections this process alone has opened.
    pub(crate) fn with<T>(&self, f: impl FnOnce(&ureq::Agent) -> T) -> T {
        let pid = std::process::id();
        if pid == self.built_in {
            return f(&self.agent);
        }
        // A lock is never held while a request runs: a fork from another thread while
        // it was held would leave the child's copy locked for good. For the same reason
        // only `try_` locks are taken here; a call that finds the lock taken (its copy
        // may be held by a thread that does not exist in this process) sends with a
        // fresh agent.
        let owned = |forked: &Option<(u32, ureq::Agent)>| match forked {
            Some((owner, agent)) if *owner == pid => Some(agent.clone()),
            _ => None,
        };
        let agent = self
            .forked
            .try_read()
            .ok()
            .and_then(|forked| owned(&forked))
            .or_else(|| {
                let mut forked = self.forked.try_write().ok()?;
                if owned(&forked).is_none() {
                    *forked = Some((pid, (self.make)()));
                }
                owned(&forked)
            })
            .unwrap_or_else(|| (self.make)());
        f(&agent)
    }
}
