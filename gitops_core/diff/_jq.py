"""Running ``del(E)`` jq programs with Argo CD's semantics and a real deadline.

libjq holds the GIL and cannot be interrupted, so a deadline (Argo CD: 1 s per execution) is only
enforceable in another process. With a deadline, programs run in one persistent worker process
(``python -m gitops_core.diff._jq_worker``) that is killed and restarted when a program overruns.
Without a deadline (``timeout=None``) they run in this process.

Outcome of one program on one document, as in Argo CD's ``jqNormalizerPatch.Apply``: exactly one
result replaces the document; a run-time error, no result, several results or a timeout skip the
program (the document is unchanged) and are reported as a failure reason. Reasons never quote jq's
own message, which can contain document values (Secret data).
"""

from __future__ import annotations

import atexit
import collections
import json
import os
import re
import select
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from typing import Any

import attrs

from gitops_core.errors import IgnoreRuleError, JqUnavailableError

__all__ = [
    "JQ_EXTRA_HINT",
    "JqPlan",
    "check_jq_expression",
    "deletion_paths",
    "is_bounded",
    "jq_available",
    "plan_expression",
    "run_jq_deletions",
]

JQ_EXTRA_HINT = "install the jq extra: pip install 'gitops-core[jq]'"


def jq_available() -> bool:
    """True when the ``jq`` package (libjq binding) can be imported."""
    try:
        import jq  # noqa: F401
    except ImportError:
        return False
    return True


def _jq_module() -> Any:
    try:
        import jq
    except ImportError as exc:
        raise JqUnavailableError(
            f"jqPathExpressions need the jq package, which is not installed; {JQ_EXTRA_HINT}"
        ) from exc
    return jq


_COMPILED: dict[str, Any] = {}
_COMPILED_LOCK = threading.Lock()


def _compiled(expression: str) -> Any:
    program = _COMPILED.get(expression)
    if program is None:
        jq = _jq_module()
        program = jq.compile(f"del({expression})")
        with _COMPILED_LOCK:
            _COMPILED[expression] = program
    return program


def check_jq_expression(expression: str, *, rule: str = "") -> None:
    """Compile ``del(expression)`` once; raises :class:`IgnoreRuleError` on a syntax error.

    Raises :class:`JqUnavailableError` when the jq package is missing.
    """
    if not isinstance(expression, str) or not expression.strip():
        raise IgnoreRuleError("a jqPathExpressions entry must be a non-empty string", rule=rule)
    try:
        _compiled(expression)
    except JqUnavailableError:
        raise
    except ValueError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "syntax error"
        raise IgnoreRuleError(
            f"jq expression {expression!r} does not compile: {first}", rule=rule
        ) from None


def apply_program(expression: str, document: Any) -> tuple[Any, str | None]:
    """Run one compiled ``del(expression)`` on ``document``: ``(new document, None)`` or ``(document, reason)``."""
    program = _compiled(expression)
    try:
        # .all() is much cheaper than iterating; an endless stream can only come from an
        # unbounded program, which runs in the worker and is killed at the deadline
        results = program.input_value(document).all()
    except ValueError:
        return document, "failed at run time"
    if not results:
        return document, "returned no result"
    if len(results) > 1:
        return document, "returned several results"
    return results[0], None


_NOTHING: Any = object()
_DIED = b"\x00died"  # what _read_line returns when the worker's stdout closes
_STARTUP_SECONDS = 60.0


def run_jq_deletions(
    expressions: Sequence[str], document: Any, timeout: float | None
) -> tuple[Any, list[tuple[int, str]]]:
    """Apply the programs in order; returns the final document and ``(index, reason)`` failures."""
    if timeout is None:
        failures: list[tuple[int, str]] = []
        for index, expression in enumerate(expressions):
            document, reason = apply_program(expression, document)
            if reason is not None:
                failures.append((index, reason))
        return document, failures
    return _WORKER.run(list(expressions), document, timeout)


class _Worker:
    """One persistent worker process, restarted after a timeout; calls are serialised."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._buffer = b""

    def _start(self) -> subprocess.Popen[bytes]:
        _jq_module()  # a clear error here rather than a dead worker
        env = dict(os.environ)
        package_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        env["PYTHONPATH"] = package_root + os.pathsep + env.get("PYTHONPATH", "")
        process = subprocess.Popen(
            [sys.executable, "-m", "gitops_core.diff._jq_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self._process = process
        self._buffer = b""
        # the start-up (interpreter, imports) must not count against a program's deadline
        if self._read_line(process, time.monotonic() + _STARTUP_SECONDS) != b"ready":
            # jq missing in the worker's interpreter, or no processes allowed: say so
            self.close()
            raise IgnoreRuleError("the jq worker process did not start")
        return process

    def close(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            process.kill()
            process.wait()
            if process.stdin is not None:
                process.stdin.close()
            if process.stdout is not None:
                process.stdout.close()

    def _read_line(self, process: subprocess.Popen[bytes], deadline: float) -> bytes | None:
        assert process.stdout is not None
        fd = process.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                return None
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return _DIED
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def run(
        self, expressions: list[str], document: Any, timeout: float
    ) -> tuple[Any, list[tuple[int, str]]]:
        with self._lock:
            return self._run_locked(expressions, list(range(len(expressions))), document, timeout)

    def _run_locked(
        self, expressions: list[str], indexes: list[int], document: Any, timeout: float
    ) -> tuple[Any, list[tuple[int, str]]]:
        if not indexes:
            return document, []
        process = (
            self._process if self._process is not None and self._process.poll() is None else None
        )
        if process is None:
            process = self._start()
        assert process.stdin is not None
        request = json.dumps([[expressions[i] for i in indexes], document], separators=(",", ":"))
        try:
            process.stdin.write(request.encode() + b"\n")
            process.stdin.flush()
        except BrokenPipeError:
            self.close()
            process = self._start()
            assert process.stdin is not None
            process.stdin.write(request.encode() + b"\n")
            process.stdin.flush()
        failures: list[tuple[int, str]] = []
        succeeded: list[int] = []
        for position, index in enumerate(indexes):
            line = self._read_line(process, time.monotonic() + timeout)
            if line is None or line is _DIED:
                # Argo CD: a patch that exceeds the deadline (or whose run fails in any way) is
                # skipped; the others go on, in a fresh worker.
                self.close()
                reason = (
                    f"timed out after {timeout:g}s" if line is None else "crashed the jq process"
                )
                failures.append((index, reason))
                rest = succeeded + indexes[position + 1 :]
                document, more = self._run_locked(expressions, rest, document, timeout)
                return document, sorted(failures + more)
            status = json.loads(line)
            if status == 1:
                succeeded.append(index)
            else:
                failures.append((index, str(status)))
        line = self._read_line(process, time.monotonic() + max(timeout, 10.0))
        if line is None or line is _DIED:
            self.close()
            lost = [(index, "the jq process stopped answering") for index in succeeded]
            return document, sorted(failures + lost)
        return json.loads(line), failures


_WORKER = _Worker()
atexit.register(_WORKER.close)


@attrs.frozen
class JqPlan:
    """How to run ``del(E)`` cheaply: ``E`` split into a leading key path and the rest.

    ``prefix`` is ``None`` when ``E`` does not start with a plain key path whose deletions all
    lie under it; then ``del(E)`` runs on the whole object. Otherwise deleting ``E`` is running
    ``del(rest)`` on the value at ``prefix`` (or removing that key when ``rest`` is ``None``):
    an object without the path is left as it is without starting jq, and only the value at the
    path is sent to jq. Both give jq's result for the whole object.
    """

    prefix: tuple[str, ...] | None
    rest: str | None = None
    bounded: bool = False
    select: tuple[str, Any] | None = None
    """For ``rest`` = ``.[] | select(.FIELD == LITERAL)``: (FIELD, LITERAL), evaluated natively."""
    screen: tuple[str, ...] = ()
    """JSON texts of string literals that must all occur in the value for anything to be deleted
    (``rest`` = path ``| select(...)`` whose condition is a conjunction of ``==``,
    ``startswith``, ``endswith`` and ``contains`` tests on string literals)."""


_SEGMENT = re.compile(
    r"""\s*(?:
        \.\s*(?P<ident>[A-Za-z_][A-Za-z0-9_]*)
      | \.?\s*\[\s*(?P<bracket>"(?:[^"\\]|\\.)*")\s*\]
      | \.\s*(?P<quoted>"(?:[^"\\]|\\.)*")
    )""",
    re.VERBOSE,
)
_SAFE_INDEX = re.compile(r'\s*(?:-?[0-9]*\s*(?::\s*-?[0-9]*)?|"(?:[^"\\]|\\.)*")\s*')
_IDENT_CHARS = re.compile(r"[A-Za-z0-9_.?\s]")


_SELECT = re.compile(
    r"""\[\s*\]\s*\|\s*select\s*\(\s*\.\s*(?:(?P<field>[A-Za-z_][A-Za-z0-9_]*)|(?P<quoted>"(?:[^"\\]|\\.)*"))
        \s*==\s*(?P<literal>"(?:[^"\\]|\\.)*"|-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null)\s*\)""",
    re.VERBOSE,
)


def _postfix_only(text: str) -> bool:
    """True when ``text`` is only postfix path syntax (``[]``, ``[0]``, ``["k"]``, ``?``, ``.k``)."""
    position = 0
    while position < len(text):
        char = text[position]
        if char == "[":
            end = text.find("]", position)
            if end < 0 or not _SAFE_INDEX.fullmatch(text[position + 1 : end]):
                return False
            position = end + 1
        elif char == '"':
            match = re.compile(r'"(?:[^"\\]|\\.)*"').match(text, position)
            if match is None:
                return False
            position = match.end()
        elif _IDENT_CHARS.fullmatch(char):
            if text.startswith("..", position):
                return False  # recursive descent
            position += 1
        else:
            return False
    return True


def _top_level_pipe(text: str) -> int:
    """Index of the first ``|`` outside brackets and strings, or -1."""
    depth = 0
    position = 0
    while position < len(text):
        char = text[position]
        if char == '"':
            match = re.compile(r'"(?:[^"\\]|\\.)*"').match(text, position)
            if match is None:
                return -1
            position = match.end()
            continue
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "|" and depth == 0:
            return position
        position += 1
    return -1


def plan_expression(expression: str) -> JqPlan:
    """Split ``expression`` for :class:`JqPlan` (conservatively: anything unusual runs whole)."""
    segments: list[str] = []
    position = 0
    while True:
        match = _SEGMENT.match(expression, position)
        if match is None:
            break
        token = match.group("ident")
        if token is None:
            quoted = match.group("bracket") or match.group("quoted")
            try:
                token = json.loads(quoted)
            except ValueError:
                return JqPlan(None)
        segments.append(token)
        position = match.end()
    bounded = is_bounded(expression)
    if not segments:
        return JqPlan(None, bounded=bounded)
    rest = expression[position:].strip()
    if not rest:
        return JqPlan(tuple(segments), bounded=True)
    if rest[0] not in "[?|":
        return JqPlan(None, bounded=bounded)
    pipe = _top_level_pipe(rest)
    head = rest if pipe < 0 else rest[:pipe]
    if not _postfix_only(head):
        return JqPlan(None, bounded=bounded)
    select = None
    match = _SELECT.fullmatch(rest)
    if match is not None:
        field = match.group("field") or json.loads(match.group("quoted"))
        try:
            literal = json.loads(match.group("literal"))
        except ValueError:
            literal = _NOTHING
        if literal is not _NOTHING and not isinstance(literal, (dict, list)):
            select = (field, literal)
    return JqPlan(
        tuple(segments), "." + rest, bounded=bounded, select=select, screen=_screen(rest, pipe)
    )


_SCREEN_WORDS = frozenset({"and", "startswith", "endswith", "contains"})
_SCREEN_CHARS = re.compile(r'[\s.A-Za-z0-9_()|="]*')


def _screen(rest: str, pipe: int) -> tuple[str, ...]:
    """Literals a ``... | select(COND)`` deletion needs in its input (see ``JqPlan.screen``)."""
    if pipe < 0:
        return ()
    tail = rest[pipe + 1 :].strip()
    if not (tail.startswith("select") and tail.endswith(")")):
        return ()
    body = tail[len("select") :].strip()
    if not (body.startswith("(") and _balanced(body[1:-1])):
        return ()
    body = body[1:-1]
    literals = _STRING.findall(body)
    code = _STRING.sub('""', body)
    if not literals or not _SCREEN_CHARS.fullmatch(code) or ("==" not in code and "(" not in code):
        return ()
    if any(word not in _SCREEN_WORDS for word in _WORD.findall(code)):
        return ()
    if "===" in code or "|=" in code or "=" in code.replace("==", ""):
        return ()
    texts = []
    for literal in literals:
        try:
            value = json.loads(literal)
        except ValueError:
            return ()
        if not isinstance(value, str) or not value:
            return ()
        texts.append(json.dumps(value, ensure_ascii=False)[1:-1])
    return tuple(texts)


# Builtins and keywords whose cost is bounded by the size of the object they run on (no loops
# of their own, no regular expressions, no recursion with a user-given step). An expression
# made only of these, path syntax, literals and operators cannot run away, so it runs in this
# process; anything else runs in the worker under the deadline.
_BOUNDED_WORDS = frozenset(
    """
    select not and or has in inside contains startswith endswith ltrimstr rtrimstr
    ascii_downcase ascii_upcase length utf8bytelength keys keys_unsorted values type map
    map_values to_entries from_entries with_entries any all empty error null true false if
    then elif else end tostring tonumber index rindex indices first last add join objects
    arrays strings numbers booleans nulls iterables scalars paths leaf_paths min max unique
    sort reverse floor sqrt abs isempty
    """.split()
)
_WORD = re.compile(r"(?<![.$A-Za-z0-9_])[A-Za-z_][A-Za-z0-9_]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def is_bounded(expression: str) -> bool:
    """Whether ``del(expression)`` runs in time bounded by the object (see ``_BOUNDED_WORDS``).

    >>> is_bounded('.spec.containers[] | select(.name == "istio-proxy")')
    True
    >>> is_bounded(".a | until(false; .)"), is_bounded('.a | test("x+")')
    (False, False)
    """
    strings = _STRING.findall(expression)
    if any("\\(" in text for text in strings):
        return False  # string interpolation runs code
    code = _STRING.sub('""', expression)
    if "#" in code:
        return False
    return all(word in _BOUNDED_WORDS for word in _WORD.findall(code))


def _balanced(expression: str) -> bool:
    """Parentheses and brackets never close what the expression did not open (no ``), (``)."""
    depth = 0
    code = _STRING.sub('""', expression)
    for char in code:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


_PATH_PROGRAMS: dict[str, Any] = {}
_PATH_CACHE: collections.OrderedDict[tuple[str, str], tuple[list[Any] | None, str | None]] = (
    collections.OrderedDict()
)
_PATH_CACHE_SIZE = 2048
_PATH_LOCK = threading.Lock()


def deletion_paths(
    expression: str, value: Any, text: str | None = None
) -> tuple[list[Any] | None, str | None]:
    """The paths ``del(expression)`` would delete from ``value``: ``(paths, None)`` or ``(None, reason)``.

    Runs ``[path(expression)]`` in this process, so only for bounded, balanced expressions
    (``(None, "unsupported")`` otherwise; the caller then runs ``del``). ``del(E)`` is
    ``delpaths([path(E)])``, so deleting these paths gives jq's result; the answer is cached by
    expression and input text (desired and last-applied often hold the same value).
    """
    if not is_bounded(expression) or not _balanced(expression):
        return None, "unsupported"
    if text is None:
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    key = (expression, text)
    cached = _PATH_CACHE.get(key)
    if cached is not None:
        return cached
    program = _PATH_PROGRAMS.get(expression)
    if program is None:
        program = _jq_module().compile(f"[path({expression})]")
        _PATH_PROGRAMS[expression] = program
    try:
        results = program.input_text(text).all()
    except ValueError:
        outcome: tuple[list[Any] | None, str | None] = (None, "failed at run time")
    else:
        if len(results) != 1 or not isinstance(results[0], list):
            outcome = (None, "returned several results")
        else:
            outcome = (results[0], None)
    with _PATH_LOCK:
        _PATH_CACHE[key] = outcome
        if len(_PATH_CACHE) > _PATH_CACHE_SIZE:
            _PATH_CACHE.popitem(last=False)
    return outcome
