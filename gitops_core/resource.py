"""Resource identity: keys, resources with their source location, and the scope of kinds."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from gitops_core.errors import InvalidResourceKeyError

__all__ = [
    "CLUSTER_SCOPED_BUILTIN_KINDS",
    "NAMESPACED_BUILTIN_KINDS",
    "Resource",
    "ResourceKey",
    "ScopeTable",
    "SourceLocation",
    "split_api_version",
]


def split_api_version(api_version: str) -> tuple[str, str]:
    """Split ``apps/v1`` into ``("apps", "v1")`` and ``v1`` into ``("", "v1")``.

    >>> split_api_version("apps/v1")
    ('apps', 'v1')
    >>> split_api_version("v1")
    ('', 'v1')
    """
    group, sep, version = api_version.rpartition("/")
    if not sep:
        return "", api_version
    return group, version


@attrs.frozen(order=True, cache_hash=True)
class ResourceKey:
    """The identity of a resource: ``(group, kind, namespace, name)``; the core group is ``""``.

    Cluster-scoped resources have namespace ``""``. Keys order by group, kind, namespace, name.

    >>> str(ResourceKey("apps", "Deployment", "shop", "web"))
    'apps/Deployment/shop/web'
    >>> ResourceKey.parse("/Service/shop/web")
    ResourceKey(group='', kind='Service', namespace='shop', name='web')
    """

    group: str
    kind: str
    namespace: str
    name: str

    def __str__(self) -> str:
        return f"{self.group}/{self.kind}/{self.namespace}/{self.name}"

    @property
    def group_kind(self) -> str:
        """``group/kind`` (``/Service`` style for the core group is not used: just ``Service``)."""
        return f"{self.group}/{self.kind}" if self.group else self.kind

    @classmethod
    def parse(cls, text: str) -> ResourceKey:
        """Parse the ``str()`` form back; raises :class:`InvalidResourceKeyError`."""
        if not isinstance(text, str):
            raise InvalidResourceKeyError(repr(text), "not a string")
        parts = text.split("/")
        if len(parts) != 4:
            raise InvalidResourceKeyError(text, f"{len(parts)} parts instead of 4")
        group, kind, namespace, name = parts
        if not kind:
            raise InvalidResourceKeyError(text, "empty kind")
        if not name:
            raise InvalidResourceKeyError(text, "empty name")
        return cls(group, kind, namespace, name)


@attrs.frozen
class SourceLocation:
    """Where a resource came from: file path, 0-based document index, 1-based line.

    ``template`` is the ``# Source: chart/templates/x.yaml`` comment of ``helm template`` output
    that precedes the document, when present. ``item`` is the index inside a ``kind: List``
    document the resource was expanded from.
    """

    path: str
    document_index: int
    line: int
    template: str | None = None
    item: int | None = None

    def __str__(self) -> str:
        text = f"{self.path}:{self.line} (document {self.document_index}"
        if self.item is not None:
            text += f", item {self.item}"
        text += ")"
        if self.template:
            text += f" [{self.template}]"
        return text


# Cluster-scoped kinds of the Kubernetes API, by group: every kind of Kubernetes 1.25 to 1.37
# (the OpenAPI schemas shipped by the kubernetes-validate package) was checked against the API
# reference for its scope. Kinds removed from recent releases (PodSecurityPolicy,
# ClusterCIDR, ResourceClass, AuditSink) stay so that older snapshots are read correctly.
# Review kinds (TokenReview, SubjectAccessReview, ...) are never stored, but manifests of them
# are keyed without a namespace, as the API server would.
CLUSTER_SCOPED_BUILTIN_KINDS: frozenset[tuple[str, str]] = frozenset(
    {
        ("", "ComponentStatus"),
        ("", "Namespace"),
        ("", "Node"),
        ("", "PersistentVolume"),
        ("admissionregistration.k8s.io", "MutatingAdmissionPolicy"),
        ("admissionregistration.k8s.io", "MutatingAdmissionPolicyBinding"),
        ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
        ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"),
        ("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"),
        ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
        ("apiextensions.k8s.io", "CustomResourceDefinition"),
        ("apiregistration.k8s.io", "APIService"),
        ("auditregistration.k8s.io", "AuditSink"),
        ("authentication.k8s.io", "SelfSubjectReview"),
        ("authentication.k8s.io", "TokenReview"),
        ("authorization.k8s.io", "SelfSubjectAccessReview"),
        ("authorization.k8s.io", "SelfSubjectRulesReview"),
        ("authorization.k8s.io", "SubjectAccessReview"),
        ("certificates.k8s.io", "CertificateSigningRequest"),
        ("certificates.k8s.io", "ClusterTrustBundle"),
        ("extensions", "PodSecurityPolicy"),
        ("flowcontrol.apiserver.k8s.io", "FlowSchema"),
        ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"),
        ("internal.apiserver.k8s.io", "StorageVersion"),
        ("metrics.k8s.io", "NodeMetrics"),
        ("networking.k8s.io", "ClusterCIDR"),
        ("networking.k8s.io", "IPAddress"),
        ("networking.k8s.io", "IngressClass"),
        ("networking.k8s.io", "ServiceCIDR"),
        ("node.k8s.io", "RuntimeClass"),
        ("policy", "PodSecurityPolicy"),
        ("rbac.authorization.k8s.io", "ClusterRole"),
        ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
        ("resource.k8s.io", "DeviceClass"),
        ("resource.k8s.io", "DeviceTaintRule"),
        ("resource.k8s.io", "ResourceClass"),
        ("resource.k8s.io", "ResourcePoolStatusRequest"),
        ("resource.k8s.io", "ResourceSlice"),
        ("scheduling.k8s.io", "PriorityClass"),
        ("storage.k8s.io", "CSIDriver"),
        ("storage.k8s.io", "CSINode"),
        ("storage.k8s.io", "StorageClass"),
        ("storage.k8s.io", "VolumeAttachment"),
        ("storage.k8s.io", "VolumeAttributesClass"),
        ("storagemigration.k8s.io", "StorageVersionMigration"),
    }
)
"""``(group, kind)`` of the built-in kinds that are cluster-scoped; every other built-in kind
is namespaced."""


NAMESPACED_BUILTIN_KINDS: frozenset[tuple[str, str]] = frozenset(
    {
        ("", "Binding"),
        ("", "ConfigMap"),
        ("", "Endpoints"),
        ("", "Event"),
        ("", "LimitRange"),
        ("", "PersistentVolumeClaim"),
        ("", "Pod"),
        ("", "PodTemplate"),
        ("", "ReplicationController"),
        ("", "ResourceQuota"),
        ("", "Secret"),
        ("", "Service"),
        ("", "ServiceAccount"),
        ("apps", "ControllerRevision"),
        ("apps", "DaemonSet"),
        ("apps", "Deployment"),
        ("apps", "ReplicaSet"),
        ("apps", "StatefulSet"),
        ("authentication.k8s.io", "TokenRequest"),
        ("authorization.k8s.io", "LocalSubjectAccessReview"),
        ("autoscaling", "HorizontalPodAutoscaler"),
        ("autoscaling", "Scale"),
        ("batch", "CronJob"),
        ("batch", "Job"),
        ("certificates.k8s.io", "PodCertificateRequest"),
        ("coordination.k8s.io", "Lease"),
        ("coordination.k8s.io", "LeaseCandidate"),
        ("discovery.k8s.io", "EndpointSlice"),
        ("events.k8s.io", "Event"),
        ("extensions", "DaemonSet"),
        ("extensions", "Deployment"),
        ("extensions", "Ingress"),
        ("extensions", "NetworkPolicy"),
        ("extensions", "ReplicaSet"),
        ("lifecycle.k8s.io", "Eviction"),
        ("lifecycle.k8s.io", "EvictionRequest"),
        ("metrics.k8s.io", "PodMetrics"),
        ("networking.k8s.io", "Ingress"),
        ("networking.k8s.io", "NetworkPolicy"),
        ("policy", "Eviction"),
        ("policy", "PodDisruptionBudget"),
        ("rbac.authorization.k8s.io", "Role"),
        ("rbac.authorization.k8s.io", "RoleBinding"),
        ("resource.k8s.io", "PodScheduling"),
        ("resource.k8s.io", "PodSchedulingContext"),
        ("resource.k8s.io", "ResourceClaim"),
        ("resource.k8s.io", "ResourceClaimParameters"),
        ("resource.k8s.io", "ResourceClaimTemplate"),
        ("resource.k8s.io", "ResourceClassParameters"),
        ("scheduling.k8s.io", "CompositePodGroup"),
        ("scheduling.k8s.io", "PodGroup"),
        ("scheduling.k8s.io", "Workload"),
        ("settings.k8s.io", "PodPreset"),
        ("storage.k8s.io", "CSIStorageCapacity"),
    }
)
"""``(group, kind)`` of the built-in kinds that are namespaced (same sources as above)."""


@attrs.frozen
class ScopeTable:
    """Which (group, kind) pairs are cluster-scoped.

    Built-in kinds come from :data:`CLUSTER_SCOPED_BUILTIN_KINDS`; custom kinds from CRDs
    (``spec.scope``) via :meth:`with_crds`, and from the caller via ``overrides`` (True means
    namespaced). A kind nobody knows is namespaced.
    """

    overrides: Mapping[tuple[str, str], bool] = attrs.field(factory=dict)

    def is_namespaced(self, group: str, kind: str) -> bool:
        """True unless the kind is known to be cluster-scoped."""
        known = self.overrides.get((group, kind))
        if known is not None:
            return known
        return (group, kind) not in CLUSTER_SCOPED_BUILTIN_KINDS

    def is_known(self, group: str, kind: str) -> bool:
        """True when the scope comes from an override, a CRD or the built-in tables."""
        pair = (group, kind)
        return (
            pair in self.overrides
            or pair in CLUSTER_SCOPED_BUILTIN_KINDS
            or pair in NAMESPACED_BUILTIN_KINDS
        )

    def with_overrides(self, scopes: Mapping[tuple[str, str], bool]) -> ScopeTable:
        """A new table with ``scopes`` (``(group, kind) -> namespaced``) taking precedence."""
        merged = dict(self.overrides)
        merged.update(scopes)
        return ScopeTable(merged)

    def with_crds(self, objects: Iterable[Mapping[str, Any]]) -> ScopeTable:
        """A new table that also knows the scope of every CRD among ``objects``.

        Existing overrides win over CRDs (a caller's explicit word beats the manifests).
        """
        found: dict[tuple[str, str], bool] = {}
        for obj in objects:
            crd_scope = crd_group_kind_scope(obj)
            if crd_scope is not None:
                found[crd_scope[0]] = crd_scope[1]
        if not found:
            return self
        found.update(self.overrides)
        return ScopeTable(found)


def crd_group_kind_scope(obj: Mapping[str, Any]) -> tuple[tuple[str, str], bool] | None:
    """For a CRD object, ``((group, kind), namespaced)``; ``None`` for anything else."""
    if obj.get("kind") != "CustomResourceDefinition":
        return None
    api_version = obj.get("apiVersion")
    if not isinstance(api_version, str) or not api_version.startswith("apiextensions.k8s.io/"):
        return None
    spec = obj.get("spec")
    if not isinstance(spec, Mapping):
        return None
    group = spec.get("group")
    names = spec.get("names")
    kind = names.get("kind") if isinstance(names, Mapping) else None
    if not isinstance(group, str) or not isinstance(kind, str):
        return None
    return (group, kind), spec.get("scope", "Namespaced") != "Cluster"


@attrs.frozen(eq=False)
class Resource:
    """One Kubernetes object with its identity and origin.

    ``object`` is the plain dict as loaded; treat it as read-only (normalisers copy it).
    ``key.namespace`` is the effective namespace: ``metadata.namespace``, else the loader's
    default namespace for namespaced kinds, and always ``""`` for cluster-scoped kinds.
    Objects that only have ``metadata.generateName`` (hooks) have ``key.name == ""``.
    """

    object: dict[str, Any]
    key: ResourceKey
    api_version: str
    source: SourceLocation | None = None

    @property
    def kind(self) -> str:
        """The kind."""
        return self.key.kind

    @property
    def group(self) -> str:
        """The API group (``""`` for the core group)."""
        return self.key.group

    @property
    def version(self) -> str:
        """The version part of ``api_version``."""
        return split_api_version(self.api_version)[1]

    @property
    def name(self) -> str:
        """``metadata.name`` (``""`` for a hook with only ``generateName``)."""
        return self.key.name

    @property
    def namespace(self) -> str:
        """The effective namespace (``""`` when cluster-scoped or unset)."""
        return self.key.namespace

    @property
    def metadata(self) -> Mapping[str, Any]:
        """``metadata`` as a mapping (empty when absent)."""
        meta = self.object.get("metadata")
        return meta if isinstance(meta, Mapping) else {}

    @property
    def generate_name(self) -> str | None:
        """``metadata.generateName`` when it is a string, else ``None``."""
        value = self.metadata.get("generateName")
        return value if isinstance(value, str) else None

    @property
    def annotations(self) -> Mapping[str, str]:
        """``metadata.annotations`` (empty when absent)."""
        value = self.metadata.get("annotations")
        return value if isinstance(value, Mapping) else {}

    @property
    def labels(self) -> Mapping[str, str]:
        """``metadata.labels`` (empty when absent)."""
        value = self.metadata.get("labels")
        return value if isinstance(value, Mapping) else {}

    def __repr__(self) -> str:
        # never the object itself: it may be a Secret
        return (
            f"Resource({str(self.key)!r}, api_version={self.api_version!r}, source={self.source})"
        )

    @classmethod
    def from_object(
        cls,
        obj: dict[str, Any],
        *,
        scopes: ScopeTable | None = None,
        default_namespace: str | None = None,
        source: SourceLocation | None = None,
    ) -> Resource:
        """Build a resource from an already validated object dict (see ``manifests`` for checks)."""
        api_version = obj["apiVersion"]
        kind = obj["kind"]
        group = split_api_version(api_version)[0]
        meta = obj.get("metadata") or {}
        name = meta.get("name") or ""
        table = scopes if scopes is not None else _DEFAULT_SCOPES
        if table.is_namespaced(group, kind):
            namespace = meta.get("namespace") or default_namespace or ""
        else:
            namespace = ""
        return cls(obj, ResourceKey(group, kind, namespace, name), api_version, source)


_DEFAULT_SCOPES = ScopeTable()
