"""Ctrl-C while a call waits on the platform raises KeyboardInterrupt there and then,
not when the answer comes, and leaves the client ready for the next call."""

from __future__ import annotations

import os
import signal
import threading
import time
from typing import Iterator

import pytest
from conftest import APP_ID, PATIENT, TOKEN, Sim

import aimis


@pytest.fixture(autouse=True)
def ctrl_c_raises() -> Iterator[None]:
    """SIGINT raises KeyboardInterrupt, as in a terminal: a process started in the
    background by a non-interactive shell (a CI job, `cmd &`) inherits SIGINT ignored,
    and Python then leaves it so."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def interrupt_once_sent(sim: Sim) -> threading.Thread:
    """Sends this process SIGINT (Ctrl-C) once the simulator has the request."""

    def interrupt() -> None:
        while sim.request_count() == 0:
            threading.Event().wait(0.02)
        os.kill(os.getpid(), signal.SIGINT)

    thread = threading.Thread(target=interrupt, daemon=True)
    thread.start()
    return thread


@pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="POSIX signals")
def test_ctrl_c_stops_a_call_waiting_on_the_platform(sim: Sim) -> None:
    client = aimis.Client(app_id=APP_ID, token=TOKEN, base_url=sim.url, timeout=120)
    sim.admin("DELETE", "/requests")
    # The platform holds the answer for 60 s: a KeyboardInterrupt raised only once the
    # call has returned would come after that.
    held = 60.0
    sim.add_fault(kind="latency", ms=int(held * 1000), times=1)
    interrupter = interrupt_once_sent(sim)
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        client.patient_report_url(report_id="R0001", **PATIENT)
    assert time.monotonic() - started < held, "raised only when the answer came"
    interrupter.join()
    # The next call has a connection of its own and its own answer, never the late one.
    assert client.patient_report_url(report_id="R0002", **PATIENT).study_id == "S0002"


@pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="POSIX signals")
def test_ctrl_c_stops_a_batch_and_its_requests_in_flight(sim: Sim) -> None:
    client = aimis.Client(app_id=APP_ID, token=TOKEN, base_url=sim.url, timeout=120)
    sim.admin("DELETE", "/requests")
    held = 60.0
    sim.add_fault(kind="latency", ms=int(held * 1000))
    rows = [{"reportId": "R0001", "phoneNum": PATIENT["phone_num"], "idNum": PATIENT["id_num"],
             "hospitalId": "H0001"}] * 100
    interrupter = interrupt_once_sent(sim)
    started = time.monotonic()
    results = []
    with pytest.raises(KeyboardInterrupt):
        for result in client.batch("patientReportUrl", rows, concurrency=4):
            results.append(result)
    assert time.monotonic() - started < held, "raised only when an answer came"
    interrupter.join()
    assert results == []
    # Its threads have ended: nothing more reaches the platform.
    sent = sim.request_count()
    assert 1 <= sent <= 4
    sim.admin("DELETE", "/faults")
    assert client.patient_report_url(report_id="R0002", **PATIENT).study_id == "S0002"
    assert sim.request_count() == sent + 1
