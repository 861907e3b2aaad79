"""Functions that call a LAMBDA: MAP, REDUCE, SCAN, BYROW, BYCOL, MAKEARRAY.

LET, LAMBDA and ISOMITTED bind names, so the compiler handles them (:mod:`sheetrl.sheet.lambdas`); the functions
here receive a :class:`~sheetrl.sheet.lambdas.LambdaValue` as their last argument and call it (a library
function's name there, ``BYROW(A1:C3, SUM)``, is a :class:`~sheetrl.sheet.lambdas.FunctionLambda`, called alike).
Excel's rules kept here: the last argument must be a LAMBDA taking exactly as many parameters as the function
passes (#VALUE! otherwise); MAP's arrays must have the same shape (#VALUE!); MAP, SCAN, BYROW, BYCOL and MAKEARRAY
need one value per call, so a LAMBDA returning an array there is #CALC! (nested arrays), while REDUCE may accumulate
an array; MAKEARRAY needs at least one row and one column (#VALUE!). BYROW and BYCOL pass each row (column) of a
range as a reference, so ROWS, SUM and the like treat it as a range.
"""

from __future__ import annotations

from typing import Any

from sheetrl.sheet.errors import VALUE, ExcelError
from sheetrl.sheet.functions import MAX_ARGS, register
from sheetrl.sheet.functions.array_tools import (
    as_array,
    integer,
    single_result,
    too_large,
)
from sheetrl.sheet.lambdas import LambdaValue
from sheetrl.sheet.values import Matrix


def _function(value: Any, parameters: int) -> LambdaValue | ExcelError:
    """The LAMBDA argument, checked to take ``parameters`` parameters."""
    if isinstance(value, ExcelError):
        return value
    if not isinstance(value, LambdaValue) or not value.required <= parameters <= value.arity:
        return VALUE
    return value


@register("MAP", 2, MAX_ARGS, refs="all")
def map_(*args: Any) -> Any:
    """A LAMBDA applied to the elements of one or more arrays of the same shape, position by position."""
    *arrays, function = args
    called = _function(function, len(arrays))
    if isinstance(called, ExcelError):
        return called
    blocks = []
    for item in arrays:
        block = as_array(item)
        if isinstance(block, ExcelError):
            return block
        blocks.append(block)
    rows, cols = blocks[0].rows, blocks[0].cols
    if any((b.rows, b.cols) != (rows, cols) for b in blocks):
        return VALUE
    columns = [list(b.values) for b in blocks]
    return Matrix(rows, cols, [single_result(called(*items)) for items in zip(*columns)])


def _accumulate(initial: Any, array: Any, function: Any, keep_steps: bool) -> Any:
    called = _function(function, 2)
    if isinstance(called, ExcelError):
        return called
    block = as_array(array)
    if isinstance(block, ExcelError):
        return block
    accumulator = initial
    steps = []
    for value in list(block.values):
        accumulator = called(accumulator, value)
        if keep_steps:
            steps.append(single_result(accumulator))
    if keep_steps:
        return Matrix(block.rows, block.cols, steps)
    return accumulator


@register("REDUCE", 3, refs="all")
def reduce_(initial_value: Any, array: Any, function: Any) -> Any:
    """The accumulator after calling LAMBDA(accumulator, value) on every element of an array in turn."""
    return _accumulate(initial_value, array, function, keep_steps=False)


@register("SCAN", 3, refs="all")
def scan(initial_value: Any, array: Any, function: Any) -> Any:
    """Like REDUCE, but the array of every intermediate accumulator value (the shape of ``array``)."""
    return _accumulate(initial_value, array, function, keep_steps=True)


def _lines(array: Any, function: Any, by_row: bool) -> Any:
    called = _function(function, 1)
    if isinstance(called, ExcelError):
        return called
    block = as_array(array)
    if isinstance(block, ExcelError):
        return block
    values = list(block.values)
    rows, cols = block.rows, block.cols
    origin = block.origin if block.is_reference else None
    results = []
    for index in range(rows if by_row else cols):
        if by_row:
            line = Matrix(1, cols, values[index * cols : (index + 1) * cols])
            if origin is not None:
                line = Matrix(1, cols, line.values, True, (origin[0], origin[1] + index, origin[2]))
        else:
            line = Matrix(rows, 1, values[index::cols])
            if origin is not None:
                line = Matrix(rows, 1, line.values, True, (origin[0], origin[1], origin[2] + index))
        results.append(single_result(called(line)))
    return Matrix(len(results), 1, results) if by_row else Matrix(1, len(results), results)


@register("BYROW", 2, refs="all")
def byrow(array: Any, function: Any) -> Any:
    """A column with a LAMBDA's result for each row of an array."""
    return _lines(array, function, by_row=True)


@register("BYCOL", 2, refs="all")
def bycol(array: Any, function: Any) -> Any:
    """A row with a LAMBDA's result for each column of an array."""
    return _lines(array, function, by_row=False)


@register("MAKEARRAY", 3, refs=(2,))
def makearray(rows: Any, columns: Any, function: Any) -> Any:
    """A rows x columns array whose element (r, c) is LAMBDA(r, c), counting from 1."""
    height = integer(rows)
    width = integer(columns)
    if isinstance(height, ExcelError):
        return height
    if isinstance(width, ExcelError):
        return width
    if height < 1 or width < 1:
        return VALUE
    error = too_large(height, width)
    if error is not None:
        return error
    called = _function(function, 2)
    if isinstance(called, ExcelError):
        return called
    return Matrix(
        height, width,
        [single_result(called(float(r), float(c))) for r in range(1, height + 1) for c in range(1, width + 1)],
    )
