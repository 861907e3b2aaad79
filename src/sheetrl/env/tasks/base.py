"""What a task is: an initial workbook, an instruction, the targets, what the agent may touch and read, and an
expert.

A :class:`Task` is an initial workbook, an instruction in words (plus the structured *slots* behind it, which the
macro actions may use, e.g. "write the instructed value"), the target cells with what they must hold, the input
cells and the kinds of perturbation that the checker (:mod:`sheetrl.env.tasks.checker`) applies to them, the cells
the agent may change or read besides the targets, and an expert solution: macro names for generated tasks,
command lines for tasks read from a task file.

Addresses without a sheet name refer to the task's sheet (:attr:`Task.sheet`); others name their sheet
(``"Summary!B2"``), which may be a sheet the agent has to add.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

from sheetrl.sheet import SheetError, Workbook
from sheetrl.sheet.address import parse_cell, parse_range, quote_sheet_name
from sheetrl.sheet.errors import ExcelError

SHEET = "Sheet1"
GRID_ROWS = 24  # the observed window (EnvConfig.grid_rows/grid_cols default to it)
GRID_COLS = 12
REL_TOLERANCE = 1e-6
ABS_TOLERANCE = 1e-9
# Cell references and ranges as an instruction writes them, optionally on a named sheet ('Q1 data'!B2 or Data!B2).
REFERENCE_PATTERN = re.compile(
    r"(?:(?:'((?:[^']|'')+)'|([A-Za-z_][A-Za-z0-9_.]*))!)?"
    r"(?<![A-Za-z0-9_$])\$?([A-Z]{1,3})\$?([1-9][0-9]{0,6})(?::\$?([A-Z]{1,3})\$?([1-9][0-9]{0,6}))?(?![A-Za-z0-9_(])"
)


class Reference(NamedTuple):
    """A cell or range an instruction names: 0-based corners, and its sheet when the instruction names one."""

    row1: int
    col1: int
    row2: int
    col2: int
    sheet: str | None = None

    @property
    def text(self) -> str:
        from sheetrl.sheet.address import cell_name

        area = cell_name(self.row1, self.col1)
        if (self.row1, self.col1) != (self.row2, self.col2):
            area += ":" + cell_name(self.row2, self.col2)
        return area if self.sheet is None else f"{quote_sheet_name(self.sheet)}!{area}"


@dataclass(frozen=True)
class Target:
    """One cell the task is about.

    :param address: the cell, e.g. "E2" (on the task's sheet) or "Summary!B3".
    :param expected: the value it must show (None for a format-only target: the value the expert's solution
        shows there, so that bolding a header cannot replace its text).
    :param formula: it must hold a formula (typed numbers fail).
    :param dynamic: its value must follow the inputs under perturbation (formulas and pivot tables do).
    :param bold: required boldness, if any.
    :param number_format: required number-format preset name (see ``sheet.formats.NUMBER_FORMAT_PRESETS``).
    :param empty: the cell must be empty (a "clear this cell" task).
    :param reads: ranges a formula target must read (through the dependency graph, formulas in between
        included): every non-empty cell of them, and nothing outside them and the task's ``may_read``.
    """

    address: str
    expected: Any = None
    formula: bool = False
    dynamic: bool = False
    bold: bool | None = None
    number_format: str | None = None
    empty: bool = False
    reads: tuple[str, ...] = ()


@dataclass
class Task:
    """One episode's task. Generators in ``env/tasks/<family>.py`` build these from a seed; task files
    (:mod:`sheetrl.env.tasks.files`) from a workbook.

    :param perturbations: the kinds of input change the checker applies (see ``checker.PERTURBATIONS``): the
        ones under which every correct answer of this task keeps agreeing with the expert's.
    :param criteria: category cells the ``flip`` perturbation relabels (criteria-based answers).
    :param lookup: a table range whose rows the ``reorder`` perturbation swaps (lookups).
    :param allowed: ranges the agent may change besides the targets (a helper column, say).
    :param format_free: ranges whose formats the agent may change but whose content it must keep (the blank spacer
        cells inside a header row it is asked to bold: bolding the whole row is fine, typing into them is not).
    :param may_read: ranges any formula target may read besides its own ``reads`` (rate cells, lookup tables).
    :param extent: (rows, columns) of the part of each sheet the agent can address; larger than the observed
        window, which follows the cursor.
    :param named: the references the instruction makes, as text (``"B2:B10"``); None: parsed from the
        instruction, leaving out words that are labels in the workbook ("Q1").
    :param expert_commands: the reference solution as command lines (task files); generated tasks give
        ``expert_actions`` (macro names) instead.
    :param structure: the structural choices the generator made (layout, phrasing, combination), by name.
    :param source: how to rebuild the task (a task file's entry), for snapshots.
    """

    family: str
    level: int
    template: str
    seed: int
    workbook: Workbook
    instruction: str
    targets: list[Target]
    expert_actions: list[str]
    inputs: list[str] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)
    max_steps: int = 50
    start: str = "A1"
    sheet: str = SHEET
    perturbations: tuple[str, ...] = ("rescale",)
    criteria: list[str] = field(default_factory=list)
    lookup: str | None = None
    allowed: list[str] = field(default_factory=list)
    format_free: list[str] = field(default_factory=list)
    may_read: list[str] = field(default_factory=list)
    extent: tuple[int, int] = (GRID_ROWS, GRID_COLS)
    named: list[str] | None = None
    expert_commands: list[str] | None = None
    split: str = "train"
    structure: dict[str, Any] = field(default_factory=dict)
    source: dict[str, Any] | None = None

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
        from sheetrl.env.commands import parse_command
        from sheetrl.env.state import SheetState

        state = SheetState(self.workbook.clone(), self.start, self.sheet, self.extent)
        state.workbook.record_undo = False
        commands = []
        if self.expert_commands is not None:
            for line in self.expert_commands:
                command = parse_command(line)
                state.apply(command)
                commands.append(command)
            return state.workbook, commands
        for name in self.expert_actions:
            if name not in MACRO_INDEX:
                raise ValueError(f"expert action {name!r} of task {self.family}/{self.template} is not a macro")
            resolved = MACROS[MACRO_INDEX[name]].resolve(Context(state, self))
            if resolved is None:
                raise ValueError(
                    f"expert action {name!r} is masked at {state.cursor_text} in task {self.family}/{self.template}"
                    f" seed {self.seed}"
                )
            state.apply(resolved)
            commands.append(resolved)
        return state.workbook, commands

    @property
    def target_cells(self) -> list[str]:
        return [t.address for t in self.targets]

    @cached_property
    def references(self) -> list[Reference]:
        """The cells and ranges the instruction names, in order of appearance (see ``named``)."""
        found = instruction_references(self.instruction)
        if self.named is not None:
            wanted = {_canonical(text) for text in self.named}
            return [ref for ref in found if _canonical(ref.text) in wanted]
        labels = _label_texts(self.workbook)
        return [ref for ref in found if ref.text.upper() not in labels]

    def qualified(self, address: str) -> str:
        """An address with its sheet name (addresses without one are on the task's sheet)."""
        return address if "!" in address else f"{quote_sheet_name(self.sheet)}!{address}"


def _canonical(text: str) -> str:
    try:
        rng = parse_range(text.replace("$", ""))
    except SheetError:
        return text.upper()
    return Reference(rng.row1, rng.col1, rng.row2, rng.col2, rng.sheet).text.upper()


def _label_texts(wb: Workbook) -> set[str]:
    """Upper-case texts of every text cell (header labels such as "Q1" that look like cell references)."""
    labels: set[str] = set()
    values = wb.value_map()
    for name in wb.sheet_names:
        for key in wb.sheet_keys(wb.sheet_id(name)):
            value = values.get(key)
            if isinstance(value, str):
                labels.add(value.strip().upper())
    return labels


def instruction_references(text: str) -> list[Reference]:
    """Every cell reference and range an instruction's text contains, in order, as 0-based corners. Words that only
    look like references ("Q1" as a header) are included: :attr:`Task.references` filters them."""
    found = []
    for match in REFERENCE_PATTERN.finditer(text):
        quoted, plain, col1, row1, col2, row2 = match.groups()
        sheet = quoted.replace("''", "'") if quoted is not None else plain
        try:
            first = parse_cell(col1 + row1)
            last = parse_cell(col2 + row2) if col2 else first
        except SheetError:
            continue
        found.append(Reference(min(first.row, last.row), min(first.col, last.col),
                               max(first.row, last.row), max(first.col, last.col), sheet))
    return found


def values_match(actual: Any, expected: Any) -> bool:
    """Numbers within tolerance (int/float alike), text exactly, booleans and errors by identity."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(actual) is type(expected) and actual == expected
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return math.isclose(actual, expected, rel_tol=REL_TOLERANCE, abs_tol=ABS_TOLERANCE)
    if isinstance(expected, ExcelError) or isinstance(actual, ExcelError):
        return actual is expected
    return bool(actual == expected)


def target_problem(wb: Workbook, task: Task, target: Target) -> str | None:
    """Which requirement of one target the workbook misses ("value", "formula", "style"), or None when it holds
    its expected value, formula presence and style (no perturbation)."""
    address = task.qualified(target.address)
    try:
        key = wb.key(address)
    except SheetError:  # a sheet the agent has not added yet
        return "value"
    if target.empty:
        return None if wb.input_at(key) is None else "value"
    if target.formula and wb.formula_at(key) is None:
        return "formula"
    if target.expected is not None:
        if not values_match(_public(wb.value_map().get(key)), target.expected):
            return "value"
    elif not target.formula and not target.dynamic and not values_match(_public(wb.value_map().get(key)),
                                                                         _kept_value(task, address)):
        return "value"  # a format-only target ("make the header bold") keeps what the solution shows there
    if target.bold is not None or target.number_format is not None:
        fmt = wb.format_at(key)
        if target.bold is not None and fmt.bold != target.bold:
            return "style"
        if target.number_format is not None:
            from sheetrl.sheet.formats import resolve_number_format

            if fmt.number_format != resolve_number_format(target.number_format):
                return "style"
    return None


def _kept_value(task: Task, address: str) -> Any:
    """What the reference solution shows in a target that asks only for a format (cached on the task): its text
    is not the agent's to change, and a cell left empty there stays empty."""
    kept = task.__dict__.setdefault("_kept_values", {})
    if address not in kept:
        kept[address] = _public(task.solution.value(address))
    return kept[address]


def _public(value: Any) -> Any:
    if type(value) is float and value.is_integer() and -1e15 < value < 1e15:
        return int(value)
    return value


def target_satisfied(wb: Workbook, task: Task, target: Target) -> bool:
    """Value, formula-presence and style requirements of one target hold (no perturbation)."""
    return target_problem(wb, task, target) is None


def goal_distance(wb: Workbook, task: Task) -> float:
    """Fraction of targets not yet satisfied, in [0, 1] (the progress reward's potential is its negative)."""
    if not task.targets:
        return 0.0
    missing = sum(1 for t in task.targets if target_problem(wb, task, t) is not None)
    return missing / len(task.targets)
