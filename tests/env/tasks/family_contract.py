"""What every task family promises, checked the same way for each level: the expert solves every seed within the
step limit, the initial sheet is unsolved, typed-in answers fail, generation is deterministic, and the instruction
names its targets in words the family's vocabulary holds."""

from __future__ import annotations

import re
from functools import lru_cache

from sheetrl.env.tasks import Task, check, eval_seed, make_task
from sheetrl.env.tasks.base import GRID_COLS, GRID_ROWS, SHEET
from sheetrl.sheet import Workbook
from sheetrl.sheet.address import parse_cell, parse_range
from sheetrl.sheet.values import number_to_text

SEEDS_PER_SPLIT = 200
REFERENCE = re.compile(r"\$?\b[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?\b")


def seeds(count: int = SEEDS_PER_SPLIT) -> list[int]:
    """Training seeds 0..count-1, then the first ``count`` evaluation seeds."""
    return list(range(count)) + [eval_seed(i) for i in range(count)]


@lru_cache(maxsize=None)
def task(level: int, seed: int) -> Task:
    return make_task(level, seed)


def tasks(level: int, count: int = SEEDS_PER_SPLIT) -> list[Task]:
    return [task(level, seed) for seed in seeds(count)]


def expert_problem(t: Task) -> str | None:
    """Why the expert fails its task (None when it solves it within ``max_steps``)."""
    if t.max_steps < len(t.expert_actions) + 10:
        return f"max_steps {t.max_steps} leaves under ten spare steps for {len(t.expert_actions)} expert actions"
    if t.expert_actions[-1] != "done":
        return "the expert does not end with done"
    result = check(t.solution, t)
    return None if result.success else result.reason


def typed_answers(t: Task, as_constant_formulas: bool = False) -> Workbook:
    """The expert's solution with every formula target replaced by its value: typed as a number, or as a
    constant formula such as ``=1234.5`` (formats kept)."""
    wb = t.solution.clone()
    for target in t.targets:
        if target.formula:
            value = wb.value(f"{SHEET}!{target.address}")
            text = number_to_text(float(value))
            wb.set(f"{SHEET}!{target.address}", f"={text}" if as_constant_formulas else value)
    return wb


def typed_in(t: Task, as_formulas: bool = False) -> Workbook:
    """The initial workbook with every target's expected value typed in (as a literal, or as a constant formula
    such as ``=1234``) and its required style applied: what an agent that read the answers would produce."""
    wb = t.workbook.clone()
    for target in t.targets:
        if target.expected is not None:
            value = target.expected
            if as_formulas and not isinstance(value, str):
                value = f"={value}"
            elif as_formulas:
                value = '="' + value + '"'
            wb.set(target.address, value)
        if target.bold is not None:
            wb.set_format(target.address, bold=target.bold)
        if target.number_format is not None:
            wb.set_format(target.address, number_format=target.number_format)
    return wb


def same_task(a: Task, b: Task) -> bool:
    return (a.template, a.instruction, a.targets, a.expert_actions, a.expert, a.inputs, a.slots, a.start,
            a.max_steps) == (b.template, b.instruction, b.targets, b.expert_actions, b.expert, b.inputs, b.slots,
                             b.start, b.max_steps) and dict(a.workbook.cells()) == dict(b.workbook.cells())


def instruction_words(text: str) -> set[str]:
    """Lower-case words of an instruction, cell references and numbers left out."""
    return {w.lower() for w in re.findall(r"[A-Za-z]+", REFERENCE.sub(" ", text))}


def named_cells(text: str) -> set[tuple[int, int]]:
    """Every cell the instruction names, alone or inside a range."""
    cells: set[tuple[int, int]] = set()
    for reference in REFERENCE.findall(text):
        rng = parse_range(reference.replace("$", ""))
        cells |= {(r, c) for r in range(rng.row1, rng.row2 + 1) for c in range(rng.col1, rng.col2 + 1)}
    return cells


def inside_grid(address: str) -> bool:
    cell = parse_cell(address)
    return 0 <= cell.row < GRID_ROWS and 0 <= cell.col < GRID_COLS


def used_cells(wb: Workbook) -> list[str]:
    return [address for address, _ in wb.cells()]
