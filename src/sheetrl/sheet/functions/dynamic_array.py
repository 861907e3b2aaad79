"""Dynamic-array functions that select, order and generate: FILTER, SORT, SORTBY, UNIQUE, SEQUENCE, RANDARRAY.

Each returns an array that the formula spills. Excel's documented rules kept here:

- FILTER keeps the rows (or columns) of ``array`` whose ``include`` entry is TRUE or a non-zero number; ``include``
  must be one column as tall as ``array`` (or one row as wide); an error in it is the result; text in it is
  #VALUE!; nothing kept gives ``if_empty`` when it is given, else #CALC!.
- SORT and SORTBY are stable; ascending order is numbers, text (without regard to case), FALSE, TRUE, errors, and
  empty cells come last in either direction. ``sort_order`` must be 1 or -1, a sort index must lie within the array
  (#VALUE! otherwise); SORTBY's ``by`` arrays must be one row or one column matching the array.
- UNIQUE compares whole rows (or columns with ``by_col``), text without regard to case; ``exactly_once`` keeps
  only the rows that occur once.
- SEQUENCE(rows, [columns], [start], [step]) fills row by row; a size of 0 (after truncation) is #CALC!, an
  empty array, and a negative one #VALUE! (what Excel shows: the files IronCalc's tests hold cache it as #VALUE!
  with a rich value of error type #CALC!, see :mod:`sheetrl.sheet.xlsx_reader`).
- RANDARRAY([rows], [columns], [min], [max], [whole_number]) is volatile; ``min > max`` is #VALUE!, as are
  fractional bounds with ``whole_number``.
"""

from __future__ import annotations

import math
import random
from typing import Any

from sheetrl.sheet.errors import CALC, VALUE, ExcelError
from sheetrl.sheet.functions import MAX_ARGS, register
from sheetrl.sheet.functions.array_tools import (
    as_array,
    blank_as_zero,
    flag,
    from_rows,
    identity_key,
    integer,
    number,
    rows_of,
    sort_rank,
    too_large,
)
from sheetrl.sheet.values import Matrix, to_bool

_rng = random.Random()


def _lines(array: Matrix, by_col: bool) -> list[list[Any]]:
    """Rows of the array, or its columns when ``by_col``."""
    rows = rows_of(array)
    if not by_col:
        return rows
    return [list(column) for column in zip(*rows)] if rows else []


def _from_lines(lines: list[list[Any]], by_col: bool) -> Matrix | ExcelError:
    if not by_col:
        return from_rows(lines)
    return from_rows([list(row) for row in zip(*lines)] if lines else [])


# ----------------------------------------------------------------------------------------------------- FILTER
@register("FILTER", 2, 3, refs="all")
def filter_(array: Any, include: Any, *if_empty: Any) -> Any:
    """The rows (or columns) of ``array`` whose ``include`` entry is true; ``if_empty`` when there are none."""
    data = as_array(array)
    if isinstance(data, ExcelError):
        return data
    mask = as_array(include)
    if isinstance(mask, ExcelError):
        return mask
    if mask.cols == 1 and mask.rows == data.rows:
        by_col = False
    elif mask.rows == 1 and mask.cols == data.cols:
        by_col = True
    else:
        return VALUE
    keep = []
    for value in mask.values:
        if isinstance(value, ExcelError):
            return value
        if type(value) is str:
            return VALUE
        keep.append(value is not None and value is not False and value != 0)
    lines = [line for line, kept in zip(_lines(data, by_col), keep) if kept]
    if not lines:
        if not if_empty:
            return CALC
        fallback = if_empty[0]
        return blank_as_zero(fallback) if type(fallback) is not Matrix else fallback
    return _from_lines(lines, by_col)


# ------------------------------------------------------------------------------------------------ SORT, SORTBY
def _direction(value: Any) -> bool | ExcelError:
    """True for ascending (1), False for descending (-1); anything else is #VALUE!."""
    order = integer(value, 1)
    if isinstance(order, ExcelError):
        return order
    if order not in (1, -1):
        return VALUE
    return order == 1


def _sorted_indexes(keys: list[list[Any]], ascending: list[bool]) -> list[int]:
    """Positions of the lines in sorted order (stable), sorting by each key column in turn."""
    order = list(range(len(keys[0]) if keys else 0))
    for key, up in reversed(list(zip(keys, ascending))):
        present = [i for i in order if key[i] is not None]
        missing = [i for i in order if key[i] is None]
        present.sort(key=lambda i: sort_rank(key[i]), reverse=not up)
        order = present + missing  # empty cells last in either direction
    return order


def _as_list(value: Any) -> list[Any]:
    if type(value) is Matrix:
        return list(value.values)
    return [value]


@register("SORT", 1, 4, refs="all")
def sort(array: Any, sort_index: Any = None, sort_order: Any = None, by_col: Any = None) -> Any:
    """The array's rows (or columns) sorted by one or more of its columns (rows)."""
    data = as_array(array)
    if isinstance(data, ExcelError):
        return data
    columns = flag(by_col)
    if isinstance(columns, ExcelError):
        return columns
    lines = _lines(data, columns)
    width = data.rows if columns else data.cols
    indexes = [integer(i, 1) for i in _as_list(sort_index)]
    orders = [_direction(o) for o in _as_list(sort_order)]
    for item in (*indexes, *orders):
        if isinstance(item, ExcelError):
            return item
    if len(orders) == 1 and len(indexes) > 1:
        orders = orders * len(indexes)
    if len(orders) != len(indexes):
        return VALUE
    if any(not 1 <= i <= width for i in indexes):  # type: ignore[operator]
        return VALUE
    keys = [[line[i - 1] for line in lines] for i in indexes]  # type: ignore[operator]
    order = _sorted_indexes(keys, orders)  # type: ignore[arg-type]
    return _from_lines([lines[i] for i in order], columns)


@register("SORTBY", 2, MAX_ARGS, refs="all")
def sortby(array: Any, *by: Any) -> Any:
    """The array's rows (or columns) sorted by the values of other arrays, each with an optional order."""
    data = as_array(array)
    if isinstance(data, ExcelError):
        return data
    keys: list[list[Any]] = []
    ascending: list[bool] = []
    by_col: bool | None = None
    for position in range(0, len(by), 2):
        key = as_array(by[position])
        if isinstance(key, ExcelError):
            return key
        if key.cols == 1 and key.rows == data.rows and by_col is not True:
            by_col = False
        elif key.rows == 1 and key.cols == data.cols and by_col is not False:
            by_col = True
        else:
            return VALUE
        direction = _direction(by[position + 1] if position + 1 < len(by) else None)
        if isinstance(direction, ExcelError):
            return direction
        keys.append(list(key.values))
        ascending.append(direction)
    lines = _lines(data, bool(by_col))
    order = _sorted_indexes(keys, ascending)
    return _from_lines([lines[i] for i in order], bool(by_col))


# ------------------------------------------------------------------------------------------------------ UNIQUE
@register("UNIQUE", 1, 3, refs=(0,))
def unique(array: Any, by_col: Any = None, exactly_once: Any = None) -> Any:
    """The distinct rows (or columns) of an array in order of first appearance, or those occurring exactly once."""
    data = as_array(array)
    if isinstance(data, ExcelError):
        return data
    columns = flag(by_col)
    once = flag(exactly_once)
    if isinstance(columns, ExcelError):
        return columns
    if isinstance(once, ExcelError):
        return once
    counts: dict[tuple, int] = {}
    first: dict[tuple, list[Any]] = {}
    for line in _lines(data, columns):
        key = tuple(identity_key(v) for v in line)
        counts[key] = counts.get(key, 0) + 1
        first.setdefault(key, line)
    kept = [line for key, line in first.items() if not once or counts[key] == 1]
    return _from_lines(kept, columns)


# ---------------------------------------------------------------------------------------- SEQUENCE, RANDARRAY
def _shape(rows: Any, cols: Any) -> tuple[int, int] | ExcelError:
    height = integer(rows, 1)
    width = integer(cols, 1)
    if isinstance(height, ExcelError):
        return height
    if isinstance(width, ExcelError):
        return width
    if height < 0 or width < 0:
        return VALUE
    if height == 0 or width == 0:  # an empty array: Excel's files record #CALC! for SEQUENCE(0,0) and SEQUENCE(0.3)
        return CALC
    error = too_large(height, width)
    return error if error is not None else (height, width)


@register("SEQUENCE", 1, 4)
def sequence(rows: Any, columns: Any = None, start: Any = None, step: Any = None) -> Any:
    """An array of evenly spaced numbers, filled row by row: start, start+step, ..."""
    shape = _shape(rows, columns)
    if isinstance(shape, ExcelError):
        return shape
    first = number(start, 1.0)
    increment = number(step, 1.0)
    if isinstance(first, ExcelError):
        return first
    if isinstance(increment, ExcelError):
        return increment
    height, width = shape
    values = [first + increment * i for i in range(height * width)]
    if not all(math.isfinite(v) for v in (values[0], values[-1])):
        return VALUE
    return Matrix(height, width, values)


@register("RANDARRAY", 0, 5, volatile=True)
def randarray(
    rows: Any = None, columns: Any = None, minimum: Any = None, maximum: Any = None, whole_number: Any = None
) -> Any:
    """An array of random numbers between ``minimum`` and ``maximum`` (0 and 1 by default)."""
    shape = _shape(rows, columns)
    if isinstance(shape, ExcelError):
        return shape
    low = number(minimum, 0.0)
    high = number(maximum, 1.0)
    whole = to_bool(whole_number) if whole_number is not None else False
    for item in (low, high, whole):
        if isinstance(item, ExcelError):
            return item
    if low > high:  # type: ignore[operator]
        return VALUE
    height, width = shape
    count = height * width
    if whole:
        if low != int(low) or high != int(high):  # type: ignore[arg-type]
            return VALUE
        values = [float(_rng.randint(int(low), int(high))) for _ in range(count)]
    else:
        span = high - low  # type: ignore[operator]
        values = [low + span * _rng.random() for _ in range(count)]  # type: ignore[operator]
    return Matrix(height, width, values)
