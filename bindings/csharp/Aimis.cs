// Generated from aimis-ffi (the functions and codes of aimis.h) and the endpoint
// registry by `cargo run -p xtask -- generate`: do not edit.
// libaimis 0.1.0 for C# (.NET Framework 4+, .NET 6+, Mono). Needs aimis.dll
// (Windows) or libaimis.so (Linux) where the runtime finds native libraries.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Aimis
{
    /// <summary>
    /// What a call did. `AIMIS_OK` is success; every other value is a failure whose details
    /// `aimis_last_error_message()` gives. The numbers are part of the ABI: they never change
    /// and are never reused, and new ones may be added, so treat unknown values as failures.
    /// </summary>
    public enum AimisResult
    {
        /// <summary>
        /// Success; the out-parameter was written.
        /// </summary>
        Ok = 0,
        /// <summary>
        /// A required pointer argument is NULL.
        /// </summary>
        NullArgument = 1,
        /// <summary>
        /// A string argument is not valid UTF-8.
        /// </summary>
        InvalidUtf8 = 2,
        /// <summary>
        /// `request_json` is not valid JSON.
        /// </summary>
        InvalidJson = 3,
        /// <summary>
        /// Unusable credentials or options: a token that is not 32 bytes, a bad app id,
        /// base URL, proxy or CA certificate.
        /// </summary>
        Config = 4,
        /// <summary>
        /// A request field or argument breaks a rule of the spec; nothing was sent. The
        /// message names the field and the rule.
        /// </summary>
        Validation = 5,
        /// <summary>
        /// No endpoint of the spec has this name.
        /// </summary>
        UnknownEndpoint = 6,
        /// <summary>
        /// The platform could not be reached or the connection broke, after the retries, in
        /// a way none of the kinds below names (a proxy's refusal, a protocol error).
        /// </summary>
        Transport = 7,
        /// <summary>
        /// No complete answer within the timeout, after the retries.
        /// </summary>
        Timeout = 8,
        /// <summary>
        /// The platform answered with an HTTP status other than 2xx.
        /// </summary>
        Http = 9,
        /// <summary>
        /// The platform's answer is not what the spec describes.
        /// </summary>
        Decode = 10,
        /// <summary>
        /// The platform answered with an error code; see `aimis_last_api_code()`.
        /// </summary>
        Api = 11,
        /// <summary>
        /// A ciphertext could not be decrypted (bad hex, wrong token, damaged data).
        /// </summary>
        Crypto = 12,
        /// <summary>
        /// A callback failed authentication: a missing header, another appId, a stale or
        /// future timestamp, or a wrong signature. Answer it with an error; do not process it.
        /// </summary>
        CallbackRejected = 13,
        /// <summary>
        /// A callback is authentic but its body is not valid JSON or breaks the spec.
        /// </summary>
        CallbackMalformed = 14,
        /// <summary>
        /// A bug in libaimis, caught before it could reach the host program.
        /// </summary>
        Internal = 15,
        /// <summary>
        /// The caller's buffer is too small for the answer; `*needed` holds the size it
        /// needs, its terminating NUL included, and nothing else was written. (`_into`
        /// functions only.)
        /// </summary>
        BufferTooSmall = 16,
        /// <summary>
        /// A string argument is not valid in the chosen text encoding (GB18030), or an
        /// answer holds a character that encoding cannot represent. Text is never replaced.
        /// </summary>
        InvalidText = 17,
        /// <summary>
        /// Nothing listens at the platform's address (or a firewall refused the connection).
        /// A kind of transport failure.
        /// </summary>
        ConnectionRefused = 18,
        /// <summary>
        /// The platform's host name could not be resolved. A kind of transport failure.
        /// </summary>
        Dns = 19,
        /// <summary>
        /// The server's TLS certificate is not trusted: behind a TLS-inspecting proxy, trust
        /// its CA with `aimis_options_add_ca_file`. Not retried.
        /// </summary>
        TlsCertificate = 20,
        /// <summary>
        /// The connection was reset or closed before the answer was complete, after the
        /// retries. A kind of transport failure.
        /// </summary>
        ConnectionReset = 21,
        /// <summary>
        /// The answer is larger than the library accepts (16 MiB). Not retried.
        /// </summary>
        BodyTooLarge = 22,
        /// <summary>
        /// The inbox's database could not be opened, read or written.
        /// </summary>
        Store = 23,
    }

    /// <summary>
    /// How much libaimis tells the log callback: each level includes those above it.
    /// </summary>
    public enum AimisLogLevel
    {
        /// <summary>
        /// Nothing: the default.
        /// </summary>
        AimisLogOff = 0,
        /// <summary>
        /// Failures the SDK itself could not handle.
        /// </summary>
        AimisLogError = 1,
        /// <summary>
        /// Retries, rate pauses, refused callbacks.
        /// </summary>
        AimisLogWarn = 2,
        /// <summary>
        /// Batches done.
        /// </summary>
        AimisLogInfo = 3,
        /// <summary>
        /// Each call's attempts (endpoint, HTTP status, AIMIS code, duration), each callback
        /// verified.
        /// </summary>
        AimisLogDebug = 4,
        /// <summary>
        /// Everything.
        /// </summary>
        AimisLogTrace = 5,
    }

    /// <summary>
    /// The text encoding of the strings a caller passes and receives. On the wire the text
    /// is UTF-8 whatever is chosen here.
    /// </summary>
    public enum AimisTextEncoding
    {
        /// <summary>
        /// UTF-8, the default.
        /// </summary>
        Utf8 = 0,
        /// <summary>
        /// GB18030, the superset of GBK (code page 936) and GB2312 that Chinese Windows
        /// programs use: every Unicode character has a GB18030 form.
        /// </summary>
        Gb18030 = 1,
        /// <summary>
        /// The system's ANSI code page, read when the option is set: on Windows `GetACP()`
        /// (936 is GB18030, 65001 UTF-8, other single- and double-byte code pages such as
        /// 1252 or 950 as they are; one with no converter here is `AIMIS_CONFIG`). On every
        /// other system, UTF-8.
        /// </summary>
        System = 2,
    }

    /// <summary>An owned <c>aimis_client *</c>, freed with <c>aimis_client_free</c> when disposed.</summary>
    public sealed class AimisClientHandle : SafeHandle
    {
        public AimisClientHandle() : base(IntPtr.Zero, true) { }
        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }
        protected override bool ReleaseHandle() { NativeMethods.aimis_client_free(handle); return true; }
    }

    /// <summary>An owned <c>aimis_inbox *</c>, freed with <c>aimis_inbox_free</c> when disposed.</summary>
    public sealed class AimisInboxHandle : SafeHandle
    {
        public AimisInboxHandle() : base(IntPtr.Zero, true) { }
        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }
        protected override bool ReleaseHandle() { NativeMethods.aimis_inbox_free(handle); return true; }
    }

    /// <summary>An owned <c>aimis_options *</c>, freed with <c>aimis_options_free</c> when disposed.</summary>
    public sealed class AimisOptionsHandle : SafeHandle
    {
        public AimisOptionsHandle() : base(IntPtr.Zero, true) { }
        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }
        protected override bool ReleaseHandle() { NativeMethods.aimis_options_free(handle); return true; }
    }

    /// <summary>An owned <c>aimis_verifier *</c>, freed with <c>aimis_verifier_free</c> when disposed.</summary>
    public sealed class AimisVerifierHandle : SafeHandle
    {
        public AimisVerifierHandle() : base(IntPtr.Zero, true) { }
        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }
        protected override bool ReleaseHandle() { NativeMethods.aimis_verifier_free(handle); return true; }
    }

    /// <summary>The C functions of libaimis, as aimis.h declares them. Winapi is the
    /// convention of AIMIS_CALL: stdcall in the x86 aimis.dll, the platform's only one
    /// elsewhere (x64 Windows, Linux). <c>Library</c> "aimis" is aimis.dll on Windows,
    /// libaimis.so elsewhere. Strings are NUL-terminated byte arrays: UTF-8 from
    /// <see cref="Utf8.Encode"/>, or GB18030 bytes where a GB18030 encoding was chosen.
    /// Strings returned through <c>out IntPtr</c> are freed with <c>aimis_string_free</c>.</summary>
    public static class NativeMethods
    {
        public const string Library = "aimis";

        /// <summary>
        /// Frees a string that libaimis handed to the caller, first overwriting it with zeros
        /// (it may hold decrypted patient data). NULL is a no-op.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern void aimis_string_free(IntPtr @s);

        /// <summary>
        /// Why the last failed call on this thread failed: the field and the rule, the HTTP
        /// status, or the platform's code and message; never patient data or the token. ""
        /// if no call has failed on this thread. Successful calls leave it unchanged.
        ///
        /// Encoding: the text encoding of the call that failed: a client's calls use the
        /// client's encoding, the `_with_encoding` and `_into` functions their `encoding`
        /// argument, a verifier its own; every other failure (and any failure before the
        /// encoding is known, such as a NULL client) is UTF-8, which is plain ASCII for those
        /// messages.
        ///
        /// Ownership: libaimis owns the string; do not free it. It stays valid until the next
        /// failing call on this thread; copy it to keep it.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern IntPtr aimis_last_error_message();

        /// <summary>
        /// Copies this thread's last error message (as `aimis_last_error_message` gives it, in
        /// the text encoding of the call that failed) into the caller's `buffer` of
        /// `buffer_len` bytes, for languages that cannot read a C string they do not own.
        /// `*needed` is the message's length with its NUL. If the buffer is too small:
        /// `AIMIS_BUFFER_TOO_SMALL`, `*needed` is the size needed and nothing else is written.
        /// Unlike every other function, this one never changes the last error, not even when
        /// it fails (NULL `needed`: `AIMIS_NULL_ARGUMENT`), so it can be called again.
        ///
        /// Ownership: everything stays the caller's; nothing is to be freed.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_last_error_message_into(byte[] @buffer, UIntPtr @buffer_len, out UIntPtr @needed);

        /// <summary>
        /// The platform's `code` if the last failed call on this thread failed with
        /// `AIMIS_API` (such as 10003, no data), else 0.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern long aimis_last_api_code();

        /// <summary>
        /// The name of a result code, such as "AIMIS_API", or "AIMIS_UNKNOWN_RESULT" for a
        /// number this version does not know.
        ///
        /// Ownership: a static string; do not free it.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern IntPtr aimis_result_name(int @result);

        /// <summary>
        /// The version of libaimis, such as "0.1.0"; the same as `AIMIS_VERSION_STRING` in the
        /// header it was built with.
        ///
        /// Ownership: a static string; do not free it.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern IntPtr aimis_version();

        /// <summary>
        /// Runs one request of `endpoint` per element of `requests_json`, at most `concurrency`
        /// at a time (0: 8; at most 256), starting at most `rate_per_second` requests a second
        /// (0: no ceiling), and waits for all of them.
        ///
        /// `requests_json` is a JSON array of requests, or JSON Lines (one request per line),
        /// each as for `aimis_client_call`. When the platform asks to slow down (HTTP 429, or
        /// FetchLimitExceeded) the batch pauses, lowers its concurrency and sends that request
        /// again, a bounded number of times. One request's failure does not stop the others: it
        /// is that request's outcome.
        ///
        /// Ownership: the arguments stay the caller's. On success `*outcomes_json` receives a
        /// JSON array with one outcome per request, in the order of the requests:
        /// `{"row": N, "ok": true, "data": ...}` or `{"row": N, "ok": false, "error": {"kind",
        /// "code", "message"}}`, rows numbered from 1 and `code` given for platform errors. The
        /// caller owns it and frees it with `aimis_string_free`; it holds patient data. On
        /// failure (a NULL or unreadable argument, an unknown endpoint, `AIMIS_CONFIG` for an
        /// unusable concurrency or rate) it is untouched and nothing was sent.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_client_batch(AimisClientHandle @client, byte[] @endpoint, byte[] @requests_json, uint @concurrency, double @rate_per_second, out IntPtr @outcomes_json);

        /// <summary>
        /// Like `aimis_client_batch`, writing the outcomes into the caller's `buffer` of
        /// `buffer_len` bytes; `AIMIS_BUFFER_TOO_SMALL` with `*needed` set (NUL counted) and
        /// nothing else written if they do not fit. The requests were sent and their outcomes
        /// are not kept: call again with a buffer of at least `*needed` bytes.
        ///
        /// Ownership: everything stays the caller's; nothing is to be freed.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_client_batch_into(AimisClientHandle @client, byte[] @endpoint, byte[] @requests_json, uint @concurrency, double @rate_per_second, byte[] @buffer, UIntPtr @buffer_len, out UIntPtr @needed);

        /// <summary>
        /// Verifies a study status callback the platform posted to the partner: the appId
        /// header is ours, the timestamp is within 5 minutes of now, the signature matches
        /// (constant time); then decrypts phoneNum and idNum and checks the required fields.
        ///
        /// `app_id` and `token` are the partner's credentials. `header_app_id`,
        /// `header_timestamp` and `header_signature` are the values of the request's `appId`,
        /// `timestamp` and `signature` headers; NULL means the header is absent, and a value
        /// that is not UTF-8 came from the network: both are rejections, not argument errors.
        /// `body` points to the raw request body of `body_len` bytes, not necessarily
        /// NUL-terminated; NULL with `body_len` 0 is an empty body. A `body_len` above
        /// PTRDIFF_MAX is `AIMIS_VALIDATION`.
        ///
        /// Results: `AIMIS_CALLBACK_REJECTED` when the headers do not authenticate the sender,
        /// `AIMIS_CALLBACK_MALFORMED` when the body is not what the spec describes; answer both
        /// with an error. The signature covers only appId and timestamp, not the body: handle
        /// callbacks idempotently.
        ///
        /// Ownership: the arguments stay the caller's. On success `*callback_json` receives the
        /// callback as JSON with the vendor's names and phoneNum/idNum decrypted, a string the
        /// caller owns and frees with `aimis_string_free` (which wipes it); it is patient data.
        /// On failure it is untouched.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_callback_verify(byte[] @app_id, byte[] @token, byte[] @header_app_id, byte[] @header_timestamp, byte[] @header_signature, byte[] @body, UIntPtr @body_len, out IntPtr @callback_json);

        /// <summary>
        /// Like `aimis_callback_verify`, handing the callback JSON over in `encoding` (GB18030:
        /// the JSON text is GB18030). The headers and body are read as the platform sends them,
        /// UTF-8.
        ///
        /// Ownership: as for `aimis_callback_verify`: `*callback_json` is the caller's, freed
        /// with `aimis_string_free`; untouched on failure.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_callback_verify_with_encoding(byte[] @app_id, byte[] @token, byte[] @header_app_id, byte[] @header_timestamp, byte[] @header_signature, byte[] @body, UIntPtr @body_len, AimisTextEncoding @encoding, out IntPtr @callback_json);

        /// <summary>
        /// Like `aimis_callback_verify_with_encoding`, writing the callback JSON into the
        /// caller's `buffer` of `buffer_len` bytes. On success `*needed` is the length written,
        /// its NUL counted. If the buffer is too small: `AIMIS_BUFFER_TOO_SMALL`, `*needed` is
        /// the size needed (NUL counted) and nothing else is written. `buffer` may be NULL when
        /// `buffer_len` is 0. Wipe the buffer when done: it holds patient data.
        ///
        /// Ownership: everything stays the caller's; nothing is to be freed.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_callback_verify_into(byte[] @app_id, byte[] @token, byte[] @header_app_id, byte[] @header_timestamp, byte[] @header_signature, byte[] @body, UIntPtr @body_len, AimisTextEncoding @encoding, byte[] @buffer, UIntPtr @buffer_len, out UIntPtr @needed);

        /// <summary>
        /// Makes a verifier for the partner's credentials, with the defaults: the system clock,
        /// 5 minutes of allowed skew, UTF-8. `AIMIS_CONFIG` for a token that is not 32 bytes.
        ///
        /// Ownership: the strings stay the caller's. On success `*out` receives a verifier the
        /// caller owns and frees with `aimis_verifier_free`; on failure it is untouched.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_verifier_new(byte[] @app_id, byte[] @token, out AimisVerifierHandle @out);

        /// <summary>
        /// Frees a verifier. NULL is a no-op.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern void aimis_verifier_free(IntPtr @verifier);

        /// <summary>
        /// How far a callback's timestamp may be from now, either way, in milliseconds (&gt; 0).
        /// Default 300000 (the spec's 5 minutes).
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_verifier_set_max_skew_ms(AimisVerifierHandle @verifier, ulong @max_skew_ms);

        /// <summary>
        /// Checks timestamps against this fixed time, in milliseconds since the epoch, instead
        /// of the system clock; 0 returns to the system clock. For replaying stored callbacks
        /// with the time they arrived, and for conformance tests.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_verifier_set_now_ms(AimisVerifierHandle @verifier, ulong @now_ms);

        /// <summary>
        /// The text encoding of the callback JSON the verifier hands over (and of its error
        /// messages). Default `AIMIS_TEXT_ENCODING_UTF8`.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_verifier_set_text_encoding(AimisVerifierHandle @verifier, AimisTextEncoding @encoding);

        /// <summary>
        /// Verifies one callback with `verifier`; otherwise as `aimis_callback_verify`.
        ///
        /// Ownership: the arguments stay the caller's. On success `*callback_json` receives the
        /// callback JSON (phoneNum/idNum decrypted), which the caller owns and frees with
        /// `aimis_string_free`; on failure it is untouched.
        ///
        /// Thread safety: many threads may verify with one verifier at once.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_verifier_verify(AimisVerifierHandle @verifier, byte[] @header_app_id, byte[] @header_timestamp, byte[] @header_signature, byte[] @body, UIntPtr @body_len, out IntPtr @callback_json);

        /// <summary>
        /// Like `aimis_verifier_verify`, writing the callback JSON into the caller's `buffer`
        /// of `buffer_len` bytes; `AIMIS_BUFFER_TOO_SMALL` and `*needed` (NUL counted) as for
        /// `aimis_callback_verify_into`.
        ///
        /// Ownership: everything stays the caller's; nothing is to be freed.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_verifier_verify_into(AimisVerifierHandle @verifier, byte[] @header_app_id, byte[] @header_timestamp, byte[] @header_signature, byte[] @body, UIntPtr @body_len, byte[] @buffer, UIntPtr @buffer_len, out UIntPtr @needed);

        /// <summary>
        /// Verifies one callback with `verifier`, given every header the HTTP server received:
        /// `header_count` names and values (names in any case). A security header given twice
        /// with different values is ambiguous and rejected; a name or value that is not UTF-8
        /// came from the network and rejects the callback. Otherwise as `aimis_verifier_verify`.
        ///
        /// Ownership: the arguments stay the caller's. On success `*callback_json` receives the
        /// callback JSON (phoneNum/idNum decrypted), which the caller owns and frees with
        /// `aimis_string_free`; on failure it is untouched.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_verifier_verify_headers(AimisVerifierHandle @verifier, IntPtr[] @header_names, IntPtr[] @header_values, UIntPtr @header_count, byte[] @body, UIntPtr @body_len, out IntPtr @callback_json);

        /// <summary>
        /// Like `aimis_verifier_verify_headers`, writing the callback JSON into the caller's
        /// `buffer` of `buffer_len` bytes; `AIMIS_BUFFER_TOO_SMALL` and `*needed` (NUL counted)
        /// as for `aimis_callback_verify_into`.
        ///
        /// Ownership: everything stays the caller's; nothing is to be freed.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_verifier_verify_headers_into(AimisVerifierHandle @verifier, IntPtr[] @header_names, IntPtr[] @header_values, UIntPtr @header_count, byte[] @body, UIntPtr @body_len, byte[] @buffer, UIntPtr @buffer_len, out UIntPtr @needed);

        /// <summary>
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
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_client_new(byte[] @app_id, byte[] @token, byte[] @base_url, out AimisClientHandle @out);

        /// <summary>
        /// Like `aimis_client_new`, with `options` (NULL: the defaults).
        ///
        /// Ownership: `options` stays the caller's and may be freed right after this call. On
        /// success `*out` receives a new client that the caller frees with `aimis_client_free`;
        /// on failure `*out` is untouched.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_client_new_with_options(byte[] @app_id, byte[] @token, byte[] @base_url, AimisOptionsHandle @options, out AimisClientHandle @out);

        /// <summary>
        /// Frees a client made by `aimis_client_new`. NULL is a no-op.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern void aimis_client_free(IntPtr @client);

        /// <summary>
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
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_client_call(AimisClientHandle @client, byte[] @endpoint, byte[] @request_json, out IntPtr @response_json);

        /// <summary>
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
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_client_call_into(AimisClientHandle @client, byte[] @endpoint, byte[] @request_json, byte[] @buffer, UIntPtr @buffer_len, out UIntPtr @needed);

        /// <summary>
        /// Makes an options object holding the defaults.
        ///
        /// Ownership: on success `*out` receives an object the caller owns and frees with
        /// `aimis_options_free`; on failure it is untouched.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_options_new(out AimisOptionsHandle @out);

        /// <summary>
        /// Frees an options object. NULL is a no-op.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern void aimis_options_free(IntPtr @options);

        /// <summary>
        /// How long one attempt may take in all, connecting included, in milliseconds (&gt; 0).
        /// Default 10000.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_options_set_timeout_ms(AimisOptionsHandle @options, ulong @timeout_ms);

        /// <summary>
        /// How long connecting may take, in milliseconds (&gt; 0). Default 5000.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_options_set_connect_timeout_ms(AimisOptionsHandle @options, ulong @timeout_ms);

        /// <summary>
        /// Retries of transient failures (transport errors, timeouts, HTTP 429 and 5xx): at most
        /// `max_retries` more tries, waiting `initial_backoff_ms` before the first, doubling up
        /// to `max_backoff_ms`, less a random part of up to half (jitter). 0 retries: none.
        /// Default: 2 retries, 200 ms, 2000 ms. `initial_backoff_ms` may not exceed
        /// `max_backoff_ms`.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_options_set_retries(AimisOptionsHandle @options, uint @max_retries, ulong @initial_backoff_ms, ulong @max_backoff_ms);

        /// <summary>
        /// Sends every request through this HTTP proxy, such as "http://proxy.hospital.local:3128".
        /// Checked when the client is made (`AIMIS_CONFIG` if unusable).
        ///
        /// Ownership: `proxy_url` is copied; it stays the caller's.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_options_set_proxy(AimisOptionsHandle @options, byte[] @proxy_url);

        /// <summary>
        /// Trusts the CA certificates in `pem` (PEM text, one or more certificates) besides the
        /// public roots, for networks behind a TLS-inspecting proxy. May be called more than
        /// once. Checked when the client is made (`AIMIS_CONFIG` if it holds no certificate).
        ///
        /// Ownership: `pem` is copied; it stays the caller's.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_options_add_ca_pem(AimisOptionsHandle @options, byte[] @pem);

        /// <summary>
        /// Like `aimis_options_add_ca_pem`, reading the PEM text from the file at `path` when
        /// the client is made (`AIMIS_CONFIG` then if it cannot be read).
        ///
        /// Ownership: `path` is copied; it stays the caller's.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_options_add_ca_file(AimisOptionsHandle @options, byte[] @path);

        /// <summary>
        /// Whether, without `aimis_options_set_proxy`, the environment's proxy is used
        /// (`HTTPS_PROXY`, `https_proxy` or `ALL_PROXY`, unless `NO_PROXY` names the host;
        /// loopback is never proxied), as curl does. Default: true.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_options_set_proxy_from_env(AimisOptionsHandle @options, [MarshalAs(UnmanagedType.I1)] bool @from_env);

        /// <summary>
        /// Allows plain http:// to hosts other than loopback (true: allow). Default: refused.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_options_set_allow_insecure_http(AimisOptionsHandle @options, [MarshalAs(UnmanagedType.I1)] bool @allow);

        /// <summary>
        /// Adds a product token such as "my-his/4.2" to the User-Agent header.
        ///
        /// Ownership: `product` is copied; it stays the caller's.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_options_set_user_agent_product(AimisOptionsHandle @options, byte[] @product);

        /// <summary>
        /// The text encoding of every string the client takes (`request_json`) and hands over
        /// (the answer, the error message): `AIMIS_TEXT_ENCODING_UTF8` (the default) or
        /// `AIMIS_TEXT_ENCODING_GB18030` for programs working in code page 936 (GBK). On the
        /// wire the text is UTF-8 either way. Text that is not valid in the chosen encoding is
        /// refused (`AIMIS_INVALID_TEXT`), never replaced. An unknown value is
        /// `AIMIS_VALIDATION`.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_options_set_text_encoding(AimisOptionsHandle @options, AimisTextEncoding @encoding);

        /// <summary>
        /// Encrypts one field value as the platform expects: AES-256-ECB keyed with the 32-byte
        /// token, PKCS#7 padding, lowercase hex. `aimis_client_call` does this itself; this is
        /// for building messages by hand, such as test callbacks.
        ///
        /// Ownership: the arguments stay the caller's. On success `*hex` receives a string the
        /// caller owns and frees with `aimis_string_free`; on failure it is untouched.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_encrypt_field(byte[] @token, byte[] @plaintext, out IntPtr @hex);

        /// <summary>
        /// Like `aimis_encrypt_field`, with `plaintext` in `encoding` (GB18030: read as GB18030,
        /// encrypted as the platform expects, UTF-8). `AIMIS_INVALID_TEXT` if `plaintext` is not
        /// valid in that encoding.
        ///
        /// Ownership: the arguments stay the caller's. On success `*hex` receives a string the
        /// caller owns and frees with `aimis_string_free`; on failure it is untouched.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_encrypt_field_with_encoding(byte[] @token, byte[] @plaintext, AimisTextEncoding @encoding, out IntPtr @hex);

        /// <summary>
        /// Like `aimis_encrypt_field_with_encoding`, writing the hex into the caller's `buffer`
        /// of `buffer_len` bytes, for languages that cannot call `aimis_string_free`.
        ///
        /// On success the hex and its NUL are in `buffer` and `*needed` is their length, the
        /// NUL counted. If the buffer is too small: `AIMIS_BUFFER_TOO_SMALL`, `*needed` is the
        /// size needed (NUL counted) and nothing else is written; call again with a buffer that
        /// large. `buffer` may be NULL when `buffer_len` is 0 (to ask for the size).
        ///
        /// Ownership: everything stays the caller's; nothing is to be freed.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_encrypt_field_into(byte[] @token, byte[] @plaintext, AimisTextEncoding @encoding, byte[] @buffer, UIntPtr @buffer_len, out UIntPtr @needed);

        /// <summary>
        /// Decrypts one field value (hex in either case) with the token.
        ///
        /// Ownership: the arguments stay the caller's. On success `*plaintext` receives a string
        /// the caller owns and frees with `aimis_string_free` (which wipes it); it is patient
        /// data. On failure (`AIMIS_CRYPTO`: bad hex, wrong length, wrong token) it is untouched.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_decrypt_field(byte[] @token, byte[] @hex, out IntPtr @plaintext);

        /// <summary>
        /// Like `aimis_decrypt_field`, handing the plaintext over in `encoding` (GB18030: the
        /// decrypted UTF-8 is converted to GB18030).
        ///
        /// Ownership: the arguments stay the caller's. On success `*plaintext` receives a string
        /// the caller owns and frees with `aimis_string_free` (which wipes it); it is patient
        /// data. On failure it is untouched.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_decrypt_field_with_encoding(byte[] @token, byte[] @hex, AimisTextEncoding @encoding, out IntPtr @plaintext);

        /// <summary>
        /// Like `aimis_decrypt_field_with_encoding`, writing the plaintext into the caller's
        /// `buffer` of `buffer_len` bytes. `AIMIS_BUFFER_TOO_SMALL` as for
        /// `aimis_encrypt_field_into` (`*needed` counts the NUL; nothing else is written).
        /// Wipe the buffer when done: it holds patient data.
        ///
        /// Ownership: everything stays the caller's; nothing is to be freed.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_decrypt_field_into(byte[] @token, byte[] @hex, AimisTextEncoding @encoding, byte[] @buffer, UIntPtr @buffer_len, out UIntPtr @needed);

        /// <summary>
        /// The `signature` header for this app id and timestamp: HMAC-SHA256 keyed with the
        /// token over app_id + timestamp_ms, lowercase hex. `timestamp_ms` is the decimal
        /// milliseconds since the epoch exactly as sent in the `timestamp` header.
        ///
        /// Ownership: the arguments stay the caller's. On success `*signature` receives a string
        /// the caller owns and frees with `aimis_string_free`; on failure it is untouched.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_sign(byte[] @app_id, byte[] @token, byte[] @timestamp_ms, out IntPtr @signature);

        /// <summary>
        /// Opens the store `store_url` (`sqlite:PATH`, or `postgres://...`), applying its
        /// schema migrations, with the credentials that decrypt what it holds.
        ///
        /// Ownership: the strings stay the caller's. On success `*out` receives an inbox the
        /// caller owns and frees with `aimis_inbox_free`; on failure it is untouched
        /// (`AIMIS_CONFIG` for a bad URL or credentials, `AIMIS_STORE` if the database cannot
        /// be opened).
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_inbox_open(byte[] @store_url, byte[] @app_id, byte[] @token, out AimisInboxHandle @out);

        /// <summary>
        /// Frees an inbox. NULL is a no-op.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern void aimis_inbox_free(IntPtr @inbox);

        /// <summary>
        /// Claims the oldest pending callback for `lease_seconds` (at least 1): if it is not
        /// acknowledged by then, it is handed out again. A study's callbacks come one at a
        /// time, in the order received.
        ///
        /// Ownership: on success `*item_json` receives `{"id", "callback", "received_at",
        /// "attempts"}` (the callback with the vendor's names, phoneNum and idNum decrypted;
        /// from a `--confirm` inbox also `"unconfirmed": ["status"]`, the fields the platform
        /// could not vouch for),
        /// or `null` when nothing is pending: a string the caller owns and frees with
        /// `aimis_string_free`. It holds patient data. On failure it is untouched.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_inbox_next(AimisInboxHandle @inbox, uint @lease_seconds, out IntPtr @item_json);

        /// <summary>
        /// Like `aimis_inbox_next`, writing into the caller's `buffer`; `AIMIS_BUFFER_TOO_SMALL`
        /// with `*needed` set (NUL counted) and nothing else written if it does not fit, in
        /// which case the callback is given back unclaimed, its attempt not counted: ask with
        /// `NULL, 0` for the size, then again with a buffer of `*needed` bytes.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_inbox_next_into(AimisInboxHandle @inbox, uint @lease_seconds, byte[] @buffer, UIntPtr @buffer_len, out UIntPtr @needed);

        /// <summary>
        /// Marks the claimed callback `id` handled; it is not handed out again. Acknowledging
        /// it twice is not an error; an unknown id is `AIMIS_VALIDATION`.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_inbox_ack(AimisInboxHandle @inbox, long @id);

        /// <summary>
        /// Gives the claimed callback `id` back: pending again now, for this or another
        /// consumer. After too many claims without an acknowledgement it becomes a dead letter
        /// (`aimis inbox retry` brings it back).
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_inbox_nack(AimisInboxHandle @inbox, long @id);

        /// <summary>
        /// Lists the stored callbacks in `state` (`pending`, `delivered`, `superseded`, `dead`,
        /// or `all`; NULL is `all`), oldest first, as `aimis inbox list --json` prints them:
        /// a JSON array of `{"id", "state", "received_at", "attempts", "leased",
        /// "confirmation", "callback"}`, the callback with patient data masked (`***`).
        ///
        /// Ownership: on success `*list_json` receives a string the caller owns and frees with
        /// `aimis_string_free`; on failure it is untouched (`AIMIS_VALIDATION` for an unknown
        /// state).
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_inbox_list_json(AimisInboxHandle @inbox, byte[] @state, out IntPtr @list_json);

        /// <summary>
        /// The inbox's counts, as `aimis inbox stats --json` prints them: a JSON object with
        /// `received`, `duplicates`, `replays_refused`, `same_millisecond`, `links_mismatched`,
        /// `fields_mismatched`, `not_confirmed`, `refused`, `refused_by_reason`, `pending`, `leased`,
        /// `awaiting_confirmation`, `delivered`, `superseded`, `dead`. No patient data.
        ///
        /// Ownership: on success `*stats_json` receives a string the caller owns and frees with
        /// `aimis_string_free`; on failure it is untouched.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_inbox_stats_json(AimisInboxHandle @inbox, out IntPtr @stats_json);

        /// <summary>
        /// The endpoints `aimis_client_call` accepts, as a JSON array of
        /// `{"name", "title", "doc", "method", "path", "request": [{"name", "type", "required",
        /// "encrypted", "sensitive", "doc", "values"?}], "response"}`, in the spec's order;
        /// `values` lists `{"value", "name", "doc"}` for enum fields.
        ///
        /// Ownership: on success `*out` receives a string the caller owns and frees with
        /// `aimis_string_free`; on failure it is untouched.
        /// </summary>
        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]
        public static extern AimisResult aimis_endpoints_json(out IntPtr @out);

    }

    /// <summary>A libaimis call failed: <see cref="Result"/> says how, <see cref="ApiCode"/>
    /// is the platform's code for <c>AimisResult.Api</c> (else 0), the message says why
    /// (never patient data or the token).</summary>
    public class AimisException : Exception
    {
        public AimisResult Result { get; private set; }
        public long ApiCode { get; private set; }
        public AimisException(AimisResult result, long apiCode, string message)
            : base(message) { Result = result; ApiCode = apiCode; }

        /// <summary>The exception for a failed call on this thread: its code, the last API
        /// code and the last error message.</summary>
        public static AimisException FromLastError(AimisResult result)
        {
            return FromLastError(result, Encoding.UTF8);
        }

        /// <summary>As FromLastError, for a call whose messages are in this encoding (a
        /// client's text encoding).</summary>
        public static AimisException FromLastError(AimisResult result, Encoding text)
        {
            byte[] bytes = Utf8.ReadBytes(NativeMethods.aimis_last_error_message());
            string message = bytes == null ? null : text.GetString(bytes);
            long apiCode = NativeMethods.aimis_last_api_code();
            return new AimisException(result, apiCode, Utf8.Read(NativeMethods.aimis_result_name((int)result)) + ": " + message);
        }

        /// <summary>Throws for any result but Ok.</summary>
        public static void Check(AimisResult result)
        {
            if (result != AimisResult.Ok) throw FromLastError(result);
        }

        /// <summary>Throws for any result but Ok, reading the message in this encoding.</summary>
        public static void Check(AimisResult result, Encoding text)
        {
            if (result != AimisResult.Ok) throw FromLastError(result, text);
        }
        /// <summary>The codes this version knows: 24.</summary>
    }

    /// <summary>Client options (timeouts, retries, proxy, CA certificates, text encoding...);
    /// every setter checks its value at once and throws AimisException if refused.</summary>
    public sealed class AimisOptions : IDisposable
    {
        /// <summary>The native handle, for the NativeMethods functions.</summary>
        public readonly AimisOptionsHandle Handle;
        public AimisOptions() { AimisException.Check(NativeMethods.aimis_options_new(out Handle)); }
        public void Dispose() { Handle.Dispose(); }

        /// <summary>The text encoding SetTextEncoding chose (Utf8 by default): an AimisClient
        /// made with these options passes and reads its strings in it.</summary>
        public AimisTextEncoding TextEncoding { get; private set; }

        /// <summary>
        /// How long one attempt may take in all, connecting included, in milliseconds (&gt; 0).
        /// Default 10000.
        /// </summary>
        public AimisOptions SetTimeoutMs(ulong @timeout_ms)
        {
            AimisException.Check(NativeMethods.aimis_options_set_timeout_ms(Handle, @timeout_ms));
            return this;
        }

        /// <summary>
        /// How long connecting may take, in milliseconds (&gt; 0). Default 5000.
        /// </summary>
        public AimisOptions SetConnectTimeoutMs(ulong @timeout_ms)
        {
            AimisException.Check(NativeMethods.aimis_options_set_connect_timeout_ms(Handle, @timeout_ms));
            return this;
        }

        /// <summary>
        /// Retries of transient failures (transport errors, timeouts, HTTP 429 and 5xx): at most
        /// `max_retries` more tries, waiting `initial_backoff_ms` before the first, doubling up
        /// to `max_backoff_ms`, less a random part of up to half (jitter). 0 retries: none.
        /// Default: 2 retries, 200 ms, 2000 ms. `initial_backoff_ms` may not exceed
        /// `max_backoff_ms`.
        /// </summary>
        public AimisOptions SetRetries(uint @max_retries, ulong @initial_backoff_ms, ulong @max_backoff_ms)
        {
            AimisException.Check(NativeMethods.aimis_options_set_retries(Handle, @max_retries, @initial_backoff_ms, @max_backoff_ms));
            return this;
        }

        /// <summary>
        /// Sends every request through this HTTP proxy, such as "http://proxy.hospital.local:3128".
        /// Checked when the client is made (`AIMIS_CONFIG` if unusable).
        ///
        /// Ownership: `proxy_url` is copied; it stays the caller's.
        /// </summary>
        public AimisOptions SetProxy(string @proxy_url)
        {
            AimisException.Check(NativeMethods.aimis_options_set_proxy(Handle, Utf8.Required(@proxy_url, "proxy_url")));
            return this;
        }

        /// <summary>
        /// Trusts the CA certificates in `pem` (PEM text, one or more certificates) besides the
        /// public roots, for networks behind a TLS-inspecting proxy. May be called more than
        /// once. Checked when the client is made (`AIMIS_CONFIG` if it holds no certificate).
        ///
        /// Ownership: `pem` is copied; it stays the caller's.
        /// </summary>
        public AimisOptions AddCaPem(string @pem)
        {
            AimisException.Check(NativeMethods.aimis_options_add_ca_pem(Handle, Utf8.Required(@pem, "pem")));
            return this;
        }

        /// <summary>
        /// Like `aimis_options_add_ca_pem`, reading the PEM text from the file at `path` when
        /// the client is made (`AIMIS_CONFIG` then if it cannot be read).
        ///
        /// Ownership: `path` is copied; it stays the caller's.
        /// </summary>
        public AimisOptions AddCaFile(string @path)
        {
            AimisException.Check(NativeMethods.aimis_options_add_ca_file(Handle, Utf8.Required(@path, "path")));
            return this;
        }

        /// <summary>
        /// Whether, without `aimis_options_set_proxy`, the environment's proxy is used
        /// (`HTTPS_PROXY`, `https_proxy` or `ALL_PROXY`, unless `NO_PROXY` names the host;
        /// loopback is never proxied), as curl does. Default: true.
        /// </summary>
        public AimisOptions SetProxyFromEnv(bool @from_env)
        {
            AimisException.Check(NativeMethods.aimis_options_set_proxy_from_env(Handle, @from_env));
            return this;
        }

        /// <summary>
        /// Allows plain http:// to hosts other than loopback (true: allow). Default: refused.
        /// </summary>
        public AimisOptions SetAllowInsecureHttp(bool @allow)
        {
            AimisException.Check(NativeMethods.aimis_options_set_allow_insecure_http(Handle, @allow));
            return this;
        }

        /// <summary>
        /// Adds a product token such as "my-his/4.2" to the User-Agent header.
        ///
        /// Ownership: `product` is copied; it stays the caller's.
        /// </summary>
        public AimisOptions SetUserAgentProduct(string @product)
        {
            AimisException.Check(NativeMethods.aimis_options_set_user_agent_product(Handle, Utf8.Required(@product, "product")));
            return this;
        }

        /// <summary>
        /// The text encoding of every string the client takes (`request_json`) and hands over
        /// (the answer, the error message): `AIMIS_TEXT_ENCODING_UTF8` (the default) or
        /// `AIMIS_TEXT_ENCODING_GB18030` for programs working in code page 936 (GBK). On the
        /// wire the text is UTF-8 either way. Text that is not valid in the chosen encoding is
        /// refused (`AIMIS_INVALID_TEXT`), never replaced. An unknown value is
        /// `AIMIS_VALIDATION`.
        /// </summary>
        public AimisOptions SetTextEncoding(AimisTextEncoding @encoding)
        {
            AimisException.Check(NativeMethods.aimis_options_set_text_encoding(Handle, @encoding));
            TextEncoding = @encoding;
            return this;
        }

    }

    /// <summary>A client of the AIMIS platform. Thread-safe: share one between threads.
    /// Requests and answers are JSON text with the vendor's camelCase names; patient data
    /// goes in as plaintext (libaimis encrypts and signs).</summary>
    public sealed class AimisClient : IDisposable
    {
        private readonly AimisClientHandle handle;
        /// <summary>The .NET encoding of the options' text encoding: requests, answers and
        /// error messages cross in it.</summary>
        private readonly Encoding text;

        /// <summary>The native handle, for the NativeMethods functions (such as the _into
        /// ones); it stays the client's.</summary>
        public AimisClientHandle Handle { get { return handle; } }

        /// <summary>baseUrl null: production. options: null for the defaults; it may be
        /// disposed once the client is made. appId or token null: ArgumentNullException.</summary>
        public AimisClient(string appId, string token, string baseUrl = null, AimisOptions options = null)
        {
            text = TextCodec.For(options == null ? AimisTextEncoding.Utf8 : options.TextEncoding);
            AimisException.Check(options == null
                ? NativeMethods.aimis_client_new(Utf8.Required(appId, "appId"), Utf8.Required(token, "token"), Utf8.Encode(baseUrl), out handle)
                : NativeMethods.aimis_client_new_with_options(Utf8.Required(appId, "appId"), Utf8.Required(token, "token"),
                    Utf8.Encode(baseUrl), options.Handle, out handle));
        }

        /// <summary>Calls an endpoint by name (patientStudies, patient_studies or
        /// patient-studies) with a JSON request; returns the response data as JSON.</summary>
        public string Call(string endpoint, string requestJson)
        {
            IntPtr response;
            AimisException.Check(NativeMethods.aimis_client_call(handle, Utf8.Required(endpoint, "endpoint"),
                TextCodec.Required(text, requestJson, "requestJson"), out response), text);
            return TextCodec.TakeString(text, response);
        }

        /// <summary>
        /// Checklist Query: Lists a patient's studies, filtered by type, date range and origin.
        ///
        /// Request fields (JSON, camelCase): phoneNum (string, required), idNum (string, required), hisId (string), patientName (string), hospitalId (string, required), unionId (string, required), studyType (StudyType, required), dataFlag (DataFlag, required), usage (Usage, required), studyDateBegin (datetime, required), studyDateEnd (datetime, required).
        /// Answer: the response data, list&lt;Study&gt;.
        /// </summary>
        public string PatientStudies(string requestJson) { return Call("patientStudies", requestJson); }

        /// <summary>
        /// Consultation Record Query: Gets the page where a doctor sees the patient's remote consultation records.
        ///
        /// Request fields (JSON, camelCase): hisId (string, required), phoneNum (string, required), idNum (string, required), patientName (string), hospitalId (string, required), unionId (string, required).
        /// Answer: the response data, ConsultationList.
        /// </summary>
        public string PatientConsultations(string requestJson) { return Call("patientConsultations", requestJson); }

        /// <summary>
        /// Check Report URL Retrieval: Gets the report and image pages of one study, by the reportId the imaging cloud gave.
        ///
        /// Request fields (JSON, camelCase): reportId (string, required), phoneNum (string, required), idNum (string, required), hospitalId (string, required).
        /// Answer: the response data, PatientStudyUrl.
        /// </summary>
        public string PatientReportUrl(string requestJson) { return Call("patientReportUrl", requestJson); }

        /// <summary>
        /// Checklist Query: Lists a patient's studies, filtered by type, date range and origin.
        /// </summary>
        public List<Study> PatientStudies(PatientStudiesRequest request)
        {
            if (request == null) throw new ArgumentNullException("request");
            object data = Json.Parse(Call("patientStudies", request.ToJson()));
            return Json.ListOf(data, Study.FromJson);
        }

        /// <summary>patientStudies for each request, at most concurrency at a time (0: 8) and
        /// ratePerSecond a second (0: no ceiling), slowing down when the platform asks; one
        /// outcome per request, in their order. A request's failure is its outcome.</summary>
        public List<BatchOutcome<List<Study>>> PatientStudiesBatch(IEnumerable<PatientStudiesRequest> requests,
            uint concurrency = 0, double ratePerSecond = 0)
        {
            return BatchOutcome<List<Study>>.Read(Batch("patientStudies", Json.ArrayOf(requests, r => r.ToJson()),
                concurrency, ratePerSecond), data => Json.ListOf(data, Study.FromJson));
        }

        /// <summary>
        /// Consultation Record Query: Gets the page where a doctor sees the patient's remote consultation records.
        /// </summary>
        public ConsultationList PatientConsultations(PatientConsultationsRequest request)
        {
            if (request == null) throw new ArgumentNullException("request");
            object data = Json.Parse(Call("patientConsultations", request.ToJson()));
            return ConsultationList.FromJson(data);
        }

        /// <summary>patientConsultations for each request, at most concurrency at a time (0: 8) and
        /// ratePerSecond a second (0: no ceiling), slowing down when the platform asks; one
        /// outcome per request, in their order. A request's failure is its outcome.</summary>
        public List<BatchOutcome<ConsultationList>> PatientConsultationsBatch(IEnumerable<PatientConsultationsRequest> requests,
            uint concurrency = 0, double ratePerSecond = 0)
        {
            return BatchOutcome<ConsultationList>.Read(Batch("patientConsultations", Json.ArrayOf(requests, r => r.ToJson()),
                concurrency, ratePerSecond), data => ConsultationList.FromJson(data));
        }

        /// <summary>
        /// Check Report URL Retrieval: Gets the report and image pages of one study, by the reportId the imaging cloud gave.
        /// </summary>
        public PatientStudyUrl PatientReportUrl(PatientReportUrlRequest request)
        {
            if (request == null) throw new ArgumentNullException("request");
            object data = Json.Parse(Call("patientReportUrl", request.ToJson()));
            return PatientStudyUrl.FromJson(data);
        }

        /// <summary>patientReportUrl for each request, at most concurrency at a time (0: 8) and
        /// ratePerSecond a second (0: no ceiling), slowing down when the platform asks; one
        /// outcome per request, in their order. A request's failure is its outcome.</summary>
        public List<BatchOutcome<PatientStudyUrl>> PatientReportUrlBatch(IEnumerable<PatientReportUrlRequest> requests,
            uint concurrency = 0, double ratePerSecond = 0)
        {
            return BatchOutcome<PatientStudyUrl>.Read(Batch("patientReportUrl", Json.ArrayOf(requests, r => r.ToJson()),
                concurrency, ratePerSecond), data => PatientStudyUrl.FromJson(data));
        }

        /// <summary>A batch of endpoint over a JSON array of requests: the JSON array of
        /// outcomes (aimis_client_batch).</summary>
        public string Batch(string endpoint, string requestsJson, uint concurrency = 0, double ratePerSecond = 0)
        {
            IntPtr outcomes;
            AimisException.Check(NativeMethods.aimis_client_batch(handle, Utf8.Required(endpoint, "endpoint"),
                TextCodec.Required(text, requestsJson, "requestsJson"), concurrency, ratePerSecond, out outcomes), text);
            return TextCodec.TakeString(text, outcomes);
        }


        public void Dispose() { handle.Dispose(); }
    }

    /// <summary>
    /// The imaging department a study belongs to.
    /// </summary>
    public enum StudyType
    {
        /// <summary>
        /// Radiology: X-ray, CT, MR.
        /// </summary>
        Radiology = 0,
        /// <summary>
        /// Ophthalmology, such as fundus photography.
        /// </summary>
        Ophthalmology = 1,
        /// <summary>
        /// Pathology slides.
        /// </summary>
        Pathology = 2,
        /// <summary>
        /// Endoscopy.
        /// </summary>
        Endoscopy = 3,
        /// <summary>
        /// Electrocardiogram (ECG).
        /// </summary>
        Electrocardiogram = 4,
        /// <summary>
        /// Ultrasound.
        /// </summary>
        Ultrasound = 5,
    }

    /// <summary>
    /// Which of the patient's studies to return, relative to hospitalId and unionId.
    /// </summary>
    public enum DataFlag
    {
        /// <summary>
        /// All of the patient's studies.
        /// </summary>
        All = 0,
        /// <summary>
        /// Only studies from this hospital (hospitalId).
        /// </summary>
        ThisHospital = 1,
        /// <summary>
        /// Only studies from other hospitals than hospitalId.
        /// </summary>
        OtherHospitals = 2,
        /// <summary>
        /// Only studies from this medical alliance (unionId).
        /// </summary>
        ThisAlliance = 3,
        /// <summary>
        /// Only studies from outside this medical alliance (unionId).
        /// </summary>
        OtherAlliances = 4,
    }

    /// <summary>
    /// What the data is for.
    /// </summary>
    public enum Usage
    {
        /// <summary>
        /// The patient views their checklist.
        /// </summary>
        PatientChecklist = 0,
        /// <summary>
        /// The patient consults online.
        /// </summary>
        OnlineConsultation = 1,
        /// <summary>
        /// A doctor views the patient's details.
        /// </summary>
        DoctorView = 2,
    }

    /// <summary>
    /// How far the platform has got with a study.
    /// </summary>
    public enum StudyStatus
    {
        /// <summary>
        /// Only the study information has arrived.
        /// </summary>
        StudyOnly = 0,
        /// <summary>
        /// The report has arrived.
        /// </summary>
        ReportReady = 1,
        /// <summary>
        /// The images have arrived.
        /// </summary>
        ImagesReady = 2,
        /// <summary>
        /// Both the report and the images have arrived.
        /// </summary>
        ReportAndImagesReady = 3,
    }

    /// <summary>
    /// The request of patientStudies (Checklist Query).
    /// </summary>
    public sealed class PatientStudiesRequest
    {
        /// <summary>
        /// `phoneNum`: The patient's phone number. Required.
        /// </summary>
        public string PhoneNum { get; set; }
        /// <summary>
        /// `idNum`: The patient's identity card number. Required.
        /// </summary>
        public string IdNum { get; set; }
        /// <summary>
        /// `hisId`: The hospital information system's number, if there is one.
        /// </summary>
        public string HisId { get; set; }
        /// <summary>
        /// `patientName`: The patient's name.
        /// </summary>
        public string PatientName { get; set; }
        /// <summary>
        /// `hospitalId`: The hospital's ID in the imaging cloud. Required.
        /// </summary>
        public string HospitalId { get; set; }
        /// <summary>
        /// `unionId`: The medical alliance's ID in the imaging cloud. Required.
        /// </summary>
        public string UnionId { get; set; }
        /// <summary>
        /// `studyType`: Which imaging department's studies to list. Required.
        /// </summary>
        public StudyType? StudyType { get; set; }
        /// <summary>
        /// `dataFlag`: Which hospitals' studies to list. Required.
        /// </summary>
        public DataFlag? DataFlag { get; set; }
        /// <summary>
        /// `usage`: What the list is for. Required.
        /// </summary>
        public Usage? Usage { get; set; }
        /// <summary>
        /// `studyDateBegin`: Earliest study time to list, inclusive. Required.
        /// </summary>
        public DateTime? StudyDateBegin { get; set; }
        /// <summary>
        /// `studyDateEnd`: Latest study time to list, inclusive. Required.
        /// </summary>
        public DateTime? StudyDateEnd { get; set; }

        /// <summary>The request as JSON: the fields that are set, by the vendor's names.</summary>
        public string ToJson()
        {
            Json.Writer w = new Json.Writer();
            w.Member("phoneNum", PhoneNum);
            w.Member("idNum", IdNum);
            w.Member("hisId", HisId);
            w.Member("patientName", PatientName);
            w.Member("hospitalId", HospitalId);
            w.Member("unionId", UnionId);
            w.Member("studyType", StudyType);
            w.Member("dataFlag", DataFlag);
            w.Member("usage", Usage);
            w.Member("studyDateBegin", StudyDateBegin);
            w.Member("studyDateEnd", StudyDateEnd);
            return w.Finish();
        }
    }

    /// <summary>
    /// The request of patientConsultations (Consultation Record Query).
    /// </summary>
    public sealed class PatientConsultationsRequest
    {
        /// <summary>
        /// `hisId`: The hospital information system's number. Required.
        /// </summary>
        public string HisId { get; set; }
        /// <summary>
        /// `phoneNum`: The patient's phone number. Required.
        /// </summary>
        public string PhoneNum { get; set; }
        /// <summary>
        /// `idNum`: The patient's identity card number. Required.
        /// </summary>
        public string IdNum { get; set; }
        /// <summary>
        /// `patientName`: The patient's name.
        /// </summary>
        public string PatientName { get; set; }
        /// <summary>
        /// `hospitalId`: The hospital's ID in the imaging cloud. Required.
        /// </summary>
        public string HospitalId { get; set; }
        /// <summary>
        /// `unionId`: The medical alliance's ID in the imaging cloud. Required.
        /// </summary>
        public string UnionId { get; set; }

        /// <summary>The request as JSON: the fields that are set, by the vendor's names.</summary>
        public string ToJson()
        {
            Json.Writer w = new Json.Writer();
            w.Member("hisId", HisId);
            w.Member("phoneNum", PhoneNum);
            w.Member("idNum", IdNum);
            w.Member("patientName", PatientName);
            w.Member("hospitalId", HospitalId);
            w.Member("unionId", UnionId);
            return w.Finish();
        }
    }

    /// <summary>
    /// The request of patientReportUrl (Check Report URL Retrieval).
    /// </summary>
    public sealed class PatientReportUrlRequest
    {
        /// <summary>
        /// `reportId`: The reportId returned by the imaging cloud. Required.
        /// </summary>
        public string ReportId { get; set; }
        /// <summary>
        /// `phoneNum`: The patient's phone number. Required.
        /// </summary>
        public string PhoneNum { get; set; }
        /// <summary>
        /// `idNum`: The patient's identity card number. Required.
        /// </summary>
        public string IdNum { get; set; }
        /// <summary>
        /// `hospitalId`: The hospital's ID in the imaging cloud. Required.
        /// </summary>
        public string HospitalId { get; set; }

        /// <summary>The request as JSON: the fields that are set, by the vendor's names.</summary>
        public string ToJson()
        {
            Json.Writer w = new Json.Writer();
            w.Member("reportId", ReportId);
            w.Member("phoneNum", PhoneNum);
            w.Member("idNum", IdNum);
            w.Member("hospitalId", HospitalId);
            return w.Finish();
        }
    }

    /// <summary>
    /// One imaging study (examination) of the patient.
    /// </summary>
    public sealed class Study
    {
        /// <summary>
        /// `hisId`: The hospital information system's number for the study.
        /// </summary>
        public string HisId { get; private set; }
        /// <summary>
        /// `reportId`: The report's ID in the imaging cloud; pass it to patientReportUrl.
        /// </summary>
        public string ReportId { get; private set; }
        /// <summary>
        /// `studyType`: The imaging department of the study.
        /// </summary>
        public StudyType? StudyType { get; private set; }
        /// <summary>
        /// `studyDate`: When the study took place, yyyy-MM-dd HH:mm:ss.
        /// </summary>
        public DateTime? StudyDate { get; private set; }
        /// <summary>
        /// `studyId`: The study (examination) number.
        /// </summary>
        public string StudyId { get; private set; }
        /// <summary>
        /// `bodyPart`: The body part examined.
        /// </summary>
        public string BodyPart { get; private set; }
        /// <summary>
        /// `studyName`: The name of the examination item.
        /// </summary>
        public string StudyName { get; private set; }
        /// <summary>
        /// `applyDoctor`: The doctor who requested the study.
        /// </summary>
        public string ApplyDoctor { get; private set; }
        /// <summary>
        /// `applyDoctorId`: The ID of the requesting doctor.
        /// </summary>
        public string ApplyDoctorId { get; private set; }
        /// <summary>
        /// `applyDept`: The department that requested the study.
        /// </summary>
        public string ApplyDept { get; private set; }
        /// <summary>
        /// `applyDeptId`: The ID of the requesting department.
        /// </summary>
        public string ApplyDeptId { get; private set; }
        /// <summary>
        /// `uniAppId`: The mini program appid to jump to.
        /// </summary>
        public string UniAppId { get; private set; }
        /// <summary>
        /// `uniPath`: The mini program path, with parameters, of the study's details.
        /// </summary>
        public string UniPath { get; private set; }
        /// <summary>
        /// `h5Url`: H5 page with the report.
        /// </summary>
        public string H5Url { get; private set; }
        /// <summary>
        /// `h5DetailUrl`: H5 page with the images.
        /// </summary>
        public string H5DetailUrl { get; private set; }

        /// <summary>The record of a JSON object from libaimis; null for anything else.</summary>
        public static Study FromJson(object json)
        {
            IDictionary<string, object> o = Json.Object(json);
            if (o == null) return null;
            Study r = new Study();
            r.HisId = Json.Text(Json.Field(o, "hisId"));
            r.ReportId = Json.Text(Json.Field(o, "reportId"));
            r.StudyType = Json.EnumOf<StudyType>(Json.Field(o, "studyType"));
            r.StudyDate = Json.Date(Json.Field(o, "studyDate"));
            r.StudyId = Json.Text(Json.Field(o, "studyId"));
            r.BodyPart = Json.Text(Json.Field(o, "bodyPart"));
            r.StudyName = Json.Text(Json.Field(o, "studyName"));
            r.ApplyDoctor = Json.Text(Json.Field(o, "applyDoctor"));
            r.ApplyDoctorId = Json.Text(Json.Field(o, "applyDoctorId"));
            r.ApplyDept = Json.Text(Json.Field(o, "applyDept"));
            r.ApplyDeptId = Json.Text(Json.Field(o, "applyDeptId"));
            r.UniAppId = Json.Text(Json.Field(o, "uniAppId"));
            r.UniPath = Json.Text(Json.Field(o, "uniPath"));
            r.H5Url = Json.Text(Json.Field(o, "h5Url"));
            r.H5DetailUrl = Json.Text(Json.Field(o, "h5DetailUrl"));
            return r;
        }
    }

    /// <summary>
    /// Where the patient's consultation records can be seen.
    /// </summary>
    public sealed class ConsultationList
    {
        /// <summary>
        /// `h5Url`: H5 page listing the patient's consultations.
        /// </summary>
        public string H5Url { get; private set; }

        /// <summary>The record of a JSON object from libaimis; null for anything else.</summary>
        public static ConsultationList FromJson(object json)
        {
            IDictionary<string, object> o = Json.Object(json);
            if (o == null) return null;
            ConsultationList r = new ConsultationList();
            r.H5Url = Json.Text(Json.Field(o, "h5Url"));
            return r;
        }
    }

    /// <summary>
    /// Links to one report and its images.
    /// </summary>
    public sealed class PatientStudyUrl
    {
        /// <summary>
        /// `h5Url`: H5 page with the report.
        /// </summary>
        public string H5Url { get; private set; }
        /// <summary>
        /// `h5DetailUrl`: H5 page with the images.
        /// </summary>
        public string H5DetailUrl { get; private set; }
        /// <summary>
        /// `studyId`: The study number, as the hospital system knows it.
        /// </summary>
        public string StudyId { get; private set; }

        /// <summary>The record of a JSON object from libaimis; null for anything else.</summary>
        public static PatientStudyUrl FromJson(object json)
        {
            IDictionary<string, object> o = Json.Object(json);
            if (o == null) return null;
            PatientStudyUrl r = new PatientStudyUrl();
            r.H5Url = Json.Text(Json.Field(o, "h5Url"));
            r.H5DetailUrl = Json.Text(Json.Field(o, "h5DetailUrl"));
            r.StudyId = Json.Text(Json.Field(o, "studyId"));
            return r;
        }
    }

    /// <summary>
    /// The platform tells the partner that a study, its report or its images have arrived.
    /// </summary>
    public sealed class StudyStatusCallback
    {
        /// <summary>
        /// `status`: What the platform has obtained. Required.
        /// </summary>
        public StudyStatus? Status { get; private set; }
        /// <summary>
        /// `phoneNum`: The patient's phone number. Required.
        /// </summary>
        public string PhoneNum { get; private set; }
        /// <summary>
        /// `idNum`: The patient's identity card number. Required.
        /// </summary>
        public string IdNum { get; private set; }
        /// <summary>
        /// `patientId`: The patient's ID. Required.
        /// </summary>
        public string PatientId { get; private set; }
        /// <summary>
        /// `hospitalId`: The hospital's ID in the imaging cloud. Required.
        /// </summary>
        public string HospitalId { get; private set; }
        /// <summary>
        /// `hisId`: The hospital information system's number, if there is one.
        /// </summary>
        public string HisId { get; private set; }
        /// <summary>
        /// `studyType`: The imaging department of the study. Required.
        /// </summary>
        public StudyType? StudyType { get; private set; }
        /// <summary>
        /// `studyDate`: When the study took place. Required.
        /// </summary>
        public DateTime? StudyDate { get; private set; }
        /// <summary>
        /// `studyId`: The study (examination) number. Required.
        /// </summary>
        public string StudyId { get; private set; }
        /// <summary>
        /// `bodyPart`: The body part examined, if known.
        /// </summary>
        public string BodyPart { get; private set; }
        /// <summary>
        /// `studyName`: The examination item, if known.
        /// </summary>
        public string StudyName { get; private set; }
        /// <summary>
        /// `h5Url`: H5 page with the report. Required.
        /// </summary>
        public string H5Url { get; private set; }
        /// <summary>
        /// `h5DetailUrl`: H5 page with the images. Required.
        /// </summary>
        public string H5DetailUrl { get; private set; }
        /// <summary>
        /// `reportId`: The reportId; pass it to patientReportUrl. Required.
        /// </summary>
        public string ReportId { get; private set; }

        /// <summary>The record of a JSON object from libaimis; null for anything else.</summary>
        public static StudyStatusCallback FromJson(object json)
        {
            IDictionary<string, object> o = Json.Object(json);
            if (o == null) return null;
            StudyStatusCallback r = new StudyStatusCallback();
            r.Status = Json.EnumOf<StudyStatus>(Json.Field(o, "status"));
            r.PhoneNum = Json.Text(Json.Field(o, "phoneNum"));
            r.IdNum = Json.Text(Json.Field(o, "idNum"));
            r.PatientId = Json.Text(Json.Field(o, "patientId"));
            r.HospitalId = Json.Text(Json.Field(o, "hospitalId"));
            r.HisId = Json.Text(Json.Field(o, "hisId"));
            r.StudyType = Json.EnumOf<StudyType>(Json.Field(o, "studyType"));
            r.StudyDate = Json.Date(Json.Field(o, "studyDate"));
            r.StudyId = Json.Text(Json.Field(o, "studyId"));
            r.BodyPart = Json.Text(Json.Field(o, "bodyPart"));
            r.StudyName = Json.Text(Json.Field(o, "studyName"));
            r.H5Url = Json.Text(Json.Field(o, "h5Url"));
            r.H5DetailUrl = Json.Text(Json.Field(o, "h5DetailUrl"));
            r.ReportId = Json.Text(Json.Field(o, "reportId"));
            return r;
        }
    }

    /// <summary>A callback an inbox handed out: acknowledge it by <c>Id</c> once handled.</summary>
    public sealed class InboxItem
    {
        public long Id { get; private set; }
        /// <summary>The callback, phoneNum and idNum decrypted.</summary>
        public StudyStatusCallback Callback { get; private set; }
        public string ReceivedAt { get; private set; }
        public long? Attempts { get; private set; }

        /// <summary>The item of aimis_inbox_next's JSON; null for <c>null</c> (nothing pending).</summary>
        public static InboxItem FromJson(object json)
        {
            IDictionary<string, object> o = Json.Object(json);
            if (o == null) return null;
            InboxItem item = new InboxItem();
            item.Id = Json.Long(Json.Field(o, "id")) ?? 0;
            item.Callback = StudyStatusCallback.FromJson(Json.Field(o, "callback"));
            item.ReceivedAt = Json.Text(Json.Field(o, "received_at"));
            item.Attempts = Json.Long(Json.Field(o, "attempts"));
            return item;
        }
    }

    /// <summary>The consuming side of an inbox (the store `aimis inbox serve` writes verified
    /// callbacks into): take the oldest pending callback, handle it, acknowledge it.
    /// Thread-safe.</summary>
    public sealed class AimisInbox : IDisposable
    {
        private readonly AimisInboxHandle handle;

        /// <summary>storeUrl: sqlite:PATH or a PostgreSQL URL; appId and token: the partner's
        /// credentials, which decrypt the callbacks' phoneNum and idNum.</summary>
        public AimisInbox(string storeUrl, string appId, string token)
        {
            AimisException.Check(NativeMethods.aimis_inbox_open(Utf8.Required(storeUrl, "storeUrl"),
                Utf8.Required(appId, "appId"), Utf8.Required(token, "token"), out handle));
        }

        /// <summary>Claims the oldest pending callback for leaseSeconds (handed out again if
        /// not acknowledged by then); null when nothing is pending.</summary>
        public InboxItem Next(uint leaseSeconds = 60)
        {
            IntPtr json;
            AimisException.Check(NativeMethods.aimis_inbox_next(handle, leaseSeconds, out json));
            return InboxItem.FromJson(Json.Parse(Utf8.TakeString(json)));
        }

        /// <summary>Marks the claimed callback handled.</summary>
        public void Ack(long id) { AimisException.Check(NativeMethods.aimis_inbox_ack(handle, id)); }

        /// <summary>Gives the claimed callback back: pending again now.</summary>
        public void Nack(long id) { AimisException.Check(NativeMethods.aimis_inbox_nack(handle, id)); }

        public void Dispose() { handle.Dispose(); }
    }

    /// <summary>One request's outcome in a batch: <c>Data</c> when <c>Ok</c>, else the
    /// error's kind, platform code (if the platform refused it) and message.</summary>
    public sealed class BatchOutcome<T>
    {
        /// <summary>The request's place in the batch, from 1.</summary>
        public long Row { get; private set; }
        public bool Ok { get; private set; }
        public T Data { get; private set; }
        public string ErrorKind { get; private set; }
        public long? ErrorCode { get; private set; }
        public string ErrorMessage { get; private set; }

        internal static List<BatchOutcome<T>> Read(string outcomes, Func<object, T> data)
        {
            return Json.ListOf(Json.Parse(outcomes), o =>
            {
                IDictionary<string, object> outcome = Json.Object(o);
                IDictionary<string, object> error = Json.Object(Json.Field(outcome, "error"));
                BatchOutcome<T> b = new BatchOutcome<T>();
                b.Row = Json.Long(Json.Field(outcome, "row")) ?? 0;
                b.Ok = true.Equals(Json.Field(outcome, "ok"));
                if (b.Ok) b.Data = data(Json.Field(outcome, "data"));
                if (error != null)
                {
                    b.ErrorKind = Json.Text(Json.Field(error, "kind"));
                    b.ErrorCode = Json.Long(Json.Field(error, "code"));
                    b.ErrorMessage = Json.Text(Json.Field(error, "message"));
                }
                return b;
            });
        }
    }

    /// <summary>The small JSON reader and writer the typed classes use, so that no package
    /// is needed on .NET Framework 4.x. Its errors give positions, never the text.</summary>
    public static class Json
    {
        /// <summary>Objects as IDictionary&lt;string, object&gt;, arrays as List&lt;object&gt;,
        /// integers as long, other numbers as double, true/false as bool.</summary>
        public static object Parse(string text)
        {
            int i = 0;
            object value = ParseValue(text, ref i);
            SkipSpace(text, ref i);
            if (i != text.Length) throw new FormatException("JSON: unexpected text at " + i);
            return value;
        }

        static void SkipSpace(string s, ref int i)
        {
            while (i < s.Length && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
        }

        static void Expect(string s, ref int i, char c)
        {
            SkipSpace(s, ref i);
            if (i >= s.Length || s[i] != c) throw new FormatException("JSON: expected '" + c + "' at " + i);
            i++;
        }

        static bool Literal(string s, ref int i, string word)
        {
            if (string.CompareOrdinal(s, i, word, 0, word.Length) != 0) return false;
            i += word.Length;
            return true;
        }

        static object ParseValue(string s, ref int i)
        {
            SkipSpace(s, ref i);
            if (i >= s.Length) throw new FormatException("JSON: unexpected end");
            if (s[i] == '{')
            {
                Dictionary<string, object> o = new Dictionary<string, object>();
                i++;
                SkipSpace(s, ref i);
                if (i < s.Length && s[i] == '}') { i++; return o; }
                while (true)
                {
                    SkipSpace(s, ref i);
                    string key = ParseString(s, ref i);
                    Expect(s, ref i, ':');
                    o[key] = ParseValue(s, ref i);
                    SkipSpace(s, ref i);
                    if (i < s.Length && s[i] == ',') { i++; continue; }
                    Expect(s, ref i, '}');
                    return o;
                }
            }
            if (s[i] == '[')
            {
                List<object> a = new List<object>();
                i++;
                SkipSpace(s, ref i);
                if (i < s.Length && s[i] == ']') { i++; return a; }
                while (true)
                {
                    a.Add(ParseValue(s, ref i));
                    SkipSpace(s, ref i);
                    if (i < s.Length && s[i] == ',') { i++; continue; }
                    Expect(s, ref i, ']');
                    return a;
                }
            }
            if (s[i] == '"') return ParseString(s, ref i);
            if (Literal(s, ref i, "true")) return true;
            if (Literal(s, ref i, "false")) return false;
            if (Literal(s, ref i, "null")) return null;
            int start = i;
            while (i < s.Length && "+-0123456789.eE".IndexOf(s[i]) >= 0) i++;
            string number = s.Substring(start, i - start);
            long whole;
            if (long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out whole)) return whole;
            double real;
            if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out real)) return real;
            throw new FormatException("JSON: unexpected character at " + start);
        }

        static string ParseString(string s, ref int i)
        {
            Expect(s, ref i, '"');
            StringBuilder sb = new StringBuilder();
            while (i < s.Length && s[i] != '"')
            {
                char c = s[i++];
                if (c != '\\') { sb.Append(c); continue; }
                if (i >= s.Length) break;
                char e = s[i++];
                switch (e)
                {
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        if (i + 4 > s.Length) throw new FormatException("JSON: bad escape at " + i);
                        sb.Append((char)int.Parse(s.Substring(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        i += 4;
                        break;
                    default: sb.Append(e); break;
                }
            }
            Expect(s, ref i, '"');
            return sb.ToString();
        }

        public static IDictionary<string, object> Object(object v) { return v as IDictionary<string, object>; }

        /// <summary>A member of an object, null when absent.</summary>
        public static object Field(IDictionary<string, object> o, string name)
        {
            object v;
            return o.TryGetValue(name, out v) ? v : null;
        }

        public static string Text(object v)
        {
            if (v == null) return null;
            return v as string ?? Convert.ToString(v, CultureInfo.InvariantCulture);
        }

        public static long? Long(object v)
        {
            if (v is long) return (long)v;
            long n;
            string s = v as string;
            return s != null && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n) ? n : (long?)null;
        }

        /// <summary>The vendor's yyyy-MM-dd HH:mm:ss; null for another form.</summary>
        public static DateTime? Date(object v)
        {
            DateTime d;
            string s = v as string;
            return s != null && DateTime.TryParseExact(s, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out d)
                ? d : (DateTime?)null;
        }

        /// <summary>An enum by number (as AIMIS sends them) or by name; null otherwise.</summary>
        public static T? EnumOf<T>(object v) where T : struct
        {
            if (v is long) return (T)System.Enum.ToObject(typeof(T), (long)v);
            T e;
            string s = v as string;
            return s != null && System.Enum.TryParse(s, out e) ? e : (T?)null;
        }

        /// <summary>A JSON array of requests (a batch's); a null one is refused.</summary>
        public static string ArrayOf<T>(IEnumerable<T> requests, Func<T, string> json) where T : class
        {
            if (requests == null) throw new ArgumentNullException("requests");
            StringBuilder array = new StringBuilder("[");
            foreach (T r in requests)
            {
                if (r == null) throw new ArgumentException("a request is null", "requests");
                if (array.Length > 1) array.Append(',');
                array.Append(json(r));
            }
            return array.Append(']').ToString();
        }

        public static List<T> ListOf<T>(object v, Func<object, T> item)
        {
            List<object> a = v as List<object>;
            if (a == null) return null;
            List<T> list = new List<T>(a.Count);
            foreach (object x in a) list.Add(item(x));
            return list;
        }

        public const string DateFormat = "yyyy-MM-dd HH:mm:ss";

        /// <summary>Writes one JSON object, leaving out the members that are null.</summary>
        public sealed class Writer
        {
            readonly StringBuilder sb = new StringBuilder("{");

            void Key(string name)
            {
                if (sb.Length > 1) sb.Append(',');
                Quote(name);
                sb.Append(':');
            }

            void Quote(string s)
            {
                sb.Append('"');
                foreach (char c in s)
                {
                    if (c == '"' || c == '\\') sb.Append('\\').Append(c);
                    else if (c < ' ') sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                }
                sb.Append('"');
            }

            public void Member(string name, string value)
            {
                if (value == null) return;
                Key(name);
                Quote(value);
            }

            public void Member(string name, long? value)
            {
                if (!value.HasValue) return;
                Key(name);
                sb.Append(value.Value.ToString(CultureInfo.InvariantCulture));
            }

            public void Member(string name, DateTime? value)
            {
                if (!value.HasValue) return;
                Key(name);
                Quote(value.Value.ToString(DateFormat, CultureInfo.InvariantCulture));
            }

            /// <summary>An enum, by its number.</summary>
            public void Member<T>(string name, T? value) where T : struct
            {
                if (!value.HasValue) return;
                Key(name);
                sb.Append(Convert.ToInt64(value.Value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
            }

            public string Finish() { return sb.Append('}').ToString(); }
        }
    }

    /// <summary>The stateless functions: callback verification, the field cipher, signing.</summary>
    public static class AimisFunctions
    {
        /// <summary>The libaimis version, such as "0.1.0".</summary>
        public static string Version { get { return Utf8.Read(NativeMethods.aimis_version()); } }

        /// <summary>Verifies a status callback (headers appId, timestamp, signature; null if
        /// absent) and returns it as JSON with phoneNum and idNum decrypted. Throws
        /// AimisException with CallbackRejected or CallbackMalformed otherwise.</summary>
        public static string VerifyCallback(string appId, string token, string headerAppId,
            string headerTimestamp, string headerSignature, byte[] body)
        {
            IntPtr json;
            byte[] raw = body ?? new byte[0];
            AimisException.Check(NativeMethods.aimis_callback_verify(Utf8.Required(appId, "appId"), Utf8.Required(token, "token"),
                Utf8.Encode(headerAppId), Utf8.Encode(headerTimestamp), Utf8.Encode(headerSignature),
                raw, (UIntPtr)raw.Length, out json));
            return Utf8.TakeString(json);
        }

        /// <summary>AES-256-ECB, PKCS#7, lowercase hex, as the platform expects.</summary>
        public static string EncryptField(string token, string plaintext)
        {
            IntPtr hex;
            AimisException.Check(NativeMethods.aimis_encrypt_field(Utf8.Required(token, "token"), Utf8.Required(plaintext, "plaintext"), out hex));
            return Utf8.TakeString(hex);
        }

        public static string DecryptField(string token, string hex)
        {
            IntPtr text;
            AimisException.Check(NativeMethods.aimis_decrypt_field(Utf8.Required(token, "token"), Utf8.Required(hex, "hex"), out text));
            return Utf8.TakeString(text);
        }

        /// <summary>The signature header for appId and timestamp (ms since the epoch).</summary>
        public static string Sign(string appId, string token, string timestampMs)
        {
            IntPtr signature;
            AimisException.Check(NativeMethods.aimis_sign(Utf8.Required(appId, "appId"), Utf8.Required(token, "token"), Utf8.Required(timestampMs, "timestampMs"), out signature));
            return Utf8.TakeString(signature);
        }
    }

    /// <summary>Strings to and from libaimis in a client's text encoding.</summary>
    public static class TextCodec
    {
        /// <summary>The .NET encoding of a libaimis text encoding, strict both ways (text
        /// that does not fit is an exception, never '?').</summary>
        public static Encoding For(AimisTextEncoding encoding)
        {
            switch (encoding)
            {
                // UTF-8, strict
                case AimisTextEncoding.Utf8: return new UTF8Encoding(false, true);
                // GB18030 (on Mono: the I18N.CJK assembly)
                case AimisTextEncoding.Gb18030: return Strict(54936);
                // the system ANSI code page: Encoding.Default on .NET Framework (936 on Chinese Windows)
                case AimisTextEncoding.System: return Strict(Encoding.Default.CodePage);
                default: throw new ArgumentException("no .NET encoding for " + encoding, "encoding");
            }
        }

        static Encoding Strict(int codePage)
        {
            return Encoding.GetEncoding(codePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }

        /// <summary>The NUL-terminated bytes of an argument libaimis requires, in this
        /// encoding: null is an ArgumentNullException, a NUL character an ArgumentException.</summary>
        public static byte[] Required(Encoding text, string s, string paramName)
        {
            if (s == null) throw new ArgumentNullException(paramName);
            if (s.IndexOf('\0') >= 0) throw new ArgumentException("contains a NUL character", paramName);
            byte[] bytes = text.GetBytes(s);
            byte[] z = new byte[bytes.Length + 1];
            Buffer.BlockCopy(bytes, 0, z, 0, bytes.Length);
            return z;
        }

        /// <summary>A string libaimis handed over, in this encoding: read, then freed (and wiped).</summary>
        public static string TakeString(Encoding text, IntPtr p)
        {
            try
            {
                byte[] bytes = Utf8.ReadBytes(p);
                return bytes == null ? null : text.GetString(bytes);
            }
            finally { NativeMethods.aimis_string_free(p); }
        }
    }

    /// <summary>Explicit UTF-8 marshalling of strings to and from libaimis.</summary>
    public static class Utf8
    {
        /// <summary>The NUL-terminated UTF-8 bytes of s; null stays null. A string holding
        /// a NUL character is refused (C would see it cut short).</summary>
        public static byte[] Encode(string s)
        {
            if (s == null) return null;
            if (s.IndexOf('\0') >= 0) throw new ArgumentException("a string passed to libaimis contains a NUL character");
            byte[] text = Encoding.UTF8.GetBytes(s);
            byte[] z = new byte[text.Length + 1];
            Buffer.BlockCopy(text, 0, z, 0, text.Length);
            return z;
        }

        /// <summary>Encode for an argument libaimis requires: null is an
        /// ArgumentNullException naming it, a NUL character an ArgumentException.</summary>
        public static byte[] Required(string s, string paramName)
        {
            if (s == null) throw new ArgumentNullException(paramName);
            if (s.IndexOf('\0') >= 0) throw new ArgumentException("contains a NUL character", paramName);
            return Encode(s);
        }

        /// <summary>The bytes of a NUL-terminated C string, without the NUL.</summary>
        public static byte[] ReadBytes(IntPtr p)
        {
            if (p == IntPtr.Zero) return null;
            int n = 0;
            while (Marshal.ReadByte(p, n) != 0) n++;
            byte[] bytes = new byte[n];
            Marshal.Copy(p, bytes, 0, n);
            return bytes;
        }

        /// <summary>A NUL-terminated UTF-8 string libaimis owns.</summary>
        public static string Read(IntPtr p)
        {
            byte[] bytes = ReadBytes(p);
            return bytes == null ? null : Encoding.UTF8.GetString(bytes);
        }

        /// <summary>A string libaimis handed over: read, then freed (and wiped).</summary>
        public static string TakeString(IntPtr p)
        {
            try { return Read(p); } finally { NativeMethods.aimis_string_free(p); }
        }
    }
}
