"""Building a generated task: its expert, found by stepping the real macros, and the finishing touches.

:class:`ExpertBuilder` applies macros to a copy of the task's workbook through the same :class:`Context` agents act
in, recording their names: an expert is valid by construction. :func:`finish` then reads every target's expected
value off the expert's solution (the engine computes every number), derives the cells each formula target must
read from the expert's formula when the generator did not name them, and sets the step budget.
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace

from sheetrl.env.actions import MACRO_INDEX, MACROS, Context
from sheetrl.env.commands import Command
from sheetrl.env.state import SheetState
from sheetrl.env.tasks.base import Task
from sheetrl.env.tasks.checker import leaf_reads
from sheetrl.sheet.address import parse_cell

NAVIGATION = ("next_target", "jump_down", "jump_up", "jump_right", "jump_left", "move_down", "move_up", "move_right",
              "move_left")
SEARCH_MARGIN = 4  # navigation searches the box around the cursor and the goal, this many cells wider


class ExpertBuilder:
    """Steps macros on a copy of a task's sheet (see the module docstring)."""

    def __init__(self, task: Task) -> None:
        self.task = task
        self.state = SheetState(task.workbook.clone(), task.start, task.sheet, task.extent)
        self.state.workbook.record_undo = False
        self.actions: list[str] = []
        self.commands: list[str] = []

    def resolve(self, name: str) -> Command | None:
        return MACROS[MACRO_INDEX[name]].resolve(Context(self.state, self.task))

    def do(self, *names: str) -> ExpertBuilder:
        for name in names:
            command = self.resolve(name)
            if command is None:
                raise ValueError(f"{name} is masked at {self.state.cursor_text} in {self.task.family}/"
                                 f"{self.task.template} seed {self.task.seed}")
            self.state.apply(command)
            self.actions.append(name)
            self.commands.append(str(command))
        return self

    @property
    def here(self) -> str:
        return self.state.cursor_text

    def command(self, name: str) -> str | None:
        """The command a macro would give now, as text (None when masked)."""
        command = self.resolve(name)
        return None if command is None else str(command)

    def go(self, address: str) -> ExpertBuilder:
        """Navigate to a cell of the current sheet by a shortest sequence of navigation macros, searched
        breadth-first over cursor cells in the box around the cursor and the goal (navigation changes nothing but
        the cursor; with a selection anchor set it would extend the selection, so there must be none)."""
        if self.state.anchor is not None:
            raise ValueError("go() moves the cursor; clear the selection first")
        cell = parse_cell(address)
        goal = (cell.row, cell.col)
        here = self.state.cursor
        for margin in (SEARCH_MARGIN, max(self.task.extent)):
            path = self._search(here, goal, margin)
            if path is not None:
                return self.do(*path)
        raise ValueError(f"no navigation from {self.here} to {address} in {self.task.family} seed {self.task.seed}")

    def _search(self, here: tuple[int, int], goal: tuple[int, int], margin: int) -> list[str] | None:
        top, bottom = min(here[0], goal[0]) - margin, max(here[0], goal[0]) + margin
        left, right = min(here[1], goal[1]) - margin, max(here[1], goal[1]) + margin
        came_from: dict[tuple[int, int], tuple[tuple[int, int], str] | None] = {here: None}
        frontier = deque([here])
        try:
            while goal not in came_from and frontier:
                position = frontier.popleft()
                self.state.cursor = position
                context = Context(self.state, self.task)
                for name in NAVIGATION:
                    command = MACROS[MACRO_INDEX[name]].resolve(context)
                    if command is None or command.verb != "goto":
                        continue
                    landing = parse_cell(command.cell or "A1")
                    step = (landing.row, landing.col)
                    if step not in came_from and top <= step[0] <= bottom and left <= step[1] <= right:
                        came_from[step] = (position, name)
                        frontier.append(step)
        finally:
            self.state.cursor = here
        if goal not in came_from:
            return None
        path: list[str] = []
        position = goal
        while (link := came_from[position]) is not None:
            position, name = link
            path.append(name)
        return list(reversed(path))

    def aggregate(self, function: str, area: str, target: str, reference: int) -> ExpertBuilder:
        """Write ``=FUNCTION(area)`` at ``target``: with the AutoSum-like macro of the block above or left of
        the target when that block is exactly ``area``, else by selecting the instruction's ``reference``-th
        range (``area``), marking it, going to the target and using the selection macro."""
        cell = parse_cell(target)
        saved = self.state.cursor
        self.state.cursor = (cell.row, cell.col)
        wanted = f"formula {target} ={function}({area})"
        adjacent = next((w for w in ("above", "left") if self.command(f"{function.lower()}_{w}") == wanted), None)
        self.state.cursor = saved
        if adjacent is not None:
            return self.go(target).do(f"{function.lower()}_{adjacent}")
        self.do(f"select_reference_{reference + 1}", "clear_selection")
        return self.go(target).do(f"{function.lower()}_selection")


def step_budget(expert_length: int) -> int:
    """Episode step limit: about two and a half times the expert's length, and at least ten steps more."""
    return max(expert_length + 10, round(2.5 * expert_length))


def finish(task: Task, builder: ExpertBuilder | None = None, actions: list[str] | None = None) -> Task:
    """Give a generated task its expert (the builder's macros, or ``actions``, then ``done``), the expected
    values of its targets from the expert's solution, the reads of formula targets that name none (the leaves
    of the expert's formula), and its step budget."""
    names = list(actions if actions is not None else builder.actions if builder is not None else [])
    task.expert_actions = [*names, "done"]
    task.max_steps = step_budget(len(task.expert_actions))
    if builder is not None and actions is None:  # the builder already applied the expert: its sheet is the solution
        task.__dict__["solution"] = builder.state.workbook
        task.__dict__["expert"] = [*builder.commands, "done"]
    solution = task.solution
    targets = []
    for target in task.targets:
        key = solution.key(task.qualified(target.address))
        if not target.empty and target.expected is None and (target.formula or target.dynamic or
                                                               (target.bold is None and target.number_format is None)):
            target = replace(target, expected=_public(solution.value_map().get(key)))
        if target.formula and not target.reads:
            leaves = sorted(k for k in leaf_reads(solution, key) if k in task.workbook.value_map())
            target = replace(target, reads=tuple(_local(task, solution.address(k)) for k in leaves))
        targets.append(target)
    task.targets = targets
    missing = [t.address for t in targets if (t.formula or t.dynamic) and t.expected is None]
    if missing:
        raise RuntimeError(f"{task.family}/{task.template} seed {task.seed}: the expert leaves {missing} empty")
    return task


def _public(value: object) -> object:
    if type(value) is float and value.is_integer() and -1e15 < value < 1e15:
        return int(value)
    return value


def _local(task: Task, address: str) -> str:
    """An address without its sheet name when it is on the task's sheet."""
    cell = address.rpartition("!")[2]
    return cell if task.qualified(cell) == address else address
