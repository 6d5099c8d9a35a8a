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


# --- properties: never raises, never mutates, idempotent, on fuzzed objects ---------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["", "0.2", "1Gi", "100m", "x", "YQ==", "2024-01-01T00:00:00Z", "TCP"]),
)
_FIELDS = st.sampled_from(
    [
        "name",
        "image",
        "replicas",
        "containers",
        "resources",
        "limits",
        "cpu",
        "ports",
        "containerPort",
        "readOnly",
        "volumeMounts",
        "mountPath",
        "data",
        "stringData",
        "rules",
        "subsets",
        "addresses",
        "ip",
        "protocol",
        "port",
        "targetPort",
        "labels",
        "template",
        "spec",
        "metadata",
        "creationTimestamp",
        "unknown",
        "hostPort",
        "env",
        "value",
    ]
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(_FIELDS, inner, max_size=4)
    ),
    max_leaves=12,
)
_KINDS = st.sampled_from(
    [
        ("apps/v1", "Deployment"),
        ("v1", "Pod"),
        ("v1", "Secret"),
        ("v1", "Service"),
        ("v1", "Endpoints"),
        ("rbac.authorization.k8s.io/v1", "ClusterRole"),
        ("batch/v1", "Job"),
        ("example.com/v1", "Widget"),
    ]
)


@st.composite
def fuzzed_objects(draw: st.DrawFn) -> dict[str, Any]:
    api_version, kind = draw(_KINDS)
    obj: dict[str, Any] = {"apiVersion": api_version, "kind": kind}
    obj.update(draw(st.dictionaries(_FIELDS, _VALUES, max_size=4)))
    return obj


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fuzzed_objects(), st.booleans())
def test_normalisation_is_total_pure_and_idempotent(obj: dict[str, Any], aggregated: bool) -> None:
    before = copy.deepcopy(obj)
    once = normalize_object(remarshal(obj), ignore_aggregated_roles=aggregated)
    assert strict_equal(obj, before)
    twice = normalize_object(remarshal(once), ignore_aggregated_roles=aggregated)
    assert strict_equal(once, twice)
    defaulted = apply_scheme_defaults(once)
    assert strict_equal(once, normalize_object(remarshal(once), ignore_aggregated_roles=aggregated))
    assert strict_equal(apply_scheme_defaults(defaulted), defaulted)


def test_realistic_objects_decode_into_their_types() -> None:
    """Desired and live objects as clusters hold them decode strictly (no silent raw fallback)."""
    from gitops_core.bench.generate import generate
    from gitops_core.diff._remarshal import convert_typed, split_api_version

    generated = generate(300, seed=7)
    checked = 0
    for obj in generated.desired + generated.live:
        group_version = split_api_version(obj.get("apiVersion"))
        assert group_version is not None
        root = _schema.root_type(group_version[0], group_version[1], obj["kind"])
        if root is None:
            continue
        convert_typed(obj, root)  # raises TypedDecodeError when the schema rejects it
        checked += 1
    assert checked > 200


def test_type_table_names_its_source() -> None:
    assert _schema.kubernetes_version().startswith("v1.")
    kinds = _schema.registered_kinds()
    assert ("apps", "v1", "Deployment") in kinds
    assert not any(group == "apiextensions.k8s.io" for group, _, _ in kinds)


def test_hand_lists_name_existing_fields() -> None:
    """Every hand-kept (type, field) of the generator and every defaulted type exists."""
    import importlib.util

    from gitops_core.diff import _defaults

    path = Path(__file__).resolve().parents[1] / "tools" / "gen_kube_types.py"
    spec = importlib.util.spec_from_file_location("gen_kube_types", path)
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    missing = [
        (type_name, field)
        for table in (generator.KEEP_EMPTY, generator.POINTER_STRINGS, generator.ZERO_OMITTED)
        for type_name, field in table
        if _schema.field_info(type_name, field) is None
    ]
    assert missing == []
    defaulted = set(_defaults._TYPE_DEFAULTERS)
    for overrides in _defaults._VERSION_OVERRIDES.values():
        defaulted.update(overrides)
    assert [name for name in sorted(defaulted) if _schema.type_fields(name) is None] == []
