//! What the simulator's tests share: the agreed test app, a client for a simulator,
//! and the demo patient's requests.

#![allow(dead_code)]

use std::time::Duration;

use aimis::{Client, Credentials, DataFlag, PatientStudiesRequest, RetryPolicy, StudyType, Usage};
use aimis_sim::Simulator;

pub const APP_ID: &str = "demo-app";
pub const TOKEN: &str = "0123456789abcdef0123456789abcdef";
pub const PHONE: &str = "13800138000";
pub const ID_NUM: &str = "110101199003074518";

pub fn credentials() -> Credentials {
    Credentials::new(APP_ID, TOKEN).unwrap()
}

pub fn sim() -> Simulator {
    Simulator::builder(credentials())
        .spawn("127.0.0.1:0")
        .unwrap()
}

/// A client without retries unless a test asks for them.
pub fn client(sim: &Simulator) -> Client {
    client_with(sim, RetryPolicy::NONE)
}

pub fn client_with(sim: &Simulator, retry: RetryPolicy) -> Client {
    Client::builder(credentials())
        .base_url(sim.base_url())
        .timeout(Duration::from_secs(5))
        .retry(retry)
        .build()
        .unwrap()
}

/// The demo patient's studies of one type, at H0001 in U0001, for all of 2025.
pub fn studies(study_type: StudyType, data_flag: DataFlag) -> PatientStudiesRequest {
    PatientStudiesRequest {
        phone_num: PHONE.into(),
        id_num: ID_NUM.into(),
        hospital_id: "H0001".into(),
        union_id: "U0001".into(),
        study_type,
        data_flag,
        usage: Usage::DoctorView,
        study_date_begin: "2025-01-01 00:00:00".into(),
        study_date_end: "2025-12-31 23:59:59".into(),
        ..Default::default()
    }
}

/// The current time in milliseconds, as the platform's clock has it.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// Posts raw bytes with raw headers; returns the HTTP status and the body as JSON
/// (or the text wrapped in a JSON string when it is not JSON).
pub fn post_raw(url: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, serde_json::Value) {
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    let mut request = agent.post(url);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let mut response = request.send(body).unwrap();
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

/// Headers signed now for this app id and token.
pub fn signed_headers(app_id: &str, token: &str, timestamp_ms: u64) -> Vec<(String, String)> {
    let timestamp = timestamp_ms.to_string();
    let signature = aimis::sign(app_id, token, &timestamp).unwrap();
    vec![
        (
            "Content-Type".into(),
            "application/json; charset=utf-8".into(),
        ),
        ("appId".into(), app_id.into()),
        ("timestamp".into(), timestamp),
        ("signature".into(), signature),
    ]
}

/// The demo patient's report request as it goes on the wire, with these overrides.
pub fn report_body(overrides: serde_json::Value) -> Vec<u8> {
    let mut body = serde_json::json!({
        "reportId": "R0001",
        "phoneNum": aimis::encrypt_field(TOKEN, PHONE).unwrap(),
        "idNum": aimis::encrypt_field(TOKEN, ID_NUM).unwrap(),
        "hospitalId": "H0001",
    });
    for (k, v) in overrides.as_object().unwrap() {
        if v.is_null() {
            body.as_object_mut().unwrap().remove(k);
        } else {
            body[k] = v.clone();
        }
    }
    serde_json::to_vec(&body).unwrap()
}
