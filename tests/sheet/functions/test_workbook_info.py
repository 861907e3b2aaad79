"""ISFORMULA, SHEET, SHEETS, CELL, INFO, N, TYPE, ERROR.TYPE and ISREF in workbooks of several sheets, following
edits and structural changes."""

from __future__ import annotations

from typing import Any

import pytest

from sheetrl.sheet import Workbook
from sheetrl.sheet.errors import ExcelError
from sheetrl.sheet.functions import FUNCTIONS
from sheetrl.sheet.functions.workbook_info import format_code
from sheetrl.sheet.values import Matrix

from .cases import case, run


def _three_sheets() -> Workbook:
    return Workbook(["Summary", "Data", "Notes"])


def test_sheet_numbers_follow_tab_order() -> None:
    wb = _three_sheets()
    wb.set("Summary!A1", "=SHEET()")
    wb.set("Summary!A2", "=SHEET(Notes!B2)")
    wb.set("Summary!A3", '=SHEET("data")')
    wb.set("Summary!A4", "=SHEETS()")
    wb.set("Notes!A1", "=SHEET()")
    assert [wb.value(f"Summary!A{r}") for r in range(1, 5)] == [1, 3, 2, 3]
    assert wb.value("Notes!A1") == 3


def test_sheet_functions_follow_sheets_added_renamed_and_removed() -> None:
    wb = _three_sheets()
    wb.set("Notes!A1", "=SHEET()")
    wb.set("Notes!A2", "=SHEETS()")
    wb.set("Notes!A3", '=SHEET("Extra")')
    assert wb.value("Notes!A3") is not None and str(wb.value("Notes!A3")) == "#N/A"
    wb.add_sheet("Extra")
    assert (wb.value("Notes!A1"), wb.value("Notes!A2"), wb.value("Notes!A3")) == (3, 4, 4)
    wb.remove_sheet("Data")
    assert (wb.value("Notes!A1"), wb.value("Notes!A2"), wb.value("Notes!A3")) == (2, 3, 3)
    wb.rename_sheet("Extra", "Later")
    assert str(wb.value("Notes!A3")) == "#N/A"


def test_isformula_follows_edits_of_the_referenced_cell() -> None:
    wb = Workbook()
    wb.set("B1", "=ISFORMULA(A1)")
    assert wb.value("B1") is False
    wb.set("A1", "=1+1")
    assert wb.value("B1") is True
    wb.set("A1", 2)
    assert wb.value("B1") is False


def test_isformula_on_another_sheet() -> None:
    wb = Workbook(["One", "Two"])
    wb.set("Two!C3", "=NOW()")
    wb.set("One!A1", "=ISFORMULA(Two!C3)")
    assert wb.value("One!A1") is True


def test_isformula_of_a_range_answers_for_each_cell() -> None:
    wb = Workbook()
    wb.set("A1", "=1+1")
    wb.set("A2", 5)
    wb.set("B2", '=""')
    wb.set("D1", "=ISFORMULA(A1:B3)")  # spills 3 rows x 2 columns
    assert wb.spill_range("D1") == "D1:E3"
    assert wb.values("D1:E3") == [[True, False], [False, True], [False, False]]
    wb.set("A3", "=A2")
    assert wb.value("D3") is True
    wb.set("G1", "=SUM(--ISFORMULA(A1:B3))")
    assert wb.value("G1") == 3


def test_isformula_sees_the_cells_of_a_legacy_array_formula() -> None:
    wb = Workbook()
    wb.set("A1", 1)
    wb.set("A2", 2)
    wb.set_array_formula("B1:B2", "=A1:A2*10")
    wb.set("D1", "=ISFORMULA(A1:B2)")
    assert wb.values("D1:E2") == [[False, True], [False, True]]


def test_isformula_in_a_legacy_array_formula_pads_with_na() -> None:
    wb = Workbook()
    wb.set("A1", "=1")
    wb.set_array_formula("D1:F1", "=ISFORMULA(A1:B1)")  # two answers in three cells: the third is #N/A
    assert [str(v) if not isinstance(v, bool) else v for v in wb.values("D1:F1")[0]] == [True, False, "#N/A"]


def test_cell_reads_formats_and_column_widths() -> None:
    wb = Workbook()
    wb.set("A1", 5)
    wb.set_format("A1", number_format="0.00%")
    wb.set("B1", "text")
    wb.set_format("B1", horizontal="center")
    wb.set_column_width("C", 20.7)
    wb.set("D1", '=CELL("format",A1)')
    wb.set("D2", '=CELL("prefix",B1)')
    wb.set("D3", '=CELL("width",C1)')
    wb.set("D4", '=CELL("address")')
    wb.set("D5", '=CELL("row")')
    assert [wb.value(f"D{r}") for r in range(1, 6)] == ["P2", "^", 20, "$D$4", 5]


def test_cell_address_on_another_sheet_names_it() -> None:
    wb = Workbook(["One", "Two Words"])
    wb.set("One!A1", '=CELL("address",\'Two Words\'!B2)')
    assert wb.value("One!A1") == "'Two Words'!$B$2"


def test_cell_is_refreshed_by_recalculation_after_a_format_change() -> None:
    wb = Workbook()
    wb.set("A1", 5)
    wb.set("B1", '=CELL("format",A1)')
    assert wb.value("B1") == "G"
    wb.set_format("A1", number_format="#,##0")
    wb.recalculate()
    assert wb.value("B1") == ",0"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("General", "G"), ("0", "F0"), ("#,##0", ",0"), ("0.00", "F2"), ("#,##0.00", ",2"),
        ("$#,##0_);($#,##0)", "C0"), ("$#,##0_);[Red]($#,##0)", "C0-"), ("$#,##0.00_);($#,##0.00)", "C2"),
        ("(#,##0)", ",0()"),
        ("0%", "P0"), ("0.00%", "P2"), ("0.00E+00", "S2"), ("# ?/?", "G"), ("m/d/yy", "D4"), ("d-mmm-yy", "D1"),
        ("d-mmm", "D2"), ("mmm-yy", "D3"), ("mm/dd", "D5"), ("h:mm AM/PM", "D7"), ("h:mm:ss AM/PM", "D6"),
        ("h:mm", "D9"), ("h:mm:ss", "D8"), ("0.00;[Red]-0.00", "F2-"), ("@", "@"), ("yyyy-mm-dd", "D4"),
    ],
)  # fmt: skip
def test_cell_format_codes(code: str, expected: str) -> None:
    assert format_code(code) == expected


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("info-system", '=INFO("system")', "pcdos"),
        case("info-release", '=INFO("release")', "16.0"),
        case("info-origin", '=INFO("origin")', "$A:$A$1"),
        case("info-osversion", '=INFO("osversion")', "#N/A"),
        case("info-case-insensitive", '=INFO("NUMFILE")', 1.0),
        case("cell-filename-unsaved", '=CELL("filename",A1)', ""),
        case("n-of-date-text-is-zero", '=N("2024-01-01")', 0.0),
        case("type-of-multi-cell-range", "=TYPE(A1:B2)", 64.0),
        case("error-type-of-text", '=ERROR.TYPE("#N/A")', "#N/A"),
        case("error-type-of-spill", '=ERROR.TYPE(A1)', 9.0, {"A1": ExcelError("#SPILL!")}),
        case("isref-of-intersection", "=ISREF(A1:C3 B2:D4)", True),
        case("isformula-of-value", "=ISFORMULA(5)", "#VALUE!"),
        case("sheets-of-value", "=SHEETS(5)", "#VALUE!"),
        case("sheet-of-number", "=SHEET(5)", "#N/A"),
    ],
)
def test_information(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


def test_error_type_of_a_cycle_stays_a_cycle() -> None:
    wb = Workbook()
    wb.set("A1", "=A2")
    wb.set("A2", "=A1")
    wb.set("B1", "=ERROR.TYPE(A1)")
    assert str(wb.value("B1")) == "#CYCLE!"


def test_outside_a_workbook_the_functions_answer_na() -> None:
    reference = Matrix(1, 1, [None], True, (0, 0, 0))
    assert str(FUNCTIONS["ISFORMULA"].impl(None, reference)) == "#N/A"
    assert str(FUNCTIONS["SHEETS"].impl(None)) == "#N/A"
    assert str(FUNCTIONS["CELL"].impl((0, 0, 0), None, "row", reference)) == "#N/A"


def test_structural_edits_and_undo_keep_the_workbook_readable() -> None:
    wb = Workbook(["One", "Two"])
    wb.set("Two!A1", "=SHEET()")
    wb.set("Two!B1", "=ISFORMULA(A1)")
    wb.insert_rows(1, 1, sheet="Two")  # rebuilds every container; the formulas move down a row
    assert wb.value("Two!A2") == 2
    assert wb.value("Two!B2") is True  # now ISFORMULA(A2)
    wb.set("Two!A2", 5)
    assert wb.value("Two!B2") is False
    wb.undo()
    assert wb.value("Two!B2") is True
    wb.set("Two!A2", 7)
    assert wb.value("Two!B2") is False


def test_each_workbook_sees_itself_after_a_clone() -> None:
    wb = Workbook()
    wb.set("B1", "=ISFORMULA(A1)")
    other = wb.clone()
    other.set("A1", "=1")
    assert other.value("B1") is True
    assert wb.value("B1") is False
