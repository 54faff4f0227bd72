//! `bindings/`: the C#, Java and Delphi/Free Pascal bindings of libaimis, and the
//! PowerBuilder and VB6 declarations.
//!
//! They are derived from what cbindgen reads from aimis-ffi (the very `Bindings` the
//! header is written from: its functions with their argument types and docs, and its
//! enums with their values), plus the endpoint registry for one method per endpoint.
//! So a new export, result code or endpoint reaches all three languages with no hand
//! edit; a C type no language knows yet stops the generator with a message naming it.

mod csharp;
mod java;
mod legacy;
mod pascal;
mod template;

use std::path::{Path, PathBuf};

use cbindgen::bindgen::ir::{
    Documentation, Function, IntKind, ItemContainer, Literal, PrimitiveType, Type,
};

const SPEC: &str = "spec/aimis.toml";
/// Exports the bindings leave out, by name: they take a C function pointer, which no
/// generator knows how to marshal yet (a C# delegate, a JNA Callback, a Pascal procedure
/// type kept alive for as long as libaimis may call it).
const C_ONLY: &[&str] = &["aimis_set_log_callback"];

/// The C types libaimis's functions use, as every language generator sees them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CType {
    /// `void` (returns only).
    Void,
    /// `const char *` argument: a NUL-terminated string the caller owns.
    Str,
    /// `const char *` returned: a string libaimis owns.
    StaticStr,
    /// `char **`: a string handed to the caller, freed with `aimis_string_free`.
    StrOut,
    /// `const char *const *`: an array of strings the caller owns (with a count).
    StrArray,
    /// `char *` argument: the caller's buffer (`_into`), or a string given back (`_free`).
    Buffer,
    /// `size_t *`: the size an `_into` buffer needs.
    SizeOut,
    /// `T *` / `const T *` to an opaque handle, such as `aimis_client`.
    Handle(String),
    /// `T **`: a new handle for the caller.
    HandleOut(String),
    /// `size_t`.
    Size,
    U64,
    U32,
    I64,
    I32,
    /// `double`.
    F64,
    Bool,
    /// A C enum passed or returned by value, such as `aimis_result`.
    Enum(String),
}

#[derive(Debug)]
pub struct Arg {
    pub name: String,
    pub ty: CType,
}

#[derive(Debug)]
pub struct Func {
    pub name: String,
    pub ret: CType,
    pub args: Vec<Arg>,
    pub doc: Vec<String>,
}

impl Func {
    /// A `*_free` function: its handle argument is released, not borrowed.
    pub fn is_free(&self) -> bool {
        self.name.ends_with("_free")
    }
}

#[derive(Debug)]
pub struct Variant {
    /// `AIMIS_BUFFER_TOO_SMALL`
    pub name: String,
    pub value: i64,
    pub doc: Vec<String>,
}

#[derive(Debug)]
pub struct Enum {
    /// `aimis_result`
    pub name: String,
    pub doc: Vec<String>,
    pub variants: Vec<Variant>,
}

impl Enum {
    /// The variant's name without the enum's prefix, in CamelCase:
    /// `AIMIS_TEXT_ENCODING_GB18030` of `aimis_text_encoding` is `Gb18030`,
    /// `AIMIS_BUFFER_TOO_SMALL` of `aimis_result` is `BufferTooSmall`.
    pub fn short_name(&self, variant: &Variant) -> String {
        let prefix = match self.name.as_str() {
            "aimis_result" => "AIMIS_".to_owned(),
            other => format!("{}_", other.to_ascii_uppercase()),
        };
        camel(variant.name.strip_prefix(&prefix).unwrap_or(&variant.name))
    }
}

#[derive(Debug)]
pub struct Endpoint {
    /// `patientStudies`
    pub name: &'static str,
    /// `PatientStudies`
    pub method: String,
    pub doc: Vec<String>,
}

/// Everything the generators need.
#[derive(Debug)]
pub struct Api {
    pub version: String,
    pub functions: Vec<Func>,
    pub enums: Vec<Enum>,
    /// The opaque handle types, such as `aimis_client`.
    pub handles: Vec<String>,
    pub endpoints: Vec<Endpoint>,
    /// The spec itself, for the typed classes (requests, records, enums).
    pub spec: aimis_spec::Spec,
}

impl Api {
    pub fn result_enum(&self) -> &Enum {
        self.enums
            .iter()
            .find(|e| e.name == "aimis_result")
            .expect("checked in Api::read")
    }
}

pub fn generate(root: &Path) -> Result<Vec<(PathBuf, String)>, String> {
    let api = Api::read(root)?;
    Ok(vec![
        (PathBuf::from(csharp::FILE), csharp::render(&api)),
        (PathBuf::from(java::FILE), java::render(&api)),
        (PathBuf::from(pascal::FILE), pascal::render(&api)),
        (
            PathBuf::from(legacy::POWERBUILDER_FILE),
            legacy::render_powerbuilder(&api),
        ),
        (PathBuf::from(legacy::VB6_FILE), legacy::render_vb6(&api)),
    ])
}

impl Api {
    pub fn read(root: &Path) -> Result<Self, String> {
        let bindings = crate::header::cbindgen_bindings(root)?;
        let mut enums = Vec::new();
        let mut handles = Vec::new();
        for item in &bindings.items {
            match item {
                ItemContainer::Enum(e) => enums.push(Enum {
                    name: e.export_name.clone(),
                    doc: doc(&e.documentation),
                    variants: e
                        .variants
                        .iter()
                        .map(|v| {
                            let value = match &v.discriminant {
                                Some(Literal::Expr(text)) => text.parse().map_err(|_| {
                                    format!("{}: discriminant `{text}` is not a number", v.name)
                                }),
                                _ => Err(format!("{}: give it an explicit number", v.name)),
                            }?;
                            Ok(Variant {
                                name: v.export_name.clone(),
                                value,
                                doc: doc(&v.documentation),
                            })
                        })
                        .collect::<Result<_, String>>()?,
                }),
                ItemContainer::OpaqueItem(o) => handles.push(o.export_name.clone()),
                ItemContainer::Struct(s) => handles.push(s.export_name.clone()),
                _ => {}
            }
        }
        if !enums.iter().any(|e| e.name == "aimis_result") {
            return Err("aimis-ffi exports no `aimis_result` enum".into());
        }
        let functions = bindings
            .functions
            .iter()
            .filter(|f| !C_ONLY.contains(&f.path.name()))
            .map(|f| function(f, &handles, &enums))
            .collect::<Result<Vec<_>, String>>()?;
        let endpoints = aimis::SERVICE
            .endpoints
            .iter()
            .map(|e| {
                let mut doc = vec![format!("{}: {}", e.title, e.doc)];
                doc.push(String::new());
                doc.push(format!(
                    "Request fields (JSON, camelCase): {}.",
                    e.request
                        .iter()
                        .map(|f| {
                            let required = if f.required { ", required" } else { "" };
                            format!("{} ({}{required})", f.name, f.ty.name())
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
                doc.push(format!("Answer: the response data, {}.", e.response.name()));
                Endpoint {
                    name: e.name,
                    method: camel_from_camel(e.name),
                    doc,
                }
            })
            .collect();
        let version = bindings
            .config
            .after_includes
            .as_deref()
            .and_then(|text| {
                text.lines()
                    .find_map(|l| l.strip_prefix("#define AIMIS_VERSION_STRING "))
            })
            .map(|v| v.trim_matches('"').to_owned())
            .ok_or("the header has no AIMIS_VERSION_STRING")?;
        let source =
            std::fs::read_to_string(root.join(SPEC)).map_err(|e| format!("{SPEC}: {e}"))?;
        let spec = aimis_spec::parse(&source, SPEC).map_err(|e| e.to_string())?;
        Ok(Api {
            version,
            functions,
            enums,
            handles,
            endpoints,
            spec,
        })
    }
}

fn doc(documentation: &Documentation) -> Vec<String> {
    let mut lines: Vec<String> = documentation
        .doc_comment
        .iter()
        .map(|l| l.strip_prefix(' ').unwrap_or(l).trim_end().to_owned())
        .collect();
    // The `# Safety` section speaks of Rust; every language has its own rules.
    if let Some(i) = lines.iter().position(|l| l == "# Safety") {
        lines.truncate(i);
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

fn function(f: &Function, handles: &[String], enums: &[Enum]) -> Result<Func, String> {
    let name = f.path.name().to_owned();
    let ctype = |ty: &Type, is_ret: bool| {
        classify(ty, is_ret, handles, enums).ok_or_else(|| {
            format!(
                "{name}: no language binding knows the C type {ty:?}; \
                 teach xtask/src/bindings/mod.rs (CType) and the three generators"
            )
        })
    };
    let ret = ctype(&f.ret, true)?;
    let args = f
        .args
        .iter()
        .map(|a| {
            Ok(Arg {
                name: a.name.clone().unwrap_or_default(),
                ty: ctype(&a.ty, false)?,
            })
        })
        .collect::<Result<_, String>>()?;
    Ok(Func {
        name,
        ret,
        args,
        doc: doc(&f.documentation),
    })
}

fn classify(ty: &Type, is_ret: bool, handles: &[String], enums: &[Enum]) -> Option<CType> {
    Some(match ty {
        Type::Primitive(p) => match p {
            PrimitiveType::Void => CType::Void,
            PrimitiveType::Bool => CType::Bool,
            PrimitiveType::Double => CType::F64,
            PrimitiveType::Integer { signed, kind, .. } => match (signed, kind) {
                (false, IntKind::SizeT | IntKind::Size) => CType::Size,
                (false, IntKind::B64) => CType::U64,
                (false, IntKind::B32) => CType::U32,
                (true, IntKind::B64) => CType::I64,
                (true, IntKind::B32 | IntKind::Int) => CType::I32,
                _ => return None,
            },
            _ => return None,
        },
        Type::Path(path) => {
            let name = path.export_name();
            if enums.iter().any(|e| e.name == name) {
                CType::Enum(name.to_owned())
            } else if name == "aimis_text_encoding_arg" {
                CType::Enum("aimis_text_encoding".to_owned())
            } else {
                return None;
            }
        }
        Type::Ptr { ty, is_const, .. } => match ty.as_ref() {
            Type::Primitive(PrimitiveType::Char) if *is_const && is_ret => CType::StaticStr,
            Type::Primitive(PrimitiveType::Char) if *is_const => CType::Str,
            Type::Primitive(PrimitiveType::Char) => CType::Buffer,
            Type::Primitive(PrimitiveType::Integer {
                signed: false,
                kind: IntKind::SizeT | IntKind::Size,
                ..
            }) if !is_const => CType::SizeOut,
            Type::Path(path) if handles.iter().any(|h| h == path.export_name()) => {
                CType::Handle(path.export_name().to_owned())
            }
            Type::Ptr {
                ty: inner,
                is_const: inner_const,
                ..
            } => match inner.as_ref() {
                Type::Primitive(PrimitiveType::Char) if !is_const && !inner_const => CType::StrOut,
                Type::Primitive(PrimitiveType::Char) if *is_const && *inner_const => {
                    CType::StrArray
                }
                Type::Path(path) if handles.iter().any(|h| h == path.export_name()) => {
                    CType::HandleOut(path.export_name().to_owned())
                }
                _ => return None,
            },
            _ => return None,
        },
        _ => return None,
    })
}

/// `BUFFER_TOO_SMALL` -> `BufferTooSmall`, `GB18030` -> `Gb18030`.
pub fn camel(shouty: &str) -> String {
    shouty
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            let mut chars = lower.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// `patientStudies` -> `PatientStudies`.
pub fn camel_from_camel(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// `aimis_client` -> `Client`, `aimis_options_set_timeout_ms` -> `SetTimeoutMs` (after
/// the handle's prefix is cut).
pub fn camel_snake(name: &str) -> String {
    camel(&name.to_ascii_uppercase())
}

/// The setters of a handle type: `aimis_<handle>_set_*` / `_add_*` functions taking the
/// handle first and returning `aimis_result`, by their method name (`SetTimeoutMs`) and
/// the arguments after the handle.
pub fn setters<'a>(api: &'a Api, handle: &str) -> Vec<(String, &'a Func)> {
    let prefix = format!("{handle}_");
    api.functions
        .iter()
        .filter(|f| {
            f.ret == CType::Enum("aimis_result".into())
                && f.args.first().map(|a| &a.ty) == Some(&CType::Handle(handle.into()))
                && f.args[1..].iter().all(|a| {
                    matches!(
                        a.ty,
                        CType::Str
                            | CType::U64
                            | CType::U32
                            | CType::I64
                            | CType::I32
                            | CType::F64
                            | CType::Bool
                            | CType::Size
                            | CType::Enum(_)
                    )
                })
        })
        .filter_map(|f| {
            let rest = f.name.strip_prefix(&prefix)?;
            (rest.starts_with("set_") || rest.starts_with("add_")).then(|| (camel_snake(rest), f))
        })
        .collect()
}

/// The exception classes of the languages with a hierarchy (Java), by the result codes
/// each covers; a code in none of them (a new one) raises the root class.
pub const EXCEPTION_FAMILIES: &[(&str, &str, &[&str])] = &[
    (
        "ApiException",
        "The platform answered with an error code (getApiCode()).",
        &["AIMIS_API"],
    ),
    (
        "ValidationException",
        "An argument or request field was refused before anything was sent.",
        &[
            "AIMIS_NULL_ARGUMENT",
            "AIMIS_INVALID_UTF8",
            "AIMIS_INVALID_JSON",
            "AIMIS_VALIDATION",
            "AIMIS_UNKNOWN_ENDPOINT",
            "AIMIS_INVALID_TEXT",
        ],
    ),
    (
        "ConfigurationException",
        "Unusable credentials or options.",
        &["AIMIS_CONFIG"],
    ),
    (
        "TransportException",
        "The platform could not be reached, did not answer in time, or answered badly.",
        &[
            "AIMIS_TRANSPORT",
            "AIMIS_TIMEOUT",
            "AIMIS_HTTP",
            "AIMIS_DECODE",
            "AIMIS_CONNECTION_REFUSED",
            "AIMIS_DNS",
            "AIMIS_TLS_CERTIFICATE",
            "AIMIS_CONNECTION_RESET",
            "AIMIS_BODY_TOO_LARGE",
        ],
    ),
    (
        "CryptoException",
        "A ciphertext could not be decrypted.",
        &["AIMIS_CRYPTO"],
    ),
    (
        "CallbackException",
        "A callback was rejected (not authentic) or malformed.",
        &["AIMIS_CALLBACK_REJECTED", "AIMIS_CALLBACK_MALFORMED"],
    ),
];

/// Doc lines as a language's comment block: `lead` before each line (trailing spaces
/// trimmed on empty lines).
pub fn comment(lines: &[String], lead: &str) -> String {
    lines
        .iter()
        .map(|l| format!("{lead}{l}").trim_end().to_owned() + "\n")
        .collect()
}

/// A doc line made safe for XML doc comments (C#) and Javadoc (Java).
pub fn escape_markup(line: &str) -> String {
    line.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Checks shared by the generators: every function the idiomatic wrappers call exists
/// with the shape they assume. Run by the tests below.
#[cfg(test)]
mod tests {
    use super::*;

    fn api() -> Api {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        Api::read(root).unwrap()
    }

    #[test]
    fn every_export_of_the_header_is_read() {
        let api = api();
        let header = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../aimis-ffi/include/aimis.h"),
        )
        .unwrap();
        // Every function the header declares (outside comments) is read, and no other,
        // but those left to C.
        let mut declared: Vec<&str> = header
            .lines()
            .filter(|l| !l.trim_start().starts_with('*') && !l.trim_start().starts_with("/*"))
            .filter(|l| l.contains('('))
            .filter_map(|l| l.split('(').next()?.rsplit([' ', '*']).next())
            .filter(|name| name.starts_with("aimis_") && !C_ONLY.contains(name))
            .collect();
        declared.sort_unstable();
        declared.dedup();
        let mut read: Vec<&str> = api.functions.iter().map(|f| f.name.as_str()).collect();
        read.sort_unstable();
        assert_eq!(declared, read);
        assert!(
            api.functions
                .iter()
                .any(|f| f.name == "aimis_client_call_into")
        );
        let codes = api.result_enum();
        assert_eq!(codes.variants[0].name, "AIMIS_OK");
        assert!(
            codes
                .variants
                .iter()
                .any(|v| v.name == "AIMIS_BUFFER_TOO_SMALL" && v.value == 16)
        );
        assert_eq!(codes.short_name(&codes.variants[16]), "BufferTooSmall");
    }

    #[test]
    fn options_setters_are_found_by_shape() {
        let api = api();
        let names: Vec<String> = setters(&api, "aimis_options")
            .into_iter()
            .map(|s| s.0)
            .collect();
        assert!(names.contains(&"SetTimeoutMs".to_owned()), "{names:?}");
        assert!(names.contains(&"SetTextEncoding".to_owned()), "{names:?}");
        assert!(names.contains(&"AddCaPem".to_owned()), "{names:?}");
    }

    /// The x86 aimis.dll exports stdcall (what Delphi's `external` and PowerBuilder bind
    /// to); the Pascal unit says so on Win32 only, since no Win32 Pascal compiler is here.
    #[test]
    fn the_pascal_unit_is_stdcall_on_win32_and_cdecl_elsewhere() {
        let unit = pascal::render(&api());
        let externals: Vec<&str> = unit
            .lines()
            .filter(|l| l.contains("external AIMIS_LIB"))
            .collect();
        assert_eq!(externals.len(), api().functions.len());
        for line in externals {
            assert!(
                line.contains("; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external"),
                "{line}"
            );
        }
    }

    #[test]
    fn every_endpoint_gets_a_method() {
        let api = api();
        assert_eq!(api.endpoints.len(), aimis::SERVICE.endpoints.len());
        assert_eq!(api.endpoints[0].method, "PatientStudies");
    }
}
