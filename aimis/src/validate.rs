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
    if datetime_parts(value).is_some() {
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

/// Year, month, day, hour, minute and second of `text` when it is a real calendar time
/// written `yyyy-MM-dd HH:mm:ss` (24-hour).
pub fn datetime_parts(text: &str) -> Option<[u32; 6]> {
    let b = <&[u8; 19]>::try_from(text.as_bytes()).ok()?;
    if !has_datetime_shape(b) {
        return None;
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
        _ => return None,
    };
    let real = year >= 1 && (1..=days).contains(&day) && hour < 24 && minute < 60 && second < 60;
    real.then_some([year, month, day, hour, minute, second])
}

/// Digits where `yyyy-MM-dd HH:mm:ss` has them and its separators elsewhere, checked
/// eight bytes at a time (at 0, 8 and 11, the last two overlapping): a byte-wise loop
/// over the 19 positions was a fifth of what aimis adds to a request's cryptography.
fn has_datetime_shape(b: &[u8; 19]) -> bool {
    const TEMPLATE: &[u8; 19] = b"0000-00-00 00:00:00";
    /// For the eight bytes at `at`: which are digits (0xff each), and the separators.
    const fn masks(at: usize) -> (u64, u64) {
        let (mut digits, mut separators) = (0u64, 0u64);
        let mut i = 0;
        while i < 8 {
            match TEMPLATE[at + i] {
                b'0' => digits |= 0xff << (8 * i),
                c => separators |= (c as u64) << (8 * i),
            }
            i += 1;
        }
        (digits, separators)
    }
    const WORDS: [(usize, u64, u64); 3] = {
        let (a, b, c) = (masks(0), masks(8), masks(11));
        [(0, a.0, a.1), (8, b.0, b.1), (11, c.0, c.1)]
    };
    const HIGH: u64 = u64::from_ne_bytes([0xf0; 8]);
    const ZEROS: u64 = u64::from_ne_bytes([b'0'; 8]);
    const SIXES: u64 = u64::from_ne_bytes([6; 8]);
    WORDS.iter().all(|&(at, digits, separators)| {
        let word = u64::from_le_bytes(b[at..at + 8].try_into().expect("eight bytes"));
        let d = word & digits;
        // A digit is 0x30..=0x39: high nibble 3, and still 3 with six added. (Once the
        // first test holds, each digit byte is at most 0x3f: adding six carries nowhere.)
        d & HIGH == ZEROS & digits
            && (d + (SIXES & digits)) & HIGH & digits == ZEROS & digits
            && word & !digits == separators
    })
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
            assert!(datetime_parts(good).is_some(), "{good}");
        }
        assert_eq!(
            datetime_parts("2000-02-29 12:30:07"),
            Some([2000, 2, 29, 12, 30, 7])
        );
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
            assert!(datetime_parts(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn the_shape_check_agrees_with_a_byte_wise_one_at_every_position() {
        let byte_wise = |b: &[u8; 19]| {
            b.iter().enumerate().all(|(i, &c)| match i {
                4 | 7 => c == b'-',
                10 => c == b' ',
                13 | 16 => c == b':',
                _ => c.is_ascii_digit(),
            })
        };
        let good = *b"2024-02-29 23:59:59";
        assert!(has_datetime_shape(&good));
        for at in 0..good.len() {
            for byte in 0..=255u8 {
                let mut text = good;
                text[at] = byte;
                assert_eq!(
                    has_datetime_shape(&text),
                    byte_wise(&text),
                    "{byte:#x} at {at}"
                );
            }
        }
    }
}
