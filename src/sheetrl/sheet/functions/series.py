"""Sums over series and paired arrays: SUMSQ, SUMX2MY2, SUMX2PY2, SUMXMY2, SERIESSUM, PERCENTOF."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from sheetrl.sheet.errors import DIV0, NA, NUM, ExcelError
from sheetrl.sheet.functions import MAX_ARGS, register
from sheetrl.sheet.functions.arguments import is_numeric, numeric_array, toolpak_numbers
from sheetrl.sheet.values import Matrix, check_number, collect_numbers, to_number


@register("SUMSQ", 1, MAX_ARGS, refs="all")
def sumsq(*args: Any) -> Any:
    """Sum of the squares of the numbers (range rules as SUM: text, logicals and blanks in ranges are skipped)."""
    values = collect_numbers(args)
    if type(values) is ExcelError:
        return values
    return check_number(math.fsum(v * v for v in values))


def _series(arg: Any) -> list[Any] | ExcelError:
    """The values of one array argument; a scalar is converted like any scalar argument and counts as one value."""
    if type(arg) is Matrix:
        return list(arg.values)
    number = to_number(arg)
    return number if type(number) is ExcelError else [number]


def _paired(array_x: Any, array_y: Any, term: Callable[[float, float], float]) -> Any:
    """Sum of ``term(x, y)`` over the pairs of two equally sized arrays; a pair with a non-number is skipped.

    Arrays with different numbers of values are #N/A; an error value anywhere is the result.
    """
    xs = _series(array_x)
    if type(xs) is ExcelError:
        return xs
    ys = _series(array_y)
    if type(ys) is ExcelError:
        return ys
    for value in (*xs, *ys):
        if type(value) is ExcelError:
            return value
    if len(xs) != len(ys):
        return NA
    total = math.fsum(
        term(float(x), float(y)) for x, y in zip(xs, ys) if is_numeric(x) and is_numeric(y)
    )
    return check_number(total)


@register("SUMX2MY2", 2, refs="all")
def sumx2my2(array_x: Any, array_y: Any) -> Any:
    """Sum of x^2 - y^2 over corresponding values; #N/A when the arrays differ in size."""
    return _paired(array_x, array_y, lambda x, y: x * x - y * y)


@register("SUMX2PY2", 2, refs="all")
def sumx2py2(array_x: Any, array_y: Any) -> Any:
    """Sum of x^2 + y^2 over corresponding values; #N/A when the arrays differ in size."""
    return _paired(array_x, array_y, lambda x, y: x * x + y * y)


@register("SUMXMY2", 2, refs="all")
def sumxmy2(array_x: Any, array_y: Any) -> Any:
    """Sum of (x - y)^2 over corresponding values; #N/A when the arrays differ in size."""
    return _paired(array_x, array_y, lambda x, y: (x - y) * (x - y))


@register("SERIESSUM", 4, refs=(3,), omitted_is_na=True)
def seriessum(x: Any, n: Any, m: Any, coefficients: Any) -> Any:
    """The power series a1*x^n + a2*x^(n+m) + a3*x^(n+2m) + ... with the coefficients a_i (all numbers); a power
    0^0 or 0 to a negative power is #NUM!, as in Excel."""
    params = toolpak_numbers(x, n, m)
    if type(params) is ExcelError:
        return params
    base, first, step = params
    coefficients_ = numeric_array(coefficients)
    if type(coefficients_) is ExcelError:
        return coefficients_
    total = 0.0
    for index, coefficient in enumerate(coefficients_):
        exponent = first + index * step
        if base == 0 and exponent <= 0:
            return NUM
        try:
            total += coefficient * math.pow(base, exponent)
        except (OverflowError, ValueError):
            return check_number(math.nan)
    return check_number(total)


@register("PERCENTOF", 2, refs="all")
def percentof(data_subset: Any, data_all: Any) -> Any:
    """SUM(data_subset) / SUM(data_all), the share of a subset in a total; #DIV/0! for a zero total, #NUM! when
    either holds an error value (whichever error it is, as Excel answers)."""
    part = collect_numbers([data_subset])
    whole = collect_numbers([data_all])
    if type(part) is ExcelError or type(whole) is ExcelError:
        return NUM
    total = math.fsum(whole)
    if total == 0:
        return DIV0
    return check_number(math.fsum(part) / total)
