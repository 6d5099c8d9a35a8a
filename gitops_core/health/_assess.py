"""The per-resource health pipeline (Argo CD's ``GetResourceHealth``, spec (a)).

1. ``metadata.deletionTimestamp`` set and no ``argocd.argoproj.io/hook-finalizer``:
   Progressing ``Pending deletion``, before anything else;
2. a health override (a Lua script found by the registry) decides, even when its result is
   empty; its errors are Unknown results;
3. otherwise the built-in check of the group and kind; its errors are Unknown results;
4. otherwise no health (``None``), unless the registry opts in to ``generic_conditions``
   (not Argo CD: see ``docs/crd-health.md``).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any, Protocol

from gitops_core.errors import UsageError
from gitops_core.health._hooks import is_being_deleted
from gitops_core.health._status import HealthResult, HealthStatus
from gitops_core.health.builtin import BUILTIN_CHECKS, GoError
from gitops_core.resource import Resource

__all__ = [
    "PENDING_DELETION",
    "HealthOverrideLike",
    "HealthRegistryLike",
    "assess_health",
    "builtin_health",
    "group_version_kind",
]

PENDING_DELETION = HealthResult(HealthStatus.PROGRESSING, "Pending deletion")
"""The result of the deletion rule."""


class HealthOverrideLike(Protocol):
    """What the pipeline needs of a health override (``registry.HealthOverride``)."""

    def evaluate(self, obj: Mapping[str, Any]) -> HealthResult:
        """The override's verdict; errors are Unknown results."""
        ...


class HealthRegistryLike(Protocol):
    """What the pipeline needs of a registry (``registry.HealthRegistry``)."""

    def find_override(self, group: str, kind: str) -> HealthOverrideLike | None:
        """The override for ``group``/``kind`` (lookup steps 1-4), or ``None``."""
        ...


def group_version_kind(obj: Mapping[str, Any]) -> tuple[str, str, str]:
    """``(group, version, kind)`` as ``unstructured.GroupVersionKind`` reads them.

    A non-string ``apiVersion``/``kind`` reads as ``""``; an ``apiVersion`` with more than one
    ``/`` does not parse, and the whole GVK is then empty (so no check applies).

    >>> group_version_kind({"apiVersion": "apps/v1", "kind": "Deployment"})
    ('apps', 'v1', 'Deployment')
    """
    api_version = obj.get("apiVersion")
    kind = obj.get("kind")
    if type(kind) is not str:
        kind = ""
    if type(api_version) is not str or not api_version or api_version == "/":
        return "", "", kind
    slash = api_version.find("/")
    if slash < 0:
        return "", api_version, kind
    if api_version.find("/", slash + 1) >= 0:
        return "", "", ""
    return api_version[:slash], api_version[slash + 1 :], kind


def _as_object(obj: object) -> Mapping[str, Any]:
    if type(obj) is dict or isinstance(obj, Mapping):
        return obj
    if isinstance(obj, Resource):
        return obj.object
    raise UsageError(f"a health check needs an object (a mapping), not {type(obj).__name__}")


def _builtin(obj: Mapping[str, Any]) -> tuple[HealthResult | None, str | None]:
    """The built-in check alone: ``(result, error text)``."""
    group, version, kind = group_version_kind(obj)
    kinds = BUILTIN_CHECKS.get(group)
    check = kinds.get(kind) if kinds is not None else None
    if check is None:
        return None, None
    try:
        return check(obj, version), None
    except GoError as error:
        text = str(error)
        return HealthResult(HealthStatus.UNKNOWN, text), text


def builtin_health(obj: Mapping[str, Any] | Resource) -> HealthResult | None:
    """Health of ``obj`` from the deletion rule and Argo CD's built-in checks only (no Lua).

    This is ``GetResourceHealth`` without overrides. Returns ``None`` when no built-in check
    applies (ConfigMaps, Secrets, custom resources, ...); check errors are Unknown results.

    >>> builtin_health({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
    ...                 "metadata": {"name": "data"}, "status": {"phase": "Bound"}})
    HealthResult(status=<HealthStatus.HEALTHY: 'Healthy'>, message='')
    """
    obj = _as_object(obj)
    if is_being_deleted(obj):
        return PENDING_DELETION
    return _builtin(obj)[0]


def default_registry_or_none() -> HealthRegistryLike | None:
    """The default registry of the Lua layer, or ``None`` when it is not available."""
    try:
        registry = importlib.import_module("gitops_core.health.registry")
    except ModuleNotFoundError as error:
        if error.name != "gitops_core.health.registry":
            raise
        return None  # the Lua layer is not part of this build
    found: HealthRegistryLike = registry.default_registry()
    return found


def assess_with_error(
    obj: Mapping[str, Any], registry: HealthRegistryLike | None
) -> tuple[HealthResult | None, str | None]:
    """The pipeline with the error Argo CD would return beside the result.

    ``registry`` is used as given (``None``: built-in checks only).
    """
    if is_being_deleted(obj):
        return PENDING_DELETION, None
    if registry is not None:
        group, _, kind = group_version_kind(obj)
        override = registry.find_override(group, kind)
        if override is not None:
            detailed = getattr(override, "evaluate_with_error", None)
            error: str | None = None
            if callable(detailed):
                # a script error: Unknown with the raw text, and the error Argo CD returns
                result, error = detailed(obj)
            else:
                result = override.evaluate(obj)
            if error:
                meta = obj.get("metadata")
                meta = meta if isinstance(meta, Mapping) else {}
                namespace = meta.get("namespace") or ""
                name = meta.get("name") or ""
                return result, f"failed to get resource health for {namespace}/{name}: {error}"
            return result, None
    verdict, failure = _builtin(obj)
    if verdict is None and failure is None and getattr(registry, "generic_conditions", False):
        # opt-in, not Argo CD: kstatus-style conventions for resources without any check
        from gitops_core.health.generic import generic_conditions_health

        return generic_conditions_health(obj), None
    return verdict, failure


def assess_health(
    obj: Mapping[str, Any] | Resource, registry: HealthRegistryLike | None = None
) -> HealthResult | None:
    """Health of one live object, exactly as Argo CD judges it (spec (a) per-resource pipeline).

    ``obj`` is a plain object (or a :class:`~gitops_core.resource.Resource`); it is not modified.
    ``registry`` supplies Lua health overrides (:class:`~gitops_core.health.HealthRegistry`);
    ``None`` means the default registry (shipped scripts). Returns ``None`` when no check applies
    ("no health"); a result whose ``status`` is ``None`` is a Lua script's empty health. Errors of
    checks and scripts are ``Unknown`` results with the error text as message; nothing raises.

    >>> assess_health({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}})
    >>> assess_health({"apiVersion": "apps/v1", "kind": "Deployment",
    ...                "metadata": {"name": "web"}, "spec": {"paused": True}}).message
    'Deployment is paused'
    """
    obj = _as_object(obj)
    if is_being_deleted(obj):
        return PENDING_DELETION
    if registry is None:
        registry = default_registry_or_none()
    return assess_with_error(obj, registry)[0]
