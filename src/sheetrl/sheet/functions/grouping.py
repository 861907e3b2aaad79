"""GROUPBY and PIVOTBY: a summary of data by formula (group, aggregate, sort, filter), spilled as an array.

``GROUPBY(row_fields, values, function, [field_headers], [total_depth], [sort_order], [filter_array],
[field_relationship])`` groups the rows of ``values`` by the keys in ``row_fields`` and aggregates each group with
``function``; ``PIVOTBY(row_fields, col_fields, values, function, [field_headers], [row_total_depth],
[row_sort_order], [col_total_depth], [col_sort_order], [filter_array], [relative_to])`` groups along both axes.
Excel's rules, from Microsoft's pages of both functions; where they are silent, the results Excel cached in real
workbooks decide (docs/engine.md lists those files and what was left open):

- The fields and values are column-oriented and must have as many rows as each other (#VALUE! otherwise); each
  column of ``row_fields`` (``col_fields``) is one level of grouping. Keys compare as UNIQUE's do (text without
  regard to case); a group shows the first spelling met, an empty key shows as an empty cell.
- ``function`` is a LAMBDA or a function's name (``SUM``, stored ``_xleta.SUM``). It is called with each group's
  values as a one-column array and must give one value (an array is #VALUE!). A LAMBDA of exactly two parameters
  (PERCENTOF, ``LAMBDA(x, all, ...)``) also receives the values it is measured against: GROUPBY passes all values
  (of that column); PIVOTBY passes, by ``relative_to``, the column's total (0, the default), the row's total (1),
  the grand total (2), the parent column's total within the row (3) or the parent row's total within the column
  (4). Any other LAMBDA gets one argument: IF (two or three parameters) gives #VALUE! in every cell, as Excel's
  cached results show.
- ``field_headers``: 0 no headers; 1 the first row holds headers, not shown; 2 no headers, generated ones shown
  ("Row Field 1", "Column Field 1", "Value 1"); 3 headers in the first row, shown. Omitted: the data has headers
  when the first value is text and the second a number; GROUPBY then hides them (as Excel's cached results show),
  PIVOTBY shows (or generates) them when there is more than one level of row or column fields, or more than one
  values column.
- Totals: ``total_depth`` 0 none, 1 a grand total, 2 a grand total and subtotals of the first level, n subtotals
  down to level n-1; negative values put them above what they total. Omitted: 1 for GROUPBY (Excel's cached
  results), every level for PIVOTBY. A depth beyond the number of field columns is #VALUE!. The grand total is
  labelled "Total", or "Grand Total" when there are subtotals; a subtotal shows the keys of its group.
- ``sort_order``: numbers that index the field columns then the values columns; a negative number sorts descending.
  With the default hierarchical ``field_relationship`` (0) each level is sorted within its parent (ascending unless
  listed); sorting by a values column sorts the innermost level by its aggregate (PIVOTBY: by its total across the
  other axis), the outer levels by key. A vector is allowed only of field columns; 0, a repeated column or a number
  past the last column is #VALUE!. ``field_relationship`` 1 (table) sorts by the listed columns in the order listed
  and then by the others, and has no subtotals (a depth of 2 or more is #VALUE!). Keys sort as SORT does; empty keys
  come last either way.
- ``filter_array``: one column as tall as the data (its first column is used); rows whose entry is not TRUE (or a
  non-zero number) are left out; text in it is #VALUE!, an error is the result. No row left is #CALC!.
- Cells of the result with no data (a PIVOTBY row and column that never meet, the corners, the levels a subtotal
  does not have) are empty text, as Excel stores them.

Left out: a vector of LAMBDAs (several aggregations at once) is #VALUE! here; Microsoft's pages do not say how
Excel lays out and labels its columns and no file we have shows it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sheetrl.sheet.errors import CALC, VALUE, ExcelError
from sheetrl.sheet.functions import FUNCTIONS, register
from sheetrl.sheet.functions.array_tools import (
    as_array,
    identity_key,
    integer,
    rows_of,
    single_result,
    sort_rank,
    too_large,
)
from sheetrl.sheet.lambdas import FunctionLambda, LambdaValue
from sheetrl.sheet.values import Matrix, to_bool, to_text

_BLANK = ""  # what Excel puts where the result has nothing to show


@dataclass(frozen=True)
class _Entry:
    """One row (or column) of the result: a group, a subtotal or the grand total. ``key`` is the group's key
    (identity keys of its levels; a subtotal's is a prefix, the grand total's empty), ``labels`` what the field
    columns show."""

    key: tuple
    labels: tuple


@dataclass
class _Fields:
    """One axis's grouping fields: per data row its key and the values shown for it, and the field names."""

    keys: list[tuple]
    labels: list[tuple]
    names: list[Any]

    @property
    def levels(self) -> int:
        return len(self.names)


# ------------------------------------------------------------------------------------------------------ GROUPBY
@register("GROUPBY", 3, 8, refs="all")
def groupby(
    row_fields: Any, values: Any, function: Any, field_headers: Any = None, total_depth: Any = None,
    sort_order: Any = None, filter_array: Any = None, field_relationship: Any = None,
) -> Any:
    """Rows of ``values`` grouped by ``row_fields`` and aggregated with ``function``, with totals, sorted."""
    data = _data(row_fields, None, values, filter_array, field_headers, function, pivot=False)
    if isinstance(data, ExcelError):
        return data
    rows, _, table, aggregate, show = data
    depth = _depth(total_depth, 1, rows.levels)
    table_relationship = _choice(field_relationship, 0, 1)
    if isinstance(depth, ExcelError):
        return depth
    if isinstance(table_relationship, ExcelError):
        return table_relationship
    if table_relationship and abs(depth) > 1:
        return VALUE
    order = _sort_order(sort_order, rows.levels, table.cols)
    if isinstance(order, ExcelError):
        return order
    everything = list(range(table.rows))
    members = _members(rows.keys)

    @functools.cache
    def cell(key: tuple, column: int) -> Any:
        return aggregate(column, members[key], everything)

    by_value = _by_value(order, rows.levels, cell)
    entries = _entries(rows, depth, order, bool(table_relationship), by_value)
    error = too_large(len(entries) + 1, rows.levels + table.cols)
    if error is not None:
        return error
    out: list[list[Any]] = []
    if show:
        out.append([*rows.names, *table.names])
    for entry in entries:
        out.append([*entry.labels, *(cell(entry.key, column) for column in range(table.cols))])
    return Matrix(len(out), len(out[0]), [value for line in out for value in line])


# ------------------------------------------------------------------------------------------------------ PIVOTBY
@register("PIVOTBY", 4, 11, refs="all")
def pivotby(
    row_fields: Any, col_fields: Any, values: Any, function: Any, field_headers: Any = None,
    row_total_depth: Any = None, row_sort_order: Any = None, col_total_depth: Any = None,
    col_sort_order: Any = None, filter_array: Any = None, relative_to: Any = None,
) -> Any:
    """Values grouped by ``row_fields`` down and ``col_fields`` across, aggregated with ``function``."""
    data = _data(row_fields, col_fields, values, filter_array, field_headers, function, pivot=True)
    if isinstance(data, ExcelError):
        return data
    rows, columns, table, aggregate, show = data
    assert columns is not None
    row_depth = _depth(row_total_depth, rows.levels, rows.levels)
    col_depth = _depth(col_total_depth, columns.levels, columns.levels)
    relative = _choice(relative_to, 0, 4)
    for item in (row_depth, col_depth, relative):
        if isinstance(item, ExcelError):
            return item
    row_order = _sort_order(row_sort_order, rows.levels, table.cols)
    if isinstance(row_order, ExcelError):
        return row_order
    col_order = _sort_order(col_sort_order, columns.levels, table.cols)
    if isinstance(col_order, ExcelError):
        return col_order
    row_members = _members(rows.keys)
    col_members = _members(columns.keys)
    col_sets = {key: set(found) for key, found in col_members.items()}

    def rows_of_group(row_key: tuple, col_key: tuple) -> list[int]:
        in_column = col_sets.get(col_key, ())
        return [i for i in row_members.get(row_key, ()) if i in in_column]

    @functools.cache
    def cell(row_key: tuple, col_key: tuple, column: int) -> Any:
        found = rows_of_group(row_key, col_key)
        if not found:
            return _BLANK
        if relative == 1:
            base = row_members[row_key]
        elif relative == 2:
            base = row_members[()]
        elif relative == 3:
            base = rows_of_group(row_key, col_key[:-1])
        elif relative == 4:
            base = rows_of_group(row_key[:-1], col_key)
        else:
            base = col_members[col_key]
        return aggregate(column, found, base)

    row_by_value = _by_value(row_order, rows.levels, lambda key, column: cell(key, (), column))
    col_by_value = _by_value(col_order, columns.levels, lambda key, column: cell((), key, column))
    row_entries = _entries(rows, row_depth, row_order, False, row_by_value)  # type: ignore[arg-type]
    col_entries = _entries(columns, col_depth, col_order, False, col_by_value)  # type: ignore[arg-type]
    left = [_BLANK] * rows.levels
    out: list[list[Any]] = []
    width = rows.levels + len(col_entries) * table.cols
    error = too_large(len(row_entries) + columns.levels + 2, width)
    if error is not None:
        return error
    if show:
        names = ", ".join(str(to_text(name)) for name in columns.names)
        out.append([*left, names, *[_BLANK] * (width - rows.levels - 1)])
    for level in range(columns.levels):
        out.append([*left, *(entry.labels[level] for entry in col_entries for _ in range(table.cols))])
    if show:
        out.append([*rows.names, *(name for _ in col_entries for name in table.names)])
    for row in row_entries:
        out.append([
            *row.labels,
            *(cell(row.key, col.key, column) for col in col_entries for column in range(table.cols)),
        ])
    return Matrix(len(out), width, [value for line in out for value in line])


# ------------------------------------------------------------------------------------------------------ inputs
@dataclass
class _Values:
    """The values columns (data rows only) and their names."""

    columns: list[list[Any]]
    names: list[Any]

    @property
    def cols(self) -> int:
        return len(self.columns)

    @property
    def rows(self) -> int:
        return len(self.columns[0])


Aggregate = Callable[[int, list[int], list[int]], Any]


def _data(
    row_fields: Any, col_fields: Any, values: Any, filter_array: Any, field_headers: Any, function: Any, pivot: bool,
) -> tuple[_Fields, _Fields | None, _Values, Aggregate, bool] | ExcelError:
    """The checked inputs: the row fields, the column fields (PIVOTBY), the values, the aggregation of a values
    column over some data rows (against others), and whether headers are shown; or the error that is the result."""
    lines: list[list[list[Any]] | None] = []
    for argument in (row_fields, col_fields if pivot else None, values):
        block = as_array(argument) if argument is not None or len(lines) != 1 else None
        if isinstance(block, ExcelError):
            return block
        lines.append(rows_of(block) if block is not None else None)
    row_lines, col_lines, value_lines = lines
    assert row_lines is not None and value_lines is not None
    height = len(value_lines)
    if len(row_lines) != height or (col_lines is not None and len(col_lines) != height):
        return VALUE
    called = _function(function)
    if isinstance(called, ExcelError):
        return called
    headers = _choice(field_headers, 0, 3)
    if isinstance(headers, ExcelError):
        return headers
    if headers is None:
        headers = _automatic_headers(value_lines, pivot and (
            len(row_lines[0]) > 1 or (col_lines is not None and len(col_lines[0]) > 1) or len(value_lines[0]) > 1
        ))
    has_headers = headers in (1, 3)
    keep = _filter(filter_array, height, has_headers)
    if isinstance(keep, ExcelError):
        return keep
    first = 1 if has_headers else 0
    kept = [i for i in range(first, height) if keep[i - first]]
    if not kept:
        return CALC
    rows = _fields(row_lines, kept, has_headers, headers, "Row Field")
    columns = _fields(col_lines, kept, has_headers, headers, "Column Field") if col_lines is not None else None
    table = _Values(
        [[value_lines[i][c] for i in kept] for c in range(len(value_lines[0]))],
        _names(value_lines, has_headers, headers, "Value"),
    )
    # The values measured against go to PERCENTOF and to a LAMBDA of exactly two parameters; a library function
    # that merely accepts a second argument (ARRAYTOTEXT's format) gets the group's values alone.
    percent_of = isinstance(called, FunctionLambda) and called.name == "PERCENTOF"
    two = percent_of or (not isinstance(called, FunctionLambda) and called.arity == 2 and called.required >= 1)
    bases: dict[tuple[int, int], tuple[list[int], Matrix]] = {}  # (column, id of its rows): built once

    def base_values(column: int, base: list[int]) -> Matrix:
        found = bases.get((column, id(base)))
        if found is None or found[0] is not base:
            data = table.columns[column]
            matrix = Matrix(len(base), 1, [data[i] for i in base])
            if percent_of:  # PERCENTOF(group, base) is SUM(group)/SUM(base): the base's sum, once
                matrix = Matrix(1, 1, [FUNCTIONS["SUM"].impl(matrix)])
            found = bases[(column, id(base))] = (base, matrix)
        return found[1]

    def aggregate(column: int, found: list[int], base: list[int]) -> Any:
        data = table.columns[column]
        subset = Matrix(len(found), 1, [data[i] for i in found])
        if two:
            return single_result(called(subset, base_values(column, base)), VALUE)
        return single_result(called(subset), VALUE)  # (a larger array is #VALUE! here)

    return rows, columns, table, aggregate, headers >= 2


def _function(value: Any) -> LambdaValue | ExcelError:
    """The LAMBDA argument; an error (in a cell it names) is the result, anything else #VALUE!."""
    if type(value) is Matrix and value.rows * value.cols == 1:
        value = value.values[0]
    if isinstance(value, LambdaValue):
        return value
    return value if isinstance(value, ExcelError) else VALUE


def _automatic_headers(value_lines: list[list[Any]], shown: bool) -> int:
    """field_headers when omitted: the data has headers when its first value is text and the second a number."""
    found = (
        len(value_lines) > 1 and type(value_lines[0][0]) is str and type(value_lines[1][0]) in (float, int)
    )
    if shown:
        return 3 if found else 2
    return 1 if found else 0


def _filter(filter_array: Any, height: int, has_headers: bool) -> list[bool] | ExcelError:
    """Which data rows (after the header row, if any) the filter keeps."""
    count = height - (1 if has_headers else 0)
    if filter_array is None:
        return [True] * count
    block = as_array(filter_array)
    if isinstance(block, ExcelError):
        return block
    if block.rows != height:
        return VALUE
    entries = [line[0] for line in rows_of(block)][1 if has_headers else 0 :]
    keep = []
    for entry in entries:
        if isinstance(entry, ExcelError):
            return entry
        if type(entry) is str:
            return VALUE
        keep.append(entry is not None and to_bool(entry) is True)
    return keep


def _fields(lines: list[list[Any]], kept: list[int], has_headers: bool, headers: int, generated: str) -> _Fields:
    keys, labels = [], []
    for i in kept:
        line = lines[i]
        keys.append(tuple(identity_key(value) for value in line))
        labels.append(tuple(_BLANK if value is None else value for value in line))
    return _Fields(keys, labels, _names(lines, has_headers, headers, generated))


def _names(lines: list[list[Any]], has_headers: bool, headers: int, generated: str) -> list[Any]:
    if has_headers:
        return [_BLANK if value is None else value for value in lines[0]]
    return [f"{generated} {index}" for index in range(1, len(lines[0]) + 1)]


def _choice(value: Any, lowest: int, highest: int) -> int | ExcelError | None:
    """An optional whole-number argument between ``lowest`` and ``highest`` (None when omitted)."""
    if value is None:
        return None
    number = integer(value)
    if isinstance(number, ExcelError):
        return number
    return number if lowest <= number <= highest else VALUE


def _depth(value: Any, default: int, levels: int) -> int | ExcelError:
    """A total depth: the default when omitted; #VALUE! beyond the number of levels."""
    depth = _choice(value, -levels, levels)
    if depth is None:
        return default
    return depth


def _sort_order(value: Any, levels: int, value_columns: int) -> list[int] | ExcelError:
    """The sort order as a list of signed 1-based column numbers (fields first, then values columns)."""
    if value is None:
        return [1]
    items = list(value.values) if type(value) is Matrix else [value]
    order: list[int] = []
    for item in items:
        number = integer(item)
        if isinstance(number, ExcelError):
            return number
        if number == 0 or abs(number) > levels + value_columns or abs(number) in (abs(n) for n in order):
            return VALUE
        order.append(number)
    if len(order) > 1 and any(abs(n) > levels for n in order):
        return VALUE
    return order


# ------------------------------------------------------------------------------------------------ the groups
def _members(keys: list[tuple]) -> dict[tuple, list[int]]:
    """The data rows of every group and of every prefix of a group (the grand total's key is ``()``)."""
    members: dict[tuple, list[int]] = {}
    for index, key in enumerate(keys):
        for length in range(len(key) + 1):
            members.setdefault(key[:length], []).append(index)
    return members


def _by_value(order: list[int], levels: int, value: Callable[[tuple, int], Any]) -> Callable[[tuple], Any] | None:
    """The sort key of a group when the sort order names a values column (its aggregate there), else None."""
    if len(order) != 1 or abs(order[0]) <= levels:
        return None
    column = abs(order[0]) - levels - 1
    return lambda key: value(key, column)


def _entries(
    fields: _Fields, depth: int, order: list[int], table: bool, by_value: Callable[[tuple], Any] | None,
) -> list[_Entry]:
    """The groups of one axis in display order, with their subtotals and the grand total where ``depth`` asks."""
    levels = fields.levels
    first_labels: dict[tuple, tuple] = {}
    for key, labels in zip(fields.keys, fields.labels):
        first_labels.setdefault(key, labels)
    groups = list(first_labels)
    directions = {abs(n) - 1: n > 0 for n in order if abs(n) <= levels}
    # Sort passes, most significant first: (what to compare, ascending).
    passes: list[tuple[Callable[[tuple], Any], bool]] = []
    if table:
        listed = [abs(n) - 1 for n in order if abs(n) <= levels]
        if by_value is not None:
            passes.append((by_value, order[0] > 0))
        for level in [*listed, *(lv for lv in range(levels) if lv not in listed)]:
            passes.append((_label_at(first_labels, level), directions.get(level, True)))
    else:
        for level in range(levels):
            if level == levels - 1 and by_value is not None:
                passes.append((by_value, order[0] > 0))
            passes.append((_label_at(first_labels, level), directions.get(level, True)))
    for compared, ascending in reversed(passes):
        groups = _stable_sort(groups, compared, ascending)
    return _with_totals(groups, first_labels, depth, levels)


def _label_at(first_labels: dict[tuple, tuple], level: int) -> Callable[[tuple], Any]:
    return lambda key: first_labels[key][level]


def _stable_sort(groups: list[tuple], compared: Callable[[tuple], Any], ascending: bool) -> list[tuple]:
    """Groups sorted by one criterion as SORT orders values; empty values (blank keys) last either way."""
    values = {key: compared(key) for key in groups}
    present = [key for key in groups if values[key] is not None and values[key] != _BLANK]
    missing = [key for key in groups if values[key] is None or values[key] == _BLANK]
    present.sort(key=lambda key: sort_rank(values[key]), reverse=not ascending)
    return present + missing


def _with_totals(groups: list[tuple], first_labels: dict[tuple, tuple], depth: int, levels: int) -> list[_Entry]:
    """The sorted groups with a subtotal for each prefix shorter than ``abs(depth)`` (before its groups when
    ``depth`` is negative, after them otherwise) and a grand total (first or last) unless ``depth`` is 0."""
    top = depth < 0
    subtotal_levels = range(1, min(abs(depth), levels))
    entries: list[_Entry] = []

    def subtotal(key: tuple, length: int) -> _Entry:
        labels = first_labels[key]
        return _Entry(key[:length], labels[:length] + (_BLANK,) * (levels - length))

    previous: tuple | None = None
    for key in groups:
        changed = [n for n in subtotal_levels if previous is None or previous[:n] != key[:n]]
        if top:
            entries.extend(subtotal(key, n) for n in changed)
        elif previous is not None:
            entries.extend(subtotal(previous, n) for n in reversed(changed))
        entries.append(_Entry(key, first_labels[key]))
        previous = key
    if not top and previous is not None:
        entries.extend(subtotal(previous, n) for n in reversed(subtotal_levels))
    if depth:
        label = "Grand Total" if abs(depth) > 1 else "Total"
        grand = _Entry((), (label,) + (_BLANK,) * (levels - 1))
        entries = [grand, *entries] if top else [*entries, grand]
    return entries
