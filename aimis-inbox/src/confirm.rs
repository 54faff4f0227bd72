//! `--confirm`: asking the platform whether it issued a callback. The body of a callback
//! is not signed, so before one is delivered the platform is asked for the report it
//! names (patientReportUrl, with the patient and hospital it names); only a report of the
//! same study counts, and the links delivered are the ones the platform answers.

use std::fmt;

use aimis::{ApiCode, Client, PatientReportUrlRequest, StudyStatusCallback};

use crate::store::PlatformLinks;

/// What the platform says of a callback.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlatformAnswer {
    /// It holds the report, for the same study, with these links.
    Issued(PlatformLinks),
    /// It knows no such report of this patient at this hospital, or of another study.
    Unknown,
}

/// Asks the platform about a callback's body.
pub trait Confirm: Send + Sync + fmt::Debug {
    /// `Err` with a reason (no patient data) when the platform could not be asked or
    /// gave no verdict: asked again later.
    fn confirm(&self, callback: &StudyStatusCallback) -> Result<PlatformAnswer, String>;
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
    fn confirm(&self, callback: &StudyStatusCallback) -> Result<PlatformAnswer, String> {
        let request = PatientReportUrlRequest {
            report_id: callback.report_id.clone(),
            phone_num: callback.phone_num.clone(),
            id_num: callback.id_num.clone(),
            hospital_id: callback.hospital_id.clone(),
        };
        match self.client.patient_report_url(&request) {
            Ok(found) if found.study_id.as_deref() == Some(callback.study_id.as_str()) => {
                Ok(PlatformAnswer::Issued(PlatformLinks {
                    h5_url: found.h5_url.as_ref().map(|l| l.expose().to_owned()),
                    h5_detail_url: found.h5_detail_url.as_ref().map(|l| l.expose().to_owned()),
                }))
            }
            Ok(_) => Ok(PlatformAnswer::Unknown),
            // The platform's words for "no such report for this patient".
            Err(e)
                if matches!(
                    e.api_code().map(ApiCode::from_code),
                    Some(ApiCode::NoData | ApiCode::ParameterError)
                ) =>
            {
                Ok(PlatformAnswer::Unknown)
            }
            // Busy, rate-limited, unreachable, our credentials refused: no verdict.
            Err(e) => Err(match e.api_code() {
                Some(code) => format!("api code {code}"),
                None => e.kind().to_owned(),
            }),
        }
    }
}
