"""The benchmark runner: quick mode end to end, the JSON shape, the text table, the CLI.

No timing is asserted anywhere: only the shape and the consistency of what is reported.
"""

from __future__ import annotations

import argparse
import io
import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitops_core.bench.runner import (
    QUICK_SIZES,
    add_arguments,
    format_report,
    parse_sizes,
    run_benchmarks,
    run_from_args,
)
from gitops_core.cli.main import main as cli_main
from gitops_core.errors import UsageError

FIXTURES = Path(__file__).parent / "fixtures" / "bench"
SHAPE: dict[str, Any] = yaml.safe_load((FIXTURES / "report_shape.yaml").read_text())
SIZE_CASES: list[dict[str, Any]] = yaml.safe_load((FIXTURES / "sizes.yaml").read_text())


@pytest.fixture(scope="module")
def quick_report() -> dict[str, Any]:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    out = io.StringIO()
    args = parser.parse_args(["--quick", "--output", "json", "--no-progress"])
    assert run_from_args(args, out) == 0
    report: dict[str, Any] = json.loads(out.getvalue())
    return report


def test_quick_report_shape(quick_report: dict[str, Any]) -> None:
    assert list(quick_report) == SHAPE["top"]
    assert [r["size"] for r in quick_report["results"]] == list(QUICK_SIZES)
    assert quick_report["memory_method"] == "tracemalloc"
    for result in quick_report["results"]:
        assert list(result) == SHAPE["result"]
        assert list(result["stages"]) == SHAPE["stages"]
        assert list(result["floors"]) == SHAPE["floors"]
        assert list(result["memory"]) == SHAPE["memory"]
        assert result["objects"] == result["desired"] + result["live"]
        assert result["desired"] == result["size"]
        for name, stage in result["stages"].items():
            assert list(stage) == SHAPE["stage"]
            assert stage["floor"] == SHAPE["floor_of"][name]
            assert stage["strict_floor"] == SHAPE["strict_floor_of"][name]
            assert stage["seconds"] >= 0
        for run in result["memory"].values():
            assert list(run) == SHAPE["memory_run"]
            assert run["peak_bytes"] > 0
            assert run["parsed_bytes"] > 0
            # parsing alone peaks at least at what it keeps
            assert run["floor_peak_bytes"] >= run["parsed_bytes"]
            assert run["ratio"] == pytest.approx(run["peak_bytes"] / run["parsed_bytes"], rel=0.01)


def test_quick_report_slopes(quick_report: dict[str, Any]) -> None:
    pair = f"{QUICK_SIZES[0]}-{QUICK_SIZES[1]}"
    assert set(quick_report["slopes"]) == {*SHAPE["stages"], *SHAPE["floors"]}
    for values in quick_report["slopes"].values():
        assert list(values) == [pair]
        slope = values[pair]
        assert slope is None or math.isfinite(slope)


def test_ratios_are_stage_over_floor(quick_report: dict[str, Any]) -> None:
    for result in quick_report["results"]:
        for stage in result["stages"].values():
            floor = result["floors"][stage["floor"]]["seconds"]
            if stage["ratio"] is not None and floor > 0.001:
                assert stage["ratio"] == pytest.approx(stage["seconds"] / floor, rel=0.01)
            if stage["strict_floor"] is None:
                assert stage["strict_ratio"] is None
                continue
            strict = result["floors"][stage["strict_floor"]]["seconds"]
            if stage["strict_ratio"] is not None and strict > 0.001:
                assert stage["strict_ratio"] == pytest.approx(stage["seconds"] / strict, rel=0.01)


@pytest.mark.parametrize("case", SIZE_CASES, ids=[c["name"] for c in SIZE_CASES])
def test_parse_sizes(case: dict[str, Any]) -> None:
    if "error" in case:
        with pytest.raises(UsageError, match=case["error"]):
            parse_sizes(case["input"])
    else:
        assert list(parse_sizes(case["input"])) == case["expect"]


def test_text_report_lists_every_stage_and_floor() -> None:
    report = run_benchmarks([20, 40], memory=False, progress=False)
    text = "\n".join(format_report(report))
    for name in SHAPE["stages"]:
        assert f"\n{name} " in text
    for name in SHAPE["floors"]:
        assert f"[{name}]" in text
    assert "slope (log-log)" in text and "20-40" in text
    assert all(r.memory == () for r in report.sizes)
    assert "memory (" not in text


def test_cli_bench_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli_main(["bench", "--sizes", "25", "--no-memory", "--output", "json"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert [r["size"] for r in report["results"]] == [25]
    assert report["slopes"] == {name: {} for name in [*SHAPE["stages"], *SHAPE["floors"]]}


def test_cli_bench_bad_sizes(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["bench", "--sizes", "x"]) == 2
    assert "--sizes" in capsys.readouterr().err


def test_bad_repeat() -> None:
    with pytest.raises(UsageError):
        run_benchmarks([10], repeat=0)
