//! The exact request each endpoint puts on the wire, with a fixed clock.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::json;
use support::{Recorded, Reply, Server, client};

/// The request exactly as received, with the ephemeral port and the crate version masked.
fn render(request: &Recorded) -> String {
    let mut out = format!("{}\n", request.request_line);
    for (name, value) in &request.headers {
        let value = match name.to_ascii_lowercase().as_str() {
            "host" => value.split(':').next().unwrap().to_owned() + ":[port]",
            "user-agent" => value.replace(env!("CARGO_PKG_VERSION"), "[version]"),
            _ => value.clone(),
        };
        out.push_str(&format!("{name}: {value}\n"));
    }
    out + "\n" + &request.body
}

#[test]
fn patient_studies() {
    let server = Server::start(vec![Reply::data(json!([]))]);
    client(&server)
        .patient_studies(&support::studies_request())
        .unwrap();
    insta::assert_snapshot!(render(&server.requests()[0]));
}

#[test]
fn patient_consultations() {
    let server = Server::start(vec![Reply::data(json!({"h5Url": "https://example.com/c"}))]);
    client(&server)
        .patient_consultations(&support::consultations_request())
        .unwrap();
    insta::assert_snapshot!(render(&server.requests()[0]));
}

#[test]
fn patient_report_url() {
    let server = Server::start(vec![Reply::data(
        json!({"h5Url": "a", "h5DetailUrl": "b", "studyId": "c"}),
    )]);
    client(&server)
        .patient_report_url(&support::report_url_request())
        .unwrap();
    insta::assert_snapshot!(render(&server.requests()[0]));
}

#[test]
fn the_dynamic_entry_point_sends_the_same_bytes_as_the_typed_call() {
    let server = Server::start(vec![Reply::data(json!([]))]);
    let client = client(&server);
    client.patient_studies(&support::studies_request()).unwrap();
    let request = json!({
        "phoneNum": "13800138000", "idNum": "110101199003074518", "hisId": "HIS0001",
        "patientName": "张三", "hospitalId": "H0001", "unionId": "U0001",
        "studyType": "radiology", "dataFlag": 0, "usage": "DoctorView",
        "studyDateBegin": "2025-01-01 00:00:00", "studyDateEnd": "2025-12-31 23:59:59",
    });
    client.call_json("patient-studies", &request).unwrap();
    let requests = server.requests();
    assert_eq!(requests[0].body, requests[1].body);
    assert_eq!(requests[0].headers, requests[1].headers);
}

/// A clock a second later at each reading.
#[derive(Debug)]
struct Ticking(AtomicU64);

impl aimis::Clock for Ticking {
    fn now_millis(&self) -> u64 {
        self.0.fetch_add(1000, Ordering::Relaxed)
    }
}

#[test]
fn each_attempt_is_signed_anew_and_sends_what_prepare_shows() {
    let server = Server::start(vec![
        Reply::Http(503, "text/plain", "busy".into()),
        Reply::data(json!([])),
    ]);
    let client = aimis::Client::builder(support::credentials())
        .base_url(&server.url)
        .clock(Arc::new(Ticking(AtomicU64::new(support::NOW_MS))))
        .retry(aimis::RetryPolicy {
            max_retries: 1,
            initial_backoff: Duration::from_millis(1),
            ..aimis::RetryPolicy::default()
        })
        .build()
        .unwrap();
    let request = support::studies_request();
    let prepared = client.prepare(&request).unwrap();
    client.patient_studies(&request).unwrap();

    let [first, second] = &server.requests()[..] else {
        panic!("two attempts")
    };
    // prepare read the clock at NOW_MS; the attempts at the next two seconds.
    for (attempt, at) in [
        (first, support::NOW_MS + 1000),
        (second, support::NOW_MS + 2000),
    ] {
        let timestamp = at.to_string();
        assert_eq!(attempt.header("timestamp"), Some(timestamp.as_str()));
        let signature = aimis::sign(support::APP_ID, support::TOKEN, &timestamp).unwrap();
        assert_eq!(attempt.header("signature"), Some(signature.as_str()));
        assert_eq!(attempt.body.as_bytes(), prepared.body());
        let path = prepared.url().strip_prefix(server.url.as_str()).unwrap();
        assert_eq!(attempt.request_line, format!("POST {path} HTTP/1.1"));
        for (name, value) in prepared
            .headers()
            .filter(|(name, _)| !matches!(*name, "timestamp" | "signature"))
        {
            assert_eq!(attempt.header(name), Some(value), "{name}");
        }
    }
    assert_eq!(
        prepared.header("TIMESTAMP"),
        Some(support::NOW_MS.to_string().as_str())
    );
    let names: Vec<&str> = prepared.headers().map(|(name, _)| name).collect();
    assert_eq!(names, ["Content-Type", "appId", "timestamp", "signature"]);
}
