"""Cell values and Excel's coercion rules.

A computed value is one of: ``float`` (every number; Excel numbers are IEEE doubles), ``str``, ``bool``, ``None``
(an empty cell), an :class:`~sheetrl.sheet.errors.ExcelError`, or — only inside a formula, never stored in a cell —
a :class:`Matrix` (the value of a range reference or an array). Functions receive these and use the helpers below so
that every function coerces exactly as Excel does.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from sheetrl.sheet.errors import DIV0, NA, NUM, VALUE, ExcelError

Scalar = float | str | bool | None | ExcelError


class RangeValues(Sequence[Any]):
    """The values of a reference, read from the workbook only as they are used (a read-only sequence).

    ``VLOOKUP(x, A1:I12, 9, FALSE)`` touches one column and one cell of the table instead of all 108 cells;
    iterating is ``map(dict.get, keys)`` at C speed. Behaves like a list for iteration, ``len``, indexing and
    slicing (slices are lists); ``list(view)`` materializes it.
    """

    __slots__ = ("cells", "keys")

    def __init__(self, keys: Sequence[int], cells: dict) -> None:
        self.keys = keys
        self.cells = cells

    def __len__(self) -> int:
        return len(self.keys)

    def __iter__(self) -> Iterator[Any]:
        return map(self.cells.get, self.keys)

    def __getitem__(self, index: int | slice) -> Any:
        if type(index) is slice:
            return list(map(self.cells.get, self.keys[index]))
        return self.cells.get(self.keys[index])

    def stride(self, start: int, step: int, count: int) -> RangeValues:
        """The ``count`` values at ``start``, ``start + step``, ... (a column or row of a matrix), as a view."""
        return RangeValues(self.keys[start : start + step * count : step], self.cells)

    def __eq__(self, other: object) -> bool:
        return list(self) == (list(other) if isinstance(other, (RangeValues, list, tuple)) else other)

    def __repr__(self) -> str:
        return f"RangeValues({list(self)[:6]!r}{'...' if len(self.keys) > 6 else ''})"


LAZY_VIEW_CELLS = 64  # a row or column of a reference up to this long is read whole: cheaper than a view


class Matrix:
    """A 2-D block of values: a range reference (``is_reference``) or an array constant/result, stored row-major."""

    __slots__ = ("cols", "is_reference", "omitted_blanks", "origin", "rows", "values")

    def __init__(
        self,
        rows: int,
        cols: int,
        values: list[Any],
        is_reference: bool = False,
        origin: tuple[int, int, int] | None = None,
        omitted_blanks: int = 0,
    ) -> None:
        self.rows = rows
        self.cols = cols
        self.values = values
        self.is_reference = is_reference
        # (sheet_id, row, col) of the top-left cell for a reference: lets lookups report positions.
        self.origin = origin
        # Empty cells of a whole-column (or whole-row) reference left out because they lie beyond the sheet's used
        # extent: functions that count empty cells (COUNTBLANK, COUNTIF(A:A, "<>x")) add them back.
        self.omitted_blanks = omitted_blanks

    @classmethod
    def from_rows(cls, rows: list[list[Any]], is_reference: bool = False) -> Matrix:
        """Build a matrix from a list of equally long rows."""
        width = len(rows[0]) if rows else 0
        return cls(len(rows), width, [v for row in rows for v in row], is_reference)

    def at(self, row: int, col: int) -> Any:
        """Value at 0-based (row, col)."""
        return self.values[row * self.cols + col]

    def row(self, index: int) -> list[Any]:
        return self.values[index * self.cols : (index + 1) * self.cols]

    def column(self, index: int) -> list[Any]:
        return self.values[index :: self.cols]

    def column_view(self, index: int) -> Sequence[Any]:
        """Column ``index`` without reading it: a lazy view where the values are a long reference's (a search
        that stops early, or a binary search, reads only the cells it visits), else a list."""
        values = self.values
        if type(values) is list or self.rows <= LAZY_VIEW_CELLS:
            return values[index :: self.cols]
        return values.stride(index, self.cols, self.rows)  # type: ignore[attr-defined]

    def row_view(self, index: int) -> Sequence[Any]:
        """Row ``index`` without reading it (see :meth:`column_view`)."""
        values = self.values
        if type(values) is list or self.cols <= LAZY_VIEW_CELLS:
            return values[index * self.cols : (index + 1) * self.cols]
        return values.stride(index * self.cols, 1, self.cols)  # type: ignore[attr-defined]

    def to_rows(self) -> list[list[Any]]:
        return [self.row(r) for r in range(self.rows)]

    def __repr__(self) -> str:
        kind = "ref" if self.is_reference else "array"
        return f"Matrix({self.rows}x{self.cols} {kind}, {self.values[:6]!r}{'...' if len(self.values) > 6 else ''})"


def is_error(value: Any) -> bool:
    return type(value) is ExcelError


def is_number(value: Any) -> bool:
    """True for a number (not a boolean)."""
    t = type(value)
    return t is float or t is int


_NUMBER_TEXT = re.compile(r"\s*([+-]?)\s*(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?\s*(%?)\s*")
_THOUSANDS_TEXT = re.compile(r"\s*([+-]?)\s*(\d{1,3}(?:,\d{3})+(?:\.\d*)?)\s*(%?)\s*")


def _plain_number_text(text: str) -> float | None:
    match = _NUMBER_TEXT.fullmatch(text)
    if match:
        sign, digits, exponent, percent = match.groups()
        try:
            number = float(digits + (f"e{exponent}" if exponent else ""))
        except (OverflowError, ValueError):
            return None
        if math.isinf(number):
            return None
        if sign == "-":
            number = -number
        return number / 100.0 if percent else number
    match = _THOUSANDS_TEXT.fullmatch(text)
    if match:
        number = float(match.group(2).replace(",", ""))
        if match.group(3):
            number /= 100.0
        return -number if match.group(1) == "-" else number
    return None


_CURRENCY_TEXT = re.compile(r"\s*([+-]?)\s*\$\s*(.*)", re.DOTALL)
_PARENTHESES_TEXT = re.compile(r"\s*\((.*)\)\s*", re.DOTALL)


def parse_number_text(text: str) -> float | None:
    """Parse text the way Excel converts text to a number: '12', ' -1.5e3 ', '50%', '1,234.5', '$1,000', '(12)'.

    Dates and times typed as text are handled by ``date_time.parse_date_text``; they are not numbers here.
    """
    number = _plain_number_text(text)
    if number is not None or not text:
        return number
    negative = False
    bracketed = _PARENTHESES_TEXT.fullmatch(text)
    if bracketed:
        negative, text = True, bracketed.group(1)
        if text.strip()[:1] in ("+", "-"):
            return None  # "(-5)" is not a number
    currency = _CURRENCY_TEXT.fullmatch(text)
    if currency:
        text = currency.group(1) + currency.group(2)
    elif not bracketed:
        return None
    number = _plain_number_text(text.strip())
    if number is None:
        return None
    return -number if negative else number


# Hook set by the date_time module so that "2024-01-31" coerces to a date serial in arithmetic, as in Excel.
date_text_parser: Callable[[str], float | None] | None = None


def to_number(value: Any) -> float | ExcelError:
    """Coerce a scalar to a number (Excel's rules for operators and scalar function arguments).

    Numbers stay, booleans become 1/0, empty becomes 0, numeric text is parsed, other text is #VALUE!,
    errors pass through.
    """
    t = type(value)
    if t is float:
        return value
    if t is int:
        return float(value)
    if t is bool:
        return 1.0 if value else 0.0
    if value is None:
        return 0.0
    if t is str:
        number = parse_number_text(value)
        if number is None and date_text_parser is not None and value[:1] != " " and value[-1:] != " ":
            # Excel reads " 10 " as 10 but not " 2024-01-10 " as a date (measured on workbooks Excel calculated)
            number = date_text_parser(value)
        return VALUE if number is None else number
    if t is ExcelError:
        return value
    if t is Matrix:
        return to_number(scalar_of(value))
    return VALUE


def to_bool(value: Any) -> bool | ExcelError:
    """Coerce a scalar to a boolean: numbers are non-zero, 'TRUE'/'FALSE' text (any case), empty is False."""
    t = type(value)
    if t is bool:
        return value
    if t is float or t is int:
        return value != 0
    if value is None:
        return False
    if t is str:
        upper = value.upper()
        if upper == "TRUE":
            return True
        if upper == "FALSE":
            return False
        return VALUE
    if t is ExcelError:
        return value
    if t is Matrix:
        return to_bool(scalar_of(value))
    return VALUE


def number_to_text(number: float) -> str:
    """Render a number the way Excel's General format does inside text operations (15 significant digits)."""
    if number == 0:
        return "0"
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    text = f"{number:.15g}"
    if "e" in text:
        mantissa, _, exponent = text.partition("e")
        exp = int(exponent)
        if -10 < exp < 0:  # 0.000001 stays positional, as Excel and LibreOffice show it
            return format(Decimal(text), "f")
        return f"{mantissa}E{'+' if exp >= 0 else '-'}{abs(exp):02d}"
    return text


def to_text(value: Any) -> str | ExcelError:
    """Coerce a scalar to text: numbers in General format, booleans as TRUE/FALSE, empty as ''."""
    t = type(value)
    if t is str:
        return value
    if t is float or t is int:
        return number_to_text(float(value))
    if t is bool:
        return "TRUE" if value else "FALSE"
    if value is None:
        return ""
    if t is ExcelError:
        return value
    if t is Matrix:
        return to_text(scalar_of(value))
    return VALUE


def scalar_of(value: Any) -> Any:
    """The top-left element of a matrix (what a non-array formula sees of an array); scalars pass through."""
    if type(value) is Matrix:
        if not value.values:
            return VALUE
        first = value.values[0]
        return 0.0 if first is None and not value.is_reference else first
    return value


def check_number(number: float) -> float | ExcelError:
    """Map overflow and invalid results to Excel errors (#NUM!)."""
    if math.isnan(number) or math.isinf(number):
        return NUM
    return number


def type_rank(value: Any) -> int:
    """Excel's sort order of types: numbers < text < booleans (errors and empty handled by callers)."""
    t = type(value)
    if t is bool:
        return 2
    if t is str:
        return 1
    return 0


def compare(a: Any, b: Any) -> int:
    """Excel comparison of two non-error scalars: -1, 0 or 1. Empty compares as 0, '' or FALSE as needed.

    Text compares case-insensitively; across types, numbers < text < booleans.
    """
    if a is None:
        a = "" if type(b) is str else (False if type(b) is bool else 0.0)
    if b is None:
        b = "" if type(a) is str else (False if type(a) is bool else 0.0)
    ra, rb = type_rank(a), type_rank(b)
    if ra != rb:
        return -1 if ra < rb else 1
    if ra == 1:
        a, b = a.lower(), b.lower()
    if a < b:
        return -1
    if a > b:
        return 1
    return 0


def flatten(args: Iterable[Any]) -> Iterator[tuple[Any, bool]]:
    """Yield ``(value, came_from_range_or_array)`` for every value of every argument, expanding matrices."""
    for arg in args:
        if type(arg) is Matrix:
            for v in arg.values:
                yield v, True
        else:
            yield arg, False


def collect_numbers(args: Iterable[Any], direct_text_error: bool = True) -> list[float] | ExcelError:
    """Numbers for SUM-like functions, with Excel's rules.

    From ranges and arrays: only numbers count (text, booleans and empties are skipped). Direct arguments: numbers,
    booleans (1/0) and numeric text count; non-numeric text is #VALUE!. Any error value is returned as the result.
    """
    numbers: list[float] = []
    append = numbers.append
    for arg in args:
        if type(arg) is Matrix:
            values = arg.values
            floats = [v for v in values if type(v) is float]  # the common case, at C speed
            if len(floats) != len(values):
                for v in values:
                    t = type(v)
                    if t is ExcelError:
                        return v
                    if t is int:  # rare (arrays built in Python): keep the order of appearance
                        floats = [float(x) for x in values if type(x) is float or type(x) is int]
                        break
            numbers.extend(floats)
        else:
            t = type(arg)
            if t is float or t is int:
                append(arg)
            elif t is ExcelError:
                return arg
            elif arg is None:
                continue
            else:
                number = to_number(arg)
                if type(number) is ExcelError:
                    if direct_text_error:
                        return number
                    continue
                append(number)
    return numbers


def safe_divide(a: float, b: float) -> float | ExcelError:
    if b == 0:
        return DIV0
    return check_number(a / b)


def fit_to_range(value: Any, rows: int, cols: int, beyond: Any = NA) -> list[Any]:
    """A legacy array formula's result laid out over its rows x cols range, row-major: a single value fills every
    cell, a one-row/one-column array repeats along the other axis, cells beyond the array get ``beyond``."""
    if type(value) is not Matrix:
        return [value] * (rows * cols)
    out = []
    for r in range(rows):
        rr = 0 if value.rows == 1 else r
        for c in range(cols):
            cc = 0 if value.cols == 1 else c
            out.append(value.values[rr * value.cols + cc] if rr < value.rows and cc < value.cols else beyond)
    return out
