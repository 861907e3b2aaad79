"""Commands as token sequences for sequence models (SpreadsheetGPT), and instruction text as word ids.

A :class:`TokenVocabulary` turns every valid :class:`~sheetrl.env.commands.Command` into a short list of ids and
back: ``decode_command(encode_command(c)) == normalize_command(c)``. It writes any formula the engine parses
(any function, nesting, text in any script, numbers, array constants, references with ``$`` and sheet names), not
only templates, from a vocabulary of a few hundred tokens.

Vocabulary layout. Ids are fixed: the groups below are concatenated in this order, each group from a fixed or
sorted list, and a token already present is not repeated (``general`` is a preset and an alignment; ``TRUE``,
``FALSE`` and one-letter function names such as ``N`` reuse the earlier token). Only the last group depends on the
engine's function registry, so adding a function to the engine changes no other id.

=========  =====================================================================================================
ids        tokens
=========  =====================================================================================================
0-4        ``<pad>``=0, ``<bos>``=1, ``<eos>``=2, ``<unk>``=3, ``<sep>``=4
5-11       structure: ``<str>`` ``</str>`` (text and sheet names), ``<name>`` ``</name>`` (identifiers),
           ``<num>`` (a number literal of ``value``), ``<rel_row>`` ``<rel_col>`` (relative reference offsets)
12-49      command words, each group sorted: verbs (``align``=12 ... ``value``), keywords ``at cols= rows=
           values=``, format presets, alignments (``general`` is already a preset), pivot aggregations
50-71      formula operators and punctuation: ``= + - * / ^ & < > <= >= <> % ( ) , ; { } : ! $``
72-81      ``TRUE FALSE`` and the error literals, sorted (``#CYCLE! #DIV/0! #N/A ... #VALUE!``)
82-107     column letters ``A``-``Z`` (``E`` is also the exponent marker of numbers)
108-119    digits ``0``-``9``, ``.``, ``e`` (a lower-case exponent marker, kept as the formula writes it)
120-375    byte tokens ``<0x00>``-``<0xFF>``: UTF-8 content of text literals, sheet names and identifiers
376-       function names of the engine registry, sorted (unknown functions are written as ``<name>``...)
=========  =====================================================================================================

Command grammar (one token per item; ``CELL`` is column letters then row digits, ``AREA`` is ``CELL [: CELL]``,
``COL`` is column letters): each verb's arguments in the order of :data:`~sheetrl.env.commands.VERB_TABLE`, a
keyword token (``rows= values= cols= at``) before those that have one::

    goto CELL                  select|clear|bold|italic|unbold AREA        done
    value CELL TRUE|FALSE      value CELL <num> [-] DIGITS [. DIGITS] [E [+|-] DIGITS]
    value CELL <str> BYTES </str>
    formula CELL = FORMULA     (``<num>`` and '=' keep the literal's digits apart from the cell's row digits)
    fill CELL AREA             format AREA PRESET              align AREA ALIGNMENT
    pivot [<str> BYTES </str> !] AREA rows= COL values= AGGREGATION ( COL ) [cols= COL] at CELL
    newsheet <str> BYTES </str>                                 sheet <str> BYTES </str>

A formula is written token by token in the engine lexer's terms: numbers digit by digit as written (``12.5E-3``),
text as ``<str> BYTES </str>``, a sheet name as ``<str> BYTES </str> !`` before its reference, functions by their
token followed by ``(`` (unknown functions and defined names as ``<name> BYTES </name>``), references as ``$``
markers, column letters and row digits (``$ B 3 : C $ 1 0``). With ``relative_to`` a coordinate without ``$`` is
written instead as an offset from an origin cell, ``<rel_col> [-] DIGITS`` / ``<rel_row> [-] DIGITS``, so that a
formula filled down a column is the same token sequence in every row; decoding takes the origin from the formula's
own cell unless told otherwise, and accepts both forms.

Decoded formulas are in the engine's canonical rendering (``render(parse(text))``: no spaces, upper-case function
names and references, normalized range corners), hence :func:`normalize_command`. Invalid sequences raise
:class:`TokenError` naming the position and the problem, never anything else.

:class:`InstructionVocabulary` is the separate, word-level vocabulary of task instructions.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, Literal

import numpy as np

from sheetrl.env.commands import (
    ALIGNMENTS,
    FORMAT_PRESETS,
    KEYWORDS,
    VERB_SPECS,
    VERBS,
    Argument,
    ArgumentKind,
    Command,
    CommandError,
    check_area,
    check_cell,
    check_column,
    check_sheet_name,
)
from sheetrl.sheet.address import (
    MAX_COLS,
    MAX_ROWS,
    column_letters,
    parse_cell,
    parse_range,
    quote_sheet_name,
)
from sheetrl.sheet.errors import ERROR_CODES, SheetError
from sheetrl.sheet.lexer import tokenize
from sheetrl.sheet.nodes import CellRef, RefError, render
from sheetrl.sheet.parser import parse, parse_reference
from sheetrl.sheet.pivot import AGGREGATIONS
from sheetrl.sheet.values import number_to_text


class TokenError(ValueError):
    """A token sequence that is not a command, or a command that cannot be encoded; ``position`` is the index of
    the offending token (None when the problem is not at one token)."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position


SPECIAL_TOKENS = ("<pad>", "<bos>", "<eos>", "<unk>", "<sep>")
PAD, BOS, EOS, UNK, SEP = range(5)
STRUCTURE_TOKENS = ("<str>", "</str>", "<name>", "</name>", "<num>", "<rel_row>", "<rel_col>")
FORMULA_SYMBOLS = (
    "=", "+", "-", "*", "/", "^", "&", "<", ">", "<=", ">=", "<>", "%", "(", ")", ",", ";", "{", "}", ":", "!", "$",
)
BOOLEANS = ("TRUE", "FALSE")
LETTERS = tuple(chr(c) for c in range(ord("A"), ord("Z") + 1))
DIGITS = tuple(str(d) for d in range(10))
BYTE_TOKENS = tuple(f"<0x{b:02X}>" for b in range(256))

_IDENTIFIER = re.compile(r"[A-Za-z_\\][A-Za-z0-9_.]*")
_VALUE_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_MAX_OFFSET_DIGITS = 7
_NUMBER_CHARS = frozenset("0123456789.eE+-")

RelativeTo = tuple[int, int] | Literal["cell"] | None


class TokenVocabulary:
    """The token vocabulary of commands (layout in the module docstring) and the codec between both.

    :param functions: the function names to give their own tokens; default: every name in the engine registry.
        Store :attr:`function_names` with a trained model to rebuild exactly its vocabulary later.
    """

    def __init__(self, functions: Iterable[str] | None = None) -> None:
        if functions is None:
            from sheetrl.sheet.functions import FUNCTIONS

            functions = FUNCTIONS
        command_words = (
            *sorted(VERBS),
            *sorted(KEYWORDS),
            *sorted(FORMAT_PRESETS),
            *sorted(ALIGNMENTS),
            *sorted(AGGREGATIONS),
        )
        fixed = (
            *SPECIAL_TOKENS,
            *STRUCTURE_TOKENS,
            *command_words,
            *FORMULA_SYMBOLS,
            *BOOLEANS,
            *sorted(ERROR_CODES),
            *LETTERS,
            *DIGITS,
            ".",
            "e",
            *BYTE_TOKENS,
        )
        tokens = list(dict.fromkeys(fixed))
        present = set(tokens)
        names = sorted(dict.fromkeys(str(name).upper() for name in functions))
        for name in names:
            if not _IDENTIFIER.fullmatch(name):
                raise ValueError(f"{name!r} is not a function name")
        self.function_names: tuple[str, ...] = tuple(names)
        tokens.extend(name for name in names if name not in present)
        self.tokens: tuple[str, ...] = tuple(tokens)
        self._ids: dict[str, int] = {token: i for i, token in enumerate(self.tokens)}
        ids = self._ids
        self.STR, self.END_STR, self.NAME, self.END_NAME, self.NUM, self.REL_ROW, self.REL_COL = (
            ids[t] for t in STRUCTURE_TOKENS
        )
        self._verbs = {ids[v]: v for v in VERBS}
        self._presets = {ids[p]: p for p in FORMAT_PRESETS}
        self._alignments = {ids[a]: a for a in ALIGNMENTS}
        self._aggregations = {ids[a]: a for a in AGGREGATIONS}
        self._letters = {ids[c]: c for c in LETTERS}
        self._digits = {ids[d]: d for d in DIGITS}
        self._bytes = {ids[b]: value for value, b in enumerate(BYTE_TOKENS)}
        self._byte_ids = [ids[b] for b in BYTE_TOKENS]
        formula_words = (*FORMULA_SYMBOLS, *BOOLEANS, *ERROR_CODES, *LETTERS, *DIGITS, ".", "e", *names)
        # token id -> the formula text it stands for, and back
        self._formula_text: dict[int, str] = {ids[w]: w for w in formula_words}
        self._formula_ids: dict[str, int] = {w: ids[w] for w in formula_words}

    # ----------------------------------------------------------------------------------------------- lookups

    def __len__(self) -> int:
        return len(self.tokens)

    def __contains__(self, token: object) -> bool:
        return token in self._ids

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TokenVocabulary) and other.tokens == self.tokens

    def __hash__(self) -> int:
        return hash(self.tokens)

    def id(self, token: str) -> int:
        """The id of a token such as ``'goto'``, ``'SUM'``, ``'<0x41>'``; raises TokenError for an unknown one."""
        try:
            return self._ids[token]
        except (KeyError, TypeError):
            raise TokenError(f"{token!r} is not a token of the vocabulary") from None

    def token(self, token_id: int) -> str:
        """The token of an id; raises TokenError for an id outside the vocabulary."""
        index = _as_index(token_id, 0, len(self.tokens))
        return self.tokens[index]

    def describe(self, ids: Iterable[Any]) -> str:
        """The tokens of an id sequence separated by spaces, for logs (unknown ids appear as ``<?id>``)."""
        parts = []
        for value in ids:
            try:
                parts.append(self.tokens[_as_index(value, 0, len(self.tokens))])
            except TokenError:
                parts.append(f"<?{value!r}>")
        return " ".join(parts)

    # ----------------------------------------------------------------------------------------------- encoding

    def encode_command(self, command: Command, *, relative_to: RelativeTo = None) -> list[int]:
        """Ids of one command (no ``<bos>``/``<eos>``): the verb, then each argument of its signature
        (:data:`~sheetrl.env.commands.VERB_TABLE`), a keyword token before those that have one.

        :param relative_to: write the references of a formula that have no ``$`` as offsets from this 0-based
            ``(row, col)`` origin, or from the formula's own cell with ``"cell"``; default: absolute A1 form.
        :raises TokenError: for a command that is not valid (the message names the problem).
        """
        c = normalize_command(command)
        ids = self._ids
        out = [ids[c.verb]]
        if relative_to == "cell":
            origin: tuple[int, int] | None = None
            if c.cell is not None:
                address = parse_cell(c.cell)
                origin = (address.row, address.col)
        else:
            origin = _check_origin(relative_to)
        for argument in VERB_SPECS[c.verb].arguments:
            values = tuple(getattr(c, name) for name in argument.fields)
            if argument.optional and values[0] is None:
                continue
            if argument.keyword is not None:
                out.append(ids[argument.keyword])
            self._emit_argument(argument.kind, values, origin, out)
        return out

    def _emit_argument(self, kind: ArgumentKind, values: tuple[Any, ...], origin: tuple[int, int] | None,
                       out: list[int]) -> None:
        ids = self._ids
        if kind is ArgumentKind.CELL:
            self._emit_cell(values[0], out)
        elif kind is ArgumentKind.AREA:
            self._emit_area(values[0], out)
        elif kind is ArgumentKind.SOURCE:
            sheet, _, area = values[0].rpartition("!")
            if sheet:
                self._emit_bytes(parse_range(values[0]).sheet or "", self.STR, self.END_STR, out)
                out.append(ids["!"])
            self._emit_area(area, out)
        elif kind is ArgumentKind.LITERAL:
            self._emit_literal(values[0], out)
        elif kind is ArgumentKind.FORMULA:
            out.append(ids["="])
            self._emit_formula(values[0], origin, out)
        elif kind in (ArgumentKind.PRESET, ArgumentKind.ALIGNMENT):
            out.append(ids[values[0]])
        elif kind is ArgumentKind.COLUMN:
            self._emit_letters(values[0], out)
        elif kind is ArgumentKind.AGGREGATE:
            out.extend((ids[values[0]], ids["("]))
            self._emit_letters(values[1], out)
            out.append(ids[")"])
        else:  # SHEET_NAME
            self._emit_bytes(values[0], self.STR, self.END_STR, out)

    def encode_commands(self, commands: Iterable[Command], *, relative_to: RelativeTo = None) -> list[int]:
        """``<bos> command <sep> command ... <eos>``."""
        out = [BOS]
        for i, command in enumerate(commands):
            if i:
                out.append(SEP)
            out.extend(self.encode_command(command, relative_to=relative_to))
        out.append(EOS)
        return out

    def _emit_letters(self, letters: str, out: list[int]) -> None:
        ids = self._ids
        out.extend(ids[ch] for ch in letters)

    def _emit_digits(self, digits: str, out: list[int]) -> None:
        ids = self._ids
        out.extend(ids[ch] for ch in digits)

    def _emit_cell(self, cell: str, out: list[int]) -> None:
        address = parse_cell(cell)
        self._emit_letters(column_letters(address.col), out)
        self._emit_digits(str(address.row + 1), out)

    def _emit_area(self, area: str, out: list[int]) -> None:
        first, colon, last = area.partition(":")
        self._emit_cell(first, out)
        if colon:
            out.append(self._ids[":"])
            self._emit_cell(last, out)

    def _emit_bytes(self, text: str, opening: int, closing: int, out: list[int]) -> None:
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise TokenError(f"text {text!r} cannot be written as UTF-8: {exc.reason}") from None
        byte_ids = self._byte_ids
        out.append(opening)
        out.extend(byte_ids[b] for b in data)
        out.append(closing)

    def _emit_literal(self, value: Any, out: list[int]) -> None:
        if isinstance(value, bool):
            out.append(self._ids["TRUE" if value else "FALSE"])
        elif isinstance(value, float):
            out.append(self.NUM)
            ids = self._ids
            out.extend(ids[ch] for ch in _number_text(value))
        else:
            self._emit_bytes(value, self.STR, self.END_STR, out)

    def _emit_formula(self, formula: str, origin: tuple[int, int] | None, out: list[int]) -> None:
        ids = self._formula_ids
        for token in tokenize(formula):
            kind = token.kind
            text = token.text
            if kind == "NUMBER":
                out.extend(ids[ch] for ch in text)
            elif kind == "STRING":
                self._emit_bytes(text, self.STR, self.END_STR, out)
            elif kind == "REF":
                self._emit_reference(parse_reference(text), origin, out)
            elif kind == "NAME" or (kind == "FUNC" and text not in ids):
                self._emit_bytes(text, self.NAME, self.END_NAME, out)
            else:  # FUNC known, BOOL, ERROR, OP and punctuation
                token_id = ids.get(text)
                if token_id is None:
                    raise TokenError(f"formula {formula!r}: no token for {text!r}")
                out.append(token_id)

    def _emit_reference(self, node: Any, origin: tuple[int, int] | None, out: list[int]) -> None:
        ids = self._ids
        if node.sheet is not None:
            self._emit_bytes(node.sheet, self.STR, self.END_STR, out)
            out.append(ids["!"])
        if type(node) is RefError:
            out.append(ids["#REF!"])
        elif type(node) is CellRef:
            self._emit_column(node.col, node.col_abs, origin, out)
            self._emit_row(node.row, node.row_abs, origin, out)
        elif node.whole_cols:
            self._emit_column(node.col1, node.col1_abs, origin, out)
            out.append(ids[":"])
            self._emit_column(node.col2, node.col2_abs, origin, out)
        elif node.whole_rows:
            self._emit_row(node.row1, node.row1_abs, origin, out)
            out.append(ids[":"])
            self._emit_row(node.row2, node.row2_abs, origin, out)
        else:
            self._emit_column(node.col1, node.col1_abs, origin, out)
            self._emit_row(node.row1, node.row1_abs, origin, out)
            out.append(ids[":"])
            self._emit_column(node.col2, node.col2_abs, origin, out)
            self._emit_row(node.row2, node.row2_abs, origin, out)

    def _emit_column(self, col: int, absolute: bool, origin: tuple[int, int] | None, out: list[int]) -> None:
        if absolute:
            out.append(self._ids["$"])
        if absolute or origin is None:
            self._emit_letters(column_letters(col), out)
        else:
            out.append(self.REL_COL)
            self._emit_offset(col - origin[1], out)

    def _emit_row(self, row: int, absolute: bool, origin: tuple[int, int] | None, out: list[int]) -> None:
        if absolute:
            out.append(self._ids["$"])
        if absolute or origin is None:
            self._emit_digits(str(row + 1), out)
        else:
            out.append(self.REL_ROW)
            self._emit_offset(row - origin[0], out)

    def _emit_offset(self, offset: int, out: list[int]) -> None:
        if offset < 0:
            out.append(self._ids["-"])
        self._emit_digits(str(abs(offset)), out)

    # ----------------------------------------------------------------------------------------------- decoding

    def decode_command(self, ids: Iterable[Any], *, relative_to: RelativeTo = None) -> Command:
        """The command of an id sequence, optionally framed as ``<bos> ... <eos>`` and followed by ``<pad>``s.

        :param relative_to: origin of ``<rel_row>``/``<rel_col>`` offsets in a formula; default (or ``"cell"``):
            the formula's own cell.
        :raises TokenError: naming the position and the problem, for any sequence that is not one command.
        """
        sequence = self._check_ids(ids)
        origin = None if relative_to == "cell" else _check_origin(relative_to)
        end = len(sequence)
        while end and sequence[end - 1] == PAD:
            end -= 1
        if end and sequence[end - 1] == EOS:
            end -= 1
        start = 1 if end and sequence[0] == BOS else 0
        return self._decode_one(_Reader(self, sequence, start, end), origin)

    def decode_commands(self, ids: Iterable[Any], *, relative_to: RelativeTo = None) -> list[Command]:
        """The commands of ``<bos> command <sep> command ... <eos>`` (frame optional, trailing ``<pad>``s allowed)."""
        sequence = self._check_ids(ids)
        origin = None if relative_to == "cell" else _check_origin(relative_to)
        end = len(sequence)
        while end and sequence[end - 1] == PAD:
            end -= 1
        if end and sequence[end - 1] == EOS:
            end -= 1
        start = 1 if end and sequence[0] == BOS else 0
        if start >= end:
            return []
        commands = []
        part_start = start
        for index in range(start, end + 1):
            if index == end or sequence[index] == SEP:
                commands.append(self._decode_one(_Reader(self, sequence, part_start, index), origin))
                part_start = index + 1
        return commands

    def _check_ids(self, ids: Iterable[Any]) -> list[int]:
        if isinstance(ids, (str, bytes)):
            raise TokenError(f"token ids are integers, not {type(ids).__name__}")
        try:
            values = list(ids)
        except TypeError:
            raise TokenError(f"token ids must be a sequence of integers, not {type(ids).__name__}") from None
        size = len(self.tokens)
        return [_as_index(value, position, size) for position, value in enumerate(values)]

    def _decode_one(self, r: _Reader, origin: tuple[int, int] | None) -> Command:
        position = r.index
        token_id = r.take("a command verb")
        verb = self._verbs.get(token_id)
        if verb is None:
            raise r.error(f"expected a command verb ({', '.join(VERBS)}), got {self.tokens[token_id]!r}", position)
        fields: dict[str, Any] = {}
        for argument in VERB_SPECS[verb].arguments:
            if argument.keyword is not None:
                if argument.optional and r.peek() != self._ids[argument.keyword]:
                    continue
                self._expect(r, argument.keyword, f"in a {verb} command")
            if argument.kind is ArgumentKind.FORMULA and origin is None:
                address = parse_cell(fields["cell"])
                origin = (address.row, address.col)
            fields.update(zip(argument.fields, self._read_argument(r, argument, verb, origin)))
        if not r.at_end():
            raise r.error(f"unexpected {self.tokens[r.peek()]!r} after a complete {verb} command")  # type: ignore[index]
        return Command(verb, **fields)

    def _read_argument(self, r: _Reader, argument: Argument, verb: str,
                       origin: tuple[int, int] | None) -> tuple[Any, ...]:
        kind = argument.kind
        if kind is ArgumentKind.CELL:
            return (self._read_cell(r, verb),)
        if kind is ArgumentKind.AREA:
            return (self._read_area(r, verb),)
        if kind is ArgumentKind.SOURCE:
            sheet = None
            if r.peek() == self.STR:
                position = r.index
                r.index += 1
                sheet = self._read_bytes(r, self.END_STR, "the sheet name")
                self._expect(r, "!", "after the sheet name of a source range")
                try:
                    check_sheet_name(sheet, verb)
                except CommandError as exc:
                    raise r.error(str(exc), position) from None
            area = self._read_area(r, verb)
            return (area if sheet is None else f"{quote_sheet_name(sheet)}!{area}",)
        if kind is ArgumentKind.LITERAL:
            return (self._read_literal(r),)
        if kind is ArgumentKind.FORMULA:
            self._expect(r, "=", "after the cell of a formula")
            assert origin is not None
            return (self._read_formula(r, origin),)
        if kind in (ArgumentKind.PRESET, ArgumentKind.ALIGNMENT):
            choices = self._presets if kind is ArgumentKind.PRESET else self._alignments
            position = r.index
            token_id = r.take("a format preset" if kind is ArgumentKind.PRESET else "an alignment")
            if token_id not in choices:
                raise r.error(f"{verb}: expected one of {', '.join(choices.values())}, got "
                              f"{self.tokens[token_id]!r}", position)
            return (choices[token_id],)
        if kind is ArgumentKind.COLUMN:
            return (self._read_column(r, argument.fields[0]),)
        if kind is ArgumentKind.AGGREGATE:
            position = r.index
            token_id = r.take("an aggregation")
            aggregation = self._aggregations.get(token_id)
            if aggregation is None:
                raise r.error(f"pivot: expected an aggregation ({', '.join(AGGREGATIONS)}), got "
                              f"{self.tokens[token_id]!r}", position)
            self._expect(r, "(", "after the aggregation")
            values = self._read_column(r, "values")
            self._expect(r, ")", "after the values field")
            return aggregation, values
        position = r.index  # SHEET_NAME
        self._expect(r, "<str>", "before a sheet name")
        name = self._read_bytes(r, self.END_STR, "the sheet name")
        try:
            return (check_sheet_name(name, verb),)
        except CommandError as exc:
            raise r.error(str(exc), position) from None

    def _read_run(self, r: _Reader, table: dict[int, str]) -> str:
        chars = []
        while (token_id := r.peek()) is not None and token_id in table:
            chars.append(table[token_id])
            r.index += 1
        return "".join(chars)

    def _read_cell_text(self, r: _Reader, what: str) -> str:
        position = r.index
        letters = self._read_run(r, self._letters)
        if not letters:
            raise r.expected(f"the column letters of {what}")
        digits = self._read_run(r, self._digits)
        if not digits:
            raise r.expected(f"the row digits of {what}")
        if len(letters) > 3 or len(digits) > 7:
            raise r.error(f"{letters}{digits} is not a cell address", position)
        return letters + digits

    def _read_cell(self, r: _Reader, verb: str) -> str:
        position = r.index
        text = self._read_cell_text(r, "a cell")
        try:
            return check_cell(text, verb)
        except CommandError as exc:
            raise r.error(str(exc), position) from None

    def _read_area(self, r: _Reader, verb: str) -> str:
        position = r.index
        text = self._read_cell_text(r, "a range")
        if r.peek() == self._ids[":"]:
            r.index += 1
            text += ":" + self._read_cell_text(r, "the end of a range")
        try:
            return _area_of(text, verb)
        except CommandError as exc:
            raise r.error(str(exc), position) from None

    def _read_column(self, r: _Reader, what: str) -> str:
        position = r.index
        letters = self._read_run(r, self._letters)
        if not letters:
            raise r.expected(f"the column letters of the {what} field")
        if len(letters) > 3:
            raise r.error(f"pivot: {letters} is not a column", position)
        try:
            return check_column(letters, what)
        except CommandError as exc:
            raise r.error(str(exc), position) from None

    def _expect(self, r: _Reader, token: str, context: str) -> None:
        position = r.index
        token_id = r.take(f"{token!r} {context}")
        if token_id != self._ids[token]:
            raise r.error(f"expected {token!r} {context}, got {self.tokens[token_id]!r}", position)

    def _read_bytes(self, r: _Reader, closing: int, what: str) -> str:
        start = r.index - 1  # the opening token
        data = bytearray()
        table = self._bytes
        while True:
            position = r.index
            token_id = r.peek()
            if token_id is None:
                raise r.error(f"{what} opened at position {start} has no closing {self.tokens[closing]}")
            r.index += 1
            if token_id == closing:
                break
            value = table.get(token_id)
            if value is None:
                raise r.error(f"expected a byte token or {self.tokens[closing]} in {what}, got "
                              f"{self.tokens[token_id]!r}", position)
            data.append(value)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise r.error(f"the bytes of {what} are not UTF-8 ({exc.reason} at byte {exc.start})", start) from None

    def _read_literal(self, r: _Reader) -> Any:
        position = r.index
        token_id = r.take("a literal (TRUE, FALSE, <num> or <str>)")
        token = self.tokens[token_id]
        if token in BOOLEANS:
            return token == "TRUE"
        if token_id == self.STR:
            return self._read_bytes(r, self.END_STR, "the text")
        if token_id == self.NUM:
            chars = []
            while (next_id := r.peek()) is not None and self._formula_text.get(next_id, "") in _NUMBER_CHARS:
                chars.append(self._formula_text[next_id])
                r.index += 1
            text = "".join(chars)
            if not _VALUE_NUMBER.fullmatch(text):
                raise r.error(f"{text!r} is not a number such as 12, -0.5 or 1.5E-3", position + 1)
            number = float(text)
            if number in (float("inf"), float("-inf")):
                raise r.error(f"number {text} is too large", position + 1)
            return number
        raise r.error(f"expected a literal (TRUE, FALSE, <num> or <str>), got {token!r}", position)

    def _read_offset(self, r: _Reader) -> int:
        sign = 1
        token = self._formula_text.get(r.peek())  # type: ignore[arg-type]
        if token in ("+", "-"):
            sign = -1 if token == "-" else 1
            r.index += 1
        position = r.index
        digits = self._read_run(r, self._digits)
        if not digits:
            raise r.expected("the digits of a relative offset")
        if len(digits) > _MAX_OFFSET_DIGITS:
            raise r.error(f"offset {digits} is too large", position)
        return sign * int(digits)

    def _read_formula(self, r: _Reader, origin: tuple[int, int]) -> str:
        pieces: list[str] = []
        positions: list[int] = []  # token position where each piece starts
        text_table = self._formula_text
        if r.at_end():
            raise r.expected("a formula")
        while not r.at_end():
            position = r.index
            token_id = r.take("a formula token")
            text = text_table.get(token_id)
            if text is not None:
                piece = text
            elif token_id == self.STR:
                value = self._read_bytes(r, self.END_STR, "the text")
                if r.peek() == self._ids["!"]:
                    if not value:
                        raise r.error("a sheet name cannot be empty", position)
                    piece = quote_sheet_name(value)
                else:
                    piece = '"' + value.replace('"', '""') + '"'
            elif token_id == self.NAME:
                piece = self._read_bytes(r, self.END_NAME, "the name")
                if not _IDENTIFIER.fullmatch(piece):
                    raise r.error(f"{piece!r} is not a name (letters, digits, '_' and '.')", position)
            elif token_id in (self.REL_COL, self.REL_ROW):
                if pieces and pieces[-1] == "$":
                    raise r.error("'$' marks an absolute coordinate; it cannot precede a relative offset", position)
                offset = self._read_offset(r)
                if token_id == self.REL_COL:
                    col = origin[1] + offset
                    if not 0 <= col < MAX_COLS:
                        raise r.error(f"column offset {offset} leaves the sheet", position)
                    piece = column_letters(col)
                else:
                    row = origin[0] + offset
                    if not 0 <= row < MAX_ROWS:
                        raise r.error(f"row offset {offset} leaves the sheet", position)
                    piece = str(row + 1)
            else:
                raise r.error(f"{self.tokens[token_id]!r} cannot appear in a formula", position)
            pieces.append(piece)
            positions.append(position)
        text = "".join(pieces)
        try:
            node = parse("=" + text)
        except ValueError as exc:  # SheetError, and any engine slip on strange text
            offset = getattr(exc, "position", 1) - 1
            reason = getattr(exc, "reason", str(exc))
            consumed = 0
            where = positions[-1]
            for piece, piece_position in zip(pieces, positions):
                consumed += len(piece)
                if consumed > offset:
                    where = piece_position
                    break
            raise r.error(f"formula ={text} does not parse: {reason}", where) from None
        return "=" + render(node)


class _Reader:
    """A cursor over ids[index:end] with error helpers."""

    __slots__ = ("end", "ids", "index", "vocab")

    def __init__(self, vocab: TokenVocabulary, ids: list[int], start: int, end: int) -> None:
        self.vocab = vocab
        self.ids = ids
        self.index = start
        self.end = end

    def at_end(self) -> bool:
        return self.index >= self.end

    def peek(self) -> int | None:
        return self.ids[self.index] if self.index < self.end else None

    def take(self, expected: str) -> int:
        if self.index >= self.end:
            raise self.expected(expected)
        token_id = self.ids[self.index]
        if token_id in (PAD, BOS, EOS, UNK, SEP):
            raise self.error(f"expected {expected}, got the special token {self.vocab.tokens[token_id]}")
        self.index += 1
        return token_id

    def expected(self, what: str) -> TokenError:
        if self.index >= self.end:
            return TokenError(f"position {self.index} (end): expected {what}, but the command ends here", self.index)
        return self.error(f"expected {what}, got {self.vocab.tokens[self.ids[self.index]]!r}")

    def error(self, problem: str, position: int | None = None) -> TokenError:
        if position is None:
            position = self.index
        if position < len(self.ids):
            return TokenError(f"position {position} ({self.vocab.tokens[self.ids[position]]}): {problem}", position)
        return TokenError(f"position {position} (end): {problem}", position)


def _as_index(value: Any, position: int, size: int) -> int:
    if isinstance(value, bool):
        raise TokenError(f"position {position}: {value!r} is not a token id", position)
    try:
        index = operator.index(value)
    except TypeError:
        raise TokenError(f"position {position}: {value!r} is not a token id (an integer)", position) from None
    if not 0 <= index < size:
        raise TokenError(f"position {position}: {index} is not a token id (0..{size - 1})", position)
    return index


def _check_origin(origin: Any) -> tuple[int, int] | None:
    if origin is None:
        return None
    try:
        row, col = (operator.index(v) for v in origin)
    except (TypeError, ValueError):
        raise TokenError(f"relative_to must be a 0-based (row, col) pair or 'cell', not {origin!r}") from None
    if not (0 <= row < MAX_ROWS and 0 <= col < MAX_COLS):
        raise TokenError(f"relative_to {origin!r} lies outside the sheet")
    return row, col


def _number_text(number: float) -> str:
    """Shortest text of a number that gives it back exactly: Excel's General form when exact, else repr."""
    text = number_to_text(number)
    if float(text) != number:
        text = repr(number).upper()
    return text


def normalize_command(command: Command) -> Command:
    """The canonical form of a command: addresses as ``parse_command`` writes them, the value literal as float,
    bool or str, lower-case words, and the formula as ``'=' + render(parse(text))``. Fields a verb does not use
    are dropped. Raises TokenError for a command that is not valid."""
    if not isinstance(command, Command):
        raise TokenError(f"expected a Command, not {type(command).__name__}")
    spec = VERB_SPECS.get(command.verb)
    if spec is None:
        raise TokenError(f"unknown verb {command.verb!r}; verbs are {', '.join(VERBS)}")
    fields: dict[str, Any] = {}
    try:
        for argument in spec.arguments:
            values = tuple(getattr(command, name) for name in argument.fields)
            if argument.optional and not values[0]:
                continue
            fields.update(zip(argument.fields, _normalize_argument(argument, values, spec.name)))
    except (CommandError, SheetError) as exc:
        raise TokenError(f"cannot encode {command!r}: {exc}") from None
    return Command(spec.name, **fields)


def _normalize_argument(argument: Argument, values: tuple[Any, ...], verb: str) -> tuple[Any, ...]:
    kind = argument.kind
    value = values[0]
    if kind is ArgumentKind.CELL:
        return (_cell_of(value, verb),)
    if kind in (ArgumentKind.AREA, ArgumentKind.SOURCE):
        return (_area_of(value, verb, kind is ArgumentKind.SOURCE),)
    if kind is ArgumentKind.LITERAL:
        return (_literal_of(value),)
    if kind is ArgumentKind.FORMULA:
        if not isinstance(value, str):
            raise CommandError(f"formula: the formula must be text, not {type(value).__name__}")
        formula = value.strip()
        if not formula.startswith("="):
            formula = "=" + formula
        canonical = "=" + render(parse(formula))
        try:
            parse(canonical)
        except ValueError as exc:
            raise CommandError(f"formula: the engine cannot read its own rendering {canonical!r}: {exc}") from None
        return (canonical,)
    if kind in (ArgumentKind.PRESET, ArgumentKind.ALIGNMENT):
        choices = FORMAT_PRESETS if kind is ArgumentKind.PRESET else ALIGNMENTS
        word = value.lower() if isinstance(value, str) else value
        if word not in choices:
            raise CommandError(f"{verb}: {value!r} is not one of {', '.join(choices)}")
        return (word,)
    if kind is ArgumentKind.COLUMN:
        return (_column_of(value, argument.fields[0]),)
    if kind is ArgumentKind.AGGREGATE:
        aggregation = value.lower() if isinstance(value, str) else value
        if aggregation not in AGGREGATIONS:
            raise CommandError(f"pivot: aggregation must be one of {', '.join(AGGREGATIONS)}")
        return aggregation, _column_of(values[1], "values")
    if not isinstance(value, str):  # SHEET_NAME
        raise CommandError(f"{verb}: a sheet name is text, not {value!r}")
    return (check_sheet_name(value, verb),)


def _cell_of(text: Any, verb: str) -> str:
    if not isinstance(text, str):
        raise CommandError(f"{verb}: a cell address must be text like 'B3', not {text!r}")
    return check_cell(text.strip(), verb)


def _area_of(text: Any, verb: str, allow_sheet: bool = False) -> str:
    if not isinstance(text, str):
        raise CommandError(f"{verb}: a range must be text like 'A1:C3', not {text!r}")
    return check_area(text.strip(), verb, allow_sheet)


def _column_of(text: Any, what: str) -> str:
    if not isinstance(text, str):
        raise CommandError(f"pivot: {what} must be a column letter such as B, not {text!r}")
    return check_column(text, what)


def _literal_of(value: Any) -> Any:
    if isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        number = float(value)
        if not math.isfinite(number):
            raise CommandError(f"value: {value!r} is not a finite number")
        return number
    raise CommandError(f"value: the literal must be a number, TRUE/FALSE or text, not {value!r}")


@lru_cache(maxsize=1)
def default_vocabulary() -> TokenVocabulary:
    """The vocabulary over the engine's whole function registry (built once)."""
    return TokenVocabulary()


def encode_command(
    command: Command, *, vocab: TokenVocabulary | None = None, relative_to: RelativeTo = None
) -> list[int]:
    """Ids of one command in ``vocab`` (default: :func:`default_vocabulary`); see
    :meth:`TokenVocabulary.encode_command`."""
    return (vocab or default_vocabulary()).encode_command(command, relative_to=relative_to)


def decode_command(
    ids: Iterable[Any], *, vocab: TokenVocabulary | None = None, relative_to: RelativeTo = None
) -> Command:
    """The command of an id sequence; see :meth:`TokenVocabulary.decode_command`. Raises only TokenError."""
    return (vocab or default_vocabulary()).decode_command(ids, relative_to=relative_to)


def encode_commands(
    commands: Iterable[Command], *, vocab: TokenVocabulary | None = None, relative_to: RelativeTo = None
) -> list[int]:
    """``<bos> command <sep> command ... <eos>``."""
    return (vocab or default_vocabulary()).encode_commands(commands, relative_to=relative_to)


def decode_commands(
    ids: Iterable[Any], *, vocab: TokenVocabulary | None = None, relative_to: RelativeTo = None
) -> list[Command]:
    """The commands of a ``<sep>``-separated sequence; see :meth:`TokenVocabulary.decode_commands`."""
    return (vocab or default_vocabulary()).decode_commands(ids, relative_to=relative_to)


# --------------------------------------------------------------------------------------------------- instructions

_INSTRUCTION_PIECE = re.compile(r"[^\W\d_]+|[0-9]|[$%\-.:]")
INSTRUCTION_SYMBOLS = ("$", "%", "-", ".", ":")


class InstructionVocabulary:
    """Word ids for task instructions: lower-cased words (runs of letters), each ASCII digit on its own, and the
    symbols ``$ % - . :``; everything else separates words and is dropped.

    Ids: ``<pad>``=0, ``<unk>``=1 (a word not in the vocabulary), digits ``0``-``9`` = 2-11, the symbols =
    12-16, then the words, sorted. The words come from ``words`` (e.g. every word of the task generators'
    templates), split the same way as instructions, so the ids depend only on that set of words.
    """

    SPECIALS = ("<pad>", "<unk>")

    def __init__(self, words: Iterable[str]) -> None:
        if isinstance(words, str):
            words = [words]
        fixed = (*self.SPECIALS, *DIGITS, *INSTRUCTION_SYMBOLS)
        found = {piece for word in words for piece in self.split(str(word))}
        self.words: tuple[str, ...] = tuple(sorted(w for w in found if w not in fixed))
        self.tokens: tuple[str, ...] = (*fixed, *self.words)
        self._ids = {token: i for i, token in enumerate(self.tokens)}

    def __len__(self) -> int:
        return len(self.tokens)

    def __contains__(self, word: object) -> bool:
        return word in self._ids

    @staticmethod
    def split(text: str) -> list[str]:
        """The pieces of a text: ``'Sum B2:B10, then 12.5%'`` -> sum b 2 : b 1 0 then 1 2 . 5 %."""
        return _INSTRUCTION_PIECE.findall(text.lower())

    def encode_text(self, text: str) -> list[int]:
        """Ids of every piece of the text (unknown words are ``<unk>``), without padding."""
        if not isinstance(text, str):
            raise TypeError(f"an instruction is text, not {type(text).__name__}")
        ids = self._ids
        return [ids.get(piece, 1) for piece in self.split(text)]

    def encode(self, text: str, max_len: int) -> np.ndarray:
        """A fixed-length int64 array of ids: the first ``max_len`` pieces, padded with 0."""
        if isinstance(max_len, bool) or not isinstance(max_len, int) or max_len < 1:
            raise ValueError(f"max_len must be a positive integer, not {max_len!r}")
        out = np.zeros(max_len, dtype=np.int64)
        ids = self.encode_text(text)[:max_len]
        out[: len(ids)] = ids
        return out

    def decode(self, ids: Sequence[int]) -> str:
        """The pieces of an id sequence joined by spaces, without padding (for logs)."""
        return " ".join(self.tokens[int(i)] for i in ids if int(i) != 0 and 0 <= int(i) < len(self.tokens))


__all__ = [
    "BOS",
    "EOS",
    "PAD",
    "SEP",
    "SPECIAL_TOKENS",
    "UNK",
    "InstructionVocabulary",
    "TokenError",
    "TokenVocabulary",
    "decode_command",
    "decode_commands",
    "default_vocabulary",
    "encode_command",
    "encode_commands",
    "normalize_command",
]
