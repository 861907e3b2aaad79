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

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
    """One discrete action: a name (shown to people and in logs), its resolver, and optionally a cheap legality
    predicate that answers ``resolve(ctx) is not None`` without building the command (the action mask asks every
    macro every step; the command is then resolved only for the action taken)."""

    name: str
    resolve: Callable[[Context], Command | None]
    legal: Callable[[Context], bool] | None = None

    def is_legal(self, ctx: Context) -> bool:
        """Whether the macro resolves to a command in this state."""
        return self.legal(ctx) if self.legal is not None else self.resolve(ctx) is not None


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


def _here(ctx: Context) -> str:
    return cell_name(ctx.row, ctx.col)


def _formula(ctx: Context, text: str) -> Command:
    return Command("formula", cell=_here(ctx), text=text)


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


def _move(dr: int, dc: int) -> Callable[[Context], Command | None]:
    def resolve(ctx: Context) -> Command | None:
        r, c = ctx.row + dr, ctx.col + dc
        if not (0 <= r < ctx.rows and 0 <= c < ctx.cols):
            return None
        return _go(ctx, r, c)

    return resolve


def _step_in_area(dr: int, dc: int) -> Callable[[Context], bool]:
    """Whether the neighbouring cell (dr, dc) lies in the sheet area: exactly when a jump resolves (a jump's
    target scan, up to the sheet area's edge, is the costly part and is left to the action taken)."""

    def legal(ctx: Context) -> bool:
        return 0 <= ctx.row + dr < ctx.rows and 0 <= ctx.col + dc < ctx.cols

    return legal


def _jump(dr: int, dc: int) -> Callable[[Context], Command | None]:
    """Ctrl+arrow: to the edge of the current data region, or to the next filled cell, or to the sheet area's
    edge."""
    step = (dr << ROW_SHIFT) + dc  # one cell in key units

    def resolve(ctx: Context) -> Command | None:
        r, c = ctx.row + dr, ctx.col + dc
        rows, cols, values = ctx.rows, ctx.cols, ctx.values
        if not (0 <= r < rows and 0 <= c < cols):
            return None
        key = ctx.base + (r << ROW_SHIFT) + c
        if key in values and key - step in values:  # inside a data region: to its last filled cell
            while 0 <= r + dr < rows and 0 <= c + dc < cols and key + step in values:
                r, c, key = r + dr, c + dc, key + step
        else:  # to the next filled cell, or the edge
            while 0 <= r + dr < rows and 0 <= c + dc < cols and key not in values:
                r, c, key = r + dr, c + dc, key + step
        return _go(ctx, r, c)

    return resolve


def _next_target(ctx: Context) -> Command | None:
    """Go to the next target cell of the task on this sheet after the cursor, in reading order (wrapping around)."""
    positions = ctx.targets
    if not positions:
        return None
    here = (ctx.row, ctx.col)
    target = next((p for p in positions if p > here), positions[0])
    if target == here:
        return None
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


def _select_from_anchor(ctx: Context) -> Command | None:
    """Start a selection at the cursor (a one-cell select); moves then extend it."""
    if ctx.state.anchor == (ctx.row, ctx.col) and ctx.state.selection == (ctx.row, ctx.col, ctx.row, ctx.col):
        return None
    return Command("select", area=_here(ctx))


def _select_reference(index: int) -> Callable[[Context], Command | None]:
    """Select the ``index``-th cell or range the instruction names (typing it into the Name Box)."""

    def resolve(ctx: Context) -> Command | None:
        if index >= len(ctx.references):
            return None
        ref = ctx.references[index]
        if ref is None:
            return None
        r1, c1, r2, c2 = ref.row1, ref.col1, ref.row2, ref.col2
        if r2 >= ctx.rows or c2 >= ctx.cols or ctx.state.selection == (r1, c1, r2, c2):
            return None
        area = cell_name(r1, c1) if (r1, c1) == (r2, c2) else f"{cell_name(r1, c1)}:{cell_name(r2, c2)}"
        return Command("select", area=area)

    return resolve


def _clear_selection(ctx: Context) -> Command | None:
    if ctx.state.anchor is None:
        return None
    return Command("goto", cell=_here(ctx))


# --------------------------------------------------------------------------------------------------- data entry
def _write_slot(slot: str) -> Callable[[Context], Command | None]:
    """Type what the instruction gives for a slot ("value": the value to enter, "header": a new column's header)."""

    def resolve(ctx: Context) -> Command | None:
        if slot not in ctx.slots:
            return None
        return Command("value", cell=_here(ctx), value=ctx.slots[slot])

    return resolve


def _clear(ctx: Context) -> Command | None:
    if not ctx.selection_filled:
        return None
    return Command("clear", area=ctx.state.selection_text)


# ----------------------------------------------------------------------------------------------------- formulas
def _aggregate(function: str, where: str) -> Callable[[Context], Command | None]:
    def resolve(ctx: Context) -> Command | None:
        if where == "above":
            block = ctx.block_above
            if block is None:
                return None
            area = f"{cell_name(block[0], ctx.col)}:{cell_name(block[1], ctx.col)}"
        elif where == "left":
            block = ctx.block_left
            if block is None:
                return None
            area = f"{cell_name(ctx.row, block[0])}:{cell_name(ctx.row, block[1])}"
        else:
            # the selection, or the range marked by selecting it and then moving away
            span = ctx.state.selection if ctx.state.anchor is not None else ctx.state.marked
            if span is None:
                return None
            r1, c1, r2, c2 = span
            if r1 <= ctx.row <= r2 and c1 <= ctx.col <= c2:
                return None  # would be circular; select a block, then move next to it
            if not ctx.has_number(span):
                return None
            area = f"{cell_name(r1, c1)}:{cell_name(r2, c2)}"
        return _formula(ctx, f"={function}({area})")

    return resolve


def _pair(dr: int, dc: int, template: str) -> Callable[[Context], Command | None]:
    """Formula over the two nearest cells in direction (dr, dc): {a} is the farther one, {b} the nearer one."""

    def resolve(ctx: Context) -> Command | None:
        near = (ctx.row + dr, ctx.col + dc)
        far = (ctx.row + 2 * dr, ctx.col + 2 * dc)
        if min(near + far) < 0 or not (ctx.is_number(*near) and ctx.is_number(*far)):
            return None
        return _formula(ctx, "=" + template.format(a=cell_name(*far), b=cell_name(*near)))

    return resolve


def _column_block(ctx: Context, row: int, col: int) -> tuple[int, int] | None:
    """(first_row, last_row) of the numeric run in column ``col`` that contains ``row``."""
    if not ctx.is_number(row, col):
        return None
    top = row
    while top - 1 >= 0 and ctx.is_number(top - 1, col):
        top -= 1
    bottom = row
    while bottom + 1 < ctx.rows and ctx.is_number(bottom + 1, col):
        bottom += 1
    return top, bottom


def _share_of_total(ctx: Context) -> Command | None:
    col = ctx.col - 1
    block = _column_block(ctx, ctx.row, col)
    if block is None or block[0] == block[1]:
        return None
    letter = column_letters(col)
    return _formula(ctx, f"={letter}{ctx.row + 1}/SUM(${letter}${block[0] + 1}:${letter}${block[1] + 1})")


def _running_total(ctx: Context) -> Command | None:
    col = ctx.col - 1
    block = _column_block(ctx, ctx.row, col)
    if block is None:
        return None
    letter = column_letters(col)
    return _formula(ctx, f"=SUM(${letter}${block[0] + 1}:{letter}{ctx.row + 1})")


def _round_left(ctx: Context) -> Command | None:
    if ctx.col < 1 or not ctx.is_number(ctx.row, ctx.col - 1):
        return None
    digits = int(ctx.slots.get("digits", 2))
    return _formula(ctx, f"=ROUND({cell_name(ctx.row, ctx.col - 1)},{digits})")


def _if_threshold(ctx: Context) -> Command | None:
    if ctx.col < 1 or "threshold" not in ctx.slots or not ctx.is_number(ctx.row, ctx.col - 1):
        return None
    above = format_literal(ctx.slots.get("if_true", "high"))
    below = format_literal(ctx.slots.get("if_false", "low"))
    left = cell_name(ctx.row, ctx.col - 1)
    threshold = format_literal(float(ctx.slots["threshold"]))
    def quote(text: str) -> str:
        return '"' + text.strip('"').replace('"', '""') + '"'
    return _formula(ctx, f"=IF({left}>={threshold},{quote(above)},{quote(below)})")


def _slot_cell_formula(
    template: str, slot: str = "rate_cell", dr: int = 0, dc: int = -1
) -> Callable[[Context], Command | None]:
    """Formula of the neighbour in direction (dr, dc) (left1 by default) and the rate cell named by a slot
    (absolute): {a} the neighbour, {rate} $R$C."""

    def resolve(ctx: Context) -> Command | None:
        rate = ctx.slots.get(slot)
        r, c = ctx.row + dr, ctx.col + dc
        if rate is None or r < 0 or c < 0 or not ctx.is_number(r, c):
            return None
        cell = parse_cell(rate)
        if (cell.row, cell.col) == (ctx.row, ctx.col):
            return None
        absolute = cell_name(cell.row, cell.col, True, True)
        return _formula(ctx, "=" + template.format(a=cell_name(r, c), rate=absolute))

    return resolve


def _ratio_to_block_start(direction: str) -> Callable[[Context], Command | None]:
    """The nearest number above (or left) divided by the first number of that block: a line as a share of the
    top line (margin = profit / revenue) or of the row's first number (variance % = variance / budget)."""

    def resolve(ctx: Context) -> Command | None:
        if direction == "above":
            block = ctx.block_above
            if block is None or block[0] == block[1]:
                return None
            near, first = cell_name(block[1], ctx.col), cell_name(block[0], ctx.col)
        else:
            block = ctx.block_left
            if block is None or block[0] == block[1]:
                return None
            near, first = cell_name(ctx.row, block[1]), cell_name(ctx.row, block[0])
        return _formula(ctx, f"={near}/{first}")

    return resolve


def _table_formula(function: str) -> Callable[[Context], Command | None]:
    """Lookup/conditional aggregate keyed on left1 over the instruction's table (absolute ranges)."""

    def resolve(ctx: Context) -> Command | None:
        if ctx.col < 1 or ctx.get(ctx.row, ctx.col - 1) is None:
            return None
        key = cell_name(ctx.row, ctx.col - 1)
        if function == "VLOOKUP":
            table = ctx.slots.get("lookup_table")
            column = ctx.slots.get("lookup_column")
            if table is None or column is None:
                return None
            return _formula(ctx, f"=VLOOKUP({key},{_absolute(table)},{int(column)},FALSE)")
        keys = ctx.slots.get("criteria_range")
        values = ctx.slots.get("sum_range")
        if keys is None:
            return None
        if function == "COUNTIF":
            return _formula(ctx, f"=COUNTIF({_absolute(keys)},{key})")
        if values is None:
            return None
        return _formula(ctx, f"={function}({_absolute(keys)},{key},{_absolute(values)})")

    return resolve


def _absolute(area: str) -> str:
    """A range with both corners absolute, keeping its sheet name."""
    rng = parse_range(area)
    text = f"{cell_name(rng.row1, rng.col1, True, True)}:{cell_name(rng.row2, rng.col2, True, True)}"
    return text if rng.sheet is None else f"{quote_sheet_name(rng.sheet)}!{text}"


# ------------------------------------------------------------------------------------------------------ filling
def _fill_down(ctx: Context) -> Command | None:
    """Fill the cursor cell down as far as the data in the column to its left (or right) goes."""
    if ctx.get(ctx.row, ctx.col) is None:
        return None
    last = ctx.row
    for neighbour in (ctx.col - 1, ctx.col + 1):
        if neighbour < 0:
            continue
        r = ctx.row
        while r + 1 < ctx.rows and ctx.filled(r + 1, neighbour):
            r += 1
        last = max(last, r)
        if last > ctx.row:
            break
    if last == ctx.row:
        return None
    return Command("fill", cell=_here(ctx), area=f"{cell_name(ctx.row + 1, ctx.col)}:{cell_name(last, ctx.col)}")


def _fill_right(ctx: Context) -> Command | None:
    """Fill the cursor cell right as far as the data in the row above goes."""
    if ctx.get(ctx.row, ctx.col) is None or ctx.row < 1:
        return None
    c = ctx.col
    while c + 1 < ctx.cols and ctx.filled(ctx.row - 1, c + 1):
        c += 1
    if c == ctx.col:
        return None
    return Command("fill", cell=_here(ctx), area=f"{cell_name(ctx.row, ctx.col + 1)}:{cell_name(ctx.row, c)}")


def _fill_selection(ctx: Context) -> Command | None:
    if ctx.state.anchor is None:
        return None
    r1, c1, r2, c2 = ctx.state.selection
    if ctx.get(r1, c1) is None:
        return None
    rest = f"{cell_name(r1, c1)}:{cell_name(r2, c2)}"
    return Command("fill", cell=cell_name(r1, c1), area=rest)


# ------------------------------------------------------------------------------------------------------ formats
def _style(verb: str, text: str | None = None) -> Callable[[Context], Command | None]:
    def resolve(ctx: Context) -> Command | None:
        if not ctx.selection_filled:
            return None
        return Command(verb, area=ctx.state.selection_text, text=text)

    return resolve


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


def _pivot_anchor(anchor: str, source: str) -> tuple[str, str]:
    """(upper-case sheet name, cell) of a pivot's anchor (an anchor without a sheet lies on its source's)."""
    cell = parse_cell(anchor)
    sheet = cell.sheet if cell.sheet is not None else (parse_range(source).sheet or "")
    return sheet.upper(), cell_name(cell.row, cell.col)


def _new_sheet(ctx: Context) -> Command | None:
    """Add the sheet the instruction names (slot ``new_sheet``) and go to it, if it does not exist yet."""
    name = ctx.slots.get("new_sheet")
    if name is None or name.upper() in (n.upper() for n in ctx.state.workbook.sheet_names):
        return None
    return Command("newsheet", text=name)


def _done(ctx: Context) -> Command | None:
    return Command("done")


def _build() -> tuple[Macro, ...]:
    macros: list[Macro] = [
        Macro("move_up", _move(-1, 0)),
        Macro("move_down", _move(1, 0)),
        Macro("move_left", _move(0, -1)),
        Macro("move_right", _move(0, 1)),
        Macro("jump_up", _jump(-1, 0), _step_in_area(-1, 0)),
        Macro("jump_down", _jump(1, 0), _step_in_area(1, 0)),
        Macro("jump_left", _jump(0, -1), _step_in_area(0, -1)),
        Macro("jump_right", _jump(0, 1), _step_in_area(0, 1)),
        Macro("next_target", _next_target),
        Macro("anchor_selection", _select_from_anchor),
        Macro("clear_selection", _clear_selection),
        Macro("write_instructed_value", _write_slot("value")),
        Macro("clear_cells", _clear),
    ]
    for where in ("above", "left", "selection"):
        for function in AGGREGATES:
            macros.append(Macro(f"{function.lower()}_{where}", _aggregate(function, where)))
    macros += [
        Macro("left_product", _pair(0, -1, "{a}*{b}")),
        Macro("left_sum", _pair(0, -1, "{a}+{b}")),
        Macro("left_difference", _pair(0, -1, "{b}-{a}")),
        Macro("left_ratio", _pair(0, -1, "{b}/{a}")),
        Macro("left_growth", _pair(0, -1, "({b}-{a})/{a}")),
        Macro("above_sum", _pair(-1, 0, "{a}+{b}")),
        Macro("above_difference", _pair(-1, 0, "{a}-{b}")),
        Macro("above_ratio", _pair(-1, 0, "{b}/{a}")),
        Macro("above_product", _pair(-1, 0, "{a}*{b}")),
        Macro("share_of_column_total", _share_of_total),
        Macro("running_total", _running_total),
        Macro("round_left", _round_left),
        Macro("if_threshold_left", _if_threshold),
        Macro("left_times_rate_cell", _slot_cell_formula("{a}*{rate}")),
        Macro("left_grown_by_rate_cell", _slot_cell_formula("{a}*(1+{rate})")),
        Macro("vlookup_left", _table_formula("VLOOKUP")),
        Macro("sumif_left", _table_formula("SUMIF")),
        Macro("countif_left", _table_formula("COUNTIF")),
        Macro("averageif_left", _table_formula("AVERAGEIF")),
        Macro("fill_down", _fill_down),
        Macro("fill_right", _fill_right),
        Macro("fill_selection", _fill_selection),
        Macro("format_currency", _style("format", "currency")),
        Macro("format_percent", _style("format", "percent")),
        Macro("format_number", _style("format", "number")),
        Macro("format_integer", _style("format", "integer")),
        Macro("format_date", _style("format", "date")),
        Macro("bold", _style("bold")),
        Macro("italic", _style("italic")),
        Macro("align_right", _style("align", "right")),
        Macro("pivot_instructed", _pivot),
        Macro("done", _done),
        # appended after the first 60 in v0
        Macro("above_times_second_rate_cell", _slot_cell_formula("{a}*{rate}", "rate_cell_2", -1, 0)),
        Macro("above_ratio_to_top", _ratio_to_block_start("above")),
        Macro("left_ratio_to_first", _ratio_to_block_start("left")),
        Macro("left_reverse_difference", _pair(0, -1, "{a}-{b}")),  # left2 - left1 (net = gross - tax)
        Macro("select_reference_1", _select_reference(0)),
        Macro("select_reference_2", _select_reference(1)),
        Macro("select_reference_3", _select_reference(2)),
        # added in v1
        Macro("new_sheet_instructed", _new_sheet),
        Macro("write_instructed_header", _write_slot("header")),
    ]
    return tuple(macros)


MACROS: tuple[Macro, ...] = _build()
MACRO_INDEX: dict[str, int] = {m.name: i for i, m in enumerate(MACROS)}
N_ACTIONS = len(MACROS)
