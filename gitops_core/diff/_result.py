"""Results of the diff engine: :class:`DiffResult` and its :class:`Change` records."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from gitops_core.diff._json import go_json

__all__ = ["Change", "DiffResult", "Lazy"]


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


class Lazy:
    """A value computed on first use (scheme defaults of an in-sync live object, for example)."""

    __slots__ = ("_compute", "_value")

    def __init__(self, compute: Callable[[], Any]) -> None:
        self._compute: Callable[[], Any] | None = compute
        self._value: Any = None

    def get(self) -> Any:
        """The value, computed once."""
        if self._compute is not None:
            self._value = self._compute()
            self._compute = None
        return self._value

    def __eq__(self, other: object) -> bool:
        other_value = other.get() if isinstance(other, Lazy) else other
        return bool(self.get() == other_value)

    def __hash__(self) -> int:  # pragma: no cover - dicts are unhashable anyway
        return id(self)


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
        strategy: which diff ran: ``"three-way"``, ``"two-way"`` (each with a
            ``"-json-merge"`` suffix for unregistered kinds), ``"server-side"``,
            ``"structured-merge"``, ``"create"`` or ``"delete"``.
        warnings: things Argo CD only logs (malformed last-applied, a three-way patch that
            failed and fell back to two-way, ...).

    Both objects are read-only views; for an in-sync pair they are computed on first access.
    """

    modified: bool
    _predicted_live: Any = attrs.field(alias="predicted_live", repr=False)
    _normalized_live: Any = attrs.field(alias="normalized_live", repr=False)
    changes: tuple[Change, ...] = ()
    strategy: str = "two-way"
    warnings: tuple[str, ...] = ()

    @property
    def predicted_live(self) -> dict[str, Any] | None:
        """Predicted live object (``None`` when desired is missing)."""
        value = self._predicted_live
        return value.get() if isinstance(value, Lazy) else value  # type: ignore[no-any-return]

    @property
    def normalized_live(self) -> dict[str, Any] | None:
        """Normalized live object (``None`` when live is missing)."""
        value = self._normalized_live
        return value.get() if isinstance(value, Lazy) else value  # type: ignore[no-any-return]

    def predicted_live_json(self) -> str:
        """Predicted live as Argo CD stores it: Go ``json.Marshal`` text, ``null`` when missing."""
        return go_json(self.predicted_live)

    def normalized_live_json(self) -> str:
        """Normalized live as Argo CD stores it: Go ``json.Marshal`` text, ``null`` when missing."""
        return go_json(self.normalized_live)

    def __repr__(self) -> str:
        # never print object contents (they may hold Secret values)
        return (
            f"DiffResult(modified={self.modified}, strategy={self.strategy!r}, "
            f"changes={[c.path for c in self.changes]!r})"
        )
