"""TEMPORARY Lua harness for the shipped CRD checks (until luaengine's run_lua_health lands).

Runs a script the way Argo CD runs an argocd-cm override with libraries off: LuaJIT (Lua 5.1
dialect), only base + table, ``obj`` converted with nulls dropped, a fresh environment per call.
"""

from __future__ import annotations

from typing import Any

import lupa.luajit21 as lupa_jit

_RUNTIME = lupa_jit.LuaRuntime(
    register_eval=False, register_builtins=False, unpack_returned_tuples=True
)
_RUNTIME.execute("jit.off()")
_MAKE_ENV = _RUNTIME.eval(
    """
    function(libs)
      local env = {}
      for _, name in ipairs({"assert", "error", "ipairs", "next", "pairs", "pcall", "print",
          "rawequal", "rawget", "rawset", "select", "setmetatable", "getmetatable", "tonumber",
          "tostring", "type", "unpack", "xpcall", "_VERSION"}) do
        env[name] = _G[name]
      end
      local t = {}
      for k, v in pairs(table) do t[k] = v end
      env.table = t
      local safe_os = {time = os.time, date = os.date}
      env.require = function(name)
        if name == "os" then return safe_os end
        error("module '" .. tostring(name) .. "' not found")
      end
      if libs then
        env.string = string
        env.math = math
        env.os = safe_os
      end
      env._G = env
      return env
    end
    """
)
_RUN = _RUNTIME.eval(
    """
    function(chunk, env)
      setfenv(chunk, env)
      local ok, res = pcall(chunk)
      if not ok then return "Unknown", tostring(res), true end
      if res == nil then return nil, "", false end
      if type(res) ~= "table" then return "Unknown", "expect table output from Lua script, not " .. type(res), true end
      return res.status, res.message, false
    end
    """
)
_CHUNKS: dict[str, Any] = {}
_LOAD = _RUNTIME.eval("function(src) return loadstring(src, '=<string>') end")


def _to_lua(value: Any) -> Any:
    if isinstance(value, dict):
        return _RUNTIME.table_from({k: _to_lua(v) for k, v in value.items() if v is not None})
    if isinstance(value, list):
        return _RUNTIME.table_from([_to_lua(v) for v in value if v is not None])
    return value


def run_script(script: str, obj: dict[str, Any], open_libs: bool = False) -> tuple[Any, Any]:
    """Run ``script`` on ``obj``; returns (status, message) as the script gave them."""
    chunk = _CHUNKS.get(script)
    if chunk is None:
        loaded = _LOAD(script)
        chunk = loaded[0] if isinstance(loaded, tuple) else loaded
        if chunk is None:
            raise SyntaxError(str(loaded[1]))
        _CHUNKS[script] = chunk
    env = _MAKE_ENV(open_libs)
    env["obj"] = _to_lua(obj)
    env["actionParams"] = _RUNTIME.table_from({})
    status, message, failed = _RUN(chunk, env)
    if failed:
        raise RuntimeError(f"Lua error: {message}")
    return status, message
