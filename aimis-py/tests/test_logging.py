"""What the SDK does reaches the standard `logging` module under the `aimis` loggers:
DEBUG for each call, WARNING for retries and rate pauses, INFO for a batch's end, never
the token or patient data. Against the real simulator on loopback."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from conftest import APP_ID, ID_NUM, PHONE, STUDIES_2025, TOKEN, Sim
from test_inbox import send_report_ready, serving

import aimis

SECRETS = (TOKEN, PHONE, ID_NUM, "https://")


def messages(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.startswith("aimis") and r.levelno == level]


def assert_clean(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        for secret in SECRETS:
            assert secret not in record.getMessage(), record.getMessage()


def test_each_call_is_a_debug_record_of_the_aimis_call_logger(
    client: aimis.Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="aimis"):
        client.patient_studies(**STUDIES_2025)
        with pytest.raises(aimis.ApiError):
            client.patient_studies(**{**STUDIES_2025, "phone_num": "13900000000"})
    debug = messages(caplog, logging.DEBUG)
    assert any(
        m.startswith("call answered endpoint=patientStudies attempt=1 http.response.status_code=200") for m in debug
    ), debug
    assert any("aimis.code=10003" in m and "error.type=api" in m for m in debug), debug
    assert {r.name for r in caplog.records} == {"aimis.call"}
    assert_clean(caplog)


def test_a_change_to_logging_reaches_the_next_call(client: aimis.Client, caplog: pytest.LogCaptureFixture) -> None:
    """The SDK reads what `logging` wants as each call starts, and notices each way its
    answer can change: a level (the logger's or a parent's), `logging.disable`, and a
    logger's `disabled` flag (which `logging.config` sets)."""
    call_logger, parent = logging.getLogger("aimis.call"), logging.getLogger("aimis")

    def told() -> bool:
        caplog.clear()
        client.patient_studies(**STUDIES_2025)
        return any(r.name == "aimis.call" for r in caplog.records)

    with caplog.at_level(logging.DEBUG, logger="aimis"):
        assert told() and told()
        parent.setLevel(logging.WARNING)
        assert not told() and not told()
        call_logger.setLevel(logging.DEBUG)
        assert told()
        logging.disable(logging.DEBUG)
        try:
            assert not told()
        finally:
            logging.disable(logging.NOTSET)
        assert told()
        call_logger.disabled = True
        try:
            assert not told() and not told()
        finally:
            call_logger.disabled = False
        assert told()
        call_logger.setLevel(logging.NOTSET)
        assert not told()
    assert_clean(caplog)


def test_retries_and_rate_pauses_are_warnings(sim: Sim, caplog: pytest.LogCaptureFixture) -> None:
    client = aimis.Client(app_id=APP_ID, token=TOKEN, base_url=sim.url, retries=1)
    sim.add_fault(kind="status", status=503, times=1)
    with caplog.at_level(logging.WARNING, logger="aimis"):
        client.patient_studies(**STUDIES_2025)
    warnings = messages(caplog, logging.WARNING)
    assert any("retrying" in m and "http.response.status_code=503" in m for m in warnings), warnings
    # WARNING only: the calls themselves are not told.
    assert messages(caplog, logging.DEBUG) == []

    caplog.clear()
    sim.add_fault(kind="code", code=90003, times=1)
    rows = [{"reportId": "R0001", "phoneNum": PHONE, "idNum": ID_NUM, "hospitalId": "H0001"}] * 2
    with caplog.at_level(logging.INFO, logger="aimis"):
        results = list(client.batch("patientReportUrl", rows, concurrency=1))
    assert all(r.error is None for r in results)
    assert any("slow down" in m for m in messages(caplog, logging.WARNING)), caplog.text
    assert any("batch done rows=2 ok=2 failed=0 rate_pauses=1" in m for m in messages(caplog, logging.INFO)), (
        caplog.text
    )
    assert_clean(caplog)


def test_callbacks_verified_and_refused_are_told(caplog: pytest.LogCaptureFixture) -> None:
    headers = {"appId": APP_ID, "timestamp": "1", "signature": "0" * 64}
    with caplog.at_level(logging.DEBUG, logger="aimis"), pytest.raises(aimis.CallbackError):
        aimis.verify_callback(headers, b"{}", app_id=APP_ID, token=TOKEN)
    assert any("callback refused" in m for m in messages(caplog, logging.WARNING)), caplog.text
    assert_clean(caplog)


def test_an_inbox_consumer_is_told_under_aimis_inbox(sim: Sim, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    store = f"sqlite:{tmp_path / 'inbox.db'}"
    with serving(store) as url:
        send_report_ready(sim, url)
    inbox = aimis.Inbox(store, app_id=APP_ID, token=TOKEN)
    with caplog.at_level(logging.DEBUG, logger="aimis"):
        item = inbox.next(lease=60)
        assert item is not None
        inbox.ack(item.id)
    told = [(r.name, r.getMessage()) for r in caplog.records]
    assert ("aimis.inbox", f"claimed id={item.id} attempts=1") in told, told
    assert ("aimis.inbox", f"delivered id={item.id}") in told, told
    assert_clean(caplog)
