//! No Debug or Display output of a public type or error shows the token or patient
//! data: canary values for the token, the phone and ID numbers, the name, the HIS id, a
//! study name and a report link go through every endpoint and every kind of error.

mod support;

use std::sync::Arc;
use std::time::Duration;

use aimis::crypto::{FieldCipher, Signer};
use aimis::message::{Message, open_wire};
use aimis::{CallbackVerifier, Error, FixedClock, RetryPolicy, Token};
use serde_json::{Value, json};
use support::canary::*;
use support::{APP_ID, NOW_MS, Reply, Server, TOKEN};

fn assert_clean(what: &str, text: &str) {
    assert_without(CANARIES, what, text);
}

fn assert_without(canaries: &[&str], what: &str, text: &str) {
    for canary in canaries {
        assert!(!text.contains(canary), "{what} shows {canary:?}: {text}");
    }
}

fn assert_error_clean(what: &str, error: &Error) {
    assert_clean(what, &format!("{error} {error:?}"));
}

fn client_with(server: &Server, timeout: Duration) -> aimis::Client {
    aimis::Client::builder(support::credentials())
        .base_url(&server.url)
        .timeout(timeout)
        .retry(RetryPolicy::NONE)
        .build()
        .unwrap()
}

#[test]
fn every_error_of_every_endpoint_hides_the_canaries() {
    let canary_page = format!("<html>{}</html>", CANARIES.join(" "));
    for endpoint in aimis::SERVICE.endpoints {
        let request = request(endpoint);
        let answers = [
            ("http", Reply::Http(503, "text/html", canary_page.clone())),
            (
                "not json",
                Reply::Http(200, "text/html", canary_page.clone()),
            ),
            ("wrong data", Reply::data(wrong_data(endpoint))),
            ("api error", Reply::api_error(10003, "no data")),
            (
                "envelope without code",
                Reply::json(json!({"message": LINK, "data": STUDY_NAME})),
            ),
            ("hangup", Reply::Hangup),
            (
                "timeout",
                Reply::Delayed(Duration::from_secs(2), Box::new(Reply::Hangup)),
            ),
        ];
        for (kind, answer) in answers {
            let server = Server::start(vec![answer]);
            let client = client_with(&server, Duration::from_millis(300));
            let error = client.call_json(endpoint.name, &request).unwrap_err();
            assert_error_clean(&format!("{} {kind}", endpoint.name), &error);
            assert_eq!(server.requests().len(), 1, "{} {kind}", endpoint.name);
        }
        // Validation: a canary in a field that breaks a rule, and in one of the wrong type.
        let server = Server::start(vec![Reply::data(json!([]))]);
        let client = client_with(&server, Duration::from_secs(1));
        for field in endpoint.request {
            for bad in [json!(PHONE), json!([NAME, LINK]), json!({"x": ID_NUM})] {
                let mut broken = request.clone();
                broken[field.name] = bad;
                if let Err(error) = client.call_json(endpoint.name, &broken) {
                    assert_error_clean(&format!("{} {}", endpoint.name, field.name), &error);
                }
            }
        }
    }
}

#[test]
fn configuration_and_crypto_errors_hide_the_canaries() {
    let errors = [
        Token::new(&TOKEN[1..]).unwrap_err(),
        aimis::Credentials::new(PHONE.to_owned() + " ", TOKEN).unwrap_err(),
        aimis::decrypt_field(TOKEN, PHONE).unwrap_err(),
        aimis::decrypt_field(
            TOKEN,
            &aimis::encrypt_field(&TOKEN.to_uppercase(), ID_NUM).unwrap(),
        )
        .unwrap_err(),
        aimis::sign(APP_ID, TOKEN, NAME).unwrap_err(),
        aimis::Client::builder(support::credentials())
            .base_url(format!("https://{PHONE}:{TOKEN}@{HIS_ID}.example"))
            .build()
            .unwrap_err(),
        aimis::Client::builder(support::credentials())
            .base_url("https://pacs.qq.com")
            .proxy(format!("http://{NAME}:{TOKEN}@[::1"))
            .build()
            .unwrap_err(),
        aimis::Client::builder(support::credentials())
            .user_agent_product(&format!("{NAME}\n"))
            .build()
            .unwrap_err(),
    ];
    for error in &errors {
        assert_error_clean("error", error);
    }
}

#[test]
fn callback_refusals_hide_the_canaries() {
    let verifier =
        CallbackVerifier::new(support::credentials()).clock(Arc::new(FixedClock(NOW_MS)));
    let timestamp = NOW_MS.to_string();
    let signature = aimis::sign(APP_ID, TOKEN, &timestamp).unwrap();
    let good = [
        ("appId", APP_ID),
        ("timestamp", timestamp.as_str()),
        ("signature", signature.as_str()),
    ];
    let body = canary_callback();
    let mut bodies = vec![
        json!({"studyName": STUDY_NAME, "h5Url": LINK, "hisId": HIS_ID}),
        json!([PHONE, ID_NUM, NAME]),
    ];
    for field in [
        "status",
        "studyType",
        "h5Url",
        "patientId",
        "phoneNum",
        "idNum",
        "reportId",
    ] {
        let mut broken = body.clone();
        broken[field] = json!([LINK, NAME, PHONE]);
        bodies.push(broken.clone());
        broken[field] = json!(format!("{ID_NUM}{PHONE}"));
        bodies.push(broken);
    }
    let duplicate = body
        .to_string()
        .replacen('{', &format!("{{\"h5Url\":\"{LINK}\","), 1);
    let mut texts: Vec<String> = bodies.iter().map(Value::to_string).collect();
    texts.push(duplicate);
    texts.push(format!("{PHONE} {NAME}"));
    for text in &texts {
        for headers in [
            good.to_vec(),
            vec![("appId", PHONE), ("timestamp", NAME), ("signature", LINK)],
        ] {
            let outcome = verifier.verify::<aimis::StudyStatusCallback, _, _>(
                headers.iter().copied(),
                text.as_bytes(),
            );
            if let Err(error) = outcome {
                assert_error_clean("callback", &error);
            }
        }
    }
}

#[test]
fn types_hide_the_token_and_patient_data() {
    let server = Server::start(vec![Reply::data(json!([]))]);
    let client = support::client(&server);
    let token = Token::new(TOKEN).unwrap();
    let cipher = FieldCipher::new(&token, &aimis::SERVICE.cipher);
    let mut request = support::studies_request();
    request.phone_num = PHONE.into();
    request.id_num = ID_NUM.into();
    request.patient_name = Some(NAME.into());
    request.his_id = Some(HIS_ID.into());
    let prepared = client.prepare(&request).unwrap();
    let signature = prepared.header("signature").unwrap().to_owned();
    let study: aimis::Study = serde_json::from_value(
        json!({"hisId": HIS_ID, "h5Url": LINK, "h5DetailUrl": LINK, "uniPath": LINK}),
    )
    .unwrap();
    let url: aimis::PatientStudyUrl =
        serde_json::from_value(json!({"h5Url": LINK, "h5DetailUrl": LINK})).unwrap();
    let consultations: aimis::ConsultationList =
        serde_json::from_value(json!({"h5Url": LINK})).unwrap();
    let callback: aimis::StudyStatusCallback = CallbackVerifier::new(support::credentials())
        .clock(Arc::new(FixedClock(NOW_MS)))
        .verify(
            [
                ("appId", APP_ID.to_owned()),
                ("timestamp", NOW_MS.to_string()),
                (
                    "signature",
                    aimis::sign(APP_ID, TOKEN, &NOW_MS.to_string()).unwrap(),
                ),
            ],
            canary_callback().to_string().as_bytes(),
        )
        .unwrap();
    let wire: <aimis::StudyStatusCallback as Message>::Wire =
        serde_json::from_value(canary_callback()).unwrap();
    let outputs = [
        ("credentials", format!("{:?}", support::credentials())),
        ("token", format!("{token:?}")),
        ("client", format!("{client:?}")),
        (
            "builder",
            format!("{:?}", aimis::Client::builder(support::credentials())),
        ),
        ("request", format!("{request:?} {request:#?}")),
        ("prepared request", format!("{prepared:?} {prepared:#?}")),
        (
            "consultations request",
            format!("{:?}", support::consultations_request()),
        ),
        (
            "report url request",
            format!("{:?}", support::report_url_request()),
        ),
        ("study", format!("{study:?}")),
        ("report url", format!("{url:?}")),
        ("consultation list", format!("{consultations:?}")),
        ("callback", format!("{callback:?}")),
        ("wire callback", format!("{wire:?}")),
        ("cipher", format!("{cipher:?}")),
        (
            "signer",
            format!("{:?}", Signer::new(&token, &aimis::SERVICE.auth)),
        ),
        (
            "verifier",
            format!("{:?}", CallbackVerifier::new(support::credentials())),
        ),
        ("pii", format!("{:?}", aimis::Pii::from(PHONE))),
    ];
    for (what, text) in outputs {
        assert_without(SENSITIVE, what, &text);
        // A live signature authenticates for five minutes; its timestamp with it.
        assert!(
            !text.contains(&signature),
            "{what} shows the signature: {text}"
        );
    }
    // The ciphertext of a patient field is a stable pseudonym of the patient.
    let ciphertext = cipher.encrypt(PHONE);
    assert!(!format!("{wire:?}").contains(&ciphertext));
    // Sensitive, not hidden: the values are all there for the program.
    assert_eq!(study.h5_url.as_ref().map(aimis::Pii::expose), Some(LINK));
    assert_eq!(
        callback.his_id.as_ref().map(aimis::Pii::expose),
        Some(HIS_ID)
    );
    assert_eq!(
        open_wire::<aimis::StudyStatusCallback>(canary_callback().to_string().as_bytes(), &cipher)
            .unwrap(),
        callback
    );
}

#[test]
fn batch_outcomes_hide_the_request_and_the_data() {
    let server = Server::start(vec![Reply::data(
        json!({"h5Url": LINK, "h5DetailUrl": LINK, "hisId": HIS_ID}),
    )]);
    let client = support::client(&server);
    let endpoint = aimis::SERVICE.endpoint("patientReportUrl").unwrap();
    let options = aimis::BatchOptions {
        concurrency: 1,
        ..aimis::BatchOptions::default()
    };
    let mut invalid = request(endpoint);
    invalid["hospitalId"] = json!(null);
    let mut shown = Vec::new();
    client
        .batch_json(
            endpoint.name,
            vec![request(endpoint), invalid],
            &options,
            |o| shown.push((o.result.is_ok(), format!("{o:?} {o:#?}"))),
        )
        .unwrap();
    let mut typed = support::report_url_request();
    typed.phone_num = PHONE.into();
    typed.id_num = ID_NUM.into();
    client
        .batch(vec![typed], &options, |o| {
            shown.push((o.result.is_ok(), format!("{o:?} {o:#?}")))
        })
        .unwrap();
    let mut oks: Vec<bool> = shown.iter().map(|(ok, _)| *ok).collect();
    oks.sort_unstable();
    assert_eq!(oks, [false, true, true], "the test saw both kinds");
    for (_, text) in &shown {
        assert_without(SENSITIVE, "batch outcome", text);
    }
}
