"""``gitops-core manifests PATH...``: list the loaded resources."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from gitops_core.cli._common import add_output_flag, format_table, print_json
from gitops_core.manifests import ManifestSet, load_manifests

__all__ = [
    "add_load_flags",
    "load_from_args",
    "register",
    "report_problems",
    "resource_records",
    "resource_table",
    "run",
]


def register(subparsers: Any) -> None:
    """Add the ``manifests`` subcommand."""
    parser = subparsers.add_parser(
        "manifests",
        help="load manifests and list the resources",
        description="Load manifest files, directories or - (stdin) and list every resource.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="file, directory or -")
    add_load_flags(parser)
    add_output_flag(parser)
    parser.set_defaults(func=run)


def add_load_flags(parser: argparse.ArgumentParser) -> None:
    """``--namespace`` and ``--keep-going``, shared by every subcommand that loads manifests."""
    parser.add_argument(
        "-n", "--namespace", help="namespace for namespaced resources that have none"
    )
    parser.add_argument(
        "--keep-going",
        action="store_true",
        help="skip bad documents, report them on stderr and exit 2 at the end",
    )


def load_from_args(paths: list[str], args: argparse.Namespace) -> ManifestSet:
    """Load ``paths`` with the flags of :func:`add_load_flags`."""
    return load_manifests(paths, default_namespace=args.namespace, strict=not args.keep_going)


def report_problems(manifests: ManifestSet) -> int:
    """Print warnings and collected errors on stderr; 2 when there were errors, else 0."""
    for warning in manifests.warnings:
        print(f"gitops-core: warning: {warning}", file=sys.stderr)
    for error in manifests.errors:
        print(f"gitops-core: error: {error}", file=sys.stderr)
    return 2 if manifests.errors else 0


def resource_records(manifests: ManifestSet) -> list[dict[str, Any]]:
    """JSON records of the resources: key, identity and source (never the object itself)."""
    records = []
    for resource in manifests:
        source = resource.source
        records.append(
            {
                "key": str(resource.key),
                "apiVersion": resource.api_version,
                "group": resource.group,
                "kind": resource.kind,
                "namespace": resource.namespace,
                "name": resource.name or None,
                "generateName": resource.generate_name,
                "source": None
                if source is None
                else {
                    "path": source.path,
                    "document": source.document_index,
                    "line": source.line,
                    "template": source.template,
                    "item": source.item,
                },
            }
        )
    return records


def resource_table(manifests: ManifestSet) -> list[str]:
    """Text lines: a table of the resources, then a count."""
    rows = []
    for resource in manifests:
        source = resource.source
        where = f"{source.path}:{source.line}" if source else ""
        if source is not None and source.template:
            where += f" ({source.template})"
        name = resource.name or f"{resource.generate_name}*"
        rows.append([resource.api_version, resource.kind, resource.namespace, name, where])
    lines = format_table(["APIVERSION", "KIND", "NAMESPACE", "NAME", "SOURCE"], rows)
    count = len(manifests)
    lines.append(f"{count} resource{'' if count == 1 else 's'}")
    return lines


def run(args: argparse.Namespace) -> int:
    """List the resources; exit 2 when documents were skipped (``--keep-going``)."""
    manifests = load_from_args(args.paths, args)
    if args.output == "json":
        print_json(resource_records(manifests))
    else:
        for line in resource_table(manifests):
            print(line)
    return report_problems(manifests)
