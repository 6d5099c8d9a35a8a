"""Argo CD's legacy three-way diff (gitops-engine ``ThreeWayDiff``), spec/diff.md section 6.

Inputs are already remarshaled and normalized. ``original`` is the parsed last-applied
configuration (or desired itself in a two-way diff). The patch flavour is chosen by the
original's kind: strategic merge for registered kinds (then scheme defaults on both sides),
JSON merge for everything else.

:func:`in_sync` is the fast path: it answers "would the patch be empty?" by walking desired
against live without building a patch; an empty patch leaves live untouched, so the verdict is
"not modified" without applying anything.
"""

from __future__ import annotations

from typing import Any

import attrs

from gitops_core.diff._json import json_equal, json_type
from gitops_core.diff._jsonmerge import (
    apply_merge_patch,
    create_three_way_merge_patch,
    remove_list_fields,
    remove_map_fields,
)
from gitops_core.diff._smp import (
    Node,
    apply_patch,
    create_three_way_patch,
    lookup_table,
    root_node,
)
from gitops_core.diff.normalize import apply_scheme_defaults

__all__ = [
    "PatchInputs",
    "ThreeWayOutcome",
    "in_sync",
    "patch_inputs",
    "run_three_way",
    "split_api_version",
]


def split_api_version(obj: dict[str, Any]) -> tuple[str, str]:
    """(group, version) of an object's ``apiVersion`` (``("", "v1")`` for the core group)."""
    api_version = obj.get("apiVersion")
    if not isinstance(api_version, str):
        return "", ""
    group, _, version = api_version.rpartition("/")
    return group, version


def _strip_namespace_and_empty_annotations(obj: dict[str, Any]) -> dict[str, Any]:
    """removeNamespaceAnnotation: drop ``metadata.namespace`` and null/empty annotations."""
    metadata = obj.get("metadata")
    if not isinstance(metadata, dict):
        return obj
    if "namespace" not in metadata and "annotations" not in metadata:
        return obj
    new_metadata = dict(metadata)
    new_metadata.pop("namespace", None)
    if "annotations" in new_metadata:
        annotations = new_metadata["annotations"]
        if annotations is None or (isinstance(annotations, dict) and not annotations):
            del new_metadata["annotations"]
    out = dict(obj)
    out["metadata"] = new_metadata
    return out


def _statefulset_workaround(original: dict[str, Any], live: dict[str, Any]) -> dict[str, Any]:
    """Trim live's volumeClaimTemplates items (by index) to the original's keys."""
    original_spec = original.get("spec")
    live_spec = live.get("spec")
    if not isinstance(original_spec, dict) or not isinstance(live_spec, dict):
        return live
    original_templates = original_spec.get("volumeClaimTemplates")
    live_templates = live_spec.get("volumeClaimTemplates")
    if not isinstance(original_templates, list) or not isinstance(live_templates, list):
        return live
    new_spec = dict(live_spec)
    new_spec["volumeClaimTemplates"] = remove_list_fields(original_templates, live_templates)
    out = dict(live)
    out["spec"] = new_spec
    return out


@attrs.frozen
class PatchInputs:
    """The three objects a patch is built from, after Argo CD's step 0, and the patch flavour."""

    original: dict[str, Any]
    desired: dict[str, Any]
    live_for_patch: dict[str, Any]
    node: Node
    registered: bool


def patch_inputs(
    original: dict[str, Any], desired: dict[str, Any], live: dict[str, Any]
) -> PatchInputs:
    """Strip namespace/empty annotations from original and desired; pick the flavour by original."""
    original = _strip_namespace_and_empty_annotations(original)
    desired = _strip_namespace_and_empty_annotations(desired)
    group, kind, node = _kind_node(original)
    if node is None:
        return PatchInputs(original, desired, remove_map_fields(original, live), None, False)
    live_for_patch = live
    if kind == "StatefulSet" and group in ("apps", "extensions"):
        live_for_patch = _statefulset_workaround(original, live)
    return PatchInputs(original, desired, live_for_patch, node, True)


_NODES: dict[tuple[str, str], tuple[str, str, Node]] = {}
_NODES_SIZE = 4096


def _kind_node(original: dict[str, Any]) -> tuple[str, Any, Node]:
    """Group, kind and schema root node of the original (memoised by apiVersion and kind)."""
    api_version = original.get("apiVersion")
    kind = original.get("kind")
    if type(api_version) is str and type(kind) is str:
        found = _NODES.get((api_version, kind))
        if found is None:
            group, version = split_api_version(original)
            found = (group, kind, root_node(group, version, kind))
            if len(_NODES) >= _NODES_SIZE:
                _NODES.clear()
            _NODES[(api_version, kind)] = found
        return found
    group, version = split_api_version(original)
    return group, kind, root_node(group, version, kind) if isinstance(kind, str) else None


@attrs.frozen
class ThreeWayOutcome:
    """Predicted live and normalized live of one three-way (or two-way) diff."""

    predicted: dict[str, Any]
    live: dict[str, Any]
    patch: dict[str, Any]


def run_three_way(inputs: PatchInputs, live: dict[str, Any]) -> ThreeWayOutcome:
    """Build the patch, apply it to the full live object, default both sides (registered kinds).

    Raises:
        SmpError | JsonMergeConflict: where apimachinery would return an error.
    """
    if inputs.registered:
        patch = create_three_way_patch(
            inputs.original, inputs.desired, inputs.live_for_patch, inputs.node
        )
        predicted = apply_patch(live, patch, inputs.node) if patch else live
        live_out = apply_scheme_defaults(live)
        predicted_out = live_out if predicted is live else apply_scheme_defaults(predicted)
        return ThreeWayOutcome(predicted_out, live_out, patch)
    patch = create_three_way_merge_patch(inputs.original, inputs.desired, inputs.live_for_patch)
    predicted = apply_merge_patch(live, patch) if patch else live
    return ThreeWayOutcome(predicted, live, patch)


# --------------------------------------------------------------------------------------------
# Fast path
# --------------------------------------------------------------------------------------------


def in_sync(inputs: PatchInputs, *, two_way: bool) -> bool:
    """True when the three-way patch would be empty (then live is the predicted live).

    A ``False`` answer only means "maybe modified": the caller runs the full diff.
    """
    if inputs.registered:
        if not _covers(inputs.live_for_patch, inputs.desired, inputs.node):
            return False
        if two_way or inputs.original is inputs.desired:
            return True
        return _no_deletions(inputs.original, inputs.desired, inputs.node)
    if not _json_covers(inputs.live_for_patch, inputs.desired):
        return False
    return two_way or _no_json_deletions(inputs.original, inputs.desired)


def _covers(current: dict[str, Any], modified: dict[str, Any], node: Node) -> bool:
    """Would diffMaps(current, modified) ignoring deletions be empty?

    Same-typed strings, ints and booleans are compared inline (the bulk of the values).
    """
    lookups = lookup_table(node)
    for key, new in modified.items():
        try:
            old = current[key]
        except KeyError:
            return False
        if old is new:
            continue
        new_type = type(new)
        if new_type is str or new_type is int or new_type is bool:
            if type(old) is not new_type or old != new:
                if not json_equal(old, new):
                    return False
            continue
        if new_type is dict:
            if type(old) is not dict:
                return False
            strategy, retain, _, child = lookups[key]
            if strategy == "replace":
                if not json_equal(old, new):
                    return False
            elif not _covers(old, new, child):
                return False
            if retain and _has_extra(old, new):
                return False
        elif new_type is list:
            if type(old) is not list:
                return False
            strategy, retain, merge_key, child = lookups[key]
            if strategy != "merge":
                if not json_equal(old, new):
                    return False
                continue
            if len(old) != len(new):
                return False
            for old_item, new_item in zip(old, new, strict=False):
                if type(new_item) is dict:
                    if type(old_item) is not dict:
                        return False
                    new_merge = new_item.get(merge_key, _ABSENT)
                    old_merge = old_item.get(merge_key, _ABSENT)
                    if new_merge is _ABSENT or old_merge is _ABSENT:
                        return False
                    if not (type(new_merge) is str and type(old_merge) is str) or (
                        old_merge != new_merge
                    ):
                        if not json_equal(old_merge, new_merge):
                            return False
                    if not _covers(old_item, new_item, child):
                        return False
                    if retain and _has_extra(old_item, new_item):
                        return False
                elif not json_equal(old_item, new_item):
                    return False
        elif not json_equal(old, new):
            return False
    return True


_ABSENT: Any = object()


def _has_extra(current: dict[str, Any], modified: dict[str, Any]) -> bool:
    return any(value is not None and key not in modified for key, value in current.items())


def _no_deletions(original: dict[str, Any], modified: dict[str, Any], node: Node) -> bool:
    """Would diffMaps(original, modified) ignoring changes and additions be empty?"""
    if json_equal(original, modified):
        return True
    from gitops_core.diff._smp import _diff_maps

    return not _diff_maps(original, modified, node, True, False, False)


def _json_covers(current: dict[str, Any], modified: dict[str, Any]) -> bool:
    """Would the non-null half of merge-patch(current → modified) be empty?"""
    for key, new in modified.items():
        if new is None:
            continue
        if key not in current:
            return False
        old = current[key]
        if isinstance(new, dict):
            if not isinstance(old, dict):
                return False
            if not new:
                if old:
                    # an explicitly empty map is a value; any keys of current are deletions only
                    continue
                continue
            if not _json_covers(old, new):
                return False
        elif not json_equal(old, new):
            return False
    return True


def _no_json_deletions(original: dict[str, Any], modified: dict[str, Any]) -> bool:
    """Would the null half of merge-patch(original → modified) be empty?"""
    for key, new in modified.items():
        if key not in original:
            if _has_null(new):
                return False
            continue
        old = original[key]
        if isinstance(old, dict) and isinstance(new, dict):
            if not _no_json_deletions(old, new):
                return False
        elif json_type(old) != json_type(new) and _has_null(new):
            return False
    return all(key in modified for key in original)


def _has_null(value: Any) -> bool:
    """A null, or a map holding one at any depth (lists are values, not searched)."""
    if value is None:
        return True
    return isinstance(value, dict) and any(_has_null(item) for item in value.values())
