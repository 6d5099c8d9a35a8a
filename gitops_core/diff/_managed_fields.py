"""managedFieldsManagers: drop fields owned by trusted managers that differ (spec section 9.3).

Argo CD (``util/argo/managedfields``) converts live and desired to typed values, computes the
set of fields present on both sides with different values ("modified"), and for every
``metadata.managedFields`` entry of **live** whose manager is trusted removes the intersection
of that entry's field set with "modified" from both objects. Fields only one side has are left
alone. Lists are atomic unless the schema says they are associative (``x-kubernetes-list-type:
map`` keyed by ``x-kubernetes-list-map-keys``) or sets; unknown kinds use a deduced schema in
which every list is atomic and every map is granular.

FieldsV1 keys: ``f:<field>`` (a field or map key), ``k:<json object>`` (an associative list item
by its key fields), ``v:<json value>`` (a set item), ``i:<index>`` (a list item by position), and
``.`` (the path itself is a member). A key whose value is ``{}`` is a member leaf.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from typing import Any

import attrs

from gitops_core.diff import _schema
from gitops_core.diff._jsonutil import json_equal
from gitops_core.resource import split_api_version

__all__ = ["FieldSet", "normalize_managed_fields", "parse_fields_v1"]

_PathElement = tuple[str, Any]


@attrs.frozen
class FieldSet:
    """A parsed FieldsV1 tree: ``member`` when the path itself is in the set, and children."""

    member: bool = False
    children: Mapping[_PathElement, FieldSet] = attrs.field(factory=dict)

    def union(self, other: FieldSet) -> FieldSet:
        """The union of two field sets."""
        merged: dict[_PathElement, FieldSet] = dict(self.children)
        for element, child in other.children.items():
            mine = merged.get(element)
            merged[element] = child if mine is None else mine.union(child)
        return FieldSet(self.member or other.member, merged)


def parse_fields_v1(raw: Any) -> FieldSet | None:
    """Parse a FieldsV1 mapping; ``None`` when it is not well formed (the entry is then unused)."""
    if not isinstance(raw, Mapping):
        return None
    children: dict[_PathElement, FieldSet] = {}
    member = not raw
    for key, value in raw.items():
        if key == ".":
            member = True
            continue
        if not isinstance(key, str) or len(key) < 2 or key[1] != ":":
            return None
        prefix, body = key[0], key[2:]
        element: _PathElement
        try:
            if prefix == "f":
                element = ("f", body)
            elif prefix == "k":
                item_key = json.loads(body)
                if not isinstance(item_key, dict):
                    return None
                element = (
                    "k",
                    tuple(
                        sorted((str(k), json.dumps(v, sort_keys=True)) for k, v in item_key.items())
                    ),
                )
            elif prefix == "v":
                element = ("v", json.dumps(json.loads(body), sort_keys=True))
            elif prefix == "i":
                element = ("i", int(body))
            else:
                return None
        except ValueError:
            return None
        child = parse_fields_v1(value)
        if child is None:
            return None
        children[element] = child
    return FieldSet(member, children)


@attrs.frozen
class _Context:
    """Where a walk stands in the schema: an object type, a map's value type, or nothing known."""

    type_name: str | None = None
    is_map: bool = False


_UNKNOWN = _Context()


def _field_context(context: _Context, name: str) -> tuple[_Context, _schema.FieldInfo | None]:
    if context.is_map:
        return _Context(context.type_name), None
    if context.type_name is None:
        return _UNKNOWN, None
    info = _schema.field_info(context.type_name, name)
    if info is None:
        return _UNKNOWN, None
    if info.shape == "map":
        return _Context(info.type_name, is_map=True), info
    return _Context(info.type_name), info


def _is_leaf(desired: Any, live: Any, info: _schema.FieldInfo | None) -> bool:
    if isinstance(desired, dict) and isinstance(live, dict):
        return False
    if isinstance(desired, list) and isinstance(live, list):
        return info is None or info.list_type not in ("map", "set")
    return True


def _item_matches(item: Any, wanted: tuple[tuple[str, str], ...]) -> bool:
    if not isinstance(item, dict):
        return False
    for name, encoded in wanted:
        if name not in item or json.dumps(item[name], sort_keys=True) != encoded:
            return False
    return True


def _find_item(items: list[Any], element: _PathElement) -> int | None:
    kind, value = element
    if kind == "i":
        return value if 0 <= value < len(items) else None
    if kind == "k":
        for index, item in enumerate(items):
            if _item_matches(item, value):
                return index
    return None  # "v" items are equal on both sides by construction, never modified


def _walk(
    fields: FieldSet,
    desired: Any,
    live: Any,
    context: _Context,
    info: _schema.FieldInfo | None,
    path: str,
    removed: list[tuple[str, Any, Any]],
) -> tuple[Any, Any, bool]:
    """Returns (desired', live', remove_this_path)."""
    if fields.member and _is_leaf(desired, live, info):
        if not json_equal(desired, live):
            removed.append((path, desired, live))
            return desired, live, True
        return desired, live, False
    new_desired, new_live = desired, live
    for element, child in fields.children.items():
        kind, value = element
        if kind == "f" and isinstance(desired, dict) and isinstance(live, dict):
            if value not in new_desired or value not in new_live:
                continue
            child_context, child_info = _field_context(context, value)
            sub_path = f"{path}/{str(value).replace('~', '~0').replace('/', '~1')}"
            d, lv, drop = _walk(
                child,
                new_desired[value],
                new_live[value],
                child_context,
                child_info,
                sub_path,
                removed,
            )
            if drop or d is not new_desired[value] or lv is not new_live[value]:
                if new_desired is desired:
                    new_desired = dict(desired)
                if new_live is live:
                    new_live = dict(live)
                if drop:
                    del new_desired[value]
                    del new_live[value]
                else:
                    new_desired[value] = d
                    new_live[value] = lv
        elif kind in ("k", "i") and isinstance(desired, list) and isinstance(live, list):
            d_index = _find_item(new_desired, element)
            l_index = _find_item(new_live, element)
            if d_index is None or l_index is None:
                continue
            item_context = _Context(context.type_name if info is None else info.type_name)
            if info is None:
                item_context = _UNKNOWN
            sub_path = f"{path}/{l_index}"
            d, lv, drop = _walk(
                child,
                new_desired[d_index],
                new_live[l_index],
                item_context,
                None,
                sub_path,
                removed,
            )
            if drop or d is not new_desired[d_index] or lv is not new_live[l_index]:
                if new_desired is desired:
                    new_desired = list(desired)
                if new_live is live:
                    new_live = list(live)
                if drop:
                    del new_desired[d_index]
                    del new_live[l_index]
                else:
                    new_desired[d_index] = d
                    new_live[l_index] = lv
    return new_desired, new_live, False


def normalize_managed_fields(
    desired: dict[str, Any], live: dict[str, Any], managers: Collection[str]
) -> tuple[dict[str, Any], dict[str, Any], list[tuple[str, Any, Any]]]:
    """Remove fields owned by a trusted manager in live that differ between the two objects.

    Returns new ``(desired, live, removed)`` where ``removed`` lists ``(pointer, desired value,
    live value)``; the inputs are never modified. Objects
    with no managedFields entry of a trusted manager come back unchanged (the same dicts).
    """
    metadata = live.get("metadata")
    entries = metadata.get("managedFields") if isinstance(metadata, dict) else None
    if not managers or not isinstance(entries, list):
        return desired, live, []
    union: FieldSet | None = None
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("manager") not in managers:
            continue
        if entry.get("fieldsType", "FieldsV1") != "FieldsV1":
            continue
        parsed = parse_fields_v1(entry.get("fieldsV1", {}))
        if parsed is None:
            continue
        union = parsed if union is None else union.union(parsed)
    if union is None:
        return desired, live, []
    api_version = live.get("apiVersion")
    kind = live.get("kind")
    root: str | None = None
    if isinstance(api_version, str) and isinstance(kind, str):
        group, version = split_api_version(api_version)
        root = _schema.root_type(group, version, kind)
    removed: list[tuple[str, Any, Any]] = []
    new_desired, new_live, _ = _walk(union, desired, live, _Context(root), None, "", removed)
    return new_desired, new_live, removed
