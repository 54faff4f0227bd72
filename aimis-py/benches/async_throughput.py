"""Throughput of ``aimis.AsyncClient`` from one event loop: 1,000 patientStudies calls,
at most 64 in flight, with the simulator holding each answer 20 ms, two ways in one run,
taking turns so that the machine's noise falls on both alike:

- `aimis`: ``await client.patient_studies(...)`` on an ``aimis.AsyncClient``;
- `by hand`: ``httpx.AsyncClient`` + ``cryptography``, the request signed and encrypted
  as in round_trip.py's by-hand path, plain dicts back;

and, for comparison, the same calls by `aimis batch --concurrency 64`: the Rust engine on
64 threads without Python, each outcome written to a file, its process start included.

Each is printed as a ratio of the ideal, 64 calls per 20 ms (target for aimis: at least
0.85). Run from the repository root, on a quiet machine (see `uptime`):

    pip install httpx requests cryptography   # for this script only; not dependencies of aimis
    cargo build --release -p aimis-cli
    python aimis-py/benches/async_throughput.py [--calls 1000] [--in-flight 64] [--rounds 3]

The simulator defaults to target/release/aimis (target/debug/aimis if there is none).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List

import httpx
from round_trip import APP_ID, ARGUMENTS, TOKEN, ByHand, sim_binary, start_sim

import aimis

LATENCY_MS = 20


class AsyncByHand(ByHand):
    """round_trip.py's by-hand client, its POST made with httpx's async client."""

    def __init__(self, base_url: str, app_id: str, token: str, in_flight: int) -> None:
        super().__init__(base_url, app_id, token)
        limits = httpx.Limits(max_connections=in_flight, max_keepalive_connections=in_flight)
        self.http = httpx.AsyncClient(limits=limits, timeout=10, trust_env=False)

    async def patient_studies_async(self, **arguments: Any) -> List[Dict[str, Any]]:
        headers, body = self.prepare(arguments)
        response = await self.http.post(self.url, content=body, headers=headers)
        response.raise_for_status()
        envelope = response.json()
        if envelope["code"] != 0:
            raise RuntimeError(f"AIMIS error {envelope['code']}")
        data: List[Dict[str, Any]] = envelope["data"]
        return data


def add_latency(base_url: str) -> None:
    """Every answer from now on is held LATENCY_MS."""
    request = urllib.request.Request(
        f"{base_url}/__admin/faults",
        data=json.dumps({"kind": "latency", "ms": LATENCY_MS}).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": "Bearer bench-admin-token"},
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=30):
        pass


async def throughput(call: Callable[[], Awaitable[Any]], calls: int, in_flight: int) -> float:
    """Calls a second, `calls` calls with at most `in_flight` at once."""
    slots = asyncio.Semaphore(in_flight)

    async def one() -> None:
        async with slots:
            await call()

    start = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(calls)))
    return calls / (time.perf_counter() - start)


def aimis_batch(binary: Path, base_url: str, calls: int, in_flight: int) -> float:
    """Calls a second of `aimis batch` making `calls` of the same calls, `in_flight` at once."""
    with tempfile.TemporaryDirectory() as scratch:
        rows, outcomes = Path(scratch) / "rows.csv", Path(scratch) / "outcomes.jsonl"
        with rows.open("w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(ARGUMENTS))
            writer.writeheader()
            writer.writerows([ARGUMENTS] * calls)
        command = [str(binary), "batch", "patient-studies", "--input", str(rows), "--output", str(outcomes),
                   "--concurrency", str(in_flight), "--base-url", base_url, "--app-id", APP_ID]
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env={**os.environ, "AIMIS_TOKEN": TOKEN})
        elapsed = time.perf_counter() - start
        assert all(json.loads(line)["ok"] for line in outcomes.open()), "a batch row failed"
    return calls / elapsed


def one_at_a_time(base_url: str, calls: int = 30) -> float:
    """Seconds per call with one call at a time: the simulator's hold, plus one round
    trip. What is above LATENCY_MS here no amount of concurrency can win back."""
    client = aimis.Client(app_id=APP_ID, token=TOKEN, base_url=base_url)
    client.patient_studies(**ARGUMENTS)
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        client.patient_studies(**ARGUMENTS)
        times.append(time.perf_counter() - start)
    client.close()
    return statistics.median(times)


async def measure(binary: Path, base_url: str, options: argparse.Namespace) -> Dict[str, List[float]]:
    client = aimis.AsyncClient(app_id=APP_ID, token=TOKEN, base_url=base_url)
    by_hand = AsyncByHand(base_url, APP_ID, TOKEN, options.in_flight)
    # The same answer both ways, before anything is timed.
    typed = await client.patient_studies(**ARGUMENTS)
    plain = await by_hand.patient_studies_async(**ARGUMENTS)
    assert typed and [s.to_dict()["reportId"] for s in typed] == [row["reportId"] for row in plain]

    paths: Dict[str, Callable[[], Awaitable[Any]]] = {
        "aimis": lambda: client.patient_studies(**ARGUMENTS),
        "by hand": lambda: by_hand.patient_studies_async(**ARGUMENTS),
    }
    rates: Dict[str, List[float]] = {name: [] for name in [*paths, "aimis batch"]}
    for name, call in paths.items():  # warm-up: connections, threads
        await throughput(call, options.in_flight * 2, options.in_flight)
    for round_ in range(options.rounds):
        order = list(paths.items())[round_ % 2 :] + list(paths.items())[: round_ % 2]
        for name, call in order:
            rates[name].append(await throughput(call, options.calls, options.in_flight))
        rates["aimis batch"].append(aimis_batch(binary, base_url, options.calls, options.in_flight))
    await by_hand.http.aclose()
    await client.aclose()
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--in-flight", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sim", type=Path)
    options = parser.parse_args()
    binary = sim_binary(options.sim)
    process, base_url = start_sim(binary)
    try:
        add_latency(base_url)
        alone = one_at_a_time(base_url)
        rates = asyncio.run(measure(binary, base_url, options))
    finally:
        process.kill()
        process.wait()

    ideal = options.in_flight / (LATENCY_MS / 1000)
    print(f"simulator: {binary}, {LATENCY_MS} ms per answer; one call at a time takes "
          f"{alone * 1000:.2f} ms (the most any path can reach: {LATENCY_MS / 1000 / alone:.2f} of the ideal)")
    print(f"{options.calls} calls, at most {options.in_flight} in flight, {options.rounds} rounds; "
          f"ideal {ideal:.0f} calls/s")
    for name, values in rates.items():
        median = statistics.median(values)
        print(f"{name:>11}: median {median:7.0f} calls/s, ratio of the ideal {median / ideal:.2f}"
              + ("  (target: at least 0.85)" if name == "aimis" else ""))


if __name__ == "__main__":
    main()
