"""Benchmark of the diff engine against YAML loading of the same objects.

10,000 realistic (desired, live-as-returned-by-a-server) pairs from the deterministic generator
(managedFields, last-applied, server defaults, status), 90% in sync. Prints the time of
``diff()`` over all pairs as a ratio of the time the C YAML loader takes to load the same
objects (desired and live). The target is a ratio of at most 0.25.

Run: ``PYTHONPATH=. python benchmarks/bench_diff.py [--pairs N] [--repeat R]``
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import yaml

from gitops_core.bench import generate
from gitops_core.diff import diff


def _key(obj: dict[str, Any]) -> tuple[str, str, str, str]:
    api_version = obj.get("apiVersion", "")
    group = api_version.rpartition("/")[0]
    meta = obj.get("metadata", {})
    return (group, obj.get("kind", ""), meta.get("namespace", "") or "", meta.get("name", ""))


def _pairs(count: int) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    generated = generate(int(count * 1.2), seed=7, drift=0.0, missing=0.0, extraneous=0.0)
    live_by_key: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for obj in generated.live:
        live_by_key[_key(obj)] = obj
    pairs = []
    for desired in generated.desired:
        key = _key(desired)
        live = live_by_key.get(key) or live_by_key.get((key[0], key[1], "default", key[3]))
        if live is None:
            # the generator names the namespace on live only for namespaced kinds
            candidates = [v for k, v in live_by_key.items() if k[:2] == key[:2] and k[3] == key[3]]
            live = candidates[0] if candidates else None
        if live is not None:
            if len(pairs) % 10 == 0:
                # 10% drift: desired gained a label the cluster does not have yet
                desired = json.loads(json.dumps(desired))
                desired["metadata"].setdefault("labels", {})["bench/drift"] = str(len(pairs))
            pairs.append((desired, live))
        if len(pairs) == count:
            break
    return pairs


def main() -> int:
    """Run the benchmark and print the ratio."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pairs = _pairs(args.pairs)
    desired_text = yaml.dump_all([p[0] for p in pairs], Dumper=yaml.CSafeDumper)
    live_text = yaml.dump_all([p[1] for p in pairs], Dumper=yaml.CSafeDumper)

    load_times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        list(yaml.load_all(desired_text, Loader=yaml.CSafeLoader))
        list(yaml.load_all(live_text, Loader=yaml.CSafeLoader))
        load_times.append(time.perf_counter() - start)

    diff_times = []
    modified = 0
    for _ in range(args.repeat):
        modified = 0
        start = time.perf_counter()
        for desired, live in pairs:
            if diff(desired, live).modified:
                modified += 1
        diff_times.append(time.perf_counter() - start)

    load = min(load_times)
    spent = min(diff_times)
    print(f"pairs: {len(pairs)}  modified: {modified} ({100 * modified / len(pairs):.1f}%)")
    print(f"yaml C load (desired+live): {load:.3f}s   diff: {spent:.3f}s")
    print(f"ratio diff/load: {spent / load:.3f}  (target <= 0.25)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
