"""Information functions: the IS* type tests and NA()."""

from __future__ import annotations

from typing import Any

import pytest

from sheetrl.sheet import Workbook

# A1 number, A2 text, A3 TRUE, A4 empty, A5 "" from a formula, A6 #DIV/0!, A7 #N/A, A8 numeric text, A9 0
CELLS: dict[str, Any] = {
    "A1": 3.5,
    "A2": "abc",
    "A3": True,
    "A5": '=""',
    "A6": "=1/0",
    "A7": "=NA()",
    "A8": "12",
    "A9": 0,
}


def evaluate(formula: str, cells: dict[str, Any] | None = None) -> Any:
    """Value of ``formula`` entered in Z1 of a workbook holding ``cells`` (CELLS by default)."""
    wb = Workbook()
    for address, value in (CELLS if cells is None else cells).items():
        wb.set(address, value)
    wb.set("Z1", formula)
    return wb.value("Z1")


def check(formula: str, expected: Any, cells: dict[str, Any] | None = None) -> None:
    """Assert the formula's value, its type included (TRUE is not 1; errors compare by code)."""
    actual = evaluate(formula, cells)
    if isinstance(expected, str) and expected.startswith("#"):
        assert type(actual).__name__ == "ExcelError" and str(actual) == expected, actual
    else:
        assert type(actual) is type(expected) and actual == expected, actual


# Expected result of each IS* function for cells A1..A9 of CELLS.
TABLE: dict[str, list[bool]] = {
    #            A1     A2     A3     A4     A5     A6     A7     A8     A9
    "ISBLANK": [False, False, False, True, False, False, False, False, False],
    "ISERROR": [False, False, False, False, False, True, True, False, False],
    "ISERR": [False, False, False, False, False, True, False, False, False],
    "ISNA": [False, False, False, False, False, False, True, False, False],
    "ISNUMBER": [True, False, False, False, False, False, False, False, True],
    "ISTEXT": [False, True, False, False, True, False, False, True, False],
    "ISNONTEXT": [True, False, True, True, False, True, True, False, True],
    "ISLOGICAL": [False, False, True, False, False, False, False, False, False],
}


@pytest.mark.parametrize(
    ("function", "row"),
    [(f, r) for f in TABLE for r in range(1, 10)],
    ids=[f"{f.lower()}_of_cell_A{r}" for f in TABLE for r in range(1, 10)],
)
def test_type_test_of_each_kind_of_cell(function: str, row: int) -> None:
    check(f"={function}(A{row})", TABLE[function][row - 1])


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        pytest.param('=ISBLANK("")', False, id="isblank_empty_text_literal_is_not_blank"),
        pytest.param("=ISBLANK(IF(TRUE,A4))", True, id="isblank_empty_cell_through_if"),
        pytest.param("=ISERROR(1/0)", True, id="iserror_of_computed_error"),
        pytest.param("=ISERROR(#REF!)", True, id="iserror_of_error_literal"),
        pytest.param("=ISERROR(5)", False, id="iserror_of_number"),
        pytest.param("=ISERR(#VALUE!)", True, id="iserr_of_value_error"),
        pytest.param("=ISERR(NA())", False, id="iserr_excludes_na"),
        pytest.param("=ISNA(#N/A)", True, id="isna_of_na_literal"),
        pytest.param("=ISNA(1/0)", False, id="isna_of_other_error"),
        pytest.param('=ISNUMBER("12")', False, id="isnumber_numeric_text_literal_is_text"),
        pytest.param("=ISNUMBER(TRUE)", False, id="isnumber_boolean_is_not_number"),
        pytest.param("=ISNUMBER(1/0)", False, id="isnumber_of_error_is_false"),
        pytest.param('=ISNUMBER(SEARCH("b",A2))', True, id="isnumber_of_search_hit"),
        pytest.param('=ISNUMBER(SEARCH("z",A2))', False, id="isnumber_of_search_miss"),
        pytest.param('=ISTEXT("")', True, id="istext_empty_text_is_text"),
        pytest.param("=ISTEXT(1)", False, id="istext_number"),
        pytest.param("=ISTEXT(#N/A)", False, id="istext_error"),
        pytest.param("=ISNONTEXT(1/0)", True, id="isnontext_error"),
        pytest.param('=ISNONTEXT("x")', False, id="isnontext_text"),
        pytest.param("=ISLOGICAL(FALSE)", True, id="islogical_false_literal"),
        pytest.param('=ISLOGICAL("TRUE")', False, id="islogical_text_true_is_text"),
        pytest.param("=ISLOGICAL(1=1)", True, id="islogical_comparison_result"),
        pytest.param("=ISLOGICAL(1)", False, id="islogical_number"),
    ],
)
def test_type_tests_of_expressions(formula: str, expected: Any) -> None:
    check(formula, expected)


def test_isblank_follows_cell_being_cleared() -> None:
    wb = Workbook()
    wb.set("A1", 1)
    wb.set("B1", "=ISBLANK(A1)")
    assert wb.value("B1") is False
    wb.clear("A1")
    assert wb.value("B1") is True


def test_multi_cell_range_gives_one_result_per_cell_for_array_use() -> None:
    check("=SUM(--ISNUMBER(A1:A9))", 2)
    check("=SUM(--ISBLANK(A1:A9))", 1)
    check("=SUM(--ISERROR(A1:A9))", 2)
    check("=SUM(--ISTEXT(A1:A9))", 3)


def test_multi_cell_range_in_a_single_cell_shows_top_left_result() -> None:
    check("=ISNUMBER(A1:A3)", True)
    check("=ISTEXT(A1:A3)", False)


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        pytest.param("=ISEVEN(4)", True, id="iseven_even_number"),
        pytest.param("=ISEVEN(3)", False, id="iseven_odd_number"),
        pytest.param("=ISEVEN(2.9)", True, id="iseven_truncates_fraction"),
        pytest.param("=ISEVEN(-3.5)", False, id="iseven_truncates_toward_zero"),
        pytest.param("=ISEVEN(0)", True, id="iseven_zero"),
        pytest.param('=ISEVEN("4")', True, id="iseven_numeric_text"),
        pytest.param('=ISEVEN("x")', "#VALUE!", id="iseven_text_is_value_error"),
        pytest.param("=ISEVEN(TRUE)", "#VALUE!", id="iseven_boolean_is_value_error"),
        pytest.param("=ISEVEN(1/0)", "#DIV/0!", id="iseven_error_propagates"),
        pytest.param("=ISEVEN(A4)", True, id="iseven_empty_cell_is_zero"),
        pytest.param("=ISODD(3)", True, id="isodd_odd_number"),
        pytest.param("=ISODD(-3)", True, id="isodd_negative_odd"),
        pytest.param("=ISODD(-2.5)", False, id="isodd_negative_fraction_truncates"),
        pytest.param("=ISODD(A1)", True, id="isodd_of_cell"),
        pytest.param("=ISODD(A3)", "#VALUE!", id="isodd_boolean_cell_is_value_error"),
        pytest.param("=ISODD(A2)", "#VALUE!", id="isodd_text_cell_is_value_error"),
    ],
)
def test_iseven_isodd(formula: str, expected: Any) -> None:
    check(formula, expected)


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        pytest.param("=NA()", "#N/A", id="na_is_the_na_error"),
        pytest.param("=NA()+1", "#N/A", id="na_propagates_through_arithmetic"),
        pytest.param("=ISNA(NA())", True, id="na_is_detected_by_isna"),
        pytest.param('=IFNA(NA(),"missing")', "missing", id="na_is_caught_by_ifna"),
    ],
)
def test_na(formula: str, expected: Any) -> None:
    check(formula, expected)
