# Generated from spec/aimis.toml by `cargo run -p xtask -- generate`; do not edit.
"""Tencent's medical imaging cloud (AIMIS) as seen by an Internet hospital: query a patient's studies, consultations and report links, and receive study status callbacks."""

from __future__ import annotations

import datetime
import enum
from typing import Dict, Type, Union

from aimis import _native
from aimis._async import AsyncClientBase
from aimis._client import ClientBase
from aimis._model import Field, Record

__all__: tuple[str, ...] = (
    "Client",
    "AsyncClient",
    "StudyType",
    "DataFlag",
    "Usage",
    "StudyStatus",
    "Study",
    "ConsultationList",
    "PatientStudyUrl",
    "StudyStatusCallback",
)


class StudyType(enum.IntEnum):
    """The imaging department a study belongs to."""

    RADIOLOGY = 0
    """Radiology: X-ray, CT, MR."""

    OPHTHALMOLOGY = 1
    """Ophthalmology, such as fundus photography."""

    PATHOLOGY = 2
    """Pathology slides."""

    ENDOSCOPY = 3
    """Endoscopy."""

    ELECTROCARDIOGRAM = 4
    """Electrocardiogram (ECG)."""

    ULTRASOUND = 5
    """Ultrasound."""


class DataFlag(enum.IntEnum):
    """Which of the patient's studies to return, relative to hospitalId and unionId."""

    ALL = 0
    """All of the patient's studies."""

    THIS_HOSPITAL = 1
    """Only studies from this hospital (hospitalId)."""

    OTHER_HOSPITALS = 2
    """Only studies from other hospitals than hospitalId."""

    THIS_ALLIANCE = 3
    """Only studies from this medical alliance (unionId)."""

    OTHER_ALLIANCES = 4
    """Only studies from outside this medical alliance (unionId)."""


class Usage(enum.IntEnum):
    """What the data is for."""

    PATIENT_CHECKLIST = 0
    """The patient views their checklist."""

    ONLINE_CONSULTATION = 1
    """The patient consults online."""

    DOCTOR_VIEW = 2
    """A doctor views the patient's details."""


class StudyStatus(enum.IntEnum):
    """How far the platform has got with a study."""

    STUDY_ONLY = 0
    """Only the study information has arrived."""

    REPORT_READY = 1
    """The report has arrived."""

    IMAGES_READY = 2
    """The images have arrived."""

    REPORT_AND_IMAGES_READY = 3
    """Both the report and the images have arrived."""


class Study(Record):
    """One imaging study (examination) of the patient."""

    __slots__ = ()
    _fields = (
        Field("hisId", "his_id", required=False, sensitive=True),
        Field("reportId", "report_id", required=False, sensitive=False),
        Field("studyType", "study_type", required=False, sensitive=False),
        Field("studyDate", "study_date", required=False, sensitive=False),
        Field("studyId", "study_id", required=False, sensitive=False),
        Field("bodyPart", "body_part", required=False, sensitive=False),
        Field("studyName", "study_name", required=False, sensitive=False),
        Field("applyDoctor", "apply_doctor", required=False, sensitive=False),
        Field("applyDoctorId", "apply_doctor_id", required=False, sensitive=False),
        Field("applyDept", "apply_dept", required=False, sensitive=False),
        Field("applyDeptId", "apply_dept_id", required=False, sensitive=False),
        Field("uniAppId", "uni_app_id", required=False, sensitive=False),
        Field("uniPath", "uni_path", required=False, sensitive=True),
        Field("h5Url", "h5_url", required=False, sensitive=True),
        Field("h5DetailUrl", "h5_detail_url", required=False, sensitive=True),
    )

    def __init__(
        self,
        *,
        his_id: str | None = None,
        report_id: str | None = None,
        study_type: StudyType | int | None = None,
        study_date: datetime.datetime | str | None = None,
        study_id: str | None = None,
        body_part: str | None = None,
        study_name: str | None = None,
        apply_doctor: str | None = None,
        apply_doctor_id: str | None = None,
        apply_dept: str | None = None,
        apply_dept_id: str | None = None,
        uni_app_id: str | None = None,
        uni_path: str | None = None,
        h5_url: str | None = None,
        h5_detail_url: str | None = None,
    ) -> None:
        self._init(
            his_id,
            report_id,
            study_type,
            study_date,
            study_id,
            body_part,
            study_name,
            apply_doctor,
            apply_doctor_id,
            apply_dept,
            apply_dept_id,
            uni_app_id,
            uni_path,
            h5_url,
            h5_detail_url,
        )

    @property
    def his_id(self) -> str | None:
        """`hisId`: The hospital information system's number for the study."""
        value: str | None = self._values[0]
        return value

    @property
    def report_id(self) -> str | None:
        """`reportId`: The report's ID in the imaging cloud; pass it to patientReportUrl."""
        value: str | None = self._values[1]
        return value

    @property
    def study_type(self) -> StudyType | int | None:
        """`studyType`: The imaging department of the study."""
        value: StudyType | int | None = self._values[2]
        return value

    @property
    def study_date(self) -> datetime.datetime | str | None:
        """`studyDate`: When the study took place, yyyy-MM-dd HH:mm:ss."""
        value: datetime.datetime | str | None = self._values[3]
        return value

    @property
    def study_id(self) -> str | None:
        """`studyId`: The study (examination) number."""
        value: str | None = self._values[4]
        return value

    @property
    def body_part(self) -> str | None:
        """`bodyPart`: The body part examined."""
        value: str | None = self._values[5]
        return value

    @property
    def study_name(self) -> str | None:
        """`studyName`: The name of the examination item."""
        value: str | None = self._values[6]
        return value

    @property
    def apply_doctor(self) -> str | None:
        """`applyDoctor`: The doctor who requested the study."""
        value: str | None = self._values[7]
        return value

    @property
    def apply_doctor_id(self) -> str | None:
        """`applyDoctorId`: The ID of the requesting doctor."""
        value: str | None = self._values[8]
        return value

    @property
    def apply_dept(self) -> str | None:
        """`applyDept`: The department that requested the study."""
        value: str | None = self._values[9]
        return value

    @property
    def apply_dept_id(self) -> str | None:
        """`applyDeptId`: The ID of the requesting department."""
        value: str | None = self._values[10]
        return value

    @property
    def uni_app_id(self) -> str | None:
        """`uniAppId`: The mini program appid to jump to."""
        value: str | None = self._values[11]
        return value

    @property
    def uni_path(self) -> str | None:
        """`uniPath`: The mini program path, with parameters, of the study's details."""
        value: str | None = self._values[12]
        return value

    @property
    def h5_url(self) -> str | None:
        """`h5Url`: H5 page with the report."""
        value: str | None = self._values[13]
        return value

    @property
    def h5_detail_url(self) -> str | None:
        """`h5DetailUrl`: H5 page with the images."""
        value: str | None = self._values[14]
        return value


class ConsultationList(Record):
    """Where the patient's consultation records can be seen."""

    __slots__ = ()
    _fields = (
        Field("h5Url", "h5_url", required=False, sensitive=True),
    )

    def __init__(
        self,
        *,
        h5_url: str | None = None,
    ) -> None:
        self._init(
            h5_url,
        )

    @property
    def h5_url(self) -> str | None:
        """`h5Url`: H5 page listing the patient's consultations."""
        value: str | None = self._values[0]
        return value


class PatientStudyUrl(Record):
    """Links to one report and its images."""

    __slots__ = ()
    _fields = (
        Field("h5Url", "h5_url", required=False, sensitive=True),
        Field("h5DetailUrl", "h5_detail_url", required=False, sensitive=True),
        Field("studyId", "study_id", required=False, sensitive=False),
    )

    def __init__(
        self,
        *,
        h5_url: str | None = None,
        h5_detail_url: str | None = None,
        study_id: str | None = None,
    ) -> None:
        self._init(
            h5_url,
            h5_detail_url,
            study_id,
        )

    @property
    def h5_url(self) -> str | None:
        """`h5Url`: H5 page with the report."""
        value: str | None = self._values[0]
        return value

    @property
    def h5_detail_url(self) -> str | None:
        """`h5DetailUrl`: H5 page with the images."""
        value: str | None = self._values[1]
        return value

    @property
    def study_id(self) -> str | None:
        """`studyId`: The study number, as the hospital system knows it."""
        value: str | None = self._values[2]
        return value


class StudyStatusCallback(Record):
    """The platform tells the partner that a study, its report or its images have arrived."""

    __slots__ = ()
    _fields = (
        Field("status", "status", required=True, sensitive=False),
        Field("phoneNum", "phone_num", required=True, sensitive=True),
        Field("idNum", "id_num", required=True, sensitive=True),
        Field("patientId", "patient_id", required=True, sensitive=True),
        Field("hospitalId", "hospital_id", required=True, sensitive=False),
        Field("hisId", "his_id", required=False, sensitive=True),
        Field("studyType", "study_type", required=True, sensitive=False),
        Field("studyDate", "study_date", required=True, sensitive=False),
        Field("studyId", "study_id", required=True, sensitive=False),
        Field("bodyPart", "body_part", required=False, sensitive=False),
        Field("studyName", "study_name", required=False, sensitive=False),
        Field("h5Url", "h5_url", required=True, sensitive=True),
        Field("h5DetailUrl", "h5_detail_url", required=True, sensitive=True),
        Field("reportId", "report_id", required=True, sensitive=False),
    )

    def __init__(
        self,
        *,
        status: StudyStatus | int,
        phone_num: str,
        id_num: str,
        patient_id: str,
        hospital_id: str,
        his_id: str | None = None,
        study_type: StudyType | int,
        study_date: datetime.datetime | str,
        study_id: str,
        body_part: str | None = None,
        study_name: str | None = None,
        h5_url: str,
        h5_detail_url: str,
        report_id: str,
    ) -> None:
        self._init(
            status,
            phone_num,
            id_num,
            patient_id,
            hospital_id,
            his_id,
            study_type,
            study_date,
            study_id,
            body_part,
            study_name,
            h5_url,
            h5_detail_url,
            report_id,
        )

    @property
    def status(self) -> StudyStatus | int:
        """`status`: What the platform has obtained."""
        value: StudyStatus | int = self._values[0]
        return value

    @property
    def phone_num(self) -> str:
        """`phoneNum`: The patient's phone number."""
        value: str = self._values[1]
        return value

    @property
    def id_num(self) -> str:
        """`idNum`: The patient's identity card number."""
        value: str = self._values[2]
        return value

    @property
    def patient_id(self) -> str:
        """`patientId`: The patient's ID."""
        value: str = self._values[3]
        return value

    @property
    def hospital_id(self) -> str:
        """`hospitalId`: The hospital's ID in the imaging cloud."""
        value: str = self._values[4]
        return value

    @property
    def his_id(self) -> str | None:
        """`hisId`: The hospital information system's number, if there is one."""
        value: str | None = self._values[5]
        return value

    @property
    def study_type(self) -> StudyType | int:
        """`studyType`: The imaging department of the study."""
        value: StudyType | int = self._values[6]
        return value

    @property
    def study_date(self) -> datetime.datetime | str:
        """`studyDate`: When the study took place."""
        value: datetime.datetime | str = self._values[7]
        return value

    @property
    def study_id(self) -> str:
        """`studyId`: The study (examination) number."""
        value: str = self._values[8]
        return value

    @property
    def body_part(self) -> str | None:
        """`bodyPart`: The body part examined, if known."""
        value: str | None = self._values[9]
        return value

    @property
    def study_name(self) -> str | None:
        """`studyName`: The examination item, if known."""
        value: str | None = self._values[10]
        return value

    @property
    def h5_url(self) -> str:
        """`h5Url`: H5 page with the report."""
        value: str = self._values[11]
        return value

    @property
    def h5_detail_url(self) -> str:
        """`h5DetailUrl`: H5 page with the images."""
        value: str = self._values[12]
        return value

    @property
    def report_id(self) -> str:
        """`reportId`: The reportId; pass it to patientReportUrl."""
        value: str = self._values[13]
        return value


class Client(ClientBase):
    __doc__ = ClientBase.__doc__
    __slots__ = ()

    def patient_studies(
        self,
        *,
        phone_num: str,
        id_num: str,
        hospital_id: str,
        union_id: str,
        study_type: StudyType | int,
        data_flag: DataFlag | int,
        usage: Usage | int,
        study_date_begin: datetime.datetime | str,
        study_date_end: datetime.datetime | str,
        his_id: str | None = None,
        patient_name: str | None = None,
    ) -> list[Study]:
        """Checklist Query: Lists a patient's studies, filtered by type, date range and origin.

        POST /thirdparty/patientStudies/{appId}

        Arguments:
            phone_num (phoneNum, required): The patient's phone number.
            id_num (idNum, required): The patient's identity card number.
            hospital_id (hospitalId, required): The hospital's ID in the imaging cloud.
            union_id (unionId, required): The medical alliance's ID in the imaging cloud.
            study_type (studyType, required): Which imaging department's studies to list.
            data_flag (dataFlag, required): Which hospitals' studies to list.
            usage (usage, required): What the list is for.
            study_date_begin (studyDateBegin, required): Earliest study time to list, inclusive.
            study_date_end (studyDateEnd, required): Latest study time to list, inclusive.
            his_id (hisId, optional): The hospital information system's number, if there is one.
            patient_name (patientName, optional): The patient's name.
        """
        data: list[Study] = self._native.call_fields(
            "patientStudies",
            (
                phone_num,
                id_num,
                his_id,
                patient_name,
                hospital_id,
                union_id,
                study_type,
                data_flag,
                usage,
                study_date_begin,
                study_date_end,
            ),
        )
        return data

    def patient_consultations(
        self,
        *,
        his_id: str,
        phone_num: str,
        id_num: str,
        hospital_id: str,
        union_id: str,
        patient_name: str | None = None,
    ) -> ConsultationList:
        """Consultation Record Query: Gets the page where a doctor sees the patient's remote consultation records.

        POST /thirdparty/patientConsultations/{appId}

        Arguments:
            his_id (hisId, required): The hospital information system's number.
            phone_num (phoneNum, required): The patient's phone number.
            id_num (idNum, required): The patient's identity card number.
            hospital_id (hospitalId, required): The hospital's ID in the imaging cloud.
            union_id (unionId, required): The medical alliance's ID in the imaging cloud.
            patient_name (patientName, optional): The patient's name.
        """
        data: ConsultationList = self._native.call_fields(
            "patientConsultations",
            (
                his_id,
                phone_num,
                id_num,
                patient_name,
                hospital_id,
                union_id,
            ),
        )
        return data

    def patient_report_url(
        self,
        *,
        report_id: str,
        phone_num: str,
        id_num: str,
        hospital_id: str,
    ) -> PatientStudyUrl:
        """Check Report URL Retrieval: Gets the report and image pages of one study, by the reportId the imaging cloud gave.

        POST /thirdparty/patientReportUrl/{appId}

        Arguments:
            report_id (reportId, required): The reportId returned by the imaging cloud.
            phone_num (phoneNum, required): The patient's phone number.
            id_num (idNum, required): The patient's identity card number.
            hospital_id (hospitalId, required): The hospital's ID in the imaging cloud.
        """
        data: PatientStudyUrl = self._native.call_fields(
            "patientReportUrl",
            (
                report_id,
                phone_num,
                id_num,
                hospital_id,
            ),
        )
        return data


class AsyncClient(AsyncClientBase):
    __doc__ = AsyncClientBase.__doc__
    __slots__ = ()

    async def patient_studies(
        self,
        *,
        phone_num: str,
        id_num: str,
        hospital_id: str,
        union_id: str,
        study_type: StudyType | int,
        data_flag: DataFlag | int,
        usage: Usage | int,
        study_date_begin: datetime.datetime | str,
        study_date_end: datetime.datetime | str,
        his_id: str | None = None,
        patient_name: str | None = None,
    ) -> list[Study]:
        """Checklist Query: Lists a patient's studies, filtered by type, date range and origin.

        POST /thirdparty/patientStudies/{appId}

        Arguments:
            phone_num (phoneNum, required): The patient's phone number.
            id_num (idNum, required): The patient's identity card number.
            hospital_id (hospitalId, required): The hospital's ID in the imaging cloud.
            union_id (unionId, required): The medical alliance's ID in the imaging cloud.
            study_type (studyType, required): Which imaging department's studies to list.
            data_flag (dataFlag, required): Which hospitals' studies to list.
            usage (usage, required): What the list is for.
            study_date_begin (studyDateBegin, required): Earliest study time to list, inclusive.
            study_date_end (studyDateEnd, required): Latest study time to list, inclusive.
            his_id (hisId, optional): The hospital information system's number, if there is one.
            patient_name (patientName, optional): The patient's name.
        """
        data: list[Study] = await self._call_fields(
            "patientStudies",
            (
                phone_num,
                id_num,
                his_id,
                patient_name,
                hospital_id,
                union_id,
                study_type,
                data_flag,
                usage,
                study_date_begin,
                study_date_end,
            ),
        )
        return data

    async def patient_consultations(
        self,
        *,
        his_id: str,
        phone_num: str,
        id_num: str,
        hospital_id: str,
        union_id: str,
        patient_name: str | None = None,
    ) -> ConsultationList:
        """Consultation Record Query: Gets the page where a doctor sees the patient's remote consultation records.

        POST /thirdparty/patientConsultations/{appId}

        Arguments:
            his_id (hisId, required): The hospital information system's number.
            phone_num (phoneNum, required): The patient's phone number.
            id_num (idNum, required): The patient's identity card number.
            hospital_id (hospitalId, required): The hospital's ID in the imaging cloud.
            union_id (unionId, required): The medical alliance's ID in the imaging cloud.
            patient_name (patientName, optional): The patient's name.
        """
        data: ConsultationList = await self._call_fields(
            "patientConsultations",
            (
                his_id,
                phone_num,
                id_num,
                patient_name,
                hospital_id,
                union_id,
            ),
        )
        return data

    async def patient_report_url(
        self,
        *,
        report_id: str,
        phone_num: str,
        id_num: str,
        hospital_id: str,
    ) -> PatientStudyUrl:
        """Check Report URL Retrieval: Gets the report and image pages of one study, by the reportId the imaging cloud gave.

        POST /thirdparty/patientReportUrl/{appId}

        Arguments:
            report_id (reportId, required): The reportId returned by the imaging cloud.
            phone_num (phoneNum, required): The patient's phone number.
            id_num (idNum, required): The patient's identity card number.
            hospital_id (hospitalId, required): The hospital's ID in the imaging cloud.
        """
        data: PatientStudyUrl = await self._call_fields(
            "patientReportUrl",
            (
                report_id,
                phone_num,
                id_num,
                hospital_id,
            ),
        )
        return data


Callback = StudyStatusCallback
CALLBACKS: Dict[str, Type[Callback]] = {
    "studyStatus": StudyStatusCallback,
}
MAX_SKEW_SECONDS = 300.0

_native.use_classes(
    {
        "Study": Study,
        "ConsultationList": ConsultationList,
        "PatientStudyUrl": PatientStudyUrl,
    },
    {
        "studyStatus": StudyStatusCallback,
    },
    {
        "StudyType": StudyType,
        "DataFlag": DataFlag,
        "Usage": Usage,
        "StudyStatus": StudyStatus,
    },
)
