"""Benchmark of the built-in health checks over 10,000 and 100,000 live objects.

Run: ``PYTHONPATH=. python benchmarks/bench_health.py [--sizes 10000 100000]``

The live objects come from ``gitops_core.bench.generate`` (realistic API-server snapshots of
Deployments, StatefulSets, Services, Ingresses, HPAs, ConfigMaps, Secrets, RBAC, custom
resources) plus Pods, ReplicaSets, DaemonSets, Jobs and PVCs derived from them, so that every
built-in check runs. Reported:

- µs per object for ``builtin_health`` over the whole mix (kinds without a check included) and
  over the objects that have a built-in check only (the figure to compare a Lua check with);
- µs per object for ``aggregate_health`` (pairing, hooks, annotations, causes) without Lua;
- the growth ratio per object from the small size to the large one (1.0 = perfectly linear).
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable
from typing import Any

from gitops_core.bench.generate import generate
from gitops_core.health import aggregate_health, builtin_health
from gitops_core.health.builtin import has_builtin_check
from gitops_core.manifests import ManifestSet


class _NoOverrides:
    """A registry without Lua scripts: built-in checks only."""

    generic_conditions = False

    def find_override(self, group: str, kind: str) -> None:
        return None


def _extra(workload: dict[str, Any], index: int) -> list[dict[str, Any]]:
    """Pods, a ReplicaSet, a DaemonSet, a Job and a PVC next to a generated Deployment."""
    meta = workload["metadata"]
    namespace = meta.get("namespace", "default")
    name = meta["name"]
    ready = index % 7 != 0
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": f"{name}-{index}", "namespace": namespace, "uid": f"p-{index}"},
        "spec": {"restartPolicy": "Always", "containers": [{"name": "main", "image": "nginx"}]},
        "status": {
            "phase": "Running",
            "conditions": [
                {"type": "Initialized", "status": "True"},
                {"type": "Ready", "status": "True" if ready else "False"},
            ],
            "containerStatuses": [
                {
                    "name": "main",
                    "ready": ready,
                    "restartCount": 0 if ready else 4,
                    "state": {"running": {"startedAt": "2026-01-15T10:00:00Z"}}
                    if ready
                    else {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off"}},
                }
            ],
        },
    }
    replica_set = {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": f"{name}-rs", "namespace": namespace, "generation": 1},
        "spec": {"replicas": 2},
        "status": {"observedGeneration": 1, "replicas": 2, "availableReplicas": 2},
    }
    daemon_set = {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": f"{name}-agent", "namespace": namespace, "generation": 2},
        "spec": {"updateStrategy": {"type": "RollingUpdate"}},
        "status": {
            "observedGeneration": 2,
            "desiredNumberScheduled": 3,
            "updatedNumberScheduled": 3,
            "numberAvailable": 3 if ready else 2,
        },
    }
    job = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": f"{name}-job", "namespace": namespace},
        "status": {"conditions": [{"type": "Complete", "status": "True"}]},
    }
    claim = {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": f"{name}-data", "namespace": namespace},
        "status": {"phase": "Bound"},
    }
    return [pod, replica_set, daemon_set, job, claim]


def live_objects(size: int) -> list[dict[str, Any]]:
    """About ``size`` live objects of a realistic mix of kinds."""
    generated = generate(int(size * 0.8), seed=1)
    objects = list(generated.live)
    index = 0
    for obj in generated.live:
        if len(objects) >= size:
            break
        if obj["kind"] == "Deployment":
            objects.extend(_extra(obj, index))
            index += 1
    while len(objects) < size:  # top up with more derived objects if the mix ran short
        objects.extend(
            _extra(objects[index % len(objects)] | {"metadata": {"name": f"x{index}"}}, index)
        )
        index += 1
    return objects[:size]


def _best(run: Callable[[], object], repeat: int) -> float:
    """Best CPU time of ``repeat`` runs (CPU time: the machine may be shared), GC paused."""
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(repeat):
            start = time.process_time()
            run()
            best = min(best, time.process_time() - start)
    finally:
        gc.enable()
    return best


def measure(size: int, repeat: int) -> dict[str, float]:
    """Seconds per object for the built-in checks and the aggregation at ``size`` objects."""
    objects = live_objects(size)
    checked = [
        obj
        for obj in objects
        if has_builtin_check(obj["apiVersion"].rpartition("/")[0], obj["kind"])
    ]
    manifests = ManifestSet.from_objects(objects)
    registry = _NoOverrides()

    def all_objects() -> None:
        for obj in objects:
            builtin_health(obj)

    def checked_only() -> None:
        for obj in checked:
            builtin_health(obj)

    return {
        "objects": len(objects),
        "checked": len(checked),
        "mix": _best(all_objects, repeat) / len(objects),
        "builtin": _best(checked_only, repeat) / len(checked),
        "aggregate": _best(lambda: aggregate_health(manifests, registry=registry), repeat)
        / len(objects),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    small, large = (measure(size, args.repeat) for size in args.sizes)
    for row in (small, large):
        print(
            f"{row['objects']:>7} objects ({row['checked']} with a built-in check): "
            f"builtin_health {row['builtin'] * 1e6:.2f} µs/object (checked kinds), "
            f"{row['mix'] * 1e6:.2f} µs/object (whole mix); "
            f"aggregate_health {row['aggregate'] * 1e6:.2f} µs/object"
        )
    for label in ("builtin", "mix", "aggregate"):
        print(
            f"growth per object {args.sizes[0]} -> {args.sizes[1]} ({label}): "
            f"{large[label] / small[label]:.2f}x (1.00 = linear)"
        )


if __name__ == "__main__":
    main()
