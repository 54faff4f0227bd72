//! What the SDK does, as `tracing` spans and events (targets `aimis::...`): each call
//! and attempt, each retry, each callback verified, each batch. Field names follow
//! OpenTelemetry's HTTP semantic conventions where one exists (`http.request.method`,
//! `http.response.status_code`, `url.path`, `server.address`, `error.type`).
//!
//! Fields are names, counts, codes, statuses and durations: never the token, a
//! signature, a body, a patient field or a report link. Nothing is computed unless a
//! subscriber wants the event (tracing evaluates fields only then), so a program without
//! one pays an atomic load per event.
//!
//! [`Lines`] turns the events into one line of text each, for hosts that want text: the
//! C library's log callback and the Python module's `logging` bridge.

use std::fmt::{self, Write as _};
use std::time::{Duration, Instant};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};

use crate::error::Error;
use crate::registry::EndpointDef;

/// The span of one call: the endpoint, its method, path and host.
pub(crate) fn call_span(endpoint: &EndpointDef, url: &str) -> tracing::Span {
    tracing::debug_span!(
        target: "aimis::call",
        "aimis.call",
        endpoint = endpoint.name,
        http.request.method = endpoint.method,
        http.route = endpoint.path,
        url.path = url_parts(url).1,
        server.address = url_parts(url).0,
    )
}

/// When an attempt started, if anyone will be told how long it took.
pub(crate) fn attempt_started() -> Option<Instant> {
    tracing::enabled!(target: "aimis::call", Level::DEBUG).then(Instant::now)
}

/// One attempt's end: its HTTP status when there was an answer, the AIMIS code and
/// name of an API error, the kind of any other error, and its duration.
pub(crate) fn attempt<T>(
    endpoint: &EndpointDef,
    attempt: u32,
    status: Option<u16>,
    outcome: &Result<T, Error>,
    started: Option<Instant>,
) {
    let error = outcome.as_ref().err();
    let (code, name) = match error {
        Some(Error::Api { code, name, .. }) => (Some(*code), *name),
        _ => (None, None),
    };
    tracing::debug!(
        target: "aimis::call",
        endpoint = endpoint.name,
        attempt,
        http.response.status_code = status,
        aimis.code = code,
        aimis.code_name = name,
        "error.type" = error.map(error_type),
        duration_ms = started.map(|at| millis(at.elapsed())),
        "{}",
        if error.is_some() { "call failed" } else { "call answered" },
    );
}

/// An answer of the dynamic path (read after its attempt was told) that is the
/// platform's error code or does not fit the spec.
pub(crate) fn answer_refused(endpoint: &EndpointDef, error: &Error) {
    let (code, name) = match error {
        Error::Api { code, name, .. } => (Some(*code), *name),
        _ => (None, None),
    };
    tracing::debug!(
        target: "aimis::call",
        endpoint = endpoint.name,
        aimis.code = code,
        aimis.code_name = name,
        "error.type" = error_type(error),
        "call failed",
    );
}

/// A failed attempt about to be tried again after `wait`.
pub(crate) fn retry(endpoint: &EndpointDef, attempt: u32, error: &Error, wait: Duration) {
    tracing::warn!(
        target: "aimis::call",
        endpoint = endpoint.name,
        attempt,
        retry.reason = error_type(error),
        http.response.status_code = match error {
            Error::Http { status, .. } => Some(*status),
            _ => None,
        },
        retry.wait_ms = millis(wait),
        "retrying",
    );
}

/// A callback checked: accepted, or refused and why.
pub(crate) fn callback_verified(callback: &str, outcome: &Result<(), &Error>) {
    match outcome {
        Ok(()) => tracing::debug!(target: "aimis::callback", callback, "callback verified"),
        Err(error) => tracing::warn!(
            target: "aimis::callback",
            callback,
            "error.type" = error_type(error),
            reason = match error {
                Error::Callback(e) => Some(e.reason()),
                _ => None,
            },
            "callback refused",
        ),
    }
}

/// A pause a batch takes because the platform asked it to slow down.
pub(crate) fn rate_pause(row: usize, pause: Duration) {
    tracing::warn!(
        target: "aimis::batch",
        row,
        pause_ms = millis(pause),
        "platform asked to slow down; pausing",
    );
}

/// The span of one batch.
pub(crate) fn batch_span(concurrency: usize, rate: Option<f64>) -> tracing::Span {
    tracing::debug_span!(target: "aimis::batch", "aimis.batch", concurrency, rate)
}

/// A batch's end: how many rows, how many answered, how many failed, how many pauses.
pub(crate) fn batch_done(rows: usize, ok: usize, pauses: usize, started: Option<Instant>) {
    tracing::info!(
        target: "aimis::batch",
        rows,
        ok,
        failed = rows - ok,
        rate_pauses = pauses,
        duration_ms = started.map(|at| millis(at.elapsed())),
        "batch done",
    );
}

/// When a batch started, if anyone will be told how long it took.
pub(crate) fn batch_started() -> Option<Instant> {
    tracing::enabled!(target: "aimis::batch", Level::INFO).then(Instant::now)
}

/// `error.type`: the kind of transport failure (`timeout`, `connection_refused`...),
/// else the kind of error (`http`, `api`, `decode`...).
pub(crate) fn error_type(error: &Error) -> &'static str {
    match error.transport_kind() {
        Some(kind) => kind.name(),
        None => error.kind(),
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// `(host[:port], path)` of a URL, without its scheme, credentials or query.
fn url_parts(url: &str) -> (&str, &str) {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let (authority, path) = match rest.find('/') {
        Some(at) => rest.split_at(at),
        None => (rest, "/"),
    };
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let path = path.split(['?', '#']).next().unwrap_or(path);
    (host, path)
}

/// Where [`Lines`] sends its lines, and which it wants.
pub trait LineSink: Send + Sync + 'static {
    /// Whether an event at `level` from `target` is wanted: asked once per event.
    fn enabled(&self, level: Level, target: &str) -> bool;
    /// One event as one line of text: `message key=value key=value`.
    fn line(&self, level: Level, target: &str, line: &str);
}

/// A `tracing` subscriber that writes each event as one line to a [`LineSink`]. Spans
/// are not recorded: every event carries the fields that say what it is about.
pub struct Lines<S>(pub S);

impl<S> fmt::Debug for Lines<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Lines")
    }
}

impl<S: LineSink> Subscriber for Lines<S> {
    fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
        match metadata.is_span() {
            false => Interest::sometimes(),
            true => Interest::never(),
        }
    }

    /// Events, and `enabled!` checks (which ask whether such events are wanted); spans
    /// are not recorded. The sink's wishes can change (a C host sets another level): it
    /// is asked each time.
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        !metadata.is_span() && self.0.enabled(*metadata.level(), metadata.target())
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut line = LineVisitor::default();
        event.record(&mut line);
        let text = match line.message.is_empty() {
            true => line.fields.trim_start().to_owned(),
            false => line.message + &line.fields,
        };
        let metadata = event.metadata();
        self.0.line(*metadata.level(), metadata.target(), &text);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[derive(Default)]
struct LineVisitor {
    message: String,
    fields: String,
}

impl Visit for LineVisitor {
    fn record_str(&mut self, field: &Field, value: &str) {
        // The inbox names its events in an `event` field (its JSON lines' key).
        let names_the_event = field.name() == "event" && self.message.is_empty();
        if field.name() == "message" || names_the_event {
            self.message.push_str(value);
        } else if value.is_empty() || value.contains([' ', '"', '=']) {
            let _ = write!(self.fields, " {}={value:?}", field.name());
        } else {
            let _ = write!(self.fields, " {}={value}", field.name());
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            let _ = write!(self.fields, " {}={value:?}", field.name());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_their_scheme_credentials_and_query() {
        assert_eq!(
            url_parts("https://u:p@pacs.qq.com:8443/api/a?x=1#f"),
            ("pacs.qq.com:8443", "/api/a")
        );
        assert_eq!(url_parts("http://127.0.0.1:80"), ("127.0.0.1:80", "/"));
    }
}
