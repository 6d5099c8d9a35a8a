"""The ``gitops-core plan`` subcommand: text and JSON output, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gitops_core.cli.main import main
from gitops_core.cli.plan import JSON_FIELDS

DESIRED = """\
apiVersion: batch/v1
kind: Job
metadata:
  generateName: migrate-
  annotations:
    argocd.argoproj.io/hook: PreSync
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
---
apiVersion: v1
kind: Service
metadata:
  name: web
"""
LIVE = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: old
  namespace: shop
  annotations:
    argocd.argoproj.io/sync-wave: "3"
"""


@pytest.fixture()
def files(tmp_path: Path) -> tuple[str, str]:
    desired = tmp_path / "desired.yaml"
    live = tmp_path / "live.yaml"
    desired.write_text(DESIRED, encoding="utf-8")
    live.write_text(LIVE, encoding="utf-8")
    return str(desired), str(live)


def test_text_groups_by_phase_and_wave(
    files: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    desired, live = files
    code = main(["plan", desired, "--live", live, "-n", "shop", "--prune", "--revision", "abcdef123",
                 "--started-at", "7", "--sync-option", "CreateNamespace=true"])  # fmt: skip
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[0] == "PreSync"
    assert out[1] == "  wave 0"
    assert out[2].split()[:2] == ["create", "/Namespace//shop"]
    assert out[3].split()[:2] == ["hook", "batch/Job/shop/migrate-abcdef1-presync-7"]
    assert out[4] == "Sync"
    assert [line.split()[:2] for line in out[6:8]] == [
        ["create", "/Service/shop/web"],
        ["create", "apps/Deployment/shop/web"],
    ]
    assert out[8] == "  wave 3"
    assert out[9].split()[:2] == ["prune", "/ConfigMap/shop/old"]
    assert out[-1] == "5 tasks in 3 steps"


def test_json_records(files: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    desired, live = files
    assert main(["plan", desired, "--live", live, "--namespace", "shop", "-o", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert all(tuple(record) == JSON_FIELDS for record in records)
    assert [(r["phase"], r["kind"], r["action"], r["hook"]) for r in records] == [
        ("PreSync", "Job", "hook", True),
        ("Sync", "Service", "create", False),
        ("Sync", "Deployment", "create", False),
        ("Sync", "ConfigMap", "prune-skipped", False),
    ]
    assert "requires pruning" in records[-1]["reason"]


def test_invalid_plan_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    desired = tmp_path / "cr.yaml"
    desired.write_text("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n", "utf-8")
    assert main(["plan", str(desired), "-n", "app"]) == 1
    assert "one or more synchronization tasks are not valid" in capsys.readouterr().err


def test_bad_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    desired = tmp_path / "bad.yaml"
    desired.write_text("kind: [\n", "utf-8")
    assert main(["plan", str(desired)]) == 2
    assert capsys.readouterr().err.startswith("gitops-core: error:")
