"""Classes built from the spec at import time: IntEnum per enum, a frozen record class
per struct and callback, and the conversion of the platform's JSON into them."""

from __future__ import annotations

import datetime
import enum
from typing import Any, Callable, Dict, Iterator, List, Mapping, Tuple

# The vendor's datetime form, yyyy-MM-dd HH:mm:ss.
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
MASK = "***"

Spec = Dict[str, Any]


class Field:
    """One field of a record: wire name, Python name, type, and whether it is patient
    data (masked in reprs)."""

    __slots__ = ("name", "snake", "type", "doc", "required", "sensitive")

    def __init__(self, spec: Spec) -> None:
        self.name: str = spec["name"]
        self.snake: str = spec["snake"]
        self.type: Spec = spec["type"]
        self.doc: str = spec["doc"]
        self.required: bool = spec["required"]
        self.sensitive: bool = spec["sensitive"]


class Record:
    """Base of the result classes: immutable, attributes in snake_case, ``to_dict()``
    with the vendor's camelCase names, patient data masked in the repr."""

    __slots__ = ("_values",)
    _fields: Tuple[Field, ...] = ()
    _values: Tuple[Any, ...]

    def __init__(self, **values: Any) -> None:
        fields = type(self)._fields
        unknown = set(values) - {f.snake for f in fields}
        if unknown:
            raise TypeError(f"{type(self).__name__}() got unexpected keyword arguments: {', '.join(sorted(unknown))}")
        missing = [f.snake for f in fields if f.required and values.get(f.snake) is None]
        if missing:
            raise TypeError(f"{type(self).__name__}() is missing required keyword arguments: {', '.join(missing)}")
        object.__setattr__(self, "_values", tuple(_freeze(values.get(f.snake)) for f in fields))

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
        return self._values == other._values

    def __hash__(self) -> int:
        return hash((type(self).__qualname__, self._values))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __reduce__(self) -> Tuple[Callable[..., Record], Tuple[type, Tuple[Any, ...]]]:
        return (_restore, (type(self), self._values))


def _getter(index: int) -> Callable[[Record], Any]:
    def get(record: Record) -> Any:
        return record._values[index]

    return get


def _restore(cls: type, values: Tuple[Any, ...]) -> Record:
    record: Record = object.__new__(cls)
    object.__setattr__(record, "_values", values)
    return record


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


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


class Model:
    """Every class of the spec, by the spec's name, and the conversions into them."""

    def __init__(self, service: Spec) -> None:
        self.enums: Dict[str, type[enum.IntEnum]] = {e["name"]: make_enum(e) for e in service["enums"]}
        self.records: Dict[str, type[Record]] = {}
        for struct in service["structs"]:
            self.records[struct["name"]] = self.make_record(struct["name"], struct["doc"], struct["fields"])
        self.callbacks: Dict[str, type[Record]] = {}
        for callback in service["callbacks"]:
            cls = self.make_record(callback["class_name"], callback["doc"], callback["fields"])
            self.callbacks[callback["name"]] = cls

    def callback_class(self, name: str) -> type[Record]:
        """The class of the callback with this name, in any spelling the native side
        accepts (``studyStatus``, ``study_status``, ``study-status``)."""
        wanted = _fold(name)
        return next(cls for spec_name, cls in self.callbacks.items() if _fold(spec_name) == wanted)

    def classes(self) -> Iterator[type]:
        yield from self.enums.values()
        yield from self.records.values()
        yield from self.callbacks.values()

    def make_record(self, name: str, doc: str, specs: List[Spec]) -> type[Record]:
        fields = tuple(Field(f) for f in specs)
        namespace: Dict[str, Any] = {
            "__slots__": (),
            "__doc__": doc,
            "__module__": "aimis",
            "_fields": fields,
        }
        for i, f in enumerate(fields):
            namespace[f.snake] = property(_getter(i), doc=f.doc)
        return type(name, (Record,), namespace)

    def decode(self, type_spec: Spec, value: Any) -> Any:
        """The platform's JSON value of this type, as Python: IntEnum members, datetimes,
        records, lists. The native side has checked the JSON types already. Decoding is
        as tolerant as the Rust core's, so that Python accepts every answer and callback
        that Rust and C accept: an enum number the spec does not name stays a plain
        ``int``, a datetime in another form stays the text that was sent."""
        if value is None:
            return None
        kind = type_spec["kind"]
        if kind == "enum":
            try:
                return self.enums[type_spec["name"]](value)
            except ValueError:
                return value
        if kind == "datetime":
            return _datetime(value)
        if kind == "struct":
            return self.record(self.records[type_spec["name"]], value)
        if kind == "list":
            return [self.decode(type_spec["item"], item) for item in value]
        return value

    def record(self, cls: type[Record], data: Mapping[str, Any]) -> Record:
        values = tuple(_freeze(self.decode(f.type, data.get(f.name))) for f in cls._fields)
        return _restore(cls, values)


def _datetime(text: str) -> Any:
    """A ``datetime`` when ``text`` is exactly the vendor's form (so that ``to_dict()``
    gives back the very text), else the text."""
    try:
        parsed = datetime.datetime.strptime(text, DATETIME_FORMAT)
    except ValueError:
        return text
    return parsed if parsed.strftime(DATETIME_FORMAT) == text else text


def _fold(name: str) -> str:
    return "".join(c for c in name if c not in "_- ").lower()


def make_enum(spec: Spec) -> type[enum.IntEnum]:
    # Through Any: mypy would otherwise make a class of its own from the functional API.
    functional: Any = enum.IntEnum
    cls = functional(spec["name"], [(v["name"], v["value"]) for v in spec["values"]], module="aimis", qualname=spec["name"])
    cls.__doc__ = spec["doc"]
    return cls  # type: ignore[no-any-return]
