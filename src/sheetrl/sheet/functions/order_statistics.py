"""Order statistics: ranks, k-th values, percentiles, quartiles, modes, trimmed means and frequency counts.

RANK (RANK.EQ), RANK.AVG, LARGE, SMALL, PERCENTILE (.INC, .EXC), QUARTILE (.INC, .EXC), PERCENTRANK (.INC, .EXC),
MODE (MODE.SNGL), MODE.MULT, TRIMMEAN and FREQUENCY. The data arguments follow the range rules of
:mod:`.statistical` (only numbers count). The .INC percentiles interpolate at position (n - 1) p of the sorted data,
the .EXC ones at (n + 1) p, which must fall within the data. MODE.MULT and FREQUENCY return a column of values.
"""

from __future__ import annotations

import bisect
import math
from typing import Any

from sheetrl.sheet.errors import NA, NUM, VALUE, ExcelError
from sheetrl.sheet.functions import MAX_ARGS, register
from sheetrl.sheet.functions.statistical import exact_sum, numbers_of, range_numbers
from sheetrl.sheet.values import Matrix, check_number, to_number


def approx_floor(value: float) -> float:
    """Floor after rounding to 15 significant digits, so 0.6 * 1000 (599.9999999999999) floors to 600."""
    return float(math.floor(float(f"{value:.15g}")))


# ================================================================================================ ranks
def _rank_inputs(number: Any, ref: Any, order: Any) -> tuple[float, list[float], bool] | ExcelError:
    value = to_number(number)
    if isinstance(value, ExcelError):
        return value
    ascending = to_number(order)
    if isinstance(ascending, ExcelError):
        return ascending
    numbers = range_numbers(ref)
    if isinstance(numbers, ExcelError):
        return numbers
    if value not in numbers:
        return NA
    return value, numbers, ascending != 0


@register("RANK", 2, 3, refs=(1,), aliases=("RANK.EQ",))
def rank(number: Any, ref: Any, order: Any = 0.0) -> Any:
    """Rank of ``number`` among the numbers of ``ref`` (order 0: descending, default); ties share the best rank;
    #N/A if absent."""
    inputs = _rank_inputs(number, ref, order)
    if isinstance(inputs, ExcelError):
        return inputs
    value, numbers, ascending = inputs
    if ascending:
        return float(1 + sum(1 for x in numbers if x < value))
    return float(1 + sum(1 for x in numbers if x > value))


@register("RANK.AVG", 2, 3, refs=(1,))
def rank_avg(number: Any, ref: Any, order: Any = 0.0) -> Any:
    """Rank of ``number`` among the numbers of ``ref``; ties get the average of the ranks they span."""
    inputs = _rank_inputs(number, ref, order)
    if isinstance(inputs, ExcelError):
        return inputs
    value, numbers, ascending = inputs
    before = sum(1 for x in numbers if (x < value if ascending else x > value))
    ties = sum(1 for x in numbers if x == value)
    return before + (ties + 1) / 2.0


def _kth(data: Any, k: Any, largest: bool) -> Any:
    numbers = range_numbers(data)
    if isinstance(numbers, ExcelError):
        return numbers
    position = to_number(k)
    if isinstance(position, ExcelError):
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


# ================================================================================================ percentiles
def _sorted_data_and_fraction(data: Any, fraction: Any) -> tuple[list[float], float] | ExcelError:
    numbers = range_numbers(data)
    if isinstance(numbers, ExcelError):
        return numbers
    p = to_number(fraction)
    if isinstance(p, ExcelError):
        return p
    if not numbers:
        return NUM
    return sorted(numbers), p


def _interpolate(ordered: list[float], position: float) -> float:
    """Value at a 0-based fractional position of sorted data."""
    index = math.floor(position)
    weight = position - index
    if weight == 0 or index + 1 >= len(ordered):
        return ordered[index]
    return ordered[index] + weight * (ordered[index + 1] - ordered[index])


def percentile_inclusive(ordered: list[float], p: float) -> float | ExcelError:
    if not 0 <= p <= 1:
        return NUM
    return _interpolate(ordered, (len(ordered) - 1) * p)


def percentile_exclusive(ordered: list[float], p: float) -> float | ExcelError:
    rank_position = (len(ordered) + 1) * p
    if not 0 < p < 1 or rank_position < 1 or rank_position > len(ordered):
        return NUM
    return _interpolate(ordered, rank_position - 1)


@register("PERCENTILE.INC", 2, refs=(0,), aliases=("PERCENTILE",))
def percentile_inc(data: Any, k: Any) -> Any:
    """k-th percentile (0 <= k <= 1) of the data, interpolating at position (n - 1) k."""
    inputs = _sorted_data_and_fraction(data, k)
    return inputs if isinstance(inputs, ExcelError) else percentile_inclusive(*inputs)


@register("PERCENTILE.EXC", 2, refs=(0,))
def percentile_exc(data: Any, k: Any) -> Any:
    """k-th percentile (0 < k < 1) of the data, interpolating at rank (n + 1) k, which must lie in 1..n."""
    inputs = _sorted_data_and_fraction(data, k)
    return inputs if isinstance(inputs, ExcelError) else percentile_exclusive(*inputs)


@register("QUARTILE.INC", 2, refs=(0,), aliases=("QUARTILE",))
def quartile_inc(data: Any, quart: Any) -> Any:
    """Quartile 0 (minimum) to 4 (maximum) of the data (quart truncated after checking it is within 0..4, so -0.1
    is #NUM! as in Excel); PERCENTILE.INC at quart / 4."""
    inputs = _sorted_data_and_fraction(data, quart)
    if isinstance(inputs, ExcelError):
        return inputs
    ordered, q = inputs
    if not 0 <= q <= 4:
        return NUM
    q = math.trunc(q)
    return percentile_inclusive(ordered, q / 4)


@register("QUARTILE.EXC", 2, refs=(0,))
def quartile_exc(data: Any, quart: Any) -> Any:
    """Quartile 1 to 3 of the data (quart truncated); PERCENTILE.EXC at quart / 4."""
    inputs = _sorted_data_and_fraction(data, quart)
    if isinstance(inputs, ExcelError):
        return inputs
    ordered, q = inputs
    q = math.trunc(q)
    if not 1 <= q <= 3:
        return NUM
    return percentile_exclusive(ordered, q / 4)


def _percent_rank(data: Any, x: Any, significance: Any, exclusive: bool) -> Any:
    numbers = range_numbers(data)
    if isinstance(numbers, ExcelError):
        return numbers
    value = to_number(x)
    if isinstance(value, ExcelError):
        return value
    digits = 3.0 if significance is None else to_number(significance)
    if isinstance(digits, ExcelError):
        return digits
    digits = math.trunc(digits)
    if digits < 1 or not numbers:
        return NUM
    ordered = sorted(numbers)
    n = len(ordered)
    if value < ordered[0] or value > ordered[-1]:
        return NA

    def rank_of(position: int) -> float:
        """Percent rank of the element at a 0-based position of the sorted data."""
        if exclusive:
            return (position + 1) / (n + 1)
        return 1.0 if n == 1 else position / (n - 1)

    below = bisect.bisect_left(ordered, value)
    if ordered[below] == value:
        result = rank_of(below)
    else:  # between ordered[below - 1] and ordered[below]
        low, high = ordered[below - 1], ordered[below]
        result = rank_of(below - 1) + (value - low) / (high - low) * (rank_of(below) - rank_of(below - 1))
    scale = 10.0 ** min(digits, 15)  # beyond 15 digits truncation changes nothing
    return approx_floor(result * scale) / scale


@register("PERCENTRANK.INC", 2, 3, refs=(0,), aliases=("PERCENTRANK",))
def percentrank_inc(data: Any, x: Any, significance: Any = None) -> Any:
    """Rank of x in the data as a fraction 0..1 (interpolated between data points), truncated to ``significance``
    digits (default 3); #N/A when x is outside the data."""
    return _percent_rank(data, x, significance, exclusive=False)


@register("PERCENTRANK.EXC", 2, 3, refs=(0,))
def percentrank_exc(data: Any, x: Any, significance: Any = None) -> Any:
    """Rank of x in the data as a fraction strictly between 0 and 1: (position + 1) / (n + 1), interpolated."""
    return _percent_rank(data, x, significance, exclusive=True)


# ================================================================================================ modes
def _modes(args: tuple[Any, ...]) -> list[float] | ExcelError:
    """Most frequent numbers in order of first appearance; #N/A when no number repeats.

    Unlike SUM, MODE does not read text typed as an argument: MODE("1", 1, 2) is #VALUE! (an empty text "" is
    skipped), as Excel caches it in real workbooks.
    """
    for arg in args:
        if isinstance(arg, ExcelError):
            return arg
        if type(arg) is str and arg:
            return VALUE
    numbers = numbers_of(tuple(arg for arg in args if not (type(arg) is str and arg == "")))
    if isinstance(numbers, ExcelError):
        return numbers
    counts: dict[float, int] = {}
    for x in numbers:
        counts[x] = counts.get(x, 0) + 1
    best = max(counts.values(), default=0)
    if best < 2:
        return NA
    return [x for x, seen in counts.items() if seen == best]  # dicts keep first-appearance order


@register("MODE", 1, MAX_ARGS, refs="all", aliases=("MODE.SNGL",), propagate_errors=False)
def mode(*args: Any) -> Any:
    """Most frequent number; among equally frequent ones the first to appear; #N/A when none repeats."""
    modes = _modes(args)
    return modes if isinstance(modes, ExcelError) else modes[0]


@register("MODE.MULT", 1, MAX_ARGS, refs="all", propagate_errors=False)
def mode_mult(*args: Any) -> Any:
    """Every most frequent number, as a column in order of first appearance; #N/A when none repeats."""
    modes = _modes(args)
    return modes if isinstance(modes, ExcelError) else Matrix(len(modes), 1, list(modes))


# ================================================================================================ trimmed mean, bins
@register("TRIMMEAN", 2, refs=(0,))
def trimmean(data: Any, percent: Any) -> Any:
    """Mean of the data without the fraction ``percent`` of points, half from each end (the count excluded is
    rounded down to an even number); #NUM! unless 0 <= percent < 1."""
    numbers = range_numbers(data)
    if isinstance(numbers, ExcelError):
        return numbers
    fraction = to_number(percent)
    if isinstance(fraction, ExcelError):
        return fraction
    if not 0 <= fraction < 1 or not numbers:
        return NUM
    cut = math.floor(len(numbers) * fraction / 2)
    kept = sorted(numbers)[cut : len(numbers) - cut]
    total = exact_sum(kept)
    return total if isinstance(total, ExcelError) else check_number(total / len(kept))


@register("FREQUENCY", 2, refs=(0, 1))
def frequency(data: Any, bins: Any) -> Any:
    """How many data values fall in each bin, as a column: values <= the first bin, then each interval up to the
    next bin, then values above the largest bin (one more row than bins)."""
    numbers = range_numbers(data)
    if isinstance(numbers, ExcelError):
        return numbers
    edges = range_numbers(bins)
    if isinstance(edges, ExcelError):
        return edges
    ordered_edges = sorted(set(edges))
    counts = [0] * (len(ordered_edges) + 1)
    for value in numbers:
        counts[bisect.bisect_left(ordered_edges, value)] += 1
    result: list[Any] = []
    used: set[float] = set()
    for edge in edges:  # in the order the bins were given; a repeated bin counts nothing the second time
        result.append(0.0 if edge in used else float(counts[bisect.bisect_left(ordered_edges, edge)]))
        used.add(edge)
    result.append(float(counts[-1]))
    return Matrix(len(result), 1, result)
