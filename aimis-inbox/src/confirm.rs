//! `--confirm`: asking the platform whether it issued a callback. The body of a callback
//! is not signed, so before one is delivered the platform is asked for the report it
//! names (patientReportUrl, with the patient and hospital it names); only a report of the
//! same study counts, and the links delivered are the ones the platform answers. With
//! the alliance's id, the platform is also asked for the patient's studies of the body's
//! type on the body's date (patientStudies): the study must be listed, and its hisId,
//! studyType, studyDate, studyName and bodyPart are the platform's. Nothing the platform
//! answers vouches for `status` or `patientId` (see `Inbox::next`).

use std::fmt;

use aimis::{
    ApiCode, Client, DataFlag, PatientReportUrlRequest, PatientStudiesRequest, StudyStatusCallback,
    Usage,
};
use serde_json::{Map, Value};

use crate::store::{PlatformLinks, STUDY_FIELDS};

/// What the platform says of a callback.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlatformAnswer {
    /// It holds the report, for the same study, with these links (and study fields).
    Issued(PlatformLinks),
    /// It knows no such report of this patient at this hospital, or of another study,
    /// or (asked for the patient's studies) no such study of that type on that date.
    Unknown,
}

/// Asks the platform about a callback's body.
pub trait Confirm: Send + Sync + fmt::Debug {
    /// `Err` with a reason (no patient data) when the platform could not be asked or
    /// gave no verdict: asked again later.
    fn confirm(&self, callback: &StudyStatusCallback) -> Result<PlatformAnswer, String>;
}

/// Confirms with the platform's patientReportUrl endpoint, and its patientStudies
/// endpoint when the alliance's id is known.
#[derive(Debug)]
pub struct PlatformConfirm {
    client: Client,
    union_id: Option<String>,
}

impl PlatformConfirm {
    /// `client` talks to the platform that sends the callbacks.
    pub fn new(client: Client) -> Self {
        PlatformConfirm {
            client,
            union_id: None,
        }
    }

    /// The medical alliance's id (patientStudies's unionId): with it, the study's own
    /// fields are confirmed too; without it, they are not delivered.
    pub fn union_id(mut self, union_id: impl Into<String>) -> Self {
        self.union_id = Some(union_id.into());
        self
    }

    /// The study as the platform lists it among the patient's studies of the body's
    /// type on the body's date at the body's hospital: its [`STUDY_FIELDS`]; `None` when
    /// it is not listed.
    fn listed_study(
        &self,
        union_id: &str,
        callback: &StudyStatusCallback,
    ) -> Result<Option<Map<String, Value>>, aimis::Error> {
        let request = PatientStudiesRequest {
            phone_num: callback.phone_num.clone(),
            id_num: callback.id_num.clone(),
            hospital_id: callback.hospital_id.clone(),
            union_id: union_id.to_owned(),
            study_type: callback.study_type,
            data_flag: DataFlag::ThisHospital,
            usage: Usage::DoctorView,
            study_date_begin: callback.study_date.clone(),
            study_date_end: callback.study_date.clone(),
            ..Default::default()
        };
        let studies = self.client.patient_studies(&request)?;
        let study = studies.iter().find(|study| {
            study.report_id.as_deref() == Some(callback.report_id.as_str())
                && study.study_id.as_deref() == Some(callback.study_id.as_str())
        });
        let Some(study) = study else {
            return Ok(None);
        };
        let Ok(Value::Object(mut listed)) = serde_json::to_value(study) else {
            return Ok(None);
        };
        listed.retain(|name, value| STUDY_FIELDS.contains(&name.as_str()) && !value.is_null());
        Ok(Some(listed))
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
        let found = match self.client.patient_report_url(&request) {
            Ok(found) if found.study_id.as_deref() == Some(callback.study_id.as_str()) => found,
            Ok(_) => return Ok(PlatformAnswer::Unknown),
            Err(e) => return verdict(e),
        };
        let study = match &self.union_id {
            None => None,
            Some(union_id) => match self.listed_study(union_id, callback) {
                Ok(Some(study)) => Some(study),
                Ok(None) => return Ok(PlatformAnswer::Unknown),
                Err(e) => return verdict(e),
            },
        };
        Ok(PlatformAnswer::Issued(PlatformLinks {
            h5_url: found.h5_url.as_ref().map(|l| l.expose().to_owned()),
            h5_detail_url: found.h5_detail_url.as_ref().map(|l| l.expose().to_owned()),
            study,
        }))
    }
}

/// What a failed question says: the platform's words for "no such report (or study)
/// for this patient" are a verdict; busy, rate-limited, unreachable, our credentials
/// refused are none.
fn verdict(e: aimis::Error) -> Result<PlatformAnswer, String> {
    match e.api_code().map(ApiCode::from_code) {
        Some(ApiCode::NoData | ApiCode::ParameterError) => Ok(PlatformAnswer::Unknown),
        _ => Err(match e.api_code() {
            Some(code) => format!("api code {code}"),
            None => e.kind().to_owned(),
        }),
    }
}
