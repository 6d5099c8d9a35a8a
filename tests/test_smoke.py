"""Smoke tests of the public surface (the fixture-driven suites live beside this file)."""

from __future__ import annotations

from pathlib import Path

import gitops_core
from gitops_core.cli.main import main


def shared_dir() -> Path:
    """``../shared`` beside the repository (CI), or the nearest ``shared`` above it."""
    here = Path(__file__).resolve().parents[1]
    for parent in (here, *here.parents):
        candidate = parent.parent / "shared"
        if (candidate / "examples").is_dir():
            return candidate
    return here.parent / "shared"


def test_version_is_exported() -> None:
    assert gitops_core.__version__.count(".") == 2


def test_cli_manifests_on_argo_cd_install() -> None:
    example = shared_dir() / "examples" / "argo-cd-install.yaml"
    assert main(["manifests", str(example)]) == 0


def test_annotations_submodule_is_importable_by_name() -> None:
    from gitops_core.manifests import annotations

    assert hasattr(annotations, "__all__") and annotations.__name__.endswith(".annotations")
