//! `--confirm`: a callback refused because its header set was just used by another body
//! (two genuine callbacks of one millisecond share one) is accepted once the platform
//! confirms its body: asked for the report the body names, for the patient and hospital
//! it names, the platform must answer with the same study. A forged body names no report
//! of that patient, so it stays refused.

use std::fmt;

use aimis::{Client, PatientReportUrlRequest, StudyStatusCallback};

/// Asks whether a callback's body is what the platform holds.
pub trait Confirm: Send + Sync + fmt::Debug {
    /// `Ok(true)` when the platform confirms it; `Err` with a reason (no patient data)
    /// when it could not be asked.
    fn confirm(&self, callback: &StudyStatusCallback) -> Result<bool, String>;
}

/// Confirms with the platform's patientReportUrl endpoint.
#[derive(Debug)]
pub struct PlatformConfirm {
    client: Client,
}

impl PlatformConfirm {
    /// `client` talks to the platform that sends the callbacks.
    pub fn new(client: Client) -> Self {
        PlatformConfirm { client }
    }
}

impl Confirm for PlatformConfirm {
    fn confirm(&self, callback: &StudyStatusCallback) -> Result<bool, String> {
        let request = PatientReportUrlRequest {
            report_id: callback.report_id.clone(),
            phone_num: callback.phone_num.clone(),
            id_num: callback.id_num.clone(),
            hospital_id: callback.hospital_id.clone(),
        };
        match self.client.patient_report_url(&request) {
            Ok(found) => Ok(found.study_id.as_deref() == Some(callback.study_id.as_str())),
            // The platform knows no such report for this patient: not confirmed.
            Err(e) if e.api_code().is_some() => Ok(false),
            Err(e) => Err(e.kind().to_owned()),
        }
    }
}
