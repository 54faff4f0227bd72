//! `aimis._native`: the Rust core seen from Python. Nothing here is endpoint-specific:
//! calls and callbacks go through the core's JSON path by name, and the Python package's
//! classes and methods are generated from the spec (`aimis/_generated.py`, by xtask), so
//! a spec change needs no edit here. `service()` gives the core's registry JSON,
//! against which the tests check the generated package.

mod answer;
mod batch;
mod client;
mod convert;
mod errors;
mod exit;
mod inbox;
mod log;
mod pending;
mod pool;
mod records;

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyInt, PyString};
use zeroize::Zeroize;

use crate::errors::IntoPyResult;

/// Encrypts one field value as the platform expects (AES-256-ECB, PKCS#7, hex).
#[pyfunction]
fn encrypt_field(token: &Bound<'_, PyString>, plaintext: &Bound<'_, PyString>) -> PyResult<String> {
    let token = client::setting_text("token", token)?;
    aimis::encrypt_field(&token, &convert::unicode(plaintext, "plaintext")?).into_py_result()
}

/// Decrypts one field value; hex is accepted in either case.
#[pyfunction]
fn decrypt_field<'py>(
    token: &Bound<'py, PyString>,
    ciphertext: &Bound<'py, PyString>,
) -> PyResult<Bound<'py, PyString>> {
    let py = ciphertext.py();
    let token = client::setting_text("token", token)?;
    // Text that is not even Unicode is not hex either.
    let ciphertext = ciphertext
        .to_cow()
        .unwrap_or(std::borrow::Cow::Borrowed("\u{fffd}"));
    let mut plaintext = aimis::decrypt_field(&token, &ciphertext).into_py_result()?;
    let text = PyString::new(py, &plaintext);
    plaintext.zeroize();
    Ok(text)
}

/// A timestamp in the unit the spec signs, as a number or as the header's text.
#[derive(FromPyObject)]
enum Timestamp<'py> {
    Number(u64),
    Text(Bound<'py, PyString>),
}

/// The `signature` header for this app id and timestamp.
#[pyfunction]
fn sign(
    app_id: &Bound<'_, PyString>,
    token: &Bound<'_, PyString>,
    timestamp: Timestamp<'_>,
) -> PyResult<String> {
    let timestamp = match timestamp {
        Timestamp::Number(n) => n.to_string(),
        Timestamp::Text(text) => convert::unicode(&text, "timestamp")?.into_owned(),
    };
    let app_id = client::setting_text("app_id", app_id)?;
    aimis::sign(&app_id, &client::setting_text("token", token)?, &timestamp).into_py_result()
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

/// The longest freshness window accepted for callbacks: a day.
const MAX_SKEW_SECS: u64 = 86_400;

/// Verifies a callback of the named kind; returns it as a record of its generated class,
/// patient fields decrypted. `now_ms` is the time to check the timestamp against
/// (default: the system clock).
#[pyfunction]
#[pyo3(signature = (kind, headers, body, app_id, token, max_skew=None, now_ms=None))]
#[allow(clippy::too_many_arguments)]
fn verify_callback(
    py: Python<'_>,
    kind: &str,
    headers: Vec<(String, String)>,
    body: &[u8],
    app_id: &Bound<'_, PyString>,
    token: &Bound<'_, PyString>,
    max_skew: Option<&Bound<'_, PyAny>>,
    now_ms: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let def = aimis::SERVICE
        .callback(kind)
        .ok_or_else(|| errors::unknown_callback(kind))?;
    let app_id = client::setting_text("app_id", app_id)?;
    let credentials =
        aimis::Credentials::new(app_id, client::setting_text("token", token)?).into_py_result()?;
    let mut verifier = aimis::CallbackVerifier::new(credentials);
    if let Some(seconds) = max_skew {
        verifier = verifier.max_skew(client::seconds("max_skew", seconds, MAX_SKEW_SECS)?);
    }
    if let Some(now) = now_ms {
        verifier = verifier.clock(Arc::new(aimis::FixedClock(milliseconds(now)?)));
    }
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut callback =
        errors::guard(|| aimis::json::verify_callback(&verifier, def, &pairs, body))?;
    let result = records::of_callback(py, def, &callback);
    aimis::message::wipe(&mut callback);
    result
}

/// Milliseconds since 1970 as an int, not a bool.
fn milliseconds(value: &Bound<'_, PyAny>) -> PyResult<u64> {
    match value.cast::<PyInt>() {
        Ok(int) if !value.is_instance_of::<PyBool>() => int.extract::<u64>().ok(),
        _ => None,
    }
    .ok_or_else(|| {
        errors::config(
            "now_ms must be a whole number of milliseconds since 1970, from 0".to_owned(),
        )
    })
}

/// The spec as plain data: endpoints, fields, enums, structs, callbacks.
#[pyfunction(name = "service")]
fn describe_service(py: Python<'_>) -> PyResult<Py<PyAny>> {
    convert::to_py(py, &aimis::SERVICE.to_json())
}

#[pymodule]
#[pyo3(name = "_native")]
fn native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    log::install();
    module.add_class::<client::Client>()?;
    module.add_class::<batch::Batch>()?;
    module.add_class::<inbox::Inbox>()?;
    module.add_class::<pending::Pending>()?;
    module.add_class::<pending::Completions>()?;
    module.add_function(wrap_pyfunction!(encrypt_field, module)?)?;
    module.add_function(wrap_pyfunction!(decrypt_field, module)?)?;
    module.add_function(wrap_pyfunction!(sign, module)?)?;
    module.add_function(wrap_pyfunction!(callback_ack, module)?)?;
    module.add_function(wrap_pyfunction!(callback_failure, module)?)?;
    module.add_function(wrap_pyfunction!(verify_callback, module)?)?;
    module.add_function(wrap_pyfunction!(records::use_classes, module)?)?;
    module.add_function(wrap_pyfunction!(describe_service, module)?)?;
    let wait_for_threads = wrap_pyfunction!(exit::wait_for_threads, module)?;
    module
        .py()
        .import("atexit")?
        .call_method1("register", (wait_for_threads,))?;
    Ok(())
}
