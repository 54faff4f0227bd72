"""A client used by forked worker processes, as multiprocessing's fork start method,
gunicorn --preload and Celery's prefork pool use it: each process its own connections."""

from __future__ import annotations

import json
import multiprocessing
from typing import List, Optional, Tuple

import pytest
from conftest import APP_ID, REPO, TOKEN, Sim

import aimis

# (reportId, phoneNum, idNum, hospitalId, studyId) of every report the simulator has.
Report = Tuple[str, str, str, str, str]


def simulator_reports() -> List[Report]:
    fixtures = json.loads((REPO / "aimis-sim/fixtures/default.json").read_text())
    return [
        (study["reportId"], patient["phoneNum"], patient["idNum"], study["hospitalId"], study["studyId"])
        for patient in fixtures["patients"]
        for study in patient["studies"]
    ]


# The client the workers inherit when they are forked.
inherited: Optional[aimis.Client] = None


def study_of(report: Report) -> str:
    assert inherited is not None
    report_id, phone, id_num, hospital, _ = report
    answer = inherited.patient_report_url(report_id=report_id, phone_num=phone, id_num=id_num, hospital_id=hospital)
    return answer.study_id or ""


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork() here")
def test_forked_workers_never_read_each_others_answers(sim: Sim) -> None:
    global inherited
    reports = simulator_reports()
    inherited = aimis.Client(app_id=APP_ID, token=TOKEN, base_url=sim.url)
    # A call before the fork leaves a pooled connection that every worker has a copy of.
    assert study_of(reports[0]) == reports[0][4]
    work = [reports[i % len(reports)] for i in range(48)]
    with multiprocessing.get_context("fork").Pool(6) as pool:
        studies = pool.map(study_of, work, chunksize=2)
    assert studies == [report[4] for report in work]
    # The parent's own connection still answers the parent.
    assert [study_of(report) for report in reports] == [report[4] for report in reports]
