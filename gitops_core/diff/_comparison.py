"""The comparison settings of :class:`~gitops_core.diff.DiffOptions`, compiled once.

``DiffOptions`` builds one :class:`CompiledComparison` when it is constructed (so a jq syntax
error is a construction-time error); the engine calls :meth:`CompiledComparison.prepare`
(Argo CD ``preDiffNormalize``: resource tracking, then managedFieldsManagers) and
:meth:`CompiledComparison.configure` (the configured normaliser: ignore rules, then known
types) on every side. What the rules removed is reported to an active :class:`Notes`
collector so :func:`gitops_core.diff.compare.compare` can say why each path was ignored.
"""

from __future__ import annotations

import contextvars
from collections.abc import Mapping
from typing import Any

import attrs

from gitops_core.diff.argocd_config import CompareSettings, ResourceOverride, effective_overrides
from gitops_core.diff.ignore import IgnoredField, IgnoreDifference, compile_ignore_rules
from gitops_core.diff.known_types import compile_known_types
from gitops_core.diff.tracking import normalize_tracking, set_app_instance

__all__ = ["CompiledComparison", "Notes", "collect_notes"]


@attrs.define
class Notes:
    """What the comparison settings did to one pair (filled while :func:`collect_notes` is active).

    ``sides`` has one entry per call of the configured normaliser, in the engine's order
    (desired or predicted first, then live, then the last-applied object).
    """

    managed: tuple[IgnoredField, ...] = ()
    sides: list[tuple[IgnoredField, ...]] = attrs.field(factory=list)
    warnings: list[str] = attrs.field(factory=list)
    not_found: list[frozenset[str]] = attrs.field(factory=list)


_NOTES: contextvars.ContextVar[Notes | None] = contextvars.ContextVar(
    "gitops_core_notes", default=None
)


class collect_notes:  # used as a function: ``with collect_notes() as notes``
    """Collect :class:`Notes` of the ``diff()`` calls made inside the ``with`` block.

    A plain context manager class rather than a generator: it runs once per compared pair.
    """

    __slots__ = ("_notes", "_token")

    def __init__(self) -> None:
        self._notes = Notes()
        self._token: contextvars.Token[Notes | None] | None = None

    def __enter__(self) -> Notes:
        self._token = _NOTES.set(self._notes)
        return self._notes

    def __exit__(self, *exc_info: object) -> None:
        assert self._token is not None
        _NOTES.reset(self._token)


class CompiledComparison:
    """Compiled ignore rules, known types and tracking settings of one options record."""

    def __init__(
        self,
        *,
        ignore_differences: tuple[IgnoreDifference, ...],
        resource_overrides: Mapping[str, ResourceOverride],
        compare_options: CompareSettings | None,
        tracking_method: str,
        app_label_key: str,
        app_name: str | None,
        jq_timeout_seconds: float | None,
    ) -> None:
        overrides = effective_overrides(resource_overrides, compare_options)
        ignore_overrides = {
            key: override.ignore_differences
            for key, override in overrides.items()
            if override.ignore_differences is not None
        }
        self.ignore = compile_ignore_rules(
            ignore_differences, ignore_overrides, jq_timeout_seconds=jq_timeout_seconds
        )
        self.known = compile_known_types(
            {key: o.known_type_fields for key, o in overrides.items() if o.known_type_fields}
        )
        self.tracking_method = tracking_method
        self.app_label_key = app_label_key
        self.app_name = app_name
        self.warnings = self.ignore.warnings + self.known.warnings
        self._ignore_active = bool(self.ignore)
        # kinds that have known-type fields in some group: any other kind is left as it is
        self._known_kinds = frozenset(kind for _, kind in self.known.fields)

    def __repr__(self) -> str:
        return f"CompiledComparison({self.ignore!r}, {self.known!r})"

    def prepare(
        self, desired: dict[str, Any] | None, live: dict[str, Any] | None
    ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """Tracking marks and normalisation, then managedFieldsManagers (never mutates)."""
        if desired is not None and self.app_name:
            metadata = live.get("metadata") if live is not None else None
            fallback = metadata.get("namespace") if isinstance(metadata, Mapping) else None
            desired = set_app_instance(
                desired,
                self.app_name,
                method=self.tracking_method,
                label_key=self.app_label_key,
                namespace=fallback if isinstance(fallback, str) else "",
            )
        if desired is not None and live is not None:
            live = normalize_tracking(
                desired, live, method=self.tracking_method, label_key=self.app_label_key
            )
            if self._ignore_active:
                desired, live, managed = self.ignore.normalize_managed_fields(desired, live)
                notes = _NOTES.get()
                if notes is not None and managed:
                    notes.managed = managed
        return desired, live

    def configure(self, obj: dict[str, Any]) -> dict[str, Any]:
        """Ignore rules, then known types, on one side."""
        notes = _NOTES.get()
        ignored: tuple[IgnoredField, ...] = ()
        if self._ignore_active:
            obj, ignored = self._ignore(obj, notes)
        kind = obj.get("kind")
        if type(kind) is str and kind not in self._known_kinds:
            # no known-type fields for this kind in any group: nothing to normalise
            if notes is not None:
                notes.sides.append(ignored)
            return obj
        normalized, warnings = self.known.normalize(obj)
        if notes is not None:
            notes.sides.append(ignored)
            notes.warnings.extend(warnings)
        return obj if normalized is None else normalized

    def _ignore(
        self, obj: dict[str, Any], notes: Notes | None
    ) -> tuple[dict[str, Any], tuple[IgnoredField, ...]]:
        """The ignore rules on one side: the new object and what they removed (noted)."""
        # a pointer missing on one side is normal (a field only live has); the comparison
        # warns only about pointers that resolve on no side at all
        applied = self.ignore.apply_pointers(obj)
        if applied is not None:
            # JSON pointers only (the usual case): no failures are possible
            new, ignored, not_found = applied
            if notes is not None:
                notes.not_found.append(frozenset(not_found))
            return new, ignored
        outcome = self.ignore.apply(obj)
        if outcome is None:
            return obj, ()
        if notes is not None:
            notes.not_found.append(frozenset(outcome.not_found))
            notes.warnings.extend(outcome.failures)
        return outcome.object, outcome.ignored
