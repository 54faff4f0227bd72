"""Client for Tencent's AIMIS medical imaging cloud, the "Internet Hospital APIs".

The endpoints, enums and result classes here are built at import time from the API spec
compiled into the native module; ``__init__.pyi`` describes them for type checkers and
IDEs. The Rust core signs every request, encrypts patient fields, validates requests
before anything is sent and verifies callbacks.
"""

from aimis import _native
from aimis._callback import make_verify_callback
from aimis._client import make_client
from aimis._errors import (
    AimisError,
    ApiError,
    CallbackError,
    ConfigurationError,
    CryptoError,
    DecodeError,
    HttpError,
    TimeoutError,
    TransportError,
    ValidationError,
)
from aimis._model import Model
from aimis._native import callback_ack, callback_failure, decrypt_field, encrypt_field, sign

__version__: str = _native.__version__

_service = _native.service()
_model = Model(_service)
Client = make_client(_model, _service)
globals().update({cls.__name__: cls for cls in _model.classes()})
verify_callback = make_verify_callback(_model, _service)
del _service

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
    *(cls.__name__ for cls in _model.classes()),
]
