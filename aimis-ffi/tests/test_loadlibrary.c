/* aimis.dll bound by name at run time, as PowerBuilder, Delphi and VB6 programs bind it:
 * LoadLibrary, GetProcAddress of the undecorated names, and calls through __stdcall
 * function pointers declared here (not through aimis.h): a query against the simulator
 * and the callback check. A convention mismatch corrupts the stack on the first call
 * with arguments. Windows only; tests/wine.sh runs it on x86 and x64 with
 * AIMIS_SIM_URL set. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

typedef int(__stdcall *client_new_fn)(const char *, const char *, const char *, void **);
typedef int(__stdcall *client_call_into_fn)(const void *, const char *, const char *, char *,
                                            size_t, size_t *);
typedef void(__stdcall *client_free_fn)(void *);
typedef int(__stdcall *sign_fn)(const char *, const char *, const char *, char **);
typedef int(__stdcall *encrypt_into_fn)(const char *, const char *, int, char *, size_t, size_t *);
typedef int(__stdcall *callback_verify_into_fn)(const char *, const char *, const char *,
                                                const char *, const char *, const char *,
                                                size_t, int, char *, size_t, size_t *);
typedef void(__stdcall *string_free_fn)(char *);

#define TOKEN "0123456789abcdef0123456789abcdef"

static int passed, failed;

static void check(int ok, const char *what) {
    if (ok) {
        passed++;
        printf("ok   loadlibrary::%s\n", what);
    } else {
        failed++;
        printf("FAIL loadlibrary::%s\n", what);
    }
}

static FARPROC export_named(HMODULE dll, const char *name) {
    FARPROC f = GetProcAddress(dll, name);
    if (f == NULL) fprintf(stderr, "    GetProcAddress(\"%s\") failed\n", name);
    return f;
}

int main(void) {
    const char *sim_url = getenv("AIMIS_SIM_URL");
    HMODULE dll = LoadLibraryA("aimis.dll");
    char answer[8192], phone_hex[128], id_hex[128], timestamp[32], callback[16384], body[1024];
    size_t needed = 0;
    void *client = NULL;
    char *signature = NULL;
    if (sim_url == NULL) {
        fprintf(stderr, "set AIMIS_SIM_URL (tests/wine.sh does)\n");
        return 2;
    }
    check(dll != NULL, "LoadLibrary(\"aimis.dll\")");
    if (dll == NULL) goto done;
    {
        client_new_fn client_new = (client_new_fn)(void (*)(void))export_named(dll, "aimis_client_new");
        client_call_into_fn call_into =
            (client_call_into_fn)(void (*)(void))export_named(dll, "aimis_client_call_into");
        client_free_fn client_free = (client_free_fn)(void (*)(void))export_named(dll, "aimis_client_free");
        sign_fn sign = (sign_fn)(void (*)(void))export_named(dll, "aimis_sign");
        encrypt_into_fn encrypt_into =
            (encrypt_into_fn)(void (*)(void))export_named(dll, "aimis_encrypt_field_into");
        callback_verify_into_fn verify_into =
            (callback_verify_into_fn)(void (*)(void))export_named(dll, "aimis_callback_verify_into");
        string_free_fn string_free = (string_free_fn)(void (*)(void))export_named(dll, "aimis_string_free");
        check(client_new && call_into && client_free && sign && encrypt_into && verify_into &&
                  string_free,
              "GetProcAddress finds every undecorated name");
        if (!(client_new && call_into && client_free && sign && encrypt_into && verify_into &&
              string_free))
            goto done;

        check(client_new("demo-app", TOKEN, sim_url, &client) == 0 && client != NULL,
              "aimis_client_new");
        check(call_into(client, "patientStudies",
                        "{\"phoneNum\":\"13800138000\",\"idNum\":\"110101199003074518\","
                        "\"hospitalId\":\"H0001\",\"unionId\":\"U0001\",\"studyType\":0,"
                        "\"dataFlag\":0,\"usage\":2,\"studyDateBegin\":\"2025-01-01 00:00:00\","
                        "\"studyDateEnd\":\"2025-12-31 23:59:59\"}",
                        answer, sizeof answer, &needed) == 0 &&
                  strstr(answer, "\"reportId\":\"R0001\"") != NULL,
              "a query through aimis_client_call_into");
        client_free(client);

        /* A callback signed now, its phone number encrypted: verified and decrypted. */
        snprintf(timestamp, sizeof timestamp, "%lld",
                 (long long)time(NULL) * 1000);
        check(sign("demo-app", TOKEN, timestamp, &signature) == 0 && signature != NULL, "aimis_sign");
        check(encrypt_into(TOKEN, "13800138000", 0, phone_hex, sizeof phone_hex, &needed) == 0,
              "aimis_encrypt_field_into");
        check(encrypt_into(TOKEN, "110101199003074518", 0, id_hex, sizeof id_hex, &needed) == 0,
              "aimis_encrypt_field_into (the ID number)");
        snprintf(body, sizeof body,
                 "{\"status\":3,\"phoneNum\":\"%s\",\"idNum\":\"%s\",\"patientId\":\"P0001\","
                 "\"hospitalId\":\"H0001\",\"hisId\":\"HIS0001\",\"studyType\":0,"
                 "\"studyDate\":\"2025-01-15 09:30:00\",\"studyId\":\"S0001\",\"bodyPart\":"
                 "\"Chest\",\"studyName\":\"Chest CT\",\"h5Url\":\"https://h5.example/r/R0001\","
                 "\"h5DetailUrl\":\"https://h5.example/i/R0001\",\"reportId\":\"R0001\"}",
                 phone_hex, id_hex);
        check(signature != NULL &&
                  verify_into("demo-app", TOKEN, "demo-app", timestamp, signature, body,
                              strlen(body), 0, callback, sizeof callback, &needed) == 0 &&
                  strstr(callback, "\"phoneNum\":\"13800138000\"") != NULL,
              "the callback check through aimis_callback_verify_into");
        check(verify_into("demo-app", TOKEN, "demo-app", timestamp, "0000", body, strlen(body), 0,
                          callback, sizeof callback, &needed) == 13,
              "a bad signature is AIMIS_CALLBACK_REJECTED");
        string_free(signature);
    }
done:
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
