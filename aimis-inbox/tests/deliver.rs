//! `--deliver-url`: pushing to a real loopback endpoint that refuses at first, in order,
//! with back-off, and dead letters when it never accepts; with `--confirm`, only what the
//! platform confirmed, with its links.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aimis::{Client, ClientBuilder};
use aimis_inbox::{DeliverOptions, Deliverer, Inbox, State};
use axum::Router;
use axum::extract::State as AxState;
use axum::http::StatusCode;
use axum::routing::post;
use common::*;
use serde_json::Value;
use tokio_rustls::rustls;

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

/// The client's connection options the pusher reaches the endpoint with.
fn connection() -> ClientBuilder<Client> {
    Client::builder(credentials()).timeout(Duration::from_secs(5))
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
    let deliverer = Deliverer::start(
        Inbox::open(&url, credentials()).unwrap(),
        options(&target),
        &connection(),
    )
    .unwrap();
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
    let deliverer = Deliverer::start(pushing, options(&target), &connection()).unwrap();
    let inbox = Inbox::open_store(&url).unwrap();
    eventually("dead", || inbox.stats().unwrap().dead == 1);
    deliverer.shutdown();
    assert_eq!(endpoint.tries.load(Ordering::SeqCst), 3);
    let dead = inbox.list(Some(State::Dead)).unwrap();
    inbox.retry(dead[0].id).unwrap();
    endpoint.refuse.store(0, Ordering::SeqCst);
    let deliverer = Deliverer::start(
        Inbox::open(&url, credentials()).unwrap(),
        options(&target),
        &connection(),
    )
    .unwrap();
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
        &connection(),
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
    let pusher = Deliverer::start(
        Inbox::open(&url, credentials()).unwrap(),
        options(&his_url),
        &connection(),
    )
    .unwrap();
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

/// A CA and a certificate for 127.0.0.1 it signed: the server's TLS configuration and
/// the CA's PEM.
fn test_ca() -> (Arc<rustls::ServerConfig>, String) {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_key = KeyPair::generate().unwrap();
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec!["127.0.0.1".to_owned()])
        .unwrap()
        .signed_by(&key, &issuer)
        .unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(
        vec![cert.der().clone()],
        rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
    )
    .unwrap();
    (Arc::new(config), ca.pem())
}

/// An HTTPS endpoint on loopback with a certificate of `tls`'s CA: records each body
/// and answers 204.
fn https_endpoint(tls: Arc<rustls::ServerConfig>) -> (String, Arc<Mutex<Vec<Value>>>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://{}/his", listener.local_addr().unwrap());
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let kept = bodies.clone();
    std::thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let connection = rustls::ServerConnection::new(tls.clone()).unwrap();
            let mut reader = BufReader::new(rustls::StreamOwned::new(connection, tcp));
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                if line.trim().is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':')
                    && name.eq_ignore_ascii_case("content-length")
                {
                    length = value.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            if length == 0 || reader.read_exact(&mut body).is_err() {
                continue;
            }
            kept.lock()
                .unwrap()
                .push(serde_json::from_slice(&body).unwrap());
            let stream = reader.get_mut();
            let _ = stream.write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
            let _ = stream.flush();
            stream.conn.send_close_notify();
            let _ = stream.flush();
        }
    });
    (url, bodies)
}

#[test]
fn an_https_endpoint_signed_by_a_ca_the_client_trusts_is_pushed_to() {
    let (_dir, url, _) = store();
    let clock = TestClock::new();
    let receiver = receiver(&url, &clock);
    let now = aimis::Clock::now_millis(&*clock);
    let answer = receiver.handle(&pairs(&headers(now)), &body("S1", 1));
    assert!(answer.outcome.acknowledged());
    let (tls, ca_pem) = test_ca();
    let (his_url, accepted) = https_endpoint(tls);
    let trusting = connection().add_root_certificates_pem(ca_pem);
    let pusher = Deliverer::start(
        Inbox::open(&url, credentials()).unwrap(),
        options(&his_url),
        &trusting,
    )
    .unwrap();
    let inbox = Inbox::open_store(&url).unwrap();
    eventually("delivered over TLS", || {
        inbox.stats().unwrap().delivered == 1
    });
    pusher.shutdown();
    assert_eq!(accepted.lock().unwrap()[0]["callback"]["phoneNum"], PHONE);
}

#[test]
fn a_bad_connection_option_is_refused_when_the_pusher_starts() {
    let (_dir, url, _) = store();
    let e = Deliverer::start(
        Inbox::open(&url, credentials()).unwrap(),
        DeliverOptions::new("http://127.0.0.1:9/his"),
        &connection().proxy("http://his:s3cret@[::1"),
    )
    .unwrap_err();
    let message = e.to_string();
    assert!(
        message.contains("proxy is not a valid proxy URL") && !message.contains("s3cret"),
        "{message}"
    );
}
