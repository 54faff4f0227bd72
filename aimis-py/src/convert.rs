//! Python values <-> JSON values, at the boundary of every call.
//!
//! A request is read without running any of the caller's code (no `__iter__`, `items`,
//! `__getattr__` or `__class__` of theirs): dicts, lists and tuples are walked through
//! their C structure, so whatever the caller built, the outcome is a JSON value or a
//! `ValidationError` naming the field.

use std::borrow::Cow;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};
use serde_json::{Map, Number, Value};

use aimis::registry::FieldDef;

use crate::errors;

/// The vendor's datetime form, `yyyy-MM-dd HH:mm:ss`, as `strftime` writes it.
const DATETIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// How deep dicts, lists and tuples may nest, the request itself being the first level.
/// serde_json, which reads the requests of C and the CLI, refuses the 128th level; the
/// same request is refused here, before its depth can exhaust the stack.
pub const MAX_DEPTH: usize = 127;

/// The field named for a problem with the request as a whole.
const WHOLE_REQUEST: &str = "(request)";

/// A request from Python: dicts, lists and tuples, str, int (IntEnum members included),
/// float, bool, None, and `datetime` (written in the vendor's form). The error names the
/// request's field (its top-level key) where an unsupported value sits.
pub fn to_json(value: &Bound<'_, PyAny>) -> PyResult<Value> {
    Walk { open: Vec::new() }.convert(value, WHOLE_REQUEST)
}

/// A request from an endpoint method: `values` in the order of the endpoint's `fields`,
/// None for one left out. Each value is read as by [`to_json`], under its field's name.
pub fn fields_to_json(fields: &[FieldDef], values: &Bound<'_, PyTuple>) -> PyResult<Value> {
    if values.len() != fields.len() {
        return Err(errors::invalid(
            WHOLE_REQUEST,
            &format!("has {} values for {} fields", values.len(), fields.len()),
        ));
    }
    // The tuple stands for the request: the first level of nesting.
    let mut walk = Walk {
        open: vec![values.as_ptr() as usize],
    };
    let mut object = Map::new();
    for (field, value) in fields.iter().zip(values.iter()) {
        if !value.is_none() {
            object.insert(field.name.to_owned(), walk.convert(&value, field.name)?);
        }
    }
    Ok(Value::Object(object))
}

/// The containers from the request down to the value being converted, by identity: a
/// container met again on its own path is a reference cycle.
struct Walk {
    open: Vec<usize>,
}

impl Walk {
    fn convert(&mut self, value: &Bound<'_, PyAny>, field: &str) -> PyResult<Value> {
        if value.is_none() {
            Ok(Value::Null)
        } else if let Ok(flag) = value.cast::<PyBool>() {
            Ok(Value::Bool(flag.is_true()))
        } else if let Ok(int) = value.cast::<PyInt>() {
            match int.extract::<i64>() {
                Ok(n) => Ok(n.into()),
                Err(_) => Err(errors::invalid(
                    field,
                    "is an integer out of the 64-bit range",
                )),
            }
        } else if let Ok(float) = value.cast::<PyFloat>() {
            Number::from_f64(float.value())
                .map(Value::Number)
                .ok_or_else(|| errors::invalid(field, "is not a finite number"))
        } else if let Ok(text) = value.cast::<PyString>() {
            Ok(Value::String(unicode(text, field)?.into_owned()))
        } else if let Ok(dict) = value.cast::<PyDict>() {
            self.nested(value, field, |walk| {
                let top = walk.open.len() == 1;
                let mut object = Map::new();
                for (key, item) in dict.iter() {
                    let Ok(key) = key.cast::<PyString>() else {
                        return Err(errors::invalid(
                            field,
                            "has a key that is not a str (keys must be strings)",
                        ));
                    };
                    let key = unicode(key, field)?;
                    let item = walk.convert(&item, if top { &key } else { field })?;
                    object.insert(key.into_owned(), item);
                }
                Ok(Value::Object(object))
            })
        } else if let Ok(list) = value.cast::<PyList>() {
            self.nested(value, field, |walk| {
                list.iter()
                    .map(|item| walk.convert(&item, field))
                    .collect::<PyResult<_>>()
                    .map(Value::Array)
            })
        } else if let Ok(tuple) = value.cast::<PyTuple>() {
            self.nested(value, field, |walk| {
                tuple
                    .iter()
                    .map(|item| walk.convert(&item, field))
                    .collect::<PyResult<_>>()
                    .map(Value::Array)
            })
        } else if value
            .get_type()
            .is_subclass(datetime_type(value.py())?)
            .unwrap_or(false)
        {
            // The base class's method: a subclass's own `strftime` is not called.
            let text =
                datetime_type(value.py())?.call_method1("strftime", (value, DATETIME_FORMAT))?;
            Ok(Value::String(text.extract()?))
        } else {
            Err(errors::invalid(
                field,
                &format!(
                    "has unsupported type `{}` (expected str, int, float, bool, None, datetime, list, tuple or dict)",
                    type_name(value)
                ),
            ))
        }
    }

    /// Converts a container, refusing one that is too deep or already open.
    fn nested(
        &mut self,
        container: &Bound<'_, PyAny>,
        field: &str,
        convert: impl FnOnce(&mut Self) -> PyResult<Value>,
    ) -> PyResult<Value> {
        let id = container.as_ptr() as usize;
        if self.open.contains(&id) {
            return Err(errors::invalid(
                field,
                "contains itself (a reference cycle)",
            ));
        }
        if self.open.len() == MAX_DEPTH {
            return Err(errors::invalid(
                field,
                &format!(
                    "nests dicts, lists and tuples too deep (at most {MAX_DEPTH} levels, the request included)"
                ),
            ));
        }
        self.open.push(id);
        let value = convert(self);
        self.open.pop();
        value
    }
}

/// The text of a `str`, or a `ValidationError` for one holding a lone surrogate (which
/// no UTF-8, and so no JSON, can carry).
pub fn unicode<'a>(text: &'a Bound<'_, PyString>, field: &str) -> PyResult<Cow<'a, str>> {
    text.to_cow().map_err(|_| {
        errors::invalid(
            field,
            "is not valid Unicode text (it holds a lone surrogate)",
        )
    })
}

/// The name of a value's type, for messages; never the value.
pub fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map_or_else(|_| "object".to_owned(), |name| name.to_string())
}

fn datetime_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    DATETIME.import(py, "datetime", "datetime")
}

/// A response or callback for Python: dicts, lists, str, int, float, bool, None. The
/// value comes from serde_json, whose parser bounds its depth.
pub fn to_py(py: Python<'_>, value: &Value) -> PyResult<Py<PyAny>> {
    Ok(match value {
        Value::Null => py.None(),
        Value::Bool(flag) => PyBool::new(py, *flag).to_owned().into_any().unbind(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any().unbind(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any().unbind(),
            _ => n
                .as_f64()
                .unwrap_or(f64::NAN)
                .into_pyobject(py)?
                .into_any()
                .unbind(),
        },
        Value::String(text) => PyString::new(py, text).into_any().unbind(),
        Value::Array(items) => {
            let items = items
                .iter()
                .map(|item| to_py(py, item))
                .collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, items)?.into_any().unbind()
        }
        Value::Object(object) => {
            let dict = PyDict::new(py);
            for (key, item) in object {
                dict.set_item(key, to_py(py, item)?)?;
            }
            dict.into_any().unbind()
        }
    })
}
