"""Health assessment: built-in checks, Lua checks, registry and aggregation."""

from __future__ import annotations

from gitops_core.health._status import HealthResult, HealthStatus, is_worse

__all__ = ["HealthResult", "HealthStatus", "is_worse"]
