"""The functions that came from Excel's Analysis ToolPak refuse a range of several cells where they take one value
(#VALUE!, in array formulas too), and take an array there element by element: Excel's results in the corpus file
vinci1it2000/formulas test.xlsx, and Microsoft's workaround ``EOMONTH(+A2:A9,0)``."""

from __future__ import annotations

import pytest

from sheetrl.sheet import Workbook
from sheetrl.sheet.errors import ExcelError
from sheetrl.sheet.functions import ANALYSIS_TOOLPAK, FUNCTIONS

VALUE = ExcelError("#VALUE!")
JAN_31, MAR_15, JUL_1 = 45322.0, 45366.0, 45474.0  # 2024-01-31, 2024-03-15, 2024-07-01


def dates() -> Workbook:
    wb = Workbook()
    for row, serial in enumerate((JAN_31, MAR_15, JUL_1), start=1):
        wb.set(f"A{row}", serial)
    return wb


def test_the_list_names_registered_functions_and_only_they_refuse_ranges() -> None:
    assert FUNCTIONS.keys() >= ANALYSIS_TOOLPAK
    assert {name for name, spec in FUNCTIONS.items() if spec.refuses_ranges} == ANALYSIS_TOOLPAK


@pytest.mark.parametrize("formula", ["=EDATE(A1:A3,1)", "=EOMONTH(A1:A2,0)", "=YEARFRAC(A1,A2:A3)",
                                     "=ISEVEN(A1:A3)", "=WEEKNUM(A:A)", "=SUM(EDATE(A1:A3,1))",
                                     "=EDATE((A1:A3),1)", "=XIRR({-100,110},A1:A2,A2:A3)"])
def test_a_range_where_one_value_is_taken_is_value_error(formula: str) -> None:
    wb = dates()
    wb.set("C1", formula)
    assert wb.value("C1") == VALUE


def test_the_refusal_holds_in_a_legacy_array_formula_over_several_cells() -> None:
    wb = dates()
    wb.set_array_formula("C1:C3", "=EDATE(A1:A3,1)")
    assert [wb.value(f"C{row}") for row in (1, 2, 3)] == [VALUE] * 3


def test_an_array_in_the_same_place_is_taken_element_by_element() -> None:
    wb = dates()
    wb.set("C1", "=EDATE(+A1:A3,1)")  # spills C1:C3: Jan 31 + 1 month is Feb 29 (2024 is a leap year)
    assert [wb.value(f"C{row}") for row in (1, 2, 3)] == [45351.0, 45397.0, 45505.0]
    wb.set_array_formula("D1:D3", "=EOMONTH(A1:A3*1,0)")
    assert [wb.value(f"D{row}") for row in (1, 2, 3)] == [45322.0, 45382.0, 45504.0]


def test_one_cell_a_single_cell_range_and_an_intersection_are_one_value() -> None:
    wb = dates()
    wb.set("C1", "=EDATE(A2,1)")
    wb.set("C2", "=EDATE(A2:A2,1)")
    wb.set("C3", "=EDATE(@A1:A3,1)")  # row 3 meets A3
    assert [wb.value(f"C{row}") for row in (1, 2, 3)] == [45397.0, 45397.0, 45505.0]


def test_a_name_or_table_column_that_stands_for_a_range_is_refused_too() -> None:
    wb = Workbook()
    wb.set("A1", "When")
    wb.set("A2", JAN_31)
    wb.set("A3", MAR_15)
    wb.add_table("Dates", "Sheet1!A1:A3")
    wb.define_name("Starts", "=Sheet1!$A$2:$A$3")
    wb.define_name("First", "=Sheet1!$A$2")
    wb.set("C1", "=EDATE(Starts,1)")
    wb.set("C2", "=EDATE(Dates[When],1)")
    wb.set("C3", "=EDATE(First,1)")
    assert [wb.value(f"C{row}") for row in (1, 2, 3)] == [VALUE, VALUE, 45351.0]


def test_arguments_that_take_ranges_still_take_them() -> None:
    wb = Workbook()
    for row, (number, text) in enumerate([(12, "1+2i"), (18, "3-i"), (30, "2")], start=1):
        wb.set(f"A{row}", number)
        wb.set(f"B{row}", text)
    wb.set("C1", "=GCD(A1:A3)")
    wb.set("C2", "=IMSUM(B1:B3)")
    wb.set("C3", "=NETWORKDAYS(45322,45330,A1:A3)")  # holidays: a range is what it takes
    wb.set("C4", "=YEAR(A1:A3)")  # not a ToolPak function: lifts (spills)
    assert wb.value("C1") == 6.0
    assert wb.value("C2") == "6+i"
    assert wb.value("C3") == 7.0
    assert wb.value("C4") == 1900.0


def test_an_edit_never_turns_the_refusal_into_a_value() -> None:
    wb = dates()
    wb.set("C1", "=EDATE(A1:A2,1)")
    wb.set("A1", MAR_15)
    wb.set("A2", "")
    assert wb.value("C1") == VALUE


@pytest.mark.parametrize("formula", ["=LET(x,A1:A3,EDATE(x,1))", "=LAMBDA(x,EDATE(x,1))(A1:A3)",
                                     "=EDATE(CHOOSE(1,A1:A3),1)", "=EDATE(A1:INDEX(A:A,3),1)",
                                     '=EDATE(INDIRECT("A1:A3"),1)', "=EDATE(OFFSET(A1,0,0,3,1),1)",
                                     "=EDATE(A1:A2 A1:A3,1)", "=EDATE(Sheet1!A1:Sheet1!A3,1)"])
def test_a_range_only_evaluation_reveals_is_refused_too(formula: str) -> None:
    """References that LET/LAMBDA names, INDEX/CHOOSE/OFFSET/INDIRECT or the reference operators give."""
    wb = dates()
    wb.set("C1", formula)
    assert wb.value("C1") == VALUE


@pytest.mark.parametrize("formula", ["=EDATE(INDEX(A1:A3,2),1)", "=EDATE(OFFSET(A1,1,0),1)",
                                     "=LET(x,A2,EDATE(x,1))", '=EDATE(INDIRECT("A2"),1)', "=EDATE(A2:A3 A1:A2,1)"])
def test_a_computed_reference_to_one_cell_is_that_cells_value(formula: str) -> None:
    wb = dates()
    wb.set("C1", formula)
    assert wb.value("C1") == 45397.0  # 2024-03-15 + 1 month


def test_a_spill_reference_is_a_range() -> None:
    wb = dates()
    wb.set("E1", "=SEQUENCE(3)")
    wb.set("C1", "=ISODD(E1#)")
    wb.set("C2", "=ROWS(ISODD(+E1#))")  # its array lifts
    assert wb.value("C1") == VALUE and wb.value("C2") == 3
