"""The compiler's shortcuts give what the general rules give: operator chains that read cells and constants in
place, and SUM / AVERAGE / MIN / MAX over ranges of numbers reduced without the general argument handling."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetrl.sheet import Workbook
from sheetrl.sheet.compiler import NESTED_OPERATORS, FormulaCompiler
from sheetrl.sheet.errors import DIV0, NA, REF, VALUE, ExcelError
from sheetrl.sheet.functions import FUNCTIONS
from sheetrl.sheet.nodes import CellRef, RangeRef
from sheetrl.sheet.values import Matrix


def _book(**cells: Any) -> Workbook:
    wb = Workbook()
    for address, value in cells.items():
        if type(value) is str and not value.startswith("="):
            wb.set_text(address, value)
        else:
            wb.set(address, value)
    return wb


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("=A1-B1", 4),  # cell, cell
        ("=A1/2", 3),  # cell, constant
        ("=12/A1", 2),  # constant, cell
        ("=A1*B1-C1", 2),  # (cell, cell), cell
        ("=A1*B1-2", 10),  # (cell, cell), constant
        ("=A1-B1*C1", -14),  # cell, (cell, cell)
        ("=20-B1*C1", 0),  # constant, (cell, cell)
        ("=(A1+B1)-(B1+C1)", -4),  # (..), (..)
        ("=1+2", 3),  # constant, constant
        ("=A1^2/B1", 18),
        ("=A1-B1-C1", -6),  # left to right: (6-2)-10
        ("=A1&B1&\"x\"", "62x"),
        ("=A1>B1", True),
        ("=D1+D2", 0),  # empty cells read as 0
        ("=D1&D2", ""),
        ("=D1=D2", True),
    ],
)
def test_operator_chains_read_cells_and_constants_in_place(formula: str, expected: Any) -> None:
    wb = _book(A1=6, B1=2, C1=10)
    wb.set("E1", formula)
    assert wb.value("E1") == expected


def test_the_left_operand_error_wins_and_text_operands_follow_the_operator_rules() -> None:
    wb = _book(A1="=1/0", B1="=NA()", C1="x", D1="4")
    for formula, expected in [("=A1+B1", DIV0), ("=B1+A1", NA), ("=B1*2", NA), ("=2*A1", DIV0),
                              ("=C1+1", VALUE), ("=1+C1", VALUE), ("=D1+1", 5), ("=1-D1", -3)]:
        wb.set("E1", formula)
        assert wb.value("E1") == expected, formula


def test_a_reference_to_a_missing_sheet_is_ref_on_either_side_and_resolves_when_the_sheet_comes() -> None:
    wb = _book(A1=3)
    wb.set("B1", "=Later!A1+A1")
    wb.set("B2", "=A1+Later!A1")
    assert wb.value("B1") == REF and wb.value("B2") == REF
    wb.add_sheet("Later")
    wb.set("Later!A1", 4)
    assert wb.value("B1") == 7 and wb.value("B2") == 7


@pytest.mark.parametrize("terms", [NESTED_OPERATORS, NESTED_OPERATORS + 1, 2000])
def test_long_chains_of_one_operator_evaluate_left_to_right(terms: int) -> None:
    wb = _book(A1=1.5, B1=2)
    wb.set("C1", "=" + "+".join("A1" if i % 2 else "B1" for i in range(terms)) + "-1")
    expected = sum(1.5 if i % 2 else 2 for i in range(terms)) - 1
    assert wb.value("C1") == pytest.approx(expected)
    wb.set("A1", 0.5)
    assert wb.value("C1") == pytest.approx(expected - (terms // 2))


def test_a_chain_follows_its_inputs_through_edits_and_clones() -> None:
    wb = _book(A1=1, B1=2)
    wb.set("C1", "=A1*10+B1")
    copy = wb.clone()
    wb.set("A1", 5)
    assert wb.value("C1") == 52 and copy.value("C1") == 12
    copy.set("B1", "=1/0")
    assert copy.value("C1") == DIV0 and wb.value("C1") == 52


# ---------------------------------------------------------------------------- SUM / AVERAGE / MIN / MAX over ranges
_CELL = st.one_of(
    st.none(),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda x: round(x, 3)),
    st.sampled_from(["x", "3", "", True, False, VALUE, NA, DIV0]),
)


def _enter(wb: Workbook, address: str, value: Any) -> None:
    if type(value) is str:
        wb.set_text(address, value)
    else:
        wb.set(address, value)


def _public(value: Any) -> Any:
    if type(value) is float and value.is_integer():
        return int(value)
    return value


@settings(max_examples=150, deadline=None)
@given(first=st.lists(_CELL, min_size=3, max_size=3), second=st.lists(_CELL, min_size=4, max_size=4))
def test_reductions_over_ranges_give_what_the_function_gives(first: list[Any], second: list[Any]) -> None:
    wb = Workbook()
    wb.add_sheet("Data")
    for i, value in enumerate(first):
        _enter(wb, f"A{i + 1}", value)
    for address, value in zip(("B1", "C1", "B2", "C2"), second):  # Data!B1:C2, row by row
        _enter(wb, f"Data!{address}", value)
    column, block = Matrix(3, 1, list(first), True), Matrix(2, 2, list(second), True)
    for name in ("SUM", "AVERAGE", "MIN", "MAX"):
        wb.set("D1", f"={name}(A1:A3,Data!B1:C2)")
        wb.set("D2", f"={name}(A1:A3)")
        assert wb.value("D1") == _public(FUNCTIONS[name].impl(column, block)), name
        assert wb.value("D2") == _public(FUNCTIONS[name].impl(column)), name


def test_reductions_follow_edits_of_their_ranges() -> None:
    wb = _book(A1=1, A2=2, A3=3)
    wb.set("B1", "=SUM(A1:A3)")
    wb.set("B2", "=AVERAGE(A1:A3)")
    wb.set("B3", "=MAX(A1:A3)")
    wb.set_text("A2", "two")  # text in a range is skipped
    assert (wb.value("B1"), wb.value("B2"), wb.value("B3")) == (4, 2, 3)
    wb.set("A3", "=1/0")
    assert (wb.value("B1"), wb.value("B2"), wb.value("B3")) == (DIV0, DIV0, DIV0)
    wb.set("A3", None)
    wb.set("A1", None)
    assert (wb.value("B1"), wb.value("B2"), wb.value("B3")) == (0, DIV0, 0)


def test_a_range_on_a_missing_sheet_is_ref_and_direct_arguments_keep_their_rules() -> None:
    wb = _book(A1=1)
    wb.set("B1", "=SUM(Nope!A1:A3)")
    wb.set("B2", '=SUM(A1:A2,"3",TRUE)')  # numeric text and booleans count when given directly
    assert wb.value("B1") == REF
    assert wb.value("B2") == 5
    assert isinstance(wb.value("B1"), ExcelError)


def test_formulas_reading_the_same_ranges_share_their_key_lists() -> None:
    # 1,000 formulas summing one long column and a cell each must not hold 1,000 copies of the column's keys
    wb = Workbook()
    first = FormulaCompiler(wb._sheet_ids, 0, 0, 2, wb)
    second = FormulaCompiler(wb._sheet_ids, 0, 1, 2, wb)
    nodes = [RangeRef(None, 0, 0, 59_999, 0), RangeRef(None, 0, 1, 0, 1)]
    groups_a, groups_b = first.listed_range_keys(nodes), second.listed_range_keys(nodes)
    assert groups_a is not None and groups_b is not None
    assert all(a is b for a, b in zip(groups_a, groups_b))
    assert len(groups_a[0]) == 60_000
    assert first.listed_range_keys([RangeRef(None, 0, 0, 0, 0), CellRef(None, 0, 1, False, False)]) is None
    assert first.listed_range_keys([RangeRef("Nowhere", 0, 0, 1, 0)]) is None


def test_nested_chains_and_recursive_lambdas_reach_the_engine_s_own_limits() -> None:
    # each level of a chain's closures costs stack: 63 nested parentheses (the parser's limit is 64) and a LAMBDA
    # recursing 110 deep (the limit is 120) must evaluate, not run out of stack
    wb = _book(B1=1)
    nested = "B1"
    for _ in range(63):
        nested = f"({nested}+1+1)"
    wb.set("A1", "=" + nested)
    wb.set("A2", "=LET(f,LAMBDA(g,n,IF(n<=0,0,g(g,n-1)+1+1+1+1)),f(f,110))")
    assert wb.value("A1") == 127
    assert wb.value("A2") == 440
