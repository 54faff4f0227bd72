//! Canary values for the token and every kind of patient data, and requests, answers
//! and callbacks full of them: what the redaction and tracing tests search for.

use aimis::Token;
use aimis::crypto::FieldCipher;
use aimis::message::Message;
use aimis::registry::{EndpointDef, TypeRef};
use serde_json::{Value, json};

use super::TOKEN;

pub const PHONE: &str = "13911112222";
pub const ID_NUM: &str = "11010519491231002X";
pub const NAME: &str = "Canary张三丰";
pub const HIS_ID: &str = "CANARYHIS77";
pub const STUDY_NAME: &str = "CanaryStudyName";
pub const LINK: &str = "https://canary.example/r/CANARYLINK";
/// What no error may show: the secrets and anything from a patient's record.
pub const CANARIES: &[&str] = &[TOKEN, PHONE, ID_NUM, NAME, HIS_ID, STUDY_NAME, LINK];
/// What no Debug output may show: a study name is shown in a study's Debug, but not
/// what identifies the patient or opens the report.
pub const SENSITIVE: &[&str] = &[TOKEN, PHONE, ID_NUM, NAME, HIS_ID, LINK];

/// A plain JSON request for any endpoint, its patient fields set to canaries.
pub fn request(endpoint: &EndpointDef) -> Value {
    let mut object = serde_json::Map::new();
    for field in endpoint.request {
        let value = match (field.name, &field.ty) {
            ("phoneNum", _) => json!(PHONE),
            ("idNum", _) => json!(ID_NUM),
            ("patientName", _) => json!(NAME),
            ("hisId", _) => json!(HIS_ID),
            (_, TypeRef::DateTime) => json!("2025-01-01 00:00:00"),
            (_, TypeRef::Enum(def)) => json!(def.values[0].value),
            (_, TypeRef::Int) => json!(1),
            _ => json!("X0001"),
        };
        object.insert(field.name.into(), value);
    }
    Value::Object(object)
}

/// Response data full of canaries, every field of the wrong type.
pub fn wrong_data(endpoint: &EndpointDef) -> Value {
    let item = json!({"studyName": [STUDY_NAME], "h5Url": {"x": LINK}, "hisId": 7, "h5DetailUrl": [PHONE, ID_NUM, NAME]});
    match endpoint.response {
        TypeRef::List(_) => json!([item]),
        _ => item,
    }
}

/// The callback as the platform sends it, patient fields encrypted, every value a canary.
pub fn canary_callback() -> Value {
    let cipher = FieldCipher::new(&Token::new(TOKEN).unwrap(), &aimis::SERVICE.cipher);
    let callback = aimis::StudyStatusCallback {
        status: aimis::StudyStatus::ReportReady,
        phone_num: PHONE.into(),
        id_num: ID_NUM.into(),
        patient_id: NAME.into(),
        hospital_id: "H0001".into(),
        his_id: Some(HIS_ID.into()),
        study_type: aimis::StudyType::Radiology,
        study_date: "2025-03-01 08:30:00".into(),
        study_id: "S0001".into(),
        body_part: None,
        study_name: Some(STUDY_NAME.into()),
        h5_url: LINK.into(),
        h5_detail_url: LINK.into(),
        report_id: "R0001".into(),
    };
    serde_json::from_slice(&callback.seal(&cipher)).unwrap()
}
