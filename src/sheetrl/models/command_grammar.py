"""Which command tokens may come next: the grammar behind SpreadsheetGPT's constrained decoding.

:class:`CommandGrammar` wraps a :class:`~sheetrl.env.tokens.TokenVocabulary`; :meth:`CommandGrammar.start` gives a
:class:`CommandState` that reads one command token by token (after ``<bos>``, up to and including ``<eos>``):

>>> grammar = CommandGrammar()
>>> state = grammar.start()
>>> for token in ("goto", "B", "3"):
...     state.advance(grammar.vocabulary.id(token))
>>> bool(state.allowed()[grammar.vocabulary.id("<eos>")])
True

The guarantee: a sequence that only ever takes allowed tokens and ends with ``<eos>`` decodes with
:func:`~sheetrl.env.tokens.decode_command`, and the command's text parses with
:func:`~sheetrl.env.commands.parse_command`. The grammar is complete for what the encoder writes: every token of
``encode_command(c)`` for a valid command ``c`` is allowed where it stands (tests/models check both).

**Length budget.** ``allowed(remaining)`` also keeps the command finishable: a token is allowed only if the
shortest way to finish after it (:meth:`CommandState.cost`, ``<eos>`` included) fits into the ``remaining - 1``
tokens left after it. A decoder that starts with ``remaining = max_length`` therefore always reaches ``<eos>``
within ``max_length`` tokens, whatever its logits. ``cost`` is exact (tests check it against one-step lookahead
on random walks), so the budget never forbids a command that would have fit.

Command grammar (one slot after another; see ``env/tokens.py``)::

    goto CELL <eos>                      select|clear|bold|italic|unbold AREA <eos>      done <eos>
    value CELL (TRUE|FALSE|<num> NUMBER|<str> BYTES </str>) <eos>
    formula CELL = FORMULA <eos>         fill CELL AREA <eos>
    format AREA PRESET <eos>             align AREA ALIGNMENT <eos>
    pivot AREA rows= COL values= AGGREGATION ( COL ) [cols= COL] at CELL <eos>

``AREA`` is ``CELL [: CELL]`` covering at most 100,000 cells (the command language's limit). Each slot has a
reader (:mod:`sheetrl.models.command_readers`); formulas are read by
:class:`~sheetrl.models.formula_grammar.FormulaReader` with :mod:`sheetrl.models.reference_grammar` for
references, and numbers and text by the readers of :mod:`sheetrl.models.grammar_readers`.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import numpy as np

from sheetrl.env.commands import ALIGNMENTS, FORMAT_PRESETS
from sheetrl.env.tokens import BOS, TokenVocabulary, default_vocabulary
from sheetrl.models.command_readers import (
    MAX_AREA_CELLS,
    AreaReader,
    CellReader,
    ColumnReader,
    FormulaSlot,
    LiteralReader,
    OptionalColumnsReader,
    Reader,
    TokenReader,
)
from sheetrl.models.formula_grammar import BYTES, FormulaReader
from sheetrl.models.grammar_readers import BytesReader, TokenTables
from sheetrl.sheet.lexer import MAX_FORMULA_LENGTH
from sheetrl.sheet.pivot import AGGREGATIONS


class GrammarError(ValueError):
    """A token that the grammar does not allow where it stands (the message names it and its position)."""


# ------------------------------------------------------------------------------------------------- slots
CELL, AREA, LITERAL, FORMULA, COLUMN, OPTIONAL_COLUMNS, END = "cell", "area", "literal", "formula", "column", \
    "optional_columns", "end"
# the fewest tokens each slot takes
_SLOT_COST = {CELL: 2, AREA: 2, LITERAL: 1, FORMULA: 1, COLUMN: 1, OPTIONAL_COLUMNS: 0, END: 1}


def _verb_slots() -> dict[str, tuple[str, ...]]:
    """The slots after each verb; a plain string other than the names above is one fixed token."""
    area_only = (AREA, END)
    return {
        "done": (END,),
        "goto": (CELL, END),
        "select": area_only, "clear": area_only, "bold": area_only, "italic": area_only, "unbold": area_only,
        "value": (CELL, LITERAL, END),
        "formula": (CELL, "=", FORMULA, END),
        "fill": (CELL, AREA, END),
        "format": (AREA, "preset", END),
        "align": (AREA, "alignment", END),
        "pivot": (AREA, "rows=", COLUMN, "values=", "aggregation", "(", COLUMN, ")", OPTIONAL_COLUMNS, "at", CELL,
                  END),
    }


VERB_SLOTS = _verb_slots()


# ------------------------------------------------------------------------------------------------- grammar
class CommandGrammar:
    """The grammar of one command over a token vocabulary (default: the environment's).

    :param vocabulary: the :class:`~sheetrl.env.tokens.TokenVocabulary` whose ids the masks index.
    """

    def __init__(self, vocabulary: TokenVocabulary | None = None) -> None:
        self.vocabulary = vocabulary or default_vocabulary()
        self.tables = TokenTables(self.vocabulary)
        t = self.tables
        self._choices = {
            "preset": t.mask(t.id(p) for p in FORMAT_PRESETS),
            "alignment": t.mask(t.id(a) for a in ALIGNMENTS),
            "aggregation": t.mask(t.id(a) for a in AGGREGATIONS),
        }
        self._first: dict[str, np.ndarray] = {}
        longest_piece = max(len(token) for token in self.vocabulary.tokens if not token.startswith("<"))
        # Every token adds at most ``longest_piece`` characters to a formula's text (a byte at most 2, an offset
        # pair at most 7 for 2 tokens), so commands of this many tokens keep formulas under the lexer's limit.
        self.max_command_length = (MAX_FORMULA_LENGTH - 1) // max(longest_piece, 7)

    @property
    def size(self) -> int:
        """Vocabulary size (the length of every mask)."""
        return self.tables.size

    def start(self) -> CommandState:
        """The state before a command's first token (``<bos>`` is not part of the command)."""
        return CommandState(self)

    def state_after(self, token_ids: Iterable[int]) -> CommandState:
        """The state after the tokens of a command prefix (a leading ``<bos>`` is skipped); raises
        :class:`GrammarError` at the first token the grammar does not allow."""
        state = self.start()
        for position, token in enumerate(token_ids):
            token = int(token)
            if position == 0 and token == BOS:
                continue
            state.advance(token)
        return state

    def masks_along(self, token_ids: Iterable[int]) -> np.ndarray:
        """(T, V) bool: row ``i`` is the allowed-token mask before token ``i`` of a command (``<bos>`` excluded,
        ``<eos>`` included) — the masks a model's token head is trained under with teacher forcing."""
        state = self.start()
        rows = []
        for token in token_ids:
            rows.append(state.allowed())
            state.advance(int(token))
        return np.stack(rows) if rows else np.zeros((0, self.size), dtype=bool)

    def make_reader(self, slot: str, origin: tuple[int, int] | None) -> Reader:
        t = self.tables
        if slot == CELL:
            return CellReader(t)
        if slot == AREA:
            return AreaReader(t)
        if slot == LITERAL:
            return LiteralReader(t)
        if slot == FORMULA:
            return FormulaSlot(FormulaReader(t, origin or (0, 0)))
        if slot == COLUMN:
            return ColumnReader(t)
        if slot == OPTIONAL_COLUMNS:
            return OptionalColumnsReader(t)
        if slot == END:
            return TokenReader(t.mask_eos)
        if slot in self._choices:
            return TokenReader(self._choices[slot])
        return TokenReader(t.mask([t.id(slot)]))

    def first_mask(self, slot: str) -> np.ndarray:
        """The tokens a slot may start with (read-only)."""
        mask = self._first.get(slot)
        if mask is None:
            mask = self.make_reader(slot, (0, 0)).mask()
            mask.flags.writeable = False
            self._first[slot] = mask
        return mask

    def slot_cost(self, slot: str) -> int:
        return _SLOT_COST.get(slot, 1)


class CommandState:
    """Where a command's token sequence stands (see the module docstring). Create with
    :meth:`CommandGrammar.start`; :meth:`advance` moves it on by one token."""

    __slots__ = ("finished", "grammar", "length", "origin", "reader", "slots")

    def __init__(self, grammar: CommandGrammar) -> None:
        self.grammar = grammar
        self.reader: Reader | None = None  # None before the verb
        self.slots: tuple[str, ...] = ()  # the slots after the current one
        self.origin: tuple[int, int] | None = None  # the first cell of the command (a formula's own cell)
        self.finished = False  # <eos> was read
        self.length = 0  # tokens read

    def copy(self) -> CommandState:
        other = CommandState.__new__(CommandState)
        other.grammar, other.slots, other.origin = self.grammar, self.slots, self.origin
        other.finished, other.length = self.finished, self.length
        other.reader = self.reader.copy() if self.reader is not None else None
        return other

    # ------------------------------------------------------------------------------------------------ query
    def cost(self) -> int:
        """Fewest tokens that finish the command, ``<eos>`` included (0 once finished)."""
        if self.finished:
            return 0
        if self.reader is None:
            return 2  # done <eos>
        return self.reader.cost() + sum(self.grammar.slot_cost(slot) for slot in self.slots)

    def max_increase(self) -> int:
        """An upper bound on ``cost(after any token) - cost(now)`` (pivot's slots after the verb: 11; the second
        corner of an area may need up to 8; see FormulaReader.max_increase)."""
        if isinstance(self.reader, FormulaSlot):
            return self.reader.reader.max_increase()
        return 11

    def allowed(self, remaining: int | None = None) -> np.ndarray:
        """Bool mask (V,) of the tokens that may come next; once finished, only ``<pad>``.

        :param remaining: tokens still allowed, this one included; tokens after which the command could not be
            finished within ``remaining - 1`` more are excluded. Raises GrammarError if even the shortest
            finish does not fit.
        """
        grammar = self.grammar
        if self.finished:
            return grammar.tables.mask_pad.copy()
        if self.reader is None:
            out = grammar.tables.mask_verbs.copy()
        else:
            out = self.reader.mask()
            if self.reader.complete():
                for slot in self.slots:
                    out |= grammar.first_mask(slot)
                    if slot != OPTIONAL_COLUMNS:
                        break
        if remaining is None:
            return out
        cost = self.cost()
        if cost > remaining:
            raise GrammarError(f"the command needs at least {cost} more tokens, only {remaining} remain")
        if cost + self.max_increase() <= remaining - 1:
            return out
        return self._within_budget(out, remaining - 1)

    def _within_budget(self, mask: np.ndarray, budget: int) -> np.ndarray:
        """Drop the tokens after which the command cannot finish within ``budget`` tokens. Tokens that always
        lead to equally costly states (function names; bytes of the same UTF-8 role inside text) are checked
        once per group."""
        tables = self.grammar.tables
        in_text = isinstance(self.reader, LiteralReader) or (
            isinstance(self.reader, FormulaSlot) and self.reader.reader.bytes is not None
            and self.reader.reader.bytes.kind == BytesReader.TEXT and self.reader.reader.mode == BYTES)
        verdicts: dict[tuple[str, int], bool] = {}
        for found in np.flatnonzero(mask):
            token = int(found)
            if token in tables.functions:
                group: tuple[str, int] | None = ("function", 0)
            elif in_text and tables.byte_class[token] >= 0:
                group = ("byte", tables.byte_class[token])
            else:
                group = None
            if group is not None and group in verdicts:
                fits = verdicts[group]
            else:
                successor = self.copy()
                successor.advance(token)
                fits = successor.cost() <= budget
                if group is not None:
                    verdicts[group] = fits
            if not fits:
                mask[token] = False
        return mask

    # ---------------------------------------------------------------------------------------------- advance
    def advance(self, token: int) -> None:
        """Read one token; raises GrammarError (and changes nothing) if the grammar does not allow it here."""
        token = int(token)
        grammar = self.grammar
        if self.finished:
            raise GrammarError(f"position {self.length}: the command already ended with <eos>")
        if self.reader is None:
            verb = grammar.tables.verbs.get(token)
            if verb is None:
                raise self._error(token, "a command verb")
            self.slots = VERB_SLOTS[verb]
            self._next_slot()
            self.length += 1
            return
        if not self.reader.advance(token):
            if not self.reader.complete():
                raise self._error(token, "a token that continues this part of the command")
            saved = self.reader, self.slots, self.origin
            moved = False
            while self.slots and not moved:
                self._leave_reader()
                self._next_slot()
                assert self.reader is not None
                moved = self.reader.advance(token)
                if not moved and not self.reader.complete():
                    break
            if not moved:
                self.reader, self.slots, self.origin = saved
                raise self._error(token, "a token that continues the command")
        if token == grammar.tables.eos:  # <eos> is only ever allowed as the last slot
            self.finished = True
        self.length += 1

    def _leave_reader(self) -> None:
        if isinstance(self.reader, CellReader) and self.origin is None:
            self.origin = self.reader.position()

    def _next_slot(self) -> None:
        slot, self.slots = self.slots[0], self.slots[1:]
        self.reader = self.grammar.make_reader(slot, self.origin)

    def _error(self, token: int, expected: str) -> GrammarError:
        vocabulary = self.grammar.vocabulary
        name = vocabulary.tokens[token] if 0 <= token < len(vocabulary) else f"<?{token}>"
        return GrammarError(f"position {self.length}: {name!r} is not allowed here (expected {expected})")


@lru_cache(maxsize=4)
def command_grammar(vocabulary: TokenVocabulary | None = None) -> CommandGrammar:
    """A shared grammar per vocabulary (building one takes a few milliseconds)."""
    return CommandGrammar(vocabulary)


__all__ = ["MAX_AREA_CELLS", "CommandGrammar", "CommandState", "GrammarError", "command_grammar"]
