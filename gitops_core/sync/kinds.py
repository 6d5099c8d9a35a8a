"""Kind order of the sync sort (spec §5.2) and the kinds a stock API server serves.

The rank is looked up by the ``kind`` string only; the API group is ignored, so a Knative
``Service`` ranks like a core Service. Every kind not listed ranks 0, after all listed kinds.

>>> kind_rank("Namespace"), kind_rank("APIService"), kind_rank("Certificate")
(-35, -1, 0)
"""

from __future__ import annotations

from collections.abc import Mapping

from gitops_core.resource import CLUSTER_SCOPED_BUILTIN_KINDS, NAMESPACED_BUILTIN_KINDS

__all__ = ["BUILTIN_API_RESOURCES", "KIND_ORDER", "KIND_RANK", "kind_rank"]

KIND_ORDER: tuple[str, ...] = (
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
)
"""The engine's kind order (an old Helm install order), first applied first."""

KIND_RANK: Mapping[str, int] = {kind: i - len(KIND_ORDER) for i, kind in enumerate(KIND_ORDER)}
"""Rank of each listed kind: list index − 35, so Namespace is −35 and APIService −1."""


def kind_rank(kind: str) -> int:
    """The sort rank of ``kind`` (0 for every kind not in :data:`KIND_ORDER`).

    >>> kind_rank("Deployment") < kind_rank("Service")
    False
    """
    return KIND_RANK.get(kind, 0)


BUILTIN_API_RESOURCES: Mapping[tuple[str, str], bool] = {
    **{group_kind: True for group_kind in NAMESPACED_BUILTIN_KINDS},
    **{group_kind: False for group_kind in CLUSTER_SCOPED_BUILTIN_KINDS},
}
"""``(group, kind) -> namespaced`` for the kinds a stock Kubernetes API server serves."""
