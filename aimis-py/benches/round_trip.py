"""One patientStudies call over loopback HTTP with keep-alive, against `aimis sim`, two
ways in one run, interleaved so that the machine's noise falls on both alike:

- `aimis`: ``client.patient_studies(...)``, typed records back;
- `by hand`: what a hospital writes without aimis: ``requests`` (one Session, so
  keep-alive too) + ``cryptography``: HMAC-SHA256 signature, phoneNum and idNum
  encrypted with AES-256-ECB / PKCS#7 as lowercase hex, POST, JSON parsed, the envelope's
  code checked; plain dicts back (no validation, no records: less work than aimis does);
- `floor`: the by-hand request's bytes, signed once, written to a raw keep-alive socket
  and the answer read by its Content-Length, unparsed: the simulator and loopback alone.

It prints each median, the ratio (by hand / aimis: how many times faster aimis is per
call), what aimis adds to the floor, and the CPU time this process spends per call on
each path (steadier than wall time, which moves with how fast the machine wakes the
simulator). Run from the repository root, on a quiet machine (see `uptime`):

    pip install requests cryptography   # for this script only; not dependencies of aimis
    cargo build --release -p aimis-cli
    python aimis-py/benches/round_trip.py [--rounds 200] [--per-round 10] [--sim PATH]

The simulator defaults to target/release/aimis (target/debug/aimis if there is none).
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import requests
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

import aimis

APP_ID = "demo-app"
TOKEN = "0123456789abcdef0123456789abcdef"
REPO = Path(__file__).resolve().parents[2]

# The demo patient of the simulator's embedded fixtures: several studies in 2025.
ARGUMENTS: Dict[str, Any] = {
    "phone_num": "13800138000",
    "id_num": "110101199003074518",
    "hospital_id": "H0001",
    "union_id": "U0001",
    "study_type": 0,
    "data_flag": 0,
    "usage": 2,
    "study_date_begin": "2025-01-01 00:00:00",
    "study_date_end": "2025-12-31 23:59:59",
}


class ByHand:
    """The baseline: the vendor's documentation turned into code, as a hospital would."""

    def __init__(self, base_url: str, app_id: str, token: str) -> None:
        self.url = f"{base_url}/thirdparty/patientStudies/{app_id}"
        self.app_id = app_id
        self.key = token.encode()
        self.session = requests.Session()

    def encrypt(self, text: str) -> str:
        padder = padding.PKCS7(128).padder()
        padded = padder.update(text.encode()) + padder.finalize()
        encryptor = Cipher(algorithms.AES(self.key), modes.ECB()).encryptor()
        return (encryptor.update(padded) + encryptor.finalize()).hex()

    def prepare(self, arguments: Dict[str, Any]) -> tuple[Dict[str, str], bytes]:
        """The signed headers and the body with the patient fields encrypted."""
        timestamp = str(int(time.time() * 1000))
        signature = hmac.new(self.key, (self.app_id + timestamp).encode(), hashlib.sha256).hexdigest()
        body = {
            "phoneNum": self.encrypt(arguments["phone_num"]),
            "idNum": self.encrypt(arguments["id_num"]),
            "hospitalId": arguments["hospital_id"],
            "unionId": arguments["union_id"],
            "studyType": arguments["study_type"],
            "dataFlag": arguments["data_flag"],
            "usage": arguments["usage"],
            "studyDateBegin": arguments["study_date_begin"],
            "studyDateEnd": arguments["study_date_end"],
        }
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "appId": self.app_id,
            "timestamp": timestamp,
            "signature": signature,
        }
        return headers, json.dumps(body).encode()

    def patient_studies(self, **arguments: Any) -> List[Dict[str, Any]]:
        headers, body = self.prepare(arguments)
        response = self.session.post(self.url, data=body, headers=headers, timeout=10)
        response.raise_for_status()
        envelope = response.json()
        if envelope["code"] != 0:
            raise RuntimeError(f"AIMIS error {envelope['code']}")
        data: List[Dict[str, Any]] = envelope["data"]
        return data


class Floor:
    """One signed request, sent again and again over one socket; nothing parsed. (The
    simulator checks that the timestamp is in the window, not that it is new.)"""

    def __init__(self, base_url: str, by_hand: ByHand) -> None:
        host, port = base_url.split("//", 1)[1].rsplit(":", 1)
        headers, body = by_hand.prepare(ARGUMENTS)
        lines = [f"POST {by_hand.url[len(base_url):]} HTTP/1.1", f"Host: {host}:{port}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        lines += [f"Content-Length: {len(body)}", "", ""]
        self.request = "\r\n".join(lines).encode() + body
        self.socket = socket.create_connection((host, int(port)))
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def call(self) -> bytes:
        self.socket.sendall(self.request)
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += self.socket.recv(65536)
        head, body = answer.split(b"\r\n\r\n", 1)
        length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))
        while len(body) < length:
            body += self.socket.recv(65536)
        return body


def sim_binary(given: Optional[Path]) -> Path:
    """The `aimis` that runs the simulator: the one given, else target/release's, else
    target/debug's."""
    built = (REPO / "target" / "release" / "aimis", REPO / "target" / "debug" / "aimis")
    binary = given or next((p for p in built if p.is_file()), None)
    if binary is None:
        sys.exit("no aimis binary: cargo build --release -p aimis-cli, or pass --sim PATH")
    return binary


def start_sim(binary: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [str(binary), "sim", "--listen", "127.0.0.1:0", "--app-id", APP_ID, "--token", TOKEN,
         "--admin-token", "bench-admin-token"],
        stdout=subprocess.PIPE,
        # Its log line per request: not what is measured, and thousands of lines.
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline().strip()
    prefix = "aimis sim listening on "
    if not first.startswith(prefix):
        process.kill()
        sys.exit(f"unexpected first line from aimis sim: {first!r}")
    threading.Thread(target=process.stdout.read, daemon=True).start()
    return process, first[len(prefix):]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--per-round", type=int, default=10)
    parser.add_argument("--sim", type=Path)
    options = parser.parse_args()
    binary = sim_binary(options.sim)
    process, base_url = start_sim(binary)
    try:
        client = aimis.Client(app_id=APP_ID, token=TOKEN, base_url=base_url)
        by_hand = ByHand(base_url, APP_ID, TOKEN)
        # The same answer both ways, before anything is timed.
        typed = client.patient_studies(**ARGUMENTS)
        plain = by_hand.patient_studies(**ARGUMENTS)
        assert typed and [s.to_dict()["reportId"] for s in typed] == [row["reportId"] for row in plain]

        floor = Floor(base_url, by_hand)
        assert json.loads(floor.call())["data"] == plain

        paths: List[tuple[str, Callable[[], Any]]] = [
            ("aimis", lambda: client.patient_studies(**ARGUMENTS)),
            ("by hand", lambda: by_hand.patient_studies(**ARGUMENTS)),
            ("floor", floor.call),
        ]
        samples: Dict[str, List[float]] = {name: [] for name, _ in paths}
        cpu: Dict[str, float] = {name: 0.0 for name, _ in paths}
        for _ in range(20):  # warm-up: connections, caches
            for _, call in paths:
                call()
        for round_ in range(options.rounds):
            # Rotate which goes first, so none always follows another.
            for name, call in paths[round_ % len(paths):] + paths[: round_ % len(paths)]:
                cpu_start = time.process_time()
                for _ in range(options.per_round):
                    start = time.perf_counter_ns()
                    call()
                    samples[name].append((time.perf_counter_ns() - start) / 1000)
                cpu[name] += time.process_time() - cpu_start
    finally:
        process.kill()
        process.wait()

    medians = {name: statistics.median(values) for name, values in samples.items()}
    print(f"simulator: {binary.relative_to(REPO) if binary.is_relative_to(REPO) else binary}")
    print(f"calls per path: {len(samples['aimis'])}, {len(typed)} studies per answer")
    for name, median in medians.items():
        print(f"{name:>8}: median {median:8.1f} us per call")
    print(f"   ratio: aimis is {medians['by hand'] / medians['aimis']:.2f}x faster per call (target: at least 5x)")
    print(f"  beyond the floor: aimis {medians['aimis'] - medians['floor']:.1f} us, "
          f"by hand {medians['by hand'] - medians['floor']:.1f} us "
          f"({(medians['by hand'] - medians['floor']) / (medians['aimis'] - medians['floor']):.1f}x)")
    # CPU time varies less than wall time with how the machine wakes the simulator.
    per_call = {name: total / len(samples[name]) * 1e6 for name, total in cpu.items()}
    print("  CPU of this process per call (user + system): "
          + ", ".join(f"{name} {value:.1f} us" for name, value in per_call.items())
          + f"; aimis beyond the floor {per_call['aimis'] - per_call['floor']:.1f} us")


if __name__ == "__main__":
    main()
