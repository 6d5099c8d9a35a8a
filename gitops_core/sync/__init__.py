"""Sync planning: classify objects, order tasks by phase, wave and kind, hooks and pruning."""

from __future__ import annotations

from gitops_core.sync.classify import Classification, classify
from gitops_core.sync.kinds import KIND_ORDER, kind_rank
from gitops_core.sync.plan import (
    ManagedNamespaceMetadata,
    SkippedObject,
    SyncOptions,
    SyncPlan,
    SyncTask,
    TaskDetails,
    TaskResult,
    generate_hook_name,
    plan_sync,
)
from gitops_core.sync.simulate import SimCluster, SimulationResult, simulate_sync

__all__ = [
    "KIND_ORDER",
    "Classification",
    "ManagedNamespaceMetadata",
    "SimCluster",
    "SimulationResult",
    "SkippedObject",
    "SyncOptions",
    "SyncPlan",
    "SyncTask",
    "TaskDetails",
    "TaskResult",
    "classify",
    "generate_hook_name",
    "kind_rank",
    "plan_sync",
    "simulate_sync",
]
