"""``gitops-core lua-test DIR...``: run Argo CD ``health_test.yaml`` files against their scripts.

Exit codes: 0 every case passed, 1 a case failed, 2 bad input (no test file, unreadable YAML,
missing input file).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from gitops_core.cli._common import add_output_flag, print_json
from gitops_core.health.luatest import LuaTestCase, LuaTestReport, run_lua_tests

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``lua-test`` subcommand."""
    parser = subparsers.add_parser(
        "lua-test",
        help="run Argo CD health_test.yaml cases against Lua health scripts",
        description=(
            "Run every health_test.yaml under the directories (Argo CD's resource_customizations "
            "layout: <group>/<kind>/health.lua, health_test.yaml, testdata/). Each case's object "
            "picks its script by apiVersion/kind; status and message must match exactly."
        ),
    )
    parser.add_argument("dirs", nargs="+", metavar="DIR", help="a tree, group or kind folder")
    add_output_flag(parser)
    parser.add_argument(
        "--with-shipped",
        action="store_true",
        help="also look up scripts shipped with gitops-core when DIR has none for a kind",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="list passing cases too (text output)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the cases and print them; returns the exit code."""
    report = run_lua_tests(args.dirs, include_shipped=args.with_shipped)
    if args.output == "json":
        print_json([case.to_json() for case in report.cases])
    else:
        _print_text(report, verbose=args.verbose)
    return 0 if report.ok else 1


def _color(text: str, code: str) -> str:
    if sys.stdout.isatty() and "NO_COLOR" not in os.environ:
        return f"\x1b[{code}m{text}\x1b[0m"
    return text


def _case_name(case: LuaTestCase) -> str:
    return f"{case.dir}/{case.input}"


def _quote(text: str | None) -> str:
    if text is None:
        return "(none)"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _first_difference(expected: str, actual: str) -> int:
    for index, (a, b) in enumerate(zip(expected, actual, strict=False)):
        if a != b:
            return index
    return min(len(expected), len(actual))


def _print_failure(case: LuaTestCase) -> None:
    out = sys.stdout
    out.write(f"{_color('FAIL', '31;1')} {_case_name(case)}\n")
    if case.script:
        out.write(f"  script:   {case.script}\n")
    if case.error is not None and case.actual_status is None:
        out.write(f"  error:    {case.error}\n")
        out.write(
            f"  expected: {case.expected_status or '(empty)'} {_quote(case.expected_message)}\n"
        )
        return
    if case.error is not None:
        out.write(f"  error:    {case.error}\n")
    if case.actual_status != case.expected_status:
        out.write(
            f"  status:   expected {case.expected_status or '(empty)'}, "
            f"got {case.actual_status or '(empty)'}\n"
        )
    else:
        out.write(f"  status:   {case.actual_status or '(empty)'} (as expected)\n")
    actual_message = case.actual_message or ""
    if actual_message != case.expected_message:
        expected_text = _quote(case.expected_message)
        actual_text = _quote(actual_message)
        out.write(f"  message:  expected {expected_text}\n")
        out.write(f"            got      {actual_text}\n")
        index = _first_difference(case.expected_message, actual_message)
        caret = 21 + len(_quote(actual_message[:index])) - 1
        out.write(" " * caret + _color("^", "33") + f" first difference at character {index + 1}\n")


def _print_text(report: LuaTestReport, *, verbose: bool) -> None:
    for case in report.cases:
        if case.passed:
            if verbose:
                sys.stdout.write(f"{_color('ok', '32')}   {_case_name(case)}\n")
        else:
            _print_failure(case)
    failed = len(report.failures)
    passed = len(report.cases) - failed
    summary = (
        f"{passed} passed, {failed} failed ({len(report.cases)} cases in {report.files} "
        f"test file{'s' if report.files != 1 else ''})"
    )
    sys.stdout.write(_color(summary, "31" if failed else "32") + "\n")
