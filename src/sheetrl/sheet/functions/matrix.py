"""Functions that return matrices: TRANSPOSE, MMULT, MINVERSE, MUNIT.

Excel's rules: MMULT and MINVERSE accept numbers only (an empty cell, text or a logical in an argument is #VALUE!);
MMULT needs as many columns in the first array as rows in the second (#VALUE! otherwise); MINVERSE needs a square
matrix (#VALUE!) that is not singular (#NUM!); MUNIT(n) needs n >= 1 (#VALUE!). TRANSPOSE keeps every value,
an empty cell coming out as 0.
"""

from __future__ import annotations

import math
from typing import Any

from sheetrl.sheet.errors import NUM, VALUE, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.functions.array_tools import (
    as_array,
    from_rows,
    integer,
    rows_of,
    too_large,
)
from sheetrl.sheet.values import Matrix


def _numbers(value: Any) -> list[list[float]] | ExcelError:
    """A numeric matrix from an argument; an error element is the result, anything else non-numeric #VALUE!."""
    data = as_array(value)
    if isinstance(data, ExcelError):
        return data
    rows = rows_of(data)
    for row in rows:
        for item in row:
            if isinstance(item, ExcelError):
                return item
            if type(item) is not float and type(item) is not int:
                return VALUE
    return [[float(x) for x in row] for row in rows]


@register("TRANSPOSE", 1, refs=(0,))
def transpose(array: Any) -> Any:
    """Rows become columns: the value at (r, c) moves to (c, r)."""
    data = as_array(array)
    if isinstance(data, ExcelError):
        return data
    return from_rows([list(column) for column in zip(*rows_of(data))])


@register("MMULT", 2, refs=(0, 1))
def mmult(array1: Any, array2: Any) -> Any:
    """The matrix product: element (i, j) is the sum over k of array1(i, k) * array2(k, j)."""
    a = _numbers(array1)
    if isinstance(a, ExcelError):
        return a
    b = _numbers(array2)
    if isinstance(b, ExcelError):
        return b
    if len(a[0]) != len(b):
        return VALUE
    columns = list(zip(*b))
    product = [[math.fsum(x * y for x, y in zip(row, column)) for column in columns] for row in a]
    if any(not math.isfinite(v) for row in product for v in row):
        return NUM
    return Matrix(len(product), len(columns), [v for row in product for v in row])


def inverse(matrix: list[list[float]]) -> list[list[float]] | None:
    """The inverse by Gauss-Jordan elimination with partial pivoting, or None for a singular matrix."""
    size = len(matrix)
    work = [list(row) + [1.0 if i == j else 0.0 for j in range(size)] for i, row in enumerate(matrix)]
    scale = max((abs(v) for row in matrix for v in row), default=0.0)
    if scale == 0.0:
        return None
    for col in range(size):
        pivot = max(range(col, size), key=lambda r: abs(work[r][col]))
        if abs(work[pivot][col]) <= 1e-15 * scale:
            return None
        work[col], work[pivot] = work[pivot], work[col]
        head = work[col][col]
        work[col] = [v / head for v in work[col]]
        for r in range(size):
            if r != col and work[r][col] != 0.0:
                factor = work[r][col]
                top = work[col]
                work[r] = [v - factor * t for v, t in zip(work[r], top)]
    return [row[size:] for row in work]


@register("MINVERSE", 1, refs=(0,))
def minverse(array: Any) -> Any:
    """The inverse of a square matrix; #NUM! when it has none."""
    a = _numbers(array)
    if isinstance(a, ExcelError):
        return a
    if len(a) != len(a[0]):
        return VALUE
    result = inverse(a)
    if result is None or any(not math.isfinite(v) for row in result for v in row):
        return NUM
    return Matrix(len(result), len(result), [v + 0.0 for row in result for v in row])


@register("MUNIT", 1)
def munit(dimension: Any) -> Any:
    """The identity matrix of the given size."""
    size = integer(dimension)
    if isinstance(size, ExcelError):
        return size
    if size < 1:
        return VALUE
    error = too_large(size, size)
    if error is not None:
        return error
    return Matrix(size, size, [1.0 if i == j else 0.0 for i in range(size) for j in range(size)])
