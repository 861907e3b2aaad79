"""Lookup functions: VLOOKUP, HLOOKUP, LOOKUP, MATCH, XLOOKUP, XMATCH.

Matching follows Excel: values only match values of the same type (numbers, text, booleans; ``"3"`` never finds the
number 3), text compares case-insensitively, empty cells and errors in the searched range never match. Exact
VLOOKUP/HLOOKUP/MATCH accept wildcards in text (``*``, ``?``, ``~``); XLOOKUP and XMATCH only with match_mode 2 (and
regular expressions with match_mode 3).

Approximate matches reproduce Excel's searches, so that data that is *not* sorted gives the answers Excel gives
(they match the values Excel cached in real workbooks with unsorted keys):

- VLOOKUP/HLOOKUP/LOOKUP/MATCH with sorted data (:func:`binary_search`): the search halves the range, steps over
  values of another type to the next comparable one, and on an equal value moves on to the last of a run of equal
  values. In sorted data this is the largest value <= the lookup value (the last of equal ones). An empty lookup
  value is looked up as 0.
- MATCH with match_type -1 (:func:`descending_scan`): a scan from the first value that stops at an equal value or
  at the first value below the lookup value (``MATCH(2,{0,1,2,3,4},-1)`` is #N/A in Excel).
- XLOOKUP/XMATCH next-smaller/next-larger matches (:func:`find_nearest`) and binary search modes
  (:func:`ordered_search`) compare values of every type in Excel's sort order (numbers < text < logicals < empty);
  the binary search is a classic halving that stops at an equal value. An empty lookup value finds an empty cell in
  exact mode and sorts after everything otherwise.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sheetrl.sheet.errors import NA, REF, VALUE, ExcelError
from sheetrl.sheet.evaluation import Reference, area_matrix, current_context
from sheetrl.sheet.functions import register
from sheetrl.sheet.functions.arguments import OMITTED
from sheetrl.sheet.functions.criteria import has_wildcards, wildcard_regex
from sheetrl.sheet.functions.plan_index import built_index, note_scan, plan_memo
from sheetrl.sheet.values import Matrix, scalar_of, to_bool, to_number


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


def index_argument(value: Any) -> int | ExcelError:
    """A row/column/position argument: a number truncated toward zero."""
    number = to_number(value)
    if isinstance(number, ExcelError):
        return number
    return math.trunc(number) if math.isfinite(number) else 2**62


# ---------------------------------------------------------------------------------------------- searching
_FIRST_CHUNK = 64  # a lazy view is searched in chunks read as lists, 64 values first, each chunk 4 times the last


def find_exact(
    values: Sequence[Any], lookup: Any, wildcards: bool, reverse: bool = False, fold: bool = False
) -> int | None:
    """Position of the first value equal to ``lookup`` (last if ``reverse``); wildcards apply to text lookups.
    ``fold`` compares text by Unicode case folding (XLOOKUP/XMATCH: "ß" equals "ss"; MATCH: it does not).

    A lazy view of a reference's cells (``Matrix.column_view``) is read in growing chunks from the end the search
    starts at, so a value found near it costs the cells before it, not the whole column.
    """
    if type(values) is list or type(values) is tuple:
        return _find_in(values, lookup, wildcards, reverse, fold)
    size = len(values)
    done, chunk = 0, _FIRST_CHUNK
    while done < size:
        end = min(size, done + chunk)
        start, stop = (size - end, size - done) if reverse else (done, end)
        part = values[start:stop]
        found = _find_in(part if type(part) is list else list(part), lookup, wildcards, reverse, fold)
        if found is not None:
            return start + found
        done, chunk = end, chunk * 4
    return None


def _find_in(values: Sequence[Any], lookup: Any, wildcards: bool, reverse: bool, fold: bool) -> int | None:
    if type(lookup) is float and not reverse:  # numbers: a plain typed scan, the common case
        if type(values) is list:
            start = 0
            while True:  # list.index compares at C speed; it also finds TRUE for 1 and FALSE for 0: skip those
                try:
                    i = values.index(lookup, start)
                except ValueError:
                    return None
                if type(values[i]) is float:
                    return i
                start = i + 1
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
    if fold and kind == 1:
        folded = lookup.casefold()
        for i in order:
            v = values[i]
            if type(v) is str and v.casefold() == folded:
                return i
        return None
    key = _key(lookup)
    for i in order:
        v = values[i]
        if _kind(v) == kind and _key(v) == key:
            return i
    return None


SHARED_LOOKUP_INDEX = True  # exact lookups into one range share an index within a recalculation (off: for tests)
_NOT_INDEXED: Any = object()


def indexed_exact(grid: Matrix, lookup: Any, vertical: bool) -> Any:
    """``find_exact`` (MATCH's and VLOOKUP's exact match, no wildcards, first match) over the first column of
    ``grid`` (first row, not ``vertical``), through :func:`_shared_lookup`: n exact lookups filled down over one
    table cost about three passes over it instead of n. ``_NOT_INDEXED`` where sharing does not apply: outside a
    recalculation, while a formula with references computed at run time runs (what it reads may not be final yet:
    such formulas run again), for a value that is not a reference's or is one cell, and for a wildcard text, an
    empty or an error lookup value.

    Exact, not approximate, for the same reason as the running totals (compiler._running_total): every cell of a
    static reference is final when its formula runs and stays so until the plan ends; the workbook drops the index
    whenever cells change otherwise (``STATE.shared``). The index maps (type, value) to the first position, with
    text compared as ``find_exact`` compares it (lower case).
    """
    memo = _plan_memo()
    if memo is None or not grid.is_reference:
        return _NOT_INDEXED
    kind = _kind(lookup)
    # one cell: nothing to share, and a reference too large to read is a one-cell #VALUE! at the same origin
    if kind is None or grid.origin is None or grid.rows * grid.cols == 1 or (kind == 1 and has_wildcards(lookup)):
        return _NOT_INDEXED
    family = ("exact lookup", grid.origin, grid.rows, grid.cols, grid.omitted_blanks, vertical)

    def keys() -> Sequence[Any]:  # read only to scan or to build (a lookup from the index reads no cell)
        return _key_line(grid, vertical)

    return _shared_lookup(
        memo, family, grid.rows if vertical else grid.cols, (kind, _key(lookup)),
        lambda: find_exact(keys(), lookup, wildcards=False),
        lambda: (((_kind(value), _key(value)), position) for position, value in enumerate(keys())
                 if _kind(value) is not None),
    )


def _key_line(grid: Matrix, vertical: bool) -> Sequence[Any]:
    """The first column (``vertical``) or row of a table, as a view read only where it is searched."""
    return grid.column_view(0) if vertical else grid.row_view(0)


def _plan_memo() -> dict | None:
    """What the exact lookups of the plan running now share (:func:`plan_index.plan_memo`); None also with
    SHARED_LOOKUP_INDEX off."""
    return plan_memo() if SHARED_LOOKUP_INDEX else None


def _shared_lookup(
    memo: dict, family: tuple[Any, ...], size: int, key: Any, scan: Callable[[], int | None],
    entries: Callable[[], Iterable[tuple[Any, int]]], last: bool = False,
) -> int | None:
    """One exact lookup into the ``size`` values of ``family`` within the plan running now: by ``scan`` until the
    plan's lookups into it have scanned it SCANS_BEFORE_INDEX times over (a lookup scans up to its match), then from
    an index of ``entries`` (key -> first position, or the last with ``last``) built once and shared by the rest of
    the plan (see :mod:`sheetrl.sheet.functions.plan_index`)."""

    def build() -> dict[Any, int]:
        index: dict[Any, int] = {}
        for entry_key, position in entries():
            if last:
                index[entry_key] = position
            else:
                index.setdefault(entry_key, position)
        return index

    index = built_index(memo, family, size, build)
    if index is not None:
        return index.get(key)
    found = scan()
    note_scan(memo, family, size if found is None else size - found if last else found + 1)
    return found


def _folded_key(value: Any) -> tuple[int, Any] | None:
    """What XLOOKUP's exact match compares (``find_exact`` with ``fold``): a number, text by Unicode case folding,
    a boolean; None for anything it never matches (empty cells, errors)."""
    t = type(value)
    if t is float:
        return (0, value)
    if t is str:
        return (1, value.casefold())
    if t is bool:
        return (2, value)
    return None


def indexed_folded(area: Any, values: Sequence[Any], lookup: Any, reverse: bool) -> Any:
    """XLOOKUP's and XMATCH's exact match (match mode 0, searching from the first or, with ``reverse``, the last
    entry) of ``lookup`` in ``values``, the cells of the static reference ``area``, through
    :func:`_shared_lookup`; ``_NOT_INDEXED`` where sharing does not apply, under the rules of
    :func:`indexed_exact` (and for an empty lookup value, which finds the first empty cell)."""
    memo = _plan_memo()
    if memo is None or len(values) <= 1:
        return _NOT_INDEXED
    key = _folded_key(lookup)
    if key is None:
        return _NOT_INDEXED
    family = ("folded lookup", area.sheet, area.row1, area.col1, area.row2, area.col2, len(values), reverse)
    return _shared_lookup(
        memo, family, len(values), key,
        lambda: find_exact(values, lookup, wildcards=False, reverse=reverse, fold=True),
        lambda: ((folded, position) for position, folded in enumerate(map(_folded_key, values)) if folded is not None),
        last=reverse,
    )


_STEPS_BEFORE_READING_WHOLE = 64


def binary_search(values: Sequence[Any], lookup: Any, descending: bool = False) -> int | None:
    """Excel's approximate-match binary search: the position of the largest value <= ``lookup`` in ascending
    data (``descending``: the smallest value >= ``lookup`` in descending data), the last of equal values.

    The search keeps ``low`` (a value before the target) and ``high`` (one after it), probing the middle. A
    middle value of another type (or empty, or an error) makes it step right to the next comparable value before
    ``high``; if there is none, or that value is above the lookup value and next to ``high``, the range shrinks to
    the left of the middle. This is the behaviour Excel shows on unsorted and mixed data (the "last number in a
    column" trick, ``VLOOKUP(9.99E+307,A:A,1)``, relies on it).
    """
    kind = _kind(lookup)
    if kind is None:
        return None
    key = _key(lookup)
    sign = -1 if descending else 1
    steps = 0  # probes stepped over values of another type; past _STEPS_BEFORE_READING_WHOLE a view is read whole

    def order(i: int) -> int | None:
        """> 0 when the lookup value belongs after position i, < 0 before it, 0 equal, None not comparable."""
        v = values[i]
        if _kind(v) != kind:
            return None
        k = _key(v)
        return sign * ((key > k) - (key < k))

    low, high = -1, len(values)
    while high - low > 1:
        mid = (low + high) // 2
        side = order(mid)
        if side is None:
            probe = mid + 1
            while probe < high and order(probe) is None:
                probe += 1
                steps += 1
                if steps == _STEPS_BEFORE_READING_WHOLE and type(values) is not list:
                    values = values[:]  # a long run of other types (the "last number" trick over text): one read
            if probe == high:
                high = mid
                continue
            side = order(probe)
            assert side is not None
            if side < 0 and probe == high - 1:
                high = mid
                continue
            mid = probe
        if side == 0:
            while mid + 1 < high and order(mid + 1) == 0:
                mid += 1
            return mid
        if side < 0:
            high = mid
        else:
            low = mid
    return low if low >= 0 else None


def descending_scan(values: Sequence[Any], lookup: Any) -> int | None:
    """MATCH with match_type -1: the first value equal to ``lookup``, else the last value of the leading run of
    values above it (the smallest value >= ``lookup`` in data sorted descending). Values of other types are
    skipped; None when the first comparable value is already below ``lookup``."""
    kind = _kind(lookup)
    if kind is None:
        return None
    key = _key(lookup)
    previous: int | None = None
    for i, v in enumerate(values):
        if _kind(v) != kind:
            continue
        k = _key(v)
        if k == key:
            return i
        if k < key:
            return previous
        previous = i
    return previous


def _order_key(value: Any) -> tuple[int, Any]:
    """Excel's sort order of all values: numbers, text (case-insensitive), logicals, empty cells, then errors."""
    t = type(value)
    if t is float or t is int:
        return 0, value
    if t is str:
        return 1, value.casefold()
    if t is bool:
        return 2, value
    if value is None:
        return 3, 0
    return 4, 0


def ordered_search(values: Sequence[Any], lookup: Any, mode: int, descending: bool = False) -> int | None:
    """XLOOKUP/XMATCH binary search: mode 0 exact, -1 exact or next smaller, 1 exact or next larger.

    A classic halving over ``values`` as if sorted in Excel's order of all types (``descending``: from the largest
    down) that stops at the first equal value it probes and moves to the start of its run of equal values (the
    first of equal values in ascending data, the last in descending data, as in a search of the reversed data);
    otherwise the answer is the neighbour where the search ended. On unsorted or mixed data this gives the
    positions Excel gives (checked against values Excel cached).
    """
    target = _order_key(lookup)
    low, high = 0, len(values) - 1
    while low <= high:
        mid = (low + high) // 2
        item = _order_key(values[mid])
        if item == target:
            step = 1 if descending else -1
            end = len(values)
            while 0 <= mid + step < end and _order_key(values[mid + step]) == target:
                mid += step
            return mid
        if (item < target) != descending:
            low = mid + 1
        else:
            high = mid - 1
    if mode == 0:
        return None
    # the search ended between high and low: ascending data put smaller values at high, descending at low
    smaller, larger = (high, low) if not descending else (low, high)
    found = smaller if mode < 0 else larger
    return found if 0 <= found < len(values) else None


def find_nearest(values: Sequence[Any], lookup: Any, mode: int, reverse: bool = False) -> int | None:
    """Linear search (XLOOKUP/XMATCH): the first equal value, else the largest smaller (mode -1) or smallest larger
    (mode 1) value in Excel's order of all types (a text is above every number, a logical above every text)."""
    key = _order_key(lookup)
    best: int | None = None
    best_key: Any = None
    order = range(len(values) - 1, -1, -1) if reverse else range(len(values))
    for i in order:
        k = _order_key(values[i])
        if k[0] == 4:  # errors never match
            continue
        if k == key:
            return i
        closer_below = mode < 0 and k < key and (best is None or k > best_key)
        closer_above = mode > 0 and k > key and (best is None or k < best_key)
        if closer_below or closer_above:
            best, best_key = i, k
    return best


def find_regex(values: Sequence[Any], pattern: Any, reverse: bool = False) -> int | ExcelError | None:
    """Position of the first value (text, or a number/boolean as text) the regular expression matches anywhere;
    #VALUE! for a pattern that does not compile."""
    if type(pattern) is not str:
        return None
    try:
        regex = re.compile(pattern)
    except re.error:
        return VALUE
    order = range(len(values) - 1, -1, -1) if reverse else range(len(values))
    for i in order:
        v = values[i]
        if type(v) is bool:
            text = "TRUE" if v else "FALSE"
        elif type(v) is float:
            from sheetrl.sheet.values import number_to_text

            text = number_to_text(v)
        elif type(v) is str:
            text = v
        else:
            continue
        if regex.search(text) is not None:
            return i
    return None


# ------------------------------------------------------------------------------------------ VLOOKUP/HLOOKUP
def _table_lookup(lookup: Any, table: Any, index: Any, approximate: Any, vertical: bool) -> Any:
    lookup = scalar_of(lookup)
    if type(lookup) is ExcelError:
        return lookup
    if type(table) is str:
        return VALUE  # a text value is no table, as Excel answers
    grid = _as_matrix(table)
    position = index_argument(index)
    if isinstance(position, ExcelError):
        return position
    if approximate is OMITTED:
        sorted_match: Any = True
    else:
        sorted_match = to_bool(approximate)  # an empty argument (VLOOKUP(x,t,2,)) is FALSE
        if type(sorted_match) is ExcelError:
            return sorted_match
    if sorted_match:
        found = binary_search(_key_line(grid, vertical), 0.0 if lookup is None else lookup)
    else:
        found = indexed_exact(grid, lookup, vertical)
        if found is _NOT_INDEXED:
            found = find_exact(_key_line(grid, vertical), lookup, wildcards=True)
    # a value not found is #N/A before the index is checked (VLOOKUP(empty,B1:C1,0) is #N/A in the values Excel
    # cached in umya-spreadsheet's pr_204.xlsx)
    if found is None:
        return NA
    if position < 1:
        return VALUE
    if position > (grid.cols if vertical else grid.rows):
        return REF
    return grid.at(found, position - 1) if vertical else grid.at(position - 1, found)


@register("VLOOKUP", 3, 4, refs=(1,))
def vlookup(lookup: Any, table: Any, col_index: Any, approximate: Any = OMITTED) -> Any:
    """Value in column ``col_index`` of the row whose first cell matches (sorted approximate match by default)."""
    return _table_lookup(lookup, table, col_index, approximate, vertical=True)


@register("HLOOKUP", 3, 4, refs=(1,))
def hlookup(lookup: Any, table: Any, row_index: Any, approximate: Any = OMITTED) -> Any:
    """Value in row ``row_index`` of the column whose first cell matches (sorted approximate match by default)."""
    return _table_lookup(lookup, table, row_index, approximate, vertical=False)


# ------------------------------------------------------------------------------------------------------ MATCH
@register("MATCH", 2, 3, refs=(1,))
def match(lookup: Any, area: Any, match_type: Any = 1.0) -> Any:
    """1-based position of ``lookup`` in a row or column (type 1 ascending, 0 exact, -1 descending)."""
    # 1: largest value <= lookup in ascending data; 0: first equal value, wildcards allowed; -1: smallest
    # value >= lookup in descending data. An empty match_type (MATCH(x,r,)) is 0.
    lookup = scalar_of(lookup)
    if type(lookup) is ExcelError:
        return lookup
    grid = _as_matrix(area)
    if grid.rows != 1 and grid.cols != 1:
        return NA
    kind = to_number(match_type)
    if isinstance(kind, ExcelError):
        return kind
    values = grid.values
    if kind == 0:
        found = indexed_exact(grid, lookup, vertical=grid.cols == 1)
        if found is _NOT_INDEXED:
            found = find_exact(values, lookup, wildcards=True)
    elif kind > 0:
        found = binary_search(values, 0.0 if lookup is None else lookup)
    else:
        found = descending_scan(values, 0.0 if lookup is None else lookup)
    return NA if found is None else float(found + 1)


# ----------------------------------------------------------------------------------------------------- LOOKUP
@register("LOOKUP", 2, 3, refs=(1,), reference_args=(2,), returns_reference=True)
def lookup_(lookup: Any, vector: Any, result: Any = OMITTED) -> Any:
    """Approximate match of ``lookup`` in a sorted vector (or the first row/column of an array) and the value at
    the same position of ``result`` (or of the array's last row/column).

    Vector form: ``result`` is read at the matching position along its own row or column, even beyond its end
    when it is a reference (Excel extends it); a two-dimensional lookup_vector is searched along its first column
    (first row when wider than tall). Array form (two arguments): a table wider than tall is searched along
    its first row and answered from its last row, otherwise along its first column and from its last column.
    """
    lookup = scalar_of(lookup)
    if type(lookup) is ExcelError:
        return lookup
    if lookup is None:
        lookup = 0.0
    grid = _as_matrix(vector)
    if result is OMITTED:
        horizontal = grid.cols > grid.rows
        found = binary_search(_key_line(grid, not horizontal), lookup)
        if found is None:
            return NA
        return grid.at(grid.rows - 1, found) if horizontal else grid.at(found, grid.cols - 1)
    # a two-dimensional lookup_vector is searched along its first column (or first row, when wider than tall)
    keys = grid.values if grid.rows == 1 or grid.cols == 1 else _key_line(grid, grid.cols <= grid.rows)
    found = binary_search(keys, lookup)
    if found is None:
        return NA
    if type(result) is ExcelError:
        return result
    if type(result) is Reference:
        if len(result.areas) != 1:
            return NA
        area = result.first
        vertical = area.cols == 1 and (area.rows > 1 or grid.cols == 1)
        if area.rows != 1 and area.cols != 1:
            return NA
        row = area.row1 + found if vertical else area.row1
        col = area.col1 if vertical else area.col1 + found
        if row > 1_048_575 or col > 16_383:
            return REF
        return Reference.area(area.sheet, row, col, row, col)
    values = _as_matrix(result)
    if values.rows != 1 and values.cols != 1:
        return NA
    return values.values[found] if found < len(values.values) else NA


# ---------------------------------------------------------------------------------------------------- XLOOKUP
def _modes(match_mode: Any, search_mode: Any) -> tuple[int, int] | ExcelError:
    mode = index_argument(match_mode)
    if isinstance(mode, ExcelError):
        return mode
    search = index_argument(search_mode)
    if isinstance(search, ExcelError):
        return search
    if mode not in (-1, 0, 1, 2, 3) or search not in (-2, -1, 1, 2):
        return VALUE
    if mode in (2, 3) and search in (2, -2):
        return VALUE  # wildcards and regular expressions cannot be binary-searched
    return mode, search


def _search(values: Sequence[Any], lookup: Any, mode: int, search: int) -> int | ExcelError | None:
    if search in (2, -2):
        return ordered_search(values, lookup, mode, descending=search == -2)
    if lookup is None and mode in (0, 2):  # an empty lookup value finds the first (or last) empty cell
        order = range(len(values) - 1, -1, -1) if search == -1 else range(len(values))
        return next((i for i in order if values[i] is None), None)
    if mode == 3:
        return find_regex(values, lookup, reverse=search == -1)
    if mode in (0, 2):
        return find_exact(values, lookup, wildcards=mode == 2, reverse=search == -1, fold=mode == 0)
    return find_nearest(values, lookup, mode, reverse=search == -1)


def _indexed_search(
    lookup_array: Any, values: Sequence[Any], lookup: Any, mode: int, search: int
) -> int | ExcelError | None:
    """``_search``, through the plan's shared index (:func:`indexed_folded`) for an exact match from either end
    in a static reference."""
    if mode == 0 and (search == 1 or search == -1) and type(lookup_array) is Reference:
        found = indexed_folded(lookup_array.first, values, lookup, reverse=search == -1)
        if found is not _NOT_INDEXED:
            return found
    return _search(values, lookup, mode, search)


def _vector(value: Any) -> tuple[Sequence[Any], int, int] | ExcelError:
    """The values of a lookup array (a reference is read here) with its true shape (rows, cols)."""
    if type(value) is Reference:
        if len(value.areas) != 1:
            return VALUE
        area = value.first
        context = current_context()
        if context is None:
            return VALUE
        return area_matrix(area, context.current_values()).values, area.rows, area.cols
    if type(value) is ExcelError:
        return value
    grid = _as_matrix(value)
    return grid.values, grid.rows, grid.cols


@register("XLOOKUP", 3, 6, refs=(3,), reference_args=(1, 2), returns_reference=True)
def xlookup(
    lookup: Any,
    lookup_array: Any,
    return_array: Any,
    if_not_found: Any = None,
    match_mode: Any = 0.0,
    search_mode: Any = 1.0,
) -> Any:
    """The entry (value, or row/column of a 2-D array) of ``return_array`` where ``lookup_array`` matches.

    match_mode: 0 exact, -1 exact or next smaller, 1 exact or next larger, 2 wildcards, 3 regular expression.
    search_mode: 1 first to last, -1 last to first, 2 binary search in ascending data, -2 in descending data.
    When ``return_array`` is a reference the result is a reference too (``SUM(XLOOKUP(...):XLOOKUP(...))``).
    Whole columns compare by their true size (A:A and Sheet2!B:B match).
    """
    lookup = scalar_of(lookup)
    if type(lookup) is ExcelError:
        return lookup
    modes = _modes(match_mode, search_mode)
    if isinstance(modes, ExcelError):
        return modes
    mode, search = modes
    keys = _vector(lookup_array)
    if isinstance(keys, ExcelError):
        return keys
    values, key_rows, key_cols = keys
    if type(return_array) is Reference:
        if len(return_array.areas) != 1:
            return VALUE
        shape = (return_array.first.rows, return_array.first.cols)
    elif type(return_array) is ExcelError:
        return return_array
    else:
        grid = _as_matrix(return_array)
        shape = (grid.rows, grid.cols)
    if key_cols == 1 and shape[0] == key_rows:
        by_row = True
    elif key_rows == 1 and shape[1] == key_cols:
        by_row = False
    else:
        return VALUE
    found = _indexed_search(lookup_array, values, lookup, mode, search)
    if isinstance(found, ExcelError):
        return found
    if found is None:
        if if_not_found is None:
            return NA
        if type(if_not_found) is Matrix and len(if_not_found.values) == 1:
            return if_not_found.values[0]
        return if_not_found
    if type(return_array) is Reference:
        area = return_array.first
        if by_row:
            return Reference.area(area.sheet, area.row1 + found, area.col1, area.row1 + found, area.col2)
        return Reference.area(area.sheet, area.row1, area.col1 + found, area.row2, area.col1 + found)
    return _slice(_as_matrix(return_array), found, by_row)


def _slice(grid: Matrix, index: int, row: bool) -> Any:
    """One row (or column) of an array: the single value when it has one, else a Matrix."""
    values = grid.row(index) if row else grid.column(index)
    if len(values) == 1:
        return values[0]
    return Matrix(1, grid.cols, values) if row else Matrix(grid.rows, 1, values)


# ----------------------------------------------------------------------------------------------------- XMATCH
@register("XMATCH", 2, 4, reference_args=(1,))
def xmatch(lookup: Any, lookup_array: Any, match_mode: Any = 0.0, search_mode: Any = 1.0) -> Any:
    """1-based position of ``lookup`` in a row or column, with XLOOKUP's match and search modes."""
    lookup = scalar_of(lookup)
    if type(lookup) is ExcelError:
        return lookup
    modes = _modes(match_mode, search_mode)
    if isinstance(modes, ExcelError):
        return modes
    keys = _vector(lookup_array)
    if isinstance(keys, ExcelError):
        return keys
    values, rows, cols = keys
    if rows != 1 and cols != 1:
        return VALUE
    found = _indexed_search(lookup_array, values, lookup, *modes)
    if isinstance(found, ExcelError):
        return found
    return NA if found is None else float(found + 1)

