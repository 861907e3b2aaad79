"""Matrix functions that return one number: MDETERM."""

from __future__ import annotations

from typing import Any

from sheetrl.sheet.errors import VALUE, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.functions.arguments import numeric_array
from sheetrl.sheet.values import Matrix, check_number


def determinant(rows: list[list[float]]) -> float:
    """Determinant by Gaussian elimination with partial pivoting (the largest pivot in each column)."""
    size = len(rows)
    work = [list(row) for row in rows]
    result = 1.0
    for col in range(size):
        pivot = max(range(col, size), key=lambda r: abs(work[r][col]))
        if work[pivot][col] == 0:
            return 0.0
        if pivot != col:
            work[col], work[pivot] = work[pivot], work[col]
            result = -result
        head = work[col][col]
        result *= head
        for r in range(col + 1, size):
            factor = work[r][col] / head
            if factor:
                row, top = work[r], work[col]
                for c in range(col + 1, size):
                    row[c] -= factor * top[c]
    return result


@register("MDETERM", 1, refs=(0,))
def mdeterm(array: Any) -> Any:
    """Determinant of a square array of numbers; #VALUE! for a non-square array or one with text or blanks."""
    values = numeric_array(array)
    if type(values) is ExcelError:
        return values
    rows, cols = (array.rows, array.cols) if type(array) is Matrix else (1, 1)
    if rows != cols:
        return VALUE
    return check_number(determinant([values[r * cols : (r + 1) * cols] for r in range(rows)]) + 0.0)
