"""Fixture-driven tests of the built-in policy checks: ``tests/fixtures/policy/<CODE>/<case>/``.

A case directory holds ``manifests.yaml`` (the desired manifests), optionally ``live.yaml``
(the live snapshot), ``argocd-cm.yaml`` (an argocd-cm ConfigMap given as the context's
``argocd_cm``) and ``context.yaml`` (``namespace``, ``cluster_kinds``), and ``expected.yaml``:

- ``findings``: every finding of the check ``CODE`` (and no other), each with ``key``
  (``group/kind/namespace/name``, optional), ``line`` and ``severity`` (optional) and
  ``contains`` (a substring of the message);
- ``secret_values``: strings that must not appear in any output (text, JSON, SARIF).

Only the check named by the directory runs, so a case tests one check.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitops_core.manifests import load_manifests
from gitops_core.policy import Finding, PolicyContext, run_policies
from gitops_core.policy.sarif import to_sarif

FIXTURES = Path(__file__).parent / "fixtures" / "policy"
CASES = sorted(p.parent for p in FIXTURES.glob("*/*/expected.yaml"))


def _yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def context_of(case: Path) -> PolicyContext:
    """The context a case describes."""
    options: dict[str, Any] = {}
    if (case / "context.yaml").is_file():
        raw = _yaml(case / "context.yaml") or {}
        options["namespace"] = raw.get("namespace", "")
        options["cluster_kinds"] = [tuple(pair) for pair in raw.get("cluster_kinds", [])]
    if (case / "argocd-cm.yaml").is_file():
        options["argocd_cm"] = _yaml(case / "argocd-cm.yaml")["data"]
    live = str(case / "live.yaml") if (case / "live.yaml").is_file() else None
    return PolicyContext.from_paths(str(case / "manifests.yaml"), live=live, **options)


def _matches(finding: Finding, wanted: dict[str, Any]) -> bool:
    if "key" in wanted and str(finding.key) != wanted["key"]:
        return False
    if "line" in wanted and finding.line != wanted["line"]:
        return False
    if "severity" in wanted and str(finding.severity) != wanted["severity"]:
        return False
    return str(wanted.get("contains", "")) in finding.message


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_policy_case(case: Path) -> None:
    code = case.parent.name
    expected = _yaml(case / "expected.yaml") or {}
    report = run_policies(context_of(case), select=[code], entry_points=False)
    findings = list(report.findings)
    assert all(f.code == code for f in findings)
    unmatched = list(findings)
    for wanted in expected.get("findings") or []:
        match = next((f for f in unmatched if _matches(f, wanted)), None)
        assert match is not None, f"no finding matches {wanted}; got:\n" + "\n".join(
            str(f) for f in findings
        )
        unmatched.remove(match)
        assert (
            match.source is not None and match.source.path.endswith(".yaml")
        ) or "key" not in wanted
    assert not unmatched, "unexpected findings:\n" + "\n".join(str(f) for f in unmatched)
    outputs = [
        "\n".join(str(f) for f in findings),
        json.dumps(report.to_json()),
        json.dumps(to_sarif(report, base=case)),
    ]
    for secret in expected.get("secret_values") or []:
        for output in outputs:
            assert secret not in output


def test_every_builtin_check_has_cases() -> None:
    from gitops_core.policy import default_registry

    codes = {c.code for c in default_registry() if c.code.startswith("GC")}
    with_cases = {case.parent.name for case in CASES}
    assert codes <= with_cases, f"checks without fixture cases: {sorted(codes - with_cases)}"
    for code in codes:
        expectations = [_yaml(c / "expected.yaml") or {} for c in CASES if c.parent.name == code]
        assert any(e.get("findings") for e in expectations), f"{code}: no triggering case"
        assert any(not e.get("findings") for e in expectations), f"{code}: no clean case"


def test_argo_cd_install_manifest_is_clean() -> None:
    """The Argo CD install manifest triggers no built-in check (false positives fixed)."""
    install = (
        Path(__file__).resolve().parents[1].parent / "shared" / "examples" / "argo-cd-install.yaml"
    )
    if not install.is_file():
        pytest.skip("shared examples not present")
    report = run_policies(PolicyContext(load_manifests(str(install))), entry_points=False)
    assert [str(f) for f in report.findings if f.code.startswith("GC")] == []


@pytest.mark.parametrize(
    "module",
    ["gitops_core.policy._api", "gitops_core.policy.builtin", "gitops_core.policy.testing"],
)
def test_doctests(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
