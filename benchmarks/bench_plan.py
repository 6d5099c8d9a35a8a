"""Benchmark of plan_sync: 100,000 resources across 20 waves, 5% hooks and 5% prunes.

Prints the planning CPU time (process time: other processes do not skew it) as a ratio of a baseline: a bare ``sorted()`` of as many 7-tuples
(phase, wave, kind rank, name, namespace, group, index) plus one pass over the objects.
The target is a ratio below 3. Run: ``PYTHONPATH=. python benchmarks/bench_plan.py [N]``.
"""

from __future__ import annotations

import random
import sys
import time
from typing import Any

from gitops_core.manifests import ManifestSet
from gitops_core.sync import SyncOptions, plan_sync

KINDS = (
    ("apps/v1", "Deployment"),
    ("v1", "Service"),
    ("v1", "ConfigMap"),
    ("v1", "Secret"),
    ("batch/v1", "CronJob"),
    ("example.com/v1", "Widget"),
)


def _object(index: int, rng: random.Random, hook: bool) -> dict[str, Any]:
    api_version, kind = ("batch/v1", "Job") if hook else KINDS[index % len(KINDS)]
    annotations = {"argocd.argoproj.io/sync-wave": str(rng.randrange(20))}
    if hook:
        annotations["argocd.argoproj.io/hook"] = rng.choice(("PreSync", "PostSync", "Sync"))
    return {
        "apiVersion": api_version,
        "kind": kind,
        "metadata": {
            "name": f"res-{index}",
            "namespace": f"ns-{index % 50}",
            "labels": {"app": f"app-{index % 97}"},
            "annotations": annotations,
        },
        "spec": {"replicas": 1},
    }


def build(count: int, seed: int = 1) -> tuple[ManifestSet, ManifestSet]:
    """Desired and live sets: 5% hooks, 5% prunes (live only), the rest paired."""
    rng = random.Random(seed)
    desired: list[dict[str, Any]] = []
    live: list[dict[str, Any]] = []
    crd = {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {"group": "example.com", "names": {"kind": "Widget"}, "scope": "Namespaced"},
    }
    live.append(crd)
    for index in range(count):
        roll = index % 20
        if roll == 0:
            desired.append(_object(index, rng, hook=True))
        elif roll == 1:
            live.append(_object(index, rng, hook=False))
        else:
            obj = _object(index, rng, hook=False)
            desired.append(obj)
            live.append(obj)
    return ManifestSet.from_objects(desired), ManifestSet.from_objects(live)


def baseline(desired: ManifestSet, live: ManifestSet, count: int) -> float:
    rng = random.Random(2)
    names = [f"res-{rng.randrange(count)}" for _ in range(count)]
    tuples = [
        (rng.randrange(-1, 3), rng.randrange(20), -rng.randrange(36), names[i], "ns", "apps", i)
        for i in range(count)
    ]
    start = time.process_time()
    sorted(tuples)
    for resource in desired.resources:
        resource.object["metadata"]["name"]
    for resource in live.resources:
        resource.object["metadata"]["name"]
    return time.process_time() - start


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    desired, live = build(count)
    options = SyncOptions(namespace="default", prune=True, revision="abcdef0123", started_at=1)
    # Baseline and plan are timed in alternation, so that a busy machine slows both alike;
    # the reported ratio is the median of the per-round ratios.
    bases: list[float] = []
    plans: list[float] = []
    plan = None
    for _ in range(rounds):
        bases.append(baseline(desired, live, count))
        del plan  # free the previous plan outside the timed region
        start = time.process_time()
        plan = plan_sync(desired, live, options)
        plans.append(time.process_time() - start)
    ratios = sorted(p / b for p, b in zip(plans, bases, strict=True))
    assert plan is not None
    print(f"resources: {count} desired={len(desired)} live={len(live)} tasks={len(plan)}")
    print(f"baseline (sorted + one pass): best {min(bases) * 1000:.1f} ms")
    print(f"plan_sync: best {min(plans) * 1000:.1f} ms")
    print(f"ratio of bests: {min(plans) / min(bases):.2f}")
    print(
        f"ratio plan_sync / baseline (median of {rounds} rounds): {ratios[len(ratios) // 2]:.2f} (target < 3)"
    )


if __name__ == "__main__":
    main()
