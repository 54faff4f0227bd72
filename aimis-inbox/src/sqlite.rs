//! The store on SQLite (bundled): WAL, and `synchronous=FULL` so that a callback is on
//! disk, surviving `kill -9` and power loss, before it is acknowledged. Writers take
//! the database lock up front (`BEGIN IMMEDIATE`), so two consumers, in one process or
//! several, never claim the same callback.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::error::InboxError;
use crate::store::{
    Arrival, Confirmation, PlatformLinks, Receipt, Record, Refusals, SAME_MILLISECOND_WINDOW_MS,
    SECURITY_EVENT_RETENTION_MS, State, Stats, Store, confirmation_events, event_minute,
    is_superseded, refused, study_from_json, study_json,
};

/// The schema, one migration a version (`migrations/sqlite/`); `PRAGMA user_version`
/// says which are applied.
/// Append only: a released migration is never edited.
const MIGRATIONS: &[&str] = &crate::store::migrations!("sqlite");

/// How long a write waits for another process's.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

pub(crate) struct Sqlite {
    conn: Connection,
}

impl Sqlite {
    pub(crate) fn open(path: &Path) -> Result<Self, InboxError> {
        create_owner_only(path)?;
        let conn = Connection::open(path)
            .map_err(|e| InboxError::Store(format!("cannot open {}: {e}", path.display())))?;
        // Another process (the receiver, a consumer) may hold the write lock briefly.
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(InboxError::Store(format!(
                "{} cannot use write-ahead logging (journal mode {mode})",
                path.display()
            )));
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = Sqlite { conn };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<(), InboxError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(InboxError::SchemaTooNew {
                found: version,
                known,
            });
        }
        for (i, migration) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(migration)?;
            tx.pragma_update(None, "user_version", i as i64 + 1)?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// Creates the database file readable and writable by its owner only (0600, whatever
/// the umask), before SQLite opens it: it holds patient and HIS ids and report links.
/// SQLite gives the `-wal` and `-shm` files the main file's permissions. An existing
/// file keeps the permissions its operator gave it.
fn create_owner_only(path: &Path) -> Result<(), InboxError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(InboxError::Store(format!(
            "cannot create {}: {e}",
            path.display()
        ))),
    }
}

fn bump(tx: &rusqlite::Transaction<'_>, name: &str, by: i64) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO counters (name, value) VALUES (?1, ?2)
         ON CONFLICT (name) DO UPDATE SET value = value + ?2",
        params![name, by],
    )?;
    Ok(())
}

/// Stores a callback whose header set has been dealt with: once (by its body), and
/// superseded when its study has moved on.
fn store_new(tx: &rusqlite::Transaction<'_>, a: &Arrival<'_>) -> Result<Receipt, InboxError> {
    let now = a.now_ms as i64;
    let stored: Option<i64> = tx
        .query_row(
            "SELECT id FROM callbacks WHERE body_hash = ?1",
            [&a.body_hash],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = stored {
        bump(tx, "duplicates", 1)?;
        return Ok(Receipt::Duplicate { id });
    }
    // With --confirm no status is vouched for by the platform: none supersedes another.
    let superseded = !a.confirm && {
        let seen: Vec<i64> = tx
            .prepare("SELECT DISTINCT status FROM callbacks WHERE study_key = ?1")?
            .query_map([&a.study_key], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        is_superseded(&seen, a.status)
    };
    let state = if superseded {
        State::Superseded
    } else {
        State::Pending
    };
    tx.execute(
        "INSERT INTO callbacks (body, body_hash, study_key, status, state, received_at, updated_at, confirmation)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
        params![
            a.body,
            a.body_hash,
            a.study_key,
            a.status,
            state.as_str(),
            now,
            // A superseded callback is never delivered: nothing to confirm.
            (a.confirm && !superseded).then_some(Confirmation::Awaiting.as_str()),
        ],
    )?;
    let id = tx.last_insert_rowid();
    bump(tx, "received", 1)?;
    Ok(Receipt::Stored { id, superseded })
}

fn state_of(tx: &rusqlite::Transaction<'_>, id: i64) -> Result<State, InboxError> {
    let state: Option<String> = tx
        .query_row("SELECT state FROM callbacks WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    let state = state.ok_or(InboxError::NotFound(id))?;
    State::parse(&state).ok_or_else(|| InboxError::Store(format!("unknown state `{state}`")))
}

/// Records a security event; `callback` when it is about a stored callback. Events
/// about a header set alone are counted a minute.
fn security_event(
    tx: &rusqlite::Transaction<'_>,
    now_ms: u64,
    kind: &str,
    header_set: (&str, &str),
    callback: Option<i64>,
) -> rusqlite::Result<()> {
    match callback {
        Some(_) => {
            tx.execute(
                "INSERT INTO security_events (at, kind, app_id, timestamp, callback_id)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![now_ms as i64, kind, header_set.0, header_set.1, callback],
            )?;
        }
        None => count_security_events(tx, now_ms, kind, 1)?,
    }
    bump(tx, kind, 1)
}

fn count_security_events(
    tx: &rusqlite::Transaction<'_>,
    now_ms: u64,
    kind: &str,
    count: u64,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO security_event_counts (minute, kind, count) VALUES (?1, ?2, ?3)
         ON CONFLICT (minute, kind) DO UPDATE SET count = count + ?3",
        params![event_minute(now_ms), kind, count as i64],
    )?;
    Ok(())
}

fn record(row: &rusqlite::Row<'_>) -> rusqlite::Result<Record> {
    let state: String = row.get("state")?;
    let confirmation = row
        .get::<_, Option<String>>("confirmation")?
        .and_then(|c| Confirmation::parse(&c));
    Ok(Record {
        id: row.get("id")?,
        state: State::parse(&state).unwrap_or(State::Dead),
        body: row.get("body")?,
        study_status: row.get("status")?,
        received_at_ms: row.get::<_, i64>("received_at")? as u64,
        attempts: row.get::<_, i64>("attempts")? as u32,
        lease_until_ms: row.get::<_, Option<i64>>("lease_until")?.map(|t| t as u64),
        confirmation,
        confirm_attempts: row.get::<_, i64>("confirm_attempts")? as u32,
        platform_links: (confirmation == Some(Confirmation::Confirmed)).then(|| PlatformLinks {
            h5_url: row.get("platform_h5_url").ok().flatten(),
            h5_detail_url: row.get("platform_h5_detail_url").ok().flatten(),
            study: study_from_json(row.get("platform_study").ok().flatten()),
        }),
    })
}

/// Reserves callback `id` with `update`, and reads it back as reserved.
fn update_and_read(
    tx: &rusqlite::Transaction<'_>,
    update: &str,
    params: impl rusqlite::Params,
    id: i64,
) -> rusqlite::Result<Record> {
    tx.execute(update, params)?;
    tx.query_row(
        &format!("SELECT {RECORD_COLUMNS} FROM callbacks WHERE id = ?1"),
        [id],
        record,
    )
}

const RECORD_COLUMNS: &str = "id, state, body, status, received_at, attempts, lease_until, \
     confirmation, confirm_attempts, platform_h5_url, platform_h5_detail_url, platform_study";

impl Store for Sqlite {
    fn receive(&mut self, a: &Arrival<'_>) -> Result<Receipt, InboxError> {
        let now = a.now_ms as i64;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // A nonce older than the freshness window can no longer be presented: forget it.
        tx.execute(
            "DELETE FROM nonces WHERE sent_ms < ?1",
            [now - a.skew_ms as i64 - 1000],
        )?;
        let seen: Option<(String, i64)> = tx
            .query_row(
                "SELECT body_hash, first_seen FROM nonces WHERE app_id = ?1 AND timestamp = ?2",
                params![a.app_id, a.timestamp],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((hash, first_seen)) = seen {
            if hash != a.body_hash {
                let same_ms = now.saturating_sub(first_seen) <= SAME_MILLISECOND_WINDOW_MS as i64;
                let kind = if same_ms {
                    "same_millisecond"
                } else {
                    "replays_refused"
                };
                // With --confirm, stored awaiting the platform's word instead.
                if !(same_ms && a.confirm) {
                    // Nothing written: the receiver counts it with the other refusals.
                    return Ok(if same_ms {
                        Receipt::SameMillisecond
                    } else {
                        Receipt::Replay
                    });
                }
                security_event(&tx, a.now_ms, kind, (a.app_id, a.timestamp), None)?;
            }
        } else {
            tx.execute(
                "INSERT INTO nonces (app_id, timestamp, sent_ms, body_hash, first_seen)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![a.app_id, a.timestamp, a.sent_ms as i64, a.body_hash, now],
            )?;
        }
        let receipt = store_new(&tx, a)?;
        tx.commit()?;
        Ok(receipt)
    }

    fn record_refusals(&mut self, refusals: &Refusals, now_ms: u64) -> Result<(), InboxError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let refused: u64 = refusals.by_reason.values().sum();
        if refused > 0 {
            bump(&tx, "refused", refused as i64)?;
        }
        for (reason, &count) in &refusals.by_reason {
            bump(&tx, &format!("refused.{reason}"), count as i64)?;
        }
        for (&kind, &count) in &refusals.header_sets {
            count_security_events(&tx, now_ms, kind, count)?;
            bump(&tx, kind, count as i64)?;
        }
        let expired = now_ms.saturating_sub(SECURITY_EVENT_RETENTION_MS) as i64;
        tx.execute(
            "DELETE FROM security_event_counts WHERE minute < ?1",
            [expired],
        )?;
        tx.execute("DELETE FROM security_events WHERE at < ?1", [expired])?;
        tx.commit()?;
        Ok(())
    }

    fn check_writable(&mut self, wait: Duration) -> Result<(), InboxError> {
        self.conn.busy_timeout(wait)?;
        // Stops at BEGIN when the lock cannot be had: no transaction is left open.
        let checked = self.conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;");
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        Ok(checked?)
    }

    fn claim(
        &mut self,
        now_ms: u64,
        lease_ms: u64,
        max_attempts: u32,
    ) -> Result<Option<Record>, InboxError> {
        let now = now_ms as i64;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        loop {
            // The oldest free pending callback whose study has nothing earlier pending
            // (claimed or not): a study's callbacks go out one at a time, in order.
            let found: Option<(i64, i64)> = tx
                .query_row(
                    "SELECT c.id, c.attempts FROM callbacks c
                     WHERE c.state = 'pending' AND (c.lease_until IS NULL OR c.lease_until <= ?1)
                       AND (c.confirmation IS NULL OR c.confirmation = 'confirmed')
                       AND NOT EXISTS (SELECT 1 FROM callbacks e
                                       WHERE e.study_key = c.study_key AND e.state = 'pending' AND e.id < c.id)
                     ORDER BY c.id LIMIT 1",
                    [now],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let Some((id, attempts)) = found else {
                tx.commit()?;
                return Ok(None);
            };
            if attempts >= i64::from(max_attempts) {
                tx.execute(
                    "UPDATE callbacks SET state = 'dead', lease_until = NULL, updated_at = ?2 WHERE id = ?1",
                    params![id, now],
                )?;
                continue;
            }
            let record = update_and_read(
                &tx,
                "UPDATE callbacks SET attempts = attempts + 1, lease_until = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, now.saturating_add(lease_ms as i64), now],
                id,
            )?;
            tx.commit()?;
            return Ok(Some(record));
        }
    }

    fn claim_confirmation(
        &mut self,
        now_ms: u64,
        lease_ms: u64,
    ) -> Result<Option<Record>, InboxError> {
        let now = now_ms as i64;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found: Option<i64> = tx
            .query_row(
                "SELECT id FROM callbacks
                 WHERE state = 'pending' AND confirmation = 'awaiting'
                   AND (confirm_after IS NULL OR confirm_after <= ?1)
                 ORDER BY id LIMIT 1",
                [now],
                |r| r.get(0),
            )
            .optional()?;
        let Some(id) = found else {
            tx.commit()?;
            return Ok(None);
        };
        let record = update_and_read(
            &tx,
            "UPDATE callbacks SET confirm_after = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, now.saturating_add(lease_ms as i64), now],
            id,
        )?;
        tx.commit()?;
        Ok(Some(record))
    }

    fn settle_confirmation(
        &mut self,
        id: i64,
        links: Option<&PlatformLinks>,
        mismatches: &[&'static str],
        now_ms: u64,
    ) -> Result<(), InboxError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let changed = match links {
            Some(links) => tx.execute(
                "UPDATE callbacks SET confirmation = 'confirmed', confirm_after = NULL,
                     platform_h5_url = ?2, platform_h5_detail_url = ?3, platform_study = ?5,
                     updated_at = ?4
                 WHERE id = ?1 AND confirmation = 'awaiting'",
                params![
                    id,
                    links.h5_url,
                    links.h5_detail_url,
                    now_ms as i64,
                    study_json(links)
                ],
            )?,
            None => tx.execute(
                "UPDATE callbacks SET confirmation = 'not_confirmed', state = 'dead',
                     confirm_after = NULL, lease_until = NULL, updated_at = ?2
                 WHERE id = ?1 AND confirmation = 'awaiting'",
                params![id, now_ms as i64],
            )?,
        };
        if changed == 0 {
            return Err(InboxError::WrongState {
                id,
                state: state_of(&tx, id)?,
                rule: refused::CONFIRM,
            });
        }
        for kind in confirmation_events(links, mismatches) {
            security_event(&tx, now_ms, kind, ("", ""), Some(id))?;
        }
        tx.commit()?;
        Ok(())
    }

    fn confirm_later(&mut self, id: i64, now_ms: u64, available_ms: u64) -> Result<(), InboxError> {
        self.conn.execute(
            "UPDATE callbacks SET confirm_attempts = confirm_attempts + 1, confirm_after = ?3,
                 updated_at = ?2
             WHERE id = ?1 AND confirmation = 'awaiting'",
            params![id, now_ms as i64, available_ms as i64],
        )?;
        Ok(())
    }

    fn ack(&mut self, id: i64, now_ms: u64) -> Result<(), InboxError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let changed = tx.execute(
            "UPDATE callbacks SET state = 'delivered', lease_until = NULL, updated_at = ?2
             WHERE id = ?1 AND state = 'pending' AND attempts > 0",
            params![id, now_ms as i64],
        )?;
        if changed == 0 {
            match state_of(&tx, id)? {
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
        tx.commit()?;
        Ok(())
    }

    fn release(
        &mut self,
        id: i64,
        now_ms: u64,
        available_ms: u64,
        uncounted: bool,
    ) -> Result<(), InboxError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let available = (available_ms > now_ms).then_some(available_ms as i64);
        let changed = tx.execute(
            "UPDATE callbacks SET lease_until = ?3, updated_at = ?2,
                    attempts = max(attempts - ?4, 0)
             WHERE id = ?1 AND state = 'pending' AND lease_until IS NOT NULL",
            params![id, now_ms as i64, available, i64::from(uncounted)],
        )?;
        if changed == 0 {
            return Err(InboxError::WrongState {
                id,
                state: state_of(&tx, id)?,
                rule: refused::RELEASE,
            });
        }
        tx.commit()?;
        Ok(())
    }

    fn retry(&mut self, id: i64, now_ms: u64) -> Result<(), InboxError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let changed = tx.execute(
            "UPDATE callbacks SET state = 'pending', attempts = 0, lease_until = NULL, updated_at = ?2,
                 confirmation = CASE confirmation WHEN 'not_confirmed' THEN 'awaiting' ELSE confirmation END,
                 confirm_attempts = 0, confirm_after = NULL
             WHERE id = ?1 AND state = 'dead'",
            params![id, now_ms as i64],
        )?;
        if changed == 0 {
            let state = state_of(&tx, id)?;
            return Err(InboxError::WrongState {
                id,
                state,
                rule: refused::RETRY,
            });
        }
        tx.commit()?;
        Ok(())
    }

    fn list(&mut self, state: Option<State>, _now_ms: u64) -> Result<Vec<Record>, InboxError> {
        let sql = format!(
            "SELECT {RECORD_COLUMNS} FROM callbacks WHERE ?1 IS NULL OR state = ?1 ORDER BY id"
        );
        let mut statement = self.conn.prepare(&sql)?;
        let rows = statement.query_map([state.map(State::as_str)], record)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn stats(&mut self, now_ms: u64) -> Result<Stats, InboxError> {
        let tx = self.conn.transaction()?;
        let mut stats = Stats::default();
        {
            let mut counters = tx.prepare("SELECT name, value FROM counters")?;
            let rows =
                counters.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
            for row in rows {
                let (name, value) = row?;
                crate::store::add_counter(&mut stats, &name, value as u64);
            }
            let mut states = tx.prepare(
                "SELECT state, count(*), sum(CASE WHEN lease_until > ?1 THEN 1 ELSE 0 END),
                     sum(CASE WHEN confirmation = 'awaiting' THEN 1 ELSE 0 END)
                 FROM callbacks GROUP BY state",
            )?;
            let rows = states.query_map([now_ms as i64], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                ))
            })?;
            for row in rows {
                let (state, count, leased, awaiting) = row?;
                crate::store::add_state(
                    &mut stats,
                    &state,
                    count as u64,
                    leased.unwrap_or(0) as u64,
                    awaiting.unwrap_or(0) as u64,
                );
            }
        }
        tx.commit()?;
        Ok(stats)
    }
}
