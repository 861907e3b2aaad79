"""Date and time functions, in the date system of the workbook being evaluated.

A date is a serial number. In the 1900 date system (the default) 1 is 1900-01-01, 60 is 1900-02-29 (a day that never
existed, kept by Excel for Lotus 1-2-3 compatibility), 61 is 1900-03-01 and serial 0 is Excel's "1900-01-00"; in
the 1904 date system 0 is 1904-01-01. The time of day is the fractional part (0.5 is noon). The calendar arithmetic
for both systems is :mod:`sheetrl.sheet.serials`; the names below are re-exported from there.

Importing this module installs :func:`parse_date_text` as ``values.date_text_parser``, so that date text coerces to
a serial in arithmetic, as in Excel (``="2024-01-31"+1``).
"""

from __future__ import annotations

import calendar
import math
import re
from datetime import date, datetime
from typing import Any

from sheetrl.sheet import values as _values
from sheetrl.sheet.errors import NUM, VALUE, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.serials import (  # noqa: F401  (re-exported: the calendar every date function uses)
    MAX_SERIAL_1900,
    SECONDS_PER_DAY,
    active_1904,
    from_serial,
    max_serial,
    serial_to_ymd,
    to_serial,
    weekday_from_sunday,
    ymd_to_serial,
)
from sheetrl.sheet.values import to_number

MAX_SERIAL = MAX_SERIAL_1900  # 9999-12-31 in the 1900 date system; max_serial() gives the active system's


def days_in_month(year: int, month: int) -> int:
    """Length of a month in Excel's calendar (February 1900 has 29 days in the 1900 date system)."""
    if year == 1900 and month == 2 and not active_1904():
        return 29
    return calendar.monthrange(year, month)[1]


def time_of_day(serial: float) -> tuple[int, int, int]:
    """(hour, minute, second) of a serial's time, rounded to the nearest second like HOUR/MINUTE/SECOND."""
    seconds = math.floor((serial - math.floor(serial)) * SECONDS_PER_DAY + 0.5) % SECONDS_PER_DAY
    return seconds // 3600, seconds // 60 % 60, seconds % 60


# ================================================================================================ date text
_MONTHS = {
    name: index
    for index in range(1, 13)
    for name in (calendar.month_name[index].lower(), calendar.month_abbr[index].lower())
}
_MONTHS["sept"] = 9
_MONTH_WORD = r"(?P<mon>[A-Za-z]{3,9})\.?"
_TIME = (
    r"(?P<a>\d{1,4})(?::(?P<b>\d{1,4})(?::(?P<c>\d{1,4}))?(?P<fraction>\.\d*)?)?"
    r"(?:\s*(?P<ampm>[AaPp][Mm]?))?"
)
_YEAR = r"(?P<y>\d{4}|\d{2})"
_DATE_PATTERNS = [
    re.compile(p)
    for p in (
        r"(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})",  # 2024-01-31, 2024/1/31
        r"(?P<m>\d{1,2})[-/](?P<d>\d{1,2})[-/]" + _YEAR,  # 1/31/2024, 1-31-24 (US order)
        r"(?P<d>\d{1,2})[-\s/]" + _MONTH_WORD + r"[-\s/,]\s*" + _YEAR,  # 31-Jan-2024, 31 January 2024
        _MONTH_WORD + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:,\s*|\s+)" + _YEAR,  # Jan 31, 2024
        _MONTH_WORD + r"[-\s/](?P<y>\d{4})",  # Jan-2024 (the first of the month)
        r"(?P<m>\d{1,2})[-/](?P<d>\d{1,2})",  # 1/31 (this year)
        r"(?P<d>\d{1,2})[-\s/]" + _MONTH_WORD,  # 31-Jan, 31 January (this year)
        _MONTH_WORD + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?",  # Jan 31 (this year)
        _MONTH_WORD + r"[-/](?P<dy>\d{2})",  # Jan-24: a day this year if there is one, else a year
    )
]
_TIME_PATTERN = re.compile(_TIME)
_DATE_TIME_SPLIT = re.compile(r"(.*?[\dA-Za-z])(?:\s+|T)(\d{1,4}(?::.*|\s*[AaPp][Mm]?))")


def _two_digit_year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        return year + (2000 if year < 30 else 1900)
    return year


def _parse_date_part(text: str) -> int | None:
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        parts = match.groupdict()
        if parts.get("mon") is not None:
            month = _MONTHS.get(parts["mon"].lower())
            if month is None:
                return None
        else:
            month = int(parts["m"])
        if not 1 <= month <= 12:
            return None
        this_year = date.today().year
        if parts.get("dy") is not None:  # "Jan-24": the day if January has one, else the year 2024
            number = int(parts["dy"])
            if 1 <= number <= days_in_month(this_year, month):
                year, day = this_year, number
            else:
                year, day = _two_digit_year(parts["dy"]), 1
        else:
            year = _two_digit_year(parts["y"]) if parts.get("y") is not None else this_year
            day = int(parts["d"]) if parts.get("d") is not None else 1
        if not (1900 <= year <= 9999 and 1 <= day <= days_in_month(year, month)):
            return None
        serial = ymd_to_serial(year, month, day)
        return serial if serial >= 0 else None  # 1900-1903 do not exist in the 1904 date system
    return None


def _parse_time_part(text: str) -> float | None:
    """Fraction of a day of time text: "h:mm", "h:mm:ss(.f)", "mm:ss.f" (two fields with decimals are minutes and
    seconds), "h AM"; None if it is not a time.

    As in Excel the last field may exceed 59 (up to 9999: "0:0:9999", "23:99") as long as the fields before it are
    within a day's ranges (hours 0-23, minutes 0-59): "24:99" and "23:60:99" are text.
    """
    match = _TIME_PATTERN.fullmatch(text)
    if match is None:
        return None
    first, second_field, third, fraction, ampm = match["a"], match["b"], match["c"], match["fraction"], match["ampm"]
    if second_field is None:
        if ampm is None or fraction:
            return None  # a bare number is not a time
        hour, minute, second = int(first), 0, 0.0
    elif third is not None:
        hour, minute = int(first), int(second_field)
        second = float(third + (fraction or ""))
        if minute > 59 or (second >= 60 and hour > 23):
            return None
    elif fraction and fraction != ".":
        if ampm is not None:
            return None
        hour, minute, second = 0, int(first), float(second_field + fraction)
        if second >= 60 and minute > 59:
            return None
    else:
        hour, minute, second = int(first), int(second_field), 0.0
        if minute > 59 and hour > 23:
            return None
    if ampm is not None:
        if hour > 12 or minute > 59 or second >= 60:
            return None
        hour = hour % 12 + (12 if ampm[0] in "Pp" else 0)
    return (hour * 3600 + minute * 60 + second) / SECONDS_PER_DAY


def parse_date_text(text: str) -> float | None:
    """Serial number of date and/or time text as Excel (en-US) reads it in arithmetic, or None if it is not a date.

    Accepts dates with a year: ISO ("2024-01-31", "2024/1/31"), US ("1/31/2024", "1-31-24"), "31-Jan-2024",
    "31 January 2024", "Jan 31, 2024", "Jan-2024" and "January 2024" (the 1st); dates without a year, in the
    current year: "1/31", "31-Jan", "31 January", "Jan 31", and "Jan-24" (the 24th, but "Jan-32" is January 1932
    because January has no 32nd); times: "13:45", "13:45:30.25", "1:45 PM", "1 PM", "25:00" (more than a day),
    "1:30.5" (minutes and seconds, because of the decimal); and a date followed by a time ("2024-01-31 13:45").
    Two-digit years 00-29 are 2000-2029, 30-99 are 1930-1999.
    """
    text = text.strip()
    if not text or len(text) > 40 or not any(c.isdigit() for c in text):
        return None
    try:
        serial = _parse_date_part(text)
        if serial is not None:
            return float(serial)
        fraction = _parse_time_part(text)
        if fraction is not None:
            return fraction
        split = _DATE_TIME_SPLIT.fullmatch(text)
        if split is not None:
            day = _parse_date_part(split.group(1))
            fraction = _parse_time_part(split.group(2))
            if day is not None and fraction is not None:
                return day + fraction
    except (ValueError, OverflowError):
        return None
    return None


_values.date_text_parser = parse_date_text


# ================================================================================================ argument helpers
def _serial_arg(value: Any) -> float | ExcelError:
    """A date argument as a serial: numbers, date text, booleans; negative or too large -> #NUM!."""
    number = to_number(value)
    if type(number) is ExcelError:
        return number
    if number < 0 or number >= max_serial() + 1:
        return NUM
    return number


def _int_arg(value: Any) -> int | ExcelError:
    """An integer argument, truncated toward zero like Excel; huge values -> #NUM!."""
    number = to_number(value)
    if type(number) is ExcelError:
        return number
    if not -1e10 < number < 1e10:
        return NUM
    return int(number)


def _checked_serial(serial: int) -> float | ExcelError:
    return float(serial) if 0 <= serial <= max_serial() else NUM


def _excel_now() -> float:
    return to_serial(datetime.now())


# ================================================================================================ functions
@register("DATE", 3)
def date_(year: Any, month: Any, day: Any) -> float | ExcelError:
    """Serial of a date; months and days outside their range roll over, years 0-1899 mean 1900-3799."""
    y, m, d = _int_arg(year), _int_arg(month), _int_arg(day)
    for part in (y, m, d):
        if type(part) is ExcelError:
            return part
    if not 0 <= y <= 9999:  # type: ignore[operator]
        return NUM
    if y < 1900:  # type: ignore[operator]
        y += 1900  # type: ignore[operator]
    try:
        serial = ymd_to_serial(y, m, d)  # type: ignore[arg-type]
    except (OverflowError, ValueError):
        return NUM
    return _checked_serial(serial)


@register("YEAR", 1)
def year_(serial: Any) -> float | ExcelError:
    """Year of a date."""
    s = _serial_arg(serial)
    return s if type(s) is ExcelError else float(serial_to_ymd(math.floor(s))[0])  # type: ignore[arg-type]


@register("MONTH", 1)
def month_(serial: Any) -> float | ExcelError:
    """Month (1-12) of a date."""
    s = _serial_arg(serial)
    return s if type(s) is ExcelError else float(serial_to_ymd(math.floor(s))[1])  # type: ignore[arg-type]


@register("DAY", 1)
def day_(serial: Any) -> float | ExcelError:
    """Day of the month (1-31) of a date."""
    s = _serial_arg(serial)
    return s if type(s) is ExcelError else float(serial_to_ymd(math.floor(s))[2])  # type: ignore[arg-type]


# return_type -> (first day of the week counted from Sunday = 0, number given to that day)
_WEEK_STARTS = {1: (0, 1), 2: (1, 1), 3: (1, 0), 11: (1, 1), 12: (2, 1), 13: (3, 1), 14: (4, 1), 15: (5, 1),
                16: (6, 1), 17: (0, 1)}


@register("WEEKDAY", 1, 2)
def weekday(serial: Any, return_type: Any = None) -> float | ExcelError:
    """Day of the week of a date: 1 (Sunday) to 7 by default; return types 2, 3 and 11-17 start elsewhere."""
    s = _serial_arg(serial)
    if type(s) is ExcelError:
        return s
    kind = 1 if return_type is None else _int_arg(return_type)
    if type(kind) is ExcelError:
        return kind
    start = _WEEK_STARTS.get(kind)  # type: ignore[arg-type]
    if start is None:
        return NUM
    sunday_based = weekday_from_sunday(math.floor(s))  # type: ignore[arg-type]
    first_day, first_number = start
    return float((sunday_based - first_day) % 7 + first_number)


def _shift_months(start: Any, months: Any) -> tuple[int, int, int] | ExcelError:
    """(year, month, day) of start moved by a whole number of months, before clamping the day.

    Like Excel's other Analysis ToolPak functions, EDATE and EOMONTH reject logicals (#VALUE!).
    """
    if type(start) is bool or type(months) is bool:
        return VALUE
    s = _serial_arg(start)
    if type(s) is ExcelError:
        return s
    n = _int_arg(months)
    if type(n) is ExcelError:
        return n
    year, month, day = serial_to_ymd(math.floor(s))  # type: ignore[arg-type]
    total = year * 12 + month - 1 + n  # type: ignore[operator]
    new_year, month_index = divmod(total, 12)
    if not 1900 <= new_year <= 9999:
        return NUM
    return new_year, month_index + 1, day


@register("EDATE", 2)
def edate(start: Any, months: Any) -> float | ExcelError:
    """The same day of the month, a number of months before or after a date (clamped to the month's end)."""
    shifted = _shift_months(start, months)
    if type(shifted) is ExcelError:
        return shifted
    year, month, day = shifted  # type: ignore[misc]
    day = min(day, days_in_month(year, month))  # day 0 (serial 0, "1900-01-00") stays the day before the 1st
    return _checked_serial(ymd_to_serial(year, month, day))


@register("EOMONTH", 2)
def eomonth(start: Any, months: Any) -> float | ExcelError:
    """The last day of the month a number of months before or after a date."""
    shifted = _shift_months(start, months)
    if type(shifted) is ExcelError:
        return shifted
    year, month, _ = shifted  # type: ignore[misc]
    return _checked_serial(ymd_to_serial(year, month, days_in_month(year, month)))


@register("DATEDIF", 3)
def datedif(start: Any, end: Any, unit: Any) -> float | ExcelError:
    """Difference between two dates in whole years, months or days ("Y", "M", "D", "MD", "YM", "YD")."""
    s, e = _serial_arg(start), _serial_arg(end)
    if type(s) is ExcelError:
        return s
    if type(e) is ExcelError:
        return e
    first, last = math.floor(s), math.floor(e)  # type: ignore[arg-type]
    if first > last:
        return NUM
    if type(unit) is not str:
        return NUM if isinstance(unit, (float, int)) else VALUE
    code = unit.strip().upper()
    if code == "D":
        return float(last - first)
    sy, sm, sd = serial_to_ymd(first)
    ey, em, ed = serial_to_ymd(last)
    months = (ey - sy) * 12 + em - sm - (1 if ed < sd else 0)
    if code == "M":
        return float(months)
    if code == "Y":
        return float(months // 12)
    if code == "YM":
        return float(months % 12)
    if code == "MD":
        if ed >= sd:
            return float(ed - sd)
        # Days since the start's day-of-month in the previous month; like Excel this can come out negative
        # (2011-01-31 to 2011-03-01 gives -2), because the previous month's "31st" rolls into March.
        return float(last - ymd_to_serial(ey, em - 1, sd))
    if code == "YD":
        # Excel moves the end date into the year after the start (or the start's own year).
        end_year = sy if (em, ed) >= (sm, sd) else sy + 1
        return float(ymd_to_serial(end_year, em, ed) - first)
    return NUM


@register("DAYS", 2)
def days(end: Any, start: Any) -> float | ExcelError:
    """Number of days from start to end (end - start, whole days)."""
    e, s = _serial_arg(end), _serial_arg(start)
    if type(e) is ExcelError:
        return e
    if type(s) is ExcelError:
        return s
    return float(math.floor(e) - math.floor(s))  # type: ignore[arg-type]


@register("TODAY", 0, volatile=True)
def today() -> float:
    """Serial of the current date."""
    return float(math.floor(_excel_now()))


@register("NOW", 0, volatile=True)
def now() -> float:
    """Serial of the current date and time."""
    return _excel_now()


@register("TIME", 3)
def time_(hour: Any, minute: Any, second: Any) -> float | ExcelError:
    """Fraction of a day for a time; minutes and seconds roll over, the result wraps at 24 hours."""
    h, m, s = _int_arg(hour), _int_arg(minute), _int_arg(second)
    for part in (h, m, s):
        if type(part) is ExcelError:
            return part
        if not -32768 <= part <= 32767:  # type: ignore[operator]
            return NUM
    total = h * 3600 + m * 60 + s  # type: ignore[operator]
    if total < 0:
        return NUM
    return (total % SECONDS_PER_DAY) / SECONDS_PER_DAY


@register("HOUR", 1)
def hour_(serial: Any) -> float | ExcelError:
    """Hour (0-23) of a time."""
    s = _serial_arg(serial)
    return s if type(s) is ExcelError else float(time_of_day(s)[0])  # type: ignore[arg-type]


@register("MINUTE", 1)
def minute_(serial: Any) -> float | ExcelError:
    """Minute (0-59) of a time."""
    s = _serial_arg(serial)
    return s if type(s) is ExcelError else float(time_of_day(s)[1])  # type: ignore[arg-type]


@register("SECOND", 1)
def second_(serial: Any) -> float | ExcelError:
    """Second (0-59) of a time, rounded to the nearest second."""
    s = _serial_arg(serial)
    return s if type(s) is ExcelError else float(time_of_day(s)[2])  # type: ignore[arg-type]


@register("DATEVALUE", 1)
def datevalue(text: Any) -> float | ExcelError:
    """Serial of the date in date text (the time part is dropped)."""
    if type(text) is not str:
        return VALUE
    serial = parse_date_text(text)
    return VALUE if serial is None else float(math.floor(serial))


@register("TIMEVALUE", 1)
def timevalue(text: Any) -> float | ExcelError:
    """Fraction of a day of the time in time text (the date part is dropped)."""
    if type(text) is not str:
        return VALUE
    serial = parse_date_text(text)
    if serial is None:
        return VALUE
    return serial - math.floor(serial)
