//! Every fault kind as the real client sees it: the right `aimis::Error`, and retries
//! that stop where the policy says (counted by the simulator's request log).

mod support;

use std::time::Duration;

use aimis::{Client, DataFlag, Error, RetryPolicy, StudyType};
use aimis_sim::{Fault, FaultKind, Simulator};
use support::*;

const TWO_RETRIES: RetryPolicy = RetryPolicy {
    max_retries: 2,
    initial_backoff: Duration::from_millis(1),
    max_backoff: Duration::from_millis(2),
};

fn with_fault(fault: &str) -> Simulator {
    Simulator::builder(credentials())
        .fault(fault.parse().unwrap())
        .spawn("127.0.0.1:0")
        .unwrap()
}

fn query(client: &Client) -> Result<Vec<aimis::Study>, Error> {
    client.patient_studies(&studies(StudyType::Radiology, DataFlag::All))
}

#[test]
fn http_5xx_is_retried_then_reported() {
    let sim = with_fault("status=503");
    let error = query(&client_with(&sim, TWO_RETRIES)).unwrap_err();
    assert!(
        matches!(error, Error::Http { status: 503, .. }),
        "{error:?}"
    );
    assert_eq!(sim.requests().len(), 3);
}

#[test]
fn a_passing_fault_is_ridden_out_by_the_retries() {
    let sim = with_fault("status=502,times=2");
    assert_eq!(query(&client_with(&sim, TWO_RETRIES)).unwrap().len(), 2);
    let codes: Vec<_> = sim.requests().iter().map(|r| r.code).collect();
    assert_eq!(codes, [None, None, Some(0)]);
}

#[test]
fn a_reset_connection_is_a_transport_error() {
    let sim = with_fault("reset");
    let error = query(&client_with(&sim, TWO_RETRIES)).unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(sim.requests().len(), 3);
    assert!(
        sim.requests()
            .iter()
            .all(|r| r.fault == Some(FaultKind::Reset))
    );
}

#[test]
fn a_truncated_body_is_a_transport_error() {
    let sim = with_fault("truncate");
    let error = query(&client_with(&sim, TWO_RETRIES)).unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(sim.requests().len(), 3);
}

#[test]
fn a_gateway_html_page_is_an_http_error_described_by_its_shape() {
    let sim = with_fault("html");
    let error = query(&client_with(&sim, TWO_RETRIES)).unwrap_err();
    match &error {
        Error::Http {
            status: 502,
            content_type: Some(media),
            length,
        } => assert!(media == "text/html" && *length > 0, "{error:?}"),
        other => panic!("{other:?}"),
    }
    assert!(!error.to_string().contains("<html>"), "{error}");
    assert_eq!(sim.requests().len(), 3);
}

#[test]
fn an_html_page_with_200_is_undecodable_and_not_retried() {
    let sim = with_fault("html=200");
    let error = query(&client_with(&sim, TWO_RETRIES)).unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert_eq!(sim.requests().len(), 1);
}

#[test]
fn a_wrong_content_type_does_not_stop_a_valid_envelope() {
    // The client judges the body, not the label: Miying gateways are known to mislabel.
    let sim = with_fault("content-type=text/html; charset=gbk");
    assert_eq!(query(&client_with(&sim, TWO_RETRIES)).unwrap().len(), 2);
    assert_eq!(sim.requests().len(), 1);
}

#[test]
fn latency_over_the_timeout_is_a_timeout() {
    let sim = with_fault("latency=3000");
    let client = Client::builder(credentials())
        .base_url(sim.base_url())
        .timeout(Duration::from_millis(300))
        .retry(RetryPolicy {
            max_retries: 1,
            ..TWO_RETRIES
        })
        .build()
        .unwrap();
    let error = query(&client).unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert_eq!(sim.requests().len(), 2);
}

#[test]
fn latency_under_the_timeout_is_only_slow() {
    let sim = with_fault("latency=50,times=1");
    assert_eq!(query(&client(&sim)).unwrap().len(), 2);
}

#[test]
fn probability_one_always_and_zero_never() {
    let sim = with_fault("status=500,probability=1");
    assert!(query(&client(&sim)).is_err());
    sim.clear_faults();
    sim.add_fault("status=500,probability=0".parse().unwrap())
        .unwrap();
    for _ in 0..5 {
        query(&client(&sim)).unwrap();
    }
}

#[test]
fn faults_can_target_one_endpoint() {
    let sim = with_fault("status=503,endpoint=patient-report-url");
    assert!(query(&client(&sim)).is_ok());
    let report = client(&sim).call_json(
        "patientReportUrl",
        &serde_json::json!({"reportId": "R0001", "phoneNum": PHONE, "idNum": ID_NUM, "hospitalId": "H0001"}),
    );
    assert!(
        matches!(report, Err(Error::Http { status: 503, .. })),
        "{report:?}"
    );
}

#[test]
fn faults_are_set_and_cleared_through_the_admin_routes() {
    let sim = sim();
    let admin = format!("{}/__admin/faults", sim.base_url());
    let bearer = format!("Bearer {}", sim.admin_token());
    let auth = [("Authorization", bearer.as_str())];
    let (status, listed) = post_raw(
        &admin,
        &auth,
        br#"{"kind":"status","status":503,"times":1}"#,
    );
    assert_eq!(status, 200, "{listed}");
    assert_eq!(listed[0]["kind"], "status");
    assert!(matches!(
        query(&client(&sim)),
        Err(Error::Http { status: 503, .. })
    ));
    assert!(query(&client(&sim)).is_ok());
    let (status, refused) = post_raw(
        &admin,
        &auth,
        br#"{"kind":"status","status":503,"probability":2}"#,
    );
    assert_eq!(status, 400, "{refused}");
    let (status, refused) = post_raw(&admin, &auth, br#"{"kind":"teleport"}"#);
    assert_eq!(status, 400, "{refused}");
    post_raw(&admin, &auth, br#"{"kind":"reset"}"#);
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    assert_eq!(
        agent
            .delete(&admin)
            .header("Authorization", &bearer)
            .call()
            .unwrap()
            .status()
            .as_u16(),
        200
    );
    assert!(query(&client(&sim)).is_ok());
}

#[test]
fn fault_strings_parse_and_refuse_clearly() {
    let fault: Fault = "latency=1500,times=2,probability=0.5,endpoint=patientStudies"
        .parse()
        .unwrap();
    assert_eq!(fault.kind, FaultKind::Latency { ms: 1500 });
    assert_eq!(
        (fault.times, fault.probability, fault.endpoint.as_deref()),
        (Some(2), Some(0.5), Some("patientStudies"))
    );
    assert_eq!(
        "html".parse::<Fault>().unwrap().kind,
        FaultKind::Html { status: 502 }
    );
    for (bad, says) in [
        ("teleport", "unknown kind"),
        ("latency", "needs a value"),
        ("status=99999", "not an HTTP status"),
        ("reset,probability=1.5", "from 0 to 1"),
        ("reset,often", "KEY=VALUE"),
        ("reset,when=now", "unknown option"),
    ] {
        let error = bad.parse::<Fault>().unwrap_err().to_string();
        assert!(error.contains(says), "{bad}: {error}");
    }
}
