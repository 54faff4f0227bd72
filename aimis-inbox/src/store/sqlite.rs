//! The store on SQLite (bundled): WAL, and `synchronous=FULL` so that a callback is on
//! disk, surviving `kill -9` and power loss, before it is acknowledged. Writers take
//! the database lock up front (`BEGIN IMMEDIATE`), so two consumers, in one process or
//! several, never claim the same callback.

use std::path::Path;
use std::time::Duration;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, TransactionBehavior, params_from_iter};

use super::database::{Cell, Database, Dialect, Param, Row, Transaction};
use super::migrations_after;
use crate::error::InboxError;

/// The schema, one migration a version (`migrations/sqlite/`); `PRAGMA user_version`
/// says which are applied.
/// Append only: a released migration is never edited.
const MIGRATIONS: &[&str] = &crate::store::migrations!("sqlite");

/// How long a write waits for another process's.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Prepared statements kept: every statement the state machine runs.
const STATEMENT_CACHE: usize = 64;

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
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        let mut store = Sqlite { conn };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<(), InboxError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let applied: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        for (version, migration) in migrations_after(applied, MIGRATIONS)? {
            tx.execute_batch(migration)?;
            tx.pragma_update(None, "user_version", version)?;
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

impl Database for Sqlite {
    fn begin(&mut self, write: bool) -> Result<Box<dyn Transaction + '_>, InboxError> {
        let behavior = if write {
            TransactionBehavior::Immediate
        } else {
            TransactionBehavior::Deferred
        };
        Ok(Box::new(SqliteTransaction(
            self.conn.transaction_with_behavior(behavior)?,
        )))
    }

    fn check_writable(&mut self, wait: Duration) -> Result<(), InboxError> {
        self.conn.busy_timeout(wait)?;
        // Stops at BEGIN when the lock cannot be had: no transaction is left open.
        let checked = self.conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;");
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        Ok(checked?)
    }

    fn dialect(&self) -> &'static Dialect {
        // Writers take the database lock up front (`BEGIN IMMEDIATE`): one at a time.
        &Dialect {
            skip_locked: "",
            lock_study: None,
        }
    }
}

struct SqliteTransaction<'c>(rusqlite::Transaction<'c>);

/// The statement with SQLite's placeholders: `$N` is `?N` (SQLite reads `$N` as a
/// name, numbered by first appearance). The statements hold no other `$`.
fn positional(sql: &str) -> String {
    sql.replace('$', "?")
}

impl Transaction for SqliteTransaction<'_> {
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, InboxError> {
        let mut statement = self.0.prepare_cached(&positional(sql))?;
        Ok(statement.execute(params_from_iter(params))? as u64)
    }

    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, InboxError> {
        let mut statement = self.0.prepare_cached(&positional(sql))?;
        let columns = statement.column_count();
        let mut rows = statement.query(params_from_iter(params))?;
        let mut read = Vec::new();
        while let Some(row) = rows.next()? {
            let cells = (0..columns)
                .map(|i| cell(row.get_ref(i)?))
                .collect::<Result<_, InboxError>>()?;
            read.push(Row(cells));
        }
        Ok(read)
    }

    fn commit(self: Box<Self>) -> Result<(), InboxError> {
        Ok(self.0.commit()?)
    }
}

fn cell(value: ValueRef<'_>) -> Result<Cell, InboxError> {
    Ok(match value {
        ValueRef::Null => Cell::Null,
        ValueRef::Integer(value) => Cell::Int(value),
        ValueRef::Text(text) => Cell::Text(
            String::from_utf8(text.to_vec())
                .map_err(|_| InboxError::Store("a text column is not UTF-8".into()))?,
        ),
        ValueRef::Blob(bytes) => Cell::Bytes(bytes.to_vec()),
        ValueRef::Real(_) => return Err(InboxError::Store("a column holds a real number".into())),
    })
}

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match *self {
            Param::Int(value) => value.map_or(ValueRef::Null, ValueRef::Integer),
            Param::Text(text) => text.map_or(ValueRef::Null, |t| ValueRef::Text(t.as_bytes())),
            Param::Bytes(bytes) => ValueRef::Blob(bytes),
        }))
    }
}
