//! The inbox's one error type. Messages name the option or the rule, never patient data
//! or the token (a database error's text comes from SQLite, whose statements here only
//! ever see values as bound parameters).

use crate::store::State;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InboxError {
    /// The store URL is not one this inbox can open. `shown` is the URL with its
    /// passwords redacted; [`InboxError::naming_store`] names it as a caller does.
    #[error("store URL {shown}: {rule}")]
    BadStoreUrl { shown: String, rule: String },
    /// The database could not be opened, read or written.
    #[error("store: {0}")]
    Store(String),
    /// The database was made by a newer aimis.
    #[error(
        "store: schema version {found} is newer than this aimis knows ({known}); upgrade aimis"
    )]
    SchemaTooNew { found: i64, known: i64 },
    /// No stored callback has this id.
    #[error("no callback has id {0}")]
    NotFound(i64),
    /// The callback is not in a state this operation applies to.
    #[error("callback {id} is {state}: {rule}")]
    WrongState {
        id: i64,
        state: State,
        rule: &'static str,
    },
    /// Decrypting a stored callback needs the token it was sent with.
    #[error(
        "decrypting callbacks needs credentials: pass --app-id and --token-file (or set AIMIS_APP_ID and AIMIS_TOKEN)"
    )]
    NoCredentials,
    /// A stored callback cannot be opened with these credentials.
    #[error("callback {id} cannot be opened with this token ({reason}); check --token")]
    Undecryptable { id: i64, reason: String },
    /// A bad option of the receiver.
    #[error("{option}: {rule}")]
    BadOption { option: &'static str, rule: String },
    /// A connection option (proxy, CA certificates, timeouts) the pusher cannot use.
    #[error("{0}")]
    Connection(aimis::Error),
    /// The receiver cannot listen or run.
    #[error("{0}")]
    Io(String),
}

impl InboxError {
    /// The message, naming the store URL as the caller spells it (`--store` on the
    /// command line, the `store` argument in Python).
    pub fn naming_store(&self, name: &str) -> String {
        match self {
            InboxError::BadStoreUrl { shown, rule } => format!("{name} {shown}: {rule}"),
            other => other.to_string(),
        }
    }
}

impl From<rusqlite::Error> for InboxError {
    fn from(e: rusqlite::Error) -> Self {
        InboxError::Store(e.to_string())
    }
}
