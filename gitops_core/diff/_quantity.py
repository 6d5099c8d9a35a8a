"""Kubernetes ``resource.Quantity``: parsing and the canonical string a round trip prints.

``canonical_quantity(v)`` is what ``json.Marshal`` of ``resource.MustParse(v)`` yields in Go
(k8s.io/apimachinery ``pkg/api/resource/quantity.go``: ``ParseQuantity``, ``CanonicalizeBytes``,
``MarshalJSON``; ``suffix.go``; ``amount.go``). The three formats stay apart: binary SI
(``Ki``..``Ei``), decimal SI (``n u m "" k M G T P E``) and decimal exponent (``e3``):

>>> [canonical_quantity(v) for v in ("0.2", 0.2, "1024Mi", "1000m", "1.5", "1536Mi", "2e3")]
['200m', '200m', '1Gi', '1', '1500m', '1536Mi', '2e3']

Go keeps the input text verbatim when it looks canonical ("fast path"), with its quirks: a
leading ``+`` survives and ``1.500`` stays ``1.500``. This port does the same, so values compare
exactly as Argo CD compares them.
"""

from __future__ import annotations

import decimal
from fractions import Fraction
from typing import Literal

__all__ = [
    "QuantityFormat",
    "canonical_quantity",
    "go_float_text",
    "parse_quantity",
    "round_up_quantity",
]

QuantityFormat = Literal["BinarySI", "DecimalSI", "DecimalExponent"]

_DECIMAL_SUFFIXES: dict[str, int] = {
    "n": -9,
    "u": -6,
    "m": -3,
    "": 0,
    "k": 3,
    "M": 6,
    "G": 9,
    "T": 12,
    "P": 15,
    "E": 18,
}
_DECIMAL_BY_EXPONENT = {exp: text for text, exp in _DECIMAL_SUFFIXES.items()}
_BINARY_SUFFIXES: dict[str, int] = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_BINARY_BY_POWER = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
_SUFFIX_CHARS = frozenset("eEinumkKMGTP")
_DIGITS = frozenset("0123456789")
_MAX_INT64 = (1 << 63) - 1
_NANO = -9
_GO_SPACE = " \t\n\v\f\r\x85\xa0"


class _Parsed:
    """A parsed quantity: value = mantissa * 10**exponent, its format, Go's cached text."""

    __slots__ = ("cached", "exponent", "format", "mantissa")

    def __init__(self, mantissa: int, exponent: int, fmt: QuantityFormat, cached: str | None):
        self.mantissa = mantissa
        self.exponent = exponent
        self.format: QuantityFormat = fmt
        self.cached = cached


def go_float_text(value: float) -> str:
    """The text Go's ``encoding/json`` writes for a float64 (``1`` for 1.0, ``1e+21``, ``1e-7``).

    Raises:
        ValueError: NaN or infinity (not JSON).
    """
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError("not a finite number")
    if value == 0:
        return "-0" if str(value).startswith("-") else "0"
    dec = decimal.Decimal(repr(value))
    sign, digits_tuple, exp = dec.as_tuple()
    assert isinstance(exp, int)
    digits = "".join(map(str, digits_tuple)).rstrip("0") or "0"
    exp += len(digits_tuple) - len(digits)
    # value = digits * 10**exp; decimal exponent of the first digit:
    point = len(digits) + exp  # position of the decimal point from the left of digits
    magnitude = abs(value)
    prefix = "-" if sign else ""
    if magnitude < 1e-6 or magnitude >= 1e21:
        first_exp = point - 1
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return _go_exp(prefix, mantissa, first_exp)
    if point <= 0:
        return f"{prefix}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return f"{prefix}{digits}{'0' * (point - len(digits))}"
    return f"{prefix}{digits[:point]}.{digits[point:]}"


def _go_exp(prefix: str, mantissa: str, exponent: int) -> str:
    # strconv 'e' format pads the exponent to two digits; encoding/json trims "e-09" to "e-9"
    if exponent < 0:
        text = f"e-{-exponent:02d}"
        if len(text) == 4 and text[2] == "0":
            text = "e-" + text[3]
    else:
        text = f"e+{exponent:02d}"
    return prefix + mantissa + text


def _to_text(value: object) -> str:
    if isinstance(value, bool):
        raise ValueError("a boolean is not a quantity")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_float_text(value)
    if isinstance(value, str):
        # UnmarshalJSON trims spaces before parsing
        return value.strip(_GO_SPACE)
    raise ValueError(f"a {type(value).__name__} is not a quantity")


def _split(text: str) -> tuple[bool, str, str, str, str]:
    """apimachinery parseQuantityString: (positive, value, num, denom, suffix)."""
    positive = True
    pos = 0
    end = len(text)
    if pos < end and text[0] in "+-":
        positive = text[0] == "+"
        pos += 1
    while True:  # strip leading zeros
        if pos >= end:
            return positive, "0", "0", "", ""
        if text[pos] != "0":
            break
        pos += 1
    start = pos
    while pos < end and text[pos] in _DIGITS:
        pos += 1
    num = text[start:pos]
    if pos >= end:
        return positive, text, num or "0", "", ""
    num = num or "0"
    denom = ""
    if text[pos] == ".":
        pos += 1
        start = pos
        while pos < end and text[pos] in _DIGITS:
            pos += 1
        denom = text[start:pos]
        if pos >= end:
            return positive, text, num, denom, ""
    value = text[:pos]
    suffix_start = pos
    while pos < end and text[pos] in _SUFFIX_CHARS:
        pos += 1
    if pos < end and text[pos] in "+-":
        pos += 1
    while pos < end and text[pos] in _DIGITS:
        pos += 1
    if pos < end:
        raise ValueError(
            "quantities must match the regular expression "
            "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        )
    return positive, value, num, denom, text[suffix_start:]


def _interpret(suffix: str) -> tuple[int, int, QuantityFormat]:
    """(base, exponent, format) of a suffix; raises ValueError for an unknown one."""
    exp = _DECIMAL_SUFFIXES.get(suffix)
    if exp is not None:
        return 10, exp, "DecimalSI"
    exp = _BINARY_SUFFIXES.get(suffix)
    if exp is not None:
        return 2, exp, "BinarySI"
    if len(suffix) > 1 and suffix[0] in "eE":
        body = suffix[1:]
        digits = body[1:] if body[:1] in "+-" else body
        if digits and all(c in _DIGITS for c in digits):
            parsed = int(body)
            if -(1 << 63) <= parsed <= _MAX_INT64:
                # Go converts the int64 to int32 (wrapping)
                wrapped = (parsed + (1 << 31)) % (1 << 32) - (1 << 31)
                return 10, wrapped, "DecimalExponent"
    raise ValueError("unable to parse quantity's suffix")


def _parse(value: object) -> _Parsed:
    text = _to_text(value)
    if not text:
        raise ValueError(
            "quantities must match the regular expression "
            "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        )
    if text == "0":
        return _Parsed(0, 0, "DecimalSI", "0")
    positive, _, num, denom, suffix = _split(text)
    base, exponent, fmt = _interpret(suffix)

    # Go's int64 fast path: exact, and it keeps the input text when it looks canonical.
    if fmt == "BinarySI":
        precision = (14 - len(num) - (exponent * 3) // 10) if not denom else -1
        scale = 0
    else:
        precision = 18 - (len(num) + len(denom))
        scale = exponent
    if precision >= 0:
        scale -= len(denom)
        if scale >= _NANO:
            shifted = num + denom
            number = int(shifted)
            multiplier = (1 << exponent) if fmt == "BinarySI" else 1
            result = number * multiplier
            if result <= _MAX_INT64:
                if not positive:
                    result = -result
                cached: str | None = None
                if fmt == "BinarySI":
                    if exponent % 10 == 0 and number & 0x07 != 0:
                        cached = text
                elif scale % 3 == 0 and not shifted.endswith("000") and shifted[0] != "0":
                    cached = text
                return _Parsed(result, scale, fmt, cached)

    # Slow path: arbitrary precision, rounded up (away from zero) to nano, binary capped.
    mantissa = int(num + denom)
    exp10 = -len(denom)
    if base == 10:
        exp10 += exponent
    else:
        mantissa <<= exponent
    if mantissa != 0 and exp10 < _NANO:
        drop = _NANO - exp10
        if len(str(mantissa)) <= drop:
            mantissa = 1
        else:
            divisor = 10**drop
            mantissa = -(-mantissa // divisor)
        exp10 = _NANO
    if fmt == "BinarySI":
        if _exceeds(mantissa, exp10, _MAX_INT64):
            mantissa, exp10 = _MAX_INT64, 0
        if not _exceeds(mantissa, exp10, 1023) or _below_1024(mantissa, exp10):
            fmt = "DecimalSI"
    if not positive:
        mantissa = -mantissa
    return _Parsed(mantissa, exp10, fmt, None)


def _exceeds(mantissa: int, exp10: int, limit: int) -> bool:
    """mantissa * 10**exp10 > limit, for a non-negative mantissa."""
    if exp10 >= 0:
        return bool(mantissa * 10**exp10 > limit)
    return bool(mantissa > limit * 10 ** (-exp10))


def _below_1024(mantissa: int, exp10: int) -> bool:
    if exp10 >= 0:
        return bool(mantissa * 10**exp10 < 1024)
    return bool(mantissa < 1024 * 10 ** (-exp10))


def _canonical(parsed: _Parsed) -> str:
    if parsed.cached is not None:
        return parsed.cached
    mantissa, exponent, fmt = parsed.mantissa, parsed.exponent, parsed.format
    if mantissa == 0:
        return "0"
    if fmt == "BinarySI":
        as_int: int | None = None
        if exponent >= 0:
            as_int = mantissa * 10**exponent
        else:
            factor = 10 ** (-exponent)
            if mantissa % factor == 0:
                as_int = mantissa // factor
        if as_int is None or -1024 < as_int < 1024:
            fmt = "DecimalSI"
        else:
            power = 0
            while power < len(_BINARY_BY_POWER) - 1 and as_int % 1024 == 0:
                as_int //= 1024
                power += 1
            return f"{as_int}{_BINARY_BY_POWER[power]}"
    # move factors of ten into the exponent, then lower the exponent to a multiple of three
    while mantissa % 10 == 0:
        mantissa //= 10
        exponent += 1
    shift = exponent % 3
    if shift:
        mantissa *= 10**shift
        exponent -= shift
    if fmt == "DecimalExponent":
        return f"{mantissa}e{exponent}" if exponent else str(mantissa)
    # Go prints no suffix when none exists for the exponent (beyond E); mirrored on purpose.
    return f"{mantissa}{_DECIMAL_BY_EXPONENT.get(exponent, '')}"


def parse_quantity(value: str | int | float) -> tuple[Fraction, QuantityFormat]:
    """Parse a quantity into its exact value and format family.

    >>> parse_quantity("1.5Gi")
    (Fraction(1610612736, 1), 'BinarySI')

    Raises:
        ValueError: not a quantity (bad number, bad suffix, wrong type), or an exponent
            beyond ±10000 (the exact value would be astronomically large).
    """
    parsed = _parse(value)
    if abs(parsed.exponent) > _MAX_EXACT_EXPONENT:
        raise ValueError("quantity exponent too large for an exact value")
    if parsed.exponent >= 0:
        exact = Fraction(parsed.mantissa * 10**parsed.exponent)
    else:
        exact = Fraction(parsed.mantissa, 10 ** (-parsed.exponent))
    return exact, parsed.format


def canonical_quantity(value: str | int | float) -> str:
    """The string Go's ``Quantity.MarshalJSON`` prints after parsing ``value``.

    Accepts what a JSON document may hold in a quantity field: a string or a number.

    Raises:
        ValueError: not a quantity (bad number, bad suffix, boolean, ...).
    """
    if type(value) is str:
        cached = _CACHE.get(value)
        if cached is None:
            cached = _canonical(_parse(value))
            if len(_CACHE) >= _CACHE_SIZE:
                _CACHE.clear()
            _CACHE[value] = cached
        return cached
    return _canonical(_parse(value))


# Quantities repeat a lot across objects ("100m", "128Mi"): canonical forms of strings are
# memoised in a bounded dict (cleared when full; invalid strings are never stored).
_CACHE: dict[str, str] = {}
_MAX_EXACT_EXPONENT = 10_000
_CACHE_SIZE = 4096


def round_up_quantity(value: str | int | float, scale: int = -3) -> str:
    """Go's ``Quantity.RoundUp(scale)`` then ``String()``: ``"100u"`` → ``"1m"`` at milli scale.

    The API server's ``SetDefaults_ResourceList`` does this to every resource list value.
    A value already at or above ``scale`` keeps its text.

    Raises:
        ValueError: not a quantity.
    """
    parsed = _parse(value)
    if parsed.exponent >= scale:
        return _canonical(parsed)
    drop = scale - parsed.exponent
    magnitude = abs(parsed.mantissa)
    if len(str(magnitude)) <= drop:
        rounded = 1 if magnitude else 0
    else:
        rounded = -(-magnitude // 10**drop)
    mantissa = -rounded if parsed.mantissa < 0 else rounded
    return _canonical(_Parsed(mantissa, scale, parsed.format, None))
