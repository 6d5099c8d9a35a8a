"""The opt-in generic conditions rule, one fixture per rule (tests/fixtures/health/generic)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from gitops_core.health import HealthResult, HealthStatus
from gitops_core.health.generic import generic_conditions_health

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "health" / "generic"
CASES = sorted(FIXTURES.glob("*.yaml"))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_generic_case(path: Path) -> None:
    case = yaml.safe_load(path.read_text())
    expected = case["expected"]
    got = generic_conditions_health(case["object"])
    if expected is None:
        assert got is None
    else:
        assert got == HealthResult(HealthStatus(expected["status"]), expected["message"])


def test_does_not_mutate_input() -> None:
    case = yaml.safe_load((FIXTURES / "stalled-true.yaml").read_text())
    before = yaml.safe_dump(case["object"])
    generic_conditions_health(case["object"])
    assert yaml.safe_dump(case["object"]) == before


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["True", "False", "Ready"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["type", "status", "reason", "message", "phase", "conditions"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=10,
)


@settings(max_examples=80, deadline=None)
@given(status=_JSON, spec=_JSON, generation=_JSON)
def test_never_raises(status: Any, spec: Any, generation: Any) -> None:
    """Any JSON-shaped status gives a result or None, never an exception."""
    obj = {
        "apiVersion": "example.com/v1",
        "kind": "Widget",
        "metadata": {"name": "w", "generation": generation},
        "spec": spec,
        "status": status,
    }
    got = generic_conditions_health(obj)
    assert got is None or isinstance(got.status, HealthStatus)


def _write_widget(directory: Path) -> Path:
    case = yaml.safe_load((FIXTURES / "ready-false-failed.yaml").read_text())
    path = directory / "widget.yaml"
    path.write_text(yaml.safe_dump(case["object"]))
    return path


@pytest.mark.parametrize("flag", [True, False])
def test_cli_generic_conditions_flag(
    flag: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``gitops-core health --generic-conditions`` applies the rule (through the aggregation)."""
    from gitops_core.cli.main import main

    argv = ["health", "--output", "json", str(_write_widget(tmp_path))]
    if flag:
        argv.insert(1, "--generic-conditions")
    assert main(argv) == 0
    record = yaml.safe_load(capsys.readouterr().out)["resources"][0]
    if flag:
        assert (record["status"], record["message"]) == ("Degraded", "Ready: 401 Unauthorized")
    else:
        assert record["status"] is None
