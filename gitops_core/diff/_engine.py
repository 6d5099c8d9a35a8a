"""The diff entry point: Argo CD's ``diff.Diff`` for one (desired, live) pair.

Pipeline (spec/diff.md sections 2-8):

1. :func:`_prepare` — pre-diff normalisers on desired and live (the comparison layer adds
   resource tracking and managedFields handling here);
2. remarshal (desired, live) then built-in normalisation and the configured normaliser
   (:func:`_normalize`) on every side;
3. nil handling (create / prune candidate);
4. server-side diff when a dry-run result is given, structured-merge diff when asked, else
   the legacy diff: three-way from the last-applied annotation, two-way when it is missing,
   invalid, or the three-way patch fails;
5. fast path: an empty patch means "not modified" without applying anything; only modified
   pairs get their changes explained.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from gitops_core.diff._explain import explain
from gitops_core.diff._json import json_equal
from gitops_core.diff._jsonmerge import JsonMergeConflict
from gitops_core.diff._options import DiffOptions
from gitops_core.diff._remarshal import remarshal_object
from gitops_core.diff._result import Change, DiffResult, Lazy
from gitops_core.diff._smp import SmpError
from gitops_core.diff._structured import structured_merge_diff, wants_structured_merge
from gitops_core.diff._threeway import in_sync, patch_inputs, run_three_way
from gitops_core.diff.normalize import apply_scheme_defaults, normalize_object
from gitops_core.errors import DiffError, UsageError

__all__ = ["LAST_APPLIED_ANNOTATION", "diff", "last_applied"]

#: The annotation ``kubectl apply`` (and Argo CD's client-side apply) writes.
LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration"

_DEFAULT_OPTIONS = DiffOptions()


def diff(
    desired: dict[str, Any] | None,
    live: dict[str, Any] | None,
    options: DiffOptions = _DEFAULT_OPTIONS,
    *,
    dry_run_result: dict[str, Any] | None = None,
) -> DiffResult:
    """Compare one desired object with its live object the way Argo CD does.

    ``desired=None`` is a prune candidate (not modified: the sync status decides), ``live=None``
    is a resource to create (modified). ``dry_run_result`` is the output of a server-side-apply
    dry run (``kubectl apply --server-side --dry-run=server -o yaml``); when given, the
    server-side diff runs instead of the client-side one.

    The returned objects must be treated as read-only (they may share parts with the inputs);
    the inputs are never modified.

    Raises:
        UsageError: both sides are ``None``, or a side is not a mapping.
        DiffError: Argo CD would report a comparison error (both the three-way and the two-way
            patch fail, or a server-side dry-run result lacks our managed fields).

    >>> d = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"k": "v"}}
    >>> diff(d, {**d, "metadata": {"name": "a", "uid": "1"}}).modified
    False
    """
    if desired is None and live is None:
        raise UsageError("diff() needs a desired or a live object (both are None)")
    for side, value in (("desired", desired), ("live", live), ("dry_run_result", dry_run_result)):
        if value is not None and not isinstance(value, dict):
            raise UsageError(f"diff(): {side} must be a mapping, not {type(value).__name__}")
    desired, live = _prepare(desired, live, options)
    full = dry_run_result is None
    # remarshal_object is normalize.remarshal without the wrapper (this runs on every pair)
    if desired is not None:
        desired = _normalize(remarshal_object(desired), options, full=full)
    if live is not None:
        live = _normalize(remarshal_object(live), options, full=full)
    if desired is None:
        return DiffResult(False, None, live, strategy="delete")
    if live is None:
        change = Change(
            "", None, desired, "missing from live (to be created)", before_present=False
        )
        return DiffResult(True, desired, None, (change,), strategy="create")
    if dry_run_result is not None:
        from gitops_core.diff._serverside import server_side_diff

        return server_side_diff(desired, live, dry_run_result, options)
    if options.structured_merge or wants_structured_merge(desired):
        return structured_merge_diff(desired, live, options)
    return _legacy(desired, live, options)


def _prepare(
    desired: dict[str, Any] | None, live: dict[str, Any] | None, options: DiffOptions
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Pre-diff normalisers (Argo CD ``preDiffNormalize``) applied before remarshal.

    Resource-tracking marks and normalisation, then ``managedFieldsManagers`` handling
    (:mod:`gitops_core.diff._comparison`). Must not mutate its arguments.
    """
    return options.comparison.prepare(desired, live)


def _configured(obj: dict[str, Any], options: DiffOptions) -> dict[str, Any]:
    """The configured normaliser (Argo CD: ignore rules, then known types) of one side.

    Runs on desired, live and the last-applied original, after the built-in normalisation.
    Wired to ``ignore_differences``/``resource_overrides`` and known types
    (:mod:`gitops_core.diff._comparison`).
    """
    return options.comparison.configure(obj)


def _normalize(obj: dict[str, Any], options: DiffOptions, *, full: bool = True) -> dict[str, Any]:
    """Argo CD's ``Normalize``: built-in normalisation, then (unless skipped) the configured one."""
    obj = normalize_object(obj, ignore_aggregated_roles=options.ignore_aggregated_roles)
    # the configured normaliser, called directly (see :func:`_configured`)
    return options.comparison.configure(obj) if full else obj


def last_applied(live: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    """The parsed last-applied configuration of ``live`` and a warning when it is unusable.

    Returns ``(None, None)`` when the annotation is absent and ``(None, warning)`` when it is
    not a JSON object with a ``kind`` (Argo CD logs it and runs a two-way diff).
    """
    metadata = live.get("metadata")
    if not isinstance(metadata, dict):
        return None, None
    annotations = metadata.get("annotations")
    if not isinstance(annotations, dict):
        return None, None
    text = annotations.get(LAST_APPLIED_ANNOTATION)
    if not isinstance(text, str):
        return None, None
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):
        return None, "the last-applied-configuration annotation is not valid JSON; two-way diff"
    if not isinstance(parsed, dict):
        return None, "the last-applied-configuration annotation is not a JSON object; two-way diff"
    kind = parsed.get("kind")
    if not isinstance(kind, str) or not kind:
        return None, "the last-applied-configuration annotation has no kind; two-way diff"
    return parsed, None


def _legacy(desired: dict[str, Any], live: dict[str, Any], options: DiffOptions) -> DiffResult:
    warnings: list[str] = []
    original, warning = last_applied(live)
    if warning:
        warnings.append(warning)
    if original is not None:
        original = _normalize(original, options)
        result = _run(original, desired, live, two_way=False, warnings=warnings)
        if result is not None:
            return result
    result = _run(desired, desired, live, two_way=True, warnings=warnings)
    if result is None:
        raise DiffError(
            _kind_name(desired),
            "the strategic merge patch between desired and live failed (Argo CD reports a "
            "comparison error); check list items for missing merge keys or mixed types",
        )
    return result


def _kind_name(obj: dict[str, Any]) -> str:
    metadata = obj.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    return f"{obj.get('kind')}/{name}"


def _run(
    original: dict[str, Any],
    desired: dict[str, Any],
    live: dict[str, Any],
    *,
    two_way: bool,
    warnings: list[str],
) -> DiffResult | None:
    inputs = patch_inputs(original, desired, live)
    flavour = ("two-way" if two_way else "three-way") + ("" if inputs.registered else "-json-merge")
    try:
        if in_sync(inputs, two_way=two_way):
            # an empty patch leaves live as it is: predicted == live, defaults computed on use
            outputs: Any = Lazy(partial(apply_scheme_defaults, live)) if inputs.registered else live
            return DiffResult(False, outputs, outputs, (), flavour, tuple(warnings))
        outcome = run_three_way(inputs, live)
    except (SmpError, JsonMergeConflict):
        # Argo CD logs the failure: a three-way diff falls back to two-way, a two-way one is
        # a comparison error (the caller raises).
        if not two_way:
            warnings.append("the three-way patch failed; fell back to a two-way diff")
        return None
    modified = not json_equal(outcome.predicted, outcome.live)
    changes: tuple[Change, ...] = ()
    if modified:
        changes = explain(
            outcome.predicted,
            outcome.live,
            original=None if two_way else inputs.original,
            desired=inputs.desired,
        )
    return DiffResult(modified, outcome.predicted, outcome.live, changes, flavour, tuple(warnings))
