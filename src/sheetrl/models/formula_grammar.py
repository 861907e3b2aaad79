"""The formula part of the command grammar: a pushdown reader over formula tokens.

A formula token sequence decodes by joining each token's text and handing the result to the engine's lexer and
parser (:meth:`sheetrl.env.tokens.TokenVocabulary.decode_command`). So this reader tracks two levels at once:

- the *expression* level of the parser (``sheet/parser.py``): operands, unary ``+``/``-``, postfix ``%``,
  binary operators, calls with empty arguments (``IF(A1,,2)``) and at most 255 of them, parentheses, array
  constants (literals only, rows of equal length), and the nesting limit (calls, parentheses and pending unary
  signs together, at most ``MAX_NESTING``);
- the *lexical* level (``sheet/lexer.py``), since joined tokens are re-read as text: a run of digits followed by
  ``:`` is a row range, not a number; column letters must be followed by a row (``A1``), by ``:`` (``A:C``) or by
  ``(`` (a call such as ``N(``); references stay inside the sheet (XFD, row 1,048,576, 7 row digits) also when
  written as offsets from the formula's cell (``<rel_col> -2``); a ``<str>`` followed by ``!`` is a sheet name
  (non-empty); a ``<name>`` must not look like an out-of-sheet cell.

Operands and what may follow them never share a token, so the reader knows at each token whether it extends the
current operand or follows it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sheetrl.models.grammar_readers import (
    BytesReader,
    NumberReader,
    TokenTables,
    callable_name,
)
from sheetrl.models.reference_grammar import (
    K_ROWS,
    R_COLUMN,
    R_COLUMN_OFFSET,
    R_DOLLAR,
    R_PART2,
    R_ROW_OFFSET,
    R_START,
    ReferenceReader,
)
from sheetrl.sheet.parser import MAX_NESTING

MAX_ARGUMENTS = 255  # the parser's limit on a call's arguments

# modes: what the reader expects now
OPERAND, ELEMENT, AFTER, AFTER_FUNCTION, AFTER_BOOLEAN, AFTER_NAME, AFTER_TEXT, NUMBER, BYTES, REFERENCE = range(10)
# frames of the stack: (CALL, unary signs before it, commas so far) | (PAREN, unary signs before it) |
# (ARRAY, unary signs before it, row length or 0 while the first row is open, elements in the current row)
CALL, PAREN, ARRAY = range(3)


class FormulaReader:
    """Reads the tokens of one formula after its ``=``; ``origin`` is the 0-based (row, col) that relative
    offsets count from (the formula's own cell)."""

    __slots__ = ("tables", "origin", "mode", "stack", "depth_base", "pending", "empty_ok", "signed", "number",  # noqa: RUF023
                 "bytes", "reference", "text_in_array", "name_callable", "sheet_ok")

    def __init__(self, tables: TokenTables, origin: tuple[int, int]) -> None:
        self.tables = tables
        self.origin = origin
        self.mode = OPERAND
        self.stack: tuple[tuple[int, ...], ...] = ()
        self.depth_base = 0  # nesting of the open frames (calls and parentheses count 1, plus their signs)
        self.pending = 0  # unary signs waiting for their operand (each one is a nesting level)
        self.empty_ok = False  # an empty call argument is allowed here (right after '(' or ',' of a call)
        self.signed = False  # ELEMENT: the array element already has its sign
        self.number: NumberReader | None = None
        self.bytes: BytesReader | None = None
        self.reference: ReferenceReader | None = None
        self.text_in_array = False
        self.name_callable = False  # AFTER_NAME: the name may be called
        self.sheet_ok = False  # AFTER_TEXT: the text is non-empty, so it may name a sheet

    def copy(self) -> FormulaReader:
        other = FormulaReader.__new__(FormulaReader)
        other.tables, other.origin, other.mode, other.stack = self.tables, self.origin, self.mode, self.stack
        other.depth_base, other.pending, other.empty_ok, other.signed = (self.depth_base, self.pending,
                                                                         self.empty_ok, self.signed)
        other.number = self.number.copy() if self.number is not None else None
        other.bytes = self.bytes.copy() if self.bytes is not None else None
        other.reference = self.reference.copy() if self.reference is not None else None
        other.text_in_array, other.name_callable, other.sheet_ok = (self.text_in_array, self.name_callable,
                                                                    self.sheet_ok)
        return other

    # ------------------------------------------------------------------------------------------- queries
    def _in_array(self) -> bool:
        return bool(self.stack) and self.stack[-1][0] == ARRAY

    def _can_nest(self) -> bool:
        """One more nesting level (a call, a parenthesis or a unary sign) stays within the parser's limit."""
        return self.depth_base + self.pending + 1 <= MAX_NESTING

    def _operand_done(self) -> bool:
        """The current operand is complete, so what follows an operand may come next."""
        mode = self.mode
        if mode in (AFTER, AFTER_BOOLEAN, AFTER_NAME, AFTER_TEXT):
            return True
        if mode == NUMBER:
            return self.number is not None and self.number.complete()
        if mode == REFERENCE:
            return self.reference is not None and self.reference.complete()
        return False

    def complete(self) -> bool:
        """The formula may end here."""
        return not self.stack and self._operand_done()

    def cost(self) -> int:
        """Fewest tokens that complete the formula (the command's ``<eos>`` not included)."""
        mode = self.mode
        if mode == OPERAND:
            local = 0 if self.empty_ok else 1
        elif mode == ELEMENT:
            local = 1
        elif mode == AFTER_FUNCTION:
            local = 2
        elif mode == NUMBER:
            local = self.number.cost() if self.number is not None else 1
        elif mode == BYTES:
            local = self.bytes.cost() if self.bytes is not None else 1
        elif mode == REFERENCE:
            local = self.reference.cost() if self.reference is not None else 1
        else:
            local = 0
        closing = len(self.stack)
        if self._in_array():
            _, _, length, elements = self.stack[-1]
            closing += 0 if length == 0 else 2 * (length - elements)
        return local + closing

    def max_increase(self) -> int:
        """An upper bound on how much one token can raise :meth:`cost` (``;`` in an array opens a whole row)."""
        if self._in_array():
            _, _, length, elements = self.stack[-1]
            return max(4, 2 * max(length, elements) + 1)
        return 4

    # -------------------------------------------------------------------------------------------- masks
    def mask(self) -> np.ndarray:
        """Tokens that may come next inside the formula (the command adds ``<eos>`` when :meth:`complete`)."""
        t = self.tables
        mode = self.mode
        if mode == OPERAND:
            out = self._operand_mask()
        elif mode == ELEMENT:
            out = t.mask_digits.copy()
            out[t.dot] = True
            if not self.signed:
                out |= t.mask_signs
                out |= t.mask_booleans
                out |= t.mask_errors
                out[t.str_open] = True
        elif mode == AFTER_FUNCTION:
            out = np.zeros(t.size, dtype=bool)
            out[t.open] = True
        elif mode == NUMBER:
            assert self.number is not None
            out = self.number.mask(t, signed=False)
            if not self._in_array() and self.number.row_number() is not None:
                out[t.colon] = True
        elif mode == BYTES:
            assert self.bytes is not None
            out = self.bytes.mask(t).copy()
        elif mode == REFERENCE:
            assert self.reference is not None
            out = self.reference.mask()
            if self.reference.may_call() and self._can_nest():
                out[t.open] = True
        else:
            out = np.zeros(t.size, dtype=bool)
            opens_call = mode == AFTER_BOOLEAN or (mode == AFTER_NAME and self.name_callable)
            if opens_call and self._can_nest():
                out[t.open] = True
            elif mode == AFTER_TEXT and self.sheet_ok:
                out[t.bang] = True
        if self._operand_done():
            out |= self._follower_mask()
        return out

    def _operand_mask(self) -> np.ndarray:
        t = self.tables
        out = t.mask_digits | t.mask_letters | t.mask_booleans | t.mask_errors
        for token in (t.dot, t.str_open, t.name_open, t.dollar, t.rel_col, t.rel_row, t.brace_open):
            out[token] = True
        if self._can_nest():
            out |= t.mask_signs
            out |= t.mask_functions
            out[t.open] = True
        if self.empty_ok:
            out[t.close] = True
            if self._comma_ok():
                out[t.comma] = True
        return out

    def _comma_ok(self) -> bool:
        frame = self.stack[-1]
        return frame[0] == CALL and frame[2] + 2 <= MAX_ARGUMENTS

    def _follower_mask(self) -> np.ndarray:
        t = self.tables
        out = np.zeros(t.size, dtype=bool)
        if self._in_array():
            _, _, length, elements = self.stack[-1]
            if length == 0 or elements < length:
                out[t.comma] = True
            if length == 0 or elements == length:
                out[t.semicolon] = out[t.brace_close] = True
            return out
        out |= t.mask_binary
        out[t.percent] = True
        if self.stack:
            out[t.close] = True
            if self._comma_ok():
                out[t.comma] = True
        return out

    # ------------------------------------------------------------------------------------------ advance
    def advance(self, token: int) -> bool:
        """Consume ``token`` if the formula can continue with it; return False (and change nothing) if not."""
        mode = self.mode
        t = self.tables
        if mode == OPERAND:
            return self._operand(token)
        if mode == ELEMENT:
            return self._element(token)
        if mode == AFTER_FUNCTION:
            if token != t.open:
                return False
            self._push((CALL, self.pending, 0))
            self.mode, self.empty_ok = OPERAND, True
            return True
        if mode == NUMBER:
            assert self.number is not None
            if self.number.advance(t, token, signed=False):
                return True
            if token == t.colon and not self._in_array() and self.number.row_number() is not None:
                self._start_reference(R_PART2, kind=K_ROWS, part=2)
                return True
        elif mode == BYTES:
            assert self.bytes is not None
            if not self.bytes.advance(t, token):
                return False
            if self.bytes.closed:
                if self.bytes.kind == BytesReader.NAME:
                    self.mode, self.name_callable = AFTER_NAME, callable_name(self.bytes.name)
                elif self.text_in_array:
                    self.mode = AFTER
                else:
                    self.mode, self.sheet_ok = AFTER_TEXT, self.bytes.characters > 0
            return True
        elif mode == REFERENCE:
            assert self.reference is not None
            if token == t.open and self.reference.may_call() and self._can_nest():
                self._push((CALL, self.pending, 0))
                self.mode, self.empty_ok = OPERAND, True
                return True
            if self.reference.advance(token):
                return True
        elif mode in (AFTER_BOOLEAN, AFTER_NAME):
            callable_here = mode == AFTER_BOOLEAN or self.name_callable
            if token == t.open and callable_here and self._can_nest():
                self._push((CALL, self.pending, 0))
                self.mode, self.empty_ok = OPERAND, True
                return True
        elif mode == AFTER_TEXT and token == t.bang and self.sheet_ok:
            self._start_reference(R_START)
            return True
        if not self._operand_done():
            return False
        return self._follow(token)

    def _push(self, frame: tuple[int, ...]) -> None:
        self.stack = (*self.stack, frame)
        self.depth_base += frame[1] + (0 if frame[0] == ARRAY else 1)
        self.pending = 0

    def _pop(self) -> tuple[int, ...]:
        frame = self.stack[-1]
        self.stack = self.stack[:-1]
        self.depth_base -= frame[1] + (0 if frame[0] == ARRAY else 1)
        return frame

    def _replace_top(self, frame: tuple[int, ...]) -> None:
        self.stack = (*self.stack[:-1], frame)

    def _operand(self, token: int) -> bool:
        t = self.tables
        if t.digit_value[token] >= 0:
            self.number = NumberReader(str(t.digit_value[token]), NumberReader.INT)
            self.mode = NUMBER
        elif token == t.dot:
            self.number = NumberReader(".", NumberReader.LEAD_DOT)
            self.mode = NUMBER
        elif t.letter_value[token] > 0:
            self._start_reference(R_COLUMN, call_ok=True, value=t.letter_value[token], count=1)
        elif token == t.dollar:
            self._start_reference(R_DOLLAR)
        elif token == t.rel_col:
            self._start_reference(R_COLUMN_OFFSET)
        elif token == t.rel_row:
            self._start_reference(R_ROW_OFFSET, kind=K_ROWS)
        elif token == t.str_open:
            self.bytes, self.text_in_array, self.mode = BytesReader(BytesReader.TEXT), False, BYTES
        elif token == t.name_open:
            self.bytes, self.mode = BytesReader(BytesReader.NAME), BYTES
        elif token in t.booleans:
            self.mode = AFTER_BOOLEAN
        elif token in t.errors:
            self.mode = AFTER
        elif token == t.brace_open:
            self._push((ARRAY, self.pending, 0, 1))
            self.mode, self.signed = ELEMENT, False
        elif token in (t.plus, t.minus) and self._can_nest():
            self.pending += 1
        elif token in t.functions and self._can_nest():
            self.mode = AFTER_FUNCTION
        elif token == t.open and self._can_nest():
            self._push((PAREN, self.pending))
        elif self.empty_ok and token == t.close:
            self._pop()
            self.mode = AFTER
        elif self.empty_ok and token == t.comma and self._comma_ok():
            kind, signs, commas = self.stack[-1]
            self._replace_top((kind, signs, commas + 1))
        else:
            return False
        if self.mode != OPERAND or token != t.comma:
            self.empty_ok = False
        return True

    def _element(self, token: int) -> bool:
        t = self.tables
        if t.digit_value[token] >= 0:
            self.number = NumberReader(str(t.digit_value[token]), NumberReader.INT)
            self.mode = NUMBER
        elif token == t.dot:
            self.number = NumberReader(".", NumberReader.LEAD_DOT)
            self.mode = NUMBER
        elif self.signed:
            return False
        elif token in (t.plus, t.minus):
            self.signed = True
        elif token == t.str_open:
            self.bytes, self.text_in_array, self.mode = BytesReader(BytesReader.TEXT), True, BYTES
        elif token in t.booleans or token in t.errors:
            self.mode = AFTER
        else:
            return False
        return True

    def _follow(self, token: int) -> bool:
        """``token`` after a complete operand."""
        t = self.tables
        if self._in_array():
            kind, signs, length, elements = self.stack[-1]
            if token == t.comma and (length == 0 or elements < length):
                self._replace_top((kind, signs, length, elements + 1))
            elif token == t.semicolon and (length == 0 or elements == length):
                self._replace_top((kind, signs, length or elements, 1))
            elif token == t.brace_close and (length == 0 or elements == length):
                self._pop()
                self.mode = AFTER
                return True
            else:
                return False
            self.mode, self.signed = ELEMENT, False
            return True
        if token in t.binary:
            self.mode, self.empty_ok = OPERAND, False
        elif token == t.percent:
            self.mode = AFTER
        elif token == t.close and self.stack:
            self._pop()
            self.mode = AFTER
        elif token == t.comma and self.stack and self._comma_ok():
            kind, signs, commas = self.stack[-1]
            self._replace_top((kind, signs, commas + 1))
            self.mode, self.empty_ok = OPERAND, True
        else:
            return False
        self.pending = 0
        return True

    def _start_reference(self, phase: int, **fields: Any) -> None:
        self.reference = ReferenceReader(self.tables, self.origin, phase, **fields)
        self.mode = REFERENCE
