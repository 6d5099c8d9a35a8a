"""Structured-merge diff (server-side-apply semantics computed locally), spec section 7."""

from __future__ import annotations

from typing import Any

from gitops_core.diff._options import DiffOptions
from gitops_core.diff._result import DiffResult

__all__ = ["structured_merge_diff"]


def structured_merge_diff(
    desired: dict[str, Any], live: dict[str, Any], options: DiffOptions
) -> DiffResult:
    """Placeholder: runs the legacy diff and says so in the warnings."""
    import attrs

    from gitops_core.diff._engine import _legacy

    result = _legacy(desired, live, options)
    return attrs.evolve(
        result, warnings=(*result.warnings, "structured-merge diff not available; legacy diff used")
    )
