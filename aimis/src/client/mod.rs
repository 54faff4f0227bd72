//! The blocking HTTP client: the engine behind every generated `Client`, with signing
//! and retries. Options live in [`builder`], the wire in [`transport`], the response
//! envelope in [`envelope`].

mod base_url;
mod builder;
mod coarse_timeout;
mod envelope;
mod interrupt;
mod one_write;
mod per_process;
mod plain_data;
mod proxy;
mod resolver;
mod transport;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::clock::Clock;
use crate::credentials::Credentials;
use crate::crypto::{FieldCipher, Signer};
use crate::error::Error;
use crate::message::Request;
use crate::registry::{AuthScheme, EndpointDef, Service};
use crate::trace;

pub use builder::{ClientBuilder, FromEngine, MAX_DURATION, MAX_RETRIES, RetryPolicy};
pub use envelope::PlainAnswer;
pub use interrupt::interruptible;
pub use plain_data::{JsonBuilder, PlainBuilder};

/// The machinery behind a generated `Client`: signer, cipher, HTTP agent, retries.
/// Shared between threads; connections are pooled.
#[doc(hidden)]
pub struct Engine {
    service: &'static Service,
    credentials: Credentials,
    signer: Signer,
    cipher: FieldCipher,
    agent: per_process::PerProcess,
    base_url: String,
    /// Each endpoint's URL, `{appId}` filled in, by the endpoint's name: made once.
    urls: Vec<(&'static str, String)>,
    /// The header names and those URLs, parsed once for the transport.
    parsed: transport::Parsed,
    retry: RetryPolicy,
    timeout: Duration,
    connect_timeout: Duration,
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

/// A request ready to send, as [`Client::prepare`](crate::Client::prepare) makes it:
/// its method, URL, headers in the order they are sent (the names are the spec's) and
/// body.
///
/// Debug shows the header names and the body's length only: for the freshness window
/// the signed headers authenticate to the platform (which signs no body) and to a
/// partner's callback endpoint, and sensitive fields such as patientName travel in the
/// clear.
#[derive(Clone)]
pub struct PreparedRequest {
    method: &'static str,
    /// The URL, then the signed headers' values, back to back: one allocation for all.
    text: String,
    /// Where the URL and each signed header's value end in `text`. Offsets and the
    /// scheme rather than names and lengths: a request moves in one piece.
    ends: [u32; 4],
    auth: &'static AuthScheme,
    body: Vec<u8>,
}

/// The first header of every request; the rest are signed.
const CONTENT_TYPE: (&str, &str) = ("Content-Type", "application/json; charset=utf-8");

impl PreparedRequest {
    /// The HTTP method, as the spec gives it (`POST`).
    pub fn method(&self) -> &'static str {
        self.method
    }

    /// The endpoint's full URL.
    pub fn url(&self) -> &str {
        &self.text[..self.end(0)]
    }

    /// `(name, value)`, in the order they are sent.
    pub fn headers(&self) -> impl ExactSizeIterator<Item = (&'static str, &str)> + '_ {
        let value = |at: usize| &self.text[self.end(at - 1)..self.end(at)];
        let values = [CONTENT_TYPE.1, value(1), value(2), value(3)];
        Self::header_names(self.auth).zip(values)
    }

    /// The names of [`PreparedRequest::headers`] for requests signed by `scheme`.
    fn header_names(scheme: &AuthScheme) -> impl ExactSizeIterator<Item = &'static str> {
        [
            CONTENT_TYPE.0,
            scheme.app_id_header,
            scheme.timestamp_header,
            scheme.signature_header,
        ]
        .into_iter()
    }

    /// The value of the header `name` (in any case), if the request has it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers()
            .find(|(header, _)| header.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    }

    /// The JSON body, patient fields encrypted.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// [`PreparedRequest::body`], taken.
    pub fn into_body(self) -> Vec<u8> {
        self.body
    }

    fn end(&self, at: usize) -> usize {
        self.ends[at] as usize
    }

    /// Marks the end of the URL (0) or of a signed header's value (1 to 3).
    fn mark_end(&mut self, at: usize) {
        self.ends[at] =
            u32::try_from(self.text.len()).expect("a request's URL and headers are short");
    }
}

/// Equal when everything sent is: method, URL, headers (names and values) and body.
impl PartialEq for PreparedRequest {
    fn eq(&self, other: &Self) -> bool {
        self.method == other.method
            && self.url() == other.url()
            && self.headers().eq(other.headers())
            && self.body == other.body
    }
}

impl Eq for PreparedRequest {}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers().map(|(name, _)| name).collect();
        f.debug_struct("PreparedRequest")
            .field("method", &self.method)
            .field("url", &self.url())
            .field("headers", &format_args!("{names:?} (values hidden)"))
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

    /// The URL of `endpoint`: made once for the service's own (looked up by name, a few
    /// comparisons), anew for any other.
    fn url(&self, endpoint: &EndpointDef) -> std::borrow::Cow<'_, str> {
        match self.urls.iter().find(|(name, _)| *name == endpoint.name) {
            Some((_, url)) => std::borrow::Cow::Borrowed(url),
            None => {
                let mut url = String::new();
                push_endpoint_url(&mut url, &self.base_url, endpoint.path, self.app_id());
                std::borrow::Cow::Owned(url)
            }
        }
    }

    /// Validates, encrypts, signs and sends a typed request; returns the typed `data`.
    pub fn send<R: Request>(&self, request: &R) -> Result<R::Response, Error> {
        request.validate()?;
        self.send_valid(request)
    }

    /// [`Engine::send`] for a request already validated.
    pub(crate) fn send_valid<R: Request>(&self, request: &R) -> Result<R::Response, Error> {
        self.execute(R::ENDPOINT, self.prepare_valid(request), |response| {
            envelope::open_typed(self.service, R::ENDPOINT, response)
        })
    }

    /// [`Engine::send_valid`] for the dynamic path: the answer, its `data` (vendor
    /// names) left to be read from the bytes in one pass.
    pub(crate) fn send_valid_plain<R: Request>(&self, request: &R) -> Result<PlainAnswer, Error> {
        self.execute(R::ENDPOINT, self.prepare_valid(request), |response| {
            envelope::open_plain::<R::Response>(self.service, R::ENDPOINT, response)
        })
    }

    /// Validates, encrypts and serialises a request, with headers signed at the clock's
    /// current time. Nothing is sent.
    pub fn prepare<R: Request>(&self, request: &R) -> Result<PreparedRequest, Error> {
        request.validate()?;
        Ok(self.prepare_valid(request))
    }

    fn prepare_valid<R: Request>(&self, request: &R) -> PreparedRequest {
        let body = request.seal(&self.cipher);
        let url = self.url(R::ENDPOINT);
        // Room for the signed headers too: the app id, the timestamp and the signature.
        let mut text = String::with_capacity(url.len() + self.app_id().len() + 96);
        text.push_str(&url);
        let mut prepared = PreparedRequest {
            method: R::ENDPOINT.method,
            text,
            ends: [0; 4],
            auth: &self.service.auth,
            body,
        };
        prepared.mark_end(0);
        self.sign(&mut prepared);
        prepared
    }

    /// Writes the signed headers' values, anew for each attempt.
    fn sign(&self, request: &mut PreparedRequest) {
        let now = self.clock.now_millis();
        let mut digits = itoa::Buffer::new();
        let timestamp = digits.format(self.service.auth.timestamp.written(now));
        request.text.truncate(request.end(0));
        request.text.push_str(self.app_id());
        request.mark_end(1);
        request.text.push_str(timestamp);
        request.mark_end(2);
        self.signer
            .sign_into(self.app_id(), timestamp, &mut request.text);
        request.mark_end(3);
    }

    /// Sends with retries, re-signing each attempt so its timestamp is fresh; `open`
    /// turns a response into the result or the error it stands for.
    fn execute<T>(
        &self,
        endpoint: &EndpointDef,
        mut request: PreparedRequest,
        open: impl Fn(transport::RawResponse) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let span = trace::call_span(endpoint, request.url());
        let _in_span = span.enter();
        let mut retry = 0;
        loop {
            let started = trace::attempt_started();
            let attempt = self.agent.with(|agent| {
                transport::attempt(
                    agent,
                    &request,
                    &self.parsed,
                    self.timeout,
                    self.connect_timeout,
                )
            });
            let (outcome, retry_after, status) = match attempt {
                Ok(response) => {
                    let (retry_after, status) = (response.retry_after, response.status);
                    (open(response), retry_after, Some(status))
                }
                Err(error) => (Err(error), None, None),
            };
            trace::attempt(endpoint, retry + 1, status, &outcome, started);
            let error = match outcome {
                Err(error) if error.is_transient() && retry < self.retry.max_retries => error,
                outcome => return outcome,
            };
            let wait = match (&error, retry_after) {
                (Error::Http { status: 429, .. }, Some(asked)) => {
                    if asked > transport::RETRY_AFTER_LIMIT {
                        return Err(error);
                    }
                    asked
                }
                _ => self.retry.backoff(retry),
            };
            trace::retry(endpoint, retry + 1, &error, wait);
            interrupt::sleep(wait)?;
            retry += 1;
            self.sign(&mut request);
        }
    }
}

/// Each endpoint's URL, by name.
fn endpoint_urls(service: &Service, base_url: &str, app_id: &str) -> Vec<(&'static str, String)> {
    let urls = service.endpoints.iter().map(|endpoint| {
        let mut url = String::new();
        push_endpoint_url(&mut url, base_url, endpoint.path, app_id);
        (endpoint.name, url)
    });
    urls.collect()
}

/// Appends the base URL joined with an endpoint's path, its `{appId}` filled in.
fn push_endpoint_url(url: &mut String, base_url: &str, path: &str, app_id: &str) {
    const APP_ID: &str = "{appId}";
    // A byte search: cheaper than a substring searcher for a path this short.
    let (before, after) = match path.find('{') {
        Some(at) if path[at..].starts_with(APP_ID) => {
            (&path[..at], Some(&path[at + APP_ID.len()..]))
        }
        _ => (path, None),
    };
    url.push_str(base_url);
    url.push_str(before);
    if let Some(after) = after {
        url.push_str(app_id);
        url.push_str(after);
    }
}
