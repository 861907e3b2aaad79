"""Data tables in .xlsx files: ``<f t="dataTable" ref=… dt2D dtr r1 r2 del1 del2/>`` read, computed and written."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.worksheet.formula import DataTableFormula

from sheetrl.sheet import Workbook
from sheetrl.sheet.errors import REF


def sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def cell_xml(xml: str, address: str) -> str:
    match = re.search(rf'<c r="{address}"[^>]*?(?:/>|>.*?</c>)', xml)
    assert match, f"no cell {address}"
    return match.group()


def write_excel_like(path: Path, stale: object = "stale") -> None:
    """Three tables as Excel stores them: the TABLE attributes on the first interior cell, cached values (here
    ``stale``, which loading must not keep) in the others."""
    xl = openpyxl.Workbook()
    ws = xl.active
    ws["A1"], ws["A2"] = 0.5, 100
    ws["C3"], ws["D3"] = "=A2*A1", "=A1+1"
    for row, value in zip(range(4, 7), (1, 2, 3)):
        ws[f"B{row}"] = value
    ws["C4"] = DataTableFormula("C4:D6", dt2D=False, dtr=False, r1="A1")
    for address in ("D4", "C5", "D5", "C6", "D6"):
        ws[address] = stale
    # row input: values along row 8, formula in F9
    ws["F7"] = 2
    ws["G8"], ws["H8"] = 3, 4
    ws["F9"] = "=F7*F7"
    ws["G9"] = DataTableFormula("G9:H9", dtr=True, r1="F7")
    ws["H9"] = stale
    # two variables: corner J11, row input J10 (values in K11:L11), column input K10 (values in J12:J13)
    ws["J10"], ws["K10"] = 1, 1
    ws["J11"] = "=J10*10+K10"
    ws["K11"], ws["L11"] = 1, 2
    ws["J12"], ws["J13"] = 5, 7
    ws["K12"] = DataTableFormula("K12:L13", dt2D=True, dtr=True, r1="J10", r2="K10")
    for address in ("L12", "K13", "L13"):
        ws[address] = stale
    xl.save(path)


def test_loading_computes_every_kind_of_data_table(tmp_path):
    path = tmp_path / "tables.xlsx"
    write_excel_like(path)
    wb = Workbook.load(path)
    assert wb.warnings == []
    assert wb.values("C4:D6") == [[100, 2], [200, 3], [300, 4]]
    assert wb.formula("C4") == "=TABLE(,A1)"
    assert wb.values("G9:H9") == [[9, 16]]
    assert wb.formula("G9") == "=TABLE(F7,)"
    assert wb.values("K12:L13") == [[15, 25], [17, 27]]
    assert wb.formula("K12") == "=TABLE(J10,K10)"
    assert wb.is_data_table("L13")


def test_a_deleted_input_loads_as_ref_error_in_every_cell(tmp_path):
    path = tmp_path / "deleted.xlsx"
    xl = openpyxl.Workbook()
    ws = xl.active
    ws["B3"] = "=5"
    ws["A4"], ws["A5"] = 1, 2
    ws["B4"] = DataTableFormula("B4:B5", dtr=False, r1="C1", del1=True)
    ws["B5"] = "stale"
    xl.save(path)
    wb = Workbook.load(path)
    assert wb.formula("B4") == "=TABLE(,#REF!)"
    assert wb.values("B4:B5") == [[REF], [REF]]


def test_a_data_table_that_cannot_be_computed_keeps_its_cached_values_with_a_warning(tmp_path):
    path = tmp_path / "odd.xlsx"
    xl = openpyxl.Workbook()
    ws = xl.active
    ws["C3"] = "=A1"
    ws["B4"] = 1
    ws["C4"] = DataTableFormula("C4", r1="Sheet2!A1")  # an input on another sheet: not a cell of this one
    xl.save(path)
    xml, cached = re.subn(r'(<c r="C4"><f [^>]*/>)<v ?/>', r"\1<v>42</v>", sheet_xml(path))
    assert cached == 1
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(tmp_path / "odd2.xlsx", "w") as target:
        for item in source.infolist():
            data = xml.encode() if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            target.writestr(item, data)
    wb = Workbook.load(tmp_path / "odd2.xlsx")
    assert wb.value("C4") == 42
    assert any("data table over C4" in line and "kept its cached value 42" in line for line in wb.warnings)


def test_a_data_table_over_the_size_bound_keeps_its_cached_values(tmp_path):
    path = tmp_path / "big.xlsx"
    xl = openpyxl.Workbook()
    ws = xl.active
    ws["A1"] = "=B1"
    ws["B2"] = DataTableFormula("B2:CW102", r1="C1")
    ws["B3"] = 7  # a cached value of the table's interior
    xl.save(path)
    wb = Workbook.load(path)
    assert wb.value("B3") == 7
    assert not wb.is_data_table("B2")
    assert any("10,100 cells; at most 10,000 are computed" in line for line in wb.warnings)


def test_saving_writes_the_data_tables_as_excel_does_and_reads_them_back(tmp_path):
    path = tmp_path / "tables.xlsx"
    write_excel_like(path)
    wb = Workbook.load(path)
    saved = tmp_path / "saved.xlsx"
    wb.save(saved)
    xml = sheet_xml(saved)
    assert '<f t="dataTable" ref="C4:D6" r1="A1"' in cell_xml(xml, "C4")
    assert '<f t="dataTable" ref="G9:H9" dtr="1" r1="F7"' in cell_xml(xml, "G9")
    assert '<f t="dataTable" ref="K12:L13" dt2D="1" dtr="1" r1="J10" r2="K10"' in cell_xml(xml, "K12")
    assert "<f" not in cell_xml(xml, "D6") and "<v>4</v>" in cell_xml(xml, "D6")  # values only in the others
    assert "<v>27</v>" in cell_xml(xml, "L13")
    again = Workbook.load(saved)
    assert again.warnings == []
    for area in ("C4:D6", "G9:H9", "K12:L13"):
        assert again.values(area) == wb.values(area)
        assert again.array_formula_range(area.split(":")[0]) == area
    again.set("A2", 10)
    assert again.values("C4:C6") == [[10], [20], [30]]


def test_a_deleted_input_is_saved_with_its_flag(tmp_path):
    wb = Workbook()
    wb.set("C1", 1)
    wb.set("B3", "=C1")
    wb.set_range("A4", [[1], [2]])
    wb.set_data_table("B4:B5", column_input="C1")
    wb.delete_columns(3)
    path = tmp_path / "deleted.xlsx"
    wb.save(path)
    assert 'del1="1"' in cell_xml(sheet_xml(path), "B4")
    again = Workbook.load(path)
    assert again.formula("B4") == "=TABLE(,#REF!)"
    assert again.values("B4:B5") == [[REF], [REF]]
