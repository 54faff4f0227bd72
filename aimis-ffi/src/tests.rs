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
    assert_eq!(
        // SAFETY: a static NUL-terminated string.
        unsafe { CStr::from_ptr(aimis_version()) }.to_str().unwrap(),
        version
    );
}

// --- issue 9: the callback's body and headers, wiping -----------------------------

/// Headers signed now with the test credentials: (app id, timestamp, signature).
fn signed_now() -> (std::ffi::CString, std::ffi::CString, std::ffi::CString) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
        .to_string();
    let signature = core_aimis::sign("demo-app", TOKEN.to_str().unwrap(), &now).unwrap();
    (
        c"demo-app".to_owned(),
        std::ffi::CString::new(now).unwrap(),
        std::ffi::CString::new(signature).unwrap(),
    )
}

/// `aimis_callback_verify` with the test credentials and these header values; the
/// result, the JSON (if any) freed.
///
/// # Safety
/// `body` is NULL or valid for reads of `body_len` bytes, unless the test is that it
/// is not read.
unsafe fn verify_as_demo(
    headers: [&CStr; 3],
    body: *const c_char,
    body_len: usize,
) -> aimis_result {
    let mut json = ptr::null_mut();
    // SAFETY: valid C strings and out-pointer; the body as the caller promises.
    let result = unsafe {
        aimis_callback_verify(
            c"demo-app".as_ptr(),
            TOKEN.as_ptr(),
            headers[0].as_ptr(),
            headers[1].as_ptr(),
            headers[2].as_ptr(),
            body,
            body_len,
            &mut json,
        )
    };
    // SAFETY: NULL or a string from libaimis, freed once.
    unsafe { aimis_string_free(json) };
    result
}

#[test]
fn a_null_body_of_length_zero_is_an_empty_body() {
    let (app, ts, sig) = signed_now();
    let headers = [app.as_c_str(), ts.as_c_str(), sig.as_c_str()];
    // Authentic headers, empty body: a malformed callback, not a NULL argument.
    // SAFETY: a NULL body with length 0 is what is tested.
    let result = unsafe { verify_as_demo(headers, ptr::null(), 0) };
    assert_eq!(
        result,
        aimis_result::AIMIS_CALLBACK_MALFORMED,
        "{}",
        last_error()
    );
    // NULL with a length is still an argument error.
    // SAFETY: as above; the NULL body is refused before it is read.
    let result = unsafe { verify_as_demo(headers, ptr::null(), 5) };
    assert_eq!(result, aimis_result::AIMIS_NULL_ARGUMENT);
}

#[test]
fn a_body_len_above_ptrdiff_max_is_refused_before_a_slice_is_made() {
    let (app, ts, sig) = signed_now();
    let body = b"{}";
    for len in [isize::MAX as usize + 1, usize::MAX] {
        // SAFETY: the length is a lie the function must not act on; that is the test.
        let result = unsafe { verify_as_demo([&app, &ts, &sig], body.as_ptr().cast(), len) };
        assert_eq!(result, aimis_result::AIMIS_VALIDATION);
        assert_eq!(last_error(), "argument `body_len` exceeds PTRDIFF_MAX");
    }
}

#[test]
fn a_header_value_that_is_not_utf8_is_a_rejected_callback() {
    let (app, ts, sig) = signed_now();
    let bad = c"demo\xff-app";
    for (headers, name) in [
        ([bad, &ts, &sig], "appId"),
        ([&app, bad, &sig], "timestamp"),
        ([&app, &ts, bad], "signature"),
    ] {
        // SAFETY: a valid body of its length.
        let result = unsafe { verify_as_demo(headers, c"{}".as_ptr(), 2) };
        assert_eq!(result, aimis_result::AIMIS_CALLBACK_REJECTED, "{name}");
        assert!(last_error().contains(name), "{}", last_error());
    }
}

/// The test binary's allocator: the system's, which can check that one watched block
/// is all zeros when it is freed.
mod wipe_watch {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

    pub struct Watching;

    pub static WATCHED: AtomicUsize = AtomicUsize::new(0);
    /// 0: not freed yet, 1: freed wiped, 2: freed with data left in it.
    pub static VERDICT: AtomicU8 = AtomicU8::new(0);

    // SAFETY: forwards to System; only reads the block being freed.
    unsafe impl GlobalAlloc for Watching {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            // SAFETY: forwarded.
            unsafe { System.alloc(layout) }
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            if ptr as usize == WATCHED.load(Ordering::SeqCst) {
                // SAFETY: the block is live until System.dealloc below.
                let bytes = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
                let wiped = bytes.iter().all(|b| *b == 0);
                VERDICT.store(if wiped { 1 } else { 2 }, Ordering::SeqCst);
                WATCHED.store(0, Ordering::SeqCst);
            }
            // SAFETY: forwarded.
            unsafe { System.dealloc(ptr, layout) }
        }
    }
}

#[global_allocator]
static ALLOCATOR: wipe_watch::Watching = wipe_watch::Watching;

#[test]
fn aimis_string_free_wipes_the_string_before_freeing_it() {
    use std::sync::atomic::Ordering;
    let hex = core_aimis::encrypt_field(TOKEN.to_str().unwrap(), "13800138000").unwrap();
    let hex = std::ffi::CString::new(hex).unwrap();
    let mut plaintext = ptr::null_mut();
    // SAFETY: valid C strings and out-pointer; the result is freed once.
    unsafe {
        assert_eq!(
            aimis_decrypt_field(TOKEN.as_ptr(), hex.as_ptr(), &mut plaintext),
            aimis_result::AIMIS_OK
        );
        wipe_watch::VERDICT.store(0, Ordering::SeqCst);
        wipe_watch::WATCHED.store(plaintext as usize, Ordering::SeqCst);
        aimis_string_free(plaintext);
    }
    assert_eq!(
        wipe_watch::VERDICT.load(Ordering::SeqCst),
        1,
        "the decrypted phone number was freed without being wiped"
    );
}

// --- caller-owned buffers and GB18030 ------------------------------------------------

const UTF8: i32 = aimis_text_encoding::AIMIS_TEXT_ENCODING_UTF8 as i32;
const GB18030: i32 = aimis_text_encoding::AIMIS_TEXT_ENCODING_GB18030 as i32;

/// Text HIS data really holds: a rare name character outside GBK (U+4DAE, four bytes
/// in GB18030), one outside the BMP (U+20BB7), full-width punctuation.
const HIS_TEXT: &str = "王䶮、李𠮷（急诊），电话：13800138000";

fn gb18030(text: &str) -> Vec<u8> {
    let (bytes, _, errors) = encoding_rs::GB18030.encode(text);
    assert!(!errors);
    let mut bytes = bytes.into_owned();
    bytes.push(0);
    bytes
}

#[test]
fn into_functions_report_the_size_needed_and_write_nothing_else() {
    let mut needed = 0usize;
    let mut buffer = [0x5au8; 33];
    // SAFETY: valid C strings; the buffer holds the length given.
    unsafe {
        // The hex of "hello" is 32 characters: 33 bytes with the NUL.
        for len in [0, 1, 32] {
            assert_eq!(
                aimis_encrypt_field_into(
                    TOKEN.as_ptr(),
                    c"hello".as_ptr(),
                    UTF8,
                    buffer.as_mut_ptr().cast(),
                    len,
                    &mut needed
                ),
                aimis_result::AIMIS_BUFFER_TOO_SMALL
            );
            assert_eq!(needed, 33);
            assert!(buffer.iter().all(|b| *b == 0x5a), "nothing else written");
        }
        assert!(last_error().contains("33 bytes"), "{}", last_error());
        // Size query with a NULL buffer.
        assert_eq!(
            aimis_encrypt_field_into(
                TOKEN.as_ptr(),
                c"hello".as_ptr(),
                UTF8,
                ptr::null_mut(),
                0,
                &mut needed
            ),
            aimis_result::AIMIS_BUFFER_TOO_SMALL
        );
        assert_eq!(
            aimis_encrypt_field_into(
                TOKEN.as_ptr(),
                c"hello".as_ptr(),
                UTF8,
                buffer.as_mut_ptr().cast(),
                buffer.len(),
                &mut needed
            ),
            aimis_result::AIMIS_OK
        );
        assert_eq!(needed, 33);
        assert_eq!(&buffer[..32], b"a59c096412eecb79830021104f861307");
        assert_eq!(buffer[32], 0);
        // NULL needed, NULL buffer with a length.
        assert_eq!(
            aimis_encrypt_field_into(
                TOKEN.as_ptr(),
                c"hello".as_ptr(),
                UTF8,
                buffer.as_mut_ptr().cast(),
                33,
                ptr::null_mut()
            ),
            aimis_result::AIMIS_NULL_ARGUMENT
        );
        assert_eq!(
            aimis_encrypt_field_into(
                TOKEN.as_ptr(),
                c"hello".as_ptr(),
                UTF8,
                ptr::null_mut(),
                33,
                &mut needed
            ),
            aimis_result::AIMIS_NULL_ARGUMENT
        );
    }
}

#[test]
fn gb18030_text_round_trips_and_is_utf8_on_the_wire() {
    let plaintext = gb18030(HIS_TEXT);
    let utf8_hex = core_aimis::encrypt_field(TOKEN.to_str().unwrap(), HIS_TEXT).unwrap();
    let mut hex = ptr::null_mut();
    let mut needed = 0usize;
    let mut buffer = vec![0u8; 256];
    // SAFETY: NUL-terminated inputs, valid out-pointers and buffer lengths.
    unsafe {
        assert_eq!(
            aimis_encrypt_field_with_encoding(
                TOKEN.as_ptr(),
                plaintext.as_ptr().cast(),
                GB18030,
                &mut hex
            ),
            aimis_result::AIMIS_OK
        );
        // Encrypted as UTF-8: the same ciphertext as from UTF-8 text.
        assert_eq!(CStr::from_ptr(hex).to_str().unwrap(), utf8_hex);
        assert_eq!(
            aimis_decrypt_field_into(
                TOKEN.as_ptr(),
                hex,
                GB18030,
                buffer.as_mut_ptr().cast(),
                buffer.len(),
                &mut needed
            ),
            aimis_result::AIMIS_OK
        );
        assert_eq!(&buffer[..needed], plaintext.as_slice());
        aimis_string_free(hex);
        // The empty string.
        let mut empty = ptr::null_mut();
        assert_eq!(
            aimis_encrypt_field_with_encoding(TOKEN.as_ptr(), c"".as_ptr(), GB18030, &mut empty),
            aimis_result::AIMIS_OK
        );
        let mut back = ptr::null_mut();
        assert_eq!(
            aimis_decrypt_field_with_encoding(TOKEN.as_ptr(), empty, GB18030, &mut back),
            aimis_result::AIMIS_OK
        );
        assert_eq!(CStr::from_ptr(back).to_bytes(), b"");
        aimis_string_free(back);
        aimis_string_free(empty);
    }
}

#[test]
fn text_invalid_in_the_chosen_encoding_is_refused_not_replaced() {
    let mut hex = ptr::null_mut();
    // A lone lead byte, and a four-byte form beyond Unicode.
    for bad in [&b"ab\x81\0"[..], &b"\xfe\x39\xfe\x39\0"[..]] {
        // SAFETY: NUL-terminated input, valid out-pointer.
        let result = unsafe {
            aimis_encrypt_field_with_encoding(
                TOKEN.as_ptr(),
                bad.as_ptr().cast(),
                GB18030,
                &mut hex,
            )
        };
        assert_eq!(result, aimis_result::AIMIS_INVALID_TEXT);
        assert!(last_error().contains("GB18030"), "{}", last_error());
    }
    // GBK text is not UTF-8.
    let gbk = gb18030("李华");
    // SAFETY: as above.
    let result = unsafe {
        aimis_encrypt_field_with_encoding(TOKEN.as_ptr(), gbk.as_ptr().cast(), UTF8, &mut hex)
    };
    assert_eq!(result, aimis_result::AIMIS_INVALID_UTF8);
    // An encoding that does not exist.
    // SAFETY: as above.
    let result =
        unsafe { aimis_encrypt_field_with_encoding(TOKEN.as_ptr(), c"x".as_ptr(), 7, &mut hex) };
    assert_eq!(result, aimis_result::AIMIS_VALIDATION);
    assert!(hex.is_null());
}

#[test]
fn the_last_error_comes_in_the_callers_encoding_and_can_be_copied_out() {
    let failure = Failure::new(aimis_result::AIMIS_API, "AIMIS error 10003: 无数据");
    assert_eq!(
        guard("f", || {
            crate::boundary::set_call_encoding(crate::text::TextEncoding::Gb18030);
            Err(failure)
        }),
        aimis_result::AIMIS_API
    );
    // SAFETY: a NUL-terminated string owned by libaimis.
    let raw = unsafe { CStr::from_ptr(aimis_last_error_message()) }.to_bytes_with_nul();
    assert_eq!(raw, gb18030("AIMIS error 10003: 无数据").as_slice());
    let mut needed = 0usize;
    let mut small = [0u8; 4];
    // SAFETY: valid buffer and out-pointer.
    unsafe {
        assert_eq!(
            aimis_last_error_message_into(small.as_mut_ptr().cast(), 4, &mut needed),
            aimis_result::AIMIS_BUFFER_TOO_SMALL
        );
        assert_eq!(needed, raw.len());
        assert_eq!(small, [0; 4]);
        let mut buffer = vec![0u8; needed];
        assert_eq!(
            aimis_last_error_message_into(buffer.as_mut_ptr().cast(), needed, &mut needed),
            aimis_result::AIMIS_OK
        );
        assert_eq!(buffer, raw);
        // Its own failures leave the last error alone.
        assert_eq!(
            aimis_last_error_message_into(ptr::null_mut(), 0, ptr::null_mut()),
            aimis_result::AIMIS_NULL_ARGUMENT
        );
    }
    // SAFETY: as above.
    let again = unsafe { CStr::from_ptr(aimis_last_error_message()) }.to_bytes_with_nul();
    assert_eq!(again, raw);
}

// --- arbitrary bytes: a result code, never a crash or a hang ---------------------------

mod arbitrary {
    use std::ffi::CString;
    use std::ptr;

    use proptest::prelude::*;

    use crate::result::aimis_result;
    use crate::*;

    fn c(bytes: &[u8]) -> CString {
        CString::new(
            bytes
                .iter()
                .copied()
                .filter(|b| *b != 0)
                .collect::<Vec<_>>(),
        )
        .unwrap()
    }

    fn known(code: aimis_result) -> bool {
        aimis_result::ALL.contains(&code) && code != aimis_result::AIMIS_INTERNAL
    }

    fn bytes() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..64),
            "[ -~]{0,64}".prop_map(String::into_bytes),
            "\\PC{0,24}".prop_map(String::into_bytes),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn crypto_and_signing(token in bytes(), text in bytes(), enc in -1i32..3, len in 0usize..80) {
            let (token, text) = (c(&token), c(&text));
            let mut out = ptr::null_mut();
            let mut buffer = vec![0u8; len];
            let mut needed = 0usize;
            // SAFETY: NUL-terminated strings, valid out-pointers and buffer lengths.
            unsafe {
                for code in [
                    aimis_encrypt_field(token.as_ptr(), text.as_ptr(), &mut out),
                    aimis_decrypt_field(token.as_ptr(), text.as_ptr(), &mut out),
                    aimis_encrypt_field_with_encoding(token.as_ptr(), text.as_ptr(), enc, &mut out),
                    aimis_decrypt_field_with_encoding(token.as_ptr(), text.as_ptr(), enc, &mut out),
                    aimis_encrypt_field_into(token.as_ptr(), text.as_ptr(), enc, buffer.as_mut_ptr().cast(), len, &mut needed),
                    aimis_decrypt_field_into(token.as_ptr(), text.as_ptr(), enc, buffer.as_mut_ptr().cast(), len, &mut needed),
                    aimis_sign(text.as_ptr(), token.as_ptr(), text.as_ptr(), &mut out),
                ] {
                    prop_assert!(known(code), "{code:?}");
                    aimis_string_free(out);
                    out = ptr::null_mut();
                }
            }
        }

        #[test]
        fn callbacks(app in bytes(), ts in bytes(), sig in bytes(), body in bytes(), enc in -1i32..3, len in 0usize..300) {
            let (app, ts, sig) = (c(&app), c(&ts), c(&sig));
            let mut out = ptr::null_mut();
            let mut buffer = vec![0u8; len];
            let mut needed = 0usize;
            let token = c"0123456789abcdef0123456789abcdef";
            // Every header twice over, names and values swapped the second time.
            let names = [c"appId".as_ptr(), c"timestamp".as_ptr(), c"signature".as_ptr(), app.as_ptr(), ts.as_ptr(), sig.as_ptr()];
            let values = [app.as_ptr(), ts.as_ptr(), sig.as_ptr(), c"appId".as_ptr(), c"timestamp".as_ptr(), c"signature".as_ptr()];
            let mut verifier = ptr::null_mut();
            // SAFETY: NUL-terminated strings, a body of the length given, valid out-pointers.
            unsafe {
                prop_assert_eq!(aimis_verifier_new(c"demo-app".as_ptr(), token.as_ptr(), &mut verifier), aimis_result::AIMIS_OK);
                prop_assert_eq!(aimis_verifier_set_text_encoding(verifier, enc.clamp(0, 1)), aimis_result::AIMIS_OK);
                for code in [
                    aimis_callback_verify(app.as_ptr(), token.as_ptr(), app.as_ptr(), ts.as_ptr(), sig.as_ptr(), body.as_ptr().cast(), body.len(), &mut out),
                    aimis_callback_verify_into(app.as_ptr(), token.as_ptr(), app.as_ptr(), ts.as_ptr(), sig.as_ptr(), body.as_ptr().cast(), body.len(), enc, buffer.as_mut_ptr().cast(), len, &mut needed),
                    aimis_verifier_verify_headers(verifier, names.as_ptr(), values.as_ptr(), names.len(), body.as_ptr().cast(), body.len(), &mut out),
                    aimis_verifier_verify_headers_into(verifier, names.as_ptr(), values.as_ptr(), names.len(), body.as_ptr().cast(), body.len(), buffer.as_mut_ptr().cast(), len, &mut needed),
                ] {
                    prop_assert!(known(code), "{code:?}");
                    aimis_string_free(out);
                    out = ptr::null_mut();
                }
                aimis_verifier_free(verifier);
            }
        }

        #[test]
        fn client_calls(endpoint in bytes(), request in bytes(), enc in 0i32..2, len in 0usize..80) {
            let (endpoint, request) = (c(&endpoint), c(&request));
            let mut options = ptr::null_mut();
            let mut client = ptr::null_mut();
            let mut made = ptr::null_mut();
            let mut out = ptr::null_mut();
            let mut buffer = vec![0u8; len];
            let mut needed = 0usize;
            // SAFETY: NUL-terminated strings, valid out-pointers; every handle freed once.
            unsafe {
                prop_assert_eq!(aimis_options_new(&mut options), aimis_result::AIMIS_OK);
                // Nothing listens on port 9: whatever passes validation fails at once.
                prop_assert_eq!(aimis_options_set_retries(options, 0, 0, 0), aimis_result::AIMIS_OK);
                prop_assert_eq!(aimis_options_set_text_encoding(options, enc), aimis_result::AIMIS_OK);
                prop_assert_eq!(
                    aimis_client_new_with_options(c"demo-app".as_ptr(), c"0123456789abcdef0123456789abcdef".as_ptr(), c"http://127.0.0.1:9".as_ptr(), options, &mut client),
                    aimis_result::AIMIS_OK
                );
                for code in [
                    aimis_client_call(client, endpoint.as_ptr(), request.as_ptr(), &mut out),
                    aimis_client_call(client, c"patientStudies".as_ptr(), request.as_ptr(), &mut out),
                    aimis_client_call_into(client, c"patientReportUrl".as_ptr(), request.as_ptr(), buffer.as_mut_ptr().cast(), len, &mut needed),
                    aimis_client_new(endpoint.as_ptr(), request.as_ptr(), endpoint.as_ptr(), &mut made),
                ] {
                    prop_assert!(known(code), "{code:?}");
                    aimis_string_free(out);
                    out = ptr::null_mut();
                }
                aimis_client_free(client);
                aimis_client_free(made);
                aimis_options_free(options);
            }
        }
    }
}

// --- the inbox -----------------------------------------------------------------------

/// A status callback as the platform sends it, its patient fields encrypted.
fn platform_callback(study_id: &str) -> Vec<u8> {
    use core_aimis::message::Message;
    let token = core_aimis::Token::new(TOKEN.to_str().unwrap()).unwrap();
    let cipher = core_aimis::crypto::FieldCipher::new(&token, &core_aimis::SERVICE.cipher);
    core_aimis::StudyStatusCallback {
        status: core_aimis::StudyStatus::ReportReady,
        phone_num: "13800138000".into(),
        id_num: "110101199003074518".into(),
        patient_id: "P0001".into(),
        hospital_id: "H0001".into(),
        study_type: core_aimis::StudyType::Radiology,
        study_date: "2025-03-01 08:30:00".into(),
        study_id: study_id.into(),
        h5_url: "https://pacs.example/r/R0001".into(),
        h5_detail_url: "https://pacs.example/i/R0001".into(),
        report_id: "R0001".into(),
        ..Default::default()
    }
    .seal(&cipher)
}

#[test]
fn the_inbox_hands_out_what_the_receiver_stored_once_then_nothing() {
    let dir = std::env::temp_dir().join(format!("aimis-ffi-inbox-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite:{}", dir.join("inbox.db").display());
    let credentials = core_aimis::Credentials::new("demo-app", TOKEN.to_str().unwrap()).unwrap();
    let receiver = ::inbox::Receiver::new(
        ::inbox::Inbox::open(&url, credentials.clone()).unwrap(),
        credentials,
    );
    let (app_id, timestamp, signature) = signed_now();
    let headers = [
        ("appId", app_id.to_str().unwrap()),
        ("timestamp", timestamp.to_str().unwrap()),
        ("signature", signature.to_str().unwrap()),
    ];
    assert!(
        receiver
            .handle(&headers, &platform_callback("S0042"))
            .outcome
            .acknowledged()
    );

    let c_url = std::ffi::CString::new(url).unwrap();
    let mut handle = ptr::null_mut();
    // SAFETY: valid C strings and out-pointers throughout; each string freed once.
    unsafe {
        let open = aimis_inbox_open(
            c_url.as_ptr(),
            c"demo-app".as_ptr(),
            TOKEN.as_ptr(),
            &mut handle,
        );
        assert_eq!(open, aimis_result::AIMIS_OK, "{}", last_error());
        let mut json = ptr::null_mut();
        assert_eq!(
            aimis_inbox_next(handle, 60, &mut json),
            aimis_result::AIMIS_OK
        );
        let item: serde_json::Value =
            serde_json::from_str(CStr::from_ptr(json).to_str().unwrap()).unwrap();
        aimis_string_free(json);
        assert_eq!(
            item["callback"]["phoneNum"], "13800138000",
            "decrypted when handed out"
        );
        assert_eq!(item["callback"]["studyId"], "S0042");
        assert_eq!(item["attempts"], 1);
        let id = item["id"].as_i64().unwrap();
        // Claimed: nothing else is pending until it is acknowledged or its lease ends.
        let mut none = ptr::null_mut();
        assert_eq!(
            aimis_inbox_next(handle, 60, &mut none),
            aimis_result::AIMIS_OK
        );
        assert_eq!(CStr::from_ptr(none), c"null");
        aimis_string_free(none);
        assert_eq!(aimis_inbox_nack(handle, id), aimis_result::AIMIS_OK);
        // Asking for the size (`NULL, 0`, or a buffer too small), however often, costs
        // no attempt and loses nothing: more asks than the attempts a callback has.
        let mut needed = 0usize;
        for _ in 0..15 {
            assert_eq!(
                aimis_inbox_next_into(handle, 60, ptr::null_mut(), 0, &mut needed),
                aimis_result::AIMIS_BUFFER_TOO_SMALL
            );
        }
        let mut small = [0 as c_char; 8];
        assert_eq!(
            aimis_inbox_next_into(handle, 60, small.as_mut_ptr(), small.len(), &mut needed),
            aimis_result::AIMIS_BUFFER_TOO_SMALL
        );
        assert!(
            needed > "null".len() + 1,
            "the callback's size, not nothing's"
        );
        let mut buffer = vec![0 as c_char; needed];
        assert_eq!(
            aimis_inbox_next_into(handle, 60, buffer.as_mut_ptr(), needed, &mut needed),
            aimis_result::AIMIS_OK
        );
        let item: serde_json::Value =
            serde_json::from_str(CStr::from_ptr(buffer.as_ptr()).to_str().unwrap()).unwrap();
        assert_eq!(item["id"], id);
        assert_eq!(
            item["attempts"], 2,
            "next, then next_into: the asks not counted"
        );
        assert_eq!(aimis_inbox_ack(handle, id), aimis_result::AIMIS_OK);
        assert_eq!(
            aimis_inbox_ack(handle, 999_999),
            aimis_result::AIMIS_VALIDATION
        );
        assert!(!last_error().contains("13800138000"));
        aimis_inbox_free(handle);
        let mut bad = ptr::null_mut();
        let refused = aimis_inbox_open(
            c"mysql://x".as_ptr(),
            c"demo-app".as_ptr(),
            TOKEN.as_ptr(),
            &mut bad,
        );
        assert_eq!(refused, aimis_result::AIMIS_CONFIG, "{}", last_error());
        assert!(bad.is_null());
        assert_eq!(
            aimis_inbox_next(ptr::null(), 60, &mut none),
            aimis_result::AIMIS_NULL_ARGUMENT
        );
        aimis_inbox_free(ptr::null_mut());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_system_code_page_maps_to_its_encoding_or_a_config_error() {
    use crate::text::TextEncoding;
    assert_eq!(
        TextEncoding::from_code_page(936).unwrap(),
        TextEncoding::Gb18030
    );
    assert_eq!(
        TextEncoding::from_code_page(65001).unwrap(),
        TextEncoding::Utf8
    );
    assert_eq!(
        TextEncoding::from_code_page(1252).unwrap(),
        TextEncoding::CodePage(encoding_rs::WINDOWS_1252)
    );
    assert_eq!(
        TextEncoding::from_code_page(950).unwrap(),
        TextEncoding::CodePage(encoding_rs::BIG5)
    );
    let ebcdic = TextEncoding::from_code_page(37).unwrap_err();
    assert_eq!(ebcdic.code, aimis_result::AIMIS_CONFIG);
    assert!(
        ebcdic.message.contains("code page 37"),
        "{}",
        ebcdic.message
    );
}
