"""Date functions that measure periods: week numbers, fractions of a year and 360-day counts.

WEEKNUM, ISOWEEKNUM, YEARFRAC and DAYS360 (the day-count rules themselves live in :mod:`.day_count`). Weekdays are
counted the way Excel counts them, from the serial number (serial 1, 1900-01-01, is a Sunday).
"""

from __future__ import annotations

from typing import Any

from sheetrl.sheet.errors import NUM, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.functions.date_arguments import (
    atp_day_argument,
    atp_integer_argument,
    day_argument,
)
from sheetrl.sheet.functions.date_time import serial_to_ymd, ymd_to_serial
from sheetrl.sheet.functions.day_count import BASES, days360_excel, year_fraction
from sheetrl.sheet.values import to_bool

# WEEKNUM return_type -> the day weeks start on (Sunday = 0 ... Saturday = 6); 21 is ISO 8601.
_WEEK_STARTS = {1: 0, 2: 1, 11: 1, 12: 2, 13: 3, 14: 4, 15: 5, 16: 6, 17: 0}
_ISO_RETURN_TYPE = 21


def weekday_from_sunday(serial: int) -> int:
    """Day of the week of an integral serial: 0 for Sunday ... 6 for Saturday (serial 1 is a Sunday)."""
    return (serial + 6) % 7


def iso_week_number(serial: int) -> int:
    """ISO 8601 week of the year: weeks start on Monday and week 1 holds the year's first Thursday."""
    monday_based = (weekday_from_sunday(serial) + 6) % 7
    thursday = serial - monday_based + 3
    # Early January 1900 belongs to the last week of 1899 (serial 1 is a Sunday in Excel's calendar).
    year = serial_to_ymd(thursday)[0] if thursday > 0 else 1899
    return (thursday - ymd_to_serial(year, 1, 1)) // 7 + 1


@register("WEEKNUM", 1, 2)
def weeknum(serial: Any, return_type: Any = None) -> float | ExcelError:
    """Week of the year of a date; week 1 holds January 1 and weeks start on Sunday (type 1, the default),
    Monday (2 or 11), Tuesday (12) ... Saturday (16), Sunday (17); type 21 is the ISO week. Other types: #NUM!."""
    day = atp_day_argument(serial)
    if isinstance(day, ExcelError):
        return day
    kind = 1 if return_type is None else atp_integer_argument(return_type)
    if isinstance(kind, ExcelError):
        return kind
    if kind == _ISO_RETURN_TYPE:
        return float(iso_week_number(day))
    first_weekday = _WEEK_STARTS.get(kind)
    if first_weekday is None:
        return NUM
    year = serial_to_ymd(day)[0]
    january_first = ymd_to_serial(year, 1, 1)
    offset = (weekday_from_sunday(january_first) - first_weekday) % 7
    return float((day - january_first + offset) // 7 + 1)


@register("ISOWEEKNUM", 1)
def isoweeknum(serial: Any) -> float | ExcelError:
    """ISO 8601 week number (1-53) of a date."""
    day = day_argument(serial)
    if isinstance(day, ExcelError):
        return day
    return float(iso_week_number(day))


@register("YEARFRAC", 2, 3, propagate_errors=False)
def yearfrac(start: Any, end: Any, basis: Any = None) -> float | ExcelError:
    """Fraction of a year between two dates under a day-count basis (0 US 30/360 by default, 1 actual/actual,
    2 actual/360, 3 actual/365, 4 European 30/360); the order of the dates does not matter."""
    # Excel checks the last argument first: YEARFRAC(#VALUE!, 1, #N/A) is #N/A and YEARFRAC(#DIV/0!, 200, 5)
    # is #NUM! (as it caches them).
    code = 0 if basis is None else atp_integer_argument(basis)
    if isinstance(code, ExcelError):
        return code
    if code not in BASES:
        return NUM
    last = atp_day_argument(end)
    if isinstance(last, ExcelError):
        return last
    first = atp_day_argument(start)
    if isinstance(first, ExcelError):
        return first
    return year_fraction(first, last, code)


@register("DAYS360", 2, 3)
def days360(start: Any, end: Any, method: Any = None) -> float | ExcelError:
    """Days between two dates in a 360-day year (US method by default; method TRUE is the European method)."""
    first = day_argument(start)
    if isinstance(first, ExcelError):
        return first
    last = day_argument(end)
    if isinstance(last, ExcelError):
        return last
    european = False if method is None else to_bool(method)
    if isinstance(european, ExcelError):
        return european
    return float(days360_excel(first, last, bool(european)))
