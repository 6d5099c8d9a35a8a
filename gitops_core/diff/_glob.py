"""Glob patterns as Argo CD matches group and kind (gobwas/glob without separators).

Syntax: ``*`` and ``**`` match any run of characters, ``?`` one character, ``[abc]``/``[a-z]`` a
class, ``[!abc]`` a negated class, ``{a,b}`` alternatives (each itself a pattern), ``\\`` escapes
the next character. Everything else matches itself. A pattern that does not compile matches
nothing (Argo CD logs a warning and reports no match).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

__all__ = ["GlobSyntaxError", "compile_glob", "glob_match"]


class GlobSyntaxError(ValueError):
    """Internal: a glob pattern does not parse."""


def _translate(pattern: str, pos: int, stop: str) -> tuple[str, int]:
    """Regex for ``pattern[pos:]`` up to an unescaped character of ``stop``; returns (regex, end)."""
    out: list[str] = []
    n = len(pattern)
    while pos < n:
        char = pattern[pos]
        if char in stop:
            return "".join(out), pos
        if char == "\\":
            if pos + 1 >= n:
                raise GlobSyntaxError("pattern ends with an escape")
            out.append(re.escape(pattern[pos + 1]))
            pos += 2
        elif char == "*":
            while pos < n and pattern[pos] == "*":
                pos += 1
            out.append(".*")
        elif char == "?":
            out.append(".")
            pos += 1
        elif char == "[":
            end = pattern.find("]", pos + 1)
            if end < 0:
                raise GlobSyntaxError("unclosed [")
            body = pattern[pos + 1 : end]
            negate = body.startswith("!")
            if negate:
                body = body[1:]
            if not body:
                raise GlobSyntaxError("empty character class")
            parts: list[str] = []
            index = 0
            while index < len(body):
                if index + 2 < len(body) and body[index + 1] == "-":
                    low, high = body[index], body[index + 2]
                    if low > high:
                        raise GlobSyntaxError("bad range")
                    parts.append(f"{re.escape(low)}-{re.escape(high)}")
                    index += 3
                else:
                    parts.append(re.escape(body[index]))
                    index += 1
            out.append("[" + ("^" if negate else "") + "".join(parts) + "]")
            pos = end + 1
        elif char == "{":
            alternatives: list[str] = []
            pos += 1
            while True:
                branch, pos = _translate(pattern, pos, ",}")
                alternatives.append(branch)
                if pos >= n:
                    raise GlobSyntaxError("unclosed {")
                if pattern[pos] == "}":
                    pos += 1
                    break
                pos += 1  # the comma
            out.append("(?:" + "|".join(alternatives) + ")")
        else:
            out.append(re.escape(char))
            pos += 1
    if stop:
        raise GlobSyntaxError("unclosed {")
    return "".join(out), pos


@functools.lru_cache(maxsize=4096)
def compile_glob(pattern: str) -> Callable[[str], bool]:
    """A matcher for ``pattern``; raises :class:`GlobSyntaxError` when it does not parse."""
    if not any(char in pattern for char in "*?[{\\"):
        return pattern.__eq__
    regex, _ = _translate(pattern, 0, "")
    compiled = re.compile(regex, re.DOTALL)
    return lambda text: compiled.fullmatch(text) is not None


def glob_match(pattern: str, text: str) -> bool:
    """True when ``text`` matches ``pattern``; a pattern that does not parse matches nothing.

    >>> glob_match("*", "apps"), glob_match("", ""), glob_match("", "apps")
    (True, True, False)
    >>> glob_match("{apps,batch}", "batch"), glob_match("*.k8s.io", "rbac.authorization.k8s.io")
    (True, True)
    """
    try:
        return compile_glob(pattern)(text)
    except GlobSyntaxError:
        return False
