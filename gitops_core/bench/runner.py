"""The staged benchmark runner behind ``python -m benchmarks`` and ``gitops-core bench``.

For every size, one generated application set (:func:`gitops_core.bench.generate.generate`) is
measured stage by stage, in one process, next to the floors of the same input:

========== ===================================================== =========
stage      what runs                                             floor
========== ===================================================== =========
load_yaml  ``parse_manifests`` of the desired and live YAML       yaml
load_json  ``parse_manifests`` of the desired and live JSON       json
compare    ``compare`` of desired against live (Argo CD options)  json
plan       ``plan_sync`` of desired against live                  sort
health     ``aggregate_health``, built-in checks only             json
lua        ``aggregate_health`` with the shipped scripts and a    json
           Lua override for the custom resources
e2e_yaml   load_yaml + compare + plan + lua health                yaml
e2e_json   load_json + compare + plan + lua health                json
========== ===================================================== =========

Floors: ``yaml`` is ``yaml.load_all`` with the C loader (``CSafeLoader``; the pure-Python
loader when libyaml is missing, reported in ``floor_loader``) on the same texts; ``json`` is
``json.loads`` of the same texts, as a program calls them (cyclic garbage collector on);
``yaml_nogc`` and ``json_nogc`` are the same with the collector off, the *strict* floors (the
library's bulk entry points pause it, see ``gitops_core._gc``: stages are reported against
both); ``sort`` is a bare
``sorted()`` of the plan's sort keys (phase, wave, kind rank, name, namespace, group, kind,
order) given in input order.

Times are CPU seconds of the process (``time.process_time``: other processes on a shared
machine do not skew them), the best of ``repeat`` runs, with the garbage collector collected
before each run and the objects that already exist (the harness's inputs and prepared sets)
frozen out of it (``gc.freeze``) during the run: otherwise every collection a run triggers would
re-scan the harness's heap and bill the stage, or the floor, for objects it never made.
Per-object microseconds divide by the number of input objects (desired + live). Peak memory is
measured with ``tracemalloc`` in a separate pass of each end to end (tracing slows code down, so
it never overlaps the timings), as the peak traced size during the run, next to the traced size
of the floor's parsed objects (``yaml.load_all`` or ``json.loads`` of the same texts, kept alive)
and the floor's own peak while it parses. The scaling exponent of a stage between two sizes is
the log-log slope ``log(t2/t1) / log(n2/n1)`` (1.0 = linear).

No assertion is made on any timing: the runner reports, it never fails on a slow machine.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import math
import platform
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TextIO

import attrs
import yaml

from gitops_core.bench.generate import GeneratedSet, generate
from gitops_core.diff.compare import CompareOptions, compare
from gitops_core.errors import UsageError
from gitops_core.health import HealthRegistry, aggregate_health
from gitops_core.manifests import ManifestSet, parse_manifests
from gitops_core.sync import SyncOptions, plan_sync
from gitops_core.sync.kinds import kind_rank
from gitops_core.sync.plan import PHASE_RANK

__all__ = [
    "DEFAULT_SIZES",
    "FLOORS",
    "MEMORY_RUNS",
    "QUICK_SIZES",
    "STAGES",
    "WIDGET_HEALTH_LUA",
    "BenchReport",
    "MemoryResult",
    "SizeResult",
    "StageResult",
    "add_arguments",
    "format_report",
    "main",
    "parse_sizes",
    "run_benchmarks",
    "run_from_args",
]

DEFAULT_SIZES: tuple[int, ...] = (1_000, 10_000, 100_000)
QUICK_SIZES: tuple[int, ...] = (100, 300)
STAGES: tuple[str, ...] = (
    "load_yaml",
    "load_json",
    "compare",
    "plan",
    "health",
    "lua",
    "e2e_yaml",
    "e2e_json",
)
FLOORS: tuple[str, ...] = ("yaml", "yaml_nogc", "json", "json_nogc", "sort")
MEMORY_RUNS: tuple[str, ...] = ("e2e_yaml", "e2e_json")
_FLOOR_OF: dict[str, str] = {
    "load_yaml": "yaml",
    "load_json": "json",
    "compare": "json",
    "plan": "sort",
    "health": "json",
    "lua": "json",
    "e2e_yaml": "yaml",
    "e2e_json": "json",
}
# The same parse with the cyclic collector off: the strictest floor of a stage.
_STRICT_FLOOR_OF: dict[str, str] = {"yaml": "yaml_nogc", "json": "json_nogc"}

# A health check for the generated custom resources (``Widget`` in ``<app>.example.com``),
# registered as an argocd-cm style override: it runs once per Widget in the ``lua`` stage.
WIDGET_HEALTH_LUA = """
local hs = {status = "Healthy", message = ""}
if obj.spec ~= nil and obj.spec.size ~= nil and obj.spec.size > 8 then
  hs.status = "Progressing"
  hs.message = "Widget is scaling to " .. obj.spec.size
end
return hs
"""

# The generated input is trusted: a JSON array of 100,000 objects is one document of ~60 MB,
# above the loader's default per-document limit.
_TRUSTED = 1 << 40

_C_LOADER: Any = getattr(yaml, "CSafeLoader", None)
_LOADER: Any = _C_LOADER or yaml.SafeLoader


@attrs.frozen
class StageResult:
    """The best time of one stage (or floor) at one size."""

    name: str
    seconds: float
    us_per_object: float
    floor: str | None = None
    ratio: float | None = None
    strict_floor: str | None = None
    strict_ratio: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {
            "seconds": round(self.seconds, 6),
            "us_per_object": round(self.us_per_object, 3),
            "floor": self.floor,
            "ratio": None if self.ratio is None else round(self.ratio, 3),
            "strict_floor": self.strict_floor,
            "strict_ratio": None if self.strict_ratio is None else round(self.strict_ratio, 3),
        }


@attrs.frozen
class MemoryResult:
    """Peak memory of one end to end run, next to its parsed objects and its floor's peak.

    ``parsed_bytes`` is what the floor's result (``yaml.load_all`` or ``json.loads`` of the same
    texts) holds once built; ``floor_peak_bytes`` is the floor's own peak while building it.
    """

    name: str
    peak_bytes: int
    parsed_bytes: int
    floor_peak_bytes: int

    @property
    def ratio(self) -> float | None:
        """Peak of the end to end over the memory of the parsed objects."""
        return self.peak_bytes / self.parsed_bytes if self.parsed_bytes else None

    @property
    def floor_ratio(self) -> float | None:
        """The floor's own peak over the memory of its parsed objects."""
        return self.floor_peak_bytes / self.parsed_bytes if self.parsed_bytes else None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        ratio, floor_ratio = self.ratio, self.floor_ratio
        return {
            "peak_bytes": self.peak_bytes,
            "parsed_bytes": self.parsed_bytes,
            "ratio": None if ratio is None else round(ratio, 3),
            "floor_peak_bytes": self.floor_peak_bytes,
            "floor_ratio": None if floor_ratio is None else round(floor_ratio, 3),
        }


@attrs.frozen
class SizeResult:
    """Every stage and floor at one size, and the memory of both end to end runs."""

    size: int
    desired: int
    live: int
    stages: tuple[StageResult, ...]
    floors: tuple[StageResult, ...]
    memory: tuple[MemoryResult, ...] = ()

    @property
    def objects(self) -> int:
        """Input objects: desired plus live."""
        return self.desired + self.live

    def stage(self, name: str) -> StageResult:
        """The result of stage or floor ``name``."""
        for result in (*self.stages, *self.floors):
            if result.name == name:
                return result
        raise KeyError(name)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {
            "size": self.size,
            "desired": self.desired,
            "live": self.live,
            "objects": self.objects,
            "stages": {s.name: s.as_dict() for s in self.stages},
            "floors": {f.name: f.as_dict() for f in self.floors},
            "memory": {m.name: m.as_dict() for m in self.memory},
        }


@attrs.frozen
class BenchReport:
    """A whole run: results per size, slopes per stage, and how it was measured."""

    sizes: tuple[SizeResult, ...]
    repeat: int
    seed: int
    floor_loader: str
    memory_method: str = "tracemalloc"

    def slopes(self) -> dict[str, dict[str, float | None]]:
        """Log-log slope of each stage and floor between consecutive sizes (``"n1-n2"``).

        ``None`` when a time is zero (too fast for the clock) and no slope can be computed.
        """
        out: dict[str, dict[str, float | None]] = {}
        names = [*STAGES, *FLOORS]
        for name in names:
            pairs: dict[str, float | None] = {}
            for small, large in zip(self.sizes, self.sizes[1:], strict=False):
                slope = _slope(
                    small.objects,
                    small.stage(name).seconds,
                    large.objects,
                    large.stage(name).seconds,
                )
                pairs[f"{small.size}-{large.size}"] = None if slope is None else round(slope, 3)
            out[name] = pairs
        return out

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (the ``--output json`` document)."""
        return {
            "tool": "gitops-core bench",
            "python": platform.python_version(),
            "platform": platform.platform(),
            "timer": "process_time (CPU), best of repeat",
            "repeat": self.repeat,
            "seed": self.seed,
            "floor_loader": self.floor_loader,
            "memory_method": self.memory_method,
            "results": [s.as_dict() for s in self.sizes],
            "slopes": self.slopes(),
        }


def _slope(n1: int, t1: float, n2: int, t2: float) -> float | None:
    if n1 <= 0 or n2 <= 0 or n1 == n2 or t1 <= 0 or t2 <= 0:
        return None
    return math.log(t2 / t1) / math.log(n2 / n1)


def parse_sizes(text: str) -> tuple[int, ...]:
    """``"1000,10000"`` (``_`` and ``k`` allowed: ``10k``) as sizes; raises UsageError."""
    sizes: list[int] = []
    for part in text.split(","):
        item = part.strip().lower().replace("_", "")
        if not item:
            continue
        factor = 1
        if item.endswith("k"):
            item, factor = item[:-1], 1000
        try:
            size = int(item) * factor
        except ValueError:
            raise UsageError(f"--sizes: {part.strip()!r} is not a number") from None
        if size <= 0:
            raise UsageError(f"--sizes: {size} must be positive")
        sizes.append(size)
    if not sizes:
        raise UsageError("--sizes: no size given")
    return tuple(sorted(set(sizes)))


class _Progress:
    """A tqdm bar over all timed runs when stderr is a terminal and tqdm is installed."""

    def __init__(self, total: int, enabled: bool) -> None:
        self._bar: Any = None
        if enabled and sys.stderr.isatty():
            try:
                tqdm_module = importlib.import_module("tqdm")
            except ModuleNotFoundError:
                return  # the ``progress`` extra is not installed: no bar
            self._bar = tqdm_module.tqdm(total=total, unit="run", file=sys.stderr, leave=False)

    def step(self, label: str) -> None:
        if self._bar is not None:
            self._bar.set_description(label)
            self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


@attrs.frozen
class _Inputs:
    generated: GeneratedSet
    desired_yaml: str
    live_yaml: str
    desired_json: str
    live_json: str


def _inputs(size: int, seed: int) -> _Inputs:
    generated = generate(size, seed=seed)
    return _Inputs(
        generated,
        generated.desired_yaml(),
        generated.live_yaml(),
        generated.desired_json(),
        json.dumps({"apiVersion": "v1", "kind": "List", "items": generated.live}),
    )


def _lua_registry() -> HealthRegistry:
    return HealthRegistry(overrides={"*.example.com/Widget": WIDGET_HEALTH_LUA})


def _stages(inputs: _Inputs) -> dict[str, Callable[[], object]]:
    """The callables of every stage and floor over one input."""
    desired_set = ManifestSet.from_objects(inputs.generated.desired)
    live_set = ManifestSet.from_objects(inputs.generated.live)
    compare_options = CompareOptions()
    sync_options = SyncOptions()
    builtin_only = HealthRegistry(include_shipped=False)
    lua_registry = _lua_registry()
    plan = plan_sync(desired_set, live_set, sync_options)
    sort_keys = [
        (
            PHASE_RANK.get(task.phase, 0),
            task.wave,
            kind_rank(task.key.kind),
            task.key.name,
            task.namespace,
            task.key.group,
            task.key.kind,
            task.order,
        )
        for task in plan.tasks
    ]
    sort_keys.sort(key=lambda k: k[7])  # input order, as the planner meets them

    def pipeline(desired: ManifestSet, live: ManifestSet) -> object:
        comparison = compare(desired, live, compare_options)
        sync_plan = plan_sync(desired, live, sync_options)
        health = aggregate_health(live, desired, registry=lua_registry)
        return comparison, sync_plan, health

    def e2e_yaml() -> object:
        return pipeline(
            parse_manifests(inputs.desired_yaml, "desired.yaml", max_document_bytes=_TRUSTED),
            parse_manifests(inputs.live_yaml, "live.yaml", max_document_bytes=_TRUSTED),
        )

    def e2e_json() -> object:
        return pipeline(
            parse_manifests(inputs.desired_json, "desired.json", max_document_bytes=_TRUSTED),
            parse_manifests(inputs.live_json, "live.json", max_document_bytes=_TRUSTED),
        )

    return {
        "yaml": lambda: (
            list(yaml.load_all(inputs.desired_yaml, Loader=_LOADER)),
            list(yaml.load_all(inputs.live_yaml, Loader=_LOADER)),
        ),
        "yaml_nogc": lambda: _without_gc(
            lambda: (
                list(yaml.load_all(inputs.desired_yaml, Loader=_LOADER)),
                list(yaml.load_all(inputs.live_yaml, Loader=_LOADER)),
            )
        ),
        "json": lambda: (json.loads(inputs.desired_json), json.loads(inputs.live_json)),
        "json_nogc": lambda: _without_gc(
            lambda: (json.loads(inputs.desired_json), json.loads(inputs.live_json))
        ),
        "sort": lambda: sorted(sort_keys),
        "load_yaml": lambda: (
            parse_manifests(inputs.desired_yaml, "desired.yaml", max_document_bytes=_TRUSTED),
            parse_manifests(inputs.live_yaml, "live.yaml", max_document_bytes=_TRUSTED),
        ),
        "load_json": lambda: (
            parse_manifests(inputs.desired_json, "desired.json", max_document_bytes=_TRUSTED),
            parse_manifests(inputs.live_json, "live.json", max_document_bytes=_TRUSTED),
        ),
        "compare": lambda: compare(desired_set, live_set, compare_options),
        "plan": lambda: plan_sync(desired_set, live_set, sync_options),
        "health": lambda: aggregate_health(live_set, desired_set, registry=builtin_only),
        "lua": lambda: aggregate_health(live_set, desired_set, registry=lua_registry),
        "e2e_yaml": e2e_yaml,
        "e2e_json": e2e_json,
    }


def _without_gc(func: Callable[[], object]) -> object:
    """``func()`` with the cyclic collector disabled (the ``json_nogc`` floor)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return func()
    finally:
        if was_enabled:
            gc.enable()


def _time(func: Callable[[], object], repeat: int, progress: _Progress, label: str) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        # The harness's own heap (inputs, prepared sets) is frozen out of the collector: its
        # re-scans would otherwise bill every stage and floor for objects they never made.
        gc.freeze()
        try:
            start = time.process_time()
            result = func()
            elapsed = time.process_time() - start
            del result
        finally:
            gc.unfreeze()
        best = min(best, elapsed)
        progress.step(label)
    return best


def _memory(name: str, floor: Callable[[], object], run: Callable[[], object]) -> MemoryResult:
    """Peak traced bytes of ``run``, and the floor's retained and peak traced bytes."""
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        parsed = floor()
        parsed_bytes, floor_peak = (value - base for value in tracemalloc.get_traced_memory())
        del parsed
        gc.collect()
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        result = run()
        peak = tracemalloc.get_traced_memory()[1] - base
        del result
    finally:
        tracemalloc.stop()
    return MemoryResult(name, peak, parsed_bytes, floor_peak)


def _iter_sizes(
    sizes: Sequence[int], seed: int, repeat: int, memory: bool, progress: _Progress
) -> Iterator[SizeResult]:
    for size in sizes:
        inputs = _inputs(size, seed)
        funcs = _stages(inputs)
        objects = len(inputs.generated.desired) + len(inputs.generated.live)
        for func in funcs.values():  # warm up: imports, caches, the Lua runtime
            if objects > 5_000:
                break
            func()
        floors = {name: _time(funcs[name], repeat, progress, f"{size} {name}") for name in FLOORS}
        floor_results = tuple(
            StageResult(name, seconds, seconds / objects * 1e6) for name, seconds in floors.items()
        )
        stage_results = []
        for name in STAGES:
            seconds = _time(funcs[name], repeat, progress, f"{size} {name}")
            floor = _FLOOR_OF[name]
            strict = _STRICT_FLOOR_OF.get(floor)
            stage_results.append(
                StageResult(
                    name,
                    seconds,
                    seconds / objects * 1e6,
                    floor,
                    seconds / floors[floor] if floors[floor] > 0 else None,
                    strict,
                    seconds / floors[strict] if strict is not None and floors[strict] > 0 else None,
                )
            )
        memory_results: list[MemoryResult] = []
        if memory:
            for name in MEMORY_RUNS:
                floor = _FLOOR_OF[name]
                memory_results.append(_memory(name, funcs[floor], funcs[name]))
                progress.step(f"{size} memory {name}")
        yield SizeResult(
            size,
            len(inputs.generated.desired),
            len(inputs.generated.live),
            tuple(stage_results),
            floor_results,
            tuple(memory_results),
        )


def run_benchmarks(
    sizes: Sequence[int] = DEFAULT_SIZES,
    *,
    seed: int = 7,
    repeat: int = 1,
    memory: bool = True,
    progress: bool = True,
) -> BenchReport:
    """Measure every stage and floor at every size; see the module docstring for the method.

    ``progress`` shows a tqdm bar on stderr when it is a terminal and tqdm is installed (the
    ``progress`` extra). Raises :class:`~gitops_core.errors.UsageError` for bad arguments.
    """
    if repeat < 1:
        raise UsageError("repeat must be at least 1")
    if not sizes or any(size <= 0 for size in sizes):
        raise UsageError("sizes must be positive")
    runs_per_size = (len(FLOORS) + len(STAGES)) * repeat + (len(MEMORY_RUNS) if memory else 0)
    bar = _Progress(runs_per_size * len(sizes), progress)
    try:
        results = tuple(_iter_sizes(sorted(sizes), seed, repeat, memory, bar))
    finally:
        bar.close()
    return BenchReport(
        results,
        repeat,
        seed,
        "CSafeLoader" if _C_LOADER is not None else "SafeLoader (libyaml missing)",
    )


def _mib(value: int | None) -> str:
    return "-" if value is None else f"{value / 2**20:.1f}"


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def format_report(report: BenchReport) -> list[str]:
    """The report as text lines: one table per size, then the slopes."""
    lines: list[str] = []
    for result in report.sizes:
        lines.append(f"size {result.size}: {result.desired} desired + {result.live} live objects")
        rows = [
            ["stage", "seconds", "us/object", "floor", "x floor", "strict floor", "x strict"],
        ]
        for stage in result.stages:
            rows.append(
                [
                    stage.name,
                    f"{stage.seconds:.4f}",
                    f"{stage.us_per_object:.2f}",
                    stage.floor or "",
                    _ratio(stage.ratio),
                    stage.strict_floor or "",
                    "" if stage.strict_floor is None else _ratio(stage.strict_ratio),
                ]
            )
        for floor in result.floors:
            rows.append(
                [
                    f"[{floor.name}]",
                    f"{floor.seconds:.4f}",
                    f"{floor.us_per_object:.2f}",
                    "",
                    "",
                    "",
                    "",
                ]
            )
        lines.extend(_table(rows))
        for mem in result.memory:
            lines.append(
                f"memory ({report.memory_method}) {mem.name}: peak {_mib(mem.peak_bytes)} MiB, "
                f"parsed objects {_mib(mem.parsed_bytes)} MiB, ratio {_ratio(mem.ratio)}; "
                f"the floor's own peak {_mib(mem.floor_peak_bytes)} MiB, "
                f"ratio {_ratio(mem.floor_ratio)}"
            )
        lines.append("")
    if len(report.sizes) > 1:
        slopes = report.slopes()
        pairs = list(next(iter(slopes.values())))
        rows = [["slope (log-log)", *pairs]]
        for name, values in slopes.items():
            rows.append([name, *("-" if values[p] is None else f"{values[p]:.2f}" for p in pairs)])
        lines.extend(_table(rows))
    lines.append(
        f"floors: yaml = yaml.load_all ({report.floor_loader}), json = json.loads, "
        "*_nogc = the same with the cyclic GC off (strict floors), "
        f"sort = sorted() of the plan keys; best of {report.repeat}, process CPU time"
    )
    return lines


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        ).rstrip()
        for row in rows
    ]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the runner's options to ``parser`` (shared by both entry points)."""
    parser.add_argument(
        "--sizes",
        default=",".join(str(s) for s in DEFAULT_SIZES),
        help="comma-separated resource counts (default: 1000,10000,100000; 10k works)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"tiny sizes ({','.join(str(s) for s in QUICK_SIZES)}), a few seconds",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs per stage, best kept")
    parser.add_argument("--seed", type=int, default=7, help="generator seed (default 7)")
    parser.add_argument(
        "--no-memory", action="store_true", help="skip the tracemalloc pass (faster)"
    )
    parser.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    if not any(action.dest == "output" for action in parser._actions):
        parser.add_argument(
            "-o", "--output", choices=("text", "json"), default="text", help="output format"
        )


def run_from_args(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run with parsed arguments and print the report; returns the exit code (0)."""
    stream = out if out is not None else sys.stdout
    sizes = QUICK_SIZES if args.quick else parse_sizes(args.sizes)
    report = run_benchmarks(
        sizes,
        seed=args.seed,
        repeat=args.repeat,
        memory=not args.no_memory,
        progress=not args.no_progress,
    )
    if args.output == "json":
        json.dump(report.as_dict(), stream, indent=2)
        stream.write("\n")
    else:
        for line in format_report(report):
            stream.write(line + "\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks``: parse ``argv`` and run."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Stage-by-stage benchmark of gitops_core against its floors.",
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return run_from_args(args)
    except UsageError as exc:
        print(f"benchmarks: error: {exc}", file=sys.stderr)
        return 2
