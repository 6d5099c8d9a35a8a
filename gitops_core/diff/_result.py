"""Results of the diff engine: :class:`DiffResult` and its :class:`Change` records."""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["Change", "DiffResult"]


@attrs.frozen
class Change:
    """One differing path between normalized live and predicted live.

    Attributes:
        path: RFC 6901 JSON pointer of the differing value (``""`` for the whole object).
        before: the value in normalized live (``None`` when absent; see ``before_present``).
        after: the value in predicted live (``None`` when absent; see ``after_present``).
        reason: why it differs, e.g. ``"drift"``, ``"added in desired"``,
            ``"removed from desired (was in last-applied)"``.
        before_present: whether live has the path at all (``null`` differs from absent).
        after_present: whether predicted live has the path at all.
    """

    path: str
    before: Any = attrs.field(repr=False)
    after: Any = attrs.field(repr=False)
    reason: str
    before_present: bool = True
    after_present: bool = True

    def to_json(self) -> dict[str, Any]:
        """The change as a JSON-ready dict (absent sides are left out)."""
        out: dict[str, Any] = {"path": self.path, "reason": self.reason}
        if self.before_present:
            out["before"] = self.before
        if self.after_present:
            out["after"] = self.after
        return out


@attrs.frozen
class DiffResult:
    """The verdict of one (desired, live) comparison, as Argo CD's ``DiffResult``.

    Attributes:
        modified: ``True`` when predicted live differs from normalized live (Argo CD's
            ``Modified``); a missing live object is modified, a missing desired one is not.
        predicted_live: what live would look like after applying desired (``None`` when
            desired is missing).
        normalized_live: live, normalized the same way (``None`` when live is missing).
        changes: every differing path, computed only when ``modified``.
        strategy: which diff ran: ``"three-way"``, ``"two-way"``, ``"json-merge"`` (the
            unregistered-kind variants carry ``"json-merge"``), ``"server-side"``,
            ``"structured-merge"``, ``"create"`` or ``"delete"``.
        warnings: things Argo CD only logs (malformed last-applied, a three-way patch that
            failed and fell back to two-way, ...).
    """

    modified: bool
    predicted_live: dict[str, Any] | None
    normalized_live: dict[str, Any] | None
    changes: tuple[Change, ...] = ()
    strategy: str = "two-way"
    warnings: tuple[str, ...] = ()

    def __repr__(self) -> str:
        # never print object contents (they may hold Secret values)
        return (
            f"DiffResult(modified={self.modified}, strategy={self.strategy!r}, "
            f"changes={[c.path for c in self.changes]!r})"
        )
