"""Token tables and the lexical readers that the command and formula grammars share.

The constrained decoder (:mod:`sheetrl.models.command_grammar`) reads a command one token at a time. Every
position is handled by a small *reader*: an object that knows which tokens may come next (``mask``), consumes one
(``advance``, which returns False and changes nothing for a token that is not its own), says whether it may stop
here (``complete``) and how many tokens it needs at least to get there (``cost``). This module holds the tables
every reader looks tokens up in, and the two readers used in both grammars: number literals and byte strings.

Everything here follows what :meth:`sheetrl.env.tokens.TokenVocabulary.decode_command` and the engine's lexer and
parser accept, not what the encoder happens to write: a reader allows a token only if some continuation still
decodes.
"""

from __future__ import annotations

import math
import re

import numpy as np

from sheetrl.env.tokens import BOS, EOS, PAD, SEP, UNK, TokenVocabulary
from sheetrl.sheet.address import MAX_COLS, MAX_ROWS

MAX_ROW_DIGITS = 7  # a row is written with at most 7 digits (the lexer's and the command language's limit)
MAX_COLUMN_LETTERS = 3  # XFD is the last column
MAX_TEXT_CHARACTERS = 255  # the parser's limit on a text literal inside a formula
BINARY_OPERATORS = ("=", "+", "-", "*", "/", "^", "&", "<", ">", "<=", ">=", "<>")
_CALL_PREFIXES = ("_XLFN._XLWS.", "_XLFN.", "_XLWS.")  # stripped from a function's name by the parser
_REFERENCE_LIKE = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")


class TokenTables:
    """Masks and per-token lookups over one :class:`~sheetrl.env.tokens.TokenVocabulary`.

    Masks are read-only boolean arrays of the vocabulary's size; lookups are plain lists (faster than numpy for
    one element at a time) of -1 where a token is not of that kind.
    """

    def __init__(self, vocabulary: TokenVocabulary) -> None:
        self.vocabulary = vocabulary
        self.size = size = len(vocabulary)
        ids = vocabulary.id
        self.id = ids
        self.letter_value = [-1] * size  # A..Z -> 1..26 (the bijective base-26 digit of a column)
        self.digit_value = [-1] * size  # 0..9
        self.byte_value = [-1] * size  # <0x00>..<0xFF> -> 0..255
        for letter in range(26):
            self.letter_value[ids(chr(65 + letter))] = letter + 1
        for digit in range(10):
            self.digit_value[ids(str(digit))] = digit
        for byte in range(256):
            self.byte_value[ids(f"<0x{byte:02X}>")] = byte

        self.str_open, self.str_close = ids("<str>"), ids("</str>")
        self.name_open, self.name_close = ids("<name>"), ids("</name>")
        self.num, self.rel_row, self.rel_col = ids("<num>"), ids("<rel_row>"), ids("<rel_col>")
        self.eos, self.pad = EOS, PAD
        self.plus, self.minus, self.percent = ids("+"), ids("-"), ids("%")
        self.open, self.close, self.comma, self.semicolon = ids("("), ids(")"), ids(","), ids(";")
        self.brace_open, self.brace_close, self.colon = ids("{"), ids("}"), ids(":")
        self.bang, self.dollar, self.dot = ids("!"), ids("$"), ids(".")
        self.equals = ids("=")
        self.exponent_upper, self.exponent_lower = ids("E"), ids("e")
        self.true, self.false = ids("TRUE"), ids("FALSE")
        self.ref_error = ids("#REF!")
        self.booleans = frozenset((self.true, self.false))
        self.errors = frozenset(ids(code) for code in _error_tokens(vocabulary))
        self.binary = frozenset(ids(op) for op in BINARY_OPERATORS)

        letters = [i for i, v in enumerate(self.letter_value) if v > 0]
        function_names = set(vocabulary.function_names)
        # Function names with a token of their own; TRUE/FALSE and one-letter names reuse an earlier token and are
        # reached through the boolean and letter paths instead. A name that the parser would strip to nothing (or
        # to text that no longer starts a name) cannot be called.
        self.functions = frozenset(
            ids(name) for name in function_names
            if ids(name) not in self.booleans and self.letter_value[ids(name)] < 0 and callable_name(name)
        )
        self.verbs = {ids(verb): verb for verb in ("goto", "select", "value", "formula", "fill", "format", "bold",
                                                   "italic", "unbold", "align", "clear", "pivot", "done")}

        self.mask_letters = self.mask(letters)
        self.mask_digits = self.mask(i for i, v in enumerate(self.digit_value) if v >= 0)
        self.mask_functions = self.mask(self.functions)
        self.mask_verbs = self.mask(self.verbs)
        self.mask_eos = self.mask([EOS])
        self.mask_pad = self.mask([PAD])
        self.mask_binary = self.mask(self.binary)
        self.mask_booleans = self.mask(self.booleans)
        self.mask_errors = self.mask(self.errors)
        self.mask_signs = self.mask([self.plus, self.minus])
        byte_ids = [ids(f"<0x{b:02X}>") for b in range(256)]
        self._byte_ids = byte_ids
        self.mask_utf8_start = self.mask(byte_ids[b] for b in (*range(0x80), *range(0xC2, 0xF5)))
        self.mask_name_start = self.mask(byte_ids[ord(c)] for c in _NAME_START)
        self.mask_name_char = self.mask(byte_ids[ord(c)] for c in _NAME_CHARS)
        # cost groups for the budget filter: tokens whose successors always cost the same (see CommandState)
        self.byte_class = [-1] * size  # 0 ASCII, 1 continuation, 2/3/4 lead byte of a 2/3/4-byte character
        for b, token in enumerate(byte_ids):
            self.byte_class[token] = 0 if b < 0x80 else 1 if b < 0xC0 else 2 if b < 0xE0 else 3 if b < 0xF0 else 4
        self.specials = frozenset((PAD, BOS, EOS, UNK, SEP))
        self.digit_ids = [ids(str(d)) for d in range(10)]  # token of each digit 0..9
        self.letter_ids = [ids(chr(65 + i)) for i in range(26)]  # token of each letter A..Z
        self._continuations: dict[tuple[int, int], np.ndarray] = {}

    def mask(self, token_ids: object) -> np.ndarray:
        """A read-only boolean mask with ``True`` at ``token_ids`` (any iterable of ids)."""
        out = np.zeros(self.size, dtype=bool)
        out[list(token_ids)] = True  # type: ignore[call-overload]
        out.flags.writeable = False
        return out

    def continuation_mask(self, low: int, high: int) -> np.ndarray:
        """Byte tokens ``low..high`` (the bytes a UTF-8 continuation may take at this point)."""
        cached = self._continuations.get((low, high))
        if cached is None:
            cached = self._continuations[(low, high)] = self.mask(self._byte_ids[b] for b in range(low, high + 1))
        return cached

    def digits_mask(self, allowed: list[int]) -> np.ndarray:
        """The digit tokens of the digits in ``allowed`` (a fresh, writable array)."""
        out = np.zeros(self.size, dtype=bool)
        for digit in allowed:
            out[self.digit_ids[digit]] = True
        return out


_NAME_START = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_\\"
_NAME_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_."


def _error_tokens(vocabulary: TokenVocabulary) -> list[str]:
    return [token for token in vocabulary.tokens if token.startswith("#")]


def callable_name(name: str) -> bool:
    """Whether ``name(`` parses as a call that renders back as one: the parser upper-cases the name and strips
    the ``_xlfn.``/``_xlws.`` prefixes; what is left must still start a name."""
    upper = name.upper()
    for prefix in _CALL_PREFIXES:
        upper = upper.removeprefix(prefix)
    return bool(upper) and upper[0] in _NAME_START


def closable_name(name: str) -> bool:
    """Whether a ``<name>`` of this text is a valid formula operand: non-empty, and not shaped like a cell
    reference (1-3 letters, 1-7 digits) that lies outside the sheet, which the lexer would read as a bad
    reference."""
    if not name:
        return False
    match = _REFERENCE_LIKE.fullmatch(name)
    if match is None:
        return True
    return column_number(match.group(1)) <= MAX_COLS and 1 <= int(match.group(2)) <= MAX_ROWS


def column_number(letters: str) -> int:
    """1-based column number of column letters ('A' -> 1, 'XFD' -> 16384), no upper bound check."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


# ------------------------------------------------------------------------------------------ digit-run helpers
def row_digit_allowed(value: int, count: int, digit: int, low: int = 1, high: int = MAX_ROWS) -> bool:
    """Whether appending ``digit`` to a run of ``count`` row digits worth ``value`` can still end, within the
    7-digit limit, at a row in ``low..high`` (1-based; leading zeros are allowed, as the address parser reads
    them)."""
    value, count = value * 10 + digit, count + 1
    return count <= MAX_ROW_DIGITS and _reachable(value, MAX_ROW_DIGITS - count, low, high)


def row_digits_cost(value: int, count: int, low: int = 1, high: int = MAX_ROWS) -> int:
    """Fewest digits still to write so that the run ends at a row in ``low..high`` (0 when it already does)."""
    if count and low <= value <= high:
        return 0
    for extra in range(1, MAX_ROW_DIGITS - count + 1):
        scale = 10**extra
        if value * scale <= high and value * scale + scale - 1 >= low:
            return extra
    raise ValueError(f"no row in {low}..{high} continues {value} ({count} digits)")


def _reachable(value: int, extra_digits: int, low: int, high: int) -> bool:
    for extra in range(extra_digits + 1):
        scale = 10**extra
        if value * scale > high:
            return False
        if value * scale + scale - 1 >= low:
            return True
    return False


def column_letter_allowed(number: int, count: int, letter: int) -> bool:
    """Whether ``letter`` (1..26) may follow ``count`` column letters worth ``number``: at most 3 letters, no
    further than XFD."""
    return count < MAX_COLUMN_LETTERS and number * 26 + letter <= MAX_COLS


# ------------------------------------------------------------------------------------------------ numbers
class NumberReader:
    """A number literal written character by character: ``[-] (D+ [. D*] | . D+) [(E|e) [+|-] D+]``.

    The sign is allowed only with ``signed`` (a ``value`` literal; in formulas a minus is an operator). Digits
    that would make the number overflow to infinity are refused, so every complete number is finite.
    """

    __slots__ = ("state", "text")
    START, SIGN, INT, DOT, FRAC, LEAD_DOT, EXP, EXP_SIGN, EXP_DIGITS = range(9)
    _COMPLETE = frozenset((INT, DOT, FRAC, EXP_DIGITS))

    def __init__(self, text: str = "", state: int = 0) -> None:
        self.text = text
        self.state = state

    def copy(self) -> NumberReader:
        return NumberReader(self.text, self.state)

    def complete(self) -> bool:
        return self.state in self._COMPLETE

    def cost(self) -> int:
        return 0 if self.state in self._COMPLETE else 1

    def _digits_ok(self) -> bool:
        """True when no digit can overflow here (short mantissa, no exponent), so the check can be skipped."""
        return self.state in (self.START, self.SIGN, self.INT, self.DOT, self.FRAC, self.LEAD_DOT) and \
            len(self.text) < 300

    def digit_allowed(self, digit: int) -> bool:
        return self._digits_ok() or math.isfinite(float(self._with_digit(digit)))

    def _with_digit(self, digit: int) -> str:
        return self.text + str(digit)

    def mask(self, tables: TokenTables, signed: bool) -> np.ndarray:
        state = self.state
        if self._digits_ok():
            out = tables.mask_digits.copy()
        else:
            out = tables.digits_mask([d for d in range(10) if self.digit_allowed(d)])
        if state in (self.START, self.SIGN, self.INT):
            out[tables.dot] = True
        if state in (self.INT, self.DOT, self.FRAC):
            out[tables.exponent_upper] = out[tables.exponent_lower] = True
        if state == self.EXP:
            out[tables.plus] = out[tables.minus] = True
        if state == self.START and signed:
            out[tables.minus] = True
        return out

    def advance(self, tables: TokenTables, token: int, signed: bool) -> bool:
        state = self.state
        digit = tables.digit_value[token]
        if digit >= 0:
            if not self.digit_allowed(digit):
                return False
            self.text += str(digit)
            self.state = {self.START: self.INT, self.SIGN: self.INT, self.INT: self.INT, self.DOT: self.FRAC,
                          self.FRAC: self.FRAC, self.LEAD_DOT: self.FRAC, self.EXP: self.EXP_DIGITS,
                          self.EXP_SIGN: self.EXP_DIGITS, self.EXP_DIGITS: self.EXP_DIGITS}[state]
            return True
        if token == tables.dot and state in (self.START, self.SIGN, self.INT):
            self.text += "."
            self.state = self.DOT if state == self.INT else self.LEAD_DOT
            return True
        if token in (tables.exponent_upper, tables.exponent_lower) and state in (self.INT, self.DOT, self.FRAC):
            self.text += "E"
            self.state = self.EXP
            return True
        if token in (tables.plus, tables.minus) and state == self.EXP:
            self.text += "+" if token == tables.plus else "-"
            self.state = self.EXP_SIGN
            return True
        if token == tables.minus and state == self.START and signed:
            self.text = "-"
            self.state = self.SIGN
            return True
        return False

    def row_number(self) -> int | None:
        """The number as a row (1..MAX_ROWS) when it is only digits, at most 7 of them; else None. ``12`` then
        ``:`` is the start of the row range ``12:15`` (the lexer tries references before numbers)."""
        if self.state != self.INT or len(self.text) > MAX_ROW_DIGITS:
            return None
        row = int(self.text)
        return row if 1 <= row <= MAX_ROWS else None


# -------------------------------------------------------------------------------------------------- bytes
class BytesReader:
    """UTF-8 bytes up to a closing token: the text of a ``value`` literal (``VALUE``), a text literal or sheet
    name in a formula (``TEXT``, at most 255 characters), or a defined or function name (``NAME``, ASCII
    letters, digits, ``_``, ``.`` and a leading ``\\``).

    Only well-formed UTF-8 can be written: a lead byte fixes how many continuation bytes follow and their range
    (no overlong forms, no surrogates, nothing past U+10FFFF); the closing token waits for the last one.
    """

    __slots__ = ("characters", "closed", "high", "kind", "low", "name", "pending")
    VALUE, TEXT, NAME = range(3)

    def __init__(self, kind: int) -> None:
        self.kind = kind
        self.pending = 0  # continuation bytes still owed by the current character
        self.low, self.high = 0x80, 0xBF  # the range of the next continuation byte
        self.characters = 0
        self.name = ""  # the text so far, for NAME
        self.closed = False

    def copy(self) -> BytesReader:
        other = BytesReader(self.kind)
        other.pending, other.low, other.high = self.pending, self.low, self.high
        other.characters, other.name, other.closed = self.characters, self.name, self.closed
        return other

    def _closing(self, tables: TokenTables) -> int:
        return tables.name_close if self.kind == self.NAME else tables.str_close

    def cost(self) -> int:
        if self.closed:
            return 0
        extra = 1 if self.kind == self.NAME and not closable_name(self.name) else 0
        return self.pending + extra + 1

    def mask(self, tables: TokenTables) -> np.ndarray:
        if self.pending:
            return tables.continuation_mask(self.low, self.high)
        if self.kind == self.NAME:
            out = (tables.mask_name_char if self.name else tables.mask_name_start).copy()
            if closable_name(self.name):
                out[tables.name_close] = True
            return out
        if self.kind == self.TEXT and self.characters >= MAX_TEXT_CHARACTERS:
            out = np.zeros(tables.size, dtype=bool)
        else:
            out = tables.mask_utf8_start.copy()
        out[tables.str_close] = True
        return out

    def advance(self, tables: TokenTables, token: int) -> bool:
        if self.closed:
            return False
        if token == self._closing(tables):
            if self.pending or (self.kind == self.NAME and not closable_name(self.name)):
                return False
            self.closed = True
            return True
        byte = tables.byte_value[token]
        if byte < 0:
            return False
        if self.pending:
            if not self.low <= byte <= self.high:
                return False
            self.pending -= 1
            self.low, self.high = 0x80, 0xBF
            return True
        if self.kind == self.NAME:
            allowed = _NAME_CHARS if self.name else _NAME_START
            if byte >= 0x80 or chr(byte) not in allowed:
                return False
            self.name += chr(byte)
            self.characters += 1
            return True
        if self.kind == self.TEXT and self.characters >= MAX_TEXT_CHARACTERS:
            return False
        if byte < 0x80:
            pass
        elif 0xC2 <= byte <= 0xDF:
            self.pending = 1
        elif 0xE0 <= byte <= 0xEF:
            self.pending = 2
            self.low, self.high = {0xE0: (0xA0, 0xBF), 0xED: (0x80, 0x9F)}.get(byte, (0x80, 0xBF))
        elif 0xF0 <= byte <= 0xF4:
            self.pending = 3
            self.low, self.high = {0xF0: (0x90, 0xBF), 0xF4: (0x80, 0x8F)}.get(byte, (0x80, 0xBF))
        else:
            return False  # a continuation byte with no lead byte, C0/C1 (overlong) or F5..FF
        self.characters += 1
        return True
