"""Health statuses and results, with Argo CD's severity order."""

from __future__ import annotations

import enum

import attrs

__all__ = ["HealthResult", "HealthStatus", "is_worse"]


class HealthStatus(str, enum.Enum):
    """Argo CD's health status codes; the values are Argo CD's strings."""

    UNKNOWN = "Unknown"
    PROGRESSING = "Progressing"
    HEALTHY = "Healthy"
    SUSPENDED = "Suspended"
    DEGRADED = "Degraded"
    MISSING = "Missing"

    def __str__(self) -> str:
        return self.value

    @property
    def severity(self) -> int:
        """Position in Argo CD's order, least to most severe (``IsWorse``)."""
        return _SEVERITY[self]


# gitops-engine pkg/health/health.go healthOrder: Healthy, Suspended, Progressing, Missing,
# Degraded, Unknown (see spec/health.md (a)).
_SEVERITY = {
    HealthStatus.HEALTHY: 0,
    HealthStatus.SUSPENDED: 1,
    HealthStatus.PROGRESSING: 2,
    HealthStatus.MISSING: 3,
    HealthStatus.DEGRADED: 4,
    HealthStatus.UNKNOWN: 5,
}


def is_worse(current: HealthStatus | None, new: HealthStatus | None) -> bool:
    """True when ``new`` is more severe than ``current`` (Argo CD's ``IsWorse``).

    ``None`` is the empty status ``""``: index 0 like Healthy, so it never makes things worse.
    """
    return _SEVERITY.get(new, 0) > _SEVERITY.get(current, 0)  # type: ignore[arg-type]


@attrs.frozen
class HealthResult:
    """A health verdict: status and message (message may be empty).

    "No health" (no check applies) is ``None`` instead of a result. A result whose ``status`` is
    ``None`` is Argo CD's *empty health* (status ``""``): a Lua script returned ``nil`` or ``{}``;
    it is final and never makes an aggregate worse.
    """

    status: HealthStatus | None
    message: str = ""
