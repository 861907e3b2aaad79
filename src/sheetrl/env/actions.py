"""Discrete macro actions: a fixed ``Discrete(N)`` whose meaning is relative to the cursor and the selection.

Every macro resolves, in the current state, to exactly one command (:func:`resolve`) or to None when it makes no
sense there (then it is masked out). Because macros are relative — "SUM of the numbers above the cursor",
"left neighbour times the one before it", "fill down as far as the data goes" — the same action means the same
thing on any sheet, which is what lets one policy generalize across tasks.

Words used below: *left1*/*left2* are the first/second cells left of the cursor; *above1*/*above2* likewise
upwards. The *block above* is the contiguous run of numeric cells directly above the cursor (the range Excel's
AutoSum would pick); the *block left* likewise. *Slots* are the structured parameters behind the task's
instruction (the value to type, a threshold, a rate cell and a second one for models with two assumptions, a lookup
table, the pivot fields), so "write the instructed value" types whatever the instruction asked for.

Movement, jumps and fills stay inside the task's sheet area (``Task.extent``, larger than the observed window); the
instruction-named references, targets and slots are those of the current task, on the sheet the cursor is on.

The table :data:`MACROS` is the action space; its order is part of the environment's version (``-v1``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np

from sheetrl.env.commands import Command, format_literal
from sheetrl.env.state import SheetState
from sheetrl.sheet.address import (
    ROW_SHIFT,
    cell_name,
    column_letters,
    make_key,
    parse_cell,
    parse_range,
    quote_sheet_name,
)

if TYPE_CHECKING:
    from sheetrl.env.tasks.base import Reference, Task

AGGREGATES = ("SUM", "AVERAGE", "MIN", "MAX", "COUNT")


@dataclass(frozen=True)
class Macro:
    """One discrete action: a name (shown to people and in logs), a cheap legality predicate and its resolver.

    The action mask asks every macro's predicate every step; the command (cell names, formula text) is built only
    for the action taken. ``resolve(ctx)`` is the command, or None exactly when ``legal(ctx)`` is False."""

    name: str
    resolve: Callable[[Context], Command | None]
    legal: Callable[[Context], bool]


def _macro(name: str, legal: Callable[[Context], bool], build: Callable[[Context], Command]) -> Macro:
    """A macro whose command is built only where its predicate holds (so the two cannot disagree)."""

    def resolve(ctx: Context) -> Command | None:
        return build(ctx) if legal(ctx) else None

    return Macro(name, resolve, legal)


class Context:
    """Read-only view of the state for resolving macros, computed once per step (cheap lookups, cached)."""

    __slots__ = ("_block_above", "_block_left", "_numbers", "_selection_filled", "base", "col", "cols", "references",
                 "row", "rows", "sheet", "slots", "state", "targets", "task", "values")

    def __init__(self, state: SheetState, task: Task) -> None:
        self.state = state
        self.task = task
        self.slots = task.slots
        self.rows, self.cols = task.extent  # the task's sheet area; the cursor stays inside it
        self.targets = targets_on(task, state.sheet)  # (row, col) of the targets on this sheet, in reading order
        self.references = references_on(task, state.sheet)  # the instruction's cells and ranges on this sheet
        self.values = state.workbook.value_map()
        self.sheet = state.sheet_id
        self.base = make_key(state.sheet_id, 0, 0)  # cell keys of this sheet are base + (row << ROW_SHIFT) + col
        self.row, self.col = state.cursor
        self._block_above: tuple[int, int] | bool | None = False
        self._block_left: tuple[int, int] | bool | None = False
        self._selection_filled: bool | None = None
        self._numbers: dict[tuple[int, int, int, int], bool] = {}

    @property
    def selection_filled(self) -> bool:
        """Whether any cell of the selection is non-empty (shared by all the formatting macros)."""
        if self._selection_filled is None:
            r1, c1, r2, c2 = self.state.selection
            self._selection_filled = any(self.filled(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
        return self._selection_filled

    def has_number(self, span: tuple[int, int, int, int]) -> bool:
        """Whether a rectangle (row1, col1, row2, col2) holds a number (cached: every aggregate asks)."""
        found = self._numbers.get(span)
        if found is None:
            r1, c1, r2, c2 = span
            found = self._numbers[span] = any(self.is_number(r, c) for r in range(r1, r2 + 1)
                                              for c in range(c1, c2 + 1))
        return found

    def get(self, row: int, col: int) -> Any:
        if row < 0 or col < 0:
            return None
        return self.values.get(self.base + (row << ROW_SHIFT) + col)

    def is_number(self, row: int, col: int) -> bool:
        if row < 0 or col < 0:
            return False
        return type(self.values.get(self.base + (row << ROW_SHIFT) + col)) is float

    def filled(self, row: int, col: int) -> bool:
        if row < 0 or col < 0:
            return False
        return self.base + (row << ROW_SHIFT) + col in self.values

    def numeric_run(self, row: int, col: int, dr: int, dc: int) -> int:
        """Length of the run of numeric cells from (row, col) stepping (dr, dc); 0 when (row, col) is not one."""
        length = 0
        r, c = row, col
        while 0 <= r < self.rows and 0 <= c < self.cols and self.is_number(r, c):
            length += 1
            r += dr
            c += dc
        return length

    @property
    def block_above(self) -> tuple[int, int] | None:
        """(first_row, last_row) of the numeric block directly above the cursor."""
        if self._block_above is False:
            run = self.numeric_run(self.row - 1, self.col, -1, 0)
            self._block_above = (self.row - run, self.row - 1) if run else None
        return self._block_above  # type: ignore[return-value]

    @property
    def block_left(self) -> tuple[int, int] | None:
        """(first_col, last_col) of the numeric block directly left of the cursor."""
        if self._block_left is False:
            run = self.numeric_run(self.row, self.col - 1, 0, -1)
            self._block_left = (self.col - run, self.col - 1) if run else None
        return self._block_left  # type: ignore[return-value]


Rule = tuple[Callable[[Context], bool], Callable[[Context], Command]]  # (legality predicate, command builder)


def _here(ctx: Context) -> str:
    return cell_name(ctx.row, ctx.col)


def _formula(ctx: Context, text: str) -> Command:
    return Command("formula", cell=_here(ctx), text=text)


def _always(ctx: Context) -> bool:
    return True


# ------------------------------------------------------------------------------------------------------- movement
def _go(ctx: Context, row: int, col: int) -> Command:
    """Move the cursor; with a selection anchor set, extend the selection instead (shift+arrow).

    A selection is stored normalized (anchor top-left, cursor bottom-right), so extending up or left moves the
    anchor to the new top-left corner."""
    if ctx.state.anchor is None:
        return Command("goto", cell=cell_name(row, col))
    ar, ac = ctx.state.anchor
    top, left, bottom, right = min(ar, row), min(ac, col), max(ar, row), max(ac, col)
    return Command("select", area=f"{cell_name(top, left)}:{cell_name(bottom, right)}")


@cache
def _step_in_area(dr: int, dc: int) -> Callable[[Context], bool]:
    """Whether the neighbouring cell (dr, dc) lies in the sheet area: where a move or a jump that way is legal."""

    def legal(ctx: Context) -> bool:
        return 0 <= ctx.row + dr < ctx.rows and 0 <= ctx.col + dc < ctx.cols

    return legal


def _move(dr: int, dc: int) -> Rule:
    def build(ctx: Context) -> Command:
        return _go(ctx, ctx.row + dr, ctx.col + dc)

    return _step_in_area(dr, dc), build


def _jump(dr: int, dc: int) -> Rule:
    """Ctrl+arrow: to the edge of the current data region, or to the next filled cell, or to the sheet area's
    edge (the target scan is the costly part: it runs only for the action taken)."""
    step = (dr << ROW_SHIFT) + dc  # one cell in key units

    def build(ctx: Context) -> Command:
        r, c = ctx.row + dr, ctx.col + dc
        rows, cols, values = ctx.rows, ctx.cols, ctx.values
        key = ctx.base + (r << ROW_SHIFT) + c
        if key in values and key - step in values:  # inside a data region: to its last filled cell
            while 0 <= r + dr < rows and 0 <= c + dc < cols and key + step in values:
                r, c, key = r + dr, c + dc, key + step
        else:  # to the next filled cell, or the edge
            while 0 <= r + dr < rows and 0 <= c + dc < cols and key not in values:
                r, c, key = r + dr, c + dc, key + step
        return _go(ctx, r, c)

    return _step_in_area(dr, dc), build


def _has_other_target(ctx: Context) -> bool:
    """Whether the task has a target on this sheet other than the cursor cell."""
    positions = ctx.targets
    return bool(positions) and positions != ((ctx.row, ctx.col),)


def _next_target(ctx: Context) -> Command:
    """Go to the next target cell of the task on this sheet after the cursor, in reading order (wrapping around)."""
    positions = ctx.targets
    here = (ctx.row, ctx.col)
    target = next((p for p in positions if p > here), positions[0])
    return Command("goto", cell=cell_name(*target))


def targets_on(task: Task, sheet: str) -> tuple[tuple[int, int], ...]:
    """(row, col) of the task's targets on one sheet, in reading order (cached on the task)."""
    cache = task.__dict__.setdefault("_targets_on", {})
    positions = cache.get(sheet)
    if positions is None:
        found = set()
        for address in task.target_cells:
            cell = parse_cell(task.qualified(address))
            if (cell.sheet or "").upper() == sheet.upper():
                found.add((cell.row, cell.col))
        positions = cache[sheet] = tuple(sorted(found))
    return positions


def references_on(task: Task, sheet: str) -> tuple[Reference | None, ...]:
    """The instruction's references in order, None for those on another sheet (cached on the task)."""
    cache = task.__dict__.setdefault("_references_on", {})
    found = cache.get(sheet)
    if found is None:
        found = cache[sheet] = tuple(
            ref if (ref.sheet or task.sheet).upper() == sheet.upper() else None for ref in task.references)
    return found


def _not_anchored_here(ctx: Context) -> bool:
    """Whether a selection can start at the cursor (it is not already the one-cell selection anchored here)."""
    return ctx.state.anchor != (ctx.row, ctx.col) or ctx.state.selection != (ctx.row, ctx.col, ctx.row, ctx.col)


def _select_from_anchor(ctx: Context) -> Command:
    """Start a selection at the cursor (a one-cell select); moves then extend it."""
    return Command("select", area=_here(ctx))


def _select_reference(index: int) -> Rule:
    """Select the ``index``-th cell or range the instruction names (typing it into the Name Box)."""

    def legal(ctx: Context) -> bool:
        if index >= len(ctx.references):
            return False
        ref = ctx.references[index]
        return (ref is not None and ref.row2 < ctx.rows and ref.col2 < ctx.cols
                and ctx.state.selection != (ref.row1, ref.col1, ref.row2, ref.col2))

    def build(ctx: Context) -> Command:
        ref = ctx.references[index]
        assert ref is not None
        r1, c1, r2, c2 = ref.row1, ref.col1, ref.row2, ref.col2
        area = cell_name(r1, c1) if (r1, c1) == (r2, c2) else f"{cell_name(r1, c1)}:{cell_name(r2, c2)}"
        return Command("select", area=area)

    return legal, build


def _anchored(ctx: Context) -> bool:
    return ctx.state.anchor is not None


def _clear_selection(ctx: Context) -> Command:
    return Command("goto", cell=_here(ctx))


# --------------------------------------------------------------------------------------------------- data entry
def _write_slot(slot: str) -> Rule:
    """Type what the instruction gives for a slot ("value": the value to enter, "header": a new column's header)."""

    def legal(ctx: Context) -> bool:
        return slot in ctx.slots

    def build(ctx: Context) -> Command:
        return Command("value", cell=_here(ctx), value=ctx.slots[slot])

    return legal, build


def _selection_filled(ctx: Context) -> bool:
    return ctx.selection_filled


def _clear(ctx: Context) -> Command:
    return Command("clear", area=ctx.state.selection_text)


# ----------------------------------------------------------------------------------------------------- formulas
def _block_above_found(ctx: Context) -> bool:
    return ctx.block_above is not None


def _block_left_found(ctx: Context) -> bool:
    return ctx.block_left is not None


def _marked_span(ctx: Context) -> tuple[int, int, int, int] | None:
    """The selection, or the range marked by selecting it and then moving away."""
    return ctx.state.selection if ctx.state.anchor is not None else ctx.state.marked


def _span_beside_cursor_has_number(ctx: Context) -> bool:
    """Whether the selected (or marked) range holds a number and excludes the cursor (which would be circular;
    select a block, then move next to it)."""
    span = _marked_span(ctx)
    if span is None:
        return False
    r1, c1, r2, c2 = span
    return not (r1 <= ctx.row <= r2 and c1 <= ctx.col <= c2) and ctx.has_number(span)


def _aggregate(function: str, where: str) -> Rule:
    def build(ctx: Context) -> Command:
        if where == "above":
            block = ctx.block_above
            assert block is not None
            area = f"{cell_name(block[0], ctx.col)}:{cell_name(block[1], ctx.col)}"
        elif where == "left":
            block = ctx.block_left
            assert block is not None
            area = f"{cell_name(ctx.row, block[0])}:{cell_name(ctx.row, block[1])}"
        else:
            span = _marked_span(ctx)
            assert span is not None
            area = f"{cell_name(span[0], span[1])}:{cell_name(span[2], span[3])}"
        return _formula(ctx, f"={function}({area})")

    legal = {"above": _block_above_found, "left": _block_left_found}.get(where, _span_beside_cursor_has_number)
    return legal, build


def _pair(dr: int, dc: int, template: str) -> Rule:
    """Formula over the two nearest cells in direction (dr, dc): {a} is the farther one, {b} the nearer one."""

    def build(ctx: Context) -> Command:
        near = cell_name(ctx.row + dr, ctx.col + dc)
        far = cell_name(ctx.row + 2 * dr, ctx.col + 2 * dc)
        return _formula(ctx, "=" + template.format(a=far, b=near))

    return _two_numbers_toward(dr, dc), build


@cache
def _two_numbers_toward(dr: int, dc: int) -> Callable[[Context], bool]:
    """Whether the two nearest cells in direction (dr, dc) are numbers (shared by every pair formula that way)."""

    def legal(ctx: Context) -> bool:
        return ctx.is_number(ctx.row + dr, ctx.col + dc) and ctx.is_number(ctx.row + 2 * dr, ctx.col + 2 * dc)

    return legal


def _column_block(ctx: Context, row: int, col: int) -> tuple[int, int]:
    """(first_row, last_row) of the numeric run in column ``col`` that contains ``row`` (a number)."""
    top = row
    while top - 1 >= 0 and ctx.is_number(top - 1, col):
        top -= 1
    bottom = row
    while bottom + 1 < ctx.rows and ctx.is_number(bottom + 1, col):
        bottom += 1
    return top, bottom


def _left_is_number(ctx: Context) -> bool:
    return ctx.is_number(ctx.row, ctx.col - 1)


def _left_in_column_block(ctx: Context) -> bool:
    """Whether left1 is a number with another number directly above or below it (a block of two or more)."""
    r, c = ctx.row, ctx.col - 1
    return ctx.is_number(r, c) and (ctx.is_number(r - 1, c) or (r + 1 < ctx.rows and ctx.is_number(r + 1, c)))


def _share_of_total(ctx: Context) -> Command:
    col = ctx.col - 1
    block = _column_block(ctx, ctx.row, col)
    letter = column_letters(col)
    return _formula(ctx, f"={letter}{ctx.row + 1}/SUM(${letter}${block[0] + 1}:${letter}${block[1] + 1})")


def _running_total(ctx: Context) -> Command:
    col = ctx.col - 1
    block = _column_block(ctx, ctx.row, col)
    letter = column_letters(col)
    return _formula(ctx, f"=SUM(${letter}${block[0] + 1}:{letter}{ctx.row + 1})")


def _round_left(ctx: Context) -> Command:
    digits = int(ctx.slots.get("digits", 2))
    return _formula(ctx, f"=ROUND({cell_name(ctx.row, ctx.col - 1)},{digits})")


def _threshold_and_left_number(ctx: Context) -> bool:
    return "threshold" in ctx.slots and ctx.is_number(ctx.row, ctx.col - 1)


def _if_threshold(ctx: Context) -> Command:
    above = format_literal(ctx.slots.get("if_true", "high"))
    below = format_literal(ctx.slots.get("if_false", "low"))
    left = cell_name(ctx.row, ctx.col - 1)
    threshold = format_literal(float(ctx.slots["threshold"]))

    def quote(text: str) -> str:
        return '"' + text.strip('"').replace('"', '""') + '"'

    return _formula(ctx, f"=IF({left}>={threshold},{quote(above)},{quote(below)})")


def _slot_cell_formula(template: str, slot: str = "rate_cell", dr: int = 0, dc: int = -1) -> Rule:
    """Formula of the neighbour in direction (dr, dc) (left1 by default) and the rate cell named by a slot
    (absolute): {a} the neighbour, {rate} $R$C."""

    def legal(ctx: Context) -> bool:
        rate = ctx.slots.get(slot)
        if rate is None or not ctx.is_number(ctx.row + dr, ctx.col + dc):
            return False
        cell = parse_cell(rate)
        return (cell.row, cell.col) != (ctx.row, ctx.col)

    def build(ctx: Context) -> Command:
        cell = parse_cell(ctx.slots[slot])
        absolute = cell_name(cell.row, cell.col, True, True)
        return _formula(ctx, "=" + template.format(a=cell_name(ctx.row + dr, ctx.col + dc), rate=absolute))

    return legal, build


def _ratio_to_block_start(direction: str) -> Rule:
    """The nearest number above (or left) divided by the first number of that block: a line as a share of the
    top line (margin = profit / revenue) or of the row's first number (variance % = variance / budget)."""

    def legal(ctx: Context) -> bool:
        block = ctx.block_above if direction == "above" else ctx.block_left
        return block is not None and block[0] != block[1]

    def build(ctx: Context) -> Command:
        if direction == "above":
            block = ctx.block_above
            assert block is not None
            near, first = cell_name(block[1], ctx.col), cell_name(block[0], ctx.col)
        else:
            block = ctx.block_left
            assert block is not None
            near, first = cell_name(ctx.row, block[1]), cell_name(ctx.row, block[0])
        return _formula(ctx, f"={near}/{first}")

    return legal, build


def _table_formula(function: str) -> Rule:
    """Lookup/conditional aggregate keyed on left1 over the instruction's table (absolute ranges)."""
    needed = {"VLOOKUP": ("lookup_table", "lookup_column"), "COUNTIF": ("criteria_range",)}.get(
        function, ("criteria_range", "sum_range"))

    def build(ctx: Context) -> Command:
        key = cell_name(ctx.row, ctx.col - 1)
        slots = ctx.slots
        if function == "VLOOKUP":
            table, column = slots["lookup_table"], int(slots["lookup_column"])
            return _formula(ctx, f"=VLOOKUP({key},{_absolute(table)},{column},FALSE)")
        keys = _absolute(slots["criteria_range"])
        if function == "COUNTIF":
            return _formula(ctx, f"=COUNTIF({keys},{key})")
        return _formula(ctx, f"={function}({keys},{key},{_absolute(slots['sum_range'])})")

    return _left_key_and_slots(needed), build


@cache
def _left_key_and_slots(needed: tuple[str, ...]) -> Callable[[Context], bool]:
    """Whether left1 holds a key and the instruction gives every slot a table formula needs."""

    def legal(ctx: Context) -> bool:
        return ctx.get(ctx.row, ctx.col - 1) is not None and all(ctx.slots.get(s) is not None for s in needed)

    return legal


def _absolute(area: str) -> str:
    """A range with both corners absolute, keeping its sheet name."""
    rng = parse_range(area)
    text = f"{cell_name(rng.row1, rng.col1, True, True)}:{cell_name(rng.row2, rng.col2, True, True)}"
    return text if rng.sheet is None else f"{quote_sheet_name(rng.sheet)}!{text}"


# ------------------------------------------------------------------------------------------------------ filling
def _can_fill_down(ctx: Context) -> bool:
    """Whether the cursor cell is filled and a neighbouring column (left first, then right) has data below it."""
    row, col = ctx.row, ctx.col
    return (ctx.get(row, col) is not None and row + 1 < ctx.rows
            and (ctx.filled(row + 1, col - 1) or ctx.filled(row + 1, col + 1)))


def _fill_down(ctx: Context) -> Command:
    """Fill the cursor cell down as far as the data in the column to its left (or right) goes."""
    neighbour = ctx.col - 1 if ctx.filled(ctx.row + 1, ctx.col - 1) else ctx.col + 1
    last = ctx.row + 1
    while last + 1 < ctx.rows and ctx.filled(last + 1, neighbour):
        last += 1
    return Command("fill", cell=_here(ctx), area=f"{cell_name(ctx.row + 1, ctx.col)}:{cell_name(last, ctx.col)}")


def _can_fill_right(ctx: Context) -> bool:
    """Whether the cursor cell is filled and the row above has data right of it."""
    return ctx.get(ctx.row, ctx.col) is not None and ctx.col + 1 < ctx.cols and ctx.filled(ctx.row - 1, ctx.col + 1)


def _fill_right(ctx: Context) -> Command:
    """Fill the cursor cell right as far as the data in the row above goes."""
    c = ctx.col + 1
    while c + 1 < ctx.cols and ctx.filled(ctx.row - 1, c + 1):
        c += 1
    return Command("fill", cell=_here(ctx), area=f"{cell_name(ctx.row, ctx.col + 1)}:{cell_name(ctx.row, c)}")


def _can_fill_selection(ctx: Context) -> bool:
    return ctx.state.anchor is not None and ctx.get(*ctx.state.selection[:2]) is not None


def _fill_selection(ctx: Context) -> Command:
    r1, c1, r2, c2 = ctx.state.selection
    return Command("fill", cell=cell_name(r1, c1), area=f"{cell_name(r1, c1)}:{cell_name(r2, c2)}")


# ------------------------------------------------------------------------------------------------------ formats
def _style(verb: str, text: str | None = None) -> Rule:
    def build(ctx: Context) -> Command:
        return Command(verb, area=ctx.state.selection_text, text=text)

    return _selection_filled, build


def _pivot(ctx: Context) -> Command | None:
    """The pivot table the instruction describes (slot ``pivot``), drawn at the cursor: on an empty cell, or over
    a pivot anchored here (which it replaces); never inside its own source."""
    spec = ctx.slots.get("pivot")
    if spec is None:
        return None
    here = _here(ctx)
    if ctx.filled(ctx.row, ctx.col):
        anchored = {_pivot_anchor(p.anchor, p.source) for p in ctx.state.workbook.pivots}
        if (ctx.state.sheet.upper(), here) not in anchored:
            return None
    source = parse_range(spec["source"])
    same_sheet = (source.sheet or ctx.task.sheet).upper() == ctx.state.sheet.upper()
    if same_sheet and source.row1 <= ctx.row <= source.row2 and source.col1 <= ctx.col <= source.col2:
        return None
    local = spec["source"].split("!")[-1]
    area = local if same_sheet else f"{quote_sheet_name(source.sheet or ctx.task.sheet)}!{local}"
    return Command(
        "pivot", cell=here, area=area, rows=spec["rows"], values=spec["values"],
        aggregation=spec["aggregation"], columns=spec.get("columns"),
    )


def _pivot_legal(ctx: Context) -> bool:
    """The pivot macro's legality: cheap when the task has no pivot (every level but L4); otherwise it resolves."""
    return "pivot" in ctx.slots and _pivot(ctx) is not None


def _pivot_anchor(anchor: str, source: str) -> tuple[str, str]:
    """(upper-case sheet name, cell) of a pivot's anchor (an anchor without a sheet lies on its source's)."""
    cell = parse_cell(anchor)
    sheet = cell.sheet if cell.sheet is not None else (parse_range(source).sheet or "")
    return sheet.upper(), cell_name(cell.row, cell.col)


def _new_sheet_missing(ctx: Context) -> bool:
    """Whether the instruction names a new sheet (slot ``new_sheet``) that does not exist yet."""
    name = ctx.slots.get("new_sheet")
    return name is not None and name.upper() not in (n.upper() for n in ctx.state.workbook.sheet_names)


def _new_sheet(ctx: Context) -> Command:
    """Add the sheet the instruction names and go to it."""
    return Command("newsheet", text=ctx.slots["new_sheet"])


def _done(ctx: Context) -> Command:
    return Command("done")


def _build() -> tuple[Macro, ...]:
    rules: list[tuple[str, Rule]] = [
        ("move_up", _move(-1, 0)),
        ("move_down", _move(1, 0)),
        ("move_left", _move(0, -1)),
        ("move_right", _move(0, 1)),
        ("jump_up", _jump(-1, 0)),
        ("jump_down", _jump(1, 0)),
        ("jump_left", _jump(0, -1)),
        ("jump_right", _jump(0, 1)),
        ("next_target", (_has_other_target, _next_target)),
        ("anchor_selection", (_not_anchored_here, _select_from_anchor)),
        ("clear_selection", (_anchored, _clear_selection)),
        ("write_instructed_value", _write_slot("value")),
        ("clear_cells", (_selection_filled, _clear)),
    ]
    for where in ("above", "left", "selection"):
        for function in AGGREGATES:
            rules.append((f"{function.lower()}_{where}", _aggregate(function, where)))
    rules += [
        ("left_product", _pair(0, -1, "{a}*{b}")),
        ("left_sum", _pair(0, -1, "{a}+{b}")),
        ("left_difference", _pair(0, -1, "{b}-{a}")),
        ("left_ratio", _pair(0, -1, "{b}/{a}")),
        ("left_growth", _pair(0, -1, "({b}-{a})/{a}")),
        ("above_sum", _pair(-1, 0, "{a}+{b}")),
        ("above_difference", _pair(-1, 0, "{a}-{b}")),
        ("above_ratio", _pair(-1, 0, "{b}/{a}")),
        ("above_product", _pair(-1, 0, "{a}*{b}")),
        ("share_of_column_total", (_left_in_column_block, _share_of_total)),
        ("running_total", (_left_is_number, _running_total)),
        ("round_left", (_left_is_number, _round_left)),
        ("if_threshold_left", (_threshold_and_left_number, _if_threshold)),
        ("left_times_rate_cell", _slot_cell_formula("{a}*{rate}")),
        ("left_grown_by_rate_cell", _slot_cell_formula("{a}*(1+{rate})")),
        ("vlookup_left", _table_formula("VLOOKUP")),
        ("sumif_left", _table_formula("SUMIF")),
        ("countif_left", _table_formula("COUNTIF")),
        ("averageif_left", _table_formula("AVERAGEIF")),
        ("fill_down", (_can_fill_down, _fill_down)),
        ("fill_right", (_can_fill_right, _fill_right)),
        ("fill_selection", (_can_fill_selection, _fill_selection)),
        ("format_currency", _style("format", "currency")),
        ("format_percent", _style("format", "percent")),
        ("format_number", _style("format", "number")),
        ("format_integer", _style("format", "integer")),
        ("format_date", _style("format", "date")),
        ("bold", _style("bold")),
        ("italic", _style("italic")),
        ("align_right", _style("align", "right")),
    ]
    macros = [_macro(name, legal, build) for name, (legal, build) in rules]
    macros += [
        Macro("pivot_instructed", _pivot, _pivot_legal),
        _macro("done", _always, _done),
    ]
    rules = [
        # appended after the first 60 in v0
        ("above_times_second_rate_cell", _slot_cell_formula("{a}*{rate}", "rate_cell_2", -1, 0)),
        ("above_ratio_to_top", _ratio_to_block_start("above")),
        ("left_ratio_to_first", _ratio_to_block_start("left")),
        ("left_reverse_difference", _pair(0, -1, "{a}-{b}")),  # left2 - left1 (net = gross - tax)
        ("select_reference_1", _select_reference(0)),
        ("select_reference_2", _select_reference(1)),
        ("select_reference_3", _select_reference(2)),
        # added in v1
        ("new_sheet_instructed", (_new_sheet_missing, _new_sheet)),
        ("write_instructed_header", _write_slot("header")),
    ]
    macros += [_macro(name, legal, build) for name, (legal, build) in rules]
    return tuple(macros)


MACROS: tuple[Macro, ...] = _build()
MACRO_INDEX: dict[str, int] = {m.name: i for i, m in enumerate(MACROS)}
N_ACTIONS = len(MACROS)
_CONDITIONAL = re.compile(r"^(sum|count|average)if$")


def macro_parts(name: str) -> tuple[str, ...]:
    """The words a macro's name is made of, each tagged with its place in the name, a conditional aggregate split
    in two (``averageif_left`` -> 1:average, 1:if, 2:left): what a policy can share between macros (``max_above``
    is ``max`` first as in ``max_left`` and ``above`` second as in ``sum_above``; ``left_sum`` and ``sum_left``
    differ)."""
    parts: list[str] = []
    for place, word in enumerate(name.split("_"), start=1):
        match = _CONDITIONAL.match(word)
        parts += [f"{place}:{w}" for w in ((match.group(1), "if") if match else (word,))]
    return tuple(parts)


MACRO_PART_NAMES: tuple[str, ...] = tuple(sorted({part for m in MACROS for part in macro_parts(m.name)}))
# Words of macro names that say what a formula computes (as opposed to where it reads from, or how it is entered):
# an instruction names these ("the minimum of ...", "... divided by ..."), the sheet says where.
COMPUTATIONS = frozenset({"sum", "average", "min", "max", "count", "product", "ratio", "difference", "growth"})


def is_computation_part(part: str) -> bool:
    """Whether a :data:`MACRO_PART_NAMES` entry (``"1:min"``) names a computation (:data:`COMPUTATIONS`)."""
    return part.partition(":")[2] in COMPUTATIONS


_PREDICATES = tuple(dict.fromkeys(m.legal for m in MACROS))  # distinct predicates: many macros share one
_PREDICATE_OF = np.array([_PREDICATES.index(m.legal) for m in MACROS], dtype=np.intp)


def legal_mask(ctx: Context) -> np.ndarray:
    """The action mask (int8, one entry per macro) in a state: each distinct legality predicate asked once."""
    return np.array([legal(ctx) for legal in _PREDICATES], dtype=np.int8)[_PREDICATE_OF]
