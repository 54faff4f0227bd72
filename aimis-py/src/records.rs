//! The generated record classes, built here from the values of an answer or a callback
//! by the spec's types: enums as members, datetimes as `datetime`, lists inside a record
//! as tuples. No Python code runs per record (after the network, each line of Python
//! cost several times what it costs warm).
//!
//! `aimis/_generated.py` hands its classes over once, by the spec's names, through
//! `use_classes`; each of the spec's structs, callbacks and enums must have one.

use aimis::registry::{CallbackDef, FieldDef, StructDef, TypeRef};
use pyo3::exceptions::PyRuntimeError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString, PyTuple, PyType};
use serde_json::Value;

use crate::convert;

/// What a record is built with, by the spec's names.
struct Classes {
    structs: Vec<(&'static str, Py<PyType>)>,
    callbacks: Vec<(&'static str, Py<PyType>)>,
    /// Each enum's members by number (its `_value2member_map_`).
    enums: Vec<(&'static str, Py<PyDict>)>,
    /// `datetime.datetime`.
    datetime: Py<PyAny>,
    /// `_values`, where a record keeps its values.
    values: Py<PyString>,
}

static CLASSES: PyOnceLock<Classes> = PyOnceLock::new();

/// Takes the generated classes: `structs`, `callbacks` and `enums` by the spec's names.
/// Called once, by `aimis._generated` as it is imported.
#[pyfunction]
pub fn use_classes<'py>(
    structs: &Bound<'py, PyDict>,
    callbacks: &Bound<'py, PyDict>,
    enums: &Bound<'py, PyDict>,
) -> PyResult<()> {
    let py = structs.py();
    let service = &aimis::SERVICE;
    let class = |kind: &str, by_name: &Bound<'py, PyDict>, name: &'static str| {
        let class = by_name.get_item(name)?.ok_or_else(|| {
            PyRuntimeError::new_err(format!(
                "aimis._generated gives no class for the spec's {kind} `{name}`; regenerate it"
            ))
        })?;
        Ok::<_, PyErr>((name, class.cast_into::<PyType>()?))
    };
    // Records are allocated here as `object.__new__` allocates them: only classes on
    // `Record` (Python classes with its `_values` slot) are taken.
    let base = py.import("aimis._model")?.getattr("Record")?;
    let record_class = |kind: &str, by_name: &Bound<'py, PyDict>, name: &'static str| {
        let (name, class) = class(kind, by_name, name)?;
        if !class.is_subclass(&base)? {
            return Err(PyRuntimeError::new_err(format!(
                "the class for the spec's {kind} `{name}` is not an aimis record class"
            )));
        }
        Ok((name, class.unbind()))
    };
    let classes = Classes {
        structs: (service.structs.iter())
            .map(|def| record_class("struct", structs, def.name))
            .collect::<PyResult<_>>()?,
        callbacks: (service.callbacks.iter())
            .map(|def| record_class("callback", callbacks, def.name))
            .collect::<PyResult<_>>()?,
        enums: (service.enums.iter())
            .map(|def| {
                let (name, class) = class("enum", enums, def.name)?;
                let members = class.getattr("_value2member_map_")?;
                Ok((name, members.cast_into::<PyDict>()?.unbind()))
            })
            .collect::<PyResult<_>>()?,
        datetime: py.import("datetime")?.getattr("datetime")?.unbind(),
        values: PyString::intern(py, "_values").unbind(),
    };
    // A second import of the module (a reload) hands over the same classes again.
    let _ = CLASSES.set(py, classes);
    Ok(())
}

fn classes(py: Python<'_>) -> PyResult<&'static Classes> {
    CLASSES.get(py).ok_or_else(|| {
        PyRuntimeError::new_err("aimis._native.use_classes was not called: import aimis")
    })
}

/// The record of struct `def` from its values in field order, decoded.
pub fn of_struct<'py>(
    py: Python<'py>,
    def: &'static StructDef,
    values: impl Iterator<Item = Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let classes = classes(py)?;
    let class = find(&classes.structs, def.name)?;
    record(py, classes, class, def.fields, values)
}

/// The record of a verified callback (plain JSON by the vendor's names).
pub fn of_callback(
    py: Python<'_>,
    def: &'static CallbackDef,
    callback: &Value,
) -> PyResult<Py<PyAny>> {
    let classes = classes(py)?;
    let class = find(&classes.callbacks, def.name)?;
    let fields: &'static [FieldDef] = def.fields;
    let values = fields
        .iter()
        .map(|field| match callback.get(field.name) {
            Some(value) => convert::to_py(py, value).map(|v| v.into_bound(py)),
            None => Ok(py.None().into_bound(py)),
        })
        .collect::<PyResult<Vec<_>>>()?;
    record(py, classes, class, fields, values.into_iter()).map(Bound::unbind)
}

/// What an endpoint returns, from the values as read: a list stays a list (of decoded
/// items); anything else is decoded as a record's field is.
pub fn of_answer<'py>(
    ty: &'static TypeRef,
    data: Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    match ty {
        TypeRef::List(TypeRef::String | TypeRef::Int | TypeRef::Struct(_)) => Ok(data),
        TypeRef::List(item) => Ok(PyList::new(data.py(), items(item, &data)?)?.into_any()),
        _ => decode(ty, data),
    }
}

fn record<'py>(
    py: Python<'py>,
    classes: &Classes,
    class: &Py<PyType>,
    fields: &'static [FieldDef],
    values: impl Iterator<Item = Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let decoded = (fields.iter().zip(values))
        .map(|(field, value)| decode(&field.ty, value))
        .collect::<PyResult<Vec<_>>>()?;
    let values = PyTuple::new(py, decoded)?;
    // What `object.__new__(class)` and `object.__setattr__(record, "_values", values)`
    // do, without two calls through Python's argument tuples (a third of a record's
    // cost).
    // SAFETY: `class` is a live type object, a record class (a heap type on `Record`),
    // whose instances `PyType_GenericAlloc` allocates as `object.__new__` does; the GIL
    // is held (`py`), and the new reference is owned by the `Bound` at once.
    let record = unsafe {
        let record = ffi::PyType_GenericAlloc(class.as_ptr().cast(), 0);
        Bound::from_owned_ptr_or_err(py, record)?
    };
    // The generic path sets the `_values` slot, past the record's own `__setattr__`,
    // which refuses every change.
    // SAFETY: the record, the name and the tuple are live references held across the
    // call, with the GIL held; the call takes a reference to the value of its own.
    let set = unsafe {
        ffi::PyObject_GenericSetAttr(record.as_ptr(), classes.values.as_ptr(), values.as_ptr())
    };
    if set != 0 {
        return Err(PyErr::fetch(py));
    }
    Ok(record)
}

/// A value of `ty` as plain Python (structs already records) as a record holds it.
fn decode<'py>(ty: &'static TypeRef, value: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let py = value.py();
    if value.is_none() {
        return Ok(value);
    }
    match ty {
        TypeRef::Enum(def) => {
            let members = find(&classes(py)?.enums, def.name)?.bind(py);
            Ok(members.get_item(&value)?.unwrap_or(value))
        }
        TypeRef::DateTime => datetime(py, value),
        TypeRef::List(item) => Ok(PyTuple::new(py, items(item, &value)?)?.into_any()),
        // Structs are records by then; strings, ints and kinds to come stay as read.
        _ => Ok(value),
    }
}

/// A `datetime` when `value` is a real time in the vendor's form, else `value` itself:
/// a datetime in another form stays the text that was sent. So does a year before
/// 1000, which `to_dict()` (strftime) would not write back with four digits.
fn datetime<'py>(py: Python<'py>, value: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let parts = (value.cast::<PyString>().ok())
        .and_then(|text| aimis::json::datetime_parts(&text.to_cow().ok()?));
    match parts {
        Some([year, month, day, hour, minute, second]) if year >= 1000 => {
            let datetime = classes(py)?.datetime.bind(py);
            datetime.call1((year, month, day, hour, minute, second))
        }
        _ => Ok(value),
    }
}

/// The items of `list` (a list as read), each decoded as a value of `item`.
fn items<'py>(
    item: &'static TypeRef,
    list: &Bound<'py, PyAny>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    (list.cast::<PyList>()?.iter())
        .map(|value| decode(item, value))
        .collect()
}

fn find<'a, T>(by_name: &'a [(&'static str, T)], name: &str) -> PyResult<&'a T> {
    by_name
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, class)| class)
        .ok_or_else(|| PyRuntimeError::new_err(format!("no class for the spec's `{name}`")))
}
