//! `--confirm`, the loop beside the receiver: every callback stored awaiting
//! confirmation is put to the platform (see `confirm.rs`). Issued: it can be claimed,
//! and is delivered with the platform's links (other links than the body's are a
//! security event). Unknown to the platform: dead, a security event, never delivered.
//! No verdict (the platform unreachable or busy, or the body not opening with the token):
//! asked again with back-off; nothing is lost meanwhile, it just waits.

use std::fmt;
use std::time::Duration;

use serde_json::Value;

use crate::confirm::{Confirm, PlatformAnswer};
use crate::error::InboxError;
use crate::inbox::Inbox;
use crate::store::{PlatformLinks, STUDY_FIELDS};
use crate::worker::{Worker, backoff};

/// How the confirmer paces itself.
#[derive(Clone, Debug)]
pub struct ConfirmOptions {
    /// How long a callback is reserved for one question (another confirmer on the same
    /// store skips it meanwhile); longer than the client's own timeout and retries.
    pub lease: Duration,
    /// The wait after the platform could not be asked; it doubles up to `max_backoff`.
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    /// How often to look for work when there is none.
    pub idle_poll: Duration,
}

impl Default for ConfirmOptions {
    fn default() -> Self {
        ConfirmOptions {
            lease: Duration::from_secs(120),
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(300),
            idle_poll: Duration::from_millis(250),
        }
    }
}

/// A running confirmer on a thread of its own; dropping it stops it after the question
/// in hand.
pub struct Confirmer {
    worker: Worker,
}

impl fmt::Debug for Confirmer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Confirmer").finish_non_exhaustive()
    }
}

impl Confirmer {
    /// Confirms the callbacks of `inbox` (opened with credentials, to decrypt the
    /// identity the platform is asked with) with `confirm`.
    pub fn start(
        inbox: Inbox,
        confirm: Box<dyn Confirm>,
        options: ConfirmOptions,
    ) -> Result<Confirmer, InboxError> {
        let worker = Worker::start("aimis-inbox-confirm", move || {
            match confirm_one(&inbox, &*confirm, &options) {
                Ok(true) => None,
                Ok(false) => Some(options.idle_poll),
                Err(e) => {
                    crate::log::event(
                        "error",
                        "confirm_store_failed",
                        &[("error", e.to_string().into())],
                    );
                    Some(options.initial_backoff)
                }
            }
        })?;
        Ok(Confirmer { worker })
    }

    /// Stops after the question in hand (its answer recorded first).
    pub fn shutdown(self) {
        drop(self.worker);
    }
}

/// Puts the next callback awaiting confirmation to the platform; `false` when none is.
fn confirm_one(
    inbox: &Inbox,
    confirm: &dyn Confirm,
    options: &ConfirmOptions,
) -> Result<bool, InboxError> {
    let lease_ms = u64::try_from(options.lease.as_millis()).unwrap_or(u64::MAX);
    let Some(record) = inbox.store().claim_confirmation(inbox.now(), lease_ms)? else {
        return Ok(false);
    };
    let id = record.id;
    // Verified when received, so it opens; if not (the token changed?), no verdict: it
    // waits, rather than dying for a configuration mistake.
    let answer = inbox
        .open_record(&record)
        .map_err(|e| e.to_string())
        .and_then(|callback| {
            let body = aimis::message::to_plain_json(&callback).unwrap_or_default();
            confirm.confirm(&callback).map(|answer| (answer, body))
        });
    let now = inbox.now();
    match answer {
        Ok((PlatformAnswer::Issued(links), mut body)) => {
            let mismatches = mismatches(&links, &body);
            aimis::message::wipe(&mut body);
            inbox
                .store()
                .settle_confirmation(id, Some(&links), &mismatches, now)?;
            let (level, event) = match mismatches.first() {
                Some(kind) => ("warn", *kind),
                None => ("info", "confirmed"),
            };
            crate::log::event(level, event, &[("id", id.into())]);
        }
        Ok((PlatformAnswer::Unknown, mut body)) => {
            aimis::message::wipe(&mut body);
            inbox.store().settle_confirmation(id, None, &[], now)?;
            crate::log::event("warn", "not_confirmed", &[("id", id.into())]);
        }
        Err(why) => {
            let attempts = record.confirm_attempts + 1;
            let wait = backoff(options.initial_backoff, options.max_backoff, attempts);
            let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
            inbox
                .store()
                .confirm_later(id, now, now.saturating_add(wait_ms))?;
            crate::log::event(
                "warn",
                "confirm_failed",
                &[
                    ("id", id.into()),
                    ("attempts", attempts.into()),
                    ("error", why.into()),
                    ("retry_in_ms", wait_ms.into()),
                ],
            );
        }
    }
    Ok(true)
}

/// Where the platform's answer differs from the body (`body`, the callback's plain
/// JSON): its links (`links_mismatched`), the study's fields (`fields_mismatched`).
fn mismatches(platform: &PlatformLinks, body: &Value) -> Vec<&'static str> {
    let text = |name: &str| body[name].as_str().map(str::to_owned);
    let mut kinds = Vec::new();
    if (platform.h5_url.clone(), platform.h5_detail_url.clone())
        != (text("h5Url"), text("h5DetailUrl"))
    {
        kinds.push("links_mismatched");
    }
    if let Some(study) = &platform.study
        && STUDY_FIELDS
            .iter()
            .any(|&name| study.get(name).unwrap_or(&Value::Null) != &body[name])
    {
        kinds.push("fields_mismatched");
    }
    kinds
}
