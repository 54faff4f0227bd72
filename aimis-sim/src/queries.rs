//! The query semantics the spec cannot express: which fixtures answer which request.
//!
//! Everything else is generic: a request is decoded with the core's `open_wire` (shape,
//! decryption) and checked with `Message::validate` (the spec's rules), and answers
//! are fixture records read as the endpoint's response type.

use aimis::crypto::FieldCipher;
use aimis::message::{Request, open_wire};
use aimis::registry::EndpointDef;
use aimis::{
    DataFlag, PatientConsultationsRequest, PatientReportUrlRequest, PatientStudiesRequest, Pii,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::fixtures::{Fixtures, Patient};
use crate::platform::Refusal;

/// Decodes a request body and answers it with the response `data`.
pub type Handler = fn(&FieldCipher, &Fixtures, &[u8]) -> Result<Value, Refusal>;

/// A request the simulator knows how to answer.
trait Query: Request {
    fn answer(&self, fixtures: &Fixtures) -> Result<Self::Response, Refusal>;
}

/// The served endpoints. A test checks that every endpoint of the spec is here.
fn table() -> [(&'static EndpointDef, Handler); 3] {
    [
        served::<PatientStudiesRequest>(),
        served::<PatientConsultationsRequest>(),
        served::<PatientReportUrlRequest>(),
    ]
}

fn served<R: Query>() -> (&'static EndpointDef, Handler) {
    (R::ENDPOINT, decode_and_answer::<R>)
}

/// The handler of an endpoint of the spec, if the simulator serves it.
pub fn handler(endpoint: &EndpointDef) -> Option<Handler> {
    table()
        .into_iter()
        .find(|(def, _)| def.name == endpoint.name)
        .map(|(_, handler)| handler)
}

/// The names of the endpoints the simulator serves.
pub fn served_endpoints() -> Vec<&'static str> {
    table().iter().map(|(def, _)| def.name).collect()
}

fn decode_and_answer<R: Query>(
    cipher: &FieldCipher,
    fixtures: &Fixtures,
    body: &[u8],
) -> Result<Value, Refusal> {
    let request: R = open_wire(body, cipher).map_err(Refusal::from_request_error)?;
    request.validate().map_err(Refusal::from_request_error)?;
    let response = request.answer(fixtures)?;
    serde_json::to_value(&response)
        .map_err(|_| Refusal::new(2, "the simulator could not write its answer"))
}

fn patient<'f>(
    fixtures: &'f Fixtures,
    phone_num: &Pii,
    id_num: &Pii,
) -> Result<&'f Patient, Refusal> {
    fixtures
        .patient(phone_num.expose(), id_num.expose())
        .ok_or_else(|| Refusal::not_found("no patient with this phoneNum and idNum"))
}

/// A fixture record read as a response type: unknown keys are ignored, so a study
/// record answers as a `Study`, a `PatientStudyUrl` or whatever the spec says.
fn read_as<T: DeserializeOwned>(record: &Map<String, Value>) -> Result<T, Refusal> {
    serde_json::from_value(Value::Object(record.clone()))
        .map_err(|_| Refusal::new(2, "the simulator's fixture does not fit the response type"))
}

impl Query for PatientStudiesRequest {
    fn answer(&self, fixtures: &Fixtures) -> Result<Vec<aimis::Study>, Refusal> {
        let patient = patient(fixtures, &self.phone_num, &self.id_num)?;
        let mut studies: Vec<_> = patient
            .studies
            .iter()
            .filter(|s| s.study_type() == self.study_type)
            // Both ends inclusive; the datetimes are validated, and their text sorts as time does.
            .filter(|s| {
                (self.study_date_begin.as_str()..=self.study_date_end.as_str())
                    .contains(&s.text("studyDate"))
            })
            .filter(|s| match self.data_flag {
                DataFlag::All => true,
                DataFlag::ThisHospital => s.text("hospitalId") == self.hospital_id,
                DataFlag::OtherHospitals => s.text("hospitalId") != self.hospital_id,
                DataFlag::ThisAlliance => s.text("unionId") == self.union_id,
                DataFlag::OtherAlliances => s.text("unionId") != self.union_id,
                // validate() refuses values the spec does not know before this point.
                _ => false,
            })
            .collect();
        studies.sort_by(|a, b| b.text("studyDate").cmp(a.text("studyDate")));
        studies.into_iter().map(|s| read_as(&s.fields)).collect()
    }
}

impl Query for PatientConsultationsRequest {
    fn answer(&self, fixtures: &Fixtures) -> Result<aimis::ConsultationList, Refusal> {
        let patient = patient(fixtures, &self.phone_num, &self.id_num)?;
        let consultation = patient
            .consultations
            .iter()
            .find(|c| {
                c.his_id == self.his_id.expose()
                    && c.hospital_id == self.hospital_id
                    && c.union_id == self.union_id
            })
            .ok_or_else(|| {
                Refusal::not_found("no consultation record for this hisId at this hospital")
            })?;
        let mut record = Map::new();
        record.insert("h5Url".into(), consultation.h5_url.clone().into());
        read_as(&record)
    }
}

impl Query for PatientReportUrlRequest {
    fn answer(&self, fixtures: &Fixtures) -> Result<aimis::PatientStudyUrl, Refusal> {
        let patient = patient(fixtures, &self.phone_num, &self.id_num)?;
        let study = patient
            .studies
            .iter()
            .find(|s| s.text("reportId") == self.report_id)
            .ok_or_else(|| Refusal::not_found("no report with this reportId for this patient"))?;
        read_as(&study.fields)
    }
}
