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
import gc
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Literal, Protocol, Union, runtime_checkable

import attrs

import gitops_core.manifests.annotations as ann
from gitops_core._gc import pauses_gc
from gitops_core.errors import UsageError
from gitops_core.manifests import ManifestSet
from gitops_core.resource import Resource, ResourceKey, split_api_version
from gitops_core.sync.classify import Classification, classify
from gitops_core.sync.classify import classify_annotations as _classify_annotations
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
    "TaskDetails",
    "TaskResult",
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
        extra_api_resources: more served kinds, added to ``api_resources`` or the defaults
            (for example CRDs installed by another app).
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
    extra_api_resources: Mapping[tuple[str, str], bool] | None = None
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


@attrs.frozen
class TaskResult:
    """A task's result: ``code`` (Synced, SyncFailed, Pruned, PruneSkipped), operation phase
    (Running, Terminating, Failed, Error, Succeeded) and message (§1)."""

    code: str
    phase: str | None = None
    message: str = ""


@attrs.frozen
class TaskDetails:
    """How a task is carried out and where its wave came from.

    Tasks share one instance per distinct value (a plan has a handful), so a plan of 100,000
    tasks stays cheap. Read the fields through :class:`SyncTask`'s properties.
    """

    method: str
    skip_dry_run: bool = False
    server_side_apply: bool = False
    force: bool = False
    validate: bool = True
    prune_option: str | None = None
    requires_confirmation: bool = False
    skip_reason: str | None = None
    skip_unmodified: bool = False
    wave_origin: str = "own"
    pulled_before: str | None = None
    auto_namespace: bool = False


_DETAILS: dict[tuple[Any, ...], TaskDetails] = {}


def _details(*values: Any) -> TaskDetails:
    found = _DETAILS.get(values)
    if found is None:
        if len(_DETAILS) > 4096:
            _DETAILS.clear()
        found = _DETAILS[values] = TaskDetails(*values)
    return found


@attrs.frozen(eq=False)
class SyncTask:
    """One task of the plan: what happens to one object in one phase, and why it is there.

    Attributes:
        phase: ``PreSync``, ``Sync``, ``PostSync`` or ``SyncFail`` (after pull-ups).
        wave: the effective wave (after mirroring, PruneLast and pull-ups).
        key: the object's identity (cluster-scoped kinds have namespace ``""``).
        namespace: the namespace the engine sees on the object (targets are filled with the
            destination namespace, cluster-scoped ones included; §2.2 step 3).
        target: the object as it will be sent (namespace filled; hooks named and finalized), or
            ``None`` for a prune. Treat as read-only.
        live: the live object, or ``None`` when it will be created.
        action: ``create``, ``apply``, ``replace``, ``update``, ``prune``, ``prune-skipped`` or
            ``hook``.
        hook: the task runs a hook.
        classification: the annotations of the task's object (target, else live).
        details: how the task is carried out (see the properties below).
        result: a result known before execution (invalid kind, denied permission, or restored
            from earlier steps by :meth:`SyncPlan.with_results`), else ``None``.
        order: position in generation order (the last tie-break of the sort).

    Properties read from ``details``: ``method`` (the engine call: ``apply``, ``create``,
    ``replace``, ``update`` for Replace on a Namespace or CRD, ``delete`` for a prune, ``none``
    for a skipped prune), ``skip_dry_run``, ``server_side_apply``, ``force``, ``validate``,
    ``prune_option``, ``requires_confirmation``, ``skip_reason``, ``skip_unmodified``,
    ``wave_origin`` (``own``, ``mirrored``, ``prune-last``, ``pulled-up``), ``pulled_before``
    and ``auto_namespace``.
    """

    phase: str
    wave: int
    key: ResourceKey
    namespace: str
    target: Mapping[str, Any] | None
    live: Mapping[str, Any] | None
    action: str
    hook: bool
    classification: Classification
    details: TaskDetails
    result: TaskResult | None = None
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
    def kind_rank(self) -> int:
        """Rank of the kind in the sort (§5.2)."""
        return KIND_RANK.get(self.key.kind, 0)

    @property
    def own_wave(self) -> int:
        """The wave the object's own annotations give (before mirroring and pull-ups)."""
        return self.classification.wave

    @property
    def is_prune(self) -> bool:
        """True for a task without target (prune or prune-skipped)."""
        return self.target is None

    @property
    def method(self) -> str:
        """The engine call (see the class docstring)."""
        return self.details.method

    @property
    def skip_dry_run(self) -> bool:
        """The kind is unknown to the cluster but will be created: no dry run (§2.2 step 6)."""
        return self.details.skip_dry_run

    @property
    def server_side_apply(self) -> bool:
        """The apply is server-side (§7.1)."""
        return self.details.server_side_apply

    @property
    def force(self) -> bool:
        """The apply or replace is forced."""
        return self.details.force

    @property
    def validate(self) -> bool:
        """The apply validates the schema (``Validate=false`` turns it off)."""
        return self.details.validate

    @property
    def prune_option(self) -> str | None:
        """The effective ``Prune=`` value of a prune (resource value, else app default)."""
        return self.details.prune_option

    @property
    def requires_confirmation(self) -> bool:
        """A prune waiting for ``Prune=confirm`` approval."""
        return self.details.requires_confirmation

    @property
    def skip_reason(self) -> str | None:
        """For ``prune-skipped``: ``ignored (requires pruning)`` or ``ignored (no prune)``."""
        return self.details.skip_reason

    @property
    def skip_unmodified(self) -> bool:
        """ApplyOutOfSyncOnly leaves this unmodified resource out of the dry run and the run."""
        return self.details.skip_unmodified

    @property
    def wave_origin(self) -> str:
        """Where the wave comes from: ``own``, ``mirrored``, ``prune-last`` or ``pulled-up``."""
        return self.details.wave_origin

    @property
    def pulled_before(self) -> str | None:
        """For a pulled-up task, the ``group/Kind/name`` it was moved in front of."""
        return self.details.pulled_before

    @property
    def auto_namespace(self) -> bool:
        """The task was added by ``CreateNamespace=true`` (§7.4)."""
        return self.details.auto_namespace

    @property
    def result_code(self) -> str | None:
        """The known result code, if any."""
        return None if self.result is None else self.result.code

    @property
    def operation_phase(self) -> str | None:
        """The known operation phase (``Failed`` for an invalid task), if any."""
        return None if self.result is None else self.result.phase

    @property
    def message(self) -> str:
        """The known result message (``""`` when none)."""
        return "" if self.result is None else self.result.message

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

    def __repr__(self) -> str:
        state = "valid" if self.valid else f"invalid: {self.message}"
        return f"SyncPlan({len(self.tasks)} tasks in {len(self.waves())} steps, {state})"

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

    def with_results(self, results: Mapping[str, TaskResult]) -> SyncPlan:
        """Step 10 of §2.2: the plan with stored results restored, keyed by result key.

        The simulator re-plans at every step from the current live state; this puts back
        what earlier steps of the same operation recorded (code, operation phase, message).
        """
        if not results:
            return self
        tasks = tuple(
            attrs.evolve(task, result=results[task.result_key])
            if task.result_key in results
            else task
            for task in self.tasks
        )
        return attrs.evolve(self, tasks=tasks)

    def task(self, result_key: str) -> SyncTask | None:
        """The task with this result key (``group/kind/namespace/name:phase``), or ``None``."""
        for task in self.tasks:
            if task.result_key == result_key:
                return task
        return None


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


class _KnownKinds:
    """Which ``(group, kind)`` the API server serves, and their scope (``True``: namespaced).

    Without ``api_resources``: the built-in kinds, then (looked at only when a kind is not
    built in) every CRD of the live set and every kind seen live.
    """

    def __init__(self, options: SyncOptions, live: ManifestSet) -> None:
        explicit = options.api_resources
        self.table: dict[tuple[str, str], bool] = dict(
            BUILTIN_API_RESOURCES if explicit is None else explicit
        )
        if options.extra_api_resources:
            self.table.update(options.extra_api_resources)
        self._live = live
        self._complete = explicit is not None

    def lookup(self, group_kind: tuple[str, str]) -> bool | None:
        """The scope of a served kind, ``None`` when the server does not serve it."""
        found = self.table.get(group_kind)
        if found is None and not self._complete:
            self._add_live()
            found = self.table.get(group_kind)
        return found

    def _add_live(self) -> None:
        self._complete = True
        table = self.table
        live = self._live
        for resource in live.by_group_kind("apiextensions.k8s.io", "CustomResourceDefinition"):
            crd = _crd_group_kind(resource.object)
            if crd is not None and crd not in table:
                spec = resource.object.get("spec")
                scope = spec.get("scope") if isinstance(spec, Mapping) else None
                table[crd] = scope != "Cluster"
        for resource in live.resources:
            group_kind = (resource.key.group, resource.key.kind)
            if group_kind not in table:
                table[group_kind] = resource.key.namespace != ""

    def not_found_message(self, group: str, kind: str) -> str:
        """What discovery answers for a kind the server does not serve (a NotFound error)."""
        if group and not any(g == group for g, _ in self.table):
            return "the server could not find the requested resource"
        resource = f"{kind}.{group}" if group else kind
        return f'{resource} "" not found'


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


@pauses_gc
def plan_sync(
    desired: ManifestSet, live: ManifestSet, options: SyncOptions | None = None
) -> SyncPlan:
    """Plan the sync of ``desired`` against ``live`` (spec §2): the ordered task list.

    ``desired`` holds the manifests (hooks included); ``live`` the objects the app manages in
    the cluster. Invalid plans (kinds the cluster does not serve, denied permissions) are
    returned with ``valid=False`` and the operation message, not raised. Raises
    :class:`~gitops_core.errors.UsageError` on unusable arguments.
    """
    if options is None:
        options = SyncOptions()
    if not isinstance(desired, ManifestSet) or not isinstance(live, ManifestSet):
        raise UsageError("plan_sync takes two ManifestSet values (desired, live)")
    if not isinstance(options, SyncOptions):
        raise UsageError(f"options must be SyncOptions, not {type(options).__name__}")
    # The planner allocates a few objects per resource and frees nothing until it returns:
    # the cyclic collector would only re-scan them (it doubles the time on 100,000 resources).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _plan(desired, live, options)
    finally:
        if gc_was_enabled:
            gc.enable()


def _plan(desired: ManifestSet, live: ManifestSet, options: SyncOptions) -> SyncPlan:
    dest = options.namespace
    known = _KnownKinds(options, live)
    known_get = known.table.get
    contains = _filter_predicate(options.resources_filter)
    modified_of = _comparison_lookup(options.comparison) if options.apply_out_of_sync_only else None
    permission_check = options.permission_check
    skipped: list[SkippedObject] = []
    warnings: list[str] = []
    failures: list[str] = []
    classify_annotations = _classify_annotations
    plain = _PLAIN_CLS
    live_index = live.index
    live_get = live_index.get
    desired_crds = _DesiredCrds(desired)
    rank_of = KIND_RANK.get
    sync_options_key = ann.ANNOTATION_SYNC_OPTIONS
    # Most tasks carry no option of their own: they share one details record.
    common = _details(
        "apply", False, options.server_side_apply, options.force, options.validate,
        None, False, None, False, "own", None, False,
    )  # fmt: skip
    fast = not options.replace and modified_of is None and permission_check is None
    order = 0  # tasks made so far: the input-order tie-break
    wide_waves = False
    # One sort key per task, built once: (phase, wave and kind rank packed into one small
    # integer with the same order), name, then the tie-break namespace, group, kind, input
    # order, and the task. The input order is unique, so the sort never compares the task and
    # needs no key function; a small first integer takes CPython's fast path for int keys.
    keys: list[tuple[int, str, str, str, str, int, SyncTask]] = []
    add_key = keys.append
    last_sync_wave = 0

    # -- reconcile (§2.1) and resource tasks (§2.2 step 1) -------------------------------------
    # Desired objects split into ignored (dropped), hooks, and plain targets; each plain target
    # is paired with its live object by key, trying the cluster-scoped key too when the scope
    # is unknown. The namespace fill (step 3), live lookup (step 5) and discovery check
    # (step 6) of each target are done here too: they depend on nothing else.
    hooks: list[tuple[Resource, Classification]] = []
    claimed: set[Resource] = set()
    has_namespace_target = False
    declares_destination = False
    saw_crd = False  # a desired CRD (target or hook): the CRD pull-up pass has work
    for resource in desired.resources:
        obj = resource.object
        meta = obj["metadata"]
        annotations = meta.get("annotations")
        cls = classify_annotations(annotations) if annotations else plain
        key = resource.key
        group, kind, name = key.group, key.kind, key.name
        if cls is not plain:
            if cls.delete_hook_only:
                skipped.append(
                    SkippedObject(key, "PreDelete/PostDelete hook: runs on app deletion")
                )
                continue
            if cls.ignored:
                skipped.append(SkippedObject(key, f"ignored: {cls.why}"))
                continue
            if cls.is_hook:
                hooks.append((resource, cls))
                if kind == "Namespace" and group == "":
                    has_namespace_target = True
                elif kind == "CustomResourceDefinition":
                    saw_crd = True
                continue
        if kind == "Namespace" and group == "":
            has_namespace_target = True
            if name == dest and resource.api_version == "v1":
                declares_destination = True
        elif kind == "CustomResourceDefinition":
            saw_crd = True
        own_ns = meta.get("namespace")
        target_ns = own_ns or dest
        group_kind = (group, kind)
        namespaced = known_get(group_kind)
        if namespaced is None:
            namespaced = known.lookup(group_kind)
        paired = None
        if namespaced is not False:
            ns_key = (
                key if key.namespace == target_ns else ResourceKey(group, kind, target_ns, name)
            )
            paired = live_get(ns_key)
            if paired is not None and paired in claimed:
                paired = None
        if paired is None and namespaced is not True:
            cluster_key = key if key.namespace == "" else ResourceKey(group, kind, "", name)
            paired = live_get(cluster_key)
            if paired is not None and paired in claimed:
                paired = None
        if paired is not None:
            claimed.add(paired)
        if namespaced is False:
            task_key = key if key.namespace == "" else ResourceKey(group, kind, "", name)
        elif namespaced is None and paired is not None:
            task_key = paired.key
        elif key.namespace == target_ns:
            task_key = key
        else:
            task_key = ResourceKey(group, kind, target_ns, name)
        if contains is not None and not contains(
            task_key, obj, None if paired is None else paired.object
        ):
            skipped.append(SkippedObject(task_key, "not selected (selective sync)"))
            continue
        if cls.skip:
            skipped.append(SkippedObject(task_key, "hook: Skip: never applied or pruned"))
            continue
        if not name:
            warnings.append(
                f"{group}/{kind} with generateName {meta.get('generateName')!r} is not a hook: "
                "Argo CD does not name it and its apply will fail"
            )
        elif paired is None:
            # step 5: a live object with the same group/kind/name, namespace equal or empty
            paired = _lookup_live(live_get, group, kind, target_ns, name)
        # step 3: the namespace fill, on a copy (cluster-scoped targets included)
        target = obj if own_ns or not dest else _with_meta(obj, namespace=dest)
        live_obj = None if paired is None else paired.object
        wave = cls.wave
        if wave > last_sync_wave:
            last_sync_wave = wave
        if (
            fast
            and namespaced is not None
            and not cls.sync_options
            and (
                live_obj is None
                or sync_options_key not in (live_obj["metadata"].get("annotations") or _NONE)
            )
        ):
            task = SyncTask(
                "Sync", wave, task_key, target_ns, target, live_obj,
                "create" if live_obj is None else "apply", False, cls, common, None, order,
            )  # fmt: skip
        else:
            task = _target_task(
                "Sync", wave, task_key, target_ns, target, live_obj, cls, order, options,
                _discover(group_kind, target, options, known, desired_crds, failures),
                modified_of,
            )  # fmt: skip
        if not _SMALL_WAVE_MIN <= wave < _SMALL_WAVE_MAX:
            wide_waves = True
        add_key(((2 << 27) + ((wave + _SMALL_WAVE_MAX) << 6) + rank_of(kind, 0) + 35, name, target_ns, group, kind, order, task))  # fmt: skip
        order += 1  # after the key: the key's input order must be the task's own (unique)

    # -- prune candidates: live objects nothing claimed (hooks and Skip are never pruned) ------
    prunes: list[tuple[Resource, Classification, int]] = []
    for resource in [r for r in live.resources if r not in claimed]:
        rkey = resource.key
        obj = resource.object
        annotations = obj["metadata"].get("annotations")
        cls = classify_annotations(annotations) if annotations else plain
        if contains is not None and not contains(rkey, None, obj):
            skipped.append(SkippedObject(rkey, "not selected (selective sync)", live=True))
            continue
        if cls is not plain:
            if cls.is_hook:
                what = "an ignored hook" if cls.ignored else "a hook"
                skipped.append(SkippedObject(rkey, f"live copy of {what}: never pruned", live=True))
                continue
            if cls.skip:
                skipped.append(SkippedObject(rkey, "hook: Skip: never pruned", live=True))
                continue
        prunes.append((resource, cls, order + len(prunes)))
    order_after_prunes = order + len(prunes)

    # -- hook tasks (step 2), named, finalized and namespace-filled on the hook's copy ---------
    hook_tasks: list[SyncTask] = []
    if options.hooks_skipped:
        why = "hook not run: hooks skipped" + ("" if options.skip_hooks else " by a selective sync")
        for resource, _cls in hooks:
            skipped.append(SkippedObject(resource.key, why))
    else:
        for resource, cls in hooks:
            for phase in cls.phases:
                task = _hook_task(
                    resource, cls, phase, order_after_prunes + len(hook_tasks), options, known,
                    desired_crds, failures, live_get, modified_of, common if fast else None,
                )  # fmt: skip
                hook_tasks.append(task)
                if phase == "Sync" and task.wave > last_sync_wave:
                    last_sync_wave = task.wave

    # -- auto namespace (step 4, after the fill: its target has no namespace) ------------------
    if options.create_namespace and dest and not declares_destination:
        ns_task = _auto_namespace_task(options, live_get, order_after_prunes + len(hook_tasks))
        if ns_task is not None:
            hook_tasks.append(ns_task)
            has_namespace_target = True
    for task in hook_tasks:
        wide_waves |= not _SMALL_WAVE_MIN <= task.wave < _SMALL_WAVE_MAX
        add_key(_sort_key(task))

    # -- prune-wave mirroring (step 7) and PruneLast (step 8) ----------------------------------
    if prunes:
        prune_waves = sorted({cls.wave for _, cls, _ in prunes})
        mirror = dict(zip(prune_waves, reversed(prune_waves), strict=True))
        for _, cls, _ in prunes:
            if mirror[cls.wave] > last_sync_wave:
                last_sync_wave = mirror[cls.wave]
        prune_last_wave = last_sync_wave + 1
        prune_details = _plain_prune_details(options) if fast else None
        prune_tasks = [
            _prune_task(
                resource,
                cls,
                order,
                mirror[cls.wave],
                prune_last_wave,
                options,
                known,
                desired_crds,
                failures,
                prune_details,
            )
            for resource, cls, order in prunes
        ]
        for task in prune_tasks:
            wide_waves |= not _SMALL_WAVE_MIN <= task.wave < _SMALL_WAVE_MAX
            add_key(_sort_key(task))

    # -- sort (step 9) -------------------------------------------------------------------------
    if wide_waves:
        keys = [_sort_key(key[6], wide=True) for key in keys]
    keys.sort()
    ordered = list(map(_TASK_OF_KEY, keys))

    # -- dependency pull-ups (§5.3): namespaces, then CRDs ------------------------------------
    if has_namespace_target:
        _pull_up_namespaces(ordered)
    if saw_crd:
        _pull_up_crds(ordered)

    message = ""
    if failures:
        message = NOT_VALID_MESSAGE + ": " + "; ".join(sorted(set(failures)))
    return SyncPlan(
        tasks=tuple(ordered),
        valid=not failures,
        message=message,
        options=options,
        skipped=tuple(skipped),
        warnings=tuple(warnings),
    )


# waves are int64: biased into 0..2**64-1 they pack between the phase and the kind rank
_WAVE_BIAS = 2**63
_SMALL_WAVE_MIN = -(2**20)
_SMALL_WAVE_MAX = 2**20
_TASK_OF_KEY = operator.itemgetter(6)
_PLAIN_CLS = classify(None)
_CLUSTER_UPDATE_KINDS = frozenset(
    {("", "Namespace"), ("apiextensions.k8s.io", "CustomResourceDefinition")}
)


def _sort_key(task: SyncTask, wide: bool = False) -> tuple[int, str, str, str, str, int, SyncTask]:
    """The sort key of §5.1 plus the tie-break (namespace, group, kind, input order), packed.

    Waves within ±2**20 pack into a small integer (CPython sorts those fastest); ``wide``
    packs any int64 wave, for plans that have such waves.
    """
    phase = PHASE_RANK.get(task.phase, 0) + 2
    rank = KIND_RANK.get(task.key.kind, 0) + 35
    if wide:
        packed = (phase << 72) + ((task.wave + _WAVE_BIAS) << 7) + rank
    else:
        packed = (phase << 27) + ((task.wave + _SMALL_WAVE_MAX) << 6) + rank
    return (
        packed,
        task.key.name,
        task.namespace,
        task.key.group,
        task.key.kind,
        task.order,
        task,
    )


_NONE: Mapping[str, str] = {}


def _lookup_live(
    live_get: Callable[[ResourceKey], Resource | None],
    group: str,
    kind: str,
    namespace: str,
    name: str,
) -> Resource | None:
    """Step 5: a live object with this group, kind and name, namespace equal or empty."""
    found = live_get(ResourceKey(group, kind, namespace, name))
    if found is None and namespace:
        found = live_get(ResourceKey(group, kind, "", name))
    return found


class _DesiredCrds:
    """``(group, kind)`` declared by the desired CRDs (targets and hooks, not ignored ones),
    computed on first use: only kinds the cluster does not serve ask."""

    def __init__(self, desired: ManifestSet) -> None:
        self._desired = desired
        self._crds: set[tuple[str, str]] | None = None

    def __contains__(self, group_kind: object) -> bool:
        if self._crds is None:
            crds: set[tuple[str, str]] = set()
            for resource in self._desired.by_group_kind(
                "apiextensions.k8s.io", "CustomResourceDefinition"
            ):
                cls = classify(resource.object)
                if cls.ignored or cls.delete_hook_only:
                    continue
                crd = _crd_group_kind(resource.object)
                if crd is not None:
                    crds.add(crd)
            self._crds = crds
        return group_kind in self._crds


def _discover(
    group_kind: tuple[str, str],
    target: Mapping[str, Any] | None,
    options: SyncOptions,
    known: _KnownKinds,
    desired_crds: _DesiredCrds,
    failures: list[str],
    live: Mapping[str, Any] | None = None,
) -> tuple[bool, TaskResult | None]:
    """Step 6 for one task: ``(skip_dry_run, known failure)``."""
    if known.lookup(group_kind) is not None:
        if options.permission_check is not None:
            obj = target if target is not None else live
            denied = options.permission_check(obj) if obj is not None else None
            if denied:
                failures.append(denied)
                return False, _failed(denied)
        return False, None
    if (
        options.skip_dry_run_on_missing_resource
        or (
            target is not None
            and "SkipDryRunOnMissingResource=true" in classify(target).sync_options
        )
        or group_kind in desired_crds
    ):
        return True, None
    message = known.not_found_message(group_kind[0], group_kind[1])
    failures.append(message)
    return False, _failed(message)


def _failed(message: str) -> TaskResult:
    return TaskResult("SyncFailed", "Failed", message)


def _target_task(
    phase: str,
    wave: int,
    key: ResourceKey,
    namespace: str,
    target: Mapping[str, Any],
    live: Mapping[str, Any] | None,
    cls: Classification,
    order: int,
    options: SyncOptions,
    discovered: tuple[bool, TaskResult | None],
    modified_of: Callable[[ResourceKey], bool | None] | None,
    auto_namespace: bool = False,
    exists: bool | None = None,
) -> SyncTask:
    """A task with a target: how the engine applies it (§7.1, §7.2).

    ``exists`` overrides "has a live object" when the caller knows better (the destination
    namespace that exists but is not among the managed live objects).
    """
    if exists is None:
        exists = live is not None
    skip_dry_run, result = discovered
    group, kind = key.group, key.kind
    hook = cls.is_hook
    target_options = cls.sync_options
    live_options = ann.sync_options(ann.annotations_of(live)) if live is not None else ()
    replace = options.replace or "Replace=true" in target_options or "Replace=true" in live_options
    ssa = options.server_side_apply or "ServerSideApply=true" in target_options
    if "ServerSideApply=false" in target_options or replace:
        ssa = False  # the resource's =false wins; Replace beats SSA
    force = options.force or "Force=true" in target_options or "Force=true" in live_options
    validate = options.validate and "Validate=false" not in target_options
    if not replace:
        method = "apply"
    elif not exists:
        method = "create"
    elif (group, kind) in _CLUSTER_UPDATE_KINDS:
        method = "update"  # never recreate a Namespace or a CRD
    else:
        method = "replace"
    if hook:
        action = "hook"
    elif not exists:
        action = "create"
    else:
        action = method
    skip_unmodified = False
    if modified_of is not None and not hook and live is not None:
        modified = modified_of(key)
        if modified is None and key.namespace == "" and namespace:
            modified = modified_of(ResourceKey(group, kind, namespace, key.name))
        skip_unmodified = modified is False
    details = _details(
        method, skip_dry_run, ssa, force, validate, None, False, None, skip_unmodified,
        "own", None, auto_namespace,
    )  # fmt: skip
    return SyncTask(
        phase, wave, key, namespace, target, live, action, hook, cls, details, result, order
    )


def _hook_task(
    resource: Resource,
    cls: Classification,
    phase: str,
    order: int,
    options: SyncOptions,
    known: _KnownKinds,
    desired_crds: _DesiredCrds,
    failures: list[str],
    live_get: Callable[[ResourceKey], Resource | None],
    modified_of: Callable[[ResourceKey], bool | None] | None,
    common: TaskDetails | None,
) -> SyncTask:
    """A hook in one phase: a copy, named from generateName if needed, with the finalizer.

    ``common`` is the shared details record when no app-level option can change them.
    """
    obj = resource.object
    meta = obj["metadata"]
    dest = options.namespace
    group, kind = resource.key.group, resource.key.kind
    name = meta.get("name") or ""
    changes: dict[str, Any] = {}
    if not meta.get("namespace") and dest:
        changes["namespace"] = dest
    if not name:
        name = generate_hook_name(
            meta.get("generateName") or "", options.revision, phase, options.started_at
        )
        changes["name"] = name
    finalizers = meta.get("finalizers")
    if not isinstance(finalizers, list) or HOOK_FINALIZER not in finalizers:
        changes["finalizers"] = [
            *(finalizers if isinstance(finalizers, list) else ()),
            HOOK_FINALIZER,
        ]
    target = _with_meta(obj, **changes) if changes else obj
    namespace = meta.get("namespace") or dest
    scope = known.lookup((group, kind))
    found = _lookup_live(live_get, group, kind, namespace, name)
    if scope is None and found is not None:
        key = found.key  # unknown scope: the live object tells
    else:
        key = ResourceKey(group, kind, "" if scope is False else namespace, name)
    if common is not None and scope is not None and found is None and not cls.sync_options:
        # the common case: a new hook of a served kind without options of its own
        return SyncTask(
            phase, cls.wave, key, namespace, target, None, "hook", True, cls, common, None, order
        )
    discovered = _discover((group, kind), target, options, known, desired_crds, failures)
    return _target_task(
        phase, cls.wave, key, namespace, target, None if found is None else found.object, cls,
        order, options, discovered, modified_of,
    )  # fmt: skip


def _auto_namespace_task(
    options: SyncOptions,
    live_get: Callable[[ResourceKey], Resource | None],
    order: int,
) -> SyncTask | None:
    """The PreSync task of CreateNamespace=true, when it is needed (§7.4)."""
    dest = options.namespace
    key = ResourceKey("", "Namespace", "", dest)
    live_ns = live_get(key)
    exists = options.namespace_exists
    if exists is None:
        exists = live_ns is not None
    metadata = options.managed_namespace_metadata
    if exists and metadata is None:
        return None
    ns_meta: dict[str, Any] = {"name": dest}
    if metadata is not None:
        if metadata.labels:
            ns_meta["labels"] = dict(metadata.labels)
        ns_annotations = dict(metadata.annotations or {})
        # Argo CD relies on server-side apply to merge the managed metadata into the namespace
        ns_annotations[ann.ANNOTATION_SYNC_OPTIONS] = "ServerSideApply=true"
        ns_meta["annotations"] = ns_annotations
    ns_obj = {"apiVersion": "v1", "kind": "Namespace", "metadata": ns_meta}
    live_obj = live_ns.object if (exists and live_ns is not None) else None
    cls = classify(ns_obj)
    return _target_task(
        "PreSync", cls.wave, key, "", ns_obj, live_obj, cls, order, options, (False, None),
        None, auto_namespace=True, exists=exists,
    )  # fmt: skip


def _prune_task(
    resource: Resource,
    cls: Classification,
    order: int,
    mirrored_wave: int,
    prune_last_wave: int,
    options: SyncOptions,
    known: _KnownKinds,
    desired_crds: _DesiredCrds,
    failures: list[str],
    plain_details: Mapping[str, tuple[str, TaskDetails]] | None = None,
) -> SyncTask:
    """A task without target: prune or prune-skipped, with its mirrored or last wave.

    ``plain_details`` maps a wave origin to the shared (action, details) of a prune without
    options of its own, when no app-level option can change them.
    """
    key = resource.key
    if (
        plain_details is not None
        and not cls.sync_options
        and known.table.get((key.group, key.kind)) is not None
    ):
        if options.prune_last:
            wave, origin = prune_last_wave, "prune-last"
        else:
            wave = mirrored_wave
            origin = "own" if mirrored_wave == cls.wave else "mirrored"
        action, details = plain_details[origin]
        return SyncTask(
            "Sync", wave, key, key.namespace, None, resource.object, action, False, cls,
            details, None, order,
        )  # fmt: skip
    skip_dry_run, result = _discover(
        (key.group, key.kind), None, options, known, desired_crds, failures, resource.object
    )
    wave, origin = mirrored_wave, "own" if mirrored_wave == cls.wave else "mirrored"
    if options.prune_last or "PruneLast=true" in cls.sync_options:
        wave, origin = prune_last_wave, "prune-last"
    prune_option = ann.option_value(cls.sync_options, "Prune") or options.default_prune_option
    confirm = False
    if not options.prune:
        action, method, skip_reason = "prune-skipped", "none", REQUIRES_PRUNING
    elif prune_option == "false":
        action, method, skip_reason = "prune-skipped", "none", NO_PRUNE
    else:
        action, method, skip_reason = "prune", "delete", None
        confirm = prune_option == "confirm" and not options.prune_confirmed
    details = _details(
        method, skip_dry_run, False, False, options.validate, prune_option, confirm,
        skip_reason, False, origin, None, False,
    )  # fmt: skip
    return SyncTask(
        "Sync", wave, key, key.namespace, None, resource.object, action, False, cls, details,
        result, order,
    )  # fmt: skip


def _plain_prune_details(options: SyncOptions) -> dict[str, tuple[str, TaskDetails]] | None:
    """The shared (action, details) of prunes without options, by wave origin."""
    if options.default_prune_option is not None:
        return None
    if options.prune:
        action, method, skip_reason = "prune", "delete", None
    else:
        action, method, skip_reason = "prune-skipped", "none", REQUIRES_PRUNING
    return {
        origin: (
            action,
            _details(
                method,
                False,
                False,
                False,
                options.validate,
                None,
                False,
                skip_reason,
                False,
                origin,
                None,
                False,
            ),
        )
        for origin in ("own", "mirrored", "prune-last")
    }


def _pull_up_namespaces(ordered: list[SyncTask]) -> None:
    """The namespace pass of ``adjustDeps``: a core Namespace moves before the first earlier
    task with a target in it (its key is its name; a referrer's key is its namespace)."""
    first_index: dict[str, int] = {}
    moves: dict[int, list[int]] = {}
    for i, task in enumerate(ordered):
        if task.target is None:
            continue
        if task.key.kind == "Namespace" and task.key.group == "":
            index = first_index.get(task.key.name)
            if index is not None:
                moves.setdefault(index, []).append(i)
        else:
            namespace = task.namespace
            if namespace and namespace not in first_index:
                first_index[namespace] = i
    if moves:
        ordered[:] = _apply_moves(ordered, moves)


def _pull_up_crds(ordered: list[SyncTask]) -> None:
    """The CRD pass: a CRD with ``spec.group`` and ``spec.names.kind`` moves before the first
    earlier task of that group/kind."""
    first_index: dict[str, int] = {}
    moves: dict[int, list[int]] = {}
    for i, task in enumerate(ordered):
        if task.target is None:
            continue
        key = task.key
        crd = None
        if key.kind == "CustomResourceDefinition" and key.group == "apiextensions.k8s.io":
            crd = _crd_group_kind(task.target)
        if crd is not None:
            index = first_index.get(f"{crd[0]}/{crd[1]}")
            if index is not None:
                moves.setdefault(index, []).append(i)
        else:
            ref_key = f"{key.group}/{key.kind}"
            if ref_key not in first_index:
                first_index[ref_key] = i
    if moves:
        ordered[:] = _apply_moves(ordered, moves)


def _apply_moves(ordered: list[SyncTask], moves: dict[int, list[int]]) -> list[SyncTask]:
    """``ordered`` with each task of ``moves[j]`` moved just before the referrer at ``j``.

    Argo CD moves one task at a time (remove, insert, shift the remembered positions); a
    moved task is never a referrer, so doing every move in one pass gives the same order in
    linear time instead of time proportional to tasks times moves.
    """
    moved_out = {i for targets in moves.values() for i in targets}
    result: list[SyncTask] = []
    for position, task in enumerate(ordered):
        for i in moves.get(position, ()):
            result.append(_pulled_up(ordered[i], task))
        if position not in moved_out:
            result.append(task)
    return result


def _pulled_up(task: SyncTask, referrer: SyncTask) -> SyncTask:
    """``task`` moved before ``referrer``, taking that referrer's phase and wave."""
    details = attrs.evolve(task.details, wave_origin="pulled-up", pulled_before=referrer.label)
    return attrs.evolve(task, phase=referrer.phase, wave=referrer.wave, details=details)


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
            why = f"prune: live object nothing desired claims, {where}"
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
