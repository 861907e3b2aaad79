"""Lexer and parser: precedence, references, literals, clear errors for bad text."""

import pytest

from sheetrl.sheet import FormulaSyntaxError, Workbook
from sheetrl.sheet.nodes import (
    Call,
    CellRef,
    Chain,
    Name,
    Number,
    Paren,
    RangeOp,
    RangeRef,
    RefError,
    SheetSpan,
    Unary,
    Union,
    render,
)
from sheetrl.sheet.parser import MAX_NESTING, parse, parse_name_definition


@pytest.mark.parametrize(
    "text",
    [
        "1+2*3",
        "-2^2",
        "SUM(A1:B3,$C$1)",
        'IF(A1>0,"a""b",#N/A)',
        "{1,2;3,-4}",
        "LOG10(100)",
        "Sheet2!A1+'My Sheet'!B2:C3",
        "50%*2",
        "A:A",
        "$B:$D",
        "1:3",
        "IF(A1,,1)",
        "A1&\" \"&B1",
        "(1+2)*3",
        "A1<>B1",
        "SUM(Sheet2!$A$1:A$5)",
        "SUM(Sheet1:Sheet3!A1)",
        "AVERAGE(Jan:Dec!$B$2:C9)",
        "COUNT(Sheet2:Sheet5!A:A)",
        "SUM('My sheet:Other'!A1)",
        "SUM('It''s:Z'!A1)",
        "SUM('AB1:AB3'!A1)",
    ],
)
def test_render_reproduces_formula_text(text):
    assert render(parse("=" + text)) == text


def test_function_names_are_upper_cased_and_xlfn_prefix_dropped():
    node = parse("=_xlfn.xlookup(1,A1:A3,B1:B3)")
    assert isinstance(node, Call) and node.name == "XLOOKUP"


def test_cell_like_function_name_is_a_call_not_a_reference():
    assert isinstance(parse("=LOG10(5)"), Call)
    assert isinstance(parse("=LOG10"), CellRef)


def test_range_corners_are_normalized():
    node = parse("=B3:A1")
    assert isinstance(node, RangeRef)
    assert (node.row1, node.col1, node.row2, node.col2) == (0, 0, 2, 1)


def test_long_operator_runs_are_one_flat_chain():
    node = parse("=" + "+".join(["1"] * 3000))
    assert isinstance(node, Chain) and len(node.operands) == 3000


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("=1+", "ends where a value was expected"),
        ("=SUM(1,2", "missing ')'"),
        ("=(1+2", "missing closing parenthesis"),
        ('="abc', "no closing quote"),
        ("=1 2", "after a complete expression"),
        ("=#FOO!", "unknown error literal"),
        ("={1,2;3}", "same length"),
        ("=A1:", "after the range operator"),
        ("=SUM(Sheet1:Sheet3!)", "after the sheets of a 3-D reference"),
        ("=SUM(Sheet1:Sheet3!Total)", "after the sheets of a 3-D reference"),
        ("=SUM(Sheet1:Sheet3! A1)", "after the sheets of a 3-D reference"),
        ("=3A", "runs into letters"),
        ("=", "empty"),
        ("=Sheet1!", "expected a cell or range"),
        ("=@", "formula ends where a value was expected"),
        ("=$", "unexpected character"),
    ],
)
def test_bad_formula_text_raises_with_position_and_reason(text, reason):
    with pytest.raises(FormulaSyntaxError) as info:
        parse(text)
    assert reason in str(info.value)
    assert 0 <= info.value.position <= len(text)


def test_nesting_beyond_limit_is_a_clear_error_not_a_recursion_error():
    deep = "=" + "(" * (MAX_NESTING + 1) + "1" + ")" * (MAX_NESTING + 1)
    with pytest.raises(FormulaSyntaxError, match="nested more than"):
        parse(deep)


def test_ten_thousand_nested_parentheses_is_a_clear_error():
    with pytest.raises(FormulaSyntaxError):
        parse("=" + "(" * 10_000 + "1" + ")" * 10_000)


def test_ten_thousand_nested_calls_is_a_clear_error():
    with pytest.raises(FormulaSyntaxError):
        parse("=" + "ABS(" * 10_000 + "1" + ")" * 10_000)


def test_ten_thousand_unary_minus_signs_is_a_clear_error():
    with pytest.raises(FormulaSyntaxError):
        parse("=" + "-" * 5_000 + "1")


def test_nesting_at_the_limit_evaluates():
    wb = Workbook()
    wb.set("A1", "=" + "SUM(" * 63 + "-3" + ")" * 63)
    assert wb.value("A1") == -3


def test_each_run_of_one_precedence_level_is_one_flat_chain():
    one, two, three, four = (Number(float(n), str(n)) for n in (1, 2, 3, 4))
    assert parse("=1+2*3-4") == Chain((one, Chain((two, three), ("*",)), four), ("+", "-"))
    assert parse("=1*2+3") == Chain((Chain((one, two), ("*",)), three), ("+",))
    assert parse("=1=2&3+4") == Chain((one, Chain((two, Chain((three, four), ("+",))), ("&",))), ("=",))
    assert parse("=1^2*3^4") == Chain((Chain((one, two), ("^",)), Chain((three, four), ("^",))), ("*",))
    assert parse("=-1^2") == Chain((Unary("-", one), two), ("^",))
    assert parse("=1-2-3<4") == Chain((Chain((one, two, three), ("-", "-")), four), ("<",))


def test_excel_precedence():
    wb = Workbook()
    cases = {
        "=1+2*3": 7,
        "=-2^2": 4,
        "=2^3^2": 64,
        "=2^-1": 0.5,
        "=50%*2": 1,
        "=-50%": -0.5,
        '="a"&1+1': "a2",
        "=1+2=3": True,
        "=1<2=TRUE": True,
        "=10-2-3": 5,
        "=12/2/3": 2,
        "=(1+2)*3": 9,
        "=1+-+-2": 3,
    }
    for text, expected in cases.items():
        wb.set("A1", text)
        assert wb.value("A1") == expected, text


# ------------------------------------------------------------------------------- reference operators, names, tables
def test_range_operator_between_a_reference_and_a_function_call() -> None:
    node = parse("=SUM(D1:INDIRECT(A1))")
    assert isinstance(node, Call) and isinstance(node.args[0], RangeOp)
    assert node.args[0].left == parse("=D1") and isinstance(node.args[0].right, Call)
    chained = parse("=A1:B2:INDEX(C1:C9,3)")
    assert isinstance(chained, RangeOp) and isinstance(chained.left, RangeRef)


def test_reference_operators_bind_tighter_than_negation() -> None:
    node = parse("=-A1:INDEX(B1:B9,2)")
    assert isinstance(node, Unary) and isinstance(node.operand, RangeOp)


def test_union_inside_parentheses() -> None:
    node = parse("=SUM((A1:A3,C1,Name))")
    inner = node.args[0]
    assert isinstance(inner, Paren) and isinstance(inner.inner, Union) and len(inner.inner.operands) == 3
    assert render(node) == "SUM((A1:A3,C1,Name))"


def test_intersection_between_names_and_function_results() -> None:
    node = parse("=Jan Sales")
    assert isinstance(node, Chain) and node.ops == (" ",)
    node = parse("=A1:C9 INDEX(A1:C9,2,0)")
    assert isinstance(node, Chain) and isinstance(node.operands[1], Call)
    assert isinstance(parse("=A1 +B1"), Chain) and parse("=A1 +B1").ops == ("+",)


@pytest.mark.parametrize(
    ("text", "name", "sheet"),
    [("=Sheet2!Total", "Total", "Sheet2"), ("='My sheet'!Rate", "Rate", "My sheet"), ("=\\Tax", "\\Tax", None),
     ("=HSI\\10_1\\val", "HSI\\10_1\\val", None), ("=Umsatz_März", "Umsatz_März", None), ("=A0", "A0", None),
     ("=_xlnm.Print_Area", "_xlnm.Print_Area", None)],
)
def test_names_of_any_script_with_backslashes_and_sheets(text: str, name: str, sheet: str | None) -> None:
    node = parse(text)
    assert isinstance(node, Name) and (node.name, node.sheet) == (name, sheet)
    assert "=" + render(node) == text


def test_unicode_sheet_names_need_no_quotes() -> None:
    node = parse("=Paramètres!T5")
    assert isinstance(node, CellRef) and node.sheet == "Paramètres"


def test_structured_reference_token() -> None:
    node = parse("=Table1[[#This Row],[Qty]]*[@Price]")
    assert isinstance(node, Chain)
    assert [type(o).__name__ for o in node.operands] == ["StructuredRef", "StructuredRef"]


def test_name_definition_may_be_a_reference_list() -> None:
    node = parse_name_definition("Sheet1!$A$1:$A$3,Sheet1!$C$1")
    assert isinstance(node, Union) and len(node.operands) == 2
    with pytest.raises(FormulaSyntaxError):
        parse("=Sheet1!$A$1,Sheet1!$C$1")  # a cell formula needs the parentheses


def test_three_d_reference_parses_to_a_sheet_span():
    node = parse("=SUM('My sheet:Other'!$A$1:B4)")
    assert isinstance(node, Call)
    span = node.args[0]
    assert isinstance(span, SheetSpan)
    assert (span.first, span.last) == ("My sheet", "Other")
    assert span.ref == RangeRef(None, 0, 0, 3, 1, True, True, False, False)
    assert parse("=SUM(Sheet1:Sheet3!#REF!)") == Call("SUM", (RefError(),))
