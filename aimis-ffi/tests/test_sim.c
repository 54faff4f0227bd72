/* libaimis against the real simulator (`aimis sim`) on loopback: every endpoint, the
 * platform's error codes, HTTP faults, timeouts, retries, TLS with a private CA, and
 * eight threads sharing one client, forked workers using their parent's client, and the
 * inbox's listing and counts, and the log callback. run.sh starts the simulators and `aimis inbox serve`, and
 * sets AIMIS_SIM_URL, AIMIS_SIM_TLS_URL, AIMIS_SIM_CA, AIMIS_INBOX_URL and
 * AIMIS_INBOX_STORE. */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#if defined(__unix__)
#include <sys/wait.h>
#include <unistd.h>
#endif

#include "admin.h"
#include "common.h"

#define STUDIES_REQUEST(phone, study_type, data_flag)                                      \
    "{\"phoneNum\":\"" phone "\",\"idNum\":\"" ID_NUM "\",\"hospitalId\":\"H0001\","       \
    "\"unionId\":\"U0001\",\"studyType\":" study_type ",\"dataFlag\":" data_flag ","       \
    "\"usage\":2,\"studyDateBegin\":\"2025-01-01 00:00:00\","                              \
    "\"studyDateEnd\":\"2025-12-31 23:59:59\"}"

static const char *sim_url;
static const char *sim_tls_url;
static const char *sim_ca;
static const char *inbox_url;
static const char *inbox_store;

/* A client for the plain simulator; retries off unless `retries` > 0, short backoff. */
static aimis_client *sim_client(const char *token, unsigned retries, uint64_t timeout_ms) {
    aimis_options *options = NULL;
    aimis_client *client = NULL;
    CHECK_RESULT(aimis_options_new(&options), AIMIS_OK);
    CHECK_RESULT(aimis_options_set_retries(options, retries, 1, 5), AIMIS_OK);
    CHECK_RESULT(aimis_options_set_timeout_ms(options, timeout_ms), AIMIS_OK);
    CHECK_RESULT(aimis_options_set_user_agent_product(options, "c-test-suite/1"), AIMIS_OK);
    CHECK_RESULT(aimis_client_new_with_options(APP_ID, token, sim_url, options, &client), AIMIS_OK);
    aimis_options_free(options);
    return client;
}

static void add_fault(const char *json) {
    char answer[512];
    int status = admin_request(sim_url, "POST", "/__admin/faults", json, answer, sizeof answer);
    if (status != 200) fprintf(stderr, "    adding fault %s: HTTP %d %s\n", json, status, answer);
    CHECK(status == 200);
}

static void clear_faults_and_log(void) {
    CHECK(admin_request(sim_url, "DELETE", "/__admin/faults", NULL, NULL, 0) == 200);
    CHECK(admin_request(sim_url, "DELETE", "/__admin/requests", NULL, NULL, 0) == 200);
}

/* The simulator's request log, which the caller frees. */
static char *request_log(void) {
    char *log = malloc(1 << 20);
    if (log != NULL) CHECK(admin_request(sim_url, "GET", "/__admin/requests", NULL, log, 1 << 20) == 200);
    return log;
}

/* --- every endpoint ------------------------------------------------------------------ */

typedef struct {
    const char *path; /* as aimis_endpoints_json lists it */
    const char *endpoint;
    const char *request;
    const char *expected[3];
} endpoint_case;

static const endpoint_case ENDPOINTS[] = {
    {"/thirdparty/patientStudies/{appId}", "patientStudies", STUDIES_REQUEST(PHONE, "0", "0"),
     {"\"reportId\":\"R0001\"", "\"studyName\":\"Chest CT, plain scan\"", "\"studyType\":0"}},
    {"/thirdparty/patientConsultations/{appId}", "patientConsultations",
     "{\"hisId\":\"HIS0001\",\"phoneNum\":\"" PHONE "\",\"idNum\":\"" ID_NUM "\","
     "\"hospitalId\":\"H0001\",\"unionId\":\"U0001\"}",
     {"\"h5Url\":\"https://", NULL, NULL}},
    {"/thirdparty/patientReportUrl/{appId}", "patientReportUrl",
     "{\"reportId\":\"R0001\",\"phoneNum\":\"" PHONE "\",\"idNum\":\"" ID_NUM "\","
     "\"hospitalId\":\"H0001\"}",
     {"\"h5Url\":\"https://", "\"h5DetailUrl\":\"https://", "\"studyId\":\"S0001\""}},
};
#define ENDPOINT_COUNT (sizeof ENDPOINTS / sizeof ENDPOINTS[0])

static void every_endpoint_answers_with_its_data(void) {
    aimis_client *client = sim_client(TOKEN, 0, 5000);
    size_t i, j;
    for (i = 0; i < ENDPOINT_COUNT; i++) {
        char *response = NULL;
        CHECK_RESULT(aimis_client_call(client, ENDPOINTS[i].endpoint, ENDPOINTS[i].request, &response),
                     AIMIS_OK);
        for (j = 0; j < 3 && ENDPOINTS[i].expected[j] != NULL; j++)
            CHECK_CONTAINS(response, ENDPOINTS[i].expected[j]);
        aimis_string_free(response);
    }
    aimis_client_free(client);
}

static void the_endpoint_list_has_no_endpoint_without_a_test(void) {
    char *json = NULL;
    const char *p;
    int listed = 0;
    CHECK_RESULT(aimis_endpoints_json(&json), AIMIS_OK);
    for (p = json; p != NULL && (p = strstr(p, "\"path\":\"")) != NULL; p += 8) {
        char path[256];
        size_t i, len = strcspn(p + 8, "\"");
        int covered = 0;
        snprintf(path, sizeof path, "%.*s", (int)len, p + 8);
        for (i = 0; i < ENDPOINT_COUNT; i++) covered |= strcmp(ENDPOINTS[i].path, path) == 0;
        if (!covered) fprintf(stderr, "    endpoint %s has no case in ENDPOINTS\n", path);
        CHECK(covered);
        listed++;
    }
    CHECK(listed == (int)ENDPOINT_COUNT);
    aimis_string_free(json);
}

static void endpoint_names_are_accepted_in_any_spelling(void) {
    aimis_client *client = sim_client(TOKEN, 0, 5000);
    const char *names[] = {"patientStudies", "patient_studies", "patient-studies", "PatientStudies"};
    char *first = NULL;
    size_t i;
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *response = NULL;
        CHECK_RESULT(aimis_client_call(client, names[i], STUDIES_REQUEST(PHONE, "0", "0"), &response),
                     AIMIS_OK);
        if (first == NULL) first = response;
        else {
            CHECK(response != NULL && strcmp(first, response) == 0);
            aimis_string_free(response);
        }
    }
    aimis_string_free(first);
    aimis_client_free(client);
}

static void every_study_type_has_studies_and_enum_names_work(void) {
    aimis_client *client = sim_client(TOKEN, 0, 5000);
    const char *types[] = {"0", "1", "2", "3", "4", "5"};
    const char *expected[] = {"\"studyType\":0", "\"studyType\":1", "\"studyType\":2",
                              "\"studyType\":3", "\"studyType\":4", "\"studyType\":5"};
    char request[1024], *by_number = NULL, *by_name = NULL;
    size_t i;
    for (i = 0; i < 6; i++) {
        char *response = NULL;
        snprintf(request, sizeof request, STUDIES_REQUEST(PHONE, "%s", "0"), types[i]);
        CHECK_RESULT(aimis_client_call(client, "patientStudies", request, &response), AIMIS_OK);
        CHECK(response != NULL && count_occurrences(response, "\"reportId\":") >= 1);
        CHECK(response != NULL &&
              count_occurrences(response, "\"studyType\":") == count_occurrences(response, expected[i]));
        aimis_string_free(response);
    }
    CHECK_RESULT(aimis_client_call(client, "patientStudies", STUDIES_REQUEST(PHONE, "5", "1"), &by_number),
                 AIMIS_OK);
    CHECK_RESULT(aimis_client_call(client, "patientStudies",
                                   STUDIES_REQUEST(PHONE, "\"Ultrasound\"", "\"ThisHospital\""), &by_name),
                 AIMIS_OK);
    CHECK(by_number != NULL && by_name != NULL && strcmp(by_number, by_name) == 0);
    aimis_string_free(by_number);
    aimis_string_free(by_name);
    aimis_client_free(client);
}

static void data_flags_split_this_hospital_from_the_others(void) {
    aimis_client *client = sim_client(TOKEN, 0, 5000);
    const char *types[] = {"0", "1", "2", "3", "4", "5"};
    int counts[3] = {0, 0, 0}; /* All, ThisHospital, OtherHospitals */
    char request[1024], flag[2];
    size_t i;
    int f;
    for (i = 0; i < 6; i++) {
        for (f = 0; f < 3; f++) {
            char *response = NULL;
            snprintf(flag, sizeof flag, "%d", f);
            snprintf(request, sizeof request, STUDIES_REQUEST(PHONE, "%s", "%s"), types[i], flag);
            CHECK_RESULT(aimis_client_call(client, "patientStudies", request, &response), AIMIS_OK);
            counts[f] += count_occurrences(response, "\"reportId\":");
            aimis_string_free(response);
        }
    }
    CHECK(counts[1] >= 1);
    CHECK(counts[2] >= 1);
    CHECK(counts[0] == counts[1] + counts[2]);
    aimis_client_free(client);
}

/* --- the platform's errors ----------------------------------------------------------- */

static void an_unknown_patient_is_api_error_10003(void) {
    aimis_client *client = sim_client(TOKEN, 0, 5000);
    char *response = (char *)"untouched";
    CHECK_RESULT(aimis_client_call(client, "patientStudies", STUDIES_REQUEST("13900000000", "0", "0"),
                                   &response),
                 AIMIS_API);
    CHECK(aimis_last_api_code() == 10003);
    CHECK_CONTAINS(aimis_last_error_message(), "10003");
    CHECK_NOT_CONTAINS(aimis_last_error_message(), "13900000000");
    CHECK_NO_SECRETS(aimis_last_error_message());
    CHECK(strcmp(response, "untouched") == 0);
    aimis_client_free(client);
}

static void an_unknown_report_is_api_error_10003(void) {
    aimis_client *client = sim_client(TOKEN, 0, 5000);
    char *response = NULL;
    CHECK_RESULT(aimis_client_call(client, "patientReportUrl",
                                   "{\"reportId\":\"R9999\",\"phoneNum\":\"" PHONE "\",\"idNum\":\"" ID_NUM
                                   "\",\"hospitalId\":\"H0001\"}",
                                   &response),
                 AIMIS_API);
    CHECK(aimis_last_api_code() == 10003);
    CHECK(response == NULL);
    aimis_client_free(client);
}

static void a_wrong_token_is_api_error_90002(void) {
    aimis_client *client = sim_client(OTHER_TOKEN, 0, 5000);
    char *response = NULL;
    CHECK_RESULT(aimis_client_call(client, "patientStudies", STUDIES_REQUEST(PHONE, "0", "0"), &response),
                 AIMIS_API);
    CHECK(aimis_last_api_code() == 90002);
    CHECK_NO_SECRETS(aimis_last_error_message());
    CHECK(response == NULL);
    aimis_client_free(client);
}

static void an_unknown_app_id_is_api_error_90001(void) {
    aimis_client *client = NULL;
    char *response = NULL;
    CHECK_RESULT(aimis_client_new("stranger-app", TOKEN, sim_url, &client), AIMIS_OK);
    CHECK_RESULT(aimis_client_call(client, "patientStudies", STUDIES_REQUEST(PHONE, "0", "0"), &response),
                 AIMIS_API);
    CHECK(aimis_last_api_code() == 90001);
    CHECK(response == NULL);
    aimis_client_free(client);
}

static void a_later_non_api_failure_resets_the_api_code(void) {
    aimis_client *client = sim_client(TOKEN, 0, 5000);
    char *response = NULL;
    CHECK_RESULT(aimis_client_call(client, "patientStudies", STUDIES_REQUEST("13900000000", "0", "0"),
                                   &response),
                 AIMIS_API);
    CHECK(aimis_last_api_code() == 10003);
    CHECK_RESULT(aimis_client_call(client, "nope", "{}", &response), AIMIS_UNKNOWN_ENDPOINT);
    CHECK(aimis_last_api_code() == 0);
    aimis_client_free(client);
}

/* --- transport, HTTP and timeouts ---------------------------------------------------- */

static void an_http_error_status_is_aimis_http(void) {
    aimis_client *client = sim_client(TOKEN, 0, 5000);
    char *response = NULL;
    clear_faults_and_log();
    add_fault("{\"kind\":\"status\",\"status\":503,\"times\":1}");
    CHECK_RESULT(aimis_client_call(client, "patientStudies", STUDIES_REQUEST(PHONE, "0", "0"), &response),
                 AIMIS_HTTP);
    CHECK_CONTAINS(aimis_last_error_message(), "503");
    add_fault("{\"kind\":\"html\",\"times\":1}");
    CHECK_RESULT(aimis_client_call(client, "patientStudies", STUDIES_REQUEST(PHONE, "0", "0"), &response),
                 AIMIS_HTTP);
    CHECK_CONTAINS(aimis_last_error_message(), "502");
    CHECK(response == NULL);
    clear_faults_and_log();
    aimis_client_free(client);
}

static void transient_failures_are_retried(void) {
    aimis_client *client = sim_client(TOKEN, 2, 5000);
    char *response = NULL, *log;
    clear_faults_and_log();
    add_fault("{\"kind\":\"status\",\"status\":503,\"times\":2}");
    CHECK_RESULT(aimis_client_call(client, "patientStudies", STUDIES_REQUEST(PHONE, "0", "0"), &response),
                 AIMIS_OK);
    CHECK_CONTAINS(response, "\"reportId\":\"R0001\"");
    log = request_log();
    /* Three attempts reached the platform: two hit by the fault, then the answer. */
    CHECK(count_occurrences(log, "\"endpoint\":\"patientStudies\"") == 3);
    CHECK(count_occurrences(log, "\"fault\"") == 2);
    free(log);
    aimis_string_free(response);
    clear_faults_and_log();
    aimis_client_free(client);
}

static void api_errors_are_not_retried(void) {
    aimis_client *client = sim_client(TOKEN, 3, 5000);
    char *response = NULL, *log;
    clear_faults_and_log();
    CHECK_RESULT(aimis_client_call(client, "patientStudies", STUDIES_REQUEST("13900000000", "0", "0"),
                                   &response),
                 AIMIS_API);
    log = request_log();
    CHECK(count_occurrences(log, "\"endpoint\":\"patientStudies\"") == 1);
    free(log);
    aimis_client_free(client);
}

static void a_slow_platform_is_aimis_timeout(void) {
    aimis_client *client = sim_client(TOKEN, 0, 300);
    char *response = NULL;
    clear_faults_and_log();
    add_fault("{\"kind\":\"latency\",\"ms\":3000,\"times\":1}");
    CHECK_RESULT(aimis_client_call(client, "patientStudies", STUDIES_REQUEST(PHONE, "0", "0"), &response),
                 AIMIS_TIMEOUT);
    CHECK(response == NULL);
    clear_faults_and_log();
    aimis_client_free(client);
}

static void a_broken_connection_is_aimis_connection_reset(void) {
    aimis_client *client = sim_client(TOKEN, 0, 5000);
    char *response = NULL;
    aimis_result got;
    clear_faults_and_log();
    add_fault("{\"kind\":\"reset\",\"times\":1}");
    CHECK_RESULT(aimis_client_call(client, "patientStudies", STUDIES_REQUEST(PHONE, "0", "0"), &response),
                 AIMIS_CONNECTION_RESET);
    add_fault("{\"kind\":\"truncate\",\"times\":1}");
    got = aimis_client_call(client, "patientStudies", STUDIES_REQUEST(PHONE, "0", "0"), &response);
    CHECK(got == AIMIS_CONNECTION_RESET || got == AIMIS_DECODE);
    CHECK(response == NULL);
    clear_faults_and_log();
    aimis_client_free(client);
}

static void a_closed_port_is_aimis_connection_refused(void) {
    aimis_client *client = NULL;
    aimis_options *options = NULL;
    char *response = NULL;
    CHECK_RESULT(aimis_options_new(&options), AIMIS_OK);
    CHECK_RESULT(aimis_options_set_retries(options, 0, 0, 0), AIMIS_OK);
    /* Port 9 (discard) is closed on loopback here: nothing listens. */
    CHECK_RESULT(aimis_client_new_with_options(APP_ID, TOKEN, "http://127.0.0.1:9", options, &client),
                 AIMIS_OK);
    CHECK_RESULT(aimis_client_call(client, "patientStudies", STUDIES_REQUEST(PHONE, "0", "0"), &response),
                 AIMIS_CONNECTION_REFUSED);
    CHECK_NO_SECRETS(aimis_last_error_message());
    aimis_options_free(options);
    aimis_client_free(client);
}

static void tls_with_the_private_ca_is_verified(void) {
    aimis_client *trusting = NULL, *default_roots = NULL;
    aimis_options *options = NULL;
    char *response = NULL;
    CHECK_RESULT(aimis_options_new(&options), AIMIS_OK);
    CHECK_RESULT(aimis_options_set_retries(options, 0, 0, 0), AIMIS_OK);
    /* A debug build's TLS handshake under valgrind on a busy machine can take over the
     * default 5 s; this test is about the certificate, not the time. */
    CHECK_RESULT(aimis_options_set_timeout_ms(options, 60000), AIMIS_OK);
    CHECK_RESULT(aimis_client_new_with_options(APP_ID, TOKEN, sim_tls_url, options, &default_roots),
                 AIMIS_OK);
    CHECK_RESULT(aimis_options_add_ca_file(options, sim_ca), AIMIS_OK);
    CHECK_RESULT(aimis_client_new_with_options(APP_ID, TOKEN, sim_tls_url, options, &trusting), AIMIS_OK);
    aimis_options_free(options);
    CHECK_RESULT(aimis_client_call(trusting, "patientStudies", STUDIES_REQUEST(PHONE, "0", "0"), &response),
                 AIMIS_OK);
    CHECK_CONTAINS(response, "\"reportId\":\"R0001\"");
    aimis_string_free(response);
    response = NULL;
    /* Without the simulator's CA the certificate is refused, pointing at the CA option. */
    CHECK_RESULT(aimis_client_call(default_roots, "patientStudies", STUDIES_REQUEST(PHONE, "0", "0"),
                                   &response),
                 AIMIS_TLS_CERTIFICATE);
    CHECK_CONTAINS(aimis_last_error_message(), "aimis_options_add_ca_file");
    CHECK(response == NULL);
    aimis_client_free(trusting);
    aimis_client_free(default_roots);
}

/* --- threads ------------------------------------------------------------------------- */

#define THREADS 8
#define CALLS_PER_THREAD 10

typedef struct {
    const aimis_client *client;
    int index;
    int ok;  /* calls that gave what they should */
} thread_work;

/* Even threads query studies; odd ones an unknown patient, so each thread's last error
 * and API code must be its own. */
static void *thread_main(void *arg) {
    thread_work *work = arg;
    int i;
    for (i = 0; i < CALLS_PER_THREAD; i++) {
        char *response = NULL;
        char request[1024];
        aimis_result got;
        if (work->index % 2 == 0) {
            snprintf(request, sizeof request, STUDIES_REQUEST(PHONE, "%d", "0"), (work->index + i) % 6);
            got = aimis_client_call(work->client, "patientStudies", request, &response);
            if (got == AIMIS_OK && response != NULL && strstr(response, "\"reportId\":") != NULL &&
                strcmp(aimis_last_error_message(), "") == 0 && aimis_last_api_code() == 0)
                work->ok++;
            aimis_string_free(response);
        } else {
            got = aimis_client_call(work->client, "patientStudies",
                                    STUDIES_REQUEST("13900000000", "0", "0"), &response);
            if (got == AIMIS_API && response == NULL && aimis_last_api_code() == 10003 &&
                strstr(aimis_last_error_message(), "10003") != NULL)
                work->ok++;
        }
    }
    return NULL;
}

static void eight_threads_share_one_client(void) {
    aimis_client *client = sim_client(TOKEN, 0, 10000);
    pthread_t threads[THREADS];
    thread_work work[THREADS];
    char *log;
    int i;
    clear_faults_and_log();
    for (i = 0; i < THREADS; i++) {
        work[i].client = client;
        work[i].index = i;
        work[i].ok = 0;
        CHECK(pthread_create(&threads[i], NULL, thread_main, &work[i]) == 0);
    }
    for (i = 0; i < THREADS; i++) {
        CHECK(pthread_join(threads[i], NULL) == 0);
        if (work[i].ok != CALLS_PER_THREAD)
            fprintf(stderr, "    thread %d: %d of %d calls right\n", i, work[i].ok, CALLS_PER_THREAD);
        CHECK(work[i].ok == CALLS_PER_THREAD);
    }
    log = request_log();
    CHECK(count_occurrences(log, "\"endpoint\":\"patientStudies\"") == THREADS * CALLS_PER_THREAD);
    free(log);
    aimis_client_free(client);
}


/* --- fork ---------------------------------------------------------------------------- */

#if defined(__unix__)
#define FORKED_WORKERS 6
#define LOOKUPS_PER_WORKER 8

/* The simulator's reports, each with its patient, hospital and study. */
static const struct {
    const char *report, *phone, *id_num, *hospital, *study;
} REPORTS[] = {
    {"R0001", PHONE, ID_NUM, "H0001", "S0001"},
    {"R0002", PHONE, ID_NUM, "H0001", "S0002"},
    {"R0003", PHONE, ID_NUM, "H0002", "S0003"},
    {"R0004", PHONE, ID_NUM, "H0002", "S0004"},
    {"R0005", PHONE, ID_NUM, "H0101", "S0005"},
    {"R0006", PHONE, ID_NUM, "H0101", "S0006"},
    {"R0007", PHONE, ID_NUM, "H0001", "S0007"},
    {"R0101", "13900139000", "310104198507153218", "H0001", "S0101"},
    {"R0102", "13900139000", "310104198507153218", "H0101", "S0102"},
};
#define REPORT_COUNT (sizeof REPORTS / sizeof REPORTS[0])

/* How many of a forked worker's lookups came back with another report's study. */
static int forked_worker(const aimis_client *client, int worker) {
    int wrong = 0, i;
    for (i = 0; i < LOOKUPS_PER_WORKER; i++) {
        size_t r = (size_t)(worker * LOOKUPS_PER_WORKER + i) % REPORT_COUNT;
        char request[512], expected[64];
        char *response = NULL;
        snprintf(request, sizeof request,
                 "{\"reportId\":\"%s\",\"phoneNum\":\"%s\",\"idNum\":\"%s\",\"hospitalId\":\"%s\"}",
                 REPORTS[r].report, REPORTS[r].phone, REPORTS[r].id_num, REPORTS[r].hospital);
        snprintf(expected, sizeof expected, "\"studyId\":\"%s\"", REPORTS[r].study);
        enum aimis_result result = aimis_client_call(client, "patientReportUrl", request, &response);
        if (result != AIMIS_OK) {
            fprintf(stderr, "    worker %d, lookup %d: result %d: %s\n", worker, i, (int)result,
                    aimis_last_error_message());
            wrong++;
        } else if (strstr(response, expected) == NULL) {
            fprintf(stderr, "    worker %d, lookup %d: another report's answer\n", worker, i);
            wrong++;
        }
        aimis_string_free(response);
    }
    return wrong;
}

/* A client that made a call before fork() holds a pooled connection; the children
 * share its copy, and must never send on it: each worker gets its own answers. */
static void forked_workers_never_read_each_others_answers(void) {
    aimis_client *client = sim_client(TOKEN, 0, 10000);
    pid_t workers[FORKED_WORKERS];
    int i, wrong = 0;
    CHECK(forked_worker(client, 0) == 0);
    fflush(NULL);
    for (i = 0; i < FORKED_WORKERS; i++) {
        workers[i] = fork();
        if (workers[i] == 0) _exit(forked_worker(client, i));
        CHECK(workers[i] > 0);
    }
    for (i = 0; i < FORKED_WORKERS; i++) {
        int status = 0;
        if (workers[i] <= 0) continue;
        CHECK(waitpid(workers[i], &status, 0) == workers[i]);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) <= LOOKUPS_PER_WORKER);
        if (WIFEXITED(status) && WEXITSTATUS(status) > LOOKUPS_PER_WORKER)
            fprintf(stderr, "    worker %d exited with %d, not a count of lookups\n", i,
                    WEXITSTATUS(status));
        else if (WIFEXITED(status))
            wrong += WEXITSTATUS(status);
    }
    if (wrong != 0)
        fprintf(stderr, "    %d of %d lookups failed or answered with another report\n", wrong,
                FORKED_WORKERS * LOOKUPS_PER_WORKER);
    CHECK(wrong == 0);
    /* The parent's own pool is untouched. */
    CHECK(forked_worker(client, 1) == 0);
    aimis_client_free(client);
}
#endif

/* --- caller-owned buffers and GB18030 against the simulator ------------------------- */

static void call_into_fills_the_callers_buffer_or_says_what_it_needs(void) {
    aimis_client *client = sim_client(TOKEN, 0, 5000);
    char small[16], *buffer;
    size_t needed = 0, size;
    const char *request = "{\"reportId\":\"R0001\",\"phoneNum\":\"" PHONE "\",\"idNum\":\"" ID_NUM
                          "\",\"hospitalId\":\"H0001\"}";
    memset(small, 'x', sizeof small);
    CHECK_RESULT(aimis_client_call_into(client, "patientReportUrl", request, small, sizeof small,
                                        &needed),
                 AIMIS_BUFFER_TOO_SMALL);
    CHECK(needed > sizeof small);
    CHECK(small[0] == 'x' && small[15] == 'x');
    size = needed;
    buffer = malloc(size);
    CHECK_RESULT(aimis_client_call_into(client, "patientReportUrl", request, buffer, size, &needed),
                 AIMIS_OK);
    CHECK(needed == size && strlen(buffer) + 1 == size);
    CHECK_CONTAINS(buffer, "\"h5DetailUrl\"");
    /* API errors come through the _into path like any other. */
    CHECK_RESULT(aimis_client_call_into(client, "patientReportUrl",
                                        "{\"reportId\":\"R9999\",\"phoneNum\":\"" PHONE
                                        "\",\"idNum\":\"" ID_NUM "\",\"hospitalId\":\"H0001\"}",
                                        buffer, size, &needed),
                 AIMIS_API);
    CHECK(aimis_last_api_code() == 10003);
    free(buffer);
    aimis_client_free(client);
}

#define REPORT_REQUEST(report)                                                            \
    "{\"reportId\":\"" report "\",\"phoneNum\":\"" PHONE "\",\"idNum\":\"" ID_NUM            \
    "\",\"hospitalId\":\"H0001\"}"

static void a_batch_gives_one_outcome_per_request_in_order(void) {
    aimis_client *client = sim_client(TOKEN, 0, 5000);
    char *outcomes = NULL, *log;
    const char *array = "[" REPORT_REQUEST("R0001") "," REPORT_REQUEST("R9999") ",{\"reportId\":1},"
                        REPORT_REQUEST("R0003") "]";
    const char *lines = REPORT_REQUEST("R0002") "\n\nnot json\n" REPORT_REQUEST("R0004") "\n";
    size_t needed = 0;
    char small[8];
    clear_faults_and_log();
    CHECK_RESULT(aimis_client_batch(client, "patient-report-url", array, 2, 0.0, &outcomes), AIMIS_OK);
    CHECK_CONTAINS(outcomes, "{\"data\":{\"h5DetailUrl\"");
    CHECK(strstr(outcomes, "\"row\":1") < strstr(outcomes, "\"row\":2"));
    CHECK(strstr(outcomes, "\"row\":3") < strstr(outcomes, "\"row\":4"));
    CHECK_CONTAINS(outcomes, "\"code\":10003");
    CHECK_CONTAINS(outcomes, "\"kind\":\"validation\"");
    CHECK_NO_SECRETS(outcomes);
    aimis_string_free(outcomes);
    log = request_log();
    CHECK(log != NULL && strstr(log, "patientReportUrl") != NULL);
    free(log);
    /* JSON Lines, a line that is not JSON being that row's failure. */
    outcomes = NULL;
    CHECK_RESULT(aimis_client_batch(client, "patientReportUrl", lines, 0, 100.0, &outcomes), AIMIS_OK);
    CHECK_CONTAINS(outcomes, "\"studyId\":\"S0002\"");
    CHECK_CONTAINS(outcomes, "the line is not JSON");
    CHECK_CONTAINS(outcomes, "\"studyId\":\"S0004\"");
    aimis_string_free(outcomes);
    /* Unusable options and an unknown endpoint stop the batch before it starts. */
    outcomes = NULL;
    CHECK_RESULT(aimis_client_batch(client, "patientReportUrl", array, 1000, 0.0, &outcomes), AIMIS_CONFIG);
    CHECK_RESULT(aimis_client_batch(client, "patientReportUrl", array, 2, -1.0, &outcomes), AIMIS_CONFIG);
    /* A rate whose pause between two starts no clock can hold: refused, not a panic. */
    CHECK_RESULT(aimis_client_batch(client, "patientReportUrl", array, 2, 1e-300, &outcomes), AIMIS_CONFIG);
    CHECK_CONTAINS(aimis_last_error_message(), "rate must be from 1/86400");
    CHECK_RESULT(aimis_client_batch(client, "patientReportUrl", array, 2, HUGE_VAL, &outcomes), AIMIS_CONFIG);
    CHECK_RESULT(aimis_client_batch(client, "patientReportUrl", array, 2, NAN, &outcomes), AIMIS_CONFIG);
    CHECK_RESULT(aimis_client_batch(client, "patientImages", array, 2, 0.0, &outcomes), AIMIS_UNKNOWN_ENDPOINT);
    CHECK_RESULT(aimis_client_batch(client, "patientReportUrl", "[1,", 2, 0.0, &outcomes), AIMIS_INVALID_JSON);
    CHECK(outcomes == NULL);
    CHECK_RESULT(aimis_client_batch_into(client, "patientReportUrl", lines, 2, 0.0, small, sizeof small, &needed),
                 AIMIS_BUFFER_TOO_SMALL);
    CHECK(needed > sizeof small);
    aimis_client_free(client);
}

/* A client in `encoding` sends "patientName": "王䶮" (optional, sent as UTF-8) given as
 * `name`, and refuses a lone lead byte with `invalid` before anything is sent. */
static void a_client_sends_a_chinese_name(aimis_text_encoding encoding, const char *name,
                                          aimis_result invalid) {
    aimis_options *options = NULL;
    aimis_client *client = NULL;
    char *json = NULL, request[512];
    CHECK_RESULT(aimis_options_new(&options), AIMIS_OK);
    CHECK_RESULT(aimis_options_set_retries(options, 0, 1, 1), AIMIS_OK);
    CHECK_RESULT(aimis_options_set_text_encoding(options, encoding), AIMIS_OK);
    CHECK_RESULT(aimis_client_new_with_options(APP_ID, TOKEN, sim_url, options, &client), AIMIS_OK);
    snprintf(request, sizeof request,
             "{\"hisId\":\"HIS0001\",\"phoneNum\":\"" PHONE "\",\"idNum\":\"" ID_NUM
             "\",\"patientName\":\"%s\",\"hospitalId\":\"H0001\",\"unionId\":\"U0001\"}",
             name);
    CHECK_RESULT(aimis_client_call(client, "patientConsultations", request, &json), AIMIS_OK);
    CHECK_CONTAINS(json, "\"h5Url\"");
    CHECK_RESULT(aimis_client_call(client, "patientConsultations", "{\"hisId\":\"\x81\"}", &json),
                 invalid);
    aimis_string_free(json);
    aimis_client_free(client);
    aimis_options_free(options);
}

#define WANG_GB18030 "\xcd\xf5\xfe\x9f"
#define WANG_UTF8 "\xe7\x8e\x8b\xe4\xb6\xae"

static void a_gb18030_client_reads_and_writes_gb18030(void) {
    a_client_sends_a_chinese_name(AIMIS_TEXT_ENCODING_GB18030, WANG_GB18030, AIMIS_INVALID_TEXT);
}

/* The system code page: GB18030 in the Windows runner's Chinese locale, UTF-8 on Linux. */
static void a_system_code_page_client_sends_the_systems_text(void) {
#ifdef _WIN32
    a_client_sends_a_chinese_name(AIMIS_TEXT_ENCODING_SYSTEM, WANG_GB18030, AIMIS_INVALID_TEXT);
#else
    a_client_sends_a_chinese_name(AIMIS_TEXT_ENCODING_SYSTEM, WANG_UTF8, AIMIS_INVALID_UTF8);
#endif
}

/* Listings and counts never show the patient: not the phone or ID number, the patient
 * or HIS id, nor the report links. */
#define CHECK_MASKED(json)                                                                 \
    do {                                                                                   \
        CHECK_NO_SECRETS(json);                                                            \
        CHECK_NOT_CONTAINS((json), "P0001");                                               \
        CHECK_NOT_CONTAINS((json), "HIS0004");                                             \
        CHECK_NOT_CONTAINS((json), "h5.aimis-sim.example");                                \
    } while (0)

/* aimis_inbox_list_json and aimis_inbox_stats_json over the store of a real
 * `aimis inbox serve` that the simulator sends S0004's report-ready callback to. The
 * suite runs several times on one store: stored the first time, a duplicate after. */
static void the_inbox_lists_and_counts_with_patient_data_masked(void) {
    char body[512], answer[4096], *list = NULL, *stats = NULL, *item = NULL, *other = NULL;
    aimis_inbox *inbox = NULL;
    snprintf(body, sizeof body, "{\"url\":\"%s\"}", inbox_url);
    CHECK(admin_request(sim_url, "PUT", "/__admin/callback-url", body, answer, sizeof answer) == 200);
    CHECK(admin_request(sim_url, "POST", "/__admin/studies/S0004/status", "{\"status\":1}", answer,
                        sizeof answer) == 200);
    CHECK_CONTAINS(answer, "\"delivered\":true");
    CHECK(admin_request(sim_url, "PUT", "/__admin/callback-url", "{\"url\":null}", NULL, 0) == 200);

    CHECK_RESULT(aimis_inbox_open(inbox_store, APP_ID, TOKEN, &inbox), AIMIS_OK);
    CHECK_RESULT(aimis_inbox_list_json(inbox, NULL, &list), AIMIS_OK);
    CHECK_CONTAINS(list, "\"studyId\":\"S0004\"");
    CHECK_CONTAINS(list, "\"phoneNum\":\"***\"");
    CHECK_MASKED(list);
    CHECK_RESULT(aimis_inbox_stats_json(inbox, &stats), AIMIS_OK);
    CHECK_CONTAINS(stats, "\"received\":1,");
    CHECK_MASKED(stats);
    aimis_string_free(list);
    aimis_string_free(stats);

    /* Handed out (the first run) and acknowledged: delivered, nothing pending. */
    CHECK_RESULT(aimis_inbox_next(inbox, 30, &item), AIMIS_OK);
    if (item != NULL && strcmp(item, "null") != 0) {
        const char *id = strstr(item, "\"id\":");
        CHECK(id != NULL);
        if (id != NULL) CHECK_RESULT(aimis_inbox_ack(inbox, strtoll(id + 5, NULL, 10)), AIMIS_OK);
    }
    aimis_string_free(item);
    CHECK_RESULT(aimis_inbox_list_json(inbox, "pending", &list), AIMIS_OK);
    CHECK(list != NULL && strcmp(list, "[]") == 0);
    aimis_string_free(list);
    CHECK_RESULT(aimis_inbox_list_json(inbox, "delivered", &list), AIMIS_OK);
    CHECK_CONTAINS(list, "\"state\":\"delivered\"");
    CHECK_MASKED(list);
    aimis_string_free(list);

    CHECK_RESULT(aimis_inbox_list_json(inbox, "bogus", &other), AIMIS_VALIDATION);
    CHECK_CONTAINS(aimis_last_error_message(), "must be pending, delivered, superseded, dead or all");
    CHECK(other == NULL);
    CHECK_RESULT(aimis_inbox_stats_json(NULL, &other), AIMIS_NULL_ARGUMENT);
    CHECK_RESULT(aimis_inbox_stats_json(inbox, NULL), AIMIS_NULL_ARGUMENT);
    aimis_inbox_free(inbox);
}

/* --- the log callback ---------------------------------------------------------------- */

/* What the log callback received: "LEVEL|line\n" per event. Batches call it from their
 * workers, so it is guarded. */
static struct {
    pthread_mutex_t lock;
    char text[1 << 16];
    size_t len;
    int lines_with_newline;
} logged = {PTHREAD_MUTEX_INITIALIZER, {0}, 0, 0};

static void AIMIS_CALL collect_log_line(aimis_log_level level, const char *line, void *user_data) {
    int written;
    pthread_mutex_lock(&logged.lock);
    if (strchr(line, '\n') != NULL) logged.lines_with_newline++;
    written = snprintf(logged.text + logged.len, sizeof logged.text - logged.len, "%d|%s|%s\n",
                       (int)level, (const char *)user_data, line);
    if (written > 0 && logged.len + (size_t)written < sizeof logged.text) logged.len += (size_t)written;
    pthread_mutex_unlock(&logged.lock);
}

static void clear_log(void) {
    pthread_mutex_lock(&logged.lock);
    logged.len = 0;
    logged.text[0] = '\0';
    pthread_mutex_unlock(&logged.lock);
}

static void the_log_callback_gets_one_line_per_event_and_no_patient_data(void) {
    aimis_client *client = sim_client(TOKEN, 1, 5000);
    char *response = NULL, *outcomes = NULL;
    const char *array = "[" REPORT_REQUEST("R0001") "," REPORT_REQUEST("R9999") "]";
    clear_faults_and_log();
    clear_log();
    /* Silent by default. */
    CHECK_RESULT(aimis_client_call(client, "patientStudies", STUDIES_REQUEST(PHONE, "0", "0"), &response),
                 AIMIS_OK);
    aimis_string_free(response);
    CHECK(logged.len == 0);

    CHECK_RESULT(aimis_set_log_callback((aimis_log_level)9, collect_log_line, NULL), AIMIS_VALIDATION);
    CHECK_CONTAINS(aimis_last_error_message(), "level");
    CHECK_RESULT(aimis_set_log_callback(AIMIS_LOG_DEBUG, collect_log_line, (void *)"his-log"), AIMIS_OK);
    /* A retried 503, an API error, a batch. */
    add_fault("{\"kind\":\"status\",\"status\":503,\"times\":1}");
    response = NULL;
    CHECK_RESULT(aimis_client_call(client, "patientStudies", STUDIES_REQUEST(PHONE, "0", "0"), &response),
                 AIMIS_OK);
    aimis_string_free(response);
    CHECK_RESULT(aimis_client_call(client, "patientStudies", STUDIES_REQUEST("13900000000", "0", "0"),
                                   &response),
                 AIMIS_API);
    CHECK_RESULT(aimis_client_batch(client, "patientReportUrl", array, 2, 0.0, &outcomes), AIMIS_OK);
    aimis_string_free(outcomes);
    pthread_mutex_lock(&logged.lock);
    CHECK_CONTAINS(logged.text, "2|his-log|aimis::call: retrying endpoint=patientStudies");
    CHECK_CONTAINS(logged.text, "http.response.status_code=503");
    CHECK_CONTAINS(logged.text, "4|his-log|aimis::call: call answered endpoint=patientStudies attempt=2");
    CHECK_CONTAINS(logged.text, "call failed endpoint=patientStudies aimis.code=10003");
    CHECK_CONTAINS(logged.text, "endpoint=patientReportUrl");
    CHECK_CONTAINS(logged.text, "batch done rows=2 ok=1 failed=1");
    CHECK_NO_SECRETS(logged.text);
    CHECK_NOT_CONTAINS(logged.text, "R0001");
    CHECK_NOT_CONTAINS(logged.text, "https://");
    CHECK(logged.lines_with_newline == 0);
    pthread_mutex_unlock(&logged.lock);

    /* WARN: the retry, not each call. */
    clear_log();
    CHECK_RESULT(aimis_set_log_callback(AIMIS_LOG_WARN, collect_log_line, (void *)"his-log"), AIMIS_OK);
    add_fault("{\"kind\":\"status\",\"status\":503,\"times\":1}");
    CHECK_RESULT(aimis_client_call(client, "patientStudies", STUDIES_REQUEST(PHONE, "0", "0"), &response),
                 AIMIS_OK);
    aimis_string_free(response);
    CHECK_CONTAINS(logged.text, "retrying");
    CHECK_NOT_CONTAINS(logged.text, "call answered");

    /* NULL silences it again. */
    clear_log();
    CHECK_RESULT(aimis_set_log_callback(AIMIS_LOG_TRACE, NULL, NULL), AIMIS_OK);
    CHECK_RESULT(aimis_client_call(client, "patientStudies", STUDIES_REQUEST(PHONE, "0", "0"), &response),
                 AIMIS_OK);
    aimis_string_free(response);
    CHECK(logged.len == 0);
    clear_faults_and_log();
    aimis_client_free(client);
}

int main(void) {
    static const harness_test tests[] = {
        TEST_ENTRY(every_endpoint_answers_with_its_data),
        TEST_ENTRY(the_endpoint_list_has_no_endpoint_without_a_test),
        TEST_ENTRY(endpoint_names_are_accepted_in_any_spelling),
        TEST_ENTRY(every_study_type_has_studies_and_enum_names_work),
        TEST_ENTRY(data_flags_split_this_hospital_from_the_others),
        TEST_ENTRY(an_unknown_patient_is_api_error_10003),
        TEST_ENTRY(an_unknown_report_is_api_error_10003),
        TEST_ENTRY(a_wrong_token_is_api_error_90002),
        TEST_ENTRY(an_unknown_app_id_is_api_error_90001),
        TEST_ENTRY(a_later_non_api_failure_resets_the_api_code),
        TEST_ENTRY(an_http_error_status_is_aimis_http),
        TEST_ENTRY(transient_failures_are_retried),
        TEST_ENTRY(api_errors_are_not_retried),
        TEST_ENTRY(a_slow_platform_is_aimis_timeout),
        TEST_ENTRY(a_broken_connection_is_aimis_connection_reset),
        TEST_ENTRY(a_closed_port_is_aimis_connection_refused),
        TEST_ENTRY(tls_with_the_private_ca_is_verified),
        TEST_ENTRY(eight_threads_share_one_client),
#if defined(__unix__)
        TEST_ENTRY(forked_workers_never_read_each_others_answers),
#endif
        TEST_ENTRY(call_into_fills_the_callers_buffer_or_says_what_it_needs),
        TEST_ENTRY(a_gb18030_client_reads_and_writes_gb18030),
        TEST_ENTRY(a_system_code_page_client_sends_the_systems_text),
        TEST_ENTRY(a_batch_gives_one_outcome_per_request_in_order),
        TEST_ENTRY(the_inbox_lists_and_counts_with_patient_data_masked),
        TEST_ENTRY(the_log_callback_gets_one_line_per_event_and_no_patient_data),
    };
    sim_url = getenv("AIMIS_SIM_URL");
    sim_tls_url = getenv("AIMIS_SIM_TLS_URL");
    sim_ca = getenv("AIMIS_SIM_CA");
    inbox_url = getenv("AIMIS_INBOX_URL");
    inbox_store = getenv("AIMIS_INBOX_STORE");
    if (sim_url == NULL || sim_tls_url == NULL || sim_ca == NULL || inbox_url == NULL ||
        inbox_store == NULL) {
        fprintf(stderr, "set AIMIS_SIM_URL, AIMIS_SIM_TLS_URL, AIMIS_SIM_CA, AIMIS_INBOX_URL and "
                        "AIMIS_INBOX_STORE (tests/run.sh does)\n");
        return 2;
    }
    return harness_run("sim", tests, sizeof tests / sizeof tests[0]);
}
