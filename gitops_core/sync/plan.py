"""Plan a sync like Argo CD's engine: tasks, phases, waves, kind order, hooks and pruning.

:func:`plan_sync` is a pure function of the desired manifests, the live snapshot and the
:class:`SyncOptions`; it follows the steps of spec ``sync.md`` §2.2 in their exact order
(resource tasks, hook tasks, namespace fill, auto namespace, live lookup, discovery check,
prune-wave mirroring, PruneLast, sort, pull-ups). Every :class:`SyncTask` carries what the
simulator needs to execute it and a ``reason`` saying why it sits where it sits.

>>> from gitops_core.manifests import ManifestSet
>>> desired = ManifestSet.from_objects([
...     {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}},
...     {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop",
...      "annotations": {"argocd.argoproj.io/sync-wave": "3"}}},
... ])
>>> plan = plan_sync(desired, ManifestSet(()), SyncOptions(namespace="shop"))
>>> [(t.phase, t.wave, t.kind, t.name, t.action) for t in plan]
[('Sync', 0, 'Namespace', 'shop', 'create'), ('Sync', 0, 'Deployment', 'web', 'create')]
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Literal, Protocol, Union, runtime_checkable

import attrs

import gitops_core.manifests.annotations as ann
from gitops_core.errors import UsageError
from gitops_core.manifests import ManifestSet
from gitops_core.resource import ResourceKey, split_api_version
from gitops_core.sync.classify import Classification, classify
from gitops_core.sync.kinds import BUILTIN_API_RESOURCES, KIND_RANK

__all__ = [
    "ACTIONS",
    "HOOK_FINALIZER",
    "PHASE_RANK",
    "ManagedNamespaceMetadata",
    "SkippedObject",
    "SupportsSyncStatus",
    "SyncOptions",
    "SyncPlan",
    "SyncTask",
    "generate_hook_name",
    "plan_sync",
]

HOOK_FINALIZER = "argocd.argoproj.io/hook-finalizer"
"""The finalizer every hook task's target carries (spec §4)."""

PHASE_RANK: Mapping[str, int] = {"PreSync": -1, "Sync": 0, "PostSync": 1, "SyncFail": 2}
"""Sort rank of each phase (§5.1); an unknown phase ranks like Sync."""

Action = Literal["create", "apply", "replace", "update", "prune", "prune-skipped", "hook"]
ACTIONS: tuple[str, ...] = (
    "create",
    "apply",
    "replace",
    "update",
    "prune",
    "prune-skipped",
    "hook",
)
"""Every value of :attr:`SyncTask.action`."""

NOT_VALID_MESSAGE = "one or more synchronization tasks are not valid"
REQUIRES_PRUNING = "ignored (requires pruning)"
NO_PRUNE = "ignored (no prune)"


@runtime_checkable
class SupportsSyncStatus(Protocol):
    """A comparison result: tells the sync status (``"Synced"``/``"OutOfSync"``) of a key."""

    def sync_status(self, key: ResourceKey) -> str | None:
        """The status of the resource ``key``, or ``None`` when the comparison has no entry."""


Comparison = Union[Mapping[Any, Any], SupportsSyncStatus]  # noqa: UP007  (runtime alias, py3.10)
ResourceFilter = Union[  # noqa: UP007
    Iterable[Union[ResourceKey, str]],  # noqa: UP007
    Callable[[ResourceKey, "Mapping[str, Any] | None", "Mapping[str, Any] | None"], bool],
]


@attrs.frozen
class ManagedNamespaceMetadata:
    """``spec.syncPolicy.managedNamespaceMetadata``: labels and annotations of the auto namespace."""

    labels: Mapping[str, str] | None = None
    annotations: Mapping[str, str] | None = None


def _to_unix(value: int | float | _dt.datetime | None) -> int:
    if value is None:
        return 0
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        return int(value.timestamp() // 1)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise UsageError(f"started_at must be unix seconds or a datetime, not {value!r}")
    return int(value // 1)


def _to_metadata(
    value: ManagedNamespaceMetadata | Mapping[str, Any] | None,
) -> ManagedNamespaceMetadata | None:
    if value is None or isinstance(value, ManagedNamespaceMetadata):
        return value
    if isinstance(value, Mapping):
        return ManagedNamespaceMetadata(value.get("labels"), value.get("annotations"))
    raise UsageError(f"managed_namespace_metadata must be a mapping, not {type(value).__name__}")


_PRUNE_VALUES = (None, "true", "false", "confirm")
_PROPAGATION = ("foreground", "background", "orphan")


@attrs.frozen(kw_only=True)
class SyncOptions:
    """The operation's settings, the app-level sync options (§7) and the cluster facts.

    Operation settings:
        namespace: the app's destination namespace (fills targets without one).
        prune: the operation's prune flag; when off, prune tasks end ``PruneSkipped``
            "ignored (requires pruning)". Off by default, like ``argocd app sync``.
        dry_run: the whole operation is a dry run.
        force: the sync strategy's force flag (``--force``).
        skip_hooks: run no hooks (Argo CD sets it for the "apply" strategy).
        resources_filter: selective sync: keys (``group/kind/namespace/name``; an empty
            namespace matches any) or a predicate ``(key, target, live) -> bool``. A selective
            sync also runs no hooks (spec §9.1).
        revision / started_at: name generated hooks (§4); ``started_at`` is unix seconds or a
            datetime.
        prune_confirmed: the app carries a deletion approval later than the operation start.

    App-level options (``spec.syncPolicy.syncOptions``; see :meth:`from_sync_options`):
        default_prune_option (``Prune=``), prune_last, delete_option (``Delete=``), replace,
        server_side_apply, client_side_apply_migration, validate,
        skip_dry_run_on_missing_resource, apply_out_of_sync_only (with ``comparison``),
        create_namespace (with ``managed_namespace_metadata``), prune_propagation_policy,
        respect_ignore_differences, fail_on_shared_resource.

    Cluster facts:
        api_resources: ``(group, kind) -> namespaced`` the API server serves. ``None`` means the
            built-in kinds, every CRD in the live set and every kind seen live.
        namespace_exists: whether the destination namespace exists; ``None`` looks for a live
            Namespace of that name.
        permission_check: ``(object) -> error message or None`` (Argo CD's AppProject rules).
    """

    namespace: str = ""
    prune: bool = False
    dry_run: bool = False
    force: bool = False
    skip_hooks: bool = False
    resources_filter: ResourceFilter | None = None
    revision: str = ""
    started_at: int = attrs.field(default=0, converter=_to_unix)
    prune_confirmed: bool = False
    default_prune_option: str | None = attrs.field(default=None)
    prune_last: bool = False
    delete_option: str | None = None
    replace: bool = False
    server_side_apply: bool = False
    client_side_apply_migration: bool = True
    validate: bool = True
    skip_dry_run_on_missing_resource: bool = False
    apply_out_of_sync_only: bool = False
    comparison: Comparison | None = None
    create_namespace: bool = False
    managed_namespace_metadata: ManagedNamespaceMetadata | None = attrs.field(
        default=None, converter=_to_metadata
    )
    prune_propagation_policy: str = "foreground"
    respect_ignore_differences: bool = False
    fail_on_shared_resource: bool = False
    api_resources: Mapping[tuple[str, str], bool] | None = None
    namespace_exists: bool | None = None
    permission_check: Callable[[Mapping[str, Any]], str | None] | None = None
    sync_options: tuple[str, ...] = attrs.field(default=(), converter=tuple)

    @default_prune_option.validator
    def _check_prune(self, _attribute: object, value: str | None) -> None:
        if value not in _PRUNE_VALUES:
            raise UsageError(f"default_prune_option must be true, false or confirm, not {value!r}")

    @property
    def hooks_skipped(self) -> bool:
        """Whether hooks are left out: ``skip_hooks`` or a selective sync (spec §9.1)."""
        return self.skip_hooks or self.resources_filter is not None

    @classmethod
    def from_sync_options(cls, items: Iterable[str], **kwargs: Any) -> SyncOptions:
        """Options from app-level ``syncOptions`` strings, plus keyword arguments.

        Strings match exactly and case-sensitively, as in Argo CD; unknown strings are kept in
        ``sync_options`` but change nothing (:meth:`unknown_sync_options` lists them).

        >>> SyncOptions.from_sync_options(["PruneLast=true", "Prune=confirm"]).default_prune_option
        'confirm'
        """
        options = tuple(items)
        values: dict[str, Any] = {}
        flags = {
            "PruneLast=true": "prune_last",
            "Replace=true": "replace",
            "ServerSideApply=true": "server_side_apply",
            "SkipDryRunOnMissingResource=true": "skip_dry_run_on_missing_resource",
            "ApplyOutOfSyncOnly=true": "apply_out_of_sync_only",
            "CreateNamespace=true": "create_namespace",
            "RespectIgnoreDifferences=true": "respect_ignore_differences",
            "FailOnSharedResource=true": "fail_on_shared_resource",
        }
        for item in options:
            if item in flags:
                values[flags[item]] = True
        if "Validate=false" in options:
            values["validate"] = False
        if "ClientSideApplyMigration=false" in options:
            values["client_side_apply_migration"] = False
        prune = ann.option_value(options, "Prune")
        if prune in ("true", "false", "confirm"):
            values["default_prune_option"] = prune
        delete = ann.option_value(options, "Delete")
        if delete in ("false", "confirm"):
            values["delete_option"] = delete
        policy = ann.option_value(options, "PrunePropagationPolicy")
        if policy in _PROPAGATION:
            values["prune_propagation_policy"] = policy
        values.update(kwargs)
        values["sync_options"] = options + tuple(kwargs.get("sync_options", ()))
        return cls(**values)

    def unknown_sync_options(self) -> tuple[str, ...]:
        """The ``sync_options`` strings Argo CD would not recognise (they do nothing)."""
        known_flags = {
            "PruneLast=true",
            "Replace=true",
            "Replace=false",
            "ServerSideApply=true",
            "ServerSideApply=false",
            "SkipDryRunOnMissingResource=true",
            "ApplyOutOfSyncOnly=true",
            "CreateNamespace=true",
            "RespectIgnoreDifferences=true",
            "FailOnSharedResource=true",
            "Validate=false",
            "Validate=true",
            "ClientSideApplyMigration=false",
            "ClientSideApplyMigration=true",
            "Prune=true",
            "Prune=false",
            "Prune=confirm",
            "Delete=false",
            "Delete=confirm",
            "Delete=true",
            *(f"PrunePropagationPolicy={p}" for p in _PROPAGATION),
        }
        return tuple(item for item in self.sync_options if item not in known_flags)


@attrs.frozen(eq=False)
class SyncTask:
    """One task of the plan: what happens to one object in one phase, and why it is there.

    Attributes:
        phase: ``PreSync``, ``Sync``, ``PostSync`` or ``SyncFail`` (after pull-ups).
        wave: the effective wave (after mirroring, PruneLast and pull-ups).
        kind_rank: rank of the kind in the sort (§5.2).
        key: the object's identity (cluster-scoped kinds have namespace ``""``).
        namespace: the namespace the engine sees on the object (targets are filled with the
            destination namespace, cluster-scoped ones included; §2.2 step 3).
        target: the object as it will be sent (namespace filled; hooks named and finalized), or
            ``None`` for a prune. Treat as read-only.
        live: the live object, or ``None`` when it will be created.
        action: ``create``, ``apply``, ``replace``, ``update``, ``prune``, ``prune-skipped`` or
            ``hook``.
        method: the engine call: ``apply``, ``create``, ``replace``, ``update`` (Replace on a
            Namespace or CRD), ``delete`` (prune) or ``none`` (prune skipped).
        hook: the task runs a hook.
        classification: the annotations of the task's object (target, else live).
        delete_policies: hook delete policies (empty for non-hooks: they mean nothing there).
        skip_dry_run: the kind is unknown to the cluster but will be created (§2.2 step 6).
        server_side_apply / force / validate: how the apply is done (§7.1).
        prune_option: the effective ``Prune=`` value of a prune (``None``: prune normally).
        requires_confirmation: a prune that waits for ``Prune=confirm`` approval.
        skip_reason: for ``prune-skipped``: "ignored (requires pruning)" or "ignored (no prune)".
        skip_unmodified: ApplyOutOfSyncOnly drops this task from the dry run and the run.
        result_code / operation_phase / message: set on tasks already known to fail (invalid
            kinds, denied permissions); ``None`` otherwise.
        wave_origin: ``own`` (annotations), ``mirrored``, ``prune-last`` or ``pulled-up``.
        own_wave: the wave the object's annotations give.
        pulled_before: the task a pull-up moved this one in front of (``group/Kind/name``).
        auto_namespace: the task was added by CreateNamespace (§7.4).
        order: position in generation order (the last tie-break of the sort).
    """

    phase: str
    wave: int
    kind_rank: int
    key: ResourceKey
    namespace: str
    target: Mapping[str, Any] | None
    live: Mapping[str, Any] | None
    action: str
    method: str
    hook: bool
    classification: Classification
    skip_dry_run: bool = False
    server_side_apply: bool = False
    force: bool = False
    validate: bool = True
    prune_option: str | None = None
    requires_confirmation: bool = False
    skip_reason: str | None = None
    skip_unmodified: bool = False
    result_code: str | None = None
    operation_phase: str | None = None
    message: str = ""
    wave_origin: str = "own"
    own_wave: int = 0
    pulled_before: str | None = None
    auto_namespace: bool = False
    order: int = 0

    @property
    def kind(self) -> str:
        """The object's kind."""
        return self.key.kind

    @property
    def group(self) -> str:
        """The object's API group (``""`` for core)."""
        return self.key.group

    @property
    def name(self) -> str:
        """The object's name (generated for hooks with only ``generateName``)."""
        return self.key.name

    @property
    def is_prune(self) -> bool:
        """True for a task without target (prune or prune-skipped)."""
        return self.target is None

    @property
    def delete_policies(self) -> tuple[str, ...]:
        """Hook delete policies; empty on non-hooks, where they mean nothing (§8.7)."""
        return self.classification.delete_policies if self.hook else ()

    @property
    def sync_options(self) -> tuple[str, ...]:
        """The sync options of the task's object (target, else live)."""
        return self.classification.sync_options

    @property
    def result_key(self) -> str:
        """``<group>/<kind>/<namespace>/<name>:<phase>``, the engine's result key (§1)."""
        return f"{self.key.group}/{self.key.kind}/{self.namespace}/{self.key.name}:{self.phase}"

    @property
    def label(self) -> str:
        """``group/Kind/name`` as the engine's messages name objects (core group empty)."""
        return f"{self.key.group}/{self.key.kind}/{self.key.name}"

    @property
    def reason(self) -> str:
        """Why the task exists and sits at its (phase, wave)."""
        return _reason(self)

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready record (never the objects themselves: they may be Secrets)."""
        return {
            "phase": self.phase,
            "wave": self.wave,
            "kind": self.key.kind,
            "group": self.key.group,
            "namespace": self.key.namespace,
            "name": self.key.name,
            "action": self.action,
            "hook": self.hook,
            "reason": self.reason,
            "method": self.method,
            "kindRank": self.kind_rank,
            "ownWave": self.own_wave,
            "waveOrigin": self.wave_origin,
            "deletePolicies": list(self.delete_policies),
            "syncOptions": list(self.sync_options),
            "skipDryRun": self.skip_dry_run,
            "serverSideApply": self.server_side_apply,
            "force": self.force,
            "validate": self.validate,
            "requiresConfirmation": self.requires_confirmation,
            "skipReason": self.skip_reason,
            "skipUnmodified": self.skip_unmodified,
            "resultCode": self.result_code,
            "message": self.message,
            "resultKey": self.result_key,
        }

    def __repr__(self) -> str:
        return (
            f"SyncTask({self.phase}/{self.wave} {self.action} {self.key}"
            f"{' hook' if self.hook else ''})"
        )


@attrs.frozen
class SkippedObject:
    """An object that got no task, and why (Skip, ignored hook, live hook, filtered, ...)."""

    key: ResourceKey
    reason: str
    live: bool = False


@attrs.frozen(eq=False)
class SyncPlan:
    """The ordered tasks of a sync, whether they are valid, and what got no task.

    ``message`` is the operation message when the plan is invalid (§2.2 step 6), else ``""``.
    Iterating yields the tasks in execution order.
    """

    tasks: tuple[SyncTask, ...]
    valid: bool = True
    message: str = ""
    options: SyncOptions = attrs.field(factory=SyncOptions)
    skipped: tuple[SkippedObject, ...] = ()
    warnings: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[SyncTask]:
        return iter(self.tasks)

    def __len__(self) -> int:
        return len(self.tasks)

    def __getitem__(self, index: int) -> SyncTask:
        return self.tasks[index]

    @property
    def multi_step(self) -> bool:
        """True when the first and last tasks differ in phase or wave (§8.3)."""
        if not self.tasks:
            return False
        first, last = self.tasks[0], self.tasks[-1]
        return (first.phase, first.wave) != (last.phase, last.wave)

    def by_phase(self) -> dict[str, list[SyncTask]]:
        """Tasks grouped by phase, phases in plan order."""
        groups: dict[str, list[SyncTask]] = {}
        for task in self.tasks:
            groups.setdefault(task.phase, []).append(task)
        return groups

    def by_wave(self) -> list[tuple[str, int, list[SyncTask]]]:
        """Consecutive runs of tasks with the same (phase, wave), in plan order."""
        groups: list[tuple[str, int, list[SyncTask]]] = []
        for task in self.tasks:
            if groups and groups[-1][0] == task.phase and groups[-1][1] == task.wave:
                groups[-1][2].append(task)
            else:
                groups.append((task.phase, task.wave, [task]))
        return groups

    def waves(self) -> list[tuple[str, int]]:
        """The distinct (phase, wave) steps in plan order."""
        return [(phase, wave) for phase, wave, _ in self.by_wave()]

    def to_records(self) -> list[dict[str, Any]]:
        """JSON-ready task records (see :meth:`SyncTask.to_record`)."""
        return [task.to_record() for task in self.tasks]


def generate_hook_name(generate_name: str, revision: str, phase: str, started_at: int) -> str:
    """The name of a hook that only has ``generateName`` (§4).

    >>> generate_hook_name("migrate-", "FooBarBaz", "PreSync", 1700000000)
    'migrate-foobarb-presync-1700000000'
    >>> generate_hook_name("", "0123456", "SyncFail", 42)
    '0123456-syncfail-42'
    """
    rev = revision[:7] if len(revision) >= 8 else revision
    return generate_name + f"{rev}-{phase}-{started_at}".lower()


# ---------------------------------------------------------------------------------------------
# Planning
# ---------------------------------------------------------------------------------------------

# A task under construction is a list (cheap to build and mutate over 100,000 objects):
_PHASE, _WAVE, _TARGET, _LIVE, _CLS, _ORDER, _GROUP, _KIND, _NAME, _NS, _ORIGIN, _MOVED = range(12)
_SKIP_DRY, _RESULT, _AUTO, _LIVE_NS, _OWN = range(12, 17)


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    meta = obj.get("metadata")
    return meta if isinstance(meta, Mapping) else {}


def _with_meta(obj: Mapping[str, Any], **changes: Any) -> dict[str, Any]:
    """A copy of ``obj`` with a new metadata dict; the caller's dicts are never touched."""
    meta = dict(_meta(obj))
    meta.update(changes)
    copy = dict(obj)
    copy["metadata"] = meta
    return copy


def _comparison_lookup(comparison: Comparison | None) -> Callable[[ResourceKey], bool | None]:
    """``key -> modified?`` (``None``: no entry) over the supported comparison shapes."""
    if comparison is None:
        return lambda key: None
    if isinstance(comparison, Mapping):
        table: dict[ResourceKey, Any] = {}
        for raw_key, value in comparison.items():
            key = ResourceKey.parse(raw_key) if isinstance(raw_key, str) else raw_key
            table[key] = value

        def from_table(key: ResourceKey) -> bool | None:
            value = table.get(key)
            if value is None:
                return None
            if isinstance(value, bool):
                return value
            return bool(value != "Synced")

        return from_table
    if isinstance(comparison, SupportsSyncStatus):
        status_of = comparison.sync_status

        def from_object(key: ResourceKey) -> bool | None:
            status = status_of(key)
            return None if status is None else status != "Synced"

        return from_object
    raise UsageError(
        "comparison must map keys to sync statuses or have a sync_status(key) method, "
        f"not {type(comparison).__name__}"
    )


def _filter_predicate(
    resources_filter: ResourceFilter | None,
) -> Callable[[ResourceKey, Mapping[str, Any] | None, Mapping[str, Any] | None], bool] | None:
    if resources_filter is None:
        return None
    if callable(resources_filter):
        return resources_filter
    wanted: dict[tuple[str, str, str], list[str]] = {}
    for entry in resources_filter:
        key = ResourceKey.parse(entry) if isinstance(entry, str) else entry
        if not isinstance(key, ResourceKey):
            raise UsageError(f"resources_filter entries must be keys, not {entry!r}")
        wanted.setdefault((key.group, key.kind, key.name), []).append(key.namespace)

    def contains(
        key: ResourceKey, target: Mapping[str, Any] | None, live: Mapping[str, Any] | None
    ) -> bool:
        # Argo CD always lets PreDelete/PostDelete hooks through the filter (spec §9.2)
        if target is not None and classify(target).delete_hook_types:
            return True
        namespaces = wanted.get((key.group, key.kind, key.name))
        if namespaces is None:
            return False
        return any(ns == "" or ns == key.namespace for ns in namespaces)

    return contains


def _known_kinds(
    options: SyncOptions, desired: ManifestSet, live: ManifestSet
) -> Mapping[tuple[str, str], bool]:
    if options.api_resources is not None:
        return options.api_resources
    known = dict(BUILTIN_API_RESOURCES)
    for resource in live:
        group_kind = (resource.key.group, resource.key.kind)
        if group_kind not in known:
            known[group_kind] = resource.key.namespace != ""
    for resource in live.by_group_kind("apiextensions.k8s.io", "CustomResourceDefinition"):
        crd = _crd_group_kind(resource.object)
        if crd is not None:
            spec = resource.object.get("spec")
            scope = spec.get("scope") if isinstance(spec, Mapping) else None
            known[crd] = scope != "Cluster"
    return known


def _crd_group_kind(obj: Mapping[str, Any]) -> tuple[str, str] | None:
    """``(spec.group, spec.names.kind)`` of a CRD object whose both fields are present."""
    api_version = obj.get("apiVersion")
    if obj.get("kind") != "CustomResourceDefinition" or not isinstance(api_version, str):
        return None
    if split_api_version(api_version)[0] != "apiextensions.k8s.io":
        return None
    spec = obj.get("spec")
    if not isinstance(spec, Mapping):
        return None
    group = spec.get("group")
    names = spec.get("names")
    kind = names.get("kind") if isinstance(names, Mapping) else None
    if not isinstance(group, str) or not isinstance(kind, str):
        return None
    return group, kind


def _not_found_message(group: str, kind: str, known: Mapping[tuple[str, str], bool]) -> str:
    """What discovery answers for a kind the server does not serve (a NotFound error)."""
    if group and not any(g == group for g, _ in known):
        return "the server could not find the requested resource"
    resource = f"{kind}.{group}" if group else kind
    return f'{resource} "" not found'


def plan_sync(
    desired: ManifestSet, live: ManifestSet, options: SyncOptions | None = None
) -> SyncPlan:
    """Plan the sync of ``desired`` against ``live`` (spec §2): the ordered task list.

    ``desired`` holds the manifests (hooks included); ``live`` the objects the app manages in
    the cluster. Invalid plans (kinds the cluster does not serve, denied permissions) are
    returned with ``valid=False`` and the operation message, not raised. Raises
    :class:`~gitops_core.errors.UsageError` on unusable options.
    """
    if options is None:
        options = SyncOptions()
    if not isinstance(desired, ManifestSet) or not isinstance(live, ManifestSet):
        raise UsageError("plan_sync takes two ManifestSet values (desired, live)")
    dest = options.namespace
    known = _known_kinds(options, desired, live)
    contains = _filter_predicate(options.resources_filter)
    skipped: list[SkippedObject] = []
    warnings: list[str] = []

    # -- reconcile (§2.1): split desired into ignored / hooks / plain targets ------------------
    hooks: list[tuple[Any, Classification]] = []
    targets: list[tuple[Any, Classification]] = []
    desired_crds: set[tuple[str, str]] = set()
    for resource in desired.resources:
        obj = resource.object
        cls = classify(obj)
        if resource.key.kind == "CustomResourceDefinition":
            crd = _crd_group_kind(obj)
            if crd is not None:
                desired_crds.add(crd)
        if cls is not _PLAIN_CLS:
            if cls.is_delete_hook_only:
                skipped.append(
                    SkippedObject(resource.key, "PreDelete/PostDelete hook: runs on app deletion")
                )
                continue
            if cls.ignored:
                skipped.append(SkippedObject(resource.key, f"ignored: {cls.why}"))
                continue
            if cls.is_hook:
                hooks.append((resource, cls))
                continue
        targets.append((resource, cls))

    live_by_key: dict[tuple[str, str, str, str], Any] = {}
    for resource in live.resources:
        key = resource.key
        live_by_key.setdefault((key.group, key.kind, key.namespace, key.name), resource)
    unclaimed = dict(live_by_key)

    # pairs: (key, target resource or None, target classification, live resource or None)
    rows: list[list[Any]] = []
    append = rows.append
    order = 0
    live_get = live_by_key.get
    for resource, cls in targets:
        key = resource.key
        group, kind, name = key.group, key.kind, key.name
        obj = resource.object
        meta = obj["metadata"]
        own_ns = meta.get("namespace") or ""
        target_ns = own_ns or dest
        namespaced = known.get((group, kind))
        paired = None
        if namespaced is not False:
            paired = unclaimed.pop((group, kind, target_ns, name), None)
        if paired is None and namespaced is not True:
            paired = unclaimed.pop((group, kind, "", name), None)
        live_obj = paired.object if paired is not None else None
        if contains is not None:
            filter_key = (
                paired.key
                if paired is not None
                else ResourceKey(group, kind, target_ns if namespaced is not False else "", name)
            )
            if not contains(filter_key, obj, live_obj):
                skipped.append(SkippedObject(filter_key, "not selected (selective sync)"))
                continue
        if cls.skip:
            skipped.append(SkippedObject(key, "hook: Skip: never applied or pruned"))
            continue
        if not name:
            warnings.append(
                f"{key.group}/{key.kind} with generateName {meta.get('generateName')!r} is not a "
                "hook: Argo CD does not name it and its apply will fail"
            )
        live_ns = paired.key.namespace if paired is not None else ""
        append(
            [
                "Sync", None, obj, live_obj, cls, order, group, kind, name,
                target_ns, None, None, False, None, False, live_ns, cls.wave,
            ]
        )  # fmt: skip
        order += 1

    for live_key, resource in unclaimed.items():
        obj = resource.object
        cls = classify(obj)
        rkey = resource.key
        if contains is not None and not contains(rkey, None, obj):
            skipped.append(SkippedObject(rkey, "not selected (selective sync)", live=True))
            continue
        if cls is not _PLAIN_CLS:
            if cls.is_hook:
                what = "ignored hook" if cls.ignored else "hook"
                skipped.append(
                    SkippedObject(rkey, f"live copy of a {what}: never pruned", live=True)
                )
                continue
            if cls.skip:
                skipped.append(SkippedObject(rkey, "hook: Skip: never pruned", live=True))
                continue
        append(
            [
                "Sync", None, None, obj, cls, order, live_key[0], live_key[1], live_key[3],
                live_key[2], None, None, False, None, False, live_key[2], cls.wave,
            ]
        )  # fmt: skip
        order += 1

    # -- hook tasks (§2.2 step 2) ---------------------------------------------------------------
    if options.hooks_skipped:
        why = "hook not run: hooks skipped" + ("" if options.skip_hooks else " by a selective sync")
        for resource, _cls in hooks:
            skipped.append(SkippedObject(resource.key, why))
    else:
        for resource, cls in hooks:
            obj = resource.object
            meta = obj["metadata"]
            for phase in cls.phases:
                name = meta.get("name") or ""
                changes: dict[str, Any] = {}
                if not meta.get("namespace") and dest:
                    changes["namespace"] = dest  # §2.2 step 3, done on the hook's copy
                if not name:
                    name = generate_hook_name(
                        meta.get("generateName") or "",
                        options.revision,
                        phase,
                        options.started_at,
                    )
                    changes["name"] = name
                finalizers = meta.get("finalizers")
                if not isinstance(finalizers, list) or HOOK_FINALIZER not in finalizers:
                    changes["finalizers"] = [
                        *(finalizers if isinstance(finalizers, list) else ()),
                        HOOK_FINALIZER,
                    ]
                target = _with_meta(obj, **changes) if changes else obj
                key = resource.key
                append(
                    [
                        phase, None, target, None, cls, order, key.group, key.kind, name,
                        meta.get("namespace") or dest, None, None, False, None, False, "",
                        cls.wave,
                    ]
                )  # fmt: skip
                order += 1

    # -- namespace fill (step 3) happens when the SyncTask is built: row[_NS] already holds it.
    # -- auto namespace (step 4) ---------------------------------------------------------------
    if options.create_namespace and dest:
        declared = any(
            r.key.kind == "Namespace" and r.api_version == "v1" and r.key.name == dest
            for r, _ in targets
        )
        if not declared:
            live_ns_obj = live_get(("", "Namespace", "", dest))
            exists = options.namespace_exists
            if exists is None:
                exists = live_ns_obj is not None
            metadata = options.managed_namespace_metadata
            if not exists or metadata is not None:
                ns_meta: dict[str, Any] = {"name": dest}
                if metadata is not None:
                    if metadata.labels:
                        ns_meta["labels"] = dict(metadata.labels)
                    ns_annotations = dict(metadata.annotations or {})
                    ns_annotations[ann.ANNOTATION_SYNC_OPTIONS] = "ServerSideApply=true"
                    ns_meta["annotations"] = ns_annotations
                ns_obj = {"apiVersion": "v1", "kind": "Namespace", "metadata": ns_meta}
                ns_cls = classify(ns_obj)
                append(
                    [
                        "PreSync", None, ns_obj,
                        live_ns_obj.object if (exists and live_ns_obj is not None) else None,
                        ns_cls, order, "", "Namespace", dest, "", None, None, False, None,
                        True, "", ns_cls.wave,
                    ]
                )  # fmt: skip
                order += 1

    # -- live lookup (step 5): same group/kind/name, namespace equal or empty ------------------
    for row in rows:
        if row[_TARGET] is not None and row[_LIVE] is None:
            found = live_get((row[_GROUP], row[_KIND], row[_NS], row[_NAME]))
            if found is None:
                found = live_get((row[_GROUP], row[_KIND], "", row[_NAME]))
            if found is not None:
                row[_LIVE] = found.object
                row[_LIVE_NS] = found.key.namespace

    # -- discovery and permissions (step 6), cached per group/kind -----------------------------
    failures: list[str] = []
    checked: dict[tuple[str, str], str | None] = {}
    permission_check = options.permission_check
    for row in rows:
        group_kind = (row[_GROUP], row[_KIND])
        if group_kind in known:
            if permission_check is not None:
                obj = row[_TARGET] if row[_TARGET] is not None else row[_LIVE]
                denied = permission_check(obj)
                if denied:
                    row[_RESULT] = denied
                    failures.append(denied)
            continue
        if group_kind not in checked:
            checked[group_kind] = _not_found_message(row[_GROUP], row[_KIND], known)
        target = row[_TARGET]
        if (
            options.skip_dry_run_on_missing_resource
            or (
                target is not None
                and "SkipDryRunOnMissingResource=true" in classify(target).sync_options
            )
            or group_kind in desired_crds
        ):
            row[_SKIP_DRY] = True
        else:
            message = checked[group_kind]
            assert message is not None
            row[_RESULT] = message
            failures.append(message)

    # -- prune-wave mirroring (step 7) ---------------------------------------------------------
    prune_rows = [row for row in rows if row[_TARGET] is None]
    if prune_rows:
        prune_waves = sorted({row[_OWN] for row in prune_rows})
        if len(prune_waves) > 1:
            mirror = dict(zip(prune_waves, reversed(prune_waves), strict=True))
            for row in prune_rows:
                mirrored = mirror[row[_OWN]]
                if mirrored != row[_OWN]:
                    row[_WAVE] = mirrored
                    row[_ORIGIN] = "mirrored"

    # -- PruneLast (step 8) ------------------------------------------------------------------
    if prune_rows:
        last_wave = 0
        for row in rows:
            if row[_PHASE] == "Sync":
                wave = row[_OWN] if row[_WAVE] is None else row[_WAVE]
                if wave > last_wave:
                    last_wave = wave
        last_wave += 1
        for row in prune_rows:
            if options.prune_last or "PruneLast=true" in row[_CLS].sync_options:
                row[_WAVE] = last_wave
                row[_ORIGIN] = "prune-last"

    # -- sort (step 9): phase, wave, kind rank, name; then namespace, group, input order -------
    rank_of = KIND_RANK.get
    phase_rank = PHASE_RANK.get
    # One tuple per task, built once; the input order (last) is unique, so the sort never
    # compares further and needs no key function.
    keyed = [
        (
            phase_rank(row[_PHASE], 0),
            row[_OWN] if row[_WAVE] is None else row[_WAVE],
            rank_of(row[_KIND], 0),
            row[_NAME],
            row[_NS],
            row[_GROUP],
            row[_ORDER],
        )
        for row in rows
    ]
    keyed.sort()
    ordered = [rows[item[6]] for item in keyed]

    # -- dependency pull-ups (§5.3) ------------------------------------------------------------
    _pull_up(ordered, _namespace_dep, _namespace_ref, "lives in it")
    _pull_up(ordered, _crd_dep, _crd_ref, "uses it")

    # -- build the records ---------------------------------------------------------------------
    tasks = _build_tasks(ordered, options, known)
    message = ""
    if failures:
        message = NOT_VALID_MESSAGE + ": " + "; ".join(sorted(set(failures)))
    return SyncPlan(
        tasks=tasks,
        valid=not failures,
        message=message,
        options=options,
        skipped=tuple(skipped),
        warnings=tuple(warnings),
    )


_PLAIN_CLS = classify(None)


def _namespace_dep(row: list[Any]) -> str | None:
    if row[_KIND] == "Namespace" and row[_GROUP] == "":
        return str(row[_NAME])
    return None


def _namespace_ref(row: list[Any]) -> str | None:
    return str(row[_NS]) if row[_NS] else None


def _crd_dep(row: list[Any]) -> str | None:
    if row[_KIND] != "CustomResourceDefinition" or row[_GROUP] != "apiextensions.k8s.io":
        return None
    crd = _crd_group_kind(row[_TARGET])
    return None if crd is None else f"{crd[0]}/{crd[1]}"


def _crd_ref(row: list[Any]) -> str | None:
    return f"{row[_GROUP]}/{row[_KIND]}"


def _pull_up(
    ordered: list[list[Any]],
    is_dep: Callable[[list[Any]], str | None],
    refers: Callable[[list[Any]], str | None],
    relation: str,
) -> None:
    """One pass of ``adjustDeps``: move each dependency before its first earlier referrer."""
    first_index: dict[str, int] = {}
    for i in range(len(ordered)):
        row = ordered[i]
        if row[_TARGET] is None:
            continue
        dep_key = is_dep(row)
        if dep_key is not None:
            index = first_index.get(dep_key)
            if index is not None:
                referrer = ordered[index]
                wave = referrer[_OWN] if referrer[_WAVE] is None else referrer[_WAVE]
                row[_WAVE] = wave
                row[_PHASE] = referrer[_PHASE]
                row[_ORIGIN] = "pulled-up"
                row[_MOVED] = (f"{referrer[_GROUP]}/{referrer[_KIND]}/{referrer[_NAME]}", relation)
                del ordered[i]
                ordered.insert(index, row)
                for other, position in first_index.items():
                    if position >= index:
                        first_index[other] = position + 1
            continue
        ref_key = refers(row)
        if ref_key is not None and ref_key not in first_index:
            first_index[ref_key] = i


def _build_tasks(
    ordered: list[list[Any]], options: SyncOptions, known: Mapping[tuple[str, str], bool]
) -> tuple[SyncTask, ...]:
    modified_of = _comparison_lookup(options.comparison) if options.apply_out_of_sync_only else None
    prune_flag = options.prune
    default_prune = options.default_prune_option
    app_replace = options.replace
    app_ssa = options.server_side_apply
    app_force = options.force
    app_validate = options.validate
    rank_of = KIND_RANK.get
    tasks: list[SyncTask] = []
    task_append = tasks.append
    for row in ordered:
        target = row[_TARGET]
        live = row[_LIVE]
        cls: Classification = row[_CLS]
        group, kind, name, ns = row[_GROUP], row[_KIND], row[_NAME], row[_NS]
        wave = row[_OWN] if row[_WAVE] is None else row[_WAVE]
        hook = cls.is_hook and target is not None
        prune_option = None
        requires_confirmation = False
        skip_reason = None
        ssa = False
        force = app_force
        validate = app_validate
        skip_unmodified = False
        if target is None:
            key = ResourceKey(group, kind, row[_LIVE_NS], name)
            prune_option = ann.option_value(cls.sync_options, "Prune") or default_prune
            force = False
            if not prune_flag:
                action, method, skip_reason = "prune-skipped", "none", REQUIRES_PRUNING
            elif prune_option == "false":
                action, method, skip_reason = "prune-skipped", "none", NO_PRUNE
            else:
                action, method = "prune", "delete"
                requires_confirmation = prune_option == "confirm" and not options.prune_confirmed
        else:
            target_options = cls.sync_options
            live_options = ann.sync_options(ann.annotations_of(live)) if live is not None else ()
            if not target_options and not live_options:
                replace = app_replace
                ssa = app_ssa
            else:
                replace = (
                    app_replace
                    or "Replace=true" in target_options
                    or "Replace=true" in live_options
                )
                ssa = app_ssa or "ServerSideApply=true" in target_options
                if ssa and "ServerSideApply=false" in target_options:
                    ssa = False
                force = app_force or "Force=true" in target_options or "Force=true" in live_options
                if "Validate=false" in target_options:
                    validate = False
            if replace:
                ssa = False
                if live is None:
                    method = "create"
                elif kind == "Namespace" or (
                    kind == "CustomResourceDefinition" and group == "apiextensions.k8s.io"
                ):
                    method = "update"
                else:
                    method = "replace"
            else:
                method = "apply"
            if hook:
                action = "hook"
            elif live is None:
                action = "create"
            else:
                action = method
            if ns and not row[_AUTO] and not target["metadata"].get("namespace"):
                target = _with_meta(target, namespace=ns)  # §2.2 step 3, on a copy
            scope = known.get((group, kind))
            if scope is False:
                key = ResourceKey(group, kind, "", name)
            elif scope is None and live is not None:
                key = ResourceKey(group, kind, row[_LIVE_NS], name)
            else:
                key = ResourceKey(group, kind, "" if row[_AUTO] else ns, name)
            if modified_of is not None and not hook and live is not None:
                modified = modified_of(key)
                if modified is None and key.namespace == "" and ns:
                    modified = modified_of(ResourceKey(group, kind, ns, name))
                skip_unmodified = modified is False
        message = row[_RESULT]
        task_append(
            SyncTask(
                row[_PHASE],
                wave,
                rank_of(kind, 0),
                key,
                ns if target is not None else row[_LIVE_NS],
                target,
                live,
                action,
                method,
                hook,
                cls,
                row[_SKIP_DRY],
                ssa,
                force,
                validate,
                prune_option,
                requires_confirmation,
                skip_reason,
                skip_unmodified,
                None if message is None else "SyncFailed",
                None if message is None else "Failed",
                "" if message is None else message,
                row[_ORIGIN] or "own",
                row[_OWN],
                None if row[_MOVED] is None else row[_MOVED][0],
                row[_AUTO],
                row[_ORDER],
            )
        )
    return tuple(tasks)


def _reason(task: SyncTask) -> str:
    """Compose the human explanation of a task's position."""
    where = f"{task.phase}/{task.wave}"
    if task.wave_origin == "pulled-up" and task.pulled_before is not None:
        relation = "lives in it" if task.kind == "Namespace" else "uses it"
        text = f"pulled into {where} before {task.pulled_before} that {relation}"
        if task.own_wave != task.wave:
            text += f" (own wave {task.own_wave})"
        return text
    if task.auto_namespace:
        return f"destination namespace created by CreateNamespace=true: {where}"
    cls = task.classification
    if task.target is None:
        if task.wave_origin == "prune-last":
            why = f"prune last: wave {task.wave}, after the last Sync wave"
        elif task.wave_origin == "mirrored":
            why = (
                f"prune: wave {task.own_wave} mirrored to {task.wave} "
                "(prunes run in reverse wave order)"
            )
        else:
            why = f"prune: {where}"
        if task.skip_reason is not None:
            why += f"; {task.skip_reason}"
        elif task.requires_confirmation:
            why += "; waits for pruning confirmation (Prune=confirm)"
        return why
    if task.hook:
        text = f"{task.phase} hook ({_wave_text(cls)})"
    else:
        text = f"Sync phase ({_wave_text(cls)})"
    if task.kind_rank:
        text += f", kind rank {task.kind_rank} ({task.kind})"
    else:
        text += ", unknown kind: ordered by name"
    if task.skip_dry_run:
        text += "; kind not served yet: dry run skipped"
    if task.result_code is not None:
        text += f"; invalid: {task.message}"
    if task.skip_unmodified:
        text += "; unmodified: skipped by ApplyOutOfSyncOnly"
    return text


def _wave_text(cls: Classification) -> str:
    if cls.wave_source == "sync-wave":
        return f"wave {cls.wave} from sync-wave"
    if cls.wave_source == "hook-weight":
        return f"wave {cls.wave} from helm.sh/hook-weight"
    return "wave 0"
