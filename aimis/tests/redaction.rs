//! No Debug or Display output of a public type or error shows the token or patient data.

mod support;

use std::sync::Arc;

use aimis::crypto::{FieldCipher, Signer};
use aimis::message::open_wire;
use aimis::{CallbackVerifier, Error, FixedClock, Token};
use serde_json::json;
use support::{Reply, Server, TOKEN};

const SECRETS: &[&str] = &[TOKEN, "13800138000", "110101199003074518", "张三"];

fn assert_clean(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} shows {secret:?}: {text}");
    }
}

#[test]
fn types_hide_the_token_and_patient_data() {
    let server = Server::start(vec![Reply::data(json!([]))]);
    let client = support::client(&server);
    let token = Token::new(TOKEN).unwrap();
    let cipher = FieldCipher::new(&token, &aimis::SERVICE.cipher);
    let request = support::studies_request();
    let outputs = [
        ("credentials", format!("{:?}", support::credentials())),
        ("token", format!("{token:?}")),
        ("client", format!("{client:?}")),
        (
            "builder",
            format!("{:?}", aimis::Client::builder(support::credentials())),
        ),
        ("request", format!("{request:?} {:#?}", request)),
        (
            "prepared request",
            format!("{:?}", client.prepare(&request).unwrap()),
        ),
        (
            "consultations",
            format!("{:?}", support::consultations_request()),
        ),
        ("report url", format!("{:?}", support::report_url_request())),
        ("cipher", format!("{cipher:?}")),
        (
            "signer",
            format!("{:?}", Signer::new(&token, &aimis::SERVICE.auth)),
        ),
        (
            "verifier",
            format!(
                "{:?}",
                CallbackVerifier::new(support::credentials()).clock(Arc::new(FixedClock(0)))
            ),
        ),
        ("pii", format!("{:?}", aimis::Pii::from("13800138000"))),
    ];
    for (what, text) in outputs {
        assert_clean(what, &text);
    }
}

#[test]
fn errors_hide_the_token_and_patient_data() {
    let server = Server::start(vec![Reply::data(json!("not a list"))]);
    let client = support::client(&server);
    let token = Token::new(TOKEN).unwrap();
    let cipher = FieldCipher::new(&token, &aimis::SERVICE.cipher);
    let mut errors: Vec<Error> = vec![
        Token::new(&TOKEN[1..]).unwrap_err(),
        aimis::Credentials::new("13800138000 ", TOKEN).unwrap_err(),
        aimis::decrypt_field(TOKEN, "13800138000").unwrap_err(),
        client
            .patient_studies(&support::studies_request())
            .unwrap_err(),
    ];
    let bad_requests = [
        json!({"phoneNum": 13800138000u64}),
        json!({"phoneNum": "13800138000", "idNum": "110101199003074518", "nickname": "张三"}),
        json!({"phoneNum": "13800138000", "idNum": "110101199003074518", "hospitalId": "H0001", "unionId": "U0001",
               "studyType": "张三", "dataFlag": 0, "usage": 0,
               "studyDateBegin": "2025-01-01 00:00:00", "studyDateEnd": "2025-12-31 23:59:59"}),
        json!({"phoneNum": "13800138000", "idNum": "110101199003074518", "hospitalId": "H0001", "unionId": "U0001",
               "studyType": 0, "dataFlag": 0, "usage": 0, "patientName": ["张三"],
               "studyDateBegin": "13800138000", "studyDateEnd": "2025-12-31 23:59:59"}),
        json!(["13800138000"]),
    ];
    for request in &bad_requests {
        errors.push(client.call_json("patientStudies", request).unwrap_err());
    }
    let wire = json!({"phoneNum": "13800138000", "idNum": "110101199003074518", "hisId": "h", "hospitalId": "h", "unionId": "u"});
    errors.push(
        open_wire::<aimis::PatientConsultationsRequest>(wire.to_string().as_bytes(), &cipher)
            .unwrap_err(),
    );
    errors.push(
        open_wire::<aimis::PatientConsultationsRequest>(b"{\"phoneNum\": 13800138000", &cipher)
            .unwrap_err(),
    );
    for error in &errors {
        assert_clean("error", &format!("{error} {error:?}"));
    }
    assert_eq!(errors.len(), 11);
}
