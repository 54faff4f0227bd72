//! Refusals counted in memory and written in batches: a flood of unauthenticated
//! requests costs no write each, and the counts stay exact (nothing is dropped: a batch
//! the store could not take is added back to the next one).

use std::sync::{Mutex, MutexGuard};

use crate::store::Refusals;

#[derive(Debug, Default)]
pub(crate) struct Tally(Mutex<Refusals>);

impl Tally {
    /// A callback refused by verification (or for its body), under `reason`.
    pub(crate) fn refused(&self, reason: &'static str) {
        *self.lock().by_reason.entry(reason).or_default() += 1;
    }

    /// A header set presented again with another body, as `kind`.
    pub(crate) fn header_set(&self, kind: &'static str) {
        *self.lock().header_sets.entry(kind).or_default() += 1;
    }

    /// What was counted since the last take, and none of it counted here any more.
    pub(crate) fn take(&self) -> Refusals {
        std::mem::take(&mut *self.lock())
    }

    /// Counts again what could not be written.
    pub(crate) fn put_back(&self, refusals: Refusals) {
        let mut tally = self.lock();
        for (reason, count) in refusals.by_reason {
            *tally.by_reason.entry(reason).or_default() += count;
        }
        for (kind, count) in refusals.header_sets {
            *tally.header_sets.entry(kind).or_default() += count;
        }
    }

    fn lock(&self) -> MutexGuard<'_, Refusals> {
        // Counting cannot panic half-way: a poisoned lock holds whole counts.
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}
