"""What an object's ``apiVersion`` and ``kind`` say, memoised: they repeat across a comparison.

Every side of every pair asks for its API group (ignore rules, known types, managed fields) and
the schema type of its kind (remarshal, the patch flavour). The answers depend only on the
``apiVersion`` text (and the kind), so they are computed once per distinct value; the caches
are bounded (cleared when full) so that odd input cannot grow them without limit.
"""

from __future__ import annotations

from typing import TypeVar

from gitops_core.diff import _schema

__all__ = ["group_of", "schema_root", "split_api_version", "strict_group_version"]

_K = TypeVar("_K")
_V = TypeVar("_V")
_CACHE_SIZE = 4096
_groups: dict[str, str] = {}
_strict: dict[str, tuple[str, str] | None] = {}
_roots: dict[tuple[str, str], str | None] = {}


def _remember(cache: dict[_K, _V], key: _K, value: _V) -> _V:
    if len(cache) >= _CACHE_SIZE:
        cache.clear()
    cache[key] = value
    return value


def split_api_version(api_version: object) -> tuple[str, str] | None:
    """``"apps/v1"`` → ``("apps", "v1")``, ``"v1"`` → ``("", "v1")``; ``None`` if malformed."""
    if not isinstance(api_version, str) or not api_version:
        return None
    group, sep, version = api_version.rpartition("/")
    if not sep:
        return "", api_version
    if not group or not version or "/" in group:
        return None
    return group, version


_strict_split = split_api_version


def group_of(api_version: object) -> str:
    """The group of an ``apiVersion`` (text before the last ``/``); ``""`` for a non-string.

    The same answer as ``gitops_core.resource.split_api_version(api_version)[0]``.

    >>> group_of("apps/v1"), group_of("v1"), group_of(None)
    ('apps', '', '')
    """
    if type(api_version) is not str:
        return ""
    found = _groups.get(api_version)
    if found is None:
        found = _remember(_groups, api_version, api_version.rpartition("/")[0])
    return found


def strict_group_version(api_version: object) -> tuple[str, str] | None:
    """:func:`split_api_version` (``None`` when malformed), memoised.

    >>> strict_group_version("apps/v1"), strict_group_version("a/b/c")
    (('apps', 'v1'), None)
    """
    if type(api_version) is not str:
        return _strict_split(api_version)
    if api_version in _strict:
        return _strict[api_version]
    return _remember(_strict, api_version, _strict_split(api_version))


def schema_root(api_version: object, kind: object) -> str | None:
    """The schema type of a registered kind (remarshal's reading of ``apiVersion``), else ``None``.

    >>> schema_root("apps/v1", "Deployment"), schema_root("example.com/v1", "Widget")
    ('io.k8s.api.apps.v1.Deployment', None)
    """
    if type(api_version) is not str or type(kind) is not str:
        group_version = _strict_split(api_version)
        if group_version is None or not isinstance(kind, str):
            return None
        return _schema.root_type(group_version[0], group_version[1], kind)
    key = (api_version, kind)
    if key in _roots:
        return _roots[key]
    group_version = strict_group_version(api_version)
    root = None
    if group_version is not None:
        root = _schema.root_type(group_version[0], group_version[1], kind)
    return _remember(_roots, key, root)
