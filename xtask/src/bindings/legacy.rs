//! The declarations that Windows HIS programs paste in: a PowerBuilder non-visual object
//! (`bindings/powerbuilder/n_aimis.sru`) and a VB6 module (`bindings/vb6/Aimis.bas`).
//!
//! Both languages call `stdcall` exports of the x86 `aimis.dll`, pass strings in the
//! system code page (`;ansi` in PowerBuilder, `ByVal String` in VB6) and cannot take a
//! string pointer that the DLL returns. So they get every function whose types they can
//! express: strings in, the `_into` caller buffers out, handles as 32-bit integers. The
//! functions that return or hand over a C string (`aimis_version`, the `char **` ones)
//! and the string arrays are left out; each has an `_into` or plainer twin.

use minijinja::context;
use serde::Serialize;

use super::template::{crlf, render};
use super::{Api, CType, Func};

pub const POWERBUILDER_FILE: &str = "bindings/powerbuilder/n_aimis.sru";
pub const VB6_FILE: &str = "bindings/vb6/Aimis.bas";

#[derive(Serialize)]
struct Param {
    name: String,
    ty: String,
    /// VB6 only: `ByVal` or `ByRef`.
    pass: &'static str,
}

#[derive(Serialize)]
struct Decl {
    name: String,
    /// `None` for a procedure (`SUBROUTINE`, `Sub`).
    ret: Option<String>,
    params: Vec<Param>,
    doc: Vec<String>,
}

#[derive(Serialize)]
struct Constant {
    name: String,
    value: i64,
}

/// The functions both languages can call (`aimis_string_free` is for the strings they
/// never get).
fn callable(f: &Func) -> bool {
    if f.name == "aimis_string_free" {
        return false;
    }
    let plain = |ty: &CType| !matches!(ty, CType::StrOut | CType::StrArray | CType::StaticStr);
    plain(&f.ret) && f.args.iter().all(|a| plain(&a.ty))
}

fn constants(api: &Api) -> Vec<Constant> {
    api.enums
        .iter()
        .flat_map(|e| &e.variants)
        .map(|v| Constant {
            name: v.name.clone(),
            value: v.value,
        })
        .collect()
}

/// PowerBuilder's type for a C type (32-bit PowerBuilder; `ref` for pointers it fills).
fn powerbuilder_type(ty: &CType) -> Option<&'static str> {
    Some(match ty {
        CType::Void => return None,
        CType::Str => "string",
        CType::Buffer => "ref string",
        CType::SizeOut | CType::HandleOut(_) => "ref ulong",
        CType::Handle(_) | CType::Size | CType::U32 => "ulong",
        CType::U64 | CType::I64 => "longlong",
        CType::I32 | CType::Enum(_) => "long",
        CType::F64 => "double",
        CType::Bool => "byte",
        CType::StrOut | CType::StrArray | CType::StaticStr => unreachable!("not callable"),
    })
}

/// VB6's type and passing for a C type. VB6 has no 64-bit integer; `Currency` is one
/// scaled by 10,000, so 5000 ms goes in as `0.5@` (the module's notes say so).
fn vb6_type(ty: &CType) -> Option<(&'static str, &'static str)> {
    Some(match ty {
        CType::Void => return None,
        CType::Str | CType::Buffer => ("ByVal", "String"),
        CType::SizeOut | CType::HandleOut(_) => ("ByRef", "Long"),
        CType::Handle(_) | CType::Size | CType::U32 | CType::I32 | CType::Enum(_) => {
            ("ByVal", "Long")
        }
        CType::U64 | CType::I64 => ("ByVal", "Currency"),
        CType::F64 => ("ByVal", "Double"),
        CType::Bool => ("ByVal", "Byte"),
        CType::StrOut | CType::StrArray | CType::StaticStr => unreachable!("not callable"),
    })
}

/// `app_id` -> `a_app_id`: the prefix keeps clear of PowerBuilder's reserved words
/// (the header names arguments `out`).
fn powerbuilder_name(name: &str) -> String {
    format!("a_{name}")
}

/// `header_app_id` -> `headerAppId`; VB6 keywords the header might use get a suffix.
fn vb6_name(name: &str) -> String {
    let camel = super::camel_snake(name);
    let mut chars = camel.chars();
    let lower = chars
        .next()
        .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default();
    match lower.as_str() {
        "out" | "len" | "name" | "error" | "type" | "string" | "input" | "output" | "open"
        | "close" | "get" | "set" | "let" | "property" | "end" | "to" | "step" | "is" => {
            format!("{lower}Arg")
        }
        _ => lower,
    }
}

fn decls(
    api: &Api,
    ty: impl Fn(&CType) -> Option<(&'static str, &'static str)>,
    name: impl Fn(&str) -> String,
) -> Vec<Decl> {
    api.functions
        .iter()
        .filter(|f| callable(f))
        .map(|f| Decl {
            name: f.name.clone(),
            ret: ty(&f.ret).map(|(_, t)| t.to_owned()),
            params: f
                .args
                .iter()
                .map(|a| {
                    let (pass, t) = ty(&a.ty).expect("arguments are never void");
                    Param {
                        name: name(&a.name),
                        ty: t.to_owned(),
                        pass,
                    }
                })
                .collect(),
            doc: f.doc.clone(),
        })
        .collect()
}

pub fn render_powerbuilder(api: &Api) -> String {
    let functions = decls(
        api,
        |ty| powerbuilder_type(ty).map(|t| ("", t)),
        powerbuilder_name,
    );
    crlf(&render(
        "powerbuilder.sru",
        include_str!("../../templates/powerbuilder.sru.j2"),
        context! { version => &api.version, functions, constants => constants(api) },
    ))
}

pub fn render_vb6(api: &Api) -> String {
    let functions = decls(api, vb6_type, vb6_name);
    crlf(&render(
        "vb6.bas",
        include_str!("../../templates/vb6.bas.j2"),
        context! { version => &api.version, functions, constants => constants(api) },
    ))
}
