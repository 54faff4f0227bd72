//! `GET /metrics`: the receiver's counts in the Prometheus text format (version 0.0.4),
//! every name prefixed `aimis_inbox_`. Labels are fixed words (a state, a refusal
//! reason), never an id or anything from a callback.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::store::Stats;

/// The ack latency histogram's upper bounds, in seconds: a commit to a local disk is
/// milliseconds, a slow store or a queue of commits seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// How long each callback took from its request's head to its answer, as a histogram
/// whose counts only grow (cumulated when rendered).
#[derive(Debug, Default)]
pub(crate) struct AckLatency {
    /// Per bucket (the last: over the largest bound).
    counts: [AtomicU64; BUCKETS.len() + 1],
    sum_micros: AtomicU64,
}

impl AckLatency {
    pub(crate) fn observe(&self, took: Duration) {
        let seconds = took.as_secs_f64();
        let bucket = BUCKETS
            .iter()
            .position(|bound| seconds <= *bound)
            .unwrap_or(BUCKETS.len());
        self.counts[bucket].fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        self.sum_micros.fetch_add(micros, Ordering::Relaxed);
    }
}

/// The exposition: the store's counts (`None`: the store did not answer, so only its
/// health and the latency are shown), whether it can take a callback, and the latency.
pub(crate) fn render(stats: Option<&Stats>, store_up: bool, latency: &AckLatency) -> String {
    let mut out = String::with_capacity(4096);
    if let Some(stats) = stats {
        counters(&mut out, stats);
    }
    family(
        &mut out,
        "store_up",
        "gauge",
        "Whether the store can take a callback now (1) or not (0).",
    );
    sample(&mut out, "store_up", "", u64::from(store_up));
    histogram(&mut out, latency);
    out
}

fn counters(out: &mut String, stats: &Stats) {
    let counter = |out: &mut String, name: &str, help: &str, value: u64| {
        family(out, name, "counter", help);
        sample(out, name, "", value);
    };
    counter(
        out,
        "callbacks_received_total",
        "Callbacks verified and stored, each once.",
        stats.received,
    );
    counter(
        out,
        "callbacks_duplicate_total",
        "Repeated deliveries of a stored callback, acknowledged and not stored again.",
        stats.duplicates,
    );
    counter(
        out,
        "replays_refused_total",
        "Header sets presented again with another body, refused.",
        stats.replays_refused,
    );
    counter(
        out,
        "same_millisecond_total",
        "Header sets presented again within moments with another body.",
        stats.same_millisecond,
    );
    family(
        out,
        "callbacks_refused_total",
        "counter",
        "Callbacks refused, by reason (verification, body transfer).",
    );
    for (reason, count) in &stats.refused_by_reason {
        sample(
            out,
            "callbacks_refused_total",
            &label("reason", reason),
            *count,
        );
    }
    family(
        out,
        "confirmation_mismatches_total",
        "counter",
        "Callbacks the platform confirmed with other values than the body's, by what differed.",
    );
    for (what, count) in [
        ("links", stats.links_mismatched),
        ("fields", stats.fields_mismatched),
    ] {
        sample(
            out,
            "confirmation_mismatches_total",
            &label("field", what),
            count,
        );
    }
    counter(
        out,
        "callbacks_not_confirmed_total",
        "Callbacks the platform did not know: dead, never delivered.",
        stats.not_confirmed,
    );
    family(out, "callbacks", "gauge", "Stored callbacks by state.");
    for (state, count) in [
        ("pending", stats.pending),
        ("delivered", stats.delivered),
        ("superseded", stats.superseded),
        ("dead", stats.dead),
    ] {
        sample(out, "callbacks", &label("state", state), count);
    }
    for (name, help, value) in [
        (
            "callbacks_leased",
            "Pending callbacks claimed under a lease now (or waiting for the pusher's next try).",
            stats.leased,
        ),
        (
            "callbacks_awaiting_confirmation",
            "Pending callbacks awaiting the platform's confirmation.",
            stats.awaiting_confirmation,
        ),
    ] {
        family(out, name, "gauge", help);
        sample(out, name, "", value);
    }
}

fn histogram(out: &mut String, latency: &AckLatency) {
    const NAME: &str = "ack_duration_seconds";
    family(
        out,
        NAME,
        "histogram",
        "Time from a callback request's head to its answer (stored and acknowledged, or refused).",
    );
    let mut cumulative = 0;
    for (at, bound) in BUCKETS.iter().enumerate() {
        cumulative += latency.counts[at].load(Ordering::Relaxed);
        sample(
            out,
            "ack_duration_seconds_bucket",
            &label("le", &bound.to_string()),
            cumulative,
        );
    }
    cumulative += latency.counts[BUCKETS.len()].load(Ordering::Relaxed);
    sample(
        out,
        "ack_duration_seconds_bucket",
        &label("le", "+Inf"),
        cumulative,
    );
    let sum = latency.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
    let _ = writeln!(out, "aimis_inbox_{NAME}_sum {sum}");
    sample(out, "ack_duration_seconds_count", "", cumulative);
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP aimis_inbox_{name} {help}");
    let _ = writeln!(out, "# TYPE aimis_inbox_{name} {kind}");
}

fn sample(out: &mut String, name: &str, labels: &str, value: u64) {
    let _ = writeln!(out, "aimis_inbox_{name}{labels} {value}");
}

/// `{name="value"}`; the values are the code's own words, escaped all the same.
fn label(name: &str, value: &str) -> String {
    let escaped = value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    format!("{{{name}=\"{escaped}\"}}")
}

/// The bearer token `/metrics` asks for. Debug hides it.
#[derive(Clone)]
pub struct MetricsToken(String);

impl MetricsToken {
    /// `None` for an empty or blank token: it would protect nothing.
    pub fn new(token: impl Into<String>) -> Option<Self> {
        let token = token.into();
        (!token.trim().is_empty()).then_some(MetricsToken(token))
    }

    /// Whether an `Authorization` header presents this token, compared in time that
    /// does not depend on where they differ.
    pub(crate) fn admits(&self, authorization: Option<&str>) -> bool {
        let presented = authorization
            .and_then(|value| value.strip_prefix("Bearer "))
            .unwrap_or("")
            .as_bytes();
        let expected = self.0.as_bytes();
        let differences = presented
            .iter()
            .zip(expected)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        presented.len() == expected.len() && differences == 0
    }
}

impl std::fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MetricsToken(<hidden>)")
    }
}
