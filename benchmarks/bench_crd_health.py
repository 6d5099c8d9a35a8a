"""Benchmark: the shipped custom-resource Lua checks against a built-in Python check, per object.

Run: ``PYTHONPATH=. python benchmarks/bench_crd_health.py [--count 100000]``

- ``shipped Lua``: µs per object for ``assess_health`` with the default registry over the real
  custom-resource objects of ``../shared/crd-health`` (all 59 group/kinds, cycled to ``--count``
  objects; the deletion rule is skipped for them so every object runs its script);
- ``built-in``: µs per object for ``builtin_health`` over generated live Deployments
  (``gitops_core.bench.generate``), the most common built-in check;
- the ratio of the two, and per group/kind the slowest shipped scripts.

When ``../shared`` is missing, a small set of inline custom resources is used instead.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from gitops_core.bench.generate import generate
from gitops_core.health import assess_health, builtin_health, default_registry
from gitops_core.manifests._yaml import iter_yaml_documents

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "crd-health"

_INLINE = [
    {
        "apiVersion": "cert-manager.io/v1",
        "kind": "Certificate",
        "metadata": {"name": "c", "namespace": "default", "generation": 1},
        "status": {"conditions": [{"type": "Ready", "status": "True", "message": "ok"}]},
    },
    {
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
        "kind": "Kustomization",
        "metadata": {"name": "k", "namespace": "flux-system", "generation": 2},
        "spec": {"interval": "10m"},
        "status": {
            "observedGeneration": 2,
            "conditions": [{"type": "Ready", "status": "True", "reason": "Succeeded"}],
        },
    },
]


def _shared_objects() -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for test_file in sorted(SHARED.glob("*/*/health_test.yaml")):
        for case in yaml.safe_load(test_file.read_text())["tests"]:
            case = {key.lower(): value for key, value in case.items()}
            path = test_file.parent / case["inputpath"]
            docs = iter_yaml_documents(path.read_text(), path=str(path), max_document_bytes=10**7)
            obj = next(docs).value
            metadata = dict(obj.get("metadata") or {})
            metadata.pop("deletionTimestamp", None)  # measure the script, not the deletion rule
            objects.append({**obj, "metadata": metadata})
    return objects


def _time(function: Callable[[dict[str, Any]], object], objects: list[dict[str, Any]]) -> float:
    """Best of three, µs per object."""
    best = float("inf")
    for _ in range(3):
        gc.collect()
        start = time.perf_counter()
        for obj in objects:
            function(obj)
        best = min(best, time.perf_counter() - start)
    return best / len(objects) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()

    corpus = _shared_objects() if SHARED.is_dir() else _INLINE
    registry = default_registry()
    for obj in corpus:  # every object has a shipped check
        assert assess_health(obj, registry) is not None, obj.get("kind")
    customs = [corpus[i % len(corpus)] for i in range(args.count)]
    pool = [
        o for o in generate(max(50, args.count // 400), seed=7).live if o["kind"] == "Deployment"
    ]
    deployments = [pool[i % len(pool)] for i in range(args.count)]

    lua_us = _time(lambda obj: assess_health(obj, registry), customs)
    builtin_us = _time(builtin_health, deployments)
    print(f"objects: {args.count} ({len(corpus)} distinct custom resources)")
    print(f"{'shipped Lua µs':>15}  {'built-in µs':>11}  {'Lua/built-in':>12}")
    print(f"{lua_us:>15.2f}  {builtin_us:>11.2f}  {lua_us / builtin_us:>12.2f}")

    per_kind: dict[str, list[dict[str, Any]]] = {}
    for obj in corpus:
        per_kind.setdefault(f"{obj['apiVersion'].rsplit('/', 1)[0]}/{obj['kind']}", []).append(obj)
    costs = sorted(
        (
            (_time(lambda o: assess_health(o, registry), objs * 200), key)
            for key, objs in per_kind.items()
        ),
        reverse=True,
    )
    print("slowest shipped checks (µs per object):")
    for cost, key in costs[:5]:
        print(f"  {cost:8.2f}  {key}")


if __name__ == "__main__":
    main()
