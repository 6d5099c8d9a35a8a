"""The Lua engine for health scripts: Argo CD's gopher-lua environment, rebuilt on lupa.

:func:`run_lua_health` runs one script on one object in a shared sandboxed runtime (one per
thread, LuaJIT 2.1 with the JIT off, else Lua 5.4) with a fresh environment per evaluation and
compiled chunks cached by script text. Script failures never raise: they are Unknown results.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from gitops_core.errors import UsageError
from gitops_core.health._status import HealthResult

__all__ = ["DEFAULT_LIMITS", "LuaLimits", "run_lua_health"]


def _positive_or_none(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise UsageError(f"LuaLimits.{attribute.name} must be a positive number or None")


def _at_least_one_mib(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    # below that, the runtime's own bookkeeping could fail outside a protected call
    if isinstance(value, int) and value < MIN_MEMORY:
        raise UsageError(f"LuaLimits.memory must be at least {MIN_MEMORY} bytes (1 MiB)")


MIN_MEMORY = 1024 * 1024


@attrs.frozen
class LuaLimits:
    """Resource limits of one evaluation (``None`` disables that limit).

    ``instructions``: Lua VM instruction budget (checked every 1000 instructions);
    ``timeout``: wall-clock seconds (Argo CD's deadline is 1 s); ``memory``: bytes the
    evaluation may allocate on top of what the runtime already holds (at least 1 MiB). A script over a limit
    gives an Unknown result with a message saying which limit it hit.
    """

    instructions: int | None = attrs.field(default=100_000_000, validator=_positive_or_none)
    timeout: float | None = attrs.field(default=1.0, validator=_positive_or_none)
    memory: int | None = attrs.field(
        default=64 * 1024 * 1024, validator=[_positive_or_none, _at_least_one_mib]
    )


DEFAULT_LIMITS = LuaLimits()
"""The limits used when none are given: 100M instructions, 1 s, 64 MiB."""


def run_lua_health(
    script: str,
    obj: Mapping[str, Any],
    open_libs: bool = True,
    limits: LuaLimits | None = None,
) -> HealthResult:
    """Run a Lua health ``script`` with ``obj`` as the global ``obj``; never raises for the script.

    ``open_libs=True`` is the mode of Argo CD's built-in scripts (``string``, ``math``, ``os``,
    ...); ``False`` the default of argocd-cm overrides (base and ``table`` only, ``os`` through
    ``require("os")``). Returns the script's health; ``HealthResult(None)`` is Argo CD's empty
    health (``return nil``/``{}``); errors, invalid results and limit breaches are Unknown with
    Argo CD's texts.

    >>> run_lua_health('return {status = "Healthy", message = obj.kind}', {"kind": "Pod"})
    HealthResult(status=<HealthStatus.HEALTHY: 'Healthy'>, message='Pod')
    """
    limits = limits or DEFAULT_LIMITS
    return _engine.engine().run_health(
        script, obj, open_libs, limits.instructions, limits.timeout, limits.memory
    )


from gitops_core.health.lua import _engine  # noqa: E402  (needs LuaLimits defined first)
