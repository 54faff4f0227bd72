//! `bindings/java/aimis/Aimis.java`: one Java 8 source file holding the JNA interface
//! (`Aimis.AimisLibrary`), `Aimis.AimisClient implements AutoCloseable`, options, the
//! stateless functions and the exception hierarchy rooted in `Aimis.AimisException`. Laid
//! out by `xtask/templates/java.java.j2`.

use aimis_spec::{Field, Spec, Type, names};
use minijinja::context;

use super::template;
use super::{Api, CType, EXCEPTION_FAMILIES, Func, comment, escape_markup, setters};

pub const FILE: &str = "bindings/java/aimis/Aimis.java";

fn native_type(ty: &CType, func: &Func) -> &'static str {
    match ty {
        CType::Void => "void",
        CType::Str => "byte[]",
        CType::StaticStr => "Pointer",
        CType::StrOut | CType::HandleOut(_) => "PointerByReference",
        CType::Buffer if func.is_free() => "Pointer",
        CType::Buffer => "byte[]",
        CType::SizeOut => "SizeTByReference",
        // A `com.sun.jna.StringArray(values, "UTF-8")`.
        CType::Handle(_) | CType::StrArray => "Pointer",
        CType::Size => "SizeT",
        CType::U64 | CType::I64 => "long",
        CType::U32 | CType::I32 | CType::Enum(_) => "int",
        CType::F64 => "double",
        CType::Bool => "byte",
    }
}

/// `timeout_ms` -> `timeoutMs`; Java keywords get a trailing underscore.
fn java_name(name: &str) -> String {
    let camel = super::camel_snake(name);
    let mut chars = camel.chars();
    let lower = chars
        .next()
        .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default();
    match lower.as_str() {
        "out" | "default" | "class" | "new" | "char" | "int" | "long" | "package" => {
            format!("{lower}_")
        }
        _ => lower,
    }
}

fn javadoc(lines: &[String], indent: &str) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let escaped: Vec<String> = lines
        .iter()
        .map(|l| {
            escape_markup(l)
                .replace("*/", "*&#47;")
                .replace('@', "&#64;")
        })
        .collect();
    format!(
        "{indent}/**\n{}{indent} */",
        comment(&escaped, &format!("{indent} * "))
    )
}

pub fn render(api: &Api) -> String {
    let codes = api.result_enum();
    let enums: Vec<_> = api
        .enums
        .iter()
        .map(|e| {
            let variants: Vec<_> = e
                .variants
                .iter()
                .map(|v| {
                    context! {
                        doc => javadoc(&v.doc, "        "),
                        name => shouty(&e.short_name(v)),
                        value => v.value,
                    }
                })
                .collect();
            context! {
                doc => javadoc(&e.doc, "    "),
                class => super::camel_snake(e.name.trim_start_matches("aimis_")),
                variants,
            }
        })
        .collect();
    let functions: Vec<_> = api
        .functions
        .iter()
        .map(|f| {
            let params: Vec<String> = f
                .args
                .iter()
                .map(|a| format!("{} {}", native_type(&a.ty, f), java_name(&a.name)))
                .collect();
            context! {
                doc => javadoc(&f.doc, "        "),
                ret => native_type(&f.ret, f),
                name => &f.name,
                params => params.join(", "),
            }
        })
        .collect();
    let exceptions: Vec<_> = EXCEPTION_FAMILIES
        .iter()
        .map(|(class, doc, members)| {
            let codes: Vec<String> = members
                .iter()
                .filter_map(|m| codes.variants.iter().find(|v| v.name == *m))
                .map(|v| shouty(&codes.short_name(v)))
                .collect();
            context! { class, doc, codes }
        })
        .collect();
    let setters: Vec<_> = setters(api, "aimis_options")
        .into_iter()
        .map(|(method, f)| setter(&method, f))
        .collect();
    let endpoints: Vec<_> = api
        .endpoints
        .iter()
        .map(|e| context! { doc => javadoc(&e.doc, "        "), name => e.name })
        .collect();
    template::render(
        "java.java",
        include_str!("../../templates/java.java.j2"),
        context! {
            version => &api.version,
            enums,
            functions,
            exceptions,
            setters,
            endpoints,
            typed => typed(&api.spec),
            codecs => codecs(api),
        },
    )
}

/// The Java charset of each libaimis text encoding, for `Aimis.charset`; a new one in
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
            let name = shouty(&encodings.short_name(v));
            let (expr, why) = match name.as_str() {
                "UTF8" => ("StandardCharsets.UTF_8", "UTF-8"),
                "GB18030" => ("Charset.forName(\"GB18030\")", "GB18030"),
                "SYSTEM" => (
                    "Charset.forName(System.getProperty(\"sun.jnu.encoding\", Charset.defaultCharset().name()))",
                    "the system ANSI code page (sun.jnu.encoding: 936 on Chinese Windows)",
                ),
                other => panic!("xtask/src/bindings/java.rs: no Java charset for TextEncoding.{other}"),
            };
            context! { name, expr, why }
        })
        .collect()
}

/// The typed layer from the spec: enums, one request class per endpoint (fluent
/// setters), one record class per struct and callback (getters), one typed method per
/// endpoint.
fn typed(spec: &Spec) -> minijinja::Value {
    let doc = |text: &str, indent: &str| javadoc(&[text.to_owned()], indent);
    let enums: Vec<_> = spec
        .enums
        .iter()
        .map(|e| {
            let values: Vec<_> = e
                .values
                .iter()
                .map(|v| {
                    context! {
                        doc => doc(&v.doc, "        "),
                        name => names::shouty(&v.name),
                        value => v.value,
                    }
                })
                .collect();
            context! { doc => doc(&e.doc, "    "), name => &e.name, values }
        })
        .collect();
    let field = |f: &Field| {
        let required = if f.required { " Required." } else { "" };
        context! {
            doc => doc(&format!("{}: {}{required}", f.name, f.doc), "        "),
            name => &f.name,
            getter => format!("get{}", names::pascal(&f.name)),
            wire => &f.name,
            ty => value_type(&f.ty),
            read => read(&f.ty, &format!("Json.field(o, \"{}\")", f.name)),
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
        .map(|(class, text, fields)| {
            let fields: Vec<_> = fields.iter().map(field).collect();
            context! { doc => doc(text, "    "), class, fields }
        })
        .collect();
    let endpoints: Vec<_> = spec
        .endpoints
        .iter()
        .map(|e| {
            let fields: Vec<_> = e.request.iter().map(field).collect();
            context! {
                doc => doc(&format!("{}: {}", e.title, e.doc), "        "),
                request_doc => doc(&format!("The request of {} ({}).", e.name, e.title), "    "),
                name => &e.name,
                class => names::pascal(&e.name),
                fields,
                returns => value_type(&e.response),
                convert => read(&e.response, "data"),
            }
        })
        .collect();
    // What an inbox hands out: the one callback the spec has (a second one would need the
    // item to say which it is).
    let callback = match spec.callbacks.as_slice() {
        [only] => names::callback_type(&only.name),
        _ => panic!(
            "xtask/src/bindings/java.rs: the inbox item assumes exactly one callback in the spec"
        ),
    };
    context! { enums, records, endpoints, callback }
}

/// The Java type of a spec type: all nullable (AIMIS leaves out what it does not have).
fn value_type(ty: &Type) -> String {
    match ty {
        Type::String => "String".into(),
        Type::Int => "Long".into(),
        Type::DateTime => "LocalDateTime".into(),
        Type::Enum(name) | Type::Struct(name) => name.clone(),
        Type::List(item) => format!("List<{}>", value_type(item)),
    }
}

/// The expression reading `json` (a parsed value) as the type.
fn read(ty: &Type, json: &str) -> String {
    match ty {
        Type::String => format!("Json.text({json})"),
        Type::Int => format!("Json.integer({json})"),
        Type::DateTime => format!("Json.dateTime({json})"),
        Type::Enum(name) => format!("{name}.of({json})"),
        Type::Struct(name) => format!("{name}.fromJson({json})"),
        Type::List(item) => format!("Json.list({json}, v -> {})", read(item, "v")),
    }
}

/// An `Options` method over an `aimis_options_set_*` / `_add_*` function.
fn setter(method: &str, f: &Func) -> minijinja::Value {
    let mut params = Vec::new();
    let mut pass = vec!["handle()".to_owned()];
    for a in &f.args[1..] {
        let name = java_name(&a.name);
        let (ty, expr) = match &a.ty {
            // Required: null is an IllegalArgumentException naming it.
            CType::Str => ("String", format!("required({name}, \"{name}\")")),
            CType::Bool => ("boolean", format!("(byte) ({name} ? 1 : 0)")),
            CType::Size => ("long", format!("new SizeT({name})")),
            other => (native_type(other, f), name.clone()),
        };
        params.push(format!("{ty} {name}"));
        pass.push(expr);
    }
    let mut chars = method.chars();
    let method = chars
        .next()
        .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default();
    context! {
        doc => javadoc(&f.doc, "        "),
        method,
        function => &f.name,
        params => params.join(", "),
        pass => pass.join(", "),
    }
}

/// `BufferTooSmall` -> `BUFFER_TOO_SMALL`.
fn shouty(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}
