"""The ``gitops-core`` command line; one module per subcommand."""

from __future__ import annotations

__all__ = ["main"]

from gitops_core.cli.main import main
