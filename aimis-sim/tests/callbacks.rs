//! Status callbacks: signed and encrypted as the platform does, verified by the core's
//! `CallbackVerifier` on the partner's side, retried until accepted, and recorded.

mod support;

use std::time::Duration;

use aimis::{StudyStatus, StudyStatusCallback};
use aimis_sim::receiver::CallbackReceiver;
use aimis_sim::{AdvanceError, CallbackRetry, Simulator};
use support::*;

const FAST: CallbackRetry = CallbackRetry {
    max_retries: 2,
    initial_backoff: Duration::from_millis(1),
    timeout: Duration::from_secs(5),
};

fn pair() -> (Simulator, CallbackReceiver) {
    let receiver = CallbackReceiver::start(credentials()).unwrap();
    let sim = Simulator::builder(credentials())
        .callback_url(receiver.url())
        .callback_retry(FAST)
        .spawn("127.0.0.1:0")
        .unwrap();
    (sim, receiver)
}

#[test]
fn a_status_change_reaches_the_partner_signed_and_encrypted() {
    let (sim, receiver) = pair();
    let delivery = sim
        .advance_study("S0007", StudyStatus::ReportReady)
        .unwrap();
    assert!(delivery.delivered);
    assert_eq!(delivery.attempts.len(), 1);
    assert_eq!(delivery.attempts[0].code, Some(0));
    let received = receiver.received();
    assert_eq!(received.len(), 1);
    // On the wire: ciphertext, never the plaintext.
    let raw = String::from_utf8(received[0].body.clone()).unwrap();
    assert!(!raw.contains(PHONE) && !raw.contains(ID_NUM), "{raw}");
    // The typed verifier of the core accepts it and decrypts the patient fields.
    let callback: StudyStatusCallback = aimis::CallbackVerifier::new(credentials())
        .verify(received[0].headers.clone(), &received[0].body)
        .unwrap();
    assert_eq!(callback.status, StudyStatus::ReportReady);
    assert_eq!(callback.phone_num.expose(), PHONE);
    assert_eq!(callback.id_num.expose(), ID_NUM);
    assert_eq!(
        (callback.study_id.as_str(), callback.report_id.as_str()),
        ("S0007", "R0007")
    );
    assert_eq!(
        (callback.patient_id.expose(), callback.hospital_id.as_str()),
        ("P0001", "H0001")
    );
    assert_eq!(callback.study_date, "2025-12-31 23:59:59");
    assert_eq!(
        callback.h5_url.expose(),
        "https://h5.aimis-sim.example/report/R0007"
    );
    // And the sim's delivery record holds no patient data.
    let record = serde_json::to_string(&sim.deliveries()).unwrap();
    assert!(
        !record.contains(PHONE) && !record.contains(ID_NUM),
        "{record}"
    );
}

#[test]
fn a_refused_callback_is_retried_until_accepted() {
    let (sim, receiver) = pair();
    receiver.refuse_first(2);
    let delivery = sim
        .advance_study("S0001", StudyStatus::ImagesReady)
        .unwrap();
    assert!(delivery.delivered);
    let codes: Vec<_> = delivery.attempts.iter().map(|a| a.code).collect();
    assert_eq!(codes, [Some(1), Some(1), Some(0)]);
    assert_eq!(
        delivery.attempts[0].message.as_deref(),
        Some("not now, try again")
    );
    assert_eq!(receiver.received().len(), 3);
}

#[test]
fn retries_are_bounded() {
    let (sim, receiver) = pair();
    receiver.refuse_first(10);
    let delivery = sim
        .advance_study("S0001", StudyStatus::ReportReady)
        .unwrap();
    assert!(!delivery.delivered);
    assert_eq!(delivery.attempts.len(), 3);
    assert_eq!(receiver.received().len(), 3);
    assert_eq!(sim.deliveries().len(), 1);
}

#[test]
fn an_unreachable_partner_is_recorded() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let sim = Simulator::builder(credentials())
        .callback_url(format!("http://127.0.0.1:{port}/"))
        .callback_retry(FAST)
        .spawn("127.0.0.1:0")
        .unwrap();
    let delivery = sim
        .advance_study("S0001", StudyStatus::ReportReady)
        .unwrap();
    assert!(!delivery.delivered);
    assert_eq!(delivery.attempts.len(), 3);
    assert!(
        delivery
            .attempts
            .iter()
            .all(|a| a.http_status.is_none() && a.error.is_some())
    );
}

#[test]
fn a_partner_with_another_token_refuses_and_says_why() {
    let receiver = CallbackReceiver::start(
        aimis::Credentials::new(APP_ID, "fedcba9876543210fedcba9876543210").unwrap(),
    )
    .unwrap();
    let sim = Simulator::builder(credentials())
        .callback_url(receiver.url())
        .callback_retry(FAST)
        .spawn("127.0.0.1:0")
        .unwrap();
    let delivery = sim
        .advance_study("S0001", StudyStatus::ReportReady)
        .unwrap();
    assert!(!delivery.delivered);
    assert!(
        delivery.attempts[0]
            .message
            .as_deref()
            .unwrap()
            .contains("signature"),
        "{delivery:?}"
    );
}

#[test]
fn advancing_needs_a_known_study_and_a_callback_url() {
    let sim = sim();
    assert_eq!(
        sim.advance_study("S0001", StudyStatus::ReportReady)
            .unwrap_err(),
        AdvanceError::NoCallbackUrl
    );
    sim.set_callback_url(Some("http://127.0.0.1:9/".into()));
    assert_eq!(
        sim.advance_study("S9999", StudyStatus::ReportReady)
            .unwrap_err(),
        AdvanceError::UnknownStudy
    );
}

#[test]
fn the_admin_routes_drive_callbacks() {
    let sim = sim();
    let receiver = CallbackReceiver::start(credentials()).unwrap();
    let base = format!("{}/__admin", sim.base_url());
    let bearer = format!("Bearer {}", sim.admin_token());
    let auth = [("Authorization", bearer.as_str())];
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    let (status, _) = post_raw(
        &format!("{base}/studies/S0002/status"),
        &auth,
        br#"{"status":3}"#,
    );
    assert_eq!(status, 409);
    let url = format!(r#"{{"url":"{}"}}"#, receiver.url());
    assert_eq!(
        agent
            .put(&format!("{base}/callback-url"))
            .header("Authorization", &bearer)
            .send(url.as_bytes())
            .unwrap()
            .status()
            .as_u16(),
        200
    );
    let (status, delivery) = post_raw(
        &format!("{base}/studies/S0002/status"),
        &auth,
        br#"{"status":"ReportAndImagesReady"}"#,
    );
    assert_eq!(status, 200, "{delivery}");
    assert_eq!(delivery["delivered"], true);
    assert_eq!(delivery["status"], 3);
    let (status, _) = post_raw(
        &format!("{base}/studies/S0002/status"),
        &auth,
        br#"{"status":7}"#,
    );
    assert_eq!(status, 400);
    let (status, _) = post_raw(
        &format!("{base}/studies/S9999/status"),
        &auth,
        br#"{"status":1}"#,
    );
    assert_eq!(status, 404);
    let mut listed = agent
        .get(&format!("{base}/callbacks"))
        .header("Authorization", &bearer)
        .call()
        .unwrap();
    let listed: serde_json::Value =
        serde_json::from_str(&listed.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(receiver.received().len(), 1);
}

#[test]
fn the_admin_routes_refuse_requests_without_the_admin_token() {
    let sim = sim();
    let url = format!("{}/__admin/callback-url", sim.base_url());
    let body = br#"{"url":"http://127.0.0.1:9/"}"#;
    for auth in [
        vec![],
        vec![("Authorization", "Bearer wrong")],
        vec![("Authorization", "Bearer ")],
        vec![("Authorization", sim.admin_token())],
    ] {
        let (status, answer) = post_raw(&url, &auth, body);
        assert_eq!(status, 401, "{auth:?}: {answer}");
    }
    let faults = format!("{}/__admin/faults", sim.base_url());
    let (status, _) = post_raw(&faults, &[], br#"{"kind":"reset"}"#);
    assert_eq!(status, 401);
    assert!(sim.deliveries().is_empty());
    let bearer = format!("Bearer {}", sim.admin_token());
    let (status, _) = post_raw(
        &faults,
        &[("Authorization", &bearer)],
        br#"{"kind":"reset","times":1}"#,
    );
    assert_eq!(status, 200);
}

#[test]
fn a_chosen_admin_token_is_used_and_a_generated_one_is_unguessable() {
    let chosen = Simulator::builder(credentials())
        .admin_token("s3cret-admin")
        .spawn("127.0.0.1:0")
        .unwrap();
    assert_eq!(chosen.admin_token(), "s3cret-admin");
    let (a, b) = (sim(), sim());
    assert_eq!(a.admin_token().len(), 32);
    assert_ne!(a.admin_token(), b.admin_token());
}

#[test]
fn a_storm_sends_every_callback_with_its_duplicates_and_out_of_order() {
    let (sim, receiver) = pair();
    let storm = aimis_sim::Storm {
        studies: 20,
        concurrency: 6,
        duplicates: 1,
        out_of_order: true,
    };
    let report = sim.storm(&storm).unwrap();
    assert_eq!(
        (report.deliveries, report.acknowledged),
        (80, 80),
        "{report:?}"
    );
    let received = receiver.received();
    assert_eq!(received.len(), 80);
    // Per study, in arrival order: its statuses, each twice (a duplicate right after).
    let mut by_study = std::collections::BTreeMap::<String, Vec<i64>>::new();
    for r in &received {
        let callback = r.outcome.as_ref().unwrap();
        by_study
            .entry(callback["studyId"].as_str().unwrap().to_owned())
            .or_default()
            .push(callback["status"].as_i64().unwrap());
    }
    assert_eq!(by_study.len(), 20);
    for (study, statuses) in &by_study {
        let n: u32 = study.rsplit('-').next().unwrap().parse().unwrap();
        let expected = if n % 2 == 1 {
            [3, 3, 1, 1]
        } else {
            [1, 1, 3, 3]
        };
        assert_eq!(statuses, &expected, "{study}");
    }
    // Bodies repeat exactly for a duplicate; headers are fresh.
    let first = &received[0];
    assert!(
        received[1..]
            .iter()
            .any(|r| r.body == first.body && r.headers != first.headers)
    );
    assert!(
        aimis_sim::Storm {
            concurrency: 0,
            ..storm.clone()
        }
        .check()
        .is_err()
    );
}
