# The private native module (aimis-py/src). Nothing here depends on the spec; service()
# describes it as data (the tests compare the generated package with it).
import asyncio
import builtins
import os
from typing import Any, Iterator, final

__all__ = [
    "__version__",
    "Batch",
    "Client",
    "Completions",
    "Inbox",
    "Pending",
    "callback_ack",
    "callback_failure",
    "decrypt_field",
    "encrypt_field",
    "service",
    "sign",
    "use_classes",
    "verify_callback",
]
__version__: str

@final
class Client:
    def __new__(
        cls,
        app_id: str,
        token: str,
        base_url: str | None = None,
        timeout: float | None = None,
        connect_timeout: float | None = None,
        retries: int | None = None,
        proxy: str | None = None,
        ca_certs: str | os.PathLike[str] | bytes | None = None,
        proxy_from_env: bool | None = None,
        allow_insecure_http: bool | None = None,
        user_agent_product: str | None = None,
    ) -> Client: ...
    @property
    def app_id(self) -> str: ...
    @property
    def base_url(self) -> str: ...
    def call(self, endpoint: str, request: Any) -> Any: ...
    def call_fields(self, endpoint: str, values: tuple[Any, ...]) -> Any: ...
    def start_call(
        self, endpoint: str, request: Any, completions: Completions, future: asyncio.Future[Any]
    ) -> Pending: ...
    def start_fields(
        self,
        endpoint: str,
        values: tuple[Any, ...],
        completions: Completions,
        future: asyncio.Future[Any],
    ) -> Pending: ...
    def close(self) -> None: ...
    @property
    def closed(self) -> bool: ...
    def batch(
        self, endpoint: str, rows: Iterator[Any], concurrency: int, rate: float | None = None
    ) -> Batch: ...

@final
class Inbox:
    def __new__(cls, store: str, app_id: str, token: str) -> Inbox: ...
    def next(self, lease: float) -> tuple[int, Any, str, int, builtins.list[str]] | None: ...
    def ack(self, id: int) -> None: ...
    def nack(self, id: int) -> None: ...
    def list(self, state: str) -> builtins.list[dict[str, Any]]: ...
    def stats(self) -> dict[str, Any]: ...

@final
class Batch:
    def __iter__(self) -> Batch: ...
    def __next__(self) -> tuple[int, Any, BaseException | None]: ...
    def close(self) -> None: ...
    def start_next(self, completions: Completions, future: asyncio.Future[Any]) -> Pending: ...

@final
class Pending:
    def cancel(self) -> None: ...

@final
class Completions:
    @staticmethod
    def of(event_loop: asyncio.AbstractEventLoop) -> Completions: ...
    def drain(self) -> None: ...

def encrypt_field(token: str, plaintext: str) -> str: ...
def decrypt_field(token: str, ciphertext: str) -> str: ...
def sign(app_id: str, token: str, timestamp: int | str) -> str: ...
def callback_ack() -> str: ...
def callback_failure(code: int, message: str) -> str: ...
def verify_callback(
    kind: str,
    headers: list[tuple[str, str]],
    body: bytes,
    app_id: str,
    token: str,
    max_skew: float | None = None,
    now_ms: int | None = None,
) -> Any: ...
def service() -> dict[str, Any]: ...
def use_classes(
    structs: dict[str, type],
    callbacks: dict[str, type],
    enums: dict[str, type],
) -> None: ...
