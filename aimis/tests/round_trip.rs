//! The client against a scripted HTTP server on 127.0.0.1: decoding, platform errors,
//! retries, timeouts and broken answers.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use aimis::{Error, StudyType};
use serde_json::json;
use support::{Reply, Server, client};

fn study(study_type: i64) -> serde_json::Value {
    json!({
        "hisId": "HIS0001", "reportId": "R0001", "studyType": study_type,
        "studyDate": "2025-03-01 08:30:00", "studyId": "S0001", "bodyPart": "Chest",
        "studyName": "Chest CT", "h5Url": "https://pacs.example/r/R0001", "someNewField": true,
    })
}

#[test]
fn a_successful_query_decodes_into_typed_studies() {
    let server = Server::start(vec![Reply::data(json!([study(0), study(5)]))]);
    let studies = client(&server)
        .patient_studies(&support::studies_request())
        .unwrap();
    assert_eq!(studies.len(), 2);
    assert_eq!(studies[0].report_id.as_deref(), Some("R0001"));
    assert_eq!(studies[0].study_type, Some(StudyType::Radiology));
    assert_eq!(studies[1].study_type, Some(StudyType::Ultrasound));
    assert_eq!(studies[0].apply_doctor, None);
}

#[test]
fn an_unknown_enum_value_in_a_response_is_kept() {
    let server = Server::start(vec![Reply::data(json!([study(42)]))]);
    let studies = client(&server)
        .patient_studies(&support::studies_request())
        .unwrap();
    assert_eq!(studies[0].study_type, Some(StudyType::Unknown(42)));
    assert_eq!(studies[0].study_type.unwrap().code(), 42);
    let data = client(&server)
        .call_json("patientStudies", &plain_studies_request())
        .unwrap();
    assert_eq!(data[0]["studyType"], 42);
}

/// The JSON path (C, Python, the CLI) reads `data` straight into JSON; the typed path
/// into structs. For every answer of the shared vectors (which Python's suite runs
/// too), both give the vector's verdict: its data, which is the JSON the typed value
/// serialises to, or its error.
#[test]
fn the_json_path_reads_every_answer_as_the_typed_path_does() {
    let vectors: serde_json::Value =
        serde_json::from_str(include_str!("../../tests/vectors/answers.json")).unwrap();
    assert_eq!(vectors["endpoint"], "patientStudies");
    for case in vectors["cases"].as_array().unwrap() {
        let (name, body) = (&case["name"], case["body"].as_str().unwrap());
        let server = Server::start(vec![Reply::Http(200, "application/json", body.to_owned())]);
        let client = client(&server);
        let typed = client
            .patient_studies(&support::studies_request())
            .map(|studies| serde_json::to_value(&studies).unwrap());
        let plain = client.call_json("patientStudies", &plain_studies_request());
        for (path, outcome) in [("typed", typed), ("JSON", plain)] {
            match outcome {
                Ok(data) => assert_eq!(Some(&data), case.get("data"), "{path}: {name}"),
                Err(error) => {
                    let kind = match error {
                        Error::Api { .. } => "api",
                        Error::Decode { .. } => "decode",
                        _ => "other",
                    };
                    let expected = &case["error"];
                    assert_eq!(
                        (kind, error.to_string().as_str()),
                        (
                            expected["kind"].as_str().unwrap_or("none"),
                            expected["message"].as_str().unwrap_or("none")
                        ),
                        "{path}: {name}"
                    );
                }
            }
        }
    }
}

#[test]
fn null_or_missing_data_of_a_list_is_an_empty_list() {
    for body in [
        json!({"code": 0, "message": "ok", "data": null}),
        json!({"code": 0, "message": "ok"}),
    ] {
        let server = Server::start(vec![Reply::json(body)]);
        assert!(
            client(&server)
                .patient_studies(&support::studies_request())
                .unwrap()
                .is_empty()
        );
    }
}

#[test]
fn every_named_platform_error_keeps_its_code_message_and_name() {
    for def in aimis::SERVICE.error_codes {
        let server = Server::start(vec![Reply::api_error(def.code, "platform says no")]);
        let error = client(&server)
            .patient_report_url(&support::report_url_request())
            .unwrap_err();
        match &error {
            Error::Api {
                code,
                name,
                message,
            } => {
                assert_eq!(
                    (*code, *name, message.as_str()),
                    (def.code, Some(def.name), "platform says no")
                );
            }
            other => panic!("expected an API error, got {other:?}"),
        }
        assert_eq!(
            error.to_string(),
            format!("AIMIS error {} ({}): platform says no", def.code, def.name)
        );
        assert_eq!(aimis::ApiCode::from_code(def.code).name(), Some(def.name));
        assert_eq!(
            server.requests().len(),
            1,
            "API errors are answers, not retried"
        );
    }
}

#[test]
fn an_unnamed_platform_error_keeps_its_raw_code() {
    let server = Server::start(vec![Reply::api_error(777, "new failure")]);
    let error = client(&server)
        .patient_report_url(&support::report_url_request())
        .unwrap_err();
    assert_eq!(error.api_code(), Some(777));
    assert_eq!(error.to_string(), "AIMIS error 777: new failure");
    assert_eq!(aimis::ApiCode::from_code(777), aimis::ApiCode::Other(777));
}

#[test]
fn a_5xx_is_retried_and_then_succeeds_with_a_fresh_signature_each_time() {
    let server = Server::start(vec![
        Reply::Http(503, "text/plain", "busy".into()),
        Reply::Http(502, "text/html", "<html>bad gateway</html>".into()),
        Reply::data(json!({"h5Url": "https://example.com/c"})),
    ]);
    let client = aimis::Client::builder(support::credentials())
        .base_url(&server.url)
        .clock(Arc::new(Ticking(AtomicU64::new(support::NOW_MS))))
        .retry(aimis::RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(5),
        })
        .build()
        .unwrap();
    let list = client
        .patient_consultations(&support::consultations_request())
        .unwrap();
    assert_eq!(
        list.h5_url.as_ref().map(aimis::Pii::expose),
        Some("https://example.com/c")
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let stamps: Vec<_> = requests
        .iter()
        .map(|r| r.header("timestamp").unwrap())
        .collect();
    assert_eq!(stamps, ["1741338450000", "1741338451000", "1741338452000"]);
    // Each attempt is what `prepare` shows, but for its own timestamp and signature.
    let prepared = support::client(&server)
        .prepare(&support::consultations_request())
        .unwrap();
    let path = prepared.url().strip_prefix(server.url.as_str()).unwrap();
    for attempt in &requests {
        let timestamp = attempt.header("timestamp").unwrap();
        let signature = aimis::sign(support::APP_ID, support::TOKEN, timestamp).unwrap();
        assert_eq!(attempt.header("signature"), Some(signature.as_str()));
        assert_eq!(attempt.request_line, format!("POST {path} HTTP/1.1"));
        assert_eq!(attempt.body.as_bytes(), prepared.body());
        for (name, value) in prepared.headers() {
            if !matches!(name, "timestamp" | "signature") {
                assert_eq!(attempt.header(name), Some(value), "{name}");
            }
        }
    }
}

#[test]
fn retries_are_bounded_and_the_last_status_is_reported() {
    let server = Server::start(vec![Reply::Http(
        503,
        "text/html; charset=utf-8",
        "<html><body>Chest CT of 张三</body></html>".into(),
    )]);
    let error = client(&server)
        .patient_consultations(&support::consultations_request())
        .unwrap_err();
    assert_eq!(server.requests().len(), 3, "one try and two retries");
    assert_eq!(
        error.to_string(),
        "HTTP status 503 from the platform (text/html, 44 bytes)"
    );
}

#[test]
fn only_what_a_retry_can_fix_is_retried() {
    for (status, tries) in [(500, 1), (501, 1), (400, 1), (429, 3), (502, 3), (504, 3)] {
        let server = Server::start(vec![Reply::Http(status, "text/plain", "no".into())]);
        let error = client(&server)
            .patient_consultations(&support::consultations_request())
            .unwrap_err();
        assert!(matches!(error, Error::Http { status: s, .. } if s == status));
        assert_eq!(server.requests().len(), tries, "HTTP {status}");
    }
}

#[test]
fn a_4xx_is_not_retried() {
    let server = Server::start(vec![Reply::Http(404, "text/plain", "no such path".into())]);
    let error = client(&server)
        .patient_consultations(&support::consultations_request())
        .unwrap_err();
    assert!(matches!(error, Error::Http { status: 404, .. }));
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_dropped_connection_is_a_transport_error_after_the_retries() {
    let server = Server::start(vec![Reply::Hangup]);
    let error = client(&server)
        .patient_consultations(&support::consultations_request())
        .unwrap_err();
    assert_eq!(
        error.transport_kind(),
        Some(aimis::TransportKind::ConnectionReset),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn a_refused_connection_is_its_own_kind() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let error = aimis::Client::builder(support::credentials())
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry(aimis::RetryPolicy::NONE)
        .build()
        .unwrap()
        .patient_consultations(&support::consultations_request())
        .unwrap_err();
    assert_eq!(
        error.transport_kind(),
        Some(aimis::TransportKind::ConnectionRefused),
        "{error:?}"
    );
}

#[test]
fn an_answer_over_the_size_limit_is_read_once_and_not_retried() {
    let huge = "x".repeat(17 * 1024 * 1024);
    let server = Server::start(vec![Reply::Http(200, "application/json", huge)]);
    let error = client(&server)
        .patient_consultations(&support::consultations_request())
        .unwrap_err();
    assert_eq!(
        error.transport_kind(),
        Some(aimis::TransportKind::BodyTooLarge),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_429_is_retried_after_its_retry_after() {
    let server = Server::start(vec![
        Reply::TooMany("1"),
        Reply::data(json!({"h5Url": "https://pacs.example/c"})),
    ]);
    let started = std::time::Instant::now();
    let answer = client(&server).patient_consultations(&support::consultations_request());
    assert!(answer.is_ok(), "{answer:?}");
    assert_eq!(server.requests().len(), 2);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was honoured"
    );
}

#[test]
fn a_429_asking_for_too_long_a_wait_is_returned_at_once() {
    let server = Server::start(vec![Reply::TooMany("3600")]);
    let error = client(&server)
        .patient_consultations(&support::consultations_request())
        .unwrap_err();
    assert!(
        matches!(error, Error::Http { status: 429, .. }),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_dropped_connection_then_an_answer_succeeds() {
    let server = Server::start(vec![Reply::Hangup, Reply::data(json!({"h5Url": "u"}))]);
    assert!(
        client(&server)
            .patient_consultations(&support::consultations_request())
            .is_ok()
    );
}

#[test]
fn a_slow_platform_times_out() {
    let slow = Reply::Delayed(
        Duration::from_secs(3),
        Box::new(Reply::data(json!({"h5Url": "u"}))),
    );
    let server = Server::start(vec![slow]);
    let client = aimis::Client::builder(support::credentials())
        .base_url(&server.url)
        .timeout(Duration::from_millis(300))
        .retry(aimis::RetryPolicy::NONE)
        .build()
        .unwrap();
    let error = client
        .patient_consultations(&support::consultations_request())
        .unwrap_err();
    assert!(
        matches!(error, Error::Timeout(d) if d == Duration::from_millis(300)),
        "{error:?}"
    );
    assert!(error.is_transient());
}

#[test]
fn a_non_json_answer_is_a_decode_error_described_by_its_shape() {
    let server = Server::start(vec![Reply::Http(
        200,
        "text/html",
        "<html>maintenance</html>".into(),
    )]);
    let error = client(&server)
        .patient_consultations(&support::consultations_request())
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "undecodable response: the response is not a JSON object (text/html, 24 bytes)"
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn json_under_a_wrong_content_type_is_still_read() {
    let body = json!({"code": 0, "message": "ok", "data": {"h5Url": "u"}}).to_string();
    let server = Server::start(vec![Reply::Http(200, "text/plain", body)]);
    assert!(
        client(&server)
            .patient_consultations(&support::consultations_request())
            .is_ok()
    );
}

#[test]
fn an_envelope_without_a_code_is_a_decode_error() {
    let server = Server::start(vec![Reply::json(json!({"data": {"h5Url": "u"}}))]);
    let error = client(&server)
        .patient_consultations(&support::consultations_request())
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "undecodable response: the response has no integer `code`"
    );
}

#[test]
fn data_of_the_wrong_shape_is_a_decode_error() {
    let server = Server::start(vec![Reply::data(json!("not an object"))]);
    let error = client(&server)
        .patient_report_url(&support::report_url_request())
        .unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert!(!error.to_string().contains("not an object"), "{error}");
}

#[test]
fn a_field_of_the_wrong_type_is_named_by_its_place_not_its_value() {
    let mut bad = study(0);
    bad["studyName"] = json!(13800138000u64);
    let server = Server::start(vec![Reply::data(json!([study(0), bad]))]);
    let error = client(&server)
        .patient_studies(&support::studies_request())
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "undecodable response: `patientStudies` data does not fit the spec: at [1].studyName: found an integer where a string was expected"
    );
}

#[test]
fn invalid_requests_are_refused_before_anything_is_sent() {
    let server = Server::start(vec![Reply::data(json!([]))]);
    let client = client(&server);
    let mut request = support::studies_request();
    request.study_date_end = "2024-12-31 23:59:59".into();
    let error = client.patient_studies(&request).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid request: field `studyDateEnd` must not be before `studyDateBegin`"
    );
    let error = client
        .call_json("patientStudies", &json!({"phoneNum": "13800138000"}))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid request: field `idNum` is required"
    );
    assert!(server.requests().is_empty());
}

#[test]
fn an_unknown_endpoint_names_the_known_ones() {
    let server = Server::start(vec![Reply::data(json!([]))]);
    let error = client(&server)
        .call_json("patientImages", &json!({}))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "unknown endpoint `patientImages`; expected one of: patientStudies, patientConsultations, patientReportUrl"
    );
}

#[test]
fn one_client_serves_many_threads() {
    let server = Server::start(vec![Reply::data(json!({"h5Url": "u"}))]);
    let client = Arc::new(client(&server));
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let client = Arc::clone(&client);
            std::thread::spawn(move || {
                client
                    .patient_consultations(&support::consultations_request())
                    .unwrap()
            })
        })
        .collect();
    for handle in handles {
        assert_eq!(
            handle
                .join()
                .unwrap()
                .h5_url
                .as_ref()
                .map(aimis::Pii::expose),
            Some("u")
        );
    }
    assert_eq!(server.requests().len(), 8);
}

#[test]
fn plain_http_is_refused_beyond_loopback_unless_allowed() {
    let build = |url: &str, allow: bool| {
        aimis::Client::builder(support::credentials())
            .base_url(url)
            .allow_insecure_http(allow)
            .build()
            .map(|_| ())
    };
    assert!(build("http://127.0.0.1:8080", false).is_ok());
    assert!(build("http://localhost:8080", false).is_ok());
    assert!(build("http://[::1]:8080", false).is_ok());
    assert!(build("https://pacs.qq.com", false).is_ok());
    let error = build("http://pacs.qq.com", false).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("plain http is allowed only to loopback hosts"),
        "{error}"
    );
    assert!(build("http://10.0.0.5", true).is_ok());
    assert!(matches!(
        build("ftp://pacs.qq.com", true),
        Err(Error::Config { .. })
    ));
    assert!(matches!(
        build("pacs.qq.com", false),
        Err(Error::Config { .. })
    ));
}

#[test]
fn the_default_base_url_is_production() {
    let client = aimis::Client::new(support::credentials()).unwrap();
    assert_eq!(client.base_url(), aimis::PRODUCTION_BASE_URL);
    assert_eq!(aimis::PRODUCTION_BASE_URL, "https://pacs.qq.com");
    assert_eq!(aimis::TEST_BASE_URL, "https://test.pacs.qq.com");
}

#[test]
fn a_bad_ca_bundle_or_proxy_is_a_configuration_error() {
    let creds = support::credentials;
    let no_cert = aimis::Client::builder(creds())
        .add_root_certificates_pem("not a pem")
        .build();
    assert!(matches!(no_cert, Err(Error::Config { .. })));
    let bad_proxy = aimis::Client::builder(creds())
        .proxy("::not a url::")
        .build();
    assert!(matches!(bad_proxy, Err(Error::Config { .. })));
}

fn plain_studies_request() -> serde_json::Value {
    json!({
        "phoneNum": "13800138000", "idNum": "110101199003074518", "hospitalId": "H0001",
        "unionId": "U0001", "studyType": 0, "dataFlag": 0, "usage": 0,
        "studyDateBegin": "2025-01-01 00:00:00", "studyDateEnd": "2025-12-31 23:59:59",
    })
}

/// A clock that moves on a second each time it is read.
#[derive(Debug)]
struct Ticking(AtomicU64);

impl aimis::Clock for Ticking {
    fn now_millis(&self) -> u64 {
        self.0.fetch_add(1000, Ordering::SeqCst)
    }
}

#[test]
fn a_connect_timeout_reports_the_connect_limit() {
    // A listener that never accepts, its queue filled: connecting hangs.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mut held = Vec::new();
    while let Ok(stream) = std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
        held.push(stream);
        assert!(held.len() < 10_000, "the accept queue never filled");
    }
    let error = aimis::Client::builder(support::credentials())
        .base_url(format!("http://{addr}"))
        .connect_timeout(Duration::from_millis(300))
        .timeout(Duration::from_secs(10))
        .retry(aimis::RetryPolicy::NONE)
        .build()
        .unwrap()
        .patient_consultations(&support::consultations_request())
        .unwrap_err();
    assert!(
        matches!(error, Error::Timeout(limit) if limit == Duration::from_millis(300)),
        "{error:?}"
    );
}

#[test]
fn user_agent_products_add_up() {
    let server = Server::start(vec![Reply::data(json!({"h5Url": "u"}))]);
    aimis::Client::builder(support::credentials())
        .base_url(&server.url)
        .user_agent_product("aimis-python/0.1.0")
        .user_agent_product("my-his/4.2")
        .build()
        .unwrap()
        .patient_consultations(&support::consultations_request())
        .unwrap();
    let agent = server.requests()[0]
        .header("user-agent")
        .unwrap()
        .to_owned();
    assert!(agent.starts_with("aimis-rust/"), "{agent}");
    assert!(agent.ends_with(" aimis-python/0.1.0 my-his/4.2"), "{agent}");
}

/// `stop` for [`aimis::interruptible`]: true once `server` has received a request.
fn once_received(server: &Server) -> impl Fn() -> bool + 'static {
    let requests = server.requests_handle();
    move || !requests.lock().unwrap().is_empty()
}

#[test]
fn an_interrupted_call_ends_while_it_waits_and_its_answer_reaches_nobody() {
    let held = Duration::from_secs(30);
    let server = Server::start(vec![
        Reply::Delayed(held, Box::new(Reply::data(json!({"h5Url": "late"})))),
        Reply::data(json!({"h5Url": "on time"})),
    ]);
    let client = client(&server);
    let started = std::time::Instant::now();
    let error = aimis::interruptible(once_received(&server), || {
        client.patient_consultations(&support::consultations_request())
    })
    .unwrap_err();
    assert!(matches!(error, Error::Interrupted), "{error:?}");
    assert_eq!(error.kind(), "interrupted");
    assert!(started.elapsed() < held, "ended only when the answer came");
    // The next call, not interruptible, is answered on a connection of its own.
    let answer = client
        .patient_consultations(&support::consultations_request())
        .unwrap();
    assert_eq!(answer.h5_url.unwrap().expose(), "on time");
}

#[test]
fn an_interrupted_call_does_not_wait_out_a_retry_after() {
    let server = Server::start(vec![
        Reply::TooMany("30"),
        Reply::data(json!({"h5Url": "u"})),
    ]);
    let client = client(&server);
    let started = std::time::Instant::now();
    let error = aimis::interruptible(once_received(&server), || {
        client.patient_consultations(&support::consultations_request())
    })
    .unwrap_err();
    assert!(matches!(error, Error::Interrupted), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "waited out Retry-After"
    );
    assert_eq!(server.requests().len(), 1, "nothing more was sent");
}
