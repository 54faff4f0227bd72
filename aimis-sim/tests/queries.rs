//! The three queries through the real client, over HTTP on loopback: the fixtures'
//! semantics (studyType, inclusive dates, dataFlag, report lookup).

mod support;

use aimis::{DataFlag, PatientConsultationsRequest, PatientReportUrlRequest, StudyType};
use serde_json::json;
use support::*;

fn report_ids(studies: &[aimis::Study]) -> Vec<&str> {
    let mut ids: Vec<&str> = studies
        .iter()
        .filter_map(|s| s.report_id.as_deref())
        .collect();
    ids.sort();
    ids
}

#[test]
fn every_study_type_has_a_study_of_the_demo_patient() {
    let sim = sim();
    let client = client(&sim);
    for &study_type in StudyType::KNOWN {
        let studies = client
            .patient_studies(&studies(study_type, DataFlag::All))
            .unwrap();
        assert!(!studies.is_empty(), "{study_type}");
        assert!(
            studies.iter().all(|s| s.study_type == Some(study_type)),
            "{study_type}"
        );
        assert!(
            studies
                .iter()
                .all(|s| s.report_id.is_some() && s.h5_url.is_some())
        );
    }
}

#[test]
fn data_flag_selects_by_hospital_and_alliance() {
    let sim = sim();
    let client = client(&sim);
    // Radiology: R0001 and R0007 at H0001. Ultrasound: R0002 at H0001.
    // Ophthalmology: R0003 at H0002 (U0001). Pathology: R0005 at H0101 (U0002).
    let ids = |t, f| {
        let studies = client.patient_studies(&studies(t, f)).unwrap();
        report_ids(&studies)
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(StudyType::Radiology, DataFlag::All), ["R0001", "R0007"]);
    assert_eq!(
        ids(StudyType::Radiology, DataFlag::ThisHospital),
        ["R0001", "R0007"]
    );
    assert!(ids(StudyType::Radiology, DataFlag::OtherHospitals).is_empty());
    assert_eq!(
        ids(StudyType::Ophthalmology, DataFlag::ThisHospital),
        Vec::<String>::new()
    );
    assert_eq!(
        ids(StudyType::Ophthalmology, DataFlag::OtherHospitals),
        ["R0003"]
    );
    assert_eq!(
        ids(StudyType::Ophthalmology, DataFlag::ThisAlliance),
        ["R0003"]
    );
    assert!(ids(StudyType::Ophthalmology, DataFlag::OtherAlliances).is_empty());
    assert!(ids(StudyType::Pathology, DataFlag::ThisAlliance).is_empty());
    assert_eq!(
        ids(StudyType::Pathology, DataFlag::OtherAlliances),
        ["R0005"]
    );
    assert_eq!(
        ids(StudyType::Pathology, DataFlag::OtherHospitals),
        ["R0005"]
    );
}

#[test]
fn date_range_is_inclusive_at_both_ends() {
    let sim = sim();
    let client = client(&sim);
    // R0007 is at 2025-12-31 23:59:59, R0001 at 2025-01-15 09:30:00.
    let mut request = studies(StudyType::Radiology, DataFlag::All);
    request.study_date_begin = "2025-12-31 23:59:59".into();
    request.study_date_end = "2025-12-31 23:59:59".into();
    assert_eq!(
        report_ids(&client.patient_studies(&request).unwrap()),
        ["R0007"]
    );
    request.study_date_begin = "2025-01-15 09:30:00".into();
    request.study_date_end = "2025-01-15 09:30:00".into();
    assert_eq!(
        report_ids(&client.patient_studies(&request).unwrap()),
        ["R0001"]
    );
    request.study_date_begin = "2025-01-15 09:30:01".into();
    request.study_date_end = "2025-12-31 23:59:58".into();
    assert!(client.patient_studies(&request).unwrap().is_empty());
}

#[test]
fn consultations_and_report_urls() {
    let sim = sim();
    let client = client(&sim);
    let consultations = client
        .patient_consultations(&PatientConsultationsRequest {
            his_id: "HIS0001".into(),
            phone_num: PHONE.into(),
            id_num: ID_NUM.into(),
            hospital_id: "H0001".into(),
            union_id: "U0001".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        consultations.h5_url.as_ref().map(aimis::Pii::expose),
        Some("https://h5.aimis-sim.example/consultations/P0001")
    );
    let url = client
        .patient_report_url(&PatientReportUrlRequest {
            report_id: "R0001".into(),
            phone_num: PHONE.into(),
            id_num: ID_NUM.into(),
            hospital_id: "H0001".into(),
        })
        .unwrap();
    assert_eq!(url.study_id.as_deref(), Some("S0001"));
    assert_eq!(
        url.h5_url.as_ref().map(aimis::Pii::expose),
        Some("https://h5.aimis-sim.example/report/R0001")
    );
    assert_eq!(
        url.h5_detail_url.as_ref().map(aimis::Pii::expose),
        Some("https://h5.aimis-sim.example/images/R0001")
    );
}

#[test]
fn dynamic_calls_answer_with_vendor_names() {
    let sim = sim();
    let data = client(&sim)
        .call_json(
            "patient-report-url",
            &json!({"reportId": "R0002", "phoneNum": PHONE, "idNum": ID_NUM, "hospitalId": "H0001"}),
        )
        .unwrap();
    assert_eq!(data["studyId"], "S0002");
    assert_eq!(
        data["h5DetailUrl"],
        "https://h5.aimis-sim.example/images/R0002"
    );
}

#[test]
fn every_endpoint_of_the_spec_is_served() {
    let mut served = aimis_sim::Simulator::served_endpoints();
    let mut spec: Vec<&str> = aimis::SERVICE.endpoints.iter().map(|e| e.name).collect();
    served.sort();
    spec.sort();
    assert_eq!(served, spec);
}

#[test]
fn the_embedded_fixtures_load() {
    let fixtures = aimis_sim::Fixtures::from_json(aimis_sim::DEFAULT_FIXTURES).unwrap();
    let shown = format!("{fixtures:?}");
    assert!(!shown.contains(PHONE) && !shown.contains(ID_NUM), "{shown}");
}
