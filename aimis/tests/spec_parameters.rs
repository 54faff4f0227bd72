//! The auth and cipher rules are data in the spec: a fixture spec that writes the
//! signature in base64 and ciphertext in uppercase hex changes exactly that on the wire.

mod support;

use std::sync::Arc;

use base64::Engine as _;
use support::{APP_ID, NOW_MS, TOKEN};

mod flipped {
    aimis_macros::api!("../spec/fixtures/flipped.toml");
}

fn prepare_both() -> (aimis::PreparedRequest, aimis::PreparedRequest) {
    let clock = Arc::new(aimis::FixedClock(NOW_MS));
    let real = aimis::Client::builder(support::credentials())
        .clock(clock.clone())
        .build()
        .unwrap();
    let fixture = flipped::Client::builder(support::credentials())
        .clock(clock)
        .build()
        .unwrap();
    let request = support::report_url_request();
    let same = flipped::PatientReportUrlRequest {
        report_id: request.report_id.clone(),
        phone_num: request.phone_num.clone(),
        id_num: request.id_num.clone(),
        hospital_id: request.hospital_id.clone(),
    };
    (
        real.prepare(&request).unwrap(),
        fixture.prepare(&same).unwrap(),
    )
}

fn header<'a>(request: &'a aimis::PreparedRequest, name: &str) -> &'a str {
    request.header(name).unwrap()
}

#[test]
fn ciphertext_follows_the_spec_encoding() {
    let (real, fixture) = prepare_both();
    let real: serde_json::Value = serde_json::from_slice(real.body()).unwrap();
    let fixture: serde_json::Value = serde_json::from_slice(fixture.body()).unwrap();
    assert_eq!(real["phoneNum"], "554fb5befba4daabdb8169e45db64485");
    assert_eq!(fixture["phoneNum"], "554FB5BEFBA4DAABDB8169E45DB64485");
    assert_eq!(
        fixture["idNum"].as_str().unwrap(),
        real["idNum"].as_str().unwrap().to_uppercase()
    );
    assert_eq!(fixture["reportId"], real["reportId"]);
}

#[test]
fn the_signature_follows_the_spec_encoding() {
    let (real, fixture) = prepare_both();
    let real_signature = header(&real, "signature");
    assert_eq!(
        real_signature,
        "e513e1744569991ada72c9d0f78a29b52a7f655c1e7b2c79abdae808b50dded0"
    );
    let mac: Vec<u8> = (0..64)
        .step_by(2)
        .map(|i| u8::from_str_radix(&real_signature[i..i + 2], 16).unwrap())
        .collect();
    let expected = base64::engine::general_purpose::STANDARD.encode(mac);
    assert_eq!(header(&fixture, "signature"), expected);
    assert_eq!(header(&fixture, "appId"), APP_ID);
}

#[test]
fn the_fixture_client_decrypts_its_own_encoding() {
    let token = aimis::Token::new(TOKEN).unwrap();
    let cipher = aimis::crypto::FieldCipher::new(&token, &flipped::SERVICE.cipher);
    assert_eq!(cipher.encrypt("hello"), "A59C096412EECB79830021104F861307");
    assert_eq!(
        cipher.decrypt("a59c096412eecb79830021104f861307").unwrap(),
        "hello"
    );
}
