"""Client settings are checked when the client is built: a bad one is a
`ConfigurationError` naming the option and the rule, never a failure on every call."""

from __future__ import annotations

import json
import math
import re
import socket
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import APP_ID, PATIENT, TOKEN, ConnectProxy, Server, Sim, closed_port, running_sim

import aimis

SECONDS = ["timeout", "connect_timeout"]
BAD_SECONDS: list[tuple[str, Any, str]] = [
    ("zero", 0, "greater than 0"),
    ("negative", -1.5, "greater than 0"),
    ("nan", math.nan, "greater than 0"),
    ("inf", math.inf, "at most 3600"),
    ("huge", 1e19, "at most 3600"),
    ("over-an-hour", 3600.5, "at most 3600"),
    ("huge-int", 2**80, "at most 3600"),
    ("text", "10", "a number of seconds"),
    ("bool", True, "a number of seconds"),
    ("list", [10], "a number of seconds"),
]


@pytest.mark.parametrize("option", SECONDS)
@pytest.mark.parametrize(("value", "rule"), [(v, r) for _, v, r in BAD_SECONDS], ids=[n for n, _, _ in BAD_SECONDS])
def test_durations_out_of_range_are_configuration_errors(option: str, value: Any, rule: str) -> None:
    with pytest.raises(aimis.ConfigurationError) as info:
        aimis.Client(app_id=APP_ID, token=TOKEN, **{option: value})
    assert str(info.value).startswith(f"configuration: {option} ")
    assert rule in str(info.value)


BAD_RETRIES: list[tuple[str, Any, str]] = [
    ("negative", -1, "0 to 10"),
    ("too-many", 11, "0 to 10"),
    ("huge", 2**70, "0 to 10"),
    ("float", 2.0, "a whole number"),
    ("nan", math.nan, "a whole number"),
    ("text", "2", "a whole number"),
    ("bool", False, "a whole number"),
]


@pytest.mark.parametrize(("value", "rule"), [(v, r) for _, v, r in BAD_RETRIES], ids=[n for n, _, _ in BAD_RETRIES])
def test_retries_out_of_range_are_configuration_errors(value: Any, rule: str) -> None:
    with pytest.raises(aimis.ConfigurationError) as info:
        aimis.Client(app_id=APP_ID, token=TOKEN, retries=value)
    assert str(info.value).startswith("configuration: retries ")
    assert rule in str(info.value)


def test_the_largest_settings_allowed_work(sim: Sim) -> None:
    client = aimis.Client(app_id=APP_ID, token=TOKEN, base_url=sim.url, timeout=3600, connect_timeout=3600, retries=10)
    assert client.patient_report_url(report_id="R0001", **PATIENT).study_id == "S0001"


def test_retries_are_what_the_client_was_given(sim: Sim) -> None:
    sim.add_fault(kind="status", status=503)
    for retries in (0, 1):
        client = aimis.Client(app_id=APP_ID, token=TOKEN, base_url=sim.url, retries=retries)
        before = sim.request_count()
        with pytest.raises(aimis.HttpError):
            client.patient_report_url(report_id="R0001", **PATIENT)
        assert sim.request_count() == before + 1 + retries


def test_connect_timeout_bounds_connecting() -> None:
    """A listener whose accept queue is full drops new connection attempts: connecting
    hangs until connect_timeout, far below the per-attempt timeout."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        queued = [socket.socket() for _ in range(3)]
        try:
            for s in queued:
                s.setblocking(False)
                s.connect_ex(("127.0.0.1", port))
            time.sleep(0.1)
            client = aimis.Client(
                app_id=APP_ID, token=TOKEN, base_url=f"http://127.0.0.1:{port}", connect_timeout=0.3, timeout=30, retries=0
            )
            start = time.monotonic()
            with pytest.raises(aimis.TimeoutException) as raised:
                client.patient_report_url(report_id="R0001", **PATIENT)
            assert 0.25 < time.monotonic() - start < 10
            assert raised.value.timeout == pytest.approx(0.3), "the limit that fired"
        finally:
            for s in queued:
                s.close()


def test_a_proxy_and_extra_ca_certificates_are_accepted_or_refused_when_built(sim: Sim, tmp_path: Path) -> None:
    with pytest.raises(aimis.ConfigurationError, match="proxy"):
        aimis.Client(app_id=APP_ID, token=TOKEN, proxy="not a url at all ::")
    # The core reads the file and words the message.
    with pytest.raises(aimis.ConfigurationError, match="cannot read the CA certificate file .*missing.pem"):
        aimis.Client(app_id=APP_ID, token=TOKEN, ca_certs=tmp_path / "missing.pem")
    empty = tmp_path / "empty.pem"
    empty.write_text("no certificate here\n")
    for ca_certs in (str(empty), empty, b"no certificate here\n"):
        with pytest.raises(aimis.ConfigurationError, match="CA certificate PEM holds no certificate"):
            aimis.Client(app_id=APP_ID, token=TOKEN, ca_certs=ca_certs)  # type: ignore[arg-type]
    for wrong in (42, ["a.pem"]):
        with pytest.raises(aimis.ConfigurationError, match="ca_certs must be the path of a PEM file"):
            aimis.Client(app_id=APP_ID, token=TOKEN, ca_certs=wrong)  # type: ignore[arg-type]
    # A proxy that is not there: the call fails as with a dead platform, and the
    # platform sees nothing (loopback is proxied when the proxy is given).
    dead_proxy = aimis.Client(
        app_id=APP_ID, token=TOKEN, base_url=sim.url, proxy=f"http://127.0.0.1:{closed_port()}", retries=0
    )
    before = sim.request_count()
    with pytest.raises(aimis.ConnectionRefusedException):
        dead_proxy.patient_report_url(report_id="R0001", **PATIENT)
    assert sim.request_count() == before


@pytest.mark.parametrize("option", ["proxy_from_env", "allow_insecure_http"])
@pytest.mark.parametrize("value", [1, "yes", 0.0])
def test_yes_or_no_options_take_bools_only(option: str, value: Any) -> None:
    with pytest.raises(aimis.ConfigurationError, match=f"^configuration: {option} must be True or False"):
        aimis.Client(app_id=APP_ID, token=TOKEN, **{option: value})


def test_plain_http_elsewhere_than_loopback_needs_allow_insecure_http() -> None:
    with pytest.raises(aimis.ConfigurationError, match="loopback"):
        aimis.Client(app_id=APP_ID, token=TOKEN, base_url="http://pacs.hospital.invalid")
    client = aimis.Client(app_id=APP_ID, token=TOKEN, base_url="http://pacs.hospital.invalid", allow_insecure_http=True)
    assert client.base_url == "http://pacs.hospital.invalid"


def test_the_proxy_of_the_environment_is_used_unless_proxy_from_env_is_false(
    sim: Sim, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name the platform is known by only to the proxy: reached through the
    environment's proxy by default, unresolvable without it."""
    port = sim.url.rsplit(":", 1)[1]
    base_url = f"http://aimis-sim.invalid:{port}"
    with ConnectProxy() as proxy:
        monkeypatch.setenv("http_proxy", proxy.url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        client = aimis.Client(app_id=APP_ID, token=TOKEN, base_url=base_url, allow_insecure_http=True, retries=0)
        assert client.patient_report_url(report_id="R0001", **PATIENT).study_id == "S0001"
        assert proxy.targets == [f"aimis-sim.invalid:{port}"]
        direct = aimis.Client(
            app_id=APP_ID, token=TOKEN, base_url=base_url, allow_insecure_http=True, retries=0, proxy_from_env=False
        )
        with pytest.raises(aimis.DnsError):
            direct.patient_report_url(report_id="R0001", **PATIENT)
        monkeypatch.setenv("NO_PROXY", "aimis-sim.invalid")
        excluded = aimis.Client(app_id=APP_ID, token=TOKEN, base_url=base_url, allow_insecure_http=True, retries=0)
        with pytest.raises(aimis.DnsError):
            excluded.patient_report_url(report_id="R0001", **PATIENT)
        assert proxy.targets == [f"aimis-sim.invalid:{port}"]


def test_the_user_agent_names_the_product() -> None:
    agents: list[str] = []

    def answer(headers: list[tuple[str, str]], body: bytes) -> tuple[int, str, bytes]:
        agents.extend(value for name, value in headers if name.lower() == "user-agent")
        return 200, "application/json", json.dumps({"code": 0, "message": "success", "data": {}}).encode()

    server = Server(answer)
    try:
        aimis.Client(app_id=APP_ID, token=TOKEN, base_url=server.url).patient_report_url(report_id="R1", **PATIENT)
        product = aimis.Client(app_id=APP_ID, token=TOKEN, base_url=server.url, user_agent_product="my-his/4.2")
        product.patient_report_url(report_id="R1", **PATIENT)
    finally:
        server.close()
    assert re.fullmatch(r"aimis-rust/\S+ aimis-python/\S+", agents[0]), agents
    assert re.fullmatch(r"aimis-rust/\S+ aimis-python/\S+ my-his/4\.2", agents[1]), agents


@pytest.mark.parametrize("product", ["my-his/4.2\r\nX-Injected: 1", "", "x" * 129, "his/\u00e9"])
def test_a_user_agent_product_that_is_not_printable_ascii_is_refused(product: str) -> None:
    with pytest.raises(aimis.ConfigurationError, match="^configuration: user_agent_product must be 1 to 128 printable"):
        aimis.Client(app_id=APP_ID, token=TOKEN, user_agent_product=product)


@pytest.mark.parametrize("form", ["str", "path", "bytes"])
def test_ca_certs_as_a_path_or_pem_bytes_trust_the_platform(tmp_path: Path, form: str) -> None:
    ca = tmp_path / "ca.pem"
    with running_sim("--tls", "--ca-out", str(ca)) as sim:
        assert sim.url.startswith("https://127.0.0.1:")
        ca_certs: Any = {"str": str(ca), "path": ca, "bytes": ca.read_bytes()}[form]
        client = aimis.Client(app_id=APP_ID, token=TOKEN, base_url=sim.url, ca_certs=ca_certs)
        assert client.patient_report_url(report_id="R0001", **PATIENT).study_id == "S0001"


def test_credentials_that_are_not_unicode_are_configuration_errors() -> None:
    bad_token = TOKEN[:-1] + "\ud800"
    calls = [
        lambda: aimis.Client(app_id=APP_ID, token=bad_token),
        lambda: aimis.Client(app_id="demo\udcff", token=TOKEN),
        lambda: aimis.Client(app_id=APP_ID, token=TOKEN, base_url="http://127.0.0.1:9/\ud800"),
        lambda: aimis.verify_callback({}, b"{}", app_id=APP_ID, token=bad_token),
        lambda: aimis.verify_callback({}, b"{}", app_id="\ud800", token=TOKEN),
        lambda: aimis.encrypt_field(bad_token, "x"),
        lambda: aimis.decrypt_field(bad_token, "00"),
        lambda: aimis.sign("\ud800", TOKEN, 1),
        lambda: aimis.sign(APP_ID, bad_token, 1),
    ]
    for call in calls:
        with pytest.raises(aimis.ConfigurationError, match="lone surrogate"):
            call()
