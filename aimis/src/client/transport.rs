//! One HTTP attempt over ureq, and ureq's errors sorted into [`TransportKind`]s.

use std::io;
use std::time::Duration;

use ureq::http::{HeaderName, Uri};

use super::PreparedRequest;
use super::interrupt::Interrupted;
use crate::error::{Error, TransportKind};
use crate::registry::AuthScheme;

/// The largest answer read; a larger one is [`TransportKind::BodyTooLarge`].
pub(crate) const BODY_LIMIT: u64 = 16 * 1024 * 1024;

/// The most room made for an answer before it is read; a longer one grows as it comes.
const PRESIZE_LIMIT: u64 = 1024 * 1024;

/// The longest `Retry-After` honoured; a platform asking for more gets the 429 back.
pub(crate) const RETRY_AFTER_LIMIT: Duration = Duration::from_secs(30);

/// What came back from one attempt, before the envelope is opened.
pub(crate) struct RawResponse {
    pub status: u16,
    pub content_type: Option<String>,
    /// A 429's `Retry-After` in seconds, when it gave one.
    pub retry_after: Option<Duration>,
    pub body: Vec<u8>,
}

/// What every request of a client shares, parsed once for ureq rather than from text on
/// each attempt: the header names, and the URI of each of the service's endpoints.
#[derive(Debug)]
pub(crate) struct Parsed {
    /// In the order of [`PreparedRequest::headers`].
    names: Vec<HeaderName>,
    uris: Vec<(String, Uri)>,
}

impl Parsed {
    /// For requests with the headers of `scheme`, to the URLs `urls`.
    pub(crate) fn new<'a>(scheme: &AuthScheme, urls: impl Iterator<Item = &'a str>) -> Self {
        let names = PreparedRequest::header_names(scheme)
            .map(|name| {
                HeaderName::from_bytes(name.as_bytes())
                    .expect("the spec allows only token characters in header names")
            })
            .collect();
        // A URL ureq would refuse is left to fail, with ureq's error, when it is sent.
        let uris = urls
            .filter_map(|url| Some((url.to_owned(), Uri::try_from(url).ok()?)))
            .collect();
        Parsed { names, uris }
    }
}

pub(crate) fn attempt(
    agent: &ureq::Agent,
    request: &PreparedRequest,
    parsed: &Parsed,
    timeout: Duration,
    connect_timeout: Duration,
) -> Result<RawResponse, Error> {
    let url = request.url();
    let mut call = match parsed.uris.iter().find(|(known, _)| known == url) {
        Some((_, uri)) => agent.post(uri.clone()),
        None => agent.post(url),
    };
    for (name, (_, value)) in parsed.names.iter().zip(request.headers()) {
        call = call.header(name.clone(), value);
    }
    let fail = |e| transport_error(e, timeout, connect_timeout);
    let mut response = call.send(request.body()).map_err(fail)?;
    let headers = response.headers();
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .and_then(media_type);
    let retry_after = headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let status = response.status().as_u16();
    // Room for the whole body when its length is announced (up to a limit: the length
    // is only the server's word): a vector grown from empty is moved about four times
    // for a typical answer.
    let announced = response
        .body()
        .content_length()
        .unwrap_or(0)
        .min(PRESIZE_LIMIT);
    let mut body = Vec::with_capacity(announced as usize);
    let mut reader = response.body_mut().with_config().limit(BODY_LIMIT).reader();
    io::Read::read_to_end(&mut reader, &mut body).map_err(|e| fail(e.into()))?;
    Ok(RawResponse {
        status,
        content_type,
        retry_after,
        body,
    })
}

/// The media type of a Content-Type header (`text/html`), if it looks like one; the
/// parameters and anything odd are dropped, since the header came from the network.
fn media_type(header: &str) -> Option<String> {
    let media = header.split(';').next()?.trim();
    let plausible = !media.is_empty()
        && media.len() <= 64
        && media
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'+' | b'-' | b'_'));
    plausible.then(|| media.to_ascii_lowercase())
}

/// The error for a failed attempt; a timeout carries the limit that fired.
fn transport_error(error: ureq::Error, timeout: Duration, connect_timeout: Duration) -> Error {
    if is_interrupted(&error) {
        return Error::Interrupted;
    }
    let kind = kind_of(&error);
    if kind == TransportKind::Timeout {
        return Error::Timeout(match error {
            ureq::Error::Timeout(ureq::Timeout::Connect) => connect_timeout,
            _ => timeout,
        });
    }
    let message = match kind {
        TransportKind::TlsCertificate => format!(
            "{error}; if a proxy inspects TLS, trust its CA certificate (add_root_certificates_pem, ca_certs=, --ca-file, aimis_options_add_ca_file)"
        ),
        TransportKind::BodyTooLarge => {
            format!("the answer is larger than {} MiB", BODY_LIMIT >> 20)
        }
        _ => error.to_string(),
    };
    Error::Transport { kind, message }
}

/// Whether the read was ended by [`super::interrupt`], not by the network.
fn is_interrupted(error: &ureq::Error) -> bool {
    matches!(error, ureq::Error::Io(e) if e.get_ref().is_some_and(|inner| inner.is::<Interrupted>()))
}

fn kind_of(error: &ureq::Error) -> TransportKind {
    match error {
        ureq::Error::Timeout(_) => TransportKind::Timeout,
        ureq::Error::HostNotFound => TransportKind::Dns,
        ureq::Error::ConnectionFailed => TransportKind::ConnectionRefused,
        ureq::Error::BodyExceedsLimit(_) => TransportKind::BodyTooLarge,
        ureq::Error::Rustls(e) => tls_kind(e),
        ureq::Error::Io(e) => io_kind(e),
        _ => TransportKind::Other,
    }
}

fn io_kind(error: &io::Error) -> TransportKind {
    if let Some(inner) = error.get_ref() {
        if let Some(tls) = inner.downcast_ref::<rustls::Error>() {
            return tls_kind(tls);
        }
        if let Some(ureq) = inner.downcast_ref::<ureq::Error>() {
            return kind_of(ureq);
        }
    }
    match error.kind() {
        io::ErrorKind::ConnectionRefused => TransportKind::ConnectionRefused,
        io::ErrorKind::ConnectionReset
        | io::ErrorKind::ConnectionAborted
        | io::ErrorKind::BrokenPipe
        | io::ErrorKind::UnexpectedEof => TransportKind::ConnectionReset,
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => TransportKind::Timeout,
        // The standard library reports a failed getaddrinfo only by its message.
        _ if error.to_string().contains("failed to lookup address") => TransportKind::Dns,
        _ => TransportKind::Other,
    }
}

fn tls_kind(error: &rustls::Error) -> TransportKind {
    match error {
        rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented => {
            TransportKind::TlsCertificate
        }
        _ => TransportKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_are_kept_only_when_plausible() {
        assert_eq!(
            media_type("application/json; charset=utf-8").as_deref(),
            Some("application/json")
        );
        assert_eq!(media_type("Text/HTML").as_deref(), Some("text/html"));
        assert_eq!(media_type("13800138000 张三"), None);
        assert_eq!(media_type(""), None);
        assert_eq!(media_type(&"a".repeat(65)), None);
    }

    #[test]
    fn io_errors_are_sorted_by_kind() {
        let kind = |k| io_kind(&io::Error::from(k));
        assert_eq!(
            kind(io::ErrorKind::ConnectionRefused),
            TransportKind::ConnectionRefused
        );
        assert_eq!(
            kind(io::ErrorKind::ConnectionReset),
            TransportKind::ConnectionReset
        );
        assert_eq!(
            kind(io::ErrorKind::UnexpectedEof),
            TransportKind::ConnectionReset
        );
        assert_eq!(kind(io::ErrorKind::TimedOut), TransportKind::Timeout);
        let wrapped = io::Error::other(ureq::Error::BodyExceedsLimit(1));
        assert_eq!(io_kind(&wrapped), TransportKind::BodyTooLarge);
        let certificate = io::Error::new(
            io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
        );
        assert_eq!(io_kind(&certificate), TransportKind::TlsCertificate);
    }
}
