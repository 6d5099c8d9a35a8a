"""Opt-in generic health for custom resources that have no specific check (kstatus-style).

Argo CD gives a custom resource without a Lua script no health at all. With
``HealthRegistry(generic_conditions=True)`` (or ``gitops-core health --generic-conditions``) such a
resource is judged by the conventions most controllers follow, in the spirit of kstatus:
``Ready``/``Available``/``Reconciling``/``Stalled`` conditions, ``status.observedGeneration``
against ``metadata.generation``, and common ``status.phase`` words. When none of them says
anything the result is ``None`` (still "no health"). The exact rules are in ``docs/crd-health.md``.

>>> generic_conditions_health({
...     "apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"generation": 2},
...     "status": {"observedGeneration": 2, "conditions": [{"type": "Ready", "status": "True"}]},
... })
HealthResult(status=<HealthStatus.HEALTHY: 'Healthy'>, message='Ready')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gitops_core.health._status import HealthResult, HealthStatus

__all__ = ["BUILTIN_API_GROUPS", "generic_conditions_health"]

# Groups served by Kubernetes itself (not custom resources); the generic rule never judges them.
BUILTIN_API_GROUPS = frozenset(
    {
        "",
        "admissionregistration.k8s.io",
        "apiextensions.k8s.io",
        "apiregistration.k8s.io",
        "apps",
        "authentication.k8s.io",
        "authorization.k8s.io",
        "autoscaling",
        "batch",
        "certificates.k8s.io",
        "coordination.k8s.io",
        "discovery.k8s.io",
        "events.k8s.io",
        "extensions",
        "flowcontrol.apiserver.k8s.io",
        "internal.apiserver.k8s.io",
        "metrics.k8s.io",
        "networking.k8s.io",
        "node.k8s.io",
        "policy",
        "rbac.authorization.k8s.io",
        "resource.k8s.io",
        "scheduling.k8s.io",
        "storage.k8s.io",
        "storagemigration.k8s.io",
    }
)

# Custom resources that have a built-in Python check in Argo CD (gitops-engine): left to it.
_BUILTIN_CHECKED = frozenset({("argoproj.io", "Workflow")})

# Reasons of a Ready=False condition that mean "still working on it", not "failed".
_IN_PROGRESS_REASONS = frozenset(
    {
        "creating",
        "deploying",
        "initializing",
        "inprogress",
        "pending",
        "progressing",
        "provisioning",
        "reconciling",
        "starting",
        "updating",
        "upgrading",
        "waiting",
    }
)

# status.phase words (compared case-insensitively) and what they mean.
_PHASES: dict[str, HealthStatus] = {
    **dict.fromkeys(
        (
            "active",
            "available",
            "bound",
            "complete",
            "completed",
            "deployed",
            "established",
            "healthy",
            "online",
            "provisioned",
            "ready",
            "running",
            "succeeded",
            "success",
            "synced",
        ),
        HealthStatus.HEALTHY,
    ),
    **dict.fromkeys(
        (
            "creating",
            "deleting",
            "deploying",
            "initializing",
            "inprogress",
            "pending",
            "progressing",
            "provisioning",
            "reconciling",
            "scaling",
            "starting",
            "terminating",
            "updating",
            "upgrading",
            "waiting",
        ),
        HealthStatus.PROGRESSING,
    ),
    **dict.fromkeys(
        (
            "crashloopbackoff",
            "degraded",
            "error",
            "errored",
            "failed",
            "failure",
            "invalid",
            "rejected",
            "unhealthy",
        ),
        HealthStatus.DEGRADED,
    ),
    **dict.fromkeys(("hibernated", "paused", "stopped", "suspended"), HealthStatus.SUSPENDED),
}


def _group_of(obj: Mapping[str, Any]) -> str:
    api_version = obj.get("apiVersion")
    if not isinstance(api_version, str) or "/" not in api_version:
        return ""
    return api_version.rsplit("/", 1)[0]


def _int(value: Any) -> int | None:
    # JSON numbers only: bool is an int in Python but not a number in JSON.
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _describe(condition: Mapping[str, Any]) -> str:
    """``<Type>: <message>``, or ``<Type> is <status> (<reason>)`` when there is no message."""
    kind = _text(condition.get("type"))
    message = _text(condition.get("message")).strip()
    if message:
        return f"{kind}: {message}"
    reason = _text(condition.get("reason"))
    described = f"{kind} is {_text(condition.get('status')) or 'unset'}"
    return f"{described} ({reason})" if reason else described


def generic_conditions_health(obj: Mapping[str, Any]) -> HealthResult | None:
    """Judge a custom resource by common status conventions; ``None`` when they say nothing.

    Rules, first match wins (each detailed in ``docs/crd-health.md``):

    1. Kubernetes' own groups, ``argoproj.io/Workflow`` and objects that are not mappings: ``None``.
    2. ``spec.suspend`` or ``spec.paused`` is ``true``: Suspended.
    3. No ``status`` (or not a mapping): ``None``.
    4. ``status.observedGeneration`` lower than ``metadata.generation``: Progressing.
    5. ``Stalled=True``: Degraded. 6. ``Reconciling=True``: Progressing.
    7. ``Ready``: ``False`` is Degraded (Progressing when its reason says it is still working),
       ``Unknown`` is Progressing, ``True`` is Healthy unless the condition's own
       ``observedGeneration`` is older than the generation (Progressing).
    8. ``Available``: ``False`` is Progressing, ``True`` is Healthy.
    9. ``status.phase``, case-insensitive, from a fixed word list.
    10. Otherwise ``None``.
    """
    if not isinstance(obj, Mapping):
        return None
    group = _group_of(obj)
    kind = _text(obj.get("kind"))
    if group in BUILTIN_API_GROUPS or (group, kind) in _BUILTIN_CHECKED:
        return None

    spec = obj.get("spec")
    if isinstance(spec, Mapping):
        if spec.get("suspend") is True:
            return HealthResult(HealthStatus.SUSPENDED, f"{kind or 'Resource'} is suspended")
        if spec.get("paused") is True:
            return HealthResult(HealthStatus.SUSPENDED, f"{kind or 'Resource'} is paused")

    status = obj.get("status")
    if not isinstance(status, Mapping):
        return None

    metadata = obj.get("metadata")
    generation = _int(metadata.get("generation")) if isinstance(metadata, Mapping) else None
    observed = _int(status.get("observedGeneration"))
    if generation is not None and observed is not None and observed < generation:
        return HealthResult(
            HealthStatus.PROGRESSING,
            f"Waiting for the controller to observe generation {generation} (observed {observed})",
        )

    conditions: dict[str, Mapping[str, Any]] = {}
    raw_conditions = status.get("conditions")
    if isinstance(raw_conditions, list):
        for condition in raw_conditions:
            if isinstance(condition, Mapping) and isinstance(condition.get("type"), str):
                conditions.setdefault(condition["type"], condition)

    stalled = conditions.get("Stalled")
    if stalled is not None and stalled.get("status") == "True":
        return HealthResult(HealthStatus.DEGRADED, _describe(stalled))
    reconciling = conditions.get("Reconciling")
    if reconciling is not None and reconciling.get("status") == "True":
        return HealthResult(HealthStatus.PROGRESSING, _describe(reconciling))

    ready = conditions.get("Ready")
    if ready is not None:
        verdict = _ready_verdict(ready, generation)
        if verdict is not None:
            return verdict

    available = conditions.get("Available")
    if available is not None:
        if available.get("status") == "False":
            return HealthResult(HealthStatus.PROGRESSING, _describe(available))
        if available.get("status") == "True":
            return HealthResult(
                HealthStatus.HEALTHY, _text(available.get("message")).strip() or "Available"
            )

    phase = status.get("phase")
    if isinstance(phase, str) and phase:
        verdict_status = _PHASES.get(phase.replace(" ", "").replace("_", "").lower())
        if verdict_status is not None:
            message = _text(status.get("message")).strip()
            return HealthResult(
                verdict_status, f"Phase {phase}: {message}" if message else f"Phase {phase}"
            )
    return None


def _ready_verdict(ready: Mapping[str, Any], generation: int | None) -> HealthResult | None:
    state = ready.get("status")
    if state == "False":
        reason = _text(ready.get("reason")).replace(" ", "").lower()
        if reason in _IN_PROGRESS_REASONS:
            return HealthResult(HealthStatus.PROGRESSING, _describe(ready))
        return HealthResult(HealthStatus.DEGRADED, _describe(ready))
    if state == "Unknown":
        return HealthResult(HealthStatus.PROGRESSING, _describe(ready))
    if state == "True":
        observed = _int(ready.get("observedGeneration"))
        if generation is not None and observed is not None and observed < generation:
            return HealthResult(
                HealthStatus.PROGRESSING,
                f"Waiting for the Ready condition to reflect generation {generation}"
                f" (observed {observed})",
            )
        return HealthResult(HealthStatus.HEALTHY, _text(ready.get("message")).strip() or "Ready")
    return None
