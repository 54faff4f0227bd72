"""The exceptions of aimis: one root, one class per kind of failure.

No class takes the name of a built-in: where one is also a built-in exception (a
refused or reset connection, a timeout) it is named ``...Exception``, so that
``from aimis import *`` never replaces ``TimeoutError`` and its kin; the old names
still work as deprecated attributes of ``aimis``.

Every exception keeps its constructor arguments in ``args``, so it pickles (for
multiprocessing and task queues) and compares by value after a round trip. Messages
never hold patient data or the token.
"""

from __future__ import annotations

import builtins
from typing import Optional

__all__ = [
    "AimisError",
    "ConfigurationError",
    "ValidationError",
    "TransportError",
    "ConnectionRefusedException",
    "DnsError",
    "TlsCertificateError",
    "ConnectionResetException",
    "TimeoutException",
    "BodyTooLargeError",
    "HttpError",
    "DecodeError",
    "ApiError",
    "CryptoError",
    "CallbackError",
]


class AimisError(Exception):
    """The root of every error raised by aimis."""

    def __init__(self, message: str, *details: object) -> None:
        super().__init__(message, *details)

    def __str__(self) -> str:
        return str(self.args[0])


class ConfigurationError(AimisError):
    """Unusable credentials or client settings: a token that is not 32 bytes, a base
    URL that is not https, a timeout that is not positive."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


class ValidationError(AimisError, ValueError):
    """A request breaks a rule of the spec; nothing was sent.

    ``field`` is the vendor's name of the field (``phoneNum``), ``rule`` what it breaks.
    """

    def __init__(self, message: str, field: str, rule: str) -> None:
        super().__init__(message, field, rule)
        self.field = field
        self.rule = rule


class TransportError(AimisError):
    """The platform could not be reached, the connection broke, or the answer was too
    large, after the retries that could help. The subclasses name the kind; ``kind`` is
    its name, the same in every language (``other`` for a kind without a subclass: a
    proxy's refusal, another TLS failure, a protocol error)."""

    kind: str = "other"

    def __init__(self, message: str, *details: object) -> None:
        super().__init__(message, *details)


class ConnectionRefusedException(TransportError, builtins.ConnectionRefusedError):
    """Nothing listens at the platform's (or the proxy's) address, or a firewall said
    no. Also a built-in ``ConnectionRefusedError`` (whose name it does not take, so that
    ``from aimis import *`` leaves the built-in alone)."""

    kind = "connection_refused"

    def __init__(self, message: str) -> None:
        super().__init__(message)


class DnsError(TransportError):
    """The platform's (or the proxy's) host name could not be resolved."""

    kind = "dns"

    def __init__(self, message: str) -> None:
        super().__init__(message)


class TlsCertificateError(TransportError):
    """The server's TLS certificate is not trusted. Behind a TLS-inspecting proxy, pass
    its CA certificate as ``ca_certs``. Not retried."""

    kind = "tls_certificate"

    def __init__(self, message: str) -> None:
        super().__init__(message)


class ConnectionResetException(TransportError, builtins.ConnectionResetError):
    """The connection was reset or closed before the answer was complete. Also a
    built-in ``ConnectionResetError`` (whose name it does not take)."""

    kind = "connection_reset"

    def __init__(self, message: str) -> None:
        super().__init__(message)


class TimeoutException(TransportError, builtins.TimeoutError):
    """No complete answer within the timeout (``timeout``, in seconds), after the
    retries. Also a built-in ``TimeoutError`` (whose name it does not take)."""

    kind = "timeout"

    def __init__(self, message: str, timeout: float) -> None:
        super().__init__(message, timeout)
        self.timeout = timeout


class BodyTooLargeError(TransportError):
    """The answer is larger than the client reads (the message says how large that
    is). Not retried."""

    kind = "body_too_large"

    def __init__(self, message: str) -> None:
        super().__init__(message)


class HttpError(AimisError):
    """The platform answered with an HTTP status other than 2xx (``status``). The
    answer is described by its media type (``content_type``, or None) and its
    ``length`` in bytes, never by its text, which may hold patient data."""

    def __init__(self, message: str, status: int, content_type: str | None, length: int) -> None:
        super().__init__(message, status, content_type, length)
        self.status = status
        self.content_type = content_type
        self.length = length


class DecodeError(AimisError):
    """The answer is not the JSON the spec describes."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


class ApiError(AimisError):
    """The platform answered with a code other than success.

    ``code`` and ``message`` are the platform's own; ``name`` is the spec's name of a
    well-known code (``NoData`` for 10003), or None.
    """

    def __init__(self, message: str, code: int, api_message: str, name: Optional[str] = None) -> None:
        super().__init__(message, code, api_message, name)
        self.code = code
        self.message = api_message
        self.name = name


class CryptoError(AimisError):
    """A value could not be decrypted: not hex, a bad length, or another token.

    ``field`` names the value (``(value)`` for ``decrypt_field``); ``reason`` is one of
    ``bad_encoding``, ``bad_length``, ``bad_padding``, ``not_utf8``.
    """

    def __init__(self, message: str, field: str, reason: str) -> None:
        super().__init__(message, field, reason)
        self.field = field
        self.reason = reason


class CallbackError(AimisError):
    """An inbound callback failed verification; answer it with an error status.

    ``reason`` is one of ``missing_header``, ``duplicate_header``, ``app_id_mismatch``,
    ``bad_timestamp``, ``stale``, ``from_future``, ``bad_signature``,
    ``malformed_body``, ``field``. For ``field``, ``field`` is the vendor's name of the
    field at fault (``phoneNum``); otherwise None.
    """

    def __init__(self, message: str, reason: str, field: Optional[str] = None) -> None:
        super().__init__(message, reason, field)
        self.reason = reason
        self.field = field


# Shown in tracebacks and pickled as `aimis.<Name>`, where users import them from.
for _error in (
    AimisError,
    ConfigurationError,
    ValidationError,
    TransportError,
    ConnectionRefusedException,
    DnsError,
    TlsCertificateError,
    ConnectionResetException,
    TimeoutException,
    BodyTooLargeError,
    HttpError,
    DecodeError,
    ApiError,
    CryptoError,
    CallbackError,
):
    _error.__module__ = "aimis"
del _error


class InboxError(AimisError):
    """The inbox's store could not be opened, read or written, or a stored callback
    cannot be opened with these credentials."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
