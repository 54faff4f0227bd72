"""Fixtures: a real `aimis sim` on loopback, clients of it, and its admin routes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Iterator, Optional

import pytest

import aimis

APP_ID = "demo-app"
TOKEN = "0123456789abcdef0123456789abcdef"

# The demo patient of the simulator's embedded fixtures.
PHONE = "13800138000"
ID_NUM = "110101199003074518"
PATIENT = {"phone_num": PHONE, "id_num": ID_NUM, "hospital_id": "H0001"}
STUDIES_2025 = {
    **PATIENT,
    "union_id": "U0001",
    "study_type": aimis.StudyType.RADIOLOGY,
    "data_flag": aimis.DataFlag.ALL,
    "usage": aimis.Usage.DOCTOR_VIEW,
    "study_date_begin": "2025-01-01 00:00:00",
    "study_date_end": "2025-12-31 23:59:59",
}

LISTENING = re.compile(r"^aimis sim listening on (https?://\S+)$")
ADMIN_TOKEN = "test-admin-token"
REPO = Path(__file__).resolve().parents[2]


class Sim:
    """One `aimis sim` process and its admin routes."""

    def __init__(self, url: str, process: subprocess.Popen[str]) -> None:
        self.url = url
        self.process = process

    def admin(self, method: str, path: str, body: Optional[Any] = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}/__admin{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {ADMIN_TOKEN}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.load(response)
        except urllib.error.HTTPError as e:
            raise AssertionError(f"admin {method} {path}: HTTP {e.code}: {e.read()!r}") from None

    def request_count(self) -> int:
        return len(self.admin("GET", "/requests"))

    def add_fault(self, **fault: Any) -> None:
        self.admin("POST", "/faults", fault)


def sim_binary() -> Path:
    binary = Path(os.environ.get("AIMIS_BIN", REPO / "target" / "debug" / "aimis"))
    if not binary.is_file():
        pytest.fail(f"{binary} does not exist: build it with `cargo build -p aimis-cli` (or set AIMIS_BIN)")
    return binary


@pytest.fixture(scope="session")
def sim() -> Iterator[Sim]:
    process = subprocess.Popen(
        # No callback retries: a refused callback is reported at once.
        [str(sim_binary()), "sim", "--listen", "127.0.0.1:0", "--app-id", APP_ID, "--token", TOKEN,
         "--callback-retries", "0", "--admin-token", ADMIN_TOKEN],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline().rstrip("\n")
        match = LISTENING.match(first)
        assert match, f"unexpected first line from aimis sim: {first!r}"
        # Keep reading, so that output after the first line can never fill the pipe.
        threading.Thread(target=process.stdout.read, daemon=True).start()
        yield Sim(match.group(1), process)
    finally:
        process.kill()
        process.wait()


@pytest.fixture(autouse=True)
def no_faults(request: pytest.FixtureRequest) -> Iterator[None]:
    """Faults a test adds end with it."""
    yield
    if "sim" in request.fixturenames:
        request.getfixturevalue("sim").admin("DELETE", "/faults")


@pytest.fixture
def client(sim: Sim) -> aimis.Client:
    return aimis.Client(app_id=APP_ID, token=TOKEN, base_url=sim.url)
