//! An answer's `data` built straight from the response bytes into Python values (each
//! struct a dict keyed by the spec's names, or a record of the generated classes; lists,
//! str, int, None), with no JSON value in between: the core's one-pass reader checks
//! each value against the spec and hands it here.

use std::cell::RefCell;

use aimis::registry::{FieldDef, StructDef};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString};

use crate::{errors, records};

/// The `data` of `answer` as Python values, structs as dicts, or as records with
/// `records`. Holds the GIL: the network is done.
pub fn to_py(py: Python<'_>, answer: aimis::PlainAnswer, records: bool) -> PyResult<Py<PyAny>> {
    let response = &answer.endpoint().response;
    let failed = RefCell::new(None);
    let data = errors::guard(|| {
        answer.read(Builder {
            py,
            records,
            failed: &failed,
        })
    });
    if let Some(error) = failed.into_inner() {
        return Err(error);
    }
    let data = data?;
    match records {
        true => records::of_answer(response, data).map(Bound::unbind),
        false => Ok(data.unbind()),
    }
}

/// Builds Python values. Python can fail to allocate one; the first such error is kept
/// in `failed` (and None stands in for the value) so that it reaches the caller as it is.
#[derive(Clone, Copy)]
struct Builder<'a, 'py> {
    py: Python<'py>,
    /// Structs as records of the generated classes, rather than dicts.
    records: bool,
    failed: &'a RefCell<Option<PyErr>>,
}

impl<'py> Builder<'_, 'py> {
    fn kept(self, result: PyResult<Bound<'py, PyAny>>) -> Bound<'py, PyAny> {
        result.unwrap_or_else(|error| {
            self.failed.borrow_mut().get_or_insert(error);
            self.py.None().into_bound(self.py)
        })
    }
}

impl<'py> aimis::PlainBuilder for Builder<'_, 'py> {
    type Value = Bound<'py, PyAny>;

    fn null(self) -> Self::Value {
        self.py.None().into_bound(self.py)
    }

    fn int(self, n: i64) -> Self::Value {
        n.into_pyobject(self.py)
            .unwrap_or_else(|never| match never {})
            .into_any()
    }

    fn string(self, text: &str) -> Self::Value {
        PyString::new(self.py, text).into_any()
    }

    fn list(self, items: Vec<Self::Value>) -> Self::Value {
        self.kept(PyList::new(self.py, items).map(Bound::into_any))
    }

    fn object(
        self,
        def: &'static StructDef,
        values: impl ExactSizeIterator<Item = Self::Value>,
    ) -> Self::Value {
        if self.records {
            return self.kept(records::of_struct(self.py, def, values));
        }
        let dict = PyDict::new(self.py);
        let fields: &'static [FieldDef] = def.fields;
        let keys = known_keys(self.py, def);
        let set = fields
            .iter()
            .zip(values)
            .enumerate()
            .try_for_each(|(at, (field, value))| match keys {
                Some(keys) => dict.set_item(keys[at].bind(self.py), value),
                None => dict.set_item(field.name, value),
            });
        self.kept(set.map(|()| dict.into_any()))
    }
}

/// The dict keys of a struct's fields, made once per process for every struct of the
/// spec (`None` for any other, which the core does not hand out). Structs are told
/// apart by name: the registry's definitions are constants, whose addresses differ
/// from one use to the next.
fn known_keys(py: Python<'_>, def: &'static StructDef) -> Option<&'static [Py<PyString>]> {
    static KEYS: PyOnceLock<Vec<StructKeys>> = PyOnceLock::new();
    let known = KEYS.get_or_init(py, || {
        let keys = |def: &'static StructDef| {
            let fields: &'static [FieldDef] = def.fields;
            fields
                .iter()
                .map(|field| PyString::intern(py, field.name).unbind())
                .collect()
        };
        aimis::SERVICE
            .structs
            .iter()
            .map(|def| (def.name, keys(def)))
            .collect()
    });
    known
        .iter()
        .find(|(name, _)| *name == def.name)
        .map(|(_, keys)| keys.as_slice())
}

/// A struct's name and its fields' keys.
type StructKeys = (&'static str, Vec<Py<PyString>>);
