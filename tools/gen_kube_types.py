#!/usr/bin/env python3
"""Generate ``gitops_core/diff/_kube_types.json`` from the Kubernetes OpenAPI schema.

Input: the JSON-schema form of the Kubernetes OpenAPI definitions shipped in the PyPI package
``kubernetes-validate`` (a development-time input only, never a runtime dependency)::

    pip download --no-deps kubernetes-validate -d /tmp/kv
    cd /tmp/kv && unzip -q kubernetes_validate-*.whl -d x
    python tools/gen_kube_types.py /tmp/kv/x/kubernetes_validate/kubernetes-json-schema

Every ``v*-local/_definitions.json`` in that folder is read, newest version first; a type keeps
the definition of the newest version that has it, so API versions removed from the server
(``autoscaling/v2beta2``, ``policy/v1beta1``, ...) stay known as long as one shipped schema has
them. Kinds older than every shipped schema that client-go still registers (``apps/v1beta1``,
``extensions/v1beta1``, ...) borrow the schema of their successor (``LEGACY_KINDS``).

Output (compact JSON, no descriptions)::

    {"kubernetes": "v1.37.0", "generator": "tools/gen_kube_types.py", ...,
     "kinds": {"apps/v1/Deployment": "io.k8s.api.apps.v1.Deployment", ...},
     "aliases": ["apps/v1beta1/Deployment", ...],
     "types": {"io.k8s.api.apps.v1.DeploymentSpec": {"replicas": [shape, type, ...]}}}

Each field is ``[shape, type_name, patch_strategy, merge_key, list_type, list_map_keys, flags,
scalar_type]`` with the flag bits of ``FLAG_*`` below (mirrored in ``gitops_core/diff/_schema.py``).
Go struct tags are not in the OpenAPI document: whether a field is ``omitempty`` is taken from
the schema's ``required`` list (optional fields are ``omitempty``) corrected by the hand lists
``KEEP_EMPTY``, ``POINTER_STRINGS`` and ``ZERO_OMITTED`` below, each naming its Go source.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

FLAG_INT_OR_STRING = 1
FLAG_QUANTITY = 2
FLAG_REQUIRED = 4
FLAG_TIME = 8
FLAG_MICRO_TIME = 16
FLAG_BYTES = 32
FLAG_INT32 = 64
FLAG_ANY = 128  # arbitrary JSON (RawExtension, FieldsV1, apiextensions JSON): never checked
FLAG_OMIT_EMPTY = 256  # optional (Go omitempty): null, [], {} and "" (unless a pointer) dropped
FLAG_OMIT_ZERO = 512  # non-pointer bool/int with omitempty: false / 0 are dropped too
FLAG_POINTER = 1024  # a *string: "" is a value and survives

_META = "io.k8s.apimachinery.pkg.apis.meta.v1."
_SPECIAL_REFS: dict[str, tuple[str, str | None, int]] = {
    "io.k8s.apimachinery.pkg.api.resource.Quantity": ("scalar", "string", FLAG_QUANTITY),
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": ("scalar", None, FLAG_INT_OR_STRING),
    _META + "Time": ("scalar", "string", FLAG_TIME),
    _META + "MicroTime": ("scalar", "string", FLAG_MICRO_TIME),
    _META + "FieldsV1": ("object", None, FLAG_ANY),
    _META + "Patch": ("object", None, FLAG_ANY),
    "io.k8s.apimachinery.pkg.runtime.RawExtension": ("object", None, FLAG_ANY),
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON": ("scalar", None, FLAG_ANY),
}

# Groups whose kinds client-go's scheme does not register (separate clientsets): custom
# resources go the JSON-merge way, and so do CRD and APIService objects (spec/diff.md §4).
UNREGISTERED_GROUPS = frozenset({"apiextensions.k8s.io", "apiregistration.k8s.io"})

# Kinds that k8s.io/api still ships (so client-go's scheme registers them, k8s.io/api
# <group>/<version>/register.go addKnownTypes) but that no shipped schema has any more:
# (group, version) -> {kind: (group, version) of the successor whose schema they borrow}. The
# borrowed schema gives merge keys and field types; defaults are not applied to aliased kinds.
_RBAC = "rbac.authorization.k8s.io"
_RBAC_KINDS = ("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")
LEGACY_KINDS: dict[tuple[str, str], dict[str, tuple[str, str]]] = {
    ("extensions", "v1beta1"): {
        "DaemonSet": ("apps", "v1"),
        "Deployment": ("apps", "v1"),
        "ReplicaSet": ("apps", "v1"),
        "Ingress": ("networking.k8s.io", "v1"),
        "NetworkPolicy": ("networking.k8s.io", "v1"),
    },
    ("apps", "v1beta1"): {
        kind: ("apps", "v1") for kind in ("ControllerRevision", "Deployment", "StatefulSet")
    },
    ("apps", "v1beta2"): {
        kind: ("apps", "v1")
        for kind in ("ControllerRevision", "DaemonSet", "Deployment", "ReplicaSet", "StatefulSet")
    },
    ("admissionregistration.k8s.io", "v1beta1"): {
        "MutatingWebhookConfiguration": ("admissionregistration.k8s.io", "v1"),
        "ValidatingWebhookConfiguration": ("admissionregistration.k8s.io", "v1"),
    },
    ("batch", "v1beta1"): {"CronJob": ("batch", "v1")},
    ("autoscaling", "v2beta1"): {"HorizontalPodAutoscaler": ("autoscaling", "v2")},
    ("networking.k8s.io", "v1beta1"): {
        kind: ("networking.k8s.io", "v1") for kind in ("Ingress", "IngressClass")
    },
    (_RBAC, "v1beta1"): {kind: (_RBAC, "v1") for kind in _RBAC_KINDS},
    (_RBAC, "v1alpha1"): {kind: (_RBAC, "v1") for kind in _RBAC_KINDS},
    ("storage.k8s.io", "v1beta1"): {
        kind: ("storage.k8s.io", "v1")
        for kind in ("StorageClass", "VolumeAttachment", "CSIDriver", "CSINode")
    },
    ("scheduling.k8s.io", "v1beta1"): {"PriorityClass": ("scheduling.k8s.io", "v1")},
    ("scheduling.k8s.io", "v1alpha1"): {"PriorityClass": ("scheduling.k8s.io", "v1")},
    ("coordination.k8s.io", "v1beta1"): {"Lease": ("coordination.k8s.io", "v1")},
    ("certificates.k8s.io", "v1beta1"): {
        "CertificateSigningRequest": ("certificates.k8s.io", "v1")
    },
    ("events.k8s.io", "v1beta1"): {"Event": ("events.k8s.io", "v1")},
    ("discovery.k8s.io", "v1beta1"): {"EndpointSlice": ("discovery.k8s.io", "v1")},
    ("node.k8s.io", "v1beta1"): {"RuntimeClass": ("node.k8s.io", "v1")},
    ("node.k8s.io", "v1alpha1"): {"RuntimeClass": ("node.k8s.io", "v1")},
    ("policy", "v1beta1"): {"PodDisruptionBudget": ("policy", "v1")},
}

# Optional fields whose Go tag has no omitempty: an empty value survives the round trip.
# k8s.io/api rbac/v1/types.go (Role.Rules, ClusterRole.Rules: `json:"rules"`).
KEEP_EMPTY: frozenset[tuple[str, str]] = frozenset(
    {
        ("io.k8s.api.rbac.v1.Role", "rules"),
        ("io.k8s.api.rbac.v1.ClusterRole", "rules"),
    }
)

# Optional strings that are Go pointers (*string): "" is a value, not omitted.
# k8s.io/api core/v1/types.go, networking/v1/types.go, storage/v1/types.go.
POINTER_STRINGS: frozenset[tuple[str, str]] = frozenset(
    {
        ("io.k8s.api.core.v1.PersistentVolumeClaimSpec", "storageClassName"),
        ("io.k8s.api.core.v1.PersistentVolumeClaimSpec", "volumeMode"),
        ("io.k8s.api.core.v1.PersistentVolumeClaimSpec", "volumeAttributesClassName"),
        ("io.k8s.api.core.v1.PersistentVolumeSpec", "volumeMode"),
        ("io.k8s.api.core.v1.PersistentVolumeSpec", "volumeAttributesClassName"),
        ("io.k8s.api.core.v1.PodSecurityContext", "supplementalGroupsPolicy"),
        ("io.k8s.api.core.v1.PodSecurityContext", "fsGroupChangePolicy"),
        ("io.k8s.api.core.v1.PodSecurityContext", "seLinuxChangePolicy"),
        ("io.k8s.api.core.v1.SecurityContext", "procMount"),
        ("io.k8s.api.core.v1.ServiceSpec", "ipFamilyPolicy"),
        ("io.k8s.api.core.v1.ServiceSpec", "internalTrafficPolicy"),
        ("io.k8s.api.core.v1.ServiceSpec", "loadBalancerClass"),
        ("io.k8s.api.core.v1.ServiceSpec", "trafficDistribution"),
        ("io.k8s.api.core.v1.ServicePort", "appProtocol"),
        ("io.k8s.api.core.v1.VolumeMount", "recursiveReadOnly"),
        ("io.k8s.api.core.v1.Container", "restartPolicy"),
        ("io.k8s.api.core.v1.EphemeralContainer", "restartPolicy"),
        ("io.k8s.api.core.v1.TopologySpreadConstraint", "nodeAffinityPolicy"),
        ("io.k8s.api.core.v1.TopologySpreadConstraint", "nodeTaintsPolicy"),
        ("io.k8s.api.core.v1.HostPathVolumeSource", "type"),
        ("io.k8s.api.core.v1.AzureDiskVolumeSource", "cachingMode"),
        ("io.k8s.api.core.v1.AzureDiskVolumeSource", "fsType"),
        ("io.k8s.api.core.v1.AzureDiskVolumeSource", "kind"),
        ("io.k8s.api.core.v1.CSIVolumeSource", "fsType"),
        ("io.k8s.api.core.v1.EnvVarSource", "fileKeyRef"),
        ("io.k8s.api.core.v1.PodSpec", "hostnameOverride"),
        ("io.k8s.api.networking.v1.IngressSpec", "ingressClassName"),
        ("io.k8s.api.networking.v1.HTTPIngressPath", "pathType"),
        ("io.k8s.api.storage.v1.StorageClass", "reclaimPolicy"),
        ("io.k8s.api.storage.v1.StorageClass", "volumeBindingMode"),
        ("io.k8s.api.discovery.v1.EndpointPort", "name"),
        ("io.k8s.api.discovery.v1.EndpointPort", "protocol"),
        ("io.k8s.api.discovery.v1.EndpointPort", "appProtocol"),
        ("io.k8s.api.discovery.v1.Endpoint", "hostname"),
        ("io.k8s.api.discovery.v1.Endpoint", "nodeName"),
        ("io.k8s.api.discovery.v1.Endpoint", "zone"),
        ("io.k8s.api.batch.v1.JobSpec", "completionMode"),
        ("io.k8s.api.batch.v1.JobSpec", "podReplacementPolicy"),
        ("io.k8s.api.batch.v1.JobSpec", "managedBy"),
        ("io.k8s.api.batch.v1.CronJobSpec", "timeZone"),
        ("io.k8s.api.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy", "whenDeleted"),
        ("io.k8s.api.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy", "whenScaled"),
        ("io.k8s.api.policy.v1.PodDisruptionBudgetSpec", "unhealthyPodEvictionPolicy"),
        ("io.k8s.api.admissionregistration.v1.ValidatingWebhook", "failurePolicy"),
        ("io.k8s.api.admissionregistration.v1.ValidatingWebhook", "matchPolicy"),
        ("io.k8s.api.admissionregistration.v1.ValidatingWebhook", "sideEffects"),
        ("io.k8s.api.admissionregistration.v1.MutatingWebhook", "failurePolicy"),
        ("io.k8s.api.admissionregistration.v1.MutatingWebhook", "matchPolicy"),
        ("io.k8s.api.admissionregistration.v1.MutatingWebhook", "sideEffects"),
        ("io.k8s.api.admissionregistration.v1.MutatingWebhook", "reinvocationPolicy"),
        ("io.k8s.api.admissionregistration.v1.ServiceReference", "path"),
        ("io.k8s.api.admissionregistration.v1.WebhookClientConfig", "url"),
        ("io.k8s.api.admissionregistration.v1.RuleWithOperations", "scope"),
    }
)

# Non-pointer bools and ints with omitempty: false / 0 disappear in the round trip (readOnly:
# false is the pinned case). Everything else that is optional is a pointer in k8s.io/api and
# keeps its zero. Sources: k8s.io/api core/v1/types.go, apps/v1/types.go, meta/v1/types.go.
_ZERO_OMITTED_FIELDS: dict[str, tuple[str, ...]] = {
    "io.k8s.api.core.v1.VolumeMount": ("readOnly",),
    "io.k8s.api.core.v1.Container": ("stdin", "stdinOnce", "tty"),
    "io.k8s.api.core.v1.EphemeralContainer": ("stdin", "stdinOnce", "tty"),
    "io.k8s.api.core.v1.PodSpec": ("hostNetwork", "hostPID", "hostIPC"),
    "io.k8s.api.core.v1.ContainerPort": ("hostPort",),
    "io.k8s.api.core.v1.ServicePort": ("nodePort",),
    "io.k8s.api.core.v1.ServiceSpec": ("publishNotReadyAddresses", "healthCheckNodePort"),
    "io.k8s.api.core.v1.Probe": (
        "initialDelaySeconds",
        "timeoutSeconds",
        "periodSeconds",
        "successThreshold",
        "failureThreshold",
    ),
    "io.k8s.api.core.v1.AWSElasticBlockStoreVolumeSource": ("partition", "readOnly"),
    "io.k8s.api.core.v1.GCEPersistentDiskVolumeSource": ("partition", "readOnly"),
    "io.k8s.api.core.v1.PersistentVolumeClaimVolumeSource": ("readOnly",),
    "io.k8s.api.core.v1.NFSVolumeSource": ("readOnly",),
    "io.k8s.api.core.v1.ISCSIVolumeSource": ("readOnly", "chapAuthDiscovery", "chapAuthSession"),
    "io.k8s.api.core.v1.ISCSIPersistentVolumeSource": (
        "readOnly",
        "chapAuthDiscovery",
        "chapAuthSession",
    ),
    "io.k8s.api.core.v1.RBDVolumeSource": ("readOnly",),
    "io.k8s.api.core.v1.RBDPersistentVolumeSource": ("readOnly",),
    "io.k8s.api.core.v1.CephFSVolumeSource": ("readOnly",),
    "io.k8s.api.core.v1.CephFSPersistentVolumeSource": ("readOnly",),
    "io.k8s.api.core.v1.CinderVolumeSource": ("readOnly",),
    "io.k8s.api.core.v1.CinderPersistentVolumeSource": ("readOnly",),
    "io.k8s.api.core.v1.FCVolumeSource": ("readOnly",),
    "io.k8s.api.core.v1.FlexVolumeSource": ("readOnly",),
    "io.k8s.api.core.v1.FlexPersistentVolumeSource": ("readOnly",),
    "io.k8s.api.core.v1.AzureFileVolumeSource": ("readOnly",),
    "io.k8s.api.core.v1.AzureFilePersistentVolumeSource": ("readOnly",),
    "io.k8s.api.core.v1.QuobyteVolumeSource": ("readOnly",),
    "io.k8s.api.core.v1.ScaleIOVolumeSource": ("readOnly", "sslEnabled"),
    "io.k8s.api.core.v1.ScaleIOPersistentVolumeSource": ("readOnly", "sslEnabled"),
    "io.k8s.api.core.v1.StorageOSVolumeSource": ("readOnly",),
    "io.k8s.api.core.v1.StorageOSPersistentVolumeSource": ("readOnly",),
    "io.k8s.api.core.v1.PortworxVolumeSource": ("readOnly",),
    "io.k8s.api.core.v1.GlusterfsVolumeSource": ("readOnly",),
    "io.k8s.api.core.v1.GlusterfsPersistentVolumeSource": ("readOnly",),
    "io.k8s.api.core.v1.CSIPersistentVolumeSource": ("readOnly",),
    "io.k8s.api.apps.v1.DeploymentSpec": ("minReadySeconds", "paused"),
    "io.k8s.api.apps.v1.StatefulSetSpec": ("minReadySeconds",),
    "io.k8s.api.apps.v1.DaemonSetSpec": ("minReadySeconds",),
    "io.k8s.api.apps.v1.ReplicaSetSpec": ("minReadySeconds",),
    "io.k8s.api.core.v1.ReplicationControllerSpec": ("minReadySeconds",),
    "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": ("generation",),
    "io.k8s.api.networking.v1.ServiceBackendPort": ("number",),
    "io.k8s.api.apps.v1.DeploymentStatus": (
        "observedGeneration",
        "replicas",
        "updatedReplicas",
        "readyReplicas",
        "availableReplicas",
        "unavailableReplicas",
    ),
    "io.k8s.api.apps.v1.ReplicaSetStatus": (
        "fullyLabeledReplicas",
        "readyReplicas",
        "availableReplicas",
        "observedGeneration",
    ),
    "io.k8s.api.batch.v1.JobStatus": ("active", "succeeded", "failed"),
    "io.k8s.api.apps.v1.ControllerRevision": ("revision",),
}
ZERO_OMITTED: frozenset[tuple[str, str]] = frozenset(
    (type_name, field) for type_name, fields in _ZERO_OMITTED_FIELDS.items() for field in fields
)

_VERSION_DIR = re.compile(r"^v(\d+)\.(\d+)\.(\d+)-local$")
_REF_PREFIXES = ("#/$defs/", "#/definitions/")


def _ref_name(ref: str) -> str:
    for prefix in _REF_PREFIXES:
        if ref.startswith(prefix):
            return ref[len(prefix) :]
    raise SystemExit(f"unexpected $ref {ref!r}")


def _json_type(node: dict[str, Any]) -> str | None:
    kind = node.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        return kinds[0] if len(kinds) == 1 else None
    return kind if isinstance(kind, str) else None


def _element(node: dict[str, Any], defs: dict[str, Any]) -> tuple[str, str | None, int, str | None]:
    """(shape, type_name, flags, scalar_type) of a schema node (property, item or map value)."""
    ref = node.get("$ref")
    if ref is None and isinstance(node.get("allOf"), list) and len(node["allOf"]) == 1:
        ref = node["allOf"][0].get("$ref")
    if ref is not None:
        name = _ref_name(ref)
        special = _SPECIAL_REFS.get(name)
        if special is not None:
            shape, scalar, flags = special
            return shape, None, flags, scalar
        target = defs[name]
        if "properties" in target or _json_type(target) == "object":
            return "object", name, 0, None
        scalar = _json_type(target)
        flags = _format_flags(target.get("format"))
        return "scalar", None, flags, scalar
    kind = _json_type(node)
    if kind == "array":
        return "list", None, 0, None
    if kind == "object":
        return (
            ("map", None, 0, None) if "additionalProperties" in node else ("object", None, 0, None)
        )
    if kind is None:
        return "scalar", None, FLAG_ANY, None
    return "scalar", None, _format_flags(node.get("format")), kind


def _format_flags(fmt: object) -> int:
    if fmt == "int32":
        return FLAG_INT32
    if fmt == "byte":
        return FLAG_BYTES
    if fmt == "date-time":
        return FLAG_TIME
    return 0


def _field(
    type_name: str, field: str, node: dict[str, Any], required: bool, defs: dict[str, Any]
) -> list[Any]:
    shape, child, flags, scalar = _element(node, defs)
    if shape == "list":
        items = node.get("items", {})
        item_shape, child, flags, scalar = _element(items, defs)
        if item_shape in ("list", "map"):
            child, scalar, flags = None, None, FLAG_ANY
    elif shape == "map":
        values = node.get("additionalProperties")
        if isinstance(values, dict):
            value_shape, child, flags, scalar = _element(values, defs)
            if value_shape in ("list", "map"):
                child, scalar, flags = None, None, FLAG_ANY
        else:
            child, scalar, flags = None, None, FLAG_ANY
    if required:
        flags |= FLAG_REQUIRED
    key = (type_name, field)
    if not required and key not in KEEP_EMPTY:
        flags |= FLAG_OMIT_EMPTY
    if key in POINTER_STRINGS:
        flags |= FLAG_POINTER
    if key in ZERO_OMITTED:
        flags |= FLAG_OMIT_ZERO
    merge_key = node.get("x-kubernetes-patch-merge-key")
    map_keys = node.get("x-kubernetes-list-map-keys") or []
    record: list[Any] = [
        shape,
        child,
        node.get("x-kubernetes-patch-strategy"),
        merge_key,
        node.get("x-kubernetes-list-type"),
        list(map_keys),
        flags,
        scalar,
    ]
    while len(record) > 1 and record[-1] in (None, 0, []):
        record.pop()
    return record


def _references(node: object) -> list[str]:
    """Every definition name a schema node refers to."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                found.append(_ref_name(value))
            else:
                found.extend(_references(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_references(value))
    return found


def _versions(root: Path) -> list[tuple[tuple[int, int, int], Path]]:
    found = []
    for entry in root.iterdir():
        match = _VERSION_DIR.match(entry.name)
        if match and (entry / "_definitions.json").is_file():
            found.append(((int(match[1]), int(match[2]), int(match[3])), entry))
    if not found:
        raise SystemExit(f"no v*-local/_definitions.json under {root}")
    return sorted(found, reverse=True)


def _load_defs(path: Path) -> dict[str, Any]:
    document = json.loads((path / "_definitions.json").read_text())
    defs = document.get("$defs") or document.get("definitions")
    if not isinstance(defs, dict):
        raise SystemExit(f"{path}: no definitions")
    return defs


def generate(root: Path) -> dict[str, Any]:
    """Build the table from every schema version under ``root`` (newest wins)."""
    versions = _versions(root)
    newest = versions[0][1].name.removesuffix("-local")
    merged: dict[str, Any] = {}
    kinds: dict[str, str] = {}
    owner: dict[str, dict[str, Any]] = {}
    for _, path in versions:
        defs = _load_defs(path)
        for name, definition in defs.items():
            if name in merged:
                continue
            merged[name] = definition
            owner[name] = defs
            for gvk in definition.get("x-kubernetes-group-version-kind", []):
                group, version, kind = gvk.get("group", ""), gvk["version"], gvk["kind"]
                if name.startswith("io.k8s.apimachinery.") or group in UNREGISTERED_GROUPS:
                    continue
                kinds.setdefault(f"{group}/{version}/{kind}", name)
    aliases = []
    for (group, version), kind_map in LEGACY_KINDS.items():
        for kind, (target_group, target_version) in kind_map.items():
            key = f"{group}/{version}/{kind}"
            if key in kinds:
                continue
            target = kinds.get(f"{target_group}/{target_version}/{kind}")
            if target is None:
                raise SystemExit(f"alias target of {key} missing")
            kinds[key] = target
            aliases.append(key)

    # keep only the types reachable from a registered kind
    reachable: set[str] = set()
    pending = list(kinds.values())
    while pending:
        name = pending.pop()
        if name in reachable or name in _SPECIAL_REFS:
            continue
        reachable.add(name)
        pending.extend(_references(merged[name]))

    types: dict[str, dict[str, list[Any]]] = {}
    for name in sorted(reachable):
        definition = merged[name]
        properties = definition.get("properties")
        if not isinstance(properties, dict):
            if _json_type(definition) == "object":
                types[name] = {}
            continue
        required = set(definition.get("required", []))
        types[name] = {
            field: _field(name, field, node, field in required, owner[name])
            for field, node in sorted(properties.items())
        }
    return {
        "kubernetes": newest,
        "generator": "tools/gen_kube_types.py",
        "source": "kubernetes-validate: kubernetes-json-schema/v*-local/_definitions.json",
        "versions": [path.name.removesuffix("-local") for _, path in versions],
        "kinds": dict(sorted(kinds.items())),
        "aliases": sorted(aliases),
        "types": types,
    }


def _render(table: dict[str, Any]) -> str:
    """Compact JSON with one kind or type per line, so regenerations diff line by line."""
    compact: dict[str, Any] = {"separators": (",", ":")}
    lines = ["{"]
    for key, value in table.items():
        if key in ("kinds", "types"):
            lines.append(f"{json.dumps(key)}:{{")
            entries = [
                f"{json.dumps(name)}:{json.dumps(item, **compact)}" for name, item in value.items()
            ]
            lines.append(",\n".join(entries))
            lines.append("},")
        else:
            lines.append(f"{json.dumps(key)}:{json.dumps(value, **compact)},")
    lines[-1] = lines[-1].rstrip(",")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command line: ``gen_kube_types.py SCHEMA_DIR [-o OUTPUT]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("schema_dir", type=Path, help="kubernetes-json-schema folder")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path(__file__).resolve().parents[1] / "gitops_core" / "diff" / "_kube_types.json",
    )
    args = parser.parse_args(argv)
    table = generate(args.schema_dir)
    text = _render(table)
    args.output.write_text(text)
    print(
        f"wrote {args.output} ({len(text)} bytes): {len(table['kinds'])} kinds, "
        f"{len(table['types'])} types, Kubernetes {table['kubernetes']}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
