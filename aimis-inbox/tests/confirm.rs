//! `--confirm`: a callback sharing its header set with another, just used, is stored
//! once the platform (here the simulator) confirms its body; a forged one is not.

mod common;

use aimis_inbox::{Inbox, Outcome, PlatformConfirm, Receiver};
use common::*;
use serde_json::json;

/// A status callback for a study of the simulator's demo patient.
fn sim_body(study: &str, report: &str) -> Vec<u8> {
    json!({
        "status": 1,
        "phoneNum": aimis::encrypt_field(TOKEN, PHONE).unwrap(),
        "idNum": aimis::encrypt_field(TOKEN, ID_NUM).unwrap(),
        "patientId": "P0001",
        "hospitalId": "H0001",
        "studyType": 0,
        "studyDate": "2025-01-15 09:30:00",
        "studyId": study,
        "h5Url": format!("https://h5.aimis-sim.example/report/{report}"),
        "h5DetailUrl": format!("https://h5.aimis-sim.example/images/{report}"),
        "reportId": report,
    })
    .to_string()
    .into_bytes()
}

#[test]
fn a_same_millisecond_callback_is_stored_once_the_platform_confirms_it() {
    let sim = aimis_sim::Simulator::builder(credentials())
        .spawn("127.0.0.1:0")
        .unwrap();
    let client = aimis::Client::builder(credentials())
        .base_url(sim.base_url())
        .build()
        .unwrap();
    let (_dir, url, _) = store();
    let receiver = Receiver::new(Inbox::open(&url, credentials()).unwrap(), credentials())
        .confirm_with(Box::new(PlatformConfirm::new(client)));
    let at = aimis::Clock::now_millis(&aimis::SystemClock);
    let headers = headers(at);
    let send = |body: &[u8]| receiver.handle(&pairs(&headers), body).outcome;
    assert!(send(&sim_body("S0001", "R0001")).acknowledged());
    // Same headers, another genuine callback: the platform knows report R0002 as S0002.
    assert_eq!(
        send(&sim_body("S0002", "R0002")),
        Outcome::Stored {
            id: 2,
            superseded: false
        }
    );
    // Same headers, a body the platform does not hold: refused.
    assert_eq!(send(&sim_body("S0666", "R0002")), Outcome::SameMillisecond);
    assert_eq!(
        send(&sim_body("S0003", "R-FORGED")),
        Outcome::SameMillisecond
    );
    let stats = receiver.inbox().stats().unwrap();
    assert_eq!(
        (
            stats.received,
            stats.same_millisecond,
            stats.same_millisecond_confirmed
        ),
        (2, 3, 1)
    );
}

#[test]
fn without_confirm_it_stays_refused() {
    let (_dir, url, _) = store();
    let receiver = Receiver::new(Inbox::open(&url, credentials()).unwrap(), credentials());
    let headers = headers(aimis::Clock::now_millis(&aimis::SystemClock));
    assert!(
        receiver
            .handle(&pairs(&headers), &sim_body("S0001", "R0001"))
            .outcome
            .acknowledged()
    );
    assert_eq!(
        receiver
            .handle(&pairs(&headers), &sim_body("S0002", "R0002"))
            .outcome,
        Outcome::SameMillisecond
    );
}
