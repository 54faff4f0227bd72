/* query_studies: list a patient's radiology studies of 2025 and handle every failure.
 *
 *   cc query_studies.c $(pkg-config --cflags --libs aimis) \
 *      -Wl,-rpath,$(pkg-config --variable=libdir aimis) -o query_studies
 *   AIMIS_APP_ID=... AIMIS_TOKEN=... [AIMIS_BASE_URL=http://127.0.0.1:PORT] ./query_studies
 *
 * Without AIMIS_BASE_URL it talks to production (https://pacs.qq.com). */
#include <stdio.h>
#include <stdlib.h>

#include <aimis.h>

int main(void) {
    const char *app_id = getenv("AIMIS_APP_ID");
    const char *token = getenv("AIMIS_TOKEN");
    aimis_client *client = NULL;
    char *studies = NULL;
    aimis_result rc;

    if (app_id == NULL || token == NULL) {
        fprintf(stderr, "set AIMIS_APP_ID and AIMIS_TOKEN\n");
        return 2;
    }
    rc = aimis_client_new(app_id, token, getenv("AIMIS_BASE_URL"), &client);
    if (rc != AIMIS_OK) {
        fprintf(stderr, "cannot make a client: %s: %s\n", aimis_result_name(rc),
                aimis_last_error_message());
        return 1;
    }

    /* Vendor field names, patient data in plaintext: libaimis encrypts and signs.
     * In a HIS these values come from the patient record; build the JSON with your
     * JSON library so that they are escaped. */
    rc = aimis_client_call(client, "patientStudies",
                           "{\"phoneNum\": \"13800138000\", \"idNum\": \"110101199003074518\","
                           " \"hospitalId\": \"H0001\", \"unionId\": \"U0001\","
                           " \"studyType\": \"Radiology\", \"dataFlag\": \"All\", \"usage\": \"DoctorView\","
                           " \"studyDateBegin\": \"2025-01-01 00:00:00\","
                           " \"studyDateEnd\": \"2025-12-31 23:59:59\"}",
                           &studies);
    if (rc == AIMIS_OK) {
        printf("%s\n", studies); /* a JSON array of studies, vendor field names */
        aimis_string_free(studies);
    } else if (rc == AIMIS_API) {
        /* The platform said no: 10003 no such patient, 90002 bad signature, ... */
        fprintf(stderr, "AIMIS refused the query (code %lld): %s\n",
                (long long)aimis_last_api_code(), aimis_last_error_message());
    } else {
        /* Validation, transport, timeout, HTTP status...: the message says which. */
        fprintf(stderr, "query failed: %s: %s\n", aimis_result_name(rc), aimis_last_error_message());
    }

    aimis_client_free(client);
    return rc == AIMIS_OK ? 0 : 1;
}
