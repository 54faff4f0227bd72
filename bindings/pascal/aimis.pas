// Generated from aimis-ffi (the functions and codes of aimis.h) and the endpoint
// registry by `cargo run -p xtask -- generate`: do not edit.
// libaimis 0.1.0 for Delphi (2009+) and Free Pascal ({$mode delphi}). Strings are
// PAnsiChar: pass UTF8String (or GB18030 bytes after choosing that encoding).
unit aimis;

{$IFDEF FPC}{$mode delphi}{$H+}{$ENDIF}

interface

uses SysUtils{$IFDEF FPC}, fpjson, jsonparser{$ENDIF};

const
  {$IFDEF MSWINDOWS}AIMIS_LIB = 'aimis.dll';{$ELSE}AIMIS_LIB = 'aimis';{$ENDIF}
  AIMIS_BINDINGS_VERSION = '0.1.0';

  { aimis_result }
  AIMIS_OK = 0;
  AIMIS_NULL_ARGUMENT = 1;
  AIMIS_INVALID_UTF8 = 2;
  AIMIS_INVALID_JSON = 3;
  AIMIS_CONFIG = 4;
  AIMIS_VALIDATION = 5;
  AIMIS_UNKNOWN_ENDPOINT = 6;
  AIMIS_TRANSPORT = 7;
  AIMIS_TIMEOUT = 8;
  AIMIS_HTTP = 9;
  AIMIS_DECODE = 10;
  AIMIS_API = 11;
  AIMIS_CRYPTO = 12;
  AIMIS_CALLBACK_REJECTED = 13;
  AIMIS_CALLBACK_MALFORMED = 14;
  AIMIS_INTERNAL = 15;
  AIMIS_BUFFER_TOO_SMALL = 16;
  AIMIS_INVALID_TEXT = 17;
  AIMIS_CONNECTION_REFUSED = 18;
  AIMIS_DNS = 19;
  AIMIS_TLS_CERTIFICATE = 20;
  AIMIS_CONNECTION_RESET = 21;
  AIMIS_BODY_TOO_LARGE = 22;
  AIMIS_STORE = 23;

  { aimis_log_level }
  AIMIS_LOG_OFF = 0;
  AIMIS_LOG_ERROR = 1;
  AIMIS_LOG_WARN = 2;
  AIMIS_LOG_INFO = 3;
  AIMIS_LOG_DEBUG = 4;
  AIMIS_LOG_TRACE = 5;

  { aimis_text_encoding }
  AIMIS_TEXT_ENCODING_UTF8 = 0;
  AIMIS_TEXT_ENCODING_GB18030 = 1;
  AIMIS_TEXT_ENCODING_SYSTEM = 2;

type
  PNativeUInt = ^NativeUInt;
  PPAnsiChar = ^PAnsiChar;
  Taimis_result = Integer;
  Taimis_log_level = Integer;
  Taimis_text_encoding = Integer;
  Paimis_client = Pointer;
  PPaimis_client = ^Paimis_client;
  Paimis_inbox = Pointer;
  PPaimis_inbox = ^Paimis_inbox;
  Paimis_options = Pointer;
  PPaimis_options = ^Paimis_options;
  Paimis_verifier = Pointer;
  PPaimis_verifier = ^Paimis_verifier;

// Frees a string that libaimis handed to the caller, first overwriting it with zeros
// (it may hold decrypted patient data). NULL is a no-op.
procedure aimis_string_free(s: PAnsiChar); {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_string_free';

// Why the last failed call on this thread failed: the field and the rule, the HTTP
// status, or the platform's code and message; never patient data or the token. ""
// if no call has failed on this thread. Successful calls leave it unchanged.
//
// Encoding: the text encoding of the call that failed: a client's calls use the
// client's encoding, the `_with_encoding` and `_into` functions their `encoding`
// argument, a verifier its own; every other failure (and any failure before the
// encoding is known, such as a NULL client) is UTF-8, which is plain ASCII for those
// messages.
//
// Ownership: libaimis owns the string; do not free it. It stays valid until the next
// failing call on this thread; copy it to keep it.
function aimis_last_error_message: PAnsiChar; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_last_error_message';

// Copies this thread's last error message (as `aimis_last_error_message` gives it, in
// the text encoding of the call that failed) into the caller's `buffer` of
// `buffer_len` bytes, for languages that cannot read a C string they do not own.
// `*needed` is the message's length with its NUL. If the buffer is too small:
// `AIMIS_BUFFER_TOO_SMALL`, `*needed` is the size needed and nothing else is written.
// Unlike every other function, this one never changes the last error, not even when
// it fails (NULL `needed`: `AIMIS_NULL_ARGUMENT`), so it can be called again.
//
// Ownership: everything stays the caller's; nothing is to be freed.
function aimis_last_error_message_into(buffer: PAnsiChar; buffer_len: NativeUInt; needed: PNativeUInt): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_last_error_message_into';

// The platform's `code` if the last failed call on this thread failed with
// `AIMIS_API` (such as 10003, no data), else 0.
function aimis_last_api_code: Int64; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_last_api_code';

// The name of a result code, such as "AIMIS_API", or "AIMIS_UNKNOWN_RESULT" for a
// number this version does not know.
//
// Ownership: a static string; do not free it.
function aimis_result_name(result_: Integer): PAnsiChar; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_result_name';

// The version of libaimis, such as "0.1.0"; the same as `AIMIS_VERSION_STRING` in the
// header it was built with.
//
// Ownership: a static string; do not free it.
function aimis_version: PAnsiChar; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_version';

// Runs one request of `endpoint` per element of `requests_json`, at most `concurrency`
// at a time (0: 8; at most 256), starting at most `rate_per_second` requests a second
// (0: no ceiling), and waits for all of them.
//
// `requests_json` is a JSON array of requests, or JSON Lines (one request per line),
// each as for `aimis_client_call`. When the platform asks to slow down (HTTP 429, or
// FetchLimitExceeded) the batch pauses, lowers its concurrency and sends that request
// again, a bounded number of times. One request's failure does not stop the others: it
// is that request's outcome.
//
// Ownership: the arguments stay the caller's. On success `*outcomes_json` receives a
// JSON array with one outcome per request, in the order of the requests:
// `{"row": N, "ok": true, "data": ...}` or `{"row": N, "ok": false, "error": {"kind",
// "code", "message"}}`, rows numbered from 1 and `code` given for platform errors. The
// caller owns it and frees it with `aimis_string_free`; it holds patient data. On
// failure (a NULL or unreadable argument, an unknown endpoint, `AIMIS_CONFIG` for an
// unusable concurrency or rate) it is untouched and nothing was sent.
function aimis_client_batch(client: Paimis_client; endpoint: PAnsiChar; requests_json: PAnsiChar; concurrency: Cardinal; rate_per_second: Double; outcomes_json: PPAnsiChar): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_client_batch';

// Like `aimis_client_batch`, writing the outcomes into the caller's `buffer` of
// `buffer_len` bytes; `AIMIS_BUFFER_TOO_SMALL` with `*needed` set (NUL counted) and
// nothing else written if they do not fit. The requests were sent and their outcomes
// are not kept: call again with a buffer of at least `*needed` bytes.
//
// Ownership: everything stays the caller's; nothing is to be freed.
function aimis_client_batch_into(client: Paimis_client; endpoint: PAnsiChar; requests_json: PAnsiChar; concurrency: Cardinal; rate_per_second: Double; buffer: PAnsiChar; buffer_len: NativeUInt; needed: PNativeUInt): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_client_batch_into';

// Verifies a study status callback the platform posted to the partner: the appId
// header is ours, the timestamp is within 5 minutes of now, the signature matches
// (constant time); then decrypts phoneNum and idNum and checks the required fields.
//
// `app_id` and `token` are the partner's credentials. `header_app_id`,
// `header_timestamp` and `header_signature` are the values of the request's `appId`,
// `timestamp` and `signature` headers; NULL means the header is absent, and a value
// that is not UTF-8 came from the network: both are rejections, not argument errors.
// `body` points to the raw request body of `body_len` bytes, not necessarily
// NUL-terminated; NULL with `body_len` 0 is an empty body. A `body_len` above
// PTRDIFF_MAX is `AIMIS_VALIDATION`.
//
// Results: `AIMIS_CALLBACK_REJECTED` when the headers do not authenticate the sender,
// `AIMIS_CALLBACK_MALFORMED` when the body is not what the spec describes; answer both
// with an error. The signature covers only appId and timestamp, not the body: handle
// callbacks idempotently.
//
// Ownership: the arguments stay the caller's. On success `*callback_json` receives the
// callback as JSON with the vendor's names and phoneNum/idNum decrypted, a string the
// caller owns and frees with `aimis_string_free` (which wipes it); it is patient data.
// On failure it is untouched.
function aimis_callback_verify(app_id: PAnsiChar; token: PAnsiChar; header_app_id: PAnsiChar; header_timestamp: PAnsiChar; header_signature: PAnsiChar; body: PAnsiChar; body_len: NativeUInt; callback_json: PPAnsiChar): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_callback_verify';

// Like `aimis_callback_verify`, handing the callback JSON over in `encoding` (GB18030:
// the JSON text is GB18030). The headers and body are read as the platform sends them,
// UTF-8.
//
// Ownership: as for `aimis_callback_verify`: `*callback_json` is the caller's, freed
// with `aimis_string_free`; untouched on failure.
function aimis_callback_verify_with_encoding(app_id: PAnsiChar; token: PAnsiChar; header_app_id: PAnsiChar; header_timestamp: PAnsiChar; header_signature: PAnsiChar; body: PAnsiChar; body_len: NativeUInt; encoding: Taimis_text_encoding; callback_json: PPAnsiChar): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_callback_verify_with_encoding';

// Like `aimis_callback_verify_with_encoding`, writing the callback JSON into the
// caller's `buffer` of `buffer_len` bytes. On success `*needed` is the length written,
// its NUL counted. If the buffer is too small: `AIMIS_BUFFER_TOO_SMALL`, `*needed` is
// the size needed (NUL counted) and nothing else is written. `buffer` may be NULL when
// `buffer_len` is 0. Wipe the buffer when done: it holds patient data.
//
// Ownership: everything stays the caller's; nothing is to be freed.
function aimis_callback_verify_into(app_id: PAnsiChar; token: PAnsiChar; header_app_id: PAnsiChar; header_timestamp: PAnsiChar; header_signature: PAnsiChar; body: PAnsiChar; body_len: NativeUInt; encoding: Taimis_text_encoding; buffer: PAnsiChar; buffer_len: NativeUInt; needed: PNativeUInt): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_callback_verify_into';

// Makes a verifier for the partner's credentials, with the defaults: the system clock,
// 5 minutes of allowed skew, UTF-8. `AIMIS_CONFIG` for a token that is not 32 bytes.
//
// Ownership: the strings stay the caller's. On success `*out` receives a verifier the
// caller owns and frees with `aimis_verifier_free`; on failure it is untouched.
function aimis_verifier_new(app_id: PAnsiChar; token: PAnsiChar; out_: PPaimis_verifier): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_verifier_new';

// Frees a verifier. NULL is a no-op.
procedure aimis_verifier_free(verifier: Paimis_verifier); {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_verifier_free';

// How far a callback's timestamp may be from now, either way, in milliseconds (> 0).
// Default 300000 (the spec's 5 minutes).
function aimis_verifier_set_max_skew_ms(verifier: Paimis_verifier; max_skew_ms: UInt64): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_verifier_set_max_skew_ms';

// Checks timestamps against this fixed time, in milliseconds since the epoch, instead
// of the system clock; 0 returns to the system clock. For replaying stored callbacks
// with the time they arrived, and for conformance tests.
function aimis_verifier_set_now_ms(verifier: Paimis_verifier; now_ms: UInt64): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_verifier_set_now_ms';

// The text encoding of the callback JSON the verifier hands over (and of its error
// messages). Default `AIMIS_TEXT_ENCODING_UTF8`.
function aimis_verifier_set_text_encoding(verifier: Paimis_verifier; encoding: Taimis_text_encoding): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_verifier_set_text_encoding';

// Verifies one callback with `verifier`; otherwise as `aimis_callback_verify`.
//
// Ownership: the arguments stay the caller's. On success `*callback_json` receives the
// callback JSON (phoneNum/idNum decrypted), which the caller owns and frees with
// `aimis_string_free`; on failure it is untouched.
//
// Thread safety: many threads may verify with one verifier at once.
function aimis_verifier_verify(verifier: Paimis_verifier; header_app_id: PAnsiChar; header_timestamp: PAnsiChar; header_signature: PAnsiChar; body: PAnsiChar; body_len: NativeUInt; callback_json: PPAnsiChar): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_verifier_verify';

// Like `aimis_verifier_verify`, writing the callback JSON into the caller's `buffer`
// of `buffer_len` bytes; `AIMIS_BUFFER_TOO_SMALL` and `*needed` (NUL counted) as for
// `aimis_callback_verify_into`.
//
// Ownership: everything stays the caller's; nothing is to be freed.
function aimis_verifier_verify_into(verifier: Paimis_verifier; header_app_id: PAnsiChar; header_timestamp: PAnsiChar; header_signature: PAnsiChar; body: PAnsiChar; body_len: NativeUInt; buffer: PAnsiChar; buffer_len: NativeUInt; needed: PNativeUInt): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_verifier_verify_into';

// Verifies one callback with `verifier`, given every header the HTTP server received:
// `header_count` names and values (names in any case). A security header given twice
// with different values is ambiguous and rejected; a name or value that is not UTF-8
// came from the network and rejects the callback. Otherwise as `aimis_verifier_verify`.
//
// Ownership: the arguments stay the caller's. On success `*callback_json` receives the
// callback JSON (phoneNum/idNum decrypted), which the caller owns and frees with
// `aimis_string_free`; on failure it is untouched.
function aimis_verifier_verify_headers(verifier: Paimis_verifier; header_names: PPAnsiChar; header_values: PPAnsiChar; header_count: NativeUInt; body: PAnsiChar; body_len: NativeUInt; callback_json: PPAnsiChar): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_verifier_verify_headers';

// Like `aimis_verifier_verify_headers`, writing the callback JSON into the caller's
// `buffer` of `buffer_len` bytes; `AIMIS_BUFFER_TOO_SMALL` and `*needed` (NUL counted)
// as for `aimis_callback_verify_into`.
//
// Ownership: everything stays the caller's; nothing is to be freed.
function aimis_verifier_verify_headers_into(verifier: Paimis_verifier; header_names: PPAnsiChar; header_values: PPAnsiChar; header_count: NativeUInt; body: PAnsiChar; body_len: NativeUInt; buffer: PAnsiChar; buffer_len: NativeUInt; needed: PNativeUInt): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_verifier_verify_headers_into';

// Makes a client with the default options: 10 s timeout per attempt, 5 s to connect,
// 2 retries of transient failures, TLS verified against the public roots.
//
// `app_id` and `token` are the credentials the platform assigned; the token must be
// exactly 32 bytes (else `AIMIS_CONFIG`). `base_url` is the platform's address, such as
// "https://test.pacs.qq.com" or a simulator's "http://127.0.0.1:PORT"; NULL means
// production, "https://pacs.qq.com". Plain http is accepted only to loopback hosts.
//
// Ownership: the strings are only read during the call and stay the caller's. On
// success `*out` receives a new client that the caller owns and frees with
// `aimis_client_free`; on failure `*out` is untouched.
function aimis_client_new(app_id: PAnsiChar; token: PAnsiChar; base_url: PAnsiChar; out_: PPaimis_client): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_client_new';

// Like `aimis_client_new`, with `options` (NULL: the defaults).
//
// Ownership: `options` stays the caller's and may be freed right after this call. On
// success `*out` receives a new client that the caller frees with `aimis_client_free`;
// on failure `*out` is untouched.
function aimis_client_new_with_options(app_id: PAnsiChar; token: PAnsiChar; base_url: PAnsiChar; options_: Paimis_options; out_: PPaimis_client): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_client_new_with_options';

// Frees a client made by `aimis_client_new`. NULL is a no-op.
procedure aimis_client_free(client: Paimis_client); {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_client_free';

// Calls an endpoint of the spec by name and waits for the answer.
//
// `endpoint` is the vendor's name in any spelling: "patientStudies", "patient_studies"
// or "patient-studies"; `aimis_endpoints_json` lists them. `request_json` is a JSON
// object with the vendor's camelCase field names and patient data in plaintext (the
// library encrypts phoneNum and idNum, signs and sends); enum values may be numbers or
// names. The request is checked against the spec before anything is sent. Both are in
// the client's text encoding (`aimis_options_set_text_encoding`; UTF-8 by default), and
// so are the answer and the error message.
//
// Ownership: the arguments stay the caller's. On success `*response_json` receives the
// response `data` as JSON with the vendor's names, a string the caller owns and frees
// with `aimis_string_free`; on failure it is untouched, and for `AIMIS_API`
// `aimis_last_api_code()` gives the platform's code. It holds patient data: handle it
// as such.
//
// Thread safety: many threads may call this on one client at once.
function aimis_client_call(client: Paimis_client; endpoint: PAnsiChar; request_json: PAnsiChar; response_json: PPAnsiChar): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_client_call';

// Like `aimis_client_call`, writing the answer into the caller's `buffer` of
// `buffer_len` bytes, for languages that cannot call `aimis_string_free` (PowerBuilder,
// VB6).
//
// On success the answer and its NUL are in `buffer` and `*needed` is their length, the
// NUL counted. If the buffer is too small: `AIMIS_BUFFER_TOO_SMALL`, `*needed` is the
// size needed (NUL counted) and nothing else is written. The request was sent and
// answered, and that answer is not kept: call again with a buffer of at least
// `*needed` bytes (the queries are read-only, so repeating one is harmless), or start
// with a generous buffer (64 KiB holds any usual answer). `buffer` may be NULL when
// `buffer_len` is 0.
//
// Ownership: everything stays the caller's; nothing is to be freed.
//
// Thread safety: many threads may call this on one client at once.
function aimis_client_call_into(client: Paimis_client; endpoint: PAnsiChar; request_json: PAnsiChar; buffer: PAnsiChar; buffer_len: NativeUInt; needed: PNativeUInt): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_client_call_into';

// Makes an options object holding the defaults.
//
// Ownership: on success `*out` receives an object the caller owns and frees with
// `aimis_options_free`; on failure it is untouched.
function aimis_options_new(out_: PPaimis_options): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_options_new';

// Frees an options object. NULL is a no-op.
procedure aimis_options_free(options_: Paimis_options); {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_options_free';

// How long one attempt may take in all, connecting included, in milliseconds (> 0).
// Default 10000.
function aimis_options_set_timeout_ms(options_: Paimis_options; timeout_ms: UInt64): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_options_set_timeout_ms';

// How long connecting may take, in milliseconds (> 0). Default 5000.
function aimis_options_set_connect_timeout_ms(options_: Paimis_options; timeout_ms: UInt64): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_options_set_connect_timeout_ms';

// Retries of transient failures (transport errors, timeouts, HTTP 429 and 5xx): at most
// `max_retries` more tries, waiting `initial_backoff_ms` before the first, doubling up
// to `max_backoff_ms`, less a random part of up to half (jitter). 0 retries: none.
// Default: 2 retries, 200 ms, 2000 ms. `initial_backoff_ms` may not exceed
// `max_backoff_ms`.
function aimis_options_set_retries(options_: Paimis_options; max_retries: Cardinal; initial_backoff_ms: UInt64; max_backoff_ms: UInt64): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_options_set_retries';

// Sends every request through this HTTP proxy, such as "http://proxy.hospital.local:3128".
// Checked when the client is made (`AIMIS_CONFIG` if unusable).
//
// Ownership: `proxy_url` is copied; it stays the caller's.
function aimis_options_set_proxy(options_: Paimis_options; proxy_url: PAnsiChar): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_options_set_proxy';

// Trusts the CA certificates in `pem` (PEM text, one or more certificates) besides the
// public roots, for networks behind a TLS-inspecting proxy. May be called more than
// once. Checked when the client is made (`AIMIS_CONFIG` if it holds no certificate).
//
// Ownership: `pem` is copied; it stays the caller's.
function aimis_options_add_ca_pem(options_: Paimis_options; pem: PAnsiChar): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_options_add_ca_pem';

// Like `aimis_options_add_ca_pem`, reading the PEM text from the file at `path` when
// the client is made (`AIMIS_CONFIG` then if it cannot be read).
//
// Ownership: `path` is copied; it stays the caller's.
function aimis_options_add_ca_file(options_: Paimis_options; path: PAnsiChar): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_options_add_ca_file';

// Whether, without `aimis_options_set_proxy`, the environment's proxy is used
// (`HTTPS_PROXY`, `https_proxy` or `ALL_PROXY`, unless `NO_PROXY` names the host;
// loopback is never proxied), as curl does. Default: true.
function aimis_options_set_proxy_from_env(options_: Paimis_options; from_env: Boolean): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_options_set_proxy_from_env';

// Allows plain http:// to hosts other than loopback (true: allow). Default: refused.
function aimis_options_set_allow_insecure_http(options_: Paimis_options; allow: Boolean): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_options_set_allow_insecure_http';

// Adds a product token such as "my-his/4.2" to the User-Agent header.
//
// Ownership: `product` is copied; it stays the caller's.
function aimis_options_set_user_agent_product(options_: Paimis_options; product: PAnsiChar): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_options_set_user_agent_product';

// The text encoding of every string the client takes (`request_json`) and hands over
// (the answer, the error message): `AIMIS_TEXT_ENCODING_UTF8` (the default) or
// `AIMIS_TEXT_ENCODING_GB18030` for programs working in code page 936 (GBK). On the
// wire the text is UTF-8 either way. Text that is not valid in the chosen encoding is
// refused (`AIMIS_INVALID_TEXT`), never replaced. An unknown value is
// `AIMIS_VALIDATION`.
function aimis_options_set_text_encoding(options_: Paimis_options; encoding: Taimis_text_encoding): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_options_set_text_encoding';

// Encrypts one field value as the platform expects: AES-256-ECB keyed with the 32-byte
// token, PKCS#7 padding, lowercase hex. `aimis_client_call` does this itself; this is
// for building messages by hand, such as test callbacks.
//
// Ownership: the arguments stay the caller's. On success `*hex` receives a string the
// caller owns and frees with `aimis_string_free`; on failure it is untouched.
function aimis_encrypt_field(token: PAnsiChar; plaintext: PAnsiChar; hex: PPAnsiChar): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_encrypt_field';

// Like `aimis_encrypt_field`, with `plaintext` in `encoding` (GB18030: read as GB18030,
// encrypted as the platform expects, UTF-8). `AIMIS_INVALID_TEXT` if `plaintext` is not
// valid in that encoding.
//
// Ownership: the arguments stay the caller's. On success `*hex` receives a string the
// caller owns and frees with `aimis_string_free`; on failure it is untouched.
function aimis_encrypt_field_with_encoding(token: PAnsiChar; plaintext: PAnsiChar; encoding: Taimis_text_encoding; hex: PPAnsiChar): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_encrypt_field_with_encoding';

// Like `aimis_encrypt_field_with_encoding`, writing the hex into the caller's `buffer`
// of `buffer_len` bytes, for languages that cannot call `aimis_string_free`.
//
// On success the hex and its NUL are in `buffer` and `*needed` is their length, the
// NUL counted. If the buffer is too small: `AIMIS_BUFFER_TOO_SMALL`, `*needed` is the
// size needed (NUL counted) and nothing else is written; call again with a buffer that
// large. `buffer` may be NULL when `buffer_len` is 0 (to ask for the size).
//
// Ownership: everything stays the caller's; nothing is to be freed.
function aimis_encrypt_field_into(token: PAnsiChar; plaintext: PAnsiChar; encoding: Taimis_text_encoding; buffer: PAnsiChar; buffer_len: NativeUInt; needed: PNativeUInt): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_encrypt_field_into';

// Decrypts one field value (hex in either case) with the token.
//
// Ownership: the arguments stay the caller's. On success `*plaintext` receives a string
// the caller owns and frees with `aimis_string_free` (which wipes it); it is patient
// data. On failure (`AIMIS_CRYPTO`: bad hex, wrong length, wrong token) it is untouched.
function aimis_decrypt_field(token: PAnsiChar; hex: PAnsiChar; plaintext: PPAnsiChar): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_decrypt_field';

// Like `aimis_decrypt_field`, handing the plaintext over in `encoding` (GB18030: the
// decrypted UTF-8 is converted to GB18030).
//
// Ownership: the arguments stay the caller's. On success `*plaintext` receives a string
// the caller owns and frees with `aimis_string_free` (which wipes it); it is patient
// data. On failure it is untouched.
function aimis_decrypt_field_with_encoding(token: PAnsiChar; hex: PAnsiChar; encoding: Taimis_text_encoding; plaintext: PPAnsiChar): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_decrypt_field_with_encoding';

// Like `aimis_decrypt_field_with_encoding`, writing the plaintext into the caller's
// `buffer` of `buffer_len` bytes. `AIMIS_BUFFER_TOO_SMALL` as for
// `aimis_encrypt_field_into` (`*needed` counts the NUL; nothing else is written).
// Wipe the buffer when done: it holds patient data.
//
// Ownership: everything stays the caller's; nothing is to be freed.
function aimis_decrypt_field_into(token: PAnsiChar; hex: PAnsiChar; encoding: Taimis_text_encoding; buffer: PAnsiChar; buffer_len: NativeUInt; needed: PNativeUInt): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_decrypt_field_into';

// The `signature` header for this app id and timestamp: HMAC-SHA256 keyed with the
// token over app_id + timestamp_ms, lowercase hex. `timestamp_ms` is the decimal
// milliseconds since the epoch exactly as sent in the `timestamp` header.
//
// Ownership: the arguments stay the caller's. On success `*signature` receives a string
// the caller owns and frees with `aimis_string_free`; on failure it is untouched.
function aimis_sign(app_id: PAnsiChar; token: PAnsiChar; timestamp_ms: PAnsiChar; signature: PPAnsiChar): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_sign';

// Opens the store `store_url` (`sqlite:PATH`, or `postgres://...`), applying its
// schema migrations, with the credentials that decrypt what it holds.
//
// Ownership: the strings stay the caller's. On success `*out` receives an inbox the
// caller owns and frees with `aimis_inbox_free`; on failure it is untouched
// (`AIMIS_CONFIG` for a bad URL or credentials, `AIMIS_STORE` if the database cannot
// be opened).
function aimis_inbox_open(store_url: PAnsiChar; app_id: PAnsiChar; token: PAnsiChar; out_: PPaimis_inbox): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_inbox_open';

// Frees an inbox. NULL is a no-op.
procedure aimis_inbox_free(inbox: Paimis_inbox); {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_inbox_free';

// Claims the oldest pending callback for `lease_seconds` (at least 1): if it is not
// acknowledged by then, it is handed out again. A study's callbacks come one at a
// time, in the order received.
//
// Ownership: on success `*item_json` receives `{"id", "callback", "received_at",
// "attempts"}` (the callback with the vendor's names, phoneNum and idNum decrypted;
// from a `--confirm` inbox also `"unconfirmed": ["status"]`, the fields the platform
// could not vouch for),
// or `null` when nothing is pending: a string the caller owns and frees with
// `aimis_string_free`. It holds patient data. On failure it is untouched.
function aimis_inbox_next(inbox: Paimis_inbox; lease_seconds: Cardinal; item_json: PPAnsiChar): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_inbox_next';

// Like `aimis_inbox_next`, writing into the caller's `buffer`; `AIMIS_BUFFER_TOO_SMALL`
// with `*needed` set (NUL counted) and nothing else written if it does not fit, in
// which case the callback is given back unclaimed, its attempt not counted: ask with
// `NULL, 0` for the size, then again with a buffer of `*needed` bytes.
function aimis_inbox_next_into(inbox: Paimis_inbox; lease_seconds: Cardinal; buffer: PAnsiChar; buffer_len: NativeUInt; needed: PNativeUInt): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_inbox_next_into';

// Marks the claimed callback `id` handled; it is not handed out again. Acknowledging
// it twice is not an error; an unknown id is `AIMIS_VALIDATION`.
function aimis_inbox_ack(inbox: Paimis_inbox; id: Int64): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_inbox_ack';

// Gives the claimed callback `id` back: pending again now, for this or another
// consumer. After too many claims without an acknowledgement it becomes a dead letter
// (`aimis inbox retry` brings it back).
function aimis_inbox_nack(inbox: Paimis_inbox; id: Int64): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_inbox_nack';

// Lists the stored callbacks in `state` (`pending`, `delivered`, `superseded`, `dead`,
// or `all`; NULL is `all`), oldest first, as `aimis inbox list --json` prints them:
// a JSON array of `{"id", "state", "received_at", "attempts", "leased",
// "confirmation", "callback"}`, the callback with patient data masked (`***`).
//
// Ownership: on success `*list_json` receives a string the caller owns and frees with
// `aimis_string_free`; on failure it is untouched (`AIMIS_VALIDATION` for an unknown
// state).
function aimis_inbox_list_json(inbox: Paimis_inbox; state: PAnsiChar; list_json: PPAnsiChar): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_inbox_list_json';

// The inbox's counts, as `aimis inbox stats --json` prints them: a JSON object with
// `received`, `duplicates`, `replays_refused`, `same_millisecond`, `links_mismatched`,
// `fields_mismatched`, `not_confirmed`, `refused`, `refused_by_reason`, `pending`, `leased`,
// `awaiting_confirmation`, `delivered`, `superseded`, `dead`. No patient data.
//
// Ownership: on success `*stats_json` receives a string the caller owns and frees with
// `aimis_string_free`; on failure it is untouched.
function aimis_inbox_stats_json(inbox: Paimis_inbox; stats_json: PPAnsiChar): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_inbox_stats_json';

// The endpoints `aimis_client_call` accepts, as a JSON array of
// `{"name", "title", "doc", "method", "path", "request": [{"name", "type", "required",
// "encrypted", "sensitive", "doc", "values"?}], "response"}`, in the spec's order;
// `values` lists `{"value", "name", "doc"}` for enum fields.
//
// Ownership: on success `*out` receives a string the caller owns and frees with
// `aimis_string_free`; on failure it is untouched.
function aimis_endpoints_json(out_: PPAnsiChar): Taimis_result; {$IFDEF WIN32}stdcall{$ELSE}cdecl{$ENDIF}; external AIMIS_LIB name 'aimis_endpoints_json';

type
  { A libaimis call failed: ResultCode (an AIMIS_ constant), ApiCode (the platform's
    code for AIMIS_API, else 0) and the message (never patient data or the token). }
  EAimisError = class(Exception)
  public
    ResultCode: Integer;
    ApiCode: Int64;
    constructor CreateResult(AResult: Integer; AApiCode: Int64; const AMessage: string);
  end;

  { Client options; every setter checks its value at once (raises EAimisError). }
  TAimisOptions = class
  private
    FHandle: Paimis_options;
  public
    constructor Create;
    destructor Destroy; override;
    property Handle: Paimis_options read FHandle;
    function SetTimeoutMs(ATimeoutMs: UInt64): TAimisOptions;
    function SetConnectTimeoutMs(ATimeoutMs: UInt64): TAimisOptions;
    function SetRetries(AMaxRetries: Cardinal; AInitialBackoffMs: UInt64; AMaxBackoffMs: UInt64): TAimisOptions;
    function SetProxy(const AProxyUrl: UTF8String): TAimisOptions;
    function AddCaPem(const APem: UTF8String): TAimisOptions;
    function AddCaFile(const APath: UTF8String): TAimisOptions;
    function SetProxyFromEnv(AFromEnv: Boolean): TAimisOptions;
    function SetAllowInsecureHttp(AAllow: Boolean): TAimisOptions;
    function SetUserAgentProduct(const AProduct: UTF8String): TAimisOptions;
    function SetTextEncoding(AEncoding: Taimis_text_encoding): TAimisOptions;
  end;

  { A client of the AIMIS platform; thread-safe. Requests and answers are JSON text
    (UTF8String) with the vendor's camelCase names; patient data goes in as plaintext. }
  TAimisClient = class
  private
    FHandle: Paimis_client;
  public
    { BaseUrl '': production. Options nil: the defaults; free them when you like. }
    constructor Create(const AppId, Token, BaseUrl: UTF8String; Options: TAimisOptions = nil);
    destructor Destroy; override;
    { The native aimis_client *, for the raw functions (such as the _into ones). }
    property Handle: Paimis_client read FHandle;
    { Calls an endpoint by name with a JSON request; returns the response data as JSON. }
    function Call(const Endpoint, RequestJson: UTF8String): UTF8String;
    // Checklist Query: Lists a patient's studies, filtered by type, date range and origin.
    //
    // Request fields (JSON, camelCase): phoneNum (string, required), idNum (string, required), hisId (string), patientName (string), hospitalId (string, required), unionId (string, required), studyType (StudyType, required), dataFlag (DataFlag, required), usage (Usage, required), studyDateBegin (datetime, required), studyDateEnd (datetime, required).
    // Answer: the response data, list<Study>.
    function PatientStudies(const RequestJson: UTF8String): UTF8String;
    // Consultation Record Query: Gets the page where a doctor sees the patient's remote consultation records.
    //
    // Request fields (JSON, camelCase): hisId (string, required), phoneNum (string, required), idNum (string, required), patientName (string), hospitalId (string, required), unionId (string, required).
    // Answer: the response data, ConsultationList.
    function PatientConsultations(const RequestJson: UTF8String): UTF8String;
    // Check Report URL Retrieval: Gets the report and image pages of one study, by the reportId the imaging cloud gave.
    //
    // Request fields (JSON, camelCase): reportId (string, required), phoneNum (string, required), idNum (string, required), hospitalId (string, required).
    // Answer: the response data, PatientStudyUrl.
    function PatientReportUrl(const RequestJson: UTF8String): UTF8String;
  end;

{ Verifies a status callback (header values; '' when absent) and returns it as JSON
  with phoneNum and idNum decrypted; raises EAimisError if rejected or malformed. }
function AimisVerifyCallback(const AppId, Token, HeaderAppId, HeaderTimestamp,
  HeaderSignature: UTF8String; const Body: RawByteString): UTF8String;
function AimisEncryptField(const Token, Plaintext: UTF8String): UTF8String;
function AimisDecryptField(const Token, Hex: UTF8String): UTF8String;
function AimisSign(const AppId, Token, TimestampMs: UTF8String): UTF8String;
{ Raises EAimisError for any result but AIMIS_OK, with this thread's last error. }
procedure AimisCheck(R: Integer);

{$IFDEF FPC}
// The typed layer, from the spec (Free Pascal: it reads JSON with fpjson; Delphi uses
// the JSON methods above). A record's enum field is valid only when its Has flag is
// set; strings are '' when absent, and a request leaves out a string field that is ''.
type
  // The imaging department a study belongs to.
  TAimisStudyType = (StudyTypeRadiology = 0, StudyTypeOphthalmology = 1, StudyTypePathology = 2, StudyTypeEndoscopy = 3, StudyTypeElectrocardiogram = 4, StudyTypeUltrasound = 5);
  // Which of the patient's studies to return, relative to hospitalId and unionId.
  TAimisDataFlag = (DataFlagAll = 0, DataFlagThisHospital = 1, DataFlagOtherHospitals = 2, DataFlagThisAlliance = 3, DataFlagOtherAlliances = 4);
  // What the data is for.
  TAimisUsage = (UsagePatientChecklist = 0, UsageOnlineConsultation = 1, UsageDoctorView = 2);
  // How far the platform has got with a study.
  TAimisStudyStatus = (StudyStatusStudyOnly = 0, StudyStatusReportReady = 1, StudyStatusImagesReady = 2, StudyStatusReportAndImagesReady = 3);

  // One imaging study (examination) of the patient.
  TAimisStudy = record
    HisId: UTF8String;
    ReportId: UTF8String;
    StudyType: TAimisStudyType;
    HasStudyType: Boolean;
    StudyDate: UTF8String;
    StudyId: UTF8String;
    BodyPart: UTF8String;
    StudyName: UTF8String;
    ApplyDoctor: UTF8String;
    ApplyDoctorId: UTF8String;
    ApplyDept: UTF8String;
    ApplyDeptId: UTF8String;
    UniAppId: UTF8String;
    UniPath: UTF8String;
    H5Url: UTF8String;
    H5DetailUrl: UTF8String;
  end;
  TAimisStudyArray = array of TAimisStudy;

  // Where the patient's consultation records can be seen.
  TAimisConsultationList = record
    H5Url: UTF8String;
  end;
  TAimisConsultationListArray = array of TAimisConsultationList;

  // Links to one report and its images.
  TAimisPatientStudyUrl = record
    H5Url: UTF8String;
    H5DetailUrl: UTF8String;
    StudyId: UTF8String;
  end;
  TAimisPatientStudyUrlArray = array of TAimisPatientStudyUrl;

  // The request of patientStudies.
  TAimisPatientStudiesRequest = record
    PhoneNum: UTF8String;
    IdNum: UTF8String;
    HisId: UTF8String;
    PatientName: UTF8String;
    HospitalId: UTF8String;
    UnionId: UTF8String;
    StudyType: TAimisStudyType;
    DataFlag: TAimisDataFlag;
    Usage: TAimisUsage;
    StudyDateBegin: TDateTime;
    StudyDateEnd: TDateTime;
  end;

  // The request of patientConsultations.
  TAimisPatientConsultationsRequest = record
    HisId: UTF8String;
    PhoneNum: UTF8String;
    IdNum: UTF8String;
    PatientName: UTF8String;
    HospitalId: UTF8String;
    UnionId: UTF8String;
  end;

  // The request of patientReportUrl.
  TAimisPatientReportUrlRequest = record
    ReportId: UTF8String;
    PhoneNum: UTF8String;
    IdNum: UTF8String;
    HospitalId: UTF8String;
  end;

// Checklist Query: Lists a patient's studies, filtered by type, date range and origin.
function AimisPatientStudies(Client: TAimisClient; const Request: TAimisPatientStudiesRequest): TAimisStudyArray;
// Consultation Record Query: Gets the page where a doctor sees the patient's remote consultation records.
function AimisPatientConsultations(Client: TAimisClient; const Request: TAimisPatientConsultationsRequest): TAimisConsultationList;
// Check Report URL Retrieval: Gets the report and image pages of one study, by the reportId the imaging cloud gave.
function AimisPatientReportUrl(Client: TAimisClient; const Request: TAimisPatientReportUrlRequest): TAimisPatientStudyUrl;
{$ENDIF}

implementation

constructor EAimisError.CreateResult(AResult: Integer; AApiCode: Int64; const AMessage: string);
begin
  inherited Create(AMessage);
  ResultCode := AResult;
  ApiCode := AApiCode;
end;

{ A C string as a Pascal string, UTF-8 decoded. }
function FromUtf8(P: PAnsiChar): string;
var
  S: UTF8String;
begin
  S := UTF8String(P);
  Result := string(S);
end;

procedure Check(R: Integer);
begin
  if R <> AIMIS_OK then
    raise EAimisError.CreateResult(R, aimis_last_api_code(),
      FromUtf8(aimis_result_name(R)) + ': ' + FromUtf8(aimis_last_error_message()));
end;

{ A string libaimis handed over: copied, then freed (and wiped). }
function Take(P: PAnsiChar): UTF8String;
begin
  try
    Result := UTF8String(P);
  finally
    aimis_string_free(P);
  end;
end;

{ NULL for an empty string: the optional arguments (base URL) are NULL when absent. }
function OptionalArg(const S: UTF8String): PAnsiChar;
begin
  if S = '' then Result := nil else Result := PAnsiChar(S);
end;

constructor TAimisOptions.Create;
begin
  inherited Create;
  Check(aimis_options_new(@FHandle));
end;

destructor TAimisOptions.Destroy;
begin
  aimis_options_free(FHandle);
  inherited Destroy;
end;

function TAimisOptions.SetTimeoutMs(ATimeoutMs: UInt64): TAimisOptions;
begin
  Check(aimis_options_set_timeout_ms(FHandle, ATimeoutMs));
  Result := Self;
end;

function TAimisOptions.SetConnectTimeoutMs(ATimeoutMs: UInt64): TAimisOptions;
begin
  Check(aimis_options_set_connect_timeout_ms(FHandle, ATimeoutMs));
  Result := Self;
end;

function TAimisOptions.SetRetries(AMaxRetries: Cardinal; AInitialBackoffMs: UInt64; AMaxBackoffMs: UInt64): TAimisOptions;
begin
  Check(aimis_options_set_retries(FHandle, AMaxRetries, AInitialBackoffMs, AMaxBackoffMs));
  Result := Self;
end;

function TAimisOptions.SetProxy(const AProxyUrl: UTF8String): TAimisOptions;
begin
  Check(aimis_options_set_proxy(FHandle, PAnsiChar(AProxyUrl)));
  Result := Self;
end;

function TAimisOptions.AddCaPem(const APem: UTF8String): TAimisOptions;
begin
  Check(aimis_options_add_ca_pem(FHandle, PAnsiChar(APem)));
  Result := Self;
end;

function TAimisOptions.AddCaFile(const APath: UTF8String): TAimisOptions;
begin
  Check(aimis_options_add_ca_file(FHandle, PAnsiChar(APath)));
  Result := Self;
end;

function TAimisOptions.SetProxyFromEnv(AFromEnv: Boolean): TAimisOptions;
begin
  Check(aimis_options_set_proxy_from_env(FHandle, AFromEnv));
  Result := Self;
end;

function TAimisOptions.SetAllowInsecureHttp(AAllow: Boolean): TAimisOptions;
begin
  Check(aimis_options_set_allow_insecure_http(FHandle, AAllow));
  Result := Self;
end;

function TAimisOptions.SetUserAgentProduct(const AProduct: UTF8String): TAimisOptions;
begin
  Check(aimis_options_set_user_agent_product(FHandle, PAnsiChar(AProduct)));
  Result := Self;
end;

function TAimisOptions.SetTextEncoding(AEncoding: Taimis_text_encoding): TAimisOptions;
begin
  Check(aimis_options_set_text_encoding(FHandle, AEncoding));
  Result := Self;
end;

constructor TAimisClient.Create(const AppId, Token, BaseUrl: UTF8String; Options: TAimisOptions);
var
  OptionsHandle: Paimis_options;
begin
  inherited Create;
  OptionsHandle := nil;
  if Options <> nil then OptionsHandle := Options.Handle;
  Check(aimis_client_new_with_options(PAnsiChar(AppId), PAnsiChar(Token), OptionalArg(BaseUrl),
    OptionsHandle, @FHandle));
end;

destructor TAimisClient.Destroy;
begin
  aimis_client_free(FHandle);
  inherited Destroy;
end;

function TAimisClient.Call(const Endpoint, RequestJson: UTF8String): UTF8String;
var
  Response: PAnsiChar;
begin
  Check(aimis_client_call(FHandle, PAnsiChar(Endpoint), PAnsiChar(RequestJson), @Response));
  Result := Take(Response);
end;

function TAimisClient.PatientStudies(const RequestJson: UTF8String): UTF8String;
begin
  Result := Call('patientStudies', RequestJson);
end;

function TAimisClient.PatientConsultations(const RequestJson: UTF8String): UTF8String;
begin
  Result := Call('patientConsultations', RequestJson);
end;

function TAimisClient.PatientReportUrl(const RequestJson: UTF8String): UTF8String;
begin
  Result := Call('patientReportUrl', RequestJson);
end;

function AimisVerifyCallback(const AppId, Token, HeaderAppId, HeaderTimestamp,
  HeaderSignature: UTF8String; const Body: RawByteString): UTF8String;
var
  Json: PAnsiChar;
begin
  Check(aimis_callback_verify(PAnsiChar(AppId), PAnsiChar(Token), OptionalArg(HeaderAppId),
    OptionalArg(HeaderTimestamp), OptionalArg(HeaderSignature), PAnsiChar(Body), Length(Body), @Json));
  Result := Take(Json);
end;

function AimisEncryptField(const Token, Plaintext: UTF8String): UTF8String;
var
  Hex: PAnsiChar;
begin
  Check(aimis_encrypt_field(PAnsiChar(Token), PAnsiChar(Plaintext), @Hex));
  Result := Take(Hex);
end;

function AimisDecryptField(const Token, Hex: UTF8String): UTF8String;
var
  Text: PAnsiChar;
begin
  Check(aimis_decrypt_field(PAnsiChar(Token), PAnsiChar(Hex), @Text));
  Result := Take(Text);
end;

function AimisSign(const AppId, Token, TimestampMs: UTF8String): UTF8String;
var
  Signature: PAnsiChar;
begin
  Check(aimis_sign(PAnsiChar(AppId), PAnsiChar(Token), PAnsiChar(TimestampMs), @Signature));
  Result := Take(Signature);
end;

procedure AimisCheck(R: Integer);
begin
  Check(R);
end;

{$IFDEF FPC}
function JsonText(O: TJSONObject; const Name: string): UTF8String;
var
  D: TJSONData;
  RawText: RawByteString;
begin
  D := O.Find(Name);
  if (D = nil) or (D.JSONType = jtNull) then Exit('');
  { The UTF-8 bytes as parsed (UseUTF8 False), tagged as UTF-8 so nothing converts them. }
  RawText := D.AsString;
  SetCodePage(RawText, CP_UTF8, False);
  Result := RawText;
end;

{ An integer member between Low and High: True and Value; else False. }
function JsonInt(O: TJSONObject; const Name: string; Low, High: Int64; out Value: Int64): Boolean;
var
  D: TJSONData;
begin
  D := O.Find(Name);
  Result := (D <> nil) and (D.JSONType = jtNumber);
  if Result then Value := D.AsInt64 else Value := 0;
  Result := Result and (Value >= Low) and (Value <= High);
end;

procedure AddText(O: TJSONObject; const Name: string; const Value: UTF8String);
begin
  if Value <> '' then O.Add(Name, Value);
end;

function ReadTAimisStudy(O: TJSONObject): TAimisStudy;
var
  N: Int64;
begin
  Result := Default(TAimisStudy);
  N := 0;
  Result.HisId := JsonText(O, 'hisId');
  Result.ReportId := JsonText(O, 'reportId');
  Result.HasStudyType := JsonInt(O, 'studyType', Ord(Low(TAimisStudyType)), Ord(High(TAimisStudyType)), N);
  if Result.HasStudyType then Result.StudyType := TAimisStudyType(N);
  Result.StudyDate := JsonText(O, 'studyDate');
  Result.StudyId := JsonText(O, 'studyId');
  Result.BodyPart := JsonText(O, 'bodyPart');
  Result.StudyName := JsonText(O, 'studyName');
  Result.ApplyDoctor := JsonText(O, 'applyDoctor');
  Result.ApplyDoctorId := JsonText(O, 'applyDoctorId');
  Result.ApplyDept := JsonText(O, 'applyDept');
  Result.ApplyDeptId := JsonText(O, 'applyDeptId');
  Result.UniAppId := JsonText(O, 'uniAppId');
  Result.UniPath := JsonText(O, 'uniPath');
  Result.H5Url := JsonText(O, 'h5Url');
  Result.H5DetailUrl := JsonText(O, 'h5DetailUrl');
end;

function ReadTAimisConsultationList(O: TJSONObject): TAimisConsultationList;
var
  N: Int64;
begin
  Result := Default(TAimisConsultationList);
  N := 0;
  Result.H5Url := JsonText(O, 'h5Url');
end;

function ReadTAimisPatientStudyUrl(O: TJSONObject): TAimisPatientStudyUrl;
var
  N: Int64;
begin
  Result := Default(TAimisPatientStudyUrl);
  N := 0;
  Result.H5Url := JsonText(O, 'h5Url');
  Result.H5DetailUrl := JsonText(O, 'h5DetailUrl');
  Result.StudyId := JsonText(O, 'studyId');
end;

function TAimisPatientStudiesRequestJson(const R: TAimisPatientStudiesRequest): UTF8String;
var
  O: TJSONObject;
begin
  O := TJSONObject.Create;
  try
    AddText(O, 'phoneNum', R.PhoneNum);
    AddText(O, 'idNum', R.IdNum);
    AddText(O, 'hisId', R.HisId);
    AddText(O, 'patientName', R.PatientName);
    AddText(O, 'hospitalId', R.HospitalId);
    AddText(O, 'unionId', R.UnionId);
    O.Add('studyType', Ord(R.StudyType));
    O.Add('dataFlag', Ord(R.DataFlag));
    O.Add('usage', Ord(R.Usage));
    O.Add('studyDateBegin', FormatDateTime('yyyy-mm-dd hh:nn:ss', R.StudyDateBegin));
    O.Add('studyDateEnd', FormatDateTime('yyyy-mm-dd hh:nn:ss', R.StudyDateEnd));
    Result := O.AsJSON;
  finally
    O.Free;
  end;
end;

function AimisPatientStudies(Client: TAimisClient; const Request: TAimisPatientStudiesRequest): TAimisStudyArray;
var
  D: TJSONData;
  I: Integer;
begin
  { UseUTF8 False: fpjson keeps the answer's UTF-8 bytes as they are (True would
    convert them to the system code page, losing what it cannot spell). }
  D := GetJSON(Client.Call('patientStudies', TAimisPatientStudiesRequestJson(Request)), False);
  try
    Result := nil;
    SetLength(Result, TJSONArray(D).Count);
    for I := 0 to TJSONArray(D).Count - 1 do
      Result[I] := ReadTAimisStudy(TJSONArray(D).Objects[I]);
  finally
    D.Free;
  end;
end;

function TAimisPatientConsultationsRequestJson(const R: TAimisPatientConsultationsRequest): UTF8String;
var
  O: TJSONObject;
begin
  O := TJSONObject.Create;
  try
    AddText(O, 'hisId', R.HisId);
    AddText(O, 'phoneNum', R.PhoneNum);
    AddText(O, 'idNum', R.IdNum);
    AddText(O, 'patientName', R.PatientName);
    AddText(O, 'hospitalId', R.HospitalId);
    AddText(O, 'unionId', R.UnionId);
    Result := O.AsJSON;
  finally
    O.Free;
  end;
end;

function AimisPatientConsultations(Client: TAimisClient; const Request: TAimisPatientConsultationsRequest): TAimisConsultationList;
var
  D: TJSONData;
begin
  { UseUTF8 False: fpjson keeps the answer's UTF-8 bytes as they are (True would
    convert them to the system code page, losing what it cannot spell). }
  D := GetJSON(Client.Call('patientConsultations', TAimisPatientConsultationsRequestJson(Request)), False);
  try
    Result := ReadTAimisConsultationList(TJSONObject(D));
  finally
    D.Free;
  end;
end;

function TAimisPatientReportUrlRequestJson(const R: TAimisPatientReportUrlRequest): UTF8String;
var
  O: TJSONObject;
begin
  O := TJSONObject.Create;
  try
    AddText(O, 'reportId', R.ReportId);
    AddText(O, 'phoneNum', R.PhoneNum);
    AddText(O, 'idNum', R.IdNum);
    AddText(O, 'hospitalId', R.HospitalId);
    Result := O.AsJSON;
  finally
    O.Free;
  end;
end;

function AimisPatientReportUrl(Client: TAimisClient; const Request: TAimisPatientReportUrlRequest): TAimisPatientStudyUrl;
var
  D: TJSONData;
begin
  { UseUTF8 False: fpjson keeps the answer's UTF-8 bytes as they are (True would
    convert them to the system code page, losing what it cannot spell). }
  D := GetJSON(Client.Call('patientReportUrl', TAimisPatientReportUrlRequestJson(Request)), False);
  try
    Result := ReadTAimisPatientStudyUrl(TJSONObject(D));
  finally
    D.Free;
  end;
end;

{$ENDIF}
end.
