"""``gitops-core plan ... --simulate``: run the sync step by step and print the step log."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import yaml

from gitops_core.cli._common import print_json
from gitops_core.errors import UsageError
from gitops_core.manifests import ManifestSet
from gitops_core.sync import SyncOptions
from gitops_core.sync.simulate import SimCluster, SimulationResult, simulate_sync

__all__ = ["add_simulate_arguments", "cluster_from_file", "run_simulation", "simulation_lines"]

_CLUSTER_KEYS = ("health", "apply_errors", "dry_run_errors", "delete_errors", "deletion_steps")


def add_simulate_arguments(parser: argparse.ArgumentParser) -> None:
    """``--simulate``, ``--health FILE`` and ``--max-steps N``."""
    parser.add_argument(
        "--simulate",
        action="store_true",
        help="run the sync step by step on an in-memory cluster and print the step log",
    )
    parser.add_argument(
        "--health",
        metavar="FILE",
        help=(
            "with --simulate: YAML mapping of resource key (group/Kind/namespace/name) to the "
            "health answers of its checks, e.g. [Progressing, Healthy]; may also hold "
            "apply_errors, dry_run_errors, delete_errors (key: message) and deletion_steps"
        ),
    )
    parser.add_argument(
        "--max-steps", type=int, default=50, metavar="N", help="with --simulate: step limit"
    )


def cluster_from_file(path: str | None, live: ManifestSet) -> SimCluster:
    """The simulated cluster: the live snapshot plus the scripted answers of ``path``."""
    if path is None:
        return SimCluster(objects=live)
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise UsageError(f"{path}: not valid YAML ({exc})") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise UsageError(f"{path}: expected a mapping of resource key to health answers")
    if not any(key in data for key in _CLUSTER_KEYS):
        data = {"health": data}
    unknown = sorted(set(data) - set(_CLUSTER_KEYS))
    if unknown:
        raise UsageError(f"{path}: unknown keys {', '.join(unknown)}")
    health = data.get("health") or {}
    if not isinstance(health, dict):
        raise UsageError(f"{path}: health must be a mapping of resource key to answers")
    answers: dict[str, list[Any]] = {}
    for key, value in health.items():
        answers[str(key)] = list(value) if isinstance(value, list) else [value]
    try:
        return SimCluster(
            objects=live,
            health=answers,
            apply_errors=data.get("apply_errors") or {},
            dry_run_errors=data.get("dry_run_errors") or {},
            delete_errors=data.get("delete_errors") or {},
            deletion_steps=int(data.get("deletion_steps") or 0),
        )
    except (TypeError, ValueError) as exc:
        raise UsageError(f"{path}: {exc}") from None


def simulation_lines(result: SimulationResult) -> list[str]:
    """The text step log: each step's events, then its operation phase and message."""
    lines: list[str] = []
    for step in result.steps:
        lines.append(f"step {step.step}: {step.phase}: {step.message}")
        lines.extend(f"    {event}" for event in step.events)
    lines.append("results:")
    for outcome in result.results:
        lines.append(
            f"  {outcome.order:>3}  {outcome.phase:<8} {outcome.key}  {outcome.code}"
            f"  {outcome.operation_phase or '-'}  {outcome.message}"
        )
    return lines


def run_simulation(
    desired: ManifestSet, live: ManifestSet, options: SyncOptions, args: argparse.Namespace
) -> int:
    """Simulate and print; exit 0 when the operation Succeeded, 1 otherwise."""
    cluster = cluster_from_file(args.health, live)
    if args.max_steps < 1:
        raise UsageError("--max-steps must be at least 1")
    result = simulate_sync(desired, cluster, options, max_steps=args.max_steps)
    if args.output == "json":
        print_json(result.to_record())
    else:
        sys.stdout.write("".join(line + "\n" for line in simulation_lines(result)))
    return 0 if result.phase == "Succeeded" else 1
