"""pytest plugin of gitops_core: fixtures that load manifests and snapshots, and assertions.

Installed with the package (entry point ``pytest11``: ``gitops_core``); without installing,
enable it with ``-p gitops_core.policy.pytest_plugin``. Relative paths given to the fixtures
are resolved against the directory of the test file, then the working directory.

A policy test::

    from gitops_core.policy.pytest_plugin import assert_applied_before, assert_no_findings

    def test_shop(gitops_app):
        app = gitops_app("../shop/desired", live="../shop/live", namespace="shop")
        assert_no_findings(app)
        assert_applied_before(app, "Job/migrate", "Deployment/web")
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from gitops_core.manifests import ManifestSet, load_manifests
from gitops_core.policy._api import PolicyContext, PolicyReport, run_policies
from gitops_core.policy.testing import (
    assert_applied_before,
    assert_healthy,
    assert_in_sync,
    assert_no_findings,
)

__all__ = [
    "assert_applied_before",
    "assert_healthy",
    "assert_in_sync",
    "assert_no_findings",
    "gitops_app",
    "gitops_lint",
    "gitops_live",
    "gitops_manifests",
]

PathArg = str | os.PathLike[str]


def _resolver(request: pytest.FixtureRequest) -> Callable[[PathArg], str]:
    base = Path(str(request.node.path)).parent

    def resolve(path: PathArg) -> str:
        text = os.fspath(path)
        if text == "-" or os.path.isabs(text):
            return text
        candidate = base / text
        return str(candidate) if candidate.exists() else text

    return resolve


def _paths(resolve: Callable[[PathArg], str], paths: Iterable[PathArg] | PathArg) -> list[str]:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return [resolve(p) for p in paths]


@pytest.fixture
def gitops_manifests(request: pytest.FixtureRequest) -> Callable[..., ManifestSet]:
    """Factory: ``gitops_manifests(*paths, namespace=None, strict=True) -> ManifestSet``."""
    resolve = _resolver(request)

    def load(*paths: PathArg, namespace: str | None = None, strict: bool = True) -> ManifestSet:
        return load_manifests(_paths(resolve, paths), default_namespace=namespace, strict=strict)

    return load


@pytest.fixture
def gitops_live(request: pytest.FixtureRequest) -> Callable[..., ManifestSet]:
    """Factory: ``gitops_live(*paths) -> ManifestSet`` of a live snapshot (kubectl get -o yaml)."""
    resolve = _resolver(request)

    def load(*paths: PathArg) -> ManifestSet:
        return load_manifests(_paths(resolve, paths))

    return load


@pytest.fixture
def gitops_app(request: pytest.FixtureRequest) -> Callable[..., PolicyContext]:
    """Factory: ``gitops_app(desired, live=None, name="", namespace="", **kwargs)``.

    Returns a :class:`~gitops_core.policy.PolicyContext` whose comparison, sync plan and health
    are computed on first use; ``kwargs`` are the context's other arguments (sync_options,
    cluster_kinds, argocd_cm, ...).
    """
    resolve = _resolver(request)

    def make(
        desired: Iterable[PathArg] | PathArg,
        live: Iterable[PathArg] | PathArg | None = None,
        **kwargs: Any,
    ) -> PolicyContext:
        live_paths = _paths(resolve, live) if live is not None else None
        return PolicyContext.from_paths(_paths(resolve, desired), live=live_paths, **kwargs)

    return make


@pytest.fixture
def gitops_lint(gitops_app: Callable[..., PolicyContext]) -> Callable[..., PolicyReport]:
    """Factory: ``gitops_lint(app_or_paths, select=None, disable=()) -> PolicyReport``."""

    def lint(
        app: PolicyContext | Iterable[PathArg] | PathArg,
        *,
        select: Iterable[str] | None = None,
        disable: Iterable[str] = (),
    ) -> PolicyReport:
        context = app if isinstance(app, PolicyContext) else gitops_app(app)
        return run_policies(
            context, select=list(select) if select is not None else None, disable=list(disable)
        )

    return lint
