"""Glob patterns of health overrides (gobwas/glob) and of wildcard script folders (doublestar).

- Override keys (``argocd-cm``) are gobwas globs compiled **without separators**: ``*`` matches
  any run of characters including ``/`` and ``.``; ``?`` one character; ``[abc]``, ``[a-z]``,
  ``[!abc]`` a class; ``{a,b}`` alternatives (themselves globs); ``\\`` escapes.
- Wildcard folders (``_.crossplane.io/_``): ``_`` stands for ``*``, which does **not** cross
  ``/`` (doublestar).
"""

from __future__ import annotations

import re

__all__ = ["GlobError", "compile_folder_pattern", "compile_glob", "is_glob"]

_META = frozenset("*?[]{}\\")


class GlobError(ValueError):
    """The pattern is not a valid gobwas glob (unclosed ``[`` or ``{``, dangling ``\\``)."""


def is_glob(pattern: str) -> bool:
    """True when ``pattern`` has glob syntax (otherwise it can only match itself)."""
    return any(c in _META for c in pattern)


def compile_glob(pattern: str) -> re.Pattern[str]:
    """A regular expression matching exactly what gobwas/glob matches (no separators).

    Raises :class:`GlobError` for a pattern gobwas would refuse.
    """
    regex, end = _parse(pattern, 0, in_braces=False)
    if end != len(pattern):  # pragma: no cover - _parse consumes everything outside braces
        raise GlobError(f"unexpected {pattern[end]!r} at {end}")
    return re.compile(regex, re.DOTALL)


def _parse(pattern: str, i: int, in_braces: bool) -> tuple[str, int]:
    out: list[str] = []
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 >= n:
                raise GlobError("pattern ends with an escape character")
            out.append(re.escape(pattern[i + 1]))
            i += 2
        elif c == "*":
            while i < n and pattern[i] == "*":
                i += 1
            out.append(".*")
        elif c == "?":
            out.append(".")
            i += 1
        elif c == "[":
            cls, i = _parse_class(pattern, i)
            out.append(cls)
        elif c == "{":
            alternatives: list[str] = []
            i += 1
            while True:
                alt, i = _parse(pattern, i, in_braces=True)
                alternatives.append(alt)
                if i >= n:
                    raise GlobError("unclosed '{'")
                if pattern[i] == ",":
                    i += 1
                    continue
                i += 1  # '}'
                break
            out.append("(?:" + "|".join(alternatives) + ")")
        elif in_braces and c in ",}":
            return "".join(out), i
        elif c == "]" or c == "}":
            raise GlobError(f"unexpected {c!r}")
        else:
            out.append(re.escape(c))
            i += 1
    if in_braces:
        raise GlobError("unclosed '{'")
    return "".join(out), i


def _parse_class(pattern: str, i: int) -> tuple[str, int]:
    n = len(pattern)
    i += 1
    negate = i < n and pattern[i] == "!"
    if negate:
        i += 1
    parts: list[str] = []
    while i < n and pattern[i] != "]":
        lo = pattern[i]
        if lo == "\\" and i + 1 < n:
            lo = pattern[i + 1]
            i += 1
        if i + 2 < n and pattern[i + 1] == "-" and pattern[i + 2] != "]":
            hi = pattern[i + 2]
            if hi < lo:
                raise GlobError(f"bad range {lo}-{hi}")
            parts.append(re.escape(lo) + "-" + re.escape(hi))
            i += 3
        else:
            parts.append(re.escape(lo))
            i += 1
    if i >= n:
        raise GlobError("unclosed '['")
    if not parts:
        raise GlobError("empty character class")
    return "[" + ("^" if negate else "") + "".join(parts) + "]", i + 1


def compile_folder_pattern(folder: str) -> re.Pattern[str]:
    """The matcher of a wildcard folder such as ``_.crossplane.io/_`` (``_`` = ``*``, not ``/``)."""
    return re.compile("[^/]*".join(re.escape(part) for part in folder.split("_")))
