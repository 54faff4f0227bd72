//! The consumer's side: a blocking API over the store, for the CLI, C and Python.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use aimis::crypto::FieldCipher;
use aimis::message::{Message, open_wire, to_plain_json};
use aimis::{Clock, Credentials, SERVICE, StudyStatusCallback, SystemClock};
use serde_json::{Map, Value, json};

use crate::error::InboxError;
use crate::store::sqlite::Sqlite;
use crate::store::{Confirmation, PlatformLinks, Record, STUDY_FIELDS, State, Stats, Store};
use crate::tally::Tally;
use crate::url::StoreUrl;

/// An inbox: one store, opened by its URL; schema migrations are applied on open.
/// Cheap to share between threads (calls are serialised on its connection).
pub struct Inbox {
    store: Mutex<Store>,
    cipher: Option<FieldCipher>,
    clock: Arc<dyn Clock>,
    max_attempts: u32,
    /// Refusals not yet written (see [`Inbox::flush_refusals`]).
    refusals: Tally,
}

impl fmt::Debug for Inbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inbox")
            .field("decrypts", &self.cipher.is_some())
            .field("max_attempts", &self.max_attempts)
            .finish_non_exhaustive()
    }
}

/// A claimed callback, decrypted. Debug shows no patient data.
#[derive(Clone)]
pub struct Item {
    pub id: i64,
    /// The callback with the vendor's names, phoneNum and idNum decrypted.
    pub callback: Value,
    /// When the receiver stored it, RFC 3339 UTC.
    pub received_at: String,
    /// Claims so far, this one included.
    pub attempts: u32,
    /// With `--confirm`: the callback's fields delivered as the body said, which the
    /// platform's answer cannot vouch for (`status`). Empty otherwise.
    pub unconfirmed: Vec<&'static str>,
}

/// What no answer of the platform vouches for: delivered, but marked unconfirmed.
const UNCONFIRMED: &[&str] = &["status"];
/// What no answer of the platform vouches for, and is not delivered once confirmed.
const NOT_DELIVERED: &[&str] = &["patientId"];

impl Item {
    /// `{"id","callback","received_at","attempts"}`, as `aimis inbox next --json` prints,
    /// with `"unconfirmed": [...]` for a confirmed callback.
    pub fn to_json(&self) -> Value {
        let mut json = json!({
            "id": self.id,
            "callback": self.callback,
            "received_at": self.received_at,
            "attempts": self.attempts,
        });
        if !self.unconfirmed.is_empty() {
            json["unconfirmed"] = json!(self.unconfirmed);
        }
        json
    }
}

impl fmt::Debug for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Item")
            .field("id", &self.id)
            .field("received_at", &self.received_at)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

/// A stored callback for listings: patient data masked.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Listed {
    pub id: i64,
    pub state: String,
    pub received_at: String,
    pub attempts: u32,
    /// Whether it is claimed under a lease right now.
    pub leased: bool,
    /// With `--confirm`: `awaiting`, `confirmed` or `not_confirmed`; otherwise null.
    pub confirmation: Option<&'static str>,
    /// The callback with every encrypted or sensitive field as `***`.
    pub callback: Value,
}

impl Inbox {
    /// Opens the store at `url` with the credentials the callbacks are sent with (the
    /// token decrypts them in [`Inbox::next`]).
    pub fn open(url: &str, credentials: Credentials) -> Result<Self, InboxError> {
        let mut inbox = Inbox::open_store(url)?;
        inbox.cipher = Some(FieldCipher::new(credentials.token(), &SERVICE.cipher));
        Ok(inbox)
    }

    /// Opens the store without credentials: everything but [`Inbox::next`].
    pub fn open_store(url: &str) -> Result<Self, InboxError> {
        let store = match StoreUrl::parse(url)? {
            StoreUrl::Sqlite(path) => Store::new(Sqlite::open(&path)?),
            #[cfg(feature = "postgres")]
            StoreUrl::Postgres(url) => Store::new(crate::store::postgres::Postgres::open(&url)?),
            #[cfg(not(feature = "postgres"))]
            StoreUrl::Postgres(_) => {
                return Err(InboxError::BadStoreUrl {
                    shown: "postgres://...".into(),
                    rule: "this build has no PostgreSQL store (the `postgres` feature)".into(),
                });
            }
        };
        Ok(Inbox {
            store: Mutex::new(store),
            cipher: None,
            clock: Arc::new(SystemClock),
            max_attempts: crate::DEFAULT_MAX_ATTEMPTS,
            refusals: Tally::default(),
        })
    }

    /// Claims without an acknowledgement before a callback goes dead (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The clock leases and timestamps are read from (tests).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    pub(crate) fn now(&self) -> u64 {
        self.clock.now_millis()
    }

    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        // A panic mid-call leaves nothing half-done: each call is one transaction.
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Claims the oldest pending callback for `lease`; unacknowledged by then, it comes
    /// back. A study's callbacks are handed out one at a time, in the order received.
    /// `None` when nothing is pending.
    pub fn next(&self, lease: Duration) -> Result<Option<Item>, InboxError> {
        if self.cipher.is_none() {
            return Err(InboxError::NoCredentials);
        }
        let lease_ms = u64::try_from(lease.as_millis()).unwrap_or(u64::MAX).max(1);
        let record = self
            .store()
            .claim(self.now(), lease_ms, self.max_attempts)?;
        let Some(record) = record else {
            return Ok(None);
        };
        tracing::debug!(
            event = "claimed",
            id = record.id,
            attempts = record.attempts
        );
        let mut callback = self.open_record(&record).and_then(|c| {
            to_plain_json(&c).map_err(|e| InboxError::Undecryptable {
                id: record.id,
                reason: e.kind().to_owned(),
            })
        })?;
        let mut unconfirmed = Vec::new();
        if let (Some(platform), Value::Object(fields)) = (&record.platform_links, &mut callback) {
            vouched_only(fields, platform);
            unconfirmed = UNCONFIRMED.to_vec();
        }
        Ok(Some(Item {
            id: record.id,
            callback,
            received_at: crate::time::rfc3339(record.received_at_ms),
            attempts: record.attempts,
            unconfirmed,
        }))
    }

    /// A stored callback, decrypted.
    pub(crate) fn open_record(&self, record: &Record) -> Result<StudyStatusCallback, InboxError> {
        let cipher = self.cipher.as_ref().ok_or(InboxError::NoCredentials)?;
        open_wire::<StudyStatusCallback>(&record.body, cipher).map_err(|e| {
            InboxError::Undecryptable {
                id: record.id,
                reason: e.kind().to_owned(),
            }
        })
    }

    /// Marks a claimed callback delivered. Acknowledging it again is not an error.
    pub fn ack(&self, id: i64) -> Result<(), InboxError> {
        self.store().ack(id, self.now())?;
        tracing::info!(event = "delivered", id);
        Ok(())
    }

    /// Gives a claimed callback back: pending again now.
    pub fn nack(&self, id: i64) -> Result<(), InboxError> {
        let now = self.now();
        self.store().release(id, now, now, false)?;
        tracing::info!(event = "released", id);
        Ok(())
    }

    /// Gives back a claimed callback its consumer could not take (a C caller's buffer
    /// too small for it): pending again now, as though never claimed, so asking for
    /// the size first costs no attempt.
    pub fn unclaim(&self, id: i64) -> Result<(), InboxError> {
        let now = self.now();
        self.store().release(id, now, now, true)
    }

    /// Gives a claimed callback back, to be claimed again after `wait`.
    pub fn nack_after(&self, id: i64, wait: Duration) -> Result<(), InboxError> {
        let now = self.now();
        let wait = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
        self.store()
            .release(id, now, now.saturating_add(wait), false)
    }

    /// Brings a dead callback back to pending, its attempts reset.
    pub fn retry(&self, id: i64) -> Result<(), InboxError> {
        self.store().retry(id, self.now())
    }

    /// Stored callbacks in `state` (every one for `None`), oldest first, masked.
    pub fn list(&self, state: Option<State>) -> Result<Vec<Listed>, InboxError> {
        let now = self.now();
        let records = self.store().list(state)?;
        Ok(records.iter().map(|r| listed(r, now)).collect())
    }

    /// Counts, refusals counted in memory included.
    pub fn stats(&self) -> Result<Stats, InboxError> {
        self.flush_refusals()?;
        self.store().stats(self.now())
    }

    pub(crate) fn refusals(&self) -> &Tally {
        &self.refusals
    }

    /// Writes the refusals counted in memory, in one transaction, with one log line
    /// for them all; kept for the next try when the store fails.
    pub(crate) fn flush_refusals(&self) -> Result<(), InboxError> {
        let refusals = self.refusals.take();
        if refusals.is_empty() {
            return Ok(());
        }
        let written = self.store().record_refusals(&refusals, self.now());
        match written {
            Ok(()) => crate::log::refusals(&refusals),
            Err(_) => self.refusals.put_back(refusals),
        }
        written
    }
}

impl Drop for Inbox {
    fn drop(&mut self) {
        if let Err(e) = self.flush_refusals() {
            tracing::error!(event = "refusals_not_counted", error = %e);
        }
    }
}

/// A confirmed callback as delivered: the platform's links and study fields, never the
/// body's (which nobody signed); what the platform cannot vouch for, left out. The
/// patient, report, study and hospital are what the platform was asked about.
fn vouched_only(fields: &mut Map<String, Value>, platform: &PlatformLinks) {
    let mut replace = |name: &str, value: Option<Value>| {
        let old = match value {
            Some(value) => fields.insert(name.into(), value),
            None => fields.remove(name),
        };
        if let Some(mut old) = old {
            aimis::message::wipe(&mut old);
        }
    };
    replace("h5Url", platform.h5_url.clone().map(Value::String));
    replace(
        "h5DetailUrl",
        platform.h5_detail_url.clone().map(Value::String),
    );
    for name in STUDY_FIELDS {
        replace(
            name,
            platform.study.as_ref().and_then(|s| s.get(name)).cloned(),
        );
    }
    for name in NOT_DELIVERED {
        replace(name, None);
    }
}

fn listed(record: &Record, now: u64) -> Listed {
    Listed {
        id: record.id,
        state: record.state.to_string(),
        received_at: crate::time::rfc3339(record.received_at_ms),
        attempts: record.attempts,
        leased: record.state == State::Pending && record.lease_until_ms.is_some_and(|t| t > now),
        confirmation: record.confirmation.map(Confirmation::as_str),
        callback: masked(&record.body),
    }
}

/// The stored body with the spec's fields only, the encrypted and sensitive ones as
/// `***`. Keys the spec does not know are left out: they could be anything.
pub(crate) fn masked(body: &[u8]) -> Value {
    let Ok(Value::Object(wire)) = serde_json::from_slice::<Value>(body) else {
        return Value::Null;
    };
    let mut out = Map::new();
    for field in StudyStatusCallback::FIELDS {
        if let Some(value) = wire.get(field.name) {
            let shown = if field.encrypted || field.sensitive {
                Value::String("***".into())
            } else {
                value.clone()
            };
            out.insert(field.name.into(), shown);
        }
    }
    Value::Object(out)
}
