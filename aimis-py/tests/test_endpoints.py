"""Every endpoint, typed and by name, against the simulator."""

from __future__ import annotations

import datetime
import inspect
import pickle

import pytest
from conftest import APP_ID, ID_NUM, PATIENT, PHONE, STUDIES_2025, TOKEN, Rogue, Sim

import aimis
from aimis import _native

SERVICE = _native.service()


@pytest.mark.parametrize("endpoint", SERVICE["endpoints"], ids=lambda e: e["name"])
def test_every_endpoint_has_a_keyword_method_named_from_the_spec(endpoint: dict) -> None:
    method = getattr(aimis.Client, endpoint["snake"])
    parameters = inspect.signature(method).parameters
    assert [name for name in parameters if name != "self"] == sorted(
        (f["snake"] for f in endpoint["request"]), key=lambda snake: not _field(endpoint, snake)["required"]
    )
    for field in endpoint["request"]:
        parameter = parameters[field["snake"]]
        assert parameter.kind is inspect.Parameter.KEYWORD_ONLY
        assert (parameter.default is inspect.Parameter.empty) == field["required"]
        assert field["name"] in method.__doc__


def _field(endpoint: dict, snake: str) -> dict:
    return next(f for f in endpoint["request"] if f["snake"] == snake)


@pytest.mark.parametrize("study_type", list(aimis.StudyType))
def test_patient_studies_returns_frozen_studies_of_each_type(client: aimis.Client, study_type: aimis.StudyType) -> None:
    studies = client.patient_studies(**{**STUDIES_2025, "study_type": study_type})
    assert isinstance(studies, list) and studies
    for study in studies:
        assert isinstance(study, aimis.Study)
        assert study.study_type is study_type
        assert study.report_id and study.study_date.year == 2025
        assert study.h5_url.startswith("https://")


def test_enums_accept_plain_ints_and_dates_accept_datetimes(client: aimis.Client) -> None:
    typed = client.patient_studies(**STUDIES_2025)
    plain = client.patient_studies(
        **{
            **STUDIES_2025,
            "study_type": 0,
            "data_flag": 0,
            "usage": 2,
            "study_date_begin": datetime.datetime(2025, 1, 1),
            "study_date_end": datetime.datetime(2025, 12, 31, 23, 59, 59),
        }
    )
    assert plain == typed


def test_data_flag_filters_by_hospital(client: aimis.Client) -> None:
    def report_ids(flag: aimis.DataFlag) -> set[str]:
        found = set()
        for study_type in aimis.StudyType:
            studies = client.patient_studies(**{**STUDIES_2025, "study_type": study_type, "data_flag": flag})
            found |= {s.report_id for s in studies}
        return found

    everything = report_ids(aimis.DataFlag.ALL)
    here = report_ids(aimis.DataFlag.THIS_HOSPITAL)
    elsewhere = report_ids(aimis.DataFlag.OTHER_HOSPITALS)
    assert "R0001" in here
    assert here and elsewhere and not here & elsewhere
    assert here | elsewhere == everything


def test_to_dict_uses_the_vendors_names_and_matches_call(client: aimis.Client) -> None:
    studies = client.patient_studies(**STUDIES_2025)
    rows = [s.to_dict() for s in studies]
    raw = client.call(
        "patientStudies",
        {
            "phoneNum": PHONE,
            "idNum": ID_NUM,
            "hospitalId": "H0001",
            "unionId": "U0001",
            "studyType": 0,
            "dataFlag": 0,
            "usage": 2,
            "studyDateBegin": "2025-01-01 00:00:00",
            "studyDateEnd": "2025-12-31 23:59:59",
        },
    )
    assert isinstance(raw, list) and all(type(item) is dict for item in raw)
    assert [{k: v for k, v in row.items() if v is not None} for row in rows] == raw
    assert set(rows[0]) == {f["name"] for f in next(s for s in SERVICE["structs"] if s["name"] == "Study")["fields"]}
    assert type(rows[0]["studyType"]) is int


@pytest.mark.parametrize("spelling", ["patientConsultations", "patient_consultations", "patient-consultations"])
def test_call_accepts_any_spelling_of_the_endpoint(client: aimis.Client, spelling: str) -> None:
    data = client.call(
        spelling,
        {"hisId": "HIS0001", "phoneNum": PHONE, "idNum": ID_NUM, "hospitalId": "H0001", "unionId": "U0001"},
    )
    assert data == {"h5Url": client.patient_consultations(his_id="HIS0001", union_id="U0001", **PATIENT).h5_url}


def test_patient_consultations(client: aimis.Client) -> None:
    consultations = client.patient_consultations(his_id="HIS0001", union_id="U0001", patient_name="Li Hua", **PATIENT)
    assert isinstance(consultations, aimis.ConsultationList)
    assert consultations.h5_url.startswith("https://")
    assert consultations.to_dict() == {"h5Url": consultations.h5_url}


def test_patient_report_url(client: aimis.Client) -> None:
    url = client.patient_report_url(report_id="R0001", **PATIENT)
    assert isinstance(url, aimis.PatientStudyUrl)
    assert url.h5_url.startswith("https://") and url.h5_detail_url.startswith("https://")
    assert url.study_id == "S0001"


def test_results_are_immutable_hashable_and_picklable(client: aimis.Client) -> None:
    study = client.patient_studies(**STUDIES_2025)[0]
    with pytest.raises(AttributeError):
        study.report_id = "R9999"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        study.extra = 1  # type: ignore[attr-defined]
    assert pickle.loads(pickle.dumps(study)) == study
    assert len({study, pickle.loads(pickle.dumps(study))}) == 1
    assert aimis.Study(**{"report_id": study.report_id}) != study


def test_the_client_names_itself_without_the_token(client: aimis.Client, sim: Sim) -> None:
    assert repr(client) == f"aimis.Client(app_id='demo-app', base_url='{sim.url}')"
    assert client.app_id == "demo-app" and client.base_url == sim.url


def test_answers_are_decoded_as_tolerantly_as_by_rust(rogue: Rogue) -> None:
    """A study type the spec does not name yet is kept as its number, as by Rust and C,
    rather than failing the whole answer."""
    client = aimis.Client(app_id=APP_ID, token=TOKEN, base_url=rogue.url, retries=0)
    rows = [{"reportId": "R1", "studyType": 42, "studyDate": "2025-3-2"}, {"reportId": "R2", "studyType": 3}]
    rogue.answer_data(rows)
    first, second = client.patient_studies(**STUDIES_2025)
    assert type(first.study_type) is int and first.study_type == 42
    assert second.study_type is aimis.StudyType.ENDOSCOPY
    assert [{k: v for k, v in s.to_dict().items() if v is not None} for s in (first, second)] == rows


def test_the_api_is_ordinary_generated_source() -> None:
    """Classes and methods are plain code in aimis/_generated.py, with the spec's
    docstrings: what IDEs, help() and debuggers read."""
    for obj in (aimis.Client.patient_studies, aimis.Study, aimis.StudyType, aimis.StudyStatusCallback):
        assert inspect.getsourcefile(obj).endswith("_generated.py")  # type: ignore[union-attr]
    source = inspect.getsource(aimis.Client.patient_studies)
    # The values reach the native module in the order of the compiled registry's fields.
    endpoint = next(e for e in SERVICE["endpoints"] if e["name"] == "patientStudies")
    values = "".join(f"                {f['snake']},\n" for f in endpoint["request"])
    assert "def patient_studies(" in source
    assert f'call_fields(\n            "patientStudies",\n            (\n{values}            ),' in source
    study = next(s for s in SERVICE["structs"] if s["name"] == "Study")
    assert aimis.Study.__doc__ == study["doc"]
    assert inspect.getdoc(aimis.Study.report_id) == f"`reportId`: {_struct_field(study, 'reportId')['doc']}"
    assert inspect.getdoc(aimis.Client) and "proxy_from_env" in inspect.getdoc(aimis.Client)  # type: ignore[operator]


def _struct_field(struct: dict, name: str) -> dict:
    return next(f for f in struct["fields"] if f["name"] == name)


def test_the_generated_classes_are_those_of_the_compiled_registry() -> None:
    """The generator reads spec/aimis.toml; the native module was compiled from it: a
    package built from a stale generation disagrees here."""
    for enum_spec in SERVICE["enums"]:
        cls = getattr(aimis, enum_spec["name"])
        assert [(m.name, m.value) for m in cls] == [(v["shouty"], v["value"]) for v in enum_spec["values"]]
    records = [(s["name"], s["fields"]) for s in SERVICE["structs"]]
    records += [(c["type_name"], c["fields"]) for c in SERVICE["callbacks"]]
    for name, fields in records:
        cls = getattr(aimis, name)
        assert [tuple(f) for f in cls._fields] == [(f["name"], f["snake"], f["required"], f["sensitive"] or f["encrypted"]) for f in fields]
    assert {e["snake"] for e in SERVICE["endpoints"]} == {
        name for name in vars(aimis.Client) if not name.startswith("_")
    }
    assert aimis.verify_callback.__kwdefaults__["max_skew"] == SERVICE["max_skew_seconds"]  # type: ignore[index]


def test_the_native_module_builds_records_only_with_a_class_for_each_of_the_specs_types(client: aimis.Client) -> None:
    """aimis._generated hands its classes over as it is imported; a set that lacks one of
    the spec's structs, callbacks or enums is refused by name, and the classes already
    taken stay."""
    with pytest.raises(RuntimeError, match="no class for the spec's struct `Study`; regenerate it"):
        _native.use_classes({}, {}, {})
    with pytest.raises(RuntimeError, match="callback `studyStatus`"):
        _native.use_classes({"Study": aimis.Study, "ConsultationList": aimis.ConsultationList,
                             "PatientStudyUrl": aimis.PatientStudyUrl}, {}, {})
    with pytest.raises(RuntimeError, match="struct `Study` is not an aimis record class"):
        _native.use_classes({"Study": int}, {}, {})
    studies = client.patient_studies(**STUDIES_2025)
    assert studies and all(type(study) is aimis.Study for study in studies)


def test_an_endpoint_method_hands_one_value_per_field(client: aimis.Client) -> None:
    """The values of the native call stand in the order of the endpoint's fields: one too
    few is refused before anything is sent."""
    with pytest.raises(aimis.ValidationError, match=r"\(request\).*has 3 values for 4 fields"):
        client._native.call_fields("patientReportUrl", ("R1", PHONE, ID_NUM))


def test_study_dates_are_datetimes_from_queries_as_from_callbacks(client: aimis.Client) -> None:
    study = client.patient_studies(**STUDIES_2025)[0]
    assert type(study.study_date) is datetime.datetime
    assert study.to_dict()["studyDate"] == study.study_date.strftime("%Y-%m-%d %H:%M:%S")
    # One annotation for one spec type, on every record that has it.
    query = inspect.signature(aimis.Study.study_date.fget).return_annotation
    callback = inspect.signature(aimis.StudyStatusCallback.study_date.fget).return_annotation
    assert query == "datetime.datetime | str | None" and callback == "datetime.datetime | str"
