"""sheetrl's spreadsheet engine: Excel formulas, incremental recalculation, cheap clones, xlsx I/O.

No RL and no torch here: the engine is usable on its own.

>>> from sheetrl.sheet import Workbook
>>> wb = Workbook()
>>> wb.set("A1", 5); wb.set("B1", "=A1*2")
>>> wb.value("B1")
10
"""

from sheetrl.sheet.address import CellAddress, RangeAddress, parse_cell, parse_range
from sheetrl.sheet.errors import (
    AddressError,
    ExcelError,
    FormulaSyntaxError,
    SheetError,
    WorkbookFileError,
)
from sheetrl.sheet.formats import CellFormat
from sheetrl.sheet.parser import parse
from sheetrl.sheet.workbook import IterativeCalculation, Workbook

__all__ = [
    "AddressError",
    "CellAddress",
    "CellFormat",
    "ExcelError",
    "FormulaSyntaxError",
    "IterativeCalculation",
    "RangeAddress",
    "SheetError",
    "Workbook",
    "WorkbookFileError",
    "parse",
    "parse_cell",
    "parse_range",
]
