//! The properties every untrusted-input entry point of aimis keeps, whatever it is
//! given: callback verification, field decryption and the JSON entry point end in a
//! result or a typed error, never a panic, and no refusal shows patient data.
//!
//! One file, two users: the fuzz targets (`fuzz/src/lib.rs`) and the property tests
//! (`fuzz/tests/properties.rs`), so both check the same things.
//! A broken property panics with a message that names the rule, not the input.

use std::net::TcpListener;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use aimis::crypto::FieldCipher;
use aimis::message::{Message, to_plain_json};
use aimis::registry::{FieldDef, TextEncoding};
use aimis::{
    CallbackError, CallbackVerifier, Client, Credentials, Error, FixedClock, RetryPolicy, SERVICE,
    StudyStatusCallback, Token,
};
use serde_json::Value;

pub const APP_ID: &str = "fuzz-app";
pub const TOKEN: &str = "0123456789abcdef0123456789abcdef";
/// The verifier's clock: 2025-03-07 09:07:30 UTC.
pub const NOW_MS: u64 = 1_741_338_450_000;

/// Every reason a refused callback may give, as `tests/vectors/README.md` lists them.
pub const CALLBACK_REASONS: &[&str] = &[
    "missing_header",
    "duplicate_header",
    "app_id_mismatch",
    "bad_timestamp",
    "stale",
    "from_future",
    "bad_signature",
    "malformed_body",
    "field",
];

/// Every reason a ciphertext may be refused for.
pub const CRYPTO_REASONS: &[&str] = &["bad_encoding", "bad_length", "bad_padding", "not_utf8"];

/// A verifier for [`APP_ID`] and [`TOKEN`] whose clock stands at [`NOW_MS`].
pub fn verifier() -> CallbackVerifier {
    CallbackVerifier::new(Credentials::new(APP_ID, TOKEN).expect("valid credentials"))
        .clock(Arc::new(FixedClock(NOW_MS)))
}

/// A client for [`APP_ID`] aimed at a loopback port where nothing listens, without
/// retries: every request that passes validation ends in a transport error at once.
pub fn offline_client() -> &'static Client {
    static CLIENT: OnceLock<Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        // The port was free a moment ago; nothing of ours listens there.
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a loopback port")
            .port();
        Client::builder(Credentials::new(APP_ID, TOKEN).expect("valid credentials"))
            .base_url(format!("http://127.0.0.1:{port}"))
            .retry(RetryPolicy::NONE)
            .connect_timeout(Duration::from_secs(2))
            .timeout(Duration::from_secs(5))
            .build()
            .expect("a valid client")
    })
}

/// The value of a header as the verifier reads it: name in any case, both trimmed.
pub fn header<'h>(headers: &[(&str, &'h str)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

/// Verifies a callback through the typed and the JSON path and checks the verdict:
/// both paths agree; a refusal is a [`CallbackError`] with a documented reason that
/// names only spec headers and fields and shows no patient data; an acceptance needs
/// genuine headers, decodes every field as sent, and survives sealing and verifying
/// again. Returns the accepted callback as plain JSON.
pub fn check_callback(
    verifier: &CallbackVerifier,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Option<Value> {
    let def = SERVICE
        .callback("studyStatus")
        .expect("the spec's callback");
    let typed = verifier.verify::<StudyStatusCallback, _, _>(headers.iter().copied(), body);
    let json = aimis::json::verify_callback(verifier, def, headers, body);
    match (typed, json) {
        (Ok(callback), Ok(json)) => {
            let plain = to_plain_json(&callback).expect("an accepted callback as JSON");
            assert!(plain == json, "the typed and JSON paths decode differently");
            check_accepted(verifier, def.fields, headers, body, &callback, &json);
            Some(json)
        }
        (Err(typed), Err(json)) => {
            let texts = patient_texts(body);
            let typed = check_refusal(def.fields, &typed, &texts);
            let json = check_refusal(def.fields, &json, &texts);
            assert_eq!(typed, json, "the typed and JSON paths refuse differently");
            None
        }
        (typed, _) => panic!(
            "the typed path {} but the JSON path does not",
            if typed.is_ok() { "accepts" } else { "refuses" }
        ),
    }
}

fn check_accepted(
    verifier: &CallbackVerifier,
    fields: &[FieldDef],
    headers: &[(&str, &str)],
    body: &[u8],
    callback: &StudyStatusCallback,
    json: &Value,
) {
    let auth = &SERVICE.auth;
    let app_id = header(headers, auth.app_id_header).expect("accepted without appId");
    let timestamp = header(headers, auth.timestamp_header).expect("accepted without timestamp");
    let signature = header(headers, auth.signature_header).expect("accepted without signature");
    assert_eq!(app_id, APP_ID, "accepted another partner's appId");
    let sent: u64 = timestamp
        .parse()
        .expect("accepted a timestamp that is no number");
    assert!(
        sent.abs_diff(NOW_MS) <= auth.max_skew_seconds * 1000,
        "accepted a timestamp outside the freshness window"
    );
    let expected = aimis::sign(APP_ID, TOKEN, timestamp).expect("a signature");
    assert_eq!(signature, expected, "accepted a wrong signature");

    // Every field reads as sent: text as is (encrypted ones decrypted), numbers as is.
    let Ok(Value::Object(sent)) = serde_json::from_slice::<Value>(body) else {
        panic!("accepted a body that is not a JSON object");
    };
    for field in fields {
        let got = json.get(field.name).unwrap_or(&Value::Null);
        match sent.get(field.name).unwrap_or(&Value::Null) {
            Value::String(text) if field.encrypted => {
                let plain = aimis::decrypt_field(TOKEN, text).expect("accepted undecryptable");
                assert_eq!(
                    got,
                    &Value::String(plain),
                    "`{}` decrypted wrongly",
                    field.name
                );
            }
            Value::Null => assert!(got.is_null(), "`{}` appeared from nowhere", field.name),
            value => assert_eq!(got, value, "`{}` changed on the way", field.name),
        }
    }

    // Sealed again and verified with the same headers, it is the same callback.
    let token = Token::new(TOKEN).expect("a valid token");
    let resealed = callback.seal(&FieldCipher::new(&token, &SERVICE.cipher));
    let again = verifier
        .verify::<StudyStatusCallback, _, _>(headers.iter().copied(), &resealed)
        .map_err(|e| e.to_string())
        .expect("a resealed callback is accepted");
    assert!(
        to_plain_json(&again).ok().as_ref() == Some(json),
        "a resealed callback reads differently"
    );
}

/// Checks a callback refusal and returns its reason.
fn check_refusal(fields: &[FieldDef], error: &Error, texts: &[String]) -> &'static str {
    assert_hidden(error, texts);
    let Error::Callback(refusal) = error else {
        panic!("a callback refused with another kind of error: {error}");
    };
    let reason = refusal.reason();
    assert!(
        CALLBACK_REASONS.contains(&reason),
        "undocumented reason {reason}"
    );
    let auth = &SERVICE.auth;
    match refusal {
        CallbackError::MissingHeader(name) | CallbackError::DuplicateHeader(name) => assert!(
            [
                auth.app_id_header,
                auth.timestamp_header,
                auth.signature_header
            ]
            .contains(name),
            "refused for header `{name}`, which is not a security header"
        ),
        CallbackError::Field { field, .. } => assert!(
            fields.iter().any(|f| f.name == field),
            "refused for `{field}`, which is not a field of the callback"
        ),
        _ => {}
    }
    reason
}

/// Decrypts arbitrary text: plaintext, or a [`Error::Crypto`] with a documented reason.
/// Whatever decrypts is the one ciphertext of its plaintext (no lenient padding).
/// Returns whether it decrypted.
pub fn check_decrypt(text: &str) -> bool {
    match aimis::decrypt_field(TOKEN, text) {
        Ok(plain) => {
            let again = aimis::encrypt_field(TOKEN, &plain).expect("a valid token");
            let same = match SERVICE.cipher.encoding {
                TextEncoding::HexLower | TextEncoding::HexUpper => {
                    again.eq_ignore_ascii_case(text.trim())
                }
                // Base64, and any encoding to come: one spelling only.
                _ => again == text.trim(),
            };
            assert!(same, "decrypted a ciphertext that is not its plaintext's");
            true
        }
        Err(error) => {
            assert_hidden(&error, &[text.to_owned()]);
            let Error::Crypto { field, error } = error else {
                panic!("decryption failed with another kind of error: {error}");
            };
            assert_eq!(field, "(value)");
            assert!(CRYPTO_REASONS.contains(&error.reason()));
            false
        }
    }
}

/// Any text encrypts, and decrypts to itself.
pub fn check_encrypt(plain: &str) {
    let ciphertext = aimis::encrypt_field(TOKEN, plain).expect("a valid token");
    let back = aimis::decrypt_field(TOKEN, &ciphertext).map_err(|e| e.to_string());
    assert!(
        back.as_deref() == Ok(plain),
        "encryption does not round-trip"
    );
}

/// Calls the JSON entry point of the offline client and checks the outcome: an unknown
/// name is [`Error::UnknownEndpoint`]; a bad request is [`Error::Validation`] naming a
/// field of the endpoint, `(message)`, or a key of the request that is no field; a
/// good one fails in transport, since nothing listens. No error shows patient data.
/// Returns the error.
pub fn check_call_json(endpoint: &str, request: &Value) -> Error {
    let outcome = offline_client().call_json(endpoint, request);
    let error = match outcome {
        Ok(_) => panic!("an answer from a port where nothing listens"),
        Err(error) => error,
    };
    // The endpoint's name and the request's keys are not patient data, and an error
    // may name them.
    let mut texts = patient_texts_of(request);
    texts.retain(|text| {
        let keys = request.as_object().into_iter().flat_map(|o| o.keys());
        !endpoint.contains(text.as_str()) && !keys.into_iter().any(|k| k.contains(text.as_str()))
    });
    assert_hidden(&error, &texts);
    let Some(def) = SERVICE.endpoint(endpoint) else {
        assert!(
            matches!(error, Error::UnknownEndpoint { .. }),
            "an unknown endpoint gave another error: {error}"
        );
        return error;
    };
    match &error {
        Error::Validation { field, .. } => {
            let is_field = def.request.iter().any(|f| f.name == field);
            let is_stray_key = request.get(field.as_str()).is_some() && !is_field;
            assert!(
                is_field || field == "(message)" || is_stray_key,
                "a validation error names `{field}`, which is not in the request"
            );
        }
        Error::Transport { .. } | Error::Timeout(_) => {}
        other => panic!("a request to nowhere ended in {other}"),
    }
    error
}

/// The patient data a JSON message holds, for the redaction check: the text under
/// every sensitive field name of the spec (decrypted too, where it decrypts).
pub fn patient_texts_of(message: &Value) -> Vec<String> {
    let mut texts = Vec::new();
    let Value::Object(object) = message else {
        return texts;
    };
    for (key, value) in object {
        if sensitive_names().contains(&key.as_str()) {
            collect_texts(value, &mut texts);
        }
    }
    let decrypted: Vec<String> = texts
        .iter()
        .filter_map(|t| aimis::decrypt_field(TOKEN, t).ok())
        .collect();
    texts.extend(decrypted);
    texts
}

fn patient_texts(body: &[u8]) -> Vec<String> {
    serde_json::from_slice(body).map_or_else(|_| Vec::new(), |v| patient_texts_of(&v))
}

fn collect_texts(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(text) => out.push(text.clone()),
        Value::Array(items) => items.iter().for_each(|v| collect_texts(v, out)),
        Value::Object(object) => object.values().for_each(|v| collect_texts(v, out)),
        _ => {}
    }
}

fn sensitive_names() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let endpoints = SERVICE.endpoints.iter().flat_map(|e| e.request);
        let callbacks = SERVICE.callbacks.iter().flat_map(|c| c.fields);
        let structs = SERVICE.structs.iter().flat_map(|s| s.fields);
        let mut names: Vec<_> = endpoints
            .chain(callbacks)
            .chain(structs)
            .filter(|f| f.sensitive || f.encrypted)
            .map(|f| f.name)
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    })
}

/// Neither Display nor Debug of `error` shows any of `texts`. Only texts that cannot
/// occur in aimis's own wording count: at least three characters and not all ASCII
/// (every fixed message is ASCII), so a hit is always a leak.
pub fn assert_hidden(error: &Error, texts: &[String]) {
    let shown = format!("{error}\n{error:?}");
    for text in texts {
        if text.chars().count() >= 3 && !text.is_ascii() {
            assert!(
                !shown.contains(text.as_str()),
                "an error shows patient data"
            );
        }
    }
}
