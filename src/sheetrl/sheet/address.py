"""A1 addresses: column letters, cell keys and ranges.

A cell is identified inside a workbook by one integer *key* that packs the sheet id, the 0-based row and the 0-based
column: ``key = sheet_id << 34 | row << 14 | col``. Integer keys hash fast and make relative moves plain additions,
which is what the hot recalculation path needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sheetrl.sheet.errors import AddressError

MAX_ROWS = 1_048_576
MAX_COLS = 16_384
ROW_SHIFT = 14
SHEET_SHIFT = 34
COL_MASK = (1 << ROW_SHIFT) - 1
ROW_MASK = (1 << (SHEET_SHIFT - ROW_SHIFT)) - 1


def make_key(sheet_id: int, row: int, col: int) -> int:
    """Pack a sheet id and 0-based row/column into one integer key."""
    return (sheet_id << SHEET_SHIFT) | (row << ROW_SHIFT) | col


def range_keys(sheet_id: int, row1: int, col1: int, row2: int, col2: int) -> list[int]:
    """Keys of every cell of a rectangle, row by row (0-based corners, inclusive), without a call per cell."""
    first = (sheet_id << SHEET_SHIFT) | (row1 << ROW_SHIFT)
    last = (sheet_id << SHEET_SHIFT) | (row2 << ROW_SHIFT)
    if col1 == col2:
        return list(range(first | col1, (last | col1) + 1, 1 << ROW_SHIFT))
    if row1 == row2:
        return list(range(first | col1, (first | col2) + 1))
    columns = range(col1, col2 + 1)
    return [start | col for start in range(first, last + 1, 1 << ROW_SHIFT) for col in columns]


def split_key(key: int) -> tuple[int, int, int]:
    """Unpack a key into ``(sheet_id, row, col)`` (0-based row and column)."""
    return key >> SHEET_SHIFT, (key >> ROW_SHIFT) & ROW_MASK, key & COL_MASK


def column_letters(col: int) -> str:
    """0-based column index to letters: 0 -> 'A', 26 -> 'AA'."""
    if not 0 <= col < MAX_COLS:
        raise AddressError(f"column index {col} is outside A..XFD")
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@lru_cache(maxsize=4096)
def column_index(letters: str) -> int:
    """Column letters to 0-based index: 'A' -> 0, 'xfd' -> 16383."""
    if not letters or not letters.isalpha() or not letters.isascii():
        raise AddressError(f"{letters!r} is not a column name")
    col = 0
    for ch in letters.upper():
        col = col * 26 + (ord(ch) - 64)
    if col > MAX_COLS:
        raise AddressError(f"column {letters!r} is beyond the last column XFD")
    return col - 1


@lru_cache(maxsize=1 << 16)
def cell_name(row: int, col: int, row_abs: bool = False, col_abs: bool = False) -> str:
    """0-based row/column to an A1 name such as 'B3' or '$B$3'."""
    return f"{'$' if col_abs else ''}{column_letters(col)}{'$' if row_abs else ''}{row + 1}"


@lru_cache(maxsize=4096)
def quote_sheet_name(name: str) -> str:
    """Quote a sheet name for use in a formula when it needs it: ``My Sheet`` -> ``'My Sheet'`` (cached: task
    checks and reward terms qualify every target's address every step)."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", name) and not _CELL_RE.fullmatch(name):
        return name
    return "'" + name.replace("'", "''") + "'"


_CELL_RE = re.compile(r"(\$?)([A-Za-z]{1,3})(\$?)([0-9]+)")


@dataclass(frozen=True, slots=True)
class CellAddress:
    """A parsed cell address (0-based row/col); ``sheet`` is None when the text named no sheet."""

    sheet: str | None
    row: int
    col: int
    row_abs: bool = False
    col_abs: bool = False

    def __str__(self) -> str:
        name = cell_name(self.row, self.col, self.row_abs, self.col_abs)
        return f"{quote_sheet_name(self.sheet)}!{name}" if self.sheet is not None else name


@dataclass(frozen=True, slots=True)
class RangeAddress:
    """A rectangular range (0-based, inclusive corners, normalized so that row1 <= row2 and col1 <= col2)."""

    sheet: str | None
    row1: int
    col1: int
    row2: int
    col2: int

    @property
    def rows(self) -> int:
        return self.row2 - self.row1 + 1

    @property
    def cols(self) -> int:
        return self.col2 - self.col1 + 1

    def cells(self) -> list[tuple[int, int]]:
        """Every (row, col) in the range, row by row."""
        return [(r, c) for r in range(self.row1, self.row2 + 1) for c in range(self.col1, self.col2 + 1)]

    def __contains__(self, item: tuple[int, int]) -> bool:
        row, col = item
        return self.row1 <= row <= self.row2 and self.col1 <= col <= self.col2

    def __str__(self) -> str:
        text = f"{cell_name(self.row1, self.col1)}:{cell_name(self.row2, self.col2)}"
        return f"{quote_sheet_name(self.sheet)}!{text}" if self.sheet is not None else text


def split_sheet(text: str) -> tuple[str | None, str]:
    """Split ``Sheet1!A1`` / ``'My sheet'!A1`` into (sheet name or None, rest)."""
    text = text.strip()
    if text.startswith("'"):
        end = 1
        name = []
        while True:
            quote = text.find("'", end)
            if quote < 0:
                raise AddressError(f"unterminated quoted sheet name in {text!r}")
            name.append(text[end:quote])
            if text[quote + 1 : quote + 2] == "'":
                name.append("'")
                end = quote + 2
                continue
            if text[quote + 1 : quote + 2] != "!":
                raise AddressError(f"expected '!' after the sheet name in {text!r}")
            return "".join(name), text[quote + 2 :]
    if "!" in text:
        sheet, _, rest = text.partition("!")  # an unquoted sheet name cannot contain '!' (rest may: #REF!)
        if not sheet:
            raise AddressError(f"empty sheet name in {text!r}")
        return sheet, rest
    return None, text


@lru_cache(maxsize=65536)
def parse_cell(text: str) -> CellAddress:
    """Parse 'B3', '$B$3' or 'Sheet2!B3' into a CellAddress; raises AddressError naming the problem."""
    if not isinstance(text, str):
        raise AddressError(f"a cell address must be text like 'B3', not {type(text).__name__}")
    sheet, rest = split_sheet(text)
    match = _CELL_RE.fullmatch(rest.strip())
    if match is None:
        raise AddressError(f"{text!r} is not a cell address like 'B3' or 'Sheet2!$B$3'")
    col_abs, letters, row_abs, digits = match.groups()
    row = int(digits) - 1
    if not 0 <= row < MAX_ROWS:
        raise AddressError(f"row {digits} in {text!r} is outside 1..{MAX_ROWS}")
    return CellAddress(sheet, row, column_index(letters), bool(row_abs), bool(col_abs))


@lru_cache(maxsize=65536)
def parse_range(text: str) -> RangeAddress:
    """Parse 'A1:C3', 'B2' (a one-cell range), 'A:A' or '1:3', optionally with a sheet prefix."""
    if not isinstance(text, str):
        raise AddressError(f"a range address must be text like 'A1:C3', not {type(text).__name__}")
    sheet, rest = split_sheet(text)
    rest = rest.replace("$", "").strip()
    if ":" not in rest:
        cell = parse_cell(rest)
        return RangeAddress(sheet, cell.row, cell.col, cell.row, cell.col)
    first, _, last = rest.partition(":")
    if first.isalpha() and last.isalpha():
        c1, c2 = sorted((column_index(first), column_index(last)))
        return RangeAddress(sheet, 0, c1, MAX_ROWS - 1, c2)
    if first.isdigit() and last.isdigit():
        r1, r2 = sorted((int(first) - 1, int(last) - 1))
        if r1 < 0 or r2 >= MAX_ROWS:
            raise AddressError(f"rows in {text!r} are outside 1..{MAX_ROWS}")
        return RangeAddress(sheet, r1, 0, r2, MAX_COLS - 1)
    try:
        a = parse_cell(first)
        b = parse_cell(last)
    except AddressError:
        raise AddressError(f"{text!r} is not a range address like 'A1:C3'") from None
    return RangeAddress(sheet, min(a.row, b.row), min(a.col, b.col), max(a.row, b.row), max(a.col, b.col))
