"""SARIF 2.1.0 output of a policy report, for code-scanning views (GitHub, GitLab, IDEs)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from gitops_core import __version__
from gitops_core.policy._api import Check, Finding, PolicyReport, Severity

__all__ = ["SARIF_SCHEMA", "SARIF_VERSION", "to_sarif"]

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_INFORMATION_URI = "https://example.invalid/gitops-core/docs/policies/"

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _rule(item: Check) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": item.code,
        "name": item.name or item.code,
        "shortDescription": {"text": item.summary or item.code},
        "fullDescription": {"text": " ".join(item.description.split()) or item.code},
        "defaultConfiguration": {"level": _LEVELS[item.severity]},
        "helpUri": item.help_uri or f"{_INFORMATION_URI}#{item.code.lower()}",
        "properties": {"tags": ["gitops", "argo-cd"]},
    }
    return rule


def _uri(path: str, base: Path) -> tuple[str, bool]:
    """``(uri, relative?)``: relative to ``base`` when the file is under it, else a file URI."""
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(base)
    except ValueError:
        return absolute.as_uri(), False
    return quote(PurePosixPath(*relative.parts).as_posix()), True


def _fingerprint(finding: Finding) -> str:
    text = f"{finding.app}|{finding.code}|{finding.key}|{finding.message}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def to_sarif(report: PolicyReport, *, base: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The report as one SARIF 2.1.0 log with one run.

    Every check run (and every code found) is a rule; each finding is a result on its file and
    line, the URI relative to ``base`` (default: the working directory) with base id
    ``SRCROOT``, so code-scanning views place it in the repository.
    """
    base_path = Path(os.path.abspath(base if base is not None else os.getcwd()))
    rules: list[dict[str, Any]] = []
    rule_index: dict[str, int] = {}
    for item in report.checks:
        if item.code not in rule_index:
            rule_index[item.code] = len(rules)
            rules.append(_rule(item))
    results: list[dict[str, Any]] = []
    for finding in report.findings:
        if finding.code not in rule_index:
            rule_index[finding.code] = len(rules)
            rules.append({"id": finding.code, "shortDescription": {"text": finding.code}})
        severity = finding.severity or Severity.WARNING
        result: dict[str, Any] = {
            "ruleId": finding.code,
            "ruleIndex": rule_index[finding.code],
            "level": _LEVELS[severity],
            "message": {"text": finding.message},
            "partialFingerprints": {"gitopsCoreFinding/v1": _fingerprint(finding)},
        }
        location: dict[str, Any] = {}
        # standard input and strings ("<stdin>") have no file to point at: logical location only
        if finding.source is not None and not finding.source.path.startswith("<"):
            uri, relative = _uri(finding.source.path, base_path)
            artifact: dict[str, Any] = {"uri": uri}
            if relative:
                artifact["uriBaseId"] = "SRCROOT"
            location["physicalLocation"] = {
                "artifactLocation": artifact,
                "region": {"startLine": max(1, finding.source.line)},
            }
        if finding.key is not None:
            location["logicalLocations"] = [
                {"fullyQualifiedName": str(finding.key), "kind": "resource"}
            ]
        if location:
            result["locations"] = [location]
        if finding.app:
            result["properties"] = {"application": finding.app}
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "gitops-core",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": _INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"SRCROOT": {"uri": base_path.as_uri() + "/"}},
                "results": results,
            }
        ],
    }
