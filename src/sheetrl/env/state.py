"""The editing state an agent acts on: a workbook plus a current sheet, a cursor and a selection, and how commands
change it."""

from __future__ import annotations

from collections.abc import Callable

from sheetrl.env.commands import VERBS, Command, CommandError
from sheetrl.sheet import SheetError, Workbook
from sheetrl.sheet.address import (
    cell_name,
    column_index,
    parse_cell,
    parse_range,
    quote_sheet_name,
)

SHEET = "Sheet1"
DEFAULT_BOUNDS = (1_048_576, 16_384)  # the whole sheet


class SheetState:
    """Workbook + current sheet + cursor (row, col) + selection anchor (0-based coordinates).

    The selection is the rectangle spanned by the anchor and the cursor; with no anchor it is the cursor cell.
    Moving away with ``goto`` drops the anchor but remembers a multi-cell selection as ``marked`` (like a copied
    range), so a formula can then refer to it from a cell outside it.

    ``bounds`` (rows, columns) is the part of every sheet the agent may address: a command that reaches outside
    it is rejected with a :class:`CommandError` (an invalid action), never an engine error.
    """

    __slots__ = ("anchor", "bounds", "cursor", "marked", "prefix", "sheet", "sheet_id", "workbook")

    def __init__(self, workbook: Workbook, start: str = "A1", sheet: str | None = None,
                 bounds: tuple[int, int] = DEFAULT_BOUNDS) -> None:
        self.workbook = workbook
        self.bounds = bounds
        self._switch(sheet if sheet is not None else workbook.sheet_names[0])
        cell = parse_cell(start)
        self.cursor = (cell.row, cell.col)
        self.anchor: tuple[int, int] | None = None
        self.marked: tuple[int, int, int, int] | None = None

    def _switch(self, name: str) -> None:
        self.sheet_id = self.workbook.sheet_id(name)
        self.sheet = self.workbook.sheet_name(self.sheet_id)
        self.prefix = quote_sheet_name(self.sheet) + "!"

    def clone(self) -> SheetState:
        other = SheetState.__new__(SheetState)
        other.workbook = self.workbook.clone()
        other.sheet, other.sheet_id, other.prefix = self.sheet, self.sheet_id, self.prefix
        other.cursor = self.cursor
        other.anchor = self.anchor
        other.marked = self.marked
        other.bounds = self.bounds
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

    def address(self, local: str) -> str:
        """A cell or range of the current sheet with its sheet name, for the engine."""
        return self.prefix + local

    # --------------------------------------------------------------------------------------------------- apply
    def apply(self, command: Command) -> None:
        """Carry out a command; raises CommandError (with the engine's message) when it cannot be done."""
        handler = _HANDLERS.get(command.verb)
        if handler is None:
            raise CommandError(f"unknown verb {command.verb!r}")
        self._check_bounds(command)
        try:
            handler(self, command)
        except SheetError as exc:
            raise CommandError(f"{command}: {exc}") from None
        except (TypeError, ValueError) as exc:
            if isinstance(exc, CommandError):
                raise
            raise CommandError(f"{command}: {exc}") from None

    def _check_bounds(self, command: Command) -> None:
        rows, cols = self.bounds
        for text in (command.cell, command.area):
            if text is None or (command.verb == "pivot" and text is command.area):
                continue
            try:
                rng = parse_range(text)
            except SheetError as exc:
                raise CommandError(f"{command.verb}: {exc}") from None
            if rng.row2 >= rows or rng.col2 >= cols:
                raise CommandError(f"{command.verb}: {text} is outside this task's sheet area "
                                   f"A1:{cell_name(rows - 1, cols - 1)}")

    def _goto(self, command: Command) -> None:
        if self.anchor is not None and self.selection[:2] != self.selection[2:]:
            self.marked = self.selection
        cell = parse_cell(_need(command.cell))
        self.cursor = (cell.row, cell.col)
        self.anchor = None

    def _select(self, command: Command) -> None:
        # A select whose corner is the current anchor extends the selection (shift+arrow): the anchor stays and
        # the cursor goes to the opposite corner. Otherwise the anchor goes to the first corner and the cursor to
        # the last; a one-cell select starts a selection there.
        rng = parse_range(_need(command.area))
        corners = {(rng.row1, rng.col1), (rng.row1, rng.col2), (rng.row2, rng.col1), (rng.row2, rng.col2)}
        if self.anchor in corners and len(corners) > 1:
            ar, ac = self.anchor
            self.cursor = (rng.row1 + rng.row2 - ar, rng.col1 + rng.col2 - ac)
        else:
            self.anchor = (rng.row1, rng.col1)
            self.cursor = (rng.row2, rng.col2)

    def _value(self, command: Command) -> None:
        self.workbook.set(self.prefix + _need(command.cell), command.value)
        self._move_to(_need(command.cell))

    def _formula(self, command: Command) -> None:
        self.workbook.set(self.prefix + _need(command.cell), _need(command.text))
        self._move_to(_need(command.cell))

    def _fill(self, command: Command) -> None:
        self.workbook.fill(self.prefix + _need(command.cell), self.prefix + _need(command.area))

    def _format(self, command: Command) -> None:
        self.workbook.set_format(self.prefix + _need(command.area), number_format=_need(command.text))

    def _bold(self, command: Command) -> None:
        self.workbook.set_format(self.prefix + _need(command.area), bold=command.verb == "bold")

    def _italic(self, command: Command) -> None:
        self.workbook.set_format(self.prefix + _need(command.area), italic=True)

    def _align(self, command: Command) -> None:
        self.workbook.set_format(self.prefix + _need(command.area), horizontal=_need(command.text))

    def _clear(self, command: Command) -> None:
        self.workbook.clear(self.prefix + _need(command.area))

    def _newsheet(self, command: Command) -> None:
        self.workbook.add_sheet(_need(command.text))
        self._switch(_need(command.text))
        self.cursor, self.anchor, self.marked = (0, 0), None, None

    def _sheet(self, command: Command) -> None:
        self._switch(_need(command.text))
        self.cursor, self.anchor, self.marked = (0, 0), None, None

    def _done(self, command: Command) -> None:
        pass

    def _move_to(self, address: str) -> None:
        cell = parse_cell(address)
        self.cursor = (cell.row, cell.col)
        self.anchor = None

    def _pivot(self, command: Command) -> None:
        wb = self.workbook
        source = parse_range(_need(command.area))
        source_prefix = quote_sheet_name(source.sheet) + "!" if source.sheet is not None else self.prefix
        local_source = _need(command.area).split("!")[-1]

        def header(letter: str) -> str:
            col = column_index(letter)
            if not source.col1 <= col <= source.col2:
                raise CommandError(f"{command}: column {letter} is outside the source {_need(command.area)}")
            value = wb.value(source_prefix + cell_name(source.row1, col))
            if value is None:
                raise CommandError(f"{command}: column {letter} has no header in row {source.row1 + 1}")
            return str(value)

        rows = header(_need(command.rows))
        values = header(_need(command.values))
        columns = header(command.columns) if command.columns else None
        anchor = self.prefix + _need(command.cell)
        anchor_key = wb.key(anchor)
        for existing in wb.pivots:  # a new pivot at the same anchor replaces the old one
            if wb.key(_with_sheet(existing.anchor, existing.source)) == anchor_key:
                wb.remove_pivot(existing.name)
        wb.add_pivot(source_prefix + local_source, rows=rows, values=values, aggregation=_need(command.aggregation),
                     columns=columns, anchor=anchor)
        self._move_to(_need(command.cell))


def _need(value: str | None) -> str:
    """A command field its verb requires (parsed commands always have it; hand-built ones may not)."""
    if value is None:
        raise CommandError("a command is missing one of its verb's arguments")
    return value


def _with_sheet(anchor: str, source: str) -> str:
    """A pivot's anchor with a sheet name (an anchor without one lies on its source's sheet)."""
    if "!" in anchor:
        return anchor
    sheet = parse_range(source).sheet
    return anchor if sheet is None else f"{quote_sheet_name(sheet)}!{anchor}"


_HANDLERS: dict[str, Callable[[SheetState, Command], None]] = {
    "goto": SheetState._goto,
    "select": SheetState._select,
    "value": SheetState._value,
    "formula": SheetState._formula,
    "fill": SheetState._fill,
    "format": SheetState._format,
    "bold": SheetState._bold,
    "unbold": SheetState._bold,
    "italic": SheetState._italic,
    "align": SheetState._align,
    "clear": SheetState._clear,
    "pivot": SheetState._pivot,
    "newsheet": SheetState._newsheet,
    "sheet": SheetState._sheet,
    "done": SheetState._done,
}
if set(_HANDLERS) != set(VERBS):  # the verb table and the handlers must describe the same language
    raise ImportError(f"state handlers {sorted(_HANDLERS)} do not match the verb table {sorted(VERBS)}")
