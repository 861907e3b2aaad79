"""Rounding: ROUND, ROUNDUP, ROUNDDOWN, TRUNC, INT, EVEN, ODD, MROUND, QUOTIENT and the CEILING/FLOOR family.

Excel keeps 15 significant decimal digits, and its rounding works on that decimal form: ROUND(2.675, 2) is 2.68
although the double nearest 2.675 lies slightly below it, and FLOOR(0.3, 0.1) is 0.3 although 0.3 / 0.1 is
2.9999999999999996 in binary. Every function here rounds the 15-digit form of its input.
"""

from __future__ import annotations

import math
from decimal import (
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
    InvalidOperation,
    localcontext,
)
from typing import Any

from sheetrl.sheet.errors import DIV0, NUM, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.functions.arguments import numbers, toolpak_numbers
from sheetrl.sheet.values import check_number, to_number

SIGNIFICANT_DIGITS = 15
# Rounding positions beyond this many places either way change nothing a double can hold.
MAX_ROUNDING_PLACES = 400


# --------------------------------------------------------------------------------------------------- rounding
def _places(digits: Any) -> int | ExcelError:
    """A num_digits argument: a number truncated toward zero (and clamped to a harmless range)."""
    number = to_number(digits)
    if type(number) is ExcelError:
        return number
    return int(max(-MAX_ROUNDING_PLACES, min(MAX_ROUNDING_PLACES, math.trunc(number))))


def round_decimal(number: float, places: int, rounding: str) -> float | ExcelError:
    """Round ``number`` to ``places`` decimals (negative: tens, hundreds ...) on its 15-significant-digit form."""
    if number == 0 or not math.isfinite(number):
        return check_number(number)
    exact = Decimal(f"{number:.{SIGNIFICANT_DIGITS - 1}e}")
    try:
        with localcontext() as context:
            context.prec = 2 * MAX_ROUNDING_PLACES + 400
            rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=rounding)
    except InvalidOperation:
        return NUM
    return check_number(float(rounded) + 0.0)  # + 0.0 turns -0.0 into 0.0


def _rounder(rounding: str) -> Any:
    def apply(number: Any, digits: Any = 0.0) -> Any:
        value = to_number(number)
        if type(value) is ExcelError:
            return value
        places = _places(digits)
        if type(places) is ExcelError:
            return places
        return round_decimal(value, places, rounding)

    return apply


_round = _rounder(ROUND_HALF_UP)
_round_up = _rounder(ROUND_UP)
_round_down = _rounder(ROUND_DOWN)


@register("ROUND", 2)
def round_(number: Any, digits: Any) -> Any:
    """Round half away from zero to ``digits`` decimal places."""
    return _round(number, digits)


@register("ROUNDUP", 2)
def roundup(number: Any, digits: Any) -> Any:
    """Round away from zero to ``digits`` decimal places."""
    return _round_up(number, digits)


@register("ROUNDDOWN", 2)
def rounddown(number: Any, digits: Any) -> Any:
    """Round toward zero to ``digits`` decimal places."""
    return _round_down(number, digits)


@register("TRUNC", 1, 2)
def trunc(number: Any, digits: Any = 0.0) -> Any:
    """Truncate toward zero to ``digits`` decimal places (default 0)."""
    return _round_down(number, digits)


@register("INT", 1)
def int_(number: Any) -> Any:
    """Round down to the nearest integer (toward minus infinity), on the 15-digit decimal form."""
    value = to_number(number)
    if type(value) is ExcelError:
        return value
    return round_decimal(value, 0, ROUND_FLOOR)


def significant(number: float) -> float:
    """``number`` rounded to 15 significant digits (hides binary noise such as 0.3 / 0.1 = 2.9999999999999996)."""
    if number == 0 or not math.isfinite(number):
        return number
    return float(f"{number:.{SIGNIFICANT_DIGITS - 1}e}")


@register("EVEN", 1)
def even(number: Any) -> Any:
    """The number rounded away from zero to an even integer (EVEN(1.5) is 2, EVEN(-1) is -2, EVEN(0) is 0)."""
    value = to_number(number)
    if type(value) is ExcelError:
        return value
    whole = math.ceil(significant(abs(value) / 2.0)) * 2.0
    return check_number(math.copysign(whole, value) + 0.0)


@register("ODD", 1)
def odd(number: Any) -> Any:
    """The number rounded away from zero to an odd integer (ODD(0) is 1, ODD(2) is 3, ODD(-1.5) is -3)."""
    value = to_number(number)
    if type(value) is ExcelError:
        return value
    whole = math.ceil(significant(abs(value)))
    if whole % 2 == 0:
        whole += 1
    return check_number(math.copysign(float(whole), value) if value else 1.0)


@register("MROUND", 2, omitted_is_na=True)
def mround(number: Any, multiple: Any) -> Any:
    """The number rounded to the nearest multiple of ``multiple`` (halves away from zero, judged on the binary
    quotient); 0 for a zero multiple, #NUM! when the two have different signs."""
    pair = toolpak_numbers(number, multiple)
    if type(pair) is ExcelError:
        return pair
    n, m = pair
    if m == 0 or n == 0:
        return 0.0
    if (n < 0) != (m < 0):
        return NUM
    # Excel divides in binary without the 15-digit cleanup other rounding gets: MROUND(6.05, 0.1) is 6, because
    # 6.05 / 0.1 is 60.49999999999999 (LibreOffice agrees).
    ratio = n / m + 0.5
    if math.isfinite(ratio):
        return check_number(significant(math.floor(ratio) * m) + 0.0)
    # A quotient beyond the float range (MROUND(1.7E308,0.5)): the nearest multiple from the exact remainder.
    rest = math.fmod(n, m)
    return check_number(significant(n - rest + (m if 2 * abs(rest) >= abs(m) else 0.0)) + 0.0)


@register("QUOTIENT", 2, omitted_is_na=True)
def quotient(numerator: Any, denominator: Any) -> Any:
    """The integer part of numerator / denominator (truncated toward zero); #DIV/0! for a zero denominator."""
    pair = toolpak_numbers(numerator, denominator)
    if type(pair) is ExcelError:
        return pair
    n, d = pair
    if d == 0:
        return DIV0
    return round_decimal(n / d, 0, ROUND_DOWN)


# -------------------------------------------------------------------------------------- CEILING and FLOOR


def _to_multiple(number: float, step: float, upward: bool) -> float | ExcelError:
    """Round ``number`` to a multiple of ``step`` (non-zero): toward +infinity if ``upward``, else toward -infinity
    in units of ``step`` (so a negative step rounds the other way on the number line)."""
    quotient = significant(number / step)
    if not math.isfinite(quotient):
        return NUM
    whole = math.ceil(quotient) if upward else math.floor(quotient)
    return check_number(significant(whole * step) + 0.0)


@register("CEILING", 2)
def ceiling(number: Any, significance: Any) -> Any:
    """Round up to a multiple of significance, with Excel 2010's sign rules."""
    # A negative number with a positive significance rounds toward zero, both negative round away from zero,
    # a positive number with a negative significance is #NUM!, a zero number or significance gives 0.
    pair = numbers(number, significance)
    if type(pair) is ExcelError:
        return pair
    n, s = pair
    if n == 0 or s == 0:
        return 0.0
    if n > 0 and s < 0:
        return NUM
    return _to_multiple(n, s, upward=True)


@register("ECMA.CEILING", 2)
def ecma_ceiling(number: Any, significance: Any) -> Any:
    """CEILING as ECMA-376 (and Excel 2007) defines it: away from zero to a multiple of significance; #NUM! when the
    two have different signs, 0 for a zero number or significance."""
    pair = numbers(number, significance)
    if type(pair) is ExcelError:
        return pair
    n, s = pair
    if n == 0 or s == 0:
        return 0.0
    if (n < 0) != (s < 0):
        return NUM
    return _to_multiple(n, s, upward=True)


@register("FLOOR", 2)
def floor(number: Any, significance: Any) -> Any:
    """Round down to a multiple of significance (mirror of CEILING); 0 stays 0, else a zero significance is
    #DIV/0!."""
    pair = numbers(number, significance)
    if type(pair) is ExcelError:
        return pair
    n, s = pair
    if n == 0:
        return 0.0  # FLOOR(0, 0) is 0 in Excel: a zero number needs no division
    if s == 0:
        return DIV0
    if n > 0 and s < 0:
        return NUM
    return _to_multiple(n, s, upward=False)


def _math_rounding(number: Any, significance: Any, mode: Any, upward: bool) -> Any:
    values = numbers(number, significance, mode)
    if type(values) is ExcelError:
        return values
    n, s, m = values
    s = abs(s)
    if n == 0 or s == 0:
        return 0.0
    if n < 0 and m != 0:
        upward = not upward  # the mode flips the direction for negative numbers (away from / toward zero)
    return _to_multiple(n, s, upward)


@register("CEILING.MATH", 1, 3)
def ceiling_math(number: Any, significance: Any = 1.0, mode: Any = 0.0) -> Any:
    """Round up to a multiple of |significance| (default 1); a non-zero mode rounds negatives away from zero."""
    return _math_rounding(number, significance, mode, upward=True)


@register("FLOOR.MATH", 1, 3)
def floor_math(number: Any, significance: Any = 1.0, mode: Any = 0.0) -> Any:
    """Round down to a multiple of |significance| (default 1); a non-zero mode rounds negatives toward zero."""
    return _math_rounding(number, significance, mode, upward=False)


@register("CEILING.PRECISE", 1, 2, aliases=("ISO.CEILING",))
def ceiling_precise(number: Any, significance: Any = 1.0) -> Any:
    """Round up (toward +infinity) to a multiple of |significance| (default 1)."""
    return _math_rounding(number, significance, 0.0, upward=True)


@register("FLOOR.PRECISE", 1, 2)
def floor_precise(number: Any, significance: Any = 1.0) -> Any:
    """Round down (toward -infinity) to a multiple of |significance| (default 1)."""
    return _math_rounding(number, significance, 0.0, upward=False)
