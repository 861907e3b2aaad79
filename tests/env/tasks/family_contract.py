"""Helpers for the task-family tests: cached tasks of every split, typed-in answers, instruction words."""

from __future__ import annotations

import re
from functools import cache

from sheetrl.env.tasks import OOD, TRAIN, Task, check, make_task, split_seed
from sheetrl.env.tasks.split import IID
from sheetrl.sheet import Workbook
from sheetrl.sheet.address import parse_range
from sheetrl.sheet.values import number_to_text

SEEDS_PER_SPLIT = 40
REFERENCE = re.compile(r"\$?\b[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?\b")


@cache
def task(level: int, seed: int) -> Task:
    return make_task(level, seed)


def tasks(level: int, count: int = SEEDS_PER_SPLIT, splits: tuple[str, ...] = (TRAIN, IID, OOD)) -> list[Task]:
    """The first ``count`` tasks of each split."""
    return [task(level, split_seed(split, i)) for split in splits for i in range(count)]


def expert_problem(t: Task) -> str | None:
    """Why the expert fails its task (None when it solves it with ten steps to spare)."""
    if t.max_steps < len(t.expert_actions) + 10:
        return f"max_steps {t.max_steps} leaves under ten spare steps for {len(t.expert_actions)} expert actions"
    if t.expert_actions[-1] != "done":
        return "the expert does not end with done"
    result = check(t.solution, t)
    return None if result.success else f"{result.condition}: {result.reason}"


def typed_answers(t: Task, as_constant_formulas: bool = False) -> Workbook:
    """The expert's solution with every formula target replaced by its value: typed as a number, or as a
    constant formula such as ``=1234.5`` (formats kept)."""
    wb = t.solution.clone()
    for target in t.targets:
        if target.formula:
            address = t.qualified(target.address)
            value = wb.value(address)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                text = number_to_text(float(value))
                wb.set(address, f"={text}" if as_constant_formulas else value)
            else:
                wb.set(address, f'="{value}"' if as_constant_formulas else value)
    return wb


def instruction_words(text: str) -> set[str]:
    """Lower-case words of an instruction, cell references and numbers left out."""
    return {w.lower() for w in re.findall(r"[A-Za-z]+", REFERENCE.sub(" ", text))}


def named_cells(t: Task) -> set[tuple[str, int, int]]:
    """Every cell the instruction names (its references), alone or inside a range, with its sheet."""
    cells: set[tuple[str, int, int]] = set()
    for ref in t.references:
        sheet = (ref.sheet or t.sheet).upper()
        cells |= {(sheet, r, c) for r in range(ref.row1, ref.row2 + 1) for c in range(ref.col1, ref.col2 + 1)}
    return cells


def cell_of(t: Task, address: str) -> tuple[str, int, int]:
    rng = parse_range(t.qualified(address))
    return (rng.sheet or t.sheet).upper(), rng.row1, rng.col1
