//! JSON from the network read strictly: an object with the same key twice is
//! ambiguous (which value did the sender mean, which did the signer check?), so it is
//! refused instead of silently keeping the last value as serde_json does.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Why a body was not read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Unreadable {
    NotJson,
    DuplicateKey,
}

const DUPLICATE: &str = "duplicate key";

/// Parses JSON whose objects have distinct keys at every depth.
pub(crate) fn parse(body: &[u8]) -> Result<Value, Unreadable> {
    match serde_json::from_slice::<Distinct>(body) {
        Ok(Distinct(value)) => Ok(value),
        // serde_json puts the position after our message; the message is ours alone.
        Err(e) if e.to_string().starts_with(DUPLICATE) => Err(Unreadable::DuplicateKey),
        Err(_) => Err(Unreadable::NotJson),
    }
}

struct Distinct(Value);

impl<'de> Deserialize<'de> for Distinct {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DistinctVisitor).map(Distinct)
    }
}

struct DistinctVisitor;

impl<'de> Visitor<'de> for DistinctVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Distinct(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(de::Error::custom(DUPLICATE));
            }
            let Distinct(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_are_refused_at_any_depth() {
        assert_eq!(parse(br#"{"a":1,"a":1}"#), Err(Unreadable::DuplicateKey));
        assert_eq!(
            parse(br#"[{"b":{"a":1,"a":2}}]"#),
            Err(Unreadable::DuplicateKey)
        );
        assert_eq!(
            parse(br#"{"a":1,"b":"duplicate key"}"#).unwrap()["b"],
            "duplicate key"
        );
        assert_eq!(parse(b"{"), Err(Unreadable::NotJson));
        assert_eq!(parse(b""), Err(Unreadable::NotJson));
        let nested = serde_json::json!({"a": [1, -2, 2.5, true, null, "x"], "b": {"c": 18446744073709551615u64}});
        assert_eq!(parse(nested.to_string().as_bytes()).unwrap(), nested);
    }
}
