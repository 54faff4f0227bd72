//! A response's `data` read from the bytes straight into plain JSON, for the dynamic
//! path (C, Python, the CLI): checked against the spec's types as the typed response
//! is, with the same primitives, and written as the typed response would serialise
//! (the spec's fields only, an absent optional one as null), without building the
//! typed value in between.
//!
//! On any failure the caller falls back to the typed decoder, which describes the
//! mismatch. `aimis/tests/round_trip.rs` holds the two paths to the same verdicts and
//! output for answers of every shape.

use std::fmt;

use serde::de::{DeserializeSeed, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::registry::{FieldDef, StructDef, TypeRef};

/// Reads one value of a spec type.
#[derive(Clone, Copy)]
pub(crate) struct PlainSeed(pub &'static TypeRef);

impl<'de> DeserializeSeed<'de> for PlainSeed {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        match self.0 {
            TypeRef::String | TypeRef::DateTime => String::deserialize(d).map(Value::String),
            TypeRef::Int | TypeRef::Enum(_) => i64::deserialize(d).map(Value::from),
            TypeRef::Struct(def) => d.deserialize_struct(def.name, &[], StructVisitor(def)),
            TypeRef::List(item) => d.deserialize_seq(ListVisitor(item)),
        }
    }
}

/// An optional field: null or absent is `None`, as for `Option<T>`.
struct OptionalSeed(PlainSeed);

impl<'de> DeserializeSeed<'de> for OptionalSeed {
    type Value = Option<Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for OptionalSeed {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an optional value")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Option<Value>, E> {
        Ok(None)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Option<Value>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
        self.0.deserialize(d).map(Some)
    }
}

struct StructVisitor(&'static StructDef);

impl<'de> Visitor<'de> for StructVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", self.0.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let fields: &'static [FieldDef] = self.0.fields;
        let mut found: Vec<Option<Option<Value>>> = vec![None; fields.len()];
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let Some(at) = fields.iter().position(|f| f.name == key) else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            if found[at].is_some() {
                return Err(A::Error::duplicate_field(fields[at].name));
            }
            let seed = PlainSeed(&fields[at].ty);
            found[at] = Some(if fields[at].required {
                Some(map.next_value_seed(seed)?)
            } else {
                map.next_value_seed(OptionalSeed(seed))?
            });
        }
        let mut out = Map::new();
        for (field, value) in fields.iter().zip(found) {
            let value = match value {
                Some(value) => value,
                None if field.required => return Err(A::Error::missing_field(field.name)),
                None => None,
            };
            out.insert(field.name.to_owned(), value.unwrap_or(Value::Null));
        }
        Ok(Value::Object(out))
    }

    /// A JSON array read as the struct's fields in order, as serde's derive reads one.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        for (at, field) in self.0.fields.iter().enumerate() {
            let seed = PlainSeed(&field.ty);
            let value = if field.required {
                seq.next_element_seed(seed)?
            } else {
                seq.next_element_seed(OptionalSeed(seed))?
                    .map(|v| v.unwrap_or(Value::Null))
            };
            let value = value.ok_or_else(|| A::Error::invalid_length(at, &self))?;
            out.insert(field.name.to_owned(), value);
        }
        Ok(Value::Object(out))
    }
}

struct ListVisitor(&'static TypeRef);

impl<'de> Visitor<'de> for ListVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element_seed(PlainSeed(self.0))? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
}
