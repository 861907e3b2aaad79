"""What-If data tables: ``Workbook.set_data_table`` (Excel's ``{=TABLE(row_input, column_input)}``)."""

from __future__ import annotations

import pytest

from sheetrl.sheet import Workbook, data_tables
from sheetrl.sheet.errors import CYCLE, DIV0, NUM, REF, VALUE, SheetError


def column(wb: Workbook, area: str) -> list:
    """The values of a one-column range, top to bottom."""
    return [row[0] for row in wb.values(area)]


def loan_table() -> Workbook:
    """A one-variable table with a column input: A1 is the rate, C3 and D3 two formulas of it, B4:B7 the rates to
    try."""
    wb = Workbook()
    wb.set("A1", 0.5)
    wb.set("A2", 100)
    wb.set("C3", "=A2*A1")
    wb.set("D3", "=A1+1")
    wb.set_range("B4", [[1], [2], [3], [4]])
    wb.set_data_table("C4:D7", column_input="A1")
    return wb


def test_one_variable_column_input_computes_each_formula_for_each_value_down_the_left_column():
    wb = loan_table()
    assert wb.values("C4:D7") == [[100, 2], [200, 3], [300, 4], [400, 5]]
    assert wb.formula("C4") == "=TABLE(,A1)"
    assert wb.array_formula_range("D6") == "C4:D7"
    assert wb.is_data_table("D7") and not wb.is_data_table("C3")


def test_the_real_input_and_formulas_keep_their_values():
    wb = loan_table()
    assert wb.value("A1") == 0.5
    assert wb.value("C3") == 50
    assert wb.value("D3") == 1.5


def test_one_variable_row_input_computes_each_formula_for_each_value_along_the_row_above():
    wb = Workbook()
    wb.set("A1", 2)
    wb.set_range("C2", [[1, 2, 3]])
    wb.set("B3", "=A1^2")
    wb.set("B4", "=A1*10")
    wb.set_data_table("C3:E4", row_input="A1")
    assert wb.values("C3:E4") == [[1, 4, 9], [10, 20, 30]]
    assert wb.formula("C3") == "=TABLE(A1,)"


def test_two_variables_compute_the_corner_formula_for_every_pair_of_row_and_column_values():
    wb = Workbook()
    wb.set("A1", 1)  # row input: takes the values above the table
    wb.set("A2", 1)  # column input: takes the values left of the table
    wb.set("B3", "=A1*10+A2")
    wb.set_range("C3", [[1, 2, 3]])
    wb.set_range("B4", [[5], [7]])
    wb.set_data_table("C4:E5", row_input="A1", column_input="A2")
    assert wb.values("C4:E5") == [[15, 25, 35], [17, 27, 37]]
    assert wb.formula("C4") == "=TABLE(A1,A2)"


def test_text_values_are_substituted_too():
    wb = Workbook()
    wb.set("A1", "A")
    wb.set("A2", 1)
    wb.set("B4", "=A1&A2")
    wb.set_range("C4", [[2, 3]])
    wb.set_range("B5", [["x"], ["y"]])
    wb.set_data_table("C5:D6", "A2", "A1")
    assert wb.values("C5:D6") == [["x2", "x3"], ["y2", "y3"]]


def test_a_change_to_a_cell_the_formula_reads_updates_the_table():
    wb = loan_table()
    wb.set("A2", 1000)
    assert column(wb, "C4:C7") == [1000, 2000, 3000, 4000]


def test_a_changed_value_to_try_or_a_changed_formula_updates_the_table():
    wb = loan_table()
    wb.set("B5", 10)
    assert wb.values("C4:D7")[1] == [1000, 11]
    wb.set("D3", "=A1*A1")
    assert column(wb, "D4:D7") == [1, 100, 9, 16]


def test_an_input_several_formulas_upstream_of_the_result():
    wb = Workbook()
    wb.set("A1", 1)
    wb.set("A2", "=A1*2")
    wb.set("A3", "=A2+1")
    wb.set("A4", "=A3^2")
    wb.set("C3", "=A4-A1")
    wb.set_range("B4", [[0], [1], [2]])
    wb.set_data_table("C4:C6", column_input="A1")
    # A1=0: (0+1)^2-0 = 1; A1=1: 3^2-1 = 8; A1=2: 5^2-2 = 23
    assert column(wb, "C4:C6") == [1, 8, 23]
    assert column(wb, "A2:A4") == [2, 3, 9]


def test_an_input_holding_a_formula_is_replaced_only_while_substituting():
    wb = Workbook()
    wb.set("A1", 3)
    wb.set("A2", "=A1+1")  # the input cell
    wb.set("C3", "=A2*2")
    wb.set_range("B4", [[10], [20]])
    wb.set_data_table("C4:C5", column_input="A2")
    assert column(wb, "C4:C5") == [20, 40]
    assert wb.formula("A2") == "=A1+1" and wb.value("A2") == 4
    wb.set("A1", 5)
    assert wb.value("C3") == 12
    assert column(wb, "C4:C5") == [20, 40]


def test_a_result_formula_that_errors_gives_its_error_in_that_cell():
    wb = Workbook()
    wb.set("A1", 1)
    wb.set("C3", "=1/(A1-2)")
    wb.set_range("B4", [[2], [3], ["x"]])
    wb.set_data_table("C4:C6", column_input="A1")
    assert column(wb, "C4:C6")[:2] == [DIV0, 1]
    assert wb.value("C6").code == "#VALUE!"


def test_an_empty_value_to_try_empties_the_input_and_an_empty_result_cell_reads_zero():
    wb = Workbook()
    wb.set("A1", 4)
    wb.set("C3", "=A1+1")
    wb.set_range("B4", [[None], [1]])
    wb.set_data_table("C4:D5", column_input="A1")  # D3 holds nothing
    assert wb.values("C4:D5") == [[1, 0], [2, 0]]


def test_a_one_cell_table():
    wb = Workbook()
    wb.set("A1", 1)
    wb.set("A2", 1)
    wb.set("B3", "=A1+A2")
    wb.set("C3", 10)
    wb.set("B4", 5)
    wb.set_data_table("C4", "A1", "A2")
    assert wb.value("C4") == 15
    with pytest.raises(SheetError, match="cannot change part of the data table over C4"):
        wb.set("C4", 1)  # unlike a one-cell array formula, a one-cell table is not typed over
    wb.clear("C4")
    assert wb.value("C4") is None


def test_formulas_reading_the_table_follow_it():
    wb = loan_table()
    wb.set("F1", "=SUM(C4:C7)")
    assert wb.value("F1") == 1000
    wb.set("A2", 10)
    assert wb.value("F1") == 100


def test_a_result_formula_reading_its_own_table_is_a_circular_reference():
    wb = loan_table()
    wb.set("D3", "=SUM(C4:C7)+A1")
    assert wb.value("C4") == CYCLE


def test_recalculate_refreshes_a_table_whose_formula_reads_through_indirect():
    wb = Workbook()
    wb.set("A1", "E1")
    wb.set("E1", 1)
    wb.set("E2", 2)
    wb.set("C3", "=INDIRECT(A1)*10")
    wb.set_range("B4", [["E1"], ["E2"]])
    wb.set_data_table("C4:C5", column_input="A1")
    assert column(wb, "C4:C5") == [10, 20]
    wb.set("E2", 5)  # only read under a substituted value: the table's edges do not reach it
    wb.recalculate()
    assert column(wb, "C4:C5") == [10, 50]


def test_a_clone_computes_its_own_table():
    wb = loan_table()
    other = wb.clone()
    other.set("A2", 1)
    assert column(other, "C4:C7") == [1, 2, 3, 4]
    assert column(wb, "C4:C7") == [100, 200, 300, 400]


# ------------------------------------------------------------------------------------------------------- editing
def test_writing_into_the_table_is_refused_as_excel_refuses_it():
    wb = loan_table()
    with pytest.raises(SheetError, match="cannot change part of the data table over C4:D7"):
        wb.set("D5", 1)
    with pytest.raises(SheetError, match="data table"):
        wb.clear("C4:C7")
    with pytest.raises(SheetError, match="data table"):
        wb.fill("A2", "C7:D7")
    assert wb.values("C4:D7") == [[100, 2], [200, 3], [300, 4], [400, 5]]


def test_clearing_the_whole_table_removes_it_and_undo_restores_it():
    wb = loan_table()
    wb.clear("C4:D7")
    assert wb.values("C4:D7") == [[None, None]] * 4
    assert not wb.is_data_table("C4")
    wb.undo()
    assert wb.values("C4:D7") == [[100, 2], [200, 3], [300, 4], [400, 5]]


def test_inserting_or_deleting_lines_through_the_table_or_its_headers_is_refused():
    wb = loan_table()
    with pytest.raises(SheetError, match="cannot insert rows through the data table over C4:D7"):
        wb.insert_rows(5)
    with pytest.raises(SheetError, match="data table"):
        wb.insert_rows(4)  # between the formula row and the table
    with pytest.raises(SheetError, match="data table"):
        wb.delete_columns(2)  # the column of values to try
    with pytest.raises(SheetError, match="data table"):
        wb.delete_rows(3)  # the formula row
    assert wb.values("C4:D7") == [[100, 2], [200, 3], [300, 4], [400, 5]]


def test_inserting_lines_before_the_table_moves_it_with_its_input():
    wb = loan_table()
    wb.insert_rows(1)
    wb.insert_columns(1)
    assert wb.formula("D5") == "=TABLE(,B2)"
    assert wb.values("D5:E8") == [[100, 2], [200, 3], [300, 4], [400, 5]]
    wb.set("B3", 1)  # A2 moved to B3
    assert column(wb, "D5:D8") == [1, 2, 3, 4]


def test_deleting_the_input_cell_makes_every_cell_ref_error():
    wb = Workbook()
    wb.set("C1", 1)  # the input, in a column of its own
    wb.set("B3", "=7")
    wb.set_range("A4", [[1], [2]])
    wb.set_data_table("B4:B5", column_input="C1")
    assert column(wb, "B4:B5") == [7, 7]
    wb.delete_columns(3)
    assert wb.formula("B4") == "=TABLE(,#REF!)"
    assert column(wb, "B4:B5") == [REF, REF]


def test_copying_a_table_copies_its_values():
    wb = loan_table()
    wb.copy_range("C4:D5", "F4")
    assert wb.input("F4") == 100 and wb.input("G5") == 3
    assert not wb.is_data_table("F4")
    wb.fill("C5", "H1:H2")
    assert column(wb, "H1:H2") == [200, 200]


# -------------------------------------------------------------------------------------------------------- bounds
def test_invalid_tables_are_refused():
    wb = loan_table()
    with pytest.raises(SheetError, match="row input cell, a column input cell or both"):
        wb.set_data_table("F4:F5")
    with pytest.raises(SheetError, match="own sheet"):
        wb.add_sheet("Other")
        wb.set_data_table("F4:F5", column_input="Other!A1")
    with pytest.raises(SheetError, match="one of the table's own cells"):
        wb.set_data_table("F4:F5", column_input="F5")
    with pytest.raises(SheetError, match="row above and a column left"):
        wb.set_data_table("A1:B2", row_input="F1")
    with pytest.raises(SheetError, match="single cells"):
        wb.set_array_formula("F4:F5", "=TABLE(,A1:A2)")


def test_a_table_larger_than_the_bound_is_refused():
    wb = Workbook()
    with pytest.raises(SheetError, match="at most 10,000 cells, not 10,100"):
        wb.set_data_table("B2:CW102", column_input="A1")
    wb.set_data_table("B2:CV101", column_input="A1")  # exactly 10,000 cells
    assert wb.value("CV101") == 0


def test_substitutions_costing_more_than_the_bound_show_num(monkeypatch):
    monkeypatch.setattr(data_tables, "MAX_SUBSTITUTED_EVALUATIONS", 7)
    wb = loan_table()  # each of the 4 values to try reruns C3 and D3: 8 evaluations
    wb.recalculate()
    assert wb.values("C4:D7") == [[NUM, NUM]] * 4
    monkeypatch.setattr(data_tables, "MAX_SUBSTITUTED_EVALUATIONS", 8)
    wb.recalculate()
    assert wb.values("C4:D7") == [[100, 2], [200, 3], [300, 4], [400, 5]]


def test_a_table_reading_another_table_is_computed_after_it():
    wb = loan_table()  # C4:C7 = 100, 200, 300, 400 (A2 times the rate)
    wb.set("F1", 1)
    wb.set("H3", "=SUM(C4:C7)*F1")
    wb.set_range("G4", [[1], [2]])
    wb.set_data_table("H4:H5", column_input="F1")
    assert column(wb, "H4:H5") == [1000, 2000]
    wb.set("A2", 10)  # the first table changes, and so the second
    assert column(wb, "H4:H5") == [100, 200]


def test_an_input_cell_holding_another_formulas_spilled_value_makes_the_table_value_error():
    wb = Workbook()
    wb.set("A1", "=SEQUENCE(2)")  # spills into A2, the input
    wb.set("C3", "=A2*10")
    wb.set_range("B4", [[1], [2]])
    wb.set_data_table("C4:C5", column_input="A2")
    assert column(wb, "C4:C5") == [VALUE, VALUE]
    assert wb.value("C3") == 20


def test_a_two_variable_tables_cost_counts_a_substitution_per_cell(monkeypatch):
    monkeypatch.setattr(data_tables, "MAX_SUBSTITUTED_EVALUATIONS", 8)
    wb = Workbook()
    wb.set("A1", 1)
    wb.set("A2", 1)
    wb.set("B3", "=A1*10+A2")
    wb.set_range("C3", [[1, 2, 3]])
    wb.set_range("B4", [[5], [7]])
    wb.set_data_table("C4:E5", row_input="A1", column_input="A2")
    assert wb.values("C4:E5") == [[NUM] * 3] * 2  # 3 columns x (1 + 2 rows) runs of B3 = 9 evaluations
    monkeypatch.setattr(data_tables, "MAX_SUBSTITUTED_EVALUATIONS", 9)
    wb.recalculate()
    assert wb.values("C4:E5") == [[15, 25, 35], [17, 27, 37]]
