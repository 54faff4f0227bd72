"""Fixtures: a real `aimis sim` on loopback, clients of it, and its admin routes."""

from __future__ import annotations

import contextlib
import json
import os
import re
import select
import socket
import socketserver
import ssl
import subprocess
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Iterator, List, Optional, Tuple

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

    def __init__(self, url: str, process: subprocess.Popen[str], tls: Optional[ssl.SSLContext] = None) -> None:
        self.url = url
        self.process = process
        self.tls = tls

    def admin(self, method: str, path: str, body: Optional[Any] = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}/__admin{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {ADMIN_TOKEN}"},
        )
        try:
            # Straight to the simulator, whatever proxy the environment names.
            opener = urllib.request.build_opener(
                urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=self.tls)
            )
            with opener.open(request, timeout=30) as response:
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


@contextlib.contextmanager
def running_sim(*options: str, token: str = TOKEN) -> Iterator[Sim]:
    """An `aimis sim` on a free loopback port, for as long as the block runs."""
    process = subprocess.Popen(
        # No callback retries: a refused callback is reported at once.
        [str(sim_binary()), "sim", "--listen", "127.0.0.1:0", "--app-id", APP_ID, "--token", token,
         "--callback-retries", "0", "--admin-token", ADMIN_TOKEN, *options],
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
        # With --tls --ca-out FILE, the admin routes are reached trusting that CA.
        ca = options[options.index("--ca-out") + 1] if "--ca-out" in options else None
        yield Sim(match.group(1), process, ssl.create_default_context(cafile=ca) if ca else None)
    finally:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def sim() -> Iterator[Sim]:
    with running_sim() as sim:
        yield sim


@pytest.fixture(autouse=True)
def no_faults(request: pytest.FixtureRequest) -> Iterator[None]:
    """Faults a test adds end with it."""
    yield
    if "sim" in request.fixturenames:
        request.getfixturevalue("sim").admin("DELETE", "/faults")


@pytest.fixture
def client(sim: Sim) -> aimis.Client:
    return aimis.Client(app_id=APP_ID, token=TOKEN, base_url=sim.url)


class Server:
    """A small HTTP server on a free loopback port, serving from a thread: `handle` gets
    each POST's headers and body and returns the answer's status, content type and body."""

    def __init__(self, handle: Callable[[List[Tuple[str, str]], bytes], Tuple[int, str, bytes]]) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status, content_type, answer = handle(list(self.headers.items()), body)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Rogue(Server):
    """A platform that answers every request with what the test sets: for answers that
    `aimis sim` never gives (a gateway's page quoting the request, wrong JSON types,
    enum numbers the spec does not know)."""

    def __init__(self) -> None:
        self.answer: Tuple[int, str, bytes] = (200, "application/json", b"{}")
        super().__init__(lambda headers, body: self.answer)

    def answer_json(self, value: Any, status: int = 200) -> None:
        self.answer = (status, "application/json", json.dumps(value).encode())

    def answer_data(self, data: Any) -> None:
        """A successful envelope around `data`."""
        self.answer_json({"code": 0, "message": "success", "data": data})


@pytest.fixture(scope="session")
def rogue() -> Iterator[Rogue]:
    rogue = Rogue()
    yield rogue
    rogue.close()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ConnectProxy:
    """An HTTP CONNECT proxy on loopback that knows every host by the port asked for:
    `CONNECT name:PORT` is tunnelled to 127.0.0.1:PORT. `targets` lists what was asked."""

    def __init__(self) -> None:
        self.targets: List[str] = []
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = self.request.recv(4096)
                    if not chunk:
                        return
                    head += chunk
                method, target = head.split(b" ", 2)[:2]
                if method != b"CONNECT":
                    self.request.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
                    return
                proxy.targets.append(target.decode())
                port = int(target.rsplit(b":", 1)[1])
                with socket.create_connection(("127.0.0.1", port)) as upstream:
                    self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    pipe(self.request, upstream)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def __enter__(self) -> "ConnectProxy":
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def pipe(a: socket.socket, b: socket.socket) -> None:
    """Copies bytes both ways until either side closes."""
    while True:
        readable, _, _ = select.select([a, b], [], [], 5)
        if not readable:
            return
        for source in readable:
            data = source.recv(65536)
            if not data:
                return
            (b if source is a else a).sendall(data)
