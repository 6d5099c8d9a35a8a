"""The comparison layer, driven by the fixture cases under ``tests/fixtures/compare/``.

Each YAML file holds a ``cases:`` list; every case has a ``name`` and a ``type`` that picks the
check below (``ignore``, ``managed_fields``, ``mask``, ``tracking``, ``known_types``,
``argocd_cm``, ``application``, ``compare``, ``cli``). Adding a case needs no code.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from gitops_core import errors
from gitops_core.diff import tracking
from gitops_core.diff.argocd_config import effective_overrides, parse_application, parse_argocd_cm
from gitops_core.diff.ignore import compile_ignore_rules, remove_json_pointer
from gitops_core.diff.known_types import compile_known_types
from gitops_core.diff.masking import mask_secrets

FIXTURES = Path(__file__).parent / "fixtures" / "compare"


def _load_cases() -> list[tuple[str, dict[str, Any]]]:
    cases = []
    for path in sorted(FIXTURES.rglob("*.yaml")):
        document = yaml.safe_load(path.read_text())
        for case in document["cases"]:
            cases.append((f"{path.relative_to(FIXTURES).with_suffix('')}::{case['name']}", case))
    return cases


CASES = _load_cases()
CHECKS: dict[str, Callable[[dict[str, Any], Path], None]] = {}


def check(
    kind: str,
) -> Callable[[Callable[[dict[str, Any], Path], None]], Callable[[dict[str, Any], Path], None]]:
    def register(
        function: Callable[[dict[str, Any], Path], None],
    ) -> Callable[[dict[str, Any], Path], None]:
        CHECKS[kind] = function
        return function

    return register


def _error_class(name: str) -> type[BaseException]:
    found = getattr(errors, name)
    assert isinstance(found, type) and issubclass(found, BaseException)
    return found


@check("ignore")
def _ignore(case: dict[str, Any], tmp: Path) -> None:
    build = lambda: compile_ignore_rules(  # noqa: E731
        case.get("rules", []),
        case.get("overrides"),
        jq_timeout_seconds=case.get("jq_timeout_seconds", 1.0),
    )
    if "error" in case:
        with pytest.raises(_error_class(case["error"])) as info:
            build()
        for text in case.get("message_contains", []):
            assert text in str(info.value)
        return
    rules = build()
    original = json.dumps(case["object"], sort_keys=True)
    outcome = rules.apply(case["object"])
    assert outcome is not None
    assert json.dumps(case["object"], sort_keys=True) == original, "input was modified"
    assert outcome.object == case["expect"]
    if "ignored" in case:
        assert [field.pointer for field in outcome.ignored] == case["ignored"]
    if "warnings" in case:
        assert len(outcome.warnings) == case["warnings"], outcome.warnings
    for text in case.get("warning_contains", []):
        assert any(text in warning for warning in outcome.warnings), outcome.warnings
    if "managers" in case:
        meta = case["object"].get("metadata", {})
        api_group = case["object"]["apiVersion"].rpartition("/")[0]
        found = rules.managers_for(
            api_group, case["object"]["kind"], meta.get("name", ""), meta.get("namespace", "")
        )
        assert list(found) == case["managers"]


@check("pointer")
def _pointer(case: dict[str, Any], tmp: Path) -> None:
    result = remove_json_pointer(case["document"], case["pointer"])
    if case.get("expect_missing"):
        assert result is None
    else:
        assert result is not None
        assert result[0] == case["expect"]
        assert result[1] == case["removed"]


@check("managed_fields")
def _managed_fields(case: dict[str, Any], tmp: Path) -> None:
    rules = compile_ignore_rules(case.get("rules", []), case.get("overrides"))
    desired, live, ignored = rules.normalize_managed_fields(case["desired"], case["live"])
    assert desired == case["expect_desired"]
    assert live == case["expect_live"]
    if "removed" in case:
        assert [field.pointer for field in ignored] == case["removed"]


@check("mask")
def _mask(case: dict[str, Any], tmp: Path) -> None:
    target, live = mask_secrets(
        case.get("target"), case.get("live"), sensitive_annotations=case.get("sensitive", ())
    )
    assert target == case.get("expect_target")
    assert live == case.get("expect_live")
    for secret in case.get("never_shown", []):
        text = json.dumps([target, live])
        assert secret not in text
        assert base64.b64encode(secret.encode()).decode() not in text


@check("tracking")
def _tracking(case: dict[str, Any], tmp: Path) -> None:
    function = case["function"]
    kwargs = case.get("kwargs", {})
    if function == "normalize_tracking":
        assert (
            tracking.normalize_tracking(case.get("desired"), case.get("live"), **kwargs)
            == case["expect"]
        )
    elif function == "set_app_instance":
        assert tracking.set_app_instance(case["object"], case["app"], **kwargs) == case["expect"]
    elif function == "is_self_referenced":
        assert (
            tracking.is_self_referenced(case["live"], case["desired_present"], **kwargs)
            is case["expect"]
        )
    elif function == "app_name_of":
        assert tracking.app_name_of(case["object"], **kwargs) == case["expect"]
    elif function == "parse_tracking_id":
        parsed = tracking.parse_tracking_id(case["value"])
        expected = case["expect"]
        parts = None
        if parsed is not None:
            parts = [
                parsed.application_name,
                parsed.group,
                parsed.kind,
                parsed.namespace,
                parsed.name,
            ]
        assert parts == expected
    else:  # pragma: no cover - a fixture naming a function this runner does not know
        raise AssertionError(f"unknown tracking function {function}")


@check("known_types")
def _known_types(case: dict[str, Any], tmp: Path) -> None:
    known = compile_known_types(case.get("overrides", {}))
    if "config_warnings" in case:
        assert len(known.warnings) == case["config_warnings"], known.warnings
    result, warnings = known.normalize(case["object"])
    assert result == case["expect"]
    assert len(warnings) == case.get("warnings", 0), warnings


def _plain(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


@check("argocd_cm")
def _argocd_cm(case: dict[str, Any], tmp: Path) -> None:
    if "error" in case:
        with pytest.raises(_error_class(case["error"])):
            parse_argocd_cm(case["configmap"])
        return
    settings = parse_argocd_cm(case["configmap"])
    kwargs = _plain(settings.option_kwargs())
    for key, expected in case["expect"].items():
        assert kwargs[key] == expected, key
    if "effective_overrides" in case:
        merged = effective_overrides(settings.resource_overrides, settings.compare_options)
        assert _plain(merged) == case["effective_overrides"]
    if "warnings" in case:
        assert len(settings.warnings) == case["warnings"], settings.warnings


@check("application")
def _application(case: dict[str, Any], tmp: Path) -> None:
    if "error" in case:
        with pytest.raises(_error_class(case["error"])):
            parse_application(case["application"])
        return
    settings = parse_application(case["application"])
    kwargs = _plain(settings.option_kwargs())
    for key, expected in case["expect"].items():
        assert kwargs[key] == expected, key
    if "compare_options" in case:
        assert list(settings.compare_options) == case["compare_options"]


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[name for name, _ in CASES])
def test_case(case: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    CHECKS[case["type"]]({**case, "_capsys": capsys}, tmp_path)


def test_jq_rules_without_the_extra_name_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from gitops_core.diff import _jq

    monkeypatch.setitem(sys.modules, "jq", None)  # import jq now raises ImportError
    monkeypatch.setattr(_jq, "_COMPILED", {})
    with pytest.raises(errors.JqUnavailableError) as info:
        compile_ignore_rules([{"kind": "ConfigMap", "jqPathExpressions": [".data.x"]}])
    assert "gitops-core[jq]" in str(info.value)
    # pointer rules still work without jq
    rules = compile_ignore_rules([{"kind": "ConfigMap", "jsonPointers": ["/data"]}])
    outcome = rules.apply({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}, "data": {}})
    assert outcome is not None and "data" not in outcome.object


_json = st.recursive(
    # libjq holds numbers as doubles: integers beyond 2**53 are not jq's to compare exactly
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=3),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(document=_json, pointer=st.lists(st.text(alphabet="ab0-1~/", max_size=3), max_size=4))
def test_remove_pointer_never_mutates_and_never_raises(document: Any, pointer: list[str]) -> None:
    text = "/" + "/".join(pointer) if pointer else ""
    before = json.dumps(document, sort_keys=True)
    result = remove_json_pointer(document, text)
    assert json.dumps(document, sort_keys=True) == before
    if result is not None:
        assert json.dumps(result[0], sort_keys=True) != before or document == result[0]


@settings(max_examples=150, deadline=None)
@given(
    pattern=st.text(alphabet="ab*?[]{},!\\-", max_size=8), text=st.text(alphabet="ab-", max_size=6)
)
def test_glob_never_raises(pattern: str, text: str) -> None:
    from gitops_core.diff._glob import glob_match

    assert glob_match(pattern, text) in (True, False)
    assert glob_match("*", text)


def _compare_options(case: dict[str, Any]) -> Any:
    from gitops_core.diff import DiffOptions
    from gitops_core.diff.compare import CompareOptions

    kwargs = dict(case.get("options", {}))
    if kwargs.pop("plain_diff_options", False):
        return DiffOptions(**kwargs)
    return CompareOptions(**kwargs)


@check("compare")
def _compare(case: dict[str, Any], tmp: Path) -> None:
    from gitops_core.diff.compare import compare
    from gitops_core.manifests import ManifestSet

    desired = ManifestSet.from_objects(case.get("desired", []))
    live = ManifestSet.from_objects(case.get("live", []))
    frozen = json.dumps([desired.objects(), live.objects()], sort_keys=True)
    comparison = compare(desired, live, _compare_options(case))
    assert json.dumps([desired.objects(), live.objects()], sort_keys=True) == frozen
    by_key = {str(record.key): record for record in comparison}
    assert comparison.status == case["status"], {k: r.status for k, r in by_key.items()}
    for key in case.get("absent", []):
        assert key not in by_key, key
    if "keys" in case:
        assert sorted(by_key) == sorted(case["keys"])
    for key, expected in case.get("resources", {}).items():
        assert key in by_key, (key, sorted(by_key))
        record = by_key[key]
        for field in (
            "status",
            "requires_pruning",
            "requires_deletion_confirmation",
            "sync_wave",
            "hook",
            "modified",
            "excluded",
        ):
            if field in expected:
                assert getattr(record, field) == expected[field], (key, field, record)
        if "changes" in expected:
            assert sorted(c.path for c in record.changes) == sorted(expected["changes"]), record
        for path, reason in expected.get("reasons", {}).items():
            found = {c.path: c.reason for c in record.changes}
            assert path in found and reason in found[path], (path, found)
        if "error" in expected:
            assert record.error is not None and expected["error"] in record.error
        if "server_defaults" in expected:
            found = sorted(c.path for c in record.server_defaults())
            assert found == sorted(expected["server_defaults"]), found
    if "warnings_contain" in case:
        text = "\n".join([*comparison.warnings, *(w for r in comparison for w in r.warnings)])
        for fragment in case["warnings_contain"]:
            assert fragment in text, text


def _run_cli(args: list[str], capsys: Any) -> tuple[int, str, str]:
    from gitops_core.cli.main import main

    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@check("cli")
def _cli(case: dict[str, Any], tmp: Path) -> None:
    for name, content in case.get("files", {}).items():
        if isinstance(content, str):
            text = content
        elif isinstance(content, list):
            text = yaml.safe_dump_all(content)
        else:
            text = yaml.safe_dump(content)
        (tmp / name).write_text(text)
    args = [arg.replace("{tmp}", str(tmp)) for arg in case["args"]]
    capsys = case["_capsys"]
    code, out, err = _run_cli(["diff", *args], capsys)
    assert code == case["exit"], (out, err)
    for text in case.get("stdout_contains", []):
        assert text in out, out
    for text in case.get("stdout_not_contains", []):
        assert text not in out, out
    for text in case.get("stderr_contains", []):
        assert text in err, err
    if "json" in case:
        records = {record["key"]: record for record in json.loads(out)}
        for key, expected in case["json"].items():
            for field, value in expected.items():
                if field == "change_paths":
                    assert sorted(c["path"] for c in records[key]["changes"]) == sorted(value)
                else:
                    assert records[key][field] == value, (key, field, records[key])


# --------------------------------------------------------------------------------------------
# No Secret value ever reaches an output
# --------------------------------------------------------------------------------------------

_SECRETS = ["hunter2-plain", "desired-only-pw", "live-only-token", "applied-old-pw", "annot-s3cret"]


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _secret_fixture() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    last_applied = json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "db", "namespace": "shop"},
            "data": {"password": _b64("applied-old-pw")},
        }
    )
    desired = [
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "db", "annotations": {"example.com/token": "annot-s3cret"}},
            "stringData": {"password": "desired-only-pw", "user": "hunter2-plain"},
        },
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "new"},
            "data": {"k": _b64("hunter2-plain")},
        },
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "cm", "annotations": {"example.com/token": "annot-s3cret"}},
        },
    ]
    live = [
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {
                "name": "db",
                "namespace": "shop",
                "annotations": {"kubectl.kubernetes.io/last-applied-configuration": last_applied},
            },
            "data": {"password": _b64("live-only-token"), "user": _b64("hunter2-plain")},
        },
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "gone", "namespace": "shop"},
            "data": {"x": _b64("live-only-token")},
        },
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {
                "name": "cm",
                "namespace": "shop",
                "annotations": {"example.com/token": "x"},
            },
        },
    ]
    return desired, live


def _assert_clean(text: str, where: str) -> None:
    for secret in _SECRETS:
        assert secret not in text, (where, secret)
        assert _b64(secret) not in text, (where, secret)
        assert _b64(secret).rstrip("=") not in text, (where, secret)


def test_no_secret_value_in_any_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import logging

    from gitops_core.diff import DiffOptions, diff
    from gitops_core.diff.compare import CompareOptions, compare, compare_one
    from gitops_core.diff.render import render_json, render_unified
    from gitops_core.manifests import ManifestSet

    desired, live = _secret_fixture()
    rules = [
        {"kind": "Secret", "jsonPointers": ["/data/user", "/data/missing"]},
        {"kind": "Secret", "jqPathExpressions": [".data.password | error(.)", ".data[] | error"]},
    ]
    options = CompareOptions(
        namespace="shop", ignore_differences=rules, hide_annotations="example.com/token"
    )
    seen: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: seen.append(record.getMessage())  # type: ignore[method-assign]
    logging.getLogger().addHandler(handler)
    try:
        comparison = compare(
            ManifestSet.from_objects(desired), ManifestSet.from_objects(live), options
        )
        outputs = [repr(comparison), str(comparison.warnings)]
        for record in comparison:
            outputs += [repr(record), str(record.warnings), str(record.error)]
            outputs += [repr(change) for change in record.changes]
            outputs.append(
                json.dumps(record.to_json(sensitive_annotations=options.hide_annotations))
            )
            if record.diff is not None:
                outputs += [
                    repr(record.diff),
                    render_unified(record.diff, sensitive_annotations=options.hide_annotations),
                    json.dumps(
                        render_json(record.diff, sensitive_annotations=options.hide_annotations)
                    ),
                ]
        single = diff(desired[0], live[0], DiffOptions(ignore_differences=rules))
        hide = ["example.com/token"]
        outputs += [
            repr(single),
            render_unified(single, sensitive_annotations=hide),
            json.dumps(render_json(single, sensitive_annotations=hide)),
        ]
        outputs.append(repr(compare_one(desired[0], live[0], options)))
        rules_obj = compile_ignore_rules(rules)
        outcome = rules_obj.apply(live[0])
        outputs += [repr(rules_obj), repr(outcome), str(outcome.warnings if outcome else "")]
        # the CLI, text and JSON, and its error messages
        (tmp_path / "desired.yaml").write_text(yaml.safe_dump_all(desired))
        (tmp_path / "live.yaml").write_text(yaml.safe_dump_all(live))
        (tmp_path / "ignore.yaml").write_text(yaml.safe_dump(rules))
        (tmp_path / "cm.yaml").write_text(
            yaml.safe_dump(
                {
                    "apiVersion": "v1",
                    "kind": "ConfigMap",
                    "metadata": {"name": "argocd-cm"},
                    "data": {"resource.sensitive.mask.annotations": "example.com/token"},
                }
            )
        )
        base = [
            str(tmp_path / "desired.yaml"),
            "--live",
            str(tmp_path / "live.yaml"),
            "-n",
            "shop",
            "--argocd-cm",
            str(tmp_path / "cm.yaml"),
        ]
        extra = ["--ignore-differences", str(tmp_path / "ignore.yaml")]
        for args in (
            base,
            [*base, "-o", "json"],
            [*base, *extra],
            [*base, *extra, "-o", "json", "--color", "always"],
        ):
            code, out, err = _run_cli(["diff", *args], capsys)
            assert code == 1
            outputs += [out, err]
        # broken inputs: the error messages must not quote the values either
        (tmp_path / "broken.yaml").write_text(
            "apiVersion: v1\nkind: Secret\nmetadata: {name: b}\ndata:\n  k: 'hunter2-plain\n  j: [desired-only-pw\n"
        )
        code, out, err = _run_cli(
            ["diff", str(tmp_path / "broken.yaml"), "--live", str(tmp_path / "live.yaml")], capsys
        )
        assert code == 2
        outputs += [out, err]
        (tmp_path / "dup.yaml").write_text(
            "apiVersion: v1\nkind: Secret\nmetadata: {name: b}\ndata: {k: aHVudGVyMi1wbGFpbg==, k: aHVudGVyMi1wbGFpbg==}\n"
        )
        code, out, err = _run_cli(
            ["diff", str(tmp_path / "dup.yaml"), "--live", str(tmp_path / "live.yaml")], capsys
        )
        assert code == 2
        outputs += [out, err]
    finally:
        logging.getLogger().removeHandler(handler)
    outputs += seen
    assert any("++++++++" in text for text in outputs)  # the masking was exercised
    for index, text in enumerate(outputs):
        _assert_clean(text, f"output {index}")


_JQ_EXPRESSIONS = [
    ".a",
    ".a.b",
    '.a["b"]',
    ".a[]?.b",
    ".a[] | select(.n == 1)",
    '.a[] | select(.n == "")',
    ".a[]|select(.n==null)",
    '.b[] | select(."n" == true)',
    ".a[] | select(.n == 1.0)",
    '.a[] | select(.n | startswith("a"))',
    '.a[]? | select(.n == "ab" and (.m | contains("b")))',
    '.b[] | select(.n | endswith("b"))',
    ".a[0]",
    ".a[1:]",
    ".a | .b, .c",
    ".a[]",
    '.a | to_entries[] | select(.key == "b") | .value',
]


_select_items = st.lists(
    st.none()
    | st.integers(0, 2)
    | st.dictionaries(
        st.sampled_from(["n", "m"]),
        st.none() | st.booleans() | st.integers(0, 2) | st.text(alphabet="ab", max_size=3),
        max_size=2,
    ),
    max_size=4,
)


@settings(max_examples=150, deadline=None)
@given(
    document=st.dictionaries(
        st.sampled_from(["a", "b"]),
        _json
        | _select_items
        | st.dictionaries(st.sampled_from(["x", "y"]), _select_items, max_size=2),
        max_size=2,
    )
)
def test_planned_jq_equals_whole_object_jq(document: dict[str, Any]) -> None:
    """The prefix/subtree plan gives jq's own result on the whole object."""
    from gitops_core.diff._jq import apply_program, plan_expression

    base = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, **document}
    for expression in _JQ_EXPRESSIONS:
        assert plan_expression(expression).prefix is not None, expression
        rules = compile_ignore_rules(
            [{"kind": "ConfigMap", "jqPathExpressions": [expression]}], jq_timeout_seconds=None
        )
        outcome = rules.apply(base)
        assert outcome is not None
        expected, reason = apply_program(expression, base)
        assert outcome.object == (base if reason is not None else expected), expression


def test_module_doctests() -> None:
    import doctest

    from gitops_core.diff import _glob, _jq, ignore, masking, tracking

    for module in (_glob, _jq, ignore, masking, tracking):
        failures, _ = doctest.testmod(module)
        assert failures == 0, module.__name__


def test_options_pickle_for_process_pools() -> None:
    import pickle

    from gitops_core.diff.compare import CompareOptions

    options = CompareOptions(
        namespace="shop",
        ignore_differences=[{"kind": "ConfigMap", "jqPathExpressions": [".data.x"]}],
        resource_overrides={
            "apps/Deployment": {"knownTypeFields": [{"field": "spec.x", "type": "core/Quantity"}]}
        },
    )
    copy = pickle.loads(pickle.dumps(options))
    assert copy == options
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"x": 1}}
    outcome = copy.comparison.ignore.apply(obj)
    assert outcome is not None and outcome.object["data"] == {}


_meta_value = _json | st.dictionaries(
    st.sampled_from(
        [
            "argocd.argoproj.io/hook",
            "argocd.argoproj.io/tracking-id",
            "argocd.argoproj.io/compare-options",
            "kubectl.kubernetes.io/last-applied-configuration",
            "app.kubernetes.io/instance",
            "example.com/token",
        ]
    ),
    _json,
    max_size=3,
)


@settings(max_examples=80, deadline=None)
@given(
    kind=st.sampled_from(["Secret", "ConfigMap", "Deployment", "Widget"]),
    annotations=_meta_value,
    labels=_meta_value,
    extra=st.dictionaries(
        st.sampled_from(["data", "stringData", "spec", "status"]), _json, max_size=3
    ),
    live_extra=st.dictionaries(st.sampled_from(["data", "spec", "status"]), _json, max_size=3),
    managed=_json,
    owners=_json,
)
def test_compare_never_crashes_on_odd_objects(
    kind: str, annotations: Any, labels: Any, extra: Any, live_extra: Any, managed: Any, owners: Any
) -> None:
    """Odd values anywhere: a result or a typed error, never a raw exception or a leak."""
    from gitops_core.diff.compare import CompareOptions, compare
    from gitops_core.errors import GitopsCoreError
    from gitops_core.manifests import ManifestSet

    api_version = {"Deployment": "apps/v1", "Widget": "example.com/v1"}.get(kind, "v1")
    desired = {
        "apiVersion": api_version,
        "kind": kind,
        "metadata": {"name": "x", "annotations": annotations, "labels": labels},
        **extra,
    }
    live = {
        "apiVersion": api_version,
        "kind": kind,
        "metadata": {
            "name": "x",
            "namespace": "shop",
            "annotations": annotations,
            "managedFields": managed,
            "ownerReferences": owners,
        },
        **live_extra,
    }
    options = CompareOptions(
        namespace="shop",
        app_name="shop",
        ignore_differences=[
            {
                "group": "*",
                "kind": "*",
                "jsonPointers": ["/spec/a", "/data/0"],
                "managedFieldsManagers": ["m"],
            },
            {
                "group": "*",
                "kind": "*",
                "jqPathExpressions": [".spec.a[]?", '.metadata.annotations["example.com/token"]'],
            },
        ],
        hide_annotations=["example.com/token"],
    )
    from gitops_core.resource import Resource

    # built without the loader's validation, as a caller with its own objects might
    sets = (
        ManifestSet((Resource.from_object(desired),)),
        ManifestSet((Resource.from_object(live),)),
    )
    try:
        comparison = compare(*sets, options)
    except GitopsCoreError:
        return
    for record in comparison:
        json.dumps(record.to_json(sensitive_annotations=options.hide_annotations))
        repr(record)
