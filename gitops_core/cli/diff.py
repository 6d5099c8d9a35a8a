"""``gitops-core diff DESIRED... --live LIVE...``: compare an application like ``argocd app diff``.

Text output: one section per resource that is OutOfSync, a ``===== group/Kind namespace/name
======`` header and a unified YAML diff of live against the predicted live state. JSON output:
one record per resource (``key``, ``status``, ``modified``, ``requires_pruning``, ``changes``
with ``path``, ``before``, ``after``, ``reason``). Secret values are always masked.

Exit codes (as ``kubectl diff``): 0 in sync, 1 differences, 2 error (including a comparison
error, which makes the application Unknown).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

import attrs

from gitops_core.cli._common import print_json
from gitops_core.diff.argocd_config import load_application, load_argocd_cm
from gitops_core.diff.compare import (
    OUT_OF_SYNC,
    SYNCED,
    UNKNOWN,
    CompareOptions,
    Comparison,
    ResourceComparison,
    compare,
)
from gitops_core.diff.ignore import IgnoreDifference
from gitops_core.diff.render import render_unified
from gitops_core.errors import ArgoConfigError, IgnoreRuleError
from gitops_core.manifests import load_manifests

__all__ = ["comparison_records", "register", "render_text", "run"]

_RED, _GREEN, _CYAN, _BOLD, _RESET = "\033[31m", "\033[32m", "\033[36m", "\033[1m", "\033[0m"


def register(subparsers: Any) -> None:
    """Add the ``diff`` subcommand."""
    parser = subparsers.add_parser(
        "diff",
        help="compare desired manifests with a live snapshot as Argo CD does",
        description=(
            "Pair desired and live resources, diff them with Argo CD's rules (ignoreDifferences, "
            "known types, tracking, masking) and print the differences. Exit code 0 when in "
            "sync, 1 when there are differences, 2 on error."
        ),
    )
    parser.add_argument("desired", nargs="+", metavar="DESIRED", help="file, directory or -")
    parser.add_argument(
        "--live", nargs="+", required=True, metavar="LIVE", help="live snapshot: file or directory"
    )
    parser.add_argument("--app", metavar="APPLICATION.yaml", help="an Argo CD Application manifest")
    parser.add_argument("--argocd-cm", metavar="FILE", help="the argocd-cm ConfigMap")
    parser.add_argument(
        "--ignore-differences",
        metavar="FILE",
        help="a YAML list of ignoreDifferences entries (or a mapping with ignoreDifferences:)",
    )
    parser.add_argument("-n", "--namespace", help="destination namespace (default: the app's)")
    parser.add_argument(
        "-o", "--output", choices=("text", "json"), default="text", help="output format"
    )
    parser.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto", help="colour the diff"
    )
    parser.set_defaults(func=run)


def _ignore_file(path: str) -> list[IgnoreDifference]:
    import yaml

    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ArgoConfigError(f"cannot read: {exc.strerror}", source=path) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        raise ArgoConfigError("not valid YAML", source=path) from None
    if isinstance(data, dict) and "ignoreDifferences" in data:
        data = data["ignoreDifferences"]
    if data is None:
        return []
    if not isinstance(data, list):
        raise ArgoConfigError("expected a list of ignoreDifferences entries", source=path)
    entries = []
    for index, entry in enumerate(data):
        try:
            entries.append(IgnoreDifference.from_dict(entry, source=f"{path}[{index}]"))
        except IgnoreRuleError as exc:
            raise ArgoConfigError(exc.detail, source=f"{path}[{index}]") from None
    return entries


def build_options(args: argparse.Namespace) -> CompareOptions:
    """The comparison options from ``--app``, ``--argocd-cm``, ``--ignore-differences``, ``-n``."""
    kwargs: dict[str, Any] = {}
    if args.argocd_cm:
        kwargs.update(load_argocd_cm(args.argocd_cm).option_kwargs())
    ignores: list[IgnoreDifference] = []
    if args.app:
        app = load_application(args.app)
        app_kwargs = app.option_kwargs()
        ignores.extend(app_kwargs.pop("ignore_differences"))
        kwargs.update(app_kwargs)
    if args.ignore_differences:
        ignores.extend(_ignore_file(args.ignore_differences))
    if ignores:
        kwargs["ignore_differences"] = ignores
    if args.namespace:
        kwargs["namespace"] = args.namespace
    return CompareOptions(**kwargs)


def _colorize(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if line.startswith("====="):
            lines.append(f"{_BOLD}{line}{_RESET}")
        elif line.startswith(("+++", "---")):
            lines.append(f"{_BOLD}{line}{_RESET}")
        elif line.startswith("+"):
            lines.append(f"{_GREEN}{line}{_RESET}")
        elif line.startswith("-"):
            lines.append(f"{_RED}{line}{_RESET}")
        elif line.startswith("@@"):
            lines.append(f"{_CYAN}{line}{_RESET}")
        else:
            lines.append(line)
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")


def _title(record: ResourceComparison) -> str:
    key = record.key
    return f"{key.group}/{key.kind} {key.namespace}/{key.name}"


def render_text(comparison: Comparison, *, sensitive_annotations: Any = ()) -> str:
    """Sections like ``argocd app diff`` for every OutOfSync resource (Secrets masked)."""
    sections = []
    for record in comparison:
        if record.status != OUT_OF_SYNC or record.diff is None:
            continue
        result = record.diff
        if not result.modified:
            result = attrs.evolve(result, modified=True)  # extraneous: show live as removed
        sections.append(
            render_unified(
                result, title=_title(record), sensitive_annotations=sensitive_annotations
            )
        )
    return "".join(sections)


def comparison_records(comparison: Comparison, *, sensitive_annotations: Any = ()) -> list[Any]:
    """One JSON record per resource (masked)."""
    return [record.to_json(sensitive_annotations=sensitive_annotations) for record in comparison]


def _use_color(choice: str) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def run(args: argparse.Namespace) -> int:
    """Run the comparison; 0 in sync, 1 differences, 2 error."""
    options = build_options(args)
    desired = load_manifests(args.desired)
    # a hand-written live file may leave the namespace out: it is the destination's
    live = load_manifests(args.live, default_namespace=options.namespace or None)
    for warning in (*desired.warnings, *live.warnings):
        print(f"gitops-core: warning: {warning}", file=sys.stderr)
    comparison = compare(desired, live, options)
    for warning in comparison.warnings:
        print(f"gitops-core: warning: {warning}", file=sys.stderr)
    for record in comparison:
        for warning in record.warnings:
            print(f"gitops-core: warning: {warning}", file=sys.stderr)
        if record.error:
            print(f"gitops-core: error: {record.error}", file=sys.stderr)
    hide = options.hide_annotations
    if args.output == "json":
        print_json(comparison_records(comparison, sensitive_annotations=hide))
    else:
        text = render_text(comparison, sensitive_annotations=hide)
        sys.stdout.write(_colorize(text) if text and _use_color(args.color) else text)
    if comparison.status == UNKNOWN:
        return 2
    if comparison.status == SYNCED and not comparison.out_of_sync:
        return 0
    return 1
