//! The dynamic path, for C, Python, the CLI and the simulator: plain JSON in (vendor
//! names, plaintext patient data, enum values by number or name), plain JSON out
//! (vendor names, patient fields decrypted).
//!
//! Each endpoint or callback goes through its generated typed message, so the dynamic
//! path checks exactly what the typed one does; the generated [`Dispatch`] `match`
//! picks the type. The registry itself stays plain data.

use serde_json::Value;

use crate::callback::CallbackVerifier;
use crate::client::{Engine, PlainAnswer};
use crate::error::Error;
use crate::message::{Callback, Request, from_plain_json, to_plain_json};
use crate::registry::{CallbackDef, EndpointDef, Service};

/// The parts of a datetime in the vendor's form, by the rule requests are checked with:
/// for a binding that makes its own datetime values of the answers' text.
pub use crate::validate::datetime_parts;

/// Verifies a callback of the spec's kind `callback` (an entry of
/// [`SERVICE.callbacks`](crate::SERVICE)) from its headers and raw body; returns it as
/// plain JSON with the vendor's names, phoneNum and idNum decrypted. The caller owns
/// decrypted patient data: [`wipe`](crate::message::wipe) it when done.
pub fn verify_callback(
    verifier: &CallbackVerifier,
    callback: &CallbackDef,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Value, Error> {
    <crate::Client as Dispatch>::verify(verifier, callback, headers, body)
}

/// The per-endpoint and per-callback dispatch of one spec, generated as a `match` on
/// the name for its `Client`.
#[doc(hidden)]
pub trait Dispatch {
    const SERVICE: &'static Service;

    /// Calls an endpoint; the answer's `data` is left to be read.
    fn answer(
        engine: &Engine,
        endpoint: &EndpointDef,
        request: &Value,
    ) -> Result<PlainAnswer, Error>;

    fn verify(
        verifier: &CallbackVerifier,
        callback: &CallbackDef,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<Value, Error>;

    /// Calls an endpoint; the `data` as plain JSON.
    fn call(engine: &Engine, endpoint: &EndpointDef, request: &Value) -> Result<Value, Error> {
        Self::answer(engine, endpoint, request)?.into_json()
    }

    /// [`Dispatch::answer`] by any spelling of the endpoint's name.
    fn answer_by_name(
        engine: &Engine,
        endpoint: &str,
        request: &Value,
    ) -> Result<PlainAnswer, Error> {
        let def = Self::SERVICE
            .endpoint(endpoint)
            .ok_or_else(|| unknown_endpoint(Self::SERVICE, endpoint))?;
        Self::answer(engine, def, request)
    }
}

/// The error for a name that is no endpoint of `service`.
pub fn unknown_endpoint(service: &Service, name: &str) -> Error {
    Error::UnknownEndpoint {
        name: name.to_owned(),
        expected: service
            .endpoints
            .iter()
            .map(|e| e.name)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The error for a callback kind that is not of `service`.
#[doc(hidden)]
pub fn unknown_callback(name: &str) -> Error {
    Error::validation(
        "callback",
        format!("`{name}` is not a callback of this spec"),
    )
}

/// One endpoint, typed: what the generated dispatch calls.
#[doc(hidden)]
pub fn answer_typed<R: Request>(engine: &Engine, request: &Value) -> Result<PlainAnswer, Error> {
    // from_plain_json has validated it: not again.
    let request: R = from_plain_json(request)?;
    engine.send_valid_plain(&request)
}

/// One callback, typed: what the generated dispatch calls.
#[doc(hidden)]
pub fn verify_typed<C: Callback>(
    verifier: &CallbackVerifier,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Value, Error> {
    let callback: C = verifier.verify(headers.iter().copied(), body)?;
    to_plain_json(&callback)
}
