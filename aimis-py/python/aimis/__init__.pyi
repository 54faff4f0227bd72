# Generated from spec/aimis.toml by `cargo run -p xtask -- generate`; do not edit.
"""Tencent's medical imaging cloud (AIMIS) as seen by an Internet hospital: query a patient's studies, consultations and report links, and receive study status callbacks."""

import datetime
import enum
import os
from collections.abc import Mapping
from typing import Any

from aimis._callback import Headers
from aimis._model import Record
from aimis._errors import AimisError as AimisError
from aimis._errors import ApiError as ApiError
from aimis._errors import CallbackError as CallbackError
from aimis._errors import ConfigurationError as ConfigurationError
from aimis._errors import CryptoError as CryptoError
from aimis._errors import DecodeError as DecodeError
from aimis._errors import HttpError as HttpError
from aimis._errors import TimeoutError as TimeoutError
from aimis._errors import TransportError as TransportError
from aimis._errors import ValidationError as ValidationError

__all__ = [
    "Client",
    "verify_callback",
    "callback_ack",
    "callback_failure",
    "encrypt_field",
    "decrypt_field",
    "sign",
    "AimisError",
    "ApiError",
    "CallbackError",
    "ConfigurationError",
    "CryptoError",
    "DecodeError",
    "HttpError",
    "TimeoutError",
    "TransportError",
    "ValidationError",
    "StudyType",
    "DataFlag",
    "Usage",
    "StudyStatus",
    "Study",
    "ConsultationList",
    "PatientStudyUrl",
    "StudyStatusCallback",
]
__version__: str


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

    def __init__(
        self,
        *,
        his_id: str | None = None,
        report_id: str | None = None,
        study_type: StudyType | int | None = None,
        study_date: str | None = None,
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
    ) -> None: ...
    @property
    def his_id(self) -> str | None:
        """`hisId`: The hospital information system's number for the study."""
    @property
    def report_id(self) -> str | None:
        """`reportId`: The report's ID in the imaging cloud; pass it to patientReportUrl."""
    @property
    def study_type(self) -> StudyType | int | None:
        """`studyType`: The imaging department of the study."""
    @property
    def study_date(self) -> str | None:
        """`studyDate`: When the study took place, yyyy-MM-dd HH:mm:ss."""
    @property
    def study_id(self) -> str | None:
        """`studyId`: The study (examination) number."""
    @property
    def body_part(self) -> str | None:
        """`bodyPart`: The body part examined."""
    @property
    def study_name(self) -> str | None:
        """`studyName`: The name of the examination item."""
    @property
    def apply_doctor(self) -> str | None:
        """`applyDoctor`: The doctor who requested the study."""
    @property
    def apply_doctor_id(self) -> str | None:
        """`applyDoctorId`: The ID of the requesting doctor."""
    @property
    def apply_dept(self) -> str | None:
        """`applyDept`: The department that requested the study."""
    @property
    def apply_dept_id(self) -> str | None:
        """`applyDeptId`: The ID of the requesting department."""
    @property
    def uni_app_id(self) -> str | None:
        """`uniAppId`: The mini program appid to jump to."""
    @property
    def uni_path(self) -> str | None:
        """`uniPath`: The mini program path, with parameters, of the study's details."""
    @property
    def h5_url(self) -> str | None:
        """`h5Url`: H5 page with the report."""
    @property
    def h5_detail_url(self) -> str | None:
        """`h5DetailUrl`: H5 page with the images."""


class ConsultationList(Record):
    """Where the patient's consultation records can be seen."""

    def __init__(
        self,
        *,
        h5_url: str | None = None,
    ) -> None: ...
    @property
    def h5_url(self) -> str | None:
        """`h5Url`: H5 page listing the patient's consultations."""


class PatientStudyUrl(Record):
    """Links to one report and its images."""

    def __init__(
        self,
        *,
        h5_url: str | None = None,
        h5_detail_url: str | None = None,
        study_id: str | None = None,
    ) -> None: ...
    @property
    def h5_url(self) -> str | None:
        """`h5Url`: H5 page with the report."""
    @property
    def h5_detail_url(self) -> str | None:
        """`h5DetailUrl`: H5 page with the images."""
    @property
    def study_id(self) -> str | None:
        """`studyId`: The study number, as the hospital system knows it."""


class StudyStatusCallback(Record):
    """The platform tells the partner that a study, its report or its images have arrived."""

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
    ) -> None: ...
    @property
    def status(self) -> StudyStatus | int:
        """`status`: What the platform has obtained."""
    @property
    def phone_num(self) -> str:
        """`phoneNum`: The patient's phone number."""
    @property
    def id_num(self) -> str:
        """`idNum`: The patient's identity card number."""
    @property
    def patient_id(self) -> str:
        """`patientId`: The patient's ID."""
    @property
    def hospital_id(self) -> str:
        """`hospitalId`: The hospital's ID in the imaging cloud."""
    @property
    def his_id(self) -> str | None:
        """`hisId`: The hospital information system's number, if there is one."""
    @property
    def study_type(self) -> StudyType | int:
        """`studyType`: The imaging department of the study."""
    @property
    def study_date(self) -> datetime.datetime | str:
        """`studyDate`: When the study took place."""
    @property
    def study_id(self) -> str:
        """`studyId`: The study (examination) number."""
    @property
    def body_part(self) -> str | None:
        """`bodyPart`: The body part examined, if known."""
    @property
    def study_name(self) -> str | None:
        """`studyName`: The examination item, if known."""
    @property
    def h5_url(self) -> str:
        """`h5Url`: H5 page with the report."""
    @property
    def h5_detail_url(self) -> str:
        """`h5DetailUrl`: H5 page with the images."""
    @property
    def report_id(self) -> str:
        """`reportId`: The reportId; pass it to patientReportUrl."""


class Client:
    """A client of the AIMIS platform, safe to share between threads.

    ``base_url`` defaults to production; plain ``http://`` is accepted only for
    loopback hosts (a local ``aimis sim``). ``timeout`` (per attempt) and
    ``connect_timeout`` are in seconds, at most 3600; failures that a retry can fix are
    retried ``retries`` times (0 to 10) with backoff. ``proxy`` is an HTTP proxy's URL;
    ``ca_certs`` a PEM file of CA certificates to trust besides the public roots (for a
    TLS-inspecting proxy). A bad setting is a ``ConfigurationError`` here.
    """

    def __init__(
        self,
        app_id: str,
        token: str,
        base_url: str | None = None,
        timeout: float = 10.0,
        connect_timeout: float = 5.0,
        retries: int = 2,
        proxy: str | None = None,
        ca_certs: str | os.PathLike[str] | None = None,
    ) -> None: ...
    @property
    def app_id(self) -> str:
        """The partner's app id."""
    @property
    def base_url(self) -> str:
        """The platform's address."""
    def call(self, endpoint: str, request: Mapping[str, Any]) -> Any:
        """Calls ``endpoint`` (``patientStudies``, ``patient_studies`` or
        ``patient-studies``) with ``request`` in the vendor's camelCase names and
        plaintext patient data; returns the response ``data`` as plain dicts and lists."""
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


def verify_callback(
    headers: Headers,
    body: bytes | str,
    *,
    app_id: str,
    token: str,
    max_skew: float = 300.0,
    kind: str | None = None,
    now_ms: int | None = None,
) -> StudyStatusCallback:
    """Verifies a callback from the platform and returns it decrypted.

    ``headers`` is any mapping or sequence of pairs, names in any case: a dict,
    Flask's ``request.headers``, Django's ``request.headers``, Starlette's. ``body``
    is the raw body, bytes or str. The appId, the timestamp (within ``max_skew``
    seconds of now, either way) and the signature are checked, then the patient
    fields are decrypted. ``kind`` names the callback when the spec has several.
    ``now_ms`` is the time to check the timestamp against, in milliseconds since
    1970 (default: now), for tests and for re-checking a stored callback.

    Raises ``CallbackError`` (answer with an error status) when anything is wrong.
    The signature does not cover the body: handle callbacks idempotently.
    """

def callback_ack() -> str:
    """The body that acknowledges a callback: ``{"code":0,"message":"success"}``."""

def callback_failure(code: int, message: str) -> str:
    """The body that refuses a callback with this code and message."""

def encrypt_field(token: str, plaintext: str) -> str:
    """Encrypts one field value as the platform expects (AES-256-ECB, PKCS#7, hex)."""

def decrypt_field(token: str, ciphertext: str) -> str:
    """Decrypts one field value; hex is accepted in either case."""

def sign(app_id: str, token: str, timestamp: int | str) -> str:
    """The ``signature`` header for this app id and timestamp."""
