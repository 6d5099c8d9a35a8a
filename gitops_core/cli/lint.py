"""``gitops-core lint PATH... [--live LIVE...]``: policy checks over manifests, Argo CD's traps first.

Exit code 0 when no finding is at or above ``--fail-on`` (default ``error``), 1 when one is,
2 on bad input (unreadable manifests, unknown check codes, a policy module that fails).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from gitops_core.cli._common import add_output_flag, print_json, print_table
from gitops_core.errors import UsageError
from gitops_core.manifests import load_manifests
from gitops_core.policy import (
    PolicyContext,
    PolicyReport,
    Severity,
    default_registry,
    load_entry_points,
    load_policy_module,
    run_policies,
)

__all__ = ["register", "report_lines", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "lint",
        help="policy checks: Argo CD's silent traps and your own rules",
        description=(
            "Run the built-in checks (GC001...), installed policy modules and --policy modules "
            "over the manifests under PATH (one application; --each: one per PATH)."
        ),
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="file, directory or -")
    parser.add_argument(
        "--live", action="extend", nargs="+", default=[], metavar="LIVE",
        help="live snapshot files or directories",
    )  # fmt: skip
    parser.add_argument(
        "--policy", action="append", default=[], metavar="MODULE",
        help="import a policy module (dotted name or .py file) whose @check functions run too",
    )  # fmt: skip
    parser.add_argument(
        "--select", action="append", default=None, metavar="CODE",
        help="run only these checks (repeatable; CODE* matches a prefix)",
    )  # fmt: skip
    parser.add_argument(
        "--disable", action="append", default=[], metavar="CODE",
        help="do not run this check (repeatable; CODE* matches a prefix)",
    )  # fmt: skip
    parser.add_argument(
        "--fail-on", choices=("error", "warning", "info"), default="error",
        help="exit 1 when a finding is at or above this severity (default: error)",
    )  # fmt: skip
    parser.add_argument("--namespace", default="", help="the destination namespace")
    parser.add_argument(
        "--argocd-cm", metavar="FILE", help="argocd-cm ConfigMap whose Lua overrides to check"
    )
    parser.add_argument(
        "--known-kind", action="append", default=[], metavar="GROUP/KIND",
        help="a kind the cluster serves (a CRD installed elsewhere); repeatable",
    )  # fmt: skip
    parser.add_argument(
        "--each", action="store_true", help="treat every PATH as its own application"
    )
    parser.add_argument(
        "--no-entry-points", action="store_true",
        help="do not load installed policy modules (entry point group gitops_core.policies)",
    )  # fmt: skip
    parser.add_argument(
        "--base", metavar="DIR", help="directory SARIF URIs are relative to (default: cwd)"
    )
    parser.add_argument("--list-checks", action="store_true", help="list the checks and exit")
    add_output_flag(parser, "sarif")
    parser.set_defaults(func=run)


def _known_kind(text: str) -> tuple[str, str]:
    group, slash, kind = text.rpartition("/")
    if not slash or not kind:
        raise UsageError(f"--known-kind takes GROUP/KIND (core: /KIND), not {text!r}")
    return group, kind


def _argocd_cm(path: str) -> dict[str, Any]:
    loaded = load_manifests(path)
    configmaps = [r for r in loaded if r.key.group == "" and r.key.kind == "ConfigMap"]
    named = [r for r in configmaps if r.key.name == "argocd-cm"]
    chosen = named or configmaps
    if len(chosen) != 1:
        raise UsageError(f"{path}: expected one argocd-cm ConfigMap, found {len(chosen)}")
    data = chosen[0].object.get("data") or {}
    if not isinstance(data, dict):
        raise UsageError(f"{path}: argocd-cm data is not a map")
    return data


def report_lines(report: PolicyReport) -> list[str]:
    """The text output: one line per finding, then a summary line."""
    lines = [str(finding) for finding in report.findings]
    counts = report.counts()
    lines.append(
        f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info "
        f"({len(report.checks)} checks)"
    )
    return lines


def run(args: argparse.Namespace) -> int:
    for module in args.policy:
        load_policy_module(module)
    if not args.no_entry_points:
        load_entry_points()
    if args.list_checks:
        rows = [[c.code, str(c.severity), c.name, c.summary] for c in default_registry()]
        if args.output == "json":
            print_json(
                [dict(zip(("code", "severity", "name", "summary"), r, strict=True)) for r in rows]
            )
        else:
            print_table(["CODE", "SEVERITY", "NAME", "SUMMARY"], rows)
        return 0
    if not args.paths:
        raise UsageError("lint needs at least one PATH (or --list-checks)")
    options: dict[str, Any] = {
        "namespace": args.namespace,
        "cluster_kinds": [_known_kind(k) for k in args.known_kind],
        "argocd_cm": _argocd_cm(args.argocd_cm) if args.argocd_cm else None,
    }
    live = args.live or None
    if args.each:
        contexts = [
            PolicyContext.from_paths(path, live=live, name=path, **options) for path in args.paths
        ]
    else:
        contexts = [PolicyContext.from_paths(args.paths, live=live, **options)]
    report = run_policies(contexts, select=args.select, disable=args.disable, entry_points=False)
    if args.output == "json":
        print_json(report.to_json())
    elif args.output == "sarif":
        from gitops_core.policy.sarif import to_sarif

        json.dump(to_sarif(report, base=args.base), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for line in report_lines(report):
            sys.stdout.write(line + "\n")
    return 1 if report.failed(Severity.parse(args.fail_on)) else 0
