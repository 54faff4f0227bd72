"""The shared conformance vectors (tests/vectors/, computed independently of aimis and
run by the Rust and C suites too): Python reaches the same verdict on every callback and
the same bytes for every encryption and signature."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import REPO

import aimis

VECTORS = REPO / "tests" / "vectors"
CALLBACKS = json.loads((VECTORS / "callbacks.json").read_text(encoding="utf-8"))
CRYPTO = json.loads((VECTORS / "crypto.json").read_text(encoding="utf-8"))
CASES = CALLBACKS["cases"]


def test_the_vectors_cover_every_verdict() -> None:
    reasons = {c["expect"].get("reason") for c in CASES}
    assert reasons >= {"missing_header", "duplicate_header", "app_id_mismatch", "bad_timestamp", "stale",
                       "from_future", "bad_signature", "malformed_body", "field", None}
    assert len({c["name"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_callback_vectors(case: dict[str, Any]) -> None:
    credentials = CALLBACKS["credentials"]

    def verify(body: Any) -> Any:
        # Pairs, not a dict: some cases send a header twice.
        return aimis.verify_callback(
            [tuple(pair) for pair in case["headers"]],
            body,
            app_id=credentials["app_id"],
            token=credentials["token"],
            max_skew=CALLBACKS["max_skew_seconds"],
            now_ms=CALLBACKS["now_ms"],
        )

    expect = case["expect"]
    for body in (case["body"], case["body"].encode("utf-8")):
        if expect["verdict"] == "accepted":
            callback = verify(body)
            assert isinstance(callback, aimis.StudyStatusCallback)
            row = {k: v for k, v in callback.to_dict().items() if v is not None}
            assert row == expect["callback"]
        else:
            assert expect["verdict"] == "refused"
            with pytest.raises(aimis.CallbackError) as info:
                verify(body)
            assert info.value.reason == expect["reason"], str(info.value)
            assert info.value.field == expect.get("field")


@pytest.mark.parametrize("case", CRYPTO["encrypt"], ids=lambda c: repr(c["plaintext"]))
def test_encrypt_vectors(case: dict[str, str]) -> None:
    token = CRYPTO["token"]
    assert aimis.encrypt_field(token, case["plaintext"]) == case["ciphertext"]
    assert aimis.decrypt_field(token, case["ciphertext"]) == case["plaintext"]
    assert aimis.decrypt_field(token, case["ciphertext"].upper()) == case["plaintext"]


@pytest.mark.parametrize("case", CRYPTO["decrypt_errors"], ids=lambda c: f"{c['error']}:{c['ciphertext']!r}")
def test_decrypt_error_vectors(case: dict[str, str]) -> None:
    with pytest.raises(aimis.CryptoError) as info:
        aimis.decrypt_field(CRYPTO["token"], case["ciphertext"])
    assert info.value.reason == case["error"]


@pytest.mark.parametrize("case", CRYPTO["sign"], ids=lambda c: f"{c['app_id']}@{c['timestamp']}")
def test_sign_vectors(case: dict[str, str]) -> None:
    assert aimis.sign(case["app_id"], CRYPTO["token"], case["timestamp"]) == case["signature"]
    assert aimis.sign(case["app_id"], CRYPTO["token"], int(case["timestamp"])) == case["signature"]
