"""Array formulas in .xlsx files: dynamic arrays (cell metadata), legacy array formulas, plain formulas with @."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.worksheet.formula import ArrayFormula

from sheetrl.sheet import Workbook
from sheetrl.sheet.xlsx_arrays import dynamic_array_cells

EXCEL_METADATA = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<metadata xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:xda="http://schemas.microsoft.com/office/spreadsheetml/2017/dynamicarray">'
    '<metadataTypes count="2"><metadataType name="XLMDX" minSupportedVersion="120000"/>'
    '<metadataType name="XLDAPR" minSupportedVersion="120000" cellMeta="1"/></metadataTypes>'
    '<futureMetadata name="XLDAPR" count="2">'
    '<bk><extLst><ext uri="{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}">'
    '<xda:dynamicArrayProperties fDynamic="0" fCollapsed="0"/></ext></extLst></bk>'
    '<bk><extLst><ext uri="{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}">'
    '<xda:dynamicArrayProperties fDynamic="1" fCollapsed="0"/></ext></extLst></bk></futureMetadata>'
    '<cellMetadata count="2"><bk><rc t="2" v="0"/></bk><bk><rc t="2" v="1"/></bk></cellMetadata></metadata>'
)


def read_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def cell_xml(parts: dict[str, str], address: str, sheet: int = 1) -> str:
    match = re.search(rf'<c r="{address}"[^>]*>.*?</c>', parts[f"xl/worksheets/sheet{sheet}.xml"])
    assert match, f"no cell {address}"
    return match.group()


def excel_style_file(path: Path, marks: dict[str, str], cached: dict[str, str]) -> Path:
    """An .xlsx as Excel writes one with dynamic arrays: ``marks`` gives cells their cm index; the cells in
    ``cached`` get a cached value (stale ones: the engine must not use them)."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for address, index in marks.items():
        sheet = sheet.replace(f'<c r="{address}"', f'<c r="{address}" cm="{index}"', 1)
    for address, value in cached.items():
        sheet, count = re.subn(rf'(<c r="{address}"[^>]*>.*?</f>)<v\s*/>', rf"\1<v>{value}</v>", sheet)
        if not count:  # a cell holding only a cached result, as the other cells of an array formula do
            row = re.search(r"\d+", address).group()
            sheet = sheet.replace(f'<row r="{row}">', f'<row r="{row}"><c r="{address}"><v>{value}</v></c>', 1)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    parts["xl/metadata.xml"] = EXCEL_METADATA.encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/metadata.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheetMetadata+xml"/></Types>',
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sheetMetadata" Target="metadata.xml"/></Relationships>',
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


# ================================================================================================ saving
def test_a_spilling_formula_is_saved_as_a_marked_array_formula_over_its_spill(tmp_path):
    wb = Workbook()
    wb.set_range("A1", [[1], [2], [3]])
    wb.set("B1", "=A1:A3*2")
    path = tmp_path / "spill.xlsx"
    wb.save(path)
    parts = read_parts(path)
    assert re.fullmatch(r'<c r="B1" cm="1"><f t="array" ref="B1:B3">A1:A3\*2</f><v\s*/></c>', cell_xml(parts, "B1"))
    assert 'fDynamic="1"' in parts["xl/metadata.xml"]
    assert "metadata.xml" in parts["xl/_rels/workbook.xml.rels"] and "/xl/metadata.xml" in parts["[Content_Types].xml"]
    assert dynamic_array_cells(zipfile.ZipFile(path)) == {"Sheet1": {"B1"}}


def test_formulas_are_saved_as_plain_formulas_when_their_at_signs_are_implied(tmp_path):
    wb = Workbook()
    wb.set_range("A1", [[1], [2], [3]])
    wb.set("B2", "=@A1:A3*2")
    wb.set("B3", "=SUM(A1:A3)")
    wb.set("B4", "=SUM(@A1:A3)")  # @ where no plain formula would have one
    wb.set("B5", "=@A9#")
    path = tmp_path / "plain.xlsx"
    wb.save(path)
    sheet = openpyxl.load_workbook(path)["Sheet1"]
    assert sheet["B2"].value == "=A1:A3*2" and sheet["B3"].value == "=SUM(A1:A3)"
    assert isinstance(sheet["B4"].value, ArrayFormula) and sheet["B4"].value.text == "=SUM(_xlfn.SINGLE(A1:A3))"
    assert sheet["B5"].value == "=_xlfn.ANCHORARRAY(A9)"
    assert dynamic_array_cells(zipfile.ZipFile(path)) == {"Sheet1": {"B4"}}


def test_a_formula_whose_result_spills_is_saved_as_a_dynamic_array_whatever_its_text(tmp_path):
    # =week() calls a LAMBDA name: nothing in its text is an array, so it was written as a plain formula, which
    # Excel reads as =@week() (one value, no spill); one blocked by a value (#SPILL!) is a dynamic array too
    wb = Workbook()
    wb.define_name("week", "=LAMBDA(SEQUENCE(1,3))")
    wb.set("B5", "=week()")
    wb.set("B6", "=week()")
    wb.set("C6", "x")
    path = tmp_path / "spill.xlsx"
    wb.save(path)
    parts = read_parts(path)
    assert re.fullmatch(r'<c r="B5" cm="1"><f t="array" ref="B5:D5">week\(\)</f><v\s*/></c>', cell_xml(parts, "B5"))
    assert dynamic_array_cells(zipfile.ZipFile(path)) == {"Sheet1": {"B5", "B6"}}
    loaded = Workbook.load(path)
    assert loaded.spill_range("B5") == "B5:D5" and str(loaded.value("B6")) == "#SPILL!"


def test_a_plain_formula_intersecting_a_union_keeps_the_union_s_parentheses(tmp_path):
    # loaded as =@(A1,B1) and =L6-@(-4,3); saving dropped the parentheses with the @: "A1,B1" does not parse, and
    # the formulas were lost on the next load
    book = openpyxl.Workbook()
    book.active["C1"] = "=(A1,B1)"
    book.active["C2"] = "=L6-(-4,3)"
    source = tmp_path / "union.xlsx"
    book.save(source)
    wb = Workbook.load(source)
    path = tmp_path / "saved.xlsx"
    wb.save(path)
    sheet = openpyxl.load_workbook(path)["Sheet"]
    assert (sheet["C1"].value, sheet["C2"].value) == ("=(A1,B1)", "=L6-(-4,3)")
    loaded = Workbook.load(path)
    assert (loaded.formula("C1"), loaded.formula("C2")) == (wb.formula("C1"), wb.formula("C2"))
    assert loaded.warnings == []


def test_a_legacy_array_formula_is_saved_unmarked_over_its_range(tmp_path):
    wb = Workbook()
    wb.set_array_formula("C1:C2", "={1;2}*3")
    path = tmp_path / "cse.xlsx"
    wb.save(path)
    value = openpyxl.load_workbook(path)["Sheet1"]["C1"].value
    assert isinstance(value, ArrayFormula) and (value.ref, value.text) == ("C1:C2", "={1;2}*3")
    assert dynamic_array_cells(zipfile.ZipFile(path)) == {}


def test_saved_arrays_load_back_the_same(tmp_path):
    wb = Workbook(["Data", "Calc"])
    wb.set_range("Data!A1", [[3], [1], [2]])
    wb.set("Calc!A1", "=SORT(Data!A1:A3)")
    wb.set("Calc!B1", "=SUM(A1#)")
    wb.set_array_formula("Calc!C1:C3", "=Data!A1:A3*10")
    wb.set("Calc!D1", "=LET(x,Data!A1:A3,MAP(x,LAMBDA(v,v+1)))")
    path = tmp_path / "arrays.xlsx"
    wb.save(path)
    loaded = Workbook.load(path)
    assert loaded.warnings == []
    for address in ("Calc!A1:D3",):
        assert loaded.values(address) == wb.values(address)
    assert loaded.spill_range("Calc!A1") == "A1:A3" and loaded.array_formula_range("Calc!C2") == "C1:C3"
    loaded.set("Data!A1", 0)
    assert [row[0] for row in loaded.values("Calc!A1:A3")] == [0, 1, 2] and loaded.value("Calc!B1") == 3


def test_spill_and_intersection_operators_keep_their_spelling_through_a_file(tmp_path):
    # stored as _xlfn.ANCHORARRAY(K1) and _xlfn.SINGLE(...) in dynamic-array formulas; Excel shows K1# and @
    wb = Workbook()
    wb.set("K1", "=SEQUENCE(2)")
    formulas = {"A1": "=@K1:K2+SEQUENCE(2)", "B1": "=SUM(K1#)+SEQUENCE(2)", "C1": "=K1#", "D1": '="SINGLE("&K1#'}
    for address, formula in formulas.items():
        wb.set(address, formula)
    path = tmp_path / "operators.xlsx"
    wb.save(path)
    loaded = Workbook.load(path)
    assert {address: loaded.formula(address) for address in formulas} == formulas
    assert loaded.values("A1:D2") == wb.values("A1:D2")

# =============================================================================================== loading
def test_excel_dynamic_array_formulas_are_read_and_recomputed(tmp_path):
    def build(book: openpyxl.Workbook) -> None:
        sheet = book.active
        sheet.title = "Sheet1"
        sheet["A1"], sheet["A2"], sheet["A3"] = 3, 1, 2
        sheet["B1"] = ArrayFormula("B1:B3", "=_xlfn._xlws.SORT(A1:A3)")  # marked dynamic below
        sheet["C1"] = ArrayFormula("C1:C3", "=A1:A3*10")  # marked with a non-dynamic record: legacy array
        sheet["D2"] = "=A1:A3"  # plain: intersected
        sheet["E1"] = "=SUM(_xlfn.ANCHORARRAY(B1))"

    path = tmp_path / "excel.xlsx"
    book = openpyxl.Workbook()
    build(book)
    book.save(path)
    excel_style_file(path, {"B1": "2", "C1": "1"}, {"B1": "99", "B2": "99", "B3": "99", "C1": "-1", "C2": "-1",
                                                     "C3": "-1", "D2": "-1", "E1": "-1"})
    assert dynamic_array_cells(zipfile.ZipFile(path)) == {"Sheet1": {"B1"}}
    loaded = Workbook.load(path)
    assert loaded.warnings == []
    assert loaded.formula("B1") == "=SORT(A1:A3)" and loaded.spill_range("B1") == "B1:B3"
    assert [row[0] for row in loaded.values("B1:B3")] == [1, 2, 3]  # recomputed, not the cached 99s
    assert loaded.input("B2") is None  # the cached elements are not inputs
    assert loaded.array_formula_range("C2") == "C1:C3" and [r[0] for r in loaded.values("C1:C3")] == [30, 10, 20]
    assert loaded.formula("D2") == "=@A1:A3" and loaded.value("D2") == 1
    assert loaded.formula("E1") == "=SUM(B1#)" and loaded.value("E1") == 6
    loaded.set("A2", 5)
    assert [row[0] for row in loaded.values("B1:B3")] == [2, 3, 5] and loaded.value("E1") == 10
