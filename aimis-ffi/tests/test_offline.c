/* libaimis without a network: crypto known answers, signatures, the boundary rules
 * (NULL, invalid UTF-8, malformed JSON, unknown endpoints, options) and the callback
 * verification matrix, callbacks built here the way the platform builds them. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef _WIN32
#include <windows.h>
#endif

#include "common.h"

/* A client that is never used to send: the checks under test come first. */
static aimis_client *offline_client(void) {
    aimis_client *client = NULL;
    CHECK_RESULT(aimis_client_new(APP_ID, TOKEN, "http://127.0.0.1:9", &client), AIMIS_OK);
    return client;
}

static void version_matches_the_header(void) {
    char macros[64];
    snprintf(macros, sizeof macros, "%d.%d.%d", AIMIS_VERSION_MAJOR, AIMIS_VERSION_MINOR,
             AIMIS_VERSION_PATCH);
    CHECK(strcmp(aimis_version(), AIMIS_VERSION_STRING) == 0);
    CHECK(strncmp(AIMIS_VERSION_STRING, macros, strlen(macros)) == 0);
}

static void result_codes_have_stable_numbers_and_names(void) {
    CHECK(AIMIS_OK == 0);
    CHECK(AIMIS_NULL_ARGUMENT == 1);
    CHECK(AIMIS_INVALID_UTF8 == 2);
    CHECK(AIMIS_INVALID_JSON == 3);
    CHECK(AIMIS_CONFIG == 4);
    CHECK(AIMIS_VALIDATION == 5);
    CHECK(AIMIS_UNKNOWN_ENDPOINT == 6);
    CHECK(AIMIS_TRANSPORT == 7);
    CHECK(AIMIS_TIMEOUT == 8);
    CHECK(AIMIS_HTTP == 9);
    CHECK(AIMIS_DECODE == 10);
    CHECK(AIMIS_API == 11);
    CHECK(AIMIS_CRYPTO == 12);
    CHECK(AIMIS_CALLBACK_REJECTED == 13);
    CHECK(AIMIS_CALLBACK_MALFORMED == 14);
    CHECK(AIMIS_INTERNAL == 15);
    CHECK(AIMIS_BUFFER_TOO_SMALL == 16);
    CHECK(AIMIS_INVALID_TEXT == 17);
    CHECK(AIMIS_CONNECTION_REFUSED == 18);
    CHECK(AIMIS_DNS == 19);
    CHECK(AIMIS_TLS_CERTIFICATE == 20);
    CHECK(AIMIS_CONNECTION_RESET == 21);
    CHECK(AIMIS_BODY_TOO_LARGE == 22);
    CHECK(AIMIS_STORE == 23);
    CHECK(strcmp(aimis_result_name(AIMIS_TLS_CERTIFICATE), "AIMIS_TLS_CERTIFICATE") == 0);
    CHECK(AIMIS_TEXT_ENCODING_UTF8 == 0);
    CHECK(AIMIS_TEXT_ENCODING_GB18030 == 1);
    CHECK(AIMIS_TEXT_ENCODING_SYSTEM == 2);
    CHECK(strcmp(aimis_result_name(AIMIS_API), "AIMIS_API") == 0);
    CHECK(strcmp(aimis_result_name(12345), "AIMIS_UNKNOWN_RESULT") == 0);
    CHECK(strcmp(aimis_result_name(-1), "AIMIS_UNKNOWN_RESULT") == 0);
}

static void encrypts_the_known_answers(void) {
    char *hex = NULL;
    CHECK_RESULT(aimis_encrypt_field(TOKEN, "hello", &hex), AIMIS_OK);
    CHECK(hex != NULL && strcmp(hex, "a59c096412eecb79830021104f861307") == 0);
    aimis_string_free(hex);
    hex = NULL;
    CHECK_RESULT(aimis_encrypt_field(TOKEN, "", &hex), AIMIS_OK);
    CHECK(hex != NULL && strcmp(hex, "8aa36241fde8df054dc325c6c695b89e") == 0);
    aimis_string_free(hex);
}

static void decrypts_either_hex_case_and_round_trips(void) {
    char *text = NULL, *hex = NULL;
    CHECK_RESULT(aimis_decrypt_field(TOKEN, "A59C096412EECB79830021104F861307", &text), AIMIS_OK);
    CHECK(text != NULL && strcmp(text, "hello") == 0);
    aimis_string_free(text);
    text = NULL;
    CHECK_RESULT(aimis_encrypt_field(TOKEN, "\xe6\x9d\x8e\xe5\x8d\x8e " PHONE, &hex), AIMIS_OK);
    CHECK_RESULT(aimis_decrypt_field(TOKEN, hex, &text), AIMIS_OK);
    CHECK(text != NULL && strcmp(text, "\xe6\x9d\x8e\xe5\x8d\x8e " PHONE) == 0);
    aimis_string_free(text);
    aimis_string_free(hex);
}

static void decrypt_failures_are_crypto_errors(void) {
    char *text = (char *)"untouched";
    char *hex = NULL;
    CHECK_RESULT(aimis_decrypt_field(TOKEN, "zz", &text), AIMIS_CRYPTO);
    CHECK_RESULT(aimis_decrypt_field(TOKEN, "a59c0964", &text), AIMIS_CRYPTO);
    CHECK_CONTAINS(aimis_last_error_message(), "16 bytes");
    CHECK_RESULT(aimis_encrypt_field(TOKEN, PHONE, &hex), AIMIS_OK);
    CHECK_RESULT(aimis_decrypt_field(OTHER_TOKEN, hex, &text), AIMIS_CRYPTO);
    CHECK_CONTAINS(aimis_last_error_message(), "padding");
    CHECK_NO_SECRETS(aimis_last_error_message());
    CHECK(strcmp(text, "untouched") == 0);
    aimis_string_free(hex);
}

static void signs_app_id_and_timestamp(void) {
    char *signature = NULL;
    CHECK_RESULT(aimis_sign(APP_ID, TOKEN, "1735689600000", &signature), AIMIS_OK);
    /* HMAC-SHA256(key = token, "demo-app1735689600000"), as `openssl dgst -sha256 -hmac` gives. */
    CHECK(signature != NULL &&
          strcmp(signature, "2e864dd990dd0a118a761decfa297e010a8efada86dd3c5d2262f356fe176dea") == 0);
    aimis_string_free(signature);
}

static void sign_refuses_a_timestamp_that_is_not_a_number(void) {
    char *signature = (char *)"untouched";
    CHECK_RESULT(aimis_sign(APP_ID, TOKEN, "2025-01-01", &signature), AIMIS_VALIDATION);
    CHECK_CONTAINS(aimis_last_error_message(), "timestamp");
    CHECK_RESULT(aimis_sign(APP_ID, TOKEN, "", &signature), AIMIS_VALIDATION);
    CHECK(strcmp(signature, "untouched") == 0);
}

static void a_token_of_the_wrong_length_is_a_config_error(void) {
    aimis_client *client = (aimis_client *)&client; /* a sentinel: must stay as it is */
    char *out = (char *)"untouched";
    const char *tokens[] = {"", "short", TOKEN "x", "0123456789abcdef0123456789abcde"};
    size_t i;
    for (i = 0; i < sizeof tokens / sizeof tokens[0]; i++) {
        CHECK_RESULT(aimis_client_new(APP_ID, tokens[i], NULL, &client), AIMIS_CONFIG);
        CHECK_CONTAINS(aimis_last_error_message(), "32 bytes");
        CHECK_RESULT(aimis_encrypt_field(tokens[i], "x", &out), AIMIS_CONFIG);
        CHECK_RESULT(aimis_sign(APP_ID, tokens[i], "1", &out), AIMIS_CONFIG);
        CHECK_RESULT(aimis_decrypt_field(tokens[i], "a59c096412eecb79830021104f861307", &out),
                     AIMIS_CONFIG);
    }
    CHECK(client == (aimis_client *)&client);
    CHECK(strcmp(out, "untouched") == 0);
}

static void bad_app_ids_and_base_urls_are_config_errors(void) {
    aimis_client *client = NULL;
    CHECK_RESULT(aimis_client_new("", TOKEN, NULL, &client), AIMIS_CONFIG);
    CHECK_RESULT(aimis_client_new("demo app/1", TOKEN, NULL, &client), AIMIS_CONFIG);
    CHECK_RESULT(aimis_client_new(APP_ID, TOKEN, "http://pacs.example.org", &client), AIMIS_CONFIG);
    CHECK_CONTAINS(aimis_last_error_message(), "loopback");
    CHECK_RESULT(aimis_client_new(APP_ID, TOKEN, "pacs.qq.com", &client), AIMIS_CONFIG);
    CHECK(client == NULL);
    CHECK_RESULT(aimis_client_new(APP_ID, TOKEN, NULL, &client), AIMIS_OK);
    aimis_client_free(client);
}

static void null_arguments_are_errors_naming_the_argument(void) {
    aimis_client *client = offline_client();
    char *out = NULL;
    aimis_client *made = NULL;
    aimis_options *options = NULL;
    const char *body = "{}";

    CHECK_RESULT(aimis_client_new(NULL, TOKEN, NULL, &made), AIMIS_NULL_ARGUMENT);
    CHECK(strcmp(aimis_last_error_message(), "argument `app_id` is NULL") == 0);
    CHECK_RESULT(aimis_client_new(APP_ID, NULL, NULL, &made), AIMIS_NULL_ARGUMENT);
    CHECK(strcmp(aimis_last_error_message(), "argument `token` is NULL") == 0);
    CHECK_RESULT(aimis_client_new(APP_ID, TOKEN, NULL, NULL), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_client_new_with_options(NULL, TOKEN, NULL, NULL, &made), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_client_call(NULL, "patientStudies", "{}", &out), AIMIS_NULL_ARGUMENT);
    CHECK(strcmp(aimis_last_error_message(), "argument `client` is NULL") == 0);
    CHECK_RESULT(aimis_client_call(client, NULL, "{}", &out), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_client_call(client, "patientStudies", NULL, &out), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_client_call(client, "patientStudies", "{}", NULL), AIMIS_NULL_ARGUMENT);
    CHECK(strcmp(aimis_last_error_message(), "argument `response_json` is NULL") == 0);
    CHECK_RESULT(aimis_encrypt_field(NULL, "x", &out), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_encrypt_field(TOKEN, NULL, &out), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_encrypt_field(TOKEN, "x", NULL), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_decrypt_field(NULL, "00", &out), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_decrypt_field(TOKEN, NULL, &out), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_decrypt_field(TOKEN, "00", NULL), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_sign(NULL, TOKEN, "1", &out), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_sign(APP_ID, NULL, "1", &out), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_sign(APP_ID, TOKEN, NULL, &out), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_sign(APP_ID, TOKEN, "1", NULL), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_callback_verify(NULL, TOKEN, APP_ID, "1", "s", body, 2, &out),
                 AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_callback_verify(APP_ID, NULL, APP_ID, "1", "s", body, 2, &out),
                 AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_callback_verify(APP_ID, TOKEN, APP_ID, "1", "s", NULL, 2, &out),
                 AIMIS_NULL_ARGUMENT);
    CHECK(strcmp(aimis_last_error_message(), "argument `body` is NULL but `body_len` is not 0") == 0);
    CHECK_RESULT(aimis_callback_verify(APP_ID, TOKEN, APP_ID, "1", "s", body, 2, NULL),
                 AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_endpoints_json(NULL), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_options_new(NULL), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_options_set_timeout_ms(NULL, 1000), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_options_set_connect_timeout_ms(NULL, 1000), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_options_set_retries(NULL, 1, 1, 1), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_options_set_proxy(NULL, "http://127.0.0.1:3128"), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_options_add_ca_pem(NULL, "x"), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_options_add_ca_file(NULL, "x"), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_options_set_allow_insecure_http(NULL, true), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_options_set_user_agent_product(NULL, "his/1"), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_options_new(&options), AIMIS_OK);
    CHECK_RESULT(aimis_options_set_proxy(options, NULL), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_options_add_ca_pem(options, NULL), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_options_add_ca_file(options, NULL), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_options_set_user_agent_product(options, NULL), AIMIS_NULL_ARGUMENT);
    CHECK(out == NULL && made == NULL);
    /* The frees accept NULL. */
    aimis_client_free(NULL);
    aimis_options_free(NULL);
    aimis_string_free(NULL);
    aimis_options_free(options);
    aimis_client_free(client);
}

static void invalid_utf8_is_an_error_naming_the_argument(void) {
    aimis_client *client = offline_client();
    aimis_client *made = NULL;
    char *out = NULL;
    const char *bad = "ab\xff\xfe";
    CHECK_RESULT(aimis_client_new(bad, TOKEN, NULL, &made), AIMIS_INVALID_UTF8);
    CHECK(strcmp(aimis_last_error_message(),
                 "argument `app_id` is not valid UTF-8 (bad byte at offset 2)") == 0);
    CHECK_RESULT(aimis_client_new(APP_ID, TOKEN, bad, &made), AIMIS_INVALID_UTF8);
    CHECK_CONTAINS(aimis_last_error_message(), "`base_url`");
    CHECK_RESULT(aimis_client_call(client, bad, "{}", &out), AIMIS_INVALID_UTF8);
    CHECK_RESULT(aimis_client_call(client, "patientStudies", "{\"phoneNum\":\"\xc3\x28\"}", &out),
                 AIMIS_INVALID_UTF8);
    CHECK_CONTAINS(aimis_last_error_message(), "`request_json`");
    CHECK_RESULT(aimis_encrypt_field(TOKEN, bad, &out), AIMIS_INVALID_UTF8);
    CHECK_RESULT(aimis_sign(bad, TOKEN, "1", &out), AIMIS_INVALID_UTF8);
    /* Header values come from the network: not UTF-8 is a rejected callback. */
    CHECK_RESULT(aimis_callback_verify(APP_ID, TOKEN, bad, "1", "s", "{}", 2, &out),
                 AIMIS_CALLBACK_REJECTED);
    CHECK_CONTAINS(aimis_last_error_message(), "`appId` header");
    CHECK(out == NULL && made == NULL);
    aimis_client_free(client);
}

static void malformed_json_is_refused_before_sending(void) {
    aimis_client *client = offline_client();
    char *out = NULL;
    const char *bad[] = {"", "{", "{\"phoneNum\": " PHONE ",}", "[1, 2", "nul", "{} trailing"};
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_RESULT(aimis_client_call(client, "patientStudies", bad[i], &out), AIMIS_INVALID_JSON);
        CHECK_CONTAINS(aimis_last_error_message(), "not valid JSON");
        CHECK_NO_SECRETS(aimis_last_error_message());
    }
    {
        /* Nesting deeper than the parser allows is refused, not a stack overflow. */
        char *deep = malloc(100001);
        memset(deep, '[', 100000);
        deep[100000] = '\0';
        CHECK_RESULT(aimis_client_call(client, "patientStudies", deep, &out), AIMIS_INVALID_JSON);
        free(deep);
    }
    /* Valid JSON of the wrong shape is a validation error naming the field. */
    CHECK_RESULT(aimis_client_call(client, "patientStudies", "[]", &out), AIMIS_VALIDATION);
    CHECK_RESULT(aimis_client_call(client, "patientStudies", "{\"phoneNum\": 13800138000}", &out),
                 AIMIS_VALIDATION);
    CHECK_CONTAINS(aimis_last_error_message(), "phoneNum");
    CHECK_NO_SECRETS(aimis_last_error_message());
    CHECK(out == NULL);
    aimis_client_free(client);
}

static void requests_breaking_the_spec_are_refused_naming_the_field(void) {
    aimis_client *client = offline_client();
    char *out = NULL;
    /* studyDateEnd before studyDateBegin, nothing sent (the client points at a closed port,
     * so reaching the network would be AIMIS_TRANSPORT instead). */
    CHECK_RESULT(aimis_client_call(client, "patientStudies",
                                   "{\"phoneNum\":\"" PHONE "\",\"idNum\":\"" ID_NUM "\","
                                   "\"hospitalId\":\"H0001\",\"unionId\":\"U0001\","
                                   "\"studyType\":0,\"dataFlag\":0,\"usage\":2,"
                                   "\"studyDateBegin\":\"2025-12-31 00:00:00\","
                                   "\"studyDateEnd\":\"2025-01-01 00:00:00\"}",
                                   &out),
                 AIMIS_VALIDATION);
    CHECK_CONTAINS(aimis_last_error_message(), "studyDateEnd");
    CHECK_NO_SECRETS(aimis_last_error_message());
    CHECK_RESULT(aimis_client_call(client, "patientReportUrl", "{\"reportId\":\"R0001\"}", &out),
                 AIMIS_VALIDATION);
    CHECK_CONTAINS(aimis_last_error_message(), "phoneNum");
    CHECK_RESULT(aimis_client_call(client, "patient-studies",
                                   "{\"phoneNum\":\"" PHONE "\",\"idNum\":\"" ID_NUM "\","
                                   "\"hospitalId\":\"H0001\",\"unionId\":\"U0001\","
                                   "\"studyType\":\"Xray\",\"dataFlag\":0,\"usage\":2,"
                                   "\"studyDateBegin\":\"2025-01-01 00:00:00\","
                                   "\"studyDateEnd\":\"2025-12-31 00:00:00\"}",
                                   &out),
                 AIMIS_VALIDATION);
    CHECK_CONTAINS(aimis_last_error_message(), "studyType");
    CHECK(out == NULL);
    aimis_client_free(client);
}

static void an_unknown_endpoint_lists_the_known_ones(void) {
    aimis_client *client = offline_client();
    char *out = NULL;
    CHECK_RESULT(aimis_client_call(client, "patientX", "{}", &out), AIMIS_UNKNOWN_ENDPOINT);
    CHECK_CONTAINS(aimis_last_error_message(), "patientX");
    CHECK_CONTAINS(aimis_last_error_message(), "patientStudies");
    CHECK_RESULT(aimis_client_call(client, "", "{}", &out), AIMIS_UNKNOWN_ENDPOINT);
    CHECK(out == NULL);
    aimis_client_free(client);
}

static void the_endpoint_list_describes_every_endpoint(void) {
    char *json = NULL;
    CHECK_RESULT(aimis_endpoints_json(&json), AIMIS_OK);
    CHECK(json != NULL && json[0] == '[');
    CHECK_CONTAINS(json, "\"name\":\"patientStudies\"");
    CHECK_CONTAINS(json, "\"name\":\"patientConsultations\"");
    CHECK_CONTAINS(json, "\"name\":\"patientReportUrl\"");
    CHECK_CONTAINS(json, "\"path\":\"/thirdparty/patientStudies/{appId}\"");
    CHECK_CONTAINS(json, "\"response\":\"list<Study>\"");
    CHECK_CONTAINS(json, "\"name\":\"Radiology\"");
    CHECK_CONTAINS(json, "\"encrypted\":true");
    aimis_string_free(json);
}

static void options_are_checked_and_a_refused_value_changes_nothing(void) {
    aimis_options *options = NULL;
    aimis_client *client = NULL;
    CHECK_RESULT(aimis_options_new(&options), AIMIS_OK);
    CHECK_RESULT(aimis_options_set_timeout_ms(options, 0), AIMIS_VALIDATION);
    CHECK_CONTAINS(aimis_last_error_message(), "timeout_ms");
    CHECK_RESULT(aimis_options_set_connect_timeout_ms(options, 0), AIMIS_VALIDATION);
    CHECK_RESULT(aimis_options_set_retries(options, 3, 500, 100), AIMIS_VALIDATION);
    CHECK_RESULT(aimis_options_set_user_agent_product(options, "my his"), AIMIS_VALIDATION);
    CHECK_RESULT(aimis_options_set_timeout_ms(options, 2500), AIMIS_OK);
    CHECK_RESULT(aimis_options_set_connect_timeout_ms(options, 1000), AIMIS_OK);
    CHECK_RESULT(aimis_options_set_retries(options, 0, 0, 0), AIMIS_OK);
    CHECK_RESULT(aimis_options_set_user_agent_product(options, "my-his/4.2"), AIMIS_OK);
    CHECK_RESULT(aimis_options_set_allow_insecure_http(options, true), AIMIS_OK);
    /* With insecure http allowed, a non-loopback http URL is accepted. */
    CHECK_RESULT(aimis_client_new_with_options(APP_ID, TOKEN, "http://his-gateway.local:8080",
                                               options, &client),
                 AIMIS_OK);
    aimis_client_free(client);
    client = NULL;
    CHECK_RESULT(aimis_options_set_proxy_from_env(options, false), AIMIS_OK);
    CHECK_RESULT(aimis_options_set_proxy_from_env(NULL, false), AIMIS_NULL_ARGUMENT);
    /* A CA file is read when the client is made, with the core's message. */
    CHECK_RESULT(aimis_options_add_ca_file(options, "/nonexistent/ca.pem"), AIMIS_OK);
    CHECK_RESULT(aimis_client_new_with_options(APP_ID, TOKEN, NULL, options, &client),
                 AIMIS_CONFIG);
    CHECK_CONTAINS(aimis_last_error_message(), "cannot read the CA certificate file /nonexistent/ca.pem");
    CHECK(client == NULL);
    aimis_options_free(options);

    CHECK_RESULT(aimis_options_new(&options), AIMIS_OK);
    CHECK_RESULT(aimis_options_add_ca_pem(options, "not a certificate"), AIMIS_OK);
    CHECK_RESULT(aimis_client_new_with_options(APP_ID, TOKEN, NULL, options, &client),
                 AIMIS_CONFIG);
    CHECK_CONTAINS(aimis_last_error_message(), "certificate");
    CHECK(client == NULL);
    aimis_options_free(options);

    CHECK_RESULT(aimis_options_new(&options), AIMIS_OK);
    CHECK_RESULT(aimis_options_set_proxy(options, "::not a url::"), AIMIS_OK);
    CHECK_RESULT(aimis_client_new_with_options(APP_ID, TOKEN, NULL, options, &client),
                 AIMIS_CONFIG);
    CHECK_CONTAINS(aimis_last_error_message(), "proxy");
    CHECK(client == NULL);
    aimis_options_free(options);
}

/* --- the callback verification matrix ------------------------------------------------ */

/* A status callback as the platform sends it: phoneNum and idNum encrypted with `token`.
 * `omit` names a field to leave out; the caller frees the result with free(). */
static char *callback_body(const char *token, const char *phone, const char *omit) {
    char *phone_hex = NULL, *id_hex = NULL, *body = malloc(2048);
    if (body == NULL) return NULL;
    CHECK_RESULT(aimis_encrypt_field(token, phone, &phone_hex), AIMIS_OK);
    CHECK_RESULT(aimis_encrypt_field(token, ID_NUM, &id_hex), AIMIS_OK);
    snprintf(body, 2048,
             "{\"status\":3,\"phoneNum\":\"%s\",\"idNum\":\"%s\",\"patientId\":\"P0001\","
             "\"hospitalId\":\"H0001\",\"hisId\":\"HIS0001\",\"studyType\":0,"
             "\"studyDate\":\"2025-01-15 09:30:00\",\"studyId\":\"S0001\",\"bodyPart\":\"Chest\","
             "\"studyName\":\"Chest CT\",\"h5Url\":\"https://h5.example/r/R0001\","
             "\"h5DetailUrl\":\"https://h5.example/i/R0001\"%s}",
             phone_hex ? phone_hex : "", id_hex ? id_hex : "",
             (omit != NULL && strcmp(omit, "reportId") == 0) ? "" : ",\"reportId\":\"R0001\"");
    aimis_string_free(phone_hex);
    aimis_string_free(id_hex);
    return body;
}

typedef struct {
    const char *app_id;
    char timestamp[32];
    char signature[65];
} signed_headers;

static signed_headers sign_now(const char *app_id, const char *token, int64_t offset_ms) {
    signed_headers h;
    char *signature = NULL;
    h.app_id = app_id;
    timestamp_ms(h.timestamp, sizeof h.timestamp, offset_ms);
    CHECK_RESULT(aimis_sign(app_id, token, h.timestamp, &signature), AIMIS_OK);
    snprintf(h.signature, sizeof h.signature, "%s", signature ? signature : "");
    aimis_string_free(signature);
    return h;
}

/* Verifies with the test credentials; on failure checks the message carries `needle`
 * and no secrets, and that the out-parameter stayed as it was. */
static void expect_callback(const signed_headers *h, const char *timestamp, const char *signature,
                            const char *body, size_t body_len, aimis_result expected,
                            const char *needle) {
    char *json = (char *)"untouched";
    CHECK_RESULT(aimis_callback_verify(APP_ID, TOKEN, h ? h->app_id : NULL, timestamp, signature,
                                       body, body_len, &json),
                 expected);
    if (expected == AIMIS_OK) {
        if (json != NULL && strcmp(json, "untouched") != 0) aimis_string_free(json);
        return;
    }
    CHECK(strcmp(json, "untouched") == 0);
    CHECK_CONTAINS(aimis_last_error_message(), needle);
    CHECK_NO_SECRETS(aimis_last_error_message());
}

static void a_valid_callback_is_verified_and_decrypted(void) {
    signed_headers h = sign_now(APP_ID, TOKEN, 0);
    char *body = callback_body(TOKEN, PHONE, NULL);
    char *exact = NULL, *json = NULL;
    size_t len = strlen(body);
    /* The body is passed by length, not NUL-terminated (valgrind would see an over-read). */
    exact = malloc(len);
    memcpy(exact, body, len);
    CHECK_RESULT(aimis_callback_verify(APP_ID, TOKEN, h.app_id, h.timestamp, h.signature, exact,
                                       len, &json),
                 AIMIS_OK);
    CHECK_CONTAINS(json, "\"phoneNum\":\"" PHONE "\"");
    CHECK_CONTAINS(json, "\"idNum\":\"" ID_NUM "\"");
    CHECK_CONTAINS(json, "\"reportId\":\"R0001\"");
    CHECK_CONTAINS(json, "\"status\":3");
    aimis_string_free(json);
    free(exact);
    free(body);
}

static void callbacks_failing_authentication_are_rejected(void) {
    char *body = callback_body(TOKEN, PHONE, NULL);
    size_t len = strlen(body);
    signed_headers good = sign_now(APP_ID, TOKEN, 0);
    signed_headers other_app = sign_now("other-app", TOKEN, 0);
    signed_headers other_token = sign_now(APP_ID, OTHER_TOKEN, 0);
    signed_headers stale = sign_now(APP_ID, TOKEN, -10 * 60 * 1000);
    signed_headers future = sign_now(APP_ID, TOKEN, 10 * 60 * 1000);
    char flipped[65];
    snprintf(flipped, sizeof flipped, "%s", good.signature);
    flipped[0] = flipped[0] == '0' ? '1' : '0';

    expect_callback(NULL, good.timestamp, good.signature, body, len, AIMIS_CALLBACK_REJECTED, "appId");
    expect_callback(&good, NULL, good.signature, body, len, AIMIS_CALLBACK_REJECTED, "timestamp");
    expect_callback(&good, good.timestamp, NULL, body, len, AIMIS_CALLBACK_REJECTED, "signature");
    expect_callback(&other_app, other_app.timestamp, other_app.signature, body, len,
                    AIMIS_CALLBACK_REJECTED, "appId");
    expect_callback(&good, good.timestamp, flipped, body, len, AIMIS_CALLBACK_REJECTED, "signature");
    expect_callback(&other_token, other_token.timestamp, other_token.signature, body, len,
                    AIMIS_CALLBACK_REJECTED, "signature");
    expect_callback(&stale, stale.timestamp, stale.signature, body, len, AIMIS_CALLBACK_REJECTED, "old");
    expect_callback(&future, future.timestamp, future.signature, body, len, AIMIS_CALLBACK_REJECTED,
                    "future");
    expect_callback(&good, "yesterday", good.signature, body, len, AIMIS_CALLBACK_REJECTED, "timestamp");
    /* The signature of one timestamp does not cover another. */
    expect_callback(&good, stale.timestamp, good.signature, body, len, AIMIS_CALLBACK_REJECTED, "");
    free(body);
}

static void authentic_callbacks_with_bad_bodies_are_malformed(void) {
    signed_headers h = sign_now(APP_ID, TOKEN, 0);
    char *missing = callback_body(TOKEN, PHONE, "reportId");
    char *other_key = callback_body(OTHER_TOKEN, PHONE, NULL);
    const char *plain_phone =
        "{\"status\":3,\"phoneNum\":\"" PHONE "\",\"idNum\":\"" ID_NUM "\",\"patientId\":\"P1\","
        "\"hospitalId\":\"H0001\",\"studyType\":0,\"studyDate\":\"2025-01-15 09:30:00\","
        "\"studyId\":\"S1\",\"h5Url\":\"u\",\"h5DetailUrl\":\"d\",\"reportId\":\"R1\"}";
    const char *not_json = "status=3&phoneNum=x";
    const char binary[] = {'{', '"', '\xff', '"', ':', '1', '}'};

    expect_callback(&h, h.timestamp, h.signature, missing, strlen(missing), AIMIS_CALLBACK_MALFORMED,
                    "reportId");
    expect_callback(&h, h.timestamp, h.signature, other_key, strlen(other_key),
                    AIMIS_CALLBACK_MALFORMED, "phoneNum");
    expect_callback(&h, h.timestamp, h.signature, plain_phone, strlen(plain_phone),
                    AIMIS_CALLBACK_MALFORMED, "phoneNum");
    expect_callback(&h, h.timestamp, h.signature, not_json, strlen(not_json),
                    AIMIS_CALLBACK_MALFORMED, "JSON");
    expect_callback(&h, h.timestamp, h.signature, binary, sizeof binary, AIMIS_CALLBACK_MALFORMED, "");
    expect_callback(&h, h.timestamp, h.signature, "", 0, AIMIS_CALLBACK_MALFORMED, "");
    expect_callback(&h, h.timestamp, h.signature, NULL, 0, AIMIS_CALLBACK_MALFORMED, "");
    expect_callback(&h, h.timestamp, h.signature, "[]", 2, AIMIS_CALLBACK_MALFORMED, "");
    free(missing);
    free(other_key);
}

static void callback_verification_with_a_bad_token_is_a_config_error(void) {
    signed_headers h = sign_now(APP_ID, TOKEN, 0);
    char *json = NULL;
    CHECK_RESULT(aimis_callback_verify(APP_ID, "short", h.app_id, h.timestamp, h.signature, "{}", 2,
                                       &json),
                 AIMIS_CONFIG);
    CHECK(json == NULL);
}


/* --- caller-owned buffers, GB18030, the verifier ------------------------------------ */

/* "王䶮（急诊）李𠮷": name characters outside GBK (U+4DAE, and U+20BB7 beyond the BMP)
 * and full-width parentheses, in GB18030 and in UTF-8. */
#define NAME_GB18030 "\xcd\xf5\xfe\x9f\xa3\xa8\xbc\xb1\xd5\xef\xa3\xa9\xc0\xee\x95\x34\xb2\x35"
#define NAME_UTF8 "\xe7\x8e\x8b\xe4\xb6\xae\xef\xbc\x88\xe6\x80\xa5\xe8\xaf\x8a\xef\xbc\x89\xe6\x9d\x8e\xf0\xa0\xae\xb7"

static void into_functions_say_what_they_need_and_write_nothing_else(void) {
    char buffer[64], small[8];
    size_t needed = 0;
    memset(small, 'x', sizeof small);
    CHECK_RESULT(aimis_encrypt_field_into(TOKEN, "hello", AIMIS_TEXT_ENCODING_UTF8, small,
                                          sizeof small, &needed),
                 AIMIS_BUFFER_TOO_SMALL);
    CHECK(needed == 33); /* 32 hex digits and the NUL */
    CHECK(memcmp(small, "xxxxxxxx", 8) == 0);
    needed = 0;
    CHECK_RESULT(aimis_encrypt_field_into(TOKEN, "hello", AIMIS_TEXT_ENCODING_UTF8, NULL, 0, &needed),
                 AIMIS_BUFFER_TOO_SMALL);
    CHECK(needed == 33);
    CHECK_RESULT(aimis_encrypt_field_into(TOKEN, "hello", AIMIS_TEXT_ENCODING_UTF8, buffer, 33,
                                          &needed),
                 AIMIS_OK);
    CHECK(strcmp(buffer, "a59c096412eecb79830021104f861307") == 0 && needed == 33);
    CHECK_RESULT(aimis_decrypt_field_into(TOKEN, buffer, AIMIS_TEXT_ENCODING_UTF8, small,
                                          sizeof small, &needed),
                 AIMIS_OK);
    CHECK(strcmp(small, "hello") == 0 && needed == 6);
    CHECK_RESULT(aimis_encrypt_field_into(TOKEN, "hello", AIMIS_TEXT_ENCODING_UTF8, buffer, 33, NULL),
                 AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_encrypt_field_into(TOKEN, "hello", AIMIS_TEXT_ENCODING_UTF8, NULL, 33,
                                          &needed),
                 AIMIS_NULL_ARGUMENT);
    /* The last error, copied out; too small first, and that failure does not replace it. */
    CHECK_RESULT(aimis_decrypt_field(TOKEN, "zz", (char **)&needed), AIMIS_CRYPTO);
    CHECK_RESULT(aimis_last_error_message_into(small, 2, &needed), AIMIS_BUFFER_TOO_SMALL);
    CHECK(needed == strlen(aimis_last_error_message()) + 1);
    CHECK_RESULT(aimis_last_error_message_into(buffer, sizeof buffer, &needed), AIMIS_OK);
    CHECK(strcmp(buffer, aimis_last_error_message()) == 0);
}

static void gb18030_text_round_trips_and_is_utf8_on_the_wire(void) {
    char *hex = NULL, *utf8_hex = NULL, *plain = NULL;
    char buffer[64];
    size_t needed = 0;
    CHECK_RESULT(aimis_encrypt_field_with_encoding(TOKEN, NAME_GB18030, AIMIS_TEXT_ENCODING_GB18030,
                                                   &hex),
                 AIMIS_OK);
    CHECK_RESULT(aimis_encrypt_field(TOKEN, NAME_UTF8, &utf8_hex), AIMIS_OK);
    CHECK(hex != NULL && utf8_hex != NULL && strcmp(hex, utf8_hex) == 0);
    CHECK_RESULT(aimis_decrypt_field_with_encoding(TOKEN, hex, AIMIS_TEXT_ENCODING_GB18030, &plain),
                 AIMIS_OK);
    CHECK(plain != NULL && strcmp(plain, NAME_GB18030) == 0);
    CHECK_RESULT(aimis_decrypt_field_into(TOKEN, hex, AIMIS_TEXT_ENCODING_GB18030, buffer,
                                          sizeof buffer, &needed),
                 AIMIS_OK);
    CHECK(strcmp(buffer, NAME_GB18030) == 0 && needed == sizeof NAME_GB18030);
    /* GB18030 bytes are not UTF-8, and a lone lead byte is not GB18030. */
    CHECK_RESULT(aimis_encrypt_field(TOKEN, NAME_GB18030, &plain), AIMIS_INVALID_UTF8);
    CHECK_RESULT(aimis_encrypt_field_with_encoding(TOKEN, "ab\x81", AIMIS_TEXT_ENCODING_GB18030,
                                                   &plain),
                 AIMIS_INVALID_TEXT);
    CHECK_RESULT(aimis_encrypt_field_with_encoding(TOKEN, "ab", (aimis_text_encoding)9, &plain),
                 AIMIS_VALIDATION);
    aimis_string_free(plain);
    aimis_string_free(hex);
    aimis_string_free(utf8_hex);
}

/* The system's ANSI code page: UTF-8 on Linux; under Windows the runner's Chinese locale
 * (code page 936), where it is GB18030, both ways. */
static void the_system_encoding_is_the_ansi_code_page(void) {
#ifdef _WIN32
    const char *name = NAME_GB18030;
    CHECK(GetACP() == 936);
#else
    const char *name = NAME_UTF8;
#endif
    char *hex = NULL, *utf8_hex = NULL, *plain = NULL;
    CHECK_RESULT(aimis_encrypt_field_with_encoding(TOKEN, name, AIMIS_TEXT_ENCODING_SYSTEM, &hex),
                 AIMIS_OK);
    CHECK_RESULT(aimis_encrypt_field(TOKEN, NAME_UTF8, &utf8_hex), AIMIS_OK);
    CHECK(hex != NULL && utf8_hex != NULL && strcmp(hex, utf8_hex) == 0);
    CHECK_RESULT(aimis_decrypt_field_with_encoding(TOKEN, utf8_hex, AIMIS_TEXT_ENCODING_SYSTEM, &plain),
                 AIMIS_OK);
    CHECK(plain != NULL && strcmp(plain, name) == 0);
    aimis_string_free(plain);
    aimis_string_free(hex);
    aimis_string_free(utf8_hex);
}

static void the_gb18030_option_is_checked(void) {
    aimis_options *options = NULL;
    CHECK_RESULT(aimis_options_new(&options), AIMIS_OK);
    CHECK_RESULT(aimis_options_set_text_encoding(options, AIMIS_TEXT_ENCODING_GB18030), AIMIS_OK);
    CHECK_RESULT(aimis_options_set_text_encoding(options, AIMIS_TEXT_ENCODING_SYSTEM), AIMIS_OK);
    CHECK_RESULT(aimis_options_set_text_encoding(options, (aimis_text_encoding)3), AIMIS_VALIDATION);
    CHECK_RESULT(aimis_options_set_text_encoding(NULL, AIMIS_TEXT_ENCODING_UTF8), AIMIS_NULL_ARGUMENT);
    aimis_options_free(options);
}

static void a_verifier_with_a_fixed_clock_checks_stored_callbacks(void) {
    aimis_verifier *verifier = NULL;
    char *body = callback_body(TOKEN, PHONE, NULL);
    char *signature = NULL, *json = NULL;
    char buffer[2048];
    size_t needed = 0;
    const char *ts = "1700000000000";
    CHECK_RESULT(aimis_sign(APP_ID, TOKEN, ts, &signature), AIMIS_OK);
    CHECK_RESULT(aimis_verifier_new(APP_ID, TOKEN, &verifier), AIMIS_OK);
    /* With the system clock, 2023 is stale. */
    CHECK_RESULT(aimis_verifier_verify(verifier, APP_ID, ts, signature, body, strlen(body), &json),
                 AIMIS_CALLBACK_REJECTED);
    CHECK_RESULT(aimis_verifier_set_now_ms(verifier, 1700000060000ULL), AIMIS_OK);
    CHECK_RESULT(aimis_verifier_verify(verifier, APP_ID, ts, signature, body, strlen(body), &json),
                 AIMIS_OK);
    CHECK_CONTAINS(json, "\"phoneNum\":\"" PHONE "\"");
    CHECK_RESULT(aimis_verifier_set_max_skew_ms(verifier, 30000), AIMIS_OK);
    CHECK_RESULT(aimis_verifier_verify_into(verifier, APP_ID, ts, signature, body, strlen(body),
                                            buffer, sizeof buffer, &needed),
                 AIMIS_CALLBACK_REJECTED);
    CHECK_RESULT(aimis_verifier_set_max_skew_ms(verifier, 0), AIMIS_VALIDATION);
    CHECK_RESULT(aimis_verifier_set_max_skew_ms(verifier, 120000), AIMIS_OK);
    CHECK_RESULT(aimis_verifier_set_text_encoding(verifier, AIMIS_TEXT_ENCODING_GB18030), AIMIS_OK);
    CHECK_RESULT(aimis_verifier_verify_into(verifier, APP_ID, ts, signature, body, strlen(body),
                                            buffer, 10, &needed),
                 AIMIS_BUFFER_TOO_SMALL);
    CHECK(needed == strlen(json) + 1);
    CHECK_RESULT(aimis_verifier_verify_into(verifier, APP_ID, ts, signature, body, strlen(body),
                                            buffer, sizeof buffer, &needed),
                 AIMIS_OK);
    CHECK(strcmp(buffer, json) == 0);
    CHECK_RESULT(aimis_verifier_verify(NULL, APP_ID, ts, signature, body, strlen(body), &json),
                 AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_verifier_new(APP_ID, "short", &verifier), AIMIS_CONFIG);
    aimis_verifier_free(verifier);
    aimis_verifier_free(NULL);
    aimis_string_free(json);
    aimis_string_free(signature);
    free(body);
}

static void stateless_callback_variants_take_the_encoding(void) {
    signed_headers h = sign_now(APP_ID, TOKEN, 0);
    char *body = callback_body(TOKEN, PHONE, NULL);
    char *json = NULL;
    char buffer[2048];
    size_t needed = 0;
    CHECK_RESULT(aimis_callback_verify_with_encoding(APP_ID, TOKEN, h.app_id, h.timestamp,
                                                     h.signature, body, strlen(body),
                                                     AIMIS_TEXT_ENCODING_GB18030, &json),
                 AIMIS_OK);
    CHECK_CONTAINS(json, "\"idNum\":\"" ID_NUM "\"");
    CHECK_RESULT(aimis_callback_verify_into(APP_ID, TOKEN, h.app_id, h.timestamp, h.signature,
                                            body, strlen(body), AIMIS_TEXT_ENCODING_UTF8, buffer,
                                            sizeof buffer, &needed),
                 AIMIS_OK);
    CHECK(json != NULL && strcmp(buffer, json) == 0 && needed == strlen(json) + 1);
    aimis_string_free(json);
    free(body);
}

static void the_last_error_is_per_thread_and_kept_across_successes(void) {
    char *hex = NULL;
    CHECK_RESULT(aimis_encrypt_field("short", "x", &hex), AIMIS_CONFIG);
    CHECK_RESULT(aimis_encrypt_field(TOKEN, "x", &hex), AIMIS_OK);
    CHECK_CONTAINS(aimis_last_error_message(), "32 bytes");
    CHECK(aimis_last_api_code() == 0);
    aimis_string_free(hex);
}

/* The consuming side of the inbox on an empty SQLite store of its own (libaimis's Rust
 * tests hand out a real stored callback through the same functions). */
static void an_empty_inbox_has_nothing_and_says_what_is_wrong(void) {
    char url[256], *item = NULL;
    aimis_inbox *inbox = NULL, *none = NULL;
    snprintf(url, sizeof url, "sqlite:/tmp/aimis-c-inbox-%ld.db", (long)getpid());
    CHECK_RESULT(aimis_inbox_open(url, APP_ID, TOKEN, &inbox), AIMIS_OK);
    CHECK_RESULT(aimis_inbox_next(inbox, 30, &item), AIMIS_OK);
    CHECK(item != NULL && strcmp(item, "null") == 0);
    aimis_string_free(item);
    CHECK_RESULT(aimis_inbox_list_json(inbox, "all", &item), AIMIS_OK);
    CHECK(item != NULL && strcmp(item, "[]") == 0);
    aimis_string_free(item);
    CHECK_RESULT(aimis_inbox_stats_json(inbox, &item), AIMIS_OK);
    CHECK_CONTAINS(item, "\"received\":0,");
    CHECK_CONTAINS(item, "\"awaiting_confirmation\":0,");
    aimis_string_free(item);
    CHECK_RESULT(aimis_inbox_ack(inbox, 42), AIMIS_VALIDATION);
    CHECK_CONTAINS(aimis_last_error_message(), "no callback has id 42");
    CHECK_RESULT(aimis_inbox_nack(NULL, 42), AIMIS_NULL_ARGUMENT);
    aimis_inbox_free(inbox);
    aimis_inbox_free(NULL);
    CHECK_RESULT(aimis_inbox_open("mysql://x", APP_ID, TOKEN, &none), AIMIS_CONFIG);
    CHECK_CONTAINS(aimis_last_error_message(), "store_url mysql://x: must be sqlite:PATH");
    CHECK_RESULT(aimis_inbox_open("host=h password=s3cret dbname=d", APP_ID, TOKEN, &none),
                 AIMIS_CONFIG);
    CHECK(strstr(aimis_last_error_message(), "s3cret") == NULL);
    CHECK_RESULT(aimis_inbox_open(url, APP_ID, "short", &none), AIMIS_CONFIG);
    CHECK(none == NULL);
    remove(url + strlen("sqlite:"));
}

/* A store libaimis creates holds patient and HIS ids and report links: it and its -wal
 * and -shm are the owner's only (0600), even under the usual umask 022. */
#ifndef _WIN32 /* POSIX file modes */
static void a_new_inbox_store_is_readable_by_its_owner_only(void) {
    char dir[] = "/tmp/aimis-c-inbox-mode.XXXXXX", url[256], path[256];
    const char *suffixes[] = {"", "-wal", "-shm"};
    aimis_inbox *inbox = NULL;
    mode_t before = umask(022);
    CHECK(mkdtemp(dir) != NULL);
    snprintf(url, sizeof url, "sqlite:%s/inbox.db", dir);
    CHECK_RESULT(aimis_inbox_open(url, APP_ID, TOKEN, &inbox), AIMIS_OK);
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        struct stat st;
        snprintf(path, sizeof path, "%s/inbox.db%s", dir, suffixes[i]);
        CHECK(stat(path, &st) == 0);
        CHECK((st.st_mode & 0777) == 0600);
    }
    aimis_inbox_free(inbox);
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        snprintf(path, sizeof path, "%s/inbox.db%s", dir, suffixes[i]);
        remove(path);
    }
    rmdir(dir);
    umask(before);
}
#endif

int main(void) {
    static const harness_test tests[] = {
        TEST_ENTRY(version_matches_the_header),
        TEST_ENTRY(result_codes_have_stable_numbers_and_names),
        TEST_ENTRY(encrypts_the_known_answers),
        TEST_ENTRY(decrypts_either_hex_case_and_round_trips),
        TEST_ENTRY(decrypt_failures_are_crypto_errors),
        TEST_ENTRY(signs_app_id_and_timestamp),
        TEST_ENTRY(sign_refuses_a_timestamp_that_is_not_a_number),
        TEST_ENTRY(a_token_of_the_wrong_length_is_a_config_error),
        TEST_ENTRY(bad_app_ids_and_base_urls_are_config_errors),
        TEST_ENTRY(null_arguments_are_errors_naming_the_argument),
        TEST_ENTRY(invalid_utf8_is_an_error_naming_the_argument),
        TEST_ENTRY(malformed_json_is_refused_before_sending),
        TEST_ENTRY(requests_breaking_the_spec_are_refused_naming_the_field),
        TEST_ENTRY(an_unknown_endpoint_lists_the_known_ones),
        TEST_ENTRY(the_endpoint_list_describes_every_endpoint),
        TEST_ENTRY(options_are_checked_and_a_refused_value_changes_nothing),
        TEST_ENTRY(a_valid_callback_is_verified_and_decrypted),
        TEST_ENTRY(callbacks_failing_authentication_are_rejected),
        TEST_ENTRY(authentic_callbacks_with_bad_bodies_are_malformed),
        TEST_ENTRY(callback_verification_with_a_bad_token_is_a_config_error),
        TEST_ENTRY(the_last_error_is_per_thread_and_kept_across_successes),
        TEST_ENTRY(into_functions_say_what_they_need_and_write_nothing_else),
        TEST_ENTRY(gb18030_text_round_trips_and_is_utf8_on_the_wire),
        TEST_ENTRY(the_gb18030_option_is_checked),
        TEST_ENTRY(the_system_encoding_is_the_ansi_code_page),
        TEST_ENTRY(a_verifier_with_a_fixed_clock_checks_stored_callbacks),
        TEST_ENTRY(stateless_callback_variants_take_the_encoding),
        TEST_ENTRY(an_empty_inbox_has_nothing_and_says_what_is_wrong),
#ifndef _WIN32
        TEST_ENTRY(a_new_inbox_store_is_readable_by_its_owner_only),
#endif
    };
    return harness_run("offline", tests, sizeof tests / sizeof tests[0]);
}
