"""Defined names: scopes, relative names, dependencies, structural edits, undo, clones, validation, xlsx."""

from __future__ import annotations

import openpyxl
import pytest

from sheetrl.sheet import SheetError, Workbook
from sheetrl.sheet.errors import CYCLE, NAME, REF
from sheetrl.sheet.names import NameListing, check_name


def _data() -> Workbook:
    wb = Workbook(["Data", "Report"])
    wb.set_range("Data!A1", [[10], [20], [30], [40]])
    return wb


def test_constant_range_and_formula_names() -> None:
    wb = _data()
    wb.define_name("Rate", "=0.5")
    wb.define_name("Amounts", "=Data!$A$1:$A$4")
    wb.define_name("Total", "=SUM(Amounts)*(1+Rate)")
    wb.set("Report!A1", "=Total")
    wb.set("Report!A2", "=COUNTIF(Amounts,\">15\")")
    wb.set("Report!A3", "=INDEX(Amounts,2)+rate")  # names are case-insensitive
    assert wb.values(["Report!A1", "Report!A2", "Report!A3"]) == [150, 3, 20.5]


def test_editing_a_cell_a_name_points_to_recalculates_its_users() -> None:
    wb = _data()
    wb.define_name("Amounts", "=Data!$A$1:$A$4")
    wb.set("Report!A1", "=SUM(Amounts)")
    wb.set("Data!A2", 120)
    assert wb.value("Report!A1") == 200
    assert "Data!A2" in wb.precedents("Report!A1")


def test_defining_redefining_and_deleting_a_name_recalculates_its_users() -> None:
    wb = _data()
    wb.set("Report!A1", "=Rate*100")
    assert wb.value("Report!A1") is NAME
    wb.define_name("Rate", "=0.2")
    assert wb.value("Report!A1") == 20
    wb.define_name("Rate", "=Data!$A$3/100")
    assert wb.value("Report!A1") == 30
    wb.set("Data!A3", 50)
    assert wb.value("Report!A1") == 50
    wb.delete_name("Rate")
    assert wb.value("Report!A1") is NAME


def test_sheet_scoped_name_hides_the_workbook_name_on_its_sheet() -> None:
    wb = _data()
    wb.define_name("Limit", "=1")
    wb.define_name("Limit", "=2", sheet="Report")
    wb.set("Report!A1", "=Limit")
    wb.set("Data!B1", "=Limit")
    wb.set("Data!B2", "=Report!Limit")  # a sheet-qualified name
    assert wb.values(["Report!A1", "Data!B1", "Data!B2"]) == [2, 1, 2]
    assert wb.names() == [
        NameListing("Limit", "=1", None), NameListing("Limit", "=2", "Report"),
    ]
    wb.delete_name("Limit", sheet="Report")
    assert wb.value("Report!A1") == 1


def test_references_without_a_sheet_refer_to_the_scope_sheet() -> None:
    wb = _data()
    wb.define_name("First", "=$A$1")  # workbook scope: the first sheet
    wb.define_name("Here", "=$B$1", sheet="Report")
    wb.set("Report!B1", 5)
    wb.set("Report!C1", "=First+Here")
    assert wb.value("Report!C1") == 15
    assert [n.refers_to for n in wb.names()] == ["=Data!$A$1", "=Report!$B$1"]


def test_relative_name_follows_the_cell_using_it() -> None:
    wb = _data()
    wb.define_name("LeftCell", "=Data!XFD1")  # relative to A1: one column to the left, wrapping around the grid
    wb.define_name("RowTotal", "=SUM(Data!$A1:$C1)")
    wb.set_range("Data!B1", [[1, 2]])
    wb.set("Data!D1", "=LeftCell*10")
    wb.set("Data!E2", "=RowTotal")
    assert wb.value("Data!D1") == 20  # C1
    assert wb.value("Data!E2") == 20  # A2:C2
    wb.fill("Data!D1", "Data!D2:D3")
    assert wb.values("Data!D1:D3") == [[20], [0], [0]]


def test_name_defined_through_itself_is_a_cycle_error() -> None:
    wb = _data()
    wb.define_name("Loop", "=Loop+1")
    wb.define_name("Ping", "=Pong")
    wb.define_name("Pong", "=Ping*2")
    wb.set("Report!A1", "=Loop")
    wb.set("Report!A2", "=Ping")
    assert wb.value("Report!A1") is CYCLE
    assert wb.value("Report!A2") is CYCLE


def test_union_name_in_sum_and_areas() -> None:
    wb = _data()
    wb.define_name("Ends", "=Data!$A$1,Data!$A$4")
    wb.set("Report!A1", "=SUM(Ends)")
    wb.set("Report!A2", "=AREAS(Ends)")
    assert wb.values(["Report!A1", "Report!A2"]) == [50, 2]


def test_intersection_of_named_ranges() -> None:
    wb = Workbook()
    wb.set_range("A1", [["", "Jan", "Feb"], ["Sales", 5, 7], ["Costs", 2, 3]])
    wb.define_name("Feb", "=$C$1:$C$3")
    wb.define_name("Costs", "=$A$3:$C$3")
    wb.set("E1", "=Feb Costs")
    assert wb.value("E1") == 3


def test_names_with_backslash_dots_underscores_and_letters_of_any_script() -> None:
    wb = _data()
    for name, value in (("\\Tax", 1), ("my.rate", 2), ("_total", 3), ("Umsatz_März", 4), ("HSI\\10_1\\val", 5)):
        wb.define_name(name, f"={value}")
    wb.set("Report!A1", "=\\Tax+my.rate+_total+Umsatz_März+HSI\\10_1\\val")
    assert wb.value("Report!A1") == 15


@pytest.mark.parametrize("bad", ["A1", "TAX2023", "R1C1", "R", "c", "TRUE", "1abc", "has space", "", "a" * 256])
def test_invalid_names_are_rejected_with_a_reason(bad: str) -> None:
    with pytest.raises(SheetError):
        check_name(bad)


def test_bad_definitions_and_scopes_raise_and_change_nothing() -> None:
    wb = _data()
    with pytest.raises(SheetError, match="does not parse"):
        wb.define_name("Broken", "=SUM(")
    with pytest.raises(SheetError):
        wb.define_name("Nowhere", "=1", sheet="NoSuchSheet")
    with pytest.raises(SheetError, match="no defined name"):
        wb.delete_name("Missing")
    wb.add_table("Sales", "Data!A1:A4")
    with pytest.raises(SheetError, match="table"):
        wb.define_name("sales", "=1")
    assert wb.names() == []


def test_inserting_and_deleting_rows_adjusts_names() -> None:
    wb = _data()
    wb.define_name("Amounts", "=Data!$A$1:$A$4")
    wb.set("Report!A1", "=SUM(Amounts)")
    wb.insert_rows(2, 2, sheet="Data")
    wb.set("Data!A2", 5)
    assert wb.names()[0].refers_to == "=Data!$A$1:$A$6"
    assert wb.value("Report!A1") == 105
    wb.delete_rows(1, 6, sheet="Data")
    assert wb.names()[0].refers_to == "=Data!#REF!"
    assert wb.value("Report!A1") is REF


def test_renaming_and_removing_a_sheet_updates_names() -> None:
    wb = _data()
    wb.define_name("Amounts", "=Data!$A$1:$A$4")
    wb.define_name("Local", "=1", sheet="Report")
    wb.set("Report!A1", "=SUM(Amounts)+Local")
    wb.rename_sheet("Data", "Inputs")
    assert wb.names()[0].refers_to == "=Inputs!$A$1:$A$4"
    assert wb.value("Report!A1") == 101
    wb.add_sheet("Other")
    wb.remove_sheet("Report")
    assert [n.name for n in wb.names()] == ["Amounts"]


def test_undo_and_clones_keep_names_apart() -> None:
    wb = _data()
    wb.set("Report!A1", "=Rate")
    wb.define_name("Rate", "=1")
    copy = wb.clone()
    copy.define_name("Rate", "=2")
    assert (wb.value("Report!A1"), copy.value("Report!A1")) == (1, 2)
    wb.undo()
    assert wb.value("Report!A1") is NAME and wb.names() == []
    wb.redo()
    assert wb.value("Report!A1") == 1


def test_indirect_resolves_names_and_follows_their_changes() -> None:
    wb = _data()
    wb.define_name("Pick", "=Data!$A$2")
    wb.set("Report!A1", "Pick")
    wb.set("Report!B1", "=INDIRECT(A1)")
    assert wb.value("Report!B1") == 20
    wb.define_name("Pick", "=Data!$A$4")
    assert wb.value("Report!B1") == 40


def test_defined_names_round_trip_through_xlsx(tmp_path) -> None:
    wb = _data()
    wb.define_name("Rate", "=0.5", comment="tax")
    wb.define_name("Amounts", "=Data!$A$1:$A$4")
    wb.define_name("Local", "=SUM(Data!$A$1:$A$2)", sheet="Report", hidden=True)
    wb.define_name("Lookup", '=XLOOKUP(20,Data!$A$1:$A$4,Data!$A$1:$A$4)')
    wb.set("Report!A1", "=SUM(Amounts)*Rate+Local+Lookup")
    path = tmp_path / "names.xlsx"
    wb.save(path)
    book = openpyxl.load_workbook(path)
    assert book.defined_names["Lookup"].attr_text.startswith("_xlfn.XLOOKUP(")
    assert book["Report"].defined_names["Local"].hidden
    loaded = Workbook.load(path)
    assert loaded.names() == wb.names()
    assert loaded.value("Report!A1") == 100  # 100 * 0.5 + 30 + 20
    assert not loaded.warnings


def test_print_area_and_titles_load_as_reserved_names(tmp_path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Report"
    for row in range(1, 6):
        sheet.cell(row, 1, row)
    sheet.print_area = "A1:B5"
    sheet.print_title_rows = "1:1"
    sheet["D1"] = "=ROWS(Print_Area)"
    path = tmp_path / "print.xlsx"
    book.save(path)
    loaded = Workbook.load(path)
    assert loaded.value("D1") == 5
    assert [n.name for n in loaded.names()] == ["_xlnm.Print_Area", "_xlnm.Print_Titles"]
    loaded.save(tmp_path / "again.xlsx")
    assert openpyxl.load_workbook(tmp_path / "again.xlsx")["Report"].print_area == "'Report'!$A$1:$B$5"
