//! The client's options and their rules: every value is checked when the client is
//! built, so that no call can fail later on a setting.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};
use ureq::unversioned::transport::Connector as _;

use super::coarse_timeout::CoarseTimeouts;
use super::interrupt::Interruptible;
use super::one_write::OneWritePerRequest;
use super::per_process::PerProcess;
use super::resolver::CachingResolver;
use super::transport::Parsed;
use super::{Engine, base_url, proxy};
use crate::clock::{Clock, SystemClock};
use crate::credentials::Credentials;
use crate::crypto::{FieldCipher, Signer};
use crate::error::Error;
use crate::registry::Service;

/// The longest timeout or backoff accepted: anything longer is a mistake in units.
pub const MAX_DURATION: Duration = Duration::from_secs(3600);
/// The most retries accepted.
pub const MAX_RETRIES: u32 = 10;
/// The longest User-Agent product token accepted.
const MAX_PRODUCT_LEN: usize = 128;

/// When and how often a failed call is tried again. Only what a retry can fix is
/// retried: connection failures, resets, timeouts, HTTP 502, 503 and 504, and 429 (after
/// its `Retry-After`, up to 30 s). Every query is read-only, so a retry is safe.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries after the first one, at most [`MAX_RETRIES`].
    pub max_retries: u32,
    /// The wait before the first retry; it doubles each time, up to `max_backoff`,
    /// and a random part of up to half of it is taken off (jitter).
    pub initial_backoff: Duration,
    /// The longest wait between two tries.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(2),
        }
    }
}

impl RetryPolicy {
    /// No retries.
    pub const NONE: RetryPolicy = RetryPolicy {
        max_retries: 0,
        initial_backoff: Duration::ZERO,
        max_backoff: Duration::ZERO,
    };

    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let full = self
            .initial_backoff
            .saturating_mul(1 << retry.min(16))
            .min(self.max_backoff);
        full - full.mul_f64(fastrand::f64() / 2.0)
    }

    fn check(&self) -> Result<(), Error> {
        if self.max_retries > MAX_RETRIES {
            return Err(Error::config(format!(
                "retries must be at most {MAX_RETRIES}"
            )));
        }
        at_most("initial_backoff", self.initial_backoff)?;
        at_most("max_backoff", self.max_backoff)
    }
}

/// Builds a client; see the generated `Client::builder`.
pub struct ClientBuilder<C> {
    credentials: Credentials,
    base_url: Option<String>,
    connect_timeout: Duration,
    timeout: Duration,
    retry: RetryPolicy,
    proxy: Option<String>,
    proxy_from_env: bool,
    root_pems: Vec<Vec<u8>>,
    root_files: Vec<std::path::PathBuf>,
    allow_insecure_http: bool,
    user_agent_products: Vec<String>,
    clock: Arc<dyn Clock>,
    client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

#[doc(hidden)]
pub trait FromEngine {
    const SERVICE: &'static Service;
    fn from_engine(engine: Engine) -> Self;
}

impl<C: FromEngine> ClientBuilder<C> {
    #[doc(hidden)]
    pub fn new(credentials: Credentials) -> Self {
        ClientBuilder {
            credentials,
            base_url: None,
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            proxy: None,
            proxy_from_env: true,
            root_pems: Vec::new(),
            root_files: Vec::new(),
            allow_insecure_http: false,
            user_agent_products: Vec::new(),
            clock: Arc::new(SystemClock),
            client: PhantomData,
        }
    }

    /// The platform's address, such as [`TEST_BASE_URL`](crate::TEST_BASE_URL) or a
    /// simulator's `http://127.0.0.1:PORT`. Default: production.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// How long connecting may take, more than zero and at most an hour. Default 5 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one attempt may take in all, connecting included; more than zero and
    /// at most an hour. Default 10 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Default: 2 retries, from 200 ms doubling to at most 2 s, with jitter.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// An HTTP proxy such as `http://proxy.hospital.local:3128`. Default: the
    /// environment's (`HTTPS_PROXY`, `https_proxy`, `ALL_PROXY`; `NO_PROXY` honoured;
    /// loopback never proxied), unless [`proxy_from_env(false)`](Self::proxy_from_env).
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Whether, without [`proxy`](Self::proxy), the environment's proxy is used.
    /// Default: true, as curl and requests do.
    pub fn proxy_from_env(mut self, from_env: bool) -> Self {
        self.proxy_from_env = from_env;
        self
    }

    /// Trusts the CA certificates in this PEM text besides the public roots, for
    /// networks behind a TLS-inspecting proxy.
    pub fn add_root_certificates_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_pems.push(pem.into());
        self
    }

    /// Trusts the CA certificates in this PEM file besides the public roots; the file is
    /// read when the client is built.
    pub fn add_root_certificates_file(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.root_files.push(path.into());
        self
    }

    /// Allows plain `http://` to hosts other than loopback. Default: refused.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Adds a product token to the User-Agent, such as `my-his/4.2`: printable ASCII,
    /// at most 128 characters. Each call adds one (a binding adds its own, then the
    /// program's).
    pub fn user_agent_product(mut self, product: &str) -> Self {
        self.user_agent_products.push(product.to_owned());
        self
    }

    /// The clock for timestamps. Default: the system clock.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// An HTTP agent for another server, at `url`, with this builder's connection
    /// options: its timeouts, its proxy (or the environment's, chosen for `url`), the CA
    /// certificates it trusts and its User-Agent. A loopback `url` is always reached
    /// directly, even with a proxy given: it is this machine, and what is posted there
    /// must not pass through a proxy. The inbox's pusher posts to the hospital's endpoint
    /// with it.
    pub fn http_agent_for(&self, url: &str) -> Result<ureq::Agent, Error> {
        let uri: ureq::http::Uri = url
            .parse()
            .ok()
            .filter(|uri: &ureq::http::Uri| uri.host().is_some())
            .ok_or_else(|| Error::config("the URL to connect to is not an absolute URL"))?;
        let direct = base_url::is_loopback(uri.host().unwrap_or_default());
        Ok(agent(self.connection(url, direct)?))
    }

    /// Checks every option and builds the client.
    pub fn build(self) -> Result<C, Error> {
        let service = C::SERVICE;
        let base_url = base_url::check(
            self.base_url
                .as_deref()
                .unwrap_or_else(|| service.default_base_url()),
            self.allow_insecure_http,
        )?;
        let config = self.connection(&base_url, false)?;
        self.retry.check()?;
        let token = self.credentials.token();
        let urls = super::endpoint_urls(service, &base_url, self.credentials.app_id());
        let parsed = Parsed::new(&service.auth, urls.iter().map(|(_, url)| url.as_str()));
        let engine = Engine {
            service,
            signer: Signer::new(token, &service.auth),
            cipher: FieldCipher::new(token, &service.cipher),
            credentials: self.credentials,
            agent: PerProcess::new(Box::new(move || agent(config.clone()))),
            urls,
            parsed,
            base_url,
            retry: self.retry,
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            clock: self.clock,
        };
        Ok(C::from_engine(engine))
    }

    /// The connection options, checked, as an agent's configuration for a server at
    /// `url`: timeouts, User-Agent, proxy (none when `direct`), trusted CAs. The one
    /// place a client's and the pusher's connections are configured.
    fn connection(&self, url: &str, direct: bool) -> Result<ureq::config::Config, Error> {
        positive("timeout", self.timeout)?;
        positive("connect_timeout", self.connect_timeout)?;
        let mut user_agent = format!("aimis-rust/{}", env!("CARGO_PKG_VERSION"));
        for product in &self.user_agent_products {
            check_product(product)?;
            user_agent = format!("{user_agent} {product}");
        }
        let mut config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            // ureq keeps 3 idle connections a host: a busy client (an async service, a
            // batch) would open a new one for most of its requests.
            .max_idle_connections(MAX_IDLE_CONNECTIONS)
            .max_idle_connections_per_host(MAX_IDLE_CONNECTIONS)
            .user_agent(user_agent.as_str())
            .timeout_connect(Some(self.connect_timeout))
            .timeout_global(Some(self.timeout));
        let proxy = proxy::choose(self.proxy.as_deref(), self.proxy_from_env, url, |name| {
            std::env::var(name).ok()
        })?;
        // Checked either way, so that a bad proxy is refused whatever the URL.
        config = config.proxy(proxy.filter(|_| !direct));
        let mut root_pems = self.root_pems.clone();
        for path in &self.root_files {
            root_pems.push(std::fs::read(path).map_err(|e| {
                Error::config(format!(
                    "cannot read the CA certificate file {}: {e}",
                    path.display()
                ))
            })?);
        }
        if !root_pems.is_empty() {
            config = config.tls_config(
                TlsConfig::builder()
                    .root_certs(root_certs(&root_pems)?)
                    .build(),
            );
        }
        Ok(config.build())
    }
}

/// The most idle connections a client keeps for reuse: as many as the requests a busy
/// client has in flight (an async service's, a wide batch's).
const MAX_IDLE_CONNECTIONS: usize = 64;

/// An HTTP agent with `config`, over the transport every connection of the SDK uses.
fn agent(config: ureq::config::Config) -> ureq::Agent {
    ureq::Agent::with_parts(
        config,
        ureq::unversioned::transport::DefaultConnector::new()
            .chain(CoarseTimeouts)
            .chain(OneWritePerRequest)
            .chain(Interruptible),
        CachingResolver::default(),
    )
}

fn at_most(option: &str, value: Duration) -> Result<(), Error> {
    if value > MAX_DURATION {
        return Err(Error::config(format!(
            "{option} must be at most {} seconds",
            MAX_DURATION.as_secs()
        )));
    }
    Ok(())
}

fn positive(option: &str, value: Duration) -> Result<(), Error> {
    if value.is_zero() {
        return Err(Error::config(format!("{option} must be more than zero")));
    }
    at_most(option, value)
}

/// A User-Agent product goes into a header as it is: printable ASCII only.
fn check_product(product: &str) -> Result<(), Error> {
    let printable = product.bytes().all(|b| (0x20..0x7f).contains(&b));
    if product.trim().is_empty() || product.len() > MAX_PRODUCT_LEN || !printable {
        return Err(Error::config(format!(
            "user_agent_product must be 1 to {MAX_PRODUCT_LEN} printable ASCII characters, such as my-his/4.2"
        )));
    }
    Ok(())
}

/// The public roots plus the given PEM certificates.
fn root_certs(pems: &[Vec<u8>]) -> Result<RootCerts, Error> {
    let mut certs: Vec<Certificate<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .map(|der| Certificate::from_der(der.as_ref()))
        .collect();
    for pem in pems {
        let before = certs.len();
        for item in ureq::tls::parse_pem(pem) {
            match item.map_err(|e| Error::config(format!("CA certificate PEM: {e}")))? {
                PemItem::Certificate(cert) => certs.push(cert.to_owned()),
                _ => continue,
            }
        }
        if certs.len() == before {
            return Err(Error::config("CA certificate PEM holds no certificate"));
        }
    }
    Ok(RootCerts::new_with_certs(&certs))
}
