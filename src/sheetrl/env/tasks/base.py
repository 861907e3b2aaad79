"""What a task is, and how success is checked.

A :class:`Task` is an initial workbook, an instruction in words (plus the structured *slots* behind it, which the
macro actions may use, e.g. "write the instructed value"), the target cells with what they must hold, the input
cells whose perturbation must not fool the checker, and an expert solution as command lines.

Success (:func:`check`) means every target cell holds its expected value (and style, where asked) and — where the
task asks for formulas — the targets still agree with the expert's solution after the inputs are perturbed and both
workbooks recomputed (:data:`PERTURBATIONS` times), so numbers typed in by hand fail.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sheetrl.sheet import Workbook
from sheetrl.sheet.address import parse_cell
from sheetrl.sheet.errors import ExcelError

SHEET = "Sheet1"
GRID_ROWS = 24  # every task's content and targets fit in A1:L24, the grid the agent observes
GRID_COLS = 12
PERTURBATIONS = 3
_REFERENCE = re.compile(r"\b\$?([A-Z]{1,2})\$?([1-9][0-9]{0,4})(?::\$?([A-Z]{1,2})\$?([1-9][0-9]{0,4}))?\b")
REL_TOLERANCE = 1e-6
ABS_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Target:
    """One cell the task is about.

    :param address: cell on the task sheet, e.g. "E2".
    :param expected: the value it must show (None: any value, e.g. style-only targets).
    :param formula: it must hold a formula (typed numbers fail).
    :param dynamic: its value must follow the inputs under perturbation (formulas and pivot tables do).
    :param bold: required boldness, if any.
    :param number_format: required number-format preset name (see ``sheet.formats.NUMBER_FORMAT_PRESETS``).
    :param empty: the cell must be empty (a "clear this cell" task).
    """

    address: str
    expected: Any = None
    formula: bool = False
    dynamic: bool = False
    bold: bool | None = None
    number_format: str | None = None
    empty: bool = False


@dataclass
class Task:
    """One episode's task. Generators in ``env/tasks/<family>.py`` build these from a seed."""

    family: str
    level: int
    template: str
    seed: int
    workbook: Workbook
    instruction: str
    targets: list[Target]
    expert_actions: list[str]  # macro names (see env/actions.py) that solve the task from ``start``
    inputs: list[str] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)
    max_steps: int = 50
    start: str = "A1"  # where the cursor starts

    @cached_property
    def expert(self) -> list[str]:
        """The expert's solution as command lines (its macro actions resolved in turn)."""
        return [str(command) for command in self._replay()[1]]

    @cached_property
    def solution(self) -> Workbook:
        """The initial workbook with the expert's solution applied (the reference for perturbation checks)."""
        return self._replay()[0]

    def _replay(self) -> tuple[Workbook, list[Any]]:
        from sheetrl.env.actions import MACRO_INDEX, MACROS, Context
        from sheetrl.env.state import SheetState

        state = SheetState(self.workbook.clone(), self.start)
        state.workbook.record_undo = False
        commands = []
        for name in self.expert_actions:
            if name not in MACRO_INDEX:
                raise ValueError(f"expert action {name!r} of task {self.family}/{self.template} is not a macro")
            context = Context(state, self.slots, GRID_ROWS, GRID_COLS, self.target_cells, self.references)
            command = MACROS[MACRO_INDEX[name]].resolve(context)
            if command is None:
                raise ValueError(
                    f"expert action {name!r} is masked at {state.cursor_text} in task {self.family}/{self.template}"
                    f" seed {self.seed}"
                )
            state.apply(command)
            commands.append(command)
        return state.workbook, commands

    @property
    def target_cells(self) -> list[str]:
        return [t.address for t in self.targets]

    @cached_property
    def references(self) -> list[tuple[int, int, int, int]]:
        """The cells and ranges the instruction names, in order (see :func:`instruction_references`)."""
        return instruction_references(self.instruction)


def instruction_references(text: str) -> list[tuple[int, int, int, int]]:
    """The cell references and ranges an instruction names, in order, as (row1, col1, row2, col2), 0-based."""
    found = []
    for col1, row1, col2, row2 in _REFERENCE.findall(text):
        first = parse_cell(col1 + row1)
        last = parse_cell(col2 + row2) if col2 else first
        found.append((min(first.row, last.row), min(first.col, last.col),
                      max(first.row, last.row), max(first.col, last.col)))
    return found


def values_match(actual: Any, expected: Any) -> bool:
    """Numbers within tolerance (int/float alike), text exactly, booleans and errors by identity."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(actual) is type(expected) and actual == expected
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return math.isclose(actual, expected, rel_tol=REL_TOLERANCE, abs_tol=ABS_TOLERANCE)
    if isinstance(expected, ExcelError) or isinstance(actual, ExcelError):
        return actual is expected
    return actual == expected


def target_satisfied(wb: Workbook, target: Target) -> bool:
    """Value, formula-presence and style requirements of one target (no perturbation)."""
    address = f"{SHEET}!{target.address}"
    if target.empty:
        return wb.input(address) is None
    if target.formula and wb.formula(address) is None:
        return False
    if target.expected is not None and not values_match(wb.value(address), target.expected):
        return False
    if target.bold is not None or target.number_format is not None:
        fmt = wb.format(address)
        if target.bold is not None and fmt.bold != target.bold:
            return False
        if target.number_format is not None:
            from sheetrl.sheet.formats import resolve_number_format

            if fmt.number_format != resolve_number_format(target.number_format):
                return False
    return True


def goal_distance(wb: Workbook, task: Task) -> float:
    """Fraction of targets not yet satisfied, in [0, 1] (the progress reward's potential is its negative)."""
    if not task.targets:
        return 0.0
    missing = sum(1 for t in task.targets if not target_satisfied(wb, t))
    return missing / len(task.targets)


@dataclass(frozen=True)
class CheckResult:
    """Outcome of a success check."""

    success: bool
    satisfied: int
    total: int
    reason: str = ""


def perturb(wb: Workbook, inputs: Iterable[str], rng: random.Random) -> dict[str, Any]:
    """New values for the numeric input cells: each scaled by a random factor in [0.5, 1.5] (integers stay
    integers, and never the same value), applied to ``wb``; returns the assignment so it can be replayed."""
    assignment: dict[str, Any] = {}
    for address in inputs:
        current = wb.value(f"{SHEET}!{address}")
        if isinstance(current, bool) or not isinstance(current, (int, float)):
            continue
        factor = rng.uniform(0.5, 1.5)
        if isinstance(current, int):
            new: float = round(current * factor)
            if new == current:
                new = current + rng.choice((-1, 1)) * max(1, abs(current) // 10)
        else:
            new = round(current * factor, 4)
            if new == current:
                new = current + 1.0
        assignment[address] = new
    with wb.batch():
        for address, value in assignment.items():
            wb.set(f"{SHEET}!{address}", value)
    return assignment


def check(wb: Workbook, task: Task, perturbations: int = PERTURBATIONS) -> CheckResult:
    """Is the task solved in ``wb``? Targets must match, and dynamic targets must survive perturbed inputs."""
    satisfied = sum(1 for t in task.targets if target_satisfied(wb, t))
    total = len(task.targets)
    if satisfied < total:
        return CheckResult(False, satisfied, total, "some targets do not hold their expected value or style")
    dynamic = [t for t in task.targets if t.dynamic or t.formula]
    if not dynamic or not task.inputs:
        return CheckResult(True, satisfied, total)
    rng = random.Random(task.seed * 7919 + 17)
    for _ in range(perturbations):
        mine = wb.clone()
        mine.record_undo = False
        reference = task.solution.clone()
        reference.record_undo = False
        assignment = perturb(reference, task.inputs, rng)
        with mine.batch():
            for address, value in assignment.items():
                mine.set(f"{SHEET}!{address}", value)
        for t in dynamic:
            address = f"{SHEET}!{t.address}"
            if not values_match(mine.value(address), reference.value(address)):
                return CheckResult(
                    False, satisfied, total, f"{t.address} does not follow its inputs (typed value or wrong formula)"
                )
    return CheckResult(True, satisfied, total)
