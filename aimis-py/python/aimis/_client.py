"""What every ``aimis.Client`` and ``aimis.AsyncClient`` has: its settings; and the
blocking client's ``call`` by name, ``batch``, ``close`` and the per-call path the
generated endpoint methods (``_generated.py``) take."""

from __future__ import annotations

import os
from types import TracebackType
from typing import Any, Callable, Iterable, Iterator, Mapping, Optional, Type, TypeVar, Union

from aimis import _native
from aimis._batch import BatchResult


_Self = TypeVar("_Self", bound="ClientBase")


class Settings:
    """A client of the AIMIS platform, safe to share between threads.

    ``base_url`` defaults to production; plain ``http://`` is accepted only for
    loopback hosts (a local ``aimis sim``) unless ``allow_insecure_http``.
    ``timeout`` (per attempt) and ``connect_timeout`` are in seconds, at most 3600;
    failures that a retry can fix are retried ``retries`` times (0 to 10) with
    backoff. ``proxy`` is an HTTP proxy's URL; without it the environment's proxy
    (``HTTPS_PROXY``, ``https_proxy`` or ``ALL_PROXY``; ``http_proxy`` for ``http://``;
    ``NO_PROXY`` honoured, loopback never proxied) is used unless ``proxy_from_env`` is
    False. ``ca_certs`` adds CA
    certificates to trust besides the public roots (for a TLS-inspecting proxy): a
    PEM file's path, or PEM bytes. ``user_agent_product`` (such as ``my-his/4.2``) is
    sent in the User-Agent. A bad setting is a ``ConfigurationError`` here.
    """

    __slots__ = ("_native",)

    def __init__(
        self,
        app_id: str,
        token: str,
        base_url: Optional[str] = None,
        timeout: float = 10.0,
        connect_timeout: float = 5.0,
        retries: int = 2,
        proxy: Optional[str] = None,
        ca_certs: Union[str, os.PathLike[str], bytes, None] = None,
        proxy_from_env: bool = True,
        allow_insecure_http: bool = False,
        user_agent_product: Optional[str] = None,
    ) -> None:
        self._native = _native.Client(
            app_id,
            token,
            base_url,
            timeout,
            connect_timeout,
            retries,
            proxy,
            ca_certs,
            proxy_from_env,
            allow_insecure_http,
            user_agent_product,
        )

    @property
    def app_id(self) -> str:
        """The partner's app id."""
        return self._native.app_id

    @property
    def base_url(self) -> str:
        """The platform's address."""
        return self._native.base_url

    def __repr__(self) -> str:
        return f"aimis.{type(self).__name__}(app_id={self.app_id!r}, base_url={self.base_url!r})"


def plain_request(request: Mapping[str, Any]) -> Any:
    """A request as the native side reads it: a dict (or anything else) as it is, read
    without running the caller's code; other mappings copied into a dict."""
    if not issubclass(type(request), dict) and issubclass(type(request), Mapping):
        return dict(request)
    return request


class ClientBase(Settings):
    __doc__ = Settings.__doc__
    __slots__ = ()

    def call(self, endpoint: str, request: Mapping[str, Any]) -> Any:
        """Calls ``endpoint`` (``patientStudies``, ``patient_studies`` or
        ``patient-studies``) with ``request`` in the vendor's camelCase names and
        plaintext patient data; returns the response ``data`` as plain dicts and lists."""
        return self._native.call(endpoint, plain_request(request))

    def batch(
        self,
        endpoint: str,
        rows: Iterable[Mapping[str, Any]],
        *,
        concurrency: int = 8,
        rate: Optional[float] = None,
        progress: Optional[Callable[[int], Any]] = None,
    ) -> Iterator[BatchResult]:
        """Calls ``endpoint`` once per row of ``rows`` (each a request as for ``call``),
        at most ``concurrency`` at once (1 to 256) and at most ``rate`` a second, and
        yields each outcome as it completes, as a ``BatchResult`` with the row's
        ``index`` (from 0) and ``row`` (from 1, as the CLI and C number rows). When the platform asks to slow down (FetchLimitExceeded, HTTP 429) the
        batch pauses, lowers its concurrency and sends that row again. One row's failure
        is its outcome; an unknown endpoint or an unusable setting raises here.
        ``progress`` is called with 1 after each row (``tqdm(total=n).update`` works).
        Rows are read as they are needed, and the GIL is released while waiting. If
        reading ``rows`` raises, the batch takes no more rows (even from an iterator
        that would go on): it yields the outcomes of the rows before, then raises that
        exception. A row's ``index`` is always its position in ``rows``."""
        outcomes = self._native.batch(endpoint, iter(rows), concurrency, rate)
        return _results(outcomes, progress)

    def close(self) -> None:
        """Lets go of the client and its connections: later calls raise
        ``ConfigurationError``; calls running in other threads finish. Closing twice is
        fine. ``with aimis.Client(...) as client:`` closes it at the end of the block."""
        self._native.close()

    def __enter__(self: _Self) -> _Self:
        return self

    def __exit__(
        self,
        kind: Optional[Type[BaseException]],
        error: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.close()


def _results(outcomes: Any, progress: Optional[Callable[[int], Any]]) -> Iterator[BatchResult]:
    try:
        for index, data, error in outcomes:
            if progress is not None:
                progress(1)
            yield BatchResult(index, data, error)
    finally:
        # A loop left early: the batch takes no more rows.
        outcomes.close()
