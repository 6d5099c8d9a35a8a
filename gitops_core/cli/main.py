"""Entry point of ``gitops-core``: dispatches to one module per subcommand.

Each subcommand module defines ``register(subparsers) -> None`` that adds its parser and sets
``func`` (``(args) -> int``) as the parser default. Errors of gitops_core become one line on
stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from gitops_core import __version__
from gitops_core.errors import GitopsCoreError

__all__ = ["SUBCOMMAND_MODULES", "build_parser", "main"]

# Subcommand modules under gitops_core.cli, in the order `--help` lists them.
SUBCOMMAND_MODULES = ("run", "manifests", "diff", "plan", "health", "lua_test", "lint", "bench")


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every available subcommand."""
    parser = argparse.ArgumentParser(
        prog="gitops-core",
        description="Argo CD's GitOps engine, offline: manifests, diff, sync plan and health.",
    )
    parser.add_argument("--version", action="version", version=f"gitops-core {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMAND_MODULES:
        try:
            module = importlib.import_module(f"gitops_core.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"gitops_core.cli.{name}":
                continue  # that subcommand is not part of this build
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 findings/differences, 2 error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args))
    except GitopsCoreError as exc:
        message = " ".join(str(exc).split())  # one line, whatever the error text holds
        print(f"gitops-core: error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("gitops-core: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (`| head`): stop quietly, and keep Python's exit-time flush of
        # stdout from reporting the broken pipe again
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass  # stdout is not a real file (captured in tests): nothing will be flushed
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
