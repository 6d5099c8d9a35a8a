"""Built-in check of the ``autoscaling`` group: HorizontalPodAutoscaler (``v1`` and ``v2``).

gitops-engine ``health_hpa.go``: v2 reads ``status.conditions``; v1 reads the JSON list in the
annotation ``autoscaling.alpha.kubernetes.io/conditions`` (decoded like Go's ``encoding/json``:
keys match case-insensitively, errors keep Go's wording).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from gitops_core.health._status import HealthResult, HealthStatus
from gitops_core.health.builtin._gojson import go_json_syntax_error
from gitops_core.health.builtin._typed import (
    GoError,
    object_meta,
    to_slice,
    to_str,
    to_struct,
)

__all__ = ["ANNOTATION_HPA_CONDITIONS", "hpa_health"]

ANNOTATION_HPA_CONDITIONS = "autoscaling.alpha.kubernetes.io/conditions"

_WAITING = HealthResult(HealthStatus.PROGRESSING, "Waiting to Autoscale")

_DEGRADED_PAIRS = frozenset(
    {
        ("AbleToScale", "FailedGetScale"),
        ("AbleToScale", "FailedUpdateScale"),
        ("ScalingActive", "FailedGetResourceMetric"),
        ("ScalingActive", "FailedGetObjectMetric"),
        ("ScalingActive", "FailedGetPodsMetric"),
        ("ScalingActive", "FailedGetExternalMetric"),
        ("ScalingActive", "FailedComputeMetricsReplicas"),
        ("ScalingActive", "InvalidSelector"),
    }
)
_HEALTHY_TYPES = frozenset({"AbleToScale", "ScalingLimited"})

# (type, reason, message, status)
_Condition = tuple[str, str, str, str]


def _check_conditions(conditions: list[_Condition]) -> HealthResult:
    for condition_type, reason, message, _ in conditions:
        if (condition_type, reason) in _DEGRADED_PAIRS:
            return HealthResult(HealthStatus.DEGRADED, message)
    for condition_type, _, message, status in conditions:
        if condition_type in _HEALTHY_TYPES and status == "True":
            return HealthResult(HealthStatus.HEALTHY, message)
    return _WAITING


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


_FIELDS = {"type": 0, "reason": 1, "message": 2, "status": 3}
_FIELD_NAMES = ("Type", "Reason", "Message", "Status")


def _annotation_conditions(text: str) -> list[_Condition] | None:
    """Decode the v1 annotation as ``[]hpaCondition``; ``None`` for JSON ``null``."""
    syntax = go_json_syntax_error(text)
    if syntax is not None:
        raise GoError(f"failed to convert conditions annotation to typed: {syntax}")
    value = json.loads(text)
    first_error: str | None = None
    conditions: list[_Condition] = []
    if value is None:
        return None
    if not isinstance(value, list):
        first_error = (
            f"json: cannot unmarshal {_json_kind(value)} into Go value of type "
            "[]health.hpaCondition"
        )
    else:
        for item in value:
            fields = ["", "", "", ""]
            if isinstance(item, dict):
                for key, field_value in item.items():
                    index = _FIELDS.get(key.lower())
                    if index is None or field_value is None:
                        continue
                    if isinstance(field_value, str):
                        fields[index] = field_value
                    elif first_error is None:
                        first_error = (
                            f"json: cannot unmarshal {_json_kind(field_value)} into Go struct "
                            f"field hpaCondition.{_FIELD_NAMES[index]} of type string"
                        )
            elif item is not None and first_error is None:
                first_error = (
                    f"json: cannot unmarshal {_json_kind(item)} into Go value of type "
                    "health.hpaCondition"
                )
            conditions.append((fields[0], fields[1], fields[2], fields[3]))
    if first_error is not None:
        raise GoError(f"failed to convert conditions annotation to typed: {first_error}")
    return conditions


def hpa_health(obj: Mapping[str, Any], version: str) -> HealthResult:
    """Health of a HorizontalPodAutoscaler (spec (b) HorizontalPodAutoscaler)."""
    if version not in ("v1", "v2"):
        # Argo CD names this kind "HPA" in its error texts
        raise GoError(f"unsupported HPA GVK: autoscaling/{version}, Kind=HorizontalPodAutoscaler")
    try:
        _, _, annotations = object_meta(obj)
        to_struct(obj.get("spec"))
        status = to_struct(obj.get("status"))
        v2_conditions: list[_Condition] = []
        if version == "v2":
            for item in to_slice(status.get("conditions")):
                condition = to_struct(item)
                # converted in the struct's field order: type, status, reason, message
                condition_type = to_str(
                    condition.get("type"), "v2.HorizontalPodAutoscalerConditionType"
                )
                condition_status = to_str(condition.get("status"), "v1.ConditionStatus")
                reason = to_str(condition.get("reason"))
                message = to_str(condition.get("message"))
                v2_conditions.append((condition_type, reason, message, condition_status))
    except GoError as error:
        raise GoError(f"failed to convert unstructured HPA to typed: {error}") from None
    if version == "v2":
        return _check_conditions(v2_conditions)
    text = annotations.get(ANNOTATION_HPA_CONDITIONS)
    if text is None:
        return _WAITING
    conditions = _annotation_conditions(text)
    if not conditions:
        return _WAITING
    return _check_conditions(conditions)
