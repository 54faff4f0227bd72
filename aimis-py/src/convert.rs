//! Python values <-> JSON values, at the boundary of every call.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};
use serde_json::{Map, Number, Value};

use crate::errors;

/// The vendor's datetime form, `yyyy-MM-dd HH:mm:ss`, as `strftime` writes it.
const DATETIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// A request from Python: dicts, lists and tuples, str, int (IntEnum members included),
/// float, bool, None, and `datetime` (written in the vendor's form). The error names the
/// field where an unsupported value sits.
pub fn to_json(value: &Bound<'_, PyAny>) -> PyResult<Value> {
    convert(value, "(request)")
}

fn convert(value: &Bound<'_, PyAny>, field: &str) -> PyResult<Value> {
    if value.is_none() {
        Ok(Value::Null)
    } else if let Ok(flag) = value.cast::<PyBool>() {
        Ok(Value::Bool(flag.is_true()))
    } else if let Ok(int) = value.cast::<PyInt>() {
        match int.extract::<i64>() {
            Ok(n) => Ok(n.into()),
            Err(_) => Err(invalid(field, "is an integer out of the 64-bit range")),
        }
    } else if let Ok(float) = value.cast::<PyFloat>() {
        Number::from_f64(float.value())
            .map(Value::Number)
            .ok_or_else(|| invalid(field, "is not a finite number"))
    } else if let Ok(text) = value.cast::<PyString>() {
        match text.to_cow() {
            Ok(text) => Ok(Value::String(text.into_owned())),
            Err(_) => Err(invalid(
                field,
                "is not valid Unicode text (it holds a lone surrogate)",
            )),
        }
    } else if let Ok(dict) = value.cast::<PyDict>() {
        let mut object = Map::new();
        for (key, item) in dict.iter() {
            let Ok(key) = key.cast::<PyString>() else {
                return Err(PyTypeError::new_err("request keys must be strings"));
            };
            let key = key.to_cow()?;
            let item = convert(&item, &key)?;
            object.insert(key.into_owned(), item);
        }
        Ok(Value::Object(object))
    } else if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        value
            .try_iter()?
            .map(|item| convert(&item?, field))
            .collect::<PyResult<_>>()
            .map(Value::Array)
    } else if value.is_instance(datetime_type(value.py())?)? {
        Ok(Value::String(
            value
                .call_method1("strftime", (DATETIME_FORMAT,))?
                .extract()?,
        ))
    } else {
        let type_name = value.get_type().name()?;
        Err(invalid(
            field,
            &format!(
                "has unsupported type `{type_name}` (expected str, int, float, bool, None, datetime, list or dict)"
            ),
        ))
    }
}

fn invalid(field: &str, rule: &str) -> PyErr {
    errors::from_core(aimis::Error::Validation {
        field: field.to_owned(),
        rule: rule.to_owned(),
    })
}

fn datetime_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    DATETIME.import(py, "datetime", "datetime")
}

/// A response or callback for Python: dicts, lists, str, int, float, bool, None.
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
