"""``gitops-core health LIVE...``: the health of each live resource and of the whole set."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from gitops_core.cli._common import add_output_flag, print_json, print_table
from gitops_core.errors import UsageError
from gitops_core.health import AppHealth, aggregate_health
from gitops_core.manifests import load_manifests

__all__ = ["build_registry", "health_records", "health_rows", "register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "health",
        help="judge the health of live resources as Argo CD does",
        description=(
            "Assess every live resource (built-in checks, shipped and custom Lua checks) and "
            "aggregate them into the application's health. With --desired, desired resources "
            "without a live object are Missing."
        ),
    )
    parser.add_argument(
        "live", nargs="+", metavar="LIVE", help="live objects: file, directory or -"
    )
    parser.add_argument(
        "--customizations",
        action="append",
        default=[],
        metavar="DIR",
        help="a resource_customizations-style directory of health.lua scripts (repeatable)",
    )
    parser.add_argument(
        "--argocd-cm", metavar="FILE", help="an argocd-cm ConfigMap with health overrides"
    )
    parser.add_argument(
        "--desired",
        action="extend",
        nargs="+",
        default=[],
        metavar="DIR",
        help="the desired manifests (missing live objects count as Missing)",
    )
    parser.add_argument(
        "--generic-conditions",
        action="store_true",
        help="judge custom resources without a check by common conditions (not Argo CD)",
    )
    parser.add_argument("-n", "--namespace", help="namespace for namespaced objects without one")
    add_output_flag(parser)
    parser.set_defaults(func=run)


def build_registry(
    customizations: list[str], argocd_cm: str | None, generic_conditions: bool = False
) -> Any:
    """The health registry for the CLI flags (``None``: the default registry)."""
    if not customizations and argocd_cm is None and not generic_conditions:
        return None
    from gitops_core.health.registry import HealthRegistry

    for directory in customizations:
        if not Path(directory).is_dir():
            raise UsageError(f"--customizations {directory}: not a directory")
    if argocd_cm is None:
        return HealthRegistry(directories=customizations, generic_conditions=generic_conditions)
    # argocd-cm overrides first, then the user directories, then the shipped scripts
    registry = HealthRegistry.from_argocd_cm(argocd_cm, directories=customizations)
    if generic_conditions:
        registry.generic_conditions = True
    return registry


def health_rows(result: AppHealth) -> list[list[str]]:
    """``[key, status, message]`` per resource; ``-`` for no health, ``""`` for empty health."""
    rows = []
    for item in result.resources:
        health = item.health
        if health is None:
            status = "-"
        else:
            status = health.status.value if health.status else '""'
        note = f" ({item.reason})" if item.reason else ""
        message = (health.message if health else "") + note
        rows.append([str(item.key), status, message.strip()])
    return rows


def health_records(result: AppHealth) -> dict[str, Any]:
    """The JSON document: one record per resource (``key``, ``status``, ``message``) + aggregate."""
    resources = []
    for item in result.resources:
        health = item.health
        resources.append(
            {
                "key": str(item.key),
                "status": health.status.value if health and health.status else None,
                "message": health.message if health else None,
                "counted": item.reason is None,
                "reason": item.reason,
            }
        )
    return {
        "resources": resources,
        "aggregate": {
            "status": result.status.value,
            "message": result.message,
            "causes": [str(key) for key in result.causes],
            "error": result.error,
        },
    }


def run(args: argparse.Namespace) -> int:
    live = load_manifests(args.live, default_namespace=args.namespace)
    desired = (
        load_manifests(args.desired, default_namespace=args.namespace) if args.desired else None
    )
    registry = build_registry(args.customizations, args.argocd_cm, args.generic_conditions)
    for warning in live.warnings:
        print(f"gitops-core: warning: {warning}", file=sys.stderr)
    result = aggregate_health(live, desired, registry=registry)
    if args.output == "json":
        print_json(health_records(result))
        return 0
    print_table(["RESOURCE", "HEALTH", "MESSAGE"], health_rows(result))
    summary = f"APPLICATION HEALTH: {result.status.value}"
    if result.message:
        summary += f" ({result.message})"
    print(summary)
    if result.error:
        print(f"gitops-core: warning: {result.error}", file=sys.stderr)
    return 0
