"""Assertion helpers for policy tests, with failure messages that say what is wrong and where.

They work with or without pytest (they raise ``AssertionError``); the pytest plugin
:mod:`gitops_core.policy.pytest_plugin` adds fixtures that load manifests and snapshots.

>>> from gitops_core.manifests import parse_manifests
>>> from gitops_core.policy import PolicyContext
>>> app = PolicyContext(parse_manifests("apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: a}\\n"))
>>> assert_no_findings(app)
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from gitops_core.errors import UsageError
from gitops_core.policy._api import (
    Finding,
    PolicyContext,
    PolicyReport,
    Severity,
    run_policies,
)
from gitops_core.resource import ResourceKey

__all__ = [
    "assert_applied_before",
    "assert_healthy",
    "assert_in_sync",
    "assert_no_findings",
    "find_tasks",
    "matches_key",
]

_MAX_LINES = 20


def _limit(lines: list[str]) -> list[str]:
    if len(lines) <= _MAX_LINES:
        return lines
    return [*lines[:_MAX_LINES], f"... and {len(lines) - _MAX_LINES} more"]


def matches_key(key: ResourceKey, wanted: ResourceKey | str) -> bool:
    """Whether ``key`` is ``wanted``: a key, ``group/kind/namespace/name``, ``Kind/name``,
    ``Kind/namespace/name`` or a bare ``name``; a name ending in ``*`` matches a prefix (hooks
    with ``generateName``).

    >>> k = ResourceKey("batch", "Job", "shop", "migrate-x1")
    >>> [matches_key(k, w) for w in ("Job/migrate-x1", "Job/shop/migrate-*", "migrate-*", "Pod/migrate-x1")]
    [True, True, True, False]
    >>> matches_key(k, "batch/Job/shop/migrate-x1")
    True
    """
    if isinstance(wanted, ResourceKey):
        return key == wanted
    if not isinstance(wanted, str):
        raise UsageError(f"a resource is a ResourceKey or a string, not {type(wanted).__name__}")
    parts = wanted.split("/")
    if len(parts) > 4:
        raise UsageError(f"not a resource: {wanted!r}")
    name = parts[-1]
    if name.endswith("*"):
        name_matches = key.name.startswith(name[:-1])
    else:
        name_matches = key.name == name
    if not name_matches:
        return False
    if len(parts) == 4:
        return (key.group, key.kind, key.namespace) == tuple(parts[:3])
    if len(parts) == 3:
        return (key.kind, key.namespace) == tuple(parts[:2])
    if len(parts) == 2:
        return key.kind == parts[0]
    return True


def assert_in_sync(app: Any, *resources: ResourceKey | str) -> None:
    """Assert the application (or only ``resources``) would be Synced against the live snapshot.

    ``app`` is a :class:`PolicyContext` with a live snapshot or a
    :class:`~gitops_core.diff.Comparison`. The failure lists every OutOfSync resource with the
    paths that differ and why (values are not printed: they may be secret).
    """
    comparison = app.comparison if isinstance(app, PolicyContext) else app
    if comparison is None:
        raise UsageError("assert_in_sync needs a live snapshot (PolicyContext(live=...))")
    records = [
        r
        for r in comparison.resources
        if not resources or any(matches_key(r.key, w) for w in resources)
    ]
    if resources:
        for wanted in resources:
            if not any(matches_key(r.key, wanted) for r in records):
                raise AssertionError(f"no resource {wanted} in the comparison")
    bad = [r for r in records if r.status not in (None, "Synced")]
    if not bad:
        return
    lines = [f"{len(bad)} resource(s) not in sync:"]
    for record in bad:
        what = (
            "missing from live"
            if record.live is None
            else "prune candidate"
            if record.desired is None
            else ""
        )
        lines.append(f"  {record.key}: {record.status}" + (f" ({what})" if what else ""))
        changes = record.diff.changes if record.diff is not None else ()
        for change in changes[:_MAX_LINES]:
            lines.append(f"      {change.path or '/'}: {change.reason}")
        if record.error:
            lines.append(f"      error: {record.error}")
    raise AssertionError("\n".join(_limit(lines)))


def assert_healthy(app: Any, *resources: ResourceKey | str) -> None:
    """Assert the application (or only ``resources``) is Healthy in the live snapshot.

    ``app`` is a :class:`PolicyContext` with a live snapshot or an
    :class:`~gitops_core.health.AppHealth`. The failure lists the resources that are not
    Healthy with their status and message.
    """
    health = app.health if isinstance(app, PolicyContext) else app
    if health is None:
        raise UsageError("assert_healthy needs a live snapshot (PolicyContext(live=...))")
    if not resources and str(health.status) == "Healthy":
        return
    records = [
        r
        for r in health.resources
        if not resources or any(matches_key(r.key, w) for w in resources)
    ]
    for wanted in resources:
        if not any(matches_key(r.key, wanted) for r in records):
            raise AssertionError(f"no resource {wanted} in the health results")
    bad = [
        r
        for r in records
        if r.health is not None
        and r.health.status is not None
        and str(r.health.status) != "Healthy"
    ]
    if not bad and (resources or str(health.status) == "Healthy"):
        return
    lines = [
        f"application health is {health.status}" + (f": {health.message}" if health.message else "")
    ]
    for record in bad:
        assert record.health is not None
        message = f": {record.health.message}" if record.health.message else ""
        lines.append(f"  {record.key}: {record.health.status}{message}")
    raise AssertionError("\n".join(_limit(lines)))


def assert_no_findings(
    app: PolicyContext | PolicyReport | Iterable[Finding],
    *,
    select: Collection[str] | None = None,
    disable: Collection[str] = (),
    severity: Severity | str = Severity.WARNING,
) -> None:
    """Assert no policy finding at or above ``severity`` (default: warnings and errors).

    ``app`` is a :class:`PolicyContext` (the checks run, filtered by ``select``/``disable``),
    a :class:`PolicyReport` or findings. The failure lists each finding with file and line.
    """
    if isinstance(app, PolicyContext):
        findings: Iterable[Finding] = run_policies(app, select=select, disable=disable)
    else:
        findings = app
    threshold = Severity.parse(severity).rank
    bad = [f for f in findings if f.severity is None or f.severity.rank >= threshold]
    if not bad:
        return
    lines = [f"{len(bad)} policy finding(s):", *(f"  {f}" for f in bad)]
    raise AssertionError("\n".join(_limit(lines)))


def find_tasks(plan: Any, resource: ResourceKey | str) -> list[Any]:
    """The tasks of ``plan`` (a :class:`~gitops_core.sync.SyncPlan`) for ``resource``."""
    return [task for task in plan.tasks if matches_key(task.key, resource)]


def _task_text(index: int, task: Any) -> str:
    return f"#{index} {task.phase} wave {task.wave} {task.action} {task.key}"


def assert_applied_before(app: Any, first: ResourceKey | str, then: ResourceKey | str) -> None:
    """Assert the sync applies ``first`` before ``then`` (an earlier task in the plan).

    ``app`` is a :class:`PolicyContext` (its plan) or a :class:`~gitops_core.sync.SyncPlan`.
    The first task of each is compared. Within one phase and wave the engine applies batches of
    consecutive tasks of the same kind in parallel, so two objects of one kind in the same step
    are not "before" each other. The failure shows both tasks with phase and wave.
    """
    plan = app.plan if isinstance(app, PolicyContext) else app
    positions: list[tuple[int, Any]] = []
    for wanted in (first, then):
        found = [(i, t) for i, t in enumerate(plan.tasks) if matches_key(t.key, wanted)]
        if not found:
            names = ", ".join(str(t.key) for t in plan.tasks[:_MAX_LINES])
            raise AssertionError(f"no task for {wanted} in the sync plan (tasks: {names})")
        positions.append(found[0])
    (index_a, task_a), (index_b, task_b) = positions
    parallel = (task_a.phase, task_a.wave, task_a.key.kind) == (
        task_b.phase,
        task_b.wave,
        task_b.key.kind,
    )
    if index_a < index_b and not parallel:
        return
    if parallel:
        reason = "both are applied in parallel (same phase, wave and kind)"
    else:
        reason = f"{then} comes first"
    raise AssertionError(
        f"expected {first} to be applied before {then}, but {reason}:\n"
        f"  {_task_text(index_a, task_a)}\n  {_task_text(index_b, task_b)}"
    )
