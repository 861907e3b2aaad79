"""SUBTOTAL and AGGREGATE: one entry point for many aggregations, skipping nested subtotals (and errors on request).

SUBTOTAL(function_num, ref1, ...) applies AVERAGE, COUNT, COUNTA, MAX, MIN, PRODUCT, STDEV, STDEVP, SUM, VAR or VARP
(function_num 1-11, or 101-111) to its references, leaving out every cell that itself holds a SUBTOTAL or AGGREGATE
formula, so a grand total over a column of subtotals does not count them twice. AGGREGATE(function_num, options,
...) adds MEDIAN, MODE.SNGL, LARGE, SMALL, PERCENTILE.INC, QUARTILE.INC, PERCENTILE.EXC and QUARTILE.EXC (14-19 take
an array and k) and options that keep nested subtotals (4-7) or leave out error values (2, 3, 6, 7).

Hidden rows (``Workbook.hide_rows``, and the hidden rows of an .xlsx file): SUBTOTAL 1-11 leaves out the cells of
rows a filter hides, SUBTOTAL 101-111 those of every hidden row (by hand or by a filter), as Excel does; AGGREGATE's
options 1, 3, 5 and 7 leave out every hidden row, 0, 2, 4 and 6 none. Hidden columns change nothing (Excel's
SUBTOTAL is meant for vertical ranges).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

from sheetrl.sheet.address import make_key
from sheetrl.sheet.errors import NUM, REF, VALUE, ExcelError
from sheetrl.sheet.functions import FUNCTIONS, MAX_ARGS, register
from sheetrl.sheet.functions.arguments import is_numeric
from sheetrl.sheet.functions.context import ROW_HIDDEN, WorkbookView
from sheetrl.sheet.values import Matrix, to_number

# SUBTOTAL's and AGGREGATE's function numbers 1-13: the registered function each one applies to its arguments.
_REFERENCE_FUNCTIONS = {
    1: "AVERAGE", 2: "COUNT", 3: "COUNTA", 4: "MAX", 5: "MIN", 6: "PRODUCT", 7: "STDEV", 8: "STDEVP", 9: "SUM",
    10: "VAR", 11: "VARP", 12: "MEDIAN", 13: "MODE",
}  # fmt: skip
_SUBTOTAL_LAST = 11
_HIDDEN_ROWS_OFFSET = 100  # SUBTOTAL 101-111: as 1-11, but ignoring hidden rows
_AGGREGATE_LAST = 19
_ARRAY_FORM_FIRST = 14  # AGGREGATE 14-19 take (array, k)

_STRING_LITERAL = re.compile(r'"(?:[^"]|"")*"')
_SUBTOTAL_CALL = re.compile(r"(?<![A-Z0-9_.])(?:_XLFN\.)?(?:SUBTOTAL|AGGREGATE)\s*\(")


@lru_cache(maxsize=4096)
def calls_subtotal(text: str) -> bool:
    """True when formula text calls SUBTOTAL or AGGREGATE (outside string literals)."""
    return bool(_SUBTOTAL_CALL.search(_STRING_LITERAL.sub('""', text).upper()))


def _without_nested(arg: Any, workbook: WorkbookView | None) -> Any:
    """A reference argument with the cells that hold SUBTOTAL/AGGREGATE formulas read as empty."""
    if type(arg) is not Matrix or not arg.is_reference or arg.origin is None or workbook is None:
        return arg
    sheet, top, left = arg.origin
    values = list(arg.values)
    changed = False
    for index in range(len(values)):
        row, col = divmod(index, arg.cols)
        text = workbook.formula_at(make_key(sheet, top + row, left + col))
        if text is not None and calls_subtotal(text):
            values[index] = None
            changed = True
    if not changed:
        return arg
    return Matrix(arg.rows, arg.cols, values, True, arg.origin)


def _without_hidden_rows(arg: Any, workbook: WorkbookView | None, by_hand_too: bool) -> Any:
    """A reference argument with the cells of filtered rows (and, ``by_hand_too``, of rows hidden by hand) read as
    empty."""
    if type(arg) is not Matrix or not arg.is_reference or arg.origin is None or workbook is None:
        return arg
    sheet, top, _ = arg.origin
    values: list[Any] | None = None
    for row in range(arg.rows):
        state = workbook.row_state_at(sheet, top + row)
        if state is None or (state == ROW_HIDDEN and not by_hand_too):
            continue
        if values is None:
            values = list(arg.values)
        values[row * arg.cols:(row + 1) * arg.cols] = [None] * arg.cols
    if values is None:
        return arg
    return Matrix(arg.rows, arg.cols, values, True, arg.origin)


def _without_errors(arg: Any) -> Any:
    """An argument with its error values read as empty (a scalar error becomes an omitted argument)."""
    if type(arg) is Matrix:
        if not any(type(v) is ExcelError for v in arg.values):
            return arg
        values = [None if type(v) is ExcelError else v for v in arg.values]
        return Matrix(arg.rows, arg.cols, values, arg.is_reference, arg.origin)
    return None if type(arg) is ExcelError else arg


def _function_number(value: Any, last: int) -> int | ExcelError:
    number = to_number(value)
    if type(number) is ExcelError:
        return number
    whole = math.trunc(number)
    if 1 <= whole <= last:
        return whole
    return VALUE


def _apply(number: int, args: list[Any]) -> Any:
    args = [a for a in args if a is not None] or [Matrix(0, 0, [])]
    return FUNCTIONS[_REFERENCE_FUNCTIONS[number]].impl(*args)


@register("SUBTOTAL", 2, MAX_ARGS, refs=range(1, MAX_ARGS), propagate_errors=False, reads_workbook=True)
def subtotal(workbook: WorkbookView | None, function_num: Any, *refs: Any) -> Any:
    """AVERAGE/COUNT/COUNTA/MAX/MIN/PRODUCT/STDEV/STDEVP/SUM/VAR/VARP (1-11 or 101-111) of the references,
    leaving out cells that hold SUBTOTAL or AGGREGATE formulas."""
    if type(function_num) is ExcelError:
        return function_num
    number = _function_number(function_num, _HIDDEN_ROWS_OFFSET + _SUBTOTAL_LAST)
    if type(number) is ExcelError:
        return number
    by_hand_too = number > _HIDDEN_ROWS_OFFSET  # 101-111: rows hidden by hand are left out too
    if by_hand_too:
        number -= _HIDDEN_ROWS_OFFSET
    if number > _SUBTOTAL_LAST:
        return VALUE
    for ref in refs:
        if ref is REF:  # SUBTOTAL(2,#REF!): a deleted reference (a cell's error reached through IF is a value)
            return ref
    return _apply(number, [_without_hidden_rows(_without_nested(ref, workbook), workbook, by_hand_too)
                           for ref in refs])


# ------------------------------------------------------------------------------------------------- AGGREGATE
def _sorted_numbers(array: Any) -> list[float]:
    values = array.values if type(array) is Matrix else [array]
    return sorted(float(v) for v in values if is_numeric(v))


def _percentile_inclusive(ordered: list[float], fraction: float) -> float | ExcelError:
    if not ordered or not 0 <= fraction <= 1:
        return NUM
    position = fraction * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


def _percentile_exclusive(ordered: list[float], fraction: float) -> float | ExcelError:
    count = len(ordered)
    position = fraction * (count + 1) - 1  # 0-based rank
    if not ordered or not 0 < fraction < 1 or position < 0 or position > count - 1:
        return NUM
    low = math.floor(position)
    high = min(low + 1, count - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


def _array_form(number: int, array: Any, k: Any) -> Any:
    """AGGREGATE 14-19: LARGE, SMALL, PERCENTILE.INC, QUARTILE.INC, PERCENTILE.EXC, QUARTILE.EXC."""
    if type(k) is Matrix:
        k = k.values[0] if k.values else None
    if type(k) is ExcelError:
        return k
    parameter = to_number(k)
    if type(parameter) is ExcelError:
        return parameter
    if number == 14:
        return FUNCTIONS["LARGE"].impl(array if type(array) is Matrix else Matrix(1, 1, [array]), parameter)
    if number == 15:
        return FUNCTIONS["SMALL"].impl(array if type(array) is Matrix else Matrix(1, 1, [array]), parameter)
    for value in array.values if type(array) is Matrix else [array]:
        if type(value) is ExcelError:
            return value
    ordered = _sorted_numbers(array)
    if number in (17, 19):
        quart = math.trunc(parameter)
        if (number == 17 and not 0 <= quart <= 4) or (number == 19 and not 1 <= quart <= 3):
            return NUM
        parameter = quart / 4
    if number in (16, 17):
        return _percentile_inclusive(ordered, parameter)
    return _percentile_exclusive(ordered, parameter)


@register("AGGREGATE", 3, MAX_ARGS, refs="all", array_args=True, propagate_errors=False, reads_workbook=True)
def aggregate(workbook: WorkbookView | None, function_num: Any, options: Any, *args: Any) -> Any:
    """One of 19 aggregations (1-13 over references, 14-19 over an array and k) with options: 0-3 leave out nested
    SUBTOTAL/AGGREGATE cells, 2, 3, 6 and 7 leave out error values, 1, 3, 5 and 7 hidden rows."""
    for control in (function_num, options):
        first = control.values[0] if type(control) is Matrix and control.values else control
        if type(first) is ExcelError:
            return first
    number = _function_number(function_num.values[0] if type(function_num) is Matrix else function_num,
                              _AGGREGATE_LAST)
    if type(number) is ExcelError:
        return number
    option = to_number(options.values[0] if type(options) is Matrix else options)
    if type(option) is ExcelError:
        return option
    if not 0 <= option < 8:
        return VALUE
    mode = math.trunc(option)
    if mode <= 3:
        args = tuple(_without_nested(a, workbook) for a in args)
    if mode % 2 == 1:  # 1, 3, 5, 7: hidden rows left out
        args = tuple(_without_hidden_rows(a, workbook, True) for a in args)
    if mode in (2, 3, 6, 7):
        args = tuple(_without_errors(a) for a in args)
    if number >= _ARRAY_FORM_FIRST:
        if len(args) != 2:
            return VALUE
        return _array_form(number, args[0], args[1])
    return _apply(number, list(args))
