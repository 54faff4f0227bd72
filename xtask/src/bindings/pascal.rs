//! `bindings/pascal/aimis.pas`: a Delphi / Free Pascal unit with `external` declarations
//! of every function (`stdcall` on Win32, as the x86 aimis.dll exports them, else
//! `cdecl`), the result codes as constants, and `TAimisClient`, a wrapper class that
//! raises `EAimisError`. Laid out by `xtask/templates/pascal.pas.j2`.

use aimis_spec::{Field, Spec, Type, names};
use minijinja::context;
use serde::Serialize;

use super::template;
use super::{Api, CType, Func, setters};

pub const FILE: &str = "bindings/pascal/aimis.pas";

fn native_type(ty: &CType) -> String {
    match ty {
        CType::Void => String::new(),
        CType::Str | CType::StaticStr | CType::Buffer => "PAnsiChar".into(),
        CType::StrOut | CType::StrArray => "PPAnsiChar".into(),
        CType::SizeOut => "PNativeUInt".into(),
        CType::Handle(h) => format!("P{h}"),
        CType::HandleOut(h) => format!("PP{h}"),
        CType::Size => "NativeUInt".into(),
        CType::U64 => "UInt64".into(),
        CType::U32 => "Cardinal".into(),
        CType::F64 => "Double".into(),
        CType::I64 => "Int64".into(),
        CType::I32 => "Integer".into(),
        CType::Bool => "Boolean".into(),
        CType::Enum(name) => format!("T{name}"),
    }
}

/// Argument names that are Pascal keywords (or `Result`) get a trailing underscore.
fn pascal_name(name: &str) -> String {
    const RESERVED: &[&str] = &[
        "out",
        "result",
        "type",
        "string",
        "begin",
        "end",
        "set",
        "file",
        "label",
        "object",
        "var",
        "const",
        "function",
        "procedure",
        "unit",
        "program",
        "array",
        "record",
        "in",
        "to",
        "do",
        "as",
        "is",
        "of",
        "options",
    ];
    if RESERVED.contains(&name.to_ascii_lowercase().as_str()) {
        format!("{name}_")
    } else {
        name.to_owned()
    }
}

fn declaration(f: &Func) -> String {
    let args: Vec<String> = f
        .args
        .iter()
        .map(|a| format!("{}: {}", pascal_name(&a.name), native_type(&a.ty)))
        .collect();
    let args = if args.is_empty() {
        String::new()
    } else {
        format!("({})", args.join("; "))
    };
    match &f.ret {
        CType::Void => format!("procedure {}{args}", f.name),
        ret => format!("function {}{args}: {}", f.name, native_type(ret)),
    }
}

#[derive(Serialize)]
struct Declaration {
    name: String,
    /// `function aimis_version: PAnsiChar`
    declaration: String,
    doc: Vec<String>,
}

/// A `TAimisOptions` method over an `aimis_options_set_*` / `_add_*` function.
#[derive(Serialize)]
struct Setter {
    method: String,
    /// `const AProxyUrl: UTF8String`
    params: String,
    function: String,
    /// `FHandle, PAnsiChar(AProxyUrl)`
    pass: String,
}

#[derive(Serialize)]
struct EndpointMethod {
    method: String,
    name: &'static str,
    doc: Vec<String>,
}

fn setter(method: String, f: &Func) -> Setter {
    let mut params = Vec::new();
    let mut pass = vec!["FHandle".to_owned()];
    for a in &f.args[1..] {
        let name = format!("A{}", super::camel_snake(&a.name));
        if a.ty == CType::Str {
            params.push(format!("const {name}: UTF8String"));
            pass.push(format!("PAnsiChar({name})"));
        } else {
            params.push(format!("{name}: {}", native_type(&a.ty)));
            pass.push(name);
        }
    }
    Setter {
        method,
        params: params.join("; "),
        function: f.name.clone(),
        pass: pass.join(", "),
    }
}

pub fn render(api: &Api) -> String {
    let enums: Vec<_> = api
        .enums
        .iter()
        .map(|e| {
            let variants: Vec<_> = e
                .variants
                .iter()
                .map(|v| context! { name => &v.name, value => v.value })
                .collect();
            context! { name => &e.name, variants }
        })
        .collect();
    let functions: Vec<_> = api
        .functions
        .iter()
        .map(|f| Declaration {
            name: f.name.clone(),
            declaration: declaration(f),
            doc: f.doc.clone(),
        })
        .collect();
    let setters: Vec<_> = setters(api, "aimis_options")
        .into_iter()
        .map(|(method, f)| setter(method, f))
        .collect();
    let endpoints: Vec<_> = api
        .endpoints
        .iter()
        .map(|e| EndpointMethod {
            method: e.method.clone(),
            name: e.name,
            doc: e.doc.clone(),
        })
        .collect();
    template::render(
        "pascal.pas",
        include_str!("../../templates/pascal.pas.j2"),
        context! {
            version => &api.version,
            enums,
            handles => &api.handles,
            functions,
            setters,
            endpoints,
            typed => typed(&api.spec),
        },
    )
}

/// The typed layer from the spec: enums, records (of the structs), request records and
/// one function per endpoint. Pascal has no nullable types: records mark enum fields
/// with a Has flag; a type the template does not handle stops the generator.
fn typed(spec: &Spec) -> minijinja::Value {
    let pascal_type = |ty: &Type| -> (String, &'static str) {
        match ty {
            Type::String => ("UTF8String".into(), "string"),
            Type::Enum(name) => (format!("TAimis{name}"), "enum"),
            Type::DateTime => ("TDateTime".into(), "datetime"),
            other => panic!("xtask/src/bindings/pascal.rs: no Pascal field for {other:?}"),
        }
    };
    let field = |f: &Field| {
        let (ty, kind) = pascal_type(&f.ty);
        context! { name => names::pascal(&f.name), wire => &f.name, ty, kind }
    };
    let enums: Vec<_> = spec
        .enums
        .iter()
        .map(|e| {
            let values: Vec<_> = e
                .values
                .iter()
                .map(|v| context! { name => format!("{}{}", e.name, v.name), value => v.value })
                .collect();
            context! { type => format!("TAimis{}", e.name), doc => &e.doc, values }
        })
        .collect();
    let records: Vec<_> = spec
        .structs
        .iter()
        .map(|s| {
            let fields: Vec<_> = s
                .fields
                .iter()
                .map(|f| match f.ty {
                    // Read as the platform's text (`yyyy-MM-dd HH:mm:ss`): a date the
                    // platform wrote another way is kept, not lost to a failed parse.
                    Type::DateTime => context! {
                        name => names::pascal(&f.name), wire => &f.name,
                        ty => "UTF8String", kind => "string"
                    },
                    _ => field(f),
                })
                .collect();
            context! { type => format!("TAimis{}", s.name), doc => &s.doc, fields }
        })
        .collect();
    let endpoints: Vec<_> = spec
        .endpoints
        .iter()
        .map(|e| {
            let (list, item) = match &e.response {
                Type::List(item) => (true, item.as_ref()),
                other => (false, other),
            };
            let Type::Struct(item) = item else {
                panic!(
                    "xtask/src/bindings/pascal.rs: {} answers neither a struct nor a list of them",
                    e.name
                )
            };
            let item_type = format!("TAimis{item}");
            let returns = if list {
                format!("{item_type}Array")
            } else {
                item_type.clone()
            };
            let fields: Vec<_> = e.request.iter().map(field).collect();
            context! {
                name => &e.name,
                func => format!("Aimis{}", names::pascal(&e.name)),
                doc => format!("{}: {}", e.title, e.doc),
                request_type => format!("TAimis{}Request", names::pascal(&e.name)),
                fields,
                list,
                item_type,
                returns,
            }
        })
        .collect();
    context! { enums, records, endpoints }
}
