"""``gitops-core plan DESIRED... [--live LIVE...]``: the ordered sync tasks, Argo CD's way.

Text output groups the tasks by phase and wave, with each task's action and the reason it sits
where it sits; ``--output json`` prints a list of task records. Exit code 0 for a valid plan,
1 when the plan is invalid (Argo CD would fail the operation), 2 on bad input.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from gitops_core.cli._common import add_output_flag, print_json
from gitops_core.errors import UsageError
from gitops_core.manifests import ManifestSet, load_manifests
from gitops_core.sync import SyncOptions, SyncPlan, plan_sync

__all__ = [
    "JSON_FIELDS",
    "add_plan_arguments",
    "inputs_from_args",
    "plan_from_args",
    "plan_lines",
    "plan_records",
    "plan_section",
    "print_plan",
    "register",
    "run",
]

JSON_FIELDS = ("phase", "wave", "kind", "group", "namespace", "name", "action", "hook", "reason")
"""The fields of each task record printed by ``--output json``."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "plan",
        help="plan the sync: phases, waves, kind order, hooks and pruning",
        description=(
            "Plan how Argo CD would sync DESIRED manifests against a LIVE snapshot: every task "
            "in execution order, grouped by phase and wave, with the reason for its position."
        ),
    )
    add_plan_arguments(parser)
    add_output_flag(parser)
    from gitops_core.cli._simulate_output import add_simulate_arguments

    add_simulate_arguments(parser)
    parser.set_defaults(func=run)


def add_plan_arguments(parser: argparse.ArgumentParser) -> None:
    """The inputs and options of a plan (shared with commands that plan first)."""
    parser.add_argument("desired", nargs="+", metavar="DESIRED", help="file, directory or -")
    parser.add_argument(
        "--live",
        action="extend",
        nargs="+",
        default=[],
        metavar="LIVE",
        help="live snapshot files or directories (for example kubectl get -o yaml output)",
    )
    parser.add_argument("-n", "--namespace", default="", help="the app's destination namespace")
    parser.add_argument(
        "--sync-option",
        action="append",
        default=[],
        metavar="OPT",
        help="an app-level sync option such as CreateNamespace=true (repeatable)",
    )
    parser.add_argument(
        "--prune", action="store_true", help="allow pruning (without it prunes are skipped)"
    )
    parser.add_argument("--force", action="store_true", help="the force sync strategy")
    parser.add_argument("--skip-hooks", action="store_true", help="run no hooks")
    parser.add_argument(
        "--resource",
        action="append",
        default=None,
        metavar="KEY",
        help="selective sync: group/kind/namespace/name (empty namespace: any); repeatable",
    )
    parser.add_argument(
        "--api-resource",
        action="append",
        default=[],
        metavar="GROUP/KIND",
        help=(
            "a kind the cluster serves besides the built-ins and the live CRDs, e.g. "
            "monitoring.coreos.com/ServiceMonitor; append :cluster for cluster-scoped (repeatable)"
        ),
    )
    parser.add_argument("--revision", default="", help="sync revision (names generated hooks)")
    parser.add_argument(
        "--started-at",
        type=int,
        default=0,
        metavar="SECONDS",
        help="operation start in unix seconds (names generated hooks)",
    )


def plan_from_args(args: argparse.Namespace) -> SyncPlan:
    """Load the inputs named by ``args`` and plan the sync."""
    return plan_sync(*inputs_from_args(args))


def inputs_from_args(args: argparse.Namespace) -> tuple[ManifestSet, ManifestSet, SyncOptions]:
    """Load the desired and live sets named by ``args`` and build the sync options."""
    desired = load_manifests(args.desired)
    live = load_manifests(args.live) if args.live else ManifestSet(())
    options = SyncOptions.from_sync_options(
        args.sync_option,
        namespace=args.namespace,
        prune=args.prune,
        force=args.force,
        skip_hooks=args.skip_hooks,
        resources_filter=args.resource,
        revision=args.revision,
        started_at=args.started_at,
        extra_api_resources=_api_resources(args.api_resource),
    )
    for item in options.unknown_sync_options():
        print(f"gitops-core: warning: unknown sync option {item!r} does nothing", file=sys.stderr)
    return desired, live, options


def _api_resources(items: list[str]) -> dict[tuple[str, str], bool] | None:
    table: dict[tuple[str, str], bool] = {}
    for item in items:
        text, _, scope = item.partition(":")
        group, _, kind = text.rpartition("/")
        if not kind or scope not in ("", "cluster", "namespaced"):
            raise UsageError(f"--api-resource {item!r}: expected GROUP/KIND[:cluster]")
        table[(group, kind)] = scope != "cluster"
    return table or None


def plan_lines(plan: SyncPlan) -> list[str]:
    """The text form of a plan: tasks grouped by phase and wave, then what got no task."""
    lines: list[str] = []
    phase = None
    for task_phase, wave, tasks in plan.by_wave():
        if task_phase != phase:
            phase = task_phase
            lines.append(phase)
        lines.append(f"  wave {wave}")
        width = max(len(task.action) for task in tasks)
        key_width = max(len(str(task.key)) for task in tasks)
        for task in tasks:
            lines.append(
                f"    {task.action.ljust(width)}  {str(task.key).ljust(key_width)}  {task.reason}"
            )
    for skipped in plan.skipped:
        lines.append(f"no task: {skipped.key}: {skipped.reason}")
    waves = len(plan.by_wave())
    lines.append(f"{len(plan)} tasks in {waves} step{'s' if waves != 1 else ''}")
    if not plan.valid:
        lines.append(plan.message)
    return lines


def plan_records(plan: SyncPlan) -> list[dict[str, Any]]:
    """The JSON form of a plan: one record per task with :data:`JSON_FIELDS`."""
    return [{field: task.to_record()[field] for field in JSON_FIELDS} for task in plan]


def print_plan(plan: SyncPlan, output: str) -> None:
    """Print the plan as text (grouped by phase and wave) or as JSON task records."""
    if output == "json":
        print_json(plan_records(plan))
        return
    lines = plan_lines(plan)
    if not plan.valid:
        lines.pop()  # the message goes to stderr
    sys.stdout.write("".join(line + "\n" for line in lines))


def plan_section(context: Any) -> Any:
    """The sync plan section of ``gitops-core run`` (a sync without prune, as Argo CD's default)."""
    from gitops_core.cli.run import Section

    namespace = getattr(context.args, "namespace", None) or ""
    plan = plan_sync(context.desired, context.live, SyncOptions(namespace=namespace))
    return Section(
        "plan", "Sync plan", plan_lines(plan), plan_records(plan), 0 if plan.valid else 1
    )


def run(args: argparse.Namespace) -> int:
    if getattr(args, "simulate", False):
        from gitops_core.cli._simulate_output import run_simulation

        return run_simulation(*inputs_from_args(args), args)
    plan = plan_from_args(args)
    for warning in plan.warnings:
        print(f"gitops-core: warning: {warning}", file=sys.stderr)
    # The simulator adds ``--simulate`` here: it runs this plan and prints the step log instead.
    print_plan(plan, args.output)
    if not plan.valid:
        print(f"gitops-core: {plan.message}", file=sys.stderr)
        return 1
    return 0
