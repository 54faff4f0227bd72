//! The same scenarios on PostgreSQL. They need a server: `tests/postgres.sh` starts a
//! throwaway cluster and runs them with `--ignored`, the URL of a database this user
//! may create databases on in `AIMIS_INBOX_TEST_POSTGRES`. Each test makes a fresh
//! database.

mod common;

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Duration, Instant};

use aimis_inbox::{Inbox, InboxError, ServeOptions};
use common::over_http::{agent, now, post, start};

const ENV: &str = "AIMIS_INBOX_TEST_POSTGRES";

/// A fresh, empty database on the test server; its URL.
fn database() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let admin = std::env::var(ENV)
        .unwrap_or_else(|_| panic!("{ENV} is not set: run aimis-inbox/tests/postgres.sh"));
    let name = format!(
        "inbox_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    );
    let mut client = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    // The admin URL ends in its database name: swap it for the new one.
    let (base, _) = admin.rsplit_once('/').unwrap();
    format!("{base}/{name}")
}

macro_rules! on_postgres {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        #[ignore = "needs PostgreSQL: aimis-inbox/tests/postgres.sh runs it"]
        fn $name() {
            common::scenarios::$name(&database());
        }
    )*};
}

common::scenarios::every_scenario!(on_postgres);

#[test]
#[ignore = "needs PostgreSQL: aimis-inbox/tests/postgres.sh runs it"]
fn the_schema_is_migrated_once_and_a_newer_one_is_refused() {
    let url = database();
    drop(Inbox::open_store(&url).unwrap());
    drop(Inbox::open_store(&url).unwrap());
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let versions: i64 = client
        .query_one("SELECT count(*) FROM aimis_inbox_migrations", &[])
        .unwrap()
        .get(0);
    assert_eq!(versions, 4);
    client
        .execute(
            "INSERT INTO aimis_inbox_migrations (version) VALUES (99)",
            &[],
        )
        .unwrap();
    let e = Inbox::open_store(&url).unwrap_err();
    assert!(
        matches!(
            e,
            InboxError::SchemaTooNew {
                found: 99,
                known: 4
            }
        ),
        "{e}"
    );
}

/// The schema as version 1 released it (a fixture: the store's own is append-only).
const SCHEMA_V1: &str = "CREATE TABLE aimis_inbox_migrations (
        version BIGINT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now());
    CREATE TABLE callbacks (
        id BIGSERIAL PRIMARY KEY, body BYTEA NOT NULL, body_hash TEXT NOT NULL UNIQUE,
        study_key TEXT NOT NULL, status BIGINT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'superseded', 'dead')),
        received_at BIGINT NOT NULL, attempts BIGINT NOT NULL DEFAULT 0, lease_until BIGINT,
        updated_at BIGINT NOT NULL);
    CREATE INDEX callbacks_state ON callbacks (state, id);
    CREATE INDEX callbacks_study ON callbacks (study_key, id);
    CREATE TABLE nonces (app_id TEXT NOT NULL, timestamp TEXT NOT NULL, sent_ms BIGINT NOT NULL,
        body_hash TEXT NOT NULL, first_seen BIGINT NOT NULL, PRIMARY KEY (app_id, timestamp));
    CREATE INDEX nonces_sent ON nonces (sent_ms);
    CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
    CREATE TABLE security_events (id BIGSERIAL PRIMARY KEY, at BIGINT NOT NULL,
        kind TEXT NOT NULL, app_id TEXT NOT NULL, timestamp TEXT NOT NULL);
    INSERT INTO counters VALUES ('received', 1);
    INSERT INTO aimis_inbox_migrations (version) VALUES (1);";

#[test]
#[ignore = "needs PostgreSQL: aimis-inbox/tests/postgres.sh runs it"]
fn a_version_1_database_is_migrated_and_keeps_its_callbacks() {
    let url = database();
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client.batch_execute(SCHEMA_V1).unwrap();
    client
        .execute(
            "INSERT INTO callbacks (body, body_hash, study_key, status, state, received_at, updated_at)
             VALUES ($1, 'h', 'H0001/S1', 1, 'pending', 1, 1)",
            &[&common::body("S1", 1)],
        )
        .unwrap();
    let inbox = Inbox::open(&url, common::credentials()).unwrap();
    let version: i64 = client
        .query_one("SELECT max(version) FROM aimis_inbox_migrations", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, 4);
    // Stored before --confirm existed: handed out as it is, the body's links.
    let item = inbox.next(common::scenarios::LEASE).unwrap().unwrap();
    assert_eq!(
        (item.id, item.callback["h5Url"].as_str()),
        (1, Some(common::REPORT_URL))
    );
    inbox.ack(1).unwrap();
    let stats = inbox.stats().unwrap();
    assert_eq!(
        (stats.received, stats.delivered, stats.awaiting_confirmation),
        (1, 1, 0)
    );
}

/// "Two receivers and two consumers on one database: every callback delivered once."
/// 12 senders post 120 studies' report-ready then both-ready callbacks, each to either
/// receiver and again (fresh headers) until acknowledged; meanwhile two consumers, each
/// on its own connection, pull and acknowledge.
#[test]
#[ignore = "needs PostgreSQL: aimis-inbox/tests/postgres.sh runs it"]
fn two_receivers_and_two_consumers_deliver_every_callback_once() {
    const STUDIES: usize = 120;
    const SENDERS: usize = 12;
    let url = database();
    let receivers = [
        start(&url, ServeOptions::default()),
        start(&url, ServeOptions::default()),
    ];
    let targets: Vec<String> = receivers.iter().map(|r| r.url()).collect();
    let sending = AtomicBool::new(true);
    // (studyId, status) in the order claimed, over both consumers; and by consumer.
    let claimed = Mutex::new(Vec::new());
    let by_consumer = Mutex::new([0usize; 2]);
    std::thread::scope(|scope| {
        for consumer in 0..2 {
            let (url, sending, claimed, by_consumer) = (&url, &sending, &claimed, &by_consumer);
            scope.spawn(move || {
                let inbox = Inbox::open(url, common::credentials()).unwrap();
                loop {
                    let still_sending = sending.load(Ordering::SeqCst);
                    match inbox.next(Duration::from_secs(60)).unwrap() {
                        Some(item) => {
                            let key = (
                                item.callback["studyId"].as_str().unwrap().to_owned(),
                                item.callback["status"].as_i64().unwrap(),
                            );
                            claimed.lock().unwrap().push(key);
                            inbox.ack(item.id).unwrap();
                            by_consumer.lock().unwrap()[consumer] += 1;
                        }
                        // Drained after the last send was acknowledged: done.
                        None if !still_sending => break,
                        None => std::thread::sleep(Duration::from_millis(5)),
                    }
                }
            });
        }
        let senders: Vec<_> = (0..SENDERS)
            .map(|sender| {
                let targets = &targets;
                scope.spawn(move || {
                    let agent = agent();
                    let deadline = Instant::now() + Duration::from_secs(120);
                    for study in (sender..STUDIES).step_by(SENDERS) {
                        for status in [1, 3] {
                            let body = common::body(&format!("PG-{study}"), status);
                            let mut attempt = study;
                            // Refused (same millisecond as another sender) or not
                            // answered: sent again, fresh headers, maybe the other receiver.
                            while post(&agent, &targets[attempt % 2], now(), &body) != Ok((200, 0))
                            {
                                assert!(Instant::now() < deadline, "PG-{study} never acknowledged");
                                attempt += 1;
                                std::thread::sleep(Duration::from_millis(2));
                            }
                        }
                    }
                })
            })
            .collect();
        for sender in senders {
            sender.join().unwrap();
        }
        sending.store(false, Ordering::SeqCst);
    });
    let claimed = claimed.into_inner().unwrap();
    let mut times: BTreeMap<&(String, i64), usize> = BTreeMap::new();
    for key in &claimed {
        *times.entry(key).or_default() += 1;
    }
    assert_eq!(times.len(), STUDIES * 2, "every callback delivered");
    assert!(times.values().all(|&n| n == 1), "each delivered once");
    // A study's report-ready is handed out before its both-ready.
    for study in 0..STUDIES {
        let at = |status| {
            claimed
                .iter()
                .position(|(s, st)| *s == format!("PG-{study}") && *st == status)
        };
        assert!(at(1) < at(3), "PG-{study} in order");
    }
    let by_consumer = by_consumer.into_inner().unwrap();
    assert!(
        by_consumer.iter().all(|&n| n > 0),
        "both consumers pulled: {by_consumer:?}"
    );
    let stats = Inbox::open_store(&url).unwrap().stats().unwrap();
    assert_eq!(
        (
            stats.received,
            stats.delivered,
            stats.pending,
            stats.superseded
        ),
        (STUDIES as u64 * 2, STUDIES as u64 * 2, 0, 0)
    );
}

#[test]
fn a_server_that_is_not_there_is_a_clear_error_without_the_password() {
    let e = Inbox::open_store("postgres://inbox:hunter2@127.0.0.1:1/inbox")
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("store: cannot connect to PostgreSQL"), "{e}");
    assert!(!e.contains("hunter2"), "{e}");
}

/// On PostgreSQL too: health checks the store, junk is counted exactly in batches, and
/// header sets used again add to a count a minute, not a row each.
#[test]
#[ignore = "needs PostgreSQL: aimis-inbox/tests/postgres.sh runs it"]
fn health_refusal_counts_and_security_events_on_postgres() {
    let url = database();
    let server = start(&url, ServeOptions::default());
    let agent = agent();
    let health = format!("http://{}/healthz", server.addr());
    assert_eq!(agent.get(&health).call().unwrap().status().as_u16(), 200);
    let sent = now();
    assert_eq!(
        post(&agent, &server.url(), sent, &common::body("S1", 0)),
        Ok((200, 0))
    );
    for i in 0..50 {
        let other = common::body(&format!("S{}", i + 2), 0);
        assert_eq!(post(&agent, &server.url(), sent, &other), Ok((200, 90002)));
        let mut forged = common::headers(now());
        forged[1].1 = "0".repeat(64);
        let junk = common::over_http::post_with(&agent, &server.url(), &forged, &other);
        assert_eq!(junk, Ok((200, 90002)));
    }
    server.shutdown();
    let stats = Inbox::open_store(&url).unwrap().stats().unwrap();
    assert_eq!(
        (stats.received, stats.same_millisecond, stats.refused),
        (1, 50, 50)
    );
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let rows: i64 = client
        .query_one(
            "SELECT (SELECT count(*) FROM security_events)
                  + (SELECT count(*) FROM security_event_counts)",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(
        rows <= 2,
        "{rows} rows of security events for 50 header sets"
    );
}

/// As on SQLite: `/healthz` says 503 while another session keeps writes waiting (as
/// building an index does: its SHARE lock lets reads go on and makes writes wait).
#[test]
#[ignore = "needs PostgreSQL: aimis-inbox/tests/postgres.sh runs it"]
fn health_says_503_while_the_store_cannot_take_a_callback() {
    struct WritesWait(postgres::Client);
    impl Drop for WritesWait {
        fn drop(&mut self) {
            self.0.batch_execute("ROLLBACK").unwrap();
        }
    }
    let url = database();
    common::over_http::health_says_503_while_writes_wait(&url, || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        client
            .batch_execute("BEGIN; LOCK TABLE callbacks IN SHARE MODE")
            .unwrap();
        WritesWait(client)
    });
}
