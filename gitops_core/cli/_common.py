"""Helpers shared by the subcommands: output format flags and JSON printing."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

__all__ = ["add_output_flag", "format_table", "print_json", "print_table"]


def add_output_flag(parser: argparse.ArgumentParser, *choices: str) -> None:
    """Add ``--output/-o`` with ``text`` first (the default) and ``json``, plus ``choices``."""
    parser.add_argument(
        "-o",
        "--output",
        choices=("text", "json", *choices),
        default="text",
        help="output format (default: text)",
    )


def print_json(value: Any) -> None:
    """Print ``value`` as indented JSON with a trailing newline."""
    json.dump(value, sys.stdout, indent=2, sort_keys=False)
    sys.stdout.write("\n")


def format_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    """Rows as left-aligned text table lines (header first), without trailing spaces."""
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    return [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip()
        for row in [headers, *rows]
    ]


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    """Print rows as a left-aligned text table."""
    for line in format_table(headers, rows):
        sys.stdout.write(line + "\n")
