"""Benchmark: a Lua health check against the built-in Python check, per object.

Run: ``PYTHONPATH=. python benchmarks/bench_lua.py [--sizes 10000 100000]``

The objects are realistic live Deployments from ``gitops_core.bench.generate`` (managedFields,
last-applied annotation, pod template, status with conditions). For each size it reports:

- ``builtin``: µs per object for ``builtin_health`` (Argo CD's Go Deployment check in Python);
- ``lua``: µs per object for the same rules written in Lua, run as a health override through
  ``assess_health`` with a registry (lookup, conversion, sandboxed run, result reading);
- ``lua/builtin``: the ratio (issue 6 target: at most 3);
- the growth of the per-object cost from the smallest to the largest size (1.0 = linear);
- times are CPU time of the process (``time.process_time``), best of alternating rounds;
- ``cert-manager``: µs per object for the shipped ``cert-manager.io/Certificate`` script when
  crdhealth's scripts are present (no built-in check exists to compare with).
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable
from typing import Any

from gitops_core.bench.generate import generate
from gitops_core.health import HealthRegistry, assess_health, builtin_health

# The Deployment rules of gitops-engine's health_deployment.go, in Lua.
DEPLOYMENT_LUA = """
local hs = {}
local spec = obj.spec or {}
if spec.paused then
  hs.status = "Suspended"
  hs.message = "Deployment is paused"
  return hs
end
local status = obj.status or {}
local generation = obj.metadata.generation or 0
if generation <= (status.observedGeneration or 0) then
  local conditions = status.conditions or {}
  for _, c in ipairs(conditions) do
    if c.type == "Progressing" and c.reason == "ProgressDeadlineExceeded" then
      hs.status = "Degraded"
      hs.message = "Deployment \\"" .. obj.metadata.name .. "\\" exceeded its progress deadline"
      return hs
    end
  end
  local replicas = spec.replicas or 1
  local updated = status.updatedReplicas or 0
  if updated < replicas then
    hs.status = "Progressing"
    hs.message = "Waiting for rollout to finish: " .. updated .. " out of " .. replicas ..
      " new replicas have been updated..."
    return hs
  end
  local total = status.replicas or 0
  if total > updated then
    hs.status = "Progressing"
    hs.message = "Waiting for rollout to finish: " .. (total - updated) ..
      " old replicas are pending termination..."
    return hs
  end
  local available = status.availableReplicas or 0
  if available < updated then
    hs.status = "Progressing"
    hs.message = "Waiting for rollout to finish: " .. available .. " of " .. updated ..
      " updated replicas are available..."
    return hs
  end
  hs.status = "Healthy"
  hs.message = ""
  return hs
end
hs.status = "Progressing"
hs.message = "Waiting for rollout to finish: observed deployment generation less than desired generation"
return hs
"""

CERTIFICATE = {
    "apiVersion": "cert-manager.io/v1",
    "kind": "Certificate",
    "metadata": {"name": "web-tls", "namespace": "shop", "generation": 2},
    "spec": {"secretName": "web-tls", "dnsNames": ["shop.example.com"]},
    "status": {
        "conditions": [
            {
                "type": "Ready",
                "status": "True",
                "reason": "Ready",
                "message": "Certificate is up to date and has not expired",
                "lastTransitionTime": "2024-05-01T10:00:00Z",
                "observedGeneration": 2,
            }
        ],
        "notAfter": "2025-05-01T10:00:00Z",
    },
}


def _deployments(count: int) -> list[dict[str, Any]]:
    generated = generate(max(50, count // 400), seed=7)
    pool = [obj for obj in generated.live if obj.get("kind") == "Deployment"]
    return [pool[i % len(pool)] for i in range(count)]


def _once(function: Callable[[dict[str, Any]], object], objects: list[dict[str, Any]]) -> float:
    # CPU time of this process: on a busy machine wall time mostly measures the scheduler
    gc.collect()
    start = time.process_time()
    for obj in objects:
        function(obj)
    return (time.process_time() - start) / len(objects) * 1e6


def _time(function: Callable[[dict[str, Any]], object], objects: list[dict[str, Any]]) -> float:
    """Best of three, µs per object."""
    return min(_once(function, objects) for _ in range(3))


def _paired(
    first: Callable[[dict[str, Any]], object],
    second: Callable[[dict[str, Any]], object],
    objects: list[dict[str, Any]],
    rounds: int = 5,
) -> tuple[float, float]:
    """Best µs per object of each, measured in alternation (fair on a busy machine)."""
    best_first = best_second = float("inf")
    for _ in range(rounds):
        best_first = min(best_first, _once(first, objects))
        best_second = min(best_second, _once(second, objects))
    return best_first, best_second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()

    registry = HealthRegistry(include_shipped=False)
    registry.add_lua("apps/Deployment", DEPLOYMENT_LUA, open_libs=True)
    sample = _deployments(200)
    for obj in sample:  # the two implementations agree on the sample
        lua = assess_health(obj, registry)
        builtin = builtin_health(obj)
        assert lua == builtin, (lua, builtin, obj["metadata"]["name"])

    shipped = HealthRegistry(include_shipped=True).find_override("cert-manager.io", "Certificate")
    print(
        f"{'objects':>8}  {'builtin µs':>10}  {'lua µs':>8}  {'lua/builtin':>11}  {'cert-manager µs':>15}"
    )
    per_size: list[tuple[int, float, float]] = []
    for size in args.sizes:
        objects = _deployments(size)
        builtin_us, lua_us = _paired(
            builtin_health, lambda obj: assess_health(obj, registry), objects
        )
        cert = "n/a"
        if shipped is not None:
            certs = [CERTIFICATE] * size
            cert = f"{_time(shipped.evaluate, certs):.2f}"
        per_size.append((size, builtin_us, lua_us))
        print(
            f"{size:>8}  {builtin_us:>10.2f}  {lua_us:>8.2f}  {lua_us / builtin_us:>11.2f}  {cert:>15}"
        )
    if len(per_size) > 1:
        first, last = per_size[0], per_size[-1]
        print(
            f"growth per object from {first[0]} to {last[0]}: builtin {last[1] / first[1]:.2f}, "
            f"lua {last[2] / first[2]:.2f} (1.0 = linear)"
        )


if __name__ == "__main__":
    main()
