"""Argument coercion shared by the numeric function categories (math, trigonometry, engineering).

Excel converts each scalar argument of a numeric function with the rules of :func:`~sheetrl.sheet.values.to_number`
(numbers stay, TRUE is 1, numeric text is parsed, an empty cell is 0) and the first argument that cannot be converted
is the result. These helpers apply those rules in argument order so every function reports the same error first.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from sheetrl.sheet.errors import NUM, VALUE, ExcelError
from sheetrl.sheet.values import Matrix, check_number, scalar_of, to_number

# The default of an optional argument the formula does not write at all. An empty cell given there arrives as None
# and is given: Excel reads it as 0 or "" (DDB(1,0,4,3,F1) with F1 empty has a factor of 0, not the default 2).
OMITTED: Any = object()

# Largest integer a double holds exactly; integer arguments beyond it are outside every integer function's domain.
MAX_EXACT_INTEGER = 2.0**53


def numbers(*args: Any) -> list[float] | ExcelError:
    """Every argument converted with :func:`to_number`, or the first error met (left to right)."""
    out = []
    for arg in args:
        number = to_number(arg)
        if type(number) is ExcelError:
            return number
        out.append(number)
    return out


def toolpak_numbers(*args: Any) -> list[float] | ExcelError:
    """Arguments of a function from Excel's Analysis ToolPak (MROUND, QUOTIENT, GCD, the engineering functions ...):
    converted like :func:`numbers`, except that a logical value is #VALUE! (MROUND(TRUE,2) is #VALUE!)."""
    out = []
    for arg in args:
        value = scalar_of(arg)
        if type(value) is bool:
            return VALUE
        number = to_number(value)
        if type(number) is ExcelError:
            return number
        out.append(number)
    return out


def unary(compute: Callable[[float], float | ExcelError]) -> Callable[[Any], Any]:
    """A one-number spreadsheet function from ``compute``; overflow, NaN and domain errors become #NUM!."""

    def apply(value: Any) -> Any:
        number = to_number(value)
        if type(number) is ExcelError:
            return number
        try:
            result = compute(number)
        except (OverflowError, ValueError, ZeroDivisionError):
            return NUM
        if type(result) is ExcelError:
            return result
        return check_number(result + 0.0)  # + 0.0 turns -0.0 into 0.0, as Excel has no negative zero

    apply.__doc__ = compute.__doc__
    return apply


def truncated(value: Any) -> int | ExcelError:
    """A number argument truncated toward zero to an integer (#NUM! beyond 2^53, where doubles skip integers)."""
    number = to_number(value)
    if type(number) is ExcelError:
        return number
    if not abs(number) < MAX_EXACT_INTEGER:
        return NUM
    return math.trunc(number)


def is_numeric(value: Any) -> bool:
    """True for a number (not a boolean)."""
    t = type(value)
    return t is float or t is int


def numeric_array(arg: Any) -> list[float] | ExcelError:
    """The values of a range/array argument that must all be numbers (SERIESSUM's coefficients, MDETERM)."""
    out = []
    for value in arg.values if type(arg) is Matrix else [arg]:
        t = type(value)
        if t is ExcelError:
            return value
        if t is float or t is int:
            out.append(float(value))
        elif type(arg) is Matrix:
            return VALUE
        else:
            number = to_number(value)
            if type(number) is ExcelError:
                return number
            out.append(number)
    return out
