//! `aimis.Inbox`: the consuming side of `aimis inbox`, over the same store the receiver
//! writes (SQLite or PostgreSQL). The GIL is released while the store works.

use std::sync::Arc;

use aimis_inbox::InboxError;
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::client::setting_text;
use crate::convert;
use crate::errors;

/// A claimed callback: `(id, callback, received_at, attempts, unconfirmed)`.
type Claimed = (i64, Py<PyAny>, String, u32, Vec<&'static str>);

#[derive(Debug)]
#[pyclass(frozen, module = "aimis._native", name = "Inbox")]
pub struct Inbox {
    inner: Arc<aimis_inbox::Inbox>,
}

#[pymethods]
impl Inbox {
    #[new]
    fn new(
        py: Python<'_>,
        store: &Bound<'_, PyString>,
        app_id: &Bound<'_, PyString>,
        token: &Bound<'_, PyString>,
    ) -> PyResult<Self> {
        let credentials = aimis::Credentials::new(
            setting_text("app_id", app_id)?.into_owned(),
            setting_text("token", token)?.into_owned(),
        )
        .map_err(errors::from_core)?;
        let url = setting_text("store", store)?.into_owned();
        let inner = py
            .detach(|| aimis_inbox::Inbox::open(&url, credentials))
            .map_err(error)?;
        Ok(Inbox {
            inner: Arc::new(inner),
        })
    }

    /// Claims the oldest pending callback for `lease` seconds; `None` when none is
    /// pending.
    fn next(&self, py: Python<'_>, lease: &Bound<'_, PyAny>) -> PyResult<Option<Claimed>> {
        let lease = crate::client::seconds("lease", lease, aimis::MAX_DURATION.as_secs())?;
        let item = py.detach(|| self.inner.next(lease)).map_err(error)?;
        let Some(mut item) = item else {
            return Ok(None);
        };
        // As a record of the spec's (first) callback, as `verify_callback` gives it.
        let callback = match aimis::SERVICE.callbacks.first() {
            Some(def) => crate::records::of_callback(py, def, &item.callback),
            None => convert::to_py(py, &item.callback),
        };
        aimis::message::wipe(&mut item.callback);
        Ok(Some((
            item.id,
            callback?,
            item.received_at,
            item.attempts,
            item.unconfirmed,
        )))
    }

    fn ack(&self, py: Python<'_>, id: i64) -> PyResult<()> {
        py.detach(|| self.inner.ack(id)).map_err(error)
    }

    fn nack(&self, py: Python<'_>, id: i64) -> PyResult<()> {
        py.detach(|| self.inner.nack(id)).map_err(error)
    }

    /// The stored callbacks in `state` (or `all`), patient data masked, as
    /// `aimis inbox list --json` prints them.
    fn list(&self, py: Python<'_>, state: &str) -> PyResult<Py<PyAny>> {
        let state = aimis_inbox::State::parse_filter(state)
            .map_err(|e| errors::invalid("state", &e.to_string()))?;
        let listed = py.detach(|| self.inner.list(state)).map_err(error)?;
        convert::to_py(py, &serde_json::to_value(&listed).unwrap_or_default())
    }

    /// The counts, as `aimis inbox stats --json` prints them.
    fn stats(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let stats = py.detach(|| self.inner.stats()).map_err(error)?;
        convert::to_py(py, &serde_json::to_value(&stats).unwrap_or_default())
    }
}

/// The exception for an inbox error: a bad store URL or missing credentials are a
/// `ConfigurationError`, an unknown id or a wrong state a `ValidationError`, the rest
/// an `InboxError`. Messages never hold patient data.
fn error(error: InboxError) -> PyErr {
    let message = error.naming_store("the store argument");
    match error {
        InboxError::BadStoreUrl { .. }
        | InboxError::NoCredentials
        | InboxError::BadOption { .. } => errors::config(message),
        InboxError::NotFound(_) | InboxError::WrongState { .. } => errors::invalid("id", &message),
        _ => errors::raise_named("InboxError", message),
    }
}
