//! The rules every export follows: panics are caught, NULL and non-UTF-8 arguments are
//! refused, out-parameters are written only on success, and a failure leaves its message
//! and API code in thread-local storage for `aimis_last_error_message`, in the text
//! encoding of the call that failed.

use std::cell::{Cell, RefCell};
use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::result::{Failure, aimis_result};
use crate::text::{Text, TextEncoding};

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
    static LAST_API_CODE: Cell<i64> = const { Cell::new(0) };
    /// The text encoding of the export running on this thread, for its error message.
    static CALL_ENCODING: Cell<TextEncoding> = const { Cell::new(TextEncoding::Utf8) };
}

/// Declares the text encoding of the running export's caller: a failure from here on
/// leaves its message in that encoding. Every export starts in UTF-8.
pub(crate) fn set_call_encoding(encoding: TextEncoding) {
    let _ = CALL_ENCODING.try_with(|slot| slot.set(encoding));
}

/// Runs an export's body: its failure, or a panic, becomes a result code and this
/// thread's last error; success leaves the last error as it was (like `errno`).
pub(crate) fn guard(
    function: &'static str,
    body: impl FnOnce() -> Result<(), Failure>,
) -> aimis_result {
    set_call_encoding(TextEncoding::Utf8);
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
    let encoding = CALL_ENCODING.try_with(Cell::get).unwrap_or_default();
    let message =
        CString::from_vec_with_nul(encoding.encode_message(&failure.message)).unwrap_or_default();
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

/// This thread's last failure message with its NUL, copied.
pub(crate) fn last_error_bytes() -> Vec<u8> {
    LAST_ERROR
        .try_with(|slot| slot.borrow().as_bytes_with_nul().to_vec())
        .unwrap_or_else(|_| vec![0])
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

/// A NUL-terminated string argument in the caller's text encoding, as UTF-8.
///
/// # Safety
/// As for [`arg_str`].
pub(crate) unsafe fn arg_text<'a>(
    ptr: *const c_char,
    name: &str,
    encoding: TextEncoding,
) -> Result<Text<'a>, Failure> {
    if ptr.is_null() {
        return Err(null_argument(name));
    }
    // SAFETY: non-NULL and NUL-terminated, as the caller promises.
    encoding.decode(unsafe { CStr::from_ptr(ptr) }, name)
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

/// Where an export's string result goes: a new string for the caller to free (`char **`),
/// or the caller's own buffer (`char *buffer, size_t buffer_len, size_t *needed`, the
/// `_into` functions). Checked for NULL before any work is done.
pub(crate) enum Dest {
    String(Out<*mut c_char>),
    Buffer {
        buffer: *mut c_char,
        buffer_len: usize,
        needed: Out<usize>,
    },
}

impl Dest {
    pub(crate) fn string(ptr: *mut *mut c_char, name: &str) -> Result<Self, Failure> {
        Out::new(ptr, name).map(Dest::String)
    }

    /// A caller's buffer; NULL is allowed with a length of 0 (to ask for the size).
    pub(crate) fn buffer(
        buffer: *mut c_char,
        buffer_len: usize,
        needed: *mut usize,
    ) -> Result<Self, Failure> {
        let needed = Out::new(needed, "needed")?;
        if buffer.is_null() && buffer_len > 0 {
            return Err(null_argument("buffer"));
        }
        Ok(Dest::Buffer {
            buffer,
            buffer_len,
            needed,
        })
    }

    /// Hands `text` to the caller in `encoding`, with its NUL. A buffer too small for it
    /// gets nothing: only `*needed` is written, and the result is
    /// `AIMIS_BUFFER_TOO_SMALL`. The bytes made on the way are wiped.
    ///
    /// # Safety
    /// The pointers given to [`Dest::string`] or [`Dest::buffer`] are valid for writes
    /// (of `buffer_len` bytes for the buffer).
    pub(crate) unsafe fn deliver(
        self,
        text: &str,
        encoding: TextEncoding,
        what: &str,
    ) -> Result<(), Failure> {
        let bytes = encoding.encode_with_nul(text, what)?;
        match self {
            Dest::String(out) => {
                // An exact-size copy, so that CString does not reallocate (which would
                // free a copy unwiped); `bytes` is wiped when dropped.
                let mut exact = Vec::with_capacity(bytes.len());
                exact.extend_from_slice(&bytes);
                let owned = CString::from_vec_with_nul(exact)
                    .map_err(|_| Failure::new(aimis_result::AIMIS_INTERNAL, "NUL in text"))?;
                // SAFETY: forwarded from the caller.
                unsafe { out.set(owned.into_raw()) };
            }
            Dest::Buffer {
                buffer,
                buffer_len,
                needed,
            } => {
                let len = bytes.len();
                if len > buffer_len {
                    // SAFETY: forwarded from the caller.
                    unsafe { needed.set(len) };
                    return Err(Failure::new(
                        aimis_result::AIMIS_BUFFER_TOO_SMALL,
                        format!(
                            "{what} needs a buffer of {len} bytes (its NUL included); \
                             the buffer has {buffer_len}"
                        ),
                    ));
                }
                // SAFETY: the buffer holds buffer_len >= len bytes, as the caller
                // promises; our bytes cannot overlap the caller's buffer.
                unsafe {
                    std::ptr::copy_nonoverlapping(bytes.as_ptr(), buffer.cast::<u8>(), len);
                    needed.set(len);
                }
            }
        }
        Ok(())
    }
}

fn null_argument(name: &str) -> Failure {
    Failure::new(
        aimis_result::AIMIS_NULL_ARGUMENT,
        format!("argument `{name}` is NULL"),
    )
}
