"""Excel date serial numbers in the 1900 and the 1904 date systems.

A workbook stores dates as numbers of days (the time of day is the fraction). Which day serial 0 is depends on the
workbook's date system (OOXML ``workbookPr date1904``):

- **1900 system** (Excel's default): serial 1 is 1900-01-01 and serial 0 is Excel's "1900-01-00". Serial 60 is
  1900-02-29, a day that never existed, kept for Lotus 1-2-3 compatibility, so serials from 61 on count from
  1899-12-30. The last valid serial is 2958465 (9999-12-31).
- **1904 system** (old Macintosh Excel, still chosen by some files): serial 0 is 1904-01-01, there is no fictitious
  leap day, and the last valid serial is 2957003 (9999-12-31).

Every date function, the TEXT function and the cell display ask this module which system applies. The workbook
activates its own system while it evaluates formulas (:func:`activate`), so functions read it without taking an
extra argument; code outside an evaluation passes ``date1904`` explicitly or gets the 1900 system.
"""

from __future__ import annotations

import math
import threading
from datetime import date, datetime, timedelta

MAX_SERIAL_1900 = 2958465  # 9999-12-31 in the 1900 system
MAX_SERIAL_1904 = 2957003  # 9999-12-31 in the 1904 system
SECONDS_PER_DAY = 86400

_ORDINAL_1899_12_30 = date(1899, 12, 30).toordinal()
_ORDINAL_1899_12_31 = _ORDINAL_1899_12_30 + 1
_ORDINAL_1900_03_01 = date(1900, 3, 1).toordinal()
_ORDINAL_1904_01_01 = date(1904, 1, 1).toordinal()


class _Active(threading.local):
    """The date system of the workbook this thread evaluates (threads recalculating different workbooks each have
    their own)."""

    def __init__(self) -> None:
        self.date1904 = False


_ACTIVE = _Active()


def activate(date1904: bool) -> bool:
    """Make ``date1904`` the date system that date functions use in this thread; returns the previous one (to
    restore it)."""
    previous = _ACTIVE.date1904
    _ACTIVE.date1904 = date1904
    return previous


def active_1904() -> bool:
    """True while a workbook in the 1904 date system is being evaluated."""
    return _ACTIVE.date1904


def _system(date1904: bool | None) -> bool:
    return _ACTIVE.date1904 if date1904 is None else date1904


def max_serial(date1904: bool | None = None) -> int:
    """The serial of 9999-12-31, the last date Excel can hold, in the given (default: active) date system."""
    return MAX_SERIAL_1904 if _system(date1904) else MAX_SERIAL_1900


def serial_to_ymd(day: int, date1904: bool | None = None) -> tuple[int, int, int]:
    """(year, month, day) of an integral serial: 0 -> (1900, 1, 0) and 60 -> (1900, 2, 29) in the 1900 system,
    0 -> (1904, 1, 1) in the 1904 system. Raises ValueError outside 0..9999-12-31."""
    if day < 0:
        raise ValueError(f"{day} is before the first date of the date system")
    if _system(date1904):
        ordinal = _ORDINAL_1904_01_01 + day
    elif day == 0:
        return 1900, 1, 0
    elif day == 60:
        return 1900, 2, 29
    else:
        ordinal = _ORDINAL_1899_12_31 + day if day < 60 else _ORDINAL_1899_12_30 + day
    d = date.fromordinal(ordinal)
    return d.year, d.month, d.day


def calendar_ymd(day: int, date1904: bool | None = None) -> tuple[int, int, int]:
    """Like :func:`serial_to_ymd`, but a serial before the date system's first day continues the Gregorian calendar
    backwards (the inverse of :func:`ymd_to_serial` there), for date arithmetic that steps past the first day, such
    as a coupon schedule counted back from a bond's maturity. Raises ValueError before year 1."""
    if day >= 0:
        return serial_to_ymd(day, date1904)
    d = date.fromordinal((_ORDINAL_1904_01_01 if _system(date1904) else _ORDINAL_1899_12_31) + day)
    return d.year, d.month, d.day


def ymd_to_serial(year: int, month: int, day: int, date1904: bool | None = None) -> int:
    """Serial of a year/month/day the way DATE computes it: months and days roll over in both directions.

    The result may be negative or past 9999-12-31; callers check the range. Raises OverflowError for years far
    outside Python's calendar.
    """
    extra_years, month_index = divmod(month - 1, 12)
    year += extra_years
    if not 1 <= year <= 9999:
        raise OverflowError(f"year {year} out of range")
    first = date(year, month_index + 1, 1).toordinal()
    if _system(date1904):
        base = _ORDINAL_1904_01_01
    else:
        base = _ORDINAL_1899_12_30 if first >= _ORDINAL_1900_03_01 else _ORDINAL_1899_12_31
    return first - base + day - 1


def weekday_from_sunday(day: int, date1904: bool | None = None) -> int:
    """Day of the week of an integral serial, 0 for Sunday to 6 for Saturday.

    In the 1900 system Excel counts serial 1 as a Sunday (true only from 1900-03-01 on, because of the fictitious
    leap day); in the 1904 system serial 0 is Friday 1904-01-01.
    """
    return (day + (5 if _system(date1904) else 6)) % 7


def to_serial(moment: date | datetime, date1904: bool | None = None) -> float:
    """Serial number of a Python date or datetime.

    Raises ValueError for a date before the first one of the date system (1899-12-31, Excel's 1900-01-00, or
    1904-01-01).
    """
    ordinal = moment.toordinal()
    if _system(date1904):
        if ordinal < _ORDINAL_1904_01_01:
            raise ValueError(f"dates before 1904-01-01 cannot be stored in the 1904 date system, not {moment!r}")
        days = ordinal - _ORDINAL_1904_01_01
    else:
        if ordinal < _ORDINAL_1899_12_31:
            raise ValueError(f"dates before 1900-01-01 cannot be stored as Excel dates, not {moment!r}")
        days = ordinal - (_ORDINAL_1899_12_30 if ordinal >= _ORDINAL_1900_03_01 else _ORDINAL_1899_12_31)
    if isinstance(moment, datetime):
        seconds = moment.hour * 3600 + moment.minute * 60 + moment.second + moment.microsecond / 1e6
        return days + seconds / SECONDS_PER_DAY
    return float(days)


def from_serial(serial: float, date1904: bool | None = None) -> datetime:
    """Datetime of a serial number, to the microsecond.

    In the 1900 system serial 0 gives 1899-12-31 (Excel's 1900-01-00) and serial 60, the fictitious 1900-02-29,
    gives 1900-02-28. Raises ValueError for negative serials or serials past 9999-12-31.
    """
    last = max_serial(date1904)
    if not 0 <= serial < last + 1:
        raise ValueError(f"{serial!r} is not a date serial number (0 to {last + 1})")
    day = math.floor(serial)
    micros = round((serial - day) * SECONDS_PER_DAY * 1_000_000)
    if _system(date1904):
        base = date.fromordinal(_ORDINAL_1904_01_01 + day)
    elif day <= 60:
        base = date.fromordinal(_ORDINAL_1899_12_31 + day - (1 if day == 60 else 0))
    else:
        base = date.fromordinal(_ORDINAL_1899_12_30 + day)
    return datetime(base.year, base.month, base.day) + timedelta(microseconds=micros)
