"""Normalisation and kind knowledge against fixture cases (tests/fixtures/diff/normalize/*.yaml).

A case file holds ``description``, ``operation`` and the data of that operation:

* ``remarshal`` / ``normalize`` / ``pipeline`` (remarshal then normalize) / ``defaults``
  (apply_scheme_defaults): ``input``, optional ``options`` (normalize keywords) and
  ``expected`` (the exact result, compared type-strictly: ``1`` is not ``1.0`` nor ``true``).
  ``unchanged: true`` also requires the very input object back (no copy). Every case checks
  that the input is not mutated and that the operation is idempotent.
* ``schema``: ``lookups``, each either ``{type, field, expect: {FieldInfo attribute: value}}``
  (``expect: null`` for an unknown field) or ``{kind: [group, version, kind], registered,
  root}``.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitops_core.diff import _schema
from gitops_core.diff.normalize import apply_scheme_defaults, normalize_object, remarshal

CASES_DIR = Path(__file__).parent / "fixtures" / "diff" / "normalize"
CASE_FILES = sorted(CASES_DIR.glob("*.yaml"))


def _load(path: Path) -> dict[str, Any]:
    # fixtures quote timestamps, so the plain safe loader keeps them strings
    data = yaml.load(path.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    assert isinstance(data, dict), path
    return data


def strict_equal(left: Any, right: Any) -> bool:
    """JSON equality that also tells ints, floats and booleans apart."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(strict_equal(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(map(strict_equal, left, right))
    return bool(left == right)


def _run(operation: str, obj: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    if operation == "remarshal":
        return remarshal(obj)
    if operation == "normalize":
        return normalize_object(obj, **options)
    if operation == "pipeline":
        return normalize_object(remarshal(obj), **options)
    if operation == "defaults":
        return apply_scheme_defaults(obj)
    raise AssertionError(f"unknown operation {operation!r}")


def _check_schema(case: dict[str, Any]) -> None:
    for lookup in case["lookups"]:
        if "kind" in lookup:
            group, version, kind = lookup["kind"]
            assert _schema.is_registered(group, version, kind) is lookup["registered"], lookup
            if "root" in lookup:
                assert _schema.root_type(group, version, kind) == lookup["root"], lookup
            continue
        info = _schema.field_info(lookup["type"], lookup["field"])
        if lookup["expect"] is None:
            assert info is None, lookup
            continue
        assert info is not None, lookup
        for attribute, expected in lookup["expect"].items():
            actual = getattr(info, attribute)
            if isinstance(actual, tuple):
                actual = list(actual)
            assert actual == expected, (lookup["type"], lookup["field"], attribute, actual)


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_normalize_case(path: Path) -> None:
    case = _load(path)
    assert case.get("description"), "every case says what it pins"
    operation = case["operation"]
    if operation == "schema":
        _check_schema(case)
        return
    obj = case["input"]
    options = case.get("options") or {}
    before = copy.deepcopy(obj)
    result = _run(operation, obj, options)
    assert strict_equal(obj, before), "the input object was mutated"
    assert strict_equal(result, case["expected"]), result
    if case.get("unchanged"):
        assert result is obj, "an object that needs no change comes back as itself"
    again = _run(operation, result, options)
    assert strict_equal(again, result), "not idempotent"


def test_there_are_enough_cases() -> None:
    assert len(CASE_FILES) >= 50
