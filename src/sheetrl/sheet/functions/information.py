"""Information functions: the IS* tests (ISBLANK, ISERROR, ISNUMBER ...) and NA().

The IS* type tests take their argument as a reference (so ISBLANK can tell an empty cell from "") and see errors
instead of propagating them. A multi-cell range or an array gives an array of results, one per element (which
spills, or feeds SUMPRODUCT(--ISNUMBER(A1:A9))); a formula from a file without dynamic arrays intersects the range
first (``ISNUMBER(@A1:A9)``, see :mod:`sheetrl.sheet.legacy`), as Excel did.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from sheetrl.sheet.errors import NA, VALUE, ExcelError
from sheetrl.sheet.functions import register
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
