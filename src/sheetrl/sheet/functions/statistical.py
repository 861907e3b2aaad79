"""Statistical functions: averages, counts, extremes, ranks, order statistics, spread and mode."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from sheetrl.sheet.errors import DIV0, NA, NUM, VALUE, ExcelError
from sheetrl.sheet.functions import MAX_ARGS, register
from sheetrl.sheet.functions.criteria import make_criterion, match_mask
from sheetrl.sheet.functions.math import conditional_target
from sheetrl.sheet.values import Matrix, check_number, collect_numbers, to_number

# AVERAGEIFS/COUNTIFS-style arguments that are ranges: the first and every odd position after it.
_IFS_RANGE_POSITIONS = frozenset({0, *range(1, MAX_ARGS, 2)})


def exact_sum(numbers: list[float]) -> float | ExcelError:
    """Correctly rounded sum; #NUM! when it overflows."""
    try:
        return check_number(math.fsum(numbers))
    except (OverflowError, ValueError):
        return NUM


def _numbers_or_error(args: tuple[Any, ...]) -> list[float] | ExcelError:
    numbers = collect_numbers(args)
    if not isinstance(numbers, list):
        return numbers
    return [float(x) for x in numbers]


# --------------------------------------------------------------------------------------------------- averages
@register("AVERAGE", 1, MAX_ARGS, refs="all")
def average(*args: Any) -> Any:
    """Arithmetic mean of the numbers (range rules as SUM); #DIV/0! when there are none."""
    numbers = _numbers_or_error(args)
    if type(numbers) is ExcelError:
        return numbers
    if not numbers:
        return DIV0
    total = exact_sum(numbers)
    if type(total) is ExcelError:
        return total
    return check_number(total / len(numbers))


@register("MIN", 1, MAX_ARGS, refs="all")
def min_(*args: Any) -> Any:
    """Smallest number (range rules as SUM); 0 when there are none."""
    numbers = _numbers_or_error(args)
    if type(numbers) is ExcelError:
        return numbers
    return min(numbers) if numbers else 0.0


@register("MAX", 1, MAX_ARGS, refs="all")
def max_(*args: Any) -> Any:
    """Largest number (range rules as SUM); 0 when there are none."""
    numbers = _numbers_or_error(args)
    if type(numbers) is ExcelError:
        return numbers
    return max(numbers) if numbers else 0.0


@register("MEDIAN", 1, MAX_ARGS, refs="all")
def median(*args: Any) -> Any:
    """Middle number (mean of the two middle ones for an even count); #NUM! when there are none."""
    numbers = _numbers_or_error(args)
    if type(numbers) is ExcelError:
        return numbers
    if not numbers:
        return NUM
    ordered = sorted(numbers)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return check_number(ordered[middle - 1] / 2.0 + ordered[middle] / 2.0)


# ----------------------------------------------------------------------------------------------------- counts
@register("COUNT", 1, MAX_ARGS, refs="all", propagate_errors=False)
def count(*args: Any) -> Any:
    """How many numbers (direct booleans, numeric text and omitted arguments count; errors never do)."""
    total = 0
    for arg in args:
        if type(arg) is Matrix:
            for v in arg.values:
                t = type(v)
                if t is float or t is int:
                    total += 1
        elif arg is None or type(arg) is bool:
            total += 1
        elif type(arg) is not ExcelError and type(to_number(arg)) is not ExcelError:
            total += 1
    return float(total)


@register("COUNTA", 1, MAX_ARGS, refs="all", propagate_errors=False)
def counta(*args: Any) -> Any:
    """How many values are not empty (errors and empty text count; direct arguments, even omitted ones, count)."""
    total = 0
    for arg in args:
        if type(arg) is Matrix:
            total += sum(1 for v in arg.values if v is not None)
        else:
            total += 1
    return float(total)


@register("COUNTBLANK", 1, refs=(0,))
def countblank(area: Any) -> Any:
    """How many cells of a range are empty or hold empty text."""
    if type(area) is not Matrix:
        return VALUE
    return float(sum(1 for v in area.values if v is None or v == ""))


@register("COUNTIF", 2, refs=(0,))
def countif(area: Any, criterion: Any) -> Any:
    """How many cells of a range meet the criterion (errors in the range are not counted, not returned)."""
    if type(area) is not Matrix:
        return VALUE
    test = make_criterion(criterion)
    return float(sum(1 for v in area.values if test(v)))


@register("COUNTIFS", 2, MAX_ARGS, refs=range(0, MAX_ARGS, 2))
def countifs(*pairs: Any) -> Any:
    """How many positions meet every (range, criterion) pair; the ranges must have the same shape."""
    matched = match_mask(pairs)
    if type(matched) is ExcelError:
        return matched
    return float(sum(matched[2]))


def _mean_of_matching(values: list[Any], mask: list[bool]) -> Any:
    total = 0.0
    found = 0
    for value, selected in zip(values, mask):
        if selected:
            t = type(value)
            if t is float or t is int:
                total += value
                found += 1
            elif t is ExcelError:
                return value
    if not found:
        return DIV0
    return check_number(total / found)


@register("AVERAGEIF", 2, 3, refs=(0, 2), resize_like=((2, 0),))
def averageif(area: Any, criterion: Any, average_range: Any = None) -> Any:
    """Mean of the numbers in ``average_range`` (default ``area``) where ``area`` meets the criterion."""
    target = conditional_target(area, average_range)
    if type(target) is ExcelError:
        return target
    test = make_criterion(criterion)
    return _mean_of_matching(target.values, [test(v) for v in area.values])


@register("AVERAGEIFS", 3, MAX_ARGS, refs=_IFS_RANGE_POSITIONS)
def averageifs(average_range: Any, *pairs: Any) -> Any:
    """Mean of the numbers in ``average_range`` where every criteria range meets its criterion."""
    if type(average_range) is not Matrix:
        return VALUE
    matched = match_mask(pairs)
    if type(matched) is ExcelError:
        return matched
    rows, cols, mask = matched
    if (rows, cols) != (average_range.rows, average_range.cols):
        return VALUE
    return _mean_of_matching(average_range.values, mask)


# ---------------------------------------------------------------------------------------- ranks and order
def _range_numbers(data: Any) -> list[float] | ExcelError:
    """Numbers of a range or array argument (text, booleans and empties skipped, the first error returned)."""
    if type(data) is not Matrix:
        number = to_number(data)
        return number if type(number) is ExcelError else [number]
    return _numbers_or_error((data,))


@register("RANK", 2, 3, refs=(1,), aliases=("RANK.EQ",))
def rank(number: Any, ref: Any, order: Any = 0.0) -> Any:
    """Rank of ``number`` among the numbers of ``ref`` (order 0: descending, default); #N/A if absent."""
    value = to_number(number)
    if type(value) is ExcelError:
        return value
    ascending = to_number(order)
    if type(ascending) is ExcelError:
        return ascending
    numbers = _range_numbers(ref)
    if type(numbers) is ExcelError:
        return numbers
    if value not in numbers:
        return NA
    if ascending:
        return float(1 + sum(1 for x in numbers if x < value))
    return float(1 + sum(1 for x in numbers if x > value))


def _kth(data: Any, k: Any, largest: bool) -> Any:
    numbers = _range_numbers(data)
    if type(numbers) is ExcelError:
        return numbers
    position = to_number(k)
    if type(position) is ExcelError:
        return position
    if position < 1 or position > len(numbers):
        return NUM
    index = math.ceil(position) - 1  # a fractional k is rounded up
    return sorted(numbers, reverse=largest)[index]


@register("LARGE", 2, refs=(0,))
def large(data: Any, k: Any) -> Any:
    """k-th largest number of a range (k rounded up; #NUM! when k < 1 or beyond the count)."""
    return _kth(data, k, largest=True)


@register("SMALL", 2, refs=(0,))
def small(data: Any, k: Any) -> Any:
    """k-th smallest number of a range (k rounded up; #NUM! when k < 1 or beyond the count)."""
    return _kth(data, k, largest=False)


@register("MODE", 1, MAX_ARGS, refs="all", aliases=("MODE.SNGL",))
def mode(*args: Any) -> Any:
    """Most frequent number; among equally frequent ones the first to appear; #N/A when none repeats."""
    numbers = _numbers_or_error(args)
    if type(numbers) is ExcelError:
        return numbers
    counts: dict[float, int] = {}
    for x in numbers:
        counts[x] = counts.get(x, 0) + 1
    best, best_count = 0.0, 1
    for x, seen in counts.items():  # dicts keep first-appearance order
        if seen > best_count:
            best, best_count = x, seen
    return NA if best_count < 2 else best


# ----------------------------------------------------------------------------------------------------- spread
def _variance(numbers: list[float], sample: bool) -> float | ExcelError:
    n = len(numbers)
    if n < (2 if sample else 1):
        return DIV0
    total = exact_sum(numbers)
    if type(total) is ExcelError:
        return total
    mean = total / n
    squares = exact_sum([(x - mean) * (x - mean) for x in numbers])
    if type(squares) is ExcelError:
        return squares
    return check_number(squares / (n - 1 if sample else n))


def _spread(sample: bool, root: bool) -> Callable[..., Any]:
    def compute(*args: Any) -> Any:
        numbers = _numbers_or_error(args)
        if type(numbers) is ExcelError:
            return numbers
        variance = _variance(numbers, sample)
        if type(variance) is ExcelError or not root:
            return variance
        return math.sqrt(variance)

    return compute


@register("VAR", 1, MAX_ARGS, refs="all", aliases=("VAR.S",))
def var(*args: Any) -> Any:
    """Sample variance (n - 1 denominator); #DIV/0! with fewer than two numbers."""
    return _sample_variance(*args)


@register("VARP", 1, MAX_ARGS, refs="all", aliases=("VAR.P",))
def varp(*args: Any) -> Any:
    """Population variance (n denominator); #DIV/0! without numbers."""
    return _population_variance(*args)


@register("STDEV", 1, MAX_ARGS, refs="all", aliases=("STDEV.S",))
def stdev(*args: Any) -> Any:
    """Sample standard deviation; #DIV/0! with fewer than two numbers."""
    return _sample_deviation(*args)


@register("STDEVP", 1, MAX_ARGS, refs="all", aliases=("STDEV.P",))
def stdevp(*args: Any) -> Any:
    """Population standard deviation; #DIV/0! without numbers."""
    return _population_deviation(*args)


_sample_variance = _spread(sample=True, root=False)
_population_variance = _spread(sample=False, root=False)
_sample_deviation = _spread(sample=True, root=True)
_population_deviation = _spread(sample=False, root=True)
