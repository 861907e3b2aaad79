"""Coercion of date arguments, shared by the date, workday and securities functions.

Dates are numbers or date text (``"2024-01-31"``); a serial below 0 or past 9999-12-31 is #NUM!, text that is not a
date #VALUE!. Excel's native functions (DAYS360, ISOWEEKNUM) also take logicals as 1/0, but the functions that came
from the Analysis ToolPak (EDATE, WEEKNUM, YEARFRAC, WORKDAY, NETWORKDAYS, the securities functions ...) reject a
logical date, count, basis or frequency with #VALUE! (measured on workbooks Excel calculated); the ``atp_``
helpers implement that.
"""

from __future__ import annotations

import math
from typing import Any

from sheetrl.sheet.errors import NUM, VALUE, ExcelError
from sheetrl.sheet.functions.date_time import MAX_SERIAL
from sheetrl.sheet.values import to_number


def serial_argument(value: Any) -> float | ExcelError:
    """A date argument as a serial, time of day included."""
    number = to_number(value)
    if isinstance(number, ExcelError):
        return number
    if number < 0 or number >= MAX_SERIAL + 1:
        return NUM
    return number


def day_argument(value: Any) -> int | ExcelError:
    """A date argument as a whole day (the time of day dropped)."""
    serial = serial_argument(value)
    return serial if isinstance(serial, ExcelError) else math.floor(serial)


def integer_argument(value: Any) -> int | ExcelError:
    """An integer argument, truncated toward zero like Excel; magnitudes of 1e10 or more are #NUM!."""
    number = to_number(value)
    if isinstance(number, ExcelError):
        return number
    if not -1e10 < number < 1e10:
        return NUM
    return int(number)


def atp_day_argument(value: Any) -> int | ExcelError:
    """:func:`day_argument` for an Analysis ToolPak function: a logical is #VALUE!."""
    return VALUE if type(value) is bool else day_argument(value)


def atp_integer_argument(value: Any) -> int | ExcelError:
    """:func:`integer_argument` for an Analysis ToolPak function: a logical is #VALUE!."""
    return VALUE if type(value) is bool else integer_argument(value)
