""".xlsx load and save: round trips, future-function prefixes, warnings for what is dropped, bad files, atomic save."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import struct
import subprocess
import zipfile
from collections import OrderedDict
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.formula import ArrayFormula

from sheetrl.sheet import fileio, fused, parser, xlsx
from sheetrl.sheet.errors import ARRAY_ERROR_CODES, DIV0, ERROR_CODES, NA, WorkbookFileError
from sheetrl.sheet.formats import CellFormat
from sheetrl.sheet.nodes import CellRef
from sheetrl.sheet.parser import parse
from sheetrl.sheet.workbook import Workbook


def round_trip(wb: Workbook, tmp_path: Path) -> Workbook:
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return Workbook.load(path)


def write_openpyxl(path: Path, build) -> Path:
    book = openpyxl.Workbook()
    build(book)
    book.save(path)
    return path


def set_cached_values(path: Path, values: dict[str, str], part: str = "xl/worksheets/sheet1.xml") -> None:
    """Give formula cells a cached result, as Excel would have written it (openpyxl writes none)."""
    with zipfile.ZipFile(path) as archive:
        contents = {info.filename: archive.read(info) for info in archive.infolist()}
    xml = contents[part].decode()
    for ref, cached in values.items():
        xml, count = re.subn(rf'(<c r="{ref}"[^>]*>.*?</f>)<v\s*/>', rf"\1<v>{cached}</v>", xml)
        assert count == 1, f"no formula cell {ref} in {part}"
    contents[part] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)


def stored_formula(path: Path, sheet: str, ref: str) -> str:
    return openpyxl.load_workbook(path)[sheet][ref].value


# ============================================================================================ round trips
def test_round_trip_keeps_numbers_text_booleans_and_errors(tmp_path):
    wb = Workbook()
    wb.set_range("A1", [[5, -2.75, 1e-12, 123456789012.5], ["text", "", "#N/A", " padded "], [True, False, None, 0]])
    errors = [e for e in (*ERROR_CODES.values(), *ARRAY_ERROR_CODES.values()) if str(e) != "#CYCLE!"]
    for col, error in enumerate(errors):
        wb.set(f"{'ABCDEFGHI'[col]}4", error)
    loaded = round_trip(wb, tmp_path)
    assert loaded.values("A1:D3") == [
        [5, -2.75, 1e-12, 123456789012.5], ["text", "", "#N/A", " padded "], [True, False, None, 0]
    ]
    assert loaded.value("C2") == "#N/A" and isinstance(loaded.value("C2"), str)  # text, not an error
    assert [str(v) for v in loaded.values("A4:I4")[0]] == [str(e) for e in errors]
    assert loaded.value("A4") is DIV0
    assert loaded.warnings == []


def test_round_trip_keeps_a_cell_holding_empty_text(tmp_path):
    # a cell holding "" (Excel keeps one after pasting the values of ="") is not blank: COUNTA counts it
    wb = Workbook()
    wb.set("A1", "")
    wb.set("B1", "=COUNTA(A1)")
    wb.set("C1", "=ISBLANK(A1)")
    loaded = round_trip(wb, tmp_path)
    assert list(loaded.cells()) == [("A1", ""), ("B1", "=COUNTA(A1)"), ("C1", "=ISBLANK(A1)")]
    assert (loaded.value("B1"), loaded.value("C1")) == (1, False)


def test_round_trip_keeps_the_longest_text_whose_escapes_make_it_longer(tmp_path):
    # 32,767 characters is Excel's limit on the text; written as _xHHHH_ it is longer, and openpyxl cut it there
    texts = ["\x01" * 32767, "a\rb" * 10922, "_x0041_" * 4681]
    wb = Workbook()
    for row, text in enumerate(texts, start=1):
        wb.set(f"A{row}", text)
    loaded = round_trip(wb, tmp_path)
    assert [loaded.value(f"A{row}") for row in range(1, len(texts) + 1)] == texts
    assert loaded.warnings == []


def test_round_trip_keeps_text_with_control_characters_and_escape_lookalikes(tmp_path):
    wb = Workbook()
    wb.set("A1", "bell\x07 and tab\t and newline\nend")
    wb.set("A2", "literal _x0041_ stays")
    loaded = round_trip(wb, tmp_path)
    assert loaded.value("A1") == "bell\x07 and tab\t and newline\nend"
    assert loaded.value("A2") == "literal _x0041_ stays"


def test_round_trip_keeps_overlapping_escape_lookalikes_and_one_an_escape_completes(tmp_path):
    # "_x005F_x0041_" holds two lookalikes sharing an '_'; in "_x0041\x01" the escape of \x01 (_x0001_) supplies
    # the '_' that makes "_x0041_": every such '_' must be protected, else the text loads as "_x005FA", "Ax0001_"
    texts = ["_x005F_x0041_", "_x0041_x0042_", "_x0041\x01", "_x0041\r\n", "__x0041__", "_x00411_"]
    wb = Workbook()
    for row, text in enumerate(texts, start=1):
        wb.set(f"A{row}", text)
    loaded = round_trip(wb, tmp_path)
    assert [loaded.value(f"A{row}") for row in range(1, len(texts) + 1)] == texts


def test_round_trip_keeps_carriage_returns_lone_surrogates_and_noncharacters(tmp_path):
    # XML reads a raw CR as LF and cannot hold U+D800-U+DFFF, U+FFFE or U+FFFF: they are written as _xHHHH_
    wb = Workbook()
    texts = ["line\r\nend\rx", "lone \ud800 surrogate", "\udfff\ud83d", "non\ufffecharacter\uffff"]
    for row, text in enumerate(texts, start=1):
        wb.set(f"A{row}", text)
    loaded = round_trip(wb, tmp_path)
    assert [loaded.value(f"A{row}") for row in range(1, len(texts) + 1)] == texts


def test_round_trip_keeps_carriage_returns_in_formulas_names_and_sheet_names(tmp_path):
    # written bare, an XML reader turned them into line feeds: the text changed and the sheet was #REF!
    wb = Workbook(["Sheet1", "a\rb"])
    wb.set("'a\rb'!A1", 5)
    wb.set("A1", '="x\ry"&"z"')
    wb.set("A2", "='a\rb'!A1+1")
    wb.define_name("Label", '="p\rq"')
    wb.set("A3", "=Label")
    wb.set("A4", "=SEQUENCE(2,1,'a\rb'!A1)")  # a dynamic-array formula too (its file is rewritten)
    loaded = round_trip(wb, tmp_path)
    assert loaded.sheet_names == ["Sheet1", "a\rb"]
    assert loaded.values("A1:A5") == [["x\ryz"], [6], ["p\rq"], [5], [6]]
    assert loaded.formula("A2") == "='a\rb'!A1+1"


@pytest.mark.parametrize("character", ["\x01", "\x1f", "\ud800", "\ufffe"])
@pytest.mark.parametrize("place", ["formula", "sheet", "name"])
def test_saving_a_character_xml_cannot_hold_outside_cell_text_is_refused(tmp_path, character, place):
    # formulas, sheet names and defined names have no _xHHHH_ escape here: the file would not open
    wb = Workbook([f"S{character}x" if place == "sheet" else "Sheet1"])
    if place == "formula":
        wb.set("A1", f'="a{character}b"')
    elif place == "name":
        wb.define_name("Label", f'="a{character}b"')
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"previous")
    with pytest.raises(WorkbookFileError, match=f"U\\+{ord(character):04X}, which an .xlsx file cannot store"):
        wb.save(path)
    assert path.read_bytes() == b"previous"

def test_round_trip_keeps_a_formula_its_prefixes_push_past_the_length_limit(tmp_path):
    # 8,160 characters as entered; the file's _xlfn. prefixes make it 11,560, which must still load
    wb = Workbook()
    wb.set("A1", "=" + "+".join(["SEQUENCE(1)"] * 680))
    loaded = round_trip(wb, tmp_path)
    assert loaded.formula("A1") == wb.formula("A1")
    assert loaded.value("A1") == 680
    assert loaded.warnings == []

def test_round_trip_keeps_the_spaces_and_line_breaks_of_a_formula(tmp_path):
    # Excel keeps a formula's whitespace as typed; saving wrote the rendered tree ("=IF(A1>0,A1,-A1)")
    formulas = {"B1": "=SUM( A1 , A2 )", "B2": "=IF(A1>0,\n  A1,\n  -A1)", "B3": "=LET( x, 1, x + A1 )",
                "B4": "=A1:A2 A1"}
    wb = Workbook()
    wb.set_range("A1", [[1], [2]])
    for address, formula in formulas.items():
        wb.set(address, formula)
    wb.set_array_formula("C1:C2", "=A1:A2 * 2")
    path = tmp_path / "book.xlsx"
    wb.save(path)
    assert stored_formula(path, "Sheet1", "B3") == "=_xlfn.LET( _xlpm.x, 1, _xlpm.x + A1 )"
    loaded = Workbook.load(path)
    assert {address: loaded.formula(address) for address in formulas} == formulas
    assert loaded.formula("C1") == "=A1:A2 * 2"
    assert loaded.values("B1:B4") == wb.values("B1:B4") == [[3], [1], [2], [1]]


def test_load_keeps_the_spaces_of_a_plain_formula_over_a_range(tmp_path):
    # from_legacy rebuilds the tree of a formula holding a range even when it adds no @; the rebuilt tree was taken
    # for a changed one and its rendering shown instead of the file's text
    path = write_openpyxl(tmp_path / "plain.xlsx", lambda book: book.active.__setitem__("B1", "=SUM( A1:A3 , 1 )"))
    wb = Workbook.load(path)
    assert wb.formula("B1") == "=SUM( A1:A3 , 1 )"
    assert wb.warnings == []


def test_round_trip_keeps_every_digit_of_a_number(tmp_path):
    # openpyxl writes 16 significant digits; these floats need 17, which Excel writes
    numbers = [0.1 + 0.2, 123456789012345678.0, 1 / 3, -2.0000000000000004, 5e-324, 1.7976931348623157e308]
    wb = Workbook()
    wb.set_range("A1", [[number] for number in numbers])
    loaded = round_trip(wb, tmp_path)
    assert [loaded.value(f"A{row}") for row in range(1, len(numbers) + 1)] == numbers


def test_round_trip_keeps_formulas_and_their_values(tmp_path):
    wb = Workbook()
    wb.set_range("A1", [[1], [2], [3]])
    wb.set("B1", "=SUM(A1:A3)")
    wb.set("B2", '=(B1>5)&" is big"')
    wb.set("B3", "=A1/0")
    loaded = round_trip(wb, tmp_path)
    assert loaded.formula("B1") == "=SUM(A1:A3)"
    assert loaded.formula("B2") == '=(B1>5)&" is big"'
    assert loaded.value("B1") == 6
    assert loaded.value("B2") == "TRUE is big"
    assert str(loaded.value("B3")) == "#DIV/0!"
    loaded.set("A1", 10)
    assert loaded.value("B1") == 15


def test_round_trip_keeps_sheets_in_order_with_cross_sheet_references(tmp_path):
    wb = Workbook(["Summary", "Q1 Data", "Notes"])
    wb.set("'Q1 Data'!A1", 40)
    wb.set("'Q1 Data'!A2", 2)
    wb.set("Summary!A1", "='Q1 Data'!A1+'Q1 Data'!A2")
    wb.set("Summary!A2", "=Notes!B5&\"!\"")
    wb.set("Notes!B5", "hello")
    loaded = round_trip(wb, tmp_path)
    assert loaded.sheet_names == ["Summary", "Q1 Data", "Notes"]
    assert loaded.value("Summary!A1") == 42
    assert loaded.value("Summary!A2") == "hello!"
    assert loaded.formula("Summary!A1") == "='Q1 Data'!A1+'Q1 Data'!A2"
    loaded.set("'Q1 Data'!A2", 3)
    assert loaded.value("Summary!A1") == 43


def test_round_trip_keeps_every_format_attribute(tmp_path):
    wb = Workbook(["S", "T"])
    wb.set("S!A1", 1234.5)
    wb.set_format(
        "S!A1", bold=True, italic=True, underline=True, number_format="currency", font_color="C00000",
        fill_color="FFFF00", horizontal="right", border_top="thin", border_bottom="double", border_left="medium",
        border_right="thick",
    )
    wb.set_format("T!C3", fill_color="00B050", horizontal="center")  # a formatted empty cell
    wb.set("S!A2", 45306)
    wb.set_format("S!A2", number_format="date")
    loaded = round_trip(wb, tmp_path)
    assert loaded.format("S!A1") == CellFormat(
        bold=True, italic=True, underline=True, number_format='"$"#,##0.00', font_color="C00000",
        fill_color="FFFF00", horizontal="right", border_top="thin", border_bottom="double", border_left="medium",
        border_right="thick",
    )
    assert loaded.format("T!C3") == CellFormat(fill_color="00B050", horizontal="center")
    assert loaded.value("T!C3") is None
    assert loaded.format("S!A2").number_format == "yyyy-mm-dd"
    assert loaded.value("S!A2") == 45306
    assert loaded.format("S!B1") == CellFormat()


def test_round_trip_keeps_column_widths_per_sheet(tmp_path):
    wb = Workbook(["S", "T"])
    wb.set("S!A1", "x")
    wb.set_column_width("B", 25.5, "S")
    wb.set_column_width("AA", 8, "T")
    wb.set_column_width("C", 0, "T")  # hidden
    loaded = round_trip(wb, tmp_path)
    assert loaded.column_width("B", "S") == 25.5
    assert loaded.column_width("AA", "T") == 8
    assert loaded.column_width("C", "T") == 0
    assert loaded.column_width("A", "S") is None


def test_loaded_workbook_starts_with_empty_undo_history(tmp_path):
    wb = Workbook()
    wb.set("A1", 1)
    loaded = round_trip(wb, tmp_path)
    assert loaded.undo() is False
    loaded.set("A1", 2)
    assert loaded.undo() is True
    assert loaded.value("A1") == 1


def test_loading_through_the_public_api_fallback_gives_the_same_workbook(tmp_path, monkeypatch):
    wb = Workbook(["S", "T"])
    wb.set_range("S!A1", [[1, "=A1*2"], [3, "=T!A1+B1"]])
    wb.set("T!A1", 10)
    wb.set_format("S!B2", bold=True)
    path = tmp_path / "book.xlsx"
    wb.save(path)
    monkeypatch.setattr(xlsx._Sink, "_HOOKS", ("_no_such_hook",))
    loaded = Workbook.load(path)
    assert list(loaded.cells("S")) == [("A1", 1.0), ("B1", "=A1*2"), ("A2", 3.0), ("B2", "=T!A1+B1")]
    assert loaded.value("S!B2") == 12
    assert loaded.format("S!B2").bold


def test_load_of_formulas_whose_readers_come_first_is_fast(tmp_path):
    # A total above its column and a summary sheet before its data: entering cell by cell with eager
    # recalculation would recompute the total once per cell.
    def build(book):
        summary = book.active
        summary.title = "Summary"
        data = book.create_sheet("Data")
        summary["A1"] = "=SUM(Data!B1:B3000)"
        for row in range(1, 3000):
            data.cell(row, 1, 1)
            data.cell(row, 2, f"=B{row + 1}+A{row}")
        data.cell(3000, 2, 1)

    path = write_openpyxl(tmp_path / "chain.xlsx", build)
    loaded = Workbook.load(path)
    assert loaded.value("Data!B1") == 3000
    assert loaded.value("Summary!A1") == sum(range(1, 3001))


# ====================================================================================== function prefixes
def test_save_writes_xlfn_prefix_for_functions_newer_than_excel_2007(tmp_path):
    wb = Workbook()
    wb.set_range("A1", [[1], [2], [3]])
    wb.set("B1", "=XLOOKUP(2,A1:A3,A1:A3)")
    wb.set("B2", '=IFS(A1>0,"pos",TRUE,"neg")&CONCAT("a","b")&TEXTJOIN(",",TRUE,A1:A3)')
    wb.set("B3", "=IFNA(STDEV.S(A1:A3),0)+SUM(A1:A3)")
    wb.set("B4", "=SUM(FILTER(A1:A3,A1:A3>1))")
    wb.set("B5", "=NETWORKDAYS.INTL(45000,45010)")
    wb.set("B6", '=LEN("XLOOKUP(")')
    wb.set("B7", "=_xlfn.STDEV.S(A1:A3)")
    path = tmp_path / "future.xlsx"
    wb.save(path)
    assert stored_formula(path, "Sheet1", "B1") == "=_xlfn.XLOOKUP(2,A1:A3,A1:A3)"
    assert stored_formula(path, "Sheet1", "B2") == (
        '=_xlfn.IFS(A1>0,"pos",TRUE,"neg")&_xlfn.CONCAT("a","b")&_xlfn.TEXTJOIN(",",TRUE,A1:A3)'
    )
    assert stored_formula(path, "Sheet1", "B3") == "=_xlfn.IFNA(_xlfn.STDEV.S(A1:A3),0)+SUM(A1:A3)"
    assert stored_formula(path, "Sheet1", "B4") == "=SUM(_xlfn._xlws.FILTER(A1:A3,A1:A3>1))"
    assert stored_formula(path, "Sheet1", "B5") == "=NETWORKDAYS.INTL(45000,45010)"
    assert stored_formula(path, "Sheet1", "B6") == '=LEN("XLOOKUP(")'
    assert stored_formula(path, "Sheet1", "B7") == "=_xlfn.STDEV.S(A1:A3)"
    loaded = Workbook.load(path)
    assert loaded.formula("B1") == "=XLOOKUP(2,A1:A3,A1:A3)"
    assert loaded.formula("B4") == "=SUM(FILTER(A1:A3,A1:A3>1))"


def test_prefix_helpers_touch_only_function_names():
    assert xlsx.add_function_prefixes("=xlookup(1,A:A,B:B)+sum(1)") == "=_xlfn.XLOOKUP(1,A:A,B:B)+SUM(1)"
    assert xlsx.add_function_prefixes("=_xlfn.STDEV.S(A1:A3)") == "=_xlfn.STDEV.S(A1:A3)"
    assert xlsx.add_function_prefixes("=_XLFN.filter(A1:A3,1)") == "=_xlfn._xlws.FILTER(A1:A3,1)"
    assert xlsx.add_function_prefixes("=_xlfn.single(A1)") == "=_xlfn.SINGLE(A1)"
    assert xlsx.add_function_prefixes('=SORT(A1:A3)&"SORT("') == '=_xlfn._xlws.SORT(A1:A3)&"SORT("'
    assert xlsx.add_function_prefixes("=VLOOKUP(1,A1:B3,2)") == "=VLOOKUP(1,A1:B3,2)"
    assert xlsx.strip_function_prefixes("=_xlfn._xlws.FILTER(A1:A3,_xlfn.IFS(1,2))") == "=FILTER(A1:A3,IFS(1,2))"
    assert xlsx.strip_function_prefixes('="_xlfn.X"&_xlfn.CONCAT(1)') == '="_xlfn.X"&CONCAT(1)'
    assert xlsx.strip_function_prefixes("=A1+(") == "=A1+("  # text that does not tokenize is left alone


def test_a_lambda_name_called_in_a_formula_keeps_its_case_through_a_file(tmp_path):
    # only known functions are written in upper case; a defined name called as a LAMBDA is a name
    assert xlsx.add_function_prefixes("=Square(3)+sum(1)+myUdf(2)") == "=Square(3)+SUM(1)+myUdf(2)"
    wb = Workbook()
    wb.define_name("Square", "=LAMBDA(x,x*x)")
    wb.set("A1", "=Square(3)")
    loaded = round_trip(wb, tmp_path)
    assert loaded.formula("A1") == "=Square(3)"
    assert loaded.value("A1") == 9

def test_load_strips_prefixes_written_by_excel(tmp_path):
    def build(book):
        sheet = book.active
        sheet["A1"], sheet["A2"], sheet["A3"] = 1, 2, 3
        sheet["B1"] = "=_xlfn.STDEV.S(A1:A3)"
        sheet["B2"] = "=_xlfn._xlws.SORT(A1:A3)"

    loaded = Workbook.load(write_openpyxl(tmp_path / "excel.xlsx", build))
    assert loaded.formula("B1") == "=STDEV.S(A1:A3)"
    # a plain formula (not marked as a dynamic array) shows its first value, as Excel shows it: with @
    assert loaded.formula("B2") == "=@SORT(A1:A3)"
    assert loaded.value("B2") == 1 and loaded.spill_range("B2") is None


@pytest.mark.oracle
def test_libreoffice_computes_the_saved_future_functions(tmp_path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    wb = Workbook()
    wb.set_range("A1", [[1], [2], [3]])
    wb.set("B1", '=IFS(A1>0,"pos",TRUE,"neg")')
    wb.set("B2", "=TEXTJOIN(\"-\",TRUE,A1:A3)")
    wb.set("B3", "=STDEV.S(A1:A3)")
    path = tmp_path / "lo.xlsx"
    wb.save(path)
    profile = f"file://{tmp_path}/lo_profile"
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation={profile}", "--convert-to", "csv", "--outdir",
         str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=120,
    )
    rows = (tmp_path / "lo.csv").read_text().splitlines()
    assert [row.split(",")[1] for row in rows] == ["pos", "1-2-3", "1"]


# ======================================================================================= reading others' files
def test_load_reports_merged_cells_and_comments_and_keeps_defined_names(tmp_path):
    def build(book):
        sheet = book.active
        sheet.title = "Report"
        sheet["A1"] = "Title"
        sheet.merge_cells("A1:C1")
        sheet["A2"] = 0.07
        sheet["A2"].comment = Comment("tax rate", "author")
        book.defined_names["Rate"] = DefinedName("Rate", attr_text="Report!$A$2")
        sheet["B2"] = "=Rate*100"

    loaded = Workbook.load(write_openpyxl(tmp_path / "features.xlsx", build))
    assert loaded.value("A1") == "Title"
    assert loaded.value("A2") == 0.07
    text = "\n".join(loaded.warnings)
    assert "Report!A1:C1: merged cells were unmerged" in text
    assert "Report!A2: comment dropped ('tax rate')" in text
    assert "defined name" not in text
    assert loaded.value("B2") == pytest.approx(7)  # =Rate*100 with the name read from the file
    assert all("\n" not in line for line in loaded.warnings)


def test_a_plain_formula_naming_an_array_constant_takes_its_first_value_as_excel_shows_it(tmp_path):
    def build(book):
        book.defined_names["Grid"] = DefinedName("Grid", attr_text="{1,2,3;4,5,6}")
        book.defined_names["One"] = DefinedName("One", attr_text="{7}")
        book.active["A1"] = "=Grid"  # a file without dynamic arrays: Excel intersects, it does not spill
        book.active["A2"] = "=One"
        book.active["A3"] = "=SUM(Grid)"

    loaded = Workbook.load(write_openpyxl(tmp_path / "array_name.xlsx", build))
    assert loaded.formula("A1") == "=@Grid"
    assert [loaded.value(f"A{row}") for row in (1, 2, 3)] == [1, 7, 21]
    assert loaded.value("B1") is None  # nothing spilled


def test_a_pivot_table_openpyxl_cannot_read_costs_only_the_pivot_table_not_the_tables(tmp_path):
    """openpyxl fails on some pivot tables Excel wrote; the tables beside them (and the structured references that
    read them) must survive the fallback."""
    from openpyxl.worksheet.table import Table

    def build(book):
        sheet = book.active
        for row in (["Item", "Qty"], ["a", 2], ["b", 3]):
            sheet.append(row)
        sheet.add_table(Table(displayName="Stock", ref="A1:B3"))
        sheet["D1"] = "=SUM(Stock[Qty])"
        sheet.column_dimensions["A"].width = 20

    path = write_openpyxl(tmp_path / "pivot.xlsx", build)
    with zipfile.ZipFile(path) as archive:
        contents = {info.filename: archive.read(info) for info in archive.infolist()}
    rels = "xl/worksheets/_rels/sheet1.xml.rels"
    contents[rels] = contents[rels].replace(b"</Relationships>", (
        b'<Relationship Id="rIdPivot" Target="/xl/pivotTables/pivotTable1.xml" Type="http://schemas.openxmlformats.'
        b'org/officeDocument/2006/relationships/pivotTable"/></Relationships>'))
    contents["xl/pivotTables/pivotTable1.xml"] = (  # lacks what openpyxl requires of a pivot table definition
        b'<pivotTableDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>')
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in contents.items():
            archive.writestr(member, data)

    loaded = Workbook.load(path)
    assert [table.name for table in loaded.tables] == ["Stock"]
    assert loaded.value("D1") == 5
    assert loaded.column_width("A") == pytest.approx(20)
    notes = [line for line in loaded.warnings if line.startswith("while reading")]
    assert len(notes) == 1 and notes[0].endswith("loaded without pivot tables")


def test_load_keeps_cached_value_of_a_formula_the_engine_cannot_parse(tmp_path):
    def build(book):
        sheet = book.active
        sheet["A1"] = 2
        sheet["B1"] = "=A1+[1]Prices!A1"  # external workbook reference
        sheet["B2"] = "=SUM(Sheet1:Sheet3!)"  # a 3-D reference without its cell
        sheet["B3"] = "=B1*2"

    path = write_openpyxl(tmp_path / "external.xlsx", build)
    set_cached_values(path, {"B1": "12", "B2": "7"})
    loaded = Workbook.load(path)
    assert loaded.value("B1") == 12 and not loaded.is_formula("B1")
    assert loaded.value("B2") == 7
    assert loaded.value("B3") == 24  # a formula reading the kept value still computes
    text = "\n".join(loaded.warnings)
    assert "Sheet!B1: the formula =A1+[1]Prices!A1 does not parse" in text
    assert "kept its cached value 12" in text
    assert "Sheet!B2: the formula =SUM(Sheet1:Sheet3!) does not parse" in text


def test_three_d_references_load_compute_and_round_trip(tmp_path):
    def build(book):
        book.active.title = "Summary"
        for index, name in enumerate(("Jan", "My sheet", "Mar")):
            book.create_sheet(name)["A1"] = 10 ** index
        book["Summary"]["A1"] = "=SUM(Jan:Mar!A1)"
        book["Summary"]["A2"] = "=AVERAGE('Jan:My sheet'!A1:B2)"
        book["Summary"]["A3"] = "=COUNT(Jan:Mar!$A$1)"

    loaded = Workbook.load(write_openpyxl(tmp_path / "spans.xlsx", build))
    assert (loaded.value("Summary!A1"), loaded.value("Summary!A2"), loaded.value("Summary!A3")) == (111, 5.5, 3)
    again = round_trip(loaded, tmp_path)
    assert again.formula("Summary!A1") == "=SUM(Jan:Mar!A1)"
    assert again.formula("Summary!A2") == "=AVERAGE('Jan:My sheet'!A1:B2)"
    again.set("'My sheet'!A1", 20)
    assert (again.value("Summary!A1"), again.value("Summary!A2")) == (121, 10.5)


def test_load_without_cached_value_reports_the_dropped_formula(tmp_path):
    def build(book):
        book.active["B1"] = "=A1+[1]Prices!A1"

    loaded = Workbook.load(write_openpyxl(tmp_path / "nocache.xlsx", build))
    assert loaded.value("B1") is None
    assert any("Sheet!B1" in line and "dropped (the file has no cached value)" in line for line in loaded.warnings)


def test_load_computes_array_formulas_instead_of_keeping_their_cached_results(tmp_path):
    def build(book):
        sheet = book.active
        sheet["A1"], sheet["A2"] = 2, 3
        sheet["B1"] = ArrayFormula("B1", "=SUM(A1:A2*A1:A2)")

    path = write_openpyxl(tmp_path / "array.xlsx", build)
    set_cached_values(path, {"B1": "99"})  # a stale cached result must not survive
    loaded = Workbook.load(path)
    assert loaded.value("B1") == 13
    assert loaded.array_formula_range("B1") == "B1"
    assert loaded.warnings == []


def test_load_converts_dates_and_times_to_serial_numbers(tmp_path):
    def build(book):
        sheet = book.active
        sheet["A1"] = datetime.date(2024, 1, 15)
        sheet["A2"] = datetime.datetime(2024, 1, 15, 18, 0)
        sheet["A3"] = datetime.date(1900, 1, 1)
        sheet["A4"] = datetime.time(6, 0)

    loaded = Workbook.load(write_openpyxl(tmp_path / "dates.xlsx", build))
    assert loaded.value("A1") == 45306
    assert loaded.value("A2") == pytest.approx(45306.75)
    assert loaded.value("A3") == 1
    assert loaded.value("A4") == pytest.approx(0.25)
    assert loaded.format("A1").number_format == "yyyy-mm-dd"


def test_text_that_starts_with_an_equals_sign_stays_text_through_load_and_save(tmp_path):
    def build(book):
        book.active["A1"] = 5
        for address, text in (("B1", "=A1*2"), ("B2", "=not a formula")):
            cell = book.active[address]
            cell.value = text
            cell.data_type = "s"
        book.active["C1"] = '=B1&"!"'

    loaded = Workbook.load(write_openpyxl(tmp_path / "equals.xlsx", build))
    assert (loaded.value("B1"), loaded.value("B2"), loaded.value("C1")) == ("=A1*2", "=not a formula", "=A1*2!")
    assert not loaded.is_formula("B1") and loaded.is_formula("C1")
    assert not any("B1" in line or "B2" in line for line in loaded.warnings)
    loaded.save(tmp_path / "again.xlsx")
    again = Workbook.load(tmp_path / "again.xlsx")
    assert (again.value("B1"), again.is_formula("B1"), again.value("C1")) == ("=A1*2", False, "=A1*2!")
    import openpyxl

    assert openpyxl.load_workbook(tmp_path / "again.xlsx").active["B1"].data_type == "s"  # text for Excel too


def test_set_text_enters_text_that_looks_like_a_formula_and_undo_keeps_the_difference():
    wb = Workbook()
    wb.set("A1", "=1+1")
    wb.set_text("A1", "=1+1")
    assert (wb.value("A1"), wb.is_formula("A1")) == ("=1+1", False)
    wb.undo()
    assert (wb.value("A1"), wb.is_formula("A1")) == (2, True)
    wb.redo()
    assert (wb.value("A1"), wb.is_formula("A1")) == ("=1+1", False)
    wb.set("A2", 3)
    wb.undo()
    assert (wb.value("A1"), wb.is_formula("A1")) == ("=1+1", False)
    with pytest.raises(TypeError, match="set_text enters text, not int"):
        wb.set_text("A1", 5)


def test_load_reports_unsupported_functions_once_per_function(tmp_path):
    def build(book):
        for row in range(1, 4):
            book.active.cell(row, 1, f"=NOSUCHFUNCTION({row})")

    loaded = Workbook.load(write_openpyxl(tmp_path / "unknown.xlsx", build))
    assert str(loaded.value("A1")) == "#NAME?"
    lines = [line for line in loaded.warnings if "NOSUCHFUNCTION" in line]
    assert lines == ["function NOSUCHFUNCTION is not supported (used in Sheet!A1 and 2 more cells);"
                     " those formulas show #NAME?"]


def test_load_limits_warnings_per_kind(tmp_path):
    def build(book):
        sheet = book.active
        for row in range(1, 51):
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)

    loaded = Workbook.load(write_openpyxl(tmp_path / "many.xlsx", build))
    merged = [line for line in loaded.warnings if "merged cells were unmerged" in line]
    assert len(merged) == xlsx.WARNINGS_PER_KIND
    assert "... and 30 more warnings of this kind: merged cells" in loaded.warnings


def test_load_resolves_theme_colours(tmp_path):
    from openpyxl.styles import Color, Font, PatternFill

    def build(book):
        cell = book.active["A1"]
        cell.value = "x"
        cell.font = Font(color=Color(theme=0))  # lt1: white text
        cell.fill = PatternFill("solid", fgColor=Color(theme=4))  # accent1 of the default theme

    loaded = Workbook.load(write_openpyxl(tmp_path / "theme.xlsx", build))
    assert loaded.format("A1").font_color == "FFFFFF"
    assert loaded.format("A1").fill_color == "4F81BD"


# ================================================================================================ bad files
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (os.urandom(2048), "is not an .xlsx file (it does not start with a zip signature)"),
        (b"", "is empty"),
        (b"a,b\n1,2\n", "is not an .xlsx file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024), "is encrypted or an old .xls file"),
    ],
    ids=["random-bytes", "empty", "csv", "ole2"],
)
def test_load_rejects_files_that_are_not_xlsx(tmp_path, content, message):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    with pytest.raises(WorkbookFileError, match=re.escape(message)):
        Workbook.load(path)


def test_load_rejects_a_missing_file_and_a_directory(tmp_path):
    with pytest.raises(WorkbookFileError, match="no such file"):
        Workbook.load(tmp_path / "missing.xlsx")
    with pytest.raises(WorkbookFileError, match="is a directory"):
        Workbook.load(tmp_path)


def test_load_rejects_a_truncated_xlsx(tmp_path):
    good = tmp_path / "good.xlsx"
    Workbook().save(good)
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(WorkbookFileError, match="corrupt or truncated zip archive"):
        Workbook.load(truncated)


def test_load_rejects_a_zip_with_damaged_data(tmp_path):
    wb = Workbook()
    wb.set_range("A1", [[f"row {r}", r * 1.5] for r in range(2000)])
    path = tmp_path / "damaged.xlsx"
    wb.save(path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 100
    data[start : start + 64] = bytes(64)
    path.write_bytes(bytes(data))
    with pytest.raises(WorkbookFileError, match="corrupt"):
        Workbook.load(path)


def test_load_rejects_zips_that_are_not_workbooks(tmp_path):
    plain = tmp_path / "plain.xlsx"
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(WorkbookFileError, match=re.escape("not an .xlsx file (no [Content_Types].xml)")):
        Workbook.load(plain)
    document = tmp_path / "document.xlsx"
    with zipfile.ZipFile(document, "w") as archive:
        archive.writestr("[Content_Types].xml", '<Types><Override PartName="/word/document.xml" ContentType='
                         '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("word/document.xml", "<document/>")
    with pytest.raises(WorkbookFileError, match=re.escape("not an .xlsx workbook")):
        Workbook.load(document)


def test_load_rejects_a_workbook_without_worksheets(tmp_path):
    good = tmp_path / "good.xlsx"
    Workbook().save(good)
    empty = tmp_path / "nosheets.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(empty, "w") as target:
        for info in source.infolist():
            if not info.filename.startswith("xl/worksheets/"):
                target.writestr(info, source.read(info))
    with pytest.raises(WorkbookFileError, match="has no worksheets"):
        Workbook.load(empty)


def test_load_rejects_a_zip_bomb_by_its_declared_size_before_reading(tmp_path):
    good = tmp_path / "good.xlsx"
    Workbook().save(good)
    data = bytearray(good.read_bytes())
    # declare 300 MB for the first member in the central directory (offset 24: uncompressed size)
    central = data.find(b"PK\x01\x02")
    data[central + 24 : central + 28] = struct.pack("<I", 300 * 1024 * 1024)
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(bytes(data))
    with pytest.raises(WorkbookFileError, match=r"would expand to 300\.\d MB .* more than the limit of 200\.0 MB"):
        Workbook.load(bomb)


def test_load_rejects_a_highly_compressed_file_over_max_bytes(tmp_path):
    bomb = tmp_path / "zeros.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", bytes(8 * 1024 * 1024))
    assert bomb.stat().st_size < 100_000
    with pytest.raises(WorkbookFileError, match=re.escape("would expand to 8.0 MB")):
        Workbook.load(bomb, max_bytes=4 * 1024 * 1024)


def test_load_rejects_more_cells_than_max_cells(tmp_path):
    wb = Workbook()
    wb.set_range("A1", [[r, r + 1] for r in range(60)])
    path = tmp_path / "cells.xlsx"
    wb.save(path)
    assert Workbook.load(path, max_cells=120).value("B60") == 60
    with pytest.raises(WorkbookFileError, match="holds more than 100 cells"):
        Workbook.load(path, max_cells=100)


def test_load_wraps_openpyxl_errors(tmp_path):
    good = tmp_path / "good.xlsx"
    Workbook().save(good)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/workbook.xml":
                data = b"<workbook><sheets><sheet"  # malformed XML
            target.writestr(info, data)
    with pytest.raises(WorkbookFileError, match=re.escape("could not be read as an .xlsx workbook")) as caught:
        Workbook.load(broken)
    assert "\n" not in str(caught.value)


# ==================================================================================================== saving
def test_save_is_atomic_when_writing_fails(tmp_path, monkeypatch):
    path = tmp_path / "book.xlsx"
    wb = Workbook()
    wb.set("A1", "original")
    wb.save(path)
    before = path.read_bytes()

    def failing_save(self, target):
        target.write(b"PK\x03\x04 half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", failing_save)
    wb.set("A1", "changed")
    with pytest.raises(WorkbookFileError, match="no space left on device; the previous file"):
        wb.save(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["book.xlsx"]
    monkeypatch.undo()
    assert Workbook.load(path).value("A1") == "original"


def test_save_replaces_an_existing_file_and_keeps_its_permissions(tmp_path):
    path = tmp_path / "book.xlsx"
    Workbook().save(path)
    path.chmod(0o640)
    wb = Workbook()
    wb.set("A1", 2)
    wb.save(path)
    assert Workbook.load(path).value("A1") == 2
    assert path.stat().st_mode & 0o777 == 0o640
    assert os.listdir(tmp_path) == ["book.xlsx"]
    fresh = tmp_path / "fresh.xlsx"
    wb.save(fresh)
    umask = os.umask(0o022)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask


def test_save_reports_a_missing_directory_and_a_directory_target(tmp_path):
    wb = Workbook()
    with pytest.raises(WorkbookFileError, match="does not exist"):
        wb.save(tmp_path / "no" / "such" / "book.xlsx")
    with pytest.raises(WorkbookFileError, match="is a directory"):
        wb.save(tmp_path)
    with pytest.raises(WorkbookFileError, match="names a directory, not a file"):  # it saved a file called "out"
        wb.save(f"{tmp_path}{os.sep}out{os.sep}")
    assert os.listdir(tmp_path) == []


def test_save_reports_a_name_too_long_and_a_nul_character_as_file_errors(tmp_path):
    # they escaped as a bare OSError and ValueError
    wb = Workbook()
    with pytest.raises(WorkbookFileError, match="file name too long"):
        wb.save(tmp_path / ("b" * 300 + ".xlsx"))
    with pytest.raises(WorkbookFileError, match="null"):
        wb.save(str(tmp_path / "bo\0ok.xlsx"))
    assert os.listdir(tmp_path) == []


def test_save_refuses_to_replace_a_read_only_file(tmp_path):
    # saving writes a new file and renames it over the old one: a file made read-only was replaced all the same
    path = tmp_path / "book.xlsx"
    wb = Workbook()
    wb.set("A1", "original")
    wb.save(path)
    path.chmod(0o444)
    before = path.read_bytes()
    wb.set("A1", "changed")
    with pytest.raises(WorkbookFileError, match="the file is read-only; the previous file is unchanged"):
        wb.save(path)
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["book.xlsx"]
    path.chmod(0o644)
    wb.save(path)
    assert Workbook.load(path).value("A1") == "changed"


def test_save_reports_permission_denied(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(fileio, "create_temp", refuse)
    with pytest.raises(WorkbookFileError, match="permission denied"):
        Workbook().save(tmp_path / "book.xlsx")
    assert os.listdir(tmp_path) == []


def test_load_refuses_a_named_pipe_instead_of_waiting_for_a_writer(tmp_path, named_pipe):
    named_pipe(tmp_path / "pipe.xlsx")
    with pytest.raises(WorkbookFileError, match=re.escape("pipe.xlsx is not a regular file (it is a named pipe)")):
        Workbook.load(tmp_path / "pipe.xlsx")


def test_save_never_writes_through_a_link_or_over_a_named_pipe(tmp_path):
    """Saving resolved a symbolic link and replaced the file it pointed to (as root, a link to /dev/full replaced
    the device); a link, a named pipe or a device at the path is refused and left as it was."""
    target = tmp_path / "target.xlsx"
    target.write_bytes(b"precious")
    (tmp_path / "link.xlsx").symlink_to(target)
    with pytest.raises(WorkbookFileError, match=re.escape("link.xlsx: it is a symbolic link")):
        Workbook().save(tmp_path / "link.xlsx")
    assert target.read_bytes() == b"precious" and (tmp_path / "link.xlsx").is_symlink()
    os.mkfifo(tmp_path / "pipe.xlsx")
    with pytest.raises(WorkbookFileError, match=re.escape("pipe.xlsx: it is a named pipe, not a regular file")):
        Workbook().save(tmp_path / "pipe.xlsx")
    assert sorted(os.listdir(tmp_path)) == ["link.xlsx", "pipe.xlsx", "target.xlsx"]


def test_saved_file_asks_for_recalculation_on_open(tmp_path):
    wb = Workbook()
    wb.set("A1", "=1+1")
    path = tmp_path / "calc.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as archive:
        assert b'fullCalcOnLoad="1"' in archive.read("xl/workbook.xml")


def test_error_value_cells_are_written_as_errors(tmp_path):
    wb = Workbook()
    wb.set("A1", NA)
    wb.set("A2", "#N/A")
    path = tmp_path / "errors.xlsx"
    wb.save(path)
    sheet = openpyxl.load_workbook(path).active
    assert (sheet["A1"].data_type, sheet["A1"].value) == ("e", "#N/A")
    assert (sheet["A2"].data_type, sheet["A2"].value) == ("s", "#N/A")


def test_formulas_filled_down_load_as_if_each_were_parsed_on_its_own(tmp_path, monkeypatch):
    # The loader parses one formula of each relative shape and moves its tree to the others; the workbook must be
    # the one a loader that parses every text gives: same trees, same shown texts, same values.
    def build(book):
        ws = book.active
        ws.title = "Data"
        other = book.create_sheet("Other")
        for r in range(1, 13):
            ws[f"A{r}"] = r
            ws[f"B{r}"] = r * 2.5
            other[f"A{r}"] = -r
        for r in range(2, 13):
            ws[f"C{r}"] = f"=C{r - 1}+A{r}"  # a running total
            ws[f"D{r}"] = f"=SUM($A$1:A{r})"  # an anchored range growing down
            ws[f"E{r}"] = f"=Other!A{r}*$B$1"  # another sheet
            ws[f"F{r}"] = f"=A{r}:A{r + 1}"  # Excel implies @ here: shown as =@A2:A3
            ws[f"G{r}"] = f"=_xlfn.XLOOKUP(A{r},A:A,B:B)"  # a stored prefix, whole columns
            ws[f"H{r}"] = f'=IF(A{r}>5,"A{r}",SUM(B:B)-B{r})'  # a string that looks like a reference
            ws[f"I{r}"] = f"=SUM($A$5:A{r})"  # corners that swap order half-way down
        for c in "JKL":
            ws[f"{c}1"] = f"=SUM({c}2:{c}3)+SUM(2:2)"  # filled across, whole rows

    path = write_openpyxl(tmp_path / "filled.xlsx", build)
    moves = []
    shift = xlsx.shift
    monkeypatch.setattr(xlsx, "shift", lambda tree, dr, dc: moves.append((dr, dc)) or shift(tree, dr, dc))
    monkeypatch.setattr(xlsx, "is_parsed", lambda text: False)  # as a process meeting these texts first
    shared = Workbook.load(path)
    # moved, not parsed: the 10 followers of columns C-G; none in H (its string differs per row); 8 in I (2 before
    # row 5, where its corners cross, 6 after); K1 and L1 after J1
    assert len(moves) == 5 * 10 + 8 + 2
    monkeypatch.setattr(xlsx, "relative_shape", lambda text, row, col: None)
    alone = Workbook.load(path)
    addresses = [f"{c}{r}" for c in "CDEFGHI" for r in range(2, 13)] + ["J1", "K1", "L1"]
    for address in addresses:
        where = f"Data!{address}"
        assert shared.formula_node(where) == alone.formula_node(where), address
        assert shared.formula(where) == alone.formula(where), address
        assert shared.value(where) == alone.value(where), address
    assert shared.formula("Data!F3") == "=@A3:A4"
    assert shared.formula("Data!G5") == "=XLOOKUP(A5,A:A,B:B)"
    assert shared.value("Data!D12") == sum(range(1, 13))


def test_sheets_named_like_cells_are_not_moved_as_references(tmp_path, monkeypatch):
    # AB1!A1 in A1 and AB2!A2 in A2 are one move apart in their cells but name two sheets: the second formula must
    # read sheet AB2 (and the parser must not be left believing that =AB2!A2 reads sheet AB1)
    def build(book):
        ws = book.active
        ws.title = "Data"
        for name, value in (("AB1", 10), ("AB2", 20)):
            sheet = book.create_sheet(name)
            for r in range(1, 3):
                sheet[f"A{r}"] = value + r
        ws["A1"] = "=AB1!A1"
        ws["A2"] = "=AB2!A2"

    path = write_openpyxl(tmp_path / "cell_like_sheets.xlsx", build)
    monkeypatch.setattr(parser, "_CACHE", OrderedDict())  # a process that has parsed none of these texts
    monkeypatch.setattr(xlsx, "_PARSED_TEXTS", OrderedDict())
    book = Workbook.load(path)
    assert book.value("Data!A1") == 11
    assert book.value("Data!A2") == 22
    assert parse("=AB2!A2") == CellRef("AB2", 1, 0, False, False)


def test_a_filled_down_formula_too_long_to_parse_is_refused_like_any_other(tmp_path, monkeypatch):
    # B10 is B9 filled down, but each A9 became A10 and the text passed the length a formula may have
    def build(book):
        ws = book.active
        ws["A9"], ws["A10"] = 1, 2
        ws["B9"] = "=" + "+".join(["A9"] * 2730)
        ws["B10"] = "=" + "+".join(["A10"] * 2730)

    path = write_openpyxl(tmp_path / "long.xlsx", build)
    monkeypatch.setattr(parser, "_CACHE", OrderedDict())
    monkeypatch.setattr(xlsx, "_PARSED_TEXTS", OrderedDict())
    book = Workbook.load(path)
    assert book.value("Sheet!B9") == 2730
    assert not book.is_formula("Sheet!B10")
    assert any("Sheet!B10" in line and "longer than 8192" in line for line in book.warnings)


def test_a_workbook_loaded_again_in_the_same_process_parses_none_of_its_formulas(tmp_path, monkeypatch):
    def build(book):
        ws = book.active
        for r in range(1, 6):
            ws[f"A{r}"] = r
            ws[f"B{r}"] = f"=A{r}*2+SUM($A$1:A{r})"
        ws["C1"] = "=IF(B5>20,\"big\",\"small\")"

    path = write_openpyxl(tmp_path / "again.xlsx", build)
    monkeypatch.setattr(parser, "_CACHE", OrderedDict())
    monkeypatch.setattr(xlsx, "_PARSED_TEXTS", OrderedDict())
    first = Workbook.load(path)
    parser._CACHE.clear()  # even with the parser's own cache gone

    def refuse(text):
        raise AssertionError(f"parsed {text} again")

    monkeypatch.setattr(xlsx, "parse", refuse)
    again = Workbook.load(path)
    for address in ("Sheet!B1", "Sheet!B5", "Sheet!C1"):
        assert again.formula(address) == first.formula(address)
        assert again.value(address) == first.value(address)
    assert again.value("Sheet!B5") == 25 and again.value("Sheet!C1") == "big"


def test_a_text_remembered_from_another_file_is_converted_against_this_files_names(tmp_path):
    # =Data*2 intersects Data where Data names a range (Excel shows =@Data*2), not where it names one cell
    def build(reference):
        def make(book):
            ws = book.active
            for r in range(1, 4):
                ws[f"A{r}"] = r * 10
            ws["B2"] = "=Data*2"
            book.defined_names["Data"] = DefinedName("Data", attr_text=reference)

        return make

    ranged = Workbook.load(write_openpyxl(tmp_path / "range.xlsx", build("Sheet!$A$1:$A$3")))
    single = Workbook.load(write_openpyxl(tmp_path / "cell.xlsx", build("Sheet!$A$3")))
    ranged_again = Workbook.load(tmp_path / "range.xlsx")
    assert ranged.formula("Sheet!B2") == ranged_again.formula("Sheet!B2") == "=@Data*2"
    assert ranged.value("Sheet!B2") == 40
    assert single.formula("Sheet!B2") == "=Data*2"
    assert single.value("Sheet!B2") == 60


def _with_and_without_templates(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Workbook, Workbook, int]:
    """The file loaded with formula templates, and loaded compiling every tree; and how many formulas the first
    load compiled from a template."""
    from sheetrl.sheet.compiler import FormulaTemplate

    used = []
    instantiate = FormulaTemplate.instantiate

    def counted(self, sheet_id, row, col):
        compiled = instantiate(self, sheet_id, row, col)
        used.append(compiled is not None)
        return compiled

    with monkeypatch.context() as patch:
        patch.setattr(FormulaTemplate, "instantiate", counted)
        templated = Workbook.load(path)
    with monkeypatch.context() as patch:
        patch.setattr(FormulaTemplate, "instantiate", lambda self, sheet_id, row, col: None)
        compiled = Workbook.load(path)
    return templated, compiled, sum(used)


def test_formulas_compiled_from_a_template_read_and_follow_what_their_trees_do(tmp_path, monkeypatch):
    # columns filled down on two sheets with the same texts (a reference without a sheet name reads the formula's
    # own sheet), absolute and mixed references, another sheet, a leading sign (the cell-value program)
    def build(book):
        data = book.active
        data.title = "Data"
        other = book.create_sheet("Other")
        data["B1"], other["B1"], other["F1"] = 0.5, 4, 8
        for r in range(1, 42):
            data[f"A{r}"], other[f"A{r}"], other[f"E{r}"] = r, 100 + r, -r
        # Other holds the same shapes with other texts: four columns right (its relative columns read E, not A)
        for sheet, (c, d, e, f, a, b) in ((data, "CDEFAB"), (other, "GHIJEF")):
            for r in range(1, 41):
                sheet[f"{c}{r}"] = f"={a}{r}" if r == 1 else f"={c}{r - 1}+{a}{r}"
                sheet[f"{d}{r}"] = f"={a}{r}*$B$1-Other!{a}{r}"
                sheet[f"{e}{r}"] = f"=-{a}{r}+{b}$1*2"
                sheet[f"{f}{r}"] = f"=({a}{r}-$A{r})/{a}$40"

    path = write_openpyxl(tmp_path / "templates.xlsx", build)
    monkeypatch.setattr(fused, "uses_before_generating", lambda program: 1)  # (not after a few rows, as usual)
    templated, compiled, used = _with_and_without_templates(path, monkeypatch)
    assert used >= 300  # of the 320 formulas: all but the first of each shape (and C2, as C1 is =A1)
    addresses = [f"Data!{c}{r}" for c in "CDEF" for r in range(1, 41)]
    addresses += [f"Other!{c}{r}" for c in "GHIJ" for r in range(1, 41)]
    for address in addresses:
        assert templated.value(address) == compiled.value(address), address
        assert templated.formula(address) == compiled.formula(address), address
        assert templated.precedents(address) == compiled.precedents(address), address
    for book in (templated, compiled):
        book.set("Data!A7", -3)
        book.set("Other!A20", 0.25)
        book.set("Other!B1", 9)
    for address in addresses:
        assert templated.value(address) == compiled.value(address), address
    assert templated.value("Other!G40") == -sum(range(1, 41))
    assert templated.value("Other!H20") == -20 * 9 + 20  # E20 * $B$1 - Other!E20, after B1 became 9


def test_shared_formulas_compiled_from_a_template_follow_their_inputs(tmp_path, monkeypatch):
    rows = "".join(
        f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}"><f t="shared"'
        + (' ref="B1:B30" si="0">A1*10+$A$1-A1/4</f>' if r == 1 else ' si="0"/>')
        + "<v>0</v></c></row>"
        for r in range(1, 31)
    )
    path = write_openpyxl(tmp_path / "shared.xlsx", lambda book: None)
    with zipfile.ZipFile(path) as archive:
        contents = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet = contents["xl/worksheets/sheet1.xml"].decode()
    contents["xl/worksheets/sheet1.xml"] = re.sub(r"<sheetData\s*/>|<sheetData>.*</sheetData>",
                                                  f"<sheetData>{rows}</sheetData>", sheet).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in contents.items():
            archive.writestr(name, data)
    monkeypatch.setattr(fused, "uses_before_generating", lambda program: 1)
    templated, compiled, used = _with_and_without_templates(path, monkeypatch)
    assert used >= 28  # every follower of the anchor but the first (compiled: its template is the others')
    for book in (templated, compiled):
        assert book.value("Sheet!B30") == 30 * 10 + 1 - 30 / 4
        book.set("Sheet!A1", 2)
        book.set("Sheet!A29", -1)
    for r in range(1, 31):
        assert templated.value(f"Sheet!B{r}") == compiled.value(f"Sheet!B{r}"), r
        assert templated.precedents(f"Sheet!B{r}") == compiled.precedents(f"Sheet!B{r}"), r
    assert templated.value("Sheet!B29") == -10 + 2 + 0.25


def test_a_text_met_in_an_earlier_load_is_compiled_from_its_own_template(tmp_path, monkeypatch):
    # the same texts in two workbooks, on sheets of other ids (a reference without a sheet name reads the
    # formula's own sheet); texts that name a sheet are compiled from their trees
    def build(sheets):
        def make(book):
            book.active.title = sheets[0]
            for title in sheets[1:]:
                book.create_sheet(title)
            for ws in book.worksheets:
                for r in range(1, 31):
                    ws[f"A{r}"] = r * len(ws.title)
                    ws[f"B{r}"] = f"=A{r}*2+$A$1"
                    ws[f"C{r}"] = f"=B{r}-{ws.title}!A{r}"
        return make

    monkeypatch.setattr(fused, "uses_before_generating", lambda program: 1)
    monkeypatch.setattr(xlsx, "_TEXT_TEMPLATES", OrderedDict())
    first = write_openpyxl(tmp_path / "first.xlsx", build(["Data"]))
    second = write_openpyxl(tmp_path / "second.xlsx", build(["Other", "Data"]))
    Workbook.load(first)
    assert ("=A7*2+$A$1", True) in xlsx._TEXT_TEMPLATES
    assert not any("!" in text for text, _ in xlsx._TEXT_TEMPLATES)
    templated, compiled, used = _with_and_without_templates(second, monkeypatch)
    assert used >= 50
    addresses = [f"{sheet}!{c}{r}" for sheet in ("Other", "Data") for c in "BC" for r in range(1, 31)]
    for book in (templated, compiled):
        book.set("Other!A5", -1)
        book.set("Data!A1", 100)
    for address in addresses:
        assert templated.value(address) == compiled.value(address), address
        assert templated.precedents(address) == compiled.precedents(address), address
    assert templated.value("Other!B5") == -2 + 5
