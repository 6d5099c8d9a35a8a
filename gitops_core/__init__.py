"""gitops_core: Argo CD's GitOps engine as a pure-Python library.

Load manifests, diff them three-way against live state, plan the sync and judge health, offline.
"""

from __future__ import annotations

__version__ = "0.1.0"

from gitops_core._gc import set_gc_pause
from gitops_core.batch import (
    BatchApp,
    BatchResult,
    assess_many,
    compare_many,
    plan_many,
    run_many,
)
from gitops_core.diff import (
    CompareOptions,
    Comparison,
    DiffOptions,
    DiffResult,
    IgnoreDifference,
    compare,
    diff,
)
from gitops_core.errors import GitopsCoreError, ManifestError
from gitops_core.health import (
    HealthRegistry,
    HealthResult,
    HealthStatus,
    aggregate_health,
    assess_health,
    default_registry,
    run_lua_health,
)
from gitops_core.manifests import ManifestSet, dump_manifests, load_manifests, parse_manifests
from gitops_core.policy import Finding, PolicyContext, PolicyReport, run_policies
from gitops_core.resource import Resource, ResourceKey, ScopeTable, SourceLocation
from gitops_core.sync import (
    SimCluster,
    SyncOptions,
    SyncPlan,
    SyncTask,
    classify,
    plan_sync,
    simulate_sync,
)

__all__ = [
    "BatchApp",
    "BatchResult",
    "CompareOptions",
    "Comparison",
    "DiffOptions",
    "DiffResult",
    "Finding",
    "GitopsCoreError",
    "HealthRegistry",
    "HealthResult",
    "HealthStatus",
    "IgnoreDifference",
    "ManifestError",
    "ManifestSet",
    "PolicyContext",
    "PolicyReport",
    "Resource",
    "ResourceKey",
    "ScopeTable",
    "SimCluster",
    "SourceLocation",
    "SyncOptions",
    "SyncPlan",
    "SyncTask",
    "__version__",
    "aggregate_health",
    "assess_health",
    "assess_many",
    "classify",
    "compare",
    "compare_many",
    "default_registry",
    "diff",
    "dump_manifests",
    "load_manifests",
    "parse_manifests",
    "plan_many",
    "plan_sync",
    "run_lua_health",
    "run_many",
    "run_policies",
    "set_gc_pause",
    "simulate_sync",
]
