"""Simulate a sync step by step: Argo CD's state machine (spec ``sync.md`` §8) on an in-memory cluster.

Each step is one call of the engine's ``Sync``: the plan is rebuilt from the cluster's current
objects and the results stored by earlier steps, then at most one unit of progress is made
(dry run, a wave's applies and prunes, a hook deletion, or waiting). The cluster's health
answers are scripted by the caller; apply, dry-run and delete failures can be injected.

>>> from gitops_core.manifests import ManifestSet
>>> desired = ManifestSet.from_objects([
...     {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg", "namespace": "a"}},
... ])
>>> result = simulate_sync(desired, SimCluster(), SyncOptions(namespace="a"))
>>> [(s.phase, s.message) for s in result.steps]
[('Succeeded', 'successfully synced (all tasks run)')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Union

import attrs

from gitops_core._gc import pauses_gc
from gitops_core.errors import UsageError
from gitops_core.health import HealthResult, HealthStatus
from gitops_core.manifests import ManifestSet
from gitops_core.resource import Resource, ResourceKey
from gitops_core.sync.plan import (
    HOOK_FINALIZER,
    SyncOptions,
    SyncPlan,
    SyncTask,
    TaskResult,
    plan_sync,
)

__all__ = [
    "HealthScript",
    "SimCluster",
    "SimulationResult",
    "StepRecord",
    "TaskOutcome",
    "simulate_sync",
    "waiting_message",
]

RUNNING = "Running"
SUCCEEDED = "Succeeded"
FAILED = "Failed"
ERROR = "Error"
TERMINATING = "Terminating"
COMPLETED = (FAILED, ERROR, SUCCEEDED)

HealthAnswer = Union[  # noqa: UP007  (runtime alias, py3.10)
    HealthResult, HealthStatus, Mapping[str, Any], str, None
]
HealthScript = Union[  # noqa: UP007
    Mapping[str, Iterable[HealthAnswer]],
    Callable[[ResourceKey, Mapping[str, Any], int], HealthAnswer],
]
"""Health answers: a mapping ``"group/Kind/namespace/name"`` → answers, one per health check of
that object (the last answer repeats), or a callback ``(key, object, step) -> answer``. An
answer is a status string (``"Healthy"``, ...), ``"none"`` for "no health check", ``"error"``
for a failed health read, a :class:`HealthResult` or a mapping ``{"status": ..., "message": ...}``,
or ``None`` to use the default."""

_NO_HEALTH = "none"
_HEALTH_ERROR = "error"


def _norm_key(key: str | ResourceKey) -> str:
    return str(key) if isinstance(key, ResourceKey) else key


def _key_map(values: Mapping[Any, Any] | None) -> dict[str, Any]:
    return {_norm_key(k): v for k, v in (values or {}).items()}


@attrs.define
class SimCluster:
    """An in-memory cluster: live objects, scripted health and injected failures.

    Args:
        objects: the live objects at the start (dicts or a :class:`ManifestSet`).
        health: a :data:`HealthScript`. Without an answer, an object the simulator applied is
            Healthy when its kind has a health check and has none otherwise; objects that were
            live from the start are assessed with :func:`gitops_core.health.assess_health`.
        apply_errors / dry_run_errors / delete_errors: ``key -> message``; the call fails with
            that message (the message may be a list: one entry per attempt, ``None`` = succeed).
        deletion_steps: how many later steps a deleted object lingers with a
            ``deletionTimestamp`` before it is gone (0: gone at once).
        disappear: ``key -> step``: the object vanishes (deleted by someone else) at that step.
        wave_hook_errors: ``(phase, wave) -> message``: the wave callback fails after that wave.
    """

    objects: Any = attrs.field(factory=list)
    health: HealthScript | None = None
    apply_errors: Mapping[Any, Any] = attrs.field(factory=dict, converter=_key_map)
    dry_run_errors: Mapping[Any, Any] = attrs.field(factory=dict, converter=_key_map)
    delete_errors: Mapping[Any, Any] = attrs.field(factory=dict, converter=_key_map)
    deletion_steps: int = 0
    disappear: Mapping[Any, int] = attrs.field(factory=dict, converter=_key_map)
    wave_hook_errors: Mapping[tuple[str, int], str] = attrs.field(factory=dict)


@attrs.frozen
class TaskOutcome:
    """A stored task result, as the operation state lists it."""

    key: str
    phase: str
    code: str
    operation_phase: str | None
    message: str
    order: int
    hook: bool

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready record."""
        return {
            "key": self.key,
            "syncPhase": self.phase,
            "resultCode": self.code,
            "operationPhase": self.operation_phase,
            "message": self.message,
            "order": self.order,
            "hook": self.hook,
        }


@attrs.frozen
class StepRecord:
    """What one step did and how it ended."""

    step: int
    phase: str
    message: str
    events: tuple[str, ...]

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready record."""
        return {
            "step": self.step,
            "phase": self.phase,
            "message": self.message,
            "events": list(self.events),
        }


@attrs.frozen
class SimulationResult:
    """The whole run: every step, the final task results and what happened to the cluster."""

    steps: tuple[StepRecord, ...]
    results: tuple[TaskOutcome, ...]
    applied: tuple[str, ...]
    pruned: tuple[str, ...]
    deleted: tuple[str, ...]
    wave_callbacks: tuple[tuple[str, int, bool], ...]
    live: tuple[dict[str, Any], ...] = attrs.field(repr=False)

    @property
    def phase(self) -> str:
        """The operation phase after the last step."""
        return self.steps[-1].phase if self.steps else RUNNING

    @property
    def message(self) -> str:
        """The operation message after the last step."""
        return self.steps[-1].message if self.steps else ""

    @property
    def completed(self) -> bool:
        """True when the operation reached Succeeded, Failed or Error."""
        return self.phase in COMPLETED

    def event_log(self) -> list[str]:
        """Every event of every step, prefixed with the step number (deterministic)."""
        return [f"{step.step}: {event}" for step in self.steps for event in step.events]

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready record of the run (no object contents: they may be Secrets)."""
        return {
            "phase": self.phase,
            "message": self.message,
            "steps": [step.to_record() for step in self.steps],
            "results": [result.to_record() for result in self.results],
            "applied": list(self.applied),
            "pruned": list(self.pruned),
            "deleted": list(self.deleted),
            "waveCallbacks": [list(call) for call in self.wave_callbacks],
        }


def waiting_message(
    tasks: list[SyncTask], *, deletion: bool = False, confirmation: bool = False
) -> str:
    """Argo CD's ``setRunningPhase`` text for ``tasks`` (§8.8).

    >>> waiting_message([])
    ''
    """
    if not tasks:
        return ""
    hooks = [task for task in tasks if task.hook]
    first = hooks[0] if hooks else tasks[0]
    if confirmation:
        reason = "pruning confirmation of"
    elif deletion:
        reason = "deletion of hook" if hooks else "deletion of"
    else:
        reason = "completion of hook" if hooks else "healthy state of"
    word = "hooks" if len(hooks) == len(tasks) else "resources"
    message = f"waiting for {reason} {first.label}"
    if len(tasks) > 1:
        message += f" and {len(tasks) - 1} more {word}"
    return message


class _Phase(Exception):
    """Ends a step with an operation phase and message."""

    def __init__(self, phase: str, message: str) -> None:
        super().__init__(message)
        self.phase = phase
        self.message = message


class _Simulator:
    def __init__(
        self,
        desired: ManifestSet,
        cluster: SimCluster,
        options: SyncOptions,
        terminate_at: int | None,
    ) -> None:
        self.desired = desired
        self.cluster = cluster
        self.options = options
        self.terminate_at = terminate_at
        initial = cluster.objects
        objects = initial.objects() if isinstance(initial, ManifestSet) else list(initial)
        self.live: dict[str, dict[str, Any]] = {}
        self.scopes = desired.scopes
        for obj in objects:
            resource = Resource.from_object(obj, scopes=self.scopes)
            self.live[str(resource.key)] = _plain(obj)
        self.created_by_sim: set[str] = set()
        self.unmanaged: set[str] = set()
        self.results: dict[str, TaskOutcome] = {}
        self.step = 0
        self.events: list[str] = []
        self.applied: list[str] = []
        self.pruned: list[str] = []
        self.deleted: list[str] = []
        self.callbacks: list[tuple[str, int, bool]] = []
        self.health_checks: dict[str, int] = {}
        self.attempts: dict[tuple[str, str], int] = {}
        self.deleting: dict[str, int] = {}  # key -> step at which it is gone

    # ----------------------------------------------------------------- cluster helpers

    def _advance_cluster(self) -> None:
        for key, gone_at in list(self.deleting.items()):
            if self.step >= gone_at:
                self.live.pop(key, None)
                del self.deleting[key]
                self.events.append(f"gone {key}")
        for key, at in self.cluster.disappear.items():
            if at == self.step and key in self.live:
                del self.live[key]
                self.events.append(f"vanished {key}")

    def _failure(self, table: Mapping[str, Any], key: str, what: str) -> str | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            return value
        attempts = list(value)
        count = self.attempts.get((what, key), 0)
        self.attempts[(what, key)] = count + 1
        if not attempts:
            return None
        entry = attempts[min(count, len(attempts) - 1)]
        return None if entry is None else str(entry)

    def _delete(self, key: str) -> str | None:
        error = self._failure(self.cluster.delete_errors, key, "delete")
        if error is not None:
            self.events.append(f"delete failed {key}: {error}")
            return error
        obj = self.live.get(key)
        if obj is None:
            return None
        self.deleted.append(key)
        self.events.append(f"delete {key}")
        if self.cluster.deletion_steps > 0:
            obj["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z"
            self.deleting[key] = self.step + self.cluster.deletion_steps
        else:
            del self.live[key]
        return None

    def _remove_finalizer(self, key: str) -> None:
        obj = self.live.get(key)
        if obj is None:
            return
        finalizers = obj["metadata"].get("finalizers") or []
        if HOOK_FINALIZER in finalizers:
            obj["metadata"]["finalizers"] = [f for f in finalizers if f != HOOK_FINALIZER]
            if not obj["metadata"]["finalizers"]:
                del obj["metadata"]["finalizers"]
            self.events.append(f"remove finalizer {key}")

    def _health(self, task: SyncTask) -> HealthResult | str | None:
        key = str(task.key)
        obj = self.live.get(key)
        if obj is None:
            return None
        count = self.health_checks.get(key, 0)
        self.health_checks[key] = count + 1
        script = self.cluster.health
        answer: HealthAnswer = None
        if callable(script):
            answer = script(task.key, obj, self.step)
        elif script is not None:
            answers = list(script.get(key, script.get(f"{task.kind}/{task.name}", ())))
            if answers:
                answer = answers[min(count, len(answers) - 1)]
        if answer is None:
            from gitops_core.health import assess_health

            assessed = assess_health(obj)
            if key in self.created_by_sim and assessed is not None:
                return HealthResult(HealthStatus.HEALTHY)
            return assessed
        if isinstance(answer, HealthResult):
            return answer
        if isinstance(answer, Mapping):
            status = str(answer.get("status", ""))
            try:
                return HealthResult(HealthStatus(status), str(answer.get("message") or ""))
            except ValueError:
                raise UsageError(
                    f"health answer {status!r} for {key} is not a health status"
                ) from None
        text = str(answer.value if isinstance(answer, HealthStatus) else answer)
        if text == _NO_HEALTH:
            return None
        if text == _HEALTH_ERROR:
            return _HEALTH_ERROR
        try:
            return HealthResult(HealthStatus(text))
        except ValueError:
            raise UsageError(f"health answer {text!r} for {key} is not a health status") from None

    # ----------------------------------------------------------------- results

    def _record(self, task: SyncTask, code: str, phase: str | None, message: str) -> None:
        key = task.result_key
        previous = self.results.get(key)
        order = previous.order if previous is not None else len(self.results) + 1
        self.results[key] = TaskOutcome(
            str(task.key), task.phase, code, phase, message, order, task.hook
        )

    def _set_phase(self, task: SyncTask, phase: str, message: str | None = None) -> None:
        previous = self.results[task.result_key]
        self._record(task, previous.code, phase, previous.message if message is None else message)

    def _plan(self) -> SyncPlan:
        # Argo CD plans against the objects the application manages: a namespace created by
        # CreateNamespace=true is not one of them (it is neither desired nor tracked).
        live = ManifestSet.from_objects(
            [_plain(obj) for key, obj in self.live.items() if key not in self.unmanaged],
            scopes=self.scopes,
            path="<cluster>",
        )
        options = self.options
        dest = options.namespace
        if dest and options.namespace_exists is None:
            options = attrs.evolve(options, namespace_exists=f"/Namespace//{dest}" in self.live)
        plan = plan_sync(self.desired, live, options)
        stored = {
            key: TaskResult(outcome.code, outcome.operation_phase, outcome.message)
            for key, outcome in self.results.items()
        }
        return plan.with_results(stored)

    # ----------------------------------------------------------------- the step

    def run_step(self) -> tuple[str, str]:
        try:
            if self.terminate_at is not None and self.step >= self.terminate_at:
                self._terminate(self._plan())
            self._sync(self._plan())
        except _Phase as ended:
            return ended.phase, ended.message
        raise AssertionError("a step always ends with a phase")  # pragma: no cover

    def _sync(self, plan: SyncPlan) -> None:
        options = self.options
        if not plan.valid:
            for task in plan.tasks:
                if task.result is not None and task.result.code == "SyncFailed":
                    self._record(task, "SyncFailed", FAILED, task.result.message)
            raise _Phase(FAILED, plan.message)
        tasks = list(plan.tasks)
        for task in tasks:
            # results the plan knows before execution (e.g. a namespaceModifier error, §7.4)
            if task.result is not None and task.result_key not in self.results:
                self._record(task, task.result.code, task.result.phase, task.result.message)
        if not self.results:
            tasks = self._first_step(tasks)
        # 8.3.1 refresh running tasks that have a live object
        tasks = self._refresh(tasks)
        multi_step = plan.multi_step
        running = [t for t in tasks if self._op_phase(t) == RUNNING and (t.hook or multi_step)]
        if running:
            for task in running:
                if task.live is None and str(task.key) not in self.live:
                    message = (
                        f"Resource {task.group}/{task.kind}/{task.name} is missing,"
                        " it might have been deleted"
                    )
                    self._record(task, "SyncFailed", ERROR, message)
                    self.events.append(f"missing {task.key}")
            raise _Phase(RUNNING, waiting_message(running))
        # 8.3.3 pending deletions of pruned objects
        deleting = [
            t
            for t in tasks
            if self._code(t) == "Pruned"
            and str(t.key) in self.live
            and "deletionTimestamp" in self.live[str(t.key)]["metadata"]
        ]
        if deleting:
            raise _Phase(RUNNING, waiting_message(deleting, deletion=True))
        # 8.3.4 clean up completed hooks
        for task in tasks:
            if task.hook and self._op_phase(task) in COMPLETED:
                self._remove_finalizer(str(task.key))
        # HookSucceeded never fires on a SyncFail hook: the operation is failing (§8.6)
        delete_on_success = [
            t
            for t in tasks
            if self._is_done_hook(t)
            and t.phase != "SyncFail"
            and "HookSucceeded" in t.delete_policies
        ]
        delete_on_failure = self._failed_policy_hooks(tasks)
        # 8.3.5 / 8.3.6
        sync_fail = [t for t in tasks if t.phase == "SyncFail"]
        others = [t for t in tasks if t.phase != "SyncFail"]
        if any(self._op_phase(t) in (FAILED, ERROR) for t in others):
            self._delete_hooks(delete_on_failure)
            self._sync_fail(
                "one or more synchronization tasks completed unsuccessfully", tasks, sync_fail
            )
        # 8.4 choose the next wave
        pending = [t for t in others if self._op_phase(t) is None and self._code(t) is None]
        if options.apply_out_of_sync_only:
            pending = [t for t in pending if not t.skip_unmodified]
        if not pending:
            self._delete_hooks(delete_on_success)
            raise _Phase(SUCCEEDED, "successfully synced (no more tasks)")
        phase, wave = pending[0].phase, pending[0].wave
        final = (phase, wave) == (pending[-1].phase, pending[-1].wave)
        wave_tasks = [t for t in pending if (t.phase, t.wave) == (phase, wave)]
        self.events.append(f"run wave {phase}/{wave}")
        outcome = self._run_tasks(wave_tasks, dry_run=options.dry_run)
        if outcome != "failed":
            self.callbacks.append((phase, wave, final))
            self.events.append(f"wave callback {phase}/{wave} final={str(final).lower()}")
            error = self.cluster.wave_hook_errors.get((phase, wave))
            if error is not None:
                for task in wave_tasks:
                    if task.hook and self._op_phase(task) == RUNNING:
                        self._terminate_hook(task)
                raise _Phase(ERROR, f"SyncWaveHook failed: {error}")
        # 8.5 outcome of the executed wave
        if outcome == "failed":
            still_running = [t for t in wave_tasks if self._op_phase(t) == RUNNING]
            if still_running:
                started = self._start_sync_fail_hooks(sync_fail)
                raise _Phase(RUNNING, waiting_message(still_running + started))
            self._sync_fail("one or more objects failed to apply", tasks, sync_fail, True)
        if outcome == "confirm":
            needing = [t for t in wave_tasks if t.requires_confirmation]
            raise _Phase(RUNNING, waiting_message(needing, confirmation=True))
        if outcome == "deleting":
            hooks = [t for t in wave_tasks if self._before_hook_deleted(t)]
            raise _Phase(RUNNING, waiting_message(hooks, deletion=True))
        # Argo CD's remainingTasks: the pending tasks of later waves plus this wave's hooks. With
        # none, the sync succeeds at once, even if resources later degrade; otherwise the running
        # message names them (the next wave's tasks, not the ones just applied).
        remaining = [t for t in pending if (t.phase, t.wave) != (phase, wave) or t.hook]
        if not remaining:
            self._delete_hooks(delete_on_success)
            raise _Phase(SUCCEEDED, "successfully synced (all tasks run)")
        raise _Phase(RUNNING, waiting_message(remaining))

    # ----------------------------------------------------------------- pieces

    def _op_phase(self, task: SyncTask) -> str | None:
        outcome = self.results.get(task.result_key)
        return None if outcome is None else outcome.operation_phase

    def _code(self, task: SyncTask) -> str | None:
        outcome = self.results.get(task.result_key)
        return None if outcome is None else outcome.code

    def _is_done_hook(self, task: SyncTask) -> bool:
        return task.hook and str(task.key) in self.live and self._op_phase(task) != RUNNING

    def _before_hook_deleted(self, task: SyncTask) -> bool:
        return (
            task.hook
            and self.results.get(task.result_key) is None
            and task.live is not None
            and "BeforeHookCreation" in task.delete_policies
        )

    def _first_step(self, tasks: list[SyncTask]) -> list[SyncTask]:
        dest = self.options.namespace
        for task in tasks:
            if (
                task.key.group == ""
                and task.kind == "Namespace"
                and task.name == dest
                and dest
                and task.live is None
                and task.target is not None
            ):
                error = self._apply(task, dry_run=False)
                if task.auto_namespace:
                    self.unmanaged.add(str(task.key))
                if error is not None:
                    raise _Phase(FAILED, f"the namespace failed to apply, reason: {error}")
        if self.options.apply_out_of_sync_only:
            tasks = [t for t in tasks if not t.skip_unmodified]
        failed = False
        for task in tasks:
            if task.result is not None or task.result_key in self.results or task.skip_dry_run:
                continue
            if task.target is None:
                continue  # prunes are only simulated in the dry run
            key = str(task.key)
            error = self._failure(self.cluster.dry_run_errors, key, "dry-run")
            self.events.append(f"dry-run {key}" + (f" failed: {error}" if error else ""))
            if error is not None:
                failed = True
                self._record(task, "SyncFailed", FAILED, error)
        if failed:
            raise _Phase(FAILED, "one or more objects failed to apply (dry run)")
        if self.options.dry_run:
            # A whole-operation dry run records every dry-run result, with Running turned into
            # Succeeded (§1, §8.2); nothing is pending afterwards, so the step ends through the
            # "no more tasks" branch of §8.4.
            for task in tasks:
                if task.result_key in self.results:
                    continue
                if task.target is None:
                    if task.action == "prune-skipped":
                        self._record(task, "PruneSkipped", SUCCEEDED, task.skip_reason or "")
                    else:
                        self._record(task, "Pruned", SUCCEEDED, "pruned (dry run)")
                else:
                    verb = "configured" if str(task.key) in self.live else "created"
                    self._record(task, "Synced", SUCCEEDED, f"{_kubectl_name(task)} {verb} (dry run)")
            raise _Phase(SUCCEEDED, "successfully synced (no more tasks)")
        return tasks

    def _refresh(self, tasks: list[SyncTask]) -> list[SyncTask]:
        for task in tasks:
            # only tasks that had a live object when this step's plan was built (§8.3.1)
            if self._op_phase(task) != RUNNING or task.live is None or task.target is None:
                continue
            if str(task.key) not in self.live:
                continue
            health = self._health(task)
            if task.hook:
                if health == _HEALTH_ERROR:
                    self._set_phase(task, ERROR, "failed to get health")
                elif health is None:
                    self._set_phase(task, SUCCEEDED, f"{task.name} created")
                elif isinstance(health, HealthResult):
                    status = health.status
                    if status == HealthStatus.HEALTHY:
                        self._set_phase(task, SUCCEEDED, health.message or None)
                    elif status in (HealthStatus.DEGRADED, HealthStatus.UNKNOWN):
                        self._set_phase(task, FAILED, health.message or None)
                    elif status in (HealthStatus.PROGRESSING, HealthStatus.SUSPENDED):
                        # Argo CD keeps the latest non-empty message of a running hook
                        self._set_phase(task, RUNNING, health.message or None)
            else:
                if health is None or health == _HEALTH_ERROR:
                    if health is None:
                        self._set_phase(task, SUCCEEDED)
                elif isinstance(health, HealthResult):
                    if health.status == HealthStatus.HEALTHY:
                        self._set_phase(task, SUCCEEDED, health.message or None)
                    elif health.status == HealthStatus.DEGRADED:
                        self._set_phase(task, FAILED, health.message or None)
        return tasks

    def _apply(self, task: SyncTask, *, dry_run: bool) -> str | None:
        key = str(task.key)
        error = self._failure(self.cluster.apply_errors, key, "apply")
        if error is not None:
            self._record(task, "SyncFailed", FAILED, error)
            self.events.append(f"{task.method} {key} failed: {error}")
            return error
        assert task.target is not None
        existed = key in self.live
        obj = _plain(task.target)
        if task.hook:
            meta = obj["metadata"]
            finalizers = list(meta.get("finalizers") or [])
            if HOOK_FINALIZER not in finalizers:
                finalizers.append(HOOK_FINALIZER)
            meta["finalizers"] = finalizers
        if not dry_run:
            self.live[key] = obj
            self.created_by_sim.add(key)
            self.health_checks.pop(key, None)
        mode = task.method
        if task.server_side_apply and mode == "apply":
            mode = "server-side apply"
        self.applied.append(key)
        self.events.append(f"{mode} {key}")
        verb = "configured" if existed else "created"
        if mode == "replace":
            verb = "replaced"
        self._record(task, "Synced", RUNNING, f"{_kubectl_name(task)} {verb}")
        return None

    def _run_tasks(self, wave_tasks: list[SyncTask], *, dry_run: bool) -> str:
        # 8.10.1 existing pending hooks lose their finalizer before the wave runs
        if not dry_run:
            for task in wave_tasks:
                if task.hook and task.live is not None:
                    self._remove_finalizer(str(task.key))
        # 8.10.2 prunes first, after the confirmation gate
        prunes = [t for t in wave_tasks if t.target is None]
        if any(t.requires_confirmation for t in prunes) and not self.options.prune_confirmed:
            return "confirm"
        failed = False
        for task in prunes:
            key = str(task.key)
            if task.action == "prune-skipped":
                self._record(task, "PruneSkipped", SUCCEEDED, task.skip_reason or "")
                self.events.append(f"prune skipped {key}: {task.skip_reason}")
                continue
            obj = self.live.get(key)
            if obj is not None and "deletionTimestamp" in obj["metadata"]:
                self._record(task, "Pruned", SUCCEEDED, "pruned")
                continue
            error = self._delete(key)
            if error is not None:
                failed = True
                self._record(task, "SyncFailed", FAILED, error)
            else:
                self.pruned.append(key)
                self._record(task, "Pruned", SUCCEEDED, "pruned")
        # 8.10.3 BeforeHookCreation deletions
        issued = False
        for task in wave_tasks:
            if task.hook and task.live is not None and "BeforeHookCreation" in task.delete_policies:
                error = self._delete(str(task.key))
                if error is not None:
                    failed = True
                    self._record(task, "SyncFailed", FAILED, error)
                else:
                    issued = True
        if issued and not failed:
            return "deleting"
        # 8.10.4 applies in order, batches of consecutive tasks of the same kind
        for task in wave_tasks:
            if task.target is None or task.result_key in self.results:
                continue
            if self._apply(task, dry_run=dry_run) is not None:
                failed = True
        return "failed" if failed else "ok"

    def _start_sync_fail_hooks(self, sync_fail: list[SyncTask]) -> list[SyncTask]:
        started = []
        for task in sync_fail:
            if self.results.get(task.result_key) is None:
                self._apply(task, dry_run=False)
                started.append(task)
        return started

    def _sync_fail(
        self,
        base: str,
        tasks: list[SyncTask],
        sync_fail: list[SyncTask],
        delete_failed_hooks: bool = False,
    ) -> None:
        # Argo CD collects the reasons in a Go map (random order); we sort them (spec §10.17).
        reasons = sorted(
            {
                outcome.message
                for outcome in self.results.values()
                if outcome.code == "SyncFailed" and outcome.message and outcome.phase != "SyncFail"
            }
        )
        message = base + (", reason: " + ",".join(reasons) if reasons else "")
        if not sync_fail:
            if delete_failed_hooks:
                self._delete_hooks(self._failed_policy_hooks(tasks))
            raise _Phase(FAILED, message)
        if all(self._op_phase(t) in COMPLETED for t in sync_fail):
            failed_hooks = sorted(
                {
                    self.results[t.result_key].message
                    for t in sync_fail
                    if self._code(t) == "SyncFailed"
                }
            )
            if failed_hooks:
                message += "\none or more SyncFail hooks failed, reason: " + ",".join(failed_hooks)
            if delete_failed_hooks:
                self._delete_hooks(self._failed_policy_hooks(tasks))
            raise _Phase(FAILED, message)
        started = self._start_sync_fail_hooks(sync_fail)
        running = [t for t in sync_fail if self._op_phase(t) == RUNNING] or started
        raise _Phase(RUNNING, waiting_message(running))

    def _failed_policy_hooks(self, tasks: list[SyncTask]) -> list[SyncTask]:
        return [t for t in tasks if self._is_done_hook(t) and "HookFailed" in t.delete_policies]

    def _delete_hooks(self, hooks: list[SyncTask]) -> None:
        for task in hooks:
            key = str(task.key)
            if key in self.live and "deletionTimestamp" not in self.live[key]["metadata"]:
                self._remove_finalizer(key)
                self._delete(key)

    def _terminate_hook(self, task: SyncTask) -> bool:
        key = str(task.key)
        if key not in self.live:
            self._set_phase(task, SUCCEEDED, "Terminated")
            return True
        health = self._health(task)
        self._remove_finalizer(key)
        still_running = not (
            isinstance(health, HealthResult)
            and health.status in (HealthStatus.HEALTHY, HealthStatus.DEGRADED, HealthStatus.UNKNOWN)
        )
        if health is None:
            still_running = False
        ok = True
        if still_running or health == _HEALTH_ERROR or "HookFailed" in task.delete_policies:
            ok = self._delete(key) is None
        if still_running or health == _HEALTH_ERROR:
            self._set_phase(task, FAILED, "Terminated")
        elif isinstance(health, HealthResult) and health.status == HealthStatus.HEALTHY:
            self._set_phase(task, SUCCEEDED, health.message or None)
        elif health is None:
            self._set_phase(task, SUCCEEDED, f"{task.name} created")
        else:
            self._set_phase(
                task, FAILED, health.message if isinstance(health, HealthResult) else None
            )
        return ok

    def _terminate(self, plan: SyncPlan) -> None:
        self.events.append("terminate")
        ok = True
        for task in plan.tasks:
            if task.hook and self._op_phase(task) in COMPLETED:
                self._remove_finalizer(str(task.key))
        for task in plan.tasks:
            if task.hook and self._op_phase(task) == RUNNING:
                ok = self._terminate_hook(task) and ok
        if not ok:
            raise _Phase(ERROR, "Operation termination had errors")
        raise _Phase(FAILED, "Operation terminated")


def _kubectl_name(task: SyncTask) -> str:
    """``kind.group/name`` as kubectl prints it (``configmap/cfg``, ``deployment.apps/web``)."""
    kind = task.kind.lower() + (f".{task.group}" if task.group else "")
    return f"{kind}/{task.name}"


def _plain(obj: Mapping[str, Any]) -> dict[str, Any]:
    """A private copy of a JSON-like object (the simulator mutates its cluster objects)."""
    copied: dict[str, Any] = {}
    for key, value in obj.items():
        if isinstance(value, Mapping):
            copied[key] = _plain(value)
        elif isinstance(value, list):
            copied[key] = [_plain(v) if isinstance(v, Mapping) else v for v in value]
        else:
            copied[key] = value
    return copied


@pauses_gc
def simulate_sync(
    desired: ManifestSet,
    cluster: SimCluster | None = None,
    options: SyncOptions | None = None,
    *,
    max_steps: int = 50,
    terminate_at_step: int | None = None,
) -> SimulationResult:
    """Run the sync of ``desired`` against ``cluster`` step by step until it completes.

    Each step re-plans from the cluster's objects and the stored results (as Argo CD does on
    every reconcile) and makes at most one unit of progress. Stops when the operation is
    Succeeded, Failed or Error, or after ``max_steps``. ``terminate_at_step`` terminates the
    operation at that step (spec §8.9). Deterministic: the same inputs give the same log.
    Raises :class:`~gitops_core.errors.UsageError` on unusable arguments.
    """
    if not isinstance(desired, ManifestSet):
        raise UsageError("simulate_sync takes the desired manifests as a ManifestSet")
    if max_steps < 1:
        raise UsageError("max_steps must be at least 1")
    simulator = _Simulator(
        desired, cluster or SimCluster(), options or SyncOptions(), terminate_at_step
    )
    steps: list[StepRecord] = []
    while simulator.step < max_steps:
        simulator.step += 1
        simulator.events = []
        simulator._advance_cluster()
        phase, message = simulator.run_step()
        steps.append(StepRecord(simulator.step, phase, message, tuple(simulator.events)))
        if phase in COMPLETED:
            break
    results = tuple(sorted(simulator.results.values(), key=lambda outcome: outcome.order))
    return SimulationResult(
        tuple(steps),
        results,
        tuple(simulator.applied),
        tuple(simulator.pruned),
        tuple(simulator.deleted),
        tuple(simulator.callbacks),
        tuple(simulator.live.values()),
    )
