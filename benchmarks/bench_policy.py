"""Benchmark of the built-in policy checks over many resources.

Builds N objects (default 100,000: Deployments with containers and resources, Services,
ConfigMaps, hooks and custom resources with their CRD), then prints CPU-time ratios: all
built-in checks against building the ManifestSet from the same objects (the load), and each
check's share. Run: ``PYTHONPATH=. python benchmarks/bench_policy.py [N]``.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from gitops_core.manifests import ManifestSet
from gitops_core.policy import PolicyContext, default_registry, run_policies

CRD = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": "widgets.example.com"},
    "spec": {"group": "example.com", "scope": "Namespaced", "names": {"kind": "Widget"}},
}


def _object(index: int) -> dict[str, Any]:
    namespace = f"ns-{index % 50}"
    annotations = {"argocd.argoproj.io/sync-wave": str(index % 7)}
    meta = {"name": f"res-{index}", "namespace": namespace, "annotations": annotations}
    kind = index % 5
    if kind == 0:
        return {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": meta,
            "spec": {
                "selector": {"matchLabels": {"app": meta["name"]}},
                "template": {
                    "metadata": {"labels": {"app": meta["name"]}},
                    "spec": {
                        "containers": [
                            {
                                "name": "app",
                                "image": "app:1.0",
                                "ports": [{"containerPort": 8080}],
                                "resources": {"limits": {"cpu": "500m", "memory": "256Mi"}},
                            }
                        ]
                    },
                },
            },
        }
    if kind == 1:
        return {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": meta,
            "spec": {"ports": [{"port": 80, "targetPort": 8080}]},
        }
    if kind == 2:
        return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": {"k": "v"}}
    if kind == 3:
        annotations["argocd.argoproj.io/hook"] = "PreSync"
        annotations["argocd.argoproj.io/hook-delete-policy"] = "HookSucceeded"
        return {"apiVersion": "batch/v1", "kind": "Job", "metadata": meta, "spec": {}}
    return {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": meta, "spec": {}}


def _cpu(action: Any) -> tuple[float, Any]:
    start = time.process_time()
    result = action()
    return time.process_time() - start, result


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    objects = [CRD, *(_object(i) for i in range(count))]
    load_time, manifests = _cpu(lambda: ManifestSet.from_objects(objects))
    context = PolicyContext(manifests)
    total, report = _cpu(lambda: run_policies(context, entry_points=False))
    print(f"{count} resources, {len(report)} findings")
    print(f"all built-in checks / load: {total / load_time:.2f}")
    for item in default_registry():
        fresh = PolicyContext(manifests)
        elapsed, _ = _cpu(lambda item=item, fresh=fresh: run_policies(fresh, checks=[item]))
        print(f"  {item.code} {item.name:34} / load: {elapsed / load_time:.3f}")


if __name__ == "__main__":
    main()
