//! The same scenarios on PostgreSQL. They need a server: `tests/postgres.sh` starts a
//! throwaway cluster and runs them with `--ignored`, the URL of a database this user
//! may create databases on in `AIMIS_INBOX_TEST_POSTGRES`. Each test makes a fresh
//! database.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};

use aimis_inbox::{Inbox, InboxError};

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
    assert_eq!(versions, 1);
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
                known: 1
            }
        ),
        "{e}"
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
