"""How .xlsx marks dynamic-array formulas: the cell-metadata part that Excel reads and writes.

In a file, a dynamic-array formula is stored like a legacy array formula (``<f t="array" ref="A1:B3">`` over the
cells it spills, which is what older readers such as LibreOffice 7.4 use), and its cell carries ``cm="N"``: an
index into ``xl/metadata.xml`` whose entry has the ``XLDAPR`` type with ``fDynamic="1"``. Without that mark Excel
reads the formula as a legacy (Ctrl+Shift+Enter) array formula over the range. This module finds the marked cells
of a file and adds the part and the marks to a file being written (openpyxl knows neither).
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFFICE_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_DYNAMIC_PROPERTIES = "{http://schemas.microsoft.com/office/spreadsheetml/2017/dynamicarray}dynamicArrayProperties"
METADATA_PART = "xl/metadata.xml"
METADATA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheetMetadata+xml"
METADATA_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sheetMetadata"
_CELL_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*>")
_ATTRIBUTE = re.compile(rb'\b(r|cm)="([^"]*)"')

# What Excel writes: one metadata type (XLDAPR), one dynamic-array property record, one cell-metadata record.
_METADATA_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<metadata xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:xda="http://schemas.microsoft.com/office/spreadsheetml/2017/dynamicarray">'
    '<metadataTypes count="1"><metadataType name="XLDAPR" minSupportedVersion="120000" copy="1" pasteAll="1" '
    'pasteValues="1" merge="1" splitFirst="1" rowColShift="1" clearFormats="1" clearComments="1" assign="1" '
    'coerce="1" cellMeta="1"/></metadataTypes>'
    '<futureMetadata name="XLDAPR" count="1"><bk><extLst><ext uri="{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}">'
    '<xda:dynamicArrayProperties fDynamic="1" fCollapsed="0"/></ext></extLst></bk></futureMetadata>'
    '<cellMetadata count="1"><bk><rc t="1" v="0"/></bk></cellMetadata></metadata>'
)


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> worksheet part name (``xl/worksheets/sheet1.xml``), from the workbook part and its rels."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target") or "" for r in rels.iter(f"{_RELS}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_OFFICE_RELS}id"))
        if target:
            parts[sheet.get("name") or ""] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return parts


def _dynamic_metadata_indexes(metadata: bytes) -> set[int]:
    """The ``cm`` values (1-based cell-metadata records) that mean "dynamic-array formula"."""
    try:
        root = ElementTree.fromstring(metadata)
    except ElementTree.ParseError:
        return set()
    types = [t.get("name") for t in root.iter(f"{_MAIN}metadataType")]
    dynamic_records: list[bool] = []
    for future in root.iter(f"{_MAIN}futureMetadata"):
        if future.get("name") == "XLDAPR":
            for block in future.findall(f"{_MAIN}bk"):
                flags = block.find(f".//{_DYNAMIC_PROPERTIES}")
                dynamic_records.append(flags is not None and flags.get("fDynamic") in ("1", "true"))
    out = set()
    cell_metadata = root.find(f"{_MAIN}cellMetadata")
    for index, block in enumerate(cell_metadata.findall(f"{_MAIN}bk") if cell_metadata is not None else (), 1):
        for record in block.findall(f"{_MAIN}rc"):
            kind, value = int(record.get("t") or 0), int(record.get("v") or 0)
            known = 1 <= kind <= len(types) and types[kind - 1] == "XLDAPR" and 0 <= value < len(dynamic_records)
            if known and dynamic_records[value]:
                out.add(index)
    return out


def dynamic_array_cells(archive: zipfile.ZipFile) -> dict[str, set[str]]:
    """Sheet name -> addresses ('A3') of the cells marked as dynamic-array formulas; empty when none are."""
    if METADATA_PART not in archive.namelist():
        return {}
    indexes = _dynamic_metadata_indexes(archive.read(METADATA_PART))
    if not indexes:
        return {}
    marks = {str(i).encode() for i in indexes}
    found: dict[str, set[str]] = {}
    for name, part in sheet_parts(archive).items():
        try:
            data = archive.read(part)
        except KeyError:
            continue
        if b"cm=" not in data:
            continue
        cells = set()
        for start in _CELL_START.finditer(data):
            attributes = dict(_ATTRIBUTE.findall(start.group()))
            if attributes.get(b"cm") in marks and b"r" in attributes:
                cells.add(attributes[b"r"].decode())
        if cells:
            found[name] = cells
    return found


def add_dynamic_array_metadata(data: bytes, cells: dict[str, set[str]]) -> bytes:
    """The .xlsx ``data`` with the cells listed (sheet name -> addresses) marked as dynamic-array formulas."""
    if not any(cells.values()):
        return data
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = sheet_parts(source)
    marked = {parts[name]: addresses for name, addresses in cells.items() if name in parts and addresses}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename in marked:
                content = _mark_cells(content, marked[info.filename])
            elif info.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    f'<Override PartName="/{METADATA_PART}" ContentType="{METADATA_TYPE}"/></Types>'.encode(),
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(
                    b"</Relationships>",
                    f'<Relationship Id="rIdDynamicArrays" Type="{METADATA_RELATIONSHIP}" Target="metadata.xml"/>'
                    "</Relationships>".encode(),
                )
            target.writestr(info, content)
        target.writestr(METADATA_PART, _METADATA_XML)
    return out.getvalue()


def _mark_cells(xml: bytes, addresses: set[str]) -> bytes:
    wanted = {a.encode() for a in addresses}

    def mark(match: re.Match[bytes]) -> bytes:
        tag = match.group()
        attributes = dict(_ATTRIBUTE.findall(tag))
        if attributes.get(b"r") in wanted and b"cm" not in attributes:
            return tag[:-1] + b' cm="1">' if not tag.endswith(b"/>") else tag[:-2] + b' cm="1"/>'
        return tag

    return _CELL_START.sub(mark, xml)


__all__ = ["add_dynamic_array_metadata", "dynamic_array_cells", "sheet_parts"]
