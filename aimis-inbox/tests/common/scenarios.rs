//! The inbox's semantics as scenarios over any store URL: the SQLite tests and the
//! PostgreSQL tests run the same ones.

use std::time::Duration;

use aimis_inbox::{Inbox, InboxError, Outcome, State};
use serde_json::Value;

use super::*;

#[allow(unused_imports)]
pub use super::confirming::*;

pub fn send(receiver: &aimis_inbox::Receiver, at: u64, body: &[u8]) -> aimis_inbox::Answer {
    receiver.handle(&pairs(&headers(at)), body)
}

pub fn code(answer: &aimis_inbox::Answer) -> i64 {
    let v: Value = serde_json::from_str(&answer.body).unwrap();
    v["code"].as_i64().unwrap()
}

pub const LEASE: Duration = Duration::from_secs(30);

/// Calls `$each!` with the name of every scenario: each store's tests run them all, and
/// a new scenario reaches every store. (Unused in the test binaries that run none.)
#[allow(unused_macros)]
macro_rules! every_scenario {
    ($each:ident) => {
        $each!(
            a_callback_is_stored_once_however_often_it_comes,
            headers_seen_before_with_another_body_are_refused,
            nonces_survive_a_restart,
            verification_failures_are_refused_counted_and_not_stored,
            a_study_only_moves_forward,
            a_study_is_handed_out_one_callback_at_a_time,
            leases_expire_nacks_return_and_too_many_attempts_go_dead,
            an_unclaimed_callback_is_pending_again_with_its_attempt_not_counted,
            a_lease_or_a_wait_too_long_to_count_holds_for_ever,
            ack_nack_and_retry_name_what_is_wrong,
            consumers_never_claim_the_same_callback,
            confirm_delivers_only_what_the_platform_issued_with_its_links,
            confirm_waits_while_the_platform_is_down_and_delivers_once_it_is_up,
            confirm_waits_when_the_body_does_not_open_with_its_token,
            confirm_delivers_only_what_the_platform_vouches_for,
            confirm_with_the_patient_s_studies_delivers_the_platform_s_study_fields,
        );
    };
}
#[allow(unused_imports)]
pub(crate) use every_scenario;

pub fn a_callback_is_stored_once_however_often_it_comes(url: &str) {
    let clock = TestClock::new();
    let receiver = receiver(url, &clock);
    let now = aimis::Clock::now_millis(&*clock);
    let first = send(&receiver, now, &body("S1", 0));
    assert_eq!(
        first.outcome,
        Outcome::Stored {
            id: 1,
            superseded: false
        }
    );
    assert_eq!(first.body, aimis::callback_ack());
    // The same headers and body again (the answer was lost), then with fresh headers
    // (the platform's retry): acknowledged, not stored again.
    assert_eq!(
        send(&receiver, now, &body("S1", 0)).outcome,
        Outcome::Duplicate { id: 1 }
    );
    clock.advance(1000);
    assert_eq!(
        send(&receiver, now + 1000, &body("S1", 0)).outcome,
        Outcome::Duplicate { id: 1 }
    );
    // Another connection to the same file sees it, committed.
    let other = Inbox::open_store(url).unwrap();
    let stats = other.stats().unwrap();
    assert_eq!((stats.received, stats.duplicates, stats.pending), (1, 2, 1));
    assert_eq!(other.list(Some(State::Pending)).unwrap().len(), 1);
}

pub fn headers_seen_before_with_another_body_are_refused(url: &str) {
    let clock = TestClock::new();
    let receiver = receiver(url, &clock);
    let now = aimis::Clock::now_millis(&*clock);
    assert!(send(&receiver, now, &body("S1", 0)).outcome.acknowledged());
    // Moments later: two genuine callbacks of one millisecond, or so it seems.
    let same_ms = send(&receiver, now, &body("S2", 0));
    assert_eq!(same_ms.outcome, Outcome::SameMillisecond);
    assert_eq!(code(&same_ms), 90002);
    // Later within the freshness window: a replay.
    clock.advance(60_000);
    let replay = send(&receiver, now, &body("S3", 1));
    assert_eq!(replay.outcome, Outcome::Replay);
    assert_ne!(code(&replay), 0);
    // The refused bodies were not stored; a fresh header set for them is fine.
    let stats = receiver.inbox().stats().unwrap();
    assert_eq!(
        (
            stats.received,
            stats.replays_refused,
            stats.same_millisecond
        ),
        (1, 1, 1)
    );
    assert!(
        send(&receiver, now + 60_000, &body("S2", 0))
            .outcome
            .acknowledged()
    );
}

pub fn nonces_survive_a_restart(url: &str) {
    let clock = TestClock::new();
    let now = aimis::Clock::now_millis(&*clock);
    {
        let receiver = receiver(url, &clock);
        assert!(send(&receiver, now, &body("S1", 0)).outcome.acknowledged());
    }
    clock.advance(10_000);
    let receiver = receiver(url, &clock);
    assert_eq!(
        send(&receiver, now, &body("S9", 3)).outcome,
        Outcome::Replay
    );
    assert_eq!(receiver.inbox().stats().unwrap().received, 1);
}

pub fn verification_failures_are_refused_counted_and_not_stored(url: &str) {
    let clock = TestClock::new();
    let receiver = receiver(url, &clock);
    let now = aimis::Clock::now_millis(&*clock);
    let mut bad_signature = headers(now);
    bad_signature[1].1 = "0".repeat(64);
    let answer = receiver.handle(&pairs(&bad_signature), &body("S1", 0));
    assert_eq!(
        answer.outcome,
        Outcome::Refused {
            reason: "bad_signature"
        }
    );
    assert_eq!(code(&answer), 90002);
    let stale = send(&receiver, now - 301_000, &body("S1", 0));
    assert_eq!(stale.outcome, Outcome::Refused { reason: "stale" });
    let mut other_app = headers(now);
    other_app[0].1 = "someone-else".into();
    assert_eq!(
        receiver.handle(&pairs(&other_app), &body("S1", 0)).outcome,
        Outcome::Refused {
            reason: "app_id_mismatch"
        }
    );
    let not_json = send(&receiver, now, b"{\"status\": ");
    assert_eq!(
        not_json.outcome,
        Outcome::Refused {
            reason: "malformed_body"
        }
    );
    assert_eq!(code(&not_json), 1);
    // A phone number sent in the clear cannot be decrypted: refused, and not echoed.
    let plain = String::from_utf8(body("S1", 0))
        .unwrap()
        .replace(&aimis::encrypt_field(TOKEN, PHONE).unwrap(), PHONE);
    let answer = send(&receiver, now, plain.as_bytes());
    assert_eq!(answer.outcome, Outcome::Refused { reason: "field" });
    assert!(!answer.body.contains(PHONE), "{}", answer.body);
    // An unknown status is against the spec's rules.
    let answer = send(&receiver, now + 1, &body("S1", 7));
    assert_eq!(answer.outcome, Outcome::Refused { reason: "field" });
    let stats = receiver.inbox().stats().unwrap();
    assert_eq!((stats.received, stats.refused), (0, 6));
    assert_eq!(stats.refused_by_reason["field"], 2);
    assert_eq!(stats.refused_by_reason["bad_signature"], 1);
}

pub fn a_study_only_moves_forward(url: &str) {
    let clock = TestClock::new();
    let receiver = receiver(url, &clock);
    let now = aimis::Clock::now_millis(&*clock);
    let outcomes: Vec<Outcome> = [
        ("A", 3),
        ("A", 1),
        ("A", 0),
        ("B", 1),
        ("B", 2),
        ("B", 2),
        ("B", 3),
    ]
    .iter()
    .enumerate()
    .map(|(i, (study, status))| {
        let mut b = body(study, *status);
        if i == 5 {
            // Status 2 again with a different report id: no news.
            b = String::from_utf8(b)
                .unwrap()
                .replace("R-B", "R-B2")
                .into_bytes();
        }
        send(&receiver, now + i as u64, &b).outcome
    })
    .collect();
    let superseded: Vec<bool> = outcomes
        .iter()
        .map(|o| match o {
            Outcome::Stored { superseded, .. } => *superseded,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(superseded, [false, true, true, false, false, true, false]);
    let stats = receiver.inbox().stats().unwrap();
    assert_eq!((stats.pending, stats.superseded), (4, 3));
    // Superseded ones are never handed out as current.
    let inbox = receiver.inbox();
    let mut handed = Vec::new();
    while let Some(item) = inbox.next(LEASE).unwrap() {
        handed.push((
            item.callback["studyId"].as_str().unwrap().to_owned(),
            item.callback["status"].as_i64().unwrap(),
        ));
        inbox.ack(item.id).unwrap();
    }
    let handed: Vec<(&str, i64)> = handed.iter().map(|(s, n)| (s.as_str(), *n)).collect();
    assert_eq!(handed, [("A", 3), ("B", 1), ("B", 2), ("B", 3)]);
}

pub fn a_study_is_handed_out_one_callback_at_a_time(url: &str) {
    let clock = TestClock::new();
    let receiver = receiver(url, &clock);
    let now = aimis::Clock::now_millis(&*clock);
    for (i, (study, status)) in [("A", 0), ("A", 1), ("B", 0)].iter().enumerate() {
        assert!(
            send(&receiver, now + i as u64, &body(study, *status))
                .outcome
                .acknowledged()
        );
    }
    let inbox = receiver.inbox();
    let a0 = inbox.next(LEASE).unwrap().unwrap();
    // A's second waits for its first; B goes ahead.
    let b0 = inbox.next(LEASE).unwrap().unwrap();
    assert_eq!((a0.id, b0.id), (1, 3));
    assert!(inbox.next(LEASE).unwrap().is_none());
    inbox.ack(a0.id).unwrap();
    assert_eq!(inbox.next(LEASE).unwrap().unwrap().id, 2);
}

pub fn leases_expire_nacks_return_and_too_many_attempts_go_dead(url: &str) {
    let clock = TestClock::new();
    let receiver = receiver(url, &clock);
    let now = aimis::Clock::now_millis(&*clock);
    assert!(send(&receiver, now, &body("S1", 0)).outcome.acknowledged());
    let inbox = Inbox::open(url, credentials())
        .unwrap()
        .clock(clock.clone())
        .max_attempts(3);
    let first = inbox.next(LEASE).unwrap().unwrap();
    assert_eq!(first.attempts, 1);
    assert!(
        inbox.next(LEASE).unwrap().is_none(),
        "claimed: not handed out twice"
    );
    assert_eq!(inbox.stats().unwrap().leased, 1);
    clock.advance(29_000);
    assert!(inbox.next(LEASE).unwrap().is_none());
    clock.advance(2_000);
    let again = inbox.next(LEASE).unwrap().unwrap();
    assert_eq!((again.id, again.attempts), (first.id, 2));
    inbox.nack(again.id).unwrap();
    let third = inbox.next(LEASE).unwrap().unwrap();
    assert_eq!(third.attempts, 3);
    inbox.nack(third.id).unwrap();
    // A fourth claim would exceed max_attempts: dead instead.
    assert!(inbox.next(LEASE).unwrap().is_none());
    let stats = inbox.stats().unwrap();
    assert_eq!((stats.pending, stats.dead), (0, 1));
    assert_eq!(inbox.list(Some(State::Dead)).unwrap()[0].id, first.id);
    inbox.retry(first.id).unwrap();
    let revived = inbox.next(LEASE).unwrap().unwrap();
    assert_eq!((revived.id, revived.attempts), (first.id, 1));
    inbox.ack(revived.id).unwrap();
    assert_eq!(inbox.stats().unwrap().delivered, 1);
}

pub fn an_unclaimed_callback_is_pending_again_with_its_attempt_not_counted(url: &str) {
    let clock = TestClock::new();
    let receiver = receiver(url, &clock);
    let now = aimis::Clock::now_millis(&*clock);
    assert!(send(&receiver, now, &body("S1", 0)).outcome.acknowledged());
    let inbox = Inbox::open(url, credentials())
        .unwrap()
        .clock(clock.clone())
        .max_attempts(3);
    // More unclaims than attempts: none of them counts, and the callback never dies.
    for _ in 0..5 {
        let item = inbox.next(LEASE).unwrap().unwrap();
        assert_eq!(item.attempts, 1);
        inbox.unclaim(item.id).unwrap();
    }
    let item = inbox.next(LEASE).unwrap().unwrap();
    inbox.ack(item.id).unwrap();
    assert!(matches!(
        inbox.unclaim(item.id),
        Err(InboxError::WrongState { .. })
    ));
    assert_eq!(inbox.stats().unwrap().delivered, 1);
}

/// A lease or a wait longer than the store can count holds for ever: it never wraps
/// round into the past, handing the callback to another consumer at once.
pub fn a_lease_or_a_wait_too_long_to_count_holds_for_ever(url: &str) {
    let clock = TestClock::new();
    let receiver = receiver(url, &clock);
    let now = aimis::Clock::now_millis(&*clock);
    assert!(send(&receiver, now, &body("S1", 0)).outcome.acknowledged());
    assert!(
        send(&receiver, now + 1, &body("S2", 0))
            .outcome
            .acknowledged()
    );
    let inbox = Inbox::open(url, credentials())
        .unwrap()
        .clock(clock.clone());
    let first = inbox.next(Duration::MAX).unwrap().unwrap();
    let second = inbox.next(LEASE).unwrap().unwrap();
    assert_ne!(
        first.id, second.id,
        "claimed for ever: not handed out twice"
    );
    inbox.nack_after(second.id, Duration::MAX).unwrap();
    clock.advance(3_600_000);
    assert!(
        inbox.next(LEASE).unwrap().is_none(),
        "one claimed for ever, one given back for ever: nothing to hand out"
    );
    assert_eq!(inbox.stats().unwrap().leased, 2);
}

pub fn ack_nack_and_retry_name_what_is_wrong(url: &str) {
    let clock = TestClock::new();
    let receiver = receiver(url, &clock);
    let now = aimis::Clock::now_millis(&*clock);
    assert!(send(&receiver, now, &body("S1", 0)).outcome.acknowledged());
    let inbox = receiver.inbox();
    let e = inbox.ack(1).unwrap_err();
    assert!(
        matches!(
            e,
            InboxError::WrongState {
                id: 1,
                state: State::Pending,
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("only a claimed callback"), "{e}");
    assert!(matches!(inbox.nack(1), Err(InboxError::WrongState { .. })));
    assert!(matches!(inbox.retry(1), Err(InboxError::WrongState { .. })));
    assert!(matches!(inbox.ack(42), Err(InboxError::NotFound(42))));
    let item = inbox.next(LEASE).unwrap().unwrap();
    inbox.ack(item.id).unwrap();
    inbox.ack(item.id).unwrap();
    assert!(matches!(
        inbox.nack(item.id),
        Err(InboxError::WrongState {
            state: State::Delivered,
            ..
        })
    ));
}

/// Four consumers, each with its own connection, drain 120 callbacks of 120 studies:
/// every callback is handed out exactly once.
pub fn consumers_never_claim_the_same_callback(url: &str) {
    let clock = TestClock::new();
    let receiver = receiver(url, &clock);
    let now = aimis::Clock::now_millis(&*clock);
    for i in 0..120u64 {
        let answer = send(&receiver, now + i, &body(&format!("S{i}"), 0));
        assert!(answer.outcome.acknowledged(), "{answer:?}");
    }
    let consumers: Vec<_> = (0..4)
        .map(|_| {
            let url = url.to_owned();
            std::thread::spawn(move || {
                let inbox = Inbox::open(&url, credentials()).unwrap();
                let mut claimed = Vec::new();
                while let Some(item) = inbox.next(Duration::from_secs(60)).unwrap() {
                    claimed.push(item.id);
                    inbox.ack(item.id).unwrap();
                }
                claimed
            })
        })
        .collect();
    let mut all: Vec<i64> = consumers
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();
    all.sort_unstable();
    assert_eq!(all, (1..=120).collect::<Vec<i64>>());
    assert_eq!(receiver.inbox().stats().unwrap().delivered, 120);
}
