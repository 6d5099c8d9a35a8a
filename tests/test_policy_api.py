"""The policy API: registration, selection, many applications, suppression, errors, properties."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gitops_core.errors import PolicyCheckError, PolicyError, UsageError
from gitops_core.manifests import ManifestSet, parse_manifests
from gitops_core.policy import (
    DISABLE_ANNOTATION,
    ENTRY_POINT_GROUP,
    CheckRegistry,
    Finding,
    PolicyContext,
    Severity,
    check,
    run_policies,
)
from gitops_core.policy.builtin import lua_library_uses

APP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  namespace: shop
  annotations:
    argocd.argoproj.io/sync-wave: "x"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
  namespace: shop
  annotations:
    argocd.argoproj.io/sync-wave: "y"
    {disable}: GC001
"""


def _app(name: str) -> PolicyContext:
    text = APP.replace("{disable}", DISABLE_ANNOTATION)
    return PolicyContext(parse_manifests(text, f"{name}.yaml"), name=name)


def test_many_applications_and_suppression() -> None:
    report = run_policies([_app("one"), _app("two")], select=["GC001"])
    assert [(f.app, str(f.key), f.line) for f in report] == [
        ("one", "/ConfigMap/shop/a", 1),
        ("two", "/ConfigMap/shop/a", 1),
    ]
    assert report.applications == ("one", "two")
    assert report.counts() == {"error": 2, "warning": 0, "info": 0}
    assert report.failed("error") and report.at_or_above("warning") == report.findings


def test_custom_registry_and_explicit_checks() -> None:
    registry = CheckRegistry()

    @check("T1", severity="info", registry=registry)
    def every_configmap(ctx: PolicyContext) -> Iterator[Finding]:
        """Lists ConfigMaps."""
        for resource in ctx.manifests:
            yield Finding(f"saw {resource.key.name}", resource.key)

    @check("T2", registry=registry)
    def escalates(ctx: PolicyContext) -> Iterator[Finding]:
        """Yields one error on the application."""
        yield Finding("app-level", severity=Severity.ERROR)

    report = run_policies(_app("x"), registry=registry)
    assert [(f.code, str(f.severity), f.line) for f in report] == [
        ("T2", "error", None),
        ("T1", "info", 1),
        ("T1", "info", 9),
    ]
    only = run_policies(_app("x"), registry=registry, disable=["T2"])
    assert {f.code for f in only} == {"T1"}
    assert registry.get("T1") is not None and registry.get("T1").summary == "Lists ConfigMaps."


def test_errors_are_typed() -> None:
    registry = CheckRegistry()

    @check("BOOM", registry=registry)
    def boom(ctx: PolicyContext) -> Iterator[Finding]:
        """Raises."""
        raise KeyError("spec")
        yield  # pragma: no cover

    with pytest.raises(PolicyCheckError, match=r"check BOOM failed \(application x\): KeyError"):
        run_policies(_app("x"), registry=registry)
    with pytest.raises(PolicyError, match="no check has this code"):
        run_policies(_app("x"), registry=registry, select=["NOPE"])
    with pytest.raises(PolicyError, match="already registered"):

        @check("BOOM", registry=registry)
        def other(ctx: PolicyContext) -> Iterator[Finding]:
            """Another function under a taken code."""
            return iter(())

    with pytest.raises(PolicyError, match="a check code is"):
        check("1bad", registry=registry)(boom)
    with pytest.raises(UsageError):
        run_policies(["not a context"])  # type: ignore[list-item]
    with pytest.raises(UsageError):
        Severity.parse("fatal")


def test_yielding_something_else_is_an_error() -> None:
    registry = CheckRegistry()

    @check("ODD", registry=registry)
    def odd(ctx: PolicyContext) -> Iterator[str]:
        """Yields strings."""
        yield "not a finding"

    with pytest.raises(PolicyCheckError, match="yielded str, not Finding"):
        run_policies(_app("x"), registry=registry)


def test_context_views_are_lazy_and_cached() -> None:
    desired = _app("x").manifests
    context = PolicyContext(desired, live=ManifestSet(()), namespace="shop")
    assert context.comparison is context.comparison
    assert context.plan is context.plan
    assert context.health is context.health
    assert PolicyContext(desired).comparison is None
    assert len(PolicyContext(desired).plan.tasks) == 2


_WAVES = st.text(alphabet=" +-0123456789._xe", max_size=6)


@settings(max_examples=60, deadline=None)
@given(
    waves=st.lists(_WAVES, min_size=1, max_size=4), hooks=st.lists(st.text(max_size=8), max_size=3)
)
def test_lint_never_crashes_and_locates_every_finding(waves: list[str], hooks: list[str]) -> None:
    objects = []
    for index, wave in enumerate(waves):
        annotations = {"argocd.argoproj.io/sync-wave": wave}
        if index < len(hooks):
            annotations["argocd.argoproj.io/hook"] = hooks[index]
            annotations["argocd.argoproj.io/sync-options"] = hooks[index]
        objects.append(
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": f"c{index}", "annotations": annotations},
            }
        )
    report = run_policies(PolicyContext(ManifestSet.from_objects(objects)), entry_points=False)
    for finding in report:
        assert finding.code.startswith("GC") and finding.severity is not None
        assert finding.key is not None and finding.source is not None


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_lua_scan_ignores_comments(script: str) -> None:
    assert all(isinstance(use, str) for use in lua_library_uses(script))
    commented = "\n".join("-- " + line for line in script.split("\n"))
    assert lua_library_uses(commented) == []


class _EntryPoint:
    def __init__(self, name: str, value: object, error: Exception | None = None) -> None:
        self.name = name
        self.value = f"fake:{name}"
        self._loaded = value
        self._error = error

    def load(self) -> object:
        if self._error is not None:
            raise self._error
        return self._loaded


def test_entry_points_register_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    from gitops_core.policy import Check, default_registry, load_entry_points

    extra = Check("EP001", "info", lambda ctx: iter(()), "from-entry-point", "An installed check.")
    points = [_EntryPoint("acme", extra)]
    monkeypatch.setattr(
        importlib.metadata,
        "entry_points",
        lambda group: points if group == ENTRY_POINT_GROUP else [],
    )
    try:
        assert load_entry_points(force=True) == ["acme"]
        assert default_registry().get("EP001") is extra
        assert load_entry_points() == []  # once per process
        points[:] = [_EntryPoint("broken", None, ImportError("no module named acme"))]
        with pytest.raises(PolicyError, match=r"entry point broken .* failed to load"):
            load_entry_points(force=True)
    finally:
        default_registry().unregister("EP001")
