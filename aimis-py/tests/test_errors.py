"""Every kind of failure: its class, its details, and that nothing leaks into it."""

from __future__ import annotations

import builtins
import pickle
from typing import Any, Callable

import pytest
from conftest import APP_ID, ID_NUM, PATIENT, PHONE, STUDIES_2025, TOKEN, Sim, closed_port

import aimis

SECRETS = (PHONE, ID_NUM, TOKEN, "Li Hua")


def assert_clean(error: BaseException) -> None:
    """No patient data and no token in the message, the repr or the args."""
    for text in (str(error), repr(error), repr(error.args)):
        for secret in SECRETS:
            assert secret not in text


def raised(call: Callable[[], Any]) -> aimis.AimisError:
    with pytest.raises(aimis.AimisError) as info:
        call()
    assert_clean(info.value)
    return info.value


@pytest.mark.parametrize(
    ("change", "field", "rule_part"),
    [
        ({"id_num": None}, "idNum", "required"),
        ({"hospital_id": ""}, "hospitalId", ""),
        ({"study_type": 9}, "studyType", "Radiology"),
        ({"data_flag": "Nowhere"}, "dataFlag", ""),
        ({"study_date_begin": "2025-13-01 00:00:00"}, "studyDateBegin", ""),
        ({"study_date_begin": "yesterday"}, "studyDateBegin", ""),
        ({"study_date_end": "2024-01-01 00:00:00"}, "studyDateEnd", "studyDateBegin"),
        ({"union_id": 42}, "unionId", "string"),
        ({"union_id": {1, 2}}, "unionId", "unsupported type"),
        ({"union_id": 2**70}, "unionId", "64-bit"),
        ({"union_id": "\ud800"}, "unionId", "Unicode"),
    ],
)
def test_invalid_requests_name_the_field_and_send_nothing(
    client: aimis.Client, sim: Sim, change: dict, field: str, rule_part: str
) -> None:
    before = sim.request_count()
    error = raised(lambda: client.patient_studies(**{**STUDIES_2025, "patient_name": "Li Hua", **change}))
    assert type(error) is aimis.ValidationError
    assert isinstance(error, ValueError)
    assert error.field == field
    assert rule_part in error.rule
    assert field in str(error)
    assert sim.request_count() == before


def test_unknown_keywords_are_type_errors(client: aimis.Client) -> None:
    with pytest.raises(TypeError, match="phone_number"):
        client.patient_report_url(report_id="R0001", phone_number=PHONE, **PATIENT)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        client.patient_report_url("R0001")  # type: ignore[misc]


def test_unknown_endpoints_list_the_known_ones(client: aimis.Client, sim: Sim) -> None:
    before = sim.request_count()
    error = raised(lambda: client.call("patientStudys", {}))
    assert isinstance(error, aimis.ValidationError)
    assert error.field == "endpoint" and "patientStudies" in error.rule
    assert sim.request_count() == before


def test_unknown_patient_is_an_api_error_with_the_platforms_code(client: aimis.Client) -> None:
    error = raised(lambda: client.patient_studies(**{**STUDIES_2025, "phone_num": "13900000000"}))
    assert type(error) is aimis.ApiError
    assert (error.code, error.name) == (10003, "NoData")
    assert error.message and error.message in str(error)


def test_unknown_app_and_wrong_token_are_api_errors(sim: Sim) -> None:
    other_app = aimis.Client(app_id="other-app", token=TOKEN, base_url=sim.url)
    error = raised(lambda: other_app.patient_report_url(report_id="R0001", **PATIENT))
    assert isinstance(error, aimis.ApiError) and error.code == 90001
    wrong_token = aimis.Client(app_id=APP_ID, token="f" * 32, base_url=sim.url)
    error = raised(lambda: wrong_token.patient_report_url(report_id="R0001", **PATIENT))
    assert isinstance(error, aimis.ApiError) and error.code == 90002




def test_a_slow_platform_is_a_timeout_error(sim: Sim) -> None:
    sim.add_fault(kind="latency", ms=5000)
    client = aimis.Client(app_id=APP_ID, token=TOKEN, base_url=sim.url, timeout=0.2)
    error = raised(lambda: client.patient_report_url(report_id="R0001", **PATIENT))
    assert type(error) is aimis.TimeoutException
    assert isinstance(error, aimis.TransportError) and isinstance(error, builtins.TimeoutError)
    assert error.timeout == pytest.approx(0.2)


def test_a_5xx_answer_is_an_http_error_after_the_retries(client: aimis.Client, sim: Sim) -> None:
    sim.add_fault(kind="status", status=503)
    before = sim.request_count()
    error = raised(lambda: client.patient_report_url(report_id="R0001", **PATIENT))
    assert type(error) is aimis.HttpError and error.status == 503
    assert sim.request_count() == before + 3


def test_a_transient_fault_is_retried_away(client: aimis.Client, sim: Sim) -> None:
    sim.add_fault(kind="status", status=503, times=1)
    assert client.patient_report_url(report_id="R0001", **PATIENT).study_id == "S0001"


def test_a_page_instead_of_json_is_a_decode_error(client: aimis.Client, sim: Sim) -> None:
    sim.add_fault(kind="html", status=200)
    error = raised(lambda: client.patient_report_url(report_id="R0001", **PATIENT))
    assert type(error) is aimis.DecodeError


@pytest.mark.parametrize(
    ("arguments", "part"),
    [
        ({"token": "short"}, "32 bytes"),
        ({"token": TOKEN + "x"}, "32 bytes"),
        ({"app_id": ""}, "app id"),
        ({"base_url": "http://pacs.example.com"}, "loopback"),
        ({"base_url": "ftp://127.0.0.1"}, "https"),
        ({"timeout": 0}, "timeout"),
        ({"timeout": float("nan")}, "timeout"),
    ],
)
def test_unusable_settings_are_configuration_errors(arguments: dict, part: str) -> None:
    error = raised(lambda: aimis.Client(**{"app_id": APP_ID, "token": TOKEN, **arguments}))
    assert type(error) is aimis.ConfigurationError
    assert part in str(error)
    assert "short" not in str(error)


def test_crypto_errors_name_no_value() -> None:
    for ciphertext in ("zz", "abcd", aimis.encrypt_field("f" * 32, PHONE)):
        error = raised(lambda: aimis.decrypt_field(TOKEN, ciphertext))
        assert type(error) is aimis.CryptoError


def test_every_exception_pickles_with_its_details(client: aimis.Client, sim: Sim) -> None:
    errors: list[aimis.AimisError] = [
        raised(lambda: client.patient_studies(**{**STUDIES_2025, "id_num": None})),
        raised(lambda: client.patient_studies(**{**STUDIES_2025, "phone_num": "13900000000"})),
        raised(lambda: aimis.Client(app_id=APP_ID, token="short")),
        raised(lambda: aimis.decrypt_field(TOKEN, "zz")),
        raised(lambda: aimis.verify_callback({}, b"{}", app_id=APP_ID, token=TOKEN)),
        raised(lambda: aimis.Client(APP_ID, TOKEN, f"http://127.0.0.1:{closed_port()}", retries=0).call(
            "patientReportUrl", {"reportId": "R0001", "phoneNum": PHONE, "idNum": ID_NUM, "hospitalId": "H0001"})),
        aimis.TransportError("transport (other): a protocol error"),
        aimis.ConnectionResetException("transport (connection reset): reset"),
        aimis.DnsError("transport (dns): no such host"),
        aimis.TlsCertificateError("transport (tls certificate): unknown issuer"),
        aimis.BodyTooLargeError("transport (body too large): the answer is larger than 16 MiB"),
        aimis.TimeoutException("timed out after 1s", 1.0),
        aimis.HttpError("HTTP status 502", 502, "text/html", 11),
        aimis.DecodeError("undecodable response"),
        aimis.InboxError("store: disk I/O error"),
    ]
    kinds = set()
    for error in errors:
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and isinstance(copy, aimis.AimisError)
        assert str(copy) == str(error) and copy.args == error.args
        assert vars(copy) == vars(error)
        if isinstance(error, aimis.TransportError):
            assert copy.kind == error.kind
        kinds.add(type(error))
    assert kinds == {getattr(aimis, name) for name in aimis.__all__ if name.endswith(("Error", "Exception"))} - {aimis.AimisError}


def test_a_star_import_replaces_no_built_in() -> None:
    namespace: dict = {}
    exec("from aimis import *", namespace)
    assert not (set(namespace) - {"__builtins__"}) & set(dir(builtins))
    assert namespace["TimeoutException"] is aimis.TimeoutException


@pytest.mark.parametrize(
    ("old", "new"),
    [("TimeoutError", "TimeoutException"), ("ConnectionRefusedError", "ConnectionRefusedException"),
     ("ConnectionResetError", "ConnectionResetException")],
)
def test_the_old_names_are_deprecated_attributes_only(old: str, new: str) -> None:
    assert old not in aimis.__all__
    with pytest.warns(DeprecationWarning, match=new):
        assert getattr(aimis, old) is getattr(aimis, new)
    with pytest.raises(AttributeError):
        aimis.NoSuchError  # type: ignore[attr-defined]
