//! Real signed, encrypted callbacks as the platform sends them, and a clock tests move.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use aimis::{Clock, Credentials};
use aimis_inbox::{Inbox, Receiver};
use serde_json::json;

pub mod confirming;
#[cfg(feature = "server")]
pub mod over_http;
pub mod scenarios;

pub const APP_ID: &str = "demo-app";
pub const TOKEN: &str = "0123456789abcdef0123456789abcdef";
pub const PHONE: &str = "13800138000";
pub const ID_NUM: &str = "110101199003074518";
pub const PATIENT_ID: &str = "P-7731-SECRET";
pub const REPORT_URL: &str = "https://h5.example/report/secret-link";

pub fn credentials() -> Credentials {
    Credentials::new(APP_ID, TOKEN).unwrap()
}

/// A clock that stands still until moved.
#[derive(Debug)]
pub struct TestClock(AtomicU64);

impl TestClock {
    pub fn new() -> Arc<TestClock> {
        Arc::new(TestClock(AtomicU64::new(aimis::SystemClock.now_millis())))
    }
    pub fn advance(&self, ms: u64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for TestClock {
    fn now_millis(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// The wire body of a status callback for `study` at `status`, patient fields encrypted.
pub fn body(study: &str, status: i64) -> Vec<u8> {
    body_for(study, status, PHONE)
}

pub fn body_for(study: &str, status: i64, phone: &str) -> Vec<u8> {
    json!({
        "status": status,
        "phoneNum": aimis::encrypt_field(TOKEN, phone).unwrap(),
        "idNum": aimis::encrypt_field(TOKEN, ID_NUM).unwrap(),
        "patientId": PATIENT_ID,
        "hospitalId": "H0001",
        "studyType": 1,
        "studyDate": "2025-03-01 08:30:00",
        "studyId": study,
        "h5Url": REPORT_URL,
        "h5DetailUrl": "https://h5.example/images/secret-link",
        "reportId": format!("R-{study}"),
    })
    .to_string()
    .into_bytes()
}

/// The three security headers for a send at `ms`.
pub fn headers(ms: u64) -> Vec<(String, String)> {
    let ts = ms.to_string();
    vec![
        ("appId".into(), APP_ID.into()),
        ("signature".into(), aimis::sign(APP_ID, TOKEN, &ts).unwrap()),
        ("timestamp".into(), ts),
    ]
}

pub fn pairs(headers: &[(String, String)]) -> Vec<(&str, &str)> {
    headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// A fresh SQLite store in its own directory (kept alive by the returned guard).
pub fn store() -> (tempfile::TempDir, String, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inbox.db");
    let url = format!("sqlite:{}", path.display());
    (dir, url, path)
}

pub fn receiver(url: &str, clock: &Arc<TestClock>) -> Receiver {
    let inbox = Inbox::open(url, credentials()).unwrap();
    Receiver::new(inbox, credentials()).clock(clock.clone())
}
