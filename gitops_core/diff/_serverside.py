"""Server-side diff from a server-side-apply dry-run result (spec/diff.md section 8)."""

from __future__ import annotations

from typing import Any

from gitops_core.diff._explain import explain
from gitops_core.diff._json import json_equal
from gitops_core.diff._options import DiffOptions
from gitops_core.diff._result import Change, DiffResult
from gitops_core.diff.normalize import normalize_object, remarshal

__all__ = ["server_side_diff"]

_LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


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
    """Compare live with the dry-run result taken as the predicted live."""
    predicted = normalize_object(
        remarshal(dry_run), ignore_aggregated_roles=options.ignore_aggregated_roles
    )
    predicted = _strip_server_fields(predicted)
    live_out = _strip_server_fields(live)
    modified = not json_equal(predicted, live_out)
    changes: tuple[Change, ...] = ()
    if modified:
        changes = explain(predicted, live_out, original=None, desired=desired)
    return DiffResult(modified, predicted, live_out, changes, "server-side")
