"""``gitops-core manifests PATH...``: list the loaded resources."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from gitops_core.cli._common import add_output_flag, print_json, print_table
from gitops_core.manifests import ManifestSet, load_manifests

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "manifests",
        help="load manifests and list the resources",
        description="Load manifest files, directories or - (stdin) and list every resource.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="file, directory or -")
    parser.add_argument("-n", "--namespace", help="namespace for namespaced resources without one")
    parser.add_argument(
        "--keep-going",
        action="store_true",
        help="skip bad documents, report them on stderr and exit 2 at the end",
    )
    add_output_flag(parser)
    parser.set_defaults(func=run)


def resource_records(manifests: ManifestSet) -> list[dict[str, Any]]:
    """JSON records of the resources: key, identity and source."""
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


def run(args: argparse.Namespace) -> int:
    manifests = load_manifests(
        args.paths, default_namespace=args.namespace, strict=not args.keep_going
    )
    for warning in manifests.warnings:
        print(f"gitops-core: warning: {warning}", file=sys.stderr)
    if args.output == "json":
        print_json(resource_records(manifests))
    else:
        rows = []
        for resource in manifests:
            source = resource.source
            where = f"{source.path}:{source.line}" if source else ""
            name = resource.name or f"{resource.generate_name}*"
            rows.append([resource.api_version, resource.kind, resource.namespace, name, where])
        print_table(["APIVERSION", "KIND", "NAMESPACE", "NAME", "SOURCE"], rows)
        print(f"{len(manifests)} resources")
    for error in manifests.errors:
        print(f"gitops-core: error: {error}", file=sys.stderr)
    return 2 if manifests.errors else 0
