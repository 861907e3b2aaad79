"""Functions that read the workbook beyond their arguments' values: ISFORMULA, SHEET, SHEETS, CELL, INFO.

They take their reference arguments as references (the cell's position, not only its value) and receive the
workbook as a :class:`~sheetrl.sheet.functions.context.WorkbookView` to read formulas, sheet order and formats.
SHEET and SHEETS are recompiled when sheets are added, renamed or removed; CELL and INFO are volatile (a format
change does not trigger recalculation, so they are refreshed by a full recalculation, as in Excel).

Differences from Excel, all because the engine has no window, no file and no application around it:
CELL without a reference describes the formula's own cell (Excel: the cell last changed; LibreOffice does the
same as here); CELL("address") of a cell on another sheet is "Sheet2!$A$1" (Excel adds "[Book1]");
CELL("filename") is "" (Excel's answer for a workbook never saved); INFO reports Excel for Windows' fixed answers
("pcdos", "16.0", "Automatic") and the current directory, and #N/A for "osversion".
"""

from __future__ import annotations

import os
import re
from typing import Any

from sheetrl.sheet.address import cell_name, make_key, quote_sheet_name
from sheetrl.sheet.errors import NA, REF, VALUE, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.functions.context import WorkbookView
from sheetrl.sheet.values import Matrix, scalar_of, to_text

Position = tuple[int, int, int]  # (sheet_id, row, col), 0-based

DEFAULT_COLUMN_WIDTH = 8.43  # characters: Excel's default column width


def _reference_origin(value: Any) -> Position | None:
    if type(value) is Matrix and value.is_reference and value.origin is not None:
        return value.origin
    return None


def _sheet_number(workbook: WorkbookView, sheet_id: int) -> float | ExcelError:
    name = workbook.sheet_name_of(sheet_id)
    if name is None:
        return REF
    return float(workbook.sheet_names.index(name) + 1)


@register("ISFORMULA", 1, refs=(0,), propagate_errors=False, reads_workbook=True)
def isformula(workbook: WorkbookView | None, reference: Any) -> Any:
    """TRUE when the referenced cell holds a formula (a cell of a legacy array formula's range does); a range gives
    one answer per cell (an array that spills, as Excel 365 computes ``ISFORMULA(BC75:BD93)``; a formula from a file
    without dynamic arrays takes the top-left one, see :mod:`sheetrl.sheet.legacy`). #VALUE! for a value that is
    not a reference."""
    origin = _reference_origin(reference)
    if origin is None:
        value = scalar_of(reference)
        return value if type(value) is ExcelError else VALUE
    if workbook is None:
        return NA
    sheet_id, top, left = origin
    if reference.rows * reference.cols == 1:
        return workbook.holds_formula(make_key(sheet_id, top, left))
    return Matrix(reference.rows, reference.cols, [
        workbook.holds_formula(make_key(sheet_id, row, col))
        for row in range(top, top + reference.rows)
        for col in range(left, left + reference.cols)
    ])


@register("SHEET", 0, 1, refs=(0,), propagate_errors=False, caller=True, reads_workbook=True, structural=True)
def sheet(caller: Position, workbook: WorkbookView | None, value: Any = None) -> Any:
    """The number (tab position, from 1) of the referenced sheet, of the sheet named by a text, or of the formula's
    own sheet when omitted; #N/A for a name that is no sheet."""
    if workbook is None:
        return NA
    origin = _reference_origin(value)
    if origin is not None:
        return _sheet_number(workbook, origin[0])
    if value is None:
        return _sheet_number(workbook, caller[0])
    name = scalar_of(value)
    if type(name) is ExcelError:
        return name
    if type(name) is not str:
        return NA  # SHEET(0) is #N/A in Excel: no sheet has that name
    for index, sheet_name in enumerate(workbook.sheet_names):
        if sheet_name.upper() == name.upper():
            return float(index + 1)
    return NA


@register("SHEETS", 0, 1, refs=(0,), propagate_errors=False, reads_workbook=True, structural=True)
def sheets(workbook: WorkbookView | None, reference: Any = None) -> Any:
    """The number of sheets in a reference (1: references span one sheet), or in the workbook when omitted."""
    if reference is None:
        return NA if workbook is None else float(len(workbook.sheet_names))
    if _reference_origin(reference) is not None:
        return 1.0
    value = scalar_of(reference)
    return value if type(value) is ExcelError else VALUE


# ------------------------------------------------------------------------------------------------------ CELL
_DATE_CODES = [  # (pattern on the lower-cased, simplified format, CELL code), first match wins
    (re.compile(r"^d{1,2}-mmm-yy(yy)?$"), "D1"),
    (re.compile(r"^d{1,2}-mmm$"), "D2"),
    (re.compile(r"^mmm-yy(yy)?$"), "D3"),
    (re.compile(r"^mm/dd$"), "D5"),
    (re.compile(r"^h{1,2}:mm:ss am/pm$"), "D6"),
    (re.compile(r"^h{1,2}:mm am/pm$"), "D7"),
    (re.compile(r"^h{1,2}:mm:ss$"), "D8"),
    (re.compile(r"^h{1,2}:mm$"), "D9"),
]
_QUOTED = re.compile(r'"[^"]*"|\\.|_.|\*.')
_BRACKETED = re.compile(r"\[[^\]]*\]")


def format_code(number_format: str) -> str:
    """CELL("format"): the code of a number format ("G", "F2", ",0", "C2", "P0", "S2", "D1".."D9"), with "-"
    when negative numbers show in colour and "()" when positive or all numbers show in parentheses."""
    sections = number_format.split(";")
    first = sections[0]
    plain = _BRACKETED.sub("", _QUOTED.sub("", first)).strip().lower()
    negative_colour = len(sections) > 1 and "[" in sections[1] and not sections[1].startswith("[$")
    suffix = "-" if negative_colour else ""
    if "(" in _QUOTED.sub("", first):
        suffix += "()"
    if plain in ("general", "") or "?/" in plain:
        return "G" + suffix
    if plain == "@":
        return "@"
    if any(c in plain for c in "dyhs") or "am/pm" in plain or re.search(r"(^|[^0#?])m", plain):
        simplified = plain.replace("\\", "")
        for pattern, code in _DATE_CODES:
            if pattern.match(simplified):
                return code + suffix
        return "D4" + suffix
    decimals = 0
    point = plain.find(".")
    if point >= 0:
        decimals = len(re.match(r"[0#?]*", plain[point + 1 :]).group(0))  # type: ignore[union-attr]
    if "e+" in plain or "e-" in plain:
        return f"S{decimals}" + suffix
    if "%" in plain:
        return f"P{decimals}" + suffix
    if "$" in first or "[$" in first:
        return f"C{decimals}" + suffix
    if "," in plain:
        return f",{decimals}" + suffix
    return f"F{decimals}" + suffix


def _prefix(alignment: str, value: Any) -> str:
    if type(value) is not str:
        return ""
    return {"left": "'", "right": '"', "center": "^"}.get(alignment, "")


def _cell_info(kind: str, workbook: WorkbookView, caller: Position, position: Position, value: Any) -> Any:
    sheet_id, row, col = position
    fmt = workbook.format_at(make_key(*position))
    if kind == "address":
        address = cell_name(row, col, True, True)
        if sheet_id != caller[0]:
            name = workbook.sheet_name_of(sheet_id)
            return REF if name is None else f"{quote_sheet_name(name)}!{address}"
        return address
    if kind == "col":
        return float(col + 1)
    if kind == "row":
        return float(row + 1)
    if kind == "contents":
        return 0.0 if value is None else value
    if kind == "type":
        return "b" if value is None else ("l" if type(value) is str else "v")
    if kind == "format":
        return format_code(fmt.number_format)
    if kind == "color":
        return 1.0 if format_code(fmt.number_format).rstrip("()").endswith("-") else 0.0
    if kind == "parentheses":
        return 1.0 if format_code(fmt.number_format).endswith("()") else 0.0
    if kind == "prefix":
        return _prefix(fmt.horizontal, value)
    if kind == "protect":
        return 1.0  # every cell is locked, Excel's default
    if kind == "width":
        width = workbook.column_width_at(sheet_id, col)
        return float(int(DEFAULT_COLUMN_WIDTH if width is None else width))
    if kind == "filename":
        return ""
    return VALUE


@register("CELL", 1, 2, refs=(1,), propagate_errors=False, caller=True, reads_workbook=True, volatile=True)
def cell(caller: Position, workbook: WorkbookView | None, info_type: Any, reference: Any = None) -> Any:
    """Information about the top-left cell of a reference (the formula's own cell when omitted): "address",
    "col", "row", "contents", "type" (b/l/v), "format", "color", "parentheses", "prefix", "protect", "width",
    "filename"."""
    kind = to_text(scalar_of(info_type))
    if type(kind) is ExcelError:
        return kind
    if workbook is None:
        return NA
    if reference is None:
        position = caller
    else:
        origin = _reference_origin(reference)
        if origin is None:
            value = scalar_of(reference)
            return value if type(value) is ExcelError else VALUE
        position = origin
    value = reference.values[0] if type(reference) is Matrix and reference.values else None
    if reference is None:
        value = None  # the formula's own cell is being computed: its contents are not known yet
    return _cell_info(kind.lower(), workbook, caller, position, value)


# ------------------------------------------------------------------------------------------------------ INFO
@register("INFO", 1, propagate_errors=False, reads_workbook=True, volatile=True, structural=True)
def info(workbook: WorkbookView | None, type_text: Any) -> Any:
    """Information about the environment: "directory", "numfile" (sheets), "origin", "recalc", "release",
    "system"; #N/A for "osversion" and the memory figures Excel no longer reports."""
    kind = to_text(scalar_of(type_text))
    if type(kind) is ExcelError:
        return kind
    kind = kind.lower()
    if kind == "directory":
        return os.getcwd().rstrip(os.sep) + os.sep
    if kind == "numfile":
        return NA if workbook is None else float(len(workbook.sheet_names))
    if kind == "origin":
        return "$A:$A$1"
    if kind == "recalc":
        return "Automatic"
    if kind == "release":
        return "16.0"
    if kind == "system":
        return "pcdos"
    if kind in ("osversion", "memavail", "memused", "totmem"):
        return NA
    return VALUE
