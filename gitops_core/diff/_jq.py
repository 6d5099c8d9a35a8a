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
import json
import os
import select
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from typing import Any

from gitops_core.errors import IgnoreRuleError, JqUnavailableError

__all__ = ["JQ_EXTRA_HINT", "check_jq_expression", "jq_available", "run_jq_deletions"]

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
        results = iter(program.input_value(document))
        first = next(results, _NOTHING)
        if first is _NOTHING:
            return document, "returned no result"
        if next(results, _NOTHING) is not _NOTHING:
            return document, "returned several results"
    except ValueError:
        return document, "failed at run time"
    return first, None


_NOTHING: Any = object()
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
                self.close()
                raise IgnoreRuleError("the jq worker process exited unexpectedly")
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
            if line is None:
                # Argo CD: a patch that exceeds the deadline is skipped; the others go on.
                self.close()
                failures.append((index, f"timed out after {timeout:g}s"))
                rest = succeeded + indexes[position + 1 :]
                document, more = self._run_locked(expressions, rest, document, timeout)
                return document, sorted(failures + more)
            status = json.loads(line)
            if status == 1:
                succeeded.append(index)
            else:
                failures.append((index, str(status)))
        line = self._read_line(process, time.monotonic() + max(timeout, 10.0))
        if line is None:
            self.close()
            raise IgnoreRuleError("the jq worker process stopped answering")
        return json.loads(line), failures


_WORKER = _Worker()
atexit.register(_WORKER.close)
