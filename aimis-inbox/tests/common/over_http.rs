//! Receivers on loopback HTTP, and posting to them as the platform does.

use std::net::TcpListener;
use std::time::Duration;

use aimis_inbox::{Inbox, Receiver, ServeOptions, Server};
use serde_json::Value;

use super::*;

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .proxy(None)
        .build()
        .new_agent()
}

pub fn start(url: &str, options: ServeOptions) -> Server {
    let inbox = Inbox::open(url, credentials()).unwrap();
    let receiver = Receiver::new(inbox, credentials());
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    Server::start(receiver, listener, options).unwrap()
}

/// Posts a callback sent at `at`; the HTTP status and the envelope's code.
pub fn post(agent: &ureq::Agent, url: &str, at: u64, body: &[u8]) -> Result<(u16, i64), String> {
    post_with(agent, url, &headers(at), body)
}

/// Posts `body` under these headers; the HTTP status and the envelope's code.
pub fn post_with(
    agent: &ureq::Agent,
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<(u16, i64), String> {
    let mut request = agent.post(url);
    for (k, v) in headers {
        request = request.header(k, v);
    }
    let mut response = request
        .header("Content-Type", "application/json")
        .send(body)
        .map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let text = response
        .body_mut()
        .read_to_string()
        .map_err(|e| e.to_string())?;
    let envelope: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    Ok((status, envelope["code"].as_i64().unwrap()))
}

pub fn now() -> u64 {
    aimis::Clock::now_millis(&aimis::SystemClock)
}

/// A CA and a loopback certificate it signed, as PEM files in `dir`; the CA's DER.
pub fn certificates(dir: &std::path::Path) -> (aimis_inbox::TlsFiles, Vec<u8>) {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_key = KeyPair::generate().unwrap();
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec!["127.0.0.1".to_owned()])
        .unwrap()
        .signed_by(&key, &issuer)
        .unwrap();
    let files = aimis_inbox::TlsFiles {
        cert: dir.join("cert.pem"),
        key: dir.join("key.pem"),
    };
    std::fs::write(&files.cert, cert.pem()).unwrap();
    std::fs::write(&files.key, key.serialize_pem()).unwrap();
    (files, ca.der().to_vec())
}

/// `/healthz` on the store at `url` while another session keeps its writes waiting
/// (`hold_writes`, each database's own way, until what it returns is dropped): 503, and
/// 200 before and after.
pub fn health_says_503_while_writes_wait<Held>(url: &str, hold_writes: impl FnOnce() -> Held) {
    let server = start(url, ServeOptions::default());
    let health = format!("http://{}/healthz", server.addr());
    let status = |agent: &ureq::Agent| agent.get(&health).call().unwrap().status().as_u16();
    let agent = agent();
    assert_eq!(status(&agent), 200);
    let held = hold_writes();
    assert_eq!(status(&agent), 503);
    drop(held);
    assert_eq!(status(&agent), 200);
}
