"""Argo CD's built-in health checks (gitops-engine ``pkg/health``), one module per API group.

Dispatch is by group first, then kind (:data:`BUILTIN_CHECKS`); the version only matters inside
each check. A check is ``(obj, version) -> HealthResult`` and raises :class:`GoError` (its text
is Argo CD's error text) when the Go check would return an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from gitops_core.health._status import HealthResult
from gitops_core.health.builtin._typed import GoError
from gitops_core.health.builtin.apiregistration import apiservice_health
from gitops_core.health.builtin.apps import (
    daemonset_health,
    deployment_health,
    replicaset_health,
    statefulset_health,
)
from gitops_core.health.builtin.argo import workflow_health
from gitops_core.health.builtin.autoscaling import hpa_health
from gitops_core.health.builtin.batch import job_health
from gitops_core.health.builtin.core import pod_health, pvc_health, service_health
from gitops_core.health.builtin.networking import ingress_health

__all__ = ["BUILTIN_CHECKS", "BuiltinCheck", "GoError", "builtin_check", "has_builtin_check"]

BuiltinCheck = Callable[[Mapping[str, Any], str], HealthResult]
"""A built-in check: ``(object, version) -> HealthResult``; raises :class:`GoError`."""

BUILTIN_CHECKS: Mapping[str, Mapping[str, BuiltinCheck]] = {
    "apps": {
        "Deployment": deployment_health,
        "StatefulSet": statefulset_health,
        "ReplicaSet": replicaset_health,
        "DaemonSet": daemonset_health,
    },
    # extensions/* Deployment, DaemonSet and ReplicaSet get no health in Argo CD
    "extensions": {"Ingress": ingress_health},
    "networking.k8s.io": {"Ingress": ingress_health},
    "argoproj.io": {"Workflow": workflow_health},
    "apiregistration.k8s.io": {"APIService": apiservice_health},
    "": {
        "Service": service_health,
        "PersistentVolumeClaim": pvc_health,
        "Pod": pod_health,
    },
    "batch": {"Job": job_health},
    "autoscaling": {"HorizontalPodAutoscaler": hpa_health},
}
"""group -> kind -> check (gitops-engine ``GetHealthCheckFunc``)."""


def builtin_check(group: str, kind: str) -> BuiltinCheck | None:
    """The built-in check for ``group``/``kind``, or ``None`` when Argo CD has none."""
    kinds = BUILTIN_CHECKS.get(group)
    return kinds.get(kind) if kinds is not None else None


def has_builtin_check(group: str, kind: str) -> bool:
    """True when Argo CD has a built-in Go check for ``group``/``kind``."""
    return builtin_check(group, kind) is not None
