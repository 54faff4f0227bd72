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
    assert_eq!(version, 1);
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
                known: 1
            }
        ),
        "{e}"
    );
}
