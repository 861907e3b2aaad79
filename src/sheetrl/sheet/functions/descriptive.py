"""Spread and shape of data: variance, standard deviation, deviations, means of other kinds, skewness, kurtosis.

VAR (VAR.S), VARP (VAR.P), STDEV (STDEV.S), STDEVP (STDEV.P), their "A" variants VARA, VARPA, STDEVA, STDEVPA
(text in ranges counts 0, logicals 1/0), AVEDEV, DEVSQ, GEOMEAN, HARMEAN, KURT, SKEW, SKEW.P and STANDARDIZE.
Sums are correctly rounded (math.fsum) and deviations are taken from the mean, so large offsets do not cost
precision.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from sheetrl.sheet.errors import DIV0, NUM, ExcelError
from sheetrl.sheet.functions import MAX_ARGS, register
from sheetrl.sheet.functions.statistical import (
    exact_sum,
    numbers_of,
    numbers_with_text_and_logicals,
)
from sheetrl.sheet.values import check_number, to_number

Collector = Callable[[tuple[Any, ...]], "list[float] | ExcelError"]


def mean_and_squares(numbers: list[float]) -> tuple[float, float] | ExcelError:
    """(mean, sum of squared deviations from it)."""
    total = exact_sum(numbers)
    if isinstance(total, ExcelError):
        return total
    mean = total / len(numbers)
    squares = exact_sum([(x - mean) * (x - mean) for x in numbers])
    if isinstance(squares, ExcelError):
        return squares
    return mean, squares


def variance(numbers: list[float], sample: bool) -> float | ExcelError:
    """Sample (n - 1) or population (n) variance; #DIV/0! with too few numbers."""
    n = len(numbers)
    if n < (2 if sample else 1):
        return DIV0
    moments = mean_and_squares(numbers)
    if isinstance(moments, ExcelError):
        return moments
    return check_number(moments[1] / (n - 1 if sample else n))


def _spread(collect: Collector, sample: bool, root: bool) -> Callable[..., Any]:
    def compute(*args: Any) -> Any:
        numbers = collect(args)
        if isinstance(numbers, ExcelError):
            return numbers
        result = variance(numbers, sample)
        if isinstance(result, ExcelError) or not root:
            return result
        return math.sqrt(result)

    return compute


_var_of = _spread(numbers_of, sample=True, root=False)
_varp_of = _spread(numbers_of, sample=False, root=False)
_stdev_of = _spread(numbers_of, sample=True, root=True)
_stdevp_of = _spread(numbers_of, sample=False, root=True)
_vara_of = _spread(numbers_with_text_and_logicals, sample=True, root=False)
_varpa_of = _spread(numbers_with_text_and_logicals, sample=False, root=False)
_stdeva_of = _spread(numbers_with_text_and_logicals, sample=True, root=True)
_stdevpa_of = _spread(numbers_with_text_and_logicals, sample=False, root=True)


@register("VAR", 1, MAX_ARGS, refs="all", aliases=("VAR.S",))
def var(*args: Any) -> Any:
    """Sample variance (n - 1 denominator); #DIV/0! with fewer than two numbers."""
    return _var_of(*args)


@register("VARP", 1, MAX_ARGS, refs="all", aliases=("VAR.P",))
def varp(*args: Any) -> Any:
    """Population variance (n denominator); #DIV/0! without numbers."""
    return _varp_of(*args)


@register("STDEV", 1, MAX_ARGS, refs="all", aliases=("STDEV.S",))
def stdev(*args: Any) -> Any:
    """Sample standard deviation; #DIV/0! with fewer than two numbers."""
    return _stdev_of(*args)


@register("STDEVP", 1, MAX_ARGS, refs="all", aliases=("STDEV.P",))
def stdevp(*args: Any) -> Any:
    """Population standard deviation; #DIV/0! without numbers."""
    return _stdevp_of(*args)


@register("VARA", 1, MAX_ARGS, refs="all")
def vara(*args: Any) -> Any:
    """Sample variance counting text in ranges as 0 and logicals as 1/0."""
    return _vara_of(*args)


@register("VARPA", 1, MAX_ARGS, refs="all")
def varpa(*args: Any) -> Any:
    """Population variance counting text in ranges as 0 and logicals as 1/0."""
    return _varpa_of(*args)


@register("STDEVA", 1, MAX_ARGS, refs="all")
def stdeva(*args: Any) -> Any:
    """Sample standard deviation counting text in ranges as 0 and logicals as 1/0."""
    return _stdeva_of(*args)


@register("STDEVPA", 1, MAX_ARGS, refs="all")
def stdevpa(*args: Any) -> Any:
    """Population standard deviation counting text in ranges as 0 and logicals as 1/0."""
    return _stdevpa_of(*args)


def _numbers_required(args: tuple[Any, ...]) -> list[float] | ExcelError:
    numbers = numbers_of(args)
    if isinstance(numbers, ExcelError):
        return numbers
    return numbers if numbers else NUM


@register("AVEDEV", 1, MAX_ARGS, refs="all")
def avedev(*args: Any) -> Any:
    """Mean absolute deviation from the mean; #NUM! without numbers."""
    numbers = _numbers_required(args)
    if isinstance(numbers, ExcelError):
        return numbers
    try:
        mean = math.fsum(numbers) / len(numbers)
        return check_number(math.fsum(abs(x - mean) for x in numbers) / len(numbers))
    except OverflowError:
        return NUM


@register("DEVSQ", 1, MAX_ARGS, refs="all")
def devsq(*args: Any) -> Any:
    """Sum of squared deviations from the mean; #NUM! without numbers."""
    numbers = _numbers_required(args)
    if isinstance(numbers, ExcelError):
        return numbers
    moments = mean_and_squares(numbers)
    return moments if isinstance(moments, ExcelError) else moments[1]


@register("GEOMEAN", 1, MAX_ARGS, refs="all")
def geomean(*args: Any) -> Any:
    """Geometric mean; #NUM! without numbers or with any number <= 0."""
    numbers = _numbers_required(args)
    if isinstance(numbers, ExcelError):
        return numbers
    if any(x <= 0 for x in numbers):
        return NUM
    return check_number(math.exp(math.fsum(math.log(x) for x in numbers) / len(numbers)))


@register("HARMEAN", 1, MAX_ARGS, refs="all")
def harmean(*args: Any) -> Any:
    """Harmonic mean; #NUM! without numbers or with any number <= 0."""
    numbers = _numbers_required(args)
    if isinstance(numbers, ExcelError):
        return numbers
    if any(x <= 0 for x in numbers):
        return NUM
    return check_number(len(numbers) / math.fsum(1.0 / x for x in numbers))


def _standardized_moment(numbers: list[float], power: int, sample: bool) -> float | ExcelError:
    """Sum of ((x - mean) / s)^power with s the sample or population standard deviation; #DIV/0! if s is 0."""
    moments = mean_and_squares(numbers)
    if isinstance(moments, ExcelError):
        return moments
    mean, squares = moments
    n = len(numbers)
    deviation = math.sqrt(squares / (n - 1 if sample else n))
    if deviation == 0:
        return DIV0
    return math.fsum(((x - mean) / deviation) ** power for x in numbers)


@register("KURT", 1, MAX_ARGS, refs="all")
def kurt(*args: Any) -> Any:
    """Sample excess kurtosis; #DIV/0! with fewer than four numbers or no spread."""
    numbers = numbers_of(args)
    if isinstance(numbers, ExcelError):
        return numbers
    n = len(numbers)
    if n < 4:
        return DIV0
    fourth = _standardized_moment(numbers, 4, sample=True)
    if isinstance(fourth, ExcelError):
        return fourth
    return check_number(
        n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * fourth - 3.0 * (n - 1) ** 2 / ((n - 2) * (n - 3))
    )


@register("SKEW", 1, MAX_ARGS, refs="all")
def skew(*args: Any) -> Any:
    """Sample skewness; #DIV/0! with fewer than three numbers or no spread."""
    numbers = numbers_of(args)
    if isinstance(numbers, ExcelError):
        return numbers
    n = len(numbers)
    if n < 3:
        return DIV0
    third = _standardized_moment(numbers, 3, sample=True)
    if isinstance(third, ExcelError):
        return third
    return check_number(n / ((n - 1) * (n - 2)) * third)


@register("SKEW.P", 1, MAX_ARGS, refs="all")
def skew_p(*args: Any) -> Any:
    """Population skewness; #DIV/0! without numbers or spread."""
    numbers = numbers_of(args)
    if isinstance(numbers, ExcelError):
        return numbers
    if not numbers:
        return DIV0
    third = _standardized_moment(numbers, 3, sample=False)
    if isinstance(third, ExcelError):
        return third
    return check_number(third / len(numbers))


@register("STANDARDIZE", 3)
def standardize(x: Any, mean: Any, standard_dev: Any) -> Any:
    """(x - mean) / standard_dev; #NUM! when standard_dev <= 0."""
    values = [to_number(v) for v in (x, mean, standard_dev)]
    for value in values:
        if isinstance(value, ExcelError):
            return value
    value, centre, deviation = values
    if deviation <= 0:  # type: ignore[operator]
        return NUM
    return check_number((value - centre) / deviation)  # type: ignore[operator]
