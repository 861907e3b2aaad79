"""Reference functions (INDEX, CHOOSE, OFFSET, INDIRECT, ROW(S), COLUMN(S), AREAS, ADDRESS, FORMULATEXT, HYPERLINK,
GETPIVOTDATA), checked through the workbook against Excel's documented results, values computed by hand."""

from __future__ import annotations

from typing import Any

import pytest

from sheetrl.sheet import Workbook
from sheetrl.sheet.errors import NA, REF, VALUE
from sheetrl.sheet.evaluation import Area, Reference
from sheetrl.sheet.functions.reference import (
    address,
    areas,
    index,
    indirect,
    offset,
    row,
    rows,
    trimrange,
)
from sheetrl.sheet.values import Matrix

from .cases import case, run

# A1:A5 10..50, B1:B5 names, C1:C5 1..5
GRID = {
    "A1": 10, "A2": 20, "A3": 30, "A4": 40, "A5": 50,
    "B1": "a", "B2": "b", "B3": "c", "B4": "d", "B5": "e",
    "C1": 1, "C2": 2, "C3": 3, "C4": 4, "C5": 5,
}  # fmt: skip


# ------------------------------------------------------------------------------------------ range operator
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("ends-with-index", "=SUM(A1:INDEX(A1:A5,3))", 60, GRID),
        case("starts-with-index", "=SUM(INDEX(A1:A5,4):A5)", 90, GRID),
        case("index-to-index", "=SUM(INDEX(A1:A5,2):INDEX(C1:C5,3))", 20 + 30 + 2 + 3, GRID),
        case("offset-end", "=SUM(A2:OFFSET(A2,2,0))", 90, GRID),
        case("indirect-end", '=SUM(D1:INDIRECT("A"&C3))', 66, GRID),  # A1:D3
        case("indirect-address-of-row-and-column", "=SUM(A1:INDIRECT(ADDRESS(ROW(A4),COLUMN(A4))))", 100, GRID),
        case("choose-end", "=COUNT(A1:CHOOSE(2,A1,C5))", 10, GRID),
        case("chained-ranges-span-all", "=SUM(A2:A3:A5)", 140, GRID),
        case("reversed-corners", "=SUM(INDEX(A1:A5,4):A2)", 90, GRID),
        case("error-end-propagates", "=SUM(A1:INDEX(A1:A5,9))", "#REF!", GRID),
        case("ref-error-end", "=SUM(#REF!:B4)", "#REF!"),
        case("value-end-is-value-error", "=SUM(A1:(1+1))", "#VALUE!", GRID),
        case("qualified-ends", "=SUM(Sheet1!A1:'Sheet1'!A2)", 30, GRID),
    ],
)
def test_range_operator(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


def test_range_from_a_function_is_implicitly_intersected_by_at() -> None:
    wb = Workbook()
    for address_, value in GRID.items():
        wb.set(address_, value)
    wb.set("F3", "=@A1:INDEX(A1:A5,5)")  # row 3 of A1:A5
    wb.set("F9", "=@A1:INDEX(A1:A5,5)")  # no row 9 in it
    assert wb.value("F3") == 30
    assert wb.value("F9") is VALUE


# --------------------------------------------------------------------------------------- union, intersection
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("union-sum", "=SUM((A1:A2,C4:C5))", 39, GRID),
        case("union-count-and-counta", "=COUNT((A1,B1,C1))+COUNTA((A1,B1,C1))*10", 32, GRID),
        case("union-max-min", "=MAX((A1,C5))-MIN((A1,C5))", 5, GRID),
        case("union-large", "=LARGE((A1:A2,C1:C5),2)", 10, GRID),
        case("union-rank", "=RANK(C4,(C1,C2,C3,C4),1)", 4, GRID),
        case("union-areas", "=AREAS((A1:A2,C4:C5,B1))", 3, GRID),
        case("union-index-area", "=INDEX((A1:A5,C1:C5),3,1,2)", 3, GRID),
        case("union-in-scalar-position", "=(A1,A2)+1", "#VALUE!", GRID),
        case("union-rows", "=ROWS((A1:A2,C1))", "#REF!", GRID),  # as Excel cached it
        case("intersection-of-three-ranges", "=A1:C5 B3:D3 B1:B5", "c", GRID),
        case("two-cell-intersection-outside-its-row", "=@(A1:C5 B3:D3)", "#VALUE!", GRID),
        case("intersection-with-index", "=SUM(A1:C5 INDEX(A1:C5,4,0))", 44, GRID),
        case("intersection-with-indirect", '=A1:A5 INDIRECT("3:3")', 30, GRID),
        case("empty-intersection", "=SUM(A1:A2 C4:C5)", "#NULL!", GRID),
    ],
)
def test_union_and_intersection(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# ------------------------------------------------------------------------------------------------------ INDEX
def test_index_of_a_union_picks_an_area() -> None:
    union = Reference((Area(0, 0, 0, 4, 0), Area(0, 0, 2, 4, 2)))
    assert index(union, 2.0, 1.0, 2.0) == Reference.area(0, 1, 2, 1, 2)
    assert index(union, 1.0, 1.0, 3.0) is REF
    assert index(union, 9.0, 1.0, 1.0) is REF


def test_index_whole_column_and_row_of_a_reference() -> None:
    area = Reference.area(1, 4, 2, 8, 5)  # rows 5-9, columns C-F of sheet 1
    assert index(area, 0.0, 2.0) == Reference.area(1, 4, 3, 8, 3)
    assert index(area, 3.0, 0.0) == Reference.area(1, 6, 2, 6, 5)
    assert index(area, 0.0, 0.0) == area


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("whole-column-sum", "=SUM(INDEX(A1:C5,0,3))", 15, GRID),
        case("blank-cell-as-row-means-whole-column", "=SUM(INDEX(A1:C5,H1,1))", 150, GRID),
        case("index-in-array-mode", "=SUMPRODUCT(INDEX(A1:A5,{1,3,5}))", 90, GRID),
        case("index-of-array-lifted", "=SUMPRODUCT(INDEX({1,2,3,4},{2,4}))", 6),
        case("rows-of-index-column", "=ROWS(INDEX(A1:C5,0,2))", 5, GRID),
        case("match-result-feeds-arithmetic", "=INDEX(A1:A5,MATCH(40,A1:A5,0))+1", 41, GRID),
    ],
)
def test_index(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# ----------------------------------------------------------------------------------------------------- OFFSET
def test_offset_moves_and_resizes() -> None:
    base = Reference.area(0, 4, 4, 4, 4)  # E5
    assert offset(base, 1.0, 2.0) == Reference.area(0, 5, 6, 5, 6)
    assert offset(base, 0.0, 0.0, 3.0, 2.0) == Reference.area(0, 4, 4, 6, 5)
    assert offset(base, 0.0, 0.0, -3.0, -2.0) == Reference.area(0, 2, 3, 4, 4)  # up and left
    assert offset(base, -5.0, 0.0) is REF  # above row 1
    assert offset(base, 0.0, 0.0, 0.0) is REF
    assert offset(Reference.area(0, 0, 0, 1, 1), 1.0, 1.0) == Reference.area(0, 1, 1, 2, 2)  # keeps 2x2
    assert offset(7.0, 0.0, 0.0) is VALUE
    assert offset(Reference((Area(0, 0, 0, 0, 0), Area(0, 3, 3, 3, 3))), 0.0, 0.0) is VALUE


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("cell", "=OFFSET(A1,3,2)", 4, GRID),
        case("dynamic-sum-by-count", "=SUM(OFFSET(A1,0,0,COUNT(A:A),1))", 150, GRID),
        case("moving-window", "=AVERAGE(OFFSET(A1,COUNT(A1:A5)-2,0,2))", 45, GRID),
        case("text-row-offset-is-coerced", '=OFFSET(A1,"2",0)', 30, GRID),
        case("bad-text-row-offset", '=OFFSET(A1,"x",0)', "#VALUE!", GRID),
        case("past-last-column", "=OFFSET(XFD1,0,1)", "#REF!"),
        case("columns-of-result", "=COLUMNS(OFFSET(A1,0,0,1,4))", 4),
        # sizes truncate toward zero, but one between 0 and 1 is 1 (Excel's cached values, IronCalc's tests)
        case("fractional-width-is-one", "=SUM(OFFSET(A1,0,0,3,0.9))", 60, GRID),
        case("fractional-height-truncates", "=SUM(OFFSET(A1,0,0,3.99,1))", 60, GRID),
        case("zero-width-is-ref-error", "=SUM(OFFSET(A1,0,0,3,0))", "#REF!", GRID),
    ],
)
def test_offset(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# --------------------------------------------------------------------------------------------------- INDIRECT
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("a1-cell", '=INDIRECT("C4")', 4, GRID),
        case("other-sheet-missing", '=INDIRECT("Nowhere!A1")', "#REF!", GRID),
        case("quoted-own-sheet", "=INDIRECT(\"'Sheet1'!A2\")", 20, GRID),
        case("r1c1-relative-row", '=INDIRECT("R[-98]C1",FALSE)', 10, GRID),  # the formula is in Z99
        case("r1c1-current-row", '=INDIRECT("RC[-24]",FALSE)', 0, GRID),  # B99, an empty cell
        case("r1c1-whole-column", '=SUM(INDIRECT("C3",FALSE))', 15, GRID),
        case("r1c1-range", '=SUM(INDIRECT("R1C3:R2C3",FALSE))', 3, GRID),
        case("r1c1-own-column", '=INDIRECT("R1C",FALSE)', 0, GRID),  # row 1 of the formula's column: Z1, empty
        case("r1c1-not-a-reference", '=INDIRECT("R1X",FALSE)', "#REF!", GRID),
        case("leading-equals-is-ref-error", '=INDIRECT("=A1")', "#REF!", GRID),
        case("a1-false-by-empty-argument", '=INDIRECT("R1C1",)', 10, GRID),
        case("range-operator-text", '=SUM(INDIRECT("A1:A2:A4"))', 100, GRID),
        # rows written with leading zeros, as Excel reads them (IronCalc's ROW_COLUM.xlsx, cached by Excel)
        case("leading-zero-row", '=INDIRECT("A03")', 30, GRID),
        case("leading-zeros-in-range", '=SUM(INDIRECT("Sheet1!$A$002:A04"))', 90, GRID),
        case("leading-zero-row-range", '=ROW(INDIRECT("05:05"))', 5, GRID),
        case("leading-zeros-stay-in-names", '=INDIRECT("Rate01")', "#REF!", GRID),
    ],
)
def test_indirect(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


def test_indirect_reads_other_sheets_and_follows_them() -> None:
    wb = Workbook(["Main", "Data"])
    wb.set("Data!B2", 7)
    wb.set("Main!A1", "Data")
    wb.set("Main!B1", '=INDIRECT(A1&"!B2")*2')
    assert wb.value("Main!B1") == 14
    wb.set("Data!B2", 8)
    assert wb.value("Main!B1") == 16
    wb.set("Main!A1", "Later")
    assert wb.value("Main!B1") is REF
    wb.add_sheet("Later")
    wb.set("Later!B2", 100)
    assert wb.value("Main!B1") == 200


def test_indirect_outside_a_recalculation_is_ref_error() -> None:
    assert indirect((0, 0, 0), "A1") is REF


# ------------------------------------------------------------------------------------------ ROW(S), COLUMN(S)
def test_row_and_rows_of_references_and_arrays() -> None:
    assert row((0, 6, 2)) == 7.0  # no argument: the formula's own row
    assert row((0, 0, 0), Reference.area(0, 2, 0, 2, 3)) == 3.0
    tall = row((0, 0, 0), Reference.area(0, 2, 0, 4, 0))
    assert tall.rows == 3 and list(tall.values) == [3.0, 4.0, 5.0]
    assert rows(Reference.area(0, 0, 0, 1_048_575, 0)) == 1_048_576.0
    assert rows(5.0) == 1.0
    assert row((0, 0, 0), "A1") is VALUE


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("row-of-own-cell", "=ROW()", 99),
        case("column-of-own-cell", "=COLUMN()", 26),
        case("row-difference-numbering", "=ROW()-ROW($A$1)+1", 99),
        case("row-in-sumproduct", "=SUMPRODUCT((A1:A5>20)*ROW(A1:A5))", 12, GRID),
        case("column-of-range-first", "=COLUMN(C1:E9)", 3),
        case("rows-of-union-is-ref-error", "=ROWS((A1,A2))", "#REF!"),
        case("columns-of-whole-row", "=COLUMNS(5:5)", 16384),
        case("row-of-whole-row", "=ROW(5:5)", 5),
        case("areas-of-value-is-value-error", "=AREAS(5)", "#VALUE!"),
    ],
)
def test_row_column(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


def test_row_of_own_cell_does_not_depend_on_it() -> None:
    wb = Workbook()
    wb.set("B7", "=ROW(B7)*10+COLUMNS(B7:D7)")
    assert wb.value("B7") == 73  # no circular reference: ROW reads the address only


def test_areas_counts_a_union() -> None:
    assert areas(Reference((Area(0, 0, 0, 0, 0), Area(0, 2, 2, 3, 3)))) == 2.0
    assert areas("x") is VALUE


# ---------------------------------------------------------------------------------------------------- ADDRESS
def test_address_modes_and_sheets() -> None:
    assert address(3.0, 28.0) == "$AB$3"
    assert address(3.0, 28.0, 4.0) == "AB3"
    assert address(3.0, 28.0, 2.0, False) == "R3C[28]"
    assert address(3.0, 28.0, 3.0, None) == "R[3]C28"  # an empty a1 argument means R1C1
    assert address(1.0, 1.0, 1.0, True, "2024") == "'2024'!$A$1"
    assert address(1.0, 1.0, 1.0, True, "[Book1]Sheet1") == "[Book1]Sheet1!$A$1"
    assert address(1.0, 1.0, 1.0, True, "") == "!$A$1"
    assert address(1_048_577.0, 1.0) is VALUE
    assert address(1.0, 1.0, 0.0) is VALUE


# ---------------------------------------------------------------------------------------- FORMULATEXT, HYPERLINK
def test_formulatext_follows_the_cell_it_reads() -> None:
    wb = Workbook()
    wb.set("A1", "=1+2")
    wb.set("B1", "=FORMULATEXT(A1)")
    assert wb.value("B1") == "=1+2"
    wb.set("A1", "=SUM(C1:C3)")
    assert wb.value("B1") == "=SUM(C1:C3)"
    wb.set("A1", 5)
    assert wb.value("B1") is NA
    wb.set("C1", '=FORMULATEXT(INDIRECT("A"&D1))')
    wb.set("D1", 1)
    wb.set("A1", "=D1*2")
    assert wb.value("C1") == "=D1*2"


def test_formulatext_of_a_range_answers_for_each_cell() -> None:
    wb = Workbook()
    wb.set("A1", "=1+2")
    wb.set("A3", "=A1*2")
    wb.set("C1", "=FORMULATEXT(A1:A3)")
    assert wb.spill_range("C1") == "C1:C3"
    assert wb.values("C1:C3") == [["=1+2"], [NA], ["=A1*2"]]
    wb.set("D1", "=FORMULATEXT(A:A)")  # a whole column: the used rows only
    assert wb.spill_range("D1") == "D1:D3"
    wb.set("E1", "=@FORMULATEXT(A1:A3)")
    assert wb.value("E1") == "=1+2"
    wb.set("E2", "=FORMULATEXT((A1,A3))")
    assert wb.value("E2") is VALUE


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("friendly-name-from-cell", '=HYPERLINK("http://x.org",A1)', "site", {"A1": "site"}),
        case("empty-friendly-cell-shows-zero", '=HYPERLINK("http://x.org",A1)', 0),
        case("error-link-propagates", "=HYPERLINK(1/0)", "#DIV/0!"),
    ],
)
def test_hyperlink(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# ----------------------------------------------------------------------------------------------- GETPIVOTDATA
def _pivot_workbook() -> Workbook:
    wb = Workbook()
    wb.set_range("A1", [
        ["Region", "Quarter", "Sales"],
        ["East", "Q1", 10], ["East", "Q2", 20], ["West", "Q1", 5], ["East", "Q1", 1],
    ])  # fmt: skip
    wb.add_pivot("A1:C5", rows="Region", values="Sales", columns="Quarter", anchor="F1")
    return wb


def test_getpivotdata_reads_totals_rows_and_cells() -> None:
    wb = _pivot_workbook()
    wb.set("K1", '=GETPIVOTDATA("Sales",F1)')
    wb.set("K2", '=GETPIVOTDATA("Sales",F1,"Region","east")')
    wb.set("K3", '=GETPIVOTDATA("Sum of Sales",$F$1,"Region","East","Quarter","Q1")')
    wb.set("K4", '=GETPIVOTDATA("Sales",F1,"Quarter","Q2")')
    wb.set("K5", '=GETPIVOTDATA("Sales",F1,"Region","North")')
    wb.set("K6", '=GETPIVOTDATA("Profit",F1)')
    wb.set("K7", '=GETPIVOTDATA("Sales",A1)')
    wb.set("K8", '=GETPIVOTDATA("Sales",F1,"Region","West","Quarter","Q2")')  # no record: an empty cell
    assert wb.values("K1:K8") == [[36], [31], [11], [20], [REF], [REF], [REF], [REF]]


def test_getpivotdata_follows_the_pivot_when_its_data_change() -> None:
    wb = _pivot_workbook()
    wb.set("K1", '=GETPIVOTDATA("Sales",F1,"Region","West")')
    assert wb.value("K1") == 5
    wb.set("C4", 50)
    assert wb.value("K1") == 50
    full = wb.clone()
    full.recalculate()
    assert full.value("K1") == 50


# ------------------------------------------------------------------------------ errors where ranges are expected
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        # as Excel cached them in a real workbook whose referenced sheet had been deleted
        case("sumif-of-deleted-reference", '=SUMIF(#REF!,">0")', "#REF!"),
        case("countif-of-deleted-reference", "=COUNTIF(#REF!,1)", "#REF!"),
        case("index-match-over-deleted-references", "=INDEX(#REF!:#REF!,COUNTA(#REF!:#REF!),MATCH(1,#REF!,0))",
             "#REF!"),
        case("countif-of-failed-indirect", '=COUNTIF(INDIRECT("no such"),1)', "#REF!"),
        case("vlookup-of-failed-offset", "=VLOOKUP(1,OFFSET(A1,-1,0,2,2),2,FALSE)", "#REF!"),
        case("iserror-still-sees-it", '=ISERROR(INDIRECT("no such"))', True),
        case("iferror-catches-it", '=IFERROR(COUNTIF(INDIRECT("no such"),1),"none")', "none"),
    ],
)
def test_an_error_where_a_range_is_expected_propagates(
    formula: str, expected: Any, cells: dict[str, Any] | None
) -> None:
    run(formula, expected, cells)


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        # as Excel cached them in the formulas library's test.xlsx
        case("intersection-distributes-over-a-union", "=AREAS(((F4:G4,G4:I4,F6:G6,G6:I6) G3:G11))", 4),
        case("columns-of-a-union", "=COLUMNS((D15:G15,I15:J15))", "#REF!"),
        case("index-of-two-dimensional-range-needs-a-column", "=INDEX(C52:E53,2)", "#REF!"),
        case("index-negative-row-first", "=INDEX(C52:E53,-1)", "#VALUE!"),
        case("address-with-an-empty-sheet-cell", "=ADDRESS(1,3,4,TRUE,H3)", "!C1"),
    ],
)
def test_reference_edge_cases_excel_cached(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# ------------------------------------------------------------------------------------------------- TRIMRANGE
# B2 = 1 and C4 = "x" inside A1:D9: the used block is B2:C4 (3 rows, 2 columns); D6 holds an error.
SPARSE = {"B2": 1, "C4": "x"}


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("trim-both-rows", "=ROWS(TRIMRANGE(A1:D9))", 3, SPARSE),
        case("trim-both-cols", "=COLUMNS(TRIMRANGE(A1:D9))", 2, SPARSE),
        case("trim-top-left-cell", "=INDEX(TRIMRANGE(A1:D9),1,1)", 1, SPARSE),
        case("trim-leading-rows-only", "=ROWS(TRIMRANGE(A1:D9,1,0))", 8, SPARSE),  # rows 2..9
        case("trim-trailing-rows-only", "=ROWS(TRIMRANGE(A1:D9,2,0))", 4, SPARSE),  # rows 1..4
        case("trim-leading-cols-only", "=COLUMNS(TRIMRANGE(A1:D9,0,1))", 3, SPARSE),  # B..D
        case("trim-trailing-cols-only", "=COLUMNS(TRIMRANGE(A1:D9,0,2))", 3, SPARSE),  # A..C
        case("trim-nothing", "=ROWS(TRIMRANGE(A1:D9,0,0))*COLUMNS(TRIMRANGE(A1:D9,0,0))", 36, SPARSE),
        case("mode-as-numeric-text", '=ROWS(TRIMRANGE(A1:D9,"2",0))', 4, SPARSE),
        case("mode-not-integer", "=TRIMRANGE(A1:D9,2.3)", "#VALUE!", SPARSE),
        case("mode-text-not-integer", '=TRIMRANGE(A1:D9,"3.3")', "#VALUE!", SPARSE),
        case("mode-above-three", "=TRIMRANGE(A1:D9,4)", "#VALUE!", SPARSE),
        case("mode-error-propagates", "=TRIMRANGE(A1:D9,1/0)", "#DIV/0!", SPARSE),
        case("empty-range-is-ref-error", "=TRIMRANGE(F1:G5)", "#REF!", SPARSE),
        case("empty-range-trimmed-one-way-is-ref-error", "=TRIMRANGE(F1:G5,0,2)", "#REF!", SPARSE),
        case("empty-range-untrimmed-stays", "=ROWS(TRIMRANGE(F1:G5,0,0))", 5, SPARSE),
        case("error-cell-is-not-empty", "=ROWS(TRIMRANGE(A1:D9))", 5, {**SPARSE, "D6": "=1/0"}),
        case("error-cell-read-by-sum", "=SUM(TRIMRANGE(A1:D9))", "#DIV/0!", {**SPARSE, "D6": "=1/0"}),
        case("empty-text-is-not-empty", '=ROWS(TRIMRANGE(A1:D9))', 6, {**SPARSE, "A7": '=""'}),
        case("whole-column", "=SUM(TRIMRANGE(A:A))", 6, {"A3": 1, "A5": 5}),
        case("whole-column-rows", "=ROWS(TRIMRANGE(A:A))", 3, {"A3": 1, "A5": 5}),
        case("whole-column-trailing-only", "=ROWS(TRIMRANGE(A:A,2))", 5, {"A3": 1, "A5": 5}),
        case("whole-row", "=COLUMNS(TRIMRANGE(2:2))", 2, {"C2": 1, "D2": 5}),
        case("range-operator-end", "=SUM(A1:TRIMRANGE(A1:A9))", 6, {"A3": 1, "A5": 5}),
        case("union-is-value-error", "=TRIMRANGE((A1:A2,B1:B2))", "#VALUE!", SPARSE),
        case("array-kept-whole", "=COLUMNS(TRIMRANGE({1,2,3}))", 3, None),
    ],
)
def test_trimrange(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


def test_trimrange_of_an_array_drops_its_empty_edges() -> None:
    grid = Matrix(3, 3, [None, None, None, None, 2.0, None, None, 3.0, None])
    trimmed = trimrange(grid)
    assert (trimmed.rows, trimmed.cols, trimmed.values) == (2, 1, [2.0, 3.0])
    assert trimrange(grid, 2.0, 1.0).values == [None, None, 2.0, None, 3.0, None]  # rows 1..3, columns 2..3
    assert trimrange(Matrix(1, 2, [None, None])) is REF


def test_trimrange_spills_the_trimmed_block() -> None:
    wb = Workbook()
    for address_, value in SPARSE.items():
        wb.set(address_, value)
    wb.set("F1", "=TRIMRANGE(A1:D9)")
    assert wb.spill_range("F1") == "F1:G3"
    assert wb.values("F1:G3") == [[1.0, 0.0], [0.0, 0.0], [0.0, "x"]]


def test_trimrange_of_an_array_of_modes_gives_an_array_of_value_errors() -> None:
    wb = Workbook()
    wb.set("A1", 1)
    wb.set("A2", 2)
    wb.set("F1", "=TRIMRANGE(A1:B3,{1,1},2)")  # each element would be a range: #VALUE! (Excel's cached values)
    assert wb.spill_range("F1") == "F1:G1"
    assert [str(v) for v in wb.values("F1:G1")[0]] == ["#VALUE!", "#VALUE!"]


def test_trimrange_follows_a_cell_becoming_non_empty_beyond_its_edge() -> None:
    wb = Workbook()
    wb.set("A2", 1)
    wb.set("A3", 2)
    wb.set("C1", "=SUM(TRIMRANGE(A:A))")
    wb.set("C2", "=ROWS(TRIMRANGE(A1:A100))")
    wb.set("F1", "=TRIMRANGE(A:A)")
    assert (wb.value("C1"), wb.value("C2"), wb.spill_range("F1")) == (3, 2, "F1:F2")
    wb.set("A50", 10)  # beyond the trimmed edge (and beyond the used extent)
    assert (wb.value("C1"), wb.value("C2"), wb.spill_range("F1")) == (13, 49, "F1:F49")
    wb.set("A2", None)  # the leading edge moves down
    assert (wb.value("C1"), wb.value("C2"), wb.spill_range("F1")) == (12, 48, "F1:F48")
    wb.set("A50", None)
    wb.set("A3", None)
    assert str(wb.value("C1")) == "#REF!"
    assert str(wb.value("F1")) == "#REF!"


# ------------------------------------------------------------------------------------------------ ANCHORARRAY
def test_anchorarray_of_a_computed_anchor_is_the_spill_and_follows_it() -> None:
    wb = Workbook()
    wb.set("A1", "=SEQUENCE(3,2)")
    wb.set("D1", "=SUM(ANCHORARRAY(OFFSET(A1,0,0)))")
    wb.set("D2", '=ROWS(ANCHORARRAY(INDIRECT("A1")))')
    wb.set("F1", "=ANCHORARRAY(OFFSET(A1,0,0))")  # spills the spill
    assert (wb.value("D1"), wb.value("D2"), wb.value("G3")) == (21, 3, 6)
    wb.set("A1", "=SEQUENCE(4,2)")  # the spill grows: every reader follows
    assert (wb.value("D1"), wb.value("D2"), wb.value("G4")) == (36, 4, 8)
    wb.set("A1", 7)  # no spill any more
    assert [str(wb.value(c)) for c in ("D1", "D2", "F1")] == ["#REF!"] * 3
    wb.set("A1", "=SEQUENCE(2)")  # and again
    assert (wb.value("D1"), wb.value("D2"), wb.value("F2")) == (3, 2, 2)


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("=ANCHORARRAY(OFFSET(A1,0,0,2,1))", "#REF!"),  # an anchor is one cell
        ("=ANCHORARRAY(OFFSET(C1,0,0))", "#REF!"),  # an empty cell spills nothing
        ("=ANCHORARRAY(5)", "#VALUE!"),  # not a reference
        ("=ANCHORARRAY(A1#)", "#REF!"),  # a spill is no anchor
        ("=ANCHORARRAY(1/0)", "#DIV/0!"),
        ("=SUM(ANCHORARRAY(A1:A1))", 6),  # a one-cell range is the anchor
    ],
)
def test_anchorarray_arguments(formula: str, expected: Any) -> None:
    wb = Workbook()
    wb.set("A1", "=SEQUENCE(3)")
    wb.set("E1", formula)
    assert str(wb.value("E1")) == str(expected)


def test_anchorarray_of_a_cell_is_the_spill_reference() -> None:
    wb = Workbook()
    wb.set("A1", "=SEQUENCE(2)")
    wb.set("B1", "=ANCHORARRAY(A1)")  # how files spell A1#
    assert type(wb.formula_node("B1")).__name__ == "SpillRef"
    assert (wb.value("B1"), wb.value("B2")) == (1, 2)
