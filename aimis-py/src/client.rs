//! The HTTP client: one `aimis::Client`, shared by every Python thread that holds it.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use aimis::MAX_RETRIES;
use aimis::registry::EndpointDef;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyFloat, PyInt, PyString, PyTuple};

use crate::answer;
use crate::batch::Batch;
use crate::convert;
use crate::errors::{self, IntoPyResult};
use crate::pending::{self, Completions, Pending};

/// The longest timeout accepted: the Rust client's limit, an hour.
const MAX_TIMEOUT_SECS: u64 = aimis::MAX_DURATION.as_secs();

/// Calls any endpoint of the spec by name. The Python `aimis.Client` wraps this and adds
/// one keyword-argument method per endpoint.
#[derive(Debug)]
#[pyclass(frozen, module = "aimis._native", name = "Client")]
pub struct Client {
    /// None once closed: its connections go when the calls still running end.
    inner: RwLock<Option<Arc<aimis::Client>>>,
    app_id: String,
    base_url: String,
}

#[pymethods]
impl Client {
    /// Every setting is checked here (by the core, which words the messages), so that
    /// a bad one is a `ConfigurationError` now rather than a failure of every call.
    /// None means the Rust client's default; only Python types are converted here.
    #[new]
    #[pyo3(signature = (app_id, token, base_url=None, timeout=None, connect_timeout=None, retries=None, proxy=None, ca_certs=None, proxy_from_env=None, allow_insecure_http=None, user_agent_product=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        app_id: &Bound<'_, PyString>,
        token: &Bound<'_, PyString>,
        base_url: Option<&Bound<'_, PyString>>,
        timeout: Option<&Bound<'_, PyAny>>,
        connect_timeout: Option<&Bound<'_, PyAny>>,
        retries: Option<&Bound<'_, PyAny>>,
        proxy: Option<&Bound<'_, PyString>>,
        ca_certs: Option<&Bound<'_, PyAny>>,
        proxy_from_env: Option<&Bound<'_, PyAny>>,
        allow_insecure_http: Option<&Bound<'_, PyAny>>,
        user_agent_product: Option<&Bound<'_, PyString>>,
    ) -> PyResult<Self> {
        let credentials = aimis::Credentials::new(
            setting_text("app_id", app_id)?.into_owned(),
            setting_text("token", token)?.into_owned(),
        )
        .into_py_result()?;
        let mut builder = aimis::Client::builder(credentials)
            .user_agent_product(concat!("aimis-python/", env!("CARGO_PKG_VERSION")));
        if let Some(text) = user_agent_product {
            builder = builder.user_agent_product(&setting_text("user_agent_product", text)?);
        }
        if let Some(url) = base_url {
            builder = builder.base_url(setting_text("base_url", url)?);
        }
        if let Some(value) = timeout {
            builder = builder.timeout(seconds("timeout", value, MAX_TIMEOUT_SECS)?);
        }
        if let Some(value) = connect_timeout {
            builder = builder.connect_timeout(seconds("connect_timeout", value, MAX_TIMEOUT_SECS)?);
        }
        if let Some(value) = retries {
            builder = builder.retry(aimis::RetryPolicy {
                max_retries: retry_count(value)?,
                ..aimis::RetryPolicy::default()
            });
        }
        if let Some(url) = proxy {
            builder = builder.proxy(setting_text("proxy", url)?);
        }
        if let Some(value) = proxy_from_env {
            builder = builder.proxy_from_env(flag("proxy_from_env", value)?);
        }
        if let Some(value) = allow_insecure_http {
            builder = builder.allow_insecure_http(flag("allow_insecure_http", value)?);
        }
        if let Some(value) = ca_certs {
            builder = match ca_certificates(value)? {
                CaCertificates::Pem(pem) => builder.add_root_certificates_pem(pem),
                CaCertificates::File(path) => builder.add_root_certificates_file(path),
            };
        }
        let inner = builder.build().into_py_result()?;
        Ok(Client {
            app_id: inner.app_id().to_owned(),
            base_url: inner.base_url().to_owned(),
            inner: RwLock::new(Some(Arc::new(inner))),
        })
    }

    #[getter]
    fn app_id(&self) -> &str {
        &self.app_id
    }

    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Lets go of the client: later calls raise `ConfigurationError`; calls already
    /// running finish, and the connections close with the last of them.
    fn close(&self) {
        self.inner.write().unwrap_or_else(|p| p.into_inner()).take();
    }

    #[getter]
    fn closed(&self) -> bool {
        self.inner
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .is_none()
    }

    /// Validates, encrypts, signs and sends `request` (vendor names, plaintext patient
    /// data) to `endpoint`; returns the response `data` as plain Python values, each
    /// struct a dict. The GIL is released while the request is on the wire.
    fn call(
        &self,
        py: Python<'_>,
        endpoint: &Bound<'_, PyString>,
        request: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let name = convert::unicode(endpoint, "endpoint")?;
        let request = convert::to_json(request)?;
        self.send(py, endpoint_def(&name), request, false)
    }

    /// [`Client::call`] as the generated endpoint methods make it: the request's values
    /// in the order of the endpoint's fields (None for one not given), and the answer's
    /// structs as records of the generated classes.
    fn call_fields(
        &self,
        py: Python<'_>,
        endpoint: &Bound<'_, PyString>,
        values: &Bound<'_, PyTuple>,
    ) -> PyResult<Py<PyAny>> {
        let def = endpoint_def(&convert::unicode(endpoint, "endpoint")?)?;
        let request = convert::fields_to_json(def.request, values)?;
        self.send(py, Ok(def), request, true)
    }

    /// [`Client::call`] on the module's threads: returns at once, and the outcome
    /// settles `future` through `completions`, its loop's (see `pending`), unless
    /// cancelled first.
    fn start_call(
        &self,
        py: Python<'_>,
        endpoint: &Bound<'_, PyString>,
        request: &Bound<'_, PyAny>,
        completions: Py<Completions>,
        future: Py<PyAny>,
    ) -> PyResult<Pending> {
        let def = endpoint_def(&convert::unicode(endpoint, "endpoint")?)?;
        self.start(
            py,
            def,
            convert::to_json(request)?,
            false,
            completions,
            future,
        )
    }

    /// [`Client::call_fields`] as [`Client::start_call`] runs it.
    fn start_fields(
        &self,
        py: Python<'_>,
        endpoint: &Bound<'_, PyString>,
        values: &Bound<'_, PyTuple>,
        completions: Py<Completions>,
        future: Py<PyAny>,
    ) -> PyResult<Pending> {
        let def = endpoint_def(&convert::unicode(endpoint, "endpoint")?)?;
        self.start(
            py,
            def,
            convert::fields_to_json(def.request, values)?,
            true,
            completions,
            future,
        )
    }

    /// Runs one request of `endpoint` per row of `rows` (any iterable of requests as
    /// for `call`), at most `concurrency` at once and `rate` a second; returns the
    /// outcomes as `(index, data, error)` in the order they complete.
    #[pyo3(signature = (endpoint, rows, concurrency, rate=None))]
    fn batch(
        &self,
        endpoint: &Bound<'_, PyString>,
        rows: &Bound<'_, PyAny>,
        concurrency: &Bound<'_, PyAny>,
        rate: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Batch> {
        let endpoint = endpoint_def(&convert::unicode(endpoint, "endpoint")?)?;
        let options = crate::batch::options(concurrency, rate)?;
        crate::log::refresh(rows.py());
        Batch::start(self.client()?, endpoint, rows.try_iter()?.unbind(), options)
    }
}

/// `ca_certs`: PEM text as bytes, or the path of a PEM file (read by the core).
enum CaCertificates {
    Pem(Vec<u8>),
    File(PathBuf),
}

fn ca_certificates(value: &Bound<'_, PyAny>) -> PyResult<CaCertificates> {
    if let Ok(bytes) = value.cast::<PyBytes>() {
        return Ok(CaCertificates::Pem(bytes.as_bytes().to_vec()));
    }
    if let Ok(path) = value.extract::<PathBuf>() {
        return Ok(CaCertificates::File(path));
    }
    Err(errors::config(format!(
        "ca_certs must be the path of a PEM file (str or os.PathLike) or PEM bytes, not a {}",
        convert::type_name(value)
    )))
}

/// A yes-or-no setting: a bool, not a number or text.
fn flag(name: &str, value: &Bound<'_, PyAny>) -> PyResult<bool> {
    match value.cast::<PyBool>() {
        Ok(flag) => Ok(flag.is_true()),
        Err(_) => Err(errors::config(format!(
            "{name} must be True or False, not a {}",
            convert::type_name(value)
        ))),
    }
}

/// A text setting, or a `ConfigurationError` naming it when it holds a lone surrogate.
pub fn setting_text<'a>(
    name: &str,
    text: &'a Bound<'_, PyString>,
) -> PyResult<std::borrow::Cow<'a, str>> {
    text.to_cow().map_err(|_| {
        errors::config(format!(
            "{name} is not valid Unicode text (it holds a lone surrogate)"
        ))
    })
}

/// A number of seconds, greater than 0 and at most `max_secs`: an int or a float, not
/// a bool. The message names the setting and the rule, and quotes only numbers.
pub fn seconds(name: &str, value: &Bound<'_, PyAny>, max_secs: u64) -> PyResult<Duration> {
    let rule = format!("{name} must be a number of seconds greater than 0 and at most {max_secs}");
    let number = if value.is_instance_of::<PyBool>() {
        None
    } else if let Ok(float) = value.cast::<PyFloat>() {
        Some(float.value())
    } else if let Ok(int) = value.cast::<PyInt>() {
        // Past 2^63 it is out of range whichever way: say so without converting it.
        Some(int.extract::<i64>().map_or(f64::INFINITY, |n| n as f64))
    } else {
        None
    };
    match number {
        Some(n) if n > 0.0 && n <= max_secs as f64 => Ok(Duration::from_secs_f64(n)),
        Some(n) if n.is_finite() => Err(errors::config(format!("{rule}, not {n}"))),
        Some(_) => Err(errors::config(format!("{rule}, not {}", float_name(value)))),
        None => Err(errors::config(format!(
            "{rule}, not a {}",
            convert::type_name(value)
        ))),
    }
}

/// `nan`, `inf`, `-inf` or "a huge integer".
fn float_name(value: &Bound<'_, PyAny>) -> String {
    match value.cast::<PyFloat>() {
        Ok(float) => float.value().to_string().to_lowercase(),
        Err(_) => "an integer that large".to_owned(),
    }
}

/// How many times a failed attempt is retried: a whole number from 0 to [`MAX_RETRIES`].
fn retry_count(value: &Bound<'_, PyAny>) -> PyResult<u32> {
    let rule = format!("retries must be a whole number from 0 to {MAX_RETRIES}");
    if value.is_instance_of::<PyBool>() {
        return Err(errors::config(format!("{rule}, not a bool")));
    }
    let Ok(int) = value.cast::<PyInt>() else {
        let type_name = convert::type_name(value);
        return Err(errors::config(format!("{rule}, not a {type_name}")));
    };
    match int.extract::<i64>() {
        Ok(n) if (0..=i64::from(MAX_RETRIES)).contains(&n) => Ok(n as u32),
        Ok(n) => Err(errors::config(format!("{rule}, not {n}"))),
        Err(_) => Err(errors::config(format!("{rule}, not an integer that large"))),
    }
}

/// The endpoint by any spelling of its name.
fn endpoint_def(name: &str) -> PyResult<&'static EndpointDef> {
    aimis::SERVICE
        .endpoint(name)
        .ok_or_else(|| errors::from_core(aimis::json::unknown_endpoint(&aimis::SERVICE, name)))
}

impl Client {
    /// The core's client, or a `ConfigurationError` once closed.
    fn client(&self) -> PyResult<Arc<aimis::Client>> {
        let inner = self.inner.read().unwrap_or_else(|p| p.into_inner());
        inner.clone().ok_or_else(|| {
            errors::config("this client is closed: make a new one to call again".to_owned())
        })
    }

    /// Runs `request` on the module's threads, stopped when cancelled, wiping it either
    /// way; the answer is built with the GIL, the wait is without it.
    fn start(
        &self,
        py: Python<'_>,
        def: &'static EndpointDef,
        mut request: serde_json::Value,
        records: bool,
        completions: Py<Completions>,
        future: Py<PyAny>,
    ) -> PyResult<Pending> {
        let client = match self.client() {
            Ok(client) => client,
            Err(error) => {
                aimis::message::wipe(&mut request);
                return Err(error);
            }
        };
        crate::log::refresh(py);
        // The answer is read here too, off the event loop: the loop only makes the
        // Python values.
        let wait = move |cancelled: &pending::Cancelled| {
            let stop = cancelled.clone();
            let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                aimis::interruptible(move || stop.is_set(), || client.call_plain(def, &request))
                    .and_then(answer::Read::of)
            }));
            aimis::message::wipe(&mut request);
            read
        };
        pending::start(completions, future, wait, move |py, read| match read {
            Ok(read) => answer::read_to_py(py, &def.response, read.into_py_result()?, records),
            Err(_) => Err(errors::internal_error(py)),
        })
    }

    /// Sends `request` to `endpoint` (if it was found) with the GIL released, stopped by
    /// Ctrl-C, wipes the request either way, and reads the answer.
    fn send(
        &self,
        py: Python<'_>,
        endpoint: PyResult<&'static EndpointDef>,
        mut request: serde_json::Value,
        records: bool,
    ) -> PyResult<Py<PyAny>> {
        crate::log::refresh(py);
        let answer = endpoint.and_then(|def| {
            let client = self.client()?;
            errors::interruptible(py, || client.call_plain(def, &request))
        });
        aimis::message::wipe(&mut request);
        answer::to_py(py, answer?, records)
    }
}
