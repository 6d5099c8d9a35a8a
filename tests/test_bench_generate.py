"""The benchmark generator: deterministic, realistic, and loadable by gitops_core."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from gitops_core.bench import generate
from gitops_core.manifests import parse_manifests

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "bench" / "generate.yaml").read_text())


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_generated_set(case: dict[str, Any]) -> None:
    generated = generate(**case["args"])
    expect = case["expect"]
    assert len(generated.desired) == expect["desired"]
    if "min_live" in expect:
        assert len(generated.live) >= expect["min_live"]
    if "apps_at_least" in expect:
        assert len(generated.apps) >= expect["apps_at_least"]
    for field in ("drifted", "missing", "extraneous", "unhealthy"):
        if field in expect:
            assert len(getattr(generated, field)) == expect[field]
    if "drifted_at_least" in expect:
        assert len(generated.drifted) >= expect["drifted_at_least"]
    # deterministic
    again = generate(**case["args"])
    assert again.desired == generated.desired and again.live == generated.live
    # the text forms load back into the same objects
    desired = parse_manifests(generated.desired_yaml(), "desired.yaml")
    live = parse_manifests(generated.live_yaml(), "live.yaml")
    assert desired.objects() == generated.desired
    assert live.objects() == generated.live
