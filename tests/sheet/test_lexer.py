"""relative_shape: formulas of one relative shape parse to trees that differ only by the move between their cells.

The loader parses one formula of a shape and moves its tree to the others, so the shape must never join two texts
whose trees differ by more than that move. The property test builds, for generated formula text, the text the
shape stands for at another cell and checks that parsing it gives the moved tree.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetrl.sheet import SheetError, lexer
from sheetrl.sheet.address import column_letters
from sheetrl.sheet.lexer import MAX_FORMULA_LENGTH, relative_shape
from sheetrl.sheet.parser import parse
from sheetrl.sheet.references import shift

from .test_fuzz import expressions

SETTINGS = settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("=I1+A2", 1, 8), ("=I499+A500", 499, 8)),  # a running total filled down
        (("=SUM($L$1:L5)", 4, 13), ("=SUM($L$1:L60)", 59, 13)),  # an anchored range growing down
        (("=B2*$C$1", 1, 0), ("=C2*$C$1", 1, 1)),  # filled right
        (("=SUM(B:B)", 0, 0), ("=SUM(C:C)", 0, 1)),  # whole columns move across
        (("=SUM(2:2)", 0, 0), ("=SUM(3:3)", 1, 0)),  # whole rows move down
        (("=Data!A1&\"A1\"", 0, 0), ("=Data!A2&\"A1\"", 1, 0)),  # sheet names and strings kept as written
        (("=LOG10(A1)+1E5", 0, 1), ("=LOG10(A2)+1E5", 1, 1)),  # digits in names and numbers are not references
        (("=A1#", 0, 1), ("=A2#", 1, 1)),  # the spill operator's anchor moves
    ],
)
def test_formulas_filled_from_one_another_share_a_shape_and_a_moved_tree(first, second):
    (text1, row1, col1), (text2, row2, col2) = first, second
    shape = relative_shape(text1, row1, col1)
    assert shape is not None
    assert relative_shape(text2, row2, col2) == shape
    assert shift(parse(text1), row2 - row1, col2 - col1) == parse(text2)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("=SUM(A:A)", 0, 0), ("=SUM(A:A)", 0, 1)),  # the same text, but relative columns: not a move of it
        (("=A1", 0, 0), ("=A1", 1, 0)),
        (("=SUM(A1)", 0, 0), ("=AVERAGE(A1)", 0, 0)),
        (('="x"&A1', 0, 0), ('="y"&A2', 1, 0)),
        (("=$A$1:A1", 0, 0), ("=$A$1:A1", 1, 1)),
    ],
)
def test_formulas_that_are_not_moves_of_one_another_have_different_shapes(first, second):
    assert relative_shape(*first) != relative_shape(*second)


def test_mixed_ranges_whose_corners_would_swap_do_not_share():
    # $A$5:A6 at row 6 (0-based 5) and $A$5:A4 at row 4: one relative move apart, but the second's corners are
    # written the other way round; the shapes stay apart (the text shown is the file's own), though a move now
    # carries each $ with its corner and gives the second's tree
    assert relative_shape("=SUM($A$5:A6)", 5, 0) != relative_shape("=SUM($A$5:A4)", 3, 0)
    assert shift(parse("=SUM($A$5:A6)"), -2, 0) == parse("=SUM($A$5:A4)")


@pytest.mark.parametrize(
    "text",
    [
        "=Table1[Col]", "='My sheet'!A1", "=ZZZ1", "=A1048577", "=XFE1:A1", '="\0"&A1', "=SUM(1048577:1)",
        # a sheet named like a cell, or a 3-D span: rewriting the name would let =AB1!A1 in A1 and =AB2!A2 in A2
        # (two sheets) share a shape; keeping it would let A$1 in A$1:Data!B1 read alike in every column
        "=AB1!A1", "=AB1!Total", "=SUM(A:B!C1)", "=SUM(AB3:Data!A1)", "=SUM(Data:AB3!A1)", "=SUM(A$1:Data!B1)",
        # a range intersected with a parenthesized reference: kept as written, A1:C3 would read alike at every cell
        "=SUM(A1:C3 (B1:B5))", "=A$1 (B1)",
    ],
)
def test_text_a_move_cannot_reproduce_is_parsed_on_its_own(text):
    assert relative_shape(text, 0, 0) is None


def test_text_too_long_to_parse_never_shares_a_shape_with_text_that_parses():
    # filled down from row 9 to row 10 every A9 gains a digit: the first text is within the length a formula may
    # have, the second is not and must be refused as parse refuses it, not given the first one's moved tree
    first, second = "=" + "+".join(["A9"] * 2730), "=" + "+".join(["A10"] * 2730)
    assert len(first) <= MAX_FORMULA_LENGTH < len(second)
    assert relative_shape(first, 9, 1) is not None
    with pytest.raises(SheetError, match="longer than"):
        parse(second)
    assert relative_shape(second, 10, 1) is None


# ------------------------------------------------------------------------------------------- the property
_SEGMENT = re.compile(r"\x00([^\x00]*)\x00")
_COORDINATE = re.compile(r"([CcRr])(-?\d+)")


def _text_at(shape: str, row: int, col: int) -> str | None:
    """The formula text a shape stands for at (row, col) (0-based), or None where a coordinate is off the grid.

    In a shape a coordinate reads C7 (column 7, fixed), c-2 (two columns left of the cell), R3 or r1; a range's
    corners are separated by ':' and may be followed by their order (<, =, >), which is not text."""
    off_grid = False

    def piece(found: re.Match[str]) -> str:
        nonlocal off_grid
        how, number = found.group(1), int(found.group(2))
        if how in "Cc":
            column = number if how == "C" else number + col + 1
            off_grid |= not 1 <= column <= 16384
            return ("$" if how == "C" else "") + column_letters(min(max(column, 1), 16384) - 1)
        line = number if how == "R" else number + row + 1
        off_grid |= not 1 <= line <= 1_048_576
        return ("$" if how == "R" else "") + str(line)

    def reference(found: re.Match[str]) -> str:
        return _COORDINATE.sub(piece, found.group(1).rstrip("<=>"))

    text = _SEGMENT.sub(reference, shape)
    return None if off_grid else text


references = st.one_of(
    st.sampled_from([
        "B:B", "$B:C", "C:$A", "2:2", "$3:5", "4:$1", "Data!A1", "Data!$B$2:C3", "A1#", "LOG10(A1)", "A1 (B1)",
        "R1C1", "Rate1", "_xlfn.X1(B2)", "1E5", "A1:INDEX(B:B,2)", "SUM(A1:B2 B1:C3)", "$A$5:A6", "B7:$B$2",
        "AB1!A1", "XY12!$B1:C2", "SUM(A1:C3 (B1:B5))", "$A1 (B1)",
    ]),
)
formula_texts = st.one_of(expressions, references, st.builds(lambda a, b: f"{a}+{b}", expressions, references))


@SETTINGS
@given(formula_texts, st.integers(0, 30), st.integers(0, 30), st.integers(-8, 8), st.integers(-8, 8))
def test_a_shape_read_back_at_another_cell_parses_to_the_moved_tree(body, row, col, dr, dc):
    text = "=" + body
    shape = relative_shape(text, row, col)
    if shape is None:
        return
    try:
        tree = parse(text)
    except SheetError:
        return  # text that does not parse is never a loader's template
    if row + dr < 0 or col + dc < 0:
        return
    moved_text = _text_at(shape, row + dr, col + dc)
    if moved_text is None or relative_shape(moved_text, row + dr, col + dc) != shape:
        return  # off the grid, or corners that a move swaps: not the same shape, never shared
    assert parse(moved_text) == shift(tree, dr, dc), (text, moved_text)


# ----------------------------------------------------------------------------------------------------- tokenize
# tokenize takes operators, punctuation and lone cell addresses without its master pattern: the tokens and errors
# must be the master pattern's own.
_PIECES = st.sampled_from([
    "A1", "$B$2", "b$7", "XFD1048576", "XFE1", "AB12", "A0", "A1:B2", "A:A", "1:2", "Sheet1!A1", "'My sheet'!C3",
    "A1!", "LOG10", "SUM", "x", "_", ".", "\\", "é", "(", ")", "[", "]", "[@Qty]", "#", "#REF!", "!", ":", " ",
    "\t", "+", "-", "*", "/", "^", "&", "<", ">", "=", "<=", ">=", "<>", "%", "@", ",", ";", "{", "}", '"x"', '""',
    "1", "1.5", "1E3", "TRUE",
])


def _master_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexer, "_SINGLE_KINDS", {})
    monkeypatch.setattr(lexer, "_CELL_ALONE", re.compile(r"(?!)"))


def _tokens_or_error(text: str) -> object:
    try:
        return lexer.tokenize(text)
    except SheetError as exc:
        return str(exc)


@given(st.lists(_PIECES, max_size=14).map("".join))
@SETTINGS
def test_the_shortcuts_of_tokenize_give_the_master_patterns_tokens_and_errors(text):
    fast = _tokens_or_error(text)
    with pytest.MonkeyPatch.context() as patch:
        _master_only(patch)
        slow = _tokens_or_error(text)
    assert fast == slow


def test_the_shortcuts_of_tokenize_are_taken_and_agree_on_common_formulas(monkeypatch):
    texts = ["=I1+A2", "=J4*0.99+B5-I5*0.001", "=IF(J2>K2,I2-K2,K2-J2)+F1", "=A1<>B1", "=A1 B1", "=LOG10(A1)",
             "=A1#", "=A1:B2", "=Sheet1!A1", "=SUM (A1)", "=A1 (B1)", "=AB1!A1"]
    fast = [lexer.tokenize(text) for text in texts]
    _master_only(monkeypatch)
    assert fast == [lexer.tokenize(text) for text in texts]


@pytest.mark.parametrize(
    ("text", "intersected"),
    [("=SUM(A1:C3 (B1:B5))", 66), ("=$A$1:$C$3 (B2)", 22), ("=SUM(A1:C3 (B:B) B2:C3)", 54),
     ("=SUM((A1:C3) (B1:B5))", 66), ("=SUM((A1:C3,A5) (B:B,A:A))", 66 + 11 + 21 + 31 + 51)],
)
def test_a_space_before_a_parenthesized_reference_after_a_reference_is_the_intersection(text, intersected):
    # Excel reads =SUM(A1:C3 (B1:B5)) as the intersection B1:B3; the space was dropped, and the '(' after a
    # complete expression did not parse. After a name or ')' the '(' still calls (A1 (B1), LAMBDA(x,x+1) (2)).
    from sheetrl.sheet.workbook import Workbook

    assert [token.text for token in lexer.tokenize(text) if token.kind == "OP"].count(" ") == text.count(" ")
    assert lexer.tokenize("=A1 (B1)")[0].kind == "FUNC"
    for called in ("=LAMBDA(x,x+1) (2)", "=LAMBDA(x,LAMBDA(y,x+y))(1) (2)"):
        assert " " not in [token.text for token in lexer.tokenize(called)]
    book = Workbook()
    for row in range(1, 6):
        for col in "ABC":
            book.set(f"{col}{row}", row * 10 + ord(col) - 64)
    book.set("E1", text)
    assert book.value("E1") == intersected
    book.set("G1", "=LAMBDA(x,x+1) (2)")
    assert book.value("G1") == 3
