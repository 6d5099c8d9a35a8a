"""Smoke tests of the public surface (the fixture-driven suites live beside this file)."""

from __future__ import annotations

import gitops_core
from gitops_core.cli.main import main


def test_version_is_exported() -> None:
    assert gitops_core.__version__.count(".") == 2


def test_cli_manifests_on_argo_cd_install(capsys: object) -> None:
    from pathlib import Path

    example = Path(__file__).parent.parent.parent / "shared" / "examples" / "argo-cd-install.yaml"
    assert main(["manifests", str(example)]) == 0
