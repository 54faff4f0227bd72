//! A response's `data` read from the bytes straight into a [`PlainBuilder`]'s values,
//! for the dynamic path: plain JSON for C and the CLI, Python's own objects for the
//! Python module. Each value is checked against the spec's types as the typed response
//! is, with the same primitives, and comes out as the typed response would serialise
//! (the spec's fields only, an absent optional one as null), without building the
//! typed value in between.
//!
//! On any failure the caller falls back to the typed decoder, which describes the
//! mismatch. The property below holds the two to the same verdicts and output for any
//! JSON, and the shared answers (`tests/vectors/answers.json`) do over HTTP, for Rust
//! and for Python.

use std::fmt;

use serde::de::{DeserializeSeed, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::registry::{FieldDef, StructDef, TypeRef};

/// What the one-pass reader builds an answer's `data` into: plain JSON for C and the
/// CLI ([`JsonBuilder`]), or a binding's own objects (Python's dicts and lists), so that
/// no intermediate value is built. Each method is handed a value already checked
/// against the spec's type; [`PlainAnswer::read`](crate::PlainAnswer::read) calls them.
pub trait PlainBuilder: Copy {
    /// What is built: a JSON value, a Python object.
    type Value;
    /// An absent value (JSON `null`).
    fn null(self) -> Self::Value;
    /// An integer (enums by their code).
    fn int(self, n: i64) -> Self::Value;
    /// A string (datetimes included; encrypted fields already decrypted).
    fn string(self, text: &str) -> Self::Value;
    /// A list, its items built already.
    fn list(self, items: Vec<Self::Value>) -> Self::Value;
    /// A struct: one value per field of `def`, in its order, null for an absent one.
    fn object(
        self,
        def: &'static StructDef,
        values: impl ExactSizeIterator<Item = Self::Value>,
    ) -> Self::Value;
}

/// Builds plain JSON: what C and the CLI are handed.
#[derive(Clone, Copy, Debug)]
pub struct JsonBuilder;

impl PlainBuilder for JsonBuilder {
    type Value = Value;

    fn null(self) -> Value {
        Value::Null
    }

    fn int(self, n: i64) -> Value {
        Value::from(n)
    }

    fn string(self, text: &str) -> Value {
        Value::String(text.to_owned())
    }

    fn list(self, items: Vec<Value>) -> Value {
        Value::Array(items)
    }

    fn object(
        self,
        def: &'static StructDef,
        values: impl ExactSizeIterator<Item = Value>,
    ) -> Value {
        let fields: &'static [FieldDef] = def.fields;
        let object: Map<String, Value> = fields
            .iter()
            .map(|field| field.name.to_owned())
            .zip(values)
            .collect();
        Value::Object(object)
    }
}

/// Reads one value of a spec type.
#[derive(Clone, Copy)]
pub(crate) struct PlainSeed<B>(pub &'static TypeRef, pub B);

impl<'de, B: PlainBuilder> DeserializeSeed<'de> for PlainSeed<B> {
    type Value = B::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<B::Value, D::Error> {
        let PlainSeed(ty, builder) = self;
        match ty {
            TypeRef::String | TypeRef::DateTime => d.deserialize_str(Text(builder)),
            TypeRef::Int | TypeRef::Enum(_) => i64::deserialize(d).map(|n| builder.int(n)),
            TypeRef::Struct(def) => {
                d.deserialize_struct(def.name, &[], StructVisitor(def, builder))
            }
            TypeRef::List(item) => d.deserialize_seq(ListVisitor(item, builder)),
        }
    }
}

/// A string, handed to the builder where it lies when it has no escapes: what
/// `String`'s own visitor accepts, without the copy.
struct Text<B>(B);

impl<B: PlainBuilder> Visitor<'_> for Text<B> {
    type Value = B::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<B::Value, E> {
        Ok(self.0.string(text))
    }
}

/// A map key, matched by `find` as it is read (an index, or `None` for a key it does
/// not know) and never copied: serde's `Cow<str>` copies every key into a `String`,
/// which was a third of an answer's allocations.
pub(crate) struct Key<F>(pub F);

impl<'de, F: FnOnce(&str) -> Option<usize>> DeserializeSeed<'de> for Key<F> {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<F: FnOnce(&str) -> Option<usize>> Visitor<'_> for Key<F> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok((self.0)(key))
    }
}

/// An optional field: null or absent is `None`, as for `Option<T>`.
struct OptionalSeed<B>(PlainSeed<B>);

impl<'de, B: PlainBuilder> DeserializeSeed<'de> for OptionalSeed<B> {
    type Value = Option<B::Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de, B: PlainBuilder> Visitor<'de> for OptionalSeed<B> {
    type Value = Option<B::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an optional value")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(d).map(Some)
    }
}

struct StructVisitor<B>(&'static StructDef, B);

impl<'de, B: PlainBuilder> Visitor<'de> for StructVisitor<B> {
    type Value = B::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", self.0.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<B::Value, A::Error> {
        let StructVisitor(def, builder) = self;
        let fields: &'static [FieldDef] = def.fields;
        // Per field: not seen, seen as null or absent, or its value.
        let mut found: Vec<Option<Option<B::Value>>> = (0..fields.len()).map(|_| None).collect();
        let field = |key: &str| fields.iter().position(|f| f.name == key);
        while let Some(at) = map.next_key_seed(Key(field))? {
            let Some(at) = at else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            if found[at].is_some() {
                return Err(A::Error::duplicate_field(fields[at].name));
            }
            let seed = PlainSeed(&fields[at].ty, builder);
            found[at] = Some(if fields[at].required {
                Some(map.next_value_seed(seed)?)
            } else {
                map.next_value_seed(OptionalSeed(seed))?
            });
        }
        if let Some(field) = fields
            .iter()
            .zip(&found)
            .find_map(|(field, value)| (field.required && value.is_none()).then_some(field))
        {
            return Err(A::Error::missing_field(field.name));
        }
        let values = found
            .into_iter()
            .map(|value| value.flatten().unwrap_or_else(|| builder.null()));
        Ok(builder.object(def, values))
    }

    /// A JSON array read as the struct's fields in order, as serde's derive reads one.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<B::Value, A::Error> {
        let StructVisitor(def, builder) = self;
        let mut values = Vec::with_capacity(def.fields.len());
        for (at, field) in def.fields.iter().enumerate() {
            let seed = PlainSeed(&field.ty, builder);
            let value = if field.required {
                seq.next_element_seed(seed)?
            } else {
                seq.next_element_seed(OptionalSeed(seed))?
                    .map(|v| v.unwrap_or_else(|| builder.null()))
            };
            values.push(
                value.ok_or_else(|| A::Error::invalid_length(at, &StructVisitor(def, builder)))?,
            );
        }
        Ok(builder.object(def, values.into_iter()))
    }
}

struct ListVisitor<B>(&'static TypeRef, B);

impl<'de, B: PlainBuilder> Visitor<'de> for ListVisitor<B> {
    type Value = B::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<B::Value, A::Error> {
        let ListVisitor(item, builder) = self;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(value) = seq.next_element_seed(PlainSeed(item, builder))? {
            items.push(value);
        }
        Ok(builder.list(items))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde::de::DeserializeSeed;
    use serde_json::Value;

    use super::{JsonBuilder, PlainSeed};
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
        let plain = PlainSeed(&def.response, JsonBuilder)
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
