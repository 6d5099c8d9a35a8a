"""Server-side diff from a server-side-apply dry-run result (spec/diff.md section 8).

The dry-run result (``kubectl apply --server-side --dry-run=server -o yaml``) is the predicted
live. With ``ignore_mutation_webhook`` (Argo CD's default) fields a mutating webhook added are
removed using ``metadata.managedFields``:

1. "ours" = the union of the field sets of every managedFields entry of the dry-run result
   whose manager is ``options.manager``;
2. "not ours" = every field present in the result minus ours, minus any path that has an owned
   strict descendant (preserve-unknown-fields subtrees record only the owned leaf);
3. "removed by the apply" = fields live has that the result lacks, minus "not ours";
4. "not ours" is dropped from the result, except members of a multi-field list key;
5. the result is merged over live (result wins), then "removed by the apply" is deleted again.

Field paths follow structured-merge-diff: ``f:`` fields, ``k:`` associative-list items by their
key fields, ``v:`` set items; list semantics come from the schema's server-side-apply markers
(``x-kubernetes-list-type``/``-list-map-keys``). Kinds without a schema (custom resources) use
the deduced schema: maps are granular, every list atomic.
"""

from __future__ import annotations

import json
from typing import Any

from gitops_core.diff._explain import explain
from gitops_core.diff._json import json_equal
from gitops_core.diff._options import DiffOptions
from gitops_core.diff._result import Change, DiffResult
from gitops_core.diff._smp import Node, root_node
from gitops_core.diff._threeway import split_api_version
from gitops_core.errors import DiffError

__all__ = ["fields_from_managed", "server_side_diff"]

_LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"

# A path element: ("f", name) | ("k", ((field, json), ...)) | ("v", json) | ("i", index)
_Elem = tuple[str, Any]
_Path = tuple[_Elem, ...]
# A trie of paths: element -> sub-trie; the key ``None`` marks "this path is a member".
_Trie = dict[Any, Any]


def _canon(value: Any) -> str:
    return json.dumps(_numbers(value), sort_keys=True, separators=(",", ":"))


def _numbers(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_numbers(item) for item in value]
    return value


def _parse_element(text: str) -> _Elem | None:
    prefix, _, rest = text.partition(":")
    try:
        if prefix == "f":
            return ("f", rest)
        if prefix == "k":
            keys = json.loads(rest)
            if not isinstance(keys, dict):
                return None
            return ("k", tuple(sorted((name, _canon(value)) for name, value in keys.items())))
        if prefix == "v":
            return ("v", _canon(json.loads(rest)))
        if prefix == "i":
            return ("i", int(rest))
    except ValueError:
        return None
    return None


def fields_from_managed(fields_v1: Any) -> set[_Path]:
    """The field paths of one ``fieldsV1`` document (members only)."""
    out: set[_Path] = set()

    def walk(node: Any, prefix: _Path) -> None:
        if not isinstance(node, dict):
            return
        for key, child in node.items():
            if key == ".":
                out.add(prefix)
                continue
            element = _parse_element(key)
            if element is None:
                continue
            path = (*prefix, element)
            if not child:
                out.add(path)
            else:
                walk(child, path)

    walk(fields_v1, ())
    return out


def _list_semantics(node: Node, key: str) -> tuple[str, tuple[str, ...], Node]:
    """(list type, map keys, item node) of list field ``key``: deduced lists are atomic."""
    from gitops_core.diff import _schema

    if node is None or node[0] != "struct" or node[1] is None:
        return "atomic", (), None
    info = _schema.field_info(node[1], key)
    if info is None or info.shape != "list":
        return "atomic", (), None
    item_node: Node = ("struct", info.type_name) if info.type_name else None
    list_type = info.list_type or "atomic"
    return list_type, tuple(info.list_map_keys), item_node


def _child_node(node: Node, key: str) -> tuple[Node, bool]:
    """(child node, whether ``key`` is a declared struct field) of a map/struct node."""
    from gitops_core.diff import _schema

    if node is None:
        return None, False
    shape, name = node
    if shape == "map":
        return (("struct", name) if name else None), False
    if name is None:
        return None, False
    info = _schema.field_info(name, key)
    if info is None:
        return None, False
    if info.shape == "map":
        return ("map", info.type_name), True
    return (("struct", info.type_name) if info.type_name else None), True


def _item_element(item: Any, list_type: str, keys: tuple[str, ...], index: int) -> _Elem:
    if list_type == "map" and isinstance(item, dict):
        return ("k", tuple(sorted((name, _canon(item[name])) for name in keys if name in item)))
    if list_type == "set":
        return ("v", _canon(item))
    return ("i", index)


def _field_set(value: Any, node: Node, prefix: _Path, out: set[_Path]) -> None:
    """structured-merge-diff ``ToFieldSet``: leaves, list items, and empty/undeclared entries."""
    if not isinstance(value, dict):
        out.add(prefix)
        return
    for key, child in value.items():
        path = (*prefix, ("f", key))
        child_node, declared = _child_node(node, key)
        if isinstance(child, list):
            list_type, keys, item_node = _list_semantics(node, key)
            if list_type == "atomic":
                out.add(path)
            else:
                for index, item in enumerate(child):
                    item_path = (*path, _item_element(item, list_type, keys, index))
                    out.add(item_path)
                    if isinstance(item, dict):
                        _field_set(item, item_node, item_path, out)
            if not declared:
                out.add(path)
            continue
        if isinstance(child, dict):
            _field_set(child, child_node, path, out)
            if not child or not declared:
                out.add(path)
        else:
            out.add(path)


def _trie(paths: set[_Path]) -> _Trie:
    root: _Trie = {}
    for path in paths:
        node = root
        for element in path:
            node = node.setdefault(element, {})
        node[None] = True
    return root


def _remove_items(value: Any, trie: _Trie, node: Node) -> Any:
    """``value`` without every member path of ``trie`` (whole subtrees go)."""
    if not isinstance(value, dict) or not trie:
        return value
    out: dict[str, Any] = {}
    for key, child in value.items():
        sub = trie.get(("f", key))
        if sub is None:
            out[key] = child
            continue
        if sub.get(None):
            continue
        child_node, _ = _child_node(node, key)
        if isinstance(child, list):
            list_type, keys, item_node = _list_semantics(node, key)
            items = []
            for index, item in enumerate(child):
                item_sub = sub.get(_item_element(item, list_type, keys, index))
                if item_sub is None:
                    items.append(item)
                elif not item_sub.get(None):
                    items.append(_remove_items(item, item_sub, item_node))
            out[key] = items
        else:
            out[key] = _remove_items(child, sub, child_node)
    return out


def _merge(live: Any, predicted: Any, node: Node) -> Any:
    """structured-merge-diff ``Merge``: ``predicted`` over ``live``."""
    if not isinstance(live, dict) or not isinstance(predicted, dict):
        return predicted
    out = dict(live)
    for key, value in predicted.items():
        if key not in live:
            out[key] = value
            continue
        child_node, _ = _child_node(node, key)
        current = live[key]
        if isinstance(current, list) and isinstance(value, list):
            list_type, keys, item_node = _list_semantics(node, key)
            out[key] = (
                value
                if list_type == "atomic"
                else _merge_list(current, value, list_type, keys, item_node)
            )
        else:
            out[key] = _merge(current, value, child_node)
    return out


def _merge_list(
    lhs: list[Any], rhs: list[Any], list_type: str, keys: tuple[str, ...], node: Node
) -> list[Any]:
    lhs_keys = [_item_element(item, list_type, keys, i) for i, item in enumerate(lhs)]
    rhs_keys = [_item_element(item, list_type, keys, i) for i, item in enumerate(rhs)]
    lhs_by_key = dict(zip(lhs_keys, lhs, strict=True))
    rhs_set = set(rhs_keys)
    shared = [key for key in rhs_keys if key in lhs_by_key]
    shared_at = 0
    merged: set[_Elem] = set()
    out: list[Any] = []
    li = ri = 0
    while li < len(lhs) or ri < len(rhs):
        next_shared = shared[shared_at] if shared_at < len(shared) else None
        if li < len(lhs) and ri < len(rhs):
            if lhs_keys[li] == rhs_keys[ri]:
                out.append(_merge(lhs[li], rhs[ri], node))
                merged.add(rhs_keys[ri])
                if next_shared == rhs_keys[ri]:
                    shared_at += 1
                li += 1
                ri += 1
                continue
            if lhs_keys[li] in rhs_set and next_shared is not None and next_shared != lhs_keys[li]:
                li += 1
                continue
        if li < len(lhs):
            if lhs_keys[li] not in rhs_set:
                out.append(lhs[li])
                li += 1
                continue
            if lhs_keys[li] in merged:
                li += 1
                continue
        if ri < len(rhs):
            key = rhs_keys[ri]
            merged.add(key)
            base = lhs_by_key.get(key)
            out.append(_merge(base, rhs[ri], node) if base is not None else rhs[ri])
            if next_shared == key:
                shared_at += 1
            ri += 1
    return out


def _exclude_owned_ancestors(not_ours: set[_Path], ours: set[_Path]) -> set[_Path]:
    ancestors: set[_Path] = set()
    for path in ours:
        for end in range(len(path)):
            ancestors.add(path[:end])
    return {path for path in not_ours if path not in ancestors}


def _filter_composite_keys(paths: set[_Path]) -> set[_Path]:
    out = set()
    for path in paths:
        if len(path) >= 2 and path[-1][0] == "f" and path[-2][0] == "k":
            key_names = {name for name, _ in path[-2][1]}
            if len(key_names) > 1 and path[-1][1] in key_names:
                continue
        out.add(path)
    return out


def _remove_webhook_mutation(
    predicted: dict[str, Any], live: dict[str, Any], manager: str, resource: str
) -> dict[str, Any]:
    metadata = predicted.get("metadata")
    entries = metadata.get("managedFields") if isinstance(metadata, dict) else None
    if not isinstance(entries, list) or not entries:
        raise DiffError(
            resource, "the dry-run result has no managedFields (needed to remove webhook mutations)"
        )
    ours: set[_Path] = set()
    for entry in entries:
        if isinstance(entry, dict) and entry.get("manager") == manager:
            ours |= fields_from_managed(entry.get("fieldsV1"))
    if not ours:
        raise DiffError(
            resource, f"no managed fields found for manager {manager!r} in the dry-run result"
        )
    group, version = split_api_version(predicted)
    kind = predicted.get("kind")
    node = root_node(group, version, kind) if isinstance(kind, str) else None
    predicted_fields: set[_Path] = set()
    _field_set(predicted, node, (), predicted_fields)
    live_fields: set[_Path] = set()
    _field_set(live, node, (), live_fields)
    not_ours = _exclude_owned_ancestors(predicted_fields - ours, ours)
    removed = (live_fields - predicted_fields) - not_ours
    not_ours = _filter_composite_keys(not_ours)
    trimmed = _remove_items(predicted, _trie(not_ours), node)
    merged = _merge(live, trimmed, node)
    result = _remove_items(merged, _trie(removed), node)
    assert isinstance(result, dict)
    return result


def _strip_server_fields(obj: dict[str, Any]) -> dict[str, Any]:
    metadata = obj.get("metadata")
    if not isinstance(metadata, dict):
        return obj
    new_metadata = {
        key: value
        for key, value in metadata.items()
        if key not in ("managedFields", "resourceVersion")
    }
    annotations = new_metadata.get("annotations")
    if isinstance(annotations, dict) and _LAST_APPLIED in annotations:
        new_metadata["annotations"] = {k: v for k, v in annotations.items() if k != _LAST_APPLIED}
    return {**obj, "metadata": new_metadata}


def server_side_diff(
    desired: dict[str, Any], live: dict[str, Any], dry_run: dict[str, Any], options: DiffOptions
) -> DiffResult:
    """Compare live with the dry-run result taken as the predicted live (section 8).

    Raises:
        DiffError: webhook-mutation removal is on and the result has no managedFields, or none
            of them belongs to ``options.manager`` (Argo CD reports a comparison error).
    """
    from gitops_core.diff._engine import _configured, _kind_name
    from gitops_core.diff.normalize import normalize_object, remarshal

    predicted = dry_run
    if options.ignore_mutation_webhook:
        predicted = _remove_webhook_mutation(dry_run, live, options.manager, _kind_name(desired))
    predicted = normalize_object(
        remarshal(predicted), ignore_aggregated_roles=options.ignore_aggregated_roles
    )
    predicted = _strip_server_fields(_configured(predicted, options))
    live_out = _strip_server_fields(_configured(live, options))
    modified = not json_equal(predicted, live_out)
    changes: tuple[Change, ...] = ()
    if modified:
        changes = explain(predicted, live_out, original=None, desired=desired)
    return DiffResult(modified, predicted, live_out, changes, "server-side")
