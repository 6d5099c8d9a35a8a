"""Fixture-driven tests of the sync simulator (spec sync.md §8).

Each case under ``tests/fixtures/sync/simulate/`` holds the desired and live objects, the sync
options, the scripted cluster and the expected step log (operation phase and message of every
step), optionally with the task results and what was applied, pruned and deleted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from gitops_core.manifests import ManifestSet
from gitops_core.sync import SyncOptions
from gitops_core.sync.simulate import SimCluster, simulate_sync

FIXTURES = Path(__file__).parent / "fixtures" / "sync" / "simulate"
CASES = sorted(FIXTURES.glob("*.yaml"))


def _run(case: dict[str, Any]) -> Any:
    desired = ManifestSet.from_objects(case.get("desired") or [])
    cluster_args = dict(case.get("cluster") or {})
    if "wave_hook_errors" in cluster_args:
        cluster_args["wave_hook_errors"] = {
            (phase, int(wave)): message for phase, wave, message in cluster_args["wave_hook_errors"]
        }
    cluster = SimCluster(objects=case.get("live") or [], **cluster_args)
    options = SyncOptions(**(case.get("options") or {}))
    return simulate_sync(
        desired,
        cluster,
        options,
        max_steps=case.get("max_steps", 30),
        terminate_at_step=case.get("terminate_at_step"),
    )


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case(path: Path) -> None:
    case = yaml.safe_load(path.read_text())
    result = _run(case)
    expect = case["expect"]
    assert [[s.phase, s.message] for s in result.steps] == expect["steps"], result.event_log()
    for field in ("applied", "pruned", "deleted"):
        if field in expect:
            assert list(getattr(result, field)) == expect[field]
    if "wave_callbacks" in expect:
        assert [list(c) for c in result.wave_callbacks] == expect["wave_callbacks"]
    if "results" in expect:
        records = [r.to_record() for r in result.results]
        for wanted in expect["results"]:
            matching = [
                r
                for r in records
                if r["key"] == wanted["key"] and r["syncPhase"] == wanted.get("syncPhase", "Sync")
            ]
            assert matching, f"no result for {wanted['key']}: {records}"
            for field, value in wanted.items():
                assert matching[0][field] == value, (field, matching[0])
    if "events_contain" in expect:
        log = result.event_log()
        for event in expect["events_contain"]:
            assert any(event in line for line in log), (event, log)
    if "events_lack" in expect:
        log = result.event_log()
        for event in expect["events_lack"]:
            assert not any(event in line for line in log), (event, log)
    if "live_has" in expect:
        keys = {f"{o['kind']}/{o['metadata']['name']}" for o in result.live}
        for item in expect["live_has"]:
            assert item in keys
    if "live_lacks" in expect:
        keys = {f"{o['kind']}/{o['metadata']['name']}" for o in result.live}
        for item in expect["live_lacks"]:
            assert item not in keys


def test_there_are_many_cases() -> None:
    assert len(CASES) >= 30


_WAVES = st.lists(st.integers(min_value=-3, max_value=3), min_size=1, max_size=8)


@settings(max_examples=40, deadline=None)
@given(_WAVES, st.booleans())
def test_healthy_cluster_terminates_and_is_deterministic(waves: list[int], hook: bool) -> None:
    objects: list[dict[str, Any]] = [
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {
                "name": f"cm-{index}",
                "namespace": "ns",
                "annotations": {"argocd.argoproj.io/sync-wave": str(wave)},
            },
        }
        for index, wave in enumerate(waves)
    ]
    if hook:
        objects.append(
            {
                "apiVersion": "batch/v1",
                "kind": "Job",
                "metadata": {
                    "name": "post",
                    "namespace": "ns",
                    "annotations": {"argocd.argoproj.io/hook": "PostSync"},
                },
            }
        )
    desired = ManifestSet.from_objects(objects)
    first = simulate_sync(desired, SimCluster(), SyncOptions(namespace="ns"), max_steps=40)
    again = simulate_sync(desired, SimCluster(), SyncOptions(namespace="ns"), max_steps=40)
    assert first.phase == "Succeeded"
    assert first.event_log() == again.event_log()
    # every task applied exactly once on an always-healthy cluster
    assert sorted(first.applied) == sorted(set(first.applied))
    # a step per distinct wave at most, plus the final hook wait
    assert len(first.steps) <= len(set(waves)) + 3


CLI = Path(__file__).parent / "fixtures" / "sync" / "simulate_cli"


def test_cli_simulate_text(capsys: pytest.CaptureFixture[str]) -> None:
    from gitops_core.cli.main import main

    code = main(
        [
            "plan",
            str(CLI / "desired.yaml"),
            "-n",
            "shop",
            "--simulate",
            "--health",
            str(CLI / "health.yaml"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "step 1: Running: waiting for healthy state of /ConfigMap/cfg" in out
    assert "step 2: Running: waiting for healthy state of apps/Deployment/web" in out
    assert "step 3: Succeeded: successfully synced (all tasks run)" in out


def test_cli_simulate_json(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from gitops_core.cli.main import main

    code = main(["plan", str(CLI / "desired.yaml"), "-n", "shop", "--simulate", "-o", "json"])
    record = json.loads(capsys.readouterr().out)
    assert code == 0
    assert record["phase"] == "Succeeded"
    assert [step["phase"] for step in record["steps"]] == ["Running", "Succeeded"]


def test_cli_simulate_bad_health_file(capsys: pytest.CaptureFixture[str]) -> None:
    from gitops_core.cli.main import main

    code = main(
        ["plan", str(CLI / "desired.yaml"), "--simulate", "--health", str(CLI / "bad-health.yaml")]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "bad-health.yaml" in err
