//! The endpoint list, as JSON, so that C programs can discover what `aimis_client_call`
//! accepts without a header change when the spec grows.

use std::ffi::c_char;

use core_aimis::SERVICE;

use crate::boundary::{Dest, guard};
use crate::result::aimis_result;
use crate::text::TextEncoding;

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
pub unsafe extern "system" fn aimis_endpoints_json(out: *mut *mut c_char) -> aimis_result {
    guard("aimis_endpoints_json", || {
        let out = Dest::string(out, "out")?;
        // SAFETY: the caller's promise.
        unsafe {
            out.deliver(
                &SERVICE.endpoints_json().to_string(),
                TextEncoding::Utf8,
                "the endpoint list",
            )
        }
    })
}
