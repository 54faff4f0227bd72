// aimis.h used from C++: it compiles with -Wall -Wextra -Werror -pedantic, its
// declarations have C linkage (this links against libaimis), and the handles fit RAII.
#include <memory>
#include <string>

#include "harness.h"

namespace {

struct string_deleter {
    void operator()(char *s) const { aimis_string_free(s); }
};
using aimis_string = std::unique_ptr<char, string_deleter>;

struct client_deleter {
    void operator()(aimis_client *c) const { aimis_client_free(c); }
};

void known_answer_through_cpp(void) {
    char *raw = nullptr;
    CHECK_RESULT(aimis_encrypt_field("0123456789abcdef0123456789abcdef", "hello", &raw), AIMIS_OK);
    aimis_string hex(raw);
    CHECK(hex && std::string(hex.get()) == "a59c096412eecb79830021104f861307");
}

void handles_fit_unique_ptr(void) {
    aimis_client *raw = nullptr;
    CHECK_RESULT(aimis_client_new("demo-app", "0123456789abcdef0123456789abcdef", nullptr, &raw),
                 AIMIS_OK);
    std::unique_ptr<aimis_client, client_deleter> client(raw);
    char *response = nullptr;
    CHECK_RESULT(aimis_client_call(client.get(), "noSuchEndpoint", "{}", &response),
                 AIMIS_UNKNOWN_ENDPOINT);
    CHECK(response == nullptr);
    CHECK(std::string(aimis_version()) == AIMIS_VERSION_STRING);
}

}  // namespace

int main() {
    static const harness_test tests[] = {
        TEST_ENTRY(known_answer_through_cpp),
        TEST_ENTRY(handles_fit_unique_ptr),
    };
    return harness_run("cpp", tests, sizeof tests / sizeof tests[0]);
}
