//! The exact request each endpoint puts on the wire, with a fixed clock.

mod support;

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
