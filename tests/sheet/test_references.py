"""Fill/copy reference adjustment and row/column insertion/deletion, with Excel's rules."""

import pytest

from sheetrl.sheet import AddressError, Workbook
from sheetrl.sheet.errors import REF


def test_fill_down_moves_relative_refs_and_keeps_absolute_refs():
    wb = Workbook()
    wb.set_range("A1", [[1], [2], [3]])
    wb.set("C1", 10)
    wb.set("B1", "=A1*$C$1+A$1+$A1")
    wb.fill("B1", "B2:B3")
    assert wb.formula("B2") == "=A2*$C$1+A$1+$A2"
    assert wb.formula("B3") == "=A3*$C$1+A$1+$A3"
    assert wb.values("B1:B3") == [[12], [23], [34]]


def test_a_range_whose_relative_end_crosses_its_absolute_end_keeps_each_dollar_with_its_corner():
    """``=SUM(A1:A$1)`` filled down is Excel's running total ``=SUM(A$1:A2)``, ``=SUM(A$1:A3)`` ...: the anchored
    end stays anchored however far the fill goes (the relative end used to be renormalized as the absolute one)."""
    wb = Workbook()
    for row in range(1, 9):
        wb.set(f"A{row}", row)
        wb.set(f"C{row}", 10 * row)
    wb.set("B1", "=SUM(A1:A$1)")
    wb.fill("B1", "B2:B4")
    wb.fill("B4", "B5:B8")  # filling from a filled cell goes on the same way
    assert [wb.formula(f"B{row}") for row in (2, 4, 8)] == ["=SUM(A$1:A2)", "=SUM(A$1:A4)", "=SUM(A$1:A8)"]
    assert wb.value("B8") == 36
    wb.set("D1", "=SUM(B1:$A1)")  # the same across columns
    wb.fill("D1", "E1:F1")
    assert [wb.formula(c) for c in ("E1", "F1")] == ["=SUM($A1:C1)", "=SUM($A1:D1)"]
    wb.copy_range("B8", "B9")
    assert wb.formula("B9") == "=SUM(A$1:A9)"


def test_fill_right_moves_columns():
    wb = Workbook()
    wb.set_range("A1", [[1, 2, 3]])
    wb.set("A2", "=SUM($A1:A1)")
    wb.fill("A2", "B2:C2")
    assert wb.formula("C2") == "=SUM($A1:C1)"
    assert wb.values("A2:C2") == [[1, 3, 6]]


def test_fill_off_the_grid_gives_ref_error():
    wb = Workbook()
    wb.set("A2", "=A1")
    wb.fill("A2", "A1")
    assert wb.formula("A1") == "=#REF!"
    assert wb.value("A1") is REF


def test_fill_copies_literals_and_formats():
    wb = Workbook()
    wb.set("A1", 7)
    wb.set_format("A1", bold=True)
    wb.fill("A1", "A2:A4")
    assert wb.values("A1:A4") == [[7]] * 4
    assert wb.format("A4").bold


def test_fill_is_one_undo_step():
    wb = Workbook()
    wb.set("A1", "=ROW_PLACEHOLDER")
    wb.set("A1", "=B1+1")
    wb.fill("A1", "A2:A5")
    wb.undo()
    assert wb.values("A2:A5") == [[None]] * 4


def test_copy_range_adjusts_references_and_keeps_source():
    wb = Workbook()
    wb.set_range("A1", [[1, "=A1*2"], [3, "=A2*2"]])
    wb.copy_range("A1:B2", "D5")
    assert wb.formula("E5") == "=D5*2"
    assert wb.values("D5:E6") == [[1, 2], [3, 6]]
    assert wb.values("A1:B2") == [[1, 2], [3, 6]]


def test_copy_onto_overlapping_range_uses_the_original_contents():
    wb = Workbook()
    wb.set_range("A1", [[1], [2], [3]])
    wb.copy_range("A1:A3", "A2")
    assert wb.values("A1:A4") == [[1], [1], [2], [3]]


def test_insert_rows_moves_cells_and_references():
    wb = Workbook()
    wb.set_range("A1", [[1], [2], [3]])
    wb.set("B1", "=SUM(A1:A3)")
    wb.set("B2", "=A3*10")
    wb.insert_rows(2, 2)
    assert wb.values("A1:A5") == [[1], [None], [None], [2], [3]]
    assert wb.formula("B1") == "=SUM(A1:A5)"
    assert wb.formula("B4") == "=A5*10"
    assert wb.value("B4") == 30
    wb.set("A2", 100)
    assert wb.value("B1") == 106


def test_insert_rows_keeps_absolute_markers_and_moves_them():
    wb = Workbook()
    wb.set("A5", 2)
    wb.set("B1", "=$A$5*2")
    wb.insert_rows(1)
    assert wb.formula("B2") == "=$A$6*2" and wb.value("B2") == 4


def test_delete_rows_gives_ref_error_for_deleted_cells_and_shrinks_ranges():
    wb = Workbook()
    wb.set_range("A1", [[1], [2], [3], [4]])
    wb.set("B1", "=SUM(A1:A4)")
    wb.set("C1", "=A2")
    wb.set("D1", "=A4")
    wb.delete_rows(2, 2)
    assert wb.formula("B1") == "=SUM(A1:A2)" and wb.value("B1") == 5
    assert wb.formula("C1") == "=#REF!" and wb.value("C1") is REF
    assert wb.formula("D1") == "=A2" and wb.value("D1") == 4


def test_delete_a_whole_referenced_range_gives_ref_error():
    wb = Workbook()
    wb.set_range("A1", [[1], [2], [3]])
    wb.set("B5", "=SUM(A2:A3)")
    wb.delete_rows(2, 2)
    assert wb.value("B3") is REF


def test_insert_and_delete_columns():
    wb = Workbook()
    wb.set_range("A1", [[1, 2, 3]])
    wb.set("F2", "=A1+C1")
    wb.insert_columns(2)
    assert wb.formula("G2") == "=A1+D1" and wb.values("A1:D1") == [[1, None, 2, 3]]
    assert wb.value("G2") == 4
    wb.delete_columns(1)
    assert wb.formula("F2") == "=#REF!+C1"
    assert wb.value("F2") is REF


def test_insert_rows_on_another_sheet_rewrites_cross_sheet_refs_only():
    wb = Workbook(["Data", "Report"])
    wb.set("Data!A1", 5)
    wb.set("Report!A1", "=Data!A1")
    wb.set("Report!B1", "=A1")
    wb.insert_rows(1, sheet="Data")
    assert wb.formula("Report!A1") == "=Data!A2" and wb.value("Report!A1") == 5
    assert wb.formula("Report!B1") == "=A1"


@pytest.mark.parametrize("args", [(0, 1), (1, 0), (1_048_577, 1), ("2", 1)])
def test_bad_insert_positions_raise(args):
    wb = Workbook()
    with pytest.raises(AddressError):
        wb.insert_rows(*args)


def test_formats_and_widths_move_with_inserted_columns():
    wb = Workbook()
    wb.set_format("B1", bold=True)
    wb.set_column_width("B", 30)
    wb.insert_columns(1)
    assert wb.format("C1").bold and not wb.format("B1").bold
    assert wb.column_width("C") == 30


def test_insert_and_delete_rewrite_range_operators_and_unions() -> None:
    wb = Workbook()
    wb.set_range("A1", [[1], [2], [3], [4]])
    wb.set("C1", "=SUM(A1:INDEX(A1:A4,3))+SUM((A1,A4))")
    wb.insert_rows(2, 1)
    assert wb.formula("C1") == "=SUM(A1:INDEX(A1:A5,3))+SUM((A1,A5))"
    assert wb.value("C1") == 1 + 0 + 2 + 1 + 4  # A1:A3 now holds 1, empty, 2
    wb.delete_rows(5, 1)
    assert wb.formula("C1") == "=SUM(A1:INDEX(A1:A4,3))+SUM((A1,#REF!))"
    assert wb.value("C1") is REF


def test_renaming_a_sheet_renames_sheet_qualified_names() -> None:
    wb = Workbook(["Main", "Data"])
    wb.define_name("Total", "=42", sheet="Data")
    wb.set("Main!A1", "=Data!Total")
    wb.rename_sheet("Data", "Facts")
    assert wb.formula("Main!A1") == "=Facts!Total"
    assert wb.value("Main!A1") == 42


def test_shift_wrapped_moves_relative_parts_around_the_grid() -> None:
    from sheetrl.sheet.parser import parse
    from sheetrl.sheet.references import has_relative_references, shift_wrapped

    node = parse("=XFD1+$B2+A$3:B4")
    moved = shift_wrapped(node, 4, 2)
    from sheetrl.sheet.nodes import render

    assert render(moved) == "B5+$B6+C$3:D8"
    assert has_relative_references(node)
    assert not has_relative_references(parse("=$A$1+SUM($A:$B)+Name"))


def test_fill_moves_the_reference_of_a_three_d_reference():
    wb = Workbook(["Sheet1", "Sheet2", "Sheet3"])
    for sheet in ("Sheet2", "Sheet3"):
        wb.set_range(f"{sheet}!A1", [[1, 10], [2, 20]])
    wb.set("C1", "=SUM(Sheet2:Sheet3!A1:A$1)")
    wb.fill("C1", "D1")
    wb.fill("C1", "C2")
    assert wb.formula("D1") == "=SUM(Sheet2:Sheet3!B1:B$1)"
    assert (wb.value("C1"), wb.value("D1"), wb.value("C2")) == (2, 20, 6)  # C2: A1:A2 on two sheets, 1+2+1+2


def test_inserting_rows_on_one_sheet_leaves_a_three_d_reference_alone():
    wb = Workbook(["Sheet1", "Sheet2", "Sheet3"])
    wb.set("Sheet2!A2", 5)
    wb.set("Sheet3!A2", 7)
    wb.set("Sheet1!C1", "=SUM(Sheet2:Sheet3!A2)")
    wb.insert_rows(1, 1, sheet="Sheet2")  # Sheet2's 5 moves to A3
    assert wb.formula("Sheet1!C1") == "=SUM(Sheet2:Sheet3!A2)"
    assert wb.value("Sheet1!C1") == 7
