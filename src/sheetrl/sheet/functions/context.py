"""What workbook-aware functions (ISFORMULA, SHEET, SHEETS, CELL, SUBTOTAL ...) may read of the workbook.

Most functions see only their arguments' values. A few need the workbook itself: whether a referenced cell holds a
formula, the sheets' tab order, a cell's number format. A compiled formula receives nothing but the values dict
(clones share compiled formulas, so a closure cannot hold on to one workbook), so the workbook that is evaluating
publishes itself here for the duration of each recalculation pass (:func:`evaluating`), per thread.

Outside a recalculation (a function called directly) there is no workbook: :func:`current_workbook` is None and the
functions answer as for a workbook they cannot see (#N/A or #VALUE!).
"""

from __future__ import annotations

import threading
from typing import Protocol

from sheetrl.sheet.formats import CellFormat


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

    def format_at(self, key: int) -> CellFormat:
        """The format of the cell with key ``key`` (the default format if none was set)."""
        ...

    def column_width_at(self, sheet_id: int, col: int) -> float | None:
        """Width of a 0-based column in characters, or None for the default width."""
        ...


class _Current(threading.local):
    workbook: WorkbookView | None = None


_current = _Current()


def current_workbook() -> WorkbookView | None:
    """The workbook being recalculated on this thread, or None outside a recalculation."""
    return _current.workbook


def evaluating(workbook: WorkbookView | None) -> WorkbookView | None:
    """Publish ``workbook`` as the one being recalculated on this thread; returns the previous one to restore.

    Used as ``previous = evaluating(self)`` ... ``evaluating(previous)`` around a recalculation pass (cheaper than a
    context manager on the edit hot path).
    """
    previous = _current.workbook
    _current.workbook = workbook
    return previous
