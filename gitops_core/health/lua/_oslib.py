"""The safe ``os`` library of Argo CD's Lua environment (``util/lua/oslib_safe.go``).

``os.time`` and ``os.date`` are computed in Python with Go's rules: ``os.time{...}`` normalises
out-of-range fields like ``time.Date`` in the local zone; ``os.date`` formats with gopher-lua's
small strftime (``%x`` is the time ``HH/MM/SS``, ``%a`` prints the literal ``mon``, ``%c`` is
``02 Jan 06 15:04 MST``, unknown flags pass through unchanged).
"""

from __future__ import annotations

import datetime
import time
from typing import Any

__all__ = ["go_date_unix", "os_date", "os_time", "strftime"]

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _days_from_civil(year: int, month: int, day: int) -> int:
    # Howard Hinnant's algorithm: days since 1970-01-01 in the proleptic Gregorian calendar
    year -= month <= 2
    era = (year if year >= 0 else year - 399) // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _local_offset(unix: int) -> int:
    try:
        return time.localtime(unix).tm_gmtoff
    except (OverflowError, OSError, ValueError):
        return 0


def go_date_unix(year: int, month: int, day: int, hour: int, minute: int, sec: int) -> int:
    """``time.Date(year, month, day, hour, min, sec, 0, time.Local).Unix()`` with Go's normalising."""
    month0 = month - 1
    year += month0 // 12
    month0 %= 12
    days = _days_from_civil(year, month0 + 1, 1) + day - 1
    wall = days * 86400 + hour * 3600 + minute * 60 + sec
    offset = _local_offset(wall - _local_offset(wall))
    return wall - offset


def os_time(*fields: Any) -> int:
    """``os.time()`` (now) or ``os.time{...}`` given year, month, day, hour, min, sec."""
    if not fields:
        return int(time.time())
    year, month, day, hour, minute, sec = (int(v) for v in fields)
    return go_date_unix(year, month, day, hour, minute, sec)


def _zone(moment: datetime.datetime) -> tuple[str, str]:
    offset = moment.utcoffset() or datetime.timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    numeric = f"{sign}{minutes // 60:02d}{minutes % 60:02d}"
    name = moment.tzname() or ""
    if not name or name[0] in "+-":
        # Go prints the numeric offset when the zone has no abbreviation
        name = numeric[:3] if minutes % 60 == 0 else numeric
    return numeric, name


def _flag(moment: datetime.datetime, flag: str) -> str | None:
    if flag == "a":
        return "mon"  # gopher-lua maps %a to the Go layout "mon", which is not a layout token
    if flag == "A":
        return _WEEKDAYS[moment.weekday()]
    if flag == "b":
        return _MONTHS[moment.month - 1][:3]
    if flag == "B":
        return _MONTHS[moment.month - 1]
    if flag == "c":
        _, zone = _zone(moment)
        return (
            f"{moment.day:02d} {_MONTHS[moment.month - 1][:3]} {moment.year % 100:02d} "
            f"{moment.hour:02d}:{moment.minute:02d} {zone}"
        )
    if flag == "d":
        return f"{moment.day:02d}"
    if flag == "F":
        return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
    if flag == "H":
        return f"{moment.hour:02d}"
    if flag == "I":
        return f"{(moment.hour % 12) or 12:02d}"
    if flag == "m":
        return f"{moment.month:02d}"
    if flag == "M":
        return f"{moment.minute:02d}"
    if flag == "p":
        return "PM" if moment.hour >= 12 else "AM"
    if flag == "P":
        return "pm" if moment.hour >= 12 else "am"
    if flag == "S":
        return f"{moment.second:02d}"
    if flag == "x":
        return f"{moment.hour:02d}/{moment.minute:02d}/{moment.second:02d}"
    if flag == "X":
        return f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    if flag == "y":
        return f"{moment.year % 100:02d}"
    if flag == "Y":
        return f"{moment.year:04d}"
    if flag == "z":
        return _zone(moment)[0]
    if flag == "Z":
        return _zone(moment)[1]
    if flag == "w":
        return str((moment.weekday() + 1) % 7)
    return None


def strftime(moment: datetime.datetime, fmt: str) -> str:
    """gopher-lua's ``strftime``: the flag subset above; ``%%`` is ``%``; others pass through."""
    out: list[str] = []
    i, n = 0, len(fmt)
    while i < n:
        c = fmt[i]
        if c == "%" and i + 1 < n:
            nxt = fmt[i + 1]
            if nxt == "%":
                out.append("%")
            else:
                text = _flag(moment, nxt)
                out.append(text if text is not None else "%" + nxt)
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _moment(unix: float | None, utc: bool) -> datetime.datetime:
    stamp = time.time() if unix is None else int(unix)
    if utc:
        return datetime.datetime.fromtimestamp(stamp, datetime.timezone.utc)
    return datetime.datetime.fromtimestamp(stamp).astimezone()


def os_date(fmt: str | None, unix: float | None) -> tuple[Any, ...]:
    """``os.date(fmt, t)``: ``(0, text)``, or ``(1, year, month, day, hour, min, sec, wday)``."""
    fmt = "%c" if fmt is None else fmt
    utc = fmt.startswith("!")
    if utc:
        fmt = fmt.lstrip("!")
    moment = _moment(unix, utc)
    if fmt.startswith("*t"):
        wday = (moment.weekday() + 1) % 7 + 1
        return (
            1,
            moment.year,
            moment.month,
            moment.day,
            moment.hour,
            moment.minute,
            moment.second,
            wday,
        )
    return (0, strftime(moment, fmt))
