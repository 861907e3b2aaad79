"""The command grammar of constrained decoding: sound (what it allows decodes and parses), complete for what the
encoder writes, and exact about the length budget."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetrl.env.commands import (
    ALIGNMENTS,
    FORMAT_PRESETS,
    STYLE_VERBS,
    Command,
    parse_command,
)
from sheetrl.env.tokens import EOS, PAD, decode_command, encode_command
from sheetrl.models.command_grammar import CommandGrammar, GrammarError, command_grammar
from sheetrl.sheet.address import MAX_COLS, MAX_ROWS, cell_name, column_letters
from sheetrl.sheet.errors import ERROR_CODES
from sheetrl.sheet.functions import FUNCTIONS
from sheetrl.sheet.parser import MAX_NESTING
from sheetrl.sheet.pivot import AGGREGATIONS

PROPERTY = settings(deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
GRAMMAR = command_grammar()
VOCAB = GRAMMAR.vocabulary


def ids(*tokens: str) -> list[int]:
    return [VOCAB.id(token) for token in tokens]


def allowed_tokens(state, remaining: int | None = None) -> set[str]:
    return {VOCAB.tokens[i] for i in np.flatnonzero(state.allowed(remaining))}


# ------------------------------------------------------------------------------------------------ strategies
rows = st.one_of(st.integers(0, 40), st.integers(0, MAX_ROWS - 1))
cols = st.one_of(st.integers(0, 30), st.integers(0, MAX_COLS - 1))
cells = st.builds(lambda r, c, a, b: cell_name(r, c, a, b), rows, cols, st.booleans(), st.booleans())
plain_cells = st.builds(cell_name, rows, cols)


@st.composite
def areas(draw: st.DrawFn) -> str:
    r1, c1 = draw(rows), draw(cols)
    height = draw(st.integers(1, 300))
    width = draw(st.integers(1, max(1, 100_000 // height)))
    r2, c2 = min(MAX_ROWS - 1, r1 + height - 1), min(MAX_COLS - 1, c1 + width - 1)
    return f"{cell_name(r1, c1)}:{cell_name(r2, c2)}" if draw(st.booleans()) else cell_name(r2, c2)


@st.composite
def references(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 4))
    if kind <= 1:
        body = draw(cells)
    elif kind == 2:
        body = f"{draw(cells)}:{draw(cells)}"
    elif kind == 3:
        body = ":".join(draw(st.sampled_from(["", "$"])) + column_letters(draw(cols)) for _ in range(2))
    else:
        body = ":".join(draw(st.sampled_from(["", "$"])) + str(draw(rows) + 1) for _ in range(2))
    sheet = draw(st.sampled_from(["", "", "Data!", "'My sheet'!", "'it''s'!", "TRUE!"]))
    return sheet + body


numbers = st.one_of(st.integers(0, 10**9).map(str), st.floats(0, 1e300).map(repr).filter(lambda t: "inf" not in t),
                    st.sampled_from([".5", "3.", "1E+308", "2.5e-3", "0"]))
leaves = st.one_of(
    numbers, references(),
    st.text(max_size=8).map(lambda s: '"' + s.replace('"', '""') + '"'),
    st.sampled_from(["TRUE", "FALSE", *sorted(ERROR_CODES), "tax.rate", "_x", "\\y", "A1B"]),
    st.lists(st.sampled_from(["1", "-2.5", '"x"', "TRUE", "#N/A"]), min_size=1, max_size=3).map(
        lambda row: "{" + ",".join(row) + ";" + ",".join(row) + "}"),
)
BINARY = ["+", "-", "*", "/", "^", "&", "=", "<>", "<", "<=", ">", ">="]
expressions = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.builds(lambda a, op, b: f"{a}{op}{b}", inner, st.sampled_from(BINARY), inner),
        st.builds(lambda op, a: op + a, st.sampled_from(["-", "+"]), inner),
        st.builds(lambda a: f"{a}%", inner),
        st.builds(lambda a: f"({a})", inner),
        st.builds(lambda name, args: f"{name}(" + ",".join(args) + ")",
                  st.sampled_from([*sorted(FUNCTIONS)[:40], "N", "T", "TRUE", "MYFUNC", "_xlfn.XLOOKUP", "A1"]),
                  st.lists(st.one_of(inner, st.just("")), max_size=3)),
    ),
    max_leaves=8,
)
commands = st.one_of(
    st.builds(lambda c, f: Command("formula", cell=c, text="=" + f), plain_cells, expressions),
    st.just(Command("done")),
    st.builds(lambda c: Command("goto", cell=c), plain_cells),
    st.builds(lambda v, a: Command(v, area=a), st.sampled_from(["select", "clear", *STYLE_VERBS]), areas()),
    st.builds(lambda c, v: Command("value", cell=c, value=v), plain_cells,
              st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.booleans(), st.text(max_size=10))),
    st.builds(lambda c, a: Command("fill", cell=c, area=a), plain_cells, areas()),
    st.builds(lambda a, p: Command("format", area=a, text=p), areas(), st.sampled_from(FORMAT_PRESETS)),
    st.builds(lambda a, p: Command("align", area=a, text=p), areas(), st.sampled_from(ALIGNMENTS)),
    st.builds(lambda a, r, v, c, agg, cell: Command("pivot", cell=cell, area=a, rows=r, values=v, columns=c,
                                                    aggregation=agg),
              areas(), st.builds(column_letters, cols), st.builds(column_letters, cols),
              st.one_of(st.none(), st.builds(column_letters, cols)), st.sampled_from(AGGREGATIONS), plain_cells),
)


# -------------------------------------------------------------------------------------------- completeness
@settings(PROPERTY, max_examples=150)
@given(commands)
def test_every_token_the_encoder_writes_is_allowed_where_it_stands(command):
    for relative_to in (None, "cell"):
        tokens = [*encode_command(command, relative_to=relative_to), EOS]
        masks = GRAMMAR.masks_along(tokens)
        assert masks[np.arange(len(tokens)), tokens].all(), VOCAB.describe(tokens)
        assert GRAMMAR.state_after(tokens).finished


@pytest.mark.parametrize("line", [
    "goto XFD1048576", "value B3 -12.5E-3", 'value B3 "snow ☃ 雪 🎉"', "formula H8 =b3:a1",
    "formula D4 =Sheet2!A:A+'Données 2024'!$B$3:C9+'it''s'!1:3+'Old sheet'!#REF!",
    'formula E5 ={1,-2.5;"x",TRUE}', "formula F6 =-(1+2)^3%*12.5E-3/1e5", "formula B5 =N(1)+TRUE()+T(A1)",
    "formula G7 =IF(A1,,2)+SUM()+_xlfn.XLOOKUP(1,A:A,B:B)+MYFUNC(1)+tax.rate",
    "pivot A1:D50 rows=B values=average(D) cols=C at F1", "pivot A1:D50 rows=B values=sum(D) at F1",
])
def test_documented_examples_are_accepted(line):
    command = parse_command(line)
    for relative_to in (None, "cell"):
        assert GRAMMAR.state_after([*encode_command(command, relative_to=relative_to), EOS]).finished


# ----------------------------------------------------------------------------------------------- soundness
def walk(rng: np.random.Generator, max_length: int, first: str | None = None) -> list[int]:
    """A random command under the budget: uniform over the allowed tokens, with the large groups (bytes and
    function names) drawn less often so that every construct of the grammar gets visited."""
    state, tokens = GRAMMAR.start(), []
    tables = GRAMMAR.tables
    for step in range(max_length):
        allowed = np.flatnonzero(state.allowed(max_length - step))
        if step == 0 and first is not None and VOCAB.id(first) in allowed:
            token = VOCAB.id(first)
        else:
            small = [t for t in allowed if tables.byte_value[t] < 0 and t not in tables.functions]
            pool = small if small and rng.random() < 0.85 else allowed
            token = int(rng.choice(pool))
        state.advance(token)
        tokens.append(token)
        if state.finished:
            return tokens
    raise AssertionError(f"no <eos> within {max_length} tokens: {VOCAB.describe(tokens)}")


@settings(PROPERTY, max_examples=150)
@given(st.integers(0, 2**32 - 1), st.integers(2, 90), st.sampled_from([None, "formula", "value", "pivot", "fill"]))
def test_every_allowed_walk_decodes_and_parses_back_to_the_same_command(seed, max_length, first):
    tokens = walk(np.random.default_rng(seed), max_length, first)
    assert len(tokens) <= max_length and tokens[-1] == EOS
    command = decode_command(tokens)
    assert parse_command(str(command)) == command


@settings(PROPERTY, max_examples=12)
@given(st.integers(0, 2**32 - 1), st.sampled_from([None, "formula", "formula", "pivot", "fill", "value"]))
def test_cost_is_the_exact_shortest_finish_and_masks_agree_with_advance(seed, first):
    """On random walks: ``advance`` accepts exactly the masked tokens; the cheapest allowed token lowers the cost
    by exactly one (Bellman's equation, so the cost is the true shortest finish); no token raises it by more than
    ``max_increase``; and ``allowed(remaining)`` keeps exactly the tokens after which the rest fits."""
    rng = np.random.default_rng(seed)
    tokens = walk(rng, int(rng.integers(2, 50)), first)
    state = GRAMMAR.start()
    for token in tokens[:-1]:
        mask = state.allowed()
        costs = np.full(GRAMMAR.size, -1)
        for candidate in range(GRAMMAR.size):
            successor = state.copy()
            try:
                successor.advance(candidate)
            except GrammarError:
                continue
            costs[candidate] = successor.cost()
        assert np.array_equal(costs >= 0, mask), VOCAB.describe(tokens)
        cost = state.cost()
        assert costs[mask].min() == cost - 1
        assert costs[mask].max() - cost <= state.max_increase()
        remaining = cost + int(rng.integers(0, 5))
        assert np.array_equal(state.allowed(remaining), mask & (costs <= remaining - 1))
        state.advance(token)


# --------------------------------------------------------------------------------------------- particulars
def test_a_finished_command_allows_only_padding_and_refuses_more_tokens():
    state = GRAMMAR.state_after(ids("done", "<eos>"))
    assert state.finished and state.cost() == 0
    assert allowed_tokens(state) == {"<pad>"}
    with pytest.raises(GrammarError, match="already ended"):
        state.advance(PAD)


def test_a_disallowed_token_raises_naming_it_and_leaves_the_state_unchanged():
    state = GRAMMAR.state_after(ids("goto", "B"))
    before = state.allowed()
    with pytest.raises(GrammarError, match=r"position 2: 'goto' is not allowed"):
        state.advance(VOCAB.id("goto"))
    assert np.array_equal(state.allowed(), before)
    state.advance(VOCAB.id("3"))
    assert "<eos>" in allowed_tokens(state)


def test_cells_stay_inside_the_sheet():
    state = GRAMMAR.state_after(ids("goto", "X", "F"))
    assert {"A", "D"} <= allowed_tokens(state) and "E" not in allowed_tokens(state)  # XFD is the last column
    state = GRAMMAR.state_after(ids("goto", "A", "1", "0", "4", "8", "5", "7"))
    assert allowed_tokens(state) == {"0", "1", "2", "3", "4", "5", "6", "<eos>"}  # up to row 1,048,576
    state = GRAMMAR.state_after(ids("goto", "A", "0"))
    assert "<eos>" not in allowed_tokens(state)  # row 0 does not exist; A01 does


def test_an_area_never_exceeds_100000_cells():
    state = GRAMMAR.state_after(ids("select", "A", "1", ":", "B"))  # two columns: at most 50,000 rows
    for digit in "50000":
        state.advance(VOCAB.id(digit))
    assert "<eos>" in allowed_tokens(state) and "0" not in allowed_tokens(state)
    command = decode_command(ids("select", "A", "1", ":", "B", "5", "0", "0", "0", "0", "<eos>"))
    assert parse_command(str(command)) == command


def test_a_row_range_is_digits_then_colon_and_a_number_cannot_take_a_colon_after_a_dot():
    digits = GRAMMAR.state_after(ids("formula", "A", "1", "=", "1", "2"))
    assert ":" in allowed_tokens(digits) and "<eos>" in allowed_tokens(digits)
    decimal = GRAMMAR.state_after(ids("formula", "A", "1", "=", "1", "."))
    assert ":" not in allowed_tokens(decimal)
    state = GRAMMAR.state_after(ids("formula", "A", "1", "=", "1", "2", ":"))
    assert "<eos>" not in allowed_tokens(state) and "A" not in allowed_tokens(state)
    state.advance(VOCAB.id("1"))
    state.advance(VOCAB.id("5"))
    assert decode_command([*ids("formula", "A", "1", "=", "1", "2", ":", "1", "5"), EOS]).text == "=12:15"


def test_column_letters_need_a_row_a_colon_or_a_call():
    state = GRAMMAR.state_after(ids("formula", "A", "1", "=", "S", "U", "M"))
    assert {"(", ":", "$", "<rel_row>", "1"} <= allowed_tokens(state)
    assert "<eos>" not in allowed_tokens(state) and "+" not in allowed_tokens(state)  # "SUM" alone is a name


def test_numbers_never_overflow_to_infinity():
    state = GRAMMAR.state_after(ids("value", "A", "1", "<num>", "1", "E", "3", "0"))
    assert "8" in allowed_tokens(state) and "9" not in allowed_tokens(state)  # 1E308 is finite, 1E309 is not
    state = GRAMMAR.state_after(ids("formula", "A", "1", "=", "1", "E", "-", "9", "9", "9"))
    assert "9" in allowed_tokens(state)  # tiny numbers only underflow to 0


def test_text_is_well_formed_utf8():
    state = GRAMMAR.state_after(ids("value", "A", "1", "<str>", "<0xE2>"))
    assert "</str>" not in allowed_tokens(state) and "<0x41>" not in allowed_tokens(state)
    state = GRAMMAR.state_after(ids("value", "A", "1", "<str>", "<0xED>"))
    assert "<0x9F>" in allowed_tokens(state) and "<0xA0>" not in allowed_tokens(state)  # no surrogates
    state = GRAMMAR.state_after(ids("value", "A", "1", "<str>"))
    assert {"<0xC0>", "<0xC1>", "<0xF5>", "<0x80>"}.isdisjoint(allowed_tokens(state))


def test_formula_text_is_limited_to_255_characters():
    state = GRAMMAR.state_after([*ids("formula", "A", "1", "=", "<str>"), *[VOCAB.id("<0x61>")] * 255])
    assert allowed_tokens(state) == {"</str>"}


def test_a_sheet_name_is_not_empty_and_a_name_is_not_an_outside_cell():
    empty = GRAMMAR.state_after(ids("formula", "A", "1", "=", "<str>", "</str>"))
    assert "!" not in allowed_tokens(empty) and "<eos>" in allowed_tokens(empty)
    outside = GRAMMAR.state_after(ids("formula", "A", "1", "=", "<name>", "<0x58>", "<0x46>", "<0x45>", "<0x31>"))
    assert "</name>" not in allowed_tokens(outside)  # XFE1 would be read as a reference beyond XFD
    inside = GRAMMAR.state_after(ids("formula", "A", "1", "=", "<name>", "<0x41>", "<0x31>"))
    assert "</name>" in allowed_tokens(inside)


def test_offsets_keep_references_inside_the_sheet():
    state = GRAMMAR.state_after(ids("formula", "B", "3", "=", "<rel_col>", "-"))
    assert allowed_tokens(state) == {"0", "1"}  # from column B, two columns left would leave the sheet
    state = GRAMMAR.state_after(ids("formula", "B", "3", "=", "<rel_row>", "-", "2", ":", "<rel_row>", "1"))
    assert decode_command([*ids("formula", "B", "3", "=", "<rel_row>", "-", "2", ":", "<rel_row>", "1"), EOS]).text \
        == "=1:4"


def test_nesting_stops_at_the_parsers_limit():
    tokens = ids("formula", "A", "1", "=") + ids("(") * (MAX_NESTING - 1) + ids("-")
    state = GRAMMAR.state_after(tokens)
    assert {"(", "-", "+", "SUM"}.isdisjoint(allowed_tokens(state))  # 64 levels already open
    assert "1" in allowed_tokens(state)
    state.advance(VOCAB.id("1"))
    for _ in range(MAX_NESTING - 1):
        state.advance(VOCAB.id(")"))
    state.advance(EOS)
    assert state.finished


def test_array_rows_must_have_equal_length():
    state = GRAMMAR.state_after(ids("formula", "A", "1", "=", "{", "1", ",", "2", ";", "3"))
    assert "}" not in allowed_tokens(state) and "," in allowed_tokens(state)
    state.advance(VOCAB.id(","))
    state.advance(VOCAB.id("4"))
    assert {"}", ";"} <= allowed_tokens(state) and "," not in allowed_tokens(state)


def test_the_budget_forces_the_shortest_finish():
    state = GRAMMAR.state_after(ids("formula", "A", "1", "=", "SUM", "(", "1"))
    assert state.cost() == 2  # ) <eos>
    assert allowed_tokens(state, remaining=2) == {")"}
    assert {"0", "%", ","} <= allowed_tokens(state, remaining=3) and "+" not in allowed_tokens(state, remaining=3)
    assert "+" in allowed_tokens(state, remaining=4)  # + needs an operand before ) <eos>
    assert allowed_tokens(GRAMMAR.start(), remaining=2) == {"done"}
    with pytest.raises(GrammarError, match="at least 2"):
        state.allowed(remaining=1)


def test_the_grammar_follows_its_vocabulary():
    small = CommandGrammar(type(VOCAB)(functions=["SUM"]))
    state = small.state_after([small.vocabulary.id(t) for t in ("formula", "A", "1", "=")])
    assert "SUM" in {small.vocabulary.tokens[i] for i in np.flatnonzero(state.allowed())}
    assert small.size == len(small.vocabulary) < GRAMMAR.size
