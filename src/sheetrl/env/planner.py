"""The expert that acts from any state: the next macro (or command) towards solving a task, from wherever the
cursor, the selection and the sheet are now.

A generated task's expert is a fixed sequence of macros from the task's start. That is enough to record
demonstrations, but DAgger must label the states a *learner* visits, and tree search starts from states the expert
never saw. :func:`expert_action` plans from the current state instead:

1. **The plan.** The task's expert is replayed once (cached on the task) and cut into *edits*: each edit is the
   command that changed the workbook (a formula, a fill, a format, a pivot, a new sheet, ...), the macro that gave
   it, the editing context it needed (sheet, cursor, selection, and the range marked by a previous selection for the
   ``*_selection`` aggregates), and the final input or format attribute (bold, number format, ...) of every cell it
   decides (the last edit that changes a cell's input, or one of its format attributes, owns that aspect).
2. **Repairs first.** A protected cell (not a target, not in an ``allowed`` range) that differs from the initial
   workbook is collateral damage; one that was empty and unformatted is cleared (go there, ``clear_cells``).
   Damage no macro can undo (a data cell overwritten, a format changed, a pivot table drawn in the wrong place)
   makes the state *unrecoverable by macros*:
   :func:`expert_action` returns None there, and :func:`expert_command` returns the command that restores the cell
   (``value``/``formula``/``clear``/``unbold``/``format``/``align``) where the command language has one.
3. **The first pending edit.** An edit is pending when an aspect it owns does not show what the expert left there (the
   agent has not done it yet, or undid or spoiled it). The planner brings the editing context about: clears or builds
   the selection (``select_reference_k`` when the instruction names that range, else ``anchor_selection`` and moves),
   marks a range when the edit reads the marked range, walks the cursor there by the shortest sequence of navigation
   macros, and then takes the edit's macro. When that macro now means something else (the sheet around it changed), any
   macro giving the same command is taken; a ``fill_down``/``fill_right`` that would now run further than the
   expert's fill (the agent filled a neighbouring column first) is done through a selection and ``fill_selection``.
4. **Done.** Nothing pending and nothing to repair: ``done`` (the environment ends a solved episode by itself
   after the last edit, so this is only reached when the last edit was already there).

Public API: :func:`expert_action` and :func:`expert_command` on a :class:`~sheetrl.env.SpreadsheetEnv`;
:func:`plan_action` and :func:`plan_command` on a :class:`~sheetrl.env.state.SheetState` and its task (for search,
which clones states without environments). Task-file tasks (expert given as command lines) are planned the same
way, with their commands as edits; their commands need not be macros, so :func:`expert_action` may return None
where :func:`expert_command` still has an answer.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from sheetrl.env.actions import MACRO_INDEX, MACROS, Context
from sheetrl.env.commands import Command, format_literal, parse_command
from sheetrl.env.state import SheetState
from sheetrl.env.tasks.checker import collateral_cells
from sheetrl.sheet import SheetError, Workbook
from sheetrl.sheet.address import cell_name, parse_cell, parse_range, split_key
from sheetrl.sheet.formats import CellFormat
from sheetrl.sheet.workbook import ALL_CHANGED

if TYPE_CHECKING:
    from sheetrl.env.spreadsheet_env import SpreadsheetEnv
    from sheetrl.env.tasks.base import Task

NAVIGATION = ("next_target", "jump_down", "jump_up", "jump_right", "jump_left", "move_down", "move_up", "move_right",
              "move_left")
SETUP_VERBS = frozenset(("goto", "select", "done"))  # commands that change no cell
SEARCH_MARGINS = (4, 16)  # navigation searches the box around the cursor and the goal this much wider, then the sheet
INPUT = "input"  # the aspects of a cell an edit can decide: what was typed, and each attribute of its format
FORMAT_ATTRIBUTES = tuple(f.name for f in fields(CellFormat))


@dataclass(frozen=True)
class Edit:
    """One workbook-changing step of the expert's solution and the context it was taken in."""

    command: str  # the command text, e.g. "formula E2 =C2*D2"
    macro: str | None  # the macro that gave it (None for a task file's command)
    sheet: str  # the sheet the cursor was on
    cursor: tuple[int, int]
    anchor: tuple[int, int] | None  # the selection anchor (None: no selection)
    selection: tuple[int, int, int, int]
    marked: tuple[int, int, int, int] | None  # the marked range, when the macro reads it (``*_selection``)
    owned: tuple[tuple[int, str, Any], ...]  # (cell key, aspect, final state) of what this edit decides


def _aspect(wb: Workbook, key: int, aspect: str) -> Any:
    """A cell's input (with its type: TRUE is not 1) or one attribute of its format."""
    if aspect != INPUT:
        return getattr(wb.format_at(key), aspect)
    value = wb.input_at(key)
    return type(value).__name__, value


def expert_plan(task: Task) -> tuple[Edit, ...]:
    """The task's expert solution cut into edits (cached on the task)."""
    cached = task.__dict__.get("_expert_plan")
    if cached is not None:
        return cached
    state = SheetState(task.workbook.clone(), task.start, task.sheet, task.extent)
    wb = state.workbook
    wb.record_undo = False
    changes: set[int] = wb.track_changes()
    if task.expert_commands is not None:
        steps: list[tuple[str | None, Command]] = [(None, parse_command(line)) for line in task.expert_commands]
    else:
        steps = []
    raw: list[tuple[str | None, Command, str, tuple[int, int], tuple[int, int] | None, tuple[int, int, int, int],
                    tuple[int, int, int, int] | None, set[tuple[int, str]]]] = []
    names = task.expert_actions if task.expert_commands is None else [None] * len(steps)
    for index, name in enumerate(names):
        if name is not None:
            resolved = MACROS[MACRO_INDEX[name]].resolve(Context(state, task))
            if resolved is None:
                raise ValueError(f"expert action {name!r} is masked in {task.family}/{task.template} seed {task.seed}")
            command = resolved
        else:
            command = steps[index][1]
        before = (state.sheet, state.cursor, state.anchor, state.selection, state.marked)
        if command.verb in SETUP_VERBS:
            state.apply(command)
            continue
        changes.clear()
        sheets_before = len(wb.sheet_names)
        previous = wb.clone()
        state.apply(command)
        touched: set[tuple[int, str]] = set()
        if len(wb.sheet_names) == sheets_before:
            keys = set(changes)
            if ALL_CHANGED in keys:  # a structural edit: compare every cell
                keys = {key for book in (previous, wb) for name in book.sheet_names
                        for key in book.sheet_keys(book.sheet_id(name))}
            touched = {(key, aspect) for key in keys for aspect in (INPUT, *FORMAT_ATTRIBUTES)
                       if _aspect(previous, key, aspect) != _aspect(wb, key, aspect)}
        marked = before[4] if name is not None and name.endswith("_selection") and before[2] is None else None
        raw.append((name, command, before[0], before[1], before[2], before[3], marked, touched))
    owner: dict[tuple[int, str], int] = {}
    for index, item in enumerate(raw):
        for cell_aspect in item[7]:
            owner[cell_aspect] = index
    edits = []
    for index, (name, command, sheet, cursor, anchor, selection, marked, touched) in enumerate(raw):
        owned = tuple((key, aspect, _aspect(wb, key, aspect))
                      for key, aspect in sorted(touched) if owner[(key, aspect)] == index)
        edits.append(Edit(str(command), name, sheet, cursor, anchor, selection, marked, owned))
    plan = tuple(edits)
    task.__dict__["_expert_plan"] = plan
    return plan


def pending_edit(task: Task, wb: Workbook) -> Edit | None:
    """The first edit of the plan whose cells do not show what the expert left there (None: all done)."""
    names = {name.upper() for name in wb.sheet_names}
    for edit in expert_plan(task):
        if edit.command.startswith("newsheet "):
            if edit.command[len("newsheet "):].upper() not in names:
                return edit
            continue
        for key, aspect, final in edit.owned:
            try:
                current = _aspect(wb, key, aspect)
            except SheetError:  # the cell's sheet does not exist yet
                return edit
            if current != final:
                return edit
    return None


# --------------------------------------------------------------------------------------------------- planning
class _Planner:
    """One planning call: the state, the task and the macros resolved in the state (computed once)."""

    def __init__(self, state: SheetState, task: Task) -> None:
        self.state = state
        self.task = task
        self.context = Context(state, task)
        self.commands: dict[str, Command | None] = {}

    def resolve(self, name: str) -> Command | None:
        if name not in self.commands:
            self.commands[name] = MACROS[MACRO_INDEX[name]].resolve(self.context)
        return self.commands[name]

    def macro_giving(self, command: str, preferred: str | None) -> str | None:
        """A macro whose command in this state is ``command`` (the preferred one first)."""
        if preferred is not None and str(self.resolve(preferred)) == command:
            return preferred
        for macro in MACROS:
            if str(self.resolve(macro.name)) == command:
                return macro.name
        return None

    # ------------------------------------------------------------------------------------------- navigation
    def navigate(self, goal: tuple[int, int]) -> str | None:
        """The first navigation macro of a shortest walk from the cursor to ``goal`` (no selection anchor)."""
        here = self.state.cursor
        for margin in (*SEARCH_MARGINS, max(self.task.extent)):
            first = self._search(here, goal, margin)
            if first is not None:
                return first
        return None

    def _search(self, here: tuple[int, int], goal: tuple[int, int], margin: int) -> str | None:
        top, bottom = min(here[0], goal[0]) - margin, max(here[0], goal[0]) + margin
        left, right = min(here[1], goal[1]) - margin, max(here[1], goal[1]) + margin
        first_move: dict[tuple[int, int], str | None] = {here: None}
        frontier = deque([here])
        state = self.state
        try:
            while frontier:
                position = frontier.popleft()
                state.cursor = position
                context = Context(state, self.task)
                for name in NAVIGATION:
                    command = MACROS[MACRO_INDEX[name]].resolve(context)
                    if command is None or command.verb != "goto":
                        continue
                    landing = parse_cell(command.cell or "A1")
                    step = (landing.row, landing.col)
                    if step in first_move or not (top <= step[0] <= bottom and left <= step[1] <= right):
                        continue
                    first_move[step] = first_move[position] or name
                    if step == goal:
                        return first_move[step]
                    frontier.append(step)
        finally:
            state.cursor = here
        return None

    def select(self, area: tuple[int, int, int, int], anchor: tuple[int, int]) -> tuple[str | None, str | None]:
        """The next step towards the selection ``area`` anchored at ``anchor``: (macro, command text)."""
        state = self.state
        for index in range(3):
            name = f"select_reference_{index + 1}"
            command = self.resolve(name)
            if command is not None and command.verb == "select" and _area(command.area) == area:
                return name, str(command)
        if state.anchor is not None and state.anchor != anchor:
            return self._named("clear_selection")
        if state.anchor is None:
            if state.cursor != anchor:
                return self._walk(anchor)
            return self._named("anchor_selection")
        # the anchor is in place: extend one cell at a time towards the far corner
        far = (area[2] if anchor[0] == area[0] else area[0], area[3] if anchor[1] == area[1] else area[1])
        row, col = state.cursor
        if row != far[0]:
            return self._named("move_down" if far[0] > row else "move_up")
        if col != far[1]:
            return self._named("move_right" if far[1] > col else "move_left")
        return None, None

    def _walk(self, goal: tuple[int, int]) -> tuple[str | None, str | None]:
        name = self.navigate(goal)
        if name is None:
            return None, f"goto {cell_name(*goal)}"
        return self._named(name)

    def _named(self, name: str) -> tuple[str | None, str | None]:
        command = self.resolve(name)
        return (name, str(command)) if command is not None else (None, None)

    # ------------------------------------------------------------------------------------------------ steps
    def next_step(self) -> tuple[str | None, str | None]:
        """(macro name or None, command text or None): the next step; the command is given even when no macro
        can take it (then the state is unrecoverable by macros)."""
        repair = self.repair()
        if repair is not None:
            return repair
        edit = pending_edit(self.task, self.state.workbook)
        if edit is None:
            return "done", "done"
        return self.towards(edit)

    def repair(self) -> tuple[str | None, str | None] | None:
        """The next step of undoing collateral damage, or None when there is none."""
        wb, task, state = self.state.workbook, self.task, self.state
        damaged = collateral_cells(task, wb)
        if not damaged:
            return None
        expected = {(pivot.anchor, pivot.source) for pivot in task.solution.pivots}
        if any((pivot.anchor, pivot.source) not in expected for pivot in wb.pivots):
            return None, None  # a pivot table in the wrong place: nothing in the action language removes one
        # Damage no macro can undo is reported at once (not after spending steps on the damage that can be undone).
        by_macros = [key for key in damaged
                     if _clearable(task.workbook, wb, key) and split_key(key)[0] == state.sheet_id]
        if len(by_macros) < len(damaged):
            key = next(key for key in damaged if key not in by_macros)
            return None, _restore_command(task.workbook, wb, key)
        _, row, col = split_key(by_macros[0])
        if state.anchor is not None:
            return self._named("clear_selection")
        if state.cursor != (row, col):
            return self._walk((row, col))
        return self._named("clear_cells")

    def towards(self, edit: Edit) -> tuple[str | None, str | None]:
        """The next step towards taking ``edit``."""
        state = self.state
        if edit.command.startswith("newsheet "):
            name = self.macro_giving(edit.command, edit.macro)
            return name, edit.command
        if state.sheet.upper() != edit.sheet.upper():
            return None, f"sheet {edit.sheet}"
        by_selection = self._fill_by_selection(edit)
        if by_selection is not None:
            return by_selection
        ready = self._context_matches(edit)
        if ready:
            name = self.macro_giving(edit.command, edit.macro)
            if name is not None or edit.macro is None:
                return name, edit.command
        if edit.anchor is not None:
            if state.selection != edit.selection or state.anchor is None:
                return self.select(edit.selection, edit.anchor)
            return None, edit.command
        if edit.marked is not None and state.marked != edit.marked:
            if state.anchor is not None and state.selection == edit.marked:
                return self._named("clear_selection")
            return self.select(edit.marked, edit.marked[:2])
        if state.anchor is not None:
            return self._named("clear_selection")
        if state.cursor != edit.cursor:
            return self._walk(edit.cursor)
        # in place, yet the macro means something else here: any macro that gives the same command, else none
        return self.macro_giving(edit.command, edit.macro), edit.command

    def _fill_by_selection(self, edit: Edit) -> tuple[str | None, str | None] | None:
        """The next step of a fill that no macro takes any more from where the expert took it, done instead as a
        selection from its source cell over its range and ``fill_selection``: ``fill_right`` and ``fill_down``
        reach as far as the neighbouring run goes, so once the agent has filled a neighbour first (a Pass/Fail
        column before the class-average row it runs into), the run is longer than the expert's fill. None when the
        edit is not such a fill."""
        if edit.anchor is not None or edit.marked is not None or edit.macro is None \
                or not edit.command.startswith("fill "):
            return None
        command = parse_command(edit.command)
        source, area = parse_cell(command.cell or ""), _area(command.area)
        if area is None:
            return None
        whole = (min(source.row, area[0]), min(source.col, area[1]), max(source.row, area[2]),
                 max(source.col, area[3]))
        if whole[:2] != (source.row, source.col):  # fill_selection fills from the selection's top-left cell
            return None
        state = self.state
        here, anchor = state.cursor, state.anchor
        try:  # does a macro still take the fill where the expert took it?
            state.cursor, state.anchor = edit.cursor, None
            if _Planner(state, self.task).macro_giving(edit.command, edit.macro) is not None:
                return None
        finally:
            state.cursor, state.anchor = here, anchor
        step = self.select(whole, whole[:2])
        if step == (None, None) and state.anchor == whole[:2] and state.selection == whole:
            return self._named("fill_selection")
        return step

    def _context_matches(self, edit: Edit) -> bool:
        state = self.state
        if edit.anchor is not None:
            return state.anchor is not None and state.selection == edit.selection
        if edit.marked is not None and state.marked != edit.marked:
            return False
        return state.anchor is None and state.cursor == edit.cursor


def _area(text: str | None) -> tuple[int, int, int, int] | None:
    if text is None:
        return None
    rng = parse_range(text)
    return rng.row1, rng.col1, rng.row2, rng.col2


def _initial_input(initial: Workbook, key: int) -> Any:
    try:
        return initial.input_at(key)
    except (SheetError, KeyError):
        return None


def _initial_format(initial: Workbook, key: int) -> CellFormat:
    try:
        return initial.format_at(key)
    except (SheetError, KeyError):
        return CellFormat()


def _clearable(initial: Workbook, wb: Workbook, key: int) -> bool:
    """Whether ``clear_cells`` undoes the damage to a cell: it was empty and its format is unchanged."""
    return _initial_input(initial, key) is None and wb.format_at(key) == _initial_format(initial, key)


def _restore_command(initial: Workbook, wb: Workbook, key: int) -> str | None:
    """The command that puts a damaged cell back as it was: its input first, then its bold, number format and
    alignment (None when only what no command resets, such as italic, changed)."""
    from sheetrl.sheet.formats import NUMBER_FORMAT_PRESETS

    _, row, col = split_key(key)
    address = cell_name(row, col)
    before, after = _initial_input(initial, key), wb.input_at(key)
    if before != after or type(before) is not type(after):
        if before is None:
            return f"clear {address}"
        formula = initial.formula_at(key)
        if formula is not None:
            return f"formula {address} {formula if formula.startswith('=') else '=' + formula}"
        return f"value {address} {format_literal(before)}"
    was, now = _initial_format(initial, key), wb.format_at(key)
    if now.bold != was.bold:
        return f"{'bold' if was.bold else 'unbold'} {address}"
    if now.number_format != was.number_format:
        preset = next((name for name, code in NUMBER_FORMAT_PRESETS.items() if code == was.number_format), None)
        return None if preset is None else f"format {address} {preset}"
    if now.horizontal != was.horizontal:
        return f"align {address} {was.horizontal}"
    return None


# ------------------------------------------------------------------------------------------------ public API
def plan_action(state: SheetState, task: Task) -> int | None:
    """The expert's next macro action (index into :data:`~sheetrl.env.actions.MACROS`) in ``state``, or None
    when no macro can make progress (damage only a command can undo; see the module docstring)."""
    name, _ = _Planner(state, task).next_step()
    return None if name is None else MACRO_INDEX[name]


def plan_command(state: SheetState, task: Task) -> str | None:
    """The expert's next command (text) in ``state``: the command of :func:`plan_action`'s macro, or the command
    that makes progress where no macro can; None when even the command language cannot undo the damage."""
    _, command = _Planner(state, task).next_step()
    return command


def expert_action(env: SpreadsheetEnv) -> int | None:
    """The expert's next macro action in a running environment (None: unrecoverable by macros)."""
    if env.state is None or env.task is None:
        raise RuntimeError("call reset() before asking the expert")
    return plan_action(env.state, env.task)


def expert_command(env: SpreadsheetEnv) -> str | None:
    """The expert's next command in a running environment (see :func:`plan_command`)."""
    if env.state is None or env.task is None:
        raise RuntimeError("call reset() before asking the expert")
    return plan_command(env.state, env.task)
