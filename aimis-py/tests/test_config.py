"""Client settings are checked when the client is built: a bad one is a
`ConfigurationError` naming the option and the rule, never a failure on every call."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from conftest import APP_ID, PATIENT, TOKEN, Sim

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


def test_a_proxy_and_extra_ca_certificates_are_accepted_or_refused_when_built(sim: Sim, tmp_path: Path) -> None:
    with pytest.raises(aimis.ConfigurationError, match="proxy"):
        aimis.Client(app_id=APP_ID, token=TOKEN, proxy="not a url at all ::")
    with pytest.raises(aimis.ConfigurationError, match="ca_certs"):
        aimis.Client(app_id=APP_ID, token=TOKEN, ca_certs=tmp_path / "missing.pem")
    empty = tmp_path / "empty.pem"
    empty.write_text("no certificate here\n")
    with pytest.raises(aimis.ConfigurationError, match="certificate"):
        aimis.Client(app_id=APP_ID, token=TOKEN, ca_certs=str(empty))
    # A proxy that is not there: the call is a transport error, as with a dead platform.
    dead_proxy = aimis.Client(app_id=APP_ID, token=TOKEN, base_url=sim.url, proxy="http://127.0.0.1:9", retries=0)
    with pytest.raises(aimis.TransportError):
        dead_proxy.patient_report_url(report_id="R0001", **PATIENT)


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
