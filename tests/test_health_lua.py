"""The Lua engine, the registry lookup and the lua-test runner, driven by fixture files.

- ``fixtures/health/lua/<case>.yaml``: ``script``, ``open_libs`` (default true), ``object``,
  ``limits`` and ``expected`` (``status``: a status or null for the empty health; ``message`` or
  ``message_startswith``/``message_contains``/``message_length``); or ``steps``, a list of such
  evaluations run in order in the same runtime.
- ``fixtures/health/registry/<case>.yaml``: overrides, argocd-cm data, directories, then
  ``lookups`` (expected script key or null), ``evaluate`` (objects and expected health) or
  ``error`` (expected error type and text).
- ``fixtures/health/luatest/<case>.yaml``: ``gitops-core lua-test`` arguments, exit code and
  output expectations, run against the trees under ``fixtures/health/``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from gitops_core import errors
from gitops_core.cli.main import main
from gitops_core.health import (
    HealthRegistry,
    HealthResult,
    HealthStatus,
    LuaLimits,
    run_lua_health,
)

FIXTURES = Path(__file__).parent / "fixtures" / "health"


def _load_cases(folder: str) -> list[Any]:
    return [
        pytest.param(yaml.safe_load(path.read_text(encoding="utf-8")), id=path.stem)
        for path in sorted((FIXTURES / folder).glob("*.yaml"))
    ]


def _limits(spec: dict[str, Any] | None) -> LuaLimits | None:
    if spec is None:
        return None
    defaults = LuaLimits()
    return LuaLimits(
        instructions=spec.get("instructions", defaults.instructions),
        timeout=spec.get("timeout", defaults.timeout),
        memory=spec.get("memory", defaults.memory),
    )


def _check(result: HealthResult, expected: dict[str, Any]) -> None:
    status = result.status.value if result.status is not None else None
    assert status == expected["status"], result
    if "message" in expected:
        assert result.message == expected["message"]
    if "message_startswith" in expected:
        assert result.message.startswith(expected["message_startswith"]), result.message
    if "message_contains" in expected:
        assert expected["message_contains"] in result.message, result.message
    if "message_length" in expected:
        assert len(result.message) == expected["message_length"]


@pytest.mark.parametrize("case", _load_cases("lua"))
def test_lua_engine(case: dict[str, Any]) -> None:
    steps = case.get("steps") or [case]
    for step in steps:
        result = run_lua_health(
            step["script"],
            step.get("object") or {},
            open_libs=step.get("open_libs", True),
            limits=_limits(step.get("limits")),
        )
        _check(result, step["expected"])


_FALLBACK_PREFIXES = ("result_", "convert_", "isolation_", "libs_", "os_", "number_", "sandbox_")
# setfenv/getfenv do not exist on the Lua 5.4 fallback (documented in docs/lua.md)
_NOT_ON_FALLBACK = frozenset(
    {"sandbox_g_is_env", "sandbox_getfenv_builtin", "sandbox_getfenv_zero", "sandbox_setfenv_own"}
)


@pytest.mark.parametrize(
    "case",
    [
        case
        for case in _load_cases("lua")
        if case.id.startswith(_FALLBACK_PREFIXES) and case.id not in _NOT_ON_FALLBACK
    ],
)
def test_lua54_fallback(case: Any) -> None:
    """The Lua 5.4 fallback runtime gives the same results (error wording aside)."""
    from gitops_core.health.lua._engine import engine

    runtime = engine("lua54")
    defaults = LuaLimits()
    for step in case.get("steps") or [case]:
        limits = _limits(step.get("limits")) or defaults
        result = runtime.run_health(
            step["script"],
            step.get("object") or {},
            step.get("open_libs", True),
            limits.instructions,
            limits.timeout,
            limits.memory,
        )
        expected = dict(step["expected"])
        message = expected.get("message", expected.get("message_startswith", ""))
        if expected["status"] == "Unknown" and message.startswith("<string>:"):
            # runtime errors are worded by the VM; the position prefix is the same
            line = message.split(":")[1]
            expected = {"status": "Unknown", "message_startswith": f"<string>:{line}:"}
        _check(result, expected)


def test_many_objects_in_one_runtime() -> None:
    """Conversion stays exact over many evaluations sharing sub-objects (GC in between)."""
    from gitops_core.bench.generate import generate

    objects = generate(40, seed=3).live
    for obj in objects * 3:
        result = run_lua_health(_SERIALIZE, obj)
        assert result.message == _python_serialize(obj), obj.get("kind")


def test_override_reports_errors() -> None:
    registry = HealthRegistry(include_shipped=False)
    registry.add_lua("apps/Deployment", "error('boom')")
    override = registry.find_override("apps", "Deployment")
    assert override is not None
    result, error = override.evaluate_with_error({"kind": "Deployment"})
    assert error == "<string>:1: boom" == result.message
    registry.add_lua("apps/Deployment", "return {status = 'bad'}")
    override = registry.find_override("apps", "Deployment")
    assert override is not None
    assert override.evaluate_with_error({}) == (
        HealthResult(HealthStatus.UNKNOWN, "Lua returned an invalid health status"),
        None,
    )


@pytest.mark.parametrize("case", _load_cases("registry"))
def test_registry(case: dict[str, Any]) -> None:
    def build() -> HealthRegistry:
        directories = [FIXTURES / d for d in case.get("directories", [])]
        include_shipped = case.get("include_shipped", False)
        if "argocd_cm" in case or "argocd_cm_file" in case:
            source = case.get("argocd_cm")
            if source is None:
                source = str(FIXTURES / case["argocd_cm_file"])
            registry = HealthRegistry.from_argocd_cm(
                source, directories=directories, include_shipped=include_shipped
            )
        else:
            registry = HealthRegistry(directories=directories, include_shipped=include_shipped)
        for key, value in (case.get("overrides") or {}).items():
            if isinstance(value, dict):
                registry.add_lua(key, value["script"], open_libs=value.get("open_libs", False))
            else:
                registry.add_lua(key, value)
        return registry

    if "error" in case:
        error_type = getattr(errors, case["error"]["type"])
        with pytest.raises(error_type) as info:
            build()
        for text in case["error"].get("contains", []):
            assert text in str(info.value)
        return
    registry = build()
    if "warnings" in case:
        assert registry.warnings == case["warnings"]
    for lookup in case.get("lookups", []):
        found = registry.find_override(lookup.get("group", ""), lookup["kind"])
        expect = lookup["expect"]
        if expect is None:
            assert found is None, (lookup, found)
            continue
        assert found is not None, lookup
        assert found.key == expect["key"], (lookup, found.key)
        if "open_libs" in expect:
            assert found.open_libs is expect["open_libs"]
        if "source_endswith" in expect:
            assert found.source.replace("\\", "/").endswith(expect["source_endswith"])
    for evaluation in case.get("evaluate", []):
        override = registry.override_for(evaluation["object"])
        assert override is not None, evaluation
        _check(override.evaluate(evaluation["object"]), evaluation["expected"])


@pytest.mark.parametrize("case", _load_cases("luatest"))
def test_lua_test_cli(
    case: dict[str, Any], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(FIXTURES)
    code = main(["lua-test", *case["args"]])
    captured = capsys.readouterr()
    assert code == case["exit"], captured.out + captured.err
    for text in case.get("stdout_contains", []):
        assert text in captured.out, captured.out
    for text in case.get("stderr_contains", []):
        assert text in captured.err, captured.err
    if "records" in case:
        records = json.loads(captured.out)
        assert [
            {key: record[key] for key in ("dir", "input", "passed")} for record in records
        ] == case["records"]
        for record in records:
            assert set(record) == {"dir", "input", "expected", "actual", "passed"}


# -- properties -------------------------------------------------------------------------------

_SERIALIZE = """
local function ser(v)
  local t = type(v)
  if t == "table" then
    local n = #v
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    if n > 0 and #keys == n then
      local parts = {}
      for i = 1, n do parts[i] = ser(v[i]) end
      return "[" .. table.concat(parts, ",") .. "]"
    end
    table.sort(keys)
    local parts = {}
    for _, k in ipairs(keys) do parts[#parts + 1] = k .. "=" .. ser(v[k]) end
    return "{" .. table.concat(parts, ",") .. "}"
  elseif t == "string" then
    return '"' .. v .. '"'
  end
  return tostring(v)
end
return {status = "Healthy", message = ser(obj)}
"""


def _python_serialize(value: Any) -> str:
    if isinstance(value, dict):
        kept = {k: v for k, v in value.items() if v is not None}
        if not kept:
            return "{}"
        return "{" + ",".join(f"{k}={_python_serialize(kept[k])}" for k in sorted(kept)) + "}"
    if isinstance(value, list):
        kept_items = [v for v in value if v is not None]
        if not kept_items:
            return "{}"
        return "[" + ",".join(_python_serialize(v) for v in kept_items) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value + '"'
    return str(value)


_KEYS = st.text(alphabet="abcdefgh", min_size=1, max_size=4)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | st.text(alphabet="xyz -", max_size=5),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_KEYS, children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(_KEYS, _JSON, max_size=5))
def test_conversion_matches_json_with_nulls_dropped(obj: dict[str, Any]) -> None:
    result = run_lua_health(_SERIALIZE, obj)
    assert result.message == _python_serialize(obj)


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(_KEYS, _JSON, max_size=5))
def test_conversion_never_mutates_the_caller_object(obj: dict[str, Any]) -> None:
    before = json.dumps(obj, sort_keys=True)
    run_lua_health("obj.extra = 1\nfor k in pairs(obj) do obj[k] = nil end\nreturn nil", obj)
    assert json.dumps(obj, sort_keys=True) == before


_PATHS_SCRIPT = """
local parts = {}
local function add(v)
  if type(v) == "table" then v = "table#" .. #v end
  parts[#parts + 1] = tostring(v)
end
add(obj.a)
if obj.b ~= nil and type(obj.b) == "table" then
  add(obj.b.c)
  if type(obj.b.d) == "table" then
    for i, item in ipairs(obj.b.d) do
      if type(item) == "table" then add(item.e) add(item.f) else add(item) end
    end
    add(#obj.b.d)
  end
end
if type(obj.g) == "table" then add(obj.g[1]) add(#obj.g) end
obj.a = nil
add(obj.a)
return {status = "Healthy", message = table.concat(parts, ",")}
"""

_SMALL_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.sampled_from(["x", "y"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["c", "d", "e", "f"]), children, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.dictionaries(st.sampled_from(["a", "b", "g", "h"]), _SMALL_JSON, max_size=4),
        min_size=12,
        max_size=20,
    )
)
def test_learnt_prefetch_matches_lazy_reads(objects: list[dict[str, Any]]) -> None:
    """After a script's first runs its reads are extracted up front; results must not change."""
    from gitops_core.health.lua._engine import LuaEngine, engine

    shared = LuaEngine()
    fresh = engine()
    for obj in objects:
        unique = f"{_PATHS_SCRIPT}-- {id(obj)}"  # a new text: never learns
        expected = fresh.run_health(unique, obj, True, None, None, None)
        assert shared.run_health(_PATHS_SCRIPT, obj, True, None, None, None) == expected
