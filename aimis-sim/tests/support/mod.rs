//! What the simulator's tests share: the agreed test app, a client for a simulator,
//! and the demo patient's requests.

#![allow(dead_code)]

use std::time::Duration;

use aimis::{Client, Credentials, DataFlag, PatientStudiesRequest, RetryPolicy, StudyType, Usage};
use aimis_sim::Simulator;

pub const APP_ID: &str = "demo-app";
pub const TOKEN: &str = "0123456789abcdef0123456789abcdef";
pub const PHONE: &str = "13800138000";
pub const ID_NUM: &str = "110101199003074518";

pub fn credentials() -> Credentials {
    Credentials::new(APP_ID, TOKEN).unwrap()
}

pub fn sim() -> Simulator {
    Simulator::builder(credentials()).spawn("127.0.0.1:0").unwrap()
}

/// A client without retries unless a test asks for them.
pub fn client(sim: &Simulator) -> Client {
    client_with(sim, RetryPolicy::NONE)
}

pub fn client_with(sim: &Simulator, retry: RetryPolicy) -> Client {
    Client::builder(credentials())
        .base_url(sim.base_url())
        .timeout(Duration::from_secs(5))
        .retry(retry)
        .build()
        .unwrap()
}

/// The demo patient's studies of one type, at H0001 in U0001, for all of 2025.
pub fn studies(study_type: StudyType, data_flag: DataFlag) -> PatientStudiesRequest {
    PatientStudiesRequest {
        phone_num: PHONE.into(),
        id_num: ID_NUM.into(),
        hospital_id: "H0001".into(),
        union_id: "U0001".into(),
        study_type,
        data_flag,
        usage: Usage::DoctorView,
        study_date_begin: "2025-01-01 00:00:00".into(),
        study_date_end: "2025-12-31 23:59:59".into(),
        ..Default::default()
    }
}
