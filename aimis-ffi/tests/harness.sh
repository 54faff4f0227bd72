# What the shell test commands share (aimis-ffi/tests/run.sh, bindings/tests/run.sh):
# counting checks and suites, installing missing tools, starting the servers and
# stopping them on exit. Sourced; expects $work (a scratch directory, removed on exit)
# and counts into $passed and $failed.

passed=0
failed=0

# The servers the suite started (start_listening), stopped on exit with $work removed.
sim_pids=()
cleanup() {
    local pid
    for pid in "${sim_pids[@]}"; do
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

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

# start_listening NAME WHAT ARGS...: starts the Linux `aimis ARGS` (built by
# build_or_exit, or $AIMIS_BIN when set; its pid joins $sim_pids, which the caller stops)
# and sets $listening_url from its first line, `aimis WHAT listening on URL`.
start_listening() {
    local name=$1 what=$2 line="" _
    shift 2
    "${AIMIS_BIN:-${CARGO_TARGET_DIR:-$root/target}/debug/aimis}" "$@" >"$work/$name.out" 2>"$work/$name.err" &
    sim_pids+=($!)
    for _ in $(seq 200); do
        line=$(head -n 1 "$work/$name.out" 2>/dev/null)
        [[ $line == "aimis $what listening on "* ]] && break
        sleep 0.05
    done
    listening_url=${line##* }
    [[ $line == "aimis $what listening on "* ]]
}
# start_sim NAME ARGS...: starts `aimis sim` and sets $sim_url.
start_sim() {
    local name=$1
    shift
    start_listening "$name" sim sim --listen 127.0.0.1:0 --app-id demo-app --token "$token" "$@" &&
        sim_url=$listening_url
}

# start_simulators: `aimis sim` plain and TLS and `aimis inbox serve` on loopback, each
# a counted check, and the variables the network suites read: AIMIS_SIM_URL,
# AIMIS_SIM_TLS_URL, AIMIS_SIM_CA, AIMIS_SIM_ADMIN_TOKEN, AIMIS_INBOX_URL and
# AIMIS_INBOX_STORE (a SQLite store in $work).
start_simulators() {
    # The admin routes' token: `aimis sim` reads it from here, and so does tests/admin.h.
    export AIMIS_SIM_ADMIN_TOKEN=c-suite-admin-token
    if start_sim sim; then
        export AIMIS_SIM_URL=$sim_url
        pass "aimis sim listening on $AIMIS_SIM_URL"
    else
        fail "aimis sim did not start"
        sed 's/^/    /' "$work/sim.err"
    fi
    if start_sim sim-tls --tls --ca-out "$work/sim-ca.pem"; then
        export AIMIS_SIM_TLS_URL=$sim_url AIMIS_SIM_CA="$work/sim-ca.pem"
        pass "aimis sim --tls listening on $AIMIS_SIM_TLS_URL"
    else
        fail "aimis sim --tls did not start"
        sed 's/^/    /' "$work/sim-tls.err"
    fi

    # The receiving side, for the inbox tests: the simulator's callbacks go to a real
    # `aimis inbox serve` on a store of its own.
    export AIMIS_INBOX_STORE="sqlite:$work/inbox.db"
    if start_listening inbox inbox inbox serve --listen 127.0.0.1:0 --store "$AIMIS_INBOX_STORE" \
        --app-id demo-app --token "$token"; then
        export AIMIS_INBOX_URL=$listening_url/
        pass "aimis inbox listening on $AIMIS_INBOX_URL"
    else
        fail "aimis inbox serve did not start"
        sed 's/^/    /' "$work/inbox.err"
    fi
}
