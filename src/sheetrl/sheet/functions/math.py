"""Mathematical functions: SUM, PRODUCT, SUMPRODUCT, SUMIF(S), MOD, ABS, SIGN, powers and logarithms.

Rounding lives in :mod:`~sheetrl.sheet.functions.rounding`, trigonometry in
:mod:`~sheetrl.sheet.functions.trigonometry`, integer functions in :mod:`~sheetrl.sheet.functions.combinatorics`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from sheetrl.sheet.errors import DIV0, NUM, VALUE, ExcelError
from sheetrl.sheet.functions import MAX_ARGS, register
from sheetrl.sheet.functions.criteria import ifs_selection, indexed_total, make_criterion
from sheetrl.sheet.values import (
    Matrix,
    check_number,
    collect_numbers,
    scalar_of,
    to_number,
)

# Positions of SUMIFS/AVERAGEIFS-style arguments that are ranges: the first and every odd one after it.
_IFS_RANGE_POSITIONS = frozenset({0, *range(1, MAX_ARGS, 2)})


def _total(numbers: list[float]) -> Any:
    total = float(sum(numbers))
    return total if -1.8e308 < total < 1.8e308 else NUM  # (also not NaN): check_number, inlined on this hot path


@register("SUM", 1, MAX_ARGS, refs="all", on_numbers=_total)
def sum_(*args: Any) -> Any:
    """Sum of the numbers (ranges: numbers only; direct arguments: numbers, booleans, numeric text)."""
    numbers = collect_numbers(args)
    if not isinstance(numbers, list):
        return numbers
    return _total(numbers)


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


def _sum_matching(values: Sequence[Any], mask: Sequence[bool]) -> float | ExcelError:
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
        return area if isinstance(area, ExcelError) else VALUE  # SUMIF(#REF!,1) is #REF!
    if target is None:
        return area
    if type(target) is not Matrix:
        return target if isinstance(target, ExcelError) else VALUE
    if target.rows < area.rows or target.cols < area.cols:
        return VALUE
    if (target.rows, target.cols) == (area.rows, area.cols):
        return target
    cut = [target.at(r, c) for r in range(area.rows) for c in range(area.cols)]
    return Matrix(area.rows, area.cols, cut, target.is_reference, target.origin)


@register("SUMIF", 2, 3, refs=(0, 2), resize_like=((2, 0),), propagate_errors=False)
def sumif(area: Any, criterion: Any, sum_range: Any = None) -> Any:
    """Sum of the numbers in ``sum_range`` (default ``area``) where ``area`` meets the criterion. An error as the
    criterion selects the cells holding that error, as in COUNTIF (Excel's SUMIF(K73:L73,K73,M73:N73) with K73
    #VALUE! adds M73, formulas library test.xlsx)."""
    target = conditional_target(area, sum_range)
    if type(target) is ExcelError:
        return target
    total = indexed_total("SUMIF", area, criterion, target, _sum_matching)
    if total is not None:
        return total
    test = make_criterion(criterion)
    return _sum_matching(target.values, [test(v) for v in area.values])


@register("SUMIFS", 3, MAX_ARGS, refs=_IFS_RANGE_POSITIONS, propagate_errors=False)
def sumifs(sum_range: Any, *pairs: Any) -> Any:
    """Sum of the numbers in ``sum_range`` where every criteria range meets its criterion (an error criterion
    selects the cells holding that error)."""
    if type(sum_range) is not Matrix:
        return sum_range if isinstance(sum_range, ExcelError) else VALUE
    selection = ifs_selection(sum_range, pairs)
    if isinstance(selection, ExcelError):
        return selection
    return _sum_matching(*selection)


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


@register("SQRTPI", 1, omitted_is_na=True)
def sqrtpi(number: Any) -> Any:
    """Square root of number * pi; #NUM! for negative numbers (a logical is #VALUE!, Analysis ToolPak style)."""
    value = VALUE if type(scalar_of(number)) is bool else to_number(number)
    if type(value) is ExcelError:
        return value
    if value < 0:
        return NUM
    return check_number(math.sqrt(value * math.pi))


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
