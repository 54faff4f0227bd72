# What the shell test commands share (aimis-ffi/tests/run.sh, bindings/tests/run.sh):
# counting checks and suites, and installing missing tools. Sourced; expects $work (a
# scratch directory) and counts into $passed and $failed.

passed=0
failed=0

pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }

# step NAME COMMAND...: one check; its output is shown only when it fails.
step() {
    local name=$1
    shift
    if "$@" >"$work/step.log" 2>&1; then
        pass "$name"
    else
        fail "$name"
        sed 's/^/    /' "$work/step.log" | tail -n 60
    fi
}

# suite NAME COMMAND...: a test program ending in `N passed, N failed`; its counts are
# added, and a crash, a non-zero exit without a counted failure, or no summary line is
# one more failure.
suite() {
    local name=$1 status counts p f
    shift
    echo "== $name"
    "$@" >"$work/suite.log" 2>&1
    status=$?
    grep -v '^ok ' "$work/suite.log" | grep -v -E '^[0-9]+ passed, [0-9]+ failed$' | sed 's/^/    /'
    counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$work/suite.log" | tail -n 1)
    p=$(echo "$counts" | awk '{print $1}')
    f=$(echo "$counts" | awk '{print $3}')
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    if [[ $status -ne 0 && ${f:-0} -eq 0 ]]; then
        fail "$name exited with status $status"
    elif [[ -z $counts ]]; then
        fail "$name printed no summary"
    fi
    echo "   ${p:-0} passed, ${f:-0} failed"
}

# install_missing PACKAGE...: installs Debian packages with apt-get (through sudo when
# not root); nothing when none is given.
install_missing() {
    (($#)) || return 0
    echo "installing $*"
    local sudo_cmd=()
    [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq &&
        DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "$@" >/dev/null
}

# build_or_exit: builds libaimis and `aimis sim` from the workspace root (the current
# directory); if that fails there is nothing to test: the summary, and exit 1.
build_or_exit() {
    echo "== building libaimis and aimis sim"
    if ! cargo build -q -p aimis-ffi -p aimis-cli; then
        fail "cargo build -p aimis-ffi -p aimis-cli"
        echo "$passed passed, $failed failed"
        exit 1
    fi
    pass "cargo build -p aimis-ffi -p aimis-cli"
}

# generated_is_current PATTERN: `xtask check` passes, or only artefacts not matching the
# grep PATTERN are stale (another suite's business). Anything else (xtask does not build
# or run) is a failure.
generated_is_current() {
    cargo run -q -p xtask -- check >"$work/xtask.log" 2>&1 && return 0
    cat "$work/xtask.log"
    grep -q "$1" "$work/xtask.log" && return 1
    ! grep -v ' is stale: ' "$work/xtask.log" | grep -q .
}
