"""Batch runs: compare_many / plan_many / assess_many on no executor, a process pool and dask.

Cases are YAML files under tests/fixtures/bench/batch/: either hand-written applications with
their expected outcome, or a generator call whose applications must agree with a plain loop.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from operator import attrgetter
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitops_core import BatchApp, assess_many, compare_many, plan_many, run_many
from gitops_core.bench import generate
from gitops_core.errors import UsageError
from gitops_core.health import aggregate_health
from gitops_core.manifests import ManifestSet
from gitops_core.sync import plan_sync

CASE_DIR = Path(__file__).parent / "fixtures" / "bench" / "batch"
CASES = {path.stem: yaml.safe_load(path.read_text()) for path in sorted(CASE_DIR.glob("*.yaml"))}


def _apps(case: dict[str, Any]) -> list[BatchApp]:
    if "generate" in case:
        generated = generate(**case["generate"])
        return [BatchApp(name, desired, live) for name, desired, live in generated.per_app()]
    return [BatchApp(a["name"], a["desired"], a["live"]) for a in case["apps"]]


def _plan_actions(plan: Any) -> list[str]:
    return sorted(task.action for task in plan.tasks)


def _health(app_health: Any) -> str:
    return str(app_health.status.value)


@pytest.fixture(scope="module")
def process_pool() -> Iterator[Executor]:
    with ProcessPoolExecutor(max_workers=2) as pool:
        yield pool


@pytest.fixture(scope="module", params=["inline", "process-pool", "dask"])
def executor(request: pytest.FixtureRequest) -> Iterator[Executor | None]:
    if request.param == "inline":
        yield None
    elif request.param == "process-pool":
        yield request.getfixturevalue("process_pool")
    else:
        distributed = pytest.importorskip("dask.distributed")
        with (
            distributed.LocalCluster(
                n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            yield client.get_executor()


def _check(case: dict[str, Any], executor: Executor | None) -> None:
    apps = _apps(case)
    compared = compare_many(apps, executor, transform=attrgetter("status"))
    planned = plan_many(apps, executor, transform=_plan_actions, chunk_size=2)
    assessed = assess_many(apps, executor, transform=_health)
    for results in (compared, planned, assessed):
        assert [r.name for r in results] == [a.name for a in apps]  # input order
    if "expect_apps" in case:
        assert len(apps) == case["expect_apps"]
        for app, c, p, h in zip(apps, compared, planned, assessed, strict=True):
            assert c.ok and p.ok and h.ok, (c.error, p.error, h.error)
            desired, live = (
                ManifestSet.from_objects(app.desired),
                ManifestSet.from_objects(app.live),
            )
            assert p.value == _plan_actions(plan_sync(desired, live))
            assert h.value == _health(aggregate_health(live, desired))
            assert c.value in ("Synced", "OutOfSync")
        return
    for expect, c, p, h in zip(case["expect"], compared, planned, assessed, strict=True):
        if "error" in expect:
            for result in (c, p, h):
                assert not result.ok and result.value is None
                assert result.error is not None and expect["error"] in result.error
            continue
        assert (c.value, p.value, h.value) == (
            expect["compare"],
            expect["plan_actions"],
            expect["health"],
        )


@pytest.mark.parametrize("name", sorted(CASES))
def test_batch(name: str, executor: Executor | None) -> None:
    _check(CASES[name], executor)


def test_full_values_without_transform(process_pool: Executor) -> None:
    apps = _apps(CASES["mixed"])
    results = plan_many(apps, process_pool)
    assert results[0].value is not None and len(results[0].value.tasks) == 1
    assert results[2].value is None and results[2].error is not None


def test_tuples_accepted_and_empty_batch() -> None:
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "n"}}
    [result] = compare_many([("t", [cm], [cm])], transform=attrgetter("status"))
    assert (result.name, result.value) == ("t", "Synced")
    assert compare_many([]) == []


@pytest.mark.parametrize(
    ("apps", "kwargs"),
    [
        (["not an app"], {}),
        ([("only-name",)], {}),
        ([BatchApp("a", [])], {"chunk_size": 0}),
    ],
    ids=["string item", "short tuple", "zero chunk size"],
)
def test_usage_errors(apps: list[Any], kwargs: dict[str, Any]) -> None:
    with pytest.raises(UsageError):
        plan_many(apps, **kwargs)


def test_lost_chunk_is_reported_per_app(process_pool: Executor) -> None:
    # a transform that cannot be pickled loses the chunk: each app of it carries the error
    apps = _apps(CASES["mixed"])
    results = plan_many(apps, process_pool, transform=lambda plan: plan, chunk_size=2)
    assert [r.name for r in results] == [a.name for a in apps]
    assert all(not r.ok and r.error and "ickl" in r.error for r in results)


def _summary(name: str, desired: ManifestSet, live: ManifestSet) -> tuple[str, int, int]:
    return name, len(desired), len(live)


@pytest.mark.parametrize("name", sorted(CASES))
def test_run_many_with_paths(name: str, tmp_path: Path, process_pool: Executor) -> None:
    # applications given as files: loaded in the worker; invalid ones fail on their own result
    apps = []
    for app in _apps(CASES[name]):
        desired, live = tmp_path / f"{app.name}-desired.yaml", tmp_path / f"{app.name}-live.yaml"
        desired.write_text(yaml.safe_dump_all(app.desired))
        live.write_text(yaml.safe_dump_all(app.live))
        apps.append(BatchApp(app.name, str(desired), live))
    results = run_many(_summary, apps, process_pool)
    inline = run_many(_summary, apps)
    assert [(r.value, r.error) for r in results] == [(r.value, r.error) for r in inline]
    for app, result in zip(_apps(CASES[name]), results, strict=True):
        if result.ok:
            assert result.value == (app.name, len(app.desired), len(app.live))
        else:
            assert result.error is not None and "Error" in result.error
