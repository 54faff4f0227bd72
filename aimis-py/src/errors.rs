//! `aimis::Error` -> the Python exception classes of `aimis._errors`, in one place.

use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// Turns core results into Python results.
pub trait IntoPyResult<T> {
    fn into_py_result(self) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for Result<T, aimis::Error> {
    fn into_py_result(self) -> PyResult<T> {
        self.map_err(from_core)
    }
}

/// The exception for a core error: its class names the kind, its message is the core's
/// (which never holds patient data or the token), its attributes are the details.
pub fn from_core(error: aimis::Error) -> PyErr {
    Python::attach(|py| {
        let message = error.to_string();
        let (class, args) = match error {
            aimis::Error::Config { .. } => ("ConfigurationError", (message,).into_pyobject(py)),
            aimis::Error::Validation { field, rule } => {
                ("ValidationError", (message, field, rule).into_pyobject(py))
            }
            aimis::Error::UnknownEndpoint { expected, .. } => (
                "ValidationError",
                (message, "endpoint", format!("must be one of: {expected}")).into_pyobject(py),
            ),
            aimis::Error::Transport { .. } => ("TransportError", (message,).into_pyobject(py)),
            aimis::Error::Timeout(after) => (
                "TimeoutError",
                (message, after.as_secs_f64()).into_pyobject(py),
            ),
            aimis::Error::Http {
                status,
                content_type,
                length,
            } => (
                "HttpError",
                (message, status, content_type, length).into_pyobject(py),
            ),
            aimis::Error::Decode { .. } => ("DecodeError", (message,).into_pyobject(py)),
            aimis::Error::Api {
                code,
                name,
                message: text,
            } => ("ApiError", (message, code, text, name).into_pyobject(py)),
            aimis::Error::Crypto { field, .. } => {
                ("CryptoError", (message, field).into_pyobject(py))
            }
            aimis::Error::Callback(reason) => (
                "CallbackError",
                (message, callback_reason(&reason)).into_pyobject(py),
            ),
            _ => ("AimisError", (message,).into_pyobject(py)),
        };
        match args.and_then(|args| raise(py, class, &args)) {
            Ok(error) | Err(error) => error,
        }
    })
}

/// Runs `f`, turning a panic (a bug) into an `AimisError` rather than pyo3's
/// `PanicException`, which is not an `Exception` and escapes ordinary handlers.
pub fn guard<T>(f: impl FnOnce() -> Result<T, aimis::Error>) -> PyResult<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(result) => result.into_py_result(),
        Err(_) => Python::attach(|py| {
            let message = "internal error in aimis (a bug; please report it)";
            match raise(py, "AimisError", &(message,).into_pyobject(py)?) {
                Ok(error) | Err(error) => Err(error),
            }
        }),
    }
}

/// A `ValidationError` for a callback kind the spec does not have.
pub fn unknown_callback(name: &str) -> PyErr {
    let known: Vec<&str> = aimis::SERVICE.callbacks.iter().map(|c| c.name).collect();
    from_core(aimis::Error::Validation {
        field: "kind".to_owned(),
        rule: format!("`{name}` is none of: {}", known.join(", ")),
    })
}

fn raise(py: Python<'_>, class: &str, args: &Bound<'_, PyTuple>) -> PyResult<PyErr> {
    let class = py.import("aimis._errors")?.getattr(class)?;
    Ok(PyErr::from_value(class.call1(args)?))
}

/// Why a callback was refused, as a stable snake_case word for handlers to branch on.
fn callback_reason(reason: &aimis::CallbackError) -> &'static str {
    match reason {
        aimis::CallbackError::MissingHeader(_) => "missing_header",
        aimis::CallbackError::AppIdMismatch => "app_id_mismatch",
        aimis::CallbackError::BadTimestamp => "bad_timestamp",
        aimis::CallbackError::Stale(_) => "stale",
        aimis::CallbackError::FromFuture(_) => "from_future",
        aimis::CallbackError::BadSignature => "bad_signature",
        aimis::CallbackError::MalformedBody(_) => "malformed_body",
        aimis::CallbackError::Field { .. } => "field",
        _ => "other",
    }
}
