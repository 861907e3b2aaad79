"""Statistical functions: averages, extremes, counts and conditional aggregates (the *IF/*IFS family).

Value rules shared by the statistics modules: from ranges and arrays only numbers count (text, logicals and empty
cells are skipped); arguments typed directly count numbers, logicals and numeric text, and other text is #VALUE!;
an error value anywhere is the result. The "A" variants (AVERAGEA, MINA, STDEVA ...) also count text in ranges as 0
and logicals as 1 or 0. Order statistics are in :mod:`.order_statistics`, spread and shape in :mod:`.descriptive`,
distributions in :mod:`.distributions`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from sheetrl.sheet.errors import DIV0, NUM, VALUE, ExcelError
from sheetrl.sheet.functions import MAX_ARGS, register
from sheetrl.sheet.functions.criteria import ifs_selection, indexed_positions, indexed_total, make_criterion, match_mask
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


def numbers_of(args: tuple[Any, ...]) -> list[float] | ExcelError:
    """The numbers of the arguments under the rules above (floats), or the first error."""
    numbers = collect_numbers(args)
    if not isinstance(numbers, list):
        return numbers
    return [float(x) for x in numbers]


def range_numbers(data: Any) -> list[float] | ExcelError:
    """Numbers of one range or array argument (a scalar is one number, numeric text included)."""
    if type(data) is not Matrix:
        number = to_number(data)
        return number if isinstance(number, ExcelError) else [number]
    return numbers_of((data,))


def numbers_with_text_and_logicals(args: tuple[Any, ...]) -> list[float] | ExcelError:
    """Values for the "A" functions: in ranges text counts 0 and logicals 1/0 (empty cells are skipped); direct
    arguments as :func:`numbers_of`."""
    numbers: list[float] = []
    for arg in args:
        if type(arg) is Matrix:
            for value in arg.values:
                t = type(value)
                if t is float or t is int:
                    numbers.append(float(value))
                elif t is bool:
                    numbers.append(1.0 if value else 0.0)
                elif t is str:
                    numbers.append(0.0)
                elif t is ExcelError:
                    return value
        elif arg is not None:
            number = to_number(arg)
            if isinstance(number, ExcelError):
                return number
            numbers.append(number)
    return numbers


# --------------------------------------------------------------------------------------------------- averages
def _mean(numbers: list[float]) -> Any:
    if not numbers:
        return DIV0
    try:
        mean = math.fsum(numbers) / len(numbers)  # a sum beyond the float range stays infinite: #NUM! below
    except (OverflowError, ValueError):
        return NUM
    return mean if -1.8e308 < mean < 1.8e308 else NUM  # (also not NaN)


def _smallest(numbers: list[float]) -> float:
    return min(numbers) if numbers else 0.0


def _largest(numbers: list[float]) -> float:
    return max(numbers) if numbers else 0.0


def _of_numbers(args: tuple[Any, ...], reduce: Callable[[list[float]], Any]) -> Any:
    """``reduce`` of the arguments' numbers (range rules as SUM), or the first error among them."""
    numbers = numbers_of(args)
    if isinstance(numbers, ExcelError):
        return numbers
    return reduce(numbers)


@register("AVERAGE", 1, MAX_ARGS, refs="all", on_numbers=_mean)
def average(*args: Any) -> Any:
    """Arithmetic mean of the numbers (range rules as SUM); #DIV/0! when there are none."""
    return _of_numbers(args, _mean)


@register("MIN", 1, MAX_ARGS, refs="all", on_numbers=_smallest)
def min_(*args: Any) -> Any:
    """Smallest number (range rules as SUM); 0 when there are none."""
    return _of_numbers(args, _smallest)


@register("MAX", 1, MAX_ARGS, refs="all", on_numbers=_largest)
def max_(*args: Any) -> Any:
    """Largest number (range rules as SUM); 0 when there are none."""
    return _of_numbers(args, _largest)


@register("AVERAGEA", 1, MAX_ARGS, refs="all")
def averagea(*args: Any) -> Any:
    """Mean counting text in ranges as 0 and logicals as 1/0; #DIV/0! when there are no values."""
    numbers = numbers_with_text_and_logicals(args)
    if isinstance(numbers, ExcelError):
        return numbers
    if not numbers:
        return DIV0
    total = exact_sum(numbers)
    return total if isinstance(total, ExcelError) else check_number(total / len(numbers))


@register("MINA", 1, MAX_ARGS, refs="all")
def mina(*args: Any) -> Any:
    """Smallest value counting text in ranges as 0 and logicals as 1/0; 0 when there are none."""
    numbers = numbers_with_text_and_logicals(args)
    if isinstance(numbers, ExcelError):
        return numbers
    return min(numbers) if numbers else 0.0


@register("MAXA", 1, MAX_ARGS, refs="all")
def maxa(*args: Any) -> Any:
    """Largest value counting text in ranges as 0 and logicals as 1/0; 0 when there are none."""
    numbers = numbers_with_text_and_logicals(args)
    if isinstance(numbers, ExcelError):
        return numbers
    return max(numbers) if numbers else 0.0


@register("MEDIAN", 1, MAX_ARGS, refs="all")
def median(*args: Any) -> Any:
    """Middle number (mean of the two middle ones for an even count); #NUM! when there are none."""
    numbers = numbers_of(args)
    if isinstance(numbers, ExcelError):
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
        else:
            reads_as_number = type(arg) is not ExcelError and type(to_number(arg)) is not ExcelError
            if arg is None or type(arg) is bool or reads_as_number:
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
    """How many cells of a range are empty or hold empty text (a whole column counts all its empty cells)."""
    if type(area) is not Matrix:
        return VALUE
    return float(sum(1 for v in area.values if v is None or v == "") + area.omitted_blanks)


# The *IF(S) functions do not propagate an error criterion: COUNTIF(A1:A9, #N/A) counts the #N/A cells.
@register("COUNTIF", 2, refs=(0,), propagate_errors=False)
def countif(area: Any, criterion: Any) -> Any:
    """How many cells of a range meet the criterion (errors in the range are not counted, not returned; a whole
    column's empty cells count when the criterion matches empty cells). An error in place of the range, as in
    COUNTIF(#REF!, 1), is the result."""
    if type(area) is not Matrix:
        return area if isinstance(area, ExcelError) else VALUE
    positions = indexed_positions((area, criterion))
    if positions is not None:  # an equality criterion, which no empty cell meets
        return float(len(positions))
    test = make_criterion(criterion)
    matched = sum(1 for v in area.values if test(v))
    return float(matched + (area.omitted_blanks if test(None) else 0))


@register("COUNTIFS", 2, MAX_ARGS, refs=range(0, MAX_ARGS, 2), propagate_errors=False)
def countifs(*pairs: Any) -> Any:
    """How many positions meet every (range, criterion) pair; the ranges must have the same shape."""
    positions = indexed_positions(pairs)
    if positions is not None:  # one criterion is an equality, which no empty cell meets
        return float(len(positions))
    matched = match_mask(pairs)
    if isinstance(matched, ExcelError):
        return matched
    # Positions beyond the used extent of whole columns are empty in every range.
    beyond = pairs[0].omitted_blanks
    if beyond and all(make_criterion(pairs[i])(None) for i in range(1, len(pairs), 2)):
        return float(sum(matched[2]) + beyond)
    return float(sum(matched[2]))


def _mean_of_matching(values: Sequence[Any], mask: Sequence[bool]) -> Any:
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


@register("AVERAGEIF", 2, 3, refs=(0, 2), resize_like=((2, 0),), propagate_errors=False)
def averageif(area: Any, criterion: Any, average_range: Any = None) -> Any:
    """Mean of the numbers in ``average_range`` (default ``area``) where ``area`` meets the criterion."""
    target = conditional_target(area, average_range)
    if isinstance(target, ExcelError):
        return target
    mean = indexed_total("AVERAGEIF", area, criterion, target, _mean_of_matching)
    if mean is not None:
        return mean
    test = make_criterion(criterion)
    return _mean_of_matching(target.values, [test(v) for v in area.values])


@register("AVERAGEIFS", 3, MAX_ARGS, refs=_IFS_RANGE_POSITIONS, propagate_errors=False)
def averageifs(average_range: Any, *pairs: Any) -> Any:
    """Mean of the numbers in ``average_range`` where every criteria range meets its criterion."""
    if type(average_range) is not Matrix:
        return average_range if isinstance(average_range, ExcelError) else VALUE
    selection = ifs_selection(average_range, pairs)
    if isinstance(selection, ExcelError):
        return selection
    return _mean_of_matching(*selection)


def _extreme_of_matching(values: Any, pairs: tuple[Any, ...], pick: Any) -> Any:
    if type(values) is not Matrix:
        return values if isinstance(values, ExcelError) else VALUE
    selection = ifs_selection(values, pairs)
    if isinstance(selection, ExcelError):
        return selection
    candidates, mask = selection
    numbers: list[float] = []
    for value, selected in zip(candidates, mask, strict=True):
        if selected:
            t = type(value)
            if t is float or t is int:
                numbers.append(float(value))
            elif t is ExcelError:
                return value
    return pick(numbers) if numbers else 0.0


@register("MINIFS", 3, MAX_ARGS, refs=_IFS_RANGE_POSITIONS, propagate_errors=False)
def minifs(min_range: Any, *pairs: Any) -> Any:
    """Smallest number in ``min_range`` where every criteria range meets its criterion; 0 when none does."""
    return _extreme_of_matching(min_range, pairs, min)


@register("MAXIFS", 3, MAX_ARGS, refs=_IFS_RANGE_POSITIONS, propagate_errors=False)
def maxifs(max_range: Any, *pairs: Any) -> Any:
    """Largest number in ``max_range`` where every criteria range meets its criterion; 0 when none does."""
    return _extreme_of_matching(max_range, pairs, max)
