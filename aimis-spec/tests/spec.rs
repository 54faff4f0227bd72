//! The spec parser against the real spec and against a file with one mistake of each kind.

use aimis_spec::{Type, parse};

const REAL: &str = include_str!("../../spec/aimis.toml");

#[test]
fn the_real_spec_resolves() {
    let spec = parse(REAL, "spec/aimis.toml").unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<_> = spec.endpoints.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        ["patientStudies", "patientConsultations", "patientReportUrl"]
    );
    assert_eq!(
        spec.service.base_urls[0],
        ("production".into(), "https://pacs.qq.com".into())
    );
    let studies = &spec.endpoints[0];
    assert_eq!(
        studies.response,
        Type::List(Box::new(Type::Struct("Study".into())))
    );
    let phone = &studies.request[0];
    assert!(phone.encrypted && phone.sensitive && phone.required);
    let name = studies
        .request
        .iter()
        .find(|f| f.name == "patientName")
        .unwrap();
    assert!(name.sensitive && !name.encrypted && !name.required);
    let end = studies
        .request
        .iter()
        .find(|f| f.name == "studyDateEnd")
        .unwrap();
    assert_eq!(end.not_before.as_deref(), Some("studyDateBegin"));
    assert_eq!(spec.callbacks[0].fields.len(), 14);
}

#[test]
fn every_mistake_is_reported_at_once_with_its_place() {
    let source = include_str!("fixtures/broken.toml");
    let errors = parse(source, "broken.toml").unwrap_err();
    insta::assert_snapshot!(errors.to_string());
}

#[test]
fn an_unknown_setting_names_its_choices() {
    let source = REAL.replacen(
        "\"hex-lower\"             #",
        "\"hex-mixed\"             #",
        1,
    );
    let errors = parse(&source, "spec/aimis.toml").unwrap_err();
    insta::assert_snapshot!(errors.to_string());
}
