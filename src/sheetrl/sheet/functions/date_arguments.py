"""Coercion of date arguments, shared by the date, workday and securities functions.

Dates are numbers, date text (``"2024-01-31"``) or logicals, like every numeric argument; a serial below 0 or past
9999-12-31 is #NUM!, text that is not a date #VALUE!.
"""

from __future__ import annotations

import math
from typing import Any

from sheetrl.sheet.errors import NUM, ExcelError
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
