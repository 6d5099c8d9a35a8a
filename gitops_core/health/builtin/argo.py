"""Built-in check of the ``argoproj.io`` group: Workflow only (any version).

gitops-engine ``health_argo.go`` converts into an agnostic struct holding only
``status.phase`` and ``status.message``; a conversion error is returned as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gitops_core.health._status import HealthResult, HealthStatus
from gitops_core.health.builtin._typed import to_str, to_struct

__all__ = ["workflow_health"]

_BY_PHASE = {
    "": HealthStatus.PROGRESSING,
    "Pending": HealthStatus.PROGRESSING,
    "Running": HealthStatus.PROGRESSING,
    "Succeeded": HealthStatus.HEALTHY,
    "Failed": HealthStatus.DEGRADED,
    "Error": HealthStatus.DEGRADED,
}


def workflow_health(obj: Mapping[str, Any], version: str) -> HealthResult:
    """Health of an Argo Workflow from ``status.phase``, message ``status.message``."""
    status = to_struct(obj.get("status"))
    phase = to_str(status.get("phase"), "health.nodePhase")
    message = to_str(status.get("message"))
    return HealthResult(_BY_PHASE.get(phase, HealthStatus.UNKNOWN), message)
