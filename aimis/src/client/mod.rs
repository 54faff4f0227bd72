//! The blocking HTTP client: builder, signing, retries, and the response envelope.

use std::fmt;
use std::marker::PhantomData;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value};
use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};

use crate::clock::{Clock, SystemClock};
use crate::credentials::Credentials;
use crate::crypto::{FieldCipher, Signer};
use crate::error::Error;
use crate::message::{Request, from_plain_json, to_plain_json};
use crate::registry::{EndpointDef, Service, TimestampUnit, TypeRef};

const BODY_LIMIT: u64 = 16 * 1024 * 1024;
const EXCERPT_CHARS: usize = 200;

/// When and how often a failed call is tried again. Only transport errors, timeouts,
/// HTTP 429 and 5xx are retried: every query is read-only, so a retry is safe.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries after the first one.
    pub max_retries: u32,
    /// The wait before the first retry; it doubles each time, up to `max_backoff`,
    /// and a random part of up to half of it is taken off (jitter).
    pub initial_backoff: Duration,
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

    fn backoff(&self, retry: u32) -> Duration {
        let full = self
            .initial_backoff
            .saturating_mul(1 << retry.min(16))
            .min(self.max_backoff);
        full - full.mul_f64(fastrand::f64() / 2.0)
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
    root_pems: Vec<Vec<u8>>,
    allow_insecure_http: bool,
    user_agent: String,
    clock: Arc<dyn Clock>,
    client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("base_url", &self.base_url)
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
            root_pems: Vec::new(),
            allow_insecure_http: false,
            user_agent: format!("aimis-rust/{}", env!("CARGO_PKG_VERSION")),
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

    /// How long connecting may take. Default 5 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one attempt may take in all, connecting included. Default 10 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Default: 2 retries, from 200 ms doubling to at most 2 s, with jitter.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// An HTTP proxy such as `http://proxy.hospital.local:3128`.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Trusts the CA certificates in this PEM text besides the public roots, for
    /// networks behind a TLS-inspecting proxy.
    pub fn add_root_certificates_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_pems.push(pem.into());
        self
    }

    /// Allows plain `http://` to hosts other than loopback. Default: refused.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Adds a product token to the User-Agent, such as `my-his/4.2`.
    pub fn user_agent_product(mut self, product: &str) -> Self {
        self.user_agent = format!("{} {product}", self.user_agent);
        self
    }

    /// The clock for timestamps. Default: the system clock.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    pub fn build(self) -> Result<C, Error> {
        let service = C::SERVICE;
        let base_url = self
            .base_url
            .unwrap_or_else(|| service.default_base_url().to_owned());
        let base_url = base_url.trim_end_matches('/').to_owned();
        check_base_url(&base_url, self.allow_insecure_http)?;
        let mut config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(self.user_agent.as_str())
            .timeout_connect(Some(self.connect_timeout))
            .timeout_global(Some(self.timeout));
        if let Some(proxy) = &self.proxy {
            let proxy =
                ureq::Proxy::new(proxy).map_err(|e| Error::config(format!("proxy: {e}")))?;
            config = config.proxy(Some(proxy));
        } else {
            config = config.proxy(None);
        }
        if !self.root_pems.is_empty() {
            config = config.tls_config(
                TlsConfig::builder()
                    .root_certs(root_certs(&self.root_pems)?)
                    .build(),
            );
        }
        let token = self.credentials.token();
        let engine = Engine {
            service,
            signer: Signer::new(token, &service.auth),
            cipher: FieldCipher::new(token, &service.cipher),
            credentials: self.credentials,
            agent: config.build().new_agent(),
            base_url,
            retry: self.retry,
            timeout: self.timeout,
            clock: self.clock,
        };
        Ok(C::from_engine(engine))
    }
}

fn check_base_url(url: &str, allow_insecure_http: bool) -> Result<(), Error> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| Error::config(format!("base URL `{url}` has no scheme")))?;
    let authority = rest.split('/').next().unwrap_or("");
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority
            .rsplit_once(':')
            .map_or(authority, |(host, _)| host),
    };
    if host.is_empty() {
        return Err(Error::config(format!("base URL `{url}` has no host")));
    }
    match scheme {
        "https" => Ok(()),
        "http"
            if allow_insecure_http
                || host == "localhost"
                || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback()) =>
        {
            Ok(())
        }
        "http" => Err(Error::config(format!(
            "base URL `{url}`: plain http is allowed only to loopback hosts; use https or allow_insecure_http"
        ))),
        _ => Err(Error::config(format!(
            "base URL `{url}`: expected https:// (or http:// to loopback)"
        ))),
    }
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

/// The machinery behind a generated `Client`: signer, cipher, HTTP agent, retries.
/// Shared between threads; connections are pooled.
#[doc(hidden)]
pub struct Engine {
    service: &'static Service,
    credentials: Credentials,
    signer: Signer,
    cipher: FieldCipher,
    agent: ureq::Agent,
    base_url: String,
    retry: RetryPolicy,
    timeout: Duration,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("app_id", &self.credentials.app_id())
            .field("base_url", &self.base_url)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// A request ready to send, as [`Client::prepare`](crate::Client::prepare) makes it.
/// Debug shows the body's length only: sensitive fields such as patientName travel in
/// the clear.
#[derive(Clone, PartialEq, Eq)]
pub struct PreparedRequest {
    pub method: &'static str,
    pub url: String,
    /// `(name, value)`, in the order they are sent; the names are the spec's.
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &self.headers)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

impl Engine {
    pub fn service(&self) -> &'static Service {
        self.service
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn app_id(&self) -> &str {
        self.credentials.app_id()
    }

    /// Validates, encrypts, signs and sends a typed request; returns the typed `data`.
    pub fn send<R: Request>(&self, request: &R) -> Result<R::Response, Error> {
        let prepared = self.prepare(request)?;
        let data = self.execute(R::ENDPOINT, prepared)?;
        serde_json::from_value(data).map_err(|e| Error::Decode {
            message: format!(
                "`{}` data does not fit the spec ({})",
                R::ENDPOINT.name,
                e.classify_text()
            ),
        })
    }

    /// Validates, encrypts and serialises a request, with headers signed at the clock's
    /// current time. Nothing is sent.
    pub fn prepare<R: Request>(&self, request: &R) -> Result<PreparedRequest, Error> {
        request.validate()?;
        let body = request.seal(&self.cipher);
        let url = endpoint_url(&self.base_url, R::ENDPOINT.path, self.credentials.app_id());
        let mut prepared = PreparedRequest {
            method: R::ENDPOINT.method,
            url,
            headers: Vec::new(),
            body,
        };
        self.sign(&mut prepared);
        Ok(prepared)
    }

    /// Calls an endpoint by name with a plain JSON request; returns the plain JSON `data`.
    pub fn call_json(&self, endpoint: &str, request: &Value) -> Result<Value, Error> {
        let def = self
            .service
            .endpoint(endpoint)
            .ok_or_else(|| Error::UnknownEndpoint {
                name: endpoint.to_owned(),
                expected: self
                    .service
                    .endpoints
                    .iter()
                    .map(|e| e.name)
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
        (def.call)(self, request)
    }

    fn sign(&self, request: &mut PreparedRequest) {
        let now = self.clock.now_millis();
        let timestamp = match self.service.auth.timestamp {
            TimestampUnit::UnixMillis => now,
            TimestampUnit::UnixSeconds => now / 1000,
        }
        .to_string();
        let auth = &self.service.auth;
        let signature = self.signer.sign(self.credentials.app_id(), &timestamp);
        request.headers = vec![
            ("Content-Type", "application/json; charset=utf-8".into()),
            (auth.app_id_header, self.credentials.app_id().into()),
            (auth.timestamp_header, timestamp),
            (auth.signature_header, signature),
        ];
    }

    /// Sends with retries, re-signing each attempt so its timestamp is fresh.
    fn execute(
        &self,
        endpoint: &EndpointDef,
        mut request: PreparedRequest,
    ) -> Result<Value, Error> {
        let mut retry = 0;
        loop {
            let outcome = self
                .attempt(&request)
                .and_then(|(status, body)| self.open_envelope(endpoint, status, &body));
            match outcome {
                Err(e) if e.is_transient() && retry < self.retry.max_retries => {
                    std::thread::sleep(self.retry.backoff(retry));
                    retry += 1;
                    self.sign(&mut request);
                }
                outcome => return outcome,
            }
        }
    }

    fn attempt(&self, request: &PreparedRequest) -> Result<(u16, Vec<u8>), Error> {
        let mut call = self.agent.post(&request.url);
        for (name, value) in &request.headers {
            call = call.header(*name, value);
        }
        let mut response = call
            .send(&request.body[..])
            .map_err(|e| self.transport(e))?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(BODY_LIMIT)
            .read_to_vec()
            .map_err(|e| self.transport(e))?;
        Ok((status, body))
    }

    fn transport(&self, error: ureq::Error) -> Error {
        match error {
            ureq::Error::Timeout(_) => Error::Timeout(self.timeout),
            ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                Error::Timeout(self.timeout)
            }
            other => Error::Transport {
                message: other.to_string(),
            },
        }
    }

    fn open_envelope(
        &self,
        endpoint: &EndpointDef,
        status: u16,
        body: &[u8],
    ) -> Result<Value, Error> {
        if !(200..300).contains(&status) {
            return Err(Error::Http {
                status,
                body: excerpt(body),
            });
        }
        let names = &self.service.envelope;
        let mut envelope: Map<String, Value> =
            serde_json::from_slice(body).map_err(|_| Error::Decode {
                message: format!("expected a JSON object, got: {}", excerpt(body)),
            })?;
        let code = envelope
            .get(names.code)
            .and_then(Value::as_i64)
            .ok_or_else(|| Error::Decode {
                message: format!("the response has no integer `{}`", names.code),
            })?;
        if code != names.success {
            let message = envelope
                .get(names.message)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            return Err(Error::Api {
                code,
                name: self.service.error_name(code),
                message,
            });
        }
        match envelope.remove(names.data) {
            Some(data) if !data.is_null() => Ok(data),
            _ if matches!(endpoint.response, TypeRef::List(_)) => Ok(Value::Array(Vec::new())),
            _ => Err(Error::Decode {
                message: format!("the response has no `{}`", names.data),
            }),
        }
    }
}

/// The start of a body, printable, for error messages.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text
        .chars()
        .take(EXCERPT_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}

/// The dynamic entry point of one endpoint: plain JSON in, plain JSON `data` out.
#[doc(hidden)]
pub fn call_typed<R: Request>(engine: &Engine, request: &Value) -> Result<Value, Error> {
    let request: R = from_plain_json(request)?;
    to_plain_json(&engine.send(&request)?)
}

/// The base URL joined with an endpoint's path, its `{appId}` filled in.
fn endpoint_url(base_url: &str, path: &str, app_id: &str) -> String {
    const APP_ID: &str = "{appId}";
    // A byte search: cheaper than a substring searcher for a path this short.
    let (before, after) = match path.find('{') {
        Some(at) if path[at..].starts_with(APP_ID) => {
            (&path[..at], Some(&path[at + APP_ID.len()..]))
        }
        _ => (path, None),
    };
    let mut url = String::with_capacity(base_url.len() + path.len() + app_id.len());
    url.push_str(base_url);
    url.push_str(before);
    if let Some(after) = after {
        url.push_str(app_id);
        url.push_str(after);
    }
    url
}

/// serde_json's messages can quote values; only their category is passed on.
trait Classify {
    fn classify_text(&self) -> &'static str;
}

impl Classify for serde_json::Error {
    fn classify_text(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "I/O error",
            serde_json::error::Category::Syntax => "JSON syntax error",
            serde_json::error::Category::Data => "a field has the wrong type or is missing",
            serde_json::error::Category::Eof => "JSON ends early",
        }
    }
}
