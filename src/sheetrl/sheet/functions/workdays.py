"""Working-day arithmetic: NETWORKDAYS, NETWORKDAYS.INTL, WORKDAY and WORKDAY.INTL.

A weekend is a set of weekdays. The .INTL functions take it as a code (1: Saturday and Sunday, the default;
2: Sunday-Monday ... 7: Friday-Saturday; 11: Sunday only ... 17: Saturday only) or as seven characters ``0``/``1``
from Monday to Sunday (``"0000011"`` is Saturday and Sunday). An unknown code is #NUM!, a malformed string
#VALUE!. Holidays are dates (a range, an array or one value); duplicates and holidays that fall on a weekend do not
count twice. Whole weeks are counted arithmetically, so spans of centuries cost no more than a few days.
NETWORKDAYS and WORKDAY (from the Analysis ToolPak) reject logical dates and counts with #VALUE!; the .INTL
functions (native since Excel 2010) read them as 1/0.
"""

from __future__ import annotations

import bisect
import math
from typing import Any

from sheetrl.sheet.errors import NUM, VALUE, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.functions.date_arguments import (
    atp_day_argument,
    atp_integer_argument,
    day_argument,
    integer_argument,
)
from sheetrl.sheet.functions.date_periods import weekday_from_sunday
from sheetrl.sheet.functions.date_time import MAX_SERIAL
from sheetrl.sheet.values import Matrix, to_number

Weekend = tuple[bool, ...]  # seven flags, Sunday first (index = weekday_from_sunday)

_SATURDAY_SUNDAY: Weekend = (True, False, False, False, False, False, True)


def _weekend_of_pair(first_sunday_based: int) -> Weekend:
    days = {first_sunday_based % 7, (first_sunday_based + 1) % 7}
    return tuple(day in days for day in range(7))


# Code -> weekend: 1..7 are pairs starting Saturday, Sunday, Monday ...; 11..17 single days from Sunday.
_WEEKEND_CODES: dict[int, Weekend] = {
    **{code: _weekend_of_pair(code + 5) for code in range(1, 8)},
    **{code: tuple(day == code - 11 for day in range(7)) for code in range(11, 18)},
}


def parse_weekend(weekend: Any) -> Weekend | ExcelError:
    """The weekend of a .INTL function's argument (None means Saturday and Sunday)."""
    if weekend is None:
        return _SATURDAY_SUNDAY
    if isinstance(weekend, ExcelError):
        return weekend
    if type(weekend) is str:
        if len(weekend) != 7 or set(weekend) - {"0", "1"}:
            return VALUE
        monday_first = [ch == "1" for ch in weekend]
        return (monday_first[6], *monday_first[:6])
    code = integer_argument(weekend)
    if isinstance(code, ExcelError):
        return code
    return _WEEKEND_CODES.get(code, NUM)


def parse_holidays(holidays: Any, weekend: Weekend) -> list[int] | ExcelError:
    """Sorted distinct holiday serials that fall on working days (date text is read as a date, other text and
    logicals are #VALUE!, errors are returned)."""
    if holidays is None:
        return []
    values = holidays.values if type(holidays) is Matrix else [holidays]
    days: set[int] = set()
    for value in values:
        if value is None:
            continue
        if isinstance(value, ExcelError):
            return value
        if type(value) is bool:
            return VALUE
        number = to_number(value)
        if isinstance(number, ExcelError):
            return number
        if not 0 <= number < MAX_SERIAL + 1:
            return NUM
        day = math.floor(number)
        if not weekend[weekday_from_sunday(day)]:
            days.add(day)
    return sorted(days)


def _working_days(first: int, last: int, weekend: Weekend, holidays: list[int]) -> int:
    """Working days in first..last inclusive (first <= last)."""
    per_week = 7 - sum(weekend)
    span = last - first + 1
    weeks, rest = divmod(span, 7)
    count = weeks * per_week
    start_weekday = weekday_from_sunday(first + weeks * 7)
    count += sum(1 for offset in range(rest) if not weekend[(start_weekday + offset) % 7])
    count -= bisect.bisect_right(holidays, last) - bisect.bisect_left(holidays, first)
    return count


def _network_days(
    start: Any, end: Any, weekend: Weekend | ExcelError, holidays: Any, toolpak: bool
) -> float | ExcelError:
    to_day = atp_day_argument if toolpak else day_argument
    first = to_day(start)
    if isinstance(first, ExcelError):
        return first
    last = to_day(end)
    if isinstance(last, ExcelError):
        return last
    if isinstance(weekend, ExcelError):
        return weekend
    free_days = parse_holidays(holidays, weekend)
    if isinstance(free_days, ExcelError):
        return free_days
    if first <= last:
        return float(_working_days(first, last, weekend, free_days))
    return -float(_working_days(last, first, weekend, free_days))


@register("NETWORKDAYS", 2, 3, refs=(2,))
def networkdays(start: Any, end: Any, holidays: Any = None) -> float | ExcelError:
    """Working days (Monday to Friday, minus holidays) from start to end, both included; negative if end < start."""
    return _network_days(start, end, _SATURDAY_SUNDAY, holidays, toolpak=True)


@register("NETWORKDAYS.INTL", 2, 4, refs=(3,))
def networkdays_intl(start: Any, end: Any, weekend: Any = None, holidays: Any = None) -> float | ExcelError:
    """NETWORKDAYS with a chosen weekend (a code or a seven-character mask, Monday first)."""
    return _network_days(start, end, parse_weekend(weekend), holidays, toolpak=False)


def _add_working_days(start: int, count: int, weekend: Weekend, holidays: list[int]) -> int:
    """The date ``count`` working days after (before, if negative) ``start``, not counting start itself."""
    per_week = 7 - sum(weekend)
    step = 1 if count > 0 else -1
    remaining = abs(count)
    day = start
    holiday_set = set(holidays)
    while remaining > 0:
        if remaining > per_week:
            weeks = (remaining - 1) // per_week
            target = day + step * 7 * weeks
            low, high = (day + 1, target) if step > 0 else (target, day - 1)
            skipped = bisect.bisect_right(holidays, high) - bisect.bisect_left(holidays, low)
            remaining -= weeks * per_week - skipped
            day = target
            continue
        day += step
        if not weekend[weekday_from_sunday(day)] and day not in holiday_set:
            remaining -= 1
    return day


def _workday(
    start: Any, days: Any, weekend: Weekend | ExcelError, holidays: Any, toolpak: bool
) -> float | ExcelError:
    first = (atp_day_argument if toolpak else day_argument)(start)
    if isinstance(first, ExcelError):
        return first
    count = (atp_integer_argument if toolpak else integer_argument)(days)
    if isinstance(count, ExcelError):
        return count
    if isinstance(weekend, ExcelError):
        return weekend
    if all(weekend):
        return VALUE
    free_days = parse_holidays(holidays, weekend)
    if isinstance(free_days, ExcelError):
        return free_days
    if abs(count) > MAX_SERIAL:
        return NUM
    result = _add_working_days(first, count, weekend, free_days)
    return float(result) if 0 <= result <= MAX_SERIAL else NUM


@register("WORKDAY", 2, 3, refs=(2,))
def workday(start: Any, days: Any, holidays: Any = None) -> float | ExcelError:
    """The date a number of working days (Monday to Friday, minus holidays) before or after start."""
    return _workday(start, days, _SATURDAY_SUNDAY, holidays, toolpak=True)


@register("WORKDAY.INTL", 2, 4, refs=(3,))
def workday_intl(start: Any, days: Any, weekend: Any = None, holidays: Any = None) -> float | ExcelError:
    """WORKDAY with a chosen weekend; a weekend of all seven days is #VALUE!."""
    return _workday(start, days, parse_weekend(weekend), holidays, toolpak=False)
