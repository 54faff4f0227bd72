//! The spec as static data: what the C library, the Python module, the CLI and the
//! simulator read to reach every endpoint without code of their own per endpoint.
//!
//! Generated from the spec by `api!` into [`SERVICE`](crate::SERVICE); read it, never
//! build it. Every type is `#[non_exhaustive]`, so that a spec can grow a field or a
//! kind without breaking a reader: read the fields, and match the enums with a `_` arm.

use serde_json::Value;

use crate::names::same;

/// One API, as its spec describes it.
#[derive(Debug)]
#[non_exhaustive]
pub struct Service {
    /// The API's name.
    pub name: &'static str,
    /// What it is, in a sentence or two.
    pub doc: &'static str,
    /// `(name, url)`; the first, `production`, is the default.
    pub base_urls: &'static [(&'static str, &'static str)],
    /// How requests are signed.
    pub auth: AuthScheme,
    /// How patient fields are encrypted.
    pub cipher: CipherScheme,
    /// The wire names of every answer's envelope.
    pub envelope: Envelope,
    /// The platform's error codes that have names.
    pub error_codes: &'static [ErrorCodeDef],
    /// The enums, in the spec's order.
    pub enums: &'static [&'static EnumDef],
    /// The structs of answers, in the spec's order.
    pub structs: &'static [&'static StructDef],
    /// The endpoints, in the spec's order.
    pub endpoints: &'static [EndpointDef],
    /// The callbacks, in the spec's order.
    pub callbacks: &'static [CallbackDef],
}

/// How requests are signed.
#[derive(Debug)]
#[non_exhaustive]
pub struct AuthScheme {
    /// The header that carries the app id.
    pub app_id_header: &'static str,
    /// The header that carries the timestamp.
    pub timestamp_header: &'static str,
    /// The header that carries the signature.
    pub signature_header: &'static str,
    /// The signed message: these parts, concatenated.
    pub message: &'static [MessagePart],
    /// How the signature is written.
    pub encoding: TextEncoding,
    /// How the timestamp is written.
    pub timestamp: TimestampUnit,
    /// The default freshness window for verifying signed messages.
    pub max_skew_seconds: u64,
}

/// A part of the signed message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MessagePart {
    /// The app id, as sent.
    AppId,
    /// The timestamp, as sent.
    Timestamp,
}

/// How bytes are written as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TextEncoding {
    /// Hex, `0-9a-f`.
    HexLower,
    /// Hex, `0-9A-F`.
    HexUpper,
    /// Base64 with padding (RFC 4648, standard alphabet).
    Base64,
}

/// How a timestamp is written: a decimal number since the Unix epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimestampUnit {
    /// In milliseconds.
    UnixMillis,
    /// In seconds.
    UnixSeconds,
}

impl TimestampUnit {
    /// The number written for the time `millis` (milliseconds since the Unix epoch).
    pub fn written(self, millis: u64) -> u64 {
        match self {
            TimestampUnit::UnixMillis => millis,
            TimestampUnit::UnixSeconds => millis / 1000,
        }
    }

    /// The time, in milliseconds since the Unix epoch, that the number `written` stands for.
    pub fn millis(self, written: u64) -> u64 {
        match self {
            TimestampUnit::UnixMillis => written,
            TimestampUnit::UnixSeconds => written.saturating_mul(1000),
        }
    }
}

/// How encrypted fields are encrypted (AES-256-ECB keyed with the token).
#[derive(Debug)]
#[non_exhaustive]
pub struct CipherScheme {
    /// How the plaintext is padded to whole blocks.
    pub padding: Padding,
    /// How the ciphertext is written.
    pub encoding: TextEncoding,
}

/// How a plaintext is padded to whole blocks of sixteen bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Padding {
    /// PKCS#7: `n` bytes of value `n`, a whole block if none is needed.
    Pkcs7,
    /// Zero bytes, none if none are needed.
    Zero,
}

/// The wire names of the response envelope.
#[derive(Debug)]
#[non_exhaustive]
pub struct Envelope {
    /// The key of the platform's code.
    pub code: &'static str,
    /// The key of its message.
    pub message: &'static str,
    /// The key of the data a successful answer carries.
    pub data: &'static str,
    /// The code that means success.
    pub success: i64,
    /// The message that accompanies success in an answer to a callback.
    pub success_message: &'static str,
}

/// A platform error code with a name.
#[derive(Debug)]
#[non_exhaustive]
pub struct ErrorCodeDef {
    /// The code.
    pub code: i64,
    /// Its name, as [`ApiCode`](crate::ApiCode) spells it.
    pub name: &'static str,
    /// What it means.
    pub doc: &'static str,
    /// The platform asks the partner to slow down: a batch backs off and retries.
    pub rate_limit: bool,
}

/// An enum: integer codes with names.
#[derive(Debug)]
#[non_exhaustive]
pub struct EnumDef {
    /// The type's name: `StudyType`.
    pub name: &'static str,
    /// What it is.
    pub doc: &'static str,
    /// Its values, in the spec's order.
    pub values: &'static [EnumValueDef],
}

/// One value of an enum.
#[derive(Debug)]
#[non_exhaustive]
pub struct EnumValueDef {
    /// The code on the wire.
    pub value: i64,
    /// The variant's name: `Radiology`.
    pub name: &'static str,
    /// What it means.
    pub doc: &'static str,
}

/// A struct of an answer.
#[derive(Debug)]
#[non_exhaustive]
pub struct StructDef {
    /// The type's name: `Study`.
    pub name: &'static str,
    /// What it is.
    pub doc: &'static str,
    /// Its fields, in the spec's order.
    pub fields: &'static [FieldDef],
}

/// A field of a request, an answer's struct or a callback.
#[derive(Debug)]
#[non_exhaustive]
pub struct FieldDef {
    /// The vendor's name, as on the wire: `studyDateBegin`.
    pub name: &'static str,
    /// The snake_case name Rust and Python use: `study_date_begin`.
    pub snake: &'static str,
    /// Its type.
    pub ty: TypeRef,
    /// What it holds.
    pub doc: &'static str,
    /// A request must give it (non-empty, for text).
    pub required: bool,
    /// Encrypted on the wire with the [`CipherScheme`].
    pub encrypted: bool,
    /// Patient data: never shown.
    pub sensitive: bool,
    /// A datetime that must not precede this other field.
    pub not_before: Option<&'static str>,
}

/// A field's type.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum TypeRef {
    /// Text.
    String,
    /// An integer.
    Int,
    /// `yyyy-MM-dd HH:mm:ss`
    DateTime,
    /// One of an enum's codes.
    Enum(&'static EnumDef),
    /// An object of a struct.
    Struct(&'static StructDef),
    /// A list of values of a type.
    List(&'static TypeRef),
}

/// A call from the partner to the platform.
#[derive(Debug)]
#[non_exhaustive]
pub struct EndpointDef {
    /// `patientStudies`
    pub name: &'static str,
    /// A short title.
    pub title: &'static str,
    /// What it does.
    pub doc: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// With `{appId}` where the app id goes.
    pub path: &'static str,
    /// The request's fields.
    pub request: &'static [FieldDef],
    /// The type of the answer's data.
    pub response: TypeRef,
}

/// A call from the platform to the partner.
#[derive(Debug)]
#[non_exhaustive]
pub struct CallbackDef {
    /// `studyStatus`
    pub name: &'static str,
    /// A short title.
    pub title: &'static str,
    /// What it reports.
    pub doc: &'static str,
    /// Its fields.
    pub fields: &'static [FieldDef],
}

impl Service {
    /// For the code `api!` generates, in any crate: the fields in their order.
    #[doc(hidden)]
    #[allow(clippy::too_many_arguments)]
    pub const fn __new(
        name: &'static str,
        doc: &'static str,
        base_urls: &'static [(&'static str, &'static str)],
        auth: AuthScheme,
        cipher: CipherScheme,
        envelope: Envelope,
        error_codes: &'static [ErrorCodeDef],
        enums: &'static [&'static EnumDef],
        structs: &'static [&'static StructDef],
        endpoints: &'static [EndpointDef],
        callbacks: &'static [CallbackDef],
    ) -> Self {
        Service {
            name,
            doc,
            base_urls,
            auth,
            cipher,
            envelope,
            error_codes,
            enums,
            structs,
            endpoints,
            callbacks,
        }
    }
}

impl AuthScheme {
    /// For the code `api!` generates, in any crate: the fields in their order.
    #[doc(hidden)]
    pub const fn __new(
        app_id_header: &'static str,
        timestamp_header: &'static str,
        signature_header: &'static str,
        message: &'static [MessagePart],
        encoding: TextEncoding,
        timestamp: TimestampUnit,
        max_skew_seconds: u64,
    ) -> Self {
        AuthScheme {
            app_id_header,
            timestamp_header,
            signature_header,
            message,
            encoding,
            timestamp,
            max_skew_seconds,
        }
    }
}

impl CipherScheme {
    /// For the code `api!` generates, in any crate: the fields in their order.
    #[doc(hidden)]
    pub const fn __new(padding: Padding, encoding: TextEncoding) -> Self {
        CipherScheme { padding, encoding }
    }
}

impl Envelope {
    /// For the code `api!` generates, in any crate: the fields in their order.
    #[doc(hidden)]
    pub const fn __new(
        code: &'static str,
        message: &'static str,
        data: &'static str,
        success: i64,
        success_message: &'static str,
    ) -> Self {
        Envelope {
            code,
            message,
            data,
            success,
            success_message,
        }
    }
}

impl ErrorCodeDef {
    /// For the code `api!` generates, in any crate: the fields in their order.
    #[doc(hidden)]
    pub const fn __new(code: i64, name: &'static str, doc: &'static str, rate_limit: bool) -> Self {
        ErrorCodeDef {
            code,
            name,
            doc,
            rate_limit,
        }
    }
}

impl EnumDef {
    /// For the code `api!` generates, in any crate: the fields in their order.
    #[doc(hidden)]
    pub const fn __new(
        name: &'static str,
        doc: &'static str,
        values: &'static [EnumValueDef],
    ) -> Self {
        EnumDef { name, doc, values }
    }
}

impl EnumValueDef {
    /// For the code `api!` generates, in any crate: the fields in their order.
    #[doc(hidden)]
    pub const fn __new(value: i64, name: &'static str, doc: &'static str) -> Self {
        EnumValueDef { value, name, doc }
    }
}

impl StructDef {
    /// For the code `api!` generates, in any crate: the fields in their order.
    #[doc(hidden)]
    pub const fn __new(name: &'static str, doc: &'static str, fields: &'static [FieldDef]) -> Self {
        StructDef { name, doc, fields }
    }
}

impl FieldDef {
    /// For the code `api!` generates, in any crate: the fields in their order.
    #[doc(hidden)]
    #[allow(clippy::too_many_arguments)]
    pub const fn __new(
        name: &'static str,
        snake: &'static str,
        ty: TypeRef,
        doc: &'static str,
        required: bool,
        encrypted: bool,
        sensitive: bool,
        not_before: Option<&'static str>,
    ) -> Self {
        FieldDef {
            name,
            snake,
            ty,
            doc,
            required,
            encrypted,
            sensitive,
            not_before,
        }
    }
}

impl EndpointDef {
    /// For the code `api!` generates, in any crate: the fields in their order.
    #[doc(hidden)]
    pub const fn __new(
        name: &'static str,
        title: &'static str,
        doc: &'static str,
        method: &'static str,
        path: &'static str,
        request: &'static [FieldDef],
        response: TypeRef,
    ) -> Self {
        EndpointDef {
            name,
            title,
            doc,
            method,
            path,
            request,
            response,
        }
    }
}

impl CallbackDef {
    /// For the code `api!` generates, in any crate: the fields in their order.
    #[doc(hidden)]
    pub const fn __new(
        name: &'static str,
        title: &'static str,
        doc: &'static str,
        fields: &'static [FieldDef],
    ) -> Self {
        CallbackDef {
            name,
            title,
            doc,
            fields,
        }
    }
}

impl Service {
    /// Finds an endpoint by any spelling of its name: `patientStudies`,
    /// `patient_studies` or `patient-studies`.
    pub fn endpoint(&self, name: &str) -> Option<&'static EndpointDef> {
        let endpoints: &'static [EndpointDef] = self.endpoints;
        endpoints.iter().find(|e| same(e.name, name))
    }

    /// Finds a callback by any spelling of its name.
    pub fn callback(&self, name: &str) -> Option<&'static CallbackDef> {
        let callbacks: &'static [CallbackDef] = self.callbacks;
        callbacks.iter().find(|c| same(c.name, name))
    }

    /// The name of a well-known platform error code.
    pub fn error_name(&self, code: i64) -> Option<&'static str> {
        let codes: &'static [ErrorCodeDef] = self.error_codes;
        codes.iter().find(|e| e.code == code).map(|e| e.name)
    }

    /// Whether this code asks the partner to slow down (the spec's `rate_limit`).
    pub fn is_rate_limit(&self, code: i64) -> bool {
        self.error_codes
            .iter()
            .any(|e| e.code == code && e.rate_limit)
    }

    /// The default base URL (production).
    pub fn default_base_url(&self) -> &'static str {
        self.base_urls[0].1
    }

    /// The body a partner answers an accepted callback with: `{"code":0,"message":"success"}`.
    pub fn callback_ack(&self) -> String {
        self.callback_answer(self.envelope.success, self.envelope.success_message)
    }

    /// The body a partner answers a refused callback with.
    pub fn callback_answer(&self, code: i64, message: &str) -> String {
        let mut body = serde_json::Map::new();
        body.insert(self.envelope.code.to_owned(), code.into());
        body.insert(self.envelope.message.to_owned(), message.into());
        Value::Object(body).to_string()
    }
}

/// The registry as JSON, for the dynamic layers to show or discover: one serialiser for
/// C (`aimis_endpoints_json`), the CLI (`aimis endpoints --json`) and Python
/// (`aimis._native.service()`). Names are the vendor's, with the spellings the
/// generated code uses beside them (`snake`, `shouty`, `type_name`).
impl Service {
    /// `{"name", "doc", "default_base_url", "max_skew_seconds", "enums", "structs",
    /// "endpoints", "callbacks"}`: enums as `{"name", "doc", "values"}` (see
    /// [`EnumDef::values_json`]), structs as `{"name", "doc", "fields"}`, callbacks as
    /// `{"name", "type_name", "title", "doc", "fields"}`, endpoints as in
    /// [`Service::endpoints_json`], fields as in [`FieldDef::to_json`].
    #[doc(hidden)]
    pub fn to_json(&self) -> Value {
        let fields = |defs: &[FieldDef]| defs.iter().map(FieldDef::to_json).collect::<Vec<_>>();
        serde_json::json!({
            "name": self.name,
            "doc": self.doc,
            "default_base_url": self.default_base_url(),
            "max_skew_seconds": self.auth.max_skew_seconds,
            "enums": self.enums.iter().map(|e| serde_json::json!({
                "name": e.name,
                "doc": e.doc,
                "values": e.values_json(),
            })).collect::<Vec<_>>(),
            "structs": self.structs.iter().map(|s| serde_json::json!({
                "name": s.name,
                "doc": s.doc,
                "fields": fields(s.fields),
            })).collect::<Vec<_>>(),
            "endpoints": self.endpoints_json(),
            "callbacks": self.callbacks.iter().map(|c| serde_json::json!({
                "name": c.name,
                "type_name": aimis_names::callback_type(c.name),
                "title": c.title,
                "doc": c.doc,
                "fields": fields(c.fields),
            })).collect::<Vec<_>>(),
        })
    }

    /// The endpoints as a JSON array of `{"name", "snake", "title", "doc", "method",
    /// "path", "request": [field...], "response"}`, in the spec's order.
    #[doc(hidden)]
    pub fn endpoints_json(&self) -> Value {
        self.endpoints
            .iter()
            .map(|e| {
                serde_json::json!({
                    "name": e.name,
                    "snake": aimis_names::snake(e.name),
                    "title": e.title,
                    "doc": e.doc,
                    "method": e.method,
                    "path": e.path,
                    "request": e.request.iter().map(FieldDef::to_json).collect::<Vec<_>>(),
                    "response": e.response.name(),
                })
            })
            .collect()
    }
}

impl FieldDef {
    /// `{"name", "snake", "type", "required", "encrypted", "sensitive", "doc",
    /// "values"?}`: `type` as [`TypeRef::name`]; `values` for an enum field, as in
    /// [`EnumDef::values_json`].
    #[doc(hidden)]
    pub fn to_json(&self) -> Value {
        let mut value = serde_json::json!({
            "name": self.name,
            "snake": self.snake,
            "type": self.ty.name(),
            "required": self.required,
            "encrypted": self.encrypted,
            "sensitive": self.sensitive,
            "doc": self.doc,
        });
        if let TypeRef::Enum(def) = self.ty {
            value["values"] = def.values_json();
        }
        value
    }
}

impl EnumDef {
    /// `[{"value", "name", "shouty", "doc"}]`.
    #[doc(hidden)]
    pub fn values_json(&self) -> Value {
        self.values
            .iter()
            .map(|v| {
                serde_json::json!({
                    "value": v.value,
                    "name": v.name,
                    "shouty": aimis_names::shouty(v.name),
                    "doc": v.doc,
                })
            })
            .collect()
    }

    /// The value with this number.
    pub fn by_value(&self, value: i64) -> Option<&'static EnumValueDef> {
        let values: &'static [EnumValueDef] = self.values;
        values.iter().find(|v| v.value == value)
    }

    /// The value with this name, in any case or spelling (`ThisHospital`, `this-hospital`),
    /// or this number written as text.
    pub fn parse(&self, text: &str) -> Option<&'static EnumValueDef> {
        if let Ok(number) = text.trim().parse::<i64>() {
            return self.by_value(number);
        }
        let values: &'static [EnumValueDef] = self.values;
        values.iter().find(|v| same(v.name, text))
    }

    /// `0 (Radiology), 1 (Ophthalmology), ...`, for error messages and help.
    pub fn choices(&self) -> String {
        self.values
            .iter()
            .map(|v| format!("{} ({})", v.value, v.name))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl TypeRef {
    /// The spec's name of this type: `string`, `StudyType`, `list<Study>`.
    pub fn name(&self) -> String {
        match self {
            TypeRef::String => "string".into(),
            TypeRef::Int => "int".into(),
            TypeRef::DateTime => "datetime".into(),
            TypeRef::Enum(e) => e.name.into(),
            TypeRef::Struct(s) => s.name.into(),
            TypeRef::List(inner) => format!("list<{}>", inner.name()),
        }
    }
}
