"""``Client.batch`` against ``aimis sim``: one result per row, failures as results,
progress, lazily read rows, early stops, and back-off on FetchLimitExceeded."""

from __future__ import annotations

import threading
import time
from typing import Any, Dict, Iterator, List

import pytest

import aimis
from conftest import PATIENT, Sim


def report(report_id: str) -> Dict[str, Any]:
    return {"reportId": report_id, "phoneNum": PATIENT["phone_num"], "idNum": PATIENT["id_num"], "hospitalId": "H0001"}


def test_every_row_has_one_result_with_its_index(client: aimis.Client, sim: Sim) -> None:
    rows: List[Any] = [report(f"R000{n % 7 + 1}") for n in range(30)]
    rows[4] = {"reportId": "R0001"}
    rows[9] = report("R9999")
    before = sim.request_count()
    ticks: List[int] = []
    results = list(client.batch("patient-report-url", rows, concurrency=4, progress=ticks.append))
    assert sorted(r.index for r in results) == list(range(30))
    assert ticks == [1] * 30
    by_index = {r.index: r for r in results}
    assert isinstance(by_index[4].error, aimis.ValidationError) and by_index[4].data is None
    assert by_index[4].error.field == "phoneNum"
    assert isinstance(by_index[9].error, aimis.ApiError) and by_index[9].error.code == 10003
    assert by_index[0].ok and by_index[0].data == client.call("patientReportUrl", rows[0])
    assert sim.request_count() - before == 29 + 1, "the invalid row was never sent"
    assert "13800138000" not in repr(results) and "h5" not in repr(results)


def test_rows_that_cannot_be_requests_are_results_too(client: aimis.Client) -> None:
    cyclic: List[Any] = []
    cyclic.append(cyclic)
    results = list(client.batch("patientReportUrl", [report("R0001"), cyclic, "text", report("R0002")]))
    errors = {r.index: r.error for r in results}
    assert errors[0] is None and errors[3] is None
    assert isinstance(errors[1], aimis.ValidationError) and isinstance(errors[2], aimis.ValidationError)


def test_rows_are_read_as_needed_and_an_early_stop_sends_no_more(client: aimis.Client, sim: Sim) -> None:
    sim.add_fault(kind="latency", ms=20)
    pulled = 0

    def rows() -> Iterator[Dict[str, Any]]:
        nonlocal pulled
        for _ in range(10_000):
            pulled += 1
            yield report("R0001")

    before = sim.request_count()
    for n, _ in enumerate(client.batch("patientReportUrl", rows(), concurrency=4)):
        if n == 5:
            break
    time.sleep(0.3)
    assert pulled < 100, pulled
    assert sim.request_count() - before < 100


def test_the_gil_is_free_while_the_batch_waits(client: aimis.Client, sim: Sim) -> None:
    sim.add_fault(kind="latency", ms=50)
    ticks = 0
    done = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.001)

    counter = threading.Thread(target=count)
    counter.start()
    try:
        results = list(client.batch("patientReportUrl", [report("R0001")] * 8, concurrency=2))
    finally:
        done.set()
        counter.join()
    assert all(r.ok for r in results)
    assert ticks > 50, ticks


def test_an_exception_from_the_rows_is_raised_after_the_rows_before_it(client: aimis.Client) -> None:
    def rows() -> Iterator[Dict[str, Any]]:
        yield report("R0001")
        yield report("R0002")
        raise RuntimeError("the HIS query failed")

    seen: List[aimis.BatchResult] = []
    with pytest.raises(RuntimeError, match="the HIS query failed"):
        for result in client.batch("patientReportUrl", rows()):
            seen.append(result)
    assert sorted(r.index for r in seen) == [0, 1]


class RaisesThenGoesOn:
    """Rows as a reader of a file with one unreadable line gives them: R0001, R0002,
    an exception, then R0003 and R0004 if asked again."""

    def __init__(self) -> None:
        self.items: List[Any] = [report("R0001"), report("R0002"), None, report("R0003"), report("R0004")]

    def __iter__(self) -> "RaisesThenGoesOn":
        return self

    def __next__(self) -> Dict[str, Any]:
        if not self.items:
            raise StopIteration
        item = self.items.pop(0)
        if item is None:
            raise UnicodeDecodeError("gbk", b"\xd5", 0, 1, "illegal multibyte sequence")
        return item  # type: ignore[no-any-return]


@pytest.mark.parametrize("concurrency", [1, 8])
def test_rows_that_raise_end_the_batch_and_no_row_takes_another_index(
    client: aimis.Client, sim: Sim, concurrency: int
) -> None:
    before = sim.request_count()
    seen: List[aimis.BatchResult] = []
    with pytest.raises(UnicodeDecodeError):
        for result in client.batch("patientReportUrl", RaisesThenGoesOn(), concurrency=concurrency):
            seen.append(result)
    assert sorted((r.index, r.data["studyId"]) for r in seen) == [(0, "S0001"), (1, "S0002")]
    assert sim.request_count() - before == 2, "no row after the exception was sent"


def test_fetch_limit_exceeded_is_retried(client: aimis.Client, sim: Sim) -> None:
    sim.add_fault(kind="code", code=90003, times=2)
    results = list(client.batch("patientReportUrl", [report("R0003")] * 6, concurrency=2))
    assert all(r.ok for r in results), [r.error for r in results]


def test_unusable_settings_and_unknown_endpoints_raise_at_once(client: aimis.Client, sim: Sim) -> None:
    before = sim.request_count()
    for settings in ({"concurrency": 0}, {"concurrency": 257}, {"concurrency": -1}, {"concurrency": 2**70}):
        with pytest.raises(aimis.ConfigurationError, match="concurrency must be 1 to 256"):
            client.batch("patientReportUrl", [report("R0001")], **settings)
    for rate in (1e-300, 0.0, -1, float("nan"), float("inf"), 10**400, 1e7):
        with pytest.raises(aimis.ConfigurationError, match="rate must be from 1/86400"):
            client.batch("patientReportUrl", [report("R0001")], rate=rate)
    for settings in ({"concurrency": True}, {"concurrency": 2.0}, {"rate": True}, {"rate": "1"}):
        with pytest.raises(aimis.ConfigurationError, match="concurrency must be a whole number|rate must be a number"):
            client.batch("patientReportUrl", [report("R0001")], **settings)
    with pytest.raises(aimis.ValidationError, match="patientImages"):
        client.batch("patientImages", [report("R0001")])
    assert sim.request_count() == before


def test_rows_are_numbered_from_1_beside_their_index_from_0(client: aimis.Client) -> None:
    rows = [report("R0001"), {"reportId": "R0001"}, report("R0002")]
    results = sorted(client.batch("patientReportUrl", rows), key=lambda r: r.index)
    assert [(r.index, r.row) for r in results] == [(0, 1), (1, 2), (2, 3)]
    assert repr(results[1]) == "aimis.BatchResult(index=1, row=2, error=ValidationError)"
