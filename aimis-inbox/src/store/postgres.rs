//! The store on PostgreSQL (the synchronous `postgres` client): the same schema and
//! state machine as SQLite. Claims use `SELECT ... FOR UPDATE SKIP LOCKED`, so two
//! consumers never get the same callback; arrivals for one study are serialised with a
//! transaction-scoped advisory lock, so the order check sees every earlier status.

use std::time::Duration;

use postgres::types::{ToSql, Type};
use postgres::{Client, NoTls};

use super::database::{Cell, Database, Dialect, Param, Row, Transaction};
use super::migrations_after;
use crate::error::InboxError;

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
        let applied: i64 = tx
            .query_one(
                "SELECT coalesce(max(version), 0) FROM aimis_inbox_migrations",
                &[],
            )
            .map_err(pg)?
            .get(0);
        for (version, migration) in migrations_after(applied, MIGRATIONS)? {
            tx.batch_execute(migration).map_err(pg)?;
            tx.execute(
                "INSERT INTO aimis_inbox_migrations (version) VALUES ($1)",
                &[&version],
            )
            .map_err(pg)?;
        }
        tx.commit().map_err(pg)
    }
}

impl Database for Postgres {
    fn begin(&mut self, _write: bool) -> Result<Box<dyn Transaction + '_>, InboxError> {
        Ok(Box::new(PostgresTransaction(
            self.client.transaction().map_err(pg)?,
        )))
    }

    fn check_writable(&mut self, wait: Duration) -> Result<(), InboxError> {
        // A primary that answers within `wait` (a standby in recovery cannot store),
        // and the lock a callback's write takes, had within `wait` and given back: as
        // SQLite's write lock, another session's (an index being built) makes writes
        // wait.
        let mut tx = self.client.transaction().map_err(pg)?;
        let wait = wait.as_millis().max(1);
        tx.batch_execute(&format!(
            "SET LOCAL statement_timeout = {wait}; SET LOCAL lock_timeout = {wait}"
        ))
        .map_err(pg)?;
        let writable: bool = tx
            .query_one("SELECT NOT pg_is_in_recovery()", &[])
            .map_err(pg)?
            .get(0);
        if !writable {
            return Err(InboxError::Store(
                "PostgreSQL is a standby in recovery: it cannot store".into(),
            ));
        }
        tx.batch_execute("LOCK TABLE callbacks, nonces, counters IN ROW EXCLUSIVE MODE")
            .map_err(pg)
    }

    fn dialect(&self) -> &'static Dialect {
        &Dialect {
            skip_locked: "FOR UPDATE SKIP LOCKED",
            lock_study: Some("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))"),
        }
    }
}

struct PostgresTransaction<'c>(postgres::Transaction<'c>);

impl Transaction for PostgresTransaction<'_> {
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, InboxError> {
        self.0.execute(sql, &bound(params)).map_err(pg)
    }

    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, InboxError> {
        let rows = self.0.query(sql, &bound(params)).map_err(pg)?;
        rows.iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| cell(row, i))
                    .collect::<Result<_, _>>()
                    .map(Row)
            })
            .collect()
    }

    fn commit(self: Box<Self>) -> Result<(), InboxError> {
        self.0.commit().map_err(pg)
    }
}

fn bound<'a>(params: &'a [Param<'_>]) -> Vec<&'a (dyn ToSql + Sync)> {
    params
        .iter()
        .map(|param| match param {
            Param::Int(value) => value as &(dyn ToSql + Sync),
            Param::Text(text) => text,
            Param::Bytes(bytes) => bytes,
        })
        .collect()
}

/// A column of the schema's types (BIGINT, TEXT, BYTEA) read back.
fn cell(row: &postgres::Row, i: usize) -> Result<Cell, InboxError> {
    let kind = row.columns()[i].type_();
    Ok(if *kind == Type::INT8 {
        row.try_get::<_, Option<i64>>(i)
            .map_err(pg)?
            .map_or(Cell::Null, Cell::Int)
    } else if *kind == Type::BYTEA {
        row.try_get::<_, Option<Vec<u8>>>(i)
            .map_err(pg)?
            .map_or(Cell::Null, Cell::Bytes)
    } else {
        row.try_get::<_, Option<String>>(i)
            .map_err(pg)?
            .map_or(Cell::Null, Cell::Text)
    })
}
