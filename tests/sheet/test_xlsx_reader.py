"""Loading files other applications wrote: the sheet XML shapes Excel, LibreOffice and others produce, and files
openpyxl alone cannot read. Every workbook here is built in the test (openpyxl, then its XML edited where a shape
openpyxl never writes is needed)."""

from __future__ import annotations

import datetime
import re
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import GradientFill
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from sheetrl.sheet import xlsx_reader
from sheetrl.sheet.errors import WorkbookFileError
from sheetrl.sheet.workbook import Workbook

SHEET_PART = "xl/worksheets/sheet1.xml"


def build(path: Path, fill: Callable[[openpyxl.Workbook], None]) -> Path:
    book = openpyxl.Workbook()
    fill(book)
    book.save(path)
    return path


def edit_part(path: Path, part: str, edit: Callable[[str], str]) -> None:
    """Rewrite one member of the zip (the text of an XML part) in place."""
    with zipfile.ZipFile(path) as archive:
        contents = {info.filename: archive.read(info) for info in archive.infolist()}
    contents[part] = edit(contents[part].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)


def replace_sheet_data(path: Path, rows: str) -> None:
    """Give sheet 1 exactly the ``<sheetData>`` content ``rows`` (XML as Excel would write it)."""
    edit_part(path, SHEET_PART, lambda xml: re.sub(r"<sheetData\s*/>|<sheetData>.*</sheetData>",
                                                   f"<sheetData>{rows}</sheetData>", xml, flags=re.DOTALL))


def one_sheet(tmp_path: Path, rows: str) -> Workbook:
    path = build(tmp_path / "book.xlsx", lambda book: None)
    replace_sheet_data(path, rows)
    return Workbook.load(path)


# =================================================================================================== cells
def test_cell_types_as_excel_writes_them(tmp_path):
    loaded = one_sheet(tmp_path, (
        '<row r="1"><c r="A1"><v>1.5</v></c><c r="B1" t="b"><v>1</v></c><c r="C1" t="e"><v>#N/A</v></c>'
        '<c r="D1" t="str"><v>a &amp; b</v></c><c r="E1" t="inlineStr"><is><t>in</t><r><t>line</t></r></is></c>'
        '<c r="F1" t="d"><v>2024-01-15T18:00:00</v></c><c r="G1" t="n"><v>-2E-3</v></c></row>'
    ))
    assert loaded.values("A1:G1") == [[1.5, True, loaded.value("C1"), "a & b", "inline", pytest.approx(45306.75),
                                        -0.002]]
    assert str(loaded.value("C1")) == "#N/A"


def test_cells_without_a_reference_follow_their_row_and_column(tmp_path):
    loaded = one_sheet(tmp_path, '<row><c><v>1</v></c><c><v>2</v></c></row><row r="4"><c><v>3</v></c></row>')
    assert loaded.values("A1:B1") == [[1, 2]]
    assert loaded.value("A4") == 3


def test_escaped_characters_and_line_ends_in_text(tmp_path):
    loaded = one_sheet(tmp_path, '<row r="1"><c r="A1" t="inlineStr"><is><t>a_x000D_&#10;b_x005F_x000D_</t></is>'
                                 '</c><c r="B1" t="inlineStr"><is><t>line\r\nend</t></is></c></row>')
    assert loaded.value("A1") == "a\r\nb_x000D_"
    assert loaded.value("B1") == "line\nend"


def test_a_namespace_prefix_on_every_element(tmp_path):
    path = build(tmp_path / "prefixed.xlsx", lambda book: None)
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    edit_part(path, SHEET_PART, lambda xml: (
        f'<x:worksheet xmlns:x="{main}"><x:sheetData><x:row r="1"><x:c r="A1"><x:v>2</x:v></x:c>'
        '<x:c r="B1"><x:f>A1*3</x:f><x:v>6</x:v></x:c></x:row></x:sheetData></x:worksheet>'
    ))
    loaded = Workbook.load(path)
    assert loaded.value("B1") == 6 and loaded.formula("B1") == "=A1*3"


def test_shared_formulas_are_moved_from_their_anchor(tmp_path):
    loaded = one_sheet(tmp_path, (
        '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f t="shared" ref="B1:B3" si="0">A1*10+$A$1</f><v>0</v></c></row>'
        '<row r="2"><c r="A2"><v>2</v></c><c r="B2"><f t="shared" si="0"/><v>0</v></c></row>'
        '<row r="3"><c r="A3"><v>3</v></c><c r="B3"><f t="shared" si="0"/><v>0</v></c></row>'
    ))
    assert loaded.values("B1:B3") == [[11], [21], [31]]
    assert loaded.formula("B3") == "=A3*10+$A$1"
    loaded.set("A3", 5)
    assert loaded.value("B3") == 51


def test_a_shared_formula_whose_anchor_does_not_parse_keeps_cached_values(tmp_path):
    loaded = one_sheet(tmp_path, (
        '<row r="1"><c r="B1"><f t="shared" ref="B1:B2" si="3">A1+[1]Prices!A1</f><v>7</v></c></row>'
        '<row r="2"><c r="B2"><f t="shared" si="3"/><v>8</v></c></row>'
    ))
    assert loaded.values("B1:B2") == [[7], [8]]
    assert any("B2: the shared formula =A1+[1]Prices!A1 (from B1) does not parse" in line
               for line in loaded.warnings)


def test_an_unreadable_cell_is_reported_and_the_rest_loads(tmp_path):
    loaded = one_sheet(tmp_path, '<row r="1"><c r="A1"><v>abc</v></c><c r="B1" t="s"><v>99</v></c>'
                                 '<c r="C1"><v>3</v></c></row>')
    assert loaded.value("C1") == 3
    assert loaded.value("A1") is None and loaded.value("B1") is None
    text = "\n".join(loaded.warnings)
    assert "Sheet!A1: b'abc' is not a number; the cell was dropped" in text
    assert "Sheet!B1: shared string b'99' does not exist; the cell was dropped" in text


def test_a_cell_outside_the_sheet_or_with_a_broken_address_is_reported_not_misplaced(tmp_path):
    """ZZZ99 lies past column XFD: its key used to spill into the next row (it loaded as BTV100); A0 and B9999999
    vanished without a word; a broken address took the next column's place."""
    loaded = one_sheet(tmp_path, '<row r="1"><c r="A1"><v>5</v></c><c s="0"><v>11</v></c><c r="A0"><v>7</v></c>'
                                 '<c r="ZZZ99"><v>8</v></c><c r="B9999999"><v>9</v></c>'
                                 '<c r="ZZZZZ1" t="n"><v>10</v></c></row>')
    assert dict(loaded.cells()) == {"A1": 5, "B1": 11}  # a cell without an address follows the one before it
    text = "\n".join(loaded.warnings)
    for where in ("Sheet!A0", "Sheet!ZZZ99", "Sheet!B9999999"):
        assert f"{where}: the address is outside the sheet (the last cell is XFD1048576); the cell was dropped" in text
    assert "'ZZZZZ1' is not a cell address; the cell was dropped" in text


def test_malformed_sheet_xml_is_a_clear_error(tmp_path):
    path = build(tmp_path / "broken.xlsx", lambda book: None)
    replace_sheet_data(path, '<row r="1"><c r="A1"><v>1</v></row>')
    with pytest.raises(WorkbookFileError, match=r"could not be read as an \.xlsx workbook: xl/worksheets/sheet1\.xml "
                                                 r"is not well-formed XML \(mismatched tag: line 1"):
        Workbook.load(path)


# ====================================================================================== files openpyxl trips on
def test_a_gradient_fill_loads_and_is_reported(tmp_path):
    def fill(book):
        cell = book.active["A1"]
        cell.value = 4
        cell.fill = GradientFill(stop=("FF0000", "0000FF"))

    loaded = Workbook.load(build(tmp_path / "gradient.xlsx", fill))
    assert loaded.value("A1") == 4
    assert loaded.format("A1").fill_color is None
    assert any("gradient fills (1 styles)" in line for line in loaded.warnings)


def test_a_workbook_of_chart_sheets_only_is_a_clear_error(tmp_path):
    def fill(book):
        data = book.active
        data.append([1])
        data.append([2])
        chart_sheet = book.create_chartsheet("Sales chart")
        chart = BarChart()
        chart.add_data(Reference(data, min_col=1, min_row=1, max_row=2))
        chart_sheet.add_chart(chart)
        book.remove(data)

    path = build(tmp_path / "charts.xlsx", fill)
    with pytest.raises(WorkbookFileError, match=r"has no worksheets, only chart sheets \('Sales chart'\); a chart "
                                                r"sheet holds a chart, not cells"):
        Workbook.load(path)


def test_chart_sheets_beside_worksheets_are_dropped_with_a_warning(tmp_path):
    def fill(book):
        book.active.append([3])
        chart_sheet = book.create_chartsheet("Chart")
        chart = BarChart()
        chart.add_data(Reference(book.active, min_col=1, min_row=1, max_row=1))
        chart_sheet.add_chart(chart)

    loaded = Workbook.load(build(tmp_path / "mixed.xlsx", fill))
    assert loaded.sheet_names == ["Sheet"] and loaded.value("A1") == 3
    assert "chart sheet 'Chart' was dropped (charts are not kept)" in loaded.warnings


def test_features_openpyxl_rejects_do_not_stop_the_cells_from_loading(tmp_path):
    def fill(book):
        sheet = book.active
        sheet["A1"], sheet["B1"] = 2, "=A1*2"
        sheet.column_dimensions["A"].width = 30

    path = build(tmp_path / "strict.xlsx", fill)
    # a conditional format whose operator openpyxl's schema refuses (Excel ignores what it does not know)
    edit_part(path, SHEET_PART, lambda xml: xml.replace(
        "</sheetData>", '</sheetData><conditionalFormatting sqref="A1"><cfRule type="cellIs" priority="1" '
        'operator="somethingNew"><formula>1</formula></cfRule></conditionalFormatting>', 1))
    with pytest.raises(ValueError):
        openpyxl.load_workbook(path)
    loaded = Workbook.load(path)
    assert loaded.value("B1") == 4
    assert loaded.column_width("A") is None  # read again without the sheet's features
    assert any(line.startswith("while reading: ") and "loaded without column widths" in line
               for line in loaded.warnings)


def test_a_declared_shared_string_part_that_is_missing(tmp_path):
    path = build(tmp_path / "nostrings.xlsx", lambda book: book.active.append([1, "=A1+1"]))
    edit_part(path, "[Content_Types].xml", lambda xml: xml.replace(
        "</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
    with pytest.raises(KeyError):
        openpyxl.load_workbook(path)
    assert Workbook.load(path).value("B1") == 2


def test_a_strict_open_xml_workbook(tmp_path):
    path = build(tmp_path / "strict.xlsx", lambda book: book.active.append([5, "=A1*2"]))
    strict = {
        "http://schemas.openxmlformats.org/spreadsheetml/2006/main": "http://purl.oclc.org/ooxml/spreadsheetml/main",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships":
            "http://purl.oclc.org/ooxml/officeDocument/relationships",
    }
    with zipfile.ZipFile(path) as archive:
        contents = {info.filename: archive.read(info) for info in archive.infolist()}
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in contents.items():
            for transitional, strict_name in strict.items():
                data = data.replace(transitional.encode(), strict_name.encode())
            archive.writestr(name, data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about the parts it cannot place
        assert openpyxl.load_workbook(path).worksheets == []
    loaded = Workbook.load(path)
    assert loaded.values("A1:B1") == [[5, 10]]


def test_a_merged_range_over_a_whole_column_loads(tmp_path):
    # written into the XML: openpyxl itself takes minutes to merge a million cells, the reason the loader keeps
    # merged ranges away from it
    path = build(tmp_path / "tall.xlsx", lambda book: book.active.append([1]))
    edit_part(path, SHEET_PART, lambda xml: xml.replace(
        "</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="A1:A1048576"/></mergeCells>', 1))
    loaded = Workbook.load(path)
    assert loaded.value("A1") == 1
    assert "Sheet!A1:A1048576: merged cells were unmerged (each cell keeps its own content)" in loaded.warnings


def test_content_hidden_under_a_merged_range_is_kept_as_excel_keeps_it(tmp_path):
    def fill(book):
        book.active.merge_cells("A1:B2")

    path = build(tmp_path / "hidden.xlsx", fill)
    replace_sheet_data(path, '<row r="1"><c r="A1"><v>10</v></c><c r="B1"><v>6</v></c></row>'
                             '<row r="2"><c r="B2"><f>B1-4</f><v>2</v></c></row>')
    loaded = Workbook.load(path)
    assert loaded.values("A1:B2") == [[10, 6], [None, 2]]


def test_dates_of_a_1904_workbook_keep_their_serials_in_the_1904_system(tmp_path):
    def fill(book):
        book.epoch = CALENDAR_MAC_1904
        book.active["A1"] = datetime.date(2024, 1, 15)
        book.active["A2"] = 3.5  # a number without a date format stays as it is
        book.active["A3"] = "=YEAR(A1)"

    loaded = Workbook.load(build(tmp_path / "mac.xlsx", fill))
    assert loaded.date1904
    assert loaded.value("A1") == 45306 - 1462  # the serial the file stores, counted from 1904-01-01
    assert loaded.value("A2") == 3.5
    assert loaded.value("A3") == 2024


def test_whole_column_lookups_compute(tmp_path):
    def fill(book):
        data = book.create_sheet("Data")
        for row in range(1, 301):
            data.append([row, row * 2])
        sheet = book.active
        for row in range(1, 301):
            sheet.cell(row, 1, f"=VLOOKUP({row},Data!A:B,2,FALSE)")

    loaded = Workbook.load(build(tmp_path / "lookups.xlsx", fill))
    assert loaded.value("A1") == 2 and loaded.value("A300") == 600
    loaded.set("Data!B300", -1)
    assert loaded.value("A300") == -1


# ================================================================================================ the reader
def test_split_sheet_data_finds_empty_and_self_closing_sheet_data():
    assert xlsx_reader.split_sheet_data(b"<worksheet><sheetData /><cols/></worksheet>") == (
        b"<worksheet>", b"", b"<cols/></worksheet>", "")
    sheet_xml = b'<worksheet><sheetData><row r="1"/></sheetData></worksheet>'
    head, body, tail, prefix = xlsx_reader.split_sheet_data(sheet_xml)
    assert (head, body, tail, prefix) == (b"<worksheet>", b'<row r="1"/>', b"</worksheet>", "")


def test_slim_sheet_takes_out_merged_ranges():
    slim, merged = xlsx_reader.slim_sheet(b"<worksheet>", b'<mergeCells count="2"><mergeCell ref="A1:B2"/>'
                                          b'<mergeCell ref="C1:C9"/></mergeCells><pageMargins/></worksheet>', "")
    assert merged == ["A1:B2", "C1:C9"]
    assert slim == b"<worksheet><sheetData/><pageMargins/></worksheet>"


def test_shared_strings_join_runs_and_leave_out_phonetic_guides():
    table = (b'<sst xmlns="x"><si><t>plain</t></si><si><r><t>ri</t></r><r><t xml:space="preserve">ch </t></r>'
             b"<rPh><t>ignored</t></rPh></si><si/></sst>")
    assert xlsx_reader.read_shared_strings(table, "xl/sharedStrings.xml") == ["plain", "rich ", ""]


def test_a_data_tables_attributes_are_kept_on_its_formula():
    body = (b'<row r="4"><c r="C4" t="e"><f t="dataTable" ref="C4:D8" dt2D="1" dtr="1" del2="1" r1="B1" r2="B2"'
            b' ca="1"/><v>#REF!</v></c><c r="D4"><f>A1</f><v>1</v></c></row>')
    cells = xlsx_reader.scan_cells(body, "", []).cells
    formula = cells[0][4]
    assert (formula.kind, formula.ref) == ("dataTable", "C4:D8")
    assert dict(formula.data_table) == {"dt2D": "1", "dtr": "1", "r1": "B1", "r2": "B2", "del2": "1"}
    assert cells[1][4].data_table == ()


# ------------------------------------------------------------------------------------- errors as rich values
_RICH_NS = "http://schemas.microsoft.com/office/spreadsheetml/2017/richdata"
_RICH_RELS = "http://schemas.microsoft.com/office/2017/06/relationships"
_METADATA = (
    '<metadata xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:xlrd="' + _RICH_NS + '">'
    '<metadataTypes count="1"><metadataType name="XLRICHVALUE" minSupportedVersion="120000"/></metadataTypes>'
    '<futureMetadata name="XLRICHVALUE" count="3">'
    + "".join(f'<bk><extLst><ext uri="{{3e2802c4-a4d2-4d8b-9148-e3be6c30e623}}"><xlrd:rvb i="{i}"/></ext></extLst></bk>'
              for i in range(3))
    + '</futureMetadata><valueMetadata count="3"><bk><rc t="1" v="0"/></bk><bk><rc t="1" v="1"/></bk>'
    '<bk><rc t="1" v="2"/></bk></valueMetadata></metadata>'
)
# #CALC! (errorType 13), #SPILL! (8), and #FIELD! (12), which this engine does not compute
_RICH_VALUES = (
    f'<rvData xmlns="{_RICH_NS}" count="3"><rv s="0"><v>13</v><v>0</v></rv><rv s="0"><v>8</v><v>1</v></rv>'
    '<rv s="0"><v>12</v><v>0</v></rv></rvData>'
)
_RICH_STRUCTURES = (
    f'<rvStructures xmlns="{_RICH_NS}" count="1"><s t="_error"><k n="errorType" t="i"/><k n="subType" t="i"/></s>'
    "</rvStructures>"
)


def _with_rich_errors(path: Path, structures: str = _RICH_STRUCTURES) -> None:
    """Add the parts Excel writes for errors that came with dynamic arrays (metadata and rich values)."""
    parts = {"xl/metadata.xml": _METADATA, "xl/richData/rdrichvalue.xml": _RICH_VALUES,
             "xl/richData/rdrichvaluestructure.xml": structures}
    links = (
        '<Relationship Id="rIdM" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'sheetMetadata" Target="metadata.xml"/>'
        f'<Relationship Id="rIdV" Type="{_RICH_RELS}/rdRichValue" Target="richData/rdrichvalue.xml"/>'
        f'<Relationship Id="rIdS" Type="{_RICH_RELS}/rdRichValueStructure" Target="richData/rdrichvaluestructure.xml"/>'
    )
    edit_part(path, "xl/_rels/workbook.xml.rels",
              lambda xml: xml.replace("</Relationships>", links + "</Relationships>"))
    with zipfile.ZipFile(path, "a") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)


def test_errors_that_came_with_dynamic_arrays_read_as_themselves(tmp_path):
    path = build(tmp_path / "book.xlsx", lambda book: None)
    replace_sheet_data(path, (
        '<row r="1"><c r="A1" t="e" vm="1"><v>#VALUE!</v></c><c r="B1"><f>ERROR.TYPE(A1)</f><v>3</v></c></row>'
        '<row r="2"><c r="A2" t="e" vm="2"><v>#VALUE!</v></c><c r="B2"><f>ERROR.TYPE(A2)</f><v>3</v></c></row>'
        '<row r="3"><c r="A3" t="e" vm="3"><v>#VALUE!</v></c><c r="A4" t="e" vm="9"><v>#N/A</v></c>'
        '<c r="A5" t="e"><v>#VALUE!</v></c></row>'
    ))
    _with_rich_errors(path)
    wb = Workbook.load(path)
    assert [str(wb.value(a)) for a in ("A1", "B1", "A2", "B2")] == ["#CALC!", "14", "#SPILL!", "9"]
    # an error this engine has no value for keeps the file's code, as do cells without (known) metadata
    assert [str(wb.value(a)) for a in ("A3", "A4", "A5")] == ["#VALUE!", "#N/A", "#VALUE!"]


def test_rich_values_that_do_not_fit_together_leave_the_file_codes(tmp_path):
    path = build(tmp_path / "book.xlsx", lambda book: None)
    replace_sheet_data(path, '<row r="1"><c r="A1" t="e" vm="1"><v>#VALUE!</v></c></row>')
    _with_rich_errors(path, structures="<rvStructures")  # not well-formed
    assert str(Workbook.load(path).value("A1")) == "#VALUE!"


@pytest.mark.parametrize("bad", ["²", "1" * 5000, "-1", "x", ""])
def test_rich_value_indexes_that_are_no_small_numbers_leave_the_file_codes(tmp_path, bad):
    path = build(tmp_path / "book.xlsx", lambda book: None)
    replace_sheet_data(path, '<row r="1"><c r="A1" t="e" vm="1"><v>#VALUE!</v></c></row>')
    _with_rich_errors(path, structures=_RICH_STRUCTURES)
    edit_part(path, "xl/metadata.xml", lambda xml: xml.replace('<rc t="1" v="0"/>', f'<rc t="1" v="{bad}"/>'))
    assert str(Workbook.load(path).value("A1")) == "#VALUE!"


def test_a_value_metadata_index_may_be_padded(tmp_path):
    path = build(tmp_path / "book.xlsx", lambda book: None)
    replace_sheet_data(path, '<row r="1"><c r="A1" t="e" vm="01"><v>#VALUE!</v></c></row>')
    _with_rich_errors(path)
    assert str(Workbook.load(path).value("A1")) == "#CALC!"
