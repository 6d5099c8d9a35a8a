"""The policy API: findings, checks, their registry, the context and the runner."""

from __future__ import annotations

import enum
import importlib
import importlib.util
import re
import sys
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from gitops_core._gc import pauses_gc
from gitops_core.errors import (
    DuplicateResourceError,
    ManifestError,
    PolicyCheckError,
    PolicyError,
    UsageError,
)
from gitops_core.manifests import ManifestSet, load_manifests
from gitops_core.manifests.annotations import annotations_of, parse_csv
from gitops_core.resource import Resource, ResourceKey, SourceLocation

__all__ = [
    "DISABLE_ANNOTATION",
    "ENTRY_POINT_GROUP",
    "Check",
    "CheckFunction",
    "CheckRegistry",
    "Finding",
    "PolicyContext",
    "PolicyReport",
    "Severity",
    "check",
    "default_registry",
    "load_entry_points",
    "load_policy_module",
    "run_policies",
]

ENTRY_POINT_GROUP = "gitops_core.policies"
"""Entry point group of installed policy modules (each entry names a module or a check)."""

DISABLE_ANNOTATION = "policy.gitops-core.io/disable"
"""Annotation on a resource listing check codes (or ``all``) whose findings on it are dropped."""


class Severity(str, enum.Enum):
    """How bad a finding is: ``error``, ``warning`` or ``info``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value

    @property
    def rank(self) -> int:
        """3 for error, 2 for warning, 1 for info (higher is worse)."""
        return _RANKS[self]

    @classmethod
    def parse(cls, value: Severity | str) -> Severity:
        """The severity named ``value`` (case-insensitive); raises :class:`UsageError`.

        >>> Severity.parse("Warning")
        <Severity.WARNING: 'warning'>
        """
        if isinstance(value, Severity):
            return value
        if isinstance(value, str):
            try:
                return cls(value.lower())
            except ValueError:
                pass
        raise UsageError(f"severity must be error, warning or info, not {value!r}")


_RANKS = {Severity.ERROR: 3, Severity.WARNING: 2, Severity.INFO: 1}


def _severity(value: Severity | str) -> Severity:
    return Severity.parse(value)


def _optional_severity(value: Severity | str | None) -> Severity | None:
    return None if value is None else Severity.parse(value)


@attrs.frozen
class Finding:
    """One problem a check found.

    Attributes:
        message: what is wrong and what to do (never a Secret value).
        key: the resource concerned, or ``None`` for a finding about the application.
        code: the check's code (filled in by the runner when a check leaves it empty).
        severity: the check's severity unless the check chose one (filled in by the runner).
        source: file and line of the resource (filled in from the manifests when ``None``).
        app: the application's name (filled in by the runner from the context).
    """

    message: str
    key: ResourceKey | None = None
    code: str = ""
    severity: Severity | None = attrs.field(default=None, converter=_optional_severity)
    source: SourceLocation | None = None
    app: str = ""

    @classmethod
    def at(
        cls, resource: Resource, message: str, *, severity: Severity | str | None = None
    ) -> Finding:
        """A finding on ``resource``, located where the resource was loaded from."""
        return cls(message, resource.key, severity=severity, source=resource.source)

    @property
    def path(self) -> str | None:
        """The file of the finding, if known."""
        return self.source.path if self.source is not None else None

    @property
    def line(self) -> int | None:
        """The 1-based line of the finding, if known."""
        return self.source.line if self.source is not None else None

    def to_json(self) -> dict[str, Any]:
        """The JSON record of ``--output json``."""
        return {
            "app": self.app,
            "code": self.code,
            "severity": str(self.severity) if self.severity is not None else None,
            "key": str(self.key) if self.key is not None else None,
            "path": self.path,
            "line": self.line,
            "template": self.source.template if self.source is not None else None,
            "message": self.message,
        }

    def __str__(self) -> str:
        where = f"{self.source.path}:{self.source.line}: " if self.source is not None else ""
        what = f"{self.key}: " if self.key is not None else ""
        app = f"[{self.app}] " if self.app else ""
        return f"{where}{self.severity} {self.code} {app}{what}{self.message}"


CheckFunction = Callable[["PolicyContext"], Iterable[Finding]]
"""A check: a function of a :class:`PolicyContext` yielding :class:`Finding` values."""

_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")


@attrs.frozen
class Check:
    """A registered check: its stable code, default severity, function and description."""

    code: str
    severity: Severity = attrs.field(converter=_severity)
    func: CheckFunction = attrs.field(eq=False, repr=False)
    name: str = ""
    description: str = ""
    help_uri: str | None = None

    @property
    def summary(self) -> str:
        """The first line of the description."""
        return self.description.strip().split("\n", 1)[0].strip().replace("``", "")


class CheckRegistry:
    """Checks by code, in registration order; the decorator :func:`check` fills the default one."""

    def __init__(self, checks: Iterable[Check] = ()) -> None:
        self._checks: dict[str, Check] = {}
        for item in checks:
            self.register(item)

    def register(self, item: Check) -> Check:
        """Add a check. Raises :class:`PolicyError` when another function has the same code.

        Registering the same function again (a module imported twice) replaces the entry.
        """
        if not isinstance(item, Check):
            raise UsageError(f"register() takes a Check, not {type(item).__name__}")
        if _CODE.fullmatch(item.code) is None:
            raise PolicyError(
                "a check code is a letter then letters, digits, _ . -", code=item.code
            )
        existing = self._checks.get(item.code)
        if existing is not None and _identity(existing.func) != _identity(item.func):
            raise PolicyError(
                f"code already registered by {_identity(existing.func)}", code=item.code
            )
        self._checks[item.code] = item
        return item

    def unregister(self, code: str) -> Check | None:
        """Remove and return the check ``code`` (``None`` when absent)."""
        return self._checks.pop(code, None)

    def get(self, code: str) -> Check | None:
        """The check with ``code``, or ``None``."""
        return self._checks.get(code)

    def codes(self) -> list[str]:
        """Every registered code, in registration order."""
        return list(self._checks)

    def __iter__(self) -> Iterator[Check]:
        return iter(list(self._checks.values()))

    def __len__(self) -> int:
        return len(self._checks)

    def __contains__(self, code: object) -> bool:
        return code in self._checks

    def select(
        self, select: Collection[str] | None = None, disable: Collection[str] = ()
    ) -> list[Check]:
        """The checks named in ``select`` (all when ``None``) minus ``disable``, in order.

        A code may also be a prefix ending in ``*`` (``GC0*``). Raises :class:`PolicyError`
        for a code that matches no check, so that a typo does not silently disable nothing.
        """
        chosen = self._match(select) if select is not None else set(self._checks)
        dropped = self._match(disable)
        return [c for code, c in self._checks.items() if code in chosen and code not in dropped]

    def _match(self, patterns: Collection[str]) -> set[str]:
        if isinstance(patterns, str):
            patterns = [patterns]
        found: set[str] = set()
        for pattern in patterns:
            if pattern.endswith("*"):
                matches = {code for code in self._checks if code.startswith(pattern[:-1])}
            else:
                matches = {pattern} if pattern in self._checks else set()
            if not matches:
                known = ", ".join(self._checks) or "none"
                raise PolicyError(f"no check has this code (known: {known})", code=pattern)
            found |= matches
        return found


def _identity(func: Callable[..., Any]) -> str:
    return f"{getattr(func, '__module__', '?')}.{getattr(func, '__qualname__', repr(func))}"


_DEFAULT_REGISTRY = CheckRegistry()


def default_registry() -> CheckRegistry:
    """The process-wide registry: built-in checks, decorated checks and entry points."""
    import gitops_core.policy.builtin  # noqa: F401  (registers the built-in checks)

    return _DEFAULT_REGISTRY


def check(
    code: str,
    *,
    severity: Severity | str = Severity.WARNING,
    name: str | None = None,
    help_uri: str | None = None,
    registry: CheckRegistry | None = None,
) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as the check ``code`` (default severity ``warning``).

    The function receives a :class:`PolicyContext` and yields :class:`Finding` values; its
    docstring is the check's description (first line: the summary). It is returned unchanged.

    >>> @check("ACME001", severity="error", registry=CheckRegistry())
    ... def no_latest(ctx):
    ...     "Images must not use the latest tag."
    ...     return []
    """
    parsed = Severity.parse(severity)

    def decorate(func: CheckFunction) -> CheckFunction:
        if not callable(func):
            raise UsageError("@check decorates a function")
        target = registry if registry is not None else _DEFAULT_REGISTRY
        target.register(
            Check(
                code,
                parsed,
                func,
                name or getattr(func, "__name__", code).replace("_", "-"),
                (func.__doc__ or "").strip(),
                help_uri,
            )
        )
        return func

    return decorate


_ENTRY_POINTS_LOADED = False


def load_entry_points(*, force: bool = False) -> list[str]:
    """Import the installed policy modules (entry point group ``gitops_core.policies``) once.

    An entry naming a module registers its decorated checks on import; an entry naming a
    :class:`Check` registers it. Returns the entry names loaded. Raises :class:`PolicyError`
    naming an entry that fails to load.
    """
    global _ENTRY_POINTS_LOADED
    if _ENTRY_POINTS_LOADED and not force:
        return []
    _ENTRY_POINTS_LOADED = True
    from importlib.metadata import entry_points

    loaded: list[str] = []
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            value = entry.load()
        except Exception as exc:  # a third-party module: any import error is reported as ours
            raise PolicyError(
                f"entry point {entry.name} ({entry.value}) failed to load: {exc}"
            ) from exc
        if isinstance(value, Check):
            _DEFAULT_REGISTRY.register(value)
        loaded.append(entry.name)
    return loaded


def load_policy_module(spec: str) -> Any:
    """Import a policy module by dotted name or ``.py`` path (its ``@check`` functions register).

    Raises :class:`PolicyError` when the module cannot be found or fails to import.
    """
    path = Path(spec)
    try:
        if spec.endswith(".py") or path.is_file():
            if not path.is_file():
                raise PolicyError(f"policy file not found: {spec}")
            module_name = "gitops_core_policy_" + re.sub(r"\W", "_", str(path.resolve()))
            if module_name in sys.modules:
                return sys.modules[module_name]
            loader_spec = importlib.util.spec_from_file_location(module_name, path)
            if loader_spec is None or loader_spec.loader is None:
                raise PolicyError(f"cannot import {spec}")
            module = importlib.util.module_from_spec(loader_spec)
            sys.modules[module_name] = module
            try:
                loader_spec.loader.exec_module(module)
            except BaseException:
                del sys.modules[module_name]
                raise
            return module
        return importlib.import_module(spec)
    except PolicyError:
        raise
    except ModuleNotFoundError as exc:
        raise PolicyError(f"policy module not found: {spec} ({exc})") from exc
    except Exception as exc:  # user code: whatever it raises is reported as a policy error
        raise PolicyError(f"policy module {spec} failed to import: {exc}") from exc


class PolicyContext:
    """What a check sees of one application; the costly views are computed on first use.

    Args:
        manifests: the desired manifests (hooks included).
        live: the live snapshot, if any.
        name: the application's name (shown on findings).
        namespace: the destination namespace.
        sync_options: options of the sync plan (default: ``SyncOptions(namespace=...)``).
        compare_options: options of the comparison (default: ``CompareOptions(namespace=...)``).
        health_registry: Lua health overrides for the health results.
        argocd_cm: the ``data`` of the argocd-cm ConfigMap, if known.
        cluster_kinds: ``(group, kind)`` served by the cluster beyond the built-ins and what
            the manifests and the live snapshot declare (CRDs installed by other apps).
        comparison / plan / health: precomputed results (otherwise computed lazily).

    Attributes ``comparison`` (``None`` without a live snapshot), ``plan`` (against the live
    snapshot, or an empty one) and ``health`` (``None`` without a live snapshot) are cached.
    """

    def __init__(
        self,
        manifests: ManifestSet,
        *,
        live: ManifestSet | None = None,
        name: str = "",
        namespace: str = "",
        sync_options: Any = None,
        compare_options: Any = None,
        health_registry: Any = None,
        argocd_cm: Mapping[str, Any] | None = None,
        cluster_kinds: Iterable[tuple[str, str]] = (),
        comparison: Any = None,
        plan: Any = None,
        health: Any = None,
    ) -> None:
        if not isinstance(manifests, ManifestSet):
            raise UsageError(f"manifests must be a ManifestSet, not {type(manifests).__name__}")
        if live is not None and not isinstance(live, ManifestSet):
            raise UsageError(f"live must be a ManifestSet, not {type(live).__name__}")
        if argocd_cm is not None and not isinstance(argocd_cm, Mapping):
            raise UsageError("argocd_cm must be the data map of the argocd-cm ConfigMap")
        self.manifests = manifests
        self.live = live
        self.name = name
        self.namespace = namespace
        self.sync_options = sync_options
        self.compare_options = compare_options
        self.health_registry = health_registry
        self.argocd_cm = argocd_cm
        self.cluster_kinds: frozenset[tuple[str, str]] = frozenset(cluster_kinds)
        self._comparison = comparison
        self._plan = plan
        self._health = health
        self._cache: dict[str, Any] = {}

    @classmethod
    def from_paths(
        cls,
        paths: str | Iterable[str],
        *,
        live: str | Iterable[str] | None = None,
        **kwargs: Any,
    ) -> PolicyContext:
        """A context from manifest files or directories (and live snapshot files).

        Duplicate resources do not stop the load (check GC009 reports them); any other
        manifest error is raised (:class:`~gitops_core.errors.ManifestError`).
        """
        namespace = kwargs.get("namespace") or None
        manifests = _load_lenient(paths, namespace)
        live_set = _load_lenient(live, namespace) if live else None
        return cls(manifests, live=live_set, **kwargs)

    def cached(self, name: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per context under ``name`` (for checks sharing costly work)."""
        if name not in self._cache:
            self._cache[name] = compute()
        return self._cache[name]

    @property
    def comparison(self) -> Any:
        """The :class:`~gitops_core.diff.Comparison` with the live snapshot, else ``None``."""
        if self._comparison is None and self.live is not None:
            from gitops_core.diff import CompareOptions, compare

            options = self.compare_options or CompareOptions(namespace=self.namespace)
            self._comparison = compare(self.manifests, self.live, options)
        return self._comparison

    @property
    def plan(self) -> Any:
        """The :class:`~gitops_core.sync.SyncPlan` against the live snapshot (or none)."""
        if self._plan is None:
            from gitops_core.sync import SyncOptions, plan_sync

            options = self.sync_options or SyncOptions(namespace=self.namespace)
            live = self.live if self.live is not None else ManifestSet(())
            self._plan = plan_sync(self.manifests, live, options)
        return self._plan

    @property
    def health(self) -> Any:
        """The :class:`~gitops_core.health.AppHealth` of the live snapshot, else ``None``."""
        if self._health is None and self.live is not None:
            from gitops_core.health import aggregate_health

            self._health = aggregate_health(
                self.live,
                self.manifests,
                registry=self.health_registry,
                namespace=self.namespace or None,
            )
        return self._health

    def __repr__(self) -> str:
        live = f", live={len(self.live)}" if self.live is not None else ""
        return f"PolicyContext({self.name!r}, manifests={len(self.manifests)}{live})"


def _load_lenient(paths: str | Iterable[str] | None, namespace: str | None) -> ManifestSet:
    if paths is None:
        return ManifestSet(())
    loaded = load_manifests(paths, strict=False, default_namespace=namespace)
    for error in loaded.errors:
        if not isinstance(error, DuplicateResourceError):
            raise error
    return loaded


@attrs.frozen
class PolicyReport:
    """The findings of a run, sorted by application, file, line and code, and the checks run."""

    findings: tuple[Finding, ...]
    checks: tuple[Check, ...] = ()
    applications: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    def at_or_above(self, severity: Severity | str) -> tuple[Finding, ...]:
        """Findings whose severity is ``severity`` or worse."""
        threshold = Severity.parse(severity).rank
        return tuple(
            f for f in self.findings if f.severity is not None and f.severity.rank >= threshold
        )

    def failed(self, fail_on: Severity | str = Severity.ERROR) -> bool:
        """Whether any finding is at or above ``fail_on``."""
        return bool(self.at_or_above(fail_on))

    def by_code(self, code: str) -> tuple[Finding, ...]:
        """Findings of one check."""
        return tuple(f for f in self.findings if f.code == code)

    def counts(self) -> dict[str, int]:
        """Number of findings per severity (``error``, ``warning``, ``info``)."""
        counts = {str(s): 0 for s in Severity}
        for finding in self.findings:
            if finding.severity is not None:
                counts[str(finding.severity)] += 1
        return counts

    def to_json(self) -> dict[str, Any]:
        """The JSON document of ``--output json``."""
        return {
            "findings": [f.to_json() for f in self.findings],
            "counts": self.counts(),
            "checks": [c.code for c in self.checks],
        }


def _sort_key(finding: Finding) -> tuple[Any, ...]:
    source = finding.source
    return (
        finding.app,
        source.path if source is not None else "",
        source.line if source is not None else 0,
        source.item if source is not None and source.item is not None else -1,
        finding.code,
        str(finding.key) if finding.key is not None else "",
        finding.message,
    )


def _suppressed(resource: Resource | None, code: str) -> bool:
    if resource is None:
        return False
    value = annotations_of(resource.object).get(DISABLE_ANNOTATION)
    if not isinstance(value, str):
        return False
    codes = parse_csv(value)
    return "all" in codes or code in codes


@pauses_gc
def run_policies(
    contexts: PolicyContext | Iterable[PolicyContext],
    *,
    select: Collection[str] | None = None,
    disable: Collection[str] = (),
    checks: Iterable[Check | CheckFunction] | None = None,
    registry: CheckRegistry | None = None,
    entry_points: bool = True,
) -> PolicyReport:
    """Run checks over one or many applications and collect their findings.

    ``checks`` replaces the registry with explicit checks (``Check`` values or decorated
    functions); otherwise every check of ``registry`` (default: built-ins, decorated checks
    and, with ``entry_points``, installed policy modules) runs, filtered by ``select`` and
    ``disable`` codes (``*`` suffix: prefix match). Findings on a resource annotated
    ``policy.gitops-core.io/disable: CODE,...`` (or ``all``) are dropped.

    Raises :class:`~gitops_core.errors.PolicyError` for an unknown code and
    :class:`~gitops_core.errors.PolicyCheckError` when a check raises.
    """
    if isinstance(contexts, PolicyContext):
        contexts = [contexts]
    contexts = list(contexts)
    for context in contexts:
        if not isinstance(context, PolicyContext):
            raise UsageError(
                f"run_policies() takes PolicyContext values, not {type(context).__name__}"
            )
    if checks is not None:
        chosen = CheckRegistry(_as_check(item) for item in checks).select(select, disable)
    else:
        if registry is None:
            registry = default_registry()
            if entry_points:
                load_entry_points()
        chosen = registry.select(select, disable)
    findings: list[Finding] = []
    for context in contexts:
        for item in chosen:
            findings.extend(_run_one(item, context))
    findings.sort(key=_sort_key)
    return PolicyReport(tuple(findings), tuple(chosen), tuple(c.name for c in contexts))


def _as_check(item: Check | CheckFunction) -> Check:
    if isinstance(item, Check):
        return item
    for registered in _DEFAULT_REGISTRY:
        if registered.func is item:
            return registered
    raise PolicyError(f"{_identity(item)} is not a registered check (decorate it with @check)")


def _run_one(item: Check, context: PolicyContext) -> list[Finding]:
    found: list[Finding] = []
    index = context.manifests.index
    try:
        results = item.func(context)
        for finding in results or ():
            if not isinstance(finding, Finding):
                raise PolicyCheckError(
                    f"yielded {type(finding).__name__}, not Finding",
                    code=item.code,
                    app=context.name,
                )
            resource = index.get(finding.key) if finding.key is not None else None
            code = finding.code or item.code
            if _suppressed(resource, code):
                continue
            source = finding.source
            if source is None and resource is not None:
                source = resource.source
            found.append(
                attrs.evolve(
                    finding,
                    code=code,
                    severity=finding.severity or item.severity,
                    source=source,
                    app=finding.app or context.name,
                )
            )
    except (PolicyError, ManifestError):
        raise
    except Exception as exc:  # a check is user code: any failure is reported with its code
        raise PolicyCheckError(
            f"{type(exc).__name__}: {exc}", code=item.code, app=context.name
        ) from exc
    return found
