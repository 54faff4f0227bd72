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
    if let aimis::Error::Interrupted = error {
        // Stopped by a signal whose own exception was not kept (see `interruptible`).
        return pyo3::exceptions::PyKeyboardInterrupt::new_err("interrupted");
    }
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
            aimis::Error::Transport { kind, .. } => {
                (transport_class(kind), (message,).into_pyobject(py))
            }
            aimis::Error::Timeout(after) => (
                "TimeoutException",
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
            aimis::Error::Crypto { field, error } => (
                "CryptoError",
                (message, field, error.reason()).into_pyobject(py),
            ),
            aimis::Error::Callback(refusal) => {
                let field = match &refusal {
                    aimis::CallbackError::Field { field, .. } => Some(field.clone()),
                    _ => None,
                };
                (
                    "CallbackError",
                    (message, refusal.reason(), field).into_pyobject(py),
                )
            }
            _ => ("AimisError", (message,).into_pyobject(py)),
        };
        match args.and_then(|args| raise(py, class, &args)) {
            Ok(error) | Err(error) => error,
        }
    })
}

/// The `TransportError` subclass of a kind; each has the kind's name as its `kind`.
fn transport_class(kind: aimis::TransportKind) -> &'static str {
    match kind {
        aimis::TransportKind::ConnectionRefused => "ConnectionRefusedException",
        aimis::TransportKind::Dns => "DnsError",
        aimis::TransportKind::TlsCertificate => "TlsCertificateError",
        aimis::TransportKind::ConnectionReset => "ConnectionResetException",
        aimis::TransportKind::BodyTooLarge => "BodyTooLargeError",
        // A timeout is `Error::Timeout`, which carries the limit; a kind Python does
        // not know yet is a plain TransportError.
        _ => "TransportError",
    }
}

/// Runs `call` with the GIL released, stopping it when a signal handler raises (Ctrl-C
/// is `KeyboardInterrupt`): the handlers run on the main thread, asked every 100 ms
/// while the call waits on the platform, and their exception is the call's.
pub fn interruptible<T: Send>(
    py: Python<'_>,
    call: impl FnOnce() -> Result<T, aimis::Error> + Send,
) -> PyResult<T> {
    let (outcome, raised) = py.detach(|| {
        let raised = std::rc::Rc::new(std::cell::Cell::new(None));
        let kept = std::rc::Rc::clone(&raised);
        let stop = move || {
            Python::attach(|py| py.check_signals())
                .map_err(|error| kept.set(Some(error)))
                .is_err()
        };
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            aimis::interruptible(stop, call)
        }));
        (outcome, raised.take())
    });
    match (outcome, raised) {
        (_, Some(raised)) => Err(raised),
        (Ok(result), None) => result.into_py_result(),
        (Err(_), None) => Err(internal_error(py)),
    }
}

/// Runs `f`, turning a panic (a bug) into an `AimisError` rather than pyo3's
/// `PanicException`, which is not an `Exception` and escapes ordinary handlers.
pub fn guard<T>(f: impl FnOnce() -> Result<T, aimis::Error>) -> PyResult<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(result) => result.into_py_result(),
        Err(_) => Python::attach(|py| Err(internal_error(py))),
    }
}

/// The `AimisError` for a panic in the core: a bug.
pub fn internal_error(py: Python<'_>) -> PyErr {
    let message = "internal error in aimis (a bug; please report it)";
    match (message,)
        .into_pyobject(py)
        .and_then(|args| raise(py, "AimisError", &args))
    {
        Ok(error) | Err(error) => error,
    }
}

/// A `ValidationError`: this field breaks this rule.
pub fn invalid(field: &str, rule: &str) -> PyErr {
    from_core(aimis::Error::Validation {
        field: field.to_owned(),
        rule: rule.to_owned(),
    })
}

/// An exception of `aimis._errors` that takes only a message.
pub fn raise_named(class: &str, message: String) -> PyErr {
    Python::attach(|py| {
        let error = (message,)
            .into_pyobject(py)
            .and_then(|args| raise(py, class, &args));
        match error {
            Ok(error) | Err(error) => error,
        }
    })
}

/// A `ConfigurationError` with this message.
pub fn config(message: String) -> PyErr {
    from_core(aimis::Error::Config { message })
}

/// A `ValidationError` for a callback kind the spec does not have.
pub fn unknown_callback(name: &str) -> PyErr {
    let known: Vec<&str> = aimis::SERVICE.callbacks.iter().map(|c| c.name).collect();
    invalid(
        "kind",
        &format!("`{name}` is none of: {}", known.join(", ")),
    )
}

fn raise(py: Python<'_>, class: &str, args: &Bound<'_, PyTuple>) -> PyResult<PyErr> {
    let class = py.import("aimis._errors")?.getattr(class)?;
    Ok(PyErr::from_value(class.call1(args)?))
}
