"""The readers of a command's slots (cells, areas, columns, literals, fixed tokens, the formula).

Each reader follows the protocol of :mod:`sheetrl.models.grammar_readers`: ``mask`` (tokens that continue it),
``advance`` (False, and no change, for a token that does not), ``complete`` (it may stop here), ``cost`` (fewest
tokens to complete it) and ``copy``. :class:`~sheetrl.models.command_grammar.CommandState` chains them, one per
slot of the command's verb.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Protocol

import numpy as np

from sheetrl.models.formula_grammar import FormulaReader
from sheetrl.models.grammar_readers import (
    MAX_COLUMN_LETTERS,
    BytesReader,
    NumberReader,
    TokenTables,
    column_letter_allowed,
    row_digit_allowed,
    row_digits_cost,
)
from sheetrl.sheet.address import MAX_COLS, MAX_ROWS

MAX_AREA_CELLS = 100_000  # the command language's limit on a range


class Reader(Protocol):
    """One slot of a command (see :mod:`sheetrl.models.grammar_readers`)."""

    def mask(self) -> np.ndarray: ...
    def advance(self, token: int) -> bool: ...
    def complete(self) -> bool: ...
    def cost(self) -> int: ...
    def copy(self) -> Reader: ...


# ------------------------------------------------------------------------------------------------- readers
class CellReader:
    """Column letters then row digits, inside the sheet. With ``anchor`` (the first corner of an area, 0-based)
    the cell is the area's second corner, and the rows it may end on keep the area within 100,000 cells."""

    __slots__ = ("anchor", "column", "digits", "letters", "row", "tables")

    def __init__(self, tables: TokenTables, anchor: tuple[int, int] | None = None) -> None:
        self.tables = tables
        self.anchor = anchor
        self.column = self.letters = self.row = self.digits = 0

    def copy(self) -> CellReader:
        other = CellReader(self.tables, self.anchor)
        other.column, other.letters, other.row, other.digits = self.column, self.letters, self.row, self.digits
        return other

    def _rows(self, column: int) -> tuple[int, int]:
        """The 1-based rows the cell may end on, once its 1-based ``column`` is known."""
        if self.anchor is None:
            return 1, MAX_ROWS
        return _second_corner_rows(self.anchor, column)

    def mask(self) -> np.ndarray:
        t = self.tables
        out = np.zeros(t.size, dtype=bool)
        if not self.digits:
            for letter, token in enumerate(t.letter_ids, start=1):
                if column_letter_allowed(self.column, self.letters, letter):
                    out[token] = True
        if self.letters:
            low, high = self._rows(self.column)
            for digit, token in enumerate(t.digit_ids):
                if row_digit_allowed(self.row, self.digits, digit, low, high):
                    out[token] = True
        return out

    def advance(self, token: int) -> bool:
        t = self.tables
        letter, digit = t.letter_value[token], t.digit_value[token]
        if letter > 0 and not self.digits and column_letter_allowed(self.column, self.letters, letter):
            self.column, self.letters = self.column * 26 + letter, self.letters + 1
            return True
        if digit >= 0 and self.letters:
            low, high = self._rows(self.column)
            if row_digit_allowed(self.row, self.digits, digit, low, high):
                self.row, self.digits = self.row * 10 + digit, self.digits + 1
                return True
        return False

    def complete(self) -> bool:
        if not self.digits:
            return False
        low, high = self._rows(self.column)
        return low <= self.row <= high

    def cost(self) -> int:
        if self.digits:
            low, high = self._rows(self.column)
            return row_digits_cost(self.row, self.digits, low, high)
        if self.anchor is None:
            return 1 if self.letters else 2
        return _second_corner_cost(self.anchor, self.column, self.letters)

    def position(self) -> tuple[int, int]:
        """The 0-based (row, col) of a complete cell."""
        return self.row - 1, self.column - 1


def _second_corner_rows(anchor: tuple[int, int], column: int) -> tuple[int, int]:
    width = abs(column - 1 - anchor[1]) + 1
    height = MAX_AREA_CELLS // width
    row = anchor[0] + 1
    return max(1, row - height + 1), min(MAX_ROWS, row + height - 1)


@lru_cache(maxsize=65_536)
def _second_corner_cost(anchor: tuple[int, int], column: int, letters: int) -> int:
    """Fewest tokens that finish the second corner of an area from ``letters`` column letters worth ``column``.

    With ``extra`` more letters the column can end anywhere in one contiguous range; the nearest column to the
    anchor's allows the tallest area, hence the fewest row digits. Try every ``extra`` (0 to 3)."""
    best = MAX_ROWS
    target = anchor[1] + 1
    for extra in range(0 if letters else 1, MAX_COLUMN_LETTERS - letters + 1):
        scale = 26**extra
        low = column * scale + (scale - 1) // 25
        high = min(MAX_COLS, column * scale + 26 * (scale - 1) // 25)
        if low > high:
            continue
        rows_low, rows_high = _second_corner_rows(anchor, min(max(target, low), high))
        best = min(best, extra + row_digits_cost(0, 0, rows_low, rows_high))
    return best


class AreaReader:
    """``CELL [: CELL]`` of at most 100,000 cells."""

    __slots__ = ("first", "second", "tables")

    def __init__(self, tables: TokenTables) -> None:
        self.tables = tables
        self.first = CellReader(tables)
        self.second: CellReader | None = None

    def copy(self) -> AreaReader:
        other = AreaReader(self.tables)
        other.first = self.first.copy()
        other.second = self.second.copy() if self.second is not None else None
        return other

    def mask(self) -> np.ndarray:
        if self.second is not None:
            return self.second.mask()
        out = self.first.mask()
        if self.first.complete():
            out[self.tables.colon] = True
        return out

    def advance(self, token: int) -> bool:
        if self.second is not None:
            return self.second.advance(token)
        if self.first.advance(token):
            return True
        if token == self.tables.colon and self.first.complete():
            self.second = CellReader(self.tables, anchor=self.first.position())
            return True
        return False

    def complete(self) -> bool:
        return self.second.complete() if self.second is not None else self.first.complete()

    def cost(self) -> int:
        return self.second.cost() if self.second is not None else self.first.cost()


class ColumnReader:
    """Column letters of a pivot field (A..XFD)."""

    __slots__ = ("column", "letters", "tables")

    def __init__(self, tables: TokenTables) -> None:
        self.tables = tables
        self.column = self.letters = 0

    def copy(self) -> ColumnReader:
        other = ColumnReader(self.tables)
        other.column, other.letters = self.column, self.letters
        return other

    def mask(self) -> np.ndarray:
        t = self.tables
        out = np.zeros(t.size, dtype=bool)
        for letter, token in enumerate(t.letter_ids, start=1):
            if column_letter_allowed(self.column, self.letters, letter):
                out[token] = True
        return out

    def advance(self, token: int) -> bool:
        letter = self.tables.letter_value[token]
        if letter > 0 and column_letter_allowed(self.column, self.letters, letter):
            self.column, self.letters = self.column * 26 + letter, self.letters + 1
            return True
        return False

    def complete(self) -> bool:
        return self.letters > 0

    def cost(self) -> int:
        return 0 if self.letters else 1


class TokenReader:
    """Exactly one token out of a fixed set (a keyword, a preset, an alignment, an aggregation, ``<eos>``)."""

    __slots__ = ("choices", "done")

    def __init__(self, choices: np.ndarray) -> None:
        self.choices = choices
        self.done = False

    def copy(self) -> TokenReader:
        other = TokenReader(self.choices)
        other.done = self.done
        return other

    def mask(self) -> np.ndarray:
        return np.zeros_like(self.choices) if self.done else self.choices.copy()

    def advance(self, token: int) -> bool:
        if self.done or not self.choices[token]:
            return False
        self.done = True
        return True

    def complete(self) -> bool:
        return self.done

    def cost(self) -> int:
        return 0 if self.done else 1


class LiteralReader:
    """The literal of ``value``: ``TRUE``, ``FALSE``, ``<num>`` and a number, or ``<str>`` text ``</str>``."""

    __slots__ = ("done", "number", "tables", "text")

    def __init__(self, tables: TokenTables) -> None:
        self.tables = tables
        self.done = False
        self.number: NumberReader | None = None
        self.text: BytesReader | None = None

    def copy(self) -> LiteralReader:
        other = LiteralReader(self.tables)
        other.done = self.done
        other.number = self.number.copy() if self.number is not None else None
        other.text = self.text.copy() if self.text is not None else None
        return other

    def mask(self) -> np.ndarray:
        t = self.tables
        if self.number is not None:
            return self.number.mask(t, signed=True)
        if self.text is not None:
            return np.zeros(t.size, dtype=bool) if self.text.closed else self.text.mask(t).copy()
        out = np.zeros(t.size, dtype=bool)
        if not self.done:
            out[[t.true, t.false, t.num, t.str_open]] = True
        return out

    def advance(self, token: int) -> bool:
        t = self.tables
        if self.number is not None:
            return self.number.advance(t, token, signed=True)
        if self.text is not None:
            return self.text.advance(t, token)
        if self.done:
            return False
        if token in (t.true, t.false):
            self.done = True
        elif token == t.num:
            self.number = NumberReader()
        elif token == t.str_open:
            self.text = BytesReader(BytesReader.VALUE)
        else:
            return False
        return True

    def complete(self) -> bool:
        if self.number is not None:
            return self.number.complete()
        if self.text is not None:
            return self.text.closed
        return self.done

    def cost(self) -> int:
        if self.number is not None:
            return self.number.cost()
        if self.text is not None:
            return self.text.cost()
        return 0 if self.done else 1


class OptionalColumnsReader:
    """``[cols= COL]`` of a pivot: nothing, or the keyword and a column."""

    __slots__ = ("column", "tables")

    def __init__(self, tables: TokenTables) -> None:
        self.tables = tables
        self.column: ColumnReader | None = None

    def copy(self) -> OptionalColumnsReader:
        other = OptionalColumnsReader(self.tables)
        other.column = self.column.copy() if self.column is not None else None
        return other

    def mask(self) -> np.ndarray:
        if self.column is not None:
            return self.column.mask()
        out = np.zeros(self.tables.size, dtype=bool)
        out[self.tables.id("cols=")] = True
        return out

    def advance(self, token: int) -> bool:
        if self.column is not None:
            return self.column.advance(token)
        if token == self.tables.id("cols="):
            self.column = ColumnReader(self.tables)
            return True
        return False

    def complete(self) -> bool:
        return self.column is None or self.column.complete()

    def cost(self) -> int:
        return self.column.cost() if self.column is not None else 0


class FormulaSlot:
    """The formula of a ``formula`` command, read relative to the command's cell."""

    __slots__ = ("reader",)

    def __init__(self, reader: FormulaReader) -> None:
        self.reader = reader

    def copy(self) -> FormulaSlot:
        return FormulaSlot(self.reader.copy())

    def mask(self) -> np.ndarray:
        return self.reader.mask()

    def advance(self, token: int) -> bool:
        return self.reader.advance(token)

    def complete(self) -> bool:
        return self.reader.complete()

    def cost(self) -> int:
        return self.reader.cost()
