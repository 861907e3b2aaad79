"""What the functions that read the workbook (ISFORMULA, SHEET, SHEETS, CELL, INFO, SUBTOTAL ...) may see of it.

Most functions see only their arguments' values. A few need the workbook itself: whether a referenced cell holds a
formula, the sheets' tab order, a cell's number format. They are registered with ``reads_workbook=True`` and
receive a :class:`WorkbookView` as their first argument (after the caller's position for ``caller`` functions):
``Workbook`` implements it, and a function called outside any workbook receives None and answers as for a
workbook it cannot see (#N/A).
"""

from __future__ import annotations

from typing import Protocol

from sheetrl.sheet.formats import CellFormat

ROW_HIDDEN = "hidden"  # a row hidden by hand (what row_state_at says)
ROW_FILTERED = "filtered"  # a row a filter hides


class WorkbookView(Protocol):
    """The read-only view of a workbook that functions get during evaluation (implemented by ``Workbook``)."""

    @property
    def sheet_names(self) -> list[str]:
        """Sheet names in tab order."""
        ...

    def sheet_name_of(self, sheet_id: int) -> str | None:
        """The name of the sheet with internal id ``sheet_id`` (None if it was removed)."""
        ...

    def formula_at(self, key: int) -> str | None:
        """The formula text (with '=') of the cell with key ``key``, or None when it holds no formula."""
        ...

    def holds_formula(self, key: int) -> bool:
        """Whether the cell with key ``key`` holds a formula or lies in the range of a legacy array formula."""
        ...

    def format_at(self, key: int) -> CellFormat:
        """The format of the cell with key ``key`` (the default format if none was set)."""
        ...

    def column_width_at(self, sheet_id: int, col: int) -> float | None:
        """Width of a 0-based column in characters, or None for the default width."""
        ...

    def row_state_at(self, sheet_id: int, row: int) -> str | None:
        """How a 0-based row is hidden: ``ROW_HIDDEN`` (by hand), ``ROW_FILTERED``, or None when it shows."""
        ...
