"""Formula cells and their cached values, read straight from a workbook's sheet XML; the poisoned copy.

A workbook saved by Excel (or LibreOffice, WPS ...) stores, for every formula cell, the formula and the value the
application computed (``<c r="B2" t="str"><f>A2&amp;"x"</f><v>1x</v></c>``). Those cached values are the reference
the engines are compared with. An engine could pass by reading them back instead of calculating, so the engines load
a *poisoned* copy instead: in it every formula cell (and every cell inside an array formula's or data table's range)
holds the text ``POISON`` as its cached value and nothing else in the file changes (the XML is rewritten in place, so
namespaces, styles and every other part stay byte for byte).

Cached values are tagged tuples, the form the comparison rules take:
``("n", float)``, ``("s", str)``, ``("b", bool)``, ``("e", "#N/A")``; an engine may also report ``("empty", None)``.

The error a cell showed is not always the code in its ``<v>``: the errors that came with dynamic arrays (#SPILL!,
#CALC!, #FIELD! ...) have no code in the file format, and Excel writes ``#VALUE!`` with value metadata (``vm``) that
leads, through ``xl/metadata.xml``, to a rich value of the ``_error`` structure whose ``errorType`` is the error's
ERROR.TYPE number less one (:func:`rich_errors`). The expected value is that error.
"""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

POISON = "poisoned-cached-value"
TaggedValue = tuple[str, Any]

_ROW_OR_CELL = re.compile(
    rb"<(?:[\w.-]+:)?row(?=[\s>/])([^>]*)>"
    rb"|<([\w.-]+:)?c(?=[\s>/])([^>]*?)(/>|>(.*?)</(?:[\w.-]+:)?c>)",
    re.DOTALL,
)
_ATTRIBUTE = re.compile(rb"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f(\s[^>]*?)?(?:/>|>(.*?)</(?:[\w.-]+:)?f>)", re.DOTALL)
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v(?:\s[^>]*?)?(?:/>|>(.*?)</(?:[\w.-]+:)?v>)", re.DOTALL)
_INLINE = re.compile(rb"<(?:[\w.-]+:)?is(?:\s[^>]*)?>(.*?)</(?:[\w.-]+:)?is>", re.DOTALL)
_TEXT_RUN = re.compile(rb"<(?:[\w.-]+:)?t(?:\s[^>]*?)?(?:/>|>(.*?)</(?:[\w.-]+:)?t>)", re.DOTALL)
_PHONETIC = re.compile(rb"<(?:[\w.-]+:)?rPh(?=[\s>]).*?</(?:[\w.-]+:)?rPh>", re.DOTALL)
_SHEET_DATA = re.compile(rb"<(?:[\w.-]+:)?sheetData(?:\s[^>]*?)?(/?)>")
_SHEET_DATA_END = re.compile(rb"</(?:[\w.-]+:)?sheetData>")
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")
_ESCAPED_CHAR = re.compile(r"_x([0-9A-Fa-f]{4})_")


class NotAWorkbook(ValueError):
    """The file is not an .xlsx workbook this reader can take apart (the message says why)."""


@dataclass(slots=True)
class FormulaCell:
    """A cell whose value a formula computes, with the value the authoring application cached."""

    sheet: int  # index among the workbook's worksheets, in file order
    row: int  # 1-based
    col: int  # 1-based
    formula: str  # the formula text as stored, without '=' (for a shared formula's follower: the anchor's text)
    kind: str  # plain | shared | array (one cell) | array-range (its anchor) | array-member | data-table[-member]
    expected: TaggedValue | None  # the cached value; None when the file has none
    dynamic: bool = False  # flagged as a dynamic array (cm attribute): spills in Excel 365

    @property
    def address(self) -> str:
        return f"{column_letters(self.col)}{self.row}"


@dataclass(slots=True)
class WorkbookCells:
    """What the comparison needs from one workbook."""

    sheets: list[str]  # worksheet names in file order (chart sheets and macro sheets left out)
    cells: list[FormulaCell]
    date1904: bool


def column_letters(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def read_formula_cells(path: Path) -> WorkbookCells:
    """The formula cells of a workbook with their cached values; raises NotAWorkbook."""
    with _open(path) as archive:
        sheets, parts, shared, date1904, errors = _structure(archive)
        cells: list[FormulaCell] = []
        for index, part in enumerate(parts):
            records, _ = scan_sheet(archive.read(part), index, shared, poison=False, errors=errors)
            cells.extend(records)
    return WorkbookCells(sheets, cells, date1904)


def write_poisoned(source: Path, target: Path) -> WorkbookCells:
    """Copy ``source`` to ``target`` with every cached formula result replaced by POISON; returns the cells read."""
    with _open(source) as archive:
        sheets, parts, shared, date1904, errors = _structure(archive)
        part_index = {part: index for index, part in enumerate(parts)}
        cells: list[FormulaCell] = []
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for info in archive.infolist():
                data = archive.read(info)
                index = part_index.get(info.filename)
                if index is not None:
                    records, poisoned = scan_sheet(data, index, shared, poison=True, errors=errors)
                    cells.extend(records)
                    data = poisoned if poisoned is not None else data
                out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return WorkbookCells(sheets, cells, date1904)


def _open(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise NotAWorkbook(f"not a readable zip archive ({exc})") from None


# ============================================================================================== structure
def _structure(archive: zipfile.ZipFile) -> tuple[list[str], list[str], list[str], bool, dict[str, str]]:
    """(worksheet names, worksheet part names, shared strings, 1904 date system, the errors of value metadata) of
    an open workbook."""
    names = set(archive.namelist())
    workbook_part = "xl/workbook.xml"
    if "_rels/.rels" in names:
        for rel in _elements(_xml(archive, "_rels/.rels"), "Relationship"):
            if (rel.get("Type") or "").endswith("/officeDocument"):
                workbook_part = _resolve("", rel.get("Target") or "")
    if workbook_part not in names:
        raise NotAWorkbook("no workbook part")
    base = workbook_part.rsplit("/", 1)[0]
    rels_part = f"{base}/_rels/{workbook_part.rsplit('/', 1)[1]}.rels"
    targets: dict[str, tuple[str, str]] = {}
    shared_part = None
    if rels_part in names:
        for rel in _elements(_xml(archive, rels_part), "Relationship"):
            kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
            target = _resolve(base, rel.get("Target") or "")
            targets[rel.get("Id") or ""] = (kind, target)
            if kind == "sharedStrings":
                shared_part = target
    root = _xml(archive, workbook_part)
    date1904 = any((p.get("date1904") or "").lower() in ("1", "true") for p in _elements(root, "workbookPr"))
    sheets: list[str] = []
    parts: list[str] = []
    for sheet in _elements(root, "sheet"):
        rel_id = next((value for key, value in sheet.attrib.items() if key.endswith("}id")), "")
        kind, target = targets.get(rel_id, ("", ""))
        if kind == "worksheet" and target in names:
            sheets.append(sheet.get("name") or f"Sheet{len(sheets) + 1}")
            parts.append(target)
    shared = read_shared_strings(archive.read(shared_part)) if shared_part in names else []
    return sheets, parts, shared, date1904, rich_errors(archive, names, dict(targets.values()))


# ERROR.TYPE's order: a rich ``_error`` value's errorType is the index here
_ERROR_TYPES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!",
                "#CONNECT!", "#BLOCKED!", "#UNKNOWN!", "#FIELD!", "#CALC!")


def rich_errors(archive: zipfile.ZipFile, names: set[str], parts: dict[str, str]) -> dict[str, str]:
    """Value-metadata index (a cell's ``vm`` attribute, as a number's text) -> the error its rich value names.
    ``parts``: the workbook's relationship types (last part of the URI) -> part names. Empty when the file has no
    such metadata, or metadata that does not fit together."""
    metadata, values, structures = (parts.get(k) for k in ("sheetMetadata", "rdRichValue", "rdRichValueStructure"))
    if metadata not in names or values not in names or structures not in names:
        return {}
    try:
        root = _xml(archive, metadata)  # type: ignore[arg-type]
        structure_root = _xml(archive, structures)  # type: ignore[arg-type]
        value_root = _xml(archive, values)  # type: ignore[arg-type]
    except NotAWorkbook:
        return {}
    kinds = [item.get("name") for item in _elements(root, "metadataType")]
    rich_blocks: list[int | None] = []
    for future in _elements(root, "futureMetadata"):
        if future.get("name") == "XLRICHVALUE":
            for block in future:
                found = _elements(block, "rvb")
                rich_blocks.append(_number(found[0].get("i")) if found else None)
    shapes = [(item.get("t"), [key.get("n") for key in _children(item, "k")])
              for item in _elements(structure_root, "s")]
    found_errors: list[str | None] = []
    for value in _elements(value_root, "rv"):
        shape = _number(value.get("s"))
        error = None
        if shape is not None and shape < len(shapes) and shapes[shape][0] == "_error":
            fields = dict(zip(shapes[shape][1], [item.text for item in _children(value, "v")], strict=False))
            code = _number(fields.get("errorType"))
            if code is not None and code < len(_ERROR_TYPES):
                error = _ERROR_TYPES[code]
        found_errors.append(error)
    result: dict[str, str] = {}
    position = 0
    for listing in _elements(root, "valueMetadata"):
        for block in _children(listing, "bk"):
            position += 1
            records = _elements(block, "rc")
            if not records:
                continue
            kind, index = _number(records[0].get("t")), _number(records[0].get("v"))
            if kind is None or index is None or not 0 < kind <= len(kinds):
                continue
            if kinds[kind - 1] != "XLRICHVALUE" or index >= len(rich_blocks):
                continue
            rich = rich_blocks[index]
            if rich is not None and rich < len(found_errors) and found_errors[rich] is not None:
                result[str(position)] = found_errors[rich]  # type: ignore[assignment]
    return result


def _children(element: ElementTree.Element, local_name: str) -> list[ElementTree.Element]:
    return [e for e in element if e.tag == local_name or e.tag.endswith("}" + local_name)]


def _number(text: str | None) -> int | None:
    """A small non-negative index in ASCII digits, else None."""
    found = re.fullmatch(r"\s*([0-9]{1,9})\s*", text) if text else None
    return int(found.group(1)) if found else None


def _xml(archive: zipfile.ZipFile, part: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(archive.read(part))
    except ElementTree.ParseError as exc:
        raise NotAWorkbook(f"{part} is not well-formed XML ({exc})") from None


def _elements(root: ElementTree.Element, local_name: str) -> list[ElementTree.Element]:
    """Elements named ``local_name`` in any namespace (transitional, strict and pre-release files differ)."""
    return [e for e in root.iter() if e.tag == local_name or e.tag.endswith("}" + local_name)]


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts = (base.split("/") if base else []) + target.split("/")
    out: list[str] = []
    for part in parts:
        if part == "..":
            if out:
                out.pop()
        elif part and part != ".":
            out.append(part)
    return "/".join(out)


def read_shared_strings(data: bytes) -> list[str]:
    """The shared string table: each item's text runs joined (phonetic runs left out), _xHHHH_ escapes decoded."""
    strings = []
    for match in re.finditer(rb"<(?:[\w.-]+:)?si(?:\s[^>]*)?(?:/>|>(.*?)</(?:[\w.-]+:)?si>)", data, re.DOTALL):
        strings.append(_inline_text(match.group(1) or b""))
    return strings


def _inline_text(body: bytes) -> str:
    body = _PHONETIC.sub(b"", body)
    return _unescape_text("".join(_xml_text(m.group(1) or b"") for m in _TEXT_RUN.finditer(body)))


def _xml_text(raw: bytes) -> str:
    """Character data as an XML parser reports it: line ends normalised to LF, then entities decoded."""
    text = raw.decode("utf-8", "replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return html.unescape(text) if "&" in text else text


def _unescape_text(text: str) -> str:
    return _ESCAPED_CHAR.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


# ================================================================================================= cells
def scan_sheet(
    xml: bytes, sheet: int, shared: list[str], poison: bool, errors: dict[str, str] | None = None
) -> tuple[list[FormulaCell], bytes | None]:
    """The formula cells of one worksheet part, and (with ``poison``) the part with their cached values replaced;
    ``errors``: the errors of value metadata (:func:`rich_errors`)."""
    start = _SHEET_DATA.search(xml)
    if start is None or start.group(1):
        return [], None
    end = _SHEET_DATA_END.search(xml, start.end())
    stop = end.start() if end else len(xml)
    records: list[FormulaCell] = []
    pieces: list[bytes] = []
    last = 0
    shared_formulas: dict[str, str] = {}
    areas: dict[int, list[tuple[int, int, str, str, bool]]] = {}  # row -> (first col, last col, kind, text, dyn)
    row = 0
    col = 0
    for match in _ROW_OR_CELL.finditer(xml, start.end(), stop):
        if match.group(1) is not None:  # <row ...>
            attributes = _attributes(match.group(1))
            number = attributes.get("r")
            row = int(number) if number and number.isdigit() else row + 1
            col = 0
            continue
        attributes = _attributes(match.group(3))
        ref = _CELL_REF.fullmatch(attributes.get("r", ""))
        if ref:
            col, row = column_number(ref.group(1)), int(ref.group(2))
        else:
            col += 1
        body = match.group(5) or b""
        record = _formula_cell(attributes, body, sheet, row, col, shared, shared_formulas, areas, errors or {})
        if record is None:
            continue
        records.append(record)
        if poison and record.expected is not None:
            pieces.append(xml[last : match.start()])
            pieces.append(_poisoned_cell(match.group(2) or b"", match.group(3), body))
            last = match.end()
    if not poison or not pieces:
        return records, None
    pieces.append(xml[last:])
    return records, b"".join(pieces)


def _attributes(raw: bytes) -> dict[str, str]:
    found = {}
    for match in _ATTRIBUTE.finditer(raw):
        value = match.group(2) if match.group(2) is not None else match.group(3)
        name = match.group(1).decode("ascii", "replace").rsplit(":", 1)[-1]
        found[name] = _xml_text(value)
    return found


def _formula_cell(
    attributes: dict[str, str], body: bytes, sheet: int, row: int, col: int, shared: list[str],
    shared_formulas: dict[str, str], areas: dict[int, list[tuple[int, int, str, str, bool]]], errors: dict[str, str],
) -> FormulaCell | None:
    formula_match = _FORMULA.search(body) if b"f" in body else None
    dynamic = attributes.get("cm", "0") not in ("", "0")
    if formula_match is None:
        for first, last, kind, text, area_dynamic in areas.get(row, ()):
            if first <= col <= last:
                expected = _cached_value(attributes, body, shared, errors)
                if expected is None:
                    return None
                return FormulaCell(sheet, row, col, text, f"{kind}-member", expected, area_dynamic)
        return None
    f_attributes = _attributes(formula_match.group(1) or b"")
    text = _xml_text(formula_match.group(2) or b"")
    kind = f_attributes.get("t", "normal")
    if kind == "shared":
        index = f_attributes.get("si", "")
        if text:
            shared_formulas[index] = text
            kind = "plain"
        else:
            text = shared_formulas.get(index, "")
    elif kind in ("array", "dataTable"):
        kind = "array" if kind == "array" else "data-table"
        area = _area(f_attributes.get("ref", ""))
        if area is not None and area[:2] != area[2:]:
            r1, c1, r2, c2 = area
            for member_row in range(r1, r2 + 1):
                areas.setdefault(member_row, []).append((c1, c2, kind, text, dynamic))
            if kind == "array":
                kind = "array-range"
    else:
        kind = "plain"
    if not text and kind not in ("data-table",):
        return None
    return FormulaCell(sheet, row, col, text, kind, _cached_value(attributes, body, shared, errors), dynamic)


def _area(ref: str) -> tuple[int, int, int, int] | None:
    corners = ref.split(":")
    found = [_CELL_REF.fullmatch(c) for c in corners]
    if not found or not all(found) or len(found) > 2:
        return None
    first = found[0]
    last = found[-1]
    assert first is not None and last is not None
    return int(first.group(2)), column_number(first.group(1)), int(last.group(2)), column_number(last.group(1))


def _cached_value(
    attributes: dict[str, str], body: bytes, shared: list[str], errors: dict[str, str]
) -> TaggedValue | None:
    kind = attributes.get("t", "n")
    if kind == "inlineStr":
        inline = _INLINE.search(body)
        return ("s", _inline_text(inline.group(1))) if inline else None
    value_match = _VALUE.search(body)
    if value_match is None:
        return None
    raw = _xml_text(value_match.group(1) or b"")
    if kind == "str":
        return ("s", _unescape_text(raw))
    if kind == "s":
        try:
            return ("s", shared[int(raw)])
        except (ValueError, IndexError):
            return None
    if kind == "b":
        return ("b", raw.strip() in ("1", "true", "TRUE"))
    if kind == "e":
        block = _number(attributes.get("vm"))
        return ("e", errors.get(str(block), raw.strip().upper()) if block is not None else raw.strip().upper())
    if kind == "d":
        from datetime import datetime

        try:
            moment = datetime.fromisoformat(raw.strip())
        except ValueError:
            return None
        return ("n", (moment - datetime(1899, 12, 30)).total_seconds() / 86400)
    try:
        return ("n", float(raw))
    except ValueError:
        return None


def _poisoned_cell(prefix: bytes, raw_attributes: bytes, body: bytes) -> bytes:
    """The cell rewritten as the text POISON, its formula (and every other child but the value) kept."""
    attributes = re.sub(rb"\s+t\s*=\s*(\"[^\"]*\"|'[^']*')", b"", raw_attributes).rstrip()
    body = _INLINE.sub(b"", body)
    body = _VALUE.sub(b"", body)
    value = b"<" + prefix + b"v>" + POISON.encode() + b"</" + prefix + b"v>"
    return b"<" + prefix + b"c" + attributes + b' t="str">' + body + value + b"</" + prefix + b"c>"
