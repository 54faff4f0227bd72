"""Client for Tencent's AIMIS medical imaging cloud, the "Internet Hospital APIs".

The enums, result classes and the endpoint methods of ``Client`` and ``AsyncClient``
are generated from the API spec into ``aimis/_generated.py``. The Rust core signs every request, encrypts
patient fields, validates requests before anything is sent and verifies callbacks.
"""

import logging as _logging
import warnings
from typing import Any

from aimis import _native
from aimis._batch import BatchResult
from aimis._callback import verify_callback
from aimis._inbox import Inbox, InboxItem
from aimis._errors import (
    AimisError,
    ApiError,
    BodyTooLargeError,
    CallbackError,
    ConfigurationError,
    ConnectionRefusedException,
    ConnectionResetException,
    CryptoError,
    DecodeError,
    DnsError,
    HttpError,
    InboxError,
    TimeoutException,
    TlsCertificateError,
    TransportError,
    ValidationError,
)
from aimis._generated import *  # noqa: F403 (the spec's enums, records and clients)
from aimis._generated import __all__ as __all__
from aimis._native import callback_ack, callback_failure, decrypt_field, encrypt_field, sign

__version__: str = _native.__version__

# The SDK's events go to the `aimis` loggers (`aimis.call`, `aimis.batch`, ...): silent
# until the program configures logging, as a library's should be.
_logging.getLogger("aimis").addHandler(_logging.NullHandler())

# A tuple: this makes a new one, the generated module's stays as it is.
__all__ += (
    "BatchResult",
    "Inbox",
    "InboxItem",
    "verify_callback",
    "callback_ack",
    "callback_failure",
    "encrypt_field",
    "decrypt_field",
    "sign",
    "AimisError",
    "ApiError",
    "BodyTooLargeError",
    "CallbackError",
    "ConfigurationError",
    "ConnectionRefusedException",
    "ConnectionResetException",
    "CryptoError",
    "DecodeError",
    "DnsError",
    "HttpError",
    "InboxError",
    "TimeoutException",
    "TlsCertificateError",
    "TransportError",
    "ValidationError",
)

# The names these exceptions had, which are also built-ins': still attributes of aimis
# (with a DeprecationWarning), never in __all__, so `from aimis import *` leaves the
# built-ins alone.
_RENAMED = {
    "TimeoutError": "TimeoutException",
    "ConnectionRefusedError": "ConnectionRefusedException",
    "ConnectionResetError": "ConnectionResetException",
}


def __getattr__(name: str) -> Any:
    new = _RENAMED.get(name)
    if new is None:
        raise AttributeError(f"module 'aimis' has no attribute {name!r}")
    warnings.warn(f"aimis.{name} is deprecated: use aimis.{new}", DeprecationWarning, stacklevel=2)
    return globals()[new]
