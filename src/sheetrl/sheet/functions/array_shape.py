"""Dynamic-array functions that reshape: TAKE, DROP, CHOOSEROWS, CHOOSECOLS, EXPAND, VSTACK, HSTACK, WRAPROWS,
WRAPCOLS, TOCOL, TOROW.

Excel's documented rules kept here: a negative count or index counts from the end; TAKE/DROP with 0 rows or
columns (or everything dropped) is #CALC!, an index of 0 or past the end in CHOOSEROWS/CHOOSECOLS is #VALUE!;
VSTACK/HSTACK pad shorter arrays with #N/A; EXPAND pads with ``pad_with`` (#N/A by default) and refuses to shrink
(#VALUE!); WRAPROWS/WRAPCOLS take a one-row or one-column vector (#VALUE! otherwise) and a count of at least 1
(#NUM! otherwise); TOCOL/TOROW ``ignore`` is 0 (keep all), 1 (skip blanks), 2 (skip errors) or 3 (skip both).
An empty cell of an argument comes out as 0. A ``pad_with`` that is an error value pads with that error (it is not
the result).
"""

from __future__ import annotations

from typing import Any

from sheetrl.sheet.errors import CALC, NA, NUM, VALUE, ExcelError
from sheetrl.sheet.functions import MAX_ARGS, register
from sheetrl.sheet.functions.array_tools import (
    as_array,
    flag,
    from_rows,
    integer,
    rows_of,
    too_large,
)
from sheetrl.sheet.values import Matrix


def _span(count: int, size: int) -> range:
    """Indexes TAKE keeps: the first ``count`` (last ``-count`` when negative), at most all of them."""
    if count >= 0:
        return range(min(count, size))
    return range(max(size + count, 0), size)


def _cut(array: Any, rows: Any, columns: Any, take: bool) -> Any:
    data = as_array(array)
    if isinstance(data, ExcelError):
        return data
    height = integer(rows, data.rows if take else 0) if rows is not None else (data.rows if take else 0)
    width = integer(columns, data.cols if take else 0) if columns is not None else (data.cols if take else 0)
    if isinstance(height, ExcelError):
        return height
    if isinstance(width, ExcelError):
        return width
    if take and (height == 0 or width == 0):
        return CALC
    if take:
        keep_rows, keep_cols = _span(height, data.rows), _span(width, data.cols)
    else:  # DROP removes what TAKE would keep
        gone_rows, gone_cols = set(_span(height, data.rows)), set(_span(width, data.cols))
        keep_rows = [r for r in range(data.rows) if r not in gone_rows]  # type: ignore[assignment]
        keep_cols = [c for c in range(data.cols) if c not in gone_cols]  # type: ignore[assignment]
    table = rows_of(data)
    return from_rows([[table[r][c] for c in keep_cols] for r in keep_rows])


@register("TAKE", 2, 3, refs=(0,))
def take(array: Any, rows: Any, columns: Any = None) -> Any:
    """The first (or, for negative counts, last) rows and columns of an array."""
    return _cut(array, rows, columns, take=True)


@register("DROP", 2, 3, refs=(0,))
def drop(array: Any, rows: Any, columns: Any = None) -> Any:
    """The array without its first (or, for negative counts, last) rows and columns."""
    return _cut(array, rows, columns, take=False)


def _choose(array: Any, numbers: tuple[Any, ...], by_col: bool) -> Any:
    data = as_array(array)
    if isinstance(data, ExcelError):
        return data
    size = data.cols if by_col else data.rows
    picked: list[int] = []
    for item in numbers:
        for value in item.values if type(item) is Matrix else [item]:
            index = integer(value)
            if isinstance(index, ExcelError):
                return index
            if index == 0 or abs(index) > size:
                return VALUE
            picked.append(index - 1 if index > 0 else size + index)
    table = rows_of(data)
    if by_col:
        return from_rows([[row[c] for c in picked] for row in table])
    return from_rows([table[r] for r in picked])


@register("CHOOSEROWS", 2, MAX_ARGS, refs="all")
def chooserows(array: Any, *row_numbers: Any) -> Any:
    """The given rows of an array, in the order given (negative numbers count from the end)."""
    return _choose(array, row_numbers, by_col=False)


@register("CHOOSECOLS", 2, MAX_ARGS, refs="all")
def choosecols(array: Any, *column_numbers: Any) -> Any:
    """The given columns of an array, in the order given (negative numbers count from the end)."""
    return _choose(array, column_numbers, by_col=True)


@register("EXPAND", 2, 4, refs=(0, 3))
def expand(array: Any, rows: Any, columns: Any = None, *pad_with: Any) -> Any:
    """The array grown to ``rows`` x ``columns``, new cells holding ``pad_with`` (#N/A by default)."""
    data = as_array(array)
    if isinstance(data, ExcelError):
        return data
    height = integer(rows, data.rows) if rows is not None else data.rows
    width = integer(columns, data.cols) if columns is not None else data.cols
    if isinstance(height, ExcelError):
        return height
    if isinstance(width, ExcelError):
        return width
    if height < data.rows or width < data.cols:
        return VALUE
    error = too_large(height, width)
    if error is not None:
        return error
    pad = pad_with[0] if pad_with else NA
    if type(pad) is Matrix:
        pad = pad.values[0] if pad.values else NA
    table = rows_of(data)
    grown = [row + [pad] * (width - data.cols) for row in table]
    grown += [[pad] * width for _ in range(height - data.rows)]
    return from_rows(grown)


def _stack(arrays: tuple[Any, ...], vertical: bool) -> Any:
    blocks = []
    for item in arrays:
        block = as_array(item)
        if isinstance(block, ExcelError):
            return block
        blocks.append(block)
    if vertical:
        width = max(b.cols for b in blocks)
        rows = [row + [NA] * (width - len(row)) for b in blocks for row in rows_of(b)]
    else:
        height = max(b.rows for b in blocks)
        rows = []
        tables = [rows_of(b) for b in blocks]
        for r in range(height):
            line: list[Any] = []
            for block, table in zip(blocks, tables):
                line.extend(table[r] if r < block.rows else [NA] * block.cols)
            rows.append(line)
    error = too_large(len(rows), len(rows[0]))
    return error if error is not None else from_rows(rows)


@register("VSTACK", 1, MAX_ARGS, refs="all")
def vstack(*arrays: Any) -> Any:
    """The arrays one below the other; narrower ones padded with #N/A."""
    return _stack(arrays, vertical=True)


@register("HSTACK", 1, MAX_ARGS, refs="all")
def hstack(*arrays: Any) -> Any:
    """The arrays side by side; shorter ones padded with #N/A."""
    return _stack(arrays, vertical=False)


def _wrap(vector: Any, wrap_count: Any, pad_with: tuple[Any, ...], by_row: bool) -> Any:
    data = as_array(vector)
    if isinstance(data, ExcelError):
        return data
    if data.rows != 1 and data.cols != 1:
        return VALUE
    count = integer(wrap_count)
    if isinstance(count, ExcelError):
        return count
    if count < 1:
        return NUM
    length = data.rows * data.cols
    lines_needed = -(-length // count)
    error = too_large(lines_needed, count) if by_row else too_large(count, lines_needed)
    if error is not None:
        return error
    pad = pad_with[0] if pad_with else NA
    if type(pad) is Matrix:
        pad = pad.values[0] if pad.values else NA
    values = list(data.values)
    lines = [values[i : i + count] for i in range(0, len(values), count)]
    lines[-1] = lines[-1] + [pad] * (count - len(lines[-1]))
    if by_row:
        return from_rows(lines)
    return from_rows([list(row) for row in zip(*lines)])


@register("WRAPROWS", 2, 3, refs=(0, 2))
def wraprows(vector: Any, wrap_count: Any, *pad_with: Any) -> Any:
    """A row or column of values laid out in rows of ``wrap_count`` values."""
    return _wrap(vector, wrap_count, pad_with, by_row=True)


@register("WRAPCOLS", 2, 3, refs=(0, 2))
def wrapcols(vector: Any, wrap_count: Any, *pad_with: Any) -> Any:
    """A row or column of values laid out in columns of ``wrap_count`` values."""
    return _wrap(vector, wrap_count, pad_with, by_row=False)


def _flatten(array: Any, ignore: Any, scan_by_column: Any) -> list[Any] | ExcelError:
    data = as_array(array)
    if isinstance(data, ExcelError):
        return data
    mode = integer(ignore, 0)
    by_column = flag(scan_by_column)
    if isinstance(mode, ExcelError):
        return mode
    if isinstance(by_column, ExcelError):
        return by_column
    if mode not in (0, 1, 2, 3):
        return VALUE
    table = rows_of(data)
    values = [v for column in zip(*table) for v in column] if by_column else [v for row in table for v in row]
    skip_blanks, skip_errors = mode in (1, 3), mode in (2, 3)
    return [
        v for v in values
        if not (skip_blanks and v is None) and not (skip_errors and isinstance(v, ExcelError))
    ]


@register("TOCOL", 1, 3, refs=(0,))
def tocol(array: Any, ignore: Any = None, scan_by_column: Any = None) -> Any:
    """Every value of an array in one column (row by row, or column by column)."""
    values = _flatten(array, ignore, scan_by_column)
    if isinstance(values, ExcelError):
        return values
    return from_rows([[v] for v in values])


@register("TOROW", 1, 3, refs=(0,))
def torow(array: Any, ignore: Any = None, scan_by_column: Any = None) -> Any:
    """Every value of an array in one row (row by row, or column by column)."""
    values = _flatten(array, ignore, scan_by_column)
    if isinstance(values, ExcelError):
        return values
    return from_rows([values])
