"""Reading unstructured objects the way Kubernetes' typed conversion does.

The Go checks first convert the object with ``runtime.DefaultUnstructuredConverter`` into the
Kubernetes struct. The helpers here reproduce what that conversion means for the fields a check
reads: absent or ``null`` reads as the zero value (``0``, ``""``, ``false``, empty list), pointer
fields are "unset", integers wrap to the field's width, and a value of the wrong JSON type is an
error with the converter's own text (``cannot restore struct from: string``,
``unrecognized type: int32``, ``cannot convert float64 to int32``, ...).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from gitops_core.errors import HealthCheckError

__all__ = [
    "EMPTY",
    "GoError",
    "go_quote",
    "object_meta",
    "to_bool",
    "to_int32",
    "to_int64",
    "to_ptr_int32",
    "to_ptr_struct",
    "to_slice",
    "to_str",
    "to_str_map",
    "to_str_slice",
    "to_struct",
    "wrap32",
]

EMPTY: Mapping[str, Any] = MappingProxyType({})


GoError = HealthCheckError
"""A Go check failed; ``str()`` is the Go error text (it becomes an Unknown message)."""


def _kind(value: Any) -> str:
    """Go ``reflect.Kind`` name of a decoded JSON value."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "map"
    if isinstance(value, (list, tuple)):
        return "slice"
    return "interface"


def to_struct(value: Any) -> Mapping[str, Any]:
    """A struct value: ``null`` is the zero struct, anything but a mapping is an error."""
    if type(value) is dict or isinstance(value, Mapping):
        return value
    if value is None:
        return EMPTY
    raise GoError(f"cannot restore struct from: {_kind(value)}")


def to_ptr_struct(value: Any) -> Mapping[str, Any] | None:
    """A pointer-to-struct value: ``None`` when absent or ``null``."""
    if value is None:
        return None
    return to_struct(value)


def to_slice(value: Any) -> Sequence[Any]:
    """A slice value: ``null`` is empty, anything but a list is an error."""
    if type(value) is list or isinstance(value, (list, tuple)):
        return value
    if value is None:
        return ()
    raise GoError(f"cannot restore slice from {_kind(value)}")


def to_str(value: Any, type_name: str = "string") -> str:
    """A string (or named string type ``type_name``, e.g. ``v1.PodPhase``) value."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int) and not isinstance(value, bool):
        # Go's reflect says int64 is convertible to string, but the converter refuses it
        raise GoError(f"cannot convert int64 to {type_name}")
    raise GoError("unrecognized type: string")


def to_bool(value: Any) -> bool:
    """A bool value."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    raise GoError("unrecognized type: bool")


def _to_int(value: Any, type_name: str, bits: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise GoError(f"unrecognized type: {type_name}")
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")) or value != int(value):
            raise GoError(f"cannot convert float64 to {type_name}")
    number = int(value)
    # reflect.Value.Convert truncates to the field's width (two's complement)
    half = 1 << (bits - 1)
    if -half <= number < half:
        return number
    return ((number + half) % (1 << bits)) - half


def to_int32(value: Any) -> int:
    """An ``int32`` value (absent: 0)."""
    if type(value) is int and -2147483648 <= value <= 2147483647:
        return value
    if value is None:
        return 0
    return _to_int(value, "int32", 32)


def to_ptr_int32(value: Any) -> int | None:
    """A ``*int32`` value: ``None`` when absent or ``null``."""
    if value is None:
        return None
    return to_int32(value)


def to_int64(value: Any) -> int:
    """An ``int64`` value (absent: 0)."""
    if type(value) is int and -(1 << 63) <= value < (1 << 63):
        return value
    if value is None:
        return 0
    return _to_int(value, "int64", 64)


def wrap32(value: int) -> int:
    """Go ``int32`` arithmetic: wrap a result to 32 bits."""
    if -2147483648 <= value <= 2147483647:
        return value
    return ((value + 2147483648) % 4294967296) - 2147483648


def to_str_map(value: Any) -> Mapping[str, str]:
    """A ``map[string]string`` value (labels, annotations)."""
    if value is None:
        return EMPTY
    if not (type(value) is dict or isinstance(value, Mapping)):
        raise GoError(f"cannot restore map from {_kind(value)}")
    for item in value.values():
        if type(item) is not str:
            to_str(item)
    return value


def to_str_slice(value: Any) -> Sequence[str]:
    """A ``[]string`` value (finalizers)."""
    items = to_slice(value)
    for item in items:
        if type(item) is not str:
            to_str(item)
    return items


_META_STRINGS = (
    ("generateName", "string"),
    ("namespace", "string"),
    ("uid", "types.UID"),
    ("resourceVersion", "string"),
)


def object_meta(obj: Mapping[str, Any]) -> tuple[str, int, Mapping[str, str]]:
    """Convert ``apiVersion``/``kind`` and ``metadata`` as ObjectMeta: ``(name, generation, annotations)``.

    Fields are converted in the struct's declaration order so the first error is Go's.
    """
    value = obj.get("apiVersion")
    if type(value) is not str:
        to_str(value)
    value = obj.get("kind")
    if type(value) is not str:
        to_str(value)
    meta = obj.get("metadata")
    if type(meta) is not dict:
        meta = to_struct(meta)
        if not meta:
            return "", 0, EMPTY
    get = meta.get
    name = get("name", "")
    if type(name) is not str:
        name = to_str(name)
    for key, type_name in _META_STRINGS:
        value = get(key)
        if value is not None and type(value) is not str:
            to_str(value, type_name)
    generation = get("generation", 0)
    if type(generation) is not int:
        generation = to_int64(generation)
    value = get("labels")
    if value is not None:
        to_str_map(value)
    annotations = get("annotations")
    annotations = EMPTY if annotations is None else to_str_map(annotations)
    value = get("ownerReferences")
    if value is not None:
        to_slice(value)
    value = get("finalizers")
    if value is not None:
        to_str_slice(value)
    return name, generation, annotations


def go_quote(text: str) -> str:
    """Go's ``%q`` / ``strconv.Quote`` of ``text``.

    >>> go_quote('web "a"')
    '"web \\\\"a\\\\""'
    """
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    out = ['"']
    for char in text:
        code = ord(char)
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif char.isprintable():
            out.append(char)
        elif char in _GO_ESCAPES:
            out.append(_GO_ESCAPES[char])
        elif code < 0x80:
            out.append(f"\\x{code:02x}")
        elif 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")  # a raw byte (surrogateescape): Go's \xHH
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\\ufffd")  # not encodable as UTF-8: Go's replacement rune
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


_GO_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
}
