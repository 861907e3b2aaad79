"""The five task families, one per curriculum level.

Each family module exposes ``TEMPLATES`` (its sub-template names) and ``generate(rng, seed) -> Task``.
:func:`make_task` is the one entry point. Seeds are split by construction: training seeds are in
``[0, EVAL_SEED_OFFSET)`` and evaluation seeds are ``EVAL_SEED_OFFSET + i``, so no evaluation task is ever seen in
training.
"""

from __future__ import annotations

import importlib
import random
from types import ModuleType

from sheetrl.env.tasks.base import Target, Task, check, goal_distance

FAMILIES: dict[int, str] = {
    1: "single_cell_edit",
    2: "simple_formula",
    3: "multi_cell_formula",
    4: "pivot_table",
    5: "complex_model",
}
LEVELS = tuple(FAMILIES)
EVAL_SEED_OFFSET = 2**31


def family_module(level: int) -> ModuleType:
    """The generator module of a curriculum level (1-5)."""
    if level not in FAMILIES:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    return importlib.import_module(f"sheetrl.env.tasks.{FAMILIES[level]}")


def make_task(level: int, seed: int) -> Task:
    """The task of a level for a seed (deterministic)."""
    if not isinstance(seed, int) or seed < 0:
        raise ValueError(f"task seeds are non-negative integers, not {seed!r}")
    module = family_module(level)
    return module.generate(random.Random(seed * 1_000_003 + level), seed)


def eval_seed(index: int) -> int:
    """The index-th evaluation seed (disjoint from every training seed)."""
    return EVAL_SEED_OFFSET + index


def is_eval_seed(seed: int) -> bool:
    return seed >= EVAL_SEED_OFFSET


__all__ = ["FAMILIES", "LEVELS", "EVAL_SEED_OFFSET", "Target", "Task", "check", "goal_distance", "make_task",
           "eval_seed", "is_eval_seed", "family_module"]
