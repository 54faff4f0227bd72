"""Reprs and messages never show patient data or the token."""

from __future__ import annotations

import datetime
import json
import time

from conftest import APP_ID, ID_NUM, PHONE, TOKEN, Sim

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
