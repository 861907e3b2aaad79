"""Logical functions: IF, IFS, IFERROR, IFNA, AND, OR, XOR, NOT, TRUE, FALSE."""

from __future__ import annotations

from typing import Any

import pytest

from sheetrl.sheet import ExcelError, FormulaSyntaxError, Workbook

from .cases import check_exact_type, evaluate


def check(formula: str, expected: Any, cells: dict[str, Any] | None = None) -> None:
    """Assert the formula's value, its type included (TRUE is not 1; errors compare by code)."""
    check_exact_type(evaluate(formula, cells), expected)


# ---------------------------------------------------------------------------------------------------- IF
@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        pytest.param("=IF(TRUE,1,2)", 1, id="true_condition_takes_first_branch"),
        pytest.param("=IF(FALSE,1,2)", 2, id="false_condition_takes_second_branch"),
        pytest.param("=IF(2>1,\"yes\",\"no\")", "yes", id="comparison_condition"),
        pytest.param("=IF(-0.5,1,2)", 1, id="nonzero_number_is_true"),
        pytest.param("=IF(0,1,2)", 2, id="zero_is_false"),
        pytest.param("=IF(\"true\",1,2)", 1, id="text_true_any_case_is_true"),
        pytest.param("=IF(\"FALSE\",1,2)", 2, id="text_false_is_false"),
        pytest.param("=IF(\"abc\",1,2)", "#VALUE!", id="other_text_condition_is_value_error"),
        pytest.param("=IF(\"1\",1,2)", "#VALUE!", id="numeric_text_condition_is_value_error"),
        pytest.param("=IF(1/0,1,2)", "#DIV/0!", id="error_condition_is_returned"),
        pytest.param("=IF(FALSE,1)", False, id="omitted_false_branch_is_false"),
        pytest.param("=IF(FALSE,1,)", 0, id="empty_false_branch_is_zero"),
        pytest.param("=IF(TRUE,,1)", 0, id="empty_true_branch_is_zero"),
        pytest.param("=IF(TRUE,1,1/0)", 1, id="untaken_error_branch_is_not_evaluated"),
        pytest.param("=IF(FALSE,1/0,\"b\")", "b", id="untaken_true_branch_is_not_evaluated"),
        pytest.param("=IF(TRUE,1/0,2)", "#DIV/0!", id="taken_error_branch_is_the_result"),
        pytest.param("=IF(TRUE,IF(FALSE,1,3),2)", 3, id="nested_if"),
    ],
)
def test_if(formula: str, expected: Any) -> None:
    check(formula, expected)


def test_if_condition_from_empty_cell_is_false() -> None:
    check("=IF(A1,1,2)", 2)


def test_if_condition_from_text_true_in_cell_is_true() -> None:
    check("=IF(A1,1,2)", 1, {"A1": "TRUE"})


def test_if_returning_empty_cell_shows_zero_but_concatenates_as_empty_text() -> None:
    check("=IF(TRUE,A1)", 0)
    check("=IF(TRUE,A1)&\"x\"", "x")


def test_if_branch_referencing_error_cell_only_matters_when_taken() -> None:
    cells = {"A1": "=1/0", "A2": 7}
    check("=IF(A2>5,A2,A1)", 7, cells)
    check("=IF(A2<5,A2,A1)", "#DIV/0!", cells)


def test_if_with_array_condition_applies_element_wise() -> None:
    check("=SUM(IF({1,0,1},{1,2,3},10))", 14)


def test_if_array_condition_with_omitted_false_branch_gives_false_elements() -> None:
    check("=AND(IF({1,0},TRUE))", False)
    check("=OR(IF({0,0},TRUE))", False)


def test_if_with_one_argument_is_rejected_as_excel_does() -> None:
    with pytest.raises(FormulaSyntaxError):
        Workbook().set("A1", "=IF(TRUE)")


def test_if_result_follows_condition_cell_changes() -> None:
    wb = Workbook()
    wb.set("A1", 1)
    wb.set("B1", "=IF(A1>0,\"pos\",\"neg\")")
    assert wb.value("B1") == "pos"
    wb.set("A1", -1)
    assert wb.value("B1") == "neg"


# --------------------------------------------------------------------------------------------------- IFS
@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        pytest.param("=IFS(TRUE,1,TRUE,2)", 1, id="first_true_condition_wins"),
        pytest.param("=IFS(FALSE,1,TRUE,2)", 2, id="later_true_condition"),
        pytest.param("=IFS(FALSE,1,0,2)", "#N/A", id="no_true_condition_is_na"),
        pytest.param("=IFS(1/0,1,TRUE,2)", "#DIV/0!", id="error_condition_is_returned"),
        pytest.param("=IFS(\"x\",1,TRUE,2)", "#VALUE!", id="text_condition_is_value_error"),
        pytest.param("=IFS(TRUE,1,1/0,2)", 1, id="later_conditions_are_not_evaluated"),
        pytest.param("=IFS(FALSE,1/0,TRUE,\"ok\")", "ok", id="values_of_false_conditions_are_not_evaluated"),
        pytest.param("=IFS(TRUE,\"a\",FALSE)", "#VALUE!", id="odd_argument_count_is_an_error"),
        pytest.param("=IFS(3>5,\"big\",3>1,\"mid\",TRUE,\"small\")", "mid", id="grading_chain"),
    ],
)
def test_ifs(formula: str, expected: Any) -> None:
    check(formula, expected)


def test_ifs_with_array_condition_applies_element_wise() -> None:
    check("=SUM(IFS({1,0,0},1,{0,1,0},10,TRUE,100))", 111)


# ----------------------------------------------------------------------------------------------- IFERROR
@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        pytest.param("=IFERROR(1/0,\"x\")", "x", id="error_is_replaced"),
        pytest.param("=IFERROR(NA(),0)", 0, id="na_is_replaced"),
        pytest.param("=IFERROR(5,1/0)", 5, id="fallback_not_evaluated_without_error"),
        pytest.param("=IFERROR(\"text\",1)", "text", id="text_passes_through"),
        pytest.param("=IFERROR(1/0,1/0)", "#DIV/0!", id="error_in_fallback_is_the_result"),
        pytest.param("=IFERROR(1/0,)", 0, id="empty_fallback_is_zero"),
        pytest.param("=SUM(IFERROR({1,#N/A,3},10))", 14, id="array_errors_replaced_element_wise"),
    ],
)
def test_iferror(formula: str, expected: Any) -> None:
    check(formula, expected)


def test_iferror_of_empty_cell_is_zero() -> None:
    check("=IFERROR(A1,\"x\")", 0)


def test_iferror_catches_error_from_referenced_cell() -> None:
    check("=IFERROR(A1*2,\"bad\")", "bad", {"A1": "=1/0"})
    check("=IFERROR(A1*2,\"bad\")", 6, {"A1": 3})


# -------------------------------------------------------------------------------------------------- IFNA
@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        pytest.param("=IFNA(NA(),\"y\")", "y", id="na_is_replaced"),
        pytest.param("=IFNA(1/0,\"y\")", "#DIV/0!", id="other_errors_pass_through"),
        pytest.param("=IFNA(4,1/0)", 4, id="fallback_not_evaluated_without_error"),
        pytest.param("=IFNA(#N/A,\"z\")", "z", id="na_literal_is_replaced"),
        pytest.param("=SUM(IFNA({1,#N/A},5))", 6, id="array_na_replaced_element_wise"),
        pytest.param("=IFNA({1,#DIV/0!},5)", 1, id="array_without_na_is_unchanged"),
    ],
)
def test_ifna(formula: str, expected: Any) -> None:
    check(formula, expected)


# ------------------------------------------------------------------------------------------ AND / OR / XOR
@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        pytest.param("=AND(TRUE,TRUE)", True, id="and_all_true"),
        pytest.param("=AND(TRUE,FALSE)", False, id="and_one_false"),
        pytest.param("=AND(1,2)", True, id="and_nonzero_numbers_are_true"),
        pytest.param("=AND(1,0)", False, id="and_zero_is_false"),
        pytest.param("=AND(\"TRUE\",\"true\")", True, id="and_direct_text_true_counts"),
        pytest.param("=AND(\"abc\")", "#VALUE!", id="and_direct_other_text_is_value_error"),
        pytest.param("=AND(\"1\")", "#VALUE!", id="and_direct_numeric_text_is_value_error"),
        pytest.param("=AND(TRUE,1/0)", "#DIV/0!", id="and_error_argument_is_returned"),
        pytest.param("=AND(FALSE,1/0)", "#DIV/0!", id="and_does_not_short_circuit_errors"),
        pytest.param("=AND(TRUE,)", False, id="and_omitted_argument_counts_false"),
        pytest.param("=AND({1,\"a\",TRUE})", True, id="and_text_in_array_is_skipped"),
        pytest.param("=OR(FALSE,TRUE)", True, id="or_one_true"),
        pytest.param("=OR(FALSE,0)", False, id="or_all_false"),
        pytest.param("=OR(\"x\",FALSE)", False, id="or_direct_other_text_is_skipped"),
        pytest.param("=AND(TRUE,\"0\")", True, id="and_direct_numeric_text_is_skipped"),
        pytest.param("=AND(TRUE,\"x\",#REF!)", "#REF!", id="and_error_after_skipped_text_is_the_result"),
        pytest.param("=OR(1/0,TRUE)", "#DIV/0!", id="or_error_argument_is_returned"),
        pytest.param("=OR({0,0,3})", True, id="or_over_array"),
        pytest.param("=XOR(TRUE,FALSE)", True, id="xor_one_true"),
        pytest.param("=XOR(TRUE,TRUE)", False, id="xor_two_true"),
        pytest.param("=XOR(1,1,1)", True, id="xor_odd_count_true"),
        pytest.param("=XOR(\"x\")", "#VALUE!", id="xor_direct_text_is_value_error"),
        pytest.param("=XOR({1,0},{1,1})", True, id="xor_over_arrays_counts_every_element"),
    ],
)
def test_and_or_xor(formula: str, expected: Any) -> None:
    check(formula, expected)


RANGE_CELLS = {"A1": True, "A2": 5, "A3": "text", "A5": "FALSE"}  # A4 is empty


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        pytest.param("=AND(A1:A5)", True, id="and_range_skips_text_and_empty"),
        pytest.param("=OR(A3:A5)", "#VALUE!", id="or_range_with_no_logical_value_is_value_error"),
        pytest.param("=AND(A5)", "#VALUE!", id="and_single_cell_text_false_is_skipped_not_read"),
        pytest.param("=AND(A4)", "#VALUE!", id="and_empty_cell_only_is_value_error"),
        pytest.param("=OR(A1:A2,FALSE)", True, id="or_mixes_range_and_direct"),
        pytest.param("=XOR(A1:A2)", False, id="xor_range_two_true"),
        pytest.param("=XOR(A1:A5,TRUE)", True, id="xor_range_plus_direct"),
    ],
)
def test_and_or_xor_with_ranges(formula: str, expected: Any) -> None:
    check(formula, expected, RANGE_CELLS)


def test_and_returns_first_error_inside_a_range() -> None:
    check("=AND(A1:A3)", "#N/A", {"A1": True, "A2": "=NA()", "A3": "=1/0"})


def test_or_false_when_range_has_only_zeros_and_false() -> None:
    check("=OR(A1:A3)", False, {"A1": 0, "A2": False, "A3": "TRUE"})


# --------------------------------------------------------------------------------------------------- NOT
@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        pytest.param("=NOT(TRUE)", False, id="true_becomes_false"),
        pytest.param("=NOT(0)", True, id="zero_becomes_true"),
        pytest.param("=NOT(7)", False, id="nonzero_becomes_false"),
        pytest.param("=NOT(\"false\")", True, id="text_false_is_read"),
        pytest.param("=NOT(\"x\")", "#VALUE!", id="other_text_is_value_error"),
        pytest.param("=NOT(1/0)", "#DIV/0!", id="error_propagates"),
        pytest.param("=NOT(A1)", True, id="empty_cell_is_false"),
        pytest.param("=NOT(NOT(5))", True, id="double_negation_gives_boolean"),
    ],
)
def test_not(formula: str, expected: Any) -> None:
    check(formula, expected)


# ------------------------------------------------------------------------------------------- TRUE / FALSE
@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        pytest.param("=TRUE()", True, id="true_function"),
        pytest.param("=FALSE()", False, id="false_function"),
        pytest.param("=TRUE()+TRUE()", 2, id="true_is_one_in_arithmetic"),
        pytest.param("=FALSE()*5", 0, id="false_is_zero_in_arithmetic"),
        pytest.param("=IF(FALSE(),1,2)", 2, id="false_function_as_condition"),
        pytest.param("=AND(TRUE(),NOT(FALSE()))", True, id="combined_with_other_logic"),
    ],
)
def test_true_false(formula: str, expected: Any) -> None:
    check(formula, expected)


def test_switch_over_a_range_gives_one_result_per_cell() -> None:
    """Excel lifts SWITCH over an array expression (the cells of legacy array formulas in formulas' test.xlsx and
    pycel's logical.xlsx); values and results that are arrays are taken at the same position."""
    wb = Workbook()
    for row, value in enumerate([2, 1, "X", 5], start=1):
        wb.set(f"A{row}", value)
        wb.set(f"B{row}", row * 100)
    wb.set("C1", '=SWITCH(A1:A5,1,"one",2,"two","x","ex","other")')
    assert [wb.value(f"C{row}") for row in range(1, 6)] == ["two", "one", "ex", "other", "other"]
    wb.set("D1", "=SWITCH(A1:A4,1,B1:B4,2,-B1:B4)")  # results at the element's own position
    assert [wb.value(f"D{row}") for row in range(1, 5)] == [-100, 200, ExcelError("#N/A"), ExcelError("#N/A")]
    wb.set_array_formula("E1:E2", "=SWITCH(A1:A2,1,10,2,20)")
    assert [wb.value("E1"), wb.value("E2")] == [20, 10]


def test_switch_reads_an_empty_cell_as_zero_only() -> None:
    """pycel's logical.xlsx: an empty expression matches 0, and not "" or FALSE."""
    wb = Workbook()
    wb.set("B1", '=SWITCH(A1,0,"zero","other")')
    wb.set("B2", '=SWITCH(A1,"","empty","other")')
    wb.set("B3", '=SWITCH(A1,FALSE,"false","other")')
    wb.set("B4", '=SWITCH(0,A1,"zero","other")')
    assert [wb.value(f"B{row}") for row in range(1, 5)] == ["zero", "other", "other", "zero"]
