/* What the suites share: the test credentials, the demo patient, and checks that no
 * patient data or token leaks into error messages. */
#ifndef AIMIS_TEST_COMMON_H
#define AIMIS_TEST_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "harness.h"

#define APP_ID "demo-app"
#define TOKEN "0123456789abcdef0123456789abcdef"
#define OTHER_TOKEN "fedcba9876543210fedcba9876543210"
#define PHONE "13800138000"
#define ID_NUM "110101199003074518"

/* Every failure message is checked for these: never patient data, never the token. */
#define CHECK_NO_SECRETS(message)                                                          \
    do {                                                                                   \
        CHECK_NOT_CONTAINS((message), PHONE);                                              \
        CHECK_NOT_CONTAINS((message), ID_NUM);                                             \
        CHECK_NOT_CONTAINS((message), TOKEN);                                              \
        CHECK_NOT_CONTAINS((message), OTHER_TOKEN);                                        \
    } while (0)

/* Milliseconds since the epoch, shifted by `offset_ms`, as the decimal text the
 * `timestamp` header carries. */
static inline void timestamp_ms(char *out, size_t size, int64_t offset_ms) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    snprintf(out, size, "%lld",
             (long long)now.tv_sec * 1000 + (long long)(now.tv_nsec / 1000000) + (long long)offset_ms);
}

/* How often `needle` occurs in `haystack`. */
static inline int count_occurrences(const char *haystack, const char *needle) {
    int n = 0;
    const char *p = haystack;
    while (p != NULL && (p = strstr(p, needle)) != NULL) {
        n++;
        p += strlen(needle);
    }
    return n;
}

#endif
