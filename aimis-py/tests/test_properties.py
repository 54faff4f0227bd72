"""Property-based tests: whatever Python values reach the boundary (requests, callback
headers and bodies, ciphertexts), the outcome is a result or an `aimis.AimisError`;
never a crash, a hang, or another exception (but Python's own TypeError for a required
keyword argument left out).

The example counts are modest on purpose: the whole suite shares two cores.
"""

from __future__ import annotations

import datetime
import json
from typing import Any, Callable

import pytest
from conftest import APP_ID, TOKEN, Sim
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aimis
from aimis import _native

SERVICE = _native.service()
ENDPOINTS = SERVICE["endpoints"]
CALLBACK_FIELDS = [f["name"] for f in SERVICE["callbacks"][0]["fields"]]
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


class Opaque:
    """A value of a type aimis knows nothing about."""


def nested(depth: int, leaf: Any) -> Any:
    for _ in range(depth):
        leaf = [leaf]
    return leaf


def cyclic(container: Any) -> Any:
    if isinstance(container, list):
        container.append(container)
    elif isinstance(container, dict):
        container["self"] = container
    return container


# Text with and without lone surrogates, which no UTF-8 (so no JSON) can carry.
TEXT = st.one_of(st.text(max_size=30), st.text(st.sampled_from(["\ud800", "\udfff", "a", "0", " ", "é"]), max_size=8))
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),  # of any size
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(),  # nan and infinities included
    TEXT,
    st.binary(max_size=16),
    st.datetimes(min_value=datetime.datetime(1, 1, 1)),
    st.sampled_from([*aimis.StudyType, *aimis.DataFlag, *aimis.Usage]),
    st.builds(Opaque),
    st.sampled_from(["13800138000", "110101199003074518", "H0001", "U0001", "2025-01-01 00:00:00"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.lists(children, max_size=4).map(tuple),
        st.dictionaries(st.one_of(TEXT, st.integers()), children, max_size=4),
        st.lists(children, max_size=3).map(cyclic),
        st.dictionaries(TEXT, children, max_size=3).map(cyclic),
        st.tuples(st.integers(100, 300), children).map(lambda pair: nested(*pair)),
    ),
    max_leaves=12,
)


def outcome(call: Callable[[], Any]) -> Any:
    """The result, or the AimisError; anything else fails the test."""
    try:
        return call()
    except aimis.AimisError as e:
        assert str(e) and isinstance(e.args[0], str)
        return e


@SETTINGS
@given(endpoint=st.sampled_from(ENDPOINTS), data=st.data())
def test_call_with_any_request(sim: Sim, endpoint: dict, data: st.DataObject) -> None:
    client = aimis.Client(app_id=APP_ID, token=TOKEN, base_url=sim.url, retries=0)
    names = [f["name"] for f in endpoint["request"]]
    request = data.draw(
        st.one_of(
            st.dictionaries(st.one_of(st.sampled_from(names), TEXT), VALUES, max_size=len(names) + 1),
            st.fixed_dictionaries({name: VALUES for name in names}),
            VALUES,
        )
    )
    name = data.draw(st.sampled_from([endpoint["name"], endpoint["snake"], "x"]) | TEXT)
    result = outcome(lambda: client.call(name, request))
    assert isinstance(result, (aimis.AimisError, dict, list))


@SETTINGS
@given(endpoint=st.sampled_from(ENDPOINTS), data=st.data())
def test_keyword_methods_with_any_values(sim: Sim, endpoint: dict, data: st.DataObject) -> None:
    client = aimis.Client(app_id=APP_ID, token=TOKEN, base_url=sim.url, retries=0)
    fields = [f["snake"] for f in endpoint["request"]]
    arguments = data.draw(st.dictionaries(st.sampled_from(fields), VALUES))
    missing = {f["snake"] for f in endpoint["request"] if f["required"]} - set(arguments)
    if missing:
        # An ordinary signature: a required keyword left out is Python's TypeError.
        with pytest.raises(TypeError, match="missing"):
            getattr(client, endpoint["snake"])(**arguments)
    else:
        outcome(lambda: getattr(client, endpoint["snake"])(**arguments))


HEADER_NAMES = st.sampled_from(["appId", "timestamp", "signature", "APPID", " Signature ", "x-other"]) | TEXT
NOW_MS = 1_741_338_450_000


def signed_headers(timestamp: int) -> dict[str, str]:
    return {"appId": APP_ID, "timestamp": str(timestamp), "signature": aimis.sign(APP_ID, TOKEN, timestamp)}


def callback_json(values: dict[str, Any]) -> str:
    return json.dumps(values, default=repr)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT.filter(lambda t: "\ud800" not in t),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
CIPHERTEXTS = st.one_of(
    st.text(st.sampled_from("0123456789abcdefABCDEF"), max_size=64),
    st.text(max_size=20).map(lambda t: aimis.encrypt_field(TOKEN, t)),
    TEXT,
)
BODIES = st.one_of(
    st.binary(max_size=64),
    TEXT,
    st.fixed_dictionaries(
        {},
        optional={
            name: (CIPHERTEXTS if name in ("phoneNum", "idNum") else JSON_VALUES | st.text(max_size=12))
            for name in CALLBACK_FIELDS
        },
    ).map(callback_json),
)


@SETTINGS
@given(
    headers=st.one_of(
        st.dictionaries(HEADER_NAMES, TEXT | st.integers().map(str), max_size=5),
        st.lists(st.tuples(HEADER_NAMES, TEXT), max_size=5),
        st.integers(NOW_MS - 400_000, NOW_MS + 400_000).map(signed_headers),
        st.just(signed_headers(NOW_MS)).map(lambda h: list(h.items()) + [("appId", "other")]),
    ),
    body=BODIES,
    as_bytes=st.booleans(),
)
def test_verify_callback_with_any_headers_and_body(headers: Any, body: Any, as_bytes: bool) -> None:
    if as_bytes and isinstance(body, str):
        body = body.encode("utf-8", "surrogatepass")
    result = outcome(lambda: aimis.verify_callback(headers, body, app_id=APP_ID, token=TOKEN, now_ms=NOW_MS))
    assert isinstance(result, (aimis.CallbackError, aimis.StudyStatusCallback)), repr(result)


@SETTINGS
@given(ciphertext=CIPHERTEXTS, token=st.one_of(st.just(TOKEN), TEXT))
def test_decrypt_field_with_any_text(ciphertext: str, token: str) -> None:
    result = outcome(lambda: aimis.decrypt_field(token, ciphertext))
    assert isinstance(result, (str, aimis.CryptoError, aimis.ConfigurationError))


@SETTINGS
@given(plaintext=TEXT)
def test_encrypt_then_decrypt_gives_the_text_back(plaintext: str) -> None:
    result = outcome(lambda: aimis.encrypt_field(TOKEN, plaintext))
    if isinstance(result, str):
        assert aimis.decrypt_field(TOKEN, result) == plaintext
        assert aimis.decrypt_field(TOKEN, result.upper()) == plaintext
    else:
        assert isinstance(result, aimis.ValidationError)
        assert any(0xD800 <= ord(c) <= 0xDFFF for c in plaintext)
