//! The receiver over real loopback HTTP: signed callbacks posted by hand and by the
//! simulator, health, the body limit, and a graceful stop that loses nothing.

mod common;

use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aimis_inbox::{Inbox, Receiver, ServeOptions, Server};
use common::over_http::{agent, certificates, now, post, start};
use common::*;

#[test]
fn callbacks_over_http_are_stored_once_and_replays_refused() {
    let (_dir, url, _) = store();
    let server = start(
        &url,
        ServeOptions {
            path: "/aimis/callback".into(),
            ..ServeOptions::default()
        },
    );
    let agent = agent();
    let target = server.url();
    assert!(target.ends_with("/aimis/callback"));
    let t = now();
    assert_eq!(post(&agent, &target, t, &body("S1", 0)), Ok((200, 0)));
    assert_eq!(post(&agent, &target, t, &body("S1", 0)), Ok((200, 0)));
    assert_eq!(post(&agent, &target, t + 5, &body("S1", 0)), Ok((200, 0)));
    let (status, code) = post(&agent, &target, t, &body("S1", 3)).unwrap();
    assert_eq!((status, code), (200, 90002));
    assert_eq!(post(&agent, &target, t + 7, &body("S1", 3)), Ok((200, 0)));
    assert_eq!(post(&agent, &target, t + 8, &body("S1", 1)), Ok((200, 0)));

    let health = agent
        .get(format!("http://{}/healthz", server.addr()))
        .call()
        .unwrap();
    assert_eq!(health.status().as_u16(), 200);
    let wrong_method = agent.get(&target).call().unwrap();
    assert_eq!(wrong_method.status().as_u16(), 405);
    server.shutdown();

    let inbox = Inbox::open(&url, credentials()).unwrap();
    let stats = inbox.stats().unwrap();
    assert_eq!(
        (
            stats.received,
            stats.duplicates,
            stats.same_millisecond,
            stats.superseded
        ),
        (3, 2, 1, 1)
    );
    let first = inbox.next(Duration::from_secs(30)).unwrap().unwrap();
    assert_eq!(first.callback["status"], 0);
    inbox.ack(first.id).unwrap();
    let second = inbox.next(Duration::from_secs(30)).unwrap().unwrap();
    assert_eq!(second.callback["status"], 3);
    inbox.ack(second.id).unwrap();
    assert!(
        inbox.next(Duration::from_secs(30)).unwrap().is_none(),
        "status 1 after 3 is superseded"
    );
}

#[test]
fn a_body_over_the_limit_is_refused_with_the_envelope() {
    let (_dir, url, _) = store();
    let server = start(
        &url,
        ServeOptions {
            max_body: 512,
            ..ServeOptions::default()
        },
    );
    let mut big = body("S1", 0);
    big.pop();
    big.extend_from_slice(format!(",\"bodyPart\":\"{}\"}}", "x".repeat(600)).as_bytes());
    let (status, code) = post(&agent(), &server.url(), now(), &big).unwrap();
    assert_eq!((status, code), (413, 1));
    // Refusals are written in batches; the last when the server stops.
    server.shutdown();
    let stats = Inbox::open_store(&url).unwrap().stats().unwrap();
    assert_eq!(
        (stats.received, stats.refused_by_reason["too_large"]),
        (0, 1)
    );
}

#[test]
fn the_simulator_s_callbacks_arrive_decrypted_in_order() {
    let (_dir, url, _) = store();
    let server = start(&url, ServeOptions::default());
    let sim = aimis_sim::Simulator::builder(credentials())
        .callback_url(server.url())
        .spawn("127.0.0.1:0")
        .unwrap();
    for status in [
        aimis::StudyStatus::ReportReady,
        aimis::StudyStatus::ReportAndImagesReady,
    ] {
        let delivery = sim.advance_study("S0001", status).unwrap();
        assert!(delivery.delivered, "{delivery:?}");
    }
    let inbox = Inbox::open(&url, credentials()).unwrap();
    let item = inbox.next(Duration::from_secs(30)).unwrap().unwrap();
    assert_eq!(item.callback["studyId"], "S0001");
    assert_eq!(item.callback["status"], 1);
    assert_eq!(item.callback["phoneNum"], PHONE);
    assert_eq!(item.attempts, 1);
    inbox.ack(item.id).unwrap();
    let item = inbox.next(Duration::from_secs(30)).unwrap().unwrap();
    assert_eq!(item.callback["status"], 3);
}

/// Senders keep posting while the server is stopped: every callback acknowledged is
/// stored exactly once (the stop waits for requests in flight), and after the stop the
/// senders find nobody listening.
#[test]
fn a_graceful_stop_loses_no_acknowledged_callback() {
    let (_dir, url, _) = store();
    let server = start(&url, ServeOptions::default());
    let target = server.url();
    let acked = Arc::new(Mutex::new(Vec::new()));
    let senders: Vec<_> = (0..4)
        .map(|sender| {
            let target = target.clone();
            let acked = acked.clone();
            std::thread::spawn(move || {
                let agent = agent();
                for i in 0..200 {
                    let study = format!("S{sender}-{i}");
                    match post(&agent, &target, now(), &body(&study, 0)) {
                        Ok((200, 0)) => acked.lock().unwrap().push(study),
                        Ok(_) => {}
                        Err(_) => return,
                    }
                }
            })
        })
        .collect();
    // Stop once a few have gone through, while the senders are still busy.
    while acked.lock().unwrap().len() < 20 {
        std::thread::sleep(Duration::from_millis(5));
    }
    server.shutdown();
    for sender in senders {
        sender.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 20 && acked.len() < 800, "{}", acked.len());
    let inbox = Inbox::open_store(&url).unwrap();
    let stored: Vec<String> = inbox
        .list(None)
        .unwrap()
        .iter()
        .map(|l| l.callback["studyId"].as_str().unwrap().to_owned())
        .collect();
    for study in &acked {
        assert_eq!(stored.iter().filter(|s| *s == study).count(), 1, "{study}");
    }
}

#[test]
fn over_tls_with_the_operator_s_certificate() {
    let (dir, url, _) = store();
    let (files, ca) = certificates(dir.path());
    let server = start(
        &url,
        ServeOptions {
            tls: Some(files),
            ..ServeOptions::default()
        },
    );
    assert!(server.url().starts_with("https://"), "{}", server.url());
    let roots =
        ureq::tls::RootCerts::new_with_certs(&[ureq::tls::Certificate::from_der(&ca).to_owned()]);
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .proxy(None)
        .tls_config(ureq::tls::TlsConfig::builder().root_certs(roots).build())
        .build()
        .new_agent();
    assert_eq!(
        post(&agent, &server.url(), now(), &body("S1", 0)),
        Ok((200, 0))
    );
    // Plain HTTP gets no answer from a TLS port.
    let plain = server.url().replacen("https://", "http://", 1);
    assert!(post(&agent, &plain, now() + 1, &body("S2", 0)).is_err());
    server.shutdown();
    assert_eq!(
        Inbox::open_store(&url).unwrap().stats().unwrap().received,
        1
    );
}

#[test]
fn tls_files_that_do_not_hold_what_they_should_are_named() {
    let (dir, url, _) = store();
    let (mut files, _) = certificates(dir.path());
    files.key = files.cert.clone();
    let inbox = Inbox::open(&url, credentials()).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let e = Server::start(
        Receiver::new(inbox, credentials()),
        listener,
        ServeOptions {
            tls: Some(files),
            ..ServeOptions::default()
        },
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.starts_with("--tls-key: ") && e.contains("holds no PEM private key"),
        "{e}"
    );
}
