#!/usr/bin/env bash
# The inbox's /metrics checked by Prometheus's own linter: installs `promtool` (Debian's
# `prometheus` package) when it is missing, then runs the metrics test with promtool
# required, so that a machine without it cannot pass by skipping the check.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if ! command -v promtool >/dev/null; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends prometheus
fi
cd "$root"
AIMIS_REQUIRE_PROMTOOL=1 cargo test -p aimis-inbox --test metrics
