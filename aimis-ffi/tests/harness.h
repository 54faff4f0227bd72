/* A small test harness: TEST functions, CHECK macros that record the first failure of
 * a test and go on, and a runner that prints one line per test and `N passed, N failed`. */
#ifndef AIMIS_TEST_HARNESS_H
#define AIMIS_TEST_HARNESS_H

#include <stdio.h>
#include <string.h>

#include "aimis.h"

static int harness_failures_in_test;

#define CHECK(cond)                                                                        \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "    %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
            harness_failures_in_test++;                                                    \
        }                                                                                  \
    } while (0)

/* Checks a call's result code, showing the name and last error when it differs. */
#define CHECK_RESULT(call, expected)                                                       \
    do {                                                                                   \
        aimis_result harness_got = (call);                                                 \
        if (harness_got != (expected)) {                                                   \
            fprintf(stderr, "    %s:%d: %s\n      returned %s, expected %s (last error: %s)\n", \
                    __FILE__, __LINE__, #call, aimis_result_name(harness_got),             \
                    aimis_result_name(expected), aimis_last_error_message());              \
            harness_failures_in_test++;                                                    \
        }                                                                                  \
    } while (0)

#define CHECK_CONTAINS(haystack, needle)                                                   \
    do {                                                                                   \
        const char *harness_h = (haystack);                                                \
        if (harness_h == NULL || strstr(harness_h, (needle)) == NULL) {                    \
            fprintf(stderr, "    %s:%d: expected \"%s\" in \"%s\"\n", __FILE__, __LINE__,  \
                    (needle), harness_h ? harness_h : "(null)");                           \
            harness_failures_in_test++;                                                    \
        }                                                                                  \
    } while (0)

#define CHECK_NOT_CONTAINS(haystack, needle)                                               \
    do {                                                                                   \
        const char *harness_h = (haystack);                                                \
        if (harness_h != NULL && strstr(harness_h, (needle)) != NULL) {                    \
            fprintf(stderr, "    %s:%d: \"%s\" must not appear in \"%s\"\n", __FILE__,     \
                    __LINE__, (needle), harness_h);                                        \
            harness_failures_in_test++;                                                    \
        }                                                                                  \
    } while (0)

typedef struct {
    const char *name;
    void (*run)(void);
} harness_test;

#define TEST_ENTRY(fn) {#fn, fn}

/* Runs every test, prints `ok`/`FAIL` per test and the summary line; the exit status. */
static int harness_run(const char *suite, const harness_test *tests, size_t count) {
    size_t passed = 0, failed = 0, i;
    for (i = 0; i < count; i++) {
        harness_failures_in_test = 0;
        tests[i].run();
        if (harness_failures_in_test == 0) {
            passed++;
            printf("ok   %s::%s\n", suite, tests[i].name);
        } else {
            failed++;
            printf("FAIL %s::%s\n", suite, tests[i].name);
        }
        fflush(stdout);
    }
    printf("%zu passed, %zu failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}

#endif
