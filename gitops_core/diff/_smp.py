"""Strategic merge patch, as apimachinery's ``strategicpatch`` package does it.

The schema (patch strategy and merge key per field) comes from :mod:`gitops_core.diff._schema`.
Three entry points:

* :func:`create_two_way_patch` — ``CreateTwoWayMergePatch`` (``$setElementOrder`` on);
* :func:`create_three_way_patch` — ``CreateThreeWayMergePatch`` with ``overwrite=true``, what
  ``kubectl apply`` and Argo CD's legacy diff compute: the changes and additions from live to
  desired, plus the deletions from last-applied to desired;
* :func:`apply_patch` — ``StrategicMergePatch`` (parallel lists merged, unmatched nulls dropped).

Directives: ``$patch: replace|delete`` (maps and list items), ``$retainKeys``,
``$deleteFromPrimitiveList/<field>``, ``$setElementOrder/<field>``; ``null`` deletes.

Where apimachinery returns an error (mixed list element types, a list item without its merge
key, a malformed directive) this module raises :class:`SmpError`; the three-way diff then falls
back to two-way exactly as Argo CD does. Fields the schema does not know are merged without a
schema (maps key by key, lists replaced) instead of failing; see docs/diff.md.

Nothing here mutates its arguments; results share unchanged sub-values with the inputs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from gitops_core.diff import _schema
from gitops_core.diff._json import json_equal

__all__ = [
    "Node",
    "SmpError",
    "apply_patch",
    "create_three_way_patch",
    "create_two_way_patch",
    "lookup",
    "root_node",
]

PATCH = "$patch"
RETAIN_KEYS = "$retainKeys"
DELETE_FROM_PRIMITIVE = "$deleteFromPrimitiveList/"
SET_ELEMENT_ORDER = "$setElementOrder/"

#: A position in the schema: ``("struct", type_name)`` for an object type, ``("map", value_type)``
#: for a map whose values have ``value_type`` (``None`` for scalar values), ``None`` when unknown.
Node = tuple[str, str | None] | None

# (patch strategy without retainKeys, retainKeys flag, merge key, child node)
_Lookup = tuple[str, bool, str, Node]
_NO_SCHEMA: _Lookup = ("", False, "", None)
_lookup_cache: dict[tuple[str, str], _Lookup] = {}


class SmpError(Exception):
    """apimachinery would return an error for this patch (internal; the caller falls back)."""


def root_node(group: str, version: str, kind: str) -> Node:
    """Schema node of a registered kind's root object, ``None`` for unregistered kinds."""
    name = _schema.root_type(group, version, kind)
    return ("struct", name) if name else None


class _StructLookups(dict[str, _Lookup]):
    """:func:`lookup` results of one struct node by key, filled on first use."""

    __slots__ = ("node",)

    def __init__(self, node: Node) -> None:
        super().__init__()
        self.node = node

    def __missing__(self, key: str) -> _Lookup:
        found = lookup(self.node, key)
        self[key] = found
        return found


class _SameLookup:
    """The :func:`lookup` result of a map node or of no schema: the same for every key."""

    __slots__ = ("found",)

    def __init__(self, found: _Lookup) -> None:
        self.found = found

    def __getitem__(self, key: str) -> _Lookup:
        return self.found


_tables: dict[Node, _StructLookups | _SameLookup] = {}


def lookup_table(node: Node) -> Mapping[str, _Lookup] | _SameLookup:
    """``table[key] == lookup(node, key)``, for walks that look up many keys of one node."""
    table = _tables.get(node)
    if table is None:
        if node is not None and node[0] != "map" and node[1] is not None:
            table = _StructLookups(node)
        else:
            table = _SameLookup(lookup(node, ""))
        _tables[node] = table
    return table


def lookup(node: Node, key: str) -> _Lookup:
    """Patch strategy, retainKeys flag, merge key and child node of ``key`` under ``node``."""
    if node is None:
        return _NO_SCHEMA
    shape, name = node
    if shape == "map":
        return ("", False, "", ("struct", name) if name else None)
    if name is None:
        return _NO_SCHEMA
    cache_key = (name, key)
    found = _lookup_cache.get(cache_key)
    if found is not None:
        return found
    info = _schema.field_info(name, key)
    if info is None:
        result = _NO_SCHEMA
    else:
        strategies = [part for part in (info.patch_strategy or "").split(",") if part]
        retain = "retainKeys" in strategies
        strategy = next((part for part in strategies if part != "retainKeys"), "")
        child: Node
        if info.shape == "map":
            child = ("map", info.type_name)
        elif info.type_name:
            child = ("struct", info.type_name)
        else:
            child = None
        result = (strategy, retain, info.patch_merge_key or "", child)
    _lookup_cache[cache_key] = result
    return result


# --------------------------------------------------------------------------------------------
# Go-compatible helpers
# --------------------------------------------------------------------------------------------


_GO_TYPES: dict[type, str] = {
    type(None): "nil",
    bool: "bool",
    int: "float64",
    float: "float64",
    str: "string",
    dict: "map",
    list: "slice",
}


def _go_type(value: Any) -> str:
    """reflect.TypeOf of a decoded JSON value (every number is float64)."""
    found = _GO_TYPES.get(type(value))
    if found is not None:
        return found  # the plain JSON types, by one look-up
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "map"
    if isinstance(value, list):
        return "slice"
    return type(value).__name__


def _go_text(value: Any) -> str:
    """``fmt.Sprintf("%v", v)`` of a decoded JSON value (how strategicpatch sorts lists)."""
    if isinstance(value, str):
        return value
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _go_float_v(float(value))
    if isinstance(value, dict):
        inner = " ".join(f"{key}:{_go_text(value[key])}" for key in sorted(value))
        return f"map[{inner}]"
    if isinstance(value, list):
        return "[" + " ".join(_go_text(item) for item in value) + "]"
    return json.dumps(value, default=str)


def _go_float_v(number: float) -> str:
    # %v of a float64 is strconv 'g' with the shortest digits and exponent form from 1e+06 on
    if number != number:
        return "NaN"
    if number in (float("inf"), float("-inf")):
        return "+Inf" if number > 0 else "-Inf"
    if number == 0:
        return "0"
    sign, digit_tuple, exponent = Decimal(repr(number)).normalize().as_tuple()
    assert isinstance(exponent, int)
    digits = "".join(str(d) for d in digit_tuple)
    count = len(digits)
    decimal_point = count + exponent
    exp = decimal_point - 1
    prefix = "-" if sign else ""
    if exp < -4 or exp >= 6:
        mantissa = digits[0] + ("." + digits[1:] if count > 1 else "")
        return f"{prefix}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if decimal_point <= 0:
        return prefix + "0." + "0" * (-decimal_point) + digits
    if decimal_point >= count:
        return prefix + digits + "0" * (decimal_point - count)
    return prefix + digits[:decimal_point] + "." + digits[decimal_point:]


def _slice_element_type(*slices: list[Any]) -> str | None:
    """The common element type of the lists, ``None`` when all are empty; mixed → error."""
    previous: str | None = None
    for items in slices:
        for item in items:
            current = _go_type(item)
            if previous is None:
                if current == "slice":
                    raise SmpError("lists of lists are not supported")
                previous = current
            elif previous != current:
                raise SmpError("list element types are not identical")
    return previous


def _merge_key_value(item: Any, merge_key: str) -> Any:
    if not isinstance(item, dict) or merge_key not in item:
        raise SmpError(f"a list item does not contain the declared merge key {merge_key!r}")
    return item[merge_key]


def _index(order: list[Any], item: Any, is_map: bool, merge_key: str) -> int:
    if is_map:
        wanted = item.get(merge_key) if isinstance(item, dict) else None
        for position, candidate in enumerate(order):
            if isinstance(candidate, dict) and _go_equal(candidate.get(merge_key), wanted):
                return position
        return -1
    for position, candidate in enumerate(order):
        if _go_equal(candidate, item):
            return position
    return -1


def _go_equal(left: Any, right: Any) -> bool:
    return _go_type(left) == _go_type(right) and json_equal(left, right)


def _dedupe_scalars(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if not any(_go_equal(item, seen) for seen in out):
            out.append(item)
    return out


def _normalize_slice_order(
    to_sort: list[Any], order: list[Any], merge_key: str, is_map: bool
) -> list[Any]:
    to_delete: list[Any] = []
    if is_map:
        kept = []
        for item in to_sort:
            _merge_key_value(item, merge_key)
            if item.get(PATCH) == "delete":
                to_delete.append(item)
            else:
                kept.append(item)
        to_sort = kept
    positions = [_index(order, item, is_map, merge_key) for item in to_sort]
    ranked = sorted(
        range(len(to_sort)),
        key=lambda i: positions[i] if positions[i] >= 0 else len(order) + i,
    )
    return [to_sort[i] for i in ranked] + to_delete


def _merge_sorted_slice(
    left: list[Any], right: list[Any], server_order: list[Any], merge_key: str, is_map: bool
) -> list[Any]:
    """Interleave server-only items (left) with patch items (right) by their live positions."""
    out: list[Any] = []
    i = j = 0
    while i < len(left) or j < len(right):
        if i >= len(left):
            out.append(right[j])
            j += 1
        elif j >= len(right):
            out.append(left[i])
            i += 1
        else:
            li = _index(server_order, left[i], is_map, merge_key)
            ri = _index(server_order, right[j], is_map, merge_key)
            if li >= 0 and ri >= 0 and li < ri:
                out.append(left[i])
                i += 1
            else:
                out.append(right[j])
                j += 1
    return out


def _normalize_element_order(
    patch_items: list[Any],
    server_only: list[Any],
    patch_order: list[Any],
    server_order: list[Any],
    merge_key: str,
    is_map: bool,
) -> list[Any]:
    patch_items = _normalize_slice_order(patch_items, patch_order, merge_key, is_map)
    server_only = _normalize_slice_order(server_only, server_order, merge_key, is_map)
    return _merge_sorted_slice(server_only, patch_items, server_order, merge_key, is_map)


def _partition(
    merged: list[Any], present_in: list[Any], merge_key: str
) -> tuple[list[Any], list[Any]]:
    inside: list[Any] = []
    outside: list[Any] = []
    is_map = bool(merge_key)
    for item in merged:
        if is_map:
            _merge_key_value(item, merge_key)
        (inside if _index(present_in, item, is_map, merge_key) >= 0 else outside).append(item)
    return inside, outside


def _strip_directives(value: Any) -> Any:
    """discardNullValuesFromPatch, plus the directives a whole new value must not carry."""
    if isinstance(value, dict):
        return {
            key: _strip_directives(item)
            for key, item in value.items()
            if item is not None
            and key not in (PATCH, RETAIN_KEYS)
            and not key.startswith((SET_ELEMENT_ORDER, DELETE_FROM_PRIMITIVE))
        }
    if isinstance(value, list):
        return [
            _strip_directives(item)
            for item in value
            if not (isinstance(item, dict) and item.get(PATCH) == "delete")
        ]
    return value


# --------------------------------------------------------------------------------------------
# Creating patches (diffMaps / diffLists)
# --------------------------------------------------------------------------------------------


def _diff_maps(
    original: dict[str, Any],
    modified: dict[str, Any],
    node: Node,
    ignore_changes: bool,
    ignore_deletions: bool,
    retain_keys: bool,
) -> dict[str, Any]:
    patch: dict[str, Any] = {}
    retain_list: list[str] = []
    for key, new in modified.items():
        if retain_keys and new is not None:
            retain_list.append(key)
        if key not in original:
            if not ignore_changes:
                patch[key] = new
            continue
        old = original[key]
        if key == PATCH:
            if not _go_equal(old, new):
                patch[key] = new
            continue
        old_type = _go_type(old)
        if old_type != _go_type(new):
            if not ignore_changes:
                patch[key] = new
            continue
        if old_type == "map":
            strategy, retain, _, child = lookup(node, key)
            if strategy == "replace":
                if not ignore_changes:
                    patch[key] = new
            else:
                sub = _diff_maps(old, new, child, ignore_changes, ignore_deletions, retain)
                if sub:
                    patch[key] = sub
        elif old_type == "slice":
            strategy, retain, merge_key, child = lookup(node, key)
            if strategy == "merge":
                additions, deletions, order = _diff_lists(
                    old, new, child, merge_key, ignore_changes, ignore_deletions, retain
                )
                if additions:
                    patch[key] = additions
                if deletions:
                    patch[DELETE_FROM_PRIMITIVE + key] = deletions
                if order:
                    patch[SET_ELEMENT_ORDER + key] = order
            elif not ignore_changes and not json_equal(old, new):
                patch[key] = new
        elif not ignore_changes and not _go_equal(old, new):
            patch[key] = new
    if not ignore_deletions:
        for key in original:
            if key not in modified:
                patch[key] = None
    if retain_list and (patch or _has_additional_new_field(original, modified)):
        patch[RETAIN_KEYS] = sorted(retain_list)
    return patch


def _has_additional_new_field(original: dict[str, Any], modified: dict[str, Any]) -> bool:
    return any(value is not None and key not in modified for key, value in original.items())


def _diff_lists(
    original: list[Any],
    modified: list[Any],
    node: Node,
    merge_key: str,
    ignore_changes: bool,
    ignore_deletions: bool,
    retain_keys: bool,
) -> tuple[list[Any], list[Any], list[Any]]:
    element = _slice_element_type(original, modified)
    if element is None:
        return [], [], []
    if element == "map":
        if not merge_key:
            raise SmpError("a merge list of objects has no merge key")
        patch_list, delete_list = _diff_lists_of_maps(
            original, modified, node, merge_key, ignore_changes, ignore_deletions, retain_keys
        )
        patch_list = _normalize_slice_order(patch_list, modified, merge_key, True)
        order_same = len(original) == len(modified) and all(
            _go_equal(_merge_key_value(left, merge_key), _merge_key_value(right, merge_key))
            for left, right in zip(original, modified, strict=False)
        )
        patch_list = patch_list + delete_list
        order: list[Any] = []
        if (not ignore_changes and (patch_list or not order_same)) or (
            not ignore_deletions and patch_list
        ):
            order = [{merge_key: item.get(merge_key)} for item in modified]
        return patch_list, [], order
    additions, deletions = _diff_lists_of_scalars(
        original, modified, ignore_changes, ignore_deletions
    )
    additions = _normalize_slice_order(additions, modified, "", False)
    order = []
    if (not ignore_deletions and deletions) or (
        not ignore_changes and not json_equal(original, modified)
    ):
        order = list(modified)
    return additions, deletions, order


def _diff_lists_of_maps(
    original: list[Any],
    modified: list[Any],
    node: Node,
    merge_key: str,
    ignore_changes: bool,
    ignore_deletions: bool,
    retain_keys: bool,
) -> tuple[list[Any], list[Any]]:
    patch: list[Any] = []
    deletions: list[Any] = []
    old_sorted = sorted(original, key=lambda item: _go_text(_merge_key_value(item, merge_key)))
    new_sorted = sorted(modified, key=lambda item: _go_text(_merge_key_value(item, merge_key)))
    i = j = 0
    while i < len(old_sorted) or j < len(new_sorted):
        old_in = i < len(old_sorted)
        new_in = j < len(new_sorted)
        old_text = _go_text(old_sorted[i][merge_key]) if old_in else ""
        new_text = _go_text(new_sorted[j][merge_key]) if new_in else ""
        if old_in and new_in and old_text == new_text:
            sub = _diff_maps(
                old_sorted[i], new_sorted[j], node, ignore_changes, ignore_deletions, retain_keys
            )
            if sub:
                sub[merge_key] = new_sorted[j][merge_key]
                patch.append(sub)
            i += 1
            j += 1
        elif not old_in or (new_in and old_text > new_text):
            if not ignore_changes:
                patch.append(new_sorted[j])
            j += 1
        else:
            if not ignore_deletions:
                deletions.append({PATCH: "delete", merge_key: old_sorted[i][merge_key]})
            i += 1
    return patch, deletions


def _diff_lists_of_scalars(
    original: list[Any], modified: list[Any], ignore_changes: bool, ignore_deletions: bool
) -> tuple[list[Any], list[Any]]:
    old_sorted = sorted(original, key=_go_text)
    new_sorted = sorted(modified, key=_go_text)
    additions: list[Any] = []
    deletions: list[Any] = []
    i = j = 0
    while i < len(old_sorted) or j < len(new_sorted):
        old_in = i < len(old_sorted)
        new_in = j < len(new_sorted)
        old_text = _go_text(old_sorted[i]) if old_in else ""
        new_text = _go_text(new_sorted[j]) if new_in else ""
        if old_in and new_in and old_text == new_text:
            i += 1
            j += 1
        elif not old_in or (new_in and old_text > new_text):
            if not ignore_changes:
                additions.append(new_sorted[j])
            j += 1
        else:
            if not ignore_deletions:
                deletions.append(old_sorted[i])
            i += 1
    return additions, _dedupe_scalars(deletions)


def create_two_way_patch(
    original: dict[str, Any], modified: dict[str, Any], node: Node
) -> dict[str, Any]:
    """The strategic merge patch turning ``original`` into ``modified`` (with deletions).

    Raises:
        SmpError: where apimachinery returns an error (mixed list types, missing merge key).
    """
    return _diff_maps(original, modified, node, False, False, False)


def create_three_way_patch(
    original: dict[str, Any], modified: dict[str, Any], current: dict[str, Any], node: Node
) -> dict[str, Any]:
    """kubectl's three-way patch: changes from ``current`` to ``modified`` without deletions,
    plus the deletions from ``original`` (last-applied) to ``modified``.

    Raises:
        SmpError: where apimachinery returns an error.
    """
    delta = _diff_maps(current, modified, node, False, True, False)
    deletions = _diff_maps(original, modified, node, True, False, False)
    return _combine(deletions, delta, node)


def _combine(first: dict[str, Any], second: dict[str, Any], node: Node) -> dict[str, Any]:
    """mergeMap of two patches (the deletions patch and the delta patch) into one."""
    result = dict(first)
    for key, value in second.items():
        if key not in result:
            result[key] = value
            continue
        existing = result[key]
        if key == RETAIN_KEYS or key.startswith(SET_ELEMENT_ORDER):
            if not json_equal(existing, value):
                raise SmpError(f"conflicting {key} directives in the three-way patch")
            continue
        if key.startswith(DELETE_FROM_PRIMITIVE):
            result[key] = value
            continue
        if isinstance(existing, dict) and isinstance(value, dict):
            strategy, _, _, child = lookup(node, key)
            result[key] = value if strategy == "replace" else _combine(existing, value, child)
        elif isinstance(existing, list) and isinstance(value, list):
            strategy, _, merge_key, child = lookup(node, key)
            if strategy != "merge":
                result[key] = value
                continue
            element = _slice_element_type(existing, value)
            if element != "map":
                result[key] = _dedupe_scalars(existing + value)
                continue
            merged = list(existing)
            for item in value:
                wanted = _merge_key_value(item, merge_key)
                for position, candidate in enumerate(merged):
                    if _go_equal(_merge_key_value(candidate, merge_key), wanted):
                        merged[position] = _combine(candidate, item, child)
                        break
                else:
                    merged.append(item)
            result[key] = merged
        else:
            result[key] = value
    return result


# --------------------------------------------------------------------------------------------
# Applying patches (mergeMap / mergeSlice with MergeParallelList and IgnoreUnmatchedNulls)
# --------------------------------------------------------------------------------------------


def apply_patch(original: dict[str, Any], patch: dict[str, Any], node: Node) -> dict[str, Any]:
    """``original`` with the strategic merge ``patch`` applied (a new object).

    Raises:
        SmpError: where apimachinery returns an error (malformed directives, missing merge keys).
    """
    return _merge_map(original, patch, node)


def _merge_map(
    original: dict[str, Any] | None, patch: dict[str, Any], node: Node
) -> dict[str, Any]:
    if PATCH in patch:
        directive = patch[PATCH]
        if directive == "replace":
            return {key: value for key, value in patch.items() if key != PATCH}
        if directive == "delete":
            return {}
        raise SmpError("unknown $patch directive in a map")
    result = dict(original) if original else {}
    pending = dict(patch)
    if RETAIN_KEYS in pending:
        retain = pending.pop(RETAIN_KEYS)
        if not isinstance(retain, list):
            raise SmpError("$retainKeys must be a list")
        keep = {item for item in retain if isinstance(item, str)}
        for key, value in pending.items():
            if value is None or key.startswith((DELETE_FROM_PRIMITIVE, SET_ELEMENT_ORDER)):
                continue
            if key not in keep:
                raise SmpError("a patched field is missing from $retainKeys")
        for key in list(result):
            if key not in keep:
                del result[key]
    for directive_key in [key for key in pending if key.startswith(SET_ELEMENT_ORDER)]:
        order = pending.pop(directive_key)
        if not isinstance(order, list):
            raise SmpError("$setElementOrder must be a list")
        field = directive_key[len(SET_ELEMENT_ORDER) :]
        _apply_set_element_order(result, pending, field, order, node)
    for key, value in pending.items():
        is_delete_list = False
        if key.startswith(DELETE_FROM_PRIMITIVE):
            key = key[len(DELETE_FROM_PRIMITIVE) :]
            is_delete_list = True
        if value is None:
            result.pop(key, None)
            continue
        if key not in result:
            if not is_delete_list:
                result[key] = _strip_directives(value)
            continue
        current = result[key]
        current_type = _go_type(current)
        if current_type != _go_type(value):
            if not is_delete_list:
                result[key] = _strip_directives(value)
            continue
        if current_type == "map":
            strategy, _, _, child = lookup(node, key)
            result[key] = value if strategy == "replace" else _merge_map(current, value, child)
        elif current_type == "slice":
            strategy, _, merge_key, child = lookup(node, key)
            result[key] = _merge_slice_handler(
                current, value, child, strategy, merge_key, is_delete_list
            )
        else:
            result[key] = value
    return result


def _apply_set_element_order(
    result: dict[str, Any], pending: dict[str, Any], field: str, order: list[Any], node: Node
) -> None:
    found_original = field in result
    found_patch = field in pending
    original_list: list[Any] = []
    patch_list: list[Any] = []
    if found_original:
        if not isinstance(result[field], list):
            raise SmpError(f"{field} is not a list")
        original_list = result[field]
    if found_patch:
        if not isinstance(pending[field], list):
            raise SmpError(f"{field} in the patch is not a list")
        patch_list = pending[field]
    strategy, _, merge_key, child = lookup(node, field)
    if found_original and not found_patch:
        merged = original_list
    elif found_patch and not found_original:
        merged = _strip_directives(patch_list)
    elif found_original and found_patch:
        merged = _merge_slice_handler(original_list, patch_list, child, strategy, merge_key, False)
    else:
        return
    inside, outside = _partition(merged, order, merge_key)
    element = _slice_element_type(original_list, patch_list)
    result[field] = _normalize_element_order(
        inside, outside, order, original_list, merge_key, element == "map"
    )
    pending.pop(field, None)


def _merge_slice_handler(
    original: list[Any],
    patch: list[Any],
    node: Node,
    strategy: str,
    merge_key: str,
    is_delete_list: bool,
) -> list[Any]:
    if strategy == "merge" or is_delete_list:
        return _merge_slice(original, patch, node, merge_key, is_delete_list)
    return patch


def _merge_slice(
    original: list[Any], patch: list[Any], node: Node, merge_key: str, is_delete_list: bool
) -> list[Any]:
    if not original and not patch:
        return original
    element = _slice_element_type(original, patch)
    if element != "map":
        if is_delete_list:
            return [item for item in original if not any(_go_equal(item, d) for d in patch)]
        merged = _dedupe_scalars(original + patch)
        inside, outside = _partition(merged, patch, "")
        return _normalize_element_order(inside, outside, patch, original, "", False)
    if not merge_key:
        raise SmpError("cannot merge lists without merge key")
    original, patch = _merge_slice_with_special_elements(original, patch, merge_key)
    merged = list(original)
    for item in patch:
        wanted = _merge_key_value(item, merge_key)
        for position, candidate in enumerate(merged):
            if not isinstance(candidate, dict):
                raise SmpError("a list item is not an object")
            if merge_key in candidate and _go_equal(candidate[merge_key], wanted):
                merged[position] = _merge_map(candidate, item, node)
                break
        else:
            merged.append(item)
    inside, outside = _partition(merged, patch, merge_key)
    return _normalize_element_order(inside, outside, patch, original, merge_key, True)


def _merge_slice_with_special_elements(
    original: list[Any], patch: list[Any], merge_key: str
) -> tuple[list[Any], list[Any]]:
    plain: list[Any] = []
    replace = False
    for item in patch:
        directive = item.get(PATCH)
        if directive is None:
            plain.append(item)
        elif directive == "delete":
            wanted = _merge_key_value(item, merge_key)
            original = [
                candidate
                for candidate in original
                if not (isinstance(candidate, dict) and _go_equal(candidate.get(merge_key), wanted))
            ]
        elif directive == "replace":
            replace = True
        else:
            raise SmpError("unknown $patch directive in a list item")
    if replace:
        return plain, []
    return original, plain
