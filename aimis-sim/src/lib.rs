//! `aimis sim`: a faithful local stand-in for Tencent's AIMIS platform.
//!
//! It serves every endpoint of `spec/aimis.toml` at the spec's path, checks the appId,
//! the timestamp and the signature as the platform does, decrypts the patient fields,
//! answers from fixtures in the platform's envelope, sends signed and encrypted status
//! callbacks, and misbehaves on request (latency, 5xx, resets, truncated bodies, HTML
//! pages, wrong content types). Optionally over TLS with a throwaway CA.
//!
//! ```no_run
//! use aimis::{Client, Credentials};
//! use aimis_sim::Simulator;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let credentials = Credentials::new("demo-app", "0123456789abcdef0123456789abcdef")?;
//! let sim = Simulator::builder(credentials.clone()).spawn("127.0.0.1:0")?;
//! let client = Client::builder(credentials).base_url(sim.base_url()).build()?;
//! # Ok(()) }
//! ```

mod admin;
mod callbacks;
mod faults;
mod fixtures;
mod hold;
mod platform;
mod queries;
pub mod receiver;
mod requests;
mod server;
mod storm;
mod tls;

use std::collections::VecDeque;
use std::fmt;
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::{Arc, Mutex, MutexGuard};

use aimis::{Credentials, StudyStatus};
use tokio_rustls::TlsAcceptor;

pub use callbacks::{Attempt, CallbackRetry, Delivery};
pub use faults::{Fault, FaultKind, FaultParseError};
pub use fixtures::{DEFAULT_FIXTURES, FixtureError, Fixtures};
pub use platform::{Refusal, code};
pub use requests::RequestRecord;
pub use storm::{Storm, StormReport};

/// The prefix of the admin routes; see the crate's README.
pub const ADMIN_PREFIX: &str = admin::PREFIX;

/// Why a study's status could not be advanced.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AdvanceError {
    /// No study has this studyId.
    UnknownStudy,
    /// No callback URL is set (`--callback-url` or the admin route).
    NoCallbackUrl,
    /// The study's record cannot make a valid callback.
    Callback(String),
}

impl fmt::Display for AdvanceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AdvanceError::UnknownStudy => f.write_str("no study has this studyId"),
            AdvanceError::NoCallbackUrl => f.write_str(
                "no callback URL is set; start with --callback-url or PUT /__admin/callback-url",
            ),
            AdvanceError::Callback(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for AdvanceError {}

/// How many requests and deliveries the simulator remembers; older ones are forgotten,
/// so a long-running simulator does not grow without bound.
pub const LOG_LIMIT: usize = 10_000;

/// The state every route shares.
pub(crate) struct Shared {
    platform: platform::Platform,
    sender: callbacks::Sender,
    admin_token: String,
    faults: Mutex<faults::Faults>,
    requests: Mutex<Log<RequestRecord>>,
    callback_url: Mutex<Option<String>>,
    deliveries: Mutex<Log<Delivery>>,
}

/// The last [`LOG_LIMIT`] entries, each with a sequence number that outlives eviction.
struct Log<T> {
    entries: VecDeque<T>,
    /// The sequence number of `entries[0]`.
    first: u64,
}

impl<T: Clone> Log<T> {
    fn new() -> Self {
        Log {
            entries: VecDeque::new(),
            first: 0,
        }
    }

    fn push(&mut self, entry: T) -> u64 {
        if self.entries.len() == LOG_LIMIT {
            self.entries.pop_front();
            self.first += 1;
        }
        self.entries.push_back(entry);
        self.first + self.entries.len() as u64 - 1
    }

    fn get_mut(&mut self, seq: u64) -> Option<&mut T> {
        let index = usize::try_from(seq.checked_sub(self.first)?).ok()?;
        self.entries.get_mut(index)
    }

    fn clear(&mut self) {
        self.first += self.entries.len() as u64;
        self.entries.clear();
    }

    fn to_vec(&self) -> Vec<T> {
        self.entries.iter().cloned().collect()
    }
}

/// A poisoned lock only means a panic elsewhere; the data is still consistent.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    pub(crate) fn faults(&self) -> MutexGuard<'_, faults::Faults> {
        lock(&self.faults)
    }

    /// Compares in constant time: the token guards where callbacks are sent.
    pub(crate) fn admin_token_is(&self, presented: &str) -> bool {
        use subtle::ConstantTimeEq;
        bool::from(self.admin_token.as_bytes().ct_eq(presented.as_bytes()))
    }

    /// Logs a request; returns its sequence number.
    pub(crate) fn log(&self, record: RequestRecord) -> u64 {
        lock(&self.requests).push(record)
    }

    /// Notes the code a logged request was answered with (unless it was forgotten since).
    pub(crate) fn set_code(&self, entry: u64, code: i64) {
        if let Some(record) = lock(&self.requests).get_mut(entry) {
            record.code = Some(code);
        }
    }

    pub(crate) fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.requests).to_vec()
    }

    pub(crate) fn clear_requests(&self) {
        lock(&self.requests).clear();
    }

    pub(crate) fn set_callback_url(&self, url: Option<String>) {
        *lock(&self.callback_url) = url;
    }

    pub(crate) fn deliveries(&self) -> Vec<Delivery> {
        lock(&self.deliveries).to_vec()
    }

    /// Sends a storm of callbacks to the callback URL; blocking.
    pub(crate) fn storm(&self, storm: &Storm) -> Result<StormReport, String> {
        let url = lock(&self.callback_url)
            .clone()
            .ok_or_else(|| AdvanceError::NoCallbackUrl.to_string())?;
        let plan = {
            let mut fixtures = lock(&self.platform.fixtures);
            let (patient, template) = fixtures
                .first_study()
                .ok_or("the fixtures have no study to model the storm on")?;
            let plan = storm::Plan::new(storm, &template)?;
            fixtures.add_studies(&patient.patient_id, &plan.studies);
            (patient, plan)
        };
        storm::run(&self.sender, &url, storm, &plan.0, &plan.1)
    }

    /// Sets a study's status and sends the callback, retrying; blocking.
    pub(crate) fn advance(
        &self,
        study_id: &str,
        status: StudyStatus,
    ) -> Result<Delivery, AdvanceError> {
        let url = lock(&self.callback_url)
            .clone()
            .ok_or(AdvanceError::NoCallbackUrl)?;
        let (patient, study) = lock(&self.platform.fixtures)
            .set_status(study_id, status)
            .ok_or(AdvanceError::UnknownStudy)?;
        let body = self
            .sender
            .body(&patient, &study)
            .map_err(AdvanceError::Callback)?;
        let delivery = self.sender.deliver(&url, study_id, status.code(), &body);
        lock(&self.deliveries).push(delivery.clone());
        Ok(delivery)
    }
}

/// 32 random letters and digits from the operating system's CSPRNG.
fn random_token() -> std::io::Result<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(std::io::Error::other)?;
    // 256 is not a multiple of 62: a slight bias, irrelevant for 190 bits of token.
    Ok(bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect())
}

/// Settings of a simulator; [`SimulatorBuilder::spawn`] starts it.
#[derive(Debug)]
pub struct SimulatorBuilder {
    credentials: Credentials,
    fixtures: Fixtures,
    callback_url: Option<String>,
    callback_retry: CallbackRetry,
    faults: Vec<Fault>,
    tls: bool,
    admin_token: Option<String>,
}

impl SimulatorBuilder {
    /// The token the admin routes require (`Authorization: Bearer <token>`). Default:
    /// a random one; see [`Simulator::admin_token`].
    pub fn admin_token(mut self, token: impl Into<String>) -> Self {
        self.admin_token = Some(token.into());
        self
    }

    /// Default: the embedded [`DEFAULT_FIXTURES`].
    pub fn fixtures(mut self, fixtures: Fixtures) -> Self {
        self.fixtures = fixtures;
        self
    }

    /// Where status callbacks go.
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        self.callback_url = Some(url.into());
        self
    }

    /// Default: 3 retries from 500 ms, doubling; 5 s per attempt.
    pub fn callback_retry(mut self, retry: CallbackRetry) -> Self {
        self.callback_retry = retry;
        self
    }

    /// A fault in force from the start.
    pub fn fault(mut self, fault: Fault) -> Self {
        self.faults.push(fault);
        self
    }

    /// Serve HTTPS with a certificate from a throwaway CA; see [`Simulator::ca_pem`].
    pub fn tls(mut self, tls: bool) -> Self {
        self.tls = tls;
        self
    }

    /// Binds `addr` (such as `127.0.0.1:0`) and serves on a thread of its own until the
    /// [`Simulator`] is dropped.
    pub fn spawn(self, addr: impl ToSocketAddrs) -> std::io::Result<Simulator> {
        let listener = std::net::TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let local_addr = listener.local_addr()?;
        let (tls, ca_pem) = if self.tls {
            let (config, ca_pem) = tls::self_signed().map_err(std::io::Error::other)?;
            (Some(TlsAcceptor::from(config)), Some(ca_pem))
        } else {
            (None, None)
        };
        let mut faults = faults::Faults::default();
        for fault in self.faults {
            fault.check().map_err(std::io::Error::other)?;
            faults.add(fault);
        }
        let admin_token = match self.admin_token {
            Some(token) if token.trim().is_empty() => {
                return Err(std::io::Error::other("the admin token is empty"));
            }
            Some(token) => token,
            None => random_token()?,
        };
        let shared = Arc::new(Shared {
            platform: platform::Platform::new(&self.credentials, self.fixtures),
            sender: callbacks::Sender::new(&self.credentials, self.callback_retry),
            admin_token,
            faults: Mutex::new(faults),
            requests: Mutex::new(Log::new()),
            callback_url: Mutex::new(self.callback_url),
            deliveries: Mutex::new(Log::new()),
        });
        let router = server::api_routes()
            .nest(admin::PREFIX, admin::routes(shared.clone()))
            .fallback(|| async {
                (
                    axum::http::StatusCode::NOT_FOUND,
                    "no such AIMIS endpoint; see `aimis endpoints`\n",
                )
            })
            .with_state(shared.clone());
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("aimis-sim")
            .enable_all()
            .build()?;
        let server = server::Background::spawn("aimis-sim", runtime, listener, router, tls)?;
        Ok(Simulator {
            addr: local_addr,
            ca_pem,
            shared,
            _server: server,
        })
    }
}

/// A running simulator. Dropping it stops it.
pub struct Simulator {
    addr: SocketAddr,
    ca_pem: Option<String>,
    shared: Arc<Shared>,
    /// Stops the server when the simulator is dropped.
    _server: server::Background,
}

impl fmt::Debug for Simulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Simulator")
            .field("base_url", &self.base_url())
            .finish_non_exhaustive()
    }
}

impl Simulator {
    /// A simulator for this app id and token, with the default fixtures.
    pub fn builder(credentials: Credentials) -> SimulatorBuilder {
        SimulatorBuilder {
            credentials,
            fixtures: Fixtures::default(),
            callback_url: None,
            callback_retry: CallbackRetry::default(),
            faults: Vec::new(),
            tls: false,
            admin_token: None,
        }
    }

    /// The token the admin routes require: `Authorization: Bearer <token>`.
    pub fn admin_token(&self) -> &str {
        &self.shared.admin_token
    }

    /// `http://127.0.0.1:PORT`, or `https://127.0.0.1:PORT` with TLS (the certificate
    /// names `localhost`, `127.0.0.1` and `::1`).
    pub fn base_url(&self) -> String {
        let scheme = if self.ca_pem.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// With TLS: the PEM of the CA to trust (`add_root_certificates_pem`).
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// Every API request received so far, in order.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.requests()
    }

    pub fn clear_requests(&self) {
        self.shared.clear_requests();
    }

    pub fn add_fault(&self, fault: Fault) -> Result<(), FaultParseError> {
        fault.check()?;
        self.shared.faults().add(fault);
        Ok(())
    }

    pub fn clear_faults(&self) {
        self.shared.faults().clear();
    }

    pub fn set_callback_url(&self, url: Option<String>) {
        self.shared.set_callback_url(url);
    }

    /// Sets a study's status and sends the status callback, retrying as configured;
    /// returns once the partner accepted it or the retries ran out.
    pub fn advance_study(
        &self,
        study_id: &str,
        status: StudyStatus,
    ) -> Result<Delivery, AdvanceError> {
        self.shared.advance(study_id, status)
    }

    /// Sends a storm of callbacks (see [`Storm`]) to the callback URL; returns once
    /// every one was acknowledged or ran out of retries.
    pub fn storm(&self, storm: &Storm) -> Result<StormReport, String> {
        self.shared.storm(storm)
    }

    /// Every callback sent so far.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.shared.deliveries()
    }

    /// The endpoints of the spec the simulator answers.
    pub fn served_endpoints() -> Vec<&'static str> {
        queries::served_endpoints()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_keeps_the_last_entries_and_their_numbers() {
        let mut log = Log::new();
        let first = log.push(0);
        for n in 1..=LOG_LIMIT {
            log.push(n);
        }
        assert_eq!(log.entries.len(), LOG_LIMIT);
        assert_eq!(log.get_mut(first), None, "the oldest was forgotten");
        let last = log.push(LOG_LIMIT + 1);
        *log.get_mut(last).unwrap() += 1;
        assert_eq!(log.to_vec().last(), Some(&(LOG_LIMIT + 2)));
        log.clear();
        assert_eq!(log.get_mut(last), None);
        assert_eq!(log.push(7), last + 1);
    }
}
