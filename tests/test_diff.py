"""The diff engine against fixture cases (tests/fixtures/diff/cases/*.yaml) and properties.

A case file holds ``desired`` and ``live`` (either may be null), optionally ``last_applied`` (an
object written into live's last-applied annotation as kubectl would, compact JSON) or
``last_applied_raw`` (the annotation text verbatim), ``dry_run_result``, ``options`` (DiffOptions
keywords) and ``expected``:

* ``modified`` (required);
* ``changes``: the exact sorted list of changed JSON pointers, or ``changes_include``: a subset;
* ``reasons``: ``{pointer: reason}`` for some changes;
* ``predicted_live`` / ``normalized_live``: exact objects, or ``predicted_include``: a map of
  JSON pointer → expected value (``~absent`` for "not there");
* ``strategy``: which diff ran;
* ``text_added`` / ``text_removed``: lines (without the sign and indentation) the unified text
  diff must show as added (``+``) / removed (``-``);
* ``requires``: features of the normalisation module the case depends on (``remarshal``,
  ``normalize``, ``defaults``); a case is skipped while such a feature is still a stub.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gitops_core.diff import DiffOptions, diff
from gitops_core.diff import normalize as normalize_module
from gitops_core.diff._json import json_equal
from gitops_core.diff.render import render_json, render_unified
from gitops_core.errors import DiffError

CASES_DIR = Path(__file__).parent / "fixtures" / "diff" / "cases"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
ABSENT = "~absent"


def _load(path: Path) -> dict[str, Any]:
    # fixtures quote timestamps, so the plain safe loader keeps them strings
    data = yaml.load(path.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    assert isinstance(data, dict), path
    return data


CASE_FILES = sorted(CASES_DIR.glob("*.yaml"))


def _features() -> set[str]:
    """Which parts of the normalisation module are implemented (not stubs) yet."""
    found: set[str] = set()
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "creationTimestamp": None},
        "spec": {"containers": [{"name": "c", "resources": {"limits": {"cpu": 0.2}}}]},
    }
    remarshaled = normalize_module.remarshal(pod)
    if remarshaled["spec"]["containers"][0]["resources"]["limits"]["cpu"] == "200m":
        found.add("remarshal")
    if "creationTimestamp" not in normalize_module.normalize_object(pod)["metadata"]:
        found.add("normalize")
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "d"},
        "spec": {},
    }
    if "progressDeadlineSeconds" in normalize_module.apply_scheme_defaults(deployment).get(
        "spec", {}
    ):
        found.add("defaults")
    return found


FEATURES = _features()


def _resolve(obj: Any, pointer: str) -> Any:
    if pointer == "":
        return obj
    for raw in pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(obj, dict) and token in obj:
            obj = obj[token]
        elif isinstance(obj, list) and token.isdigit() and int(token) < len(obj):
            obj = obj[int(token)]
        else:
            return ABSENT
    return obj


def _inputs(case: dict[str, Any]) -> tuple[Any, Any, DiffOptions, Any]:
    desired = case.get("desired")
    live = copy.deepcopy(case.get("live"))
    if live is not None and ("last_applied" in case or "last_applied_raw" in case):
        if "last_applied_raw" in case:
            text = case["last_applied_raw"]
        else:
            text = json.dumps(case["last_applied"], separators=(",", ":")) + "\n"
        metadata = live.setdefault("metadata", {})
        annotations = metadata.get("annotations") or {}
        metadata["annotations"] = {**annotations, LAST_APPLIED: text}
    options = DiffOptions(**case.get("options", {}))
    return desired, live, options, case.get("dry_run_result")


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_case(path: Path) -> None:
    case = _load(path)
    expected = case["expected"]
    missing = set(expected.get("requires", ())) - FEATURES
    if missing:
        pytest.skip(f"normalisation feature(s) not implemented yet: {sorted(missing)}")
    desired, live, options, dry_run = _inputs(case)
    frozen = copy.deepcopy((desired, live, dry_run))
    if expected.get("error"):
        with pytest.raises(DiffError):
            diff(desired, live, options, dry_run_result=dry_run)
        return
    result = diff(desired, live, options, dry_run_result=dry_run)
    assert (desired, live, dry_run) == frozen, "diff() mutated its input"
    paths = sorted(change.path for change in result.changes)
    assert result.modified is expected["modified"], paths
    if "changes" in expected:
        assert paths == sorted(expected["changes"])
    for pointer in expected.get("changes_include", ()):
        assert pointer in paths, paths
    for pointer, reason in expected.get("reasons", {}).items():
        assert {c.path: c.reason for c in result.changes}[pointer] == reason
    if "strategy" in expected:
        assert result.strategy == expected["strategy"]
    for field in ("predicted_live", "normalized_live"):
        if field in expected:
            assert json_equal(getattr(result, field), expected[field]), getattr(result, field)
    if "predicted_live_json" in expected:
        assert result.predicted_live_json() == expected["predicted_live_json"]
    if "normalized_live_json" in expected:
        assert result.normalized_live_json() == expected["normalized_live_json"]
    for pointer, value in expected.get("predicted_include", {}).items():
        got = _resolve(result.predicted_live, pointer)
        assert (got == ABSENT) if value == ABSENT else json_equal(got, value), (pointer, got)
    for pointer, value in expected.get("live_include", {}).items():
        got = _resolve(result.normalized_live, pointer)
        assert (got == ABSENT) if value == ABSENT else json_equal(got, value), (pointer, got)
    # rendering never fails and never shows Secret values in clear
    text = render_unified(result)
    rendered_json = json.dumps(render_json(result))
    if result.modified and result.predicted_live is not None and result.normalized_live is not None:
        assert text.strip()
    for sign, key in (("+", "text_added"), ("-", "text_removed")):
        shown = {
            line[1:].strip()
            for line in text.splitlines()
            if line.startswith(sign) and not line.startswith(sign * 3)
        }
        for wanted in expected.get(key, ()):
            assert wanted in shown, (key, wanted, text)
    for secret in expected.get("secret_values", ()):
        assert secret not in text and secret not in rendered_json


@pytest.mark.parametrize(
    "module", ["gitops_core.diff", "gitops_core.diff._json", "gitops_core.diff._engine"]
)
def test_doctests(module: str) -> None:
    import doctest
    import importlib

    failures, _ = doctest.testmod(importlib.import_module(module))
    assert failures == 0


def test_enough_cases() -> None:
    assert len(CASE_FILES) >= 150


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------

_names = st.text(alphabet="abcdefgh-", min_size=1, max_size=6)
_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.text(alphabet="xyz01", max_size=3)
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(_names, inner, max_size=3)
    ),
    max_leaves=8,
)
_containers = st.lists(
    st.fixed_dictionaries(
        {"name": _names, "image": _names},
        optional={
            "env": st.lists(st.fixed_dictionaries({"name": _names, "value": _names}), max_size=3),
            "args": st.lists(_names, max_size=3),
        },
    ),
    min_size=1,
    max_size=3,
    unique_by=lambda c: c["name"],
)


def _deployment(labels: dict[str, Any], containers: list[Any], extra: Any) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": labels},
        "spec": {
            "replicas": 2,
            "template": {"metadata": {"labels": labels}, "spec": {"containers": containers}},
        },
        "x-extra": extra,
    }


def _custom(spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "example.com/v1",
        "kind": "Widget",
        "metadata": {"name": "w"},
        "spec": spec,
    }


_objects = st.one_of(
    st.builds(_deployment, st.dictionaries(_names, _names, max_size=3), _containers, _values),
    st.builds(_custom, _values),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_objects)
def test_object_against_itself_is_never_modified(obj: dict[str, Any]) -> None:
    assert not diff(obj, copy.deepcopy(obj)).modified
    applied = copy.deepcopy(obj)
    applied.setdefault("metadata", {}).setdefault("annotations", {})[LAST_APPLIED] = json.dumps(obj)
    assert not diff(obj, applied).modified


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_objects)
def test_normalisation_is_idempotent(obj: dict[str, Any]) -> None:
    once = normalize_module.normalize_object(normalize_module.remarshal(obj))
    twice = normalize_module.normalize_object(normalize_module.remarshal(once))
    assert json_equal(once, twice)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_objects, _names, _names)
def test_changed_desired_field_always_shows(obj: dict[str, Any], key: str, value: str) -> None:
    live = copy.deepcopy(obj)
    live["metadata"]["uid"] = "0000"
    desired = copy.deepcopy(obj)
    labels = desired["metadata"].get("labels") or {}
    if labels.get(key) == value:
        value = value + "-changed"
    desired["metadata"]["labels"] = {**labels, key: value}
    result = diff(desired, live)
    assert result.modified
    assert any(c.path.startswith("/metadata/labels") for c in result.changes)


def _mutate(obj: Any, data: st.DataObject) -> Any:
    """A random small edit of a JSON-like object: change, add or drop one entry."""
    if isinstance(obj, dict) and obj:
        key = data.draw(st.sampled_from(sorted(obj)))
        action = data.draw(st.sampled_from(["recurse", "drop", "set"]))
        out = dict(obj)
        if action == "drop":
            del out[key]
        elif action == "set":
            out[key] = data.draw(_values)
        else:
            out[key] = _mutate(obj[key], data)
        return out
    if isinstance(obj, list) and obj:
        index = data.draw(st.integers(0, len(obj) - 1))
        out_list = list(obj)
        action = data.draw(st.sampled_from(["recurse", "drop", "append"]))
        if action == "drop":
            del out_list[index]
        elif action == "append":
            out_list.append(copy.deepcopy(obj[index]))
        else:
            out_list[index] = _mutate(obj[index], data)
        return out_list
    return data.draw(_values)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_objects, st.data())
def test_fast_path_agrees_with_full_patch(obj: dict[str, Any], data: st.DataObject) -> None:
    """Whenever the fast path says "in sync", building and applying the patch agrees."""
    from gitops_core.diff._threeway import in_sync, patch_inputs, run_three_way

    desired = _mutate(obj, data) if data.draw(st.booleans()) else obj
    live = _mutate(obj, data)
    original = _mutate(obj, data) if data.draw(st.booleans()) else desired
    if not all(isinstance(x, dict) for x in (desired, live, original)):
        return
    inputs = patch_inputs(original, desired, live)
    try:
        fast = in_sync(inputs, two_way=original is desired)
        outcome = run_three_way(inputs, live)
    except Exception as exc:  # the patch may fail on odd input; the fast path must then be False
        assert type(exc).__name__ in ("SmpError", "JsonMergeConflict")
        return
    if fast:
        assert json_equal(outcome.predicted, outcome.live)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_objects, st.data())
def test_odd_input_never_crashes(obj: dict[str, Any], data: st.DataObject) -> None:
    """Random edits (wrong types, dropped keys, garbage) give a result or a DiffError."""
    desired = _mutate(obj, data)
    live = _mutate(obj, data)
    if not isinstance(desired, dict) or not isinstance(live, dict):
        return
    if data.draw(st.booleans()):
        annotation = data.draw(
            st.sampled_from(["{bad", "[]", json.dumps(obj), json.dumps(desired), "null"])
        )
        metadata = live.get("metadata")
        if isinstance(metadata, dict):
            live = {**live, "metadata": {**metadata, "annotations": {LAST_APPLIED: annotation}}}
    try:
        result = diff(desired, live)
    except DiffError:
        return
    render_unified(result)
    json.dumps(render_json(result), default=str)


def _string_leaves(obj: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(obj, dict):
        return [leaf for key, value in obj.items() for leaf in _string_leaves(value, (*path, key))]
    if isinstance(obj, list):
        return [leaf for i, value in enumerate(obj) for leaf in _string_leaves(value, (*path, i))]
    return [path] if isinstance(obj, str) else []


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_objects, st.data())
def test_changed_string_leaf_always_shows(obj: dict[str, Any], data: st.DataObject) -> None:
    """Any string value of desired changed (outside identity fields) makes the pair modified."""
    leaves = [
        leaf
        for leaf in _string_leaves(obj)
        if leaf[0] not in ("apiVersion", "kind")
        and leaf[:2] not in (("metadata", "name"), ("metadata", "namespace"))
    ]
    if not leaves:
        return
    leaf = data.draw(st.sampled_from(leaves))
    live = copy.deepcopy(obj)
    live["metadata"]["uid"] = "0000"
    desired = copy.deepcopy(obj)
    target: Any = desired
    for part in leaf[:-1]:
        target = target[part]
    target[leaf[-1]] = target[leaf[-1]] + "-changed"
    for applied in (False, True):
        if applied:
            live["metadata"]["annotations"] = {LAST_APPLIED: json.dumps(obj)}
        try:
            result = diff(desired, live)
        except DiffError:
            continue  # e.g. duplicate merge keys created by the edit: Argo CD errors as well
        assert result.modified, leaf


SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def test_argo_cd_install_against_served_live() -> None:
    """Every object of Argo CD's install manifest against itself as a server would return it
    (defaults, server metadata, status, last-applied): in sync; a changed label: modified."""
    from gitops_core.manifests import load_manifests

    objects = load_manifests([str(SHARED / "examples" / "argo-cd-install.yaml")]).objects()
    assert len(objects) > 40
    for obj in objects:
        live = copy.deepcopy(
            normalize_module.apply_scheme_defaults(normalize_module.remarshal(obj))
        )
        metadata = live.setdefault("metadata", {})
        metadata.update(uid="3f0c", resourceVersion="1", creationTimestamp="2026-01-01T00:00:00Z")
        metadata.setdefault("namespace", "argocd")
        metadata.setdefault("annotations", {})[LAST_APPLIED] = json.dumps(obj)
        live["status"] = {"observedGeneration": 1}
        result = diff(obj, live)
        assert not result.modified, (obj["kind"], [c.path for c in result.changes])
        drifted = copy.deepcopy(obj)
        drifted["metadata"].setdefault("labels", {})["drift"] = "yes"
        assert diff(drifted, live).modified, obj["kind"]


# --------------------------------------------------------------------------------------------
# Fast paths never change a result
# --------------------------------------------------------------------------------------------

_typed_scalars = st.sampled_from(
    [
        *(None, True, False, 0, 1, 80, 1.0, 0.5, 2**40, "", "x", "80", "100m", "0.5", "1Gi"),
        *("YWJj", "2026-01-15T10:00:00Z", "2026-01-15T12:00:00+02:00", "2026-01-15 10:00"),
    ]
)
_typed_values = st.recursive(
    _typed_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(_names, inner, max_size=3)
    ),
    max_leaves=6,
)


def _json_equal_reference(left: Any, right: Any) -> bool:
    """The definition: JSON types must match (ints and floats are one type), values equal."""
    number = (int, float)
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, number) and isinstance(right, number):
        return bool(left == right)
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(
            _json_equal_reference(value, right[key]) for key, value in left.items()
        )
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(
            _json_equal_reference(a, b) for a, b in zip(left, right, strict=True)
        )
    return type(left) is type(right) and left == right


@settings(max_examples=300, deadline=None)
@given(_typed_values, st.data())
def test_json_equal_matches_its_definition(value: Any, data: st.DataObject) -> None:
    """Inline shortcuts for same-typed scalars agree with the definition (``True != 1``)."""
    other = data.draw(st.sampled_from(["copy", "mutate", "any"]))
    if other == "copy":
        right = copy.deepcopy(value)
    elif other == "mutate":
        right = _mutate(copy.deepcopy(value), data)
    else:
        right = data.draw(_typed_values)
    assert json_equal(value, right) == _json_equal_reference(value, right)
    assert json_equal(right, value) == _json_equal_reference(right, value)


def _generated_objects() -> list[dict[str, Any]]:
    from gitops_core.bench import generate

    generated = generate(80, seed=3)
    return generated.desired + generated.live


_GENERATED = _generated_objects()


def _remarshal_without_fast_paths(obj: dict[str, Any]) -> dict[str, Any]:
    """remarshal with every field taken through the general branches of the typed walk."""
    from gitops_core.diff import _remarshal

    saved = dict(_remarshal._plans), dict(_remarshal._plain_strings)
    try:
        for name in list(_remarshal._plans):
            plan = _remarshal._plans[name]
            _remarshal._plans[name] = {key: (*spec[:4], 0) for key, spec in plan.items()}
            _remarshal._plain_strings[name] = frozenset()
        original_plan = _remarshal._plan

        def generic_plan(type_name: str) -> Any:
            plan = original_plan(type_name)
            generic = {key: (*spec[:4], 0) for key, spec in plan.items()}
            _remarshal._plans[type_name] = generic
            _remarshal._plain_strings[type_name] = frozenset()
            return generic

        _remarshal._plan = generic_plan  # type: ignore[assignment]
        try:
            return _remarshal.remarshal_object(obj)
        finally:
            _remarshal._plan = original_plan  # type: ignore[assignment]
    finally:
        _remarshal._plans.clear()
        _remarshal._plans.update(saved[0])
        _remarshal._plain_strings.clear()
        _remarshal._plain_strings.update(saved[1])


def _one_of_each_kind() -> list[dict[str, Any]]:
    seen: dict[tuple[str, bool], dict[str, Any]] = {}
    for obj in _GENERATED:
        seen.setdefault((obj["kind"], "managedFields" in obj["metadata"]), obj)
    return list(seen.values())


_TYPED_EDITS = [
    None, True, False, 0, 1, 80, 1.0, 0.5, "", "x", "80", "100m", "0.5", "1Gi", "YWJj",
    "2026-01-15T12:00:00+02:00", "2026-01-15 10:00", [], {}, ["a", None], {"a": None},
]  # fmt: skip


def test_remarshal_fast_paths_change_nothing() -> None:
    """The fast paths of the typed walk give byte for byte what the general branches give,
    for every value of one object of each generated kind (desired and live) replaced by each
    of a set of values that typed fields treat specially (times, quantities, ports, empties).
    """
    from gitops_core.diff._remarshal import remarshal_object

    checked = 0
    for obj in _one_of_each_kind():
        for path in _paths(obj):
            if path[0] in ("apiVersion", "kind"):
                continue
            for value in [*_TYPED_EDITS, _DROP_VALUE]:
                edited = copy.deepcopy(obj)
                parent = edited
                for step in path[:-1]:
                    parent = parent[step]
                if value is _DROP_VALUE:
                    del parent[path[-1]]
                else:
                    parent[path[-1]] = copy.deepcopy(value)
                fast = json.dumps(remarshal_object(edited))
                assert fast == json.dumps(_remarshal_without_fast_paths(edited)), path
                checked += 1
    assert checked > 5000


_DROP_VALUE = object()


def _paths(obj: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``obj`` (not the root)."""
    found: list[tuple[Any, ...]] = [path] if path else []
    if isinstance(obj, dict):
        for key, value in obj.items():
            found.extend(_paths(value, (*path, key)))
    elif isinstance(obj, list):
        for index, value in enumerate(obj):
            found.extend(_paths(value, (*path, index)))
    return found
