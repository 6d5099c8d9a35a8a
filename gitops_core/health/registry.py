"""Where health scripts come from: overrides, directories, shipped scripts (spec §(c) lookup).

Lookup for ``<group>/<kind>`` (``<kind>`` for the core group), first hit wins:

1. an override with exactly that key and a non-empty script;
2. an override whose key is a glob matching the key (gobwas semantics), non-empty script;
3. a directory ``<group>/<kind>/health.lua`` (user directories in order, then shipped scripts);
4. a wildcard directory (``_`` stands for ``*``), sorted, first match wins;

and then (not here) the built-in Python checks of :func:`gitops_core.health.assess_health`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from gitops_core.health._status import HealthResult
from gitops_core.health.lua import LuaLimits, run_lua_health

__all__ = ["HealthOverride", "HealthRegistry", "default_registry"]


@attrs.frozen
class HealthOverride:
    """One Lua health script and how to run it.

    ``key`` is the ``group/kind`` (or glob) it was registered for, ``source`` says where it came
    from (a file path, ``argocd-cm``, ``python``).
    """

    key: str
    script: str
    open_libs: bool = False
    source: str = "python"
    limits: LuaLimits = attrs.field(factory=LuaLimits)

    def evaluate(self, obj: Mapping[str, Any]) -> HealthResult:
        """Run the script on ``obj``; script errors become Unknown results (never raised)."""
        return run_lua_health(self.script, obj, open_libs=self.open_libs, limits=self.limits)


class HealthRegistry:
    """Lua health overrides and script directories, looked up as Argo CD does (stub)."""

    def __init__(
        self,
        *,
        overrides: Mapping[str, str | HealthOverride] | None = None,
        directories: Iterable[str | Path] = (),
        include_shipped: bool = True,
        generic_conditions: bool = False,
        lua_limits: LuaLimits | None = None,
    ) -> None:
        self.lua_limits = lua_limits or LuaLimits()
        self.include_shipped = include_shipped
        self.generic_conditions = generic_conditions
        self.directories = tuple(Path(d) for d in directories)
        self._overrides: dict[str, HealthOverride] = {}
        for key, value in (overrides or {}).items():
            if isinstance(value, HealthOverride):
                self._overrides[key] = value
            else:
                self.add_lua(key, value)

    @classmethod
    def from_directory(cls, path: str | Path) -> HealthRegistry:
        """A registry reading ``<group>/<kind>/health.lua`` scripts under ``path``."""
        return cls(directories=[path])

    @classmethod
    def from_argocd_cm(cls, obj_or_path: Mapping[str, Any] | str | Path) -> HealthRegistry:
        """A registry with the health overrides of an ``argocd-cm`` ConfigMap (object or file)."""
        raise NotImplementedError

    def add_lua(self, group_kind: str, script: str, open_libs: bool = False) -> None:
        """Register ``script`` for ``group/kind`` (a glob is allowed), replacing any previous one."""
        self._overrides[group_kind] = HealthOverride(
            group_kind, script, open_libs, "python", self.lua_limits
        )

    def find_override(self, group: str, kind: str) -> HealthOverride | None:
        """The Lua script for ``group``/``kind`` (lookup steps 1-4), or ``None``."""
        key = f"{group}/{kind}" if group else kind
        found = self._overrides.get(key)
        if found is not None and found.script:
            return found
        return None


@functools.cache
def default_registry() -> HealthRegistry:
    """The process-wide registry: shipped scripts only (cached)."""
    return HealthRegistry(include_shipped=True)
