"""Redaction: canary values for the token, the patient's phone, ID and name, and the
platform's answers (a study name, report links) go through every endpoint and every kind
of failure; none may appear in the str(), repr() or traceback of an exception, in the
repr of a record or of the client, or in anything logged.

A second `aimis sim` runs with a canary token and a canary patient. A rogue platform
answers what the simulator never does: a gateway page echoing the data, wrong JSON.
"""

from __future__ import annotations

import json
import logging
import time
import traceback
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from conftest import APP_ID, TOKEN, Rogue, Sim, closed_port, running_sim

import aimis
from aimis import _native

# The request side: what a partner sends.
CANARY_TOKEN = "C4n4ryT0k3n-C4n4ryT0k3n-C4n4ry!!"
CANARY_PHONE = "13912345678"
CANARY_ID = "440301198706151234"
CANARY_NAME = "Canary Wang"
# The response side: what the platform answers about the patient.
CANARY_PATIENT_ID = "CANARY-PATIENT-ID"
CANARY_HIS_ID = "CANARY-HIS-ID"
CANARY_STUDY = "Canary study name, plain scan"
CANARY_LINK = "https://h5.canary.example/report/CANARY-LINK"
CANARY_DETAIL = "https://h5.canary.example/images/CANARY-DETAIL"
CANARY_UNI_PATH = "pages/study/detail?canary=CANARY-UNI-PATH"

REQUEST_SECRETS = (CANARY_TOKEN, TOKEN, CANARY_PHONE, CANARY_ID, CANARY_NAME)
RESPONSE_DATA = (CANARY_PATIENT_ID, CANARY_HIS_ID, CANARY_STUDY, CANARY_LINK, CANARY_DETAIL, CANARY_UNI_PATH)
EVERYTHING = REQUEST_SECRETS + RESPONSE_DATA

SERVICE = _native.service()
ENDPOINTS = SERVICE["endpoints"]
CALLBACK = SERVICE["callbacks"][0]

# Plain values of the canary patient's non-sensitive fields.
KNOWN = {"hospitalId": "H0001", "unionId": "U0001", "hisId": CANARY_HIS_ID, "reportId": "R-C1"}
PATIENT_SECRETS = {"phoneNum": CANARY_PHONE, "idNum": CANARY_ID, "patientName": CANARY_NAME}

FIXTURES = {
    "patients": [
        {
            "patientId": CANARY_PATIENT_ID,
            "patientName": CANARY_NAME,
            "phoneNum": CANARY_PHONE,
            "idNum": CANARY_ID,
            "consultations": [
                {"hisId": CANARY_HIS_ID, "hospitalId": "H0001", "unionId": "U0001", "h5Url": CANARY_LINK}
            ],
            "studies": [
                {
                    "reportId": "R-C1",
                    "studyId": "S-C1",
                    "hisId": CANARY_HIS_ID,
                    "hospitalId": "H0001",
                    "unionId": "U0001",
                    "studyType": 0,
                    "studyDate": "2025-01-15 09:30:00",
                    "bodyPart": "Chest",
                    "studyName": CANARY_STUDY,
                    "uniPath": CANARY_UNI_PATH,
                    "h5Url": CANARY_LINK,
                    "h5DetailUrl": CANARY_DETAIL,
                    "status": 3,
                }
            ],
        }
    ]
}


def clean(text: str, secrets: tuple[str, ...] = EVERYTHING) -> None:
    for secret in secrets:
        assert secret not in text, f"{secret!r} leaked into: {text}"


def assert_clean(error: BaseException) -> None:
    """Message, repr, arguments, attributes and the whole printed traceback."""
    assert isinstance(error, aimis.AimisError), repr(error)
    for text in (str(error), repr(error), repr(error.args), repr(vars(error)),
                 "".join(traceback.format_exception(type(error), error, error.__traceback__))):
        clean(text)


def failure(call: Callable[[], Any]) -> aimis.AimisError:
    with pytest.raises(aimis.AimisError) as info:
        call()
    assert_clean(info.value)
    return info.value


@pytest.fixture(autouse=True)
def nothing_logged(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Whatever anything logs during a test, at any level, holds no canary."""
    with caplog.at_level(logging.DEBUG):
        yield
    clean(caplog.text)
    for record in caplog.records:
        clean(repr(record.args))


@pytest.fixture(scope="module")
def canary_sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sim]:
    fixtures = tmp_path_factory.mktemp("canary") / "fixtures.json"
    fixtures.write_text(json.dumps(FIXTURES))
    with running_sim("--fixtures", str(fixtures), token=CANARY_TOKEN) as sim:
        yield sim


@pytest.fixture
def canary_client(canary_sim: Sim) -> Iterator[aimis.Client]:
    client = aimis.Client(app_id=APP_ID, token=CANARY_TOKEN, base_url=canary_sim.url, retries=0)
    clean(repr(client) + str(client))
    yield client
    canary_sim.admin("DELETE", "/faults")


def kind_of(field: dict[str, Any]) -> str:
    """`string`, `int`, `datetime`, or `enum` (the registry gives an enum field's type by
    its name, with its values)."""
    return "enum" if "values" in field else str(field["type"])


def request_for(endpoint: dict[str, Any]) -> dict[str, Any]:
    """A valid request of the canary patient, built from the registry: sensitive fields
    hold canaries, the others the canary patient's plain values."""
    request: dict[str, Any] = {}
    dates = iter(["2025-01-01 00:00:00", "2025-12-31 23:59:59"])
    for field in endpoint["request"]:
        name, kind = field["name"], kind_of(field)
        if field["sensitive"] or field["encrypted"]:
            request[name] = PATIENT_SECRETS.get(name) or KNOWN.get(name) or f"canary-{name}"
        elif kind == "enum":
            request[name] = 0
        elif kind == "datetime":
            request[name] = next(dates)
        else:
            request[name] = KNOWN.get(name, "x")
    return request


def keywords(endpoint: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
    snake = {f["name"]: f["snake"] for f in endpoint["request"]}
    return {snake[name]: value for name, value in request.items()}


by_endpoint = pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e["name"] for e in ENDPOINTS])


@by_endpoint
def test_answers_and_records_hold_no_request_secret(canary_client: aimis.Client, endpoint: dict[str, Any]) -> None:
    request = request_for(endpoint)
    assert set(PATIENT_SECRETS) & set(request), "the endpoint takes no patient data"
    result = getattr(canary_client, endpoint["snake"])(**keywords(endpoint, request))
    assert CANARY_LINK in json.dumps(result.to_dict() if hasattr(result, "to_dict") else [r.to_dict() for r in result])
    clean(repr(result) + str(result), REQUEST_SECRETS)


@by_endpoint
def test_records_mask_the_platforms_links(canary_client: aimis.Client, endpoint: dict[str, Any]) -> None:
    result = getattr(canary_client, endpoint["snake"])(**keywords(endpoint, request_for(endpoint)))
    clean(repr(result), (CANARY_LINK, CANARY_DETAIL, CANARY_UNI_PATH, CANARY_HIS_ID, CANARY_PATIENT_ID))


@by_endpoint
def test_validation_errors(canary_client: aimis.Client, canary_sim: Sim, endpoint: dict[str, Any]) -> None:
    before = canary_sim.request_count()
    request = request_for(endpoint)
    for field in endpoint["request"]:
        name = field["name"]
        # Each field in turn holds patient data of the wrong kind.
        wrong = {"enum": CANARY_PHONE, "datetime": CANARY_ID}.get(kind_of(field), {"v": CANARY_NAME})
        error = failure(lambda: canary_client.call(endpoint["name"], {**request, name: wrong}))
        assert isinstance(error, aimis.ValidationError) and error.field == name
        if field["required"]:
            # None stands for "not given": the core names the missing field.
            given = keywords(endpoint, {**request, name: None})
            error = failure(lambda: getattr(canary_client, endpoint["snake"])(**given))
            assert isinstance(error, aimis.ValidationError) and error.field == name
            # Left out, it is Python's own TypeError, naming the keyword and no value.
            rest = keywords(endpoint, {k: v for k, v in request.items() if k != name})
            with pytest.raises(TypeError, match=field["snake"]) as info:
                getattr(canary_client, endpoint["snake"])(**rest)
            clean("".join(traceback.format_exception(info.type, info.value, info.tb)))
    assert canary_sim.request_count() == before


@by_endpoint
def test_api_errors(sim: Sim, endpoint: dict[str, Any]) -> None:
    # The default simulator knows neither the canary patient nor the canary token.
    unknown = aimis.Client(app_id=APP_ID, token=TOKEN, base_url=sim.url, retries=0)
    assert isinstance(failure(lambda: unknown.call(endpoint["name"], request_for(endpoint))), aimis.ApiError)
    wrong_token = aimis.Client(app_id=APP_ID, token=CANARY_TOKEN, base_url=sim.url, retries=0)
    assert isinstance(failure(lambda: wrong_token.call(endpoint["name"], request_for(endpoint))), aimis.ApiError)


def echo_page() -> bytes:
    """A gateway's error page that quotes what it saw."""
    return ("<html><body>upstream failed for " + " ".join(EVERYTHING) + "</body></html>").encode()


@by_endpoint
def test_http_errors(rogue: Rogue, endpoint: dict[str, Any]) -> None:
    client = aimis.Client(app_id=APP_ID, token=CANARY_TOKEN, base_url=rogue.url, retries=0)
    rogue.answer = (500, "text/html", echo_page())
    error = failure(lambda: client.call(endpoint["name"], request_for(endpoint)))
    # Described by its shape, never by its text.
    assert isinstance(error, aimis.HttpError)
    assert (error.status, error.content_type, error.length) == (500, "text/html", len(echo_page()))


@by_endpoint
def test_api_errors_of_a_rogue_platform(rogue: Rogue, endpoint: dict[str, Any]) -> None:
    # The platform's own message is kept (it is the partner's only clue); only what
    # the client adds must be clean. Here the message is plain.
    client = aimis.Client(app_id=APP_ID, token=CANARY_TOKEN, base_url=rogue.url, retries=0)
    rogue.answer_json({"code": 10003, "message": "no data", "data": {"echo": list(EVERYTHING)}})
    assert isinstance(failure(lambda: client.call(endpoint["name"], request_for(endpoint))), aimis.ApiError)


# Answers of the wrong shape, each holding the canaries where a value should be.
WRONG_SHAPES = [
    pytest.param((200, "application/json", echo_page()), id="not-json"),
    pytest.param((200, "text/html", echo_page()), id="html-page"),
    pytest.param(
        (200, "application/json", json.dumps({"code": 0, "message": "ok", "data": CANARY_LINK}).encode()),
        id="data-a-string",
    ),
    pytest.param(
        (200, "application/json", json.dumps({"code": CANARY_PHONE, "message": CANARY_NAME}).encode()),
        id="code-a-string",
    ),
]


@by_endpoint
@pytest.mark.parametrize("answer", WRONG_SHAPES)
def test_decode_errors(rogue: Rogue, endpoint: dict[str, Any], answer: tuple[int, str, bytes]) -> None:
    client = aimis.Client(app_id=APP_ID, token=CANARY_TOKEN, base_url=rogue.url, retries=0)
    rogue.answer = answer
    assert isinstance(failure(lambda: client.call(endpoint["name"], request_for(endpoint))), aimis.DecodeError)


def wrong_types(endpoint: dict[str, Any]) -> Any:
    """The answer's `data` with every string field holding a number and every number
    field a canary string."""

    def record(struct_name: str) -> dict[str, Any]:
        struct = next(s for s in SERVICE["structs"] if s["name"] == struct_name)
        return {f["name"]: 42 if f["type"] == "string" else CANARY_LINK for f in struct["fields"]}

    response: str = endpoint["response"]
    if response.startswith("list<"):
        return [record(response.removeprefix("list<").removesuffix(">"))]
    return record(response)


@by_endpoint
def test_decode_errors_of_wrong_types(rogue: Rogue, endpoint: dict[str, Any]) -> None:
    client = aimis.Client(app_id=APP_ID, token=CANARY_TOKEN, base_url=rogue.url, retries=0)
    rogue.answer_data(wrong_types(endpoint))
    assert isinstance(failure(lambda: client.call(endpoint["name"], request_for(endpoint))), aimis.DecodeError)


@by_endpoint
def test_transport_errors_and_timeouts(canary_client: aimis.Client, canary_sim: Sim, endpoint: dict[str, Any]) -> None:
    request = request_for(endpoint)
    nobody = aimis.Client(app_id=APP_ID, token=CANARY_TOKEN, base_url=f"http://127.0.0.1:{closed_port()}", retries=0)
    assert isinstance(failure(lambda: nobody.call(endpoint["name"], request)), aimis.TransportError)
    for fault in ({"kind": "reset"}, {"kind": "truncate"}):
        canary_sim.add_fault(**fault, times=1)
        assert isinstance(failure(lambda: canary_client.call(endpoint["name"], request)), aimis.TransportError)
    canary_sim.add_fault(kind="latency", ms=2000, times=1)
    impatient = aimis.Client(app_id=APP_ID, token=CANARY_TOKEN, base_url=canary_sim.url, timeout=0.2, retries=0)
    assert isinstance(failure(lambda: impatient.call(endpoint["name"], request)), aimis.TimeoutException)


def canary_callback(**changes: Any) -> dict[str, Any]:
    """A callback about the canary patient, as the platform sends it."""
    body: dict[str, Any] = {
        "status": 1, "phoneNum": aimis.encrypt_field(CANARY_TOKEN, CANARY_PHONE),
        "idNum": aimis.encrypt_field(CANARY_TOKEN, CANARY_ID), "patientId": CANARY_PATIENT_ID,
        "hospitalId": "H0001", "hisId": CANARY_HIS_ID, "studyType": 0, "studyDate": "2025-01-15 09:30:00",
        "studyId": "S-C1", "studyName": CANARY_STUDY, "h5Url": CANARY_LINK, "h5DetailUrl": CANARY_DETAIL,
        "reportId": "R-C1",
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def signed(timestamp: int, app_id: str = APP_ID) -> dict[str, str]:
    return {"appId": app_id, "timestamp": str(timestamp), "signature": aimis.sign(app_id, CANARY_TOKEN, timestamp)}


NOW = 1_741_338_450_000
REFUSALS: list[tuple[str, Callable[[], tuple[Any, Any]]]] = [
    ("missing-header", lambda: ({"appId": APP_ID}, json.dumps(canary_callback()))),
    ("app-id-mismatch", lambda: (signed(NOW, "other-app"), json.dumps(canary_callback()))),
    ("bad-timestamp", lambda: ({**signed(NOW), "timestamp": CANARY_PHONE + "x"}, json.dumps(canary_callback()))),
    ("stale", lambda: (signed(NOW - 3_600_000), json.dumps(canary_callback()))),
    ("bad-signature", lambda: ({**signed(NOW), "signature": CANARY_ID}, json.dumps(canary_callback()))),
    ("body-not-json", lambda: (signed(NOW), " ".join(EVERYTHING))),
    ("body-an-array", lambda: (signed(NOW), json.dumps(list(EVERYTHING)))),
    ("body-truncated", lambda: (signed(NOW), json.dumps(canary_callback())[:-20])),
    ("status-a-string", lambda: (signed(NOW), json.dumps(canary_callback(status=CANARY_PHONE)))),
    ("date-a-number", lambda: (signed(NOW), json.dumps(canary_callback(studyDate=13912345678)))),
    ("phone-in-plaintext", lambda: (signed(NOW), json.dumps(canary_callback(phoneNum=CANARY_PHONE)))),
    ("phone-of-another-token", lambda: (signed(NOW), json.dumps(canary_callback(
        phoneNum=aimis.encrypt_field(TOKEN, CANARY_PHONE))))),
    ("required-missing", lambda: (signed(NOW), json.dumps(canary_callback(reportId=None)))),
]


@pytest.mark.parametrize("case", [c for _, c in REFUSALS], ids=[n for n, _ in REFUSALS])
def test_callback_refusals(case: Callable[[], tuple[Any, Any]]) -> None:
    headers, body = case()
    error = failure(lambda: aimis.verify_callback(headers, body, app_id=APP_ID, token=CANARY_TOKEN, now_ms=NOW))
    assert isinstance(error, aimis.CallbackError)


def test_an_accepted_callback_shows_no_patient_data() -> None:
    callback = aimis.verify_callback(
        signed(NOW), json.dumps(canary_callback()), app_id=APP_ID, token=CANARY_TOKEN, now_ms=NOW
    )
    assert (callback.phone_num, callback.id_num) == (CANARY_PHONE, CANARY_ID)
    clean(repr(callback) + str(callback), REQUEST_SECRETS)


CONFIGS: list[tuple[str, dict[str, Any]]] = [
    ("token-too-long", {"token": CANARY_TOKEN + "x"}),
    ("token-too-short", {"token": CANARY_TOKEN[:-1]}),
    ("token-a-phone", {"token": CANARY_PHONE}),
    ("app-id-a-name", {"app_id": CANARY_NAME}),
    ("timeout-a-phone", {"timeout": CANARY_PHONE}),
    ("retries-an-id", {"retries": CANARY_ID}),
]


@pytest.mark.parametrize("settings", [s for _, s in CONFIGS], ids=[n for n, _ in CONFIGS])
def test_configuration_errors(settings: dict[str, Any]) -> None:
    error = failure(lambda: aimis.Client(**{"app_id": APP_ID, "token": CANARY_TOKEN, **settings}))
    assert isinstance(error, aimis.ConfigurationError)


def test_crypto_errors(tmp_path: Path) -> None:
    for ciphertext in ("zz" + CANARY_PHONE, CANARY_ID, aimis.encrypt_field(TOKEN, CANARY_PHONE)):
        assert isinstance(failure(lambda: aimis.decrypt_field(CANARY_TOKEN, ciphertext)), aimis.CryptoError)
    for token in (CANARY_TOKEN + "!", CANARY_PHONE):
        failure(lambda: aimis.decrypt_field(token, aimis.encrypt_field(CANARY_TOKEN, CANARY_PHONE)))
        failure(lambda: aimis.encrypt_field(token, CANARY_PHONE))
        failure(lambda: aimis.sign(APP_ID, token, int(time.time() * 1000)))
