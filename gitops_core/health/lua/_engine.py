"""One sandboxed Lua runtime per thread, a compiled-chunk cache and the Python side of ``obj``.

The runtime is LuaJIT 2.1 with the JIT switched off (Lua 5.1 plus ``goto``, the dialect of
gopher-lua), or PUC Lua 5.4 where the LuaJIT module is missing. ``_sandbox.lua`` builds the
environment; this module feeds it: the object is never converted up front, the sandbox asks for
one map or list at a time (``_fetch``) when a script first touches it, so a check that reads
``obj.status.conditions`` never pays for ``metadata.managedFields``.
"""

from __future__ import annotations

import collections
import datetime
import re
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from gitops_core.health._status import HealthResult, HealthStatus
from gitops_core.health.lua import _oslib

__all__ = ["CACHE_SIZE", "LuaEngine", "engine", "lupa_module"]

CACHE_SIZE = 1024
_HOOK_EVERY = 1000
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_MAX_VARARGS = 2000  # larger nodes go through a Lua table instead of the C stack
_LEARN_RUNS = 8  # evaluations of a script that record which keys it reads
_RESULT_CACHE = 4096  # distinct (status, message) results kept for reuse (they are immutable)
_PREFETCH_ITEMS = 64  # longer lists are not extracted up front (read lazily)

_SANDBOX_SOURCE = (Path(__file__).with_name("_sandbox.lua")).read_text(encoding="utf-8")
_STATUS_BY_TEXT = {status.value: status for status in HealthStatus}
_INVALID_STATUS = "Lua returned an invalid health status"
_OVERFLOW = "Python int too large to convert to C long"
_EMPTY = HealthResult(None, "")
_INVALID = HealthResult(HealthStatus.UNKNOWN, _INVALID_STATUS)
_DANGEROUS_GLOBALS = (
    "python",
    "io",
    "os",
    "debug",
    "package",
    "require",
    "dofile",
    "loadfile",
    "load",
    "loadstring",
    "module",
    "jit",
    "collectgarbage",
    "newproxy",
    "gcinfo",
    "bit",
    "string",
    "coroutine",
    "math",
    "table",
)


def lupa_module(prefer: str | None = None) -> ModuleType:
    """The lupa runtime module: ``luajit21`` when importable, else ``lua54``.

    ``prefer`` names one explicitly (``"luajit21"`` or ``"lua54"``).
    """
    import importlib

    names = (prefer,) if prefer else ("luajit21", "lua54")
    last: ImportError | None = None
    for name in names:
        try:
            return importlib.import_module(f"lupa.{name}")
        except ImportError as exc:
            last = exc
    raise ImportError(f"no usable Lua runtime in lupa ({', '.join(names)})") from last


def _deny_attributes(obj: object, name: object, is_setting: bool) -> object:
    raise AttributeError("Python objects are not accessible from Lua health scripts")


def _go_key(key: object) -> str:
    # Kubernetes objects come from JSON: every map key is a string
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def _time_text(value: datetime.date) -> str:
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc)
        text = value.strftime("%Y-%m-%dT%H:%M:%S")
        if value.microsecond:
            text += f".{value.microsecond:06d}".rstrip("0")
        return text + "Z"
    return value.isoformat()


def _odd_scalar(value: object) -> object:
    """Values that are not JSON types: timestamps a YAML loader resolved become RFC 3339 text."""
    if isinstance(value, datetime.date):
        return _time_text(value)
    if isinstance(value, (int, float, str, bool)):
        return _number(value) if isinstance(value, int) and not isinstance(value, bool) else value
    raise TypeError(f"cannot convert a {type(value).__name__} value to Lua")


def _number(value: int) -> int | float:
    if _INT64_MIN <= value <= _INT64_MAX:
        return value
    return float(value)


class _Script:
    """A cached script: its compiled chunk and the access profile learnt from its first runs."""

    __slots__ = ("chunk", "extract", "lua_program", "program", "runs")

    def __init__(self, chunk: Any) -> None:
        self.chunk = chunk
        self.runs = 0
        self.program: list[Any] | None = None
        self.lua_program: Any = None
        self.extract: Any = None


def _compile_extractor(program: list[Any]) -> Any:
    """Straight-line Python doing what :meth:`LuaEngine._extract` does for one program.

    Generated once per script (keys are embedded with ``repr``); the generic method remains for
    the rare evaluations that need ints widened.
    """
    lines = ["def extract(node, nodes, out, engine):", "    append = out.append"]
    counter = [0]

    def emit(node_var: str, entries: list[Any], indent: str) -> None:
        for key, map_program, item_program in entries:
            counter[0] += 1
            number = counter[0]
            value = f"v{number}"
            kind = f"k{number}"
            lines.append(f"{indent}{value} = {node_var}.get({key!r})")
            lines.append(f"{indent}{kind} = type({value})")
            lines.append(
                f"{indent}if {kind} is str or {kind} is int or {kind} is float"
                f" or {kind} is bool or {value} is None:"
            )
            lines.append(f"{indent}    append({value})")
            lines.append(f"{indent}elif {kind} is dict:")
            lines.append(f"{indent}    nodes.append({value})")
            lines.append(f"{indent}    append(engine._map)")
            lines.append(f"{indent}    append(len(nodes) - 1)")
            if map_program:
                emit(value, map_program, indent + "    ")
            item = f"x{number}"
            lines.append(f"{indent}elif {kind} is list:")
            lines.append(f"{indent}    kept = [x for x in {value} if x is not None]")
            lines.append(f"{indent}    if len(kept) > {_PREFETCH_ITEMS}:")
            lines.append(f"{indent}        append(engine._skip)")
            lines.append(f"{indent}    else:")
            lines.append(f"{indent}        append(engine._list)")
            lines.append(f"{indent}        append(len(kept))")
            lines.append(f"{indent}        for {item} in kept:")
            inner = indent + "            "
            lines.append(f"{inner}t{number} = type({item})")
            lines.append(
                f"{inner}if t{number} is str or t{number} is int or t{number} is float"
                f" or t{number} is bool:"
            )
            lines.append(f"{inner}    append({item})")
            lines.append(f"{inner}elif t{number} is dict:")
            lines.append(f"{inner}    nodes.append({item})")
            lines.append(f"{inner}    append(engine._map)")
            lines.append(f"{inner}    append(len(nodes) - 1)")
            if item_program:
                emit(item, item_program, inner + "    ")
            lines.append(f"{inner}elif t{number} is list or t{number} is tuple:")
            lines.append(f"{inner}    nodes.append({item})")
            lines.append(f"{inner}    append(engine._nested)")
            lines.append(f"{inner}    append(len(nodes) - 1)")
            lines.append(f"{inner}else:")
            lines.append(f"{inner}    append(_odd_scalar({item}))")
            lines.append(f"{indent}else:")
            sub = f"P{number}"
            constants[sub] = [(key, map_program, item_program)]
            lines.append(f"{indent}    engine._extract({{{key!r}: {value}}}, {sub}, out)")

    constants: dict[str, Any] = {}
    emit("node", program, "    ")
    namespace: dict[str, Any] = dict(constants, _odd_scalar=_odd_scalar)
    exec("\n".join(lines), namespace)  # keys are embedded with repr()
    return namespace["extract"]


_ITEMS = "\x00items"


def _canonical(tree: Any) -> list[Any]:
    """The profile tree of the sandbox as ``[(key, map program | None, item program | None)]``,
    sorted by key (the order both sides walk)."""
    entries: list[Any] = []
    pairs = sorted(
        ((key, sub) for key, sub in tree.items() if type(key) is str and key != _ITEMS),
        key=lambda pair: pair[0],
    )
    for key, sub in pairs:
        if sub is True:
            entries.append((key, None, None))
            continue
        map_program = _canonical(sub) or None
        items = sub[_ITEMS]
        item_program = (_canonical(items) or None) if items is not None else None
        entries.append((key, map_program, item_program))
    return entries


def _as_lists(program: list[Any]) -> list[Any]:
    return [
        [
            key,
            _as_lists(map_program) if map_program else False,
            _as_lists(item_program) if item_program else False,
        ]
        for key, map_program, item_program in program
    ]


class LuaEngine:
    """A sandboxed Lua runtime with its compiled-chunk cache; use one per thread (:func:`engine`)."""

    def __init__(self, implementation: str | None = None) -> None:
        module = lupa_module(implementation)
        self.implementation: str = module.__name__.rpartition(".")[2]
        self.is_luajit = self.implementation.startswith("luajit")
        self.runtime: Any = module.LuaRuntime(
            register_eval=False,
            register_builtins=False,
            unpack_returned_tuples=True,
            attribute_filter=_deny_attributes,
            max_memory=0,
        )
        self._lua_memory_error: type[BaseException] = module.LuaMemoryError
        self._lua_error: type[BaseException] = module.LuaError
        self._cache: collections.OrderedDict[str, _Script] = collections.OrderedDict()
        loader = self.runtime.eval("loadstring or load")
        driver = loader(_SANDBOX_SOURCE, "=gitops_core/health/lua/_sandbox.lua")
        (
            self._compile,
            self._run,
            self._set_texts,
            self.go_number,
            self._map,
            self._list,
            self._one,
            self._nested,
            self._skip,
            self._profile_of,
        ) = driver(
            self._get,
            self._all,
            self._items,
            time.perf_counter,
            _oslib.os_date,
            _oslib.os_time,
            not self.is_luajit,
        )
        globals_ = self.runtime.globals()
        for name in _DANGEROUS_GLOBALS:
            globals_[name] = None
        self._memory_limit: int | None = -1
        self._memory_armed_at = 0
        self._nodes: list[Any] = [None, None]
        self._widen = False
        self._results: dict[tuple[str, str], HealthResult] = {}
        self._texts_for: tuple[int | None, float | None, int | None] | None = None
        self._hooks: int | None = None
        self._arm_count = 0

    # -- conversion ---------------------------------------------------------------------------

    def _get(self, handle: int, key: Any) -> Any:
        """Reading one key of a lazy table: a scalar, ``None``, ``MAP, h`` or ``LIST, h``."""
        value: Any = self._nodes[handle].get(key) if type(key) is str else None
        kind = type(value)
        if kind is str or kind is bool or kind is float or value is None:
            return value
        if kind is int:
            return _number(value) if self._widen else value
        return self._ref(value)

    def _ref(self, value: Any) -> Any:
        kind = type(value)
        if kind is dict or (kind is not list and kind is not tuple and isinstance(value, Mapping)):
            self._nodes.append(value)
            return (self._map, len(self._nodes) - 1)
        if kind is list or kind is tuple:
            self._nodes.append(value)
            return (self._list, len(self._nodes) - 1)
        return _odd_scalar(value)

    def _items(self, handle: int) -> Any:
        """The items of the list behind ``handle``: scalars, ``MAP, h`` or ``LIST, h``."""
        out: list[Any] = []
        append = out.append
        nodes = self._nodes
        widen = self._widen
        for value in nodes[handle]:
            kind = type(value)
            if kind is str or kind is bool or kind is float:
                append(value)
            elif kind is int:
                append(_number(value) if widen else value)
            elif value is None:
                continue  # gopher-lua drops nulls inside lists: later items move up
            else:
                ref = self._ref(value)
                if type(ref) is tuple:
                    out.extend(ref)
                else:
                    append(ref)
        if len(out) > _MAX_VARARGS:
            return (self._one, self.runtime.table_from(out))
        return tuple(out)

    def _all(self, handle: int) -> Any:
        """Every pair of the dict behind ``handle``: ``key, value, ...`` (nulls dropped; dicts
        as ``MAP, h``, lists as ``LIST, h``)."""
        out: list[Any] = []
        append = out.append
        widen = self._widen
        for key, value in self._nodes[handle].items():
            if value is None:
                continue  # a null map value is an absent key
            append(key if type(key) is str else _go_key(key))
            kind = type(value)
            if kind is str or kind is bool or kind is float:
                append(value)
            elif kind is int:
                append(_number(value) if widen else value)
            else:
                ref = self._ref(value)
                if type(ref) is tuple:
                    out.extend(ref)
                else:
                    append(ref)
        if len(out) > _MAX_VARARGS:
            return (self._one, self.runtime.table_from(out))
        return tuple(out)

    # -- compiling ----------------------------------------------------------------------------

    def compile(self, script: str) -> tuple[Any, str | None]:
        """The compiled chunk of ``script`` (cached by text), or ``(None, error text)``."""
        entry, error = self._entry(script)
        return (entry.chunk if entry is not None else None), error

    def _entry(self, script: str) -> tuple[_Script | None, str | None]:
        cache = self._cache
        entry = cache.get(script)
        if entry is not None:
            cache.move_to_end(script)
            return entry, None
        chunk, error, is_hex = self._compile(script)
        if chunk is None:
            return None, _text(error, is_hex)  # compile errors are never cached
        entry = _Script(chunk)
        cache[script] = entry
        if len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
        return entry, None

    # -- access profiles ----------------------------------------------------------------------

    def _freeze(self, entry: _Script) -> None:
        """Turn the keys the script read during its first runs into its extraction program."""
        tree = self._profile_of(entry.chunk)
        program = _canonical(tree) if tree is not None else []
        entry.program = program
        entry.lua_program = self.runtime.table_from(_as_lists(program), recursive=True)
        entry.extract = _compile_extractor(program)

    def _extract(self, node: Mapping[str, Any], program: list[Any], out: list[Any]) -> None:
        """Append the values ``program`` names, in its order (see ``prefill`` in the sandbox)."""
        nodes = self._nodes
        append = out.append
        widen = self._widen
        for key, map_program, item_program in program:
            value: Any = node.get(key)
            kind = type(value)
            if kind is str or kind is bool or kind is float or value is None:
                append(value)
            elif kind is int:
                append(_number(value) if widen else value)
            elif kind is dict or (kind is not list and isinstance(value, Mapping)):
                nodes.append(value)
                append(self._map)
                append(len(nodes) - 1)
                if map_program:
                    self._extract(value, map_program, out)
            elif kind is list or kind is tuple:
                kept = [item for item in value if item is not None]
                if len(kept) > _PREFETCH_ITEMS:
                    append(self._skip)
                    continue
                append(self._list)
                append(len(kept))
                for item in kept:
                    item_kind = type(item)
                    if item_kind is str or item_kind is bool or item_kind is float:
                        append(item)
                    elif item_kind is int:
                        append(_number(item) if widen else item)
                    elif item_kind is dict or (item_kind is not list and isinstance(item, Mapping)):
                        nodes.append(item)
                        append(self._map)
                        append(len(nodes) - 1)
                        if item_program:
                            self._extract(item, item_program, out)
                    elif item_kind is list or item_kind is tuple:
                        nodes.append(item)
                        append(self._nested)
                        append(len(nodes) - 1)
                    else:
                        append(_odd_scalar(item))
            else:
                append(_odd_scalar(value))

    def cache_info(self) -> tuple[int, int]:
        """``(entries, capacity)`` of the compiled-chunk cache."""
        return len(self._cache), CACHE_SIZE

    def clear_cache(self) -> None:
        """Forget every compiled chunk (tests use it to measure compile costs)."""
        self._cache.clear()

    # -- running ------------------------------------------------------------------------------

    def _arm_memory(self, memory: int | None) -> None:
        """Give this evaluation ``memory`` bytes on top of what the runtime holds now.

        lupa's limit is absolute; an allocation failing outside a protected call makes LuaJIT
        abort the process, so the headroom must never be gone before the script starts. The
        limit is moved when usage drifted by more than an eighth of the allowance.
        """
        runtime = self.runtime
        if memory is None:
            if self._memory_limit is not None:
                runtime.set_max_memory(0)
                self._memory_limit = None
            return
        if memory == self._memory_limit:
            # usage moves slowly between evaluations (a script that blew its allowance is
            # cleaned up before it returns): look again every 16 evaluations
            self._arm_count += 1
            if self._arm_count & 15:
                return
        used = runtime.get_memory_used()
        if memory != self._memory_limit or abs(used - self._memory_armed_at) > memory >> 3:
            runtime.set_max_memory(used + memory, total=True)
            self._memory_limit = memory
            self._memory_armed_at = used

    def run_health(
        self,
        script: str,
        obj: Mapping[str, Any],
        open_libs: bool,
        instructions: int | None,
        timeout: float | None,
        memory: int | None,
    ) -> HealthResult:
        """Run a health script on ``obj`` and interpret its result as ExecuteHealthLua does."""
        return self.run_health_detailed(script, obj, open_libs, instructions, timeout, memory)[0]

    def _call(
        self,
        entry: _Script,
        obj: Mapping[str, Any],
        open_libs: bool,
        hooks: int | None,
        timeout: float | None,
    ) -> Any:
        self._nodes = [None, obj]
        program = entry.program
        if program is None:
            entry.runs += 1
            deadline = None if timeout is None else time.perf_counter() + timeout
            result = self._run(entry.chunk, open_libs, hooks, deadline, True, None)
            if entry.runs >= _LEARN_RUNS:
                self._freeze(entry)
            return result
        stream: list[Any] = []
        try:
            if self._widen or entry.extract is None:
                self._extract(obj, program, stream)
            else:
                entry.extract(obj, self._nodes, stream, self)
        except (TypeError, AttributeError):
            # a value the extraction cannot convert: let the lazy path report it
            self._nodes = [None, obj]
            stream = []
            program = None
        deadline = None if timeout is None else time.perf_counter() + timeout
        lua_program = entry.lua_program if program is not None else None
        try:
            if len(stream) > _MAX_VARARGS:
                return self._run(
                    entry.chunk,
                    open_libs,
                    hooks,
                    deadline,
                    False,
                    lua_program,
                    self._one,
                    self.runtime.table_from(stream),
                )
            return self._run(entry.chunk, open_libs, hooks, deadline, False, lua_program, *stream)
        except OverflowError:
            return (2, _OVERFLOW, None, False, False)

    def run_health_detailed(
        self,
        script: str,
        obj: Mapping[str, Any],
        open_libs: bool,
        instructions: int | None,
        timeout: float | None,
        memory: int | None,
    ) -> tuple[HealthResult, bool]:
        """Like :meth:`run_health`; the flag says the result stands for an error (Argo CD
        returns an error besides the Unknown health: compile, runtime, encode errors, limits).
        """
        entry, error = self._entry(script)
        if entry is None:
            return HealthResult(HealthStatus.UNKNOWN, error or ""), True
        self._arm_memory(memory)
        limits = (instructions, timeout, memory)
        if limits != self._texts_for:
            self._set_texts(
                _budget_text(instructions), _deadline_text(timeout), _memory_text(memory)
            )
            self._texts_for = limits
            self._hooks = None if instructions is None else -(-instructions // _HOOK_EVERY)
        hooks = self._hooks
        try:
            code, first, second, first_hex, second_hex = self._call(
                entry, obj, open_libs, hooks, timeout
            )
            if code == 2 and first == _OVERFLOW:
                # an int beyond int64 somewhere in what the script read: pass such ints as floats
                self._widen = True
                try:
                    code, first, second, first_hex, second_hex = self._call(
                        entry, obj, open_libs, hooks, timeout
                    )
                finally:
                    self._widen = False
        except self._lua_memory_error:
            self.runtime.gccollect()
            return HealthResult(HealthStatus.UNKNOWN, _memory_text(memory)), True
        finally:
            self._nodes = [None, None]
        if code == 0:
            if second_hex:
                second = _text(second, True)
            results = self._results
            found = results.get((first, second))
            if found is None:
                if len(results) >= _RESULT_CACHE:
                    results.clear()
                found = HealthResult(_STATUS_BY_TEXT[first], second)
                results[(first, second)] = found
            return found, False
        if code == 1:
            return _EMPTY, False
        if code == 3:
            return _INVALID, False
        message = _text(first, first_hex)
        if "attempt to index" in message:
            message = gopher_index_error(message, script)
        return HealthResult(HealthStatus.UNKNOWN, message), True


_INDEX_ERROR = re.compile(
    r"^<string>:(\d+): attempt to index (?:global|local|field|upvalue|method) "
    r"'([A-Za-z_][A-Za-z0-9_]*)' \(a (\w+) value\)$"
)


def gopher_index_error(message: str, script: str) -> str:
    """Reword LuaJIT's "attempt to index field 'x' (a nil value)" as gopher-lua does.

    gopher-lua names the key being indexed, not the variable: ``<string>:4: attempt to index a
    non-table object(nil) with key 'find'``. The key is read from the source line after the
    variable's name (``name.key``, ``name:key``, ``name["key"]``, ``name[1]``); when the line
    does not show it, LuaJIT's wording is kept.
    """
    match = _INDEX_ERROR.match(message)
    if match is None:
        return message
    line_number, name, kind = int(match.group(1)), match.group(2), match.group(3)
    lines = script.splitlines()
    if not 0 < line_number <= len(lines):
        return message
    pattern = _KEY_AFTER.get(name)
    if pattern is None:
        pattern = re.compile(
            r"(?<![A-Za-z0-9_])" + re.escape(name) + r"\s*(?:[.:]\s*([A-Za-z_][A-Za-z0-9_]*)"
            r"|\[\s*\"([^\"]*)\"\s*\]|\[\s*'([^']*)'\s*\]|\[\s*(\d+)\s*\])"
        )
        if len(_KEY_AFTER) < 1024:
            _KEY_AFTER[name] = pattern
    found = pattern.search(lines[line_number - 1])
    if found is None:
        return message
    key = next(group for group in found.groups() if group is not None)
    return f"<string>:{line_number}: attempt to index a non-table object({kind}) with key '{key}'"


_KEY_AFTER: dict[str, re.Pattern[str]] = {}


def _text(value: Any, is_hex: bool) -> str:
    if value is None:
        return ""
    if is_hex:
        return _go_utf8(bytes.fromhex(value))
    return str(value)


def _go_utf8(data: bytes) -> str:
    """Decode as Go's encoding/json does: each invalid byte becomes U+FFFD."""
    return data.decode("utf-8", errors="gitops_core_go_utf8")


def _replace_per_byte(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    return "\ufffd" * (error.end - error.start), error.end


def _register_codec_error() -> None:
    import codecs

    codecs.register_error("gitops_core_go_utf8", _replace_per_byte)


_register_codec_error()


def _budget_text(instructions: int | None) -> str:
    return f"Lua health script exceeded its instruction budget ({instructions} instructions)"


def _deadline_text(timeout: float | None) -> str:
    seconds = "" if timeout is None else f"{timeout:g}s"
    return f"context deadline exceeded (Lua health script ran longer than {seconds})"


def _memory_text(memory: int | None) -> str:
    if memory is None:
        return "not enough memory"
    size = f"{memory / 1048576:g} MiB" if memory >= 1048576 else f"{memory} bytes"
    return f"not enough memory (Lua health script exceeded its memory limit of {size})"


_local = threading.local()


def engine(implementation: str | None = None) -> LuaEngine:
    """The calling thread's shared :class:`LuaEngine` (created on first use)."""
    engines: dict[str | None, LuaEngine] | None = getattr(_local, "engines", None)
    if engines is None:
        engines = {}
        _local.engines = engines
    found = engines.get(implementation)
    if found is None:
        found = LuaEngine(implementation)
        engines[implementation] = found
    return found
