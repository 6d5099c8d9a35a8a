"""Resource tracking as Argo CD does it (spec/diff.md sections 2, 9.4 and 12).

Argo CD marks the objects of an application either with the instance label
(``app.kubernetes.io/instance: <app>``, method ``label``), with the tracking annotation
(``argocd.argoproj.io/tracking-id: <app>:<group>/<kind>:<namespace>/<name>``, method
``annotation``, the default) or with both (``annotation+label``). This module

- marks desired objects the way Argo CD's repo server does before the diff
  (:func:`set_app_instance`), so a live object Argo CD applied compares equal;
- applies the pre-diff tracking normalisation (:func:`normalize_tracking`, spec 9.4);
- tells which application a live object belongs to (:func:`app_name_of`) and whether a live
  object's tracking annotation was copied from elsewhere (:func:`is_self_referenced`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

from gitops_core.errors import UsageError
from gitops_core.resource import split_api_version

__all__ = [
    "DEFAULT_APP_LABEL_KEY",
    "DEFAULT_TRACKING_METHOD",
    "TRACKING_ID_ANNOTATION",
    "TRACKING_METHODS",
    "AppInstanceValue",
    "TrackingMethod",
    "app_name_of",
    "check_tracking_method",
    "is_self_referenced",
    "normalize_tracking",
    "parse_tracking_id",
    "set_app_instance",
    "tracking_id",
]

TrackingMethod = Literal["annotation", "label", "annotation+label"]
TRACKING_METHODS: tuple[str, ...] = ("annotation", "label", "annotation+label")
DEFAULT_TRACKING_METHOD: TrackingMethod = "annotation"
DEFAULT_APP_LABEL_KEY = "app.kubernetes.io/instance"
TRACKING_ID_ANNOTATION = "argocd.argoproj.io/tracking-id"
_LABEL_MAX_LENGTH = 63


def check_tracking_method(method: str | None) -> TrackingMethod:
    """Validate a tracking method (``None`` or ``""`` mean the default ``annotation``)."""
    if method is None or method == "":
        return DEFAULT_TRACKING_METHOD
    if method not in TRACKING_METHODS:
        raise UsageError(
            f"unknown tracking method {method!r}; expected one of {', '.join(TRACKING_METHODS)}"
        )
    return method  # type: ignore[return-value]


@attrs.frozen
class AppInstanceValue:
    """The parts of a tracking id ``<app>:<group>/<kind>:<namespace>/<name>``."""

    application_name: str
    group: str
    kind: str
    namespace: str
    name: str


def tracking_id(app_name: str, group: str, kind: str, namespace: str, name: str) -> str:
    """Build a tracking id.

    >>> tracking_id("shop", "apps", "Deployment", "prod", "web")
    'shop:apps/Deployment:prod/web'
    """
    return f"{app_name}:{group}/{kind}:{namespace}/{name}"


def parse_tracking_id(value: Any) -> AppInstanceValue | None:
    """Parse a tracking id as Argo CD does; ``None`` when the format is wrong.

    >>> parse_tracking_id("shop:/Service:prod/web")
    AppInstanceValue(application_name='shop', group='', kind='Service', namespace='prod', name='web')
    >>> parse_tracking_id("shop") is None
    True
    """
    if not isinstance(value, str):
        return None
    parts = value.split(":")
    if len(parts) != 3:
        return None
    group_kind = parts[1].split("/")
    namespace_name = parts[2].split("/")
    if len(group_kind) != 2 or len(namespace_name) != 2:
        return None
    return AppInstanceValue(
        parts[0], group_kind[0], group_kind[1], namespace_name[0], namespace_name[1]
    )


def _metadata(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    metadata = obj.get("metadata")
    if type(metadata) is dict:  # the usual case, without the abstract-class check
        return metadata
    return metadata if isinstance(metadata, Mapping) else {}


def _string_map(obj: Mapping[str, Any], field: str) -> Mapping[str, Any]:
    value = _metadata(obj).get(field)
    if type(value) is dict:
        return value
    return value if isinstance(value, Mapping) else {}


def _group_kind(obj: Mapping[str, Any]) -> tuple[str, str]:
    api_version = obj.get("apiVersion")
    group = split_api_version(api_version)[0] if isinstance(api_version, str) else ""
    kind = obj.get("kind")
    return group, kind if isinstance(kind, str) else ""


def _with_metadata_entry(
    obj: Mapping[str, Any], field: str, key: str, value: str | None
) -> dict[str, Any]:
    """A copy with ``metadata.<field>[key]`` set (or removed when ``value`` is None)."""
    out = dict(obj)
    metadata = dict(_metadata(obj))
    entries = dict(_string_map(obj, field))
    if value is None:
        entries.pop(key, None)
    else:
        entries[key] = value
    metadata[field] = entries
    out["metadata"] = metadata
    return out


def set_app_instance(
    obj: Mapping[str, Any],
    app_name: str,
    *,
    method: str | None = DEFAULT_TRACKING_METHOD,
    label_key: str = DEFAULT_APP_LABEL_KEY,
    namespace: str = "",
) -> dict[str, Any]:
    """A copy of a desired object marked as Argo CD marks the manifests of application ``app_name``.

    ``namespace`` stands in for an object without ``metadata.namespace`` in the tracking id (Argo
    CD uses the destination namespace, also for cluster-scoped kinds).
    """
    tracking = check_tracking_method(method)
    group, kind = _group_kind(obj)
    metadata = _metadata(obj)
    own_namespace = metadata.get("namespace")
    ns = own_namespace if isinstance(own_namespace, str) and own_namespace else namespace
    name = metadata.get("name")
    out: dict[str, Any] = dict(obj)
    if tracking in ("annotation", "annotation+label"):
        value = tracking_id(app_name, group, kind, ns, name if isinstance(name, str) else "")
        out = _with_metadata_entry(out, "annotations", TRACKING_ID_ANNOTATION, value)
    if tracking in ("label", "annotation+label"):
        label = app_name
        if tracking == "annotation+label" and len(label) > _LABEL_MAX_LENGTH:
            label = label[:_LABEL_MAX_LENGTH].rstrip("-._")
        out = _with_metadata_entry(out, "labels", label_key, label)
    return out


def normalize_tracking(
    desired: Mapping[str, Any] | None,
    live: Mapping[str, Any] | None,
    *,
    method: str | None = DEFAULT_TRACKING_METHOD,
    label_key: str = DEFAULT_APP_LABEL_KEY,
) -> dict[str, Any] | None:
    """Argo CD's pre-diff tracking normalisation of live (spec 9.4); returns the new live.

    Only for the ``annotation`` and ``annotation+label`` methods, when both objects exist, live
    carries the instance label and live is not a CustomResourceDefinition: a missing live
    tracking annotation is copied from desired (migration from label tracking), and the label
    is removed from live when desired has none. An existing live annotation is never changed.
    """
    if live is None:
        return None
    tracking = check_tracking_method(method)
    if desired is None or tracking == "label":
        return dict(live)
    if live.get("kind") == "CustomResourceDefinition":
        return dict(live)
    live_labels = _string_map(live, "labels")
    if not live_labels.get(label_key):
        return dict(live)
    out = dict(live)
    desired_annotation = _string_map(desired, "annotations").get(TRACKING_ID_ANNOTATION)
    if TRACKING_ID_ANNOTATION not in _string_map(live, "annotations") and isinstance(
        desired_annotation, str
    ):
        out = _with_metadata_entry(out, "annotations", TRACKING_ID_ANNOTATION, desired_annotation)
    if not _string_map(desired, "labels").get(label_key):
        out = _with_metadata_entry(out, "labels", label_key, None)
    return out


def app_name_of(
    obj: Mapping[str, Any],
    *,
    method: str | None = DEFAULT_TRACKING_METHOD,
    label_key: str = DEFAULT_APP_LABEL_KEY,
) -> str:
    """The application a live object is tracked by (``""`` when none)."""
    tracking = check_tracking_method(method)
    if tracking == "label":
        value = _string_map(obj, "labels").get(label_key)
        return value if isinstance(value, str) else ""
    parsed = parse_tracking_id(_string_map(obj, "annotations").get(TRACKING_ID_ANNOTATION))
    return parsed.application_name if parsed is not None else ""


def is_self_referenced(
    live: Mapping[str, Any] | None,
    desired_present: bool,
    *,
    method: str | None = DEFAULT_TRACKING_METHOD,
) -> bool:
    """Whether a live object's tracking annotation names the object itself (spec section 12).

    Always true with label tracking, without a live object, or when desired exists (the pair was
    matched by key). Otherwise the annotation must name live's own group, kind and name, and its
    namespace (or live has none); a live object without a parsable annotation counts as self.
    """
    if live is None or desired_present:
        return True
    if check_tracking_method(method) == "label":
        return True
    value = parse_tracking_id(_string_map(live, "annotations").get(TRACKING_ID_ANNOTATION))
    if value is None:
        return True
    group, kind = _group_kind(live)
    metadata = _metadata(live)
    namespace = metadata.get("namespace") or ""
    return (
        (namespace == value.namespace or namespace == "")
        and metadata.get("name") == value.name
        and group == value.group
        and kind == value.kind
    )
