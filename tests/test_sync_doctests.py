"""Run the doctests of the sync planning modules and the annotation parser."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = (
    "gitops_core.manifests.annotations",
    "gitops_core.sync.classify",
    "gitops_core.sync.kinds",
    "gitops_core.sync.plan",
)


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
