"""Fixture-driven tests of annotation parsing and classification.

Each ``tests/fixtures/sync/annotations/<case>.yaml`` holds ``annotations`` and the
``expected`` attributes of :class:`~gitops_core.sync.Classification` (lists for tuples).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from gitops_core.manifests import ManifestSet
from gitops_core.sync import classify

FIXTURES = Path(__file__).parent / "fixtures" / "sync" / "annotations"
CASES = sorted(FIXTURES.glob("*.yaml"))


def normalise(value: Any) -> Any:
    if isinstance(value, tuple):
        return [normalise(item) for item in value]
    return value


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_classification(path: Path) -> None:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}
    if case["annotations"]:
        obj["metadata"]["annotations"] = case["annotations"]
    # through the loader too: what it accepts, classify reads the same way
    loaded = ManifestSet.from_objects([obj]).resources[0].object
    result = classify(loaded)
    for attribute, expected in case["expected"].items():
        assert normalise(getattr(result, attribute)) == expected, attribute


def test_classification_never_mutates_the_object() -> None:
    annotations = {"argocd.argoproj.io/hook": " PreSync "}
    obj = {"metadata": {"annotations": annotations}}
    classify(obj)
    assert obj == {"metadata": {"annotations": {"argocd.argoproj.io/hook": " PreSync "}}}


def test_fixture_count() -> None:
    assert len(CASES) >= 40
