//! The store on PostgreSQL (the synchronous `postgres` client): the same schema and
//! semantics as SQLite. Claims use `SELECT ... FOR UPDATE SKIP LOCKED`, so two consumers
//! never get the same callback; arrivals for one study are serialised with a
//! transaction-scoped advisory lock, so the order check sees every earlier status.

use postgres::{Client, NoTls, Transaction};

use crate::error::InboxError;
use crate::store::{
    Arrival, Confirmation, PlatformLinks, Receipt, Record, Refusals, SECURITY_EVENT_RETENTION_MS,
    State, Stats, Store, confirmation_events, event_minute, is_superseded, refused,
    study_from_json, study_json,
};

/// The schema, one migration a version (`migrations/postgres/`), recorded in
/// `aimis_inbox_migrations`. Append only: a released migration is never edited.
const MIGRATIONS: &[&str] = &crate::store::migrations!("postgres");

/// The advisory lock key that serialises migrations between processes.
const MIGRATION_LOCK: i64 = 0x6169_6d69_735f_6962; // "aimis_ib"

pub(crate) struct Postgres {
    client: Client,
}

/// A database error without the URL (it may hold a password) or values (they are
/// always bound parameters).
fn pg(e: postgres::Error) -> InboxError {
    InboxError::Store(match e.as_db_error() {
        Some(db) => format!("PostgreSQL: {}", db.message()),
        None => format!("PostgreSQL: {e}"),
    })
}

impl Postgres {
    pub(crate) fn open(url: &str) -> Result<Self, InboxError> {
        let client = Client::connect(url, NoTls)
            .map_err(|e| InboxError::Store(format!("cannot connect to PostgreSQL: {e}")))?;
        let mut store = Postgres { client };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<(), InboxError> {
        let mut tx = self.client.transaction().map_err(pg)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .map_err(pg)?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS aimis_inbox_migrations (
                version BIGINT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
        )
        .map_err(pg)?;
        let version: i64 = tx
            .query_one(
                "SELECT coalesce(max(version), 0) FROM aimis_inbox_migrations",
                &[],
            )
            .map_err(pg)?
            .get(0);
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(InboxError::SchemaTooNew {
                found: version,
                known,
            });
        }
        for (i, migration) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.batch_execute(migration).map_err(pg)?;
            tx.execute(
                "INSERT INTO aimis_inbox_migrations (version) VALUES ($1)",
                &[&(i as i64 + 1)],
            )
            .map_err(pg)?;
        }
        tx.commit().map_err(pg)
    }
}

fn bump(tx: &mut Transaction<'_>, name: &str, by: i64) -> Result<(), InboxError> {
    tx.execute(
        "INSERT INTO counters (name, value) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET value = counters.value + EXCLUDED.value",
        &[&name, &by],
    )
    .map_err(pg)?;
    Ok(())
}

/// Stores a callback whose header set has been dealt with: once (by its body), and
/// superseded when its study has moved on. The caller holds the study's lock.
fn store_new(tx: &mut Transaction<'_>, a: &Arrival<'_>) -> Result<Receipt, InboxError> {
    let now = a.now_ms as i64;
    if let Some(row) = tx
        .query_opt(
            "SELECT id FROM callbacks WHERE body_hash = $1",
            &[&a.body_hash],
        )
        .map_err(pg)?
    {
        bump(tx, "duplicates", 1)?;
        return Ok(Receipt::Duplicate { id: row.get(0) });
    }
    // With --confirm no status is vouched for by the platform: none supersedes another.
    let superseded = !a.confirm && {
        let seen: Vec<i64> = tx
            .query(
                "SELECT DISTINCT status FROM callbacks WHERE study_key = $1",
                &[&a.study_key],
            )
            .map_err(pg)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        is_superseded(&seen, a.status)
    };
    let state = if superseded {
        State::Superseded
    } else {
        State::Pending
    };
    // A superseded callback is never delivered: nothing to confirm.
    let confirmation = (a.confirm && !superseded).then_some(Confirmation::Awaiting.as_str());
    let id: i64 = tx
            .query_one(
                "INSERT INTO callbacks (body, body_hash, study_key, status, state, received_at, updated_at, confirmation)
                 VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id",
                &[&a.body, &a.body_hash, &a.study_key, &a.status, &state.as_str(), &now, &confirmation],
            )
            .map_err(pg)?
            .get(0);
    bump(tx, "received", 1)?;
    Ok(Receipt::Stored { id, superseded })
}

fn state_of(tx: &mut Transaction<'_>, id: i64) -> Result<State, InboxError> {
    let row = tx
        .query_opt("SELECT state FROM callbacks WHERE id = $1", &[&id])
        .map_err(pg)?
        .ok_or(InboxError::NotFound(id))?;
    let state: String = row.get(0);
    State::parse(&state).ok_or_else(|| InboxError::Store(format!("unknown state `{state}`")))
}

/// Records a security event; `callback` when it is about a stored callback. Events
/// about a header set alone are counted a minute.
fn security_event(
    tx: &mut Transaction<'_>,
    now_ms: u64,
    kind: &str,
    header_set: (&str, &str),
    callback: Option<i64>,
) -> Result<(), InboxError> {
    match callback {
        Some(_) => {
            tx.execute(
                "INSERT INTO security_events (at, kind, app_id, timestamp, callback_id)
                 VALUES ($1, $2, $3, $4, $5)",
                &[
                    &(now_ms as i64),
                    &kind,
                    &header_set.0,
                    &header_set.1,
                    &callback,
                ],
            )
            .map_err(pg)?;
        }
        None => count_security_events(tx, now_ms, kind, 1)?,
    }
    bump(tx, kind, 1)
}

fn count_security_events(
    tx: &mut Transaction<'_>,
    now_ms: u64,
    kind: &str,
    count: u64,
) -> Result<(), InboxError> {
    tx.execute(
        "INSERT INTO security_event_counts (minute, kind, count) VALUES ($1, $2, $3)
         ON CONFLICT (minute, kind) DO UPDATE
         SET count = security_event_counts.count + EXCLUDED.count",
        &[&event_minute(now_ms), &kind, &(count as i64)],
    )
    .map_err(pg)?;
    Ok(())
}

const RECORD_COLUMNS: &str = "id, state, body, status, received_at, attempts, lease_until, \
     confirmation, confirm_attempts, platform_h5_url, platform_h5_detail_url, platform_study";

fn record(row: &postgres::Row) -> Record {
    let state: String = row.get("state");
    let confirmation = row
        .get::<_, Option<String>>("confirmation")
        .and_then(|c| Confirmation::parse(&c));
    Record {
        id: row.get("id"),
        state: State::parse(&state).unwrap_or(State::Dead),
        body: row.get("body"),
        study_status: row.get("status"),
        received_at_ms: row.get::<_, i64>("received_at") as u64,
        attempts: row.get::<_, i64>("attempts") as u32,
        lease_until_ms: row.get::<_, Option<i64>>("lease_until").map(|t| t as u64),
        confirmation,
        confirm_attempts: row.get::<_, i64>("confirm_attempts") as u32,
        platform_links: (confirmation == Some(Confirmation::Confirmed)).then(|| PlatformLinks {
            h5_url: row.get("platform_h5_url"),
            h5_detail_url: row.get("platform_h5_detail_url"),
            study: study_from_json(row.get("platform_study")),
        }),
    }
}

impl Store for Postgres {
    fn receive(&mut self, a: &Arrival<'_>) -> Result<Receipt, InboxError> {
        let now = a.now_ms as i64;
        let mut tx = self.client.transaction().map_err(pg)?;
        // One study's arrivals one at a time: the order check must see them all.
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
            &[&a.study_key],
        )
        .map_err(pg)?;
        tx.execute(
            "DELETE FROM nonces WHERE sent_ms < $1",
            &[&(now - a.skew_ms as i64 - 1000)],
        )
        .map_err(pg)?;
        // A concurrent first use of the same header set waits here for the other's commit.
        let fresh = tx
            .execute(
                "INSERT INTO nonces (app_id, timestamp, sent_ms, body_hash, first_seen)
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                &[
                    &a.app_id,
                    &a.timestamp,
                    &(a.sent_ms as i64),
                    &a.body_hash,
                    &now,
                ],
            )
            .map_err(pg)?
            == 1;
        if !fresh {
            let row = tx
                .query_one(
                    "SELECT body_hash, first_seen FROM nonces WHERE app_id = $1 AND timestamp = $2",
                    &[&a.app_id, &a.timestamp],
                )
                .map_err(pg)?;
            let (hash, first_seen): (String, i64) = (row.get(0), row.get(1));
            if hash != a.body_hash {
                let same_ms = now.saturating_sub(first_seen)
                    <= crate::store::SAME_MILLISECOND_WINDOW_MS as i64;
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
                security_event(&mut tx, a.now_ms, kind, (a.app_id, a.timestamp), None)?;
            }
        }
        let receipt = store_new(&mut tx, a)?;
        tx.commit().map_err(pg)?;
        Ok(receipt)
    }

    fn record_refusals(&mut self, refusals: &Refusals, now_ms: u64) -> Result<(), InboxError> {
        let mut tx = self.client.transaction().map_err(pg)?;
        let refused: u64 = refusals.by_reason.values().sum();
        if refused > 0 {
            bump(&mut tx, "refused", refused as i64)?;
        }
        for (reason, &count) in &refusals.by_reason {
            bump(&mut tx, &format!("refused.{reason}"), count as i64)?;
        }
        for (&kind, &count) in &refusals.header_sets {
            count_security_events(&mut tx, now_ms, kind, count)?;
            bump(&mut tx, kind, count as i64)?;
        }
        let expired = now_ms.saturating_sub(SECURITY_EVENT_RETENTION_MS) as i64;
        tx.execute(
            "DELETE FROM security_event_counts WHERE minute < $1",
            &[&expired],
        )
        .map_err(pg)?;
        tx.execute("DELETE FROM security_events WHERE at < $1", &[&expired])
            .map_err(pg)?;
        tx.commit().map_err(pg)
    }

    fn check_writable(&mut self, wait: std::time::Duration) -> Result<(), InboxError> {
        // A primary that answers within `wait`: a standby in recovery cannot store.
        let mut tx = self.client.transaction().map_err(pg)?;
        tx.batch_execute(&format!(
            "SET LOCAL statement_timeout = {}",
            wait.as_millis().max(1)
        ))
        .map_err(pg)?;
        let writable: bool = tx
            .query_one("SELECT NOT pg_is_in_recovery()", &[])
            .map_err(pg)?
            .get(0);
        drop(tx);
        if writable {
            Ok(())
        } else {
            Err(InboxError::Store(
                "PostgreSQL is a standby in recovery: it cannot store".into(),
            ))
        }
    }

    fn claim(
        &mut self,
        now_ms: u64,
        lease_ms: u64,
        max_attempts: u32,
    ) -> Result<Option<Record>, InboxError> {
        let now = now_ms as i64;
        let mut tx = self.client.transaction().map_err(pg)?;
        loop {
            // As on SQLite; a row another consumer is claiming is skipped, and the
            // study's later ones stay out because that row is still pending.
            let found = tx
                .query_opt(
                    "SELECT c.id, c.attempts FROM callbacks c
                     WHERE c.state = 'pending' AND (c.lease_until IS NULL OR c.lease_until <= $1)
                       AND (c.confirmation IS NULL OR c.confirmation = 'confirmed')
                       AND NOT EXISTS (SELECT 1 FROM callbacks e
                                       WHERE e.study_key = c.study_key AND e.state = 'pending' AND e.id < c.id)
                     ORDER BY c.id LIMIT 1 FOR UPDATE SKIP LOCKED",
                    &[&now],
                )
                .map_err(pg)?;
            let Some(row) = found else {
                tx.commit().map_err(pg)?;
                return Ok(None);
            };
            let (id, attempts): (i64, i64) = (row.get(0), row.get(1));
            if attempts >= i64::from(max_attempts) {
                tx.execute(
                    "UPDATE callbacks SET state = 'dead', lease_until = NULL, updated_at = $2 WHERE id = $1",
                    &[&id, &now],
                )
                .map_err(pg)?;
                continue;
            }
            let row = tx
                .query_one(
                    &format!(
                        "UPDATE callbacks SET attempts = attempts + 1, lease_until = $2, updated_at = $3
                         WHERE id = $1 RETURNING {RECORD_COLUMNS}"
                    ),
                    &[&id, &now.saturating_add(lease_ms as i64), &now],
                )
                .map_err(pg)?;
            tx.commit().map_err(pg)?;
            return Ok(Some(record(&row)));
        }
    }

    fn claim_confirmation(
        &mut self,
        now_ms: u64,
        lease_ms: u64,
    ) -> Result<Option<Record>, InboxError> {
        let now = now_ms as i64;
        let mut tx = self.client.transaction().map_err(pg)?;
        // Another receiver's confirmer skips the row it is taking.
        let row = tx
            .query_opt(
                &format!(
                    "UPDATE callbacks SET confirm_after = $2, updated_at = $1
                     WHERE id = (SELECT id FROM callbacks
                                 WHERE state = 'pending' AND confirmation = 'awaiting'
                                   AND (confirm_after IS NULL OR confirm_after <= $1)
                                 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
                     RETURNING {RECORD_COLUMNS}"
                ),
                &[&now, &now.saturating_add(lease_ms as i64)],
            )
            .map_err(pg)?;
        tx.commit().map_err(pg)?;
        Ok(row.as_ref().map(record))
    }

    fn settle_confirmation(
        &mut self,
        id: i64,
        links: Option<&PlatformLinks>,
        mismatches: &[&'static str],
        now_ms: u64,
    ) -> Result<(), InboxError> {
        let now = now_ms as i64;
        let mut tx = self.client.transaction().map_err(pg)?;
        let changed = match links {
            Some(links) => tx.execute(
                "UPDATE callbacks SET confirmation = 'confirmed', confirm_after = NULL,
                     platform_h5_url = $2, platform_h5_detail_url = $3, platform_study = $5,
                     updated_at = $4
                 WHERE id = $1 AND confirmation = 'awaiting'",
                &[
                    &id,
                    &links.h5_url,
                    &links.h5_detail_url,
                    &now,
                    &study_json(links),
                ],
            ),
            None => tx.execute(
                "UPDATE callbacks SET confirmation = 'not_confirmed', state = 'dead',
                     confirm_after = NULL, lease_until = NULL, updated_at = $2
                 WHERE id = $1 AND confirmation = 'awaiting'",
                &[&id, &now],
            ),
        }
        .map_err(pg)?;
        if changed == 0 {
            return Err(InboxError::WrongState {
                id,
                state: state_of(&mut tx, id)?,
                rule: refused::CONFIRM,
            });
        }
        for kind in confirmation_events(links, mismatches) {
            security_event(&mut tx, now_ms, kind, ("", ""), Some(id))?;
        }
        tx.commit().map_err(pg)
    }

    fn confirm_later(&mut self, id: i64, now_ms: u64, available_ms: u64) -> Result<(), InboxError> {
        self.client
            .execute(
                "UPDATE callbacks SET confirm_attempts = confirm_attempts + 1, confirm_after = $3,
                     updated_at = $2
                 WHERE id = $1 AND confirmation = 'awaiting'",
                &[&id, &(now_ms as i64), &(available_ms as i64)],
            )
            .map_err(pg)?;
        Ok(())
    }

    fn ack(&mut self, id: i64, now_ms: u64) -> Result<(), InboxError> {
        let mut tx = self.client.transaction().map_err(pg)?;
        let changed = tx
            .execute(
                "UPDATE callbacks SET state = 'delivered', lease_until = NULL, updated_at = $2
                 WHERE id = $1 AND state = 'pending' AND attempts > 0",
                &[&id, &(now_ms as i64)],
            )
            .map_err(pg)?;
        if changed == 0 {
            match state_of(&mut tx, id)? {
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
        tx.commit().map_err(pg)
    }

    fn release(
        &mut self,
        id: i64,
        now_ms: u64,
        available_ms: u64,
        uncounted: bool,
    ) -> Result<(), InboxError> {
        let mut tx = self.client.transaction().map_err(pg)?;
        let available = (available_ms > now_ms).then_some(available_ms as i64);
        let changed = tx
            .execute(
                "UPDATE callbacks SET lease_until = $3, updated_at = $2,
                        attempts = greatest(attempts - $4, 0)
                 WHERE id = $1 AND state = 'pending' AND lease_until IS NOT NULL",
                &[&id, &(now_ms as i64), &available, &i64::from(uncounted)],
            )
            .map_err(pg)?;
        if changed == 0 {
            return Err(InboxError::WrongState {
                id,
                state: state_of(&mut tx, id)?,
                rule: refused::RELEASE,
            });
        }
        tx.commit().map_err(pg)
    }

    fn retry(&mut self, id: i64, now_ms: u64) -> Result<(), InboxError> {
        let mut tx = self.client.transaction().map_err(pg)?;
        let changed = tx
            .execute(
                "UPDATE callbacks SET state = 'pending', attempts = 0, lease_until = NULL, updated_at = $2,
                     confirmation = CASE confirmation WHEN 'not_confirmed' THEN 'awaiting' ELSE confirmation END,
                     confirm_attempts = 0, confirm_after = NULL
                 WHERE id = $1 AND state = 'dead'",
                &[&id, &(now_ms as i64)],
            )
            .map_err(pg)?;
        if changed == 0 {
            return Err(InboxError::WrongState {
                id,
                state: state_of(&mut tx, id)?,
                rule: refused::RETRY,
            });
        }
        tx.commit().map_err(pg)
    }

    fn list(&mut self, state: Option<State>, _now_ms: u64) -> Result<Vec<Record>, InboxError> {
        let state = state.map(State::as_str);
        let rows = self
            .client
            .query(
                &format!(
                    "SELECT {RECORD_COLUMNS} FROM callbacks
                     WHERE $1::TEXT IS NULL OR state = $1 ORDER BY id"
                ),
                &[&state],
            )
            .map_err(pg)?;
        Ok(rows.iter().map(record).collect())
    }

    fn stats(&mut self, now_ms: u64) -> Result<Stats, InboxError> {
        let mut tx = self.client.transaction().map_err(pg)?;
        let mut stats = Stats::default();
        for row in tx
            .query("SELECT name, value FROM counters", &[])
            .map_err(pg)?
        {
            let (name, value): (String, i64) = (row.get(0), row.get(1));
            crate::store::add_counter(&mut stats, &name, value as u64);
        }
        for row in tx
            .query(
                "SELECT state, count(*), count(*) FILTER (WHERE lease_until > $1),
                     count(*) FILTER (WHERE confirmation = 'awaiting')
                 FROM callbacks GROUP BY state",
                &[&(now_ms as i64)],
            )
            .map_err(pg)?
        {
            let (state, count, leased, awaiting): (String, i64, i64, i64) =
                (row.get(0), row.get(1), row.get(2), row.get(3));
            crate::store::add_state(
                &mut stats,
                &state,
                count as u64,
                leased as u64,
                awaiting as u64,
            );
        }
        tx.commit().map_err(pg)?;
        Ok(stats)
    }
}
