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
mod platform;
mod queries;
pub mod receiver;
mod requests;
mod server;
mod tls;

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

/// The state every route shares.
pub(crate) struct Shared {
    platform: platform::Platform,
    sender: callbacks::Sender,
    faults: Mutex<faults::Faults>,
    requests: Mutex<Vec<RequestRecord>>,
    callback_url: Mutex<Option<String>>,
    deliveries: Mutex<Vec<Delivery>>,
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

    /// Logs a request; returns its place in the log.
    pub(crate) fn log(&self, record: RequestRecord) -> usize {
        let mut requests = lock(&self.requests);
        requests.push(record);
        requests.len() - 1
    }

    /// Notes the code a logged request was answered with (unless the log was cleared since).
    pub(crate) fn set_code(&self, entry: usize, code: i64) {
        if let Some(record) = lock(&self.requests).get_mut(entry) {
            record.code = Some(code);
        }
    }

    pub(crate) fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.requests).clone()
    }

    pub(crate) fn clear_requests(&self) {
        lock(&self.requests).clear();
    }

    pub(crate) fn set_callback_url(&self, url: Option<String>) {
        *lock(&self.callback_url) = url;
    }

    pub(crate) fn deliveries(&self) -> Vec<Delivery> {
        lock(&self.deliveries).clone()
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

/// Settings of a simulator; [`SimulatorBuilder::spawn`] starts it.
#[derive(Debug)]
pub struct SimulatorBuilder {
    credentials: Credentials,
    fixtures: Fixtures,
    callback_url: Option<String>,
    callback_retry: CallbackRetry,
    faults: Vec<Fault>,
    tls: bool,
}

impl SimulatorBuilder {
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
        let shared = Arc::new(Shared {
            platform: platform::Platform::new(&self.credentials, self.fixtures),
            sender: callbacks::Sender::new(&self.credentials, self.callback_retry),
            faults: Mutex::new(faults),
            requests: Mutex::new(Vec::new()),
            callback_url: Mutex::new(self.callback_url),
            deliveries: Mutex::new(Vec::new()),
        });
        let router = server::api_routes()
            .nest(admin::PREFIX, admin::routes())
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
        }
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

    /// Every callback sent so far.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.shared.deliveries()
    }

    /// The endpoints of the spec the simulator answers.
    pub fn served_endpoints() -> Vec<&'static str> {
        queries::served_endpoints()
    }
}
