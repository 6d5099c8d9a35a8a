"""The typed round trip of Argo CD's ``remarshal``, guided by the generated schema.

Go decodes the object strictly into its typed struct, turns it back into a map and keeps
only the keys the original had (``jsonutil.RemoveMapFields``). The visible effects, reproduced
here in one walk without copying unchanged subtrees:

* numbers: integral floats become ints (JSON round trip); an int field given ``1.5``, a
  string or a boolean fails the decode;
* quantities print canonically (``0.2`` → ``"200m"``), int-or-string keeps its JSON type,
  times print as RFC 3339 UTC seconds, ``[]byte`` fields re-encode base64 canonically;
* ``omitempty`` fields whose value is empty (null, ``[]``, ``{}``, ``""`` unless a pointer,
  ``false``/``0`` for non-pointer bools and ints) disappear — so does nested
  ``creationTimestamp: null``;
* a field the Go type does not have, or a value of the wrong JSON type, makes the decode fail:
  the object is then only JSON round-tripped (left raw).
"""

from __future__ import annotations

import base64
import binascii
import datetime
import re
from typing import Any

from gitops_core.diff import _schema
from gitops_core.diff._kinds import schema_root, split_api_version
from gitops_core.diff._quantity import _CACHE as _QUANTITY_CACHE
from gitops_core.diff._quantity import canonical_quantity
from gitops_core.diff._schema import (
    FLAG_ANY,
    FLAG_BYTES,
    FLAG_INT32,
    FLAG_INT_OR_STRING,
    FLAG_MICRO_TIME,
    FLAG_OMIT_EMPTY,
    FLAG_OMIT_ZERO,
    FLAG_POINTER,
    FLAG_QUANTITY,
    FLAG_TIME,
)

__all__ = [
    "TypedDecodeError",
    "convert_typed",
    "decodes",
    "json_numbers",
    "remarshal_object",
    "split_api_version",
]

_OBJECT, _LIST, _MAP, _SCALAR = 0, 1, 2, 3
_SHAPES = {"object": _OBJECT, "list": _LIST, "map": _MAP, "scalar": _SCALAR}
_STRINGISH = FLAG_TIME | FLAG_MICRO_TIME | FLAG_QUANTITY | FLAG_INT_OR_STRING | FLAG_POINTER
_INT32 = (-(1 << 31), (1 << 31) - 1)
_INT64 = (-(1 << 63), (1 << 63) - 1)
_DROP = object()

Plan = dict[str, tuple[int, "str | None", int, "str | None", int]]

# Fast codes of fields whose usual values need no conversion beyond a type check (or a look
# in a cache of canonical texts). Each fast path in :func:`_object` only skips values the
# general branches would keep unchanged; anything else falls through to them.
(
    _GENERIC,
    _PLAIN_STRING,
    _PLAIN_BOOL,
    _PLAIN_INT,
    _TYPED_OBJECT,
    _TYPED_OBJECT_LIST,
    _STRING_MAP,
    _STRING_LIST,
    _TIME_STRING,
    _INT_OR_STRING,
    _QUANTITY_MAP,
) = range(11)
_SPECIAL = FLAG_QUANTITY | FLAG_INT_OR_STRING | FLAG_ANY | FLAG_TIME | FLAG_MICRO_TIME | FLAG_BYTES


class TypedDecodeError(ValueError):
    """Go's strict decode of a value into its type would fail (the value stays raw)."""


_Invalid = TypedDecodeError  # internal short name


_plans: dict[str, Plan] = {}
# The plain string fields of each type: a non-empty string there is kept as it is, the most
# common case of all (checked before the plan is even consulted).
_plain_strings: dict[str, frozenset[str]] = {}
_folded: dict[str, dict[str, str]] = {}


def _plan(type_name: str) -> Plan:
    plan = _plans.get(type_name)
    if plan is None:
        raw = _schema.raw_fields(type_name) or {}
        plan = {}
        for field, row in raw.items():
            shape = _SHAPES[row[0]]
            child = row[1] if len(row) > 1 else None
            flags = row[6] if len(row) > 6 else 0
            scalar = row[7] if len(row) > 7 else None
            code = _GENERIC
            plain = not flags & _SPECIAL
            if shape == _SCALAR and plain:
                if scalar == "string":
                    code = _PLAIN_STRING
                elif scalar == "boolean":
                    code = _PLAIN_BOOL
                elif scalar == "integer":
                    code = _PLAIN_INT
            elif shape == _OBJECT and child is not None:
                code = _TYPED_OBJECT
            elif shape == _LIST and child is not None:
                code = _TYPED_OBJECT_LIST
            elif shape == _MAP and child is None and scalar == "string" and plain:
                code = _STRING_MAP
            elif shape == _LIST and child is None and scalar == "string" and plain:
                code = _STRING_LIST
            elif shape == _SCALAR and flags & (FLAG_TIME | FLAG_MICRO_TIME):
                if not flags & (FLAG_QUANTITY | FLAG_INT_OR_STRING | FLAG_ANY):
                    code = _TIME_STRING
            elif shape == _SCALAR and flags & FLAG_INT_OR_STRING:
                if not flags & FLAG_QUANTITY:
                    code = _INT_OR_STRING
            elif shape == _MAP and child is None and flags & FLAG_QUANTITY:
                code = _QUANTITY_MAP
            plan[field] = (shape, child, flags, scalar, code)
        _plans[type_name] = plan
        _plain_strings[type_name] = frozenset(
            field for field, spec in plan.items() if spec[4] == _PLAIN_STRING
        )
    return plan


def _case_folded(type_name: str, key: str) -> bool:
    """Go's encoding/json also matches field names case-insensitively."""
    folded = _folded.get(type_name)
    if folded is None:
        folded = {name.casefold(): name for name in _plan(type_name)}
        _folded[type_name] = folded
    return key.casefold() in folded


def json_numbers(value: Any) -> Any:
    """``value`` after a Go JSON round trip into an unstructured map: integral floats → ints.

    Returns ``value`` itself when nothing changes.
    """
    kind = type(value)
    if kind is float:
        return _float_to_json(value)
    if kind is dict:
        changed: list[tuple[str, Any]] | None = None
        for key, item in value.items():
            item_type = type(item)
            # empty containers (the ``{}`` leaves of managedFields) cannot change
            if ((item_type is dict or item_type is list) and item) or item_type is float:
                new = json_numbers(item)
                if new is not item:
                    if changed is None:
                        changed = []
                    changed.append((key, new))
        if changed is None:
            return value
        result = dict(value)
        result.update(changed)
        return result
    if kind is list:
        items: list[Any] | None = None
        for index, item in enumerate(value):
            item_type = type(item)
            if ((item_type is dict or item_type is list) and item) or item_type is float:
                new = json_numbers(item)
                if new is not item:
                    if items is None:
                        items = list(value)
                    items[index] = new
        return value if items is None else items
    return value


def _float_to_json(value: float) -> Any:
    # Go prints an integral float64 below 1e21 without a fraction; the unstructured decoder
    # then reads it back as int64 when it fits.
    if value.is_integer() and -(2**63) <= value < 2**63 and abs(value) < 1e21:
        return int(value)
    return value


_TIME = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)\Z")
_UTC = datetime.timezone.utc
# Timestamps repeat across objects (managedFields, conditions): results are memoised in a
# bounded dict, keyed by (text, micro); invalid texts are not stored.
_TIME_CACHE: dict[tuple[str, bool], str] = {}
_TIME_CACHE_SIZE = 4096


def _time(value: str, micro: bool) -> str:
    """metav1.Time / MicroTime: Go parses RFC 3339 and prints UTC (seconds / microseconds)."""
    key = (value, micro)
    cached = _TIME_CACHE.get(key)
    if cached is not None:
        return value if cached == value else cached
    match = _TIME.match(value)
    if match is None:
        raise _Invalid
    year, month, day, hour, minute, second = (int(match[i]) for i in range(1, 7))
    fraction = match[7] or ""
    zone = match[8]
    micros = int((fraction[1:] + "000000")[:6]) if fraction else 0
    try:
        offset = datetime.timedelta(0)
        if zone != "Z":
            sign = 1 if zone[0] == "+" else -1
            hours, minutes = int(zone[1:3]), int(zone[4:6])
            if hours > 23 or minutes > 59:
                raise _Invalid
            offset = sign * datetime.timedelta(hours=hours, minutes=minutes)
        moment = datetime.datetime(
            year, month, day, hour, minute, second, micros, tzinfo=datetime.timezone(offset)
        ).astimezone(_UTC)
    except (ValueError, OverflowError) as exc:
        raise _Invalid from exc
    text = (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T"
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    )
    text += f".{moment.microsecond:06d}Z" if micro else "Z"
    if len(_TIME_CACHE) >= _TIME_CACHE_SIZE:
        _TIME_CACHE.clear()
    _TIME_CACHE[key] = text
    return value if text == value else text


def _bytes(value: str) -> str:
    """A ``[]byte`` field: Go decodes standard base64 (ignoring CR/LF) and re-encodes it."""
    try:
        raw = base64.b64decode(value.replace("\r", "").replace("\n", ""), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _Invalid from exc
    text = base64.b64encode(raw).decode("ascii")
    return value if text == value else text


def _zero(scalar: str | None, flags: int) -> Any:
    """What a null becomes in a non-omitempty, non-pointer scalar field."""
    if flags & (FLAG_ANY | FLAG_POINTER | FLAG_TIME | FLAG_MICRO_TIME):
        return None
    if flags & FLAG_QUANTITY:
        return "0"
    if flags & FLAG_INT_OR_STRING:
        return 0
    if scalar == "string":
        return ""
    if scalar == "integer" or scalar == "number":
        return 0
    if scalar == "boolean":
        return False
    return None


def _scalar(value: Any, flags: int, scalar: str | None) -> Any:
    """Check and canonicalise one non-null scalar; raises _Invalid where Go's decode fails."""
    kind = type(value)
    if flags & (FLAG_QUANTITY | FLAG_INT_OR_STRING | FLAG_ANY | FLAG_TIME | FLAG_MICRO_TIME):
        if flags & FLAG_QUANTITY:
            if kind is str or kind is int or kind is float:
                try:
                    text = canonical_quantity(value)
                except ValueError as exc:
                    raise _Invalid from exc
                return value if text == value else text
            raise _Invalid
        if flags & FLAG_INT_OR_STRING:
            if kind is str:
                return value
            if kind is float:
                if not value.is_integer():
                    raise _Invalid
                value = int(value)
                kind = int
            if kind is int:
                if not _INT32[0] <= value <= _INT32[1]:
                    raise _Invalid
                return value
            raise _Invalid
        if flags & FLAG_ANY:
            return json_numbers(value)
        if kind is not str:
            raise _Invalid
        return _time(value, bool(flags & FLAG_MICRO_TIME))
    if scalar == "string":
        if kind is not str:
            raise _Invalid
        if flags & FLAG_BYTES:
            return _bytes(value)
        return value
    if scalar == "integer":
        if kind is float:
            if not value.is_integer():
                raise _Invalid
            value = int(value)
        elif kind is not int:
            raise _Invalid
        low, high = _INT32 if flags & FLAG_INT32 else _INT64
        if not low <= value <= high:
            raise _Invalid
        return value
    if scalar == "boolean":
        if kind is not bool:
            raise _Invalid
        return value
    if scalar == "number":
        if kind is int or kind is float:
            return value
        raise _Invalid
    return json_numbers(value)


def _is_empty_scalar(value: Any, flags: int, scalar: str | None) -> bool:
    if value == "" and type(value) is str:
        return scalar == "string" and not flags & _STRINGISH
    if flags & FLAG_OMIT_ZERO:
        return value is False or (type(value) is int and value == 0)
    return False


def _element(
    value: Any, shape_child: str | None, flags: int, scalar: str | None, strict: bool
) -> Any:
    """One list item or map value (never dropped; null becomes the Go zero value)."""
    if value is None:
        if shape_child is not None:
            return None
        return _zero(scalar, flags & ~FLAG_POINTER)
    if shape_child is not None:
        return _object(value, shape_child, strict)
    return _scalar(value, flags, scalar)


def _object(value: Any, type_name: str, strict: bool = True) -> Any:
    if type(value) is not dict:
        raise _Invalid
    plan = _plans.get(type_name)
    if plan is None:
        plan = _plan(type_name)
    plain_strings = _plain_strings[type_name]
    changes: list[tuple[str, Any]] | None = None
    for key, item in value.items():
        if type(item) is str and item and key in plain_strings:
            continue
        spec = plan.get(key)
        if spec is None:
            if not strict:
                continue  # FromUnstructured ignores fields the type does not have
            if type(key) is str and _case_folded(type_name, key):
                # decoded into the real field, then dropped by the key intersection
                new: Any = _DROP
            else:
                raise _Invalid
        else:
            shape, child, flags, scalar, code = spec
            kind = type(item)
            # fast paths for the common cases; anything unusual falls through to the
            # general branches below
            if code == _PLAIN_STRING and kind is str:
                if item or not flags & FLAG_OMIT_EMPTY or flags & FLAG_POINTER:
                    continue
                new = _DROP
            elif code == _TYPED_OBJECT and kind is dict:
                assert child is not None
                new = _object(item, child, strict)
            elif code == _TYPED_OBJECT_LIST and kind is list and item:
                assert child is not None
                typed: list[Any] | None = None
                for index, element in enumerate(item):
                    if element is None:
                        continue
                    converted = _object(element, child, strict)
                    if converted is not element:
                        if typed is None:
                            typed = list(item)
                        typed[index] = converted
                if typed is None:
                    continue
                new = typed
            elif code == _STRING_MAP and kind is dict and item and _all_str(item.values()):
                continue
            elif code == _PLAIN_INT and kind is int:
                low, high = _INT32 if flags & FLAG_INT32 else _INT64
                if not low <= item <= high:
                    raise _Invalid
                if item or not flags & FLAG_OMIT_ZERO:
                    continue
                new = _DROP
            elif code == _PLAIN_BOOL and kind is bool:
                if item or not flags & FLAG_OMIT_ZERO:
                    continue
                new = _DROP
            elif code == _TIME_STRING and kind is str and _time_unchanged(item, flags):
                continue  # never empty (an empty text is not a time), so never dropped
            elif code == _INT_OR_STRING and (
                kind is str or (kind is int and item and _INT32[0] <= item <= _INT32[1])
            ):
                continue  # kept as is; only a zero int can be dropped (omitzero)
            elif code == _STRING_LIST and kind is list and item and _all_str(item):
                continue
            elif code == _QUANTITY_MAP and kind is dict and item and _canonical_quantities(item):
                continue
            elif item is None:
                if flags & FLAG_OMIT_EMPTY:
                    new = _DROP
                elif shape == _SCALAR:
                    new = _zero(scalar, flags)
                else:
                    new = None
            elif shape == _OBJECT:
                if child is None:
                    # RawExtension and FieldsV1 take any JSON; an untyped object needs a map
                    if type(item) is not dict and not flags & FLAG_ANY:
                        raise _Invalid
                    new = json_numbers(item)
                else:
                    new = _object(item, child, strict)
            elif shape == _LIST:
                if type(item) is not list:
                    raise _Invalid
                if not item and flags & FLAG_OMIT_EMPTY:
                    new = _DROP
                else:
                    items: list[Any] | None = None
                    for index, element in enumerate(item):
                        converted = _element(element, child, flags, scalar, strict)
                        if converted is not element:
                            if items is None:
                                items = list(item)
                            items[index] = converted
                    new = item if items is None else items
            elif shape == _MAP:
                if type(item) is not dict:
                    raise _Invalid
                if not item and flags & FLAG_OMIT_EMPTY:
                    new = _DROP
                else:
                    entries: list[tuple[str, Any]] | None = None
                    for entry_key, entry in item.items():
                        converted = _element(entry, child, flags, scalar, strict)
                        if converted is not entry:
                            if entries is None:
                                entries = []
                            entries.append((entry_key, converted))
                    if entries is None:
                        new = item
                    else:
                        new = dict(item)
                        new.update(entries)
            else:
                new = _scalar(item, flags, scalar)
                if flags & FLAG_OMIT_EMPTY and _is_empty_scalar(new, flags, scalar):
                    new = _DROP
        if new is not item:
            if changes is None:
                changes = []
            changes.append((key, new))
    if changes is None:
        return value
    result = dict(value)
    for key, new in changes:
        if new is _DROP:
            del result[key]
        else:
            result[key] = new
    return result


def _all_str(values: Any) -> bool:
    """Every value is a plain ``str`` (a loop: cheaper than ``all()`` over a generator)."""
    for entry in values:
        if type(entry) is not str:
            return False
    return True


def _time_unchanged(value: str, flags: int) -> bool:
    """The time text is known (memoised) to print back as itself."""
    return _TIME_CACHE.get((value, bool(flags & FLAG_MICRO_TIME))) == value


def _canonical_quantities(values: dict[str, Any]) -> bool:
    """Every value is a quantity text known (memoised) to print back as itself."""
    for entry in values.values():
        if type(entry) is not str or _QUANTITY_CACHE.get(entry) != entry:
            return False
    return True


def convert_typed(value: Any, type_name: str) -> Any:
    """``value`` after a Go typed round trip through the schema type ``type_name``.

    The conversion remarshal applies to every nested object, usable on its own (Argo CD's
    known-types normalizer converts fields this way). Returns ``value`` itself when nothing
    changes.

    Raises:
        TypedDecodeError: Go's strict decode would reject the value.
    """
    try:
        return _object(value, type_name)
    except RecursionError as exc:
        raise TypedDecodeError(type_name) from exc


def decodes(obj: Any, type_name: str) -> bool:
    """Whether the non-strict typed decode Argo CD uses before defaulting succeeds.

    Unknown fields are ignored (``runtime.DefaultUnstructuredConverter.FromUnstructured``);
    values of the wrong JSON type still fail.
    """
    try:
        _object(obj, type_name, False)
    except (TypedDecodeError, RecursionError):
        return False
    return True


def remarshal_object(obj: dict[str, Any]) -> dict[str, Any]:
    """Argo CD's remarshal of one object (see the module docstring); never raises."""
    root = schema_root(obj.get("apiVersion"), obj.get("kind"))
    if root is not None:
        try:
            result: dict[str, Any] = _object(obj, root)
            return result
        except _Invalid:
            pass  # Argo CD logs the decode error and keeps the object raw (section 4)
        except RecursionError:
            pass  # absurdly deep input: raw, like any other undecodable object
    raw: dict[str, Any] = json_numbers(obj)
    return raw
