//! The blocking HTTP client: the engine behind every generated `Client`, with signing
//! and retries. Options live in [`builder`], the wire in [`transport`], the response
//! envelope in [`envelope`].

mod base_url;
mod builder;
mod coarse_timeout;
mod envelope;
mod one_write;
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
use crate::registry::{Service, TimestampUnit};

pub use builder::{ClientBuilder, FromEngine, MAX_DURATION, MAX_RETRIES, RetryPolicy};
pub use envelope::PlainAnswer;
pub use plain_data::{JsonBuilder, PlainBuilder};

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
#[derive(Clone, PartialEq, Eq)]
pub struct PreparedRequest {
    method: &'static str,
    /// The URL, then the signed headers' values, back to back: one allocation for all.
    text: String,
    url_end: usize,
    /// The signed headers' names and where their values end in `text`.
    signed: [(&'static str, usize); 3],
    body: Vec<u8>,
}

/// The first header of every request; the rest are signed.
const CONTENT_TYPE: (&str, &str) = ("Content-Type", "application/json; charset=utf-8");

impl PreparedRequest {
    pub fn method(&self) -> &'static str {
        self.method
    }

    pub fn url(&self) -> &str {
        &self.text[..self.url_end]
    }

    /// `(name, value)`, in the order they are sent.
    pub fn headers(&self) -> impl ExactSizeIterator<Item = (&'static str, &str)> + '_ {
        let [
            (app_id, app_id_end),
            (timestamp, timestamp_end),
            (signature, signature_end),
        ] = self.signed;
        [
            CONTENT_TYPE,
            (app_id, &self.text[self.url_end..app_id_end]),
            (timestamp, &self.text[app_id_end..timestamp_end]),
            (signature, &self.text[timestamp_end..signature_end]),
        ]
        .into_iter()
    }

    /// The value of the header `name` (in any case), if the request has it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers()
            .find(|(header, _)| header.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    }

    pub fn body(&self) -> &[u8] {
        &self.body
    }

    pub fn into_body(self) -> Vec<u8> {
        self.body
    }
}

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

    /// Validates, encrypts, signs and sends a typed request; returns the typed `data`.
    pub fn send<R: Request>(&self, request: &R) -> Result<R::Response, Error> {
        request.validate()?;
        self.send_valid(request)
    }

    /// [`Engine::send`] for a request already validated.
    pub(crate) fn send_valid<R: Request>(&self, request: &R) -> Result<R::Response, Error> {
        self.execute(self.prepare_valid(request), |response| {
            envelope::open_typed(self.service, R::ENDPOINT, response)
        })
    }

    /// [`Engine::send_valid`] for the dynamic path: the answer, its `data` (vendor
    /// names) left to be read from the bytes in one pass.
    pub(crate) fn send_valid_plain<R: Request>(&self, request: &R) -> Result<PlainAnswer, Error> {
        self.execute(self.prepare_valid(request), |response| {
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
        // Room for the signed headers too: the timestamp's digits and the signature.
        let mut text = String::with_capacity(
            self.base_url.len() + R::ENDPOINT.path.len() + 2 * self.app_id().len() + 96,
        );
        push_endpoint_url(&mut text, &self.base_url, R::ENDPOINT.path, self.app_id());
        let auth = &self.service.auth;
        let mut prepared = PreparedRequest {
            method: R::ENDPOINT.method,
            url_end: text.len(),
            text,
            signed: [
                (auth.app_id_header, 0),
                (auth.timestamp_header, 0),
                (auth.signature_header, 0),
            ],
            body,
        };
        self.sign(&mut prepared);
        prepared
    }

    /// Writes the signed headers' values, anew for each attempt.
    fn sign(&self, request: &mut PreparedRequest) {
        let now = self.clock.now_millis();
        let timestamp = Decimal::new(match self.service.auth.timestamp {
            TimestampUnit::UnixMillis => now,
            TimestampUnit::UnixSeconds => now / 1000,
        });
        let text = &mut request.text;
        text.truncate(request.url_end);
        text.push_str(self.app_id());
        request.signed[0].1 = text.len();
        text.push_str(timestamp.as_str());
        request.signed[1].1 = text.len();
        self.signer
            .sign_into(self.app_id(), timestamp.as_str(), text);
        request.signed[2].1 = text.len();
    }

    /// Sends with retries, re-signing each attempt so its timestamp is fresh; `open`
    /// turns a response into the result or the error it stands for.
    fn execute<T>(
        &self,
        mut request: PreparedRequest,
        open: impl Fn(transport::RawResponse) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let mut retry = 0;
        loop {
            let (outcome, retry_after) =
                match transport::attempt(&self.agent, &request, self.timeout, self.connect_timeout)
                {
                    Ok(response) => {
                        let retry_after = response.retry_after;
                        (open(response), retry_after)
                    }
                    Err(error) => (Err(error), None),
                };
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
            std::thread::sleep(wait);
            retry += 1;
            self.sign(&mut request);
        }
    }
}

/// A number's decimal digits, written without the formatting machinery or an
/// allocation (a timestamp per request).
struct Decimal {
    digits: [u8; 20],
    start: usize,
}

impl Decimal {
    fn new(mut n: u64) -> Self {
        let mut digits = [0u8; 20];
        let mut start = digits.len();
        loop {
            start -= 1;
            digits[start] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        Decimal { digits, start }
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.digits[self.start..]).expect("decimal digits are ASCII")
    }
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

#[cfg(test)]
mod tests {
    #[test]
    fn decimals() {
        for n in [0, 7, 10, 1_741_338_450_000, u64::MAX] {
            assert_eq!(super::Decimal::new(n).as_str(), n.to_string());
        }
    }
}
