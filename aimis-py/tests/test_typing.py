"""The annotations at work: mypy accepts a typical script and catches the usual mistakes."""

from __future__ import annotations

import textwrap

import pytest
from mypy import api

GOOD = """
    import datetime
    import aimis

    client = aimis.Client(app_id="demo-app", token="0123456789abcdef0123456789abcdef")
    studies = client.patient_studies(
        phone_num="13800138000", id_num="110101199003074518", hospital_id="H0001",
        union_id="U0001", study_type=aimis.StudyType.RADIOLOGY, data_flag=0, usage=2,
        study_date_begin=datetime.datetime(2025, 1, 1), study_date_end="2025-12-31 23:59:59",
    )
    first: aimis.Study = studies[0]
    report_id: str | None = first.report_id
    rows: list[dict[str, object]] = [s.to_dict() for s in studies]
    url: str | None = client.patient_report_url(
        report_id="R0001", phone_num="1", id_num="2", hospital_id="H0001"
    ).h5_detail_url
    callback = aimis.verify_callback({"appId": "a"}, b"{}", app_id="a", token="t")
    status: aimis.StudyStatus | int = callback.status
    if isinstance(callback.status, aimis.StudyStatus):
        known: aimis.StudyStatus = callback.status
    when: datetime.datetime | str = callback.study_date
    try:
        client.call("patientStudies", {})
    except aimis.ApiError as e:
        code: int = e.code
    except aimis.ValidationError as e:
        field: str = e.field
    except aimis.TlsCertificateError as e:
        kind: str = e.kind
    except aimis.ConnectionRefusedException as e:
        refused: ConnectionRefusedError = e
    behind_a_proxy = aimis.Client(
        app_id="a", token="t", proxy_from_env=False, allow_insecure_http=True,
        user_agent_product="my-his/4.2", ca_certs=b"-----BEGIN CERTIFICATE-----",
    )
"""

MISTAKES = [
    ("client.patient_studies(phone=1)", "Unexpected keyword argument"),
    ("client.patient_report_url(report_id='R1')", "Missing named argument"),
    ("client.patient_report_url(report_id=1, phone_num='1', id_num='2', hospital_id='H')", "incompatible type"),
    ("aimis.Study().report_id = 'x'", "read-only"),
    ("aimis.StudyType.RADIOLOGI", "has no attribute"),
    # An enum number the spec does not name is kept as an int: code must allow for it.
    ("s: aimis.StudyStatus = aimis.verify_callback({}, b'', app_id='a', token='t').status", "Incompatible types"),
    ("d: datetime.datetime = aimis.verify_callback({}, b'', app_id='a', token='t').study_date", "Incompatible types"),
    ("aimis.Client(app_id='a', token='t', retries=1.5)", "incompatible type"),
    ("aimis.Client(app_id='a', token='t', proxy_from_env='no')", "incompatible type"),
    ("aimis.Client(app_id='a', token='t', ca_certs=42)", "incompatible type"),
]


def check(code: str) -> tuple[str, int]:
    stdout, stderr, status = api.run(["--no-incremental", "--strict", "-c", textwrap.dedent(code)])
    return stdout + stderr, status


def test_a_typical_script_type_checks() -> None:
    output, status = check(GOOD)
    assert status == 0, output


@pytest.mark.parametrize(("line", "complaint"), MISTAKES)
def test_mistakes_are_caught(line: str, complaint: str) -> None:
    code = "import datetime\nimport aimis\nclient = aimis.Client(app_id='a', token='t')\n" + line + "\n"
    output, status = check(code)
    assert status == 1 and complaint in output, output
