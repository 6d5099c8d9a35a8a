"""Quantity and Go-duration canonical forms: table cases (tests/fixtures/diff/quantity/) and
hypothesis properties (canonical form is idempotent and keeps the value)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from gitops_core.diff._duration import canonical_duration, format_duration, parse_duration
from gitops_core.diff._quantity import canonical_quantity, parse_quantity, round_up_quantity

TABLE = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "diff" / "quantity" / "quantities.yaml").read_text()
)


def _ids(rows: list[Any]) -> list[str]:
    return [repr(row[0] if isinstance(row, list) else row) for row in rows]


@pytest.mark.parametrize("row", TABLE["canonical"], ids=_ids(TABLE["canonical"]))
def test_canonical_quantity_table(row: list[Any]) -> None:
    given_value, expected = row
    assert canonical_quantity(given_value) == str(expected)


@pytest.mark.parametrize("value", TABLE["invalid"], ids=_ids(TABLE["invalid"]))
def test_invalid_quantity_raises_value_error(value: Any) -> None:
    with pytest.raises(ValueError):
        canonical_quantity(value)


@pytest.mark.parametrize("row", TABLE["durations"], ids=_ids(TABLE["durations"]))
def test_canonical_duration_table(row: list[str]) -> None:
    assert canonical_duration(row[0]) == row[1]


@pytest.mark.parametrize("value", TABLE["invalid_durations"], ids=_ids(TABLE["invalid_durations"]))
def test_invalid_duration_raises_value_error(value: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(value)


_DECIMAL_SUFFIXES = ["n", "u", "m", "", "k", "M", "G", "T"]
_BINARY_SUFFIXES = ["Ki", "Mi", "Gi", "Ti"]


@st.composite
def quantities(draw: st.DrawFn) -> str:
    sign = draw(st.sampled_from(["", "-"]))
    whole = draw(st.integers(min_value=0, max_value=10**6))
    fraction = draw(st.one_of(st.just(""), st.integers(0, 999).map(lambda n: f".{n:03d}")))
    family = draw(st.sampled_from(["decimal", "binary", "exponent"]))
    if family == "decimal":
        suffix = draw(st.sampled_from(_DECIMAL_SUFFIXES))
    elif family == "binary":
        suffix = draw(st.sampled_from(_BINARY_SUFFIXES))
    else:
        suffix = f"e{draw(st.integers(-9, 12))}"
    return f"{sign}{whole}{fraction}{suffix}"


@settings(max_examples=300, deadline=None)
@given(quantities())
def test_canonical_quantity_is_idempotent(text: str) -> None:
    once = canonical_quantity(text)
    assert canonical_quantity(once) == once


@settings(max_examples=300, deadline=None)
@given(quantities())
def test_canonical_quantity_keeps_the_value(text: str) -> None:
    value, _ = parse_quantity(text)
    canonical_value, _ = parse_quantity(canonical_quantity(text))
    # values finer than nano are rounded up (away from zero) to nano, as Go does
    if value.denominator > 10**9:
        assert abs(canonical_value - value) < Fraction(1, 10**9)
    else:
        assert canonical_value == value


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=2**62))
def test_integer_quantities_round_trip(number: int) -> None:
    value, fmt = parse_quantity(canonical_quantity(number))
    assert value == number
    assert fmt in ("DecimalSI", "DecimalExponent")


@settings(max_examples=200, deadline=None)
@given(quantities())
def test_round_up_is_at_least_the_value(text: str) -> None:
    value, _ = parse_quantity(text)
    rounded, _ = parse_quantity(round_up_quantity(text, -3))
    if value >= 0:
        assert rounded >= value and rounded - value < Fraction(1, 1000)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-(2**63) + 1, max_value=2**63 - 1))
def test_duration_string_round_trips(nanoseconds: int) -> None:
    text = format_duration(nanoseconds)
    assert parse_duration(text) == nanoseconds
    assert canonical_duration(text) == text


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 10_000), st.sampled_from(["h", "m", "s", "ms", "us", "ns"])),
        min_size=1,
        max_size=4,
    )
)
def test_duration_sums_its_parts(parts: list[tuple[int, str]]) -> None:
    scale = {"h": 3600 * 10**9, "m": 60 * 10**9, "s": 10**9, "ms": 10**6, "us": 1000, "ns": 1}
    text = "".join(f"{amount}{unit}" for amount, unit in parts)
    assert parse_duration(text) == sum(amount * scale[unit] for amount, unit in parts)


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_go_float_text_round_trips(number: float) -> None:
    from gitops_core.diff._quantity import go_float_text

    text = go_float_text(number)
    assert float(text) == number
    assert ("e" in text) == (number != 0 and not 1e-6 <= abs(number) < 1e21)
    assert not text.endswith(".0")
