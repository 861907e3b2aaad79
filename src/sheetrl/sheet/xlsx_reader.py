"""Reading an .xlsx package's worksheets fast: the sheet list, shared strings and every cell of ``<sheetData>``.

openpyxl turns every cell into a Python object on the way (about 40 µs per cell with its style, value conversion
and formula handling), which made it most of the time of loading a workbook. The cells are read here instead, with
a few regular expressions over the sheet XML (a cell in the usual shape Excel, LibreOffice and openpyxl write is
one match; anything else -- attributes in another order, inline strings, namespace prefixes -- takes a slower
general path), after the part has been checked to be well-formed XML by expat. openpyxl still reads everything
else (styles, column widths, merged cells, comments, tables, defined names ...) from a copy of the package whose
``<sheetData>`` elements and shared strings are empty (:func:`slim_package`).

The result of :func:`scan_cells` is one tuple per cell, ``(row, col, style, value, formula)``: 0-based row and
column, the style index (0 = default), the cell's value (float, str, bool, ExcelError or None; for a formula cell
the value the authoring application cached) and, for a formula cell, a :class:`RawFormula`.

The errors that came with dynamic arrays (#SPILL!, #CALC! ...) have no code in the file format's error type: Excel
writes such a cell as ``#VALUE!`` with value metadata (``vm="1"``) pointing, through ``xl/metadata.xml``, to a rich
value of the ``_error`` structure in ``xl/richData/rdrichvalue.xml`` whose ``errorType`` is the error's ERROR.TYPE
number less one (8: #SPILL!, 13: #CALC!). :func:`read_rich_errors` maps the metadata indexes to those errors, so a
cell reads as the error Excel showed.
"""

from __future__ import annotations

import datetime as _dt
import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree
from xml.parsers import expat

from sheetrl.sheet.address import MAX_COLS, MAX_ROWS
from sheetrl.sheet.errors import CALC, SPILL, ExcelError, error_from_code

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_EMPTY_STRINGS = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_MAIN_NS}"/>'.encode()
_EXCEL_EPOCH = _dt.datetime(1899, 12, 30)
_ESCAPED_CHAR = re.compile(r"_x([0-9A-Fa-f]{4})_")
_ATTRIBUTE = re.compile(rb"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_CELL_REF = re.compile(rb"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([\w.-]+)[\"']")
_COLUMNS: dict[bytes, int] = {}
_DATA_TABLE_ATTRIBUTES = ("dt2D", "dtr", "r1", "r2", "del1", "del2")


@dataclass(frozen=True, slots=True)
class RawFormula:
    """A ``<f>`` element: ``kind`` is normal, shared, array or dataTable; ``text`` has no leading '='."""

    kind: str
    text: str
    ref: str  # the range of a shared formula's group, an array formula or a data table ('' if none)
    group: str  # a shared formula's group index ``si``
    # a data table's attributes (dt2D, dtr, r1, r2, del1, del2), as written; empty for other formulas
    data_table: tuple[tuple[str, str], ...] = ()


MAX_HIDDEN_ROW = 1_048_576  # rows beyond Excel's grid are not kept


@dataclass(slots=True)
class SheetCells:
    """The cells of one worksheet, in document order, and what the rows say about themselves."""

    cells: list[tuple[int, int, int, Any, RawFormula | None]] = field(default_factory=list)
    custom_rows: int = 0  # rows with a custom height
    hidden_rows: list[int] = field(default_factory=list)  # 0-based rows marked hidden
    merged: list[str] = field(default_factory=list)  # the merged ranges (from <mergeCells>, after <sheetData>)
    problems: list[str] = field(default_factory=list)  # cells that could not be read (one line each)


@dataclass(slots=True)
class SheetPart:
    name: str
    part: str  # zip member name of the worksheet XML
    state: str  # visible, hidden, veryHidden


@dataclass(slots=True)
class Package:
    """The workbook's sheets in tab order, as openpyxl lists them (``Workbook.worksheets``), and its parts."""

    workbook_part: str
    worksheets: list[SheetPart]
    chartsheets: list[str]
    shared_strings_part: str | None
    date1904: bool
    application: str | None = None  # docProps/app.xml's Application: which program wrote the file
    # a cell's value-metadata index (its ``vm`` attribute) -> the error its rich value stands for
    rich_errors: dict[int, ExcelError] = field(default_factory=dict)
    custom_properties: dict[str, str] = field(default_factory=dict)  # docProps/custom.xml: name -> text value


class PackageError(ValueError):
    """The package cannot be read (the message names the part and the problem)."""


# =================================================================================================== package
def read_package(archive: zipfile.ZipFile) -> Package:
    """The workbook part's sheet list, resolved to zip members the way openpyxl resolves them."""
    names = set(archive.namelist())
    workbook_part = "xl/workbook.xml"
    properties_parts: dict[str, str] = {}  # "extended-properties" / "custom-properties" -> part
    if "_rels/.rels" in names:
        for rel in _local_elements(_xml(archive, "_rels/.rels"), "Relationship"):
            kind = rel.get("Type") or ""
            if kind.endswith("/officeDocument"):
                workbook_part = _resolve("", rel.get("Target") or "")
            elif kind.endswith(("/extended-properties", "/extendedProperties")):  # transitional, strict
                properties_parts["extended-properties"] = _resolve("", rel.get("Target") or "")
            elif kind.endswith(("/custom-properties", "/customProperties")):
                properties_parts["custom-properties"] = _resolve("", rel.get("Target") or "")
    if workbook_part not in names:
        raise PackageError("it has no workbook part")
    folder = workbook_part.rsplit("/", 1)[0] if "/" in workbook_part else ""
    rels_part = f"{folder}/_rels/{workbook_part.rsplit('/', 1)[-1]}.rels" if folder else f"_rels/{workbook_part}.rels"
    targets: dict[str, tuple[str, str]] = {}
    shared_strings = None
    if rels_part in names:
        for rel in _local_elements(_xml(archive, rels_part), "Relationship"):
            kind = rel.get("Type") or ""
            target = _resolve(folder, rel.get("Target") or "")
            targets[rel.get("Id") or ""] = (kind, target)
            if kind.endswith("/sharedStrings"):
                shared_strings = target
    root = _xml(archive, workbook_part)
    date1904 = any((p.get("date1904") or "").lower() in ("1", "true") for p in _local_elements(root, "workbookPr"))
    worksheets: list[SheetPart] = []
    chartsheets: list[str] = []
    for sheet in _local_elements(root, "sheet"):
        rel_id = next((value for key, value in sheet.attrib.items() if key.endswith("}id")), "")
        kind, target = targets.get(rel_id, ("", ""))
        if target not in names:
            continue
        name = sheet.get("name") or ""
        if "chartsheet" in kind:
            chartsheets.append(name)
        else:
            worksheets.append(SheetPart(name, target, sheet.get("state") or "visible"))
    if shared_strings not in names:
        shared_strings = None
    application, custom = _document_properties(archive, names, properties_parts)
    rich_errors = read_rich_errors(archive, names, {kind.rsplit("/", 1)[-1]: part for kind, part in targets.values()})
    return Package(workbook_part, worksheets, chartsheets, shared_strings, date1904, application=application,
                   custom_properties=custom, rich_errors=rich_errors)


# Rich-value error types (``errorType``: ERROR.TYPE's number less one) of the errors the file format has no code for
# and that this engine computes; the others (#FIELD!, #BLOCKED! ...) keep the ``#VALUE!`` the file holds.
_RICH_ERROR_TYPES = {8: SPILL, 13: CALC}


def read_rich_errors(archive: zipfile.ZipFile, names: set[str], parts: dict[str, str]) -> dict[int, ExcelError]:
    """The errors that cells with value metadata stand for: ``vm`` attribute (1-based) -> error. ``parts`` maps the
    workbook's relationship types (the last part of the URI) to package parts. A file without the parts, or with
    parts that do not fit together (not well-formed, indexes that are no small numbers or point nowhere), gives no
    errors: the cells keep the error the file writes."""
    metadata, values, structures = (parts.get(kind, "") for kind in ("sheetMetadata", "rdRichValue",
                                                                       "rdRichValueStructure"))
    if metadata not in names or values not in names or structures not in names:
        return {}
    try:
        root = _xml(archive, metadata)
        type_names = [item.get("name") or "" for item in _local_elements(root, "metadataType")]
        rich_blocks: list[int | None] = []  # the XLRICHVALUE future-metadata blocks -> rich value index
        for future in _local_elements(root, "futureMetadata"):
            if future.get("name") == "XLRICHVALUE":
                for block in future:
                    if block.tag.endswith("bk"):
                        found = _local_elements(block, "rvb")
                        rich_blocks.append(small_number(found[0].get("i")) if found else None)
        value_blocks: list[int | None] = []  # value metadata block (vm - 1) -> rich value index
        for listing in _local_elements(root, "valueMetadata"):
            for block in listing:
                records = [record for record in block if record.tag.endswith("rc")]
                rich = None
                if records:
                    kind, position = small_number(records[0].get("t")), small_number(records[0].get("v"))
                    if kind is not None and position is not None and 0 < kind <= len(type_names) \
                            and type_names[kind - 1] == "XLRICHVALUE" and position < len(rich_blocks):
                        rich = rich_blocks[position]
                value_blocks.append(rich)
        if not any(index is not None for index in value_blocks):
            return {}
        shapes = [
            (structure.get("t"), [key.get("n") for key in structure if key.tag.endswith("}k") or key.tag == "k"])
            for structure in _local_elements(_xml(archive, structures), "s")
        ]
        errors: list[ExcelError | None] = []  # rich value index -> error, None for anything else
        for value in _local_elements(_xml(archive, values), "rv"):
            shape = small_number(value.get("s"))
            error = None
            if shape is not None and shape < len(shapes) and shapes[shape][0] == "_error":
                texts = [item.text for item in value if item.tag.endswith("}v") or item.tag == "v"]
                code = small_number(dict(zip(shapes[shape][1], texts, strict=False)).get("errorType"))
                error = _RICH_ERROR_TYPES.get(code) if code is not None else None
            errors.append(error)
    except PackageError:
        return {}
    result: dict[int, ExcelError] = {}
    for block_number, rich in enumerate(value_blocks, start=1):
        error = errors[rich] if rich is not None and rich < len(errors) else None
        if error is not None:
            result[block_number] = error
    return result


_SMALL_NUMBER = re.compile(r"\s*([0-9]{1,9})\s*")


def small_number(text: str | None) -> int | None:
    """A non-negative index written in ASCII digits (at most nine, spaces around allowed), else None."""
    found = _SMALL_NUMBER.fullmatch(text) if text else None
    return int(found.group(1)) if found else None


def _document_properties(
    archive: zipfile.ZipFile, names: set[str], parts: dict[str, str]
) -> tuple[str | None, dict[str, str]]:
    """The application that wrote the file (``docProps/app.xml``) and the custom properties with text values
    (``docProps/custom.xml``). Both are optional: a part that is missing or not well-formed gives nothing."""
    application: str | None = None
    custom: dict[str, str] = {}
    app_part, custom_part = parts.get("extended-properties", ""), parts.get("custom-properties", "")
    try:
        if app_part in names:
            found = _local_elements(_xml(archive, app_part), "Application")
            application = (found[0].text or "").strip() or None if found else None
        if custom_part in names:
            for prop in _local_elements(_xml(archive, custom_part), "property"):
                texts = [child.text for child in prop if child.tag.endswith("}lpwstr") and child.text is not None]
                if prop.get("name") and texts:
                    custom[prop.get("name") or ""] = texts[0]
    except PackageError:
        pass  # what was read before the part that is not well-formed is kept
    return application, custom


def without_pivot_caches(workbook_xml: bytes) -> bytes:
    """The workbook part without its list of pivot caches (what openpyxl fails on most when it fails)."""
    pivot_caches = rb"<([\w.-]+:)?pivotCaches(?:\s[^>]*?)?(?:/>|>.*?</\1?pivotCaches>)"
    return re.sub(pivot_caches, b"", workbook_xml, flags=re.DOTALL)


def without_pivot_tables(relationships_xml: bytes) -> bytes:
    """A worksheet's relationships part without its pivot tables (the rest of the sheet's features stay)."""
    relationship = rb"<([\w.-]+:)?Relationship\s[^>]*?Type=\"[^\"]*/pivotTable\"[^>]*?(?:/>|>.*?</\1?Relationship>)"
    return re.sub(relationship, b"", relationships_xml, flags=re.DOTALL)


def _xml(archive: zipfile.ZipFile, part: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(archive.read(part))
    except (ElementTree.ParseError, LookupError, ValueError) as exc:  # LookupError: an unknown declared encoding
        raise PackageError(f"{part} is not well-formed XML ({exc})") from None


def _local_elements(root: ElementTree.Element, local_name: str) -> list[ElementTree.Element]:
    suffix = "}" + local_name
    return [e for e in root.iter() if e.tag == local_name or e.tag.endswith(suffix)]


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    out: list[str] = []
    for part in (folder.split("/") if folder else []) + target.split("/"):
        if part == "..":
            if out:
                out.pop()
        elif part and part != ".":
            out.append(part)
    return "/".join(out)


def slim_package(archive: zipfile.ZipFile, replaced: dict[str, bytes | None]) -> io.BytesIO:
    """A copy of the package (stored, not compressed): members in ``replaced`` get its content (None: left out),
    members it names that the zip lacks are added, and Strict OOXML namespaces become their transitional ones
    (the forms openpyxl reads)."""
    buffer = io.BytesIO()
    written: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as out:
        for info in archive.infolist():
            if info.is_dir() or info.filename in written:
                continue
            written.add(info.filename)
            if info.filename in replaced:
                data = replaced[info.filename]
                if data is None:
                    continue
            else:
                data = archive.read(info)
            if info.filename.endswith((".xml", ".rels")) and _STRICT_MARK in data:
                data = _transitional(data)
            out.writestr(info.filename, data)
        for part, data in replaced.items():
            if part not in written and data is not None:
                out.writestr(part, data)
    buffer.seek(0)
    return buffer


# Strict OOXML (ISO 29500 strict) names its namespaces differently; the elements are the same.
_STRICT_MARK = b"purl.oclc.org/ooxml/"
_STRICT_NAMESPACES = (
    (b"http://purl.oclc.org/ooxml/spreadsheetml/main", b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships",
     b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
    (b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
     b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"),
    (b"http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes",
     b"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"),
    (b"http://purl.oclc.org/ooxml/drawingml/main", b"http://schemas.openxmlformats.org/drawingml/2006/main"),
    (b"http://purl.oclc.org/ooxml/drawingml/chart", b"http://schemas.openxmlformats.org/drawingml/2006/chart"),
    (b"http://purl.oclc.org/ooxml/drawingml/spreadsheetDrawing",
     b"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"),
)


def _transitional(data: bytes) -> bytes:
    for strict, transitional in _STRICT_NAMESPACES:
        data = data.replace(strict, transitional)
    return data


def empty_shared_strings() -> bytes:
    return _EMPTY_STRINGS


# ============================================================================================ text and XML
def well_formed_utf8(data: bytes, part: str) -> bytes:
    """``data`` checked by expat (raises PackageError naming the line), re-encoded as UTF-8 if it was not."""
    parser = expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise PackageError(f"{part} is not well-formed XML ({expat.ErrorString(exc.code)}: line {exc.lineno},"
                           f" column {exc.offset})") from None
    declared = _XML_DECLARATION.match(data[:200])
    encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or encoding not in ("utf-8", "utf8", "us-ascii", "ascii"):
        # the regular expressions below read UTF-8 bytes: let the XML parser decode, then serialise as UTF-8
        try:
            root = ElementTree.fromstring(data)
        except (ElementTree.ParseError, LookupError, ValueError) as exc:
            raise PackageError(f"{part} cannot be decoded ({exc})") from None
        return ElementTree.tostring(root, encoding="utf-8")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:]
    return data


def xml_text(raw: bytes) -> str:
    """Character data as an XML parser reports it: line ends normalised to LF, then references decoded."""
    text = raw.decode("utf-8", "replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in text:
        text = html.unescape(text)
    return text


def unescape_xstring(text: str) -> str:
    """Decode OOXML's ``_xHHHH_`` escapes (ST_Xstring): ``_x000D_`` is a carriage return, ``_x005F_`` an '_'."""
    return _ESCAPED_CHAR.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _string_item_pattern(prefix: str) -> tuple[re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes]]:
    p = re.escape(prefix.encode())
    item = re.compile(rb"<" + p + rb"si(?:\s[^>]*)?(?:/>|>(.*?)</" + p + rb"si>)", re.DOTALL)
    run = re.compile(rb"<" + p + rb"t(?:\s[^>]*?)?(?:/>|>(.*?)</" + p + rb"t>)", re.DOTALL)
    phonetic = re.compile(rb"<" + p + rb"rPh(?=[\s>]).*?</" + p + rb"rPh>", re.DOTALL)
    return item, run, phonetic


def read_shared_strings(data: bytes, part: str) -> list[str]:
    """The shared string table: each item's text runs joined (phonetic guides left out), escapes decoded."""
    data = well_formed_utf8(data, part)
    prefix = _main_prefix(data, b"sst")
    item, run, phonetic = _string_item_pattern(prefix)
    strings = []
    for match in item.finditer(data):
        body = match.group(1) or b""
        if b"<" + prefix.encode() + b"rPh" in body:
            body = phonetic.sub(b"", body)
        strings.append(unescape_xstring("".join(xml_text(m.group(1) or b"") for m in run.finditer(body))))
    return strings


def _main_prefix(data: bytes, root_name: bytes) -> str:
    """The namespace prefix (with its colon) the part uses for the spreadsheetml elements, usually ''."""
    match = re.search(rb"<([\w.-]+:)?" + root_name + rb"[\s>/]", data)
    return match.group(1).decode("ascii") if match and match.group(1) else ""


# =================================================================================================== cells
def split_sheet_data(data: bytes) -> tuple[bytes, bytes, bytes, str]:
    """(XML before ``<sheetData>``, its content, XML after it, namespace prefix); empty content if there is none."""
    prefix = _main_prefix(data, b"worksheet")
    p = re.escape(prefix.encode())
    start = re.search(rb"<" + p + rb"sheetData(?:\s[^>]*?)?(/?)>", data)
    if start is None:
        return data, b"", b"", prefix
    if start.group(1):
        return data[: start.start()], b"", data[start.end() :], prefix
    end = data.find(b"</" + prefix.encode() + b"sheetData>", start.end())
    if end < 0:
        raise PackageError("its <sheetData> element is not closed")
    return data[: start.start()], data[start.end() : end], data[end + len(prefix) + len(b"</sheetData>") :], prefix


def slim_sheet(head: bytes, tail: bytes, prefix: str) -> tuple[bytes, list[str]]:
    """The worksheet part with an empty ``<sheetData>`` and no ``<mergeCells>``, and the merged ranges.

    openpyxl turns every cell of a merged range into an object and restyles its border cells, which takes minutes
    for a range of a million cells (a whole merged column); the ranges are only reported, so they are taken out.
    """
    p = re.escape(prefix.encode())
    block = re.search(rb"<" + p + rb"mergeCells(?:\s[^>]*?)?(?:/>|>.*?</" + p + rb"mergeCells>)", tail, re.DOTALL)
    merged: list[str] = []
    if block is not None:
        merge_cell = rb"<" + p + rb"mergeCell\s[^>]*?ref=[\"']([^\"']*)"
        merged = [xml_text(ref) for ref in re.findall(merge_cell, block.group())]
        tail = tail[: block.start()] + tail[block.end() :]
    return head + b"<" + prefix.encode() + b"sheetData/>" + tail, merged


_PATTERNS: dict[str, tuple[re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes]]] = {}


def _cell_patterns(prefix: str) -> tuple[re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes]]:
    patterns = _PATTERNS.get(prefix)
    if patterns is None:
        p = re.escape(prefix.encode())
        # one alternation, tried in this order at every '<': a cell as Excel/openpyxl write it (groups 1-6), a row
        # (group 7), any other cell (groups 8-9)
        cells = re.compile(
            rb"<" + p + rb'c r="([A-Z]{1,3})([0-9]{1,7})"(?: s="([0-9]+)")?(?: t="([a-z]+)")?'
            rb"(?:/>|>(?:<" + p + rb"f>([^<]*)</" + p + rb"f>)?(?:<" + p + rb"v>([^<]*)</" + p + rb"v>|<" + p
            + rb"v\s*/>)?</" + p + rb"c>)"
            rb"|<" + p + rb"row(?=[\s>/])([^>]*)>"
            rb"|<" + p + rb"c(?=[\s>/])([^>]*?)(?:/>|>(.*?)</" + p + rb"c>)",
            re.DOTALL,
        )
        formula = re.compile(rb"<" + p + rb"f(\s[^>]*?)?(?:/>|>(.*?)</" + p + rb"f>)", re.DOTALL)
        value = re.compile(rb"<" + p + rb"v(?:\s[^>]*?)?(?:/>|>(.*?)</" + p + rb"v>)", re.DOTALL)
        inline = re.compile(rb"<" + p + rb"is(?:\s[^>]*)?>(.*?)</" + p + rb"is>", re.DOTALL)
        patterns = _PATTERNS[prefix] = (cells, formula, value, inline)
    return patterns


def _column(letters: bytes) -> int:
    """0-based column index of column letters (cached: a sheet uses few distinct columns)."""
    index = _COLUMNS.get(letters)
    if index is None:
        index = 0
        for char in letters.upper():
            index = index * 26 + char - 64
        index -= 1
        if len(_COLUMNS) < 100_000:
            _COLUMNS[letters] = index
    return index


def scan_cells(
    body: bytes, prefix: str, shared: list[str], rich_errors: dict[int, ExcelError] | None = None
) -> SheetCells:
    """Every cell of a ``<sheetData>`` element's content (see the module docstring for the tuples); ``rich_errors``
    (:func:`read_rich_errors`) turns an error cell with value metadata into the error it stands for."""
    cells_pattern, formula_pattern, value_pattern, inline_pattern = _cell_patterns(prefix)
    result = SheetCells()
    out = result.cells
    append = out.append
    column = _column
    row = -1
    col = -1
    shared_count = len(shared)
    for match in cells_pattern.finditer(body):
        letters, row_text, style, kind, formula_text, text, row_attributes, attributes_text, cell_body = match.groups()
        if letters is not None:  # the usual shape
            row = int(row_text) - 1
            col = column(letters)
            if not (0 <= row < MAX_ROWS and col < MAX_COLS):
                result.problems.append(f"{(letters + row_text).decode()}: the address is outside the sheet (the "
                                       f"last cell is XFD1048576); the cell was dropped")
                continue
            value: Any
            if text is None:
                value = None
            elif kind is None or kind == b"n":
                try:
                    value = float(text)
                except ValueError:
                    value = _value(kind, text, shared, result, row, col)
            elif kind == b"s" and text.isdigit() and int(text) < shared_count:
                value = shared[int(text)]
            else:
                value = _value(kind, text, shared, result, row, col)
            if formula_text is not None:
                append((row, col, int(style) if style else 0, value, RawFormula("normal", xml_text(formula_text),
                                                                                  "", "")))
            elif value is not None or style is not None:
                append((row, col, int(style) if style else 0, value, None))
            continue
        if row_attributes is not None:
            attributes = _attributes(row_attributes)
            number = attributes.get("r", "")
            row = int(number) - 1 if number.isdigit() else row + 1
            col = -1
            if attributes.get("customHeight") in ("1", "true"):
                result.custom_rows += 1
            if attributes.get("hidden") in ("1", "true") and 0 <= row < MAX_HIDDEN_ROW:
                result.hidden_rows.append(row)
            continue
        attributes = _attributes(attributes_text or b"")
        written = attributes.get("r", "")
        reference = _CELL_REF.fullmatch(written.encode())
        if reference:
            row, col = int(reference.group(2)) - 1, column(reference.group(1))
        elif written:
            result.problems.append(f"{written[:20]!r} is not a cell address; the cell was dropped")
            continue
        else:  # no address: the cell after the previous one (as Excel reads it)
            col += 1
            row = max(row, 0)
        cell_body = cell_body or b""
        kind_text = attributes.get("t", "n")
        formula = None
        if b"f" in cell_body:
            found = formula_pattern.search(cell_body)
            if found is not None:
                f_attributes = _attributes(found.group(1) or b"")
                formula_kind = f_attributes.get("t", "normal")
                formula = RawFormula(
                    formula_kind, xml_text(found.group(2) or b""), f_attributes.get("ref", ""),
                    f_attributes.get("si", ""),
                    tuple((name, f_attributes[name]) for name in _DATA_TABLE_ATTRIBUTES if name in f_attributes)
                    if formula_kind == "dataTable" else (),
                )
        value = None
        if kind_text == "inlineStr":
            found = inline_pattern.search(cell_body)
            if found is not None:
                value = _inline_text(found.group(1), prefix)
        else:
            found = value_pattern.search(cell_body)
            if found is not None and found.group(1) is not None:
                value = _value(kind_text.encode(), found.group(1), shared, result, row, col)
                if rich_errors and kind_text == "e":
                    block = small_number(attributes.get("vm"))
                    value = rich_errors.get(block, value) if block is not None else value
        style_text = attributes.get("s", "0")
        style = int(style_text) if style_text.isdigit() else 0
        if value is None and formula is None and not style:
            continue
        if not (0 <= row < MAX_ROWS and 0 <= col < MAX_COLS):
            where = attributes.get("r") or _where(max(row, 0), col)
            result.problems.append(f"{where}: the address is outside the sheet (the last cell is XFD1048576); the "
                                   "cell was dropped")
            continue
        append((row, col, style, value, formula))
    return result


def _attributes(raw: bytes) -> dict[str, str]:
    found = {}
    for match in _ATTRIBUTE.finditer(raw):
        value = match.group(2) if match.group(2) is not None else match.group(3)
        found[match.group(1).decode("ascii", "replace").rsplit(":", 1)[-1]] = xml_text(value)
    return found


def _inline_text(body: bytes, prefix: str) -> str:
    _, run, phonetic = _string_item_pattern(prefix)
    body = phonetic.sub(b"", body)
    return unescape_xstring("".join(xml_text(m.group(1) or b"") for m in run.finditer(body)))


def _value(kind: bytes | None, text: bytes, shared: list[str], result: SheetCells, row: int, col: int) -> Any:
    """A ``<v>``'s content as a cell value, by the cell's type ``t`` (None: a number)."""
    if kind is None or kind == b"n":
        try:
            return float(text)
        except ValueError:
            if text.strip():
                result.problems.append(f"{_where(row, col)}: {text[:40]!r} is not a number; the cell was dropped")
            return None
    if kind == b"s":
        try:
            return shared[int(text)]
        except (ValueError, IndexError):
            result.problems.append(f"{_where(row, col)}: shared string {text[:20]!r} does not exist;"
                                   " the cell was dropped")
            return None
    if kind == b"str":
        return unescape_xstring(xml_text(text))
    if kind == b"b":
        return text.strip() in (b"1", b"true", b"TRUE")
    if kind == b"e":
        code = xml_text(text).strip()
        return error_from_code(code) or ExcelError(code.upper() if code.startswith("#") else "#VALUE!")
    if kind == b"d":
        try:
            moment = _dt.datetime.fromisoformat(xml_text(text).strip())
        except ValueError:
            result.problems.append(f"{_where(row, col)}: {text[:40]!r} is not an ISO date; the cell was dropped")
            return None
        if moment.tzinfo is not None:
            moment = moment.replace(tzinfo=None)
        return (moment - _EXCEL_EPOCH).total_seconds() / 86400
    return unescape_xstring(xml_text(text))  # an unknown type: keep the text


def _where(row: int, col: int) -> str:
    letters = ""
    col += 1
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"
