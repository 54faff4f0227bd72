//! What the inbox keeps: the callbacks, the nonce (header set) register, the counters
//! and the security events; the state machine over them ([`Store`], written once), and
//! the two databases it runs on.

mod database;
mod machine;
#[cfg(feature = "postgres")]
pub(crate) mod postgres;
pub(crate) mod sqlite;

use std::fmt;

use crate::error::InboxError;
pub(crate) use machine::Store;

/// Where a stored callback stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum State {
    /// Not yet acknowledged by a consumer (possibly claimed under a lease).
    Pending,
    /// Acknowledged by a consumer.
    Delivered,
    /// Arrived after a later status of the same study: kept, never delivered as current.
    Superseded,
    /// Claimed too many times without an acknowledgement; `retry` brings it back.
    Dead,
}

impl State {
    pub const ALL: [State; 4] = [
        State::Pending,
        State::Delivered,
        State::Superseded,
        State::Dead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Delivered => "delivered",
            State::Superseded => "superseded",
            State::Dead => "dead",
        }
    }

    pub fn parse(text: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// A listing's filter, as `aimis inbox list --state` takes it: a state, or `all`
    /// (`None`).
    pub fn parse_filter(text: &str) -> Result<Option<State>, InboxError> {
        match text {
            "all" => Ok(None),
            _ => State::parse(text)
                .map(Some)
                .ok_or_else(|| InboxError::BadOption {
                    option: "state",
                    rule: "must be pending, delivered, superseded, dead or all".into(),
                }),
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A verified callback about to be stored. `body` is the raw body as the platform sent
/// it (phoneNum and idNum are its ciphertext).
pub(crate) struct Arrival<'a> {
    pub app_id: &'a str,
    /// The timestamp header exactly as sent: with the app id, the nonce.
    pub timestamp: &'a str,
    /// The timestamp in milliseconds, for expiring the nonce.
    pub sent_ms: u64,
    pub body: &'a [u8],
    /// SHA-256 of the body, lowercase hex: "the same callback" is the same bytes.
    pub body_hash: String,
    /// hospitalId and studyId: the unit of ordering.
    pub study_key: String,
    pub status: i64,
    pub now_ms: u64,
    /// The freshness window: nonces older than this can no longer be presented.
    pub skew_ms: u64,
    /// `--confirm`: stored awaiting the platform's confirmation, and a header set just
    /// used by another body is no reason to refuse (a forged body fails confirmation).
    pub confirm: bool,
}

/// How close to the first sighting of a header set another body counts as a callback
/// of the same millisecond rather than a replay: both arrive together.
pub(crate) const SAME_MILLISECOND_WINDOW_MS: u64 = 5_000;

/// What became of an arrival.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Receipt {
    /// Stored for the first time, durably.
    Stored { id: i64, superseded: bool },
    /// Stored before (same body); acknowledged again, not stored twice.
    Duplicate { id: i64 },
    /// A header set seen before with another body: refused, recorded.
    Replay,
    /// As `Replay`, but within moments of the first sighting: most likely two genuine
    /// callbacks sent in the same millisecond. Without `--confirm`, refused all the
    /// same (the platform retries with a fresh timestamp); counted apart.
    SameMillisecond,
}

/// Refusals counted in memory since they were last written: refusing what is not
/// authenticated costs no write of its own, however many arrive.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Refusals {
    /// Refused by verification, by reason: counted as `refused` and `refused.REASON`.
    pub by_reason: std::collections::BTreeMap<&'static str, u64>,
    /// Header sets presented again with another body, by kind (`replays_refused`,
    /// `same_millisecond`): counted, and security events.
    pub header_sets: std::collections::BTreeMap<&'static str, u64>,
}

impl Refusals {
    pub(crate) fn is_empty(&self) -> bool {
        self.by_reason.is_empty() && self.header_sets.is_empty()
    }
}

/// Security events are kept this long (90 days), then forgotten.
pub(crate) const SECURITY_EVENT_RETENTION_MS: u64 = 90 * 24 * 3600 * 1000;

/// Security events about header sets are kept as counts a minute.
pub(crate) fn event_minute(now_ms: u64) -> i64 {
    (now_ms / 60_000 * 60_000) as i64
}

/// Where a callback stands with the platform's confirmation (`--confirm`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confirmation {
    /// Stored, not yet confirmed: nobody can claim it.
    Awaiting,
    /// The platform holds the report; its links are delivered.
    Confirmed,
    /// The platform does not know the report: dead, never delivered.
    NotConfirmed,
}

impl Confirmation {
    pub fn as_str(self) -> &'static str {
        match self {
            Confirmation::Awaiting => "awaiting",
            Confirmation::Confirmed => "confirmed",
            Confirmation::NotConfirmed => "not_confirmed",
        }
    }

    pub fn parse(text: &str) -> Option<Confirmation> {
        [
            Confirmation::Awaiting,
            Confirmation::Confirmed,
            Confirmation::NotConfirmed,
        ]
        .into_iter()
        .find(|c| c.as_str() == text)
    }
}

/// What the platform answered for a confirmed callback: the report's links, and (when
/// it was asked for the patient's studies) the study's own fields. Debug shows none.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct PlatformLinks {
    pub h5_url: Option<String>,
    pub h5_detail_url: Option<String>,
    /// The study's fields the callback shares ([`STUDY_FIELDS`]) as the platform lists
    /// them, with the vendor's names (one it leaves out is absent); `None` when it was
    /// not asked.
    pub study: Option<serde_json::Map<String, serde_json::Value>>,
}

/// The callback's fields the platform's list of the patient's studies vouches for.
pub const STUDY_FIELDS: [&str; 5] = ["hisId", "studyType", "studyDate", "studyName", "bodyPart"];

impl fmt::Debug for PlatformLinks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlatformLinks").finish_non_exhaustive()
    }
}

/// One stored callback as the store holds it.
#[derive(Clone)]
pub struct Record {
    pub id: i64,
    pub state: State,
    /// The raw body as the platform sent it.
    pub body: Vec<u8>,
    pub study_status: i64,
    pub received_at_ms: u64,
    pub attempts: u32,
    /// Until when it is claimed, if it is.
    pub lease_until_ms: Option<u64>,
    /// `None` when stored without `--confirm`.
    pub confirmation: Option<Confirmation>,
    /// Times the platform could not be asked.
    pub confirm_attempts: u32,
    /// What the platform answered, once confirmed: delivered in place of the body's.
    pub platform_links: Option<PlatformLinks>,
}

impl fmt::Debug for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Record")
            .field("id", &self.id)
            .field("state", &self.state)
            .field("study_status", &self.study_status)
            .field("attempts", &self.attempts)
            .field("confirmation", &self.confirmation)
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// Counts for operators: no patient data.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Callbacks stored (each once).
    pub received: u64,
    /// Repeated deliveries of a stored callback, acknowledged and not stored again.
    pub duplicates: u64,
    /// Header sets presented again with another body, refused.
    pub replays_refused: u64,
    /// Like replays, but within moments of the first: two genuine callbacks of the same
    /// millisecond. Refused (the platform retries), or with `--confirm` stored awaiting
    /// confirmation; not counted in `replays_refused`.
    pub same_millisecond: u64,
    /// Confirmed by the platform with other links than the body's (a security event):
    /// delivered with the platform's.
    pub links_mismatched: u64,
    /// Confirmed by the platform with other study fields (hisId, studyName, bodyPart)
    /// than the body's (a security event): delivered with the platform's.
    pub fields_mismatched: u64,
    /// Not known to the platform (a security event): dead, never delivered.
    pub not_confirmed: u64,
    /// Callbacks refused by verification (appId, freshness, signature, body, fields).
    pub refused: u64,
    /// `refused`, by [`aimis::CallbackError::reason`] (and `not_current`, and for the
    /// body's transfer `too_large`, `bad_body`, `slow_body`).
    pub refused_by_reason: std::collections::BTreeMap<String, u64>,
    pub pending: u64,
    /// Of `pending`, those claimed under a lease right now (or, with `--deliver-url`,
    /// waiting for their next try).
    pub leased: u64,
    /// Of `pending`, those awaiting the platform's confirmation (`--confirm`).
    pub awaiting_confirmation: u64,
    pub delivered: u64,
    pub superseded: u64,
    pub dead: u64,
}

/// A database's schema migrations, `migrations/<database>/NNNN_*.sql`, oldest first,
/// embedded at build time. Both databases have a file of each name: a migration added
/// for one is added for the other.
macro_rules! migrations {
    ($database:literal) => {
        [
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/migrations/",
                $database,
                "/0001_callbacks_nonces_counters_events.sql"
            )),
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/migrations/",
                $database,
                "/0002_confirmation.sql"
            )),
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/migrations/",
                $database,
                "/0003_confirmed_study_fields.sql"
            )),
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/migrations/",
                $database,
                "/0004_security_event_counts.sql"
            )),
        ]
    };
}
pub(crate) use migrations;

/// The migrations a schema at `version` still needs, each with the version it brings
/// the schema to; a schema newer than `migrations` is refused.
pub(crate) fn migrations_after(
    version: i64,
    migrations: &'static [&'static str],
) -> Result<impl Iterator<Item = (i64, &'static str)>, InboxError> {
    let known = migrations.len() as i64;
    if version > known {
        return Err(InboxError::SchemaTooNew {
            found: version,
            known,
        });
    }
    Ok((1..)
        .zip(migrations.iter().copied())
        .skip(version.max(0) as usize))
}
