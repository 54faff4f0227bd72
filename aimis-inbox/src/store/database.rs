//! What really differs between SQLite and PostgreSQL, under the one state machine
//! ([`super::Store`]): running a statement in a transaction, how a transaction takes its
//! locks, and the few clauses only one of them needs. Statements are written once, with
//! PostgreSQL's `$N` placeholders (SQLite's `?N` mean the same) and SQL both speak
//! (`ON CONFLICT`, `RETURNING`).

use std::time::Duration;

use crate::error::InboxError;

/// One database holding an inbox, its schema migrated.
pub(crate) trait Database: Send {
    /// Begins a transaction. `write`: one that writes (SQLite takes the write lock up
    /// front, so two writers never deadlock and never claim the same callback).
    fn begin(&mut self, write: bool) -> Result<Box<dyn Transaction + '_>, InboxError>;
    /// Whether a callback could be stored now, answered within `wait`, nothing written.
    fn check_writable(&mut self, wait: Duration) -> Result<(), InboxError>;
    fn dialect(&self) -> &'static Dialect;
}

/// The clauses one database needs and the other does without.
pub(crate) struct Dialect {
    /// Ends the claims' `SELECT`s: a row another transaction is claiming is skipped
    /// (PostgreSQL). Empty where writers are one at a time anyway (SQLite).
    pub skip_locked: &'static str,
    /// Serialises one study's arrivals until commit (`$1` the study key), so the order
    /// check sees every earlier status; `None` where writers are one at a time anyway.
    pub lock_study: Option<&'static str>,
}

/// A transaction; dropped without [`Transaction::commit`], it is rolled back.
pub(crate) trait Transaction {
    /// Runs a statement that returns no rows; how many rows it changed.
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, InboxError>;
    /// Runs a statement that returns rows (`SELECT`, `... RETURNING`).
    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, InboxError>;
    fn commit(self: Box<Self>) -> Result<(), InboxError>;

    fn query_opt(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Option<Row>, InboxError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }
}

/// A bound parameter: the column types the schema uses (PostgreSQL's BIGINT, TEXT and
/// BYTEA; SQLite's INTEGER, TEXT and BLOB). A null keeps its type, as PostgreSQL needs.
#[derive(Clone, Copy)]
pub(crate) enum Param<'a> {
    Int(Option<i64>),
    Text(Option<&'a str>),
    Bytes(&'a [u8]),
}

impl From<i64> for Param<'_> {
    fn from(value: i64) -> Self {
        Param::Int(Some(value))
    }
}

impl From<Option<i64>> for Param<'_> {
    fn from(value: Option<i64>) -> Self {
        Param::Int(value)
    }
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(value: &'a str) -> Self {
        Param::Text(Some(value))
    }
}

impl<'a> From<&'a String> for Param<'a> {
    fn from(value: &'a String) -> Self {
        Param::Text(Some(value))
    }
}

impl<'a> From<Option<&'a str>> for Param<'a> {
    fn from(value: Option<&'a str>) -> Self {
        Param::Text(value)
    }
}

impl<'a> From<&'a [u8]> for Param<'a> {
    fn from(value: &'a [u8]) -> Self {
        Param::Bytes(value)
    }
}

/// `params![a, b]`: a statement's parameters, `$1` and `$2`.
macro_rules! params {
    ($($value:expr),* $(,)?) => {
        &[$($crate::store::database::Param::from($value)),*]
    };
}
pub(crate) use params;

/// A value read back (no Debug: it may be patient data).
pub(crate) enum Cell {
    Null,
    Int(i64),
    Text(String),
    Bytes(Vec<u8>),
}

/// A row read back, its columns in the statement's order.
pub(crate) struct Row(pub Vec<Cell>);

impl Row {
    fn cell(&mut self, column: usize) -> Result<Cell, InboxError> {
        self.0
            .get_mut(column)
            .map(|cell| std::mem::replace(cell, Cell::Null))
            .ok_or_else(|| InboxError::Store(format!("no column {column} in the row")))
    }

    pub(crate) fn opt_int(&mut self, column: usize) -> Result<Option<i64>, InboxError> {
        match self.cell(column)? {
            Cell::Null => Ok(None),
            Cell::Int(value) => Ok(Some(value)),
            other => Err(wrong_type(column, "an integer", &other)),
        }
    }

    pub(crate) fn int(&mut self, column: usize) -> Result<i64, InboxError> {
        self.opt_int(column)?
            .ok_or_else(|| wrong_type(column, "an integer", &Cell::Null))
    }

    pub(crate) fn opt_text(&mut self, column: usize) -> Result<Option<String>, InboxError> {
        match self.cell(column)? {
            Cell::Null => Ok(None),
            Cell::Text(value) => Ok(Some(value)),
            other => Err(wrong_type(column, "text", &other)),
        }
    }

    pub(crate) fn text(&mut self, column: usize) -> Result<String, InboxError> {
        self.opt_text(column)?
            .ok_or_else(|| wrong_type(column, "text", &Cell::Null))
    }

    pub(crate) fn bytes(&mut self, column: usize) -> Result<Vec<u8>, InboxError> {
        match self.cell(column)? {
            Cell::Bytes(value) => Ok(value),
            Cell::Text(value) => Ok(value.into_bytes()),
            other => Err(wrong_type(column, "bytes", &other)),
        }
    }
}

/// Names the column and the kinds only: a stored value may be patient data.
fn wrong_type(column: usize, wanted: &str, found: &Cell) -> InboxError {
    let found = match found {
        Cell::Null => "null",
        Cell::Int(_) => "an integer",
        Cell::Text(_) => "text",
        Cell::Bytes(_) => "bytes",
    };
    InboxError::Store(format!("column {column} holds {found}, not {wanted}"))
}
