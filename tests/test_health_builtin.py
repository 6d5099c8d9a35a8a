"""Fixture-driven tests of the built-in health checks and of application aggregation.

Built-in cases: ``tests/fixtures/health/builtin/<kind>/<case>.yaml`` with ``object`` (the live
object) and ``expected`` (``{status, message}``, or ``null`` for "no health").

Aggregation cases: ``tests/fixtures/health/aggregate/<case>.yaml`` with ``live`` (objects),
optional ``desired`` (objects), ``app`` (the Application object), ``overrides`` (``group/kind``
-> fixed ``{status, message}``, or ``{error}`` for a failing script, standing in for a Lua
override) and ``expected`` (``status``, ``message``, optional ``error`` and ``resources``: a
list of ``{key, status, message, reason}``).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gitops_core.health import (
    HealthResult,
    HealthStatus,
    aggregate_health,
    assess_health,
    builtin_health,
)
from gitops_core.health.builtin._typed import go_quote
from gitops_core.manifests._yaml import iter_yaml_documents

FIXTURES = Path(__file__).parent / "fixtures" / "health"
BUILTIN_CASES = sorted((FIXTURES / "builtin").glob("*/*.yaml"))
AGGREGATE_CASES = sorted((FIXTURES / "aggregate").glob("*.yaml"))


def _load(path: Path) -> dict[str, Any]:
    # the project's loader: Kubernetes semantics, timestamps stay strings
    text = path.read_text(encoding="utf-8")
    data = next(iter_yaml_documents(text, path=str(path), max_document_bytes=1 << 20)).value
    assert isinstance(data, dict), path
    return data


def _expected(value: Mapping[str, Any] | None) -> HealthResult | None:
    if value is None:
        return None
    status = value.get("status")
    return HealthResult(HealthStatus(status) if status else None, value.get("message") or "")


class _FixedOverride:
    def __init__(self, result: HealthResult, error: str | None = None) -> None:
        self.result = result
        self.error = error

    def evaluate(self, obj: Mapping[str, Any]) -> HealthResult:
        return self.result

    def evaluate_with_error(self, obj: Mapping[str, Any]) -> tuple[HealthResult, str | None]:
        return self.result, self.error


def _fixed_override(value: Mapping[str, Any] | None) -> _FixedOverride:
    """A fixed override; ``{error: text}`` stands for a script that raised ``text``."""
    if value is not None and "error" in value:
        return _FixedOverride(HealthResult(HealthStatus.UNKNOWN, value["error"]), value["error"])
    return _FixedOverride(_expected(value) or HealthResult(None))


class _FakeRegistry:
    """Stands in for the Lua registry: fixed results per ``group/kind``."""

    def __init__(self, overrides: Mapping[str, Mapping[str, Any] | None]) -> None:
        self.overrides = {key: _fixed_override(value) for key, value in overrides.items()}
        self.lookups = 0

    def find_override(self, group: str, kind: str) -> _FixedOverride | None:
        self.lookups += 1
        return self.overrides.get(f"{group}/{kind}" if group else kind)


def _case_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def test_there_are_many_cases() -> None:
    assert len(BUILTIN_CASES) >= 150
    assert len(AGGREGATE_CASES) >= 10


@pytest.mark.parametrize("path", BUILTIN_CASES, ids=_case_id)
def test_builtin_case(path: Path) -> None:
    case = _load(path)
    obj = case["object"]
    expected = _expected(case["expected"])
    before = repr(obj)
    assert builtin_health(obj) == expected
    # the full pipeline without overrides gives the same verdict
    assert assess_health(obj, registry=_FakeRegistry({})) == expected
    assert repr(obj) == before, "the check changed the caller's object"


@pytest.mark.parametrize("path", AGGREGATE_CASES, ids=lambda p: p.stem)
def test_aggregate_case(path: Path) -> None:
    case = _load(path)
    registry = _FakeRegistry(case.get("overrides") or {})
    result = aggregate_health(
        case["live"] or [],
        case.get("desired"),
        registry=registry,
        app=case.get("app"),
        namespace=case.get("namespace", "default"),
    )
    expected = case["expected"]
    assert result.status.value == expected["status"]
    assert result.message == expected.get("message", "")
    assert result.error == expected.get("error")
    if "resources" in expected:
        got = [
            {
                "key": str(item.key),
                "status": item.health.status.value if item.health and item.health.status else None,
                "message": item.health.message if item.health else None,
                "reason": item.reason,
            }
            for item in result.resources
        ]
        want = [
            {
                "key": item["key"],
                "status": item.get("status"),
                "message": item.get("message", "" if item.get("status") else None),
                "reason": item.get("reason"),
            }
            for item in expected["resources"]
        ]
        assert got == want


def test_override_wins_over_builtin_and_deletion_rule_wins_over_override() -> None:
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}
    registry = _FakeRegistry({"Pod": {"status": "Degraded", "message": "from lua"}})
    assert assess_health(pod, registry) == HealthResult(HealthStatus.DEGRADED, "from lua")
    empty = _FakeRegistry({"Pod": None})
    assert assess_health(pod, empty) == HealthResult(None, "")  # empty health is final
    deleted = {**pod, "metadata": {"name": "p", "deletionTimestamp": "2024-01-01T00:00:00Z"}}
    assert assess_health(deleted, registry) == HealthResult(
        HealthStatus.PROGRESSING, "Pending deletion"
    )


def test_lua_script_error_sets_the_app_error() -> None:
    # end to end with the real Lua registry: a failing script is Unknown with the raw text,
    # and the app carries Argo CD's wrapped error (spec (a) steps 2 and 5)
    from gitops_core.health.registry import HealthRegistry

    registry = HealthRegistry(
        overrides={"example.com/Widget": 'error("boom", 0)'}, include_shipped=False
    )
    widget = {
        "apiVersion": "example.com/v1",
        "kind": "Widget",
        "metadata": {"name": "w", "namespace": "default"},
    }
    result = aggregate_health([widget], registry=registry)
    assert result.status is HealthStatus.UNKNOWN
    assert result.resources[0].health == HealthResult(HealthStatus.UNKNOWN, "boom")
    assert result.error == (
        "error setting app health: failed to get resource health for default/w: boom"
    )


def test_registry_lookups_are_cached_per_aggregation() -> None:
    pods = [
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"p{i}", "namespace": "a"}}
        for i in range(5)
    ]
    registry = _FakeRegistry({"Pod": {"status": "Healthy"}})
    assert aggregate_health(pods, registry=registry).status is HealthStatus.HEALTHY
    assert registry.lookups == 1


_json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5)
_json = st.recursive(
    _json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "status",
                    "spec",
                    "replicas",
                    "conditions",
                    "type",
                    "phase",
                    "message",
                    "ingress",
                    "loadBalancer",
                    "containerStatuses",
                    "state",
                    "waiting",
                    "reason",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)
_KINDS = [
    ("apps/v1", "Deployment"),
    ("apps/v1", "StatefulSet"),
    ("apps/v1", "DaemonSet"),
    ("apps/v1", "ReplicaSet"),
    ("v1", "Pod"),
    ("v1", "Service"),
    ("v1", "PersistentVolumeClaim"),
    ("batch/v1", "Job"),
    ("networking.k8s.io/v1", "Ingress"),
    ("argoproj.io/v1alpha1", "Workflow"),
    ("apiregistration.k8s.io/v1", "APIService"),
    ("autoscaling/v2", "HorizontalPodAutoscaler"),
    ("autoscaling/v1", "HorizontalPodAutoscaler"),
]


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(_KINDS),
    _json,
    _json,
    st.dictionaries(st.text(max_size=3), st.text(max_size=3) | st.integers(), max_size=2),
)
def test_checks_never_raise_on_garbage(
    kind: tuple[str, str], spec: Any, status: Any, annotations: Any
) -> None:
    obj = {
        "apiVersion": kind[0],
        "kind": kind[1],
        "metadata": {"name": "x", "annotations": annotations},
        "spec": spec,
        "status": status,
    }
    result = builtin_health(obj)
    assert isinstance(result, HealthResult)
    assert isinstance(result.status, HealthStatus)


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("web", '"web"'),
        ('a"b', '"a\\"b"'),
        ("a\\b", '"a\\\\b"'),
        ("tab\there", '"tab\\there"'),
        ("é", '"é"'),
        ("\x00", '"\\x00"'),
        ("\u200b", '"\\u200b"'),
    ],
)
def test_go_quote(text: str, quoted: str) -> None:
    assert go_quote(text) == quoted


_CLI_CASES = [
    path
    for path in AGGREGATE_CASES
    if not {"overrides", "app"} & set(_load(path)) and _load(path)["live"]
]


@pytest.mark.parametrize("path", _CLI_CASES, ids=lambda p: p.stem)
def test_cli_health_json(path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    import yaml as pyyaml

    from gitops_core.cli.main import main

    case = _load(path)
    live = tmp_path / "live.yaml"
    live.write_text(pyyaml.safe_dump_all(case["live"]), encoding="utf-8")
    argv = ["health", str(live), "-n", "default", "-o", "json"]
    if case.get("desired") is not None:
        desired = tmp_path / "desired"
        desired.mkdir()
        (desired / "d.yaml").write_text(pyyaml.safe_dump_all(case["desired"]), encoding="utf-8")
        argv += ["--desired", str(desired)]
    assert main(argv) == 0
    output = json.loads(capsys.readouterr().out)
    assert output["aggregate"]["status"] == case["expected"]["status"]
    assert output["aggregate"]["message"] == case["expected"].get("message", "")
    assert {"key", "status", "message"} <= set(output["resources"][0])


CLI_CASES = sorted((FIXTURES / "cli" / "cases").glob("*.yaml"))


@pytest.mark.parametrize("path", CLI_CASES, ids=lambda p: p.stem)
def test_cli_case(path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """CLI cases with real Lua: ``args`` (``{fixtures}`` = tests/fixtures/health/cli)."""
    import json

    import yaml as pyyaml

    from gitops_core.cli.main import main

    case = _load(path)
    live = tmp_path / "live.yaml"
    live.write_text(pyyaml.safe_dump_all(case["live"]), encoding="utf-8")
    fixtures = str(FIXTURES / "cli")
    argv = ["health", str(live), "-o", "json"]
    argv += [arg.replace("{fixtures}", fixtures) for arg in case["args"]]
    if case.get("desired") is not None:
        desired = tmp_path / "desired.yaml"
        desired.write_text(pyyaml.safe_dump_all(case["desired"]), encoding="utf-8")
        argv += ["--desired", str(desired)]
    assert main(argv) == 0
    output = json.loads(capsys.readouterr().out)
    expected = case["expected"]
    assert output["aggregate"]["status"] == expected["status"]
    assert output["aggregate"]["message"] == expected["message"]
    if "resources" in expected:
        got = [
            {key: record[key] for key in ("key", "status", "message")}
            for record in output["resources"]
        ]
        assert got == expected["resources"]


def test_cli_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    from gitops_core.cli.main import main

    live = FIXTURES / "cli" / "argocd-cm.yaml"  # a ConfigMap: no health
    assert main(["health", str(live)]) == 0
    out = capsys.readouterr().out
    assert "/ConfigMap/argocd/argocd-cm" in out
    assert "APPLICATION HEALTH: Healthy" in out


@pytest.mark.parametrize("bad", [None, "Pod", ["apiVersion", "v1"], 3])
def test_non_objects_raise_a_typed_error(bad: Any) -> None:
    from gitops_core.errors import UsageError

    with pytest.raises(UsageError):
        builtin_health(bad)
    with pytest.raises(UsageError):
        assess_health(bad, registry=_FakeRegistry({}))


@pytest.mark.parametrize(
    ("stamp", "deleted"),
    [
        (datetime.datetime(2024, 5, 1, 10, 0, tzinfo=datetime.timezone.utc), True),
        (datetime.datetime(2024, 5, 1, 10, 0), True),
        (datetime.date(2024, 5, 1), True),
        (datetime.datetime(1, 1, 1), False),
        (datetime.date(1, 1, 1), False),
    ],
)
def test_deletion_rule_accepts_datetimes_from_other_loaders(
    stamp: datetime.date, deleted: bool
) -> None:
    obj = {"apiVersion": "v1", "kind": "PersistentVolumeClaim"}
    obj["metadata"] = {"name": "data", "deletionTimestamp": stamp}
    obj["status"] = {"phase": "Bound"}
    expected = "Pending deletion" if deleted else ""
    assert builtin_health(obj).message == expected  # type: ignore[union-attr]


_STATUSES = [None, *[status.value for status in HealthStatus]]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(_STATUSES), st.booleans(), st.booleans()),
        max_size=8,
    )
)
def test_aggregate_is_the_worst_counted_status(items: list[tuple[str | None, bool, bool]]) -> None:
    """The aggregate is the most severe counted status; every cause has exactly that status."""
    live = []
    overrides: dict[str, Any] = {}
    for index, (status, hook, ignored) in enumerate(items):
        annotations = {}
        if hook:
            annotations["argocd.argoproj.io/hook"] = "PostSync"
        if ignored:
            annotations["argocd.argoproj.io/ignore-healthcheck"] = "true"
        kind = f"Kind{index}"
        overrides[f"example.com/{kind}"] = {"status": status} if status else None
        live.append(
            {
                "apiVersion": "example.com/v1",
                "kind": kind,
                "metadata": {"name": "x", "namespace": "n", "annotations": annotations},
            }
        )
    result = aggregate_health(live, registry=_FakeRegistry(overrides))
    counted = [r.health.status for r in result.resources if r.reason is None and r.health]
    worst = HealthStatus.HEALTHY
    for status in counted:
        if status is not None and status.severity > worst.severity:
            worst = status
    assert result.status is worst
    by_key = {r.key: r for r in result.resources}
    for key in result.causes:
        health = by_key[key].health
        assert health is not None and health.status is worst
    assert bool(result.causes) == (worst is not HealthStatus.HEALTHY)


def test_resources_are_accepted() -> None:
    from gitops_core.manifests import parse_manifests

    resource = parse_manifests("apiVersion: v1\nkind: Service\nmetadata: {name: s}\n")[0]
    assert builtin_health(resource) == HealthResult(HealthStatus.HEALTHY)
    assert assess_health(resource, _FakeRegistry({})) == HealthResult(HealthStatus.HEALTHY)


@pytest.mark.parametrize("status", [status.value for status in HealthStatus])
def test_real_lua_override_status_is_the_app_status(status: str) -> None:
    """Argo CD's controller test: a Lua override returning each status gives that app status."""
    from gitops_core.health import HealthRegistry

    registry = HealthRegistry(
        overrides={"example.com/Widget": f'return {{status = "{status}", message = "m"}}'}
    )
    widget = {
        "apiVersion": "example.com/v1",
        "kind": "Widget",
        "metadata": {"name": "w", "namespace": "default"},
    }
    assert assess_health(widget, registry) == HealthResult(HealthStatus(status), "m")
    assert aggregate_health([widget], registry=registry).status.value == status
