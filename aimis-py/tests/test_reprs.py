"""Reprs and messages never show patient data or the token."""

from __future__ import annotations

import datetime
import json
import pickle
import sys
import time
from typing import Any

import pytest
from conftest import APP_ID, ID_NUM, PHONE, REPO, TOKEN, Sim

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

import aimis


def test_callback_reprs_mask_patient_fields() -> None:
    timestamp = int(time.time() * 1000)
    headers = {"appId": APP_ID, "timestamp": str(timestamp), "signature": aimis.sign(APP_ID, TOKEN, timestamp)}
    body = {
        "status": 3,
        "phoneNum": aimis.encrypt_field(TOKEN, PHONE),
        "idNum": aimis.encrypt_field(TOKEN, ID_NUM),
        "patientId": "P0001",
        "hospitalId": "H0001",
        "studyType": 0,
        "studyDate": "2025-01-15 09:30:00",
        "studyId": "S0001",
        "h5Url": "https://h5.example/r",
        "h5DetailUrl": "https://h5.example/i",
        "reportId": "R0001",
    }
    callback = aimis.verify_callback(headers, json.dumps(body), app_id=APP_ID, token=TOKEN)
    text = repr(callback)
    assert PHONE not in text and ID_NUM not in text
    assert "phone_num=***" in text and "id_num=***" in text
    assert "study_id='S0001'" in text
    assert callback.phone_num == PHONE


def test_records_built_by_hand_mask_too() -> None:
    callback = aimis.StudyStatusCallback(
        status=aimis.StudyStatus.STUDY_ONLY,
        phone_num=PHONE,
        id_num=ID_NUM,
        patient_id="P1",
        hospital_id="H1",
        study_type=aimis.StudyType.PATHOLOGY,
        study_date=datetime.datetime(2025, 1, 1),
        study_id="S1",
        h5_url="u",
        h5_detail_url="d",
        report_id="R1",
    )
    assert PHONE not in repr(callback) and ID_NUM not in repr(callback)
    assert PHONE not in str(callback)


def test_the_client_repr_holds_no_token(sim: Sim) -> None:
    client = aimis.Client(app_id=APP_ID, token=TOKEN, base_url=sim.url)
    assert TOKEN not in repr(client) and TOKEN not in str(client)
    assert not hasattr(client, "token")


def spec_records() -> list[tuple[str, list[dict[str, Any]]]]:
    """Every record class of the spec file itself (not of the native module's account of
    it): its Python name and its fields as the spec writes them."""
    spec = tomllib.loads((REPO / "spec" / "aimis.toml").read_text(encoding="utf-8"))
    records = [(s["name"], s["fields"]) for s in spec.get("struct", [])]
    records += [(c["name"][0].upper() + c["name"][1:] + "Callback", c["fields"]) for c in spec.get("callback", [])]
    return records


def snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


@pytest.mark.parametrize(("class_name", "fields"), spec_records(), ids=[name for name, _ in spec_records()])
def test_every_sensitive_or_encrypted_field_is_masked_and_only_in_the_repr(
    class_name: str, fields: list[dict[str, Any]]
) -> None:
    """Generic over the spec: a field marked `sensitive` or `encrypted` is `***` in the
    repr (and str) of its record, alone or inside another record, and unchanged in
    attribute access and `to_dict()`; every other field shows."""
    cls = getattr(aimis, class_name)
    values = {f["name"]: f"canary-{class_name}-{f['name']}" for f in fields}
    record = cls(**{snake(name): value for name, value in values.items()})
    masked = {f["name"] for f in fields if f.get("sensitive") or f.get("encrypted")}
    for text in (repr(record), str(record), repr([record]), repr((record, {"r": record}))):
        for name, value in values.items():
            assert (value in text) is (name not in masked), f"{name} in {text}"
    for name, value in values.items():
        assert getattr(record, snake(name)) == value
    assert record.to_dict() == values
    assert pickle.loads(pickle.dumps(record)).to_dict() == values
