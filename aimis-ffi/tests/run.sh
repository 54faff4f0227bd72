#!/usr/bin/env bash
# The libaimis test command. Builds libaimis and the simulator, installs libaimis into a
# scratch prefix with `make install`, builds the C and C++ suites and the example against
# that install through pkg-config (dynamic and static), starts `aimis sim` (plain and TLS)
# on loopback, runs everything plainly, under valgrind and under ASan, and stops the
# simulators on exit. The last line is `N passed, N failed`; the exit status is non-zero
# on any failure.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ffi=$(dirname "$here")
root=$(dirname "$ffi")
token=0123456789abcdef0123456789abcdef
work=$(mktemp -d "${TMPDIR:-/tmp}/aimis-ffi-tests.XXXXXX")
# shellcheck source=harness.sh
source "$here/harness.sh"

# --- tools ---------------------------------------------------------------------------
missing=()
command -v gcc >/dev/null || missing+=(gcc)
command -v g++ >/dev/null || missing+=(g++)
command -v make >/dev/null || missing+=(make)
command -v pkg-config >/dev/null || missing+=(pkg-config)
command -v valgrind >/dev/null || missing+=(valgrind)
command -v python3 >/dev/null || missing+=(python3)
install_missing "${missing[@]}"

# --- build ---------------------------------------------------------------------------
cd "$root" || exit 1
build_or_exit
step "aimis.h is current (cargo run -p xtask -- check)" generated_is_current 'aimis-ffi/include/aimis.h'

echo "== cargo test -p aimis-ffi"
cargo test -q -p aimis-ffi >"$work/cargo-test.log" 2>&1
cargo_status=$?
read -r p f < <(sed -n 's/^test result: .*\. \([0-9]*\) passed; \([0-9]*\) failed.*/\1 \2/p' "$work/cargo-test.log" | tail -n 1)
passed=$((passed + ${p:-0}))
failed=$((failed + ${f:-0}))
if [[ $cargo_status -ne 0 ]]; then
    [[ ${f:-0} -eq 0 ]] && fail "cargo test -p aimis-ffi (status $cargo_status)"
    sed 's/^/    /' "$work/cargo-test.log" | tail -n 40
fi
echo "   ${p:-0} passed, ${f:-0} failed"

prefix="$work/prefix"
# Not stripped (STRIP=:): valgrind's suppressions and the sanitizers' reports name functions.
step "make install PREFIX=..." make -s -C "$ffi" install PREFIX="$prefix" PROFILE=debug STRIP=:
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
step "pkg-config finds aimis $(sed -n 's/^#define AIMIS_VERSION_STRING "\(.*\)"/\1/p' "$ffi/include/aimis.h")" \
    bash -c 'test "$(pkg-config --modversion aimis)" = "$(sed -n "s/^#define AIMIS_VERSION_STRING \"\(.*\)\"/\1/p" "$0")"' \
    "$ffi/include/aimis.h"

read -r -a cflags < <(pkg-config --cflags aimis)
read -r -a libs < <(pkg-config --libs aimis)
# Static: the archive by name, then what pkg-config --static lists besides -laimis.
read -r -a static_libs < <(pkg-config --static --libs aimis | sed 's/-laimis\b/-l:libaimis.a/')
rpath="-Wl,-rpath,$prefix/lib"
strict_c=(gcc -std=c99 -Wall -Wextra -Werror -pedantic -g)
strict_cxx=(g++ -Wall -Wextra -Werror -pedantic -g)
bin="$work/bin"
mkdir -p "$bin"

printf '#include <aimis.h>\nint main(void) { return AIMIS_OK; }\n' >"$work/header.c"
cp "$work/header.c" "$work/header.cpp"
step "aimis.h compiles as C99 (-Wall -Wextra -Werror -pedantic)" \
    "${strict_c[@]}" "${cflags[@]}" -c "$work/header.c" -o "$work/header_c.o"
step "aimis.h compiles as C++ (-Wall -Wextra -Werror -pedantic)" \
    "${strict_cxx[@]}" "${cflags[@]}" -c "$work/header.cpp" -o "$work/header_cpp.o"

# The shared conformance vectors, as a C header (the C suite has no JSON parser).
step "tests/vectors/*.json as vectors.h (vectors_to_c.py)" \
    bash -c 'python3 "$0/vectors_to_c.py" "$1/tests/vectors/callbacks.json" "$1/tests/vectors/crypto.json" >"$2/vectors.h"' \
    "$here" "$root" "$work"
tests_c=(-I"$here" -I"$work" "${cflags[@]}")
step "build test_offline (dynamic)" "${strict_c[@]}" "${tests_c[@]}" "$here/test_offline.c" -o "$bin/test_offline" "${libs[@]}" "$rpath"
step "build test_offline (static)" "${strict_c[@]}" "${tests_c[@]}" "$here/test_offline.c" -o "$bin/test_offline_static" "${static_libs[@]}"
step "build test_sim (dynamic)" "${strict_c[@]}" "${tests_c[@]}" "$here/test_sim.c" -o "$bin/test_sim" "${libs[@]}" -lpthread "$rpath"
step "build test_sim (static)" "${strict_c[@]}" "${tests_c[@]}" "$here/test_sim.c" -o "$bin/test_sim_static" "${static_libs[@]}" -lpthread
step "build test_vectors (dynamic)" "${strict_c[@]}" "${tests_c[@]}" "$here/test_vectors.c" -o "$bin/test_vectors" "${libs[@]}" "$rpath"
step "build header_cpp (C++)" "${strict_cxx[@]}" "${tests_c[@]}" "$here/header_cpp.cpp" -o "$bin/header_cpp" "${libs[@]}" "$rpath"
step "build examples/query_studies.c (dynamic)" "${strict_c[@]}" "${cflags[@]}" "$ffi/examples/query_studies.c" -o "$bin/query_studies" "${libs[@]}" "$rpath"
step "build examples/query_studies.c (static)" "${strict_c[@]}" "${cflags[@]}" "$ffi/examples/query_studies.c" -o "$bin/query_studies_static" "${static_libs[@]}"
step "the dynamic build loads libaimis.so.0" bash -c 'readelf -d "$0" | grep -q "NEEDED.*\[libaimis\.so\.0\]"' "$bin/test_sim"
step "the static build needs no libaimis.so" bash -c '! readelf -d "$0" | grep -q "libaimis"' "$bin/test_sim_static"

asan=(-fsanitize=address,undefined -fno-omit-frame-pointer)
asan_ok=0
if "${strict_c[@]}" "${asan[@]}" "${tests_c[@]}" "$here/test_offline.c" -o "$bin/test_offline_asan" "${libs[@]}" "$rpath" 2>"$work/asan.log" &&
    "${strict_c[@]}" "${asan[@]}" "${tests_c[@]}" "$here/test_sim.c" -o "$bin/test_sim_asan" "${libs[@]}" -lpthread "$rpath" 2>>"$work/asan.log" &&
    "${strict_c[@]}" "${asan[@]}" "${tests_c[@]}" "$here/test_vectors.c" -o "$bin/test_vectors_asan" "${libs[@]}" "$rpath" 2>>"$work/asan.log"; then
    asan_ok=1
else
    echo "   (ASan is not available with this compiler; skipping the ASan runs)"
fi

# --- simulators ----------------------------------------------------------------------
start_simulators

# --- run -----------------------------------------------------------------------------
# An exit status of its own, which a forked worker's count of wrong lookups cannot be.
valgrind=(valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,possible
    --suppressions="$here/valgrind.supp" -q)

suite "offline (dynamic)" "$bin/test_offline"
suite "offline (static)" "$bin/test_offline_static"
suite "sim (dynamic)" "$bin/test_sim"
suite "sim (static)" "$bin/test_sim_static"
suite "vectors (tests/vectors)" "$bin/test_vectors"
suite "C++" "$bin/header_cpp"
suite "offline under valgrind" "${valgrind[@]}" "$bin/test_offline"
suite "sim under valgrind" "${valgrind[@]}" "$bin/test_sim"
suite "vectors under valgrind" "${valgrind[@]}" "$bin/test_vectors"
if ((asan_ok)); then
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
    export LSAN_OPTIONS=suppressions="$here/lsan.supp"
    suite "offline under ASan+UBSan" "$bin/test_offline_asan"
    suite "sim under ASan+UBSan" "$bin/test_sim_asan"
    suite "vectors under ASan+UBSan" "$bin/test_vectors_asan"
fi

example_works() {
    AIMIS_APP_ID=demo-app AIMIS_TOKEN=$token AIMIS_BASE_URL=$AIMIS_SIM_URL "$1" >"$work/example.out" &&
        grep -q '"reportId":"R0001"' "$work/example.out"
}
example_reports_errors() {
    ! AIMIS_APP_ID=demo-app AIMIS_TOKEN=too-short AIMIS_BASE_URL=$AIMIS_SIM_URL "$1" 2>"$work/example.err" &&
        grep -q 'AIMIS_CONFIG' "$work/example.err" &&
        ! AIMIS_APP_ID=demo-app AIMIS_TOKEN=fedcba9876543210fedcba9876543210 AIMIS_BASE_URL=$AIMIS_SIM_URL "$1" 2>"$work/example.err" &&
        grep -q 'code 90002' "$work/example.err"
}
step "example (dynamic) lists the demo patient's studies" example_works "$bin/query_studies"
step "example (static) lists the demo patient's studies" example_works "$bin/query_studies_static"
step "example reports a bad token and a refused signature" example_reports_errors "$bin/query_studies"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
