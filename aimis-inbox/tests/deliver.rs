//! `--deliver-url`: pushing to a real loopback endpoint that refuses at first, in order,
//! with back-off, and dead letters when it never accepts; with `--confirm`, only what the
//! platform confirmed, with its links.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aimis_inbox::{DeliverOptions, Deliverer, Inbox, State};
use axum::Router;
use axum::extract::State as AxState;
use axum::http::StatusCode;
use axum::routing::post;
use common::*;
use serde_json::Value;

#[derive(Default)]
struct Endpoint {
    refuse: AtomicU32,
    accepted: Mutex<Vec<Value>>,
    tries: AtomicU32,
}

/// An HTTP endpoint on loopback that answers 500 to its first `refuse` posts.
fn endpoint(refuse: u32) -> (String, Arc<Endpoint>) {
    let state = Arc::new(Endpoint {
        refuse: AtomicU32::new(refuse),
        ..Endpoint::default()
    });
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}/his", listener.local_addr().unwrap());
    let router = Router::new()
        .route(
            "/his",
            post(
                |AxState(s): AxState<Arc<Endpoint>>, body: String| async move {
                    s.tries.fetch_add(1, Ordering::SeqCst);
                    if s.refuse
                        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                        .is_ok()
                    {
                        return StatusCode::INTERNAL_SERVER_ERROR;
                    }
                    s.accepted
                        .lock()
                        .unwrap()
                        .push(serde_json::from_str(&body).unwrap());
                    StatusCode::NO_CONTENT
                },
            ),
        )
        .with_state(state.clone());
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, router).await.unwrap();
        });
    });
    (url, state)
}

fn options(url: &str) -> DeliverOptions {
    DeliverOptions {
        initial_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(100),
        idle_poll: Duration::from_millis(20),
        ..DeliverOptions::new(url)
    }
}

/// Waits (bounded, so a bug fails rather than hangs) until `done` holds.
fn eventually(what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "never: {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn pushes_in_order_retrying_until_accepted() {
    let (_dir, url, _) = store();
    let clock = TestClock::new();
    let receiver = receiver(&url, &clock);
    let now = aimis::Clock::now_millis(&*clock);
    for (i, status) in [1, 3].into_iter().enumerate() {
        let answer = receiver.handle(&pairs(&headers(now + i as u64)), &body("S1", status));
        assert!(answer.outcome.acknowledged());
    }
    let (target, endpoint) = endpoint(2);
    let deliverer =
        Deliverer::start(Inbox::open(&url, credentials()).unwrap(), options(&target)).unwrap();
    let inbox = Inbox::open_store(&url).unwrap();
    eventually("both delivered", || inbox.stats().unwrap().delivered == 2);
    deliverer.shutdown();
    let accepted = endpoint.accepted.lock().unwrap().clone();
    let statuses: Vec<&Value> = accepted.iter().map(|a| &a["callback"]["status"]).collect();
    assert_eq!(
        statuses,
        [1, 3],
        "the first, refused twice, still goes first"
    );
    assert_eq!(accepted[0]["attempts"], 3);
    assert_eq!(accepted[0]["callback"]["phoneNum"], PHONE);
    assert_eq!(endpoint.tries.load(Ordering::SeqCst), 4);
}

#[test]
fn never_accepted_becomes_a_dead_letter_and_retry_revives_it() {
    let (_dir, url, _) = store();
    let clock = TestClock::new();
    let receiver = receiver(&url, &clock);
    let now = aimis::Clock::now_millis(&*clock);
    assert!(
        receiver
            .handle(&pairs(&headers(now)), &body("S1", 0))
            .outcome
            .acknowledged()
    );
    let (target, endpoint) = endpoint(u32::MAX);
    let pushing = Inbox::open(&url, credentials()).unwrap().max_attempts(3);
    let deliverer = Deliverer::start(pushing, options(&target)).unwrap();
    let inbox = Inbox::open_store(&url).unwrap();
    eventually("dead", || inbox.stats().unwrap().dead == 1);
    deliverer.shutdown();
    assert_eq!(endpoint.tries.load(Ordering::SeqCst), 3);
    let dead = inbox.list(Some(State::Dead)).unwrap();
    inbox.retry(dead[0].id).unwrap();
    endpoint.refuse.store(0, Ordering::SeqCst);
    let deliverer =
        Deliverer::start(Inbox::open(&url, credentials()).unwrap(), options(&target)).unwrap();
    eventually("delivered after retry", || {
        inbox.stats().unwrap().delivered == 1
    });
    deliverer.shutdown();
}

#[test]
fn a_deliver_url_must_be_http() {
    let (_dir, url, _) = store();
    let e = Deliverer::start(
        Inbox::open(&url, credentials()).unwrap(),
        DeliverOptions::new("ftp://x"),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "--deliver-url: must be an http:// or https:// URL"
    );
}

#[test]
fn with_confirm_only_what_the_platform_confirmed_is_pushed_with_its_links() {
    use common::confirming::{EVIL, SIM_LINKS, confirming_receiver, platform, sim_body};
    let (_dir, url, _) = store();
    let receiver = confirming_receiver(&url);
    // Under one header set: a forged link for a real report, and a report never issued.
    let headers = headers(aimis::Clock::now_millis(&aimis::SystemClock));
    for body in [
        sim_body("S0002", "R0002", EVIL),
        sim_body("S0666", "R-FORGED", EVIL),
    ] {
        assert!(
            receiver
                .handle(&pairs(&headers), &body)
                .outcome
                .acknowledged()
        );
    }
    let (his_url, his) = endpoint(0);
    let pusher =
        Deliverer::start(Inbox::open(&url, credentials()).unwrap(), options(&his_url)).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        his.tries.load(Ordering::SeqCst),
        0,
        "nothing before confirmation"
    );

    let (_sim, _confirmer) = platform(&url);
    eventually("the confirmed one pushed", || {
        his.accepted.lock().unwrap().len() == 1
    });
    eventually("the unknown one dead", || {
        receiver.inbox().stats().unwrap().dead == 1
    });
    pusher.shutdown();
    let accepted = his.accepted.lock().unwrap();
    assert_eq!(
        accepted[0]["callback"]["h5Url"],
        format!("{SIM_LINKS}/report/R0002")
    );
    assert!(!Value::Array(accepted.clone()).to_string().contains(EVIL));
    let stats = receiver.inbox().stats().unwrap();
    assert_eq!(
        (stats.delivered, stats.links_mismatched, stats.not_confirmed),
        (1, 1, 1)
    );
}
