#!/usr/bin/env bash
# The inbox's PostgreSQL tests against a throwaway cluster: installs postgresql with apt
# when initdb is missing, runs initdb and pg_ctl as an unprivileged user in a temp dir
# (as root: the `nobody` user), listens on loopback only, runs the ignored PostgreSQL
# tests (the store scenarios, two receivers and two consumers on one database, and the
# CLI's kill -9 burst), and removes the cluster on
# exit, whatever happens.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

find_bin() {
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -n "$found" ] && [ -x "$found/initdb" ]; then echo "$found"; return; fi
    if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
        dirname "$(command -v initdb)"
    fi
}
bin=$(find_bin)
if [ -z "$bin" ]; then
    echo "postgres.sh: installing postgresql with apt"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
    bin=$(find_bin)
fi
[ -n "$bin" ] || { echo "postgres.sh: no initdb after installing postgresql" >&2; exit 1; }

dir=$(mktemp -d /tmp/aimis-inbox-pg.XXXXXX)
as_user=()
user=$(id -un)
if [ "$(id -u)" = 0 ]; then
    user=nobody
    chown "$user" "$dir"
    as_user=(runuser -u "$user" --)
fi
chmod 700 "$dir"
# A free loopback port.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop() {
    "${as_user[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap stop EXIT
"${as_user[@]}" "$bin/initdb" -D "$dir/data" -U "$user" --auth=trust -E UTF8 >/dev/null
"${as_user[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=on" start >/dev/null
export AIMIS_INBOX_TEST_POSTGRES="postgres://$user@127.0.0.1:$port/postgres"
cargo test --locked -p aimis-inbox --test postgres -- --include-ignored
# The CLI end to end on PostgreSQL: kill -9 in the middle of a burst.
cargo test --locked -p aimis-cli --test inbox kill_9_on_postgres -- --include-ignored
