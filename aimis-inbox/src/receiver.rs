//! One callback in, one answer out: verify from the raw bytes, store, and acknowledge
//! only what the store has committed. No HTTP here (see `http.rs`), so C and Python can
//! drive it too.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use aimis::message::Message;
use aimis::{ApiCode, CallbackVerifier, Clock, Credentials, Error, SERVICE, StudyStatusCallback};
use sha2::{Digest, Sha256};

use crate::inbox::Inbox;
use crate::store::{Arrival, Receipt};

/// Verifies callbacks for one app and stores them in an [`Inbox`].
pub struct Receiver {
    app_id: String,
    confirm: bool,
    verifier: CallbackVerifier,
    skew: Duration,
    inbox: Inbox,
}

impl fmt::Debug for Receiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("app_id", &self.app_id)
            .field("skew", &self.skew)
            .field("confirm", &self.confirm)
            .finish_non_exhaustive()
    }
}

/// What became of one callback.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Stored {
        id: i64,
        superseded: bool,
    },
    Duplicate {
        id: i64,
    },
    Replay,
    SameMillisecond,
    /// Refused by verification; `reason` as [`aimis::CallbackError::reason`], or for
    /// the body's transfer: `too_large`, `bad_body` (aborted or malformed), `slow_body`.
    Refused {
        reason: &'static str,
    },
    /// The store failed: not acknowledged, so the platform sends it again.
    StoreFailed,
}

impl Outcome {
    /// Whether the answer is the success envelope.
    pub fn acknowledged(&self) -> bool {
        matches!(self, Outcome::Stored { .. } | Outcome::Duplicate { .. })
    }
}

/// The HTTP answer for one callback: the spec's envelope.
#[derive(Clone, Debug)]
pub struct Answer {
    pub http_status: u16,
    pub body: String,
    pub outcome: Outcome,
}

impl Receiver {
    /// Verifies callbacks sent with `credentials` and stores them in `inbox`.
    pub fn new(inbox: Inbox, credentials: Credentials) -> Self {
        Receiver {
            app_id: credentials.app_id().to_owned(),
            confirm: false,
            verifier: CallbackVerifier::new(credentials),
            skew: Duration::from_secs(SERVICE.auth.max_skew_seconds),
            inbox,
        }
    }

    /// How far a callback's timestamp may be from now (default: the spec's 5 minutes).
    /// Nonces are kept this long.
    pub fn max_skew(mut self, skew: Duration) -> Self {
        self.skew = skew;
        self.verifier = self.verifier.max_skew(skew);
        self
    }

    /// `--confirm`: stores every callback awaiting the platform's confirmation (run a
    /// [`crate::Confirmer`] on the same store); nothing can be claimed before. A header
    /// set just used by another body is then stored too: a forged body is never
    /// confirmed.
    pub fn confirming(mut self, confirm: bool) -> Self {
        self.confirm = confirm;
        self
    }

    /// The clock for freshness and timestamps (tests).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.verifier = self.verifier.clock(clock.clone());
        self.inbox = self.inbox.clock(clock);
        self
    }

    /// The inbox callbacks are stored in.
    pub fn inbox(&self) -> &Inbox {
        &self.inbox
    }

    /// Verifies and stores one callback; blocking (the store commits to disk).
    pub fn handle(&self, headers: &[(&str, &str)], body: &[u8]) -> Answer {
        let callback = self
            .verifier
            .verify::<StudyStatusCallback, _, _>(headers.iter().copied(), body)
            .and_then(|c| c.validate().map(|()| c));
        let callback = match callback {
            Ok(callback) => callback,
            Err(e) => return self.refuse(&e),
        };
        // Verified, so the header is present, single and a number.
        let timestamp = headers
            .iter()
            .find(|(k, _)| k.trim().eq_ignore_ascii_case(SERVICE.auth.timestamp_header))
            .map_or("", |(_, v)| v.trim());
        let sent_ms = SERVICE
            .auth
            .timestamp
            .millis(timestamp.parse::<u64>().unwrap_or(0));
        let arrival = Arrival {
            app_id: &self.app_id,
            timestamp,
            sent_ms,
            body,
            body_hash: hex(&Sha256::digest(body)),
            study_key: format!("{}\u{1f}{}", callback.hospital_id, callback.study_id),
            status: callback.status.code(),
            now_ms: self.inbox.now(),
            skew_ms: u64::try_from(self.skew.as_millis()).unwrap_or(u64::MAX),
            confirm: self.confirm,
        };
        drop(callback);
        let receipt = self.inbox.store().receive(&arrival);
        match receipt {
            Ok(Receipt::Stored { id, superseded }) => ack(Outcome::Stored { id, superseded }),
            Ok(Receipt::Duplicate { id }) => ack(Outcome::Duplicate { id }),
            Ok(Receipt::Replay) => self.header_set_refused(
                "replays_refused",
                200,
                ApiCode::InvalidSignature,
                "this header set was used before with another body: refused as a replay",
                Outcome::Replay,
            ),
            Ok(Receipt::SameMillisecond) => self.header_set_refused(
                "same_millisecond",
                200,
                ApiCode::InvalidSignature,
                "this header set was just used with another body; send again with a fresh timestamp",
                Outcome::SameMillisecond,
            ),
            Err(e) => {
                tracing::error!(event = "store_failed", error = %e);
                failure(
                    503,
                    ApiCode::DatabaseError,
                    "the callback could not be stored; send it again",
                    Outcome::StoreFailed,
                )
            }
        }
    }

    /// Counts a refusal and answers it. The library's messages hold no patient data.
    fn refuse(&self, error: &Error) -> Answer {
        let (reason, code) = match error {
            Error::Callback(e) => (
                e.reason(),
                match e.reason() {
                    "app_id_mismatch" => ApiCode::InvalidToken,
                    "malformed_body" | "field" => ApiCode::ParameterError,
                    _ => ApiCode::InvalidSignature,
                },
            ),
            Error::Validation { .. } => ("field", ApiCode::ParameterError),
            other => (other.kind(), ApiCode::ParameterError),
        };
        self.refused(reason, 200, code, &error.to_string())
    }

    /// Counts (in memory: no write) and answers a refusal for `reason`.
    pub(crate) fn refused(
        &self,
        reason: &'static str,
        http: u16,
        code: ApiCode,
        message: &str,
    ) -> Answer {
        self.inbox.refusals().refused(reason);
        failure(http, code, message, Outcome::Refused { reason })
    }

    /// Counts (in memory: no write) and answers a header set presented again.
    fn header_set_refused(
        &self,
        kind: &'static str,
        http: u16,
        code: ApiCode,
        message: &str,
        outcome: Outcome,
    ) -> Answer {
        self.inbox.refusals().header_set(kind);
        failure(http, code, message, outcome)
    }

    /// Writes the refusals counted so far (the server does every second and when it
    /// stops; [`Inbox::stats`] and dropping the inbox do too).
    pub fn flush_refusals(&self) -> Result<(), crate::InboxError> {
        self.inbox.flush_refusals()
    }

    /// Answers a body over the limit.
    pub fn too_large(&self, limit: usize) -> Answer {
        self.refused(
            "too_large",
            413,
            ApiCode::ParameterError,
            &format!("the body is over {limit} bytes"),
        )
    }

    /// Answers a body that did not arrive whole: the upload was aborted, or its chunked
    /// encoding is malformed.
    pub fn bad_body(&self) -> Answer {
        self.refused(
            "bad_body",
            400,
            ApiCode::ParameterError,
            "the body did not arrive whole (aborted, or malformed chunked encoding)",
        )
    }

    /// Answers a body that did not arrive within `limit`.
    pub fn slow_body(&self, limit: Duration) -> Answer {
        self.refused(
            "slow_body",
            408,
            ApiCode::ParameterError,
            &format!("the body did not arrive within {} ms", limit.as_millis()),
        )
    }
}

fn ack(outcome: Outcome) -> Answer {
    Answer {
        http_status: 200,
        body: aimis::callback_ack(),
        outcome,
    }
}

fn failure(http_status: u16, code: ApiCode, message: &str, outcome: Outcome) -> Answer {
    Answer {
        http_status,
        body: aimis::callback_failure(code.code(), message),
        outcome,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
