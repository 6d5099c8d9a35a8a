"""Structured-merge diff: server-side-apply semantics computed locally (spec/diff.md section 7).

Desired is "applied" by ``options.manager`` over live with force: every field desired sets wins,
associative lists merge by their server-side-apply keys, and fields the manager applied before
(its ``Apply`` entry in live's ``managedFields``) that desired no longer sets are removed unless
another manager owns them. No change → both outputs are live and the result is not modified;
otherwise both sides drop the last-applied annotation and get scheme defaults before comparing.

Argo CD resolves custom-resource schemas from the cluster; offline, kinds without a generated
schema use the deduced schema (maps granular, every list atomic). managedFields entries recorded
under another apiVersion are used as they are (no version conversion of field paths).
"""

from __future__ import annotations

from typing import Any

from gitops_core.diff._explain import explain
from gitops_core.diff._json import json_equal
from gitops_core.diff._options import DiffOptions
from gitops_core.diff._result import Change, DiffResult
from gitops_core.diff._serverside import (
    _exclude_owned_ancestors,
    _field_set,
    _merge,
    _Path,
    _remove_items,
    _trie,
    fields_from_managed,
)
from gitops_core.diff._smp import root_node
from gitops_core.diff._threeway import split_api_version
from gitops_core.diff.normalize import apply_scheme_defaults

__all__ = ["structured_merge_diff", "wants_structured_merge"]

_LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
_SYNC_OPTIONS = "argocd.argoproj.io/sync-options"


def wants_structured_merge(desired: dict[str, Any]) -> bool:
    """True when desired carries the sync option ``ServerSideApply=true`` (comma-separated list)."""
    metadata = desired.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    value = annotations.get(_SYNC_OPTIONS) if isinstance(annotations, dict) else None
    if not isinstance(value, str):
        return False
    return any(token.strip() == "ServerSideApply=true" for token in value.split(","))


def _without_last_applied(obj: dict[str, Any]) -> dict[str, Any]:
    metadata = obj.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    if not isinstance(annotations, dict) or _LAST_APPLIED not in annotations:
        return obj
    assert isinstance(metadata, dict)
    kept = {key: value for key, value in annotations.items() if key != _LAST_APPLIED}
    return {**obj, "metadata": {**metadata, "annotations": kept}}


def structured_merge_diff(
    desired: dict[str, Any], live: dict[str, Any], options: DiffOptions
) -> DiffResult:
    """Compare live with the local server-side apply of desired by ``options.manager``."""
    group, version = split_api_version(desired)
    kind = desired.get("kind")
    node = root_node(group, version, kind) if isinstance(kind, str) else None
    applied: set[_Path] = set()
    _field_set(desired, node, (), applied)
    previous: set[_Path] = set()
    others: set[_Path] = set()
    metadata = live.get("metadata")
    entries = metadata.get("managedFields") if isinstance(metadata, dict) else None
    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, dict):
            continue
        fields = fields_from_managed(entry.get("fieldsV1"))
        if entry.get("manager") == options.manager and entry.get("operation") == "Apply":
            previous |= fields
        else:
            others |= fields
    merged = _merge(live, desired, node)
    stale = _exclude_owned_ancestors(previous - applied - others, applied | others)
    if stale:
        merged = _remove_items(merged, _trie(stale), node)
    if json_equal(merged, live):
        return DiffResult(False, live, live, (), "structured-merge")
    predicted = apply_scheme_defaults(_without_last_applied(merged))
    live_out = apply_scheme_defaults(_without_last_applied(live))
    modified = not json_equal(predicted, live_out)
    changes: tuple[Change, ...] = ()
    if modified:
        changes = explain(predicted, live_out, original=None, desired=desired)
    return DiffResult(modified, predicted, live_out, changes, "structured-merge")
