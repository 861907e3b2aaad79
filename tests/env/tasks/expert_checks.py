"""Properties every task family must have, shared by the family tests (one family per curriculum level)."""

from __future__ import annotations

import re
from functools import lru_cache

from sheetrl.env.tasks import Task, check, eval_seed, make_task
from sheetrl.sheet import Workbook

SEEDS_PER_SPLIT = 200
CELL_REFERENCE = re.compile(r"\$?[A-Z]{1,3}\$?[0-9]+(?::\$?[A-Z]{1,3}\$?[0-9]+)?")


def seeds(count: int = SEEDS_PER_SPLIT) -> list[int]:
    """Training seeds 0..count-1 followed by the first ``count`` evaluation seeds."""
    return list(range(count)) + [eval_seed(i) for i in range(count)]


@lru_cache(maxsize=None)
def task(level: int, seed: int) -> Task:
    return make_task(level, seed)


def tasks(level: int, count: int = SEEDS_PER_SPLIT) -> list[Task]:
    return [task(level, seed) for seed in seeds(count)]


def expert_problem(t: Task) -> str | None:
    """Why the expert does not solve its task within max_steps (None when it does)."""
    if len(t.expert_actions) > t.max_steps:
        return f"expert takes {len(t.expert_actions)} steps, max_steps is {t.max_steps}"
    result = check(t.solution, t)
    return None if result.success else result.reason


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
    return (a.instruction, a.targets, a.expert_actions, a.inputs, a.slots, a.start, a.max_steps, a.template) == (
        b.instruction, b.targets, b.expert_actions, b.inputs, b.slots, b.start, b.max_steps, b.template
    ) and dict(a.workbook.cells()) == dict(b.workbook.cells())


def instruction_words(text: str) -> set[str]:
    """Lower-case words of an instruction, cell references and numbers left out."""
    return {w.lower() for w in re.findall(r"[A-Za-z]+", CELL_REFERENCE.sub(" ", text))}
