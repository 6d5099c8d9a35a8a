"""Built-in check of the ``apiregistration.k8s.io`` group: APIService (``v1``, ``v1beta1``).

gitops-engine ``health_apiservice.go``.
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

__all__ = ["apiservice_health"]

_WAITING = HealthResult(HealthStatus.PROGRESSING, "Waiting to be processed")


def apiservice_health(obj: Mapping[str, Any], version: str) -> HealthResult:
    """Health of an APIService: the first ``Available`` condition decides (spec (b))."""
    if version not in ("v1", "v1beta1"):
        raise GoError(
            f"unsupported APIService GVK: apiregistration.k8s.io/{version}, Kind=APIService"
        )
    try:
        object_meta(obj)
        to_struct(obj.get("spec"))
        status = to_struct(obj.get("status"))
        conditions = []
        for item in to_slice(status.get("conditions")):
            condition = to_struct(item)
            conditions.append(
                (
                    to_str(condition.get("type"), f"{version}.APIServiceConditionType"),
                    to_str(condition.get("status"), f"{version}.ConditionStatus"),
                    to_str(condition.get("reason")),
                    to_str(condition.get("message")),
                )
            )
    except GoError as error:
        raise GoError(f"failed to convert unstructured APIService to typed: {error}") from None
    for condition_type, condition_status, reason, message in conditions:
        if condition_type == "Available":
            if condition_status == "True":
                return HealthResult(HealthStatus.HEALTHY, f"{reason}: {message}")
            return HealthResult(HealthStatus.PROGRESSING, f"{reason}: {message}")
    return _WAITING
