// Generated from aimis-ffi (the functions and codes of aimis.h) and the endpoint
// registry by `cargo run -p xtask -- generate`: do not edit.
// libaimis 0.1.0 for Java 8+ through JNA 5 (jna.jar on the class path). libaimis.so
// or aimis.dll is found on jna.library.path; -Daimis.library=NAME_OR_PATH overrides it.
package aimis;

import com.sun.jna.IntegerType;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.ByReference;
import com.sun.jna.ptr.PointerByReference;
import com.sun.jna.win32.StdCallLibrary;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** libaimis: the AIMIS medical imaging cloud client. */
public final class Aimis {
    private Aimis() {}

    /** The version of aimis.h these bindings were generated from. */
    public static final String BINDINGS_VERSION = "0.1.0";

    /** The options libaimis is loaded with: on 32-bit Windows the exports of aimis.dll are
     * stdcall (JNA's StdCallLibrary convention), elsewhere the platform's C convention. */
    public static Map<String, Object> libraryOptions(boolean windows, boolean is64Bit) {
        Map<String, Object> options = new HashMap<String, Object>();
        if (windows && !is64Bit) {
            options.put(Library.OPTION_CALLING_CONVENTION, StdCallLibrary.STDCALL_CONVENTION);
        }
        return options;
    }

    /**
     * What a call did. `AIMIS_OK` is success; every other value is a failure whose details
     * `aimis_last_error_message()` gives. The numbers are part of the ABI: they never change
     * and are never reused, and new ones may be added, so treat unknown values as failures.
     */
    public static final class Result {
        private Result() {}

        /**
         * Success; the out-parameter was written.
         */
        public static final int OK = 0;
        /**
         * A required pointer argument is NULL.
         */
        public static final int NULL_ARGUMENT = 1;
        /**
         * A string argument is not valid UTF-8.
         */
        public static final int INVALID_UTF8 = 2;
        /**
         * `request_json` is not valid JSON.
         */
        public static final int INVALID_JSON = 3;
        /**
         * Unusable credentials or options: a token that is not 32 bytes, a bad app id,
         * base URL, proxy or CA certificate.
         */
        public static final int CONFIG = 4;
        /**
         * A request field or argument breaks a rule of the spec; nothing was sent. The
         * message names the field and the rule.
         */
        public static final int VALIDATION = 5;
        /**
         * No endpoint of the spec has this name.
         */
        public static final int UNKNOWN_ENDPOINT = 6;
        /**
         * The platform could not be reached or the connection broke, after the retries, in
         * a way none of the kinds below names (a proxy's refusal, a protocol error).
         */
        public static final int TRANSPORT = 7;
        /**
         * No complete answer within the timeout, after the retries.
         */
        public static final int TIMEOUT = 8;
        /**
         * The platform answered with an HTTP status other than 2xx.
         */
        public static final int HTTP = 9;
        /**
         * The platform's answer is not what the spec describes.
         */
        public static final int DECODE = 10;
        /**
         * The platform answered with an error code; see `aimis_last_api_code()`.
         */
        public static final int API = 11;
        /**
         * A ciphertext could not be decrypted (bad hex, wrong token, damaged data).
         */
        public static final int CRYPTO = 12;
        /**
         * A callback failed authentication: a missing header, another appId, a stale or
         * future timestamp, or a wrong signature. Answer it with an error; do not process it.
         */
        public static final int CALLBACK_REJECTED = 13;
        /**
         * A callback is authentic but its body is not valid JSON or breaks the spec.
         */
        public static final int CALLBACK_MALFORMED = 14;
        /**
         * A bug in libaimis, caught before it could reach the host program.
         */
        public static final int INTERNAL = 15;
        /**
         * The caller's buffer is too small for the answer; `*needed` holds the size it
         * needs, its terminating NUL included, and nothing else was written. (`_into`
         * functions only.)
         */
        public static final int BUFFER_TOO_SMALL = 16;
        /**
         * A string argument is not valid in the chosen text encoding (GB18030), or an
         * answer holds a character that encoding cannot represent. Text is never replaced.
         */
        public static final int INVALID_TEXT = 17;
        /**
         * Nothing listens at the platform's address (or a firewall refused the connection).
         * A kind of transport failure.
         */
        public static final int CONNECTION_REFUSED = 18;
        /**
         * The platform's host name could not be resolved. A kind of transport failure.
         */
        public static final int DNS = 19;
        /**
         * The server's TLS certificate is not trusted: behind a TLS-inspecting proxy, trust
         * its CA with `aimis_options_add_ca_file`. Not retried.
         */
        public static final int TLS_CERTIFICATE = 20;
        /**
         * The connection was reset or closed before the answer was complete, after the
         * retries. A kind of transport failure.
         */
        public static final int CONNECTION_RESET = 21;
        /**
         * The answer is larger than the library accepts (16 MiB). Not retried.
         */
        public static final int BODY_TOO_LARGE = 22;
        /**
         * The inbox's database could not be opened, read or written.
         */
        public static final int STORE = 23;
    }

    /**
     * How much libaimis tells the log callback: each level includes those above it.
     */
    public static final class LogLevel {
        private LogLevel() {}

        /**
         * Nothing: the default.
         */
        public static final int AIMIS_LOG_OFF = 0;
        /**
         * Failures the SDK itself could not handle.
         */
        public static final int AIMIS_LOG_ERROR = 1;
        /**
         * Retries, rate pauses, refused callbacks.
         */
        public static final int AIMIS_LOG_WARN = 2;
        /**
         * Batches done.
         */
        public static final int AIMIS_LOG_INFO = 3;
        /**
         * Each call's attempts (endpoint, HTTP status, AIMIS code, duration), each callback
         * verified.
         */
        public static final int AIMIS_LOG_DEBUG = 4;
        /**
         * Everything.
         */
        public static final int AIMIS_LOG_TRACE = 5;
    }

    /**
     * The text encoding of the strings a caller passes and receives. On the wire the text
     * is UTF-8 whatever is chosen here.
     */
    public static final class TextEncoding {
        private TextEncoding() {}

        /**
         * UTF-8, the default.
         */
        public static final int UTF8 = 0;
        /**
         * GB18030, the superset of GBK (code page 936) and GB2312 that Chinese Windows
         * programs use: every Unicode character has a GB18030 form.
         */
        public static final int GB18030 = 1;
        /**
         * The system's ANSI code page, read when the option is set: on Windows `GetACP()`
         * (936 is GB18030, 65001 UTF-8, other single- and double-byte code pages such as
         * 1252 or 950 as they are; one with no converter here is `AIMIS_CONFIG`). On every
         * other system, UTF-8.
         */
        public static final int SYSTEM = 2;
    }

    /** The C functions, as aimis.h declares them (stdcall on 32-bit Windows, else cdecl).
     * Strings are NUL-terminated byte arrays: UTF-8 from {@link #utf8}, or GB18030 where
     * that encoding was chosen. Strings returned through a PointerByReference are freed
     * with aimis_string_free. */
    public interface AimisLibrary extends com.sun.jna.Library {
        AimisLibrary INSTANCE = Native.load(System.getProperty("aimis.library", "aimis"), AimisLibrary.class,
            libraryOptions(Platform.isWindows(), Platform.is64Bit()));

        /**
         * Frees a string that libaimis handed to the caller, first overwriting it with zeros
         * (it may hold decrypted patient data). NULL is a no-op.
         */
        void aimis_string_free(Pointer s);

        /**
         * Why the last failed call on this thread failed: the field and the rule, the HTTP
         * status, or the platform's code and message; never patient data or the token. ""
         * if no call has failed on this thread. Successful calls leave it unchanged.
         *
         * Encoding: the text encoding of the call that failed: a client's calls use the
         * client's encoding, the `_with_encoding` and `_into` functions their `encoding`
         * argument, a verifier its own; every other failure (and any failure before the
         * encoding is known, such as a NULL client) is UTF-8, which is plain ASCII for those
         * messages.
         *
         * Ownership: libaimis owns the string; do not free it. It stays valid until the next
         * failing call on this thread; copy it to keep it.
         */
        Pointer aimis_last_error_message();

        /**
         * Copies this thread's last error message (as `aimis_last_error_message` gives it, in
         * the text encoding of the call that failed) into the caller's `buffer` of
         * `buffer_len` bytes, for languages that cannot read a C string they do not own.
         * `*needed` is the message's length with its NUL. If the buffer is too small:
         * `AIMIS_BUFFER_TOO_SMALL`, `*needed` is the size needed and nothing else is written.
         * Unlike every other function, this one never changes the last error, not even when
         * it fails (NULL `needed`: `AIMIS_NULL_ARGUMENT`), so it can be called again.
         *
         * Ownership: everything stays the caller's; nothing is to be freed.
         */
        int aimis_last_error_message_into(byte[] buffer, SizeT bufferLen, SizeTByReference needed);

        /**
         * The platform's `code` if the last failed call on this thread failed with
         * `AIMIS_API` (such as 10003, no data), else 0.
         */
        long aimis_last_api_code();

        /**
         * The name of a result code, such as "AIMIS_API", or "AIMIS_UNKNOWN_RESULT" for a
         * number this version does not know.
         *
         * Ownership: a static string; do not free it.
         */
        Pointer aimis_result_name(int result);

        /**
         * The version of libaimis, such as "0.1.0"; the same as `AIMIS_VERSION_STRING` in the
         * header it was built with.
         *
         * Ownership: a static string; do not free it.
         */
        Pointer aimis_version();

        /**
         * Runs one request of `endpoint` per element of `requests_json`, at most `concurrency`
         * at a time (0: 8; at most 256), starting at most `rate_per_second` requests a second
         * (0: no ceiling), and waits for all of them.
         *
         * `requests_json` is a JSON array of requests, or JSON Lines (one request per line),
         * each as for `aimis_client_call`. When the platform asks to slow down (HTTP 429, or
         * FetchLimitExceeded) the batch pauses, lowers its concurrency and sends that request
         * again, a bounded number of times. One request's failure does not stop the others: it
         * is that request's outcome.
         *
         * Ownership: the arguments stay the caller's. On success `*outcomes_json` receives a
         * JSON array with one outcome per request, in the order of the requests:
         * `{"row": N, "ok": true, "data": ...}` or `{"row": N, "ok": false, "error": {"kind",
         * "code", "message"}}`, rows numbered from 1 and `code` given for platform errors. The
         * caller owns it and frees it with `aimis_string_free`; it holds patient data. On
         * failure (a NULL or unreadable argument, an unknown endpoint, `AIMIS_CONFIG` for an
         * unusable concurrency or rate) it is untouched and nothing was sent.
         */
        int aimis_client_batch(Pointer client, byte[] endpoint, byte[] requestsJson, int concurrency, double ratePerSecond, PointerByReference outcomesJson);

        /**
         * Like `aimis_client_batch`, writing the outcomes into the caller's `buffer` of
         * `buffer_len` bytes; `AIMIS_BUFFER_TOO_SMALL` with `*needed` set (NUL counted) and
         * nothing else written if they do not fit. The requests were sent and their outcomes
         * are not kept: call again with a buffer of at least `*needed` bytes.
         *
         * Ownership: everything stays the caller's; nothing is to be freed.
         */
        int aimis_client_batch_into(Pointer client, byte[] endpoint, byte[] requestsJson, int concurrency, double ratePerSecond, byte[] buffer, SizeT bufferLen, SizeTByReference needed);

        /**
         * Verifies a study status callback the platform posted to the partner: the appId
         * header is ours, the timestamp is within 5 minutes of now, the signature matches
         * (constant time); then decrypts phoneNum and idNum and checks the required fields.
         *
         * `app_id` and `token` are the partner's credentials. `header_app_id`,
         * `header_timestamp` and `header_signature` are the values of the request's `appId`,
         * `timestamp` and `signature` headers; NULL means the header is absent, and a value
         * that is not UTF-8 came from the network: both are rejections, not argument errors.
         * `body` points to the raw request body of `body_len` bytes, not necessarily
         * NUL-terminated; NULL with `body_len` 0 is an empty body. A `body_len` above
         * PTRDIFF_MAX is `AIMIS_VALIDATION`.
         *
         * Results: `AIMIS_CALLBACK_REJECTED` when the headers do not authenticate the sender,
         * `AIMIS_CALLBACK_MALFORMED` when the body is not what the spec describes; answer both
         * with an error. The signature covers only appId and timestamp, not the body: handle
         * callbacks idempotently.
         *
         * Ownership: the arguments stay the caller's. On success `*callback_json` receives the
         * callback as JSON with the vendor's names and phoneNum/idNum decrypted, a string the
         * caller owns and frees with `aimis_string_free` (which wipes it); it is patient data.
         * On failure it is untouched.
         */
        int aimis_callback_verify(byte[] appId, byte[] token, byte[] headerAppId, byte[] headerTimestamp, byte[] headerSignature, byte[] body, SizeT bodyLen, PointerByReference callbackJson);

        /**
         * Like `aimis_callback_verify`, handing the callback JSON over in `encoding` (GB18030:
         * the JSON text is GB18030). The headers and body are read as the platform sends them,
         * UTF-8.
         *
         * Ownership: as for `aimis_callback_verify`: `*callback_json` is the caller's, freed
         * with `aimis_string_free`; untouched on failure.
         */
        int aimis_callback_verify_with_encoding(byte[] appId, byte[] token, byte[] headerAppId, byte[] headerTimestamp, byte[] headerSignature, byte[] body, SizeT bodyLen, int encoding, PointerByReference callbackJson);

        /**
         * Like `aimis_callback_verify_with_encoding`, writing the callback JSON into the
         * caller's `buffer` of `buffer_len` bytes. On success `*needed` is the length written,
         * its NUL counted. If the buffer is too small: `AIMIS_BUFFER_TOO_SMALL`, `*needed` is
         * the size needed (NUL counted) and nothing else is written. `buffer` may be NULL when
         * `buffer_len` is 0. Wipe the buffer when done: it holds patient data.
         *
         * Ownership: everything stays the caller's; nothing is to be freed.
         */
        int aimis_callback_verify_into(byte[] appId, byte[] token, byte[] headerAppId, byte[] headerTimestamp, byte[] headerSignature, byte[] body, SizeT bodyLen, int encoding, byte[] buffer, SizeT bufferLen, SizeTByReference needed);

        /**
         * Makes a verifier for the partner's credentials, with the defaults: the system clock,
         * 5 minutes of allowed skew, UTF-8. `AIMIS_CONFIG` for a token that is not 32 bytes.
         *
         * Ownership: the strings stay the caller's. On success `*out` receives a verifier the
         * caller owns and frees with `aimis_verifier_free`; on failure it is untouched.
         */
        int aimis_verifier_new(byte[] appId, byte[] token, PointerByReference out_);

        /**
         * Frees a verifier. NULL is a no-op.
         */
        void aimis_verifier_free(Pointer verifier);

        /**
         * How far a callback's timestamp may be from now, either way, in milliseconds (&gt; 0).
         * Default 300000 (the spec's 5 minutes).
         */
        int aimis_verifier_set_max_skew_ms(Pointer verifier, long maxSkewMs);

        /**
         * Checks timestamps against this fixed time, in milliseconds since the epoch, instead
         * of the system clock; 0 returns to the system clock. For replaying stored callbacks
         * with the time they arrived, and for conformance tests.
         */
        int aimis_verifier_set_now_ms(Pointer verifier, long nowMs);

        /**
         * The text encoding of the callback JSON the verifier hands over (and of its error
         * messages). Default `AIMIS_TEXT_ENCODING_UTF8`.
         */
        int aimis_verifier_set_text_encoding(Pointer verifier, int encoding);

        /**
         * Verifies one callback with `verifier`; otherwise as `aimis_callback_verify`.
         *
         * Ownership: the arguments stay the caller's. On success `*callback_json` receives the
         * callback JSON (phoneNum/idNum decrypted), which the caller owns and frees with
         * `aimis_string_free`; on failure it is untouched.
         *
         * Thread safety: many threads may verify with one verifier at once.
         */
        int aimis_verifier_verify(Pointer verifier, byte[] headerAppId, byte[] headerTimestamp, byte[] headerSignature, byte[] body, SizeT bodyLen, PointerByReference callbackJson);

        /**
         * Like `aimis_verifier_verify`, writing the callback JSON into the caller's `buffer`
         * of `buffer_len` bytes; `AIMIS_BUFFER_TOO_SMALL` and `*needed` (NUL counted) as for
         * `aimis_callback_verify_into`.
         *
         * Ownership: everything stays the caller's; nothing is to be freed.
         */
        int aimis_verifier_verify_into(Pointer verifier, byte[] headerAppId, byte[] headerTimestamp, byte[] headerSignature, byte[] body, SizeT bodyLen, byte[] buffer, SizeT bufferLen, SizeTByReference needed);

        /**
         * Verifies one callback with `verifier`, given every header the HTTP server received:
         * `header_count` names and values (names in any case). A security header given twice
         * with different values is ambiguous and rejected; a name or value that is not UTF-8
         * came from the network and rejects the callback. Otherwise as `aimis_verifier_verify`.
         *
         * Ownership: the arguments stay the caller's. On success `*callback_json` receives the
         * callback JSON (phoneNum/idNum decrypted), which the caller owns and frees with
         * `aimis_string_free`; on failure it is untouched.
         */
        int aimis_verifier_verify_headers(Pointer verifier, Pointer headerNames, Pointer headerValues, SizeT headerCount, byte[] body, SizeT bodyLen, PointerByReference callbackJson);

        /**
         * Like `aimis_verifier_verify_headers`, writing the callback JSON into the caller's
         * `buffer` of `buffer_len` bytes; `AIMIS_BUFFER_TOO_SMALL` and `*needed` (NUL counted)
         * as for `aimis_callback_verify_into`.
         *
         * Ownership: everything stays the caller's; nothing is to be freed.
         */
        int aimis_verifier_verify_headers_into(Pointer verifier, Pointer headerNames, Pointer headerValues, SizeT headerCount, byte[] body, SizeT bodyLen, byte[] buffer, SizeT bufferLen, SizeTByReference needed);

        /**
         * Makes a client with the default options: 10 s timeout per attempt, 5 s to connect,
         * 2 retries of transient failures, TLS verified against the public roots.
         *
         * `app_id` and `token` are the credentials the platform assigned; the token must be
         * exactly 32 bytes (else `AIMIS_CONFIG`). `base_url` is the platform's address, such as
         * "https://test.pacs.qq.com" or a simulator's "http://127.0.0.1:PORT"; NULL means
         * production, "https://pacs.qq.com". Plain http is accepted only to loopback hosts.
         *
         * Ownership: the strings are only read during the call and stay the caller's. On
         * success `*out` receives a new client that the caller owns and frees with
         * `aimis_client_free`; on failure `*out` is untouched.
         */
        int aimis_client_new(byte[] appId, byte[] token, byte[] baseUrl, PointerByReference out_);

        /**
         * Like `aimis_client_new`, with `options` (NULL: the defaults).
         *
         * Ownership: `options` stays the caller's and may be freed right after this call. On
         * success `*out` receives a new client that the caller frees with `aimis_client_free`;
         * on failure `*out` is untouched.
         */
        int aimis_client_new_with_options(byte[] appId, byte[] token, byte[] baseUrl, Pointer options, PointerByReference out_);

        /**
         * Frees a client made by `aimis_client_new`. NULL is a no-op.
         */
        void aimis_client_free(Pointer client);

        /**
         * Calls an endpoint of the spec by name and waits for the answer.
         *
         * `endpoint` is the vendor's name in any spelling: "patientStudies", "patient_studies"
         * or "patient-studies"; `aimis_endpoints_json` lists them. `request_json` is a JSON
         * object with the vendor's camelCase field names and patient data in plaintext (the
         * library encrypts phoneNum and idNum, signs and sends); enum values may be numbers or
         * names. The request is checked against the spec before anything is sent. Both are in
         * the client's text encoding (`aimis_options_set_text_encoding`; UTF-8 by default), and
         * so are the answer and the error message.
         *
         * Ownership: the arguments stay the caller's. On success `*response_json` receives the
         * response `data` as JSON with the vendor's names, a string the caller owns and frees
         * with `aimis_string_free`; on failure it is untouched, and for `AIMIS_API`
         * `aimis_last_api_code()` gives the platform's code. It holds patient data: handle it
         * as such.
         *
         * Thread safety: many threads may call this on one client at once.
         */
        int aimis_client_call(Pointer client, byte[] endpoint, byte[] requestJson, PointerByReference responseJson);

        /**
         * Like `aimis_client_call`, writing the answer into the caller's `buffer` of
         * `buffer_len` bytes, for languages that cannot call `aimis_string_free` (PowerBuilder,
         * VB6).
         *
         * On success the answer and its NUL are in `buffer` and `*needed` is their length, the
         * NUL counted. If the buffer is too small: `AIMIS_BUFFER_TOO_SMALL`, `*needed` is the
         * size needed (NUL counted) and nothing else is written. The request was sent and
         * answered, and that answer is not kept: call again with a buffer of at least
         * `*needed` bytes (the queries are read-only, so repeating one is harmless), or start
         * with a generous buffer (64 KiB holds any usual answer). `buffer` may be NULL when
         * `buffer_len` is 0.
         *
         * Ownership: everything stays the caller's; nothing is to be freed.
         *
         * Thread safety: many threads may call this on one client at once.
         */
        int aimis_client_call_into(Pointer client, byte[] endpoint, byte[] requestJson, byte[] buffer, SizeT bufferLen, SizeTByReference needed);

        /**
         * Makes an options object holding the defaults.
         *
         * Ownership: on success `*out` receives an object the caller owns and frees with
         * `aimis_options_free`; on failure it is untouched.
         */
        int aimis_options_new(PointerByReference out_);

        /**
         * Frees an options object. NULL is a no-op.
         */
        void aimis_options_free(Pointer options);

        /**
         * How long one attempt may take in all, connecting included, in milliseconds (&gt; 0).
         * Default 10000.
         */
        int aimis_options_set_timeout_ms(Pointer options, long timeoutMs);

        /**
         * How long connecting may take, in milliseconds (&gt; 0). Default 5000.
         */
        int aimis_options_set_connect_timeout_ms(Pointer options, long timeoutMs);

        /**
         * Retries of transient failures (transport errors, timeouts, HTTP 429 and 5xx): at most
         * `max_retries` more tries, waiting `initial_backoff_ms` before the first, doubling up
         * to `max_backoff_ms`, less a random part of up to half (jitter). 0 retries: none.
         * Default: 2 retries, 200 ms, 2000 ms. `initial_backoff_ms` may not exceed
         * `max_backoff_ms`.
         */
        int aimis_options_set_retries(Pointer options, int maxRetries, long initialBackoffMs, long maxBackoffMs);

        /**
         * Sends every request through this HTTP proxy, such as "http://proxy.hospital.local:3128".
         * Checked when the client is made (`AIMIS_CONFIG` if unusable).
         *
         * Ownership: `proxy_url` is copied; it stays the caller's.
         */
        int aimis_options_set_proxy(Pointer options, byte[] proxyUrl);

        /**
         * Trusts the CA certificates in `pem` (PEM text, one or more certificates) besides the
         * public roots, for networks behind a TLS-inspecting proxy. May be called more than
         * once. Checked when the client is made (`AIMIS_CONFIG` if it holds no certificate).
         *
         * Ownership: `pem` is copied; it stays the caller's.
         */
        int aimis_options_add_ca_pem(Pointer options, byte[] pem);

        /**
         * Like `aimis_options_add_ca_pem`, reading the PEM text from the file at `path` when
         * the client is made (`AIMIS_CONFIG` then if it cannot be read).
         *
         * Ownership: `path` is copied; it stays the caller's.
         */
        int aimis_options_add_ca_file(Pointer options, byte[] path);

        /**
         * Whether, without `aimis_options_set_proxy`, the environment's proxy is used
         * (`HTTPS_PROXY`, `https_proxy` or `ALL_PROXY`, unless `NO_PROXY` names the host;
         * loopback is never proxied), as curl does. Default: true.
         */
        int aimis_options_set_proxy_from_env(Pointer options, byte fromEnv);

        /**
         * Allows plain http:// to hosts other than loopback (true: allow). Default: refused.
         */
        int aimis_options_set_allow_insecure_http(Pointer options, byte allow);

        /**
         * Adds a product token such as "my-his/4.2" to the User-Agent header.
         *
         * Ownership: `product` is copied; it stays the caller's.
         */
        int aimis_options_set_user_agent_product(Pointer options, byte[] product);

        /**
         * The text encoding of every string the client takes (`request_json`) and hands over
         * (the answer, the error message): `AIMIS_TEXT_ENCODING_UTF8` (the default) or
         * `AIMIS_TEXT_ENCODING_GB18030` for programs working in code page 936 (GBK). On the
         * wire the text is UTF-8 either way. Text that is not valid in the chosen encoding is
         * refused (`AIMIS_INVALID_TEXT`), never replaced. An unknown value is
         * `AIMIS_VALIDATION`.
         */
        int aimis_options_set_text_encoding(Pointer options, int encoding);

        /**
         * Encrypts one field value as the platform expects: AES-256-ECB keyed with the 32-byte
         * token, PKCS#7 padding, lowercase hex. `aimis_client_call` does this itself; this is
         * for building messages by hand, such as test callbacks.
         *
         * Ownership: the arguments stay the caller's. On success `*hex` receives a string the
         * caller owns and frees with `aimis_string_free`; on failure it is untouched.
         */
        int aimis_encrypt_field(byte[] token, byte[] plaintext, PointerByReference hex);

        /**
         * Like `aimis_encrypt_field`, with `plaintext` in `encoding` (GB18030: read as GB18030,
         * encrypted as the platform expects, UTF-8). `AIMIS_INVALID_TEXT` if `plaintext` is not
         * valid in that encoding.
         *
         * Ownership: the arguments stay the caller's. On success `*hex` receives a string the
         * caller owns and frees with `aimis_string_free`; on failure it is untouched.
         */
        int aimis_encrypt_field_with_encoding(byte[] token, byte[] plaintext, int encoding, PointerByReference hex);

        /**
         * Like `aimis_encrypt_field_with_encoding`, writing the hex into the caller's `buffer`
         * of `buffer_len` bytes, for languages that cannot call `aimis_string_free`.
         *
         * On success the hex and its NUL are in `buffer` and `*needed` is their length, the
         * NUL counted. If the buffer is too small: `AIMIS_BUFFER_TOO_SMALL`, `*needed` is the
         * size needed (NUL counted) and nothing else is written; call again with a buffer that
         * large. `buffer` may be NULL when `buffer_len` is 0 (to ask for the size).
         *
         * Ownership: everything stays the caller's; nothing is to be freed.
         */
        int aimis_encrypt_field_into(byte[] token, byte[] plaintext, int encoding, byte[] buffer, SizeT bufferLen, SizeTByReference needed);

        /**
         * Decrypts one field value (hex in either case) with the token.
         *
         * Ownership: the arguments stay the caller's. On success `*plaintext` receives a string
         * the caller owns and frees with `aimis_string_free` (which wipes it); it is patient
         * data. On failure (`AIMIS_CRYPTO`: bad hex, wrong length, wrong token) it is untouched.
         */
        int aimis_decrypt_field(byte[] token, byte[] hex, PointerByReference plaintext);

        /**
         * Like `aimis_decrypt_field`, handing the plaintext over in `encoding` (GB18030: the
         * decrypted UTF-8 is converted to GB18030).
         *
         * Ownership: the arguments stay the caller's. On success `*plaintext` receives a string
         * the caller owns and frees with `aimis_string_free` (which wipes it); it is patient
         * data. On failure it is untouched.
         */
        int aimis_decrypt_field_with_encoding(byte[] token, byte[] hex, int encoding, PointerByReference plaintext);

        /**
         * Like `aimis_decrypt_field_with_encoding`, writing the plaintext into the caller's
         * `buffer` of `buffer_len` bytes. `AIMIS_BUFFER_TOO_SMALL` as for
         * `aimis_encrypt_field_into` (`*needed` counts the NUL; nothing else is written).
         * Wipe the buffer when done: it holds patient data.
         *
         * Ownership: everything stays the caller's; nothing is to be freed.
         */
        int aimis_decrypt_field_into(byte[] token, byte[] hex, int encoding, byte[] buffer, SizeT bufferLen, SizeTByReference needed);

        /**
         * The `signature` header for this app id and timestamp: HMAC-SHA256 keyed with the
         * token over app_id + timestamp_ms, lowercase hex. `timestamp_ms` is the decimal
         * milliseconds since the epoch exactly as sent in the `timestamp` header.
         *
         * Ownership: the arguments stay the caller's. On success `*signature` receives a string
         * the caller owns and frees with `aimis_string_free`; on failure it is untouched.
         */
        int aimis_sign(byte[] appId, byte[] token, byte[] timestampMs, PointerByReference signature);

        /**
         * Opens the store `store_url` (`sqlite:PATH`, or `postgres://...`), applying its
         * schema migrations, with the credentials that decrypt what it holds.
         *
         * Ownership: the strings stay the caller's. On success `*out` receives an inbox the
         * caller owns and frees with `aimis_inbox_free`; on failure it is untouched
         * (`AIMIS_CONFIG` for a bad URL or credentials, `AIMIS_STORE` if the database cannot
         * be opened).
         */
        int aimis_inbox_open(byte[] storeUrl, byte[] appId, byte[] token, PointerByReference out_);

        /**
         * Frees an inbox. NULL is a no-op.
         */
        void aimis_inbox_free(Pointer inbox);

        /**
         * Claims the oldest pending callback for `lease_seconds` (at least 1): if it is not
         * acknowledged by then, it is handed out again. A study's callbacks come one at a
         * time, in the order received.
         *
         * Ownership: on success `*item_json` receives `{"id", "callback", "received_at",
         * "attempts"}` (the callback with the vendor's names, phoneNum and idNum decrypted;
         * from a `--confirm` inbox also `"unconfirmed": ["status"]`, the fields the platform
         * could not vouch for),
         * or `null` when nothing is pending: a string the caller owns and frees with
         * `aimis_string_free`. It holds patient data. On failure it is untouched.
         */
        int aimis_inbox_next(Pointer inbox, int leaseSeconds, PointerByReference itemJson);

        /**
         * Like `aimis_inbox_next`, writing into the caller's `buffer`; `AIMIS_BUFFER_TOO_SMALL`
         * with `*needed` set (NUL counted) and nothing else written if it does not fit, in
         * which case the callback is given back unclaimed, its attempt not counted: ask with
         * `NULL, 0` for the size, then again with a buffer of `*needed` bytes.
         */
        int aimis_inbox_next_into(Pointer inbox, int leaseSeconds, byte[] buffer, SizeT bufferLen, SizeTByReference needed);

        /**
         * Marks the claimed callback `id` handled; it is not handed out again. Acknowledging
         * it twice is not an error; an unknown id is `AIMIS_VALIDATION`.
         */
        int aimis_inbox_ack(Pointer inbox, long id);

        /**
         * Gives the claimed callback `id` back: pending again now, for this or another
         * consumer. After too many claims without an acknowledgement it becomes a dead letter
         * (`aimis inbox retry` brings it back).
         */
        int aimis_inbox_nack(Pointer inbox, long id);

        /**
         * Lists the stored callbacks in `state` (`pending`, `delivered`, `superseded`, `dead`,
         * or `all`; NULL is `all`), oldest first, as `aimis inbox list --json` prints them:
         * a JSON array of `{"id", "state", "received_at", "attempts", "leased",
         * "confirmation", "callback"}`, the callback with patient data masked (`***`).
         *
         * Ownership: on success `*list_json` receives a string the caller owns and frees with
         * `aimis_string_free`; on failure it is untouched (`AIMIS_VALIDATION` for an unknown
         * state).
         */
        int aimis_inbox_list_json(Pointer inbox, byte[] state, PointerByReference listJson);

        /**
         * The inbox's counts, as `aimis inbox stats --json` prints them: a JSON object with
         * `received`, `duplicates`, `replays_refused`, `same_millisecond`, `links_mismatched`,
         * `fields_mismatched`, `not_confirmed`, `refused`, `refused_by_reason`, `pending`, `leased`,
         * `awaiting_confirmation`, `delivered`, `superseded`, `dead`. No patient data.
         *
         * Ownership: on success `*stats_json` receives a string the caller owns and frees with
         * `aimis_string_free`; on failure it is untouched.
         */
        int aimis_inbox_stats_json(Pointer inbox, PointerByReference statsJson);

        /**
         * The endpoints `aimis_client_call` accepts, as a JSON array of
         * `{"name", "title", "doc", "method", "path", "request": [{"name", "type", "required",
         * "encrypted", "sensitive", "doc", "values"?}], "response"}`, in the spec's order;
         * `values` lists `{"value", "name", "doc"}` for enum fields.
         *
         * Ownership: on success `*out` receives a string the caller owns and frees with
         * `aimis_string_free`; on failure it is untouched.
         */
        int aimis_endpoints_json(PointerByReference out_);

    }

    /** A libaimis call failed: getResult() says how (a Result constant), getApiCode() is
     * the platform's code for ApiException (else 0), the message says why (never patient
     * data or the token). */
    public static class AimisException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int result;
        private final long apiCode;
        public AimisException(int result, long apiCode, String message) {
            super(message);
            this.result = result;
            this.apiCode = apiCode;
        }
        public int getResult() { return result; }
        public long getApiCode() { return apiCode; }
    }

    /** The platform answered with an error code (getApiCode()). */
    public static class ApiException extends AimisException {
        private static final long serialVersionUID = 1L;
        public ApiException(int result, long apiCode, String message) { super(result, apiCode, message); }
    }

    /** An argument or request field was refused before anything was sent. */
    public static class ValidationException extends AimisException {
        private static final long serialVersionUID = 1L;
        public ValidationException(int result, long apiCode, String message) { super(result, apiCode, message); }
    }

    /** Unusable credentials or options. */
    public static class ConfigurationException extends AimisException {
        private static final long serialVersionUID = 1L;
        public ConfigurationException(int result, long apiCode, String message) { super(result, apiCode, message); }
    }

    /** The platform could not be reached, did not answer in time, or answered badly. */
    public static class TransportException extends AimisException {
        private static final long serialVersionUID = 1L;
        public TransportException(int result, long apiCode, String message) { super(result, apiCode, message); }
    }

    /** A ciphertext could not be decrypted. */
    public static class CryptoException extends AimisException {
        private static final long serialVersionUID = 1L;
        public CryptoException(int result, long apiCode, String message) { super(result, apiCode, message); }
    }

    /** A callback was rejected (not authentic) or malformed. */
    public static class CallbackException extends AimisException {
        private static final long serialVersionUID = 1L;
        public CallbackException(int result, long apiCode, String message) { super(result, apiCode, message); }
    }

    /** The exception for a failed call on this thread, of the class its code belongs to. */
    public static AimisException lastError(int result) {
        return lastError(result, StandardCharsets.UTF_8);
    }

    /** As lastError, for a call whose messages are in this charset (a client's encoding). */
    public static AimisException lastError(int result, Charset text) {
        AimisLibrary lib = AimisLibrary.INSTANCE;
        String message = lib.aimis_result_name(result).getString(0, "UTF-8") + ": "
            + lib.aimis_last_error_message().getString(0, text.name());
        long apiCode = lib.aimis_last_api_code();
        switch (result) {
            case Result.API:
                return new ApiException(result, apiCode, message);
            case Result.NULL_ARGUMENT:
            case Result.INVALID_UTF8:
            case Result.INVALID_JSON:
            case Result.VALIDATION:
            case Result.UNKNOWN_ENDPOINT:
            case Result.INVALID_TEXT:
                return new ValidationException(result, apiCode, message);
            case Result.CONFIG:
                return new ConfigurationException(result, apiCode, message);
            case Result.TRANSPORT:
            case Result.TIMEOUT:
            case Result.HTTP:
            case Result.DECODE:
            case Result.CONNECTION_REFUSED:
            case Result.DNS:
            case Result.TLS_CERTIFICATE:
            case Result.CONNECTION_RESET:
            case Result.BODY_TOO_LARGE:
                return new TransportException(result, apiCode, message);
            case Result.CRYPTO:
                return new CryptoException(result, apiCode, message);
            case Result.CALLBACK_REJECTED:
            case Result.CALLBACK_MALFORMED:
                return new CallbackException(result, apiCode, message);
            default:
                return new AimisException(result, apiCode, message);
        }
    }

    /** Throws for any result but Result.OK. */
    public static void check(int result) {
        if (result != Result.OK) throw lastError(result);
    }

    /** Throws for any result but Result.OK, reading the message in this charset. */
    public static void check(int result, Charset text) {
        if (result != Result.OK) throw lastError(result, text);
    }

    /** The Java charset of a TextEncoding constant. */
    public static Charset charset(int textEncoding) {
        switch (textEncoding) {
            // UTF-8
            case TextEncoding.UTF8: return StandardCharsets.UTF_8;
            // GB18030
            case TextEncoding.GB18030: return Charset.forName("GB18030");
            // the system ANSI code page (sun.jnu.encoding: 936 on Chinese Windows)
            case TextEncoding.SYSTEM: return Charset.forName(System.getProperty("sun.jnu.encoding", Charset.defaultCharset().name()));
            default: throw new IllegalArgumentException("no Java charset for text encoding " + textEncoding);
        }
    }

    /** Client options; every setter checks its value at once (throws if refused). */
    public static final class Options implements AutoCloseable {
        private Pointer handle;
        private int textEncoding = TextEncoding.UTF8;
        public Options() {
            PointerByReference out = new PointerByReference();
            check(AimisLibrary.INSTANCE.aimis_options_new(out));
            handle = out.getValue();
        }
        /** The native aimis_options *, for the raw AimisLibrary functions. */
        public synchronized Pointer handle() {
            if (handle == null) throw new IllegalStateException("the options are closed");
            return handle;
        }
        @Override public synchronized void close() {
            if (handle != null) { AimisLibrary.INSTANCE.aimis_options_free(handle); handle = null; }
        }

        /** The TextEncoding setTextEncoding chose (UTF8 by default): an AimisClient made with
         * these options passes and reads its strings in it. */
        public int textEncoding() { return textEncoding; }

        /**
         * How long one attempt may take in all, connecting included, in milliseconds (&gt; 0).
         * Default 10000.
         */
        public Options setTimeoutMs(long timeoutMs) {
            check(AimisLibrary.INSTANCE.aimis_options_set_timeout_ms(handle(), timeoutMs));
            return this;
        }

        /**
         * How long connecting may take, in milliseconds (&gt; 0). Default 5000.
         */
        public Options setConnectTimeoutMs(long timeoutMs) {
            check(AimisLibrary.INSTANCE.aimis_options_set_connect_timeout_ms(handle(), timeoutMs));
            return this;
        }

        /**
         * Retries of transient failures (transport errors, timeouts, HTTP 429 and 5xx): at most
         * `max_retries` more tries, waiting `initial_backoff_ms` before the first, doubling up
         * to `max_backoff_ms`, less a random part of up to half (jitter). 0 retries: none.
         * Default: 2 retries, 200 ms, 2000 ms. `initial_backoff_ms` may not exceed
         * `max_backoff_ms`.
         */
        public Options setRetries(int maxRetries, long initialBackoffMs, long maxBackoffMs) {
            check(AimisLibrary.INSTANCE.aimis_options_set_retries(handle(), maxRetries, initialBackoffMs, maxBackoffMs));
            return this;
        }

        /**
         * Sends every request through this HTTP proxy, such as "http://proxy.hospital.local:3128".
         * Checked when the client is made (`AIMIS_CONFIG` if unusable).
         *
         * Ownership: `proxy_url` is copied; it stays the caller's.
         */
        public Options setProxy(String proxyUrl) {
            check(AimisLibrary.INSTANCE.aimis_options_set_proxy(handle(), required(proxyUrl, "proxyUrl")));
            return this;
        }

        /**
         * Trusts the CA certificates in `pem` (PEM text, one or more certificates) besides the
         * public roots, for networks behind a TLS-inspecting proxy. May be called more than
         * once. Checked when the client is made (`AIMIS_CONFIG` if it holds no certificate).
         *
         * Ownership: `pem` is copied; it stays the caller's.
         */
        public Options addCaPem(String pem) {
            check(AimisLibrary.INSTANCE.aimis_options_add_ca_pem(handle(), required(pem, "pem")));
            return this;
        }

        /**
         * Like `aimis_options_add_ca_pem`, reading the PEM text from the file at `path` when
         * the client is made (`AIMIS_CONFIG` then if it cannot be read).
         *
         * Ownership: `path` is copied; it stays the caller's.
         */
        public Options addCaFile(String path) {
            check(AimisLibrary.INSTANCE.aimis_options_add_ca_file(handle(), required(path, "path")));
            return this;
        }

        /**
         * Whether, without `aimis_options_set_proxy`, the environment's proxy is used
         * (`HTTPS_PROXY`, `https_proxy` or `ALL_PROXY`, unless `NO_PROXY` names the host;
         * loopback is never proxied), as curl does. Default: true.
         */
        public Options setProxyFromEnv(boolean fromEnv) {
            check(AimisLibrary.INSTANCE.aimis_options_set_proxy_from_env(handle(), (byte) (fromEnv ? 1 : 0)));
            return this;
        }

        /**
         * Allows plain http:// to hosts other than loopback (true: allow). Default: refused.
         */
        public Options setAllowInsecureHttp(boolean allow) {
            check(AimisLibrary.INSTANCE.aimis_options_set_allow_insecure_http(handle(), (byte) (allow ? 1 : 0)));
            return this;
        }

        /**
         * Adds a product token such as "my-his/4.2" to the User-Agent header.
         *
         * Ownership: `product` is copied; it stays the caller's.
         */
        public Options setUserAgentProduct(String product) {
            check(AimisLibrary.INSTANCE.aimis_options_set_user_agent_product(handle(), required(product, "product")));
            return this;
        }

        /**
         * The text encoding of every string the client takes (`request_json`) and hands over
         * (the answer, the error message): `AIMIS_TEXT_ENCODING_UTF8` (the default) or
         * `AIMIS_TEXT_ENCODING_GB18030` for programs working in code page 936 (GBK). On the
         * wire the text is UTF-8 either way. Text that is not valid in the chosen encoding is
         * refused (`AIMIS_INVALID_TEXT`), never replaced. An unknown value is
         * `AIMIS_VALIDATION`.
         */
        public Options setTextEncoding(int encoding) {
            check(AimisLibrary.INSTANCE.aimis_options_set_text_encoding(handle(), encoding));
            textEncoding = encoding;
            return this;
        }

    }

    /** A client of the AIMIS platform; thread-safe: share one between threads. Requests
     * and answers are JSON text with the vendor's camelCase names; patient data goes in
     * as plaintext (libaimis encrypts and signs). */
    public static final class AimisClient implements AutoCloseable {
        private Pointer handle;
        /** The options' text encoding: requests, answers and error messages cross in it. */
        private final Charset text;

        /** baseUrl null: production. */
        public AimisClient(String appId, String token, String baseUrl) { this(appId, token, baseUrl, null); }

        /** options null: the defaults; they may be closed once the client is made. */
        public AimisClient(String appId, String token, String baseUrl, Options options) {
            text = charset(options == null ? TextEncoding.UTF8 : options.textEncoding());
            PointerByReference out = new PointerByReference();
            check(AimisLibrary.INSTANCE.aimis_client_new_with_options(required(appId, "appId"), required(token, "token"), utf8(baseUrl),
                options == null ? null : options.handle(), out));
            handle = out.getValue();
        }

        /** The native aimis_client *, for the raw AimisLibrary functions (such as the
         * _into ones); it stays the client's. */
        public synchronized Pointer handle() {
            if (handle == null) throw new IllegalStateException("the client is closed");
            return handle;
        }

        /** Calls an endpoint by name (patientStudies, patient_studies or patient-studies)
         * with a JSON request; returns the response data as JSON. */
        public String call(String endpoint, String requestJson) {
            PointerByReference response = new PointerByReference();
            check(AimisLibrary.INSTANCE.aimis_client_call(handle(), required(endpoint, "endpoint"),
                encode(text, requestJson, "requestJson"), response), text);
            return takeString(response.getValue(), text);
        }

        /**
         * Checklist Query: Lists a patient's studies, filtered by type, date range and origin.
         *
         * Request fields (JSON, camelCase): phoneNum (string, required), idNum (string, required), hisId (string), patientName (string), hospitalId (string, required), unionId (string, required), studyType (StudyType, required), dataFlag (DataFlag, required), usage (Usage, required), studyDateBegin (datetime, required), studyDateEnd (datetime, required).
         * Answer: the response data, list&lt;Study&gt;.
         */
        public String patientStudies(String requestJson) { return call("patientStudies", requestJson); }

        /**
         * Consultation Record Query: Gets the page where a doctor sees the patient's remote consultation records.
         *
         * Request fields (JSON, camelCase): hisId (string, required), phoneNum (string, required), idNum (string, required), patientName (string), hospitalId (string, required), unionId (string, required).
         * Answer: the response data, ConsultationList.
         */
        public String patientConsultations(String requestJson) { return call("patientConsultations", requestJson); }

        /**
         * Check Report URL Retrieval: Gets the report and image pages of one study, by the reportId the imaging cloud gave.
         *
         * Request fields (JSON, camelCase): reportId (string, required), phoneNum (string, required), idNum (string, required), hospitalId (string, required).
         * Answer: the response data, PatientStudyUrl.
         */
        public String patientReportUrl(String requestJson) { return call("patientReportUrl", requestJson); }

        /**
         * Checklist Query: Lists a patient's studies, filtered by type, date range and origin.
         */
        public List<Study> patientStudies(PatientStudiesRequest request) {
            if (request == null) throw new IllegalArgumentException("request must not be null");
            Object data = Json.parse(call("patientStudies", request.toJson()));
            return Json.list(data, v -> Study.fromJson(v));
        }

        /** patientStudies for each request, at most concurrency at a time (0: 8) and ratePerSecond
         * a second (0: no ceiling), slowing down when the platform asks; one outcome per
         * request, in their order. A request's failure is its outcome. */
        public List<BatchOutcome<List<Study>>> patientStudiesBatch(List<PatientStudiesRequest> requests,
            int concurrency, double ratePerSecond) {
            return BatchOutcome.read(batch("patientStudies", Json.arrayOf(requests, PatientStudiesRequest::toJson),
                concurrency, ratePerSecond), data -> Json.list(data, v -> Study.fromJson(v)));
        }

        /**
         * Consultation Record Query: Gets the page where a doctor sees the patient's remote consultation records.
         */
        public ConsultationList patientConsultations(PatientConsultationsRequest request) {
            if (request == null) throw new IllegalArgumentException("request must not be null");
            Object data = Json.parse(call("patientConsultations", request.toJson()));
            return ConsultationList.fromJson(data);
        }

        /** patientConsultations for each request, at most concurrency at a time (0: 8) and ratePerSecond
         * a second (0: no ceiling), slowing down when the platform asks; one outcome per
         * request, in their order. A request's failure is its outcome. */
        public List<BatchOutcome<ConsultationList>> patientConsultationsBatch(List<PatientConsultationsRequest> requests,
            int concurrency, double ratePerSecond) {
            return BatchOutcome.read(batch("patientConsultations", Json.arrayOf(requests, PatientConsultationsRequest::toJson),
                concurrency, ratePerSecond), data -> ConsultationList.fromJson(data));
        }

        /**
         * Check Report URL Retrieval: Gets the report and image pages of one study, by the reportId the imaging cloud gave.
         */
        public PatientStudyUrl patientReportUrl(PatientReportUrlRequest request) {
            if (request == null) throw new IllegalArgumentException("request must not be null");
            Object data = Json.parse(call("patientReportUrl", request.toJson()));
            return PatientStudyUrl.fromJson(data);
        }

        /** patientReportUrl for each request, at most concurrency at a time (0: 8) and ratePerSecond
         * a second (0: no ceiling), slowing down when the platform asks; one outcome per
         * request, in their order. A request's failure is its outcome. */
        public List<BatchOutcome<PatientStudyUrl>> patientReportUrlBatch(List<PatientReportUrlRequest> requests,
            int concurrency, double ratePerSecond) {
            return BatchOutcome.read(batch("patientReportUrl", Json.arrayOf(requests, PatientReportUrlRequest::toJson),
                concurrency, ratePerSecond), data -> PatientStudyUrl.fromJson(data));
        }

        /** A batch of endpoint over a JSON array of requests: the JSON array of outcomes
         * (aimis_client_batch). */
        public String batch(String endpoint, String requestsJson, int concurrency, double ratePerSecond) {
            PointerByReference outcomes = new PointerByReference();
            check(AimisLibrary.INSTANCE.aimis_client_batch(handle(), required(endpoint, "endpoint"),
                encode(text, requestsJson, "requestsJson"), concurrency, ratePerSecond, outcomes), text);
            return takeString(outcomes.getValue(), text);
        }


        /** Frees the client; calls still running on other threads must have returned. */
        @Override public synchronized void close() {
            if (handle != null) { AimisLibrary.INSTANCE.aimis_client_free(handle); handle = null; }
        }
    }

    /**
     * The imaging department a study belongs to.
     */
    public enum StudyType {
        /**
         * Radiology: X-ray, CT, MR.
         */
        RADIOLOGY(0),
        /**
         * Ophthalmology, such as fundus photography.
         */
        OPHTHALMOLOGY(1),
        /**
         * Pathology slides.
         */
        PATHOLOGY(2),
        /**
         * Endoscopy.
         */
        ENDOSCOPY(3),
        /**
         * Electrocardiogram (ECG).
         */
        ELECTROCARDIOGRAM(4),
        /**
         * Ultrasound.
         */
        ULTRASOUND(5);

        /** The number AIMIS sends. */
        public final int value;
        StudyType(int value) { this.value = value; }

        /** The constant of a number or a name; null for one this version does not know. */
        public static StudyType of(Object json) {
            for (StudyType e : values()) {
                if (json instanceof Long && e.value == (Long) json) return e;
                if (json instanceof String && e.name().replace("_", "").equalsIgnoreCase((String) json)) return e;
            }
            return null;
        }
    }

    /**
     * Which of the patient's studies to return, relative to hospitalId and unionId.
     */
    public enum DataFlag {
        /**
         * All of the patient's studies.
         */
        ALL(0),
        /**
         * Only studies from this hospital (hospitalId).
         */
        THIS_HOSPITAL(1),
        /**
         * Only studies from other hospitals than hospitalId.
         */
        OTHER_HOSPITALS(2),
        /**
         * Only studies from this medical alliance (unionId).
         */
        THIS_ALLIANCE(3),
        /**
         * Only studies from outside this medical alliance (unionId).
         */
        OTHER_ALLIANCES(4);

        /** The number AIMIS sends. */
        public final int value;
        DataFlag(int value) { this.value = value; }

        /** The constant of a number or a name; null for one this version does not know. */
        public static DataFlag of(Object json) {
            for (DataFlag e : values()) {
                if (json instanceof Long && e.value == (Long) json) return e;
                if (json instanceof String && e.name().replace("_", "").equalsIgnoreCase((String) json)) return e;
            }
            return null;
        }
    }

    /**
     * What the data is for.
     */
    public enum Usage {
        /**
         * The patient views their checklist.
         */
        PATIENT_CHECKLIST(0),
        /**
         * The patient consults online.
         */
        ONLINE_CONSULTATION(1),
        /**
         * A doctor views the patient's details.
         */
        DOCTOR_VIEW(2);

        /** The number AIMIS sends. */
        public final int value;
        Usage(int value) { this.value = value; }

        /** The constant of a number or a name; null for one this version does not know. */
        public static Usage of(Object json) {
            for (Usage e : values()) {
                if (json instanceof Long && e.value == (Long) json) return e;
                if (json instanceof String && e.name().replace("_", "").equalsIgnoreCase((String) json)) return e;
            }
            return null;
        }
    }

    /**
     * How far the platform has got with a study.
     */
    public enum StudyStatus {
        /**
         * Only the study information has arrived.
         */
        STUDY_ONLY(0),
        /**
         * The report has arrived.
         */
        REPORT_READY(1),
        /**
         * The images have arrived.
         */
        IMAGES_READY(2),
        /**
         * Both the report and the images have arrived.
         */
        REPORT_AND_IMAGES_READY(3);

        /** The number AIMIS sends. */
        public final int value;
        StudyStatus(int value) { this.value = value; }

        /** The constant of a number or a name; null for one this version does not know. */
        public static StudyStatus of(Object json) {
            for (StudyStatus e : values()) {
                if (json instanceof Long && e.value == (Long) json) return e;
                if (json instanceof String && e.name().replace("_", "").equalsIgnoreCase((String) json)) return e;
            }
            return null;
        }
    }

    /**
     * The request of patientStudies (Checklist Query).
     */
    public static final class PatientStudiesRequest {
        private String phoneNum;
        private String idNum;
        private String hisId;
        private String patientName;
        private String hospitalId;
        private String unionId;
        private StudyType studyType;
        private DataFlag dataFlag;
        private Usage usage;
        private LocalDateTime studyDateBegin;
        private LocalDateTime studyDateEnd;

        /**
         * phoneNum: The patient's phone number. Required.
         */
        public PatientStudiesRequest phoneNum(String value) { this.phoneNum = value; return this; }
        public String getPhoneNum() { return phoneNum; }

        /**
         * idNum: The patient's identity card number. Required.
         */
        public PatientStudiesRequest idNum(String value) { this.idNum = value; return this; }
        public String getIdNum() { return idNum; }

        /**
         * hisId: The hospital information system's number, if there is one.
         */
        public PatientStudiesRequest hisId(String value) { this.hisId = value; return this; }
        public String getHisId() { return hisId; }

        /**
         * patientName: The patient's name.
         */
        public PatientStudiesRequest patientName(String value) { this.patientName = value; return this; }
        public String getPatientName() { return patientName; }

        /**
         * hospitalId: The hospital's ID in the imaging cloud. Required.
         */
        public PatientStudiesRequest hospitalId(String value) { this.hospitalId = value; return this; }
        public String getHospitalId() { return hospitalId; }

        /**
         * unionId: The medical alliance's ID in the imaging cloud. Required.
         */
        public PatientStudiesRequest unionId(String value) { this.unionId = value; return this; }
        public String getUnionId() { return unionId; }

        /**
         * studyType: Which imaging department's studies to list. Required.
         */
        public PatientStudiesRequest studyType(StudyType value) { this.studyType = value; return this; }
        public StudyType getStudyType() { return studyType; }

        /**
         * dataFlag: Which hospitals' studies to list. Required.
         */
        public PatientStudiesRequest dataFlag(DataFlag value) { this.dataFlag = value; return this; }
        public DataFlag getDataFlag() { return dataFlag; }

        /**
         * usage: What the list is for. Required.
         */
        public PatientStudiesRequest usage(Usage value) { this.usage = value; return this; }
        public Usage getUsage() { return usage; }

        /**
         * studyDateBegin: Earliest study time to list, inclusive. Required.
         */
        public PatientStudiesRequest studyDateBegin(LocalDateTime value) { this.studyDateBegin = value; return this; }
        public LocalDateTime getStudyDateBegin() { return studyDateBegin; }

        /**
         * studyDateEnd: Latest study time to list, inclusive. Required.
         */
        public PatientStudiesRequest studyDateEnd(LocalDateTime value) { this.studyDateEnd = value; return this; }
        public LocalDateTime getStudyDateEnd() { return studyDateEnd; }

        /** The request as JSON: the fields that are set, by the vendor's names. */
        public String toJson() {
            Json.Writer w = new Json.Writer();
            w.member("phoneNum", phoneNum);
            w.member("idNum", idNum);
            w.member("hisId", hisId);
            w.member("patientName", patientName);
            w.member("hospitalId", hospitalId);
            w.member("unionId", unionId);
            w.member("studyType", studyType);
            w.member("dataFlag", dataFlag);
            w.member("usage", usage);
            w.member("studyDateBegin", studyDateBegin);
            w.member("studyDateEnd", studyDateEnd);
            return w.finish();
        }
    }

    /**
     * The request of patientConsultations (Consultation Record Query).
     */
    public static final class PatientConsultationsRequest {
        private String hisId;
        private String phoneNum;
        private String idNum;
        private String patientName;
        private String hospitalId;
        private String unionId;

        /**
         * hisId: The hospital information system's number. Required.
         */
        public PatientConsultationsRequest hisId(String value) { this.hisId = value; return this; }
        public String getHisId() { return hisId; }

        /**
         * phoneNum: The patient's phone number. Required.
         */
        public PatientConsultationsRequest phoneNum(String value) { this.phoneNum = value; return this; }
        public String getPhoneNum() { return phoneNum; }

        /**
         * idNum: The patient's identity card number. Required.
         */
        public PatientConsultationsRequest idNum(String value) { this.idNum = value; return this; }
        public String getIdNum() { return idNum; }

        /**
         * patientName: The patient's name.
         */
        public PatientConsultationsRequest patientName(String value) { this.patientName = value; return this; }
        public String getPatientName() { return patientName; }

        /**
         * hospitalId: The hospital's ID in the imaging cloud. Required.
         */
        public PatientConsultationsRequest hospitalId(String value) { this.hospitalId = value; return this; }
        public String getHospitalId() { return hospitalId; }

        /**
         * unionId: The medical alliance's ID in the imaging cloud. Required.
         */
        public PatientConsultationsRequest unionId(String value) { this.unionId = value; return this; }
        public String getUnionId() { return unionId; }

        /** The request as JSON: the fields that are set, by the vendor's names. */
        public String toJson() {
            Json.Writer w = new Json.Writer();
            w.member("hisId", hisId);
            w.member("phoneNum", phoneNum);
            w.member("idNum", idNum);
            w.member("patientName", patientName);
            w.member("hospitalId", hospitalId);
            w.member("unionId", unionId);
            return w.finish();
        }
    }

    /**
     * The request of patientReportUrl (Check Report URL Retrieval).
     */
    public static final class PatientReportUrlRequest {
        private String reportId;
        private String phoneNum;
        private String idNum;
        private String hospitalId;

        /**
         * reportId: The reportId returned by the imaging cloud. Required.
         */
        public PatientReportUrlRequest reportId(String value) { this.reportId = value; return this; }
        public String getReportId() { return reportId; }

        /**
         * phoneNum: The patient's phone number. Required.
         */
        public PatientReportUrlRequest phoneNum(String value) { this.phoneNum = value; return this; }
        public String getPhoneNum() { return phoneNum; }

        /**
         * idNum: The patient's identity card number. Required.
         */
        public PatientReportUrlRequest idNum(String value) { this.idNum = value; return this; }
        public String getIdNum() { return idNum; }

        /**
         * hospitalId: The hospital's ID in the imaging cloud. Required.
         */
        public PatientReportUrlRequest hospitalId(String value) { this.hospitalId = value; return this; }
        public String getHospitalId() { return hospitalId; }

        /** The request as JSON: the fields that are set, by the vendor's names. */
        public String toJson() {
            Json.Writer w = new Json.Writer();
            w.member("reportId", reportId);
            w.member("phoneNum", phoneNum);
            w.member("idNum", idNum);
            w.member("hospitalId", hospitalId);
            return w.finish();
        }
    }

    /**
     * One imaging study (examination) of the patient.
     */
    public static final class Study {
        private String hisId;
        private String reportId;
        private StudyType studyType;
        private LocalDateTime studyDate;
        private String studyId;
        private String bodyPart;
        private String studyName;
        private String applyDoctor;
        private String applyDoctorId;
        private String applyDept;
        private String applyDeptId;
        private String uniAppId;
        private String uniPath;
        private String h5Url;
        private String h5DetailUrl;

        private Study() {}

        /**
         * hisId: The hospital information system's number for the study.
         */
        public String getHisId() { return hisId; }

        /**
         * reportId: The report's ID in the imaging cloud; pass it to patientReportUrl.
         */
        public String getReportId() { return reportId; }

        /**
         * studyType: The imaging department of the study.
         */
        public StudyType getStudyType() { return studyType; }

        /**
         * studyDate: When the study took place, yyyy-MM-dd HH:mm:ss.
         */
        public LocalDateTime getStudyDate() { return studyDate; }

        /**
         * studyId: The study (examination) number.
         */
        public String getStudyId() { return studyId; }

        /**
         * bodyPart: The body part examined.
         */
        public String getBodyPart() { return bodyPart; }

        /**
         * studyName: The name of the examination item.
         */
        public String getStudyName() { return studyName; }

        /**
         * applyDoctor: The doctor who requested the study.
         */
        public String getApplyDoctor() { return applyDoctor; }

        /**
         * applyDoctorId: The ID of the requesting doctor.
         */
        public String getApplyDoctorId() { return applyDoctorId; }

        /**
         * applyDept: The department that requested the study.
         */
        public String getApplyDept() { return applyDept; }

        /**
         * applyDeptId: The ID of the requesting department.
         */
        public String getApplyDeptId() { return applyDeptId; }

        /**
         * uniAppId: The mini program appid to jump to.
         */
        public String getUniAppId() { return uniAppId; }

        /**
         * uniPath: The mini program path, with parameters, of the study's details.
         */
        public String getUniPath() { return uniPath; }

        /**
         * h5Url: H5 page with the report.
         */
        public String getH5Url() { return h5Url; }

        /**
         * h5DetailUrl: H5 page with the images.
         */
        public String getH5DetailUrl() { return h5DetailUrl; }

        /** The record of a JSON object from libaimis; null for anything else. */
        public static Study fromJson(Object json) {
            Map<String, Object> o = Json.object(json);
            if (o == null) return null;
            Study r = new Study();
            r.hisId = Json.text(Json.field(o, "hisId"));
            r.reportId = Json.text(Json.field(o, "reportId"));
            r.studyType = StudyType.of(Json.field(o, "studyType"));
            r.studyDate = Json.dateTime(Json.field(o, "studyDate"));
            r.studyId = Json.text(Json.field(o, "studyId"));
            r.bodyPart = Json.text(Json.field(o, "bodyPart"));
            r.studyName = Json.text(Json.field(o, "studyName"));
            r.applyDoctor = Json.text(Json.field(o, "applyDoctor"));
            r.applyDoctorId = Json.text(Json.field(o, "applyDoctorId"));
            r.applyDept = Json.text(Json.field(o, "applyDept"));
            r.applyDeptId = Json.text(Json.field(o, "applyDeptId"));
            r.uniAppId = Json.text(Json.field(o, "uniAppId"));
            r.uniPath = Json.text(Json.field(o, "uniPath"));
            r.h5Url = Json.text(Json.field(o, "h5Url"));
            r.h5DetailUrl = Json.text(Json.field(o, "h5DetailUrl"));
            return r;
        }
    }

    /**
     * Where the patient's consultation records can be seen.
     */
    public static final class ConsultationList {
        private String h5Url;

        private ConsultationList() {}

        /**
         * h5Url: H5 page listing the patient's consultations.
         */
        public String getH5Url() { return h5Url; }

        /** The record of a JSON object from libaimis; null for anything else. */
        public static ConsultationList fromJson(Object json) {
            Map<String, Object> o = Json.object(json);
            if (o == null) return null;
            ConsultationList r = new ConsultationList();
            r.h5Url = Json.text(Json.field(o, "h5Url"));
            return r;
        }
    }

    /**
     * Links to one report and its images.
     */
    public static final class PatientStudyUrl {
        private String h5Url;
        private String h5DetailUrl;
        private String studyId;

        private PatientStudyUrl() {}

        /**
         * h5Url: H5 page with the report.
         */
        public String getH5Url() { return h5Url; }

        /**
         * h5DetailUrl: H5 page with the images.
         */
        public String getH5DetailUrl() { return h5DetailUrl; }

        /**
         * studyId: The study number, as the hospital system knows it.
         */
        public String getStudyId() { return studyId; }

        /** The record of a JSON object from libaimis; null for anything else. */
        public static PatientStudyUrl fromJson(Object json) {
            Map<String, Object> o = Json.object(json);
            if (o == null) return null;
            PatientStudyUrl r = new PatientStudyUrl();
            r.h5Url = Json.text(Json.field(o, "h5Url"));
            r.h5DetailUrl = Json.text(Json.field(o, "h5DetailUrl"));
            r.studyId = Json.text(Json.field(o, "studyId"));
            return r;
        }
    }

    /**
     * The platform tells the partner that a study, its report or its images have arrived.
     */
    public static final class StudyStatusCallback {
        private StudyStatus status;
        private String phoneNum;
        private String idNum;
        private String patientId;
        private String hospitalId;
        private String hisId;
        private StudyType studyType;
        private LocalDateTime studyDate;
        private String studyId;
        private String bodyPart;
        private String studyName;
        private String h5Url;
        private String h5DetailUrl;
        private String reportId;

        private StudyStatusCallback() {}

        /**
         * status: What the platform has obtained. Required.
         */
        public StudyStatus getStatus() { return status; }

        /**
         * phoneNum: The patient's phone number. Required.
         */
        public String getPhoneNum() { return phoneNum; }

        /**
         * idNum: The patient's identity card number. Required.
         */
        public String getIdNum() { return idNum; }

        /**
         * patientId: The patient's ID. Required.
         */
        public String getPatientId() { return patientId; }

        /**
         * hospitalId: The hospital's ID in the imaging cloud. Required.
         */
        public String getHospitalId() { return hospitalId; }

        /**
         * hisId: The hospital information system's number, if there is one.
         */
        public String getHisId() { return hisId; }

        /**
         * studyType: The imaging department of the study. Required.
         */
        public StudyType getStudyType() { return studyType; }

        /**
         * studyDate: When the study took place. Required.
         */
        public LocalDateTime getStudyDate() { return studyDate; }

        /**
         * studyId: The study (examination) number. Required.
         */
        public String getStudyId() { return studyId; }

        /**
         * bodyPart: The body part examined, if known.
         */
        public String getBodyPart() { return bodyPart; }

        /**
         * studyName: The examination item, if known.
         */
        public String getStudyName() { return studyName; }

        /**
         * h5Url: H5 page with the report. Required.
         */
        public String getH5Url() { return h5Url; }

        /**
         * h5DetailUrl: H5 page with the images. Required.
         */
        public String getH5DetailUrl() { return h5DetailUrl; }

        /**
         * reportId: The reportId; pass it to patientReportUrl. Required.
         */
        public String getReportId() { return reportId; }

        /** The record of a JSON object from libaimis; null for anything else. */
        public static StudyStatusCallback fromJson(Object json) {
            Map<String, Object> o = Json.object(json);
            if (o == null) return null;
            StudyStatusCallback r = new StudyStatusCallback();
            r.status = StudyStatus.of(Json.field(o, "status"));
            r.phoneNum = Json.text(Json.field(o, "phoneNum"));
            r.idNum = Json.text(Json.field(o, "idNum"));
            r.patientId = Json.text(Json.field(o, "patientId"));
            r.hospitalId = Json.text(Json.field(o, "hospitalId"));
            r.hisId = Json.text(Json.field(o, "hisId"));
            r.studyType = StudyType.of(Json.field(o, "studyType"));
            r.studyDate = Json.dateTime(Json.field(o, "studyDate"));
            r.studyId = Json.text(Json.field(o, "studyId"));
            r.bodyPart = Json.text(Json.field(o, "bodyPart"));
            r.studyName = Json.text(Json.field(o, "studyName"));
            r.h5Url = Json.text(Json.field(o, "h5Url"));
            r.h5DetailUrl = Json.text(Json.field(o, "h5DetailUrl"));
            r.reportId = Json.text(Json.field(o, "reportId"));
            return r;
        }
    }

    /** A callback an inbox handed out: acknowledge it by getId() once handled. */
    public static final class InboxItem {
        private long id;
        private StudyStatusCallback callback;
        private String receivedAt;
        private Long attempts;

        private InboxItem() {}

        public long getId() { return id; }
        /** The callback, phoneNum and idNum decrypted. */
        public StudyStatusCallback getCallback() { return callback; }
        public String getReceivedAt() { return receivedAt; }
        public Long getAttempts() { return attempts; }

        /** The item of aimis_inbox_next's JSON; null for null (nothing pending). */
        public static InboxItem fromJson(Object json) {
            Map<String, Object> o = Json.object(json);
            if (o == null) return null;
            InboxItem item = new InboxItem();
            Long id = Json.integer(Json.field(o, "id"));
            item.id = id == null ? 0 : id;
            item.callback = StudyStatusCallback.fromJson(Json.field(o, "callback"));
            item.receivedAt = Json.text(Json.field(o, "received_at"));
            item.attempts = Json.integer(Json.field(o, "attempts"));
            return item;
        }
    }

    /** The consuming side of an inbox (the store `aimis inbox serve` writes verified
     * callbacks into): take the oldest pending callback, handle it, acknowledge it.
     * Thread-safe. */
    public static final class AimisInbox implements AutoCloseable {
        private Pointer handle;

        /** storeUrl: sqlite:PATH or a PostgreSQL URL; appId and token: the partner's
         * credentials, which decrypt the callbacks' phoneNum and idNum. */
        public AimisInbox(String storeUrl, String appId, String token) {
            PointerByReference out = new PointerByReference();
            check(AimisLibrary.INSTANCE.aimis_inbox_open(required(storeUrl, "storeUrl"), required(appId, "appId"),
                required(token, "token"), out));
            handle = out.getValue();
        }

        private synchronized Pointer handle() {
            if (handle == null) throw new IllegalStateException("the inbox is closed");
            return handle;
        }

        /** Claims the oldest pending callback for leaseSeconds (handed out again if not
         * acknowledged by then); null when nothing is pending. */
        public InboxItem next(int leaseSeconds) {
            PointerByReference json = new PointerByReference();
            check(AimisLibrary.INSTANCE.aimis_inbox_next(handle(), leaseSeconds, json));
            return InboxItem.fromJson(Json.parse(takeString(json.getValue())));
        }

        /** Marks the claimed callback handled. */
        public void ack(long id) { check(AimisLibrary.INSTANCE.aimis_inbox_ack(handle(), id)); }

        /** Gives the claimed callback back: pending again now. */
        public void nack(long id) { check(AimisLibrary.INSTANCE.aimis_inbox_nack(handle(), id)); }

        @Override public synchronized void close() {
            if (handle != null) { AimisLibrary.INSTANCE.aimis_inbox_free(handle); handle = null; }
        }
    }

    /** One request's outcome in a batch: getData() when isOk(), else the error's kind,
     * platform code (if the platform refused it) and message. */
    public static final class BatchOutcome<T> {
        private long row;
        private boolean ok;
        private T data;
        private String errorKind;
        private Long errorCode;
        private String errorMessage;

        private BatchOutcome() {}

        /** The request's place in the batch, from 1. */
        public long getRow() { return row; }
        public boolean isOk() { return ok; }
        public T getData() { return data; }
        public String getErrorKind() { return errorKind; }
        public Long getErrorCode() { return errorCode; }
        public String getErrorMessage() { return errorMessage; }

        static <T> List<BatchOutcome<T>> read(String outcomes, Function<Object, T> data) {
            return Json.list(Json.parse(outcomes), o -> {
                Map<String, Object> outcome = Json.object(o);
                Map<String, Object> error = Json.object(Json.field(outcome, "error"));
                BatchOutcome<T> b = new BatchOutcome<T>();
                Long row = Json.integer(Json.field(outcome, "row"));
                b.row = row == null ? 0 : row;
                b.ok = Boolean.TRUE.equals(Json.field(outcome, "ok"));
                if (b.ok) b.data = data.apply(Json.field(outcome, "data"));
                if (error != null) {
                    b.errorKind = Json.text(Json.field(error, "kind"));
                    b.errorCode = Json.integer(Json.field(error, "code"));
                    b.errorMessage = Json.text(Json.field(error, "message"));
                }
                return b;
            });
        }
    }

    /** The small JSON reader and writer the typed classes use (Java 8 has none, and only
     * JNA is needed). Its errors give positions, never the text. */
    public static final class Json {
        private Json() {}

        /** The vendor's date and time form. */
        public static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

        /** Objects as Map, arrays as List, integers as Long, other numbers as Double. */
        public static Object parse(String text) {
            int[] at = {0};
            Object value = value(text, at);
            space(text, at);
            if (at[0] != text.length()) throw new IllegalArgumentException("JSON: unexpected text at " + at[0]);
            return value;
        }

        private static void space(String s, int[] at) {
            while (at[0] < s.length() && " \t\r\n".indexOf(s.charAt(at[0])) >= 0) at[0]++;
        }

        private static void expect(String s, int[] at, char c) {
            space(s, at);
            if (at[0] >= s.length() || s.charAt(at[0]) != c) throw new IllegalArgumentException("JSON: expected '" + c + "' at " + at[0]);
            at[0]++;
        }

        private static boolean literal(String s, int[] at, String word) {
            if (!s.startsWith(word, at[0])) return false;
            at[0] += word.length();
            return true;
        }

        private static Object value(String s, int[] at) {
            space(s, at);
            if (at[0] >= s.length()) throw new IllegalArgumentException("JSON: unexpected end");
            char c = s.charAt(at[0]);
            if (c == '{') {
                Map<String, Object> o = new LinkedHashMap<String, Object>();
                at[0]++;
                space(s, at);
                if (at[0] < s.length() && s.charAt(at[0]) == '}') { at[0]++; return o; }
                while (true) {
                    space(s, at);
                    String key = string(s, at);
                    expect(s, at, ':');
                    o.put(key, value(s, at));
                    space(s, at);
                    if (at[0] < s.length() && s.charAt(at[0]) == ',') { at[0]++; continue; }
                    expect(s, at, '}');
                    return o;
                }
            }
            if (c == '[') {
                List<Object> a = new ArrayList<Object>();
                at[0]++;
                space(s, at);
                if (at[0] < s.length() && s.charAt(at[0]) == ']') { at[0]++; return a; }
                while (true) {
                    a.add(value(s, at));
                    space(s, at);
                    if (at[0] < s.length() && s.charAt(at[0]) == ',') { at[0]++; continue; }
                    expect(s, at, ']');
                    return a;
                }
            }
            if (c == '"') return string(s, at);
            if (literal(s, at, "true")) return Boolean.TRUE;
            if (literal(s, at, "false")) return Boolean.FALSE;
            if (literal(s, at, "null")) return null;
            int start = at[0];
            while (at[0] < s.length() && "+-0123456789.eE".indexOf(s.charAt(at[0])) >= 0) at[0]++;
            String number = s.substring(start, at[0]);
            try {
                return Long.valueOf(number);
            } catch (NumberFormatException notWhole) {
                try {
                    return Double.valueOf(number);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("JSON: unexpected character at " + start);
                }
            }
        }

        private static String string(String s, int[] at) {
            expect(s, at, '"');
            StringBuilder sb = new StringBuilder();
            while (at[0] < s.length() && s.charAt(at[0]) != '"') {
                char c = s.charAt(at[0]++);
                if (c != '\\') { sb.append(c); continue; }
                if (at[0] >= s.length()) break;
                char e = s.charAt(at[0]++);
                switch (e) {
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'n': sb.append('\n'); break;
                    case 'r': sb.append('\r'); break;
                    case 't': sb.append('\t'); break;
                    case 'u':
                        if (at[0] + 4 > s.length()) throw new IllegalArgumentException("JSON: bad escape at " + at[0]);
                        sb.append((char) Integer.parseInt(s.substring(at[0], at[0] + 4), 16));
                        at[0] += 4;
                        break;
                    default: sb.append(e);
                }
            }
            expect(s, at, '"');
            return sb.toString();
        }

        @SuppressWarnings("unchecked")
        public static Map<String, Object> object(Object v) {
            return v instanceof Map ? (Map<String, Object>) v : null;
        }

        /** A member of an object, null when absent. */
        public static Object field(Map<String, Object> o, String name) { return o.get(name); }

        public static String text(Object v) { return v == null ? null : v.toString(); }

        public static Long integer(Object v) {
            if (v instanceof Long) return (Long) v;
            try {
                return v instanceof String ? Long.valueOf((String) v) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }

        /** The vendor's yyyy-MM-dd HH:mm:ss; null for another form. */
        public static LocalDateTime dateTime(Object v) {
            try {
                return v instanceof String ? LocalDateTime.parse((String) v, DATE_TIME) : null;
            } catch (DateTimeParseException e) {
                return null;
            }
        }

        /** A JSON array of requests (a batch's); null or a null request is refused. */
        public static <T> String arrayOf(List<T> requests, Function<T, String> json) {
            if (requests == null) throw new IllegalArgumentException("requests must not be null");
            StringBuilder array = new StringBuilder("[");
            for (T r : requests) {
                if (r == null) throw new IllegalArgumentException("requests holds a null request");
                if (array.length() > 1) array.append(',');
                array.append(json.apply(r));
            }
            return array.append(']').toString();
        }

        public static <T> List<T> list(Object v, Function<Object, T> item) {
            if (!(v instanceof List)) return null;
            List<T> list = new ArrayList<T>();
            for (Object x : (List<?>) v) list.add(item.apply(x));
            return list;
        }

        /** Writes one JSON object, leaving out the members that are null. */
        public static final class Writer {
            private final StringBuilder sb = new StringBuilder("{");

            private void key(String name) {
                if (sb.length() > 1) sb.append(',');
                quote(name);
                sb.append(':');
            }

            private void quote(String s) {
                sb.append('"');
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (c == '"' || c == '\\') sb.append('\\').append(c);
                    else if (c < ' ') sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
                sb.append('"');
            }

            public void member(String name, String value) {
                if (value == null) return;
                key(name);
                quote(value);
            }

            public void member(String name, Long value) {
                if (value == null) return;
                key(name);
                sb.append(value.longValue());
            }

            public void member(String name, LocalDateTime value) {
                if (value == null) return;
                key(name);
                quote(value.format(DATE_TIME));
            }

            public void member(String name, StudyType value) {
                if (value == null) return;
                key(name);
                sb.append(value.value);
            }

            public void member(String name, DataFlag value) {
                if (value == null) return;
                key(name);
                sb.append(value.value);
            }

            public void member(String name, Usage value) {
                if (value == null) return;
                key(name);
                sb.append(value.value);
            }

            public void member(String name, StudyStatus value) {
                if (value == null) return;
                key(name);
                sb.append(value.value);
            }

            public String finish() { return sb.append('}').toString(); }
        }
    }

    /** The libaimis version, such as "0.1.0". */
    public static String version() {
        return AimisLibrary.INSTANCE.aimis_version().getString(0, "UTF-8");
    }

    /** Verifies a status callback (headers appId, timestamp, signature; null if absent) and
     * returns it as JSON with phoneNum and idNum decrypted; throws CallbackException if it is
     * rejected or malformed. */
    public static String verifyCallback(String appId, String token, String headerAppId,
            String headerTimestamp, String headerSignature, byte[] body) {
        byte[] raw = body == null ? new byte[0] : body;
        PointerByReference json = new PointerByReference();
        check(AimisLibrary.INSTANCE.aimis_callback_verify(required(appId, "appId"), required(token, "token"), utf8(headerAppId),
            utf8(headerTimestamp), utf8(headerSignature), raw, new SizeT(raw.length), json));
        return takeString(json.getValue());
    }

    /** AES-256-ECB, PKCS#7, lowercase hex, as the platform expects. */
    public static String encryptField(String token, String plaintext) {
        PointerByReference hex = new PointerByReference();
        check(AimisLibrary.INSTANCE.aimis_encrypt_field(required(token, "token"), required(plaintext, "plaintext"), hex));
        return takeString(hex.getValue());
    }

    public static String decryptField(String token, String hex) {
        PointerByReference text = new PointerByReference();
        check(AimisLibrary.INSTANCE.aimis_decrypt_field(required(token, "token"), required(hex, "hex"), text));
        return takeString(text.getValue());
    }

    /** The signature header for appId and timestamp (ms since the epoch). */
    public static String sign(String appId, String token, String timestampMs) {
        PointerByReference signature = new PointerByReference();
        check(AimisLibrary.INSTANCE.aimis_sign(required(appId, "appId"), required(token, "token"), required(timestampMs, "timestampMs"), signature));
        return takeString(signature.getValue());
    }

    /** The NUL-terminated UTF-8 bytes of s; null stays null; a NUL character is refused. */
    public static byte[] utf8(String s) {
        if (s == null) return null;
        if (s.indexOf('\0') >= 0) throw new IllegalArgumentException("a string passed to libaimis contains a NUL character");
        byte[] text = s.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[text.length + 1];
        System.arraycopy(text, 0, z, 0, text.length);
        return z;
    }

    /** utf8 for an argument libaimis requires: null is an IllegalArgumentException naming it. */
    public static byte[] required(String s, String name) {
        if (s == null) throw new IllegalArgumentException(name + " must not be null");
        return utf8(s);
    }

    /** The NUL-terminated bytes of an argument libaimis requires, in this charset: null, a
     * NUL character or a character the charset lacks is an IllegalArgumentException naming it. */
    public static byte[] encode(Charset text, String s, String name) {
        if (s == null) throw new IllegalArgumentException(name + " must not be null");
        if (s.indexOf('\0') >= 0) throw new IllegalArgumentException(name + " contains a NUL character");
        try {
            java.nio.ByteBuffer bytes = text.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(s));
            byte[] z = new byte[bytes.remaining() + 1];
            bytes.get(z, 0, bytes.remaining());
            return z;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(name + " cannot be written in " + text.name());
        }
    }

    /** A string libaimis handed over, in this charset: read, then freed (and wiped). */
    public static String takeString(Pointer p, Charset text) {
        try {
            return p.getString(0, text.name());
        } finally {
            AimisLibrary.INSTANCE.aimis_string_free(p);
        }
    }

    /** A string libaimis handed over, as UTF-8: read, then freed (and wiped). */
    public static String takeString(Pointer p) {
        try {
            return p.getString(0, "UTF-8");
        } finally {
            AimisLibrary.INSTANCE.aimis_string_free(p);
        }
    }

    /** C's size_t. */
    public static final class SizeT extends IntegerType {
        private static final long serialVersionUID = 1L;
        public SizeT() { this(0); }
        public SizeT(long value) { super(Native.SIZE_T_SIZE, value, true); }
    }

    /** A size_t the library writes (the needed size of the _into functions). */
    public static final class SizeTByReference extends ByReference {
        public SizeTByReference() { super(Native.SIZE_T_SIZE); }
        public long getValue() {
            return Native.SIZE_T_SIZE == 8 ? getPointer().getLong(0) : getPointer().getInt(0) & 0xffffffffL;
        }
    }
}
