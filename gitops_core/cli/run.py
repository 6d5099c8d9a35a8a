"""``gitops-core run DESIRED... --live LIVE...``: the main job, one report in sections.

The report lists the desired and the live resources, then the diff of every resource (Argo CD's
comparison, Secrets masked), the sync plan and the health of the live resources with the
application's aggregate. Each section is one function ``(RunContext) -> Section`` in
:data:`SECTIONS`; the text and JSON outputs follow that list.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

import attrs

from gitops_core.cli._common import add_output_flag, print_json
from gitops_core.cli.manifests import (
    add_load_flags,
    load_from_args,
    report_problems,
    resource_records,
    resource_table,
)
from gitops_core.manifests import ManifestSet

__all__ = [
    "SECTIONS",
    "RunContext",
    "Section",
    "desired_section",
    "diff_section",
    "health_section",
    "live_section",
    "register",
    "run",
]


@attrs.frozen
class RunContext:
    """What every section of the report can read: the loaded sets and the parsed arguments."""

    desired: ManifestSet
    live: ManifestSet
    args: argparse.Namespace


@attrs.frozen
class Section:
    """One part of the report.

    ``name`` is the JSON key and the text heading; ``lines`` is the text body; ``data`` the JSON
    value; ``exit_code`` what the section asks the command to exit with (the highest wins:
    0 nothing to report, 1 differences or findings, 2 errors).
    """

    name: str
    title: str
    lines: list[str]
    data: Any
    exit_code: int = 0


SectionFunction = Callable[[RunContext], "Section | None"]


def desired_section(context: RunContext) -> Section:
    """The desired resources, as ``gitops-core manifests`` lists them."""
    return Section(
        "desired",
        "Desired resources",
        resource_table(context.desired),
        resource_records(context.desired),
    )


def live_section(context: RunContext) -> Section:
    """The live resources, as ``gitops-core manifests`` lists them."""
    return Section(
        "live",
        "Live resources",
        resource_table(context.live),
        resource_records(context.live),
    )


def _plan_section(context: RunContext) -> Section | None:
    from gitops_core.cli.plan import plan_section

    section: Section = plan_section(context)
    return section


def diff_section(context: RunContext) -> Section:
    """Each resource's sync status and the unified diff of the OutOfSync ones (masked)."""
    from gitops_core.cli.diff import comparison_records, render_text
    from gitops_core.diff import CompareOptions, compare

    namespace = getattr(context.args, "namespace", None) or ""
    options = CompareOptions(
        namespace=namespace,
        app_name=getattr(context.args, "app_name", None),
        tracking_method=getattr(context.args, "tracking_method", None) or "annotation",
    )
    comparison = compare(context.desired, context.live, options)
    lines = [
        f"{record.status or '-':<10} {record.key}"
        + ("  (requires pruning)" if record.requires_pruning else "")
        for record in comparison
        if not record.excluded
    ]
    lines.append(f"application: {comparison.status}")
    text = render_text(comparison)
    if text:
        lines.append("")
        lines.extend(text.rstrip("\n").split("\n"))
    return Section(
        "diff",
        "Diff",
        lines,
        {"status": comparison.status, "resources": comparison_records(comparison)},
        0 if comparison.status == "Synced" else 1,
    )


def health_section(context: RunContext) -> Section:
    """The health of every live resource and the application's aggregate."""
    from gitops_core.cli.health import health_records, health_rows
    from gitops_core.health import aggregate_health

    result = aggregate_health(context.live, context.desired)
    lines = [
        f"{status:<12} {key}" + (f"  {message}" if message else "")
        for key, status, message in health_rows(result)
    ]
    summary = f"application: {result.status.value}"
    if result.message:
        summary += f" ({result.message})"
    lines.append(summary)
    return Section("health", "Health", lines, health_records(result))


SECTIONS: list[SectionFunction] = [
    desired_section,
    live_section,
    diff_section,
    _plan_section,
    health_section,
]
"""The report's sections in order; a section function may return None to be left out."""


def register(subparsers: Any) -> None:
    """Add the ``run`` subcommand."""
    parser = subparsers.add_parser(
        "run",
        help="load desired and live manifests and report on them",
        description=(
            "The main job: load the desired manifests (files, directories or -) and a live "
            "snapshot (kubectl get -o yaml output), then report on them section by section."
        ),
    )
    parser.add_argument("desired", nargs="+", metavar="DESIRED", help="file, directory or -")
    parser.add_argument(
        "--live",
        nargs="+",
        default=[],
        metavar="LIVE",
        help="live snapshot: file, directory or - (default: nothing is live)",
    )
    add_load_flags(parser)
    parser.add_argument(
        "--app-name",
        help="the Argo CD application's name (its tracking label or annotation is expected live)",
    )
    parser.add_argument(
        "--tracking-method",
        choices=("annotation", "label", "annotation+label"),
        default="annotation",
        help="Argo CD's application.resourceTrackingMethod (default: annotation)",
    )
    add_output_flag(parser)
    parser.set_defaults(func=run)


def build_report(context: RunContext) -> list[Section]:
    """Every section of :data:`SECTIONS` that has something to say, in order."""
    sections = []
    for function in SECTIONS:
        section = function(context)
        if section is not None:
            sections.append(section)
    return sections


def run(args: argparse.Namespace) -> int:
    """Load both sets, print every section; exit with the highest section exit code."""
    if args.desired.count("-") + args.live.count("-") > 1:
        from gitops_core.errors import UsageError

        raise UsageError("standard input (-) can be read only once")
    desired = load_from_args(args.desired, args)
    live = load_from_args(args.live, args) if args.live else ManifestSet(())
    sections = build_report(RunContext(desired, live, args))
    if args.output == "json":
        print_json({section.name: section.data for section in sections})
    else:
        for number, section in enumerate(sections):
            if number:
                sys.stdout.write("\n")
            sys.stdout.write(f"== {section.title} ==\n")
            for line in section.lines:
                sys.stdout.write(line + "\n")
    problems = max(report_problems(desired), report_problems(live))
    return max([problems, *(section.exit_code for section in sections)])
