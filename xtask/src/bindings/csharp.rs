//! `bindings/csharp/Aimis.cs`: P/Invoke declarations (Winapi: stdcall on x86 Windows;
//! strings as explicit UTF-8 byte arrays), SafeHandles for the handles, and `AimisClient : IDisposable`. Laid out
//! by `xtask/templates/csharp.cs.j2`.

use aimis_spec::{Field, Spec, Type, names};
use minijinja::context;

use super::template;
use super::{Api, CType, Func, camel_snake, comment, escape_markup, setters};

pub const FILE: &str = "bindings/csharp/Aimis.cs";

fn handle_class(handle: &str) -> String {
    format!("{}Handle", camel_snake(handle))
}

fn enum_type(name: &str) -> String {
    camel_snake(name)
}

/// The P/Invoke type of an argument or return value.
fn native_type(ty: &CType, func: &Func) -> String {
    match ty {
        CType::Void => "void".into(),
        CType::Str => "byte[]".into(),
        CType::StaticStr => "IntPtr".into(),
        CType::StrOut => "out IntPtr".into(),
        // Each element a NUL-terminated string the caller allocated (Marshal.AllocHGlobal).
        CType::StrArray => "IntPtr[]".into(),
        CType::Buffer | CType::Handle(_) if func.is_free() => "IntPtr".into(),
        CType::Buffer => "byte[]".into(),
        CType::SizeOut => "out UIntPtr".into(),
        CType::Handle(h) => handle_class(h),
        CType::HandleOut(h) => format!("out {}", handle_class(h)),
        CType::Size => "UIntPtr".into(),
        CType::U64 => "ulong".into(),
        CType::U32 => "uint".into(),
        CType::I64 => "long".into(),
        CType::I32 => "int".into(),
        CType::F64 => "double".into(),
        CType::Bool => "[MarshalAs(UnmanagedType.I1)] bool".into(),
        CType::Enum(name) => enum_type(name),
    }
}

/// The idiomatic type of a setter argument, and how it is passed on (a string is
/// required: null is an ArgumentNullException naming it).
fn wrapper_arg(ty: &CType, name: &str) -> (String, String) {
    match ty {
        CType::Str => (
            "string".into(),
            format!(
                "Utf8.Required({name}, \"{}\")",
                name.trim_start_matches('@')
            ),
        ),
        CType::Bool => ("bool".into(), name.into()),
        other => (native_type(other, &NO_FUNC), name.into()),
    }
}

const NO_FUNC: Func = Func {
    name: String::new(),
    ret: CType::Void,
    args: Vec::new(),
    doc: Vec::new(),
};

/// The `/// <summary>` block of doc lines, without its last newline (the template's line
/// gives it).
fn xml_doc(lines: &[String], indent: &str) -> String {
    let escaped: Vec<String> = lines.iter().map(|l| escape_markup(l)).collect();
    format!(
        "{indent}/// <summary>\n{}{indent}/// </summary>",
        comment(&escaped, &format!("{indent}/// "))
    )
}

pub fn render(api: &Api) -> String {
    let enums: Vec<_> = api
        .enums
        .iter()
        .map(|e| {
            let variants: Vec<_> = e
                .variants
                .iter()
                .map(|v| {
                    context! {
                        summary => xml_doc(&v.doc, "        "),
                        name => e.short_name(v),
                        value => v.value,
                    }
                })
                .collect();
            context! { summary => xml_doc(&e.doc, "    "), name => enum_type(&e.name), variants }
        })
        .collect();
    let handles: Vec<_> = api
        .handles
        .iter()
        .map(|h| context! { c_name => h, class => handle_class(h) })
        .collect();
    let functions: Vec<_> = api
        .functions
        .iter()
        .map(|f| {
            let params: Vec<String> = f
                .args
                .iter()
                .map(|a| format!("{} @{}", native_type(&a.ty, f), a.name))
                .collect();
            let ret = native_type(&f.ret, f);
            context! {
                summary => xml_doc(&f.doc, "        "),
                name => &f.name,
                ret => ret.trim_start_matches("[MarshalAs(UnmanagedType.I1)] "),
                returns_bool => f.ret == CType::Bool,
                params => params.join(", "),
            }
        })
        .collect();
    let setters: Vec<_> = setters(api, "aimis_options")
        .into_iter()
        .map(|(method, f)| {
            let mut params = Vec::new();
            let mut pass = vec!["Handle".to_owned()];
            for a in &f.args[1..] {
                let (ty, expr) = wrapper_arg(&a.ty, &format!("@{}", a.name));
                params.push(format!("{ty} @{}", a.name));
                pass.push(expr);
            }
            context! {
                summary => xml_doc(&f.doc, "        "),
                method,
                function => &f.name,
                params => params.join(", "),
                pass => pass.join(", "),
            }
        })
        .collect();
    let endpoints: Vec<_> = api
        .endpoints
        .iter()
        .map(|e| context! { summary => xml_doc(&e.doc, "        "), method => &e.method, name => e.name })
        .collect();
    template::render(
        "csharp.cs",
        include_str!("../../templates/csharp.cs.j2"),
        context! {
            version => &api.version,
            enums,
            handles,
            functions,
            result_count => api.result_enum().variants.len(),
            setters,
            endpoints,
            typed => typed(&api.spec),
            codecs => codecs(api),
        },
    )
}

/// The .NET encoding of each libaimis text encoding, for `TextCodec.For`; a new one in
/// aimis.h stops the generator until it is taught here.
fn codecs(api: &Api) -> Vec<minijinja::Value> {
    let encodings = api
        .enums
        .iter()
        .find(|e| e.name == "aimis_text_encoding")
        .expect("aimis.h has aimis_text_encoding");
    encodings
        .variants
        .iter()
        .map(|v| {
            let name = encodings.short_name(v);
            let (expr, why) = match name.as_str() {
                "Utf8" => ("new UTF8Encoding(false, true)", "UTF-8, strict"),
                "Gb18030" => ("Strict(54936)", "GB18030 (on Mono: the I18N.CJK assembly)"),
                "System" => (
                    "Strict(Encoding.Default.CodePage)",
                    "the system ANSI code page: Encoding.Default on .NET Framework (936 on Chinese Windows)",
                ),
                other => panic!("xtask/src/bindings/csharp.rs: no .NET encoding for AimisTextEncoding.{other}"),
            };
            context! { name, expr, why }
        })
        .collect()
}

/// The typed layer from the spec: enums, one request class per endpoint, one record
/// class per struct and callback, one typed method per endpoint.
fn typed(spec: &Spec) -> minijinja::Value {
    let summary = |text: &str, indent: &str| xml_doc(&[text.to_owned()], indent);
    let enums: Vec<_> = spec
        .enums
        .iter()
        .map(|e| {
            let values: Vec<_> = e
                .values
                .iter()
                .map(|v| context! { summary => summary(&v.doc, "        "), name => &v.name, value => v.value })
                .collect();
            context! { summary => summary(&e.doc, "    "), name => &e.name, values }
        })
        .collect();
    let field = |f: &Field| {
        let required = if f.required { " Required." } else { "" };
        context! {
            summary => summary(&format!("`{}`: {}{required}", f.name, f.doc), "        "),
            property => names::pascal(&f.name),
            wire => &f.name,
            ty => value_type(&f.ty),
            read => read(&f.ty, &format!("o, \"{}\"", f.name)),
        }
    };
    let records: Vec<_> = spec
        .structs
        .iter()
        .map(|s| (s.name.clone(), &s.doc, &s.fields))
        .chain(
            spec.callbacks
                .iter()
                .map(|c| (names::callback_type(&c.name), &c.doc, &c.fields)),
        )
        .map(|(class, doc, fields)| {
            let fields: Vec<_> = fields.iter().map(field).collect();
            context! { summary => summary(doc, "    "), class, fields }
        })
        .collect();
    let endpoints: Vec<_> = spec
        .endpoints
        .iter()
        .map(|e| {
            let fields: Vec<_> = e.request.iter().map(field).collect();
            // `data` is the parsed answer.
            let (returns, convert) = match &e.response {
                Type::List(item) => (
                    format!("List<{}>", value_type(item)),
                    format!("Json.ListOf(data, {})", converter(item)),
                ),
                other => (value_type(other), format!("{}(data)", converter(other))),
            };
            context! {
                summary => summary(&format!("{}: {}", e.title, e.doc), "        "),
                request_summary => summary(&format!("The request of {} ({}).", e.name, e.title), "    "),
                method => names::pascal(&e.name),
                name => &e.name,
                fields,
                returns,
                convert,
            }
        })
        .collect();
    // What an inbox hands out: the one callback the spec has (a second one would need the
    // item to say which it is).
    let callback = match spec.callbacks.as_slice() {
        [only] => names::callback_type(&only.name),
        _ => panic!(
            "xtask/src/bindings/csharp.rs: the inbox item assumes exactly one callback in the spec"
        ),
    };
    context! { enums, records, endpoints, callback }
}

/// The C# type of a spec type: nullable, since AIMIS leaves out what it does not have
/// (and a request's missing required field is libaimis's validation error, naming it).
fn value_type(ty: &Type) -> String {
    match ty {
        Type::String => "string".into(),
        Type::Int => "long?".into(),
        Type::DateTime => "DateTime?".into(),
        Type::Enum(name) => format!("{name}?"),
        Type::Struct(name) => name.clone(),
        Type::List(item) => format!("List<{}>", value_type(item)),
    }
}

/// A C# function from a parsed JSON value to the type.
fn converter(ty: &Type) -> String {
    match ty {
        Type::String => "Json.Text".into(),
        Type::Int => "Json.Long".into(),
        Type::DateTime => "Json.Date".into(),
        Type::Enum(name) => format!("Json.EnumOf<{name}>"),
        Type::Struct(name) => format!("{name}.FromJson"),
        Type::List(item) => format!("(v => Json.ListOf(v, {}))", converter(item)),
    }
}

/// Reads a field of the JSON object `o`.
fn read(ty: &Type, args: &str) -> String {
    match ty {
        Type::List(item) => format!("Json.ListOf(Json.Field({args}), {})", converter(item)),
        other => format!("{}(Json.Field({args}))", converter(other)),
    }
}
