"""Excel tables and structured references: grammar, resolution, the table API, structural edits, xlsx."""

from __future__ import annotations

import openpyxl
import pytest

from sheetrl.sheet import FormulaSyntaxError, SheetError, Workbook
from sheetrl.sheet.errors import NAME, REF, VALUE
from sheetrl.sheet.nodes import StructuredRef
from sheetrl.sheet.parser import parse
from sheetrl.sheet.tables import (
    StructuredRefError,
    Table,
    parse_structured_reference,
    resolve_structured_reference,
    table_after_delete,
    table_after_insert,
)


# ---------------------------------------------------------------------------------------------------- grammar
@pytest.mark.parametrize(
    ("text", "table", "items", "first", "last"),
    [
        ("Sales[Qty]", "Sales", (), "Qty", "Qty"),
        ("Sales[[#This Row],[Unit Price]]", "Sales", ("#THIS ROW",), "Unit Price", "Unit Price"),
        ("Sales[@Qty]", "Sales", ("#THIS ROW",), "Qty", "Qty"),
        ("[@[Unit Price]]", None, ("#THIS ROW",), "Unit Price", "Unit Price"),
        ("Sales[@]", "Sales", ("#THIS ROW",), None, None),
        ("Sales[#Headers]", "Sales", ("#HEADERS",), None, None),
        ("Sales[[#headers],[#data],[Item]]", "Sales", ("#HEADERS", "#DATA"), "Item", "Item"),
        ("Sales[[#Data],[#Totals],[Qty]:[Price]]", "Sales", ("#DATA", "#TOTALS"), "Qty", "Price"),
        ("Sales[[Qty]:[Price]]", "Sales", (), "Qty", "Price"),
        ("Sales[]", "Sales", (), None, None),
        ("Sales[Price'[EUR']]", "Sales", (), "Price[EUR]", "Price[EUR]"),
        ("Sales['#Items]", "Sales", (), "#Items", "#Items"),
        ("テーブル15[Column1]", "テーブル15", (), "Column1", "Column1"),
    ],
)
def test_structured_reference_grammar(text, table, items, first, last) -> None:
    ref = parse_structured_reference(text)
    assert (ref.table, ref.items, ref.first_column, ref.last_column, ref.text) == (table, items, first, last, text)


@pytest.mark.parametrize(
    "text", ["Sales[#Bogus]", "Sales[[#Headers],[#Totals]]", "Sales[[A],[B]]", "Sales[[A]:]", "Sales[[Col]"]
)
def test_bad_structured_references_are_syntax_errors(text: str) -> None:
    with pytest.raises((StructuredRefError, FormulaSyntaxError)):
        parse_structured_reference(text) if text.count("[") == text.count("]") else parse("=" + text)
    with pytest.raises(FormulaSyntaxError):
        parse("=" + text)


def test_structured_reference_renders_as_written() -> None:
    text = "=SUM(Sales[[#This Row],[Qty]:[Price]])*Sales[@Qty]"
    node = parse(text)
    from sheetrl.sheet.nodes import render

    assert "=" + render(node) == text


# ------------------------------------------------------------------------------------------------- resolution
TABLE = Table("Sales", 0, 2, 1, 7, 3, ("Item", "Qty", "Price"), header_row=True, totals_row=True)  # B3:D8


@pytest.mark.parametrize(
    ("text", "at", "expected"),
    [
        ("Sales[Qty]", (20, 9), (3, 2, 6, 2)),
        ("Sales", (20, 9), (3, 1, 6, 3)),
        ("Sales[#All]", (20, 9), (2, 1, 7, 3)),
        ("Sales[#Headers]", (20, 9), (2, 1, 2, 3)),
        ("Sales[#Totals]", (20, 9), (7, 1, 7, 3)),
        ("Sales[[#Headers],[#Data],[Price]]", (20, 9), (2, 3, 6, 3)),
        ("Sales[[#Data],[#Totals],[Item]:[Qty]]", (20, 9), (3, 1, 7, 2)),
        ("Sales[@Price]", (4, 9), (4, 3, 4, 3)),
        ("Sales[@Price]", (2, 9), VALUE),  # the header row has no "this row"
        ("Sales[Nope]", (20, 9), REF),
    ],
)
def test_resolution_against_a_table(text, at, expected) -> None:
    ref = parse_structured_reference(text) if "[" in text else StructuredRef("Sales", (), None, None, text)
    found = resolve_structured_reference(ref, TABLE, 0, *at)
    assert found == expected


def test_tables_without_header_or_totals_have_no_such_rows() -> None:
    bare = Table("T", 0, 0, 0, 2, 0, ("Only",), header_row=False, totals_row=False)
    assert resolve_structured_reference(parse_structured_reference("T[#Headers]"), bare, 0, 0, 5) is REF
    assert resolve_structured_reference(parse_structured_reference("T[#Totals]"), bare, 0, 0, 5) is REF
    assert resolve_structured_reference(parse_structured_reference("T[#All]"), bare, 0, 0, 5) == (0, 0, 2, 0)


def test_geometry_after_inserting_and_deleting_lines() -> None:
    grown = table_after_insert(TABLE, "row", 4, 2, 1_048_576)
    assert (grown.row1, grown.row2) == (2, 9)
    moved = table_after_insert(TABLE, "row", 0, 1, 1_048_576)
    assert (moved.row1, moved.row2) == (3, 8)
    wider = table_after_insert(TABLE, "col", 2, 1, 16_384)
    assert wider.columns == ("Item", "Column1", "Qty", "Price") and wider.col2 == 4
    shrunk = table_after_delete(TABLE, "row", 4, 2)
    assert (shrunk.row1, shrunk.row2, shrunk.totals_row) == (2, 5, True)
    assert table_after_delete(TABLE, "row", 2, 1) is None  # the header row went
    no_totals = table_after_delete(TABLE, "row", 7, 1)
    assert (no_totals.row2, no_totals.totals_row) == (6, False)
    narrower = table_after_delete(TABLE, "col", 2, 1)
    assert (narrower.columns, narrower.col2) == (("Item", "Price"), 2)
    assert table_after_delete(TABLE, "col", 0, 10) is None


# ------------------------------------------------------------------------------------------- the workbook API
def _sales() -> Workbook:
    wb = Workbook(["Data", "Report"])
    wb.set_range("Data!A1", [["Item", "Qty", "Price"], ["a", 2, 1.5], ["b", 3, 2], ["c", 4, 2.5]])
    wb.add_table("Sales", "Data!A1:C4")
    return wb


def test_structured_references_in_formulas() -> None:
    wb = _sales()
    wb.set("Report!A1", "=SUM(Sales[Qty])")
    wb.set("Report!A2", "=SUMPRODUCT(Sales[Qty],Sales[Price])")
    wb.set("Report!A3", '=VLOOKUP("b",Sales,3,FALSE)')
    wb.set("Report!A4", "=COUNTA(Sales[#Headers])+ROWS(Sales[#All])")
    wb.set("Report!A5", '=SUM(INDIRECT("Sales[Price]"))')
    wb.set("Report!A6", "=SUM(Sales[Qty]:Sales[Price])")
    assert wb.values(["Report!A1", "Report!A2", "Report!A3", "Report!A4", "Report!A5", "Report!A6"]) == [
        9, 19, 2, 7, 6, 15,
    ]


def test_calculated_column_with_this_row_references() -> None:
    wb = _sales()
    wb.set("Data!D1", "Total")
    wb.remove_table("Sales")
    wb.add_table("Sales", "Data!A1:D4")
    for row in (2, 3, 4):
        wb.set(f"Data!D{row}", "=[@Qty]*[@Price]")
    wb.set("Data!F1", "=SUM(Sales[Total])")
    assert wb.values("Data!D2:D4") == [[3], [6], [10]]
    assert wb.value("Data!F1") == 19
    wb.set("Data!C3", 10)
    assert wb.values(["Data!D3", "Data!F1"]) == [30, 43]
    wb.set("Data!F2", "=[@Qty]")  # outside the table: no table to refer to
    assert wb.value("Data!F2") is REF


def test_header_cells_name_the_columns_and_empty_ones_are_filled() -> None:
    wb = Workbook()
    wb.set_range("A1", [["Name", None, "Name", 2024], [1, 2, 3, 4]])
    table = wb.add_table("T", "A1:D2")
    assert table.columns == ("Name", "Column1", "Name2", "2024")
    assert wb.values("A1:D1") == [["Name", "Column1", "Name2", "2024"]]  # as Excel writes them: header cells hold text
    assert wb.add_table("U", "F1:F2", header=False).columns == ("Column1",)


def test_saving_keeps_the_header_cells_add_table_leaves(tmp_path) -> None:
    # saving writes the column names into the header cells (Excel requires it): a header cell that still held a
    # number, a repeated name or a formula changed there, silently (=SUM(B1) gave 2024, then 0)
    wb = Workbook()
    wb.set_range("A1", [["Name", "Name", 2024, None], [1, 2, 3, 4]])
    wb.set("D1", '="Q"&"1"')
    wb.add_table("T", "A1:D2")
    wb.set("F1", "=SUM(C1)+COUNTA(A1:D1)")
    before = wb.values("A1:F1")
    wb.save(tmp_path / "book.xlsx")
    loaded = Workbook.load(tmp_path / "book.xlsx")
    assert loaded.values("A1:F1") == before == [["Name", "Name2", "2024", "Q1", None, 4]]
    assert loaded.formula("D1") is None and wb.formula("D1") is None


def test_bad_tables_are_rejected() -> None:
    wb = _sales()
    with pytest.raises(SheetError, match="already exists"):
        wb.add_table("sales", "Data!F1:G3")
    with pytest.raises(SheetError, match="overlaps"):
        wb.add_table("Other", "Data!C3:E5")
    with pytest.raises(SheetError, match="no data rows"):
        wb.add_table("Tiny", "Data!H1:H1")
    with pytest.raises(SheetError, match="cell reference"):
        wb.add_table("A1", "Data!H1:H3")
    with pytest.raises(SheetError, match="used twice"):
        wb.add_table("Dup", "Data!H1:I3", columns=["x", "X"])
    with pytest.raises(SheetError, match="no table"):
        wb.remove_table("Nope")


def test_defining_adding_and_removing_a_table_recompiles_its_users() -> None:
    wb = Workbook()
    wb.set_range("A1", [["Qty"], [1], [2]])
    wb.set("C1", "=SUM(Late[Qty])")
    assert wb.value("C1") is REF
    wb.add_table("Late", "A1:A3")
    assert wb.value("C1") == 3
    wb.remove_table("Late")
    assert wb.value("C1") is REF
    wb.set("C2", "=Late")
    assert wb.value("C2") is NAME


def test_inserting_rows_inside_a_table_widens_its_references() -> None:
    wb = _sales()
    wb.set("Report!A1", "=SUM(Sales[Qty])")
    wb.insert_rows(3, 1, sheet="Data")
    wb.set("Data!B3", 100)
    assert wb.value("Report!A1") == 109
    assert (wb.table("Sales").row1, wb.table("Sales").row2) == (0, 4)
    wb.delete_rows(2, 2, sheet="Data")
    assert wb.value("Report!A1") == 7


def test_inserting_a_column_inside_a_table_adds_a_named_column() -> None:
    wb = _sales()
    wb.insert_columns(2, 1, sheet="Data")
    assert wb.table("Sales").columns == ("Item", "Column1", "Qty", "Price")
    assert wb.value("Data!B1") == "Column1"
    wb.set("Report!A1", "=SUM(Sales[Price])")
    assert wb.value("Report!A1") == 6
    wb.delete_columns(4, 1, sheet="Data")
    assert wb.value("Report!A1") is REF


def test_tables_move_with_sheets_and_clones_keep_them_apart() -> None:
    wb = _sales()
    wb.set("Report!A1", "=SUM(Sales[Qty])")
    copy = wb.clone()
    copy.remove_table("Sales")
    assert (wb.value("Report!A1"), copy.value("Report!A1")) == (9, REF)
    wb.rename_sheet("Data", "Facts")
    assert wb.value("Report!A1") == 9
    wb.remove_sheet("Facts")
    assert wb.tables == []


def test_tables_round_trip_through_xlsx(tmp_path) -> None:
    wb = _sales()
    wb.set("Data!A5", "Total")
    wb.set("Data!B5", "=SUM(Sales[Qty])")
    wb.remove_table("Sales")
    wb.add_table("Sales", "Data!A1:C5", totals=True, style="TableStyleLight1")
    wb.set("Report!A1", "=Sales[[#Totals],[Qty]]*2")
    path = tmp_path / "tables.xlsx"
    wb.save(path)
    book = openpyxl.load_workbook(path)
    written = book["Data"].tables["Sales"]
    assert (written.ref, written.totalsRowCount, [c.name for c in written.tableColumns]) == (
        "A1:C5", 1, ["Item", "Qty", "Price"],
    )
    loaded = Workbook.load(path)
    assert loaded.tables == wb.tables
    assert loaded.value("Report!A1") == 18
    assert not loaded.warnings


def test_column_names_that_look_like_escapes_round_trip_through_xlsx(tmp_path) -> None:
    # the reader decodes _xHHHH_ in a tableColumn's name (ST_Xstring), so the writer escapes it
    wb = Workbook()
    wb.set_range("A1", [["_x0041_", "line\rbreak"], [1, 2]])
    wb.add_table("Codes", "A1:B2")
    wb.set("C1", "=Codes[_x0041_]+1")
    path = tmp_path / "escapes.xlsx"
    wb.save(path)
    loaded = Workbook.load(path)
    assert loaded.tables == wb.tables
    assert loaded.value("C1") == 2
    assert not loaded.warnings


def test_loading_a_table_whose_header_has_a_line_break(tmp_path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Item", "Purchase\nprice"])
    sheet.append(["a", 3])
    sheet.append(["b", 4])
    from openpyxl.worksheet.table import Table as XlTable

    sheet.add_table(XlTable(displayName="Table1", ref="A1:B3"))
    sheet["D1"] = "=SUM(Table1[Purchase\nprice])"
    path = tmp_path / "breaks.xlsx"
    book.save(path)
    assert Workbook.load(path).value("D1") == 7


def test_editing_a_header_cell_renames_the_column_and_its_references() -> None:
    wb = _sales()
    wb.set("Report!A1", "=SUM(Sales[Qty])+COUNTA(Sales[[#Headers],[Qty]:[Price]])")
    wb.set("Data!E2", "=Sales[@Qty]*2")
    wb.set("Data!B1", "Amount")
    assert wb.table("Sales").columns == ("Item", "Amount", "Price")
    assert wb.formula("Report!A1") == "=SUM(Sales[Amount])+COUNTA(Sales[[#Headers],[Amount]:[Price]])"
    assert wb.formula("Data!E2") == "=Sales[@Amount]*2"
    assert wb.values(["Report!A1", "Data!E2"]) == [11, 4]
    wb.set("Data!B1", "price")  # a repeated name gets a number, as Excel does
    assert wb.value("Data!B1") == "price2"
    wb.set("Data!B1", None)  # an empty header gets Excel's ColumnN
    assert wb.value("Data!B1") == "Column1"
    wb.set("Data!B1", 2024)  # header cells hold text
    assert wb.value("Data!B1") == "2024" and wb.value("Report!A1") == 11


def test_structured_reference_rendering_after_a_rename() -> None:
    from sheetrl.sheet.tables import rename_column

    ref = parse_structured_reference("T[[#This Row],[Unit Price]]")
    assert rename_column(ref, "unit price", "Cost[EUR]").text == "T[[#This Row],[Cost'[EUR']]]"
    assert rename_column(parse_structured_reference("[@Qty]"), "Qty", "Units").text == "[@Units]"
    assert rename_column(parse_structured_reference("T[@[A b]]"), "A b", "C d").text == "T[@[C d]]"
    assert rename_column(parse_structured_reference("T[[Qty]:[Price]]"), "Price", "Cost").text == "T[[Qty]:[Cost]]"
    unchanged = parse_structured_reference("T[Other]")
    assert rename_column(unchanged, "Qty", "Units") is unchanged
