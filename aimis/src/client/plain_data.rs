//! A response's `data` read from the bytes straight into plain JSON, for the dynamic
//! path (C, Python, the CLI): checked against the spec's types as the typed response
//! is, with the same primitives, and written as the typed response would serialise
//! (the spec's fields only, an absent optional one as null), without building the
//! typed value in between.
//!
//! On any failure the caller falls back to the typed decoder, which describes the
//! mismatch. The property below holds the two to the same verdicts and output for any
//! JSON, and `aimis/tests/round_trip.rs` does for answers of every shape over HTTP.

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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde::de::DeserializeSeed;
    use serde_json::Value;

    use super::PlainSeed;
    use crate::registry::{FieldDef, TypeRef};

    /// A field's name most of the time, so that objects look like the spec's.
    fn key(fields: Vec<&'static str>) -> impl Strategy<Value = String> {
        prop_oneof![
            4 => proptest::sample::select(fields).prop_map(String::from),
            1 => "[a-zA-Z]{0,6}",
        ]
    }

    /// Any JSON, with objects keyed mostly by the spec's field names, nested deep
    /// enough for a list of structs of lists.
    fn json(fields: Vec<&'static str>) -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "[a-z0-9 :-]{0,8}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 8, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::vec((key(fields.clone()), inner), 0..8)
                    .prop_map(|entries| Value::Object(entries.into_iter().collect())),
            ]
        })
    }

    fn every_field_name() -> Vec<&'static str> {
        fn walk(ty: &TypeRef, out: &mut Vec<&'static str>) {
            match ty {
                TypeRef::Struct(def) => {
                    let fields: &'static [FieldDef] = def.fields;
                    for field in fields {
                        out.push(field.name);
                        walk(&field.ty, out);
                    }
                }
                TypeRef::List(item) => walk(item, out),
                _ => {}
            }
        }
        let mut names = Vec::new();
        for endpoint in crate::SERVICE.endpoints {
            walk(&endpoint.response, &mut names);
        }
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The one-pass reader of an endpoint's data, and the typed decoder serialised.
    fn both(endpoint: usize, text: &str) -> (Option<Value>, Option<Value>) {
        let def = &crate::SERVICE.endpoints[endpoint];
        let mut reader = serde_json::Deserializer::from_slice(text.as_bytes());
        let plain = PlainSeed(&def.response)
            .deserialize(&mut reader)
            .and_then(|v| reader.end().map(|()| v))
            .ok();
        let typed = match def.response.name().as_str() {
            "list<Study>" => typed::<Vec<crate::Study>>(text),
            "ConsultationList" => typed::<crate::ConsultationList>(text),
            "PatientStudyUrl" => typed::<crate::PatientStudyUrl>(text),
            other => panic!("a response type this test does not know yet: {other}"),
        };
        (plain, typed)
    }

    fn typed<T: serde::de::DeserializeOwned + serde::Serialize>(text: &str) -> Option<Value> {
        let typed: T = serde_json::from_str(text).ok()?;
        Some(serde_json::to_value(&typed).unwrap())
    }

    /// A value of `ty` most of the time, at any depth, and now and then anything else:
    /// answers that nearly fit, where the two readers could part ways.
    fn nearly(ty: &'static TypeRef) -> BoxedStrategy<Value> {
        let fitting = match ty {
            TypeRef::String | TypeRef::DateTime => prop_oneof![
                8 => "[a-z0-9 :-]{0,8}".prop_map(Value::String),
                1 => any::<i64>().prop_map(Value::from),
                1 => any::<bool>().prop_map(Value::Bool),
            ]
            .boxed(),
            // Integers, and the numbers either side of what an i64 reads.
            TypeRef::Int | TypeRef::Enum(_) => prop_oneof![
                8 => any::<i64>().prop_map(Value::from),
                1 => (i64::MAX as u64..).prop_map(Value::from),
                1 => any::<f64>().prop_map(Value::from),
                1 => "[0-9]{1,3}".prop_map(Value::String),
            ]
            .boxed(),
            TypeRef::List(item) => proptest::collection::vec(nearly(item), 0..3)
                .prop_map(Value::Array)
                .boxed(),
            TypeRef::Struct(def) => {
                let fields: &'static [FieldDef] = def.fields;
                let members: Vec<_> = fields
                    .iter()
                    .map(|f| proptest::option::weighted(0.7, (Just(f.name), nearly(&f.ty))))
                    .collect();
                (
                    members,
                    proptest::option::weighted(0.2, ("[a-z]{1,4}", json(vec!["x"]))),
                )
                    .prop_map(|(members, extra)| {
                        let mut object: serde_json::Map<String, Value> = members
                            .into_iter()
                            .flatten()
                            .map(|(k, v)| (k.to_owned(), v))
                            .collect();
                        object.extend(extra);
                        Value::Object(object)
                    })
                    .boxed()
            }
        };
        prop_oneof![
            28 => fitting,
            1 => Just(Value::Null),
            1 => json(every_field_name()),
        ]
        .boxed()
    }

    fn endpoint_and_nearly() -> impl Strategy<Value = (usize, Value)> {
        (0..crate::SERVICE.endpoints.len())
            .prop_flat_map(|i| (Just(i), nearly(&crate::SERVICE.endpoints[i].response)))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn the_one_pass_reader_agrees_with_the_typed_decoder_on_any_json(
            endpoint in 0..crate::SERVICE.endpoints.len(),
            data in json(every_field_name()),
        ) {
            let text = data.to_string();
            let (plain, typed) = both(endpoint, &text);
            prop_assert_eq!(plain, typed, "{}", text);
        }

        #[test]
        fn the_one_pass_reader_agrees_with_the_typed_decoder_on_nearly_fitting_answers(
            (endpoint, data) in endpoint_and_nearly(),
        ) {
            let text = data.to_string();
            let (plain, typed) = both(endpoint, &text);
            prop_assert_eq!(plain, typed, "{}", text);
        }
    }
}
