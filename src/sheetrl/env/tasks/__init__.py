"""The five task families, one per curriculum level, and the splits they are drawn from.

Each family module exposes ``TEMPLATES`` (its sub-template names), ``VOCABULARY`` (every word its instructions and
sheets use) and ``generate(rng, seed, structure, layout) -> Task``. :func:`make_task` is the one entry point: the
seed decides the split (:mod:`sheetrl.env.tasks.split`: training seeds, iid evaluation seeds, ood evaluation
seeds with held-out structure), and :class:`~sheetrl.env.tasks.layout.LayoutConfig` how varied the sheets are.
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable
from types import ModuleType

from sheetrl.env.tasks.base import (
    Reference,
    Target,
    Task,
    goal_distance,
    instruction_references,
)
from sheetrl.env.tasks.checker import CONDITIONS, CheckResult, check
from sheetrl.env.tasks.layout import LayoutConfig
from sheetrl.env.tasks.split import (
    EVAL_SEED_OFFSET,
    HELD_OUT_PHRASINGS,
    IID,
    OOD,
    OOD_SEED_OFFSET,
    SPLITS,
    TRAIN,
    Structure,
    eval_seed,
    held_out_gaps,
    held_out_position,
    held_out_size,
    is_eval_seed,
    ood_seed,
    split_of,
    split_seed,
)

FAMILIES: dict[int, str] = {
    1: "single_cell_edit",
    2: "simple_formula",
    3: "multi_cell_formula",
    4: "pivot_table",
    5: "complex_model",
}
LEVELS = tuple(FAMILIES)
DEFAULT_LAYOUT = LayoutConfig()


def family_module(level: int) -> ModuleType:
    """The generator module of a curriculum level (1-5)."""
    if level not in FAMILIES:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    return importlib.import_module(f"sheetrl.env.tasks.{FAMILIES[level]}")


def make_task(level: int, seed: int, layout: LayoutConfig = DEFAULT_LAYOUT,
              structure: Callable[[random.Random, str], Structure] = Structure) -> Task:
    """The task of a level for a seed (deterministic in the level, the seed and the layout configuration).

    ``structure`` makes the generator's structural choices from the task's random generator and split (the default
    draws them from the seed's split; a diagnostic may hold out only some of them)."""
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"task seeds are non-negative integers, not {seed!r}")
    module = family_module(level)
    rng = random.Random(seed * 1_000_003 + level)
    split = split_of(seed)
    task: Task = module.generate(rng, seed, structure(rng, split), layout)
    task.split = split
    return task


def held_out_choices(task: Task) -> list[tuple[str, bool]]:
    """Each structural choice a task records (``kind:name``: phrasing, position, size, a non-empty spacer pattern,
    combination) and whether it came from the held-out part of that choice (:mod:`sheetrl.env.tasks.split`)."""
    family = family_module(task.level)
    choices = []
    for name, value in task.structure.items():
        kind, _, detail = name.partition(":")
        if kind == "phrasing":
            choices.append((name, value >= len(family.PHRASINGS[detail]) - HELD_OUT_PHRASINGS))
        elif kind == "position":
            choices.append((name, held_out_position(*value)))
        elif kind == "size":
            choices.append((name, held_out_size(*value)))
        elif kind == "gaps" and value:
            choices.append((name, held_out_gaps(tuple(value))))
        elif kind == "combination":
            combos = family.HELD_OUT_COMBINATIONS
            choices.append((name, value in combos or (detail, value) in combos))
    return choices


__all__ = [
    "CONDITIONS", "DEFAULT_LAYOUT", "EVAL_SEED_OFFSET", "FAMILIES", "IID", "LEVELS", "OOD", "OOD_SEED_OFFSET",
    "SPLITS", "TRAIN", "CheckResult", "LayoutConfig", "Reference", "Target", "Task", "check", "eval_seed",
    "family_module", "goal_distance", "held_out_choices", "instruction_references", "is_eval_seed", "make_task",
    "ood_seed", "split_of", "split_seed",
]
