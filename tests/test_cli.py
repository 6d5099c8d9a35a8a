"""The ``gitops-core`` command line, driven by the cases in ``tests/fixtures/cli/<case>.yaml``.

A case gives ``argv`` (``{examples}``, ``{fixtures}`` and ``{shared}`` are replaced by the
repository's ``examples/``, ``tests/fixtures/`` and ``../shared/``), optional ``stdin``, and
what to expect: ``exit``; ``stdout`` / ``stderr`` (exact); ``stdout_contains``,
``stderr_contains``, ``stdout_excludes`` (substrings); ``stderr_lines`` (line count);
``json`` (``[{path, equals}]`` on stdout parsed as JSON) and ``json_length``.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitops_core import __version__
from gitops_core.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "cli"
CASES = sorted(p.stem for p in FIXTURES.glob("*.yaml"))


def shared_dir() -> Path:
    """``../shared`` beside the repository (CI), or the nearest ``shared`` above it."""
    for parent in (ROOT, *ROOT.parents):
        candidate = parent.parent / "shared"
        if (candidate / "examples").is_dir():
            return candidate
    return ROOT.parent / "shared"


def _expand(arg: str) -> str:
    return (
        arg.replace("{examples}", str(ROOT / "examples"))
        .replace("{fixtures}", str(ROOT / "tests" / "fixtures"))
        .replace("{shared}", str(shared_dir()))
    )


def _run(argv: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr("sys.stderr", err)
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse: --version, --help, usage errors
        code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("case_name", CASES)
def test_cli_case(case_name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    case: dict[str, Any] = yaml.safe_load((FIXTURES / f"{case_name}.yaml").read_text())
    argv = [_expand(str(arg)) for arg in case["argv"]]
    code, out, err = _run(argv, case.get("stdin", ""), monkeypatch)
    assert code == case["exit"], (out, err)
    if "stdout" in case:
        assert out == case["stdout"]
    if "stderr" in case:
        assert err == case["stderr"]
    for text in case.get("stdout_contains", []):
        assert text in out, out
    for text in case.get("stderr_contains", []):
        assert text in err, err
    for text in case.get("stdout_excludes", []):
        assert text not in out
    if "stderr_lines" in case:
        assert len(err.splitlines()) == case["stderr_lines"], err
    if "json" in case or "json_length" in case:
        document = json.loads(out)
        if "json_length" in case:
            assert len(document) == case["json_length"]
        for check in case.get("json", []):
            value = document
            for part in check["path"]:
                value = value[part]
            assert value == check["equals"], check


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "gitops_core", "--version"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"gitops-core {__version__}"


def test_python_dash_m_reports_bad_input_in_one_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "gitops_core", "manifests", "-"],
        input="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("gitops-core: error: <stdin>:")
    assert len(result.stderr.splitlines()) == 1
