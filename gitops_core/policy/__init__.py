"""Policy checks: catch Argo CD's silent traps, and your own rules, before a sync.

A check is a function of a :class:`PolicyContext` that yields :class:`Finding` values; it is
registered with :func:`check` (or the entry point group ``gitops_core.policies``) and run by
:func:`run_policies`, which returns a :class:`PolicyReport`. The built-in checks (GC001...) live
in :mod:`gitops_core.policy.builtin`.
"""

from __future__ import annotations

from gitops_core.policy._api import (
    DISABLE_ANNOTATION,
    ENTRY_POINT_GROUP,
    Check,
    CheckFunction,
    CheckRegistry,
    Finding,
    PolicyContext,
    PolicyReport,
    Severity,
    check,
    default_registry,
    load_entry_points,
    load_policy_module,
    run_policies,
)

__all__ = [
    "DISABLE_ANNOTATION",
    "ENTRY_POINT_GROUP",
    "Check",
    "CheckFunction",
    "CheckRegistry",
    "Finding",
    "PolicyContext",
    "PolicyReport",
    "Severity",
    "check",
    "default_registry",
    "load_entry_points",
    "load_policy_module",
    "run_policies",
]
