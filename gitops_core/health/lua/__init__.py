"""The Lua engine for health scripts (Argo CD's gopher-lua environment, on lupa)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from gitops_core.health._status import HealthResult, HealthStatus

__all__ = ["LuaLimits", "run_lua_health"]


@attrs.frozen
class LuaLimits:
    """Resource limits of one evaluation (``None`` disables a limit).

    ``instructions``: VM instruction budget; ``timeout``: wall-clock seconds (Argo CD: 1 s);
    ``memory``: bytes the evaluation may allocate.
    """

    instructions: int | None = 100_000_000
    timeout: float | None = 1.0
    memory: int | None = 64 * 1024 * 1024


def run_lua_health(
    script: str,
    obj: Mapping[str, Any],
    open_libs: bool = True,
    limits: LuaLimits | None = None,
) -> HealthResult:
    """Run a health ``script`` with ``obj`` as global (stub: engine not landed yet)."""
    return HealthResult(HealthStatus.UNKNOWN, "Lua engine not implemented yet")
