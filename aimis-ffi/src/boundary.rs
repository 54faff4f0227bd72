//! The rules every export follows: panics are caught, NULL and non-UTF-8 arguments are
//! refused, out-parameters are written only on success, and a failure leaves its message
//! and API code in thread-local storage for `aimis_last_error_message`.

use std::cell::{Cell, RefCell};
use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::result::{Failure, aimis_result};

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
    static LAST_API_CODE: Cell<i64> = const { Cell::new(0) };
}

/// Runs an export's body: its failure, or a panic, becomes a result code and this
/// thread's last error; success leaves the last error as it was (like `errno`).
pub(crate) fn guard(
    function: &'static str,
    body: impl FnOnce() -> Result<(), Failure>,
) -> aimis_result {
    // Raw pointers are not UnwindSafe; after a panic nothing the body touched is used again.
    let failure = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return aimis_result::AIMIS_OK,
        Ok(Err(failure)) => failure,
        Err(_) => Failure::new(
            aimis_result::AIMIS_INTERNAL,
            format!("internal error in {function} (a bug in libaimis; please report it)"),
        ),
    };
    record(&failure);
    failure.code
}

/// Runs an export that cannot report failure (a `free`, a getter); a panic is swallowed
/// and `fallback` returned.
pub(crate) fn guard_infallible<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

fn record(failure: &Failure) {
    let message = CString::new(failure.message.replace('\0', "")).unwrap_or_default();
    // try_with: during thread teardown the slots may be gone; the code still says enough.
    let _ = LAST_ERROR.try_with(|slot| *slot.borrow_mut() = message);
    let _ = LAST_API_CODE.try_with(|slot| slot.set(failure.api_code));
}

/// This thread's last failure message; the pointer stays valid until the next failure
/// on this thread.
pub(crate) fn last_error_message() -> *const c_char {
    LAST_ERROR
        .try_with(|slot| slot.borrow().as_ptr())
        .unwrap_or(c"".as_ptr())
}

pub(crate) fn last_api_code() -> i64 {
    LAST_API_CODE.try_with(Cell::get).unwrap_or(0)
}

/// A NUL-terminated UTF-8 string argument.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that outlives `'a`.
pub(crate) unsafe fn arg_str<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, Failure> {
    if ptr.is_null() {
        return Err(null_argument(name));
    }
    // SAFETY: non-NULL and NUL-terminated, as the caller promises.
    let bytes = unsafe { CStr::from_ptr(ptr) };
    bytes.to_str().map_err(|e| {
        Failure::new(
            aimis_result::AIMIS_INVALID_UTF8,
            format!(
                "argument `{name}` is not valid UTF-8 (bad byte at offset {})",
                e.valid_up_to()
            ),
        )
    })
}

/// Like [`arg_str`], but NULL means "not given".
///
/// # Safety
/// As for [`arg_str`].
pub(crate) unsafe fn arg_opt_str<'a>(
    ptr: *const c_char,
    name: &str,
) -> Result<Option<&'a str>, Failure> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: forwarded from the caller.
    unsafe { arg_str(ptr, name) }.map(Some)
}

/// A shared reference to a handle argument.
///
/// # Safety
/// `ptr` is NULL or a live handle of this type from libaimis.
pub(crate) unsafe fn arg_ref<'a, T>(ptr: *const T, name: &str) -> Result<&'a T, Failure> {
    // SAFETY: the caller promises a live handle or NULL.
    unsafe { ptr.as_ref() }.ok_or_else(|| null_argument(name))
}

/// An exclusive reference to a handle argument.
///
/// # Safety
/// `ptr` is NULL or a live handle of this type from libaimis, used by no other thread.
pub(crate) unsafe fn arg_mut<'a, T>(ptr: *mut T, name: &str) -> Result<&'a mut T, Failure> {
    // SAFETY: the caller promises a live, unshared handle or NULL.
    unsafe { ptr.as_mut() }.ok_or_else(|| null_argument(name))
}

/// An out-parameter, checked for NULL before any work is done; written with [`Out::set`]
/// only once everything else has succeeded.
pub(crate) struct Out<T>(*mut T);

impl<T> Out<T> {
    pub(crate) fn new(ptr: *mut T, name: &str) -> Result<Self, Failure> {
        if ptr.is_null() {
            Err(null_argument(name))
        } else {
            Ok(Out(ptr))
        }
    }

    /// # Safety
    /// The pointer given to [`Out::new`] is valid for a write of `T`.
    pub(crate) unsafe fn set(self, value: T) {
        // SAFETY: non-NULL (checked in `new`) and writable, as the caller promises.
        unsafe { self.0.write(value) }
    }
}

impl Out<*mut c_char> {
    /// Hands a string to the caller, who frees it with `aimis_string_free`.
    ///
    /// # Safety
    /// As for [`Out::set`].
    pub(crate) unsafe fn set_string(self, value: String, what: &str) -> Result<(), Failure> {
        let value = CString::new(value).map_err(|_| {
            Failure::new(
                aimis_result::AIMIS_DECODE,
                format!("{what} contains a NUL byte and cannot be a C string"),
            )
        })?;
        // SAFETY: forwarded from the caller.
        unsafe { self.set(value.into_raw()) };
        Ok(())
    }
}

fn null_argument(name: &str) -> Failure {
    Failure::new(
        aimis_result::AIMIS_NULL_ARGUMENT,
        format!("argument `{name}` is NULL"),
    )
}
