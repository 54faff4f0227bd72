//! The inbox's semantics on a real SQLite file, through the blocking Rust API: verify,
//! store once, refuse replays, keep a study's order, lease, dead letters, masking.

mod common;

use aimis_inbox::{Inbox, InboxError};
use common::scenarios::{LEASE, send};
use common::*;

macro_rules! on_sqlite {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            let (_dir, url, _) = store();
            common::scenarios::$name(&url);
        }
    )*};
}

common::scenarios::every_scenario!(on_sqlite);

#[test]
fn patient_data_is_decrypted_only_when_handed_out() {
    let (dir, url, _) = store();
    let clock = TestClock::new();
    let receiver = receiver(&url, &clock);
    let now = aimis::Clock::now_millis(&*clock);
    assert!(send(&receiver, now, &body("S1", 1)).outcome.acknowledged());
    // At rest: the platform's ciphertext, in the database file and its WAL alike.
    let mut at_rest = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        at_rest.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    let cipher = aimis::encrypt_field(TOKEN, PHONE).unwrap();
    let contains =
        |hay: &[u8], needle: &str| hay.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(contains(&at_rest, &cipher), "the ciphertext is stored");
    assert!(!contains(&at_rest, PHONE) && !contains(&at_rest, ID_NUM));
    // Listings and stats: masked.
    let listed = serde_json::to_string(&receiver.inbox().list(None).unwrap()).unwrap();
    let stats = serde_json::to_string(&receiver.inbox().stats().unwrap()).unwrap();
    for shown in [&listed, &stats] {
        for secret in [PHONE, ID_NUM, cipher.as_str(), PATIENT_ID, REPORT_URL] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
    }
    assert!(listed.contains("\"phoneNum\":\"***\""), "{listed}");
    assert!(listed.contains("\"studyId\":\"S1\""), "{listed}");
    // Handed out: decrypted; Debug still shows none of it.
    let item = receiver.inbox().next(LEASE).unwrap().unwrap();
    assert_eq!(item.callback["phoneNum"], PHONE);
    assert_eq!(item.callback["idNum"], ID_NUM);
    let debug = format!("{item:?} {receiver:?}");
    assert!(!debug.contains(PHONE) && !debug.contains(TOKEN), "{debug}");
    // Without the token, nothing is decrypted.
    let no_credentials = Inbox::open_store(&url).unwrap();
    assert!(matches!(
        no_credentials.next(LEASE),
        Err(InboxError::NoCredentials)
    ));
}

#[test]
fn the_schema_is_migrated_once_and_a_newer_one_is_refused() {
    let (_dir, url, path) = store();
    drop(Inbox::open_store(&url).unwrap());
    drop(Inbox::open_store(&url).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 4);
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
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
const SCHEMA_V1: &str = "CREATE TABLE callbacks (
        id INTEGER PRIMARY KEY AUTOINCREMENT, body BLOB NOT NULL, body_hash TEXT NOT NULL UNIQUE,
        study_key TEXT NOT NULL, status INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'superseded', 'dead')),
        received_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, lease_until INTEGER,
        updated_at INTEGER NOT NULL);
    CREATE INDEX callbacks_state ON callbacks (state, id);
    CREATE INDEX callbacks_study ON callbacks (study_key, id);
    CREATE TABLE nonces (app_id TEXT NOT NULL, timestamp TEXT NOT NULL, sent_ms INTEGER NOT NULL,
        body_hash TEXT NOT NULL, first_seen INTEGER NOT NULL, PRIMARY KEY (app_id, timestamp));
    CREATE INDEX nonces_sent ON nonces (sent_ms);
    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    CREATE TABLE security_events (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL,
        kind TEXT NOT NULL, app_id TEXT NOT NULL, timestamp TEXT NOT NULL);
    INSERT INTO counters VALUES ('received', 1);
    PRAGMA user_version = 1;";

#[test]
fn a_version_1_database_is_migrated_and_keeps_its_callbacks() {
    let (_dir, url, path) = store();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(SCHEMA_V1).unwrap();
    conn.execute(
        "INSERT INTO callbacks (body, body_hash, study_key, status, state, received_at, updated_at)
         VALUES (?1, 'h', 'H0001/S1', 1, 'pending', 1, 1)",
        [body("S1", 1)],
    )
    .unwrap();
    drop(conn);
    let inbox = Inbox::open(&url, credentials()).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 4);
    // Stored before --confirm existed: handed out as it is, the body's links.
    let item = inbox.next(LEASE).unwrap().unwrap();
    assert_eq!(
        (item.id, item.callback["h5Url"].as_str()),
        (1, Some(REPORT_URL))
    );
    inbox.ack(1).unwrap();
    let stats = inbox.stats().unwrap();
    assert_eq!(
        (stats.received, stats.delivered, stats.awaiting_confirmation),
        (1, 1, 0)
    );
}

/// Store strings a careless operator passes, each holding a password: refused (or
/// failing to connect) without the password in the message, the store named as the
/// Rust caller names it.
const STORES_WITH_PASSWORDS: &[&str] = &[
    "host=db.hospital password=s3cret-pw dbname=inbox",
    "host=db.hospital user=his password = 's3cret pw' dbname=inbox",
    "mysql://his:s3cret-pw@db.hospital/inbox",
    "postgress://his:s3cret-pw@db.hospital/inbox",
    "pg://db.hospital/inbox?password=s3cret-pw",
];

#[test]
fn a_bad_store_url_never_shows_its_password() {
    for store in STORES_WITH_PASSWORDS {
        let error = Inbox::open_store(store).unwrap_err();
        let message = error.to_string();
        assert!(matches!(error, InboxError::BadStoreUrl { .. }), "{store}");
        assert!(
            message.starts_with("store URL ") && message.contains("must be sqlite:PATH"),
            "{message}"
        );
        assert!(!message.contains("s3cret"), "{message}");
        assert!(!format!("{error:?}").contains("s3cret"), "{error:?}");
    }
}
