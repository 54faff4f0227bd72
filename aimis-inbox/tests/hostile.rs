//! The receiver under hostile load, over real loopback sockets: slow and silent clients,
//! floods of junk and of replays, a store that cannot take a write, and bodies that never
//! arrive whole. Each bound is set low here so that the tests are quick; every wait on
//! the server has a generous upper bound only as a hang guard.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use aimis_inbox::{Inbox, ServeOptions};
use common::over_http::{agent, certificates, now, post, post_with, start};
use common::*;

/// How long a test waits for the server to close or answer before calling it a hang.
const HANG_GUARD: Duration = Duration::from_secs(30);

/// A connection that sends the start of a request head, and never the rest.
fn half_head(addr: SocketAddr) -> TcpStream {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .write_all(b"POST / HTTP/1.1\r\nHost: inbox\r\nContent-Type: appl")
        .unwrap();
    stream.set_read_timeout(Some(HANG_GUARD)).unwrap();
    stream
}

/// Whether the server closed `stream` (rather than the hang guard running out).
fn closed_by_the_server(stream: &mut impl Read) -> bool {
    let mut rest = Vec::new();
    match stream.read_to_end(&mut rest) {
        Ok(_) => true,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

/// Sends `request` on a fresh connection and reads the answer until the server closes
/// the connection (a hang past the guard fails the test).
fn raw(addr: SocketAddr, request: &[u8], then_close_writing: bool) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(HANG_GUARD)).unwrap();
    stream.write_all(request).unwrap();
    if then_close_writing {
        stream.shutdown(std::net::Shutdown::Write).unwrap();
    }
    let mut answer = Vec::new();
    if let Err(e) = stream.read_to_end(&mut answer) {
        assert!(
            !matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
            "never closed: {}",
            String::from_utf8_lossy(&answer)
        );
    }
    String::from_utf8_lossy(&answer).into_owned()
}

/// The headers of a send at `ms` with a signature that is not the token's.
fn forged(ms: u64) -> Vec<(String, String)> {
    let mut forged = headers(ms);
    forged[1].1 = "0".repeat(64);
    forged
}

/// Holds the SQLite write lock, as another process writing would.
fn hold_write_lock(path: &std::path::Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    conn
}

#[test]
fn slow_clients_at_the_connection_limit_are_shed_for_a_callback() {
    let (_dir, url, _) = store();
    let server = start(
        &url,
        ServeOptions {
            max_connections: 8,
            // Long enough that the limit, not the deadline, is what makes room.
            header_timeout: Duration::from_secs(600),
            ..ServeOptions::default()
        },
    );
    let mut slow: Vec<TcpStream> = (0..20).map(|_| half_head(server.addr())).collect();
    assert_eq!(
        post(&agent(), &server.url(), now(), &body("S1", 0)),
        Ok((200, 0))
    );
    // The oldest were closed to make room.
    assert!(closed_by_the_server(&mut slow[0]));
    server.shutdown();
    assert_eq!(
        Inbox::open_store(&url).unwrap().stats().unwrap().received,
        1
    );
}

#[test]
fn a_head_or_a_body_sent_too_slowly_or_an_idle_connection_is_closed() {
    let (_dir, url, _) = store();
    let server = start(
        &url,
        ServeOptions {
            header_timeout: Duration::from_secs(1),
            body_timeout: Duration::from_secs(1),
            ..ServeOptions::default()
        },
    );
    assert!(closed_by_the_server(&mut half_head(server.addr())));
    // Answered, then idle on keep-alive: closed too.
    let answered = raw(
        server.addr(),
        b"GET /healthz HTTP/1.1\r\nHost: inbox\r\n\r\n",
        false,
    );
    assert!(answered.starts_with("HTTP/1.1 200"), "{answered}");
    // A whole head, then 10 of the 500 bytes announced.
    let mut head = String::from("POST / HTTP/1.1\r\nHost: inbox\r\n");
    for (k, v) in headers(now()) {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("Content-Length: 500\r\n\r\n{\"status\":");
    let answer = raw(server.addr(), head.as_bytes(), false);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    server.shutdown();
    let stats = Inbox::open_store(&url).unwrap().stats().unwrap();
    assert_eq!(stats.refused_by_reason.get("slow_body"), Some(&1));
}

#[test]
fn over_tls_a_half_sent_head_after_the_handshake_is_closed() {
    use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
    use tokio_rustls::rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};

    let (dir, url, _) = store();
    let (files, ca) = certificates(dir.path());
    let server = start(
        &url,
        ServeOptions {
            tls: Some(files),
            header_timeout: Duration::from_secs(1),
            ..ServeOptions::default()
        },
    );
    let mut roots = RootCertStore::empty();
    roots.add(CertificateDer::from(ca)).unwrap();
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = ServerName::try_from("127.0.0.1").unwrap();
    let tls = ClientConnection::new(Arc::new(config), name).unwrap();
    let tcp = TcpStream::connect(server.addr()).unwrap();
    tcp.set_read_timeout(Some(HANG_GUARD)).unwrap();
    let mut stream = StreamOwned::new(tls, tcp);
    // Writing completes the handshake first.
    stream
        .write_all(b"POST / HTTP/1.1\r\nHost: inbox\r\n")
        .unwrap();
    stream.flush().unwrap();
    assert!(closed_by_the_server(&mut stream));
}

#[test]
fn an_aborted_upload_or_a_malformed_chunked_body_is_a_bad_body_not_too_large() {
    let (_dir, url, _) = store();
    let server = start(&url, ServeOptions::default());
    let aborted = raw(
        server.addr(),
        b"POST / HTTP/1.1\r\nHost: inbox\r\nContent-Length: 1000\r\n\r\n{\"status\":",
        true,
    );
    assert!(aborted.starts_with("HTTP/1.1 400"), "{aborted}");
    let malformed = raw(
        server.addr(),
        b"POST / HTTP/1.1\r\nHost: inbox\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
        false,
    );
    assert!(malformed.starts_with("HTTP/1.1 400"), "{malformed}");
    assert!(!malformed.contains("65536"), "{malformed}");
    server.shutdown();
    let stats = Inbox::open_store(&url).unwrap().stats().unwrap();
    assert_eq!(stats.refused_by_reason.get("bad_body"), Some(&2));
    assert_eq!(stats.refused_by_reason.get("too_large"), None);
}

#[test]
fn health_says_503_while_the_store_cannot_take_a_callback() {
    let (_dir, url, path) = store();
    common::over_http::health_says_503_while_writes_wait(&url, || hold_write_lock(&path));
}

/// Refusing junk needs no store: it is answered even while another process holds the
/// write lock (each refusal used to wait for the lock, one at a time), and the counts
/// come out exact once written.
#[test]
fn a_junk_flood_is_refused_without_the_store_and_counted_exactly() {
    let (_dir, url, path) = store();
    let server = start(&url, ServeOptions::default());
    let target = server.url();
    let lock = hold_write_lock(&path);
    let flood = |senders: usize, each: usize| -> Vec<std::thread::JoinHandle<usize>> {
        (0..senders)
            .map(|_| {
                let target = target.clone();
                std::thread::spawn(move || {
                    let agent = agent();
                    (0..each)
                        .filter(|_| {
                            post_with(&agent, &target, &forged(now()), &body("S0", 0))
                                == Ok((200, 90002))
                        })
                        .count()
                })
            })
            .collect()
    };
    let refused: usize = flood(32, 8).into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(refused, 256);
    drop(lock);
    // A genuine callback during a flood is stored.
    let during = flood(8, 32);
    let agent = agent();
    for i in 0..5 {
        let study = format!("S{i}");
        assert_eq!(
            post(&agent, &target, now() + i, &body(&study, 0)),
            Ok((200, 0))
        );
    }
    let refused: usize = during.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(refused, 256);
    server.shutdown();
    let stats = Inbox::open_store(&url).unwrap().stats().unwrap();
    assert_eq!((stats.received, stats.refused), (5, 512));
    assert_eq!(stats.refused_by_reason["bad_signature"], 512);
}

/// One captured header set replayed with other bodies: every replay refused and counted,
/// and the security events stay a handful of rows (counts a minute), not one a replay.
#[test]
fn a_replay_flood_keeps_the_security_events_bounded() {
    let (_dir, url, path) = store();
    let server = start(&url, ServeOptions::default());
    let agent = agent();
    let captured = now();
    assert_eq!(
        post(&agent, &server.url(), captured, &body("S1", 0)),
        Ok((200, 0))
    );
    // Past the same-millisecond window: replays.
    std::thread::sleep(Duration::from_millis(5_100));
    for i in 0..300 {
        let forged_body = body(&format!("F{i}"), 3);
        assert_eq!(
            post(&agent, &server.url(), captured, &forged_body),
            Ok((200, 90002))
        );
    }
    server.shutdown();
    let stats = Inbox::open_store(&url).unwrap().stats().unwrap();
    assert_eq!((stats.received, stats.replays_refused), (1, 300));
    let conn = rusqlite::Connection::open(&path).unwrap();
    let rows: i64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM security_events)
                  + (SELECT count(*) FROM security_event_counts)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(rows <= 2, "{rows} rows of security events for 300 replays");
}
