"""Verifying the platform's callbacks, with headers from any web framework."""

from __future__ import annotations

from typing import Any, Iterable, List, Optional, Protocol, Tuple, Union

from aimis import _native
from aimis._generated import CALLBACKS, MAX_SKEW_SECONDS, Callback


class HeaderItems(Protocol):
    """Headers as web frameworks hold them: a dict, Flask/Werkzeug ``Headers``, Django's
    ``request.headers``, Starlette's ``Headers``; anything whose ``items()`` gives
    ``(name, value)`` pairs."""

    def items(self) -> Iterable[Tuple[str, str]]: ...


Headers = Union[HeaderItems, Iterable[Tuple[str, str]]]


def verify_callback(
    headers: Headers,
    body: Union[bytes, str],
    *,
    app_id: str,
    token: str,
    max_skew: float = MAX_SKEW_SECONDS,
    kind: Optional[str] = None,
    now_ms: Optional[int] = None,
) -> Callback:
    """Verifies a callback from the platform and returns it decrypted.

    ``headers`` is any mapping or sequence of pairs, names in any case: a dict,
    Flask's ``request.headers``, Django's ``request.headers``, Starlette's. ``body``
    is the raw body, bytes or str. The appId, the timestamp (within ``max_skew``
    seconds of now, either way) and the signature are checked, then the patient
    fields are decrypted. ``kind`` names the callback when the spec has several.
    ``now_ms`` is the time to check the timestamp against, in milliseconds since
    1970 (default: now), for tests and for re-checking a stored callback.

    Raises ``CallbackError`` (answer with an error status) when anything is wrong.
    The signature does not cover the body: handle callbacks idempotently.
    """
    if kind is None:
        if len(CALLBACKS) != 1:
            raise TypeError("verify_callback() needs kind= when the spec has several callbacks")
        kind = next(iter(CALLBACKS))
    callback: Callback = _native.verify_callback(kind, header_pairs(headers), _bytes(body), app_id, token, max_skew, now_ms)
    return callback


def header_pairs(headers: Headers) -> List[Tuple[str, str]]:
    """``(name, value)`` pairs from a mapping (``items()``) or an iterable of pairs;
    bytes (ASGI's raw headers) are read as Latin-1, as HTTP defines them."""
    items = headers.items() if hasattr(headers, "items") else headers
    return [(_text(name), _text(value)) for name, value in items]


def _text(value: Any) -> str:
    if isinstance(value, (bytes, bytearray)):
        return value.decode("latin-1")
    # A lone surrogate (no real header holds one) becomes U+FFFD, which matches nothing.
    return str(value).encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def _bytes(body: Union[bytes, bytearray, memoryview, str]) -> bytes:
    # A lone surrogate is kept as the bytes it would be, which no JSON parser accepts:
    # the body is refused as malformed rather than raising UnicodeEncodeError here.
    return body.encode("utf-8", "surrogatepass") if isinstance(body, str) else bytes(body)
