//! `--deliver-url`: push each pending callback to the hospital's own endpoint, one
//! study's callbacks in order, with back-off between tries. A callback claimed
//! `max_attempts` times without being accepted becomes a dead letter (`retry` revives it).

use std::fmt;
use std::time::Duration;

use aimis::{Client, ClientBuilder};
use serde_json::Value;

use crate::error::InboxError;
use crate::inbox::Inbox;
use crate::worker::{Worker, backoff};

/// Where and how often callbacks are pushed; how the endpoint is reached (proxy,
/// trusted CAs, timeouts) is the client's connection options, given to
/// [`Deliverer::start`].
#[derive(Clone, Debug)]
pub struct DeliverOptions {
    /// The endpoint that receives `{"id","callback","received_at","attempts"}` as a JSON
    /// POST, phoneNum and idNum decrypted; any 2xx answer accepts it.
    pub url: String,
    /// The wait after the first failed try; it doubles up to `max_backoff`.
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    /// How often to look for work when there is none.
    pub idle_poll: Duration,
}

impl DeliverOptions {
    pub fn new(url: impl Into<String>) -> Self {
        DeliverOptions {
            url: url.into(),
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(300),
            idle_poll: Duration::from_millis(250),
        }
    }

    /// The wait before the next try after `attempts` tries.
    fn backoff(&self, attempts: u32) -> Duration {
        backoff(self.initial_backoff, self.max_backoff, attempts)
    }

    fn check(&self) -> Result<(), InboxError> {
        let url = self.url.to_ascii_lowercase();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(InboxError::BadOption {
                option: "--deliver-url",
                rule: "must be an http:// or https:// URL".into(),
            });
        }
        Ok(())
    }
}

/// A running pusher on a thread of its own; dropping it stops it after the push in hand.
pub struct Deliverer {
    worker: Worker,
}

impl fmt::Debug for Deliverer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Deliverer").finish_non_exhaustive()
    }
}

impl Deliverer {
    /// Pushes the callbacks of `inbox` (opened with credentials, to decrypt them),
    /// reaching the endpoint with the connection options of `connection` (the client's
    /// builder: its proxy or the environment's, never for loopback; its trusted CAs;
    /// its timeout bounds one POST), as [`ClientBuilder::http_agent_for`] applies them.
    pub fn start(
        inbox: Inbox,
        options: DeliverOptions,
        connection: &ClientBuilder<Client>,
    ) -> Result<Deliverer, InboxError> {
        options.check()?;
        let agent = connection
            .http_agent_for(&options.url)
            .map_err(InboxError::Connection)?;
        let timeout = agent.config().timeouts().global.unwrap_or(Duration::ZERO);
        let worker = Worker::start("aimis-inbox-deliver", move || {
            push_one(&inbox, &options, &agent, timeout)
        })?;
        Ok(Deliverer { worker })
    }

    /// Stops after the push in hand (it is acknowledged or given back first).
    pub fn shutdown(self) {
        drop(self.worker);
    }
}

/// Pushes the next pending callback, if any; the wait before the next step.
/// `timeout` is what one POST may take.
fn push_one(
    inbox: &Inbox,
    options: &DeliverOptions,
    agent: &ureq::Agent,
    timeout: Duration,
) -> Option<Duration> {
    // Claimed for longer than a try can take, so nobody else takes it meanwhile.
    let lease = timeout.saturating_mul(2) + Duration::from_secs(5);
    let item = match inbox.next(lease) {
        Ok(Some(item)) => item,
        Ok(None) => return Some(options.idle_poll),
        Err(e) => {
            crate::log::event(
                "error",
                "deliver_claim_failed",
                &[("error", e.to_string().into())],
            );
            return Some(options.initial_backoff);
        }
    };
    let mut json = item.to_json();
    let outcome = post(agent, &options.url, &json);
    aimis::message::wipe(&mut json);
    let result = match outcome {
        Ok(()) => {
            crate::log::event(
                "info",
                "delivered",
                &[("id", item.id.into()), ("attempts", item.attempts.into())],
            );
            inbox.ack(item.id)
        }
        Err(why) => {
            let wait = options.backoff(item.attempts);
            crate::log::event(
                "warn",
                "deliver_failed",
                &[
                    ("id", item.id.into()),
                    ("attempts", item.attempts.into()),
                    ("error", why.into()),
                    ("retry_in_ms", (wait.as_millis() as u64).into()),
                ],
            );
            inbox.nack_after(item.id, wait)
        }
    };
    if let Err(e) = result {
        crate::log::event(
            "error",
            "deliver_update_failed",
            &[("id", item.id.into()), ("error", e.to_string().into())],
        );
    }
    None
}

/// One try; the failure described by status or error kind only, never by the body.
fn post(agent: &ureq::Agent, url: &str, json: &Value) -> Result<(), String> {
    let body = json.to_string();
    let response = agent
        .post(url)
        .header("Content-Type", "application/json; charset=utf-8")
        .send(body.as_bytes());
    let mut body = body;
    zeroize_string(&mut body);
    match response {
        Ok(response) if response.status().is_success() => Ok(()),
        Ok(response) => Err(format!("HTTP status {}", response.status().as_u16())),
        Err(e) => Err(match e {
            ureq::Error::Timeout(_) => "timeout".to_owned(),
            ureq::Error::HostNotFound => "host not found".to_owned(),
            ureq::Error::ConnectionFailed => "connection failed".to_owned(),
            ureq::Error::ConnectProxyFailed(_) => "the proxy refused the connection".to_owned(),
            // rustls reports a certificate it does not trust as invalid data.
            ureq::Error::Rustls(_) | ureq::Error::Tls(_) => "TLS".to_owned(),
            ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                "TLS (is the certificate's CA trusted? see --ca-file)".to_owned()
            }
            ureq::Error::Io(e) => format!("connection: {}", e.kind()),
            _ => "transport error".to_owned(),
        }),
    }
}

/// Overwrites the serialised callback (it held decrypted patient data).
fn zeroize_string(text: &mut String) {
    let mut value = Value::String(std::mem::take(text));
    aimis::message::wipe(&mut value);
}
