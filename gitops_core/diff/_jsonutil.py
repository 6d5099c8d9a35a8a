"""Small JSON helpers for the comparison layer: strict equality and RFC 6901 pointers."""

from __future__ import annotations

from typing import Any

__all__ = ["escape_pointer_token", "json_equal", "pointer_join"]


def json_equal(left: Any, right: Any) -> bool:
    """JSON value equality: ``1 == 1.0`` but ``True != 1`` and ``"1" != 1``; key order ignored."""
    if left is right:
        return True
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return left == right
    if isinstance(left, dict):
        if not isinstance(right, dict) or len(left) != len(right):
            return False
        for key, value in left.items():
            if key not in right or not json_equal(value, right[key]):
                return False
        return True
    if isinstance(left, list):
        if not isinstance(right, list) or len(left) != len(right):
            return False
        return all(json_equal(a, b) for a, b in zip(left, right, strict=True))
    if type(left) is not type(right):
        return False
    return bool(left == right)


def escape_pointer_token(token: str | int) -> str:
    """``a/b~c`` → ``a~1b~0c`` (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer_join(pointer: str, token: str | int) -> str:
    """Append one token to a JSON pointer."""
    return f"{pointer}/{escape_pointer_token(token)}"
