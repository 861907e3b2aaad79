"""Mathematical functions: SUM, PRODUCT, SUMPRODUCT, SUMIF(S), rounding, powers and logarithms."""

from __future__ import annotations

import math
from decimal import ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation, localcontext
from typing import Any

from sheetrl.sheet.errors import DIV0, NUM, VALUE, ExcelError
from sheetrl.sheet.functions import MAX_ARGS, register
from sheetrl.sheet.functions.criteria import make_criterion, match_mask
from sheetrl.sheet.values import Matrix, check_number, collect_numbers, to_number

# Excel keeps 15 significant decimal digits; rounding works on that decimal form, so ROUND(2.675, 2) is 2.68 even
# though the double nearest 2.675 is slightly below it.
SIGNIFICANT_DIGITS = 15
# Rounding positions beyond this many places either way change nothing a double can hold.
MAX_ROUNDING_PLACES = 400
# Positions of SUMIFS/AVERAGEIFS-style arguments that are ranges: the first and every odd one after it.
_IFS_RANGE_POSITIONS = frozenset({0, *range(1, MAX_ARGS, 2)})


@register("SUM", 1, MAX_ARGS, refs="all")
def sum_(*args: Any) -> Any:
    """Sum of the numbers (ranges: numbers only; direct arguments: numbers, booleans, numeric text)."""
    numbers = collect_numbers(args)
    if not isinstance(numbers, list):
        return numbers
    return check_number(float(sum(numbers)))


@register("PRODUCT", 1, MAX_ARGS, refs="all")
def product(*args: Any) -> Any:
    """Product of the numbers (range rules as SUM); 0 when there are none."""
    numbers = collect_numbers(args)
    if not isinstance(numbers, list):
        return numbers
    if not numbers:
        return 0.0
    return check_number(math.prod(numbers))


def _as_matrix(value: Any) -> Matrix:
    return value if type(value) is Matrix else Matrix(1, 1, [value])


@register("SUMPRODUCT", 1, MAX_ARGS, refs="all", array_args=True)
def sumproduct(*args: Any) -> Any:
    """Sum of element-wise products of equally shaped arrays; non-numeric entries count as 0."""
    arrays = [_as_matrix(a) for a in args]
    shape = (arrays[0].rows, arrays[0].cols)
    for array in arrays:
        if (array.rows, array.cols) != shape:
            return VALUE
    for array in arrays:
        for value in array.values:
            if type(value) is ExcelError:
                return value
    total = 0.0
    for entries in zip(*(a.values for a in arrays)):
        term = 1.0
        for value in entries:
            t = type(value)
            if t is float or t is int:
                term *= value
            else:
                term = 0.0
                break
        total += term
    return check_number(total)


def _sum_matching(values: list[Any], mask: list[bool]) -> float | ExcelError:
    total = 0.0
    for value, selected in zip(values, mask):
        if selected:
            t = type(value)
            if t is float or t is int:
                total += value
            elif t is ExcelError:
                return value
    return check_number(total)


def conditional_target(area: Any, target: Any) -> Matrix | ExcelError:
    """The range SUMIF/AVERAGEIF add up: ``target`` cut to the shape of ``area`` (``area`` itself when omitted).

    Excel also extends a smaller target (``SUMIF(A1:A9,">0",B1)`` adds B1:B9); the cells beyond a smaller target are
    not passed to functions, so that case is #VALUE! here.
    """
    if type(area) is not Matrix:
        return VALUE
    if target is None:
        return area
    if type(target) is not Matrix:
        return VALUE
    if target.rows < area.rows or target.cols < area.cols:
        return VALUE
    if (target.rows, target.cols) == (area.rows, area.cols):
        return target
    cut = [target.at(r, c) for r in range(area.rows) for c in range(area.cols)]
    return Matrix(area.rows, area.cols, cut, target.is_reference, target.origin)


@register("SUMIF", 2, 3, refs=(0, 2), resize_like=((2, 0),))
def sumif(area: Any, criterion: Any, sum_range: Any = None) -> Any:
    """Sum of the numbers in ``sum_range`` (default ``area``) where ``area`` meets the criterion."""
    target = conditional_target(area, sum_range)
    if type(target) is ExcelError:
        return target
    test = make_criterion(criterion)
    return _sum_matching(target.values, [test(v) for v in area.values])


@register("SUMIFS", 3, MAX_ARGS, refs=_IFS_RANGE_POSITIONS)
def sumifs(sum_range: Any, *pairs: Any) -> Any:
    """Sum of the numbers in ``sum_range`` where every criteria range meets its criterion."""
    if type(sum_range) is not Matrix:
        return VALUE
    matched = match_mask(pairs)
    if type(matched) is ExcelError:
        return matched
    rows, cols, mask = matched
    if (rows, cols) != (sum_range.rows, sum_range.cols):
        return VALUE
    return _sum_matching(sum_range.values, mask)


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


@register("MOD", 2)
def mod(number: Any, divisor: Any) -> Any:
    """Remainder of number / divisor with the sign of the divisor; #DIV/0! for a zero divisor."""
    n = to_number(number)
    if type(n) is ExcelError:
        return n
    d = to_number(divisor)
    if type(d) is ExcelError:
        return d
    if d == 0:
        return DIV0
    return check_number(n % d + 0.0)


@register("ABS", 1)
def abs_(number: Any) -> Any:
    """Absolute value."""
    value = to_number(number)
    if type(value) is ExcelError:
        return value
    return abs(value)


@register("SIGN", 1)
def sign(number: Any) -> Any:
    """1 for positive, -1 for negative, 0 for zero."""
    value = to_number(number)
    if type(value) is ExcelError:
        return value
    return 1.0 if value > 0 else (-1.0 if value < 0 else 0.0)


# ------------------------------------------------------------------------------------------ powers and logs
def power_of(base: float, exponent: float) -> float | ExcelError:
    """base ** exponent with Excel's errors: 0^0 and a negative base with a fractional exponent are #NUM!."""
    if base == 0:
        if exponent == 0:
            return NUM
        if exponent < 0:
            return DIV0
    try:
        result = math.pow(base, exponent)
    except (OverflowError, ValueError):
        return NUM
    return check_number(result)


@register("POWER", 2)
def power(base: Any, exponent: Any) -> Any:
    """base raised to exponent (same rules as the ^ operator)."""
    b = to_number(base)
    if type(b) is ExcelError:
        return b
    e = to_number(exponent)
    if type(e) is ExcelError:
        return e
    return power_of(b, e)


@register("SQRT", 1)
def sqrt(number: Any) -> Any:
    """Square root; #NUM! for negative numbers."""
    value = to_number(number)
    if type(value) is ExcelError:
        return value
    if value < 0:
        return NUM
    return math.sqrt(value)


@register("EXP", 1)
def exp(number: Any) -> Any:
    """e raised to the number; #NUM! on overflow."""
    value = to_number(number)
    if type(value) is ExcelError:
        return value
    try:
        return check_number(math.exp(value))
    except OverflowError:
        return NUM


@register("LN", 1)
def ln(number: Any) -> Any:
    """Natural logarithm; #NUM! unless the number is positive."""
    value = to_number(number)
    if type(value) is ExcelError:
        return value
    if value <= 0:
        return NUM
    return math.log(value)


@register("LOG10", 1)
def log10(number: Any) -> Any:
    """Base-10 logarithm; #NUM! unless the number is positive."""
    value = to_number(number)
    if type(value) is ExcelError:
        return value
    if value <= 0:
        return NUM
    return math.log10(value)


@register("LOG", 1, 2)
def log(number: Any, base: Any = 10.0) -> Any:
    """Logarithm to ``base`` (default 10); #NUM! for non-positive inputs, #DIV/0! for base 1."""
    value = to_number(number)
    if type(value) is ExcelError:
        return value
    b = to_number(base)
    if type(b) is ExcelError:
        return b
    if value <= 0 or b <= 0:
        return NUM
    if b == 1:
        return DIV0
    if b == 10:
        return math.log10(value)
    if b == 2:
        return math.log2(value)
    return check_number(math.log(value) / math.log(b))


# -------------------------------------------------------------------------------------- CEILING and FLOOR
def _significant(number: float) -> float:
    """``number`` rounded to 15 significant digits (hides binary noise such as 0.3 / 0.1 = 2.9999999999999996)."""
    if number == 0 or not math.isfinite(number):
        return number
    return float(f"{number:.{SIGNIFICANT_DIGITS - 1}e}")


def _to_multiple(number: float, step: float, upward: bool) -> float | ExcelError:
    """Round ``number`` to a multiple of ``step`` (non-zero): toward +infinity if ``upward``, else toward -infinity
    in units of ``step`` (so a negative step rounds the other way on the number line)."""
    quotient = _significant(number / step)
    if not math.isfinite(quotient):
        return NUM
    whole = math.ceil(quotient) if upward else math.floor(quotient)
    return check_number(_significant(whole * step) + 0.0)


def _two_numbers(a: Any, b: Any) -> tuple[float, float] | ExcelError:
    x = to_number(a)
    if type(x) is ExcelError:
        return x
    y = to_number(b)
    if type(y) is ExcelError:
        return y
    return x, y


@register("CEILING", 2)
def ceiling(number: Any, significance: Any) -> Any:
    """Round up to a multiple of significance, with Excel 2010's sign rules."""
    # A negative number with a positive significance rounds toward zero, both negative round away from zero,
    # a positive number with a negative significance is #NUM!, a zero significance gives 0.
    pair = _two_numbers(number, significance)
    if type(pair) is ExcelError:
        return pair
    n, s = pair
    if n == 0 or s == 0:
        return 0.0
    if n > 0 and s < 0:
        return NUM
    return _to_multiple(n, s, upward=True)


@register("FLOOR", 2)
def floor(number: Any, significance: Any) -> Any:
    """Round down to a multiple of significance (mirror of CEILING; a zero significance is #DIV/0!)."""
    pair = _two_numbers(number, significance)
    if type(pair) is ExcelError:
        return pair
    n, s = pair
    if s == 0:
        return DIV0
    if n == 0:
        return 0.0
    if n > 0 and s < 0:
        return NUM
    return _to_multiple(n, s, upward=False)


def _math_rounding(number: Any, significance: Any, mode: Any, upward: bool) -> Any:
    values = [to_number(x) for x in (number, significance, mode)]
    for value in values:
        if type(value) is ExcelError:
            return value
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
