"""The editing state an agent acts on: a workbook plus a cursor and a selection, and how commands change it."""

from __future__ import annotations

from sheetrl.env.commands import Command, CommandError
from sheetrl.sheet import SheetError, Workbook
from sheetrl.sheet.address import cell_name, column_index, parse_cell, parse_range

SHEET = "Sheet1"


class SheetState:
    """Workbook + cursor (row, col) + selection anchor, on the task sheet (0-based coordinates).

    The selection is the rectangle spanned by the anchor and the cursor; with no anchor it is the cursor cell.
    Moving away with ``goto`` drops the anchor but remembers a multi-cell selection as ``marked`` (like a copied
    range), so a formula can then refer to it from a cell outside it.
    """

    __slots__ = ("workbook", "cursor", "anchor", "marked")

    def __init__(self, workbook: Workbook, start: str = "A1") -> None:
        self.workbook = workbook
        cell = parse_cell(start)
        self.cursor = (cell.row, cell.col)
        self.anchor: tuple[int, int] | None = None
        self.marked: tuple[int, int, int, int] | None = None

    def clone(self) -> SheetState:
        other = SheetState.__new__(SheetState)
        other.workbook = self.workbook.clone()
        other.cursor = self.cursor
        other.anchor = self.anchor
        other.marked = self.marked
        return other

    @property
    def selection(self) -> tuple[int, int, int, int]:
        """(row1, col1, row2, col2) of the selection, inclusive."""
        r, c = self.cursor
        if self.anchor is None:
            return r, c, r, c
        ar, ac = self.anchor
        return min(r, ar), min(c, ac), max(r, ar), max(c, ac)

    @property
    def selection_text(self) -> str:
        r1, c1, r2, c2 = self.selection
        if (r1, c1) == (r2, c2):
            return cell_name(r1, c1)
        return f"{cell_name(r1, c1)}:{cell_name(r2, c2)}"

    @property
    def cursor_text(self) -> str:
        return cell_name(*self.cursor)

    def apply(self, command: Command) -> None:
        """Carry out a command; raises CommandError (with the engine's message) when it cannot be done."""
        wb = self.workbook
        verb = command.verb
        try:
            if verb == "done":
                return
            if verb == "goto":
                if self.anchor is not None and self.selection[:2] != self.selection[2:]:
                    self.marked = self.selection
                cell = parse_cell(command.cell)
                self.cursor = (cell.row, cell.col)
                self.anchor = None
            elif verb == "select":
                # A select whose corner is the current anchor extends the selection (shift+arrow): the anchor
                # stays and the cursor goes to the opposite corner. Otherwise the anchor goes to the first corner
                # and the cursor to the last; a one-cell select starts a selection there.
                rng = parse_range(command.area)
                corners = {(rng.row1, rng.col1), (rng.row1, rng.col2), (rng.row2, rng.col1), (rng.row2, rng.col2)}
                if self.anchor in corners and len(corners) > 1:
                    ar, ac = self.anchor
                    self.cursor = (rng.row1 + rng.row2 - ar, rng.col1 + rng.col2 - ac)
                else:
                    self.anchor = (rng.row1, rng.col1)
                    self.cursor = (rng.row2, rng.col2)
            elif verb == "value":
                wb.set(command.cell, command.value)
                self._move_to(command.cell)
            elif verb == "formula":
                wb.set(command.cell, command.text)
                self._move_to(command.cell)
            elif verb == "fill":
                wb.fill(command.cell, command.area)
            elif verb == "format":
                wb.set_format(command.area, number_format=command.text)
            elif verb in ("bold", "unbold"):
                wb.set_format(command.area, bold=verb == "bold")
            elif verb == "italic":
                wb.set_format(command.area, italic=True)
            elif verb == "align":
                wb.set_format(command.area, horizontal=command.text)
            elif verb == "clear":
                wb.clear(command.area)
            elif verb == "pivot":
                self._pivot(command)
            else:
                raise CommandError(f"unknown verb {verb!r}")
        except SheetError as exc:
            raise CommandError(f"{command}: {exc}") from None
        except (TypeError, ValueError) as exc:
            if isinstance(exc, CommandError):
                raise
            raise CommandError(f"{command}: {exc}") from None

    def _move_to(self, address: str) -> None:
        cell = parse_cell(address)
        self.cursor = (cell.row, cell.col)
        self.anchor = None

    def _pivot(self, command: Command) -> None:
        wb = self.workbook
        rng = parse_range(command.area)

        def header(letter: str) -> str:
            col = column_index(letter)
            if not rng.col1 <= col <= rng.col2:
                raise CommandError(f"{command}: column {letter} is outside the source {command.area}")
            value = wb.value(cell_name(rng.row1, col))
            if value is None:
                raise CommandError(f"{command}: column {letter} has no header in row {rng.row1 + 1}")
            return str(value)

        rows = header(command.rows)
        values = header(command.values)
        columns = header(command.columns) if command.columns else None
        for existing in wb.pivots:  # a new pivot at the same anchor replaces the old one
            if existing.anchor.upper() == command.cell.upper():
                wb.remove_pivot(existing.name)
        wb.add_pivot(command.area, rows=rows, values=values, aggregation=command.aggregation, columns=columns,
                     anchor=command.cell)
        self._move_to(command.cell)
