//! `aimis-py/python/aimis/__init__.pyi`: the types of the Python package, from the spec.
//!
//! The package builds its enums, result classes and `Client` methods from the registry
//! at import time, so type checkers and IDEs learn them only from this stub. The names
//! follow the same rules as the native module's description (`aimis-py/src/service.rs`):
//! snake_case methods and fields, SHOUTY enum members, `<Name>Callback` callback classes;
//! `python -m mypy.stubtest aimis` checks the two agree.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use aimis_spec::{Field, Spec, Type, names};

const SPEC: &str = "spec/aimis.toml";
const STUB: &str = "aimis-py/python/aimis/__init__.pyi";

/// What `aimis._errors` defines; the stub re-exports it.
const ERRORS: &[&str] = &[
    "AimisError",
    "ApiError",
    "CallbackError",
    "ConfigurationError",
    "CryptoError",
    "DecodeError",
    "HttpError",
    "TimeoutError",
    "TransportError",
    "ValidationError",
];

pub fn generate(root: &Path) -> Result<Vec<(PathBuf, String)>, String> {
    let source = std::fs::read_to_string(root.join(SPEC)).map_err(|e| format!("{SPEC}: {e}"))?;
    let spec = aimis_spec::parse(&source, SPEC).map_err(|e| e.to_string())?;
    Ok(vec![(PathBuf::from(STUB), render(&spec))])
}

fn render(spec: &Spec) -> String {
    let mut out = String::new();
    out.push_str(
        "# Generated from spec/aimis.toml by `cargo run -p xtask -- generate`; do not edit.\n",
    );
    out.push_str(&docstring("", &spec.service.doc));
    out.push_str(
        "\nimport datetime\nimport enum\nimport os\nfrom collections.abc import Mapping\nfrom typing import Any\n\n\
         from aimis._callback import Headers\nfrom aimis._model import Record\n",
    );
    for name in ERRORS {
        let _ = writeln!(out, "from aimis._errors import {name} as {name}");
    }
    out.push_str(&exports(spec));
    out.push_str("__version__: str\n");
    for e in &spec.enums {
        let _ = write!(
            out,
            "\n\nclass {}(enum.IntEnum):\n{}",
            e.name,
            docstring("    ", &e.doc)
        );
        for v in &e.values {
            let _ = write!(
                out,
                "\n    {} = {}\n{}",
                names::shouty(&v.name),
                v.value,
                docstring("    ", &v.doc)
            );
        }
    }
    for s in &spec.structs {
        out.push_str(&record(&s.name, &s.doc, &s.fields));
    }
    for c in &spec.callbacks {
        out.push_str(&record(&callback_class(&c.name), &c.doc, &c.fields));
    }
    out.push_str(&client(spec));
    out.push_str(&functions(spec));
    out
}

/// `__all__`: what `from aimis import *` gives, as the package lists it.
fn exports(spec: &Spec) -> String {
    let mut all: Vec<String> = [
        "Client",
        "verify_callback",
        "callback_ack",
        "callback_failure",
        "encrypt_field",
        "decrypt_field",
        "sign",
    ]
    .iter()
    .chain(ERRORS)
    .map(|name| name.to_string())
    .collect();
    all.extend(spec.enums.iter().map(|e| e.name.clone()));
    all.extend(spec.structs.iter().map(|s| s.name.clone()));
    all.extend(spec.callbacks.iter().map(|c| callback_class(&c.name)));
    let lines: String = all
        .iter()
        .map(|name| format!("    \"{name}\",\n"))
        .collect();
    format!("\n__all__ = [\n{lines}]\n")
}

/// `studyStatus` -> `StudyStatusCallback`, as `aimis-py/src/service.rs` names it.
fn callback_class(name: &str) -> String {
    format!("{}Callback", names::pascal(name))
}

fn record(name: &str, doc: &str, fields: &[Field]) -> String {
    let mut out = format!("\n\nclass {name}(Record):\n{}", docstring("    ", doc));
    let params: Vec<String> = fields
        .iter()
        .map(|f| match f.required {
            true => format!("{}: {}", f.snake, value_type(&f.ty, false)),
            false => format!("{}: {} | None = None", f.snake, value_type(&f.ty, false)),
        })
        .collect();
    let _ = writeln!(out, "\n{}: ...", method("__init__", &params, "None"));
    for f in fields {
        let optional = if f.required { "" } else { " | None" };
        let _ = write!(
            out,
            "    @property\n    def {}(self) -> {}{optional}:\n{}",
            f.snake,
            value_type(&f.ty, false),
            docstring("        ", &format!("`{}`: {}", f.name, f.doc)),
        );
    }
    out
}

fn client(spec: &Spec) -> String {
    let mut out = String::from(
        r#"

class Client:
    """A client of the AIMIS platform, safe to share between threads.

    ``base_url`` defaults to production; plain ``http://`` is accepted only for
    loopback hosts (a local ``aimis sim``). ``timeout`` (per attempt) and
    ``connect_timeout`` are in seconds, at most 3600; failures that a retry can fix are
    retried ``retries`` times (0 to 10) with backoff. ``proxy`` is an HTTP proxy's URL;
    ``ca_certs`` a PEM file of CA certificates to trust besides the public roots (for a
    TLS-inspecting proxy). A bad setting is a ``ConfigurationError`` here.
    """

    def __init__(
        self,
        app_id: str,
        token: str,
        base_url: str | None = None,
        timeout: float = 10.0,
        connect_timeout: float = 5.0,
        retries: int = 2,
        proxy: str | None = None,
        ca_certs: str | os.PathLike[str] | None = None,
    ) -> None: ...
    @property
    def app_id(self) -> str:
        """The partner's app id."""
    @property
    def base_url(self) -> str:
        """The platform's address."""
    def call(self, endpoint: str, request: Mapping[str, Any]) -> Any:
        """Calls ``endpoint`` (``patientStudies``, ``patient_studies`` or
        ``patient-studies``) with ``request`` in the vendor's camelCase names and
        plaintext patient data; returns the response ``data`` as plain dicts and lists."""
"#,
    );
    for e in &spec.endpoints {
        // Required arguments first, each group in the spec's order: all are keyword-only.
        let (required, optional): (Vec<&Field>, Vec<&Field>) =
            e.request.iter().partition(|f| f.required);
        let mut params: Vec<String> = required
            .iter()
            .map(|f| format!("{}: {}", f.snake, argument_type(&f.ty)))
            .collect();
        params.extend(
            optional
                .iter()
                .map(|f| format!("{}: {} | None = None", f.snake, argument_type(&f.ty))),
        );
        let mut doc = format!(
            "{}: {}\n\n{} {}\n\nArguments:",
            e.title, e.doc, e.method, e.path
        );
        for f in required.iter().chain(&optional) {
            let flag = if f.required { "required" } else { "optional" };
            let _ = write!(doc, "\n    {} ({}, {flag}): {}", f.snake, f.name, f.doc);
        }
        let returns = value_type(&e.response, true);
        let _ = write!(
            out,
            "{}:\n{}",
            method(&names::snake(&e.name), &params, &returns),
            docstring("        ", &doc)
        );
    }
    out
}

fn functions(spec: &Spec) -> String {
    let callbacks: Vec<String> = spec
        .callbacks
        .iter()
        .map(|c| callback_class(&c.name))
        .collect();
    let returns = if callbacks.is_empty() {
        "Record".to_owned()
    } else {
        callbacks.join(" | ")
    };
    format!(
        r#"

def verify_callback(
    headers: Headers,
    body: bytes | str,
    *,
    app_id: str,
    token: str,
    max_skew: float = {skew:.1},
    kind: str | None = None,
    now_ms: int | None = None,
) -> {returns}:
    """Verifies a callback from the platform and returns it decrypted.

    ``headers`` is any mapping or sequence of pairs, names in any case: a dict,
    Flask's ``request.headers``, Django's ``request.headers``, Starlette's. ``body``
    is the raw body, bytes or str. The appId, the timestamp (within ``max_skew``
    seconds of now, either way) and the signature are checked, then the patient
    fields are decrypted. ``kind`` names the callback when the spec has several.
    ``now_ms`` is the time to check the timestamp against, in milliseconds since
    1970 (default: now), for tests and for re-checking a stored callback.

    Raises ``CallbackError`` (answer with an error status) when anything is wrong.
    The signature does not cover the body: handle callbacks idempotently.
    """

def callback_ack() -> str:
    """The body that acknowledges a callback: ``{ack}``."""

def callback_failure(code: int, message: str) -> str:
    """The body that refuses a callback with this code and message."""

def encrypt_field(token: str, plaintext: str) -> str:
    """Encrypts one field value as the platform expects (AES-256-ECB, PKCS#7, hex)."""

def decrypt_field(token: str, ciphertext: str) -> str:
    """Decrypts one field value; hex is accepted in either case."""

def sign(app_id: str, token: str, timestamp: int | str) -> str:
    """The ``signature`` header for this app id and timestamp."""
"#,
        skew = spec.auth.max_skew_seconds as f64,
        ack = format_args!(
            "{{\"{}\":{},\"{}\":\"{}\"}}",
            spec.envelope.code,
            spec.envelope.success,
            spec.envelope.message,
            spec.envelope.success_message
        ),
    )
}

/// `def name(self, *, params) -> returns` at class level, one parameter a line.
fn method(name: &str, params: &[String], returns: &str) -> String {
    let params: String = params.iter().map(|p| format!("        {p},\n")).collect();
    format!("    def {name}(\n        self,\n        *,\n{params}    ) -> {returns}")
}

/// What a keyword argument accepts: enums also as plain ints, datetimes also as the
/// vendor's text.
fn argument_type(ty: &Type) -> String {
    match ty {
        Type::String => "str".into(),
        Type::Int => "int".into(),
        Type::DateTime => "datetime.datetime | str".into(),
        Type::Enum(name) => format!("{name} | int"),
        Type::Struct(_) => "Mapping[str, Any]".into(),
        Type::List(item) => format!("list[{}]", argument_type(item)),
    }
}

/// What a result holds: lists at the top of a response, tuples inside records (which
/// are immutable all the way down). Decoding is as tolerant as the Rust core's: an enum
/// number the spec does not name stays an `int`, a datetime in another form the text.
fn value_type(ty: &Type, top: bool) -> String {
    match ty {
        Type::String => "str".into(),
        Type::Int => "int".into(),
        Type::DateTime => "datetime.datetime | str".into(),
        Type::Enum(name) => format!("{name} | int"),
        Type::Struct(name) => name.clone(),
        Type::List(item) if top => format!("list[{}]", value_type(item, false)),
        Type::List(item) => format!("tuple[{}, ...]", value_type(item, false)),
    }
}

/// A docstring at this indentation.
fn docstring(indent: &str, text: &str) -> String {
    let text = text
        .trim()
        .replace('\\', "\\\\")
        .replace("\"\"\"", "\\\"\\\"\\\"");
    let body = text
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{indent}{l}")
            }
        })
        .collect::<Vec<_>>();
    let body = body.join("\n");
    match text.contains('\n') {
        false => format!("{indent}\"\"\"{}\"\"\"\n", text),
        true => format!("{indent}\"\"\"{}\n{indent}\"\"\"\n", body.trim_start()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docstrings_survive_quotes_backslashes_and_lines() {
        assert_eq!(docstring("    ", "Plain."), "    \"\"\"Plain.\"\"\"\n");
        assert_eq!(
            docstring("", r#"A \d and """ quotes"#),
            "\"\"\"A \\\\d and \\\"\\\"\\\" quotes\"\"\"\n"
        );
        assert_eq!(
            docstring("  ", "One\n\nTwo"),
            "  \"\"\"One\n\n  Two\n  \"\"\"\n"
        );
    }

    #[test]
    fn the_real_spec_gives_every_endpoint_a_method() {
        let source =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(SPEC))
                .unwrap();
        let spec = aimis_spec::parse(&source, SPEC).unwrap();
        let stub = render(&spec);
        for endpoint in &spec.endpoints {
            assert!(stub.contains(&format!("    def {}(\n", names::snake(&endpoint.name))));
        }
        assert!(stub.contains("class StudyStatusCallback(Record):"));
    }
}
