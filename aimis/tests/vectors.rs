//! The shared conformance vectors (`tests/vectors/`), which the C and Python suites
//! run too: one verdict per callback, and the crypto known answers, in every language.

use std::sync::Arc;
use std::time::Duration;

use aimis::{CallbackVerifier, Credentials, Error, FixedClock, StudyStatusCallback};
use serde_json::Value;

fn vectors(name: &str) -> Value {
    let path = format!("{}/../tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// An absent optional field is left out of the vectors; languages may write it as null.
fn without_nulls(mut value: Value) -> Value {
    value.as_object_mut().unwrap().retain(|_, v| !v.is_null());
    value
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap()
}

#[test]
fn callbacks() {
    let file = vectors("callbacks.json");
    let credentials = &file["credentials"];
    let verifier = CallbackVerifier::new(
        Credentials::new(text(&credentials["app_id"]), text(&credentials["token"])).unwrap(),
    )
    .clock(Arc::new(FixedClock(file["now_ms"].as_u64().unwrap())))
    .max_skew(Duration::from_secs(
        file["max_skew_seconds"].as_u64().unwrap(),
    ));
    let cases = file["cases"].as_array().unwrap();
    assert!(cases.len() >= 30);
    for case in cases {
        let name = text(&case["name"]);
        let headers: Vec<(&str, &str)> = case["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|pair| (text(&pair[0]), text(&pair[1])))
            .collect();
        let body = text(&case["body"]).as_bytes();
        let expect = &case["expect"];
        let outcome = verifier.verify::<StudyStatusCallback, _, _>(headers.iter().copied(), body);
        let json =
            aimis::json::verify_callback(&verifier, &aimis::SERVICE.callbacks[0], &headers, body);
        match text(&expect["verdict"]) {
            "accepted" => {
                let callback = outcome.unwrap_or_else(|e| panic!("{name}: refused: {e}"));
                let plain = aimis::message::to_plain_json(&callback).unwrap();
                assert_eq!(without_nulls(plain), expect["callback"], "{name}");
                let json = json.unwrap_or_else(|e| panic!("{name}: JSON path refused: {e}"));
                assert_eq!(without_nulls(json), expect["callback"], "{name}: JSON path");
            }
            "refused" => {
                for outcome in [outcome.map(|_| ()), json.map(|_| ())] {
                    let Err(Error::Callback(reason)) = outcome else {
                        panic!("{name}: expected a refusal, got {outcome:?}");
                    };
                    assert_eq!(reason.reason(), text(&expect["reason"]), "{name}: {reason}");
                    if let Some(field) = expect.get("field") {
                        let aimis::CallbackError::Field { field: got, .. } = &reason else {
                            panic!("{name}: {reason:?}");
                        };
                        assert_eq!(got, text(field), "{name}");
                    }
                }
            }
            other => panic!("{name}: unknown verdict {other}"),
        }
    }
}

#[test]
fn crypto_known_answers() {
    let file = vectors("crypto.json");
    let token = text(&file["token"]);
    for case in file["encrypt"].as_array().unwrap() {
        let (plain, cipher) = (text(&case["plaintext"]), text(&case["ciphertext"]));
        assert_eq!(
            aimis::encrypt_field(token, plain).unwrap(),
            cipher,
            "{plain}"
        );
        assert_eq!(
            aimis::decrypt_field(token, cipher).unwrap(),
            plain,
            "{cipher}"
        );
        let upper = cipher.to_uppercase();
        assert_eq!(
            aimis::decrypt_field(token, &upper).unwrap(),
            plain,
            "{upper}"
        );
    }
    for case in file["decrypt_errors"].as_array().unwrap() {
        let cipher = text(&case["ciphertext"]);
        match aimis::decrypt_field(token, cipher) {
            Err(Error::Crypto { error, .. }) => {
                assert_eq!(error.reason(), text(&case["error"]), "{cipher}")
            }
            other => panic!("{cipher}: {other:?}"),
        }
    }
    for case in file["sign"].as_array().unwrap() {
        let signature = aimis::sign(text(&case["app_id"]), token, text(&case["timestamp"]));
        assert_eq!(signature.unwrap(), text(&case["signature"]));
    }
}
