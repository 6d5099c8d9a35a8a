"""Built-in checks of the core group: Pod, PersistentVolumeClaim, Service (``v1`` only).

gitops-engine ``health_pod.go``, ``health_pvc.go`` and ``health_service.go``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gitops_core.health._hooks import is_hook
from gitops_core.health._status import HealthResult, HealthStatus
from gitops_core.health.builtin._typed import (
    GoError,
    go_quote,
    object_meta,
    to_int32,
    to_ptr_struct,
    to_slice,
    to_str,
    to_struct,
)

__all__ = ["pod_health", "pvc_health", "service_health"]

ANNOTATION_IGNORE_RESTART_POLICY = "argocd.argoproj.io/ignore-restart-policy"

_HEALTHY = HealthResult(HealthStatus.HEALTHY)
_PROGRESSING = HealthResult(HealthStatus.PROGRESSING)


def _unsupported(kind: str, version: str) -> GoError:
    return GoError(f"unsupported {kind} GVK: /{version}, Kind={kind}")


def _conversion(kind: str, error: GoError) -> GoError:
    return GoError(f"failed to convert unstructured {kind} to typed: {error}")


def _terminated(state: Mapping[str, Any] | None) -> tuple[int, str, str] | None:
    """``state.terminated`` as ``(exitCode, reason, message)``, ``None`` when absent."""
    if state is None:
        return None
    terminated = to_ptr_struct(state.get("terminated"))
    if terminated is None:
        return None
    exit_code = to_int32(terminated.get("exitCode"))
    to_int32(terminated.get("signal"))
    return exit_code, to_str(terminated.get("reason")), to_str(terminated.get("message"))


# (name, waiting (reason, message) or None, terminated or None, has lastState.terminated)
_ContainerStatus = tuple[str, "tuple[str, str] | None", "tuple[int, str, str] | None", bool]


def _container_statuses(status: Mapping[str, Any], field: str) -> list[_ContainerStatus]:
    result: list[_ContainerStatus] = []
    for item in to_slice(status.get(field)):
        container = to_struct(item)
        name = to_str(container.get("name"))
        state = to_struct(container.get("state"))
        waiting_struct = to_ptr_struct(state.get("waiting"))
        waiting = None
        if waiting_struct is not None:
            waiting = (to_str(waiting_struct.get("reason")), to_str(waiting_struct.get("message")))
        to_ptr_struct(state.get("running"))
        terminated = _terminated(state)
        last_state = to_struct(container.get("lastState"))
        to_ptr_struct(last_state.get("waiting"))
        to_ptr_struct(last_state.get("running"))
        last_terminated = _terminated(last_state) is not None
        result.append((name, waiting, terminated, last_terminated))
    return result


def _fail_message(container: _ContainerStatus) -> str:
    terminated = container[2]
    if terminated is not None:
        exit_code, reason, message = terminated
        if message:
            return message
        if reason == "OOMKilled":
            return reason
        if exit_code != 0:
            return f"container {go_quote(container[0])} failed with exit code {exit_code}"
    return ""


def pod_health(obj: Mapping[str, Any], version: str) -> HealthResult:
    """Health of a ``v1`` Pod (spec (b) Pod)."""
    if version != "v1":
        raise _unsupported("Pod", version)
    try:
        _, _, annotations = object_meta(obj)
        spec = to_struct(obj.get("spec"))
        to_slice(spec.get("volumes"))
        to_slice(spec.get("initContainers"))
        to_slice(spec.get("containers"))
        restart_policy = to_str(spec.get("restartPolicy"), "v1.RestartPolicy")
        status = to_struct(obj.get("status"))
        phase = to_str(status.get("phase"), "v1.PodPhase")
        ready = False
        seen_ready = False
        for item in to_slice(status.get("conditions")):
            condition = to_struct(item)
            condition_type = to_str(condition.get("type"), "v1.PodConditionType")
            condition_status = to_str(condition.get("status"), "v1.ConditionStatus")
            if condition_type == "Ready" and not seen_ready:
                seen_ready = True  # podutil.GetPodCondition: the first Ready condition
                ready = condition_status == "True"
        message = to_str(status.get("message"))
        to_str(status.get("reason"))
        init_statuses = _container_statuses(status, "initContainerStatuses")
        statuses = _container_statuses(status, "containerStatuses")
    except GoError as error:
        raise _conversion("Pod", error) from None

    long_running = restart_policy == "Always" or (
        annotations.get(ANNOTATION_IGNORE_RESTART_POLICY) == "true" and not is_hook(obj)
    )
    if long_running:
        messages = []
        for container in statuses:
            waiting = container[1]
            if waiting is not None:
                reason = waiting[0]
                if (
                    reason.startswith("Err")
                    or reason.endswith("Error")
                    or reason.endswith("BackOff")
                ):
                    messages.append(waiting[1])
        if messages:
            return HealthResult(HealthStatus.DEGRADED, ", ".join(messages))

    if phase == "Pending":
        return HealthResult(HealthStatus.PROGRESSING, message)
    if phase == "Succeeded":
        return HealthResult(HealthStatus.HEALTHY, message)
    if phase == "Failed":
        if message:
            return HealthResult(HealthStatus.DEGRADED, message)
        for container in init_statuses + statuses:
            fail_message = _fail_message(container)
            if fail_message:
                return HealthResult(HealthStatus.DEGRADED, fail_message)
        return HealthResult(HealthStatus.DEGRADED, "")
    if phase == "Running":
        if long_running:
            if ready:
                return HealthResult(HealthStatus.HEALTHY, message)
            for container in statuses:
                if container[3]:
                    return HealthResult(HealthStatus.DEGRADED, message)
            return HealthResult(HealthStatus.PROGRESSING, message)
        if restart_policy in ("OnFailure", "Never"):
            return HealthResult(HealthStatus.PROGRESSING, message)
    return HealthResult(HealthStatus.UNKNOWN, message)


def pvc_health(obj: Mapping[str, Any], version: str) -> HealthResult:
    """Health of a ``v1`` PersistentVolumeClaim (spec (b) PersistentVolumeClaim)."""
    if version != "v1":
        raise _unsupported("PersistentVolumeClaim", version)
    try:
        object_meta(obj)
        to_struct(obj.get("spec"))
        status = to_struct(obj.get("status"))
        phase = to_str(status.get("phase"), "v1.PersistentVolumeClaimPhase")
    except GoError as error:
        raise _conversion("PersistentVolumeClaim", error) from None
    if phase == "Bound":
        return _HEALTHY
    if phase == "Pending":
        return _PROGRESSING
    if phase == "Lost":
        return HealthResult(HealthStatus.DEGRADED)
    return HealthResult(HealthStatus.UNKNOWN)


def service_health(obj: Mapping[str, Any], version: str) -> HealthResult:
    """Health of a ``v1`` Service (spec (b) Service)."""
    if version != "v1":
        raise _unsupported("Service", version)
    try:
        object_meta(obj)
        spec = to_struct(obj.get("spec"))
        to_slice(spec.get("ports"))
        service_type = to_str(spec.get("type"), "v1.ServiceType")
        status = to_struct(obj.get("status"))
        load_balancer = to_struct(status.get("loadBalancer"))
        ingress = to_slice(load_balancer.get("ingress"))
        for item in ingress:
            to_struct(item)
    except GoError as error:
        raise _conversion("Service", error) from None
    if service_type == "LoadBalancer" and not ingress:
        return _PROGRESSING
    return _HEALTHY
