"""Command tokens: round trip of every kind of command, fixed vocabulary ids, clear errors for bad sequences.

The round-trip properties run 3,000 generated commands (2,000 of them formulas built from the engine's grammar);
random and mutated id sequences (2,000) must decode to a command or raise TokenError, nothing else.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

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
from sheetrl.env.tokens import (
    BOS,
    EOS,
    PAD,
    SEP,
    UNK,
    InstructionVocabulary,
    TokenError,
    TokenVocabulary,
    decode_command,
    decode_commands,
    default_vocabulary,
    encode_command,
    encode_commands,
    normalize_command,
)
from sheetrl.sheet.address import (
    MAX_COLS,
    MAX_ROWS,
    cell_name,
    column_letters,
    quote_sheet_name,
)
from sheetrl.sheet.errors import ERROR_CODES
from sheetrl.sheet.functions import FUNCTIONS
from sheetrl.sheet.nodes import render
from sheetrl.sheet.parser import parse
from sheetrl.sheet.pivot import AGGREGATIONS

PROPERTY = settings(deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
VOCAB = default_vocabulary()

# ------------------------------------------------------------------------------------------------ strategies

rows = st.one_of(st.integers(0, 30), st.integers(0, MAX_ROWS - 1))
cols = st.one_of(st.integers(0, 30), st.integers(0, MAX_COLS - 1))
spaces = st.sampled_from(["", "", "", " ", "  ", "\n"])


def _case(text: str, lower: bool) -> str:
    return text.lower() if lower else text


command_cells = st.builds(
    lambda r, c, lower, dollar: _case(cell_name(r, c, dollar, dollar), lower), rows, cols, st.booleans(),
    st.booleans(),
)


@st.composite
def command_areas(draw: st.DrawFn) -> str:
    """Ranges of at most 100,000 cells (the command language's limit), corners in any order, or whole rows."""
    if draw(st.integers(0, 9)) == 0:
        r = draw(st.integers(1, MAX_ROWS - 5))
        return f"{r}:{r + draw(st.integers(0, 4))}"
    r1, c1 = draw(rows), draw(cols)
    height = draw(st.integers(1, 300))
    width = draw(st.integers(1, max(1, 100_000 // height)))
    r2, c2 = min(MAX_ROWS - 1, r1 + height - 1), min(MAX_COLS - 1, c1 + width - 1)
    first, last = cell_name(r1, c1), cell_name(r2, c2)
    if draw(st.booleans()):
        first, last = last, first
    return _case(first if first == last and draw(st.booleans()) else f"{first}:{last}", draw(st.booleans()))


columns = st.builds(column_letters, st.one_of(st.integers(0, 30), st.integers(0, MAX_COLS - 1)))
sheet_names = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="[]:*?/\\'"), min_size=1, max_size=31
)

# --- formulas, as text, from the engine's grammar

mantissas = st.one_of(
    st.integers(0, 10**12).map(str),
    st.builds(lambda a, b: f"{a}.{b}", st.integers(0, 99999), st.integers(0, 99999)),
    st.integers(0, 999).map(lambda n: f".{n}"),
    st.integers(0, 999).map(lambda n: f"{n}."),
)
numbers = st.builds(
    lambda m, e: m + e,
    mantissas,
    st.one_of(st.just(""), st.builds(lambda e, s, n: f"{e}{s}{n}", st.sampled_from("eE"),
                                     st.sampled_from(["", "+", "-"]), st.integers(0, 200))),
)
unicode_text = st.text(max_size=12)
strings = unicode_text.map(lambda s: '"' + s.replace('"', '""') + '"')
booleans = st.sampled_from(["TRUE", "FALSE", "true", "False"])
errors = st.sampled_from(sorted(ERROR_CODES))
names = st.one_of(
    st.sampled_from(["foo", "Total_2", "x.y", "_a", "\\b", "tax.rate", "E", "N"]),
    st.from_regex(r"n_[A-Za-z0-9_.]{0,8}", fullmatch=True),
)
sheet_prefixes = st.one_of(
    st.just(""),
    st.sampled_from(["Sheet2!", "data_1!", "S.x!", "TRUE!", "A1B!"]),
    # no colon: a quoted 'First:Last'! is Excel's 3-D reference across sheets, which the vocabulary does not encode
    st.text(st.characters(blacklist_characters=":"), min_size=1, max_size=10).map(
        lambda s: "'" + s.replace("'", "''") + "'!"),
)


@st.composite
def references(draw: st.DrawFn) -> str:
    def cell() -> str:
        return cell_name(draw(rows), draw(cols), draw(st.booleans()), draw(st.booleans()))

    kind = draw(st.integers(0, 9))
    if kind <= 4:
        body = cell()
    elif kind <= 6:
        body = f"{cell()}:{cell()}"
    elif kind == 7:
        body = ":".join(("$" if draw(st.booleans()) else "") + column_letters(draw(cols)) for _ in range(2))
    elif kind == 8:
        body = ":".join(("$" if draw(st.booleans()) else "") + str(draw(rows) + 1) for _ in range(2))
    else:
        body = "#REF!"
    prefix = draw(sheet_prefixes)
    if body == "#REF!":
        # only sheet names that need quotes: see test_ref_error_on_a_plain_sheet_name_survives_rendering
        tail = draw(st.text(st.characters(blacklist_characters=":"), max_size=5))
        prefix = "'My Sheet " + tail.replace("'", "''") + "'!"
    return _case(prefix + body, draw(st.integers(0, 4)) == 0 and not prefix.startswith("'"))


@st.composite
def arrays(draw: st.DrawFn) -> str:
    height, width = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    element = st.one_of(
        st.builds(lambda sign, n: sign + n, st.sampled_from(["", "-", "+"]), numbers), strings, booleans, errors
    )
    return "{" + ";".join(",".join(draw(element) for _ in range(width)) for _ in range(height)) + "}"


leaves = st.one_of(numbers, strings, booleans, errors, names, references(), arrays())
function_names = st.one_of(
    st.sampled_from(sorted(FUNCTIONS)),
    st.sampled_from(sorted(FUNCTIONS)).map(str.lower),
    st.sampled_from(sorted(FUNCTIONS)).map(lambda n: "_xlfn." + n),
    st.sampled_from(["MYFUNC", "foo.bar", "A1", "Z", "E", "LOG10X"]),
)
BINARY = ["+", "-", "*", "/", "^", "&", "=", "<>", "<", "<=", ">", ">="]


expressions = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.builds(lambda a, s1, op, s2, b: f"{a}{s1}{op}{s2}{b}", inner, spaces, st.sampled_from(BINARY), spaces,
                  inner),
        st.builds(lambda op, a: op + a, st.sampled_from(["-", "+"]), inner),
        st.builds(lambda a: f"{a}%", inner),
        st.builds(lambda s, a: f"({s}{a}{s})", spaces, inner),
        st.builds(
            lambda name, s, args: f"{name}{s}(" + ",".join(args) + ")",
            function_names,
            spaces,
            st.lists(st.one_of(inner, st.just("")), max_size=4),
        ),
    ),
    max_leaves=10,
)
formulas = st.builds(lambda eq, s, e: eq + s + e, st.sampled_from(["=", "=", ""]), spaces, expressions)

literals = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.text(),
    st.sampled_from(["", " ", "TRUE", "12", "=A1", '"quoted"', "#N/A", "line\nbreak"]),
)

formula_commands = st.builds(lambda cell, text: Command("formula", cell=cell, text=text), command_cells, formulas)
other_commands = st.one_of(
    st.just(Command("done")),
    st.builds(lambda c: Command("goto", cell=c), command_cells),
    st.builds(lambda v, a: Command(v, area=a), st.sampled_from(["select", "clear", *STYLE_VERBS]), command_areas()),
    st.builds(lambda c, v: Command("value", cell=c, value=v), command_cells, literals),
    st.builds(lambda c, a: Command("fill", cell=c, area=a), command_cells, command_areas()),
    st.builds(lambda a, p: Command("format", area=a, text=p), command_areas(), st.sampled_from(FORMAT_PRESETS)),
    st.builds(lambda a, p: Command("align", area=a, text=p.upper()), command_areas(), st.sampled_from(ALIGNMENTS)),
    st.builds(
        lambda area, r, v, c, agg, cell: Command(
            "pivot", cell=cell, area=area, rows=r.lower(), values=v, columns=c, aggregation=agg
        ),
        command_areas(),
        columns,
        columns,
        st.one_of(st.none(), columns),
        st.sampled_from(AGGREGATIONS),
        command_cells,
    ),
    st.builds(
        lambda sheet, area, r, v, agg, cell: Command(
            "pivot", cell=cell, area=f"{quote_sheet_name(sheet)}!{area}", rows=r, values=v, aggregation=agg
        ),
        sheet_names,
        command_areas(),
        columns,
        columns,
        st.sampled_from(AGGREGATIONS),
        command_cells,
    ),
    st.builds(lambda verb, name: Command(verb, text=name), st.sampled_from(["newsheet", "sheet"]), sheet_names),
)
origins = st.tuples(st.integers(0, MAX_ROWS - 1), st.integers(0, MAX_COLS - 1))

# ------------------------------------------------------------------------------------------------ round trip


def _check_round_trip(command: Command, origin: tuple[int, int]) -> None:
    expected = normalize_command(command)
    assert normalize_command(expected) == expected
    ids = encode_command(command)
    assert all(0 <= i < len(VOCAB) for i in ids)
    assert encode_command(expected) == ids
    assert decode_command(ids) == expected
    assert decode_command([BOS, *ids, EOS, PAD, PAD]) == expected
    assert decode_command(encode_command(command, relative_to="cell")) == expected
    assert decode_command(encode_command(command, relative_to=origin), relative_to=origin) == expected
    if expected.verb != "value":  # value literals: see test_value_text_survives_the_command_text
        assert parse_command(str(expected)) == expected


@settings(PROPERTY, max_examples=2000)
@given(formula_commands, origins)
def test_every_generated_formula_survives_encode_decode(command, origin):
    _check_round_trip(command, origin)
    decoded = decode_command(encode_command(command))
    assert decoded.text == "=" + render(parse(command.text if command.text.lstrip().startswith("=")
                                              else "=" + command.text.strip()))


@settings(PROPERTY, max_examples=1000)
@given(other_commands, origins)
def test_every_generated_command_survives_encode_decode(command, origin):
    _check_round_trip(command, origin)


@pytest.mark.parametrize(
    "line",
    [
        "goto XFD1048576",
        "select A1:B2",
        "clear C3",
        "value B3 42",
        "value B3 -12.5E-3",
        'value B3 "snow ☃ 雪 🎉"',
        "value A1 FALSE",
        "formula B11 =SUM(B2:B10)",
        'formula C1 =IF($A$1>=0,"ok ✓",#N/A)&TEXT(B1,"0.00")',
        "formula D4 =Sheet2!A:A+'Données 2024'!$B$3:C9+'it''s'!1:3+'Old sheet'!#REF!",
        'formula E5 ={1,-2.5;"x",TRUE}',
        "formula F6 =-(1+2)^3%*12.5E-3/1e5",
        "formula G7 =IF(A1,,2)+SUM()+_xlfn.XLOOKUP(1,A:A,B:B)+MYFUNC(1)+tax.rate",
        "formula H8 =b3:a1",
        'formula I9 =N(A1)+LEN(T("x"))+N(1)',
        "fill B2 B3:B20",
        "format B2:B10 percent2",
        "italic 2:3",
        "align C1 center",
        "pivot A1:D50 rows=B values=average(D) cols=C at F1",
        "done",
    ],
)
def test_examples_survive_encode_decode(line):
    command = parse_command(line)
    _check_round_trip(command, (3, 3))


def test_one_cell_range_with_both_corners_is_the_cell():
    # parse_command("select A1:A1") raises AddressError (commands._area); the tokens accept both spellings
    assert normalize_command(Command("select", area="$B$2:b2")) == Command("select", area="B2")
    assert decode_command(_ids("select", "B", "2", ":", "B", "2")) == Command("select", area="B2")


def test_relative_form_writes_offsets_from_the_formula_cell():
    vocab = VOCAB
    command = parse_command("formula C5 =A4+$B3+C$2")
    assert vocab.describe(encode_command(command, relative_to="cell")) == (
        "formula C 5 = <rel_col> - 2 <rel_row> - 1 + $ B <rel_row> - 2 + <rel_col> 0 $ 2"
    )
    # the same formula filled down one row is the same formula tokens
    below = parse_command("formula C6 =A5+$B4+C$2")
    assert encode_command(below, relative_to="cell")[3:] == encode_command(command, relative_to="cell")[3:]


def test_value_numbers_keep_every_digit():
    for number in (0.1 + 0.2, 1 / 3, -2.5e-300, 1.2345678901234568e17, 5e-324):
        assert decode_command(encode_command(Command("value", cell="A1", value=number))).value == number


@settings(PROPERTY, max_examples=300)
@given(st.text())
def test_value_text_survives_the_command_text(text):
    command = Command("value", cell="A1", value=text)
    assert parse_command(str(command)) == command
    assert decode_command(encode_command(command)) == command


def test_several_commands_are_separated_and_framed():
    commands = [parse_command("goto A1"), parse_command("formula B2 =A1*2"), Command("done")]
    ids = encode_commands(commands)
    assert ids[0] == BOS and ids[-1] == EOS and ids.count(SEP) == 2
    assert decode_commands(ids) == commands
    assert decode_commands(ids + [PAD] * 3) == commands
    assert decode_commands([BOS, EOS]) == []


# ------------------------------------------------------------------------------------------------ vocabulary


def test_vocabulary_ids_are_fixed():
    vocab = VOCAB
    assert vocab.tokens[:5] == ("<pad>", "<bos>", "<eos>", "<unk>", "<sep>")
    assert (PAD, BOS, EOS, UNK, SEP) == (0, 1, 2, 3, 4)
    fixed = {
        "<str>": 5, "<rel_col>": 11, "align": 12, "goto": 19, "newsheet": 21, "sheet": 24, "unbold": 25, "at": 27,
        "accounting": 31, "sum": 49, "=": 50, "$": 71, "TRUE": 72, "#CYCLE!": 74, "A": 82, "E": 86, "Z": 107,
        "0": 108, ".": 118, "e": 119, "<0x00>": 120, "<0xFF>": 375,
    }
    assert {token: vocab.id(token) for token in fixed} == fixed
    earlier = set(vocab.tokens[:376])  # TRUE, FALSE and one-letter names (N, T) reuse an earlier token
    functions = [name for name in sorted(FUNCTIONS) if name not in earlier]
    assert vocab.tokens[376:] == tuple(functions)


def test_vocabulary_is_small_and_has_no_duplicates():
    vocab = VOCAB
    earlier = set(vocab.tokens[:376])
    assert len(set(vocab.tokens)) == len(vocab) == 376 + len([n for n in FUNCTIONS if n not in earlier])
    assert len(vocab) < 1000


def test_vocabulary_is_the_same_in_another_process():
    code = (
        "import hashlib; from sheetrl.env.tokens import TokenVocabulary; "
        "print(hashlib.sha256('\\n'.join(TokenVocabulary().tokens).encode()).hexdigest())"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345", PYTHONPATH=os.pathsep.join(sys.path))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == hashlib.sha256("\n".join(TokenVocabulary().tokens).encode()).hexdigest()


def test_vocabulary_over_other_functions_keeps_every_other_id():
    small = TokenVocabulary(["sum", "N", "ZZTOP"])
    assert small.tokens[:376] == VOCAB.tokens[:376]
    assert small.tokens[376:] == ("SUM", "ZZTOP")  # N is the column letter's token
    # a function without a token of its own is still written, as a name
    command = parse_command("formula A1 =AVERAGE(N(1),2)")
    assert small.decode_command(small.encode_command(command)) == command
    assert "<name>" in small.describe(small.encode_command(command))


# ------------------------------------------------------------------------------------------------ errors


def _ids(*tokens: str) -> list[int]:
    return [VOCAB.id(t) for t in tokens]


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        ([], "position 0 (end): expected a command verb, but the command ends here"),
        (_ids("goto"), "position 1 (end): expected the column letters of a cell"),
        (_ids("goto", "B"), "position 2 (end): expected the row digits of a cell"),
        (_ids("goto", "B", "0"), "position 1 (B): goto: row 0"),
        (_ids("goto", "B", "1", "B"), "position 3 (B): unexpected 'B' after a complete goto command"),
        (_ids("SUM"), "position 0 (SUM): expected a command verb"),
        ([5000], "position 0: 5000 is not a token id"),
        ([1.5], "position 0: 1.5 is not a token id"),
        (_ids("goto", "<unk>"), "position 1 (<unk>): expected the column letters of a cell"),
        (_ids("value", "A", "1", "<num>", "1", ".", ".", "2"), "position 4 (1): '1..2' is not a number"),
        (_ids("value", "A", "1", "<str>", "<0x41>"), ("position 5 (end): the text opened at position 3 has no "
                                                     "closing </str>")),
        (_ids("value", "A", "1", "<str>", "<0xFF>", "</str>"), ("position 3 (<str>): the bytes of the text are "
                                                               "not UTF-8")),
        (_ids("formula", "A", "1"), "position 3 (end): expected '=' after the cell of a formula, but the command ends"),
        (_ids("formula", "A", "1", "="), "position 4 (end): expected a formula"),
        (_ids("formula", "A", "1", "=", "SUM", "(", "1"), "does not parse: missing ')' to close SUM("),
        (_ids("formula", "A", "1", "=", "1", "+", "goto"), "position 6 (goto): 'goto' cannot appear in a formula"),
        (_ids("formula", "A", "1", "=", "<rel_row>", "-", "1"),
         "position 4 (<rel_row>): row offset -1 leaves the sheet"),
        (_ids("formula", "A", "1", "=", "<name>", "<0x31>", "</name>"), "'1' is not a name"),
        (_ids("format", "A", "1", "left"), "format: expected one of general, integer"),
        (_ids("pivot", "A", "1", ":", "B", "9", "rows=", "A", "values=", "sum", "(", "B", ")", "sum"),
         "expected 'at' in a pivot command"),
        (_ids("select", "A", "1", ":", "D", "1", "0", "0", "0", "0", "0", "0"), "larger than 100,000 cells"),
    ],
)
def test_bad_sequences_raise_token_error_naming_position_and_problem(ids, message):
    with pytest.raises(TokenError) as info:
        decode_command(ids)
    assert message in str(info.value)


def test_formula_error_points_at_the_offending_token():
    ids = _ids("formula", "A", "1", "=", "1", "+", "*", "2")
    with pytest.raises(TokenError) as info:
        decode_command(ids)
    assert info.value.position == 6


def test_ref_error_on_a_plain_sheet_name_survives_rendering():
    command = parse_command("formula A1 ='Sheet2'!#REF!+1")
    assert decode_command(encode_command(command)) == normalize_command(command)


def test_invalid_commands_cannot_be_encoded():
    for command in (
        Command("jump", cell="A1"),
        Command("goto", cell="Sheet2!A1"),
        Command("goto"),
        Command("value", cell="A1", value=float("nan")),
        Command("value", cell="A1", value=None),
        Command("formula", cell="A1", text="=SUM(1"),
        Command("format", area="A1", text="fancy"),
        Command("pivot", cell="A1", area="A1:B5", rows="B", values="C", aggregation="mode"),
    ):
        with pytest.raises(TokenError):
            encode_command(command)


def _mutations(ids: list[int], edits: list[tuple[int, int, int]]) -> list[int]:
    out = list(ids)
    for kind, where, token in edits:
        where = where % (len(out) + 1)
        if kind == 0:
            out.insert(where, token)
        elif kind == 1 and out:
            out[where % len(out)] = token
        elif out:
            del out[where % len(out)]
    return out


def _decode_or_token_error(ids: list[int]) -> None:
    try:
        command = decode_command(ids)
    except TokenError:
        return
    # whatever decodes is a valid command, in normal form, that encodes again
    assert normalize_command(command) == command
    assert decode_command(encode_command(command)) == command


@settings(PROPERTY, max_examples=1000)
@given(st.lists(st.integers(-3, len(VOCAB) + 3), max_size=30))
def test_random_ids_decode_or_raise_token_error(ids):
    _decode_or_token_error(ids)


@settings(PROPERTY, max_examples=1000)
@given(
    st.one_of(formula_commands, other_commands),
    st.lists(st.tuples(st.integers(0, 2), st.integers(0, 200), st.integers(0, len(VOCAB) - 1)), min_size=1,
             max_size=3),
)
def test_mutated_encodings_decode_or_raise_token_error(command, edits):
    _decode_or_token_error(_mutations(encode_command(command, relative_to="cell"), edits))


# ------------------------------------------------------------------------------------------------ instructions


def test_instruction_vocabulary_ids_are_sorted_words_after_fixed_tokens():
    vocab = InstructionVocabulary(["Put the {total} in cell", "sum", "Sum", "the"])
    assert vocab.tokens[:2] == ("<pad>", "<unk>")
    assert vocab.tokens[2:12] == tuple("0123456789")
    assert vocab.tokens[17:] == ("cell", "in", "put", "sum", "the", "total")
    assert InstructionVocabulary(reversed(["the", "sum", "in", "cell", "put", "total"])).tokens == vocab.tokens


def test_instruction_encoding_is_fixed_length_int64_padded_with_zero():
    vocab = InstructionVocabulary(["sum", "the", "values", "in"])
    array = vocab.encode("Sum the values in B2:B10, then 12.5%!", 24)
    assert array.dtype == np.int64 and array.shape == (24,)
    assert vocab.decode(array) == "sum the values in <unk> 2 : <unk> 1 0 <unk> 1 2 . 5 %"
    assert array[16:].tolist() == [0] * 8
    assert vocab.encode("sum " * 50, 5).tolist() == [vocab.encode_text("sum")[0]] * 5
    with pytest.raises(ValueError):
        vocab.encode("sum", 0)
