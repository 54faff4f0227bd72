//! The state machine, once for both databases: a callback is received (stored once,
//! superseded when its study has moved on, awaiting confirmation with `--confirm`),
//! claimed under a lease (an attempt; too many and it goes dead), acknowledged
//! (delivered) or given back, and a dead one retried. Every method is one transaction.

use std::time::Duration;

use super::database::{Database, Row, Transaction, params};
use super::{
    Arrival, Confirmation, PlatformLinks, Receipt, Record, Refusals, SAME_MILLISECOND_WINDOW_MS,
    SECURITY_EVENT_RETENTION_MS, State, Stats, event_minute,
};
use crate::error::InboxError;

/// The inbox's store: the state machine over one database.
pub(crate) struct Store {
    db: Box<dyn Database>,
}

/// The columns [`record`] reads, in its order.
const RECORD_COLUMNS: &str = "id, state, body, status, received_at, attempts, lease_until, \
     confirmation, confirm_attempts, platform_h5_url, platform_h5_detail_url, platform_study";

impl Store {
    pub(crate) fn new(db: impl Database + 'static) -> Self {
        Store { db: Box::new(db) }
    }

    /// Stores a verified callback unless it is a duplicate or a replay, in one
    /// transaction that is durable when this returns.
    pub(crate) fn receive(&mut self, a: &Arrival<'_>) -> Result<Receipt, InboxError> {
        let now = a.now_ms as i64;
        let dialect = self.db.dialect();
        let mut tx = self.db.begin(true)?;
        if let Some(lock_study) = dialect.lock_study {
            tx.execute(lock_study, params![&a.study_key])?;
        }
        // A nonce older than the freshness window can no longer be presented: forget it.
        tx.execute(
            "DELETE FROM nonces WHERE sent_ms < $1",
            params![now - a.skew_ms as i64 - 1000],
        )?;
        // A concurrent first use of the same header set waits here for the other's commit.
        let fresh = tx.execute(
            "INSERT INTO nonces (app_id, timestamp, sent_ms, body_hash, first_seen)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            params![a.app_id, a.timestamp, a.sent_ms as i64, &a.body_hash, now],
        )? == 1;
        if !fresh {
            let mut seen = tx
                .query_opt(
                    "SELECT body_hash, first_seen FROM nonces WHERE app_id = $1 AND timestamp = $2",
                    params![a.app_id, a.timestamp],
                )?
                .ok_or_else(|| InboxError::Store("a header set vanished while read".into()))?;
            if seen.text(0)? != a.body_hash {
                let first_seen = seen.int(1)?;
                let same_ms = now.saturating_sub(first_seen) <= SAME_MILLISECOND_WINDOW_MS as i64;
                // With --confirm, stored awaiting the platform's word instead.
                if !(same_ms && a.confirm) {
                    // Nothing written: the receiver counts it with the other refusals.
                    return Ok(if same_ms {
                        Receipt::SameMillisecond
                    } else {
                        Receipt::Replay
                    });
                }
                count_security_events(&mut *tx, now, "same_millisecond", 1)?;
                bump(&mut *tx, "same_millisecond", 1)?;
            }
        }
        let receipt = store_new(&mut *tx, a)?;
        tx.commit()?;
        Ok(receipt)
    }

    /// Adds refusals counted in memory to the counters, and the header sets among them
    /// to the security events of their minute, in one transaction; forgets security
    /// events older than [`SECURITY_EVENT_RETENTION_MS`].
    pub(crate) fn record_refusals(
        &mut self,
        refusals: &Refusals,
        now_ms: u64,
    ) -> Result<(), InboxError> {
        let now = now_ms as i64;
        let mut tx = self.db.begin(true)?;
        let refused: u64 = refusals.by_reason.values().sum();
        if refused > 0 {
            bump(&mut *tx, "refused", refused as i64)?;
        }
        for (reason, &count) in &refusals.by_reason {
            bump(&mut *tx, &format!("refused.{reason}"), count as i64)?;
        }
        for (&kind, &count) in &refusals.header_sets {
            count_security_events(&mut *tx, now, kind, count as i64)?;
            bump(&mut *tx, kind, count as i64)?;
        }
        let expired = now_ms.saturating_sub(SECURITY_EVENT_RETENTION_MS) as i64;
        tx.execute(
            "DELETE FROM security_event_counts WHERE minute < $1",
            params![expired],
        )?;
        tx.execute(
            "DELETE FROM security_events WHERE at < $1",
            params![expired],
        )?;
        tx.commit()
    }

    /// Whether a callback could be stored now, answered within `wait`, nothing written.
    /// For `/healthz`.
    #[cfg_attr(not(feature = "server"), allow(dead_code))]
    pub(crate) fn check_writable(&mut self, wait: Duration) -> Result<(), InboxError> {
        self.db.check_writable(wait)
    }

    /// Claims the oldest pending callback whose study has no earlier one pending, for
    /// `lease_ms`. A callback claimed `max_attempts` times without an acknowledgement
    /// goes dead instead.
    pub(crate) fn claim(
        &mut self,
        now_ms: u64,
        lease_ms: u64,
        max_attempts: u32,
    ) -> Result<Option<Record>, InboxError> {
        let now = now_ms as i64;
        // The oldest free pending callback whose study has nothing earlier pending
        // (claimed or not): a study's callbacks go out one at a time, in order. A row
        // another consumer is claiming is skipped, and its study's later ones stay out
        // because it is still pending.
        let oldest_free = format!(
            "SELECT c.id, c.attempts FROM callbacks c
             WHERE c.state = 'pending' AND (c.lease_until IS NULL OR c.lease_until <= $1)
               AND (c.confirmation IS NULL OR c.confirmation = 'confirmed')
               AND NOT EXISTS (SELECT 1 FROM callbacks e
                               WHERE e.study_key = c.study_key AND e.state = 'pending' AND e.id < c.id)
             ORDER BY c.id LIMIT 1 {}",
            self.db.dialect().skip_locked
        );
        let mut tx = self.db.begin(true)?;
        loop {
            let Some(mut found) = tx.query_opt(&oldest_free, params![now])? else {
                tx.commit()?;
                return Ok(None);
            };
            let (id, attempts) = (found.int(0)?, found.int(1)?);
            if attempts >= i64::from(max_attempts) {
                tx.execute(
                    "UPDATE callbacks SET state = 'dead', lease_until = NULL, updated_at = $2 WHERE id = $1",
                    params![id, now],
                )?;
                continue;
            }
            let claimed = tx.query_opt(
                &format!(
                    "UPDATE callbacks SET attempts = attempts + 1, lease_until = $2, updated_at = $3
                     WHERE id = $1 RETURNING {RECORD_COLUMNS}"
                ),
                params![id, now.saturating_add(millis(lease_ms)), now],
            )?;
            let record = claimed.map(record).transpose()?;
            tx.commit()?;
            return Ok(record);
        }
    }

    /// Takes the oldest callback awaiting confirmation whose next try is due, for
    /// `lease_ms` (another confirmer skips it meanwhile).
    pub(crate) fn claim_confirmation(
        &mut self,
        now_ms: u64,
        lease_ms: u64,
    ) -> Result<Option<Record>, InboxError> {
        let now = now_ms as i64;
        let take_oldest_due = format!(
            "UPDATE callbacks SET confirm_after = $2, updated_at = $1
             WHERE id = (SELECT id FROM callbacks
                         WHERE state = 'pending' AND confirmation = 'awaiting'
                           AND (confirm_after IS NULL OR confirm_after <= $1)
                         ORDER BY id LIMIT 1 {})
             RETURNING {RECORD_COLUMNS}",
            self.db.dialect().skip_locked
        );
        let mut tx = self.db.begin(true)?;
        let taken = tx.query_opt(
            &take_oldest_due,
            params![now, now.saturating_add(millis(lease_ms))],
        )?;
        let record = taken.map(record).transpose()?;
        tx.commit()?;
        Ok(record)
    }

    /// Records the platform's answer for a callback awaiting confirmation: confirmed
    /// with `links` (each of `mismatches`, a security event such as `links_mismatched`),
    /// or `None` when the platform does not know it (dead, a security event).
    pub(crate) fn settle_confirmation(
        &mut self,
        id: i64,
        links: Option<&PlatformLinks>,
        mismatches: &[&'static str],
        now_ms: u64,
    ) -> Result<(), InboxError> {
        let now = now_ms as i64;
        let mut tx = self.db.begin(true)?;
        let (changed, events) = match links {
            Some(links) => {
                let study = study_json(links);
                let changed = tx.execute(
                    "UPDATE callbacks SET confirmation = 'confirmed', confirm_after = NULL,
                         platform_h5_url = $2, platform_h5_detail_url = $3, platform_study = $5,
                         updated_at = $4
                     WHERE id = $1 AND confirmation = 'awaiting'",
                    params![
                        id,
                        links.h5_url.as_deref(),
                        links.h5_detail_url.as_deref(),
                        now,
                        study.as_deref()
                    ],
                )?;
                (changed, mismatches)
            }
            None => {
                let changed = tx.execute(
                    "UPDATE callbacks SET confirmation = 'not_confirmed', state = 'dead',
                         confirm_after = NULL, lease_until = NULL, updated_at = $2
                     WHERE id = $1 AND confirmation = 'awaiting'",
                    params![id, now],
                )?;
                (changed, &["not_confirmed"][..])
            }
        };
        if changed == 0 {
            return Err(wrong_state(&mut *tx, id, refused::CONFIRM));
        }
        for &kind in events {
            tx.execute(
                "INSERT INTO security_events (at, kind, app_id, timestamp, callback_id)
                 VALUES ($1, $2, '', '', $3)",
                params![now, kind, id],
            )?;
            bump(&mut *tx, kind, 1)?;
        }
        tx.commit()
    }

    /// The platform could not be asked: ask again from `available_ms`.
    pub(crate) fn confirm_later(
        &mut self,
        id: i64,
        now_ms: u64,
        available_ms: u64,
    ) -> Result<(), InboxError> {
        let mut tx = self.db.begin(true)?;
        tx.execute(
            "UPDATE callbacks SET confirm_attempts = confirm_attempts + 1, confirm_after = $3,
                 updated_at = $2
             WHERE id = $1 AND confirmation = 'awaiting'",
            params![id, now_ms as i64, millis(available_ms)],
        )?;
        tx.commit()
    }

    /// Marks a claimed callback delivered (again: no-op).
    pub(crate) fn ack(&mut self, id: i64, now_ms: u64) -> Result<(), InboxError> {
        let mut tx = self.db.begin(true)?;
        let changed = tx.execute(
            "UPDATE callbacks SET state = 'delivered', lease_until = NULL, updated_at = $2
             WHERE id = $1 AND state = 'pending' AND attempts > 0",
            params![id, now_ms as i64],
        )?;
        if changed == 0 {
            match state_of(&mut *tx, id)? {
                State::Delivered => {}
                state => {
                    return Err(InboxError::WrongState {
                        id,
                        state,
                        rule: refused::ACK,
                    });
                }
            }
        }
        tx.commit()
    }

    /// Gives a claimed callback back, to be claimed again from `available_ms` (now or
    /// later: a push waiting before its next try). `uncounted`: as if it had never been
    /// claimed, the claim's attempt taken back (the consumer never saw it).
    pub(crate) fn release(
        &mut self,
        id: i64,
        now_ms: u64,
        available_ms: u64,
        uncounted: bool,
    ) -> Result<(), InboxError> {
        let available = (available_ms > now_ms).then_some(millis(available_ms));
        let mut tx = self.db.begin(true)?;
        let changed = tx.execute(
            "UPDATE callbacks SET lease_until = $3, updated_at = $2,
                 attempts = CASE WHEN attempts > $4 THEN attempts - $4 ELSE 0 END
             WHERE id = $1 AND state = 'pending' AND lease_until IS NOT NULL",
            params![id, now_ms as i64, available, i64::from(uncounted)],
        )?;
        if changed == 0 {
            return Err(wrong_state(&mut *tx, id, refused::RELEASE));
        }
        tx.commit()
    }

    /// Brings a dead callback back to pending, its attempts reset; one the platform did
    /// not confirm goes back to awaiting confirmation.
    pub(crate) fn retry(&mut self, id: i64, now_ms: u64) -> Result<(), InboxError> {
        let mut tx = self.db.begin(true)?;
        let changed = tx.execute(
            "UPDATE callbacks SET state = 'pending', attempts = 0, lease_until = NULL, updated_at = $2,
                 confirmation = CASE confirmation WHEN 'not_confirmed' THEN 'awaiting' ELSE confirmation END,
                 confirm_attempts = 0, confirm_after = NULL
             WHERE id = $1 AND state = 'dead'",
            params![id, now_ms as i64],
        )?;
        if changed == 0 {
            return Err(wrong_state(&mut *tx, id, refused::RETRY));
        }
        tx.commit()
    }

    /// Stored callbacks in `state` (all when `None`), oldest first.
    pub(crate) fn list(&mut self, state: Option<State>) -> Result<Vec<Record>, InboxError> {
        let mut tx = self.db.begin(false)?;
        let rows = tx.query(
            &format!(
                "SELECT {RECORD_COLUMNS} FROM callbacks
                 WHERE CAST($1 AS TEXT) IS NULL OR state = $1 ORDER BY id"
            ),
            params![state.map(State::as_str)],
        )?;
        tx.commit()?;
        rows.into_iter().map(record).collect()
    }

    pub(crate) fn stats(&mut self, now_ms: u64) -> Result<Stats, InboxError> {
        let mut tx = self.db.begin(false)?;
        let mut stats = Stats::default();
        for mut row in tx.query("SELECT name, value FROM counters", &[])? {
            add_counter(&mut stats, &row.text(0)?, row.int(1)? as u64);
        }
        for mut row in tx.query(
            "SELECT state, count(*), count(CASE WHEN lease_until > $1 THEN 1 END),
                 count(CASE WHEN confirmation = 'awaiting' THEN 1 END)
             FROM callbacks GROUP BY state",
            params![now_ms as i64],
        )? {
            let count = |row: &mut Row, column| row.int(column).map(|n| n as u64);
            match State::parse(&row.text(0)?) {
                Some(State::Pending) => {
                    stats.pending = count(&mut row, 1)?;
                    stats.leased = count(&mut row, 2)?;
                    stats.awaiting_confirmation = count(&mut row, 3)?;
                }
                Some(State::Delivered) => stats.delivered = count(&mut row, 1)?,
                Some(State::Superseded) => stats.superseded = count(&mut row, 1)?,
                Some(State::Dead) => stats.dead = count(&mut row, 1)?,
                None => {}
            }
        }
        tx.commit()?;
        Ok(stats)
    }
}

/// Why an operation on a callback in another state is refused.
mod refused {
    pub(crate) const CONFIRM: &str = "only a callback awaiting confirmation can be confirmed";
    pub(crate) const ACK: &str = "only a claimed callback (from `next`) can be acknowledged";
    pub(crate) const RELEASE: &str = "only a claimed callback (from `next`) can be given back";
    pub(crate) const RETRY: &str = "only a dead callback can be retried";
}

/// Whether a status arriving for a study is no news: the study's status only moves
/// forward, 0 (study only) -> 1 (report) or 2 (images) -> 3 (both); 1 and 2 are not
/// ordered. So 0 after anything, 1 after 1 or 3, 2 after 2 or 3, and 3 after 3 are
/// superseded. `seen` holds the statuses stored for the study so far.
fn is_superseded(seen: &[i64], status: i64) -> bool {
    !seen.is_empty() && (status == 0 || seen.contains(&status) || seen.contains(&3))
}

/// A time or a span in milliseconds as the store keeps it (BIGINT): one too large to
/// count is for ever, never wrapped round into the past.
fn millis(ms: u64) -> i64 {
    i64::try_from(ms).unwrap_or(i64::MAX)
}

/// Stores a callback whose header set has been dealt with: once (by its body), and
/// superseded when its study has moved on.
fn store_new(tx: &mut dyn Transaction, a: &Arrival<'_>) -> Result<Receipt, InboxError> {
    let now = a.now_ms as i64;
    if let Some(mut stored) = tx.query_opt(
        "SELECT id FROM callbacks WHERE body_hash = $1",
        params![&a.body_hash],
    )? {
        bump(tx, "duplicates", 1)?;
        return Ok(Receipt::Duplicate { id: stored.int(0)? });
    }
    // With --confirm no status is vouched for by the platform: none supersedes another.
    let superseded = !a.confirm && {
        let seen = tx
            .query(
                "SELECT DISTINCT status FROM callbacks WHERE study_key = $1",
                params![&a.study_key],
            )?
            .into_iter()
            .map(|mut row| row.int(0))
            .collect::<Result<Vec<_>, _>>()?;
        is_superseded(&seen, a.status)
    };
    let state = if superseded {
        State::Superseded
    } else {
        State::Pending
    };
    // A superseded callback is never delivered: nothing to confirm.
    let confirmation = (a.confirm && !superseded).then_some(Confirmation::Awaiting.as_str());
    let mut inserted = tx
        .query_opt(
            "INSERT INTO callbacks (body, body_hash, study_key, status, state, received_at, updated_at, confirmation)
             VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id",
            params![a.body, &a.body_hash, &a.study_key, a.status, state.as_str(), now, confirmation],
        )?
        .ok_or_else(|| InboxError::Store("an insert returned no id".into()))?;
    bump(tx, "received", 1)?;
    Ok(Receipt::Stored {
        id: inserted.int(0)?,
        superseded,
    })
}

fn bump(tx: &mut dyn Transaction, name: &str, by: i64) -> Result<(), InboxError> {
    tx.execute(
        "INSERT INTO counters (name, value) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET value = counters.value + excluded.value",
        params![name, by],
    )?;
    Ok(())
}

/// Security events about header sets alone are counted a minute.
fn count_security_events(
    tx: &mut dyn Transaction,
    now: i64,
    kind: &str,
    count: i64,
) -> Result<(), InboxError> {
    tx.execute(
        "INSERT INTO security_event_counts (minute, kind, count) VALUES ($1, $2, $3)
         ON CONFLICT (minute, kind) DO UPDATE
         SET count = security_event_counts.count + excluded.count",
        params![event_minute(now as u64), kind, count],
    )?;
    Ok(())
}

fn state_of(tx: &mut dyn Transaction, id: i64) -> Result<State, InboxError> {
    let mut row = tx
        .query_opt("SELECT state FROM callbacks WHERE id = $1", params![id])?
        .ok_or(InboxError::NotFound(id))?;
    let state = row.text(0)?;
    State::parse(&state).ok_or_else(|| InboxError::Store(format!("unknown state `{state}`")))
}

/// Why callback `id` cannot take a transition: its state and `rule`, or that it does
/// not exist.
fn wrong_state(tx: &mut dyn Transaction, id: i64, rule: &'static str) -> InboxError {
    match state_of(tx, id) {
        Ok(state) => InboxError::WrongState { id, state, rule },
        Err(e) => e,
    }
}

/// A row of [`RECORD_COLUMNS`].
fn record(mut row: Row) -> Result<Record, InboxError> {
    let confirmation = row.opt_text(7)?.and_then(|c| Confirmation::parse(&c));
    let id = row.int(0)?;
    let state = State::parse(&row.text(1)?).unwrap_or(State::Dead);
    let body = row.bytes(2)?;
    let study_status = row.int(3)?;
    let received_at_ms = row.int(4)? as u64;
    let attempts = row.int(5)? as u32;
    let lease_until_ms = row.opt_int(6)?.map(|t| t as u64);
    let confirm_attempts = row.int(8)? as u32;
    let platform_links = match confirmation {
        Some(Confirmation::Confirmed) => Some(PlatformLinks {
            h5_url: row.opt_text(9)?,
            h5_detail_url: row.opt_text(10)?,
            study: study_from_json(row.opt_text(11)?),
        }),
        _ => None,
    };
    Ok(Record {
        id,
        state,
        body,
        study_status,
        received_at_ms,
        attempts,
        lease_until_ms,
        confirmation,
        confirm_attempts,
        platform_links,
    })
}

/// Adds a row of the counters table to `stats`.
fn add_counter(stats: &mut Stats, name: &str, value: u64) {
    match name {
        "received" => stats.received = value,
        "duplicates" => stats.duplicates = value,
        "replays_refused" => stats.replays_refused = value,
        "same_millisecond" => stats.same_millisecond = value,
        "links_mismatched" => stats.links_mismatched = value,
        "fields_mismatched" => stats.fields_mismatched = value,
        "not_confirmed" => stats.not_confirmed = value,
        "refused" => stats.refused = value,
        other => {
            if let Some(reason) = other.strip_prefix("refused.") {
                stats.refused_by_reason.insert(reason.to_owned(), value);
            }
        }
    }
}

/// The platform's answer as stored: the study's fields as JSON text.
fn study_json(links: &PlatformLinks) -> Option<String> {
    links
        .study
        .as_ref()
        .map(|study| serde_json::Value::Object(study.clone()).to_string())
}

/// The study's fields as stored, read back.
fn study_from_json(text: Option<String>) -> Option<serde_json::Map<String, serde_json::Value>> {
    match serde_json::from_str(&text?) {
        Ok(serde_json::Value::Object(study)) => Some(study),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::is_superseded;

    #[test]
    fn status_only_moves_forward() {
        assert!(!is_superseded(&[], 0));
        assert!(is_superseded(&[0], 0));
        assert!(!is_superseded(&[0], 1));
        assert!(!is_superseded(&[1], 2));
        assert!(!is_superseded(&[2], 1));
        assert!(!is_superseded(&[1, 2], 3));
        assert!(is_superseded(&[1], 1));
        assert!(is_superseded(&[3], 1));
        assert!(is_superseded(&[3], 2));
        assert!(is_superseded(&[3], 3));
        assert!(is_superseded(&[1], 0));
    }
}
