"""Normalisation of Kubernetes objects before a diff, in Argo CD's order.

* :func:`remarshal` — the typed round trip of registered kinds (spec/diff.md section 4);
* :func:`normalize_object` — the built-in normalisations of every side (section 5);
* :func:`apply_scheme_defaults` — the API-server defaults applied after the patch (section 6.2).

None of them mutates its argument: each returns a new object, or the argument itself when
nothing changes.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from gitops_core.diff._defaults import apply_defaults
from gitops_core.diff._kinds import strict_group_version
from gitops_core.diff._remarshal import remarshal_object

__all__ = ["apply_scheme_defaults", "normalize_object", "remarshal"]


def remarshal(obj: dict[str, Any]) -> dict[str, Any]:
    """The object as Argo CD's remarshal leaves it (numbers, quantities, omitempty, ...).

    Registered kinds go through a schema-guided typed round trip; a value the Go type would
    reject (unknown field, wrong JSON type, unparsable quantity) leaves the whole object raw.
    Every object gets the JSON round trip (integral floats become ints). Returns ``obj``
    itself when nothing changes; never mutates it and never raises.

    >>> pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
    ...        "spec": {"containers": [{"name": "c", "resources": {"limits": {"cpu": 0.2}}}]}}
    >>> remarshal(pod)["spec"]["containers"][0]["resources"]
    {'limits': {'cpu': '200m'}}
    """
    return remarshal_object(obj)


def normalize_object(
    obj: dict[str, Any], *, ignore_aggregated_roles: bool = False
) -> dict[str, Any]:
    """Argo CD's built-in normalisation of one side, in its order (spec/diff.md section 5).

    1. top-level ``metadata.creationTimestamp`` removed;
    2. core ``Secret``: ``stringData`` folded into ``data`` (base64), then null/empty data
       values become ``""``, data re-encoded canonically, an empty ``data`` becomes null;
    3. ``Role``/``ClusterRole``: with ``ignore_aggregated_roles`` the rules of an aggregated
       role become null; an empty rules list becomes null;
    4. core ``Endpoints``: ports without protocol get ``TCP``; addresses, ports and subsets
       are put in a content-based order.

    Does not remarshal: the engine calls ``normalize_object(remarshal(obj))`` on desired and
    live and ``normalize_object(last_applied)`` on the last-applied original, like Argo CD.
    Never raises on odd input. Returns ``obj`` itself when nothing changes.
    """
    result = obj
    metadata = obj.get("metadata")
    if isinstance(metadata, dict) and "creationTimestamp" in metadata:
        metadata = dict(metadata)
        del metadata["creationTimestamp"]
        result = {**obj, "metadata": metadata}
    kind = obj.get("kind")
    if not isinstance(kind, str) or kind not in _NORMALIZED_KINDS:
        return result  # no kind-specific step (most objects): the apiVersion is not needed
    group_version = strict_group_version(obj.get("apiVersion"))
    if group_version is None:
        return result
    group = group_version[0]
    if group == "" and kind == "Secret":
        return _normalize_secret(result)
    if group == "rbac.authorization.k8s.io" and kind in ("Role", "ClusterRole"):
        return _normalize_role(result, ignore_aggregated_roles)
    if group == "" and kind == "Endpoints":
        return _normalize_endpoints(result)
    return result


_NORMALIZED_KINDS = frozenset({"Secret", "Role", "ClusterRole", "Endpoints"})


def _normalize_secret(obj: dict[str, Any]) -> dict[str, Any]:
    """gitops-engine diff.go NormalizeSecret. Never reports a value anywhere."""
    result = obj
    string_data = obj.get("stringData")
    if isinstance(string_data, dict):
        data = obj.get("data")
        merged = dict(data) if isinstance(data, dict) else {}
        for key, value in string_data.items():
            if isinstance(value, str):
                merged[key] = base64.b64encode(value.encode("utf-8")).decode("ascii")
            else:
                merged[key] = value  # kept as is so that the apply fails, like Argo CD
        result = {k: v for k, v in obj.items() if k != "stringData"}
        result["data"] = merged
    # The typed round trip (FromUnstructured into corev1.Secret, then ToUnstructured). If
    # the object does not convert, only the stringData move happens (Argo CD logs it).
    data = result.get("data")
    if not _secret_converts(result):
        return result
    if data is None:
        return result
    canonical: dict[str, str] = {}
    for key, value in data.items():
        if value is None or value == "":
            canonical[key] = ""
            continue
        raw = base64.b64decode(value.replace("\r", "").replace("\n", ""), validate=True)
        canonical[key] = base64.b64encode(raw).decode("ascii")
    new_data: dict[str, str] | None = canonical or None
    if new_data == data and new_data is not None:
        return result
    if result is obj:
        result = dict(obj)
    result["data"] = new_data
    return result


def _secret_converts(obj: dict[str, Any]) -> bool:
    """Whether corev1.Secret would accept the object (the fields the converter checks)."""
    data = obj.get("data")
    if data is not None:
        if not isinstance(data, dict):
            return False
        for value in data.values():
            if value is None:
                continue
            if not isinstance(value, str):
                return False
            try:
                base64.b64decode(value.replace("\r", "").replace("\n", ""), validate=True)
            except (binascii.Error, ValueError):
                return False
    for field, kind in (("type", str), ("immutable", bool), ("metadata", dict)):
        value = obj.get(field)
        if value is not None and not isinstance(value, kind):
            return False
    string_data = obj.get("stringData")
    if string_data is not None and not (
        isinstance(string_data, dict) and all(isinstance(v, str) for v in string_data.values())
    ):
        return False
    return True


def _normalize_role(obj: dict[str, Any], ignore_aggregated_roles: bool) -> dict[str, Any]:
    """gitops-engine diff.go normalizeRole."""
    result = obj
    if ignore_aggregated_roles and isinstance(obj.get("aggregationRule"), dict):
        # a malformed (non-map) aggregationRule is left alone, as Argo CD does (it logs it)
        result = {**obj, "rules": None}
    rules = result.get("rules")
    if isinstance(rules, list) and not rules:
        result = {**result, "rules": None}
    return result


def _content_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def _address_key(address: Any) -> tuple[bytes, bytes]:
    if not isinstance(address, dict):
        return (b"", b"")
    ip = address.get("ip")
    target = address.get("targetRef")
    uid = target.get("uid") if isinstance(target, dict) else None
    return (
        ip.encode("utf-8") if isinstance(ip, str) else b"",
        uid.encode("utf-8") if isinstance(uid, str) else b"",
    )


def _normalize_endpoints(obj: dict[str, Any]) -> dict[str, Any]:
    """gitops-engine diff.go normalizeEndpoint: default protocol, content order.

    Kubernetes sorts ports and subsets by a hash of their content; any deterministic
    content-based order gives the same verdict because both sides get it.
    """
    subsets = obj.get("subsets")
    if not isinstance(subsets, list) or not all(isinstance(s, dict) for s in subsets):
        return obj  # would not convert into corev1.Endpoints: left alone, as Argo CD does
    new_subsets = []
    for subset in subsets:
        new_subset = dict(subset)
        for field in ("addresses", "notReadyAddresses"):
            addresses = subset.get(field)
            if isinstance(addresses, list):
                new_subset[field] = sorted(addresses, key=_address_key)
        ports = subset.get("ports")
        if isinstance(ports, list):
            fixed = []
            for port in ports:
                if isinstance(port, dict) and not port.get("protocol"):
                    port = {**port, "protocol": "TCP"}
                fixed.append(port)
            new_subset["ports"] = sorted(fixed, key=_content_key)
        for field in ("addresses", "notReadyAddresses", "ports"):
            if new_subset.get(field) in ([], None) and field in new_subset:
                del new_subset[field]  # omitempty in the typed form
        new_subsets.append(new_subset)
    new_subsets.sort(key=_content_key)
    if new_subsets == subsets:
        return obj
    result = dict(obj)
    if new_subsets:
        result["subsets"] = new_subsets
    else:
        del result["subsets"]
    return result


def apply_scheme_defaults(obj: dict[str, Any]) -> dict[str, Any]:
    """The object with the Kubernetes scheme defaults of its kind filled in (on a copy).

    Runs the defaulters of k8s.io/kubernetes ``pkg/apis/*/defaults.go`` that gitops-engine
    applies after the patch (``applyPatch``): only fields the defaulters add are added
    (``replicas: 1``, container ``imagePullPolicy``, probe thresholds, Service ``type`` ...),
    existing values are kept. Unregistered kinds are returned unchanged, and so is ``obj``
    when nothing is added.

    >>> svc = {"apiVersion": "v1", "kind": "Service", "spec": {"ports": [{"port": 80}]}}
    >>> apply_scheme_defaults(svc)["spec"]["ports"]
    [{'port': 80, 'protocol': 'TCP', 'targetPort': 80}]
    """
    group_version = strict_group_version(obj.get("apiVersion"))
    kind = obj.get("kind")
    if group_version is None or not isinstance(kind, str):
        return obj
    return apply_defaults(obj, group_version[0], group_version[1], kind)
