"""What the API server stores of a built-in object, next to what Argo CD's diff compares.

Used by the checks GC011 and GC012. The kind's schema comes from the diff's generated type
tables; the typed round trip is the one remarshal uses.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

import attrs

from gitops_core.diff import _schema
from gitops_core.diff._quantity import canonical_quantity
from gitops_core.diff._remarshal import TypedDecodeError, convert_typed, split_api_version

__all__ = ["Rewrite", "ServerView", "is_quantity_rewrite", "rewrites", "server_view"]


@attrs.frozen
class Rewrite:
    """A field the API server stores differently from how it is written.

    ``after_present`` is False when the server drops the field.
    """

    path: str
    before: Any
    after: Any
    after_present: bool = True


@attrs.frozen
class ServerView:
    """One built-in object as the API server and Argo CD see it.

    ``unknown_fields`` are JSON pointers of fields the type lacks, each with a suggestion
    (``" (did you mean 'x'?)"`` or ``""``); ``decodes`` whether Argo CD's strict typed decode
    succeeds (else it compares the object raw); ``stored`` the object after the typed round trip
    with unknown fields removed (``None`` when a value has the wrong type: the API server
    rejects it); ``invalid_quantities`` ``(pointer, value)`` of values that are not quantities.
    """

    type_name: str
    unknown_fields: tuple[str, ...]
    decodes: bool
    stored: dict[str, Any] | None
    invalid_quantities: tuple[tuple[str, Any], ...]


def _pointer(path: str, key: object) -> str:
    return f"{path}/{str(key).replace('~', '~0').replace('/', '~1')}"


def _prune(
    value: Any, type_name: str, path: str, unknown: list[str], bad_q: list[tuple[str, Any]]
) -> Any:
    """``value`` without the fields its type lacks (copied only where something is removed)."""
    fields = _schema.type_fields(type_name)
    if fields is None or not isinstance(value, dict):
        return value
    changed: dict[str, Any] | None = None
    for key, item in value.items():
        info = fields.get(key)
        here = _pointer(path, key)
        if info is None:
            close = [f for f in fields if f.lower() == str(key).lower()]
            if not close:
                close = difflib.get_close_matches(str(key), list(fields), n=1, cutoff=0.8)
            unknown.append(here + (f" (did you mean {close[0]!r}?)" if close else ""))
            if changed is None:
                changed = dict(value)
            del changed[key]
            continue
        new = item
        if info.shape == "object" and info.type_name:
            new = _prune(item, info.type_name, here, unknown, bad_q)
        elif info.shape == "list" and isinstance(item, list):
            if info.type_name:
                items = [
                    _prune(v, info.type_name, _pointer(here, i), unknown, bad_q)
                    for i, v in enumerate(item)
                ]
                if any(a is not b for a, b in zip(items, item, strict=True)):
                    new = items
            elif info.quantity:
                for i, v in enumerate(item):
                    _check_quantity(v, _pointer(here, i), bad_q)
        elif info.shape == "map" and isinstance(item, dict):
            if info.type_name:
                entries = {
                    k: _prune(v, info.type_name, _pointer(here, k), unknown, bad_q)
                    for k, v in item.items()
                }
                if any(entries[k] is not item[k] for k in item):
                    new = entries
            elif info.quantity:
                for k, v in item.items():
                    _check_quantity(v, _pointer(here, k), bad_q)
        elif info.quantity:
            _check_quantity(item, here, bad_q)
        if new is not item:
            if changed is None:
                changed = dict(value)
            changed[key] = new
    return value if changed is None else changed


def _check_quantity(value: Any, path: str, bad: list[tuple[str, Any]]) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        bad.append((path, value))
        return
    try:
        canonical_quantity(value)
    except ValueError:
        bad.append((path, value))


def server_view(obj: dict[str, Any]) -> ServerView | None:
    """The view of a built-in object, ``None`` for kinds the schema does not know."""
    group_version = split_api_version(obj.get("apiVersion"))
    kind = obj.get("kind")
    if group_version is None or not isinstance(kind, str):
        return None
    root = _schema.root_type(group_version[0], group_version[1], kind)
    if root is None:
        return None
    unknown: list[str] = []
    bad_q: list[tuple[str, Any]] = []
    pruned = _prune(obj, root, "", unknown, bad_q)
    stored: dict[str, Any] | None
    try:
        stored = convert_typed(obj, root)
        decodes = True
    except (TypedDecodeError, RecursionError):
        stored = None
        decodes = False
    if pruned is not obj:
        # the API server keeps only the fields the type has
        try:
            stored = convert_typed(pruned, root)
        except (TypedDecodeError, RecursionError):
            stored = None
    return ServerView(root, tuple(unknown), decodes, stored, tuple(bad_q))


def rewrites(before: Any, after: Any, path: str = "") -> Iterator[Rewrite]:
    """Paths where ``after`` (what the server stores) differs from ``before`` (as written)."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key, value in before.items():
            here = _pointer(path, key)
            if key not in after:
                yield Rewrite(here, value, None, after_present=False)
            else:
                yield from rewrites(value, after[key], here)
        return
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for index, (a, b) in enumerate(zip(before, after, strict=True)):
            yield from rewrites(a, b, _pointer(path, index))
        return
    if before is after:
        return
    if type(before) is type(after) and before == after:
        return
    yield Rewrite(path, before, after)


def is_quantity_rewrite(rewrite: Rewrite) -> bool:
    """Whether the server's form is the canonical quantity of the written value."""
    if not rewrite.after_present or not isinstance(rewrite.after, str):
        return False
    before = rewrite.before
    if isinstance(before, bool) or not isinstance(before, (str, int, float)):
        return False
    try:
        return canonical_quantity(before) == rewrite.after
    except ValueError:
        return False
