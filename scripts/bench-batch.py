"""The batch benchmark of issue 12, against `aimis sim` on loopback, with release builds:

1. throughput: 10,000 patientStudies queries with 32 in flight against a platform that
   takes 20 ms per answer (`--fault latency=20`); the ideal is 32 / 0.020 s = 1,600
   queries/s, and the achieved rate is printed beside it with their ratio (target 0.85);
2. memory: `aimis batch` over a 100,000-row input (no latency), its peak resident memory
   (target: under 100 MB).

    cargo build --release -p aimis-cli && python3 scripts/bench-batch.py

Run it on an idle machine: the simulator shares it.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AIMIS = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "release" / "aimis"
APP_ID, TOKEN = "demo-app", "0123456789abcdef0123456789abcdef"
REQUEST = {
    "phoneNum": "13800138000", "idNum": "110101199003074518", "hospitalId": "H0001",
    "unionId": "U0001", "studyType": 0, "dataFlag": 0, "usage": 2,
    "studyDateBegin": "2025-01-01 00:00:00", "studyDateEnd": "2025-12-31 23:59:59",
}


def start_sim(*faults: str) -> tuple[subprocess.Popen, str]:
    args = [str(AIMIS), "sim", "--listen", "127.0.0.1:0", "--app-id", APP_ID, "--token", TOKEN,
            "--admin-token", "bench"]
    for fault in faults:
        args += ["--fault", fault]
    sim = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    line = sim.stdout.readline().strip()
    return sim, line.rsplit(" ", 1)[-1]


def batch(url: str, rows: int, concurrency: int, work: Path) -> tuple[float, float]:
    """Runs `aimis batch` on `rows` copies of REQUEST; its wall time and peak RSS in MiB."""
    source, target = work / f"in-{rows}.jsonl", work / f"out-{rows}.jsonl"
    line = json.dumps(REQUEST) + "\n"
    source.write_text(line * rows)
    target.unlink(missing_ok=True)
    env = {**os.environ, "AIMIS_APP_ID": APP_ID, "AIMIS_TOKEN": TOKEN, "AIMIS_BASE_URL": url}
    started = time.monotonic()
    child = subprocess.Popen([str(AIMIS), "batch", "patient-studies", "--input", str(source),
                              "--output", str(target), "--concurrency", str(concurrency)],
                             env=env, stderr=subprocess.DEVNULL)
    # wait4: this child's own peak memory, not that of any other child reaped meanwhile.
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.monotonic() - started
    assert os.waitstatus_to_exitcode(status) == 0, status
    outcomes = sum(1 for _ in target.open())
    ok = sum(1 for l in target.open() if '"ok":true' in l)
    assert outcomes == rows and ok == rows, (outcomes, ok)
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    if not AIMIS.is_file():
        sys.exit(f"{AIMIS} is missing: cargo build --release -p aimis-cli")
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sim, url = start_sim("latency=20")
        try:
            rows, concurrency, latency = 10_000, 32, 0.020
            elapsed, _ = batch(url, rows, concurrency, work)
        finally:
            sim.kill()
            sim.wait()
        ideal = concurrency / latency
        achieved = rows / elapsed
        print(f"throughput: {rows} queries, {concurrency} in flight, 20 ms each: "
              f"{achieved:.0f}/s of an ideal {ideal:.0f}/s, ratio {achieved / ideal:.2f} (target 0.85)")

        sim, url = start_sim()
        try:
            elapsed, peak = batch(url, 100_000, 32, work)
        finally:
            sim.kill()
            sim.wait()
        print(f"memory: 100,000 rows in {elapsed:.1f} s, aimis batch's peak resident memory "
              f"{peak:.1f} MiB (target under 100 MB)")


if __name__ == "__main__":
    main()
