"""Built-in checks of the ``apps`` group: Deployment, StatefulSet, DaemonSet, ReplicaSet.

Each accepts ``apps/v1`` only (gitops-engine ``health_deployment.go``, ``health_statefulset.go``,
``health_daemonset.go``, ``health_replicaset.go``); messages are Argo CD's, byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gitops_core.health._status import HealthResult, HealthStatus
from gitops_core.health.builtin._typed import (
    GoError,
    go_quote,
    object_meta,
    to_bool,
    to_int32,
    to_int64,
    to_ptr_int32,
    to_ptr_struct,
    to_slice,
    to_str,
    to_struct,
    wrap32,
)

__all__ = ["daemonset_health", "deployment_health", "replicaset_health", "statefulset_health"]

_HEALTHY = HealthResult(HealthStatus.HEALTHY)


def _unsupported(kind: str, version: str) -> GoError:
    return GoError(f"unsupported {kind} GVK: apps/{version}, Kind={kind}")


def _conversion(kind: str, error: GoError) -> GoError:
    return GoError(f"failed to convert unstructured {kind} to typed: {error}")


def _conditions(status: Mapping[str, Any], type_name: str) -> list[tuple[str, str, str, str]]:
    """``status.conditions`` as ``(type, status, reason, message)`` tuples."""
    result = []
    for item in to_slice(status.get("conditions")):
        condition = to_struct(item)
        result.append(
            (
                to_str(condition.get("type"), type_name),
                to_str(condition.get("status"), "v1.ConditionStatus"),
                to_str(condition.get("reason")),
                to_str(condition.get("message")),
            )
        )
    return result


def deployment_health(obj: Mapping[str, Any], version: str) -> HealthResult:
    """Health of an ``apps/v1`` Deployment (spec (b) Deployment)."""
    if version != "v1":
        raise _unsupported("Deployment", version)
    try:
        name, generation, _ = object_meta(obj)
        spec = to_struct(obj.get("spec"))
        replicas = to_ptr_int32(spec.get("replicas"))
        to_ptr_struct(spec.get("selector"))
        to_struct(spec.get("template"))
        to_struct(spec.get("strategy"))
        paused = to_bool(spec.get("paused"))
        status = to_struct(obj.get("status"))
        observed = to_int64(status.get("observedGeneration"))
        status_replicas = to_int32(status.get("replicas"))
        updated = to_int32(status.get("updatedReplicas"))
        to_int32(status.get("readyReplicas"))
        available = to_int32(status.get("availableReplicas"))
        conditions = _conditions(status, "v1.DeploymentConditionType")
    except GoError as error:
        raise _conversion("Deployment", error) from None
    if paused:
        return HealthResult(HealthStatus.SUSPENDED, "Deployment is paused")
    if generation > observed:
        return HealthResult(
            HealthStatus.PROGRESSING,
            "Waiting for rollout to finish: observed deployment generation less than desired "
            "generation",
        )
    for condition_type, _, reason, _ in conditions:
        if condition_type == "Progressing":
            if reason == "ProgressDeadlineExceeded":
                return HealthResult(
                    HealthStatus.DEGRADED,
                    f"Deployment {go_quote(name)} exceeded its progress deadline",
                )
            break
    if replicas is not None and updated < replicas:
        return HealthResult(
            HealthStatus.PROGRESSING,
            f"Waiting for rollout to finish: {updated} out of {replicas} new replicas have been "
            "updated...",
        )
    if status_replicas > updated:
        return HealthResult(
            HealthStatus.PROGRESSING,
            f"Waiting for rollout to finish: {wrap32(status_replicas - updated)} old replicas "
            "are pending termination...",
        )
    if available < updated:
        return HealthResult(
            HealthStatus.PROGRESSING,
            f"Waiting for rollout to finish: {available} of {updated} updated replicas are "
            "available...",
        )
    return _HEALTHY


def statefulset_health(obj: Mapping[str, Any], version: str) -> HealthResult:
    """Health of an ``apps/v1`` StatefulSet (spec (b) StatefulSet)."""
    if version != "v1":
        raise _unsupported("StatefulSet", version)
    try:
        _, generation, _ = object_meta(obj)
        spec = to_struct(obj.get("spec"))
        replicas = to_ptr_int32(spec.get("replicas"))
        to_ptr_struct(spec.get("selector"))
        to_struct(spec.get("template"))
        strategy = to_struct(spec.get("updateStrategy"))
        strategy_type = to_str(strategy.get("type"), "v1.StatefulSetUpdateStrategyType")
        rolling = to_ptr_struct(strategy.get("rollingUpdate"))
        partition = None if rolling is None else to_ptr_int32(rolling.get("partition"))
        status = to_struct(obj.get("status"))
        observed = to_int64(status.get("observedGeneration"))
        to_int32(status.get("replicas"))
        ready = to_int32(status.get("readyReplicas"))
        current = to_int32(status.get("currentReplicas"))
        updated = to_int32(status.get("updatedReplicas"))
        current_revision = to_str(status.get("currentRevision"))
        update_revision = to_str(status.get("updateRevision"))
    except GoError as error:
        raise _conversion("StatefulSet", error) from None
    if observed == 0 or generation > observed:
        return HealthResult(
            HealthStatus.PROGRESSING, "Waiting for statefulset spec update to be observed..."
        )
    if replicas is not None and ready < replicas:
        return HealthResult(
            HealthStatus.PROGRESSING, f"Waiting for {wrap32(replicas - ready)} pods to be ready..."
        )
    if strategy_type == "RollingUpdate" and rolling is not None:
        if replicas is not None and partition is not None:
            expected = wrap32(replicas - partition)
            if updated < expected:
                return HealthResult(
                    HealthStatus.PROGRESSING,
                    f"Waiting for partitioned roll out to finish: {updated} out of {expected} new "
                    "pods have been updated...",
                )
        return HealthResult(
            HealthStatus.HEALTHY,
            f"partitioned roll out complete: {updated} new pods have been updated...",
        )
    if strategy_type == "OnDelete":
        return HealthResult(HealthStatus.HEALTHY, f"statefulset has {ready} ready pods")
    if update_revision != current_revision:
        return HealthResult(
            HealthStatus.PROGRESSING,
            f"waiting for statefulset rolling update to complete {updated} pods at revision "
            f"{update_revision}...",
        )
    return HealthResult(
        HealthStatus.HEALTHY,
        f"statefulset rolling update complete {current} pods at revision {current_revision}...",
    )


def daemonset_health(obj: Mapping[str, Any], version: str) -> HealthResult:
    """Health of an ``apps/v1`` DaemonSet (spec (b) DaemonSet)."""
    if version != "v1":
        raise _unsupported("DaemonSet", version)
    try:
        name, generation, _ = object_meta(obj)
        spec = to_struct(obj.get("spec"))
        to_ptr_struct(spec.get("selector"))
        to_struct(spec.get("template"))
        strategy = to_struct(spec.get("updateStrategy"))
        strategy_type = to_str(strategy.get("type"), "v1.DaemonSetUpdateStrategyType")
        to_ptr_struct(strategy.get("rollingUpdate"))
        status = to_struct(obj.get("status"))
        to_int32(status.get("currentNumberScheduled"))
        to_int32(status.get("numberMisscheduled"))
        desired = to_int32(status.get("desiredNumberScheduled"))
        to_int32(status.get("numberReady"))
        observed = to_int64(status.get("observedGeneration"))
        updated = to_int32(status.get("updatedNumberScheduled"))
        available = to_int32(status.get("numberAvailable"))
    except GoError as error:
        raise _conversion("DaemonSet", error) from None
    if generation > observed:
        return HealthResult(
            HealthStatus.PROGRESSING,
            "Waiting for rollout to finish: observed daemon set generation less than desired "
            "generation",
        )
    if strategy_type == "OnDelete":
        return HealthResult(
            HealthStatus.HEALTHY,
            f"daemon set {updated} out of {desired} new pods have been updated",
        )
    if updated < desired:
        return HealthResult(
            HealthStatus.PROGRESSING,
            f"Waiting for daemon set {go_quote(name)} rollout to finish: {updated} out of "
            f"{desired} new pods have been updated...",
        )
    if available < desired:
        return HealthResult(
            HealthStatus.PROGRESSING,
            f"Waiting for daemon set {go_quote(name)} rollout to finish: {available} of "
            f"{desired} updated pods are available...",
        )
    return _HEALTHY


def replicaset_health(obj: Mapping[str, Any], version: str) -> HealthResult:
    """Health of an ``apps/v1`` ReplicaSet (spec (b) ReplicaSet)."""
    if version != "v1":
        raise _unsupported("ReplicaSet", version)
    try:
        _, generation, _ = object_meta(obj)
        spec = to_struct(obj.get("spec"))
        replicas = to_ptr_int32(spec.get("replicas"))
        to_ptr_struct(spec.get("selector"))
        to_struct(spec.get("template"))
        status = to_struct(obj.get("status"))
        to_int32(status.get("replicas"))
        to_int32(status.get("fullyLabeledReplicas"))
        to_int32(status.get("readyReplicas"))
        available = to_int32(status.get("availableReplicas"))
        observed = to_int64(status.get("observedGeneration"))
        conditions = _conditions(status, "v1.ReplicaSetConditionType")
    except GoError as error:
        raise _conversion("ReplicaSet", error) from None
    if generation > observed:
        return HealthResult(
            HealthStatus.PROGRESSING,
            "Waiting for rollout to finish: observed replica set generation less than desired "
            "generation",
        )
    for condition_type, condition_status, _, message in conditions:
        if condition_type == "ReplicaFailure":
            if condition_status == "True":
                return HealthResult(HealthStatus.DEGRADED, message)
            break
    if replicas is not None and available < replicas:
        return HealthResult(
            HealthStatus.PROGRESSING,
            f"Waiting for rollout to finish: {available} out of {replicas} new replicas are "
            "available...",
        )
    return _HEALTHY
