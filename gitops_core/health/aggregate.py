"""Application health from its resources (Argo CD's ``setApplicationHealth``, spec (a)).

The managed resources are the desired objects (hooks left out, as Argo CD's reconciliation
does) paired by key with the live objects, followed by the live objects nobody desires. Without
a desired set every live object is a managed resource.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from gitops_core._gc import pauses_gc
from gitops_core.health._assess import (
    HealthOverrideLike,
    HealthRegistryLike,
    assess_with_error,
    default_registry_or_none,
    group_version_kind,
)
from gitops_core.health._hooks import (
    ANNOTATION_IGNORE_HEALTHCHECK,
    annotations_of,
    is_hook,
    is_skip_hook,
)
from gitops_core.health._status import HealthResult, HealthStatus, is_worse
from gitops_core.manifests import ManifestSet
from gitops_core.resource import Resource, ResourceKey

__all__ = ["AppHealth", "ResourceHealth", "aggregate_health", "cause_text"]

_MISSING = HealthResult(HealthStatus.MISSING)
_APP_GROUP = "argoproj.io"
_APP_KIND = "Application"

# Why a resource did not take part in the aggregate (``ResourceHealth.reason``).
REASON_SKIP_HOOK = "Skip hook"
REASON_HOOK = "hook"
REASON_IGNORED = "ignore-healthcheck"
REASON_SELF = "the application itself"
REASON_NO_HEALTH = "no health check"
REASON_MISSING = "missing"
REASON_CHILD_APP = "child application"


@attrs.frozen
class ResourceHealth:
    """The health of one managed resource.

    ``health`` is ``None`` when the resource was not assessed or has no health check.
    ``reason`` is ``None`` when the resource took part in the application's aggregate, else
    why not (``"hook"``, ``"ignore-healthcheck"``, ``"missing"``, ``"no health check"``, ...).
    ``live`` says whether a live object exists.
    """

    key: ResourceKey
    health: HealthResult | None
    reason: str | None = None
    live: bool = True


@attrs.frozen
class AppHealth:
    """An application's aggregated health.

    ``message`` is Argo CD's ``Caused by ...`` text (empty without causes); ``causes`` lists the
    keys it names (all of them, not only the first three). ``error`` is the ``ComparisonError``
    condition text (``error setting app health: ...``) when a check failed, else ``None``.
    """

    status: HealthStatus
    message: str = ""
    resources: tuple[ResourceHealth, ...] = ()
    causes: tuple[ResourceKey, ...] = ()
    error: str | None = None


def cause_text(causes: Iterable[ResourceKey]) -> str:
    """Argo CD's ``Caused by group/Kind:ns/name, ... and N more`` (at most 3 named).

    >>> cause_text([ResourceKey("batch", "Job", "default", "a"), ResourceKey("", "Pod", "", "b")])
    'Caused by batch/Job:default/a, Pod:b'
    """
    entries = []
    for key in causes:
        group_kind = f"{key.group}/{key.kind}" if key.group else key.kind
        where = f"{key.namespace}/{key.name}" if key.namespace else key.name
        entries.append(f"{group_kind}:{where}")
    if not entries:
        return ""
    text = "Caused by " + ", ".join(entries[:3])
    if len(entries) > 3:
        text += f" and {len(entries) - 3} more"
    return text


def _as_resources(
    objects: ManifestSet | Iterable[Mapping[str, Any] | Resource], namespace: str | None
) -> list[Resource]:
    if isinstance(objects, ManifestSet):
        return list(objects)
    items = list(objects)
    if all(isinstance(item, Resource) for item in items):
        return items  # type: ignore[return-value]
    plain = [item.object if isinstance(item, Resource) else item for item in items]
    return list(ManifestSet.from_objects(plain, default_namespace=namespace))  # type: ignore[arg-type]


def _is_self(live: Mapping[str, Any], app: Mapping[str, Any] | None) -> bool:
    """``isSelfReferencedApp``: same UID, name, namespace and argoproj.io/Application."""
    if app is None:
        return False
    group, _, kind = group_version_kind(live)
    if group != _APP_GROUP or kind != _APP_KIND:
        return False
    live_meta = live.get("metadata")
    app_meta = app.get("metadata")
    if not isinstance(live_meta, Mapping) or not isinstance(app_meta, Mapping):
        return False
    return all(
        (live_meta.get(field) or "") == (app_meta.get(field) or "")
        for field in ("uid", "name", "namespace")
    )


@pauses_gc
def aggregate_health(
    live: ManifestSet | Iterable[Mapping[str, Any] | Resource],
    desired: ManifestSet | Iterable[Mapping[str, Any] | Resource] | None = None,
    *,
    registry: HealthRegistryLike | None = None,
    app: Mapping[str, Any] | None = None,
    namespace: str | None = None,
) -> AppHealth:
    """Aggregate the health of an application's resources as Argo CD does.

    ``live`` are the live objects of the application; ``desired`` its target manifests (a
    desired resource without a live object is ``Missing``). ``registry`` supplies Lua overrides
    (``None``: the default registry). ``app`` is the Application object itself, so that an app
    managing itself is left out. ``namespace`` fills missing namespaces of plain objects.
    Plain objects are validated like loaded manifests (raises
    :class:`~gitops_core.errors.ManifestError` on bad input).

    Rules (spec (a)): Skip hooks and live hooks are left out; ``ignore-healthcheck: "true"`` on
    the live object leaves it out of the aggregate; missing resources do not make the app worse,
    but an app whose resources are all missing is ``Missing``; a child Application that is
    Missing or Unknown does not affect its parent.
    """
    if registry is None:
        registry = default_registry_or_none()
    live_resources = _as_resources(live, namespace)
    managed: list[tuple[ResourceKey, Mapping[str, Any] | None, Mapping[str, Any] | None]] = []
    if desired is None:
        managed = [(resource.key, None, resource.object) for resource in live_resources]
    else:
        live_by_key: dict[ResourceKey, Resource] = {}
        for resource in live_resources:
            if resource.key.name:
                live_by_key.setdefault(resource.key, resource)
        paired: set[int] = set()
        for wanted in _as_resources(desired, namespace):
            if is_hook(wanted.object):
                continue  # hooks are not managed resources (sync.Reconcile splitHooks)
            found = live_by_key.get(wanted.key) if wanted.key.name else None
            if found is not None and id(found) not in paired:
                paired.add(id(found))
                managed.append((wanted.key, wanted.object, found.object))
            else:
                managed.append((wanted.key, wanted.object, None))
        for resource in live_resources:
            if id(resource) not in paired:
                managed.append((resource.key, None, resource.object))

    overrides: dict[tuple[str, str], HealthOverrideLike | None] = {}
    cached = _CachingRegistry(registry, overrides) if registry is not None else None

    status = HealthStatus.HEALTHY
    causes: list[ResourceKey] = []
    records: list[ResourceHealth] = []
    error: str | None = None
    has_resources = has_live = False
    for key, target, live_obj in managed:
        if target is not None and is_skip_hook(target):
            records.append(ResourceHealth(key, None, REASON_SKIP_HOOK, live_obj is not None))
            continue
        if live_obj is not None and is_hook(live_obj):
            records.append(ResourceHealth(key, None, REASON_HOOK))
            continue
        has_resources = True
        if live_obj is not None:
            has_live = True
            if annotations_of(live_obj).get(ANNOTATION_IGNORE_HEALTHCHECK) == "true":
                records.append(ResourceHealth(key, None, REASON_IGNORED))
                continue
        if live_obj is None:
            health: HealthResult | None = _MISSING
        else:
            if _is_self(live_obj, app):
                records.append(ResourceHealth(key, None, REASON_SELF))
                continue
            health, failure = assess_with_error(live_obj, cached)
            if failure is not None and error is None:
                error = f"error setting app health: {failure}"
        if health is None:
            records.append(ResourceHealth(key, None, REASON_NO_HEALTH, live_obj is not None))
            continue
        if live_obj is None and health.status is HealthStatus.MISSING:
            records.append(ResourceHealth(key, health, REASON_MISSING, False))
            continue
        if (
            key.kind == _APP_KIND
            and key.group == _APP_GROUP
            and health.status in (HealthStatus.MISSING, HealthStatus.UNKNOWN)
        ):
            records.append(ResourceHealth(key, health, REASON_CHILD_APP))
            continue
        records.append(ResourceHealth(key, health))
        if is_worse(status, health.status):
            status = health.status  # type: ignore[assignment]
            causes = [key]
        elif health.status is status and status is not HealthStatus.HEALTHY:
            causes.append(key)
    if has_resources and not has_live and is_worse(status, HealthStatus.MISSING):
        status = HealthStatus.MISSING
        causes = []
    return AppHealth(status, cause_text(causes), tuple(records), tuple(causes), error)


class _CachingRegistry:
    """Looks each group/kind up once per aggregation."""

    def __init__(
        self,
        registry: HealthRegistryLike,
        cache: dict[tuple[str, str], HealthOverrideLike | None],
    ) -> None:
        self._registry = registry
        self._cache = cache
        # the opt-in generic rule is read from the registry by the pipeline
        self.generic_conditions = bool(getattr(registry, "generic_conditions", False))

    def find_override(self, group: str, kind: str) -> HealthOverrideLike | None:
        key = (group, kind)
        try:
            return self._cache[key]
        except KeyError:
            found = self._cache[key] = self._registry.find_override(group, kind)
            return found
