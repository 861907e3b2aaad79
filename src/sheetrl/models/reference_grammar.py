"""References inside formulas, as the engine's lexer reads the joined token text.

A reference is ``[sheet !] PART [: PART]`` where a part is a cell (column then row), a whole column or a whole
row, and each coordinate is written as letters or digits (optionally after ``$``) or, without ``$``, as an
offset from the formula's own cell (``<rel_col> [+|-] DIGITS``, ``<rel_row> [+|-] DIGITS``). The reader keeps
every coordinate inside the sheet (A..XFD, rows 1..1,048,576, at most 7 row digits), makes both parts the same
kind (``A1:B2``, ``A:C``, ``1:3``), and never ends on a bare column (``SUM`` alone would be a name, not a
reference). Digits right after a ``<rel_...>`` token extend the offset, so a row after a column offset is written
``$ DIGITS`` or as an offset itself.
"""

from __future__ import annotations

import numpy as np

from sheetrl.models.grammar_readers import TokenTables, column_letter_allowed
from sheetrl.sheet.address import MAX_COLS, MAX_ROWS

# phases: what comes next
R_START, R_DOLLAR, R_COLUMN_ABSOLUTE, R_COLUMN, R_COLUMN_OFFSET, R_ROW_ABSOLUTE, R_ROW, R_ROW_OFFSET, R_PART2, \
    R_DONE = range(10)
# what a reference turned out to be: not yet known (a column was read), a cell or cell range, a whole-column
# range, a whole-row range
K_OPEN, K_CELL, K_COLUMNS, K_ROWS = range(4)


class ReferenceReader:
    """One reference (see the module docstring).

    :param origin: the 0-based (row, col) that offsets count from.
    :param phase: where it starts: ``R_START`` after a sheet name, ``R_COLUMN`` after a first column letter,
        ``R_DOLLAR``, ``R_COLUMN_OFFSET``, ``R_ROW_OFFSET``, or ``R_PART2`` after a row run and ``:``.
    :param call_ok: the first letters may instead name a function (no ``$``, no sheet): :meth:`may_call`.
    """

    __slots__ = ("call_ok", "count", "kind", "origin", "part", "phase", "sign", "tables", "value")

    def __init__(self, tables: TokenTables, origin: tuple[int, int], phase: int, *, kind: int = K_OPEN,
                 part: int = 1, call_ok: bool = False, value: int = 0, count: int = 0) -> None:
        self.tables = tables
        self.origin = origin
        self.phase = phase
        self.part = part  # 1 before ':', 2 after
        self.kind = kind
        self.call_ok = call_ok
        self.value = value  # the current coordinate: column number, row digits' value or offset magnitude
        self.count = count  # its letters or digits so far
        self.sign = 0  # offset sign: 0 not written, +1 or -1

    def copy(self) -> ReferenceReader:
        other = ReferenceReader(self.tables, self.origin, self.phase, kind=self.kind, part=self.part,
                                call_ok=self.call_ok, value=self.value, count=self.count)
        other.sign = self.sign
        return other

    def may_call(self) -> bool:
        """The letters read so far may be a function name followed by ``(``."""
        return self.call_ok and self.phase == R_COLUMN and self.part == 1

    def _start_part2(self, kind: int) -> None:
        self.phase, self.part, self.kind = R_PART2, 2, kind
        self.call_ok, self.value, self.count, self.sign = False, 0, 0, 0

    def _row_digit_ok(self, digit: int) -> bool:
        value, count = self.value * 10 + digit, self.count + 1
        return count <= 7 and value <= MAX_ROWS and (value >= 1 or count < 7)

    def _offset_digit_ok(self, digit: int, column: bool) -> bool:
        value, count = self.value * 10 + digit, self.count + 1
        if count > 7:
            return False
        coordinate = self.origin[1 if column else 0] + (-value if self.sign < 0 else value)
        return 0 <= coordinate < (MAX_COLS if column else MAX_ROWS)

    def complete(self) -> bool:
        """The reference may end here."""
        phase, part, kind = self.phase, self.part, self.kind
        if phase == R_DONE:
            return True
        if phase in (R_COLUMN, R_COLUMN_OFFSET):
            return part == 2 and kind == K_COLUMNS and self.count >= 1
        if phase == R_ROW:
            return self.value >= 1 and (part == 2 or kind == K_CELL)
        if phase == R_ROW_OFFSET:
            return self.count >= 1 and (part == 2 or kind == K_CELL)
        return False

    def cost(self) -> int:
        """Fewest tokens that complete the reference."""
        phase, part, kind = self.phase, self.part, self.kind
        after_row = 2 if part == 1 and kind == K_ROWS else 0  # a row range still needs ':' and its end
        if phase == R_DONE:
            return 0
        if phase == R_START:
            return 1  # #REF!
        if phase == R_DOLLAR:
            return 2  # a column letter and a row digit
        if phase == R_PART2:
            return 2 if kind == K_CELL else 1
        if phase == R_COLUMN_ABSOLUTE:
            return 1 + (1 if kind == K_CELL else 0)
        if phase == R_COLUMN:
            return 0 if part == 2 and kind == K_COLUMNS else 1
        if phase == R_COLUMN_OFFSET:
            need = 1 if self.count == 0 else 0
            return need if part == 2 and kind == K_COLUMNS else need + 2  # then '$' and a digit
        if phase == R_ROW_ABSOLUTE:
            return 1 + after_row
        if phase == R_ROW:
            return (0 if self.value >= 1 else 1) + after_row
        return (1 if self.count == 0 else 0) + after_row  # R_ROW_OFFSET

    def mask(self) -> np.ndarray:
        """Tokens that continue the reference (a call's ``(`` is the formula's business: :meth:`may_call`)."""
        t = self.tables
        phase, part, kind = self.phase, self.part, self.kind
        out = np.zeros(t.size, dtype=bool)
        wants_row_after_column = part == 1 or kind == K_CELL
        if phase == R_START:
            out |= t.mask_letters
            out |= self._row_digits_mask()
            for token in (t.dollar, t.rel_col, t.rel_row, t.ref_error):
                out[token] = True
        elif phase == R_DOLLAR:
            out |= t.mask_letters
            out |= self._row_digits_mask()
        elif phase == R_COLUMN_ABSOLUTE:
            out |= t.mask_letters
        elif phase == R_COLUMN:
            for letter, token in enumerate(t.letter_ids, start=1):
                if column_letter_allowed(self.value, self.count, letter):
                    out[token] = True
            if wants_row_after_column:
                out |= t.mask_digits  # a fresh row: any first digit can still end at a row
                out[t.dollar] = out[t.rel_row] = True
            if part == 1:
                out[t.colon] = True
        elif phase == R_COLUMN_OFFSET:
            out |= self._offset_mask(column=True)
            if self.count and wants_row_after_column:
                out[t.dollar] = out[t.rel_row] = True
            if self.count and part == 1:
                out[t.colon] = True
        elif phase == R_ROW_ABSOLUTE:
            out |= self._row_digits_mask()
        elif phase == R_ROW:
            out |= self._row_digits_mask()
            if part == 1 and self.value >= 1:
                out[t.colon] = True
        elif phase == R_ROW_OFFSET:
            out |= self._offset_mask(column=False)
            if part == 1 and self.count:
                out[t.colon] = True
        else:  # R_PART2
            out[t.dollar] = True
            if kind == K_ROWS:
                out |= self._row_digits_mask()
                out[t.rel_row] = True
            else:
                out |= t.mask_letters
                out[t.rel_col] = True
        return out

    def _row_digits_mask(self) -> np.ndarray:
        return self.tables.digits_mask([d for d in range(10) if self._row_digit_ok(d)])

    def _offset_mask(self, column: bool) -> np.ndarray:
        out = self.tables.digits_mask([d for d in range(10) if self._offset_digit_ok(d, column)])
        if self.count == 0 and self.sign == 0:
            out[self.tables.plus] = out[self.tables.minus] = True
        return out

    def advance(self, token: int) -> bool:
        """Consume ``token`` if it continues the reference; return False (and change nothing) if not."""
        t = self.tables
        phase, part, kind = self.phase, self.part, self.kind
        letter, digit = t.letter_value[token], t.digit_value[token]
        wants_row_after_column = part == 1 or kind == K_CELL
        if phase == R_DONE:
            return False
        if phase in (R_START, R_DOLLAR):
            if letter > 0:
                self.phase, self.value, self.count = R_COLUMN, letter, 1
            elif digit >= 0 and self._row_digit_ok(digit):
                self.phase, self.kind, self.value, self.count = R_ROW, K_ROWS, digit, 1
            elif phase == R_START and token == t.dollar:
                self.phase = R_DOLLAR
            elif phase == R_START and token == t.rel_col:
                self.phase = R_COLUMN_OFFSET
            elif phase == R_START and token == t.rel_row:
                self.phase, self.kind = R_ROW_OFFSET, K_ROWS
            elif phase == R_START and token == t.ref_error:
                self.phase = R_DONE
            else:
                return False
            return True
        if phase == R_COLUMN_ABSOLUTE:
            if letter <= 0:
                return False
            self.phase, self.value, self.count = R_COLUMN, letter, 1
            return True
        if phase == R_PART2:
            if token == t.dollar:
                self.phase = R_ROW_ABSOLUTE if kind == K_ROWS else R_COLUMN_ABSOLUTE
            elif kind == K_ROWS and digit >= 0 and self._row_digit_ok(digit):
                self.phase, self.value, self.count = R_ROW, digit, 1
            elif kind == K_ROWS and token == t.rel_row:
                self.phase = R_ROW_OFFSET
            elif kind != K_ROWS and letter > 0:
                self.phase, self.value, self.count = R_COLUMN, letter, 1
            elif kind != K_ROWS and token == t.rel_col:
                self.phase = R_COLUMN_OFFSET
            else:
                return False
            return True
        if phase in (R_COLUMN, R_COLUMN_OFFSET):
            if phase == R_COLUMN and letter > 0:
                if not column_letter_allowed(self.value, self.count, letter):
                    return False
                self.value, self.count = self.value * 26 + letter, self.count + 1
                return True
            if phase == R_COLUMN_OFFSET and self._offset_step(token, column=True):
                return True
            column_written = phase == R_COLUMN or self.count > 0
            if not column_written:
                return False
            if wants_row_after_column and phase == R_COLUMN and digit >= 0 and self._fresh_row_digit_ok(digit):
                self.phase, self.kind, self.value, self.count = R_ROW, K_CELL, digit, 1
            elif wants_row_after_column and token == t.dollar:
                self.phase, self.kind, self.value, self.count = R_ROW_ABSOLUTE, K_CELL, 0, 0
            elif wants_row_after_column and token == t.rel_row:
                self.phase, self.kind, self.value, self.count, self.sign = R_ROW_OFFSET, K_CELL, 0, 0, 0
            elif part == 1 and token == t.colon:
                self._start_part2(K_COLUMNS)
            else:
                return False
            return True
        if phase == R_ROW_ABSOLUTE:
            if digit < 0 or not self._row_digit_ok(digit):
                return False
            self.phase, self.value, self.count = R_ROW, digit, 1
            return True
        if phase == R_ROW:
            if digit >= 0:
                if not self._row_digit_ok(digit):
                    return False
                self.value, self.count = self.value * 10 + digit, self.count + 1
                return True
            if token == t.colon and part == 1 and self.value >= 1:
                self._start_part2(kind)
                return True
            return False
        # R_ROW_OFFSET
        if self._offset_step(token, column=False):
            return True
        if token == t.colon and part == 1 and self.count:
            self._start_part2(kind)
            return True
        return False

    def _fresh_row_digit_ok(self, digit: int) -> bool:
        saved = self.value, self.count
        self.value, self.count = 0, 0
        ok = self._row_digit_ok(digit)
        self.value, self.count = saved
        return ok

    def _offset_step(self, token: int, column: bool) -> bool:
        """A sign or a digit of an offset after ``<rel_col>`` / ``<rel_row>``."""
        t = self.tables
        digit = t.digit_value[token]
        if digit >= 0:
            if not self._offset_digit_ok(digit, column):
                return False
            self.value, self.count = self.value * 10 + digit, self.count + 1
            return True
        if token in (t.plus, t.minus) and self.count == 0 and self.sign == 0:
            self.sign = -1 if token == t.minus else 1
            return True
        return False
