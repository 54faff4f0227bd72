//! `--confirm` scenarios over any store URL, against the real simulator over loopback:
//! nothing is handed out before the platform confirms it, and then with the platform's
//! links; a forged link under replayed headers is never delivered.

use std::time::{Duration, Instant};

use aimis_inbox::{
    ConfirmOptions, Confirmer, Inbox, Item, Outcome, PlatformConfirm, Receiver, State,
};
use serde_json::json;

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
    let confirmer =
        Confirmer::start(inbox, Box::new(PlatformConfirm::new(client)), options).unwrap();
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
