"""benchmarks/ood_attribution.py: tasks holding out one structural dimension draw exactly that one from the held-out
part, and holding out every dimension gives the ood tasks themselves."""

from __future__ import annotations

import pytest
from ood_attribution import DIMENSIONS, ood_only_macros, tasks_holding_out

from sheetrl.env.tasks import LEVELS, family_module, make_task, ood_seed
from sheetrl.env.tasks.split import HELD_OUT_PHRASINGS, held_out_gaps, held_out_position, held_out_size


def _held_out_dimensions(task, level: int) -> set[str]:
    """The dimensions of a task's recorded choices that came from the held-out part."""
    family = family_module(level)
    held = set()
    for name, value in task.structure.items():
        kind, _, detail = name.partition(":")
        if kind == "phrasing":
            out = value >= len(family.PHRASINGS[detail]) - HELD_OUT_PHRASINGS
        elif kind == "position":
            out = held_out_position(*value)
        elif kind == "size":
            out = held_out_size(*value)
        elif kind == "gaps":
            out = bool(value) and held_out_gaps(tuple(value))
        elif kind == "combination":
            combos = family.HELD_OUT_COMBINATIONS
            out = value in combos or (detail, value) in combos
        else:
            continue
        if out:
            held.add(kind)
    return held


@pytest.mark.parametrize("level", LEVELS)
def test_one_dimension_held_out_draws_only_that_one_from_the_held_out_part(level):
    for dimension in DIMENSIONS:
        found = [_held_out_dimensions(t, level) for t in tasks_holding_out(level, [dimension], 25)]
        assert all(held <= {dimension} for held in found), (dimension, found)
        if dimension in ("phrasing", "position", "combination"):  # choices every task of every family makes
            assert all(dimension in held for held in found), (dimension, found)
    assert all(not _held_out_dimensions(t, level) for t in tasks_holding_out(level, [], 25))


@pytest.mark.parametrize("level", LEVELS)
def test_every_dimension_held_out_gives_the_ood_tasks(level):
    for index, generated in enumerate(tasks_holding_out(level, DIMENSIONS, 10)):
        ood = make_task(level, ood_seed(index))
        assert (generated.instruction, generated.structure) == (ood.instruction, ood.structure)


def test_ood_only_macros_are_used_by_ood_experts_and_by_no_training_expert():
    from sheetrl.env.tasks import split_seed

    counts, needing = ood_only_macros(4, 40)
    trained = {name for i in range(40) for name in make_task(4, split_seed("train", i)).expert_actions or ()}
    used = [set(make_task(4, ood_seed(i)).expert_actions or ()) for i in range(40)]
    assert not set(counts) & trained
    assert all(n == sum(name in u for u in used) for name, n in counts.items())
    assert needing == sum(bool(u - trained) for u in used)
