/* The shared conformance vectors (tests/vectors/callbacks.json and crypto.json), which
 * the Rust and Python suites run too, through the C ABI. run.sh turns the JSON into
 * vectors.h with vectors_to_c.py. Every callback case runs, the time-dependent ones
 * included: a verifier's clock is set to the file's now_ms and its window to the file's
 * max skew, and every header pair is passed as received (aimis_verifier_verify_headers),
 * so duplicates and names in any case reach the check. */
#include <stdlib.h>

#include "harness.h"

#define MAX_HEADERS 8
#define MAX_FIELDS 24

typedef struct {
    const char *name;
    const char *header_names[MAX_HEADERS];
    const char *header_values[MAX_HEADERS];
    size_t header_count;
    const char *body;
    size_t body_len;
    int accepted;
    const char *reason; /* refused: the vectors' snake_case reason */
    const char *field;  /* reason "field": the field's wire name */
    const char *fields[MAX_FIELDS]; /* accepted: `"name":value` as compact JSON */
    size_t field_count;
} callback_case;

typedef struct {
    const char *a;
    const char *b;
} crypto_pair;

typedef struct {
    const char *app_id;
    const char *timestamp;
    const char *signature;
} sign_case;

#include "vectors.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* The result code each refusal reason maps to: authentication failures are rejected,
 * authentic callbacks with a bad body malformed. */
static aimis_result expected_result(const callback_case *c) {
    if (strcmp(c->reason, "malformed_body") == 0 || strcmp(c->reason, "field") == 0)
        return AIMIS_CALLBACK_MALFORMED;
    return AIMIS_CALLBACK_REJECTED;
}

/* How many top-level keys of a compact JSON object have a value other than null (the
 * vectors leave absent optional fields out; libaimis may write them as null). */
static size_t top_level_keys(const char *json) {
    size_t keys = 0;
    int depth = 0, in_string = 0;
    const char *p;
    for (p = json; *p; p++) {
        if (in_string) {
            if (*p == '\\' && p[1]) p++;
            else if (*p == '"') in_string = 0;
        } else if (*p == '"') {
            in_string = 1;
        } else if (*p == '{' || *p == '[') {
            depth++;
        } else if (*p == '}' || *p == ']') {
            depth--;
        } else if (*p == ':' && depth == 1 &&
                   !(strncmp(p + 1, "null", 4) == 0 && (p[5] == ',' || p[5] == '}'))) {
            keys++;
        }
    }
    return keys;
}

static aimis_verifier *vector_verifier(void) {
    aimis_verifier *verifier = NULL;
    CHECK_RESULT(aimis_verifier_new(VECTOR_APP_ID, VECTOR_TOKEN, &verifier), AIMIS_OK);
    CHECK_RESULT(aimis_verifier_set_now_ms(verifier, VECTOR_NOW_MS), AIMIS_OK);
    CHECK_RESULT(aimis_verifier_set_max_skew_ms(verifier, VECTOR_MAX_SKEW_MS), AIMIS_OK);
    return verifier;
}

static void every_callback_case_gets_its_verdict(void) {
    aimis_verifier *verifier = vector_verifier();
    size_t i, f;
    for (i = 0; i < COUNT(callback_cases); i++) {
        const callback_case *c = &callback_cases[i];
        char *json = NULL;
        /* Copied so that valgrind and ASan see a read past body_len. */
        char *body = malloc(c->body_len ? c->body_len : 1);
        aimis_result got;
        memcpy(body, c->body, c->body_len);
        got = aimis_verifier_verify_headers(verifier, c->header_names, c->header_values,
                                            c->header_count, body, c->body_len, &json);
        if (c->accepted) {
            if (got != AIMIS_OK) {
                fprintf(stderr, "    case \"%s\": %s (%s), expected accepted\n", c->name,
                        aimis_result_name(got), aimis_last_error_message());
                harness_failures_in_test++;
            } else {
                for (f = 0; f < c->field_count; f++) {
                    if (strstr(json, c->fields[f]) == NULL) {
                        fprintf(stderr, "    case \"%s\": %s not in %s\n", c->name, c->fields[f], json);
                        harness_failures_in_test++;
                    }
                }
                if (top_level_keys(json) != c->field_count) {
                    fprintf(stderr, "    case \"%s\": %zu non-null fields, expected %zu: %s\n", c->name,
                            top_level_keys(json), c->field_count, json);
                    harness_failures_in_test++;
                }
            }
        } else if (got != expected_result(c)) {
            fprintf(stderr, "    case \"%s\": %s (%s), expected %s for %s\n", c->name,
                    aimis_result_name(got), got == AIMIS_OK ? json : aimis_last_error_message(),
                    aimis_result_name(expected_result(c)), c->reason);
            harness_failures_in_test++;
        } else if (c->field[0] != '\0' && strstr(aimis_last_error_message(), c->field) == NULL) {
            fprintf(stderr, "    case \"%s\": the message does not name %s: %s\n", c->name, c->field,
                    aimis_last_error_message());
            harness_failures_in_test++;
        }
        aimis_string_free(json);
        free(body);
    }
    aimis_verifier_free(verifier);
}

static void the_cases_with_one_of_each_header_agree_through_every_entry_point(void) {
    /* The three-header functions see the same verdicts, and the _into ones the same JSON. */
    aimis_verifier *verifier = vector_verifier();
    size_t i, needed = 0;
    char buffer[4096];
    for (i = 0; i < COUNT(callback_cases); i++) {
        const callback_case *c = &callback_cases[i];
        const char *values[3] = {NULL, NULL, NULL};
        const char *names[3] = {"appId", "timestamp", "signature"};
        char *json = NULL;
        size_t h, k;
        aimis_result got, into;
        if (c->header_count > 3) continue; /* duplicates need the header list */
        for (h = 0; h < c->header_count; h++)
            for (k = 0; k < 3; k++)
                if (strcmp(c->header_names[h], names[k]) == 0) values[k] = c->header_values[h];
        if (c->header_count != (size_t)((values[0] != NULL) + (values[1] != NULL) + (values[2] != NULL)))
            continue; /* names in another case: only the header list matches them */
        got = aimis_verifier_verify(verifier, values[0], values[1], values[2], c->body, c->body_len, &json);
        into = aimis_verifier_verify_into(verifier, values[0], values[1], values[2], c->body,
                                          c->body_len, buffer, sizeof buffer, &needed);
        if (got != (c->accepted ? AIMIS_OK : expected_result(c)) || into != got) {
            fprintf(stderr, "    case \"%s\": %s / %s\n", c->name, aimis_result_name(got),
                    aimis_result_name(into));
            harness_failures_in_test++;
        } else if (got == AIMIS_OK && (strcmp(buffer, json) != 0 || needed != strlen(json) + 1)) {
            fprintf(stderr, "    case \"%s\": _into wrote %s\n", c->name, buffer);
            harness_failures_in_test++;
        }
        aimis_string_free(json);
    }
    aimis_verifier_free(verifier);
}

static void encryption_known_answers(void) {
    size_t i;
    for (i = 0; i < COUNT(encrypt_cases); i++) {
        char *hex = NULL, *text = NULL;
        CHECK_RESULT(aimis_encrypt_field(CRYPTO_TOKEN, encrypt_cases[i].a, &hex), AIMIS_OK);
        if (hex == NULL || strcmp(hex, encrypt_cases[i].b) != 0) {
            fprintf(stderr, "    encrypt \"%s\": %s, expected %s\n", encrypt_cases[i].a,
                    hex ? hex : "(none)", encrypt_cases[i].b);
            harness_failures_in_test++;
        }
        CHECK_RESULT(aimis_decrypt_field(CRYPTO_TOKEN, encrypt_cases[i].b, &text), AIMIS_OK);
        CHECK(text != NULL && strcmp(text, encrypt_cases[i].a) == 0);
        aimis_string_free(hex);
        aimis_string_free(text);
    }
}

static void decryption_failures_are_crypto_errors(void) {
    size_t i;
    for (i = 0; i < COUNT(decrypt_errors); i++) {
        char *text = NULL;
        aimis_result got = aimis_decrypt_field(CRYPTO_TOKEN, decrypt_errors[i].a, &text);
        if (got != AIMIS_CRYPTO || text != NULL) {
            fprintf(stderr, "    decrypt \"%s\" (%s): %s\n", decrypt_errors[i].a, decrypt_errors[i].b,
                    aimis_result_name(got));
            harness_failures_in_test++;
        }
        aimis_string_free(text);
    }
}

static void signature_known_answers(void) {
    size_t i;
    for (i = 0; i < COUNT(sign_cases); i++) {
        char *signature = NULL;
        CHECK_RESULT(aimis_sign(sign_cases[i].app_id, CRYPTO_TOKEN, sign_cases[i].timestamp, &signature),
                     AIMIS_OK);
        CHECK(signature != NULL && strcmp(signature, sign_cases[i].signature) == 0);
        aimis_string_free(signature);
    }
}

int main(void) {
    static const harness_test tests[] = {
        TEST_ENTRY(every_callback_case_gets_its_verdict),
        TEST_ENTRY(the_cases_with_one_of_each_header_agree_through_every_entry_point),
        TEST_ENTRY(encryption_known_answers),
        TEST_ENTRY(decryption_failures_are_crypto_errors),
        TEST_ENTRY(signature_known_answers),
    };
    return harness_run("vectors", tests, sizeof tests / sizeof tests[0]);
}
