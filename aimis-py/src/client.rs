//! The HTTP client: one `aimis::Client`, shared by every Python thread that holds it.

use std::time::Duration;

use pyo3::prelude::*;

use crate::convert;
use crate::errors::{self, IntoPyResult};

/// Calls any endpoint of the spec by name. The Python `aimis.Client` wraps this and adds
/// one keyword-argument method per endpoint.
#[derive(Debug)]
#[pyclass(frozen, module = "aimis._native", name = "Client")]
pub struct Client {
    inner: aimis::Client,
}

#[pymethods]
impl Client {
    #[new]
    #[pyo3(signature = (app_id, token, base_url=None, timeout=10.0))]
    fn new(app_id: &str, token: &str, base_url: Option<&str>, timeout: f64) -> PyResult<Self> {
        let credentials = aimis::Credentials::new(app_id, token).into_py_result()?;
        let mut builder = aimis::Client::builder(credentials)
            .timeout(duration("timeout", timeout)?)
            .user_agent_product(concat!("aimis-python/", env!("CARGO_PKG_VERSION")));
        if let Some(url) = base_url {
            builder = builder.base_url(url);
        }
        Ok(Client {
            inner: builder.build().into_py_result()?,
        })
    }

    #[getter]
    fn app_id(&self) -> &str {
        self.inner.app_id()
    }

    #[getter]
    fn base_url(&self) -> &str {
        self.inner.base_url()
    }

    /// Validates, encrypts, signs and sends `request` (vendor names, plaintext patient
    /// data) to `endpoint`; returns the response `data` as plain Python values. The GIL
    /// is released while the request is on the wire.
    fn call(
        &self,
        py: Python<'_>,
        endpoint: &str,
        request: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let request = convert::to_json(request)?;
        let data = py.detach(|| errors::guard(|| self.inner.call_json(endpoint, &request)))?;
        convert::to_py(py, &data)
    }
}

/// Seconds as a `Duration`, refusing what is not a positive, finite number.
pub fn duration(name: &str, seconds: f64) -> PyResult<Duration> {
    match Duration::try_from_secs_f64(seconds) {
        Ok(d) if !d.is_zero() => Ok(d),
        _ => Err(errors::from_core(aimis::Error::Config {
            message: format!("{name} must be a positive number of seconds, not {seconds}"),
        })),
    }
}
