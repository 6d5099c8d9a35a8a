"""Batch runs over many applications on any :class:`concurrent.futures.Executor`.

:func:`compare_many`, :func:`plan_many` and :func:`assess_many` run :func:`~gitops_core.compare`,
:func:`~gitops_core.plan_sync` and :func:`~gitops_core.aggregate_health` for each application of
a batch. They take any executor: ``None`` runs in the calling process; a
:class:`~concurrent.futures.ProcessPoolExecutor` uses the cores of one machine; the executor of
a distributed engine (``dask.distributed.Client(...).get_executor()``, the ``dask`` extra)
spreads the batch over a cluster. There is no scheduler of our own: applications are cut into
chunks (a few per worker, so that pickling stays a small share of the work) and each chunk is
one ``submit`` call.

Results come back in input order, one :class:`BatchResult` per application. An application
that fails (bad manifests, a usage error, a bug) gets its error on its own result; the rest of
the batch goes on. If a whole chunk is lost (a worker died), each of its applications carries
that error.

>>> from gitops_core.batch import BatchApp, plan_many
>>> cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "a"}}
>>> [r.value.tasks[0].action for r in plan_many([BatchApp("a", [cm], [])])]
['create']
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future
from typing import Any, Generic, TypeVar

import attrs

from gitops_core.diff.compare import CompareOptions, Comparison, compare
from gitops_core.errors import UsageError
from gitops_core.health import AppHealth, HealthRegistry, aggregate_health
from gitops_core.manifests import ManifestSet, load_manifests
from gitops_core.sync import SyncOptions, SyncPlan, plan_sync

__all__ = [
    "BatchApp",
    "BatchResult",
    "assess_many",
    "compare_many",
    "plan_many",
    "run_many",
]

T = TypeVar("T")

Objects = ManifestSet | Sequence[dict[str, Any]] | str | os.PathLike[str]


@attrs.frozen
class BatchApp:
    """One application of a batch: a name, its desired manifests and its live objects.

    ``desired`` and ``live`` are :class:`~gitops_core.manifests.ManifestSet` values, plain
    lists of objects (validated in the worker), or a path (``str`` or ``os.PathLike``: a file
    or directory loaded with :func:`~gitops_core.load_manifests` in the worker — the cheapest
    to send, and the parsing runs in parallel too). A
    :class:`~gitops_core.errors.ManifestError` becomes the application's error.
    """

    name: str
    desired: Objects
    live: Objects = ()


@attrs.frozen
class BatchResult(Generic[T]):
    """The outcome of one application: its value, or the error that stopped it.

    ``error`` is ``"<ErrorType>: <message>"``; ``value`` is ``None`` exactly when ``error`` is
    set (or when ``transform`` returned ``None``).
    """

    name: str
    value: T | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the application ran without error."""
        return self.error is None


def _as_set(objects: Objects) -> ManifestSet:
    if isinstance(objects, ManifestSet):
        return objects
    if isinstance(objects, (str, os.PathLike)):
        return load_manifests(objects)
    return ManifestSet.from_objects(list(objects))


def _run_app(app: BatchApp, func: Callable[[str, ManifestSet, ManifestSet], Any]) -> Any:
    return func(app.name, _as_set(app.desired), _as_set(app.live))


def _compare_app(app: BatchApp, options: Any) -> Comparison:
    return compare(_as_set(app.desired), _as_set(app.live), options)


def _plan_app(app: BatchApp, options: Any) -> SyncPlan:
    return plan_sync(_as_set(app.desired), _as_set(app.live), options)


def _assess_app(app: BatchApp, options: Any) -> AppHealth:
    return aggregate_health(_as_set(app.live), _as_set(app.desired), registry=options)


def _error_text(exc: BaseException) -> str:
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _run_chunk(
    work: Callable[[BatchApp, Any], Any],
    chunk: Sequence[BatchApp],
    options: Any,
    transform: Callable[[Any], Any] | None,
) -> list[BatchResult[Any]]:
    """Run ``work`` on each application of ``chunk`` (in a worker); errors stay per app."""
    results: list[BatchResult[Any]] = []
    for app in chunk:
        try:
            value = work(app, options)
            if transform is not None:
                value = transform(value)
        except Exception as exc:  # reported on this app's result; the batch goes on
            results.append(BatchResult(app.name, None, _error_text(exc)))
        else:
            results.append(BatchResult(app.name, value))
    return results


def _workers(executor: Executor | None) -> int:
    count = getattr(executor, "_max_workers", None)
    if isinstance(count, int) and count > 0:
        return count
    return os.cpu_count() or 1


def _chunks(apps: list[BatchApp], size: int) -> list[list[BatchApp]]:
    return [apps[i : i + size] for i in range(0, len(apps), size)]


def _check_apps(apps: Iterable[BatchApp | tuple[str, Objects, Objects]]) -> list[BatchApp]:
    checked: list[BatchApp] = []
    for index, app in enumerate(apps):
        if isinstance(app, BatchApp):
            checked.append(app)
        elif isinstance(app, tuple) and len(app) == 3 and isinstance(app[0], str):
            checked.append(BatchApp(app[0], app[1], app[2]))
        else:
            raise UsageError(
                f"batch item {index} must be a BatchApp or a (name, desired, live) tuple, "
                f"not {type(app).__name__}"
            )
    return checked


def _run_batch(
    work: Callable[[BatchApp, Any], Any],
    apps: Iterable[BatchApp | tuple[str, Objects, Objects]],
    executor: Executor | None,
    options: Any,
    chunk_size: int | None,
    transform: Callable[[Any], Any] | None,
) -> list[BatchResult[Any]]:
    items = _check_apps(apps)
    if not items:
        return []
    if chunk_size is None:
        # four chunks per worker: enough to balance uneven apps, few enough to keep the
        # per-submit overhead (pickling, scheduling) small
        chunk_size = max(1, math.ceil(len(items) / (_workers(executor) * 4)))
    elif not isinstance(chunk_size, int) or chunk_size < 1:
        raise UsageError(f"chunk_size must be a positive integer, not {chunk_size!r}")
    chunks = _chunks(items, chunk_size)
    if executor is None:
        return [r for chunk in chunks for r in _run_chunk(work, chunk, options, transform)]
    futures: list[Future[list[BatchResult[Any]]]] = [
        executor.submit(_run_chunk, work, chunk, options, transform) for chunk in chunks
    ]
    results: list[BatchResult[Any]] = []
    for chunk, future in zip(chunks, futures, strict=True):
        try:
            results.extend(future.result())
        except Exception as exc:  # the chunk was lost (worker died, not picklable): per app
            text = _error_text(exc)
            results.extend(BatchResult(app.name, None, text) for app in chunk)
    return results


def run_many(
    func: Callable[[str, ManifestSet, ManifestSet], Any],
    apps: Iterable[BatchApp | tuple[str, Objects, Objects]],
    executor: Executor | None = None,
    *,
    chunk_size: int | None = None,
) -> list[BatchResult[Any]]:
    """``func(name, desired, live)`` for every application, on ``executor``, in input order.

    The general form of the three functions below: ``func`` (picklable: a module-level
    function) gets the loaded sets and returns what should travel back, so one round trip can
    load, compare, plan and assess an application. Errors are per application, as below.
    """
    return _run_batch(_run_app, apps, executor, func, chunk_size, None)


def compare_many(
    apps: Iterable[BatchApp | tuple[str, Objects, Objects]],
    executor: Executor | None = None,
    *,
    options: CompareOptions | None = None,
    chunk_size: int | None = None,
    transform: Callable[[Comparison], Any] | None = None,
) -> list[BatchResult[Any]]:
    """:func:`~gitops_core.compare` for every application, on ``executor``, in input order.

    ``options`` applies to every application. ``chunk_size`` is the number of applications per
    submitted task (default: about four tasks per worker). ``transform`` (a picklable function,
    run in the worker) turns each :class:`~gitops_core.Comparison` into what you need, so only
    that travels back (e.g. ``lambda``-free ``operator.attrgetter("status")``).
    Raises :class:`~gitops_core.errors.UsageError` for unusable arguments.
    """
    return _run_batch(_compare_app, apps, executor, options, chunk_size, transform)


def plan_many(
    apps: Iterable[BatchApp | tuple[str, Objects, Objects]],
    executor: Executor | None = None,
    *,
    options: SyncOptions | None = None,
    chunk_size: int | None = None,
    transform: Callable[[SyncPlan], Any] | None = None,
) -> list[BatchResult[Any]]:
    """:func:`~gitops_core.plan_sync` for every application, on ``executor``, in input order.

    Arguments as in :func:`compare_many`; ``options`` are the :class:`~gitops_core.SyncOptions`
    of every application.
    """
    return _run_batch(_plan_app, apps, executor, options, chunk_size, transform)


def assess_many(
    apps: Iterable[BatchApp | tuple[str, Objects, Objects]],
    executor: Executor | None = None,
    *,
    registry: HealthRegistry | None = None,
    chunk_size: int | None = None,
    transform: Callable[[AppHealth], Any] | None = None,
) -> list[BatchResult[Any]]:
    """:func:`~gitops_core.aggregate_health` for every application, in input order.

    ``registry`` holds the Lua health overrides (``None``: the default registry of each worker
    process; a registry given here is pickled to the workers, which compile its scripts once).
    Other arguments as in :func:`compare_many`.
    """
    return _run_batch(_assess_app, apps, executor, registry, chunk_size, transform)
