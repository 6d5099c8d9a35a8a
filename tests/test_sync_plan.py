"""Fixture-driven tests of sync planning: ``tests/fixtures/sync/plan/<case>.yaml``.

A case holds ``desired`` and ``live`` objects, ``options`` (SyncOptions keywords; app-level
strings under ``sync_options``; ``api_resources_extra`` adds ``[group, kind, namespaced]`` to
the built-in kinds and ``api_resources_only`` replaces them; ``denied`` maps a kind to a
permission error; ``comparison`` maps keys to sync statuses) and ``expected``:

- ``tasks``: the ordered tasks as ``"<phase> <wave> <action> <group>/<kind>/<namespace>/<name>"``;
- ``valid`` / ``message``: validity and the operation message;
- ``details``: per-task checks, each selecting a task by ``task`` (its index) and naming
  attributes of :class:`SyncTask` with their expected values (``reason_contains`` checks a
  substring of the reason, ``target`` a subset of the target object);
- ``skipped``: ``[key, reason substring]`` pairs of objects that got no task;
- ``warnings``: substrings of the plan warnings; ``multi_step``: the plan's flag.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitops_core.manifests import ManifestSet
from gitops_core.sync import SyncOptions, SyncPlan, SyncTask, plan_sync
from gitops_core.sync.kinds import BUILTIN_API_RESOURCES

FIXTURES = Path(__file__).parent / "fixtures" / "sync" / "plan"
CASES = sorted(FIXTURES.glob("*.yaml"))


def load_case(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        case = yaml.safe_load(handle)
    assert isinstance(case, dict), f"{path.name}: a case is a mapping"
    return case


def build_options(raw: Mapping[str, Any] | None) -> SyncOptions:
    values = dict(raw or {})
    strings = values.pop("sync_options", [])
    extra = values.pop("api_resources_extra", None)
    only = values.pop("api_resources_only", None)
    if extra is not None:
        table = dict(BUILTIN_API_RESOURCES)
        table.update({(g, k): bool(n) for g, k, n in extra})
        values["api_resources"] = table
    if only is not None:
        values["api_resources"] = {(g, k): bool(n) for g, k, n in only}
    denied = values.pop("denied", None)
    if denied is not None:
        values["permission_check"] = lambda obj: denied.get(obj.get("kind"))
    filter_keys = values.pop("resources_filter", None)
    if filter_keys is not None:
        values["resources_filter"] = list(filter_keys)
    return SyncOptions.from_sync_options(strings, **values)


def task_line(task: SyncTask) -> str:
    return f"{task.phase} {task.wave} {task.action} {task.key}"


def subset(expected: Any, actual: Any) -> bool:
    if isinstance(expected, Mapping):
        return isinstance(actual, Mapping) and all(
            k in actual and subset(v, actual[k]) for k, v in expected.items()
        )
    return bool(expected == actual and type(expected) is type(actual))


def run_case(case: Mapping[str, Any]) -> SyncPlan:
    options = build_options(case.get("options"))
    desired = ManifestSet.from_objects(case.get("desired") or [])
    live = ManifestSet.from_objects(case.get("live") or [])
    return plan_sync(desired, live, options)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_plan_case(path: Path) -> None:
    case = load_case(path)
    expected = case["expected"]
    plan = run_case(case)
    lines = [task_line(task) for task in plan]
    if "tasks" in expected:
        assert lines == list(expected["tasks"] or []), "\n".join(lines)
    assert plan.valid is expected.get("valid", True), plan.message
    if "message" in expected:
        assert plan.message == expected["message"]
    if "multi_step" in expected:
        assert plan.multi_step is expected["multi_step"]
    for check in expected.get("details") or []:
        check = dict(check)
        task = plan.tasks[check.pop("task")]
        for attribute, value in check.items():
            if attribute == "reason_contains":
                assert value in task.reason, task.reason
            elif attribute == "target":
                assert subset(value, task.target), task.target
            elif attribute == "has_live":
                assert (task.live is not None) is value
            else:
                actual = getattr(task, attribute)
                if isinstance(actual, tuple):
                    actual = list(actual)
                assert actual == value, f"{task!r}.{attribute}"
    if "skipped" in expected:
        got = [(str(s.key), s.reason) for s in plan.skipped]
        assert len(got) == len(expected["skipped"]), got
        for (key, reason), (want_key, want_reason) in zip(got, expected["skipped"], strict=True):
            assert key == want_key and want_reason in reason, got
    for warning in expected.get("warnings") or []:
        assert any(warning in w for w in plan.warnings), plan.warnings


def test_fixture_count() -> None:
    assert len(CASES) >= 90


def test_with_results_restores_by_result_key() -> None:
    from gitops_core.sync.plan import TaskResult

    case = {
        "options": {"namespace": "app"},
        "desired": [
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}},
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "annotations": {
                "argocd.argoproj.io/hook": "PreSync,PostSync"}}},
        ],
    }  # fmt: skip
    plan = run_case(case)
    stored = {"/Pod/app/p:PreSync": TaskResult("Synced", "Succeeded", "p created")}
    restored = plan.with_results(stored)
    assert restored.task("/Pod/app/p:PreSync").result == stored["/Pod/app/p:PreSync"]  # type: ignore[union-attr]
    assert restored.task("/Pod/app/p:PostSync").result is None  # type: ignore[union-attr]
    assert plan.task("/Pod/app/p:PreSync").result is None  # type: ignore[union-attr]
    assert restored.task("/ConfigMap/app/a:PostSync") is None


def test_no_secret_value_in_reprs_or_records() -> None:
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
              "data": {"password": "c2VjcmV0LXZhbHVl"}, "stringData": {"token": "plain-token"}}  # fmt: skip
    plan = run_case({"options": {"namespace": "a", "prune": True}, "desired": [secret],
                     "live": [dict(secret, metadata={"name": "old", "namespace": "a"})]})  # fmt: skip
    text = repr(plan) + repr(plan.tasks) + str(plan.to_records()) + "".join(t.reason for t in plan)
    assert "c2VjcmV0LXZhbHVl" not in text and "plain-token" not in text


@pytest.mark.parametrize(
    "options",
    [
        {"default_prune_option": "no"},
        {"started_at": "yesterday"},
        {"resources_filter": ["not-a-key"]},
        {"comparison": {"bad": "Synced"}, "apply_out_of_sync_only": True},
        {"comparison": 42, "apply_out_of_sync_only": True},
    ],
)
def test_bad_options_raise_typed_errors(options: dict[str, Any]) -> None:
    from gitops_core.errors import GitopsCoreError

    with pytest.raises(GitopsCoreError):
        run_case({"options": options, "desired": [{"apiVersion": "v1", "kind": "ConfigMap",
                  "metadata": {"name": "c"}}], "live": [{"apiVersion": "v1", "kind": "ConfigMap",
                  "metadata": {"name": "c", "namespace": "default"}}]})  # fmt: skip


def test_plan_sync_rejects_non_manifest_sets() -> None:
    from gitops_core.errors import UsageError

    with pytest.raises(UsageError):
        plan_sync([], ManifestSet(()))  # type: ignore[arg-type]
