#!/usr/bin/env bash
# The Python module's test command. On a machine with only Rust and Python >= 3.9 + pip:
# installs the package as a user would (`pip install ./aimis-py`, maturin through the
# pyproject build backend) into target/py-venv, checks the committed generated source
# (aimis/_generated.py) is current, that the native module's stub agrees with the built
# module (mypy stubtest) and that the package type-checks, builds `aimis sim` and runs the
# pytest suite against it. Exits non-zero on any failure, including pytest finding no tests.
#
# With --wheel, the release wheel instead, as a user installs it: a fresh virtualenv
# (target/py-wheel-venv) whose PATH has no working cargo or rustc installs
# dist/aimis-<version>-cp39-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl (written
# by scripts/dist) with `pip install --no-index --only-binary :all:`, and the stubtest,
# mypy and pytest run against it, the simulator being the `aimis` of dist/'s CLI archive.
# Nothing is compiled.
#
# Usage: aimis-py/tests/run.sh [--wheel]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
venv="$target/py-venv"
python="${PYTHON:-python3}"
export PIP_DISABLE_PIP_VERSION_CHECK=1
wheel_mode=false
[[ ${1:-} == --wheel ]] && wheel_mode=true

cd "$root"
if [[ $wheel_mode == true ]]; then
    version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"$/\1/p' Cargo.toml)
    wheel="$root/dist/aimis-$version-cp39-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl"
    cli_archive="$root/dist/aimis-cli-$version-linux-x86_64.tar.gz"
    for file in "$wheel" "$cli_archive"; do
        [[ -f $file ]] || {
            echo "no $file: scripts/dist writes it" >&2
            exit 1
        }
    done
    venv="$target/py-wheel-venv"
    rm -rf "$venv"
    # A user's PATH: cargo and rustc are the first found and fail, so that any attempt to
    # build from source shows.
    no_rust="$target/py-wheel-no-rust"
    mkdir -p "$no_rust"
    for tool in cargo rustc rustup maturin; do
        printf '#!/bin/sh\necho "%s is not installed on a user'"'"'s machine" >&2\nexit 127\n' "$tool" >"$no_rust/$tool"
        chmod +x "$no_rust/$tool"
    done
    export PATH="$no_rust:$PATH"
    cli_dir=$(mktemp -d "${TMPDIR:-/tmp}/aimis-py-wheel.XXXXXX")
    trap 'rm -rf "$cli_dir"' EXIT
    tar -xzf "$cli_archive" -C "$cli_dir"
    aimis_bin="$cli_dir/aimis-cli-$version-linux-x86_64/aimis"
else
    aimis_bin="$target/debug/aimis"
fi
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet pytest mypy hypothesis "tomli; python_version < '3.11'"
# AsyncClient's tests run under uvloop too; where it cannot be installed they say so and skip.
"$venv/bin/python" -m pip install --quiet "uvloop; sys_platform != 'win32'" ||
    echo "uvloop could not be installed: the AsyncClient tests under uvloop will skip" >&2
if [[ $wheel_mode == true ]]; then
    echo "== pip install --no-index $(basename "$wheel") (cargo and rustc unavailable)"
    "$venv/bin/python" -m pip install --quiet --no-index --only-binary :all: --no-deps "$wheel"
    (cd "$target" && "$venv/bin/python" -c '
import sys, aimis
assert aimis.__file__.startswith(sys.prefix), aimis.__file__
assert aimis.__version__ == sys.argv[1], aimis.__version__
print("aimis", aimis.__version__, "from", aimis.__file__)' "$version")
else
    # --force-reinstall: rebuild from the working tree even when the version is unchanged.
    "$venv/bin/python" -m pip install --quiet --force-reinstall --no-deps ./aimis-py

    echo "== generated files are current (cargo run -p xtask -- check)"
    cargo run --quiet -p xtask -- check
fi

echo "== the stubs agree with the built module (mypy stubtest)"
# From outside the tree, so `aimis` is the installed package.
(cd "$target" && "$venv/bin/python" -m mypy.stubtest aimis)

echo "== the package type-checks (mypy --strict)"
"$venv/bin/python" -m mypy --strict --no-incremental aimis-py/python/aimis

if [[ $wheel_mode == false ]]; then
    echo "== aimis sim (cargo build -p aimis-cli)"
    cargo build --quiet -p aimis-cli
fi

echo "== pytest"
status=0
(cd "$root/aimis-py" && AIMIS_BIN="$aimis_bin" "$venv/bin/python" -m pytest -p no:cacheprovider tests) || status=$?
if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests" >&2
fi
exit "$status"
