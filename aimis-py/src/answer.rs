//! An answer's `data` as Python values (each struct a dict keyed by the spec's names, or
//! a record of the generated classes; lists, str, int, None), with no JSON value in
//! between: the core's one-pass reader checks each value against the spec and hands it
//! here. `Client` builds them straight from the response bytes; `AsyncClient` reads the
//! bytes on the thread that waited for them, into a [`Read`], so that its event loop
//! only makes the Python values.

use std::cell::RefCell;

use aimis::registry::{FieldDef, StructDef, TypeRef};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString};

use crate::{errors, records};

/// The `data` of `answer` as Python values, structs as dicts, or as records with
/// `records`. Holds the GIL: the network is done.
pub fn to_py(py: Python<'_>, answer: aimis::PlainAnswer, records: bool) -> PyResult<Py<PyAny>> {
    let response = &answer.endpoint().response;
    build(py, response, records, |builder| {
        errors::guard(|| answer.read(builder))
    })
}

/// [`to_py`] of an answer read already, whose endpoint's response is `response`.
pub fn read_to_py(
    py: Python<'_>,
    response: &'static TypeRef,
    read: Read,
    records: bool,
) -> PyResult<Py<PyAny>> {
    build(py, response, records, |builder| Ok(read.into_py(builder)))
}

fn build<'py>(
    py: Python<'py>,
    response: &'static TypeRef,
    records: bool,
    make: impl for<'a> FnOnce(Builder<'a, 'py>) -> PyResult<Bound<'py, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let failed = RefCell::new(None);
    let data = make(Builder {
        py,
        records,
        failed: &failed,
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

/// An answer's `data`, checked and decrypted, as the core's reader hands it over: what
/// the Python values are then made of, without reading the bytes again.
pub enum Read {
    Null,
    Int(i64),
    Text(String),
    List(Vec<Read>),
    Struct(&'static StructDef, Vec<Read>),
}

impl Read {
    /// Reads `answer` into a [`Read`]; needs no GIL.
    pub fn of(answer: aimis::PlainAnswer) -> Result<Read, aimis::Error> {
        answer.read(ReadBuilder)
    }

    fn into_py<'py>(self, builder: Builder<'_, 'py>) -> Bound<'py, PyAny> {
        use aimis::PlainBuilder;
        match self {
            Read::Null => builder.null(),
            Read::Int(n) => builder.int(n),
            Read::Text(text) => builder.string(&text),
            Read::List(items) => builder.list(
                items
                    .into_iter()
                    .map(|item| item.into_py(builder))
                    .collect(),
            ),
            Read::Struct(def, values) => {
                builder.object(def, values.into_iter().map(|value| value.into_py(builder)))
            }
        }
    }
}

#[derive(Clone, Copy)]
struct ReadBuilder;

impl aimis::PlainBuilder for ReadBuilder {
    type Value = Read;

    fn null(self) -> Read {
        Read::Null
    }

    fn int(self, n: i64) -> Read {
        Read::Int(n)
    }

    fn string(self, text: &str) -> Read {
        Read::Text(text.to_owned())
    }

    fn list(self, items: Vec<Read>) -> Read {
        Read::List(items)
    }

    fn object(self, def: &'static StructDef, values: impl ExactSizeIterator<Item = Read>) -> Read {
        Read::Struct(def, values.collect())
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
