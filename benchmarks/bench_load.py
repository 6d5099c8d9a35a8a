"""Benchmark of manifest loading against a bare ``yaml.load_all`` with PyYAML's C loader.

On the same text (the Argo CD install manifest from ``../shared/examples``, 1.9 MB, 59
resources; or any file given), times:

- ``bare``: ``list(yaml.load_all(text, Loader=yaml.CSafeLoader))``, the floor;
- ``load``: :func:`gitops_core.parse_manifests` with the C loader (validation, go-yaml scalar
  rules, duplicate-key and alias-bomb guards, keys and index);
- ``pure``: the same with the pure-Python loader (the fallback when libyaml is missing);
- ``json``: the same objects written as JSON and loaded back (JSON input is the fast path).

Prints the best CPU time of ``--repeat`` runs of each and the ratios to ``bare``.

Run: ``PYTHONPATH=. python benchmarks/bench_load.py [--repeat R] [--quick] [FILE]``
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from gitops_core import parse_manifests
from gitops_core.manifests import _yaml, dump_manifests


def _shared_example() -> Path:
    here = Path(__file__).resolve().parents[1]
    for parent in (here, *here.parents):
        candidate = parent.parent / "shared" / "examples" / "argo-cd-install.yaml"
        if candidate.is_file():
            return candidate
    raise SystemExit("../shared/examples/argo-cd-install.yaml not found: give a FILE")


def _best(function: Callable[[], Any], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        # CPU time of this process: steadier than wall time on a shared machine
        start = time.process_time()
        function()
        best = min(best, time.process_time() - start)
    return best


def _pure(text: str) -> Any:
    saved = _yaml.CKubeLoader
    _yaml.CKubeLoader = None
    try:
        return parse_manifests(text)
    finally:
        _yaml.CKubeLoader = saved


def main() -> None:
    """Run the benchmark and print times and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", help="manifest file (default: the Argo CD install)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each (best is kept)")
    parser.add_argument("--quick", action="store_true", help="one run of each, for CI")
    args = parser.parse_args()
    repeat = 1 if args.quick else max(1, args.repeat)
    path = Path(args.file) if args.file else _shared_example()
    text = path.read_text(encoding="utf-8")
    if not hasattr(yaml, "CSafeLoader"):
        raise SystemExit("PyYAML has no C loader here: the baseline needs it")
    loaded = parse_manifests(text)
    json_text = dump_manifests(loaded, format="json")

    times = {
        "bare": _best(lambda: list(yaml.load_all(text, Loader=yaml.CSafeLoader)), repeat),
        "load": _best(lambda: parse_manifests(text), repeat),
        "pure": _best(lambda: _pure(text), repeat),
        "json": _best(lambda: parse_manifests(json_text, "objects.json"), repeat),
    }
    print(f"{path.name}: {len(text) / 1e6:.1f} MB, {len(loaded)} resources, best of {repeat}")
    for name, seconds in times.items():
        ratio = seconds / times["bare"]
        print(f"  {name:5s} {seconds * 1000:8.1f} ms   {ratio:5.2f}x bare yaml.load_all (C)")


if __name__ == "__main__":
    main()
