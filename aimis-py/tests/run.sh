#!/usr/bin/env bash
# The Python module's test command. On a machine with only Rust and Python >= 3.9 + pip:
# installs the package as a user would (`pip install ./aimis-py`, maturin through the
# pyproject build backend) into target/py-venv, checks the committed generated source
# (aimis/_generated.py) is current, that the native module's stub agrees with the built
# module (mypy stubtest) and that the package type-checks, builds `aimis sim` and runs the
# pytest suite against it. Exits non-zero on any failure, including pytest finding no tests.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
venv="$target/py-venv"
python="${PYTHON:-python3}"
export PIP_DISABLE_PIP_VERSION_CHECK=1

cd "$root"
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet pytest mypy hypothesis "tomli; python_version < '3.11'"
# AsyncClient's tests run under uvloop too; where it cannot be installed they say so and skip.
"$venv/bin/python" -m pip install --quiet "uvloop; sys_platform != 'win32'" ||
    echo "uvloop could not be installed: the AsyncClient tests under uvloop will skip" >&2
# --force-reinstall: rebuild from the working tree even when the version is unchanged.
"$venv/bin/python" -m pip install --quiet --force-reinstall --no-deps ./aimis-py

echo "== generated files are current (cargo run -p xtask -- check)"
cargo run --quiet -p xtask -- check

echo "== the stubs agree with the built module (mypy stubtest)"
# From outside the tree, so `aimis` is the installed package.
(cd "$target" && "$venv/bin/python" -m mypy.stubtest aimis)

echo "== the package type-checks (mypy --strict)"
"$venv/bin/python" -m mypy --strict --no-incremental aimis-py/python/aimis

echo "== aimis sim (cargo build -p aimis-cli)"
cargo build --quiet -p aimis-cli

echo "== pytest"
status=0
(cd "$root/aimis-py" && AIMIS_BIN="$target/debug/aimis" "$venv/bin/python" -m pytest -p no:cacheprovider tests) || status=$?
if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests" >&2
fi
exit "$status"
