"""One client shared by many threads, and the GIL released while a call is on the wire."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from conftest import PATIENT, STUDIES_2025, Sim

import aimis


def test_threads_share_one_client(client: aimis.Client) -> None:
    calls = [
        lambda: client.patient_studies(**{**STUDIES_2025, "study_type": i % 6}) for i in range(24)
    ] + [lambda: client.patient_report_url(report_id="R0001", **PATIENT) for _ in range(8)]
    serial = [call() for call in calls]
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(lambda call: call(), calls))
    assert parallel == serial


def test_the_gil_is_released_during_http(client: aimis.Client, sim: Sim) -> None:
    # The platform holds the answer for 2 s. If the call kept the GIL, this thread could
    # not run a single line of Python until it returned.
    sim.add_fault(kind="latency", ms=2000, times=1)
    started = threading.Event()

    def slow_call() -> aimis.PatientStudyUrl:
        started.set()
        return client.patient_report_url(report_id="R0001", **PATIENT)

    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(slow_call)
        started.wait()
        turns = 0
        while not future.done():
            turns += 1
            time.sleep(0.01)
        assert future.result().study_id == "S0001"
    assert turns > 20
