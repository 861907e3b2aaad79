"""References computed at run time and tracked dependencies: incremental recalculation equals a full one."""

from __future__ import annotations

from sheetrl.sheet import Workbook
from sheetrl.sheet.address import make_key
from sheetrl.sheet.errors import CYCLE, VALUE
from sheetrl.sheet.evaluation import (
    Area,
    AreaValues,
    Reference,
    clamp_to_extent,
    extent_key,
    reference_value,
)


def _agrees_with_full_recalculation(wb: Workbook, cells: str) -> None:
    incremental = wb.values(cells)
    fresh = wb.clone()
    fresh.recalculate()
    assert fresh.values(cells) == incremental


def test_indirect_dependencies_follow_what_it_reads() -> None:
    wb = Workbook()
    wb.set_range("A1", [[1], [2], [3]])
    wb.set("B1", 1)
    wb.set("C1", '=INDIRECT("A"&B1)*10')
    assert wb.value("C1") == 10
    wb.set("A1", 5)
    assert wb.value("C1") == 50
    wb.set("B1", 3)
    assert wb.value("C1") == 30
    wb.set("A1", 7)  # no longer read: C1 stays
    wb.set("A3", 9)
    assert wb.value("C1") == 90
    assert "Sheet1!A3" in wb.precedents("C1") and "Sheet1!A1" not in wb.precedents("C1")
    _agrees_with_full_recalculation(wb, "A1:C3")


def test_offset_chain_computed_in_the_right_order() -> None:
    # Each running total reads the previous one through OFFSET: the first full pass sees none of these edges.
    wb = Workbook()
    with wb.batch():
        for row in range(1, 51):
            wb.set(f"A{row}", row)
            wb.set(f"B{row}", f"=A{row}+IF(ROW()=1,0,OFFSET(B{row},-1,0))")
    assert wb.value("B50") == 50 * 51 / 2
    wb.set("A1", 101)
    assert wb.value("B50") == 50 * 51 / 2 + 100
    _agrees_with_full_recalculation(wb, "A1:B50")


def test_indirect_running_total_like_real_table_workbooks() -> None:
    wb = Workbook()
    wb.set("A1", 0)
    for row in range(2, 30):
        wb.set(f"A{row}", '=INDIRECT("A"&ROW()-1)+1')
    assert wb.value("A29") == 28
    wb.set("A1", 100)
    assert wb.value("A29") == 128


def test_reads_through_references_that_form_a_cycle_are_a_cycle() -> None:
    wb = Workbook()
    wb.set("A1", '=INDIRECT("B1")+1')
    wb.set("B1", "=A1+1")
    assert wb.value("A1") is CYCLE and wb.value("B1") is CYCLE
    wb.set("B1", 5)
    assert wb.value("A1") == 6


def test_range_ending_in_index_depends_on_the_whole_span() -> None:
    wb = Workbook()
    wb.set_range("A1", [[1, 10], [2, 20], [3, 30]])
    wb.set("D1", "=SUM(A1:INDEX(B1:B3,2))")  # A1:B2
    assert wb.value("D1") == 33
    wb.set("A2", 200)  # inside the span, not in INDEX's argument
    assert wb.value("D1") == 231
    _agrees_with_full_recalculation(wb, "A1:D3")


def test_clones_track_their_own_reads() -> None:
    wb = Workbook()
    wb.set_range("A1", [[1], [2]])
    wb.set("B1", 1)
    wb.set("C1", '=INDIRECT("A"&B1)')
    copy = wb.clone()
    copy.set("B1", 2)
    copy.set("A2", 20)
    wb.set("A1", 10)
    assert (wb.value("C1"), copy.value("C1")) == (10, 20)


def test_sheets_added_later_are_found() -> None:
    wb = Workbook()
    wb.set("A1", "=SUM(INDIRECT(\"Later!A1:A2\"))")
    wb.add_sheet("Later")
    wb.set("Later!A2", 4)
    assert wb.value("A1") == 4


def test_reference_value_is_implicit_intersection() -> None:
    values = {make_key(0, r, 0): float(r) for r in range(5)}
    column = Reference.area(0, 0, 0, 4, 0)
    assert reference_value(column, values, 3, 7) == 3.0
    assert reference_value(column, values, 9, 7) is VALUE
    union = Reference((Area(0, 0, 0, 0, 0), Area(0, 1, 1, 1, 1)))
    assert reference_value(union, values, 0, 0) is VALUE


def test_area_values_read_lazily_and_clamp_to_the_used_extent() -> None:
    cells = {make_key(2, r, c): r * 10 + c for r in range(4) for c in range(3)}
    cells[extent_key(2)] = (3, 2)
    whole = clamp_to_extent(Area(2, 0, 1, 1_048_575, 1), cells)
    assert whole == Area(2, 0, 1, 3, 1)
    view = AreaValues(2, 1, 0, 2, 3, cells)
    assert list(view) == [10, 11, 12, 20, 21, 22]
    assert view[1::3] == [11, 21] and view[-1] == 22 and len(view) == 6
