"""Benchmark of manifest loading against a bare ``yaml.load_all`` with PyYAML's C loader.

On the same text (the Argo CD install manifest from ``../shared/examples``, 1.9 MB, 59
resources; or any file given), times:

- ``bare``: ``list(yaml.load_all(text, Loader=yaml.CSafeLoader))``, the floor;
- ``load``: :func:`gitops_core.parse_manifests` with the C loader (validation, go-yaml scalar
  rules, duplicate-key and alias-bomb guards, keys and index);
- ``pure``: the same with the pure-Python loader (the fallback when libyaml is missing);
- ``json``: the same objects written as JSON and loaded back (JSON input is the fast path).

Prints the best CPU time of ``--repeat`` runs of each and the ratios to ``bare``.

Then, on a large live snapshot (one ``kind: List`` document of ``--list-size`` generated
resources, as ``kubectl get -o yaml`` prints it), compares reading the List item by item
(``stream``, the default for documents of 256 KiB and more) with reading it whole (``whole``, the
threshold raised): peak traced memory (tracemalloc) of :func:`gitops_core.parse_manifests` as a
ratio to the memory of the parsed objects (``yaml.load_all`` result), and CPU time as a ratio to
``yaml.load_all`` with the C loader.

Run: ``PYTHONPATH=. python benchmarks/bench_load.py [--repeat R] [--quick] [--list-size N] [FILE]``
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
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


def _with_threshold(threshold: int, function: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        saved = _yaml.DEFAULT_STREAM_THRESHOLD
        _yaml.DEFAULT_STREAM_THRESHOLD = threshold
        try:
            return function()
        finally:
            _yaml.DEFAULT_STREAM_THRESHOLD = saved

    return run


def _peak(function: Callable[[], Any]) -> tuple[int, int]:
    """Memory held by the result of ``function`` and the peak while it ran (bytes, traced)."""
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        result = function()
        current, peak = tracemalloc.get_traced_memory()
        del result
        return current - base, peak - base
    finally:
        tracemalloc.stop()


def large_list(size: int, repeat: int) -> None:
    """Peak memory and CPU time of reading one large ``kind: List`` document, both ways."""
    from gitops_core.bench.generate import generate

    text = generate(size).live_yaml()
    limit = 1 << 40  # trusted generated input: no per-document limit

    def bare() -> Any:
        return list(yaml.load_all(text, Loader=yaml.CSafeLoader))

    def bare_nogc() -> Any:
        # parse_manifests pauses the cyclic GC; so does this floor, for a fair ratio
        gc.disable()
        try:
            return bare()
        finally:
            gc.enable()

    ways = {
        "stream": _with_threshold(0, lambda: parse_manifests(text, max_document_bytes=limit)),
        "whole": _with_threshold(1 << 62, lambda: parse_manifests(text, max_document_bytes=limit)),
    }
    parsed, bare_peak = _peak(bare)
    bare_time = _best(bare_nogc, repeat)
    print(
        f"live List of {size} generated resources: {len(text) / 1e6:.1f} MB;"
        f" parsed objects {parsed / 1e6:.1f} MB (bare load_all peak {bare_peak / parsed:.2f}x,"
        f" {bare_time * 1000:.1f} ms)"
    )
    for name, function in ways.items():
        held, peak = _peak(function)
        seconds = _best(function, repeat)
        print(
            f"  {name:6s} peak {peak / parsed:5.2f}x parsed objects (holds {held / parsed:4.2f}x)"
            f"   {seconds * 1000:7.1f} ms  {seconds / bare_time:5.2f}x bare yaml.load_all (C, GC paused)"
        )


def main() -> None:
    """Run the benchmark and print times and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", help="manifest file (default: the Argo CD install)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each (best is kept)")
    parser.add_argument("--quick", action="store_true", help="one run of each, for CI")
    parser.add_argument(
        "--list-size", type=int, default=3000, help="resources in the large List (default 3000)"
    )
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
    large_list(300 if args.quick else max(1, args.list_size), repeat)


if __name__ == "__main__":
    main()
