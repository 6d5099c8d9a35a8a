"""The known-types normalizer: ``knownTypeFields`` of resource overrides (spec section 9.5).

An override for one exact ``group/kind`` (no globs; ``Kind`` alone for the core group) lists
fields and their Kubernetes type::

    knownTypeFields:
    - field: spec.template.spec
      type: core/v1/PodSpec
    - field: spec.resources.limits.cpu      # not needed for built-in kinds
      type: core/Quantity

Every listed field is round-tripped through its type on desired, live and last-applied, after
the ignore rules: quantities print canonically (``2000m`` → ``2``, ``1.25G`` → ``1250M``),
durations as Go prints them (``8760h`` → ``8760h0m0s``), and ``core/v1/*`` values lose empty
``omitempty`` fields (``readOnly: false``) and get canonical quantities inside. Field paths are
dotted; a segment that lands on a list applies the rest of the path to every item of the list.
A missing field is a no-op. A value that does not fit its type stops the normalizer for that
object (fields before it stay normalised) and is recorded as a warning; an unknown type is a
warning and is ignored, as in Argo CD.

Built in, as in Argo CD: ``argoproj.io/Rollout`` ``spec.template.spec`` as ``core/v1/PodSpec``,
unless an override configures known type fields for Rollout itself.

Deliberate difference: ``core/v1/*`` values are round-tripped with the schema-guided typed
conversion of :mod:`gitops_core.diff.normalize` (strict, keys of the original kept), where Go
decodes leniently and adds zero values of non-``omitempty`` fields. Both sides are treated the
same, so verdicts only differ when one side spells out a zero value the other omits; a field
unknown to the type makes the value fail here (warning) where Go would drop the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from gitops_core.diff import _schema
from gitops_core.diff._duration import canonical_duration
from gitops_core.diff._kinds import group_of
from gitops_core.diff._quantity import canonical_quantity
from gitops_core.diff._remarshal import TypedDecodeError, convert_typed
from gitops_core.errors import ArgoConfigError

__all__ = [
    "BUILTIN_KNOWN_TYPE_FIELDS",
    "KnownTypeField",
    "KnownTypes",
    "compile_known_types",
    "is_known_type",
]

_CORE_V1 = "core/v1/"
_CORE_V1_SCHEMA = "io.k8s.api.core.v1."


@attrs.frozen
class KnownTypeField:
    """One ``knownTypeFields`` entry: a dotted ``field`` path and its ``type``."""

    field: str
    type: str

    @classmethod
    def from_dict(cls, entry: Mapping[str, Any], *, source: str = "") -> KnownTypeField:
        """Read ``{"field": ..., "type": ...}``; raises :class:`ArgoConfigError` when malformed."""
        if isinstance(entry, KnownTypeField):
            return entry
        if not isinstance(entry, Mapping):
            raise ArgoConfigError("a knownTypeFields entry must be a mapping", source=source)
        field, type_name = entry.get("field"), entry.get("type")
        if not isinstance(field, str) or not isinstance(type_name, str):
            raise ArgoConfigError(
                "a knownTypeFields entry needs string 'field' and 'type'", source=source
            )
        return cls(field, type_name)

    def to_dict(self) -> dict[str, str]:
        """The Argo CD-shaped dict."""
        return {"field": self.field, "type": self.type}


BUILTIN_KNOWN_TYPE_FIELDS: Mapping[tuple[str, str], tuple[KnownTypeField, ...]] = {
    ("argoproj.io", "Rollout"): (KnownTypeField("spec.template.spec", "core/v1/PodSpec"),),
}


def is_known_type(type_name: str) -> bool:
    """True for ``core/Quantity``, ``meta/v1/Duration`` and ``core/v1/<Type>`` of the schema."""
    if type_name in ("core/Quantity", "meta/v1/Duration"):
        return True
    if type_name.startswith(_CORE_V1):
        name = type_name[len(_CORE_V1) :]
        return bool(name) and _schema.type_fields(_CORE_V1_SCHEMA + name) is not None
    return False


class _TypeError(Exception):
    """Internal: a value does not fit its declared type."""


def _convert(value: Any, type_name: str) -> Any:
    if type_name == "core/Quantity":
        if value is None:
            return value
        try:
            return canonical_quantity(value)
        except (ValueError, TypeError):
            raise _TypeError from None
    if type_name == "meta/v1/Duration":
        if not isinstance(value, str):
            raise _TypeError
        try:
            return canonical_duration(value)
        except ValueError:
            raise _TypeError from None
    try:
        return convert_typed(value, _CORE_V1_SCHEMA + type_name[len(_CORE_V1) :])
    except TypedDecodeError:
        raise _TypeError from None


def _normalize_path(container: Any, path: list[str], type_name: str) -> Any:
    """Return ``container`` with the value at ``path`` converted (lists fan out)."""
    if not isinstance(container, dict) or not path:
        return container
    head, rest = path[0], path[1:]
    if head not in container:
        return container
    value = container[head]
    if isinstance(value, list):
        # Argo CD: a segment landing on a list applies the rest of the path to each map item
        items: list[Any] | None = None
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                continue
            new_item = (
                _convert(item, type_name) if not rest else _normalize_path(item, rest, type_name)
            )
            if new_item is not item:
                if items is None:
                    items = list(value)
                items[index] = new_item
        if items is None:
            return container
        out = dict(container)
        out[head] = items
        return out
    if rest:
        new_value = _normalize_path(value, rest, type_name)
    else:
        new_value = _convert(value, type_name)
    if new_value is value:
        return container
    out = dict(container)
    out[head] = new_value
    return out


class KnownTypes:
    """Compiled known-type fields by exact (group, kind); build with :func:`compile_known_types`."""

    def __init__(
        self,
        fields: Mapping[tuple[str, str], tuple[KnownTypeField, ...]],
        warnings: tuple[str, ...],
    ) -> None:
        self.fields = dict(fields)
        self.warnings = warnings

    def __repr__(self) -> str:
        return f"KnownTypes({sorted(f'{g}/{k}' if g else k for g, k in self.fields)})"

    def applies_to(self, group: str, kind: str) -> bool:
        """True when some field is configured for this group/kind."""
        return (group, kind) in self.fields

    def normalize(
        self, obj: dict[str, Any] | None, *, key: str = ""
    ) -> tuple[dict[str, Any] | None, tuple[str, ...]]:
        """``(normalised object, warnings)``; the input is not modified."""
        if obj is None:
            return None, ()
        api_version = obj.get("apiVersion")
        kind = obj.get("kind")
        group = group_of(api_version)
        fields = self.fields.get((group, kind if isinstance(kind, str) else ""))
        if not fields:
            return obj, ()
        result: Any = obj
        for field in fields:
            try:
                result = _normalize_path(result, field.field.split("."), field.type)
            except _TypeError:
                metadata = obj.get("metadata")
                metadata = metadata if isinstance(metadata, dict) else {}
                namespace = metadata.get("namespace") or ""
                where = key or f"{group}/{kind}/{namespace}/{metadata.get('name') or ''}"
                # Argo CD logs the error and diffs the object as normalised so far
                return result, (
                    f"{where}: field {field.field} is not a valid {field.type}; known-types normalization stopped",
                )
        return result, ()


def compile_known_types(
    overrides: Mapping[str, Iterable[KnownTypeField | Mapping[str, Any]]] | None = None,
) -> KnownTypes:
    """Compile ``override key → knownTypeFields`` (keys ``group/kind`` or ``Kind``) plus the built-ins.

    Unknown types are dropped with a warning (Argo CD logs them). Raises
    :class:`ArgoConfigError` for a malformed entry.
    """
    fields: dict[tuple[str, str], list[KnownTypeField]] = {}
    warnings: list[str] = []
    for key, entries in (overrides or {}).items():
        group, sep, kind = key.rpartition("/")
        if not sep:
            group, kind = "", key
        for entry in entries:
            parsed = (
                entry
                if isinstance(entry, KnownTypeField)
                else KnownTypeField.from_dict(entry, source=f"knownTypeFields of {key}")
            )
            if not is_known_type(parsed.type):
                warnings.append(f"knownTypeFields of {key}: unknown type {parsed.type!r} ignored")
                continue
            fields.setdefault((group, kind), []).append(parsed)
    for group_kind, builtin in BUILTIN_KNOWN_TYPE_FIELDS.items():
        if group_kind not in fields:
            fields[group_kind] = list(builtin)
    return KnownTypes({gk: tuple(v) for gk, v in fields.items()}, tuple(warnings))
