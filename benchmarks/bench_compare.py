"""Benchmark of the comparison layer: CPU per pair against ``json.loads``, and 20 ignore rules.

About 10,000 realistic desired resources and their live snapshot (managedFields, last-applied,
server defaults, status; a few percent drift, missing and extraneous) from the deterministic
generator are compared with :func:`gitops_core.diff.compare.compare`.

1. Speed: ``compare`` with Argo CD's default options (``CompareOptions()``), in microseconds of
   CPU per pair (one record of the comparison: a desired/live pair, or one side alone) and as a
   ratio to ``json.loads`` of the same objects (the desired and the live JSON texts), both with
   the garbage collector disabled (the work itself) and enabled (what a caller sees without a
   GC pause).
2. Rules: ``compare`` twice, without any rule and with 20 ignoreDifferences rules (JSON pointers
   on several kinds, jq expressions on a few, globs, one ``*/*`` rule, one managedFieldsManagers
   rule; one jq rule runs libjq on the containers of every workload). Prints both times and their
   ratio; the target is a ratio of at most 1.5.

Times are the best of ``--repeat`` runs. No assertion is made on any timing.

Run: ``PYTHONPATH=. python benchmarks/bench_compare.py [--size N] [--repeat R] [--quick]``
"""

from __future__ import annotations

import argparse
import gc
import json
import time
from collections.abc import Callable
from typing import Any

from gitops_core.bench import generate
from gitops_core.diff.compare import CompareOptions, compare
from gitops_core.manifests import ManifestSet

RULES: list[dict[str, Any]] = [
    {"group": "*", "kind": "*", "jsonPointers": ["/status"]},
    {"group": "apps", "kind": "Deployment", "jsonPointers": ["/spec/replicas"]},
    {"group": "apps", "kind": "StatefulSet", "jsonPointers": ["/spec/replicas"]},
    {"kind": "Service", "jsonPointers": ["/spec/clusterIP", "/spec/clusterIPs"]},
    {"kind": "ServiceAccount", "jsonPointers": ["/secrets", "/imagePullSecrets"]},
    {"kind": "ConfigMap", "name": "generated", "jsonPointers": ["/data"]},
    {"group": "networking.k8s.io", "kind": "Ingress", "jsonPointers": ["/metadata/annotations"]},
    {"group": "autoscaling", "kind": "HorizontalPodAutoscaler", "jsonPointers": ["/spec/metrics"]},
    {"group": "rbac.authorization.k8s.io", "kind": "*Role", "jsonPointers": ["/rules/0/verbs"]},
    {"group": "*.example.com", "kind": "*", "jsonPointers": ["/spec/generated"]},
    {
        "group": "apps",
        "kind": "Deployment",
        "jsonPointers": ["/metadata/annotations/deployment.kubernetes.io~1revision"],
    },
    {
        "group": "apps",
        "kind": "*",
        "jsonPointers": ["/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt"],
    },
    {"kind": "Secret", "jsonPointers": ["/metadata/annotations/example.com~1rotated"]},
    {
        "group": "batch",
        "kind": "Job",
        "jsonPointers": ["/spec/selector", "/spec/template/metadata/labels"],
    },
    {"group": "policy", "kind": "PodDisruptionBudget", "jsonPointers": ["/spec/minAvailable"]},
    {"group": "apps", "kind": "Deployment", "managedFieldsManagers": ["kube-controller-manager"]},
    {
        "group": "apps",
        "kind": "Deployment",
        "name": "web",
        "jqPathExpressions": ['.spec.template.spec.containers[] | select(.name == "istio-proxy")'],
    },
    {
        "group": "apps",
        "kind": "*",
        "jqPathExpressions": [
            '.spec.template.spec.containers[].env[]? | select(.name | startswith("OTEL_"))'
        ],
    },
    {
        "group": "apiextensions.k8s.io",
        "kind": "CustomResourceDefinition",
        "jqPathExpressions": [".spec.conversion"],
    },
    {
        "group": "admissionregistration.k8s.io",
        "kind": "*WebhookConfiguration",
        "jqPathExpressions": [".webhooks[]?.clientConfig.caBundle"],
    },
]


def _time(
    desired: ManifestSet, live: ManifestSet, options: CompareOptions
) -> tuple[float, float, str]:
    wall, cpu = time.perf_counter(), time.process_time()
    comparison = compare(desired, live, options)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    status = f"{comparison.status}, {len(comparison.out_of_sync)} OutOfSync of {len(comparison)}"
    return wall, cpu, status


def _best_cpu(run: Callable[[], object], repeat: int, *, gc_enabled: bool) -> float:
    """Best CPU seconds of ``repeat`` runs, the collector collected before each one."""
    best = float("inf")
    was_enabled = gc.isenabled()
    try:
        for _ in range(repeat):
            gc.collect()
            if gc_enabled:
                gc.enable()
            else:
                gc.disable()
            start = time.process_time()
            run()
            best = min(best, time.process_time() - start)
    finally:
        if was_enabled:
            gc.enable()
    return best


def speed(desired: ManifestSet, live: ManifestSet, texts: tuple[str, str], repeat: int) -> None:
    """Print CPU per pair of ``compare`` (Argo CD's options) and its ratio to ``json.loads``."""
    options = CompareOptions()
    pairs = len(compare(desired, live, options))  # also the warm-up

    def floor() -> None:
        for text in texts:
            json.loads(text)

    print(f"speed: {pairs} pairs, CompareOptions() (Argo CD defaults)")
    for label, enabled in (("gc disabled", False), ("gc enabled", True)):
        took = _best_cpu(lambda: compare(desired, live, options), repeat, gc_enabled=enabled)
        loads = _best_cpu(floor, repeat, gc_enabled=enabled)
        print(
            f"  {label:<12} compare {took * 1e6 / pairs:6.1f} us/pair, "
            f"json.loads {loads * 1e6 / pairs:5.1f} us/pair, ratio {took / loads:.2f}"
        )


def main() -> int:
    """Run the benchmark and print the ratio."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="1,000 resources, one run")
    args = parser.parse_args()
    size, repeat = (1_000, 1) if args.quick else (args.size, args.repeat)
    generated = generate(size, seed=11)
    desired = ManifestSet.from_objects(generated.desired)
    live = ManifestSet.from_objects(generated.live)
    texts = (json.dumps(generated.desired), json.dumps(generated.live))
    speed(desired, live, texts, repeat)
    assert len(RULES) == 20
    plain = CompareOptions(compare_options=None)
    ruled = CompareOptions(compare_options=None, ignore_differences=RULES)
    # warm up (the jq worker process starts on first use; caches fill)
    compare(desired, live, ruled)
    # interleaved runs, best of each: fair on a machine with other load
    best = {"plain": [float("inf"), float("inf"), ""], "ruled": [float("inf"), float("inf"), ""]}
    for _ in range(repeat):
        for name, options in (("plain", plain), ("ruled", ruled)):
            wall, cpu, status = _time(desired, live, options)
            entry = best[name]
            entry[0], entry[1], entry[2] = min(entry[0], wall), min(entry[1], cpu), status
    without, with_rules = best["plain"], best["ruled"]
    print(f"rules: desired {len(desired)}, live {len(live)}")
    print(f"without rules: {without[0]:.3f}s wall, {without[1]:.3f}s cpu  ({without[2]})")
    print(f"with 20 rules: {with_rules[0]:.3f}s wall, {with_rules[1]:.3f}s cpu  ({with_rules[2]})")
    print(
        f"ratio with/without: {with_rules[0] / without[0]:.3f} wall, "
        f"{with_rules[1] / without[1]:.3f} cpu  (target <= 1.5; the jq worker's cpu is not counted)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
