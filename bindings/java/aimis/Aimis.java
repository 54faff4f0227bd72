// Generated from aimis-ffi (the functions and codes of aimis.h) and the endpoint
// registry by `cargo run -p xtask -- generate`: do not edit.
// libaimis 0.1.0 for Java 8+ through JNA 5 (jna.jar on the class path). libaimis.so
// or aimis.dll is found on jna.library.path; -Daimis.library=NAME_OR_PATH overrides it.
package aimis;

import com.sun.jna.IntegerType;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.ByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;

/** libaimis: the AIMIS medical imaging cloud client. */
public final class Aimis {
    private Aimis() {}

    /** The version of aimis.h these bindings were generated from. */
    public static final String BINDINGS_VERSION = "0.1.0";

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

    /** The C functions, as aimis.h declares them (cdecl). Strings are NUL-terminated byte
     * arrays: UTF-8 from {@link #utf8}, or GB18030 where that encoding was chosen. Strings
     * returned through a PointerByReference are freed with aimis_string_free. */
    public interface AimisLibrary extends com.sun.jna.Library {
        AimisLibrary INSTANCE = Native.load(System.getProperty("aimis.library", "aimis"), AimisLibrary.class);

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
         * which case the callback stays claimed until its lease ends.
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
        AimisLibrary lib = AimisLibrary.INSTANCE;
        String message = lib.aimis_result_name(result).getString(0, "UTF-8") + ": "
            + lib.aimis_last_error_message().getString(0, "UTF-8");
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

    /** Client options; every setter checks its value at once (throws if refused). */
    public static final class Options implements AutoCloseable {
        private Pointer handle;
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
            check(AimisLibrary.INSTANCE.aimis_options_set_proxy(handle(), utf8(proxyUrl)));
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
            check(AimisLibrary.INSTANCE.aimis_options_add_ca_pem(handle(), utf8(pem)));
            return this;
        }

        /**
         * Like `aimis_options_add_ca_pem`, reading the PEM text from the file at `path` when
         * the client is made (`AIMIS_CONFIG` then if it cannot be read).
         *
         * Ownership: `path` is copied; it stays the caller's.
         */
        public Options addCaFile(String path) {
            check(AimisLibrary.INSTANCE.aimis_options_add_ca_file(handle(), utf8(path)));
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
            check(AimisLibrary.INSTANCE.aimis_options_set_user_agent_product(handle(), utf8(product)));
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
            return this;
        }

    }

    /** A client of the AIMIS platform; thread-safe: share one between threads. Requests
     * and answers are JSON text with the vendor's camelCase names; patient data goes in
     * as plaintext (libaimis encrypts and signs). */
    public static final class AimisClient implements AutoCloseable {
        private Pointer handle;

        /** baseUrl null: production. */
        public AimisClient(String appId, String token, String baseUrl) { this(appId, token, baseUrl, null); }

        /** options null: the defaults; they may be closed once the client is made. */
        public AimisClient(String appId, String token, String baseUrl, Options options) {
            PointerByReference out = new PointerByReference();
            check(AimisLibrary.INSTANCE.aimis_client_new_with_options(utf8(appId), utf8(token), utf8(baseUrl),
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
            check(AimisLibrary.INSTANCE.aimis_client_call(handle(), utf8(endpoint), utf8(requestJson), response));
            return takeString(response.getValue());
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

        /** Frees the client; calls still running on other threads must have returned. */
        @Override public synchronized void close() {
            if (handle != null) { AimisLibrary.INSTANCE.aimis_client_free(handle); handle = null; }
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
        check(AimisLibrary.INSTANCE.aimis_callback_verify(utf8(appId), utf8(token), utf8(headerAppId),
            utf8(headerTimestamp), utf8(headerSignature), raw, new SizeT(raw.length), json));
        return takeString(json.getValue());
    }

    /** AES-256-ECB, PKCS#7, lowercase hex, as the platform expects. */
    public static String encryptField(String token, String plaintext) {
        PointerByReference hex = new PointerByReference();
        check(AimisLibrary.INSTANCE.aimis_encrypt_field(utf8(token), utf8(plaintext), hex));
        return takeString(hex.getValue());
    }

    public static String decryptField(String token, String hex) {
        PointerByReference text = new PointerByReference();
        check(AimisLibrary.INSTANCE.aimis_decrypt_field(utf8(token), utf8(hex), text));
        return takeString(text.getValue());
    }

    /** The signature header for appId and timestamp (ms since the epoch). */
    public static String sign(String appId, String token, String timestampMs) {
        PointerByReference signature = new PointerByReference();
        check(AimisLibrary.INSTANCE.aimis_sign(utf8(appId), utf8(token), utf8(timestampMs), signature));
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
