"""What every ``aimis.AsyncClient`` has besides its settings: ``call`` by name,
``batch``, ``aclose`` and the per-call path its generated endpoint methods take.

Requests run on threads of the native module (not one Python thread per call), without
the GIL; their outcomes queue for the caller's event loop, which settles every one that
has come each time it is woken (see the native module's ``pending``). Cancelling the awaiting task stops its request where it waits, and its
answer, if one still comes, reaches nobody.
"""

from __future__ import annotations

import asyncio
import threading
from types import TracebackType
from typing import Any, AsyncIterator, Awaitable, Callable, Iterable, Mapping, Optional, Type, TypeVar

from aimis import _native
from aimis._batch import BatchResult
from aimis._client import Settings, plain_request

_Self = TypeVar("_Self", bound="AsyncClientBase")

# `start(*arguments, completions, future)`: starts a request whose outcome settles `future`.
Start = Callable[..., _native.Pending]


class AsyncClientBase(Settings):
    __doc__: Optional[str] = (Settings.__doc__ or "") + (
        "\n    Every call is a coroutine; ``async with aimis.AsyncClient(...) as client:``\n"
        "    closes it at the end of the block, as ``await client.aclose()`` does.\n"
    )
    __slots__ = ()

    async def call(self, endpoint: str, request: Mapping[str, Any]) -> Any:
        """Calls ``endpoint`` (``patientStudies``, ``patient_studies`` or
        ``patient-studies``) with ``request`` in the vendor's camelCase names and
        plaintext patient data; returns the response ``data`` as plain dicts and lists."""
        return await _outcome(self._native.start_call, endpoint, plain_request(request))

    def _call_fields(self, endpoint: str, values: tuple[Any, ...]) -> Awaitable[Any]:
        # Not a coroutine of its own: the generated method awaits `_outcome`'s directly.
        return _outcome(self._native.start_fields, endpoint, values)

    def batch(
        self,
        endpoint: str,
        rows: Iterable[Mapping[str, Any]],
        *,
        concurrency: int = 8,
        rate: Optional[float] = None,
        progress: Optional[Callable[[int], Any]] = None,
    ) -> AsyncIterator[BatchResult]:
        """``Client.batch`` for ``async for``: the same rows, options and outcomes
        (``BatchResult``, with ``index`` from 0 and ``row`` from 1). Rows are read from
        ``rows`` (a plain iterable) as they are needed; leaving the loop early, or
        cancelling the task, stops the batch and its requests in flight."""
        outcomes = self._native.batch(endpoint, iter(rows), concurrency, rate)
        return _results(outcomes, progress)

    async def aclose(self) -> None:
        """Lets go of the client and its connections: later calls raise
        ``ConfigurationError``; calls already running finish. Closing twice is fine."""
        self._native.close()

    async def __aenter__(self: _Self) -> _Self:
        return self

    async def __aexit__(
        self,
        kind: Optional[Type[BaseException]],
        error: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        await self.aclose()


async def _outcome(start: Start, *arguments: Any) -> Any:
    """Starts a request that settles a future of this loop, and awaits it; a cancelled
    await cancels the request."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[Any] = loop.create_future()
    pending = start(*arguments, _completions(loop), future)
    try:
        return await future
    except BaseException:
        # Cancelled (or the loop is going away): the request stops, delivers nothing.
        pending.cancel()
        raise


class _LastLoop(threading.local):
    loop: Optional[asyncio.AbstractEventLoop] = None
    completions: Optional[_native.Completions] = None


_last_loop = _LastLoop()


def _completions(loop: asyncio.AbstractEventLoop) -> _native.Completions:
    """The outcome queue of `loop`, the running loop of this thread: the one made for
    the last loop that ran here (a thread runs one loop at a time), or a new one."""
    if _last_loop.loop is not loop or _last_loop.completions is None:
        _last_loop.completions = _native.Completions.of(loop)
        _last_loop.loop = loop
    return _last_loop.completions


async def _results(outcomes: _native.Batch, progress: Optional[Callable[[int], Any]]) -> AsyncIterator[BatchResult]:
    try:
        while True:
            outcome = await _outcome(outcomes.start_next)
            if outcome is None:
                return
            index, data, error = outcome
            if progress is not None:
                progress(1)
            yield BatchResult(index, data, error)
    finally:
        # Left early or cancelled: the batch stops, requests in flight included.
        outcomes.close()
