"""Three-way JSON merge patch (RFC 7386) for custom resources and unregistered kinds.

What Argo CD does for a kind the client-go scheme does not know (spec/diff.md section 6.B):

1. live is trimmed to the key structure of the original (last-applied, or desired in two-way):
   maps keep only the original's keys, lists are trimmed item by item by index and extra
   trailing live items are kept (gitops-engine ``RemoveMapFields``/``RemoveListFields``);
2. patch = the non-null entries of merge-patch(trimmed live → desired) plus the null entries of
   merge-patch(original → desired); conflicting halves are an error (the caller then falls back
   to two-way), as apimachinery's ``CreateThreeWayJSONMergePatch``;
3. the patch is applied to the full live object with RFC 7386 (lists replaced whole).
"""

from __future__ import annotations

from typing import Any

from gitops_core.diff._json import json_equal

__all__ = [
    "JsonMergeConflict",
    "apply_merge_patch",
    "create_merge_patch",
    "create_three_way_merge_patch",
    "remove_list_fields",
    "remove_map_fields",
]


class JsonMergeConflict(Exception):
    """The additions and the deletions of a three-way JSON merge patch conflict (internal)."""


def remove_map_fields(config: dict[str, Any], live: dict[str, Any]) -> dict[str, Any]:
    """``live`` trimmed to the keys ``config`` has, recursively (``RemoveMapFields``)."""
    result: dict[str, Any] = {}
    for key, config_value in config.items():
        if key not in live:
            continue
        live_value = live[key]
        if live_value is not None:
            live_value = _remove_fields(config_value, live_value)
        result[key] = live_value
    return result


def _remove_fields(config: Any, live: Any) -> Any:
    if isinstance(config, dict):
        return remove_map_fields(config, live) if isinstance(live, dict) else live
    if isinstance(config, list):
        return remove_list_fields(config, live) if isinstance(live, list) else live
    return live


def remove_list_fields(config: list[Any], live: list[Any]) -> list[Any]:
    """``live`` trimmed item by item (by index) to ``config``; extra live items are kept."""
    result: list[Any] = []
    for index, live_value in enumerate(live):
        if index < len(config) and live_value is not None:
            live_value = _remove_fields(config[index], live_value)
        result.append(live_value)
    return result


def _same_type(left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool)
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return True
    return type(left) is type(right)


def create_merge_patch(original: dict[str, Any], modified: dict[str, Any]) -> dict[str, Any]:
    """The RFC 7386 merge patch from ``original`` to ``modified`` (evanphx ``CreateMergePatch``)."""
    patch: dict[str, Any] = {}
    for key, new in modified.items():
        if key not in original:
            patch[key] = new
            continue
        old = original[key]
        if not _same_type(old, new):
            patch[key] = new
        elif isinstance(old, dict):
            sub = create_merge_patch(old, new)
            if sub:
                patch[key] = sub
        elif not json_equal(old, new):
            patch[key] = new
    for key in original:
        if key not in modified:
            patch[key] = None
    return patch


def _keep_or_delete_null(patch: dict[str, Any], keep_null: bool) -> dict[str, Any]:
    """keepOrDeleteNullInObj: only the null entries (``keep_null``) or only the others."""
    out: dict[str, Any] = {}
    for key, value in patch.items():
        if value is None:
            if keep_null:
                out[key] = None
        elif isinstance(value, dict):
            if not value:
                # an explicitly empty map is a value, not an empty patch
                if not keep_null:
                    out[key] = value
                continue
            sub = _keep_or_delete_null(value, keep_null)
            if sub:
                out[key] = sub
        elif not keep_null:
            out[key] = value
    return out


def _has_conflicts(left: Any, right: Any) -> bool:
    if isinstance(left, dict):
        if not isinstance(right, dict):
            return True
        return any(
            key in right and _has_conflicts(value, right[key]) for key, value in left.items()
        )
    if isinstance(left, list):
        if not isinstance(right, list) or len(left) != len(right):
            return True
        return any(_has_conflicts(a, b) for a, b in zip(left, right, strict=False))
    return not json_equal(left, right)


def create_three_way_merge_patch(
    original: dict[str, Any], modified: dict[str, Any], current: dict[str, Any]
) -> dict[str, Any]:
    """apimachinery ``CreateThreeWayJSONMergePatch`` (``current`` already trimmed by the caller).

    Raises:
        JsonMergeConflict: when the additions and deletions halves conflict.
    """
    additions = _keep_or_delete_null(create_merge_patch(current, modified), False)
    deletions = _keep_or_delete_null(create_merge_patch(original, modified), True)
    if _has_conflicts(additions, deletions):
        raise JsonMergeConflict("the three-way JSON merge patch has conflicting changes")
    return _merge_docs(dict(deletions), additions, merge_merge=False)


def _prune_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _prune_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_prune_nulls(item) if item is not None else None for item in value]
    return value


def _merge_docs(doc: dict[str, Any], patch: dict[str, Any], merge_merge: bool) -> dict[str, Any]:
    for key, value in patch.items():
        if value is None:
            if merge_merge:
                doc[key] = None
            else:
                doc.pop(key, None)
            continue
        current = doc.get(key)
        if current is None:
            doc[key] = value if merge_merge else _prune_nulls(value)
        elif isinstance(current, dict) and isinstance(value, dict):
            doc[key] = _merge_docs(dict(current), value, merge_merge)
        elif not isinstance(current, dict) and not merge_merge:
            doc[key] = _prune_nulls(value)
        else:
            doc[key] = value
    return doc


def apply_merge_patch(doc: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """RFC 7386: ``doc`` with ``patch`` merged in (nulls delete, lists replaced); a new object."""
    return _merge_docs(dict(doc), patch, merge_merge=False)
