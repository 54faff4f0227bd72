//! The client handle, its options, and the dynamic call that reaches every endpoint of
//! the spec.

use std::ffi::c_char;
use std::time::Duration;

use core_aimis::{Client, Credentials, RetryPolicy};
use serde_json::Value;

use crate::boundary::{
    Dest, Out, arg_mut, arg_opt_str, arg_ref, arg_str, arg_text, guard, guard_infallible,
    set_call_encoding,
};
use crate::result::{Failure, aimis_result};
use crate::text::{TextEncoding, aimis_text_encoding_arg, json_text};

/// A connection to the AIMIS platform: credentials, signer, cipher and a pool of HTTP
/// connections. Opaque. Safe to share between threads: any number of threads may call
/// `aimis_client_call` on one client at the same time.
#[allow(non_camel_case_types)]
#[derive(Debug)]
pub struct aimis_client {
    inner: Client,
    encoding: TextEncoding,
}

/// Settings for `aimis_client_new_with_options`. Opaque; made by `aimis_options_new`,
/// changed by the `aimis_options_set_*` functions, freed by `aimis_options_free`. Not
/// safe to change from two threads at once; the client copies what it needs, so the
/// options may be freed or reused once the client is made.
#[allow(non_camel_case_types)]
#[derive(Debug, Clone)]
pub struct aimis_options {
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    proxy: Option<String>,
    proxy_from_env: bool,
    ca_pems: Vec<Vec<u8>>,
    ca_files: Vec<String>,
    allow_insecure_http: bool,
    user_agent_product: Option<String>,
    encoding: TextEncoding,
}

impl aimis_client {
    pub(crate) fn encoding(&self) -> TextEncoding {
        self.encoding
    }

    pub(crate) fn call_json(
        &self,
        endpoint: &str,
        request: &Value,
    ) -> Result<Value, core_aimis::Error> {
        self.inner.call_json(endpoint, request)
    }
}

impl aimis_options {
    const DEFAULT: aimis_options = aimis_options {
        timeout: None,
        connect_timeout: None,
        retry: None,
        proxy: None,
        proxy_from_env: true,
        ca_pems: Vec::new(),
        ca_files: Vec::new(),
        allow_insecure_http: false,
        user_agent_product: None,
        encoding: TextEncoding::Utf8,
    };
}

const USER_AGENT: &str = concat!("aimis-c/", env!("CARGO_PKG_VERSION"));

fn build(
    app_id: &str,
    token: &str,
    base_url: Option<&str>,
    options: &aimis_options,
) -> Result<Client, Failure> {
    let mut builder =
        Client::builder(Credentials::new(app_id, token)?).user_agent_product(USER_AGENT);
    if let Some(url) = base_url {
        builder = builder.base_url(url);
    }
    if let Some(timeout) = options.timeout {
        builder = builder.timeout(timeout);
    }
    if let Some(timeout) = options.connect_timeout {
        builder = builder.connect_timeout(timeout);
    }
    if let Some(retry) = options.retry {
        builder = builder.retry(retry);
    }
    if let Some(proxy) = &options.proxy {
        builder = builder.proxy(proxy.as_str());
    }
    for pem in &options.ca_pems {
        builder = builder.add_root_certificates_pem(pem.as_slice());
    }
    for path in &options.ca_files {
        builder = builder.add_root_certificates_file(path);
    }
    if let Some(product) = &options.user_agent_product {
        builder = builder.user_agent_product(product);
    }
    Ok(builder
        .allow_insecure_http(options.allow_insecure_http)
        .proxy_from_env(options.proxy_from_env)
        .build()?)
}

/// Makes a client with the default options: 10 s timeout per attempt, 5 s to connect,
/// 2 retries of transient failures, TLS verified against the public roots.
///
/// `app_id` and `token` are the credentials the platform assigned; the token must be
/// exactly 32 bytes (else `AIMIS_CONFIG`). `base_url` is the platform's address, such as
/// "https://test.pacs.qq.com" or a simulator's "http://127.0.0.1:PORT"; NULL means
/// production, "https://pacs.qq.com". Plain http is accepted only to loopback hosts.
///
/// Ownership: the strings are only read during the call and stay the caller's. On
/// success `*out` receives a new client that the caller owns and frees with
/// `aimis_client_free`; on failure `*out` is untouched.
///
/// # Safety
/// The strings are NULL or NUL-terminated; `out` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_client_new(
    app_id: *const c_char,
    token: *const c_char,
    base_url: *const c_char,
    out: *mut *mut aimis_client,
) -> aimis_result {
    // SAFETY: the caller's promises are those of aimis_client_new_with_options.
    unsafe { aimis_client_new_with_options(app_id, token, base_url, std::ptr::null(), out) }
}

/// Like `aimis_client_new`, with `options` (NULL: the defaults).
///
/// Ownership: `options` stays the caller's and may be freed right after this call. On
/// success `*out` receives a new client that the caller frees with `aimis_client_free`;
/// on failure `*out` is untouched.
///
/// # Safety
/// The strings are NULL or NUL-terminated; `options` is NULL or a live options object
/// not being changed by another thread; `out` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_client_new_with_options(
    app_id: *const c_char,
    token: *const c_char,
    base_url: *const c_char,
    options: *const aimis_options,
    out: *mut *mut aimis_client,
) -> aimis_result {
    guard("aimis_client_new", || {
        let out = Out::new(out, "out")?;
        // SAFETY: the caller's promises.
        let (app_id, token, base_url) = unsafe {
            (
                arg_str(app_id, "app_id")?,
                arg_str(token, "token")?,
                arg_opt_str(base_url, "base_url")?,
            )
        };
        let defaults = aimis_options::DEFAULT;
        // SAFETY: the caller's promise.
        let options = unsafe { options.as_ref() }.unwrap_or(&defaults);
        let client = build(app_id, token, base_url, options)?;
        let client = aimis_client {
            inner: client,
            encoding: options.encoding,
        };
        // SAFETY: the caller's promise.
        unsafe { out.set(Box::into_raw(Box::new(client))) };
        Ok(())
    })
}

/// Frees a client made by `aimis_client_new`. NULL is a no-op.
///
/// # Safety
/// `client` is NULL or a live client that no other thread is using and that is not used
/// again after this call.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_client_free(client: *mut aimis_client) {
    guard_infallible((), || {
        if !client.is_null() {
            // SAFETY: made by Box::into_raw in aimis_client_new, freed once, as promised.
            drop(unsafe { Box::from_raw(client) });
        }
    })
}

/// The body of both call exports: the request is read in the client's encoding, the
/// answer handed over in it.
///
/// # Safety
/// `client` is NULL or a live client; the strings are NULL or NUL-terminated; `dest`'s
/// pointers are valid for writes.
unsafe fn call(
    client: *const aimis_client,
    endpoint: *const c_char,
    request_json: *const c_char,
    dest: Dest,
) -> Result<(), Failure> {
    // SAFETY: the caller's promise.
    let client = unsafe { arg_ref(client, "client")? };
    set_call_encoding(client.encoding);
    // SAFETY: the caller's promises.
    let (endpoint, request) = unsafe {
        (
            arg_str(endpoint, "endpoint")?,
            arg_text(request_json, "request_json", client.encoding)?,
        )
    };
    let mut request: Value = serde_json::from_str(&request).map_err(|e| {
        // The position only: serde_json's text can quote the input, which holds patient data.
        Failure::new(
            aimis_result::AIMIS_INVALID_JSON,
            format!(
                "argument `request_json` is not valid JSON (at line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    })?;
    let result = client.inner.call_json(endpoint, &request);
    core_aimis::message::wipe(&mut request);
    let json = json_text(&mut result?);
    // SAFETY: the caller's promise.
    unsafe { dest.deliver(&json, client.encoding, "the response") }
}

/// Calls an endpoint of the spec by name and waits for the answer.
///
/// `endpoint` is the vendor's name in any spelling: "patientStudies", "patient_studies"
/// or "patient-studies"; `aimis_endpoints_json` lists them. `request_json` is a JSON
/// object with the vendor's camelCase field names and patient data in plaintext (the
/// library encrypts phoneNum and idNum, signs and sends); enum values may be numbers or
/// names. The request is checked against the spec before anything is sent. Both are in
/// the client's text encoding (`aimis_options_set_text_encoding`; UTF-8 by default), and
/// so are the answer and the error message.
///
/// Ownership: the arguments stay the caller's. On success `*response_json` receives the
/// response `data` as JSON with the vendor's names, a string the caller owns and frees
/// with `aimis_string_free`; on failure it is untouched, and for `AIMIS_API`
/// `aimis_last_api_code()` gives the platform's code. It holds patient data: handle it
/// as such.
///
/// Thread safety: many threads may call this on one client at once.
///
/// # Safety
/// `client` is NULL or a live client; the strings are NULL or NUL-terminated;
/// `response_json` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_client_call(
    client: *const aimis_client,
    endpoint: *const c_char,
    request_json: *const c_char,
    response_json: *mut *mut c_char,
) -> aimis_result {
    // SAFETY: the caller's promises.
    guard("aimis_client_call", || unsafe {
        let dest = Dest::string(response_json, "response_json")?;
        call(client, endpoint, request_json, dest)
    })
}

/// Like `aimis_client_call`, writing the answer into the caller's `buffer` of
/// `buffer_len` bytes, for languages that cannot call `aimis_string_free` (PowerBuilder,
/// VB6).
///
/// On success the answer and its NUL are in `buffer` and `*needed` is their length, the
/// NUL counted. If the buffer is too small: `AIMIS_BUFFER_TOO_SMALL`, `*needed` is the
/// size needed (NUL counted) and nothing else is written. The request was sent and
/// answered, and that answer is not kept: call again with a buffer of at least
/// `*needed` bytes (the queries are read-only, so repeating one is harmless), or start
/// with a generous buffer (64 KiB holds any usual answer). `buffer` may be NULL when
/// `buffer_len` is 0.
///
/// Ownership: everything stays the caller's; nothing is to be freed.
///
/// Thread safety: many threads may call this on one client at once.
///
/// # Safety
/// `client` is NULL or a live client; the strings are NULL or NUL-terminated; `buffer`
/// is NULL or valid for writes of `buffer_len` bytes; `needed` is NULL or valid for a
/// write.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_client_call_into(
    client: *const aimis_client,
    endpoint: *const c_char,
    request_json: *const c_char,
    buffer: *mut c_char,
    buffer_len: usize,
    needed: *mut usize,
) -> aimis_result {
    // SAFETY: the caller's promises.
    guard("aimis_client_call_into", || unsafe {
        let dest = Dest::buffer(buffer, buffer_len, needed)?;
        call(client, endpoint, request_json, dest)
    })
}

/// Makes an options object holding the defaults.
///
/// Ownership: on success `*out` receives an object the caller owns and frees with
/// `aimis_options_free`; on failure it is untouched.
///
/// # Safety
/// `out` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_options_new(out: *mut *mut aimis_options) -> aimis_result {
    guard("aimis_options_new", || {
        let out = Out::new(out, "out")?;
        // SAFETY: the caller's promise.
        unsafe { out.set(Box::into_raw(Box::new(aimis_options::DEFAULT))) };
        Ok(())
    })
}

/// Frees an options object. NULL is a no-op.
///
/// # Safety
/// `options` is NULL or a live options object that is not used again after this call.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_options_free(options: *mut aimis_options) {
    guard_infallible((), || {
        if !options.is_null() {
            // SAFETY: made by Box::into_raw in aimis_options_new, freed once, as promised.
            drop(unsafe { Box::from_raw(options) });
        }
    })
}

/// Runs a setter's body on the options, refusing NULL.
///
/// # Safety
/// `options` is NULL or a live options object used by no other thread.
unsafe fn set(
    function: &'static str,
    options: *mut aimis_options,
    body: impl FnOnce(&mut aimis_options) -> Result<(), Failure>,
) -> aimis_result {
    guard(function, || {
        // SAFETY: the caller's promise.
        let options = unsafe { arg_mut(options, "options")? };
        // Work on a copy so that a refused value leaves the options as they were.
        let mut changed = options.clone();
        body(&mut changed)?;
        *options = changed;
        Ok(())
    })
}

fn positive_ms(value: u64, field: &str) -> Result<Duration, Failure> {
    if value == 0 {
        return Err(Failure::new(
            aimis_result::AIMIS_VALIDATION,
            format!("argument `{field}` must be greater than 0"),
        ));
    }
    Ok(Duration::from_millis(value))
}

/// How long one attempt may take in all, connecting included, in milliseconds (> 0).
/// Default 10000.
///
/// # Safety
/// `options` is NULL or a live options object used by no other thread.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_options_set_timeout_ms(
    options: *mut aimis_options,
    timeout_ms: u64,
) -> aimis_result {
    // SAFETY: forwarded.
    unsafe {
        set("aimis_options_set_timeout_ms", options, |o| {
            o.timeout = Some(positive_ms(timeout_ms, "timeout_ms")?);
            Ok(())
        })
    }
}

/// How long connecting may take, in milliseconds (> 0). Default 5000.
///
/// # Safety
/// `options` is NULL or a live options object used by no other thread.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_options_set_connect_timeout_ms(
    options: *mut aimis_options,
    timeout_ms: u64,
) -> aimis_result {
    // SAFETY: forwarded.
    unsafe {
        set("aimis_options_set_connect_timeout_ms", options, |o| {
            o.connect_timeout = Some(positive_ms(timeout_ms, "timeout_ms")?);
            Ok(())
        })
    }
}

/// Retries of transient failures (transport errors, timeouts, HTTP 429 and 5xx): at most
/// `max_retries` more tries, waiting `initial_backoff_ms` before the first, doubling up
/// to `max_backoff_ms`, less a random part of up to half (jitter). 0 retries: none.
/// Default: 2 retries, 200 ms, 2000 ms. `initial_backoff_ms` may not exceed
/// `max_backoff_ms`.
///
/// # Safety
/// `options` is NULL or a live options object used by no other thread.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_options_set_retries(
    options: *mut aimis_options,
    max_retries: u32,
    initial_backoff_ms: u64,
    max_backoff_ms: u64,
) -> aimis_result {
    // SAFETY: forwarded.
    unsafe {
        set("aimis_options_set_retries", options, |o| {
            if initial_backoff_ms > max_backoff_ms {
                return Err(Failure::new(
                    aimis_result::AIMIS_VALIDATION,
                    "argument `initial_backoff_ms` must not exceed `max_backoff_ms`",
                ));
            }
            o.retry = Some(RetryPolicy {
                max_retries,
                initial_backoff: Duration::from_millis(initial_backoff_ms),
                max_backoff: Duration::from_millis(max_backoff_ms),
            });
            Ok(())
        })
    }
}

/// Sends every request through this HTTP proxy, such as "http://proxy.hospital.local:3128".
/// Checked when the client is made (`AIMIS_CONFIG` if unusable).
///
/// Ownership: `proxy_url` is copied; it stays the caller's.
///
/// # Safety
/// `options` is NULL or a live options object used by no other thread; `proxy_url` is
/// NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_options_set_proxy(
    options: *mut aimis_options,
    proxy_url: *const c_char,
) -> aimis_result {
    // SAFETY: forwarded.
    unsafe {
        set("aimis_options_set_proxy", options, |o| {
            o.proxy = Some(arg_str(proxy_url, "proxy_url")?.to_owned());
            Ok(())
        })
    }
}

/// Trusts the CA certificates in `pem` (PEM text, one or more certificates) besides the
/// public roots, for networks behind a TLS-inspecting proxy. May be called more than
/// once. Checked when the client is made (`AIMIS_CONFIG` if it holds no certificate).
///
/// Ownership: `pem` is copied; it stays the caller's.
///
/// # Safety
/// `options` is NULL or a live options object used by no other thread; `pem` is NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_options_add_ca_pem(
    options: *mut aimis_options,
    pem: *const c_char,
) -> aimis_result {
    // SAFETY: forwarded.
    unsafe {
        set("aimis_options_add_ca_pem", options, |o| {
            o.ca_pems.push(arg_str(pem, "pem")?.as_bytes().to_vec());
            Ok(())
        })
    }
}

/// Like `aimis_options_add_ca_pem`, reading the PEM text from the file at `path` when
/// the client is made (`AIMIS_CONFIG` then if it cannot be read).
///
/// Ownership: `path` is copied; it stays the caller's.
///
/// # Safety
/// `options` is NULL or a live options object used by no other thread; `path` is NULL
/// or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_options_add_ca_file(
    options: *mut aimis_options,
    path: *const c_char,
) -> aimis_result {
    // SAFETY: forwarded.
    unsafe {
        set("aimis_options_add_ca_file", options, |o| {
            o.ca_files.push(arg_str(path, "path")?.to_owned());
            Ok(())
        })
    }
}

/// Whether, without `aimis_options_set_proxy`, the environment's proxy is used
/// (`HTTPS_PROXY`, `https_proxy` or `ALL_PROXY`, unless `NO_PROXY` names the host;
/// loopback is never proxied), as curl does. Default: true.
///
/// # Safety
/// `options` is NULL or a live options object used by no other thread.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_options_set_proxy_from_env(
    options: *mut aimis_options,
    from_env: bool,
) -> aimis_result {
    // SAFETY: forwarded.
    unsafe {
        set("aimis_options_set_proxy_from_env", options, |o| {
            o.proxy_from_env = from_env;
            Ok(())
        })
    }
}

/// Allows plain http:// to hosts other than loopback (true: allow). Default: refused.
///
/// # Safety
/// `options` is NULL or a live options object used by no other thread.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_options_set_allow_insecure_http(
    options: *mut aimis_options,
    allow: bool,
) -> aimis_result {
    // SAFETY: forwarded.
    unsafe {
        set("aimis_options_set_allow_insecure_http", options, |o| {
            o.allow_insecure_http = allow;
            Ok(())
        })
    }
}

/// Adds a product token such as "my-his/4.2" to the User-Agent header.
///
/// Ownership: `product` is copied; it stays the caller's.
///
/// # Safety
/// `options` is NULL or a live options object used by no other thread; `product` is
/// NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_options_set_user_agent_product(
    options: *mut aimis_options,
    product: *const c_char,
) -> aimis_result {
    // SAFETY: forwarded.
    unsafe {
        set("aimis_options_set_user_agent_product", options, |o| {
            let product = arg_str(product, "product")?;
            if product.is_empty() || !product.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(Failure::new(
                    aimis_result::AIMIS_VALIDATION,
                    "argument `product` must be non-empty printable ASCII without spaces",
                ));
            }
            o.user_agent_product = Some(product.to_owned());
            Ok(())
        })
    }
}

/// The text encoding of every string the client takes (`request_json`) and hands over
/// (the answer, the error message): `AIMIS_TEXT_ENCODING_UTF8` (the default) or
/// `AIMIS_TEXT_ENCODING_GB18030` for programs working in code page 936 (GBK). On the
/// wire the text is UTF-8 either way. Text that is not valid in the chosen encoding is
/// refused (`AIMIS_INVALID_TEXT`), never replaced. An unknown value is
/// `AIMIS_VALIDATION`.
///
/// # Safety
/// `options` is NULL or a live options object used by no other thread.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn aimis_options_set_text_encoding(
    options: *mut aimis_options,
    encoding: aimis_text_encoding_arg,
) -> aimis_result {
    // SAFETY: forwarded.
    unsafe {
        set("aimis_options_set_text_encoding", options, |o| {
            o.encoding = TextEncoding::from_arg(encoding)?;
            Ok(())
        })
    }
}
