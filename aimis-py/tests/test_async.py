"""``aimis.AsyncClient`` against ``aimis sim``: the blocking client's methods, answers
and exceptions as coroutines, on the native module's threads; cancellation that stops
the request and delivers its answer to nobody; many calls at once; several loops in
several threads; the batch; under asyncio's own loop, under uvloop and under a loop
that cannot watch sockets (as Windows' proactor)."""

from __future__ import annotations

import asyncio
import inspect
import subprocess
import sys
import threading
from typing import Any, Awaitable, Callable, Dict, Iterator, List, TypeVar

import pytest
from conftest import APP_ID, PATIENT, STUDIES_2025, TOKEN, Sim, closed_port

import aimis

T = TypeVar("T")

# Not a timing: only what keeps a broken build from hanging the suite.
HANG_GUARD = 120.0

try:
    import uvloop
except ImportError:  # pragma: no cover - the test venv installs it
    uvloop = None


class UnwatchingLoop(asyncio.SelectorEventLoop):
    """A loop that cannot watch a socket for its user, as Windows' proactor loop: the
    client wakes it with ``call_soon_threadsafe`` instead."""

    def add_reader(self, *args: Any) -> None:
        raise NotImplementedError


LOOPS: Dict[str, Callable[[], asyncio.AbstractEventLoop]] = {
    "asyncio": asyncio.new_event_loop,
    "uvloop": lambda: uvloop.new_event_loop(),
    "without add_reader": UnwatchingLoop,
}


@pytest.fixture(params=list(LOOPS))
def run(request: pytest.FixtureRequest) -> Iterator[Callable[[Awaitable[T]], T]]:
    """Runs a coroutine to its end on a new loop of the parametrized kind."""
    if request.param == "uvloop" and uvloop is None:
        pytest.skip("uvloop is not installed (pip install uvloop)")

    def run(coroutine: Awaitable[T]) -> T:
        loop = LOOPS[request.param]()
        try:
            return loop.run_until_complete(asyncio.wait_for(coroutine, HANG_GUARD))
        finally:
            loop.close()

    yield run


def async_client(sim: Sim, **settings: Any) -> aimis.AsyncClient:
    return aimis.AsyncClient(app_id=APP_ID, token=TOKEN, base_url=sim.url, **settings)


def report(report_id: str) -> Dict[str, Any]:
    return {"reportId": report_id, "phoneNum": PATIENT["phone_num"], "idNum": PATIENT["id_num"], "hospitalId": "H0001"}


async def sent(sim: Sim, count: int) -> None:
    """Returns once the simulator has `count` requests."""
    while await asyncio.get_running_loop().run_in_executor(None, sim.request_count) < count:
        await asyncio.sleep(0.02)


def test_every_endpoint_is_a_coroutine_with_the_blocking_methods_signature_and_doc() -> None:
    for endpoint in aimis._native.service()["endpoints"]:
        name = endpoint["snake"]
        blocking = getattr(aimis.Client, name)
        coroutine = getattr(aimis.AsyncClient, name)
        assert inspect.iscoroutinefunction(coroutine)
        assert inspect.signature(coroutine) == inspect.signature(blocking)
        assert coroutine.__doc__ == blocking.__doc__
    assert inspect.signature(aimis.AsyncClient.__init__) == inspect.signature(aimis.Client.__init__)


def test_every_endpoint_answers_as_the_blocking_client(sim: Sim, client: aimis.Client, run: Any) -> None:
    async def main() -> List[Any]:
        async with async_client(sim) as calls:
            return [
                await calls.patient_studies(**STUDIES_2025),
                await calls.patient_consultations(his_id="HIS0001", **PATIENT, union_id="U0001"),
                await calls.patient_report_url(report_id="R0002", **PATIENT),
                await calls.call("patient-report-url", report("R0003")),
            ]

    studies, consultations, url, by_name = run(main())
    assert studies and studies == client.patient_studies(**STUDIES_2025)
    assert all(type(s) is aimis.Study for s in studies)
    assert consultations == client.patient_consultations(his_id="HIS0001", **PATIENT, union_id="U0001")
    assert url == client.patient_report_url(report_id="R0002", **PATIENT) and url.study_id == "S0002"
    assert type(by_name) is dict and by_name == client.call("patientReportUrl", report("R0003"))


FAILURES: Dict[str, Callable[[Sim], Any]] = {
    "validation": lambda sim: ("patientReportUrl", {"reportId": "R0001"}),
    "unknown endpoint": lambda sim: ("patientStudys", report("R0001")),
    "api": lambda sim: ("patientReportUrl", report("R9999")),
    "http": lambda sim: sim.add_fault(kind="status", status=503) or ("patientReportUrl", report("R0001")),
    "decode": lambda sim: sim.add_fault(kind="html", status=200) or ("patientReportUrl", report("R0001")),
    "reset": lambda sim: sim.add_fault(kind="reset") or ("patientReportUrl", report("R0001")),
    "timeout": lambda sim: sim.add_fault(kind="latency", ms=3000) or ("patientReportUrl", report("R0001")),
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_every_error_kind_is_the_blocking_clients_exception(sim: Sim, run: Any, failure: str) -> None:
    settings = {"timeout": 0.2, "retries": 0}
    endpoint, request = FAILURES[failure](sim)
    with pytest.raises(aimis.AimisError) as blocking:
        aimis.Client(app_id=APP_ID, token=TOKEN, base_url=sim.url, **settings).call(endpoint, request)

    async def main() -> Any:
        return await async_client(sim, **settings).call(endpoint, request)

    with pytest.raises(aimis.AimisError) as raised:
        run(main())
    assert type(raised.value) is type(blocking.value)
    assert raised.value.args == blocking.value.args


def test_a_closed_port_and_a_closed_client_raise_as_the_blocking_client(run: Any) -> None:
    base_url = f"http://127.0.0.1:{closed_port()}"

    async def refused() -> Any:
        return await aimis.AsyncClient(app_id=APP_ID, token=TOKEN, base_url=base_url, retries=0).call(
            "patientReportUrl", report("R0001")
        )

    with pytest.raises(aimis.ConnectionRefusedException):
        run(refused())

    async def closed() -> Any:
        async with aimis.AsyncClient(app_id=APP_ID, token=TOKEN, base_url=base_url) as client:
            pass
        return await client.call("patientReportUrl", report("R0001"))

    with pytest.raises(aimis.ConfigurationError, match="closed"):
        run(closed())


def test_cancelling_a_call_mid_wait_stops_it_and_the_next_call_gets_its_own_answer(sim: Sim, run: Any) -> None:
    sim.admin("DELETE", "/requests")
    # The platform holds the first answer for longer than the hang guard: a cancel that
    # waited for it would trip the guard.
    sim.add_fault(kind="latency", ms=int(HANG_GUARD * 2000), times=1)

    async def main() -> Any:
        client = async_client(sim, timeout=3600)
        task = asyncio.ensure_future(client.patient_report_url(report_id="R0001", **PATIENT))
        await sent(sim, 1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # The same client, its next call: R0002's answer, never the held R0001's.
        return await client.patient_report_url(report_id="R0002", **PATIENT)

    assert run(main()).study_id == "S0002"


def test_wait_for_timing_out_cancels_the_call(sim: Sim, run: Any) -> None:
    sim.add_fault(kind="latency", ms=int(HANG_GUARD * 2000), times=1)

    async def main() -> Any:
        client = async_client(sim, timeout=3600)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(client.patient_report_url(report_id="R0001", **PATIENT), 0.3)
        return await client.patient_report_url(report_id="R0003", **PATIENT)

    assert run(main()).study_id == "S0003"


def test_a_thousand_calls_at_once(sim: Sim, client: aimis.Client, run: Any) -> None:
    ids = [f"R000{n % 7 + 1}" for n in range(1000)]
    expected = {i: client.patient_report_url(report_id=i, **PATIENT) for i in set(ids)}

    async def main() -> List[Any]:
        calls = async_client(sim)
        return await asyncio.gather(*(calls.patient_report_url(report_id=i, **PATIENT) for i in ids))

    answers = run(main())
    assert answers == [expected[i] for i in ids]


def test_bursts_after_quiet_gaps_all_complete(sim: Sim, client: aimis.Client, run: Any) -> None:
    """Threads gone idle between bursts are woken one by one, each waking the next: a
    wake that is not passed on leaves a call waiting forever (caught by HANG_GUARD)."""
    expected = client.patient_report_url(report_id="R0001", **PATIENT)

    async def main() -> List[Any]:
        calls, answers = async_client(sim), []
        for size in [1, 2, 64, 3, 100, 1, 17, 200, 5]:
            await asyncio.sleep(0.02)
            answers += await asyncio.gather(
                *(calls.patient_report_url(report_id="R0001", **PATIENT) for _ in range(size))
            )
        return answers

    assert run(main()) == [expected] * 393


def test_several_loops_in_several_threads_share_one_client(sim: Sim, client: aimis.Client) -> None:
    shared = async_client(sim)
    expected = client.patient_studies(**STUDIES_2025)
    answers: List[Any] = []
    failures: List[BaseException] = []

    def loop_thread(kind: str) -> None:
        async def main() -> List[Any]:
            return list(await asyncio.gather(*(shared.patient_studies(**STUDIES_2025) for _ in range(20))))

        try:
            loop = LOOPS["asyncio" if kind == "uvloop" and uvloop is None else kind]()
            try:
                answers.extend(loop.run_until_complete(asyncio.wait_for(main(), HANG_GUARD)))
            finally:
                loop.close()
        except BaseException as e:  # reported below, on the test's thread
            failures.append(e)

    threads = [threading.Thread(target=loop_thread, args=(kind,)) for kind in ["asyncio", "uvloop", "without add_reader"] * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures
    assert answers == [expected] * 120


def test_loops_taking_turns_on_one_thread_each_get_their_answers(sim: Sim, client: aimis.Client) -> None:
    # Outcomes queue per loop: a loop that runs again after another ran on the same
    # thread (and a new loop after one closed) must still be woken with its own.
    shared = async_client(sim)
    expected = client.patient_studies(**STUDIES_2025)
    first, second = asyncio.new_event_loop(), asyncio.new_event_loop()
    try:
        for loop in [first, second, first, second]:
            answer = loop.run_until_complete(asyncio.wait_for(shared.patient_studies(**STUDIES_2025), HANG_GUARD))
            assert answer == expected
    finally:
        first.close()
        second.close()
    assert asyncio.run(asyncio.wait_for(shared.patient_studies(**STUDIES_2025), HANG_GUARD)) == expected


def test_the_batch_yields_each_rows_outcome_numbered_as_the_blocking_batch(sim: Sim, client: aimis.Client, run: Any) -> None:
    rows: List[Any] = [report(f"R000{n % 7 + 1}") for n in range(30)]
    rows[4] = {"reportId": "R0001"}
    rows[9] = report("R9999")
    ticks: List[int] = []

    async def main() -> List[aimis.BatchResult]:
        async with async_client(sim) as calls:
            return [r async for r in calls.batch("patientReportUrl", rows, concurrency=4, progress=ticks.append)]

    results = run(main())
    expected = {r.index: r for r in client.batch("patientReportUrl", rows, concurrency=4)}
    assert sorted(r.index for r in results) == list(range(30)) and ticks == [1] * 30
    for r in results:
        assert r.row == r.index + 1
        assert r.data == expected[r.index].data
        assert type(r.error) is type(expected[r.index].error)
    assert isinstance(results[[r.index for r in results].index(9)].error, aimis.ApiError)


def test_leaving_the_batch_early_stops_it_and_the_client_goes_on(sim: Sim, run: Any) -> None:
    sim.add_fault(kind="latency", ms=int(HANG_GUARD * 2000), times=3)
    rows = [report("R0001")] * 3 + [report("R0002")] * 50

    async def main() -> Any:
        client = async_client(sim, timeout=3600)
        async for result in client.batch("patientReportUrl", rows, concurrency=4):
            assert result.ok
            break
        # Cancelling a task that waits on the batch stops it too.
        async def drain() -> None:
            async for _ in client.batch("patientReportUrl", [report("R0001")] * 3, concurrency=3):
                pass

        sim.add_fault(kind="latency", ms=int(HANG_GUARD * 2000), times=3)
        task = asyncio.ensure_future(drain())
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return await client.patient_report_url(report_id="R0004", **PATIENT)

    assert run(main()).study_id == "S0004"


def test_the_client_names_itself_without_the_token(sim: Sim) -> None:
    client = async_client(sim)
    assert repr(client) == f"aimis.AsyncClient(app_id='demo-app', base_url={sim.url!r})"
    assert TOKEN not in repr(client)


EXIT_MID_FLIGHT = """
import asyncio, sys
import aimis

PATIENT = {"phone_num": "13800138000", "id_num": "110101199003074518", "hospital_id": "H0001"}
client = aimis.AsyncClient(app_id=sys.argv[2], token=sys.argv[3], base_url=sys.argv[1])
loop = asyncio.new_event_loop()
calls = [loop.create_task(client.patient_report_url(report_id="R0001", **PATIENT)) for _ in range(300)]
loop.run_until_complete(asyncio.wait(calls, return_when=asyncio.FIRST_COMPLETED))
# Out, with answers still coming: the native threads must leave the interpreter alone.
loop.close()
print("done")
"""


def test_the_interpreter_ends_cleanly_with_answers_still_coming(sim: Sim) -> None:
    for _ in range(5):
        done = subprocess.run([sys.executable, "-c", EXIT_MID_FLIGHT, sim.url, APP_ID, TOKEN],
                              capture_output=True, text=True, timeout=HANG_GUARD)
        assert (done.returncode, done.stdout) == (0, "done\n"), done.stderr[-2000:]
