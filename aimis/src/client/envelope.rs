//! The response envelope (`code`, `message`, `data`) and decoding its `data`. A response
//! that does not fit is described by status, content type, length and shape: the key
//! that is missing or of the wrong type, never a value (it may be patient data).

use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::{DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::{Map, Value};

use super::plain_data::{JsonBuilder, Key, PlainBuilder, PlainSeed};
use super::transport::RawResponse;
use crate::error::{Error, ResponseShape};
use crate::message::to_plain_json;
use crate::registry::{EndpointDef, Service, TypeRef};

/// The typed `data` of a successful response, read in one pass from the bytes; or the
/// error the response stands for.
pub(crate) fn open_typed<T: DeserializeOwned>(
    service: &Service,
    endpoint: &EndpointDef,
    response: RawResponse,
) -> Result<T, Error> {
    match open_fast(service, PhantomData::<T>, &response) {
        Some(outcome) => outcome,
        // Anything else is described (or, for a list left out, decoded) the slow way.
        None => decode_data(endpoint, open(service, endpoint, response)?),
    }
}

/// An answer of the dynamic path that came back with a 2xx status, not yet opened: its
/// envelope and `data` are read in one pass from the bytes by [`PlainAnswer::read`],
/// into plain JSON or a binding's own objects. What a retry can fix (the connection,
/// HTTP 429 and 502-504) is settled before it exists; what remains (the platform's
/// error codes, a `data` that does not fit) is the answer's, so a binding can read it
/// once the network is done, holding its interpreter's lock (Python's GIL, released
/// while the call was on the wire). Debug shows the endpoint and the length only.
pub struct PlainAnswer {
    service: &'static Service,
    endpoint: &'static EndpointDef,
    response: RawResponse,
    /// The typed decoder's verdict on the response, for any answer the one-pass
    /// reader leaves (a `data` that does not fit, a list left out).
    describe: Describe,
}

/// The typed decoder of one endpoint's response, as plain JSON.
type Describe = fn(&Service, &EndpointDef, RawResponse) -> Result<Value, Error>;

impl PlainAnswer {
    /// The endpoint this answers.
    pub fn endpoint(&self) -> &'static EndpointDef {
        self.endpoint
    }

    /// The `data`, built by `builder`; or the platform's [`Error::Api`], or for a
    /// response that does not fit the spec the typed decoder's [`Error::Decode`], which
    /// names the place, never the value.
    pub fn read<B: PlainBuilder>(self, builder: B) -> Result<B::Value, Error> {
        let endpoint = self.endpoint;
        let read = self.read_quietly(builder);
        if let Err(error) = &read {
            // The attempt was told as answered; what the answer says is told here.
            crate::trace::answer_refused(endpoint, error);
        }
        read
    }

    fn read_quietly<B: PlainBuilder>(self, builder: B) -> Result<B::Value, Error> {
        let seed = PlainSeed(&self.endpoint.response, builder);
        if let Some(outcome) = open_fast(self.service, seed, &self.response) {
            return outcome;
        }
        let typed = (self.describe)(self.service, self.endpoint, self.response)?;
        // The typed value as plain JSON fits the spec: read it into the builder's values.
        seed.deserialize(&typed).map_err(|_| Error::Decode {
            message: format!("`{}` data does not fit the spec", self.endpoint.name),
        })
    }

    /// The `data` as plain JSON.
    pub fn into_json(self) -> Result<Value, Error> {
        self.read(JsonBuilder)
    }
}

impl fmt::Debug for PlainAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let length = self.response.body.len();
        write!(f, "PlainAnswer({}, <{length} bytes>)", self.endpoint.name)
    }
}

/// A response on the dynamic path (`T` being the endpoint's typed response) as an
/// answer to read; or, when its status is not 2xx, the [`Error::Http`] it stands for.
pub(crate) fn open_plain<T: DeserializeOwned + Serialize>(
    service: &'static Service,
    endpoint: &'static EndpointDef,
    response: RawResponse,
) -> Result<PlainAnswer, Error> {
    if !is_success(&response) {
        return Err(http_error(response));
    }
    Ok(PlainAnswer {
        service,
        endpoint,
        response,
        describe: describe::<T>,
    })
}

/// The typed decoder's reading of a whole response, as plain JSON.
fn describe<T: DeserializeOwned + Serialize>(
    service: &Service,
    endpoint: &EndpointDef,
    response: RawResponse,
) -> Result<Value, Error> {
    to_plain_json(&decode_data::<T>(
        endpoint,
        open(service, endpoint, response)?,
    )?)
}

/// The common case in one pass: a 2xx JSON envelope with `data` that fits `seed`, or
/// with an error code. `None` for anything else, left to the slow path to describe.
fn open_fast<'de, S>(
    service: &Service,
    seed: S,
    response: &'de RawResponse,
) -> Option<Result<S::Value, Error>>
where
    S: DeserializeSeed<'de> + Copy,
{
    if !is_success(response) {
        return None;
    }
    let names = &service.envelope;
    // UTF-8 checked once for the whole body, rather than string by string while reading.
    let text = std::str::from_utf8(&response.body).ok()?;
    let mut reader = serde_json::Deserializer::from_str(text);
    let opened = EnvelopeSeed { names, data: seed }
        .deserialize(&mut reader)
        .and_then(|o| reader.end().map(|()| o))
        .ok()?;
    match opened {
        Opened {
            code: Some(code),
            data: Some(data),
            ..
        } if code == names.success => Some(Ok(data)),
        Opened {
            code: Some(code),
            message,
            ..
        } if code != names.success => Some(Err(Error::Api {
            code,
            name: service.error_name(code),
            message: message.unwrap_or_default(),
        })),
        _ => None,
    }
}

/// The envelope's members, `data` already read; other members are skipped unread.
struct Opened<T> {
    code: Option<i64>,
    message: Option<String>,
    data: Option<T>,
}

/// Reads the envelope, its `data` (unless null) with `data`.
struct EnvelopeSeed<'a, S> {
    names: &'a crate::registry::Envelope,
    data: S,
}

impl<'de, S: DeserializeSeed<'de> + Copy> DeserializeSeed<'de> for EnvelopeSeed<'_, S> {
    type Value = Opened<S::Value>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, S: DeserializeSeed<'de> + Copy> Visitor<'de> for EnvelopeSeed<'_, S> {
    type Value = Opened<S::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the response envelope")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut opened = Opened {
            code: None,
            message: None,
            data: None,
        };
        let names = [self.names.code, self.names.message, self.names.data];
        let member = |key: &str| names.iter().position(|name| *name == key);
        while let Some(at) = map.next_key_seed(Key(member))? {
            match at {
                Some(0) => opened.code = Some(map.next_value()?),
                Some(1) => opened.message = map.next_value()?,
                Some(2) => opened.data = map.next_value_seed(Nullable(self.data))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(opened)
    }
}

/// `seed`'s value, or `None` for null.
struct Nullable<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Nullable<S> {
    type Value = Option<S::Value>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for Nullable<S> {
    type Value = Option<S::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value or null")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(d).map(Some)
    }
}

fn is_success(response: &RawResponse) -> bool {
    (200..300).contains(&response.status)
}

/// The error a response that is not 2xx stands for.
fn http_error(response: RawResponse) -> Error {
    Error::Http {
        status: response.status,
        content_type: response.content_type,
        length: response.body.len(),
    }
}

/// The `data` of a successful response, or the error the response stands for.
pub(crate) fn open(
    service: &Service,
    endpoint: &EndpointDef,
    response: RawResponse,
) -> Result<Value, Error> {
    if !is_success(&response) {
        return Err(http_error(response));
    }
    let RawResponse {
        content_type, body, ..
    } = response;
    let names = &service.envelope;
    let mut envelope: Map<String, Value> =
        serde_json::from_slice(&body).map_err(|_| Error::Decode {
            message: format!(
                "the response is not a JSON object ({})",
                ResponseShape {
                    content_type: &content_type,
                    length: body.len()
                }
            ),
        })?;
    let code = envelope
        .get(names.code)
        .and_then(Value::as_i64)
        .ok_or_else(|| Error::Decode {
            message: format!("the response has no integer `{}`", names.code),
        })?;
    if code != names.success {
        let message = match envelope.remove(names.message) {
            Some(Value::String(message)) => message,
            _ => String::new(),
        };
        return Err(Error::Api {
            code,
            name: service.error_name(code),
            message,
        });
    }
    match envelope.remove(names.data) {
        Some(data) if !data.is_null() => Ok(data),
        _ if matches!(endpoint.response, TypeRef::List(_)) => Ok(Value::Array(Vec::new())),
        _ => Err(Error::Decode {
            message: format!("the response has no `{}`", names.data),
        }),
    }
}

/// Reads an endpoint's `data` into its typed response.
pub(crate) fn decode_data<T: DeserializeOwned>(
    endpoint: &EndpointDef,
    data: Value,
) -> Result<T, Error> {
    // From a borrowed value, so that on failure the value is still there to describe.
    match T::deserialize(&data) {
        Ok(typed) => Ok(typed),
        Err(_) => Err(Error::Decode {
            message: format!(
                "`{}` data does not fit the spec: {}",
                endpoint.name,
                mismatch::<T>(&data)
            ),
        }),
    }
}

/// Where and how a value does not fit `T`, e.g. `at [3].studyType: a string where an
/// integer was expected`. Only run once decoding has failed, so the path is tracked on
/// the error path alone.
fn mismatch<T: DeserializeOwned>(value: &Value) -> String {
    let Err(error) = serde_path_to_error::deserialize::<_, T>(value) else {
        return "the data does not fit".into();
    };
    let path = error.path().to_string();
    let what = shape_of(error.inner());
    if path == "." {
        what
    } else {
        format!("at {path}: {what}")
    }
}

/// serde's message with every value left out: serde quotes the offending value
/// (`invalid type: string "13800138000", expected i64`), which may be patient data.
pub(crate) fn shape_of(error: &serde_json::Error) -> String {
    let text = error.to_string();
    if let Some(rest) = text.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default();
        return format!("`{field}` is missing");
    }
    for prefix in ["invalid type: ", "invalid value: ", "invalid length "] {
        if let Some(rest) = text.strip_prefix(prefix) {
            let found = rest
                .split([' ', ','])
                .next()
                .filter(|w| w.bytes().all(|b| b.is_ascii_alphabetic()))
                .unwrap_or("value");
            let expected = rest
                .rsplit_once(", expected ")
                .map(|(_, e)| e.split(" at line ").next().unwrap_or(e))
                .unwrap_or("another type");
            let article = if found.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            return format!("found {article} {found} where {expected} was expected");
        }
    }
    match error.classify() {
        serde_json::error::Category::Io => "I/O error",
        serde_json::error::Category::Syntax => "JSON syntax error",
        serde_json::error::Category::Data => "a field has the wrong type or is missing",
        serde_json::error::Category::Eof => "JSON ends early",
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        id: i64,
        name: String,
    }

    #[test]
    fn mismatches_name_the_place_never_the_value() {
        let value = serde_json::json!([{"id": 1, "name": "a"}, {"id": "13800138000", "name": "b"}]);
        let text = mismatch::<Vec<Item>>(&value);
        assert_eq!(text, "at [1].id: found a string where i64 was expected");
        let missing = mismatch::<Vec<Item>>(&serde_json::json!([{"id": 1}]));
        assert_eq!(missing, "at [0]: `name` is missing");
        let odd = mismatch::<Vec<Item>>(&serde_json::json!({"张三": 1}));
        assert!(!odd.contains("张三"), "{odd}");
    }
}
