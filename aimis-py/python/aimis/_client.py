"""``aimis.Client``: the native client plus one keyword-argument method per endpoint of
the spec, made at import time from the registry.

``ClientBase`` is what every client has; ``make_client`` subclasses it with the
endpoints' methods.
"""

from __future__ import annotations

import inspect
import os
from typing import Any, Callable, Dict, Iterable, Mapping, Optional, Union

from aimis import _native
from aimis._model import Field, Model, Spec


class ClientBase:
    """A client of the AIMIS platform, safe to share between threads.

    ``base_url`` defaults to production; plain ``http://`` is accepted only for
    loopback hosts (a local ``aimis sim``). ``timeout`` (per attempt) and
    ``connect_timeout`` are in seconds, at most 3600; failures that a retry can fix are
    retried ``retries`` times (0 to 10) with backoff. ``proxy`` is an HTTP proxy's URL;
    ``ca_certs`` a PEM file of CA certificates to trust besides the public roots (for a
    TLS-inspecting proxy). A bad setting is a ``ConfigurationError`` here.
    """

    __slots__ = ("_native",)

    def __init__(
        self,
        app_id: str,
        token: str,
        base_url: Optional[str] = None,
        timeout: float = 10.0,
        connect_timeout: float = 5.0,
        retries: int = 2,
        proxy: Optional[str] = None,
        ca_certs: Union[str, "os.PathLike[str]", None] = None,
    ) -> None:
        self._native = _native.Client(app_id, token, base_url, timeout, connect_timeout, retries, proxy, ca_certs)

    @property
    def app_id(self) -> str:
        """The partner's app id."""
        return self._native.app_id

    @property
    def base_url(self) -> str:
        """The platform's address."""
        return self._native.base_url

    def call(self, endpoint: str, request: Mapping[str, Any]) -> Any:
        """Calls ``endpoint`` (``patientStudies``, ``patient_studies`` or
        ``patient-studies``) with ``request`` in the vendor's camelCase names and
        plaintext patient data; returns the response ``data`` as plain dicts and lists."""
        # A dict (or anything else) goes to the native side as it is: it reads it
        # without running the caller's code. Other mappings are copied into a dict.
        if not issubclass(type(request), dict) and issubclass(type(request), Mapping):
            request = dict(request)
        return self._native.call(endpoint, request)

    def __repr__(self) -> str:
        return f"aimis.Client(app_id={self.app_id!r}, base_url={self.base_url!r})"


def make_client(model: Model, service: Spec) -> type[ClientBase]:
    """``aimis.Client``: ``ClientBase`` with one method per endpoint of the spec."""
    methods: Dict[str, Any] = {"__slots__": (), "__doc__": ClientBase.__doc__, "__module__": "aimis"}
    for endpoint in service["endpoints"]:
        method = _endpoint_method(model, endpoint)
        methods[method.__name__] = method
    return type("Client", (ClientBase,), methods)


def _endpoint_method(model: Model, endpoint: Spec) -> Callable[..., Any]:
    # Required arguments first, as the stubs list them; all are keyword-only.
    specs = sorted(endpoint["request"], key=lambda f: not f["required"])
    fields: Dict[str, Field] = {f["snake"]: Field(f) for f in specs}
    name: str = endpoint["method_name"]
    wire_name: str = endpoint["name"]
    response: Spec = endpoint["response"]

    def method(self: ClientBase, **arguments: Any) -> Any:
        request = {}
        for key, value in arguments.items():
            field = fields.get(key)
            if field is None:
                raise TypeError(f"{name}() got an unexpected keyword argument {key!r}")
            if value is not None:
                request[field.name] = value
        return model.decode(response, self._native.call(wire_name, request))

    method.__name__ = name
    method.__qualname__ = f"Client.{name}"
    method.__module__ = "aimis"
    method.__doc__ = _docstring(endpoint, fields.values())
    parameters = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    for field in fields.values():
        default = inspect.Parameter.empty if field.required else None
        parameters.append(inspect.Parameter(field.snake, inspect.Parameter.KEYWORD_ONLY, default=default))
    method.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    return method


def _docstring(endpoint: Spec, fields: Iterable[Field]) -> str:
    lines = [f"{endpoint['title']}: {endpoint['doc']}", "", f"{endpoint['method']} {endpoint['path']}", "", "Arguments:"]
    for field in fields:
        flag = "required" if field.required else "optional"
        lines.append(f"    {field.snake} ({field.name}, {flag}): {field.doc}")
    return "\n".join(lines)
