"""SUBTOTAL and AGGREGATE: nested subtotals are left out, and that follows edits."""

from __future__ import annotations

from sheetrl.sheet import Workbook

from .cases import evaluate


def _ledger() -> Workbook:
    wb = Workbook()
    for row, amount in enumerate([10, 20], start=1):
        wb.set(f"A{row}", amount)
    wb.set("A3", "=SUBTOTAL(9,A1:A2)")
    for row, amount in enumerate([5, 7], start=4):
        wb.set(f"A{row}", amount)
    wb.set("A6", "=SUBTOTAL(9,A4:A5)")
    wb.set("A7", "=SUBTOTAL(9,A1:A6)")
    return wb


def test_grand_total_counts_each_amount_once() -> None:
    wb = _ledger()
    assert wb.value("A3") == 30
    assert wb.value("A6") == 12
    assert wb.value("A7") == 42


def test_a_cell_becoming_a_subtotal_leaves_the_total() -> None:
    wb = _ledger()
    wb.set("A4", "=SUBTOTAL(9,A5)")
    assert wb.value("A7") == 10 + 20 + 7
    wb.set("A4", 5)
    assert wb.value("A7") == 42


def test_subtotal_on_another_sheet_skips_nested_subtotals_there() -> None:
    wb = Workbook(["Summary", "Data"])
    wb.set("Data!A1", 1)
    wb.set("Data!A2", "=SUBTOTAL(9,Data!A1)")
    wb.set("Summary!A1", "=SUBTOTAL(9,Data!A1:A2)")
    assert wb.value("Summary!A1") == 1


def test_aggregate_option_4_keeps_nested_subtotals() -> None:
    wb = _ledger()
    wb.set("B1", "=AGGREGATE(9,4,A1:A6)")
    assert wb.value("B1") == 10 + 20 + 30 + 5 + 7 + 12


def test_aggregate_ignores_errors_in_computed_arrays() -> None:
    cells = {"A1": 4, "A2": 0, "A3": 2}
    assert evaluate("=AGGREGATE(14,6,10/A1:A3,1)", cells) == 5
    assert evaluate("=AGGREGATE(15,6,10/A1:A3,1)", cells) == 2.5


def test_subtotal_without_a_workbook_keeps_every_cell() -> None:
    from sheetrl.sheet.functions import FUNCTIONS
    from sheetrl.sheet.values import Matrix

    column = Matrix(2, 1, [1.0, 2.0], True, (0, 0, 0))
    assert FUNCTIONS["SUBTOTAL"].impl(None, 9.0, column) == 3.0
