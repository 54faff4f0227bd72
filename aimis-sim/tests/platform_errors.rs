//! Each platform error code, for each reason, through the real client where it can
//! cause it and through raw HTTP where only a broken client could. Bad input never
//! gets an HTTP 500, and no message repeats a value.

mod support;

use std::sync::Arc;

use aimis::{
    Client, Credentials, DataFlag, Error, FixedClock, PatientReportUrlRequest, RetryPolicy,
    StudyType,
};
use serde_json::{Value, json};
use support::*;

fn api_code(result: Result<impl std::fmt::Debug, Error>) -> (i64, String) {
    match result {
        Err(Error::Api { code, message, .. }) => (code, message),
        other => panic!("expected an API error, got {other:?}"),
    }
}

fn report(report_id: &str, phone: &str, id_num: &str) -> PatientReportUrlRequest {
    PatientReportUrlRequest {
        report_id: report_id.into(),
        phone_num: phone.into(),
        id_num: id_num.into(),
        hospital_id: "H0001".into(),
    }
}

fn report_url(sim: &aimis_sim::Simulator, app_id: &str) -> String {
    format!("{}/thirdparty/patientReportUrl/{app_id}", sim.base_url())
}

fn as_pairs(headers: &[(String, String)]) -> Vec<(&str, &str)> {
    headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

#[test]
fn unknown_app_is_90001() {
    let sim = sim();
    let stranger = Client::builder(Credentials::new("other-app", TOKEN).unwrap())
        .base_url(sim.base_url())
        .build()
        .unwrap();
    let (code, message) = api_code(stranger.patient_report_url(&report("R0001", PHONE, ID_NUM)));
    assert_eq!(code, 90001);
    assert!(message.contains("appId"), "{message}");
}

#[test]
fn app_id_header_must_match_the_path() {
    let sim = sim();
    let mut headers = signed_headers(APP_ID, TOKEN, now_ms());
    headers[1].1 = "other-app".into();
    let (status, body) = post_raw(
        &report_url(&sim, APP_ID),
        &as_pairs(&headers),
        &report_body(json!({})),
    );
    assert_eq!(
        (status, body["code"].as_i64()),
        (200, Some(90001)),
        "{body}"
    );
    headers.remove(1);
    let (_, body) = post_raw(
        &report_url(&sim, APP_ID),
        &as_pairs(&headers),
        &report_body(json!({})),
    );
    assert_eq!(body["code"], 90001, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("missing `appId`"),
        "{body}"
    );
}

#[test]
fn wrong_token_is_90002() {
    let sim = sim();
    let wrong =
        Client::builder(Credentials::new(APP_ID, "fedcba9876543210fedcba9876543210").unwrap())
            .base_url(sim.base_url())
            .build()
            .unwrap();
    let (code, message) = api_code(wrong.patient_report_url(&report("R0001", PHONE, ID_NUM)));
    assert_eq!(code, 90002);
    assert!(
        !message.contains("fedcba") && !message.contains(TOKEN),
        "{message}"
    );
}

#[test]
fn timestamps_more_than_five_minutes_away_are_90002() {
    let sim = sim();
    let at = |offset_ms: i64| {
        Client::builder(credentials())
            .base_url(sim.base_url())
            .clock(Arc::new(FixedClock(
                now_ms().checked_add_signed(offset_ms).unwrap(),
            )))
            .build()
            .unwrap()
            .patient_report_url(&report("R0001", PHONE, ID_NUM))
    };
    let minute = 60_000;
    assert_eq!(api_code(at(-6 * minute)).0, 90002);
    assert_eq!(api_code(at(6 * minute)).0, 90002);
    // Well inside the window either way: accepted.
    assert!(at(-4 * minute).is_ok());
    assert!(at(4 * minute).is_ok());
}

#[test]
fn missing_or_malformed_signature_headers_are_90002() {
    let sim = sim();
    let url = report_url(&sim, APP_ID);
    let body = report_body(json!({}));
    for (drop_header, mangle) in [
        ("signature", None),
        ("timestamp", None),
        ("", Some(("timestamp", "soon"))),
        ("", Some(("signature", "00"))),
    ] {
        let mut headers = signed_headers(APP_ID, TOKEN, now_ms());
        headers.retain(|(k, _)| k != drop_header);
        if let Some((name, value)) = mangle {
            headers
                .iter_mut()
                .filter(|(k, _)| k == name)
                .for_each(|(_, v)| *v = value.into());
        }
        let (status, answer) = post_raw(&url, &as_pairs(&headers), &body);
        assert_eq!(
            (status, answer["code"].as_i64()),
            (200, Some(90002)),
            "{drop_header} {mangle:?}: {answer}"
        );
    }
}

#[test]
fn parameter_errors_name_the_field_and_never_the_value() {
    let sim = sim();
    let url = report_url(&sim, APP_ID);
    let other_token = "fedcba9876543210fedcba9876543210";
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (report_body(json!({"hospitalId": null})), "hospitalId"),
        (report_body(json!({"reportId": "  "})), "reportId"),
        (report_body(json!({"reportId": 17})), "reportId"),
        (
            report_body(json!({"phoneNum": "not hex at all"})),
            "phoneNum",
        ),
        (
            report_body(json!({"idNum": aimis::encrypt_field(other_token, ID_NUM).unwrap()})),
            "idNum",
        ),
        (report_body(json!({"phoneNum": "abcd"})), "phoneNum"),
    ];
    for (body, field) in cases {
        let headers = signed_headers(APP_ID, TOKEN, now_ms());
        let (status, answer) = post_raw(&url, &as_pairs(&headers), &body);
        assert_eq!(
            (status, answer["code"].as_i64()),
            (200, Some(1)),
            "{field}: {answer}"
        );
        let message = answer["message"].as_str().unwrap();
        assert!(message.contains(&format!("`{field}`")), "{message}");
        for secret in [PHONE, ID_NUM, "not hex", "R0001", "abcd"] {
            assert!(!message.contains(secret), "{message}");
        }
        assert!(answer["data"].is_null());
    }
}

#[test]
fn spec_rules_are_parameter_errors_too() {
    let sim = sim();
    let client = client(&sim);
    let url = format!("{}/thirdparty/patientStudies/{APP_ID}", sim.base_url());
    // What the client refuses to send, sent raw: a date that is not a date, dates out
    // of order, an unknown enum value.
    let base = |overrides: Value| {
        let request = studies(StudyType::Radiology, DataFlag::All);
        let prepared = client.prepare(&request).unwrap();
        let mut body: Value = serde_json::from_slice(prepared.body()).unwrap();
        for (k, v) in overrides.as_object().unwrap() {
            body[k] = v.clone();
        }
        serde_json::to_vec(&body).unwrap()
    };
    for (overrides, field) in [
        (
            json!({"studyDateBegin": "2025-02-30 00:00:00"}),
            "studyDateBegin",
        ),
        (
            json!({"studyDateEnd": "2024-12-31 23:59:59"}),
            "studyDateEnd",
        ),
        (json!({"dataFlag": 9}), "dataFlag"),
        (json!({"studyType": "Radiology"}), "studyType"),
    ] {
        let headers = signed_headers(APP_ID, TOKEN, now_ms());
        let (_, answer) = post_raw(&url, &as_pairs(&headers), &base(overrides));
        assert_eq!(answer["code"], 1, "{answer}");
        assert!(
            answer["message"]
                .as_str()
                .unwrap()
                .contains(&format!("`{field}`")),
            "{answer}"
        );
    }
}

#[test]
fn nothing_found_is_10003() {
    let sim = sim();
    let client = client(&sim);
    // Unknown patient; a known phone with another ID; a report of another patient; no such report.
    for request in [
        report("R0001", "13000000000", ID_NUM),
        report("R0001", PHONE, "310104198507153218"),
        report("R0101", PHONE, ID_NUM),
        report("R9999", PHONE, ID_NUM),
    ] {
        assert_eq!(api_code(client.patient_report_url(&request)).0, 10003);
    }
    let consultation = |his_id: &str| aimis::PatientConsultationsRequest {
        his_id: his_id.into(),
        phone_num: PHONE.into(),
        id_num: ID_NUM.into(),
        hospital_id: "H0001".into(),
        union_id: "U0001".into(),
        ..Default::default()
    };
    assert_eq!(
        api_code(client.patient_consultations(&consultation("HIS9999"))).0,
        10003
    );
    let mut stranger = studies(StudyType::Radiology, DataFlag::All);
    stranger.phone_num = "13000000000".into();
    assert_eq!(api_code(client.patient_studies(&stranger)).0, 10003);
}

#[test]
fn garbage_never_gets_a_500() {
    let sim = sim();
    let url = report_url(&sim, APP_ID);
    let bodies: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"null".to_vec(),
        b"[1,2,3]".to_vec(),
        b"{\"reportId\":".to_vec(),
        vec![0xff, 0xfe, 0x00, 0x7b],
        br#"{"reportId":{"nested":true},"phoneNum":[],"idNum":1e400,"hospitalId":null}"#.to_vec(),
        "{\"reportId\":\"\u{0}\",\"phoneNum\":\"\u{fffd}\"}"
            .as_bytes()
            .to_vec(),
    ];
    for body in bodies {
        let headers = signed_headers(APP_ID, TOKEN, now_ms());
        let (status, answer) = post_raw(&url, &as_pairs(&headers), &body);
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["code"], 1, "{answer}");
    }
    let (status, _) = post_raw(
        &format!("{}/thirdparty/noSuchThing/{APP_ID}", sim.base_url()),
        &[],
        b"{}",
    );
    assert_eq!(status, 404);
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    assert_eq!(agent.get(&url).call().unwrap().status().as_u16(), 405);
}

#[test]
fn the_request_log_counts_requests_and_codes() {
    let sim = sim();
    let client = client_with(&sim, RetryPolicy::NONE);
    client
        .patient_report_url(&report("R0001", PHONE, ID_NUM))
        .unwrap();
    let _ = client.patient_report_url(&report("R9999", PHONE, ID_NUM));
    let codes: Vec<_> = sim
        .requests()
        .iter()
        .map(|r| (r.endpoint, r.code))
        .collect();
    assert_eq!(
        codes,
        [
            ("patientReportUrl", Some(0)),
            ("patientReportUrl", Some(10003))
        ]
    );
}
