#!/usr/bin/env bash
# The Windows test command: builds aimis.dll for x86 and x64 (scripts/windows-dll,
# which also checks the exports and the import tables), compiles the C suite with each
# mingw compiler against the DLL and its header, and runs it under Wine, in prefixes of
# its own under target/windows/, in a Chinese locale (code page 936), against the Linux
# `aimis sim` and `aimis inbox serve` on loopback. What needs Linux-only tools (valgrind,
# ASan, fork, POSIX file modes) stays in tests/run.sh. On x86 and x64 also a program
# binding the DLL by name with LoadLibrary/GetProcAddress through __stdcall pointers,
# and the README's Windows example as written. Installs mingw-w64, Wine (with the i386
# architecture) and Debian's Rust toolchain with apt when missing. The last line is
# `N passed, N failed`; the exit status is non-zero on any failure.
#
# Usage: aimis-ffi/tests/wine.sh [x86|x64]...   (both when none is given)
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ffi=$(dirname "$here")
root=$(dirname "$ffi")
token=0123456789abcdef0123456789abcdef
archs=("$@")
((${#archs[@]})) || archs=(x86 x64)
windows=${CARGO_TARGET_DIR:-$root/target}/windows
work=$(mktemp -d "${TMPDIR:-/tmp}/aimis-wine-tests.XXXXXX")
# shellcheck source=harness.sh
source "$here/harness.sh"

# --- tools ---------------------------------------------------------------------------
missing=()
command -v python3 >/dev/null || missing+=(python3)
command -v localedef >/dev/null || missing+=(locales)
command -v wine >/dev/null || missing+=(wine)
# The header is compiled as C++ too (scripts/windows-dll installs the C compilers).
command -v i686-w64-mingw32-g++ >/dev/null || missing+=(g++-mingw-w64-i686)
command -v x86_64-w64-mingw32-g++ >/dev/null || missing+=(g++-mingw-w64-x86-64)
command -v wine64 >/dev/null || [[ -x /usr/lib/wine/wine64 ]] || missing+=(wine64)
if ! dpkg -s wine32:i386 >/dev/null 2>&1; then
    sudo_cmd=()
    [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
    dpkg --print-foreign-architectures | grep -qx i386 || "${sudo_cmd[@]}" dpkg --add-architecture i386
    missing+=(wine32:i386)
fi
install_missing "${missing[@]}"

# --- build ---------------------------------------------------------------------------
cd "$root" || exit 1
build_or_exit
if ! bash "$root/scripts/windows-dll" "${archs[@]}"; then
    fail "scripts/windows-dll ${archs[*]}"
    echo "$passed passed, $failed failed"
    exit 1
fi
pass "scripts/windows-dll ${archs[*]}: DLLs built, exports undecorated, imports Windows 7's only"

# Wine takes its ANSI code page from the locale: zh_CN.GB18030 makes GetACP() 936.
# Generated once into target/windows/locale when the system lacks it (no root needed).
locale_name=zh_CN.GB18030
if ! locale -a 2>/dev/null | grep -qix 'zh_CN\.gb18030'; then
    export LOCPATH=$windows/locale
    if [[ ! -d $LOCPATH/$locale_name ]]; then
        mkdir -p "$LOCPATH"
        step "localedef $locale_name" localedef -i zh_CN -f GB18030 "$LOCPATH/$locale_name"
    fi
fi

python3 "$here/vectors_to_c.py" "$root/tests/vectors/callbacks.json" "$root/tests/vectors/crypto.json" \
    >"$work/vectors.h"

start_simulators

# wine_run ARCH PROGRAM...: PROGRAM under Wine in ARCH's prefix and the Chinese locale,
# its CRLF output as LF.
wine_run() {
    local arch=$1
    shift
    WINEPREFIX=$windows/wine-$arch LC_ALL=$locale_name WINEDEBUG=-all \
        wine "$@" 2>&1 | tr -d '\r'
    return "${PIPESTATUS[0]}"
}

# A program that prints the system's ANSI code page, to check the locale took.
printf '#include <stdio.h>\n#include <windows.h>\nint main(void) { printf("%%u\\n", GetACP()); return 0; }\n' \
    >"$work/acp.c"

for arch in "${archs[@]}"; do
    case $arch in
    x86) cc=i686-w64-mingw32-gcc winearch=win32 ;;
    x64) cc=x86_64-w64-mingw32-gcc winearch=win64 ;;
    *)
        fail "unknown architecture \`$arch\`: x86 or x64"
        continue
        ;;
    esac
    dll_dir=$windows/$arch
    bin=$work/bin-$arch
    mkdir -p "$bin"
    cp "$dll_dir/aimis.dll" "$bin/"
    echo "== $arch ($cc, Wine $winearch prefix $windows/wine-$arch)"
    if [[ ! -f $windows/wine-$arch/system.reg ]]; then
        # No Mono or Gecko: nothing here needs them, and their installers would ask.
        step "a $winearch Wine prefix" env WINEPREFIX="$windows/wine-$arch" WINEARCH=$winearch \
            WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" wineboot --init
    fi

    # The test programs link the mingw runtime statically (-static) so that only
    # aimis.dll and system DLLs are loaded; the DLL through its import library.
    strict=("$cc" -std=c99 -Wall -Wextra -Werror -pedantic -O1 -static)
    tests_c=(-I"$here" -I"$work" -I"$dll_dir")
    step "$arch: aimis.h compiles as C++ with ${cc/gcc/g++}" \
        "${cc/gcc/g++}" -Wall -Wextra -Werror -pedantic -I"$dll_dir" -c "$here/header_cpp.cpp" -o "$bin/header_cpp.o"
    for t in test_offline test_sim test_vectors; do
        extra=(-lpthread) # clock_gettime, and the threads of test_sim
        [[ $t == test_sim ]] && extra+=(-lws2_32)
        step "$arch: build $t.exe" "${strict[@]}" "${tests_c[@]}" "$here/$t.c" -o "$bin/$t.exe" \
            "$dll_dir/libaimis.dll.a" "${extra[@]}"
    done
    step "$arch: build test_loadlibrary.exe (no import library)" "${strict[@]}" \
        "$here/test_loadlibrary.c" -o "$bin/test_loadlibrary.exe"
    step "$arch: build acp.exe" "${strict[@]}" "$work/acp.c" -o "$bin/acp.exe"
    # The README's Windows example, built the way the README says.
    step "$arch: build examples/query_studies.c as the README says" \
        "$cc" -O2 -I"$dll_dir" "$ffi/examples/query_studies.c" -o "$bin/query_studies.exe" \
        -L"$dll_dir" -laimis -static-libgcc

    acp_is_936() { [[ $(wine_run "$arch" "$bin/acp.exe") == 936 ]]; }
    step "$arch: the Wine locale's ANSI code page is 936" acp_is_936
    (
        cd "$bin" || exit 1
        suite "$arch: offline (Wine)" wine_run "$arch" test_offline.exe
        suite "$arch: vectors (Wine)" wine_run "$arch" test_vectors.exe
        suite "$arch: sim (Wine)" wine_run "$arch" test_sim.exe
        suite "$arch: LoadLibrary/GetProcAddress, __stdcall pointers (Wine)" \
            wine_run "$arch" test_loadlibrary.exe
        echo "$passed $failed" >"$work/counts"
    )
    read -r passed failed <"$work/counts"
    example_works() {
        (cd "$bin" && AIMIS_APP_ID=demo-app AIMIS_TOKEN=$token AIMIS_BASE_URL=$AIMIS_SIM_URL \
            wine_run "$arch" query_studies.exe >"$work/example.out") &&
            grep -q '"reportId":"R0001"' "$work/example.out"
    }
    step "$arch: the README's example lists the demo patient's studies (Wine)" example_works
done

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
