"""Explanations of a modified diff: every differing path between live and predicted live.

Only called for pairs already known to differ (the verdict never depends on it).
"""

from __future__ import annotations

from typing import Any

from gitops_core.diff._json import json_equal, pointer
from gitops_core.diff._result import Change

__all__ = ["REASON_ADDED", "REASON_DRIFT", "REASON_REMOVED", "REASON_REPLACED", "explain"]

REASON_DRIFT = "drift"
REASON_ADDED = "added in desired"
REASON_REMOVED = "removed from desired (was in last-applied)"
REASON_REPLACED = "removed by desired (replaced or cleared by the patch)"

_Path = tuple[str | int, ...]


def explain(
    predicted: dict[str, Any],
    live: dict[str, Any],
    *,
    original: dict[str, Any] | None,
    desired: dict[str, Any],
) -> tuple[Change, ...]:
    """Changes from ``live`` (before) to ``predicted`` (after), leaves first-level precise.

    Lists of equal length are compared item by item; differing lengths compare the common
    prefix item by item and report the extra items as added or removed.
    """
    changes: list[Change] = []
    _walk(live, predicted, (), changes, original, desired)
    return tuple(changes)


def _resolve(obj: Any, path: _Path) -> bool:
    for part in path:
        if isinstance(obj, dict) and isinstance(part, str) and part in obj:
            obj = obj[part]
        elif isinstance(obj, list) and isinstance(part, int) and 0 <= part < len(obj):
            obj = obj[part]
        else:
            return False
    return True


def _walk(
    before: Any,
    after: Any,
    path: _Path,
    out: list[Change],
    original: dict[str, Any] | None,
    desired: dict[str, Any],
) -> None:
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after)):
            sub = (*path, key)
            if key not in after:
                out.append(_removed(sub, before[key], original, desired))
            elif key not in before:
                out.append(_added(sub, after[key], original))
            elif not json_equal(before[key], after[key]):
                _walk(before[key], after[key], sub, out, original, desired)
        return
    if isinstance(before, list) and isinstance(after, list):
        common = min(len(before), len(after))
        for index in range(common):
            if not json_equal(before[index], after[index]):
                _walk(before[index], after[index], (*path, index), out, original, desired)
        for index in range(common, len(after)):
            out.append(_added((*path, index), after[index], original))
        for index in range(common, len(before)):
            out.append(_removed((*path, index), before[index], original, desired))
        return
    out.append(Change(pointer(path), before, after, REASON_DRIFT))


def _added(path: _Path, value: Any, original: dict[str, Any] | None) -> Change:
    # last-applied had it too: the cluster lost it (drift), desired did not just add it
    reason = REASON_DRIFT if original is not None and _resolve(original, path) else REASON_ADDED
    return Change(pointer(path), None, value, reason, before_present=False)


def _removed(
    path: _Path, value: Any, original: dict[str, Any] | None, desired: dict[str, Any]
) -> Change:
    reason = REASON_REPLACED
    if original is not None and _resolve(original, path) and not _resolve(desired, path):
        reason = REASON_REMOVED
    return Change(pointer(path), value, None, reason, after_present=False)
