"""What the generated classes (``_generated.py``) stand on: the record base class, whose
records the native module builds.

Decoding is as tolerant as the Rust core's, so that Python accepts every answer and
callback that Rust and C accept: an enum number the spec does not name stays a plain
``int``, a datetime in another form stays the text that was sent (the native module's
rules).
"""

from __future__ import annotations

import datetime
import enum
from typing import Any, Callable, Dict, NamedTuple, Tuple, Type, TypeVar

# The vendor's datetime form, yyyy-MM-dd HH:mm:ss.
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
MASK = "***"

R = TypeVar("R", bound="Record")


class Field(NamedTuple):
    """One field of a record: the vendor's name, the Python name, whether it must be
    given, and whether it is patient data (masked in reprs)."""

    name: str
    snake: str
    required: bool
    sensitive: bool


class Record:
    """Base of the result classes: immutable, attributes in snake_case, ``to_dict()``
    with the vendor's camelCase names, patient data masked in the repr."""

    __slots__ = ("_values",)
    _fields: Tuple[Field, ...] = ()
    _values: Tuple[Any, ...]

    def _init(self, *values: Any) -> None:
        """Sets the values, in the order of ``_fields``; what the generated
        ``__init__`` calls."""
        fields = type(self)._fields
        missing = [f.snake for f, v in zip(fields, values) if f.required and v is None]
        if missing:
            raise TypeError(f"{type(self).__name__}() is missing required keyword arguments: {', '.join(missing)}")
        object.__setattr__(self, "_values", tuple(tuple(v) if isinstance(v, list) else v for v in values))

    @classmethod
    def _from_values(cls: Type[R], values: Tuple[Any, ...]) -> R:
        """A record of values already decoded, unchecked, in field order (how pickled
        records come back)."""
        record = object.__new__(cls)
        object.__setattr__(record, "_values", values)
        return record

    def to_dict(self) -> Dict[str, Any]:
        """The record as the vendor writes it: camelCase keys, enums as ints, datetimes
        as ``yyyy-MM-dd HH:mm:ss``; absent fields are None. One row for pandas."""
        return {f.name: _plain(v) for f, v in zip(type(self)._fields, self._values)}

    def __repr__(self) -> str:
        parts = (
            f"{f.snake}={MASK if f.sensitive and v is not None else repr(v)}"
            for f, v in zip(type(self)._fields, self._values)
        )
        return f"{type(self).__name__}({', '.join(parts)})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Record)
        return self._values == other._values

    def __hash__(self) -> int:
        return hash((type(self).__qualname__, self._values))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __reduce__(self) -> Tuple[Callable[..., Record], Tuple[type, Tuple[Any, ...]]]:
        return (_restore, (type(self), self._values))


def _restore(cls: Type[Record], values: Tuple[Any, ...]) -> Record:
    return cls._from_values(values)


def _plain(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, enum.IntEnum):
        return int(value)
    if isinstance(value, datetime.datetime):
        return value.strftime(DATETIME_FORMAT)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value
