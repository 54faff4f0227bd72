Attribute VB_Name = "Aimis"
' Generated from aimis-ffi (the functions and codes of aimis.h) by
' `cargo run -p xtask -- generate`: do not edit.
'
' libaimis 0.1.0 for Visual Basic 6 (and VBA, 32-bit): add this module to the
' project and put the x86 aimis.dll beside the .exe. The exports are stdcall with
' undecorated names. ByVal String passes the text in the system code page: set the
' client's text encoding to AIMIS_TEXT_ENCODING_SYSTEM (or GB18030 on code page 936).
' Answers come back through the _into functions into a buffer you own:
'     buf = String$(65536, vbNullChar)
'     r = aimis_client_call_into(client, "patientStudies", req, buf, Len(buf), needed)
'     If r = AIMIS_BUFFER_TOO_SMALL Then buf = String$(needed, vbNullChar): ...call again
'     answer = Left$(buf, InStr(buf, vbNullChar) - 1)
' Handles (aimis_client *, ...) are Long; vbNullString is a NULL string. VB6 has no
' 64-bit integer: uint64_t and int64_t are Currency, scaled by 10,000 (5000 ms is 0.5@).
Option Explicit

' Result codes and text encodings of aimis.h.
Public Const AIMIS_OK As Long = 0
Public Const AIMIS_NULL_ARGUMENT As Long = 1
Public Const AIMIS_INVALID_UTF8 As Long = 2
Public Const AIMIS_INVALID_JSON As Long = 3
Public Const AIMIS_CONFIG As Long = 4
Public Const AIMIS_VALIDATION As Long = 5
Public Const AIMIS_UNKNOWN_ENDPOINT As Long = 6
Public Const AIMIS_TRANSPORT As Long = 7
Public Const AIMIS_TIMEOUT As Long = 8
Public Const AIMIS_HTTP As Long = 9
Public Const AIMIS_DECODE As Long = 10
Public Const AIMIS_API As Long = 11
Public Const AIMIS_CRYPTO As Long = 12
Public Const AIMIS_CALLBACK_REJECTED As Long = 13
Public Const AIMIS_CALLBACK_MALFORMED As Long = 14
Public Const AIMIS_INTERNAL As Long = 15
Public Const AIMIS_BUFFER_TOO_SMALL As Long = 16
Public Const AIMIS_INVALID_TEXT As Long = 17
Public Const AIMIS_CONNECTION_REFUSED As Long = 18
Public Const AIMIS_DNS As Long = 19
Public Const AIMIS_TLS_CERTIFICATE As Long = 20
Public Const AIMIS_CONNECTION_RESET As Long = 21
Public Const AIMIS_BODY_TOO_LARGE As Long = 22
Public Const AIMIS_STORE As Long = 23
Public Const AIMIS_LOG_OFF As Long = 0
Public Const AIMIS_LOG_ERROR As Long = 1
Public Const AIMIS_LOG_WARN As Long = 2
Public Const AIMIS_LOG_INFO As Long = 3
Public Const AIMIS_LOG_DEBUG As Long = 4
Public Const AIMIS_LOG_TRACE As Long = 5
Public Const AIMIS_TEXT_ENCODING_UTF8 As Long = 0
Public Const AIMIS_TEXT_ENCODING_GB18030 As Long = 1
Public Const AIMIS_TEXT_ENCODING_SYSTEM As Long = 2

' Copies this thread's last error message (as `aimis_last_error_message` gives it, in
' the text encoding of the call that failed) into the caller's `buffer` of
' `buffer_len` bytes, for languages that cannot read a C string they do not own.
' `*needed` is the message's length with its NUL. If the buffer is too small:
' `AIMIS_BUFFER_TOO_SMALL`, `*needed` is the size needed and nothing else is written.
' Unlike every other function, this one never changes the last error, not even when
' it fails (NULL `needed`: `AIMIS_NULL_ARGUMENT`), so it can be called again.
'
' Ownership: everything stays the caller's; nothing is to be freed.
Public Declare Function aimis_last_error_message_into Lib "aimis.dll" (ByVal buffer As String, ByVal bufferLen As Long, ByRef needed As Long) As Long

' The platform's `code` if the last failed call on this thread failed with
' `AIMIS_API` (such as 10003, no data), else 0.
Public Declare Function aimis_last_api_code Lib "aimis.dll" () As Currency

' Like `aimis_client_batch`, writing the outcomes into the caller's `buffer` of
' `buffer_len` bytes; `AIMIS_BUFFER_TOO_SMALL` with `*needed` set (NUL counted) and
' nothing else written if they do not fit. The requests were sent and their outcomes
' are not kept: call again with a buffer of at least `*needed` bytes.
'
' Ownership: everything stays the caller's; nothing is to be freed.
Public Declare Function aimis_client_batch_into Lib "aimis.dll" (ByVal client As Long, ByVal endpoint As String, ByVal requestsJson As String, ByVal concurrency As Long, ByVal ratePerSecond As Double, ByVal buffer As String, ByVal bufferLen As Long, ByRef needed As Long) As Long

' Like `aimis_callback_verify_with_encoding`, writing the callback JSON into the
' caller's `buffer` of `buffer_len` bytes. On success `*needed` is the length written,
' its NUL counted. If the buffer is too small: `AIMIS_BUFFER_TOO_SMALL`, `*needed` is
' the size needed (NUL counted) and nothing else is written. `buffer` may be NULL when
' `buffer_len` is 0. Wipe the buffer when done: it holds patient data.
'
' Ownership: everything stays the caller's; nothing is to be freed.
Public Declare Function aimis_callback_verify_into Lib "aimis.dll" (ByVal appId As String, ByVal token As String, ByVal headerAppId As String, ByVal headerTimestamp As String, ByVal headerSignature As String, ByVal body As String, ByVal bodyLen As Long, ByVal encoding As Long, ByVal buffer As String, ByVal bufferLen As Long, ByRef needed As Long) As Long

' Makes a verifier for the partner's credentials, with the defaults: the system clock,
' 5 minutes of allowed skew, UTF-8. `AIMIS_CONFIG` for a token that is not 32 bytes.
'
' Ownership: the strings stay the caller's. On success `*out` receives a verifier the
' caller owns and frees with `aimis_verifier_free`; on failure it is untouched.
Public Declare Function aimis_verifier_new Lib "aimis.dll" (ByVal appId As String, ByVal token As String, ByRef outArg As Long) As Long

' Frees a verifier. NULL is a no-op.
Public Declare Sub aimis_verifier_free Lib "aimis.dll" (ByVal verifier As Long)

' How far a callback's timestamp may be from now, either way, in milliseconds (> 0).
' Default 300000 (the spec's 5 minutes).
Public Declare Function aimis_verifier_set_max_skew_ms Lib "aimis.dll" (ByVal verifier As Long, ByVal maxSkewMs As Currency) As Long

' Checks timestamps against this fixed time, in milliseconds since the epoch, instead
' of the system clock; 0 returns to the system clock. For replaying stored callbacks
' with the time they arrived, and for conformance tests.
Public Declare Function aimis_verifier_set_now_ms Lib "aimis.dll" (ByVal verifier As Long, ByVal nowMs As Currency) As Long

' The text encoding of the callback JSON the verifier hands over (and of its error
' messages). Default `AIMIS_TEXT_ENCODING_UTF8`.
Public Declare Function aimis_verifier_set_text_encoding Lib "aimis.dll" (ByVal verifier As Long, ByVal encoding As Long) As Long

' Like `aimis_verifier_verify`, writing the callback JSON into the caller's `buffer`
' of `buffer_len` bytes; `AIMIS_BUFFER_TOO_SMALL` and `*needed` (NUL counted) as for
' `aimis_callback_verify_into`.
'
' Ownership: everything stays the caller's; nothing is to be freed.
Public Declare Function aimis_verifier_verify_into Lib "aimis.dll" (ByVal verifier As Long, ByVal headerAppId As String, ByVal headerTimestamp As String, ByVal headerSignature As String, ByVal body As String, ByVal bodyLen As Long, ByVal buffer As String, ByVal bufferLen As Long, ByRef needed As Long) As Long

' Makes a client with the default options: 10 s timeout per attempt, 5 s to connect,
' 2 retries of transient failures, TLS verified against the public roots.
'
' `app_id` and `token` are the credentials the platform assigned; the token must be
' exactly 32 bytes (else `AIMIS_CONFIG`). `base_url` is the platform's address, such as
' "https://test.pacs.qq.com" or a simulator's "http://127.0.0.1:PORT"; NULL means
' production, "https://pacs.qq.com". Plain http is accepted only to loopback hosts.
'
' Ownership: the strings are only read during the call and stay the caller's. On
' success `*out` receives a new client that the caller owns and frees with
' `aimis_client_free`; on failure `*out` is untouched.
Public Declare Function aimis_client_new Lib "aimis.dll" (ByVal appId As String, ByVal token As String, ByVal baseUrl As String, ByRef outArg As Long) As Long

' Like `aimis_client_new`, with `options` (NULL: the defaults).
'
' Ownership: `options` stays the caller's and may be freed right after this call. On
' success `*out` receives a new client that the caller frees with `aimis_client_free`;
' on failure `*out` is untouched.
Public Declare Function aimis_client_new_with_options Lib "aimis.dll" (ByVal appId As String, ByVal token As String, ByVal baseUrl As String, ByVal options As Long, ByRef outArg As Long) As Long

' Frees a client made by `aimis_client_new`. NULL is a no-op.
Public Declare Sub aimis_client_free Lib "aimis.dll" (ByVal client As Long)

' Like `aimis_client_call`, writing the answer into the caller's `buffer` of
' `buffer_len` bytes, for languages that cannot call `aimis_string_free` (PowerBuilder,
' VB6).
'
' On success the answer and its NUL are in `buffer` and `*needed` is their length, the
' NUL counted. If the buffer is too small: `AIMIS_BUFFER_TOO_SMALL`, `*needed` is the
' size needed (NUL counted) and nothing else is written. The request was sent and
' answered, and that answer is not kept: call again with a buffer of at least
' `*needed` bytes (the queries are read-only, so repeating one is harmless), or start
' with a generous buffer (64 KiB holds any usual answer). `buffer` may be NULL when
' `buffer_len` is 0.
'
' Ownership: everything stays the caller's; nothing is to be freed.
'
' Thread safety: many threads may call this on one client at once.
Public Declare Function aimis_client_call_into Lib "aimis.dll" (ByVal client As Long, ByVal endpoint As String, ByVal requestJson As String, ByVal buffer As String, ByVal bufferLen As Long, ByRef needed As Long) As Long

' Makes an options object holding the defaults.
'
' Ownership: on success `*out` receives an object the caller owns and frees with
' `aimis_options_free`; on failure it is untouched.
Public Declare Function aimis_options_new Lib "aimis.dll" (ByRef outArg As Long) As Long

' Frees an options object. NULL is a no-op.
Public Declare Sub aimis_options_free Lib "aimis.dll" (ByVal options As Long)

' How long one attempt may take in all, connecting included, in milliseconds (> 0).
' Default 10000.
Public Declare Function aimis_options_set_timeout_ms Lib "aimis.dll" (ByVal options As Long, ByVal timeoutMs As Currency) As Long

' How long connecting may take, in milliseconds (> 0). Default 5000.
Public Declare Function aimis_options_set_connect_timeout_ms Lib "aimis.dll" (ByVal options As Long, ByVal timeoutMs As Currency) As Long

' Retries of transient failures (transport errors, timeouts, HTTP 429 and 5xx): at most
' `max_retries` more tries, waiting `initial_backoff_ms` before the first, doubling up
' to `max_backoff_ms`, less a random part of up to half (jitter). 0 retries: none.
' Default: 2 retries, 200 ms, 2000 ms. `initial_backoff_ms` may not exceed
' `max_backoff_ms`.
Public Declare Function aimis_options_set_retries Lib "aimis.dll" (ByVal options As Long, ByVal maxRetries As Long, ByVal initialBackoffMs As Currency, ByVal maxBackoffMs As Currency) As Long

' Sends every request through this HTTP proxy, such as "http://proxy.hospital.local:3128".
' Checked when the client is made (`AIMIS_CONFIG` if unusable).
'
' Ownership: `proxy_url` is copied; it stays the caller's.
Public Declare Function aimis_options_set_proxy Lib "aimis.dll" (ByVal options As Long, ByVal proxyUrl As String) As Long

' Trusts the CA certificates in `pem` (PEM text, one or more certificates) besides the
' public roots, for networks behind a TLS-inspecting proxy. May be called more than
' once. Checked when the client is made (`AIMIS_CONFIG` if it holds no certificate).
'
' Ownership: `pem` is copied; it stays the caller's.
Public Declare Function aimis_options_add_ca_pem Lib "aimis.dll" (ByVal options As Long, ByVal pem As String) As Long

' Like `aimis_options_add_ca_pem`, reading the PEM text from the file at `path` when
' the client is made (`AIMIS_CONFIG` then if it cannot be read).
'
' Ownership: `path` is copied; it stays the caller's.
Public Declare Function aimis_options_add_ca_file Lib "aimis.dll" (ByVal options As Long, ByVal path As String) As Long

' Whether, without `aimis_options_set_proxy`, the environment's proxy is used
' (`HTTPS_PROXY`, `https_proxy` or `ALL_PROXY`, unless `NO_PROXY` names the host;
' loopback is never proxied), as curl does. Default: true.
Public Declare Function aimis_options_set_proxy_from_env Lib "aimis.dll" (ByVal options As Long, ByVal fromEnv As Byte) As Long

' Allows plain http:// to hosts other than loopback (true: allow). Default: refused.
Public Declare Function aimis_options_set_allow_insecure_http Lib "aimis.dll" (ByVal options As Long, ByVal allow As Byte) As Long

' Adds a product token such as "my-his/4.2" to the User-Agent header.
'
' Ownership: `product` is copied; it stays the caller's.
Public Declare Function aimis_options_set_user_agent_product Lib "aimis.dll" (ByVal options As Long, ByVal product As String) As Long

' The text encoding of every string the client takes (`request_json`) and hands over
' (the answer, the error message): `AIMIS_TEXT_ENCODING_UTF8` (the default) or
' `AIMIS_TEXT_ENCODING_GB18030` for programs working in code page 936 (GBK). On the
' wire the text is UTF-8 either way. Text that is not valid in the chosen encoding is
' refused (`AIMIS_INVALID_TEXT`), never replaced. An unknown value is
' `AIMIS_VALIDATION`.
Public Declare Function aimis_options_set_text_encoding Lib "aimis.dll" (ByVal options As Long, ByVal encoding As Long) As Long

' Like `aimis_encrypt_field_with_encoding`, writing the hex into the caller's `buffer`
' of `buffer_len` bytes, for languages that cannot call `aimis_string_free`.
'
' On success the hex and its NUL are in `buffer` and `*needed` is their length, the
' NUL counted. If the buffer is too small: `AIMIS_BUFFER_TOO_SMALL`, `*needed` is the
' size needed (NUL counted) and nothing else is written; call again with a buffer that
' large. `buffer` may be NULL when `buffer_len` is 0 (to ask for the size).
'
' Ownership: everything stays the caller's; nothing is to be freed.
Public Declare Function aimis_encrypt_field_into Lib "aimis.dll" (ByVal token As String, ByVal plaintext As String, ByVal encoding As Long, ByVal buffer As String, ByVal bufferLen As Long, ByRef needed As Long) As Long

' Like `aimis_decrypt_field_with_encoding`, writing the plaintext into the caller's
' `buffer` of `buffer_len` bytes. `AIMIS_BUFFER_TOO_SMALL` as for
' `aimis_encrypt_field_into` (`*needed` counts the NUL; nothing else is written).
' Wipe the buffer when done: it holds patient data.
'
' Ownership: everything stays the caller's; nothing is to be freed.
Public Declare Function aimis_decrypt_field_into Lib "aimis.dll" (ByVal token As String, ByVal hex As String, ByVal encoding As Long, ByVal buffer As String, ByVal bufferLen As Long, ByRef needed As Long) As Long

' Opens the store `store_url` (`sqlite:PATH`, or `postgres://...`), applying its
' schema migrations, with the credentials that decrypt what it holds.
'
' Ownership: the strings stay the caller's. On success `*out` receives an inbox the
' caller owns and frees with `aimis_inbox_free`; on failure it is untouched
' (`AIMIS_CONFIG` for a bad URL or credentials, `AIMIS_STORE` if the database cannot
' be opened).
Public Declare Function aimis_inbox_open Lib "aimis.dll" (ByVal storeUrl As String, ByVal appId As String, ByVal token As String, ByRef outArg As Long) As Long

' Frees an inbox. NULL is a no-op.
Public Declare Sub aimis_inbox_free Lib "aimis.dll" (ByVal inbox As Long)

' Like `aimis_inbox_next`, writing into the caller's `buffer`; `AIMIS_BUFFER_TOO_SMALL`
' with `*needed` set (NUL counted) and nothing else written if it does not fit, in
' which case the callback is given back unclaimed, its attempt not counted: ask with
' `NULL, 0` for the size, then again with a buffer of `*needed` bytes.
Public Declare Function aimis_inbox_next_into Lib "aimis.dll" (ByVal inbox As Long, ByVal leaseSeconds As Long, ByVal buffer As String, ByVal bufferLen As Long, ByRef needed As Long) As Long

' Marks the claimed callback `id` handled; it is not handed out again. Acknowledging
' it twice is not an error; an unknown id is `AIMIS_VALIDATION`.
Public Declare Function aimis_inbox_ack Lib "aimis.dll" (ByVal inbox As Long, ByVal id As Currency) As Long

' Gives the claimed callback `id` back: pending again now, for this or another
' consumer. After too many claims without an acknowledgement it becomes a dead letter
' (`aimis inbox retry` brings it back).
Public Declare Function aimis_inbox_nack Lib "aimis.dll" (ByVal inbox As Long, ByVal id As Currency) As Long
