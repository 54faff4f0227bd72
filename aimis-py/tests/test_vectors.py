"""The shared conformance vectors (tests/vectors/, run by the Rust suite too, and the
callback and crypto ones, computed independently of aimis, by the C suite): Python
reaches the same verdict on every callback and answer, and the same bytes for every
encryption and signature."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import APP_ID, REPO, STUDIES_2025, TOKEN, Rogue

import aimis

VECTORS = REPO / "tests" / "vectors"
CALLBACKS = json.loads((VECTORS / "callbacks.json").read_text(encoding="utf-8"))
CRYPTO = json.loads((VECTORS / "crypto.json").read_text(encoding="utf-8"))
CASES = CALLBACKS["cases"]
ANSWERS = json.loads((VECTORS / "answers.json").read_text(encoding="utf-8"))


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


@pytest.mark.parametrize("case", ANSWERS["cases"], ids=[c["name"] for c in ANSWERS["cases"]])
def test_answer_vectors(case: dict[str, Any], rogue: Rogue) -> None:
    """Each answer read from the bytes into Python values gives the vector's data, by
    `call` as dicts and by the endpoint's method as records; or the vector's error."""
    rogue.answer = (200, "application/json", case["body"].encode())
    client = aimis.Client(app_id=APP_ID, token=TOKEN, base_url=rogue.url, retries=0)
    request = {"phoneNum": STUDIES_2025["phone_num"], "idNum": STUDIES_2025["id_num"],
               "hospitalId": "H0001", "unionId": "U0001", "studyType": 0, "dataFlag": 0, "usage": 2,
               "studyDateBegin": "2025-01-01 00:00:00", "studyDateEnd": "2025-12-31 23:59:59"}
    if "data" in case:
        assert client.call(ANSWERS["endpoint"], request) == case["data"]
        assert [study.to_dict() for study in client.patient_studies(**STUDIES_2025)] == case["data"]
        return
    error_class = {"api": aimis.ApiError, "decode": aimis.DecodeError}[case["error"]["kind"]]
    for call in (lambda: client.call(ANSWERS["endpoint"], request), lambda: client.patient_studies(**STUDIES_2025)):
        with pytest.raises(error_class) as raised:
            call()
        assert str(raised.value) == case["error"]["message"]
