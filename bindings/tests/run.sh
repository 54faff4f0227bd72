#!/usr/bin/env bash
# The language bindings' test command: installs Mono, OpenJDK with JNA and Free Pascal
# from Debian's packages when missing, checks the generated bindings are current, builds
# libaimis and `aimis sim`, starts the simulator on loopback with bindings/tests/
# fixtures.json (the default patients plus one with Chinese text), then compiles and runs
# the C#, Java and Pascal test programs against it, and checks the PowerBuilder and VB6
# declarations against aimis.h. Each program prints `ok NAME` /
# `FAIL NAME` and `N passed, N failed`; the last line here adds them up, and the exit
# status is non-zero on any failure.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bindings=$(dirname "$here")
root=$(dirname "$bindings")
token=0123456789abcdef0123456789abcdef
work=$(mktemp -d "${TMPDIR:-/tmp}/aimis-bindings-tests.XXXXXX")
# shellcheck source=../../aimis-ffi/tests/harness.sh
source "$root/aimis-ffi/tests/harness.sh"

# --- tools ---------------------------------------------------------------------------
missing=()
command -v mcs >/dev/null || missing+=(mono-mcs)
command -v mono >/dev/null || missing+=(mono-runtime)
# GB18030 for the C# client's text encoding (.NET Framework has it built in).
[[ -f /usr/lib/mono/4.5/I18N.CJK.dll ]] || missing+=(libmono-i18n-cjk4.0-cil)
command -v javac >/dev/null || missing+=(default-jdk-headless)
[[ -f /usr/share/java/jna.jar ]] || missing+=(libjna-java)
command -v fpc >/dev/null || missing+=(fpc)
install_missing "${missing[@]}"

# --- build ---------------------------------------------------------------------------
cd "$root" || exit 1
build_or_exit
step "bindings/ is current (cargo run -p xtask -- check)" generated_is_current '^bindings/'

# libaimis.so as the languages look for it: `aimis` on the library path.
target=${CARGO_TARGET_DIR:-$root/target}
lib="$work/lib"
mkdir -p "$lib"
cp "$target/debug/libaimis.so" "$lib/libaimis.so"
ln -s libaimis.so "$lib/libaimis.so.0"
export LD_LIBRARY_PATH="$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

# --- simulator -----------------------------------------------------------------------
# The admin routes' token (`aimis sim` reads it from here; the inbox tests advance a study).
export AIMIS_SIM_ADMIN_TOKEN=bindings-suite-admin-token
if start_sim sim --fixtures "$here/fixtures.json"; then
    export AIMIS_SIM_URL=$sim_url
    pass "aimis sim listening on $AIMIS_SIM_URL"
else
    fail "aimis sim did not start"
    sed 's/^/    /' "$work/sim.err"
    echo "$passed passed, $failed failed"
    exit 1
fi
export AIMIS_TOKEN=$token AIMIS_APP_ID=demo-app

# The receiving side, for the inbox tests: `aimis inbox serve` on a SQLite store of its
# own, which the simulator's callbacks are sent to and the bindings consume from.
if start_listening inbox inbox inbox serve --listen 127.0.0.1:0 --store "sqlite:$work/inbox.db" \
    --app-id demo-app --token "$token"; then
    export AIMIS_INBOX_URL=$listening_url/ AIMIS_INBOX_STORE="sqlite:$work/inbox.db"
    pass "aimis inbox listening on $AIMIS_INBOX_URL"
else
    fail "aimis inbox serve did not start"
    sed 's/^/    /' "$work/inbox.err"
fi

# --- C# (Mono) -----------------------------------------------------------------------
cs="$work/cs"
mkdir -p "$cs"
if step "C#: mcs builds Aimis.cs and the test program" \
    mcs -codepage:utf8 -warnaserror -out:"$cs/AimisTests.exe" \
    "$bindings/csharp/Aimis.cs" "$here/csharp/AimisTests.cs"; then
    suite "C# (Mono)" mono --debug "$cs/AimisTests.exe"
fi

# --- Java (OpenJDK + JNA) ------------------------------------------------------------
java_out="$work/java"
mkdir -p "$java_out"
jna=/usr/share/java/jna.jar
if step "Java: javac (--release 8) builds Aimis.java and the test program" \
    javac --release 8 -Xlint:all -Werror -encoding UTF-8 -cp "$jna" -d "$java_out" \
    "$bindings/java/aimis/Aimis.java" "$here/java/AimisTests.java"; then
    suite "Java (JNA)" java -Djna.library.path="$lib" -cp "$java_out:$jna" AimisTests
fi

# --- Free Pascal ---------------------------------------------------------------------
pas="$work/pascal"
mkdir -p "$pas"
if step "Pascal: fpc builds aimis.pas and the test program" \
    fpc -Mdelphi -vew -Sew -Fu"$bindings/pascal" -Fl"$lib" -FU"$pas" -FE"$pas" \
    "$here/pascal/aimis_tests.pas"; then
    suite "Free Pascal" "$pas/aimis_tests"
fi
# The Win32 branch of the unit (stdcall) compiles too; no Win32 Free Pascal is here to run it.
mkdir -p "$pas/win32"
step "Pascal: the unit's Win32 (stdcall) declarations compile (fpc -dWIN32)" \
    fpc -Mdelphi -vew -Sew -dWIN32 -Fu"$bindings/pascal" -Fl"$lib" -FU"$pas/win32" -FE"$pas/win32" \
    "$here/pascal/aimis_tests.pas"

# --- PowerBuilder and VB6: no compiler here; the declarations checked against aimis.h ----
step "PowerBuilder and VB6 declarations match aimis.h and libaimis's exports" \
    python3 "$here/legacy_declarations.py" "$root/aimis-ffi/include/aimis.h" "$lib/libaimis.so" \
    "$bindings/powerbuilder/n_aimis.sru" "$bindings/vb6/Aimis.bas" \
    "$bindings/examples/query_studies.pbl.txt" "$bindings/examples/QueryStudies.bas"

# --- the README's examples: one generated file, one example, one verified call --------
examples="$bindings/examples"
readme_shows() {
    python3 - "$bindings/README.md" "$@" <<'PY'
import sys
readme = open(sys.argv[1], encoding="utf-8").read()
missing = [f for f in sys.argv[2:] if open(f, encoding="utf-8").read().strip() not in readme]
for f in missing:
    print(f"{f} is not in bindings/README.md word for word")
sys.exit(1 if missing else 0)
PY
}
step "bindings/README.md shows each example word for word" \
    readme_shows "$examples/QueryStudies.cs" "$examples/QueryStudies.java" "$examples/query_studies.dpr" \
    "$examples/query_studies.pbl.txt" "$examples/QueryStudies.bas"

# example_works NAME COMMAND...: lists the demo patient's studies against the simulator,
# and with another token reports the platform's refusal (90002) and exits non-zero.
example_works() {
    AIMIS_BASE_URL=$AIMIS_SIM_URL "$@" >"$work/example.out" 2>"$work/example.err" ||
        { cat "$work/example.err"; return 1; }
    grep -q '"reportId":"R0001"' "$work/example.out" || { cat "$work/example.out"; return 1; }
    if AIMIS_BASE_URL=$AIMIS_SIM_URL AIMIS_TOKEN=fedcba9876543210fedcba9876543210 "$@" \
        >"$work/example.out" 2>"$work/example.err"; then
        echo "a wrong token did not fail"
        return 1
    fi
    grep -q '90002' "$work/example.err" || { cat "$work/example.err"; return 1; }
}
ex="$work/examples"
mkdir -p "$ex"
if step "C# example builds (mcs QueryStudies.cs Aimis.cs)" \
    mcs -warnaserror -out:"$ex/QueryStudies.exe" "$examples/QueryStudies.cs" "$bindings/csharp/Aimis.cs"; then
    step "C# example lists the demo patient's studies" example_works mono "$ex/QueryStudies.exe"
fi
if step "Java example builds (javac QueryStudies.java aimis/Aimis.java)" \
    javac --release 8 -Xlint:all -Werror -cp "$jna" -d "$ex" "$examples/QueryStudies.java" "$bindings/java/aimis/Aimis.java"; then
    step "Java example lists the demo patient's studies" \
        example_works java -Djna.library.path="$lib" -cp "$ex:$jna" QueryStudies
fi
if step "Pascal example builds (fpc query_studies.dpr)" \
    fpc -Mdelphi -vew -Sew -Fu"$bindings/pascal" -Fl"$lib" -FU"$ex" -FE"$ex" "$examples/query_studies.dpr"; then
    step "Pascal example lists the demo patient's studies" example_works "$ex/query_studies"
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
