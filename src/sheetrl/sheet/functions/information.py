"""Information functions: the IS* tests (ISBLANK, ISERROR, ISNUMBER ...), NA, N, TYPE, ERROR.TYPE and ISREF.

The IS* type tests take their argument as a reference (so ISBLANK can tell an empty cell from "") and see errors
instead of propagating them. A multi-cell range or an array gives an array of results, one per element (which
spills, or feeds SUMPRODUCT(--ISNUMBER(A1:A9))); a formula from a file without dynamic arrays intersects the range
first (``ISNUMBER(@A1:A9)``, see :mod:`sheetrl.sheet.legacy`), as Excel did.

The functions that read the workbook itself (ISFORMULA, SHEET, SHEETS, CELL, INFO) are in
:mod:`~sheetrl.sheet.functions.workbook_info`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from sheetrl.sheet.errors import DIV0, NA, NAME, NULL, NUM, REF, VALUE, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.lambdas import LambdaValue
from sheetrl.sheet.values import Matrix, scalar_of, to_number


def _test_each(value: Any, test: Callable[[Any], bool]) -> Any:
    """Apply a type test to a scalar, a single cell, or every element of a range/array."""
    if type(value) is Matrix:
        if value.rows * value.cols == 1:
            return test(value.values[0])
        return Matrix(value.rows, value.cols, [test(v) for v in value.values])
    return test(value)


@register("ISBLANK", 1, refs=(0,), propagate_errors=False)
def isblank(value: Any) -> Any:
    """TRUE for an empty cell (not for "")."""
    return _test_each(value, lambda v: v is None)


@register("ISERROR", 1, refs=(0,), propagate_errors=False)
def iserror(value: Any) -> Any:
    """TRUE for any error value."""
    return _test_each(value, lambda v: type(v) is ExcelError)


@register("ISERR", 1, refs=(0,), propagate_errors=False)
def iserr(value: Any) -> Any:
    """TRUE for any error value except #N/A."""
    return _test_each(value, lambda v: type(v) is ExcelError and v is not NA)


@register("ISNA", 1, refs=(0,), propagate_errors=False)
def isna(value: Any) -> Any:
    """TRUE for #N/A."""
    return _test_each(value, lambda v: v is NA)


@register("ISNUMBER", 1, refs=(0,), propagate_errors=False)
def isnumber(value: Any) -> Any:
    """TRUE for a number (not for numeric text or a boolean)."""
    return _test_each(value, lambda v: type(v) is float or type(v) is int)


@register("ISTEXT", 1, refs=(0,), propagate_errors=False)
def istext(value: Any) -> Any:
    """TRUE for text (including "")."""
    return _test_each(value, lambda v: type(v) is str)


@register("ISNONTEXT", 1, refs=(0,), propagate_errors=False)
def isnontext(value: Any) -> Any:
    """TRUE for anything but text (an empty cell included)."""
    return _test_each(value, lambda v: type(v) is not str)


@register("ISLOGICAL", 1, refs=(0,), propagate_errors=False)
def islogical(value: Any) -> Any:
    """TRUE for a boolean."""
    return _test_each(value, lambda v: type(v) is bool)


def _integer_part(value: Any) -> int | ExcelError:
    """The number truncated to an integer for ISEVEN/ISODD; booleans and non-numeric text are #VALUE!."""
    value = scalar_of(value)
    if type(value) is bool:
        return VALUE
    number = to_number(value)
    if type(number) is ExcelError:
        return number
    return math.trunc(number)


@register("ISEVEN", 1)
def iseven(number: Any) -> Any:
    """TRUE when the number, truncated to an integer, is even."""
    whole = _integer_part(number)
    if type(whole) is ExcelError:
        return whole
    return whole % 2 == 0


@register("ISODD", 1)
def isodd(number: Any) -> Any:
    """TRUE when the number, truncated to an integer, is odd."""
    whole = _integer_part(number)
    if type(whole) is ExcelError:
        return whole
    return whole % 2 == 1


@register("NA", 0)
def na() -> ExcelError:
    """The error value #N/A."""
    return NA


# ------------------------------------------------------------------------------------ N, TYPE, ERROR.TYPE
def _first_value(value: Any) -> Any:
    """The value itself, or the top-left value of a reference or array."""
    if type(value) is Matrix:
        return value.values[0] if value.values else None
    return value


@register("N", 1, propagate_errors=False)
def n(value: Any) -> Any:
    """The value as a number: numbers stay, TRUE is 1, FALSE, text and empty are 0, an error stays an error."""
    value = _first_value(value)
    t = type(value)
    if t is float or t is int:
        return float(value)
    if t is bool:
        return 1.0 if value else 0.0
    if t is ExcelError:
        return value
    return 0.0


@register("TYPE", 1, refs=(0,), propagate_errors=False)
def type_(value: Any) -> Any:
    """The type of a value: 1 number (and empty), 2 text, 4 logical, 16 error, 64 array or multi-cell range, 128 a
    function value (a LAMBDA)."""
    if isinstance(value, LambdaValue):
        return 128.0
    if type(value) is Matrix:
        if value.rows * value.cols != 1:
            return 64.0
        value = value.values[0]
    t = type(value)
    if t is str:
        return 2.0
    if t is bool:
        return 4.0
    if t is ExcelError:
        return 16.0
    return 1.0


_ERROR_NUMBERS = {NULL: 1.0, DIV0: 2.0, VALUE: 3.0, REF: 4.0, NAME: 5.0, NUM: 6.0, NA: 7.0}
# Errors of newer Excel versions, for values that carry them (from files, or functions that produce them).
_ERROR_NUMBERS.update({
    ExcelError(code): float(number)
    for number, code in enumerate(
        ("#GETTING_DATA", "#SPILL!", "#CONNECT!", "#BLOCKED!", "#UNKNOWN!", "#FIELD!", "#CALC!"), start=8
    )
})


@register("ERROR.TYPE", 1, propagate_errors=False)
def error_type(error_val: Any) -> Any:
    """The number of an error value (1 #NULL!, 2 #DIV/0!, 3 #VALUE!, 4 #REF!, 5 #NAME?, 6 #NUM!, 7 #N/A, then 8
    #GETTING_DATA to 14 #CALC!); #N/A for a value that is not an error. A circular reference (#CYCLE!, which has no
    Excel number) stays #CYCLE!."""
    value = scalar_of(error_val)
    if type(value) is not ExcelError:
        return NA
    return _ERROR_NUMBERS.get(value, value)


@register("ISREF", 1, refs=(0,), propagate_errors=False)
def isref(value: Any) -> Any:
    """TRUE when the argument is a reference (a cell or a range), not a value."""
    return type(value) is Matrix and value.is_reference
