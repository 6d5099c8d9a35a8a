"""The few annotations health reads: hooks, ``ignore-healthcheck`` and deletion.

Hook predicates come from :mod:`gitops_core.manifests.annotations`; annotations are read as
``unstructured.GetAnnotations`` does (a map with a non-string value reads as no annotations).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from gitops_core.manifests.annotations import is_hook as annotations_are_hook
from gitops_core.manifests.annotations import is_skip as annotations_are_skip

__all__ = [
    "ANNOTATION_IGNORE_HEALTHCHECK",
    "HOOK_FINALIZER",
    "annotations_of",
    "is_being_deleted",
    "is_hook",
    "is_skip_hook",
]

ANNOTATION_IGNORE_HEALTHCHECK = "argocd.argoproj.io/ignore-healthcheck"
HOOK_FINALIZER = "argocd.argoproj.io/hook-finalizer"
EMPTY: Mapping[str, str] = MappingProxyType({})


def annotations_of(obj: Mapping[str, Any]) -> Mapping[str, str]:
    """``metadata.annotations`` as Go's ``GetAnnotations`` reads it (empty when malformed)."""
    meta = obj.get("metadata")
    if not isinstance(meta, Mapping):
        return EMPTY
    annotations = meta.get("annotations")
    if not annotations or not isinstance(annotations, Mapping):
        return EMPTY
    for value in annotations.values():
        if type(value) is not str:
            return EMPTY
    return annotations


def is_skip_hook(obj: Mapping[str, Any]) -> bool:
    """True when the object's hook types are exactly ``[Skip]`` (``hook.Skip``)."""
    annotations = annotations_of(obj)
    return bool(annotations) and annotations_are_skip(annotations)


def is_hook(obj: Mapping[str, Any]) -> bool:
    """Argo CD's ``hook.IsHook``: an Argo CD hook other than a lone ``Skip``, or a Helm hook.

    ``helm.sh/hook`` counts only when ``argocd.argoproj.io/hook`` is absent and its value is
    not ``crd-install``.
    """
    annotations = annotations_of(obj)
    return bool(annotations) and annotations_are_hook(annotations)


# time.Parse(time.RFC3339, ...) as metav1.Time.UnmarshalQueryParameter uses it
_RFC3339 = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})"
)
_ZERO_DAY = datetime.date(1, 1, 1).toordinal()
_ZERO_TIME = datetime.datetime(1, 1, 1)


def _is_set_timestamp(text: str) -> bool:
    """True when ``text`` parses as RFC 3339 and is not Go's zero time."""
    match = _RFC3339.fullmatch(text)
    if match is None:
        return False
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    if not (1 <= month <= 12 and hour <= 23 and minute <= 59 and second <= 59):
        return False
    if year == 0:
        return month > 0  # before year 1: a real (non-zero) instant
    try:
        ordinal = datetime.date(year, month, day).toordinal()
    except ValueError:
        return False
    zone = match.group(7)
    offset = 0
    if zone != "Z":
        zone_hours, zone_minutes = int(zone[1:3]), int(zone[4:6])
        if zone_hours > 23 or zone_minutes > 59:
            return False
        offset = (zone_hours * 3600 + zone_minutes * 60) * (1 if zone[0] == "+" else -1)
    fraction = text[19 : len(text) - len(zone)]
    if fraction.strip(".0"):
        return True
    seconds = (ordinal - _ZERO_DAY) * 86400 + hour * 3600 + minute * 60 + second - offset
    return seconds != 0


def is_being_deleted(obj: Mapping[str, Any]) -> bool:
    """The deletion rule: ``deletionTimestamp`` set and no ``hook-finalizer`` (spec (a) step 1).

    Go reads the timestamp as a string (anything else reads as unset) and the finalizers as a
    string list (a list with a non-string item reads as empty).
    """
    meta = obj.get("metadata")
    if not meta or not isinstance(meta, Mapping):
        return False
    stamp = meta.get("deletionTimestamp")
    if stamp is None:
        return False
    if type(stamp) is str:
        if not _is_set_timestamp(stamp):
            return False
    elif isinstance(stamp, datetime.datetime):
        # not JSON, but what a YAML loader with the timestamp resolver (yaml.safe_load) gives
        if stamp.replace(tzinfo=None) == _ZERO_TIME and not stamp.utcoffset():
            return False
    elif isinstance(stamp, datetime.date):
        if stamp == _ZERO_TIME.date():
            return False
    else:
        return False
    finalizers = meta.get("finalizers")
    if not isinstance(finalizers, list):
        return True
    for item in finalizers:
        if type(item) is not str:
            return True
    return HOOK_FINALIZER not in finalizers
