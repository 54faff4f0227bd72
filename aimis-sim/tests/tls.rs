//! HTTPS with a throwaway CA: the client's TLS path and its extra-root option, for real.

mod support;

use aimis::{Client, DataFlag, StudyType};
use aimis_sim::Simulator;
use support::*;

#[test]
fn https_works_with_the_simulators_ca_and_only_with_it() {
    let sim = Simulator::builder(credentials())
        .tls(true)
        .spawn("127.0.0.1:0")
        .unwrap();
    assert!(
        sim.base_url().starts_with("https://127.0.0.1:"),
        "{}",
        sim.base_url()
    );
    let pem = sim.ca_pem().unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
    let request = studies(StudyType::Radiology, DataFlag::All);

    let trusting = Client::builder(credentials())
        .base_url(sim.base_url())
        .add_root_certificates_pem(pem)
        .build()
        .unwrap();
    assert_eq!(trusting.patient_studies(&request).unwrap().len(), 2);

    let localhost = sim.base_url().replace("127.0.0.1", "localhost");
    let by_name = Client::builder(credentials())
        .base_url(localhost)
        .add_root_certificates_pem(pem)
        .build()
        .unwrap();
    assert_eq!(by_name.patient_studies(&request).unwrap().len(), 2);

    // With the default retries: a certificate does not become trusted by asking again.
    let untrusting = Client::builder(credentials())
        .base_url(sim.base_url())
        .build()
        .unwrap();
    let before = sim.requests().len();
    let error = untrusting.patient_studies(&request).unwrap_err();
    assert_eq!(
        error.transport_kind(),
        Some(aimis::TransportKind::TlsCertificate),
        "{error:?}"
    );
    assert!(error.to_string().contains("CA certificate"), "{error}");
    assert!(!error.is_transient());
    assert_eq!(
        sim.requests().len(),
        before,
        "the handshake failed: nothing was sent"
    );
}
