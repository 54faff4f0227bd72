//! Verifying the platform's status callbacks: the good one and every way to be refused.

mod support;

use std::sync::Arc;
use std::time::Duration;

use aimis::crypto::{FieldCipher, Signer};
use aimis::message::Message;
use aimis::{
    CallbackError, CallbackVerifier, Error, FixedClock, StudyStatus, StudyStatusCallback,
    StudyType, Token,
};
use serde_json::{Value, json};
use support::{APP_ID, NOW_MS, TOKEN};

fn callback() -> StudyStatusCallback {
    StudyStatusCallback {
        status: StudyStatus::ReportReady,
        phone_num: "13800138000".into(),
        id_num: "110101199003074518".into(),
        patient_id: "P0001".into(),
        hospital_id: "H0001".into(),
        his_id: Some("HIS0001".into()),
        study_type: StudyType::Radiology,
        study_date: "2025-03-01 08:30:00".into(),
        study_id: "S0001".into(),
        body_part: None,
        study_name: Some("Chest CT".into()),
        h5_url: "https://pacs.example/r/R0001".into(),
        h5_detail_url: "https://pacs.example/i/R0001".into(),
        report_id: "R0001".into(),
    }
}

/// The body as the platform sends it: patient fields encrypted.
fn body() -> Value {
    let token = Token::new(TOKEN).unwrap();
    let cipher = FieldCipher::new(&token, &aimis::SERVICE.cipher);
    serde_json::from_slice(&callback().seal(&cipher)).unwrap()
}

fn headers(timestamp_ms: u64) -> Vec<(String, String)> {
    let token = Token::new(TOKEN).unwrap();
    let timestamp = timestamp_ms.to_string();
    let signature = Signer::new(&token, &aimis::SERVICE.auth).sign(APP_ID, &timestamp);
    vec![
        ("appId".into(), APP_ID.into()),
        ("timestamp".into(), timestamp),
        ("signature".into(), signature),
    ]
}

fn verifier() -> CallbackVerifier {
    CallbackVerifier::new(support::credentials()).clock(Arc::new(FixedClock(NOW_MS)))
}

fn verify(headers: Vec<(String, String)>, body: &Value) -> Result<StudyStatusCallback, Error> {
    verifier().verify(headers, body.to_string().as_bytes())
}

fn refusal(headers: Vec<(String, String)>, body: &Value) -> CallbackError {
    match verify(headers, body) {
        Err(Error::Callback(reason)) => reason,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_good_callback_is_verified_and_decrypted() {
    let verified = verify(headers(NOW_MS - 1000), &body()).unwrap();
    assert_eq!(verified, callback());
    assert_eq!(verified.phone_num.expose(), "13800138000");
}

#[test]
fn the_body_on_the_wire_holds_ciphertext_only() {
    let body = body();
    assert_eq!(body["phoneNum"], "554fb5befba4daabdb8169e45db64485");
    assert!(!body.to_string().contains("13800138000"));
}

#[test]
fn header_names_match_in_any_case() {
    let shouting = headers(NOW_MS)
        .into_iter()
        .map(|(k, v)| (k.to_uppercase(), v))
        .collect();
    assert!(verify(shouting, &body()).is_ok());
    let lower = headers(NOW_MS)
        .into_iter()
        .map(|(k, v)| (k.to_lowercase(), v))
        .collect();
    assert!(verify(lower, &body()).is_ok());
}

#[test]
fn a_bad_signature_is_refused() {
    let mut forged = headers(NOW_MS);
    forged[2].1 = Signer::new(
        &Token::new("fedcba9876543210fedcba9876543210").unwrap(),
        &aimis::SERVICE.auth,
    )
    .sign(APP_ID, &NOW_MS.to_string());
    assert_eq!(refusal(forged, &body()), CallbackError::BadSignature);
    let mut garbage = headers(NOW_MS);
    garbage[2].1 = "not a signature".into();
    assert_eq!(refusal(garbage, &body()), CallbackError::BadSignature);
}

#[test]
fn a_signature_for_another_timestamp_is_refused() {
    let mut moved = headers(NOW_MS);
    moved[1].1 = (NOW_MS - 1).to_string();
    assert_eq!(refusal(moved, &body()), CallbackError::BadSignature);
}

#[test]
fn another_app_id_is_refused() {
    let mut other = headers(NOW_MS);
    other[0].1 = "someone-else".into();
    assert_eq!(refusal(other, &body()), CallbackError::AppIdMismatch);
}

#[test]
fn stale_and_future_timestamps_are_refused_outside_the_window() {
    assert!(verify(headers(NOW_MS - 300_000), &body()).is_ok());
    assert!(verify(headers(NOW_MS + 300_000), &body()).is_ok());
    assert_eq!(
        refusal(headers(NOW_MS - 300_001), &body()),
        CallbackError::Stale(Duration::from_millis(300_001))
    );
    assert_eq!(
        refusal(headers(NOW_MS + 300_001), &body()),
        CallbackError::FromFuture(Duration::from_millis(300_001))
    );
}

#[test]
fn the_window_is_configurable() {
    let strict = verifier().max_skew(Duration::from_secs(10));
    let result: Result<StudyStatusCallback, _> =
        strict.verify(headers(NOW_MS - 11_000), body().to_string().as_bytes());
    assert!(matches!(
        result,
        Err(Error::Callback(CallbackError::Stale(_)))
    ));
}

#[test]
fn missing_or_malformed_headers_are_named() {
    let mut missing = headers(NOW_MS);
    missing.remove(2);
    assert_eq!(
        refusal(missing, &body()),
        CallbackError::MissingHeader("signature")
    );
    let mut bad = headers(NOW_MS);
    bad[1].1 = "yesterday".into();
    assert_eq!(refusal(bad, &body()), CallbackError::BadTimestamp);
}

#[test]
fn tampered_ciphertext_is_refused_naming_the_field() {
    let mut body = body();
    body["idNum"] = json!("00112233445566778899aabbccddeeff");
    let reason = refusal(headers(NOW_MS), &body);
    assert_eq!(
        reason,
        CallbackError::Field {
            field: "idNum".into(),
            rule: "cannot be decrypted: bad padding (wrong token or damaged ciphertext)".into()
        }
    );
    body["idNum"] = json!("zz");
    assert!(
        matches!(refusal(headers(NOW_MS), &body), CallbackError::Field { field, .. } if field == "idNum")
    );
}

#[test]
fn a_missing_or_empty_required_field_is_refused() {
    let mut body = body();
    body.as_object_mut().unwrap().remove("patientId");
    assert_eq!(
        refusal(headers(NOW_MS), &body),
        CallbackError::Field {
            field: "patientId".into(),
            rule: "is required".into()
        }
    );
    body["patientId"] = json!("  ");
    assert_eq!(
        refusal(headers(NOW_MS), &body),
        CallbackError::Field {
            field: "patientId".into(),
            rule: "is required and must not be empty".into()
        }
    );
    body["patientId"] = json!(12);
    assert_eq!(
        refusal(headers(NOW_MS), &body),
        CallbackError::Field {
            field: "patientId".into(),
            rule: "must be a string".into()
        }
    );
}

#[test]
fn a_body_that_is_not_json_is_refused() {
    let result: Result<StudyStatusCallback, _> = verifier().verify(headers(NOW_MS), b"<xml/>");
    assert!(matches!(
        result,
        Err(Error::Callback(CallbackError::MalformedBody(_)))
    ));
}

#[test]
fn new_fields_and_unknown_status_values_are_accepted() {
    let mut body = body();
    body["status"] = json!(9);
    body["newField"] = json!("from a later platform version");
    let verified = verify(headers(NOW_MS), &body).unwrap();
    assert_eq!(verified.status, StudyStatus::Unknown(9));
}

#[test]
fn the_json_entry_point_returns_the_callback_in_the_clear() {
    let headers = headers(NOW_MS);
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let json = aimis::json::verify_callback(
        &verifier(),
        &aimis::SERVICE.callbacks[0],
        &pairs,
        body().to_string().as_bytes(),
    )
    .unwrap();
    assert_eq!(json["phoneNum"], "13800138000");
    assert_eq!(json["idNum"], "110101199003074518");
    assert_eq!(json["status"], 1);
    assert_eq!(json["bodyPart"], Value::Null);
}

#[test]
fn acknowledgement_bodies() {
    assert_eq!(aimis::callback_ack(), r#"{"code":0,"message":"success"}"#);
    assert_eq!(
        aimis::callback_failure(1, "unknown study"),
        r#"{"code":1,"message":"unknown study"}"#
    );
}
