"""Lookup functions: VLOOKUP, HLOOKUP, XLOOKUP, MATCH, INDEX, CHOOSE.

Matching follows Excel: values only match values of the same type (numbers, text, booleans; ``"3"`` never finds the
number 3), text compares case-insensitively, empty cells and errors in the searched range never match. Exact
VLOOKUP/HLOOKUP/MATCH accept wildcards in text (``*``, ``?``, ``~``); XLOOKUP only with match_mode 2. Approximate
matches are binary searches over the values of the lookup value's type: in data sorted ascending they find the
largest value <= the lookup value (the last of equal ones).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from typing import Any

from sheetrl.sheet.errors import NA, REF, VALUE, ExcelError
from sheetrl.sheet.functions import MAX_ARGS, register
from sheetrl.sheet.functions.criteria import has_wildcards, wildcard_regex
from sheetrl.sheet.values import Matrix, scalar_of, to_bool, to_number

_OMITTED: Any = object()  # marks an optional argument that was not written at all


def _kind(value: Any) -> int | None:
    """Comparable type class of a value: 0 number, 1 text, 2 boolean, None for empty cells and errors."""
    t = type(value)
    if t is float or t is int:
        return 0
    if t is str:
        return 1
    if t is bool:
        return 2
    return None


def _key(value: Any) -> Any:
    return value.lower() if type(value) is str else value


def _as_matrix(value: Any) -> Matrix:
    return value if type(value) is Matrix else Matrix(1, 1, [value])


def _index_arg(value: Any) -> int | ExcelError:
    """A row/column/position argument: a number truncated toward zero."""
    number = to_number(value)
    if type(number) is ExcelError:
        return number
    return int(math.trunc(number)) if math.isfinite(number) else 2**62


# ---------------------------------------------------------------------------------------------- searching
def find_exact(values: list[Any], lookup: Any, wildcards: bool, reverse: bool = False) -> int | None:
    """Position of the first value equal to ``lookup`` (last if ``reverse``); wildcards apply to text lookups."""
    if type(lookup) is float and not reverse:  # numbers: a plain typed scan, the common case
        for i, v in enumerate(values):
            if type(v) is float and v == lookup:
                return i
        return None
    kind = _kind(lookup)
    if kind is None:
        return None
    order = range(len(values) - 1, -1, -1) if reverse else range(len(values))
    if kind == 1 and wildcards and has_wildcards(lookup):
        regex = wildcard_regex(lookup)
        for i in order:
            v = values[i]
            if type(v) is str and regex.fullmatch(v) is not None:
                return i
        return None
    key = _key(lookup)
    for i in order:
        v = values[i]
        if _kind(v) == kind and _key(v) == key:
            return i
    return None


def _sorted_candidates(values: list[Any], lookup: Any, descending: bool) -> tuple[list[Any], list[int]]:
    """Keys and positions of the values of the lookup's type, in search order (ascending keys if sorted)."""
    kind = _kind(lookup)
    positions = [i for i, v in enumerate(values) if _kind(v) == kind]
    if descending:
        positions.reverse()
    return [_key(values[i]) for i in positions], positions


def find_sorted(values: list[Any], lookup: Any, mode: int, descending: bool = False) -> int | None:
    """Binary search in sorted data: mode 0 exact, -1 exact or next smaller, 1 exact or next larger.

    ``descending`` data is searched as if reversed. Values of other types than ``lookup`` are skipped.
    """
    if _kind(lookup) is None:
        return None
    keys, positions = _sorted_candidates(values, lookup, descending)
    key = _key(lookup)
    if mode == 1:
        j = bisect_left(keys, key)
        return positions[j] if j < len(keys) else None
    j = bisect_right(keys, key) - 1
    if j < 0:
        return None
    if mode == 0 and keys[j] != key:
        return None
    return positions[j]


def find_nearest(values: list[Any], lookup: Any, mode: int, reverse: bool = False) -> int | None:
    """Linear search: the exact match, else the largest smaller (mode -1) or smallest larger (mode 1) value."""
    kind = _kind(lookup)
    if kind is None:
        return None
    key = _key(lookup)
    best: int | None = None
    best_key: Any = None
    order = range(len(values) - 1, -1, -1) if reverse else range(len(values))
    for i in order:
        v = values[i]
        if _kind(v) != kind:
            continue
        k = _key(v)
        if k == key:
            return i
        if mode < 0 and k < key and (best is None or k > best_key):
            best, best_key = i, k
        elif mode > 0 and k > key and (best is None or k < best_key):
            best, best_key = i, k
    return best


# ------------------------------------------------------------------------------------------ VLOOKUP/HLOOKUP
def _table_lookup(lookup: Any, table: Any, index: Any, approximate: Any, vertical: bool) -> Any:
    lookup = scalar_of(lookup)
    if type(lookup) is ExcelError:
        return lookup
    grid = _as_matrix(table)
    position = _index_arg(index)
    if type(position) is ExcelError:
        return position
    if approximate is _OMITTED:
        sorted_match: Any = True
    else:
        sorted_match = to_bool(approximate)  # an empty argument (VLOOKUP(x,t,2,)) is FALSE
        if type(sorted_match) is ExcelError:
            return sorted_match
    if position < 1:
        return VALUE
    if position > (grid.cols if vertical else grid.rows):
        return REF
    keys = grid.column(0) if vertical else grid.row(0)
    if sorted_match:
        found = find_sorted(keys, lookup, -1)
    else:
        found = find_exact(keys, lookup, wildcards=True)
    if found is None:
        return NA
    return grid.at(found, position - 1) if vertical else grid.at(position - 1, found)


@register("VLOOKUP", 3, 4, refs=(1,))
def vlookup(lookup: Any, table: Any, col_index: Any, approximate: Any = _OMITTED) -> Any:
    """Value in column ``col_index`` of the row whose first cell matches (sorted approximate match by default)."""
    return _table_lookup(lookup, table, col_index, approximate, vertical=True)


@register("HLOOKUP", 3, 4, refs=(1,))
def hlookup(lookup: Any, table: Any, row_index: Any, approximate: Any = _OMITTED) -> Any:
    """Value in row ``row_index`` of the column whose first cell matches (sorted approximate match by default)."""
    return _table_lookup(lookup, table, row_index, approximate, vertical=False)


# ------------------------------------------------------------------------------------------------------ MATCH
@register("MATCH", 2, 3, refs=(1,))
def match(lookup: Any, area: Any, match_type: Any = 1.0) -> Any:
    """1-based position of ``lookup`` in a row or column (type 1 ascending, 0 exact, -1 descending)."""
    # 1: largest value <= lookup in ascending data; 0: first equal value, wildcards allowed; -1: smallest
    # value >= lookup in descending data.
    lookup = scalar_of(lookup)
    if type(lookup) is ExcelError:
        return lookup
    grid = _as_matrix(area)
    if grid.rows != 1 and grid.cols != 1:
        return NA
    kind = to_number(match_type)
    if type(kind) is ExcelError:
        return kind
    values = grid.values
    if kind == 0:
        found = find_exact(values, lookup, wildcards=True)
    elif kind > 0:
        found = find_sorted(values, lookup, -1)
    else:
        found = find_sorted(values, lookup, 1, descending=True)
    return NA if found is None else float(found + 1)


# ---------------------------------------------------------------------------------------------------- XLOOKUP
def _slice(grid: Matrix, index: int, row: bool) -> Any:
    """One row (or column) of a matrix: the single value when it has one, else a Matrix keeping the origin."""
    values = grid.row(index) if row else grid.column(index)
    if len(values) == 1:
        return values[0]
    origin = grid.origin
    if origin is not None:
        origin = (origin[0], origin[1] + index, origin[2]) if row else (origin[0], origin[1], origin[2] + index)
    if row:
        return Matrix(1, grid.cols, values, grid.is_reference, origin)
    return Matrix(grid.rows, 1, values, grid.is_reference, origin)


@register("XLOOKUP", 3, 6, refs=(1, 2, 3))
def xlookup(
    lookup: Any,
    lookup_array: Any,
    return_array: Any,
    if_not_found: Any = None,
    match_mode: Any = 0.0,
    search_mode: Any = 1.0,
) -> Any:
    """The entry (value, or row/column of a 2-D array) of ``return_array`` where ``lookup_array`` matches."""
    # match_mode: 0 exact, -1 exact or next smaller, 1 exact or next larger, 2 wildcard. search_mode: 1 first to
    # last, -1 last to first, 2 binary search in ascending data, -2 binary search in descending data.
    lookup = scalar_of(lookup)
    if type(lookup) is ExcelError:
        return lookup
    keys_grid = _as_matrix(lookup_array)
    results = _as_matrix(return_array)
    if keys_grid.cols == 1 and results.rows == keys_grid.rows:
        by_row = True
    elif keys_grid.rows == 1 and results.cols == keys_grid.cols:
        by_row = False
    else:
        return VALUE
    mode = _index_arg(match_mode)
    if type(mode) is ExcelError:
        return mode
    search = _index_arg(search_mode)
    if type(search) is ExcelError:
        return search
    if mode not in (-1, 0, 1, 2) or search not in (-2, -1, 1, 2):
        return VALUE
    values = keys_grid.values
    if search in (2, -2):
        found = find_sorted(values, lookup, 0 if mode == 2 else mode, descending=search == -2)
    elif mode in (0, 2):
        found = find_exact(values, lookup, wildcards=mode == 2, reverse=search == -1)
    else:
        found = find_nearest(values, lookup, mode, reverse=search == -1)
    if found is None:
        if if_not_found is None:
            return NA
        if type(if_not_found) is Matrix and len(if_not_found.values) == 1:
            return if_not_found.values[0]
        return if_not_found
    return _slice(results, found, by_row)


# ------------------------------------------------------------------------------------------------------ INDEX
@register("INDEX", 2, 4, refs=(0,))
def index(area: Any, row_num: Any, col_num: Any = _OMITTED, area_num: Any = 1.0) -> Any:
    """Value at (row, column) of a range; a row or column of 0 gives the whole column or row (as an array)."""
    grid = _as_matrix(area)
    which = _index_arg(area_num)
    if type(which) is ExcelError:
        return which
    if which != 1:
        return REF
    row = _index_arg(row_num)
    if type(row) is ExcelError:
        return row
    if col_num is _OMITTED:
        if grid.rows == 1 and grid.cols > 1:
            row, col = 1, row  # one row: the only index is the column
        else:
            col = 1 if grid.cols == 1 else 0
    else:
        col = _index_arg(col_num)
        if type(col) is ExcelError:
            return col
    if row < 0 or col < 0:
        return VALUE
    if row > grid.rows or col > grid.cols:
        return REF
    if row and col:
        return grid.at(row - 1, col - 1)
    if row:
        return _slice(grid, row - 1, row=True)
    if col:
        return _slice(grid, col - 1, row=False)
    return grid


# ----------------------------------------------------------------------------------------------------- CHOOSE
@register("CHOOSE", 2, MAX_ARGS, refs=range(1, MAX_ARGS), lazy=True)
def choose(index_arg: Callable[[], Any], *choices: Callable[[], Any]) -> Any:
    """The index-th of the following arguments (index truncated); only that argument is evaluated."""
    chosen = scalar_of(index_arg())
    if type(chosen) is ExcelError:
        return chosen
    position = _index_arg(chosen)
    if type(position) is ExcelError:
        return position
    if position < 1 or position > len(choices):
        return VALUE
    value = choices[position - 1]()
    if type(value) is Matrix and len(value.values) == 1 and value.is_reference:
        return value.values[0]
    return value
