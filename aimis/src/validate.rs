//! The rules a request must pass before it is sent, and the shape checks of JSON
//! messages coming from C, Python, the CLI or the wire.

use std::borrow::Cow;

use serde_json::Value;

use crate::error::Error;
use crate::registry::{FieldDef, TypeRef};

/// A required text field must be present and not blank.
pub fn required_text(field: &str, value: &str) -> Result<(), Error> {
    // Any printable ASCII byte settles it without decoding the text.
    let printable = value.bytes().any(|b| b.is_ascii_graphic());
    if !printable && value.chars().all(char::is_whitespace) {
        return Err(Error::validation(
            field,
            "is required and must not be empty",
        ));
    }
    Ok(())
}

/// An enum value in a request must be one the spec knows.
pub fn known_enum(field: &str, known: bool, choices: impl FnOnce() -> String) -> Result<(), Error> {
    if !known {
        return Err(Error::validation(
            field,
            format!("must be one of {}", choices()),
        ));
    }
    Ok(())
}

/// `yyyy-MM-dd HH:mm:ss`, 24-hour, and a real calendar date.
pub fn datetime(field: &str, value: &str) -> Result<(), Error> {
    if is_datetime(value) {
        return Ok(());
    }
    // Blank is its own mistake; a datetime, being digits, never is.
    required_text(field, value)?;
    Err(Error::validation(
        field,
        "must be a real date and time written yyyy-MM-dd HH:mm:ss (24-hour)",
    ))
}

/// `later` must not precede `earlier`; both are already valid datetimes, whose text
/// sorts as their time does.
pub fn not_before(
    later_field: &str,
    later: &str,
    earlier_field: &str,
    earlier: &str,
) -> Result<(), Error> {
    if later < earlier {
        return Err(Error::validation(
            later_field,
            format!("must not be before `{earlier_field}`"),
        ));
    }
    Ok(())
}

fn is_datetime(text: &str) -> bool {
    let b = text.as_bytes();
    let shape = b.len() == 19
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b' ',
            13 | 16 => c == b':',
            _ => c.is_ascii_digit(),
        });
    if !shape {
        return false;
    }
    // Every position checked above is a digit.
    let num = |range: std::ops::Range<usize>| {
        b[range]
            .iter()
            .fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'))
    };
    let (year, month, day) = (num(0..4), num(5..7), num(8..10));
    let (hour, minute, second) = (num(11..13), num(14..16), num(17..19));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    year >= 1 && (1..=days).contains(&day) && hour < 24 && minute < 60 && second < 60
}

/// Where a JSON message comes from, which decides what it may hold.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Form {
    /// From a program (C, Python, the CLI): vendor names, plaintext patient data, enum
    /// values by number or name. Unknown fields are refused: they are typos.
    Plain,
    /// From the wire: ciphertext, enum values by number, unknown fields ignored (the
    /// platform may add some), unknown enum numbers kept.
    Wire,
}

/// Checks a JSON message against its fields and returns it ready for deserialising
/// into the typed message: as it is, or, when it names enum values, a copy with their
/// numbers instead. (The typed messages read a null as absent and skip keys they do
/// not know, which only the wire may send.) The error names the field and the rule and
/// never repeats a value.
pub(crate) fn shape<'v>(
    fields: &[FieldDef],
    value: &'v Value,
    form: Form,
) -> Result<Cow<'v, Value>, (String, String)> {
    let Value::Object(object) = value else {
        return Err(("(message)".into(), "must be a JSON object".into()));
    };
    let mut numbered: Vec<(&str, i64)> = Vec::new();
    for (key, item) in object {
        let Some(field) = fields.iter().find(|f| f.name == key) else {
            if form == Form::Plain {
                let expected: Vec<_> = fields.iter().map(|f| f.name).collect();
                return Err((
                    key.clone(),
                    format!(
                        "is not a field of this message; expected one of {}",
                        expected.join(", ")
                    ),
                ));
            }
            continue;
        };
        if item.is_null() {
            continue;
        }
        if let Some(number) =
            check_field(field, item, form).map_err(|rule| (field.name.to_owned(), rule))?
        {
            numbered.push((field.name, number));
        }
    }
    for field in fields.iter().filter(|f| f.required) {
        match object.get(field.name) {
            None | Some(Value::Null) => return Err((field.name.into(), "is required".into())),
            Some(Value::String(s)) if form == Form::Wire && s.trim().is_empty() => {
                return Err((
                    field.name.into(),
                    "is required and must not be empty".into(),
                ));
            }
            _ => {}
        }
    }
    if numbered.is_empty() {
        return Ok(Cow::Borrowed(value));
    }
    let mut copy = object.clone();
    for (name, number) in numbered {
        copy.insert(name.to_owned(), number.into());
    }
    Ok(Cow::Owned(Value::Object(copy)))
}

/// Checks one member; `Some(number)` for an enum value given by name.
fn check_field(field: &FieldDef, value: &Value, form: Form) -> Result<Option<i64>, String> {
    match field.ty {
        TypeRef::String | TypeRef::DateTime => match value {
            Value::String(_) => Ok(None),
            _ => Err("must be a string".into()),
        },
        TypeRef::Int => match value.as_i64() {
            Some(_) => Ok(None),
            None => Err("must be an integer".into()),
        },
        TypeRef::Enum(def) => {
            let known = match value {
                Value::Number(n) => match n.as_i64() {
                    Some(_) if form == Form::Wire => return Ok(None),
                    Some(code) => def.by_value(code).map(|_| None),
                    None => None,
                },
                Value::String(name) if form == Form::Plain => {
                    def.parse(name).map(|v| Some(v.value))
                }
                _ => None,
            };
            match known {
                Some(number) => Ok(number),
                None if form == Form::Plain => Err(format!("must be one of {}", def.choices())),
                None => Err("must be an integer".into()),
            }
        }
        TypeRef::Struct(_) | TypeRef::List(_) => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_are_real_calendar_times() {
        for good in [
            "2025-02-28 23:59:59",
            "2024-02-29 00:00:00",
            "2000-02-29 12:30:00",
            "2025-12-31 00:00:00",
        ] {
            assert!(is_datetime(good), "{good}");
        }
        for bad in [
            "2025-02-29 00:00:00",
            "1900-02-29 00:00:00",
            "2025-02-30 00:00:00",
            "2025-04-31 00:00:00",
            "2025-13-01 00:00:00",
            "2025-00-10 00:00:00",
            "2025-01-01 24:00:00",
            "2025-01-01 12:60:00",
            "2025-01-01T12:00:00",
            "2025-1-01 12:00:00",
            "2025-01-01",
            "2025-01-01 12:00:00 ",
            "２０２５-01-01 12:00:00",
        ] {
            assert!(!is_datetime(bad), "{bad}");
        }
    }
}
