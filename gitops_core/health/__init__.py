"""Health assessment: built-in checks, Lua checks, registry and aggregation."""

from __future__ import annotations

from gitops_core.health._assess import assess_health, builtin_health
from gitops_core.health._status import HealthResult, HealthStatus, is_worse
from gitops_core.health.aggregate import AppHealth, ResourceHealth, aggregate_health
from gitops_core.health.generic import generic_conditions_health
from gitops_core.health.lua import LuaLimits, run_lua_health
from gitops_core.health.registry import HealthOverride, HealthRegistry, default_registry

__all__ = [
    "AppHealth",
    "HealthOverride",
    "HealthRegistry",
    "HealthResult",
    "HealthStatus",
    "LuaLimits",
    "ResourceHealth",
    "aggregate_health",
    "assess_health",
    "builtin_health",
    "default_registry",
    "generic_conditions_health",
    "is_worse",
    "run_lua_health",
]
