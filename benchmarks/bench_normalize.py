"""Benchmark of the normalisation pipeline against YAML loading of the same objects.

Run: ``PYTHONPATH=. python benchmarks/bench_normalize.py [--size 10000] [--repeat 3]``

The objects come from ``gitops_core.bench.generate`` (desired manifests and the live objects an
API server returns for them: managedFields, defaults, status). Reported, as ratios to the time
the C YAML loader needs for the same desired + live documents:

- ``remarshal`` of desired and live (what the diff runs on every pair);
- ``remarshal + normalize_object`` of both sides;
- ``apply_scheme_defaults`` of both sides (run by the three-way path on drifted pairs only);
- the first-call cost of loading the generated type table, in milliseconds.

No timing is asserted anywhere; this script only prints.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable
from typing import Any

import yaml

from gitops_core.bench.generate import generate


def _best(repeat: int, work: Callable[[], Any]) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    """Print the ratios; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    from gitops_core.diff import _schema

    _schema.root_type("apps", "v1", "Deployment")
    table_ms = (time.perf_counter() - start) * 1000

    from gitops_core.diff.normalize import apply_scheme_defaults, normalize_object, remarshal

    generated = generate(args.size, seed=1)
    objects = generated.desired + generated.live
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = yaml.dump_all(objects, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper))

    load = _best(args.repeat, lambda: list(yaml.load_all(text, Loader=loader)))
    remarshal_only = _best(args.repeat, lambda: [remarshal(o) for o in objects])
    pipeline = _best(args.repeat, lambda: [normalize_object(remarshal(o)) for o in objects])
    defaults = _best(args.repeat, lambda: [apply_scheme_defaults(o) for o in objects])

    count = len(objects)
    print(f"objects: {count} ({len(generated.desired)} desired + {len(generated.live)} live)")
    print(f"type table first load: {table_ms:.1f} ms")
    print(f"YAML C-load:                  {load / count * 1e6:8.1f} µs/object  (ratio 1.00)")
    for label, seconds in (
        ("remarshal", remarshal_only),
        ("remarshal + normalize_object", pipeline),
        ("apply_scheme_defaults", defaults),
    ):
        print(
            f"{label + ':':30}{seconds / count * 1e6:8.1f} µs/object  (ratio {seconds / load:.3f})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
