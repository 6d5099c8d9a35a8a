"""Where health scripts come from, looked up as Argo CD does (``GetHealthScript``, spec §(c)).

The key of a resource is ``<group>/<kind>``, or ``<kind>`` for the core group. First hit wins:

1. an override registered for exactly that key, with a non-empty script;
2. an override whose key is a glob matching the key (gobwas semantics: ``*`` crosses ``/`` and
   ``.``), non-empty script. Argo CD picks among several matches in random (Go map) order; we
   take the **longest pattern**, then the lexically smallest;
3. a script folder ``<group>/<kind>/health.lua`` (``<Kind>/health.lua`` for the core group):
   user directories in the order given, then the scripts shipped with gitops_core;
4. a wildcard folder (``_`` stands for ``*``, which does not cross ``/``): user directories in
   order, then the shipped ones, each directory's folders in sorted order; first match wins.

Step 5, the built-in Python checks, is :func:`gitops_core.health.assess_health`'s job.
Overrides run with their ``useOpenLibs`` flag (default off); folder scripts with libraries on.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from gitops_core.errors import GitopsCoreError, HealthConfigError
from gitops_core.health._glob import GlobError, compile_folder_pattern, compile_glob, is_glob
from gitops_core.health._status import HealthResult
from gitops_core.health.lua import DEFAULT_LIMITS, LuaLimits, _engine

__all__ = [
    "SHIPPED_DIRECTORY",
    "HealthOverride",
    "HealthRegistry",
    "default_registry",
    "lookup_key",
    "parse_argocd_cm",
]

#: The scripts shipped with gitops_core (Argo CD's ``resource_customizations`` layout).
SHIPPED_DIRECTORY = Path(__file__).resolve().parent / "customizations"

_CUSTOMIZATION_TYPES = frozenset(
    {
        "health",
        "useOpenLibs",
        "actions",
        "ignoreDifferences",
        "ignoreResourceUpdates",
        "knownTypeFields",
    }
)
_PREFIX = "resource.customizations."
_MISSING = object()
_BLOB_KEY = "resource.customizations"


def lookup_key(group: str, kind: str) -> str:
    """Argo CD's key of a group/kind: ``group/kind``, or ``kind`` for the core group."""
    return f"{group}/{kind}" if group else kind


@attrs.frozen
class HealthOverride:
    """One Lua health script and how to run it.

    ``key`` is what it was registered under (a ``group/kind``, a glob or a folder path),
    ``source`` where it came from (``python``, ``argocd-cm``, a file path), ``open_libs``
    Argo CD's ``useOpenLibs``.
    """

    key: str
    script: str
    open_libs: bool = False
    source: str = "python"
    limits: LuaLimits = DEFAULT_LIMITS

    def evaluate(self, obj: Mapping[str, Any]) -> HealthResult:
        """Run the script on ``obj``. Never raises for the script: errors are Unknown results.

        ``HealthResult(None)`` is the empty health (``return nil``/``{}``); it is final.
        """
        limits = self.limits
        return _engine.engine().run_health(
            self.script, obj, self.open_libs, limits.instructions, limits.timeout, limits.memory
        )

    def evaluate_with_error(self, obj: Mapping[str, Any]) -> tuple[HealthResult, str | None]:
        """Like :meth:`evaluate`, plus the error text Argo CD returns beside the Unknown health
        (compile, runtime and encoding errors, limits), else ``None``.
        """
        limits = self.limits
        result, failed = _engine.engine().run_health_detailed(
            self.script, obj, self.open_libs, limits.instructions, limits.timeout, limits.memory
        )
        return result, (result.message if failed else None)


@attrs.frozen
class _Folder:
    key: str  # "group/kind" (or "Kind"), "_" kept for wildcard folders
    path: Path


class _ScriptTree:
    """One ``resource_customizations``-shaped directory: exact folders and wildcard folders."""

    def __init__(self, root: Path, required: bool) -> None:
        self.root = root
        self.exact: dict[str, Path] = {}
        self.wildcards: list[tuple[str, re.Pattern[str], Path]] = []
        if not root.is_dir():
            if required:
                raise HealthConfigError("not a directory of health scripts", source=str(root))
            return
        for key, path in _scan(root):
            if "_" in key:
                self.wildcards.append((key, compile_folder_pattern(key), path))
            else:
                self.exact[key] = path
        self.wildcards.sort(key=lambda item: item[0])


def _scan(root: Path) -> Iterable[tuple[str, Path]]:
    """``(key, health.lua path)`` for ``<group>/<kind>/health.lua`` and ``<Kind>/health.lua``."""
    try:
        first_level = [entry for entry in os.scandir(root) if entry.is_dir()]
    except OSError as exc:
        raise HealthConfigError(f"cannot read: {exc.strerror}", source=str(root)) from None
    for entry in sorted(first_level, key=lambda e: e.name):
        top = Path(entry.path)
        if (top / "health.lua").is_file():
            yield entry.name, top / "health.lua"
        for sub in sorted(os.scandir(top), key=lambda e: e.name):
            if sub.is_dir() and (Path(sub.path) / "health.lua").is_file():
                yield f"{entry.name}/{sub.name}", Path(sub.path) / "health.lua"


def _read_script(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise HealthConfigError("health.lua is not UTF-8 text", source=str(path)) from None
    except OSError as exc:
        raise HealthConfigError(f"cannot read: {exc.strerror}", source=str(path)) from None


class HealthRegistry:
    """Lua health scripts for group/kinds: overrides, script directories and shipped scripts.

    ``overrides`` maps a ``group/kind`` (or glob) to a script (run with libraries off, like an
    argocd-cm override) or to a :class:`HealthOverride`. ``directories`` are
    ``resource_customizations``-shaped trees searched before the shipped scripts
    (``include_shipped``). ``generic_conditions`` enables the generic condition-based rule for
    custom resources without a script. ``lua_limits`` applies to every script run.

    Raises :class:`~gitops_core.errors.HealthConfigError` for a directory that does not exist.
    """

    def __init__(
        self,
        *,
        overrides: Mapping[str, str | HealthOverride] | None = None,
        directories: Iterable[str | os.PathLike[str]] = (),
        include_shipped: bool = True,
        generic_conditions: bool = False,
        lua_limits: LuaLimits | None = None,
    ) -> None:
        self.lua_limits: LuaLimits = lua_limits or DEFAULT_LIMITS
        self.include_shipped = include_shipped
        self.generic_conditions = generic_conditions
        self.directories: tuple[Path, ...] = tuple(Path(d) for d in directories)
        self.warnings: list[str] = []
        self._trees = [_ScriptTree(d, required=True) for d in self.directories]
        if include_shipped:
            self._trees.append(_ScriptTree(SHIPPED_DIRECTORY, required=False))
        self._overrides: dict[str, HealthOverride] = {}
        self._globs: list[tuple[str, re.Pattern[str]]] = []
        self._folder_scripts: dict[Path, HealthOverride] = {}
        self._found: dict[tuple[str, str], HealthOverride | None] = {}
        for key, value in (overrides or {}).items():
            if isinstance(value, HealthOverride):
                self._set_override(key, value)
            else:
                self.add_lua(key, value)

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def from_directory(
        cls, path: str | os.PathLike[str], *, include_shipped: bool = True
    ) -> HealthRegistry:
        """A registry reading ``<group>/<kind>/health.lua`` scripts under ``path`` first."""
        return cls(directories=[path], include_shipped=include_shipped)

    @classmethod
    def from_argocd_cm(
        cls,
        obj_or_path: Mapping[str, Any] | str | os.PathLike[str],
        *,
        directories: Iterable[str | os.PathLike[str]] = (),
        include_shipped: bool = True,
    ) -> HealthRegistry:
        """A registry with the health overrides of an ``argocd-cm`` ConfigMap.

        Accepts the ConfigMap object (or just its ``data``) or a YAML/JSON file holding it (a
        multi-document file: the ConfigMap named ``argocd-cm``, else the only ConfigMap).
        Reads the split keys ``resource.customizations.health.<group>_<kind>`` and
        ``resource.customizations.useOpenLibs.<group>_<kind>`` on top of the legacy
        ``resource.customizations`` blob. Raises
        :class:`~gitops_core.errors.HealthConfigError` naming the bad key.
        """
        source = "argocd-cm"
        if isinstance(obj_or_path, Mapping):
            config = obj_or_path
        else:
            source = os.fspath(obj_or_path)
            config = _load_configmap(Path(source))
        data = config.get("data", {}) if "data" in config or "kind" in config else config
        registry = cls(directories=directories, include_shipped=include_shipped)
        for key, override in parse_argocd_cm(data or {}, source=source).items():
            registry._set_override(key, attrs.evolve(override, limits=registry.lua_limits))
        return registry

    def add_lua(self, group_kind: str, script: str, open_libs: bool = False) -> None:
        """Register ``script`` for ``group/kind`` (``Kind`` for core; a glob is allowed).

        Replaces a previous override of the same key. ``open_libs`` is Argo CD's
        ``useOpenLibs`` (default off, as for argocd-cm overrides). An empty script is kept but
        skipped by the lookup, as in Argo CD.
        """
        if not isinstance(script, str):
            raise HealthConfigError("the health script must be a string", key=str(group_kind))
        self._set_override(
            group_kind,
            HealthOverride(group_kind, script, bool(open_libs), "python", self.lua_limits),
        )

    def _set_override(self, key: str, override: HealthOverride) -> None:
        if key.startswith("/"):
            key = key[1:]  # "/Pod" is how some people write the core group
        self._overrides[key] = override
        self._globs = []
        self.warnings = []
        for pattern in self._overrides:
            if not is_glob(pattern):
                continue
            try:
                self._globs.append((pattern, compile_glob(pattern)))
            except GlobError as exc:
                # Argo CD logs the compile error and treats the key as not matching
                self.warnings.append(f"override key {pattern!r} is not a valid glob: {exc}")
        # the longest (most specific) pattern first, then lexical order: deterministic
        self._globs.sort(key=lambda item: (-len(item[0]), item[0]))
        self._found.clear()

    @property
    def overrides(self) -> Mapping[str, HealthOverride]:
        """The registered overrides by key (a copy)."""
        return dict(self._overrides)

    # -- lookup -------------------------------------------------------------------------------

    def find_override(self, group: str, kind: str) -> HealthOverride | None:
        """The Lua script for ``group``/``kind`` by the lookup order above, or ``None``.

        ``None`` means: fall back to the built-in Python checks.
        """
        found = self._found.get((group, kind), _MISSING)
        if found is _MISSING:
            found = self._lookup(lookup_key(group, kind))
            self._found[(group, kind)] = found
        return found  # type: ignore[return-value]

    def override_for(self, obj: Mapping[str, Any]) -> HealthOverride | None:
        """:meth:`find_override` for an object's ``apiVersion`` and ``kind``."""
        api_version = obj.get("apiVersion")
        kind = obj.get("kind")
        group = api_version.rpartition("/")[0] if isinstance(api_version, str) else ""
        return self.find_override(group, kind if isinstance(kind, str) else "")

    def _lookup(self, key: str) -> HealthOverride | None:
        exact = self._overrides.get(key)
        if exact is not None and exact.script:
            return exact
        for pattern, regex in self._globs:
            if regex.fullmatch(key) is not None:
                candidate = self._overrides[pattern]
                if candidate.script:
                    return candidate
        for tree in self._trees:
            path = tree.exact.get(key)
            if path is not None:
                found = self._folder_script(key, path)
                if found is not None:
                    return found
        for tree in self._trees:
            for folder, regex, path in tree.wildcards:
                if regex.fullmatch(key) is not None:
                    found = self._folder_script(folder, path)
                    if found is not None:
                        return found
        return None

    def _folder_script(self, key: str, path: Path) -> HealthOverride | None:
        cached = self._folder_scripts.get(path)
        if cached is None:
            cached = HealthOverride(key, _read_script(path), True, str(path), self.lua_limits)
            self._folder_scripts[path] = cached
        return cached if cached.script.strip() else None

    def script_folders(self) -> list[str]:
        """Every folder key the directories provide (exact ones, then wildcards), in order."""
        keys: list[str] = []
        for tree in self._trees:
            keys.extend(tree.exact)
        for tree in self._trees:
            keys.extend(folder for folder, _, _ in tree.wildcards)
        return keys

    def __repr__(self) -> str:
        return (
            f"HealthRegistry(overrides={len(self._overrides)}, "
            f"directories={[str(d) for d in self.directories]}, "
            f"include_shipped={self.include_shipped})"
        )


# -- argocd-cm --------------------------------------------------------------------------------


def _parse_bool(text: str, key: str, source: str) -> bool:
    # Go's strconv.ParseBool
    if text in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if text in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise HealthConfigError(
        f'strconv.ParseBool: parsing "{text}": invalid syntax (use true or false)',
        key=key,
        source=source,
    )


def _override_key(group_kind: str, key: str, source: str) -> str:
    if group_kind == "all":
        return "*/*"
    parts = group_kind.split("_")
    if len(parts) > 2:
        raise HealthConfigError(
            f"invalid group_kind {group_kind!r}: more than one '_' (expected <group>_<kind>)",
            key=key,
            source=source,
        )
    if len(parts) == 2:
        return f"{parts[0]}/{parts[1]}"
    return group_kind


def _fold(name: str) -> str:
    # Go's encoding/json matches field names case-insensitively
    return name.lower().replace("\u017f", "s").replace("\u212a", "k")


def _blob_overrides(text: Any, source: str) -> dict[str, dict[str, Any]]:
    from gitops_core.manifests._yaml import iter_yaml_documents

    if not isinstance(text, str):
        raise HealthConfigError("must be a string holding YAML", key=_BLOB_KEY, source=source)
    try:
        documents = [
            doc.value for doc in iter_yaml_documents(text, path=source, max_document_bytes=16 << 20)
        ]
    except GitopsCoreError as exc:
        raise HealthConfigError(f"invalid YAML: {exc}", key=_BLOB_KEY, source=source) from None
    value = documents[0] if documents else None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise HealthConfigError(
            "must be a YAML map from group/kind to overrides", key=_BLOB_KEY, source=source
        )
    result: dict[str, dict[str, Any]] = {}
    for group_kind, fields in value.items():
        entry_key = f"{_BLOB_KEY}[{group_kind}]"
        if fields is None:
            fields = {}
        if not isinstance(fields, dict):
            raise HealthConfigError(
                "json: cannot unmarshal into Go value of type v1alpha1.ResourceOverride "
                "(expected a map)",
                key=entry_key,
                source=source,
            )
        entry: dict[str, Any] = {}
        for name, field_value in fields.items():
            folded = _fold(str(name))
            if folded == "health.lua":
                if field_value is not None and not isinstance(field_value, str):
                    raise HealthConfigError(
                        "health.lua must be a string", key=entry_key, source=source
                    )
                entry["health"] = field_value or ""
            elif folded == "health.lua.useopenlibs":
                if field_value is not None and not isinstance(field_value, bool):
                    raise HealthConfigError(
                        "health.lua.useOpenLibs must be a boolean (true or false, unquoted)",
                        key=entry_key,
                        source=source,
                    )
                entry["useOpenLibs"] = bool(field_value)
        result[str(group_kind)] = entry
    return result


def parse_argocd_cm(
    data: Mapping[str, Any], *, source: str = "argocd-cm"
) -> dict[str, HealthOverride]:
    """The health overrides in an ``argocd-cm`` ``data`` map, by override key.

    The blob ``resource.customizations`` is read first, then the split keys
    ``resource.customizations.<type>.<group>_<kind>`` on top (``<Kind>`` for core; ``all`` is
    ``*/*``). Raises :class:`~gitops_core.errors.HealthConfigError` naming the key for an
    unknown customization type, a group_kind with more than one ``_``, a ``useOpenLibs`` that
    is not a Go bool, a non-string value or a malformed blob.
    """
    if not isinstance(data, Mapping):
        raise HealthConfigError("argocd-cm data must be a map of strings", source=source)
    entries: dict[str, dict[str, Any]] = {}
    if _BLOB_KEY in data:
        entries.update(_blob_overrides(data[_BLOB_KEY], source))
    for key, value in data.items():
        if not isinstance(key, str) or not key.startswith(_PREFIX):
            continue
        kind, _, group_kind = key[len(_PREFIX) :].partition(".")
        if kind not in _CUSTOMIZATION_TYPES:
            raise HealthConfigError(
                f"invalid customization type {kind!r} (expected one of "
                f"{', '.join(sorted(_CUSTOMIZATION_TYPES))})",
                key=key,
                source=source,
            )
        if not group_kind:
            raise HealthConfigError(
                "missing <group>_<kind> after the customization type", key=key, source=source
            )
        if not isinstance(value, str):
            raise HealthConfigError(
                "ConfigMap data values must be strings (quote the value)", key=key, source=source
            )
        override_key = _override_key(group_kind, key, source)
        if kind == "health":
            entries.setdefault(override_key, {})["health"] = value
        elif kind == "useOpenLibs":
            entries.setdefault(override_key, {})["useOpenLibs"] = _parse_bool(value, key, source)
    return {
        key: HealthOverride(
            key,
            entry.get("health", ""),
            bool(entry.get("useOpenLibs", False)),
            f"{source}:{key}" if source != "argocd-cm" else f"argocd-cm:{key}",
        )
        for key, entry in entries.items()
        if "health" in entry or "useOpenLibs" in entry
    }


def _load_configmap(path: Path) -> Mapping[str, Any]:
    from gitops_core.manifests._yaml import iter_yaml_documents

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise HealthConfigError(
            f"cannot read the argocd-cm file: {exc}", source=str(path)
        ) from None
    documents = [
        doc.value
        for doc in iter_yaml_documents(text, path=str(path), max_document_bytes=64 << 20)
        if isinstance(doc.value, dict)
    ]
    candidates: list[Mapping[str, Any]] = []
    for document in documents:
        if document.get("kind") == "List" and isinstance(document.get("items"), list):
            candidates.extend(item for item in document["items"] if isinstance(item, dict))
        else:
            candidates.append(document)
    configmaps = [c for c in candidates if c.get("kind") == "ConfigMap"]
    named = [c for c in configmaps if (c.get("metadata") or {}).get("name") == "argocd-cm"]
    if named:
        return named[0]
    if len(configmaps) == 1:
        return configmaps[0]
    if not configmaps:
        raise HealthConfigError("no ConfigMap in the file", source=str(path))
    raise HealthConfigError("several ConfigMaps and none is named argocd-cm", source=str(path))


@functools.cache
def default_registry() -> HealthRegistry:
    """The process-wide registry: the scripts shipped with gitops_core, no overrides (cached)."""
    return HealthRegistry(include_shipped=True)
