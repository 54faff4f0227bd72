//! `--confirm` scenarios over any store URL, against the real simulator over loopback:
//! nothing is handed out before the platform confirms it, and then with the platform's
//! links; a forged link under replayed headers is never delivered.

use std::time::{Duration, Instant};

use aimis_inbox::{
    ConfirmOptions, Confirmer, Inbox, Item, Outcome, PlatformConfirm, Receiver, State,
};
use serde_json::{Value, json};

use super::scenarios::LEASE;
use super::*;

pub const EVIL: &str = "https://evil.example/phish";

/// The simulator, and a confirmer asking it, quickly, on the store at `url`.
pub fn platform(url: &str) -> (aimis_sim::Simulator, Confirmer) {
    platform_opening_with(url, credentials())
}

/// As `platform`, the confirmer opening the store with `opener`'s token.
fn platform_opening_with(
    url: &str,
    opener: aimis::Credentials,
) -> (aimis_sim::Simulator, Confirmer) {
    platform_confirming(url, opener, |confirm| confirm)
}

/// As `platform`, the confirmer also asking for the patient's studies (patientStudies)
/// in the simulator's alliance.
pub fn platform_listing_studies(url: &str) -> (aimis_sim::Simulator, Confirmer) {
    platform_confirming(url, credentials(), |confirm| confirm.union_id("U0001"))
}

fn platform_confirming(
    url: &str,
    opener: aimis::Credentials,
    configure: impl FnOnce(PlatformConfirm) -> PlatformConfirm,
) -> (aimis_sim::Simulator, Confirmer) {
    let sim = aimis_sim::Simulator::builder(credentials())
        .spawn("127.0.0.1:0")
        .unwrap();
    let client = aimis::Client::builder(credentials())
        .base_url(sim.base_url())
        .retry(aimis::RetryPolicy::NONE)
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let options = ConfirmOptions {
        lease: Duration::from_secs(10),
        initial_backoff: Duration::from_millis(50),
        max_backoff: Duration::from_millis(200),
        idle_poll: Duration::from_millis(20),
    };
    let inbox = Inbox::open(url, opener).unwrap();
    let confirm = configure(PlatformConfirm::new(client));
    let confirmer = Confirmer::start(inbox, Box::new(confirm), options).unwrap();
    (sim, confirmer)
}

pub fn confirming_receiver(url: &str) -> Receiver {
    Receiver::new(Inbox::open(url, credentials()).unwrap(), credentials()).confirming(true)
}

/// A status callback of the simulator's demo patient about `study` and `report`, with
/// report links under `links`.
pub fn sim_body(study: &str, report: &str, links: &str) -> Vec<u8> {
    json!({
        "status": 1,
        "phoneNum": aimis::encrypt_field(TOKEN, PHONE).unwrap(),
        "idNum": aimis::encrypt_field(TOKEN, ID_NUM).unwrap(),
        "patientId": "P0001",
        "hospitalId": "H0001",
        "studyType": 0,
        "studyDate": "2025-01-15 09:30:00",
        "studyId": study,
        "h5Url": format!("{links}/report/{report}"),
        "h5DetailUrl": format!("{links}/images/{report}"),
        "reportId": report,
    })
    .to_string()
    .into_bytes()
}

pub const SIM_LINKS: &str = "https://h5.aimis-sim.example";

/// A body about the simulator's study S0002 (report R0002, an ultrasound on
/// 2025-03-02), with the platform's links and `forged` fields over it.
pub fn s0002_body(forged: Value) -> Vec<u8> {
    let mut body: Value = serde_json::from_slice(&sim_body("S0002", "R0002", SIM_LINKS)).unwrap();
    body["studyType"] = json!(5);
    body["studyDate"] = json!("2025-03-02 14:10:00");
    for (name, value) in forged.as_object().unwrap() {
        body[name] = value.clone();
    }
    body.to_string().into_bytes()
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn drain(inbox: &Inbox) -> Vec<Item> {
    let mut items = Vec::new();
    while let Some(item) = inbox.next(Duration::from_secs(30)).unwrap() {
        inbox.ack(item.id).unwrap();
        items.push(item);
    }
    items
}

pub fn confirm_delivers_only_what_the_platform_issued_with_its_links(url: &str) {
    let receiver = confirming_receiver(url);
    let inbox = receiver.inbox();
    let headers = headers(aimis::Clock::now_millis(&aimis::SystemClock));
    let send = |body: &[u8]| receiver.handle(&pairs(&headers), body).outcome;
    // Genuine, then under its replayed headers a forged link for another real report,
    // and a report the platform never issued: all stored, none handed out yet.
    let stored = |id| Outcome::Stored {
        id,
        superseded: false,
    };
    assert_eq!(send(&sim_body("S0001", "R0001", SIM_LINKS)), stored(1));
    assert_eq!(send(&sim_body("S0002", "R0002", EVIL)), stored(2));
    assert_eq!(send(&sim_body("S0666", "R-FORGED", EVIL)), stored(3));
    assert!(
        inbox.next(LEASE).unwrap().is_none(),
        "nothing before confirmation"
    );
    let stats = inbox.stats().unwrap();
    assert_eq!(
        (stats.awaiting_confirmation, stats.same_millisecond),
        (3, 2)
    );

    let (_sim, _confirmer) = platform(url);
    wait_until("confirmation", || {
        inbox.stats().unwrap().awaiting_confirmation == 0
    });
    let items = drain(inbox);
    let links: Vec<(i64, String, String)> = items
        .iter()
        .map(|i| {
            let text = |name: &str| i.callback[name].as_str().unwrap_or_default().to_owned();
            (i.id, text("h5Url"), text("h5DetailUrl"))
        })
        .collect();
    assert_eq!(
        links,
        [
            (
                1,
                format!("{SIM_LINKS}/report/R0001"),
                format!("{SIM_LINKS}/images/R0001")
            ),
            (
                2,
                format!("{SIM_LINKS}/report/R0002"),
                format!("{SIM_LINKS}/images/R0002")
            ),
        ]
    );
    for item in &items {
        assert!(!item.to_json().to_string().contains(EVIL), "{}", item.id);
    }
    let stats = inbox.stats().unwrap();
    assert_eq!(
        (
            stats.delivered,
            stats.dead,
            stats.links_mismatched,
            stats.not_confirmed
        ),
        (2, 1, 1, 1)
    );
    let dead = inbox.list(Some(State::Dead)).unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(
        (dead[0].id, dead[0].confirmation),
        (3, Some("not_confirmed"))
    );

    // `retry` puts it to the platform again; still unknown, it goes dead again.
    inbox.retry(3).unwrap();
    wait_until("the retried confirmation", || {
        inbox.stats().unwrap().not_confirmed == 2
    });
    assert!(inbox.next(LEASE).unwrap().is_none());
    assert_eq!(inbox.stats().unwrap().dead, 1);
}

pub fn confirm_waits_while_the_platform_is_down_and_delivers_once_it_is_up(url: &str) {
    let receiver = confirming_receiver(url);
    let inbox = receiver.inbox();
    let (sim, _confirmer) = platform(url);
    sim.add_fault(aimis_sim::Fault {
        kind: aimis_sim::FaultKind::Reset,
        times: None,
        probability: None,
        endpoint: None,
    })
    .unwrap();
    let at = aimis::Clock::now_millis(&aimis::SystemClock);
    let answer = receiver.handle(&pairs(&headers(at)), &sim_body("S0003", "R0003", SIM_LINKS));
    assert!(answer.outcome.acknowledged());
    wait_until("the platform asked and unreachable", || {
        sim.requests().len() >= 2
    });
    assert!(inbox.next(LEASE).unwrap().is_none());
    let stats = inbox.stats().unwrap();
    assert_eq!((stats.awaiting_confirmation, stats.dead), (1, 0));

    sim.clear_faults();
    wait_until("confirmation", || {
        inbox.stats().unwrap().awaiting_confirmation == 0
    });
    let items = drain(inbox);
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0].callback["h5Url"],
        format!("{SIM_LINKS}/report/R0003")
    );
    let stats = inbox.stats().unwrap();
    assert_eq!((stats.links_mismatched, stats.not_confirmed), (0, 0));
}

pub fn confirm_waits_when_the_body_does_not_open_with_its_token(url: &str) {
    let receiver = confirming_receiver(url);
    let inbox = receiver.inbox();
    let at = aimis::Clock::now_millis(&aimis::SystemClock);
    let answer = receiver.handle(&pairs(&headers(at)), &sim_body("S0001", "R0001", SIM_LINKS));
    assert!(answer.outcome.acknowledged());
    // A confirmer with another token (a misconfiguration) gives no verdict: it waits.
    let other = aimis::Credentials::new(APP_ID, "fedcba9876543210fedcba9876543210").unwrap();
    let (sim, confirmer) = platform_opening_with(url, other);
    std::thread::sleep(Duration::from_millis(400));
    drop(confirmer);
    assert!(sim.requests().is_empty(), "the platform was not asked");
    let stats = inbox.stats().unwrap();
    assert_eq!(
        (stats.awaiting_confirmation, stats.dead, stats.not_confirmed),
        (1, 0, 0)
    );
    // With the right token, it is confirmed.
    let (_sim, _confirmer) = platform(url);
    wait_until("confirmation", || {
        inbox.stats().unwrap().awaiting_confirmation == 0
    });
    assert_eq!(drain(inbox).len(), 1);
}

/// A forged body under a captured header set names a real report of the right study:
/// confirmed, but what the platform cannot vouch for is not delivered as the body said
/// it (patientId and, without the alliance's id, the study's fields are left out;
/// status is marked unconfirmed), and its forged status 3 supersedes nothing: the
/// study's genuine later callback is delivered too.
pub fn confirm_delivers_only_what_the_platform_vouches_for(url: &str) {
    let receiver = confirming_receiver(url);
    let inbox = receiver.inbox();
    let at = aimis::Clock::now_millis(&aimis::SystemClock);
    let captured = headers(at);
    assert!(
        receiver
            .handle(&pairs(&captured), &sim_body("S0001", "R0001", SIM_LINKS))
            .outcome
            .acknowledged()
    );
    let forged = s0002_body(json!({
        "status": 3,
        "patientId": "P-FORGED",
        "hisId": "HIS-FORGED",
        "studyName": "FORGED study",
        "bodyPart": "FORGED part",
        "studyDate": "2031-01-01 00:00:00",
    }));
    assert!(
        receiver
            .handle(&pairs(&captured), &forged)
            .outcome
            .acknowledged()
    );
    // The study's genuine callback, after the forged one.
    let genuine = s0002_body(json!({"status": 1}));
    let answer = receiver.handle(&pairs(&headers(at + 1)), &genuine);
    assert_eq!(
        answer.outcome,
        Outcome::Stored {
            id: 3,
            superseded: false
        }
    );

    let (_sim, _confirmer) = platform(url);
    wait_until("confirmation", || {
        inbox.stats().unwrap().awaiting_confirmation == 0
    });
    let items = drain(inbox);
    let delivered: Vec<(i64, Value)> = items
        .iter()
        .map(|i| (i.id, i.callback["status"].clone()))
        .collect();
    assert_eq!(delivered, [(1, json!(1)), (2, json!(3)), (3, json!(1))]);
    for item in &items {
        let json = item.to_json();
        assert!(!json.to_string().contains("FORGED"), "{}", item.id);
        assert_eq!(json["unconfirmed"], json!(["status"]), "{}", item.id);
        for name in [
            "patientId",
            "hisId",
            "studyType",
            "studyDate",
            "studyName",
            "bodyPart",
        ] {
            assert!(item.callback.get(name).is_none(), "{name} of {}", item.id);
        }
        for name in ["phoneNum", "idNum", "hospitalId", "studyId", "reportId"] {
            assert!(item.callback.get(name).is_some(), "{name} of {}", item.id);
        }
    }
    assert_eq!(inbox.stats().unwrap().superseded, 0);
}

/// With the alliance's id, the platform's list of the patient's studies vouches for
/// the study's own fields: delivered as the platform lists them; a body whose study is
/// not listed with its type on its date is not confirmed.
pub fn confirm_with_the_patient_s_studies_delivers_the_platform_s_study_fields(url: &str) {
    let receiver = confirming_receiver(url);
    let inbox = receiver.inbox();
    let captured = headers(aimis::Clock::now_millis(&aimis::SystemClock));
    let forged = s0002_body(json!({
        "patientId": "P-FORGED",
        "hisId": "HIS-FORGED",
        "studyName": "FORGED study",
    }));
    let wrong_date = s0002_body(json!({"status": 2, "studyDate": "2025-03-03 14:10:00"}));
    for body in [&forged, &wrong_date] {
        assert!(
            receiver
                .handle(&pairs(&captured), body)
                .outcome
                .acknowledged()
        );
    }
    let (_sim, _confirmer) = platform_listing_studies(url);
    wait_until("confirmation", || {
        inbox.stats().unwrap().awaiting_confirmation == 0
    });
    let items = drain(inbox);
    assert_eq!(items.len(), 1);
    let callback = &items[0].callback;
    assert_eq!(
        (
            &callback["hisId"],
            &callback["studyName"],
            &callback["bodyPart"],
            &callback["studyType"],
            &callback["studyDate"],
        ),
        (
            &json!("HIS0002"),
            &json!("Abdominal ultrasound"),
            &json!("Abdomen"),
            &json!(5),
            &json!("2025-03-02 14:10:00"),
        )
    );
    assert!(callback.get("patientId").is_none());
    assert!(!items[0].to_json().to_string().contains("FORGED"));
    let stats = inbox.stats().unwrap();
    assert_eq!(
        (stats.fields_mismatched, stats.not_confirmed, stats.dead),
        (1, 1, 1)
    );
}
