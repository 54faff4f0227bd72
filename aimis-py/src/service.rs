//! The registry as plain data (`aimis._native.service()`), with the Python names chosen
//! by the spec crate's name rules, as xtask's generator chooses them: the tests compare
//! the generated package with it.

use aimis::registry::{EnumDef, FieldDef, StructDef, TypeRef};
use aimis_spec::names;
use serde_json::{Value, json};

/// `aimis::SERVICE`, described.
pub fn describe() -> Value {
    let service = &aimis::SERVICE;
    json!({
        "name": service.name,
        "doc": service.doc,
        "default_base_url": service.default_base_url(),
        "max_skew_seconds": service.auth.max_skew_seconds,
        "enums": service.enums.iter().map(|e| enumeration(e)).collect::<Vec<_>>(),
        "structs": service.structs.iter().map(|s| structure(s)).collect::<Vec<_>>(),
        "endpoints": service.endpoints.iter().map(|e| json!({
            "name": e.name,
            "method_name": names::snake(e.name),
            "title": e.title,
            "doc": e.doc,
            "method": e.method,
            "path": e.path,
            "request": fields(e.request),
            "response": type_ref(&e.response),
        })).collect::<Vec<_>>(),
        "callbacks": service.callbacks.iter().map(|c| json!({
            "name": c.name,
            "class_name": callback_class(c.name),
            "title": c.title,
            "doc": c.doc,
            "fields": fields(c.fields),
        })).collect::<Vec<_>>(),
    })
}

/// The class of a callback's payload: `studyStatus` -> `StudyStatusCallback` (the bare
/// name can be an enum's, as `StudyStatus` is).
pub fn callback_class(name: &str) -> String {
    format!("{}Callback", names::pascal(name))
}

fn enumeration(def: &EnumDef) -> Value {
    json!({
        "name": def.name,
        "doc": def.doc,
        "values": def.values.iter().map(|v| json!({
            "name": names::shouty(v.name),
            "value": v.value,
            "doc": v.doc,
        })).collect::<Vec<_>>(),
    })
}

fn structure(def: &StructDef) -> Value {
    json!({ "name": def.name, "doc": def.doc, "fields": fields(def.fields) })
}

fn fields(defs: &[FieldDef]) -> Value {
    defs.iter()
        .map(|f| {
            json!({
                "name": f.name,
                "snake": f.snake,
                "type": type_ref(&f.ty),
                "doc": f.doc,
                "required": f.required,
                "sensitive": f.sensitive || f.encrypted,
            })
        })
        .collect()
}

/// `{"kind": "string"}`, `{"kind": "enum", "name": "StudyType"}`,
/// `{"kind": "list", "item": {...}}`.
fn type_ref(ty: &TypeRef) -> Value {
    match ty {
        TypeRef::String => json!({ "kind": "string" }),
        TypeRef::Int => json!({ "kind": "int" }),
        TypeRef::DateTime => json!({ "kind": "datetime" }),
        TypeRef::Enum(e) => json!({ "kind": "enum", "name": e.name }),
        TypeRef::Struct(s) => json!({ "kind": "struct", "name": s.name }),
        TypeRef::List(item) => json!({ "kind": "list", "item": type_ref(item) }),
    }
}
