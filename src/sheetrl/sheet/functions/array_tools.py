"""Argument helpers shared by the functions that take or return whole arrays.

Arrays are :class:`~sheetrl.sheet.values.Matrix` values, row-major. Results are always fresh, list-backed arrays of
cell values (an empty cell in an argument comes out as 0, as Excel shows it in a spilled result); the workbook
spills them.
"""

from __future__ import annotations

import math
from typing import Any

from sheetrl.sheet.errors import CALC, NUM, VALUE, ExcelError
from sheetrl.sheet.lambdas import LambdaValue
from sheetrl.sheet.values import Matrix, to_bool, to_number

# Largest array a function builds (cells). Excel's grid holds 17 billion cells, far more than memory does; past this
# size a function gives #NUM! instead of exhausting memory.
MAX_ARRAY_CELLS = 5_000_000
GRID_ROWS = 1_048_576
GRID_COLS = 16_384


def as_array(value: Any) -> Matrix | ExcelError:
    """An argument as a 2-D array: a range or array as it is, a single value as a 1x1 array; errors pass."""
    if type(value) is Matrix:
        return value
    if isinstance(value, ExcelError):
        return value
    return Matrix(1, 1, [value])


def rows_of(array: Matrix) -> list[list[Any]]:
    """The array's rows as lists (materialized once: a range view reads its cells here)."""
    values = list(array.values)
    cols = array.cols
    return [values[r * cols : (r + 1) * cols] for r in range(array.rows)]


def from_rows(rows: list[list[Any]]) -> Matrix | ExcelError:
    """A result array from equally long rows; #CALC! when empty (Excel has no empty arrays)."""
    if not rows or not rows[0]:
        return CALC
    return Matrix(len(rows), len(rows[0]), [blank_as_zero(v) for row in rows for v in row])


def blank_as_zero(value: Any) -> Any:
    """An element of a result: an empty cell is shown as 0 in a spilled array."""
    return 0.0 if value is None else value


def single_result(value: Any, larger: ExcelError = CALC) -> Any:
    """A LAMBDA call's result as one element: a 1x1 array is its value, a larger array ``larger`` (#CALC!: nested
    arrays), a LAMBDA left uncalled #CALC!, an empty cell 0."""
    if type(value) is Matrix:
        if value.rows * value.cols != 1:
            return larger
        value = value.values[0]
    if isinstance(value, LambdaValue):
        return CALC
    return blank_as_zero(value)


def integer(value: Any, default: int | None = None) -> int | ExcelError:
    """A whole-number argument (truncated toward zero, as Excel does for counts and indexes).

    An omitted argument (None) gives ``default``; without one it reads as 0.
    """
    if type(value) is Matrix:
        value = value.values[0] if value.rows * value.cols == 1 else VALUE
    if value is None and default is not None:
        return default
    if isinstance(value, ExcelError):
        return value
    number = to_number(value)
    if isinstance(number, ExcelError):
        return number
    if not math.isfinite(number) or abs(number) >= 2**53:
        return NUM
    return int(number)


def number(value: Any, default: float) -> float | ExcelError:
    """A numeric argument; an omitted one (None) gives ``default``."""
    if type(value) is Matrix:
        value = value.values[0] if value.rows * value.cols == 1 else VALUE
    if value is None:
        return default
    return to_number(value)


def flag(value: Any, default: bool = False) -> bool | ExcelError:
    """A TRUE/FALSE argument (numbers count: non-zero is TRUE); an omitted one gives ``default``."""
    if type(value) is Matrix:
        value = value.values[0] if value.rows * value.cols == 1 else VALUE
    if value is None:
        return default
    return to_bool(value)


def too_large(rows: int, cols: int) -> ExcelError | None:
    """#VALUE! for a shape the grid cannot hold, #NUM! for one larger than memory allows, else None."""
    if rows > GRID_ROWS or cols > GRID_COLS:
        return VALUE
    if rows * cols > MAX_ARRAY_CELLS:
        return NUM
    return None


# Excel's ERROR.TYPE numbers, by which SORT orders error values among themselves.
_ERROR_TYPE = {
    "#NULL!": 1, "#DIV/0!": 2, "#VALUE!": 3, "#REF!": 4, "#NAME?": 5, "#NUM!": 6, "#N/A": 7, "#SPILL!": 9,
    "#CALC!": 14,
}  # fmt: skip


def sort_rank(value: Any) -> tuple[int, Any]:
    """Key that orders values as Excel's SORT does: numbers, then text (case-insensitive), FALSE, TRUE, errors
    (by ERROR.TYPE: #DIV/0! before #NAME? before #N/A); empty cells are placed last by the callers, in either
    direction (as real Excel files show)."""
    t = type(value)
    if t is float or t is int:
        return 0, float(value)
    if t is str:
        return 1, value.lower()
    if t is bool:
        return 2, value
    if isinstance(value, ExcelError):
        return 3, _ERROR_TYPE.get(str(value), 15)
    return 4, 0


def identity_key(value: Any) -> tuple[int, Any]:
    """Key under which UNIQUE considers two values equal: text without regard to case, numbers by value."""
    t = type(value)
    if value is None:
        return 5, None  # an empty cell is not 0 (though it shows as 0 in a result)
    if t is float or t is int:
        return 0, float(value) + 0.0
    if t is str:
        return 1, value.lower()
    if t is bool:
        return 2, value
    if t is ExcelError:
        return 3, str(value)
    return 4, id(value)


__all__ = [
    "GRID_COLS", "GRID_ROWS", "MAX_ARRAY_CELLS", "as_array", "blank_as_zero", "flag", "from_rows", "identity_key",
    "integer", "number", "rows_of", "sort_rank", "too_large",
]
