"""Go ``time.Duration`` parsing and printing (``metav1.Duration`` fields, known-type fields).

``canonical_duration("60s") == "1m0s"``: what Go's ``time.ParseDuration`` followed by
``Duration.String()`` prints. Source: Go ``src/time/format.go`` (``ParseDuration``) and
``src/time/time.go`` (``Duration.String``).
"""

from __future__ import annotations

__all__ = ["canonical_duration", "format_duration", "parse_duration"]

_NANOSECOND = 1
_MICROSECOND = 1000
_MILLISECOND = 1000 * _MICROSECOND
_SECOND = 1000 * _MILLISECOND
_MINUTE = 60 * _SECOND
_HOUR = 60 * _MINUTE

_UNITS: dict[str, int] = {
    "ns": _NANOSECOND,
    "us": _MICROSECOND,
    "µs": _MICROSECOND,  # U+00B5 micro sign
    "μs": _MICROSECOND,  # U+03BC Greek letter mu
    "ms": _MILLISECOND,
    "s": _SECOND,
    "m": _MINUTE,
    "h": _HOUR,
}
_MAX_INT64 = (1 << 63) - 1
_LIMIT = 1 << 63
_DIGITS = frozenset("0123456789")


def _leading_int(text: str, pos: int, original: str) -> tuple[int, int]:
    """Go's leadingInt: digits from ``pos``; overflow past 2**63 is an error."""
    value = 0
    end = len(text)
    while pos < end and text[pos] in _DIGITS:
        if value > _LIMIT // 10:
            raise ValueError(f"invalid duration {original!r}")
        value = value * 10 + ord(text[pos]) - 48
        if value > _LIMIT:
            raise ValueError(f"invalid duration {original!r}")
        pos += 1
    return value, pos


def _leading_fraction(text: str, pos: int) -> tuple[int, float, int]:
    """Go's leadingFraction: digits after the dot; digits past int64 precision are ignored."""
    value = 0
    scale = 1.0
    overflow = False
    end = len(text)
    while pos < end and text[pos] in _DIGITS:
        if not overflow:
            if value > _MAX_INT64 // 10:
                overflow = True
            else:
                candidate = value * 10 + ord(text[pos]) - 48
                if candidate > _LIMIT:
                    overflow = True
                else:
                    value = candidate
                    scale *= 10
        pos += 1
    return value, scale, pos


def parse_duration(value: str) -> int:
    """Parse a Go duration string (``"1h30m"``, ``"-1.5s"``, ``"0"``) into nanoseconds.

    Mirrors Go's ``time.ParseDuration`` including its float64 arithmetic for fractions.

    Raises:
        ValueError: the text is not a Go duration, or it overflows int64 nanoseconds.
    """
    if not isinstance(value, str):
        raise ValueError("duration must be a string")
    text = value
    negative = False
    if text[:1] in ("-", "+"):
        negative = text[0] == "-"
        text = text[1:]
    if text == "0":
        return 0
    if not text:
        raise ValueError(f"invalid duration {value!r}")
    total = 0
    pos = 0
    end = len(text)
    while pos < end:
        if not (text[pos] == "." or text[pos] in _DIGITS):
            raise ValueError(f"invalid duration {value!r}")
        start = pos
        whole, pos = _leading_int(text, pos, value)
        consumed_whole = pos != start
        fraction, scale, consumed_fraction = 0, 1.0, False
        if pos < end and text[pos] == ".":
            pos += 1
            fraction_start = pos
            fraction, scale, pos = _leading_fraction(text, pos)
            consumed_fraction = pos != fraction_start
        if not consumed_whole and not consumed_fraction:
            raise ValueError(f"invalid duration {value!r}")
        unit_start = pos
        while pos < end and text[pos] != "." and text[pos] not in _DIGITS:
            pos += 1
        if pos == unit_start:
            raise ValueError(f"missing unit in duration {value!r}")
        unit = _UNITS.get(text[unit_start:pos])
        if unit is None:
            raise ValueError(f"unknown unit {text[unit_start:pos]!r} in duration {value!r}")
        if whole > _LIMIT // unit:
            raise ValueError(f"invalid duration {value!r}")
        whole *= unit
        if fraction > 0:
            # float64 arithmetic, exactly as Go does it (nanosecond accurate for hours)
            whole += int(float(fraction) * (float(unit) / scale))
            if whole > _LIMIT:
                raise ValueError(f"invalid duration {value!r}")
        total += whole
        if total > _LIMIT:
            raise ValueError(f"invalid duration {value!r}")
    if negative:
        return -total
    if total > _MAX_INT64:
        raise ValueError(f"invalid duration {value!r}")
    return total


def _format_fraction(value: int, precision: int) -> tuple[str, int]:
    """Go's fmtFrac: ``value`` split at ``precision`` digits; trailing zeros (and dot) removed."""
    digits = []
    printed = False
    for _ in range(precision):
        digit = value % 10
        printed = printed or digit != 0
        if printed:
            digits.append(str(digit))
        value //= 10
    text = ""
    if printed:
        text = "." + "".join(reversed(digits))
    return text, value


def format_duration(nanoseconds: int) -> str:
    """Go's ``Duration.String()``: ``72h3m0.5s``, ``1.5s``, ``500ms``, ``0s``."""
    if nanoseconds == 0:
        return "0s"
    negative = nanoseconds < 0
    u = -nanoseconds if negative else nanoseconds
    if u < _SECOND:
        if u < _MICROSECOND:
            text = f"{u}ns"
        elif u < _MILLISECOND:
            frac, whole = _format_fraction(u, 3)
            text = f"{whole}{frac}µs"
        else:
            frac, whole = _format_fraction(u, 6)
            text = f"{whole}{frac}ms"
    else:
        frac, whole = _format_fraction(u, 9)
        seconds = whole % 60
        whole //= 60
        text = f"{seconds}{frac}s"
        if whole > 0:
            minutes = whole % 60
            whole //= 60
            text = f"{minutes}m{text}"
            if whole > 0:
                text = f"{whole}h{text}"
    return "-" + text if negative else text


def canonical_duration(value: str) -> str:
    """The Go string of a duration: ``"60s"`` → ``"1m0s"``, ``"1h"`` → ``"1h0m0s"``.

    >>> canonical_duration("0.5s")
    '500ms'

    Raises:
        ValueError: the text is not a Go duration.
    """
    return format_duration(parse_duration(value))
