"""Built-in check of Ingress (``networking.k8s.io`` and ``extensions``, any version).

gitops-engine ``health_ingress.go`` reads the unstructured object: no typed conversion.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gitops_core.health._status import HealthResult, HealthStatus

__all__ = ["ingress_health"]

_HEALTHY = HealthResult(HealthStatus.HEALTHY)
_PROGRESSING = HealthResult(HealthStatus.PROGRESSING)


def ingress_health(obj: Mapping[str, Any], version: str) -> HealthResult:
    """Healthy when ``status.loadBalancer.ingress`` is a non-empty list, else Progressing."""
    # unstructured.NestedSlice: a missing path or a value that is not a list reads as nothing
    status = obj.get("status")
    if isinstance(status, Mapping):
        load_balancer = status.get("loadBalancer")
        if isinstance(load_balancer, Mapping):
            ingress = load_balancer.get("ingress")
            if isinstance(ingress, (list, tuple)) and ingress:
                return _HEALTHY
    return _PROGRESSING
