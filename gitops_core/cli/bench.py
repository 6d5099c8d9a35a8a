"""``gitops-core bench``: the staged benchmark runner (see :mod:`gitops_core.bench.runner`)."""

from __future__ import annotations

import argparse
from typing import Any

from gitops_core.bench.runner import add_arguments, run_from_args
from gitops_core.cli._common import add_output_flag

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``bench`` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "bench",
        help="benchmark every stage against its floor (load, diff, plan, health)",
        description=(
            "Generate realistic manifest sets and live snapshots, time each stage and the "
            "floors (C-loader YAML parse, json.loads, sorted()), print per-object microseconds, "
            "ratios, peak memory and scaling slopes."
        ),
    )
    add_output_flag(parser)
    add_arguments(parser)
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    return run_from_args(args)
