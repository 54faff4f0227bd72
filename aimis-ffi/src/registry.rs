//! The endpoint list, as JSON, so that C programs can discover what `aimis_client_call`
//! accepts without a header change when the spec grows.

use std::ffi::c_char;

use core_aimis::SERVICE;
use core_aimis::registry::{FieldDef, TypeRef};
use serde_json::{Value, json};

use crate::boundary::{Dest, guard};
use crate::result::aimis_result;
use crate::text::TextEncoding;

fn field(field: &FieldDef) -> Value {
    let mut value = json!({
        "name": field.name,
        "type": field.ty.name(),
        "required": field.required,
        "encrypted": field.encrypted,
        "sensitive": field.sensitive,
        "doc": field.doc,
    });
    if let TypeRef::Enum(def) = field.ty {
        value["values"] = def
            .values
            .iter()
            .map(|v| json!({ "value": v.value, "name": v.name, "doc": v.doc }))
            .collect();
    }
    value
}

fn endpoints() -> Value {
    SERVICE
        .endpoints
        .iter()
        .map(|e| {
            json!({
                "name": e.name,
                "title": e.title,
                "doc": e.doc,
                "method": e.method,
                "path": e.path,
                "request": e.request.iter().map(field).collect::<Vec<_>>(),
                "response": e.response.name(),
            })
        })
        .collect()
}

/// The endpoints `aimis_client_call` accepts, as a JSON array of
/// `{"name", "title", "doc", "method", "path", "request": [{"name", "type", "required",
/// "encrypted", "sensitive", "doc", "values"?}], "response"}`, in the spec's order;
/// `values` lists `{"value", "name", "doc"}` for enum fields.
///
/// Ownership: on success `*out` receives a string the caller owns and frees with
/// `aimis_string_free`; on failure it is untouched.
///
/// # Safety
/// `out` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn aimis_endpoints_json(out: *mut *mut c_char) -> aimis_result {
    guard("aimis_endpoints_json", || {
        let out = Dest::string(out, "out")?;
        // SAFETY: the caller's promise.
        unsafe {
            out.deliver(
                &endpoints().to_string(),
                TextEncoding::Utf8,
                "the endpoint list",
            )
        }
    })
}
