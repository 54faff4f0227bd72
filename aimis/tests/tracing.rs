//! What the client tells `tracing`: a subscriber that takes everything at TRACE level
//! (span fields and event fields alike) watches every endpoint through every kind of
//! error, retries, a batch and callbacks, and finds the events it should and none of
//! the canaries (token, signature, patient fields, report links, bodies).

mod support;

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aimis::{BatchOptions, CallbackVerifier, FixedClock, RetryPolicy};
use serde_json::json;
use support::canary::*;
use support::{APP_ID, NOW_MS, Reply, Server, TOKEN};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Everything, as text: each span's name and fields, each event's level, target and
/// fields.
#[derive(Clone, Default)]
struct Everything {
    text: Arc<Mutex<String>>,
    next_id: Arc<AtomicU64>,
}

impl Everything {
    fn take(&self) -> String {
        std::mem::take(&mut self.text.lock().unwrap())
    }
}

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl Subscriber for Everything {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut text = self.text.lock().unwrap();
        let _ = write!(text, "span {}", span.metadata().name());
        span.record(&mut Fields(&mut text));
        text.push('\n');
        Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut text = self.text.lock().unwrap();
        text.push_str("record");
        values.record(&mut Fields(&mut text));
        text.push('\n');
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut text = self.text.lock().unwrap();
        let metadata = event.metadata();
        let _ = write!(text, "{} {}", metadata.level(), metadata.target());
        event.record(&mut Fields(&mut text));
        text.push('\n');
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

fn assert_clean(what: &str, text: &str, signatures: &[String]) {
    for canary in CANARIES
        .iter()
        .copied()
        .chain(signatures.iter().map(String::as_str))
    {
        assert!(!text.contains(canary), "{what} shows {canary:?}:\n{text}");
    }
}

fn client(server: &Server, retries: u32) -> aimis::Client {
    aimis::Client::builder(support::credentials())
        .base_url(&server.url)
        .clock(Arc::new(FixedClock(NOW_MS)))
        .timeout(Duration::from_millis(300))
        .retry(RetryPolicy {
            max_retries: retries,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(2),
        })
        .build()
        .unwrap()
}

#[test]
fn every_call_batch_and_callback_is_told_without_the_canaries() {
    let everything = Everything::default();
    tracing::subscriber::set_global_default(everything.clone()).unwrap();
    let signature = aimis::sign(APP_ID, TOKEN, &NOW_MS.to_string()).unwrap();
    let signatures = [signature.clone()];
    let canary_page = format!("<html>{}</html>", CANARIES.join(" "));

    for endpoint in aimis::SERVICE.endpoints {
        let request = request(endpoint);
        let answers = [
            ("wrong data", Reply::data(wrong_data(endpoint))),
            ("http", Reply::Http(500, "text/html", canary_page.clone())),
            (
                "not json",
                Reply::Http(200, "text/html", canary_page.clone()),
            ),
            ("api error", Reply::api_error(10003, "no data")),
            (
                "envelope without code",
                Reply::json(json!({"message": LINK, "data": STUDY_NAME})),
            ),
            ("hangup", Reply::Hangup),
            (
                "timeout",
                Reply::Delayed(Duration::from_secs(2), Box::new(Reply::Hangup)),
            ),
        ];
        for (kind, answer) in answers {
            let server = Server::start(vec![answer]);
            let _ = client(&server, 0).call_json(endpoint.name, &request);
            let text = everything.take();
            assert_clean(&format!("{} {kind}", endpoint.name), &text, &signatures);
            assert!(
                text.contains(&format!("endpoint={:?}", endpoint.name)),
                "{} {kind}: no event names the endpoint:\n{text}",
                endpoint.name
            );
        }
        // A retried 503, then an answer.
        let server = Server::start(vec![
            Reply::Http(503, "text/html", canary_page.clone()),
            Reply::data(json!([])),
        ]);
        let _ = client(&server, 1).call_json(endpoint.name, &request);
        let text = everything.take();
        assert_clean(&format!("{} retry", endpoint.name), &text, &signatures);
        for expected in [
            "WARN aimis::call",
            "retry.reason=\"http\"",
            "http.response.status_code=503",
            "attempt=2",
            "http.request.method=\"POST\"",
            "server.address=\"127.0.0.1:",
        ] {
            assert!(text.contains(expected), "no {expected}:\n{text}");
        }
    }

    // An API error carries its code.
    let server = Server::start(vec![Reply::api_error(10003, "no data")]);
    let _ = client(&server, 0).patient_studies(&support::studies_request());
    let text = everything.take();
    assert!(text.contains("aimis.code=10003"), "{text}");
    assert!(text.contains("error.type=\"api\""), "{text}");

    // A batch: rows, ok and failed counted.
    let endpoint = &aimis::SERVICE.endpoints[0];
    let server = Server::start(vec![
        Reply::data(json!([])),
        Reply::Http(400, "text/html", canary_page.clone()),
    ]);
    let batch_client = client(&server, 0);
    let rows = [request(endpoint), request(endpoint)];
    aimis::batch::run(
        &BatchOptions {
            concurrency: 1,
            ..BatchOptions::default()
        },
        &aimis::SERVICE,
        rows.iter(),
        |row| batch_client.call_json(endpoint.name, row),
        |_| {},
    )
    .unwrap();
    let text = everything.take();
    assert_clean("batch", &text, &signatures);
    assert!(text.contains("rows=2 ok=1 failed=1"), "{text}");

    // Callbacks, accepted and refused.
    let verifier =
        CallbackVerifier::new(support::credentials()).clock(Arc::new(FixedClock(NOW_MS)));
    let body = canary_callback().to_string();
    let timestamp = NOW_MS.to_string();
    for headers in [
        [
            ("appId", APP_ID),
            ("timestamp", timestamp.as_str()),
            ("signature", signature.as_str()),
        ],
        [
            ("appId", APP_ID),
            ("timestamp", timestamp.as_str()),
            ("signature", LINK),
        ],
    ] {
        let _ = verifier.verify::<aimis::StudyStatusCallback, _, _>(headers, body.as_bytes());
    }
    let text = everything.take();
    assert_clean("callback", &text, &signatures);
    assert!(text.contains("callback verified"), "{text}");
    assert!(text.contains("reason=\"bad_signature\""), "{text}");
}
