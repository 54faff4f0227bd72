//! `aimis._native`: the Rust core seen from Python. Everything endpoint-specific is read
//! from the registry at run time ([`service::describe`]); the Python package builds its
//! classes and methods from that description, so a spec change needs no edit here.

mod client;
mod convert;
mod errors;
mod service;

use pyo3::prelude::*;

use crate::errors::IntoPyResult;

/// Encrypts one field value as the platform expects (AES-256-ECB, PKCS#7, hex).
#[pyfunction]
fn encrypt_field(token: &str, plaintext: &str) -> PyResult<String> {
    aimis::encrypt_field(token, plaintext).into_py_result()
}

/// Decrypts one field value; hex is accepted in either case.
#[pyfunction]
fn decrypt_field(token: &str, ciphertext: &str) -> PyResult<String> {
    aimis::decrypt_field(token, ciphertext).into_py_result()
}

/// A timestamp in the unit the spec signs, as a number or as the header's text.
#[derive(FromPyObject)]
enum Timestamp {
    Number(u64),
    Text(String),
}

/// The `signature` header for this app id and timestamp.
#[pyfunction]
fn sign(app_id: &str, token: &str, timestamp: Timestamp) -> PyResult<String> {
    let timestamp = match timestamp {
        Timestamp::Number(n) => n.to_string(),
        Timestamp::Text(text) => text,
    };
    aimis::sign(app_id, token, &timestamp).into_py_result()
}

/// The body that acknowledges a callback.
#[pyfunction]
fn callback_ack() -> String {
    aimis::callback_ack()
}

/// The body that refuses a callback with this code and message.
#[pyfunction]
fn callback_failure(code: i64, message: &str) -> String {
    aimis::callback_failure(code, message)
}

/// Verifies a callback of the named kind; returns it as a dict with the vendor's names,
/// patient fields decrypted.
#[pyfunction]
#[pyo3(signature = (kind, headers, body, app_id, token, max_skew=None))]
fn verify_callback(
    py: Python<'_>,
    kind: &str,
    headers: Vec<(String, String)>,
    body: &[u8],
    app_id: &str,
    token: &str,
    max_skew: Option<f64>,
) -> PyResult<Py<PyAny>> {
    let def = aimis::SERVICE
        .callback(kind)
        .ok_or_else(|| errors::unknown_callback(kind))?;
    let credentials = aimis::Credentials::new(app_id, token).into_py_result()?;
    let mut verifier = aimis::CallbackVerifier::new(credentials);
    if let Some(seconds) = max_skew {
        verifier = verifier.max_skew(client::duration("max_skew", seconds)?);
    }
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let callback = errors::guard(|| verifier.verify_json(def, &pairs, body))?;
    convert::to_py(py, &callback)
}

/// The spec as plain data: endpoints, fields, enums, structs, callbacks.
#[pyfunction(name = "service")]
fn describe_service(py: Python<'_>) -> PyResult<Py<PyAny>> {
    convert::to_py(py, &service::describe())
}

#[pymodule]
#[pyo3(name = "_native")]
fn native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    module.add_class::<client::Client>()?;
    module.add_function(wrap_pyfunction!(encrypt_field, module)?)?;
    module.add_function(wrap_pyfunction!(decrypt_field, module)?)?;
    module.add_function(wrap_pyfunction!(sign, module)?)?;
    module.add_function(wrap_pyfunction!(callback_ack, module)?)?;
    module.add_function(wrap_pyfunction!(callback_failure, module)?)?;
    module.add_function(wrap_pyfunction!(verify_callback, module)?)?;
    module.add_function(wrap_pyfunction!(describe_service, module)?)?;
    Ok(())
}
