//! The patients the simulator knows: their studies, consultations and reports.
//!
//! A fixture file is JSON with the vendor's field names, so that a study record is
//! what `patientStudies` answers plus where it was done (`hospitalId`, `unionId`) and
//! how far it has got (`status`). The default set is embedded and is what the demo,
//! the CLI tests and every language's test suite run against.

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use aimis::{StudyStatus, StudyType};
use serde::Deserialize;
use serde_json::{Map, Value};

/// The embedded default fixtures: a demo patient (phone `13800138000`, ID
/// `110101199003074518`) with studies of every study type in 2025 at `H0001`, `H0002`
/// (alliance `U0001`) and `H0101` (alliance `U0002`), and a second patient.
pub const DEFAULT_FIXTURES: &str = include_str!("../fixtures/default.json");

/// The simulator's data. Patient data is never shown by Debug.
#[derive(Clone)]
pub struct Fixtures {
    patients: Vec<Patient>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Patient {
    pub patient_id: String,
    #[serde(default)]
    pub patient_name: Option<String>,
    pub phone_num: String,
    pub id_num: String,
    #[serde(default)]
    pub consultations: Vec<Consultation>,
    #[serde(default)]
    pub studies: Vec<StudyRecord>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct Consultation {
    pub his_id: String,
    pub hospital_id: String,
    pub union_id: String,
    pub h5_url: String,
}

/// One study as the platform holds it: a `Study` with the vendor's names, plus
/// `hospitalId`, `unionId` and `status`. Kept as JSON so that a field the spec adds to
/// `Study` or to the callback reaches the answers without a code change.
#[derive(Clone, Debug)]
pub(crate) struct StudyRecord {
    pub fields: Map<String, Value>,
}

impl<'de> Deserialize<'de> for StudyRecord {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Map::deserialize(d).map(|fields| StudyRecord { fields })
    }
}

impl StudyRecord {
    pub fn text(&self, name: &str) -> &str {
        self.fields
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    pub fn study_type(&self) -> StudyType {
        StudyType::from_code(
            self.fields
                .get("studyType")
                .and_then(Value::as_i64)
                .unwrap_or(-1),
        )
    }

    pub fn status(&self) -> StudyStatus {
        StudyStatus::from_code(
            self.fields
                .get("status")
                .and_then(Value::as_i64)
                .unwrap_or(0),
        )
    }

    pub fn set_status(&mut self, status: StudyStatus) {
        self.fields.insert("status".into(), status.code().into());
    }
}

/// Why a fixture file was refused. Names the place, never a patient's data.
#[derive(Debug)]
pub struct FixtureError(String);

impl fmt::Display for FixtureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fixtures: {}", self.0)
    }
}

impl std::error::Error for FixtureError {}

impl Fixtures {
    /// Reads and checks fixtures from JSON text.
    pub fn from_json(text: &str) -> Result<Self, FixtureError> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            patients: Vec<Patient>,
        }
        // serde_json's messages can quote values, which here are patient data: keep
        // only the position.
        let file: File = serde_json::from_str(text).map_err(|e| {
            FixtureError(format!(
                "not the expected JSON at line {} column {} ({:?})",
                e.line(),
                e.column(),
                e.classify()
            ))
        })?;
        let fixtures = Fixtures {
            patients: file.patients,
        };
        fixtures.check()?;
        Ok(fixtures)
    }

    /// Reads and checks a fixture file.
    pub fn from_file(path: &Path) -> Result<Self, FixtureError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| FixtureError(format!("cannot read {}: {e}", path.display())))?;
        Self::from_json(&text)
    }

    /// The patient with both this phone number and this ID number.
    pub(crate) fn patient(&self, phone_num: &str, id_num: &str) -> Option<&Patient> {
        self.patients
            .iter()
            .find(|p| p.phone_num == phone_num && p.id_num == id_num)
    }

    /// The first patient with a study, and that study: the model of storms.
    pub(crate) fn first_study(&self) -> Option<(Patient, StudyRecord)> {
        let patient = self.patients.iter().find(|p| !p.studies.is_empty())?;
        Some((patient.clone(), patient.studies[0].clone()))
    }

    /// Adds studies to a patient's (a storm's: the platform holds what it sends).
    pub(crate) fn add_studies(&mut self, patient_id: &str, studies: &[StudyRecord]) {
        if let Some(patient) = self
            .patients
            .iter_mut()
            .find(|p| p.patient_id == patient_id)
        {
            patient.studies.extend_from_slice(studies);
        }
    }

    /// Sets a study's status; returns its patient and the study as they now are.
    pub(crate) fn set_status(
        &mut self,
        study_id: &str,
        status: StudyStatus,
    ) -> Option<(Patient, StudyRecord)> {
        let patient = self
            .patients
            .iter_mut()
            .find(|p| p.studies.iter().any(|s| s.text("studyId") == study_id))?;
        let study = patient
            .studies
            .iter_mut()
            .find(|s| s.text("studyId") == study_id)?;
        study.set_status(status);
        let study = study.clone();
        Some((patient.clone(), study))
    }

    /// Every rule a study record must keep for the queries to work on it.
    fn check(&self) -> Result<(), FixtureError> {
        let mut report_ids = HashSet::new();
        let mut study_ids = HashSet::new();
        let study_fields = study_fields();
        for (p, patient) in self.patients.iter().enumerate() {
            let at = |what: String| {
                FixtureError(format!("patients[{p}] ({}): {what}", patient.patient_id))
            };
            if patient.phone_num.trim().is_empty() || patient.id_num.trim().is_empty() {
                return Err(at("phoneNum and idNum must not be empty".into()));
            }
            for (s, study) in patient.studies.iter().enumerate() {
                let at = |what: &str| at(format!("studies[{s}]: {what}"));
                for key in study.fields.keys() {
                    if !study_fields.contains(&key.as_str())
                        && !["hospitalId", "unionId", "status"].contains(&key.as_str())
                    {
                        return Err(at(&format!(
                            "`{key}` is not a field of Study, nor hospitalId, unionId or status"
                        )));
                    }
                }
                for required in ["reportId", "studyId", "hospitalId", "unionId", "studyDate"] {
                    if study.text(required).trim().is_empty() {
                        return Err(at(&format!("`{required}` must be a non-empty string")));
                    }
                }
                if !study.study_type().is_known() {
                    return Err(at(&format!(
                        "`studyType` must be one of {}",
                        StudyType::DEF.choices()
                    )));
                }
                if study.fields.contains_key("status") && !study.status().is_known() {
                    return Err(at(&format!(
                        "`status` must be one of {}",
                        StudyStatus::DEF.choices()
                    )));
                }
                if aimis::__private::datetime("studyDate", study.text("studyDate")).is_err() {
                    return Err(at("`studyDate` must be written yyyy-MM-dd HH:mm:ss"));
                }
                if serde_json::from_value::<aimis::Study>(Value::Object(study.fields.clone()))
                    .is_err()
                {
                    return Err(at(
                        "a field does not have the type the spec's Study gives it",
                    ));
                }
                if !report_ids.insert(study.text("reportId").to_owned()) {
                    return Err(at("`reportId` is used twice"));
                }
                if !study_ids.insert(study.text("studyId").to_owned()) {
                    return Err(at("`studyId` is used twice"));
                }
            }
        }
        Ok(())
    }
}

/// The wire names of the spec's `Study`, which a study record may hold.
fn study_fields() -> Vec<&'static str> {
    aimis::Study::DEF.fields.iter().map(|f| f.name).collect()
}

impl Default for Fixtures {
    fn default() -> Self {
        Fixtures::from_json(DEFAULT_FIXTURES)
            .expect("the embedded fixtures are checked by the tests")
    }
}

impl fmt::Debug for Fixtures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fixtures")
            .field("patients", &self.patients.len())
            .field(
                "studies",
                &self.patients.iter().map(|p| p.studies.len()).sum::<usize>(),
            )
            .finish()
    }
}
