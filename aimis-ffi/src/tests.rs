//! Boundary rules checked from Rust; the C suite in `tests/` checks the same through the
//! real ABI, against the simulator.

use std::ffi::{CStr, c_char};
use std::ptr;

use crate::boundary::guard;
use crate::result::{Failure, aimis_result};
use crate::*;

const TOKEN: &CStr = c"0123456789abcdef0123456789abcdef";

fn last_error() -> String {
    // SAFETY: libaimis returns a NUL-terminated string valid until the next failure.
    unsafe { CStr::from_ptr(aimis_last_error_message()) }
        .to_str()
        .unwrap()
        .to_owned()
}

#[test]
fn a_panic_becomes_aimis_internal_and_never_unwinds_into_the_caller() {
    let result = guard("aimis_test_export", || panic!("boom with 13800138000"));
    assert_eq!(result, aimis_result::AIMIS_INTERNAL);
    let message = last_error();
    assert!(message.contains("aimis_test_export"), "{message}");
    assert!(
        !message.contains("13800138000"),
        "the panic payload is not passed on: {message}"
    );
    assert_eq!(aimis_last_api_code(), 0);
}

#[test]
fn a_failure_sets_the_thread_local_error_and_success_keeps_it() {
    let failed = guard("f", || {
        Err(Failure {
            code: aimis_result::AIMIS_API,
            message: "AIMIS error 10003".into(),
            api_code: 10003,
        })
    });
    assert_eq!(failed, aimis_result::AIMIS_API);
    assert_eq!(guard("g", || Ok(())), aimis_result::AIMIS_OK);
    assert_eq!(last_error(), "AIMIS error 10003");
    assert_eq!(aimis_last_api_code(), 10003);
    // Another thread has its own.
    std::thread::spawn(|| {
        assert_eq!(last_error(), "");
        assert_eq!(aimis_last_api_code(), 0);
    })
    .join()
    .unwrap();
}

#[test]
fn out_parameters_are_untouched_on_failure() {
    let sentinel = 0x5a5a as *mut c_char;
    let mut hex = sentinel;
    let short = c"too-short";
    // SAFETY: valid C strings and a valid out-pointer.
    let result = unsafe { aimis_encrypt_field(short.as_ptr(), c"hello".as_ptr(), &mut hex) };
    assert_eq!(result, aimis_result::AIMIS_CONFIG);
    assert_eq!(hex, sentinel);
    assert!(last_error().contains("32 bytes"), "{}", last_error());
    assert!(
        !last_error().contains("too-short"),
        "the token is never echoed: {}",
        last_error()
    );
}

#[test]
fn encrypts_the_known_answer_and_frees_it() {
    let mut hex = ptr::null_mut();
    // SAFETY: valid C strings and a valid out-pointer; the result is freed once.
    unsafe {
        assert_eq!(
            aimis_encrypt_field(TOKEN.as_ptr(), c"hello".as_ptr(), &mut hex),
            aimis_result::AIMIS_OK
        );
        assert_eq!(
            CStr::from_ptr(hex).to_str().unwrap(),
            "a59c096412eecb79830021104f861307"
        );
        aimis_string_free(hex);
    }
}

#[test]
fn null_and_non_utf8_arguments_are_errors() {
    let mut out = ptr::null_mut();
    // SAFETY: NULL and invalid UTF-8 are what is being tested; all pointers are valid or NULL.
    unsafe {
        assert_eq!(
            aimis_encrypt_field(ptr::null(), c"x".as_ptr(), &mut out),
            aimis_result::AIMIS_NULL_ARGUMENT
        );
        assert_eq!(last_error(), "argument `token` is NULL");
        assert_eq!(
            aimis_encrypt_field(TOKEN.as_ptr(), c"x".as_ptr(), ptr::null_mut()),
            aimis_result::AIMIS_NULL_ARGUMENT
        );
        assert_eq!(last_error(), "argument `hex` is NULL");
        let bad = c"ab\xffcd";
        assert_eq!(
            aimis_encrypt_field(TOKEN.as_ptr(), bad.as_ptr(), &mut out),
            aimis_result::AIMIS_INVALID_UTF8
        );
        assert_eq!(
            last_error(),
            "argument `plaintext` is not valid UTF-8 (bad byte at offset 2)"
        );
    }
    assert!(out.is_null());
}

#[test]
fn a_plaintext_with_a_nul_byte_is_refused_rather_than_cut_short() {
    let hex = core_aimis::encrypt_field(TOKEN.to_str().unwrap(), "138\u{0}00138000").unwrap();
    let hex = std::ffi::CString::new(hex).unwrap();
    let sentinel = 0x5a5a as *mut c_char;
    let mut plaintext = sentinel;
    // SAFETY: valid C strings and a valid out-pointer.
    let result = unsafe { aimis_decrypt_field(TOKEN.as_ptr(), hex.as_ptr(), &mut plaintext) };
    assert_eq!(result, aimis_result::AIMIS_DECODE);
    assert_eq!(plaintext, sentinel);
    assert_eq!(
        last_error(),
        "the plaintext contains a NUL byte and cannot be a C string"
    );
}

#[test]
fn result_codes_are_numbered_as_published_and_named() {
    for (number, code) in aimis_result::ALL.into_iter().enumerate() {
        assert_eq!(
            code as usize, number,
            "codes are contiguous and never renumbered"
        );
        // SAFETY: aimis_result_name returns a static NUL-terminated string.
        let name = unsafe { CStr::from_ptr(aimis_result_name(code as i32)) }
            .to_str()
            .unwrap();
        assert_eq!(format!("{code:?}"), name);
    }
    // SAFETY: as above.
    let unknown = unsafe { CStr::from_ptr(aimis_result_name(1000)) };
    assert_eq!(unknown, c"AIMIS_UNKNOWN_RESULT");
}

#[test]
fn the_committed_header_carries_this_crates_version() {
    let header = include_str!("../include/aimis.h");
    let major = env!("CARGO_PKG_VERSION_MAJOR");
    let minor = env!("CARGO_PKG_VERSION_MINOR");
    let patch = env!("CARGO_PKG_VERSION_PATCH");
    let version = env!("CARGO_PKG_VERSION");
    for line in [
        format!("#define AIMIS_VERSION_MAJOR {major}"),
        format!("#define AIMIS_VERSION_MINOR {minor}"),
        format!("#define AIMIS_VERSION_PATCH {patch}"),
        format!("#define AIMIS_VERSION_STRING \"{version}\""),
    ] {
        assert!(
            header.lines().any(|l| l == line),
            "aimis.h lacks `{line}`: run `cargo run -p xtask -- generate`"
        );
    }
    // SAFETY: a static NUL-terminated string.
    assert_eq!(
        unsafe { CStr::from_ptr(aimis_version()) }.to_str().unwrap(),
        version
    );
}
