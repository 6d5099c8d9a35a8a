"""JSON-value helpers of the diff: type-strict equality, cheap copies, JSON pointers.

Kubernetes objects are JSON underneath, so equality is JSON-value equality: key order is
irrelevant and ``1 == 1.0``, but ``True != 1`` and ``"1" != 1`` (Python's ``==`` says
``True == 1``), and ``null`` differs from an absent key.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = [
    "canonical_json",
    "copy_json",
    "go_json",
    "json_equal",
    "json_type",
    "pointer",
    "pointer_token",
]


def json_type(value: Any) -> str:
    """The JSON type of a value as Go's decoder sees it (ints and floats are one ``number``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, (list, tuple)):
        return "array"
    return type(value).__name__


def json_equal(left: Any, right: Any) -> bool:
    """JSON-value equality: ``1 == 1.0`` but ``True != 1`` and ``"1" != 1``.

    >>> json_equal({"a": [1, True]}, {"a": [1.0, True]}), json_equal(True, 1), json_equal("1", 1)
    (True, False, False)

    Plain dicts and lists are compared by loops that settle same-typed scalars inline (one
    function call per container, not per value: this runs on every compared pair).
    """
    if left is right:
        return True
    left_type = type(left)
    if left_type is dict:
        return type(right) is dict and len(left) == len(right) and _dicts_equal(left, right)
    if left_type is list:
        return type(right) is list and len(left) == len(right) and _lists_equal(left, right)
    return _scalars_equal(left, right, left_type)


def _dicts_equal(left: dict[Any, Any], right: dict[Any, Any]) -> bool:
    """:func:`json_equal` of two plain dicts of the same length."""
    for key, value in left.items():
        try:
            other = right[key]
        except KeyError:
            return False
        if value is other:
            continue
        value_type = type(value)
        if value_type is type(other):
            if value_type is str or value_type is int or value_type is bool:
                if value != other:
                    return False
                continue
            if value_type is dict:
                if len(value) != len(other) or not _dicts_equal(value, other):
                    return False
                continue
            if value_type is list:
                if len(value) != len(other) or not _lists_equal(value, other):
                    return False
                continue
        if not json_equal(value, other):
            return False
    return True


def _lists_equal(left: list[Any], right: list[Any]) -> bool:
    """:func:`json_equal` of two plain lists of the same length."""
    for value, other in zip(left, right, strict=False):
        if value is other:
            continue
        value_type = type(value)
        if value_type is type(other):
            if value_type is str or value_type is int or value_type is bool:
                if value != other:
                    return False
                continue
            if value_type is dict:
                if len(value) != len(other) or not _dicts_equal(value, other):
                    return False
                continue
            if value_type is list:
                if len(value) != len(other) or not _lists_equal(value, other):
                    return False
                continue
        if not json_equal(value, other):
            return False
    return True


def _scalars_equal(left: Any, right: Any, left_type: type) -> bool:
    """:func:`json_equal` when ``left`` is neither a plain dict nor a plain list."""
    right_type = type(right)
    if left_type is str or right_type is str:
        return left_type is right_type and bool(left == right)
    if left_type is bool or right_type is bool:
        return left_type is right_type and bool(left == right)
    if left is None or right is None:
        return False
    if left_type in (int, float) and right_type in (int, float):
        return bool(left == right)
    if isinstance(left, dict) and isinstance(right, dict):
        return json_equal(dict(left), dict(right))
    if isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
        return json_equal(list(left), list(right))
    return bool(left == right) and json_type(left) == json_type(right)


def copy_json(value: Any) -> Any:
    """A deep copy of a JSON-like value (dicts and lists copied, scalars shared)."""
    if type(value) is dict:
        return {key: copy_json(item) for key, item in value.items()}
    if type(value) is list:
        return [copy_json(item) for item in value]
    if isinstance(value, dict):
        return {key: copy_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [copy_json(item) for item in value]
    return value


def canonical_json(value: Any) -> str:
    """Sorted-key compact JSON, the form Argo CD stores predicted and normalized live in."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def go_json(value: Any) -> str:
    r"""JSON text as Go's ``json.Marshal`` writes a decoded object: sorted keys, compact,
    ``<``, ``>``, ``&``, U+2028 and U+2029 escaped, integral numbers without a fraction.

    >>> print(go_json({"b": 2.0, "a": "<x>"}))
    {"a":"\u003cx\u003e","b":2}
    """
    text = json.dumps(_go_numbers(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if any(ch in text for ch in "<>&\u2028\u2029"):
        text = (
            text.replace("<", "\\u003c")
            .replace(">", "\\u003e")
            .replace("&", "\\u0026")
            .replace("\u2028", "\\u2028")
            .replace("\u2029", "\\u2029")
        )
    return text


def _go_numbers(value: Any) -> Any:
    if type(value) is float:
        if value.is_integer() and abs(value) < 1e21:
            return int(value)
        return value
    if isinstance(value, dict):
        return {key: _go_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_go_numbers(item) for item in value]
    return value


def pointer_token(key: str | int) -> str:
    """One RFC 6901 reference token (``~`` → ``~0``, ``/`` → ``~1``)."""
    text = str(key)
    if "~" in text or "/" in text:
        text = text.replace("~", "~0").replace("/", "~1")
    return text


def pointer(path: tuple[str | int, ...] | list[str | int]) -> str:
    """RFC 6901 JSON pointer of a path of keys and list indices (``""`` is the whole object).

    >>> pointer(("metadata", "annotations", "a/b"))
    '/metadata/annotations/a~1b'
    """
    return "".join("/" + pointer_token(part) for part in path)
