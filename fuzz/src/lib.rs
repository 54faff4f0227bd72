//! The fuzz targets of aimis, as plain functions: the libFuzzer binaries in
//! `fuzz_targets/` call them, and `tests/replay.rs` replays the seed corpus in
//! `corpus/<target>/` through them on stable Rust. Each turns the fuzzer's bytes into
//! an input and checks it with [`oracle`]; a broken property is a panic. Each returns
//! whether the input got through (accepted, decrypted, sent), which the replay checks
//! against the seed's name.

pub mod oracle;

/// Callback verification. The input is text: header lines `name: value` up to the
/// first empty line, then the raw body. A `signature` header whose value is `*` is
/// replaced by the genuine signature of the first `appId` and `timestamp` headers, so
/// that the fuzzer gets past the signature to the body.
pub fn callback(data: &[u8]) -> bool {
    let (head, body) = split_at_blank_line(data);
    let head = String::from_utf8_lossy(head);
    let mut headers: Vec<(&str, String)> = head
        .lines()
        .map(|line| match line.split_once(':') {
            Some((name, value)) => (name, value.to_owned()),
            None => (line, String::new()),
        })
        .collect();
    let auth = &aimis::SERVICE.auth;
    let genuine = {
        let pairs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let app_id = oracle::header(&pairs, auth.app_id_header).unwrap_or_default();
        let timestamp = oracle::header(&pairs, auth.timestamp_header).unwrap_or_default();
        aimis::sign(app_id, oracle::TOKEN, timestamp).unwrap_or_default()
    };
    for (name, value) in &mut headers {
        if name.trim().eq_ignore_ascii_case(auth.signature_header) && value.trim() == "*" {
            value.clone_from(&genuine);
        }
    }
    let pairs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    oracle::check_callback(&oracle::verifier(), &pairs, body).is_some()
}

/// Field decryption of arbitrary text, and encryption of the same text.
pub fn decrypt(data: &[u8]) -> bool {
    let text = String::from_utf8_lossy(data);
    oracle::check_encrypt(&text);
    oracle::check_decrypt(&text)
}

/// The JSON entry point, offline. The input is an endpoint name on the first line and a
/// JSON request after it; input whose request is not JSON is not a case.
pub fn call_json(data: &[u8]) -> bool {
    let (name, request) = match data.iter().position(|&b| b == b'\n') {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &b""[..]),
    };
    let Ok(request) = serde_json::from_slice(request) else {
        return false;
    };
    let error = oracle::check_call_json(&String::from_utf8_lossy(name), &request);
    matches!(
        error,
        aimis::Error::Transport { .. } | aimis::Error::Timeout(_)
    )
}

/// Head and body of a callback input, split at the first `\n\n`; without one, all head.
fn split_at_blank_line(data: &[u8]) -> (&[u8], &[u8]) {
    match data.windows(2).position(|w| w == b"\n\n") {
        Some(at) => (&data[..at], &data[at + 2..]),
        None => (data, &[]),
    }
}
