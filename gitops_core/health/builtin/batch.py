"""Built-in check of the ``batch`` group: Job (``batch/v1``; CronJob is a Lua check).

gitops-engine ``health_job.go``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gitops_core.health._status import HealthResult, HealthStatus
from gitops_core.health.builtin._typed import (
    GoError,
    object_meta,
    to_slice,
    to_str,
    to_struct,
)

__all__ = ["job_health"]


def job_health(obj: Mapping[str, Any], version: str) -> HealthResult:
    """Health of a ``batch/v1`` Job (spec (b) Job): only ``status.conditions`` are read."""
    if version != "v1":
        raise GoError(f"unsupported Job GVK: batch/{version}, Kind=Job")
    try:
        object_meta(obj)
        to_struct(obj.get("spec"))
        status = to_struct(obj.get("status"))
        conditions = []
        for item in to_slice(status.get("conditions")):
            condition = to_struct(item)
            conditions.append(
                (
                    to_str(condition.get("type"), "v1.JobConditionType"),
                    to_str(condition.get("status"), "v1.ConditionStatus"),
                    to_str(condition.get("message")),
                )
            )
    except GoError as error:
        raise GoError(f"failed to convert unstructured Job to typed: {error}") from None
    failed = complete = suspended = False
    fail_message = message = ""
    for condition_type, condition_status, condition_message in conditions:
        # The condition's status is not read for Failed and Complete (Argo CD's behaviour).
        if condition_type == "Failed":
            failed = complete = True
            fail_message = condition_message
        elif condition_type == "Complete":
            complete = True
            message = condition_message
        elif condition_type == "Suspended":
            complete = True
            message = condition_message
            if condition_status == "True":
                suspended = True
    if not complete:
        return HealthResult(HealthStatus.PROGRESSING, message)
    if failed:
        return HealthResult(HealthStatus.DEGRADED, fail_message)
    if suspended:
        return HealthResult(HealthStatus.SUSPENDED, message)
    return HealthResult(HealthStatus.HEALTHY, message)
