"""Day-count conventions: how many days, and how long a year, between two dates under a basis.

Used by YEARFRAC and DAYS360 and by the securities functions (ACCRINT, PRICE, COUP* ...). Excel's ``basis`` codes:

====  ===================  ==============================================================================
0     US (NASD) 30/360     months of 30 days; the 31st and the last day of February count as the 30th
1     actual/actual        actual days over the actual length of the year(s) spanned
2     actual/360           actual days over a 360-day year
3     actual/365           actual days over a 365-day year
4     European 30/360      months of 30 days; only a 31st counts as the 30th
====  ===================  ==============================================================================

The February and 31st rules of basis 0 and the year length of basis 1 follow Excel's actual results (which differ
from its own documentation), as measured by David A. Wheeler ("YEARFRAC in Excel and OOXML", 2008) and by the
ExcelFinancialFunctions project's thousands of comparisons with Excel.

Dates here are integral serials of Excel's 1900 system (see :mod:`.serial_calendar`).
"""

from __future__ import annotations

import calendar

from sheetrl.sheet.functions.date_time import (
    days_in_month,
)
from sheetrl.sheet.serials import calendar_ymd

BASES = frozenset({0, 1, 2, 3, 4})


def is_leap_year(year: int) -> bool:
    """Gregorian leap year. The year lengths of basis 1 follow the real calendar: Excel's YEARFRAC counts 1900 as
    365 days although its serial numbers include a 29 February 1900."""
    return calendar.isleap(year)


def is_last_day_of_february(year: int, month: int, day: int) -> bool:
    return month == 2 and day == days_in_month(year, month)


def _days360(start: tuple[int, int, int], end: tuple[int, int, int], start_day: int, end_day: int) -> int:
    return (end[0] - start[0]) * 360 + (end[1] - start[1]) * 30 + (end_day - start_day)


def days360_excel(start: int, end: int, european: bool) -> int:
    """The DAYS360 worksheet function's count (start may be after end; the result is then negative).

    US method: a start on the 31st or on the last day of February becomes the 30th; an end on the 31st becomes the
    30th only when the (adjusted) start is the 30th, else it stays the 31st, which counts as the 1st of the next
    month. European method: any 31st becomes the 30th.
    """
    s, e = calendar_ymd(start), calendar_ymd(end)
    start_day, end_day = s[2], e[2]
    if european:
        return _days360(s, e, min(start_day, 30), min(end_day, 30))
    if start_day == 31 or is_last_day_of_february(*s):
        start_day = 30
    if end_day == 31 and start_day == 30:
        end_day = 30
    return _days360(s, e, start_day, end_day)


def days360_us_financial(start: int, end: int, adjust_both: bool = False) -> int:
    """Basis 0's count in YEARFRAC and the securities functions (start <= end).

    An end on the last day of February becomes the 30th when the start is also the last day of February (always,
    with ``adjust_both``, which COUPDAYSNC uses for the coupon period); an end on the 31st becomes the 30th when
    the start day is the 30th or 31st (always with ``adjust_both``); a start on the 31st or the last day of
    February becomes the 30th.
    """
    s, e = calendar_ymd(start), calendar_ymd(end)
    start_day, end_day = s[2], e[2]
    start_is_february_end = is_last_day_of_february(*s)
    if is_last_day_of_february(*e) and (start_is_february_end or adjust_both):
        end_day = 30
    if end_day == 31 and (start_day >= 30 or adjust_both):
        end_day = 30
    if start_day == 31 or start_is_february_end:
        start_day = 30
    return _days360(s, e, start_day, end_day)


def days360_european(start: int, end: int) -> int:
    """Basis 4's count: the 31st is the 30th at both ends."""
    s, e = calendar_ymd(start), calendar_ymd(end)
    return _days360(s, e, min(s[2], 30), min(e[2], 30))


def _within_a_year(start: tuple[int, int, int], end: tuple[int, int, int]) -> bool:
    """True when ``end`` is at most one year after ``start`` (same date next year included)."""
    return start[0] == end[0] or (end[0] == start[0] + 1 and (start[1], start[2]) >= (end[1], end[2]))


def _spans_february_29(start: tuple[int, int, int], end: tuple[int, int, int]) -> bool:
    """Whether a 29 February lies in the period, for dates in the same or consecutive years."""
    if start[0] == end[0]:
        return is_leap_year(start[0]) and start[1] <= 2 < end[1]
    if is_leap_year(start[0]):
        return start[1] <= 2
    if is_leap_year(end[0]):
        return end[1] > 2
    return False


def actual_year_length(start: int, end: int) -> float:
    """Basis 1's year length for the period start..end (start <= end).

    Within a year: 366 if the period lies in one leap year, ends on 29 February or spans a 29 February, else 365.
    Longer: the average length of the calendar years from start's to end's, both included.
    """
    s, e = calendar_ymd(start), calendar_ymd(end)
    if not _within_a_year(s, e):
        years = e[0] - s[0] + 1
        total = sum(366 if is_leap_year(year) else 365 for year in range(s[0], e[0] + 1))
        return total / years
    if (s[0] == e[0] and is_leap_year(s[0])) or (e[1] == 2 and e[2] == 29) or _spans_february_29(s, e):
        return 366.0
    return 365.0


def year_fraction(start: int, end: int, basis: int) -> float:
    """YEARFRAC: the fraction of a year between two integral serials (order does not matter)."""
    if start > end:
        start, end = end, start
    if start == end:
        return 0.0
    if basis == 0:
        return days360_us_financial(start, end) / 360.0
    if basis == 1:
        return (end - start) / actual_year_length(start, end)
    if basis == 2:
        return (end - start) / 360.0
    if basis == 3:
        return (end - start) / 365.0
    return days360_european(start, end) / 360.0


def days_in_basis(start: int, end: int, basis: int) -> int:
    """Days from start to end counted under a basis (30/360 for bases 0 and 4, actual days otherwise)."""
    if basis == 0:
        return days360_us_financial(start, end)
    if basis == 4:
        return days360_european(start, end)
    return end - start


def year_days(basis: int) -> float:
    """The fixed year length of a basis (bases 0, 2 and 4: 360; 3: 365; 1: 365, callers refine it)."""
    return 365.0 if basis in (1, 3) else 360.0
