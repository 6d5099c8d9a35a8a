"""ManifestSet: an ordered, indexed collection of resources."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, overload

import attrs

from gitops_core._gc import pauses_gc
from gitops_core.errors import DuplicateResourceError, ManifestError
from gitops_core.resource import Resource, ResourceKey, ScopeTable

__all__ = ["ManifestSet", "duplicate_error"]


def _as_tuple(resources: Iterable[Resource]) -> tuple[Resource, ...]:
    return tuple(resources)


@attrs.frozen(eq=False)
class ManifestSet:
    """Resources in input order, indexed by key.

    Iterating yields :class:`Resource` in input order. ``errors`` holds the errors collected by a
    non-strict load (the bad documents are not in the set); ``warnings`` says what was skipped
    or changed on the way (files that are not manifests, for example). Resources that only have
    ``generateName`` (hooks) share the key name ``""``; they are in the set but not in the index.
    """

    resources: tuple[Resource, ...] = attrs.field(converter=_as_tuple)
    scopes: ScopeTable = attrs.field(factory=ScopeTable)
    errors: tuple[ManifestError, ...] = ()
    warnings: tuple[str, ...] = ()
    _index: dict[ResourceKey, Resource] = attrs.field(init=False, repr=False)
    # built on first use: sets of 100,000 resources are looked up per kind and per namespace
    _by_group_kind: dict[tuple[str, str], list[Resource]] | None = attrs.field(
        init=False, repr=False, default=None
    )
    _by_namespace: dict[str, list[Resource]] | None = attrs.field(
        init=False, repr=False, default=None
    )

    def __attrs_post_init__(self) -> None:
        index: dict[ResourceKey, Resource] = {}
        for resource in self.resources:
            if resource.key.name and resource.key not in index:
                index[resource.key] = resource
        object.__setattr__(self, "_index", index)

    @classmethod
    @pauses_gc
    def from_objects(
        cls,
        objects: Iterable[dict[str, Any]],
        *,
        default_namespace: str | None = None,
        scopes: ScopeTable | None = None,
        path: str = "<objects>",
    ) -> ManifestSet:
        """Build a set from plain dicts, validated like loaded documents (Lists are expanded).

        The dicts are kept as they are, not copied. Raises
        :class:`~gitops_core.errors.ManifestError` subclasses on bad input; the document index in
        errors is the position in ``objects``.
        """
        from gitops_core.manifests._load import build_set, objects_as_docs

        return build_set(
            objects_as_docs(objects, path),
            default_namespace=default_namespace,
            scopes=scopes,
            strict=True,
        )

    def __iter__(self) -> Iterator[Resource]:
        return iter(self.resources)

    def __len__(self) -> int:
        return len(self.resources)

    def __bool__(self) -> bool:
        return bool(self.resources)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            key = ResourceKey.parse(key)
        return key in self._index

    @overload
    def __getitem__(self, key: int) -> Resource: ...
    @overload
    def __getitem__(self, key: ResourceKey | str) -> Resource: ...

    def __getitem__(self, key: int | ResourceKey | str) -> Resource:
        if isinstance(key, int):
            return self.resources[key]
        if isinstance(key, str):
            key = ResourceKey.parse(key)
        return self._index[key]

    def get(self, key: ResourceKey | str) -> Resource | None:
        """The resource with ``key``, or ``None``."""
        if isinstance(key, str):
            key = ResourceKey.parse(key)
        return self._index.get(key)

    def keys(self) -> list[ResourceKey]:
        """Keys in input order (hooks with only ``generateName`` included, name ``""``)."""
        return [resource.key for resource in self.resources]

    @property
    def index(self) -> Mapping[ResourceKey, Resource]:
        """Read-only view of the key index (resources with a name)."""
        return MappingProxyType(self._index)

    def by_group_kind(self, group: str, kind: str) -> list[Resource]:
        """Resources of one group/kind, in input order (a new list)."""
        if self._by_group_kind is None:
            grouped: dict[tuple[str, str], list[Resource]] = {}
            for resource in self.resources:
                grouped.setdefault((resource.key.group, resource.key.kind), []).append(resource)
            object.__setattr__(self, "_by_group_kind", grouped)
        assert self._by_group_kind is not None
        return list(self._by_group_kind.get((group, kind), ()))

    def in_namespace(self, namespace: str) -> list[Resource]:
        """Resources whose effective namespace is ``namespace`` (``""``: cluster-scoped)."""
        if self._by_namespace is None:
            grouped: dict[str, list[Resource]] = {}
            for resource in self.resources:
                grouped.setdefault(resource.key.namespace, []).append(resource)
            object.__setattr__(self, "_by_namespace", grouped)
        assert self._by_namespace is not None
        return list(self._by_namespace.get(namespace, ()))

    def group_kinds(self) -> list[tuple[str, str]]:
        """The distinct ``(group, kind)`` pairs, in order of first appearance."""
        return list(dict.fromkeys((r.key.group, r.key.kind) for r in self.resources))

    def objects(self) -> list[dict[str, Any]]:
        """The plain objects, in input order."""
        return [r.object for r in self.resources]

    def merged(self, other: ManifestSet) -> ManifestSet:
        """A set with this set's resources then ``other``'s; a key in both is an error."""
        for resource in other.resources:
            first = self._index.get(resource.key)
            if first is not None and resource.key.name:
                raise duplicate_error(resource, first)
        return ManifestSet(
            self.resources + other.resources,
            scopes=self.scopes.with_overrides(other.scopes.overrides),
            errors=self.errors + other.errors,
            warnings=self.warnings + other.warnings,
        )

    def __repr__(self) -> str:
        return f"ManifestSet({len(self.resources)} resources, {len(self.errors)} errors)"


def duplicate_error(resource: Resource, first: Resource) -> DuplicateResourceError:
    """The error for ``resource`` having the key of ``first``, naming both places."""
    src = resource.source
    return DuplicateResourceError(
        f"duplicate resource {resource.key}: already defined at {first.source}",
        path=src.path if src else "<objects>",
        document=src.document_index if src else None,
        line=src.line if src else None,
        first=str(first.source),
        key=str(resource.key),
    )
