$PBExportHeader$n_aimis.sru
$PBExportComments$libaimis 0.1.0: external functions of aimis.dll (generated; do not edit)
// Generated from aimis-ffi (the functions and codes of aimis.h) by
// `cargo run -p xtask -- generate`: do not edit.
//
// Import into a library (Library painter: Import), then declare a variable:
//     n_aimis ln_aimis   // autoinstantiate: no CREATE needed
// For the 32-bit aimis.dll (x86): stdcall exports with undecorated names. Strings go
// in and out in the system code page (`;ansi`): set the client's text encoding to
// AIMIS_TEXT_ENCODING_SYSTEM (or GB18030 on code page 936). Answers come back through
// `_into` buffers the caller owns: ls_buf = Space(65536), pass Len(ls_buf) as the
// buffer length; AIMIS_BUFFER_TOO_SMALL sets the needed size: enlarge and call again.
// Handles (aimis_client *, ...) are ulong; a NULL string argument is SetNull(ls_arg).
forward
global type n_aimis from nonvisualobject
end type
end forward

global type n_aimis from nonvisualobject autoinstantiate
end type

type prototypes
// Copies this thread's last error message (as `aimis_last_error_message` gives it, in
FUNCTION long aimis_last_error_message_into(ref string a_buffer, ulong a_buffer_len, ref ulong a_needed) LIBRARY "aimis.dll" ALIAS FOR "aimis_last_error_message_into;ansi"
// The platform's `code` if the last failed call on this thread failed with
FUNCTION longlong aimis_last_api_code() LIBRARY "aimis.dll" ALIAS FOR "aimis_last_api_code;ansi"
// Like `aimis_client_batch`, writing the outcomes into the caller's `buffer` of
FUNCTION long aimis_client_batch_into(ulong a_client, string a_endpoint, string a_requests_json, ulong a_concurrency, double a_rate_per_second, ref string a_buffer, ulong a_buffer_len, ref ulong a_needed) LIBRARY "aimis.dll" ALIAS FOR "aimis_client_batch_into;ansi"
// Like `aimis_callback_verify_with_encoding`, writing the callback JSON into the
FUNCTION long aimis_callback_verify_into(string a_app_id, string a_token, string a_header_app_id, string a_header_timestamp, string a_header_signature, string a_body, ulong a_body_len, long a_encoding, ref string a_buffer, ulong a_buffer_len, ref ulong a_needed) LIBRARY "aimis.dll" ALIAS FOR "aimis_callback_verify_into;ansi"
// Makes a verifier for the partner's credentials, with the defaults: the system clock,
FUNCTION long aimis_verifier_new(string a_app_id, string a_token, ref ulong a_out) LIBRARY "aimis.dll" ALIAS FOR "aimis_verifier_new;ansi"
// Frees a verifier. NULL is a no-op.
SUBROUTINE aimis_verifier_free(ulong a_verifier) LIBRARY "aimis.dll" ALIAS FOR "aimis_verifier_free;ansi"
// How far a callback's timestamp may be from now, either way, in milliseconds (> 0).
FUNCTION long aimis_verifier_set_max_skew_ms(ulong a_verifier, longlong a_max_skew_ms) LIBRARY "aimis.dll" ALIAS FOR "aimis_verifier_set_max_skew_ms;ansi"
// Checks timestamps against this fixed time, in milliseconds since the epoch, instead
FUNCTION long aimis_verifier_set_now_ms(ulong a_verifier, longlong a_now_ms) LIBRARY "aimis.dll" ALIAS FOR "aimis_verifier_set_now_ms;ansi"
// The text encoding of the callback JSON the verifier hands over (and of its error
FUNCTION long aimis_verifier_set_text_encoding(ulong a_verifier, long a_encoding) LIBRARY "aimis.dll" ALIAS FOR "aimis_verifier_set_text_encoding;ansi"
// Like `aimis_verifier_verify`, writing the callback JSON into the caller's `buffer`
FUNCTION long aimis_verifier_verify_into(ulong a_verifier, string a_header_app_id, string a_header_timestamp, string a_header_signature, string a_body, ulong a_body_len, ref string a_buffer, ulong a_buffer_len, ref ulong a_needed) LIBRARY "aimis.dll" ALIAS FOR "aimis_verifier_verify_into;ansi"
// Makes a client with the default options: 10 s timeout per attempt, 5 s to connect,
FUNCTION long aimis_client_new(string a_app_id, string a_token, string a_base_url, ref ulong a_out) LIBRARY "aimis.dll" ALIAS FOR "aimis_client_new;ansi"
// Like `aimis_client_new`, with `options` (NULL: the defaults).
FUNCTION long aimis_client_new_with_options(string a_app_id, string a_token, string a_base_url, ulong a_options, ref ulong a_out) LIBRARY "aimis.dll" ALIAS FOR "aimis_client_new_with_options;ansi"
// Frees a client made by `aimis_client_new`. NULL is a no-op.
SUBROUTINE aimis_client_free(ulong a_client) LIBRARY "aimis.dll" ALIAS FOR "aimis_client_free;ansi"
// Like `aimis_client_call`, writing the answer into the caller's `buffer` of
FUNCTION long aimis_client_call_into(ulong a_client, string a_endpoint, string a_request_json, ref string a_buffer, ulong a_buffer_len, ref ulong a_needed) LIBRARY "aimis.dll" ALIAS FOR "aimis_client_call_into;ansi"
// Makes an options object holding the defaults.
FUNCTION long aimis_options_new(ref ulong a_out) LIBRARY "aimis.dll" ALIAS FOR "aimis_options_new;ansi"
// Frees an options object. NULL is a no-op.
SUBROUTINE aimis_options_free(ulong a_options) LIBRARY "aimis.dll" ALIAS FOR "aimis_options_free;ansi"
// How long one attempt may take in all, connecting included, in milliseconds (> 0).
FUNCTION long aimis_options_set_timeout_ms(ulong a_options, longlong a_timeout_ms) LIBRARY "aimis.dll" ALIAS FOR "aimis_options_set_timeout_ms;ansi"
// How long connecting may take, in milliseconds (> 0). Default 5000.
FUNCTION long aimis_options_set_connect_timeout_ms(ulong a_options, longlong a_timeout_ms) LIBRARY "aimis.dll" ALIAS FOR "aimis_options_set_connect_timeout_ms;ansi"
// Retries of transient failures (transport errors, timeouts, HTTP 429 and 5xx): at most
FUNCTION long aimis_options_set_retries(ulong a_options, ulong a_max_retries, longlong a_initial_backoff_ms, longlong a_max_backoff_ms) LIBRARY "aimis.dll" ALIAS FOR "aimis_options_set_retries;ansi"
// Sends every request through this HTTP proxy, such as "http://proxy.hospital.local:3128".
FUNCTION long aimis_options_set_proxy(ulong a_options, string a_proxy_url) LIBRARY "aimis.dll" ALIAS FOR "aimis_options_set_proxy;ansi"
// Trusts the CA certificates in `pem` (PEM text, one or more certificates) besides the
FUNCTION long aimis_options_add_ca_pem(ulong a_options, string a_pem) LIBRARY "aimis.dll" ALIAS FOR "aimis_options_add_ca_pem;ansi"
// Like `aimis_options_add_ca_pem`, reading the PEM text from the file at `path` when
FUNCTION long aimis_options_add_ca_file(ulong a_options, string a_path) LIBRARY "aimis.dll" ALIAS FOR "aimis_options_add_ca_file;ansi"
// Whether, without `aimis_options_set_proxy`, the environment's proxy is used
FUNCTION long aimis_options_set_proxy_from_env(ulong a_options, byte a_from_env) LIBRARY "aimis.dll" ALIAS FOR "aimis_options_set_proxy_from_env;ansi"
// Allows plain http:// to hosts other than loopback (true: allow). Default: refused.
FUNCTION long aimis_options_set_allow_insecure_http(ulong a_options, byte a_allow) LIBRARY "aimis.dll" ALIAS FOR "aimis_options_set_allow_insecure_http;ansi"
// Adds a product token such as "my-his/4.2" to the User-Agent header.
FUNCTION long aimis_options_set_user_agent_product(ulong a_options, string a_product) LIBRARY "aimis.dll" ALIAS FOR "aimis_options_set_user_agent_product;ansi"
// The text encoding of every string the client takes (`request_json`) and hands over
FUNCTION long aimis_options_set_text_encoding(ulong a_options, long a_encoding) LIBRARY "aimis.dll" ALIAS FOR "aimis_options_set_text_encoding;ansi"
// Like `aimis_encrypt_field_with_encoding`, writing the hex into the caller's `buffer`
FUNCTION long aimis_encrypt_field_into(string a_token, string a_plaintext, long a_encoding, ref string a_buffer, ulong a_buffer_len, ref ulong a_needed) LIBRARY "aimis.dll" ALIAS FOR "aimis_encrypt_field_into;ansi"
// Like `aimis_decrypt_field_with_encoding`, writing the plaintext into the caller's
FUNCTION long aimis_decrypt_field_into(string a_token, string a_hex, long a_encoding, ref string a_buffer, ulong a_buffer_len, ref ulong a_needed) LIBRARY "aimis.dll" ALIAS FOR "aimis_decrypt_field_into;ansi"
// Opens the store `store_url` (`sqlite:PATH`, or `postgres://...`), applying its
FUNCTION long aimis_inbox_open(string a_store_url, string a_app_id, string a_token, ref ulong a_out) LIBRARY "aimis.dll" ALIAS FOR "aimis_inbox_open;ansi"
// Frees an inbox. NULL is a no-op.
SUBROUTINE aimis_inbox_free(ulong a_inbox) LIBRARY "aimis.dll" ALIAS FOR "aimis_inbox_free;ansi"
// Like `aimis_inbox_next`, writing into the caller's `buffer`; `AIMIS_BUFFER_TOO_SMALL`
FUNCTION long aimis_inbox_next_into(ulong a_inbox, ulong a_lease_seconds, ref string a_buffer, ulong a_buffer_len, ref ulong a_needed) LIBRARY "aimis.dll" ALIAS FOR "aimis_inbox_next_into;ansi"
// Marks the claimed callback `id` handled; it is not handed out again. Acknowledging
FUNCTION long aimis_inbox_ack(ulong a_inbox, longlong a_id) LIBRARY "aimis.dll" ALIAS FOR "aimis_inbox_ack;ansi"
// Gives the claimed callback `id` back: pending again now, for this or another
FUNCTION long aimis_inbox_nack(ulong a_inbox, longlong a_id) LIBRARY "aimis.dll" ALIAS FOR "aimis_inbox_nack;ansi"
end prototypes

type variables
// Result codes and text encodings of aimis.h.
constant long AIMIS_OK = 0
constant long AIMIS_NULL_ARGUMENT = 1
constant long AIMIS_INVALID_UTF8 = 2
constant long AIMIS_INVALID_JSON = 3
constant long AIMIS_CONFIG = 4
constant long AIMIS_VALIDATION = 5
constant long AIMIS_UNKNOWN_ENDPOINT = 6
constant long AIMIS_TRANSPORT = 7
constant long AIMIS_TIMEOUT = 8
constant long AIMIS_HTTP = 9
constant long AIMIS_DECODE = 10
constant long AIMIS_API = 11
constant long AIMIS_CRYPTO = 12
constant long AIMIS_CALLBACK_REJECTED = 13
constant long AIMIS_CALLBACK_MALFORMED = 14
constant long AIMIS_INTERNAL = 15
constant long AIMIS_BUFFER_TOO_SMALL = 16
constant long AIMIS_INVALID_TEXT = 17
constant long AIMIS_CONNECTION_REFUSED = 18
constant long AIMIS_DNS = 19
constant long AIMIS_TLS_CERTIFICATE = 20
constant long AIMIS_CONNECTION_RESET = 21
constant long AIMIS_BODY_TOO_LARGE = 22
constant long AIMIS_STORE = 23
constant long AIMIS_LOG_OFF = 0
constant long AIMIS_LOG_ERROR = 1
constant long AIMIS_LOG_WARN = 2
constant long AIMIS_LOG_INFO = 3
constant long AIMIS_LOG_DEBUG = 4
constant long AIMIS_LOG_TRACE = 5
constant long AIMIS_TEXT_ENCODING_UTF8 = 0
constant long AIMIS_TEXT_ENCODING_GB18030 = 1
constant long AIMIS_TEXT_ENCODING_SYSTEM = 2
end variables

on n_aimis.create
call super::create
TriggerEvent( this, "constructor" )
end on

on n_aimis.destroy
TriggerEvent( this, "destructor" )
call super::destroy
end on
