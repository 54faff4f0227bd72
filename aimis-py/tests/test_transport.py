"""Transport failures by kind: each is a `TransportError` subclass whose `kind` is the
core's name for it, the same in every language."""

from __future__ import annotations

import builtins
import pickle
from pathlib import Path
from typing import Callable

import pytest
from conftest import APP_ID, PATIENT, TOKEN, Server, Sim, closed_port, running_sim

import aimis

# The core's limit on an answer, 16 MiB: one byte more is refused.
BODY_LIMIT = 16 * 1024 * 1024


def failed(client: aimis.Client) -> aimis.TransportError:
    with pytest.raises(aimis.TransportError) as info:
        client.patient_report_url(report_id="R0001", **PATIENT)
    error = info.value
    assert TOKEN not in str(error) and PATIENT["phone_num"] not in str(error)
    # The kind is the core's: its message says it the same way.
    if not isinstance(error, aimis.TimeoutException):
        assert str(error).startswith(f"transport ({error.kind.replace('_', ' ')}): ")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error) and copy.args == error.args and copy.kind == error.kind
    return error


def test_a_closed_port_is_connection_refused() -> None:
    client = aimis.Client(app_id=APP_ID, token=TOKEN, base_url=f"http://127.0.0.1:{closed_port()}", retries=0)
    error = failed(client)
    assert type(error) is aimis.ConnectionRefusedException and error.kind == "connection_refused"
    assert isinstance(error, builtins.ConnectionRefusedError) and isinstance(error, ConnectionError)


def test_a_reset_is_connection_reset(sim: Sim) -> None:
    sim.add_fault(kind="reset")
    client = aimis.Client(app_id=APP_ID, token=TOKEN, base_url=sim.url, retries=1)
    before = sim.request_count()
    error = failed(client)
    assert type(error) is aimis.ConnectionResetException and error.kind == "connection_reset"
    assert isinstance(error, builtins.ConnectionResetError)
    assert sim.request_count() == before + 2  # a reset is retried


def test_a_slow_answer_is_a_timeout(sim: Sim) -> None:
    sim.add_fault(kind="latency", ms=3000)
    client = aimis.Client(app_id=APP_ID, token=TOKEN, base_url=sim.url, timeout=0.2, retries=0)
    error = failed(client)
    assert type(error) is aimis.TimeoutException and error.kind == "timeout"


def test_a_name_that_does_not_resolve_is_dns() -> None:
    # Not through a proxy the environment may name, which would resolve it instead.
    client = aimis.Client(
        app_id=APP_ID, token=TOKEN, base_url="https://aimis-platform.invalid", retries=0, proxy_from_env=False
    )
    error = failed(client)
    assert type(error) is aimis.DnsError and error.kind == "dns"


def test_an_untrusted_certificate_is_tls_certificate_and_names_ca_certs(tmp_path: Path) -> None:
    with running_sim("--tls", "--ca-out", str(tmp_path / "ca.pem")) as sim:
        client = aimis.Client(app_id=APP_ID, token=TOKEN, base_url=sim.url, retries=2)
        before = sim.request_count()
        error = failed(client)
        assert type(error) is aimis.TlsCertificateError and error.kind == "tls_certificate"
        assert "ca_certs=" in str(error)
        assert sim.request_count() == before  # not retried, and no request got through


def test_an_answer_over_the_limit_is_body_too_large() -> None:
    requests: list[bytes] = []

    def answer(headers: list[tuple[str, str]], body: bytes) -> tuple[int, str, bytes]:
        requests.append(body)
        return 200, "application/json", b'{"code":0,"message":"success","data":{"h5Url":"' + b"x" * BODY_LIMIT + b'"}}'

    server = Server(answer)
    try:
        error = failed(aimis.Client(app_id=APP_ID, token=TOKEN, base_url=server.url, retries=2))
    finally:
        server.close()
    assert type(error) is aimis.BodyTooLargeError and error.kind == "body_too_large"
    assert len(requests) == 1  # not retried


KINDS: dict[str, Callable[[str], aimis.TransportError]] = {
    "connection_refused": aimis.ConnectionRefusedException,
    "dns": aimis.DnsError,
    "tls_certificate": aimis.TlsCertificateError,
    "connection_reset": aimis.ConnectionResetException,
    "body_too_large": aimis.BodyTooLargeError,
    "other": aimis.TransportError,
}


@pytest.mark.parametrize(("kind", "cls"), KINDS.items())
def test_every_kind_is_exported_and_named(kind: str, cls: Callable[[str], aimis.TransportError]) -> None:
    error = cls("transport: x")
    assert error.kind == kind and isinstance(error, aimis.AimisError)
    assert type(error).__name__ in aimis.__all__ and getattr(aimis, type(error).__name__) is type(error)
    assert aimis.TimeoutException.kind == "timeout"
